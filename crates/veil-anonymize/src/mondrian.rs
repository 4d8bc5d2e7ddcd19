//! Mondrian multidimensional partitioning (LeFevre, DeWitt, Ramakrishnan
//! 2006), strict: the rows are split recursively at the median of the
//! quasi-identifier with the widest normalised spread, as long as both halves
//! still meet the privacy model; each final partition becomes one
//! equivalence class. Numeric quasi-identifiers are released as the
//! partition's `[min, max]`; categorical ones as the lowest level of their
//! hierarchy at which the partition's values share one label when that label
//! covers no other value, else as the set of values present (`{a, b}`, at
//! most [`MAX_SET`] values, from columns of at most [`MAX_SET_DOMAIN`]
//! values; otherwise the label). No row is suppressed.
//!
//! The split rule is written twice over the same definitions: on rows in
//! memory ([`split_rows`]) and on per-rank counts ([`split_counts`]), which
//! the out-of-core driver in [`crate::spill`] uses for partitions too large
//! to hold. Both pick the same dimension and cut, so a table partitions the
//! same way whichever path handles it.

use crate::error::{AnonymizeError, Result};
use crate::hierarchy::{Hierarchy, num as fmt};
use crate::search::{LKind, PrivacyModel, Problem};

/// A released quasi-identifier value of one partition: for a numeric
/// column the value ids of its minimum and maximum, for a categorical one
/// `(level, label id)` of its hierarchy, or, for the set of values present
/// when no label covers exactly them, the set as a 63-bit mask over value
/// ids: `(SET_BIT | high 31 bits, low 32 bits)`. Fixed size, so the released
/// values of any number of partitions stream to disk.
pub type Released = (u32, u32);

/// Marks a released value set in the first word.
pub const SET_BIT: u32 = 1 << 31;

/// Largest value set released as a set; a larger one gets its hierarchy label.
pub const MAX_SET: usize = 32;

/// Columns with more distinct values than this release hierarchy labels only.
pub const MAX_SET_DOMAIN: usize = 63;

fn mask_of(r: Released) -> u64 {
    (u64::from(r.0 & !SET_BIT) << 32) | u64::from(r.1)
}

/// The split order and release rules of the quasi-identifiers.
#[derive(Clone, Debug)]
pub struct Dims<'a> {
    hierarchies: &'a [Hierarchy],
    numeric: &'a [Option<Vec<f64>>],
    /// `rank[q][value id]`: the value's position in q's order.
    pub rank: Vec<Vec<u32>>,
    /// `id_at[q][rank]`: the value id at that rank (inverse of `rank`).
    pub id_at: Vec<Vec<u32>>,
    span: Vec<f64>,
    range: Vec<(f64, f64)>,
    /// `cover[q][level][label]`: values under each label.
    cover: Vec<Vec<Vec<u32>>>,
}

impl<'a> Dims<'a> {
    /// Orders each quasi-identifier: numbers numerically, categories with
    /// siblings of their hierarchy adjacent. `numeric[q]` holds the numbers
    /// of q's value ids when q is numeric.
    pub fn new(hierarchies: &'a [Hierarchy], numeric: &'a [Option<Vec<f64>>]) -> Dims<'a> {
        let rank: Vec<Vec<u32>> = hierarchies
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
            .collect();
        let id_at = rank
            .iter()
            .map(|r| {
                let mut inv = vec![0u32; r.len()];
                for (id, &x) in r.iter().enumerate() {
                    inv[x as usize] = id as u32;
                }
                inv
            })
            .collect();
        let span = rank
            .iter()
            .map(|r| r.len().saturating_sub(1).max(1) as f64)
            .collect();
        let range = numeric
            .iter()
            .map(|x| {
                x.as_ref().map_or((0.0, 0.0), |x| {
                    x.iter()
                        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                            (a.min(v), b.max(v))
                        })
                })
            })
            .collect();
        let cover = hierarchies
            .iter()
            .map(|h| {
                h.levels
                    .iter()
                    .map(|l| {
                        let mut c = vec![0u32; l.labels.len()];
                        for &g in &l.map {
                            c[g as usize] += 1;
                        }
                        c
                    })
                    .collect()
            })
            .collect();
        Dims {
            hierarchies,
            numeric,
            rank,
            id_at,
            span,
            range,
            cover,
        }
    }

    /// How widely a partition spreads over q, in [0, 1]: a numeric column's
    /// value range over the table's; a categorical column's distinct values
    /// less one over the table's when sets may be released, else its span of
    /// ranks (about what its release would cost).
    pub fn width(&self, q: usize, lo_rank: u32, hi_rank: u32, distinct: usize) -> f64 {
        match &self.numeric[q] {
            Some(x) => {
                let (gmin, gmax) = self.range[q];
                if gmax > gmin {
                    let v = |r: u32| x[self.id_at[q][r as usize] as usize];
                    (v(hi_rank) - v(lo_rank)) / (gmax - gmin)
                } else {
                    0.0
                }
            }
            // a set release costs its distinct values; a label, the span of ranks it covers
            None if self.rank[q].len() <= MAX_SET_DOMAIN => {
                distinct.saturating_sub(1) as f64 / self.span[q]
            }
            None => f64::from(hi_rank.saturating_sub(lo_rank)) / self.span[q],
        }
    }

    /// Number of quasi-identifiers.
    pub fn len(&self) -> usize {
        self.rank.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.rank.is_empty()
    }

    /// What a partition holding the value ids `ids` of q releases.
    pub fn released(&self, q: usize, ids: impl Iterator<Item = u32> + Clone) -> Released {
        match &self.numeric[q] {
            Some(x) => {
                let mut lo = u32::MAX;
                let mut hi = u32::MAX;
                for id in ids {
                    let v = x[id as usize];
                    if lo == u32::MAX || v < x[lo as usize] {
                        lo = id;
                    }
                    if hi == u32::MAX || v > x[hi as usize] {
                        hi = id;
                    }
                }
                (lo, hi)
            }
            None => {
                let h = &self.hierarchies[q];
                let level = h
                    .levels
                    .iter()
                    .position(|l| {
                        let mut it = ids.clone().map(|id| l.map[id as usize]);
                        let first = it.next();
                        it.all(|g| Some(g) == first)
                    })
                    .unwrap_or(h.height());
                let first = ids.clone().next().unwrap_or(0);
                let g = h.levels[level]
                    .map
                    .get(first as usize)
                    .copied()
                    .unwrap_or(0);
                let mut present: Vec<u32> = ids.collect();
                present.sort_unstable_by_key(|&id| self.rank[q][id as usize]);
                present.dedup();
                let covered = self.cover[q][level][g as usize] as usize;
                if covered <= present.len()
                    || present.len() > MAX_SET
                    || h.levels[0].labels.len() > MAX_SET_DOMAIN
                {
                    return (level as u32, g);
                }
                let mask = present.iter().fold(0u64, |m, &id| m | (1u64 << id));
                (SET_BIT | (mask >> 32) as u32, mask as u32)
            }
        }
    }

    /// The text written for a released value.
    pub fn label(&self, q: usize, r: Released) -> String {
        match &self.numeric[q] {
            Some(x) => {
                let (lo, hi) = (x[r.0 as usize], x[r.1 as usize]);
                if lo == hi {
                    fmt(lo)
                } else {
                    format!("[{}, {}]", fmt(lo), fmt(hi))
                }
            }
            None if r.0 & SET_BIT != 0 => {
                let mask = mask_of(r);
                let labels = &self.hierarchies[q].levels[0].labels;
                let names: Vec<&str> = self.id_at[q]
                    .iter()
                    .filter(|&&id| mask >> id & 1 == 1)
                    .map(|&id| labels[id as usize].as_str())
                    .collect();
                format!("{{{}}}", names.join(", "))
            }
            None => self.hierarchies[q].levels[r.0 as usize].labels[r.1 as usize].clone(),
        }
    }

    /// Normalised certainty penalty of a released value, in [0, 1].
    pub fn loss(&self, q: usize, r: Released) -> f64 {
        match &self.numeric[q] {
            Some(x) => {
                let (gmin, gmax) = self.range[q];
                if gmax > gmin {
                    (x[r.1 as usize] - x[r.0 as usize]) / (gmax - gmin)
                } else {
                    0.0
                }
            }
            None if r.0 & SET_BIT != 0 => {
                let d = self.hierarchies[q].levels[0].labels.len();
                let len = mask_of(r).count_ones() as usize;
                if d > 1 {
                    (len - 1) as f64 / (d - 1) as f64
                } else {
                    0.0
                }
            }
            None => self.hierarchies[q].levels[r.0 as usize].loss[r.1 as usize],
        }
    }
}

/// Whether a class with these sensitive-value counts (and `n` rows) meets the model.
pub fn meets(model: &PrivacyModel, n: u64, sensitive: Option<&[u64]>) -> bool {
    if n < u64::from(model.k) {
        return false;
    }
    match (sensitive, model.l) {
        (Some(counts), Some((kind, l))) => {
            let c: Vec<u32> = counts
                .iter()
                .map(|&x| u32::try_from(x).unwrap_or(u32::MAX))
                .collect();
            match kind {
                LKind::Distinct => crate::risk::distinct(&c) as f64 >= l,
                LKind::Entropy => crate::risk::entropy_l(&c) >= l * (1.0 - 1e-12),
            }
        }
        _ => true,
    }
}

/// Per-rank counts of one partition: `count[q][rank]`, and with a sensitive
/// attribute `sens[q][rank][value]`.
#[derive(Clone, Debug)]
pub struct Counts {
    /// Rows.
    pub n: u64,
    /// Rows per rank of each quasi-identifier.
    pub count: Vec<Vec<u64>>,
    /// Sensitive-value counts per rank (only when l-diversity is asked for).
    pub sens: Option<Vec<Vec<Vec<u64>>>>,
}

impl Counts {
    /// Empty counts; `m` = number of sensitive values when they are tracked.
    pub fn new(dims: &Dims<'_>, m: Option<usize>) -> Counts {
        Counts {
            n: 0,
            count: dims.rank.iter().map(|r| vec![0; r.len()]).collect(),
            sens: m.map(|m| {
                dims.rank
                    .iter()
                    .map(|r| vec![vec![0; m]; r.len()])
                    .collect()
            }),
        }
    }

    /// Counts one row (its value ids, and its sensitive value id).
    pub fn add(&mut self, dims: &Dims<'_>, codes: &[u32], s: u32) {
        self.n += 1;
        for (q, &c) in codes.iter().enumerate() {
            let r = dims.rank[q][c as usize] as usize;
            self.count[q][r] += 1;
            if let Some(sens) = &mut self.sens {
                sens[q][r][s as usize] += 1;
            }
        }
    }
}

/// The split rule on counts: `Some((q, cut))` splits on quasi-identifier q
/// with ranks `< cut` on the left; `None` keeps the partition whole.
pub fn split_counts(dims: &Dims<'_>, model: &PrivacyModel, c: &Counts) -> Option<(usize, u32)> {
    let mut order: Vec<(f64, usize)> = c
        .count
        .iter()
        .enumerate()
        .map(|(q, h)| {
            let lo = h.iter().position(|&x| x > 0).unwrap_or(0);
            let hi = h.iter().rposition(|&x| x > 0).unwrap_or(0);
            let distinct = h.iter().filter(|&&x| x > 0).count();
            (dims.width(q, lo as u32, hi as u32, distinct), q)
        })
        .collect();
    order.sort_by(|a, b| b.0.total_cmp(&a.0));
    for &(w, q) in &order {
        if w == 0.0 {
            break;
        }
        let h = &c.count[q];
        // the rank of the row at sorted position n / 2
        let half = c.n / 2;
        let mut acc = 0u64;
        let mut median = 0usize;
        for (r, &x) in h.iter().enumerate() {
            acc += x;
            if acc > half {
                median = r;
                break;
            }
        }
        let below: u64 = h[..median].iter().sum();
        let cut = if below == 0 { median + 1 } else { median };
        let left: u64 = h[..cut].iter().sum();
        if left == 0 || left == c.n {
            continue;
        }
        let side = |range: std::ops::Range<usize>| {
            c.sens.as_ref().map(|s| {
                let mut t = vec![0u64; s[q].first().map_or(0, Vec::len)];
                for r in range {
                    for (a, b) in t.iter_mut().zip(&s[q][r]) {
                        *a += b;
                    }
                }
                t
            })
        };
        let (ls, rs) = (side(0..cut), side(cut..h.len()));
        if meets(model, left, ls.as_deref()) && meets(model, c.n - left, rs.as_deref()) {
            return Some((q, cut as u32));
        }
    }
    None
}

/// The split rule on rows in memory: `codes[q][row]` value ids, `sens`
/// the sensitive ids (with their count `m`) when l-diversity is asked for.
/// Returns the final partitions as lists of row indices.
pub fn split_rows(
    dims: &Dims<'_>,
    model: &PrivacyModel,
    codes: &[Vec<u32>],
    sens: Option<(&[u32], usize)>,
    rows: Vec<usize>,
) -> Vec<Vec<usize>> {
    let counts =
        |part: &[usize], q: usize, cut: u32| -> (u64, Option<Vec<u64>>, Option<Vec<u64>>) {
            let mut left = 0u64;
            let mut ls = sens.map(|(_, m)| vec![0u64; m]);
            let mut rs = sens.map(|(_, m)| vec![0u64; m]);
            for &r in part {
                let is_left = dims.rank[q][codes[q][r] as usize] < cut;
                left += u64::from(is_left);
                if let Some((s, _)) = sens {
                    let side = if is_left { &mut ls } else { &mut rs };
                    if let Some(t) = side {
                        t[s[r] as usize] += 1;
                    }
                }
            }
            (left, ls, rs)
        };
    let mut leaves = Vec::new();
    let mut stack = vec![rows];
    // seen[q][rank] == stamp: rank seen in the current partition
    let mut seen: Vec<Vec<u32>> = dims.rank.iter().map(|r| vec![0; r.len()]).collect();
    let mut stamp = 0u32;
    while let Some(mut part) = stack.pop() {
        stamp += 1;
        let mut order: Vec<(f64, usize)> = (0..dims.len())
            .map(|q| {
                let mut distinct = 0;
                let (lo, hi) = part.iter().fold((u32::MAX, 0u32), |(a, b), &r| {
                    let x = dims.rank[q][codes[q][r] as usize];
                    if seen[q][x as usize] != stamp {
                        seen[q][x as usize] = stamp;
                        distinct += 1;
                    }
                    (a.min(x), b.max(x))
                });
                (dims.width(q, lo, hi, distinct), q)
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut split = None;
        for &(w, q) in &order {
            if w == 0.0 {
                break;
            }
            let key = |r: usize| dims.rank[q][codes[q][r] as usize];
            part.sort_unstable_by_key(|&r| key(r));
            let median = key(part[part.len() / 2]);
            let cut = if key(part[0]) < median {
                median
            } else {
                median + 1
            };
            let (left, ls, rs) = counts(&part, q, cut);
            let n = part.len() as u64;
            if left == 0 || left == n {
                continue;
            }
            if meets(model, left, ls.as_deref()) && meets(model, n - left, rs.as_deref()) {
                split = Some(left as usize);
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
    leaves
}

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

/// Partitions a table held in memory; `numeric[q]` holds the numbers of q's
/// values when q is numeric. Errors when the whole table fails the model
/// or t-closeness is asked for.
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
    let sens = p
        .sensitive
        .as_ref()
        .filter(|_| model.l.is_some())
        .map(|s| (s.values.as_slice(), s.m));
    let whole = sens.map(|(v, m)| {
        let mut c = vec![0u64; m];
        for &x in v {
            c[x as usize] += 1;
        }
        c
    });
    if !meets(model, n as u64, whole.as_deref()) {
        return Err(AnonymizeError::Infeasible(format!(
            "the whole table ({n} rows) does not meet k = {}{}",
            model.k,
            model.l.map_or(String::new(), |(_, l)| format!(", l = {l}"))
        )));
    }
    let dims = Dims::new(&p.hierarchies, numeric);
    let leaves = split_rows(&dims, model, &p.codes, sens, (0..n).collect());
    let mut of_row = vec![0u32; n];
    let mut labels = Vec::with_capacity(leaves.len());
    let mut loss = Vec::with_capacity(leaves.len());
    let mut sizes = Vec::with_capacity(leaves.len());
    for (i, leaf) in leaves.iter().enumerate() {
        for &r in leaf {
            of_row[r] = i as u32;
        }
        let rel: Vec<Released> = (0..dims.len())
            .map(|q| dims.released(q, leaf.iter().map(|&r| p.codes[q][r])))
            .collect();
        labels.push(
            rel.iter()
                .enumerate()
                .map(|(q, &r)| dims.label(q, r))
                .collect(),
        );
        loss.push(
            rel.iter()
                .enumerate()
                .map(|(q, &r)| dims.loss(q, r))
                .collect(),
        );
        sizes.push(leaf.len() as u32);
    }
    Ok(Partitioning {
        of_row,
        labels,
        loss,
        sizes,
    })
}
