//! Number and text formatting for display, shared by the panels.

use serde_json::Value;

/// A JSON parameter value as a user would type it: strings bare, integers plainly, other
/// numbers in Rust's shortest round-trip form (`0.0001`, `2.5`).
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n
            .as_f64()
            .filter(|f| f.fract() != 0.0 || f.abs() >= 1e15)
            .map_or_else(|| n.to_string(), |f| format!("{f}")),
        other => other.to_string(),
    }
}

/// A real number in the URL hash (e.g. a range end): the shortest text that reads back as
/// exactly `x`.
pub fn hash_number(x: f64) -> String {
    format!("{x}")
}
