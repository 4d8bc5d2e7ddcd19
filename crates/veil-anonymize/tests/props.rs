//! Risk figures and the search checked against brute force on small random
//! tables.

use proptest::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use veil_anonymize::hierarchy::{Hierarchy, HierarchySpec};
use veil_anonymize::risk::{classes, diversity, risk};
use veil_anonymize::search::{LKind, PrivacyModel, Problem, Sensitive, full_domain};

fn brute_sizes(rows: &[Vec<u32>]) -> Vec<u32> {
    // class size of each row by comparing with every row
    rows.iter()
        .map(|a| rows.iter().filter(|b| *b == a).count() as u32)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn risk_equals_brute_force(rows in prop::collection::vec(prop::collection::vec(0u32..3, 3), 1..60),
                               sens in prop::collection::vec(0u32..4, 60),
                               threshold in 0.05f64..0.9) {
        let n = rows.len();
        let cls = classes(rows.iter().map(|r| u64::from(r[0]) * 100 + u64::from(r[1]) * 10 + u64::from(r[2])));
        let f = risk(&cls.sizes, threshold);
        let per_row = brute_sizes(&rows);
        prop_assert_eq!(f.records, n);
        prop_assert_eq!(f.k, *per_row.iter().min().unwrap());
        prop_assert_eq!(f.unique_records, per_row.iter().filter(|&&s| s == 1).count());
        let avg_risk: f64 = per_row.iter().map(|&s| 1.0 / f64::from(s)).sum::<f64>() / n as f64;
        prop_assert!((f.prosecutor.average - avg_risk).abs() < 1e-12);
        prop_assert!((f.marketer - avg_risk).abs() < 1e-12);
        prop_assert!((f.prosecutor.highest - 1.0 / f64::from(f.k)).abs() < 1e-12);
        let at_risk = per_row.iter().filter(|&&s| 1.0 / f64::from(s) > threshold).count() as f64 / n as f64;
        prop_assert!((f.prosecutor.records_at_risk - at_risk).abs() < 1e-12);
        prop_assert_eq!(f.class_size_histogram.iter().map(|(s, c)| *s as usize * c).sum::<usize>(), n);

        // diversity by brute force: for each row, the sensitive values of its class
        let s = &sens[..n];
        let d = diversity("s", &cls, s, 4, false);
        let mut min_distinct = usize::MAX;
        let mut max_t: f64 = 0.0;
        let overall: Vec<f64> = (0..4).map(|v| s.iter().filter(|&&x| x == v).count() as f64 / n as f64).collect();
        for a in &rows {
            let members: Vec<u32> = rows.iter().zip(s).filter(|(b, _)| *b == a).map(|(_, v)| *v).collect();
            let mut dv = members.clone();
            dv.sort();
            dv.dedup();
            min_distinct = min_distinct.min(dv.len());
            let emd: f64 = 0.5 * (0..4).map(|v| (members.iter().filter(|&&x| x == v).count() as f64 / members.len() as f64 - overall[v as usize]).abs()).sum::<f64>();
            max_t = max_t.max(emd);
        }
        prop_assert_eq!(d.distinct_l, min_distinct);
        prop_assert!((d.t - max_t).abs() < 1e-12);
    }

    #[test]
    fn full_domain_search_finds_the_exhaustive_optimum(
        ages in prop::collection::vec(0u32..40, 8..80),
        cats in prop::collection::vec(0u32..4, 80),
        sens in prop::collection::vec(0u32..3, 80),
        k in 1u32..6,
        l in prop::option::of(1.0f64..3.0),
        limit in prop::sample::select(vec![0.0, 0.05, 0.2]),
    ) {
        let n = ages.len();
        let k = k.min(n as u32);
        let l = l.map(|l| l.floor().min(f64::from(k)).max(1.0));
        let age_vals: Vec<String> = (0..40).map(|a| (20 + a).to_string()).collect();
        let cat_vals: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let rows: Vec<u64> = (2..2 + 40).collect();
        let h_age = Hierarchy::build("age", &HierarchySpec::Interval { widths: vec![5.0, 10.0], origin: 0.0 }, &age_vals, &rows, Path::new("t")).unwrap();
        let mut tree = BTreeMap::new();
        for (v, p) in [("a", "ab"), ("b", "ab"), ("c", "cd"), ("d", "cd")] {
            tree.insert(v.to_string(), vec![p.to_string()]);
        }
        let h_cat = Hierarchy::build("cat", &HierarchySpec::Tree { values: tree }, &cat_vals, &rows[..4], Path::new("t")).unwrap();
        let p = Problem {
            hierarchies: vec![h_age, h_cat],
            codes: vec![ages.clone(), cats[..n].to_vec()],
            sensitive: Some(Sensitive { column: "s".into(), values: sens[..n].to_vec(), m: 3, ordered: false }),
        };
        let model = PrivacyModel { k, l: l.map(|l| (LKind::Distinct, l)), t: None, suppression_limit: limit };
        let found = full_domain(&p, &model);
        // exhaustive
        let mut best: Option<f64> = None;
        for a in 0..=3 {
            for c in 0..=2 {
                let e = p.evaluate(&[a, c], &model).unwrap();
                if e.anonymous {
                    let ncp = p.loss(&e, &model).ncp;
                    best = Some(best.map_or(ncp, |b: f64| b.min(ncp)));
                }
            }
        }
        match (found, best) {
            (Ok(sol), Some(b)) => {
                prop_assert!((sol.loss.ncp - b).abs() < 1e-12, "search {} vs exhaustive {}", sol.loss.ncp, b);
                prop_assert!(sol.eval.anonymous);
                // every kept class meets k and l
                for (c, &size) in sol.eval.classes.sizes.iter().enumerate() {
                    if sol.eval.class_kept[c] {
                        prop_assert!(size >= k);
                    }
                }
            }
            (Err(_), None) => {}
            (f, b) => prop_assert!(false, "search {:?} vs exhaustive {:?}", f.map(|s| s.loss.ncp), b),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn mondrian_partitions_cover_every_row_and_meet_k_and_l(
        ages in prop::collection::vec(0u32..40, 10..120),
        cats in prop::collection::vec(0u32..4, 120),
        sens in prop::collection::vec(0u32..3, 120),
        k in 1u32..8,
        l in prop::option::of(1.0f64..3.0),
    ) {
        let n = ages.len();
        let age_vals: Vec<String> = (0..40).map(|a| (20 + a).to_string()).collect();
        let cat_vals: Vec<String> = ["a", "b", "c", "d"].iter().map(|s| s.to_string()).collect();
        let rows: Vec<u64> = (2..42).collect();
        let h_age = Hierarchy::build("age", &HierarchySpec::Interval { widths: vec![5.0], origin: 0.0 }, &age_vals, &rows, Path::new("t")).unwrap();
        let mut tree = BTreeMap::new();
        for (v, p) in [("a", "ab"), ("b", "ab"), ("c", "cd"), ("d", "cd")] {
            tree.insert(v.to_string(), vec![p.to_string()]);
        }
        let h_cat = Hierarchy::build("cat", &HierarchySpec::Tree { values: tree }, &cat_vals, &rows[..4], Path::new("t")).unwrap();
        let p = Problem {
            hierarchies: vec![h_age, h_cat],
            codes: vec![ages.clone(), cats[..n].to_vec()],
            sensitive: Some(Sensitive { column: "s".into(), values: sens[..n].to_vec(), m: 3, ordered: false }),
        };
        let l = l.map(|l| l.floor());
        let model = PrivacyModel { k, l: l.map(|l| (LKind::Distinct, l)), t: None, suppression_limit: 0.0 };
        let numeric = vec![Some(age_vals.iter().map(|v| v.parse().unwrap()).collect()), None];
        match veil_anonymize::mondrian::mondrian(&p, &model, &numeric) {
            Ok(parts) => {
                prop_assert_eq!(parts.sizes.iter().map(|&s| s as usize).sum::<usize>(), n);
                for (i, &s) in parts.sizes.iter().enumerate() {
                    prop_assert!(s >= k);
                    prop_assert_eq!(parts.of_row.iter().filter(|&&c| c as usize == i).count(), s as usize);
                    if let Some(l) = l {
                        let mut vals: Vec<u32> = (0..n).filter(|&r| parts.of_row[r] as usize == i).map(|r| sens[r]).collect();
                        vals.sort();
                        vals.dedup();
                        prop_assert!(vals.len() as f64 >= l);
                    }
                    // every row's category is covered by its partition's release:
                    // the value, its parent, `*`, or a set naming it
                    for r in (0..n).filter(|&r| parts.of_row[r] as usize == i) {
                        let label = &parts.labels[i][1];
                        let v = ["a", "b", "c", "d"][cats[r] as usize];
                        let parent = if cats[r] < 2 { "ab" } else { "cd" };
                        let ok = match label.strip_prefix('{').and_then(|x| x.strip_suffix('}')) {
                            Some(set) => set.split(", ").any(|x| x == v) && set.split(", ").count() >= 2,
                            None => label == v || label == parent || label == "*",
                        };
                        prop_assert!(ok, "{} does not cover {}", label, v);
                    }
                    // every row's age lies inside its partition's released range
                    for r in (0..n).filter(|&r| parts.of_row[r] as usize == i) {
                        let label = &parts.labels[i][0];
                        let age = 20 + ages[r];
                        if let Some(range) = label.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
                            let (lo, hi) = range.split_once(", ").unwrap();
                            prop_assert!(lo.parse::<u32>().unwrap() <= age && age <= hi.parse::<u32>().unwrap());
                        } else {
                            prop_assert_eq!(label.parse::<u32>().unwrap(), age);
                        }
                    }
                }
            }
            Err(_) => {
                // only when the whole table fails the model
                let mut d: Vec<u32> = sens[..n].to_vec();
                d.sort();
                d.dedup();
                prop_assert!((n as u32) < k || l.is_some_and(|l| (d.len() as f64) < l));
            }
        }
    }
}
