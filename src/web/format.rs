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

/// Text for the screen with each negative number's hyphen-minus written as the minus sign
/// U+2212 (`= -212.8` → `= −212.8`), as print does; hyphens inside words (`two-sided`, `1e-4`)
/// stay. Exported files keep the engine's ASCII text.
pub fn minus_signs(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let starts_number = c == '-'
            && chars
                .peek()
                .is_some_and(|n| n.is_ascii_digit() || *n == '.')
            && prev.is_none_or(|p| p.is_whitespace() || matches!(p, '(' | '[' | '=' | ','));
        out.push(if starts_number { '\u{2212}' } else { c });
        prev = Some(c);
    }
    out
}
