//! The training pipeline behind `veil train`: read and encode the data the
//! configuration names, train (DP-SGD or the non-private baseline), score the
//! test (or validation) data and build the model's description and privacy
//! card.

use crate::artifact::{FORMAT, ModelMeta, NoiseCard, PrivacyCard};
use crate::config::{ModelKind, TrainConfig};
use crate::dpsgd::{Calibration, PrivacyTarget, TrainSettings, Trained, train_calibrated};
use crate::encode::{Encoded, Encoder};
use crate::error::{LearnError, Result};
use crate::metrics::{Metrics, evaluate};
use crate::schema::LoadedSchema;
use ndarray::Axis;
use serde::Serialize;
use std::path::PathBuf;
use veil_core::io::columns::read_columns;
use veil_dp::PrivacyRng;

/// Which data a run is scored on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvalSplit {
    /// The configuration's test file.
    Test,
    /// A held-out share of the training file (for tuning; the test file is not read).
    Validation,
}

/// Encoded training and evaluation data.
#[derive(Debug)]
pub struct Prepared {
    /// The schema.
    pub schema: LoadedSchema,
    /// Its encoder.
    pub encoder: Encoder,
    /// Training inputs and labels.
    pub train: Encoded,
    /// Evaluation inputs and labels, and which split they are.
    pub eval: Option<(Encoded, EvalSplit)>,
    /// The training file.
    pub train_path: PathBuf,
    /// Its SHA-256.
    pub train_sha256: String,
}

/// Whether row `i` of the training file belongs to the validation share
/// `frac`: a fixed hash of the row index (independent of the data).
fn in_validation(i: usize, frac: f64) -> bool {
    let mut z = (i as u64).wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^= z >> 31;
    ((z >> 11) as f64 / (1u64 << 53) as f64) < frac
}

fn subset(e: &Encoded, keep: &[usize]) -> Encoded {
    Encoded {
        x: e.x.select(Axis(0), keep),
        y: e.y.as_ref().map(|y| keep.iter().map(|&i| y[i]).collect()),
        positions: keep.iter().map(|&i| e.positions[i]).collect(),
    }
}

/// Reads and encodes what `config` names. With `validation = Some(f)`, a
/// share f of the training rows is held out for scoring and the test file is
/// not read.
pub fn prepare(config: &TrainConfig, validation: Option<f64>) -> Result<Prepared> {
    let schema = LoadedSchema::from_file(&config.data.schema)?;
    let encoder = Encoder::new(&schema.schema);
    let mut wanted = encoder.feature_columns();
    wanted.push(encoder.label_column().to_string());
    let path = &config.data.train;
    let table = read_columns(path, &schema.schema.source, &wanted, &[])?;
    let mut train = encoder.encode(&table, true)?;
    drop(table);
    let classes = encoder.classes().len();
    if config.model.kind == ModelKind::Logistic && classes != 2 {
        return Err(LearnError::Config {
            path: config.data.schema.clone(),
            message: format!(
                "logistic regression needs exactly two label classes, the schema lists {classes} (use kind = \"softmax\")"
            ),
        });
    }
    let y = train.y.as_deref().unwrap_or_default();
    let mut seen = vec![0usize; classes];
    for &c in y {
        seen[c] += 1;
    }
    let present = seen.iter().filter(|&&c| c > 0).count();
    if present < 2 {
        return Err(LearnError::Unusable {
            path: path.clone(),
            message: format!(
                "label column `{}` holds {} class(es) in {} rows; training needs at least two",
                encoder.label_column(),
                present,
                y.len()
            ),
        });
    }
    let eval = match (validation, &config.data.test) {
        (Some(frac), _) => {
            if !(frac > 0.0 && frac < 1.0) {
                return Err(LearnError::InvalidParameter {
                    name: "validation share",
                    reason: format!("must be in (0, 1), got {frac}"),
                });
            }
            let (v, t): (Vec<usize>, Vec<usize>) =
                (0..train.positions.len()).partition(|&i| in_validation(i, frac));
            let val = subset(&train, &v);
            train = subset(&train, &t);
            Some((val, EvalSplit::Validation))
        }
        (None, Some(test)) => {
            let t = read_columns(test, &schema.schema.source, &wanted, &[])?;
            Some((encoder.encode(&t, true)?, EvalSplit::Test))
        }
        (None, None) => None,
    };
    let train_sha256 = veil_core::io::batches::sha256_file(path)?;
    Ok(Prepared {
        schema,
        encoder,
        train,
        eval,
        train_path: path.clone(),
        train_sha256,
    })
}

/// Training settings from a configuration; `non_private` drops the privacy
/// target, `epsilon` overrides its ε.
pub fn settings(config: &TrainConfig, non_private: bool, epsilon: Option<f64>) -> TrainSettings {
    let p = &config.privacy;
    TrainSettings {
        hidden: config.model.hidden.clone(),
        epochs: config.training.epochs,
        batch_size: config.training.batch_size,
        optimizer: config.training.optimizer,
        learning_rate: config.training.learning_rate,
        momentum: config.training.momentum,
        privacy: (!non_private).then(|| PrivacyTarget {
            epsilon: epsilon.unwrap_or(p.epsilon),
            delta: p.delta,
            accountant: p.accountant.accountant(),
            clipping: p.clipping,
            clip_norm: p.clip_norm,
        }),
    }
}

/// One trained model and its scores.
#[derive(Debug)]
pub struct Run {
    /// The training outcome.
    pub trained: Trained,
    /// Scores on the evaluation split.
    pub metrics: Option<Metrics>,
}

/// Calibrates the noise for `s` on the prepared training rows (None when
/// `s` is non-private).
pub fn calibrate(data: &Prepared, s: &TrainSettings) -> Result<Option<Calibration>> {
    s.privacy
        .as_ref()
        .map(|t| crate::dpsgd::calibrate(data.train.positions.len(), s, t))
        .transpose()
}

/// Trains once on the prepared data with a calibration from [`calibrate`]
/// and scores the evaluation split.
pub fn run(
    data: &Prepared,
    s: &TrainSettings,
    calibration: Option<Calibration>,
    rng: &mut PrivacyRng,
) -> Result<Run> {
    let y = data.train.y.as_deref().unwrap_or_default();
    let trained = train_calibrated(
        &data.train.x,
        y,
        data.encoder.classes().len(),
        s,
        calibration,
        rng,
    )?;
    let metrics = data.eval.as_ref().map(|(e, _)| {
        let p = trained.network.predict_proba(e.x.view());
        evaluate(&p, e.y.as_deref().unwrap_or_default())
    });
    Ok(Run { trained, metrics })
}

/// The privacy card of a run.
pub fn privacy_card(
    data: &Prepared,
    s: &TrainSettings,
    run: &Run,
    rng_private: bool,
) -> PrivacyCard {
    let t = &run.trained;
    let file = data
        .train_path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let unit = format!("one record (row) of {file}");
    let (statement, private) = match (&t.calibration, &s.privacy) {
        (Some(c), Some(p)) => {
            let mut st = format!(
                "The model parameters are ({:.4}, {:e})-differentially private for {unit} (add/remove adjacency), by the {} accountant for DP-SGD with Poisson sampling rate {:.6}, noise multiplier {:.4}, {} steps and clipping norm {} ({} clipping).",
                c.epsilon,
                c.delta,
                c.accountant.name().to_uppercase(),
                c.sampling_rate,
                c.noise_multiplier,
                c.steps,
                p.clip_norm,
                match p.clipping {
                    crate::dpsgd::ClipMode::Flat => "flat",
                    crate::dpsgd::ClipMode::PerLayer => "per-layer",
                }
            );
            if !rng_private {
                st.push_str(" NOT PRIVATE: trained with a fixed test seed, so the noise is reproducible and the guarantee does not hold.");
            }
            (st, rng_private)
        }
        _ => (
            "NOT PRIVATE: trained without differential privacy (baseline); the parameters may reveal training records.".to_string(),
            false,
        ),
    };
    PrivacyCard {
        private,
        statement,
        epsilon: t.calibration.map(|c| c.epsilon),
        delta: t.calibration.map(|c| c.delta),
        accountant: t.calibration.map(|c| c.accountant.name().to_string()),
        unit_of_privacy: unit,
        sampling: if s.privacy.is_some() {
            "poisson".into()
        } else {
            "shuffled fixed-size batches".into()
        },
        sampling_rate: t.calibration.map(|c| c.sampling_rate),
        noise_multiplier: t.calibration.map(|c| c.noise_multiplier),
        steps: t.steps,
        epochs: s.epochs,
        batch_size: s.batch_size,
        clip_norm: s.privacy.map(|p| p.clip_norm),
        clipping: s.privacy.map(|p| {
            match p.clipping {
                crate::dpsgd::ClipMode::Flat => "flat",
                crate::dpsgd::ClipMode::PerLayer => "per-layer",
            }
            .to_string()
        }),
        noise: t.noise.map(NoiseCard::from),
        randomness: if rng_private {
            "ChaCha20 seeded from the operating system".into()
        } else {
            "fixed seed (--insecure-seed): NOT PRIVATE".into()
        },
        train_data: file,
        train_data_sha256: data.train_sha256.clone(),
        train_rows: data.train.positions.len(),
        schema_sha256: data.schema.sha256.clone(),
    }
}

/// The model description stored beside the weights.
pub fn model_meta(
    config: &TrainConfig,
    data: &Prepared,
    card: PrivacyCard,
    run: &Run,
) -> ModelMeta {
    ModelMeta {
        format: FORMAT.to_string(),
        veil_version: env!("CARGO_PKG_VERSION").to_string(),
        kind: config.model.kind,
        inputs: data.encoder.dim(),
        hidden: run.trained.network.hidden(),
        classes: data.encoder.classes().to_vec(),
        schema: data.schema.text.clone(),
        schema_sha256: data.schema.sha256.clone(),
        weights_sha256: String::new(),
        privacy_card: card,
        metrics: run.metrics.clone(),
    }
}
