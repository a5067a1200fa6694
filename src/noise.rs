//! The paper's circuit-level noise model (protocol.md §9) and the uniform variant of §V.
//!
//! Every operation of a schedule carries a [`NoiseClass`]; [`NoiseRates`] turns a class into
//! the probability of its channel. Channels are depolarizing on the operation's support
//! (one-qubit: X, Y, Z each with rate/3; two-qubit: each of the 15 non-identity Paulis with
//! rate/15), except measurements, whose classical outcome flips with the measurement rate.

use crate::protocol::params::{NoiseModelKind, Params};
use serde::{Deserialize, Serialize};

/// What kind of noisy location an operation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseClass {
    /// Intra-QPU one-qubit gate, or a non-identity correction Pauli (K9): depolarizing p/10.
    OneQubit,
    /// Preparation of |0⟩: depolarizing p/10 after it.
    Prep,
    /// Intra-QPU two-qubit gate: two-qubit depolarizing p.
    TwoQubit,
    /// Remote two-qubit gate consuming a Bell pair: two-qubit depolarizing 3p.
    RemoteTwoQubit,
    /// Single-qubit measurement: outcome flipped with p/10.
    Measurement,
    /// One layer of an idle live compute qubit: depolarizing p/100.
    Idle,
}

/// Probabilities of each channel for one value of p.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct NoiseRates {
    pub one_qubit: f64,
    pub prep: f64,
    pub two_qubit: f64,
    pub remote_two_qubit: f64,
    pub measurement: f64,
    pub idle: f64,
}

impl NoiseRates {
    /// The rates of `model` at physical noise parameter `p`.
    pub fn new(model: NoiseModelKind, p: f64) -> Self {
        match model {
            NoiseModelKind::Paper => NoiseRates {
                one_qubit: p / 10.0,
                prep: p / 10.0,
                two_qubit: p,
                remote_two_qubit: 3.0 * p,
                measurement: p / 10.0,
                idle: p / 100.0,
            },
            NoiseModelKind::Uniform => NoiseRates {
                one_qubit: p,
                prep: p,
                two_qubit: p,
                remote_two_qubit: p,
                measurement: p,
                idle: 0.0,
            },
        }
    }

    /// The rates for a parameter set.
    pub fn for_params(params: &Params) -> Self {
        Self::new(params.knobs.noise_model, params.p)
    }

    /// The probability that an operation of class `c` suffers a fault.
    pub fn rate(&self, c: NoiseClass) -> f64 {
        match c {
            NoiseClass::OneQubit => self.one_qubit,
            NoiseClass::Prep => self.prep,
            NoiseClass::TwoQubit => self.two_qubit,
            NoiseClass::RemoteTwoQubit => self.remote_two_qubit,
            NoiseClass::Measurement => self.measurement,
            NoiseClass::Idle => self.idle,
        }
    }

    /// Probability that `m` consecutive idle layers leave a non-identity Pauli (X, Y, Z equally
    /// likely): (3/4)·(1 − (1 − 4ε/3)^m) with ε the idle rate (protocol.md §9).
    pub fn idle_window(&self, m: u32) -> f64 {
        composed_depolarizing(self.idle, m)
    }
}

/// m layers of one-qubit depolarizing at rate ε compose into depolarizing at this rate.
pub fn composed_depolarizing(eps: f64, m: u32) -> f64 {
    if m == 0 || eps == 0.0 {
        return 0.0;
    }
    let base = 1.0 - 4.0 * eps / 3.0;
    0.75 * (1.0 - base.powi(m.min(i32::MAX as u32) as i32))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_rates() {
        let r = NoiseRates::new(NoiseModelKind::Paper, 1e-4);
        assert_eq!(r.rate(NoiseClass::TwoQubit), 1e-4);
        assert!((r.rate(NoiseClass::RemoteTwoQubit) - 3e-4).abs() < 1e-18);
        assert!((r.rate(NoiseClass::OneQubit) - 1e-5).abs() < 1e-18);
        assert!((r.rate(NoiseClass::Idle) - 1e-6).abs() < 1e-18);
        let u = NoiseRates::new(NoiseModelKind::Uniform, 1e-3);
        assert_eq!(u.rate(NoiseClass::Measurement), 1e-3);
        assert_eq!(u.rate(NoiseClass::Idle), 0.0);
    }

    #[test]
    fn composed_idle_matches_repeated_channel() {
        // Compose the depolarizing channel layer by layer as a Markov chain on {I, non-I}.
        let eps = 0.01;
        let mut q = 0.0f64; // probability that the accumulated Pauli is not the identity
        for m in 1..=50u32 {
            // Non-identity stays so unless the layer's fault equals it (probability ε/3);
            // identity becomes non-identity with any fault (probability ε).
            q = q * (1.0 - eps / 3.0) + (1.0 - q) * eps;
            assert!((composed_depolarizing(eps, m) - q).abs() < 1e-12, "m = {m}");
        }
        assert_eq!(composed_depolarizing(0.0, 10), 0.0);
        assert_eq!(composed_depolarizing(0.1, 0), 0.0);
    }
}
