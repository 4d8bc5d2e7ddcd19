//! Times the stages of one PLD computation (development aid).
use std::time::Instant;
use veil_dp::accounting::pld::{Direction, Pld};
fn main() {
    let args: Vec<f64> = std::env::args()
        .skip(1)
        .map(|a| a.parse().expect("number"))
        .collect();
    let (q, s, n) = (args[0], args[1], args[2] as u64);
    for dir in [Direction::Remove, Direction::Add] {
        let t = Instant::now();
        let p = Pld::subsampled_gaussian(s, q, dir, 1e-4);
        let t1 = t.elapsed().as_secs_f64();
        let c = p.self_compose(n);
        let t2 = t.elapsed().as_secs_f64() - t1;
        let e = c.epsilon_for_delta(1e-5);
        let t3 = t.elapsed().as_secs_f64() - t1 - t2;
        println!(
            "{dir:?}: single {} pts {t1:.4}s; composed {} pts {t2:.4}s; eps {e:.4} {t3:.4}s",
            p.len(),
            c.len()
        );
    }
    let t = Instant::now();
    let e = veil_dp::accounting::dpsgd::epsilon(
        q,
        s,
        n,
        1e-5,
        veil_dp::accounting::dpsgd::Accountant::Pld,
    )
    .expect("valid configuration");
    println!(
        "accountant (both directions, shared plan, parallel): eps {e:.4} in {:.4}s",
        t.elapsed().as_secs_f64()
    );
}
