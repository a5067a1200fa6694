//! Property tests: Pauli algebra, tableau group laws, layering/split, parser robustness.

use clinr_explorer::circuit::layers::SplitRule;
use clinr_explorer::circuit::random::{generate, random_clifford, random_gates, GeneratorOptions};
use clinr_explorer::circuit::stim_text::parse;
use clinr_explorer::circuit::synthesis::{synthesize, Method};
use clinr_explorer::circuit::{Circuit, Gate};
use clinr_explorer::pauli::PauliString;
use clinr_explorer::rng::from_seed;
use clinr_explorer::tableau::Tableau;
use proptest::prelude::*;

fn pauli(n: u32, seed: u64, phase: u8) -> PauliString {
    let mut p = PauliString::random(n, &mut from_seed(seed));
    p.set_phase(phase);
    p
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn multiplication_is_associative(n in 1u32..150, a in any::<u64>(), b in any::<u64>(), c in any::<u64>(), pa in 0u8..4, pb in 0u8..4, pc in 0u8..4) {
        let (x, y, z) = (pauli(n, a, pa), pauli(n, b, pb), pauli(n, c, pc));
        prop_assert_eq!(x.mul(&y).mul(&z), x.mul(&y.mul(&z)));
    }

    #[test]
    fn commutation_is_symmetric_and_matches_products(n in 1u32..150, a in any::<u64>(), b in any::<u64>()) {
        let (x, y) = (pauli(n, a, 0), pauli(n, b, 0));
        prop_assert_eq!(x.commutes(&y), y.commutes(&x));
        let xy = x.mul(&y);
        let mut yx = y.mul(&x);
        if !x.commutes(&y) {
            yx.set_phase(yx.phase() + 2);
        }
        prop_assert_eq!(xy, yx);
    }

    #[test]
    fn hermitian_squares_to_identity(n in 0u32..150, a in any::<u64>(), neg in any::<bool>()) {
        let x = pauli(n, a, if neg { 2 } else { 0 });
        let sq = x.mul(&x);
        prop_assert!(sq.is_identity_up_to_phase());
        prop_assert_eq!(sq.phase(), 0);
    }

    #[test]
    fn display_parse_roundtrip(n in 0u32..100, a in any::<u64>(), ph in 0u8..4) {
        let x = pauli(n, a, ph);
        prop_assert_eq!(x.to_string().parse::<PauliString>().unwrap(), x);
    }

    #[test]
    fn tableau_inverse_and_homomorphism(n in 1u32..40, seed in any::<u64>(), a in any::<u64>(), b in any::<u64>(), pa in 0u8..4) {
        let mut rng = from_seed(seed);
        let t = random_clifford(n, &mut rng);
        prop_assert!(t.then(&t.inverse()).is_identity());
        prop_assert!(t.inverse().then(&t).is_identity());
        let (p, q) = (pauli(n, a, pa), pauli(n, b, 0));
        prop_assert_eq!(t.conjugate(&p.mul(&q)), t.conjugate(&p).mul(&t.conjugate(&q)));
        prop_assert_eq!(t.conjugate_inverse(&t.conjugate(&p)), p.clone());
        let u = random_clifford(n, &mut rng);
        prop_assert_eq!(t.then(&u).conjugate(&p), u.conjugate(&t.conjugate(&p)));
        // Sign-free frames agree with the signed maps.
        let w = p.xs().len();
        let (mut ox, mut oz) = (vec![0; w], vec![0; w]);
        t.conjugate_frame(p.xs(), p.zs(), &mut ox, &mut oz);
        let img = t.conjugate(&p);
        prop_assert_eq!((&ox[..], &oz[..]), (img.xs(), img.zs()));
        t.conjugate_inverse_frame(p.xs(), p.zs(), &mut ox, &mut oz);
        let pre = t.conjugate_inverse(&p);
        prop_assert_eq!((&ox[..], &oz[..]), (pre.xs(), pre.zs()));
    }

    #[test]
    fn from_circuit_composes(n in 1u32..20, seed in any::<u64>(), cut in 0usize..60) {
        let mut rng = from_seed(seed);
        let c = random_gates(n, 60, &mut rng);
        let (a, b) = c.gates.split_at(cut);
        let ta = Tableau::from_circuit(&Circuit { n, gates: a.to_vec() });
        let tb = Tableau::from_circuit(&Circuit { n, gates: b.to_vec() });
        prop_assert_eq!(ta.then(&tb), Tableau::from_circuit(&c));
    }

    /// protocol.md §12: every synthesis implements its tableau exactly, signs included, on
    /// uniform random Cliffords and on sparse ones (a few random gates, then random signs from
    /// a random Pauli layer), which exercise the pivot searches and the sign fixes.
    #[test]
    fn every_synthesis_round_trips(n in 1u32..48, seed in any::<u64>(), gates in 0u32..60, sparse in any::<bool>()) {
        let mut rng = from_seed(seed);
        let t = if sparse {
            let mut c = random_gates(n, gates, &mut rng);
            let frame = PauliString::random(n, &mut rng);
            for (q, p) in frame.support() {
                let (x, z) = p.bits();
                c.push(match (x, z) {
                    (true, true) => Gate::Y(q),
                    (true, false) => Gate::X(q),
                    _ => Gate::Z(q),
                });
            }
            Tableau::from_circuit(&c)
        } else {
            random_clifford(n, &mut rng)
        };
        for m in Method::ALL {
            let c = synthesize(&t, m);
            prop_assert_eq!(c.n, n);
            prop_assert_eq!(Tableau::from_circuit(&c), t.clone(), "{:?}", m);
        }
    }

    #[test]
    fn split_properties(n in 1u32..12, s in 0u32..200, t in 1u32..8, seed in any::<u64>(), synth in any::<bool>()) {
        let opts = GeneratorOptions {
            generator: if synth {
                clinr_explorer::circuit::random::CircuitGenerator::StimElimination
            } else {
                clinr_explorer::circuit::random::CircuitGenerator::RandomGates
            },
            ..Default::default()
        };
        let c = generate(n, s, &opts, &mut from_seed(seed));
        let depth = c.depth();
        let layers = c.asap_layers();
        prop_assert_eq!(layers.iter().copied().max().unwrap_or(0), depth);
        let layered = c.layered();
        prop_assert_eq!(layered.len() as u32, depth);
        prop_assert_eq!(layered.iter().map(|l| l.len()).sum::<usize>(), c.len());
        for layer in &layered {
            // A layer never uses a qubit twice.
            let mut used = vec![false; n as usize];
            for g in layer {
                let (a, b) = g.qubits();
                for q in std::iter::once(a).chain(b) {
                    prop_assert!(!used[q as usize]);
                    used[q as usize] = true;
                }
            }
        }
        let blocks = c.split(t, SplitRule::EqualDepth);
        prop_assert_eq!(blocks.len() as u32, t);
        let (lo, hi) = (depth / t, depth.div_ceil(t));
        let mut prev = u32::MAX;
        for b in &blocks {
            let d = b.depth();
            prop_assert!(d == lo || d == hi, "block depth {} not in {{{}, {}}}", d, lo, hi);
            prop_assert!(d <= prev, "longer blocks must come first");
            prev = d;
        }
        prop_assert_eq!(blocks.iter().map(|b| b.depth()).sum::<u32>(), depth);
        let concat: Vec<Gate> = blocks.iter().flat_map(|b| b.gates.clone()).collect();
        prop_assert_eq!(Tableau::from_circuit(&Circuit { n, gates: concat }), Tableau::from_circuit(&c));
        let eg = c.split(t, SplitRule::EqualGates);
        prop_assert_eq!(eg.len() as u32, t);
        let concat: Vec<Gate> = eg.iter().flat_map(|b| b.gates.clone()).collect();
        prop_assert_eq!(&concat, &c.gates);
        let (glo, ghi) = (s / t, s.div_ceil(t));
        for w in eg.windows(2) {
            prop_assert!(w[0].len() >= w[1].len());
        }
        for b in &eg {
            prop_assert!(b.len() as u32 == glo || b.len() as u32 == ghi);
        }
        let counts = c.counts();
        prop_assert_eq!(counts.total, s);
        prop_assert_eq!(counts.one_qubit + counts.two_qubit, counts.total);
    }

    #[test]
    fn parser_never_panics(text in "\\PC*") {
        let _ = parse(&text);
    }

    #[test]
    fn parser_never_panics_on_stimlike_text(lines in proptest::collection::vec(
        "(H|CX|M|MPP|DETECTOR|DEPOLARIZE1|OBSERVABLE_INCLUDE|X_ERROR|TICK|REPEAT|FOO)(\\([0-9.,e-]{0,6}\\))? ?([!0-9XYZ*rec\\[\\]-]{0,8} ?){0,4}( #.*)?", 0..8)) {
        let text = lines.join("\n");
        if let Ok(c) = parse(&text) {
            let again = parse(&c.to_string());
            prop_assert!(again.is_ok(), "written text failed to parse: {:?}", again);
            let _ = c.to_circuit();
        }
    }

    #[test]
    fn circuit_text_roundtrip(n in 1u32..30, s in 0u32..100, seed in any::<u64>()) {
        let c = random_gates(n, s, &mut from_seed(seed));
        let back = parse(&c.to_stim_text()).unwrap().to_circuit().unwrap();
        prop_assert_eq!(back.gates, c.gates);
    }
}

#[test]
fn depth_of_chain_and_parallel() {
    let mut c = Circuit::new(4);
    for q in 0..3 {
        c.push(Gate::Cx(q, q + 1));
    }
    assert_eq!(c.depth(), 3);
    let mut p = Circuit::new(4);
    p.push(Gate::Cx(0, 1));
    p.push(Gate::Cx(2, 3));
    p.push(Gate::H(0));
    assert_eq!(p.asap_layers(), vec![1, 1, 2]);
    let blocks = c.split(5, SplitRule::EqualDepth);
    assert_eq!(
        blocks.iter().map(|b| b.len()).collect::<Vec<_>>(),
        vec![1, 1, 1, 0, 0]
    );
    assert!(c.split(0, SplitRule::EqualDepth).is_empty());
}

#[test]
fn parser_error_lines() {
    let cases = [
        ("H 0\nCX 0\n", 2, "even number"),
        ("\n\n# c\nFOO 1\n", 4, "unknown gate 'FOO'"),
        ("M 0\nDETECTOR rec[-2]\n", 2, "before the start"),
        ("H 0\nDEPOLARIZE1 0\n", 2, "exactly one"),
        ("H 0\nH 0\nH x\n", 3, "invalid qubit"),
        ("REPEAT 2 {\n", 1, "REPEAT"),
        ("MPP X0*X0\n", 1, "repeated"),
        ("H(0.1 0\n", 1, "missing ')'"),
        ("OBSERVABLE_INCLUDE(0.5) rec[-1]\n", 1, "integer"),
    ];
    for (text, line, needle) in cases {
        let e = parse(text).unwrap_err();
        assert_eq!(e.line, line, "{text:?}: {e}");
        assert!(e.message.contains(needle), "{text:?}: {e}");
        assert!(e.to_string().starts_with(&format!("line {line}: ")));
    }
    let e = parse("H 0\nM 0\n").unwrap().to_circuit().unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 2: non-unitary instruction M cannot be part of a Clifford circuit"
    );
}
