//! Parameters ↔ URL hash, so a link reproduces the same numbers.
//!
//! The hash is `key=value` pairs joined by `&`: every field of [`Params`] (n, s, t, r, p,
//! tau_e, circuits, shots, seed) and each knob that differs from its default, under its
//! protocol.md §17 identifier with the same values as the CLI (`noise_model=uniform`). Encoding
//! goes through serde, so there is one list of names, shared with the CLI and the JSON output.

use crate::circuit::stim_text::{escaped, printable};
use crate::numbers::human;
use crate::protocol::params::{Knobs, ParamError, Params};
use serde_json::{Map, Value};

/// Keys of the hash that belong to the page's views, not to [`Params`] (`x` = the plots' x
/// axis): [`decode`] skips them and the page keeps them when it rewrites the hash.
pub const VIEW_KEYS: [&str; 1] = ["x"];

/// `encoded` (from [`encode`]) followed by the view-key pairs of `old_hash`, so rewriting the
/// parameters keeps the views' settings.
pub fn with_view_keys(encoded: &str, old_hash: &str) -> String {
    let mut parts: Vec<&str> = vec![encoded];
    parts.extend(
        old_hash
            .trim_start_matches('#')
            .split('&')
            .filter(|pair| VIEW_KEYS.contains(&pair.split_once('=').map_or(*pair, |(k, _)| k))),
    );
    parts.retain(|s| !s.is_empty());
    parts.join("&")
}

/// The hash (without `#`) for `params`: every field of [`Params`] but `knobs` (a null `s` is
/// left out), then each knob that differs from its default. Real numbers are written by
/// [`crate::numbers::human`] (`p=1e-4`, `tau_e=1.14`), which reads back exactly, so a link
/// reproduces the same numbers bit for bit.
pub fn encode(params: &Params) -> String {
    let (Ok(Value::Object(top)), Ok(Value::Object(knobs)), Ok(Value::Object(base))) = (
        serde_json::to_value(params),
        serde_json::to_value(params.knobs),
        serde_json::to_value(Knobs::default()),
    ) else {
        return String::new();
    };
    let mut parts = Vec::new();
    for (k, v) in &top {
        if k == "knobs" || v.is_null() {
            continue;
        }
        parts.push(format!("{k}={}", plain(v)));
    }
    for (k, v) in &knobs {
        if base.get(k) != Some(v) {
            parts.push(format!("{k}={}", plain(v)));
        }
    }
    parts.join("&")
}

/// A JSON scalar as bare text (strings without quotes, reals as [`human`] writes them).
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) if n.is_f64() => n.as_f64().map(human).unwrap_or_default(),
        other => other.to_string(),
    }
}

/// Parses a hash (with or without the leading `#`) on top of the defaults. Unknown keys and
/// malformed values are errors naming the key; the result is validated.
pub fn decode(hash: &str) -> Result<Params, ParamError> {
    let hash = hash.trim_start_matches('#');
    let mut top = match serde_json::to_value(Params::default()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut knobs = match serde_json::to_value(Knobs::default()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    for pair in hash.split('&').filter(|s| !s.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        if VIEW_KEYS.contains(&key) {
            continue;
        }
        let target = if knobs.contains_key(key) {
            &mut knobs
        } else if top.contains_key(key) && key != "knobs" {
            &mut top
        } else {
            return Err(ParamError::Unsupported(format!(
                "unknown parameter '{}' in the link",
                printable(key)
            )));
        };
        let value = match serde_json::from_str::<Value>(raw) {
            Ok(v @ (Value::Number(_) | Value::Bool(_) | Value::Null)) => v,
            _ => Value::String(raw.to_string()),
        };
        target.insert(key.to_string(), value);
    }
    top.insert("knobs".into(), Value::Object(knobs));
    let params: Params = serde_json::from_value(Value::Object(top)).map_err(|e| {
        ParamError::Unsupported(format!(
            "bad value in the link: {}",
            escaped(&e.to_string(), 200)
        ))
    })?;
    params.validate()?;
    Ok(params)
}

/// The invariants that the fuzz target `fuzz/fuzz_targets/hash_decode.rs` and the seeded
/// mutation test `tests/fuzz_inputs.rs` check on any input; panics if one fails: [`decode`]
/// never panics; an error is one line without control characters; an accepted hash gives
/// valid parameters whose [`encode`]d hash decodes to the same parameters and encodes to the
/// same text; [`with_view_keys`] never panics.
pub fn fuzz_check(data: &[u8]) {
    let Ok(hash) = std::str::from_utf8(data) else {
        return;
    };
    match decode(hash) {
        Ok(p) => {
            assert!(p.validate().is_ok());
            let h = encode(&p);
            assert_eq!(decode(&h), Ok(p), "{h}");
            assert_eq!(encode(&p), h);
        }
        Err(e) => {
            let text = e.to_string();
            assert!(!text.chars().any(char::is_control), "{text:?}");
        }
    }
    let _ = with_view_keys("n=3", hash);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::params::{NoiseModelKind, RestartRule};

    #[test]
    fn round_trip_defaults_and_knobs() {
        let p = Params::default();
        assert_eq!(decode(&encode(&p)), Ok(p));
        let mut q = Params {
            n: 12,
            tau_e: 2.5,
            p: 3e-3,
            seed: 99,
            s: Some(40),
            ..Default::default()
        };
        q.knobs.noise_model = NoiseModelKind::Uniform;
        q.knobs.idle_on_resource_during_rspv = false;
        q.knobs.restart_rule = RestartRule::EndOfRsv;
        q.knobs.parallel_links = 3;
        let h = encode(&q);
        assert!(h.contains("noise_model=uniform"), "{h}");
        assert!(h.contains("idle_on_resource_during_rspv=false"), "{h}");
        assert_eq!(decode(&format!("#{h}")), Ok(q));
    }

    /// Issue 15: every real parameter at the edges of its range reads back bit for bit, and
    /// is written as a person would write it.
    #[test]
    fn extreme_values_round_trip_exactly() {
        use crate::protocol::params::limits;
        let ps = [
            0.0,
            5e-324,
            2.2250738585072014e-308,
            1e-300,
            1.02e-5,
            1e-4,
            0.1 + 0.2,
            1.0 / 3.0,
        ];
        let taus = [limits::MIN_TAU_E, 1.14, 0.1 + 0.2, 2.5, limits::MAX_TAU_E];
        let starts = [0.0, 5e-324, 1e-300, 0.1 + 0.2, limits::MAX_TAU_E];
        for (i, &p) in ps.iter().enumerate() {
            let mut q = Params {
                p,
                tau_e: taus[i % taus.len()],
                n: 12,
                ..Default::default()
            };
            q.knobs.bell_start = starts[i % starts.len()];
            let h = encode(&q);
            let back = decode(&h).expect("decodes");
            assert_eq!(back.p.to_bits(), q.p.to_bits(), "{h}");
            assert_eq!(back.tau_e.to_bits(), q.tau_e.to_bits(), "{h}");
            assert_eq!(
                back.knobs.bell_start.to_bits(),
                q.knobs.bell_start.to_bits(),
                "{h}"
            );
            assert!(h.len() < 200, "{h}");
        }
        let q = Params {
            p: 1.02e-5,
            tau_e: 1.14,
            ..Default::default()
        };
        let h = encode(&q);
        assert!(h.contains("p=1.02e-5") && h.contains("tau_e=1.14"), "{h}");
        assert_eq!(
            encode(&Params::default()),
            "circuits=20&n=85&p=1e-4&r=3&seed=1&shots=200&t=3&tau_e=1"
        );
    }

    #[test]
    fn bad_links_are_refused_with_a_message() {
        assert!(decode("n=0").is_err());
        assert!(decode("tau_e=-1").is_err());
        assert!(decode("noise_model=loud").is_err());
        let e = decode("bogus=1").expect_err("unknown key");
        assert!(e.to_string().contains("bogus"));
        assert!(decode("n=abc").is_err());
        assert_eq!(decode(""), Ok(Params::default()));
    }

    #[test]
    fn view_keys_are_skipped_and_kept() {
        assert_eq!(
            decode("#n=12&x=tau_e"),
            Ok(Params {
                n: 12,
                ..Default::default()
            })
        );
        assert_eq!(with_view_keys("n=3&t=2", "#n=9&x=p"), "n=3&t=2&x=p");
        assert_eq!(with_view_keys("n=3", "#n=9"), "n=3");
        assert_eq!(with_view_keys("n=3", ""), "n=3");
    }
}
