//! The feature schema: how each column becomes model inputs, from public
//! knowledge only (bounds and category lists are inputs, never read off the
//! private data), plus the layout of the data files it describes.

use crate::error::{LearnError, Result, io_err};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
pub use veil_core::io::columns::CsvLayout;

/// A parsed schema file together with its exact text (kept in model artifacts
/// and hashed into the privacy card).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Schema {
    /// How the data files are laid out.
    #[serde(default)]
    pub source: CsvLayout,
    /// The column to predict.
    pub label: LabelSpec,
    /// The input features, in model order.
    #[serde(rename = "feature")]
    pub features: Vec<FeatureSpec>,
}

/// The label column and its classes.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabelSpec {
    /// Column name.
    pub column: String,
    /// The classes in order; with two classes the second is the positive one.
    pub classes: Vec<String>,
    /// Other spellings of a class (`">50K." = ">50K"`).
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
}

/// One input column and its encoding.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum FeatureSpec {
    /// A number clamped to public bounds, optionally log1p-transformed, scaled to [0, 1].
    Numeric {
        /// Column name.
        column: String,
        /// Public lower bound.
        min: f64,
        /// Public upper bound.
        max: f64,
        /// `log1p` compresses heavy tails (capital gains).
        #[serde(default)]
        transform: Transform,
    },
    /// One-hot over a public category list.
    Categorical {
        /// Column name.
        column: String,
        /// The public categories (one input each).
        categories: Vec<String>,
        /// Values meaning "missing": encoded as an all-zero block.
        #[serde(default)]
        missing: Vec<String>,
        /// What a value outside the list does.
        #[serde(default)]
        unknown: Unknown,
    },
    /// Hashed word and character n-grams, L2-normalised (so each text adds at most 1 to the input norm).
    Text {
        /// Column name.
        column: String,
        /// Number of hash buckets (inputs).
        #[serde(default = "default_buckets")]
        buckets: usize,
        /// Word n-gram lengths, inclusive range `[lo, hi]`.
        #[serde(default = "default_word_ngrams")]
        word_ngrams: [usize; 2],
        /// Character n-gram lengths, inclusive range `[lo, hi]`; `[0, 0]` turns them off.
        #[serde(default = "default_char_ngrams")]
        char_ngrams: [usize; 2],
    },
}

fn default_buckets() -> usize {
    4096
}
fn default_word_ngrams() -> [usize; 2] {
    [1, 2]
}
fn default_char_ngrams() -> [usize; 2] {
    [3, 5]
}

/// Transform applied to a numeric value before scaling.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Transform {
    /// The value itself.
    #[default]
    None,
    /// ln(1 + x); needs min ≥ 0.
    Log1p,
}

/// Handling of a category outside the schema's list.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Unknown {
    /// Refuse the data, naming the row and column.
    #[default]
    Error,
    /// Map it to an extra "other" input.
    Other,
}

impl FeatureSpec {
    /// The column this feature reads.
    pub fn column(&self) -> &str {
        match self {
            FeatureSpec::Numeric { column, .. }
            | FeatureSpec::Categorical { column, .. }
            | FeatureSpec::Text { column, .. } => column,
        }
    }
}

/// A schema with the text it was parsed from.
#[derive(Clone, Debug)]
pub struct LoadedSchema {
    /// The parsed schema.
    pub schema: Schema,
    /// The file's text, byte for byte.
    pub text: String,
    /// SHA-256 of `text`, hex.
    pub sha256: String,
}

impl LoadedSchema {
    /// Reads and validates a schema file.
    pub fn from_file(path: &Path) -> Result<LoadedSchema> {
        let text = std::fs::read_to_string(path).map_err(|e| io_err(path, e))?;
        LoadedSchema::from_text(&text, path)
    }

    /// Parses and validates schema text; `origin` names it in errors.
    pub fn from_text(text: &str, origin: &Path) -> Result<LoadedSchema> {
        let schema: Schema = toml::from_str(text).map_err(|e| LearnError::Config {
            path: origin.to_path_buf(),
            message: e.to_string(),
        })?;
        validate(&schema).map_err(|message| LearnError::Config {
            path: origin.to_path_buf(),
            message,
        })?;
        Ok(LoadedSchema {
            schema,
            text: text.to_string(),
            sha256: crate::sha256_hex(text.as_bytes()),
        })
    }
}

fn validate(s: &Schema) -> std::result::Result<(), String> {
    if s.label.classes.len() < 2 {
        return Err("label.classes needs at least two classes".into());
    }
    let mut seen = std::collections::HashSet::new();
    for c in &s.label.classes {
        if !seen.insert(c) {
            return Err(format!("label class `{c}` is listed twice"));
        }
    }
    for (alias, target) in &s.label.aliases {
        if !s.label.classes.contains(target) {
            return Err(format!(
                "label alias `{alias}` points to `{target}`, which is not a class"
            ));
        }
    }
    if s.features.is_empty() {
        return Err("the schema lists no [[feature]]".into());
    }
    if !s.source.header && s.source.columns.is_empty() {
        return Err("source.header = false needs source.columns".into());
    }
    let mut cols = std::collections::HashSet::new();
    for f in &s.features {
        let col = f.column();
        if col == s.label.column {
            return Err(format!("column `{col}` is both the label and a feature"));
        }
        if !cols.insert(col.to_string()) {
            return Err(format!("column `{col}` appears twice among the features"));
        }
        if !s.source.columns.is_empty() && !s.source.columns.iter().any(|c| c == col) {
            return Err(format!("feature column `{col}` is not in source.columns"));
        }
        match f {
            FeatureSpec::Numeric {
                min,
                max,
                transform,
                ..
            } => {
                if !(min.is_finite() && max.is_finite() && min < max) {
                    return Err(format!("numeric `{col}`: need finite min < max"));
                }
                if *transform == Transform::Log1p && *min < 0.0 {
                    return Err(format!("numeric `{col}`: log1p needs min >= 0"));
                }
            }
            FeatureSpec::Categorical {
                categories,
                missing,
                ..
            } => {
                if categories.is_empty() {
                    return Err(format!("categorical `{col}`: empty category list"));
                }
                let mut s = std::collections::HashSet::new();
                for c in categories {
                    if !s.insert(c) {
                        return Err(format!("categorical `{col}`: category `{c}` listed twice"));
                    }
                }
                if let Some(m) = missing.iter().find(|m| s.contains(m)) {
                    return Err(format!(
                        "categorical `{col}`: `{m}` is both a category and a missing marker"
                    ));
                }
            }
            FeatureSpec::Text {
                buckets,
                word_ngrams,
                char_ngrams,
                ..
            } => {
                if *buckets == 0 || *buckets > 1 << 20 {
                    return Err(format!("text `{col}`: buckets must be in 1..=1048576"));
                }
                for (name, r) in [("word_ngrams", word_ngrams), ("char_ngrams", char_ngrams)] {
                    if r[0] > r[1] || r[1] > 8 {
                        return Err(format!(
                            "text `{col}`: {name} must be [lo, hi] with lo <= hi <= 8"
                        ));
                    }
                }
                if word_ngrams[1] == 0 && char_ngrams[1] == 0 {
                    return Err(format!("text `{col}`: no n-grams enabled"));
                }
            }
        }
    }
    Ok(())
}

/// Resolves `p` relative to the directory of `base` (a config file).
pub fn relative_to(base: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        base.parent().unwrap_or(Path::new(".")).join(p)
    }
}
