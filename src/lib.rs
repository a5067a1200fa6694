//! CliNR Explorer: simulate and animate distributed Clifford noise reduction.
//!
//! Data flows one way: parameters → circuits → schedules + fault tables → samples → estimates
//! → views. Everything outside `web` is the engine: pure Rust, tested natively, no web
//! dependency. `web` is the browser front end, compiled only for wasm32.

pub mod budget;
pub mod circuit;
pub mod claims;
#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
pub mod estimate;
pub mod jobs;
pub mod noise;
pub mod numbers;
pub mod parallel;
pub mod pauli;
pub mod protocol;
pub mod rng;
pub mod sim;
pub mod stabilizer_sim;
pub mod tableau;
pub mod view;

#[cfg(target_arch = "wasm32")]
pub mod web;
