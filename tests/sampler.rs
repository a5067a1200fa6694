//! The fast sampler on its own: zero-noise depths against the schedule's closed forms,
//! determinism, common random numbers across τ_e, and sparse against dense fault sampling.

use clinr_explorer::noise::NoiseRates;
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::params::{CheckRedraw, InputTiming, Params, RestartRule};
use clinr_explorer::rng;
use clinr_explorer::sim::sampler::{
    prepare, prepare_reusing, run_circuit, run_prepared, run_prepared_points, sample_run,
    PreparedInstance,
};
use clinr_explorer::sim::signatures::Shape;
use rand::RngExt;

fn small(n: u32, t: u32, r: u32, p: f64, seed: u64) -> Params {
    Params {
        n,
        t,
        r,
        p,
        seed,
        shots: 50,
        circuits: 1,
        ..Default::default()
    }
}

#[test]
fn zero_noise_has_no_errors_and_closed_form_depths() {
    for (seed, n, t, r, tau) in [
        (1u64, 4u32, 2u32, 3u32, 1.0),
        (2, 6, 3, 2, 7.5),
        (3, 5, 1, 4, 30.0),
    ] {
        for jit in [false, true] {
            let mut params = small(n, t, r, 0.0, seed);
            params.tau_e = tau;
            if jit {
                params.knobs.input_timing = InputTiming::JustInTime;
            }
            let inst = Instance::generate(&params, 0);
            let out = run_circuit(&inst, &params, 0).unwrap();
            let deltas: Vec<u32> = inst
                .timings(&params.knobs)
                .iter()
                .map(|b| b.delta())
                .collect();
            let mono = deltas.iter().sum::<u32>() + 4 * t;
            // protocol.md §8.7 with T_k = δ_k.
            let last_pair = (f64::from(n) * tau - 1e-9).ceil() as i64;
            let mut inner = last_pair;
            for (k, &d) in deltas.iter().enumerate() {
                inner = inner.max(i64::from(d) - 4 * k as i64);
            }
            let dist = (inner + 4 * (i64::from(t) + 1)) as u32;
            for i in 0..params.shots as usize {
                assert_eq!(out.direct[i].depth, inst.depth);
                assert_eq!(out.monolithic[i].depth, mono);
                assert_eq!(out.distributed[i].depth, dist);
                assert!(!out.direct[i].logical_error);
                assert!(!out.monolithic[i].logical_error);
                assert!(!out.distributed[i].logical_error);
            }
            for a in &out.attempts {
                assert_eq!(a.restarts, 0);
                assert_eq!(a.attempts, 2 * u64::from(params.shots));
            }
        }
    }
}

#[test]
fn same_seed_same_numbers_and_prepared_equals_run_circuit() {
    let mut params = small(5, 3, 3, 5e-3, 11);
    params.shots = 80;
    let inst = Instance::generate(&params, 2);
    let a = run_circuit(&inst, &params, 2).unwrap();
    let b = run_circuit(&inst, &params, 2).unwrap();
    assert_eq!(a, b);
    let prep = prepare(&inst, &params);
    assert_eq!(run_prepared(&prep, &params, 2).unwrap(), a);
    // Some noise actually happened at this p.
    assert!(a.attempts.iter().any(|c| c.restarts > 0));
    assert!(a.monolithic.iter().any(|s| s.logical_error));
    // sample_run reproduces shot s of run_circuit.
    for shot in [0u32, 17, 79] {
        let run = sample_run(&inst, &params, 2, shot).unwrap();
        let s = shot as usize;
        assert_eq!(run.direct.1, a.direct[s].logical_error);
        assert_eq!(run.monolithic.0.depth, a.monolithic[s].depth);
        assert_eq!(run.monolithic.1, a.monolithic[s].logical_error);
        assert_eq!(run.distributed.0.depth, a.distributed[s].depth);
        assert_eq!(run.distributed.1, a.distributed[s].logical_error);
    }
    // A different seed gives different samples.
    let mut other = params;
    other.seed = 12;
    assert_ne!(run_circuit(&inst, &other, 2).unwrap(), a);
}

#[test]
fn tables_rebuilt_in_place_give_the_same_numbers() {
    // Tables left by a larger instance with other knobs (more arrays, bigger buffers), then
    // by a per-attempt run (no fixed tables), must not change the next instance's results.
    let big = small(9, 4, 3, 4e-3, 31);
    let big_inst = Instance::generate(&big, 0);
    let mut params = small(5, 3, 3, 6e-3, 32);
    params.shots = 60;
    let inst = Instance::generate(&params, 1);
    let want = run_circuit(&inst, &params, 1).unwrap();
    assert!(want.attempts.iter().any(|c| c.restarts > 0));
    let mut k13 = params;
    k13.knobs.check_redraw = CheckRedraw::PerAttempt;
    let tables = prepare(&big_inst, &big).into_tables();
    let tables = prepare_reusing(&inst, &k13, tables).into_tables();
    let prep = prepare_reusing(&inst, &params, tables);
    assert_eq!(run_prepared(&prep, &params, 1).unwrap(), want);
    // And the rebuilt tables are the fresh ones, array by array.
    let fresh = prepare(&inst, &params);
    for (a, b) in [
        (prep.direct_table(), fresh.direct_table()),
        (
            prep.attempt_table(2).unwrap(),
            fresh.attempt_table(2).unwrap(),
        ),
    ] {
        assert_eq!(a.arrays.len(), b.arrays.len());
        for (x, y) in a.arrays.iter().zip(&b.arrays) {
            assert_eq!(
                (x.class, x.shape, x.locations()),
                (y.class, y.shape, y.locations())
            );
            assert_eq!(x.meta, y.meta);
            for loc in 0..x.len() {
                for s in 0..x.shape.sigs() {
                    assert_eq!(x.sig(a.words, loc, s), y.sig(b.words, loc, s));
                }
            }
        }
    }
}

#[test]
fn points_run_together_equal_points_run_alone() {
    // A τ_e sweep (shared attempts), then a change of p and of bell_start, then of shots.
    let mut base = small(6, 3, 2, 4e-3, 41);
    base.shots = 70;
    let inst = Instance::generate(&base, 3);
    let prep = prepare(&inst, &base);
    let mut points = Vec::new();
    for (tau, p, bell, shots) in [
        (1.0, 4e-3, 0.0, 70),
        (8.0, 4e-3, 0.0, 70),
        (30.0, 4e-3, 3.0, 70),
        (30.0, 8e-3, 3.0, 70),
        (2.0, 8e-3, 0.0, 40),
    ] {
        let mut q = base;
        q.tau_e = tau;
        q.p = p;
        q.knobs.bell_start = bell;
        q.shots = shots;
        points.push(q);
    }
    let together = run_prepared_points(&prep, &points, 3).unwrap();
    assert_eq!(together.len(), points.len());
    for (q, got) in points.iter().zip(&together) {
        assert_eq!(got, &run_prepared(&prep, q, 3).unwrap(), "point {q:?}");
    }
    // The τ_e values really changed the distributed samples.
    assert_ne!(together[0].distributed, together[2].distributed);
}

#[test]
fn tau_e_sweep_reuses_attempts() {
    let mut params = small(6, 3, 2, 3e-3, 21);
    params.shots = 100;
    let inst = Instance::generate(&params, 0);
    let prep = prepare(&inst, &params);
    let mut prev: Option<clinr_explorer::sim::CircuitSamples> = None;
    for tau in [1.0, 2.0, 5.0, 10.0, 40.0, 100.0] {
        params.tau_e = tau;
        let out = run_prepared(&prep, &params, 0).unwrap();
        if let Some(p) = &prev {
            // Attempts and everything monolithic are untouched by τ_e.
            assert_eq!(out.monolithic, p.monolithic);
            assert_eq!(out.direct, p.direct);
            assert_eq!(out.attempts, p.attempts);
            // Same attempts: each sample's distributed depth can only grow with τ_e.
            for (a, b) in out.distributed.iter().zip(&p.distributed) {
                assert!(a.depth >= b.depth);
            }
        }
        prev = Some(out);
    }
}

#[test]
fn per_attempt_redraw_and_end_of_rsv_run() {
    let mut params = small(4, 2, 3, 1e-2, 5);
    params.knobs.check_redraw = CheckRedraw::PerAttempt;
    params.knobs.restart_rule = RestartRule::EndOfRsv;
    let inst = Instance::generate(&params, 0);
    let out = run_circuit(&inst, &params, 0).unwrap();
    assert_eq!(out, run_circuit(&inst, &params, 0).unwrap());
    assert!(out.attempts.iter().any(|c| c.restarts > 0));
    // Under end_of_rsv every attempt lasts its full length, so with per-attempt checks the
    // monolithic depth is still at least Σ_k (Δ_k + 3) + 4t.
    let rsp: u32 = inst.blocks.iter().map(|b| b.depth() + 3).sum();
    assert!(out.monolithic.iter().all(|s| s.depth >= rsp + 4 * params.t));
}

/// Sparse (geometric-skip) sampling of an attempt table against a dense Bernoulli draw on every
/// location, on the statistics that matter: P(some check flips) and P(accepted with A_res ≠ 0).
#[test]
fn sparse_sampling_matches_dense_sampling() {
    let params = small(4, 1, 3, 2e-2, 8);
    let inst = Instance::generate(&params, 0);
    let prep = prepare(&inst, &params);
    let table = prep.attempt_table(1).expect("fixed checks");
    let rates = NoiseRates::for_params(&params);
    let tr = table.rates(&rates);
    let w = table.words;
    let trials = 20_000u32;
    let mut sparse = [0u32; 2];
    let mut dense = [0u32; 2];
    let mut r1 = rng::stream(99, &[1]);
    let mut r2 = rng::stream(99, &[2]);
    let mut acc = vec![0u64; w];
    let tally = |acc: &[u64], t: &mut [u32; 2]| {
        if acc[0] != 0 {
            t[0] += 1;
        } else if acc[1..].iter().any(|&v| v != 0) {
            t[1] += 1;
        }
    };
    for _ in 0..trials {
        acc.fill(0);
        table.sample(&tr, &mut r1, &mut acc);
        tally(&acc, &mut sparse);
        acc.fill(0);
        for arr in &table.arrays {
            let p = rates.rate(arr.class);
            for (li, m) in arr.meta.iter().enumerate() {
                let reps = if arr.shape == Shape::IdleRun {
                    m.last_layer - m.layer + 1
                } else {
                    1
                };
                for _ in 0..reps {
                    if r2.random::<f64>() >= p {
                        continue;
                    }
                    let (pa, pb) = match arr.shape {
                        Shape::Flip => (4, 0),
                        Shape::Two => {
                            let v = r2.random_range(1u32..16);
                            (v & 3, v >> 2)
                        }
                        _ => (r2.random_range(1u32..4), 0),
                    };
                    let mut add = |s: usize| {
                        for (a, v) in acc.iter_mut().zip(arr.sig(w, li, s)) {
                            *a ^= v;
                        }
                    };
                    if pa == 4 {
                        add(0);
                        continue;
                    }
                    for (which, p) in [(0usize, pa), (1, pb)] {
                        if p & 1 != 0 {
                            add(2 * which);
                        }
                        if p & 2 != 0 {
                            add(2 * which + 1);
                        }
                    }
                }
            }
        }
        tally(&acc, &mut dense);
    }
    for k in 0..2 {
        let (a, b) = (
            f64::from(sparse[k]) / f64::from(trials),
            f64::from(dense[k]) / f64::from(trials),
        );
        let var = (a * (1.0 - a) + b * (1.0 - b)) / f64::from(trials);
        let z = (a - b) / var.sqrt().max(1e-12);
        assert!(z.abs() < 4.0, "statistic {k}: sparse {a} dense {b} z {z}");
        assert!(a > 0.01, "statistic {k} should be visible at p = 2e-2: {a}");
    }
}

/// The ring samples one instance again and again as p and τ_e change (issue 13 item 9): its
/// kept tables give exactly the runs of `sample_run`, and a change of knobs rebuilds them.
#[test]
fn prepared_instance_samples_as_sample_run_across_p_tau_and_knobs() {
    let base = small(6, 3, 3, 2e-3, 5);
    let inst = Instance::generate(&base, 0);
    let mut kept = PreparedInstance::new(inst.clone(), &base);
    let mut differ = 0;
    let mut last = None;
    for (i, (p, tau)) in [
        (2e-3, 1.0),
        (2e-3, 9.0),
        (3e-2, 9.0),
        (1e-4, 40.0),
        (2e-3, 1.0),
    ]
    .into_iter()
    .enumerate()
    {
        for redraw in [CheckRedraw::PerCircuit, CheckRedraw::PerAttempt] {
            for links in [1, 3] {
                let mut params = Params {
                    p,
                    tau_e: tau,
                    ..base
                };
                params.knobs.check_redraw = redraw;
                params.knobs.parallel_links = links;
                let shot = i as u32;
                let want = sample_run(&inst, &params, 0, shot).unwrap();
                let got = kept.sample_run(&params, 0, shot).unwrap();
                assert_eq!(got, want, "p {p} τ_e {tau} {redraw:?} k {links}");
                if last.as_ref().is_some_and(|l| *l != want) {
                    differ += 1;
                }
                last = Some(want);
            }
        }
    }
    // The runs compared are not all one run (the comparison can fail).
    assert!(
        differ >= 10,
        "only {differ} changes between consecutive runs"
    );
    assert_eq!(kept.instance().n, 6);
}
