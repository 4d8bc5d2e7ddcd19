//! Table column actions on a CSV: keyed hash (joins survive), encryption
//! (restored exactly), generalisation (bins, years, prefixes), and a cell the
//! rule cannot read sending its row to quarantine with the column named and
//! no value.

use std::sync::LazyLock;
use veil_detect::{Analyzer, AnalyzerConfig};
use veil_redact::job::{Fields, redact_file, restore_file};
use veil_redact::keys::Key;
use veil_redact::policy::Policy;
use veil_redact::redact::Redactor;

static ANALYZER: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::new(AnalyzerConfig::default()).unwrap());

const POLICY: &str = r#"
[columns.customer_id]
action = "hash"
[columns.email]
action = "encrypt"
entity = "EMAIL_ADDRESS"
[columns.age]
action = "generalise"
generalize = { bin_width = 10 }
[columns.birth]
action = "generalize"
generalize = { date = "year" }
[columns.zip]
action = "generalize"
generalize = { keep_prefix = 3 }
[columns.note]
action = "scan"
"#;

const CSV: &str = "customer_id,email,age,birth,zip,note
C-1001,ana.silva@example.org,37,1987-03-14,94107,called about a refund
C-1002,wei.chen@example.net,52,1972-11-02,10001,parcel arrived
C-1001,ana.silva@example.org,38,1987-03-14,94107,second ticket from Ana Silva
C-1003,li.na@example.com,unknown,1990-01-01,60601,no age given
";

fn policy(dir: &std::path::Path) -> Policy {
    let p = dir.join("p.toml");
    std::fs::write(&p, POLICY).unwrap();
    Policy::from_file(&p).unwrap()
}

#[test]
fn column_actions_hash_encrypt_generalize_and_quarantine() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("customers.csv");
    std::fs::write(&input, CSV).unwrap();
    let p = policy(dir.path());
    assert!(p.needs_key());
    let k = Key::from_hex(&"42".repeat(32)).unwrap();
    let r = Redactor::new(&ANALYZER, &p, Some(&k)).unwrap();
    let (out, q) = (dir.path().join("out.csv"), dir.path().join("q.jsonl"));
    let rep = redact_file(
        &r,
        &p,
        Some(&k),
        &input,
        &out,
        &q,
        &Fields::default(),
        false,
    )
    .unwrap();
    assert_eq!(
        std::fs::read_to_string(&input).unwrap(),
        CSV,
        "input untouched"
    );
    assert_eq!(
        (rep.records_in, rep.records_out, rep.records_quarantined),
        (4, 3, 1)
    );

    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        ["customer_id", "email", "age", "birth", "zip", "note"]
    );
    // keyed hash: equal ids give equal tokens, different ids different ones
    assert_eq!(rows[1][0], rows[3][0]);
    assert_ne!(rows[1][0], rows[2][0]);
    assert_eq!(rows[1][0].len(), 16);
    assert!(!text.contains("C-100"));
    // generalisation
    assert_eq!(&rows[1][2..5], ["30-39", "1987", "941**"]);
    assert_eq!(&rows[2][2..5], ["50-59", "1972", "100**"]);
    // encryption, and the name in the free-text note
    assert!(
        rows[1][1].starts_with("[[veil:EMAIL_ADDRESS:"),
        "{}",
        rows[1][1]
    );
    assert!(!text.contains("example.org") && !text.contains("Ana Silva"));

    // the unreadable age quarantines its row: column named, value absent
    let qtext = std::fs::read_to_string(&q).unwrap();
    let entry: serde_json::Value = serde_json::from_str(qtext.lines().next().unwrap()).unwrap();
    let reason = entry["reason"].as_str().unwrap();
    assert!(
        reason.contains("column `age`") && reason.contains("not a number"),
        "{reason}"
    );
    assert!(!reason.contains("unknown"));

    // encryption is reversed by restore, with the key
    let back = dir.path().join("back.csv");
    restore_file(&k, &out, &back, &Fields::default()).unwrap();
    let restored = std::fs::read_to_string(&back).unwrap();
    assert!(
        restored.contains(",ana.silva@example.org,30-39,"),
        "{restored}"
    );
    assert!(restored.contains(",wei.chen@example.net,50-59,"));
}

#[test]
fn malformed_column_rules_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "[columns.age]\naction = \"generalize\"\n",
            "needs a [columns.age.generalize] rule",
        ),
        (
            "[columns.age]\naction = \"generalize\"\ngeneralize = { bin_width = 10, keep_prefix = 2 }\n",
            "exactly one",
        ),
        (
            "[columns.age]\naction = \"keep\"\ngeneralize = { bin_width = 10 }\n",
            "only goes with action = \"generalize\"",
        ),
        (
            "[columns.age]\naction = \"generalize\"\ngeneralize = { bins = 10 }\n",
            "unknown field",
        ),
    ];
    for (text, want) in cases {
        let p = dir.path().join("p.toml");
        std::fs::write(&p, text).unwrap();
        let e = Policy::from_file(&p).unwrap_err().to_string();
        assert!(e.contains(want), "{text}: {e}");
    }
}
