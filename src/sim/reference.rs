//! The reference simulator: every operation of every implementation stepped shot by shot on a
//! CHP stabilizer tableau, with real random noise draws, real check measurements and the real
//! feed-forward corrections (protocol.md §11.2, last paragraph). Slow and simple on purpose: it
//! is the oracle the fast sampler must match.
//!
//! One shot of one implementation uses one [`StabilizerSim`] holding every qubit of that
//! implementation plus a noiseless reference register R, Bell-paired with the input at the
//! start; the logical error is read by the Bell measurement of §11.3. Register layout (any
//! layout is equivalent for simulation, §3):
//!
//! | qubits | register |
//! |---|---|
//! | `0..n` | R (noiseless reference) |
//! | `n..2n` | d: the input (Q_0), or the direct implementation's data |
//! | `2n + ((k−1)m + i)(2n+1) ..` | instance i (0-based, m = `instances`) of block k's resource: a_j, b_j = a_j + n, anc = a + 2n (on Q_k) |
//! | `2n + t·m(2n+1) ..` | f: Q_0's fresh output qubits of the teleportation (distributed) |
//!
//! Timing is never computed here: RSP&V attempts are stepped from the block's [`OpList`], the
//! sampled attempts go into [`Schedule::monolithic`] / [`Schedule::distributed`], and every
//! idle window and injection is read back from the schedule's spans. Attempts of different
//! blocks act on disjoint qubits, so they are simulated block by block before the injections;
//! only each qubit's own operation order matters.

use crate::circuit::{Circuit, Gate};
use crate::noise::{NoiseClass, NoiseRates};
use crate::pauli::{Pauli1, PauliString};
use crate::protocol::block::{Block, Instance};
use crate::protocol::ops::{Op, OpKind, OpList};
use crate::protocol::params::{CheckRedraw, CorrectionNoise, Knobs, Params, RestartRule};
use crate::protocol::schedule::{
    started_attempts, Attempt, BlockTiming, Implementation, InjectionKind, InjectionSpan,
    LinkParams, Schedule,
};
use crate::protocol::stim_export::inverse_gate;
use crate::rng::{self, Rng};
use crate::sim::{AttemptCounts, CircuitSamples, SampledRun, Shot, SimError, MAX_ATTEMPTS};
use crate::stabilizer_sim::StabilizerSim;
use rand::RngExt;

/// The last tag of a shot's rng stream: which implementation it simulates.
pub fn impl_tag(which: Implementation) -> u64 {
    match which {
        Implementation::Direct => 0,
        Implementation::Monolithic => 1,
        Implementation::Distributed => 2,
    }
}

/// The rng stream of one shot of one implementation.
pub fn shot_stream(params: &Params, circuit_index: u32, shot: u32, which: Implementation) -> Rng {
    rng::stream(
        params.seed,
        &[
            rng::tag::SHOTS,
            u64::from(circuit_index),
            u64::from(shot),
            impl_tag(which),
        ],
    )
}

/// Noise rates per stage of a run. Normally all three are the rates of `params`; tests split
/// them to inject one fault class at a time.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StageRates {
    /// Inside RSP&V attempts.
    pub attempt: NoiseRates,
    /// Idle windows, RSI and the teleportation.
    pub inject: NoiseRates,
    /// The direct implementation.
    pub direct: NoiseRates,
}

impl StageRates {
    pub fn for_params(params: &Params) -> Self {
        let r = NoiseRates::for_params(params);
        StageRates {
            attempt: r,
            inject: r,
            direct: r,
        }
    }
}

/// One verification sequence of a block with what an attempt needs: its operations, its
/// stage lengths, and the noiseless outcome of each check.
#[derive(Clone, Debug)]
pub struct AttemptPlan {
    pub ops: OpList,
    /// The idle qubits of each layer of `ops`.
    pub idle: Vec<Vec<u32>>,
    pub timing: BlockTiming,
    /// Noiseless outcome of check j (record j−1); a check fails when its outcome differs.
    pub expected: Vec<bool>,
}

impl AttemptPlan {
    pub fn new(block: &Block, checks: &[PauliString], knobs: &Knobs) -> Self {
        let ops = block.attempt_ops_for(checks, knobs);
        let timing = block.timing_for(checks, knobs);
        let expected = noiseless_records(&ops);
        AttemptPlan {
            idle: ops.idle_by_layer(),
            ops,
            timing,
            expected,
        }
    }
}

/// Measurement records of an operation list run without noise. Every measurement of an
/// attempt is deterministic (a check measures a stabilizer of the resource), so the rng only
/// satisfies the simulator's signature.
pub fn noiseless_records(ops: &OpList) -> Vec<bool> {
    let mut sim = StabilizerSim::new(ops.num_qubits);
    let mut rng = rng::from_seed(0);
    let mut records = vec![false; ops.num_records as usize];
    for layer in ops.layers() {
        for op in layer {
            match op.kind {
                OpKind::Prep(q) => sim.reset(q, &mut rng),
                OpKind::Gate(g) => sim.apply(&g),
                OpKind::MeasureZ { qubit, record } => {
                    records[record as usize] = sim.measure_z(qubit, &mut rng)
                }
                OpKind::MeasureX { qubit, record } => {
                    records[record as usize] = sim.measure_x(qubit, &mut rng)
                }
            }
        }
    }
    records
}

/// A stabilizer state with noisy operations: each operation is followed by its channel
/// (protocol.md §9), drawn from the shot's rng.
pub struct Noisy<'a> {
    pub sim: &'a mut StabilizerSim,
    pub rng: &'a mut Rng,
}

impl Noisy<'_> {
    /// Applies X, Y or Z for `which` = 1, 2, 3 (0: nothing).
    fn pauli(&mut self, q: u32, which: u32) {
        match which {
            1 => self.sim.apply(&Gate::X(q)),
            2 => self.sim.apply(&Gate::Y(q)),
            3 => self.sim.apply(&Gate::Z(q)),
            _ => {}
        }
    }

    fn fires(&mut self, rate: f64) -> bool {
        rate > 0.0 && self.rng.random::<f64>() < rate
    }

    /// One-qubit depolarizing: X, Y, Z each with rate/3.
    pub fn depolarize1(&mut self, q: u32, rate: f64) {
        if self.fires(rate) {
            let w = self.rng.random_range(1u32..4);
            self.pauli(q, w);
        }
    }

    /// Two-qubit depolarizing: each of the 15 non-identity Paulis with rate/15.
    pub fn depolarize2(&mut self, a: u32, b: u32, rate: f64) {
        if self.fires(rate) {
            let k = self.rng.random_range(1u32..16);
            self.pauli(a, k & 3);
            self.pauli(b, k >> 2);
        }
    }

    /// `layers` single idle layers on q.
    pub fn idle(&mut self, q: u32, layers: u32, rate: f64) {
        if rate > 0.0 {
            for _ in 0..layers {
                self.depolarize1(q, rate);
            }
        }
    }

    /// A gate followed by depolarizing noise on its support.
    pub fn gate(&mut self, g: Gate, rate: f64) {
        self.sim.apply(&g);
        match g.qubits() {
            (a, None) => self.depolarize1(a, rate),
            (a, Some(b)) => self.depolarize2(a, b, rate),
        }
    }

    /// Preparation of |0⟩ followed by one-qubit depolarizing.
    pub fn prep(&mut self, q: u32, rate: f64) {
        self.sim.reset(q, self.rng);
        self.depolarize1(q, rate);
    }

    /// Z measurement whose recorded outcome flips with probability `flip`.
    pub fn measure_z(&mut self, q: u32, flip: f64) -> bool {
        self.sim.measure_z(q, self.rng) ^ self.fires(flip)
    }

    /// X measurement whose recorded outcome flips with probability `flip`.
    pub fn measure_x(&mut self, q: u32, flip: f64) -> bool {
        self.sim.measure_x(q, self.rng) ^ self.fires(flip)
    }

    /// One operation of an [`OpList`] on the register starting at `offset`, with its noise.
    pub fn op(&mut self, op: &Op, offset: u32, rates: &NoiseRates, records: &mut [bool]) {
        let rate = rates.rate(op.noise);
        match op.kind {
            OpKind::Prep(q) => self.prep(offset + q, rate),
            OpKind::Gate(g) => self.gate(g.map_qubits(|q| offset + q), rate),
            OpKind::MeasureZ { qubit, record } => {
                records[record as usize] = self.measure_z(offset + qubit, rate)
            }
            OpKind::MeasureX { qubit, record } => {
                records[record as usize] = self.measure_x(offset + qubit, rate)
            }
        }
    }

    /// One layer of an [`OpList`]: its operations, then one idle layer on each idle qubit
    /// (`idle`: the layer's entry of [`OpList::idle_by_layer`]).
    pub fn layer(
        &mut self,
        layer: &[Op],
        idle: &[u32],
        offset: u32,
        rates: &NoiseRates,
        records: &mut [bool],
    ) {
        for op in layer {
            self.op(op, offset, rates, records);
        }
        for &q in idle {
            self.idle(offset + q, 1, rates.rate(NoiseClass::Idle));
        }
    }
}

/// Steps one noisy RSP&V attempt on the register at `offset` (2n+1 qubits), stopping after
/// the first failing check under `FirstFailure`. Returns the attempt as the schedule needs it.
pub fn run_attempt(
    noisy: &mut Noisy<'_>,
    plan: &AttemptPlan,
    offset: u32,
    rates: &NoiseRates,
    rule: RestartRule,
) -> Attempt {
    let mut records = vec![false; plan.ops.num_records as usize];
    let mut failed: Option<u32> = None;
    let mut next_check = 0usize;
    let ends = &plan.ops.check_end_layers;
    for (li, (layer, idle)) in plan.ops.layers().zip(&plan.idle).enumerate() {
        noisy.layer(layer, idle, offset, rates, &mut records);
        while next_check < ends.len() && ends[next_check] == li as u32 + 1 {
            if failed.is_none() && records[next_check] != plan.expected[next_check] {
                failed = Some(next_check as u32 + 1);
            }
            next_check += 1;
        }
        if failed.is_some() && rule == RestartRule::FirstFailure {
            break;
        }
    }
    match failed {
        None => Attempt::accepted(&plan.timing),
        Some(j) => Attempt::failed(&plan.timing, j, rule),
    }
}

/// Attempts of one instance of a block until acceptance, on the register at `offset`, and the
/// acceptance time relative to the block's start. With `stop_at` = Some(T) it stops (returning
/// None) before starting an attempt at or after T, when the instance can no longer be accepted
/// first (protocol.md §15.4). Under K13 `per_attempt` each attempt draws fresh checks from the
/// shot's rng.
fn run_block(
    noisy: &mut Noisy<'_>,
    block: &Block,
    fixed: &AttemptPlan,
    params: &Params,
    offset: u32,
    rates: &NoiseRates,
    stop_at: Option<u32>,
) -> Result<(Vec<Attempt>, Option<u32>), SimError> {
    let mut out = Vec::new();
    let mut elapsed = 0u32;
    loop {
        if stop_at.is_some_and(|t| elapsed >= t) {
            return Ok((out, None));
        }
        let attempt = match params.knobs.check_redraw {
            CheckRedraw::PerCircuit => {
                run_attempt(noisy, fixed, offset, rates, params.knobs.restart_rule)
            }
            CheckRedraw::PerAttempt => {
                let checks = block.draw_checks(params.r, params.knobs.check_kind, noisy.rng);
                let plan = AttemptPlan::new(block, &checks, &params.knobs);
                run_attempt(noisy, &plan, offset, rates, params.knobs.restart_rule)
            }
        };
        let accepted = attempt.is_accepted();
        elapsed = elapsed.saturating_add(attempt.duration());
        out.push(attempt);
        if accepted {
            return Ok((out, Some(elapsed)));
        }
        if out.len() >= MAX_ATTEMPTS as usize {
            return Err(SimError::TooManyRestarts {
                block: block.k,
                attempts: MAX_ATTEMPTS,
            });
        }
    }
}

/// Applies the correction Pauli `q` on the register at `base` with the K9 noise: qubits with
/// a non-identity correction get one-qubit noise (default), the others one idle layer.
fn correction(
    noisy: &mut Noisy<'_>,
    q: &PauliString,
    base: u32,
    rates: &NoiseRates,
    knobs: &Knobs,
) {
    for i in 0..q.n() {
        let p = q.get(i);
        let rate = match (knobs.correction_noise, p) {
            (CorrectionNoise::AppliedPaulis, Pauli1::X | Pauli1::Y | Pauli1::Z) => rates.one_qubit,
            _ => rates.idle,
        };
        let which = match p {
            Pauli1::I => 0,
            Pauli1::X => 1,
            Pauli1::Y => 2,
            Pauli1::Z => 3,
        };
        noisy.pauli(base + i, which);
        noisy.depolarize1(base + i, rate);
    }
}

/// RSI k (protocol.md §4.4, §8.5) from the data register at `data` into block k's resource
/// at `res`, following the span's per-qubit layers and idle windows. The output is on b.
#[allow(clippy::too_many_arguments)]
fn inject_rsi(
    noisy: &mut Noisy<'_>,
    span: &InjectionSpan,
    block: &Block,
    data: u32,
    res: u32,
    cx_class: NoiseClass,
    rates: &NoiseRates,
    knobs: &Knobs,
) {
    let n = block.circuit.n;
    // ∏ X_i^{m'_i} Z_i^{m_i}
    let mut frame = PauliString::identity(n);
    for i in 0..n {
        let (d, a, b) = (data + i, res + i, res + n + i);
        noisy.idle(d, span.data_idle(i), rates.idle);
        // a_idle includes the H layer L_i + 1, after the CX.
        noisy.idle(a, span.a_idle(i).saturating_sub(1), rates.idle);
        noisy.gate(Gate::Cx(d, a), rates.rate(cx_class));
        noisy.gate(Gate::H(d), rates.one_qubit);
        noisy.idle(a, 1, rates.idle);
        let m = noisy.measure_z(d, rates.measurement);
        let m_prime = noisy.measure_z(a, rates.measurement);
        frame.set(i, Pauli1::from_bits(m_prime, m));
        noisy.idle(b, span.out_idle(i), rates.idle);
    }
    let q = block.tableau.conjugate(&frame);
    correction(noisy, &q, res + n, rates, knobs);
}

/// The final one-bit teleportation (protocol.md §8.6) of the output at `out` to fresh qubits
/// at `f`.
fn teleport(
    noisy: &mut Noisy<'_>,
    span: &InjectionSpan,
    n: u32,
    out: u32,
    f: u32,
    rates: &NoiseRates,
    knobs: &Knobs,
) {
    let mut z = PauliString::identity(n);
    for i in 0..n {
        let (o, fi) = (out + i, f + i);
        noisy.idle(o, span.data_idle(i), rates.idle);
        noisy.prep(fi, rates.prep);
        noisy.gate(Gate::Cx(o, fi), rates.remote_two_qubit);
        noisy.gate(Gate::H(o), rates.one_qubit);
        if noisy.measure_z(o, rates.measurement) {
            z.set(i, Pauli1::Z);
        }
        noisy.idle(fi, span.out_idle(i), rates.idle);
    }
    correction(noisy, &z, f, rates, knobs);
}

/// Noiseless Bell pairs (R_i, d_i) at the start (§11.3 step 1).
fn bell_pairs(sim: &mut StabilizerSim, n: u32, data: u32) {
    for i in 0..n {
        sim.apply(&Gate::H(i));
        sim.apply(&Gate::Cx(i, data + i));
    }
}

/// §11.3 steps 3–4: noiselessly undo C on the output at `out`, Bell-measure it against R;
/// a logical error iff any outcome is 1 (the outcomes are deterministic).
fn logical_error(sim: &mut StabilizerSim, rng: &mut Rng, circuit: &Circuit, out: u32) -> bool {
    let n = circuit.n;
    for g in circuit.gates.iter().rev() {
        sim.apply(&inverse_gate(g).map_qubits(|q| out + q));
    }
    let mut error = false;
    for i in 0..n {
        sim.apply(&Gate::Cx(i, out + i));
        sim.apply(&Gate::H(i));
        error |= sim.measure_z(i, rng);
        error |= sim.measure_z(out + i, rng);
    }
    error
}

/// What one CliNR shot produced.
#[derive(Clone, Debug, PartialEq)]
pub struct ShotResult {
    pub schedule: Schedule,
    pub logical_error: bool,
    /// The attempts of each block, per instance (m lists per block).
    pub attempts: Vec<Vec<Vec<Attempt>>>,
}

/// Everything of an instance that does not change between shots.
pub struct Prepared<'a> {
    pub inst: &'a Instance,
    pub params: &'a Params,
    /// Per block, the plan of its fixed verification sequence.
    pub plans: Vec<AttemptPlan>,
    pub rates: StageRates,
    /// The direct implementation's operations and the idle qubits of each of its layers.
    direct_ops: OpList,
    direct_idle: Vec<Vec<u32>>,
}

impl<'a> Prepared<'a> {
    pub fn new(inst: &'a Instance, params: &'a Params) -> Self {
        Self::with_rates(inst, params, StageRates::for_params(params))
    }

    pub fn with_rates(inst: &'a Instance, params: &'a Params, rates: StageRates) -> Self {
        let plans = inst
            .blocks
            .iter()
            .map(|b| AttemptPlan::new(b, &b.checks, &params.knobs))
            .collect();
        let direct_ops = inst.direct_ops();
        Prepared {
            inst,
            params,
            plans,
            rates,
            direct_idle: direct_ops.idle_by_layer(),
            direct_ops,
        }
    }

    /// One shot of the direct implementation: (logical error, schedule).
    pub fn direct(&self, rng: &mut Rng) -> (bool, Schedule) {
        let n = self.inst.n;
        let mut sim = StabilizerSim::new(2 * n);
        bell_pairs(&mut sim, n, n);
        {
            let mut noisy = Noisy {
                sim: &mut sim,
                rng: &mut *rng,
            };
            for (layer, idle) in self.direct_ops.layers().zip(&self.direct_idle) {
                noisy.layer(layer, idle, n, &self.rates.direct, &mut []);
            }
        }
        let err = logical_error(&mut sim, rng, &self.inst.circuit, n);
        (err, Schedule::direct(n, self.inst.depth))
    }

    /// One shot of monolithic or distributed CliNR. With m instances (protocol.md §15.4) each
    /// block has m resource registers; instance after instance, each runs attempts on its own
    /// register until accepted (an instance stops once it can no longer be first), and the
    /// first accepted one (ties: lowest index) is injected. The other registers are never
    /// touched again, so their state does not matter.
    pub fn clinr(&self, which: Implementation, rng: &mut Rng) -> Result<ShotResult, SimError> {
        let (inst, params) = (self.inst, self.params);
        let n = inst.n;
        let t = inst.blocks.len() as u32;
        let m = params.knobs.instances.max(1);
        // Register of instance i (0-based) of block k.
        let reg = |k: u32, i: u32| 2 * n + ((k - 1) * m + i) * (2 * n + 1);
        let f_base = 2 * n + t * m * (2 * n + 1);
        let total = match which {
            Implementation::Distributed => f_base + n,
            _ => f_base,
        };
        let mut sim = StabilizerSim::new(total);
        bell_pairs(&mut sim, n, n);
        let mut noisy = Noisy {
            sim: &mut sim,
            rng: &mut *rng,
        };
        let mut attempts: Vec<Vec<Vec<Attempt>>> = Vec::with_capacity(t as usize);
        let mut winners: Vec<u32> = Vec::with_capacity(t as usize);
        for (b, plan) in inst.blocks.iter().zip(&self.plans) {
            let mut block_attempts = Vec::with_capacity(m as usize);
            let mut first: Option<(u32, u32)> = None;
            for i in 0..m {
                let (list, accepted) = run_block(
                    &mut noisy,
                    b,
                    plan,
                    params,
                    reg(b.k, i),
                    &self.rates.attempt,
                    first.map(|(at, _)| at),
                )?;
                if let Some(at) = accepted {
                    if first.is_none_or(|(f, _)| at < f) {
                        first = Some((at, i));
                    }
                }
                block_attempts.push(list);
            }
            winners.push(first.map_or(0, |(_, i)| i));
            attempts.push(block_attempts);
        }
        let knobs = &params.knobs;
        let (schedule, cx_class) = match which {
            Implementation::Distributed => (
                Schedule::distributed(
                    n,
                    &attempts,
                    knobs.input_timing,
                    LinkParams {
                        tau_e: params.tau_e,
                        bell_start: knobs.bell_start,
                        parallel_links: knobs.parallel_links,
                    },
                ),
                NoiseClass::RemoteTwoQubit,
            ),
            _ => (
                Schedule::monolithic(n, &attempts, knobs.input_timing),
                NoiseClass::TwoQubit,
            ),
        };
        debug_assert!(schedule
            .accepted_instance
            .iter()
            .zip(&winners)
            .all(|(&s, &w)| s == w + 1));
        let rates = &self.rates.inject;
        let mut data = n;
        for span in &schedule.injections {
            match span.kind {
                InjectionKind::Rsi(k) => {
                    let block = &inst.blocks[k as usize - 1];
                    let res = reg(k, winners[k as usize - 1]);
                    inject_rsi(&mut noisy, span, block, data, res, cx_class, rates, knobs);
                    data = res + n;
                }
                InjectionKind::Teleport => {
                    teleport(&mut noisy, span, n, data, f_base, rates, knobs);
                    data = f_base;
                }
            }
        }
        let logical_error = logical_error(&mut sim, rng, &inst.circuit, data);
        Ok(ShotResult {
            schedule,
            logical_error,
            attempts,
        })
    }

    /// One isolated RSP&V attempt of block `k` (1-based) with all checks run, on its own
    /// 2n+1 qubits, followed by the noiseless decoding of the resource that the Stim export
    /// appends (C_k⁻¹ on b, CX(a_i → b_i), H(a_i), measure a and b). Returns (accepted,
    /// residual error): the residual error A_res is non-trivial iff any outcome is 1.
    pub fn attempt_with_residual(&self, k: u32, rng: &mut Rng) -> (bool, bool) {
        let block = &self.inst.blocks[k as usize - 1];
        let plan = &self.plans[k as usize - 1];
        let n = self.inst.n;
        let mut sim = StabilizerSim::new(2 * n + 1);
        let attempt = {
            let mut noisy = Noisy {
                sim: &mut sim,
                rng: &mut *rng,
            };
            run_attempt(
                &mut noisy,
                plan,
                0,
                &self.rates.attempt,
                RestartRule::EndOfRsv,
            )
        };
        for g in block.circuit.gates.iter().rev() {
            sim.apply(&inverse_gate(g).map_qubits(|q| n + q));
        }
        let mut residual = false;
        for i in 0..n {
            sim.apply(&Gate::Cx(i, n + i));
            sim.apply(&Gate::H(i));
        }
        for q in 0..2 * n {
            residual |= sim.measure_z(q, rng);
        }
        (attempt.is_accepted(), residual)
    }
}

/// All `params.shots` samples of each implementation of one circuit instance.
pub fn run_circuit(
    inst: &Instance,
    params: &Params,
    circuit_index: u32,
) -> Result<CircuitSamples, SimError> {
    run_circuit_with(&Prepared::new(inst, params), circuit_index)
}

/// [`run_circuit`] with prepared plans and (possibly split) rates.
pub fn run_circuit_with(
    prep: &Prepared<'_>,
    circuit_index: u32,
) -> Result<CircuitSamples, SimError> {
    let params = prep.params;
    let t = prep.inst.blocks.len();
    let mut out = CircuitSamples {
        attempts: vec![AttemptCounts::default(); t],
        ..Default::default()
    };
    for shot in 0..params.shots {
        let mut rng = shot_stream(params, circuit_index, shot, Implementation::Direct);
        let (err, schedule) = prep.direct(&mut rng);
        out.direct.push(Shot {
            logical_error: err,
            depth: schedule.depth,
        });
        for which in [Implementation::Monolithic, Implementation::Distributed] {
            let mut rng = shot_stream(params, circuit_index, shot, which);
            let res = prep.clinr(which, &mut rng)?;
            let by_impl =
                &mut out.attempts_by_impl[usize::from(which == Implementation::Distributed)];
            for (counts, attempts) in out.attempts.iter_mut().zip(&res.attempts) {
                let (a, r) = started_attempts(attempts);
                counts.attempts += a;
                counts.restarts += r;
                by_impl.attempts += a;
                by_impl.restarts += r;
            }
            if which == Implementation::Distributed {
                if let Some(&t_1) = res.schedule.accepted.first() {
                    out.record_first_acceptance(t_1);
                }
            }
            let s = Shot {
                logical_error: res.logical_error,
                depth: res.schedule.depth,
            };
            match which {
                Implementation::Monolithic => out.monolithic.push(s),
                _ => out.distributed.push(s),
            }
        }
    }
    Ok(out)
}

/// Sample `shot` of each implementation with its schedule (the same draws as in
/// [`run_circuit`]).
pub fn sample_run(
    inst: &Instance,
    params: &Params,
    circuit_index: u32,
    shot: u32,
) -> Result<SampledRun, SimError> {
    let prep = Prepared::new(inst, params);
    let mut rng = shot_stream(params, circuit_index, shot, Implementation::Direct);
    let (err, direct) = prep.direct(&mut rng);
    let clinr = |which| {
        let mut rng = shot_stream(params, circuit_index, shot, which);
        let r = prep.clinr(which, &mut rng)?;
        Ok::<_, SimError>((r.schedule, r.logical_error))
    };
    Ok(SampledRun {
        direct: (direct, err),
        monolithic: clinr(Implementation::Monolithic)?,
        distributed: clinr(Implementation::Distributed)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::params::NoiseModelKind;

    fn zero() -> NoiseRates {
        NoiseRates::new(NoiseModelKind::Uniform, 0.0)
    }

    fn small(shots: u32) -> Params {
        Params {
            n: 4,
            t: 2,
            r: 2,
            p: 0.0,
            tau_e: 3.5,
            shots,
            seed: 5,
            ..Default::default()
        }
    }

    fn errors(s: &[Shot]) -> usize {
        s.iter().filter(|s| s.logical_error).count()
    }

    #[test]
    fn rsi_measurement_flips_alone_cause_logical_errors() {
        let params = small(40);
        let inst = Instance::generate(&params, 0);
        let rates = StageRates {
            attempt: zero(),
            inject: NoiseRates {
                measurement: 0.2,
                ..zero()
            },
            direct: zero(),
        };
        let s = run_circuit_with(&Prepared::with_rates(&inst, &params, rates), 0).unwrap();
        assert_eq!(errors(&s.direct), 0);
        // A flipped m_i or m'_i is a mis-correction c(Z_i) or c(X_i): with 2n (+n) outcomes
        // flipping at 0.2, almost every shot fails.
        assert!(errors(&s.monolithic) > 30, "{}", errors(&s.monolithic));
        assert!(errors(&s.distributed) > 30, "{}", errors(&s.distributed));
        assert!(s.attempts.iter().all(|c| c.restarts == 0));
    }

    #[test]
    fn each_stage_noise_reaches_only_its_implementations() {
        let params = small(40);
        let inst = Instance::generate(&params, 0);
        // Remote gates only: distributed fails, monolithic (local CX) does not.
        let remote = StageRates {
            attempt: zero(),
            inject: NoiseRates {
                remote_two_qubit: 0.3,
                ..zero()
            },
            direct: zero(),
        };
        let s = run_circuit_with(&Prepared::with_rates(&inst, &params, remote), 0).unwrap();
        assert_eq!(errors(&s.monolithic), 0);
        assert!(errors(&s.distributed) > 5);
        // Direct noise only.
        let direct = StageRates {
            attempt: zero(),
            inject: zero(),
            direct: NoiseRates::new(NoiseModelKind::Uniform, 0.05),
        };
        let s = run_circuit_with(&Prepared::with_rates(&inst, &params, direct), 0).unwrap();
        assert!(errors(&s.direct) > 5);
        assert_eq!(errors(&s.monolithic) + errors(&s.distributed), 0);
        // Idle noise in the waiting windows only: the data idles through block 1's attempts.
        let idle = StageRates {
            attempt: zero(),
            inject: NoiseRates {
                idle: 0.05,
                ..zero()
            },
            direct: zero(),
        };
        let s = run_circuit_with(&Prepared::with_rates(&inst, &params, idle), 0).unwrap();
        assert!(errors(&s.monolithic) > 5);
        assert!(errors(&s.distributed) > 5);
        // Attempt noise only: restarts happen, and accepted resources can still be faulty.
        let attempt = StageRates {
            attempt: NoiseRates::new(NoiseModelKind::Uniform, 0.02),
            inject: zero(),
            direct: zero(),
        };
        let s = run_circuit_with(&Prepared::with_rates(&inst, &params, attempt), 0).unwrap();
        assert!(s.attempts.iter().all(|c| c.restarts > 0));
        assert_eq!(errors(&s.direct), 0);
    }

    #[test]
    fn check_expectations_are_deterministic_and_attempts_pass_noiselessly() {
        let params = small(1);
        let inst = Instance::generate(&params, 2);
        let prep = Prepared::new(&inst, &params);
        let mut rng = rng::from_seed(9);
        for k in 1..=2 {
            for _ in 0..5 {
                assert_eq!(prep.attempt_with_residual(k, &mut rng), (true, false));
            }
        }
    }
}
