//! The operators a policy applies to a detected value. Keyed operators
//! (`hash`, `encrypt`, `pseudonymize`, `fpe`) take subkeys of one master key
//! ([`crate::keys`]); none of them is a plain unkeyed hash, which a
//! dictionary of likely values would reverse.

use crate::error::{RedactError, Result};
use crate::keys::Key;
use aes_siv::aead::KeyInit;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fpe::ff1::{FF1, FlexibleNumeralString};
use serde::{Deserialize, Serialize};
use veil_core::EntityType;

/// How a hash token is written.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Encoding {
    /// Lower-case hexadecimal.
    #[default]
    Hex,
    /// URL-safe base64 without padding.
    Base64,
}

fn default_mask_char() -> char {
    '*'
}

fn default_hash_len() -> usize {
    16
}

/// One operator with its settings, as written in a policy (`operator = "…"`).
#[derive(Clone, Debug, Deserialize, Serialize, PartialEq)]
#[serde(tag = "operator", rename_all = "lowercase", deny_unknown_fields)]
pub enum Operator {
    /// Remove the value.
    Redact,
    /// Replace with `with`, or `<ENTITY_TYPE>` by default.
    Replace {
        /// The replacement text.
        #[serde(default)]
        with: Option<String>,
    },
    /// Replace letters and digits with `char`: `count` of them (all by
    /// default) from the start, or from the end with `from_end`;
    /// separators stay (`****-****-****-4242` is `count = 12`).
    Mask {
        /// The masking character.
        #[serde(default = "default_mask_char")]
        char: char,
        /// How many letters and digits to mask (all when absent).
        #[serde(default)]
        count: Option<usize>,
        /// Mask from the end instead of the start.
        #[serde(default)]
        from_end: bool,
    },
    /// Leave the value as it is (it is still counted).
    Keep,
    /// Keyed HMAC-SHA256 of the entity type and value, truncated to
    /// `length` characters: equal values give equal tokens under one key.
    Hash {
        /// Characters kept.
        #[serde(default = "default_hash_len")]
        length: usize,
        /// `hex` or `base64`.
        #[serde(default)]
        encoding: Encoding,
    },
    /// Deterministic authenticated encryption (AES-SIV, RFC 5297, 512-bit
    /// key, the entity type as associated data): `[[veil:TYPE:…]]`, which
    /// `veil restore` decrypts with the key.
    Encrypt,
    /// A consistent realistic surrogate ([`crate::surrogate`]).
    Pseudonymize,
    /// FF1 format-preserving encryption of the digits (NIST SP 800-38G,
    /// AES-256, the entity type as tweak); other characters stay. Values with
    /// fewer than 6 digits (below FF1's minimum domain) are replaced instead.
    Fpe,
}

impl Operator {
    /// Whether the operator needs a key.
    pub fn keyed(&self) -> bool {
        matches!(
            self,
            Operator::Hash { .. } | Operator::Encrypt | Operator::Pseudonymize | Operator::Fpe
        )
    }

    /// A short name for reports.
    pub fn name(&self) -> &'static str {
        match self {
            Operator::Redact => "redact",
            Operator::Replace { .. } => "replace",
            Operator::Mask { .. } => "mask",
            Operator::Keep => "keep",
            Operator::Hash { .. } => "hash",
            Operator::Encrypt => "encrypt",
            Operator::Pseudonymize => "pseudonymize",
            Operator::Fpe => "fpe",
        }
    }

    /// Checks settings that serde cannot.
    pub fn check(&self) -> std::result::Result<(), String> {
        match self {
            Operator::Hash { length, encoding } => {
                let max = match encoding {
                    Encoding::Hex => 64,
                    Encoding::Base64 => 43,
                };
                if *length < 8 || *length > max {
                    return Err(format!(
                        "hash length must be in 8..={max} for this encoding, got {length}"
                    ));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The text that replaces `value`; `record` keys per-record date shifts.
    /// Keyed operators without a key are an error (policies are checked
    /// against the key before any record is read).
    pub fn apply(
        &self,
        entity: &EntityType,
        value: &str,
        key: Option<&Key>,
        record: &str,
    ) -> Result<String> {
        let need = || {
            key.ok_or_else(|| RedactError::Key(format!("operator `{}` needs a key", self.name())))
        };
        Ok(match self {
            Operator::Redact => String::new(),
            Operator::Replace { with } => with
                .clone()
                .unwrap_or_else(|| format!("<{}>", entity.as_str())),
            Operator::Mask {
                char: m,
                count,
                from_end,
            } => mask(value, *m, *count, *from_end),
            Operator::Keep => value.to_string(),
            Operator::Hash { length, encoding } => {
                let h = need()?.prf("veil/hash", &[entity.as_str().as_bytes(), value.as_bytes()]);
                let mut s = match encoding {
                    Encoding::Hex => crate::keys::hex(&h),
                    Encoding::Base64 => URL_SAFE_NO_PAD.encode(h),
                };
                s.truncate(*length);
                s
            }
            Operator::Encrypt => encrypt(need()?, entity, value),
            Operator::Pseudonymize => crate::surrogate::surrogate(need()?, entity, value, record),
            Operator::Fpe => fpe_digits(need()?, entity, value, true)?
                .unwrap_or_else(|| format!("<{}>", entity.as_str())),
        })
    }
}

fn mask(value: &str, m: char, count: Option<usize>, from_end: bool) -> String {
    let total = value.chars().filter(|c| c.is_alphanumeric()).count();
    let n = count.unwrap_or(total).min(total);
    let mut seen = 0;
    let chars: Vec<char> = value.chars().collect();
    let mut out: Vec<char> = chars.clone();
    let order: Box<dyn Iterator<Item = usize>> = if from_end {
        Box::new((0..chars.len()).rev())
    } else {
        Box::new(0..chars.len())
    };
    for i in order {
        if seen == n {
            break;
        }
        if chars[i].is_alphanumeric() {
            out[i] = m;
            seen += 1;
        }
    }
    out.into_iter().collect()
}

fn siv(key: &Key) -> aes_siv::siv::Aes256Siv {
    let a = key.derive("veil/encrypt/siv-1");
    let b = key.derive("veil/encrypt/siv-2");
    let mut k = [0u8; 64];
    k[..32].copy_from_slice(&a);
    k[32..].copy_from_slice(&b);
    let cipher = aes_siv::siv::Aes256Siv::new(&k.into());
    k.fill(0);
    cipher
}

/// The prefix of an encrypted token.
pub const TOKEN_PREFIX: &str = "[[veil:";

fn encrypt(key: &Key, entity: &EntityType, value: &str) -> String {
    let ct = siv(key)
        .encrypt([entity.as_str().as_bytes()], value.as_bytes())
        .unwrap_or_else(|_| unreachable!("AES-SIV encryption of a bounded string cannot fail"));
    format!(
        "{TOKEN_PREFIX}{}:{}]]",
        entity.as_str(),
        URL_SAFE_NO_PAD.encode(ct)
    )
}

/// Decrypts one token body `TYPE:BASE64` (None when it does not authenticate).
pub fn decrypt_token(key: &Key, body: &str) -> Option<String> {
    let (entity, b64) = body.split_once(':')?;
    let ct = URL_SAFE_NO_PAD.decode(b64).ok()?;
    let pt = siv(key).decrypt([entity.as_bytes()], &ct).ok()?;
    String::from_utf8(pt).ok()
}

/// FF1 over the digits of `value` (encrypt or decrypt); None below 6 digits.
pub fn fpe_digits(
    key: &Key,
    entity: &EntityType,
    value: &str,
    forward: bool,
) -> Result<Option<String>> {
    let digits: Vec<u16> = value
        .bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| u16::from(b - b'0'))
        .collect();
    if digits.len() < 6 {
        return Ok(None);
    }
    let k = key.derive("veil/fpe/ff1");
    let ff1 =
        FF1::<aes::Aes256>::new(&k, 10).map_err(|e| RedactError::Key(format!("FF1: {e:?}")))?;
    let ns = FlexibleNumeralString::from(digits);
    let tweak = entity.as_str().as_bytes();
    let out = if forward {
        ff1.encrypt(tweak, &ns)
    } else {
        ff1.decrypt(tweak, &ns)
    }
    .map_err(|e| RedactError::Key(format!("FF1: {e:?}")))?;
    let mut it = Vec::<u16>::from(out).into_iter();
    Ok(Some(
        value
            .chars()
            .map(|c| {
                if c.is_ascii_digit() {
                    char::from(b'0' + it.next().unwrap_or(0) as u8)
                } else {
                    c
                }
            })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> Key {
        Key::from_hex(&"2a".repeat(32)).unwrap()
    }

    #[test]
    fn mask_keeps_separators_and_the_last_four() {
        assert_eq!(
            mask("4242-4242-4242-4242", '*', Some(12), false),
            "****-****-****-4242"
        );
        assert_eq!(mask("john@x.io", '#', Some(3), true), "john@#.##");
        assert_eq!(mask("ab", '*', Some(9), false), "**");
    }

    #[test]
    fn encryption_round_trips_and_authenticates() {
        let k = key();
        let t = encrypt(&k, &EntityType::PERSON, "Grace Hall");
        assert_eq!(
            t,
            encrypt(&k, &EntityType::PERSON, "Grace Hall"),
            "deterministic"
        );
        let body = t
            .strip_prefix(TOKEN_PREFIX)
            .unwrap()
            .strip_suffix("]]")
            .unwrap();
        assert_eq!(decrypt_token(&k, body).as_deref(), Some("Grace Hall"));
        let other = Key::from_hex(&"2b".repeat(32)).unwrap();
        assert_eq!(decrypt_token(&other, body), None);
        let swapped = body.replacen("PERSON", "LOCATION", 1);
        assert_eq!(
            decrypt_token(&k, &swapped),
            None,
            "the type is authenticated"
        );
    }

    #[test]
    fn fpe_preserves_format_and_inverts() {
        let k = key();
        let e = EntityType::US_BANK_NUMBER;
        let c = fpe_digits(&k, &e, "0012-3456-789", true).unwrap().unwrap();
        assert_eq!(c.len(), 13);
        assert_eq!(&c[4..5], "-");
        assert_ne!(c, "0012-3456-789");
        assert_eq!(
            fpe_digits(&k, &e, &c, false).unwrap().unwrap(),
            "0012-3456-789"
        );
        assert_eq!(fpe_digits(&k, &e, "12345", true).unwrap(), None);
    }

    #[test]
    fn hash_is_keyed_and_typed() {
        let k = key();
        let h = Operator::Hash {
            length: 16,
            encoding: Encoding::Hex,
        };
        let a = h.apply(&EntityType::PERSON, "Ann", Some(&k), "").unwrap();
        assert_eq!(a.len(), 16);
        assert_eq!(
            a,
            h.apply(&EntityType::PERSON, "Ann", Some(&k), "").unwrap()
        );
        assert_ne!(
            a,
            h.apply(&EntityType::LOCATION, "Ann", Some(&k), "").unwrap()
        );
        let other = Key::from_hex(&"2b".repeat(32)).unwrap();
        assert_ne!(
            a,
            h.apply(&EntityType::PERSON, "Ann", Some(&other), "")
                .unwrap()
        );
        assert!(h.apply(&EntityType::PERSON, "Ann", None, "").is_err());
    }
}
