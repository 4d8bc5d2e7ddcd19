//! Re-identification risk of a table over its quasi-identifiers, with ARX's
//! definitions, and the diversity of a sensitive attribute inside each
//! equivalence class.
//!
//! - Prosecutor (the attacker knows the target is in the data): a record's
//!   risk is 1/|E| for its class E; highest = 1/min|E|; average = classes/n.
//! - Journalist (the attacker does not know): risk against a population
//!   table. Without one, Veil takes the data as the population, so the
//!   journalist figures equal the prosecutor's (stated in the report).
//! - Marketer (re-identify as many as possible): expected share of records
//!   re-identified = classes/n under the same assumption.

use rustc_hash::FxHashMap;
use serde::Serialize;

/// Equivalence classes of rows sharing the same quasi-identifier key.
#[derive(Clone, Debug, PartialEq)]
pub struct Classes {
    /// Size of each class.
    pub sizes: Vec<u32>,
    /// Class index of each row.
    pub of_row: Vec<u32>,
}

/// Groups rows by key (one key per row).
pub fn classes(keys: impl Iterator<Item = u64>) -> Classes {
    let mut index: FxHashMap<u64, u32> = FxHashMap::default();
    let mut sizes = Vec::new();
    let of_row = keys
        .map(|k| {
            let next = sizes.len() as u32;
            let c = *index.entry(k).or_insert_with(|| {
                sizes.push(0);
                next
            });
            sizes[c as usize] += 1;
            c
        })
        .collect();
    Classes { sizes, of_row }
}

/// One attacker model's figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttackerRisk {
    /// Highest record risk.
    pub highest: f64,
    /// Average record risk.
    pub average: f64,
    /// Share of records whose risk exceeds the threshold.
    pub records_at_risk: f64,
}

/// Risk figures of a table.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RiskFigures {
    /// Records counted.
    pub records: usize,
    /// Equivalence classes.
    pub classes: usize,
    /// Smallest class size: the table is k-anonymous for this k (0 for no records).
    pub k: u32,
    /// Mean class size.
    pub average_class_size: f64,
    /// Records alone in their class.
    pub unique_records: usize,
    /// Their share.
    pub unique_share: f64,
    /// Record-risk threshold used for `records_at_risk`.
    pub threshold: f64,
    /// Prosecutor model.
    pub prosecutor: AttackerRisk,
    /// Journalist model: against the population table when one is given,
    /// else the data taken as the population (then equal to the prosecutor's).
    pub journalist: AttackerRisk,
    /// Marketer model: expected share of records re-identified.
    pub marketer: f64,
    /// The population table behind the journalist and marketer figures
    /// (None: the data itself).
    pub population: Option<String>,
    /// Class size → number of classes of that size, ascending.
    pub class_size_histogram: Vec<(u32, usize)>,
}

/// Risk figures from class sizes; `threshold` is the record risk above which
/// a record counts as at risk (ARX's default is 0.2 for k = 5).
pub fn risk(sizes: &[u32], threshold: f64) -> RiskFigures {
    let mut hist: std::collections::BTreeMap<u32, usize> = Default::default();
    for &s in sizes {
        *hist.entry(s).or_default() += 1;
    }
    risk_from_histogram(&hist, threshold)
}

/// Risk figures from a class-size histogram (size → number of classes):
/// the same figures as [`risk`] without holding one entry per class.
pub fn risk_from_histogram(
    hist: &std::collections::BTreeMap<u32, usize>,
    threshold: f64,
) -> RiskFigures {
    let n: usize = hist.iter().map(|(&s, &c)| s as usize * c).sum();
    let classes: usize = hist.values().sum();
    let k = hist.keys().next().copied().unwrap_or(0);
    let unique = hist.get(&1).copied().unwrap_or(0);
    let at_risk: usize = hist
        .iter()
        .filter(|&(&s, _)| s > 0 && 1.0 / f64::from(s) > threshold)
        .map(|(&s, &c)| s as usize * c)
        .sum();
    let nf = n.max(1) as f64;
    let pros = AttackerRisk {
        highest: if k == 0 { 0.0 } else { 1.0 / f64::from(k) },
        average: classes as f64 / nf,
        records_at_risk: at_risk as f64 / nf,
    };
    RiskFigures {
        records: n,
        classes,
        k,
        average_class_size: n as f64 / classes.max(1) as f64,
        unique_records: unique,
        unique_share: unique as f64 / nf,
        threshold,
        journalist: pros.clone(),
        marketer: classes as f64 / nf,
        population: None,
        prosecutor: pros,
        class_size_histogram: hist.iter().map(|(&s, &c)| (s, c)).collect(),
    }
}

/// Journalist and marketer figures against a population (El Emam's
/// definitions, as ARX computes them): class j holds `f[j]` records of the
/// data and `big_f[j]` ≥ `f[j]` of the population; a record's journalist
/// risk is 1/F_j, the marketer expects Σ f_j/F_j / n records re-identified.
pub fn journalist(f: &[u32], big_f: &[f64], threshold: f64) -> (AttackerRisk, f64) {
    let n: f64 = f.iter().map(|&x| f64::from(x)).sum();
    let nf = n.max(1.0);
    let mut highest = 0.0f64;
    let mut expected = 0.0;
    let mut at_risk = 0.0;
    for (&fj, &bj) in f.iter().zip(big_f) {
        let r = 1.0 / bj;
        highest = highest.max(r);
        expected += f64::from(fj) * r;
        if r > threshold {
            at_risk += f64::from(fj);
        }
    }
    (
        AttackerRisk {
            highest,
            average: expected / nf,
            records_at_risk: at_risk / nf,
        },
        expected / nf,
    )
}

/// Per-class counts of a sensitive attribute's values (`values` ids < `m`).
pub fn class_distributions(
    of_row: &[u32],
    nclasses: usize,
    values: &[u32],
    m: usize,
) -> Vec<Vec<u32>> {
    let mut d = vec![vec![0u32; m]; nclasses];
    for (&c, &v) in of_row.iter().zip(values) {
        d[c as usize][v as usize] += 1;
    }
    d
}

/// Distinct values in a class.
pub fn distinct(counts: &[u32]) -> usize {
    counts.iter().filter(|&&c| c > 0).count()
}

/// exp(entropy) of a class's values: entropy l-diversity holds for l ≤ this.
pub fn entropy_l(counts: &[u32]) -> f64 {
    let n: u32 = counts.iter().sum();
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    let h: f64 = counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.ln()
        })
        .sum();
    h.exp()
}

/// Earth mover's distance between a class's distribution and the table's:
/// equal ground distance (½ Σ|p − q|) for categories, ordered distance
/// (Σᵢ |Σ_{j≤i}(pⱼ − qⱼ)| / (m − 1)) when the values are ordered by id.
pub fn emd(counts: &[u32], overall: &[f64], ordered: bool) -> f64 {
    let n: u32 = counts.iter().sum();
    if n == 0 {
        return 0.0;
    }
    let n = f64::from(n);
    if ordered {
        let m = counts.len();
        if m < 2 {
            return 0.0;
        }
        let mut acc = 0.0;
        let mut total = 0.0;
        for (c, q) in counts.iter().zip(overall) {
            acc += f64::from(*c) / n - q;
            total += acc.abs();
        }
        total / (m - 1) as f64
    } else {
        0.5 * counts
            .iter()
            .zip(overall)
            .map(|(c, q)| (f64::from(*c) / n - q).abs())
            .sum::<f64>()
    }
}

/// Diversity figures of a sensitive attribute over the classes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diversity {
    /// The sensitive column.
    pub column: String,
    /// Smallest number of distinct values in a class (distinct l-diversity).
    pub distinct_l: usize,
    /// Smallest exp(entropy) over classes (entropy l-diversity).
    pub entropy_l: f64,
    /// Largest EMD between a class and the table (t-closeness).
    pub t: f64,
    /// Whether t used the ordered distance.
    pub ordered: bool,
}

/// Diversity of `values` (ids < m) over `cls`.
pub fn diversity(
    column: &str,
    cls: &Classes,
    values: &[u32],
    m: usize,
    ordered: bool,
) -> Diversity {
    let d = class_distributions(&cls.of_row, cls.sizes.len(), values, m);
    let n = values.len().max(1) as f64;
    let mut overall = vec![0.0; m];
    for &v in values {
        overall[v as usize] += 1.0 / n;
    }
    Diversity {
        column: column.to_string(),
        distinct_l: d.iter().map(|c| distinct(c)).min().unwrap_or(0),
        entropy_l: d
            .iter()
            .map(|c| entropy_l(c))
            .fold(f64::INFINITY, f64::min)
            .min(if d.is_empty() { 0.0 } else { f64::INFINITY }),
        t: d.iter()
            .map(|c| emd(c, &overall, ordered))
            .fold(0.0, f64::max),
        ordered,
    }
}
