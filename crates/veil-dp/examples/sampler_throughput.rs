//! Throughput of the exact samplers on one thread (and the parallel vector
//! sampler on all cores). Run: `cargo run --release -p veil-dp --example sampler_throughput`.
//! bench/dp_bench.sh runs it and records the figures in docs/benchmarks.md.

use std::time::Instant;
use veil_dp::PrivacyRng;
use veil_dp::samplers::{DiscreteGaussian, DiscreteLaplace};

fn main() {
    let mut rng = PrivacyRng::from_os().expect("OS entropy");
    let n = 5_000_000usize;
    for &sigma in &[1.0f64, 1_000.0, 1_500_000.0] {
        let dg = DiscreteGaussian::new(sigma).expect("valid sigma");
        let t = Instant::now();
        let mut acc = 0i64;
        for _ in 0..n {
            acc = acc.wrapping_add(dg.sample(&mut rng));
        }
        let s = t.elapsed().as_secs_f64();
        println!(
            "discrete_gaussian sigma={sigma:<10} 1 thread: {:>6.2} M samples/s (checksum {})",
            n as f64 / s / 1e6,
            acc & 1
        );
    }
    let dl = DiscreteLaplace::new(1 << 20, 1).expect("valid scale");
    let t = Instant::now();
    let mut acc = 0i64;
    for _ in 0..n {
        acc = acc.wrapping_add(dl.sample(&mut rng));
    }
    println!(
        "discrete_laplace  scale=2^20      1 thread: {:>6.2} M samples/s (checksum {})",
        n as f64 / t.elapsed().as_secs_f64() / 1e6,
        acc & 1
    );
    let dg = DiscreteGaussian::new(1_500_000.0).expect("valid sigma");
    let m = 20_000_000;
    let t = Instant::now();
    let v = dg.sample_vec(&mut rng, m);
    println!(
        "discrete_gaussian vector of {m}, {} threads: {:>6.2} M samples/s (len {})",
        rayon::current_num_threads(),
        m as f64 / t.elapsed().as_secs_f64() / 1e6,
        v.len()
    );
}
