//! The per-record, per-line and per-cell JSONL output lines, written by hand
//! into a byte buffer: on a scan of short records, serde's derived
//! serialisers were most of the output cost. The bytes are exactly those
//! `serde_json` writes for the same shapes (keys in sorted order, numbers
//! and strings as serde_json formats them): property-tested against it.

use serde_json::Value;

/// One finding as the JSONL contracts write it: offsets as the contract
/// counts them, lines only for whole files, the value only with `--show-values`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FindingOut<'a> {
    /// End offset (exclusive).
    pub end: usize,
    /// 1-based line of the last character (whole files only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    /// The entity type's name.
    pub entity_type: &'a str,
    /// The JSON Pointer of the text it is in (records read with a
    /// `--text-field` pattern holding `*` only; offsets are within that text).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
    /// 1-based line of the first character (whole files only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The recognizer that found it.
    pub recognizer: &'a str,
    /// The score, rounded to three decimals.
    pub score: f64,
    /// Start offset.
    pub start: usize,
    /// The matched text (only with `--show-values`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<&'a str>,
}

/// Whether `s` needs no escaping in a JSON string: no byte below 0x20, no
/// quote, no backslash. Eight bytes at a time: a word has a byte below `n`
/// (for `n` up to 0x80) exactly when `(x - n·ONES) & !x & HIGHS` is not
/// zero, and a byte equal to `c` exactly when `x ^ c·ONES` has a zero byte;
/// the bytes after the last full word one by one.
fn plain(s: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u64| x.wrapping_sub(ONES * n) & !x & HIGHS != 0;
    let mut words = s.chunks_exact(8);
    for w in &mut words {
        let x = u64::from_le_bytes([w[0], w[1], w[2], w[3], w[4], w[5], w[6], w[7]]);
        if below(x, 0x20)
            || below(x ^ (ONES * u64::from(b'"')), 1)
            || below(x ^ (ONES * u64::from(b'\\')), 1)
        {
            return false;
        }
    }
    words
        .remainder()
        .iter()
        .all(|&b| b >= 0x20 && b != b'"' && b != b'\\')
}

/// A JSON string as serde_json writes it: as is when nothing needs
/// escaping (no control character, quote or backslash), else by serde_json.
fn string(buf: &mut Vec<u8>, s: &str) {
    if plain(s.as_bytes()) {
        buf.push(b'"');
        buf.extend_from_slice(s.as_bytes());
        buf.push(b'"');
    } else {
        // Writing into a Vec cannot fail, and a &str always serialises.
        let _ = serde_json::to_writer(&mut *buf, s);
    }
}

/// An unsigned integer in decimal (one to three digits, most offsets in
/// short records, pushed digit by digit: a copy of itoa's few bytes was a
/// call to `memcpy`).
fn number(buf: &mut Vec<u8>, n: u64) {
    let digit = |d: u64| b'0' + (d % 10) as u8;
    if n < 10 {
        buf.push(digit(n));
    } else if n < 100 {
        buf.extend_from_slice(&[digit(n / 10), digit(n)]);
    } else if n < 1000 {
        buf.extend_from_slice(&[digit(n / 100), digit(n / 10), digit(n)]);
    } else {
        buf.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
    }
}

/// A score as serde_json writes it. A score rounded to thousandths in
/// [0, 1] (every score Veil reports) is written from its thousandths: the
/// shortest decimal that reads back as that double is its own three
/// decimals with trailing zeros dropped, and at least one digit after the
/// point, as serde_json's float formatting writes it; any other number
/// (and `null` for a non-finite one) by serde_json itself.
fn score(buf: &mut Vec<u8>, x: f64) {
    let k = (x * 1000.0).round();
    if x.is_sign_positive() && k <= 1000.0 && k / 1000.0 == x {
        let k = k as u32;
        buf.push(b'0' + (k / 1000) as u8);
        buf.push(b'.');
        let digits = [k / 100 % 10, k / 10 % 10, k % 10];
        let n = digits.iter().rposition(|&d| d != 0).map_or(1, |i| i + 1);
        buf.extend(digits[..n].iter().map(|&d| b'0' + d as u8));
    } else {
        // Writing into a Vec cannot fail.
        let _ = serde_json::to_writer(&mut *buf, &x);
    }
}

/// A key and its separator: `"key":`, preceded by a comma unless first.
fn key(buf: &mut Vec<u8>, k: &str, first: bool) {
    if !first {
        buf.push(b',');
    }
    buf.push(b'"');
    buf.extend_from_slice(k.as_bytes());
    buf.extend_from_slice(b"\":");
}

/// One finding object. Each key is written with its separators as one
/// constant (`,"score":`): one copy of known length, not four pushes.
fn finding(buf: &mut Vec<u8>, f: &FindingOut<'_>) {
    buf.extend_from_slice(b"{\"end\":");
    number(buf, f.end as u64);
    if let Some(l) = f.end_line {
        buf.extend_from_slice(b",\"end_line\":");
        number(buf, l as u64);
    }
    buf.extend_from_slice(b",\"entity_type\":");
    string(buf, f.entity_type);
    if let Some(p) = f.field {
        buf.extend_from_slice(b",\"field\":");
        string(buf, p);
    }
    if let Some(l) = f.line {
        buf.extend_from_slice(b",\"line\":");
        number(buf, l as u64);
    }
    buf.extend_from_slice(b",\"recognizer\":");
    string(buf, f.recognizer);
    buf.extend_from_slice(b",\"score\":");
    score(buf, f.score);
    buf.extend_from_slice(b",\"start\":");
    number(buf, f.start as u64);
    if let Some(v) = f.value {
        buf.extend_from_slice(b",\"value\":");
        string(buf, v);
    }
    buf.push(b'}');
}

/// The findings array.
fn findings(buf: &mut Vec<u8>, fs: &[FindingOut<'_>]) {
    buf.push(b'[');
    for (i, f) in fs.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        finding(buf, f);
    }
    buf.push(b']');
}

/// One finding of a whole file's line, streamed: the line's opening
/// `{"findings":[` before the first (`open` false), a comma before the others.
pub fn file_finding(buf: &mut Vec<u8>, f: &FindingOut<'_>, open: bool) {
    if open {
        buf.push(b',');
    } else {
        buf.push(b'{');
        key(buf, "findings", true);
        buf.push(b'[');
    }
    finding(buf, f);
}

/// The end of a whole file's line, `],"path":...}`, with its newline; with
/// [`file_finding`] the line is `{"findings":[...],"path":...}`.
pub fn file_end(buf: &mut Vec<u8>, path: &str) {
    buf.push(b']');
    key(buf, "path", false);
    string(buf, path);
    buf.extend_from_slice(b"}\n");
}

/// A record's line, `{"findings":[...],"id":...}`, with its newline.
pub fn record(buf: &mut Vec<u8>, fs: &[FindingOut<'_>], id: &Value) {
    buf.push(b'{');
    key(buf, "findings", true);
    findings(buf, fs);
    key(buf, "id", false);
    let _ = serde_json::to_writer(&mut *buf, id);
    buf.extend_from_slice(b"}\n");
}

/// A text line's line, `{"findings":[...],"line":N,"path":...}`, with its newline.
pub fn line(buf: &mut Vec<u8>, fs: &[FindingOut<'_>], line: u64, path: &str) {
    buf.push(b'{');
    key(buf, "findings", true);
    findings(buf, fs);
    key(buf, "line", false);
    number(buf, line);
    key(buf, "path", false);
    string(buf, path);
    buf.extend_from_slice(b"}\n");
}

/// A table cell's line, `{"column":...,"findings":[...],"path":...,"row":N}`
/// with its newline, up to its row number (a worker writes it; the
/// writing thread, which knows the rows before, ends it with
/// [`cell_tail`]).
pub fn cell_head(buf: &mut Vec<u8>, column: &str, fs: &[FindingOut<'_>], path: &str) {
    buf.push(b'{');
    key(buf, "column", true);
    string(buf, column);
    key(buf, "findings", false);
    findings(buf, fs);
    key(buf, "path", false);
    string(buf, path);
    key(buf, "row", false);
}

/// The end of a [`cell_head`]: the row number, `}` and the newline.
pub fn cell_tail(buf: &mut Vec<u8>, row: u64) {
    number(buf, row);
    buf.extend_from_slice(b"}\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The shapes as serde would derive them: the reference.
    #[derive(serde::Serialize)]
    struct RecordOut<'a> {
        findings: &'a [FindingOut<'a>],
        id: &'a Value,
    }
    #[derive(serde::Serialize)]
    struct LineOut<'a> {
        findings: &'a [FindingOut<'a>],
        line: u64,
        path: &'a str,
    }
    #[derive(serde::Serialize)]
    struct CellOut<'a> {
        column: &'a str,
        findings: &'a [FindingOut<'a>],
        path: &'a str,
        row: u64,
    }

    fn by_serde<T: serde::Serialize>(v: &T) -> Vec<u8> {
        let mut out = serde_json::to_vec(v).unwrap();
        out.push(b'\n');
        out
    }

    type Raw = (
        usize,
        Option<usize>,
        String,
        Option<usize>,
        String,
        f64,
        usize,
        Option<String>,
        Option<String>,
    );

    fn raw() -> impl Strategy<Value = Raw> {
        let offset = || prop_oneof![0usize..2000, any::<usize>()];
        (
            offset(),
            proptest::option::of(offset()),
            "[A-Z_]{1,12}|\\PC{0,6}",
            proptest::option::of(offset()),
            "[a-z_]{1,10}|.{0,8}",
            prop_oneof![
                (0u32..=1000).prop_map(|k| f64::from(k) / 1000.0),
                any::<f64>()
            ],
            offset(),
            proptest::option::of("\\PC{0,8}|[\"\\\\\n\t\u{0}\u{1f}\u{7f}é€]{0,4}"),
            proptest::option::of("/[a-z0-9*~/]{0,12}|\\PC{0,4}"),
        )
    }

    fn view(r: &Raw) -> FindingOut<'_> {
        FindingOut {
            end: r.0,
            end_line: r.1,
            entity_type: &r.2,
            field: r.8.as_deref(),
            line: r.3,
            recognizer: &r.4,
            score: r.5,
            start: r.6,
            value: r.7.as_deref(),
        }
    }

    /// Every score Veil can report, written as serde_json writes it.
    #[test]
    fn every_thousandth_as_serde_json() {
        for k in 0u32..=1000 {
            let x = f64::from(k) / 1000.0;
            let mut buf = Vec::new();
            score(&mut buf, x);
            assert_eq!(buf, serde_json::to_vec(&x).unwrap(), "{x}");
        }
        for x in [-0.0, 1.5, 0.0005, 1e-7, f64::NAN, f64::INFINITY, 0.1 + 0.2] {
            let mut buf = Vec::new();
            score(&mut buf, x);
            assert_eq!(buf, serde_json::to_vec(&x).unwrap(), "{x}");
        }
    }

    /// Every number up to 10,000 and the extremes, as itoa writes them.
    #[test]
    fn numbers_as_itoa_writes_them() {
        for n in (0..=10_000).chain([u64::MAX, u64::MAX - 1, 1 << 40]) {
            let mut buf = Vec::new();
            number(&mut buf, n);
            assert_eq!(buf, n.to_string().as_bytes());
        }
    }

    proptest! {
        /// The word-at-a-time test answers as the byte-by-byte one, on
        /// strings of every length around the word size, of bytes either
        /// side of each boundary (0x1f/0x20, the quote, the backslash, the
        /// high bytes of UTF-8).
        #[test]
        fn plain_as_byte_by_byte(
            before in "[ !#a~\\]^\u{7f}é€\u{10000}]{0,20}",
            odd in proptest::option::of("[\u{0}\u{1f}\"\\\\]"),
            after in "[ !#a~\\]^\u{7f}é€\u{10000}]{0,20}",
        ) {
            let s = format!("{before}{}{after}", odd.unwrap_or_default());
            let bytes = s.as_bytes();
            prop_assert_eq!(plain(bytes), bytes.iter().all(|&b| b >= 0x20 && b != b'"' && b != b'\\'));
        }

        #[test]
        fn same_bytes_as_serde_json(
            raws in proptest::collection::vec(raw(), 0..4),
            id_num in any::<i64>(),
            id_text in ".{0,6}",
            text_id in any::<bool>(),
            path in ".{0,10}",
            n in any::<u64>(),
        ) {
            let fs: Vec<FindingOut<'_>> = raws.iter().map(view).collect();
            let id = if text_id { Value::from(id_text.clone()) } else { Value::from(id_num) };
            let mut buf = Vec::new();
            record(&mut buf, &fs, &id);
            prop_assert_eq!(&buf, &by_serde(&RecordOut { findings: &fs, id: &id }));
            buf.clear();
            line(&mut buf, &fs, n, &path);
            prop_assert_eq!(&buf, &by_serde(&LineOut { findings: &fs, line: n, path: &path }));
            buf.clear();
            for (i, f) in fs.iter().enumerate() {
                file_finding(&mut buf, f, i > 0);
            }
            if !fs.is_empty() {
                file_end(&mut buf, &path);
                let values: Vec<Value> = fs.iter().map(|f| serde_json::to_value(f).unwrap()).collect();
                let mut want = serde_json::to_vec(&serde_json::json!({"path": path, "findings": values})).unwrap();
                want.push(b'\n');
                prop_assert_eq!(&buf, &want);
            }
            buf.clear();
            cell_head(&mut buf, &id_text, &fs, &path);
            cell_tail(&mut buf, n);
            prop_assert_eq!(
                &buf,
                &by_serde(&CellOut { column: &id_text, findings: &fs, path: &path, row: n })
            );
        }
    }

    #[test]
    fn a_record_line() {
        let f = FindingOut {
            end: 14,
            end_line: None,
            entity_type: "PERSON",
            field: None,
            line: None,
            recognizer: "person_gazetteer",
            score: 0.9,
            start: 4,
            value: Some("Jo \"Q\""),
        };
        let mut buf = Vec::new();
        record(&mut buf, std::slice::from_ref(&f), &Value::from(7));
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "{\"findings\":[{\"end\":14,\"entity_type\":\"PERSON\",\"recognizer\":\"person_gazetteer\",\"score\":0.9,\"start\":4,\"value\":\"Jo \\\"Q\\\"\"}],\"id\":7}\n"
        );
        // A text matched by a field pattern names its pointer.
        let f = FindingOut {
            field: Some("/messages/1/content"),
            value: None,
            ..f
        };
        let mut buf = Vec::new();
        record(&mut buf, &[f], &Value::from(7));
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "{\"findings\":[{\"end\":14,\"entity_type\":\"PERSON\",\"field\":\"/messages/1/content\",\"recognizer\":\"person_gazetteer\",\"score\":0.9,\"start\":4}],\"id\":7}\n"
        );
    }
}
