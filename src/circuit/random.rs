//! Random Clifford circuits (issue 3). TEMPORARY contract copy in the proto branch; the core
//! branch's file replaces it at merge.
use serde::{Deserialize, Serialize};
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CircuitGenerator {
    #[default]
    SynthesizedElimination,
    SynthesizedGreedy,
    RandomGates,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeCount {
    #[default]
    AllGates,
    TwoQubitGates,
}
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaddingGates {
    #[default]
    #[serde(rename = "h_s_cx")]
    HSCx,
    RandomTwoQubitClifford,
}
