//! The compliance report as one self-contained HTML page: no scripts, no
//! external assets (the chart is inline SVG), every text from the data, the
//! policy or the file system HTML-escaped. It holds what the JSON report
//! holds: input and output SHA-256, the policy and its hash, the key's
//! identifier, counts per entity type and per column, operators, quarantined
//! records and why (types and offsets, never values), the residual re-scan,
//! timing and Veil's version.

use crate::job::{QuarantineEntry, RedactReport};
use std::fmt::Write;
use veil_core::html::escape;

fn row(h: &mut String, k: &str, v: &str) {
    let _ = writeln!(h, "<tr><th>{}</th><td>{}</td></tr>", escape(k), escape(v));
}

fn spans(e: &QuarantineEntry) -> String {
    e.findings
        .iter()
        .map(|s| {
            format!(
                "{} [{}, {}) score {:.2}",
                s.entity.as_str(),
                s.start,
                s.end,
                s.score
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Bars of findings per entity type, as inline SVG.
fn chart(r: &RedactReport) -> String {
    let items: Vec<(&String, usize)> = r.entities.iter().map(|(t, c)| (t, c.found)).collect();
    let max = items.iter().map(|x| x.1).max().unwrap_or(1).max(1) as f64;
    let (bar, gap, left, width) = (22.0, 8.0, 190.0, 460.0);
    let height = items.len() as f64 * (bar + gap) + gap;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{}\" height=\"{height}\" role=\"img\" aria-label=\"Findings per entity type\">",
        left + width + 90.0
    );
    for (i, (t, n)) in items.iter().enumerate() {
        let y = gap + i as f64 * (bar + gap);
        let w = (*n as f64 / max * width).max(1.0);
        let _ = write!(
            s,
            "<text x=\"{}\" y=\"{}\" font-size=\"13\" text-anchor=\"end\" font-family=\"sans-serif\">{}</text>\
             <rect class=\"bar\" x=\"{left}\" y=\"{y}\" width=\"{w:.1}\" height=\"{bar}\" fill=\"#3b6ea8\"/>\
             <text x=\"{}\" y=\"{}\" font-size=\"13\" font-family=\"sans-serif\">{n}</text>",
            left - 8.0,
            y + 16.0,
            escape(t),
            left + w + 6.0,
            y + 16.0
        );
    }
    s.push_str("</svg>");
    s
}

/// The page.
pub fn report_page(r: &RedactReport) -> String {
    let mut h = String::new();
    let title = format!("Veil de-identification report: {}", r.input.display());
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title>\n<style>\
         body{{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}}\
         table{{border-collapse:collapse;margin:1rem 0}}th,td{{border:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}}\
         .pass{{color:#176b2c;font-weight:bold}}.fail{{color:#a11;font-weight:bold}}pre{{background:#f5f5f5;padding:1rem;overflow:auto}}\
         </style></head><body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    let verdict = if r.residual.pass {
        "<p id=\"verdict\" class=\"pass\">Residual re-scan: nothing left above the threshold.</p>"
            .to_string()
    } else {
        format!(
            "<p id=\"verdict\" class=\"fail\">Residual re-scan: {} findings left in {} records{}.</p>",
            r.residual.findings,
            r.residual.records,
            if r.strict {
                " (strict: the output was not written)"
            } else {
                ""
            }
        )
    };
    h.push_str(&verdict);
    h.push_str("\n<h2>Files</h2>\n<table>\n");
    row(&mut h, "Veil version", &r.veil_version);
    row(&mut h, "input", &r.input.display().to_string());
    row(&mut h, "input SHA-256", &r.input_sha256);
    row(&mut h, "output", &r.output.display().to_string());
    row(
        &mut h,
        "output SHA-256",
        r.output_sha256.as_deref().unwrap_or("(not written)"),
    );
    row(
        &mut h,
        "quarantine file",
        &r.quarantine_file
            .as_ref()
            .map_or("(none)".to_string(), |p| p.display().to_string()),
    );
    row(&mut h, "format", &r.format);
    row(&mut h, "policy SHA-256", &r.policy_sha256);
    row(
        &mut h,
        "key id",
        r.key_id.as_deref().unwrap_or("(no key used)"),
    );
    row(&mut h, "seconds", &format!("{:.3}", r.seconds));
    h.push_str("</table>\n<h2>Records</h2>\n<table>\n");
    row(&mut h, "records in", &r.records_in.to_string());
    row(&mut h, "records written", &r.records_out.to_string());
    row(
        &mut h,
        "records quarantined",
        &r.records_quarantined.to_string(),
    );
    row(
        &mut h,
        "conserved (in = written + quarantined)",
        if r.records_in == r.records_out + r.records_quarantined {
            "yes"
        } else {
            "NO"
        },
    );
    h.push_str("</table>\n<h2>Entities</h2>\n");
    h.push_str(&chart(r));
    h.push_str("\n<table id=\"entities\"><tr><th>entity type</th><th>found (records written)</th><th>operators</th><th>findings in quarantined records</th></tr>\n");
    for (t, c) in &r.entities {
        let ops: Vec<String> = c
            .operators
            .iter()
            .map(|(o, n)| format!("{o} {n}"))
            .collect();
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(t),
            c.found,
            escape(&ops.join(", ")),
            c.quarantine_triggers
        );
    }
    h.push_str("</table>\n");
    if !r.columns.is_empty() {
        h.push_str("<h2>Columns</h2>\n<table><tr><th>column</th><th>action</th><th>entity</th><th>decided by</th><th>findings</th></tr>\n");
        for c in &r.columns {
            let f: Vec<String> = c.findings.iter().map(|(t, n)| format!("{t} {n}")).collect();
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                escape(&c.column),
                escape(&format!("{:?}", c.action).to_lowercase()),
                escape(c.entity.as_deref().unwrap_or("")),
                escape(&c.decided_by),
                escape(&f.join(", "))
            );
        }
        h.push_str("</table>\n");
    }
    let _ = writeln!(
        h,
        "<h2>Quarantine</h2>\n<p>{} records set aside (first {} listed: line, reason, entity types and offsets; values are never shown).</p>",
        r.records_quarantined,
        r.quarantined.len().min(200)
    );
    if !r.quarantined.is_empty() {
        h.push_str("<table><tr><th>line</th><th>reason</th><th>findings</th></tr>\n");
        for e in r.quarantined.iter().take(200) {
            let _ = writeln!(
                h,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                e.line,
                escape(&e.reason),
                escape(&spans(e))
            );
        }
        h.push_str("</table>\n");
    }
    h.push_str("<h2>Residual risk</h2>\n<table>\n");
    for (t, n) in &r.residual.by_entity {
        row(&mut h, t, &n.to_string());
    }
    row(
        &mut h,
        "records with residue",
        &r.residual.records.to_string(),
    );
    h.push_str("</table>\n");
    for e in &r.residual.examples {
        let _ = writeln!(h, "<p>line {}: {}</p>", e.line, escape(&spans(e)));
    }
    h.push_str("<h2>Policy</h2>\n<pre>");
    h.push_str(&escape(
        &serde_json::to_string_pretty(&r.policy).unwrap_or_default(),
    ));
    h.push_str("</pre>\n</body></html>\n");
    h
}
