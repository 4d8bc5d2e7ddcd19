//! The fast path of [`super::parse_line`]: a flat JSON object (string,
//! whole-number, `true`, `false` and `null` values, keys without escapes)
//! read by hand. It gives the fields serde_json gives or `None`, never a
//! different answer: every other shape, and every error, is left to
//! serde_json (tested and fuzzed against it).

use super::FieldValues;
use serde_json::Value;

/// The text and id fields of `line` when it is a flat object, else `None`.
/// A repeated key keeps its last value; a key naming both fields is the
/// text, as in the serde_json path.
pub(super) fn fields(line: &str, text_field: &str, id_field: &str) -> Option<FieldValues> {
    let b = line.as_bytes();
    let mut i = skip_ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = skip_ws(b, i + 1);
    let mut out = FieldValues {
        text: None,
        id: None,
    };
    if b.get(i) == Some(&b'}') {
        i += 1;
    } else {
        loop {
            let (key, next) = plain_key(line, i)?;
            i = skip_ws(b, next);
            if b.get(i) != Some(&b':') {
                return None;
            }
            i = skip_ws(b, i + 1);
            let (value, next) = value(line, i)?;
            if key == text_field {
                out.text = Some(value);
            } else if key == id_field {
                out.id = Some(value);
            }
            i = skip_ws(b, next);
            match b.get(i) {
                Some(b',') => i = skip_ws(b, i + 1),
                Some(b'}') => {
                    i += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    (skip_ws(b, i) == b.len()).then_some(out)
}

/// The first index at or after `i` that is no JSON whitespace.
fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// A key at `i` written without escapes or control characters, and the
/// index after its closing quote.
fn plain_key(line: &str, i: usize) -> Option<(&str, usize)> {
    let b = line.as_bytes();
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let len = memchr::memchr2(b'"', b'\\', &b[i + 1..])?;
    let end = i + 1 + len;
    if b[end] != b'"' || b[i + 1..end].iter().any(|&c| c < 0x20) {
        return None;
    }
    Some((&line[i + 1..end], end + 1))
}

/// The value at `i` and the index after it, for the values the fast path
/// reads.
fn value(line: &str, i: usize) -> Option<(Value, usize)> {
    let b = line.as_bytes();
    match *b.get(i)? {
        b'"' => string(line, i).map(|(s, end)| (Value::String(s), end)),
        b'0'..=b'9' => {
            let end = i + b[i..].iter().take_while(|c| c.is_ascii_digit()).count();
            // Leading zeros are invalid JSON; fractions and exponents are
            // floats: both left to serde_json.
            if (b[i] == b'0' && end - i > 1) || matches!(b.get(end), Some(b'.' | b'e' | b'E')) {
                return None;
            }
            let n: u64 = line[i..end].parse().ok()?;
            Some((Value::from(n), end))
        }
        _ => {
            let rest = &b[i..];
            [
                (&b"null"[..], Value::Null),
                (&b"true"[..], Value::Bool(true)),
                (&b"false"[..], Value::Bool(false)),
            ]
            .into_iter()
            .find(|(word, _)| rest.starts_with(word))
            .map(|(word, v)| (v, i + word.len()))
        }
    }
}

/// The string whose opening quote is at `i`, unescaped, and the index
/// after its closing quote; `None` at a control character, an unknown
/// escape or a `\u` surrogate that is not a well-formed pair.
fn string(line: &str, i: usize) -> Option<(String, usize)> {
    let b = line.as_bytes();
    let start_of_content = i + 1;
    let mut i = i + 1;
    // Sized by what it holds: exactly when it has no escape; else at its
    // first escape for the rest of the line (escapes only shorten), but
    // no more than 4 KiB past twice what it has so far (a short id before
    // a long text must not take the line's length).
    let mut out = String::new();
    loop {
        let from = i;
        i = plain_run_end(b, i);
        // The stops are ASCII: every index they leave is a char boundary.
        if from == start_of_content {
            if b.get(i) == Some(&b'"') {
                return Some((line[from..i].to_owned(), i + 1));
            }
            out.reserve((b.len() - from).min(4096 + 2 * (i - from)));
        }
        out.push_str(&line[from..i]);
        match *b.get(i)? {
            b'"' => return Some((out, i + 1)),
            b'\\' => {}
            _ => return None, // a control character
        }
        let c = match *b.get(i + 1)? {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = hex4(b, i + 2)?;
                i += 4;
                match hi {
                    0xD800..=0xDBFF => {
                        if b.get(i + 2..i + 4)? != b"\\u" {
                            return None;
                        }
                        let lo = hex4(b, i + 4)?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return None;
                        }
                        i += 6;
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))?
                    }
                    0xDC00..=0xDFFF => return None,
                    _ => char::from_u32(hi)?,
                }
            }
            _ => return None,
        };
        out.push(c);
        i += 2;
    }
}

/// The end of the run of plain string bytes from `i`: the first [`STOP`]
/// byte, or the end of `b`. Eight bytes at a time while none of them can
/// be a stop (a word test that may only report a stop too early, never
/// miss one), then byte by byte.
fn plain_run_end(b: &[u8], mut i: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGH != 0;
    while let Some(w) = b.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(w);
        let x = u64::from_le_bytes(word);
        // A byte below 0x20, a quote, a backslash.
        let below = x.wrapping_sub(ONES * 0x20) & !x & HIGH != 0;
        if below
            || has_zero(x ^ (ONES * u64::from(b'"')))
            || has_zero(x ^ (ONES * u64::from(b'\\')))
        {
            break;
        }
        i += 8;
    }
    while i < b.len() && !STOP[usize::from(b[i])] {
        i += 1;
    }
    i
}

/// The bytes that end a run of plain string bytes: the closing quote, an
/// escape, and the control characters JSON forbids inside strings.
const STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut c = 0;
    while c < 0x20 {
        t[c] = true;
        c += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// The four hex digits at `i` as a number.
fn hex4(b: &[u8], i: usize) -> Option<u32> {
    let digits = b.get(i..i + 4)?;
    digits.iter().try_fold(0u32, |n, &d| {
        let v = (d as char).to_digit(16)?;
        Some(n * 16 + v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(line: &str) -> Option<(Option<Value>, Option<Value>)> {
        fields(line, "text", "id").map(|f| (f.text, f.id))
    }

    #[test]
    fn reads_the_flat_shape() {
        assert_eq!(
            get(r#" {"id": 12, "text": "a\"b\\c\/d\n\u00e9\ud83d\ude00", "x": null, "y": true} "#),
            Some((
                Some(Value::from("a\"b\\c/d\né😀")),
                Some(Value::from(12u64))
            ))
        );
        assert_eq!(get("{}"), Some((None, None)));
        assert_eq!(
            get(r#"{"text":"a","text":"b","id":"x"}"#),
            Some((Some(Value::from("b")), Some(Value::from("x"))))
        );
    }

    #[test]
    fn a_short_string_before_a_long_one_holds_only_itself() {
        let line = format!(
            r#"{{"id": "a\nb", "other": "x", "text": "{}"}}"#,
            "y".repeat(100_000)
        );
        let f = fields(&line, "text", "id").expect("flat");
        let Some(Value::String(id)) = f.id else {
            panic!("id")
        };
        assert_eq!(id, "a\nb");
        assert!(id.capacity() <= 4096 + 2, "{}", id.capacity());
        let Some(Value::String(text)) = f.text else {
            panic!("text")
        };
        assert_eq!(text.capacity(), 100_000);
    }

    #[test]
    fn plain_runs_end_at_the_first_stop() {
        for len in 0..24 {
            for stop in [b'"', b'\\', 0x00, 0x1f] {
                for filler in [b'a', 0xff, 0x20, 0x21, 0x5d] {
                    let mut b = vec![filler; len];
                    assert_eq!(plain_run_end(&b, 0), len);
                    for at in 0..len {
                        b[at] = stop;
                        assert_eq!(plain_run_end(&b, 0), at, "{len} {stop} {filler} {at}");
                        b[at] = filler;
                    }
                }
            }
        }
    }

    #[test]
    fn leaves_the_rest_to_serde_json() {
        for line in [
            r#"{"id": -1, "text": "a"}"#,
            r#"{"id": 1.5, "text": "a"}"#,
            r#"{"id": 01, "text": "a"}"#,
            r#"{"id": 99999999999999999999, "text": "a"}"#,
            r#"{"id": [1], "text": "a"}"#,
            r#"{"t\u0065xt": "a"}"#,
            r#"{"text": "\ud83d"}"#,
            r#"{"text": "\ude00"}"#,
            r#"{"text": "\x"}"#,
            "{\"text\": \"a\tb\"}",
            r#"{"text": "a"} x"#,
            r#"{"text": "a",}"#,
            r#"{"text": nul}"#,
            r#"{"text": "a""#,
            r#"["text"]"#,
        ] {
            assert_eq!(get(line), None, "{line}");
        }
    }
}
