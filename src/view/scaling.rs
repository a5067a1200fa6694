//! The scaling view's numbers (issue 14): how many parallel links per connection the measured
//! runs need as the number of QPUs grows, beside the paper's predictions (paper §V, protocol.md
//! §13), and the depth of monolithic against distributed CliNR with Eqs. 6–7. Pure functions
//! of reports, for the CLI (`clinr sweep --vary t=… --min-links`) and the page.
//!
//! - **Fit.** The paper says O(t/ln t) links suffice. `fit_c` is the least-squares c of
//!   k ≈ c·t/ln t over the points with t ≥ 2 and a measured minimum k (a line through the
//!   origin in f(t) = t/ln t: c = Σ k·f / Σ f²).
//! - **Prop. 2 prediction.** Eq. 8 with k generators per link (effective τ_e/k):
//!   n·τ_e/k ≤ δ(ln t + 3)/(1 − q), solved for k: k ≥ n·τ_e·(1 − q)/(δ(ln t + 3)), with
//!   δ = max_k δ̄_k and 1 − q = min_k (1 − q_k) as in Prop. 2 (uniform-model reading, for
//!   the *mean* depth; the measured k asks that *no* run waits, a stricter criterion).
//! - **Eqs. 6–7** (identical blocks, δ = mean δ̄_k, q = mean q_k): monolithic
//!   tδ/(1−q) + 4t; distributed at most max(δ(ln t + 3)/(1 − q), n·τ_e/k) + 4(t+1) (the
//!   constant of K14).
//!
//! The RSV part of δ (≈ r(1.5n + 4)) does not shrink with t, only the RSP part (≈ Δ/t) does
//! (protocol.md §13), so at fixed n the measured k is expected to change slowly with t.

use crate::estimate::Report;
use crate::protocol::bounds::ln_count;
use serde::{Deserialize, Serialize};

/// t/ln t (None for t < 2, where ln t ≤ 0 makes the paper's rate meaningless).
pub fn t_over_ln_t(t: u32) -> Option<f64> {
    (t >= 2).then(|| f64::from(t) / ln_count(t as usize))
}

/// Least-squares c of k ≈ c·t/ln t over (t, k) points with t ≥ 2; None without such points.
pub fn fit_c_t_over_ln_t(points: &[(u32, f64)]) -> Option<f64> {
    let (mut kf, mut ff) = (0.0, 0.0);
    for &(t, k) in points {
        if let Some(f) = t_over_ln_t(t) {
            kf += k * f;
            ff += f * f;
        }
    }
    (ff > 0.0).then(|| kf / ff)
}

/// Eq. 8 solved for k: the fewest generators per link for which n·τ_e/k ≤ δ(ln t+3)/(1−q).
/// Real-valued (take the ceiling for a count); `accept` is 1 − q.
pub fn prop2_min_parallel_links(n: u32, tau_e: f64, t: u32, delta: f64, accept: f64) -> f64 {
    let ln_t = ln_count(t.max(1) as usize);
    f64::from(n) * tau_e * accept / (delta * (ln_t + 3.0))
}

/// Eq. 6: expected monolithic depth for t identical blocks, tδ/(1−q) + 4t.
pub fn eq6_monolithic_depth(t: u32, delta: f64, q: f64) -> f64 {
    f64::from(t) * delta / (1.0 - q) + 4.0 * f64::from(t)
}

/// Eq. 7 with 4(t+1) (K14): bound on the expected distributed depth for identical blocks,
/// max(δ(ln t + 3)/(1−q), n·τ_e_eff) + 4(t+1).
pub fn eq7_distributed_depth_bound(t: u32, delta: f64, q: f64, n: u32, tau_e_eff: f64) -> f64 {
    let ln_t = ln_count(t.max(1) as usize);
    (delta * (ln_t + 3.0) / (1.0 - q)).max(f64::from(n) * tau_e_eff) + 4.0 * (f64::from(t) + 1.0)
}

/// One point of the scaling view, read from its report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScalingInput {
    pub t: u32,
    pub n: u32,
    pub tau_e: f64,
    /// k of the simulated point (its distributed depth was measured with it).
    pub parallel_links: u32,
    /// δ̄_k and q_k of the point.
    pub rspv_depths_mean: Vec<f64>,
    pub restart_probability: Vec<f64>,
    /// Measured mean depths.
    pub monolithic_depth: f64,
    pub distributed_depth: f64,
    /// The measured minimum k ([`crate::estimate::scaling::min_parallel_links`]), if known.
    pub min_parallel_links: Option<u32>,
}

impl ScalingInput {
    pub fn of(report: &Report, min_parallel_links: Option<u32>) -> ScalingInput {
        let p = &report.params;
        ScalingInput {
            t: p.t,
            n: p.n,
            tau_e: p.tau_e,
            parallel_links: p.knobs.parallel_links,
            rspv_depths_mean: report.derived.rspv_depths_mean.clone(),
            restart_probability: report.derived.restart_probability.clone(),
            monolithic_depth: report.results.monolithic.depth.mean,
            distributed_depth: report.results.distributed.depth.mean,
            min_parallel_links,
        }
    }
}

/// The scaling view's values at one point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScalingRow {
    pub t: u32,
    pub min_parallel_links: Option<u32>,
    /// c·t/ln t with the fitted c (None for t < 2 or without a fit).
    pub fitted_c_t_over_ln_t: Option<f64>,
    /// Eq. 8 solved for k (real-valued).
    pub prop2_min_parallel_links: f64,
    /// Mean δ̄_k and mean q_k: the identical-block values of Eqs. 6–7.
    pub delta_mean: f64,
    pub q_mean: f64,
    pub eq6_monolithic_depth: f64,
    pub eq7_distributed_depth_bound: f64,
    pub monolithic_depth: f64,
    pub distributed_depth: f64,
}

/// The scaling view over several points (usually a t sweep).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Scaling {
    /// c of the fit k ≈ c·t/ln t (None without points with t ≥ 2 and a measured k).
    pub fit_c: Option<f64>,
    pub rows: Vec<ScalingRow>,
}

fn mean(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        0.0
    } else {
        xs.iter().sum::<f64>() / xs.len() as f64
    }
}

/// Fit, predictions and Eqs. 6–7 for every point.
pub fn scaling(inputs: &[ScalingInput]) -> Scaling {
    let measured: Vec<(u32, f64)> = inputs
        .iter()
        .filter_map(|i| i.min_parallel_links.map(|k| (i.t, f64::from(k))))
        .collect();
    let fit_c = fit_c_t_over_ln_t(&measured);
    let rows = inputs
        .iter()
        .map(|i| {
            let delta_max = i.rspv_depths_mean.iter().copied().fold(0.0, f64::max);
            let accept_min = i
                .restart_probability
                .iter()
                .map(|q| 1.0 - q)
                .fold(1.0, f64::min);
            let (delta, q) = (mean(&i.rspv_depths_mean), mean(&i.restart_probability));
            let tau_eff = i.tau_e / f64::from(i.parallel_links.max(1));
            ScalingRow {
                t: i.t,
                min_parallel_links: i.min_parallel_links,
                fitted_c_t_over_ln_t: fit_c.zip(t_over_ln_t(i.t)).map(|(c, f)| c * f),
                prop2_min_parallel_links: prop2_min_parallel_links(
                    i.n, i.tau_e, i.t, delta_max, accept_min,
                ),
                delta_mean: delta,
                q_mean: q,
                eq6_monolithic_depth: eq6_monolithic_depth(i.t, delta, q),
                eq7_distributed_depth_bound: eq7_distributed_depth_bound(
                    i.t, delta, q, i.n, tau_eff,
                ),
                monolithic_depth: i.monolithic_depth,
                distributed_depth: i.distributed_depth,
            }
        })
        .collect();
    Scaling { fit_c, rows }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_recovers_c_from_exact_points() {
        let pts: Vec<(u32, f64)> = (2..=32)
            .map(|t| (t, 1.7 * t_over_ln_t(t).unwrap()))
            .collect();
        assert!((fit_c_t_over_ln_t(&pts).unwrap() - 1.7).abs() < 1e-12);
        // t = 1 is ignored; nothing left means no fit.
        assert_eq!(fit_c_t_over_ln_t(&[(1, 3.0)]), None);
        // Least squares by hand: k = (2, 3) at f = (f2, f3).
        let (f2, f3) = (t_over_ln_t(2).unwrap(), t_over_ln_t(3).unwrap());
        let want = (2.0 * f2 + 3.0 * f3) / (f2 * f2 + f3 * f3);
        assert!((fit_c_t_over_ln_t(&[(2, 2.0), (3, 3.0)]).unwrap() - want).abs() < 1e-12);
    }

    #[test]
    fn predictions_follow_eqs_6_to_8() {
        // Eq. 8 at the solved k holds with equality.
        let (n, tau, t, delta, q) = (85u32, 10.0, 8u32, 400.0, 0.2);
        let k = prop2_min_parallel_links(n, tau, t, delta, 1.0 - q);
        let lhs = f64::from(n) * tau / k;
        let rhs = delta * ((t as f64).ln() + 3.0) / (1.0 - q);
        assert!((lhs - rhs).abs() < 1e-9 * rhs);
        assert!((eq6_monolithic_depth(3, 400.0, 0.2) - (1500.0 + 12.0)).abs() < 1e-9);
        let rsp = 400.0 * (3f64.ln() + 3.0) / 0.8;
        assert!((eq7_distributed_depth_bound(3, 400.0, 0.2, 85, 1.0) - (rsp + 16.0)).abs() < 1e-9);
        assert!((eq7_distributed_depth_bound(3, 400.0, 0.2, 85, 100.0) - 8516.0).abs() < 1e-9);
        let input = ScalingInput {
            t: 4,
            n: 10,
            tau_e: 5.0,
            parallel_links: 1,
            rspv_depths_mean: vec![100.0, 120.0],
            restart_probability: vec![0.1, 0.3],
            monolithic_depth: 300.0,
            distributed_depth: 150.0,
            min_parallel_links: Some(2),
        };
        let s = scaling(&[input]);
        let row = &s.rows[0];
        assert_eq!(row.delta_mean, 110.0);
        assert!((row.q_mean - 0.2).abs() < 1e-12);
        // Prop. 2 uses max δ and min (1 − q).
        let want = 10.0 * 5.0 * 0.7 / (120.0 * (4f64.ln() + 3.0));
        assert!((row.prop2_min_parallel_links - want).abs() < 1e-12);
        assert!((row.fitted_c_t_over_ln_t.unwrap() - 2.0).abs() < 1e-12);
    }
}
