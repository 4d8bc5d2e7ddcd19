//! Tables (CSV with a header): each column gets an action — from the
//! policy's `[columns.NAME]`, else from the column's classification by the
//! detection engine over its first 1,000 non-empty values (`entity` when
//! most are one entity type, `scan` otherwise). Rows keep their order; a row
//! whose cells meet the quarantine rule goes to the quarantine file whole.

use crate::error::{RedactError, Result};
use crate::job::{EntityCounts, QuarantineEntry, Residual};
use crate::keys::Key;
use crate::policy::{ColumnAction, Policy};
use crate::redact::{Redactor, Span};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use veil_core::EntityType;
use veil_core::io::atomic::AtomicFile;
use veil_detect::Analyzer;
use veil_detect::structured::{ColumnProfile, DEFAULT_MIN_SHARE, DEFAULT_SAMPLE};

/// What happened to one column.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnReport {
    /// Column name.
    pub column: String,
    /// The action taken.
    pub action: ColumnAction,
    /// The entity type of an `entity` column.
    pub entity: Option<String>,
    /// Where the action came from: `policy` or the classification (`98% EMAIL_ADDRESS of 1000 sampled`).
    pub decided_by: String,
    /// Findings (scan) or cells (entity) per entity type, in rows written.
    pub findings: BTreeMap<String, usize>,
}

fn csv_err(path: &Path, e: &csv::Error) -> RedactError {
    RedactError::Record {
        path: path.to_path_buf(),
        line: e.position().map_or(0, |p| p.line()),
        message: match e.kind() {
            csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".into(),
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => {
                format!("{len} fields, expected {expected_len}")
            }
            _ => "malformed CSV".into(),
        },
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> RedactError + '_ {
    move |e| {
        RedactError::Core(veil_core::Error::Io {
            path: path.to_path_buf(),
            source: e,
        })
    }
}

/// Decides each column's action.
fn plan(
    input: &Path,
    header: &[String],
    policy: &Policy,
    analyzer: &Analyzer,
) -> Result<Vec<ColumnReport>> {
    let mut profiles: Vec<ColumnProfile> = header
        .iter()
        .map(|_| ColumnProfile::new(DEFAULT_SAMPLE))
        .collect();
    let mut rdr = csv::Reader::from_path(input).map_err(|e| csv_err(input, &e))?;
    for rec in rdr.records().take(DEFAULT_SAMPLE * 4) {
        let rec = rec.map_err(|e| csv_err(input, &e))?;
        for (c, v) in rec.iter().enumerate() {
            if c < profiles.len()
                && !v.trim().is_empty()
                && !profiles[c].full()
                && !policy.columns.contains_key(&header[c])
            {
                profiles[c].observe(v, &analyzer.analyze(v));
            }
        }
        if profiles.iter().all(ColumnProfile::full) {
            break;
        }
    }
    Ok(header
        .iter()
        .zip(&profiles)
        .map(|(name, prof)| match policy.columns.get(name) {
            Some(p) => ColumnReport {
                column: name.clone(),
                action: p.action,
                entity: match p.action {
                    ColumnAction::Entity => p
                        .entity
                        .clone()
                        .or_else(|| {
                            prof.classify(DEFAULT_MIN_SHARE)
                                .map(|c| c.entity_type.as_str().to_string())
                        })
                        .or_else(|| Some("UNKNOWN".into())),
                    _ => None,
                },
                decided_by: "policy".into(),
                findings: BTreeMap::new(),
            },
            None => match prof.classify(DEFAULT_MIN_SHARE) {
                Some(c) => ColumnReport {
                    column: name.clone(),
                    action: ColumnAction::Entity,
                    entity: Some(c.entity_type.as_str().to_string()),
                    decided_by: format!(
                        "classification: {:.0}% of {} sampled values are {}",
                        c.share * 100.0,
                        c.sampled,
                        c.entity_type
                    ),
                    findings: BTreeMap::new(),
                },
                None => ColumnReport {
                    column: name.clone(),
                    action: ColumnAction::Scan,
                    entity: None,
                    decided_by: "classification: no entity type dominates".into(),
                    findings: BTreeMap::new(),
                },
            },
        })
        .collect())
}

/// What a table run did (merged into the redaction report by the caller).
pub struct TableRun {
    /// Per-column actions and counts.
    pub columns: Vec<ColumnReport>,
    /// Per entity type.
    pub entities: BTreeMap<String, EntityCounts>,
    /// Rows read, written, quarantined.
    pub rows: (usize, usize, usize),
    /// Quarantined rows (first 1,000).
    pub quarantined: Vec<QuarantineEntry>,
    /// The re-scan.
    pub residual: Residual,
    /// The uncommitted output and quarantine files.
    pub files: (AtomicFile, AtomicFile),
}

/// Redacts a CSV table; the caller commits the files.
#[allow(clippy::too_many_arguments)]
pub fn redact_csv(
    redactor: &Redactor<'_>,
    analyzer: &Analyzer,
    policy: &Policy,
    key: Option<&Key>,
    input: &Path,
    output: &Path,
    quarantine: &Path,
) -> Result<TableRun> {
    let mut rdr = csv::Reader::from_path(input).map_err(|e| csv_err(input, &e))?;
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_err(input, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut columns = plan(input, &header, policy, analyzer)?;
    let mut out = AtomicFile::create(output)?;
    let mut qf = AtomicFile::create(quarantine)?;
    let mut entities: BTreeMap<String, EntityCounts> = BTreeMap::new();
    let mut quarantined = Vec::new();
    let mut residual = Residual::default();
    let (mut rin, mut rout, mut rq) = (0, 0, 0);
    let kept: Vec<usize> = (0..header.len())
        .filter(|&c| columns[c].action != ColumnAction::Drop)
        .collect();
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(kept.iter().map(|&c| &header[c]))
            .map_err(|e| io(output)(e.into()))?;
        let mut cells: Vec<String> = Vec::new();
        for rec in rdr.records() {
            let rec = rec.map_err(|e| csv_err(input, &e))?;
            let line = rec.position().map_or(0, |p| p.line());
            rin += 1;
            let id = line.to_string();
            cells.clear();
            let mut reasons: Vec<Span> = Vec::new();
            let mut applied: Vec<(usize, Span, &'static str)> = Vec::new();
            let mut leftover: Vec<Span> = Vec::new();
            for &c in &kept {
                let v = rec.get(c).unwrap_or_default();
                let col = &columns[c];
                match col.action {
                    ColumnAction::Drop => {}
                    ColumnAction::Keep => {
                        leftover.extend(redactor.findings_of(v).iter().map(Span::from));
                        cells.push(v.to_string());
                    }
                    ColumnAction::Scan => {
                        let o = redactor.redact(v, &id)?;
                        reasons.extend(o.quarantine);
                        applied.extend(o.applied.into_iter().map(|(s, op)| (c, s, op)));
                        leftover.extend(o.residual);
                        cells.push(o.text);
                    }
                    ColumnAction::Entity => {
                        if v.trim().is_empty() {
                            cells.push(v.to_string());
                            continue;
                        }
                        let e = EntityType::new(col.entity.as_deref().unwrap_or("UNKNOWN"));
                        let op = policy.operator(&e);
                        if policy.quarantines(&e, 1.0) {
                            reasons.push(Span {
                                entity: e.clone(),
                                start: 0,
                                end: v.len(),
                                score: 1.0,
                            });
                        }
                        cells.push(op.apply(&e, v, key, &id)?);
                        if matches!(op, crate::operator::Operator::Keep) {
                            leftover.extend(redactor.findings_of(v).iter().map(Span::from));
                        }
                        applied.push((
                            c,
                            Span {
                                entity: e,
                                start: 0,
                                end: v.len(),
                                score: 1.0,
                            },
                            op.name(),
                        ));
                    }
                }
            }
            if !reasons.is_empty() {
                for s in &reasons {
                    entities
                        .entry(s.entity.as_str().to_string())
                        .or_default()
                        .quarantine_triggers += 1;
                }
                let e = QuarantineEntry {
                    line,
                    reason: "findings meet the quarantine rule".into(),
                    findings: reasons,
                };
                let row: serde_json::Map<String, serde_json::Value> = header
                    .iter()
                    .zip(rec.iter())
                    .map(|(h, v)| (h.clone(), serde_json::Value::String(v.to_string())))
                    .collect();
                let mut j = serde_json::to_value(&e).unwrap_or_default();
                j["record"] = serde_json::Value::Object(row);
                qf.write_all(j.to_string().as_bytes())
                    .map_err(io(quarantine))?;
                qf.write_all(b"\n").map_err(io(quarantine))?;
                if quarantined.len() < 1000 {
                    quarantined.push(e);
                }
                rq += 1;
                continue;
            }
            for (c, s, op) in &applied {
                let t = s.entity.as_str().to_string();
                let ec = entities.entry(t.clone()).or_default();
                ec.found += 1;
                *ec.operators.entry((*op).to_string()).or_default() += 1;
                *columns[*c].findings.entry(t).or_default() += 1;
            }
            if !leftover.is_empty() {
                residual.records += 1;
                residual.findings += leftover.len();
                for s in &leftover {
                    *residual
                        .by_entity
                        .entry(s.entity.as_str().to_string())
                        .or_default() += 1;
                }
                if residual.examples.len() < 20 {
                    residual.examples.push(QuarantineEntry {
                        line,
                        reason: "left in the output".into(),
                        findings: leftover,
                    });
                }
            }
            w.write_record(&cells).map_err(|e| io(output)(e.into()))?;
            rout += 1;
        }
        w.flush().map_err(io(output))?;
    }
    residual.pass = residual.findings == 0;
    Ok(TableRun {
        columns,
        entities,
        rows: (rin, rout, rq),
        quarantined,
        residual,
        files: (out, qf),
    })
}
