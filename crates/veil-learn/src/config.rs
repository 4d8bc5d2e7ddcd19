//! The training configuration file (TOML): where the data and schema are,
//! the model, the optimisation and the privacy target. Paths are relative to
//! the configuration file.

use crate::dpsgd::ClipMode;
use crate::error::{LearnError, Result, io_err};
use crate::optim::OptimizerKind;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use veil_dp::accounting::dpsgd::Accountant;

/// A training configuration.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainConfig {
    /// Data and schema.
    pub data: DataSection,
    /// The model.
    pub model: ModelSection,
    /// Optimisation.
    pub training: TrainingSection,
    /// The privacy target (required: `--non-private` on the command line trains the baseline).
    pub privacy: PrivacySection,
}

/// `[data]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataSection {
    /// Training file (CSV or Parquet).
    pub train: PathBuf,
    /// Test file, scored after training.
    #[serde(default)]
    pub test: Option<PathBuf>,
    /// Schema file.
    pub schema: PathBuf,
}

/// Model family.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ModelKind {
    /// Logistic regression (two classes).
    Logistic,
    /// Softmax (multinomial logistic) regression.
    Softmax,
    /// Multilayer perceptron with ReLU hidden layers.
    Mlp,
}

/// `[model]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelSection {
    /// Family.
    pub kind: ModelKind,
    /// Hidden layer sizes (MLP only; one or two layers).
    #[serde(default)]
    pub hidden: Vec<usize>,
}

/// `[training]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TrainingSection {
    /// Passes over the data.
    pub epochs: u32,
    /// Expected batch size.
    pub batch_size: usize,
    /// Update rule.
    #[serde(default)]
    pub optimizer: OptimizerKind,
    /// Learning rate.
    pub learning_rate: f64,
    /// SGD momentum.
    #[serde(default)]
    pub momentum: f64,
}

/// `[privacy]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacySection {
    /// Target ε.
    pub epsilon: f64,
    /// Target δ (well below 1/n).
    pub delta: f64,
    /// Accountant (`pld`, the default, or `rdp`).
    #[serde(default = "default_accountant")]
    pub accountant: AccountantName,
    /// `flat` or `per-layer`.
    #[serde(default)]
    pub clipping: ClipMode,
    /// Clipping norm C.
    pub clip_norm: f64,
}

/// Accountant names as written in configuration files.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum AccountantName {
    /// Privacy-loss distributions.
    Pld,
    /// Rényi DP.
    Rdp,
}

fn default_accountant() -> AccountantName {
    AccountantName::Pld
}

impl AccountantName {
    /// The veil-dp accountant.
    pub fn accountant(self) -> Accountant {
        match self {
            AccountantName::Pld => Accountant::Pld,
            AccountantName::Rdp => Accountant::Rdp,
        }
    }
}

impl TrainConfig {
    /// Reads and checks a configuration file; relative paths become relative to it.
    pub fn from_file(path: &Path) -> Result<TrainConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| io_err(path, e))?;
        let mut c: TrainConfig = toml::from_str(&text).map_err(|e| LearnError::Config {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        let bad = |message: String| LearnError::Config {
            path: path.to_path_buf(),
            message,
        };
        match c.model.kind {
            ModelKind::Mlp if !(1..=2).contains(&c.model.hidden.len()) => {
                return Err(bad(
                    "model.kind = \"mlp\" needs hidden = [n] or [n, m]".into()
                ));
            }
            ModelKind::Logistic | ModelKind::Softmax if !c.model.hidden.is_empty() => {
                return Err(bad(format!(
                    "model.kind = \"{:?}\" takes no hidden layers (use kind = \"mlp\")",
                    c.model.kind
                )
                .to_lowercase()));
            }
            _ => {}
        }
        if c.model.hidden.contains(&0) {
            return Err(bad("hidden layer sizes must be at least 1".into()));
        }
        c.data.train = crate::schema::relative_to(path, &c.data.train);
        c.data.test = c.data.test.map(|t| crate::schema::relative_to(path, &t));
        c.data.schema = crate::schema::relative_to(path, &c.data.schema);
        Ok(c)
    }
}
