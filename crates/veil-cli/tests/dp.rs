//! End-to-end tests of `veil dp`: accountants on the command line, DP
//! queries debited against the ledger, refusals, bad input, kill safety.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn veil() -> Command {
    Command::cargo_bin("veil").expect("binary built")
}

fn purchases(dir: &Path) -> PathBuf {
    let mut s = String::from("customer_id,region,amount\n");
    for i in 0..3000 {
        let region = ["north", "south", "east"][i % 3];
        for k in 0..3 {
            s.push_str(&format!("c{i},{region},{}.5\n", (i + k) % 40));
        }
    }
    let p = dir.join("purchases.csv");
    std::fs::write(&p, s).unwrap();
    p
}

fn init(ledger: &Path, data: &Path, eps: &str) {
    veil()
        .args([
            "dp",
            "budget",
            "init",
            "--epsilon",
            eps,
            "--delta",
            "1e-6",
            "--ledger",
        ])
        .arg(ledger)
        .arg(data)
        .assert()
        .success();
}

fn query(ledger: &Path, data: &Path, eps: &str) -> Command {
    query_with(ledger, data, eps, "1e-7", "0")
}

fn query_with(ledger: &Path, data: &Path, eps: &str, delta: &str, lower: &str) -> Command {
    let mut c = veil();
    c.args([
        "dp",
        "query",
        "--privacy-unit",
        "customer_id",
        "--by",
        "region",
    ])
    .args([
        "--metrics",
        "count,sum,mean",
        "--value",
        "amount",
        "--lower",
        lower,
        "--upper",
        "50",
    ])
    .args(["--epsilon", eps, "--delta", delta, "--ledger"])
    .arg(ledger)
    .arg(data);
    c
}

#[test]
fn epsilon_prints_json_matching_the_reference() {
    let out = veil()
        .args([
            "dp",
            "epsilon",
            "--sampling-rate",
            "0.01",
            "--noise-multiplier",
            "1",
        ])
        .args([
            "--steps",
            "1000",
            "--delta",
            "1e-5",
            "--accountant",
            "pld",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    // dp-accounting 0.6.0 (fixture in veil-dp): 1.8257...
    let eps = v["epsilon"].as_f64().unwrap();
    assert!((eps - 1.8257).abs() / 1.8257 < 0.01, "{eps}");
    assert_eq!(v["accountant"], "pld");
    assert!(v["epsilon_rdp"].as_f64().unwrap() > eps);
}

#[test]
fn noise_reaches_the_target() {
    let out = veil()
        .args([
            "dp",
            "noise",
            "--epsilon",
            "2",
            "--delta",
            "1e-5",
            "--sampling-rate",
            "0.01",
        ])
        .args(["--steps", "100", "--accountant", "rdp", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(v["epsilon"].as_f64().unwrap() <= 2.0);
    assert!(v["noise_multiplier"].as_f64().unwrap() > 0.3);
}

#[test]
fn a_query_is_debited_written_atomically_and_an_overspend_refused() {
    let dir = tempfile::tempdir().unwrap();
    let data = purchases(dir.path());
    let before = std::fs::read(&data).unwrap();
    let ledger = dir.path().join("ledger.sqlite");
    init(&ledger, &data, "1.0");
    let out_csv = dir.path().join("out.csv");
    let report = dir.path().join("report.json");
    let out = query(&ledger, &data, "0.6")
        .arg("--output")
        .arg(&out_csv)
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let table = std::fs::read_to_string(&out_csv).unwrap();
    let mut lines = table.lines();
    assert!(
        lines
            .next()
            .unwrap()
            .starts_with("region,count,count_noise_std,count_ci95_low,count_ci95_high,sum,")
    );
    assert_eq!(lines.count(), 3);
    let r: Value = serde_json::from_slice(&std::fs::read(&report).unwrap()).unwrap();
    assert!((r["epsilon"].as_f64().unwrap() - 0.6).abs() < 1e-6);
    assert_eq!(r["delta"], 1e-7);
    assert_eq!(r["private"], true);
    assert!(
        r["unit_of_privacy"]
            .as_str()
            .unwrap()
            .contains("customer_id")
    );
    assert_eq!(r["budget"]["epsilon_total"], 1.0);
    assert_eq!(std::fs::read(&data).unwrap(), before, "input untouched");

    // 0.6 more would exceed the budget: refused, nothing written.
    let out2 = dir.path().join("out2.csv");
    let out = query(&ledger, &data, "0.6")
        .arg("--output")
        .arg(&out2)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("over budget") && err.contains("remain"),
        "{err}"
    );
    assert!(!out2.exists());

    let out = veil()
        .args(["dp", "budget", "show", "--json", "--ledger"])
        .arg(&ledger)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v[0]["releases"].as_array().unwrap().len(), 1);
    assert!((v[0]["dataset"]["epsilon_spent"].as_f64().unwrap() - 0.6).abs() < 1e-6);
}

#[test]
fn seeded_queries_say_they_are_not_private_and_parquet_works() {
    use arrow_array::{ArrayRef, Float64Array, RecordBatch, StringArray};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let n = 4000;
    let ids: Vec<String> = (0..n).map(|i| format!("u{i}")).collect();
    let batch = RecordBatch::try_from_iter(vec![
        ("customer_id", Arc::new(StringArray::from(ids)) as ArrayRef),
        (
            "region",
            Arc::new(StringArray::from(vec!["north"; n])) as ArrayRef,
        ),
        (
            "amount",
            Arc::new(Float64Array::from(vec![10.0; n])) as ArrayRef,
        ),
    ])
    .unwrap();
    let data = dir.path().join("p.parquet");
    let f = std::fs::File::create(&data).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(f, batch.schema(), None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let ledger = dir.path().join("l.sqlite");
    init(&ledger, &data, "5");
    let out = query(&ledger, &data, "1")
        .args(["--insecure-seed", "7", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["private"], false);
    assert!(v["warning"].as_str().unwrap().contains("NOT PRIVATE"));
    let mean = &v["partitions"][0]["cells"][2];
    assert_eq!(mean["column"], "mean");
    assert!((mean["value"].as_f64().unwrap() - 10.0).abs() < 1.0);
    let show = veil()
        .args(["dp", "budget", "show", "--ledger"])
        .arg(&ledger)
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&show.stdout).contains("NOT PRIVATE"));
}

#[test]
fn a_compressed_csv_is_queried_as_the_table_it_holds() {
    use std::io::Write;
    let dir = tempfile::tempdir().unwrap();
    let plain = purchases(dir.path());
    let packed = dir.path().join("purchases.csv.gz");
    let mut w = veil_core::io::compressed::create(&packed).unwrap();
    w.write_all(&std::fs::read(&plain).unwrap()).unwrap();
    w.commit().unwrap();
    let run = |data: &Path, ledger: &str| {
        let ledger = dir.path().join(ledger);
        init(&ledger, data, "5");
        let out = query(&ledger, data, "1")
            .args(["--insecure-seed", "11", "--json"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["partitions"].clone()
    };
    let (want, got) = (run(&plain, "a.sqlite"), run(&packed, "b.sqlite"));
    assert_eq!(want.as_array().map(Vec::len), Some(3));
    assert_eq!(got, want, "same seed, same table, same release");
}

#[test]
fn bad_input_gets_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let data = purchases(dir.path());
    let ledger = dir.path().join("ledger.sqlite");
    init(&ledger, &data, "1.0");
    let fails = |c: &mut Command, needle: &str| {
        let out = c.output().unwrap();
        assert_eq!(out.status.code(), Some(2), "expected failure for {needle}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(needle), "stderr lacks {needle:?}: {err}");
    };
    fails(
        &mut query(&ledger, &data, "0"),
        "epsilon must be finite and > 0",
    );
    fails(
        &mut query(&ledger, &data, "NaN"),
        "epsilon must be finite and > 0",
    );
    fails(
        &mut query_with(&ledger, &data, "0.1", "1.5", "0"),
        "delta must be in",
    );
    fails(
        &mut query_with(&ledger, &data, "0.1", "-0.5", "0"),
        "delta must be in",
    );
    fails(
        &mut query_with(&ledger, &data, "0.1", "1e-7", "60"),
        "greater than upper",
    );
    let mut c = veil();
    c.args([
        "dp",
        "query",
        "--privacy-unit",
        "person",
        "--metrics",
        "count",
        "--epsilon",
        "0.1",
    ])
    .args(["--delta", "1e-7", "--ledger"])
    .arg(&ledger)
    .arg(&data);
    fails(&mut c, "no column named `person`");
    // A non-numeric amount names the row.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "customer_id,region,amount\na,n,1\nb,n,lots\n").unwrap();
    init(&ledger, &bad, "1.0");
    fails(&mut query(&ledger, &bad, "0.1"), "row 2");
    // Unregistered data, a corrupted ledger, bad budgets.
    let other = dir.path().join("other.csv");
    std::fs::write(&other, "customer_id,region,amount\na,n,1\n").unwrap();
    fails(&mut query(&ledger, &other, "0.1"), "not registered");
    let junk = dir.path().join("junk.sqlite");
    std::fs::write(&junk, vec![7u8; 5000]).unwrap();
    fails(&mut query(&junk, &data, "0.1"), "not a usable Veil ledger");
    let mut c = veil();
    c.args(["dp", "budget", "init", "--epsilon", "-1", "--ledger"])
        .arg(dir.path().join("x.sqlite"))
        .arg(&data);
    fails(&mut c, "epsilon must be finite and > 0");
    let mut c = veil();
    c.args([
        "dp",
        "epsilon",
        "--sampling-rate",
        "2",
        "--noise-multiplier",
        "1",
        "--steps",
        "10",
        "--delta",
        "1e-5",
    ]);
    fails(&mut c, "sampling rate");
}

/// Killing queries at random moments never leaves the ledger half-written:
/// it still opens, passes SQLite's integrity check, and its spending equals
/// the sum of complete release rows, within the budget.
#[test]
fn killed_queries_leave_a_consistent_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let data = purchases(dir.path());
    let ledger = dir.path().join("ledger.sqlite");
    init(&ledger, &data, "100");
    let bin = assert_cmd::cargo::cargo_bin("veil");
    for i in 0..16u64 {
        let mut child = std::process::Command::new(&bin)
            .args([
                "dp",
                "query",
                "--privacy-unit",
                "customer_id",
                "--by",
                "region",
                "--metrics",
                "count",
            ])
            .args(["--epsilon", "0.5", "--delta", "1e-9", "--ledger"])
            .arg(&ledger)
            .arg(&data)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(5 + (i * 7) % 60));
        let _ = child.kill();
        let _ = child.wait();
        let out = veil()
            .args(["dp", "budget", "show", "--json", "--ledger"])
            .arg(&ledger)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "ledger unreadable after kill {i}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let releases = v[0]["releases"].as_array().unwrap();
        let sum: f64 = releases
            .iter()
            .map(|r| r["epsilon"].as_f64().unwrap())
            .sum();
        let spent = v[0]["dataset"]["epsilon_spent"].as_f64().unwrap();
        assert!((sum - spent).abs() < 1e-9 && spent <= 100.0);
        assert!(releases.iter().all(|r| r["mechanisms"].is_array()));
    }
    let c = rusqlite_check(&ledger);
    assert_eq!(c, "ok");
}

fn rusqlite_check(path: &Path) -> String {
    // The ledger's own open path runs `PRAGMA quick_check`; a final `budget show`
    // succeeding is that check passing.
    let out = veil()
        .args(["dp", "budget", "show", "--ledger"])
        .arg(path)
        .output()
        .unwrap();
    if out.status.success() {
        "ok".into()
    } else {
        String::from_utf8_lossy(&out.stderr).into_owned()
    }
}
