//! Random Cliffords: uniformity (chi-square), exact synthesis, generator recipe, determinism.

use std::collections::HashMap;

use clinr_explorer::circuit::random::{
    fit_to_size, generate, random_clifford, random_gates, CircuitGenerator, GeneratorOptions,
    PaddingGates, SizeCount,
};
use clinr_explorer::circuit::synthesis::{qiskit_ag, qiskit_greedy, synthesize, Method};
use clinr_explorer::circuit::{Circuit, Gate};
use clinr_explorer::rng::from_seed;
use clinr_explorer::tableau::Tableau;

/// Packs a small tableau (n ≤ 3) into an integer key: all row bits and signs.
fn key(t: &Tableau) -> u64 {
    let mut k = 0u64;
    for r in 0..2 * t.n() {
        for q in 0..t.n() {
            let (x, z) = t.row_bits(r, q);
            k = (k << 2) | (u64::from(x) << 1) | u64::from(z);
        }
        k = (k << 1) | u64::from(t.row_sign(r));
    }
    k
}

/// Chi-square statistic against the uniform distribution over `cells` cells, as a z-score
/// (chi² − dof) / sqrt(2·dof).
fn chi_square_z(counts: &HashMap<u64, u32>, cells: u64, samples: u32) -> f64 {
    let expected = f64::from(samples) / cells as f64;
    let mut chi2 = 0.0;
    for &c in counts.values() {
        chi2 += (f64::from(c) - expected).powi(2) / expected;
    }
    chi2 += (cells - counts.len() as u64) as f64 * expected; // empty cells
    let dof = (cells - 1) as f64;
    (chi2 - dof) / (2.0 * dof).sqrt()
}

#[test]
fn one_qubit_cliffords_are_uniform() {
    let mut rng = from_seed(1234);
    let samples = 48_000;
    let mut counts = HashMap::new();
    for _ in 0..samples {
        *counts
            .entry(key(&random_clifford(1, &mut rng)))
            .or_insert(0u32) += 1;
    }
    assert_eq!(counts.len(), 24, "6 symplectic × 4 signs");
    let z = chi_square_z(&counts, 24, samples);
    assert!(z.abs() < 4.0, "chi-square z = {z}");
}

#[test]
fn two_qubit_cliffords_are_uniform() {
    let mut rng = from_seed(5678);
    let samples = 200_000;
    let mut counts = HashMap::new();
    for _ in 0..samples {
        *counts
            .entry(key(&random_clifford(2, &mut rng)))
            .or_insert(0u32) += 1;
    }
    assert_eq!(counts.len(), 11_520, "720 symplectic × 16 signs");
    let z = chi_square_z(&counts, 11_520, samples);
    assert!(z.abs() < 4.0, "chi-square z = {z}");
}

#[test]
fn three_qubit_symplectic_part_is_uniform() {
    // |Sp(6,2)| = 1,451,520 is too many cells; test the image of X_0 (63 non-identity
    // Paulis, uniform for a uniform Clifford) and its sign.
    let mut rng = from_seed(91);
    let samples = 63_000;
    let mut counts = HashMap::new();
    for _ in 0..samples {
        let t = random_clifford(3, &mut rng);
        let x0 = t.x_output(0);
        let k = (x0.xs()[0] << 3) | x0.zs()[0] | (u64::from(x0.is_negative()) << 6);
        *counts.entry(k).or_insert(0u32) += 1;
    }
    assert_eq!(counts.len(), 126);
    let z = chi_square_z(&counts, 126, samples);
    assert!(z.abs() < 4.0, "chi-square z = {z}");
}

#[test]
fn synthesis_is_exact_up_to_256_qubits() {
    let mut rng = from_seed(77);
    for n in [1u32, 2, 3, 4, 5, 8, 13, 31, 63, 64, 65, 85, 128, 256] {
        let t = random_clifford(n, &mut rng);
        for m in Method::ALL {
            let c = synthesize(&t, m);
            assert!(c.gates.iter().all(|g| matches!(
                g,
                Gate::H(_)
                    | Gate::S(_)
                    | Gate::Sdg(_)
                    | Gate::X(_)
                    | Gate::Y(_)
                    | Gate::Z(_)
                    | Gate::Cx(..)
            )));
            assert_eq!(Tableau::from_circuit(&c), t, "{m:?}, n = {n}");
        }
    }
}

/// Bravyi et al.'s greedy compiler needs fewer CX than Aaronson–Gottesman (Qiskit's docs: it
/// "typically yields better CX cost").
#[test]
fn greedy_needs_fewer_cx_than_ag() {
    let mut rng = from_seed(8);
    let (mut ag, mut g) = (0usize, 0usize);
    for _ in 0..10 {
        let t = random_clifford(20, &mut rng);
        ag += qiskit_ag(&t).counts().two_qubit as usize;
        g += qiskit_greedy(&t).counts().two_qubit as usize;
    }
    assert!(g < ag, "greedy {g} vs AG {ag} CX");
}

#[test]
fn random_gates_distribution() {
    let mut rng = from_seed(3);
    let c = random_gates(4, 30_000, &mut rng);
    let (mut h, mut s, mut cx) = (0, 0, 0);
    let mut pairs = HashMap::new();
    for g in &c.gates {
        match *g {
            Gate::H(_) => h += 1,
            Gate::S(_) => s += 1,
            Gate::Cx(a, b) => {
                assert_ne!(a, b);
                cx += 1;
                *pairs.entry((a, b)).or_insert(0) += 1;
            }
            _ => panic!("unexpected gate {g:?}"),
        }
    }
    for k in [h, s, cx] {
        assert!((9_500..10_500).contains(&k), "{h} {s} {cx}");
    }
    assert_eq!(pairs.len(), 12);
    assert!(random_gates(1, 100, &mut rng)
        .gates
        .iter()
        .all(|g| !g.is_two_qubit()));
}

#[test]
fn fit_to_size_truncates_and_pads() {
    let mut rng = from_seed(4);
    let opts = GeneratorOptions::default();
    let base = qiskit_ag(&random_clifford(6, &mut rng));
    let long = base.len();
    let cut = fit_to_size(base.clone(), 10, &opts, &mut rng);
    assert_eq!(cut.gates, base.gates[..10]);
    let padded = fit_to_size(base.clone(), (long + 50) as u32, &opts, &mut rng);
    assert_eq!(padded.gates[..long], base.gates[..]);
    assert_eq!(padded.len(), long + 50);
    let two = GeneratorOptions {
        size_count: SizeCount::TwoQubitGates,
        ..opts
    };
    let c = fit_to_size(base.clone(), 5, &two, &mut rng);
    assert_eq!(c.counts().two_qubit, 5);
    assert!(c.gates.last().unwrap().is_two_qubit());
    let c = fit_to_size(base.clone(), 500, &two, &mut rng);
    assert_eq!(c.counts().two_qubit, 500);
    let cliff = GeneratorOptions {
        padding: PaddingGates::RandomTwoQubitClifford,
        ..opts
    };
    let c = fit_to_size(Circuit::new(5), 300, &cliff, &mut rng);
    assert_eq!(c.len(), 300);
    for gen in [
        CircuitGenerator::StimElimination,
        CircuitGenerator::QiskitGreedy,
        CircuitGenerator::QiskitAg,
        CircuitGenerator::RandomGates,
    ] {
        let o = GeneratorOptions {
            generator: gen,
            ..opts
        };
        assert_eq!(generate(7, 49, &o, &mut rng).len(), 49);
    }
    assert_eq!(generate(0, 10, &opts, &mut rng).len(), 0);
}

#[test]
fn random_gates_are_shallower_than_synthesized() {
    let mut rng = from_seed(12);
    let n = 30;
    let syn = generate(n, n * n, &GeneratorOptions::default(), &mut rng);
    let rg = generate(
        n,
        n * n,
        &GeneratorOptions {
            generator: CircuitGenerator::RandomGates,
            ..Default::default()
        },
        &mut rng,
    );
    assert!(rg.depth() >= n && syn.depth() > rg.depth());
}

#[test]
fn serde_names() {
    let o = GeneratorOptions {
        generator: CircuitGenerator::QiskitGreedy,
        size_count: SizeCount::TwoQubitGates,
        padding: PaddingGates::HSCx,
    };
    let s = serde_json::to_string(&o).unwrap();
    assert_eq!(
        s,
        r#"{"generator":"qiskit_greedy","size_count":"two_qubit_gates","padding":"h_s_cx"}"#
    );
    // Former identifiers are read as aliases and written under the new names.
    for (old, new) in CircuitGenerator::RENAMED {
        let g: CircuitGenerator = serde_json::from_value(serde_json::json!(old)).unwrap();
        assert_eq!(serde_json::to_value(g).unwrap(), serde_json::json!(new));
        assert_eq!(CircuitGenerator::renamed(old), Some(new));
        assert_eq!(CircuitGenerator::renamed(new), None);
    }
    assert_eq!(
        serde_json::from_str::<GeneratorOptions>("{}").unwrap(),
        GeneratorOptions::default()
    );
    assert_eq!(
        serde_json::to_string(&PaddingGates::RandomTwoQubitClifford).unwrap(),
        r#""random_two_qubit_clifford""#
    );
}

#[test]
fn same_seed_same_circuit() {
    let a = generate(5, 25, &GeneratorOptions::default(), &mut from_seed(1));
    let b = generate(5, 25, &GeneratorOptions::default(), &mut from_seed(1));
    assert_eq!(a, b);
    let pinned: Vec<Gate> = PINNED.to_vec();
    assert_eq!(
        a.gates[..PINNED.len()],
        pinned[..],
        "generator output changed"
    );
    let r = generate(
        5,
        25,
        &GeneratorOptions {
            generator: CircuitGenerator::RandomGates,
            ..Default::default()
        },
        &mut from_seed(1),
    );
    assert_eq!(r.gates[..PINNED_RANDOM.len()], PINNED_RANDOM[..]);
}

/// generate(5, 25, default, from_seed(1)): Stim's elimination starts by moving the first
/// pivot to qubit 0 (three CX), then clears the images of X_0 and Z_0.
const PINNED: [Gate; 8] = [
    Gate::Cx(1, 0),
    Gate::Cx(0, 1),
    Gate::Cx(1, 0),
    Gate::H(0),
    Gate::S(1),
    Gate::Cx(0, 1),
    Gate::Cx(0, 2),
    Gate::Cx(0, 3),
];
const PINNED_RANDOM: [Gate; 8] = [
    Gate::S(2),
    Gate::H(1),
    Gate::S(2),
    Gate::Cx(1, 3),
    Gate::S(1),
    Gate::H(4),
    Gate::H(0),
    Gate::S(3),
];
