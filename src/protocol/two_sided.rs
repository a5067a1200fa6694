//! Two-sided RSP (protocol.md §15.5, paper §VI): the block C_k = B·A is split at its middle
//! ASAP layer, and RSP applies A^T to the a half and B to the b half of the Bell pairs in
//! parallel, because (A^T ⊗ B)|Φ⁺⟩ = (I ⊗ B·A)|Φ⁺⟩. The prepared state is exactly the
//! one-sided resource (I ⊗ C_k)|Φ⁺⟩^{⊗n}, so RSV, RSI and their frame rules are unchanged;
//! only the RSP layers (and their noise) differ.
//!
//! **Transpose of a gate list (derived).** For U = g_L ⋯ g_1 (g_1 applied first),
//! U^T = g_1^T ⋯ g_L^T: the list is reversed and every gate transposed. In the computational
//! basis H, S, S†, X, Z, SQRT_X, SQRT_X_DAG, CX, CZ and SWAP are symmetric matrices, so they are
//! their own transposes; Y^T = −Y, the same gate up to a global phase; and
//! CY^T = |0⟩⟨0| ⊗ I + |1⟩⟨1| ⊗ (−Y) = (Z ⊗ I)·CY, so a transposed CY is CY followed by Z on its
//! control. `transposes_prepare_the_same_state` checks every gate with signs on a stabilizer
//! simulator.
//!
//! **Split (our default).** A is the first ⌈Δ_k/2⌉ ASAP layers of C_k and B the remaining
//! ⌊Δ_k/2⌋, so the RSP depth drops from Δ_k + 3 to ⌈Δ_k/2⌉ + 3 (A^T is layered ASAP: it has
//! ⌈Δ_k/2⌉ layers, one more per layer holding a CY whose Z could not share it).
//!
//! **Residual error (derived).** Any Pauli left on an accepted resource, F_a on a and F_b on b
//! at the end of the attempt, still equals A_res = F_a · c_k⁻¹(F_b) on a alone (protocol.md
//! §4.5): that rule is a statement about the prepared state, not about how it was prepared. What
//! changes is how a fault inside RSP reaches F_a: a fault on a before A^T layer ℓ is carried
//! through the rest of A^T. In particular a Pauli E_a ⊗ E_b on the fresh Bell pairs (before
//! layer 4) gives A_res = a⁻¹(E_a·E_b) (sign-free, a = the Clifford of A), where one-sided RSP
//! gives E_a·E_b. The fault signatures of `sim::signatures` propagate every fault through the
//! actual operation list, so they apply this rule without special cases;
//! `tests/two_sided.rs` checks it against the stabilizer simulator and Stim.

use crate::circuit::{Circuit, Gate};

/// The gates whose product is g^T, up to a global phase, in application order.
pub fn transpose_gate(g: &Gate) -> impl Iterator<Item = Gate> {
    let extra = match *g {
        Gate::Cy(c, _) => Some(Gate::Z(c)),
        _ => None,
    };
    std::iter::once(*g).chain(extra)
}

/// The transpose of a gate list (gates in application order): reversed, each gate transposed.
pub fn transpose(gates: &[Gate]) -> Vec<Gate> {
    gates.iter().rev().flat_map(transpose_gate).collect()
}

/// The two sides of a two-sided RSP of one block, on the n circuit qubits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TwoSidedLayers {
    /// A^T in ASAP layers, applied to the a register.
    pub a: Vec<Vec<Gate>>,
    /// B in ASAP layers (C_k's last ⌊Δ_k/2⌋ layers), applied to the b register.
    pub b: Vec<Vec<Gate>>,
}

impl TwoSidedLayers {
    /// Splits a block given by its ASAP layers (Δ_k of them) at layer ⌈Δ_k/2⌉.
    pub fn split(n: u32, block_layers: &[Vec<Gate>]) -> TwoSidedLayers {
        let h = block_layers.len().div_ceil(2);
        let a_gates: Vec<Gate> = block_layers[..h].iter().flatten().copied().collect();
        let a_t = Circuit {
            n,
            gates: transpose(&a_gates),
        };
        TwoSidedLayers {
            a: a_t.layered(),
            b: block_layers[h..].to_vec(),
        }
    }

    /// Layers of the RSP circuit part: the longer of the two sides.
    pub fn depth(&self) -> u32 {
        self.a.len().max(self.b.len()) as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::stim_export::inverse_gate;
    use crate::rng;
    use crate::stabilizer_sim::StabilizerSim;
    use rand::RngExt;

    /// True iff (T ⊗ I)|Φ⁺⟩^{⊗n} = (I ⊗ U)|Φ⁺⟩^{⊗n} exactly (signs included), for U the gate
    /// list `u` and T the list `t`: prepare the pairs, apply T on a and U⁻¹ on b, and
    /// Bell-measure; the outcomes are deterministic zeros iff the states agree.
    fn same_state(n: u32, t: &[Gate], u: &[Gate], seed: u64) -> bool {
        let mut sim = StabilizerSim::new(2 * n);
        let mut r = rng::from_seed(seed);
        for i in 0..n {
            sim.apply(&Gate::H(i));
            sim.apply(&Gate::Cx(i, n + i));
        }
        for g in t {
            sim.apply(g);
        }
        for g in u.iter().rev() {
            sim.apply(&inverse_gate(g).map_qubits(|q| n + q));
        }
        let mut ok = true;
        for i in 0..n {
            sim.apply(&Gate::Cx(i, n + i));
            sim.apply(&Gate::H(i));
            ok &= !sim.measure_z(i, &mut r);
            ok &= !sim.measure_z(n + i, &mut r);
        }
        ok
    }

    fn every_gate() -> Vec<Gate> {
        vec![
            Gate::H(0),
            Gate::S(0),
            Gate::Sdg(0),
            Gate::X(0),
            Gate::Y(0),
            Gate::Z(0),
            Gate::SqrtX(0),
            Gate::SqrtXdg(0),
            Gate::Cx(0, 1),
            Gate::Cx(1, 0),
            Gate::Cy(0, 1),
            Gate::Cy(1, 0),
            Gate::Cz(0, 1),
            Gate::Swap(0, 1),
        ]
    }

    #[test]
    fn transposes_prepare_the_same_state() {
        // Each gate alone, after a prefix that makes the state generic (so a wrong sign or a
        // missing Pauli shows up as a deterministic 1).
        let prefix = [Gate::H(0), Gate::S(1), Gate::Cx(0, 1), Gate::SqrtX(0)];
        for g in every_gate() {
            let mut u = prefix.to_vec();
            u.push(g);
            assert!(same_state(2, &transpose(&u), &u, 1), "{g:?}");
            // Without its correction a CY^T would be wrong: the test has power.
            if matches!(g, Gate::Cy(..)) {
                let naive: Vec<Gate> = u.iter().rev().copied().collect();
                assert!(!same_state(2, &naive, &u, 1), "{g:?} needs its Z");
            }
        }
        // Random lists over the whole gate set on 4 qubits.
        let mut r = rng::from_seed(5);
        for case in 0..200 {
            let u: Vec<Gate> = (0..30)
                .map(|_| {
                    let a = r.random_range(0..4u32);
                    let b = (a + r.random_range(1..4u32)) % 4;
                    match every_gate()[r.random_range(0..14usize)] {
                        Gate::Cx(..) => Gate::Cx(a, b),
                        Gate::Cy(..) => Gate::Cy(a, b),
                        Gate::Cz(..) => Gate::Cz(a, b),
                        Gate::Swap(..) => Gate::Swap(a, b),
                        g => g.map_qubits(|_| a),
                    }
                })
                .collect();
            assert!(same_state(4, &transpose(&u), &u, case), "case {case}");
        }
    }

    #[test]
    fn split_halves_the_depth_and_prepares_the_block() {
        let mut r = rng::from_seed(9);
        for depth_target in [0usize, 1, 2, 5, 9] {
            let n = 4;
            let mut c = Circuit::new(n);
            while c.depth() < depth_target as u32 {
                let a = r.random_range(0..n);
                let b = (a + r.random_range(1..n)) % n;
                c.push(match r.random_range(0..4u32) {
                    0 => Gate::H(a),
                    1 => Gate::S(a),
                    2 => Gate::Cz(a, b),
                    _ => Gate::Cx(a, b),
                });
            }
            let layers = c.layered();
            let s = TwoSidedLayers::split(n, &layers);
            let delta = layers.len();
            assert_eq!(s.a.len(), delta.div_ceil(2));
            assert_eq!(s.b.len(), delta / 2);
            assert_eq!(s.depth() as usize, delta.div_ceil(2));
            // (A^T ⊗ B)|Φ⁺⟩ = (I ⊗ C)|Φ⁺⟩: apply A^T on a and B on b, then C⁻¹ on b.
            let t: Vec<Gate> = s.a.iter().flatten().copied().collect();
            let b_on_b: Vec<Gate> =
                s.b.iter()
                    .flatten()
                    .map(|g| g.map_qubits(|q| n + q))
                    .collect();
            let mut t_then_b = t.clone();
            t_then_b.extend(b_on_b);
            assert!(same_state(n, &t_then_b, &c.gates, 3), "Δ = {delta}");
        }
    }
}
