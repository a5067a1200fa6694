//! Number and text formatting for display, shared by the panels.

use serde_json::Value;

/// A JSON parameter value as a user would type it: strings bare, integers plainly, other
/// numbers as [`crate::numbers::human`] writes them (`1e-4`, `2.5`), exact and the same text
/// as in the URL hash.
pub fn value_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n
            .as_f64()
            .filter(|f| f.fract() != 0.0 || f.abs() >= 1e15)
            .map_or_else(|| n.to_string(), crate::numbers::human),
        other => other.to_string(),
    }
}

/// A real number in the URL hash or an edit box (e.g. a range end): the shortest text that
/// reads back as exactly `x`, as a person writes it ([`crate::numbers::human`]: `1e-4`, `1.14`),
/// the same rule as the parameters in the hash.
pub fn hash_number(x: f64) -> String {
    crate::numbers::human(x)
}
