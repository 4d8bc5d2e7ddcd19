//! Detection engine throughput on one core, measured the way
//! `bench/throughput_bench.py` times presidio-rs: in-process, set-up
//! excluded, warm — no file reading, JSON parsing or output, which the
//! whole-process figures of the same script include.
//!
//! The corpus is the texts of Presidio's `synth_dataset_v2.json` (1,500
//! texts, 127 kB; the script's 10 MB corpus repeats the same texts), analysed
//! as `veil scan` analyses records: batches of up to 8,192 texts through
//! `Analyzer::analyze_batch` on a pool of one worker thread.
//!
//!     cargo bench -p veil-detect --bench engine_throughput
//!
//! `VEIL_BENCH_CORPUS` names another file of the same format (a JSON array
//! of objects with a `full_text` string).

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use veil_detect::{Analyzer, AnalyzerConfig};

/// The allocator `veil` ships with (crates/veil-cli/src/main.rs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The batch size of `veil scan` (crates/veil-cli/src/scan.rs, BATCH_DOCS).
const BATCH: usize = 8192;

fn corpus() -> Vec<String> {
    let path = std::env::var("VEIL_BENCH_CORPUS").unwrap_or_else(|_| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/datasets/pii/synth_dataset_v2.json"
        )
        .to_string()
    });
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (set VEIL_BENCH_CORPUS)"));
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"));
    records
        .iter()
        .filter_map(|r| r.get("full_text")?.as_str().map(str::to_string))
        .collect()
}

fn engine(c: &mut Criterion) {
    let texts = corpus();
    let bytes: usize = texts.iter().map(String::len).sum();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("one worker thread");
    let mut group = c.benchmark_group("engine");
    group
        .throughput(Throughput::BytesDecimal(bytes as u64))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(30)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(8));
    for (id, names) in [("every_recognizer", true), ("no_names", false)] {
        let analyzer = Analyzer::new(AnalyzerConfig {
            names,
            ..AnalyzerConfig::default()
        })
        .expect("the built-in recognizers compile");
        group.bench_function(id, |b| {
            b.iter(|| {
                pool.install(|| {
                    for batch in texts.chunks(BATCH) {
                        black_box(analyzer.analyze_batch(batch));
                    }
                })
            })
        });
    }
    group.finish();
}

criterion_group!(benches, engine);
criterion_main!(benches);
