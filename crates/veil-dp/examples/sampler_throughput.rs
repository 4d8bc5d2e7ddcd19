//! Throughput of the exact samplers on one thread (and the parallel vector
//! sampler on all cores). Run: `cargo run --release -p veil-dp --example sampler_throughput`.
//! bench/dp_bench.sh runs it and records the figures in docs/benchmarks.md.
//!
//! Each figure is the median and the best of 7 timed repetitions: this
//! machine is a shared VM whose single-thread speed varies by ±25% from one
//! second to the next, so one timing says little.

use std::time::Instant;
use veil_dp::PrivacyRng;
use veil_dp::samplers::{DiscreteGaussian, DiscreteLaplace};

/// Median and best of 7 repetitions of `n` draws, in millions per second.
fn rate(n: usize, mut draw: impl FnMut() -> i64) -> (f64, f64, i64) {
    let mut rates = Vec::new();
    let mut acc = 0i64;
    for _ in 0..7 {
        let t = Instant::now();
        for _ in 0..n {
            acc = acc.wrapping_add(draw());
        }
        rates.push(n as f64 / t.elapsed().as_secs_f64() / 1e6);
    }
    rates.sort_by(f64::total_cmp);
    (rates[3], rates[6], acc & 1)
}

fn main() {
    let mut rng = PrivacyRng::from_os().expect("OS entropy");
    let n = 2_000_000usize;
    for &sigma in &[1.0f64, 1_000.0, 1_500_000.0] {
        let dg = DiscreteGaussian::new(sigma).expect("valid sigma");
        let (median, best, check) = rate(n, || dg.sample(&mut rng));
        println!(
            "discrete_gaussian sigma={sigma:<10} 1 thread: median {median:>6.2}, best {best:>6.2} M samples/s (checksum {check})"
        );
    }
    let dl = DiscreteLaplace::new(1 << 20, 1).expect("valid scale");
    let (median, best, check) = rate(n, || dl.sample(&mut rng));
    println!(
        "discrete_laplace  scale=2^20      1 thread: median {median:>6.2}, best {best:>6.2} M samples/s (checksum {check})"
    );
    let dg = DiscreteGaussian::new(1_500_000.0).expect("valid sigma");
    let m = 20_000_000;
    let mut rates = Vec::new();
    for _ in 0..3 {
        let t = Instant::now();
        let v = dg.sample_vec(&mut rng, m);
        rates.push(m as f64 / t.elapsed().as_secs_f64() / 1e6);
        assert_eq!(v.len(), m);
    }
    rates.sort_by(f64::total_cmp);
    println!(
        "discrete_gaussian vector of {m}, {} threads: median {:>6.2}, best {:>6.2} M samples/s",
        rayon::current_num_threads(),
        rates[1],
        rates[2]
    );
}
