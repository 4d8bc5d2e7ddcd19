//! Untrusted schema TOML and CSV through veil-learn: schema parsing and
//! validation, the CSV table reader and the encoder (numbers, categories,
//! hashed text, labels). Must never panic; errors are fine. The first line of
//! the input is the schema (with `\n` escapes as `|`), the rest the CSV.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_learn::encode::Encoder;
use veil_learn::schema::LoadedSchema;
use veil_core::io::columns::read_columns;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let (schema_line, csv) = text.split_once('\n').unwrap_or((text, ""));
    let schema_text = schema_line.replace('|', "\n");
    let Ok(schema) = LoadedSchema::from_text(&schema_text, Path::new("fuzz.toml")) else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("in.csv");
    std::fs::write(&path, csv).expect("write");
    let enc = Encoder::new(&schema.schema);
    let mut wanted = enc.feature_columns();
    wanted.push(enc.label_column().to_string());
    if let Ok(t) = read_columns(&path, &schema.schema.source, &wanted, &[]) {
        let _ = enc.encode(&t, true);
    }
});
