//! Turning findings into output: the JSONL contracts, SARIF 2.1.0, and the
//! human summary. Offsets leave Veil as bytes for whole files (with 1-based
//! lines) and as Unicode code points for records, lines and cells.

use crate::cli::Format;
use crate::json_line::{self, FindingOut};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use std::io::Write;
use veil_core::offsets::OffsetMap;
use veil_core::{EntityType, Family, Finding};
use veil_detect::structured::ColumnProfile;

/// Where output goes: standard output, or a file renamed into place on commit.
pub enum Out {
    /// Standard output.
    Stdout(std::io::BufWriter<std::io::StdoutLock<'static>>),
    /// An atomic file.
    File(veil_core::io::atomic::AtomicFile),
}

impl Out {
    /// Flush; for a file, rename it into place.
    pub fn commit(self) -> std::io::Result<()> {
        match self {
            Out::Stdout(mut w) => w.flush(),
            Out::File(f) => f.commit().map_err(std::io::Error::other),
        }
    }
}

impl Write for Out {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Out::Stdout(w) => w.write(buf),
            Out::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Out::Stdout(w) => w.flush(),
            Out::File(f) => f.flush(),
        }
    }
}

/// Where a scanned text came from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A segment of a whole-file document.
    File {
        file: usize,
        offset: u64,
        lines_before: u64,
        keep_before: Option<usize>,
    },
    /// One line of a text input.
    Line { file: usize, line: u64 },
    /// One JSONL record; `parts`: the pointers and starts of the texts a
    /// `--text-field` pattern with `*` matched ([`veil_core::io::jsonl::JsonRecord::parts`];
    /// boxed, and `None` for one text: most records carry none).
    Record {
        file: usize,
        id: Value,
        line: u64,
        parts: Option<Box<veil_core::io::jsonl::Parts>>,
    },
    /// One table cell.
    Cell {
        file: usize,
        row: u64,
        column: usize,
    },
    /// Marker: every segment of this whole-file input has been queued before it.
    FileEnd { file: usize },
    /// Marker: a JSONL line that could not be parsed (keeps one output line per input line).
    BadRecord { line: u64, message: String },
}

/// One input's bookkeeping.
pub struct Input {
    pub path: String,
    pub columns: Vec<String>,
    pub profiles: Vec<ColumnProfile>,
    /// Per column: its header, read as context for its cells (underscores
    /// and hyphens as spaces: `phone_number` → "phone number").
    pub contexts: Vec<std::sync::Arc<str>>,
    /// Findings per (column, entity type); `usize::MAX` for no column.
    /// A hash map (one hash per finding, not a string compare per tree
    /// level); the summary sorts what it prints.
    pub counts: rustc_hash::FxHashMap<(usize, EntityType), u64>,
    /// Whether this whole file's JSONL line has been opened (at its first finding).
    pub line_open: bool,
    pub records: u64,
}

/// Totals for the summary.
#[derive(Default)]
pub struct Stats {
    pub bytes: u64,
    pub documents: u64,
    pub records: u64,
    pub bad_records: u64,
    pub binary_skipped: u64,
    pub errors: Vec<String>,
    pub fail_hits: u64,
}

/// Collects findings and writes them in the chosen format.
pub struct Sink {
    pub format: Format,
    pub show_values: bool,
    pub fail_on: Option<HashSet<EntityType>>,
    pub fail_any: bool,
    pub sample: usize,
    pub inputs: Vec<Input>,
    pub stats: Stats,
    sarif_results: Vec<Value>,
    out: Out,
    /// One output line being serialised (reused; written to `out` whole).
    line_buf: Vec<u8>,
}

impl<'a> FindingOut<'a> {
    /// `f` at offsets `start..end`, without lines.
    fn new(f: &'a Finding, start: usize, end: usize, value: Option<&'a str>) -> Self {
        FindingOut {
            end,
            end_line: None,
            entity_type: f.entity_type.as_str(),
            field: None,
            line: None,
            recognizer: f.recognizer,
            score: (f.score as f64 * 1000.0).round() / 1000.0,
            start,
            value,
        }
    }
}

impl Sink {
    pub fn new(
        format: Format,
        out: Out,
        show_values: bool,
        fail_on: Option<Vec<String>>,
        sample: usize,
    ) -> Sink {
        let fail_any = fail_on
            .as_ref()
            .is_some_and(|v| v.iter().any(|s| s.eq_ignore_ascii_case("any")));
        Sink {
            format,
            show_values,
            fail_on: fail_on.map(|v| v.iter().map(|s| EntityType::new(s)).collect()),
            fail_any,
            sample,
            inputs: Vec::new(),
            stats: Stats::default(),
            sarif_results: Vec::new(),
            out,
            line_buf: Vec::new(),
        }
    }

    /// Set the columns of a table input (with their profiles and contexts).
    pub fn set_columns(&mut self, file: usize, columns: Vec<String>) {
        let inp = &mut self.inputs[file];
        inp.profiles = columns
            .iter()
            .map(|_| ColumnProfile::new(self.sample))
            .collect();
        inp.contexts = columns
            .iter()
            .map(|c| std::sync::Arc::from(c.replace(['_', '-'], " ").as_str()))
            .collect();
        inp.columns = columns;
    }

    /// Register an input; returns its index.
    pub fn add_input(&mut self, path: String, columns: Vec<String>) -> usize {
        self.inputs.push(Input {
            path,
            columns: Vec::new(),
            profiles: Vec::new(),
            contexts: Vec::new(),
            counts: Default::default(),
            line_open: false,
            records: 0,
        });
        let file = self.inputs.len() - 1;
        self.set_columns(file, columns);
        file
    }

    fn count(&mut self, file: usize, column: usize, findings: &[Finding]) {
        // Per input and column only: the totals by type are summed from
        // these for the summary (one map update per finding, not two).
        for f in findings {
            *self.inputs[file]
                .counts
                .entry((column, f.entity_type.clone()))
                .or_default() += 1;
            if self.fail_any
                || self
                    .fail_on
                    .as_ref()
                    .is_some_and(|s| s.contains(&f.entity_type))
            {
                self.stats.fail_hits += 1;
            }
        }
    }

    /// Count a JSONL record (`record`) or a text line whose output line a
    /// worker wrote with [`record_line`] or [`text_line`] (handed on with
    /// [`Sink::write_lines`]): what [`Sink::accept`] does with one, but its
    /// serialising.
    pub fn accept_written(
        &mut self,
        file: usize,
        text_bytes: usize,
        findings: &[Finding],
        record: bool,
    ) {
        self.stats.bytes += text_bytes as u64;
        if record {
            self.stats.records += 1;
            self.inputs[file].records += 1;
        } else {
            self.stats.documents += 1;
        }
        self.count(file, usize::MAX, findings);
    }

    /// Write output lines made by [`record_line`] or [`text_line`], as they are.
    pub fn write_lines(&mut self, lines: &[u8]) -> std::io::Result<()> {
        self.out.write_all(lines)
    }

    /// Take one analysed table cell, row `row` of input `file`: as
    /// [`Sink::accept`] does, or, where a worker wrote the start of its
    /// output line (`head`, from [`cell_line_head`]; JSONL output, findings
    /// made), counted and profiled here and its line ended with the row.
    pub fn accept_cell(
        &mut self,
        (file, row, column): (usize, u64, usize),
        text: &str,
        findings: Vec<Finding>,
        head: Option<&[u8]>,
    ) -> std::io::Result<()> {
        let Some(head) = head else {
            return self.accept(Origin::Cell { file, row, column }, text, findings);
        };
        self.stats.bytes += text.len() as u64;
        self.count(file, column, &findings);
        self.inputs[file].profiles[column].observe(text, &findings);
        self.line_buf.clear();
        json_line::cell_tail(&mut self.line_buf, row);
        self.out.write_all(head)?;
        self.out.write_all(&self.line_buf)
    }

    /// Take one analysed text.
    pub fn accept(
        &mut self,
        origin: Origin,
        text: &str,
        mut findings: Vec<Finding>,
    ) -> std::io::Result<()> {
        self.stats.bytes += text.len() as u64;
        match origin {
            Origin::FileEnd { file } => self.end_file(file)?,
            Origin::BadRecord { line, message } => self.bad_record(line, &message)?,
            Origin::File {
                file,
                offset,
                lines_before,
                keep_before,
            } => {
                if let Some(k) = keep_before {
                    findings.retain(|f| f.start < k);
                    // The re-read overlap is counted by the next segment.
                    self.stats.bytes -= (text.len() - k) as u64;
                }
                self.stats.documents += u64::from(offset == 0);
                self.count(file, usize::MAX, &findings);
                if self.format == Format::Human || findings.is_empty() {
                    return Ok(());
                }
                let map = OffsetMap::new(text);
                self.line_buf.clear();
                for f in &findings {
                    let line = lines_before as usize + map.line(f.start);
                    let end_line =
                        lines_before as usize + map.line(f.end.saturating_sub(1).max(f.start));
                    let value = self.show_values.then(|| &text[f.start..f.end]);
                    let out = FindingOut {
                        line: Some(line),
                        end_line: Some(end_line),
                        ..FindingOut::new(
                            f,
                            offset as usize + f.start,
                            offset as usize + f.end,
                            value,
                        )
                    };
                    if self.format == Format::Jsonl {
                        // The file's line is streamed: opened at its first
                        // finding, closed at its end (segments of one file
                        // arrive in order, before its FileEnd marker).
                        let input = &mut self.inputs[file];
                        json_line::file_finding(&mut self.line_buf, &out, input.line_open);
                        input.line_open = true;
                    }
                    if self.format == Format::Sarif {
                        let col = |b: usize| {
                            let ls = text[..b].rfind('\n').map_or(0, |i| i + 1);
                            text[ls..b].chars().count() + 1
                        };
                        self.sarif_results.push(sarif_result(f, &self.inputs[file].path, json!({
                            "startLine": line, "startColumn": col(f.start), "endLine": end_line, "endColumn": col(f.end),
                            "byteOffset": offset as usize + f.start, "byteLength": f.end - f.start
                        }), None));
                    }
                }
                self.out.write_all(&self.line_buf)?;
            }
            Origin::Line { file, line } => {
                self.stats.documents += 1;
                self.count(file, usize::MAX, &findings);
                if findings.is_empty() {
                    return Ok(());
                }
                match self.format {
                    Format::Jsonl => {
                        self.line_buf.clear();
                        let path = &self.inputs[file].path;
                        text_line(
                            &mut self.line_buf,
                            text,
                            &findings,
                            line,
                            path,
                            self.show_values,
                        );
                        self.out.write_all(&self.line_buf)?
                    }
                    Format::Sarif => {
                        let map = OffsetMap::new(text);
                        for f in &findings {
                            let region = json!({"startLine": line, "startColumn": map.char_offset(f.start) + 1, "endLine": line, "endColumn": map.char_offset(f.end) + 1});
                            self.sarif_results.push(sarif_result(
                                f,
                                &self.inputs[file].path,
                                region,
                                None,
                            ));
                        }
                    }
                    Format::Human => {}
                }
            }
            Origin::Record {
                file,
                id,
                line,
                parts,
            } => {
                self.stats.records += 1;
                self.inputs[file].records += 1;
                self.count(file, usize::MAX, &findings);
                match self.format {
                    Format::Jsonl => {
                        self.line_buf.clear();
                        let record = RecordText {
                            text,
                            parts: parts.as_deref().map_or(&[], Vec::as_slice),
                        };
                        record_line(&mut self.line_buf, record, &findings, &id, self.show_values);
                        self.out.write_all(&self.line_buf)?
                    }
                    Format::Sarif => {
                        let map = OffsetMap::new(text);
                        let record = RecordText {
                            text,
                            parts: parts.as_deref().map_or(&[], Vec::as_slice),
                        };
                        for (f, out) in findings
                            .iter()
                            .zip(record.findings_out(&map, &findings, false))
                        {
                            let region = json!({"startLine": line, "charOffset": out.start, "charLength": out.end - out.start});
                            let props = match out.field {
                                Some(field) => json!({"id": id, "field": field}),
                                None => json!({"id": id}),
                            };
                            self.sarif_results.push(sarif_result(
                                f,
                                &self.inputs[file].path,
                                region,
                                Some(props),
                            ));
                        }
                    }
                    Format::Human => {}
                }
            }
            Origin::Cell { file, row, column } => {
                self.count(file, column, &findings);
                self.inputs[file].profiles[column].observe(text, &findings);
                if findings.is_empty() {
                    return Ok(());
                }
                let col_name = self.inputs[file].columns[column].clone();
                match self.format {
                    Format::Jsonl => {
                        // Where no worker wrote its start (`accept_cell`).
                        self.line_buf.clear();
                        cell_line_head(
                            &mut self.line_buf,
                            &col_name,
                            text,
                            &findings,
                            &self.inputs[file].path,
                            self.show_values,
                        );
                        json_line::cell_tail(&mut self.line_buf, row);
                        self.out.write_all(&self.line_buf)?
                    }
                    Format::Sarif => {
                        let map = OffsetMap::new(text);
                        for f in &findings {
                            let region = json!({"charOffset": map.char_offset(f.start), "charLength": map.char_offset(f.end) - map.char_offset(f.start)});
                            self.sarif_results.push(sarif_result(
                                f,
                                &self.inputs[file].path,
                                region,
                                Some(json!({"row": row, "column": col_name})),
                            ));
                        }
                    }
                    Format::Human => {}
                }
            }
        }
        Ok(())
    }

    /// A JSONL record that could not be parsed: keeps one output line per input line.
    pub fn bad_record(&mut self, line: u64, message: &str) -> std::io::Result<()> {
        if self.format == Format::Jsonl {
            writeln!(
                self.out,
                "{}",
                json!({"id": null, "line": line, "error": message, "findings": []})
            )?;
        }
        Ok(())
    }

    /// A whole file is done: emit its JSONL line if it has findings.
    pub fn end_file(&mut self, file: usize) -> std::io::Result<()> {
        let input = &mut self.inputs[file];
        if self.format == Format::Jsonl && std::mem::take(&mut input.line_open) {
            self.line_buf.clear();
            json_line::file_end(&mut self.line_buf, &input.path);
            self.out.write_all(&self.line_buf)?;
        }
        Ok(())
    }

    /// Column classifications of one table input.
    pub fn column_lines(
        &self,
        file: usize,
        min_share: f64,
    ) -> Vec<(String, veil_detect::structured::ColumnClass)> {
        let inp = &self.inputs[file];
        inp.columns
            .iter()
            .zip(&inp.profiles)
            .filter_map(|(c, p)| p.classify(min_share).map(|k| (c.clone(), k)))
            .collect()
    }

    /// Write the trailer (SARIF log or human summary) and flush.
    pub fn finish(mut self, seconds: f64, summary_to: &mut dyn Write) -> std::io::Result<Out> {
        match self.format {
            Format::Sarif => {
                let mut rule_ids: Vec<&str> = self
                    .sarif_results
                    .iter()
                    .filter_map(|r| r["ruleId"].as_str())
                    .collect();
                rule_ids.sort_unstable();
                rule_ids.dedup();
                let rules: Vec<Value> = rule_ids.iter().map(|id| json!({
                    "id": id, "name": id,
                    "shortDescription": {"text": format!("{id} detected")},
                    "defaultConfiguration": {"level": if EntityType::new(id).family() == Family::Secret { "error" } else { "warning" }},
                })).collect();
                let log = json!({
                    "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
                    "version": "2.1.0",
                    "runs": [{
                        "tool": {"driver": {"name": "veil", "version": env!("CARGO_PKG_VERSION"), "informationUri": "https://example.invalid/veil", "rules": rules}},
                        "columnKind": "unicodeCodePoints",
                        "results": self.sarif_results,
                    }]
                });
                serde_json::to_writer_pretty(&mut self.out, &log)?;
                writeln!(self.out)?;
                let text = self.summary(seconds);
                summary_to.write_all(text.as_bytes())?;
            }
            Format::Human => {
                let text = self.summary(seconds);
                self.out.write_all(text.as_bytes())?;
            }
            Format::Jsonl => {
                let text = self.summary(seconds);
                summary_to.write_all(text.as_bytes())?;
            }
        }
        self.out.flush()?;
        Ok(self.out)
    }

    fn summary(&self, seconds: f64) -> String {
        use std::fmt::Write as _;
        let s = &self.stats;
        let mut o = String::new();
        let mb = s.bytes as f64 / 1e6;
        let _ = writeln!(
            o,
            "veil scan: {} input(s), {} document(s), {} record(s), {:.1} MB in {:.2} s ({:.1} MB/s)",
            self.inputs.len(),
            s.documents,
            s.records,
            mb,
            seconds,
            if seconds > 0.0 { mb / seconds } else { 0.0 }
        );
        let mut by_entity: BTreeMap<&EntityType, u64> = BTreeMap::new();
        for ((_, e), n) in self.inputs.iter().flat_map(|i| &i.counts) {
            *by_entity.entry(e).or_default() += n;
        }
        let total: u64 = by_entity.values().sum();
        if total == 0 {
            let _ = writeln!(o, "No findings.");
        } else {
            let _ = writeln!(o, "\nFindings by entity type ({total} in all):");
            let mut rows: Vec<_> = by_entity.into_iter().collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            for (e, n) in rows {
                let fam = if e.family() == Family::Secret {
                    "secret"
                } else {
                    "pii"
                };
                let _ = writeln!(o, "  {:<28} {:>10}  {fam}", e.as_str(), n);
            }
            let _ = writeln!(o, "\nBy input:");
            for inp in &self.inputs {
                if inp.counts.is_empty() {
                    continue;
                }
                let mut by_col: BTreeMap<usize, Vec<(&EntityType, u64)>> = BTreeMap::new();
                for ((c, e), n) in &inp.counts {
                    by_col.entry(*c).or_default().push((e, *n));
                }
                for (c, mut list) in by_col {
                    // Most first; ties by type, as when the counts were a tree.
                    list.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
                    let what: Vec<String> = list.iter().map(|(e, n)| format!("{e} {n}")).collect();
                    let place = if c == usize::MAX {
                        inp.path.clone()
                    } else {
                        format!("{}  column `{}`", inp.path, inp.columns[c])
                    };
                    let _ = writeln!(o, "  {place}: {}", what.join(", "));
                }
            }
        }
        let mut col_lines = Vec::new();
        for (i, inp) in self.inputs.iter().enumerate() {
            for (c, k) in self.column_lines(i, veil_detect::structured::DEFAULT_MIN_SHARE) {
                col_lines.push(format!(
                    "  {}: column `{c}` is {} ({:.0}% of {} sampled values, confidence {:.2})",
                    inp.path,
                    k.entity_type,
                    k.share * 100.0,
                    group_thousands(k.sampled as u64),
                    k.confidence
                ));
            }
        }
        if !col_lines.is_empty() {
            let _ = writeln!(o, "\nColumns:");
            for l in col_lines {
                let _ = writeln!(o, "{l}");
            }
        }
        if s.binary_skipped > 0 || s.bad_records > 0 || !s.errors.is_empty() {
            let _ = writeln!(
                o,
                "\nProblems: {} binary file(s) skipped, {} bad record(s), {} error(s)",
                s.binary_skipped,
                s.bad_records,
                s.errors.len()
            );
        }
        o
    }
}

/// Findings with code-point offsets within `text` (values with
/// `show_values`), ready to serialise.
fn char_findings_out<'a>(
    text: &'a str,
    map: &OffsetMap<'_>,
    findings: &'a [Finding],
    show_values: bool,
) -> Vec<FindingOut<'a>> {
    findings
        .iter()
        .map(|f| {
            FindingOut::new(
                f,
                map.char_offset(f.start),
                map.char_offset(f.end),
                show_values.then(|| &text[f.start..f.end]),
            )
        })
        .collect()
}

/// A JSONL record's analysed text: one field's, or the texts a field
/// pattern with `*` matched, joined (`parts`: each one's pointer and start).
#[derive(Clone, Copy)]
pub struct RecordText<'a> {
    pub text: &'a str,
    pub parts: &'a [(String, usize)],
}

impl<'a> RecordText<'a> {
    /// `findings` with code-point offsets within the text, or, for joined
    /// texts, within the text each starts in, with that text's pointer
    /// (`field`); a finding running past its text's end is cut there.
    fn findings_out(
        self,
        map: &OffsetMap<'_>,
        findings: &'a [Finding],
        show_values: bool,
    ) -> Vec<FindingOut<'a>> {
        let (text, parts) = (self.text, self.parts);
        if parts.is_empty() {
            return char_findings_out(text, map, findings, show_values);
        }
        findings
            .iter()
            .map(|f| {
                let k = veil_core::io::jsonl::part_of(parts, f.start);
                let pointer = &parts[k].0;
                let (from, to) = veil_core::io::jsonl::part_range(parts, k, text.len());
                let start = f.start.clamp(from, to);
                let end = f.end.clamp(start, to);
                let base = map.char_offset(from);
                let mut out = FindingOut::new(
                    f,
                    map.char_offset(start) - base,
                    map.char_offset(end) - base,
                    show_values.then(|| &text[start..end]),
                );
                out.field = Some(pointer.as_str());
                out
            })
            .collect()
    }
}

/// Append a JSONL record's output line to `buf`:
/// `{"findings":[...],"id":...}` with code-point offsets within its text
/// ([`RecordText`]: within the matched text each finding names).
pub fn record_line(
    buf: &mut Vec<u8>,
    record: RecordText<'_>,
    findings: &[Finding],
    id: &Value,
    show_values: bool,
) {
    let map = OffsetMap::new(record.text);
    let fs = record.findings_out(&map, findings, show_values);
    json_line::record(buf, &fs, id);
}

/// The start of the JSONL output line of a table cell holding `text`,
/// up to its row number ([`json_line::cell_head`]; [`Sink::accept_cell`]
/// ends it).
pub fn cell_line_head(
    buf: &mut Vec<u8>,
    column: &str,
    text: &str,
    findings: &[Finding],
    path: &str,
    show_values: bool,
) {
    let map = OffsetMap::new(text);
    let fs = char_findings_out(text, &map, findings, show_values);
    json_line::cell_head(buf, column, &fs, path);
}

/// The JSONL output line of line `line` of the text input `path` (one
/// document per line), which has `findings` (at least one), with its
/// newline.
pub fn text_line(
    buf: &mut Vec<u8>,
    text: &str,
    findings: &[Finding],
    line: u64,
    path: &str,
    show_values: bool,
) {
    let map = OffsetMap::new(text);
    let fs = char_findings_out(text, &map, findings, show_values);
    json_line::line(buf, &fs, line, path);
}

fn group_thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn sarif_result(f: &Finding, path: &str, region: Value, props: Option<Value>) -> Value {
    let mut r = json!({
        "ruleId": f.entity_type.as_str(),
        "level": if f.entity_type.family() == Family::Secret { "error" } else { "warning" },
        "message": {"text": format!("{} (score {:.2}, recognizer {})", f.entity_type, f.score, f.recognizer)},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": path}, "region": region}}],
        "properties": {"score": f.score, "recognizer": f.recognizer},
    });
    if let Some(Value::Object(p)) = props
        && let Some(Value::Object(rp)) = r.get_mut("properties")
    {
        rp.extend(p);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands() {
        assert_eq!(group_thousands(1000), "1,000");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1234567), "1,234,567");
    }
}
