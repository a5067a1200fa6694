//! A circuit instance split into blocks C_1..C_t, each with its Clifford c_k, its depth Δ_k and
//! its verification checks S_j = P^(j)_a ⊗ c_k(P^(j))_b (protocol.md §4.2, §5).

use crate::circuit::random::{generate, GeneratorOptions};
use crate::circuit::{Circuit, Gate};
use crate::pauli::{Pauli1, PauliString};
use crate::protocol::ops::{attempt_ops, direct_ops, OpList};
use crate::protocol::params::{CheckKind, CheckMeasurement, Knobs, Params};
use crate::protocol::schedule::BlockTiming;
use crate::protocol::two_sided::TwoSidedLayers;
use crate::rng::{self, Rng};
use crate::tableau::Tableau;
use rand::RngExt;

/// One block C_k of the circuit.
#[derive(Clone, Debug)]
pub struct Block {
    /// k, 1-based.
    pub k: u32,
    /// C_k on the n circuit qubits.
    pub circuit: Circuit,
    /// C_k's ASAP layers (Δ_k of them).
    pub layers: Vec<Vec<Gate>>,
    /// c_k: the Clifford of C_k.
    pub tableau: Tableau,
    /// The r verification checks S_j on 2n qubits (a ⊗ b), fixed per circuit (K13 default).
    pub checks: Vec<PauliString>,
}

impl Block {
    /// Δ_k.
    pub fn depth(&self) -> u32 {
        self.layers.len() as u32
    }

    /// w_j: the weight of each check.
    pub fn check_weights(&self) -> Vec<u32> {
        self.checks.iter().map(PauliString::weight).collect()
    }

    /// Stage lengths of an attempt with these checks (protocol.md §10): RSP is Δ_k + 3, or
    /// 3 + the longer side of two-sided RSP (⌈Δ_k/2⌉ without CY gates, §15.5).
    pub fn timing_for(&self, checks: &[PauliString], knobs: &Knobs) -> BlockTiming {
        let extra = match knobs.check_measurement {
            CheckMeasurement::HThenMz => 4,
            CheckMeasurement::Mx => 3,
        };
        let rsp_sides = self.rsp_sides(knobs);
        BlockTiming {
            rsp: 3 + rsp_sides.0.max(rsp_sides.1),
            checks: checks.iter().map(|s| s.weight() + extra).collect(),
            rsp_sides,
        }
    }

    /// Circuit layers of RSP on (the a side, the b side): (0, Δ_k) one-sided, (layers of A^T,
    /// layers of B) two-sided.
    pub fn rsp_sides(&self, knobs: &Knobs) -> (u32, u32) {
        if knobs.two_sided_rsp {
            let s = TwoSidedLayers::split(self.circuit.n, &self.layers);
            (s.a.len() as u32, s.b.len() as u32)
        } else {
            (0, self.depth())
        }
    }

    /// Stage lengths of an attempt with the block's fixed checks; `delta()` is δ_k.
    pub fn timing(&self, knobs: &Knobs) -> BlockTiming {
        self.timing_for(&self.checks, knobs)
    }

    /// The operations of one RSP&V attempt with the given checks.
    pub fn attempt_ops_for(&self, checks: &[PauliString], knobs: &Knobs) -> OpList {
        attempt_ops(self.circuit.n, &self.layers, checks, knobs)
    }

    /// Draws r checks for this block (used once per circuit, or per attempt under K13).
    pub fn draw_checks(&self, r: u32, kind: CheckKind, rng: &mut Rng) -> Vec<PauliString> {
        draw_checks(&self.tableau, r, kind, rng)
    }
}

/// r checks S_j = P_a ⊗ c(P)_b with P drawn by `kind` (K2). Phases are dropped: a check is
/// judged against its noiseless outcome, so its sign never matters.
pub fn draw_checks(c: &Tableau, r: u32, kind: CheckKind, rng: &mut Rng) -> Vec<PauliString> {
    let n = c.n();
    (0..r)
        .map(|_| {
            let p = match kind {
                CheckKind::Uniform => PauliString::random_non_identity(n, rng),
                CheckKind::SingleQubit => {
                    let mut p = PauliString::identity(n);
                    let q = rng.random_range(0..n);
                    let which =
                        [Pauli1::X, Pauli1::Y, Pauli1::Z][rng.random_range(0u32..3) as usize];
                    p.set(q, which);
                    p
                }
            };
            // Sign-free image: the phase of c(P) is dropped anyway.
            let (mut ox, mut oz) = (vec![0; p.xs().len()], vec![0; p.zs().len()]);
            c.conjugate_frame(p.xs(), p.zs(), &mut ox, &mut oz);
            let mut s = p.tensor(&PauliString::from_words(n, ox, oz, 0));
            s.set_phase(0);
            s
        })
        .collect()
}

/// One random circuit C with its split into blocks and their checks.
#[derive(Clone, Debug)]
pub struct Instance {
    /// n.
    pub n: u32,
    /// C.
    pub circuit: Circuit,
    /// Δ: the ASAP depth of C.
    pub depth: u32,
    pub blocks: Vec<Block>,
}

impl Instance {
    /// Builds the instance for `circuit` (which must have n qubits), splitting it into t blocks
    /// and drawing each block's checks from `checks_rng`.
    pub fn new(params: &Params, circuit: Circuit, checks_rng: &mut Rng) -> Instance {
        let split = circuit.split_layered(params.t, params.knobs.split_rule);
        let blocks = split
            .blocks
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let tableau = Tableau::from_circuit(&b.circuit);
                let checks = draw_checks(&tableau, params.r, params.knobs.check_kind, checks_rng);
                Block {
                    k: i as u32 + 1,
                    circuit: b.circuit,
                    layers: b.layers,
                    tableau,
                    checks,
                }
            })
            .collect();
        Instance {
            n: params.n,
            circuit,
            depth: split.depth,
            blocks,
        }
    }

    /// The `index`-th random circuit of a data point, drawn from its own seeded streams, so
    /// circuit i is the same whatever the number of circuits or shots.
    pub fn generate(params: &Params, index: u32) -> Instance {
        let circuit = random_circuit(params, index);
        Self::with_circuit(params, index, circuit)
    }

    /// Whether [`Instance::generate`] gives the same instance for `a` and `b`: they differ at
    /// most in what it does not read (p, τ_e, the numbers of circuits and shots). A view that
    /// re-samples one circuit while p or τ_e change keeps its instance (the ring view).
    pub fn same_for(a: &Params, b: &Params) -> bool {
        Params {
            p: b.p,
            tau_e: b.tau_e,
            circuits: b.circuits,
            shots: b.shots,
            ..*a
        } == *b
    }

    /// Instance `index` built on a given circuit (e.g. read from a file).
    pub fn with_circuit(params: &Params, index: u32, circuit: Circuit) -> Instance {
        let mut checks_rng = rng::stream(params.seed, &[rng::tag::CHECKS, u64::from(index)]);
        Self::new(params, circuit, &mut checks_rng)
    }

    /// The operation list of the direct implementation.
    pub fn direct_ops(&self) -> OpList {
        direct_ops(&self.circuit)
    }

    /// Timings of every block with its fixed checks.
    pub fn timings(&self, knobs: &Knobs) -> Vec<BlockTiming> {
        self.blocks.iter().map(|b| b.timing(knobs)).collect()
    }
}

/// Random circuit `index` of a data point (K4–K6), s = n² unless set.
pub fn random_circuit(params: &Params, index: u32) -> Circuit {
    let opts = GeneratorOptions {
        generator: params.knobs.circuit_generator,
        size_count: params.knobs.size_count,
        padding: params.knobs.padding_gates,
    };
    let mut r = rng::stream(params.seed, &[rng::tag::CIRCUIT, u64::from(index)]);
    generate(params.n, params.size(), &opts, &mut r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::params::{CheckMeasurement, Knobs, Params};

    fn small(n: u32, t: u32, r: u32) -> Params {
        Params {
            n,
            t,
            r,
            ..Default::default()
        }
    }

    #[test]
    fn same_for_ignores_exactly_what_generate_does_not_read() {
        let a = small(6, 3, 2);
        let b = Params {
            p: 3e-2,
            tau_e: 40.0,
            circuits: 7,
            shots: 9,
            ..a
        };
        assert!(Instance::same_for(&a, &b));
        assert_eq!(
            Instance::generate(&a, 0).circuit,
            Instance::generate(&b, 0).circuit
        );
        for c in [
            Params { n: 7, ..a },
            Params { seed: 2, ..a },
            Params { r: 3, ..a },
        ] {
            assert!(!Instance::same_for(&a, &c), "{c:?}");
        }
    }

    #[test]
    fn attempt_ops_have_the_lengths_of_block_timing() {
        for (seed, mx) in [(1u64, false), (2, true), (3, false)] {
            let mut params = small(6, 3, 3);
            params.seed = seed;
            if mx {
                params.knobs.check_measurement = CheckMeasurement::Mx;
            }
            let inst = Instance::generate(&params, 0);
            assert_eq!(inst.blocks.len(), 3);
            for b in &inst.blocks {
                let timing = b.timing(&params.knobs);
                let ops = b.attempt_ops_for(&b.checks, &params.knobs);
                assert_eq!(ops.num_layers() as u32, timing.delta());
                let mut end = timing.rsp;
                for (j, &c) in timing.checks.iter().enumerate() {
                    end += c;
                    assert_eq!(ops.check_end_layers[j], end);
                }
                assert_eq!(ops.num_records, 3);
                // Every check commutes with the ideal stabilizers X_a⊗c(X)_b and Z_a⊗c(Z)_b.
                for s in &b.checks {
                    assert!(s.weight() >= 2);
                    for q in 0..params.n {
                        for p1 in [Pauli1::X, Pauli1::Z] {
                            let p = PauliString::single(params.n, q, p1);
                            let stab = p.tensor(&b.tableau.conjugate(&p));
                            assert!(s.commutes(&stab));
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn idle_noise_placement_follows_k1() {
        let params = small(4, 1, 2);
        let inst = Instance::generate(&params, 0);
        let b = &inst.blocks[0];
        let on = b.attempt_ops_for(
            &b.checks,
            &Knobs {
                idle_on_resource_during_rspv: true,
                ..params.knobs
            },
        );
        let off = b.attempt_ops_for(
            &b.checks,
            &Knobs {
                idle_on_resource_during_rspv: false,
                ..Default::default()
            },
        );
        let idle_on = on.idle_locations();
        let idle_off = off.idle_locations();
        assert!(idle_on > 0);
        assert_eq!(
            idle_off, 0,
            "K1 off: a, b never idle inside an attempt; the ancilla never idles"
        );
        // Layer 2 (H on a): all of b idles; layer 1 (preparations): nothing is live yet.
        let idle = on.idle_by_layer();
        assert!(idle[0].is_empty());
        assert_eq!(idle[1], vec![4, 5, 6, 7]);
        // The ancilla (qubit 8) never idles.
        assert!(idle.iter().all(|l| !l.contains(&8)));
    }

    #[test]
    fn direct_ops_idle_untouched_qubits() {
        let params = small(5, 2, 1);
        let inst = Instance::generate(&params, 3);
        let ops = inst.direct_ops();
        assert_eq!(ops.num_layers() as u32, inst.depth);
        for (l, idle) in ops.layers().zip(ops.idle_by_layer()) {
            let touched: u32 = l
                .iter()
                .map(|o| if o.qubits().1.is_some() { 2 } else { 1 })
                .sum();
            assert_eq!(touched + idle.len() as u32, 5);
        }
        assert_eq!(inst.circuit.len() as u32, 25);
    }
}
