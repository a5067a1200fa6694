//! Issue 15 item 3: every number we write into Stim text is read back exactly, by our parser
//! and by Stim. Some valid parameters used to produce Stim text that Stim refuses: rates were
//! written with Rust's `{}`, which never uses an exponent, so p = 1e-300 gave
//! `DEPOLARIZE1(0.000…01)` with 302 characters while Stim reads at most 63 per number; and the
//! uniform model at p > 3/4 wrote "over-mixing" `DEPOLARIZE1(p)`, which Stim samples but our
//! parser refused. Rates are now written by `numbers::shortest` and our parser follows Stim.
//!
//! Cases at the extremes of the valid parameter box (subnormal, smallest normal, 1e-300,
//! 0.1 + 0.2, the largest p of each noise model, over-mixing rates) are exported here; the
//! ignored `write_fixtures` writes their texts to tests/fixtures/stim_export/, where
//! `make.py` (stim 1.16.0, run by hand) records for each text whether Stim accepts it, its
//! qubit/measurement/detector/observable counts, whether Stim can build its detector error
//! model, and sampled acceptance / residual / logical-error counts. The tests re-export the
//! same texts and check that they are byte-identical to what Stim accepted, that our parser
//! reads every rate back bit for bit and counts what Stim counts, and that the reference
//! simulator samples what Stim sampled (|z| < 4), over-mixing included.
//!
//! Regenerate: `cargo test --test stim_export_numbers -- --ignored write_fixtures`, then
//! `python3 tests/fixtures/stim_export/make.py`.

use std::path::PathBuf;

use clinr_explorer::circuit::stim_text::{parse, StimOp, StimTarget, MAX_NUMBER_CHARS};
use clinr_explorer::noise::NoiseRates;
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::params::{CheckMeasurement, NoiseModelKind, Params};
use clinr_explorer::protocol::stim_export::{export_direct, export_rsp_attempt};
use clinr_explorer::rng;
use clinr_explorer::sim::reference::Prepared;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct Case {
    name: String,
    params: Params,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stim_export")
}

fn cases() -> Vec<Case> {
    let case = |name: &str, p: f64, model: NoiseModelKind| {
        let mut params = Params {
            n: 2,
            t: 1,
            r: 2,
            p,
            circuits: 1,
            shots: 1,
            seed: 15,
            ..Params::default()
        };
        params.knobs.noise_model = model;
        // The fixture's Stim results were made under the pre-issue-11 defaults; pinning those
        // two knobs (K1 on, Qiskit's AG synthesis) keeps them valid after the default change.
        params.knobs.idle_on_resource_during_rspv = true;
        params.knobs.circuit_generator =
            clinr_explorer::circuit::random::CircuitGenerator::QiskitAg;
        Case {
            name: name.to_string(),
            params,
        }
    };
    use NoiseModelKind::{Paper, Uniform};
    let mut v = vec![
        case("p_zero", 0.0, Paper),
        case("p_subnormal_min", 5e-324, Paper),
        case("p_normal_min", 2.2250738585072014e-308, Paper),
        case("p_1e-300", 1e-300, Paper),
        case("p_1e-20_uniform", 1e-20, Uniform),
        case("p_tenth_plus_fifth_uniform", 0.1 + 0.2, Uniform),
        case("p_max_paper", 1.0 / 3.0, Paper),
        case("p_over_mixing_uniform", 0.8, Uniform),
        case("p_max_uniform", 1.0, Uniform),
        case("p_1e-3_mx", 1e-3, Paper),
    ];
    let last = v.len() - 1;
    v[last].params.knobs.check_measurement = CheckMeasurement::Mx;
    v
}

fn exports(c: &Case) -> (String, String) {
    let inst = Instance::generate(&c.params, 0);
    let attempt = export_rsp_attempt(&inst, &c.params, 1).expect("block 1 exists");
    (attempt, export_direct(&inst, &c.params))
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
#[ignore]
fn write_fixtures() {
    let cases = cases();
    for c in &cases {
        c.params.validate().expect("a valid case");
        let (attempt, direct) = exports(c);
        std::fs::write(dir().join(format!("{}_attempt.stim", c.name)), attempt).unwrap();
        std::fs::write(dir().join(format!("{}_direct.stim", c.name)), direct).unwrap();
    }
    let json = serde_json::to_string_pretty(&cases).unwrap();
    std::fs::write(dir().join("cases.json"), json + "\n").unwrap();
}

/// Our parser reads back exactly the rates of the noise model, and no number is longer than
/// Stim reads.
#[test]
fn every_rate_reads_back_bit_for_bit() {
    for c in cases() {
        let rates = NoiseRates::for_params(&c.params);
        let allowed: Vec<u64> = [
            rates.one_qubit,
            rates.prep,
            rates.two_qubit,
            rates.measurement,
            rates.idle,
        ]
        .iter()
        .map(|r| r.to_bits())
        .collect();
        let (attempt, direct) = exports(&c);
        for (text, has_cx) in [(&attempt, true), (&direct, false)] {
            let parsed = parse(text).unwrap_or_else(|e| panic!("{}: {e}", c.name));
            let mut seen = 0;
            for ins in &parsed.instructions {
                let noisy = matches!(
                    ins.op,
                    StimOp::Depolarize1 | StimOp::Depolarize2 | StimOp::M | StimOp::Mx
                );
                if noisy {
                    for a in &ins.args {
                        assert!(allowed.contains(&a.to_bits()), "{}: {a:e}", c.name);
                        assert!(*a > 0.0, "{}: zero-rate channel written", c.name);
                        seen += 1;
                    }
                }
            }
            // An attempt always has CX gates (Bell pairs), so any p > 0 writes a channel.
            if has_cx {
                assert_eq!(seen > 0, rates.two_qubit > 0.0, "{}", c.name);
            }
            for line in text.lines().filter(|l| !l.starts_with('#')) {
                if let Some(inner) = line.split_once('(').map(|(_, r)| r) {
                    let arg = inner.split(')').next().unwrap();
                    assert!(arg.len() <= 26 && arg.len() <= MAX_NUMBER_CHARS, "{line}");
                }
            }
        }
    }
}

#[test]
fn stim_accepted_exactly_these_texts() {
    let stored: Vec<Case> = serde_json::from_str(&read("cases.json")).unwrap();
    assert_eq!(stored, cases(), "cases changed: regenerate the fixture");
    let results: serde_json::Value = serde_json::from_str(&read("results.json")).unwrap();
    assert_eq!(results["stim_version"], "1.16.0");
    // The fixture covers the kind: written the old way (Rust's `{}`), some texts are refused.
    let legacy_refused = results["texts"]
        .as_object()
        .unwrap()
        .values()
        .filter(|t| t["legacy_accepted"] == false)
        .count();
    assert!(legacy_refused >= 4, "{legacy_refused}");
    for c in &stored {
        let (attempt, direct) = exports(c);
        for (kind, text) in [("attempt", &attempt), ("direct", &direct)] {
            let file = format!("{}_{kind}.stim", c.name);
            assert_eq!(*text, read(&file), "{file}: the export changed");
            let r = &results["texts"][&file];
            assert_eq!(
                r["accepted"], true,
                "{file}: Stim refused it: {}",
                r["error"]
            );
            let ours = parse(text).unwrap();
            let measurements: u64 = ours
                .instructions
                .iter()
                .filter(|i| matches!(i.op, StimOp::M | StimOp::Mx | StimOp::Mpp))
                .map(|i| i.targets.len() as u64)
                .sum();
            let count = |op| ours.instructions.iter().filter(|i| i.op == op).count() as u64;
            let observables = ours
                .instructions
                .iter()
                .filter(|i| i.op == StimOp::ObservableInclude)
                .map(|i| i.args[0] as u64 + 1)
                .max()
                .unwrap_or(0);
            assert!(ours
                .instructions
                .iter()
                .flat_map(|i| &i.targets)
                .all(|t| !matches!(t, StimTarget::Product { .. })));
            assert_eq!(r["num_qubits"], u64::from(ours.num_qubits()), "{file}");
            assert_eq!(r["num_measurements"], measurements, "{file}");
            assert_eq!(r["num_detectors"], count(StimOp::Detector), "{file}");
            assert_eq!(r["num_observables"], observables, "{file}");
        }
    }
}

/// z-score of k1/n1 against k2/n2 (0 when both are equal and degenerate).
fn z(k1: u64, n1: u64, k2: u64, n2: u64) -> f64 {
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let se = (p1 * (1.0 - p1) / n1 as f64 + p2 * (1.0 - p2) / n2 as f64).sqrt();
    match (se == 0.0, p1 == p2) {
        (true, true) => 0.0,
        (true, false) => f64::INFINITY,
        _ => (p1 - p2) / se,
    }
}

/// What Stim sampled from the accepted texts is what our reference simulator samples: the
/// tiny rates are read as tiny (no flip at all), the over-mixing ones as over-mixing.
#[test]
fn reference_simulator_samples_what_stim_sampled() {
    const N: u64 = 6000;
    let results: serde_json::Value = serde_json::from_str(&read("results.json")).unwrap();
    for (ci, c) in cases().iter().enumerate() {
        let get = |file: &str, k: &str| {
            results["texts"][file][k]
                .as_u64()
                .unwrap_or_else(|| panic!("{file}: no {k}"))
        };
        let (fa, fd) = (
            format!("{}_attempt.stim", c.name),
            format!("{}_direct.stim", c.name),
        );
        let inst = Instance::generate(&c.params, 0);
        let prep = Prepared::new(&inst, &c.params);
        let mut rng = rng::stream(c.params.seed, &[0x15, ci as u64]);
        let (mut accepted, mut residual, mut errors) = (0u64, 0u64, 0u64);
        for _ in 0..N {
            let (acc, res) = prep.attempt_with_residual(1, &mut rng);
            accepted += u64::from(acc);
            residual += u64::from(acc && res);
            errors += u64::from(prep.direct(&mut rng).0);
        }
        let shots = get(&fa, "shots");
        let za = z(accepted, N, get(&fa, "accepted_shots"), shots);
        let zr = z(residual, N, get(&fa, "accepted_with_residual"), shots);
        let zd = z(errors, N, get(&fd, "logical_errors"), get(&fd, "shots"));
        println!(
            "{}: acceptance {accepted}/{N} (stim {}/{shots}, z {za:.2}); residual {residual} \
             (stim {}, z {zr:.2}); direct errors {errors} (stim {}, z {zd:.2})",
            c.name,
            get(&fa, "accepted_shots"),
            get(&fa, "accepted_with_residual"),
            get(&fd, "logical_errors")
        );
        for (what, zz) in [("acceptance", za), ("residual", zr), ("direct p_L", zd)] {
            assert!(zz.abs() < 4.0, "{}: {what} z = {zz}", c.name);
        }
        if c.params.p <= 1e-20 {
            assert_eq!((accepted, residual, errors), (N, 0, 0), "{}", c.name);
        }
    }
}
