//! DP aggregation through the public Rust API: a program builds a query,
//! feeds Arrow record batches and gets the release with its accounting.

use arrow_array::{ArrayRef, Float64Array, Int64Array, RecordBatch, StringArray};
use proptest::prelude::*;
use std::sync::Arc;
use veil_dp::aggregate::{self, Metric, Query, QuerySpec};
use veil_dp::{DpError, PrivacyRng};

fn batch(units: Vec<i64>, parts: Vec<&str>, values: Vec<f64>) -> RecordBatch {
    RecordBatch::try_from_iter(vec![
        ("user", Arc::new(Int64Array::from(units)) as ArrayRef),
        ("region", Arc::new(StringArray::from(parts)) as ArrayRef),
        ("amount", Arc::new(Float64Array::from(values)) as ArrayRef),
    ])
    .unwrap()
}

fn spec(metrics: Vec<Metric>, epsilon: f64) -> QuerySpec {
    QuerySpec {
        privacy_unit: "user".into(),
        partition_by: vec!["region".into()],
        value: Some("amount".into()),
        metrics,
        bounds: Some((0.0, 10.0)),
        max_partitions: 1,
        max_rows_per_partition: 2,
        epsilon,
        delta: 1e-6,
        public_partitions: None,
    }
}

/// 3,000 users in "a" (4 rows each, value 4.0) and 2,000 in "b" (1 row, value 8.0).
fn data() -> Vec<RecordBatch> {
    let mut out = Vec::new();
    let (mut u, mut p, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..3000 {
        for _ in 0..4 {
            u.push(i);
            p.push("a");
            v.push(4.0);
        }
    }
    out.push(batch(u, p, v));
    let (mut u, mut p, mut v) = (Vec::new(), Vec::new(), Vec::new());
    for i in 3000..5000 {
        u.push(i);
        p.push("b");
        v.push(8.0);
    }
    out.push(batch(u, p, v));
    out
}

#[test]
fn a_program_gets_bounded_noisy_aggregates_with_their_accounting() {
    let batches = data();
    let mut rng = PrivacyRng::insecure_from_seed(42);
    let s = spec(
        vec![
            Metric::Count,
            Metric::PrivacyIdCount,
            Metric::Sum,
            Metric::Mean,
            Metric::Variance,
            Metric::Quantiles(vec![0.5]),
        ],
        20.0,
    );
    let r = aggregate::run(s, &batches, &mut rng).unwrap();
    assert!(!r.private, "a seeded release must say it is not private");
    assert_eq!(r.partitions.len(), 2);
    let a = &r.partitions[0];
    assert_eq!(a.key, vec!["a".to_string()]);
    let get = |p: &aggregate::ReleasedPartition, c: &str| {
        p.cells.iter().find(|x| x.column == c).unwrap().clone()
    };
    // Contribution bounding: 2 rows per user kept, not 4.
    let count = get(a, "count");
    assert!((count.value - 6000.0).abs() < 60.0, "{}", count.value);
    let (lo, hi) = count.ci95.unwrap();
    assert!(lo < count.value && count.value < hi);
    assert!((get(a, "count_distinct").value - 3000.0).abs() < 30.0);
    assert!((get(a, "sum").value - 24_000.0).abs() < 600.0);
    assert!((get(a, "mean").value - 4.0).abs() < 0.1);
    assert!(get(a, "variance").value < 0.2);
    assert!((get(a, "p50").value - 4.0).abs() < 0.1);
    let b = &r.partitions[1];
    assert!((get(b, "mean").value - 8.0).abs() < 0.1);
    // Accounting: the parts add up to the requested ε, δ goes to selection.
    assert!((r.epsilon - 20.0).abs() < 1e-6 && r.epsilon <= 20.0);
    assert_eq!(r.delta, 1e-6);
    assert_eq!(r.parts[0].purpose, "partition_selection");
    assert!(r.unit_of_privacy.contains("user"));
    assert_eq!(r.diagnostics.rows_read, 14_000);
    assert_eq!(r.diagnostics.rows_dropped_by_bounding, 6_000);
}

#[test]
fn small_partitions_are_not_released_without_public_keys() {
    let mut batches = data();
    batches.push(batch(vec![9_999], vec!["rare"], vec![1.0]));
    let mut rng = PrivacyRng::insecure_from_seed(1);
    let r = aggregate::run(spec(vec![Metric::Count], 1.0), &batches, &mut rng).unwrap();
    assert!(r.partitions.iter().all(|p| p.key[0] != "rare"));
    assert!(r.selection_threshold.unwrap() > 10);
}

#[test]
fn public_partitions_are_all_released_and_others_ignored() {
    let batches = data();
    let mut s = spec(vec![Metric::Count], 1.0);
    s.public_partitions = Some(vec!["a".into(), "empty".into()]);
    s.delta = 0.0;
    let mut rng = PrivacyRng::insecure_from_seed(2);
    let r = aggregate::run(s, &batches, &mut rng).unwrap();
    let keys: Vec<_> = r.partitions.iter().map(|p| p.key[0].clone()).collect();
    assert_eq!(keys, vec!["a", "empty"]);
    assert_eq!(r.delta, 0.0);
    assert_eq!(r.diagnostics.rows_outside_public_partitions, 2000);
    assert!(r.parts.iter().all(|p| p.purpose != "partition_selection"));
}

#[test]
fn bad_queries_are_refused_with_clear_errors() {
    let e = |s: QuerySpec| {
        Query::new(s)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default()
    };
    assert!(e(spec(vec![Metric::Count], 0.0)).contains("epsilon"));
    assert!(e(spec(vec![Metric::Count], f64::INFINITY)).contains("epsilon"));
    let mut s = spec(vec![Metric::Count], 1.0);
    s.delta = 1.0;
    assert!(e(s).contains("delta"));
    let mut s = spec(vec![Metric::Count], 1.0);
    s.delta = -0.1;
    assert!(e(s).contains("delta"));
    let mut s = spec(vec![Metric::Sum], 1.0);
    s.bounds = Some((5.0, 1.0));
    assert!(e(s).contains("greater than upper"));
    let mut s = spec(vec![Metric::Mean], 1.0);
    s.bounds = None;
    assert!(e(s).contains("bounds"));
    assert!(e(spec(vec![Metric::Quantiles(vec![1.5])], 1.0)).contains("quantiles"));

    // A missing privacy-unit column, and a value that is not a number, name the column and row.
    let mut s = spec(vec![Metric::Count], 1.0);
    s.privacy_unit = "person".into();
    let mut q = Query::new(s).unwrap();
    let err = q.push(&data()[0]).unwrap_err();
    assert!(matches!(err, DpError::Column { .. }) && err.to_string().contains("person"));
    let bad = RecordBatch::try_from_iter(vec![
        ("user", Arc::new(Int64Array::from(vec![1, 2])) as ArrayRef),
        (
            "region",
            Arc::new(StringArray::from(vec!["a", "a"])) as ArrayRef,
        ),
        (
            "amount",
            Arc::new(StringArray::from(vec!["1.5", "lots"])) as ArrayRef,
        ),
    ])
    .unwrap();
    let mut q = Query::new(spec(vec![Metric::Sum], 1.0)).unwrap();
    let err = q.push(&bad).unwrap_err().to_string();
    assert!(
        err.contains("row 2") && err.contains("amount") && !err.contains("lots"),
        "{err}"
    );
}

/// Empirical privacy: on neighbouring datasets (one user removed) the
/// frequencies of each released COUNT value differ by at most e^ε, up to
/// sampling error (a 4-sigma margin on each bin's log-ratio).
#[test]
fn neighbouring_datasets_give_output_frequencies_within_e_to_the_epsilon() {
    let eps = 1.0;
    let make = |n: i64| {
        vec![batch(
            (0..n).collect(),
            vec!["a"; n as usize],
            vec![1.0; n as usize],
        )]
    };
    let with = make(20);
    let without = make(19);
    let runs = 20_000;
    let mut rng = PrivacyRng::insecure_from_seed(77);
    let mut hist = |batches: &Vec<RecordBatch>| {
        let mut h = std::collections::BTreeMap::<i64, u32>::new();
        for _ in 0..runs {
            let mut s = spec(vec![Metric::Count], eps);
            s.public_partitions = Some(vec!["a".into()]);
            s.delta = 0.0;
            s.max_rows_per_partition = 1;
            let r = aggregate::run(s, batches, &mut rng).unwrap();
            *h.entry(r.partitions[0].cells[0].value as i64).or_default() += 1;
        }
        h
    };
    let h1 = hist(&with);
    let h0 = hist(&without);
    let mut checked = 0;
    for (k, &c1) in &h1 {
        let c0 = *h0.get(k).unwrap_or(&0);
        if c1 < 400 || c0 < 400 {
            continue;
        }
        let log_ratio = (c1 as f64 / c0 as f64).ln().abs();
        let margin = 4.0 * (1.0 / c1 as f64 + 1.0 / c0 as f64).sqrt();
        assert!(
            log_ratio <= eps + margin,
            "value {k}: ratio e^{log_ratio:.3} > e^{eps}"
        );
        checked += 1;
    }
    assert!(checked >= 3, "too few well-populated bins ({checked})");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]
    /// Contribution bounding: whatever the data, with a huge ε the released
    /// COUNT of each public partition never exceeds units × max_rows, and the
    /// rows dropped plus the rows kept equal the rows read.
    #[test]
    fn bounding_caps_every_unit(rows in proptest::collection::vec((0i64..6, 0usize..3, 0.0f64..5.0), 1..200),
                                max_p in 1u64..3, max_r in 1u64..4) {
        let names = ["x", "y", "z"];
        let b = batch(rows.iter().map(|r| r.0).collect(), rows.iter().map(|r| names[r.1]).collect(), rows.iter().map(|r| r.2).collect());
        let mut s = spec(vec![Metric::Count, Metric::PrivacyIdCount], 200.0);
        s.public_partitions = Some(names.iter().map(|n| n.to_string()).collect());
        s.delta = 0.0;
        s.max_partitions = max_p;
        s.max_rows_per_partition = max_r;
        let mut rng = PrivacyRng::insecure_from_seed(5);
        let r = aggregate::run(s, [&b], &mut rng).unwrap();
        let mut kept = 0.0;
        for p in &r.partitions {
            let count = p.cells[0].value;
            let units = p.cells[1].value;
            prop_assert!(count <= units * max_r as f64 + 0.5);
            kept += count;
        }
        prop_assert!((kept + r.diagnostics.rows_dropped_by_bounding as f64 - rows.len() as f64).abs() < 0.5);
    }
}

/// Integer unit ids (dense or sparse) and their text are the same unit, even
/// when batches switch from integer to text columns.
#[test]
fn unit_ids_group_the_same_whatever_their_encoding() {
    let count_of = |batches: Vec<RecordBatch>| {
        let mut s = spec(vec![Metric::Count, Metric::PrivacyIdCount], 200.0);
        s.public_partitions = Some(vec!["a".into()]);
        s.delta = 0.0;
        s.max_rows_per_partition = 1;
        let mut rng = PrivacyRng::insecure_from_seed(3);
        let r = aggregate::run(s, &batches, &mut rng).unwrap();
        (r.partitions[0].cells[0].value, r.diagnostics.units)
    };
    // Sparse integer ids take the hashing path; two rows of unit 10^12 count once.
    let sparse = batch(
        vec![1_000_000_000_000, 5, 1_000_000_000_000],
        vec!["a"; 3],
        vec![1.0; 3],
    );
    assert_eq!(count_of(vec![sparse]), (2.0, 2));
    // Integer 7 then text "7": one unit.
    let ints = batch(vec![7], vec!["a"], vec![1.0]);
    let text = RecordBatch::try_from_iter(vec![
        (
            "user",
            Arc::new(StringArray::from(vec!["7", "8"])) as ArrayRef,
        ),
        (
            "region",
            Arc::new(StringArray::from(vec!["a", "a"])) as ArrayRef,
        ),
        (
            "amount",
            Arc::new(Float64Array::from(vec![1.0, 1.0])) as ArrayRef,
        ),
    ])
    .unwrap();
    assert_eq!(count_of(vec![ints, text]), (2.0, 2));
}
