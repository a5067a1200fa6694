//! Statistical equality of the fast sampler and the reference (stabilizer) simulator on many
//! small configurations covering every knob: p_L of each implementation, mean depth and the
//! restart fraction of each block, compared with two-sample z statistics (|z| < 4). Seeded,
//! so the outcome is deterministic.

use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::params::{
    CheckKind, CheckMeasurement, CheckRedraw, CorrectionNoise, InputTiming, NoiseModelKind, Params,
    RestartRule,
};
use clinr_explorer::sim::{reference, sampler, AttemptCounts, CircuitSamples, Shot};

/// Pooled statistics of one engine over the circuits of a configuration.
#[derive(Default)]
struct Pooled {
    errors: [u64; 3],
    depth_sum: [f64; 3],
    depth_sq: [f64; 3],
    shots: u64,
    attempts: Vec<AttemptCounts>,
}

impl Pooled {
    fn add(&mut self, s: &CircuitSamples) {
        for (i, shots) in [&s.direct, &s.monolithic, &s.distributed]
            .iter()
            .enumerate()
        {
            for sh in shots.iter() {
                let Shot {
                    logical_error,
                    depth,
                } = *sh;
                self.errors[i] += u64::from(logical_error);
                self.depth_sum[i] += f64::from(depth);
                self.depth_sq[i] += f64::from(depth) * f64::from(depth);
            }
        }
        self.shots += s.direct.len() as u64;
        if self.attempts.is_empty() {
            self.attempts = vec![AttemptCounts::default(); s.attempts.len()];
        }
        for (a, b) in self.attempts.iter_mut().zip(&s.attempts) {
            a.attempts += b.attempts;
            a.restarts += b.restarts;
        }
    }

    fn mean_var(&self, i: usize) -> (f64, f64) {
        let n = self.shots as f64;
        let m = self.depth_sum[i] / n;
        let v = (self.depth_sq[i] / n - m * m).max(0.0) * n / (n - 1.0);
        (m, v / n)
    }
}

fn z_prop(k1: u64, n1: u64, k2: u64, n2: u64) -> f64 {
    let (p1, p2) = (k1 as f64 / n1 as f64, k2 as f64 / n2 as f64);
    let var = p1 * (1.0 - p1) / n1 as f64 + p2 * (1.0 - p2) / n2 as f64;
    if var == 0.0 {
        return if p1 == p2 { 0.0 } else { f64::INFINITY };
    }
    (p1 - p2) / var.sqrt()
}

fn compare(name: &str, params: &Params) -> usize {
    let mut fast = Pooled::default();
    let mut slow = Pooled::default();
    for c in 0..params.circuits {
        let inst = Instance::generate(params, c);
        fast.add(&sampler::run_circuit(&inst, params, c).unwrap());
        slow.add(&reference::run_circuit(&inst, params, c).unwrap());
    }
    eprintln!(
        "{name}: p_L fast {:?} ref {:?} of {}; depth fast {:.1}/{:.1} ref {:.1}/{:.1}",
        fast.errors,
        slow.errors,
        fast.shots,
        fast.mean_var(1).0,
        fast.mean_var(2).0,
        slow.mean_var(1).0,
        slow.mean_var(2).0
    );
    let mut tests = 0;
    let names = ["direct", "monolithic", "distributed"];
    for (i, name_i) in names.iter().enumerate() {
        let z = z_prop(fast.errors[i], fast.shots, slow.errors[i], slow.shots);
        assert!(
            z.abs() < 4.0,
            "{name}: p_L {name_i} fast {}/{} reference {}/{} z = {z:.2}",
            fast.errors[i],
            fast.shots,
            slow.errors[i],
            slow.shots
        );
        let ((m1, v1), (m2, v2)) = (fast.mean_var(i), slow.mean_var(i));
        if v1 + v2 == 0.0 {
            assert_eq!(m1, m2, "{name}: depth {name_i}");
        } else {
            let z = (m1 - m2) / (v1 + v2).sqrt();
            assert!(
                z.abs() < 4.0,
                "{name}: mean depth {name_i} fast {m1:.2} reference {m2:.2} z = {z:.2}"
            );
        }
        tests += 2;
    }
    for (k, (a, b)) in fast.attempts.iter().zip(&slow.attempts).enumerate() {
        // The sampler counts each shot's shared attempts twice (monolithic and distributed).
        let z = z_prop(a.restarts / 2, a.attempts / 2, b.restarts, b.attempts);
        assert!(
            z.abs() < 4.0,
            "{name}: restart fraction of block {} fast {}/{} reference {}/{} z = {z:.2}",
            k + 1,
            a.restarts,
            a.attempts,
            b.restarts,
            b.attempts
        );
        tests += 1;
    }
    tests
}

fn base(n: u32, t: u32, r: u32, p: f64, tau_e: f64, seed: u64) -> Params {
    Params {
        n,
        t,
        r,
        p,
        tau_e,
        seed,
        circuits: 3,
        shots: 300,
        ..Default::default()
    }
}

#[test]
fn sampler_matches_reference_on_every_knob() {
    let mut cases: Vec<(&str, Params)> = vec![
        ("default n=4 t=2", base(4, 2, 3, 1e-2, 1.0, 1)),
        ("n=5 t=3 stall tau=10", base(5, 3, 2, 5e-3, 10.0, 2)),
        ("n=3 t=5 r=1 tau=2.5", base(3, 5, 1, 1e-2, 2.5, 3)),
        ("n=6 t=1 r=5", base(6, 1, 5, 4e-3, 1.0, 4)),
        ("n=4 t=2 r=0", base(4, 2, 0, 5e-3, 1.0, 5)),
    ];
    let mut p = base(4, 2, 3, 1e-2, 1.0, 6);
    p.knobs.idle_on_resource_during_rspv = false;
    cases.push(("K1 off", p));
    let mut p = base(5, 3, 2, 8e-3, 1.0, 7);
    p.knobs.check_kind = CheckKind::SingleQubit;
    cases.push(("single_qubit checks", p));
    let mut p = base(4, 2, 3, 1e-2, 1.0, 8);
    p.knobs.check_measurement = CheckMeasurement::Mx;
    cases.push(("mx", p));
    let mut p = base(5, 2, 2, 6e-3, 8.0, 9);
    p.knobs.input_timing = InputTiming::JustInTime;
    cases.push(("just_in_time stall", p));
    let mut p = base(4, 3, 2, 1e-2, 1.0, 10);
    p.knobs.correction_noise = CorrectionNoise::NoiselessFrame;
    cases.push(("noiseless_frame", p));
    let mut p = base(4, 2, 3, 5e-3, 1.0, 11);
    p.knobs.noise_model = NoiseModelKind::Uniform;
    cases.push(("uniform model", p));
    let mut p = base(4, 2, 3, 1e-2, 1.0, 12);
    p.knobs.restart_rule = RestartRule::EndOfRsv;
    cases.push(("end_of_rsv", p));
    let mut p = base(5, 2, 2, 6e-3, 12.0, 13);
    p.knobs.parallel_links = 2;
    cases.push(("parallel_links 2", p));
    let mut p = base(4, 2, 3, 8e-3, 1.0, 14);
    p.knobs.check_redraw = CheckRedraw::PerAttempt;
    cases.push(("per_attempt redraw", p));
    let mut p = base(3, 4, 2, 0.0, 5.0, 15);
    p.knobs.bell_start = 3.5;
    cases.push(("p=0 bell_start", p));
    let mut tests = 0;
    for (name, params) in &cases {
        params.validate().expect("valid test parameters");
        tests += compare(name, params);
    }
    assert!(tests > 100, "{tests} comparisons");
}

/// Issue 14: m parallel RSP&V instances (§15.4) and two-sided RSP (§15.5), alone and together,
/// at noise high enough that instances race and restarts are frequent.
#[test]
fn sampler_matches_reference_for_instances_and_two_sided_rsp() {
    let mut cases: Vec<(&str, Params)> = Vec::new();
    let mut p = base(4, 2, 3, 1.5e-2, 1.0, 31);
    p.knobs.instances = 2;
    cases.push(("m=2", p));
    let mut p = base(5, 3, 2, 1e-2, 9.0, 32);
    p.knobs.instances = 3;
    p.knobs.idle_on_resource_during_rspv = false;
    cases.push(("m=3 K1 off stall", p));
    let mut p = base(4, 2, 3, 1e-2, 1.0, 33);
    p.knobs.two_sided_rsp = true;
    cases.push(("two-sided", p));
    let mut p = base(6, 2, 2, 8e-3, 3.0, 34);
    p.knobs.two_sided_rsp = true;
    p.knobs.restart_rule = RestartRule::EndOfRsv;
    p.knobs.check_measurement = CheckMeasurement::Mx;
    cases.push(("two-sided end_of_rsv mx", p));
    let mut p = base(4, 3, 2, 1.2e-2, 2.0, 35);
    p.knobs.two_sided_rsp = true;
    p.knobs.instances = 2;
    p.knobs.check_redraw = CheckRedraw::PerAttempt;
    cases.push(("two-sided m=2 per_attempt", p));
    let mut tests = 0;
    for (name, params) in &cases {
        params.validate().expect("valid test parameters");
        tests += compare(name, params);
    }
    assert!(tests > 40, "{tests} comparisons");
}
