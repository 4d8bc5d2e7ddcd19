//! Context words: does a word or phrase from a list stand near a span?

/// How many bytes before a candidate the context window reaches.
pub const WINDOW_BEFORE: usize = 64;
/// How many bytes after a candidate the context window reaches.
pub const WINDOW_AFTER: usize = 32;

/// A list of context words or phrases, matched case-insensitively at word
/// starts: `phone` matches "Phone:" and "phones", not "xylophone".
#[derive(Debug, Clone, Default)]
pub struct Context {
    words: Vec<String>,
}

impl Context {
    /// Build from words or phrases (lower-cased here).
    pub fn new(words: impl IntoIterator<Item = String>) -> Self {
        Context {
            words: words
                .into_iter()
                .map(|w| w.to_lowercase())
                .filter(|w| !w.is_empty())
                .collect(),
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Whether a context word appears within the window around `start..end`.
    pub fn near(&self, text: &str, start: usize, end: usize) -> bool {
        if self.words.is_empty() {
            return false;
        }
        let lo = floor_char(text, start.saturating_sub(WINDOW_BEFORE));
        let hi = floor_char(text, (end + WINDOW_AFTER).min(text.len()));
        let before = text[lo..start].to_lowercase();
        let after = text[end..hi].to_lowercase();
        self.words
            .iter()
            .any(|w| has_word_start(&before, w) || has_word_start(&after, w))
    }
}

/// The largest char boundary at or below `i`.
pub fn floor_char(text: &str, mut i: usize) -> usize {
    while i > 0 && !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn has_word_start(hay: &str, w: &str) -> bool {
    let mut from = 0;
    while let Some(pos) = hay[from..].find(w) {
        let at = from + pos;
        let prev_ok = hay[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric());
        if prev_ok {
            return true;
        }
        from = at + w.len();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_word_starts_only() {
        let c = Context::new(["phone".to_string(), "call me at".to_string()]);
        let t = "Phones: 555-0100";
        assert!(c.near(t, 8, t.len()));
        let t = "xylophone 555-0100";
        assert!(!c.near(t, 10, t.len()));
        let t = "please call me at 555-0100";
        assert!(c.near(t, 18, t.len()));
    }
}
