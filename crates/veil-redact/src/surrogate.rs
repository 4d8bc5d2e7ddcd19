//! Consistent, realistic surrogates for `pseudonymize`. Every choice is a
//! keyed PRF of the normalised original, so one value maps to one surrogate
//! under one key, across files and runs, and nothing about the original can
//! be read from the surrogate without the key.
//!
//! - PERSON: word by word, a first name for each word and a last name for
//!   the last of two or more, from the US Census and SSA lists veil-detect
//!   ships (common names only): "Grace Hall" and "Grace" share "Grace"'s surrogate.
//! - EMAIL_ADDRESS: `first.last@` one of the reserved example domains.
//! - PHONE_NUMBER: every digit replaced except a leading `+country` code;
//!   separators and length kept.
//! - CREDIT_CARD: the first two digits (the brand) kept, the rest keyed,
//!   the last digit recomputed so the number passes Luhn.
//! - DATE_TIME: ISO `YYYY-MM-DD`, US `MM/DD/YYYY` and `Month D, YYYY` /
//!   `D Month YYYY` dates shifted by a per-record offset (keyed by the
//!   record's id), so intervals within a record survive.
//! - anything else: letters to keyed letters (case kept), digits to keyed
//!   digits, everything else kept.

use crate::keys::Key;
use std::sync::LazyLock;
use veil_core::EntityType;
use veil_detect::gazetteer::Gazetteer;
use veil_detect::lexicon::MONTHS;

struct Names {
    first: Vec<String>,
    last: Vec<String>,
}

fn title(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f
            .to_uppercase()
            .chain(c.flat_map(char::to_lowercase))
            .collect(),
        None => String::new(),
    }
}

static NAMES: LazyLock<Names> = LazyLock::new(|| {
    let g = Gazetteer::get();
    let mut first: Vec<String> = g
        .first_names()
        .filter(|&(n, f)| f >= 0.002 && n.len() >= 3 && n.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|(n, _)| title(n))
        .collect();
    first.sort();
    let mut last: Vec<String> = g
        .last_names()
        .filter(|&(n, r)| r <= 3000 && n.len() >= 3 && n.chars().all(|c| c.is_ascii_alphabetic()))
        .map(|(n, _)| title(n))
        .collect();
    last.sort();
    Names { first, last }
});

/// Keyed choice in `0..n` from a PRF output.
fn pick(h: &[u8; 32], salt: usize, n: usize) -> usize {
    let mut b = [0u8; 8];
    b.copy_from_slice(&h[(salt * 8) % 32..(salt * 8) % 32 + 8]);
    (u64::from_le_bytes(b) % n.max(1) as u64) as usize
}

/// A keyed stream of digits/letters for format-preserving substitution.
struct Stream<'a> {
    key: &'a Key,
    seed: Vec<u8>,
    block: [u8; 32],
    counter: u64,
    at: usize,
}

impl<'a> Stream<'a> {
    fn new(key: &'a Key, purpose: &str, value: &str) -> Stream<'a> {
        let seed = key.prf(purpose, &[value.as_bytes()]).to_vec();
        Stream {
            key,
            seed,
            block: [0; 32],
            counter: 0,
            at: 32,
        }
    }

    fn byte(&mut self) -> u8 {
        if self.at == 32 {
            self.block = self.key.prf(
                "veil/pseudo/stream",
                &[&self.seed, &self.counter.to_le_bytes()],
            );
            self.counter += 1;
            self.at = 0;
        }
        self.at += 1;
        self.block[self.at - 1]
    }

    /// Uniform in 0..n (n ≤ 256) by rejection.
    fn below(&mut self, n: u8) -> u8 {
        let limit = 256 - (256 % u16::from(n));
        loop {
            let b = self.byte();
            if u16::from(b) < limit {
                return b % n;
            }
        }
    }
}

fn normalise(value: &str) -> String {
    value
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// The surrogate of `value` (an `entity`) under `key`; `record` keys date shifts.
pub fn surrogate(key: &Key, entity: &EntityType, value: &str, record: &str) -> String {
    let norm = normalise(value);
    match entity.as_str() {
        "PERSON" => person(key, &norm),
        "EMAIL_ADDRESS" => email(key, &norm),
        "PHONE_NUMBER" => phone(key, value),
        "CREDIT_CARD" => card(key, value),
        "DATE_TIME" => {
            shift_date(key, value, record).unwrap_or_else(|| generic(key, entity, value))
        }
        _ => generic(key, entity, value),
    }
}

fn person(key: &Key, norm: &str) -> String {
    // word by word (the last of two or more is a surname), so "Grace Hall",
    // "Grace" and "Hall" keep one surrogate for each of their words
    let words: Vec<&str> = norm.split(' ').filter(|w| !w.is_empty()).collect();
    let n = &*NAMES;
    words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if i + 1 == words.len() && words.len() >= 2 {
                let h = key.prf("veil/pseudo/last", &[w.as_bytes()]);
                n.last[pick(&h, 0, n.last.len())].clone()
            } else {
                let h = key.prf("veil/pseudo/first", &[w.as_bytes()]);
                n.first[pick(&h, 0, n.first.len())].clone()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn email(key: &Key, norm: &str) -> String {
    let h = key.prf("veil/pseudo/email", &[norm.as_bytes()]);
    let n = &*NAMES;
    let first = n.first[pick(&h, 0, n.first.len())].to_lowercase();
    let last = n.last[pick(&h, 1, n.last.len())].to_lowercase();
    let domain = ["example.com", "example.org", "example.net"][pick(&h, 2, 3)];
    format!("{first}.{last}{}@{domain}", pick(&h, 3, 100))
}

fn phone(key: &Key, value: &str) -> String {
    let mut s = Stream::new(
        key,
        "veil/pseudo/phone",
        &value
            .chars()
            .filter(char::is_ascii_digit)
            .collect::<String>(),
    );
    // keep a leading +country code (the digits before the first separator)
    let keep = value.strip_prefix('+').map_or(0, |rest| {
        rest.find(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1)
    });
    value
        .char_indices()
        .map(|(i, c)| {
            if i < keep || !c.is_ascii_digit() {
                c
            } else {
                char::from(b'0' + s.below(10))
            }
        })
        .collect()
}

/// Luhn check digit for `digits` (without the check digit).
pub(crate) fn luhn_digit(digits: &[u8]) -> u8 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            let d = u32::from(d);
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn card(key: &Key, value: &str) -> String {
    let digits: Vec<u8> = value
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect();
    if digits.len() < 4 {
        return generic(key, &EntityType::CREDIT_CARD, value);
    }
    let mut s = Stream::new(
        key,
        "veil/pseudo/card",
        &digits
            .iter()
            .map(|d| char::from(b'0' + d))
            .collect::<String>(),
    );
    let mut new: Vec<u8> = digits[..2].to_vec();
    while new.len() < digits.len() - 1 {
        new.push(s.below(10));
    }
    let check = luhn_digit(&new);
    new.push(check);
    let mut it = new.into_iter();
    value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from(b'0' + it.next().unwrap_or(0))
            } else {
                c
            }
        })
        .collect()
}

fn generic(key: &Key, entity: &EntityType, value: &str) -> String {
    let mut s = Stream::new(
        key,
        &format!("veil/pseudo/{}", entity.as_str()),
        &normalise(value),
    );
    value
        .chars()
        .map(|c| {
            if c.is_ascii_digit() {
                char::from(b'0' + s.below(10))
            } else if c.is_ascii_lowercase() {
                char::from(b'a' + s.below(26))
            } else if c.is_ascii_uppercase() {
                char::from(b'A' + s.below(26))
            } else {
                c
            }
        })
        .collect()
}

/// Days since 1970-01-01 of a civil date (Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn valid(y: i64, m: u32, d: u32) -> bool {
    (1..=12).contains(&m) && d >= 1 && civil_from_days(days_from_civil(y, m, d)) == (y, m, d)
}

/// The per-record shift in days: 1..=365 forwards or backwards, never 0.
pub fn date_offset(key: &Key, record: &str) -> i64 {
    let h = key.prf("veil/pseudo/date-offset", &[record.as_bytes()]);
    let x = pick(&h, 0, 730) as i64;
    if x < 365 { x - 365 } else { x - 364 }
}

fn shift_date(key: &Key, value: &str, record: &str) -> Option<String> {
    let off = date_offset(key, record);
    let v = value.trim();
    let num = |s: &str| s.parse::<u32>().ok();
    // ISO
    if v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-' {
        let (y, m, d) = (v[..4].parse::<i64>().ok()?, num(&v[5..7])?, num(&v[8..10])?);
        if !valid(y, m, d) {
            return None;
        }
        let (y, m, d) = civil_from_days(days_from_civil(y, m, d) + off);
        return Some(format!("{y:04}-{m:02}-{d:02}"));
    }
    // US MM/DD/YYYY (also M/D/YYYY)
    let parts: Vec<&str> = v.split('/').collect();
    if parts.len() == 3 && parts[2].len() == 4 {
        let (m, d, y) = (
            num(parts[0])?,
            num(parts[1])?,
            parts[2].parse::<i64>().ok()?,
        );
        if !valid(y, m, d) {
            return None;
        }
        let (y2, m2, d2) = civil_from_days(days_from_civil(y, m, d) + off);
        return Some(if parts[0].len() == 2 {
            format!("{m2:02}/{d2:02}/{y2}")
        } else {
            format!("{m2}/{d2}/{y2}")
        });
    }
    // Month D, YYYY or D Month YYYY
    let words: Vec<&str> = v.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    if words.len() == 3 {
        let month = |w: &str| {
            MONTHS
                .iter()
                .position(|m| *m == w.to_lowercase())
                .map(|i| i as u32 + 1)
        };
        let (m, d, y, month_first) = if let Some(m) = month(words[0]) {
            (m, num(words[1])?, words[2].parse::<i64>().ok()?, true)
        } else {
            (
                month(words[1])?,
                num(words[0])?,
                words[2].parse::<i64>().ok()?,
                false,
            )
        };
        if !valid(y, m, d) {
            return None;
        }
        let (y2, m2, d2) = civil_from_days(days_from_civil(y, m, d) + off);
        let name = title(MONTHS[m2 as usize - 1]);
        return Some(if month_first {
            format!("{name} {d2}, {y2}")
        } else {
            format!("{d2} {name} {y2}")
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_hex(&"11".repeat(32)).unwrap()
    }

    #[test]
    fn surrogates_keep_their_shape() {
        let k = key();
        let p = surrogate(&k, &EntityType::PERSON, "Grace  Hall", "r1");
        assert_eq!(p.split(' ').count(), 2, "{p}");
        assert_eq!(p, surrogate(&k, &EntityType::PERSON, "grace hall", "r2"));
        let first = surrogate(&k, &EntityType::PERSON, "Grace", "r3");
        assert!(p.starts_with(&format!("{first} ")), "{p} / {first}");
        let e = surrogate(&k, &EntityType::EMAIL_ADDRESS, "grace@corp.io", "r1");
        assert!(
            e.contains('@') && e.ends_with(".com") || e.ends_with(".org") || e.ends_with(".net"),
            "{e}"
        );
        let ph = surrogate(&k, &EntityType::PHONE_NUMBER, "+44 20 7946 0958", "r1");
        assert!(ph.starts_with("+44 ") && ph.len() == 16, "{ph}");
        let c = surrogate(&k, &EntityType::CREDIT_CARD, "4111-1111-1111-1111", "r1");
        let d: Vec<u8> = c
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        assert!(
            c.starts_with("41") && c.len() == 19 && &c[4..5] == "-",
            "{c}"
        );
        assert_eq!(luhn_digit(&d[..15]), d[15]);
        assert_ne!(c, "4111-1111-1111-1111");
    }

    #[test]
    fn dates_shift_by_one_offset_per_record() {
        let k = key();
        let a = surrogate(&k, &EntityType::DATE_TIME, "2024-03-01", "rec-7");
        let b = surrogate(&k, &EntityType::DATE_TIME, "2024-03-11", "rec-7");
        let da = |s: &str| {
            days_from_civil(
                s[..4].parse().unwrap(),
                s[5..7].parse().unwrap(),
                s[8..10].parse().unwrap(),
            )
        };
        assert_eq!(da(&b) - da(&a), 10, "{a} {b}");
        assert_ne!(a, "2024-03-01");
        let us = surrogate(&k, &EntityType::DATE_TIME, "03/01/2024", "rec-7");
        assert_eq!(format!("{}-{}-{}", &us[6..], &us[..2], &us[3..5]), a);
        let long = surrogate(&k, &EntityType::DATE_TIME, "March 1, 2024", "rec-7");
        assert!(long.ends_with(&a[..4]) || long.contains(", 20"), "{long}");
        for z in [-1000i64, 0, 59, 60, 365, 20000] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }
}
