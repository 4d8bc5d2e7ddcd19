//! JSON Lines records: one object per line with a text field and an id field.

use crate::io::text::LineReader;

mod quick;
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
    /// The text field's value; for a field pattern with `*`
    /// ([`has_wildcard`]), every text it matches, in document order,
    /// joined by [`PART_SEPARATOR`].
    pub text: String,
    /// For a field pattern with `*`: each matched text's pointer and the
    /// byte offset in `text` where it starts (empty otherwise).
    pub parts: Parts,
}

/// The texts a field pattern with `*` matched in a record: each one's
/// JSON Pointer and the byte offset where it starts in the joined text.
pub type Parts = Vec<(String, usize)>;

/// The index of the part of a joined text ([`Parts`], not empty) that
/// byte `offset` falls in: the last to start at or before it.
pub fn part_of(parts: &[(String, usize)], offset: usize) -> usize {
    parts.partition_point(|&(_, s)| s <= offset).max(1) - 1
}

/// The byte range of part `k` of a joined text `len` bytes long: from its
/// start to the next part's separator (or the end).
pub fn part_range(parts: &[(String, usize)], k: usize, len: usize) -> (usize, usize) {
    let end = parts
        .get(k + 1)
        .map_or(len, |&(_, s)| s - PART_SEPARATOR.len());
    (parts[k].1, end)
}

/// What joins the texts a field pattern with `*` matches (a paragraph
/// break: each text is analysed with the others of its record around it,
/// as the turns of one conversation).
pub const PART_SEPARATOR: &str = "\n\n";

/// Parse one JSONL line into a record. Blank lines are errors too: the
/// contract is one object per line.
pub fn parse_line(
    line: &str,
    number: u64,
    path: &Path,
    text_field: &str,
    id_field: &str,
) -> Result<JsonRecord> {
    // The common flat shape is read by hand; anything else (and every
    // error) goes through serde_json, which gives the same fields.
    parse(line, number, path, text_field, id_field, quick::fields)
}

/// [`parse_line`] without the file's name: the record, or what is wrong
/// with the line (the message of [`Error::BadRecord`], which the caller
/// completes with the file). What a scan's workers run on raw lines.
pub fn parse_record(
    line: &str,
    number: u64,
    text_field: &str,
    id_field: &str,
) -> std::result::Result<JsonRecord, String> {
    record_of(line, number, text_field, id_field, quick::fields)
}

/// [`parse_line`] through serde_json alone, without the hand-written fast
/// path: the reference the fast path is tested and fuzzed against.
#[doc(hidden)]
pub fn parse_line_serde(
    line: &str,
    number: u64,
    path: &Path,
    text_field: &str,
    id_field: &str,
) -> Result<JsonRecord> {
    parse(line, number, path, text_field, id_field, |_, _, _| None)
}

/// The record of `line`: its fields as `fast` reads them, or (where it
/// reads none) as serde_json does; errors name the file and line.
fn parse(
    line: &str,
    number: u64,
    path: &Path,
    text_field: &str,
    id_field: &str,
    fast: fn(&str, &str, &str) -> Option<FieldValues>,
) -> Result<JsonRecord> {
    record_of(line, number, text_field, id_field, fast).map_err(|message| Error::BadRecord {
        path: path.to_path_buf(),
        line: number,
        message,
    })
}

/// Whether a field name is a JSON Pointer (RFC 6901) into nested objects
/// and arrays — `/message/body`, `/messages/0/content` — rather than a
/// top-level key: it starts with `/` (a top-level key that itself starts
/// with `/` is the pointer `/~1key`).
pub fn is_pointer(field: &str) -> bool {
    field.starts_with('/')
}

/// The reference tokens of a JSON Pointer ([`is_pointer`]), unescaped
/// (`~1` is `/`, `~0` is `~`): `/a~1b/0` → `["a/b", "0"]`.
pub fn pointer_tokens(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Whether a field is a JSON Pointer with a `*` token, which stands for
/// every member of an object or element of an array:
/// `/messages/*/content` names the content of each message.
pub fn has_wildcard(field: &str) -> bool {
    is_pointer(field) && field.split('/').any(|t| t == "*")
}

/// Every value `tokens` reach below `value` (a `*` token: each member or
/// element), with its pointer, in document order.
fn matches<'v>(value: &'v Value, tokens: &[String], at: &str, out: &mut Vec<(String, &'v Value)>) {
    let Some((token, rest)) = tokens.split_first() else {
        out.push((at.to_string(), value));
        return;
    };
    let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
    match (token.as_str(), value) {
        ("*", Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                matches(v, rest, &format!("{at}/{i}"), out);
            }
        }
        ("*", Value::Object(members)) => {
            for (k, v) in members {
                matches(v, rest, &format!("{at}/{}", escape(k)), out);
            }
        }
        (_, Value::Object(members)) => {
            if let Some(v) = members.get(token) {
                matches(v, rest, &format!("{at}/{}", escape(token)), out);
            }
        }
        (_, Value::Array(items)) => {
            if let Some(v) = array_index(token).and_then(|i| items.get(i)) {
                matches(v, rest, &format!("{at}/{token}"), out);
            }
        }
        _ => {}
    }
}

/// The texts `pattern` ([`has_wildcard`]) matches in `value`, joined by
/// [`PART_SEPARATOR`], with each one's pointer and start; `Ok(None)` when
/// it matches nothing, an error naming the first match that is neither a
/// string nor null (null reads as an empty text).
pub fn matched_texts(
    value: &Value,
    pattern: &str,
) -> std::result::Result<Option<(String, Parts)>, String> {
    let mut found = Vec::new();
    matches(value, &pointer_tokens(pattern), "", &mut found);
    if found.is_empty() {
        return Ok(None);
    }
    let mut text = String::new();
    let mut parts = Vec::with_capacity(found.len());
    for (k, (pointer, v)) in found.into_iter().enumerate() {
        let piece = match v {
            Value::String(s) => s.as_str(),
            Value::Null => "",
            _ => return Err(format!("field `{pointer}` is not a string")),
        };
        if k > 0 {
            text.push_str(PART_SEPARATOR);
        }
        parts.push((pointer, text.len()));
        text.push_str(piece);
    }
    Ok(Some((text, parts)))
}

/// A pointer token read as an array index: digits without a sign or a
/// leading zero (RFC 6901), as `serde_json::Value::pointer` reads them.
pub fn array_index(token: &str) -> Option<usize> {
    if token.starts_with('+') || (token.starts_with('0') && token.len() > 1) {
        return None;
    }
    token.parse().ok()
}

/// [`parse`] without the file's name in errors.
fn record_of(
    line: &str,
    number: u64,
    text_field: &str,
    id_field: &str,
    fast: fn(&str, &str, &str) -> Option<FieldValues>,
) -> std::result::Result<JsonRecord, String> {
    let (fields, parts) = if is_pointer(text_field) || is_pointer(id_field) {
        pointer_fields(line, text_field, id_field)?
    } else {
        let fields = match fast(line, text_field, id_field) {
            Some(f) => f,
            None => serde_fields(line, text_field, id_field)?,
        };
        (fields, Parts::new())
    };
    record(fields, parts, number, text_field)
}

/// The text and id fields of `line`, either of them a JSON Pointer
/// ([`is_pointer`]): the whole object parsed, each field looked up; with
/// the [`Parts`] of a text field pattern with `*`.
fn pointer_fields(
    line: &str,
    text_field: &str,
    id_field: &str,
) -> std::result::Result<(FieldValues, Parts), String> {
    let value: Value = serde_json::from_str(line)
        .map_err(|e| format!("not valid JSON ({})", e.classify_name()))?;
    if !value.is_object() {
        return Err("not a JSON object".into());
    }
    let at = |field: &str| {
        if is_pointer(field) {
            value.pointer(field).cloned()
        } else {
            value.get(field).cloned()
        }
    };
    if has_wildcard(text_field) {
        let (text, parts) = match matched_texts(&value, text_field)? {
            Some((text, parts)) => (Some(Value::String(text)), parts),
            None => (None, Parts::new()),
        };
        let fields = FieldValues {
            text,
            id: at(id_field),
        };
        return Ok((fields, parts));
    }
    let fields = FieldValues {
        text: at(text_field),
        id: at(id_field),
    };
    Ok((fields, Parts::new()))
}

/// The record from the fields read, or what is wrong with them.
fn record(
    fields: FieldValues,
    parts: Parts,
    number: u64,
    text_field: &str,
) -> std::result::Result<JsonRecord, String> {
    let text = match fields.text {
        Some(Value::String(s)) => s,
        Some(Value::Null) => String::new(),
        Some(_) => return Err(format!("field `{text_field}` is not a string")),
        None => return Err(format!("no field `{text_field}`")),
    };
    let id = fields.id.unwrap_or(Value::from(number));
    Ok(JsonRecord {
        line: number,
        id,
        text,
        parts,
    })
}

/// The text and id fields of `line` read by serde_json, or why the line
/// is no JSON object.
fn serde_fields(
    line: &str,
    text_field: &str,
    id_field: &str,
) -> std::result::Result<FieldValues, String> {
    let not_json = |e: serde_json::Error| format!("not valid JSON ({})", e.classify_name());
    // An object is read field by field, keeping only the text and id
    // fields (no `Value` tree for the rest); anything else is parsed whole
    // to say what it is.
    if !line.trim_start().starts_with('{') {
        let value: Value = serde_json::from_str(line).map_err(not_json)?;
        debug_assert!(!value.is_object());
        return Err("not a JSON object".into());
    }
    let mut de = serde_json::Deserializer::from_str(line);
    serde::de::DeserializeSeed::deserialize(
        Fields {
            text_field,
            id_field,
        },
        &mut de,
    )
    .and_then(|f| de.end().map(|()| f))
    .map_err(not_json)
}

/// The two fields a record needs, read from one JSON object; a repeated
/// key keeps its last value, as `serde_json::Value` does.
struct Fields<'f> {
    text_field: &'f str,
    id_field: &'f str,
}

/// What [`Fields`] read.
struct FieldValues {
    text: Option<Value>,
    id: Option<Value>,
}

/// Which of the wanted fields a key names.
enum Key {
    Text,
    Id,
    Other,
}

struct KeySeed<'f>(&'f Fields<'f>);

impl<'de> serde::de::DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> std::result::Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for KeySeed<'_> {
    type Value = Key;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a field name")
    }
    fn visit_str<E: serde::de::Error>(self, k: &str) -> std::result::Result<Key, E> {
        // The text field wins when both names are the same, as `remove`
        // on the map did (it took the text first).
        Ok(if k == self.0.text_field {
            Key::Text
        } else if k == self.0.id_field {
            Key::Id
        } else {
            Key::Other
        })
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Fields<'_> {
    type Value = FieldValues;
    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        d: D,
    ) -> std::result::Result<FieldValues, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Fields<'_> {
    type Value = FieldValues;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<FieldValues, A::Error> {
        let mut out = FieldValues {
            text: None,
            id: None,
        };
        while let Some(key) = map.next_key_seed(KeySeed(&self))? {
            match key {
                Key::Text => out.text = Some(map.next_value()?),
                Key::Id => out.id = Some(map.next_value()?),
                Key::Other => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        Ok(out)
    }
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
        // The line borrowed from the reader (no copy of it is kept).
        let line = self.lines.next_text()?;
        Some(line.and_then(|(number, _, text)| {
            parse_line(&text, number, &self.path, &self.text_field, &self.id_field)
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    /// What `parse_line` returned when it built a whole `Value` per line:
    /// the reference the field-by-field reader must agree with.
    fn via_value(line: &str, text_field: &str, id_field: &str) -> Option<(Value, String)> {
        let Ok(Value::Object(mut map)) = serde_json::from_str::<Value>(line) else {
            return None;
        };
        let text = match map.remove(text_field)? {
            Value::String(s) => s,
            Value::Null => String::new(),
            _ => return None,
        };
        Some((map.remove(id_field).unwrap_or(Value::from(7)), text))
    }

    #[test]
    fn field_reader_edge_cases() {
        let p = Path::new("d.jsonl");
        let get = |l: &str| parse_line(l, 7, p, "text", "id");
        // A repeated key keeps its last value; other fields of any shape are skipped.
        let r = get(r#"{"text":"a","meta":{"x":[1,{"y":null}]},"text":"b","id":[1,2]}"#).unwrap();
        assert_eq!((r.text.as_str(), r.id), ("b", serde_json::json!([1, 2])));
        // Escapes in keys and values.
        let r = get(r#"{"t\u0065xt":"caf\u00e9 \"x\"","id":"\n"}"#).unwrap();
        assert_eq!((r.text.as_str(), r.id), ("café \"x\"", Value::from("\n")));
        // Same field for text and id: the text takes it, the id is the line number.
        let r = parse_line(r#"{"f":"x"}"#, 3, p, "f", "f").unwrap();
        assert_eq!((r.text.as_str(), r.id), ("x", Value::from(3)));
        for (line, msg) in [
            ("[1,2]", "not a JSON object"),
            ("  \"text\"", "not a JSON object"),
            ("", "not valid JSON (unexpected end of line)"),
            (r#"{"text":"a"} x"#, "not valid JSON (syntax error)"),
            (r#"{"text":"a""#, "not valid JSON (unexpected end of line)"),
            (r#"{"text":1}"#, "field `text` is not a string"),
            (r#"{"id":1}"#, "no field `text`"),
        ] {
            let e = get(line).unwrap_err().to_string();
            assert!(e.ends_with(msg), "{line}: {e}");
        }
    }

    #[test]
    fn pointer_fields_reach_into_nested_objects_and_arrays() {
        let p = Path::new("chats.jsonl");
        let line = r#"{"meta":{"conv":"c-9"},"msg":{"body":"mail bob@x.com","to":["a"]},"turns":[{"content":"first"},{"content":"second"}],"a/b":{"~k":"odd"}}"#;
        let r = parse_line(line, 1, p, "/msg/body", "/meta/conv").unwrap();
        assert_eq!(
            (r.text.as_str(), r.id),
            ("mail bob@x.com", Value::from("c-9"))
        );
        let r = parse_line(line, 1, p, "/turns/1/content", "id").unwrap();
        assert_eq!((r.text.as_str(), r.id), ("second", Value::from(1)));
        // Escaped tokens: `~1` is `/`, `~0` is `~`.
        let r = parse_line(line, 1, p, "/a~1b/~0k", "id").unwrap();
        assert_eq!(r.text, "odd");
        for (field, msg) in [
            ("/msg/missing", "no field `/msg/missing`"),
            ("/turns/01/content", "no field `/turns/01/content`"),
            ("/turns/2/content", "no field `/turns/2/content`"),
            ("/msg/to", "field `/msg/to` is not a string"),
        ] {
            let e = parse_line(line, 4, p, field, "id").unwrap_err().to_string();
            assert_eq!(e, format!("chats.jsonl:4: {msg}"));
        }
        assert_eq!(pointer_tokens("/a~1b/~01/"), ["a/b", "~1", ""]);
        assert!(has_wildcard("/turns/*/content") && !has_wildcard("/a*/b") && !has_wildcard("*"));
        assert_eq!(
            (
                array_index("0"),
                array_index("12"),
                array_index("01"),
                array_index("+1")
            ),
            (Some(0), Some(12), None, None)
        );
    }

    #[test]
    fn a_wildcard_field_joins_every_text_it_matches_with_their_pointers() {
        let p = Path::new("chats.jsonl");
        let line = r#"{"messages":[{"role":"system","content":"Be brief."},{"role":"tool"},{"role":"user","content":"I am Ann"},{"role":"assistant","content":null}]}"#;
        let r = parse_line(line, 1, p, "/messages/*/content", "id").unwrap();
        assert_eq!(r.text, "Be brief.\n\nI am Ann\n\n");
        assert_eq!(
            r.parts,
            [
                ("/messages/0/content".to_string(), 0),
                ("/messages/2/content".to_string(), 11),
                ("/messages/3/content".to_string(), 21),
            ]
        );
        // Every member of an object, keys escaped in the pointers.
        let r = parse_line(r#"{"m":{"a/b":"x","c":"y"}}"#, 1, p, "/m/*", "id").unwrap();
        assert_eq!(
            (r.text.as_str(), r.parts[0].0.as_str()),
            ("x\n\ny", "/m/a~1b")
        );
        // Nothing matched, or a match that is no text: a bad record.
        let e = parse_line(r#"{"messages":[]}"#, 2, p, "/messages/*/content", "id").unwrap_err();
        assert_eq!(
            e.to_string(),
            "chats.jsonl:2: no field `/messages/*/content`"
        );
        let e = parse_line(
            r#"{"messages":[{"content":[{"type":"text"}]}]}"#,
            3,
            p,
            "/messages/*/content",
            "id",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "chats.jsonl:3: field `/messages/0/content` is not a string"
        );
        // The parts of the conversation above: where an offset falls, and
        // each part's bounds (to the separator; the last one empty).
        let parts = [
            ("/a".to_string(), 0),
            ("/b".to_string(), 11),
            ("/c".to_string(), 21),
        ];
        assert_eq!(
            (part_of(&parts, 0), part_of(&parts, 12), part_of(&parts, 21)),
            (0, 1, 2)
        );
        assert_eq!(
            (
                part_range(&parts, 0, 21),
                part_range(&parts, 1, 21),
                part_range(&parts, 2, 21)
            ),
            ((0, 9), (11, 19), (21, 21))
        );
        // A plain field keeps no parts.
        assert!(
            parse_line(r#"{"text":"a"}"#, 1, p, "text", "id")
                .unwrap()
                .parts
                .is_empty()
        );
    }

    proptest::proptest! {
        /// The field-by-field reader gives the text and id that a whole
        /// `serde_json::Value` gives, on objects with repeated, nested and
        /// escaped fields, and refuses what the `Value` path refused.
        #[test]
        fn field_reader_agrees_with_value(
            fields in proptest::collection::vec(
                (proptest::sample::select(vec!["text", "id", "other", "te\\u0078t"]),
                 prop_oneof![
                     "[a-z \\\\\"é]{0,8}".prop_map(|s| serde_json::to_string(&s).unwrap()),
                     Just("null".to_string()),
                     Just("[1, {\"a\": \"b\"}]".to_string()),
                     (0i64..100).prop_map(|n| n.to_string()),
                 ]),
                0..6)
        ) {
            let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            let line = format!("{{{}}}", body.join(", "));
            let got = parse_line(&line, 7, Path::new("p"), "text", "id").ok().map(|r| (r.id, r.text));
            proptest::prop_assert_eq!(got, via_value(&line, "text", "id"), "{}", line);
        }

        /// The hand-written fast path and serde_json agree on every line:
        /// same record, or the same error (the fast path leaves errors to
        /// serde_json), on flat objects with escapes, numbers, literals
        /// and stray bytes.
        #[test]
        fn fast_path_agrees_with_serde_json(
            fields in proptest::collection::vec(
                (prop_oneof![
                    8 => proptest::sample::select(vec!["text", "id", "other"]),
                    1 => proptest::sample::select(vec!["te\\u0078t", "te\"xt", "t\u{1}"]),
                 ],
                 prop_oneof![
                     4 => "\"([a-zé]|\\\\[\"\\\\/bfnrtx]|\\\\u[0-9a-fA-F]{4}|\\\\ud83d\\\\ude00){0,6}\"",
                     2 => "[a-z \\\\\"é\u{1F600}\u{7}]{0,8}".prop_map(|s| serde_json::to_string(&s).unwrap()),
                     2 => "-?[0-9]{1,21}(\\.[0-9])?",
                     1 => proptest::sample::select(vec!["null", "true", "false", "fals", "[1, {\"a\": \"b\"}]"])
                         .prop_map(String::from),
                 ]),
                0..4),
            sep in prop_oneof![4 => Just(", "), 1 => proptest::sample::select(vec![",", " ,\t", ",,", " "])],
            tail in prop_oneof![4 => Just(""), 1 => proptest::sample::select(vec![" ", "\r", " x", ","])],
        ) {
            let body: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            let line = format!("{{{}}}{tail}", body.join(sep));
            let p = Path::new("p");
            let fast = parse_line(&line, 7, p, "text", "id").map_err(|e| e.to_string());
            let slow = parse_line_serde(&line, 7, p, "text", "id").map_err(|e| e.to_string());
            proptest::prop_assert_eq!(fast, slow, "{}", line);
        }
    }
}
