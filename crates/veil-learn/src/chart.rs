//! The privacy–utility chart of `veil train --sweep-epsilon`: accuracy against
//! ε (log scale) with the non-private baseline as a horizontal line, as one
//! self-contained SVG.

use crate::error::{LearnError, Result};
use plotters::prelude::*;
use serde::Serialize;

/// One ε of a sweep.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct SweepPoint {
    /// Target ε.
    pub epsilon: f64,
    /// Mean accuracy over the runs.
    pub accuracy: f64,
    /// Standard deviation over the runs (0 for one run).
    pub accuracy_sd: f64,
}

fn err(e: impl std::fmt::Display) -> LearnError {
    LearnError::InvalidParameter {
        name: "chart",
        reason: e.to_string(),
    }
}

/// Renders the sweep as SVG text.
pub fn sweep_svg(points: &[SweepPoint], baseline: Option<f64>, metric: &str) -> Result<String> {
    if points.is_empty() {
        return Err(err("no sweep points"));
    }
    let xmin = points
        .iter()
        .map(|p| p.epsilon)
        .fold(f64::INFINITY, f64::min)
        / 1.5;
    let xmax = points.iter().map(|p| p.epsilon).fold(0.0, f64::max) * 1.5;
    let lows = points.iter().map(|p| p.accuracy - p.accuracy_sd);
    let highs = points.iter().map(|p| p.accuracy + p.accuracy_sd);
    let ymin = lows.chain(baseline).fold(1.0, f64::min);
    let ymax = highs.chain(baseline).fold(0.0, f64::max);
    let pad = ((ymax - ymin) * 0.15).max(0.01);
    let (ymin, ymax) = ((ymin - pad).max(0.0), (ymax + pad).min(1.0));
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (760, 460)).into_drawing_area();
        root.fill(&WHITE).map_err(err)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                format!("Privacy-utility trade-off: {metric} vs epsilon"),
                ("sans-serif", 20),
            )
            .margin(18)
            .x_label_area_size(44)
            .y_label_area_size(60)
            .build_cartesian_2d((xmin..xmax).log_scale(), ymin..ymax)
            .map_err(err)?;
        chart
            .configure_mesh()
            .x_desc("epsilon (log scale)")
            .y_desc(metric)
            .draw()
            .map_err(err)?;
        let blue = RGBColor(31, 119, 180);
        chart
            .draw_series(LineSeries::new(
                points.iter().map(|p| (p.epsilon, p.accuracy)),
                blue.stroke_width(2),
            ))
            .map_err(err)?
            .label("DP-SGD (mean of runs)")
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 20, y)], blue.stroke_width(2))
            });
        chart
            .draw_series(
                points
                    .iter()
                    .map(|p| Circle::new((p.epsilon, p.accuracy), 4, blue.filled())),
            )
            .map_err(err)?;
        chart
            .draw_series(points.iter().filter(|p| p.accuracy_sd > 0.0).map(|p| {
                PathElement::new(
                    vec![
                        (p.epsilon, p.accuracy - p.accuracy_sd),
                        (p.epsilon, p.accuracy + p.accuracy_sd),
                    ],
                    blue,
                )
            }))
            .map_err(err)?;
        if let Some(b) = baseline {
            let red = RGBColor(214, 39, 40);
            chart
                .draw_series(LineSeries::new(
                    vec![(xmin, b), (xmax, b)],
                    red.stroke_width(2),
                ))
                .map_err(err)?
                .label("non-private baseline")
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 20, y)], red.stroke_width(2))
                });
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(BLACK)
            .draw()
            .map_err(err)?;
        root.present().map_err(err)?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_has_points_and_baseline() {
        let pts = [
            SweepPoint {
                epsilon: 0.5,
                accuracy: 0.80,
                accuracy_sd: 0.01,
            },
            SweepPoint {
                epsilon: 1.0,
                accuracy: 0.83,
                accuracy_sd: 0.0,
            },
            SweepPoint {
                epsilon: 4.0,
                accuracy: 0.845,
                accuracy_sd: 0.002,
            },
        ];
        let svg = sweep_svg(&pts, Some(0.85), "test accuracy").unwrap();
        assert!(svg.starts_with("<svg"));
        assert_eq!(svg.matches("<circle").count(), 3);
        assert!(svg.contains("non-private baseline"));
        assert!(!svg.contains("http://") || svg.contains("xmlns"));
    }
}
