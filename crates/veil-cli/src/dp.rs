//! `veil dp`: thin wrappers over veil-dp (accountants, aggregations) and
//! veil-govern (the budget ledger). The order of a query is fixed: read and
//! compute in memory, debit the ledger in one transaction, then show or write
//! the result — a refused or failed debit releases nothing.

use crate::cli::{
    AccountantArg, DpBudgetCommand, DpBudgetInitArgs, DpBudgetShowArgs, DpCommand, DpEpsilonArgs,
    DpNoiseArgs, DpQueryArgs, InputFormat,
};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;
use veil_core::io::atomic::AtomicFile;
use veil_core::io::batches::{DEFAULT_BATCH_ROWS, open_batches, sha256_file};
use veil_dp::PrivacyRng;
use veil_dp::accounting::dpsgd::{self, Accountant};
use veil_dp::aggregate::{Metric, Query, QuerySpec, Release};
use veil_govern::{Ledger, NewRelease};

/// Dispatches a `veil dp` subcommand.
pub fn run(cmd: DpCommand) -> Result<ExitCode> {
    match cmd {
        DpCommand::Epsilon(a) => epsilon(a),
        DpCommand::Noise(a) => noise(a),
        DpCommand::Query(a) => query(*a),
        DpCommand::Budget(DpBudgetCommand::Init(a)) => budget_init(a),
        DpCommand::Budget(DpBudgetCommand::Show(a)) => budget_show(a),
    }
}

fn accountant(a: AccountantArg) -> Accountant {
    match a {
        AccountantArg::Pld => Accountant::Pld,
        AccountantArg::Rdp => Accountant::Rdp,
    }
}

fn other(a: Accountant) -> Accountant {
    match a {
        Accountant::Pld => Accountant::Rdp,
        Accountant::Rdp => Accountant::Pld,
    }
}

fn epsilon(a: DpEpsilonArgs) -> Result<ExitCode> {
    let acc = accountant(a.accountant);
    // Start the worker threads before the clock: pool start-up is process
    // set-up (like the anchors' interpreter and imports), not accounting.
    rayon::current_num_threads();
    let t = Instant::now();
    let eps = dpsgd::epsilon(a.sampling_rate, a.noise_multiplier, a.steps, a.delta, acc)?;
    let secs = t.elapsed().as_secs_f64();
    let alt = dpsgd::epsilon(
        a.sampling_rate,
        a.noise_multiplier,
        a.steps,
        a.delta,
        other(acc),
    )?;
    let (pld, rdp) = match acc {
        Accountant::Pld => (eps, alt),
        Accountant::Rdp => (alt, eps),
    };
    if a.json {
        let v = serde_json::json!({
            "epsilon": eps,
            "delta": a.delta,
            "accountant": acc.name(),
            "sampling_rate": a.sampling_rate,
            "noise_multiplier": a.noise_multiplier,
            "steps": a.steps,
            "epsilon_pld": pld,
            "epsilon_rdp": rdp,
            "unit_of_privacy": "one example (add or remove one record)",
            "seconds": secs,
        });
        println!("{v}");
    } else {
        println!(
            "ε = {eps:.6} at δ = {} ({} accountant; Poisson sampling rate {}, noise multiplier {}, {} steps; unit of privacy: one example, add/remove adjacency)",
            a.delta,
            acc.name(),
            a.sampling_rate,
            a.noise_multiplier,
            a.steps
        );
        println!(
            "  PLD ε = {pld:.6}, RDP ε = {rdp:.6} (RDP is {:.2}× looser)",
            if pld > 0.0 { rdp / pld } else { f64::NAN }
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn noise(a: DpNoiseArgs) -> Result<ExitCode> {
    let acc = accountant(a.accountant);
    let sigma = dpsgd::noise_multiplier(a.epsilon, a.delta, a.sampling_rate, a.steps, acc)?;
    let achieved = dpsgd::epsilon(a.sampling_rate, sigma, a.steps, a.delta, acc)?;
    if a.json {
        let v = serde_json::json!({
            "noise_multiplier": sigma,
            "epsilon": achieved,
            "target_epsilon": a.epsilon,
            "delta": a.delta,
            "accountant": acc.name(),
            "sampling_rate": a.sampling_rate,
            "steps": a.steps,
        });
        println!("{v}");
    } else {
        println!(
            "noise multiplier {sigma:.4} gives ε = {achieved:.6} ≤ {} at δ = {} ({} accountant, sampling rate {}, {} steps)",
            a.epsilon,
            a.delta,
            acc.name(),
            a.sampling_rate,
            a.steps
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn is_parquet(path: &Path, fmt: InputFormat) -> Result<bool> {
    Ok(match fmt {
        InputFormat::Parquet => true,
        InputFormat::Csv => false,
        // By the extension, through a compression one (`.csv.gz` is CSV).
        InputFormat::Auto => match veil_core::io::InputKind::from_path(path) {
            veil_core::io::InputKind::Parquet => true,
            veil_core::io::InputKind::Csv => false,
            _ => bail!(
                "{}: cannot tell CSV from Parquet by the extension; pass --input-format",
                path.display()
            ),
        },
        other => bail!("veil dp query reads CSV or Parquet, not {other:?}"),
    })
}

fn query(a: DpQueryArgs) -> Result<ExitCode> {
    let started = Instant::now();
    let parquet = is_parquet(&a.input, a.input_format)?;
    if a.output.as_deref() == Some(a.input.as_path())
        || a.report.as_deref() == Some(a.input.as_path())
    {
        bail!("{}: refusing to overwrite the input", a.input.display());
    }
    let metrics = a
        .metrics
        .iter()
        .map(|m| Metric::parse(m, &a.quantiles))
        .collect::<Result<Vec<_>, _>>()?;
    let public = match &a.public_partitions {
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| format!("{}", p.display()))?;
            Some(
                text.lines()
                    .filter(|l| !l.trim().is_empty())
                    .map(|l| l.split('|').collect::<Vec<_>>().join("\u{1f}"))
                    .collect(),
            )
        }
        None => None,
    };
    let bounds = match (a.lower, a.upper) {
        (Some(l), Some(u)) => Some((l, u)),
        (None, None) => None,
        _ => bail!("give both --lower and --upper"),
    };
    let spec = QuerySpec {
        privacy_unit: a.privacy_unit.clone(),
        partition_by: a.by.clone(),
        value: a.value.clone(),
        metrics,
        bounds,
        max_partitions: a.max_partitions,
        max_rows_per_partition: a.max_rows,
        epsilon: a.epsilon,
        delta: a.delta,
        public_partitions: public,
    };
    let mut q = Query::new(spec)?;

    // Which dataset pays: found by content hash before any work is done.
    let mut ledger = Ledger::open(&a.ledger)?;
    let hash = sha256_file(&a.input)?;
    let dataset = ledger
        .dataset_by_hash(&hash)?
        .with_context(|| {
            format!(
                "{}: not registered in ledger {} (content sha256 {hash}); run `veil dp budget init {} --ledger {} --epsilon E --delta D` first",
                a.input.display(),
                a.ledger.display(),
                a.input.display(),
                a.ledger.display()
            )
        })?;

    let mut columns = vec![a.privacy_unit.clone()];
    columns.extend(a.by.iter().cloned());
    if let Some(v) = &a.value {
        columns.push(v.clone());
    }
    for batch in open_batches(&a.input, &columns, parquet, DEFAULT_BATCH_ROWS)? {
        let batch = batch?;
        q.push(&batch)
            .with_context(|| format!("{}", a.input.display()))?;
    }
    let mut rng = match a.insecure_seed {
        Some(s) => PrivacyRng::insecure_from_seed(s),
        None => PrivacyRng::from_os()?,
    };
    let release = q.release(&mut rng)?;

    // Debit before anything is shown or written.
    let mechanisms = serde_json::to_string(&release.parts)?;
    let record = ledger.debit(
        &dataset.name,
        &NewRelease {
            kind: "dp query".into(),
            description: describe(&a),
            epsilon: release.epsilon,
            delta: release.delta,
            accountant: release.accountant.into(),
            unit_of_privacy: release.unit_of_privacy.clone(),
            mechanisms_json: mechanisms,
            private: release.private,
        },
    )?;
    let after = ledger
        .dataset_by_name(&dataset.name)?
        .context("dataset vanished from the ledger")?;

    let report = serde_json::json!({
        "veil_version": env!("CARGO_PKG_VERSION"),
        "kind": "dp query",
        "input": a.input.display().to_string(),
        "input_sha256": hash,
        "dataset": dataset.name,
        "ledger_release_id": record.id,
        "private": release.private,
        "warning": if release.private { serde_json::Value::Null } else { "NOT PRIVATE: noise drawn from a fixed seed (--insecure-seed)".into() },
        "epsilon": release.epsilon,
        "delta": release.delta,
        "accountant": release.accountant,
        "unit_of_privacy": release.unit_of_privacy,
        "parts": release.parts,
        "selection_threshold": release.selection_threshold,
        "budget": {"epsilon_total": after.epsilon_total, "delta_total": after.delta_total,
                    "epsilon_spent": after.epsilon_spent, "delta_spent": after.delta_spent},
        "partitions": release.partitions,
        "seconds": started.elapsed().as_secs_f64(),
        "non_private_diagnostics": {
            "note": "exact counts for the data owner only; NOT differentially private, do not publish",
            "counts": release.diagnostics,
        },
    });
    if let Some(p) = &a.report {
        let mut f = AtomicFile::create(p)?;
        serde_json::to_writer_pretty(&mut f, &report)?;
        f.commit()?;
    }
    match &a.output {
        Some(p) => {
            let mut f = AtomicFile::create(p)?;
            write_csv(&mut f, &release)?;
            f.commit()?;
        }
        None if a.json => {}
        None => write_csv(&mut std::io::stdout().lock(), &release)?,
    }
    if a.json {
        println!("{report}");
    } else {
        let mut err = std::io::stderr().lock();
        if !release.private {
            writeln!(
                err,
                "veil: WARNING: NOT PRIVATE — noise came from --insecure-seed"
            )?;
        }
        writeln!(
            err,
            "veil: released {} partitions with ε = {:.6}, δ = {} ({}; unit of privacy: {}); dataset {:?} has spent ε = {:.6} of {}, δ = {} of {}",
            release.partitions.len(),
            release.epsilon,
            release.delta,
            release.accountant,
            release.unit_of_privacy,
            after.name,
            after.epsilon_spent,
            after.epsilon_total,
            after.delta_spent,
            after.delta_total
        )?;
        if let Some(p) = &a.output {
            writeln!(err, "veil: noisy table written to {}", p.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn describe(a: &DpQueryArgs) -> String {
    format!(
        "{} by [{}]{} on {}",
        a.metrics.join(","),
        a.by.join(","),
        a.value
            .as_ref()
            .map(|v| format!(" of {v}"))
            .unwrap_or_default(),
        a.input
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    )
}

fn write_csv(out: &mut dyn Write, release: &Release) -> Result<()> {
    let mut w = csv::Writer::from_writer(out);
    let mut header: Vec<String> = release.partition_columns.clone();
    if let Some(first) = release.partitions.first() {
        for c in &first.cells {
            header.push(c.column.clone());
            header.push(format!("{}_noise_std", c.column));
            header.push(format!("{}_ci95_low", c.column));
            header.push(format!("{}_ci95_high", c.column));
        }
    }
    w.write_record(&header)?;
    let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for p in &release.partitions {
        let mut row = p.key.clone();
        for c in &p.cells {
            row.push(c.value.to_string());
            row.push(opt(c.noise_std));
            row.push(opt(c.ci95.map(|x| x.0)));
            row.push(opt(c.ci95.map(|x| x.1)));
        }
        w.write_record(&row)?;
    }
    w.flush()?;
    Ok(())
}

fn budget_init(a: DpBudgetInitArgs) -> Result<ExitCode> {
    let hash = sha256_file(&a.input)?;
    let name = a
        .name
        .clone()
        .or_else(|| {
            a.input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
        })
        .context("give --name")?;
    let mut ledger = Ledger::open(&a.ledger)?;
    let d = ledger.register(&name, &hash, a.epsilon, a.delta)?;
    println!(
        "registered dataset {:?} (sha256 {}) with budget ε = {}, δ = {} in {}",
        d.name,
        d.content_sha256,
        d.epsilon_total,
        d.delta_total,
        a.ledger.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn budget_show(a: DpBudgetShowArgs) -> Result<ExitCode> {
    if !a.ledger.exists() {
        bail!("{}: no such ledger", a.ledger.display());
    }
    let ledger = Ledger::open(&a.ledger)?;
    let datasets = match &a.name {
        Some(n) => vec![
            ledger
                .dataset_by_name(n)?
                .with_context(|| format!("no dataset named {n:?} in {}", a.ledger.display()))?,
        ],
        None => ledger.datasets()?,
    };
    if a.json {
        let mut out = Vec::new();
        for d in &datasets {
            out.push(serde_json::json!({"dataset": d, "releases": ledger.releases(&d.name)?}));
        }
        println!("{}", serde_json::Value::Array(out));
        return Ok(ExitCode::SUCCESS);
    }
    for d in &datasets {
        println!(
            "{}  sha256 {}…  budget ε = {}, δ = {}  spent ε = {:.6}, δ = {}  remaining ε = {:.6}, δ = {}",
            d.name,
            &d.content_sha256[..12.min(d.content_sha256.len())],
            d.epsilon_total,
            d.delta_total,
            d.epsilon_spent,
            d.delta_spent,
            (d.epsilon_total - d.epsilon_spent).max(0.0),
            (d.delta_total - d.delta_spent).max(0.0)
        );
        for r in ledger.releases(&d.name)? {
            println!(
                "  #{:<4} {}  ε = {:.6}  δ = {}  {}  {}{}",
                r.id,
                r.created_at,
                r.epsilon,
                r.delta,
                r.accountant,
                r.description,
                if r.private {
                    ""
                } else {
                    "  [NOT PRIVATE: seeded]"
                }
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
