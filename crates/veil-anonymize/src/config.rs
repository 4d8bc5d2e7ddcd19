//! The anonymisation configuration (TOML): file layout, quasi-identifiers,
//! the sensitive attribute, the privacy model, thresholds and one hierarchy
//! per quasi-identifier.

use crate::error::{AnonymizeError, Result};
use crate::hierarchy::{HierarchySpec, validate};
use crate::search::LKind;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use veil_core::io::columns::CsvLayout;

/// A configuration file.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnonymizeConfig {
    /// Layout of CSV inputs.
    #[serde(default)]
    pub source: CsvLayout,
    /// What to protect and how.
    pub anonymize: Settings,
    /// Hierarchy per quasi-identifier.
    #[serde(default)]
    pub hierarchy: BTreeMap<String, HierarchySpec>,
    /// Where the file came from (set on load).
    #[serde(skip)]
    pub path: PathBuf,
}

/// Anonymisation algorithm.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// Optimal full-domain generalisation with suppression.
    #[default]
    FullDomain,
    /// Mondrian multidimensional partitioning (no suppression).
    Mondrian,
}

/// `[anonymize]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Input file (relative to the configuration); the command line may name another.
    #[serde(default)]
    pub input: Option<PathBuf>,
    /// Quasi-identifier columns.
    pub quasi_identifiers: Vec<String>,
    /// Sensitive attribute for l-diversity and t-closeness.
    #[serde(default)]
    pub sensitive: Option<String>,
    /// Whether the sensitive values are ordered (numbers): ordered EMD for t-closeness.
    #[serde(default)]
    pub sensitive_ordered: bool,
    /// Minimum class size.
    #[serde(default = "default_k")]
    pub k: u32,
    /// l for l-diversity.
    #[serde(default)]
    pub l: Option<f64>,
    /// `distinct` (default) or `entropy`.
    #[serde(default = "default_l_kind")]
    pub l_kind: LKind,
    /// t for t-closeness.
    #[serde(default)]
    pub t: Option<f64>,
    /// Largest share of rows that may be suppressed.
    #[serde(default = "default_suppression")]
    pub suppression_limit: f64,
    /// Record risk above which a record counts as at risk.
    #[serde(default = "default_threshold")]
    pub risk_threshold: f64,
    /// `full-domain` (optimal lattice search, the default) or `mondrian`.
    #[serde(default)]
    pub algorithm: Algorithm,
    /// Columns left out of the output (direct identifiers, or columns that
    /// mirror a quasi-identifier, such as Adult's education-num).
    #[serde(default)]
    pub drop: Vec<String>,
    /// Population table for the journalist and marketer risk of an audit
    /// (CSV with a header holding the quasi-identifier columns; relative to
    /// the configuration). Without one the data is its own population.
    #[serde(default)]
    pub population: Option<PathBuf>,
    /// Column of the population table giving each row's count (a census
    /// table of counts); without it every row counts once.
    #[serde(default)]
    pub population_count: Option<String>,
}

fn default_k() -> u32 {
    2
}
fn default_l_kind() -> LKind {
    LKind::Distinct
}
fn default_suppression() -> f64 {
    0.0
}
fn default_threshold() -> f64 {
    0.2
}

impl AnonymizeConfig {
    /// Reads a configuration; checks it with [`AnonymizeConfig::check`].
    pub fn from_file(path: &Path) -> Result<AnonymizeConfig> {
        let text = std::fs::read_to_string(path).map_err(|e| {
            AnonymizeError::Core(veil_core::Error::Io {
                path: path.to_path_buf(),
                source: e,
            })
        })?;
        let mut c: AnonymizeConfig = toml::from_str(&text).map_err(|e| AnonymizeError::Config {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        c.path = path.to_path_buf();
        if let Some(i) = &c.anonymize.input
            && i.is_relative()
        {
            c.anonymize.input = Some(path.parent().unwrap_or(Path::new(".")).join(i));
        }
        if let Some(i) = &c.anonymize.population
            && i.is_relative()
        {
            c.anonymize.population = Some(path.parent().unwrap_or(Path::new(".")).join(i));
        }
        c.check()?;
        Ok(c)
    }

    /// Requires a hierarchy for every quasi-identifier (anonymisation needs
    /// them; an audit does not).
    pub fn check_hierarchies(&self) -> Result<()> {
        match self
            .anonymize
            .quasi_identifiers
            .iter()
            .find(|q| !self.hierarchy.contains_key(*q))
        {
            Some(q) => Err(AnonymizeError::Config {
                path: self.path.clone(),
                message: format!("quasi-identifier `{q}` has no [hierarchy.{q}]"),
            }),
            None => Ok(()),
        }
    }

    /// A configuration for auditing `quasi_identifiers` with the default
    /// thresholds (k = 5, record-risk threshold 0.2, as ARX's defaults).
    pub fn for_audit(source: CsvLayout, quasi_identifiers: Vec<String>) -> AnonymizeConfig {
        AnonymizeConfig {
            source,
            anonymize: Settings {
                input: None,
                quasi_identifiers,
                sensitive: None,
                sensitive_ordered: false,
                k: 5,
                l: None,
                l_kind: LKind::Distinct,
                t: None,
                suppression_limit: 0.0,
                risk_threshold: default_threshold(),
                algorithm: Algorithm::FullDomain,
                drop: Vec::new(),
                population: None,
                population_count: None,
            },
            hierarchy: BTreeMap::new(),
            path: PathBuf::new(),
        }
    }

    /// Refuses contradictory settings, naming the file.
    pub fn check(&self) -> Result<()> {
        let bad = |message: String| AnonymizeError::Config {
            path: self.path.clone(),
            message,
        };
        let a = &self.anonymize;
        if a.quasi_identifiers.is_empty() {
            return Err(bad("anonymize.quasi_identifiers is empty".into()));
        }
        for (i, q) in a.quasi_identifiers.iter().enumerate() {
            if a.quasi_identifiers[..i].contains(q) {
                return Err(bad(format!("quasi-identifier `{q}` is listed twice")));
            }
        }
        for (q, spec) in &self.hierarchy {
            validate(q, spec).map_err(bad)?;
        }
        if let Some(d) = a.drop.iter().find(|d| a.quasi_identifiers.contains(d)) {
            return Err(bad(format!(
                "`{d}` is a quasi-identifier and cannot be dropped (suppress it with kind = \"suppress\")"
            )));
        }
        if a.k == 0 {
            return Err(bad("k must be at least 1".into()));
        }
        if !(0.0..=1.0).contains(&a.suppression_limit) {
            return Err(bad(format!(
                "suppression_limit must be in [0, 1], got {}",
                a.suppression_limit
            )));
        }
        if let Some(s) = &a.sensitive
            && a.quasi_identifiers.contains(s)
        {
            return Err(bad(format!(
                "`{s}` cannot be both a quasi-identifier and the sensitive attribute"
            )));
        }
        if (a.l.is_some() || a.t.is_some()) && a.sensitive.is_none() {
            return Err(bad(
                "l-diversity and t-closeness need anonymize.sensitive".into()
            ));
        }
        if let Some(l) = a.l
            && !(l.is_finite() && l >= 1.0)
        {
            return Err(bad(format!("l must be at least 1, got {l}")));
        }
        if let Some(l) = a.l
            && f64::from(a.k) < l
            && a.l_kind == LKind::Distinct
        {
            return Err(bad(format!(
                "distinct l = {l} cannot hold in classes of k = {} rows: raise k to at least l",
                a.k
            )));
        }
        if a.algorithm == Algorithm::Mondrian && a.t.is_some() {
            return Err(bad(
                "Mondrian supports k and l; t-closeness needs algorithm = \"full-domain\"".into(),
            ));
        }
        if let Some(t) = a.t
            && !(t > 0.0 && t <= 1.0)
        {
            return Err(bad(format!("t must be in (0, 1], got {t}")));
        }
        Ok(())
    }
}
