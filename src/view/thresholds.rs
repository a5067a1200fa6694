//! Thresholds marked on the plots, with their labels (issue 12, item 4; protocol.md §8.7,
//! §12, §17 "derived values to display beside the plots").
//!
//! * On a τ_e axis ([`tau_e_markers`]):
//!   - **links start to stall**: the smallest τ_e at which RSI 1 can wait for Bell pairs,
//!     k·min_i δ_1,i/n over the circuits i (the derived `tau_e_no_wait` of
//!     [`crate::protocol::bounds::Thresholds`], scaled by k = `parallel_links`);
//!   - **depth starts to grow**: k·min_i max_k(δ_k − 4(k−1))/n (`tau_e_no_depth_cost`);
//!   - **advantage lost**: for p_L and depth against each baseline (direct, monolithic), the
//!     τ_e where distributed stops beating it: the first sign change (− to +) of the paired
//!     difference distributed − baseline between neighbouring sweep points, located by linear
//!     interpolation (on the range's scale) — only if it happens inside the range.
//! * On an n axis ([`n_markers`]): the §12 depth threshold. Distributed CliNR (no restart, no
//!   stall) is shallower than direct only when
//!   Δ > t/(t−1) · (c̄ + 4(t+1)), with c̄ = mean over blocks of δ_k − Δ_k (RSP and checks;
//!   ≈ 3 + r(1.5n + 4) with uniform checks, giving §12's Δ ≳ 6.75n + 46 at t = r = 3). The
//!   curve is drawn on the depth plot (direct's depth is Δ), and the marker is the n where the
//!   measured mean Δ(n) crosses it, if inside the range.
//!
//! Everything the plots cannot mark (no crossing in range, t = 1, …) becomes a note.
//! [`thresholds`] picks what applies to an axis.

use serde::{Deserialize, Serialize};

use crate::claims::paired::{paired, Paired, Significance};
use crate::estimate::Report;
use crate::protocol::schedule::Implementation;
use crate::view::plot_data::{format_value, Scale, XAxis};

/// What a marker marks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkerKind {
    /// τ_e above which RSI 1 can wait for Bell pairs (§8.7).
    StallStart,
    /// τ_e above which waiting for pairs can add depth (§8.7).
    DepthCostStart,
    /// τ_e where distributed stops beating a baseline on a quantity (measured).
    AdvantageLost,
    /// n where the measured Δ(n) crosses the §12 threshold.
    DepthThreshold,
}

/// Which plot draws a marker.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlotKind {
    LogicalErrorRate,
    Depth,
    /// Both plots (a vertical line on each).
    Both,
}

/// A vertical line at `x` with its label.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Marker {
    pub kind: MarkerKind,
    pub x: f64,
    pub plot: PlotKind,
    /// Short text next to the line: "links start to stall · τ_e = 14.2".
    pub label: String,
    /// One sentence for a tooltip or legend: what it is, how it was computed, the source.
    pub detail: String,
    /// `x` lies within the plotted x values (markers outside may be drawn at the edge or
    /// skipped).
    pub in_range: bool,
    /// Advantage lost: "p_L" or "depth"; otherwise absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// Advantage lost: "direct" or "monolithic"; otherwise absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Measured crossings: whether the paired differences on both sides are beyond 2 SE
    /// (a resolved crossing); absent for derived thresholds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resolved: Option<bool>,
}

/// A line drawn over the x axis (e.g. the §12 threshold on Δ, on the depth plot).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Curve {
    pub plot: PlotKind,
    pub label: String,
    pub detail: String,
    /// (x, y) by increasing x.
    pub points: Vec<(f64, f64)>,
}

/// Everything to mark on the plots of one axis.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    pub markers: Vec<Marker>,
    pub curves: Vec<Curve>,
    /// What could not be marked, in words ("distributed still beats direct on p_L at the end
    /// of the range, τ_e = 40").
    pub notes: Vec<String>,
}

/// The thresholds of the plots on `axis` (drawn on `scale`) for the sweep points `points`
/// (any order): [`tau_e_markers`] on τ_e, [`n_markers`] on n, nothing on p and t.
pub fn thresholds(axis: XAxis, scale: Scale, points: &[(f64, &Report)]) -> Thresholds {
    match axis {
        XAxis::TauE => tau_e_markers(scale, points),
        XAxis::N => n_markers(points),
        XAxis::P | XAxis::T => Thresholds::default(),
    }
}

fn sorted<'a>(points: &[(f64, &'a Report)]) -> Vec<(f64, &'a Report)> {
    let mut pts = points.to_vec();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0));
    pts
}

fn in_range(pts: &[(f64, &Report)], x: f64) -> bool {
    match (pts.first(), pts.last()) {
        (Some(a), Some(b)) => a.0 <= x && x <= b.0,
        _ => false,
    }
}

/// The x where `d` first turns from negative to non-negative between neighbours, by linear
/// interpolation on `scale`: `Some((k, x))` with the crossing between points k and k + 1.
pub fn first_upward_crossing(xs: &[f64], d: &[f64], scale: Scale) -> Option<(usize, f64)> {
    (0..xs.len().min(d.len()).saturating_sub(1)).find_map(|k| {
        let (d0, d1) = (d[k], d[k + 1]);
        (d0 < 0.0 && d1 >= 0.0).then(|| {
            let (u0, u1) = (scale.to_plot(xs[k]), scale.to_plot(xs[k + 1]));
            let f = -d0 / (d1 - d0);
            (k, scale.from_plot(u0 + f * (u1 - u0)))
        })
    })
}

/// The x where `d` first changes sign (either way) between neighbours, interpolated.
fn first_crossing(xs: &[f64], d: &[f64], scale: Scale) -> Option<(usize, f64)> {
    (0..xs.len().min(d.len()).saturating_sub(1)).find_map(|k| {
        let (d0, d1) = (d[k], d[k + 1]);
        ((d0 < 0.0) != (d1 < 0.0)).then(|| {
            let (u0, u1) = (scale.to_plot(xs[k]), scale.to_plot(xs[k + 1]));
            let f = -d0 / (d1 - d0);
            (k, scale.from_plot(u0 + f * (u1 - u0)))
        })
    })
}

fn fmt_diff(quantity: &str, p: &Paired) -> String {
    let v = |x: f64| {
        if quantity == "p_L" {
            format!("{x:+.4}")
        } else {
            format!("{x:+.1}")
        }
    };
    // One circuit gives no spread to estimate, even when its pair is tied (SE 0).
    match p.standard_error.filter(|_| p.circuits >= 2) {
        Some(se) => format!("{} ± {}", v(p.difference), v(se).trim_start_matches('+')),
        None => v(p.difference),
    }
}

/// Stall markers and advantage-lost crossings on a τ_e axis.
pub fn tau_e_markers(scale: Scale, points: &[(f64, &Report)]) -> Thresholds {
    let pts = sorted(points);
    let mut out = Thresholds::default();
    let Some(&(_, first)) = pts.first() else {
        return out;
    };
    let k = f64::from(first.params.knobs.parallel_links.max(1));
    let per = &first.derived.per_circuit;
    let min_of = |f: &dyn Fn(usize) -> f64| (0..per.len()).map(f).fold(f64::INFINITY, f64::min);
    let links = if k > 1.0 {
        format!(" with {k} generators per link")
    } else {
        String::new()
    };
    let stall = k * min_of(&|i| per[i].thresholds.tau_e_no_wait);
    if stall.is_finite() {
        let mean = k * first.derived.tau_e_no_wait_mean;
        out.markers.push(Marker {
            kind: MarkerKind::StallStart,
            x: stall,
            plot: PlotKind::Both,
            label: format!("links start to stall · τ_e = {}", format_value(stall)),
            detail: format!(
                "From τ_e = {} (δ_1/n of the earliest of {} circuits; mean {}){links}, RSI 1 can \
                 wait for Bell pairs, so distributed p_L and depth start to depend on τ_e \
                 (protocol.md §8.7).",
                format_value(stall),
                per.len(),
                format_value(mean)
            ),
            in_range: in_range(&pts, stall),
            quantity: None,
            baseline: None,
            resolved: None,
        });
    }
    let cost = k * min_of(&|i| per[i].thresholds.tau_e_no_depth_cost);
    if cost.is_finite() {
        out.markers.push(Marker {
            kind: MarkerKind::DepthCostStart,
            x: cost,
            plot: PlotKind::Depth,
            label: format!("depth starts to grow · τ_e = {}", format_value(cost)),
            detail: format!(
                "From τ_e = {} (max_k(δ_k − 4(k−1))/n of the earliest circuit){links}, waiting \
                 for pairs can delay the last injection and add depth (protocol.md §8.7).",
                format_value(cost)
            ),
            in_range: in_range(&pts, cost),
            quantity: None,
            baseline: None,
            resolved: None,
        });
    }
    let xs: Vec<f64> = pts.iter().map(|p| p.0).collect();
    for (quantity, plot) in [
        ("p_L", PlotKind::LogicalErrorRate),
        ("depth", PlotKind::Depth),
    ] {
        for baseline in [Implementation::Direct, Implementation::Monolithic] {
            let column = |r: &Report, imp: Implementation| -> Vec<f64> {
                r.results
                    .get(imp)
                    .per_circuit
                    .iter()
                    .map(|c| {
                        if quantity == "p_L" {
                            c.logical_error_rate
                        } else {
                            c.depth
                        }
                    })
                    .collect()
            };
            let diffs: Vec<Paired> = pts
                .iter()
                .map(|&(_, r)| {
                    paired(
                        &column(r, Implementation::Distributed),
                        &column(r, baseline),
                    )
                })
                .collect();
            let d: Vec<f64> = diffs.iter().map(|p| p.difference).collect();
            let b = baseline.name();
            match first_upward_crossing(&xs, &d, scale) {
                Some((i, x)) => {
                    let resolved = diffs[i].significance() == Significance::Below
                        && diffs[i + 1].significance() == Significance::Above;
                    out.markers.push(Marker {
                        kind: MarkerKind::AdvantageLost,
                        x,
                        plot,
                        label: format!(
                            "{quantity} advantage over {b} lost · τ_e ≈ {}",
                            format_value(x)
                        ),
                        detail: format!(
                            "Distributed CliNR's {quantity} falls behind {b}'s between τ_e = {} \
                             (distributed − {b} = {}) and τ_e = {} ({}): the paired differences \
                             cross zero at τ_e ≈ {} (linear interpolation{}){}.",
                            format_value(xs[i]),
                            fmt_diff(quantity, &diffs[i]),
                            format_value(xs[i + 1]),
                            fmt_diff(quantity, &diffs[i + 1]),
                            format_value(x),
                            if scale == Scale::Log {
                                " in log τ_e"
                            } else {
                                ""
                            },
                            if resolved {
                                ""
                            } else {
                                "; not resolved: a difference on one side is within 2 SE"
                            }
                        ),
                        in_range: true,
                        quantity: Some(quantity.into()),
                        baseline: Some(b.into()),
                        resolved: Some(resolved),
                    });
                }
                None => {
                    if let (Some(&d0), Some(&dn)) = (d.first(), d.last()) {
                        out.notes.push(if d0 >= 0.0 {
                            format!(
                                "Distributed does not beat {b} on {quantity} at τ_e = {} \
                                 (distributed − {b} = {}).",
                                format_value(xs[0]),
                                fmt_diff(quantity, &diffs[0])
                            )
                        } else if dn < 0.0 {
                            format!(
                                "Distributed still beats {b} on {quantity} at the end of the \
                                 range, τ_e = {} (distributed − {b} = {}).",
                                format_value(xs[xs.len() - 1]),
                                fmt_diff(quantity, &diffs[diffs.len() - 1])
                            )
                        } else {
                            format!("Distributed's {quantity} against {b} never turns worse here.")
                        });
                    }
                }
            }
        }
    }
    out
}

/// The §12 threshold on Δ for one report: t/(t−1) · (c̄ + 4(t+1)), c̄ the mean over blocks of
/// δ_k − Δ_k (means over circuits); `None` for t < 2 (never shallower than direct).
pub fn depth_threshold(r: &Report) -> Option<f64> {
    let t = r.params.t;
    if t < 2 {
        return None;
    }
    let d = &r.derived;
    let k = d.rspv_depths_mean.len().min(d.block_depths_mean.len());
    if k == 0 {
        return None;
    }
    let overhead = (0..k)
        .map(|i| d.rspv_depths_mean[i] - d.block_depths_mean[i])
        .sum::<f64>()
        / k as f64;
    let t = f64::from(t);
    Some(t / (t - 1.0) * (overhead + 4.0 * (t + 1.0)))
}

/// The §12 depth threshold on an n axis: the curve, the crossing with the measured Δ(n)
/// (marker), or a note.
pub fn n_markers(points: &[(f64, &Report)]) -> Thresholds {
    let pts = sorted(points);
    let mut out = Thresholds::default();
    let curve: Vec<(f64, f64, f64)> = pts
        .iter()
        .filter_map(|&(x, r)| depth_threshold(r).map(|th| (x, th, r.derived.circuit_depth.mean)))
        .collect();
    if curve.is_empty() {
        if !pts.is_empty() {
            out.notes.push(
                "With t = 1 distributed CliNR is never shallower than direct (§12 needs t ≥ 2)."
                    .into(),
            );
        }
        return out;
    }
    out.curves.push(Curve {
        plot: PlotKind::Depth,
        label: "§12 threshold on Δ".into(),
        detail: "Distributed CliNR without restarts or stalls is shallower than direct only when \
                 the circuit depth Δ (the direct depth) exceeds t/(t−1)·(RSP&V overhead + 4(t+1)), \
                 from the measured check weights (protocol.md §12; ≈ 6.75n + 46 at t = r = 3)."
            .into(),
        points: curve.iter().map(|&(x, th, _)| (x, th)).collect(),
    });
    let xs: Vec<f64> = curve.iter().map(|c| c.0).collect();
    let gap: Vec<f64> = curve.iter().map(|c| c.2 - c.1).collect();
    match first_crossing(&xs, &gap, Scale::Lin) {
        Some((i, x)) => {
            let above_after = gap[i + 1] >= 0.0;
            out.markers.push(Marker {
                kind: MarkerKind::DepthThreshold,
                x,
                plot: PlotKind::Depth,
                label: format!("§12 depth threshold · n ≈ {}", format_value(x)),
                detail: format!(
                    "The measured Δ(n) crosses the §12 threshold at n ≈ {} (linear \
                     interpolation): distributed CliNR can be shallower than direct only {} it \
                     (protocol.md §12).",
                    format_value(x),
                    if above_after { "above" } else { "below" }
                ),
                in_range: true,
                quantity: None,
                baseline: None,
                resolved: None,
            });
        }
        None => {
            let (lo, hi) = (curve[0], curve[curve.len() - 1]);
            let above = gap[0] >= 0.0;
            out.notes.push(format!(
                "Δ is {} the §12 threshold at every n here (Δ = {} … {} against {} … {}): \
                 distributed CliNR {} be shallower than direct.",
                if above { "above" } else { "below" },
                format_value(lo.2.round()),
                format_value(hi.2.round()),
                format_value(lo.1.round()),
                format_value(hi.1.round()),
                if above { "can" } else { "cannot" }
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::tests::{synthetic_report, Row};
    use crate::protocol::params::Params;

    /// One circuit gives no spread to estimate: a tied pair (SE 0) prints no "± 0.0000".
    #[test]
    fn one_circuit_differences_have_no_plus_minus() {
        assert_eq!(fmt_diff("p_L", &paired(&[0.25], &[0.25])), "+0.0000");
        assert_eq!(fmt_diff("depth", &paired(&[30.0], &[12.0])), "+18.0");
        assert_eq!(
            fmt_diff("p_L", &paired(&[0.25, 0.25], &[0.25, 0.25])),
            "+0.0000 ± 0.0000"
        );
        assert_eq!(
            fmt_diff("depth", &paired(&[30.0, 20.0], &[12.0, 12.0])),
            "+13.0 ± 5.0"
        );
    }

    #[test]
    fn crossings_interpolate_on_the_scale() {
        let xs = [1.0, 10.0, 20.0, 40.0];
        assert_eq!(
            first_upward_crossing(&xs, &[-3.0, -1.0, 1.0, 2.0], Scale::Lin),
            Some((1, 15.0))
        );
        assert_eq!(
            first_upward_crossing(&xs, &[-3.0, -1.0, -1.0, -2.0], Scale::Lin),
            None
        );
        assert_eq!(
            first_upward_crossing(&xs, &[1.0, -1.0, -1.0, -2.0], Scale::Lin),
            None
        );
        // Touching zero counts as lost.
        assert_eq!(
            first_upward_crossing(&xs, &[-1.0, 0.0, 1.0, 2.0], Scale::Lin),
            Some((0, 10.0))
        );
        // On a log scale the midpoint of 1 and 100 is 10.
        let (_, x) = first_upward_crossing(&[1.0, 100.0], &[-1.0, 1.0], Scale::Log).unwrap();
        assert!((x - 10.0).abs() < 1e-9);
        assert_eq!(
            first_crossing(&[50.0, 100.0], &[2.0, -2.0], Scale::Lin),
            Some((0, 75.0))
        );
    }

    fn fig3b_like(taus: &[f64], dist: impl Fn(f64) -> (u32, u32)) -> Vec<(f64, Report)> {
        taus.iter()
            .map(|&tau| {
                let p = Params {
                    tau_e: tau,
                    shots: 200,
                    ..Default::default()
                };
                let rows: Vec<Row> = (0..5)
                    .map(|i| {
                        let (e, d) = dist(tau);
                        [(100 + i, 1000 + i), (80 + i, 2000 + i), (e + i, d + 3 * i)]
                    })
                    .collect();
                (tau, synthetic_report(&p, &rows))
            })
            .collect()
    }

    #[test]
    fn advantage_lost_is_marked_where_the_paired_difference_crosses_zero() {
        // Distributed p_L: 60, 60, 90, 110 errors against direct 100 and monolithic 80.
        let data = fig3b_like(&[1.0, 10.0, 20.0, 40.0], |tau| match tau as u32 {
            1 | 10 => (60, 600),
            20 => (90, 1500),
            _ => (110, 2500),
        });
        let pts: Vec<(f64, &Report)> = data.iter().map(|(x, r)| (*x, r)).collect();
        let th = thresholds(XAxis::TauE, Scale::Lin, &pts);
        let lost: Vec<&Marker> = th
            .markers
            .iter()
            .filter(|m| m.kind == MarkerKind::AdvantageLost)
            .collect();
        let find = |q: &str, b: &str| {
            lost.iter()
                .find(|m| m.quantity.as_deref() == Some(q) && m.baseline.as_deref() == Some(b))
                .copied()
        };
        // p_L vs direct: −40 + i·0 (per circuit −40/200 = −0.2)… at 20: −10/200, at 40: +10/200
        // → crossing halfway between 20 and 40.
        let m = find("p_L", "direct").expect("p_L vs direct crosses");
        assert!((m.x - 30.0).abs() < 1e-9, "{}", m.x);
        assert_eq!(m.plot, PlotKind::LogicalErrorRate);
        assert_eq!(m.resolved, Some(true));
        assert!(
            m.label
                .contains("p_L advantage over direct lost · τ_e ≈ 30"),
            "{}",
            m.label
        );
        assert!(m.detail.contains("between τ_e = 20"), "{}", m.detail);
        // p_L vs monolithic: −20 at 10, +10 at 20 → 10 + 10·(20/30).
        let m = find("p_L", "monolithic").unwrap();
        assert!((m.x - (10.0 + 10.0 * 2.0 / 3.0)).abs() < 1e-9, "{}", m.x);
        // Depth vs direct: distributed adds 3i, direct i per circuit i = 0..4, so the paired
        // mean is (600 − 1000) + 4 = −396 at τ_e = 10 and +504 at 20.
        let m = find("depth", "direct").unwrap();
        assert!(
            (m.x - (10.0 + 10.0 * 396.0 / 900.0)).abs() < 1e-9,
            "{}",
            m.x
        );
        // Depth vs monolithic: −496 at 20, +504 at 40.
        let m = find("depth", "monolithic").unwrap();
        assert!(
            (m.x - (20.0 + 20.0 * 496.0 / 1000.0)).abs() < 1e-9,
            "{}",
            m.x
        );
        // A sweep that never loses says so.
        let winning = fig3b_like(&[1.0, 15.0], |_| (50, 600));
        let pts: Vec<(f64, &Report)> = winning.iter().map(|(x, r)| (*x, r)).collect();
        let th = tau_e_markers(Scale::Lin, &pts);
        assert!(th
            .markers
            .iter()
            .all(|m| m.kind != MarkerKind::AdvantageLost));
        assert_eq!(th.notes.len(), 4);
        assert!(
            th.notes[0].contains("still beats direct on p_L"),
            "{}",
            th.notes[0]
        );
    }

    #[test]
    fn stall_markers_come_from_the_derived_thresholds() {
        let data = fig3b_like(&[1.0, 5.0, 15.0], |_| (50, 600));
        let pts: Vec<(f64, &Report)> = data.iter().map(|(x, r)| (*x, r)).collect();
        let th = tau_e_markers(Scale::Lin, &pts);
        let r = &data[0].1;
        let min = r
            .derived
            .per_circuit
            .iter()
            .map(|c| c.thresholds.tau_e_no_wait)
            .fold(f64::INFINITY, f64::min);
        let stall = &th.markers[0];
        assert_eq!(stall.kind, MarkerKind::StallStart);
        assert_eq!(stall.x, min);
        assert_eq!(stall.plot, PlotKind::Both);
        assert_eq!(stall.in_range, (1.0..=15.0).contains(&min));
        assert!(stall.label.starts_with("links start to stall · τ_e = "));
        assert!(stall.detail.contains("§8.7"));
        assert_eq!(th.markers[1].kind, MarkerKind::DepthCostStart);
        assert!(th.markers[1].x >= stall.x - 1e-12);
        // k generators per link move the marker k times further.
        let mut p2 = data[0].1.clone();
        p2.params.knobs.parallel_links = 4;
        let th2 = tau_e_markers(Scale::Lin, &[(1.0, &p2)]);
        assert_eq!(th2.markers[0].x, 4.0 * min);
        assert!(th2.markers[0].detail.contains("4 generators per link"));
        assert_eq!(
            thresholds(XAxis::P, Scale::Log, &pts),
            Thresholds::default()
        );
        assert_eq!(tau_e_markers(Scale::Lin, &[]), Thresholds::default());
    }

    #[test]
    fn the_depth_threshold_follows_section_12() {
        // Real instances at small n: the curve is t/(t−1)(mean(δ_k − Δ_k) + 4(t+1)).
        let reports: Vec<(f64, Report)> = [6u32, 8, 10]
            .iter()
            .map(|&n| {
                let p = Params {
                    n,
                    circuits: 2,
                    shots: 5,
                    ..Default::default()
                };
                let r =
                    crate::estimate::simulate(&p, crate::sim::EngineKind::Fast, None, &mut |_| {})
                        .unwrap();
                (f64::from(n), r)
            })
            .collect();
        let pts: Vec<(f64, &Report)> = reports.iter().map(|(x, r)| (*x, r)).collect();
        let th = n_markers(&pts);
        assert_eq!(th.curves.len(), 1);
        let r = &reports[0].1;
        let over: Vec<f64> = r
            .derived
            .per_circuit
            .iter()
            .flat_map(|c| {
                c.rspv_depths
                    .iter()
                    .zip(&c.block_depths)
                    .map(|(d, b)| f64::from(d - b))
            })
            .collect();
        let mean_over = over.iter().sum::<f64>() / over.len() as f64;
        let want = 1.5 * (mean_over + 16.0);
        assert!((th.curves[0].points[0].1 - want).abs() < 1e-9);
        // With uniform checks the overhead is ≈ 3 + r(1.5n + 4): the §12 line 6.75n + 46.
        assert!((th.curves[0].points[0].1 - (6.75 * 6.0 + 46.5)).abs() < 6.0 * 1.5 * 3.0);
        // Small synthesized circuits are far below it: a note, no marker.
        assert!(th.markers.is_empty());
        assert!(
            th.notes[0].starts_with("Δ is below the §12 threshold"),
            "{}",
            th.notes[0]
        );
        // A crossing is marked where Δ(n) − threshold changes sign.
        let mut a = reports[0].1.clone();
        let mut b = reports[2].1.clone();
        a.derived.circuit_depth.mean = depth_threshold(&a).unwrap() - 10.0;
        b.derived.circuit_depth.mean = depth_threshold(&b).unwrap() + 30.0;
        let th = n_markers(&[(6.0, &a), (10.0, &b)]);
        assert_eq!(th.markers.len(), 1);
        assert!((th.markers[0].x - 7.0).abs() < 1e-9);
        assert!(th.markers[0].detail.contains("only above it"));
        assert_eq!(th.markers[0].label, "§12 depth threshold · n ≈ 7");
        // t = 1: no threshold.
        let mut one = reports[0].1.clone();
        one.params.t = 1;
        let th = n_markers(&[(6.0, &one)]);
        assert!(th.curves.is_empty() && th.notes[0].contains("t = 1"));
    }
}
