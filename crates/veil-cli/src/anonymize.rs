//! `veil anonymize` and `veil audit data`: thin wrappers over veil-anonymize.

use crate::cli::{AnonymizeArgs, AuditDataArgs, AuditUtilityArgs};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;
use veil_anonymize::config::AnonymizeConfig;
use veil_anonymize::job;
use veil_core::io::atomic::AtomicFile;

fn input_of(cfg: &AnonymizeConfig, given: Option<PathBuf>) -> Result<PathBuf> {
    given
        .or_else(|| cfg.anonymize.input.clone())
        .with_context(|| {
            format!(
                "no input: name a file or set anonymize.input in {}",
                cfg.path.display()
            )
        })
}

/// `veil anonymize`.
pub fn anonymize(a: AnonymizeArgs) -> Result<ExitCode> {
    let mut cfg = AnonymizeConfig::from_file(&a.config)?;
    let s = &mut cfg.anonymize;
    if let Some(k) = a.k {
        s.k = k;
    }
    if a.l.is_some() {
        s.l = a.l;
        s.l_kind = veil_anonymize::search::LKind::Distinct;
    }
    if a.t.is_some() {
        s.t = a.t;
    }
    if let Some(x) = a.suppression_limit {
        s.suppression_limit = x;
    }
    if let Some(alg) = a.algorithm {
        s.algorithm = match alg {
            crate::cli::AlgorithmArg::FullDomain => veil_anonymize::config::Algorithm::FullDomain,
            crate::cli::AlgorithmArg::Mondrian => veil_anonymize::config::Algorithm::Mondrian,
        };
    }
    cfg.check()?;
    let input = input_of(&cfg, a.input)?;
    let r = job::anonymize(&cfg, &input, &a.output)?;
    let json = serde_json::to_string_pretty(&r)?;
    if let Some(p) = &a.report {
        let mut f = AtomicFile::create(p)?;
        f.write_all(json.as_bytes())?;
        f.commit()?;
    }
    if a.json {
        println!("{json}");
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "veil anonymize: {} rows in, {} written to {}, {} suppressed",
        r.rows_in,
        r.rows_out,
        a.output.display(),
        r.rows_suppressed
    )?;
    let levels: Vec<String> = r
        .levels
        .iter()
        .map(|l| format!("{} {}/{}", l.column, l.level, l.height))
        .collect();
    writeln!(out, "algorithm: {}", r.algorithm)?;
    if !levels.is_empty() {
        writeln!(out, "levels: {}", levels.join(", "))?;
    }
    writeln!(
        out,
        "loss: NCP {:.4}, generalisation intensity {}, discernibility {:.0}, average class size / k {:.2}",
        r.loss.ncp,
        r.loss
            .generalisation_intensity
            .map_or("n/a".into(), |g| format!("{g:.4}")),
        r.loss.discernibility,
        r.loss.average_class_size_ratio
    )?;
    writeln!(
        out,
        "risk before: k = {}, {:.2}% unique, prosecutor highest {:.3}, average {:.4}",
        r.risk_before.k,
        r.risk_before.unique_share * 100.0,
        r.risk_before.prosecutor.highest,
        r.risk_before.prosecutor.average
    )?;
    writeln!(
        out,
        "risk after:  k = {}, {:.2}% unique, prosecutor highest {:.3}, average {:.4}",
        r.risk_after.k,
        r.risk_after.unique_share * 100.0,
        r.risk_after.prosecutor.highest,
        r.risk_after.prosecutor.average
    )?;
    if let Some(d) = &r.diversity_after {
        writeln!(
            out,
            "{}: distinct l = {}, entropy l = {:.3}, t = {:.4}",
            d.column, d.distinct_l, d.entropy_l, d.t
        )?;
    }
    if r.nodes_total > 0 {
        writeln!(
            out,
            "search: {} of {} lattice nodes evaluated in {:.3} s",
            r.nodes_evaluated, r.nodes_total, r.search_seconds
        )?;
    } else {
        writeln!(out, "partitioning: {:.3} s", r.search_seconds)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `veil audit data`: exit status 1 when a check fails.
pub fn audit_data(a: AuditDataArgs) -> Result<ExitCode> {
    let cfg = a
        .config
        .as_deref()
        .map(AnonymizeConfig::from_file)
        .transpose()?;
    let input = match &cfg {
        Some(c) => input_of(c, a.input)?,
        None => a
            .input
            .context("name the file to audit (or a configuration with anonymize.input)")?,
    };
    let analyzer = veil_detect::Analyzer::new(veil_detect::AnalyzerConfig::default())?;
    let population = a.population.map(|path| job::Population {
        path,
        count: a.population_count,
    });
    let r = job::audit(cfg.as_ref(), &input, &analyzer, population)?;
    if let Some(p) = &a.html {
        let page = veil_anonymize::html::audit_page(&r)?;
        let mut f = AtomicFile::create(p)?;
        f.write_all(page.as_bytes())?;
        f.commit()?;
    }
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "veil audit data: {} ({} rows) over {}",
            input.display(),
            r.risk.records,
            r.quasi_identifiers.join(", ")
        )?;
        writeln!(
            out,
            "classes {}, k = {}, unique records {} ({:.2}%), average class size {:.2}",
            r.risk.classes,
            r.risk.k,
            r.risk.unique_records,
            r.risk.unique_share * 100.0,
            r.risk.average_class_size
        )?;
        writeln!(out, "quasi-identifiers: {}", r.quasi_identifiers_from)?;
        let population = r
            .risk
            .population
            .as_deref()
            .map_or("the data as its own population".to_string(), |p| {
                format!("population {p}")
            });
        for (name, x) in [
            ("prosecutor", &r.risk.prosecutor),
            ("journalist", &r.risk.journalist),
        ] {
            writeln!(
                out,
                "{name}: highest {:.3}, average {:.4}, records above {} {:.2}%",
                x.highest,
                x.average,
                r.risk.threshold,
                x.records_at_risk * 100.0,
            )?;
        }
        writeln!(
            out,
            "marketer: {:.4} (journalist and marketer against {population})",
            r.risk.marketer
        )?;
        if let Some(d) = &r.diversity {
            writeln!(
                out,
                "{}: distinct l = {}, entropy l = {:.3}, t = {:.4}",
                d.column, d.distinct_l, d.entropy_l, d.t
            )?;
        }
        writeln!(out, "columns:")?;
        for c in &r.columns {
            let f: Vec<String> = c.findings.iter().map(|(t, n)| format!("{t} {n}")).collect();
            writeln!(
                out,
                "  {:<20} {:>7} distinct  {:<27} {}{}",
                c.column,
                c.distinct,
                c.role,
                c.reason,
                if f.is_empty() {
                    String::new()
                } else {
                    format!(" [findings in {} sampled: {}]", c.sampled, f.join(", "))
                }
            )?;
        }
        for v in &r.verdicts {
            writeln!(
                out,
                "[{}] {}: required {}, measured {:.4}",
                if v.pass { "pass" } else { "FAIL" },
                v.check,
                v.required,
                v.measured
            )?;
        }
    }
    Ok(if r.pass {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// `veil audit utility`.
pub fn audit_utility(a: AuditUtilityArgs) -> Result<ExitCode> {
    let (layout, drop) = match &a.config {
        Some(c) => {
            let cfg = AnonymizeConfig::from_file(c)?;
            (cfg.source.clone(), cfg.anonymize.drop.clone())
        }
        None => (Default::default(), Vec::new()),
    };
    let mut rng = veil_dp::PrivacyRng::from_os()?;
    let r = veil_learn::utility::compare(
        &a.original,
        &layout,
        &a.anonymised,
        &drop,
        &a.label,
        &mut rng,
    )?;
    if a.json {
        println!("{}", serde_json::to_string_pretty(&r)?);
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "utility of `{}` (logistic/softmax regression, held-out 20%, non-private diagnostic):",
        r.label
    )?;
    for (name, t) in [("original", &r.original), ("anonymised", &r.anonymised)] {
        writeln!(
            out,
            "  {name:<10} {:>7} rows  {:>5} inputs  accuracy {:.4}  (majority class {:.4})  {}",
            t.rows,
            t.inputs,
            t.accuracy,
            t.majority_accuracy,
            t.path.display()
        )?;
    }
    writeln!(out, "  difference {:+.4}", r.accuracy_difference)?;
    Ok(ExitCode::SUCCESS)
}
