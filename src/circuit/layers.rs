//! TEMPORARY contract copy in the proto branch.
use serde::{Deserialize, Serialize};
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SplitRule {
    #[default]
    EqualDepth,
    EqualGates,
}
