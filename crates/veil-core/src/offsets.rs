//! Conversions between byte offsets (used inside Veil) and Unicode code
//! point offsets or 1-based line numbers (used at the JSON edge).

/// Maps byte offsets of one text to code-point offsets and line numbers.
///
/// Build once per text, then convert many offsets in O(log n) each.
pub struct OffsetMap<'a> {
    text: &'a str,
    /// Byte offsets where each line starts (found at the first `line` call:
    /// records ask only for code points).
    line_starts: std::cell::OnceCell<Vec<usize>>,
    ascii: bool,
    /// The last byte offset converted and its code-point offset: a later
    /// offset is counted on from there (findings come in text order, so a
    /// record's offsets cost one pass over its text, not one each).
    cursor: std::cell::Cell<(usize, usize)>,
}

impl<'a> OffsetMap<'a> {
    /// Index `text`.
    pub fn new(text: &'a str) -> Self {
        OffsetMap {
            text,
            line_starts: std::cell::OnceCell::new(),
            ascii: text.is_ascii(),
            cursor: std::cell::Cell::new((0, 0)),
        }
    }

    /// The code-point offset of a byte offset that lies on a char boundary
    /// (as [`byte_to_char`] gives it, in whatever order offsets are asked
    /// for; ascending ones are counted on from the last).
    pub fn char_offset(&self, byte: usize) -> usize {
        if self.ascii {
            return byte;
        }
        let byte = byte.min(self.text.len());
        let (from, chars) = match self.cursor.get() {
            (at, n) if at <= byte => (at, n),
            _ => (0, 0),
        };
        let n = chars + char_starts(&self.text.as_bytes()[from..byte]);
        self.cursor.set((byte, n));
        n
    }

    /// The 1-based line number holding the byte at `byte`.
    pub fn line(&self, byte: usize) -> usize {
        let line_starts = self.line_starts.get_or_init(|| {
            let mut starts = vec![0];
            starts.extend(memchr_iter(b'\n', self.text.as_bytes()).map(|i| i + 1));
            starts
        });
        match line_starts.binary_search(&byte) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }
}

fn memchr_iter(needle: u8, haystack: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memchr_iter(needle, haystack)
}

/// The code-point offset of byte offset `byte` in `text` (counts the chars
/// that start before `byte`).
pub fn byte_to_char(text: &str, byte: usize) -> usize {
    let end = byte.min(text.len());
    char_starts(&text.as_bytes()[..end])
}

/// How many characters start in `b` (the bytes that are no UTF-8
/// continuation byte).
fn char_starts(b: &[u8]) -> usize {
    b.iter().filter(|b| (**b as i8) >= -0x40).count()
}

/// The byte offset of code-point offset `ch` in `text`; `text.len()` when
/// `ch` is at or past the end.
pub fn char_to_byte(text: &str, ch: usize) -> usize {
    text.char_indices()
        .nth(ch)
        .map(|(b, _)| b)
        .unwrap_or(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn converts_non_ascii() {
        let t = "Krisztián Szöllösy\nok";
        let m = OffsetMap::new(t);
        let b = t.find("Sz").unwrap();
        assert_eq!(m.char_offset(b), 10);
        assert_eq!(m.line(b), 1);
        assert_eq!(m.line(t.find("ok").unwrap()), 2);
    }

    proptest! {
        #[test]
        fn char_byte_roundtrip(s in "\\PC{0,40}", k in 0usize..50) {
            let k = k.min(s.chars().count());
            let b = char_to_byte(&s, k);
            prop_assert_eq!(byte_to_char(&s, b), k);
            prop_assert_eq!(OffsetMap::new(&s).char_offset(b), k);
        }

        /// One map answers every offset as `byte_to_char` does, asked in
        /// any order (ascending ones counted on from the last).
        #[test]
        fn offsets_in_any_order(s in "(a|é|😀|\\n|ж){0,30}", ks in prop::collection::vec(0usize..40, 0..12)) {
            let m = OffsetMap::new(&s);
            for k in ks {
                let b = char_to_byte(&s, k);
                prop_assert_eq!(m.char_offset(b), byte_to_char(&s, b));
            }
        }
    }
}
