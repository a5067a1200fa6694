//! Parameters ↔ URL hash, so a link reproduces the same numbers.
//!
//! The hash is `key=value` pairs joined by `&`: every field of [`Params`] (n, s, t, r, p,
//! tau_e, circuits, shots, seed) and each knob that differs from its default, under its
//! protocol.md §17 identifier with the same values as the CLI (`noise_model=uniform`). Encoding
//! goes through serde, so there is one list of names, shared with the CLI and the JSON output.
//!
//! A link holds only what the page's controls could have set: [`decode`] takes each number in
//! the range of its box ([`crate::view::plot_data::ui_range`], the one table of the page's
//! limits; [`accepted`]), and refuses anything else with a plain sentence naming the key and
//! what it accepts (`n=1: n must be a whole number from 2 to 128`).

use crate::circuit::stim_text::{escaped, printable};
use crate::numbers::human;
use crate::protocol::params::{knob_values, limits, Knobs, ParamError, Params};
use crate::view::plot_data::ui_range;
use serde_json::{Map, Value};

/// Keys of the hash that belong to the page's views, not to [`Params`] (`x` = the plots' x
/// axis; `from`, `to`, `pts`, `scale`, `paper` = its range, see
/// [`crate::view::plot_data::SweepRange::to_hash`]): [`decode`] skips them and the page keeps
/// them when it rewrites the hash.
pub const VIEW_KEYS: [&str; 6] = ["x", "from", "to", "pts", "scale", "paper"];

/// Keys of the hash that hold the ring animation's view: the shown run (`shot`, the shot
/// index of circuit 0 that `sim::sampler::sample_run` draws; 0 when absent) and the playhead
/// (`time`, τ in layers; 0 when absent). Like [`VIEW_KEYS`], [`decode`] skips them.
pub const PLAYBACK_KEYS: [&str; 2] = ["shot", "time"];

/// Whether `key` belongs to a view (the plots' [`VIEW_KEYS`] or the ring's [`PLAYBACK_KEYS`])
/// rather than to [`Params`].
pub fn is_view_key(key: &str) -> bool {
    VIEW_KEYS.contains(&key) || PLAYBACK_KEYS.contains(&key)
}

/// `encoded` (from [`encode`]) followed by the view-key pairs of `old_hash`, so rewriting the
/// parameters keeps the views' settings.
pub fn with_view_keys(encoded: &str, old_hash: &str) -> String {
    let mut parts: Vec<&str> = vec![encoded];
    parts.extend(
        old_hash
            .trim_start_matches('#')
            .split('&')
            .filter(|pair| is_view_key(pair.split_once('=').map_or(*pair, |(k, _)| k))),
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

/// Knobs `Knobs` serializes only when they differ from their defaults (issue 14's m
/// instances and two-sided RSP): [`encode`] writes them then, so [`decode`] must read them.
const OMITTED_AT_DEFAULT: [&str; 2] = ["instances", "two_sided_rsp"];

/// What the page accepts for one parameter key of a link: the values its control offers.
#[derive(Clone, Debug, PartialEq)]
pub enum Accepted {
    /// A whole number in `min..=max`.
    Whole { min: u64, max: u64 },
    /// A finite number in `[min, max]`.
    Real { min: f64, max: f64 },
    /// `true` or `false`.
    Flag,
    /// One of these names (former names are read too, with a notice).
    Choice(Vec<String>),
    /// s, the circuit's size in gates: a whole number up to the engine's limit, or `null` for
    /// n² (the page has no box for it).
    Size,
}

impl Accepted {
    /// What the key accepts, as the end of a sentence: "a whole number from 2 to 128".
    pub fn describe(&self) -> String {
        match self {
            Accepted::Whole { min, max } => format!("a whole number from {min} to {max}"),
            Accepted::Real { min, max } => {
                format!("a number from {} to {}", human(*min), human(*max))
            }
            Accepted::Flag => "true or false".into(),
            Accepted::Choice(names) => match names.as_slice() {
                [one] => one.clone(),
                _ => format!("one of {}", names.join(", ")),
            },
            Accepted::Size => format!(
                "a whole number of gates from 0 to {} (leave it out for n²)",
                limits::MAX_S
            ),
        }
    }
}

/// What the page accepts for parameter `key` of a link (a field of [`Params`] or a knob), the
/// same as its control: the numbers' ranges are [`ui_range`]'s. `None` for a key that is not
/// a parameter.
pub fn accepted(key: &str) -> Option<Accepted> {
    let whole = |(min, max): (u32, u32)| Accepted::Whole {
        min: min.into(),
        max: max.into(),
    };
    let real = |(min, max): (f64, f64)| Accepted::Real { min, max };
    Some(match key {
        "n" => whole(ui_range::N),
        "t" => whole(ui_range::T),
        "r" => whole(ui_range::R),
        "circuits" => whole(ui_range::CIRCUITS),
        "shots" => whole(ui_range::SHOTS),
        "seed" => Accepted::Whole {
            min: ui_range::SEED.0,
            max: ui_range::SEED.1,
        },
        "parallel_links" => whole(ui_range::PARALLEL_LINKS),
        "instances" => whole(ui_range::INSTANCES),
        "p" => real(ui_range::P),
        "tau_e" => real(ui_range::TAU_E),
        "bell_start" => real(ui_range::BELL_START),
        "storage_idle_rate" => real(ui_range::STORAGE_IDLE_RATE),
        "s" => Accepted::Size,
        "idle_on_resource_during_rspv" | "two_sided_rsp" => Accepted::Flag,
        _ => {
            let names = knob_values(key);
            if names.is_empty() {
                return None;
            }
            Accepted::Choice(names)
        }
    })
}

/// The value of `key=raw` as JSON for serde, or why the page does not accept it.
fn read_value(key: &str, raw: &str) -> Result<Value, ParamError> {
    let Some(accepts) = accepted(key) else {
        return Err(unknown_key(key));
    };
    let refused = || {
        ParamError::Unsupported(format!(
            "{}={}: {} must be {}",
            printable(key),
            escaped(raw, 40),
            key,
            accepts.describe()
        ))
    };
    let json = serde_json::from_str::<Value>(raw).ok();
    let number = json.as_ref().and_then(Value::as_number);
    let value = match &accepts {
        Accepted::Whole { min, max } => number
            .and_then(serde_json::Number::as_u64)
            .filter(|v| (min..=max).contains(&v))
            .map(Value::from),
        Accepted::Real { min, max } => number
            .and_then(serde_json::Number::as_f64)
            .filter(|x| x.is_finite() && (min..=max).contains(&x))
            .map(Value::from),
        Accepted::Flag => json.filter(Value::is_boolean),
        Accepted::Size => match json {
            Some(Value::Null) => Some(Value::Null),
            _ => number
                .and_then(serde_json::Number::as_u64)
                .filter(|&v| v <= u64::from(limits::MAX_S))
                .map(Value::from),
        },
        // A former name is read too (serde's alias): ask serde.
        Accepted::Choice(_) => {
            let mut knobs = match serde_json::to_value(Knobs::default()) {
                Ok(Value::Object(m)) => m,
                _ => Map::new(),
            };
            knobs.insert(key.to_string(), Value::String(raw.to_string()));
            serde_json::from_value::<Knobs>(Value::Object(knobs))
                .is_ok()
                .then(|| Value::String(raw.to_string()))
        }
    };
    value.ok_or_else(refused)
}

fn unknown_key(key: &str) -> ParamError {
    ParamError::Unsupported(format!(
        "unknown parameter '{}' in the link: its keys are n, s, t, r, p, tau_e, circuits, \
         shots, seed and the model knobs' identifiers",
        printable(key)
    ))
}

/// A refusal of [`Params::validate`] in the link's words: the key as the link writes it
/// (`storage_idle_rate`, not the CLI's `storage-idle-rate`).
fn in_link_words(e: ParamError) -> ParamError {
    let text = e.to_string();
    let keys = serde_json::to_value(Knobs::default())
        .ok()
        .and_then(|v| v.as_object().map(|m| m.keys().cloned().collect::<Vec<_>>()))
        .unwrap_or_default();
    for key in keys.iter().map(String::as_str).chain(["tau_e"]) {
        let flag = key.replace('_', "-");
        if flag != key && text.starts_with(&format!("{flag} ")) {
            return ParamError::Unsupported(format!("{key}{}", &text[flag.len()..]));
        }
    }
    e
}

/// Parses a hash (with or without the leading `#`) on top of the defaults. Unknown keys and
/// values the page does not accept ([`accepted`]: the ranges of its boxes) are errors naming
/// the key and what it accepts; the result is validated. Former knob values are accepted
/// silently; [`decode_with_notices`] also says which.
pub fn decode(hash: &str) -> Result<Params, ParamError> {
    decode_with_notices(hash).map(|(params, _)| params)
}

/// [`decode`], plus one line per knob value given under a former identifier (still accepted),
/// e.g. `circuit_generator 'synthesized_elimination' is now called 'qiskit_ag'`, for the page
/// to show (protocol.md §12: old links keep working, with a notice).
pub fn decode_with_notices(hash: &str) -> Result<(Params, Vec<String>), ParamError> {
    let hash = hash.trim_start_matches('#');
    let mut top = match serde_json::to_value(Params::default()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    let mut knobs = match serde_json::to_value(Knobs::default()) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    // Knobs the JSON leaves out at their defaults (issue 14's m and two-sided RSP) are still
    // knobs of the link.
    let d = Knobs::default();
    knobs
        .entry("instances")
        .or_insert_with(|| Value::from(d.instances));
    knobs
        .entry("two_sided_rsp")
        .or_insert_with(|| Value::from(d.two_sided_rsp));
    for pair in hash.split('&').filter(|s| !s.is_empty()) {
        let (key, raw) = pair.split_once('=').unwrap_or((pair, ""));
        if is_view_key(key) {
            continue;
        }
        // Knobs left out of the JSON at their defaults (issue 14) are knobs all the same.
        let target = if knobs.contains_key(key) || OMITTED_AT_DEFAULT.contains(&key) {
            &mut knobs
        } else if top.contains_key(key) && key != "knobs" {
            &mut top
        } else {
            return Err(unknown_key(key));
        };
        target.insert(key.to_string(), read_value(key, raw)?);
    }
    let notices = crate::protocol::params::renamed_value_notices(&Value::Object(knobs.clone()));
    top.insert("knobs".into(), Value::Object(knobs));
    // Every value was checked above, so serde reads them all; its own wording is not shown.
    let params: Params = serde_json::from_value(Value::Object(top)).map_err(|_| {
        ParamError::Unsupported("the link's parameters could not be read".to_string())
    })?;
    params.validate().map_err(in_link_words)?;
    Ok((params, notices))
}

/// The view pairs of a hash (with or without `#`), in order of first appearance; a key given
/// twice keeps its last value. Parameter pairs are left out.
pub fn view_pairs(hash: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for pair in hash.trim_start_matches('#').split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if !is_view_key(key) {
            continue;
        }
        match out.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = value.to_string(),
            None => out.push((key.to_string(), value.to_string())),
        }
    }
    out
}

/// The whole hash (without `#`): [`encode`]`(params)` followed by the view pairs.
pub fn compose(params: &Params, view: &[(String, String)]) -> String {
    let mut parts = vec![encode(params)];
    parts.extend(view.iter().map(|(k, v)| format!("{k}={v}")));
    parts.retain(|s| !s.is_empty());
    parts.join("&")
}

/// Parses the `shot` view key: a shot index, 0 ≤ shot < 2³².
pub fn parse_shot(text: &str) -> Result<u32, String> {
    text.trim()
        .parse::<u32>()
        .map_err(|_| format!("shot={text}: a shot is a whole number from 0 to 4294967295"))
}

/// Parses the `time` view key: the playhead τ ≥ 0 in layers (the page clamps it to the run).
pub fn parse_time(text: &str) -> Result<f64, String> {
    match text.trim().parse::<f64>() {
        Ok(t) if t.is_finite() && t >= 0.0 => Ok(t),
        _ => Err(format!(
            "time={text}: the playhead is a number of layers, 0 or more"
        )),
    }
}

/// The `time` view value for τ: at most two decimals, no trailing zeros (`57.5`, `120`).
pub fn time_text(tau: f64) -> String {
    let s = format!("{:.2}", if tau.is_finite() { tau.max(0.0) } else { 0.0 });
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s.is_empty() {
        "0".into()
    } else {
        s.to_string()
    }
}

/// Checks the view pairs this crate knows (`x`, `shot`, `time`, and the form of the range
/// keys `from`, `to`, `pts`, `scale`, `paper`, whose values the plots check against their
/// axis); a message naming the key when one is malformed. Keys of other views pass unchecked.
pub fn check_view(view: &[(String, String)]) -> Result<(), String> {
    for (k, v) in view {
        match k.as_str() {
            "x" if crate::view::plot_data::XAxis::parse(v).is_none() => {
                return Err(format!("x={v}: the x axis is one of n, tau_e, p, t"));
            }
            "from" | "to" if !v.parse::<f64>().is_ok_and(f64::is_finite) => {
                return Err(format!("{k}={v}: the range ends are numbers"));
            }
            "pts" if v.parse::<u32>().is_err() => {
                return Err(format!("pts={v}: the number of points is a whole number"));
            }
            "scale" if crate::view::plot_data::Scale::parse(v).is_none() => {
                return Err(format!("scale={v}: the scale is lin or log"));
            }
            "paper" if !matches!(v.as_str(), "0" | "1" | "true" | "false") => {
                return Err(format!("paper={v}: expected 1 or 0"));
            }
            "shot" => {
                parse_shot(v)?;
            }
            "time" => {
                parse_time(v)?;
            }
            _ => {}
        }
    }
    Ok(())
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
        q.knobs.idle_on_resource_during_rspv = true;
        q.knobs.restart_rule = RestartRule::EndOfRsv;
        q.knobs.parallel_links = 3;
        q.knobs.instances = 2;
        q.knobs.two_sided_rsp = true;
        let h = encode(&q);
        assert!(
            h.contains("instances=2") && h.contains("two_sided_rsp=true"),
            "{h}"
        );
        assert!(h.contains("noise_model=uniform"), "{h}");
        assert!(h.contains("idle_on_resource_during_rspv=true"), "{h}");
        assert_eq!(decode(&format!("#{h}")), Ok(q));
    }

    /// Issue 15: every real parameter at the edges of its range reads back bit for bit, and
    /// is written as a person would write it. The ranges are the page's ([`ui_range`]).
    #[test]
    fn extreme_values_round_trip_exactly() {
        let above = |x: f64| f64::from_bits(x.to_bits() + 1);
        let below = |x: f64| f64::from_bits(x.to_bits() - 1);
        let ps = [
            ui_range::P.0,
            above(ui_range::P.0),
            1.02e-5,
            1e-4,
            (0.1 + 0.2) / 100.0,
            1.0 / 300.0,
            below(ui_range::P.1),
            ui_range::P.1,
        ];
        let taus = [
            ui_range::TAU_E.0,
            1.14,
            0.1 + 0.2,
            2.5,
            below(ui_range::TAU_E.1),
            ui_range::TAU_E.1,
        ];
        let starts = [0.0, 5e-324, 1e-300, 0.1 + 0.2, ui_range::BELL_START.1];
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

    /// A link takes exactly what the page's boxes take (one table, [`ui_range`]): for every
    /// number with a box, both ends are read and the nearest values outside are refused with
    /// the key and the range, as the box would refuse them. It used to take n = 1 (the
    /// engine's limit) while the n box refused n < 2.
    #[test]
    fn links_take_what_the_boxes_take() {
        assert_eq!(
            decode("n=1").expect_err("the n box refuses 1").to_string(),
            "n=1: n must be a whole number from 2 to 128"
        );
        assert_eq!(decode("n=2").map(|p| p.n), Ok(2));
        assert_eq!(decode("n=128").map(|p| p.n), Ok(128));
        assert!(decode("n=129").is_err());
        let wholes: [(&str, (u64, u64)); 8] = [
            ("n", (ui_range::N.0.into(), ui_range::N.1.into())),
            ("t", (ui_range::T.0.into(), ui_range::T.1.into())),
            ("r", (ui_range::R.0.into(), ui_range::R.1.into())),
            (
                "circuits",
                (ui_range::CIRCUITS.0.into(), ui_range::CIRCUITS.1.into()),
            ),
            (
                "shots",
                (ui_range::SHOTS.0.into(), ui_range::SHOTS.1.into()),
            ),
            ("seed", ui_range::SEED),
            (
                "parallel_links",
                (
                    ui_range::PARALLEL_LINKS.0.into(),
                    ui_range::PARALLEL_LINKS.1.into(),
                ),
            ),
            (
                "instances",
                (ui_range::INSTANCES.0.into(), ui_range::INSTANCES.1.into()),
            ),
        ];
        for (key, (min, max)) in wholes {
            let range = format!("a whole number from {min} to {max}");
            assert_eq!(
                accepted(key).map(|a| a.describe()),
                Some(range.clone()),
                "{key}"
            );
            // n = 128 with the default t = r = 3 fits the memory budget; so do the others.
            for v in [min, max] {
                assert!(decode(&format!("{key}={v}")).is_ok(), "{key}={v}");
            }
            let mut outside = vec![max + 1];
            outside.extend(min.checked_sub(1));
            for v in outside {
                let e = decode(&format!("{key}={v}")).expect_err("outside the box");
                assert_eq!(e.to_string(), format!("{key}={v}: {key} must be {range}"));
            }
        }
        let reals = [
            ("p", ui_range::P),
            ("tau_e", ui_range::TAU_E),
            ("bell_start", ui_range::BELL_START),
        ];
        for (key, (min, max)) in reals {
            for v in [min, max] {
                assert!(decode(&format!("{key}={}", human(v))).is_ok(), "{key}={v}");
            }
            for v in [
                f64::from_bits(max.to_bits() + 1),
                -f64::from_bits(1),
                min - 1e-9,
            ] {
                if (min..=max).contains(&v) {
                    continue;
                }
                let e = decode(&format!("{key}={v:e}")).expect_err("outside the box");
                let text = e.to_string();
                assert!(
                    text.ends_with(&format!(
                        "{key} must be a number from {} to {}",
                        human(min),
                        human(max)
                    )),
                    "{text}"
                );
            }
        }
        // What the engine takes beyond the page's boxes is not a link of the page.
        for hash in [
            "p=0",
            "tau_e=1000",
            "n=512",
            "shots=20000",
            "seed=9007199254740992",
        ] {
            assert!(decode(hash).is_err(), "{hash}");
        }
    }

    /// Refused links are told in plain sentences naming the key and what it accepts, never
    /// in serde's words ("invalid type: …", "unknown variant …", "expected u32").
    #[test]
    fn bad_links_are_told_in_plain_words() {
        let cases = [
            ("n=abc", "n=abc: n must be a whole number from 2 to 128"),
            ("n=12.5", "n=12.5: n must be a whole number from 2 to 128"),
            ("n=-3", "n=-3: n must be a whole number from 2 to 128"),
            ("n=", "n=: n must be a whole number from 2 to 128"),
            ("shots", "shots=: shots must be a whole number from 1 to 10000"),
            ("t=1e400", "t=1e400: t must be a whole number from 1 to 64"),
            ("p=lots", "p=lots: p must be a number from 1e-5 to 0.01"),
            ("tau_e=NaN", "tau_e=NaN: tau_e must be a number from 0.1 to 50"),
            ("tau_e=inf", "tau_e=inf: tau_e must be a number from 0.1 to 50"),
            (
                "noise_model=loud",
                "noise_model=loud: noise_model must be one of paper, uniform",
            ),
            (
                "check_kind=Uniform",
                "check_kind=Uniform: check_kind must be one of uniform, single_qubit",
            ),
            (
                "teleport_model=magic",
                "teleport_model=magic: teleport_model must be remote_cx",
            ),
            (
                "two_sided_rsp=maybe",
                "two_sided_rsp=maybe: two_sided_rsp must be true or false",
            ),
            (
                "idle_on_resource_during_rspv=1",
                "idle_on_resource_during_rspv=1: idle_on_resource_during_rspv must be true or false",
            ),
            (
                "s=many",
                "s=many: s must be a whole number of gates from 0 to 4194304 (leave it out for n²)",
            ),
            (
                "storage_idle_rate=0.5",
                "storage_idle_rate = 0.5: only 0 is modelled (stored Bell pairs are noiseless, paper §II)",
            ),
        ];
        for (hash, want) in cases {
            let e = decode(hash).expect_err(hash).to_string();
            assert_eq!(e, want, "{hash}");
        }
        let e = decode("n=12&knobs=1")
            .expect_err("knobs is not a key")
            .to_string();
        assert!(
            e.starts_with("unknown parameter 'knobs' in the link"),
            "{e}"
        );
        // No serde wording anywhere, whatever the key.
        for key in [
            "n",
            "p",
            "seed",
            "s",
            "check_redraw",
            "instances",
            "two_sided_rsp",
        ] {
            for raw in ["x", "\"x\"", "[1]", "{}", "-1", "1.5", "true", "null"] {
                let Err(e) = decode(&format!("{key}={raw}")) else {
                    continue;
                };
                let text = e.to_string();
                for serde_words in [
                    "invalid type",
                    "invalid value",
                    "unknown variant",
                    "expected ",
                ] {
                    assert!(!text.contains(serde_words), "{key}={raw}: {text}");
                }
                assert!(text.starts_with(&format!("{key}=")), "{key}={raw}: {text}");
            }
        }
    }

    #[test]
    fn issue_14_knobs_round_trip_through_the_link() {
        let mut q = Params::default();
        q.knobs.instances = 2;
        q.knobs.two_sided_rsp = true;
        q.knobs.parallel_links = 3;
        let h = encode(&q);
        assert!(
            h.contains("instances=2") && h.contains("two_sided_rsp=true"),
            "{h}"
        );
        assert_eq!(decode(&h), Ok(q));
        // At their defaults they are left out, and still accepted when written.
        assert!(!encode(&Params::default()).contains("instances"));
        assert_eq!(
            decode("instances=1&two_sided_rsp=false"),
            Ok(Params::default())
        );
        assert!(decode("instances=0").is_err());
        assert!(decode("two_sided_rsp=maybe").is_err());
    }

    #[test]
    fn former_generator_names_still_decode_with_a_notice() {
        use crate::circuit::random::CircuitGenerator;
        let (p, notices) = decode_with_notices("#n=12&circuit_generator=synthesized_elimination")
            .expect("old links keep working");
        assert_eq!(p.knobs.circuit_generator, CircuitGenerator::QiskitAg);
        assert_eq!(
            notices,
            ["circuit_generator 'synthesized_elimination' is now called 'qiskit_ag'"]
        );
        assert!(encode(&p).contains("circuit_generator=qiskit_ag"));
        let (g, _) = decode_with_notices("circuit_generator=synthesized_greedy").unwrap();
        assert_eq!(g.knobs.circuit_generator, CircuitGenerator::QiskitGreedy);
        assert_eq!(decode("circuit_generator=synthesized_greedy"), Ok(g));
        let (_, none) = decode_with_notices("circuit_generator=qiskit_greedy").unwrap();
        assert!(none.is_empty());
        assert!(decode("circuit_generator=nonsense").is_err());
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
        assert_eq!(
            with_view_keys("n=3", "#n=9&x=tau_e&from=1&to=40&pts=12&scale=lin&paper=1"),
            "n=3&x=tau_e&from=1&to=40&pts=12&scale=lin&paper=1"
        );
        assert_eq!(
            decode("#n=12&x=p&from=1e-5&to=1e-3&pts=5&scale=log"),
            Ok(Params {
                n: 12,
                ..Default::default()
            })
        );
        assert_eq!(with_view_keys("n=3", ""), "n=3");
    }

    #[test]
    fn playback_keys_are_view_keys() {
        assert!(is_view_key("shot") && is_view_key("time") && is_view_key("x"));
        assert!(!is_view_key("n") && !is_view_key("shots"));
        // `shots` (a parameter) and `shot` (the shown run) are different keys.
        let p = decode("#n=12&shots=7&shot=3&time=57.5").expect("valid");
        assert_eq!((p.n, p.shots), (12, 7));
        assert_eq!(
            with_view_keys("n=3", "#n=9&shot=2&x=p&time=4"),
            "n=3&shot=2&x=p&time=4"
        );
    }

    #[test]
    fn view_pairs_and_compose_round_trip() {
        let p = Params {
            n: 12,
            ..Default::default()
        };
        let view = view_pairs("#n=9&x=tau_e&shot=3&time=1&time=57.5");
        assert_eq!(
            view,
            vec![
                ("x".to_string(), "tau_e".to_string()),
                ("shot".to_string(), "3".to_string()),
                ("time".to_string(), "57.5".to_string()),
            ]
        );
        let hash = compose(&p, &view);
        assert_eq!(hash, format!("{}&x=tau_e&shot=3&time=57.5", encode(&p)));
        assert_eq!(decode(&hash), Ok(p));
        assert_eq!(view_pairs(&hash), view);
        assert_eq!(compose(&p, &[]), encode(&p));
        assert!(view_pairs("").is_empty());
    }

    #[test]
    fn shot_and_time_are_checked() {
        assert_eq!(parse_shot("3"), Ok(3));
        assert_eq!(parse_shot("4294967295"), Ok(u32::MAX));
        for bad in ["-1", "3.5", "abc", "", "4294967296"] {
            let e = parse_shot(bad).expect_err(bad);
            assert!(e.starts_with("shot="), "{e}");
        }
        assert_eq!(parse_time("57.5"), Ok(57.5));
        assert_eq!(parse_time("0"), Ok(0.0));
        for bad in ["-1", "nan", "inf", "x", ""] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert_eq!(time_text(57.5), "57.5");
        assert_eq!(time_text(120.0), "120");
        assert_eq!(time_text(0.004), "0");
        assert_eq!(time_text(1.23456), "1.23");
        assert_eq!(time_text(-2.0), "0");
        for t in [0.0, 1.25, 57.5, 5430.0] {
            assert_eq!(parse_time(&time_text(t)), Ok(t));
        }
        let ok = view_pairs("x=p&shot=2&time=3.5&future=anything");
        assert_eq!(check_view(&ok), Ok(()));
        assert_eq!(
            check_view(&view_pairs("x=tau_e&from=1&to=40&pts=12&scale=log&paper=1")),
            Ok(())
        );
        for bad in [
            "x=q",
            "shot=-2",
            "time=soon",
            "from=abc",
            "to=inf",
            "pts=2.5",
            "scale=cubic",
            "paper=yes",
        ] {
            let e = check_view(&view_pairs(bad)).expect_err(bad);
            assert!(e.starts_with(bad.split('=').next().unwrap_or("")), "{e}");
        }
    }
}
