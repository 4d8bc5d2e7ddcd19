//! Model artifacts: a directory holding `model.safetensors` (the weights, one
//! F64 tensor per layer part: `layers.{i}.weight` of shape inputs × outputs and
//! `layers.{i}.bias`) and `model.json` (format version, architecture, the
//! schema text, the privacy card, test metrics and the weights' SHA-256,
//! checked on load). Both files are written atomically.

use crate::config::ModelKind;
use crate::dpsgd::NoiseInfo;
use crate::error::{LearnError, Result, io_err};
use crate::metrics::Metrics;
use crate::model::{Layer, Network};
use crate::schema::LoadedSchema;
use ndarray::{Array1, Array2};
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The artifact format this version writes and reads.
pub const FORMAT: &str = "veil-model/1";
/// Weights file name inside a model directory.
pub const WEIGHTS_FILE: &str = "model.safetensors";
/// Metadata file name inside a model directory.
pub const META_FILE: &str = "model.json";

/// What a trained model promises about its training data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PrivacyCard {
    /// True only for a DP-SGD run with operating-system randomness.
    pub private: bool,
    /// The guarantee in words, with its parameters.
    pub statement: String,
    /// ε (None for a non-private model).
    pub epsilon: Option<f64>,
    /// δ.
    pub delta: Option<f64>,
    /// Accountant that computed ε.
    pub accountant: Option<String>,
    /// What one protected unit is.
    pub unit_of_privacy: String,
    /// How batches were drawn.
    pub sampling: String,
    /// Poisson rate q.
    pub sampling_rate: Option<f64>,
    /// σ / C.
    pub noise_multiplier: Option<f64>,
    /// Optimisation steps.
    pub steps: u64,
    /// Epochs.
    pub epochs: u32,
    /// Expected batch size.
    pub batch_size: usize,
    /// Clipping norm C.
    pub clip_norm: Option<f64>,
    /// `flat` or `per-layer`.
    pub clipping: Option<String>,
    /// Noise grid and discrete σ.
    pub noise: Option<NoiseCard>,
    /// Source of randomness.
    pub randomness: String,
    /// Training file name (no directories).
    pub train_data: String,
    /// SHA-256 of the training file.
    pub train_data_sha256: String,
    /// Records used for training.
    pub train_rows: usize,
    /// SHA-256 of the schema text.
    pub schema_sha256: String,
}

/// The noise mechanism as recorded in a card.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoiseCard {
    /// Mechanism name.
    pub mechanism: String,
    /// Grid spacing in gradient units.
    pub grid: f64,
    /// Sensitivity of the rounded gradient sum, grid units.
    pub sensitivity_grid_units: f64,
    /// Discrete Gaussian σ, grid units.
    pub sigma_grid_units: f64,
}

impl From<NoiseInfo> for NoiseCard {
    fn from(n: NoiseInfo) -> Self {
        NoiseCard {
            mechanism: "discrete Gaussian (Canonne-Kamath-Steinke 2020) on a grid; accounted as the continuous Gaussian of the same noise multiplier".into(),
            grid: n.grid,
            sensitivity_grid_units: n.sensitivity_grid_units,
            sigma_grid_units: n.sigma_grid_units,
        }
    }
}

/// `model.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ModelMeta {
    /// [`FORMAT`].
    pub format: String,
    /// Veil version that wrote it.
    pub veil_version: String,
    /// Model family.
    pub kind: ModelKind,
    /// Number of inputs.
    pub inputs: usize,
    /// Hidden layer sizes.
    pub hidden: Vec<usize>,
    /// Class names; with two, the second is the positive class.
    pub classes: Vec<String>,
    /// The schema file's text.
    pub schema: String,
    /// Its SHA-256.
    pub schema_sha256: String,
    /// SHA-256 of `model.safetensors`.
    pub weights_sha256: String,
    /// The privacy card.
    pub privacy_card: PrivacyCard,
    /// Metrics on the evaluation data at training time.
    pub metrics: Option<Metrics>,
}

/// A model loaded from disk.
#[derive(Clone, Debug)]
pub struct LoadedModel {
    /// Its metadata.
    pub meta: ModelMeta,
    /// Its schema.
    pub schema: LoadedSchema,
    /// The network.
    pub network: Network,
}

fn tensor_bytes(v: impl Iterator<Item = f64>) -> Vec<u8> {
    v.flat_map(f64::to_le_bytes).collect()
}

/// Writes `network` and `meta` (its `weights_sha256` is filled in) into `dir`, created if needed.
pub fn save(dir: &Path, network: &Network, mut meta: ModelMeta) -> Result<PathBuf> {
    use safetensors::tensor::{Dtype, TensorView};
    std::fs::create_dir_all(dir).map_err(|e| io_err(dir, e))?;
    let mut names = Vec::new();
    let mut buffers = Vec::new();
    for (i, l) in network.layers.iter().enumerate() {
        names.push((format!("layers.{i}.weight"), vec![l.w.nrows(), l.w.ncols()]));
        buffers.push(tensor_bytes(l.w.iter().copied()));
        names.push((format!("layers.{i}.bias"), vec![l.b.len()]));
        buffers.push(tensor_bytes(l.b.iter().copied()));
    }
    let weights_path = dir.join(WEIGHTS_FILE);
    let mut views = Vec::new();
    for ((name, shape), buf) in names.iter().zip(&buffers) {
        let view =
            TensorView::new(Dtype::F64, shape.clone(), buf).map_err(|e| LearnError::Artifact {
                path: weights_path.clone(),
                message: e.to_string(),
            })?;
        views.push((name.clone(), view));
    }
    let bytes = safetensors::serialize(views, None).map_err(|e| LearnError::Artifact {
        path: weights_path.clone(),
        message: e.to_string(),
    })?;
    meta.weights_sha256 = crate::sha256_hex(&bytes);
    write_atomic(&weights_path, &bytes)?;
    let meta_path = dir.join(META_FILE);
    let json = serde_json::to_vec_pretty(&meta).map_err(|e| LearnError::Artifact {
        path: meta_path.clone(),
        message: e.to_string(),
    })?;
    write_atomic(&meta_path, &json)?;
    Ok(dir.to_path_buf())
}

fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = veil_core::io::atomic::AtomicFile::create(path)?;
    f.write_all(bytes).map_err(|e| io_err(path, e))?;
    f.commit()?;
    Ok(())
}

/// Loads a model directory, checking the format, the weights' hash and the shapes.
pub fn load(dir: &Path) -> Result<LoadedModel> {
    let meta_path = dir.join(META_FILE);
    let bad = |path: &Path, message: String| LearnError::Artifact {
        path: path.to_path_buf(),
        message,
    };
    let text = std::fs::read_to_string(&meta_path).map_err(|e| io_err(&meta_path, e))?;
    let meta: ModelMeta = serde_json::from_str(&text)
        .map_err(|e| bad(&meta_path, format!("not a Veil model description: {e}")))?;
    if meta.format != FORMAT {
        return Err(bad(
            &meta_path,
            format!(
                "format `{}` is not `{FORMAT}` (written by another Veil version)",
                meta.format
            ),
        ));
    }
    let weights_path = dir.join(WEIGHTS_FILE);
    let bytes = std::fs::read(&weights_path).map_err(|e| io_err(&weights_path, e))?;
    if crate::sha256_hex(&bytes) != meta.weights_sha256 {
        return Err(bad(
            &weights_path,
            "SHA-256 differs from the one recorded in model.json: the weights were changed or corrupted".into(),
        ));
    }
    let schema = LoadedSchema::from_text(&meta.schema, &meta_path)?;
    let st = safetensors::SafeTensors::deserialize(&bytes)
        .map_err(|e| bad(&weights_path, e.to_string()))?;
    let mut sizes = vec![meta.inputs];
    sizes.extend(&meta.hidden);
    sizes.push(if meta.classes.len() == 2 {
        1
    } else {
        meta.classes.len()
    });
    let mut layers = Vec::new();
    for (i, io) in sizes.windows(2).enumerate() {
        let read = |name: String, shape: Vec<usize>| -> Result<Vec<f64>> {
            let t = st
                .tensor(&name)
                .map_err(|e| bad(&weights_path, format!("{name}: {e}")))?;
            if t.dtype() != safetensors::Dtype::F64 || t.shape() != shape.as_slice() {
                return Err(bad(
                    &weights_path,
                    format!(
                        "{name}: expected F64 {shape:?}, found {:?} {:?}",
                        t.dtype(),
                        t.shape()
                    ),
                ));
            }
            Ok(t.data()
                .chunks_exact(8)
                .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                .collect())
        };
        let w = read(format!("layers.{i}.weight"), vec![io[0], io[1]])?;
        let b = read(format!("layers.{i}.bias"), vec![io[1]])?;
        let w = Array2::from_shape_vec((io[0], io[1]), w)
            .map_err(|e| bad(&weights_path, e.to_string()))?;
        layers.push(Layer {
            w,
            b: Array1::from(b),
        });
    }
    let network = Network {
        layers,
        classes: meta.classes.len(),
    };
    Ok(LoadedModel {
        meta,
        schema,
        network,
    })
}
