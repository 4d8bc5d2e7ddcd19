//! Per-column findings for `veil audit data`: what the detection engine
//! sees in a sample of each column (PII and secrets, by entity type, with the
//! column's class when most values are one type), and whether the column is
//! a direct identifier, a quasi-identifier candidate or free text. The
//! suggestions are advice: the configuration decides.

use crate::error::Result;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use veil_core::io::columns::{CsvLayout, column_names, read_columns};
use veil_detect::Analyzer;
use veil_detect::structured::{ColumnClass, ColumnProfile, DEFAULT_MIN_SHARE, DEFAULT_SAMPLE};

/// What one column looks like.
#[derive(Clone, Debug, Serialize)]
pub struct ColumnReport {
    /// Column name.
    pub column: String,
    /// Distinct values in the whole column.
    pub distinct: usize,
    /// Sampled (non-empty) values.
    pub sampled: usize,
    /// Sampled values with at least one finding of each entity type.
    pub findings: BTreeMap<String, usize>,
    /// The column's class when most sampled values are one entity type.
    pub class: Option<ColumnClass>,
    /// `direct identifier`, `quasi-identifier candidate`, `free text` or `other`.
    pub role: String,
    /// Why.
    pub reason: String,
}

const DIRECT: &[&str] = &[
    "EMAIL_ADDRESS",
    "PHONE_NUMBER",
    "US_SSN",
    "CREDIT_CARD",
    "IBAN_CODE",
    "PERSON",
    "US_PASSPORT",
    "US_DRIVER_LICENSE",
    "UK_NHS",
    "UK_NINO",
    "IP_ADDRESS",
    "US_BANK_NUMBER",
    "MEDICAL_LICENSE",
];
const QI_NAMES: &[&str] = &[
    "age",
    "birth",
    "dob",
    "date",
    "zip",
    "postcode",
    "postal",
    "gender",
    "sex",
    "race",
    "ethnic",
    "marital",
    "job",
    "occupation",
    "title",
    "country",
    "city",
    "state",
    "region",
    "education",
    "nationality",
    "religion",
    "workclass",
    "relationship",
];
const QI_TYPES: &[&str] = &["DATE_TIME", "LOCATION"];

/// Profiles every column of `path` (the first `DEFAULT_SAMPLE` non-empty values of each).
pub fn profile(path: &Path, layout: &CsvLayout, analyzer: &Analyzer) -> Result<Vec<ColumnReport>> {
    let names = column_names(path, layout)?;
    let table = read_columns(path, layout, &names, &[])?;
    let mut out = Vec::with_capacity(names.len());
    for (name, cells) in names.iter().zip(&table.cells) {
        let mut prof = ColumnProfile::new(DEFAULT_SAMPLE);
        let mut findings: BTreeMap<String, usize> = BTreeMap::new();
        let mut total_len = 0usize;
        let mut spaced = 0usize;
        for v in cells.iter().filter(|v| !v.trim().is_empty()) {
            if prof.full() {
                break;
            }
            let f = analyzer.analyze(v);
            let mut types: Vec<&str> = f.iter().map(|x| x.entity_type.as_str()).collect();
            types.sort_unstable();
            types.dedup();
            for t in types {
                *findings.entry(t.to_string()).or_default() += 1;
            }
            prof.observe(v, &f);
            total_len += v.chars().count();
            spaced += usize::from(v.trim().contains(' '));
        }
        let mut distinct: Vec<&String> = cells.iter().collect();
        distinct.sort_unstable();
        distinct.dedup();
        let class = prof.classify(DEFAULT_MIN_SHARE);
        let n_sampled = cells
            .iter()
            .filter(|v| !v.trim().is_empty())
            .count()
            .min(DEFAULT_SAMPLE);
        let mean_len = total_len as f64 / n_sampled.max(1) as f64;
        let lname = name.to_lowercase();
        let (role, reason) = if let Some(c) = class
            .as_ref()
            .filter(|c| DIRECT.contains(&c.entity_type.as_str()))
        {
            (
                "direct identifier",
                format!(
                    "{:.0}% of sampled values are {}",
                    c.share * 100.0,
                    c.entity_type
                ),
            )
        } else if mean_len > 40.0 && spaced * 2 > n_sampled {
            (
                "free text",
                format!(
                    "mean length {mean_len:.0} characters: may hold anything; scan and redact it"
                ),
            )
        } else if let Some(c) = class
            .as_ref()
            .filter(|c| QI_TYPES.contains(&c.entity_type.as_str()))
        {
            (
                "quasi-identifier candidate",
                format!("values are {}", c.entity_type),
            )
        } else if let Some(k) = QI_NAMES.iter().find(|k| lname.contains(*k)) {
            (
                "quasi-identifier candidate",
                format!("the name mentions `{k}`"),
            )
        } else {
            ("other", String::new())
        };
        out.push(ColumnReport {
            column: name.clone(),
            distinct: distinct.len(),
            sampled: n_sampled,
            findings,
            class,
            role: role.to_string(),
            reason,
        });
    }
    Ok(out)
}
