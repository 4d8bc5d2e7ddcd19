//! Tables (CSV with a header, Parquet): each column gets an action — from the
//! policy's `[columns.NAME]`, else from the column's classification by the
//! detection engine over its first 1,000 non-empty values (`entity` when
//! most are one entity type, `scan` otherwise). Rows keep their order; a row
//! whose cells meet the quarantine rule goes to the quarantine file whole.
//! CSV cells are read and written exactly; Parquet tables are written back
//! as Parquet: kept columns with their input type, rewritten columns as text.

use crate::error::{RedactError, Result};
use crate::generalize::Generalization;
use crate::job::{EntityCounts, QuarantineEntry, Residual, io};
use crate::keys::Key;
use crate::policy::{ColumnAction, Policy};
use crate::redact::{Redactor, Span};
use rayon::prelude::*;
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use veil_core::EntityType;
use veil_core::io::atomic::AtomicFile;
use veil_core::io::compressed::{self, Output};
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
    /// Findings (scan) or cells (entity, hash, encrypt, generalize) per
    /// entity type, in rows written.
    pub findings: BTreeMap<String, usize>,
    /// The rule of a `generalize` column.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub generalize: Option<Generalization>,
}

/// The entity type counted for generalised cells.
const GENERALIZED: &str = "QUASI_IDENTIFIER";

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

/// Decides each column's action from the policy, else from the
/// classification of `sample` (rows of cells, in header order).
fn plan(
    header: &[String],
    sample: &[Vec<String>],
    policy: &Policy,
    analyzer: &Analyzer,
) -> Vec<ColumnReport> {
    let mut profiles: Vec<ColumnProfile> = header
        .iter()
        .map(|_| ColumnProfile::new(DEFAULT_SAMPLE))
        .collect();
    for rec in sample {
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
    header
        .iter()
        .zip(&profiles)
        .map(|(name, prof)| match policy.columns.get(name) {
            Some(p) => ColumnReport {
                column: name.clone(),
                action: p.action,
                entity: match p.action {
                    ColumnAction::Entity | ColumnAction::Hash | ColumnAction::Encrypt => p
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
                generalize: p.generalize.clone(),
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
                    generalize: None,
                },
                None => ColumnReport {
                    column: name.clone(),
                    action: ColumnAction::Scan,
                    entity: None,
                    decided_by: "classification: no entity type dominates".into(),
                    findings: BTreeMap::new(),
                    generalize: None,
                },
            },
        })
        .collect()
}

/// Rows sampled for the column classification.
const SAMPLE_ROWS: usize = DEFAULT_SAMPLE * 4;

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
    pub files: (Output, Output),
}

/// One row rewritten: output cells, quarantine reasons, operators applied
/// (column, span, operator), what the re-scan found, and why a cell could
/// not be generalised.
struct RowWork {
    cells: Vec<String>,
    reasons: Vec<Span>,
    applied: Vec<(usize, Span, &'static str)>,
    leftover: Vec<Span>,
    unreadable: Option<String>,
}

/// One kept cell of a row before the batch's analysis.
struct CellPlan<'v> {
    /// The cell's column.
    column: usize,
    /// The output text; `None` for a `scan` cell, which the batch redacts.
    out: Option<String>,
    /// The text whose findings are left in the output (kept values,
    /// generalised values), or the `scan` cell's text to redact.
    probe: Probe<'v>,
    /// What the column's action applied.
    applied: Vec<(usize, Span, &'static str)>,
    /// Why the row is quarantined, from the column's action.
    reasons: Vec<Span>,
}

/// Which text of a cell the batch analyses.
#[derive(Clone, Copy)]
enum Probe<'v> {
    /// None.
    Nothing,
    /// The input's value (kept, or the `scan` cell's text to redact).
    Value(&'v str),
    /// The cell's output (a generalised value).
    Output,
}

/// One row's cells before the batch's analysis.
struct RowPlan<'v> {
    /// The row's id (its line), which keys per-record date shifts.
    id: String,
    cells: Vec<CellPlan<'v>>,
    unreadable: Option<String>,
}

impl RowPlan<'_> {
    /// The row's work, given the batch's answers in row and column order:
    /// the findings of each probe, the outcome of each `scan` cell.
    fn finish(
        self,
        probed: &mut impl Iterator<Item = Vec<veil_core::Finding>>,
        scanned: &mut impl Iterator<Item = Result<crate::redact::Outcome>>,
    ) -> Result<RowWork> {
        let mut w = RowWork {
            cells: Vec::with_capacity(self.cells.len()),
            reasons: Vec::new(),
            applied: Vec::new(),
            leftover: Vec::new(),
            unreadable: self.unreadable,
        };
        for cell in self.cells {
            w.reasons.extend(cell.reasons);
            match (cell.out, cell.probe) {
                (Some(out), probe) => {
                    if !matches!(probe, Probe::Nothing) {
                        let found = probed.next().unwrap_or_default();
                        w.leftover.extend(found.iter().map(Span::from));
                    }
                    w.cells.push(out);
                }
                (None, _) => {
                    // `rows` redacts one text per scan cell, in this order.
                    let Some(o) = scanned.next() else {
                        unreachable!("one outcome per scan cell");
                    };
                    let o = o?;
                    w.reasons.extend(o.quarantine);
                    let c = cell.column;
                    w.applied
                        .extend(o.applied.into_iter().map(|(s, op)| (c, s, op)));
                    w.leftover.extend(o.residual);
                    w.cells.push(o.text);
                }
            }
            w.applied.extend(cell.applied);
        }
        Ok(w)
    }
}

/// Rows per parallel batch of a CSV table.
const BATCH_ROWS: usize = 2048;

/// The per-row work shared by CSV and Parquet tables.
struct Engine<'a, 'r> {
    redactor: &'a Redactor<'r>,
    policy: &'a Policy,
    key: Option<&'a Key>,
    header: Vec<String>,
    columns: Vec<ColumnReport>,
    kept: Vec<usize>,
    entities: BTreeMap<String, EntityCounts>,
    quarantined: Vec<QuarantineEntry>,
    residual: Residual,
    rows: (usize, usize, usize),
    qf: Output,
    quarantine: &'a Path,
}

impl<'a, 'r> Engine<'a, 'r> {
    fn new(
        redactor: &'a Redactor<'r>,
        policy: &'a Policy,
        key: Option<&'a Key>,
        header: Vec<String>,
        sample: &[Vec<String>],
        quarantine: &'a Path,
    ) -> Result<Self> {
        let columns = plan(&header, sample, policy, redactor.analyzer());
        let kept = (0..header.len())
            .filter(|&c| columns[c].action != ColumnAction::Drop)
            .collect();
        Ok(Engine {
            redactor,
            policy,
            key,
            header,
            columns,
            kept,
            entities: BTreeMap::new(),
            quarantined: Vec::new(),
            residual: Residual::default(),
            rows: (0, 0, 0),
            qf: compressed::create(quarantine)?,
            quarantine,
        })
    }

    fn kept_header(&self) -> Vec<String> {
        self.kept.iter().map(|&c| self.header[c].clone()).collect()
    }

    /// The output cells of each row (None when it was quarantined): the rows
    /// are planned on all cores, their cells analysed and redacted as one
    /// batch (stage by stage: [`Redactor::redact_batch`]), then counted,
    /// quarantined and returned in input order.
    fn rows(&mut self, batch: &[(u64, Vec<&str>)]) -> Result<Vec<Option<Vec<String>>>> {
        let plans: Vec<Result<RowPlan<'_>>> = batch
            .par_iter()
            .map(|(line, rec)| self.plan(*line, rec))
            .collect();
        // Every text the rows need analysed, in row and column order.
        let mut probes: Vec<&str> = Vec::new();
        let mut scans: Vec<(&str, &str)> = Vec::new();
        for plan in plans.iter().flatten() {
            for cell in &plan.cells {
                match (&cell.out, cell.probe) {
                    (Some(out), Probe::Output) => probes.push(out),
                    (Some(_), Probe::Value(v)) => probes.push(v),
                    (None, Probe::Value(v)) => scans.push((v, plan.id.as_str())),
                    _ => {}
                }
            }
        }
        let mut probed = self.redactor.findings_batch(&probes).into_iter();
        let mut scanned = self.redactor.redact_batch(&scans).into_iter();
        let mut work: Vec<Result<RowWork>> = Vec::with_capacity(batch.len());
        for plan in plans {
            work.push(plan.and_then(|plan| plan.finish(&mut probed, &mut scanned)));
        }
        let mut out = Vec::with_capacity(batch.len());
        for ((line, rec), w) in batch.iter().zip(work) {
            out.push(self.commit(*line, rec, w?)?);
        }
        Ok(out)
    }

    /// One row's rewrite up to the analysis its cells need, without
    /// touching the run's counts.
    fn plan<'v>(&self, line: u64, rec: &[&'v str]) -> Result<RowPlan<'v>> {
        let id = line.to_string();
        let mut cells = Vec::with_capacity(self.kept.len());
        let mut unreadable: Option<String> = None;
        for &c in &self.kept {
            let v: &'v str = rec.get(c).copied().unwrap_or_default();
            let col = &self.columns[c];
            let mut cell = CellPlan {
                column: c,
                out: None,
                probe: Probe::Nothing,
                applied: Vec::new(),
                reasons: Vec::new(),
            };
            match col.action {
                ColumnAction::Drop => continue,
                ColumnAction::Keep => {
                    cell.out = Some(v.to_string());
                    cell.probe = Probe::Value(v);
                }
                ColumnAction::Scan => cell.probe = Probe::Value(v),
                ColumnAction::Generalize => {
                    if v.trim().is_empty() {
                        cell.out = Some(v.to_string());
                    } else {
                        match col.generalize.as_ref().map(|g| g.apply(v)) {
                            Some(Ok(out)) => {
                                let whole = Span {
                                    entity: EntityType::new(GENERALIZED),
                                    start: 0,
                                    end: v.len(),
                                    score: 1.0,
                                };
                                cell.applied.push((c, whole, "generalize"));
                                cell.probe = Probe::Output;
                                cell.out = Some(out);
                            }
                            Some(Err(why)) => {
                                unreadable.get_or_insert(format!("column `{}`: {why}", col.column));
                                cell.out = Some(String::new());
                            }
                            None => {
                                unreadable.get_or_insert(format!(
                                    "column `{}`: no generalize rule",
                                    col.column
                                ));
                                cell.out = Some(String::new());
                            }
                        }
                    }
                }
                ColumnAction::Entity | ColumnAction::Hash | ColumnAction::Encrypt => {
                    if v.trim().is_empty() {
                        cell.out = Some(v.to_string());
                    } else {
                        let e = EntityType::new(col.entity.as_deref().unwrap_or("UNKNOWN"));
                        let cell_op = col.action.cell_operator();
                        let op = cell_op.as_ref().unwrap_or_else(|| self.policy.operator(&e));
                        let whole = Span {
                            entity: e.clone(),
                            start: 0,
                            end: v.len(),
                            score: 1.0,
                        };
                        if self.policy.quarantines(&e, 1.0) {
                            cell.reasons.push(whole.clone());
                        }
                        cell.out = Some(op.apply(&e, v, self.key, &id)?);
                        if matches!(op, crate::operator::Operator::Keep) {
                            cell.probe = Probe::Value(v);
                        }
                        cell.applied.push((c, whole, op.name()));
                    }
                }
            }
            cells.push(cell);
        }
        Ok(RowPlan {
            id,
            cells,
            unreadable,
        })
    }

    /// Counts one computed row, quarantines it or returns its output cells.
    fn commit(&mut self, line: u64, rec: &[&str], w: RowWork) -> Result<Option<Vec<String>>> {
        self.rows.0 += 1;
        let RowWork {
            cells,
            reasons,
            applied,
            leftover,
            unreadable,
        } = w;
        if !reasons.is_empty() || unreadable.is_some() {
            for s in &reasons {
                self.entities
                    .entry(s.entity.as_str().to_string())
                    .or_default()
                    .quarantine_triggers += 1;
            }
            let e = QuarantineEntry {
                line,
                reason: match unreadable {
                    Some(why) if reasons.is_empty() => why,
                    Some(why) => format!("findings meet the quarantine rule; {why}"),
                    None => "findings meet the quarantine rule".into(),
                },
                findings: reasons,
            };
            let row: serde_json::Map<String, serde_json::Value> = self
                .header
                .iter()
                .zip(rec)
                .map(|(h, v)| (h.clone(), serde_json::Value::String((*v).to_string())))
                .collect();
            let mut j = serde_json::to_value(&e).unwrap_or_default();
            j["record"] = serde_json::Value::Object(row);
            let q = self.quarantine;
            self.qf.write_all(j.to_string().as_bytes()).map_err(io(q))?;
            self.qf.write_all(b"\n").map_err(io(q))?;
            if self.quarantined.len() < 1000 {
                self.quarantined.push(e);
            }
            self.rows.2 += 1;
            return Ok(None);
        }
        for (c, s, op) in &applied {
            let t = s.entity.as_str().to_string();
            let ec = self.entities.entry(t.clone()).or_default();
            ec.found += 1;
            *ec.operators.entry((*op).to_string()).or_default() += 1;
            *self.columns[*c].findings.entry(t).or_default() += 1;
        }
        if !leftover.is_empty() {
            let r = &mut self.residual;
            r.records += 1;
            r.findings += leftover.len();
            for s in &leftover {
                *r.by_entity
                    .entry(s.entity.as_str().to_string())
                    .or_default() += 1;
            }
            if r.examples.len() < 20 {
                r.examples.push(QuarantineEntry {
                    line,
                    reason: "left in the output".into(),
                    findings: leftover,
                });
            }
        }
        self.rows.1 += 1;
        Ok(Some(cells))
    }

    fn finish(mut self, out: Output) -> TableRun {
        self.residual.pass = self.residual.findings == 0;
        TableRun {
            columns: self.columns,
            entities: self.entities,
            rows: self.rows,
            quarantined: self.quarantined,
            residual: self.residual,
            files: (out, self.qf),
        }
    }
}

/// Redacts a CSV table (cells exactly as written, no trimming); the caller commits the files.
pub fn redact_csv(
    redactor: &Redactor<'_>,
    policy: &Policy,
    key: Option<&Key>,
    input: &Path,
    output: &Path,
    quarantine: &Path,
) -> Result<TableRun> {
    let mut rdr = csv::Reader::from_reader(compressed::open(input)?);
    let header: Vec<String> = rdr
        .headers()
        .map_err(|e| csv_err(input, &e))?
        .iter()
        .map(str::to_string)
        .collect();
    let mut sample = Vec::new();
    let mut srdr = csv::Reader::from_reader(compressed::open(input)?);
    for rec in srdr.records().take(SAMPLE_ROWS) {
        let rec = rec.map_err(|e| csv_err(input, &e))?;
        sample.push(rec.iter().map(str::to_string).collect());
    }
    let mut engine = Engine::new(redactor, policy, key, header, &sample, quarantine)?;
    drop(sample);
    let mut out = compressed::create(output)?;
    {
        let mut w = csv::Writer::from_writer(&mut out);
        w.write_record(engine.kept_header())
            .map_err(|e| io(output)(e.into()))?;
        let mut records = rdr.records().peekable();
        while records.peek().is_some() {
            let mut chunk = Vec::with_capacity(BATCH_ROWS);
            for rec in records.by_ref().take(BATCH_ROWS) {
                chunk.push(rec.map_err(|e| csv_err(input, &e))?);
            }
            let batch: Vec<(u64, Vec<&str>)> = chunk
                .iter()
                .map(|rec| (rec.position().map_or(0, |p| p.line()), rec.iter().collect()))
                .collect();
            for row in engine.rows(&batch)?.into_iter().flatten() {
                w.write_record(&row).map_err(|e| io(output)(e.into()))?;
            }
        }
        w.flush().map_err(io(output))?;
    }
    Ok(engine.finish(out))
}

/// Redacts a Parquet table into a Parquet file: columns the policy keeps
/// keep their type and nulls, rewritten columns are text (UTF-8; a null cell
/// reads as an empty string); the caller commits the files.
pub fn redact_parquet(
    redactor: &Redactor<'_>,
    policy: &Policy,
    key: Option<&Key>,
    input: &Path,
    output: &Path,
    quarantine: &Path,
) -> Result<TableRun> {
    use arrow_array::builder::StringBuilder;
    use arrow_array::{ArrayRef, RecordBatch};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;
    use veil_core::io::columns::{CsvLayout, for_each_chunk};
    let header = veil_core::io::batches::parquet_columns(input)?;
    let mut sample: Vec<Vec<String>> = Vec::new();
    for_each_chunk(
        input,
        &CsvLayout::default(),
        &header,
        &[],
        SAMPLE_ROWS,
        |chunk| {
            if sample.is_empty() {
                for r in 0..chunk.len() {
                    sample.push(chunk.cells.iter().map(|c| c[r].clone()).collect());
                }
            }
            Ok::<(), RedactError>(())
        },
    )?;
    let mut engine = Engine::new(redactor, policy, key, header.clone(), &sample, quarantine)?;
    drop(sample);
    let names = engine.kept_header();
    // A kept column keeps its Parquet type (its cells are the input's, so the
    // text rendering casts back exactly); every column Veil rewrites is text.
    let input_schema = veil_core::io::batches::parquet_schema(input)?;
    let types: Vec<DataType> = engine
        .kept
        .iter()
        .map(|&c| match engine.columns[c].action {
            ColumnAction::Keep => input_schema
                .field_with_name(&engine.header[c])
                .map(|f| f.data_type().clone())
                .unwrap_or(DataType::Utf8),
            _ => DataType::Utf8,
        })
        .collect();
    let schema = Arc::new(Schema::new(
        names
            .iter()
            .zip(&types)
            .map(|(n, t)| Field::new(n, t.clone(), true))
            .collect::<Vec<_>>(),
    ));
    let cast_err = |column: &str, e: arrow_schema::ArrowError| RedactError::Record {
        path: input.to_path_buf(),
        line: 0,
        message: format!("column `{column}` could not keep its type: {e}"),
    };
    let mut out = AtomicFile::create(output)?;
    let perr = |e: parquet::errors::ParquetError| RedactError::Record {
        path: output.to_path_buf(),
        line: 0,
        message: format!("writing Parquet: {e}"),
    };
    // The output is compressed as the input is (snappy, zstd, gzip, …).
    let props = parquet::file::properties::WriterProperties::builder()
        .set_compression(veil_core::io::batches::parquet_compression(input)?)
        .build();
    {
        let mut w = parquet::arrow::ArrowWriter::try_new(&mut out, schema.clone(), Some(props))
            .map_err(perr)?;
        for_each_chunk(
            input,
            &CsvLayout::default(),
            &header,
            &[],
            65_536,
            |chunk| {
                let mut builders: Vec<StringBuilder> =
                    names.iter().map(|_| StringBuilder::new()).collect();
                let batch: Vec<(u64, Vec<&str>)> = (0..chunk.len())
                    .map(|r| {
                        let cells = chunk.cells.iter().map(|c| c[r].as_str()).collect();
                        (chunk.positions[r], cells)
                    })
                    .collect();
                for row in engine.rows(&batch)?.into_iter().flatten() {
                    for ((b, v), t) in builders.iter_mut().zip(&row).zip(&types) {
                        // Nulls are read as empty cells; in a typed column
                        // an empty cell can only be a null.
                        if v.is_empty() && *t != DataType::Utf8 {
                            b.append_null();
                        } else {
                            b.append_value(v);
                        }
                    }
                }
                let mut arrays: Vec<ArrayRef> = Vec::with_capacity(builders.len());
                for ((b, t), n) in builders.iter_mut().zip(&types).zip(&names) {
                    let text: ArrayRef = Arc::new(b.finish());
                    arrays.push(if *t == DataType::Utf8 {
                        text
                    } else {
                        let strict = arrow_cast::CastOptions {
                            safe: false,
                            ..Default::default()
                        };
                        arrow_cast::cast_with_options(&text, t, &strict)
                            .map_err(|e| cast_err(n, e))?
                    });
                }
                let batch = RecordBatch::try_new(schema.clone(), arrays).map_err(|e| {
                    RedactError::Record {
                        path: output.to_path_buf(),
                        line: 0,
                        message: format!("writing Parquet: {e}"),
                    }
                })?;
                w.write(&batch).map_err(perr)?;
                Ok::<(), RedactError>(())
            },
        )?;
        w.close().map_err(perr)?;
    }
    Ok(engine.finish(Output::from(out)))
}
