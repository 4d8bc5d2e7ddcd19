//! Mondrian multidimensional partitioning (LeFevre, DeWitt, Ramakrishnan
//! 2006), strict: the rows are split recursively at the median of the
//! quasi-identifier with the widest normalised spread, as long as both halves
//! still meet the privacy model; each final partition becomes one
//! equivalence class. Numeric quasi-identifiers are released as the
//! partition's `[min, max]`; categorical ones as the lowest level of their
//! hierarchy at which the partition's values share one label, so values stay
//! readable. No row is suppressed.

use crate::error::{AnonymizeError, Result};
use crate::hierarchy::num as fmt;
use crate::search::{LKind, PrivacyModel, Problem};

/// A Mondrian result: one class per partition.
#[derive(Clone, Debug)]
pub struct Partitioning {
    /// Partition index of each row.
    pub of_row: Vec<u32>,
    /// `labels[p][q]`: released value of quasi-identifier q in partition p.
    pub labels: Vec<Vec<String>>,
    /// `loss[p][q]`: NCP of that value.
    pub loss: Vec<Vec<f64>>,
    /// Rows per partition.
    pub sizes: Vec<u32>,
}

impl Partitioning {
    /// Mean NCP over all cells.
    pub fn ncp(&self) -> f64 {
        let n: f64 = self.sizes.iter().map(|&s| f64::from(s)).sum();
        let m = self.loss.first().map_or(1, Vec::len).max(1) as f64;
        self.loss
            .iter()
            .zip(&self.sizes)
            .map(|(l, &s)| l.iter().sum::<f64>() * f64::from(s))
            .sum::<f64>()
            / (n * m).max(1.0)
    }
}

/// Per quasi-identifier: each original value id's rank in the dimension's order.
fn ranks(p: &Problem, numeric: &[Option<Vec<f64>>]) -> Vec<Vec<u32>> {
    p.hierarchies
        .iter()
        .enumerate()
        .map(|(q, h)| {
            let nv = h.levels[0].labels.len();
            let mut order: Vec<usize> = (0..nv).collect();
            match &numeric[q] {
                Some(x) => order.sort_by(|&a, &b| x[a].total_cmp(&x[b])),
                // siblings adjacent: sort by the path from the top of the hierarchy down
                None => order.sort_by(|&a, &b| {
                    h.levels
                        .iter()
                        .rev()
                        .map(|l| l.labels[l.map[a] as usize].as_str())
                        .cmp(
                            h.levels
                                .iter()
                                .rev()
                                .map(|l| l.labels[l.map[b] as usize].as_str()),
                        )
                }),
            }
            let mut rank = vec![0u32; nv];
            for (r, &v) in order.iter().enumerate() {
                rank[v] = r as u32;
            }
            rank
        })
        .collect()
}

fn allowed(p: &Problem, model: &PrivacyModel, rows: &[usize]) -> bool {
    if (rows.len() as u64) < u64::from(model.k) {
        return false;
    }
    match (&p.sensitive, model.l) {
        (Some(s), Some((kind, l))) => {
            let mut counts = vec![0u32; s.m];
            for &r in rows {
                counts[s.values[r] as usize] += 1;
            }
            match kind {
                LKind::Distinct => crate::risk::distinct(&counts) as f64 >= l,
                LKind::Entropy => crate::risk::entropy_l(&counts) >= l * (1.0 - 1e-12),
            }
        }
        _ => true,
    }
}

/// Partitions the table; `numeric[q]` holds the numbers of q's values when q is numeric.
pub fn mondrian(
    p: &Problem,
    model: &PrivacyModel,
    numeric: &[Option<Vec<f64>>],
) -> Result<Partitioning> {
    if model.t.is_some() {
        return Err(AnonymizeError::Infeasible(
            "Mondrian supports k and l; use the full-domain search for t-closeness".into(),
        ));
    }
    let n = p.rows();
    let all: Vec<usize> = (0..n).collect();
    if !allowed(p, model, &all) {
        return Err(AnonymizeError::Infeasible(format!(
            "the whole table ({n} rows) does not meet k = {}{}",
            model.k,
            model.l.map_or(String::new(), |(_, l)| format!(", l = {l}"))
        )));
    }
    let rank = ranks(p, numeric);
    let span: Vec<f64> = rank
        .iter()
        .map(|r| r.len().saturating_sub(1).max(1) as f64)
        .collect();
    let mut leaves: Vec<Vec<usize>> = Vec::new();
    let mut stack = vec![all];
    while let Some(mut part) = stack.pop() {
        // dimensions by decreasing normalised width
        let mut dims: Vec<(f64, usize)> = (0..rank.len())
            .map(|q| {
                let (lo, hi) = part.iter().fold((u32::MAX, 0u32), |(a, b), &r| {
                    let x = rank[q][p.codes[q][r] as usize];
                    (a.min(x), b.max(x))
                });
                (f64::from(hi.saturating_sub(lo)) / span[q], q)
            })
            .collect();
        dims.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut split = None;
        for &(w, q) in &dims {
            if w == 0.0 {
                break;
            }
            part.sort_unstable_by_key(|&r| rank[q][p.codes[q][r] as usize]);
            let key = |r: usize| rank[q][p.codes[q][r] as usize];
            let median = key(part[part.len() / 2]);
            // left: values < median, unless that is empty: then values <= median
            let mut cut = part.partition_point(|&r| key(r) < median);
            if cut == 0 {
                cut = part.partition_point(|&r| key(r) <= median);
            }
            if cut == 0 || cut == part.len() {
                continue;
            }
            if allowed(p, model, &part[..cut]) && allowed(p, model, &part[cut..]) {
                split = Some(cut);
                break;
            }
        }
        match split {
            Some(cut) => {
                let right = part.split_off(cut);
                stack.push(part);
                stack.push(right);
            }
            None => leaves.push(part),
        }
    }
    let mut of_row = vec![0u32; n];
    let mut labels = Vec::with_capacity(leaves.len());
    let mut loss = Vec::with_capacity(leaves.len());
    let mut sizes = Vec::with_capacity(leaves.len());
    for (i, leaf) in leaves.iter().enumerate() {
        for &r in leaf {
            of_row[r] = i as u32;
        }
        let mut lab = Vec::with_capacity(rank.len());
        let mut los = Vec::with_capacity(rank.len());
        for (q, h) in p.hierarchies.iter().enumerate() {
            match &numeric[q] {
                Some(x) => {
                    let (lo, hi) =
                        leaf.iter()
                            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &r| {
                                let v = x[p.codes[q][r] as usize];
                                (a.min(v), b.max(v))
                            });
                    let (gmin, gmax) = x
                        .iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                            (a.min(v), b.max(v))
                        });
                    lab.push(if lo == hi {
                        fmt(lo)
                    } else {
                        format!("[{}, {}]", fmt(lo), fmt(hi))
                    });
                    los.push(if gmax > gmin {
                        (hi - lo) / (gmax - gmin)
                    } else {
                        0.0
                    });
                }
                None => {
                    let level = h
                        .levels
                        .iter()
                        .position(|l| {
                            let first = l.map[p.codes[q][leaf[0]] as usize];
                            leaf.iter().all(|&r| l.map[p.codes[q][r] as usize] == first)
                        })
                        .unwrap_or(h.height());
                    let l = &h.levels[level];
                    let g = l.map[p.codes[q][leaf[0]] as usize] as usize;
                    lab.push(l.labels[g].clone());
                    los.push(l.loss[g]);
                }
            }
        }
        labels.push(lab);
        loss.push(los);
        sizes.push(leaf.len() as u32);
    }
    Ok(Partitioning {
        of_row,
        labels,
        loss,
        sizes,
    })
}
