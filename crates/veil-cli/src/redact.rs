//! `veil redact`, `veil restore`, `veil keygen`: thin wrappers over veil-redact.

use crate::cli::{KeygenArgs, RedactArgs, RestoreArgs};
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use veil_core::io::atomic::AtomicFile;
use veil_redact::job::{self, Fields};
use veil_redact::keys::{KEY_ENV, Key};
use veil_redact::policy::Policy;

fn with_suffix(p: &Path, suffix: &str) -> PathBuf {
    let mut s = p.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// The key from `--key-file`, else `VEIL_KEY` when set; `required` makes its absence an error.
fn key(file: Option<&Path>, required: bool) -> Result<Option<Key>> {
    match file {
        Some(f) => Ok(Some(Key::from_file(f)?)),
        None if std::env::var_os(KEY_ENV).is_some() => Ok(Some(Key::from_env(KEY_ENV)?)),
        None if required => bail!(
            "no key: pass --key-file FILE or set {KEY_ENV} (make one with `veil keygen --output FILE`)"
        ),
        None => Ok(None),
    }
}

/// `veil redact`: exit 1 when `--strict` and residual PII was found.
pub fn redact(a: RedactArgs) -> Result<ExitCode> {
    if let Some(n) = a.threads {
        rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global()
            .context("cannot start worker threads")?;
    }
    let policy = match &a.policy {
        Some(p) => Policy::from_file(p)?,
        None => Policy::default(),
    };
    let key = key(a.key_file.as_deref(), policy.needs_key())?;
    if a.input == a.output {
        bail!(
            "{}: the output would overwrite the input",
            a.input.display()
        );
    }
    // The policy's threshold is the detection threshold (lower or higher
    // than the engine's default).
    let analyzer = veil_detect::Analyzer::new(veil_detect::AnalyzerConfig {
        min_score: policy
            .min_score
            .unwrap_or(veil_detect::analyzer::DEFAULT_MIN_SCORE),
        ..Default::default()
    })?;
    let redactor = veil_redact::redact::Redactor::new(&analyzer, &policy, key.as_ref())?;
    let quarantine = a
        .quarantine
        .clone()
        .unwrap_or_else(|| with_suffix(&a.output, ".quarantine.jsonl"));
    let report_path = a
        .report
        .clone()
        .unwrap_or_else(|| with_suffix(&a.output, ".report.json"));
    let fields = Fields {
        text: a.text_field.clone(),
        id: a.id_field.clone(),
    };
    let r = job::redact_file(
        &redactor,
        &policy,
        key.as_ref(),
        &a.input,
        &a.output,
        &quarantine,
        &fields,
        a.strict,
    )?;
    let json = serde_json::to_string_pretty(&r)?;
    let mut f = AtomicFile::create(&report_path)?;
    f.write_all(json.as_bytes())?;
    f.commit()?;
    if let Some(p) = &a.html {
        let mut f = AtomicFile::create(p)?;
        f.write_all(veil_redact::html::report_page(&r).as_bytes())?;
        f.commit()?;
    }
    let failed = a.strict && !r.residual.pass;
    if a.json {
        println!("{json}");
    } else {
        let mut out = std::io::stdout().lock();
        writeln!(
            out,
            "veil redact: {} records in, {} written{}, {} quarantined{}",
            r.records_in,
            r.records_out,
            if failed {
                " (not committed)".to_string()
            } else {
                format!(" to {}", a.output.display())
            },
            r.records_quarantined,
            r.quarantine_file
                .as_ref()
                .map_or(String::new(), |q| format!(" to {}", q.display()))
        )?;
        for (t, c) in &r.entities {
            let ops: Vec<String> = c
                .operators
                .iter()
                .map(|(o, n)| format!("{o} {n}"))
                .collect();
            writeln!(
                out,
                "  {t:<20} {:>7}  {}{}",
                c.found,
                ops.join(", "),
                if c.quarantine_triggers > 0 {
                    format!(
                        "  (quarantined records: {} findings)",
                        c.quarantine_triggers
                    )
                } else {
                    String::new()
                }
            )?;
        }
        writeln!(
            out,
            "residual re-scan: {} findings in {} records{}",
            r.residual.findings,
            r.residual.records,
            if r.residual.pass {
                " (pass)"
            } else if a.strict {
                " (FAIL: --strict)"
            } else {
                ""
            }
        )?;
        writeln!(
            out,
            "policy sha256 {}{}; report {}",
            &r.policy_sha256[..16],
            r.key_id
                .as_ref()
                .map_or(String::new(), |k| format!(", key id {k}")),
            report_path.display()
        )?;
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `veil restore`.
pub fn restore(a: RestoreArgs) -> Result<ExitCode> {
    let key = key(a.key_file.as_deref(), true)?.context("no key")?;
    let fields = Fields {
        text: a.text_field,
        ..Fields::default()
    };
    let n = job::restore_file(&key, &a.input, &a.output, &fields)?;
    println!(
        "veil restore: {n} tokens decrypted into {} (key id {})",
        a.output.display(),
        key.id()
    );
    Ok(ExitCode::SUCCESS)
}

/// `veil keygen`.
pub fn keygen(a: KeygenArgs) -> Result<ExitCode> {
    let key = Key::generate()?;
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        opts.mode(0o600);
    }
    let mut f = opts.open(&a.output).with_context(|| {
        format!(
            "{}: cannot create (an existing key is never overwritten)",
            a.output.display()
        )
    })?;
    f.write_all(key.to_file_text().as_bytes())?;
    f.sync_all()?;
    println!(
        "veil keygen: key id {} written to {} (owner-only). Keep it secret and backed up: without it hash tokens and pseudonyms cannot be recomputed consistently and encrypted tokens cannot be restored.",
        key.id(),
        a.output.display()
    );
    Ok(ExitCode::SUCCESS)
}
