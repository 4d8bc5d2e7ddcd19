//! Keys. One 32-byte master key, read from a key file or an environment
//! variable (64 hex digits), from which each operator derives its own
//! subkey with HMAC-SHA256 under a purpose label, so that a hash token never
//! reveals anything about an encryption key. The key's identifier (a hash
//! of the key under its own label) goes in reports; the key never does, and
//! `Debug` prints only the identifier.
//!
//! Losing the key loses the mappings: hash tokens and pseudonyms cannot be
//! recomputed for new data consistently with old data, and encrypted tokens
//! cannot be restored.

use crate::error::{RedactError, Result};
use hmac::{KeyInit, Mac};
use sha2::Sha256;
use std::path::Path;

type HmacSha256 = hmac::Hmac<Sha256>;

/// The environment variable `veil redact` reads a key from when no key file is given.
pub const KEY_ENV: &str = "VEIL_KEY";

/// A master key.
#[derive(Clone)]
pub struct Key {
    bytes: [u8; 32],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key(id = {})", self.id())
    }
}

impl Drop for Key {
    fn drop(&mut self) {
        self.bytes.fill(0);
    }
}

fn hex_decode(s: &str) -> Option<[u8; 32]> {
    let s = s.trim();
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// Lower-case hex.
pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

impl Key {
    /// A fresh key from the operating system's cryptographic RNG.
    pub fn generate() -> Result<Key> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)
            .map_err(|e| RedactError::Key(format!("the OS random source failed: {e}")))?;
        Ok(Key { bytes })
    }

    /// Parses 64 hex digits (surrounding whitespace and `#` comment lines ignored).
    pub fn from_hex(text: &str) -> Result<Key> {
        let body: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        hex_decode(&body).map(|bytes| Key { bytes }).ok_or_else(|| {
            RedactError::Key(
                "expected 64 hex digits (a 256-bit key; make one with `veil keygen`)".into(),
            )
        })
    }

    /// Reads a key file written by [`Key::to_file_text`].
    pub fn from_file(path: &Path) -> Result<Key> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| RedactError::Key(format!("cannot read {}: {e}", path.display())))?;
        Key::from_hex(&text).map_err(|e| {
            RedactError::Key(format!(
                "{}: {}",
                path.display(),
                e.to_string().trim_start_matches("key: ")
            ))
        })
    }

    /// Reads the key from the environment variable `var`.
    pub fn from_env(var: &str) -> Result<Key> {
        let v = std::env::var(var).map_err(|_| {
            RedactError::Key(format!(
                "no key: pass --key-file FILE or set {var} (make one with `veil keygen`)"
            ))
        })?;
        Key::from_hex(&v).map_err(|e| {
            RedactError::Key(format!(
                "{var}: {}",
                e.to_string().trim_start_matches("key: ")
            ))
        })
    }

    /// The text of a key file: a comment with the identifier, then the hex key.
    pub fn to_file_text(&self) -> String {
        format!(
            "# veil key {} — keep secret; losing it loses the hash, pseudonym and encryption mappings\n{}\n",
            self.id(),
            hex(&self.bytes)
        )
    }

    /// The key's public identifier: 16 hex digits of HMAC(key, "veil/key-id").
    pub fn id(&self) -> String {
        hex(&self.derive("veil/key-id")[..8])
    }

    /// A 32-byte subkey for `purpose`.
    pub fn derive(&self, purpose: &str) -> [u8; 32] {
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&self.bytes)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        mac.update(purpose.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// HMAC-SHA256 of `data` under the subkey for `purpose`.
    pub fn prf(&self, purpose: &str, data: &[&[u8]]) -> [u8; 32] {
        let sub = self.derive(purpose);
        let mut mac = <HmacSha256 as KeyInit>::new_from_slice(&sub)
            .unwrap_or_else(|_| unreachable!("HMAC takes keys of any length"));
        for d in data {
            mac.update(&(d.len() as u64).to_le_bytes());
            mac.update(d);
        }
        mac.finalize().into_bytes().into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_and_never_print() {
        let k = Key::generate().unwrap();
        let back = Key::from_hex(&k.to_file_text()).unwrap();
        assert_eq!(k.derive("x"), back.derive("x"));
        assert_eq!(k.id(), back.id());
        let shown = format!("{k:?}");
        assert!(!shown.contains(&hex(&k.bytes)), "{shown}");
        assert_ne!(k.derive("a"), k.derive("b"));
        assert!(Key::from_hex("abc").is_err());
        assert!(Key::from_hex(&"zz".repeat(32)).is_err());
    }
}
