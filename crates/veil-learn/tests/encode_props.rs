//! Property tests of the schema-driven encoder: any cell either encodes into
//! the feature's contract (numbers in [0, 1], at most one hot input, text of
//! unit or zero norm) or is refused with its row and column; never a panic.

use proptest::prelude::*;
use std::path::Path;
use veil_core::io::columns::ColumnTable;
use veil_learn::encode::Encoder;
use veil_learn::schema::LoadedSchema;

const SCHEMA: &str = r#"
[label]
column = "y"
classes = ["a", "b"]
aliases = { "B" = "b" }

[[feature]]
kind = "numeric"
column = "n"
min = -3
max = 1000
transform = "none"

[[feature]]
kind = "numeric"
column = "g"
min = 0
max = 99999
transform = "log1p"

[[feature]]
kind = "categorical"
column = "c"
categories = ["x", "y", "z"]
missing = ["?"]

[[feature]]
kind = "text"
column = "t"
buckets = 16
"#;

fn table(rows: &[(String, String, String, String, String)]) -> ColumnTable {
    let mut cells = vec![Vec::new(); 5];
    for r in rows {
        cells[0].push(r.0.clone());
        cells[1].push(r.1.clone());
        cells[2].push(r.2.clone());
        cells[3].push(r.3.clone());
        cells[4].push(r.4.clone());
    }
    ColumnTable {
        path: "mem.csv".into(),
        names: ["n", "g", "c", "t", "y"].map(String::from).to_vec(),
        cells,
        positions: (2..2 + rows.len() as u64).collect(),
    }
}

fn number() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|v| v.to_string()),
        (-10i64..200_000).prop_map(|v| v.to_string()),
        "[a-z0-9.eE+-]{0,6}",
        Just("NaN".to_string()),
        Just("inf".to_string()),
    ]
}

proptest! {
    #[test]
    fn cells_encode_within_contract_or_are_refused(
        rows in prop::collection::vec(
            (number(), number(), prop_oneof![Just("x".to_string()), Just("?".to_string()), "[a-z?]{0,2}"],
             ".{0,40}", prop_oneof![Just("a".to_string()), Just("B".to_string()), "[ab]{0,2}"]),
            1..20)
    ) {
        let schema = LoadedSchema::from_text(SCHEMA, Path::new("s.toml")).unwrap();
        let enc = Encoder::new(&schema.schema);
        prop_assert_eq!(enc.dim(), 1 + 1 + 3 + 16);
        match enc.encode(&table(&rows), true) {
            Ok(e) => {
                let y = e.y.unwrap();
                for (i, row) in e.x.rows().into_iter().enumerate() {
                    prop_assert!((0.0..=1.0).contains(&row[0]) && (0.0..=1.0).contains(&row[1]));
                    let hot: f64 = row.iter().skip(2).take(3).sum();
                    prop_assert!(hot == 0.0 || hot == 1.0);
                    prop_assert_eq!(hot == 0.0, rows[i].2 == "?");
                    let tn: f64 = row.iter().skip(5).map(|v| v * v).sum();
                    prop_assert!(tn == 0.0 || (tn - 1.0).abs() < 1e-9);
                    prop_assert_eq!(y[i], usize::from(rows[i].4 != "a"));
                }
            }
            Err(err) => {
                let msg = err.to_string();
                prop_assert!(msg.starts_with("mem.csv: row "), "{}", msg);
                prop_assert!(msg.contains("column `"), "{}", msg);
            }
        }
    }
}
