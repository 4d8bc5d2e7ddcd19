//! DP aggregations over Arrow record batches, in the manner of Google's
//! differential-privacy library and PipelineDP:
//!
//! 1. **Contribution bounding** per privacy unit: at most
//!    `max_partitions` partitions per unit (chosen uniformly at random) and at
//!    most `max_rows_per_partition` rows per unit in each (chosen uniformly at
//!    random); values clamped to `[lower, upper]`.
//! 2. **Partition selection** (unless partitions are declared public): a
//!    partition is kept with the truncated-geometric probability of its unit
//!    count (see [`selection`]), so a partition held by few units rarely
//!    shows up and one held by a single unit with probability ≤ δ/max_partitions.
//! 3. **Metrics** with discrete-Laplace noise calibrated to the bounded
//!    contributions; the budget is split equally between selection and the
//!    metrics (basic composition), and every cell carries its noise standard
//!    deviation and a 95% confidence interval.
//!
//! Entry points: [`Query::new`] to build, [`Query::run`] over batches.

pub mod columns;
pub mod quantile;
pub mod selection;

use crate::error::{DpError, Result, check_delta, check_epsilon};
use crate::mechanisms::{GeometricMechanism, LaplaceMechanism, MechanismInfo};
use crate::rng::PrivacyRng;
use arrow_array::RecordBatch;
use arrow_array::cast::AsArray;
use columns::{Interner, KEY_SEPARATOR};
use serde::Serialize;

/// An aggregate to release per partition.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Number of rows (after contribution bounding).
    Count,
    /// Number of distinct privacy units (COUNT(DISTINCT unit)).
    PrivacyIdCount,
    /// Sum of clamped values.
    Sum,
    /// Mean of clamped values.
    Mean,
    /// Population variance of clamped values.
    Variance,
    /// The listed quantiles (each in [0, 1]) of clamped values.
    Quantiles(Vec<f64>),
}

impl Metric {
    /// Parses `count`, `count_distinct` (or `privacy_id_count`), `sum`, `mean`,
    /// `variance`, `quantiles` (with the quantile list given separately).
    pub fn parse(name: &str, quantiles: &[f64]) -> Result<Metric> {
        Ok(match name.trim().to_ascii_lowercase().as_str() {
            "count" => Metric::Count,
            "count_distinct" | "privacy_id_count" => Metric::PrivacyIdCount,
            "sum" => Metric::Sum,
            "mean" => Metric::Mean,
            "variance" => Metric::Variance,
            "quantiles" | "quantile" => Metric::Quantiles(quantiles.to_vec()),
            other => {
                return Err(DpError::InvalidParameter {
                    name: "metric",
                    reason: format!(
                        "unknown metric {other:?} (expected count, count_distinct, sum, mean, variance, quantiles)"
                    ),
                });
            }
        })
    }

    /// Column-name stem used in outputs.
    pub fn name(&self) -> &'static str {
        match self {
            Metric::Count => "count",
            Metric::PrivacyIdCount => "count_distinct",
            Metric::Sum => "sum",
            Metric::Mean => "mean",
            Metric::Variance => "variance",
            Metric::Quantiles(_) => "quantiles",
        }
    }

    fn needs_values(&self) -> bool {
        !matches!(self, Metric::Count | Metric::PrivacyIdCount)
    }
}

/// Everything a DP aggregation needs to know. Bounds and contribution limits
/// are public inputs: Veil never derives them from the data.
#[derive(Clone, Debug, Serialize)]
pub struct QuerySpec {
    /// Column identifying the person (or other unit) to protect.
    pub privacy_unit: String,
    /// Partition key columns (empty: one partition holding everything).
    pub partition_by: Vec<String>,
    /// Value column for SUM/MEAN/VARIANCE/QUANTILES.
    pub value: Option<String>,
    /// Metrics to release.
    pub metrics: Vec<Metric>,
    /// Clamping bounds for values.
    pub bounds: Option<(f64, f64)>,
    /// Partitions one unit may contribute to.
    pub max_partitions: u64,
    /// Rows one unit may contribute to one partition.
    pub max_rows_per_partition: u64,
    /// Total ε of the release.
    pub epsilon: f64,
    /// Total δ (spent on partition selection; 0 allowed with public partitions).
    pub delta: f64,
    /// Partition keys known in advance (parts joined by U+001F for multi-column keys).
    pub public_partitions: Option<Vec<String>>,
}

/// A checked query, ready to consume batches.
pub struct Query {
    spec: QuerySpec,
    /// Interned text of privacy units (when they are not integers).
    units: Interner,
    unit_keys: UnitKeys,
    partitions: Interner,
    /// Partition id per row, in input order (parallel to `unit_keys`).
    parts: Vec<u32>,
    values: Vec<f64>,
    rows_read: u64,
    rows_outside_public: u64,
}

/// One released number with its uncertainty.
#[derive(Clone, Debug, Serialize)]
pub struct Cell {
    /// Output column name (e.g. `count`, `mean`, `p50`).
    pub column: String,
    /// The noisy value.
    pub value: f64,
    /// Standard deviation of the noise in this cell (None when it has no closed form).
    pub noise_std: Option<f64>,
    /// 95% confidence interval for the true (bounded) value, when known.
    pub ci95: Option<(f64, f64)>,
}

/// One output row.
#[derive(Clone, Debug, Serialize)]
pub struct ReleasedPartition {
    /// Partition key parts, one per partition column.
    pub key: Vec<String>,
    /// Released cells in metric order.
    pub cells: Vec<Cell>,
}

/// The accounting of one part of the release.
#[derive(Clone, Debug, Serialize)]
pub struct BudgetPart {
    /// What it paid for (`partition_selection`, `count`, `mean.sum` …).
    pub purpose: String,
    /// The mechanism and its calibration.
    pub mechanism: MechanismInfo,
}

/// Exact counts about the input, for the data owner's eyes only: they are
/// NOT differentially private and must not be published with the release.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Diagnostics {
    /// Rows consumed.
    pub rows_read: u64,
    /// Rows whose partition was not among the declared public partitions.
    pub rows_outside_public_partitions: u64,
    /// Rows removed by contribution bounding.
    pub rows_dropped_by_bounding: u64,
    /// Distinct privacy units.
    pub units: u64,
    /// Partitions present before selection.
    pub partitions_before_selection: u64,
}

/// A finished release with its guarantee.
#[derive(Clone, Debug, Serialize)]
pub struct Release {
    /// Partition column names.
    pub partition_columns: Vec<String>,
    /// The released rows, sorted by key.
    pub partitions: Vec<ReleasedPartition>,
    /// Total ε (basic composition of the parts).
    pub epsilon: f64,
    /// Total δ.
    pub delta: f64,
    /// How the parts were combined.
    pub accountant: &'static str,
    /// The unit of privacy, in words.
    pub unit_of_privacy: String,
    /// Each mechanism used, with its share of the budget.
    pub parts: Vec<BudgetPart>,
    /// Partitions with at least this many units are always kept by selection
    /// (None for public partitions); smaller ones are kept with probability < 1.
    pub selection_threshold: Option<i64>,
    /// False when the noise came from a fixed seed: then this is NOT a DP release.
    pub private: bool,
    /// Non-private diagnostics (see [`Diagnostics`]).
    pub diagnostics: Diagnostics,
}

/// Privacy-unit keys as read: raw integers (grouped later without hashing
/// when their range is dense) or interned ids of their text.
enum UnitKeys {
    Ints(Vec<i64>),
    Ids(Vec<u32>),
}

/// Per-partition bounded aggregates.
#[derive(Default, Clone)]
struct Acc {
    count: i64,
    units: i64,
    sum: f64,
    nsum: f64,
    nsum2: f64,
    leaves: Vec<u32>,
}

impl Query {
    /// Validates the spec: ε > 0 and finite, δ in [0, 1) (and > 0 unless the
    /// partitions are public), lower ≤ upper and both finite where a metric
    /// needs values, contribution limits ≥ 1, quantiles in [0, 1].
    pub fn new(spec: QuerySpec) -> Result<Query> {
        check_epsilon(spec.epsilon)?;
        check_delta(spec.delta)?;
        if spec.public_partitions.is_none() && spec.delta == 0.0 {
            return Err(DpError::InvalidDelta {
                range: "(0, 1) when partitions are not public (selection needs δ)",
                value: spec.delta,
            });
        }
        if spec.metrics.is_empty() {
            return Err(DpError::InvalidParameter {
                name: "metrics",
                reason: "at least one metric is needed".into(),
            });
        }
        if spec.max_partitions == 0 || spec.max_rows_per_partition == 0 {
            return Err(DpError::InvalidParameter {
                name: "contribution bounds",
                reason: "max partitions and max rows per partition must be at least 1".into(),
            });
        }
        if spec.metrics.iter().any(Metric::needs_values) {
            if spec.value.is_none() {
                return Err(DpError::InvalidParameter {
                    name: "value column",
                    reason: "sum, mean, variance and quantiles need a value column".into(),
                });
            }
            let Some((lo, hi)) = spec.bounds else {
                return Err(DpError::InvalidParameter {
                    name: "bounds",
                    reason: "sum, mean, variance and quantiles need public lower and upper bounds"
                        .into(),
                });
            };
            if !lo.is_finite() || !hi.is_finite() {
                return Err(DpError::InvalidParameter {
                    name: "bounds",
                    reason: "must be finite".into(),
                });
            }
            if lo > hi {
                return Err(DpError::BoundsInverted {
                    lower: lo,
                    upper: hi,
                });
            }
        }
        for m in &spec.metrics {
            if let Metric::Quantiles(qs) = m
                && (qs.is_empty() || qs.iter().any(|q| !(0.0..=1.0).contains(q)))
            {
                return Err(DpError::InvalidParameter {
                    name: "quantiles",
                    reason: "give one or more quantiles, each in [0, 1]".into(),
                });
            }
        }
        let mut partitions = Interner::default();
        if let Some(public) = &spec.public_partitions {
            for p in public {
                partitions.insert(p);
            }
        }
        Ok(Query {
            spec,
            units: Interner::default(),
            unit_keys: UnitKeys::Ints(Vec::new()),
            partitions,
            parts: Vec::new(),
            values: Vec::new(),
            rows_read: 0,
            rows_outside_public: 0,
        })
    }

    /// The spec this query was built from.
    pub fn spec(&self) -> &QuerySpec {
        &self.spec
    }

    /// Consumes one batch. Rows are numbered from 1 across batches in errors.
    pub fn push(&mut self, batch: &RecordBatch) -> Result<()> {
        let first = self.rows_read + 1;
        let unit_col = columns::column(batch, &self.spec.privacy_unit)?;
        let unit_ids: Option<Vec<u32>> = match (&mut self.unit_keys, columns::as_int64(unit_col)) {
            (UnitKeys::Ints(v), Some(ints)) => {
                v.extend(columns::non_null_ints(
                    &ints,
                    &self.spec.privacy_unit,
                    first,
                )?);
                None
            }
            (keys, _) => {
                if let UnitKeys::Ints(v) = keys {
                    // Text from now on: earlier integer keys are interned by their text.
                    let ids = v
                        .iter()
                        .map(|x| self.units.insert(&x.to_string()))
                        .collect();
                    *keys = UnitKeys::Ids(ids);
                }
                Some(columns::intern_column(
                    unit_col,
                    &self.spec.privacy_unit,
                    first,
                    &mut self.units,
                )?)
            }
        };
        let n = batch.num_rows();
        let part_ids: Vec<Option<u32>> = if self.spec.partition_by.is_empty() {
            if self.partitions.is_empty() {
                self.partitions.insert("");
            }
            vec![Some(0); n]
        } else {
            let cols = columns::string_columns(batch, &self.spec.partition_by, first)?;
            let strs: Vec<_> = cols.iter().map(|c| c.as_string::<i32>()).collect();
            let public = self.spec.public_partitions.is_some();
            let mut buf = String::new();
            (0..n)
                .map(|i| {
                    let key: &str = if strs.len() == 1 {
                        strs[0].value(i)
                    } else {
                        buf.clear();
                        for (j, s) in strs.iter().enumerate() {
                            if j > 0 {
                                buf.push(KEY_SEPARATOR);
                            }
                            buf.push_str(s.value(i));
                        }
                        &buf
                    };
                    if public {
                        self.partitions.get(key)
                    } else {
                        Some(self.partitions.insert(key))
                    }
                })
                .collect()
        };
        let vals = match &self.spec.value {
            Some(v) if self.spec.metrics.iter().any(Metric::needs_values) => {
                Some(columns::values(columns::column(batch, v)?, v, first)?)
            }
            _ => None,
        };
        // Keep rows whose partition is in scope; keys, partitions and values stay parallel.
        let keep: Vec<bool> = part_ids.iter().map(Option::is_some).collect();
        let start = match &self.unit_keys {
            UnitKeys::Ints(v) => v.len() - n,
            UnitKeys::Ids(v) => v.len(),
        };
        match (&mut self.unit_keys, unit_ids) {
            (UnitKeys::Ids(v), Some(ids)) => {
                v.extend(ids.iter().zip(&keep).filter(|(_, k)| **k).map(|(i, _)| *i))
            }
            (UnitKeys::Ints(v), None) => {
                let mut w = start;
                for r in 0..n {
                    if keep[r] {
                        v[w] = v[start + r];
                        w += 1;
                    }
                }
                v.truncate(w);
            }
            _ => unreachable!("unit keys were converted above"),
        }
        for i in 0..n {
            match part_ids[i] {
                Some(p) => {
                    self.parts.push(p);
                    if let Some(v) = &vals {
                        self.values.push(v[i]);
                    }
                }
                None => self.rows_outside_public += 1,
            }
        }
        self.rows_read += n as u64;
        Ok(())
    }

    /// Bounds contributions, selects partitions, adds noise and returns the release.
    pub fn release(mut self, rng: &mut PrivacyRng) -> Result<Release> {
        let spec = &self.spec;
        let (lo, hi) = spec.bounds.unwrap_or((0.0, 0.0));
        let has_values = !self.values.is_empty() || spec.metrics.iter().any(Metric::needs_values);
        let mid = (lo + hi) / 2.0;
        let half = (hi - lo) / 2.0;
        let wants_quantiles = spec
            .metrics
            .iter()
            .any(|m| matches!(m, Metric::Quantiles(_)));

        // 1. Contribution bounding: rows grouped by unit (counting sort on the
        // dense unit ids), then by partition inside each unit.
        let (dense, n_units) =
            match std::mem::replace(&mut self.unit_keys, UnitKeys::Ids(Vec::new())) {
                UnitKeys::Ids(ids) => (ids, self.units.len()),
                UnitKeys::Ints(v) => dense_unit_ids(v),
            };
        // Rows grouped by unit with an LSD radix sort on the dense ids
        // (sequential passes, cache-friendly at millions of units).
        let parts = std::mem::take(&mut self.parts);
        let values = std::mem::take(&mut self.values);
        let mut grouped = radix_group(dense, parts, values, has_values, n_units);
        let mut accs = vec![Acc::default(); self.partitions.len()];
        let mut dropped: u64 = 0;
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut rows: Vec<f64> = Vec::new();
        let mut distinct_units = 0u64;
        let mut us = 0;
        while us < grouped.len() {
            let unit = grouped[us].0;
            let mut ue = us;
            while ue < grouped.len() && grouped[ue].0 == unit {
                ue += 1;
            }
            distinct_units += 1;
            let group = &mut grouped[us..ue];
            us = ue;
            if group.len() > 1 {
                group.sort_unstable_by_key(|r| r.1);
            }
            // Runs of one partition inside this unit.
            runs.clear();
            let mut end = 0;
            while end < group.len() {
                let p = group[end].1;
                let run_start = end;
                while end < group.len() && group[end].1 == p {
                    end += 1;
                }
                runs.push((run_start, end));
            }
            if runs.len() as u64 > spec.max_partitions {
                let keep = spec.max_partitions as usize;
                rng.partial_shuffle(&mut runs, keep);
                dropped += runs[keep..].iter().map(|r| (r.1 - r.0) as u64).sum::<u64>();
                runs.truncate(keep);
            }
            for &(rs, re) in &runs {
                let p = group[rs].1 as usize;
                rows.clear();
                if (re - rs) as u64 > spec.max_rows_per_partition {
                    let keep = spec.max_rows_per_partition as usize;
                    dropped += (re - rs - keep) as u64;
                    let run = &mut group[rs..re];
                    rng.partial_shuffle(run, keep);
                    rows.extend(run[..keep].iter().map(|r| r.2));
                } else {
                    rows.extend(group[rs..re].iter().map(|r| r.2));
                }
                let acc = &mut accs[p];
                acc.units += 1;
                acc.count += rows.len() as i64;
                if has_values {
                    for &x in &rows {
                        let x = x.clamp(lo, hi);
                        acc.sum += x;
                        acc.nsum += x - mid;
                        acc.nsum2 += (x - mid) * (x - mid);
                        if wants_quantiles {
                            acc.leaves.push(quantile::leaf_of(x, lo, hi));
                        }
                    }
                }
            }
        }

        // 2. Budget split: equal shares per mechanism (basic composition), as
        // PipelineDP's naive accountant. MEAN and VARIANCE are computed from a
        // noisy count, a noisy normalized sum (and a noisy normalized sum of
        // squares); when one of them is asked for, COUNT and SUM are derived
        // from the same noisy moments (post-processing, no extra budget).
        let public = spec.public_partitions.is_some();
        let has = |f: fn(&Metric) -> bool| spec.metrics.iter().any(f);
        let level = if has(|m| matches!(m, Metric::Variance)) {
            3
        } else if has(|m| matches!(m, Metric::Mean)) {
            2
        } else {
            0
        };
        let mut mechanisms = usize::from(!public) + level;
        for m in &spec.metrics {
            mechanisms += match m {
                Metric::Count | Metric::Sum if level > 0 => 0,
                Metric::Mean | Metric::Variance => 0,
                _ => 1,
            };
        }
        let eps_share = spec.epsilon / mechanisms as f64;
        let max_p = spec.max_partitions;
        let max_r = spec.max_rows_per_partition;
        let mut parts: Vec<BudgetPart> = Vec::new();

        let partitions_before = accs.iter().filter(|a| a.units > 0).count() as u64;
        let mut selected: Vec<usize> = (0..accs.len()).collect();
        let mut threshold = None;
        if !public {
            let sel = selection::TruncatedGeometric::new(eps_share, spec.delta, max_p)?;
            threshold = Some(sel.always_kept_from() as i64);
            selected.retain(|&p| sel.keep(accs[p].units, rng));
            parts.push(BudgetPart {
                purpose: "partition_selection".into(),
                mechanism: MechanismInfo {
                    mechanism: "truncated_geometric_partition_selection",
                    sensitivity: max_p as f64,
                    epsilon: eps_share,
                    epsilon_used: eps_share,
                    delta: spec.delta,
                    granularity: 1.0,
                    noise_std: f64::NAN,
                },
            });
        }

        // 3. Noisy moments (count, normalized sum, normalized sum of squares).
        let rows_sens = (max_p * max_r) as f64;
        let mut moments: Vec<(f64, f64, f64)> = vec![(0.0, 0.0, 0.0); accs.len()];
        let mut moment_std = (0.0, 0.0, 0.0);
        let mut count_hw = 0.0;
        if level > 0 {
            let cm = GeometricMechanism::new(max_p * max_r, eps_share)?;
            let sm = LaplaceMechanism::new(rows_sens * half, eps_share)?;
            let qm = if level == 3 {
                Some(LaplaceMechanism::new(rows_sens * half * half, eps_share)?)
            } else {
                None
            };
            for &p in &selected {
                let c = cm.release(accs[p].count, rng) as f64;
                let s1 = sm.release(accs[p].nsum, rng)?;
                let s2 = match &qm {
                    Some(q) => q.release(accs[p].nsum2, rng)?,
                    None => 0.0,
                };
                moments[p] = (c, s1, s2);
            }
            moment_std = (
                cm.info().noise_std,
                sm.info().noise_std,
                qm.as_ref().map(|q| q.info().noise_std).unwrap_or(0.0),
            );
            count_hw = cm.confidence_half_width(0.05);
            parts.push(part("moments.count", cm.info()));
            parts.push(part("moments.normalized_sum", sm.info()));
            if let Some(q) = &qm {
                parts.push(part("moments.normalized_sum_of_squares", q.info()));
            }
        }

        // 4. Metrics.
        let mut cells: Vec<Vec<Cell>> = vec![Vec::new(); accs.len()];
        let (sc, ss, sq) = moment_std;
        for metric in &spec.metrics {
            match metric {
                Metric::Count if level > 0 => {
                    for &p in &selected {
                        cells[p].push(cell("count", moments[p].0, sc, count_hw));
                    }
                }
                Metric::Count => {
                    let m = GeometricMechanism::new(max_p * max_r, eps_share)?;
                    let hw = m.confidence_half_width(0.05);
                    for &p in &selected {
                        let v = m.release(accs[p].count, rng) as f64;
                        cells[p].push(cell("count", v, m.info().noise_std, hw));
                    }
                    parts.push(part("count", m.info()));
                }
                Metric::PrivacyIdCount => {
                    let m = GeometricMechanism::new(max_p, eps_share)?;
                    let hw = m.confidence_half_width(0.05);
                    for &p in &selected {
                        let v = m.release(accs[p].units, rng) as f64;
                        cells[p].push(cell("count_distinct", v, m.info().noise_std, hw));
                    }
                    parts.push(part("count_distinct", m.info()));
                }
                Metric::Sum if level > 0 => {
                    // sum = Σ(x − mid) + mid·count
                    let sd = (ss * ss + (mid * sc).powi(2)).sqrt();
                    for &p in &selected {
                        let (c, s1, _) = moments[p];
                        cells[p].push(approx_cell(
                            "sum",
                            s1 + mid * c,
                            sd,
                            f64::NEG_INFINITY,
                            f64::INFINITY,
                        ));
                    }
                }
                Metric::Sum => {
                    let m = LaplaceMechanism::new(rows_sens * lo.abs().max(hi.abs()), eps_share)?;
                    let hw = m.confidence_half_width(0.05);
                    for &p in &selected {
                        let v = m.release(accs[p].sum, rng)?;
                        cells[p].push(cell("sum", v, m.info().noise_std, hw));
                    }
                    parts.push(part("sum", m.info()));
                }
                Metric::Mean => {
                    for &p in &selected {
                        let (c, s1, _) = moments[p];
                        let c = c.max(1.0);
                        let m1 = s1 / c;
                        let mean = (mid + m1).clamp(lo, hi);
                        let sd = ((ss / c).powi(2) + (m1 * sc / c).powi(2)).sqrt();
                        cells[p].push(approx_cell("mean", mean, sd, lo, hi));
                    }
                }
                Metric::Variance => {
                    for &p in &selected {
                        let (c, s1, s2) = moments[p];
                        let c = c.max(1.0);
                        let (m1, m2) = (s1 / c, s2 / c);
                        let var = (m2 - m1 * m1).clamp(0.0, half * half);
                        // Delta method on m2 − m1² with m1 = S1/C, m2 = S2/C.
                        let sd = ((sq / c).powi(2)
                            + (2.0 * m1 * ss / c).powi(2)
                            + ((2.0 * m1 * m1 - m2) * sc / c).powi(2))
                        .sqrt();
                        cells[p].push(approx_cell("variance", var, sd, 0.0, half * half));
                    }
                }
                Metric::Quantiles(qs) => {
                    let m = GeometricMechanism::new(
                        quantile::HEIGHT as u64 * max_p * max_r,
                        eps_share,
                    )?;
                    for &p in &selected {
                        let mut tree = quantile::NoisyTree::new(&accs[p].leaves, &m, lo, hi);
                        for &q in qs {
                            let v = tree.quantile(q, rng);
                            cells[p].push(Cell {
                                column: quantile_column(q),
                                value: v,
                                noise_std: None,
                                ci95: None,
                            });
                        }
                    }
                    let mut info = m.info().clone();
                    info.mechanism = "quantile_tree";
                    parts.push(part("quantiles", &info));
                }
            }
        }

        let mut out: Vec<ReleasedPartition> = selected
            .iter()
            .map(|&p| ReleasedPartition {
                key: if spec.partition_by.is_empty() {
                    Vec::new()
                } else {
                    self.partitions
                        .name(p as u32)
                        .split(KEY_SEPARATOR)
                        .map(str::to_string)
                        .collect()
                },
                cells: std::mem::take(&mut cells[p]),
            })
            .collect();
        out.sort_by(|a, b| a.key.cmp(&b.key));
        let epsilon: f64 = parts.iter().map(|p| p.mechanism.epsilon_used).sum();
        Ok(Release {
            partition_columns: spec.partition_by.clone(),
            partitions: out,
            epsilon,
            delta: if public { 0.0 } else { spec.delta },
            accountant: "basic composition",
            unit_of_privacy: format!(
                "one value of {:?} with all its rows (up to {} partitions × {} rows each)",
                spec.privacy_unit, max_p, max_r
            ),
            parts,
            selection_threshold: threshold,
            private: rng.is_private(),
            diagnostics: Diagnostics {
                rows_read: self.rows_read,
                rows_outside_public_partitions: self.rows_outside_public,
                rows_dropped_by_bounding: dropped,
                units: distinct_units,
                partitions_before_selection: partitions_before,
            },
        })
    }
}

/// (unit, partition, value) per row, sorted by unit: LSD radix sort with
/// 11-bit digits over the dense unit ids (two passes up to 4M units).
/// The inputs are consumed (freed before the sort's second buffer exists).
fn radix_group(
    units: Vec<u32>,
    parts: Vec<u32>,
    values: Vec<f64>,
    has_values: bool,
    n_units: usize,
) -> Vec<(u32, u32, f64)> {
    let mut a: Vec<(u32, u32, f64)> = units
        .iter()
        .zip(&parts)
        .enumerate()
        .map(|(i, (&u, &p))| (u, p, if has_values { values[i] } else { 0.0 }))
        .collect();
    drop((units, parts, values));
    let bits = usize::BITS - n_units.max(1).leading_zeros();
    let mut b = vec![(0u32, 0u32, 0.0f64); a.len()];
    let mut shift = 0;
    while shift < bits {
        let mut counts = vec![0usize; 1 << 11];
        for r in &a {
            counts[((r.0 >> shift) & 0x7ff) as usize] += 1;
        }
        let mut sum = 0;
        for c in counts.iter_mut() {
            let here = *c;
            *c = sum;
            sum += here;
        }
        for r in &a {
            let d = ((r.0 >> shift) & 0x7ff) as usize;
            b[counts[d]] = *r;
            counts[d] += 1;
        }
        std::mem::swap(&mut a, &mut b);
        shift += 11;
    }
    a
}

/// Dense ids for integer unit keys: their offset from the minimum when the
/// range is at most 8 per row (no hashing), otherwise interned in a hash map.
fn dense_unit_ids(v: Vec<i64>) -> (Vec<u32>, usize) {
    let (Some(&min), Some(&max)) = (v.iter().min(), v.iter().max()) else {
        return (Vec::new(), 0);
    };
    let range = (max as i128 - min as i128) as u128;
    if range < (8 * v.len() as u128 + 1024).min(u32::MAX as u128 - 1) {
        let ids = v
            .iter()
            .map(|&x| (x as i128 - min as i128) as u32)
            .collect();
        return (ids, range as usize + 1);
    }
    let mut map = rustc_hash::FxHashMap::<i64, u32>::default();
    let ids = v
        .iter()
        .map(|&x| {
            let next = map.len() as u32;
            *map.entry(x).or_insert(next)
        })
        .collect();
    (ids, map.len())
}

/// Runs a query over batches in one call.
pub fn run<'a>(
    spec: QuerySpec,
    batches: impl IntoIterator<Item = &'a RecordBatch>,
    rng: &mut PrivacyRng,
) -> Result<Release> {
    let mut q = Query::new(spec)?;
    for b in batches {
        q.push(b)?;
    }
    q.release(rng)
}

fn quantile_column(q: f64) -> String {
    let pct = q * 100.0;
    if (pct - pct.round()).abs() < 1e-9 {
        format!("p{}", pct.round() as i64)
    } else {
        format!("p{pct}")
    }
}

fn cell(column: &str, value: f64, std: f64, half_width: f64) -> Cell {
    Cell {
        column: column.to_string(),
        value,
        noise_std: Some(std),
        ci95: Some((value - half_width, value + half_width)),
    }
}

/// A cell whose uncertainty comes from the delta method (normal approximation).
fn approx_cell(column: &str, value: f64, sd: f64, lo: f64, hi: f64) -> Cell {
    Cell {
        column: column.to_string(),
        value,
        noise_std: Some(sd),
        ci95: Some(((value - 1.96 * sd).max(lo), (value + 1.96 * sd).min(hi))),
    }
}

fn part(purpose: &str, info: &MechanismInfo) -> BudgetPart {
    BudgetPart {
        purpose: purpose.to_string(),
        mechanism: info.clone(),
    }
}
