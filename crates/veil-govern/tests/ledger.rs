//! Ledger behaviour users rely on: budgets hold, overspends are refused with
//! the remaining budget, corrupted files are refused, state survives reopening.

use proptest::prelude::*;
use veil_govern::{GovernError, Ledger, NewRelease};

fn release(eps: f64, delta: f64) -> NewRelease {
    NewRelease {
        kind: "dp query".into(),
        description: "count by region".into(),
        epsilon: eps,
        delta,
        accountant: "basic composition".into(),
        unit_of_privacy: "user_id".into(),
        mechanisms_json: "[]".into(),
        private: true,
    }
}

#[test]
fn releases_are_debited_until_the_budget_is_spent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.sqlite");
    let mut l = Ledger::open(&path).unwrap();
    l.register("sales", "ab12", 1.0, 1e-6).unwrap();
    l.debit("sales", &release(0.4, 5e-7)).unwrap();
    l.debit("sales", &release(0.4, 0.0)).unwrap();
    let err = l.debit("sales", &release(0.4, 0.0)).unwrap_err();
    match &err {
        GovernError::OverBudget {
            remaining_epsilon, ..
        } => assert!((remaining_epsilon - 0.2).abs() < 1e-9),
        other => panic!("unexpected {other}"),
    }
    assert!(err.to_string().contains("remain"));
    let err = l.debit("sales", &release(0.1, 6e-7)).unwrap_err();
    assert!(matches!(err, GovernError::OverBudget { .. }));
    drop(l);
    let l = Ledger::open(&path).unwrap();
    let d = l.dataset_by_hash("ab12").unwrap().unwrap();
    assert!((d.epsilon_spent - 0.8).abs() < 1e-12);
    assert_eq!(l.releases("sales").unwrap().len(), 2);
}

#[test]
fn registration_is_checked() {
    let dir = tempfile::tempdir().unwrap();
    let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
    assert!(l.register("a", "h", 0.0, 0.0).is_err());
    assert!(l.register("a", "h", f64::NAN, 0.0).is_err());
    assert!(l.register("a", "h", 1.0, 1.0).is_err());
    l.register("a", "h", 1.0, 0.0).unwrap();
    assert!(matches!(
        l.register("a", "h2", 1.0, 0.0),
        Err(GovernError::DuplicateDataset(_))
    ));
    assert!(matches!(
        l.debit("nope", &release(0.1, 0.0)),
        Err(GovernError::UnknownDataset(_))
    ));
}

#[test]
fn a_corrupted_or_foreign_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.sqlite");
    std::fs::write(
        &garbage,
        b"this is not a database at all, just some bytes that go on and on ....",
    )
    .unwrap();
    let err = Ledger::open(&garbage).err().expect("garbage refused");
    assert!(matches!(err, GovernError::Corrupt { .. }), "{err}");
    assert!(err.to_string().contains("garbage.sqlite"));

    let foreign = dir.path().join("foreign.sqlite");
    {
        let c = rusqlite::Connection::open(&foreign).unwrap();
        c.execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
            .unwrap();
    }
    let err = Ledger::open(&foreign).err().expect("foreign refused");
    assert!(err.to_string().contains("not a Veil ledger"), "{err}");

    // A valid ledger whose pages are overwritten in the middle.
    let hurt = dir.path().join("hurt.sqlite");
    {
        let mut l = Ledger::open(&hurt).unwrap();
        l.register("x", "h", 5.0, 0.0).unwrap();
        for _ in 0..200 {
            l.debit("x", &release(0.001, 0.0)).unwrap();
        }
    }
    // Checkpoint the WAL into the main file, then damage it.
    {
        let c = rusqlite::Connection::open(&hurt).unwrap();
        c.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
            .unwrap();
    }
    let mut bytes = std::fs::read(&hurt).unwrap();
    let len = bytes.len();
    for b in &mut bytes[len / 2..len / 2 + 2000] {
        *b = 0x5a;
    }
    std::fs::write(&hurt, bytes).unwrap();
    assert!(Ledger::open(&hurt).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// Whatever the sequence of requests, spending never exceeds the total and
    /// equals the sum of the accepted releases.
    #[test]
    fn spending_never_exceeds_the_budget(reqs in proptest::collection::vec((0.0f64..0.6, 0.0f64..4e-7), 1..15)) {
        let dir = tempfile::tempdir().unwrap();
        let mut l = Ledger::open(&dir.path().join("l.sqlite")).unwrap();
        l.register("d", "h", 1.0, 1e-6).unwrap();
        let mut accepted = (0.0, 0.0);
        for (e, d) in reqs {
            if l.debit("d", &release(e, d)).is_ok() {
                accepted.0 += e;
                accepted.1 += d;
            }
        }
        let ds = l.dataset_by_name("d").unwrap().unwrap();
        prop_assert!(ds.epsilon_spent <= 1.0 + 1e-9 && ds.delta_spent <= 1e-6 + 1e-15);
        prop_assert!((ds.epsilon_spent - accepted.0).abs() < 1e-9);
    }
}
