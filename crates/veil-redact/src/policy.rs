//! The de-identification policy (TOML): an operator per entity type, a
//! default, the score threshold, and the quarantine rule.
//!
//! ```toml
//! min_score = 0.5
//! [default]
//! operator = "replace"            # <ENTITY_TYPE>
//! [entities.PERSON]
//! operator = "pseudonymize"
//! [entities.CREDIT_CARD]
//! operator = "mask"
//! count = 12
//! [quarantine]
//! entities = ["US_SSN", "CREDIT_CARD", "secrets"]   # "secrets": every credential type
//! min_score = 0.8
//! [columns.notes]                 # tables: drop, keep, scan, entity, hash, encrypt, generalize
//! action = "scan"
//! [columns.customer_email]
//! action = "entity"
//! entity = "EMAIL_ADDRESS"
//! [columns.customer_id]
//! action = "hash"                 # keyed, joins survive
//! [columns.age]
//! action = "generalize"
//! generalize = { bin_width = 10 } # or { date = "year" }, { keep_prefix = 3 }
//! ```

use crate::error::{RedactError, Result};
use crate::generalize::Generalization;
use crate::operator::Operator;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use veil_core::{EntityType, Family};

/// Records to set aside instead of redacting.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct QuarantineRule {
    /// Entity types (or `secrets` for the whole credential family) that send a record to quarantine.
    pub entities: Vec<String>,
    /// Only findings scoring at least this count.
    #[serde(default = "default_quarantine_score")]
    pub min_score: f32,
}

/// What to do with one table column.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum ColumnAction {
    /// Leave the column out of the output.
    Drop,
    /// Copy it unchanged (still re-scanned: what it holds counts as residue).
    Keep,
    /// Detect and redact inside each cell, like free text.
    Scan,
    /// Treat every non-empty cell as one value of `entity` and apply that
    /// entity type's operator to the whole cell (hash, encrypt, pseudonymize…).
    Entity,
    /// Keyed hash of every non-empty cell (the `hash` operator's defaults:
    /// 16 hex characters), whatever the entity policy says.
    Hash,
    /// AES-SIV encryption of every non-empty cell (`veil restore` reverses it).
    Encrypt,
    /// Replace every non-empty cell by a coarser value that holds it
    /// (`[columns.NAME.generalize]`: number bins, date truncation, prefixes).
    #[serde(alias = "generalise")]
    Generalize,
}

impl ColumnAction {
    /// The operator a `hash` or `encrypt` column applies to whole cells.
    pub fn cell_operator(self) -> Option<Operator> {
        match self {
            ColumnAction::Hash => Some(Operator::Hash {
                length: 16,
                encoding: crate::operator::Encoding::Hex,
            }),
            ColumnAction::Encrypt => Some(Operator::Encrypt),
            _ => None,
        }
    }
}

/// A column's policy (`[columns.NAME]`). Columns not listed follow the
/// scan's column classification: `entity` when most sampled values are one
/// entity type, `scan` otherwise.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct ColumnPolicy {
    /// The action.
    pub action: ColumnAction,
    /// The entity type for `entity`, `hash` and `encrypt` (the
    /// classification's when absent; for `hash` and `encrypt` it is the
    /// hash's domain and the encryption's associated data).
    #[serde(default)]
    pub entity: Option<String>,
    /// The rule of a `generalize` column.
    #[serde(default)]
    pub generalize: Option<Generalization>,
}

fn default_quarantine_score() -> f32 {
    0.5
}

/// A policy.
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Findings scoring below this are left alone (the detection engine's default when absent).
    #[serde(default)]
    pub min_score: Option<f32>,
    /// The operator for entity types not listed.
    #[serde(default = "default_operator")]
    pub default: Operator,
    /// Operator per entity type.
    #[serde(default)]
    pub entities: BTreeMap<String, Operator>,
    /// The quarantine rule.
    #[serde(default)]
    pub quarantine: Option<QuarantineRule>,
    /// Per-column actions for tables.
    #[serde(default)]
    pub columns: BTreeMap<String, ColumnPolicy>,
    /// Where the policy came from (empty for the built-in default).
    #[serde(skip)]
    pub path: PathBuf,
}

fn default_operator() -> Operator {
    Operator::Replace { with: None }
}

impl Default for Policy {
    /// Every entity replaced by `<ENTITY_TYPE>`, no quarantine.
    fn default() -> Self {
        Policy {
            min_score: None,
            default: default_operator(),
            entities: BTreeMap::new(),
            quarantine: None,
            columns: BTreeMap::new(),
            path: PathBuf::new(),
        }
    }
}

impl Policy {
    /// Reads and checks a policy file.
    pub fn from_file(path: &Path) -> Result<Policy> {
        let bad = |message: String| RedactError::Policy {
            path: path.to_path_buf(),
            message,
        };
        let text = std::fs::read_to_string(path).map_err(|e| bad(e.to_string()))?;
        let mut p: Policy = toml::from_str(&text).map_err(|e| bad(e.to_string()))?;
        p.path = path.to_path_buf();
        p.check().map_err(bad)?;
        Ok(p)
    }

    fn check(&self) -> std::result::Result<(), String> {
        self.default.check()?;
        for (e, op) in &self.entities {
            op.check().map_err(|m| format!("entities.{e}: {m}"))?;
            if !EntityType::BUILTIN.iter().any(|b| b.as_str() == e) && e != &e.to_uppercase() {
                return Err(format!(
                    "entities.{e}: entity types are upper case (PERSON, EMAIL_ADDRESS, …)"
                ));
            }
        }
        if let Some(s) = self.min_score
            && !(0.0..=1.0).contains(&s)
        {
            return Err(format!("min_score must be in [0, 1], got {s}"));
        }
        for (c, p) in &self.columns {
            let takes_entity = matches!(
                p.action,
                ColumnAction::Entity | ColumnAction::Hash | ColumnAction::Encrypt
            );
            if p.entity.is_some() && !takes_entity {
                return Err(format!(
                    "columns.{c}: `entity` only goes with action = \"entity\", \"hash\" or \"encrypt\""
                ));
            }
            match (&p.generalize, p.action) {
                (None, ColumnAction::Generalize) => {
                    return Err(format!(
                        "columns.{c}: action = \"generalize\" needs a [columns.{c}.generalize] rule (bin_width, date or keep_prefix)"
                    ));
                }
                (Some(_), a) if a != ColumnAction::Generalize => {
                    return Err(format!(
                        "columns.{c}: a generalize rule only goes with action = \"generalize\""
                    ));
                }
                (Some(g), _) => g
                    .check()
                    .map_err(|m| format!("columns.{c}.generalize: {m}"))?,
                _ => {}
            }
        }
        if let Some(q) = &self.quarantine {
            if q.entities.is_empty() {
                return Err("quarantine.entities is empty".into());
            }
            if !(0.0..=1.0).contains(&q.min_score) {
                return Err(format!(
                    "quarantine.min_score must be in [0, 1], got {}",
                    q.min_score
                ));
            }
        }
        Ok(())
    }

    /// The operator for `entity`.
    pub fn operator(&self, entity: &EntityType) -> &Operator {
        self.entities.get(entity.as_str()).unwrap_or(&self.default)
    }

    /// Whether any operator needs a key.
    pub fn needs_key(&self) -> bool {
        self.default.keyed()
            || self.entities.values().any(Operator::keyed)
            || self
                .columns
                .values()
                .any(|c| c.action.cell_operator().is_some())
    }

    /// Whether a finding of `entity` with `score` sends its record to quarantine.
    pub fn quarantines(&self, entity: &EntityType, score: f32) -> bool {
        self.quarantine.as_ref().is_some_and(|q| {
            score >= q.min_score
                && q.entities.iter().any(|e| {
                    e == entity.as_str() || (e == "secrets" && entity.family() == Family::Secret)
                })
        })
    }

    /// SHA-256 of the policy's canonical JSON form (formatting and comments do not change it).
    pub fn sha256(&self) -> String {
        let json = serde_json::to_string(self).unwrap_or_default();
        crate::keys::hex(&Sha256::digest(json.as_bytes()))
    }
}
