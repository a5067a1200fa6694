//! `--format sinter`: results as rows of Stim's sinter 1.16 CSV (`sinter.CSV_HEADER`: shots,
//! errors, discards, seconds, decoder, strong_id, json_metadata, custom_counts), readable by
//! `sinter.read_stats_from_csv_files` and drawable by `sinter plot`.
//!
//! One row per point **and implementation**: sinter's row is one sampled task, and a point of
//! ours holds three (direct, monolithic, distributed CliNR). Each row is laid out exactly as
//! `sinter.TaskStats.to_csv_line()` lays it out (right-aligned counts, compact JSON with sorted
//! keys, CSV quoting), which `tests/fixtures/sinter/read_with_sinter.py` checked with sinter.
//!
//! - **shots, errors**: samples and logical errors summed over the point's circuits (every
//!   circuit has the same number of samples, so errors/shots is the report's mean p_L).
//! - **discards: always 0.** Sinter's discards are shots thrown away by post-selection and left
//!   out of its error rate. A CliNR restart discards a *resource state*, not a shot: the
//!   protocol retries until a resource is accepted, so every sample ends with an output, counts
//!   (protocol.md §11.1: nothing is post-selected) and pays for the restart in depth instead.
//!   Restarts are in custom_counts.
//! - **seconds: 0.** Our outputs are deterministic functions of the parameters (byte-identical
//!   for any thread count, shard split or machine), so wall time is not recorded.
//! - **decoder**: the implementation (`direct`, `monolithic`, `distributed`); CliNR decodes
//!   nothing, and this makes `sinter plot --group_func decoder` draw one curve each.
//! - **json_metadata**: `{"impl", "engine"}` and every field of the point's parameters (n, s, t,
//!   r, p, tau_e, circuits, shots, seed and the knobs).
//! - **custom_counts**: `depth_sum` (Σ depth over the samples: the mean depth is
//!   depth_sum/shots) and, for CliNR, `attempts` and `restarts` over all blocks.
//! - **strong_id**: as sinter computes it (`sinter.Task.strong_id`): the SHA-256, in hex, of
//!   the UTF-8 of Python's `json.dumps` of {"circuit", "decoder", "decoder_error_model",
//!   "postselection_mask", "json_metadata"}, with circuit = [`CIRCUIT`] (there is no Stim circuit
//!   of a whole CliNR run), decoder_error_model "" and postselection_mask null. Equal
//!   parameters give the same id, so sinter merges repeated runs of one seed only if the user
//!   concatenates the same rows twice; different seeds, shots or circuits are different ids.

use crate::estimate::Report;
use crate::protocol::schedule::Implementation;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use std::fmt::Write;

/// sinter 1.16's `CSV_HEADER`.
pub const HEADER: &str =
    "     shots,    errors,  discards, seconds,decoder,strong_id,json_metadata,custom_counts";

/// The `circuit` entry of our strong ids.
pub const CIRCUIT: &str =
    "# clinr_explorer: a CliNR protocol sampled by clinr, described by json_metadata";

/// Python's `repr` of a finite float: the shortest digits that round-trip, in fixed notation
/// for decimal exponents −4 ≤ e < 16 (always with a fractional part, "1.0"), otherwise as
/// d.ddde±XX with at least two exponent digits ("1e-05", "1.5e+16").
pub fn py_float(x: f64) -> String {
    if !x.is_finite() {
        return if x.is_nan() {
            "NaN".into()
        } else if x > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        };
    }
    // Rust's `{:e}` prints the shortest round-trip digits: "-1.2345e-7".
    let sci = format!("{x:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mant) = match mant.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mant),
    };
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    if (-4..16).contains(&exp) {
        let point = exp + 1; // digits before the decimal point
        let body = if point <= 0 {
            format!("0.{}{digits}", "0".repeat((-point) as usize))
        } else if point as usize >= digits.len() {
            format!("{digits}{}.0", "0".repeat(point as usize - digits.len()))
        } else {
            format!(
                "{}.{}",
                &digits[..point as usize],
                &digits[point as usize..]
            )
        };
        format!("{sign}{body}")
    } else {
        let m = if digits.len() > 1 {
            format!("{}.{}", &digits[..1], &digits[1..])
        } else {
            digits
        };
        let es = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{es}{:02}", exp.abs())
    }
}

/// Python's `json.dumps(v, sort_keys=sort, separators=…)` with `ensure_ascii=True`: compact
/// (`,` and `:`) or default (`, ` and `: `) separators.
pub fn py_json(v: &Value, compact: bool, sort: bool) -> String {
    let mut out = String::new();
    write_py_json(&mut out, v, compact, sort);
    out
}

fn write_py_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_py_json(out: &mut String, v: &Value, compact: bool, sort: bool) {
    let (item, key) = if compact { (",", ":") } else { (", ", ": ") };
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => out.push_str(&u.to_string()),
            (_, Some(i), _) => out.push_str(&i.to_string()),
            (_, _, Some(f)) => out.push_str(&py_float(f)),
            _ => out.push_str(&n.to_string()),
        },
        Value::String(s) => write_py_str(out, s),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(item);
                }
                write_py_json(out, x, compact, sort);
            }
            out.push(']');
        }
        Value::Object(m) => {
            out.push('{');
            let mut keys: Vec<&String> = m.keys().collect();
            if sort {
                keys.sort();
            }
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(item);
                }
                write_py_str(out, k);
                out.push_str(key);
                write_py_json(out, &m[k], compact, sort);
            }
            out.push('}');
        }
    }
}

/// Python's `csv.writer` quoting of one field (QUOTE_MINIMAL), as sinter's `escape_csv`.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) || s.is_empty() {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The strong id of a row (see the module doc).
pub fn strong_id(decoder: &str, metadata: &Value) -> String {
    // json.loads keeps the CSV's (sorted) key order, and json.dumps then writes it unsorted.
    let sorted = py_json(metadata, true, true);
    let reparsed: Value = serde_json::from_str(&sorted).unwrap_or(Value::Null);
    let text = format!(
        "{{\"circuit\": {}, \"decoder\": {}, \"decoder_error_model\": \"\", \"postselection_mask\": null, \"json_metadata\": {}}}",
        py_json(&Value::String(CIRCUIT.into()), false, false),
        py_json(&Value::String(decoder.into()), false, false),
        py_json(&reparsed, false, true),
    );
    let hash = Sha256::digest(text.as_bytes());
    hash.iter().fold(String::with_capacity(64), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// The json_metadata of one implementation's row of a report.
pub fn metadata(report: &Report, which: Implementation) -> Value {
    let mut m = match serde_json::to_value(report.params) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    m.insert("impl".into(), Value::String(which.name().into()));
    let engine = serde_json::to_value(report.engine).unwrap_or(Value::Null);
    m.insert("engine".into(), engine);
    Value::Object(m)
}

/// The three rows (direct, monolithic, distributed) of one report, each ending with '\n'.
pub fn rows(report: &Report) -> String {
    let mut out = String::new();
    for (which, totals) in Implementation::ALL.into_iter().zip(&report.totals) {
        let mut counts = Map::new();
        counts.insert("depth_sum".into(), Value::from(totals.depth_sum));
        if which != Implementation::Direct {
            let c = report.attempts_by_impl[usize::from(which == Implementation::Distributed)];
            counts.insert("attempts".into(), Value::from(c.attempts));
            counts.insert("restarts".into(), Value::from(c.restarts));
        }
        let meta = metadata(report, which);
        let _ = writeln!(
            out,
            "{:>10},{:>10},{:>10},{:>8},{},{},{},{}",
            totals.shots,
            totals.logical_errors,
            0,
            "0.000",
            csv_field(which.name()),
            strong_id(which.name(), &meta),
            csv_field(&py_json(&meta, true, true)),
            csv_field(&py_json(&Value::Object(counts), true, true)),
        );
    }
    out
}

/// The header and the rows of every report.
pub fn csv<'a>(reports: impl IntoIterator<Item = &'a Report>) -> String {
    let mut out = String::from(HEADER);
    out.push('\n');
    for r in reports {
        out += &rows(r);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        for (x, want) in [
            (1e-5, "1e-05"),
            (1e-4, "0.0001"),
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-7, "1.5e-07"),
            (123456789012345678.0, "1.2345678901234568e+17"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1.0, "1.0"),
            (0.0, "0.0"),
            (-2.5, "-2.5"),
            (12.25, "12.25"),
            (3e-3, "0.003"),
        ] {
            assert_eq!(py_float(x), want, "{x}");
        }
    }

    #[test]
    fn json_and_csv_follow_python() {
        let v: Value = serde_json::from_str(r#"{"b":[1,2.5,null],"a":"x\"y","c":true}"#).unwrap();
        assert_eq!(
            py_json(&v, true, true),
            r#"{"a":"x\"y","b":[1,2.5,null],"c":true}"#
        );
        assert_eq!(
            py_json(&v, false, true),
            r#"{"a": "x\"y", "b": [1, 2.5, null], "c": true}"#
        );
        assert_eq!(
            py_json(&Value::String("é".into()), true, true),
            r#""\u00e9""#
        );
        assert_eq!(csv_field(r#"{"a":1,"b":2}"#), r#""{""a"":1,""b"":2}""#);
        assert_eq!(csv_field("distributed"), "distributed");
        // sinter's own example: sha256 of its strong_id_text for an empty circuit.
        let text = r#"{"circuit": "", "decoder": "pymatching", "decoder_error_model": "", "postselection_mask": null, "json_metadata": null}"#;
        let hex: String = Sha256::digest(text.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(
            hex,
            "7424ea021693d4abc1c31c12e655a48779f61a7c2969e457ae4fe400c852bee5"
        );
    }
}
