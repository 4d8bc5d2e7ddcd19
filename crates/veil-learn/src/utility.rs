//! The utility check behind `veil audit utility`: train the same
//! non-private logistic/softmax regression on two versions of a table (the
//! original and its anonymised release) and compare held-out accuracy.
//! Feature encodings are derived from each table itself (numbers scaled by
//! their observed range, other columns one-hot over their observed values):
//! this is a non-private diagnostic, not a release.

use crate::dpsgd::{TrainSettings, train};
use crate::encode::Encoder;
use crate::error::{LearnError, Result};
use crate::metrics::evaluate;
use crate::optim::OptimizerKind;
use crate::schema::{FeatureSpec, LabelSpec, Schema, Transform, Unknown};
use ndarray::Axis;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use veil_core::io::columns::{ColumnTable, CsvLayout, column_names, read_columns};
use veil_dp::PrivacyRng;

/// Held-out accuracy of one table.
#[derive(Clone, Debug, Serialize)]
pub struct TableUtility {
    /// The file.
    pub path: PathBuf,
    /// Rows read.
    pub rows: usize,
    /// Model inputs after encoding.
    pub inputs: usize,
    /// Accuracy on the held-out 20%.
    pub accuracy: f64,
    /// Accuracy of always predicting the most frequent class on the same rows.
    pub majority_accuracy: f64,
}

/// Both tables and the difference.
#[derive(Clone, Debug, Serialize)]
pub struct UtilityReport {
    /// The label column.
    pub label: String,
    /// The original table.
    pub original: TableUtility,
    /// The anonymised table.
    pub anonymised: TableUtility,
    /// anonymised − original accuracy.
    pub accuracy_difference: f64,
}

/// A schema for `table` with every column but `label` as a feature.
fn inferred_schema(table: &ColumnTable, label: &str) -> Result<Schema> {
    let labels = table
        .column(label)
        .ok_or_else(|| LearnError::MissingColumn {
            path: table.path.clone(),
            column: label.to_string(),
            available: table.names.join(", "),
        })?;
    let mut classes: Vec<String> = labels.to_vec();
    classes.sort();
    classes.dedup();
    if classes.len() < 2 {
        return Err(LearnError::Unusable {
            path: table.path.clone(),
            message: format!("label column `{label}` holds fewer than two classes"),
        });
    }
    let mut features = Vec::new();
    for (name, cells) in table.names.iter().zip(&table.cells) {
        if name == label {
            continue;
        }
        let nums: Option<Vec<f64>> = cells
            .iter()
            .map(|c| c.parse::<f64>().ok().filter(|x| x.is_finite()))
            .collect();
        match nums {
            Some(x) if !x.is_empty() => {
                let (lo, hi) = x
                    .iter()
                    .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                        (a.min(v), b.max(v))
                    });
                if hi > lo {
                    features.push(FeatureSpec::Numeric {
                        column: name.clone(),
                        min: lo,
                        max: hi,
                        transform: Transform::None,
                    });
                }
            }
            _ => {
                let mut cats: Vec<String> = cells.to_vec();
                cats.sort();
                cats.dedup();
                features.push(FeatureSpec::Categorical {
                    column: name.clone(),
                    categories: cats,
                    missing: Vec::new(),
                    unknown: Unknown::Other,
                });
            }
        }
    }
    Ok(Schema {
        source: CsvLayout::default(),
        label: LabelSpec {
            column: label.to_string(),
            classes,
            aliases: BTreeMap::new(),
        },
        features,
    })
}

fn table_utility(
    path: &Path,
    layout: &CsvLayout,
    drop: &[String],
    label: &str,
    rng: &mut PrivacyRng,
) -> Result<TableUtility> {
    let names: Vec<String> = column_names(path, layout)?
        .into_iter()
        .filter(|n| !drop.contains(n))
        .collect();
    let table = read_columns(path, layout, &names, &[])?;
    let schema = inferred_schema(&table, label)?;
    let enc = Encoder::new(&schema);
    let data = enc.encode(&table, true)?;
    let y = data.y.unwrap_or_default();
    let (test, train_idx): (Vec<usize>, Vec<usize>) = (0..y.len()).partition(|i| i % 5 == 0);
    let xt = data.x.select(Axis(0), &train_idx);
    let yt: Vec<usize> = train_idx.iter().map(|&i| y[i]).collect();
    let settings = TrainSettings {
        hidden: vec![],
        epochs: 10,
        batch_size: 256.min(yt.len().max(1)),
        optimizer: OptimizerKind::Adam,
        learning_rate: 0.01,
        momentum: 0.0,
        privacy: None,
    };
    let trained = train(&xt, &yt, schema.label.classes.len(), &settings, rng)?;
    let xe = data.x.select(Axis(0), &test);
    let ye: Vec<usize> = test.iter().map(|&i| y[i]).collect();
    let m = evaluate(&trained.network.predict_proba(xe.view()), &ye);
    let mut counts = vec![0usize; schema.label.classes.len()];
    for &c in &yt {
        counts[c] += 1;
    }
    let majority = (0..counts.len()).max_by_key(|&c| counts[c]).unwrap_or(0);
    Ok(TableUtility {
        path: path.to_path_buf(),
        rows: y.len(),
        inputs: enc.dim(),
        accuracy: m.accuracy,
        majority_accuracy: ye.iter().filter(|&&c| c == majority).count() as f64
            / ye.len().max(1) as f64,
    })
}

/// Compares the accuracy of the same model trained on `original` (laid out
/// as `layout`) and on `anonymised` (CSV with a header), ignoring `drop`.
pub fn compare(
    original: &Path,
    layout: &CsvLayout,
    anonymised: &Path,
    drop: &[String],
    label: &str,
    rng: &mut PrivacyRng,
) -> Result<UtilityReport> {
    let o = table_utility(original, layout, drop, label, rng)?;
    let a = table_utility(anonymised, &CsvLayout::default(), drop, label, rng)?;
    Ok(UtilityReport {
        label: label.to_string(),
        accuracy_difference: a.accuracy - o.accuracy,
        original: o,
        anonymised: a,
    })
}
