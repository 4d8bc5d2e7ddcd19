//! A finding: one detected entity in one piece of text.

use crate::EntityType;
use serde::Serialize;

/// One detected entity: where it is (byte offsets into the analysed text),
/// what it is, how sure the recognizer is, and which recognizer found it.
///
/// A finding never holds the matched value; callers that are allowed to show
/// it (`--show-values`) slice it out of the text themselves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Finding {
    /// The entity type.
    pub entity_type: EntityType,
    /// Start byte offset (inclusive), on a UTF-8 character boundary.
    pub start: usize,
    /// End byte offset (exclusive), on a UTF-8 character boundary.
    pub end: usize,
    /// Confidence in [0, 1].
    pub score: f32,
    /// Name of the recognizer that produced the finding ([`crate::intern`]ed:
    /// copied without touching memory other threads write).
    pub recognizer: &'static str,
}

impl Finding {
    /// Length of the span in bytes.
    pub fn len(&self) -> usize {
        self.end - self.start
    }

    /// Whether the span is empty (never true for findings an engine returns).
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }

    /// Whether two findings share at least one byte.
    pub fn overlaps(&self, other: &Finding) -> bool {
        self.start < other.end && other.start < self.end
    }
}
