//! The reference simulator (src/sim/reference.rs): logical correctness at p = 0 against the
//! closed-form depths, statistical agreement with Props. 1–2, determinism.

use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::bounds::{prop1_monolithic_depth, prop2_distributed_depth_bound};
use clinr_explorer::protocol::params::{
    CheckKind, CheckMeasurement, CheckRedraw, CorrectionNoise, InputTiming, NoiseModelKind, Params,
    RestartRule,
};
use clinr_explorer::protocol::schedule::{Implementation, Schedule};
use clinr_explorer::rng;
use clinr_explorer::sim::reference::{run_circuit, sample_run, Prepared};
use rand::RngExt;

/// §8.7 closed form: max(⌈nτ_e⌉, T_1, T_k − 4(k−1)) + 4(t+1).
fn distributed_closed_form(n: u32, tau_e: f64, accepted: &[u32]) -> i64 {
    let last_pair = (f64::from(n) * tau_e - 1e-9).ceil() as i64;
    let mut inner = last_pair;
    for (k, &t_k) in accepted.iter().enumerate() {
        inner = inner.max(i64::from(t_k) - 4 * k as i64);
    }
    inner + 4 * (accepted.len() as i64 + 1)
}

fn random_params(seed: u64) -> Params {
    let mut r = rng::stream(seed, &[991]);
    let mut p = Params {
        n: r.random_range(1u32..=8),
        t: r.random_range(1u32..=4),
        r: r.random_range(0u32..=3),
        p: 0.0,
        // τ_e on a grid with non-integer and stalling values.
        tau_e: f64::from(r.random_range(1u32..=150)) / 10.0,
        circuits: 1,
        shots: 3,
        seed,
        ..Default::default()
    };
    let k = &mut p.knobs;
    if r.random_range(0u32..2) == 0 {
        k.check_measurement = CheckMeasurement::Mx;
    }
    if r.random_range(0u32..2) == 0 {
        k.check_kind = CheckKind::SingleQubit;
    }
    if r.random_range(0u32..2) == 0 {
        // Fresh checks per attempt make every shot's length different: one shot.
        k.check_redraw = CheckRedraw::PerAttempt;
        p.shots = 1;
    }
    if r.random_range(0u32..2) == 0 {
        k.input_timing = InputTiming::JustInTime;
    }
    if r.random_range(0u32..2) == 0 {
        k.correction_noise = CorrectionNoise::NoiselessFrame;
    }
    if r.random_range(0u32..2) == 0 {
        k.restart_rule = RestartRule::EndOfRsv;
    }
    p
}

#[test]
fn noiseless_runs_are_correct_and_have_closed_form_depths() {
    let mut stalled = 0;
    for seed in 0..120u64 {
        let params = random_params(seed);
        params.validate().expect("valid test parameters");
        let inst = Instance::generate(&params, 0);
        let samples = run_circuit(&inst, &params, 0).unwrap();
        let deltas: Vec<u32> = inst
            .timings(&params.knobs)
            .iter()
            .map(|t| t.delta())
            .collect();
        let run = sample_run(&inst, &params, 0, 0).unwrap();
        // Fresh checks per attempt (one shot): δ_k is that single attempt's own length.
        let own = |s: &Schedule| -> Vec<u32> {
            (1..=inst.blocks.len() as u32)
                .map(|k| {
                    let a: Vec<_> = s.attempts_of(k).collect();
                    assert_eq!(a.len(), 1);
                    a[0].end - a[0].start
                })
                .collect()
        };
        let (mono_deltas, dist_deltas) = match params.knobs.check_redraw {
            CheckRedraw::PerAttempt => (own(&run.monolithic.0), own(&run.distributed.0)),
            CheckRedraw::PerCircuit => (deltas.clone(), deltas.clone()),
        };
        let t = inst.blocks.len() as u32;
        for s in &samples.direct {
            assert!(!s.logical_error, "seed {seed}: direct error at p = 0");
            assert_eq!(s.depth, inst.depth);
        }
        for s in &samples.monolithic {
            assert!(!s.logical_error, "seed {seed}: monolithic error at p = 0");
            assert_eq!(
                s.depth,
                mono_deltas.iter().sum::<u32>() + 4 * t,
                "seed {seed}"
            );
        }
        // No restarts, so T_k = δ_k.
        let want = distributed_closed_form(params.n, params.tau_e, &dist_deltas);
        for s in &samples.distributed {
            assert!(!s.logical_error, "seed {seed}: distributed error at p = 0");
            assert_eq!(i64::from(s.depth), want, "seed {seed}");
        }
        for c in &samples.attempts {
            assert_eq!(c.restarts, 0, "seed {seed}");
            assert_eq!(c.attempts, 2 * u64::from(params.shots));
        }
        if run.distributed.0.injections[0].stalled() {
            stalled += 1;
        }
    }
    assert!(
        stalled > 10,
        "the random cases must include stalls ({stalled})"
    );
}

#[test]
fn same_seed_gives_identical_samples() {
    let params = Params {
        n: 4,
        t: 2,
        r: 2,
        p: 0.02,
        shots: 20,
        seed: 17,
        ..Default::default()
    };
    let inst = Instance::generate(&params, 3);
    let a = run_circuit(&inst, &params, 3).unwrap();
    let b = run_circuit(&inst, &params, 3).unwrap();
    assert_eq!(a, b);
    assert!(a.attempts.iter().any(|c| c.restarts > 0));
    // sample_run reproduces the same shot as run_circuit.
    let run = sample_run(&inst, &params, 3, 5).unwrap();
    assert_eq!(run.monolithic.0.depth, a.monolithic[5].depth);
    assert_eq!(run.monolithic.1, a.monolithic[5].logical_error);
    assert_eq!(run.distributed.0.depth, a.distributed[5].depth);
    assert_eq!(run.direct.1, a.direct[5].logical_error);
    let c = run_circuit(&inst, &Params { seed: 18, ..params }, 3).unwrap();
    assert_ne!(a, c);
}

fn uniform_point(shots: u32) -> Params {
    let mut p = Params {
        n: 4,
        t: 3,
        r: 2,
        p: 0.01,
        shots,
        seed: 2024,
        ..Default::default()
    };
    p.knobs.noise_model = NoiseModelKind::Uniform;
    p.knobs.restart_rule = RestartRule::EndOfRsv;
    p
}

/// Mean, and standard error of the mean.
fn mean_se(xs: &[f64]) -> (f64, f64) {
    let m = xs.iter().sum::<f64>() / xs.len() as f64;
    let var = xs.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (xs.len() as f64 - 1.0);
    (m, (var / xs.len() as f64).sqrt())
}

#[test]
fn mean_depths_follow_props_1_and_2_in_the_uniform_model() {
    let params = uniform_point(400);
    let inst = Instance::generate(&params, 0);
    let samples = run_circuit(&inst, &params, 0).unwrap();
    let deltas: Vec<u32> = inst
        .timings(&params.knobs)
        .iter()
        .map(|t| t.delta())
        .collect();
    let q: Vec<f64> = samples
        .attempts
        .iter()
        .map(|c| c.restarts as f64 / c.attempts as f64)
        .collect();
    assert!(q.iter().all(|&q| q > 0.05), "q must be sizable: {q:?}");
    let mono: Vec<f64> = samples
        .shots(Implementation::Monolithic)
        .iter()
        .map(|s| f64::from(s.depth))
        .collect();
    let (m, se) = mean_se(&mono);
    let prop1 = prop1_monolithic_depth(&deltas, &q);
    assert!(
        (m - prop1).abs() < 3.0 * se,
        "monolithic mean {m} ± {se} vs Prop. 1 {prop1}"
    );
    let dist: Vec<f64> = samples
        .shots(Implementation::Distributed)
        .iter()
        .map(|s| f64::from(s.depth))
        .collect();
    let (md, _) = mean_se(&dist);
    let prop2 = prop2_distributed_depth_bound(&deltas, &q, params.n, params.tau_e);
    assert!(md <= prop2, "distributed mean {md} above Prop. 2 {prop2}");
    // Sanity: CliNR at p = 1e-2 on small n does make logical errors, and so does direct.
    let errors = |w| samples.shots(w).iter().filter(|s| s.logical_error).count();
    assert!(errors(Implementation::Direct) > 0);
    assert!(errors(Implementation::Monolithic) > 0);
    let _ = Prepared::new(&inst, &params);
}

/// Timing of the paper point (n = 85, t = r = 3, p = 1e-4): a few shots of one circuit.
/// Run with `cargo test --release --test reference -- --ignored --nocapture paper_point`.
/// Measured (test profile, opt-level 2, shared 2-core machine): ≈ 1.9 s per shot of all three
/// implementations, i.e. ≈ 2 h for 20 circuits × 200 shots.
#[test]
#[ignore]
fn paper_point_timing() {
    let params = Params {
        shots: 5,
        ..Default::default()
    };
    let t0 = std::time::Instant::now();
    let inst = Instance::generate(&params, 0);
    let gen = t0.elapsed().as_secs_f64();
    let t1 = std::time::Instant::now();
    let s = run_circuit(&inst, &params, 0).unwrap();
    let per_shot = t1.elapsed().as_secs_f64() / f64::from(params.shots);
    let full = 20.0 * (gen + 200.0 * per_shot);
    println!(
        "instance {gen:.2} s, {per_shot:.3} s per shot (3 implementations); \
         20 × 200 extrapolated: {full:.0} s; depths mono {:?} dist {:?}",
        s.monolithic.iter().map(|x| x.depth).collect::<Vec<_>>(),
        s.distributed.iter().map(|x| x.depth).collect::<Vec<_>>()
    );
}
