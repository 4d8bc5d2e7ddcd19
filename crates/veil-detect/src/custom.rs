//! Custom recognizers, deny-lists and allow-lists from a TOML file, with no
//! code change:
//!
//! ```toml
//! [[recognizer]]
//! name = "employee_id"
//! entity = "EMPLOYEE_ID"
//! pattern = '\bEMP-\d{6}\b'
//! score = 0.4                 # without context
//! context = ["employee", "staff"]
//! context_score = 0.9         # with a context word nearby
//! validator = "luhn"          # optional, one of validators::NAMES
//! examples = ["employee EMP-123456"]     # must be found (checked at load)
//! negative_examples = ["EMP-12"]         # must not be found
//!
//! [[deny_list]]
//! entity = "PROJECT_CODENAME"
//! values = ["Bluebird", "Nightjar"]
//! score = 1.0
//!
//! [allow_list]
//! values = ["support@example.com"]
//! ```

use crate::pattern::PatternRecognizer;
use crate::{Candidate, Error};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::Deserialize;
use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use veil_core::EntityType;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    #[serde(default)]
    recognizer: Vec<RecognizerSpec>,
    #[serde(default)]
    deny_list: Vec<DenySpec>,
    #[serde(default)]
    allow_list: Option<AllowSpec>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RecognizerSpec {
    name: String,
    entity: String,
    pattern: String,
    #[serde(default = "default_score")]
    score: f32,
    #[serde(default)]
    context: Vec<String>,
    context_score: Option<f32>,
    validator: Option<String>,
    #[serde(default)]
    examples: Vec<String>,
    #[serde(default)]
    negative_examples: Vec<String>,
}

fn default_score() -> f32 {
    0.6
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DenySpec {
    entity: String,
    values: Vec<String>,
    #[serde(default = "one")]
    score: f32,
}

fn one() -> f32 {
    1.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AllowSpec {
    values: Vec<String>,
}

/// User-defined rules: extra recognizers, deny-lists (values always
/// reported) and an allow-list (values never reported).
#[derive(Clone, Default)]
pub struct CustomRules {
    recognizers: Vec<Arc<PatternRecognizer>>,
    deny_values: Vec<(String, EntityType, f32)>,
    deny: Option<AhoCorasick>,
    allow: HashSet<String>,
}

impl std::fmt::Debug for CustomRules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CustomRules")
            .field("recognizers", &self.recognizers.len())
            .field("deny_values", &self.deny_values.len())
            .field("allow", &self.allow.len())
            .finish()
    }
}

impl CustomRules {
    /// Load rules from a TOML file.
    pub fn load(path: &Path) -> Result<CustomRules, Error> {
        let src = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        let mut rules = CustomRules::default();
        rules.add_toml(&src, path)?;
        Ok(rules)
    }

    /// Add the rules in TOML source `src`; `path` names it in errors.
    pub fn add_toml(&mut self, src: &str, path: &Path) -> Result<(), Error> {
        let bad = |message: String| Error::BadConfig {
            path: path.to_path_buf(),
            message,
        };
        let spec: FileSpec = toml::from_str(src).map_err(|e| bad(e.to_string()))?;
        for r in spec.recognizer {
            let validator = match r.validator.as_deref() {
                None => None,
                Some(name) => Some(crate::validators::by_name(name).ok_or_else(|| {
                    bad(format!(
                        "recognizer `{}`: unknown validator `{name}` (known: {})",
                        r.name,
                        crate::validators::NAMES.join(", ")
                    ))
                })?),
            };
            if !(0.0..=1.0).contains(&r.score)
                || r.context_score.is_some_and(|s| !(0.0..=1.0).contains(&s))
            {
                return Err(bad(format!(
                    "recognizer `{}`: scores must lie in [0, 1]",
                    r.name
                )));
            }
            let ctx: Vec<&str> = r.context.iter().map(String::as_str).collect();
            let rec = PatternRecognizer::new(
                &r.name,
                EntityType::new(&r.entity),
                &r.pattern,
                r.score,
                r.context_score.unwrap_or(r.score),
                validator,
                &ctx,
            )
            .map_err(|e| bad(e.to_string()))?;
            for ex in &r.examples {
                let mut out = Vec::new();
                rec.analyze(ex, &mut out);
                if out.is_empty() {
                    return Err(bad(format!(
                        "recognizer `{}`: example #{} is not matched",
                        r.name,
                        r.examples.iter().position(|e| e == ex).unwrap_or(0) + 1
                    )));
                }
            }
            for (i, ex) in r.negative_examples.iter().enumerate() {
                let mut out = Vec::new();
                rec.analyze(ex, &mut out);
                if !out.is_empty() {
                    return Err(bad(format!(
                        "recognizer `{}`: negative example #{} is matched",
                        r.name,
                        i + 1
                    )));
                }
            }
            self.recognizers.push(Arc::new(rec));
        }
        for d in spec.deny_list {
            self.add_deny(EntityType::new(&d.entity), d.values, d.score);
        }
        if let Some(a) = spec.allow_list {
            self.add_allow(a.values);
        }
        Ok(())
    }

    /// The entity types these rules report (their recognizers' and
    /// deny-lists'), each once.
    pub fn entity_types(&self) -> Vec<EntityType> {
        let mut types: Vec<EntityType> = self
            .recognizers
            .iter()
            .map(|r| r.entity.clone())
            .chain(self.deny_values.iter().map(|(_, e, _)| e.clone()))
            .collect();
        types.sort();
        types.dedup();
        types
    }

    /// Values always reported as `entity` (matched case-insensitively at word boundaries).
    pub fn add_deny(
        &mut self,
        entity: EntityType,
        values: impl IntoIterator<Item = String>,
        score: f32,
    ) {
        for v in values {
            let v = v.trim().to_string();
            if !v.is_empty() {
                self.deny_values.push((v, entity.clone(), score));
            }
        }
        self.deny = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::LeftmostLongest)
            .build(self.deny_values.iter().map(|(v, _, _)| v.as_str()))
            .ok();
    }

    /// Values never reported (compared case-insensitively, trimmed).
    pub fn add_allow(&mut self, values: impl IntoIterator<Item = String>) {
        self.allow.extend(
            values
                .into_iter()
                .map(|v| v.trim().to_lowercase())
                .filter(|v| !v.is_empty()),
        );
    }

    /// Whether `value` is allow-listed.
    pub fn allowed(&self, value: &str) -> bool {
        !self.allow.is_empty() && self.allow.contains(&value.trim().to_lowercase())
    }

    /// Append candidates from custom recognizers and deny-lists.
    pub fn analyze(&self, text: &str, out: &mut Vec<Candidate>) {
        if !self.recognizers.is_empty() {
            let lowered = crate::context::ascii_lowered(text);
            let none = crate::context::Occurrences::none();
            for r in &self.recognizers {
                r.analyze_window(text, &lowered, &none, (0, text.len()), out);
            }
        }
        if let Some(ac) = &self.deny {
            let b = text.as_bytes();
            for m in ac.find_iter(text) {
                let before_ok = m.start() == 0 || !b[m.start() - 1].is_ascii_alphanumeric();
                let after_ok = m.end() == b.len() || !b[m.end()].is_ascii_alphanumeric();
                if before_ok && after_ok {
                    let (_, e, s) = &self.deny_values[m.pattern().as_usize()];
                    out.push(Candidate {
                        entity: e.clone(),
                        start: m.start(),
                        end: m.end(),
                        score: *s,
                        recognizer: "deny_list",
                    });
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loads_and_checks_examples() {
        let src = r#"
[[recognizer]]
name = "employee_id"
entity = "employee_id"
pattern = '\bEMP-\d{6}\b'
score = 0.4
context = ["employee"]
context_score = 0.9
examples = ["employee EMP-123456"]
negative_examples = ["EMP-12"]

[[deny_list]]
entity = "CODENAME"
values = ["Bluebird"]

[allow_list]
values = ["support@example.com"]
"#;
        let mut r = CustomRules::default();
        r.add_toml(src, Path::new("c.toml")).unwrap();
        let mut out = Vec::new();
        r.analyze("employee EMP-123456 on bluebird, not bluebirds", &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].entity.as_str(), "EMPLOYEE_ID");
        assert_eq!(out[0].score, 0.9);
        assert_eq!(out[1].entity.as_str(), "CODENAME");
        assert!(r.allowed(" Support@Example.com"));
    }

    #[test]
    fn bad_files_name_the_problem() {
        let mut r = CustomRules::default();
        let e = r
            .add_toml(
                "[[recognizer]]\nname='x'\nentity='X'\npattern='('\n",
                Path::new("c.toml"),
            )
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with("c.toml: recognizer `x`: invalid pattern"),
            "{e}"
        );
        let e = r
            .add_toml(
                "[[recognizer]]\nname='x'\nentity='X'\npattern='a'\nvalidator='nope'\n",
                Path::new("c.toml"),
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("unknown validator `nope`"), "{e}");
        let e = r
            .add_toml(
                "[[recognizer]]\nname='x'\nentity='X'\npattern='a\\d'\nexamples=['bbb']\n",
                Path::new("c.toml"),
            )
            .unwrap_err()
            .to_string();
        assert!(e.contains("example #1 is not matched"), "{e}");
    }
}
