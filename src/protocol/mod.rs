//! The three implementations of C (direct, monolithic CliNR_{t,r}, distributed CliNR_{t,r})
//! as data: parameters and knobs, the blocks, and the schedule of a sampled run.

pub mod block;
pub mod bounds;
pub mod ops;
pub mod params;
pub mod reading;
pub mod schedule;
pub mod stim_export;
pub mod two_sided;
