//! `veil redact` and `veil restore` over files. JSONL: the text field of
//! each line is rewritten, every other field is kept byte for byte and in
//! order, lines stay in order. Any other file: each line is one record.
//! A record that meets the quarantine rule, is not JSON, or lacks a string
//! text field goes to the quarantine file with its reasons (entity types
//! and offsets, never values); records in = records out + quarantined.
//! Outputs are written atomically; with `strict`, residual PII fails the
//! run and no output is committed.

use crate::error::{RedactError, Result};
use crate::keys::Key;
use crate::operator::{TOKEN_PREFIX, decrypt_token};
use crate::redact::{Outcome, Redactor, Span};
use indexmap::IndexMap;
use rayon::prelude::*;
use serde::Serialize;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use veil_core::io::InputKind;
use veil_core::io::compressed::{self, Output};

/// Field names and switches of a run.
#[derive(Clone, Debug)]
pub struct Fields {
    /// The JSONL field holding the text.
    pub text: String,
    /// The JSONL field holding the record id (line number when absent).
    pub id: String,
}

impl Default for Fields {
    fn default() -> Self {
        Fields {
            text: "text".into(),
            id: "id".into(),
        }
    }
}

/// Counts for one entity type.
#[derive(Clone, Debug, Default, Serialize)]
pub struct EntityCounts {
    /// Findings in records that were written.
    pub found: usize,
    /// By operator.
    pub operators: BTreeMap<String, usize>,
    /// Findings that sent records to quarantine.
    pub quarantine_triggers: usize,
}

/// One quarantined record, without its values.
#[derive(Clone, Debug, Serialize)]
pub struct QuarantineEntry {
    /// 1-based input line.
    pub line: u64,
    /// Why.
    pub reason: String,
    /// The findings that met the rule.
    pub findings: Vec<Span>,
}

/// The residual-risk re-scan of the output.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Residual {
    /// Findings in the output that Veil did not write, by type.
    pub by_entity: BTreeMap<String, usize>,
    /// Their total.
    pub findings: usize,
    /// Records holding at least one.
    pub records: usize,
    /// First records with residue: line and the findings' types and offsets.
    pub examples: Vec<QuarantineEntry>,
    /// Whether nothing was left.
    pub pass: bool,
}

/// What a redaction run did.
#[derive(Clone, Debug, Serialize)]
pub struct RedactReport {
    /// Veil's version.
    pub veil_version: String,
    /// Input file and SHA-256.
    pub input: PathBuf,
    /// SHA-256 of the input.
    pub input_sha256: String,
    /// Output file.
    pub output: PathBuf,
    /// SHA-256 of the output (absent when a strict run failed).
    pub output_sha256: Option<String>,
    /// Quarantine file (when a record was quarantined).
    pub quarantine_file: Option<PathBuf>,
    /// Input format: `jsonl`, `csv`, `parquet` or `lines`.
    pub format: String,
    /// The policy as applied.
    pub policy: crate::policy::Policy,
    /// Its SHA-256 (canonical form).
    pub policy_sha256: String,
    /// The key's identifier (never the key).
    pub key_id: Option<String>,
    /// Records read.
    pub records_in: usize,
    /// Records written.
    pub records_out: usize,
    /// Records quarantined.
    pub records_quarantined: usize,
    /// Per entity type.
    pub entities: BTreeMap<String, EntityCounts>,
    /// Quarantined records and why (first 1,000).
    pub quarantined: Vec<QuarantineEntry>,
    /// The re-scan.
    pub residual: Residual,
    /// Tables: what happened to each column.
    pub columns: Vec<crate::table::ColumnReport>,
    /// Whether residue fails the run.
    pub strict: bool,
    /// Wall-clock seconds.
    pub seconds: f64,
}

/// Maps an I/O error on `path` to the crate's error.
pub(crate) fn io(path: &Path) -> impl Fn(std::io::Error) -> RedactError + '_ {
    move |e| {
        RedactError::Core(veil_core::Error::Io {
            path: path.to_path_buf(),
            source: e,
        })
    }
}

enum Parsed {
    /// A record: its fields, its text, its id, and for a text field pattern
    /// with `*` the pointer and start of each text the text joins.
    Json(
        crate::json_field::RawObject,
        String,
        String,
        Vec<(String, usize)>,
    ),
    Line(String),
    Bad(&'static str),
}

/// The texts of `text` that start at `parts` (joined by the separator).
fn part_texts<'t>(text: &'t str, parts: &[(String, usize)]) -> Vec<&'t str> {
    (0..parts.len())
        .map(|k| {
            let (from, to) = veil_core::io::jsonl::part_range(parts, k, text.len());
            &text[from..to]
        })
        .collect()
}

/// `map` with each text of `parts` that `rewrite` changed written back at
/// its pointer (unchanged ones keep their bytes: a null stays null).
fn put_parts(
    map: &mut crate::json_field::RawObject,
    parts: &[(String, usize)],
    before: &[&str],
    after: &[String],
) -> std::result::Result<(), serde_json::Error> {
    for (((pointer, _), old), new) in parts.iter().zip(before).zip(after) {
        if old != new {
            let rv = RawValue::from_string(serde_json::to_string(new)?)?;
            // Where `parse` found the text: it is there.
            crate::json_field::replace_at(map, pointer, rv);
        }
    }
    Ok(())
}

fn parse(line: &str, jsonl: bool, fields: &Fields, n: u64) -> Parsed {
    if !jsonl {
        return Parsed::Line(line.to_string());
    }
    let Ok(map) = serde_json::from_str::<IndexMap<String, Box<RawValue>>>(line) else {
        return Parsed::Bad("not a JSON object");
    };
    let id_of = |map: &crate::json_field::RawObject| {
        crate::json_field::raw_at(map, &fields.id).map_or_else(|| n.to_string(), Cow::into_owned)
    };
    if veil_core::io::jsonl::has_wildcard(&fields.text) {
        let Ok(value) = serde_json::from_str::<serde_json::Value>(line) else {
            return Parsed::Bad("not a JSON object");
        };
        return match veil_core::io::jsonl::matched_texts(&value, &fields.text) {
            Ok(Some((text, parts))) => {
                let id = id_of(&map);
                Parsed::Json(map, text, id, parts)
            }
            Ok(None) => Parsed::Bad("no text field"),
            Err(_) => Parsed::Bad("a text the field pattern matches is not a string"),
        };
    }
    let Some(raw) = crate::json_field::raw_at(&map, &fields.text) else {
        return Parsed::Bad("no text field");
    };
    let Ok(text) = serde_json::from_str::<String>(&raw) else {
        return Parsed::Bad("the text field is not a string");
    };
    drop(raw);
    let id = id_of(&map);
    Parsed::Json(map, text, id, Vec::new())
}

/// Redacts `input` (JSONL, CSV, or text lines) into `output`; quarantined
/// records go to `quarantine`.
#[allow(clippy::too_many_arguments)]
pub fn redact_file(
    redactor: &Redactor<'_>,
    policy: &crate::policy::Policy,
    key: Option<&Key>,
    input: &Path,
    output: &Path,
    quarantine: &Path,
    fields: &Fields,
    strict: bool,
) -> Result<RedactReport> {
    let t = std::time::Instant::now();
    let table = |format, run: crate::table::TableRun| Parts {
        format,
        records: run.rows,
        entities: run.entities,
        quarantined: run.quarantined,
        residual: run.residual,
        columns: run.columns,
        files: run.files,
    };
    // By the extension, through a compression one (`.csv.gz` is CSV).
    let parts = match InputKind::from_path(input) {
        InputKind::Csv => table(
            "csv",
            crate::table::redact_csv(redactor, policy, key, input, output, quarantine)?,
        ),
        InputKind::Parquet => table(
            "parquet",
            crate::table::redact_parquet(redactor, policy, key, input, output, quarantine)?,
        ),
        InputKind::Jsonl | InputKind::Text => {
            redact_lines(redactor, input, output, quarantine, fields)?
        }
    };
    finish(parts, policy, key, input, output, quarantine, strict, t)
}

/// Lines per parallel batch (bounded memory: a batch holds these lines and
/// their rewrites).
const BATCH_LINES: usize = 2048;

/// JSONL records or text lines.
fn redact_lines(
    redactor: &Redactor<'_>,
    input: &Path,
    output: &Path,
    quarantine: &Path,
    fields: &Fields,
) -> Result<Parts> {
    let jsonl = InputKind::from_path(input) == InputKind::Jsonl;
    let file = compressed::open(input)?;
    let mut out = compressed::create(output)?;
    let mut qf = compressed::create(quarantine)?;
    let mut entities: BTreeMap<String, EntityCounts> = BTreeMap::new();
    let mut quarantined = Vec::new();
    let mut residual = Residual::default();
    let (mut rin, mut rout, mut rq) = (0usize, 0usize, 0usize);
    let mut buf = Vec::new();
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut n = 0u64;
    // Lines are read in batches; detection and rewriting run on all cores,
    // and the results are written, counted and quarantined in input order.
    let mut batch: Vec<(u64, String)> = Vec::with_capacity(BATCH_LINES);
    let mut eof = false;
    while !eof {
        buf.clear();
        if reader.read_until(b'\n', &mut buf).map_err(io(input))? == 0 {
            eof = true;
        } else {
            n += 1;
            let raw = match std::str::from_utf8(&buf) {
                Ok(s) => s.trim_end_matches(['\n', '\r']),
                Err(e) => {
                    return Err(RedactError::Record {
                        path: input.to_path_buf(),
                        line: n,
                        message: format!("invalid UTF-8 at byte {}", e.valid_up_to()),
                    });
                }
            };
            if jsonl && raw.trim().is_empty() {
                continue;
            }
            batch.push((n, raw.to_string()));
            if batch.len() < BATCH_LINES {
                continue;
            }
        }
        // Parsed on all cores, then redacted as one batch (the analysis
        // runs stage by stage over the batch's texts).
        let parsed: Vec<(Parsed, String)> = batch
            .par_iter()
            .map(|(n, raw)| (parse(raw, jsonl, fields, *n), n.to_string()))
            .collect();
        let items: Vec<crate::redact::JoinedItem<'_>> = parsed
            .iter()
            .filter_map(|(p, n)| match p {
                Parsed::Json(_, t, id, parts) => Some((t.as_str(), id.as_str(), parts.as_slice())),
                Parsed::Line(l) => Some((l.as_str(), n.as_str(), &[][..])),
                Parsed::Bad(_) => None,
            })
            .collect();
        let mut outcomes = redactor.redact_batch_parts(&items).into_iter();
        let done: Vec<(Parsed, Option<Result<Outcome>>)> = parsed
            .into_iter()
            .map(|(p, _)| {
                let o = match p {
                    Parsed::Bad(_) => None,
                    _ => outcomes.next(),
                };
                (p, o)
            })
            .collect();
        for ((n, raw), (parsed, o)) in batch.drain(..).zip(done) {
            let (n, raw) = (n, raw.as_str());
            rin += 1;
            let o = match (o, &parsed) {
                (Some(o), _) => o?,
                (None, Parsed::Bad(why)) => {
                    let e = QuarantineEntry {
                        line: n,
                        reason: (*why).into(),
                        findings: Vec::new(),
                    };
                    write_quarantine(&mut qf, quarantine, &e, raw)?;
                    if quarantined.len() < 1000 {
                        quarantined.push(e);
                    }
                    rq += 1;
                    continue;
                }
                (None, _) => unreachable!("only unparsable lines skip redaction"),
            };
            if !o.quarantine.is_empty() {
                for s in &o.quarantine {
                    entities
                        .entry(s.entity.as_str().to_string())
                        .or_default()
                        .quarantine_triggers += 1;
                }
                let e = QuarantineEntry {
                    line: n,
                    reason: "findings meet the quarantine rule".into(),
                    findings: o.quarantine.clone(),
                };
                write_quarantine(&mut qf, quarantine, &e, raw)?;
                if quarantined.len() < 1000 {
                    quarantined.push(e);
                }
                rq += 1;
                continue;
            }
            for (s, op) in &o.applied {
                let c = entities.entry(s.entity.as_str().to_string()).or_default();
                c.found += 1;
                *c.operators.entry((*op).to_string()).or_default() += 1;
            }
            if !o.residual.is_empty() {
                residual.records += 1;
                residual.findings += o.residual.len();
                for s in &o.residual {
                    *residual
                        .by_entity
                        .entry(s.entity.as_str().to_string())
                        .or_default() += 1;
                }
                if residual.examples.len() < 20 {
                    residual.examples.push(QuarantineEntry {
                        line: n,
                        reason: "left in the output".into(),
                        findings: o.residual.clone(),
                    });
                }
            }
            let record_err = |message: String| RedactError::Record {
                path: input.to_path_buf(),
                line: n,
                message,
            };
            let line = match parsed {
                Parsed::Json(mut map, text, _, parts) if !parts.is_empty() => {
                    let before = part_texts(&text, &parts);
                    put_parts(&mut map, &parts, &before, &o.parts)
                        .map_err(|e| record_err(e.to_string()))?;
                    serde_json::to_string(&map).map_err(|e| record_err(e.to_string()))?
                }
                Parsed::Json(mut map, _, _, _) => {
                    let v =
                        serde_json::to_string(&o.text).map_err(|e| record_err(e.to_string()))?;
                    let rv = RawValue::from_string(v).map_err(|e| record_err(e.to_string()))?;
                    // Where `parse` found the text: it is there.
                    crate::json_field::replace_at(&mut map, &fields.text, rv);
                    serde_json::to_string(&map).map_err(|e| record_err(e.to_string()))?
                }
                _ => o.text,
            };
            out.write_all(line.as_bytes()).map_err(io(output))?;
            out.write_all(b"\n").map_err(io(output))?;
            rout += 1;
        }
    }
    residual.pass = residual.findings == 0;
    Ok(Parts {
        format: if jsonl { "jsonl" } else { "lines" },
        records: (rin, rout, rq),
        entities,
        quarantined,
        residual,
        columns: Vec::new(),
        files: (out, qf),
    })
}

/// What a run counted, before the files are committed.
struct Parts {
    format: &'static str,
    records: (usize, usize, usize),
    entities: BTreeMap<String, EntityCounts>,
    quarantined: Vec<QuarantineEntry>,
    residual: Residual,
    columns: Vec<crate::table::ColumnReport>,
    /// The uncommitted output and quarantine files.
    files: (Output, Output),
}

/// Commits the outputs (unless a strict run found residue) and builds the report.
#[allow(clippy::too_many_arguments)]
fn finish(
    p: Parts,
    policy: &crate::policy::Policy,
    key: Option<&Key>,
    input: &Path,
    output: &Path,
    quarantine: &Path,
    strict: bool,
    t: std::time::Instant,
) -> Result<RedactReport> {
    let (rin, rout, rq) = p.records;
    let (mut out, mut qf) = p.files;
    let ok = p.residual.pass || !strict;
    let output_sha256 = if ok {
        out.flush().map_err(io(output))?;
        out.commit()?;
        Some(veil_core::io::batches::sha256_file(output)?)
    } else {
        None
    };
    let quarantine_file = if rq > 0 && ok {
        qf.flush().map_err(io(quarantine))?;
        qf.commit()?;
        Some(quarantine.to_path_buf())
    } else {
        None
    };
    Ok(RedactReport {
        veil_version: env!("CARGO_PKG_VERSION").to_string(),
        input: input.to_path_buf(),
        input_sha256: veil_core::io::batches::sha256_file(input)?,
        output: output.to_path_buf(),
        output_sha256,
        quarantine_file,
        format: p.format.into(),
        policy: policy.clone(),
        policy_sha256: policy.sha256(),
        key_id: key.map(Key::id),
        records_in: rin,
        records_out: rout,
        records_quarantined: rq,
        entities: p.entities,
        quarantined: p.quarantined,
        residual: p.residual,
        columns: p.columns,
        strict,
        seconds: t.elapsed().as_secs_f64(),
    })
}

fn write_quarantine(f: &mut Output, path: &Path, e: &QuarantineEntry, raw: &str) -> Result<()> {
    #[derive(Serialize)]
    struct Q<'a> {
        #[serde(flatten)]
        entry: &'a QuarantineEntry,
        record: &'a str,
    }
    let line = serde_json::to_string(&Q {
        entry: e,
        record: raw,
    })
    .map_err(|x| RedactError::Record {
        path: path.to_path_buf(),
        line: e.line,
        message: x.to_string(),
    })?;
    f.write_all(line.as_bytes()).map_err(io(path))?;
    f.write_all(b"\n").map_err(io(path))
}

/// Replaces every `[[veil:TYPE:…]]` token in `text`; `Err(i)` names the first token that fails.
fn restore_text(key: &Key, text: &str) -> std::result::Result<(String, usize), usize> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut count = 0;
    while let Some(i) = rest.find(TOKEN_PREFIX) {
        out.push_str(&rest[..i]);
        let after = &rest[i + TOKEN_PREFIX.len()..];
        let Some(j) = after.find("]]") else {
            out.push_str(&rest[i..]);
            rest = "";
            break;
        };
        count += 1;
        let plain = decrypt_token(key, &after[..j]).ok_or(count)?;
        out.push_str(&plain);
        rest = &after[j + 2..];
    }
    out.push_str(rest);
    Ok((out, count))
}

/// `veil restore`: decrypts the tokens `encrypt` wrote (the text field of
/// JSONL, whole lines otherwise); returns the number restored.
pub fn restore_file(key: &Key, input: &Path, output: &Path, fields: &Fields) -> Result<usize> {
    let jsonl = InputKind::from_path(input) == InputKind::Jsonl;
    let file = compressed::open(input)?;
    let mut out = compressed::create(output)?;
    let mut total = 0;
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let n = i as u64 + 1;
        let line = line.map_err(|e| RedactError::Record {
            path: input.to_path_buf(),
            line: n,
            message: e.to_string(),
        })?;
        let fail = |index| RedactError::Restore {
            path: input.to_path_buf(),
            line: n,
            index,
        };
        let restored = match parse(&line, jsonl, fields, n) {
            Parsed::Json(mut map, text, _, parts) if !parts.is_empty() => {
                let before = part_texts(&text, &parts);
                let mut after = Vec::with_capacity(before.len());
                for b in &before {
                    let (t, c) = restore_text(key, b).map_err(fail)?;
                    total += c;
                    after.push(t);
                }
                match put_parts(&mut map, &parts, &before, &after) {
                    Ok(()) => serde_json::to_string(&map).unwrap_or(line),
                    Err(_) => line,
                }
            }
            Parsed::Json(mut map, text, _, _) => {
                let (t, c) = restore_text(key, &text).map_err(fail)?;
                total += c;
                let v = serde_json::to_string(&t).unwrap_or_default();
                if let Ok(rv) = RawValue::from_string(v) {
                    crate::json_field::replace_at(&mut map, &fields.text, rv);
                }
                serde_json::to_string(&map).unwrap_or(line)
            }
            Parsed::Line(l) => {
                let (t, c) = restore_text(key, &l).map_err(fail)?;
                total += c;
                t
            }
            Parsed::Bad(_) => line,
        };
        out.write_all(restored.as_bytes()).map_err(io(output))?;
        out.write_all(b"\n").map_err(io(output))?;
    }
    out.flush().map_err(io(output))?;
    out.commit()?;
    Ok(total)
}
