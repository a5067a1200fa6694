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

/// ln t for t = 1..=64, as correctly rounded literals: `f64::ln` comes from the platform's
/// libm natively but from Rust's own libm in wasm, and they differ in the last bit for some t,
/// which made browser reports differ from the CLI's. A table keeps them bit-identical.
const LN_SMALL: [f64; 64] = [
    0.0,
    std::f64::consts::LN_2,
    1.0986122886681098,
    1.3862943611198906,
    1.6094379124341003,
    1.791759469228055,
    1.9459101490553132,
    2.0794415416798357,
    2.1972245773362196,
    std::f64::consts::LN_10,
    2.3978952727983707,
    2.4849066497880004,
    2.5649493574615367,
    2.6390573296152584,
    2.70805020110221,
    2.772588722239781,
    2.833213344056216,
    2.8903717578961645,
    2.9444389791664403,
    2.995732273553991,
    3.044522437723423,
    3.091042453358316,
    3.1354942159291497,
    3.1780538303479458,
    3.2188758248682006,
    3.258096538021482,
    3.295836866004329,
    3.332204510175204,
    3.367295829986474,
    3.4011973816621555,
    3.4339872044851463,
    3.4657359027997265,
    3.4965075614664802,
    3.5263605246161616,
    3.5553480614894135,
    3.58351893845611,
    3.6109179126442243,
    3.6375861597263857,
    3.6635616461296463,
    3.6888794541139363,
    3.713572066704308,
    3.7376696182833684,
    3.7612001156935624,
    3.784189633918261,
    3.8066624897703196,
    3.828641396489095,
    3.8501476017100584,
    3.871201010907891,
    3.8918202981106265,
    3.912023005428146,
    3.9318256327243257,
    3.9512437185814275,
    3.970291913552122,
    3.9889840465642745,
    4.007333185232471,
    4.02535169073515,
    4.04305126783455,
    4.060443010546419,
    4.07753744390572,
    4.0943445622221,
    4.110873864173311,
    4.127134385045092,
    4.143134726391533,
    4.1588830833596715,
];

/// ln t, identical on every target (natively and in wasm) for t ≤ 64, the parameter limit of t.
pub fn ln_count(t: usize) -> f64 {
    match t.checked_sub(1).and_then(|i| LN_SMALL.get(i)) {
        Some(&v) => v,
        None => (t as f64).ln(),
    }
}

/// The parallel RSP&V term of Prop. 2 (Eq. 5): max_i δ_i · (ln t + 3) / min_i (1 − q_i).
pub fn prop2_rspv_term(delta: &[u32], q: &[f64]) -> f64 {
    let ln_t = ln_count(delta.len().max(1));
    let max_delta = delta.iter().copied().max().unwrap_or(0);
    let min_accept = q.iter().map(|qi| 1.0 - qi).fold(1.0f64, f64::min);
    f64::from(max_delta) * (ln_t + 3.0) / min_accept
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
    /// §8.7/§12: the restart-free floor of the distributed depth for these blocks,
    /// max_k(δ_k − 4(k−1)) + 4(t+1); distributed CliNR is shallower than direct only if the
    /// circuit's depth Δ exceeds it (the name is kept for the JSON field).
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
    fn ln_table_matches_the_native_ln() {
        for t in 1..=70usize {
            assert_eq!(ln_count(t).to_bits(), (t as f64).ln().to_bits(), "t = {t}");
        }
    }

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
