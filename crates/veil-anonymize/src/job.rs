//! The jobs behind `veil anonymize` and `veil audit data`: read the table,
//! build the hierarchies over its values, search, write the generalised
//! table (original column names, generalised values as text, suppressed rows
//! removed and counted), and report loss and risk before and after.

use crate::config::{Algorithm, AnonymizeConfig};
use crate::error::{AnonymizeError, Result};
use crate::hierarchy::Hierarchy;
use crate::hierarchy::HierarchySpec;
use crate::mondrian::{Partitioning, mondrian};
use crate::risk::{Diversity, RiskFigures, classes, diversity, risk};
use crate::search::{Loss, NodeEval, PrivacyModel, Problem, Sensitive, full_domain};
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use veil_core::io::atomic::AtomicFile;
use veil_core::io::columns::{ColumnTable, column_names, read_columns};

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
pub fn load_problem(cfg: &AnonymizeConfig, input: &Path) -> Result<(ColumnTable, Problem)> {
    let a = &cfg.anonymize;
    let mut wanted = a.quasi_identifiers.clone();
    wanted.extend(a.sensitive.iter().cloned());
    let table = read_columns(input, &cfg.source, &wanted, &[])?;
    let mut hierarchies = Vec::new();
    let mut codes = Vec::new();
    for (i, q) in a.quasi_identifiers.iter().enumerate() {
        let (c, values, first) = intern(&table.cells[i], &table.positions);
        let spec = &cfg.hierarchy[q];
        hierarchies.push(Hierarchy::build(q, spec, &values, &first, input)?);
        codes.push(c);
    }
    let sensitive = a.sensitive.as_ref().map(|s| {
        let (mut c, values, _) = intern(&table.cells[a.quasi_identifiers.len()], &table.positions);
        if a.sensitive_ordered {
            // ids in value order: numbers numerically, the rest after them as text
            let mut order: Vec<usize> = (0..values.len()).collect();
            order.sort_by(|&x, &y| {
                let (px, py) = (values[x].parse::<f64>().ok(), values[y].parse::<f64>().ok());
                match (px, py) {
                    (Some(a), Some(b)) => a.total_cmp(&b),
                    (Some(_), None) => std::cmp::Ordering::Less,
                    (None, Some(_)) => std::cmp::Ordering::Greater,
                    (None, None) => values[x].cmp(&values[y]),
                }
            });
            let mut rank = vec![0u32; values.len()];
            for (r, &o) in order.iter().enumerate() {
                rank[o] = r as u32;
            }
            for v in &mut c {
                *v = rank[*v as usize];
            }
        }
        Sensitive {
            column: s.clone(),
            values: c,
            m: values.len(),
            ordered: a.sensitive_ordered,
        }
    });
    Ok((
        table,
        Problem {
            hierarchies,
            codes,
            sensitive,
        },
    ))
}

/// The numbers behind each numeric quasi-identifier's value ids (None for categorical ones).
fn numeric_values(cfg: &AnonymizeConfig, p: &Problem) -> Vec<Option<Vec<f64>>> {
    cfg.anonymize
        .quasi_identifiers
        .iter()
        .zip(&p.hierarchies)
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

/// The generalised table: a lattice node with suppression, or Mondrian partitions.
enum Generalised<'a> {
    Node(&'a NodeEval),
    Parts(&'a Partitioning),
}

impl Generalised<'_> {
    fn kept(&self, r: usize) -> bool {
        match self {
            Generalised::Node(e) => e.kept(r),
            Generalised::Parts(_) => true,
        }
    }

    fn class(&self, r: usize) -> u32 {
        match self {
            Generalised::Node(e) => e.classes.of_row[r],
            Generalised::Parts(pt) => pt.of_row[r],
        }
    }

    fn label<'b>(&'b self, p: &'b Problem, q: usize, r: usize) -> &'b str {
        match self {
            Generalised::Node(e) => {
                let level = &p.hierarchies[q].levels[e.levels[q]];
                &level.labels[level.map[p.codes[q][r] as usize] as usize]
            }
            Generalised::Parts(pt) => &pt.labels[pt.of_row[r] as usize][q],
        }
    }
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

/// Runs the full-domain search on `input` and writes the generalised table to `output`.
pub fn anonymize(cfg: &AnonymizeConfig, input: &Path, output: &Path) -> Result<AnonymizeReport> {
    let (_, p) = load_problem(cfg, input)?;
    let m = model(cfg);
    check_feasible(&p, &m, input)?;
    let t = std::time::Instant::now();
    let risk_before = risk(&original_classes(&p)?.sizes, cfg.anonymize.risk_threshold);
    let threshold = cfg.anonymize.risk_threshold;
    let (levels, loss, suppressed, nodes, after_sizes, rows_out, diversity_after, search_seconds) =
        match cfg.anonymize.algorithm {
            Algorithm::FullDomain => {
                let sol = full_domain(&p, &m)?;
                let secs = t.elapsed().as_secs_f64();
                let (rows_out, div) =
                    write_output(cfg, input, output, &p, &Generalised::Node(&sol.eval))?;
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
                (
                    levels,
                    sol.loss,
                    sol.eval.suppressed,
                    (sol.nodes_total, sol.nodes_evaluated),
                    sol.eval.kept_sizes(),
                    rows_out,
                    div,
                    secs,
                )
            }
            Algorithm::Mondrian => {
                let parts = mondrian(&p, &m, &numeric_values(cfg, &p))?;
                let secs = t.elapsed().as_secs_f64();
                let (rows_out, div) =
                    write_output(cfg, input, output, &p, &Generalised::Parts(&parts))?;
                let n = p.rows();
                let loss = Loss {
                    ncp: parts.ncp(),
                    generalisation_intensity: None,
                    discernibility: parts
                        .sizes
                        .iter()
                        .map(|&s| f64::from(s) * f64::from(s))
                        .sum(),
                    average_class_size_ratio: n as f64
                        / parts.sizes.len().max(1) as f64
                        / f64::from(m.k.max(1)),
                };
                (
                    Vec::new(),
                    loss,
                    0,
                    (0, 0),
                    parts.sizes.clone(),
                    rows_out,
                    div,
                    secs,
                )
            }
        };
    let risk_after = risk(&after_sizes, threshold);
    Ok(AnonymizeReport {
        veil_version: env!("CARGO_PKG_VERSION").to_string(),
        input: input.to_path_buf(),
        input_sha256: veil_core::io::batches::sha256_file(input)?,
        output: output.to_path_buf(),
        algorithm: match cfg.anonymize.algorithm {
            Algorithm::FullDomain => "optimal full-domain generalisation (lattice search with monotonicity and loss-bound pruning)".into(),
            Algorithm::Mondrian => "Mondrian multidimensional partitioning (strict, median splits)".into(),
        },
        model: m,
        rows_in: p.rows(),
        rows_out,
        rows_suppressed: suppressed,
        levels,
        loss,
        risk_before,
        risk_after,
        diversity_after,
        nodes_total: nodes.0,
        nodes_evaluated: nodes.1,
        search_seconds,
    })
}

fn write_output(
    cfg: &AnonymizeConfig,
    input: &Path,
    output: &Path,
    p: &Problem,
    e: &Generalised<'_>,
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
                    Some(q) => e.label(p, *q, r),
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
        let cls = classes(keep.iter().map(|&r| u64::from(e.class(r))));
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
    /// Every column: findings of the detection engine and a suggested role.
    pub columns: Vec<crate::columns::ColumnReport>,
    /// Re-identification risk over them (journalist = prosecutor: the data is taken as the population).
    pub risk: RiskFigures,
    /// Diversity of the sensitive attribute.
    pub diversity: Option<Diversity>,
    /// Checks against the configuration's k, l, t and risk threshold.
    pub verdicts: Vec<Verdict>,
    /// Whether every check passed.
    pub pass: bool,
}

/// Audits `input` as it is (no generalisation); `analyzer` profiles the columns.
pub fn audit(
    cfg: &AnonymizeConfig,
    input: &Path,
    analyzer: &veil_detect::Analyzer,
) -> Result<AuditReport> {
    let columns = crate::columns::profile(input, &cfg.source, analyzer)?;
    let (_, p) = load_problem(cfg, input)?;
    let cls = original_classes(&p)?;
    let a = &cfg.anonymize;
    let r = risk(&cls.sizes, a.risk_threshold);
    let div = p
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
        columns,
        risk: r,
        diversity: div,
        verdicts,
        pass,
    })
}
