//! End-to-end tests of the `veil` binary: the JSONL and SARIF contracts,
//! inputs of every kind, bad input, exit statuses.

use assert_cmd::Command;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn veil() -> Command {
    Command::cargo_bin("veil").expect("binary built")
}

fn write(dir: &Path, name: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, content).unwrap();
    p
}

fn jsonl(out: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect()
}

#[test]
fn file_mode_jsonl_has_byte_offsets_and_lines() {
    let dir = tempfile::tempdir().unwrap();
    let text = "first line\nwrite to jane.doe@example.org or call +44 20 7946 0958\n";
    let p = write(dir.path(), "note.txt", text);
    let out = veil()
        .args(["scan", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["path"], p.display().to_string());
    let f = &lines[0]["findings"][0];
    assert_eq!(f["entity_type"], "EMAIL_ADDRESS");
    let (s, e) = (
        f["start"].as_u64().unwrap() as usize,
        f["end"].as_u64().unwrap() as usize,
    );
    assert_eq!(&text[s..e], "jane.doe@example.org");
    assert_eq!(f["line"], 2);
    assert_eq!(f["end_line"], 2);
    assert!(
        f.get("value").is_none(),
        "raw values only with --show-values"
    );
    assert!(!String::from_utf8_lossy(&out.stdout).contains("jane.doe"));
}

#[test]
fn record_mode_keeps_one_line_per_input_with_code_point_offsets() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "chat.jsonl",
        "{\"id\": 7, \"text\": \"Szöllösy wrote: mail me at zoe@example.com\"}\n{not json\n{\"id\": \"b\", \"text\": \"nothing here\"}\n",
    );
    let out = veil()
        .args(["scan", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "bad lines give a non-zero exit");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("chat.jsonl:2:"),
        "error names file and line"
    );
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], 7);
    let email = lines[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["entity_type"] == "EMAIL_ADDRESS")
        .unwrap();
    let text = "Szöllösy wrote: mail me at zoe@example.com";
    let chars: Vec<char> = text.chars().collect();
    let got: String = chars
        [email["start"].as_u64().unwrap() as usize..email["end"].as_u64().unwrap() as usize]
        .iter()
        .collect();
    assert_eq!(got, "zoe@example.com");
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["error"].is_string());
    assert_eq!(lines[2]["id"], "b");
    assert_eq!(lines[2]["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn a_record_line_of_invalid_utf8_keeps_its_place_and_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = b"{\"id\": 1, \"text\": \"mail zoe@example.com\"}\n".to_vec();
    data.extend_from_slice(b"{\"id\": 2, \"text\": \"caf\xe9\"}\n");
    data.extend_from_slice(b"{\"id\": 3, \"text\": \"nothing\"}\n");
    let p = write(dir.path(), "latin1.jsonl", &data);
    let out = veil()
        .args(["scan", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("invalid UTF-8 at byte offset 64"),
        "{stderr}"
    );
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[1]["line"], 2, "the bad line's number, not 0");
    assert_eq!(lines[1]["id"], Value::Null);
    assert!(
        lines[1]["error"]
            .as_str()
            .unwrap()
            .contains("byte offset 64")
    );
    assert_eq!(lines[2]["id"], 3);
    // --lossy reads it as a record.
    let out = veil()
        .args(["scan", "--lossy", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(jsonl(&out.stdout)[1]["id"], 2);
}

#[cfg(unix)]
#[test]
fn output_onto_a_pipe_writes_through_it_and_leaves_it_a_pipe() {
    // As `--output /dev/null`: the output file must not be renamed onto a
    // device or pipe (as root that turned /dev/null into a regular file).
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let input = write(dir.path(), "in.txt", "mail zoe@example.com\n");
    let fifo = dir.path().join("out.fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    veil()
        .args(["scan", "--format", "jsonl", "--output"])
        .arg(&fifo)
        .arg(&input)
        .assert()
        .success();
    // Checked first: a replaced pipe would leave the reader waiting.
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(kind.is_fifo(), "the pipe was replaced by a file");
    let got = reader.join().unwrap();
    assert!(got.contains("EMAIL_ADDRESS"), "{got}");
}

#[test]
fn many_batches_keep_input_order_and_counts() {
    // More records than one batch holds, so several batches are in flight
    // in the analysis pipeline at once; a bad line in the middle is counted.
    let dir = tempfile::tempdir().unwrap();
    let mut src = String::new();
    for i in 0..20_000 {
        if i == 12_345 {
            src.push_str("{broken\n");
        } else if i % 3 == 0 {
            src.push_str(&format!(
                "{{\"id\": {i}, \"text\": \"write to u{i}@example.com\"}}\n"
            ));
        } else {
            src.push_str(&format!(
                "{{\"id\": {i}, \"text\": \"nothing to see here\"}}\n"
            ));
        }
    }
    let p = write(dir.path(), "many.jsonl", src);
    let out = veil()
        .args(["scan", "--format", "jsonl", "--threads", "2", "--no-names"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "the bad line gives a non-zero exit"
    );
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 20_000, "one output line per input line");
    for (i, l) in lines.iter().enumerate() {
        if i == 12_345 {
            assert_eq!(l["line"], 12_346);
            continue;
        }
        assert_eq!(l["id"], i as u64, "input order kept");
        let n = l["findings"].as_array().unwrap().len();
        assert_eq!(n, usize::from(i % 3 == 0), "line {i}");
    }
}

#[test]
fn text_and_id_fields_are_overridable() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "d.jsonl",
        "{\"key\": \"k1\", \"body\": \"ssn 514-69-0360\"}\n",
    );
    let out = veil()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--text-field",
            "body",
            "--id-field",
            "key",
        ])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    assert_eq!(lines[0]["id"], "k1");
    assert_eq!(lines[0]["findings"][0]["entity_type"], "US_SSN");
}

#[test]
fn csv_columns_are_classified_and_bad_rows_counted() {
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,contact,note\n");
    for i in 0..50 {
        csv.push_str(&format!("{i},user{i}@example.com,ok\n"));
    }
    csv.push_str("51,broken\n");
    let p = write(dir.path(), "customers.csv", csv);
    let out = veil().arg("scan").arg(&p).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("column `contact` is EMAIL_ADDRESS (100% of 50 sampled values"),
        "{stdout}"
    );
    assert!(stdout.contains("1 bad record(s)"), "{stdout}");
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("customers.csv:52: expected 3 fields, found 2")
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn surnames_that_are_words_are_found_in_a_name_column() {
    // A third of the commonest US surnames are English words: read after
    // their column's header, each cell is a PERSON finding, and the
    // column is classified from all of them.
    let dir = tempfile::tempdir().unwrap();
    let surnames = [
        "Smith", "Brown", "Young", "White", "Hall", "Baker", "Wood", "Stone",
    ];
    let mut csv = String::from("last_name,product_name\n");
    for s in surnames {
        csv.push_str(&format!("{s},Stone\n"));
    }
    let p = write(dir.path(), "people.csv", csv);
    let out = veil()
        .args(["scan", "--format", "jsonl", "--show-values"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    let found: Vec<(&str, &str)> = lines
        .iter()
        .flat_map(|l| {
            let column = l["column"].as_str().unwrap();
            l["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |f| (column, f["value"].as_str().unwrap()))
        })
        .collect();
    let expected: Vec<(&str, &str)> = surnames.iter().map(|s| ("last_name", *s)).collect();
    assert_eq!(found, expected);
    let out = veil().arg("scan").arg(&p).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("column `last_name` is PERSON (100% of 8 sampled values"),
        "{stdout}"
    );
}

#[test]
fn place_company_and_job_columns_are_classified_by_their_values_and_headers() {
    // Towns no gazetteer holds, countries that are also words, states that
    // are also first names, and firms named after people: read after their
    // column's header, each cell has its type.
    let dir = tempfile::tempdir().unwrap();
    let rows = [
        (
            "Dunnberg",
            "Turkey",
            "Nevada",
            "Fowler, Watson and Kelley",
            "Video editor",
        ),
        ("East Mark", "Chile", "Georgia", "Hansen-Burton", "Dentist"),
        (
            "West Jasonhaven",
            "Jersey",
            "Virginia",
            "Young and Sons",
            "Ship broker",
        ),
        (
            "Tiffanyland",
            "China",
            "Carolina",
            "Martinez-Hahn",
            "Risk manager",
        ),
    ];
    // Streets named after people, in four languages.
    let streets = [
        "119, chemin Françoise Rey",
        "Canale Manunta, 648 Piano 0",
        "Jobst-Steinberg-Straße 7/9",
        "boulevard Regnier",
    ];
    let mut csv = String::from("id,home_city,country,state,company,job,street_address\n");
    for (i, ((city, country, state, company, job), street)) in rows.iter().zip(streets).enumerate()
    {
        csv.push_str(&format!(
            "{i},{city},{country},{state},\"{company}\",{job},\"{street}\"\n"
        ));
    }
    let p = write(dir.path(), "accounts.csv", csv);
    let out = veil().arg("scan").arg(&p).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in [
        "column `home_city` is LOCATION (100% of 4 sampled values",
        "column `country` is LOCATION (100% of 4 sampled values",
        "column `state` is LOCATION (100% of 4 sampled values",
        "column `company` is ORGANIZATION (100% of 4 sampled values",
        "column `job` is TITLE (100% of 4 sampled values",
        "column `street_address` is LOCATION (100% of 4 sampled values",
    ] {
        assert!(stdout.contains(line), "{line}\n{stdout}");
    }
    assert!(!stdout.contains("PERSON"), "{stdout}");
}

#[test]
fn csv_rows_are_numbered_across_blocks_and_bad_rows_placed_on_their_line() {
    // Over a megabyte, so read in more than one block; a quoted cell with
    // line breaks; CRLF line ends (on which `csv` places a row a line early).
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("id,contact\r\n\"3\",\"first\r\nsecond\r\nthird\"\r\n");
    for i in 2..=40_000 {
        match i {
            20_000 => csv.push_str("20000\r\n"),
            40_000 => csv.push_str("40000,write to last@example.com\r\n"),
            _ => csv.push_str(&format!("{i},nothing to see in row {i}\r\n")),
        }
    }
    assert!(csv.len() > 1 << 20);
    let p = write(dir.path(), "big.csv", &csv);
    let out = veil()
        .args(["scan", "--entities", "EMAIL_ADDRESS", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["row"], 40_000);
    assert_eq!(lines[0]["column"], "contact");
    assert_eq!(lines[0]["findings"][0]["entity_type"], "EMAIL_ADDRESS");
    // Row 20,000 is on line 20,003: the header and two line breaks in
    // the first row's cell come before it.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("big.csv:20003: expected 2 fields, found 1"),
        "{stderr}"
    );
}

#[test]
fn csv_cell_lines_keep_their_order_row_and_column_across_blocks() {
    // The workers write each cell line up to its row number; the writer
    // ends it with the row counted over the blocks before.
    let dir = tempfile::tempdir().unwrap();
    let mut csv = String::from("from,to\n");
    let mut want = Vec::new();
    for i in 1..=40_000u64 {
        let (from, to) = match i % 7_001 {
            0 => {
                want.push((i, "from"));
                want.push((i, "to"));
                (format!("a{i}@example.com"), format!("b{i}@example.com"))
            }
            5 => {
                want.push((i, "to"));
                ("nobody".to_owned(), format!("c{i}@example.com"))
            }
            _ => (
                "plain words here".to_owned(),
                "more plain words in it".to_owned(),
            ),
        };
        csv.push_str(&format!("{from},{to}\n"));
    }
    assert!(csv.len() > 1 << 20);
    let p = write(dir.path(), "mail.csv", &csv);
    for threads in ["1", "2"] {
        let out = veil()
            .args(["scan", "--entities", "EMAIL_ADDRESS", "--format", "jsonl"])
            .args(["--threads", threads])
            .arg(&p)
            .output()
            .unwrap();
        let got: Vec<(u64, String)> = jsonl(&out.stdout)
            .iter()
            .map(|l| {
                assert_eq!(l["findings"][0]["entity_type"], "EMAIL_ADDRESS");
                assert_eq!(l["path"], p.to_str().unwrap());
                (
                    l["row"].as_u64().unwrap(),
                    l["column"].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let want: Vec<(u64, String)> = want.iter().map(|&(r, c)| (r, c.to_owned())).collect();
        assert_eq!(got, want, "--threads {threads}");
    }
}

#[test]
fn parquet_string_columns_are_scanned() {
    use arrow_array::{Int64Array, RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("customers.parquet");
    let schema = Arc::new(Schema::new(vec![
        Field::new("n", DataType::Int64, false),
        Field::new("contact", DataType::Utf8, true),
    ]));
    let emails: Vec<Option<String>> = (0..100)
        .map(|i| {
            if i == 3 {
                None
            } else {
                Some(format!("p{i}@example.net"))
            }
        })
        .collect();
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![
            Arc::new(Int64Array::from_iter_values(0..100)),
            Arc::new(StringArray::from(emails)),
        ],
    )
    .unwrap();
    let file = std::fs::File::create(&p).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
    let out = veil().arg("scan").arg(&p).output().unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("column `contact` is EMAIL_ADDRESS (100% of 99 sampled values"),
        "{stdout}"
    );
    let out = veil()
        .args(["scan", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 99);
    assert_eq!(lines[0]["row"], 1);
    assert_eq!(lines[0]["column"], "contact");
}

#[test]
fn directories_honour_gitignore_and_skip_binaries() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), ".gitignore", "ignored.txt\n");
    write(dir.path(), "ignored.txt", "mail a@example.com");
    write(
        dir.path(),
        "src/app.py",
        "TOKEN = 'ghp_4aZ1tNqv8WmQ3xYb7KpL2sRd9FhJ6cTe0UoI'\n",
    );
    write(dir.path(), "blob.bin", b"\x00\x01\x02 a@example.com");
    let out = veil()
        .args(["scan", "--format", "jsonl"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert!(lines[0]["path"].as_str().unwrap().ends_with("app.py"));
    assert_eq!(lines[0]["findings"][0]["entity_type"], "GITHUB_TOKEN");
    assert!(String::from_utf8_lossy(&out.stderr).contains("skipping binary file"));
}

/// A Parquet file of one string column.
fn write_parquet(path: &Path, column: &str, values: &[&str]) {
    use arrow_array::{RecordBatch, StringArray};
    use arrow_schema::{DataType, Field, Schema};
    use std::sync::Arc;
    let schema = Arc::new(Schema::new(vec![Field::new(column, DataType::Utf8, false)]));
    let batch = RecordBatch::try_new(
        schema.clone(),
        vec![Arc::new(StringArray::from(values.to_vec()))],
    )
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut w = parquet::arrow::ArrowWriter::try_new(file, schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

#[test]
fn parquet_files_in_a_directory_are_read_as_tables() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("exports")).unwrap();
    write_parquet(
        &dir.path().join("exports/customers.parquet"),
        "contact",
        &["no one", "mail p1@example.net", "p2@example.org"],
    );
    // Text files stay whole-file text whatever their extension: a CSV in a
    // directory gives byte offsets and lines within the file.
    write(dir.path(), "notes.csv", "a,b\nx,q3@example.com\n");
    let scan = || {
        veil()
            .args(["scan", "--format", "jsonl"])
            .arg(dir.path())
            .output()
            .unwrap()
    };
    let out = scan();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!String::from_utf8_lossy(&out.stderr).contains("skipping binary file"));
    let lines = jsonl(&out.stdout);
    let cells: Vec<&Value> = lines.iter().filter(|l| l.get("row").is_some()).collect();
    assert_eq!(cells.len(), 2, "{lines:?}");
    for (cell, row, start) in [(cells[0], 2, 5), (cells[1], 3, 0)] {
        assert!(
            cell["path"]
                .as_str()
                .unwrap()
                .ends_with("customers.parquet")
        );
        assert_eq!(cell["column"], "contact");
        assert_eq!(cell["row"], row);
        assert_eq!(cell["findings"][0]["entity_type"], "EMAIL_ADDRESS");
        assert_eq!(cell["findings"][0]["start"], start);
    }
    let csv = lines
        .iter()
        .find(|l| l["path"].as_str().unwrap().ends_with("notes.csv"))
        .expect("the CSV's whole-file line");
    assert_eq!(csv["findings"][0]["start"], 6);
    assert_eq!(csv["findings"][0]["line"], 2);

    // A file named .parquet that is no Parquet is reported, and the rest is scanned.
    write(dir.path(), "broken.parquet", "not parquet at all");
    let out = scan();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("broken.parquet"));
    assert_eq!(jsonl(&out.stdout).len(), lines.len());
}

#[test]
fn parquet_exports_compressed_with_any_standard_codec_are_scanned() {
    // Written by pyarrow (testdata/make_compressed.py): gzip (Hive, older
    // Spark), zstd (polars' default), lz4 and brotli; snappy is tested
    // above (the parquet crate's and pyarrow's default).
    let mut seen = Vec::new();
    for codec in ["gzip", "zstd", "lz4", "brotli"] {
        let p = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("../veil-core/testdata/customers_{codec}.parquet"));
        let out = veil()
            .args([
                "scan",
                "--format",
                "jsonl",
                "--entities",
                "EMAIL_ADDRESS,PERSON",
            ])
            .arg(&p)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{codec}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let found: Vec<(String, String)> = jsonl(&out.stdout)
            .iter()
            .flat_map(|r| {
                let column = r["column"].as_str().unwrap_or_default().to_string();
                r["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(move |f| {
                        (
                            column.clone(),
                            f["entity_type"].as_str().unwrap().to_string(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect();
        seen.push((codec, found));
    }
    let (_, first) = &seen[0];
    assert_eq!(
        first
            .iter()
            .filter(|(c, e)| c == "email" && e == "EMAIL_ADDRESS")
            .count(),
        3,
        "{first:?}"
    );
    assert_eq!(
        first
            .iter()
            .filter(|(c, e)| c == "name" && e == "PERSON")
            .count(),
        3,
        "{first:?}"
    );
    for (codec, found) in &seen {
        assert_eq!(found, first, "{codec} reads as gzip does");
    }
}

#[test]
fn nested_text_and_id_fields_are_named_by_json_pointer() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "chats.jsonl",
        "{\"conv\": {\"id\": \"c1\"}, \"msg\": {\"body\": \"mail jane@example.com\"}}\n\
         {\"conv\": {\"id\": \"c2\"}, \"turns\": [{\"text\": \"x\"}], \"msg\": {\"body\": \"call 212-555-0199\"}}\n\
         {\"conv\": {\"id\": \"c3\"}, \"msg\": {\"subject\": \"no body\"}}\n",
    );
    let out = veil()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--text-field",
            "/msg/body",
            "--id-field",
            "/conv/id",
        ])
        .arg(&p)
        .output()
        .unwrap();
    // The record without the field is a bad record: counted, reported, exit 2.
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("chats.jsonl:3: no field `/msg/body`"));
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 3, "one output line per input line");
    assert_eq!(lines[0]["id"], "c1");
    assert_eq!(lines[0]["findings"][0]["entity_type"], "EMAIL_ADDRESS");
    assert_eq!(lines[0]["findings"][0]["start"], 5);
    assert_eq!(lines[1]["id"], "c2");
    assert_eq!(lines[1]["findings"][0]["entity_type"], "PHONE_NUMBER");
    assert_eq!(lines[2]["line"], 3);
}

#[test]
fn every_turn_of_a_chat_dataset_is_scanned_with_a_wildcard_field() {
    // The fine-tuning chat format: each record's texts are its messages'
    // contents, read together as one conversation.
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "train.jsonl",
        concat!(
            r#"{"id":"c1","messages":[{"role":"system","content":"You help customers."},"#,
            r#"{"role":"user","content":"Bonjour, je suis René. My number is"},"#,
            r#"{"role":"user","content":"212-555-0199, or mail rene@example.org"},"#,
            r#"{"role":"assistant","content":null}]}"#,
            "\n",
            r#"{"id":"c2","messages":[{"role":"user","content":[{"type":"text","text":"hi"}]}]}"#,
            "\n",
            r#"{"id":"c3","messages":[]}"#,
            "\n",
        ),
    );
    let out = veil()
        .args(["scan", "--format", "jsonl", "--show-values"])
        .args(["--text-field", "/messages/*/content"])
        .args(["--entities", "PHONE_NUMBER,EMAIL_ADDRESS"])
        .arg(&p)
        .output()
        .unwrap();
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 3, "one output line per input line");
    let found: Vec<(String, String, u64, u64, String)> = lines[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["entity_type"].as_str().unwrap().to_string(),
                f["field"].as_str().unwrap().to_string(),
                f["start"].as_u64().unwrap(),
                f["end"].as_u64().unwrap(),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            // Offsets in code points within the message that holds it.
            (
                "PHONE_NUMBER".into(),
                "/messages/2/content".into(),
                0,
                12,
                "212-555-0199".into()
            ),
            (
                "EMAIL_ADDRESS".into(),
                "/messages/2/content".into(),
                22,
                38,
                "rene@example.org".into()
            ),
        ]
    );
    // A content that is no text, and a conversation with none: bad records.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("train.jsonl:2: field `/messages/0/content` is not a string"),
        "{stderr}"
    );
    assert!(
        stderr.contains("train.jsonl:3: no field `/messages/*/content`"),
        "{stderr}"
    );
    assert_eq!(out.status.code(), Some(2));
    // SARIF names the message too.
    let sarif = veil()
        .args(["scan", "--format", "sarif", "--entities", "EMAIL_ADDRESS"])
        .args(["--text-field", "/messages/*/content"])
        .arg(&p)
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    let r = &v["runs"][0]["results"][0];
    assert_eq!(r["properties"]["field"], "/messages/2/content");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["charOffset"],
        22
    );
}

/// `content` written to `dir/name`, compressed as the name says.
fn write_compressed(dir: &Path, name: &str, content: &str) -> PathBuf {
    use std::io::Write;
    let p = dir.join(name);
    let mut out = veil_core::io::compressed::create(&p).unwrap();
    out.write_all(content.as_bytes()).unwrap();
    out.commit().unwrap();
    p
}

#[test]
fn compressed_inputs_are_scanned_as_the_files_they_hold() {
    let dir = tempfile::tempdir().unwrap();
    let records = "{\"id\": 1, \"text\": \"mail jane@example.com\"}\n\
                   {\"id\": 2, \"text\": \"call 212-555-0199\"}\n";
    let table = "name,contact\nA,bob@example.org\nB,no one\n";
    let text = "notes\nwrite to ann@example.net today\n";
    for (plain, packed, content) in [
        ("chats.jsonl", "chats.jsonl.gz", records),
        ("tickets.csv", "tickets.csv.zst", table),
        ("notes.txt", "notes.txt.gz", text),
    ] {
        let a = write(dir.path(), plain, content);
        let b = write_compressed(dir.path(), packed, content);
        let scan = |p: &Path| {
            let out = veil()
                .args([
                    "scan",
                    "--format",
                    "jsonl",
                    "--entities",
                    "EMAIL_ADDRESS,PHONE_NUMBER",
                ])
                .arg(p)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let mut lines = jsonl(&out.stdout);
            for l in &mut lines {
                l.as_object_mut().unwrap().remove("path");
            }
            lines
        };
        let (want, got) = (scan(&a), scan(&b));
        assert!(!want.is_empty(), "{plain}");
        assert_eq!(got, want, "{packed} reads as {plain}");
    }
    // In a directory, a compressed file is read, not skipped as binary:
    // offsets and lines are those of its decompressed text.
    let sub = dir.path().join("logs");
    std::fs::create_dir(&sub).unwrap();
    write_compressed(&sub, "app.log.zst", text);
    let out = veil()
        .args(["scan", "--format", "jsonl"])
        .arg(&sub)
        .output()
        .unwrap();
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 1, "{}", String::from_utf8_lossy(&out.stderr));
    let f = &lines[0]["findings"][0];
    assert_eq!(f["entity_type"], "EMAIL_ADDRESS");
    assert_eq!(
        (f["start"].as_u64(), f["line"].as_u64()),
        (Some(15), Some(2))
    );
}

#[test]
fn compressed_records_piped_to_standard_input_are_decoded() {
    let dir = tempfile::tempdir().unwrap();
    let records = "{\"id\": 1, \"text\": \"mail jane@example.com\"}\n";
    for name in ["r.jsonl.gz", "r.jsonl.zst"] {
        let packed = std::fs::read(write_compressed(dir.path(), name, records)).unwrap();
        let out = veil()
            .args(["scan", "--input-format", "jsonl", "--format", "jsonl", "-"])
            .write_stdin(packed)
            .output()
            .unwrap();
        assert!(out.status.success(), "{name}");
        let lines = jsonl(&out.stdout);
        assert_eq!(lines.len(), 1, "{name}");
        assert_eq!(
            lines[0]["findings"][0]["entity_type"], "EMAIL_ADDRESS",
            "{name}"
        );
    }
}

#[test]
fn a_truncated_compressed_file_is_an_error_after_what_it_held() {
    let dir = tempfile::tempdir().unwrap();
    let records: String = (0..20_000)
        .map(|i| format!("{{\"id\": {i}, \"text\": \"ticket {i}: mail p{i}@example.com\"}}\n"))
        .collect();
    let whole = write_compressed(dir.path(), "whole.jsonl.gz", &records);
    let bytes = std::fs::read(&whole).unwrap();
    let cut = write(dir.path(), "cut.jsonl.gz", &bytes[..bytes.len() / 2]);
    let out = veil()
        .args(["scan", "--format", "jsonl"])
        .arg(&cut)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("cut.jsonl.gz") && stderr.contains("gzip data"),
        "{stderr}"
    );
    // The records before the cut were scanned, in order, none invented.
    let lines = jsonl(&out.stdout);
    assert!(
        lines.len() > 1000 && lines.len() < 20_000,
        "{}",
        lines.len()
    );
    for (i, l) in lines.iter().enumerate() {
        assert_eq!(l["id"].as_u64(), Some(i as u64));
    }
}

#[test]
fn malformed_parquet_is_an_error_naming_the_file_without_a_panic_report() {
    // A file the parquet_table fuzz target found: the arrow crates panic
    // while decoding its pages; Veil reports it and exits 2.
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../veil-core/testdata/bad_definition_levels.parquet");
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("export.parquet");
    std::fs::copy(&fixture, &p).unwrap();
    let out = veil().arg("scan").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("export.parquet")
            && stderr.contains("malformed data the Parquet decoder cannot read"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn fail_on_sets_exit_status() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", "card 4111 1111 1111 1111");
    veil()
        .args(["scan", "--fail-on", "US_SSN"])
        .arg(&p)
        .assert()
        .code(0);
    veil()
        .args(["scan", "--fail-on", "CREDIT_CARD,US_SSN"])
        .arg(&p)
        .assert()
        .code(1);
    veil()
        .args(["scan", "--fail-on", "any"])
        .arg(&p)
        .assert()
        .code(1);
}

#[test]
fn a_misspelt_entity_type_is_an_error_not_an_empty_scan() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "a.txt", "mail me at jane@example.com");
    for flag in ["--entities", "--fail-on"] {
        veil()
            .args(["scan", flag, "EMAIL,US_SSN"])
            .arg(&p)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(format!(
                "{flag}: unknown entity type `EMAIL`"
            )))
            .stderr(predicates::str::contains("EMAIL_ADDRESS"));
    }
    // Built-in names in any case, and the types custom rules introduce.
    let rules = write(
        dir.path(),
        "rules.toml",
        "[[recognizer]]\nname = 'emp'\nentity = 'EMPLOYEE_ID'\npattern = 'EMP-[0-9]{5}'\nscore = 0.9\n",
    );
    let q = write(dir.path(), "b.txt", "EMP-12345 wrote to jane@example.com");
    let out = veil()
        .args([
            "scan",
            "--format",
            "jsonl",
            "--entities",
            "email_address,EMPLOYEE_ID",
        ])
        .arg("--rules")
        .arg(&rules)
        .arg(&q)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(
        stdout.contains("\"EMPLOYEE_ID\"") && stdout.contains("\"EMAIL_ADDRESS\""),
        "{stdout}"
    );
}

#[test]
fn a_gate_that_could_never_fire_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.txt",
        "Jane Doe, SSN: 536-90-4399, jane@example.com",
    );
    let refused: &[(&[&str], &str)] = &[
        (
            &["--entities", "EMAIL_ADDRESS", "--fail-on", "US_SSN"],
            "--fail-on US_SSN: not among --entities",
        ),
        (
            &["--no-names", "--fail-on", "PERSON"],
            "--fail-on PERSON: --no-names turns off",
        ),
        (
            &["--no-names", "--entities", "AGE,EMAIL_ADDRESS"],
            "--entities AGE: --no-names turns off",
        ),
    ];
    for (args, message) in refused {
        veil()
            .arg("scan")
            .args(*args)
            .arg(&p)
            .assert()
            .code(2)
            .stderr(predicates::str::contains(*message));
    }
    // A gate within the types scanned still fires.
    veil()
        .args([
            "scan",
            "--entities",
            "EMAIL_ADDRESS,US_SSN",
            "--fail-on",
            "us_ssn",
        ])
        .arg(&p)
        .assert()
        .code(1);
    // A type of the name pass that a deny-list reports stays on with --no-names.
    let deny = write(dir.path(), "deny.txt", "Jane Doe\n");
    veil()
        .args([
            "scan",
            "--no-names",
            "--deny-entity",
            "PERSON",
            "--fail-on",
            "PERSON",
        ])
        .arg("--deny-list")
        .arg(&deny)
        .arg(&p)
        .assert()
        .code(1);
}

#[test]
fn a_quasi_identifier_asked_for_alone_is_found() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "a.txt",
        "He is 45 years old and works at Acme Corp.",
    );
    let out = veil()
        .args(["scan", "--format", "jsonl", "--entities", "AGE"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("\"entity_type\":\"AGE\""), "{stdout}");
    assert!(!stdout.contains("ORGANIZATION"), "{stdout}");
}

#[test]
fn sarif_is_2_1_0_with_regions() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(
        dir.path(),
        "cfg.yaml",
        "a: 1\nslack: xoxb-2048123456-4096123456-Zk9aQm2WcT8rLp1Xs7VdNf3B\n",
    );
    let out = veil()
        .args(["scan", "--format", "sarif"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let log: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(log["version"], "2.1.0");
    let r = &log["runs"][0]["results"][0];
    assert_eq!(r["ruleId"], "SLACK_TOKEN");
    assert_eq!(r["level"], "error");
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(
        r["locations"][0]["physicalLocation"]["region"]["startColumn"],
        8
    );
    assert_eq!(
        log["runs"][0]["tool"]["driver"]["rules"][0]["id"],
        "SLACK_TOKEN"
    );
}

#[test]
fn invalid_utf8_is_reported_with_offset_or_replaced_with_lossy() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "bad.txt", b"hello \xff a@example.com");
    let out = veil().arg("scan").arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("invalid UTF-8 at byte offset 6"));
    let out = veil()
        .args(["scan", "--lossy", "--format", "jsonl"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        jsonl(&out.stdout)[0]["findings"][0]["entity_type"],
        "EMAIL_ADDRESS"
    );
}

#[test]
fn empty_input_is_fine() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "empty.txt", "");
    veil()
        .arg("scan")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicates::str::contains("No findings."));
    veil().arg("scan").write_stdin("").assert().success();
}

#[test]
fn stdin_lines_mode() {
    let out = veil()
        .args(["scan", "--lines", "--format", "jsonl"])
        .write_stdin("nothing\nip 192.168.10.20 here\n")
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0]["line"], 2);
    assert_eq!(lines[0]["findings"][0]["entity_type"], "IP_ADDRESS");
    assert_eq!(lines[0]["findings"][0]["start"], 3);
}

#[test]
fn lines_mode_numbers_lines_across_blocks_and_reports_invalid_utf8() {
    // Over a megabyte of CRLF lines (more than one block), one of them not
    // UTF-8, the last without a line break.
    let mut text = Vec::new();
    for i in 1..=60_000u32 {
        match i {
            30_000 => text.extend_from_slice(b"bad \xff then SSN 536-22-8726\r\n"),
            59_999 => text.extend_from_slice(b"mail eve@example.com\r\n"),
            60_000 => text.extend_from_slice(b"ip 10.1.2.3"),
            _ => text.extend_from_slice(format!("plain line number {i}\r\n").as_bytes()),
        }
    }
    assert!(text.len() > 1 << 20);
    let offset = text.iter().position(|&b| b == 0xff).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "big.txt", &text);
    let scan = |lossy: bool| {
        let mut cmd = veil();
        cmd.args(["scan", "--lines", "--format", "jsonl"]);
        cmd.args(["--entities", "EMAIL_ADDRESS,IP_ADDRESS,US_SSN"]);
        if lossy {
            cmd.arg("--lossy");
        }
        cmd.arg(&p).output().unwrap()
    };
    let out = scan(false);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("invalid UTF-8 at byte offset {offset} ")),
        "{stderr}"
    );
    let lines = jsonl(&out.stdout);
    let at: Vec<(u64, &str)> = lines
        .iter()
        .map(|l| {
            let line = l["line"].as_u64().unwrap();
            (line, l["findings"][0]["entity_type"].as_str().unwrap())
        })
        .collect();
    assert_eq!(at, [(59_999, "EMAIL_ADDRESS"), (60_000, "IP_ADDRESS")]);
    let out = scan(true);
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    assert_eq!(lines[0]["line"], 30_000);
    assert_eq!(lines[0]["findings"][0]["entity_type"], "US_SSN");
}

#[test]
fn long_single_line_finds_matches_across_segments() {
    // A 9 MB line: crosses several internal segment cuts. Matches near the
    // end and straddling nothing are found exactly once.
    let mut line = "x ".repeat(4_500_000);
    line.push_str("mail bob@example.com now");
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "long.txt", &line);
    let out = veil()
        .args(["scan", "--format", "jsonl", "--no-names"])
        .arg(&p)
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    let fs = lines[0]["findings"].as_array().unwrap();
    assert_eq!(fs.len(), 1);
    assert_eq!(
        fs[0]["start"].as_u64().unwrap() as usize,
        line.find("bob@").unwrap()
    );
}

#[test]
fn a_file_of_many_segments_is_one_line_with_every_finding() {
    // ~3 MB of lines, an e-mail every 1,000 lines: the file is read and
    // analysed in several segments, its JSONL line written as they come.
    // One line per file, in input order, every finding once, in order.
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::new();
    let mut starts = Vec::new();
    for i in 0..60_000 {
        if i % 1_000 == 0 {
            text.push_str("mail ");
            starts.push(text.len());
            text.push_str(&format!("user{i}@example.com"));
            text.push_str(" now\n");
        } else {
            text.push_str("nothing to see on this line here\n");
        }
    }
    let a = write(dir.path(), "a.txt", &text);
    let b = write(dir.path(), "b.txt", "and carol@example.org\n");
    let out = veil()
        .args(["scan", "--format", "jsonl", "--no-names", "--threads", "2"])
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert!(out.status.success());
    let lines = jsonl(&out.stdout);
    assert_eq!(lines.len(), 2);
    assert!(lines[0]["path"].as_str().unwrap().ends_with("a.txt"));
    let got: Vec<usize> = lines[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["start"].as_u64().unwrap() as usize)
        .collect();
    assert_eq!(got, starts);
    assert!(lines[1]["path"].as_str().unwrap().ends_with("b.txt"));
    assert_eq!(lines[1]["findings"][0]["start"], 4);
}

#[test]
fn custom_rules_allow_and_deny_lists() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "rules.toml",
        "[[recognizer]]\nname = \"employee_id\"\nentity = \"EMPLOYEE_ID\"\npattern = '\\bEMP-\\d{6}\\b'\nscore = 0.3\ncontext = [\"employee\"]\ncontext_score = 0.9\n\n[allow_list]\nvalues = [\"help@example.com\"]\n",
    );
    let deny = write(dir.path(), "deny.txt", "Project Nightjar\n");
    let p = write(
        dir.path(),
        "t.txt",
        "employee EMP-123456 wrote to help@example.com about project nightjar; EMP-654321 alone",
    );
    let out = veil()
        .args(["scan", "--format", "jsonl", "--show-values", "--rules"])
        .arg(&rules)
        .arg("--deny-list")
        .arg(&deny)
        .arg(&p)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = jsonl(&out.stdout);
    let got: Vec<(String, String)> = lines[0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["entity_type"].as_str().unwrap().to_string(),
                f["value"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("EMPLOYEE_ID".to_string(), "EMP-123456".to_string()),
            ("DENY_LIST".to_string(), "project nightjar".to_string())
        ]
    );
}

#[test]
fn bad_rules_file_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let rules = write(
        dir.path(),
        "rules.toml",
        "[[recognizer]]\nname = \"x\"\nentity = \"X\"\npattern = '('\n",
    );
    let out = veil()
        .args(["scan", "--rules"])
        .arg(&rules)
        .write_stdin("hi")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("rules.toml: recognizer `x`: invalid pattern")
    );
}

#[test]
fn output_file_is_written_atomically_and_input_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let p = write(dir.path(), "in.txt", "a@example.com");
    let before = std::fs::read(&p).unwrap();
    let outp = dir.path().join("findings.jsonl");
    veil()
        .args(["scan", "--format", "jsonl", "--output"])
        .arg(&outp)
        .arg(&p)
        .assert()
        .success();
    assert_eq!(jsonl(&std::fs::read(&outp).unwrap()).len(), 1);
    assert_eq!(std::fs::read(&p).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty());
}

#[test]
fn eval_scores_jsonl_gold() {
    let dir = tempfile::tempdir().unwrap();
    let gold = write(
        dir.path(),
        "gold.jsonl",
        "{\"text\": \"mail a@example.com now\", \"spans\": [{\"start\": 5, \"end\": 18, \"label\": \"EMAIL_ADDRESS\"}]}\n{\"text\": \"ip 10.1.2.3\", \"spans\": []}\n",
    );
    let out = veil()
        .args(["eval", "--json", "--gold"])
        .arg(&gold)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["entities"]["EMAIL_ADDRESS"]["f1"], 1.0);
    assert_eq!(v["entities"]["IP_ADDRESS"]["fp"], 1);
    assert!((v["micro"]["precision"].as_f64().unwrap() - 0.5).abs() < 1e-9);
}

/// The accuracy bar on Presidio's own labelled set (skipped when the shared
/// datasets are not beside the checkout).
#[test]
fn accuracy_on_presidio_synth_dataset() {
    let gold = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/datasets/pii/synth_dataset_v2.json");
    if !gold.exists() {
        eprintln!("skipping: {} not found", gold.display());
        return;
    }
    let out = veil()
        .args(["eval", "--json", "--gold"])
        .arg(&gold)
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let micro = v["micro"]["f1"].as_f64().unwrap();
    let person = v["entities"]["PERSON"]["f1"].as_f64().unwrap();
    assert!(micro >= 0.80, "typed micro-F1 {micro}");
    assert!(person >= 0.85, "PERSON F1 {person}");
}
