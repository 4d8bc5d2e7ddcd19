//! The self-contained HTML page of `veil audit data --html`: risk figures,
//! diversity, verdicts, per-column roles and an inline SVG chart of
//! equivalence-class sizes. No external assets, no scripts; every text from
//! the data or the configuration is HTML-escaped.

use crate::error::{AnonymizeError, Result};
use crate::job::AuditReport;
use plotters::prelude::*;

pub use veil_core::html::escape;

/// Bucket label and records per class-size bucket (1, 2, 3–4, 5–9, 10–19, 20–49, 50–99, 100+).
fn buckets(hist: &[(u32, usize)]) -> Vec<(String, usize)> {
    let edges: [(u32, u32, &str); 8] = [
        (1, 1, "1"),
        (2, 2, "2"),
        (3, 4, "3-4"),
        (5, 9, "5-9"),
        (10, 19, "10-19"),
        (20, 49, "20-49"),
        (50, 99, "50-99"),
        (100, u32::MAX, "100+"),
    ];
    edges
        .iter()
        .map(|&(lo, hi, name)| {
            let records = hist
                .iter()
                .filter(|(s, _)| (lo..=hi).contains(s))
                .map(|(s, c)| *s as usize * c)
                .sum();
            (name.to_string(), records)
        })
        .collect()
}

fn chart(r: &AuditReport) -> Result<String> {
    let err = |e: &dyn std::fmt::Display| AnonymizeError::Infeasible(format!("chart: {e}"));
    let b = buckets(&r.risk.class_size_histogram);
    let ymax = b.iter().map(|x| x.1).max().unwrap_or(1).max(1) as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (720, 360)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut c = ChartBuilder::on(&root)
            .caption("Records by equivalence-class size", ("sans-serif", 18))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(64)
            .build_cartesian_2d(
                (0u32..b.len() as u32).into_segmented(),
                0u32..ymax + ymax / 10 + 1,
            )
            .map_err(|e| err(&e))?;
        let labels: Vec<String> = b.iter().map(|x| x.0.clone()).collect();
        c.configure_mesh()
            .x_desc("class size")
            .y_desc("records")
            .x_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => labels.get(*i as usize).cloned().unwrap_or_default(),
                _ => String::new(),
            })
            .draw()
            .map_err(|e| err(&e))?;
        c.draw_series(
            Histogram::vertical(&c)
                .style(RGBColor(31, 119, 180).filled())
                .margin(6)
                .data(b.iter().enumerate().map(|(i, x)| (i as u32, x.1 as u32))),
        )
        .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

/// The audit as one HTML page.
pub fn audit_page(r: &AuditReport) -> Result<String> {
    let mut h = String::new();
    let row = |h: &mut String, k: &str, v: String| {
        h.push_str(&format!(
            "<tr><th>{}</th><td>{}</td></tr>\n",
            escape(k),
            escape(&v)
        ));
    };
    h.push_str(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Veil audit: ",
    );
    h.push_str(&escape(&r.input.display().to_string()));
    h.push_str("</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;color:#222}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid #ccc;padding:.3rem .6rem;text-align:left}.pass{color:#176e2c}.fail{color:#b00020;font-weight:bold}</style>\n</head><body>\n");
    h.push_str(&format!(
        "<h1>Dataset audit: {}</h1>\n<p>Veil {} &middot; input SHA-256 <code>{}</code> &middot; verdict: <span class=\"{}\">{}</span></p>\n",
        escape(&r.input.display().to_string()),
        escape(&r.veil_version),
        escape(&r.input_sha256),
        if r.pass { "pass" } else { "fail" },
        if r.pass { "PASS" } else { "FAIL" }
    ));
    h.push_str("<h2>Checks</h2>\n<table><tr><th>check</th><th>required</th><th>measured</th><th>result</th></tr>\n");
    for v in &r.verdicts {
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{:.4}</td><td class=\"{}\">{}</td></tr>\n",
            escape(&v.check),
            v.required,
            v.measured,
            if v.pass { "pass" } else { "fail" },
            if v.pass { "pass" } else { "FAIL" }
        ));
    }
    h.push_str("</table>\n<h2>Re-identification risk</h2>\n<table>\n");
    row(&mut h, "quasi-identifiers", r.quasi_identifiers.join(", "));
    row(
        &mut h,
        "quasi-identifiers from",
        r.quasi_identifiers_from.clone(),
    );
    row(&mut h, "records", r.risk.records.to_string());
    row(&mut h, "equivalence classes", r.risk.classes.to_string());
    row(&mut h, "k (smallest class)", r.risk.k.to_string());
    row(
        &mut h,
        "unique records",
        format!(
            "{} ({:.2}%)",
            r.risk.unique_records,
            r.risk.unique_share * 100.0
        ),
    );
    row(
        &mut h,
        "prosecutor risk: highest / average",
        format!(
            "{:.4} / {:.4}",
            r.risk.prosecutor.highest, r.risk.prosecutor.average
        ),
    );
    row(
        &mut h,
        &format!("records with risk above {}", r.risk.threshold),
        format!("{:.2}%", r.risk.prosecutor.records_at_risk * 100.0),
    );
    let population = r
        .risk
        .population
        .as_deref()
        .map_or("data taken as the population".to_string(), |p| {
            format!("population {p}")
        });
    row(
        &mut h,
        &format!("journalist risk: highest / average ({population})"),
        format!(
            "{:.4} / {:.4}",
            r.risk.journalist.highest, r.risk.journalist.average
        ),
    );
    row(&mut h, "marketer risk", format!("{:.4}", r.risk.marketer));
    if let Some(d) = &r.diversity {
        row(
            &mut h,
            &format!("{}: distinct l / entropy l / t", d.column),
            format!("{} / {:.3} / {:.4}", d.distinct_l, d.entropy_l, d.t),
        );
    }
    h.push_str("</table>\n");
    h.push_str(&chart(r)?);
    h.push_str("\n<h2>Columns</h2>\n<table><tr><th>column</th><th>distinct</th><th>role</th><th>why</th><th>findings in sample</th></tr>\n");
    for c in &r.columns {
        let f: Vec<String> = c.findings.iter().map(|(t, n)| format!("{t} {n}")).collect();
        h.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
            escape(&c.column),
            c.distinct,
            escape(&c.role),
            escape(&c.reason),
            escape(&f.join(", "))
        ));
    }
    h.push_str("</table>\n</body></html>\n");
    Ok(h)
}
