//! Turns table rows into model inputs according to a [`Schema`]: numbers
//! clamped to public bounds and scaled to [0, 1], categories one-hot over the
//! public list, text as signed hashed n-grams with unit L2 norm. The encoder
//! is a pure function of the schema: nothing is fitted on the data.

use crate::error::{LearnError, Result};
use crate::schema::{FeatureSpec, Schema, Transform, Unknown};
use ndarray::Array2;
use veil_core::io::columns::ColumnTable;

/// Encoded data: one row of inputs per record, and the class index of each
/// record when the label was read.
#[derive(Debug, Clone)]
pub struct Encoded {
    /// Inputs, `rows × dim`.
    pub x: Array2<f64>,
    /// Class indices into the schema's `label.classes`.
    pub y: Option<Vec<usize>>,
    /// Each row's position in its file.
    pub positions: Vec<u64>,
}

/// Maps raw rows to inputs for one schema.
#[derive(Debug, Clone)]
pub struct Encoder {
    schema: Schema,
    offsets: Vec<usize>,
    dim: usize,
}

impl Encoder {
    /// An encoder for `schema` (already validated).
    pub fn new(schema: &Schema) -> Encoder {
        let mut offsets = Vec::with_capacity(schema.features.len());
        let mut dim = 0;
        for f in &schema.features {
            offsets.push(dim);
            dim += width(f);
        }
        Encoder {
            schema: schema.clone(),
            offsets,
            dim,
        }
    }

    /// Number of model inputs.
    pub fn dim(&self) -> usize {
        self.dim
    }

    /// The schema's classes.
    pub fn classes(&self) -> &[String] {
        &self.schema.label.classes
    }

    /// A readable name for each input (`age`, `workclass=Private`, `body#hash17`).
    pub fn feature_names(&self) -> Vec<String> {
        let mut names = Vec::with_capacity(self.dim);
        for f in &self.schema.features {
            match f {
                FeatureSpec::Numeric { column, .. } => names.push(column.clone()),
                FeatureSpec::Categorical {
                    column,
                    categories,
                    unknown,
                    ..
                } => {
                    names.extend(categories.iter().map(|c| format!("{column}={c}")));
                    if *unknown == Unknown::Other {
                        names.push(format!("{column}=<other>"));
                    }
                }
                FeatureSpec::Text {
                    column, buckets, ..
                } => names.extend((0..*buckets).map(|b| format!("{column}#hash{b}"))),
            }
        }
        names
    }

    /// The columns to read: features first, then the label.
    pub fn feature_columns(&self) -> Vec<String> {
        self.schema
            .features
            .iter()
            .map(|f| f.column().to_string())
            .collect()
    }

    /// The label column's name.
    pub fn label_column(&self) -> &str {
        &self.schema.label.column
    }

    /// Encodes every row of `table`. With `need_label`, the label column must
    /// be present and every label must be a known class.
    pub fn encode(&self, table: &ColumnTable, need_label: bool) -> Result<Encoded> {
        let n = table.len();
        let mut x = Array2::<f64>::zeros((n, self.dim));
        for (f, &off) in self.schema.features.iter().zip(&self.offsets) {
            let cells = table
                .column(f.column())
                .ok_or_else(|| LearnError::MissingColumn {
                    path: table.path.clone(),
                    column: f.column().to_string(),
                    available: table.names.join(", "),
                })?;
            for (r, cell) in cells.iter().enumerate() {
                let mut row = x.row_mut(r);
                let out = row
                    .as_slice_mut()
                    .map(|s| &mut s[off..off + width(f)])
                    .ok_or_else(|| LearnError::InvalidParameter {
                        name: "input matrix",
                        reason: "not contiguous".into(),
                    })?;
                encode_cell(f, cell, out).map_err(|message| LearnError::BadCell {
                    path: table.path.clone(),
                    row: table.positions[r],
                    column: f.column().to_string(),
                    message,
                })?;
            }
        }
        let y = match table.column(&self.schema.label.column) {
            Some(labels) => Some(self.encode_labels(table, labels)?),
            None if need_label => {
                return Err(LearnError::MissingColumn {
                    path: table.path.clone(),
                    column: self.schema.label.column.clone(),
                    available: table.names.join(", "),
                });
            }
            None => None,
        };
        Ok(Encoded {
            x,
            y,
            positions: table.positions.clone(),
        })
    }

    fn encode_labels(&self, table: &ColumnTable, labels: &[String]) -> Result<Vec<usize>> {
        let spec = &self.schema.label;
        labels
            .iter()
            .enumerate()
            .map(|(r, v)| {
                let v = spec.aliases.get(v).unwrap_or(v);
                spec.classes
                    .iter()
                    .position(|c| c == v)
                    .ok_or_else(|| LearnError::BadCell {
                        path: table.path.clone(),
                        row: table.positions[r],
                        column: spec.column.clone(),
                        message: format!(
                            "label value is not one of the schema's {} classes (add it to label.classes or label.aliases)",
                            spec.classes.len()
                        ),
                    })
            })
            .collect()
    }
}

/// Inputs one feature takes.
fn width(f: &FeatureSpec) -> usize {
    match f {
        FeatureSpec::Numeric { .. } => 1,
        FeatureSpec::Categorical {
            categories,
            unknown,
            ..
        } => categories.len() + usize::from(*unknown == Unknown::Other),
        FeatureSpec::Text { buckets, .. } => *buckets,
    }
}

/// Encodes one cell into `out` (zeroed, of the feature's width).
fn encode_cell(f: &FeatureSpec, cell: &str, out: &mut [f64]) -> std::result::Result<(), String> {
    match f {
        FeatureSpec::Numeric {
            min,
            max,
            transform,
            ..
        } => {
            out[0] = scale_numeric(cell, *min, *max, *transform)?;
        }
        FeatureSpec::Categorical {
            categories,
            missing,
            unknown,
            ..
        } => {
            if let Some(i) = categories.iter().position(|c| c == cell) {
                out[i] = 1.0;
            } else if missing.iter().any(|m| m == cell) {
                // all-zero block
            } else if *unknown == Unknown::Other {
                out[categories.len()] = 1.0;
            } else {
                return Err(format!(
                    "value is not one of the schema's {} categories (add it to `categories` or `missing`, or set unknown = \"other\")",
                    categories.len()
                ));
            }
        }
        FeatureSpec::Text {
            word_ngrams,
            char_ngrams,
            ..
        } => crate::text::hash_ngrams(cell, *word_ngrams, *char_ngrams, out),
    }
    Ok(())
}

/// Parses, clamps to `[min, max]`, transforms and scales a number to [0, 1].
pub fn scale_numeric(
    cell: &str,
    min: f64,
    max: f64,
    transform: Transform,
) -> std::result::Result<f64, String> {
    if cell.is_empty() {
        return Err("empty value where a number is expected".into());
    }
    let v: f64 = cell.parse().map_err(|_| "not a number".to_string())?;
    if !v.is_finite() {
        return Err("not a finite number (NaN or infinity)".into());
    }
    let v = v.clamp(min, max);
    let t = |x: f64| match transform {
        Transform::None => x,
        Transform::Log1p => x.ln_1p(),
    };
    Ok((t(v) - t(min)) / (t(max) - t(min)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_scaling_clamps_and_rejects_non_finite() {
        assert_eq!(scale_numeric("17", 17.0, 90.0, Transform::None), Ok(0.0));
        assert_eq!(scale_numeric("200", 17.0, 90.0, Transform::None), Ok(1.0));
        assert_eq!(scale_numeric("-5", 17.0, 90.0, Transform::None), Ok(0.0));
        let mid = scale_numeric("99", 0.0, 99999.0, Transform::Log1p).unwrap();
        assert!((mid - 100f64.ln() / 100000f64.ln()).abs() < 1e-12);
        for bad in ["NaN", "inf", "-inf", "abc", ""] {
            assert!(
                scale_numeric(bad, 0.0, 1.0, Transform::None).is_err(),
                "{bad}"
            );
        }
    }
}
