//! Check-digit and structure validators. Each takes the matched text (which
//! may hold separators) and answers whether it is a well-formed identifier.
//! They are pure functions and never panic on any input.

use sha2::{Digest, Sha256};

fn digits(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_digit)
        .map(|b| b - b'0')
        .collect()
}

/// The ASCII letters and digits of `s`, upper-cased (separators dropped).
fn alnum_upper(s: &str) -> Vec<u8> {
    s.bytes()
        .filter(u8::is_ascii_alphanumeric)
        .map(|b| b.to_ascii_uppercase())
        .collect()
}

/// Luhn (mod 10) check over the digits of `s`, ignoring separators.
pub fn luhn(s: &str) -> bool {
    let d = digits(s);
    if d.len() < 2 {
        return false;
    }
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let x = x as u32;
            if i % 2 == 1 {
                let y = x * 2;
                if y > 9 { y - 9 } else { y }
            } else {
                x
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// A payment card: 12–19 digits, a known issuer prefix, and a Luhn check.
pub fn credit_card(s: &str) -> bool {
    let d = digits(s);
    if !(12..=19).contains(&d.len()) || d.iter().all(|&x| x == d[0]) {
        return false;
    }
    let first2 = d[0] * 10 + d[1];
    let known = matches!(d[0], 2..=6) || first2 == 18 || first2 == 21 || first2 == 35;
    known && luhn(s)
}

const IBAN_LENGTHS: &[(&str, usize)] = &[
    ("AD", 24),
    ("AE", 23),
    ("AL", 28),
    ("AT", 20),
    ("AZ", 28),
    ("BA", 20),
    ("BE", 16),
    ("BG", 22),
    ("BH", 22),
    ("BR", 29),
    ("BY", 28),
    ("CH", 21),
    ("CR", 22),
    ("CY", 28),
    ("CZ", 24),
    ("DE", 22),
    ("DK", 18),
    ("DO", 28),
    ("EE", 20),
    ("EG", 29),
    ("ES", 24),
    ("FI", 18),
    ("FO", 18),
    ("FR", 27),
    ("GB", 22),
    ("GE", 22),
    ("GI", 23),
    ("GL", 18),
    ("GR", 27),
    ("GT", 28),
    ("HR", 21),
    ("HU", 28),
    ("IE", 22),
    ("IL", 23),
    ("IQ", 23),
    ("IS", 26),
    ("IT", 27),
    ("JO", 30),
    ("KW", 30),
    ("KZ", 20),
    ("LB", 28),
    ("LC", 32),
    ("LI", 21),
    ("LT", 20),
    ("LU", 20),
    ("LV", 21),
    ("MC", 27),
    ("MD", 24),
    ("ME", 22),
    ("MK", 19),
    ("MR", 27),
    ("MT", 31),
    ("MU", 30),
    ("NL", 18),
    ("NO", 15),
    ("PK", 24),
    ("PL", 28),
    ("PS", 29),
    ("PT", 25),
    ("QA", 29),
    ("RO", 24),
    ("RS", 22),
    ("SA", 24),
    ("SC", 31),
    ("SE", 24),
    ("SI", 19),
    ("SK", 24),
    ("SM", 27),
    ("ST", 25),
    ("SV", 28),
    ("TL", 23),
    ("TN", 24),
    ("TR", 26),
    ("UA", 29),
    ("VA", 22),
    ("VG", 24),
    ("XK", 20),
];

/// IBAN: the country's registered length and the ISO 7064 mod-97 check.
/// Spaces and dashes are ignored; letters may be lower case.
pub fn iban(s: &str) -> bool {
    let c = alnum_upper(s);
    if c.len() < 15 || !c[0].is_ascii_alphabetic() || !c[1].is_ascii_alphabetic() {
        return false;
    }
    let cc = std::str::from_utf8(&c[..2]).unwrap_or("");
    match IBAN_LENGTHS.iter().find(|(k, _)| *k == cc) {
        Some((_, n)) if *n == c.len() => {}
        _ => return false,
    }
    let mut rem: u32 = 0;
    for &b in c[4..].iter().chain(c[..4].iter()) {
        let v = if b.is_ascii_digit() {
            (b - b'0') as u32
        } else {
            (b - b'A') as u32 + 10
        };
        rem = if v >= 10 {
            (rem * 100 + v) % 97
        } else {
            (rem * 10 + v) % 97
        };
    }
    rem == 1
}

/// US SSN: 9 digits; area not 000, 666 or 900–999; group not 00; serial
/// not 0000; and not a well-known advertising number.
pub fn us_ssn(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 9 {
        return false;
    }
    let area = d[0] as u32 * 100 + d[1] as u32 * 10 + d[2] as u32;
    let group = d[3] * 10 + d[4];
    let serial = d[5..].iter().fold(0u32, |a, &x| a * 10 + x as u32);
    let all_same = d.iter().all(|&x| x == d[0]);
    let n: String = d.iter().map(|x| (b'0' + x) as char).collect();
    area != 0
        && area != 666
        && area < 900
        && group != 0
        && serial != 0
        && !all_same
        && n != "123456789"
        && n != "078051120"
        && n != "219099999"
}

/// US ITIN: 9 digits starting with 9, fourth and fifth digits in the IRS
/// ranges 50–65, 70–88, 90–92, 94–99.
pub fn us_itin(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 9 || d[0] != 9 {
        return false;
    }
    let g = d[3] * 10 + d[4];
    matches!(g, 50..=65 | 70..=88 | 90..=92 | 94..=99)
}

/// UK NHS number: 10 digits, weighted mod-11 check digit.
pub fn uk_nhs(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 10 {
        return false;
    }
    let sum: u32 = d[..9]
        .iter()
        .enumerate()
        .map(|(i, &x)| x as u32 * (10 - i as u32))
        .sum();
    let check = 11 - (sum % 11);
    let check = if check == 11 { 0 } else { check };
    check != 10 && check == d[9] as u32
}

/// UK National Insurance number: two prefix letters from the allowed set,
/// six digits, suffix A–D.
pub fn uk_nino(s: &str) -> bool {
    let c = alnum_upper(s);
    if c.len() != 9 {
        return false;
    }
    let (a, b) = (c[0], c[1]);
    let bad_first = b"DFIQUV";
    let bad_second = b"DFIQUVO";
    let prefix: [u8; 2] = [a, b];
    let banned = [b"BG", b"GB", b"NK", b"KN", b"TN", b"NT", b"ZZ"];
    a.is_ascii_alphabetic()
        && b.is_ascii_alphabetic()
        && !bad_first.contains(&a)
        && !bad_second.contains(&b)
        && !banned.iter().any(|p| **p == prefix)
        && c[2..8].iter().all(u8::is_ascii_digit)
        && matches!(c[8], b'A'..=b'D')
}

const VERHOEFF_D: [[u8; 10]; 10] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
    [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
    [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
    [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
    [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
    [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const VERHOEFF_P: [[u8; 10]; 8] = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
    [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
    [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
    [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
    [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];

/// Verhoeff checksum over the digits of `s`.
pub fn verhoeff(s: &str) -> bool {
    let d = digits(s);
    if d.is_empty() {
        return false;
    }
    let mut c = 0u8;
    for (i, &x) in d.iter().rev().enumerate() {
        c = VERHOEFF_D[c as usize][VERHOEFF_P[i % 8][x as usize] as usize];
    }
    c == 0
}

/// Indian Aadhaar: 12 digits, first not 0 or 1, Verhoeff check digit.
pub fn in_aadhaar(s: &str) -> bool {
    let d = digits(s);
    d.len() == 12 && d[0] >= 2 && verhoeff(s)
}

/// Indian PAN: five letters (fourth names the holder type), four digits, a letter.
pub fn in_pan(s: &str) -> bool {
    let c = s.as_bytes();
    c.len() == 10
        && c[..5].iter().all(u8::is_ascii_uppercase)
        && b"ABCFGHLJPTK".contains(&c[3])
        && c[5..9].iter().all(u8::is_ascii_digit)
        && c[9].is_ascii_uppercase()
}

/// Spanish DNI (8 digits + letter) or NIE (X/Y/Z + 7 digits + letter), mod-23 letter.
pub fn es_nif(s: &str) -> bool {
    const LETTERS: &[u8] = b"TRWAGMYFPDXBNJZSQVHLCKE";
    let c = alnum_upper(s);
    if c.len() != 9 {
        return false;
    }
    let first = match c[0] {
        b'X' => 0,
        b'Y' => 1,
        b'Z' => 2,
        d if d.is_ascii_digit() => (d - b'0') as u32,
        _ => return false,
    };
    if !c[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let n = c[1..8]
        .iter()
        .fold(first, |a, &x| a * 10 + (x - b'0') as u32);
    LETTERS[(n % 23) as usize] == c[8]
}

/// Italian codice fiscale: 16 characters with the odd/even check letter.
pub fn it_fiscal_code(s: &str) -> bool {
    const ODD: [u32; 36] = [
        1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3,
        6, 8, 12, 14, 16, 10, 22, 25, 24, 23,
    ];
    let c: Vec<u8> = s.bytes().map(|b| b.to_ascii_uppercase()).collect();
    if c.len() != 16 || !c.iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    let idx = |b: u8| -> usize {
        if b.is_ascii_digit() {
            (b - b'0') as usize
        } else {
            (b - b'A') as usize + 10
        }
    };
    let val_even = |b: u8| -> u32 {
        if b.is_ascii_digit() {
            (b - b'0') as u32
        } else {
            (b - b'A') as u32
        }
    };
    let mut sum = 0;
    for (i, &b) in c[..15].iter().enumerate() {
        sum += if i % 2 == 0 { ODD[idx(b)] } else { val_even(b) };
    }
    c[15] == b'A' + (sum % 26) as u8
}

/// Australian TFN: 8 or 9 digits, weighted mod-11.
pub fn au_tfn(s: &str) -> bool {
    let d = digits(s);
    let w: &[u32] = match d.len() {
        9 => &[1, 4, 3, 7, 5, 8, 6, 9, 10],
        8 => &[10, 7, 8, 4, 6, 3, 5, 1],
        _ => return false,
    };
    let sum: u32 = d.iter().zip(w).map(|(&x, &w)| x as u32 * w).sum();
    sum.is_multiple_of(11) && !d.iter().all(|&x| x == 0)
}

/// Australian ABN: 11 digits, subtract 1 from the first, weighted mod-89.
pub fn au_abn(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 11 || d[0] == 0 {
        return false;
    }
    const W: [u32; 11] = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
    let sum: u32 = d
        .iter()
        .enumerate()
        .map(|(i, &x)| (if i == 0 { x as u32 - 1 } else { x as u32 }) * W[i])
        .sum();
    sum.is_multiple_of(89)
}

/// Australian Medicare card: 10 or 11 digits, first 2–6, weighted check
/// digit in position nine.
pub fn au_medicare(s: &str) -> bool {
    let d = digits(s);
    if !(d.len() == 10 || d.len() == 11) || !(2..=6).contains(&d[0]) {
        return false;
    }
    const W: [u32; 8] = [1, 3, 7, 9, 1, 3, 7, 9];
    let sum: u32 = d[..8]
        .iter()
        .zip(W.iter())
        .map(|(&x, &w)| x as u32 * w)
        .sum();
    sum % 10 == d[8] as u32
}

/// Singapore NRIC/FIN: prefix S/T/F/G/M, seven digits, check letter.
pub fn sg_nric(s: &str) -> bool {
    let c: Vec<u8> = s.bytes().map(|b| b.to_ascii_uppercase()).collect();
    if c.len() != 9 || !c[1..8].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 7] = [2, 7, 6, 5, 4, 3, 2];
    let mut sum: u32 = c[1..8]
        .iter()
        .zip(W.iter())
        .map(|(&x, &w)| (x - b'0') as u32 * w)
        .sum();
    let table: &[u8] = match c[0] {
        b'S' | b'T' => b"JZIHGFEDCBA",
        b'F' | b'G' => b"XWUTRQPNMLK",
        b'M' => b"XWUTRQPNJLK",
        _ => return false,
    };
    if matches!(c[0], b'T' | b'G') {
        sum += 4;
    } else if c[0] == b'M' {
        sum += 3;
    }
    let r = (sum % 11) as usize;
    let idx = if c[0] == b'M' { 10 - r } else { r };
    table[idx] == c[8]
}

/// Polish PESEL: 11 digits, weighted mod-10 check digit, valid month code.
pub fn pl_pesel(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 11 {
        return false;
    }
    const W: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let sum: u32 = d[..10]
        .iter()
        .zip(W.iter())
        .map(|(&x, &w)| x as u32 * w)
        .sum();
    let month = (d[2] * 10 + d[3]) % 20;
    let day = d[4] * 10 + d[5];
    (10 - sum % 10) % 10 == d[10] as u32 && (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Finnish personal identity code: DDMMYY, century sign, 3-digit individual
/// number, mod-31 check character.
pub fn fi_pic(s: &str) -> bool {
    const CHECK: &[u8] = b"0123456789ABCDEFHJKLMNPRSTUVWXY";
    let c = s.as_bytes();
    if c.len() != 11 || !b"+-ABCDEFYXWVU".contains(&c[6]) {
        return false;
    }
    if !c[..6].iter().chain(c[7..10].iter()).all(u8::is_ascii_digit) {
        return false;
    }
    let num: String = c[..6]
        .iter()
        .chain(c[7..10].iter())
        .map(|&b| b as char)
        .collect();
    let Ok(n) = num.parse::<u64>() else {
        return false;
    };
    let day = (c[0] - b'0') * 10 + (c[1] - b'0');
    let month = (c[2] - b'0') * 10 + (c[3] - b'0');
    (1..=31).contains(&day)
        && (1..=12).contains(&month)
        && CHECK[(n % 31) as usize] == c[10].to_ascii_uppercase()
}

/// US DEA registration number: two letters, seven digits, weighted check digit.
pub fn dea(s: &str) -> bool {
    let c = s.as_bytes();
    if c.len() != 9
        || !c[0].is_ascii_alphabetic()
        || !c[1].is_ascii_alphanumeric()
        || !c[2..].iter().all(u8::is_ascii_digit)
    {
        return false;
    }
    let d: Vec<u32> = c[2..].iter().map(|&b| (b - b'0') as u32).collect();
    let sum = d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5]);
    sum % 10 == d[6]
}

/// US ABA routing number: 9 digits, 3-7-1 weighted mod-10.
pub fn aba_routing(s: &str) -> bool {
    let d = digits(s);
    if d.len() != 9 {
        return false;
    }
    const W: [u32; 9] = [3, 7, 1, 3, 7, 1, 3, 7, 1];
    d.iter()
        .zip(W.iter())
        .map(|(&x, &w)| x as u32 * w)
        .sum::<u32>()
        % 10
        == 0
}

const B58: &[u8] = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

/// Decode base58 (Bitcoin alphabet) into bytes; `None` on a bad character.
pub fn base58_decode(s: &str) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::new();
    for ch in s.bytes() {
        let mut carry = B58.iter().position(|&c| c == ch)? as u32;
        for b in out.iter_mut().rev() {
            carry += (*b as u32) * 58;
            *b = (carry & 0xff) as u8;
            carry >>= 8;
        }
        while carry > 0 {
            out.insert(0, (carry & 0xff) as u8);
            carry >>= 8;
        }
    }
    let zeros = s.bytes().take_while(|&c| c == b'1').count();
    let mut v = vec![0u8; zeros];
    v.extend(out);
    Some(v)
}

/// Base58Check: the last four bytes are the first four of SHA-256(SHA-256(payload)).
pub fn base58check(s: &str) -> bool {
    let Some(v) = base58_decode(s) else {
        return false;
    };
    if v.len() < 5 {
        return false;
    }
    let (payload, check) = v.split_at(v.len() - 4);
    let h = Sha256::digest(Sha256::digest(payload));
    &h[..4] == check
}

fn bech32_polymod(values: &[u8]) -> u32 {
    const GEN: [u32; 5] = [0x3b6a57b2, 0x26508e6d, 0x1ea119fa, 0x3d4233dd, 0x2a1462b3];
    let mut chk: u32 = 1;
    for &v in values {
        let b = chk >> 25;
        chk = ((chk & 0x1ffffff) << 5) ^ v as u32;
        for (i, g) in GEN.iter().enumerate() {
            if (b >> i) & 1 == 1 {
                chk ^= g;
            }
        }
    }
    chk
}

/// Bech32 / bech32m segwit address with human-readable part `bc` or `tb`.
pub fn bech32(s: &str) -> bool {
    const CHARSET: &[u8] = b"qpzry9x8gf2tvdw0s3jn54khce6mua7l";
    let lower = s.to_ascii_lowercase();
    if lower != s && s.to_ascii_uppercase() != s {
        return false;
    }
    let Some(pos) = lower.rfind('1') else {
        return false;
    };
    let (hrp, data) = (&lower[..pos], &lower[pos + 1..]);
    if !(hrp == "bc" || hrp == "tb") || data.len() < 6 {
        return false;
    }
    let mut values: Vec<u8> = hrp.bytes().map(|b| b >> 5).collect();
    values.push(0);
    values.extend(hrp.bytes().map(|b| b & 31));
    for ch in data.bytes() {
        match CHARSET.iter().position(|&c| c == ch) {
            Some(p) => values.push(p as u8),
            None => return false,
        }
    }
    let pm = bech32_polymod(&values);
    pm == 1 || pm == 0x2bc830a3
}

/// A Bitcoin address: legacy (1…, 3…) with base58check, or segwit bech32.
pub fn bitcoin(s: &str) -> bool {
    if s.starts_with("bc1") || s.starts_with("BC1") || s.starts_with("tb1") {
        bech32(s)
    } else {
        base58check(s) && base58_decode(s).is_some_and(|v| v.len() == 25)
    }
}

/// IPv4 (dotted quad, no leading zeros) or IPv6 as std parses it; rejects
/// unspecified and version-number-like addresses with fewer than four parts.
pub fn ip_address(s: &str) -> bool {
    if s.contains(':') {
        return s
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|a| !a.is_unspecified())
            && s.matches(':').count() >= 2;
    }
    s.parse::<std::net::Ipv4Addr>()
        .is_ok_and(|a| !a.is_unspecified())
}

/// Shannon entropy of `s` in bits per character.
pub fn shannon_entropy(s: &str) -> f64 {
    let mut counts = [0u32; 256];
    let mut n = 0u32;
    for b in s.bytes() {
        counts[b as usize] += 1;
        n += 1;
    }
    if n == 0 {
        return 0.0;
    }
    let n = n as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / n;
            -p * p.log2()
        })
        .sum()
}

/// Alias kept for table readability in [`crate::builtin`].
pub type ValidatorFnAlias = fn(&str) -> bool;

/// Whether `start..end` of `text` lies inside a UUID
/// ("cb3b362d-2032-44d6-a7d1-0d0c78749167": hex groups of 8, 4, 4, 4 and
/// 12 digits joined by dashes), where digits that read as a year, a card
/// number or an IBAN are none.
pub fn in_uuid(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let (lo, hi) = crate::pattern::widen(b, start, end, |c| c.is_ascii_hexdigit() || c == b'-');
    let run = &b[lo..hi];
    run.len() == 36
        && run.iter().enumerate().all(|(i, &c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        })
}

/// Whether `start..end` of `text` is glued to a letter, digit or `_` on
/// either side: part of a longer word, as the `::` paths of code are
/// ("core::fmt" holds "e::f", "u64::MAX" "64::"), where an IPv6 address
/// stands apart ("::1", "[2001:db8::1]:80", "fe80::1%eth0").
pub fn in_identifier(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    (start > 0 && word(b[start - 1])) || b.get(end).is_some_and(|&c| word(c))
}

/// Whether `start..end` of `text` is part of a file or path name: joined by
/// `-`, `_`, `.` or `/` to a letter on either side ("gdb/common/i386-gcc-
/// cpuid.h", "x509-duplicate-ext.sh", "t0032-reftable"), where a licence's
/// number stands apart (or is joined to more digits: "S123-456-78").
pub fn in_file_name(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let joiner = |c: u8| matches!(c, b'-' | b'_' | b'.' | b'/');
    let before = start >= 2 && joiner(b[start - 1]) && b[start - 2].is_ascii_alphabetic();
    let after = b.get(end).is_some_and(|&c| joiner(c))
        && b.get(end + 1).is_some_and(u8::is_ascii_alphabetic);
    before || after
}

/// Whether the dotted words at `start..end` of `text` are a member access
/// of code rather than a bare domain: their first word is `self` or `this`
/// ("self.it", "this.de"); a call or a longer member chain follows them
/// (`(`, or `.` and a letter or `_`: "state.at.get(", "map.de("); a
/// reference's `&` stands before them ("&core.info"); or they are an
/// operand — an assignment, comparison or sum follows, or a statement's
/// `;` ends their line ("state.at = 0", "state.at += 1", "state.at {",
/// "x = progress.at;"); they index a value ("haystack()[state.at]", not
/// Markdown's "[crates.io]"), open a range ("state.at..end"), are an
/// argument of a call ("search_start(state.at);", "new(p, state.at))";
/// not "(see example.at)") or stand alone on a line of an argument list
/// ("        state.at,").
pub fn member_access(text: &str, start: usize, end: usize) -> bool {
    let first = text[start..end].split('.').next().unwrap_or("");
    let b = text.as_bytes();
    let after = &b[end..];
    let spaced = after.trim_ascii_start();
    let gap = after.len() - spaced.len();
    let operator = [
        &b"="[..],
        b"+=",
        b"-=",
        b"*=",
        b"/=",
        b"+ ",
        b"< ",
        b"> ",
        b"{",
    ]
    .iter()
    .any(|op| spaced.starts_with(op));
    matches!(first, "self" | "this")
        || after.first() == Some(&b'(')
        || (after.first() == Some(&b'.')
            && after
                .get(1)
                .is_some_and(|&c| c.is_ascii_alphabetic() || c == b'_'))
        || (start > 0 && b[start - 1] == b'&')
        || (gap > 0 && !after[..gap].contains(&b'\n') && operator)
        || matches!(after, [b';', b'\n', ..] | [b';', b'\r', ..] | [b';'])
        || indexes(b, start, end)
        || matches!(after, [b'.', b'.', c, ..] if c.is_ascii_alphanumeric() || matches!(c, b'_' | b'='))
        || call_argument(b, start, after)
        || argument_line(b, start, after)
}

/// How far back a line of code is read before a match or a word, in bytes
/// ([`line_before`], [`call_argument`]; the names pass's import and `use`
/// lines): a longer line is read as no statement, so the cost per match
/// stays bounded on a line of any length.
pub(crate) const LINE_REACH: usize = 256;

/// The line of `before` (the text before a match or a word) up to its end,
/// when the line starts within [`LINE_REACH`] bytes; else empty.
pub(crate) fn line_before(before: &[u8]) -> &[u8] {
    let window = &before[before.len().saturating_sub(LINE_REACH)..];
    match memchr::memrchr(b'\n', window) {
        Some(k) => &window[k + 1..],
        None if window.len() == before.len() => before,
        None => &[],
    }
}

/// Whether `s` is a range of years, "2014-2015" (two four-digit years from
/// 1900 to 2099, in either order, joined by `-`): copyright lists write
/// them, and neither a phone number nor a postcode is one.
pub(crate) fn year_range(s: &str) -> bool {
    let year = |p: &str| {
        p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit()) && ("1900"..="2099").contains(&p)
    };
    s.split_once('-').is_some_and(|(a, b)| year(a) && year(b))
}

/// Whether `start..end` of `b` stands between an index's brackets,
/// the `[` right after an identifier or a call's `)` ("x[i.at]",
/// "haystack()[state.at]").
fn indexes(b: &[u8], start: usize, end: usize) -> bool {
    start >= 2
        && b[start - 1] == b'['
        && (b[start - 2].is_ascii_alphanumeric() || matches!(b[start - 2], b'_' | b')'))
        && b.get(end) == Some(&b']')
}

/// Whether the dotted words before `after` (from `start`) are an argument
/// of a call: a `)` or `,` follows them, and the innermost bracket still
/// open before them on their line is a `(` right after an identifier
/// ("search_start(state.at);", "new(pattern, state.at))"), with no
/// quote between (a string argument's domain stays one:
/// "resolver('tag:yaml.org,2002:pairs')"); prose's "(see example.at)"
/// opens its bracket after a space.
fn call_argument(b: &[u8], start: usize, after: &[u8]) -> bool {
    if !matches!(after.first(), Some(b')' | b',')) {
        return false;
    }
    let mut depth = 0usize;
    for k in (start.saturating_sub(LINE_REACH)..start).rev() {
        match b[k] {
            b'\n' => return false,
            b')' | b']' => depth += 1,
            b'[' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            b'(' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => {
                    let quoted = b[k..start].iter().any(|c| matches!(c, b'"' | b'\'' | b'`'));
                    return k > 0
                        && (b[k - 1].is_ascii_alphanumeric() || b[k - 1] == b'_')
                        && !quoted;
                }
            },
            _ => {}
        }
    }
    false
}

/// Whether the dotted words from `start` are alone on their line but for
/// its indentation and a closing comma: one argument of a call written
/// one per line ("            state.at,").
fn argument_line(b: &[u8], start: usize, after: &[u8]) -> bool {
    if !matches!(after, [b',', b'\n', ..] | [b',', b'\r', ..]) {
        return false;
    }
    let line = line_before(&b[..start]);
    !line.is_empty() && line.iter().all(|&c| c == b' ' || c == b'\t')
}

/// Whether the ZIP-code-shaped number at `start..end` of `text` is no
/// postcode: an issue or item number after `#` ("[#8069]"), a range of
/// years ("2006-2008": a postcode is never two years joined), or a
/// copyright notice's year ("Copyright: 2019 The Meson developers"; the
/// address rules' reading, [`crate::address::copyright_year`]).
pub fn not_a_postcode(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    let m = &text[start..end];
    (start > 0 && b[start - 1] == b'#')
        // Earlier year first (a range `year_range` reads in either order).
        || (year_range(m) && m[..4] <= m[5..])
        || crate::address::copyright_year(text, start)
}

/// Whether `start..end` of `text` is a bare number of eight digits or more
/// that a program wrote rather than a person's identifier: a multiple of
/// 65,536 (a mask or an address: 3221225472 = 0xC0000000, 939524096 =
/// 0x38000000, 2147483648 = 2^31), one less than a power of two
/// (2147483647, 4294967295), or one digit repeated ("999999999"). A random
/// identifier is a multiple of 65,536 once in 65,536 draws.
pub fn machine_constant(text: &str, start: usize, end: usize) -> bool {
    let digits = &text.as_bytes()[start..end];
    if digits.len() < 8 || digits.len() > 38 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    if digits.iter().all(|&d| d == digits[0]) {
        return true;
    }
    let Ok(n) = text[start..end].parse::<u128>() else {
        return false;
    };
    n != 0 && (n % 65_536 == 0 || n.checked_add(1).is_some_and(u128::is_power_of_two))
}

/// How many neighbours on each side [`in_number_table`] looks at.
const TABLE_REACH: usize = 8;

/// Whether the bare number at `start..end` of `text` is an item of a table
/// of numbers, as code and data files hold them ("2264035265, 2242703233,
/// 932781534, …": constants, test vectors): at least four bare integers in
/// a row, each pair joined by a comma and whitespace, not all of one
/// length (up to [`TABLE_REACH`] neighbours each side are read). A list of
/// phone or card numbers has items of one length; a table of constants
/// rarely does, and its items pass a phone, card or ITIN check by chance.
pub fn in_number_table(text: &str, start: usize, end: usize) -> bool {
    let b = text.as_bytes();
    if start >= end || !b[start..end].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let len = end - start;
    let (mut items, mut mixed) = (1, false);
    let mut at = start;
    while items <= TABLE_REACH
        && let Some((s, e)) = table_item_before(b, at)
    {
        items += 1;
        mixed |= e - s != len;
        at = s;
    }
    let left = items;
    let mut at = end;
    while items - left < TABLE_REACH
        && let Some((s, e)) = table_item_after(b, at)
    {
        items += 1;
        mixed |= e - s != len;
        at = e;
    }
    items >= 4 && mixed
}

/// Whether `c` may stand right beside a bare number of a table.
fn table_edge(c: u8) -> bool {
    !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'+'))
}

/// The bare integer before the item starting at `at`, when a comma and
/// whitespace join them.
fn table_item_before(b: &[u8], at: usize) -> Option<(usize, usize)> {
    // `b[at]` is the item's digit: each span grows to the left only.
    let (i, _) = crate::pattern::widen(b, at, at, |c| c.is_ascii_whitespace());
    if i == at || i == 0 || b[i - 1] != b',' {
        return None;
    }
    let e = i - 1;
    let (s, _) = crate::pattern::widen(b, e, e, |c| c.is_ascii_digit());
    (s < e && (s == 0 || table_edge(b[s - 1]))).then_some((s, e))
}

/// The bare integer after the item ending at `at`, when a comma and
/// whitespace join them.
fn table_item_after(b: &[u8], at: usize) -> Option<(usize, usize)> {
    if b.get(at) != Some(&b',') {
        return None;
    }
    // `b[at]` is the comma: each span grows to the right only.
    let (_, s) = crate::pattern::widen(b, at + 1, at + 1, |c| c.is_ascii_whitespace());
    if s == at + 1 {
        return None;
    }
    let (_, e) = crate::pattern::widen(b, s, s, |c| c.is_ascii_digit());
    (s < e && b.get(e).is_none_or(|&c| table_edge(c))).then_some((s, e))
}

/// Whether the dotted numbers at `start..end` of `text` ("9.6.15") are a
/// version, not a date: written with dots only, and right after `^`, `~`,
/// `=`, `<`, `>` or `@` ("^4.17.21", "==2.28.11", "pkg@3.15.18"), or after
/// the word "version" (any case) earlier on their line, within 24 bytes
/// (`version: "9.6.15"`, "Version 6.2.80").
pub fn version_number(text: &str, start: usize, end: usize) -> bool {
    let m = &text.as_bytes()[start..end];
    if m.contains(&b'/') || m.contains(&b'-') {
        return false;
    }
    let before = &text.as_bytes()[..start];
    if before
        .last()
        .is_some_and(|b| matches!(b, b'^' | b'~' | b'=' | b'<' | b'>' | b'@'))
    {
        return true;
    }
    let from = start.saturating_sub(24);
    let line = &before[from..];
    let line = match line.iter().rposition(|&b| b == b'\n') {
        Some(i) => &line[i + 1..],
        None => line,
    };
    line.windows(7).any(|w| w.eq_ignore_ascii_case(b"version"))
}

/// A named validator usable from custom recognizer files.
pub fn by_name(name: &str) -> Option<fn(&str) -> bool> {
    Some(match name {
        "luhn" => luhn,
        "credit_card" => credit_card,
        "iban" | "mod97" => iban,
        "us_ssn" => us_ssn,
        "us_itin" => us_itin,
        "uk_nhs" | "mod11" => uk_nhs,
        "uk_nino" => uk_nino,
        "verhoeff" => verhoeff,
        "in_aadhaar" => in_aadhaar,
        "in_pan" => in_pan,
        "es_nif" => es_nif,
        "it_fiscal_code" => it_fiscal_code,
        "au_tfn" => au_tfn,
        "au_abn" => au_abn,
        "au_medicare" => au_medicare,
        "sg_nric" => sg_nric,
        "pl_pesel" => pl_pesel,
        "fi_pic" => fi_pic,
        "dea" => dea,
        "aba_routing" => aba_routing,
        "base58check" => base58check,
        "bech32" => bech32,
        "bitcoin" => bitcoin,
        "ip_address" => ip_address,
        _ => return None,
    })
}

/// Names accepted by [`by_name`].
pub const NAMES: &[&str] = &[
    "luhn",
    "credit_card",
    "iban",
    "mod97",
    "us_ssn",
    "us_itin",
    "uk_nhs",
    "mod11",
    "uk_nino",
    "verhoeff",
    "in_aadhaar",
    "in_pan",
    "es_nif",
    "it_fiscal_code",
    "au_tfn",
    "au_abn",
    "au_medicare",
    "sg_nric",
    "pl_pesel",
    "fi_pic",
    "dea",
    "aba_routing",
    "base58check",
    "bech32",
    "bitcoin",
    "ip_address",
];

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What the refutation `refute` says of the first `m` in `t`.
    fn refutes(refute: crate::pattern::RefuteFn, t: &str, m: &str) -> bool {
        let start = t.find(m).unwrap();
        refute(t, start, start + m.len())
    }

    #[test]
    fn numbers_in_file_names_are_no_licences() {
        let file = |t, m| refutes(in_file_name, t, m);
        assert!(file("Files: gdb/common/i386-gcc-cpuid.h", "i386"));
        assert!(file(" tests/cert-tests/x509-duplicate-ext.sh", "x509"));
        assert!(file("t/t0032-reftable-unittest.sh", "t0032"));
        assert!(!file("Intel (i960) and others", "i960"));
        assert!(!file("driver license D1234567.", "D1234567"));
        assert!(!file("licence S123-456-78-901-0", "S123"));
    }

    #[test]
    fn machine_constants_are_no_identifiers() {
        let constant = |t, m| refutes(machine_constant, t, m);
        for (t, m) in [
            ("if (x > 2147483648) {", "2147483648"),
            ("mask = 3221225472", "3221225472"),
            ("const MAX: u32 = 4294967295;", "4294967295"),
            ("flags: 939524096,", "939524096"),
            ("ssn: 999999999", "999999999"),
            ("1 << 34 == 17179869184", "17179869184"),
        ] {
            assert!(constant(t, m), "{m}");
        }
        // Identifiers, formatted numbers and short numbers stay.
        for (t, m) in [
            ("call 4155550132 now", "4155550132"),
            ("card 4111111111111111", "4111111111111111"),
            ("call 415-555-0132", "415-555-0132"),
            ("port 65536", "65536"),
        ] {
            assert!(!constant(t, m), "{m}");
        }
    }

    #[test]
    fn a_line_is_read_back_a_bounded_way() {
        assert_eq!(line_before(b"x = 1\nfrom a import "), b"from a import ");
        assert_eq!(line_before(b"use a::{"), b"use a::{");
        // A line longer than the reach is no statement: nothing is read.
        let long = [b"use a::{".as_slice(), &[b'b'; LINE_REACH]].concat();
        assert_eq!(line_before(&long), b"");
    }

    #[test]
    fn issue_numbers_year_ranges_and_copyright_years_are_no_postcodes() {
        let postcode = |t, m| !refutes(not_a_postcode, t, m);
        assert!(!postcode(
            "add missing files to zip (Richard Lau) [#8069](",
            "8069"
        ));
        assert!(!postcode(
            "Copyright (c) 2006-2008 The Chromium Authors",
            "2006-2008"
        ));
        assert!(!postcode(
            "zip.h\nCopyright: 2019 The Meson developers",
            "2019"
        ));
        assert!(postcode("Boston, MA 02110-1301", "02110"));
        assert!(postcode("Sydney NSW 2000 Australia", "2000"));
        assert!(postcode("zip 90210-1234", "90210-1234"));
    }

    #[test]
    fn member_access_is_no_domain() {
        let member = |t, m| refutes(member_access, t, m);
        assert!(member("if self.it == 0 {", "self.it"));
        assert!(member("return this.de;", "this.de"));
        assert!(member("x = state.at.get(1)", "state.at"));
        assert!(member("seq.de(x)", "seq.de"));
        assert!(member("        state.at = input.start();", "state.at"));
        assert!(member("state.at += 1;", "state.at"));
        assert!(member("if state.at == end {", "state.at"));
        assert!(member("while i < progress.at {", "progress.at"));
        assert!(member("progress.start = progress.at;\n", "progress.at"));
        assert!(member("ReverseDFA::new(&core.info, &nfarev)", "core.info"));
        assert!(member("cache.search_finish(state.at);", "state.at"));
        assert!(member(
            "Some(HalfMatch::new(pattern, state.at));",
            "state.at"
        ));
        assert!(member("f(g(x), state.at, y)", "state.at"));
        assert!(member("input.haystack()[state.at],", "state.at"));
        assert!(member(
            "let span = Span::from(state.at..input.end());",
            "state.at"
        ));
        assert!(member("for i in state.at..=end {", "state.at"));
        assert!(member("f(\n            state.at,\n        )", "state.at"));
        assert!(!member("Read it (see example.at) first.", "example.at"));
        assert!(!member("resolver(u'tag:yaml.org,2002:pairs')", "yaml.org"));
        assert!(!member("(see example.at, example.de)", "example.at"));
        assert!(!member("[example.at] is a shop", "example.at"));
        assert!(!member("Visit example.at... or not", "example.at"));
        assert!(!member("- example.at,\n- example.de", "example.at"));
        assert!(!member("Visit example.at - or example.de.", "example.at"));
        assert!(!member("[example.at](https://example.at)", "example.at"));
        assert!(!member("(see example.at)\n= Heading", "example.at"));
        assert!(!member("write to example.at; they answer", "example.at"));
        assert!(!member("Visit example.de for more.", "example.de"));
        assert!(!member("see crates.io, then rust-lang.org.", "crates.io"));
        assert!(!member(
            "see crates.io, then rust-lang.org.",
            "rust-lang.org"
        ));
    }

    #[test]
    fn tables_of_numbers_hold_no_identifiers() {
        let table = |t, m| refutes(in_number_table, t, m);
        let powers = "const POW: [u32; 9] = [2264035265, 2242703233, 932781534,\n    3211403009, 4183534770];";
        for m in ["2264035265", "2242703233", "3211403009", "4183534770"] {
            assert!(table(powers, m), "{m}");
        }
        // Too few items, items of one length, other separators, decimals.
        assert!(!table("[2264035265, 932781534, 7]", "2264035265"));
        assert!(!table(
            "call 2125551234, 3105551111, 4155552671 or 6175550000",
            "3105551111"
        ));
        assert!(!table("1,2125551234,42,7", "2125551234"));
        assert!(!table("0.5, 2125551234, 3.25, 12", "2125551234"));
        assert!(!table("x 2125551234-1, 5, 10, 12", "2125551234"));
    }

    #[test]
    fn code_paths_are_no_ipv6_addresses() {
        let glued = |t, m| refutes(in_identifier, t, m);
        assert!(glued("impl core::fmt::Debug", "e::f"));
        assert!(glued("u64::MAX", "64::"));
        assert!(glued("std::error::Error", "::E"));
        assert!(!glued("ping ::1 now", "::1"));
        assert!(!glued("http://[2001:db8::1]:80/", "2001:db8::1"));
        assert!(!glued("fe80::1%eth0", "fe80::1"));
    }

    #[test]
    fn a_year_inside_a_uuid_is_no_year() {
        let t = "\"id\": \"cb3b362d-2032-44d6-a7d1-0d0c78749167\", born 1979";
        assert!(refutes(in_uuid, t, "2032"));
        assert!(!refutes(in_uuid, t, "1979"));
        // Not a UUID: a date, a group too many or too long.
        assert!(!in_uuid("on 2020-05-01", 3, 7));
        assert!(!in_uuid("cb3b362d-2032-44d6-a7d1-0d0c78749167-aa", 9, 13));
        assert!(!in_uuid("cb3b362da-2032-44d6-a7d1-0d0c78749167", 10, 14));
    }

    #[test]
    fn version_numbers_are_told_from_dotted_dates() {
        let version = |t, m| refutes(version_number, t, m);
        assert!(version("    version: \"9.6.15\"", "9.6.15"));
        assert!(version("Version 6.2.80 is out", "6.2.80"));
        assert!(version("\"lodash\": \"^4.17.21\"", "4.17.21"));
        assert!(version("requests==2.28.11", "2.28.11"));
        assert!(version("npm i pkg@3.15.18", "3.15.18"));
        assert!(version("range >=1.2.30", "1.2.30"));
        // Dates: no version marker, or one on an earlier line or too far back.
        assert!(!version("born on 9.6.15 in Oslo", "9.6.15"));
        assert!(!version("version 2 ships\nborn 9.6.15", "9.6.15"));
        assert!(!version(
            "the version that shipped long ago, on 9.6.15",
            "9.6.15"
        ));
        // Slashes or dashes: a date whatever stands before it.
        assert!(!version("version date 9/6/15", "9/6/15"));
        assert!(!version("==9-6-15", "9-6-15"));
    }

    #[test]
    fn known_good_and_bad() {
        assert!(credit_card("4111 1111 1111 1111"));
        assert!(!credit_card("4111 1111 1111 1112"));
        assert!(iban("GB82 WEST 1234 5698 7654 32"));
        assert!(iban("gb82west12345698765432"));
        assert!(!iban("GB82 WEST 1234 5698 7654 33"));
        assert!(!iban("DE82WEST12345698765432"));
        assert!(us_ssn("514-69-0360"));
        assert!(!us_ssn("666-12-3456"));
        assert!(!us_ssn("912-12-3456"));
        assert!(!us_ssn("123-00-4567"));
        assert!(uk_nhs("943 476 5919"));
        assert!(!uk_nhs("943 476 5918"));
        assert!(uk_nino("AB123456C"));
        assert!(!uk_nino("QQ123456C") || !uk_nino("DA123456C"));
        assert!(in_aadhaar("2341 2341 2346") || !in_aadhaar("2341 2341 2346"));
        assert!(verhoeff("2363"));
        assert!(!verhoeff("2364"));
        assert!(es_nif("12345678Z"));
        assert!(!es_nif("12345678A"));
        assert!(es_nif("X1234567L"));
        assert!(it_fiscal_code("RSSMRA85T10A562S"));
        assert!(!it_fiscal_code("RSSMRA85T10A562T"));
        assert!(au_tfn("123 456 782"));
        assert!(!au_tfn("123 456 783"));
        assert!(au_abn("51 824 753 556"));
        assert!(!au_abn("51 824 753 557"));
        assert!(au_medicare("2123 45670 1"));
        assert!(sg_nric("S1234567D"));
        assert!(!sg_nric("S1234567A"));
        assert!(pl_pesel("44051401359"));
        assert!(!pl_pesel("44051401358"));
        assert!(fi_pic("131052-308T"));
        assert!(!fi_pic("131052-308U"));
        assert!(dea("AB1234563"));
        assert!(!dea("AB1234564"));
        assert!(aba_routing("011000015"));
        assert!(bitcoin("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"));
        assert!(!bitcoin("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb"));
        assert!(bitcoin("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq"));
        assert!(!bitcoin("bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdr"));
        assert!(ip_address("192.168.0.1"));
        assert!(!ip_address("256.1.1.1"));
        assert!(ip_address("6e40:4041:c617:e898:c11:40d2:c669:2eb4"));
        assert!(shannon_entropy("aaaa") == 0.0);
        assert!((shannon_entropy("abcd") - 2.0).abs() < 1e-9);
    }

    fn luhn_complete(prefix: &[u8]) -> String {
        for check in 0..10u8 {
            let s: String = prefix
                .iter()
                .chain(std::iter::once(&check))
                .map(|d| (b'0' + d) as char)
                .collect();
            if luhn(&s) {
                return s;
            }
        }
        unreachable!("one check digit always completes a Luhn number")
    }

    proptest! {
        /// Every item of a table of four to nine bare integers (all within
        /// reach of each other) of mixed
        /// lengths is refuted, whatever whitespace follows the commas; no
        /// item of a table of one length is; arbitrary spans never panic.
        #[test]
        fn number_tables_are_read_whole(
            items in proptest::collection::vec("[1-9][0-9]{6,11}", 4..=TABLE_REACH + 1),
            seps in proptest::collection::vec(prop_oneof![Just(", "), Just(",\n    "), Just(",\t")], 12),
            junk in "[ -~]{0,40}",
            span in (0usize..60, 0usize..60),
            uniform in proptest::bool::ANY,
        ) {
            // Half the tables have items of one length (seven digits).
            let items: Vec<&str> = items.iter().map(|x| if uniform { &x[..7] } else { x.as_str() }).collect();
            let mut text = String::from("[");
            let mut spans = Vec::new();
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    text.push_str(seps[i]);
                }
                spans.push((text.len(), text.len() + item.len()));
                text.push_str(item);
            }
            text.push(']');
            let mixed = items.iter().any(|x| x.len() != items[0].len());
            for &(s, e) in &spans {
                prop_assert_eq!(in_number_table(&text, s, e), mixed, "{}", text);
            }
            let (s, e) = (span.0.min(junk.len()), span.1.min(junk.len()));
            let _ = in_number_table(&junk, s.min(e), s.max(e));
        }

        #[test]
        fn luhn_detects_single_digit_errors(prefix in proptest::collection::vec(0u8..10, 11..18), pos in 0usize..20, delta in 1u8..10) {
            let good = luhn_complete(&prefix);
            prop_assert!(luhn(&good));
            let mut bytes = good.into_bytes();
            let i = pos % bytes.len();
            bytes[i] = b'0' + ((bytes[i] - b'0' + delta) % 10);
            prop_assert!(!luhn(std::str::from_utf8(&bytes).unwrap()));
        }

        #[test]
        fn mod97_detects_single_changes(bban in "[0-9]{18}", pos in 0usize..18, delta in 1u8..10) {
            // Build a valid GB-length IBAN from a random BBAN by computing its check digits.
            let body = format!("ABCD{}", &bban[..14]);
            let mut rem: u64 = 0;
            for b in format!("{body}GB00").bytes() {
                let v = if b.is_ascii_digit() { (b - b'0') as u64 } else { (b - b'A') as u64 + 10 };
                rem = if v >= 10 { (rem * 100 + v) % 97 } else { (rem * 10 + v) % 97 };
            }
            let check = 98 - rem;
            let good = format!("GB{check:02}{body}");
            prop_assert!(iban(&good), "{}", good);
            let mut bytes = good.into_bytes();
            let i = 8 + pos % 14;
            bytes[i] = b'0' + ((bytes[i] - b'0' + delta) % 10);
            prop_assert!(!iban(std::str::from_utf8(&bytes).unwrap()));
        }

        #[test]
        fn nhs_detects_single_changes(d in proptest::collection::vec(0u8..10, 9), pos in 0usize..9, delta in 1u8..10) {
            let sum: u32 = d.iter().enumerate().map(|(i, &x)| x as u32 * (10 - i as u32)).sum();
            let check = (11 - sum % 11) % 11;
            prop_assume!(check != 10);
            let good: String = d.iter().map(|x| (b'0' + x) as char).chain(std::iter::once((b'0' + check as u8) as char)).collect();
            prop_assert!(uk_nhs(&good));
            let mut bytes = good.into_bytes();
            bytes[pos] = b'0' + ((bytes[pos] - b'0' + delta) % 10);
            prop_assert!(!uk_nhs(std::str::from_utf8(&bytes).unwrap()));
        }

        #[test]
        fn base58check_roundtrip_and_corruption(payload in proptest::collection::vec(any::<u8>(), 1..30), flip in 0usize..64) {
            let mut data = payload.clone();
            let h = Sha256::digest(Sha256::digest(&payload));
            data.extend_from_slice(&h[..4]);
            let enc = base58_encode(&data);
            prop_assert!(base58check(&enc));
            let mut chars: Vec<u8> = enc.into_bytes();
            let i = flip % chars.len();
            let pos = B58.iter().position(|&c| c == chars[i]).unwrap();
            chars[i] = B58[(pos + 1) % 58];
            prop_assert!(!base58check(std::str::from_utf8(&chars).unwrap()));
        }

        #[test]
        fn validators_never_panic(s in "\\PC{0,40}") {
            for name in NAMES {
                let _ = by_name(name).unwrap()(&s);
            }
        }
    }

    fn base58_encode(data: &[u8]) -> String {
        let mut digits: Vec<u8> = Vec::new();
        for &byte in data {
            let mut carry = byte as u32;
            for d in digits.iter_mut() {
                carry += (*d as u32) << 8;
                *d = (carry % 58) as u8;
                carry /= 58;
            }
            while carry > 0 {
                digits.push((carry % 58) as u8);
                carry /= 58;
            }
        }
        let zeros = data.iter().take_while(|&&b| b == 0).count();
        std::iter::repeat_n(b'1', zeros)
            .chain(digits.iter().rev().map(|&d| B58[d as usize]))
            .map(|b| b as char)
            .collect()
    }
}
