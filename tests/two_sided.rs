//! Two-sided RSP (protocol.md §15.5, issue 14): the residual-error rule against the stabilizer
//! simulator fault by fault, the fast sampler's attempts against the reference simulator's and
//! against Stim (tests/fixtures/stim_two_sided/), and the RSP depth halving on the Schedule.

use clinr_explorer::circuit::{Circuit, Gate};
use clinr_explorer::pauli::Pauli1;
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::ops::OpKind;
use clinr_explorer::protocol::params::{InputTiming, Params};
use clinr_explorer::protocol::schedule::{Attempt, Schedule};
use clinr_explorer::protocol::stim_export::{export_rsp_attempt, inverse_gate};
use clinr_explorer::rng;
use clinr_explorer::sim::reference::{noiseless_records, Prepared};
use clinr_explorer::sim::signatures::{attempt_table, Shape};
use clinr_explorer::stabilizer_sim::StabilizerSim;
use std::path::PathBuf;

fn two_sided(n: u32, t: u32, r: u32, p: f64, seed: u64) -> Params {
    let mut params = Params {
        n,
        t,
        r,
        p,
        seed,
        circuits: 1,
        shots: 1,
        ..Default::default()
    };
    params.knobs.two_sided_rsp = true;
    params
}

/// A circuit on 4 qubits with every gate kind, CY included (its transpose needs a Z).
fn every_gate_circuit() -> Circuit {
    let mut c = Circuit::new(4);
    for g in [
        Gate::H(0),
        Gate::Cy(0, 1),
        Gate::S(2),
        Gate::Cx(2, 3),
        Gate::SqrtX(1),
        Gate::Cz(1, 2),
        Gate::Sdg(3),
        Gate::Y(0),
        Gate::Cy(3, 0),
        Gate::Swap(1, 3),
        Gate::SqrtXdg(2),
        Gate::X(1),
        Gate::Z(3),
        Gate::Cx(0, 2),
        Gate::H(1),
        Gate::Cy(2, 1),
    ] {
        c.push(g);
    }
    c
}

/// For every fault location of a two-sided attempt and every Pauli there, the signature the
/// fast sampler stores (check flips, then A_res = F_a · c⁻¹(F_b)) equals what the stabilizer
/// simulator measures when that single Pauli is injected into the noiseless attempt: the check
/// outcomes, and the residual decoded as the Stim export decodes it (C_k⁻¹ on b, then a Bell
/// measurement of each (a_i, b_i): b_i reads the X part of A_res on qubit i, a_i its Z part).
#[test]
fn residual_rule_matches_the_stabilizer_simulator_fault_by_fault() {
    let mut checked = 0;
    let mut params = two_sided(4, 1, 3, 0.01, 3);
    for (inst, label) in [
        (
            Instance::with_circuit(&params, 0, every_gate_circuit()),
            "every gate",
        ),
        (
            Instance::generate(
                &{
                    params.seed = 4;
                    params
                },
                0,
            ),
            "random",
        ),
    ] {
        let b = &inst.blocks[0];
        let n = inst.n;
        let ops = b.attempt_ops_for(&b.checks, &params.knobs);
        let table = attempt_table(&ops, &b.tableau);
        let expected = noiseless_records(&ops);
        let w = table.words;
        for arr in &table.arrays {
            if arr.shape == Shape::Flip {
                continue;
            }
            for (loc, meta) in arr.meta.iter().enumerate() {
                let qubits: Vec<u32> = std::iter::once(meta.qubits.0)
                    .chain(meta.qubits.1)
                    .collect();
                // Paulis 1..4 on one qubit, 1..16 on two (bits 0-1 first qubit, 2-3 second).
                let count = if qubits.len() == 2 { 16 } else { 4 };
                for p in 1..count {
                    let mut want = vec![0u64; w];
                    let sig = |s: usize| arr.sig(w, loc, s);
                    for (side, bits) in [(0usize, p & 3), (2, p >> 2)] {
                        if side == 2 && qubits.len() == 1 {
                            continue;
                        }
                        if bits & 1 != 0 {
                            want.iter_mut().zip(sig(side)).for_each(|(a, b)| *a ^= b);
                        }
                        if bits & 2 != 0 {
                            want.iter_mut()
                                .zip(sig(side + 1))
                                .for_each(|(a, b)| *a ^= b);
                        }
                    }
                    // Run the attempt noiselessly with this Pauli after the located layer's
                    // operation (or, for an idle run, after its first layer).
                    let mut sim = StabilizerSim::new(2 * n + 1);
                    let mut r = rng::from_seed(1);
                    let mut records = vec![false; ops.num_records as usize];
                    for (l, layer) in ops.layers().enumerate() {
                        for op in layer {
                            match op.kind {
                                OpKind::Prep(q) => sim.reset(q, &mut r),
                                OpKind::Gate(g) => sim.apply(&g),
                                OpKind::MeasureZ { qubit, record } => {
                                    records[record as usize] = sim.measure_z(qubit, &mut r)
                                }
                                OpKind::MeasureX { qubit, record } => {
                                    records[record as usize] = sim.measure_x(qubit, &mut r)
                                }
                            }
                        }
                        if l as u32 == meta.layer {
                            for (i, &q) in qubits.iter().enumerate() {
                                let bits = (p >> (2 * i)) & 3;
                                let pauli = Pauli1::from_bits(bits & 1 != 0, bits & 2 != 0);
                                match pauli {
                                    Pauli1::X => sim.apply(&Gate::X(q)),
                                    Pauli1::Y => sim.apply(&Gate::Y(q)),
                                    Pauli1::Z => sim.apply(&Gate::Z(q)),
                                    Pauli1::I => {}
                                }
                            }
                        }
                    }
                    for g in b.circuit.gates.iter().rev() {
                        sim.apply(&inverse_gate(g).map_qubits(|q| n + q));
                    }
                    let mut got = vec![0u64; w];
                    for (j, (&rec, &exp)) in records.iter().zip(&expected).enumerate() {
                        if rec != exp {
                            got[0] |= 1 << j;
                        }
                    }
                    let half = (w - 1) / 2;
                    for i in 0..n {
                        sim.apply(&Gate::Cx(i, n + i));
                        sim.apply(&Gate::H(i));
                        let z = sim.measure_z(i, &mut r);
                        let x = sim.measure_z(n + i, &mut r);
                        let (word, bit) = ((i / 64) as usize, i % 64);
                        got[1 + word] |= u64::from(x) << bit;
                        got[1 + half + word] |= u64::from(z) << bit;
                    }
                    assert_eq!(
                        got, want,
                        "{label}: {:?} location {loc} ({meta:?}) Pauli {p}",
                        arr.class
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked > 500, "{checked} faults checked");
}

/// z-score of two binomial rates.
fn z(k1: u64, n1: u64, k2: u64, n2: u64) -> f64 {
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let se = (p1 * (1.0 - p1) / n1 as f64 + p2 * (1.0 - p2) / n2 as f64).sqrt();
    if se == 0.0 {
        if p1 == p2 {
            0.0
        } else {
            f64::INFINITY
        }
    } else {
        (p1 - p2) / se
    }
}

/// (accepted, accepted with a residual) of `shots` isolated attempts of block k drawn by the
/// fast sampler's table (all checks run, as in the Stim export).
fn fast_attempts(inst: &Instance, params: &Params, k: u32, shots: u64, seed: u64) -> (u64, u64) {
    let b = &inst.blocks[k as usize - 1];
    let table = attempt_table(&b.attempt_ops_for(&b.checks, &params.knobs), &b.tableau);
    let rates = table.rates(&clinr_explorer::noise::NoiseRates::for_params(params));
    let mut r = rng::from_seed(seed);
    let (mut acc, mut res) = (0, 0);
    let mut words = vec![0u64; table.words];
    for _ in 0..shots {
        words.fill(0);
        table.sample(&rates, &mut r, &mut words);
        if words[0] == 0 {
            acc += 1;
            res += u64::from(words[1..].iter().any(|&x| x != 0));
        }
    }
    (acc, res)
}

fn reference_attempts(
    inst: &Instance,
    params: &Params,
    k: u32,
    shots: u64,
    seed: u64,
) -> (u64, u64) {
    let prep = Prepared::new(inst, params);
    let mut r = rng::from_seed(seed);
    let (mut acc, mut res) = (0, 0);
    for _ in 0..shots {
        let (a, x) = prep.attempt_with_residual(k, &mut r);
        acc += u64::from(a);
        res += u64::from(a && x);
    }
    (acc, res)
}

#[test]
fn two_sided_attempts_of_fast_sampler_and_reference_agree() {
    for (params, circuit) in [
        (two_sided(4, 1, 3, 0.03, 5), Some(every_gate_circuit())),
        (two_sided(5, 2, 2, 0.02, 6), None),
    ] {
        let inst = match circuit {
            Some(c) => Instance::with_circuit(&params, 0, c),
            None => Instance::generate(&params, 0),
        };
        let k = inst.blocks.len() as u32;
        let n = 6000;
        let (fa, fr) = fast_attempts(&inst, &params, k, n, 1);
        let (ra, rr) = reference_attempts(&inst, &params, k, n, 2);
        eprintln!(
            "n = {}: fast {fa}/{fr}, reference {ra}/{rr} of {n}",
            params.n
        );
        assert!(z(fa, n, ra, n).abs() < 4.0, "acceptance {fa} vs {ra}");
        assert!(
            z(fr, fa, rr, ra).abs() < 4.0,
            "residual {fr}/{fa} vs {rr}/{ra}"
        );
        assert!(fa < n && fr > 0, "the rates are not trivial");
    }
}

fn fixture_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stim_two_sided")
}

/// The cases of the Stim fixture: (name, params, circuit index, block).
/// The fixture was made under the knobs of its date (K1 on, K4 `qiskit_ag`), so both are pinned
/// here: later default changes must not invalidate the Stim samples.
fn stim_cases() -> Vec<(&'static str, Params, u32)> {
    let pinned = |mut p: Params, k1: bool| {
        p.knobs.idle_on_resource_during_rspv = k1;
        p.knobs.circuit_generator = clinr_explorer::circuit::random::CircuitGenerator::QiskitAg;
        p
    };
    vec![
        ("n5_t1", pinned(two_sided(5, 1, 3, 0.01, 21), true), 1),
        (
            "n6_t2_k1_off",
            pinned(two_sided(6, 2, 3, 0.01, 22), false),
            2,
        ),
        (
            "n4_t1_high_p",
            pinned(two_sided(4, 1, 2, 0.03, 23), true),
            1,
        ),
    ]
}

/// Writes the Stim exports of `stim_cases` (run once; make.py then samples them with Stim).
#[test]
#[ignore]
fn write_stim_fixtures() {
    let dir = fixture_dir();
    for (name, params, block) in stim_cases() {
        let inst = Instance::generate(&params, 0);
        let text = export_rsp_attempt(&inst, &params, block).expect("block exists");
        std::fs::write(dir.join(format!("{name}.stim")), text).expect("write");
    }
}

/// The export of an m = 1 two-sided attempt samples, in Stim 1.16, the restart probability
/// (and the residual-error rate of accepted resources) of our fast sampler, within 4σ.
#[test]
fn stim_samples_the_same_restart_probability_as_the_fast_sampler() {
    let dir = fixture_dir();
    let results: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("results.json")).expect("results.json"),
    )
    .expect("json");
    for (i, (name, params, block)) in stim_cases().into_iter().enumerate() {
        let inst = Instance::generate(&params, 0);
        let text = export_rsp_attempt(&inst, &params, block).expect("block exists");
        let stored = std::fs::read_to_string(dir.join(format!("{name}.stim"))).expect("fixture");
        assert_eq!(
            text, stored,
            "{name}: the export changed; rerun the fixture"
        );
        let r = &results["cases"][name];
        let get = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{name}: no {k}"));
        let (shots, acc, res) = (get("shots"), get("accepted"), get("accepted_with_residual"));
        let n = 20_000;
        let (fa, fr) = fast_attempts(&inst, &params, block, n, 100 + i as u64);
        let (za, zr) = (z(fa, n, acc, shots), z(fr, fa, res, acc));
        eprintln!(
            "{name}: restart fast {:.4} stim {:.4} (z {za:.2}); residual|acc fast {:.4} stim {:.4} (z {zr:.2})",
            1.0 - fa as f64 / n as f64,
            1.0 - acc as f64 / shots as f64,
            fr as f64 / fa as f64,
            res as f64 / acc as f64
        );
        assert!(za.abs() < 4.0, "{name}: restart probability z = {za}");
        assert!(zr.abs() < 4.0, "{name}: residual z = {zr}");
        assert!(acc < shots && res > 0, "{name}: rates are not trivial");
    }
}

/// Two-sided RSP roughly halves the RSP part of δ_k: on the Schedule of the same sampled
/// attempts, RSP ends ⌈Δ_k/2⌉ + 3 layers after an attempt starts instead of Δ_k + 3, and the
/// checks are unchanged.
#[test]
fn two_sided_rsp_halves_the_rsp_part_of_delta_on_the_schedule() {
    let mut one = Params {
        n: 20,
        t: 3,
        r: 3,
        seed: 8,
        ..Default::default()
    };
    one.knobs.circuit_generator = clinr_explorer::circuit::random::CircuitGenerator::RandomGates;
    let mut two = one;
    two.knobs.two_sided_rsp = true;
    let inst = Instance::generate(&one, 0);
    let attempts = |p: &Params| -> Vec<Vec<Attempt>> {
        inst.blocks
            .iter()
            .map(|b| vec![Attempt::accepted(&b.timing(&p.knobs))])
            .collect()
    };
    let (s1, s2) = (
        Schedule::monolithic(one.n, &attempts(&one), InputTiming::FromStart),
        Schedule::monolithic(two.n, &attempts(&two), InputTiming::FromStart),
    );
    let (mut rsp1, mut rsp2) = (0u32, 0u32);
    for (a1, a2) in s1.attempts.iter().zip(&s2.attempts) {
        let (r1, r2) = (a1.rsp_end - a1.start, a2.rsp_end - a2.start);
        let delta_k = r1 - 3;
        assert_eq!(r2 - 3, delta_k.div_ceil(2), "block {}", a1.block);
        assert_eq!(a1.end - a1.rsp_end, a2.end - a2.rsp_end, "same checks");
        // Both sides run in parallel and the longer one sets the RSP end.
        assert_eq!(a2.rsp_a_end.max(a2.rsp_b_end), a2.rsp_end);
        assert_eq!(a1.rsp_a_end, a1.start + 3);
        rsp1 += r1 - 3;
        rsp2 += r2 - 3;
    }
    let ratio = f64::from(rsp2) / f64::from(rsp1);
    assert!(
        (0.49..=0.55).contains(&ratio),
        "RSP circuit part ratio {ratio}"
    );
    assert!(s2.depth < s1.depth);
}
