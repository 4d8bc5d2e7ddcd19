//! Whole columns, as text, from a CSV or Parquet file: for engines that need
//! every row in memory (model training, k-anonymisation). Each row keeps its
//! position in the file for error messages. CSV files may lack a header
//! (columns named by the caller) and carry comment lines.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Layout of a CSV file (Parquet files carry their own column names).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct CsvLayout {
    /// Whether the first CSV line names the columns.
    #[serde(default = "yes")]
    pub header: bool,
    /// Column names for CSV files without a header line.
    #[serde(default)]
    pub columns: Vec<String>,
    /// Lines starting with this character are skipped (Adult's test file opens with `|…`).
    #[serde(default)]
    pub comment: Option<char>,
}

fn yes() -> bool {
    true
}

impl Default for CsvLayout {
    fn default() -> Self {
        CsvLayout {
            header: true,
            columns: Vec::new(),
            comment: None,
        }
    }
}

/// The cells of the requested columns, column-major, as text.
#[derive(Debug)]
pub struct ColumnTable {
    /// The file read.
    pub path: PathBuf,
    /// Requested column names, in request order.
    pub names: Vec<String>,
    /// `cells[c][r]`: column `c`, row `r` (empty string for a Parquet null).
    pub cells: Vec<Vec<String>>,
    /// Row `r`'s position in the file (1-based CSV line, or 1-based Parquet row).
    pub positions: Vec<u64>,
}

impl ColumnTable {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.positions.len()
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// The cells of column `name`, if it was requested.
    pub fn column(&self, name: &str) -> Option<&[String]> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| self.cells[i].as_slice())
    }
}

/// Whether `path` is read as Parquet (by extension `.parquet`/`.pq`).
pub fn is_parquet(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()).map(|e| e.to_ascii_lowercase()),
        Some(ref e) if e == "parquet" || e == "pq"
    )
}

/// Reads `wanted` columns (all must exist) from `path`. Columns in
/// `optional` are read when present and skipped otherwise.
pub fn read_columns(
    path: &Path,
    layout: &CsvLayout,
    wanted: &[String],
    optional: &[String],
) -> Result<ColumnTable> {
    let mut all: Option<ColumnTable> = None;
    for_each_chunk(path, layout, wanted, optional, 65_536, |chunk| {
        match &mut all {
            None => all = Some(chunk),
            Some(t) => {
                for (out, c) in t.cells.iter_mut().zip(chunk.cells) {
                    out.extend(c);
                }
                t.positions.extend(chunk.positions);
            }
        }
        Ok(())
    })
    .map(|names| {
        all.unwrap_or_else(|| ColumnTable {
            path: path.to_path_buf(),
            cells: vec![Vec::new(); names.len()],
            names,
            positions: Vec::new(),
        })
    })
}

/// Streams the requested columns in chunks of at most `chunk_rows` rows, in
/// file order, calling `f` on each (memory stays bounded by one chunk);
/// returns the resolved column names. Every chunk is non-empty; an empty
/// table calls `f` never. Errors are the same as [`read_columns`]'s, or
/// `f`'s own.
pub fn for_each_chunk<E: From<Error>>(
    path: &Path,
    layout: &CsvLayout,
    wanted: &[String],
    optional: &[String],
    chunk_rows: usize,
    f: impl FnMut(ColumnTable) -> std::result::Result<(), E>,
) -> std::result::Result<Vec<String>, E> {
    let chunk_rows = chunk_rows.max(1);
    if is_parquet(path) {
        parquet_chunks(path, wanted, optional, chunk_rows, f)
    } else {
        csv_chunks(path, layout, wanted, optional, chunk_rows, f)
    }
}

fn empty_chunk(path: &Path, names: &[String]) -> ColumnTable {
    ColumnTable {
        path: path.to_path_buf(),
        names: names.to_vec(),
        cells: vec![Vec::new(); names.len()],
        positions: Vec::new(),
    }
}

fn csv_chunks<E: From<Error>>(
    path: &Path,
    layout: &CsvLayout,
    wanted: &[String],
    optional: &[String],
    chunk_rows: usize,
    mut f: impl FnMut(ColumnTable) -> std::result::Result<(), E>,
) -> std::result::Result<Vec<String>, E> {
    let file = super::compressed::open(path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(layout.header)
        .trim(csv::Trim::All)
        .comment(layout.comment.and_then(|c| u8::try_from(c).ok()))
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 20, file));
    let header: Vec<String> = if layout.header {
        rdr.headers()
            .map_err(|e| csv_err(path, &e))?
            .iter()
            .map(str::to_string)
            .collect()
    } else {
        layout.columns.clone()
    };
    let (names, index) = resolve(path, &header, wanted, optional)?;
    let mut chunk = empty_chunk(path, &names);
    let mut record = csv::StringRecord::new();
    loop {
        match rdr.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_err(path, &e).into()),
        }
        let line = record.position().map_or(0, |p| p.line());
        if record.len() == 1 && record.get(0) == Some("") {
            continue; // blank line
        }
        if record.len() != header.len() {
            return Err(Error::BadRecord {
                path: path.to_path_buf(),
                line,
                message: format!("{} fields, expected {}", record.len(), header.len()),
            }
            .into());
        }
        for (out, &i) in chunk.cells.iter_mut().zip(&index) {
            out.push(record.get(i).unwrap_or_default().to_string());
        }
        chunk.positions.push(line);
        if chunk.positions.len() >= chunk_rows {
            f(std::mem::replace(&mut chunk, empty_chunk(path, &names)))?;
        }
    }
    if !chunk.positions.is_empty() {
        f(chunk)?;
    }
    Ok(names)
}

fn csv_err(path: &Path, e: &csv::Error) -> Error {
    let line = e.position().map_or(0, |p| p.line());
    let message = match e.kind() {
        csv::ErrorKind::Utf8 { .. } => "invalid UTF-8".to_string(),
        csv::ErrorKind::Io(io) => io.to_string(),
        _ => "malformed CSV".to_string(),
    };
    Error::BadRecord {
        path: path.to_path_buf(),
        line,
        message,
    }
}

fn resolve(
    path: &Path,
    header: &[String],
    wanted: &[String],
    optional: &[String],
) -> Result<(Vec<String>, Vec<usize>)> {
    let mut names = Vec::new();
    let mut index = Vec::new();
    for w in wanted {
        let i = header
            .iter()
            .position(|h| h == w)
            .ok_or_else(|| Error::MissingColumn {
                path: path.to_path_buf(),
                column: w.clone(),
                available: header.join(", "),
            })?;
        names.push(w.clone());
        index.push(i);
    }
    for o in optional {
        if let Some(i) = header.iter().position(|h| h == o) {
            names.push(o.clone());
            index.push(i);
        }
    }
    Ok((names, index))
}

fn parquet_chunks<E: From<Error>>(
    path: &Path,
    wanted: &[String],
    optional: &[String],
    chunk_rows: usize,
    mut f: impl FnMut(ColumnTable) -> std::result::Result<(), E>,
) -> std::result::Result<Vec<String>, E> {
    use arrow_array::Array;
    use arrow_array::cast::AsArray;
    let all = super::batches::parquet_columns(path)?;
    let (names, _) = resolve(path, &all, wanted, optional)?;
    let batches = super::batches::open_batches(path, &names, true, chunk_rows.min(65_536))?;
    let mut start = 0u64;
    for batch in batches {
        let batch = batch?;
        if batch.num_rows() == 0 {
            continue;
        }
        let mut chunk = empty_chunk(path, &names);
        for (c, out) in chunk.cells.iter_mut().enumerate() {
            let col =
                arrow_cast::cast(batch.column(c), &arrow_schema::DataType::Utf8).map_err(|e| {
                    Error::Parquet {
                        path: path.to_path_buf(),
                        message: format!("column `{}`: cannot read as text: {e}", names[c]),
                    }
                })?;
            let s = col.as_string::<i32>();
            for r in 0..s.len() {
                out.push(if s.is_null(r) {
                    String::new()
                } else {
                    s.value(r).to_string()
                });
            }
        }
        chunk.positions = (0..batch.num_rows() as u64)
            .map(|r| start + r + 1)
            .collect();
        start += batch.num_rows() as u64;
        f(chunk)?;
    }
    Ok(names)
}

/// All column names of `path`: the CSV header (or `layout.columns` for a
/// headerless file), or the Parquet schema's.
pub fn column_names(path: &Path, layout: &CsvLayout) -> Result<Vec<String>> {
    if is_parquet(path) {
        return super::batches::parquet_columns(path);
    }
    if !layout.header {
        return Ok(layout.columns.clone());
    }
    let file = super::compressed::open(path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .comment(layout.comment.and_then(|c| u8::try_from(c).ok()))
        .from_reader(file);
    Ok(rdr
        .headers()
        .map_err(|e| csv_err(path, &e))?
        .iter()
        .map(str::to_string)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compressed_csv_gives_the_columns_of_the_csv_it_holds() {
        use std::io::Write;
        let dir = tempfile::tempdir().unwrap();
        let csv = "# exported\nage,zip,diagnosis\n34,02139,flu\n51,02142,asthma\n";
        let plain = dir.path().join("patients.csv");
        std::fs::write(&plain, csv).unwrap();
        let packed = dir.path().join("patients.csv.zst");
        let mut w = crate::io::compressed::create(&packed).unwrap();
        w.write_all(csv.as_bytes()).unwrap();
        w.commit().unwrap();
        let layout = CsvLayout {
            comment: Some('#'),
            ..CsvLayout::default()
        };
        let wanted = ["age".to_string(), "zip".to_string()];
        let read = |p: &Path| {
            let t = read_columns(p, &layout, &wanted, &[]).unwrap();
            (t.names, t.cells, t.positions)
        };
        let want = read(&plain);
        assert_eq!(want.1, [["34", "51"], ["02139", "02142"]]);
        assert_eq!(read(&packed), want);
        assert_eq!(
            column_names(&packed, &layout).unwrap(),
            ["age", "zip", "diagnosis"]
        );
    }
}
