//! m parallel RSP&V instances (protocol.md §15.4, issue 14): the depth they save when restarts
//! are frequent, the qubits they cost, the T_1 record the minimum-links search reads, and the
//! Stim export of m attempts side by side.

use clinr_explorer::circuit::stim_text::{parse, StimOp};
use clinr_explorer::estimate::{simulate, QubitCounts};
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::params::Params;
use clinr_explorer::protocol::stim_export::export_rsp_attempt;
use clinr_explorer::sim::{reference, sampler, EngineKind};

fn high_p(m: u32) -> Params {
    let mut p = Params {
        n: 6,
        t: 3,
        r: 3,
        p: 0.02,
        circuits: 4,
        shots: 400,
        seed: 12,
        ..Default::default()
    };
    p.knobs.instances = m;
    p
}

/// With q_k around one half, the first of two instances is accepted much earlier than one
/// instance alone: the mean distributed and monolithic depths drop.
#[test]
fn two_instances_lower_the_mean_depth_when_restarts_are_frequent() {
    let one = simulate(&high_p(1), EngineKind::Fast, None, &mut |_| {}).unwrap();
    let two = simulate(&high_p(2), EngineKind::Fast, None, &mut |_| {}).unwrap();
    let q = &one.derived.restart_probability;
    assert!(
        q.iter().all(|&q| q > 0.3),
        "restarts are frequent: q_k = {q:?}"
    );
    for (name, d1, d2) in [
        (
            "distributed",
            one.results.distributed.depth.mean,
            two.results.distributed.depth.mean,
        ),
        (
            "monolithic",
            one.results.monolithic.depth.mean,
            two.results.monolithic.depth.mean,
        ),
    ] {
        eprintln!("{name}: mean depth m = 1 {d1:.1}, m = 2 {d2:.1}");
        assert!(d2 < 0.9 * d1, "{name}: m = 2 {d2} vs m = 1 {d1}");
    }
    // q_k is a property of one attempt: the same with one or two instances (within noise).
    for (a, b) in q.iter().zip(&two.derived.restart_probability) {
        assert!((a - b).abs() < 0.05, "q_k {a} vs {b}");
    }
    // The register cost, reported only when m > 1.
    assert!(one.derived.qubits.is_none());
    assert_eq!(
        two.derived.qubits,
        Some(QubitCounts {
            instances: 2,
            monolithic: 6 + 2 * 13,
            distributed_compute_per_qpu: 26,
            distributed_storage_per_qpu: 12,
            distributed_qpus: 4,
        })
    );
    let json = serde_json::to_value(&two).unwrap();
    assert_eq!(json["derived"]["qubits"]["monolithic"], 32);
    assert!(serde_json::to_value(&one).unwrap()["derived"]
        .get("qubits")
        .is_none());
}

/// Both engines record T_1 of every distributed sample, and it is the schedule's T_1.
#[test]
fn first_acceptance_histograms_are_the_schedules_t1() {
    let mut params = high_p(2);
    params.shots = 30;
    params.n = 4;
    let inst = Instance::generate(&params, 0);
    let fast = sampler::run_circuit(&inst, &params, 0).unwrap();
    let slow = reference::run_circuit(&inst, &params, 0).unwrap();
    for (samples, engine) in [(&fast, "fast"), (&slow, "reference")] {
        let mut want: Vec<(u32, u64)> = Vec::new();
        for shot in 0..params.shots {
            let run = match engine {
                "fast" => sampler::sample_run(&inst, &params, 0, shot),
                _ => reference::sample_run(&inst, &params, 0, shot),
            }
            .unwrap();
            let t1 = run.distributed.0.accepted[0];
            match want.binary_search_by_key(&t1, |&(t, _)| t) {
                Ok(i) => want[i].1 += 1,
                Err(i) => want.insert(i, (t1, 1)),
            }
        }
        assert_eq!(samples.first_acceptance, want, "{engine}");
        let total: u64 = samples.attempts_by_impl.iter().map(|c| c.attempts).sum();
        let pooled: u64 = samples.attempts.iter().map(|c| c.attempts).sum();
        assert_eq!(total, pooled, "{engine}: per-implementation counts add up");
    }
}

#[test]
fn stim_export_of_m_attempts_side_by_side() {
    let mut params = high_p(3);
    params.n = 4;
    let inst = Instance::generate(&params, 0);
    let text = export_rsp_attempt(&inst, &params, 2).unwrap();
    let c = parse(&text).expect("our parser reads it");
    let count = |op| c.instructions.iter().filter(|i| i.op == op).count();
    assert_eq!(count(StimOp::Detector), 3 * 3, "m × r detectors");
    assert_eq!(
        count(StimOp::ObservableInclude),
        3 * 2 * 4,
        "m × 2n observables"
    );
    assert_eq!(c.num_qubits(), 3 * 9);
    assert!(text.contains("DETECTOR(2, 1) rec[-1]"));
    // One TICK per layer, as with one instance: the copies run side by side.
    params.knobs.instances = 1;
    let single = export_rsp_attempt(&inst, &params, 2).unwrap();
    let ticks = |t: &str| t.lines().filter(|l| *l == "TICK").count();
    assert_eq!(ticks(&text), ticks(&single));
    assert!(
        !single.contains("DETECTOR("),
        "m = 1 keeps the plain detectors"
    );
}
