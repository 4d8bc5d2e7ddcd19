//! Redaction of one text: detect, decide per finding (operator, quarantine
//! reasons), rewrite, then re-scan the output for residual PII: every
//! finding that does not touch a replacement Veil wrote (values the policy
//! keeps are left in the output, so they count).

use crate::error::Result;
use crate::keys::Key;
use crate::policy::Policy;
use rayon::prelude::*;
use serde::Serialize;
use veil_core::{EntityType, Finding};
use veil_detect::Analyzer;

/// A finding, described without its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Span {
    /// Entity type.
    pub entity: EntityType,
    /// Start byte offset.
    pub start: usize,
    /// End byte offset (exclusive).
    pub end: usize,
    /// Detection score.
    pub score: f32,
}

impl From<&Finding> for Span {
    fn from(f: &Finding) -> Span {
        Span {
            entity: f.entity_type.clone(),
            start: f.start,
            end: f.end,
            score: f.score,
        }
    }
}

/// One rewritten text.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// The redacted text.
    pub text: String,
    /// What was replaced (offsets in the input) and by which operator.
    pub applied: Vec<(Span, &'static str)>,
    /// Findings that meet the quarantine rule (offsets in the input).
    pub quarantine: Vec<Span>,
    /// Findings left in the output (offsets in the output).
    pub residual: Vec<Span>,
    /// For a text joining several ([`Redactor::redact_batch_parts`]): each
    /// one's redacted text, in order (`text` is them joined); empty otherwise.
    pub parts: Vec<String>,
}

/// One text of [`Redactor::redact_batch_parts`]: the text, its record's
/// id, and the parts it joins (`veil_core::io::jsonl::Parts`; empty for
/// one text).
pub type JoinedItem<'a> = (&'a str, &'a str, &'a [(String, usize)]);

/// Applies a policy with one analyzer and key.
pub struct Redactor<'a> {
    analyzer: &'a Analyzer,
    policy: &'a Policy,
    key: Option<&'a Key>,
}

/// Keeps findings that do not overlap an earlier kept one, longest (then highest score) first at each start.
fn non_overlapping(mut f: Vec<Finding>) -> Vec<Finding> {
    f.sort_by(|a, b| {
        a.start
            .cmp(&b.start)
            .then(b.len().cmp(&a.len()))
            .then(b.score.total_cmp(&a.score))
    });
    let mut out: Vec<Finding> = Vec::with_capacity(f.len());
    for x in f {
        if out.last().is_none_or(|l| x.start >= l.end) {
            out.push(x);
        }
    }
    out
}

impl<'a> Redactor<'a> {
    /// A redactor; keyed operators need `key`.
    pub fn new(
        analyzer: &'a Analyzer,
        policy: &'a Policy,
        key: Option<&'a Key>,
    ) -> Result<Redactor<'a>> {
        if policy.needs_key() && key.is_none() {
            return Err(crate::error::RedactError::Key(
                "the policy uses hash, encrypt, pseudonymize or fpe: pass --key-file FILE or set VEIL_KEY (make one with `veil keygen`)".into(),
            ));
        }
        Ok(Redactor {
            analyzer,
            policy,
            key,
        })
    }

    /// The analyzer.
    pub fn analyzer(&self) -> &Analyzer {
        self.analyzer
    }

    /// The findings the policy acts on in `text` (at or above its `min_score`).
    pub fn findings_of(&self, text: &str) -> Vec<Finding> {
        self.acted_on(self.analyzer.analyze(text))
    }

    /// [`Redactor::findings_of`] of many texts, in input order, analysed as
    /// one batch ([`Analyzer::analyze_batch`]).
    pub fn findings_batch(&self, texts: &[&str]) -> Vec<Vec<Finding>> {
        self.analyzer
            .analyze_batch(texts)
            .into_iter()
            .map(|f| self.acted_on(f))
            .collect()
    }

    /// Of `found`, the findings at or above the policy's `min_score`.
    fn acted_on(&self, found: Vec<Finding>) -> Vec<Finding> {
        let min = self.policy.min_score.unwrap_or(0.0);
        found.into_iter().filter(|f| f.score >= min).collect()
    }

    /// Redacts `text`; `record` (the record's id) keys per-record date shifts.
    pub fn redact(&self, text: &str, record: &str) -> Result<Outcome> {
        let rewritten = self.rewrite(text, record, self.findings_of(text))?;
        let residual = self.findings_of(&rewritten.text);
        Ok(rewritten.with_residual(residual))
    }

    /// [`Redactor::redact`] of many (text, record id) pairs, in input order,
    /// each outcome the same as [`Redactor::redact`]'s: the texts and then
    /// their rewrites are analysed as one batch each
    /// ([`Analyzer::analyze_batch`], all cores, stage by stage).
    pub fn redact_batch(&self, items: &[(&str, &str)]) -> Vec<Result<Outcome>> {
        let items: Vec<JoinedItem<'_>> = items.iter().map(|&(t, r)| (t, r, &[][..])).collect();
        self.redact_batch_parts(&items)
    }

    /// [`Redactor::redact_batch`] of (text, record id, parts) triples,
    /// where a text may join several (the matches of a JSONL field pattern
    /// with `*`, [`veil_core::io::jsonl::matched_texts`]): `parts` give
    /// each one's pointer and start, the texts separated by
    /// [`veil_core::io::jsonl::PART_SEPARATOR`] (empty: one text). A
    /// joined text is analysed whole, as `veil scan` reads it; a finding
    /// is cut at the end of the text it starts in, and each text is
    /// rewritten on its own ([`Outcome::parts`]). Offsets of `applied`,
    /// `quarantine` and `residual` are in the joined text and its rewrite.
    pub fn redact_batch_parts(&self, items: &[JoinedItem<'_>]) -> Vec<Result<Outcome>> {
        let texts: Vec<&str> = items.iter().map(|&(t, _, _)| t).collect();
        let found = self.findings_batch(&texts);
        let rewritten: Vec<Result<Rewritten>> = items
            .par_iter()
            .zip(found)
            .map(|(&(text, record, parts), found)| {
                if parts.is_empty() {
                    self.rewrite(text, record, found)
                } else {
                    self.rewrite_parts(text, record, parts, found)
                }
            })
            .collect();
        let outs: Vec<&str> = rewritten
            .iter()
            .map(|r| r.as_ref().map_or("", |r| r.text.as_str()))
            .collect();
        let residuals = self.findings_batch(&outs);
        rewritten
            .into_iter()
            .zip(residuals)
            .map(|(r, residual)| r.map(|r| r.with_residual(residual)))
            .collect()
    }

    /// `text` rewritten by the policy from its findings `found`.
    fn rewrite(&self, text: &str, record: &str, found: Vec<Finding>) -> Result<Rewritten> {
        let found = non_overlapping(found);
        let quarantine = found
            .iter()
            .filter(|f| self.policy.quarantines(&f.entity_type, f.score))
            .map(Span::from)
            .collect();
        let mut out = String::with_capacity(text.len());
        let mut written: Vec<(usize, usize)> = Vec::with_capacity(found.len());
        let mut applied = Vec::with_capacity(found.len());
        let mut at = 0;
        for f in &found {
            out.push_str(&text[at..f.start]);
            let op = self.policy.operator(&f.entity_type);
            let rep = op.apply(&f.entity_type, &text[f.start..f.end], self.key, record)?;
            let s = out.len();
            out.push_str(&rep);
            if !matches!(op, crate::operator::Operator::Keep) {
                written.push((s, out.len()));
            }
            applied.push((Span::from(f), op.name()));
            at = f.end;
        }
        out.push_str(&text[at..]);
        Ok(Rewritten {
            text: out,
            applied,
            quarantine,
            written,
            parts: Vec::new(),
        })
    }

    /// `text`, the texts `parts` start joined by the separator, rewritten
    /// text by text from its findings `found` (each cut at the end of the
    /// text it starts in), and joined again.
    fn rewrite_parts(
        &self,
        text: &str,
        record: &str,
        parts: &[(String, usize)],
        found: Vec<Finding>,
    ) -> Result<Rewritten> {
        use veil_core::io::jsonl::{PART_SEPARATOR as separator, part_of, part_range};
        let bounds: Vec<(usize, usize)> = (0..parts.len())
            .map(|k| part_range(parts, k, text.len()))
            .collect();
        let mut per_part: Vec<Vec<Finding>> = vec![Vec::new(); bounds.len()];
        for mut f in found {
            let k = part_of(parts, f.start);
            let (from, to) = bounds[k];
            // Findings start on a word, never on the separator's newlines.
            if f.start < from || f.start >= to {
                continue;
            }
            f.end = f.end.min(to);
            f.start -= from;
            f.end -= from;
            per_part[k].push(f);
        }
        let shift = |s: Span, by: usize| Span {
            start: s.start + by,
            end: s.end + by,
            ..s
        };
        let mut all = Rewritten {
            text: String::with_capacity(text.len()),
            applied: Vec::new(),
            quarantine: Vec::new(),
            written: Vec::new(),
            parts: Vec::with_capacity(bounds.len()),
        };
        for (k, (&(from, to), found)) in bounds.iter().zip(per_part).enumerate() {
            let r = self.rewrite(&text[from..to], record, found)?;
            if k > 0 {
                all.text.push_str(separator);
            }
            let base = all.text.len();
            all.applied
                .extend(r.applied.into_iter().map(|(s, op)| (shift(s, from), op)));
            all.quarantine
                .extend(r.quarantine.into_iter().map(|s| shift(s, from)));
            all.written
                .extend(r.written.iter().map(|&(s, e)| (s + base, e + base)));
            all.text.push_str(&r.text);
            all.parts.push(r.text);
        }
        Ok(all)
    }
}

/// A text rewritten by the policy, before the residual scan of its output.
struct Rewritten {
    text: String,
    applied: Vec<(Span, &'static str)>,
    quarantine: Vec<Span>,
    /// The output's spans Veil wrote (replacements, not kept values).
    written: Vec<(usize, usize)>,
    /// Each joined text's rewrite ([`Outcome::parts`]).
    parts: Vec<String>,
}

impl Rewritten {
    /// The outcome, given the findings the policy acts on in the output:
    /// those that touch no span Veil wrote are residual.
    fn with_residual(self, found: Vec<Finding>) -> Outcome {
        let written = &self.written;
        let residual = found
            .iter()
            .filter(|r| {
                !written
                    .iter()
                    .any(|&(s, e)| r.start < e.max(s + 1) && s < r.end)
            })
            .map(Span::from)
            .collect();
        Outcome {
            text: self.text,
            applied: self.applied,
            quarantine: self.quarantine,
            residual,
            parts: self.parts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_finding_running_over_the_separator_is_cut_at_its_texts_end() {
        let analyzer = Analyzer::new(veil_detect::AnalyzerConfig {
            names: false,
            ..veil_detect::AnalyzerConfig::default()
        })
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.toml");
        std::fs::write(&path, "").unwrap();
        let policy = Policy::from_file(&path).unwrap();
        let r = Redactor::new(&analyzer, &policy, None).unwrap();
        // "abc" and "def" joined; a finding from "b" into "de".
        let text = "abc\n\ndef";
        let found = vec![Finding {
            entity_type: EntityType::new("PERSON"),
            start: 1,
            end: 7,
            score: 0.9,
            recognizer: "test",
        }];
        let parts = [("/0".to_string(), 0), ("/1".to_string(), 5)];
        let out = r.rewrite_parts(text, "r", &parts, found).unwrap();
        assert_eq!(out.parts, ["a<PERSON>", "def"]);
        assert_eq!(out.text, "a<PERSON>\n\ndef");
        assert_eq!((out.applied[0].0.start, out.applied[0].0.end), (1, 3));
        assert_eq!(out.written, [(1, 9)]);
    }
}
