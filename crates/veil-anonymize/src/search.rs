//! Optimal full-domain generalisation: every quasi-identifier is generalised
//! to one level of its hierarchy (a node of the generalisation lattice), rows
//! in classes that break the privacy model are suppressed up to a limit, and
//! the node with the least information loss wins.
//!
//! The search is exact and prunes with two monotone facts. (1) If a node is
//! not anonymous, no node below it is (k-anonymity and distinct/entropy
//! l-diversity with suppression are monotone under generalisation), so those
//! nodes are never evaluated. (2) A node's loss with suppression is at least
//! its loss without suppression (a suppressed cell costs 1, the most any
//! generalised cell costs), which is a separable lower bound computed without
//! touching the rows; nodes are visited by increasing bound and the search
//! stops once the bound reaches the best loss found. With t-closeness, which
//! is not monotone, rule (1) is off and every node under the bound is checked.

use crate::error::{AnonymizeError, Result};
use crate::hierarchy::Hierarchy;
use crate::risk::{Classes, class_distributions, classes, distinct, emd, entropy_l};
use serde::Serialize;

/// The sensitive attribute, encoded.
#[derive(Clone, Debug)]
pub struct Sensitive {
    /// Column name.
    pub column: String,
    /// Value id per row.
    pub values: Vec<u32>,
    /// Number of distinct values.
    pub m: usize,
    /// Whether ids follow the values' order (ordered EMD for t-closeness).
    pub ordered: bool,
}

/// A table reduced to what the search needs.
#[derive(Clone, Debug)]
pub struct Problem {
    /// One hierarchy per quasi-identifier.
    pub hierarchies: Vec<Hierarchy>,
    /// `codes[q][row]`: original value id of quasi-identifier q.
    pub codes: Vec<Vec<u32>>,
    /// The sensitive attribute, if any.
    pub sensitive: Option<Sensitive>,
}

/// Which l-diversity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LKind {
    /// At least l distinct sensitive values per class.
    Distinct,
    /// exp(entropy) of the sensitive values at least l per class.
    Entropy,
}

/// The privacy model a node must satisfy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PrivacyModel {
    /// Minimum class size.
    pub k: u32,
    /// l-diversity on the sensitive attribute.
    pub l: Option<(LKind, f64)>,
    /// t-closeness bound on the sensitive attribute.
    pub t: Option<f64>,
    /// Largest share of rows that may be suppressed.
    pub suppression_limit: f64,
}

/// A node evaluated on the rows.
#[derive(Clone, Debug)]
pub struct NodeEval {
    /// Level per quasi-identifier.
    pub levels: Vec<usize>,
    /// Classes of all rows at this node.
    pub classes: Classes,
    /// Whether each class is kept (meets the model).
    pub class_kept: Vec<bool>,
    /// Rows suppressed.
    pub suppressed: usize,
    /// Whether the node meets the model within the suppression limit.
    pub anonymous: bool,
}

impl NodeEval {
    /// Whether row `r` survives suppression.
    pub fn kept(&self, r: usize) -> bool {
        self.class_kept[self.classes.of_row[r] as usize]
    }

    /// Sizes of the kept classes.
    pub fn kept_sizes(&self) -> Vec<u32> {
        self.classes
            .sizes
            .iter()
            .zip(&self.class_kept)
            .filter(|(_, k)| **k)
            .map(|(s, _)| *s)
            .collect()
    }
}

/// Information loss of a solution.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Loss {
    /// Normalised certainty penalty, averaged over cells; suppressed rows cost 1 per cell.
    pub ncp: f64,
    /// Mean over quasi-identifiers of level / height (full-domain only).
    pub generalisation_intensity: Option<f64>,
    /// Σ|E|² over kept classes + suppressed × rows.
    pub discernibility: f64,
    /// (kept rows / classes) / k.
    pub average_class_size_ratio: f64,
}

impl Problem {
    /// Rows in the table.
    pub fn rows(&self) -> usize {
        self.codes.first().map_or(0, Vec::len)
    }

    fn keys(&self, levels: &[usize]) -> Result<Vec<u64>> {
        let n = self.rows();
        let mut keys = vec![0u64; n];
        let mut stride: u64 = 1;
        for (q, h) in self.hierarchies.iter().enumerate() {
            let level = &h.levels[levels[q]];
            let width = level.labels.len() as u64;
            for (k, &v) in keys.iter_mut().zip(&self.codes[q]) {
                *k += u64::from(level.map[v as usize]) * stride;
            }
            stride = stride.checked_mul(width.max(1)).ok_or_else(|| {
                AnonymizeError::Infeasible(
                    "too many distinct quasi-identifier combinations for a 64-bit key".into(),
                )
            })?;
        }
        Ok(keys)
    }

    /// Evaluates `levels` against `model`.
    pub fn evaluate(&self, levels: &[usize], model: &PrivacyModel) -> Result<NodeEval> {
        let cls = classes(self.keys(levels)?.into_iter());
        let mut kept: Vec<bool> = cls.sizes.iter().map(|&s| s >= model.k).collect();
        if let Some(s) = &self.sensitive
            && (model.l.is_some() || model.t.is_some())
        {
            let d = class_distributions(&cls.of_row, cls.sizes.len(), &s.values, s.m);
            let overall = overall_distribution(&s.values, s.m);
            for (c, counts) in d.iter().enumerate() {
                let ok_l = match model.l {
                    Some((LKind::Distinct, l)) => distinct(counts) as f64 >= l,
                    Some((LKind::Entropy, l)) => entropy_l(counts) >= l * (1.0 - 1e-12),
                    None => true,
                };
                let ok_t = model
                    .t
                    .is_none_or(|t| emd(counts, &overall, s.ordered) <= t);
                kept[c] = kept[c] && ok_l && ok_t;
            }
        }
        let suppressed: usize = cls
            .sizes
            .iter()
            .zip(&kept)
            .filter(|(_, k)| !**k)
            .map(|(s, _)| *s as usize)
            .sum();
        let limit = (model.suppression_limit * self.rows() as f64).floor() as usize;
        Ok(NodeEval {
            levels: levels.to_vec(),
            anonymous: suppressed <= limit,
            classes: cls,
            class_kept: kept,
            suppressed,
        })
    }

    /// Mean cell loss of quasi-identifier q at `level` over all rows.
    fn mean_loss(&self, q: usize, level: usize) -> f64 {
        let l = &self.hierarchies[q].levels[level];
        let codes = &self.codes[q];
        codes
            .iter()
            .map(|&v| l.loss[l.map[v as usize] as usize])
            .sum::<f64>()
            / codes.len().max(1) as f64
    }

    /// Loss of an evaluated node.
    pub fn loss(&self, e: &NodeEval, model: &PrivacyModel) -> Loss {
        let n = self.rows();
        let m = self.hierarchies.len();
        let mut cell_loss = 0.0;
        for (q, h) in self.hierarchies.iter().enumerate() {
            let l = &h.levels[e.levels[q]];
            for (r, &v) in self.codes[q].iter().enumerate() {
                cell_loss += if e.kept(r) {
                    l.loss[l.map[v as usize] as usize]
                } else {
                    1.0
                };
            }
        }
        let kept = e.kept_sizes();
        let kept_rows: usize = kept.iter().map(|&s| s as usize).sum();
        Loss {
            ncp: cell_loss / (n * m).max(1) as f64,
            generalisation_intensity: Some(
                self.hierarchies
                    .iter()
                    .zip(&e.levels)
                    .map(|(h, &l)| l as f64 / h.height().max(1) as f64)
                    .sum::<f64>()
                    / m.max(1) as f64,
            ),
            discernibility: kept
                .iter()
                .map(|&s| f64::from(s) * f64::from(s))
                .sum::<f64>()
                + (e.suppressed as f64) * n as f64,
            average_class_size_ratio: if kept.is_empty() {
                0.0
            } else {
                kept_rows as f64 / kept.len() as f64 / f64::from(model.k.max(1))
            },
        }
    }
}

fn overall_distribution(values: &[u32], m: usize) -> Vec<f64> {
    let n = values.len().max(1) as f64;
    let mut o = vec![0.0; m];
    for &v in values {
        o[v as usize] += 1.0 / n;
    }
    o
}

/// The best node and how the search went.
#[derive(Clone, Debug)]
pub struct Solution {
    /// The winning node.
    pub eval: NodeEval,
    /// Its loss.
    pub loss: Loss,
    /// Nodes in the lattice.
    pub nodes_total: usize,
    /// Nodes evaluated on the rows.
    pub nodes_evaluated: usize,
}

/// The largest lattice the full-domain search accepts.
pub const MAX_NODES: usize = 5_000_000;

/// Finds the full-domain generalisation with the least NCP that meets `model`.
pub fn full_domain(p: &Problem, model: &PrivacyModel) -> Result<Solution> {
    let heights: Vec<usize> = p.hierarchies.iter().map(Hierarchy::height).collect();
    let total = heights
        .iter()
        .try_fold(1usize, |a, &h| a.checked_mul(h + 1))
        .filter(|&t| t <= MAX_NODES)
        .ok_or_else(|| AnonymizeError::Infeasible(format!("the generalisation lattice has more than {MAX_NODES} nodes: use fewer quasi-identifiers or shallower hierarchies")))?;
    // separable lower bound per (q, level)
    let m = heights.len().max(1) as f64;
    let bound_parts: Vec<Vec<f64>> = (0..heights.len())
        .map(|q| (0..=heights[q]).map(|l| p.mean_loss(q, l) / m).collect())
        .collect();
    let mut nodes: Vec<(f64, Vec<usize>)> = Vec::with_capacity(total);
    let mut levels = vec![0usize; heights.len()];
    loop {
        let b: f64 = levels
            .iter()
            .enumerate()
            .map(|(q, &l)| bound_parts[q][l])
            .sum();
        nodes.push((b, levels.clone()));
        // odometer
        let mut q = 0;
        while q < levels.len() {
            if levels[q] < heights[q] {
                levels[q] += 1;
                break;
            }
            levels[q] = 0;
            q += 1;
        }
        if q == levels.len() {
            break;
        }
    }
    nodes.sort_by(|a, b| a.0.total_cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    let monotone = model.t.is_none();
    let mut not_anonymous: Vec<Vec<usize>> = Vec::new();
    let mut best: Option<(NodeEval, Loss)> = None;
    let mut evaluated = 0;
    for (bound, node) in &nodes {
        if let Some((_, l)) = &best
            && *bound >= l.ncp
        {
            break;
        }
        if monotone
            && not_anonymous
                .iter()
                .any(|na| node.iter().zip(na).all(|(a, b)| a <= b))
        {
            continue;
        }
        let e = p.evaluate(node, model)?;
        evaluated += 1;
        if !e.anonymous {
            if monotone {
                not_anonymous.retain(|na| !na.iter().zip(node).all(|(a, b)| a <= b));
                not_anonymous.push(node.clone());
            }
            continue;
        }
        let loss = p.loss(&e, model);
        if best.as_ref().is_none_or(|(_, l)| loss.ncp < l.ncp) {
            best = Some((e, loss));
        }
    }
    let (eval, loss) = best.ok_or_else(|| {
        AnonymizeError::Infeasible(format!(
            "no generalisation meets k = {}{}{} with at most {:.1}% of rows suppressed: raise the suppression limit or relax the model",
            model.k,
            model.l.map_or(String::new(), |(_, l)| format!(", l = {l}")),
            model.t.map_or(String::new(), |t| format!(", t = {t}")),
            model.suppression_limit * 100.0
        ))
    })?;
    Ok(Solution {
        eval,
        loss,
        nodes_total: total,
        nodes_evaluated: evaluated,
    })
}
