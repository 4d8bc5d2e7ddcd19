//! The jobs behind `veil anonymize` and `veil audit data`: read the table,
//! build the hierarchies over its values, search, write the generalised
//! table (original column names, generalised values as text, suppressed rows
//! removed and counted), and report loss and risk before and after.

use crate::config::{Algorithm, AnonymizeConfig};
use crate::error::{AnonymizeError, Result};
use crate::hierarchy::Hierarchy;
use crate::hierarchy::HierarchySpec;
use crate::risk::{Diversity, RiskFigures, classes, diversity, risk, risk_from_histogram};
use crate::search::{Loss, NodeEval, PrivacyModel, Problem, Sensitive, full_domain};
use crate::spill::{SpillLimits, mondrian_file};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use veil_core::io::atomic::AtomicFile;
use veil_core::io::columns::{CsvLayout, column_names, read_columns};

/// Value ids for one column, with where each distinct value first occurs.
fn intern(cells: &[String], positions: &[u64]) -> (Vec<u32>, Vec<String>, Vec<u64>) {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut values = Vec::new();
    let mut first = Vec::new();
    let codes = cells
        .iter()
        .zip(positions)
        .map(|(c, &p)| {
            let next = values.len() as u32;
            *ids.entry(c).or_insert_with(|| {
                values.push(c.clone());
                first.push(p);
                next
            })
        })
        .collect();
    (codes, values, first)
}

/// Reads the quasi-identifiers and the sensitive column of `input` and builds the search problem.
pub fn load_problem(cfg: &AnonymizeConfig, input: &Path) -> Result<Problem> {
    let d = load_codes(cfg, input)?;
    let hierarchies = cfg
        .anonymize
        .quasi_identifiers
        .iter()
        .enumerate()
        .map(|(i, q)| Hierarchy::build(q, &cfg.hierarchy[q], &d.values[i], &d.first[i], input))
        .collect::<Result<_>>()?;
    Ok(Problem {
        hierarchies,
        codes: d.codes,
        sensitive: d.sensitive,
    })
}

/// The numbers behind each numeric quasi-identifier's value ids (None for categorical ones).
pub(crate) fn numeric_values(
    cfg: &AnonymizeConfig,
    hierarchies: &[Hierarchy],
) -> Vec<Option<Vec<f64>>> {
    cfg.anonymize
        .quasi_identifiers
        .iter()
        .zip(hierarchies)
        .map(|(q, h)| match cfg.hierarchy[q] {
            HierarchySpec::Interval { .. } | HierarchySpec::Breakpoints { .. } => Some(
                h.levels[0]
                    .labels
                    .iter()
                    .map(|v| v.trim().parse::<f64>().unwrap_or(f64::NAN))
                    .collect(),
            ),
            _ => None,
        })
        .collect()
}

/// The released label of quasi-identifier q for row r under a lattice node.
fn node_label<'a>(p: &'a Problem, e: &NodeEval, q: usize, r: usize) -> &'a str {
    let level = &p.hierarchies[q].levels[e.levels[q]];
    &level.labels[level.map[p.codes[q][r] as usize] as usize]
}

/// The privacy model from the configuration.
pub fn model(cfg: &AnonymizeConfig) -> PrivacyModel {
    let a = &cfg.anonymize;
    PrivacyModel {
        k: a.k,
        l: a.l.map(|l| (a.l_kind, l)),
        t: a.t,
        suppression_limit: a.suppression_limit,
    }
}

/// One quasi-identifier's chosen level.
#[derive(Clone, Debug, Serialize)]
pub struct ChosenLevel {
    /// Column.
    pub column: String,
    /// Level chosen (0 = original values).
    pub level: usize,
    /// Height of its hierarchy (the top is `*`).
    pub height: usize,
}

/// What `veil anonymize` did.
#[derive(Clone, Debug, Serialize)]
pub struct AnonymizeReport {
    /// Veil's version.
    pub veil_version: String,
    /// Input file.
    pub input: PathBuf,
    /// Its SHA-256.
    pub input_sha256: String,
    /// Output file.
    pub output: PathBuf,
    /// Algorithm.
    pub algorithm: String,
    /// The privacy model.
    pub model: PrivacyModel,
    /// Rows read.
    pub rows_in: usize,
    /// Rows written.
    pub rows_out: usize,
    /// Rows suppressed (removed).
    pub rows_suppressed: usize,
    /// Level per quasi-identifier.
    pub levels: Vec<ChosenLevel>,
    /// Information loss.
    pub loss: Loss,
    /// Risk of the input over the quasi-identifiers.
    pub risk_before: RiskFigures,
    /// Risk of the output.
    pub risk_after: RiskFigures,
    /// Diversity of the sensitive attribute in the output.
    pub diversity_after: Option<Diversity>,
    /// Lattice nodes.
    pub nodes_total: usize,
    /// Nodes evaluated on the rows.
    pub nodes_evaluated: usize,
    /// Seconds for the search.
    pub search_seconds: f64,
    /// Mondrian: partitions split out of core, on counts streamed from disk
    /// (0 when every partition fit in memory).
    pub out_of_core_splits: usize,
}

/// Equivalence classes of the untouched quasi-identifiers.
pub fn original_classes(p: &Problem) -> Result<crate::risk::Classes> {
    let none = PrivacyModel {
        k: 1,
        l: None,
        t: None,
        suppression_limit: 1.0,
    };
    Ok(p.evaluate(&vec![0; p.hierarchies.len()], &none)?.classes)
}

fn check_feasible(p: &Problem, m: &PrivacyModel, input: &Path) -> Result<()> {
    let n = p.rows();
    if n == 0 {
        return Err(AnonymizeError::Infeasible(format!(
            "{}: no rows",
            input.display()
        )));
    }
    if m.k as usize > n {
        return Err(AnonymizeError::Infeasible(format!(
            "{}: k = {} is larger than the table ({n} rows)",
            input.display(),
            m.k
        )));
    }
    if let (Some(s), Some((_, l))) = (&p.sensitive, m.l)
        && (s.m as f64) < l
    {
        return Err(AnonymizeError::Infeasible(format!(
            "{}: l = {l} but `{}` has only {} distinct values",
            input.display(),
            s.column,
            s.m
        )));
    }
    Ok(())
}

/// Anonymises `input` into `output` with the configured algorithm.
pub fn anonymize(cfg: &AnonymizeConfig, input: &Path, output: &Path) -> Result<AnonymizeReport> {
    anonymize_with(cfg, input, output, SpillLimits::default())
}

/// [`anonymize`] with explicit memory limits for Mondrian (the full-domain
/// search holds the quasi-identifiers of every row in memory).
pub fn anonymize_with(
    cfg: &AnonymizeConfig,
    input: &Path,
    output: &Path,
    limits: SpillLimits,
) -> Result<AnonymizeReport> {
    cfg.check_hierarchies()?;
    let m = model(cfg);
    let threshold = cfg.anonymize.risk_threshold;
    let report = |rows_in: usize,
                  rows_out: usize,
                  rows_suppressed: usize,
                  levels: Vec<ChosenLevel>,
                  loss: Loss,
                  risk_before: RiskFigures,
                  risk_after: RiskFigures,
                  diversity_after: Option<Diversity>,
                  nodes: (usize, usize),
                  search_seconds: f64,
                  out_of_core_splits: usize|
     -> Result<AnonymizeReport> {
        Ok(AnonymizeReport {
            veil_version: env!("CARGO_PKG_VERSION").to_string(),
            input: input.to_path_buf(),
            input_sha256: veil_core::io::batches::sha256_file(input)?,
            output: output.to_path_buf(),
            algorithm: match cfg.anonymize.algorithm {
                Algorithm::FullDomain => "optimal full-domain generalisation (lattice search with monotonicity and loss-bound pruning)".into(),
                Algorithm::Mondrian => "Mondrian multidimensional partitioning (strict, median splits, out-of-core above 1,048,576 rows per partition)".into(),
            },
            model: m,
            rows_in,
            rows_out,
            rows_suppressed,
            levels,
            loss,
            risk_before,
            risk_after,
            diversity_after,
            nodes_total: nodes.0,
            nodes_evaluated: nodes.1,
            search_seconds,
            out_of_core_splits,
        })
    };
    match cfg.anonymize.algorithm {
        Algorithm::FullDomain => {
            let p = load_problem(cfg, input)?;
            check_feasible(&p, &m, input)?;
            let t = std::time::Instant::now();
            let risk_before = risk(&original_classes(&p)?.sizes, threshold);
            let sol = full_domain(&p, &m)?;
            let secs = t.elapsed().as_secs_f64();
            let (rows_out, div) = write_output(cfg, input, output, &p, &sol.eval)?;
            let levels = p
                .hierarchies
                .iter()
                .zip(&sol.eval.levels)
                .map(|(h, &l)| ChosenLevel {
                    column: h.column.clone(),
                    level: l,
                    height: h.height(),
                })
                .collect();
            report(
                p.rows(),
                rows_out,
                sol.eval.suppressed,
                levels,
                sol.loss,
                risk_before,
                risk(&sol.eval.kept_sizes(), threshold),
                div,
                (sol.nodes_total, sol.nodes_evaluated),
                secs,
                0,
            )
        }
        Algorithm::Mondrian => {
            if let Some((_, l)) = m.l
                && cfg.anonymize.sensitive.is_none()
            {
                return Err(AnonymizeError::Infeasible(format!(
                    "l = {l} needs a sensitive attribute (anonymize.sensitive)"
                )));
            }
            let t = std::time::Instant::now();
            let r = mondrian_file(cfg, input, output, limits)?;
            let secs = t.elapsed().as_secs_f64();
            let classes: usize = r.after.values().sum();
            let loss = Loss {
                ncp: r.ncp,
                generalisation_intensity: None,
                discernibility: r.discernibility,
                average_class_size_ratio: r.rows as f64
                    / classes.max(1) as f64
                    / f64::from(m.k.max(1)),
            };
            report(
                r.rows as usize,
                r.rows as usize,
                0,
                Vec::new(),
                loss,
                risk_from_histogram(&r.before, threshold),
                risk_from_histogram(&r.after, threshold),
                r.diversity,
                (0, 0),
                secs,
                r.spilled_splits,
            )
        }
    }
}

fn write_output(
    cfg: &AnonymizeConfig,
    input: &Path,
    output: &Path,
    p: &Problem,
    e: &NodeEval,
) -> Result<(usize, Option<Diversity>)> {
    let all_names = column_names(input, &cfg.source)?;
    for d in &cfg.anonymize.drop {
        if !all_names.contains(d) {
            return Err(AnonymizeError::Core(veil_core::Error::MissingColumn {
                path: input.to_path_buf(),
                column: d.clone(),
                available: all_names.join(", "),
            }));
        }
    }
    let names: Vec<String> = all_names
        .into_iter()
        .filter(|n| !cfg.anonymize.drop.contains(n))
        .collect();
    let all = read_columns(input, &cfg.source, &names, &[])?;
    if all.len() != p.rows() {
        return Err(AnonymizeError::Infeasible(format!(
            "{}: the file changed while it was read",
            input.display()
        )));
    }
    let qi_index: Vec<Option<usize>> = names
        .iter()
        .map(|n| cfg.anonymize.quasi_identifiers.iter().position(|q| q == n))
        .collect();
    let mut f = AtomicFile::create(output)?;
    let io = |e: std::io::Error| {
        AnonymizeError::Core(veil_core::Error::Io {
            path: output.to_path_buf(),
            source: e,
        })
    };
    let mut rows_out = 0;
    {
        let mut w = csv::Writer::from_writer(&mut f);
        w.write_record(&names).map_err(|e| io(e.into()))?;
        let mut rec: Vec<&str> = Vec::with_capacity(names.len());
        for r in 0..all.len() {
            if !e.kept(r) {
                continue;
            }
            rec.clear();
            for (c, qi) in qi_index.iter().enumerate() {
                rec.push(match qi {
                    Some(q) => node_label(p, e, *q, r),
                    None => &all.cells[c][r],
                });
            }
            w.write_record(&rec).map_err(|e| io(e.into()))?;
            rows_out += 1;
        }
        w.flush().map_err(io)?;
    }
    f.flush().map_err(io)?;
    f.commit()?;
    let div = p.sensitive.as_ref().map(|s| {
        let keep: Vec<usize> = (0..p.rows()).filter(|&r| e.kept(r)).collect();
        let cls = classes(keep.iter().map(|&r| u64::from(e.classes.of_row[r])));
        let vals: Vec<u32> = keep.iter().map(|&r| s.values[r]).collect();
        diversity(&s.column, &cls, &vals, s.m, s.ordered)
    });
    Ok((rows_out, div))
}

/// One check of an audit against a configured threshold.
#[derive(Clone, Debug, Serialize)]
pub struct Verdict {
    /// What is checked.
    pub check: String,
    /// The configured requirement.
    pub required: f64,
    /// The measured value.
    pub measured: f64,
    /// Whether it holds.
    pub pass: bool,
}

/// What `veil audit data` found.
#[derive(Clone, Debug, Serialize)]
pub struct AuditReport {
    /// Veil's version.
    pub veil_version: String,
    /// Input file.
    pub input: PathBuf,
    /// Its SHA-256.
    pub input_sha256: String,
    /// Quasi-identifiers audited.
    pub quasi_identifiers: Vec<String>,
    /// Where they came from: the configuration, or suggested from the profile.
    pub quasi_identifiers_from: String,
    /// Every column: findings of the detection engine and a suggested role.
    pub columns: Vec<crate::columns::ColumnReport>,
    /// Re-identification risk over them (journalist and marketer against the population table when one is given).
    pub risk: RiskFigures,
    /// Diversity of the sensitive attribute.
    pub diversity: Option<Diversity>,
    /// Checks against the configuration's k, l, t and risk threshold.
    pub verdicts: Vec<Verdict>,
    /// Whether every check passed.
    pub pass: bool,
}

/// A population table for journalist risk.
#[derive(Clone, Debug)]
pub struct Population {
    /// CSV with a header holding the quasi-identifier columns.
    pub path: PathBuf,
    /// Column giving each row's count (every row counts once without it).
    pub count: Option<String>,
}

/// Quasi-identifier value ids (column-major) and the sensitive attribute,
/// without hierarchies; also each QI's distinct values (with where each
/// first occurs, for errors) and the rows' positions.
struct Codes {
    codes: Vec<Vec<u32>>,
    values: Vec<Vec<String>>,
    first: Vec<Vec<u64>>,
    positions: Vec<u64>,
    sensitive: Option<Sensitive>,
}

fn load_codes(cfg: &AnonymizeConfig, input: &Path) -> Result<Codes> {
    let a = &cfg.anonymize;
    let mut wanted = a.quasi_identifiers.clone();
    wanted.extend(a.sensitive.iter().cloned());
    let table = read_columns(input, &cfg.source, &wanted, &[])?;
    let nq = a.quasi_identifiers.len();
    let mut codes = Vec::with_capacity(nq);
    let mut values = Vec::with_capacity(nq);
    let mut first = Vec::with_capacity(nq);
    for q in 0..nq {
        let (c, v, f) = intern(&table.cells[q], &table.positions);
        codes.push(c);
        values.push(v);
        first.push(f);
    }
    let sensitive = a.sensitive.as_ref().map(|s| {
        let (mut c, v, _) = intern(&table.cells[nq], &table.positions);
        if a.sensitive_ordered {
            // ids in value order: numbers numerically, the rest after them as text
            let rank = crate::spill::value_order(&v);
            for x in &mut c {
                *x = rank[*x as usize];
            }
        }
        Sensitive {
            column: s.clone(),
            values: c,
            m: v.len(),
            ordered: a.sensitive_ordered,
        }
    });
    Ok(Codes {
        codes,
        values,
        first,
        positions: table.positions,
        sensitive,
    })
}

/// Equivalence classes over the original values.
fn tuple_classes(codes: &[Vec<u32>]) -> crate::risk::Classes {
    let n = codes.first().map_or(0, Vec::len);
    let mut ids: FxHashMap<Vec<u32>, u32> = FxHashMap::default();
    let mut sizes = Vec::new();
    let mut of_row = Vec::with_capacity(n);
    for r in 0..n {
        let key: Vec<u32> = codes.iter().map(|c| c[r]).collect();
        let next = sizes.len() as u32;
        let c = *ids.entry(key).or_insert_with(|| {
            sizes.push(0);
            next
        });
        sizes[c as usize] += 1;
        of_row.push(c);
    }
    crate::risk::Classes { sizes, of_row }
}

/// Population counts of each class: `first_row[j]` is a data row of class j.
fn population_sizes(
    pop: &Population,
    cfg: &AnonymizeConfig,
    input: &Path,
    d: &Codes,
    cls: &crate::risk::Classes,
) -> Result<Vec<f64>> {
    let qis = &cfg.anonymize.quasi_identifiers;
    let mut wanted = qis.clone();
    wanted.extend(pop.count.iter().cloned());
    let t = read_columns(&pop.path, &CsvLayout::default(), &wanted, &[])?;
    let mut counts: FxHashMap<Vec<&str>, f64> = FxHashMap::default();
    for r in 0..t.len() {
        let w = match &pop.count {
            None => 1.0,
            Some(c) => {
                let x = t.cells[qis.len()][r].trim();
                match x.parse::<f64>() {
                    Ok(v) if v.is_finite() && v >= 0.0 => v,
                    _ => {
                        return Err(AnonymizeError::Config {
                            path: pop.path.clone(),
                            message: format!(
                                "line {}: column `{c}` is not a count (a number ≥ 0)",
                                t.positions[r]
                            ),
                        });
                    }
                }
            }
        };
        let key: Vec<&str> = (0..qis.len()).map(|q| t.cells[q][r].as_str()).collect();
        *counts.entry(key).or_default() += w;
    }
    let mut first = vec![usize::MAX; cls.sizes.len()];
    for (r, &c) in cls.of_row.iter().enumerate() {
        if first[c as usize] == usize::MAX {
            first[c as usize] = r;
        }
    }
    first
        .iter()
        .zip(&cls.sizes)
        .map(|(&r, &f)| {
            let key: Vec<&str> = (0..qis.len())
                .map(|q| d.values[q][d.codes[q][r] as usize].as_str())
                .collect();
            let big = counts.get(&key).copied().unwrap_or(0.0);
            if big < f64::from(f) {
                return Err(AnonymizeError::Config {
                    path: pop.path.clone(),
                    message: format!(
                        "the population holds {big} records with the quasi-identifier values of {} line {}, \
                         fewer than the {f} in the data: the population must contain the data",
                        input.display(),
                        d.positions[r]
                    ),
                });
            }
            Ok(big)
        })
        .collect()
}

/// Quasi-identifiers an audit without a configuration uses: the columns
/// the profile calls quasi-identifier candidates.
pub fn suggested_quasi_identifiers(columns: &[crate::columns::ColumnReport]) -> Vec<String> {
    columns
        .iter()
        .filter(|c| c.role == "quasi-identifier candidate")
        .map(|c| c.column.clone())
        .collect()
}

/// Audits `input` as it is (no generalisation); `analyzer` profiles the
/// columns. Without a configuration the suggested quasi-identifiers are
/// audited against the default thresholds; `population` overrides the
/// configuration's population table.
pub fn audit(
    cfg: Option<&AnonymizeConfig>,
    input: &Path,
    analyzer: &veil_detect::Analyzer,
    population: Option<Population>,
) -> Result<AuditReport> {
    let layout = cfg.map(|c| c.source.clone()).unwrap_or_default();
    let columns = crate::columns::profile(input, &layout, analyzer)?;
    let (owned, source);
    let cfg = match cfg {
        Some(c) => {
            source = format!("configuration {}", c.path.display());
            c
        }
        None => {
            let q = suggested_quasi_identifiers(&columns);
            if q.is_empty() {
                return Err(AnonymizeError::Infeasible(format!(
                    "{}: no column looks like a quasi-identifier; name them in a TOML file ([anonymize] quasi_identifiers = [...]) and pass --config",
                    input.display()
                )));
            }
            owned = AnonymizeConfig::for_audit(layout, q);
            source = "suggested from the column profile (override with --config)".to_string();
            &owned
        }
    };
    let population = population.or_else(|| {
        cfg.anonymize.population.clone().map(|path| Population {
            path,
            count: cfg.anonymize.population_count.clone(),
        })
    });
    let d = load_codes(cfg, input)?;
    let cls = tuple_classes(&d.codes);
    let a = &cfg.anonymize;
    let mut r = risk(&cls.sizes, a.risk_threshold);
    if let Some(pop) = &population {
        let big = population_sizes(pop, cfg, input, &d, &cls)?;
        let (j, m) = crate::risk::journalist(&cls.sizes, &big, a.risk_threshold);
        r.journalist = j;
        r.marketer = m;
        r.population = Some(pop.path.display().to_string());
    }
    let div = d
        .sensitive
        .as_ref()
        .map(|s| diversity(&s.column, &cls, &s.values, s.m, s.ordered));
    let mut verdicts = vec![
        Verdict {
            check: "k-anonymity (smallest class)".into(),
            required: f64::from(a.k),
            measured: f64::from(r.k),
            pass: r.k >= a.k,
        },
        Verdict {
            check: "prosecutor: share of records with risk above the threshold".into(),
            required: 0.0,
            measured: r.prosecutor.records_at_risk,
            pass: r.prosecutor.records_at_risk == 0.0,
        },
    ];
    if let (Some(d), Some(l)) = (&div, a.l) {
        let measured = match a.l_kind {
            crate::search::LKind::Distinct => d.distinct_l as f64,
            crate::search::LKind::Entropy => d.entropy_l,
        };
        verdicts.push(Verdict {
            check: format!("{:?} l-diversity of {}", a.l_kind, d.column).to_lowercase(),
            required: l,
            measured,
            pass: measured >= l,
        });
    }
    if let (Some(d), Some(t)) = (&div, a.t) {
        verdicts.push(Verdict {
            check: format!("t-closeness of {}", d.column),
            required: t,
            measured: d.t,
            pass: d.t <= t,
        });
    }
    let pass = verdicts.iter().all(|v| v.pass);
    Ok(AuditReport {
        veil_version: env!("CARGO_PKG_VERSION").to_string(),
        input: input.to_path_buf(),
        input_sha256: veil_core::io::batches::sha256_file(input)?,
        quasi_identifiers: a.quasi_identifiers.clone(),
        quasi_identifiers_from: source,
        columns,
        risk: r,
        diversity: div,
        verdicts,
        pass,
    })
}
