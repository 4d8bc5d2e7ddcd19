//! Builds what the crate embeds from the shipped word lists, into
//! `$OUT_DIR` for `include_bytes!`/`include_str!`: the lexicon
//! (`src/lexicon.rs`: every listed word with what the lists say about it,
//! as a text of the words and one record per word, which start-up loads
//! into its hash tables) and the spelling model (`src/spelling_model.rs`:
//! a character n-gram naive Bayes table, names against English words).

#[path = "src/spelling_model.rs"]
mod spelling_model;

#[allow(dead_code)]
#[path = "src/lexicon.rs"]
mod lexicon;

use spelling_model::{BUCKET_BITS, SCALE, for_each_bucket, held_out, training_sets};
use std::hash::BuildHasher;
use std::{env, fs, io, path::PathBuf};

fn main() -> io::Result<()> {
    let data = [
        "first_names",
        "last_names",
        "places",
        "words",
        "german_words",
        "spanish_words",
    ];
    for d in data {
        println!("cargo::rerun-if-changed=data/{d}.txt");
    }
    println!("cargo::rerun-if-changed=src/spelling_model.rs");
    println!("cargo::rerun-if-changed=src/lexicon.rs");
    let [first, last, places, words, german, spanish] =
        data.map(|d| fs::read_to_string(format!("data/{d}.txt")));
    let (first, last, places, words) = (first?, last?, places?, words?);
    let (german, spanish) = (german?, spanish?);
    let out = PathBuf::from(env::var_os("OUT_DIR").ok_or(io::ErrorKind::NotFound)?);

    // The records in the order of the slots their words take in the
    // start-up's hash tables (short words, then long ones; each by its
    // FxHash modulo the table's slot count, as hashbrown places it): the
    // inserts then walk each table front to back instead of at random.
    // Only the order of loading depends on this, never a lookup's answer.
    let entries = lexicon::entries(&first, &last, &words, [&german, &spanish]);
    let n_short = entries.keys().filter(|w| w.len() <= lexicon::SHORT).count();
    let slots = |n: usize| (n * 8 / 7).next_power_of_two() as u64;
    let (short_slots, long_slots) = (slots(n_short), slots(entries.len() - n_short));
    let fx = rustc_hash::FxBuildHasher;
    let order = |w: &str| match lexicon::packed(w) {
        Some(key) => fx.hash_one(key) & (short_slots - 1),
        None => long_slots + (fx.hash_one(w) & (long_slots - 1)),
    };
    let (lexicon_words, records) =
        lexicon::write_records(&entries, order).map_err(io::Error::other)?;
    fs::write(out.join("lexicon_words.txt"), lexicon_words)?;
    fs::write(out.join("lexicon.bin"), records)?;

    let (positive, negative) = training_sets(&first, &last, &places, &words);

    let buckets = 1usize << BUCKET_BITS;
    let count = |list: &[String]| {
        let mut counts = vec![0u32; buckets];
        let mut total = 0u64;
        for (i, w) in list.iter().enumerate() {
            if !held_out(i) {
                for_each_bucket(w, |b| {
                    counts[b] += 1;
                    total += 1;
                });
            }
        }
        (counts, total as f64)
    };
    let (pos, pos_total) = count(&positive);
    let (neg, neg_total) = count(&negative);
    // Laplace smoothing over the buckets either side has seen.
    let seen = pos.iter().zip(&neg).filter(|(p, n)| **p + **n > 0).count() as f64;
    let mut table = Vec::with_capacity(buckets * 2);
    for (p, n) in pos.iter().zip(&neg) {
        let ratio = ((f64::from(*p) + 1.0) / (pos_total + seen)).ln()
            - ((f64::from(*n) + 1.0) / (neg_total + seen)).ln();
        let fixed = (ratio * f64::from(SCALE)).round().clamp(-32768.0, 32767.0) as i16;
        table.extend_from_slice(&fixed.to_le_bytes());
    }
    fs::write(out.join("spelling.bin"), table)
}
