//! JSON Lines records: one object per line with a text field and an id field.

use crate::io::text::LineReader;
use crate::{Error, Result};
use serde_json::Value;
use std::io::BufRead;
use std::path::{Path, PathBuf};

/// One JSONL record.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonRecord {
    /// 1-based line number in the input.
    pub line: u64,
    /// The id field's value, or the line number when the record has none.
    pub id: Value,
    /// The text field's value.
    pub text: String,
}

/// Parse one JSONL line into a record. Blank lines are errors too: the
/// contract is one object per line.
pub fn parse_line(
    line: &str,
    number: u64,
    path: &Path,
    text_field: &str,
    id_field: &str,
) -> Result<JsonRecord> {
    let bad = |message: String| Error::BadRecord {
        path: path.to_path_buf(),
        line: number,
        message,
    };
    let value: Value = serde_json::from_str(line)
        .map_err(|e| bad(format!("not valid JSON ({})", e.classify_name())))?;
    let Value::Object(mut map) = value else {
        return Err(bad("not a JSON object".into()));
    };
    let text = match map.remove(text_field) {
        Some(Value::String(s)) => s,
        Some(Value::Null) => String::new(),
        Some(_) => return Err(bad(format!("field `{text_field}` is not a string"))),
        None => return Err(bad(format!("no field `{text_field}`"))),
    };
    let id = map.remove(id_field).unwrap_or(Value::from(number));
    Ok(JsonRecord {
        line: number,
        id,
        text,
    })
}

trait ClassifyName {
    fn classify_name(&self) -> &'static str;
}

impl ClassifyName for serde_json::Error {
    fn classify_name(&self) -> &'static str {
        match self.classify() {
            serde_json::error::Category::Io => "I/O error",
            serde_json::error::Category::Syntax => "syntax error",
            serde_json::error::Category::Data => "unexpected data",
            serde_json::error::Category::Eof => "unexpected end of line",
        }
    }
}

/// Streams JSONL records from a reader.
pub struct JsonlReader<R> {
    lines: LineReader<R>,
    path: PathBuf,
    text_field: String,
    id_field: String,
}

impl<R: BufRead> JsonlReader<R> {
    /// Read records whose text is in `text_field` and id in `id_field`.
    pub fn new(reader: R, path: &Path, text_field: &str, id_field: &str, lossy: bool) -> Self {
        JsonlReader {
            lines: LineReader::new(reader, path, lossy),
            path: path.to_path_buf(),
            text_field: text_field.to_string(),
            id_field: id_field.to_string(),
        }
    }
}

impl<R: BufRead> Iterator for JsonlReader<R> {
    type Item = Result<JsonRecord>;

    fn next(&mut self) -> Option<Self::Item> {
        let line = self.lines.next()?;
        Some(line.and_then(|l| {
            parse_line(
                &l.text,
                l.number,
                &self.path,
                &self.text_field,
                &self.id_field,
            )
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_records_and_reports_bad_lines() {
        let data =
            "{\"id\": \"a\", \"text\": \"hi\"}\nnot json\n{\"text\": 3}\n{\"text\": \"x\"}\n";
        let out: Vec<_> =
            JsonlReader::new(data.as_bytes(), Path::new("d.jsonl"), "text", "id", false).collect();
        assert_eq!(out.len(), 4);
        assert_eq!(out[0].as_ref().unwrap().id, Value::from("a"));
        let e = out[1].as_ref().unwrap_err().to_string();
        assert!(e.starts_with("d.jsonl:2: not valid JSON"), "{e}");
        assert!(
            out[2]
                .as_ref()
                .unwrap_err()
                .to_string()
                .contains("`text` is not a string")
        );
        assert_eq!(out[3].as_ref().unwrap().id, Value::from(4));
    }
}
