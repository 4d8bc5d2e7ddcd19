//! `veil train`, `veil predict`, `veil evaluate`: thin wrappers over
//! veil-learn's pipeline, artifacts and metrics.

use crate::cli::{AccountantArg, EvaluateArgs, PredictArgs, TrainArgs};
use anyhow::{Context, Result, bail};
use serde_json::json;
use std::io::Write;
use std::process::ExitCode;
use std::time::Instant;
use veil_core::io::atomic::AtomicFile;
use veil_core::io::columns::read_columns;
use veil_dp::PrivacyRng;
use veil_govern::{Ledger, NewRelease};
use veil_learn::artifact;
use veil_learn::chart::{SweepPoint, sweep_svg};
use veil_learn::config::{AccountantName, ModelKind, TrainConfig};
use veil_learn::encode::Encoder;
use veil_learn::metrics::{Metrics, argmax, evaluate as score};
use veil_learn::pipeline::{self, EvalSplit, Prepared, Run};

fn rng(seed: Option<u64>) -> Result<PrivacyRng> {
    Ok(match seed {
        Some(s) => PrivacyRng::insecure_from_seed(s),
        None => PrivacyRng::from_os()?,
    })
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let n = v.len() as f64;
    let m = v.iter().sum::<f64>() / n;
    let var = if v.len() > 1 {
        v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1.0)
    } else {
        0.0
    };
    (m, var.sqrt())
}

fn kind_name(k: ModelKind) -> &'static str {
    match k {
        ModelKind::Logistic => "logistic regression",
        ModelKind::Softmax => "softmax regression",
        ModelKind::Mlp => "MLP",
    }
}

fn split_name(data: &Prepared) -> &'static str {
    match data.eval.as_ref().map(|e| e.1) {
        Some(EvalSplit::Validation) => "validation",
        _ => "test",
    }
}

/// Trains `runs` models with one calibration; returns the runs.
fn train_runs(
    data: &Prepared,
    s: &veil_learn::dpsgd::TrainSettings,
    runs: u32,
    rng: &mut PrivacyRng,
) -> Result<(Vec<Run>, f64)> {
    let t = Instant::now();
    let cal = pipeline::calibrate(data, s)?;
    let cal_secs = t.elapsed().as_secs_f64();
    let mut out = Vec::new();
    for _ in 0..runs {
        let mut r = rng.fork();
        out.push(pipeline::run(data, s, cal, &mut r)?);
    }
    Ok((out, cal_secs))
}

/// `veil train`.
pub fn train(a: TrainArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let mut config = TrainConfig::from_file(&a.config)?;
    if let Some(acc) = a.accountant {
        config.privacy.accountant = match acc {
            AccountantArg::Pld => AccountantName::Pld,
            AccountantArg::Rdp => AccountantName::Rdp,
        };
    }
    let mut rng = rng(a.insecure_seed)?;
    let data = pipeline::prepare(&config, a.validation)?;
    if !a.sweep_epsilon.is_empty() {
        return sweep(&a, &config, &data, &mut rng, started);
    }
    let s = pipeline::settings(&config, a.non_private, a.epsilon);
    // Which budget pays, found before any training.
    let mut ledger = match &a.ledger {
        Some(path) => {
            if a.runs > 1 {
                bail!(
                    "--ledger debits one model: use --runs 1 (each extra run and its scores is another release)"
                );
            }
            let l = Ledger::open(path)?;
            let d = l.dataset_by_hash(&data.train_sha256)?.with_context(|| {
                format!(
                    "{}: not registered in ledger {} (content sha256 {}); run `veil dp budget init {} --ledger {} --epsilon E --delta D` first",
                    data.train_path.display(),
                    path.display(),
                    data.train_sha256,
                    data.train_path.display(),
                    path.display()
                )
            })?;
            Some((l, d))
        }
        None => None,
    };
    let (runs, cal_secs) = train_runs(&data, &s, a.runs, &mut rng)?;
    let first = &runs[0];
    let card = pipeline::privacy_card(&data, &s, first, rng.is_private());
    // Debit before the model is written or its scores shown.
    let mut release_id = None;
    if let (Some((ledger, dataset)), Some(eps), Some(delta)) =
        (ledger.as_mut(), card.epsilon, card.delta)
    {
        let record = ledger.debit(
            &dataset.name,
            &NewRelease {
                kind: "dp-sgd model".into(),
                description: format!(
                    "{} trained with DP-SGD ({} epochs, expected batch {}, clip {})",
                    kind_name(config.model.kind),
                    card.epochs,
                    card.batch_size,
                    card.clip_norm.unwrap_or_default()
                ),
                epsilon: eps,
                delta,
                accountant: card.accountant.clone().unwrap_or_default(),
                unit_of_privacy: card.unit_of_privacy.clone(),
                mechanisms_json: serde_json::to_string(&json!([{
                    "mechanism": "poisson-subsampled gaussian (dp-sgd)",
                    "sampling_rate": card.sampling_rate,
                    "noise_multiplier": card.noise_multiplier,
                    "steps": card.steps,
                    "clip_norm": card.clip_norm,
                    "noise": card.noise,
                }]))?,
                private: card.private,
            },
        )?;
        release_id = Some(record.id);
    }
    if let Some(dir) = &a.model_out {
        let meta = pipeline::model_meta(&config, &data, card.clone(), first);
        artifact::save(dir, &first.trained.network, meta)
            .with_context(|| format!("writing the model to {}", dir.display()))?;
    }
    let accs: Vec<f64> = runs
        .iter()
        .filter_map(|r| r.metrics.as_ref().map(|m| m.accuracy))
        .collect();
    let (acc, acc_sd) = if accs.is_empty() {
        (f64::NAN, 0.0)
    } else {
        mean_sd(&accs)
    };
    let train_secs: Vec<f64> = runs.iter().map(|r| r.trained.train_seconds).collect();
    let m: Option<&Metrics> = first.metrics.as_ref();
    let split = split_name(&data);
    let seconds = started.elapsed().as_secs_f64();
    if a.json {
        let summary = json!({
            "model": config.model.kind,
            "hidden": config.model.hidden,
            "private": card.private,
            "epsilon": card.epsilon,
            "delta": card.delta,
            "accountant": card.accountant,
            "noise_multiplier": card.noise_multiplier,
            "sampling_rate": card.sampling_rate,
            "steps": card.steps,
            "epochs": card.epochs,
            "batch_size": card.batch_size,
            "clip_norm": card.clip_norm,
            "clipping": card.clipping,
            "unit_of_privacy": card.unit_of_privacy,
            "privacy_statement": card.statement,
            "evaluated_on": split,
            format!("{split}_accuracy"): if accs.is_empty() { None } else { Some(acc) },
            format!("{split}_accuracy_sd"): if accs.is_empty() { None } else { Some(acc_sd) },
            format!("{split}_roc_auc"): m.and_then(|m| m.roc_auc),
            format!("{split}_log_loss"): m.map(|m| m.log_loss),
            "accuracies": accs,
            "runs": a.runs,
            "train_rows": data.train.positions.len(),
            "eval_rows": data.eval.as_ref().map(|e| e.0.positions.len()),
            "inputs": data.encoder.dim(),
            "train_data_sha256": card.train_data_sha256,
            "schema_sha256": card.schema_sha256,
            "seconds": seconds,
            "train_seconds_per_run": mean_sd(&train_secs).0,
            "calibration_seconds": cal_secs,
            "model_dir": a.model_out,
            "ledger_release_id": release_id,
        });
        println!("{}", serde_json::to_string_pretty(&summary)?);
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "veil train: {} on {} ({} rows, {} inputs)",
            kind_name(config.model.kind),
            card.train_data,
            data.train.positions.len(),
            data.encoder.dim()
        )?;
        writeln!(out, "privacy: {}", card.statement)?;
        if let Some(m) = m {
            if a.runs > 1 {
                writeln!(
                    out,
                    "{split} accuracy {acc:.4} ± {acc_sd:.4} over {} runs",
                    a.runs
                )?;
            }
            writeln!(
                out,
                "{split} accuracy {:.4}, ROC AUC {}, log-loss {:.4} ({} rows{})",
                m.accuracy,
                m.roc_auc.map_or("n/a".into(), |v| format!("{v:.4}")),
                m.log_loss,
                m.rows,
                if a.runs > 1 { ", first run" } else { "" }
            )?;
        }
        writeln!(
            out,
            "time: training {:.2} s per run, noise calibration {cal_secs:.2} s, total {seconds:.2} s",
            mean_sd(&train_secs).0
        )?;
        if let Some(dir) = &a.model_out {
            writeln!(out, "model written to {}", dir.display())?;
        }
        if let Some(id) = release_id {
            writeln!(out, "ledger: debited as release {id}")?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn sweep(
    a: &TrainArgs,
    config: &TrainConfig,
    data: &Prepared,
    rng: &mut PrivacyRng,
    started: Instant,
) -> Result<ExitCode> {
    if data.eval.is_none() {
        bail!(
            "a sweep needs evaluation data: set data.test in the configuration or pass --validation"
        );
    }
    let acc_of = |runs: &[Run]| {
        let v: Vec<f64> = runs
            .iter()
            .filter_map(|r| r.metrics.as_ref().map(|m| m.accuracy))
            .collect();
        mean_sd(&v)
    };
    let base_s = pipeline::settings(config, true, None);
    let (base_runs, _) = train_runs(data, &base_s, a.runs, rng)?;
    let (base, base_sd) = acc_of(&base_runs);
    let mut rows = Vec::new();
    let mut points = Vec::new();
    for &eps in &a.sweep_epsilon {
        let s = pipeline::settings(config, false, Some(eps));
        let (runs, _) = train_runs(data, &s, a.runs, rng)?;
        let (m, sd) = acc_of(&runs);
        let cal = runs[0].trained.calibration;
        points.push(SweepPoint {
            epsilon: eps,
            accuracy: m,
            accuracy_sd: sd,
        });
        rows.push(json!({
            "target_epsilon": eps,
            "epsilon": cal.map(|c| c.epsilon),
            "delta": cal.map(|c| c.delta),
            "accountant": cal.map(|c| c.accountant.name()),
            "noise_multiplier": cal.map(|c| c.noise_multiplier),
            "accuracy": m,
            "accuracy_sd": sd,
        }));
    }
    let split = split_name(data);
    let svg = sweep_svg(&points, Some(base), &format!("{split} accuracy"))?;
    let mut f = AtomicFile::create(&a.chart)?;
    f.write_all(svg.as_bytes())
        .with_context(|| format!("writing {}", a.chart.display()))?;
    f.commit()?;
    let private = rng.is_private();
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "model": config.model.kind,
                "evaluated_on": split,
                "runs": a.runs,
                "private": private,
                "sweep": rows,
                "non_private_accuracy": base,
                "non_private_accuracy_sd": base_sd,
                "chart": a.chart,
                "seconds": started.elapsed().as_secs_f64(),
            }))?
        );
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "privacy-utility sweep: {} on {}, {} run(s) per point, {split} accuracy",
            kind_name(config.model.kind),
            data.train_path.display(),
            a.runs
        )?;
        writeln!(
            out,
            "{:>10}  {:>10}  {:>8}  {:>16}",
            "epsilon", "eps spent", "sigma", "accuracy"
        )?;
        for (p, r) in points.iter().zip(&rows) {
            writeln!(
                out,
                "{:>10}  {:>10.4}  {:>8.4}  {:>9.4} ± {:.4}",
                p.epsilon,
                r["epsilon"].as_f64().unwrap_or(f64::NAN),
                r["noise_multiplier"].as_f64().unwrap_or(f64::NAN),
                p.accuracy,
                p.accuracy_sd
            )?;
        }
        writeln!(
            out,
            "{:>10}  {:>10}  {:>8}  {:>9.4} ± {base_sd:.4}",
            "none", "-", "-", base
        )?;
        if !private {
            writeln!(out, "NOT PRIVATE: --insecure-seed was given")?;
        }
        writeln!(out, "chart written to {}", a.chart.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

fn load_data(
    model: &artifact::LoadedModel,
    input: &std::path::Path,
    need_label: bool,
) -> Result<veil_learn::encode::Encoded> {
    let enc = Encoder::new(&model.schema.schema);
    if enc.dim() != model.meta.inputs {
        bail!(
            "the model's schema gives {} inputs but its weights take {}",
            enc.dim(),
            model.meta.inputs
        );
    }
    let label = vec![enc.label_column().to_string()];
    let (wanted, optional) = if need_label {
        let mut w = enc.feature_columns();
        w.extend(label);
        (w, Vec::new())
    } else {
        (enc.feature_columns(), label)
    };
    let table = read_columns(input, &model.schema.schema.source, &wanted, &optional)?;
    Ok(enc.encode(&table, need_label)?)
}

/// `veil predict`.
pub fn predict(a: PredictArgs) -> Result<ExitCode> {
    let model = artifact::load(&a.model)?;
    let data = load_data(&model, &a.input, false)?;
    let p = model.network.predict_proba(data.x.view());
    let mut f = AtomicFile::create(&a.output)?;
    {
        let mut w = csv::Writer::from_writer(&mut f);
        let mut header = vec!["row".to_string(), "predicted".to_string()];
        header.extend(model.meta.classes.iter().map(|c| format!("prob_{c}")));
        w.write_record(&header)?;
        for (row, pos) in p.rows().into_iter().zip(&data.positions) {
            let mut rec = vec![pos.to_string(), model.meta.classes[argmax(row)].clone()];
            rec.extend(row.iter().map(|v| format!("{v:.6}")));
            w.write_record(&rec)?;
        }
        w.flush()?;
    }
    f.commit()?;
    eprintln!(
        "veil predict: {} rows scored, written to {}",
        data.positions.len(),
        a.output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `veil evaluate`.
pub fn evaluate(a: EvaluateArgs) -> Result<ExitCode> {
    let model = artifact::load(&a.model)?;
    let data = load_data(&model, &a.input, true)?;
    let p = model.network.predict_proba(data.x.view());
    let m = score(&p, data.y.as_deref().unwrap_or_default());
    let card = &model.meta.privacy_card;
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "model": model.meta.kind,
                "input": a.input,
                "metrics": m,
                "privacy_card": card,
            }))?
        );
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "model: {} ({})",
        kind_name(model.meta.kind),
        card.statement
    )?;
    writeln!(
        out,
        "rows {}  accuracy {:.4}  ROC AUC {}  log-loss {:.4}",
        m.rows,
        m.accuracy,
        m.roc_auc.map_or("n/a".into(), |v| format!("{v:.4}")),
        m.log_loss
    )?;
    if !m.calibration.is_empty() {
        writeln!(out, "calibration ({}):", model.meta.classes[1])?;
        writeln!(
            out,
            "  {:>11}  {:>7}  {:>14}  {:>13}",
            "bin", "rows", "mean predicted", "observed rate"
        )?;
        for b in &m.calibration {
            let f = |v: Option<f64>| v.map_or("-".into(), |v| format!("{v:.4}"));
            writeln!(
                out,
                "  {:>4.1} – {:<4.1}  {:>7}  {:>14}  {:>13}",
                b.lower,
                b.upper,
                b.count,
                f(b.mean_predicted),
                f(b.observed_rate)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
