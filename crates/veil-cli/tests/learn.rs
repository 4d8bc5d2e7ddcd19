//! End-to-end tests of `veil train`, `veil predict` and `veil evaluate`:
//! the Adult example at ε = 1, model artifacts, the sweep chart, and every
//! kind of bad input the issue lists.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn veil() -> Command {
    Command::cargo_bin("veil").expect("binary built")
}

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn json_of(out: &[u8]) -> Value {
    serde_json::from_slice(out).expect("JSON output")
}

/// A small labelled table: income depends on age and plan; `note` is free text.
fn write_data(dir: &Path, rows: usize, label: impl Fn(usize) -> &'static str) -> PathBuf {
    let mut s = String::from("id,age,plan,note,label\n");
    for i in 0..rows {
        let age = 18 + (i * 7) % 60;
        let plan = ["basic", "plus", "pro"][i % 3];
        let note = ["great service", "slow delivery", "refund please"][(i / 3) % 3];
        s.push_str(&format!("{i},{age},{plan},{note},{}\n", label(i)));
    }
    let p = dir.join("train.csv");
    std::fs::write(&p, s).unwrap();
    p
}

fn separable(i: usize) -> &'static str {
    let age = 18 + (i * 7) % 60;
    if age > 45 || i % 3 == 2 { "yes" } else { "no" }
}

const SCHEMA: &str = r#"
[label]
column = "label"
classes = ["no", "yes"]

[[feature]]
kind = "numeric"
column = "age"
min = 18
max = 80

[[feature]]
kind = "categorical"
column = "plan"
categories = ["basic", "plus", "pro"]

[[feature]]
kind = "text"
column = "note"
buckets = 32
"#;

fn write_config(dir: &Path, epsilon: &str, epochs: u32, kind: &str) -> PathBuf {
    std::fs::write(dir.join("schema.toml"), SCHEMA).unwrap();
    let hidden = if kind == "mlp" { "hidden = [8]" } else { "" };
    let cfg = format!(
        r#"
[data]
train = "train.csv"
test = "train.csv"
schema = "schema.toml"

[model]
kind = "{kind}"
{hidden}

[training]
epochs = {epochs}
batch_size = 50
learning_rate = 1.0

[privacy]
epsilon = {epsilon}
delta = 1e-5
clip_norm = 1.0
"#
    );
    let p = dir.join("train.toml");
    std::fs::write(&p, cfg).unwrap();
    p
}

#[test]
fn adult_at_epsilon_one_matches_the_issue_bar_and_reports_the_accountants_epsilon() {
    let dir = tempfile::tempdir().unwrap();
    let model = dir.path().join("model");
    let out = veil()
        .current_dir(repo())
        .args([
            "train",
            "--config",
            "examples/adult/dp-logreg.toml",
            "--json",
            "--insecure-seed",
            "7",
            "--model-out",
        ])
        .arg(&model)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    for key in [
        "test_accuracy",
        "epsilon",
        "delta",
        "accountant",
        "noise_multiplier",
        "epochs",
        "seconds",
    ] {
        assert!(!v[key].is_null(), "missing {key}: {v}");
    }
    let acc = v["test_accuracy"].as_f64().unwrap();
    assert!(acc >= 0.84, "test accuracy {acc}");
    assert_eq!(v["accountant"], "pld");
    assert_eq!(v["inputs"], 104);
    assert_eq!(v["train_rows"], 32561);
    assert_eq!(v["eval_rows"], 16281);
    // a seeded run is never reported as private
    assert_eq!(v["private"], false);
    assert!(
        v["privacy_statement"]
            .as_str()
            .unwrap()
            .contains("NOT PRIVATE")
    );
    // ε is exactly the accountant's for the recorded (q, σ, steps)
    let (q, sigma, steps) = (
        v["sampling_rate"].as_f64().unwrap(),
        v["noise_multiplier"].as_f64().unwrap(),
        v["steps"].as_u64().unwrap(),
    );
    assert_eq!(steps, 20 * 128);
    let eps = veil_dp::accounting::dpsgd::epsilon(
        q,
        sigma,
        steps,
        1e-5,
        veil_dp::accounting::dpsgd::Accountant::Pld,
    )
    .unwrap();
    assert_eq!(v["epsilon"].as_f64().unwrap(), eps);
    assert!(eps <= 1.0);

    // the stored card says the same, and evaluate reproduces the accuracy
    let meta: Value =
        serde_json::from_slice(&std::fs::read(model.join("model.json")).unwrap()).unwrap();
    assert_eq!(meta["privacy_card"]["epsilon"].as_f64().unwrap(), eps);
    assert_eq!(
        meta["privacy_card"]["unit_of_privacy"],
        "one record (row) of adult.data"
    );
    assert_eq!(
        meta["privacy_card"]["train_data_sha256"],
        "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d"
    );
    let ev = veil()
        .current_dir(repo())
        .args(["evaluate", "--json", "--model"])
        .arg(&model)
        .arg("examples/adult/adult.test")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let ev = json_of(&ev);
    assert_eq!(ev["metrics"]["accuracy"].as_f64().unwrap(), acc);
    assert_eq!(ev["metrics"]["calibration"].as_array().unwrap().len(), 10);
    assert!(ev["metrics"]["roc_auc"].as_f64().unwrap() > 0.85);
}

#[test]
fn model_round_trip_predict_and_tamper_detection() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), 600, separable);
    let cfg = write_config(dir.path(), "2.0", 5, "mlp");
    let model = dir.path().join("m");
    veil()
        .args(["train", "--insecure-seed", "1", "--config"])
        .arg(&cfg)
        .arg("--model-out")
        .arg(&model)
        .assert()
        .success()
        .stdout(predicates::str::contains("NOT PRIVATE"));
    let preds = dir.path().join("preds.csv");
    let before = std::fs::read(&data).unwrap();
    veil()
        .args(["predict", "--model"])
        .arg(&model)
        .arg(&data)
        .arg("--output")
        .arg(&preds)
        .assert()
        .success();
    assert_eq!(std::fs::read(&data).unwrap(), before, "input untouched");
    let text = std::fs::read_to_string(&preds).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("row,predicted,prob_no,prob_yes"));
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 600);
    // row 2 of the CSV is data row 0; probabilities sum to one
    let first: Vec<&str> = rows[0].split(',').collect();
    assert_eq!(first[0], "2");
    let s: f64 = first[2].parse::<f64>().unwrap() + first[3].parse::<f64>().unwrap();
    assert!((s - 1.0).abs() < 1e-5);

    // predict works without the label column
    let unlabeled = dir.path().join("unlabeled.csv");
    let t: String = std::fs::read_to_string(&data)
        .unwrap()
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    std::fs::write(&unlabeled, t).unwrap();
    veil()
        .args(["predict", "--model"])
        .arg(&model)
        .arg(&unlabeled)
        .arg("-o")
        .arg(dir.path().join("p2.csv"))
        .assert()
        .success();

    // tampered weights are refused
    let w = model.join("model.safetensors");
    let mut bytes = std::fs::read(&w).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&w, bytes).unwrap();
    veil()
        .args(["evaluate", "--model"])
        .arg(&model)
        .arg(&data)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("SHA-256 differs"));
}

#[test]
fn sweep_prints_a_table_and_writes_an_svg_chart() {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), 600, separable);
    let cfg = write_config(dir.path(), "1.0", 3, "logistic");
    let chart = dir.path().join("sweep.svg");
    let out = veil()
        .args([
            "train",
            "--insecure-seed",
            "2",
            "--json",
            "--sweep-epsilon",
            "0.5,2,8",
            "--config",
        ])
        .arg(&cfg)
        .arg("--chart")
        .arg(&chart)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    let sweep = v["sweep"].as_array().unwrap();
    assert_eq!(sweep.len(), 3);
    // more budget, less noise
    let sig: Vec<f64> = sweep
        .iter()
        .map(|r| r["noise_multiplier"].as_f64().unwrap())
        .collect();
    assert!(sig[0] > sig[1] && sig[1] > sig[2], "{sig:?}");
    for r in sweep {
        assert!(r["epsilon"].as_f64().unwrap() <= r["target_epsilon"].as_f64().unwrap());
    }
    assert!(v["non_private_accuracy"].as_f64().unwrap() > 0.8);
    let svg = std::fs::read_to_string(&chart).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("non-private baseline"));
    assert_eq!(svg.matches("<circle").count(), 3);
}

fn train_err(dir: &Path, cfg: &Path) -> String {
    let out = veil()
        .args(["train", "--config"])
        .arg(cfg)
        .current_dir(dir)
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    String::from_utf8(out).unwrap()
}

#[test]
fn a_label_with_one_class_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), 300, |_| "no");
    let cfg = write_config(dir.path(), "1.0", 2, "logistic");
    let err = train_err(dir.path(), &cfg);
    assert!(
        err.contains("train.csv") && err.contains("holds 1 class(es)"),
        "{err}"
    );
}

#[test]
fn a_column_missing_from_the_data_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), 300, separable);
    let cfg = write_config(dir.path(), "1.0", 2, "logistic");
    let schema = SCHEMA.replace("column = \"plan\"", "column = \"tier\"");
    std::fs::write(dir.path().join("schema.toml"), schema).unwrap();
    let err = train_err(dir.path(), &cfg);
    assert!(err.contains("train.csv: no column named `tier`"), "{err}");
}

#[test]
fn a_category_not_in_the_schema_names_row_and_column_not_value() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), 300, separable);
    let text = std::fs::read_to_string(&data)
        .unwrap()
        .replacen("0,18,basic", "0,18,platinum", 1);
    std::fs::write(&data, text).unwrap();
    let cfg = write_config(dir.path(), "1.0", 2, "logistic");
    let err = train_err(dir.path(), &cfg);
    assert!(
        err.contains("row 2, column `plan`")
            && err.contains("not one of the schema's 3 categories"),
        "{err}"
    );
    assert!(
        !err.contains("platinum"),
        "the value must not be echoed: {err}"
    );
    // unknown = "other" accepts it
    let schema = SCHEMA.replace(
        "categories = [\"basic\", \"plus\", \"pro\"]",
        "categories = [\"basic\", \"plus\", \"pro\"]\nunknown = \"other\"",
    );
    std::fs::write(dir.path().join("schema.toml"), schema).unwrap();
    veil()
        .args(["train", "--config"])
        .arg(&cfg)
        .assert()
        .success();
}

#[test]
fn nan_and_infinite_numbers_are_refused_with_their_row() {
    for bad in ["NaN", "inf", "-Infinity", "forty"] {
        let dir = tempfile::tempdir().unwrap();
        let data = write_data(dir.path(), 300, separable);
        let text = std::fs::read_to_string(&data).unwrap().replacen(
            "\n5,",
            &format!("\n5,{bad}\u{0},"),
            1,
        );
        // put the bad value in the age column of data row 5 (CSV line 7)
        let text = text.replacen(&format!("{bad}\u{0},53"), bad, 1);
        std::fs::write(&data, &text).unwrap();
        assert!(text.contains(&format!("\n5,{bad},")), "fixture for {bad}");
        let cfg = write_config(dir.path(), "1.0", 2, "logistic");
        let err = train_err(dir.path(), &cfg);
        assert!(err.contains("row 7, column `age`"), "{bad}: {err}");
        assert!(
            err.contains("not a finite number") || err.contains("not a number"),
            "{bad}: {err}"
        );
    }
}

#[test]
fn an_unreachable_budget_says_what_would_work() {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), 300, separable);
    let cfg = write_config(dir.path(), "0.001", 50, "logistic");
    let err = train_err(dir.path(), &cfg);
    assert!(err.contains("cannot be reached in 50 epochs"), "{err}");
    assert!(
        err.contains("lower batch_size") || err.contains("at most"),
        "{err}"
    );
}

#[test]
fn bad_configuration_is_named() {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), 300, separable);
    let cfg = write_config(dir.path(), "1.0", 2, "logistic");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("delta = 1e-5", "delta = 2.0");
    std::fs::write(&cfg, text).unwrap();
    let err = train_err(dir.path(), &cfg);
    assert!(err.contains("delta"), "{err}");
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("[model]", "[model]\nlayers = 3");
    std::fs::write(&cfg, text).unwrap();
    let err = train_err(dir.path(), &cfg);
    assert!(
        err.contains("train.toml") && err.contains("layers"),
        "{err}"
    );
}

#[test]
fn ledger_pays_for_the_model_and_refuses_an_overspend_without_writing_it() {
    let dir = tempfile::tempdir().unwrap();
    let data = write_data(dir.path(), 600, separable);
    let cfg = write_config(dir.path(), "1.0", 3, "logistic");
    let ledger = dir.path().join("ledger.sqlite");
    veil()
        .args([
            "dp",
            "budget",
            "init",
            "--epsilon",
            "1.5",
            "--delta",
            "1e-4",
            "--ledger",
        ])
        .arg(&ledger)
        .arg(&data)
        .assert()
        .success();
    let model = dir.path().join("m1");
    let out = veil()
        .args(["train", "--json", "--config"])
        .arg(&cfg)
        .arg("--ledger")
        .arg(&ledger)
        .arg("--model-out")
        .arg(&model)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v = json_of(&out);
    assert!(v["ledger_release_id"].as_i64().is_some());
    assert!(model.join("model.json").exists());
    let show = veil()
        .args(["dp", "budget", "show", "--json", "--ledger"])
        .arg(&ledger)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let show = String::from_utf8(show).unwrap();
    assert!(show.contains("dp-sgd model"), "{show}");
    // a second ε = 1 model does not fit in the 0.5 left: refused, nothing written
    let model2 = dir.path().join("m2");
    veil()
        .args(["train", "--config"])
        .arg(&cfg)
        .arg("--ledger")
        .arg(&ledger)
        .arg("--model-out")
        .arg(&model2)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("budget"));
    assert!(!model2.exists());
    // an unregistered training file is refused before training
    let other = write_config(dir.path(), "0.5", 3, "logistic");
    std::fs::write(
        dir.path().join("train.csv"),
        std::fs::read_to_string(&data).unwrap() + "600,30,pro,great service,no\n",
    )
    .unwrap();
    veil()
        .args(["train", "--config"])
        .arg(&other)
        .arg("--ledger")
        .arg(&ledger)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("not registered"));
}

#[test]
fn softmax_with_per_layer_clipping_and_adam_trains_three_classes() {
    let dir = tempfile::tempdir().unwrap();
    write_data(dir.path(), 900, |i| ["no", "yes", "maybe"][i % 3]);
    let cfg = write_config(dir.path(), "4.0", 5, "softmax");
    let schema = SCHEMA.replace(
        "classes = [\"no\", \"yes\"]",
        "classes = [\"no\", \"yes\", \"maybe\"]",
    );
    std::fs::write(dir.path().join("schema.toml"), schema).unwrap();
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace(
            "learning_rate = 1.0",
            "learning_rate = 0.05\noptimizer = \"adam\"",
        )
        .replace(
            "clip_norm = 1.0",
            "clip_norm = 1.0\nclipping = \"per-layer\"",
        );
    std::fs::write(&cfg, text).unwrap();
    let model = dir.path().join("m");
    let v = json_of(
        &veil()
            .args(["train", "--json", "--insecure-seed", "3", "--config"])
            .arg(&cfg)
            .arg("--model-out")
            .arg(&model)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone(),
    );
    assert_eq!(v["clipping"], "per-layer");
    // the class is the plan (i % 3): a linear model learns it through the one-hot input
    assert!(v["test_accuracy"].as_f64().unwrap() > 0.9, "{v}");
    assert!(v["test_roc_auc"].is_null(), "AUC is for two classes");
    let preds = dir.path().join("p.csv");
    veil()
        .args(["predict", "--model"])
        .arg(&model)
        .arg(dir.path().join("train.csv"))
        .arg("-o")
        .arg(&preds)
        .assert()
        .success();
    let header = std::fs::read_to_string(&preds)
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    assert_eq!(header, "row,predicted,prob_no,prob_yes,prob_maybe");
}
