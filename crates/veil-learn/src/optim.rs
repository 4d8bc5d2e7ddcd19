//! Optimizers over the flat parameter vector: SGD (with optional momentum)
//! and Adam. They only post-process privatised gradients, so they cost no
//! privacy.

use serde::{Deserialize, Serialize};

/// Which update rule.
#[derive(Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum OptimizerKind {
    /// Stochastic gradient descent (heavy-ball momentum when momentum > 0).
    #[default]
    Sgd,
    /// Adam (Kingma & Ba 2015) with β₁ = 0.9, β₂ = 0.999, ε = 1e-8.
    Adam,
}

/// Optimizer state.
#[derive(Clone, Debug)]
pub struct Optimizer {
    kind: OptimizerKind,
    lr: f64,
    momentum: f64,
    t: u64,
    m: Vec<f64>,
    v: Vec<f64>,
}

impl Optimizer {
    /// A fresh optimizer for `n` parameters.
    pub fn new(kind: OptimizerKind, lr: f64, momentum: f64, n: usize) -> Optimizer {
        Optimizer {
            kind,
            lr,
            momentum,
            t: 0,
            m: vec![0.0; n],
            v: if kind == OptimizerKind::Adam {
                vec![0.0; n]
            } else {
                Vec::new()
            },
        }
    }

    /// The parameter change for gradient `g` (to be added to the parameters).
    pub fn update(&mut self, g: &[f64]) -> Vec<f64> {
        self.t += 1;
        match self.kind {
            OptimizerKind::Sgd => {
                if self.momentum == 0.0 {
                    return g.iter().map(|x| -self.lr * x).collect();
                }
                for (m, x) in self.m.iter_mut().zip(g) {
                    *m = self.momentum * *m + x;
                }
                self.m.iter().map(|m| -self.lr * m).collect()
            }
            OptimizerKind::Adam => {
                let (b1, b2, eps) = (0.9f64, 0.999f64, 1e-8);
                let t = self.t as i32;
                let c1 = 1.0 - b1.powi(t);
                let c2 = 1.0 - b2.powi(t);
                self.m
                    .iter_mut()
                    .zip(self.v.iter_mut())
                    .zip(g)
                    .map(|((m, v), x)| {
                        *m = b1 * *m + (1.0 - b1) * x;
                        *v = b2 * *v + (1.0 - b2) * x * x;
                        -self.lr * (*m / c1) / ((*v / c2).sqrt() + eps)
                    })
                    .collect()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgd_and_adam_first_steps() {
        let mut s = Optimizer::new(OptimizerKind::Sgd, 0.5, 0.0, 2);
        assert_eq!(s.update(&[2.0, -4.0]), vec![-1.0, 2.0]);
        // Adam's first step is lr·sign(g) (bias-corrected m/√v = g/|g|).
        let mut a = Optimizer::new(OptimizerKind::Adam, 0.1, 0.0, 2);
        let d = a.update(&[3.0, -0.01]);
        assert!(
            (d[0] + 0.1).abs() < 1e-6 && (d[1] - 0.1).abs() < 1e-4,
            "{d:?}"
        );
    }
}
