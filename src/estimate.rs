//! Estimates: statistics over samples, the engine facade shared by the CLI and the browser
//! workers (protocol.md §11.4, §13, §17).
//!
//! `simulate` turns one validated [`Params`] point into a [`Report`]: it builds each circuit
//! instance, asks an engine for its samples ([`CircuitSamples`]), and aggregates them the way
//! the paper does: per circuit p_L and mean depth, then the mean over circuits with the
//! standard deviation over circuits as the error bar. `sweep` repeats this along one axis.
//!
//! Pure Rust: no clock, no filesystem, and threads only natively ([`crate::parallel`]: one
//! thread in wasm), so it runs unchanged in a Web Worker.
//! Every random draw comes from the engines' seeded streams, so a report is a function of its
//! parameters alone (byte-identical JSON for the same seed).

use crate::budget;
use crate::circuit::Circuit;
use crate::parallel;
use crate::protocol::block::Instance;
use crate::protocol::bounds;
use crate::protocol::params::{Knobs, ParamError, Params};
use crate::protocol::reading::Reading;
use crate::protocol::schedule::Implementation;
use crate::sim::sampler::{self, Tables};
use crate::sim::{AttemptCounts, CircuitSamples, EngineKind, Shot, SimError};
use serde::{Deserialize, Serialize};
use thiserror::Error;

pub mod scaling;
pub mod shard;

/// Why a simulation could not run. Messages are one line, meant for the user.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum EngineError {
    #[error(transparent)]
    Params(#[from] ParamError),
    /// A given circuit does not act on n qubits (`index` is 0-based).
    #[error("circuit {index} has {found} qubits but n = {n}")]
    CircuitQubits { index: u32, found: u32, n: u32 },
    #[error("{given} circuits given but circuits = {expected}")]
    CircuitCount { given: u32, expected: u32 },
    /// A given circuit's gate count differs from an explicit s (`index` is 0-based).
    #[error("circuit {index} has {found} gates but s = {s}")]
    CircuitSize { index: u32, found: u32, s: u32 },
    #[error("{0}")]
    Sweep(String),
    /// An engine gave up (e.g. a block is never accepted at this p).
    #[error(transparent)]
    Sim(#[from] SimError),
}

/// Where a running simulation is; reported after every circuit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    /// 0-based index of the sweep point being computed (0 of 1 for `simulate`, and for a
    /// τ_e or p sweep, which computes all its points circuit by circuit).
    pub point: u32,
    pub points: u32,
    /// Circuits finished (at this point, or at every point of a circuit-by-circuit sweep).
    pub circuits_done: u32,
    pub circuits: u32,
}

/// Mean and standard deviation over circuits.
///
/// `std` is the **sample** standard deviation (divisor m − 1 over m circuits), the paper's
/// error bar (protocol.md §11.4: the spread over circuits, not the standard error); it is 0
/// for a single circuit.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeanStd {
    pub mean: f64,
    pub std: f64,
}

impl MeanStd {
    pub fn of(xs: &[f64]) -> MeanStd {
        let m = xs.len();
        if m == 0 {
            return MeanStd {
                mean: f64::NAN,
                std: f64::NAN,
            };
        }
        let mean = xs.iter().sum::<f64>() / m as f64;
        let std = if m < 2 {
            0.0
        } else {
            (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (m - 1) as f64).sqrt()
        };
        MeanStd { mean, std }
    }
}

/// Wilson score interval for a binomial proportion: k successes in n trials, z standard
/// normal quantile (1.96 for 95%). Returns (lower, upper) within [0, 1]; (0, 1) when n = 0.
/// Unlike the normal approximation it stays informative at k = 0, which is common for p_L.
pub fn wilson(k: u64, n: u64, z: f64) -> (f64, f64) {
    if n == 0 {
        return (0.0, 1.0);
    }
    let n_f = n as f64;
    let phat = k.min(n) as f64 / n_f;
    let z2 = z * z;
    let denom = 1.0 + z2 / n_f;
    let centre = (phat + z2 / (2.0 * n_f)) / denom;
    let half = z * (phat * (1.0 - phat) / n_f + z2 / (4.0 * n_f * n_f)).sqrt() / denom;
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// The estimate of one circuit for one implementation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CircuitEstimate {
    /// p_L: fraction of samples with a logical error.
    pub logical_error_rate: f64,
    /// Mean depth over the samples.
    pub depth: f64,
    pub logical_errors: u64,
    pub shots: u64,
    /// 95% Wilson interval of p_L (shot noise of this circuit).
    pub logical_error_rate_wilson95: (f64, f64),
}

impl CircuitEstimate {
    pub fn of(shots: &[Shot]) -> CircuitEstimate {
        Self::from_totals(&ShotTotals::of(shots))
    }

    /// The estimate from a circuit's sums. The depth sum is exact in u64, so this equals
    /// summing the depths in f64 in any order (exact below 2^53 layers in total).
    pub fn from_totals(t: &ShotTotals) -> CircuitEstimate {
        let (n, k) = (t.shots, t.logical_errors);
        CircuitEstimate {
            logical_error_rate: k as f64 / n as f64,
            depth: t.depth_sum as f64 / n as f64,
            logical_errors: k,
            shots: n,
            logical_error_rate_wilson95: wilson(k, n, 1.96),
        }
    }
}

/// The sums of one implementation's samples of one circuit: all an estimate needs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShotTotals {
    pub shots: u64,
    pub logical_errors: u64,
    /// Σ depth over the samples, in layers.
    pub depth_sum: u64,
}

impl ShotTotals {
    pub fn of(shots: &[Shot]) -> ShotTotals {
        ShotTotals {
            shots: shots.len() as u64,
            logical_errors: shots.iter().filter(|s| s.logical_error).count() as u64,
            depth_sum: shots.iter().map(|s| u64::from(s.depth)).sum(),
        }
    }
}

/// Everything the report keeps of one circuit's samples ([`CircuitSamples`] without the
/// per-sample lists): what a shard file stores per (point, circuit) and what [`aggregate`]
/// reads, so a merged sweep prints exactly what the unsharded one does.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CircuitSummary {
    pub direct: ShotTotals,
    pub monolithic: ShotTotals,
    pub distributed: ShotTotals,
    /// Per block, attempts and restarts pooled over the CliNR samples.
    pub attempts: Vec<AttemptCounts>,
    /// Attempts and restarts summed over blocks, (monolithic, distributed).
    pub attempts_by_impl: [AttemptCounts; 2],
    /// Histogram of T_1 over the distributed samples ([`CircuitSamples::first_acceptance`]).
    pub first_acceptance: Vec<(u32, u64)>,
}

impl CircuitSummary {
    pub fn of(s: &CircuitSamples) -> CircuitSummary {
        CircuitSummary {
            direct: ShotTotals::of(&s.direct),
            monolithic: ShotTotals::of(&s.monolithic),
            distributed: ShotTotals::of(&s.distributed),
            attempts: s.attempts.clone(),
            attempts_by_impl: s.attempts_by_impl,
            first_acceptance: s.first_acceptance.clone(),
        }
    }

    /// The totals of one implementation.
    pub fn totals(&self, which: Implementation) -> &ShotTotals {
        match which {
            Implementation::Direct => &self.direct,
            Implementation::Monolithic => &self.monolithic,
            Implementation::Distributed => &self.distributed,
        }
    }
}

/// The values of one circuit instance that the report derives from (protocol.md §17), before
/// the pooled q_k enters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CircuitStructure {
    pub n: u32,
    /// Δ.
    pub circuit_depth: u32,
    /// Gates of C.
    pub size: u32,
    /// Δ_k per block.
    pub block_depths: Vec<u32>,
    /// w_j per block (fixed checks).
    pub check_weights: Vec<Vec<u32>>,
    /// δ_k per block with the fixed checks (and two-sided RSP if set).
    pub rspv_depths: Vec<u32>,
}

impl CircuitStructure {
    pub fn of(inst: &Instance, knobs: &Knobs) -> CircuitStructure {
        CircuitStructure {
            n: inst.n,
            circuit_depth: inst.depth,
            size: inst.circuit.gates.len() as u32,
            block_depths: inst.blocks.iter().map(|b| b.depth()).collect(),
            check_weights: inst.blocks.iter().map(|b| b.check_weights()).collect(),
            rspv_depths: inst.timings(knobs).iter().map(|t| t.delta()).collect(),
        }
    }
}

/// One (point, circuit) of a simulation: the circuit's structure and its samples' sums.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CircuitRecord {
    pub structure: CircuitStructure,
    pub summary: CircuitSummary,
}

/// The result of one implementation over all circuits of a point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImplResult {
    /// Mean and sample std over circuits of the per-circuit p_L.
    pub logical_error_rate: MeanStd,
    /// Mean and sample std over circuits of the per-circuit mean depth.
    pub depth: MeanStd,
    /// q_k, k = 1..t: restarts / attempts of block k pooled over all circuits (CliNR only).
    /// The engines count attempts pooled over the monolithic and distributed samples (RSP&V
    /// runs identically in both, protocol.md §13), so both carry the same vector.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restart_probability: Option<Vec<f64>>,
    pub per_circuit: Vec<CircuitEstimate>,
}

impl ImplResult {
    fn of(per_circuit: Vec<CircuitEstimate>, restart_probability: Option<Vec<f64>>) -> Self {
        let pl: Vec<f64> = per_circuit.iter().map(|c| c.logical_error_rate).collect();
        let d: Vec<f64> = per_circuit.iter().map(|c| c.depth).collect();
        ImplResult {
            logical_error_rate: MeanStd::of(&pl),
            depth: MeanStd::of(&d),
            restart_probability,
            per_circuit,
        }
    }
}

/// The three implementations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Results {
    pub direct: ImplResult,
    pub monolithic: ImplResult,
    pub distributed: ImplResult,
}

impl Results {
    pub fn get(&self, which: Implementation) -> &ImplResult {
        match which {
            Implementation::Direct => &self.direct,
            Implementation::Monolithic => &self.monolithic,
            Implementation::Distributed => &self.distributed,
        }
    }
}

/// Structural values of one circuit instance (protocol.md §17 "derived values").
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CircuitDerived {
    /// Δ: ASAP depth of C.
    pub circuit_depth: u32,
    /// Gates of C.
    pub size: u32,
    /// Δ_k per block.
    pub block_depths: Vec<u32>,
    /// w_j per block (the block's fixed checks; under check_redraw = per_attempt these are the
    /// first draw only).
    pub check_weights: Vec<Vec<u32>>,
    /// δ_k: RSP&V depth of block k without restart, with the fixed checks.
    pub rspv_depths: Vec<u32>,
    /// §8.7 and §12 thresholds for these δ_k.
    pub thresholds: bounds::Thresholds,
    /// Prop. 1 with this circuit's δ_k and the pooled q_k (uniform-model value).
    pub prop1_monolithic_depth: f64,
    /// Prop. 2 with 4(t+1), this circuit's δ_k and the pooled q_k (uniform-model bound).
    pub prop2_distributed_depth_bound: f64,
    /// Eq. 8 for this circuit.
    pub eq8_no_stall: bool,
}

/// Qubits the hardware of each implementation needs with m RSP&V instances per block
/// (protocol.md §2.3, §15.4): every instance has its own resource register (a, b: 2n qubits)
/// and its own check ancilla.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QubitCounts {
    /// m.
    pub instances: u32,
    /// Monolithic QPU: n data + m(2n+1) (3n+1 when m = 1).
    pub monolithic: u32,
    /// Compute qubits of each distributed QPU: m(2n+1) on Q_1..Q_t (2n+1 when m = 1; Q_0 needs
    /// 2n, for the input and the teleported output). After RSI k the data sits on the injected
    /// instance's b register, so no more are needed.
    pub distributed_compute_per_qpu: u32,
    /// Storage qubits of each distributed QPU: 2n, n Bell-pair halves per adjacent link,
    /// whatever m and the number of links.
    pub distributed_storage_per_qpu: u32,
    /// QPUs of distributed CliNR: t + 1.
    pub distributed_qpus: u32,
}

impl QubitCounts {
    pub fn of(n: u32, t: u32, instances: u32) -> QubitCounts {
        let m = instances.max(1);
        QubitCounts {
            instances: m,
            monolithic: n + m * (2 * n + 1),
            distributed_compute_per_qpu: m * (2 * n + 1),
            distributed_storage_per_qpu: 2 * n,
            distributed_qpus: t + 1,
        }
    }
}

/// Derived values of a point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Derived {
    /// Mean/std over circuits of Δ.
    pub circuit_depth: MeanStd,
    /// Mean over circuits of Δ_k, k = 1..t.
    pub block_depths_mean: Vec<f64>,
    /// Mean over circuits of δ_k, k = 1..t.
    pub rspv_depths_mean: Vec<f64>,
    /// Mean over circuits of the check weight (all blocks, all checks); omitted when there is
    /// no check (r = 0), with the reason in `check_weight_note`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_weight_mean: Option<f64>,
    /// Why `check_weight_mean` is omitted (absent when it is given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub check_weight_note: Option<String>,
    /// q_k pooled over circuits (same as results.*.restart_probability).
    pub restart_probability: Vec<f64>,
    /// τ_e / parallel_links: the effective time per pair on a link.
    pub tau_e_effective: f64,
    /// Mean over circuits of the restart-free floor of the distributed depth,
    /// max_k(δ_k − 4(k−1)) + 4(t+1) (protocol.md §8.7, §12): distributed CliNR is shallower than
    /// direct only for circuits whose depth Δ exceeds it. Not §12's threshold *on Δ*
    /// (t/(t−1)·(overhead + 4(t+1)) ≈ 6.75n + 46, `view::thresholds::depth_threshold`), which
    /// solves the same inequality for Δ. The τ_e thresholds below are §8.7's.
    pub min_depth_for_distributed_advantage_mean: f64,
    pub tau_e_no_wait_mean: f64,
    pub tau_e_no_depth_cost_mean: f64,
    /// Mean over circuits of Prop. 1 / Prop. 2 computed from measured q_k and δ_k. These are
    /// **uniform-model bounds** (paper §V: uniform noise, restart only at the end of RSV); they
    /// are exact statements only under noise_model = uniform, restart_rule = end_of_rsv.
    pub prop1_monolithic_depth_uniform_model: f64,
    pub prop2_distributed_depth_bound_uniform_model: f64,
    /// Fraction of circuits satisfying Eq. 8 (n·τ_e ≤ RSP&V term: no stall on average).
    pub eq8_no_stall_fraction: f64,
    pub per_circuit: Vec<CircuitDerived>,
    /// Qubit counts with m > 1 instances (omitted when m = 1: the paper's 3n+1 monolithic and
    /// 2n+1 compute + 2n storage per QPU, [`QubitCounts::of`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qubits: Option<QubitCounts>,
}

/// Everything measured at one point. Tools parse `params` and `results` (names are fixed).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub params: Params,
    pub engine: EngineKind,
    /// Knobs that differ from their defaults, as (identifier, value) pairs (§17: flag them).
    pub non_default_knobs: Vec<(String, String)>,
    /// The active reading of the paper (protocol.md §9, §16): paper-consistent, literal or
    /// custom, with the changed knobs in plain words. Always written; absent in reports from
    /// before it existed (then [`Report::reading`] derives it from `params.knobs`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reading: Option<Reading>,
    pub results: Results,
    pub derived: Derived,
    /// T_1 over every distributed sample of every circuit, as sorted (T_1, samples) pairs: what
    /// the minimum-links search of [`scaling`] reads. Not part of the JSON report.
    #[serde(skip)]
    pub first_acceptance: Vec<(u32, u64)>,
    /// Sums over every circuit's samples of (direct, monolithic, distributed), and attempts and
    /// restarts of the (monolithic, distributed) samples: for `--format sinter`. Not part of
    /// the JSON report.
    #[serde(skip)]
    pub totals: [ShotTotals; 3],
    #[serde(skip)]
    pub attempts_by_impl: [AttemptCounts; 2],
    /// True when the circuits were given (e.g. `clinr simulate --circuit-file`), not drawn:
    /// `params.s` is then their common gate count (null when they differ; each circuit's is
    /// `derived.per_circuit[i].size`), and the knobs that describe a drawn circuit
    /// (circuit_generator, size_count, padding_gates) do not apply. Omitted when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub given_circuits: bool,
}

impl Report {
    /// The active reading: the one written in the report, or (for reports from before the
    /// field existed) the one of `params.knobs`.
    pub fn reading(&self) -> Reading {
        self.reading
            .clone()
            .unwrap_or_else(|| Reading::of(&self.params.knobs))
    }
}

/// q_k = Σ restarts / Σ attempts of block k over circuits (0 when a block has no attempts).
pub fn pooled_restart_probability(samples: &[CircuitSamples]) -> Vec<f64> {
    let counts: Vec<&[AttemptCounts]> = samples.iter().map(|s| &s.attempts[..]).collect();
    pooled_q(&counts)
}

/// [`pooled_restart_probability`] over each circuit's per-block counts.
fn pooled_q(counts: &[&[AttemptCounts]]) -> Vec<f64> {
    let t = counts.iter().map(|s| s.len()).max().unwrap_or(0);
    (0..t)
        .map(|k| {
            let (a, r) = counts
                .iter()
                .filter_map(|s| s.get(k))
                .fold((0u64, 0u64), |(a, r), c| (a + c.attempts, r + c.restarts));
            if a == 0 {
                0.0
            } else {
                r as f64 / a as f64
            }
        })
        .collect()
}

fn mean(xs: impl Iterator<Item = f64>) -> f64 {
    let (s, c) = xs.fold((0.0, 0u64), |(s, c), x| (s + x, c + 1));
    if c == 0 {
        f64::NAN
    } else {
        s / c as f64
    }
}

fn column_means(rows: &[Vec<u32>]) -> Vec<f64> {
    let t = rows.iter().map(Vec::len).max().unwrap_or(0);
    (0..t)
        .map(|k| mean(rows.iter().filter_map(|r| r.get(k)).map(|&x| f64::from(x))))
        .collect()
}

/// The structural values of one circuit (everything but the bounds that need the pooled q_k,
/// which [`with_bounds`] adds).
fn structural(inst: &CircuitStructure) -> CircuitDerived {
    CircuitDerived {
        circuit_depth: inst.circuit_depth,
        size: inst.size,
        block_depths: inst.block_depths.clone(),
        check_weights: inst.check_weights.clone(),
        thresholds: bounds::thresholds(&inst.rspv_depths, inst.n),
        prop1_monolithic_depth: 0.0,
        prop2_distributed_depth_bound: 0.0,
        eq8_no_stall: false,
        rspv_depths: inst.rspv_depths.clone(),
    }
}

/// `d` (of a circuit on `params.n` qubits) with Prop. 1, Prop. 2 and Eq. 8 for the pooled q.
fn with_bounds(mut d: CircuitDerived, params: &Params, q: &[f64]) -> CircuitDerived {
    let rspv = &d.rspv_depths;
    let tau_eff = params.tau_e / f64::from(params.knobs.parallel_links.max(1));
    // Pad q to t entries so the bounds see every block even without measured attempts.
    let qs: Vec<f64> = (0..rspv.len())
        .map(|k| q.get(k).copied().unwrap_or(0.0))
        .collect();
    d.prop1_monolithic_depth = bounds::prop1_monolithic_depth(rspv, &qs);
    d.prop2_distributed_depth_bound =
        bounds::prop2_distributed_depth_bound(rspv, &qs, params.n, tau_eff);
    d.eq8_no_stall = bounds::eq8_no_stall(rspv, &qs, params.n, tau_eff);
    d
}

/// Aggregates the samples of a point into a [`Report`]. `instances[i]` produced `samples[i]`.
pub fn aggregate(
    params: &Params,
    engine: EngineKind,
    instances: &[Instance],
    samples: &[CircuitSamples],
) -> Report {
    let records: Vec<CircuitRecord> = instances
        .iter()
        .zip(samples)
        .map(|(inst, s)| CircuitRecord {
            structure: CircuitStructure::of(inst, &params.knobs),
            summary: CircuitSummary::of(s),
        })
        .collect();
    aggregate_records(params, engine, &records)
}

/// Aggregates a point's circuit records (in circuit order) into a [`Report`]: the one place
/// reports are made, for whole runs and for merged shards alike.
pub fn aggregate_records(params: &Params, engine: EngineKind, records: &[CircuitRecord]) -> Report {
    let counts: Vec<&[AttemptCounts]> = records.iter().map(|r| &r.summary.attempts[..]).collect();
    let q = pooled_q(&counts);
    let per = |which: Implementation| -> Vec<CircuitEstimate> {
        records
            .iter()
            .map(|r| CircuitEstimate::from_totals(r.summary.totals(which)))
            .collect()
    };
    let results = Results {
        direct: ImplResult::of(per(Implementation::Direct), None),
        monolithic: ImplResult::of(per(Implementation::Monolithic), Some(q.clone())),
        distributed: ImplResult::of(per(Implementation::Distributed), Some(q.clone())),
    };
    let per_circuit: Vec<CircuitDerived> = records
        .iter()
        .map(|r| with_bounds(structural(&r.structure), params, &q))
        .collect();
    let deltas: Vec<f64> = per_circuit
        .iter()
        .map(|d| f64::from(d.circuit_depth))
        .collect();
    let block_depths: Vec<Vec<u32>> = per_circuit.iter().map(|d| d.block_depths.clone()).collect();
    let rspv: Vec<Vec<u32>> = per_circuit.iter().map(|d| d.rspv_depths.clone()).collect();
    let check_weight_mean = Some(mean(
        per_circuit
            .iter()
            .flat_map(|d| d.check_weights.iter().flatten())
            .map(|&w| f64::from(w)),
    ))
    .filter(|w| w.is_finite());
    let derived = Derived {
        circuit_depth: MeanStd::of(&deltas),
        block_depths_mean: column_means(&block_depths),
        rspv_depths_mean: column_means(&rspv),
        check_weight_mean,
        check_weight_note: check_weight_mean
            .is_none()
            .then(|| "no verification checks (r = 0)".to_string()),
        restart_probability: q,
        tau_e_effective: params.tau_e / f64::from(params.knobs.parallel_links.max(1)),
        min_depth_for_distributed_advantage_mean: mean(
            per_circuit
                .iter()
                .map(|d| f64::from(d.thresholds.min_depth_for_distributed_advantage)),
        ),
        tau_e_no_wait_mean: mean(per_circuit.iter().map(|d| d.thresholds.tau_e_no_wait)),
        tau_e_no_depth_cost_mean: mean(
            per_circuit.iter().map(|d| d.thresholds.tau_e_no_depth_cost),
        ),
        prop1_monolithic_depth_uniform_model: mean(
            per_circuit.iter().map(|d| d.prop1_monolithic_depth),
        ),
        prop2_distributed_depth_bound_uniform_model: mean(
            per_circuit.iter().map(|d| d.prop2_distributed_depth_bound),
        ),
        eq8_no_stall_fraction: mean(
            per_circuit
                .iter()
                .map(|d| if d.eq8_no_stall { 1.0 } else { 0.0 }),
        ),
        per_circuit,
        qubits: (params.knobs.instances > 1)
            .then(|| QubitCounts::of(params.n, params.t, params.knobs.instances)),
    };
    let mut first_acceptance: Vec<(u32, u64)> = Vec::new();
    let mut totals = [ShotTotals::default(); 3];
    let mut attempts_by_impl = [AttemptCounts::default(); 2];
    for r in records {
        first_acceptance = merge_histograms(&first_acceptance, &r.summary.first_acceptance);
        for (t, which) in totals.iter_mut().zip(Implementation::ALL) {
            let x = r.summary.totals(which);
            t.shots += x.shots;
            t.logical_errors += x.logical_errors;
            t.depth_sum += x.depth_sum;
        }
        for (a, x) in attempts_by_impl.iter_mut().zip(&r.summary.attempts_by_impl) {
            a.attempts += x.attempts;
            a.restarts += x.restarts;
        }
    }
    Report {
        params: *params,
        engine,
        non_default_knobs: params.knobs.non_default(),
        reading: Some(Reading::of(&params.knobs)),
        results,
        derived,
        first_acceptance,
        totals,
        attempts_by_impl,
        given_circuits: false,
    }
}

/// The sum of two sorted (value, count) histograms, sorted.
pub fn merge_histograms(a: &[(u32, u64)], b: &[(u32, u64)]) -> Vec<(u32, u64)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        match (a.get(i), b.get(j)) {
            (Some(&x), Some(&y)) if x.0 == y.0 => {
                out.push((x.0, x.1 + y.1));
                i += 1;
                j += 1;
            }
            (Some(&x), Some(&y)) if x.0 < y.0 => {
                out.push(x);
                i += 1;
            }
            (Some(&x), None) => {
                out.push(x);
                i += 1;
            }
            (_, Some(&y)) => {
                out.push(y);
                j += 1;
            }
            (None, None) => break,
        }
    }
    out
}

/// What a worker computes for one circuit: its samples at every point of `points` (which all
/// share this instance), with `tables` as reusable buffers. The seam between the engines and
/// the aggregation (tests plug in a fake engine here).
type CircuitRunner<'a> = dyn Fn(&mut Tables, &Instance, &[Params], u32) -> Result<Vec<CircuitSamples>, EngineError>
    + Sync
    + 'a;

/// The runner of an engine. The fast engine prepares the circuit's signature tables once (in
/// the worker's reused buffers) for all points, and draws the attempts once for points that
/// differ only in τ_e or the link knobs ([`crate::sim::sampler::run_prepared_points`]).
fn engine_runner(
    engine: EngineKind,
) -> impl Fn(&mut Tables, &Instance, &[Params], u32) -> Result<Vec<CircuitSamples>, EngineError> + Sync
{
    move |tables: &mut Tables, inst: &Instance, points: &[Params], i: u32| {
        Ok(match engine {
            EngineKind::Fast => {
                let Some(first) = points.first() else {
                    return Ok(Vec::new());
                };
                let prep = sampler::prepare_reusing(inst, first, std::mem::take(tables));
                let out = sampler::run_prepared_points(&prep, points, i);
                *tables = prep.into_tables();
                out?
            }
            EngineKind::Reference => points
                .iter()
                .map(|p| crate::sim::reference::run_circuit(inst, p, i))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// The instance of circuit i: generated, or on the i-th given circuit (already checked).
fn instance(params: &Params, circuits: Option<&[Circuit]>, i: u32) -> Instance {
    match circuits.and_then(|cs| cs.get(i as usize)) {
        Some(c) => Instance::with_circuit(params, i, c.clone()),
        None => Instance::generate(params, i),
    }
}

/// The parameters of a run on `circuits`: with given circuits, `s` must be unset or equal to
/// every circuit's gate count, and becomes their common gate count (None when they differ).
fn with_given_size(params: &Params, circuits: Option<&[Circuit]>) -> Result<Params, EngineError> {
    let Some(cs) = circuits else {
        return Ok(*params);
    };
    let sizes: Vec<u32> = cs
        .iter()
        .map(|c| u32::try_from(c.len()).unwrap_or(u32::MAX))
        .collect();
    if let Some(s) = params.s {
        if let Some(index) = sizes.iter().position(|&found| found != s) {
            return Err(EngineError::CircuitSize {
                index: index as u32,
                found: sizes[index],
                s,
            });
        }
    }
    let common = sizes
        .first()
        .copied()
        .filter(|&first| sizes.iter().all(|&x| x == first));
    Ok(Params {
        s: common,
        ..*params
    })
}

/// The threads a run of `points` may use within the memory budget ([`budget::plan`]), at
/// most `threads`; an error if it does not fit on one.
fn fit_threads(
    points: &[Params],
    shared_instances: bool,
    circuits: Option<&[Circuit]>,
    threads: u32,
) -> Result<u32, EngineError> {
    let sizes = circuits.unwrap_or_default().iter().map(|c| c.len() as u64);
    let plan = budget::plan(
        &budget::Run {
            points,
            shared_instances,
            given_gates: sizes.clone().sum(),
            largest_given: sizes.max(),
        },
        threads,
    )?;
    Ok(plan.threads)
}

/// Given circuits must be exactly `params.circuits` of them, each on n qubits.
fn check_circuits(params: &Params, circuits: Option<&[Circuit]>) -> Result<(), EngineError> {
    let Some(cs) = circuits else {
        return Ok(());
    };
    let given = u32::try_from(cs.len()).unwrap_or(u32::MAX);
    if given != params.circuits {
        return Err(EngineError::CircuitCount {
            given,
            expected: params.circuits,
        });
    }
    for (i, c) in cs.iter().enumerate() {
        if c.n != params.n {
            return Err(EngineError::CircuitQubits {
                index: i as u32,
                found: c.n,
                n: params.n,
            });
        }
    }
    Ok(())
}

/// How the circuits of a simulation are run: on how many threads, by which engine (for the
/// report), on which given circuits, with which runner.
#[derive(Clone, Copy)]
struct Work<'a> {
    threads: u32,
    engine: EngineKind,
    circuits: Option<&'a [Circuit]>,
    run: &'a CircuitRunner<'a>,
}

/// Runs every circuit of `base` (validated, as is every point) at every point of `points`,
/// circuit by circuit on up to `threads` threads: each worker builds a circuit's instance,
/// runs `run` on it, and keeps its buffers for the next circuit. One report per point, in
/// order. The points must share their instances (they differ in neither n, s, t, r, seed nor
/// the circuit knobs). `progress` hears `(point, points)` = `label` after every circuit.
fn run_points(
    work: &Work,
    base: &Params,
    points: &[Params],
    progress: &mut dyn FnMut(Progress),
    label: (u32, u32),
) -> Result<Vec<Report>, EngineError> {
    let columns = run_point_records(work, base, points, progress, label)?;
    Ok(points
        .iter()
        .zip(&columns)
        .map(|(p, records)| Report {
            given_circuits: work.circuits.is_some(),
            ..aggregate_records(p, work.engine, records)
        })
        .collect())
}

/// [`run_points`] before aggregation: per point, one record per circuit, in circuit order.
fn run_point_records(
    work: &Work,
    base: &Params,
    points: &[Params],
    progress: &mut dyn FnMut(Progress),
    label: (u32, u32),
) -> Result<Vec<Vec<CircuitRecord>>, EngineError> {
    let Work {
        threads,
        circuits,
        run,
        ..
    } = *work;
    let total = base.circuits;
    let rows = parallel::map_indexed(
        total,
        threads,
        Tables::default,
        |tables, i| {
            let inst = instance(base, circuits, i);
            let samples = run(tables, &inst, points, i)?;
            // The structure depends on the knobs, which may differ between points (two-sided
            // RSP is a knob but does not change the instance).
            let records: Vec<CircuitRecord> = points
                .iter()
                .zip(&samples)
                .map(|(p, s)| CircuitRecord {
                    structure: CircuitStructure::of(&inst, &p.knobs),
                    summary: CircuitSummary::of(s),
                })
                .collect();
            Ok::<_, EngineError>(records)
        },
        &mut |done| {
            progress(Progress {
                point: label.0,
                points: label.1,
                circuits_done: done,
                circuits: total,
            })
        },
    )?;
    let mut columns: Vec<Vec<CircuitRecord>> = points
        .iter()
        .map(|_| Vec::with_capacity(rows.len()))
        .collect();
    for records in rows {
        for (column, r) in columns.iter_mut().zip(records) {
            column.push(r);
        }
    }
    Ok(columns)
}

/// Simulates one point: validates `params`, builds the circuit instances (random, or on the
/// given circuits), runs `engine` on each circuit and aggregates. `progress` is called after
/// every circuit. Uses every core natively ([`parallel::available_threads`]); the report does
/// not depend on the number of threads.
pub fn simulate(
    params: &Params,
    engine: EngineKind,
    circuits: Option<&[Circuit]>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, EngineError> {
    simulate_on(
        parallel::available_threads(),
        params,
        engine,
        circuits,
        progress,
    )
}

/// [`simulate`] on up to `threads` threads (1: on the calling thread).
pub fn simulate_on(
    threads: u32,
    params: &Params,
    engine: EngineKind,
    circuits: Option<&[Circuit]>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, EngineError> {
    params.validate()?;
    check_circuits(params, circuits)?;
    let params = &with_given_size(params, circuits)?;
    let threads = fit_threads(std::slice::from_ref(params), false, circuits, threads)?;
    let run = engine_runner(engine);
    let work = Work {
        threads,
        engine,
        circuits,
        run: &run,
    };
    let mut reports = run_points(
        &work,
        params,
        std::slice::from_ref(params),
        progress,
        (0, 1),
    )?;
    Ok(reports.swap_remove(0))
}

/// The axis of a sweep and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vary {
    N(Vec<u32>),
    TauE(Vec<f64>),
    P(Vec<f64>),
    T(Vec<u32>),
}

impl Vary {
    /// The parameter's identifier (as in `Params`).
    pub fn name(&self) -> &'static str {
        match self {
            Vary::N(_) => "n",
            Vary::TauE(_) => "tau_e",
            Vary::P(_) => "p",
            Vary::T(_) => "t",
        }
    }

    pub fn len(&self) -> usize {
        match self {
            Vary::N(v) | Vary::T(v) => v.len(),
            Vary::TauE(v) | Vary::P(v) => v.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The x value and the parameters of point `i`.
    pub fn point(&self, base: &Params, i: usize) -> (f64, Params) {
        let mut p = *base;
        let x = match self {
            Vary::N(v) => {
                p.n = v[i];
                f64::from(v[i])
            }
            Vary::T(v) => {
                p.t = v[i];
                f64::from(v[i])
            }
            Vary::TauE(v) => {
                p.tau_e = v[i];
                v[i]
            }
            Vary::P(v) => {
                p.p = v[i];
                v[i]
            }
        };
        (x, p)
    }

    /// Whether the circuit instances (circuits, splits, checks) are the same at every point:
    /// they depend on n, s, t, r, seed and the circuit knobs, not on τ_e or p.
    pub fn keeps_instances(&self) -> bool {
        matches!(self, Vary::TauE(_) | Vary::P(_))
    }
}

/// Sweeps one parameter: one [`Report`] per value, in order, with the x value. Every point is
/// validated before any work starts. Varying τ_e or p keeps the circuit instances, so the
/// sweep runs circuit by circuit: each circuit is built and (fast engine) its tables prepared
/// once for all points, and a τ_e sweep draws its attempts once; progress then counts
/// circuits over the whole sweep (point 0 of 1). Varying n or t runs point by point. Given
/// circuits require a fixed n. Uses every core natively; the numbers do not depend on it.
pub fn sweep(
    base: &Params,
    var: &Vary,
    engine: EngineKind,
    circuits: Option<&[Circuit]>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<(f64, Report)>, EngineError> {
    sweep_on(
        parallel::available_threads(),
        base,
        var,
        engine,
        circuits,
        progress,
    )
}

/// [`sweep`] on up to `threads` threads (1: on the calling thread).
pub fn sweep_on(
    threads: u32,
    base: &Params,
    var: &Vary,
    engine: EngineKind,
    circuits: Option<&[Circuit]>,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<(f64, Report)>, EngineError> {
    sweep_using(
        threads,
        base,
        var,
        engine,
        circuits,
        &engine_runner(engine),
        progress,
    )
}

/// [`sweep_on`] with any circuit runner.
fn sweep_using(
    threads: u32,
    base: &Params,
    var: &Vary,
    engine: EngineKind,
    circuits: Option<&[Circuit]>,
    run: &CircuitRunner,
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<(f64, Report)>, EngineError> {
    let points = sweep_points(base, var, circuits)?;
    let ps: Vec<Params> = points.iter().map(|(_, p)| *p).collect();
    let threads = fit_threads(&ps, var.keeps_instances(), circuits, threads)?;
    let work = Work {
        threads,
        engine,
        circuits,
        run,
    };
    let xs = points.iter().map(|(x, _)| *x);
    if var.keeps_instances() {
        let ps: Vec<Params> = points.iter().map(|(_, p)| *p).collect();
        let reports = run_points(&work, base, &ps, progress, (0, 1))?;
        return Ok(xs.zip(reports).collect());
    }
    let count = u32::try_from(points.len()).unwrap_or(u32::MAX);
    let mut out = Vec::with_capacity(points.len());
    for (i, (x, p)) in points.iter().enumerate() {
        let mut report = run_points(
            &work,
            p,
            std::slice::from_ref(p),
            progress,
            (i as u32, count),
        )?;
        out.push((*x, report.swap_remove(0)));
    }
    Ok(out)
}

/// One computed (point, circuit) of a sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepItem {
    /// 0-based index of the point in the sweep.
    pub point: u32,
    /// 0-based circuit index.
    pub circuit: u32,
    pub record: CircuitRecord,
}

/// Computes only the given (point, circuit) items of a sweep (e.g. one shard's,
/// [`shard::shard_items`]), on up to `threads` threads, after validating every point as
/// [`sweep`] does. Each item is computed exactly as in the whole sweep (every circuit draws
/// from its own streams, and a point's samples do not depend on which other points run with
/// it), so the items of all shards make the whole sweep's reports ([`sweep_from_items`]).
/// Items of one circuit are run together when the points share their instances (τ_e, p).
/// Progress counts those groups (point 0 of 1).
pub fn sweep_items_on(
    threads: u32,
    base: &Params,
    var: &Vary,
    engine: EngineKind,
    circuits: Option<&[Circuit]>,
    items: &[(u32, u32)],
    progress: &mut dyn FnMut(Progress),
) -> Result<Vec<SweepItem>, EngineError> {
    let points = sweep_points(base, var, circuits)?;
    let ps: Vec<Params> = points.iter().map(|(_, p)| *p).collect();
    let threads = fit_threads(&ps, var.keeps_instances(), circuits, threads)?;
    let run = engine_runner(engine);
    // Groups of items run together: (circuit, point indices).
    let mut groups: Vec<(u32, Vec<u32>)> = Vec::new();
    for &(p, c) in items {
        if p as usize >= points.len() || c >= base.circuits {
            return Err(EngineError::Sweep(format!(
                "item (point {p}, circuit {c}) is outside the sweep"
            )));
        }
        match groups.last_mut() {
            Some((gc, ps)) if var.keeps_instances() && *gc == c => ps.push(p),
            _ => groups.push((c, vec![p])),
        }
    }
    let groups_count = u32::try_from(groups.len()).unwrap_or(u32::MAX);
    let rows = parallel::map_indexed(
        groups_count,
        threads,
        Tables::default,
        |tables, g| {
            let (c, ps) = &groups[g as usize];
            let params: Vec<Params> = ps.iter().map(|&p| points[p as usize].1).collect();
            let inst = instance(&params[0], circuits, *c);
            let samples = run(tables, &inst, &params, *c)?;
            Ok::<_, EngineError>(
                ps.iter()
                    .zip(&params)
                    .zip(&samples)
                    .map(|((&p, pp), s)| SweepItem {
                        point: p,
                        circuit: *c,
                        record: CircuitRecord {
                            structure: CircuitStructure::of(&inst, &pp.knobs),
                            summary: CircuitSummary::of(s),
                        },
                    })
                    .collect::<Vec<_>>(),
            )
        },
        &mut |done| {
            progress(Progress {
                point: 0,
                points: 1,
                circuits_done: done,
                circuits: groups_count,
            })
        },
    )?;
    Ok(rows.into_iter().flatten().collect())
}

/// The reports of a sweep from the records of all its (point, circuit) items, each exactly
/// once (in any order): the same reports [`sweep`] returns.
///
/// `given_circuits`: the sweep ran on given circuits (`--circuit-file`); then, as in [`sweep`],
/// `params.s` is their common gate count (read from the records) and the reports say so.
pub fn sweep_from_items(
    base: &Params,
    var: &Vary,
    engine: EngineKind,
    items: Vec<SweepItem>,
    given_circuits: bool,
) -> Result<Vec<(f64, Report)>, EngineError> {
    let mut base = *base;
    if given_circuits {
        let mut sizes = items.iter().map(|it| it.record.structure.size);
        let first = sizes.next();
        base.s = first.filter(|&f| sizes.all(|x| x == f));
    }
    let points: Vec<(f64, Params)> = (0..var.len()).map(|i| var.point(&base, i)).collect();
    let circuits = base.circuits as usize;
    let mut grid: Vec<Vec<Option<CircuitRecord>>> = vec![vec![None; circuits]; points.len()];
    for it in items {
        let slot = grid
            .get_mut(it.point as usize)
            .and_then(|row| row.get_mut(it.circuit as usize))
            .ok_or_else(|| {
                EngineError::Sweep(format!(
                    "item (point {}, circuit {}) is outside the sweep",
                    it.point, it.circuit
                ))
            })?;
        if slot.is_some() {
            return Err(EngineError::Sweep(format!(
                "item (point {}, circuit {}) given twice",
                it.point, it.circuit
            )));
        }
        *slot = Some(it.record);
    }
    points
        .iter()
        .zip(grid)
        .enumerate()
        .map(|(p, ((x, params), row))| {
            let records: Vec<CircuitRecord> = row
                .into_iter()
                .enumerate()
                .map(|(c, r)| {
                    r.ok_or_else(|| {
                        EngineError::Sweep(format!("item (point {p}, circuit {c}) is missing"))
                    })
                })
                .collect::<Result<_, _>>()?;
            Ok((
                *x,
                Report {
                    given_circuits,
                    ..aggregate_records(params, engine, &records)
                },
            ))
        })
        .collect()
}

/// The points of a sweep, every one validated, and the given circuits checked.
fn sweep_points(
    base: &Params,
    var: &Vary,
    circuits: Option<&[Circuit]>,
) -> Result<Vec<(f64, Params)>, EngineError> {
    if var.is_empty() {
        return Err(EngineError::Sweep(
            "a sweep needs at least one value".into(),
        ));
    }
    if circuits.is_some() && matches!(var, Vary::N(_)) {
        return Err(EngineError::Sweep(
            "cannot vary n with given circuit files (their qubit count is fixed)".into(),
        ));
    }
    check_circuits(base, circuits)?;
    let base = &with_given_size(base, circuits)?;
    let points: Vec<(f64, Params)> = (0..var.len()).map(|i| var.point(base, i)).collect();
    for (_, p) in &points {
        p.validate()?;
    }
    Ok(points)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::AttemptCounts;

    fn shots(errors: usize, total: usize, depth: u32) -> Vec<Shot> {
        (0..total)
            .map(|i| Shot {
                logical_error: i < errors,
                depth: depth + (i % 2) as u32,
            })
            .collect()
    }

    fn small() -> Params {
        Params {
            n: 4,
            t: 2,
            r: 2,
            circuits: 3,
            shots: 10,
            ..Default::default()
        }
    }

    /// A deterministic stand-in engine: circuit i has i errors out of 10 in every
    /// implementation and block k has k restarts out of 10 attempts.
    fn fake_runner(
        _: &mut Tables,
        inst: &Instance,
        points: &[Params],
        i: u32,
    ) -> Result<Vec<CircuitSamples>, EngineError> {
        points.iter().map(|p| fake(inst, p, i)).collect()
    }

    fn fake(_inst: &Instance, p: &Params, i: u32) -> Result<CircuitSamples, EngineError> {
        let s = shots(i as usize, p.shots as usize, 100);
        Ok(CircuitSamples {
            direct: s.clone(),
            monolithic: s.clone(),
            distributed: s,
            attempts: (0..p.t)
                .map(|k| AttemptCounts {
                    attempts: 10,
                    restarts: u64::from(k),
                })
                .collect(),
            ..Default::default()
        })
    }

    #[test]
    fn mean_and_sample_std() {
        let m = MeanStd::of(&[1.0, 2.0, 3.0, 4.0]);
        assert!((m.mean - 2.5).abs() < 1e-12);
        // Sample variance: (2.25 + 0.25 + 0.25 + 2.25) / 3 = 5/3.
        assert!((m.std - (5.0f64 / 3.0).sqrt()).abs() < 1e-12);
        assert_eq!(
            MeanStd::of(&[7.0]),
            MeanStd {
                mean: 7.0,
                std: 0.0
            }
        );
        assert!(MeanStd::of(&[]).mean.is_nan());
    }

    #[test]
    fn wilson_interval() {
        // Known value: 0 of 10 at z = 1.96 → upper = z²/(n + z²) = 3.8416/13.8416.
        let (lo, hi) = wilson(0, 10, 1.96);
        assert_eq!(lo, 0.0);
        assert!((hi - 3.8416 / 13.8416).abs() < 1e-9);
        // Symmetric around 1/2 and contains the point estimate.
        let (lo, hi) = wilson(50, 100, 1.96);
        assert!((lo + hi - 1.0).abs() < 1e-12);
        assert!((lo - 0.4038).abs() < 1e-3, "{lo}");
        let (lo, hi) = wilson(3, 40, 1.96);
        assert!(lo < 3.0 / 40.0 && 3.0 / 40.0 < hi);
        assert_eq!(wilson(10, 10, 1.96).1, 1.0);
        assert_eq!(wilson(0, 0, 1.96), (0.0, 1.0));
    }

    #[test]
    fn restart_probability_is_pooled_over_circuits() {
        let a = |attempts, restarts| AttemptCounts { attempts, restarts };
        let samples = vec![
            CircuitSamples {
                attempts: vec![a(10, 1), a(4, 0)],
                ..Default::default()
            },
            CircuitSamples {
                attempts: vec![a(30, 9), a(0, 0)],
                ..Default::default()
            },
        ];
        // Pooled (1 + 9)/(10 + 30) = 0.25, not the mean of 0.1 and 0.3 (= 0.2).
        assert_eq!(pooled_restart_probability(&samples), vec![0.25, 0.0]);
    }

    #[test]
    fn aggregate_over_fake_engine() {
        let params = small();
        let mut calls = Vec::new();
        let work = Work {
            threads: 1,
            engine: EngineKind::Fast,
            circuits: None,
            run: &fake_runner,
        };
        let report = run_points(
            &work,
            &params,
            &[params],
            &mut |p| calls.push(p.circuits_done),
            (0, 1),
        )
        .unwrap()
        .swap_remove(0);
        assert_eq!(calls, vec![1, 2, 3]);
        let d = &report.results.direct;
        // Per-circuit p_L = 0, 0.1, 0.2 → mean 0.1, sample std 0.1.
        assert!((d.logical_error_rate.mean - 0.1).abs() < 1e-12);
        assert!((d.logical_error_rate.std - 0.1).abs() < 1e-12);
        assert!((d.depth.mean - 100.5).abs() < 1e-12);
        assert_eq!(d.depth.std, 0.0);
        assert_eq!(d.per_circuit.len(), 3);
        assert_eq!(d.per_circuit[2].logical_errors, 2);
        assert!(d.restart_probability.is_none());
        assert_eq!(
            report.results.monolithic.restart_probability,
            Some(vec![0.0, 0.1])
        );
        let der = &report.derived;
        assert_eq!(der.per_circuit.len(), 3);
        assert_eq!(der.rspv_depths_mean.len(), 2);
        // δ_k = Δ_k + 3 + Σ_j (w_j + 4).
        let c0 = &der.per_circuit[0];
        for k in 0..2 {
            let w: u32 = c0.check_weights[k].iter().sum();
            assert_eq!(c0.rspv_depths[k], c0.block_depths[k] + 3 + w + 4 * 2);
        }
        let v = serde_json::to_value(&report).unwrap();
        for imp in ["direct", "monolithic", "distributed"] {
            let r = &v["results"][imp];
            assert!(r["logical_error_rate"]["mean"].is_number());
            assert!(r["depth"]["std"].is_number());
            assert!(r["per_circuit"][0]["logical_error_rate"].is_number());
            assert!(r["per_circuit"][0]["depth"].is_number());
            assert_eq!(r.get("restart_probability").is_some(), imp != "direct");
        }
        assert_eq!(v["params"]["n"], 4);
    }

    #[test]
    fn given_circuits_are_checked() {
        let params = small();
        let good: Vec<Circuit> = (0..3)
            .map(|i| Instance::generate(&params, i).circuit)
            .collect();
        let given = |cs: &[Circuit]| simulate(&params, EngineKind::Fast, Some(cs), &mut |_| {});
        // Each circuit i of the report is the i-th given circuit.
        let report = given(&good).unwrap();
        for (d, c) in report.derived.per_circuit.iter().zip(&good) {
            assert_eq!(d.size, c.gates.len() as u32);
            assert_eq!(d.circuit_depth, c.depth());
        }
        assert_eq!(report.derived.per_circuit.len(), good.len());
        assert_eq!(instance(&params, Some(&good), 1).circuit, good[1]);
        let mut bad = good.clone();
        bad[2] = Circuit::new(5);
        assert_eq!(
            given(&bad).unwrap_err(),
            EngineError::CircuitQubits {
                index: 2,
                found: 5,
                n: 4
            }
        );
        assert!(matches!(
            given(&good[..2]),
            Err(EngineError::CircuitCount { .. })
        ));
        let bad_params = Params { n: 0, ..params };
        assert!(matches!(
            simulate(&bad_params, EngineKind::Fast, None, &mut |_| {}),
            Err(EngineError::Params(_))
        ));
    }

    #[test]
    fn sweep_points_and_validation() {
        let base = small();
        // τ_e and p sweeps run circuit by circuit: progress counts circuits over all points.
        let mut seen = Vec::new();
        let out = sweep_using(
            2,
            &base,
            &Vary::TauE(vec![1.0, 2.5]),
            EngineKind::Fast,
            None,
            &fake_runner,
            &mut |p| seen.push((p.point, p.points, p.circuits_done)),
        )
        .unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].0, 2.5);
        assert_eq!(out[1].1.params.tau_e, 2.5);
        assert_eq!(seen, vec![(0, 1, 1), (0, 1, 2), (0, 1, 3)]);
        // n and t sweeps run point by point.
        let mut seen = Vec::new();
        let out = sweep_using(
            2,
            &base,
            &Vary::N(vec![3, 5]),
            EngineKind::Fast,
            None,
            &fake_runner,
            &mut |p| seen.push((p.point, p.points, p.circuits_done)),
        )
        .unwrap();
        assert_eq!(out[1].1.derived.per_circuit[0].size, 25);
        assert_eq!(seen.len(), 6);
        assert_eq!(seen[5], (1, 2, 3));
        // A bad value anywhere fails before any work.
        let calls = std::sync::atomic::AtomicU32::new(0);
        let err = sweep_using(
            2,
            &base,
            &Vary::TauE(vec![1.0, 0.0]),
            EngineKind::Fast,
            None,
            &|t, i, ps, c| {
                calls.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                fake_runner(t, i, ps, c)
            },
            &mut |_| {},
        );
        assert!(matches!(err, Err(EngineError::Params(_))));
        assert_eq!(calls.into_inner(), 0);
    }

    #[test]
    fn reports_do_not_depend_on_the_thread_count() {
        let base = Params {
            shots: 30,
            p: 3e-3,
            circuits: 5,
            ..small()
        };
        let one = simulate_on(1, &base, EngineKind::Fast, None, &mut |_| {}).unwrap();
        for threads in [2, 3] {
            let mut done = Vec::new();
            let many = simulate_on(threads, &base, EngineKind::Fast, None, &mut |p| {
                done.push(p.circuits_done)
            })
            .unwrap();
            assert_eq!(many, one);
            assert_eq!(done, vec![1, 2, 3, 4, 5]);
        }
        let var = Vary::P(vec![1e-3, 4e-3]);
        assert_eq!(
            sweep_on(1, &base, &var, EngineKind::Fast, None, &mut |_| {}).unwrap(),
            sweep_on(2, &base, &var, EngineKind::Fast, None, &mut |_| {}).unwrap()
        );
        // A failure is the same failure on any number of threads.
        // At p = 0.3 each check is a coin flip: r = 30 is never accepted within the cap.
        let hopeless = Params {
            p: 0.3,
            r: 30,
            shots: 1,
            ..base
        };
        let err = |threads| simulate_on(threads, &hopeless, EngineKind::Fast, None, &mut |_| {});
        assert!(matches!(err(1), Err(EngineError::Sim(_))));
        assert_eq!(err(1), err(2));
    }

    #[test]
    fn fast_sweeps_reusing_tables_match_independent_points() {
        let base = Params {
            shots: 20,
            p: 2e-3,
            ..small()
        };
        for var in [Vary::TauE(vec![1.0, 4.0]), Vary::P(vec![1e-3, 5e-3])] {
            let out = sweep(&base, &var, EngineKind::Fast, None, &mut |_| {}).unwrap();
            for (i, (_, report)) in out.iter().enumerate() {
                let p = var.point(&base, i).1;
                assert_eq!(
                    *report,
                    simulate(&p, EngineKind::Fast, None, &mut |_| {}).unwrap()
                );
            }
        }
    }
}
