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
}

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
        let texts: Vec<&str> = items.iter().map(|&(t, _)| t).collect();
        let found = self.findings_batch(&texts);
        let rewritten: Vec<Result<Rewritten>> = items
            .par_iter()
            .zip(found)
            .map(|(&(text, record), found)| self.rewrite(text, record, found))
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
        })
    }
}

/// A text rewritten by the policy, before the residual scan of its output.
struct Rewritten {
    text: String,
    applied: Vec<(Span, &'static str)>,
    quarantine: Vec<Span>,
    /// The output's spans Veil wrote (replacements, not kept values).
    written: Vec<(usize, usize)>,
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
        }
    }
}
