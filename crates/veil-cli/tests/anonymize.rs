//! End-to-end tests of `veil anonymize` and `veil audit data` on the Adult
//! example, each output checked k-anonymous (and l-diverse) by an independent
//! grouping of the written CSV; and the bad inputs the issue lists.

use assert_cmd::Command;
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

fn veil() -> Command {
    Command::cargo_bin("veil").expect("binary built")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

const QIS: [&str; 7] = [
    "age",
    "sex",
    "race",
    "marital-status",
    "education",
    "native-country",
    "workclass",
];

/// Groups the output by its quasi-identifier columns: (class sizes, distinct occupations per class).
fn independent_check(csv_path: &Path) -> (usize, Vec<usize>, Vec<usize>) {
    let mut rdr = csv::Reader::from_path(csv_path).unwrap();
    let header: Vec<String> = rdr.headers().unwrap().iter().map(str::to_string).collect();
    let idx: Vec<usize> = QIS
        .iter()
        .map(|q| header.iter().position(|h| h == q).unwrap())
        .collect();
    let occ = header.iter().position(|h| h == "occupation").unwrap();
    let mut groups: HashMap<Vec<String>, (usize, HashSet<String>)> = HashMap::new();
    let mut rows = 0;
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let key: Vec<String> = idx.iter().map(|&i| rec[i].to_string()).collect();
        let g = groups.entry(key).or_default();
        g.0 += 1;
        g.1.insert(rec[occ].to_string());
        rows += 1;
    }
    let sizes = groups.values().map(|g| g.0).collect();
    let distinct = groups.values().map(|g| g.1.len()).collect();
    (rows, sizes, distinct)
}

fn run(args: &[&str], out: &Path) -> Value {
    let o = veil()
        .current_dir(repo())
        .args([
            "anonymize",
            "--config",
            "examples/adult/anonymize.toml",
            "--json",
            "--output",
        ])
        .arg(out)
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&o).unwrap()
}

#[test]
fn adult_k2_k5_k10_and_k5_l2_are_verified_independently() {
    let dir = tempfile::tempdir().unwrap();
    for (k, l) in [(2usize, None), (5, None), (10, None), (5, Some(2usize))] {
        let out = dir.path().join(format!("k{k}.csv"));
        let mut args = vec!["--k".to_string(), k.to_string()];
        if let Some(l) = l {
            args.extend(["--l".to_string(), l.to_string()]);
        }
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&a, &out);
        let (rows, sizes, distinct) = independent_check(&out);
        assert_eq!(r["rows_in"], 32561);
        assert_eq!(rows as u64, r["rows_out"].as_u64().unwrap());
        assert_eq!(
            32561,
            rows as u64 + r["rows_suppressed"].as_u64().unwrap(),
            "conservation"
        );
        assert!(r["rows_suppressed"].as_u64().unwrap() <= 325, "1% limit");
        assert!(
            sizes.iter().all(|&s| s >= k),
            "k = {k}: smallest class {}",
            sizes.iter().min().unwrap()
        );
        assert_eq!(
            r["risk_after"]["k"].as_u64().unwrap() as usize,
            *sizes.iter().min().unwrap()
        );
        if let Some(l) = l {
            assert!(distinct.iter().all(|&d| d >= l), "l = {l}");
        }
        assert!(
            r["loss"]["ncp"].as_f64().unwrap() > 0.0 && r["loss"]["ncp"].as_f64().unwrap() < 1.0
        );
        assert!(r["nodes_evaluated"].as_u64().unwrap() <= r["nodes_total"].as_u64().unwrap());
    }
    // original column names, dropped columns gone
    let header = std::fs::read_to_string(dir.path().join("k5.csv")).unwrap();
    let header = header.lines().next().unwrap();
    assert!(header.starts_with("age,workclass,education,marital-status,occupation"));
    assert!(!header.contains("fnlwgt") && !header.contains("education-num"));
}

#[test]
fn mondrian_on_adult_is_k_anonymous_l_diverse_and_suppresses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    for (k, l) in [(5usize, None), (10, Some(2usize))] {
        let out = dir.path().join(format!("m{k}.csv"));
        let mut args = vec![
            "--algorithm".to_string(),
            "mondrian".into(),
            "--k".into(),
            k.to_string(),
        ];
        if let Some(l) = l {
            args.extend(["--l".to_string(), l.to_string()]);
        }
        let a: Vec<&str> = args.iter().map(String::as_str).collect();
        let r = run(&a, &out);
        let (rows, sizes, distinct) = independent_check(&out);
        assert_eq!(rows, 32561);
        assert_eq!(r["rows_suppressed"], 0);
        assert!(sizes.iter().all(|&s| s >= k));
        if let Some(l) = l {
            assert!(distinct.iter().all(|&d| d >= l));
        }
        let ncp = r["loss"]["ncp"].as_f64().unwrap();
        assert!(ncp > 0.0 && ncp < 0.5, "{ncp}");
    }
}

#[test]
fn audit_reports_risk_and_fails_the_raw_table() {
    let o = veil()
        .current_dir(repo())
        .args([
            "audit",
            "data",
            "--config",
            "examples/adult/anonymize.toml",
            "--json",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&o).unwrap();
    assert_eq!(r["risk"]["records"], 32561);
    assert_eq!(r["risk"]["k"], 1);
    assert_eq!(r["pass"], false);
    let unique = r["risk"]["unique_share"].as_f64().unwrap();
    assert!(unique > 0.2 && unique < 0.4, "{unique}");
    // an anonymised output passes the same audit
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k5.csv");
    run(&["--k", "5"], &out);
    let cfg = std::fs::read_to_string(repo().join("examples/adult/anonymize.toml")).unwrap();
    let cfg = cfg
        .replace("header = false", "header = true")
        .replace("input = \"adult.data\"", "")
        .replace("drop = [\"fnlwgt\", \"education-num\"]", "");
    // generalised values are the hierarchy's own labels: audit them with suppression-only hierarchies
    let mut simple = String::new();
    for line in cfg.lines() {
        if line.starts_with("[hierarchy") {
            break;
        }
        simple.push_str(line);
        simple.push('\n');
    }
    for q in QIS {
        simple.push_str(&format!("[hierarchy.{q}]\nkind = \"suppress\"\n"));
    }
    let c2 = dir.path().join("audit.toml");
    std::fs::write(&c2, simple).unwrap();
    veil()
        .args(["audit", "data", "--config"])
        .arg(&c2)
        .arg(&out)
        .assert()
        .success()
        .stdout(predicates::str::contains("[pass] k-anonymity"));
}

fn write_small(dir: &Path, extra_hierarchy: &str, settings: &str) -> PathBuf {
    std::fs::write(
        dir.join("people.csv"),
        "name,age,zip,diagnosis\nA,34,02139,flu\nB,35,02138,cold\nC,36,02141,flu\nD,52,10001,asthma\nE,57,10002,flu\nF,58,10003,cold\n",
    )
    .unwrap();
    let cfg = format!(
        r#"
[anonymize]
input = "people.csv"
quasi_identifiers = ["age", "zip"]
sensitive = "diagnosis"
drop = ["name"]
{settings}

[hierarchy.age]
kind = "interval"
widths = [10, 20]

[hierarchy.zip]
kind = "prefix"
levels = 3
{extra_hierarchy}
"#
    );
    let p = dir.join("cfg.toml");
    std::fs::write(&p, cfg).unwrap();
    p
}

fn fails(cfg: &Path, extra: &[&str]) -> String {
    let o = veil()
        .args(["anonymize", "--config"])
        .arg(cfg)
        .arg("--output")
        .arg(cfg.with_file_name("out.csv"))
        .args(extra)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        !cfg.with_file_name("out.csv").exists(),
        "no output on failure"
    );
    String::from_utf8(o).unwrap()
}

#[test]
fn small_table_generalises_and_suppresses_nothing_it_need_not() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_small(dir.path(), "", "k = 3");
    let out = dir.path().join("o.csv");
    veil()
        .args(["anonymize", "--config"])
        .arg(&cfg)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    let text = std::fs::read_to_string(&out).unwrap();
    assert_eq!(text.lines().next(), Some("age,zip,diagnosis"));
    assert_eq!(text.lines().count(), 7, "{text}");
    assert!(
        text.contains("\"[30, 40)\",021**,flu") || text.contains("\"[20, 40)\""),
        "{text}"
    );
}

#[test]
fn a_hierarchy_that_does_not_cover_a_value_names_it_and_its_row() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_small(dir.path(), "", "k = 2");
    let text = std::fs::read_to_string(&cfg).unwrap().replace(
        "kind = \"interval\"\nwidths = [10, 20]",
        "kind = \"breakpoints\"\nlevels = [[0, 50, 55]]",
    );
    std::fs::write(&cfg, text).unwrap();
    let e = fails(&cfg, &[]);
    assert!(
        e.contains("people.csv: row 6, column `age`: value `57` lies outside"),
        "{e}"
    );
}

#[test]
fn k_larger_than_the_table_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_small(dir.path(), "", "k = 2");
    let e = fails(&cfg, &["--k", "7"]);
    assert!(e.contains("k = 7 is larger than the table (6 rows)"), "{e}");
}

#[test]
fn a_missing_quasi_identifier_column_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_small(dir.path(), "[hierarchy.sex]\nkind = \"suppress\"", "k = 2");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("[\"age\", \"zip\"]", "[\"age\", \"zip\", \"sex\"]");
    std::fs::write(&cfg, text).unwrap();
    let e = fails(&cfg, &[]);
    assert!(e.contains("people.csv: no column named `sex`"), "{e}");
}

#[test]
fn contradictory_settings_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    for (settings, msg) in [
        (
            "k = 2\nl = 3",
            "distinct l = 3 cannot hold in classes of k = 2",
        ),
        (
            "k = 2\nsuppression_limit = 1.5",
            "suppression_limit must be in [0, 1]",
        ),
        ("k = 2\nt = 0", "t must be in (0, 1]"),
    ] {
        let cfg = write_small(dir.path(), "", settings);
        let e = fails(&cfg, &[]);
        assert!(e.contains("cfg.toml") && e.contains(msg), "{settings}: {e}");
    }
    let cfg = write_small(dir.path(), "", "k = 2");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("sensitive = \"diagnosis\"", "sensitive = \"zip\"");
    std::fs::write(&cfg, text).unwrap();
    assert!(fails(&cfg, &[]).contains("both a quasi-identifier and the sensitive attribute"));
    let cfg = write_small(dir.path(), "", "k = 2");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("[hierarchy.zip]\nkind = \"prefix\"\nlevels = 3", "");
    std::fs::write(&cfg, text).unwrap();
    assert!(fails(&cfg, &[]).contains("quasi-identifier `zip` has no [hierarchy.zip]"));
    let cfg = write_small(dir.path(), "", "k = 2");
    assert!(fails(&cfg, &["--l", "4"]).contains("distinct l = 4 cannot hold"));
    let cfg = write_small(dir.path(), "", "k = 4");
    assert!(fails(&cfg, &["--l", "4"]).contains("has only 3 distinct values"));
}

#[test]
fn utility_check_compares_accuracy_on_original_and_anonymised() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("k5.csv");
    let anon = run(&["--k", "5"], &out);
    let o = veil()
        .current_dir(repo())
        .args(["audit", "utility", "examples/adult/adult.data"])
        .arg(&out)
        .args([
            "--label",
            "income",
            "--config",
            "examples/adult/anonymize.toml",
            "--json",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&o).unwrap();
    let (a, b) = (
        r["original"]["accuracy"].as_f64().unwrap(),
        r["anonymised"]["accuracy"].as_f64().unwrap(),
    );
    assert!(
        a > r["original"]["majority_accuracy"].as_f64().unwrap() + 0.05,
        "{r}"
    );
    assert!(
        b > r["anonymised"]["majority_accuracy"].as_f64().unwrap() + 0.03,
        "{r}"
    );
    assert!((r["accuracy_difference"].as_f64().unwrap() - (b - a)).abs() < 1e-12);
    assert_eq!(r["original"]["rows"], 32561);
    assert_eq!(
        r["anonymised"]["rows"].as_u64().unwrap() + anon["rows_suppressed"].as_u64().unwrap(),
        32561
    );
    // a label the anonymised table lacks is named
    veil()
        .current_dir(repo())
        .args(["audit", "utility", "examples/adult/adult.data"])
        .arg(&out)
        .args([
            "--label",
            "salary",
            "--config",
            "examples/adult/anonymize.toml",
        ])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("salary"));
}

#[test]
fn audit_profiles_columns_with_the_detection_engine() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("email,zip,age,comment\n");
    for i in 0..40 {
        csv.push_str(&format!(
            "user{i}@example.com,0213{},{},\"I called the support line twice about my delayed refund and nobody answered\"\n",
            i % 10,
            30 + i % 5
        ));
    }
    std::fs::write(dir.path().join("t.csv"), csv).unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        "[anonymize]\nquasi_identifiers = [\"zip\", \"age\"]\nk = 2\nrisk_threshold = 0.5\n[hierarchy.zip]\nkind = \"prefix\"\nlevels = 2\n[hierarchy.age]\nkind = \"interval\"\nwidths = [10]\n",
    )
    .unwrap();
    let page = dir.path().join("audit.html");
    let o = veil()
        .args(["audit", "data", "--json", "--config"])
        .arg(dir.path().join("c.toml"))
        .arg(dir.path().join("t.csv"))
        .arg("--html")
        .arg(&page)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let r: Value = serde_json::from_slice(&o).unwrap();
    let cols = r["columns"].as_array().unwrap();
    let role = |c: &str| {
        cols.iter().find(|x| x["column"] == c).unwrap()["role"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(role("email"), "direct identifier");
    assert_eq!(role("zip"), "quasi-identifier candidate");
    assert_eq!(role("age"), "quasi-identifier candidate");
    assert_eq!(role("comment"), "free text");
    let email = cols.iter().find(|x| x["column"] == "email").unwrap();
    assert_eq!(email["findings"]["EMAIL_ADDRESS"], 40);
    // raw values never reach the report
    assert!(!String::from_utf8_lossy(&o).contains("user1@example.com"));
    assert_eq!(r["risk"]["k"], 4);
    // the HTML page: self-contained, with the class-size chart, checks and columns
    let html = std::fs::read_to_string(&page).unwrap();
    assert!(html.starts_with("<!doctype html>") && html.trim_end().ends_with("</html>"));
    assert!(html.contains("<svg") && html.contains("Records by equivalence-class size"));
    assert!(html.contains("k-anonymity (smallest class)") && html.contains("direct identifier"));
    assert!(
        !html.contains("<script") && !html.contains("src=\"http") && !html.contains("href=\"http")
    );
    assert!(!html.contains("user1@example.com"));
}

fn audit_json(args: &[&str], dir: &Path) -> (Option<i32>, Value) {
    let o = veil()
        .current_dir(dir)
        .args(["audit", "data", "--json"])
        .args(args)
        .output()
        .unwrap();
    let v = serde_json::from_slice(&o.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&o.stderr)));
    (o.status.code(), v)
}

#[test]
fn audit_without_a_configuration_uses_the_suggested_quasi_identifiers() {
    let dir = tempfile::tempdir().unwrap();
    write_small(dir.path(), "", "k = 2");
    let (code, v) = audit_json(&["people.csv"], dir.path());
    assert_eq!(
        code,
        Some(1),
        "every record is unique: the k = 5 check fails"
    );
    let q: Vec<&str> = v["quasi_identifiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert!(q.contains(&"age") && q.contains(&"zip"), "{q:?}");
    assert!(
        !q.contains(&"name"),
        "a direct identifier is not a QI: {q:?}"
    );
    assert!(
        v["quasi_identifiers_from"]
            .as_str()
            .unwrap()
            .starts_with("suggested")
    );
    assert_eq!(v["risk"]["unique_records"], 6);
    assert_eq!(v["verdicts"][0]["required"], 5.0);
}

#[test]
fn a_quasi_identifier_list_without_hierarchies_is_enough_for_an_audit() {
    let dir = tempfile::tempdir().unwrap();
    write_small(dir.path(), "", "k = 2");
    std::fs::write(
        dir.path().join("qi.toml"),
        "[anonymize]\ninput = \"people.csv\"\nquasi_identifiers = [\"diagnosis\"]\nk = 2\n",
    )
    .unwrap();
    let (code, v) = audit_json(&["--config", "qi.toml"], dir.path());
    // flu ×3, cold ×2, asthma ×1
    assert_eq!(code, Some(1));
    assert_eq!(v["quasi_identifiers"], serde_json::json!(["diagnosis"]));
    assert_eq!(v["risk"]["classes"], 3);
    assert_eq!(v["risk"]["k"], 1);
    // anonymising still needs the hierarchy
    let e = veil()
        .current_dir(dir.path())
        .args(["anonymize", "--config", "qi.toml", "--output", "o.csv"])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    assert!(
        String::from_utf8_lossy(&e).contains("`diagnosis` has no [hierarchy.diagnosis]"),
        "{}",
        String::from_utf8_lossy(&e)
    );
}

#[test]
fn journalist_risk_is_measured_against_a_population_table() {
    let dir = tempfile::tempdir().unwrap();
    write_small(dir.path(), "", "k = 2");
    std::fs::write(
        dir.path().join("qi.toml"),
        "[anonymize]\ninput = \"people.csv\"\nquasi_identifiers = [\"diagnosis\"]\nk = 2\nrisk_threshold = 0.2\n",
    )
    .unwrap();
    // population counts: flu 30, cold 4, asthma 1 (+ a value not in the sample)
    std::fs::write(
        dir.path().join("census.csv"),
        "diagnosis,n\nflu,10\nflu,20\ncold,4\nasthma,1\nmeasles,100\n",
    )
    .unwrap();
    let (_, v) = audit_json(
        &[
            "--config",
            "qi.toml",
            "--population",
            "census.csv",
            "--population-count",
            "n",
        ],
        dir.path(),
    );
    let j = &v["risk"]["journalist"];
    assert_eq!(j["highest"], 1.0, "asthma: 1 in the population");
    // (3/30 + 2/4 + 1/1) / 6
    let expected = (3.0 / 30.0 + 2.0 / 4.0 + 1.0) / 6.0;
    assert!((j["average"].as_f64().unwrap() - expected).abs() < 1e-12);
    assert!((v["risk"]["marketer"].as_f64().unwrap() - expected).abs() < 1e-12);
    // records above 0.2: cold (1/4) and asthma (1/1) = 3 of 6
    assert!((j["records_at_risk"].as_f64().unwrap() - 0.5).abs() < 1e-12);
    assert!(
        v["risk"]["population"]
            .as_str()
            .unwrap()
            .ends_with("census.csv")
    );
    // prosecutor figures are unchanged by the population
    assert_eq!(v["risk"]["prosecutor"]["highest"], 1.0);
    assert!((v["risk"]["prosecutor"]["average"].as_f64().unwrap() - 0.5).abs() < 1e-12);

    // a population smaller than the sample is refused, naming the data line
    std::fs::write(
        dir.path().join("small.csv"),
        "diagnosis\nflu\ncold\ncold\nasthma\n",
    )
    .unwrap();
    let e = veil()
        .current_dir(dir.path())
        .args([
            "audit",
            "data",
            "--config",
            "qi.toml",
            "--population",
            "small.csv",
        ])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let e = String::from_utf8_lossy(&e);
    assert!(
        e.contains("small.csv") && e.contains("line 2") && e.contains("fewer than the 3"),
        "{e}"
    );
}
