//! De-identification end to end on the library: the JSONL contract, counts
//! conserved, quarantine without values, consistency and reversibility
//! (property tests), the residual re-scan.

use proptest::prelude::*;
use std::path::Path;
use std::sync::LazyLock;
use veil_detect::{Analyzer, AnalyzerConfig};
use veil_redact::job::{Fields, redact_file, restore_file};
use veil_redact::keys::Key;
use veil_redact::policy::Policy;
use veil_redact::redact::Redactor;

static ANALYZER: LazyLock<Analyzer> =
    LazyLock::new(|| Analyzer::new(AnalyzerConfig::default()).unwrap());

fn key(b: u8) -> Key {
    Key::from_hex(&format!("{b:02x}").repeat(32)).unwrap()
}

fn policy(text: &str) -> Policy {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("p.toml");
    std::fs::write(&p, text).unwrap();
    Policy::from_file(&p).unwrap()
}

const TEXTS: [&str; 4] = [
    "Hi, this is Grace Hall. Reach me at grace.hall@acme.io or +1 415 555 0132.",
    "Card 4111 1111 1111 1111 was charged twice, email john.smith@example.org",
    "Thanks for the quick reply, the parcel arrived.",
    "Please call Maria Garcia on 020 7946 0958 about order 5521.",
];

fn write_jsonl(dir: &Path) -> std::path::PathBuf {
    let mut s = String::new();
    for (i, t) in TEXTS.iter().enumerate() {
        s.push_str(&format!(
            "{{\"label\": \"l{i}\", \"text\": {}, \"id\": \"r{i}\", \"n\": 1.50e2}}\n",
            serde_json::to_string(t).unwrap()
        ));
    }
    s.push_str("{\"text\": \"my SSN is 536-22-8712\", \"id\": \"r9\"}\n");
    s.push_str("{broken\n");
    let p = dir.join("in.jsonl");
    std::fs::write(&p, s).unwrap();
    p
}

#[test]
fn jsonl_contract_counts_and_quarantine() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path());
    let before = std::fs::read(&input).unwrap();
    let p = policy("[quarantine]\nentities = [\"US_SSN\"]\nmin_score = 0.5\n");
    let r = Redactor::new(&ANALYZER, &p, None).unwrap();
    let (out, q) = (dir.path().join("out.jsonl"), dir.path().join("q.jsonl"));
    let rep = redact_file(&r, &p, None, &input, &out, &q, &Fields::default(), false).unwrap();
    assert_eq!(
        std::fs::read(&input).unwrap(),
        before,
        "the input is never modified"
    );
    assert_eq!(rep.records_in, 6);
    assert_eq!(rep.records_out, 4);
    assert_eq!(rep.records_quarantined, 2);
    assert_eq!(rep.records_in, rep.records_out + rep.records_quarantined);
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    for (i, l) in lines.iter().enumerate() {
        // every other field kept, in order, byte for byte (1.50e2 stays as written)
        assert!(
            l.starts_with(&format!("{{\"label\":\"l{i}\",\"text\":")),
            "{l}"
        );
        assert!(
            l.ends_with(&format!(",\"id\":\"r{i}\",\"n\":1.50e2}}")),
            "{l}"
        );
    }
    assert!(
        lines[0].contains("<PERSON>") && lines[0].contains("<EMAIL_ADDRESS>"),
        "{}",
        lines[0]
    );
    assert!(!text.contains("grace.hall@acme.io") && !text.contains("4111 1111"));
    assert!(lines[2].contains("Thanks for the quick reply, the parcel arrived."));
    let quarantine = std::fs::read_to_string(&q).unwrap();
    assert_eq!(quarantine.lines().count(), 2);
    let first: serde_json::Value =
        serde_json::from_str(quarantine.lines().next().unwrap()).unwrap();
    assert_eq!(first["findings"][0]["entity"], "US_SSN");
    assert_eq!(first["line"], 5);
    // the report names types and offsets, never the values
    let report = serde_json::to_string(&rep).unwrap();
    assert!(
        !report.contains("536-22-8712") && !report.contains("Grace"),
        "{report}"
    );
    assert_eq!(rep.entities["EMAIL_ADDRESS"].found, 2);
}

#[test]
fn strict_fails_on_residue_and_commits_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path());
    let p = policy("[entities.PERSON]\noperator = \"keep\"\n");
    let r = Redactor::new(&ANALYZER, &p, None).unwrap();
    let (out, q) = (dir.path().join("out.jsonl"), dir.path().join("q.jsonl"));
    let rep = redact_file(&r, &p, None, &input, &out, &q, &Fields::default(), true).unwrap();
    assert!(!rep.residual.pass);
    assert!(rep.residual.by_entity["PERSON"] >= 2, "{:?}", rep.residual);
    assert!(!out.exists(), "a failed strict run writes no output");
    assert_eq!(rep.output_sha256, None);
    // the default policy leaves nothing on the same data
    let d = Policy::default();
    let r = Redactor::new(&ANALYZER, &d, None).unwrap();
    let rep = redact_file(&r, &d, None, &input, &out, &q, &Fields::default(), true).unwrap();
    assert!(rep.residual.pass, "{:?}", rep.residual);
    assert!(out.exists());
}

#[test]
fn keyed_operators_need_a_key() {
    let p = policy("[default]\noperator = \"hash\"\n");
    assert!(Redactor::new(&ANALYZER, &p, None).is_err());
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("p.toml");
    std::fs::write(&bad, "[default]\noperator = \"hash\"\nlength = 3\n").unwrap();
    let e = Policy::from_file(&bad).unwrap_err().to_string();
    assert!(e.contains("p.toml") && e.contains("hash length"), "{e}");
}

#[test]
fn encrypted_files_restore_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_jsonl(dir.path());
    let p = policy("[default]\noperator = \"encrypt\"\n");
    let k = key(7);
    let r = Redactor::new(&ANALYZER, &p, Some(&k)).unwrap();
    let (out, q) = (dir.path().join("out.jsonl"), dir.path().join("q.jsonl"));
    redact_file(
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
    let back = dir.path().join("back.jsonl");
    let n = restore_file(&k, &out, &back, &Fields::default()).unwrap();
    assert!(n >= 6, "{n}");
    let orig: Vec<serde_json::Value> = std::fs::read_to_string(&input)
        .unwrap()
        .lines()
        .take(5) // the sixth line is not JSON: quarantined
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let got: Vec<serde_json::Value> = std::fs::read_to_string(&back)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(orig, got);
    // the wrong key is refused, naming the line, not the token
    let e = restore_file(
        &key(8),
        &out,
        &dir.path().join("x.jsonl"),
        &Fields::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("line 1") && e.contains("does not decrypt"),
        "{e}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn pseudonyms_are_consistent_across_runs_and_records(
        first in "[A-Z][a-z]{3,8}", last in "[A-Z][a-z]{3,9}", user in "[a-z]{3,10}",
    ) {
        let p = policy("[default]\noperator = \"pseudonymize\"\n");
        let k = key(3);
        let text = format!("Dear {first} {last}, your address {user}@mail.example.com is confirmed.");
        let a = Redactor::new(&ANALYZER, &p, Some(&k)).unwrap().redact(&text, "r1").unwrap();
        // a second redactor (a second run) and another record give the same surrogates
        let b = Redactor::new(&ANALYZER, &p, Some(&k)).unwrap().redact(&text, "r2").unwrap();
        prop_assert_eq!(&a.text, &b.text);
        prop_assert!(!a.text.contains(&format!("{user}@")), "{}", a.text);
        // another key, another mapping
        let k2 = key(4);
        let c = Redactor::new(&ANALYZER, &p, Some(&k2)).unwrap().redact(&text, "r1").unwrap();
        if !a.applied.is_empty() {
            prop_assert_ne!(&a.text, &c.text);
        }
    }

    #[test]
    fn encrypt_then_restore_is_the_identity(
        user in "[a-z]{2,10}", words in "[a-zA-Z ,.'\"\\\\]{0,40}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let text = format!("{words} write to {user}.x@corp.example.com {words}");
        let line = serde_json::json!({"id": 1, "text": text}).to_string();
        let input = dir.path().join("in.jsonl");
        std::fs::write(&input, format!("{line}\n")).unwrap();
        let p = policy("[default]\noperator = \"encrypt\"\n");
        let k = key(9);
        let r = Redactor::new(&ANALYZER, &p, Some(&k)).unwrap();
        let (out, q) = (dir.path().join("o.jsonl"), dir.path().join("q.jsonl"));
        redact_file(&r, &p, Some(&k), &input, &out, &q, &Fields::default(), false).unwrap();
        let back = dir.path().join("b.jsonl");
        restore_file(&k, &out, &back, &Fields::default()).unwrap();
        let got: serde_json::Value = serde_json::from_str(std::fs::read_to_string(&back).unwrap().trim()).unwrap();
        prop_assert_eq!(got["text"].as_str().unwrap(), text.as_str());
    }
}

#[test]
fn a_batch_is_redacted_as_each_text_alone() {
    let p = policy(
        "[entities.PERSON]\noperator = \"pseudonymize\"\n[entities.EMAIL_ADDRESS]\noperator = \"hash\"\n[entities.PHONE_NUMBER]\noperator = \"mask\"\n[entities.US_SSN]\noperator = \"keep\"\n[quarantine]\nentities = [\"CREDIT_CARD\"]\nmin_score = 0.5\n",
    );
    let k = key(7);
    let r = Redactor::new(&ANALYZER, &p, Some(&k)).unwrap();
    // More texts than one stage run, kept values (the SSN) left as residue.
    let mut texts: Vec<String> = Vec::new();
    for i in 0..150 {
        texts.push(format!(
            "{} (ticket {i}); my SSN is 536-22-8712",
            TEXTS[i % TEXTS.len()]
        ));
    }
    let items: Vec<(&str, String)> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), format!("r{i}")))
        .collect();
    let pairs: Vec<(&str, &str)> = items.iter().map(|(t, id)| (*t, id.as_str())).collect();
    let batch = r.redact_batch(&pairs);
    assert_eq!(batch.len(), pairs.len());
    let mut residual = 0;
    for (&(t, id), got) in pairs.iter().zip(batch) {
        let got = got.unwrap();
        let alone = r.redact(t, id).unwrap();
        assert_eq!(got.text, alone.text, "{t}");
        assert_eq!(got.applied, alone.applied, "{t}");
        assert_eq!(got.quarantine, alone.quarantine, "{t}");
        assert_eq!(got.residual, alone.residual, "{t}");
        residual += got.residual.len();
    }
    assert!(residual >= pairs.len(), "the kept SSNs are residual");
}

#[test]
fn joined_texts_are_analysed_together_and_rewritten_each_on_its_own() {
    let p = policy("");
    let r = Redactor::new(&ANALYZER, &p, None).unwrap();
    // The texts of one conversation, joined as the JSONL reader joins the
    // matches of `/messages/*/content`.
    let turns = [TEXTS[0], "", TEXTS[3]];
    let sep = veil_core::io::jsonl::PART_SEPARATOR;
    let joined = turns.join(sep);
    let starts = [
        0,
        TEXTS[0].len() + sep.len(),
        TEXTS[0].len() + 2 * sep.len(),
    ];
    let parts: Vec<(String, usize)> = (starts.iter().enumerate())
        .map(|(k, &s)| (format!("/messages/{k}/content"), s))
        .collect();
    let got = r
        .redact_batch_parts(&[(joined.as_str(), "r1", &parts[..])])
        .pop()
        .unwrap()
        .unwrap();
    // Each text's rewrite is that text redacted (none here needs another's
    // context), and the joined rewrite is them joined.
    assert_eq!(got.parts.len(), 3);
    for (turn, part) in turns.iter().zip(&got.parts) {
        assert_eq!(part, &r.redact(turn, "r1").unwrap().text, "{turn}");
    }
    assert_eq!(got.text, got.parts.join(sep));
    assert!(!got.text.contains("Maria Garcia") && !got.text.contains("grace.hall@"));
    // Offsets of what was applied are in the joined text.
    for (span, _) in &got.applied {
        assert!(!joined[span.start..span.end].contains('\n'), "{span:?}");
    }
    assert!(got.residual.is_empty(), "{:?}", got.residual);
    // A single text has no parts.
    let one = r.redact_batch(&[(TEXTS[0], "r1")]).pop().unwrap().unwrap();
    assert!(one.parts.is_empty());
}
