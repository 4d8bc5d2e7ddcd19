//! Parquet tables read in chunks of rows, yielding the string cells of the
//! selected columns (CSV tables: [`crate::io::csv_blocks`]).

use crate::io::csv_blocks::select;
use crate::{Error, Result};
use arrow_array::{Array, RecordBatch};
use arrow_schema::DataType;
use std::path::{Path, PathBuf};

/// One string cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Cell {
    /// 1-based data row (the header is not counted).
    pub row: u64,
    /// Index into [`TableSource::columns`].
    pub column: usize,
    /// The cell's text.
    pub text: String,
}

/// A chunk of rows: their non-empty string cells, and the rows that failed
/// to parse.
#[derive(Debug, Default)]
pub struct TableChunk {
    /// Cells of the selected columns, row-major.
    pub cells: Vec<Cell>,
    /// Rows read in this chunk, good and bad.
    pub rows: u64,
    /// Rows that could not be parsed.
    pub errors: Vec<Error>,
}

/// A table read chunk by chunk.
pub trait TableSource {
    /// Names of the selected columns (what [`Cell::column`] indexes).
    fn columns(&self) -> &[String];
    /// The next chunk of at most `max_rows` rows; `None` at the end.
    fn next_chunk(&mut self, max_rows: usize) -> Result<Option<TableChunk>>;
}

/// Parquet, read one record batch at a time through arrow. String columns
/// (UTF-8, large UTF-8, views and dictionaries of them) are selected by
/// default; other columns are cast to strings only when named explicitly.
pub struct ParquetSource {
    reader: GuardedBatches,
    path: PathBuf,
    columns: Vec<String>,
    indices: Vec<usize>,
    row: u64,
    pending: Option<ParquetRows>,
}

fn is_stringish(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_stringish(v),
        _ => false,
    }
}

/// A Parquet error on `path` as Veil's error type.
pub(crate) fn parquet_error(path: &Path, e: parquet::errors::ParquetError) -> Error {
    Error::Parquet {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Opens `path` and reads its Parquet footer, ready for projection and batching.
pub(crate) fn parquet_builder(
    path: &Path,
) -> Result<parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder<ParquetFile>> {
    let file = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let builder = guarded(path, || {
        parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(ParquetFile(file))
            .map_err(|e| parquet_error(path, e))
    })?;
    check_column_chunks(path, builder.metadata())?;
    Ok(builder)
}

/// Runs one step of the parquet crate's decoding with its panics turned
/// into a [`Error::Parquet`] naming `path`. The crate asserts on some
/// malformed data instead of returning an error (found by the
/// `parquet_table` fuzz target: definition levels running past their
/// buffer in arrow-buffer's `BitChunks::new`); a crafted file must be
/// reported, not abort the program. The panic's own message (bounds, no
/// cell values) goes into the error, and the panic hook in force stays
/// silent for it (see [`quiet_inside_guard`]).
pub(crate) fn guarded<T>(path: &Path, step: impl FnOnce() -> Result<T>) -> Result<T> {
    quiet_inside_guard();
    let outer = IN_GUARD.with(|g| g.replace(true));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(step));
    IN_GUARD.with(|g| g.set(outer));
    result.unwrap_or_else(|payload| {
        let what = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".to_string());
        Err(Error::Parquet {
            path: path.to_path_buf(),
            message: format!("malformed data the Parquet decoder cannot read ({what})"),
        })
    })
}

thread_local! {
    /// Whether this thread is inside [`guarded`].
    static IN_GUARD: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Wraps the panic hook in force (once per process) so that it is not
/// called for a panic inside [`guarded`] on the same thread: that panic is
/// an error the caller reports, not a crash to print with a backtrace.
/// Every other panic reaches the wrapped hook as before.
fn quiet_inside_guard() {
    static WRAPPED: std::sync::Once = std::sync::Once::new();
    WRAPPED.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_GUARD.with(|g| g.get()) {
                previous(info);
            }
        }));
    });
}

/// Record batches from the parquet crate's reader, each read under
/// [`guarded`]. After a failure the reader is dropped and nothing more is
/// read: its state after a panic is not trusted.
pub(crate) struct GuardedBatches {
    reader: Option<parquet::arrow::arrow_reader::ParquetRecordBatchReader>,
    path: PathBuf,
}

impl GuardedBatches {
    /// Build the reader from `builder` (under [`guarded`] too).
    pub(crate) fn build(
        path: &Path,
        builder: parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder<ParquetFile>,
    ) -> Result<GuardedBatches> {
        let reader = guarded(path, || builder.build().map_err(|e| parquet_error(path, e)))?;
        Ok(GuardedBatches {
            reader: Some(reader),
            path: path.to_path_buf(),
        })
    }
}

impl Iterator for GuardedBatches {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Result<RecordBatch>> {
        let reader = self.reader.as_mut()?;
        let path = &self.path;
        let next = guarded(path, || {
            reader
                .next()
                .map(|b| {
                    b.map_err(|e| Error::Parquet {
                        path: path.to_path_buf(),
                        message: e.to_string(),
                    })
                })
                .transpose()
        });
        match next {
            Ok(b) => b.map(Ok),
            Err(e) => {
                self.reader = None;
                Some(Err(e))
            }
        }
    }
}

/// A Parquet file as the parquet crate reads it: `File`'s own chunk
/// reading, except that a reader asked to read again after it has reported
/// the end of the file fails ([`Latched`]). The crate's Thrift decoder
/// skips declared bytes with `io::copy`, which takes the end of the file
/// for an answer: a header declaring a list of 10^8 doubles past the end
/// made 10^8 `read` calls (79 s on a 1,266-byte file the `parquet_table`
/// fuzz target found; 24 s even without the system calls). A valid file
/// is never read to its end by the decoder (the footer follows the data).
pub(crate) struct ParquetFile(std::fs::File);

impl parquet::file::reader::Length for ParquetFile {
    fn len(&self) -> u64 {
        parquet::file::reader::Length::len(&self.0)
    }
}

impl parquet::file::reader::ChunkReader for ParquetFile {
    type T = Latched<std::io::BufReader<std::fs::File>>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        Ok(Latched {
            inner: parquet::file::reader::ChunkReader::get_read(&self.0, start)?,
            at_end: false,
        })
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<bytes::Bytes> {
        parquet::file::reader::ChunkReader::get_bytes(&self.0, start, length)
    }
}

/// A reader that, once it has reported the end of its input, fails on the
/// next read instead of reading again (an `UnexpectedEof` error): a reader
/// that keeps asking past the end is decoding a malformed file.
pub(crate) struct Latched<R> {
    inner: R,
    at_end: bool,
}

impl<R: std::io::Read> std::io::Read for Latched<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.at_end {
            return Err(std::io::Error::new(
                std::io::ErrorKind::UnexpectedEof,
                "read past the end of the file",
            ));
        }
        if buf.is_empty() {
            return Ok(0);
        }
        let n = self.inner.read(buf)?;
        self.at_end = n == 0;
        Ok(n)
    }
}

/// Rejects a footer whose column chunks start at a negative offset or have
/// a negative compressed size: the parquet crate panics on such a chunk
/// when it reads it (`ColumnChunkMetaData::byte_range`), so a crafted file
/// would otherwise abort the program instead of being reported. Found by
/// the `parquet_table` fuzz target.
fn check_column_chunks(path: &Path, meta: &parquet::file::metadata::ParquetMetaData) -> Result<()> {
    for (r, group) in meta.row_groups().iter().enumerate() {
        for (c, chunk) in group.columns().iter().enumerate() {
            let start = chunk
                .dictionary_page_offset()
                .unwrap_or_else(|| chunk.data_page_offset());
            if start < 0 || chunk.compressed_size() < 0 {
                return Err(Error::Parquet {
                    path: path.to_path_buf(),
                    message: format!(
                        "malformed footer: row group {r}, column {c}: negative offset ({start}) or size ({})",
                        chunk.compressed_size()
                    ),
                });
            }
        }
    }
    Ok(())
}

impl ParquetSource {
    /// Open `path`; `columns` restricts (or, for non-string columns, extends)
    /// the scan to the named columns.
    pub fn open(
        path: &Path,
        columns: Option<&[String]>,
        batch_size: usize,
    ) -> Result<ParquetSource> {
        let builder = parquet_builder(path)?;
        let schema = builder.schema().clone();
        let all: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
        let indices = match columns {
            Some(_) => select(path, &all, columns)?,
            None => (0..all.len())
                .filter(|&i| is_stringish(schema.field(i).data_type()))
                .collect(),
        };
        let reader = GuardedBatches::build(path, builder.with_batch_size(batch_size.max(1)))?;
        Ok(ParquetSource {
            reader,
            path: path.to_path_buf(),
            columns: indices.iter().map(|&i| all[i].clone()).collect(),
            indices,
            row: 0,
            pending: None,
        })
    }
}

impl TableSource for ParquetSource {
    fn columns(&self) -> &[String] {
        &self.columns
    }

    fn next_chunk(&mut self, max_rows: usize) -> Result<Option<TableChunk>> {
        let batch = match self.pending.take() {
            Some(b) => b,
            None => match self.next_rows() {
                Ok(Some(rows)) => rows,
                Ok(None) => return Ok(None),
                Err(e) => return Err(e),
            },
        };
        let rows = if batch.rows() > max_rows.max(1) {
            let n = max_rows.max(1);
            self.pending = Some(batch.slice(n));
            batch.head(n)
        } else {
            batch
        };
        let mut chunk = TableChunk {
            rows: rows.rows() as u64,
            ..TableChunk::default()
        };
        let first = self.row;
        rows.cells(|row, column, text| {
            chunk.cells.push(Cell {
                row: first + row,
                column,
                text: text.to_string(),
            })
        })?;
        self.row += chunk.rows;
        Ok(Some(chunk))
    }
}

impl ParquetSource {
    /// The next record batch of the selected columns, as read (its cells
    /// are taken out by [`ParquetRows::cells`]); `None` at the end.
    pub fn next_rows(&mut self) -> Result<Option<ParquetRows>> {
        match self.reader.next() {
            None => Ok(None),
            Some(Err(e)) => Err(e),
            Some(Ok(batch)) => {
                let batch = batch.project(&self.indices).map_err(|e| Error::Parquet {
                    path: self.path.clone(),
                    message: e.to_string(),
                })?;
                Ok(Some(ParquetRows {
                    batch,
                    path: self.path.clone(),
                }))
            }
        }
    }
}

/// A record batch of a Parquet table's selected columns, in the order of
/// [`TableSource::columns`]: decoded, its cells not yet taken out (which an
/// analysis worker does, in a scan).
#[derive(Debug, Clone)]
pub struct ParquetRows {
    batch: RecordBatch,
    path: PathBuf,
}

impl ParquetRows {
    /// How many rows it holds.
    pub fn rows(&self) -> usize {
        self.batch.num_rows()
    }

    /// Its rows from `from` on.
    fn slice(&self, from: usize) -> ParquetRows {
        let from = from.min(self.rows());
        ParquetRows {
            batch: self.batch.slice(from, self.rows() - from),
            path: self.path.clone(),
        }
    }

    /// Its first `n` rows.
    fn head(&self, n: usize) -> ParquetRows {
        ParquetRows {
            batch: self.batch.slice(0, n.min(self.rows())),
            path: self.path.clone(),
        }
    }

    /// Each non-empty cell, row by row (`row` 1-based within the batch,
    /// `column` an index into the selected columns), each column cast to
    /// UTF-8 first.
    pub fn cells(&self, mut each: impl FnMut(u64, usize, &str)) -> Result<()> {
        let mut cols = Vec::with_capacity(self.batch.num_columns());
        for (c, column) in self.batch.columns().iter().enumerate() {
            let arr = arrow_cast::cast(column, &DataType::Utf8).map_err(|e| Error::Parquet {
                path: self.path.clone(),
                message: format!("column {c}: {e}"),
            })?;
            cols.push(arr);
        }
        let strings: Vec<Option<&arrow_array::StringArray>> = cols
            .iter()
            .map(|a| a.as_any().downcast_ref::<arrow_array::StringArray>())
            .collect();
        for r in 0..self.rows() {
            for (c, s) in strings.iter().enumerate() {
                let Some(s) = s else { continue };
                if s.is_null(r) || s.value(r).is_empty() {
                    continue;
                }
                each(r as u64 + 1, c, s.value(r));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The path of `name` under this crate's testdata/.
    fn testdata(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata")
            .join(name)
    }

    /// Every chunk of `name` (under testdata/) read to the first error.
    fn parquet_error_of(name: &str) -> String {
        let path = testdata(name);
        let err = match ParquetSource::open(&path, None, 8192) {
            Ok(mut src) => loop {
                match src.next_chunk(4096) {
                    Ok(Some(_)) => {}
                    Ok(None) => panic!("a malformed file read to its end"),
                    Err(e) => break e,
                }
            },
            Err(e) => e,
        };
        let message = err.to_string();
        assert!(message.contains(name), "{message}");
        message
    }

    #[test]
    fn a_latched_reader_fails_instead_of_reading_past_the_end() {
        struct Counting<'a>(&'a [u8], usize);
        impl std::io::Read for Counting<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                self.1 += 1;
                self.0.read(buf)
            }
        }
        let mut r = Latched {
            inner: Counting(b"abc", 0),
            at_end: false,
        };
        let mut buf = [0u8; 2];
        assert_eq!(std::io::Read::read(&mut r, &mut buf).unwrap(), 2);
        assert_eq!(std::io::Read::read(&mut r, &mut buf).unwrap(), 1);
        assert_eq!(std::io::Read::read(&mut r, &mut buf).unwrap(), 0);
        for _ in 0..10 {
            let e = std::io::Read::read(&mut r, &mut buf).unwrap_err();
            assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
        }
        assert_eq!(r.inner.1, 3, "reads after the end reached the inner reader");
    }

    #[test]
    fn a_header_declaring_a_huge_list_past_the_end_is_an_error() {
        // The fuzz target's timeout: a list of ~10^8 doubles declared in a
        // 1,266-byte file, skipped by reads at the end of the file (79 s
        // of `read` calls before the latch).
        let message = parquet_error_of("huge_declared_list.parquet");
        assert!(
            message.contains("read past the end of the file"),
            "{message}"
        );
    }

    #[test]
    fn malformed_parquet_page_data_is_an_error_not_a_panic() {
        // Another fuzz find: page data whose definition levels run past
        // their buffer; arrow-buffer asserts ("offset + len out of bounds").
        let message = parquet_error_of("bad_definition_levels.parquet");
        assert!(
            message.contains("malformed data the Parquet decoder cannot read"),
            "{message}"
        );
        // The batch interface (veil dp) reads through the same guard, and
        // nothing is read after the failure.
        let path = testdata("bad_definition_levels.parquet");
        let cols = crate::io::batches::parquet_columns(&path).unwrap();
        let batches = crate::io::batches::open_batches(&path, &cols, true, 8192).unwrap();
        let results: Vec<_> = batches.collect();
        assert!(results.last().is_some_and(|r| r.is_err()), "{results:?}");
    }

    #[test]
    fn a_parquet_footer_with_a_negative_chunk_offset_is_an_error_not_a_panic() {
        // A file the parquet_table fuzz target derived from a pyarrow one:
        // its footer gives a column chunk a negative offset or size, on
        // which the parquet crate panics when the chunk is read.
        let message = parquet_error_of("negative_chunk_offset.parquet");
        assert!(message.contains("malformed footer"), "{message}");
    }

    #[test]
    fn parquet_rows_give_the_cells_of_the_chunks_row_by_row() {
        use arrow_array::{ArrayRef, Int64Array, StringArray};
        use std::sync::Arc;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.parquet");
        let n: ArrayRef = Arc::new(Int64Array::from(vec![1, 2, 3, 4, 5]));
        let s: ArrayRef = Arc::new(StringArray::from(vec![
            Some("a@x.org"),
            None,
            Some(""),
            Some("d"),
            Some("e"),
        ]));
        let batch = RecordBatch::try_from_iter([("n", n), ("s", s)]).unwrap();
        let file = std::fs::File::create(&path).unwrap();
        let mut w = parquet::arrow::ArrowWriter::try_new(file, batch.schema(), None).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
        let columns = ["s".to_string(), "n".to_string()];
        // Batches of two rows, cells row by row, rows counted per batch.
        let mut src = ParquetSource::open(&path, Some(&columns), 2).unwrap();
        let mut from_rows = Vec::new();
        let mut before = 0;
        while let Some(rows) = src.next_rows().unwrap() {
            rows.cells(|row, column, text| {
                from_rows.push((before + row, column, text.to_string()))
            })
            .unwrap();
            before += rows.rows() as u64;
        }
        let want: Vec<(u64, usize, String)> = [
            (1, 0, "a@x.org"),
            (1, 1, "1"),
            (2, 1, "2"),
            (3, 1, "3"),
            (4, 0, "d"),
            (4, 1, "4"),
            (5, 0, "e"),
            (5, 1, "5"),
        ]
        .iter()
        .map(|&(r, c, t)| (r, c, t.to_string()))
        .collect();
        assert_eq!(from_rows, want);
        // The same cells in chunks of one row.
        let mut src = ParquetSource::open(&path, Some(&columns), 2).unwrap();
        let mut from_chunks = Vec::new();
        while let Some(chunk) = src.next_chunk(1).unwrap() {
            assert_eq!(chunk.rows, 1);
            from_chunks.extend(chunk.cells.into_iter().map(|c| (c.row, c.column, c.text)));
        }
        assert_eq!(from_chunks, want);
    }
}
