//! Analytical results of paper §V (protocol.md §13) and the thresholds of §8.7 and §12,
//! computed from measured δ_i (RSP&V depth without restart) and q_i (restart probability).
//!
//! Props. 1–2 assume the uniform noise model and restarts only at the end of RSV; the app
//! labels them as such. Prop. 2 is drawn with 4(t+1) for the t RSIs and the teleportation
//! (protocol.md §8.8, knob K14), not the paper's 4t.

use serde::{Deserialize, Serialize};

/// Prop. 1 (Eq. 1): expected monolithic depth Σ_i δ_i/(1 − q_i) + 4t.
pub fn prop1_monolithic_depth(delta: &[u32], q: &[f64]) -> f64 {
    let t = delta.len() as f64;
    delta
        .iter()
        .zip(q)
        .map(|(&d, &qi)| f64::from(d) / (1.0 - qi))
        .sum::<f64>()
        + 4.0 * t
}

/// The parallel RSP&V term of Prop. 2 (Eq. 5): max_i δ_i · (ln t + 3) / min_i (1 − q_i).
pub fn prop2_rspv_term(delta: &[u32], q: &[f64]) -> f64 {
    let t = delta.len().max(1) as f64;
    let max_delta = delta.iter().copied().max().unwrap_or(0);
    let min_accept = q.iter().map(|qi| 1.0 - qi).fold(1.0f64, f64::min);
    f64::from(max_delta) * (t.ln() + 3.0) / min_accept
}

/// Prop. 2 (Eq. 3) with the constant 4(t+1) (K14): an upper bound on the expected distributed
/// depth, max(RSP&V term, n·τ_e_eff) + 4(t+1), where τ_e_eff = τ_e/k with k parallel links.
pub fn prop2_distributed_depth_bound(delta: &[u32], q: &[f64], n: u32, tau_e_eff: f64) -> f64 {
    let t = delta.len() as f64;
    prop2_rspv_term(delta, q).max(f64::from(n) * tau_e_eff) + 4.0 * (t + 1.0)
}

/// Eq. 8: entanglement generation adds nothing to the bound when n·τ_e ≤ the RSP&V term.
pub fn eq8_no_stall(delta: &[u32], q: &[f64], n: u32, tau_e_eff: f64) -> bool {
    f64::from(n) * tau_e_eff <= prop2_rspv_term(delta, q)
}

/// The derived values shown next to results (protocol.md §17).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Thresholds {
    /// §8.7: largest τ_e at which no sample can stall RSI 1 (⌈nτ_e⌉ ≤ δ_1).
    pub tau_e_no_wait: f64,
    /// §8.7: largest τ_e at which entanglement cannot add depth
    /// (⌈nτ_e⌉ ≤ max_k (δ_k − 4(k−1))).
    pub tau_e_no_depth_cost: f64,
    /// §12: the circuit depth Δ above which distributed CliNR (without restarts) is shallower
    /// than direct, for these blocks: distributed depth ≥ max_k(δ_k − 4(k−1)) + 4(t+1).
    pub min_depth_for_distributed_advantage: u32,
}

/// Thresholds for blocks with no-restart RSP&V depths `delta` (δ_1..δ_t) and n qubits.
pub fn thresholds(delta: &[u32], n: u32) -> Thresholds {
    let t = delta.len() as u32;
    let first = delta.first().copied().unwrap_or(0);
    let critical = delta
        .iter()
        .enumerate()
        .map(|(k, &d)| i64::from(d) - 4 * k as i64)
        .max()
        .unwrap_or(0)
        .max(0) as u32;
    Thresholds {
        tau_e_no_wait: f64::from(first) / f64::from(n.max(1)),
        tau_e_no_depth_cost: f64::from(critical) / f64::from(n.max(1)),
        min_depth_for_distributed_advantage: critical + 4 * (t + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_blocks_reduce_to_eqs_6_and_7() {
        let (d, q, t) = (400u32, 0.2f64, 3usize);
        let delta = vec![d; t];
        let qs = vec![q; t];
        let eq6 = t as f64 * f64::from(d) / (1.0 - q) + 4.0 * t as f64;
        assert!((prop1_monolithic_depth(&delta, &qs) - eq6).abs() < 1e-9);
        let rspv = f64::from(d) / (1.0 - q) * ((t as f64).ln() + 3.0);
        assert!((prop2_rspv_term(&delta, &qs) - rspv).abs() < 1e-9);
        assert!((prop2_distributed_depth_bound(&delta, &qs, 85, 1.0) - (rspv + 16.0)).abs() < 1e-9);
        // n·τ_e dominates when the links are slow.
        assert!(
            (prop2_distributed_depth_bound(&delta, &qs, 85, 100.0) - (8500.0 + 16.0)).abs() < 1e-9
        );
        assert!(eq8_no_stall(&delta, &qs, 85, 1.0));
        assert!(!eq8_no_stall(&delta, &qs, 85, 100.0));
    }

    #[test]
    fn thresholds_of_section_8_7() {
        let th = thresholds(&[500, 520, 480], 100);
        assert!((th.tau_e_no_wait - 5.0).abs() < 1e-12);
        // max(500, 520 − 4, 480 − 8) = 516.
        assert!((th.tau_e_no_depth_cost - 5.16).abs() < 1e-12);
        assert_eq!(th.min_depth_for_distributed_advantage, 516 + 16);
    }
}
