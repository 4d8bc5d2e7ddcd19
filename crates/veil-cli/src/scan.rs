//! `veil scan`: read inputs, batch texts, run the analyzer in parallel,
//! hand results to the output sink in input order.

use crate::cli::{InputFormat, ScanArgs};
use crate::output::{Origin, Out, Sink};
use anyhow::{Context, Result};
use std::io::{BufReader, IsTerminal};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use veil_core::EntityType;
use veil_core::io::csv_blocks::{CsvBlock, CsvTable, RowPart};
use veil_core::io::table::{ParquetRows, ParquetSource, TableSource};
use veil_core::io::text::{LineBlock, LineBlocks, SegmentReader, block_lines};
use veil_core::io::{InputKind, looks_binary, sniff};
use veil_detect::custom::CustomRules;
use veil_detect::{Analyzer, AnalyzerConfig};

/// Texts are analysed in batches of about this many bytes (bounded memory).
/// Small enough that the workers start on the first batch while this
/// thread reads the next (8 MiB batches kept two workers waiting ~50 ms at
/// the start of a 20 MB file, a tenth of its scan), large enough that the
/// cost of a batch (a channel send, a spawn) does not show.
const BATCH_BYTES: usize = 1 << 20;
/// …or this many texts.
const BATCH_DOCS: usize = 8192;
/// Whole-file documents are cut into segments of about this many bytes.
const SEGMENT_BYTES: usize = 1 << 20;
/// Batches sent to the analyzer and not yet written, at most (bounded
/// memory: with [`BATCH_BYTES`], about 8 MiB of text); a pool of `n`
/// workers keeps `n + 2` out ([`in_flight_for`]).
const MAX_IN_FLIGHT: usize = 8;
/// Record-level problems printed before the rest are only counted.
const MAX_PRINTED_PROBLEMS: usize = 20;

/// How many batches may be out with `workers` analysis workers: one per
/// worker, one being written and one more (so a worker done with its
/// share goes on at once), at most [`MAX_IN_FLIGHT`]. More only touches
/// more fresh memory: one worker with eight batches out took ~2,000 more
/// page faults on 10 MB of short records, for no gain in speed.
fn in_flight_for(workers: usize) -> usize {
    (workers + 2).min(MAX_IN_FLIGHT)
}

/// One batch of texts on its way through the analyzer.
struct Batch {
    /// Its place in the input: findings are written in this order.
    seq: u64,
    texts: Vec<String>,
    placed: Vec<Placed>,
    /// Lines as read (JSONL, or text read one document per line), for the
    /// worker to split, check and parse (a batch holds these, table rows or
    /// texts, one of them).
    lines: Option<RawLines>,
    /// Table rows as read (CSV or Parquet), for the worker to parse.
    rows: Option<RawRows>,
    bytes: usize,
}

/// A block of whole lines of input `file`, as read: JSONL records, or
/// the documents of a text input read one per line (`--lines`).
/// Splitting them, checking their UTF-8 and parsing them is left to the
/// analysis workers, so that the thread that reads and writes (the one
/// serial part of a scan of short records) only reads them.
struct RawLines {
    file: usize,
    block: LineBlock,
    /// For the lines of a text input: its name, which their output lines
    /// carry (`None` for JSONL records).
    text_of: Option<std::sync::Arc<str>>,
}

impl RawLines {
    /// Each line as a record (or a text input's line), its text in
    /// `texts`, or as the line's problem (with an empty text), in order.
    fn place(&self, reading: JsonlReading<'_>, texts: &mut Vec<String>, placed: &mut Vec<Placed>) {
        let file = self.file;
        // Sized once, not grown and copied.
        texts.reserve(self.block.lines);
        placed.reserve(self.block.lines);
        let lines = (self.block.first_line..).zip(block_lines(&self.block.bytes));
        for (line, (start, bytes)) in lines {
            let decoded = match std::str::from_utf8(bytes) {
                Ok(raw) => Ok(std::borrow::Cow::Borrowed(raw)),
                Err(_) if reading.lossy => Ok(String::from_utf8_lossy(bytes)),
                Err(e) => Err(e),
            };
            let mut text = String::new();
            let p = match decoded {
                Ok(raw) if self.text_of.is_some() => {
                    text = raw.into_owned();
                    Placed::Origin(Origin::Line { file, line })
                }
                Ok(raw) => parse_record(file, line, &raw, &mut text, reading),
                Err(e) => Placed::InvalidUtf8 {
                    file,
                    line,
                    offset: self.block.offset + (start + e.valid_up_to()) as u64,
                    record: self.text_of.is_none(),
                },
            };
            texts.push(text);
            placed.push(p);
        }
    }
}

/// Rows of a table input `file`, as read: a block of whole CSV records, or
/// a decoded Parquet record batch. Parsing them, checking their UTF-8 and
/// copying their cells is left to the analysis workers, as for
/// [`RawLines`].
struct RawRows {
    file: usize,
    rows: TableRows,
    table: std::sync::Arc<TableInput>,
}

/// What the workers read of a table input besides its rows.
struct TableInput {
    /// Per column: its header as context for its cells (`Input::contexts`).
    contexts: Vec<std::sync::Arc<str>>,
    /// Per column: its name, and the input's path, which cells' output
    /// lines carry.
    columns: Vec<String>,
    path: String,
}

impl TableInput {
    /// The table input `file` of `sink`, as the workers read it.
    fn of(sink: &Sink, file: usize) -> std::sync::Arc<TableInput> {
        let input = &sink.inputs[file];
        std::sync::Arc::new(TableInput {
            contexts: input.contexts.clone(),
            columns: input.columns.clone(),
            path: input.path.clone(),
        })
    }
}

/// The rows of a [`RawRows`].
enum TableRows {
    Csv(CsvBlock, std::sync::Arc<CsvTable>),
    Parquet(ParquetRows),
}

impl RawRows {
    /// Each row's cells, their texts one after another in `cells` (a
    /// [`Placed::Cell`] each, its row counted within the batch), each bad
    /// row as [`Placed::BadRow`], then [`Placed::Rows`] with the batch's
    /// number of rows.
    fn place(&self, cells: &mut String, placed: &mut Vec<Placed>) {
        let file = self.file;
        let cell = |cells: &mut String, placed: &mut Vec<Placed>, row, column, text: &str| {
            let start = cells.len();
            cells.push_str(text);
            placed.push(Placed::Cell {
                file,
                row,
                column,
                text: start..cells.len(),
                head_end: None,
            });
        };
        let rows = match &self.rows {
            TableRows::Csv(block, table) => {
                cells.reserve(block.bytes.len());
                table.parse(block, |part| match part {
                    RowPart::Cell { row, column, text } => cell(cells, placed, row, column, &text),
                    RowPart::Bad(e) => placed.push(Placed::BadRow(e.to_string())),
                })
            }
            TableRows::Parquet(rows) => {
                let read = rows.cells(|row, column, text| cell(cells, placed, row, column, text));
                if let Err(e) = read {
                    placed.push(Placed::BadRow(e.to_string()));
                }
                rows.rows() as u64
            }
        };
        placed.push(Placed::Rows { file, rows });
    }

    /// The context of each placed text: its column's header, or none.
    fn contexts<'a>(&'a self, placed: &[Placed]) -> Vec<&'a str> {
        placed
            .iter()
            .map(|p| match p {
                Placed::Cell { column, .. } => self.table.contexts.get(*column).map_or("", |c| c),
                _ => "",
            })
            .collect()
    }

    /// Write the start of the JSONL output line of each cell with findings
    /// into `lines` (up to its row number, which the writing thread adds)
    /// and mark where it ends (`head_end`).
    fn write_heads(
        &self,
        cells: &str,
        placed: &mut [Placed],
        findings: &[Vec<veil_core::Finding>],
        show_values: bool,
        lines: &mut Vec<u8>,
    ) {
        for (p, found) in placed.iter_mut().zip(findings) {
            if let Placed::Cell {
                column,
                text,
                head_end,
                ..
            } = p
                && !found.is_empty()
            {
                let column = self.table.columns.get(*column).map_or("", String::as_str);
                let text = cells.get(text.clone()).unwrap_or_default();
                crate::output::cell_line_head(
                    lines,
                    column,
                    text,
                    found,
                    &self.table.path,
                    show_values,
                );
                *head_end = Some(lines.len());
            }
        }
    }
}

/// A text whose place in the input is known.
enum Placed {
    /// Where it came from.
    Origin(Origin),
    /// A JSONL line that is no record: what is wrong with it, without the
    /// file's name (added when it is reported, in input order).
    Unparsable {
        file: usize,
        line: u64,
        problem: String,
    },
    /// A line that is not UTF-8, from byte `offset` of the file on: a JSONL
    /// line (`record`, which keeps its output line) or a text input's line.
    InvalidUtf8 {
        file: usize,
        line: u64,
        offset: u64,
        record: bool,
    },
    /// A table cell whose text is `text` of its batch's `cells`, in row
    /// `row` of its batch (the rows of the file's batches before are added
    /// when it is written, in input order). `head_end`: where the start of
    /// its output line ends in the batch's `lines`, where a worker wrote it
    /// ([`RawRows::write_heads`]; it starts where the one before ends).
    Cell {
        file: usize,
        row: u64,
        column: usize,
        text: std::ops::Range<usize>,
        head_end: Option<usize>,
    },
    /// A table row that could not be read: what is wrong with it.
    BadRow(String),
    /// The end of a batch of table rows: how many it held, good and bad.
    Rows { file: usize, rows: u64 },
    /// A record (`record`) or a text input's line whose output line the
    /// worker wrote (it ends at `line_end` in the batch's `lines`, where the
    /// one before it ends) and whose text it dropped, `text_bytes` long.
    Written {
        file: usize,
        text_bytes: usize,
        line_end: usize,
        record: bool,
    },
}

/// How JSONL lines are read: the fields records are read from
/// (`--text-field`, `--id-field`), and whether invalid UTF-8 is replaced
/// (`--lossy`) rather than reported.
#[derive(Clone, Copy)]
struct JsonlReading<'a> {
    text: &'a str,
    id: &'a str,
    lossy: bool,
}

/// The record of JSONL line `line` of input `file`, `raw`: its text goes
/// into `text` (left empty when the line is no record).
fn parse_record(
    file: usize,
    line: u64,
    raw: &str,
    text: &mut String,
    reading: JsonlReading<'_>,
) -> Placed {
    match veil_core::io::jsonl::parse_record(raw, line, reading.text, reading.id) {
        Ok(r) => {
            *text = r.text;
            Placed::Origin(Origin::Record {
                file,
                id: r.id,
                line,
                parts: (!r.parts.is_empty()).then(|| Box::new(r.parts)),
            })
        }
        Err(problem) => {
            text.clear();
            Placed::Unparsable {
                file,
                line,
                problem,
            }
        }
    }
}

/// A batch through the analyzer: each text placed, with its findings.
struct Analysed {
    seq: u64,
    bytes: usize,
    texts: Vec<String>,
    /// The texts of its [`Placed::Cell`]s, one after another.
    cells: String,
    placed: Vec<Placed>,
    findings: Vec<Vec<veil_core::Finding>>,
    /// The output lines of its [`Placed::Written`] records, or the starts
    /// of its cells' output lines, one after another.
    lines: Vec<u8>,
}

/// How the workers write records' output: records' JSONL lines (with
/// `show_values`), or nothing but their counts (the human summary).
/// SARIF results are built by the writing thread.
#[derive(Clone, Copy)]
enum RecordLines {
    Jsonl { show_values: bool },
    CountOnly,
}

impl RecordLines {
    /// What the workers write for `format`, or `None` where they leave
    /// records to the writing thread.
    fn for_format(format: crate::cli::Format, show_values: bool) -> Option<RecordLines> {
        match format {
            crate::cli::Format::Jsonl => Some(RecordLines::Jsonl { show_values }),
            crate::cli::Format::Human => Some(RecordLines::CountOnly),
            crate::cli::Format::Sarif => None,
        }
    }

    /// Write the output line of each record of a batch into `lines` (or
    /// of each line with findings of the text input `text_of`, read one
    /// document per line) and drop its text (freed by the thread that made
    /// it, the worker). `raw_bytes`: the batch's raw lines, by which
    /// `lines` is sized.
    fn write(
        self,
        placed: &mut [Placed],
        texts: &mut [String],
        findings: &[Vec<veil_core::Finding>],
        (raw_bytes, text_of): (usize, Option<&str>),
        lines: &mut Vec<u8>,
    ) {
        if let (RecordLines::Jsonl { .. }, None) = (self, text_of) {
            // Output lines took 1.7 times the raw lines' bytes with every
            // recognizer on the benchmark's short records, half with
            // --no-names: reserved once, rather than grown and copied.
            lines.reserve(2 * raw_bytes);
        }
        for ((p, text), found) in placed.iter_mut().zip(texts).zip(findings) {
            let (file, record) = match (&*p, text_of) {
                (
                    Placed::Origin(Origin::Record {
                        file, id, parts, ..
                    }),
                    _,
                ) => {
                    if let RecordLines::Jsonl { show_values } = self {
                        let parts = parts.as_deref().map_or(&[][..], Vec::as_slice);
                        let record = crate::output::RecordText { text, parts };
                        crate::output::record_line(lines, record, found, id, show_values);
                    }
                    (*file, true)
                }
                (Placed::Origin(Origin::Line { file, line }), Some(path)) => {
                    if let RecordLines::Jsonl { show_values } = self
                        && !found.is_empty()
                    {
                        crate::output::text_line(lines, text, found, *line, path, show_values);
                    }
                    (*file, false)
                }
                _ => continue,
            };
            *p = Placed::Written {
                file,
                text_bytes: text.len(),
                line_end: lines.len(),
                record,
            };
            *text = String::new();
        }
    }
}

/// Gathers texts into batches and keeps the analyzer busy: a full batch goes
/// to the analysis thread, which starts it on the rayon pool at once, so a
/// worker done with its share of one batch goes on with the next while the
/// other finishes; this thread reads the next batch and writes the findings
/// of finished ones, in input order. At most `max_in_flight` batches are
/// sent and not yet written (bounded memory).
struct Batcher {
    current: Batch,
    /// The next batch's place in the input.
    next_seq: u64,
    /// The place of the next batch to write.
    next_write: u64,
    /// Finished batches waiting for an earlier one.
    pending: std::collections::BTreeMap<u64, Analysed>,
    to_analyzer: Option<std::sync::mpsc::SyncSender<Batch>>,
    analysed: std::sync::mpsc::Receiver<Analysed>,
    in_flight: usize,
    /// [`in_flight_for`] the pool's workers.
    max_in_flight: usize,
    progress: Option<indicatif::ProgressBar>,
}

impl Batch {
    fn new(seq: u64) -> Batch {
        Batch {
            seq,
            texts: Vec::new(),
            placed: Vec::new(),
            lines: None,
            rows: None,
            bytes: 0,
        }
    }
}

impl Batcher {
    fn push(&mut self, sink: &mut Sink, origin: Origin, text: String) -> Result<()> {
        let b = &mut self.current;
        b.bytes += text.len();
        b.texts.push(text);
        b.placed.push(Placed::Origin(origin));
        if b.bytes >= BATCH_BYTES || b.texts.len() >= BATCH_DOCS {
            self.send(sink)?;
            self.write_ready(sink)?;
        }
        Ok(())
    }

    /// Queue a block of lines of input `file` (JSONL records, or the lines
    /// of the text input `text_of`) as a batch of its own (after the texts
    /// queued before it), for a worker to split and parse.
    fn push_lines(
        &mut self,
        sink: &mut Sink,
        file: usize,
        block: LineBlock,
        text_of: Option<&std::sync::Arc<str>>,
    ) -> Result<()> {
        self.send(sink)?;
        self.current.bytes = block.bytes.len();
        let text_of = text_of.cloned();
        self.current.lines = Some(RawLines {
            file,
            block,
            text_of,
        });
        self.send(sink)?;
        self.write_ready(sink)
    }

    /// Queue rows of the table input `file` (a block of CSV records or a
    /// Parquet record batch, `bytes` long) as a batch of their own (after
    /// the texts queued before them), for a worker to parse.
    fn push_rows(
        &mut self,
        sink: &mut Sink,
        file: usize,
        (rows, bytes): (TableRows, usize),
        table: &std::sync::Arc<TableInput>,
    ) -> Result<()> {
        self.send(sink)?;
        self.current.bytes = bytes;
        self.current.rows = Some(RawRows {
            file,
            rows,
            table: table.clone(),
        });
        self.send(sink)?;
        self.write_ready(sink)
    }

    /// Write what is ready without waiting.
    fn write_ready(&mut self, sink: &mut Sink) -> Result<()> {
        while let Ok(done) = self.analysed.try_recv() {
            self.receive(sink, done)?;
        }
        Ok(())
    }

    /// Hand the current batch to the analysis thread, first waiting (and
    /// writing) while `max_in_flight` batches are out.
    fn send(&mut self, sink: &mut Sink) -> Result<()> {
        if self.current.texts.is_empty()
            && self.current.lines.is_none()
            && self.current.rows.is_none()
        {
            return Ok(());
        }
        while self.in_flight >= self.max_in_flight {
            self.receive_one(sink)?;
        }
        self.next_seq += 1;
        let batch = std::mem::replace(&mut self.current, Batch::new(self.next_seq));
        let tx = self
            .to_analyzer
            .as_ref()
            .context("the analysis thread has already been closed")?;
        tx.send(batch)
            .map_err(|_| anyhow::anyhow!("the analysis thread stopped"))?;
        self.in_flight += 1;
        Ok(())
    }

    /// Wait for one finished batch and take it in.
    fn receive_one(&mut self, sink: &mut Sink) -> Result<()> {
        let done = self
            .analysed
            .recv()
            .map_err(|_| anyhow::anyhow!("the analysis thread stopped"))?;
        self.receive(sink, done)
    }

    /// Take in a finished batch: write it and every finished batch after
    /// it, in input order.
    fn receive(&mut self, sink: &mut Sink, done: Analysed) -> Result<()> {
        self.pending.insert(done.seq, done);
        while let Some(next) = self.pending.remove(&self.next_write) {
            self.next_write += 1;
            self.write(sink, next)?;
        }
        Ok(())
    }

    fn write(&mut self, sink: &mut Sink, batch: Analysed) -> Result<()> {
        self.in_flight -= 1;
        // The workers' record lines not yet written: `lines[written..ready]`
        // (written in one go, before any other output of the batch).
        let (mut written, mut ready) = (0, 0);
        // Where the next cell's output line starts in `lines`.
        let mut head_start = 0;
        // A batch of table rows has its texts in `cells` (and none in
        // `texts`), any other one in `texts`.
        let texts = batch
            .texts
            .into_iter()
            .chain(std::iter::repeat_with(String::new));
        for ((placed, text), findings) in batch.placed.into_iter().zip(texts).zip(batch.findings) {
            let origin = match placed {
                Placed::Cell {
                    file,
                    row,
                    column,
                    text,
                    head_end,
                } => {
                    // After the rows of the file's batches before.
                    let row = sink.inputs[file].records + row;
                    let text = batch.cells.get(text).unwrap_or_default();
                    let head = head_end.and_then(|end| {
                        let head = batch.lines.get(head_start..end);
                        head_start = end;
                        head
                    });
                    sink.accept_cell((file, row, column), text, findings, head)?;
                    continue;
                }
                Placed::BadRow(message) => {
                    problem(sink, message, true);
                    continue;
                }
                Placed::Rows { file, rows } => {
                    sink.stats.records += rows;
                    sink.inputs[file].records += rows;
                    continue;
                }
                Placed::Written {
                    file,
                    text_bytes,
                    line_end,
                    record,
                } => {
                    sink.accept_written(file, text_bytes, &findings, record);
                    ready = line_end;
                    continue;
                }
                Placed::Origin(origin) => origin,
                Placed::Unparsable {
                    file,
                    line,
                    problem,
                } => Origin::BadRecord {
                    line,
                    message: veil_core::Error::BadRecord {
                        path: sink.inputs[file].path.clone().into(),
                        line,
                        message: problem,
                    }
                    .to_string(),
                },
                Placed::InvalidUtf8 {
                    file,
                    line,
                    offset,
                    record,
                } => {
                    let message = veil_core::Error::InvalidUtf8 {
                        path: sink.inputs[file].path.clone().into(),
                        offset,
                    }
                    .to_string();
                    if !record {
                        // A text input's line: no output line of its own.
                        problem(sink, message, true);
                        continue;
                    }
                    Origin::BadRecord { line, message }
                }
            };
            sink.write_lines(&batch.lines[written..ready])?;
            written = ready;
            // Reported here, in input order, between its neighbours' output.
            if let Origin::BadRecord { message, .. } = &origin {
                problem(sink, message.clone(), true);
            }
            sink.accept(origin, &text, findings)?;
        }
        sink.write_lines(&batch.lines[written..ready])?;
        if let Some(p) = &self.progress {
            p.inc(batch.bytes as u64);
        }
        Ok(())
    }

    /// Send the last batch, close the analysis thread's input and write
    /// every remaining result.
    fn finish(&mut self, sink: &mut Sink) -> Result<()> {
        let sent = self.send(sink);
        // Closed whatever happened: the analysis thread ends when its input
        // does, and the scan's scope waits for it.
        self.to_analyzer = None;
        sent?;
        while self.in_flight > 0 {
            self.receive_one(sink)?;
        }
        Ok(())
    }
}

/// The analysis thread: start each batch received on the rayon pool as it
/// comes (batches may finish out of order; the [`Batcher`] restores it).
fn analysis_loop(
    analyzer: &Analyzer,
    reading: JsonlReading<'_>,
    record_lines: Option<RecordLines>,
    batches: std::sync::mpsc::Receiver<Batch>,
    done: std::sync::mpsc::Sender<Analysed>,
) {
    rayon::in_place_scope(|scope| {
        for batch in batches {
            let done = done.clone();
            scope.spawn(move |_| {
                let Batch {
                    seq,
                    mut texts,
                    mut placed,
                    lines,
                    rows,
                    mut bytes,
                } = batch;
                // Raw lines and table rows are parsed here, before their
                // analysis.
                let raw_bytes = lines.as_ref().map_or(0, |l| l.block.bytes.len());
                if let Some(lines) = &lines {
                    lines.place(reading, &mut texts, &mut placed);
                }
                let mut cells = String::new();
                let mut out = Vec::new();
                let findings = match &rows {
                    Some(rows) => {
                        rows.place(&mut cells, &mut placed);
                        if let TableRows::Parquet(_) = rows.rows {
                            bytes = cells.len();
                        }
                        let texts: Vec<&str> = (placed.iter())
                            .map(|p| match p {
                                Placed::Cell { text, .. } => cells.get(text.clone()).unwrap_or(""),
                                _ => "",
                            })
                            .collect();
                        let findings =
                            analyzer.analyze_batch_in_context(&texts, &rows.contexts(&placed));
                        if let Some(RecordLines::Jsonl { show_values }) = record_lines {
                            rows.write_heads(&cells, &mut placed, &findings, show_values, &mut out);
                        }
                        findings
                    }
                    None => analyzer.analyze_batch(&texts),
                };
                // …and their output lines written here.
                let text_of = lines.as_ref().and_then(|l| l.text_of.as_deref());
                if let Some(record_lines) = record_lines {
                    let raw = (raw_bytes, text_of);
                    record_lines.write(&mut placed, &mut texts, &findings, raw, &mut out);
                }
                let results = Analysed {
                    seq,
                    bytes,
                    texts,
                    cells,
                    placed,
                    findings,
                    lines: out,
                };
                // The receiver is gone only when the scan stopped on an error.
                let _ = done.send(results);
            });
        }
    });
}

fn read_list(path: &Path) -> Result<Vec<String>> {
    let s = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read list", path.display()))?;
    Ok(s.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(String::from)
        .collect())
}

/// Build the analyzer from the flags.
pub fn build_analyzer(args: &ScanArgs) -> Result<Analyzer> {
    if !(0.0..=1.0).contains(&args.min_score) {
        anyhow::bail!("--min-score must lie in [0, 1], got {}", args.min_score);
    }
    let mut custom = CustomRules::default();
    for r in &args.rules {
        let src = std::fs::read_to_string(r)
            .with_context(|| format!("{}: cannot read rules", r.display()))?;
        custom.add_toml(&src, r)?;
    }
    if let Some(p) = &args.allow_list {
        custom.add_allow(read_list(p)?);
    }
    if let Some(p) = &args.deny_list {
        custom.add_deny(EntityType::new(&args.deny_entity), read_list(p)?, 1.0);
    }
    // A misspelt type would silently match nothing (and a CI gate on it
    // never fire): every type named must be one Veil can report.
    // The types the user's rules add (a custom recognizer may also report
    // a built-in type, which --no-names then leaves on).
    let mut added: Vec<EntityType> = custom.entity_types();
    if args.deny_list.is_some() {
        added.push(EntityType::new(&args.deny_entity));
    }
    let named = [("--entities", &args.entities), ("--fail-on", &args.fail_on)];
    for (flag, names) in named {
        for name in names.iter().flatten() {
            let is_any = flag == "--fail-on" && name.eq_ignore_ascii_case("any");
            if is_any {
                continue;
            }
            let t = EntityType::new(name);
            if !EntityType::BUILTIN.contains(&t) && !added.contains(&t) {
                let builtin: Vec<&str> =
                    EntityType::BUILTIN.iter().map(EntityType::as_str).collect();
                anyhow::bail!(
                    "{flag}: unknown entity type `{name}`; Veil reports {} and the types of --rules and --deny-entity",
                    builtin.join(", ")
                );
            }
            if args.no_names
                && veil_detect::analyzer::NAME_PASS_TYPES.contains(&t)
                && !added.contains(&t)
            {
                anyhow::bail!("{flag} {t}: --no-names turns off the recognizer of {t}");
            }
        }
    }
    let mut entities = args.entities.as_ref().map(|v| {
        v.iter()
            .map(|s| EntityType::new(s))
            .collect::<std::collections::HashSet<_>>()
    });
    if let (Some(set), Some(_)) = (&mut entities, &args.deny_list) {
        set.insert(EntityType::new(&args.deny_entity));
    }
    // A gate on a type the scan does not look for could never fire.
    if let (Some(set), Some(fail_on)) = (&entities, &args.fail_on) {
        for name in fail_on.iter().filter(|n| !n.eq_ignore_ascii_case("any")) {
            let t = EntityType::new(name);
            if !set.contains(&t) {
                anyhow::bail!(
                    "--fail-on {t}: not among --entities, so it is never reported and the gate could never fire"
                );
            }
        }
    }
    Ok(Analyzer::new(AnalyzerConfig {
        min_score: args.min_score,
        entities,
        names: !args.no_names,
        custom,
    })?)
}

/// Run `veil scan`.
pub fn run(args: ScanArgs) -> Result<ExitCode> {
    if let Some(n) = args.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot start worker threads")?;
    }
    let analyzer = build_analyzer(&args)?;
    let started = Instant::now();
    let out = match &args.output {
        Some(p) => Out::File(veil_core::io::atomic::AtomicFile::create(p)?),
        None => Out::Stdout(std::io::BufWriter::new(std::io::stdout().lock())),
    };
    let mut sink = Sink::new(
        args.format,
        out,
        args.show_values,
        args.fail_on.clone(),
        args.sample,
    );
    let progress = (!args.no_progress && std::io::stderr().is_terminal()).then(|| {
        let total: u64 = args
            .paths
            .iter()
            .filter_map(|p| std::fs::metadata(p).ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum();
        let bar = indicatif::ProgressBar::new(total);
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    });
    let (to_analyzer, batches) = std::sync::mpsc::sync_channel::<Batch>(1);
    let (done, analysed) = std::sync::mpsc::channel::<Analysed>();
    let mut batcher = Batcher {
        current: Batch::new(0),
        next_seq: 0,
        next_write: 0,
        pending: std::collections::BTreeMap::new(),
        to_analyzer: Some(to_analyzer),
        analysed,
        in_flight: 0,
        max_in_flight: in_flight_for(rayon::current_num_threads()),
        progress,
    };
    std::thread::scope(|scope| -> Result<()> {
        let analyzer = &analyzer;
        let reading = JsonlReading {
            text: &args.text_field,
            id: &args.id_field,
            lossy: args.lossy,
        };
        let record_lines = RecordLines::for_format(args.format, args.show_values);
        scope.spawn(move || analysis_loop(analyzer, reading, record_lines, batches, done));
        let read = args
            .paths
            .iter()
            .try_for_each(|path| scan_path(path, &args, &mut batcher, &mut sink));
        // Close the analysis thread's input whatever happened, so the scope ends.
        let finished = batcher.finish(&mut sink);
        read.and(finished)
    })?;
    if let Some(p) = &batcher.progress {
        p.finish_and_clear();
    }
    let fail_hits = sink.stats.fail_hits;
    let problems = sink.stats.bad_records + sink.stats.errors.len() as u64;
    let mut stderr = std::io::stderr();
    let out = sink.finish(started.elapsed().as_secs_f64(), &mut stderr)?;
    out.commit()?;
    // The process ends with the scan: its memory goes back to the system
    // at exit, without freeing the analyzer's automata and search caches
    // one by one on this one thread (~300 page releases after 20 MB).
    std::mem::forget(analyzer);
    if fail_hits > 0 {
        eprintln!("veil: {fail_hits} finding(s) of a --fail-on type");
        return Ok(ExitCode::from(1));
    }
    Ok(if problems > 0 {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn problem(sink: &mut Sink, msg: String, record_level: bool) {
    let n = sink.stats.errors.len() as u64 + sink.stats.bad_records;
    if (n as usize) < MAX_PRINTED_PROBLEMS {
        eprintln!("veil: warning: {msg}");
    } else if n as usize == MAX_PRINTED_PROBLEMS {
        eprintln!("veil: warning: further problems are counted, not printed");
    }
    if record_level {
        sink.stats.bad_records += 1;
    } else {
        sink.stats.errors.push(msg);
    }
}

fn kind_of(path: &Path, args: &ScanArgs) -> InputKind {
    match args.input_format {
        InputFormat::Auto => InputKind::from_path(path),
        InputFormat::Text => InputKind::Text,
        InputFormat::Jsonl => InputKind::Jsonl,
        InputFormat::Csv => InputKind::Csv,
        InputFormat::Parquet => InputKind::Parquet,
    }
}

fn scan_path(path: &Path, args: &ScanArgs, b: &mut Batcher, sink: &mut Sink) -> Result<()> {
    let display = path.display().to_string();
    if display == "-" {
        // Piped gzip or zstd (`aws s3 cp s3://…/dump.jsonl.gz - | veil scan
        // --input-format jsonl -`) is decoded, known by its first bytes.
        let stdin = std::io::stdin().lock();
        let reader = veil_core::io::compressed::sniffed(Box::new(stdin), path)?;
        return scan_reader(reader, path, kind_of(path, args), args, b, sink);
    }
    let meta = std::fs::metadata(path).with_context(|| format!("{display}: cannot open"))?;
    if meta.is_dir() {
        let walker = ignore::WalkBuilder::new(path)
            .hidden(false)
            .require_git(false)
            .filter_entry(|e| e.file_name() != ".git")
            .sort_by_file_path(|a, c| a.cmp(c))
            .build();
        for entry in walker {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    problem(sink, format!("{display}: {e}"), false);
                    continue;
                }
            };
            if entry.file_type().is_some_and(|t| t.is_file()) {
                scan_file(entry.path(), dir_entry_kind(entry.path()), args, b, sink)?;
            }
        }
        return Ok(());
    }
    scan_file(path, kind_of(path, args), args, b, sink)
}

/// How a file found in a directory is read: a Parquet file (by its
/// `.parquet` or `.pq` extension) as a table, as when it is named on its own (its
/// bytes are binary and would otherwise be skipped, its tables unread);
/// every other file as whole-file text, whatever its extension, so that
/// findings carry byte offsets and lines within the file (a `.gz` or
/// `.zst` file: within its decompressed content).
fn dir_entry_kind(path: &Path) -> InputKind {
    match InputKind::from_path(path) {
        InputKind::Parquet => InputKind::Parquet,
        _ => InputKind::Text,
    }
}

fn scan_file(
    path: &Path,
    kind: InputKind,
    args: &ScanArgs,
    b: &mut Batcher,
    sink: &mut Sink,
) -> Result<()> {
    let display = path.display().to_string();
    match kind {
        InputKind::Csv | InputKind::Parquet => scan_table(path, kind, args, b, sink),
        _ => {
            let head = match sniff(path) {
                Ok(h) => h,
                Err(e) => {
                    problem(sink, e.to_string(), false);
                    return Ok(());
                }
            };
            if looks_binary(&head) {
                eprintln!("veil: skipping binary file {display}");
                sink.stats.binary_skipped += 1;
                return Ok(());
            }
            // A compressed file (`.gz`, `.zst`) is read through its decoder.
            let file = match veil_core::io::compressed::open(path) {
                Ok(f) => f,
                Err(e) => {
                    problem(sink, e.to_string(), false);
                    return Ok(());
                }
            };
            scan_reader(
                Box::new(BufReader::with_capacity(1 << 16, file)),
                path,
                kind,
                args,
                b,
                sink,
            )
        }
    }
}

fn scan_reader(
    reader: Box<dyn std::io::BufRead>,
    path: &Path,
    kind: InputKind,
    args: &ScanArgs,
    b: &mut Batcher,
    sink: &mut Sink,
) -> Result<()> {
    let file = sink.add_input(path.display().to_string(), Vec::new());
    match kind {
        InputKind::Jsonl => {
            // Blocks of lines are read here; the analysis workers split,
            // check and parse them.
            push_line_blocks(reader, path, file, None, b, sink)?;
        }
        InputKind::Csv | InputKind::Parquet => {
            // Tables on standard input: CSV only.
            let columns = args.columns.as_deref();
            let (table, blocks) = CsvTable::open(reader, path, columns, args.lossy, BATCH_BYTES)?;
            sink.set_columns(file, table.columns().to_vec());
            feed_csv(table, Box::new(blocks), file, b, sink)?;
        }
        InputKind::Text if args.lines => {
            // As JSONL: blocks of lines read here, split, checked (and
            // their output lines written) by the analysis workers.
            let name: std::sync::Arc<str> = sink.inputs[file].path.as_str().into();
            push_line_blocks(reader, path, file, Some(&name), b, sink)?;
        }
        InputKind::Text => {
            for seg in SegmentReader::new(reader, path, args.lossy, SEGMENT_BYTES) {
                match seg {
                    Ok(s) => b.push(
                        sink,
                        Origin::File {
                            file,
                            offset: s.offset,
                            lines_before: s.lines_before,
                            keep_before: s.keep_before,
                        },
                        s.text,
                    )?,
                    Err(e) if e.is_record_error() || e.is_corrupt_data() => {
                        problem(sink, e.to_string(), false);
                        break;
                    }
                    Err(e) => return Err(e.into()),
                }
            }
            // Queued in order: the file's JSONL line is written once all its
            // segments are through, without stalling the batch.
            b.push(sink, Origin::FileEnd { file }, String::new())?;
        }
    }
    Ok(())
}

/// The blocks of whole lines of input `file` (JSONL records, or with
/// `text_of` a text input's lines), handed to the workers; data a decoder
/// cannot read ends the input as a problem of its own, after the lines
/// before it.
fn push_line_blocks(
    reader: Box<dyn std::io::BufRead + '_>,
    path: &Path,
    file: usize,
    text_of: Option<&std::sync::Arc<str>>,
    b: &mut Batcher,
    sink: &mut Sink,
) -> Result<()> {
    for block in LineBlocks::new(reader, path, BATCH_BYTES) {
        match block {
            Ok(block) => b.push_lines(sink, file, block, text_of)?,
            Err(e) if e.is_corrupt_data() => {
                problem(sink, e.to_string(), false);
                break;
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

fn scan_table(
    path: &Path,
    kind: InputKind,
    args: &ScanArgs,
    b: &mut Batcher,
    sink: &mut Sink,
) -> Result<()> {
    let columns = args.columns.as_deref();
    let opened = match kind {
        InputKind::Parquet => ParquetSource::open(path, columns, 8192).map(Table::Parquet),
        _ => veil_core::io::compressed::open(path)
            .and_then(|f| CsvTable::open(f, path, columns, args.lossy, BATCH_BYTES))
            .map(|(table, blocks)| Table::Csv(table, Box::new(blocks))),
    };
    let table = match opened {
        Ok(t) => t,
        Err(e @ veil_core::Error::MissingColumn { .. }) => return Err(e.into()),
        Err(e) => {
            problem(sink, e.to_string(), false);
            return Ok(());
        }
    };
    let display = path.display().to_string();
    match table {
        Table::Parquet(mut src) => {
            let file = sink.add_input(display, src.columns().to_vec());
            let input = TableInput::of(sink, file);
            loop {
                match src.next_rows() {
                    Ok(Some(rows)) => {
                        // Its bytes are its cells', counted as they are
                        // taken out.
                        b.push_rows(sink, file, (TableRows::Parquet(rows), 0), &input)?;
                    }
                    Ok(None) => break,
                    Err(e) => {
                        problem(sink, e.to_string(), false);
                        break;
                    }
                }
            }
            Ok(())
        }
        Table::Csv(table, blocks) => {
            let file = sink.add_input(display, table.columns().to_vec());
            feed_csv(table, blocks, file, b, sink)
        }
    }
}

/// A table opened for a scan.
enum Table {
    Parquet(ParquetSource),
    Csv(
        CsvTable,
        Box<dyn Iterator<Item = veil_core::Result<CsvBlock>>>,
    ),
}

/// Queue the blocks of CSV rows of input `file`, its columns set, for the
/// workers to parse and analyse.
fn feed_csv(
    table: CsvTable,
    blocks: Box<dyn Iterator<Item = veil_core::Result<CsvBlock>>>,
    file: usize,
    b: &mut Batcher,
    sink: &mut Sink,
) -> Result<()> {
    let input = TableInput::of(sink, file);
    let table = std::sync::Arc::new(table);
    for block in blocks {
        match block {
            Ok(block) => {
                let bytes = block.bytes.len();
                let rows = TableRows::Csv(block, table.clone());
                b.push_rows(sink, file, (rows, bytes), &input)?
            }
            Err(e) => {
                problem(sink, e.to_string(), false);
                break;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_out_grow_with_the_workers_up_to_the_memory_bound() {
        // One worker: its batch, the one being written, one more.
        assert_eq!(in_flight_for(1), 3);
        assert_eq!(in_flight_for(2), 4);
        // Many workers never hold more than the bound's ~8 MiB of text.
        assert_eq!(in_flight_for(64), MAX_IN_FLIGHT);
    }
}
