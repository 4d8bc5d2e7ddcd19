//! Arrow record batches from CSV or Parquet for column-oriented engines
//! (DP aggregation). Only the named columns are read. CSV cells arrive as
//! UTF-8 strings (the engine parses numbers and reports the row); Parquet
//! columns keep their types.

use crate::{Error, Result};
use arrow_array::builder::StringBuilder;
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Rows per batch unless the caller asks otherwise.
pub const DEFAULT_BATCH_ROWS: usize = 65_536;

/// A stream of record batches holding the requested columns, in that order.
pub type Batches = Box<dyn Iterator<Item = Result<RecordBatch>>>;

/// Opens `path` (CSV with a header row, or Parquet when `parquet` is true)
/// and yields batches of at most `batch_rows` rows with exactly `columns`.
pub fn open_batches(
    path: &Path,
    columns: &[String],
    parquet: bool,
    batch_rows: usize,
) -> Result<Batches> {
    if parquet {
        open_parquet(path, columns, batch_rows)
    } else {
        open_csv(path, columns, batch_rows)
    }
}

/// The column names of a Parquet file, in file order.
pub fn parquet_columns(path: &Path) -> Result<Vec<String>> {
    let builder = super::table::parquet_builder(path)?;
    Ok(builder
        .schema()
        .fields()
        .iter()
        .map(|f| f.name().clone())
        .collect())
}

/// The Arrow schema of a Parquet file (column names and types).
pub fn parquet_schema(path: &Path) -> Result<arrow_schema::SchemaRef> {
    Ok(super::table::parquet_builder(path)?.schema().clone())
}

/// The compression codec of a Parquet file's data (that of its first
/// column chunk; uncompressed for a file with no row group), for writing a
/// file derived from it the same way: a zstd export stays zstd.
pub fn parquet_compression(path: &Path) -> Result<parquet::basic::Compression> {
    let builder = super::table::parquet_builder(path)?;
    let meta = builder.metadata();
    Ok(meta
        .row_groups()
        .first()
        .and_then(|g| g.columns().first())
        .map_or(parquet::basic::Compression::UNCOMPRESSED, |c| {
            c.compression()
        }))
}

fn missing(path: &Path, column: &str, all: &[String]) -> Error {
    Error::MissingColumn {
        path: path.to_path_buf(),
        column: column.to_string(),
        available: all.join(", "),
    }
}

fn open_parquet(path: &Path, columns: &[String], batch_rows: usize) -> Result<Batches> {
    use parquet::arrow::ProjectionMask;
    let builder = super::table::parquet_builder(path)?;
    let schema = builder.schema().clone();
    let all: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut roots = Vec::new();
    for c in columns {
        let i = all
            .iter()
            .position(|a| a == c)
            .ok_or_else(|| missing(path, c, &all))?;
        if !roots.contains(&i) {
            roots.push(i);
        }
    }
    let mask = ProjectionMask::roots(builder.parquet_schema(), roots);
    // Read under a guard: the parquet crate panics on some malformed data.
    Ok(Box::new(super::table::GuardedBatches::build(
        path,
        builder
            .with_projection(mask)
            .with_batch_size(batch_rows.max(1)),
    )?))
}

struct CsvBatches {
    reader: csv::Reader<Box<dyn std::io::Read + Send>>,
    path: PathBuf,
    indices: Vec<usize>,
    schema: Arc<Schema>,
    batch_rows: usize,
    record: csv::StringRecord,
    done: bool,
}

impl Iterator for CsvBatches {
    type Item = Result<RecordBatch>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut builders: Vec<StringBuilder> =
            self.indices.iter().map(|_| StringBuilder::new()).collect();
        let mut rows = 0;
        while rows < self.batch_rows {
            match self.reader.read_record(&mut self.record) {
                Ok(true) => {
                    for (b, &i) in builders.iter_mut().zip(&self.indices) {
                        b.append_value(self.record.get(i).unwrap_or(""));
                    }
                    rows += 1;
                }
                Ok(false) => {
                    self.done = true;
                    break;
                }
                Err(e) => {
                    self.done = true;
                    let line = e.position().map(|p| p.line()).unwrap_or(0);
                    let message = match e.kind() {
                        csv::ErrorKind::UnequalLengths {
                            expected_len, len, ..
                        } => {
                            format!("expected {expected_len} fields, found {len}")
                        }
                        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
                        _ => "malformed CSV record".to_string(),
                    };
                    return Some(Err(Error::BadRecord {
                        path: self.path.clone(),
                        line,
                        message,
                    }));
                }
            }
        }
        if rows == 0 {
            return None;
        }
        let arrays: Vec<ArrayRef> = builders
            .iter_mut()
            .map(|b| Arc::new(b.finish()) as ArrayRef)
            .collect();
        Some(
            RecordBatch::try_new(self.schema.clone(), arrays).map_err(|e| Error::BadRecord {
                path: self.path.clone(),
                line: 0,
                message: e.to_string(),
            }),
        )
    }
}

fn open_csv(path: &Path, columns: &[String], batch_rows: usize) -> Result<Batches> {
    let file = super::compressed::open(path)?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(file);
    let header = reader.headers().map_err(|e| Error::BadRecord {
        path: path.to_path_buf(),
        line: 1,
        message: format!("unreadable header: {}", e.kind_name()),
    })?;
    let all: Vec<String> = header.iter().map(str::to_string).collect();
    let mut indices = Vec::new();
    let mut fields = Vec::new();
    for c in columns {
        let i = all
            .iter()
            .position(|a| a == c)
            .ok_or_else(|| missing(path, c, &all))?;
        if !indices.contains(&i) {
            indices.push(i);
            fields.push(Field::new(c, DataType::Utf8, false));
        }
    }
    Ok(Box::new(CsvBatches {
        reader,
        path: path.to_path_buf(),
        indices,
        schema: Arc::new(Schema::new(fields)),
        batch_rows: batch_rows.max(1),
        record: csv::StringRecord::new(),
        done: false,
    }))
}

trait KindName {
    fn kind_name(&self) -> &'static str;
}

impl KindName for csv::Error {
    fn kind_name(&self) -> &'static str {
        match self.kind() {
            csv::ErrorKind::Utf8 { .. } => "invalid UTF-8",
            csv::ErrorKind::Io(_) => "I/O error",
            _ => "malformed CSV",
        }
    }
}

/// SHA-256 of a file's bytes, lower-case hex (streamed, bounded memory).
pub fn sha256_file(path: &Path) -> Result<String> {
    use sha2::{Digest, Sha256};
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    })?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = f.read(&mut buf).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        if n == 0 {
            break;
        }
        h.update(&buf[..n]);
    }
    Ok(h.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::cast::AsArray;

    #[test]
    fn csv_batches_hold_the_named_columns_and_report_bad_rows() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("t.csv");
        std::fs::write(&p, "a,b,c\n1,x,2\n3,y,4\n5,z\n").unwrap();
        let mut it = open_batches(&p, &["c".into(), "a".into()], false, 1).unwrap();
        let b = it.next().unwrap().unwrap();
        assert_eq!(b.schema().field(0).name(), "c");
        assert_eq!(b.column(1).as_string::<i32>().value(0), "1");
        assert!(it.next().unwrap().is_ok());
        let err = it.next().unwrap().unwrap_err();
        assert!(err.to_string().contains(":4:"), "{err}");
        let err = open_batches(&p, &["nope".into()], false, 10).err().unwrap();
        assert!(err.to_string().contains("no column named `nope`"));
        assert_eq!(sha256_file(&p).unwrap().len(), 64,);
    }
}
