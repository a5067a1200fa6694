//! The schedule of one sampled run: the only model of time in the program.
//!
//! A [`Schedule`] says when every stage of an implementation happens in one protocol sample:
//! each RSP&V attempt of each block (with its stage boundaries and the check that stopped it),
//! each acceptance time T_k, each injection (RSI k, and the final teleportation of distributed
//! CliNR) with its start S, per-qubit remote-gate layers L_i and end E, and every Bell pair on
//! every link (when ready, when consumed). The simulators read their idle windows from it, the
//! depth is its makespan, the bounds use its stage lengths, and the browser animates it.
//!
//! Time is counted in layers (protocol.md §0): "at time T" means after layer T; layer L runs
//! from time L−1 to time L. Builders take the attempt outcomes a simulator sampled, so the
//! same function computes the timing for the reference simulator, the fast sampler and the
//! animation.

use crate::protocol::params::{InputTiming, RestartRule};
use serde::{Deserialize, Serialize};

/// Which implementation of C a schedule belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Implementation {
    Direct,
    Monolithic,
    Distributed,
}

impl Implementation {
    pub const ALL: [Implementation; 3] = [
        Implementation::Direct,
        Implementation::Monolithic,
        Implementation::Distributed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Implementation::Direct => "direct",
            Implementation::Monolithic => "monolithic",
            Implementation::Distributed => "distributed",
        }
    }
}

/// Stage lengths of one RSP&V attempt of a block: RSP (Δ_k + 3, or ⌈Δ_k/2⌉ + 3 with two-sided
/// RSP) and each check (w_j + 4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockTiming {
    /// Depth of RSP: 3 + max(rsp_sides): Δ_k + 3 one-sided.
    pub rsp: u32,
    /// Depth of each check j = 1..r: w_j + 4 (or w_j + 3 with M_X).
    pub checks: Vec<u32>,
    /// Circuit layers of RSP on (the a side, the b side) after the 3 Bell-pair layers:
    /// (0, Δ_k) one-sided; (layers of A^T, layers of B) two-sided (protocol.md §15.5). Only the
    /// animation reads them; `rsp` is the stage length.
    pub rsp_sides: (u32, u32),
}

impl BlockTiming {
    /// δ_k: the duration of an attempt that runs all r checks.
    pub fn delta(&self) -> u32 {
        self.rsp + self.checks.iter().sum::<u32>()
    }
}

/// One RSP&V attempt as a simulator sampled it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attempt {
    /// RSP depth of this attempt.
    pub rsp: u32,
    /// [`BlockTiming::rsp_sides`] of this attempt.
    pub rsp_sides: (u32, u32),
    /// Depth of each of the r checks of this attempt's verification sequence.
    pub checks: Vec<u32>,
    /// How many checks ran: up to the first failure (early stop) or all r.
    pub checks_run: u32,
    /// The first failing check (1-based), if any; `None` means accepted.
    pub failed_check: Option<u32>,
}

impl Attempt {
    /// An attempt whose checks all passed.
    pub fn accepted(timing: &BlockTiming) -> Self {
        Attempt {
            rsp: timing.rsp,
            rsp_sides: timing.rsp_sides,
            checks: timing.checks.clone(),
            checks_run: timing.checks.len() as u32,
            failed_check: None,
        }
    }

    /// An attempt whose first failing check is `j` (1-based). Under `FirstFailure` it stops
    /// there; under `EndOfRsv` it runs all checks before restarting.
    pub fn failed(timing: &BlockTiming, j: u32, rule: RestartRule) -> Self {
        let r = timing.checks.len() as u32;
        debug_assert!(j >= 1 && j <= r);
        Attempt {
            rsp: timing.rsp,
            rsp_sides: timing.rsp_sides,
            checks: timing.checks.clone(),
            checks_run: match rule {
                RestartRule::FirstFailure => j.min(r),
                RestartRule::EndOfRsv => r,
            },
            failed_check: Some(j),
        }
    }

    pub fn is_accepted(&self) -> bool {
        self.failed_check.is_none()
    }

    /// Layers this attempt occupies.
    pub fn duration(&self) -> u32 {
        self.rsp + self.checks[..self.checks_run as usize].iter().sum::<u32>()
    }
}

/// An attempt placed in time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSpan {
    /// Block k (1-based); it runs on QPU Q_k in distributed CliNR.
    pub block: u32,
    /// The instance (1..=m) of block k's RSP&V that ran it (protocol.md §15.4); 1 when m = 1.
    pub instance: u32,
    /// Attempt number (1-based) within its instance.
    pub attempt: u32,
    /// Its first layer is `start + 1`.
    pub start: u32,
    /// Time the a side's and the b side's RSP circuit end (start + 3 + `rsp_sides`): with
    /// one-sided RSP the a side ends with the Bell pairs at start + 3 and the b side at
    /// `rsp_end`; with two-sided RSP A^T and B run in parallel from start + 3.
    pub rsp_a_end: u32,
    pub rsp_b_end: u32,
    /// Time RSP ends (= start + Δ_k + 3, or start + ⌈Δ_k/2⌉ + 3 two-sided).
    pub rsp_end: u32,
    /// Time each check that ran ends (for an abandoned attempt: each check that had started,
    /// at the time it would have ended).
    pub check_ends: Vec<u32>,
    /// Time the attempt ends (accepted, discarded at a failed check, or abandoned).
    pub end: u32,
    /// First failing check (1-based), or `None` if the resource is (or, for an abandoned
    /// attempt, would have been) accepted. For an abandoned attempt this is the outcome its
    /// sampled faults decide; the check itself may not have run.
    pub failed_check: Option<u32>,
    /// The attempt was cut off at T_k because another instance of its block was accepted first
    /// (or at the same time, with a lower index): its resource is discarded and `end` = T_k.
    /// Always false when m = 1.
    pub abandoned: bool,
}

impl AttemptSpan {
    /// A check failed and restarted this attempt's instance (not an abandoned attempt).
    pub fn restarted(&self) -> bool {
        self.failed_check.is_some() && !self.abandoned
    }

    /// Its resource was accepted and injected.
    pub fn accepted(&self) -> bool {
        self.failed_check.is_none() && !self.abandoned
    }
}

/// The sampled attempts of one block, as the schedule builders take them: the attempts of each
/// of its m instances (protocol.md §15.4) in time order. A `Vec<Attempt>` is a single instance
/// (m = 1), a `Vec<Vec<Attempt>>` one list per instance.
///
/// An instance's list ends with its first accepted attempt, or earlier (with a failed attempt)
/// when the simulator stopped drawing because the instance could no longer be first: attempts
/// that would start at or after T_k never run. At least one instance must end accepted.
pub trait BlockAttempts {
    fn instances(&self) -> &[Vec<Attempt>];
}

impl BlockAttempts for Vec<Attempt> {
    fn instances(&self) -> &[Vec<Attempt>] {
        std::slice::from_ref(self)
    }
}

impl BlockAttempts for Vec<Vec<Attempt>> {
    fn instances(&self) -> &[Vec<Attempt>] {
        self
    }
}

/// (attempts, restarts) of one block's sample as the restart probability q_k counts them: every
/// attempt that started before T_k, over all instances, and those among them whose sampled
/// faults fail a check. With m = 1 that is every attempt and all but the last. An attempt cut
/// off at T_k (m > 1) counts with the outcome its faults decide: whether an attempt starts
/// before T_k is known when it starts, so its outcome is an unbiased draw (Wald's identity);
/// counting only completed attempts would bias q_k upwards, since accepted attempts are the
/// longest.
pub fn started_attempts(instances: &[Vec<Attempt>]) -> (u64, u64) {
    if let [only] = instances {
        let a = only.len() as u64;
        return (a, only.iter().filter(|x| !x.is_accepted()).count() as u64);
    }
    let t_k = first_accepted(instances).map_or(u32::MAX, |(t, _)| t);
    let (mut attempts, mut restarts) = (0u64, 0u64);
    for inst in instances {
        let mut now = 0u32;
        for a in inst {
            if now >= t_k {
                break;
            }
            attempts += 1;
            restarts += u64::from(!a.is_accepted());
            now += a.duration();
        }
    }
    (attempts, restarts)
}

/// Acceptance time of a block's RSP&V relative to its start, and the instance (0-based) whose
/// resource is injected: the earliest accepted instance, ties to the lowest index (§15.4).
/// Returns None if no instance has an accepted attempt.
pub fn first_accepted(instances: &[Vec<Attempt>]) -> Option<(u32, usize)> {
    let mut best: Option<(u32, usize)> = None;
    for (i, attempts) in instances.iter().enumerate() {
        let mut now = 0u32;
        for a in attempts {
            now += a.duration();
            if a.is_accepted() {
                if best.is_none_or(|(b, _)| now < b) {
                    best = Some((now, i));
                }
                break;
            }
        }
    }
    best
}

/// What an injection span does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "block")]
pub enum InjectionKind {
    /// RSI k: injects C_k into the data (block index 1-based).
    Rsi(u32),
    /// Final teleportation Q_t → Q_0 (distributed only).
    Teleport,
}

/// One RSI or teleportation placed in time (protocol.md §8.5, §8.6).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InjectionSpan {
    pub kind: InjectionKind,
    /// Time the data register finished its previous operation ("ready" in §8.5).
    pub data_ready: u32,
    /// T: acceptance time of the injected resource (= start for the teleportation).
    pub resource_ready: u32,
    /// S: the injection's first layer is S + 1.
    pub start: u32,
    /// L_i (i = 1..n, stored 0-based): layer of qubit i's (remote) CX.
    pub cx_layers: Vec<u32>,
    /// E = max_i L_i + 3: the correction layer, and the end time.
    pub end: u32,
    /// Index ℓ of the ring link whose pairs it consumes (distributed only).
    pub link: Option<u32>,
}

impl InjectionSpan {
    /// True when the injection waited for Bell pairs (longer than its 4 layers).
    pub fn stalled(&self) -> bool {
        self.end - self.start > 4
    }

    /// Layers the injection waits for Bell pairs: the length of its stall span
    /// [S, max_i L_i − 1), which is E − S − 4 (0 when every pair was there at S).
    pub fn pair_wait(&self) -> u32 {
        (self.end - self.start).saturating_sub(4)
    }

    /// Layers of qubit i's data idling before its CX: `data_ready+1 ..= L_i−1`.
    pub fn data_idle(&self, i: u32) -> u32 {
        span_len(self.data_ready + 1, self.cx_layers[i as usize] - 1)
    }

    /// Layers resource qubit a_i idles: `T+1 ..= L_i−1`, plus layer L_i+1 (while H acts on
    /// d_i). Zero for the teleportation, which has no a register.
    pub fn a_idle(&self, i: u32) -> u32 {
        match self.kind {
            InjectionKind::Rsi(_) => {
                span_len(self.resource_ready + 1, self.cx_layers[i as usize] - 1) + 1
            }
            InjectionKind::Teleport => 0,
        }
    }

    /// Layers the output qubit i idles before the correction layer: for RSI, b_i in
    /// `T+1 ..= E−1`; for the teleportation, f_i in `L_i+1 ..= E−1`.
    pub fn out_idle(&self, i: u32) -> u32 {
        match self.kind {
            InjectionKind::Rsi(_) => span_len(self.resource_ready + 1, self.end - 1),
            InjectionKind::Teleport => span_len(self.cx_layers[i as usize] + 1, self.end - 1),
        }
    }
}

/// Number of layers in `from ..= to` (0 when empty).
pub fn span_len(from: u32, to: u32) -> u32 {
    if to >= from {
        to - from + 1
    } else {
        0
    }
}

/// Bell-pair generation on one ring link.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkSpan {
    /// ℓ: link ℓ_k joins Q_{k−1} and Q_k for k = 1..t; ℓ_0 joins Q_t and Q_0.
    pub link: u32,
    /// The two QPUs it joins.
    pub qpus: (u32, u32),
    /// k: Bell-pair generators on this link, each producing one pair per τ_e (paper §V).
    pub generators: u32,
    /// Exact time the generation of pair j (1-based, stored 0-based) starts:
    /// bell_start + (⌈j/k⌉ − 1)·τ_e. Pairs j with `pair_started[j] ≤ τ < pair_ready[j]` are in
    /// flight at τ: at most k of them, one per generator.
    pub pair_started: Vec<f64>,
    /// Exact time pair j (1-based, stored 0-based) is ready: bell_start + ⌈j/k⌉·τ_e.
    pub pair_ready: Vec<f64>,
    /// First layer in which pair j can be used: ⌈ready⌉ + 1.
    pub pair_usable: Vec<u32>,
    /// Layer of the remote gate that consumes pair j.
    pub pair_consumed: Vec<u32>,
}

impl LinkSpan {
    /// Pairs held in storage at time `time` (ready and not yet consumed).
    pub fn stored_at(&self, time: f64) -> u32 {
        self.pair_ready
            .iter()
            .zip(&self.pair_consumed)
            .filter(|(&ready, &used)| ready <= time && f64::from(used) > time)
            .count() as u32
    }

    /// The pairs being generated at `time`, as (pair index 1-based, fraction done in [0, 1)):
    /// at most k of them, one per generator.
    pub fn in_flight_at(&self, time: f64) -> impl Iterator<Item = (u32, f64)> + '_ {
        self.pair_started
            .iter()
            .zip(&self.pair_ready)
            .enumerate()
            .filter(move |(_, (&s, &r))| s <= time && time < r)
            .map(move |(j, (&s, &r))| (j as u32 + 1, ((time - s) / (r - s)).clamp(0.0, 1.0)))
    }
}

/// Bell-pair generation parameters of the ring.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LinkParams {
    /// τ_e: layers per Bell pair per generator.
    pub tau_e: f64,
    /// Time all links start generating (K11).
    pub bell_start: f64,
    /// k: generators per link working in parallel (paper §V).
    pub parallel_links: u32,
}

impl LinkParams {
    /// Exact time pair j (1-based) of a link is ready: the k generators work in lockstep from
    /// `bell_start`, so pairs (r−1)k+1 ..= rk are ready at bell_start + r·τ_e (protocol.md §13,
    /// §15.6: k generators divide the effective τ_e by k).
    pub fn pair_ready(&self, j: u32) -> f64 {
        let k = self.parallel_links.max(1);
        self.bell_start + f64::from(j.div_ceil(k)) * self.tau_e
    }

    /// Exact time the generation of pair j (1-based) starts: one τ_e before it is ready.
    pub fn pair_started(&self, j: u32) -> f64 {
        let k = self.parallel_links.max(1);
        self.bell_start + f64::from(j.div_ceil(k) - 1) * self.tau_e
    }

    /// The layers distributed CliNR waits for Bell pairs in a run whose block 1 was accepted at
    /// T_1 = `t_1`, on links of n pairs: max(0, U_n − T_1 − 1), where U_n is the first layer
    /// pair n can be used. Every link generates identically from `bell_start`, so only RSI 1
    /// can wait (protocol.md §8.7) and this equals [`Schedule::pair_wait`] of the run's
    /// distributed schedule (tested), at a cost independent of n and t.
    pub fn first_rsi_wait(&self, n: u32, t_1: u32) -> u32 {
        if n == 0 {
            return 0;
        }
        self.pair_usable(n).saturating_sub(t_1 + 1)
    }

    /// First layer in which pair j can be used: ⌈ready⌉ + 1. A tolerance of 1e-9 absorbs
    /// floating-point error in j·τ_e (τ_e = 0.1 makes 30·0.1 = 3.0000000000000004).
    pub fn pair_usable(&self, j: u32) -> u32 {
        let ready = self.pair_ready(j);
        (ready - 1e-9).ceil().max(0.0) as u32 + 1
    }
}

/// The timing of one sampled run of one implementation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Schedule {
    pub implementation: Implementation,
    /// n: qubits of the circuit.
    pub n: u32,
    /// t: blocks (0 for direct).
    pub t: u32,
    /// Every RSP&V attempt, block by block, in time order within a block.
    pub attempts: Vec<AttemptSpan>,
    /// T_k: acceptance time of block k's resource (0-based index k−1).
    pub accepted: Vec<u32>,
    /// The instance (1..=m) whose resource block k injects (0-based index k−1); all 1 when
    /// m = 1.
    pub accepted_instance: Vec<u32>,
    /// RSI 1..t in order, then the teleportation (distributed).
    pub injections: Vec<InjectionSpan>,
    /// Ring links ℓ_0..ℓ_t (distributed only).
    pub links: Vec<LinkSpan>,
    /// Makespan in layers: the implementation's depth in this sample.
    pub depth: u32,
}

impl Schedule {
    /// The direct implementation: the ASAP layers of C, depth Δ.
    pub fn direct(n: u32, circuit_depth: u32) -> Schedule {
        Schedule {
            implementation: Implementation::Direct,
            n,
            t: 0,
            attempts: Vec::new(),
            accepted: Vec::new(),
            accepted_instance: Vec::new(),
            injections: Vec::new(),
            links: Vec::new(),
            depth: circuit_depth,
        }
    }

    /// Monolithic CliNR_{t,r} (protocol.md §7): block k's attempts run back to back after RSI
    /// k−1, then RSI k takes 4 layers with local CX. With m instances (§15.4) all m start
    /// after RSI k−1 on their own registers, and RSI k injects the first accepted one.
    pub fn monolithic<B: BlockAttempts>(n: u32, attempts: &[B], input: InputTiming) -> Schedule {
        let mut s = Schedule::direct(n, 0);
        s.monolithic_into(n, attempts, input);
        s
    }

    /// [`Schedule::monolithic`] written into `self`, reusing its allocations (for samplers that
    /// build one schedule per shot). The result equals `Schedule::monolithic(..)`.
    pub fn monolithic_into<B: BlockAttempts>(
        &mut self,
        n: u32,
        attempts: &[B],
        input: InputTiming,
    ) {
        let t = attempts.len() as u32;
        self.implementation = Implementation::Monolithic;
        self.n = n;
        self.t = t;
        self.accepted.clear();
        self.accepted_instance.clear();
        self.links.clear();
        let mut used_spans = 0;
        let mut end_prev = 0u32;
        for (k, block_attempts) in attempts.iter().enumerate() {
            let (t_k, winner) = place_attempts(
                k as u32 + 1,
                end_prev,
                block_attempts.instances(),
                &mut self.attempts,
                &mut used_spans,
            );
            self.accepted.push(t_k);
            self.accepted_instance.push(winner);
            let data_ready = match (k, input) {
                (0, InputTiming::JustInTime) => t_k,
                _ => end_prev,
            };
            let span = injection_slot(&mut self.injections, k);
            span.kind = InjectionKind::Rsi(k as u32 + 1);
            span.data_ready = data_ready;
            span.resource_ready = t_k;
            span.start = t_k;
            span.cx_layers.clear();
            span.cx_layers.resize(n as usize, t_k + 1);
            span.end = t_k + 4;
            span.link = None;
            end_prev = span.end;
        }
        self.attempts.truncate(used_spans);
        self.injections.truncate(t as usize);
        self.depth = end_prev;
    }

    /// Distributed CliNR_{t,r} on a ring of t+1 QPUs (protocol.md §8): parallel RSP&V from
    /// time 0, the ready-for-injection rule, RSI with partial Bell pairs, final teleportation.
    pub fn distributed<B: BlockAttempts>(
        n: u32,
        attempts: &[B],
        input: InputTiming,
        links: LinkParams,
    ) -> Schedule {
        let mut s = Schedule::direct(n, 0);
        s.distributed_into(n, attempts, input, links);
        s
    }

    /// [`Schedule::distributed`] written into `self`, reusing its allocations. The result
    /// equals `Schedule::distributed(..)`.
    pub fn distributed_into<B: BlockAttempts>(
        &mut self,
        n: u32,
        attempts: &[B],
        input: InputTiming,
        links: LinkParams,
    ) {
        let t = attempts.len() as u32;
        self.implementation = Implementation::Distributed;
        self.n = n;
        self.t = t;
        self.accepted.clear();
        self.accepted_instance.clear();
        let mut used_spans = 0;
        for (k, block_attempts) in attempts.iter().enumerate() {
            let (t_k, winner) = place_attempts(
                k as u32 + 1,
                0,
                block_attempts.instances(),
                &mut self.attempts,
                &mut used_spans,
            );
            self.accepted.push(t_k);
            self.accepted_instance.push(winner);
        }
        self.attempts.truncate(used_spans);
        // Link ℓ_0 holds the pair times (every link generates identically).
        self.links.truncate(t as usize + 1);
        while self.links.len() < t as usize + 1 {
            self.links.push(LinkSpan {
                link: 0,
                qpus: (0, 0),
                generators: 1,
                pair_started: Vec::new(),
                pair_ready: Vec::new(),
                pair_usable: Vec::new(),
                pair_consumed: Vec::new(),
            });
        }
        {
            let l0 = &mut self.links[0];
            l0.generators = links.parallel_links.max(1);
            l0.pair_started.clear();
            l0.pair_started
                .extend((1..=n).map(|j| links.pair_started(j)));
            l0.pair_ready.clear();
            l0.pair_ready.extend((1..=n).map(|j| links.pair_ready(j)));
            l0.pair_usable.clear();
            l0.pair_usable.extend((1..=n).map(|j| links.pair_usable(j)));
        }
        let inject = |span: &mut InjectionSpan,
                      usable: &[u32],
                      kind,
                      data_ready,
                      resource_ready,
                      start: u32,
                      link| {
            span.kind = kind;
            span.data_ready = data_ready;
            span.resource_ready = resource_ready;
            span.start = start;
            span.cx_layers.clear();
            span.cx_layers
                .extend(usable.iter().map(|&u| u.max(start + 1)));
            span.end = span.cx_layers.iter().copied().max().unwrap_or(start + 1) + 3;
            span.link = Some(link);
        };
        let mut end_prev = 0u32;
        for k in 1..=t {
            let t_k = self.accepted[k as usize - 1];
            let start = if k == 1 { t_k } else { t_k.max(end_prev) };
            let data_ready = match (k, input) {
                (1, InputTiming::JustInTime) => start,
                (1, InputTiming::FromStart) => 0,
                _ => end_prev,
            };
            let span = injection_slot(&mut self.injections, k as usize - 1);
            let usable = &self.links[0].pair_usable;
            inject(
                span,
                usable,
                InjectionKind::Rsi(k),
                data_ready,
                t_k,
                start,
                k,
            );
            end_prev = span.end;
        }
        let span = injection_slot(&mut self.injections, t as usize);
        inject(
            span,
            &self.links[0].pair_usable,
            InjectionKind::Teleport,
            end_prev,
            end_prev,
            end_prev,
            0,
        );
        self.depth = span.end;
        self.injections.truncate(t as usize + 1);
        for (i, l) in self.links.iter_mut().enumerate() {
            let li = i as u32;
            l.link = li;
            l.qpus = if li == 0 { (t, 0) } else { (li - 1, li) };
        }
        let (first, rest) = self.links.split_at_mut(1);
        let l0 = &first[0];
        for l in rest.iter_mut() {
            l.generators = l0.generators;
            l.pair_started.clone_from(&l0.pair_started);
            l.pair_ready.clone_from(&l0.pair_ready);
            l.pair_usable.clone_from(&l0.pair_usable);
        }
        for l in self.links.iter_mut() {
            l.pair_consumed.clear();
        }
        for inj in &self.injections {
            if let Some(l) = inj.link {
                self.links[l as usize]
                    .pair_consumed
                    .extend_from_slice(&inj.cx_layers);
            }
        }
    }

    /// The attempts of block k (1-based) in this sample, every instance's, instance after
    /// instance.
    pub fn attempts_of(&self, k: u32) -> impl Iterator<Item = &AttemptSpan> {
        self.attempts.iter().filter(move |a| a.block == k)
    }

    /// Restarts (attempts discarded at a failed check) of block k, over its instances.
    pub fn restarts_of(&self, k: u32) -> u32 {
        self.attempts_of(k).filter(|a| a.restarted()).count() as u32
    }

    /// m: instances per block in this sample (1 for direct or without attempts).
    pub fn instances(&self) -> u32 {
        self.attempts.iter().map(|a| a.instance).max().unwrap_or(1)
    }

    /// Layers this run waits for Bell pairs: the sum of its injections' stall spans
    /// ([`InjectionSpan::pair_wait`]); 0 for direct and monolithic CliNR.
    pub fn pair_wait(&self) -> u32 {
        self.injections.iter().map(InjectionSpan::pair_wait).sum()
    }

    /// Every protocol event of the run, in time order (ties: the order they happen in).
    pub fn events(&self) -> Vec<Event> {
        let mut ev = Vec::new();
        for a in &self.attempts {
            let qpu = self.block_qpu(a.block);
            let (block, instance, attempt) = (a.block, a.instance, a.attempt);
            ev.push(Event {
                time: f64::from(a.start),
                qpu,
                kind: EventKind::AttemptStarted {
                    block,
                    instance,
                    attempt,
                },
            });
            ev.push(Event {
                time: f64::from(a.end),
                qpu,
                kind: match a.failed_check {
                    _ if a.abandoned => EventKind::Abandoned {
                        block,
                        instance,
                        attempt,
                    },
                    Some(check) => EventKind::CheckFailed {
                        block,
                        instance,
                        attempt,
                        check,
                    },
                    None => EventKind::Accepted {
                        block,
                        instance,
                        attempt,
                    },
                },
            });
        }
        for l in &self.links {
            for (j, (&ready, &used)) in l.pair_ready.iter().zip(&l.pair_consumed).enumerate() {
                let pair = j as u32 + 1;
                ev.push(Event {
                    time: ready,
                    qpu: None,
                    kind: EventKind::PairReady { link: l.link, pair },
                });
                ev.push(Event {
                    time: f64::from(used - 1),
                    qpu: None,
                    kind: EventKind::PairConsumed { link: l.link, pair },
                });
            }
        }
        for inj in &self.injections {
            let qpu = match (self.implementation, inj.kind) {
                (Implementation::Distributed, InjectionKind::Rsi(k)) => Some(k),
                (Implementation::Distributed, InjectionKind::Teleport) => Some(0),
                _ => Some(0),
            };
            ev.push(Event {
                time: f64::from(inj.start),
                qpu,
                kind: EventKind::InjectionStarted { which: inj.kind },
            });
            if inj.stalled() {
                ev.push(Event {
                    time: f64::from(inj.start),
                    qpu,
                    kind: EventKind::InjectionStalled {
                        which: inj.kind,
                        waiting_layers: inj.end - inj.start - 4,
                    },
                });
            }
            ev.push(Event {
                time: f64::from(inj.end),
                qpu,
                kind: EventKind::InjectionDone { which: inj.kind },
            });
        }
        ev.sort_by(|a, b| a.time.total_cmp(&b.time));
        ev
    }

    /// The QPU that runs block k: Q_k in distributed CliNR, the single QPU Q_0 otherwise.
    pub fn block_qpu(&self, k: u32) -> Option<u32> {
        match self.implementation {
            Implementation::Distributed => Some(k),
            _ => Some(0),
        }
    }
}

/// The injection span at index `i` of `injections`, appended (empty) if missing.
fn injection_slot(injections: &mut Vec<InjectionSpan>, i: usize) -> &mut InjectionSpan {
    if injections.len() <= i {
        injections.push(InjectionSpan {
            kind: InjectionKind::Teleport,
            data_ready: 0,
            resource_ready: 0,
            start: 0,
            cx_layers: Vec::new(),
            end: 0,
            link: None,
        });
    }
    &mut injections[i]
}

/// Places a block's attempts from `start` into `out[*used..]` (reusing spans already there,
/// appending otherwise): each instance's attempts back to back, instance after instance, up to
/// T_k, the first acceptance over the instances (ties: lowest index). An attempt of another
/// instance still running at T_k, or accepted at T_k too, is cut there and marked abandoned;
/// attempts that would start at or after T_k are not placed. Returns (T_k, the injected
/// instance, 1-based).
fn place_attempts(
    block: u32,
    start: u32,
    instances: &[Vec<Attempt>],
    out: &mut Vec<AttemptSpan>,
    used: &mut usize,
) -> (u32, u32) {
    debug_assert!(
        first_accepted(instances).is_some(),
        "block {block}: no accepted attempt"
    );
    // Without an accepted attempt (a caller's error), every attempt is placed.
    let (t_k, winner) = match first_accepted(instances) {
        Some((offset, i)) => (start + offset, i),
        None => (u32::MAX, 0),
    };
    let mut last_end = start;
    for (i, attempts) in instances.iter().enumerate() {
        let mut now = start;
        for (j, a) in attempts.iter().enumerate() {
            if now >= t_k {
                break;
            }
            if out.len() <= *used {
                out.push(AttemptSpan {
                    block: 0,
                    instance: 0,
                    attempt: 0,
                    start: 0,
                    rsp_a_end: 0,
                    rsp_b_end: 0,
                    rsp_end: 0,
                    check_ends: Vec::new(),
                    end: 0,
                    failed_check: None,
                    abandoned: false,
                });
            }
            let span = &mut out[*used];
            *used += 1;
            let rsp_end = now + a.rsp;
            span.check_ends.clear();
            let mut t = rsp_end;
            for &c in &a.checks[..a.checks_run as usize] {
                if t >= t_k && i != winner {
                    break;
                }
                t += c;
                span.check_ends.push(t);
            }
            let planned_end = now + a.duration();
            let abandoned = i != winner && (planned_end > t_k || a.is_accepted());
            span.block = block;
            span.instance = i as u32 + 1;
            span.attempt = j as u32 + 1;
            span.start = now;
            span.rsp_a_end = now + 3 + a.rsp_sides.0;
            span.rsp_b_end = now + 3 + a.rsp_sides.1;
            span.rsp_end = rsp_end;
            span.end = if abandoned { t_k } else { planned_end };
            span.failed_check = a.failed_check;
            span.abandoned = abandoned;
            now = planned_end;
            last_end = last_end.max(span.end);
        }
    }
    let t_k = if t_k == u32::MAX { last_end } else { t_k };
    (t_k, winner as u32 + 1)
}

/// A protocol event for the timeline and the animation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Time of the event (layers; pair arrivals may be fractional).
    pub time: f64,
    /// The QPU it happens on, if any.
    pub qpu: Option<u32>,
    pub kind: EventKind,
}

/// What happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "event")]
pub enum EventKind {
    AttemptStarted {
        block: u32,
        instance: u32,
        attempt: u32,
    },
    CheckFailed {
        block: u32,
        instance: u32,
        attempt: u32,
        check: u32,
    },
    Accepted {
        block: u32,
        instance: u32,
        attempt: u32,
    },
    /// An instance's attempt stopped at T_k because another instance was accepted first.
    Abandoned {
        block: u32,
        instance: u32,
        attempt: u32,
    },
    PairReady {
        link: u32,
        pair: u32,
    },
    PairConsumed {
        link: u32,
        pair: u32,
    },
    InjectionStarted {
        which: InjectionKind,
    },
    InjectionStalled {
        which: InjectionKind,
        waiting_layers: u32,
    },
    InjectionDone {
        which: InjectionKind,
    },
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng;
    use rand::RngExt;

    fn random_timing(r: &mut rng::Rng, checks: u32) -> BlockTiming {
        BlockTiming {
            rsp: r.random_range(3u32..60),
            checks: (0..checks).map(|_| r.random_range(5u32..80)).collect(),
            ..Default::default()
        }
    }

    fn random_attempts(r: &mut rng::Rng, timing: &BlockTiming, rule: RestartRule) -> Vec<Attempt> {
        let mut v = Vec::new();
        while !timing.checks.is_empty() && r.random_range(0u32..3) == 0 {
            let j = r.random_range(1..=timing.checks.len() as u32);
            v.push(Attempt::failed(timing, j, rule));
        }
        v.push(Attempt::accepted(timing));
        v
    }

    struct Case {
        n: u32,
        attempts: Vec<Vec<Attempt>>,
        links: LinkParams,
    }

    fn random_case(seed: u64) -> Case {
        let mut r = rng::stream(seed, &[77]);
        let n = r.random_range(1u32..60);
        let t = r.random_range(1u32..7);
        let checks = r.random_range(0u32..5);
        let rule = if r.random_range(0u32..2) == 0 {
            RestartRule::FirstFailure
        } else {
            RestartRule::EndOfRsv
        };
        let attempts = (0..t)
            .map(|_| {
                let timing = random_timing(&mut r, checks);
                random_attempts(&mut r, &timing, rule)
            })
            .collect();
        // τ_e on a grid that includes non-integers and stalling values.
        let tau_e = f64::from(r.random_range(1u32..200)) / 10.0;
        Case {
            n,
            attempts,
            links: LinkParams {
                tau_e,
                bell_start: 0.0,
                parallel_links: 1,
            },
        }
    }

    #[test]
    fn monolithic_depth_is_sum_of_attempts_plus_4t() {
        for seed in 0..300 {
            let c = random_case(seed);
            let s = Schedule::monolithic(c.n, &c.attempts, InputTiming::FromStart);
            let total: u32 = c.attempts.iter().flatten().map(Attempt::duration).sum();
            assert_eq!(s.depth, total + 4 * c.attempts.len() as u32, "seed {seed}");
            for inj in &s.injections {
                assert_eq!(inj.end - inj.start, 4);
                assert!(!inj.stalled());
            }
        }
    }

    #[test]
    fn distributed_depth_matches_closed_form_of_section_8_7() {
        for seed in 0..500 {
            let c = random_case(seed);
            let s = Schedule::distributed(c.n, &c.attempts, InputTiming::FromStart, c.links);
            let t = c.attempts.len() as u32;
            let last_pair = (f64::from(c.n) * c.links.tau_e - 1e-9).ceil() as u32;
            for (k, block) in c.attempts.iter().enumerate() {
                let t_k: u32 = block.iter().map(Attempt::duration).sum();
                assert_eq!(s.accepted[k], t_k);
            }
            // Closed form written directly: max(⌈nτ_e⌉, T_1, T_k − 4(k−1)) + 4(t+1).
            let mut inner = i64::from(last_pair);
            for (k, &t_k) in s.accepted.iter().enumerate() {
                inner = inner.max(i64::from(t_k) - 4 * k as i64);
            }
            assert_eq!(
                i64::from(s.depth),
                inner + 4 * (i64::from(t) + 1),
                "seed {seed}"
            );
            // Only link ℓ_1 can stall (§8.7 point 3).
            for inj in &s.injections[1..] {
                assert!(!inj.stalled(), "seed {seed}: {:?} stalled", inj.kind);
            }
        }
    }

    #[test]
    fn bell_pair_accounting_invariants() {
        for seed in 0..300 {
            let mut c = random_case(seed);
            c.links.parallel_links = 1 + (seed % 3) as u32;
            c.links.bell_start = f64::from((seed % 5) as u32) * 0.5;
            let s = Schedule::distributed(c.n, &c.attempts, InputTiming::FromStart, c.links);
            let t = c.attempts.len() as u32;
            assert_eq!(s.links.len() as u32, t + 1);
            for l in &s.links {
                // Each link delivers exactly n pairs, and each is consumed exactly once.
                assert_eq!(l.pair_ready.len() as u32, c.n);
                assert_eq!(l.pair_consumed.len() as u32, c.n);
                for j in 0..c.n as usize {
                    // No remote gate before its pair exists.
                    assert!(
                        f64::from(l.pair_consumed[j] - 1) >= l.pair_ready[j] - 1e-9,
                        "seed {seed}"
                    );
                    assert!(l.pair_consumed[j] >= l.pair_usable[j]);
                }
            }
            // Storage of each QPU (two links, n_s = 2n) is never exceeded, at any event time.
            let times: Vec<f64> = s.events().iter().map(|e| e.time).collect();
            for &time in &times {
                for q in 0..=t {
                    let stored: u32 = s
                        .links
                        .iter()
                        .filter(|l| l.qpus.0 == q || l.qpus.1 == q)
                        .map(|l| l.stored_at(time))
                        .sum();
                    assert!(stored <= 2 * c.n, "seed {seed}: QPU {q} stores {stored}");
                }
            }
            // An injection lasts at most ⌈nτ_e⌉ + 4 (+ the start offset of the links).
            let bound = (f64::from(c.n) * c.links.tau_e + c.links.bell_start).ceil() as u32 + 4;
            for inj in &s.injections {
                assert!(inj.end - inj.start <= bound, "seed {seed}");
                assert_eq!(
                    inj.end,
                    inj.cx_layers.iter().max().copied().unwrap_or(0) + 3
                );
            }
        }
    }

    #[test]
    fn windows_follow_the_rsi_table() {
        let timing = BlockTiming {
            rsp: 10,
            checks: vec![20, 20],
            ..Default::default()
        };
        let attempts = vec![
            vec![Attempt::accepted(&timing)],
            vec![Attempt::accepted(&timing)],
        ];
        // τ_e = 30 with n = 2: pair 1 usable at layer 31, pair 2 at layer 61.
        let links = LinkParams {
            tau_e: 30.0,
            bell_start: 0.0,
            parallel_links: 1,
        };
        let s = Schedule::distributed(2, &attempts, InputTiming::FromStart, links);
        let rsi1 = &s.injections[0];
        assert_eq!(
            (rsi1.start, rsi1.cx_layers.clone(), rsi1.end),
            (50, vec![51, 61], 64)
        );
        assert!(rsi1.stalled());
        assert_eq!(rsi1.data_idle(0), 50);
        assert_eq!(rsi1.data_idle(1), 60);
        assert_eq!(rsi1.a_idle(1), 10 + 1);
        assert_eq!(rsi1.out_idle(0), 13);
        let rsi2 = &s.injections[1];
        assert_eq!((rsi2.start, rsi2.end), (64, 68));
        assert_eq!(rsi2.data_idle(0), 0);
        assert_eq!(rsi2.a_idle(0), 14 + 1);
        let tele = &s.injections[2];
        assert_eq!(tele.kind, InjectionKind::Teleport);
        assert_eq!((tele.start, tele.end, s.depth), (68, 72, 72));
        assert_eq!(tele.out_idle(0), 2);
        // Just-in-time input removes the data's wait before RSI 1 only.
        let jit = Schedule::distributed(2, &attempts, InputTiming::JustInTime, links);
        assert_eq!(jit.injections[0].data_idle(0), 0);
        assert_eq!(jit.injections[0].data_idle(1), 10);
    }

    #[test]
    fn fractional_tau_and_parallel_links() {
        let l = LinkParams {
            tau_e: 0.1,
            bell_start: 0.0,
            parallel_links: 1,
        };
        assert_eq!(l.pair_usable(10), 2); // ready at 1.0, usable from layer 2
        assert_eq!(l.pair_usable(30), 4); // 3.0000000000000004 is still time 3
        assert_eq!(l.pair_usable(31), 5);
        let k2 = LinkParams {
            tau_e: 3.0,
            bell_start: 0.0,
            parallel_links: 2,
        };
        assert_eq!(
            (k2.pair_ready(1), k2.pair_ready(2), k2.pair_ready(3)),
            (3.0, 3.0, 6.0)
        );
    }

    #[test]
    fn events_are_sorted_and_complete() {
        let c = random_case(5);
        let s = Schedule::distributed(c.n, &c.attempts, InputTiming::FromStart, c.links);
        let ev = s.events();
        assert!(ev.windows(2).all(|w| w[0].time <= w[1].time));
        let accepted = ev
            .iter()
            .filter(|e| matches!(e.kind, EventKind::Accepted { .. }))
            .count();
        assert_eq!(accepted, c.attempts.len());
        let done = ev
            .iter()
            .filter(|e| matches!(e.kind, EventKind::InjectionDone { .. }))
            .count();
        assert_eq!(done, c.attempts.len() + 1);
        let consumed = ev
            .iter()
            .filter(|e| matches!(e.kind, EventKind::PairConsumed { .. }))
            .count();
        assert_eq!(consumed as u32, c.n * (c.attempts.len() as u32 + 1));
    }

    #[test]
    fn building_into_a_used_schedule_equals_a_fresh_build() {
        let mut reused = Schedule::direct(1, 0);
        for seed in 0..60 {
            let c = random_case(seed);
            for input in [InputTiming::FromStart, InputTiming::JustInTime] {
                reused.distributed_into(c.n, &c.attempts, input, c.links);
                assert_eq!(
                    reused,
                    Schedule::distributed(c.n, &c.attempts, input, c.links)
                );
                reused.monolithic_into(c.n, &c.attempts, input);
                assert_eq!(reused, Schedule::monolithic(c.n, &c.attempts, input));
            }
        }
    }
}
