//! Turning Arrow columns into what the aggregation needs: interned ids for
//! privacy units and partitions, and f64 values, with errors that name the
//! row and column (never the value).

use crate::error::{DpError, Result};
use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int64Type};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_schema::DataType;
use rustc_hash::FxHashMap;

/// Interns string keys to dense u32 ids.
#[derive(Default)]
pub struct Interner {
    strs: FxHashMap<Box<str>, u32>,
    names: Vec<String>,
}

impl Interner {
    fn id_str(&mut self, v: &str) -> u32 {
        if let Some(&id) = self.strs.get(v) {
            return id;
        }
        let id = self.names.len() as u32;
        self.strs.insert(v.into(), id);
        self.names.push(v.to_string());
        id
    }

    /// Looks a string key up without inserting it.
    pub fn get(&self, v: &str) -> Option<u32> {
        self.strs.get(v).copied()
    }

    /// Inserts a string key.
    pub fn insert(&mut self, v: &str) -> u32 {
        self.id_str(v)
    }

    /// Number of distinct keys.
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// True when no key was seen.
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The key text of an id.
    pub fn name(&self, id: u32) -> &str {
        &self.names[id as usize]
    }
}

/// Separator between the parts of a multi-column partition key.
pub const KEY_SEPARATOR: char = '\u{1f}';

pub(crate) fn column<'a>(batch: &'a RecordBatch, name: &str) -> Result<&'a ArrayRef> {
    batch.column_by_name(name).ok_or_else(|| DpError::Column {
        column: name.to_string(),
        reason: "not found in the input".into(),
    })
}

fn null_error(row: u64, name: &str) -> DpError {
    DpError::BadValue {
        row,
        column: name.to_string(),
        reason: "is null".into(),
    }
}

/// Ids for one key column, interned through its UTF-8 rendering.
pub(crate) fn intern_column(
    arr: &ArrayRef,
    name: &str,
    first_row: u64,
    interner: &mut Interner,
) -> Result<Vec<u32>> {
    let n = arr.len();
    let mut out = Vec::with_capacity(n);
    let a = arrow_cast::cast(arr, &DataType::Utf8)?;
    let a = a.as_string::<i32>();
    for i in 0..n {
        if a.is_null(i) {
            return Err(null_error(first_row + i as u64, name));
        }
        out.push(interner.id_str(a.value(i)));
    }
    Ok(out)
}

/// The column as Int64 when it holds integers (of any width up to 32 bits
/// unsigned, or 64 bits signed), else None.
pub(crate) fn as_int64(arr: &ArrayRef) -> Option<ArrayRef> {
    match arr.data_type() {
        DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32 => arrow_cast::cast(arr, &DataType::Int64).ok(),
        _ => None,
    }
}

/// The values of an Int64 column; a null is an error naming its row.
pub(crate) fn non_null_ints(arr: &ArrayRef, name: &str, first_row: u64) -> Result<Vec<i64>> {
    let a = arr.as_primitive::<Int64Type>();
    if let Some(i) = (0..a.len()).find(|&i| a.is_null(i)) {
        return Err(null_error(first_row + i as u64, name));
    }
    Ok(a.values().to_vec())
}

/// The rendered text of several key columns per row, joined by [`KEY_SEPARATOR`].
pub(crate) fn string_columns(
    batch: &RecordBatch,
    names: &[String],
    first_row: u64,
) -> Result<Vec<ArrayRef>> {
    names
        .iter()
        .map(|n| {
            let a = arrow_cast::cast(column(batch, n)?, &DataType::Utf8)?;
            if let Some(i) = (0..a.len()).find(|&i| a.is_null(i)) {
                return Err(null_error(first_row + i as u64, n));
            }
            Ok(a)
        })
        .collect()
}

/// A value column as f64. Text is parsed; a cell that is null, not a number
/// or not finite is an error naming its row.
pub(crate) fn values(arr: &ArrayRef, name: &str, first_row: u64) -> Result<Vec<f64>> {
    let n = arr.len();
    let bad = |i: usize, reason: &str| DpError::BadValue {
        row: first_row + i as u64,
        column: name.to_string(),
        reason: reason.to_string(),
    };
    let mut out = Vec::with_capacity(n);
    match arr.data_type() {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let a = arrow_cast::cast(arr, &DataType::Utf8)?;
            let a = a.as_string::<i32>();
            for i in 0..n {
                if a.is_null(i) {
                    return Err(bad(i, "is null"));
                }
                let v: f64 = a
                    .value(i)
                    .trim()
                    .parse()
                    .map_err(|_| bad(i, "is not a number"))?;
                if !v.is_finite() {
                    return Err(bad(i, "is not finite"));
                }
                out.push(v);
            }
        }
        dt if dt.is_numeric() => {
            let a = arrow_cast::cast(arr, &DataType::Float64)?;
            let a = a.as_primitive::<Float64Type>();
            for i in 0..n {
                if a.is_null(i) {
                    return Err(bad(i, "is null"));
                }
                let v = a.value(i);
                if !v.is_finite() {
                    return Err(bad(i, "is not finite"));
                }
                out.push(v);
            }
        }
        other => {
            return Err(DpError::Column {
                column: name.to_string(),
                reason: format!("has type {other}, expected numbers"),
            });
        }
    }
    Ok(out)
}
