//! Structured mode: classify table columns from sampled values, the way
//! Presidio-structured and Macie do ("column `contact` is EMAIL_ADDRESS
//! (98% of 1,000 sampled values)").
//!
//! A sampled value counts for an entity type when findings of that type
//! cover at least half of its non-space characters. The sample is the first
//! [`DEFAULT_SAMPLE`] non-empty values of the column (deterministic).

use serde::Serialize;
use std::collections::BTreeMap;
use veil_core::{EntityType, Finding};

/// Values sampled per column by default.
pub const DEFAULT_SAMPLE: usize = 1000;
/// Share of matching values from which a column is classified.
pub const DEFAULT_MIN_SHARE: f64 = 0.5;

/// Running tally for one column.
#[derive(Debug, Clone, Default)]
pub struct ColumnProfile {
    sampled: usize,
    limit: usize,
    matches: BTreeMap<EntityType, (usize, f64)>,
}

/// A column's classification.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ColumnClass {
    /// Entity type the column holds.
    pub entity_type: EntityType,
    /// Share of sampled values that are of this type, in [0, 1].
    pub share: f64,
    /// Values sampled.
    pub sampled: usize,
    /// `share` × mean score of the matching values.
    pub confidence: f64,
}

impl ColumnProfile {
    /// A profile sampling at most `limit` values.
    pub fn new(limit: usize) -> Self {
        ColumnProfile {
            limit,
            ..Default::default()
        }
    }

    /// Whether the sample is complete.
    pub fn full(&self) -> bool {
        self.sampled >= self.limit
    }

    /// Record one value and the findings in it.
    pub fn observe(&mut self, value: &str, findings: &[Finding]) {
        if self.full() || value.trim().is_empty() {
            return;
        }
        self.sampled += 1;
        let total = value.chars().filter(|c| !c.is_whitespace()).count().max(1);
        let mut covered: BTreeMap<&EntityType, (usize, f32)> = BTreeMap::new();
        for f in findings {
            let n = value
                .get(f.start..f.end)
                .map_or(0, |s| s.chars().filter(|c| !c.is_whitespace()).count());
            let e = covered.entry(&f.entity_type).or_default();
            e.0 += n;
            e.1 = e.1.max(f.score);
        }
        for (e, (n, score)) in covered {
            if n * 2 >= total {
                let m = self.matches.entry(e.clone()).or_default();
                m.0 += 1;
                m.1 += score as f64;
            }
        }
    }

    /// The best entity type if at least `min_share` of the sample matches it.
    pub fn classify(&self, min_share: f64) -> Option<ColumnClass> {
        if self.sampled == 0 {
            return None;
        }
        let (e, (n, score_sum)) = self.matches.iter().max_by_key(|(_, (n, _))| *n)?;
        let share = *n as f64 / self.sampled as f64;
        (share >= min_share).then(|| ColumnClass {
            entity_type: e.clone(),
            share,
            sampled: self.sampled,
            confidence: share * (score_sum / *n as f64),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_by_share() {
        let mut p = ColumnProfile::new(10);
        let f = |s, e| Finding {
            entity_type: EntityType::EMAIL_ADDRESS,
            start: s,
            end: e,
            score: 1.0,
            recognizer: "t",
        };
        for _ in 0..9 {
            p.observe("a@b.org", &[f(0, 7)]);
        }
        p.observe("n/a", &[]);
        p.observe("a@b.org", &[f(0, 7)]); // over the sample limit
        let c = p.classify(0.5).unwrap();
        assert_eq!(c.entity_type, EntityType::EMAIL_ADDRESS);
        assert_eq!(c.sampled, 10);
        assert!((c.share - 0.9).abs() < 1e-9);
        let mut q = ColumnProfile::new(10);
        q.observe(
            "write to a@b.org about the refund we discussed",
            &[f(9, 16)],
        );
        assert!(q.classify(0.5).is_none());
    }
}
