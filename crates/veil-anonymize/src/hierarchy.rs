//! Generalisation hierarchies: for one quasi-identifier, a chain of levels
//! from the original values (level 0) to full suppression `*` (the top).
//! Kinds: numeric intervals of fixed widths, numeric breakpoints, dates
//! truncated to month and year, string prefixes masked from the right,
//! category trees (ARX's hierarchy tables), and plain suppression.

use crate::error::{AnonymizeError, Result};
use rustc_hash::FxHashMap;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The label of the top level of every hierarchy.
pub const SUPPRESSED: &str = "*";

/// A hierarchy as written in the configuration (`[hierarchy.COLUMN]`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum HierarchySpec {
    /// Level i groups numbers into intervals `[lo, lo + widths[i-1])` anchored at `origin`.
    Interval {
        /// Interval width per level (increasing).
        widths: Vec<f64>,
        /// Anchor of the intervals.
        #[serde(default)]
        origin: f64,
    },
    /// Level i groups numbers between consecutive breakpoints of `levels[i-1]`.
    Breakpoints {
        /// Sorted breakpoints per level; every value must fall inside each list's range.
        levels: Vec<Vec<f64>>,
    },
    /// Dates (`YYYY-MM-DD…`) truncated per level.
    Date {
        /// `month` and/or `year`, finest first.
        levels: Vec<DateLevel>,
    },
    /// Level i masks the last i characters with `*` (postcodes, phone prefixes).
    Prefix {
        /// Number of masking levels.
        levels: usize,
    },
    /// Only the value itself or `*`.
    Suppress,
    /// A category tree: each value and its ancestors, finest first (`*` may end the list).
    Tree {
        /// value → [level 1, level 2, …].
        values: BTreeMap<String, Vec<String>>,
    },
}

/// Date truncation levels.
#[derive(Clone, Copy, Debug, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum DateLevel {
    /// `YYYY-MM`.
    Month,
    /// `YYYY`.
    Year,
}

/// One level of a built hierarchy.
#[derive(Clone, Debug)]
pub struct Level {
    /// Generalised labels, indexed by label id.
    pub labels: Vec<String>,
    /// Original value id → label id.
    pub map: Vec<u32>,
    /// Normalised certainty penalty of each label, in [0, 1].
    pub loss: Vec<f64>,
}

/// A hierarchy built over the distinct values of a column.
#[derive(Clone, Debug)]
pub struct Hierarchy {
    /// The column.
    pub column: String,
    /// Levels, from the original values (0) to `*` (the last).
    pub levels: Vec<Level>,
}

impl Hierarchy {
    /// Number of generalisation steps (levels − 1).
    pub fn height(&self) -> usize {
        self.levels.len() - 1
    }

    /// Builds the hierarchy over `values` (distinct, id order); `first_row[i]`
    /// is where value i first occurs in `path`, for errors.
    pub fn build(
        column: &str,
        spec: &HierarchySpec,
        values: &[String],
        first_row: &[u64],
        path: &Path,
    ) -> Result<Hierarchy> {
        let err = |i: usize, message: String| AnonymizeError::Hierarchy {
            path: path.to_path_buf(),
            row: first_row[i],
            column: column.to_string(),
            message,
        };
        let numeric = matches!(
            spec,
            HierarchySpec::Interval { .. } | HierarchySpec::Breakpoints { .. }
        );
        let nums: Vec<f64> = if numeric {
            values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    v.trim()
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite())
                        .ok_or_else(|| err(i, format!("value `{v}` is not a finite number")))
                })
                .collect::<Result<_>>()?
        } else {
            Vec::new()
        };
        // labels[level][value]
        let steps: usize = match spec {
            HierarchySpec::Interval { widths, .. } => widths.len(),
            HierarchySpec::Breakpoints { levels } => levels.len(),
            HierarchySpec::Date { levels } => levels.len(),
            HierarchySpec::Prefix { levels } => *levels,
            HierarchySpec::Suppress => 0,
            HierarchySpec::Tree { values: t } => t.values().next().map_or(0, |v| {
                v.len() - usize::from(v.last().is_some_and(|s| s == SUPPRESSED))
            }),
        };
        let mut labels: Vec<Vec<String>> = vec![values.to_vec()];
        for level in 1..=steps {
            let mut col = Vec::with_capacity(values.len());
            for (i, v) in values.iter().enumerate() {
                col.push(generalise(spec, v, nums.get(i).copied(), level).map_err(|m| err(i, m))?);
            }
            labels.push(col);
        }
        labels.push(vec![SUPPRESSED.to_string(); values.len()]);
        // a tree: equal labels at one level have equal parents
        for pair in labels[1..].windows(2) {
            let (child, up) = (&pair[0], &pair[1]);
            let mut parent: FxHashMap<&str, &str> = FxHashMap::default();
            for (i, (c, u)) in child.iter().zip(up).enumerate() {
                let p = parent.entry(c).or_insert(u);
                if *p != u {
                    return Err(err(
                        i,
                        format!("hierarchy is not a tree: `{c}` has two parents (`{p}` and `{u}`)"),
                    ));
                }
            }
        }
        let (lo, hi) = nums
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        let range = if numeric && hi > lo { hi - lo } else { 0.0 };
        let levels = labels
            .into_iter()
            .map(|col| build_level(&col, &nums, numeric, range, values.len()))
            .collect();
        Ok(Hierarchy {
            column: column.to_string(),
            levels,
        })
    }
}

fn build_level(col: &[String], nums: &[f64], numeric: bool, range: f64, distinct: usize) -> Level {
    let mut ids: FxHashMap<&str, u32> = FxHashMap::default();
    let mut labels = Vec::new();
    let mut map = Vec::with_capacity(col.len());
    for s in col {
        let next = labels.len() as u32;
        let id = *ids.entry(s).or_insert_with(|| {
            labels.push(s.clone());
            next
        });
        map.push(id);
    }
    let mut count = vec![0usize; labels.len()];
    let mut min = vec![f64::INFINITY; labels.len()];
    let mut max = vec![f64::NEG_INFINITY; labels.len()];
    for (i, &g) in map.iter().enumerate() {
        count[g as usize] += 1;
        if numeric {
            min[g as usize] = min[g as usize].min(nums[i]);
            max[g as usize] = max[g as usize].max(nums[i]);
        }
    }
    let loss = (0..labels.len())
        .map(|g| {
            if labels[g] == SUPPRESSED && count[g] == distinct {
                1.0
            } else if numeric {
                if range > 0.0 {
                    (max[g] - min[g]) / range
                } else {
                    0.0
                }
            } else if distinct > 1 {
                (count[g] - 1) as f64 / (distinct - 1) as f64
            } else {
                0.0
            }
        })
        .collect();
    Level { labels, map, loss }
}

/// Formats a number without a trailing `.0` (as the labels of numeric generalisations show it).
pub(crate) fn num(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The label of `value` at `level` (≥ 1, below the top).
fn generalise(
    spec: &HierarchySpec,
    value: &str,
    x: Option<f64>,
    level: usize,
) -> std::result::Result<String, String> {
    match spec {
        HierarchySpec::Interval { widths, origin } => {
            let (x, w) = (x.unwrap_or_default(), widths[level - 1]);
            let lo = origin + ((x - origin) / w).floor() * w;
            Ok(format!("[{}, {})", num(lo), num(lo + w)))
        }
        HierarchySpec::Breakpoints { levels } => {
            let x = x.unwrap_or_default();
            let b = &levels[level - 1];
            b.windows(2)
                .find(|w| w[0] <= x && x < w[1])
                .map(|w| format!("[{}, {})", num(w[0]), num(w[1])))
                .ok_or_else(|| {
                    format!("value `{value}` lies outside the level-{level} breakpoints")
                })
        }
        HierarchySpec::Date { levels } => {
            let ok = value.len() >= 10
                && value.is_char_boundary(10)
                && value[..10].bytes().enumerate().all(|(i, b)| {
                    if i == 4 || i == 7 {
                        b == b'-'
                    } else {
                        b.is_ascii_digit()
                    }
                });
            if !ok {
                return Err(format!("value `{value}` is not a date (YYYY-MM-DD)"));
            }
            Ok(match levels[level - 1] {
                DateLevel::Month => value[..7].to_string(),
                DateLevel::Year => value[..4].to_string(),
            })
        }
        HierarchySpec::Prefix { .. } => {
            let chars: Vec<char> = value.chars().collect();
            let keep = chars.len().saturating_sub(level);
            Ok(chars[..keep].iter().collect::<String>() + &"*".repeat(chars.len() - keep))
        }
        HierarchySpec::Suppress => Ok(SUPPRESSED.to_string()),
        HierarchySpec::Tree { values } => values
            .get(value)
            .map(|anc| anc[level - 1].clone())
            .ok_or_else(|| format!("value `{value}` is not in the hierarchy")),
    }
}

/// Checks a hierarchy spec on its own (before any data is read).
pub fn validate(column: &str, spec: &HierarchySpec) -> std::result::Result<(), String> {
    let increasing =
        |v: &[f64]| v.windows(2).all(|w| w[0] < w[1]) && v.iter().all(|x| x.is_finite());
    match spec {
        HierarchySpec::Interval { widths, origin } => {
            if widths.is_empty()
                || !widths.iter().all(|w| *w > 0.0)
                || !increasing(widths)
                || !origin.is_finite()
            {
                return Err(format!(
                    "hierarchy `{column}`: widths must be positive and increasing"
                ));
            }
        }
        HierarchySpec::Breakpoints { levels } => {
            if levels.is_empty() || levels.iter().any(|b| b.len() < 2 || !increasing(b)) {
                return Err(format!(
                    "hierarchy `{column}`: each breakpoint level needs at least two increasing numbers"
                ));
            }
        }
        HierarchySpec::Date { levels } => {
            if levels.is_empty()
                || levels
                    .windows(2)
                    .any(|w| w[0] == w[1] || w[0] == DateLevel::Year)
            {
                return Err(format!(
                    "hierarchy `{column}`: date levels are \"month\" and/or \"year\", finest first"
                ));
            }
        }
        HierarchySpec::Prefix { levels } => {
            if *levels == 0 {
                return Err(format!("hierarchy `{column}`: prefix needs levels >= 1"));
            }
        }
        HierarchySpec::Suppress => {}
        HierarchySpec::Tree { values } => {
            let Some(first) = values.values().next() else {
                return Err(format!("hierarchy `{column}`: empty tree"));
            };
            if first.is_empty() || values.values().any(|v| v.len() != first.len()) {
                return Err(format!(
                    "hierarchy `{column}`: every value needs the same number of ancestors"
                ));
            }
            let top_star = first.last().is_some_and(|s| s == SUPPRESSED);
            if values
                .values()
                .any(|v| (v.last().is_some_and(|s| s == SUPPRESSED)) != top_star)
            {
                return Err(format!(
                    "hierarchy `{column}`: `*` must end every list or none"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(spec: &HierarchySpec, vals: &[&str]) -> Result<Hierarchy> {
        let v: Vec<String> = vals.iter().map(|s| s.to_string()).collect();
        let rows: Vec<u64> = (2..2 + v.len() as u64).collect();
        Hierarchy::build("c", spec, &v, &rows, Path::new("t.csv"))
    }

    #[test]
    fn intervals_dates_prefixes_and_trees() {
        let h = build(
            &HierarchySpec::Interval {
                widths: vec![5.0, 10.0],
                origin: 0.0,
            },
            &["17", "23", "90"],
        )
        .unwrap();
        assert_eq!(h.height(), 3);
        assert_eq!(h.levels[1].labels, ["[15, 20)", "[20, 25)", "[90, 95)"]);
        assert_eq!(h.levels[3].labels, ["*"]);
        assert_eq!(h.levels[3].loss, [1.0]);
        let d = build(
            &HierarchySpec::Date {
                levels: vec![DateLevel::Month, DateLevel::Year],
            },
            &["2024-03-09", "2024-03-30", "2023-12-01"],
        )
        .unwrap();
        assert_eq!(d.levels[1].labels, ["2024-03", "2023-12"]);
        assert_eq!(d.levels[2].labels, ["2024", "2023"]);
        let p = build(&HierarchySpec::Prefix { levels: 2 }, &["02139", "02142"]).unwrap();
        assert_eq!(p.levels[1].labels, ["0213*", "0214*"]);
        assert_eq!(p.levels[2].labels, ["021**"]);
        let mut t = BTreeMap::new();
        t.insert("a".to_string(), vec!["ab".to_string(), "*".to_string()]);
        t.insert("b".to_string(), vec!["ab".to_string(), "*".to_string()]);
        t.insert("c".to_string(), vec!["c".to_string(), "*".to_string()]);
        let tree = HierarchySpec::Tree { values: t };
        let h = build(&tree, &["a", "b", "c"]).unwrap();
        assert_eq!(h.height(), 2);
        assert_eq!(h.levels[1].loss, [0.5, 0.0]);
        let e = build(&tree, &["a", "zz"]).unwrap_err().to_string();
        assert!(
            e.contains("row 3, column `c`: value `zz` is not in the hierarchy"),
            "{e}"
        );
    }

    #[test]
    fn non_trees_and_bad_numbers_are_refused() {
        let e = build(
            &HierarchySpec::Interval {
                widths: vec![5.0],
                origin: 0.0,
            },
            &["1", "x"],
        )
        .unwrap_err();
        assert!(e.to_string().contains("`x` is not a finite number"));
        let b = HierarchySpec::Breakpoints {
            levels: vec![vec![0.0, 10.0]],
        };
        assert!(
            build(&b, &["11"])
                .unwrap_err()
                .to_string()
                .contains("outside")
        );
        let mut t = BTreeMap::new();
        t.insert("a".to_string(), vec!["x".to_string(), "p".to_string()]);
        t.insert("b".to_string(), vec!["x".to_string(), "q".to_string()]);
        let e = build(&HierarchySpec::Tree { values: t }, &["a", "b"])
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a tree"), "{e}");
    }
}
