//! Simulators of protocol samples. Both engines implement the same contract:
//!
//! - `run_circuit(inst, params, circuit_index) -> CircuitSamples`: `params.shots` samples of
//!   each implementation of one circuit instance;
//! - `sample_run(inst, params, circuit_index, shot) -> SampledRun`: one sample of each
//!   implementation with its full [`Schedule`], for the animation.
//!
//! All randomness comes from `rng::stream(params.seed, &[tag, circuit_index, ...])`, so
//! results do not depend on the platform or on how work is split across threads or workers.
//!
//! [`reference`] steps every operation on a stabilizer tableau (slow, the oracle);
//! [`sampler`] uses fault signatures and sparse fault sampling (fast, exact in distribution).

pub mod reference;
pub mod sampler;
pub mod signatures;

use crate::protocol::schedule::{Implementation, Schedule};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Attempts of one block after which both engines give up on a protocol sample. At the
/// paper's operating point a block needs a handful of attempts; reaching this cap means the
/// restart probability q_k is so close to 1 that no estimate would finish (both engines
/// would otherwise loop for hours). Small enough that the fast sampler reports it in well
/// under a second at any p.
pub const MAX_ATTEMPTS: u32 = 100_000;

/// Why an engine could not produce a sample. Messages are one line, meant for the user.
#[derive(Clone, Debug, Error, PartialEq, Eq)]
pub enum SimError {
    /// Block `block` (1-based) drew [`MAX_ATTEMPTS`] attempts without an accepted resource.
    #[error(
        "block {block} was not accepted after {attempts} attempts: the restart probability \
         is too close to 1 at this p; lower p, r or n"
    )]
    TooManyRestarts { block: u32, attempts: u32 },
}

/// One protocol sample of one implementation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shot {
    /// The residual Pauli on the output is not the identity (protocol.md §11.1).
    pub logical_error: bool,
    /// Depth of this sample in layers.
    pub depth: u32,
}

/// Attempts and restarts of one block, counted over the CliNR samples of a circuit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptCounts {
    pub attempts: u64,
    pub restarts: u64,
}

/// All samples of one circuit instance.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CircuitSamples {
    pub direct: Vec<Shot>,
    pub monolithic: Vec<Shot>,
    pub distributed: Vec<Shot>,
    /// Per block k = 1..t, pooled over the monolithic and distributed samples.
    pub attempts: Vec<AttemptCounts>,
    /// Attempts and restarts summed over the blocks, of the monolithic and of the distributed
    /// samples separately (the `custom_counts` of `--format sinter`).
    #[serde(default)]
    pub attempts_by_impl: [AttemptCounts; 2],
    /// T_1, the acceptance time of block 1 in each distributed sample, as a histogram: sorted
    /// (T_1, samples) pairs. Only RSI 1 can wait for Bell pairs and its wait depends on T_1
    /// alone, so this is all the minimum-links search needs ([`crate::estimate::scaling`]).
    #[serde(default)]
    pub first_acceptance: Vec<(u32, u64)>,
}

impl CircuitSamples {
    /// Adds one distributed sample whose block 1 was accepted at `t_1` to the histogram.
    pub fn record_first_acceptance(&mut self, t_1: u32) {
        match self
            .first_acceptance
            .binary_search_by_key(&t_1, |&(t, _)| t)
        {
            Ok(i) => self.first_acceptance[i].1 += 1,
            Err(i) => self.first_acceptance.insert(i, (t_1, 1)),
        }
    }
}

impl CircuitSamples {
    /// The shots of one implementation.
    pub fn shots(&self, which: Implementation) -> &[Shot] {
        match which {
            Implementation::Direct => &self.direct,
            Implementation::Monolithic => &self.monolithic,
            Implementation::Distributed => &self.distributed,
        }
    }
}

/// One sample of each implementation, with the schedule it followed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SampledRun {
    pub direct: (Schedule, bool),
    pub monolithic: (Schedule, bool),
    pub distributed: (Schedule, bool),
}

/// Which simulator computes the samples.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EngineKind {
    /// Fault signatures and sparse sampling (default).
    #[default]
    Fast,
    /// Shot-by-shot stabilizer simulation of every operation.
    Reference,
}
