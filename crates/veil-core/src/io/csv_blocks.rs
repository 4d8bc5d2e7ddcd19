//! CSV read in blocks of whole records and parsed block by block: the
//! thread that reads only finds where records end (a quote-aware scan for
//! the last line break outside a quoted field), so that parsing, UTF-8
//! checks and cell copies can run on the analysis workers, each block on
//! its own.
//!
//! Parsing a block from its start gives the records the `csv` crate reads
//! from the whole input: a block ends right after a line break (`\n` or
//! `\r`) outside every quoted field, where `csv` is between records, and
//! each block is parsed by `csv` itself. A bad row is placed on the line
//! and byte of its own first byte.

use crate::{Error, Result};
use std::borrow::Cow;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The UTF-8 byte-order mark `csv` skips at the start of its input.
const BOM: &[u8] = b"\xef\xbb\xbf";

/// A block of whole CSV records, as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvBlock {
    /// The records' bytes, terminators included (the last one's may be
    /// missing at the end of the input).
    pub bytes: Vec<u8>,
    /// The byte offset of its first byte in the input.
    pub offset: u64,
    /// The 1-based line its first byte is on.
    pub first_line: u64,
}

/// Where a scan of CSV from a record's start has got to: `csv`'s quoting
/// (a quote opens a quoted field only at a field's start; in one, two
/// quotes are a quote and one quote closes it).
#[derive(Debug, Default, Clone)]
struct QuoteScan {
    /// Bytes scanned.
    at: usize,
    /// Whether `at` is inside a quoted field.
    quoted: bool,
    /// Where the last line terminator (`\n` or `\r`) outside quoted
    /// fields ends: a block may end there.
    cut: Option<usize>,
}

impl QuoteScan {
    /// Scan `buf` on from `self.at`; `field_start` is where a field starts
    /// without a delimiter or terminator before it (0, or 3 after a
    /// byte-order mark at the input's start). A quote that ends `buf`
    /// inside a quoted field is left for the next call unless `ended`
    /// (it may be the first of two).
    fn scan(&mut self, buf: &[u8], field_start: usize, ended: bool) {
        while self.at < buf.len() {
            let from = self.at;
            let quote = memchr::memchr(b'"', &buf[from..]).map(|i| from + i);
            if self.quoted {
                let Some(q) = quote else {
                    self.at = buf.len();
                    return;
                };
                match buf.get(q + 1) {
                    Some(b'"') => self.at = q + 2,
                    Some(_) => {
                        self.quoted = false;
                        self.at = q + 1;
                    }
                    None if ended => {
                        self.quoted = false;
                        self.at = buf.len();
                    }
                    None => {
                        self.at = q;
                        return;
                    }
                }
            } else {
                let stretch = quote.unwrap_or(buf.len());
                // After a `\r` as after a `\n`, `csv` is between records.
                if let Some(nl) = memchr::memrchr2(b'\n', b'\r', &buf[from..stretch]) {
                    self.cut = Some(from + nl + 1);
                }
                let Some(q) = quote else {
                    self.at = buf.len();
                    return;
                };
                self.quoted =
                    q == field_start || (q > 0 && matches!(buf[q - 1], b',' | b'\n' | b'\r'));
                self.at = q + 1;
            }
        }
    }
}

/// CSV input read in blocks of about a given size, each ending after its
/// last newline outside quoted fields (a record longer than a block is
/// read to its end, so no record is split between two blocks).
pub struct CsvBlocks<R> {
    reader: R,
    path: PathBuf,
    size: usize,
    /// Read and not yet handed out, scanned as far as `scan` says.
    buf: Vec<u8>,
    scan: QuoteScan,
    /// `\n`s before `buf`.
    lines: u64,
    /// Bytes before `buf`.
    offset: u64,
    ended: bool,
    done: bool,
}

impl<R: Read> CsvBlocks<R> {
    /// Blocks of about `size` bytes (at least 1) of `reader`; `path` names
    /// the input in errors (`-` for stdin).
    pub fn new(reader: R, path: &Path, size: usize) -> Self {
        CsvBlocks {
            reader,
            path: path.to_path_buf(),
            size: size.max(1),
            buf: Vec::new(),
            scan: QuoteScan::default(),
            lines: 0,
            offset: 0,
            ended: false,
            done: false,
        }
    }

    /// Read onto `buf` until it holds `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        self.buf.reserve(want.saturating_sub(self.buf.len()));
        while self.buf.len() < want {
            let take = (want - self.buf.len()) as u64;
            match (&mut self.reader).take(take).read_to_end(&mut self.buf) {
                Ok(0) => {
                    self.ended = true;
                    break;
                }
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// The first `len` bytes of `buf` as the next block.
    fn take_block(&mut self, len: usize) -> CsvBlock {
        let rest = self.buf.split_off(len);
        let bytes = std::mem::replace(&mut self.buf, rest);
        self.scan.at -= len;
        self.scan.cut = None;
        let block = CsvBlock {
            offset: self.offset,
            first_line: self.lines + 1,
            bytes,
        };
        self.lines += memchr::memchr_iter(b'\n', &block.bytes).count() as u64;
        self.offset += len as u64;
        block
    }
}

impl<R: Read> Iterator for CsvBlocks<R> {
    type Item = Result<CsvBlock>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut want = self.size;
        loop {
            if let Err(e) = self.fill(want) {
                self.done = true;
                return Some(Err(Error::Io {
                    path: self.path.clone(),
                    source: e,
                }));
            }
            let field_start = if self.offset == 0 && self.buf.starts_with(BOM) {
                BOM.len()
            } else {
                0
            };
            self.scan.scan(&self.buf, field_start, self.ended);
            if self.ended {
                self.done = true;
                if self.buf.is_empty() {
                    return None;
                }
                let len = self.buf.len();
                return Some(Ok(self.take_block(len)));
            }
            if let Some(cut) = self.scan.cut {
                return Some(Ok(self.take_block(cut)));
            }
            // No record ends in what was read: read a block's size more.
            want = self.buf.len() + self.size;
        }
    }
}

/// A CSV table's header and the columns a scan reads: parses the blocks
/// of [`CsvBlocks`] into cells. Rows with the wrong number of fields or
/// invalid UTF-8 are errors naming their line.
#[derive(Debug, Clone)]
pub struct CsvTable {
    path: PathBuf,
    /// Names of the selected columns.
    columns: Vec<String>,
    /// Their indices in a row.
    indices: Vec<usize>,
    /// The header's number of fields, which every row must have.
    fields: usize,
    lossy: bool,
}

/// One part of a parsed block, in order.
#[derive(Debug)]
pub enum RowPart<'a> {
    /// A non-empty cell of a selected column.
    Cell {
        /// The 1-based row within the block.
        row: u64,
        /// Index into [`CsvTable::columns`].
        column: usize,
        /// Its text (invalid UTF-8 replaced under `lossy`).
        text: Cow<'a, str>,
    },
    /// A row that could not be read (it gives no cell).
    Bad(Error),
}

impl CsvTable {
    /// Read the header row of `reader` (CSV, `path` naming it in errors);
    /// `columns` restricts the scan to the named columns, `lossy` replaces
    /// invalid UTF-8 in cells instead of failing their row. Returns the
    /// table and the blocks of rows after the header, of about `size` bytes.
    pub fn open<R: Read>(
        reader: R,
        path: &Path,
        columns: Option<&[String]>,
        lossy: bool,
        size: usize,
    ) -> Result<(CsvTable, HeadedBlocks<R>)> {
        let mut blocks = CsvBlocks::new(reader, path, size);
        let mut first = match blocks.next() {
            Some(block) => block?,
            None => CsvBlock {
                bytes: Vec::new(),
                offset: 0,
                first_line: 1,
            },
        };
        // The header is the first record: read on past empty lines (and a
        // byte-order mark).
        let empty = |bytes: &[u8]| {
            let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
            bytes.iter().all(|&b| b == b'\n' || b == b'\r')
        };
        while empty(&first.bytes) {
            match blocks.next() {
                Some(block) => first.bytes.extend_from_slice(&block?.bytes),
                None => break,
            }
        }
        let mut reader = csv::ReaderBuilder::new()
            .flexible(false)
            .from_reader(&first.bytes[..]);
        let header = reader.byte_headers().map_err(|e| Error::BadRecord {
            path: path.to_path_buf(),
            line: 1,
            message: format!("cannot read the header row: {}", csv_kind(&e)),
        })?;
        let all: Vec<String> = header
            .iter()
            .map(|h| String::from_utf8_lossy(h).into_owned())
            .collect();
        let end = (reader.position().byte() as usize).min(first.bytes.len());
        let indices = select(path, &all, columns)?;
        let table = CsvTable {
            path: path.to_path_buf(),
            columns: indices.iter().map(|&i| all[i].clone()).collect(),
            indices,
            fields: all.len(),
            lossy,
        };
        let rest = CsvBlock {
            offset: end as u64,
            first_line: 1 + memchr::memchr_iter(b'\n', &first.bytes[..end]).count() as u64,
            bytes: first.bytes.split_off(end),
        };
        let first = (!rest.bytes.is_empty()).then_some(rest);
        Ok((table, HeadedBlocks { first, blocks }))
    }

    /// Names of the selected columns (what [`RowPart::Cell`]'s `column` indexes).
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// Parse `block` (one of the [`HeadedBlocks`] of this table): each row's
    /// cells, or the row as [`RowPart::Bad`], handed to `each` in order.
    /// Returns the number of rows, good and bad (empty lines are none).
    pub fn parse(&self, block: &CsvBlock, mut each: impl FnMut(RowPart<'_>)) -> u64 {
        // After an empty line, so that `csv` does not take a byte-order
        // mark at the block's start for the input's (it drops one there).
        let input = Read::chain(&b"\n"[..], &block.bytes[..]);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        let mut record = csv::ByteRecord::new();
        let mut rows = 0;
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    rows += 1;
                    self.row(block, &record, rows, &mut each);
                }
                Err(e) => {
                    // Not reached on bytes in memory with flexible rows;
                    // reported rather than lost if it is.
                    rows += 1;
                    let (line, _) = self.start(block, e.position());
                    each(RowPart::Bad(self.bad(line, csv_kind(&e))));
                    if matches!(e.kind(), csv::ErrorKind::Io(_)) {
                        break;
                    }
                }
            }
        }
        rows
    }

    /// One row's cells, or its error.
    fn row(
        &self,
        block: &CsvBlock,
        record: &csv::ByteRecord,
        row: u64,
        each: &mut impl FnMut(RowPart<'_>),
    ) {
        if record.len() != self.fields {
            let (line, _) = self.start(block, record.position());
            let message = format!("expected {} fields, found {}", self.fields, record.len());
            each(RowPart::Bad(self.bad(line, message)));
            return;
        }
        // The whole row checked at once; its cells are then slices of it
        // (each starting and ending on a character's boundary).
        if let Ok(all) = std::str::from_utf8(record.as_slice()) {
            let ranges = self
                .indices
                .iter()
                .map(|&i| record.range(i).unwrap_or(0..0));
            if ranges
                .clone()
                .all(|r| all.is_char_boundary(r.start) && all.is_char_boundary(r.end))
            {
                for (column, r) in ranges.enumerate() {
                    if !r.is_empty() {
                        let text = Cow::Borrowed(&all[r]);
                        each(RowPart::Cell { row, column, text });
                    }
                }
                return;
            }
        }
        // Some cell is not UTF-8 on its own.
        for (column, &i) in self.indices.iter().enumerate() {
            let bytes = record.get(i).unwrap_or_default();
            if let Err(e) = std::str::from_utf8(bytes)
                && !self.lossy
            {
                let (line, start) = self.start(block, record.position());
                let message = format!(
                    "invalid UTF-8 in column `{}` (row starts at byte {start}, {} bytes into the field)",
                    self.columns[column],
                    e.valid_up_to()
                );
                each(RowPart::Bad(self.bad(line, message)));
                return;
            }
        }
        for (column, &i) in self.indices.iter().enumerate() {
            let bytes = record.get(i).unwrap_or_default();
            if !bytes.is_empty() {
                let text = String::from_utf8_lossy(bytes);
                each(RowPart::Cell { row, column, text });
            }
        }
    }

    /// The line and byte offset in the input of the row `csv` placed at
    /// `position` of a block's [`CsvTable::parse`] input (the block after
    /// one `\n`). `csv` places a row where the row before it ended, so the
    /// empty lines and the `\n` of a `\r\n` between them are skipped to
    /// the row's first byte.
    fn start(&self, block: &CsvBlock, position: Option<&csv::Position>) -> (u64, u64) {
        let (mut at, mut line) = position.map_or((0, 1), |p| (p.byte() as usize, p.line()));
        let byte = |at: usize| match at {
            0 => Some(b'\n'),
            _ => block.bytes.get(at - 1).copied(),
        };
        while let Some(b) = byte(at)
            && (b == b'\n' || b == b'\r')
        {
            line += u64::from(b == b'\n');
            at += 1;
        }
        // Back from the parsed input to the block.
        let (at, line) = (at.saturating_sub(1), line.saturating_sub(1).max(1));
        (block.first_line + line - 1, block.offset + at as u64)
    }

    fn bad(&self, line: u64, message: String) -> Error {
        Error::BadRecord {
            path: self.path.clone(),
            line,
            message,
        }
    }
}

/// The blocks of a table's rows, after its header ([`CsvTable::open`]).
pub struct HeadedBlocks<R> {
    /// What the header's block held after it.
    first: Option<CsvBlock>,
    blocks: CsvBlocks<R>,
}

impl<R: Read> Iterator for HeadedBlocks<R> {
    type Item = Result<CsvBlock>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.first.take() {
            Some(block) => Some(Ok(block)),
            None => self.blocks.next(),
        }
    }
}

/// The indices in `all` of the `wanted` columns (every column when `None`).
pub(crate) fn select(path: &Path, all: &[String], wanted: Option<&[String]>) -> Result<Vec<usize>> {
    match wanted {
        None => Ok((0..all.len()).collect()),
        Some(w) => w
            .iter()
            .map(|name| {
                all.iter()
                    .position(|c| c == name)
                    .ok_or_else(|| Error::MissingColumn {
                        path: path.to_path_buf(),
                        column: name.clone(),
                        available: all.join(", "),
                    })
            })
            .collect(),
    }
}

/// What is wrong with a record `csv` could not read.
fn csv_kind(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("expected {expected_len} fields, found {len}")
        }
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => "malformed CSV".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Cells as (row in the table, column, text).
    type Cells = Vec<(u64, usize, String)>;

    /// A parsed table: its cells as (row in the table, column, text) and
    /// its bad rows' messages, in order; rows counted across blocks.
    #[derive(Debug, Default, PartialEq)]
    struct Parsed {
        cells: Cells,
        bad: Vec<String>,
        rows: u64,
    }

    fn parse_all(data: &[u8], columns: Option<&[String]>, size: usize) -> Result<Parsed> {
        let (table, blocks) = CsvTable::open(data, Path::new("t.csv"), columns, false, size)?;
        let mut parsed = Parsed::default();
        for block in blocks {
            let block = block?;
            let before = parsed.rows;
            parsed.rows += table.parse(&block, |part| match part {
                RowPart::Cell { row, column, text } => {
                    parsed.cells.push((before + row, column, text.into_owned()))
                }
                RowPart::Bad(e) => parsed.bad.push(e.to_string()),
            });
        }
        Ok(parsed)
    }

    #[test]
    fn bad_rows_are_reported_with_their_line_and_the_rest_read() {
        let data = b"name,email\nAnn,a@x.org\nBob\n\"Cy\",c@x.org\n";
        let parsed = parse_all(data, None, 1 << 20).unwrap();
        assert_eq!(parsed.rows, 3);
        assert_eq!(parsed.bad, ["t.csv:3: expected 2 fields, found 1"]);
        assert_eq!(parsed.cells.len(), 4);
        assert_eq!(parsed.cells[3], (3, 1, "c@x.org".to_string()));
    }

    #[test]
    fn a_missing_column_is_named_with_those_there() {
        let err = parse_all(b"a,b\n1,2\n", Some(&["c".into()]), 64)
            .unwrap_err()
            .to_string();
        assert!(err.contains("no column named `c`"), "{err}");
        assert!(err.contains("a, b"), "{err}");
    }

    #[test]
    fn a_bad_row_is_placed_on_its_own_line_after_crlf_and_empty_lines() {
        // `csv` itself places a row where the row before it ended: on the
        // line before, after a `\r\n`, and on the first empty line.
        let data = b"h1,h2\r\na,b\r\n\r\n\r\nc\r\nd,e\r\n";
        let parsed = parse_all(data, None, 1 << 20).unwrap();
        assert_eq!(parsed.bad, ["t.csv:5: expected 2 fields, found 1"]);
        let bad = parse_all(b"h\n\n\na,\xff\n", Some(&["h".into()]), 2).unwrap();
        assert_eq!(bad.bad, ["t.csv:4: expected 1 fields, found 2"]);
    }

    #[test]
    fn invalid_utf8_fails_its_row_with_the_row_start_unless_lossy() {
        let data = b"a,b\nok,fine\n\nx,\xffy\nz,w\n";
        let parsed = parse_all(data, None, 3).unwrap();
        assert_eq!(
            parsed.bad,
            [
                "t.csv:4: invalid UTF-8 in column `b` (row starts at byte 13, 0 bytes into the field)"
            ]
        );
        assert_eq!(parsed.rows, 3);
        assert_eq!(parsed.cells.len(), 4);
        let (table, blocks) =
            CsvTable::open(&data[..], Path::new("t.csv"), None, true, 64).unwrap();
        let mut texts = Vec::new();
        for block in blocks {
            table.parse(&block.unwrap(), |part| match part {
                RowPart::Cell { text, .. } => texts.push(text.into_owned()),
                RowPart::Bad(e) => panic!("{e}"),
            });
        }
        assert_eq!(texts, ["ok", "fine", "x", "\u{fffd}y", "z", "w"]);
    }

    #[test]
    fn a_quoted_field_with_newlines_longer_than_a_block_stays_whole() {
        let long = "line\n".repeat(50);
        let data = format!("h,i\n\"{long}\",2\n3,\"a\"\"\nb\"\n");
        let blocks: Vec<CsvBlock> = CsvBlocks::new(data.as_bytes(), Path::new("t.csv"), 4)
            .collect::<Result<_>>()
            .unwrap();
        assert_eq!(blocks[0].bytes, b"h,i\n");
        assert_eq!(blocks[1].bytes, format!("\"{long}\",2\n").as_bytes());
        assert_eq!(blocks[1].first_line, 2);
        assert_eq!(blocks[2].bytes, b"3,\"a\"\"\nb\"\n");
        assert_eq!(blocks[2].first_line, 53);
        assert_eq!(blocks[2].offset, 4 + long.len() as u64 + 5);
        let parsed = parse_all(data.as_bytes(), None, 4).unwrap();
        assert_eq!(parsed.cells[0], (1, 0, long));
        assert_eq!(parsed.cells[3], (2, 1, "a\"\nb".to_string()));
    }

    #[test]
    fn a_quote_after_a_byte_order_mark_opens_a_quoted_header_field() {
        let data = b"\xef\xbb\xbf\"na\nme\",b\nx,y\n";
        let parsed = parse_all(data, None, 1).unwrap();
        assert_eq!(parsed.cells, [(1, 0, "x".into()), (1, 1, "y".into())]);
        let (table, _) = CsvTable::open(&data[..], Path::new("t.csv"), None, false, 1).unwrap();
        assert_eq!(table.columns(), ["na\nme", "b"]);
    }

    #[test]
    fn a_byte_order_mark_starting_a_later_block_stays_in_its_cell() {
        // `csv` drops a byte-order mark only at the start of its input; a
        // block parsed on its own must not drop one that starts it.
        let data = "h\n\u{feff}x\n\u{feff}\n".as_bytes();
        for size in [1, 2, 1 << 20] {
            let parsed = parse_all(data, None, size).unwrap();
            let want = [(1, 0, "\u{feff}x".into()), (2, 0, "\u{feff}".into())];
            assert_eq!(parsed.cells, want, "blocks of {size} bytes");
        }
    }

    #[test]
    fn an_empty_input_has_no_columns_and_no_block() {
        let (table, mut blocks) =
            CsvTable::open(&b""[..], Path::new("t.csv"), None, false, 8).unwrap();
        assert!(table.columns().is_empty());
        assert!(blocks.next().is_none());
        let (table, mut blocks) =
            CsvTable::open(&b"\n\r\nh\n"[..], Path::new("t.csv"), None, false, 1).unwrap();
        assert_eq!(table.columns(), ["h"]);
        assert!(blocks.next().is_none());
    }

    use crate::io::FailingAfter;

    #[test]
    fn a_read_error_names_the_input_and_ends_the_blocks() {
        let mut blocks = CsvBlocks::new(FailingAfter(b"h\na\nb"), Path::new("in.csv"), 4);
        assert_eq!(blocks.next().unwrap().unwrap().bytes, b"h\na\n");
        let err = blocks.next().unwrap().unwrap_err().to_string();
        assert!(
            err.contains("in.csv") && err.contains("device gone"),
            "{err}"
        );
        assert!(blocks.next().is_none());
    }

    /// What `csv` reads from the whole input at once: each good row's
    /// non-empty cells and the number of rows, good and bad.
    fn serial(data: &[u8]) -> Option<(Cells, u64, u64)> {
        let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(data);
        reader.byte_headers().ok()?;
        let (mut cells, mut rows, mut bad) = (Vec::new(), 0, 0);
        let mut record = csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {
                    rows += 1;
                    let row: Option<Vec<&str>> =
                        record.iter().map(|f| std::str::from_utf8(f).ok()).collect();
                    match row {
                        Some(fields) => cells.extend(
                            (fields.iter().enumerate())
                                .filter(|(_, f)| !f.is_empty())
                                .map(|(c, f)| (rows, c, f.to_string())),
                        ),
                        None => bad += 1,
                    }
                }
                Err(_) => {
                    rows += 1;
                    bad += 1;
                }
            }
        }
        Some((cells, rows, bad))
    }

    proptest::proptest! {
        #[test]
        fn blocks_of_any_size_parse_as_csv_reads_the_whole_input(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "bc", ",", "\"", "\"\"", "\n", "\r", "\r\n", "é", "\u{feff}", "\u{fffd}",
                ]),
                0..40,
            ),
            invalid in proptest::option::of(0usize..40),
            size in 1usize..12,
        ) {
            let mut data: Vec<u8> = parts.concat().into_bytes();
            if let Some(at) = invalid {
                let at = at.min(data.len());
                data.insert(at, 0xff);
            }
            let whole = parse_all(&data, None, 1 << 20).map_err(|e| e.to_string());
            let small = parse_all(&data, None, size).map_err(|e| e.to_string());
            proptest::prop_assert_eq!(&whole, &small);
            if let (Ok(parsed), Some((cells, rows, bad))) = (whole, serial(&data)) {
                proptest::prop_assert_eq!(parsed.cells, cells);
                proptest::prop_assert_eq!(parsed.rows, rows);
                proptest::prop_assert_eq!(parsed.bad.len() as u64, bad);
            }
        }
    }
}
