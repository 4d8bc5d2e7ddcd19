//! A JSONL record's text and id fields as `--text-field` and `--id-field`
//! name them: a top-level key, or a JSON Pointer (RFC 6901,
//! `/message/body`, `/messages/0/content`; see
//! [`veil_core::io::jsonl::is_pointer`]) into nested objects and arrays.
//! The text is rewritten where it stands: every other value, at every
//! level, is kept byte for byte and in order.

use indexmap::IndexMap;
use serde_json::value::RawValue;
use std::borrow::Cow;
use veil_core::io::jsonl::{array_index, is_pointer, pointer_tokens};

/// A JSON object with its values unparsed.
pub(crate) type RawObject = IndexMap<String, Box<RawValue>>;

/// The raw JSON of the value `field` names in `map`, if it is there.
pub(crate) fn raw_at<'m>(map: &'m RawObject, field: &str) -> Option<Cow<'m, str>> {
    if !is_pointer(field) {
        return map.get(field).map(|r| Cow::Borrowed(r.get()));
    }
    let tokens = pointer_tokens(field);
    let (first, rest) = tokens.split_first()?;
    let mut value = map.get(first)?;
    let mut owned: Box<RawValue>;
    for token in rest {
        owned = child(value, token)?;
        value = &owned;
    }
    Some(Cow::Owned(value.get().to_string()))
}

/// `map` with the value `field` names replaced by `value`; `false` (and
/// `map` unchanged) when there is no such value.
pub(crate) fn replace_at(map: &mut RawObject, field: &str, value: Box<RawValue>) -> bool {
    if !is_pointer(field) {
        return map.insert(field.to_string(), value).is_some();
    }
    let tokens = pointer_tokens(field);
    let Some((first, rest)) = tokens.split_first() else {
        return false;
    };
    let Some(top) = map.get(first) else {
        return false;
    };
    match replaced(top, rest, value) {
        Some(new) => {
            map.insert(first.clone(), new);
            true
        }
        None => false,
    }
}

/// The member `token` of an object or the element it indexes in an array.
fn child(raw: &RawValue, token: &str) -> Option<Box<RawValue>> {
    match raw.get().trim_start().as_bytes().first()? {
        b'{' => serde_json::from_str::<RawObject>(raw.get())
            .ok()?
            .swap_remove(token),
        b'[' => {
            let mut items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).ok()?;
            let i = array_index(token)?;
            (i < items.len()).then(|| items.swap_remove(i))
        }
        _ => None,
    }
}

/// `raw` with the value at `tokens` below it replaced by `value`, its
/// other members and elements kept as they were.
fn replaced(raw: &RawValue, tokens: &[String], value: Box<RawValue>) -> Option<Box<RawValue>> {
    let Some((token, rest)) = tokens.split_first() else {
        return Some(value);
    };
    let json = match raw.get().trim_start().as_bytes().first()? {
        b'{' => {
            let mut map: RawObject = serde_json::from_str(raw.get()).ok()?;
            let new = replaced(map.get(token)?, rest, value)?;
            map.insert(token.clone(), new);
            serde_json::to_string(&map).ok()?
        }
        b'[' => {
            let mut items: Vec<Box<RawValue>> = serde_json::from_str(raw.get()).ok()?;
            let i = array_index(token)?;
            let new = replaced(items.get(i)?, rest, value)?;
            items[i] = new;
            serde_json::to_string(&items).ok()?
        }
        _ => return None,
    };
    RawValue::from_string(json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(json: &str) -> RawObject {
        serde_json::from_str(json).unwrap()
    }

    fn raw(json: &str) -> Box<RawValue> {
        RawValue::from_string(json.to_string()).unwrap()
    }

    /// JSON values up to three levels deep, keys with the characters a
    /// pointer escapes.
    fn json() -> impl proptest::strategy::Strategy<Value = serde_json::Value> {
        use proptest::prelude::*;
        let leaf = prop_oneof![
            "[a-z ]{0,6}".prop_map(serde_json::Value::from),
            (0i64..1000).prop_map(serde_json::Value::from),
            Just(serde_json::Value::Null),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
                proptest::collection::btree_map("[ab/~]{1,3}", inner, 0..4)
                    .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
            ]
        })
    }

    /// The pointers of every value inside `v` (not `v` itself).
    fn pointers(v: &serde_json::Value, at: &str, out: &mut Vec<String>) {
        let escape = |k: &str| k.replace('~', "~0").replace('/', "~1");
        let children: Vec<(String, &serde_json::Value)> = match v {
            serde_json::Value::Object(m) => m.iter().map(|(k, c)| (escape(k), c)).collect(),
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, c)| (i.to_string(), c))
                .collect(),
            _ => Vec::new(),
        };
        for (token, child) in children {
            let p = format!("{at}/{token}");
            out.push(p.clone());
            pointers(child, &p, out);
        }
    }

    proptest::proptest! {
        /// Replacing the value at any pointer of a record changes that
        /// value and no other: the record parses to the original with that
        /// one value set (`serde_json`'s own pointer), and reads it back.
        #[test]
        fn replace_at_changes_exactly_the_value_named(
            fields in proptest::collection::btree_map("[ab/~]{1,3}", json(), 1..4),
            pick in 0usize..64,
        ) {
            let record = serde_json::Value::Object(fields.into_iter().collect());
            let mut all = Vec::new();
            pointers(&record, "", &mut all);
            let pointer = &all[pick % all.len()];
            let mut map = object(&record.to_string());
            proptest::prop_assert!(replace_at(&mut map, pointer, raw(r#""<X>""#)));
            let got: serde_json::Value =
                serde_json::from_str(&serde_json::to_string(&map).unwrap()).unwrap();
            let mut want = record.clone();
            *want.pointer_mut(pointer).unwrap() = serde_json::Value::from("<X>");
            proptest::prop_assert_eq!(&got, &want, "{}", pointer);
            let back = raw_at(&map, pointer);
            proptest::prop_assert_eq!(back.as_deref(), Some(r#""<X>""#));
        }
    }

    #[test]
    fn fields_are_found_at_the_top_and_by_pointer() {
        let m = object(r#"{"text": "top", "msg": {"body": "deep", "n": [1, {"t": "x"}]}}"#);
        assert_eq!(raw_at(&m, "text").as_deref(), Some(r#""top""#));
        assert_eq!(raw_at(&m, "/msg/body").as_deref(), Some(r#""deep""#));
        assert_eq!(raw_at(&m, "/msg/n/1/t").as_deref(), Some(r#""x""#));
        assert_eq!(raw_at(&m, "/msg/n/2"), None);
        assert_eq!(raw_at(&m, "/msg/body/x"), None);
        assert_eq!(raw_at(&m, "/nope"), None);
    }

    #[test]
    fn a_nested_text_is_replaced_where_it_stands_and_nothing_else_moves() {
        let mut m = object(
            r#"{"id": 7, "msg": {"lang": "en", "body": "call Bob", "tags": [ 1,2 ]}, "z": 1.50}"#,
        );
        assert!(replace_at(&mut m, "/msg/body", raw(r#""call <PERSON>""#)));
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"id":7,"msg":{"lang":"en","body":"call <PERSON>","tags":[ 1,2 ]},"z":1.50}"#
        );
        let mut m = object(r#"{"turns": [{"content": "a"}, {"content": "b", "x": 1e3}]}"#);
        assert!(replace_at(&mut m, "/turns/1/content", raw(r#""B""#)));
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            r#"{"turns":[{"content": "a"},{"content":"B","x":1e3}]}"#
        );
        // Nothing there: nothing changes.
        let before = serde_json::to_string(&m).unwrap();
        assert!(!replace_at(&mut m, "/turns/5/content", raw(r#""?""#)));
        assert!(!replace_at(&mut m, "/nope/x", raw(r#""?""#)));
        assert_eq!(serde_json::to_string(&m).unwrap(), before);
    }
}
