//! Networks Veil trains: logistic regression (no hidden layer, one sigmoid
//! output), softmax regression (no hidden layer, k outputs) and multilayer
//! perceptrons with ReLU hidden layers. Per-example gradient norms come from
//! the batch's activations and output errors without materialising any
//! per-example gradient: for a dense layer the gradient of one example is the
//! outer product aᵢδᵢᵀ, whose Frobenius norm is ‖aᵢ‖·‖δᵢ‖.

use ndarray::{Array1, Array2, ArrayView2, Axis};
use veil_dp::PrivacyRng;

/// One dense layer: `out = input · w + b`, `w` of shape (inputs × outputs).
#[derive(Clone, Debug, PartialEq)]
pub struct Layer {
    /// Weights, inputs × outputs.
    pub w: Array2<f64>,
    /// Biases, one per output.
    pub b: Array1<f64>,
}

/// A feed-forward network; ReLU between layers, sigmoid (two classes) or
/// softmax (more) on the output.
#[derive(Clone, Debug, PartialEq)]
pub struct Network {
    /// Layers from input to output.
    pub layers: Vec<Layer>,
    /// Number of classes (2 means a single sigmoid output).
    pub classes: usize,
}

/// How per-example gradients are bounded before they are summed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Clipping {
    /// No clipping; each example's gradient is multiplied by `scale` (1/m for a mean).
    None {
        /// Factor applied to every example.
        scale: f64,
    },
    /// Every example's whole gradient scaled to L2 norm ≤ C.
    Flat(f64),
    /// Each layer's part scaled to L2 norm ≤ C/√L, so the whole is ≤ C.
    PerLayer(f64),
}

/// Gradients in the network's shape.
#[derive(Clone, Debug)]
pub struct Grads {
    /// (weights, biases) per layer.
    pub layers: Vec<(Array2<f64>, Array1<f64>)>,
}

impl Grads {
    /// The gradient as one vector in [`Network::params`] order.
    pub fn flatten(&self) -> Vec<f64> {
        let mut v = Vec::new();
        for (w, b) in &self.layers {
            v.extend(w.iter());
            v.extend(b.iter());
        }
        v
    }
}

fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// ln(1 + e^z) without overflow.
fn softplus(z: f64) -> f64 {
    if z > 0.0 {
        z + (-z).exp().ln_1p()
    } else {
        z.exp().ln_1p()
    }
}

fn uniform(rng: &mut PrivacyRng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

impl Network {
    /// A network with `hidden` ReLU layers. Without hidden layers it starts at
    /// zero (a convex model); hidden layers start He-uniform, the output layer
    /// Glorot-uniform, from `rng` (initialisation is independent of the data).
    pub fn new(inputs: usize, hidden: &[usize], classes: usize, rng: &mut PrivacyRng) -> Network {
        let outputs = if classes == 2 { 1 } else { classes };
        let mut sizes = vec![inputs];
        sizes.extend_from_slice(hidden);
        sizes.push(outputs);
        let last = sizes.len() - 2;
        let layers = sizes
            .windows(2)
            .enumerate()
            .map(|(l, io)| {
                let (i, o) = (io[0], io[1]);
                let w = if hidden.is_empty() {
                    Array2::zeros((i, o))
                } else {
                    let limit = if l == last {
                        (6.0 / (i + o) as f64).sqrt()
                    } else {
                        (6.0 / i.max(1) as f64).sqrt()
                    };
                    Array2::from_shape_simple_fn((i, o), || (2.0 * uniform(rng) - 1.0) * limit)
                };
                Layer {
                    w,
                    b: Array1::zeros(o),
                }
            })
            .collect();
        Network { layers, classes }
    }

    /// Number of inputs.
    pub fn inputs(&self) -> usize {
        self.layers[0].w.nrows()
    }

    /// Sizes of the hidden layers.
    pub fn hidden(&self) -> Vec<usize> {
        self.layers[..self.layers.len() - 1]
            .iter()
            .map(|l| l.w.ncols())
            .collect()
    }

    /// Total number of parameters.
    pub fn num_params(&self) -> usize {
        self.layers.iter().map(|l| l.w.len() + l.b.len()).sum()
    }

    /// Parameters as one vector: per layer, weights row-major then biases.
    pub fn params(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(self.num_params());
        for l in &self.layers {
            v.extend(l.w.iter());
            v.extend(l.b.iter());
        }
        v
    }

    /// Sets the parameters from a vector in [`Network::params`] order.
    pub fn set_params(&mut self, p: &[f64]) {
        let mut it = p.iter();
        for l in &mut self.layers {
            for (d, s) in l.w.iter_mut().chain(l.b.iter_mut()).zip(&mut it) {
                *d = *s;
            }
        }
    }

    /// Adds `delta` (in [`Network::params`] order) to the parameters.
    pub fn add_to_params(&mut self, delta: &[f64]) {
        let mut it = delta.iter();
        for l in &mut self.layers {
            for (d, s) in l.w.iter_mut().chain(l.b.iter_mut()).zip(&mut it) {
                *d += *s;
            }
        }
    }

    /// Activations entering each layer (the first is `x`) and the output logits.
    fn forward(&self, x: ArrayView2<f64>) -> (Vec<Array2<f64>>, Array2<f64>) {
        let mut acts = Vec::with_capacity(self.layers.len());
        let mut cur = x.to_owned();
        for (l, layer) in self.layers.iter().enumerate() {
            let mut z = cur.dot(&layer.w);
            z += &layer.b;
            acts.push(cur);
            if l + 1 < self.layers.len() {
                z.mapv_inplace(|v| v.max(0.0));
            }
            cur = z;
        }
        (acts, cur)
    }

    /// Class probabilities, rows × classes.
    pub fn predict_proba(&self, x: ArrayView2<f64>) -> Array2<f64> {
        let (_, logits) = self.forward(x);
        probabilities(&logits, self.classes)
    }

    /// Mean cross-entropy of the labels `y` under the model.
    pub fn loss(&self, x: ArrayView2<f64>, y: &[usize]) -> f64 {
        let (_, logits) = self.forward(x);
        let n = y.len().max(1) as f64;
        if self.classes == 2 {
            logits
                .column(0)
                .iter()
                .zip(y)
                .map(|(&z, &t)| softplus(z) - if t == 1 { z } else { 0.0 })
                .sum::<f64>()
                / n
        } else {
            logits
                .rows()
                .into_iter()
                .zip(y)
                .map(|(row, &t)| {
                    let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
                    let lse = m + row.iter().map(|v| (v - m).exp()).sum::<f64>().ln();
                    lse - row[t]
                })
                .sum::<f64>()
                / n
        }
    }

    /// Output errors ∂loss/∂logits for each example (not averaged).
    fn output_delta(&self, logits: &Array2<f64>, y: &[usize]) -> Array2<f64> {
        let mut d = probabilities(logits, self.classes);
        if self.classes == 2 {
            let mut out = Array2::zeros((y.len(), 1));
            for (i, &t) in y.iter().enumerate() {
                out[(i, 0)] = d[(i, 1)] - if t == 1 { 1.0 } else { 0.0 };
            }
            out
        } else {
            for (i, &t) in y.iter().enumerate() {
                d[(i, t)] -= 1.0;
            }
            d
        }
    }

    /// Per-layer output errors, from the output back to the first layer.
    fn backward(
        &self,
        acts: &[Array2<f64>],
        logits: &Array2<f64>,
        y: &[usize],
    ) -> Vec<Array2<f64>> {
        let n = self.layers.len();
        let mut deltas = vec![Array2::zeros((0, 0)); n];
        let mut d = self.output_delta(logits, y);
        for l in (0..n).rev() {
            if l > 0 {
                let mut prev = d.dot(&self.layers[l].w.t());
                prev.zip_mut_with(&acts[l], |p, &a| {
                    if a <= 0.0 {
                        *p = 0.0;
                    }
                });
                deltas[l] = d;
                d = prev;
            } else {
                deltas[l] = std::mem::replace(&mut d, Array2::zeros((0, 0)));
            }
        }
        deltas
    }

    /// Squared L2 norm of each example's gradient, per layer: `[layer][example]`.
    pub fn per_example_sq_norms(&self, x: ArrayView2<f64>, y: &[usize]) -> Vec<Vec<f64>> {
        let (acts, logits) = self.forward(x);
        let deltas = self.backward(&acts, &logits, y);
        sq_norms(&acts, &deltas)
    }

    /// Each example's full gradient, materialised (for tests and audits; the
    /// training path never builds these).
    pub fn per_example_grads(&self, x: ArrayView2<f64>, y: &[usize]) -> Vec<Vec<f64>> {
        (0..y.len())
            .map(|i| {
                let xi = x.slice_axis(Axis(0), ndarray::Slice::from(i..i + 1));
                self.clipped_grad_sum(xi, &y[i..i + 1], Clipping::None { scale: 1.0 })
                    .flatten()
            })
            .collect()
    }

    /// Σᵢ cᵢ·∇ℓᵢ: the sum of per-example gradients, each bounded as `clipping` says.
    pub fn clipped_grad_sum(&self, x: ArrayView2<f64>, y: &[usize], clipping: Clipping) -> Grads {
        let (acts, logits) = self.forward(x);
        let deltas = self.backward(&acts, &logits, y);
        let m = y.len();
        let nl = self.layers.len();
        // factors[l][i]
        let factors: Vec<Array1<f64>> = match clipping {
            Clipping::None { scale } => vec![Array1::from_elem(m, scale); nl],
            Clipping::Flat(c) => {
                let sq = sq_norms(&acts, &deltas);
                let f = Array1::from_shape_fn(m, |i| {
                    let norm = sq.iter().map(|l| l[i]).sum::<f64>().sqrt();
                    clip_factor(norm, c)
                });
                vec![f; nl]
            }
            Clipping::PerLayer(c) => {
                let cl = c / (nl as f64).sqrt();
                sq_norms(&acts, &deltas)
                    .iter()
                    .map(|l| Array1::from_shape_fn(m, |i| clip_factor(l[i].sqrt(), cl)))
                    .collect()
            }
        };
        let layers = acts
            .iter()
            .zip(deltas)
            .zip(&factors)
            .map(|((a, mut d), f)| {
                d *= &f.view().insert_axis(Axis(1));
                let gw = a.t().dot(&d);
                let gb = d.sum_axis(Axis(0));
                (gw, gb)
            })
            .collect();
        Grads { layers }
    }
}

/// min(1, C/‖g‖), shrunk by 1e-12 relative so rounding never lets a clipped
/// norm exceed C.
fn clip_factor(norm: f64, c: f64) -> f64 {
    if norm <= c * (1.0 - 1e-12) {
        1.0
    } else {
        c * (1.0 - 1e-12) / norm
    }
}

fn sq_norms(acts: &[Array2<f64>], deltas: &[Array2<f64>]) -> Vec<Vec<f64>> {
    acts.iter()
        .zip(deltas)
        .map(|(a, d)| {
            a.rows()
                .into_iter()
                .zip(d.rows())
                .map(|(ar, dr)| {
                    let na = ar.dot(&ar) + 1.0; // weights and bias
                    na * dr.dot(&dr)
                })
                .collect()
        })
        .collect()
}

fn probabilities(logits: &Array2<f64>, classes: usize) -> Array2<f64> {
    if classes == 2 {
        let mut p = Array2::zeros((logits.nrows(), 2));
        for (i, &z) in logits.column(0).iter().enumerate() {
            let s = sigmoid(z);
            p[(i, 0)] = 1.0 - s;
            p[(i, 1)] = s;
        }
        p
    } else {
        let mut p = logits.clone();
        for mut row in p.rows_mut() {
            let m = row.fold(f64::NEG_INFINITY, |a, &b| a.max(b));
            row.mapv_inplace(|v| (v - m).exp());
            let s = row.sum();
            row /= s;
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    fn net(hidden: &[usize], classes: usize, seed: u64) -> Network {
        let mut rng = PrivacyRng::insecure_from_seed(seed);
        let mut n = Network::new(3, hidden, classes, &mut rng);
        // non-zero parameters everywhere
        let p: Vec<f64> = (0..n.num_params())
            .map(|i| ((i as f64 * 0.37).sin()) * 0.8)
            .collect();
        n.set_params(&p);
        n
    }

    fn finite_difference(n: &Network, x: ArrayView2<f64>, y: &[usize]) -> Vec<f64> {
        let p = n.params();
        let h = 1e-6;
        (0..p.len())
            .map(|k| {
                let mut a = n.clone();
                let mut q = p.clone();
                q[k] += h;
                a.set_params(&q);
                let up = a.loss(x, y);
                q[k] -= 2.0 * h;
                a.set_params(&q);
                let down = a.loss(x, y);
                (up - down) / (2.0 * h)
            })
            .collect()
    }

    #[test]
    fn per_example_gradients_equal_finite_differences() {
        let x = array![[0.2, -0.5, 1.0], [0.9, 0.1, -0.3], [-0.7, 0.4, 0.6]];
        for (hidden, classes) in [(vec![], 2), (vec![], 3), (vec![4], 2), (vec![5, 3], 3)] {
            let n = net(&hidden, classes, 7);
            let y: Vec<usize> = (0..3).map(|i| i % classes).collect();
            let grads = n.per_example_grads(x.view(), &y);
            for i in 0..3 {
                let xi = x.slice_axis(Axis(0), ndarray::Slice::from(i..i + 1));
                let fd = finite_difference(&n, xi, &y[i..i + 1]);
                for (a, b) in grads[i].iter().zip(&fd) {
                    assert!((a - b).abs() < 1e-6, "{hidden:?} {classes}: {a} vs {b}");
                }
            }
        }
    }

    #[test]
    fn fast_norms_equal_materialised_norms() {
        let x = array![[0.2, -0.5, 1.0], [0.9, 0.1, -0.3], [-0.7, 0.4, 0.6]];
        let n = net(&[4, 3], 3, 11);
        let y = [0, 2, 1];
        let full = n.per_example_grads(x.view(), &y);
        let fast = n.per_example_sq_norms(x.view(), &y);
        for i in 0..3 {
            let a: f64 = full[i].iter().map(|v| v * v).sum();
            let b: f64 = fast.iter().map(|l| l[i]).sum();
            assert!((a - b).abs() < 1e-10 * a.max(1.0), "{a} vs {b}");
        }
    }
}
