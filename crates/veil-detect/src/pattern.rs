//! Pattern recognizers: a regular expression proposes candidates, an
//! optional validator accepts or rejects each, and context words near a
//! candidate raise its score.

use crate::context::Context;
use crate::{Candidate, Error};
use regex::Regex;
use std::sync::Arc;
use veil_core::EntityType;

/// Rewrite a pattern so that `\b`, `\d` and `\w` mean their ASCII forms.
/// The lazy DFA of the `regex` crate cannot run Unicode word boundaries on
/// non-ASCII text and falls back to a much slower engine; identifiers are
/// ASCII anyway.
pub fn ascii_pattern(p: &str) -> String {
    let mut out = String::with_capacity(p.len() + 16);
    let mut chars = p.chars().peekable();
    let mut in_class = false;
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('b') if !in_class => out.push_str("(?-u:\\b)"),
                Some('B') if !in_class => out.push_str("(?-u:\\B)"),
                Some('d') => out.push_str(if in_class { "0-9" } else { "[0-9]" }),
                Some('w') => out.push_str(if in_class { "A-Za-z0-9_" } else { "[A-Za-z0-9_]" }),
                Some(o) => {
                    out.push('\\');
                    out.push(o);
                }
                None => out.push('\\'),
            }
            continue;
        }
        if c == '[' && !in_class {
            in_class = true;
        } else if c == ']' && in_class {
            in_class = false;
        }
        out.push(c);
    }
    out
}

/// Compile a pattern with [`ascii_pattern`], naming the recognizer on error.
pub fn compile(name: &str, pattern: &str) -> Result<Regex, Error> {
    regex::RegexBuilder::new(&ascii_pattern(pattern))
        .size_limit(1 << 24)
        .build()
        .map_err(|e| Error::BadPattern {
            recognizer: name.to_string(),
            message: e.to_string(),
        })
}

/// A validator: given the candidate's text, is it well-formed?
pub type ValidatorFn = fn(&str) -> bool;

/// A recognizer defined by a regular expression.
pub struct PatternRecognizer {
    /// Name reported with each finding.
    pub name: Arc<str>,
    /// The entity type it reports.
    pub entity: EntityType,
    /// Candidate pattern. When it has a capture group 1, that group is the span.
    pub regex: Regex,
    /// Score of a candidate with no validator, or one whose validator passed.
    pub score: f32,
    /// Score when a context word stands near the candidate (never lower than `score`).
    pub context_score: f32,
    /// Optional validator; a candidate it rejects is dropped.
    pub validator: Option<ValidatorFn>,
    /// Context words and phrases (lower case).
    pub context: Context,
}

impl PatternRecognizer {
    /// Build a recognizer; the pattern is compiled with ASCII classes.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        name: &str,
        entity: EntityType,
        pattern: &str,
        score: f32,
        context_score: f32,
        validator: Option<ValidatorFn>,
        context: &[&str],
    ) -> Result<Self, Error> {
        Ok(PatternRecognizer {
            name: Arc::from(name),
            entity,
            regex: compile(name, pattern)?,
            score,
            context_score: context_score.max(score),
            validator,
            context: Context::new(context.iter().map(|s| s.to_string())),
        })
    }

    /// Append this recognizer's candidates in `text` to `out`.
    pub fn analyze(&self, text: &str, out: &mut Vec<Candidate>) {
        for caps in self.regex.captures_iter(text) {
            let m = caps.get(1).or_else(|| caps.get(0));
            let Some(m) = m else { continue };
            if m.is_empty() {
                continue;
            }
            let value = m.as_str();
            if let Some(v) = self.validator
                && !v(value)
            {
                continue;
            }
            let score = if self.context_score > self.score && self.context.near(text, m.start(), m.end()) {
                self.context_score
            } else {
                self.score
            };
            out.push(Candidate {
                entity: self.entity.clone(),
                start: m.start(),
                end: m.end(),
                score,
                recognizer: self.name.clone(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_rewrite() {
        assert_eq!(ascii_pattern(r"\b\d[\d ]\w\b"), r"(?-u:\b)[0-9][0-9 ][A-Za-z0-9_](?-u:\b)");
    }

    #[test]
    fn context_raises_score_and_validator_filters() {
        let r = PatternRecognizer::new("t", EntityType::US_SSN, r"\b\d{3}-\d{2}-\d{4}\b", 0.5, 0.9, Some(crate::validators::us_ssn), &["ssn"]).unwrap();
        let mut out = Vec::new();
        r.analyze("my ssn is 514-69-0360, not 666-12-3456", &mut out);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].score, 0.9);
        out.clear();
        r.analyze("number 514-69-0360", &mut out);
        assert_eq!(out[0].score, 0.5);
    }
}
