//! The fast exact sampler: fault signatures, sparse fault sampling and Pauli-frame assembly
//! through the [`Schedule`] (protocol.md §11.2).
//!
//! Per protocol sample:
//! 1. **Direct.** Faults of the direct operation list are drawn sparsely; the output frame is
//!    the XOR of their signatures ([`super::signatures`]).
//! 2. **Attempts.** For each block, attempts are drawn until one is accepted. An attempt's check
//!    outcomes and residual error A_res are the XOR of its faults' signatures; its first flipped
//!    check J stops it (faults after check J's measurement never reach checks ≤ J, so XORing
//!    the whole attempt is exact). The same attempts serve the monolithic and the distributed
//!    sample of a shot (each marginal is exact; sharing them makes the comparison sharper), and
//!    they come from their own streams `[ATTEMPTS, circuit, shot, k]`, which nothing else
//!    touches: sweeping τ_e or the link parameters reuses identical attempts.
//! 3. **Schedule.** [`Schedule::monolithic`] / [`Schedule::distributed`] place the attempts
//!    and injections in time; every idle window below is read from it.
//! 4. **Assembly.** For RSI k the input-side Pauli is G_k = data frame · A_res,k · (per-qubit
//!    input-side faults), the output frame is c_k(G_k) · B_k (protocol.md §4.5). All faults of
//!    one qubit i of one injection are independent Pauli channels, so they are composed exactly
//!    into one channel per qubit and side, and drawn by thinning (a geometric skip at the
//!    largest per-qubit rate, accepted with the qubit's own rate): cost ∝ faults, not n.
//!    The final teleportation maps its input frame to the output unchanged, plus its faults
//!    (protocol.md §8.6). A logical error is a non-zero final frame.
//!
//! The composed channels, per qubit i of one injection (index 0 = I, 1 = X, 2 = Z, 3 = Y):
//! - RSI input side (becomes c_k(·)): depolarizing over the data's wait and a_i's wait before
//!   its CX (`data_idle(i) + a_idle(i) − 1` layers, both "as themselves"); the CX fault
//!   P_d ⊗ P_a (Z part of P_d → Z_i, X part of P_a → X_i); H(d_i) fault X/Y → Z_i; a_i idle in
//!   layer L_i+1 X/Y → X_i; flip of m_i → Z_i; flip of m'_i → X_i.
//! - RSI output side (b, as itself): depolarizing over `out_idle(i)` layers and the correction
//!   layer. Under K9 `applied_paulis` qubit i's correction is non-identity with probability 3/4
//!   independently of everything else (Q is a uniform Pauli), so its noise is the mixture
//!   (3/4)·one-qubit + (1/4)·idle, itself depolarizing; under `noiseless_frame` it is idle.
//! - Teleportation (everything lands on f as itself): R(f_i) fault X/Y → X_i; remote CX fault
//!   P_o ⊗ P_f → P_f · Z_i^{[P_o has Z]}; H(o_i) fault X/Y → Z_i; flip of m_i → Z_i; o_i's wait
//!   and f_i's idle after its CX (`data_idle(i) + out_idle(i)` layers); the correction layer
//!   with (1/2)·one-qubit + (1/2)·idle.

use crate::noise::NoiseRates;
use crate::protocol::block::{Block, Instance};
use crate::protocol::params::{CheckRedraw, CorrectionNoise, Knobs, Params};
use crate::protocol::schedule::{
    started_attempts, Attempt, BlockTiming, Implementation, InjectionKind, InjectionSpan,
    LinkParams, Schedule,
};
use crate::rng::{self, tag, Rng};
use crate::sim::signatures::{
    attempt_table_into, direct_table_into, geometric_gap, SigTable, TableRates,
};
use crate::sim::{AttemptCounts, CircuitSamples, SampledRun, Shot, SimError, MAX_ATTEMPTS};
use rand::RngExt;

/// A one-qubit Pauli channel: probabilities of I, X, Z, Y (index = x | z << 1).
pub type Channel = [f64; 4];

/// The channel of two independent Pauli channels in sequence.
pub fn compose(a: &Channel, b: &Channel) -> Channel {
    let mut o = [0.0; 4];
    for (i, &pa) in a.iter().enumerate() {
        for (j, &pb) in b.iter().enumerate() {
            o[i ^ j] += pa * pb;
        }
    }
    o
}

/// Depolarizing: X, Y, Z each with q/3.
pub fn depolarizing(q: f64) -> Channel {
    [1.0 - q, q / 3.0, q / 3.0, q / 3.0]
}

/// Pauli `which` (1 = X, 2 = Z, 3 = Y) with probability p.
fn pauli_with(which: usize, p: f64) -> Channel {
    let mut c = [0.0; 4];
    c[0] = 1.0 - p;
    c[which] += p;
    c
}

/// Effect of a two-qubit depolarizing fault at rate `rate` after a CX whose 15 Paulis
/// (P_first ⊗ P_second, each with rate/15) map to `effect(p_first, p_second)` on the output.
fn two_qubit_effect(rate: f64, effect: impl Fn(usize, usize) -> usize) -> Channel {
    let mut c = [0.0; 4];
    c[0] = 1.0 - rate;
    for p1 in 0..4 {
        for p2 in 0..4 {
            if p1 != 0 || p2 != 0 {
                c[effect(p1, p2)] += rate / 15.0;
            }
        }
    }
    c
}

/// Probability that the channel applies a non-identity Pauli.
fn nontrivial(c: &Channel) -> f64 {
    c[1] + c[2] + c[3]
}

/// Signature tables and timings of one instance, built once and reused for every shot, every
/// p and every τ_e (they depend only on the circuit, the checks and the knobs K1, K3, K13).
pub struct Prepared<'a> {
    pub inst: &'a Instance,
    tables: Tables,
}

/// The tables of a [`Prepared`] without their instance: kept between circuits so the next
/// [`prepare_reusing`] rebuilds them in place instead of allocating megabytes afresh.
#[derive(Default)]
pub struct Tables {
    knobs: Knobs,
    direct: SigTable,
    blocks: Vec<BlockPrep>,
}

#[derive(Default)]
struct BlockPrep {
    timing: BlockTiming,
    /// The attempt table of the block's fixed checks; unused under K13 per_attempt, where
    /// every attempt has its own checks and table.
    table: SigTable,
}

impl Tables {
    /// Whether the blocks' attempt tables are built (the checks are fixed per circuit).
    fn fixed_checks(&self) -> bool {
        self.knobs.check_redraw == CheckRedraw::PerCircuit
    }
}

impl Prepared<'_> {
    /// The direct implementation's table.
    pub fn direct_table(&self) -> &SigTable {
        &self.tables.direct
    }

    /// Block k's (1-based) attempt table with its fixed checks (None under per-attempt redraw).
    pub fn attempt_table(&self, k: u32) -> Option<&SigTable> {
        let tables = &self.tables;
        tables
            .fixed_checks()
            .then_some(&tables.blocks[k as usize - 1].table)
    }

    /// Gives back the tables for reuse by the next [`prepare_reusing`].
    pub fn into_tables(self) -> Tables {
        self.tables
    }
}

/// Builds the signature tables of `inst` for the knobs of `params`.
pub fn prepare<'a>(inst: &'a Instance, params: &Params) -> Prepared<'a> {
    prepare_reusing(inst, params, Tables::default())
}

/// As [`prepare`], rebuilding `tables` (from an earlier instance) in place. The result does
/// not depend on what `tables` held.
pub fn prepare_reusing<'a>(
    inst: &'a Instance,
    params: &Params,
    mut tables: Tables,
) -> Prepared<'a> {
    let knobs = params.knobs;
    tables.knobs = knobs;
    let fixed = tables.fixed_checks();
    tables
        .blocks
        .resize_with(inst.blocks.len(), BlockPrep::default);
    for (b, bp) in inst.blocks.iter().zip(&mut tables.blocks) {
        bp.timing = b.timing(&knobs);
        if fixed {
            attempt_table_into(
                &mut bp.table,
                &b.attempt_ops_for(&b.checks, &knobs),
                &b.tableau,
            );
        }
    }
    direct_table_into(&mut tables.direct, &inst.direct_ops());
    Prepared { inst, tables }
}

/// Everything that depends on p and the knobs but not on the shot.
struct RunConsts {
    rates: NoiseRates,
    direct: TableRates,
    blocks: Vec<Option<TableRates>>,
    /// 1 − 4ε/3: the Pauli eigenvalue of one idle layer.
    idle_lambda: f64,
    rsi_in_mono: Channel,
    rsi_in_dist: Channel,
    rsi_out: Channel,
    teleport: Channel,
    links: LinkParams,
}

impl RunConsts {
    fn new(prep: &Prepared, params: &Params) -> Self {
        let rates = NoiseRates::for_params(params);
        let knobs = &params.knobs;
        let eps = rates.idle;
        let p1 = rates.one_qubit;
        let pm = rates.measurement;
        // X or Y part of a one-qubit depolarizing fault at rate p: probability 2p/3.
        let xy = |p: f64| 2.0 * p / 3.0;
        let rsi_in = |cx_rate: f64| {
            // P_d ⊗ P_a: Z part of P_d → Z_i (bit 1), X part of P_a → X_i (bit 0).
            let mut c = two_qubit_effect(cx_rate, |pd, pa| (pd & 2) | (pa & 1));
            c = compose(&c, &pauli_with(2, xy(p1))); // H(d_i) fault X/Y → Z_i
            c = compose(&c, &pauli_with(1, xy(eps))); // a_i idle in layer L_i+1, X/Y → X_i
            c = compose(&c, &pauli_with(2, pm)); // flip of m_i → Z_i
            compose(&c, &pauli_with(1, pm)) // flip of m'_i → X_i
        };
        let (corr_rsi, corr_tel) = match knobs.correction_noise {
            CorrectionNoise::AppliedPaulis => (0.75 * p1 + 0.25 * eps, 0.5 * p1 + 0.5 * eps),
            CorrectionNoise::NoiselessFrame => (eps, eps),
        };
        let mut teleport = pauli_with(1, xy(rates.prep)); // R(f_i) fault X/Y → X_i
        teleport = compose(
            &teleport,
            // P_o ⊗ P_f → P_f · Z_i if P_o has a Z part.
            &two_qubit_effect(rates.remote_two_qubit, |po, pf| pf ^ (po & 2)),
        );
        teleport = compose(&teleport, &pauli_with(2, xy(p1))); // H(o_i) fault X/Y → Z_i
        teleport = compose(&teleport, &pauli_with(2, pm)); // flip of m_i → Z_i
        teleport = compose(&teleport, &depolarizing(corr_tel));
        RunConsts {
            rates,
            direct: prep.tables.direct.rates(&rates),
            blocks: prep
                .tables
                .blocks
                .iter()
                .map(|b| prep.tables.fixed_checks().then(|| b.table.rates(&rates)))
                .collect(),
            idle_lambda: 1.0 - 4.0 * eps / 3.0,
            rsi_in_mono: rsi_in(rates.two_qubit),
            rsi_in_dist: rsi_in(rates.remote_two_qubit),
            rsi_out: depolarizing(corr_rsi),
            teleport,
            links: LinkParams {
                tau_e: params.tau_e,
                bell_start: knobs.bell_start,
                parallel_links: knobs.parallel_links,
            },
        }
    }
}

/// Reusable buffers of one run.
struct Scratch {
    /// Per block, per instance (m of them), the attempts drawn.
    attempts: Vec<Vec<Vec<Attempt>>>,
    /// A_res of each block's injected (first accepted) attempt: x half then z half.
    ares: Vec<Vec<u64>>,
    /// A_res of an instance i ≥ 2 until it turns out to be accepted first.
    ares_other: Vec<u64>,
    acc: Vec<u64>,
    frame_x: Vec<u64>,
    frame_z: Vec<u64>,
    g_x: Vec<u64>,
    g_z: Vec<u64>,
    /// The schedules of the current shot, rebuilt in place every shot.
    mono: Schedule,
    dist: Schedule,
    /// The attempt table of freshly drawn checks (K13 per_attempt), rebuilt per attempt.
    fresh: SigTable,
}

impl Scratch {
    fn new(prep: &Prepared) -> Self {
        let t = prep.inst.blocks.len();
        let half = prep.inst.n.div_ceil(64) as usize;
        Scratch {
            attempts: vec![Vec::new(); t],
            ares: vec![vec![0; 2 * half]; t],
            ares_other: vec![0; 2 * half],
            acc: Vec::new(),
            frame_x: vec![0; half],
            frame_z: vec![0; half],
            g_x: vec![0; half],
            g_z: vec![0; half],
            mono: Schedule::direct(prep.inst.n, 0),
            dist: Schedule::direct(prep.inst.n, 0),
            fresh: SigTable::default(),
        }
    }
}

/// `params.shots` samples of each implementation of one circuit instance.
pub fn run_circuit(
    inst: &Instance,
    params: &Params,
    circuit_index: u32,
) -> Result<CircuitSamples, SimError> {
    run_prepared(&prepare(inst, params), params, circuit_index)
}

/// As [`run_circuit`] with prebuilt tables (for sweeps of τ_e, p or the link parameters; the
/// knobs must be those given to [`prepare`]).
pub fn run_prepared(
    prep: &Prepared,
    params: &Params,
    circuit_index: u32,
) -> Result<CircuitSamples, SimError> {
    let mut out = run_prepared_points(prep, std::slice::from_ref(params), circuit_index)?;
    Ok(out.swap_remove(0))
}

/// Whether point `b` samples exactly the same direct, attempts and monolithic results as
/// point `a`: it differs from `a` only in the link parameters (τ_e, K bell_start,
/// parallel_links), which only the distributed schedule reads.
fn shares_attempts(a: &Params, b: &Params) -> bool {
    let mut b = *b;
    b.tau_e = a.tau_e;
    b.knobs.bell_start = a.knobs.bell_start;
    b.knobs.parallel_links = a.knobs.parallel_links;
    *a == b
}

/// [`run_prepared`] at several points of a sweep, shot by shot: each result equals
/// `run_prepared(prep, &points[i], circuit_index)`. Where consecutive points differ only in
/// the link parameters (a τ_e sweep), the direct, attempt and monolithic samples of a shot are
/// drawn once and only the distributed schedule and assembly are redone: common random numbers
/// make them identical anyway, so this changes no number and saves most of the work.
pub fn run_prepared_points(
    prep: &Prepared,
    points: &[Params],
    circuit_index: u32,
) -> Result<Vec<CircuitSamples>, SimError> {
    let knobs = &prep.tables.knobs;
    debug_assert!(
        points.iter().all(|p| knobs.idle_on_resource_during_rspv
            == p.knobs.idle_on_resource_during_rspv
            && knobs.check_measurement == p.knobs.check_measurement
            && knobs.check_redraw == p.knobs.check_redraw
            && knobs.two_sided_rsp == p.knobs.two_sided_rsp),
        "tables were prepared for other knobs"
    );
    let consts: Vec<RunConsts> = points.iter().map(|p| RunConsts::new(prep, p)).collect();
    let shared: Vec<bool> = (0..points.len())
        .map(|i| i > 0 && shares_attempts(&points[i - 1], &points[i]))
        .collect();
    let mut scratch = Scratch::new(prep);
    let t = prep.inst.blocks.len();
    let mut outs: Vec<CircuitSamples> = points
        .iter()
        .map(|p| {
            let shots = p.shots as usize;
            CircuitSamples {
                direct: Vec::with_capacity(shots),
                monolithic: Vec::with_capacity(shots),
                distributed: Vec::with_capacity(shots),
                attempts: vec![AttemptCounts::default(); t],
                ..Default::default()
            }
        })
        .collect();
    let max_shots = points.iter().map(|p| p.shots).max().unwrap_or(0);
    for shot in 0..max_shots {
        // (direct, monolithic) errors of the previous point at this shot, if it ran it.
        let mut previous: Option<(bool, bool)> = None;
        for (i, params) in points.iter().enumerate() {
            if shot >= params.shots {
                previous = None;
                continue;
            }
            let consts = &consts[i];
            let (d, m) = match previous {
                Some(dm) if shared[i] => dm,
                _ => sample_shared(prep, consts, params, circuit_index, shot, &mut scratch)?,
            };
            previous = Some((d, m));
            let di = sample_distributed(prep, consts, params, circuit_index, shot, &mut scratch);
            let out = &mut outs[i];
            out.direct.push(Shot {
                logical_error: d,
                depth: prep.inst.depth,
            });
            out.monolithic.push(Shot {
                logical_error: m,
                depth: scratch.mono.depth,
            });
            out.distributed.push(Shot {
                logical_error: di,
                depth: scratch.dist.depth,
            });
            // Pooled over both CliNR samples of the shot (which share their attempts).
            for (k, block) in scratch.attempts.iter().enumerate() {
                let (a, r) = started_attempts(block);
                out.attempts[k].attempts += 2 * a;
                out.attempts[k].restarts += 2 * r;
                for c in &mut out.attempts_by_impl {
                    c.attempts += a;
                    c.restarts += r;
                }
            }
            if let Some(&t_1) = scratch.dist.accepted.first() {
                out.record_first_acceptance(t_1);
            }
        }
    }
    Ok(outs)
}

/// One sample of each implementation, with its schedule (the same sample as shot `shot` of
/// [`run_circuit`]).
pub fn sample_run(
    inst: &Instance,
    params: &Params,
    circuit_index: u32,
    shot: u32,
) -> Result<SampledRun, SimError> {
    sample_run_prepared(&prepare(inst, params), params, circuit_index, shot)
}

/// An instance that owns its signature tables, for a view that samples one circuit again and
/// again while p or τ_e change (the ring: dragging τ_e re-samples every frame, and building
/// the tables was most of that cost — issue 13 item 9). Samples are those of [`sample_run`].
pub struct PreparedInstance {
    inst: Instance,
    tables: Tables,
}

impl PreparedInstance {
    /// Builds the tables of `inst` for the knobs of `params`.
    pub fn new(inst: Instance, params: &Params) -> PreparedInstance {
        let tables = prepare_reusing(&inst, params, Tables::default()).into_tables();
        PreparedInstance { inst, tables }
    }

    /// The instance.
    pub fn instance(&self) -> &Instance {
        &self.inst
    }

    /// [`sample_run`] of this instance; the tables are rebuilt first when the knobs of
    /// `params` differ from those they were built for.
    pub fn sample_run(
        &mut self,
        params: &Params,
        circuit_index: u32,
        shot: u32,
    ) -> Result<SampledRun, SimError> {
        let tables = std::mem::take(&mut self.tables);
        let prep = if tables.knobs == params.knobs {
            Prepared {
                inst: &self.inst,
                tables,
            }
        } else {
            prepare_reusing(&self.inst, params, tables)
        };
        let run = sample_run_prepared(&prep, params, circuit_index, shot);
        self.tables = prep.into_tables();
        run
    }
}

fn sample_run_prepared(
    prep: &Prepared,
    params: &Params,
    circuit_index: u32,
    shot: u32,
) -> Result<SampledRun, SimError> {
    let inst = prep.inst;
    let consts = RunConsts::new(prep, params);
    let mut s = Scratch::new(prep);
    let (d, m) = sample_shared(prep, &consts, params, circuit_index, shot, &mut s)?;
    let di = sample_distributed(prep, &consts, params, circuit_index, shot, &mut s);
    Ok(SampledRun {
        direct: (Schedule::direct(inst.n, inst.depth), d),
        monolithic: (s.mono, m),
        distributed: (s.dist, di),
    })
}

/// The direct sample, the attempts of every block (shared by both CliNR samples) and the
/// monolithic sample of one shot: (direct error, monolithic error). Leaves the attempts, their
/// A_res and the monolithic schedule in the scratch.
fn sample_shared(
    prep: &Prepared,
    consts: &RunConsts,
    params: &Params,
    circuit_index: u32,
    shot: u32,
    s: &mut Scratch,
) -> Result<(bool, bool), SimError> {
    let inst = prep.inst;
    let tables = &prep.tables;
    let (seed, ci, sh) = (params.seed, u64::from(circuit_index), u64::from(shot));
    // Direct.
    let mut rng = rng::stream(seed, &[tag::DIRECT, ci, sh]);
    s.acc.clear();
    s.acc.resize(tables.direct.words, 0);
    tables.direct.sample(&consts.direct, &mut rng, &mut s.acc);
    let direct_err = s.acc.iter().any(|&v| v != 0);
    // Attempts, shared by both CliNR samples. Instance i (0-based) of block k draws from its
    // own stream, [ATTEMPTS, circuit, shot, k] for i = 0 (as before instances existed) and
    // [ATTEMPTS, circuit, shot, k, i] otherwise. Instance 0 runs until accepted; a later
    // instance stops drawing once it can no longer be first (its elapsed time reached the
    // earliest acceptance so far: later attempts would start at or after T_k).
    let m = params.knobs.instances.max(1) as usize;
    for (k, bp) in tables.blocks.iter().enumerate() {
        let instances = &mut s.attempts[k];
        instances.resize_with(m, Vec::new);
        let mut first: Option<u32> = None;
        for (i, attempts) in instances.iter_mut().enumerate() {
            let kk = k as u64 + 1;
            let mut rng = match i {
                0 => rng::stream(seed, &[tag::ATTEMPTS, ci, sh, kk]),
                _ => rng::stream(seed, &[tag::ATTEMPTS, ci, sh, kk, i as u64]),
            };
            let ares = match i {
                0 => &mut s.ares[k][..],
                _ => &mut s.ares_other[..],
            };
            let accepted = sample_block(
                &inst.blocks[k],
                bp,
                consts.blocks[k].as_ref(),
                consts,
                params,
                &mut rng,
                first,
                attempts,
                ares,
                &mut s.acc,
                &mut s.fresh,
            )?;
            if let Some(at) = accepted {
                if first.is_none_or(|f| at < f) {
                    first = Some(at);
                    if i > 0 {
                        s.ares[k].copy_from_slice(&s.ares_other);
                    }
                }
            }
        }
    }
    let mut mono = std::mem::replace(&mut s.mono, Schedule::direct(0, 0));
    mono.monolithic_into(inst.n, &s.attempts, params.knobs.input_timing);
    let mut rng = rng::stream(seed, &[tag::ASSEMBLY, ci, sh, 0]);
    let mono_err = assemble(prep, consts, &mono, &mut rng, s);
    s.mono = mono;
    Ok((direct_err, mono_err))
}

/// The distributed sample of one shot over the attempts in the scratch (left by
/// [`sample_shared`]); leaves its schedule in the scratch.
fn sample_distributed(
    prep: &Prepared,
    consts: &RunConsts,
    params: &Params,
    circuit_index: u32,
    shot: u32,
    s: &mut Scratch,
) -> bool {
    let (ci, sh) = (u64::from(circuit_index), u64::from(shot));
    let mut dist = std::mem::replace(&mut s.dist, Schedule::direct(0, 0));
    dist.distributed_into(
        prep.inst.n,
        &s.attempts,
        params.knobs.input_timing,
        consts.links,
    );
    let mut rng = rng::stream(params.seed, &[tag::ASSEMBLY, ci, sh, 1]);
    let dist_err = assemble(prep, consts, &dist, &mut rng, s);
    s.dist = dist;
    dist_err
}

/// Draws the attempts of one instance of a block until acceptance; leaves them in `attempts`
/// and the accepted resource's A_res in `ares`, and returns the acceptance time relative to the
/// block's start. With `stop_at` = Some(T), stops (returning None) before starting an attempt
/// at or after T: the instance can no longer be accepted first. Gives up after
/// [`MAX_ATTEMPTS`] attempts. `table_rates` are those of `bp.table`, or None under K13
/// per_attempt (no fixed table).
#[allow(clippy::too_many_arguments)]
fn sample_block(
    block: &Block,
    bp: &BlockPrep,
    table_rates: Option<&TableRates>,
    consts: &RunConsts,
    params: &Params,
    rng: &mut Rng,
    stop_at: Option<u32>,
    attempts: &mut Vec<Attempt>,
    ares: &mut [u64],
    acc: &mut Vec<u64>,
    fresh_table: &mut SigTable,
) -> Result<Option<u32>, SimError> {
    attempts.clear();
    let rule = params.knobs.restart_rule;
    let mut elapsed = 0u32;
    loop {
        if stop_at.is_some_and(|t| elapsed >= t) {
            return Ok(None);
        }
        // K13 per_attempt: fresh checks, hence a fresh table (slow but exact).
        let fresh;
        let (table, rates, timing) = match table_rates {
            Some(r) => (&bp.table, r, &bp.timing),
            _ => {
                let checks = block.draw_checks(params.r, params.knobs.check_kind, rng);
                attempt_table_into(
                    fresh_table,
                    &block.attempt_ops_for(&checks, &params.knobs),
                    &block.tableau,
                );
                fresh = (
                    fresh_table.rates(&consts.rates),
                    block.timing_for(&checks, &params.knobs),
                );
                (&*fresh_table, &fresh.0, &fresh.1)
            }
        };
        acc.clear();
        acc.resize(table.words, 0);
        table.sample(rates, rng, acc);
        let checks = acc[0];
        if checks == 0 {
            attempts.push(Attempt::accepted(timing));
            ares.copy_from_slice(&acc[1..]);
            return Ok(Some(elapsed + timing.delta()));
        }
        let failed = Attempt::failed(timing, checks.trailing_zeros() + 1, rule);
        elapsed = elapsed.saturating_add(failed.duration());
        attempts.push(failed);
        if attempts.len() >= MAX_ATTEMPTS as usize {
            return Err(SimError::TooManyRestarts {
                block: block.k,
                attempts: MAX_ATTEMPTS,
            });
        }
    }
}

/// Pauli-frame assembly of one CliNR sample along its schedule; true on a logical error.
fn assemble(
    prep: &Prepared,
    consts: &RunConsts,
    sched: &Schedule,
    rng: &mut Rng,
    s: &mut Scratch,
) -> bool {
    let n = prep.inst.n;
    let half = s.frame_x.len();
    s.frame_x.fill(0);
    s.frame_z.fill(0);
    let lam = consts.idle_lambda;
    for inj in &sched.injections {
        match inj.kind {
            InjectionKind::Rsi(k) => {
                let ares = &s.ares[k as usize - 1];
                for i in 0..half {
                    s.g_x[i] = s.frame_x[i] ^ ares[i];
                    s.g_z[i] = s.frame_z[i] ^ ares[half + i];
                }
                let base = match sched.implementation {
                    Implementation::Distributed => &consts.rsi_in_dist,
                    _ => &consts.rsi_in_mono,
                };
                sample_qubit_channels(
                    rng,
                    n,
                    inj,
                    base,
                    lam,
                    |i| inj.data_idle(i) + inj.a_idle(i) - 1,
                    &mut s.g_x,
                    &mut s.g_z,
                );
                if s.g_x.iter().chain(&s.g_z).any(|&v| v != 0) {
                    prep.inst.blocks[k as usize - 1].tableau.conjugate_frame(
                        &s.g_x,
                        &s.g_z,
                        &mut s.frame_x,
                        &mut s.frame_z,
                    );
                } else {
                    s.frame_x.fill(0);
                    s.frame_z.fill(0);
                }
                sample_qubit_channels(
                    rng,
                    n,
                    inj,
                    &consts.rsi_out,
                    lam,
                    |i| inj.out_idle(i),
                    &mut s.frame_x,
                    &mut s.frame_z,
                );
            }
            InjectionKind::Teleport => sample_qubit_channels(
                rng,
                n,
                inj,
                &consts.teleport,
                lam,
                |i| inj.data_idle(i) + inj.out_idle(i),
                &mut s.frame_x,
                &mut s.frame_z,
            ),
        }
    }
    s.frame_x.iter().chain(&s.frame_z).any(|&v| v != 0)
}

/// For each qubit i of an injection, applies the channel `base` composed with `window(i)`
/// idle layers (Pauli eigenvalue `lam` each) to the frame, by thinning: candidates are drawn
/// by geometric skips at the largest per-qubit fault probability, and accepted with the
/// qubit's own. The windows depend on i only through L_i, so an injection that did not stall
/// (every L_i = S+1) has one channel for all qubits. The fault probability is affine in the
/// composed idle rate, hence monotone in the window: its largest value is at an extreme window.
#[allow(clippy::too_many_arguments)]
fn sample_qubit_channels(
    rng: &mut Rng,
    n: u32,
    inj: &InjectionSpan,
    base: &Channel,
    lam: f64,
    window: impl Fn(u32) -> u32,
    x: &mut [u64],
    z: &mut [u64],
) {
    let channel = |m: u32| {
        let q = 0.75 * (1.0 - lam.powi(m.min(i32::MAX as u32) as i32));
        compose(&depolarizing(q), base)
    };
    let uniform = !inj.stalled() || lam == 1.0;
    let (fixed, env) = if uniform {
        let c = channel(window(0));
        (c, nontrivial(&c))
    } else {
        let (mut lo, mut hi) = (u32::MAX, 0u32);
        for i in 0..n {
            let m = window(i);
            lo = lo.min(m);
            hi = hi.max(m);
        }
        let env = nontrivial(&channel(lo)).max(nontrivial(&channel(hi)));
        ([1.0, 0.0, 0.0, 0.0], env)
    };
    if env <= 0.0 {
        return;
    }
    let log1m = (-env).ln_1p();
    let mut pos = geometric_gap(rng, log1m);
    while pos < u64::from(n) {
        let i = pos as u32;
        let c = if uniform { fixed } else { channel(window(i)) };
        let u = rng.random::<f64>() * env;
        let p = if u < c[1] {
            1
        } else if u < c[1] + c[2] {
            2
        } else if u < c[1] + c[2] + c[3] {
            3
        } else {
            0
        };
        let (w, b) = ((i / 64) as usize, 1u64 << (i % 64));
        if p & 1 != 0 {
            x[w] ^= b;
        }
        if p & 2 != 0 {
            z[w] ^= b;
        }
        pos = pos
            .saturating_add(1)
            .saturating_add(geometric_gap(rng, log1m));
    }
}
