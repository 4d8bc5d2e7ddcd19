//! `veil eval`: score findings against labelled data.
//!
//! Matching rule (as presidio-research evaluates Presidio): token level.
//! Each text is split into tokens at whitespace, with leading `"'([{` and
//! trailing `.,;:!?"')]}` split off as tokens of their own; tokens with no
//! letter or digit are not scored. A token takes the label of the gold span
//! (or finding) it overlaps. Per entity type: TP = tokens where gold and
//! prediction agree, FP = tokens predicted as the type but gold says
//! otherwise, FN = the reverse. Micro-averaged over every type Veil
//! supports. A span-level view (a gold span counts as found when a finding
//! of the same type overlaps it) is printed beside it.
//!
//! Gold labels are mapped as presidio-research does: STREET_ADDRESS,
//! ADDRESS and GPE to LOCATION, DOMAIN_NAME to URL, PREFIX to TITLE. Gold
//! labels of types Veil does not detect count as "no entity".

use crate::cli::{EvalArgs, GoldFormat};
use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};
use std::io::BufRead;
use std::process::ExitCode;
use veil_core::EntityType;
use veil_core::offsets::OffsetMap;
use veil_detect::{Analyzer, AnalyzerConfig};

struct Span {
    start: usize,
    end: usize,
    label: String,
}

struct Example {
    text: String,
    gold: Vec<Span>,
}

/// Map a gold or predicted label to the entity type it is scored as.
pub fn map_label(label: &str) -> String {
    match label {
        "STREET_ADDRESS" | "ADDRESS" | "GPE" | "LOC" => "LOCATION".into(),
        "DOMAIN_NAME" => "URL".into(),
        "PREFIX" => "TITLE".into(),
        "PER" => "PERSON".into(),
        l => l.to_string(),
    }
}

/// Field names of one gold format.
struct GoldKeys {
    text: &'static str,
    start: &'static str,
    end: &'static str,
    labels: &'static [&'static str],
}

const PRESIDIO_KEYS: GoldKeys = GoldKeys {
    text: "full_text",
    start: "start_position",
    end: "end_position",
    labels: &["entity_type"],
};
const JSONL_KEYS: GoldKeys = GoldKeys {
    text: "text",
    start: "start",
    end: "end",
    labels: &["label", "entity_type"],
};

/// One gold record; `place` names it in errors ("path: record 3").
fn example(r: &Value, keys: &GoldKeys, place: &str) -> Result<Example> {
    let text = r
        .get(keys.text)
        .and_then(Value::as_str)
        .with_context(|| format!("{place}: no `{}`", keys.text))?;
    let mut gold = Vec::new();
    for s in r
        .get("spans")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let label = keys
            .labels
            .iter()
            .find_map(|k| s.get(*k).and_then(Value::as_str))
            .with_context(|| format!("{place}: span without `{}`", keys.labels[0]))?;
        let num = |k: &str| -> Result<usize> {
            s.get(k)
                .and_then(Value::as_u64)
                .map(|n| n as usize)
                .with_context(|| format!("{place}: span without integer `{k}`"))
        };
        gold.push(Span {
            start: num(keys.start)?,
            end: num(keys.end)?,
            label: map_label(label),
        });
    }
    Ok(Example {
        text: text.to_string(),
        gold,
    })
}

fn load_gold(path: &std::path::Path, format: GoldFormat) -> Result<Vec<Example>> {
    let src = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let format = match format {
        GoldFormat::Auto if src.trim_start().starts_with('[') => GoldFormat::Presidio,
        GoldFormat::Auto => GoldFormat::Jsonl,
        f => f,
    };
    let mut out = Vec::new();
    match format {
        GoldFormat::Presidio => {
            let arr: Vec<Value> = serde_json::from_str(&src)
                .with_context(|| format!("{}: not a JSON array of records", path.display()))?;
            for (i, r) in arr.iter().enumerate() {
                out.push(example(
                    r,
                    &PRESIDIO_KEYS,
                    &format!("{}: record {}", path.display(), i + 1),
                )?);
            }
        }
        _ => {
            for (i, line) in src.lines().enumerate() {
                if line.trim().is_empty() {
                    continue;
                }
                let place = format!("{}: line {}", path.display(), i + 1);
                let r: Value = serde_json::from_str(line)
                    .with_context(|| format!("{place}: not valid JSON"))?;
                out.push(example(&r, &JSONL_KEYS, &place)?);
            }
        }
    }
    Ok(out)
}

fn load_predictions(path: &std::path::Path, n: usize) -> Result<Vec<Vec<Span>>> {
    let f =
        std::fs::File::open(path).with_context(|| format!("{}: cannot open", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in std::io::BufReader::new(f).lines().enumerate() {
        let line = line.with_context(|| format!("{}: cannot read", path.display()))?;
        if line.trim().is_empty() {
            continue;
        }
        let r: Value = serde_json::from_str(&line)
            .with_context(|| format!("{}: line {}: not valid JSON", path.display(), i + 1))?;
        let mut spans = Vec::new();
        for f in r
            .get("findings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let get = |k: &str| f.get(k).and_then(Value::as_u64).map(|x| x as usize);
            let (Some(start), Some(end), Some(label)) = (
                get("start"),
                get("end"),
                f.get("entity_type").and_then(Value::as_str),
            ) else {
                bail!(
                    "{}: line {}: finding needs start, end and entity_type",
                    path.display(),
                    i + 1
                );
            };
            spans.push(Span {
                start,
                end,
                label: map_label(label),
            });
        }
        out.push(spans);
    }
    if out.len() != n {
        bail!(
            "{}: {} prediction lines for {} gold records",
            path.display(),
            out.len(),
            n
        );
    }
    Ok(out)
}

/// Token boundaries (code points) as the matching rule describes.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < chars.len() && !chars[j].is_whitespace() {
            j += 1;
        }
        let (mut a, mut b) = (i, j);
        while a < b && "\"'([{".contains(chars[a]) {
            a += 1;
        }
        while b > a && ".,;:!?\"')]}".contains(chars[b - 1]) {
            b -= 1;
        }
        if chars[a..b].iter().any(|c| c.is_alphanumeric()) {
            out.push((a, b));
        }
        i = j;
    }
    out
}

fn label_at(spans: &[Span], tok: (usize, usize), supported: &HashSet<String>) -> Option<String> {
    spans
        .iter()
        .find(|s| s.start < tok.1 && tok.0 < s.end && supported.contains(&s.label))
        .map(|s| s.label.clone())
}

#[derive(Default, Clone, Copy)]
struct Counts {
    tp: u64,
    fp: u64,
    fn_: u64,
}

impl Counts {
    fn prf(&self) -> (f64, f64, f64) {
        let p = if self.tp + self.fp == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        };
        let r = if self.tp + self.fn_ == 0 {
            0.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        };
        let f = if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        };
        (p, r, f)
    }
}

/// Run `veil eval`.
pub fn run(args: EvalArgs) -> Result<ExitCode> {
    let examples = load_gold(&args.gold, args.gold_format)?;
    let supported: HashSet<String> = EntityType::BUILTIN
        .iter()
        .map(|e| e.as_str().to_string())
        .collect();
    let started = std::time::Instant::now();
    let preds: Vec<Vec<Span>> = match &args.predictions {
        Some(p) => load_predictions(p, examples.len())?,
        None => {
            let analyzer = Analyzer::new(AnalyzerConfig {
                min_score: args.min_score,
                ..AnalyzerConfig::default()
            })?;
            let texts: Vec<&str> = examples.iter().map(|e| e.text.as_str()).collect();
            analyzer
                .analyze_batch(&texts)
                .into_iter()
                .zip(&texts)
                .map(|(fs, t)| {
                    let m = OffsetMap::new(t);
                    fs.into_iter()
                        .map(|f| Span {
                            start: m.char_offset(f.start),
                            end: m.char_offset(f.end),
                            label: f.entity_type.to_string(),
                        })
                        .collect()
                })
                .collect()
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    let mut tok: BTreeMap<String, Counts> = BTreeMap::new();
    let mut span: BTreeMap<String, Counts> = BTreeMap::new();
    let mut errors: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let bytes: usize = examples.iter().map(|e| e.text.len()).sum();
    for (ex, pred) in examples.iter().zip(&preds) {
        for t in tokens(&ex.text) {
            let g = label_at(&ex.gold, t, &supported);
            let p = label_at(pred, t, &supported);
            match (&g, &p) {
                (Some(a), Some(b)) if a == b => tok.entry(a.clone()).or_default().tp += 1,
                _ => {
                    if let Some(a) = &g {
                        tok.entry(a.clone()).or_default().fn_ += 1;
                    }
                    if let Some(b) = &p {
                        tok.entry(b.clone()).or_default().fp += 1;
                    }
                }
            }
        }
        let chars: Vec<char> = ex.text.chars().collect();
        let show = |s: &Span| -> String {
            chars[s.start.min(chars.len())..s.end.min(chars.len())]
                .iter()
                .collect::<String>()
                .replace('\n', "⏎")
        };
        for g in ex.gold.iter().filter(|g| supported.contains(&g.label)) {
            let hit = pred
                .iter()
                .any(|p| p.label == g.label && p.start < g.end && g.start < p.end);
            let c = span.entry(g.label.clone()).or_default();
            if hit {
                c.tp += 1;
            } else {
                c.fn_ += 1;
                errors
                    .entry(format!("{} FN", g.label))
                    .or_default()
                    .push(format!("{:?}  in: {}", show(g), ex.text.replace('\n', "⏎")));
            }
        }
        for p in pred.iter().filter(|p| supported.contains(&p.label)) {
            if !ex
                .gold
                .iter()
                .any(|g| p.label == g.label && p.start < g.end && g.start < p.end)
            {
                span.entry(p.label.clone()).or_default().fp += 1;
                let truth = ex
                    .gold
                    .iter()
                    .find(|g| p.start < g.end && g.start < p.end)
                    .map_or("O".to_string(), |g| g.label.clone());
                errors
                    .entry(format!("{} FP", p.label))
                    .or_default()
                    .push(format!(
                        "{:?} (gold {truth})  in: {}",
                        show(p),
                        ex.text.replace('\n', "⏎")
                    ));
            }
        }
    }
    let micro = tok.values().fold(Counts::default(), |a, c| Counts {
        tp: a.tp + c.tp,
        fp: a.fp + c.fp,
        fn_: a.fn_ + c.fn_,
    });
    let (mp, mr, mf) = micro.prf();
    if args.json {
        let per: serde_json::Map<String, Value> = tok
            .iter()
            .map(|(k, c)| {
                let (p, r, f) = c.prf();
                let (sp, sr, sf) = span.get(k).copied().unwrap_or_default().prf();
                (k.clone(), json!({"precision": p, "recall": r, "f1": f, "tp": c.tp, "fp": c.fp, "fn": c.fn_, "span_precision": sp, "span_recall": sr, "span_f1": sf}))
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "gold": args.gold.display().to_string(), "records": examples.len(), "bytes": bytes,
                "matching": "token-level, typed, presidio-research label map",
                "micro": {"precision": mp, "recall": mr, "f1": mf}, "entities": per,
                "seconds": seconds,
            }))?
        );
    } else {
        println!(
            "veil eval: {} records, {} bytes, {:.2} s; token-level typed scores (presidio-research matching)",
            examples.len(),
            bytes,
            seconds
        );
        println!(
            "{:<22} {:>9} {:>9} {:>9} {:>8}   {:>9} {:>9}",
            "entity", "precision", "recall", "f1", "tokens", "span-P", "span-R"
        );
        for (k, c) in &tok {
            let (p, r, f) = c.prf();
            let (sp, sr, _) = span.get(k).copied().unwrap_or_default().prf();
            println!(
                "{:<22} {:>9.3} {:>9.3} {:>9.3} {:>8}   {:>9.3} {:>9.3}",
                k,
                p,
                r,
                f,
                c.tp + c.fn_,
                sp,
                sr
            );
        }
        println!(
            "{:<22} {:>9.3} {:>9.3} {:>9.3} {:>8}",
            "micro",
            mp,
            mr,
            mf,
            micro.tp + micro.fn_
        );
        if args.errors > 0 {
            for (k, list) in &errors {
                println!("\n== {k} ({}) ==", list.len());
                for e in list.iter().take(args.errors) {
                    println!("  {e}");
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_split_punctuation() {
        let t = "Hi (John), mail a@b.com.";
        let toks: Vec<String> = tokens(t)
            .iter()
            .map(|(a, b)| t.chars().skip(*a).take(b - a).collect())
            .collect();
        assert_eq!(toks, vec!["Hi", "John", "mail", "a@b.com"]);
    }
}
