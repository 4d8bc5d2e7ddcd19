//! Evaluation metrics with scikit-learn's definitions: accuracy, log-loss
//! (probabilities clipped to [1e-15, 1 − 1e-15]), ROC AUC (Mann–Whitney with
//! ties counted half) and a calibration table of ten equal-width bins.

use ndarray::Array2;
use serde::{Deserialize, Serialize};

/// One bin of the calibration table.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CalibrationBin {
    /// Lower edge of the predicted-probability bin.
    pub lower: f64,
    /// Upper edge.
    pub upper: f64,
    /// Records whose predicted positive probability falls in the bin.
    pub count: usize,
    /// Mean predicted probability in the bin (null when empty).
    pub mean_predicted: Option<f64>,
    /// Observed share of positives in the bin (null when empty).
    pub observed_rate: Option<f64>,
}

/// Scores of a model on labelled data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// Records scored.
    pub rows: usize,
    /// Share of records whose most probable class is the label.
    pub accuracy: f64,
    /// Mean negative log-likelihood.
    pub log_loss: f64,
    /// ROC AUC of the positive class (two classes only).
    pub roc_auc: Option<f64>,
    /// Calibration of the positive class (two classes only).
    pub calibration: Vec<CalibrationBin>,
}

/// Index of the largest value (the first on ties).
pub fn argmax(row: ndarray::ArrayView1<f64>) -> usize {
    let mut best = 0;
    for (i, &v) in row.iter().enumerate() {
        if v > row[best] {
            best = i;
        }
    }
    best
}

/// Metrics of probabilities `p` (rows × classes) against labels `y`.
pub fn evaluate(p: &Array2<f64>, y: &[usize]) -> Metrics {
    let n = y.len();
    let correct = p
        .rows()
        .into_iter()
        .zip(y)
        .filter(|(r, t)| argmax(*r) == **t)
        .count();
    let log_loss = p
        .rows()
        .into_iter()
        .zip(y)
        .map(|(r, &t)| -r[t].clamp(1e-15, 1.0 - 1e-15).ln())
        .sum::<f64>()
        / n.max(1) as f64;
    let (roc_auc, calibration) = if p.ncols() == 2 {
        let pos: Vec<f64> = p.column(1).to_vec();
        let labels: Vec<bool> = y.iter().map(|&t| t == 1).collect();
        (roc_auc(&pos, &labels), calibration_table(&pos, &labels, 10))
    } else {
        (None, Vec::new())
    };
    Metrics {
        rows: n,
        accuracy: correct as f64 / n.max(1) as f64,
        log_loss,
        roc_auc,
        calibration,
    }
}

/// ROC AUC: the probability that a random positive scores above a random
/// negative, ties counting half. None when a class is absent.
pub fn roc_auc(scores: &[f64], labels: &[bool]) -> Option<f64> {
    let pos = labels.iter().filter(|&&l| l).count();
    let neg = labels.len() - pos;
    if pos == 0 || neg == 0 {
        return None;
    }
    let mut idx: Vec<usize> = (0..scores.len()).collect();
    idx.sort_by(|&a, &b| scores[a].total_cmp(&scores[b]));
    // average ranks over ties
    let mut rank_sum_pos = 0.0;
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && scores[idx[j + 1]] == scores[idx[i]] {
            j += 1;
        }
        let avg_rank = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            if labels[k] {
                rank_sum_pos += avg_rank;
            }
        }
        i = j + 1;
    }
    let pos_f = pos as f64;
    Some((rank_sum_pos - pos_f * (pos_f + 1.0) / 2.0) / (pos_f * neg as f64))
}

/// Equal-width bins over [0, 1] of the predicted positive probability.
pub fn calibration_table(p: &[f64], labels: &[bool], bins: usize) -> Vec<CalibrationBin> {
    let mut count = vec![0usize; bins];
    let mut sum_p = vec![0.0; bins];
    let mut pos = vec![0usize; bins];
    for (&pi, &l) in p.iter().zip(labels) {
        let b = ((pi * bins as f64) as usize).min(bins - 1);
        count[b] += 1;
        sum_p[b] += pi;
        pos[b] += usize::from(l);
    }
    (0..bins)
        .map(|b| CalibrationBin {
            lower: b as f64 / bins as f64,
            upper: (b + 1) as f64 / bins as f64,
            count: count[b],
            mean_predicted: (count[b] > 0).then(|| sum_p[b] / count[b] as f64),
            observed_rate: (count[b] > 0).then(|| pos[b] as f64 / count[b] as f64),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn matches_scikit_learn_on_a_small_case() {
        // sklearn.metrics: roc_auc_score([0,0,1,1,1],[0.1,0.4,0.35,0.8,0.4]) = 0.75
        let s = [0.1, 0.4, 0.35, 0.8, 0.4];
        let l = [false, false, true, true, true];
        assert!((roc_auc(&s, &l).unwrap() - 0.75).abs() < 1e-12);
        // log_loss([1,0],[[.2,.8],[.6,.4]]) = -(ln .8 + ln .6)/2 = 0.3669845875
        let p = array![[0.2, 0.8], [0.6, 0.4]];
        let m = evaluate(&p, &[1, 0]);
        assert!((m.log_loss - 0.366_984_587_5).abs() < 1e-9);
        assert_eq!(m.accuracy, 1.0);
        assert_eq!(m.calibration.iter().map(|b| b.count).sum::<usize>(), 2);
        assert_eq!(roc_auc(&[0.3, 0.3], &[true, true]), None);
    }
}
