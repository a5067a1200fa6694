//! Stim cross-check of the reference simulator (issue requirement).
//!
//! `write_fixtures` (ignored) exports, for a few small instances, one RSP&V attempt and the
//! direct implementation as Stim circuits into tests/fixtures/stim_crosscheck/; make.py there
//! samples them with Stim and commits results.json. The normal tests check that the exports
//! are still byte-identical (same instance, same noise) and that the reference simulator's
//! acceptance rate, residual-error rate given acceptance and direct p_L agree with Stim's
//! (|z| < 4 with the combined binomial standard error), and with the exact rates make.py
//! computes from Stim's detector error model.

use std::path::PathBuf;

use clinr_explorer::circuit::random::CircuitGenerator;
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::params::{CheckMeasurement, NoiseModelKind, Params};
use clinr_explorer::protocol::stim_export::{export_direct, export_rsp_attempt};
use clinr_explorer::rng;
use clinr_explorer::sim::reference::Prepared;
use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize)]
struct Case {
    name: String,
    params: Params,
    circuit_index: u32,
    /// The exported block k (1-based).
    block: u32,
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stim_crosscheck")
}

fn cases() -> Vec<Case> {
    let base = |name: &str, n, t, r, p, seed, block| Case {
        name: name.to_string(),
        params: Params {
            n,
            t,
            r,
            p,
            seed,
            circuits: 1,
            shots: 1,
            ..Default::default()
        },
        circuit_index: 0,
        block,
    };
    let mut v = vec![
        base("n3_paper", 3, 2, 2, 0.02, 11, 1),
        base("n4_paper", 4, 2, 3, 0.01, 12, 2),
        base("n5_uniform", 5, 3, 2, 0.005, 13, 2),
        base("n6_mx_k1_off", 6, 2, 3, 0.01, 14, 1),
        base("n6_paper", 6, 3, 3, 0.01, 15, 3),
    ];
    // The cases keep the settings they were made with (K4 synthesized_elimination, now
    // qiskit_ag, and K1 on, the defaults then), so the committed Stim samples stay valid.
    for c in &mut v {
        c.params.knobs.circuit_generator = CircuitGenerator::QiskitAg;
        c.params.knobs.idle_on_resource_during_rspv = true;
    }
    v[2].params.knobs.noise_model = NoiseModelKind::Uniform;
    v[3].params.knobs.check_measurement = CheckMeasurement::Mx;
    v[3].params.knobs.idle_on_resource_during_rspv = false;
    v
}

fn exports(case: &Case) -> (String, String) {
    let inst = Instance::generate(&case.params, case.circuit_index);
    let attempt = export_rsp_attempt(&inst, &case.params, case.block).expect("block exists");
    (attempt, export_direct(&inst, &case.params))
}

#[test]
#[ignore]
fn write_fixtures() {
    let cases = cases();
    for c in &cases {
        c.params.validate().expect("valid case");
        let (attempt, direct) = exports(c);
        std::fs::write(dir().join(format!("{}_attempt.stim", c.name)), attempt).unwrap();
        std::fs::write(dir().join(format!("{}_direct.stim", c.name)), direct).unwrap();
    }
    let json = serde_json::to_string_pretty(&cases).unwrap();
    std::fs::write(dir().join("cases.json"), json + "\n").unwrap();
}

fn read(name: &str) -> String {
    std::fs::read_to_string(dir().join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn exports_match_the_committed_fixtures() {
    let stored: Vec<Case> = serde_json::from_str(&read("cases.json")).unwrap();
    let now = cases();
    assert_eq!(stored.len(), now.len());
    for (s, c) in stored.iter().zip(&now) {
        assert_eq!(s.name, c.name);
        assert_eq!(s.params, c.params);
        let (attempt, direct) = exports(c);
        assert_eq!(
            attempt,
            read(&format!("{}_attempt.stim", c.name)),
            "{}",
            c.name
        );
        assert_eq!(
            direct,
            read(&format!("{}_direct.stim", c.name)),
            "{}",
            c.name
        );
    }
}

/// z-score of two binomial rates k1/n1 and k2/n2 with the combined standard error.
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

#[test]
fn reference_simulator_agrees_with_stim() {
    const N: u64 = 15_000;
    let stored: Vec<Case> = serde_json::from_str(&read("cases.json")).unwrap();
    let results: serde_json::Value = serde_json::from_str(&read("results.json")).unwrap();
    for (ci, c) in stored.iter().enumerate() {
        let r = &results["cases"][&c.name];
        let get = |k: &str| {
            r[k].as_u64()
                .unwrap_or_else(|| panic!("{}: no {k}", c.name))
        };
        let inst = Instance::generate(&c.params, c.circuit_index);
        let prep = Prepared::new(&inst, &c.params);
        let mut rng = rng::stream(c.params.seed, &[0x5717, ci as u64]);
        let (mut accepted, mut residual) = (0u64, 0u64);
        for _ in 0..N {
            let (acc, res) = prep.attempt_with_residual(c.block, &mut rng);
            if acc {
                accepted += 1;
                residual += u64::from(res);
            }
        }
        let mut errors = 0u64;
        for _ in 0..N {
            errors += u64::from(prep.direct(&mut rng).0);
        }
        let za = z(accepted, N, get("accepted"), get("attempt_shots"));
        let zr = z(
            residual,
            accepted,
            get("accepted_with_residual"),
            get("accepted"),
        );
        let zd = z(errors, N, get("direct_errors"), get("direct_shots"));
        println!(
            "{}: acceptance {:.4} (stim {:.4}, z {za:.2}); residual|acc {:.4} (stim {:.4}, z \
             {zr:.2}); direct p_L {:.4} (stim {:.4}, z {zd:.2})",
            c.name,
            accepted as f64 / N as f64,
            get("accepted") as f64 / get("attempt_shots") as f64,
            residual as f64 / accepted as f64,
            get("accepted_with_residual") as f64 / get("accepted") as f64,
            errors as f64 / N as f64,
            get("direct_errors") as f64 / get("direct_shots") as f64,
        );
        // Against the exact rates of Stim's detector error model (no sampling noise there).
        let exact = |k: &str| {
            r[k].as_f64()
                .unwrap_or_else(|| panic!("{}: no {k}", c.name))
        };
        let z_exact =
            |k: u64, n: u64, p: f64| (k as f64 / n as f64 - p) / (p * (1.0 - p) / n as f64).sqrt();
        let ea = z_exact(accepted, N, exact("exact_acceptance"));
        let er = z_exact(residual, accepted, exact("exact_residual_given_accepted"));
        let ed = z_exact(errors, N, exact("exact_direct_logical_error"));
        println!("    vs exact: z {ea:.2}, {er:.2}, {ed:.2}");
        for (what, zz) in [("acceptance", ea), ("residual", er), ("direct p_L", ed)] {
            assert!(zz.abs() < 4.0, "{}: {what} vs exact z = {zz}", c.name);
        }
        assert!(za.abs() < 4.0, "{}: acceptance z = {za}", c.name);
        assert!(zr.abs() < 4.0, "{}: residual z = {zr}", c.name);
        assert!(zd.abs() < 4.0, "{}: direct p_L z = {zd}", c.name);
        // The rates are not trivial: the comparison has power.
        assert!(get("accepted") < get("attempt_shots") && get("accepted_with_residual") > 0);
        assert!(get("direct_errors") > 0);
    }
}
