//! Signed feature hashing of word and character n-grams for free-text
//! columns. The hash (FNV-1a, 64-bit) is fixed so that a stored model reads
//! new text exactly as it read its training text.

/// FNV-1a over bytes, continuing from `h`.
fn fnv1a(mut h: u64, bytes: &[u8]) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn add(out: &mut [f64], kind: u8, gram: &[&str]) {
    let mut h = fnv1a(FNV_OFFSET, &[kind]);
    for (i, part) in gram.iter().enumerate() {
        if i > 0 {
            h = fnv1a(h, b" ");
        }
        h = fnv1a(h, part.as_bytes());
    }
    let bucket = (h % out.len() as u64) as usize;
    let sign = if (h >> 63) == 1 { -1.0 } else { 1.0 };
    out[bucket] += sign;
}

/// Adds the hashed n-grams of `text` into `out` and scales the block to unit
/// L2 norm (an empty text stays all zero). Words are maximal runs of
/// alphanumeric characters, lower-cased; character n-grams run over the
/// lower-cased words padded with one space on each side.
pub fn hash_ngrams(text: &str, word: [usize; 2], chars: [usize; 2], out: &mut [f64]) {
    if out.is_empty() {
        return;
    }
    let lower = text.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if word[1] > 0 {
        for n in word[0].max(1)..=word[1] {
            for g in words.windows(n) {
                add(out, b'w', g);
            }
        }
    }
    if chars[1] > 0 {
        let mut buf = [0u8; 4];
        for w in &words {
            let padded: Vec<char> = std::iter::once(' ')
                .chain(w.chars())
                .chain(std::iter::once(' '))
                .collect();
            for n in chars[0].max(1)..=chars[1] {
                for g in padded.windows(n) {
                    let mut s = String::with_capacity(n * 2);
                    for c in g {
                        s.push_str(c.encode_utf8(&mut buf));
                    }
                    add(out, b'c', &[&s]);
                }
            }
        }
    }
    let norm = out.iter().map(|v| v * v).sum::<f64>().sqrt();
    if norm > 0.0 {
        for v in out.iter_mut() {
            *v /= norm;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_text_same_vector_unit_norm() {
        let mut a = vec![0.0; 64];
        let mut b = vec![0.0; 64];
        hash_ngrams("The parcel never arrived!", [1, 2], [3, 4], &mut a);
        hash_ngrams("the PARCEL never arrived", [1, 2], [3, 4], &mut b);
        assert_eq!(a, b);
        let norm: f64 = a.iter().map(|v| v * v).sum();
        assert!((norm - 1.0).abs() < 1e-12);
        let mut e = vec![0.0; 64];
        hash_ngrams("  ", [1, 2], [3, 4], &mut e);
        assert!(e.iter().all(|v| *v == 0.0));
    }
}
