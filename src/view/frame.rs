//! What the ring animation shows at a time τ: a pure function of one sampled [`Schedule`].
//!
//! The browser never invents timing: every stage, pair count, stall and token move below is
//! read from the Schedule of a run that `sim::sampler::sample_run` sampled. Time τ is in
//! layers, continuous (layer L runs from τ = L−1 to τ = L), so the animation can interpolate.
//!
//! Distributed CliNR_{t,r} (protocol.md §8) runs on QPUs Q_0..Q_t: Q_0 holds the input, Q_k
//! (k ≥ 1) prepares and verifies block k's resource state, RSI k moves the data from Q_{k−1}
//! to Q_k over link ℓ_k, and the final teleportation returns it to Q_0 over link ℓ_0.
//!
//! Beyond the paper (issue 14), the frame also says: which of a QPU's m RSP&V instances is in
//! which stage ([`QpuFrame::instances`], [`InstanceFrame`]), how far each side of a two-sided
//! RSP is ([`InstanceFrame::rsp_sides`]), and which Bell pairs are being generated on a link
//! with k generators ([`LinkFrame::in_flight`]). With m = 1, one-sided RSP and k = 1 these
//! add nothing new: one instance, the a side idle during RSP, at most one pair in flight.

use crate::protocol::schedule::{
    AttemptSpan, Implementation, InjectionKind, InjectionSpan, Schedule,
};

/// What a QPU is doing at τ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// Resource-state preparation (RSP) of its block.
    Rsp,
    /// Verification (RSV): check `j` (1-based) of `r`.
    Check { j: u32, r: u32 },
    /// Its resource passed all checks and waits for the data.
    Verified,
    /// Taking part in RSI k or the teleportation; `stalled` while waiting for Bell pairs.
    Injecting { which: InjectionKind, stalled: bool },
    /// Holds the data register and waits for the next resource.
    HoldingData,
    /// Nothing to do at τ (before its work, or after handing the data on).
    Idle,
    /// The run is over (Q_0 holds the output).
    Done,
}

impl Stage {
    /// Short label drawn next to the QPU.
    pub fn label(&self) -> String {
        match *self {
            Stage::Rsp => "RSP".into(),
            Stage::Check { j, r } => format!("check {j}/{r}"),
            Stage::Verified => "verified".into(),
            Stage::Injecting {
                which,
                stalled: true,
            } => format!("{} waits", injection_name(which)),
            Stage::Injecting { which, .. } => injection_name(which),
            Stage::HoldingData => "holding data".into(),
            Stage::Idle => "idle".into(),
            Stage::Done => "done".into(),
        }
    }

    /// Machine-readable code (exposed to tests as `data-qpu-stages`).
    pub fn code(&self) -> String {
        match *self {
            Stage::Rsp => "rsp".into(),
            Stage::Check { j, r } => format!("check{j}/{r}"),
            Stage::Verified => "verified".into(),
            Stage::Injecting { stalled: true, .. } => "stalled".into(),
            Stage::Injecting { .. } => "injecting".into(),
            Stage::HoldingData => "data".into(),
            Stage::Idle => "idle".into(),
            Stage::Done => "done".into(),
        }
    }
}

/// "RSI k" or "teleport".
pub fn injection_name(which: InjectionKind) -> String {
    match which {
        InjectionKind::Rsi(k) => format!("RSI {k}"),
        InjectionKind::Teleport => "teleport".into(),
    }
}

/// One QPU at τ.
#[derive(Clone, Debug, PartialEq)]
pub struct QpuFrame {
    /// What the QPU does; during RSP&V with m > 1 instances, the stage of the lowest-index
    /// instance still running (each instance's is in `instances`).
    pub stage: Stage,
    /// Fraction of the current stage done, in [0, 1].
    pub progress: f64,
    /// Failed attempts of its block (over all instances) that ended at or before τ.
    pub restarts: u32,
    /// A restart happened within the flash window before τ.
    pub flash: bool,
    /// The attempt number (1-based) of instance 1 running or last run; 0 for Q_0 / before any.
    pub attempt: u32,
    /// Its block's m RSP&V instances (protocol.md §15.4), instance 1 first; empty for Q_0.
    pub instances: Vec<InstanceFrame>,
}

/// What one RSP&V instance of a block is doing at τ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InstanceStage {
    /// Not started, or stopped after a failed check when it could no longer be first.
    Idle,
    /// RSP of its current attempt.
    Rsp,
    /// Check `j` of `r` of its current attempt.
    Check { j: u32, r: u32 },
    /// Its resource was accepted first: it is the one injected (until its RSI ends).
    Accepted,
    /// Another instance was accepted first: this one was stopped at T_k and discarded.
    Abandoned,
}

/// One RSP&V instance at τ.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceFrame {
    /// 1..=m.
    pub instance: u32,
    pub stage: InstanceStage,
    /// Fraction of the current stage done, in [0, 1].
    pub progress: f64,
    /// Its attempt running or last run (1-based; 0 before any).
    pub attempt: u32,
    /// Its failed attempts that ended at or before τ.
    pub restarts: u32,
    /// During RSP, the fraction done of the a side's and the b side's circuit, in [0, 1]:
    /// one-sided RSP has no circuit on a (its a side reads 1 once the Bell pairs exist), two-
    /// sided RSP runs A^T on a and B on b in parallel (protocol.md §15.5). None outside RSP.
    pub rsp_sides: Option<(f64, f64)>,
}

/// One ring link at τ.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkFrame {
    /// ℓ (0..=t): ℓ_k joins Q_{k−1} and Q_k; ℓ_0 joins Q_t and Q_0.
    pub link: u32,
    pub qpus: (u32, u32),
    /// Bell pairs in storage (generated, not yet consumed).
    pub stored: u32,
    /// Pairs generated so far.
    pub generated: u32,
    /// Pairs consumed by remote CX gates so far.
    pub consumed: u32,
    /// `consumed` as a continuous count: a pair consumed in layer L counts the fraction of
    /// layer L elapsed at τ (τ − (L − 1), clamped to [0, 1]), so the storage bar can drain
    /// smoothly during an injection's CX layer. `consumed ≤ consumed_smooth ≤ consumed + (pairs
    /// consumed in the layer running at τ)`.
    pub consumed_smooth: f64,
    /// n: pairs the injection on this link needs.
    pub needed: u32,
    /// The injection on this link is waiting for pairs at τ.
    pub stalled: bool,
    /// k: generators on the link (paper §V).
    pub generators: u32,
    /// The pairs being generated at τ, in pair order, as (pair index 1-based, fraction done in
    /// [0, 1)): at most k, one per generator ([`LinkSpan::in_flight_at`]).
    ///
    /// [`LinkSpan::in_flight_at`]: crate::protocol::schedule::LinkSpan::in_flight_at
    pub in_flight: Vec<(u32, f64)>,
}

/// Everything the ring shows at τ (distributed run).
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub time: f64,
    pub qpus: Vec<QpuFrame>,
    pub links: Vec<LinkFrame>,
    /// Where the data register is on the ring: k.0 = on Q_k; k + f = moving from Q_k to
    /// Q_{k+1} (t + 1 ≡ Q_0), a fraction f of the way. Non-decreasing in τ.
    pub token: f64,
}

impl Frame {
    pub fn stalled_links(&self) -> usize {
        self.links.iter().filter(|l| l.stalled).count()
    }
}

/// The injection that moves the data from ring position `idx` (Q_idx) to the next QPU: RSI
/// idx+1 for idx < t, the teleportation for idx = t.
fn injection_from(s: &Schedule, idx: usize) -> Option<&InjectionSpan> {
    s.injections.get(idx)
}

/// Last layer boundary before which the injection waits for pairs: max_i L_i − 1. The span is
/// stalled on [start, stall_end) when stall_end > start.
pub fn stall_end(inj: &InjectionSpan) -> u32 {
    inj.cx_layers
        .iter()
        .copied()
        .max()
        .unwrap_or(inj.start + 1)
        .saturating_sub(1)
        .max(inj.start)
}

fn stalled_at(inj: &InjectionSpan, tau: f64) -> bool {
    f64::from(inj.start) <= tau && tau < f64::from(stall_end(inj))
}

fn active(start: u32, end: u32, tau: f64) -> bool {
    f64::from(start) <= tau && tau < f64::from(end)
}

fn frac(start: u32, end: u32, tau: f64) -> f64 {
    if end <= start {
        return 1.0;
    }
    ((tau - f64::from(start)) / f64::from(end - start)).clamp(0.0, 1.0)
}

/// The frame of a distributed schedule at τ. `r` is the number of checks per resource;
/// `flash_layers` is how long after a restart the QPU flashes.
pub fn frame_at(s: &Schedule, r: u32, tau: f64, flash_layers: f64) -> Frame {
    debug_assert_eq!(s.implementation, Implementation::Distributed);
    let t = s.t as usize;
    let token = token_at(s, tau);
    let qpus = (0..=t)
        .map(|q| qpu_at(s, q, r, tau, flash_layers, token))
        .collect();
    let links = s
        .links
        .iter()
        .map(|l| {
            let generated = l.pair_ready.iter().filter(|&&x| x <= tau).count() as u32;
            let consumed = l
                .pair_consumed
                .iter()
                .filter(|&&u| f64::from(u) <= tau)
                .count() as u32;
            let consumed_smooth = l
                .pair_consumed
                .iter()
                .map(|&u| (tau - (f64::from(u) - 1.0)).clamp(0.0, 1.0))
                .sum();
            let inj = s.injections.iter().find(|i| i.link == Some(l.link));
            LinkFrame {
                link: l.link,
                qpus: l.qpus,
                stored: l.stored_at(tau),
                generated,
                consumed,
                consumed_smooth,
                needed: s.n,
                stalled: inj.is_some_and(|i| stalled_at(i, tau)),
                generators: l.generators,
                in_flight: l.in_flight_at(tau).collect(),
            }
        })
        .collect();
    Frame {
        time: tau,
        qpus,
        links,
        token,
    }
}

fn qpu_at(s: &Schedule, q: usize, r: u32, tau: f64, flash_layers: f64, token: f64) -> QpuFrame {
    let t = s.t as usize;
    let block = q as u32;
    let mut restarts = 0;
    let mut flash = false;
    let mut attempt = 0;
    let mut current = None;
    if q >= 1 {
        for a in s.attempts_of(block) {
            if a.instance == 1 && f64::from(a.start) <= tau {
                attempt = a.attempt;
            }
            if a.restarted() && f64::from(a.end) <= tau {
                restarts += 1;
                if tau - f64::from(a.end) < flash_layers {
                    flash = true;
                }
            }
            // Attempts come instance by instance: the first active is the lowest index.
            if current.is_none() && active(a.start, a.end, tau) {
                current = Some(a);
            }
        }
    }
    let instances = if q >= 1 {
        instance_frames(s, block, r, tau)
    } else {
        Vec::new()
    };
    let qf = |stage, progress| QpuFrame {
        stage,
        progress,
        restarts,
        flash,
        attempt,
        instances: instances.clone(),
    };
    // Injections this QPU takes part in: out of Q_q (index q), into Q_q (index q − 1, or t
    // for Q_0's incoming teleportation).
    let incoming = if q == 0 { t } else { q - 1 };
    for idx in [incoming, q] {
        if let Some(inj) = injection_from(s, idx) {
            if active(inj.start, inj.end, tau) {
                let stalled = stalled_at(inj, tau);
                let stage = Stage::Injecting {
                    which: inj.kind,
                    stalled,
                };
                return qf(stage, frac(inj.start, inj.end, tau));
            }
        }
    }
    if let Some(a) = current {
        if tau < f64::from(a.rsp_end) {
            return qf(Stage::Rsp, frac(a.start, a.rsp_end, tau));
        }
        let mut from = a.rsp_end;
        for (j, &end) in a.check_ends.iter().enumerate() {
            if tau < f64::from(end) {
                let stage = Stage::Check { j: j as u32 + 1, r };
                return qf(stage, frac(from, end, tau));
            }
            from = end;
        }
    }
    if q >= 1 {
        if let (Some(&t_k), Some(inj)) = (s.accepted.get(q - 1), injection_from(s, q - 1)) {
            if f64::from(t_k) <= tau && tau < f64::from(inj.start) {
                return qf(Stage::Verified, 1.0);
            }
        }
    }
    if tau >= f64::from(s.depth) {
        return qf(if q == 0 { Stage::Done } else { Stage::Idle }, 1.0);
    }
    if token.fract() == 0.0 && token as usize % (t + 1) == q {
        return qf(Stage::HoldingData, 0.0);
    }
    qf(Stage::Idle, 0.0)
}

/// The stage of an attempt at τ (it must be active at τ) and its progress.
fn attempt_stage(a: &AttemptSpan, r: u32, tau: f64) -> (InstanceStage, f64) {
    if tau < f64::from(a.rsp_end) {
        return (InstanceStage::Rsp, frac(a.start, a.rsp_end, tau));
    }
    let mut from = a.rsp_end;
    for (j, &end) in a.check_ends.iter().enumerate() {
        if tau < f64::from(end) {
            let stage = InstanceStage::Check { j: j as u32 + 1, r };
            return (stage, frac(from, end, tau));
        }
        from = end;
    }
    (InstanceStage::Idle, 1.0)
}

/// Every instance of block k at τ (see [`InstanceFrame`]).
pub fn instance_frames(s: &Schedule, k: u32, r: u32, tau: f64) -> Vec<InstanceFrame> {
    let m = s.attempts_of(k).map(|a| a.instance).max().unwrap_or(1).max(
        s.accepted_instance
            .get(k as usize - 1)
            .copied()
            .unwrap_or(1),
    );
    let t_k = s.accepted.get(k as usize - 1).copied();
    let winner = s
        .accepted_instance
        .get(k as usize - 1)
        .copied()
        .unwrap_or(1);
    let injected_end = s
        .injections
        .iter()
        .find(|i| i.kind == InjectionKind::Rsi(k))
        .map(|i| i.end);
    (1..=m)
        .map(|i| {
            let mut f = InstanceFrame {
                instance: i,
                stage: InstanceStage::Idle,
                progress: 0.0,
                attempt: 0,
                restarts: 0,
                rsp_sides: None,
            };
            for a in s.attempts_of(k).filter(|a| a.instance == i) {
                if f64::from(a.start) <= tau {
                    f.attempt = a.attempt;
                }
                if a.restarted() && f64::from(a.end) <= tau {
                    f.restarts += 1;
                }
                if active(a.start, a.end, tau) {
                    let (stage, progress) = attempt_stage(a, r, tau);
                    f.stage = stage;
                    f.progress = progress;
                    if stage == InstanceStage::Rsp {
                        let bell = a.start + 3;
                        f.rsp_sides =
                            Some((frac(bell, a.rsp_a_end, tau), frac(bell, a.rsp_b_end, tau)));
                    }
                }
            }
            if let Some(t_k) = t_k {
                let after = f64::from(t_k) <= tau;
                if after && i == winner && injected_end.is_none_or(|e| tau < f64::from(e)) {
                    f.stage = InstanceStage::Accepted;
                    f.progress = 1.0;
                } else if after && i != winner {
                    let ran = s.attempts_of(k).any(|a| a.instance == i && a.abandoned);
                    if ran {
                        f.stage = InstanceStage::Abandoned;
                        f.progress = 1.0;
                    }
                }
            }
            f
        })
        .collect()
}

/// Ring position of the data register (see [`Frame::token`]).
pub fn token_at(s: &Schedule, tau: f64) -> f64 {
    let mut pos = 0.0;
    for (idx, inj) in s.injections.iter().enumerate() {
        if tau >= f64::from(inj.end) {
            pos = idx as f64 + 1.0;
        } else if tau > f64::from(inj.start) {
            // The data stays put while the injection waits for pairs, then moves.
            let from = stall_end(inj);
            return idx as f64 + frac(from, inj.end, tau);
        } else {
            break;
        }
    }
    pos
}

/// Kinds of timeline segments.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    /// An RSP&V attempt of `block` by instance `instance` (1..=m); `failed` = discarded at a
    /// failing check; `abandoned` = stopped because another instance was accepted first.
    Attempt {
        block: u32,
        instance: u32,
        attempt: u32,
        failed: bool,
        abandoned: bool,
    },
    /// A verified resource waiting for the data.
    Verified { block: u32 },
    /// An injection's active part.
    Inject { which: InjectionKind },
    /// An injection waiting for Bell pairs.
    Stall { which: InjectionKind },
    /// The data register waiting on this QPU.
    Data,
    /// The direct implementation running C.
    Direct,
}

/// A span [start, end) of a lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Segment {
    pub start: f64,
    pub end: f64,
    pub kind: SegmentKind,
    /// The lane's sub-row (0-based): instance − 1 for attempts, 0 otherwise. Segments of one
    /// row never overlap; with m = 1 everything is in row 0.
    pub row: u32,
}

/// One timeline lane.
#[derive(Clone, Debug, PartialEq)]
pub struct Lane {
    pub label: String,
    pub implementation: Implementation,
    /// The QPU of the distributed run this lane shows.
    pub qpu: Option<u32>,
    pub segments: Vec<Segment>,
    /// Sub-rows of the lane: m for QPU and monolithic lanes (one per RSP&V instance), 1 for
    /// direct.
    pub rows: u32,
}

fn seg(start: u32, end: u32, kind: SegmentKind) -> Option<Segment> {
    (end > start).then(|| Segment {
        start: f64::from(start),
        end: f64::from(end),
        kind,
        row: 0,
    })
}

fn injection_segments(inj: &InjectionSpan, out: &mut Vec<Segment>) {
    let stall = stall_end(inj);
    out.extend(seg(
        inj.start,
        stall,
        SegmentKind::Stall { which: inj.kind },
    ));
    out.extend(seg(stall, inj.end, SegmentKind::Inject { which: inj.kind }));
}

fn attempt_segments(s: &Schedule, block: u32, out: &mut Vec<Segment>) {
    for a in s.attempts_of(block) {
        out.extend(
            seg(
                a.start,
                a.end,
                SegmentKind::Attempt {
                    block,
                    instance: a.instance,
                    attempt: a.attempt,
                    failed: a.restarted(),
                    abandoned: a.abandoned,
                },
            )
            .map(|x| Segment {
                row: a.instance - 1,
                ..x
            }),
        );
    }
}

/// The lanes of the timeline: one per QPU of the distributed run, then monolithic, then
/// direct, all on one time axis in layers.
pub fn lanes(distributed: &Schedule, monolithic: &Schedule, direct: &Schedule) -> Vec<Lane> {
    let t = distributed.t as usize;
    let mut out = Vec::with_capacity(t + 3);
    for q in 0..=t {
        let mut segs = Vec::new();
        if q >= 1 {
            attempt_segments(distributed, q as u32, &mut segs);
            if let (Some(&t_k), Some(inj)) = (
                distributed.accepted.get(q - 1),
                distributed.injections.get(q - 1),
            ) {
                let winner = distributed.accepted_instance.get(q - 1).copied();
                segs.extend(
                    seg(t_k, inj.start, SegmentKind::Verified { block: q as u32 }).map(|x| {
                        Segment {
                            row: winner.unwrap_or(1) - 1,
                            ..x
                        }
                    }),
                );
            }
        }
        let incoming = if q == 0 {
            None
        } else {
            distributed.injections.get(q - 1)
        };
        if let Some(inj) = incoming {
            injection_segments(inj, &mut segs);
        }
        if let Some(out_inj) = distributed.injections.get(q) {
            let arrived = incoming.map_or(0, |i| i.end);
            segs.extend(seg(arrived, out_inj.start, SegmentKind::Data));
            injection_segments(out_inj, &mut segs);
        }
        if q == 0 {
            if let Some(tp) = distributed.injections.get(t) {
                if t > 0 {
                    injection_segments(tp, &mut segs);
                }
            }
        }
        segs.sort_by(|a, b| a.start.total_cmp(&b.start));
        out.push(Lane {
            label: format!("Q{q}"),
            implementation: Implementation::Distributed,
            qpu: Some(q as u32),
            segments: segs,
            rows: distributed.instances(),
        });
    }
    let mut mono = Vec::new();
    for k in 1..=monolithic.t {
        attempt_segments(monolithic, k, &mut mono);
    }
    for inj in &monolithic.injections {
        injection_segments(inj, &mut mono);
    }
    mono.sort_by(|a, b| a.start.total_cmp(&b.start));
    out.push(Lane {
        label: "mono".into(),
        implementation: Implementation::Monolithic,
        qpu: None,
        segments: mono,
        rows: monolithic.instances(),
    });
    out.push(Lane {
        label: "direct".into(),
        implementation: Implementation::Direct,
        qpu: None,
        segments: seg(0, direct.depth, SegmentKind::Direct)
            .into_iter()
            .collect(),
        rows: 1,
    });
    out
}

/// The segment of `lane` covering τ, if any.
pub fn segment_at(lane: &Lane, tau: f64) -> Option<&Segment> {
    lane.segments.iter().find(|s| s.start <= tau && tau < s.end)
}

/// The events the playhead can jump to ("Next injection", "Next teleport", "Next stall",
/// "Next restart" and their keys).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EventKind {
    /// RSI k (k = 1..t): lands in its CX layer, where the Bell pairs are consumed.
    Injection,
    /// The final teleportation Q_t → Q_0: lands in its CX layer.
    Teleport,
    /// An injection starting to wait for Bell pairs: lands in the first layer of its stall.
    Stall,
    /// A failed check discarding an attempt (not an attempt abandoned at T_k): lands on the
    /// attempt's end, where the restart has happened and the next attempt begins.
    Restart,
}

impl EventKind {
    pub const ALL: [EventKind; 4] = [
        EventKind::Injection,
        EventKind::Teleport,
        EventKind::Stall,
        EventKind::Restart,
    ];

    /// Identifier: the button `#ring-next-<id>`, the keys of `data-event-times`.
    pub fn id(self) -> &'static str {
        match self {
            EventKind::Injection => "injection",
            EventKind::Teleport => "teleport",
            EventKind::Stall => "stall",
            EventKind::Restart => "restart",
        }
    }

    /// Words for the button and announcements ("Next injection").
    pub fn label(self) -> &'static str {
        match self {
            EventKind::Injection => "injection",
            EventKind::Teleport => "teleport",
            EventKind::Stall => "stall",
            EventKind::Restart => "restart",
        }
    }
}

/// The τ of an injection's CX layer, mid-layer: the layer in which its last Bell pairs are
/// consumed and the data starts to move (`stall_end + 0.5`).
pub fn cx_moment(inj: &InjectionSpan) -> f64 {
    f64::from(stall_end(inj)) + 0.5
}

/// Where the playhead lands for every event of `kind` in the distributed schedule `s`, in
/// increasing order (see [`EventKind`] for each kind's moment).
pub fn event_times(s: &Schedule, kind: EventKind) -> Vec<f64> {
    let mut out: Vec<f64> = match kind {
        EventKind::Injection => s
            .injections
            .iter()
            .filter(|i| matches!(i.kind, InjectionKind::Rsi(_)))
            .map(cx_moment)
            .collect(),
        EventKind::Teleport => s
            .injections
            .iter()
            .filter(|i| i.kind == InjectionKind::Teleport)
            .map(cx_moment)
            .collect(),
        EventKind::Stall => s
            .injections
            .iter()
            .filter(|i| stall_end(i) > i.start)
            .map(|i| f64::from(i.start) + 0.5)
            .collect(),
        EventKind::Restart => s
            .attempts
            .iter()
            .filter(|a| a.restarted())
            .map(|a| f64::from(a.end))
            .collect(),
    };
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// The first event of `kind` strictly after τ (where the playhead lands), if any.
pub fn next_event(s: &Schedule, kind: EventKind, tau: f64) -> Option<f64> {
    event_times(s, kind).into_iter().find(|&x| x > tau + 1e-6)
}

/// The last event of `kind` strictly before τ, if any.
pub fn previous_event(s: &Schedule, kind: EventKind, tau: f64) -> Option<f64> {
    event_times(s, kind)
        .into_iter()
        .rev()
        .find(|&x| x < tau - 1e-6)
}

/// Time of the first restart (a failed attempt's end) strictly after τ.
pub fn next_restart(s: &Schedule, tau: f64) -> Option<f64> {
    next_event(s, EventKind::Restart, tau)
}

/// Start of the first stalled injection strictly after τ (a moment inside its stall).
pub fn next_stall(s: &Schedule, tau: f64) -> Option<f64> {
    next_event(s, EventKind::Stall, tau)
}

/// Numbers shown next to the ring for this run.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub depth_direct: u32,
    pub depth_monolithic: u32,
    pub depth_distributed: u32,
    /// Restarts per block k = 1..t of the distributed run.
    pub restarts: Vec<u32>,
    /// Injections of the distributed run that waited for pairs.
    pub stalls: u32,
    /// Layers spent waiting for pairs, summed over injections.
    pub stall_layers: u32,
}

pub fn summary(distributed: &Schedule, monolithic: &Schedule, direct: &Schedule) -> Summary {
    Summary {
        depth_direct: direct.depth,
        depth_monolithic: monolithic.depth,
        depth_distributed: distributed.depth,
        restarts: (1..=distributed.t)
            .map(|k| distributed.restarts_of(k))
            .collect(),
        stalls: distributed
            .injections
            .iter()
            .filter(|i| stall_end(i) > i.start)
            .count() as u32,
        stall_layers: distributed
            .injections
            .iter()
            .map(|i| stall_end(i) - i.start)
            .sum(),
    }
}

/// One sentence, in the paper's terms, about what QPU `q` does at this frame.
pub fn explain_qpu(s: &Schedule, f: &Frame, q: usize, tau_e: f64) -> String {
    let Some(qf) = f.qpus.get(q) else {
        return String::new();
    };
    let t = s.t;
    let restarts = match qf.restarts {
        0 => String::new(),
        1 => " It has restarted once so far.".into(),
        x => format!(" It has restarted {x} times so far."),
    };
    let body = match qf.stage {
        Stage::Rsp => format!(
            "Q{q} is preparing the resource state of block {q} (RSP, attempt {}): the Choi state of C_{q} on its a and b registers, in parallel with the other QPUs.",
            qf.attempt
        ),
        Stage::Check { j, r } => format!(
            "Q{q} is verifying its resource state: check {j} of {r} (RSV). A failing check discards the resource and restarts RSP."
        ),
        Stage::Verified => format!(
            "Q{q}'s resource state passed all checks (T_{q}); it waits in memory until the data reaches Q{} for RSI {q}.",
            q - 1
        ),
        Stage::Injecting { which, stalled } => {
            let link = match which {
                InjectionKind::Rsi(k) => k,
                InjectionKind::Teleport => 0,
            };
            let what = match which {
                InjectionKind::Rsi(k) => format!(
                    "RSI {k} injects C_{k} into the data: remote CX gates from Q{} to Q{k}, each consuming a Bell pair of link ℓ{k}, then measurements and a Pauli correction",
                    k - 1
                ),
                InjectionKind::Teleport => format!(
                    "the teleportation returns the output from Q{t} to Q0, consuming the Bell pairs of link ℓ0"
                ),
            };
            if stalled {
                let stored = f.links.get(link as usize).map_or(0, |l| l.stored);
                format!(
                    "Q{q} is stalled: {what}, but link ℓ{link} holds only {stored} of the n = {} pairs needed (one pair every τ_e = {tau_e} layers).",
                    s.n
                )
            } else {
                format!("Q{q} takes part in {}: {what}.", injection_name(which))
            }
        }
        Stage::HoldingData => {
            if q == 0 {
                "Q0 holds the input data register; it waits for the resource of block 1 on Q1.".into()
            } else if q as u32 == t {
                format!("Q{q} holds the data register (all of C applied) and waits to teleport it back to Q0.")
            } else {
                format!(
                    "Q{q} holds the data register (C_1…C_{q} applied) and waits for the verified resource of block {} on Q{}.",
                    q + 1,
                    (q + 1) % (t as usize + 1)
                )
            }
        }
        Stage::Idle => format!("Q{q} is idle: its part of the run is finished or has not started."),
        Stage::Done => "Q0 holds the output C|ψ⟩: the distributed run is done.".into(),
    };
    format!("{body}{restarts}")
}

/// One sentence about link ℓ at this frame.
pub fn explain_link(f: &Frame, link: usize, tau_e: f64) -> String {
    let Some(l) = f.links.get(link) else {
        return String::new();
    };
    let user = if l.link == 0 {
        "the final teleportation".to_string()
    } else {
        format!("RSI {}", l.link)
    };
    let state = if l.stalled {
        " It is stalled: the injection waits for pairs.".to_string()
    } else {
        String::new()
    };
    format!(
        "Link ℓ{} (Q{}–Q{}) stores {} Bell pairs for {user} (n = {} needed; {} consumed by remote gates so far); a new pair is generated every τ_e = {tau_e} layers.{state}",
        l.link, l.qpus.0, l.qpus.1, l.stored, l.needed, l.consumed
    )
}

/// One sentence about a lane's segment at τ.
pub fn explain_lane(lane: &Lane, tau: f64, depth: u32) -> String {
    let who = match lane.implementation {
        Implementation::Distributed => format!("Distributed, {}", lane.label),
        Implementation::Monolithic => "Monolithic CliNR (one QPU, blocks one after another)".into(),
        Implementation::Direct => "Direct implementation".into(),
    };
    let what = match segment_at(lane, tau).map(|s| s.kind) {
        Some(SegmentKind::Attempt {
            block,
            instance,
            attempt,
            failed,
            abandoned,
        }) => format!(
            "RSP&V attempt {attempt} of block {block}{}{}",
            if lane.rows > 1 {
                format!(", instance {instance} of {}", lane.rows)
            } else {
                String::new()
            },
            if abandoned {
                " (another instance was accepted first: this one is stopped and discarded)"
            } else if failed {
                " (a check fails: the resource is discarded and RSP restarts)"
            } else {
                " (all checks pass: the resource is accepted)"
            }
        ),
        Some(SegmentKind::Verified { block }) => {
            format!("verified resource of block {block} waiting for the data")
        }
        Some(SegmentKind::Inject { which }) => format!("{} in progress", injection_name(which)),
        Some(SegmentKind::Stall { which }) => {
            format!("{} waiting for Bell pairs", injection_name(which))
        }
        Some(SegmentKind::Data) => "the data register waits here for the next resource".into(),
        Some(SegmentKind::Direct) => "C applied gate layer by gate layer, no verification".into(),
        None => "idle".into(),
    };
    format!("{who} at τ = {tau:.0}: {what}. This run's depth: {depth} layers.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::params::{InputTiming, RestartRule};
    use crate::protocol::schedule::{Attempt, BlockTiming, LinkParams};

    fn timing() -> BlockTiming {
        BlockTiming {
            rsp: 10,
            checks: vec![5, 6, 7],
            ..Default::default()
        }
    }

    /// t = 3, n = 8; block 2 restarts once at check 2.
    fn run(tau_e: f64) -> (Schedule, Schedule, Schedule) {
        let tm = timing();
        let blocks = vec![
            vec![Attempt::accepted(&tm)],
            vec![
                Attempt::failed(&tm, 2, RestartRule::FirstFailure),
                Attempt::accepted(&tm),
            ],
            vec![Attempt::accepted(&tm)],
        ];
        let lp = LinkParams {
            tau_e,
            bell_start: 0.0,
            parallel_links: 1,
        };
        (
            Schedule::distributed(8, &blocks, InputTiming::FromStart, lp),
            Schedule::monolithic(8, &blocks, InputTiming::FromStart),
            Schedule::direct(8, 30),
        )
    }

    #[test]
    fn at_zero_every_block_qpu_prepares_and_q0_holds_the_data() {
        let (d, ..) = run(1.0);
        let f = frame_at(&d, 3, 0.0, 2.0);
        assert_eq!(f.qpus.len(), 4);
        assert_eq!(f.qpus[0].stage, Stage::HoldingData);
        for q in 1..=3 {
            assert_eq!(f.qpus[q].stage, Stage::Rsp, "Q{q}");
            assert_eq!(f.qpus[q].restarts, 0);
            assert_eq!(f.qpus[q].attempt, 1);
        }
        assert_eq!(f.token, 0.0);
        let f = frame_at(&d, 3, 12.5, 2.0);
        assert_eq!(f.qpus[1].stage, Stage::Check { j: 1, r: 3 });
        assert!((f.qpus[1].progress - 0.5).abs() < 1e-9);
    }

    #[test]
    fn after_acceptance_a_qpu_waits_or_injects_and_restarts_flash() {
        let (d, ..) = run(1.0);
        // Block 1 accepted at 28; RSI 1 starts at 28 (pairs on ℓ1 are ready by 8).
        assert_eq!(d.accepted, vec![28, 49, 28]);
        let f = frame_at(&d, 3, 28.5, 2.0);
        assert!(matches!(f.qpus[1].stage, Stage::Injecting { .. }));
        assert!(matches!(f.qpus[0].stage, Stage::Injecting { .. }));
        // Q3 is accepted at 28 but RSI 3 waits for RSI 2: verified, waiting.
        assert_eq!(f.qpus[3].stage, Stage::Verified);
        // Block 2 failed its check 2 at 10 + 5 + 6 = 21.
        let f = frame_at(&d, 3, 21.5, 2.0);
        assert_eq!(f.qpus[2].restarts, 1);
        assert!(f.qpus[2].flash);
        assert_eq!(f.qpus[2].attempt, 2);
        assert_eq!(f.qpus[2].stage, Stage::Rsp);
        let f = frame_at(&d, 3, 24.0, 2.0);
        assert!(!f.qpus[2].flash);
        assert_eq!(f.qpus[2].restarts, 1);
        let f = frame_at(&d, 3, 20.9, 2.0);
        assert_eq!(f.qpus[2].restarts, 0);
        assert_eq!(f.qpus[2].stage, Stage::Check { j: 2, r: 3 });
    }

    #[test]
    fn a_slow_link_stalls_rsi_and_pair_counts_match_the_link_spans() {
        let (d, ..) = run(20.0);
        // ℓ1 needs 8 pairs at τ_e = 20: the last is ready at 160, used in layer 161.
        let rsi1 = &d.injections[0];
        assert_eq!(rsi1.start, 28);
        assert!(rsi1.stalled());
        let f = frame_at(&d, 3, 30.0, 2.0);
        assert!(f.links[1].stalled);
        assert_eq!(f.stalled_links(), 1);
        assert!(matches!(
            f.qpus[1].stage,
            Stage::Injecting { stalled: true, .. }
        ));
        assert!(f.qpus[1].stage.label().ends_with(" waits"));
        let mut last_token = 0.0;
        let mut tau = 0.0;
        while tau <= f64::from(d.depth) + 2.0 {
            let f = frame_at(&d, 3, tau, 2.0);
            assert!(f.token >= last_token, "token went back at τ = {tau}");
            last_token = f.token;
            for (lf, ls) in f.links.iter().zip(&d.links) {
                assert!(lf.stored <= lf.needed && lf.generated <= lf.needed);
                assert_eq!(lf.stored, ls.stored_at(tau));
                assert_eq!(lf.stored, lf.generated - lf.consumed, "τ = {tau}");
            }
            tau += 0.25;
        }
        assert_eq!(last_token, 4.0, "data returned to Q0 (position t + 1)");
        let end = frame_at(&d, 3, f64::from(d.depth), 2.0);
        assert_eq!(end.qpus[0].stage, Stage::Done);
        assert_eq!(end.stalled_links(), 0);
        assert!(end.links.iter().all(|l| l.consumed == 8));
        // Fast links never stall.
        let (fast, ..) = run(1.0);
        let mut tau = 0.0;
        while tau <= f64::from(fast.depth) {
            assert_eq!(frame_at(&fast, 3, tau, 2.0).stalled_links(), 0);
            tau += 0.5;
        }
        assert!(d.depth > fast.depth);
    }

    #[test]
    fn lanes_cover_each_implementation_and_share_the_depths() {
        let (d, m, x) = run(20.0);
        let ls = lanes(&d, &m, &x);
        assert_eq!(ls.len(), 3 + 1 + 2);
        let end = |l: &Lane| l.segments.iter().map(|s| s.end).fold(0.0, f64::max);
        assert_eq!(end(&ls[0]), f64::from(d.depth), "Q0 ends with the teleport");
        assert_eq!(end(&ls[4]), f64::from(m.depth));
        assert_eq!(end(&ls[5]), 30.0);
        // Block 2's lane shows a failed then an accepted attempt.
        let attempts: Vec<bool> = ls[2]
            .segments
            .iter()
            .filter_map(|s| match s.kind {
                SegmentKind::Attempt { failed, .. } => Some(failed),
                _ => None,
            })
            .collect();
        assert_eq!(attempts, vec![true, false]);
        assert!(ls[1]
            .segments
            .iter()
            .any(|s| matches!(s.kind, SegmentKind::Stall { .. })));
        for l in &ls {
            assert_eq!(l.rows, 1);
            for w in l.segments.windows(2) {
                assert!(w[0].end <= w[1].start + 1e-9, "{}: overlap {w:?}", l.label);
            }
        }
        let sum = summary(&d, &m, &x);
        assert_eq!(sum.restarts, vec![0, 1, 0]);
        assert!(sum.stalls >= 1);
        assert_eq!(next_restart(&d, 0.0), Some(21.0));
        assert_eq!(next_restart(&d, 21.0), None);
        let st = next_stall(&d, 0.0).expect("a stall");
        assert!(frame_at(&d, 3, st, 2.0).stalled_links() > 0);
        assert!(explain_qpu(&d, &frame_at(&d, 3, 13.0, 2.0), 2, 20.0).contains("check 1 of 3"));
        assert!(explain_link(&frame_at(&d, 3, 30.0, 2.0), 1, 20.0).contains("stalled"));
        assert!(explain_lane(&ls[4], 1.0, m.depth).contains("attempt 1 of block 1"));
    }

    #[test]
    fn parallel_links_show_up_to_k_pairs_in_flight() {
        let tm = timing();
        let blocks = vec![vec![Attempt::accepted(&tm)]; 2];
        for k in [1u32, 3] {
            let lp = LinkParams {
                tau_e: 4.0,
                bell_start: 0.0,
                parallel_links: k,
            };
            let d = Schedule::distributed(8, &blocks, InputTiming::FromStart, lp);
            let f = frame_at(&d, 3, 1.0, 2.0);
            let l = &f.links[1];
            assert_eq!(l.generators, k);
            // Pairs 1..k start together at 0 and are a quarter done at τ = 1.
            let want: Vec<(u32, f64)> = (1..=k).map(|j| (j, 0.25)).collect();
            assert_eq!(l.in_flight, want);
            if k == 3 {
                let f = frame_at(&d, 3, 4.5, 2.0);
                let pairs: Vec<u32> = f.links[1].in_flight.iter().map(|p| p.0).collect();
                assert_eq!(pairs, vec![4, 5, 6]);
                assert_eq!(f.links[1].generated, 3);
                // The last round holds the two remaining pairs.
                let f = frame_at(&d, 3, 9.0, 2.0);
                assert_eq!(f.links[1].in_flight.len(), 2);
            }
            let mut tau = 0.0;
            while tau <= f64::from(d.depth) {
                for l in &frame_at(&d, 3, tau, 2.0).links {
                    assert!(l.in_flight.len() as u32 <= k);
                    assert!(l.generated + l.in_flight.len() as u32 <= l.needed);
                }
                tau += 0.5;
            }
        }
    }

    #[test]
    fn instances_show_which_instance_is_in_which_stage() {
        let tm = timing();
        // Block 1: instance 1 fails check 2 (at 21) then retries; instance 2 is accepted at
        // 28 first, so instance 1's second attempt is abandoned there.
        let block1 = vec![
            vec![
                Attempt::failed(&tm, 2, RestartRule::FirstFailure),
                Attempt::accepted(&tm),
            ],
            vec![Attempt::accepted(&tm)],
        ];
        let block2 = vec![vec![Attempt::accepted(&tm)], vec![Attempt::accepted(&tm)]];
        let lp = LinkParams {
            tau_e: 1.0,
            bell_start: 0.0,
            parallel_links: 1,
        };
        let blocks = [block1, block2];
        let d = Schedule::distributed(8, &blocks, InputTiming::FromStart, lp);
        let m = Schedule::monolithic(8, &blocks, InputTiming::FromStart);
        // Monolithic: block 2's instances start after RSI 1 (28 + 4).
        assert_eq!((m.accepted.clone(), m.depth), (vec![28, 60], 64));
        assert_eq!(d.accepted, vec![28, 28]);
        assert_eq!(d.accepted_instance, vec![2, 1]);
        let f = frame_at(&d, 3, 5.0, 2.0);
        let st: Vec<InstanceStage> = f.qpus[1].instances.iter().map(|i| i.stage).collect();
        assert_eq!(st, vec![InstanceStage::Rsp, InstanceStage::Rsp]);
        let f = frame_at(&d, 3, 21.5, 2.0);
        let q1 = &f.qpus[1];
        assert_eq!(q1.instances[0].stage, InstanceStage::Rsp);
        assert_eq!(q1.instances[0].attempt, 2);
        assert_eq!(q1.instances[0].restarts, 1);
        assert_eq!(q1.instances[1].stage, InstanceStage::Check { j: 3, r: 3 });
        assert_eq!((q1.restarts, q1.flash, q1.attempt), (1, true, 2));
        assert_eq!(q1.stage, Stage::Rsp, "the lowest running instance");
        let f = frame_at(&d, 3, 28.5, 2.0);
        let st: Vec<InstanceStage> = f.qpus[1].instances.iter().map(|i| i.stage).collect();
        assert_eq!(st, vec![InstanceStage::Abandoned, InstanceStage::Accepted]);
        // Block 2: a tie at 28 goes to instance 1; instance 2's accepted resource is dropped.
        let st: Vec<InstanceStage> = f.qpus[2].instances.iter().map(|i| i.stage).collect();
        assert_eq!(st, vec![InstanceStage::Accepted, InstanceStage::Abandoned]);
        let ls = lanes(&d, &m, &Schedule::direct(8, 30));
        assert_eq!(ls[1].rows, 2);
        for l in &ls {
            for row in 0..l.rows {
                let segs: Vec<&Segment> = l.segments.iter().filter(|s| s.row == row).collect();
                for w in segs.windows(2) {
                    assert!(w[0].end <= w[1].start + 1e-9, "{}: overlap {w:?}", l.label);
                }
            }
        }
        let abandoned = ls[1].segments.iter().any(|s| {
            matches!(
                s.kind,
                SegmentKind::Attempt {
                    instance: 1,
                    abandoned: true,
                    ..
                }
            ) && s.end == 28.0
        });
        assert!(abandoned);
        assert!(explain_lane(&ls[1], 10.0, d.depth).contains("instance 1 of 2"));
    }

    #[test]
    fn two_sided_rsp_reports_both_sides() {
        // A^T has 5 layers, B 4: RSP = 3 + 5.
        let tm = BlockTiming {
            rsp: 8,
            checks: vec![5],
            rsp_sides: (5, 4),
        };
        let lp = LinkParams {
            tau_e: 1.0,
            bell_start: 0.0,
            parallel_links: 1,
        };
        let d = Schedule::distributed(
            4,
            &[vec![Attempt::accepted(&tm)]],
            InputTiming::FromStart,
            lp,
        );
        let sides = |tau| frame_at(&d, 1, tau, 2.0).qpus[1].instances[0].rsp_sides;
        assert_eq!(sides(1.0), Some((0.0, 0.0)), "Bell pairs first");
        assert_eq!(sides(5.0), Some((0.4, 0.5)));
        assert_eq!(sides(7.5), Some((0.9, 1.0)));
        assert_eq!(sides(8.5), None, "checks");
    }

    #[test]
    fn next_event_lands_on_each_injection_teleport_stall_and_restart() {
        let (d, ..) = run(20.0);
        // RSI 1 stalls (8 pairs at τ_e = 20: the last ready at 160, its CX in layer 161).
        let rsi: Vec<&InjectionSpan> = d.injections.iter().collect();
        let inj = event_times(&d, EventKind::Injection);
        assert_eq!(inj.len(), 3, "RSI 1..3");
        assert_eq!(inj[0], f64::from(stall_end(rsi[0])) + 0.5);
        assert_eq!(stall_end(rsi[0]), 160);
        assert_eq!(inj[1], f64::from(rsi[1].start) + 0.5, "RSI 2 does not wait");
        let tp = event_times(&d, EventKind::Teleport);
        assert_eq!(tp, vec![f64::from(rsi[3].start) + 0.5]);
        assert_eq!(
            event_times(&d, EventKind::Stall),
            vec![f64::from(rsi[0].start) + 0.5]
        );
        assert_eq!(event_times(&d, EventKind::Restart), vec![21.0]);
        // Next/previous walk the lists; nothing beyond the ends.
        assert_eq!(next_event(&d, EventKind::Injection, 0.0), Some(inj[0]));
        assert_eq!(next_event(&d, EventKind::Injection, inj[0]), Some(inj[1]));
        assert_eq!(next_event(&d, EventKind::Injection, inj[2]), None);
        assert_eq!(
            previous_event(&d, EventKind::Injection, inj[1]),
            Some(inj[0])
        );
        assert_eq!(previous_event(&d, EventKind::Injection, inj[0]), None);
        assert_eq!(
            next_event(&d, EventKind::Teleport, 0.0),
            tp.first().copied()
        );
        // At each landing the frame shows the event.
        for &x in &inj {
            let f = frame_at(&d, 3, x, 2.0);
            let injecting = f
                .qpus
                .iter()
                .filter(|q| matches!(q.stage, Stage::Injecting { stalled: false, .. }))
                .count();
            assert_eq!(injecting, 2, "two QPUs take part in the RSI at {x}");
        }
        let f = frame_at(&d, 3, tp[0], 2.0);
        assert!(f.qpus.iter().any(|q| matches!(
            q.stage,
            Stage::Injecting {
                which: InjectionKind::Teleport,
                stalled: false
            }
        )));
        let st = next_event(&d, EventKind::Stall, 0.0).expect("a stall");
        assert!(frame_at(&d, 3, st, 2.0).stalled_links() > 0);
        let rs = next_event(&d, EventKind::Restart, 0.0).expect("a restart");
        let f = frame_at(&d, 3, rs, 2.0);
        assert_eq!((f.qpus[2].restarts, f.qpus[2].stage), (1, Stage::Rsp));
        // Fast links: no stall to jump to.
        let (fast, ..) = run(1.0);
        assert_eq!(next_event(&fast, EventKind::Stall, 0.0), None);
    }

    #[test]
    fn an_abandoned_attempt_is_no_restart() {
        let tm = timing();
        // Instance 1 is accepted at 28; instance 2 fails check 1 at 15 (a restart), and its
        // second attempt, which would fail check 3 at 43, is cut at 28 (abandoned): no restart.
        let block = vec![
            vec![Attempt::accepted(&tm)],
            vec![
                Attempt::failed(&tm, 1, RestartRule::FirstFailure),
                Attempt::failed(&tm, 3, RestartRule::FirstFailure),
            ],
        ];
        let lp = LinkParams {
            tau_e: 1.0,
            bell_start: 0.0,
            parallel_links: 1,
        };
        let d = Schedule::distributed(8, &[block], InputTiming::FromStart, lp);
        assert!(d
            .attempts
            .iter()
            .any(|a| a.abandoned && a.failed_check.is_some()));
        assert_eq!(event_times(&d, EventKind::Restart), vec![15.0]);
    }

    #[test]
    fn pairs_drain_smoothly_in_the_cx_layer() {
        let (d, ..) = run(1.0);
        let rsi1 = &d.injections[0];
        let s = f64::from(rsi1.start);
        let at = |tau: f64| frame_at(&d, 3, tau, 2.0).links[1].clone();
        assert_eq!(at(s).consumed_smooth, 0.0);
        assert!(
            (at(s + 0.5).consumed_smooth - 4.0).abs() < 1e-9,
            "half of 8"
        );
        assert_eq!(at(s + 0.5).consumed, 0);
        assert_eq!(at(s + 1.0).consumed_smooth, 8.0);
        assert_eq!(at(s + 1.0).consumed, 8);
    }

    #[test]
    fn a_real_sampled_run_keeps_every_invariant() {
        use crate::protocol::block::Instance;
        use crate::protocol::params::Params;
        use crate::sim::sampler::sample_run;
        for (tau_e, p) in [(20.0, 1e-4), (1.0, 0.01)] {
            let params = Params {
                n: 8,
                tau_e,
                p,
                ..Params::default()
            };
            let inst = Instance::generate(&params, 0);
            let run = sample_run(&inst, &params, 0, 0).expect("n = 8 runs are always accepted");
            let d = &run.distributed.0;
            let ls = lanes(d, &run.monolithic.0, &run.direct.0);
            let mut last_token = 0.0;
            let mut ever_stalled = false;
            let mut tau = 0.0;
            while tau <= f64::from(d.depth) + 1.0 {
                let f = frame_at(d, params.r, tau, 3.0);
                assert!(f.token >= last_token);
                last_token = f.token;
                for (q, qf) in f.qpus.iter().enumerate() {
                    assert!((0.0..=1.0).contains(&qf.progress));
                    if let Stage::Injecting {
                        stalled: true,
                        which,
                    } = qf.stage
                    {
                        let link = match which {
                            InjectionKind::Rsi(k) => k as usize,
                            InjectionKind::Teleport => 0,
                        };
                        assert!(f.links[link].stalled, "Q{q} stalled but ℓ{link} is not");
                        ever_stalled = true;
                    }
                    if q >= 1 {
                        assert!(qf.restarts <= d.restarts_of(q as u32));
                    }
                }
                for l in &f.links {
                    assert!(l.stored <= l.needed && l.consumed <= l.needed);
                }
                // The lane of each QPU is busy exactly when the ring does not show it idle.
                for (q, qf) in f.qpus.iter().enumerate() {
                    if matches!(qf.stage, Stage::Rsp | Stage::Check { .. }) {
                        assert!(matches!(
                            segment_at(&ls[q], tau).map(|s| s.kind),
                            Some(SegmentKind::Attempt { .. })
                        ));
                    }
                }
                tau += 0.5;
            }
            assert_eq!(last_token, f64::from(d.t + 1));
            assert_eq!(
                ever_stalled,
                summary(d, &run.monolithic.0, &run.direct.0).stalls > 0
            );
            if tau_e == 20.0 {
                assert!(
                    ever_stalled,
                    "n = 8 pairs at τ_e = 20 arrive after the resources"
                );
            }
        }
    }
}
