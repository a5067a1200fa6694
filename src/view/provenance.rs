//! What an exported file says about where it came from, so it stands alone: every parameter
//! and knob, the modelling reading, and the version of the program that made it.
//!
//! The reading is named by [`Reading::of`] (protocol.md §9, §16): "Paper-consistent reading"
//! (every knob at its default, K1 `idle_on_resource_during_rspv` off), "Literal reading" (the
//! same with K1 on) or "Custom" (anything else, with the changed knobs in plain words). The
//! version is the
//! crate version, plus the git commit when the build had it in the environment variable
//! `CLINR_GIT_COMMIT` (scripts/serve.sh and scripts/test.sh set it for `trunk build`).
//!
//! Pure text and bytes; the page (`web::export`) offers the results as downloads.

use serde_json::Value;

use crate::protocol::params::{Knobs, Params};
use crate::protocol::reading::{Reading, ReadingKind};

/// The name of the active reading ([`Reading::of`]): "Paper-consistent reading", "Literal
/// reading" or "Custom".
pub fn reading_name(knobs: &Knobs) -> String {
    Reading::of(knobs).name
}

/// The reading in one line for headers and captions: its name (for a custom reading, every
/// changed knob in plain words), and what K1 does, e.g. "Paper-consistent reading (K1
/// idle_on_resource_during_rspv = false: resource qubits do not idle inside RSP&V attempts;
/// every other knob at its default)" or "Custom: checks on single qubits (K2) (K1 … )".
pub fn reading_line(knobs: &Knobs) -> String {
    let r = Reading::of(knobs);
    let k1 = knobs.idle_on_resource_during_rspv;
    let k1_text = format!(
        "K1 idle_on_resource_during_rspv = {k1}: resource qubits {} inside RSP&V attempts",
        if k1 {
            "idle with noise p/100 per layer"
        } else {
            "do not idle"
        }
    );
    match r.kind {
        ReadingKind::Custom => format!("{} ({k1_text})", r.headline()),
        _ => format!("{} ({k1_text}; every other knob at its default)", r.name),
    }
}

/// "clinr_explorer 0.1.0 (git 1a2b3c4)", or without the commit when the build did not know it.
pub fn version() -> String {
    version_with(option_env!("CLINR_GIT_COMMIT"))
}

fn version_with(commit: Option<&str>) -> String {
    let base = format!("{} {}", env!("CARGO_PKG_NAME"), env!("CARGO_PKG_VERSION"));
    match commit.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => format!("{base} (git {c})"),
        None => base,
    }
}

/// A JSON scalar as bare text.
fn plain(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "default".into(),
        other => other.to_string(),
    }
}

/// Every parameter and every knob as `name = value`, in the order of [`Params`] and
/// [`Knobs`] (their serde names, as in the CLI and the URL). Knobs that differ from their
/// defaults end with "  (changed)"; `s` unset reads "s = n² (default)".
pub fn parameter_lines(params: &Params) -> Vec<String> {
    let mut out = Vec::new();
    let Ok(Value::Object(top)) = serde_json::to_value(params) else {
        return out;
    };
    for (k, v) in &top {
        match (k.as_str(), v) {
            ("knobs", _) => {}
            ("s", Value::Null) => out.push("s = n² (default)".into()),
            _ => out.push(format!("{k} = {}", plain(v))),
        }
    }
    let changed: Vec<String> = params
        .knobs
        .non_default()
        .into_iter()
        .map(|(k, _)| k)
        .collect();
    if let Some(Value::Object(knobs)) = top.get("knobs") {
        // Knobs left out of the JSON at their defaults (issue 14's m and two-sided RSP) are
        // listed too, so the block names every knob.
        let mut knobs = knobs.clone();
        knobs
            .entry("instances")
            .or_insert_with(|| Value::from(params.knobs.instances));
        knobs
            .entry("two_sided_rsp")
            .or_insert_with(|| Value::from(params.knobs.two_sided_rsp));
        for (k, v) in &knobs {
            let mark = if changed.contains(k) {
                "  (changed)"
            } else {
                ""
            };
            out.push(format!("{k} = {}{mark}", plain(v)));
        }
    }
    out
}

/// A comment block (`# ` lines) for the top of a CSV file: title, version, reading, then
/// `extra` lines (e.g. the x axis) and every parameter and knob.
pub fn header_block(title: &str, params: &Params, extra: &[String]) -> String {
    let mut lines = vec![
        title.to_string(),
        format!("version: {}", version()),
        format!("reading: {}", reading_line(&params.knobs)),
        format!("why it matters: {}", Reading::of(&params.knobs).summary),
    ];
    lines.extend(extra.iter().cloned());
    lines.push("parameters and knobs (protocol.md §17):".into());
    lines.extend(
        parameter_lines(params)
            .into_iter()
            .map(|l| format!("  {l}")),
    );
    lines.iter().map(|l| format!("# {l}\n")).collect()
}

/// The plot CSV (`csv`, header row first) under a header block naming the x axis.
pub fn csv_with_header(params: &Params, axis: &str, csv: &str) -> String {
    let extra = [format!(
        "x axis: {axis} (one row per plotted point; every other parameter as below)"
    )];
    header_block("CliNR Explorer: p_L and depth plot data", params, &extra) + csv
}

/// The caption under an exported picture: the parameters a reader needs, the reading with
/// the changed knobs, and the version. Short lines; the page wraps them to the width.
pub fn caption_lines(params: &Params, what: &str) -> Vec<String> {
    let p = params;
    let s = p.s.map_or(String::new(), |s| format!(", s = {s}"));
    let changed: Vec<String> = p
        .knobs
        .non_default()
        .into_iter()
        .filter(|(k, _)| k != "idle_on_resource_during_rspv")
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    vec![
        what.to_string(),
        format!(
            "n = {}{s}, t = {} ({} QPUs), r = {}, p = {}, τ_e = {}, {} circuits × {} samples, seed {}",
            p.n,
            p.t,
            p.t + 1,
            p.r,
            p.p,
            p.tau_e,
            p.circuits,
            p.shots,
            p.seed
        ),
        format!(
            "{}; other knobs: {}",
            reading_line(&p.knobs),
            if changed.is_empty() {
                "defaults".to_string()
            } else {
                changed.join(", ")
            }
        ),
        format!("{}, CliNR Explorer", version()),
    ]
}

/// CRC-32 (ISO 3309, as PNG uses) of `bytes`.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// `png` with an international text chunk (`iTXt`, UTF-8, uncompressed) `keyword` = `text`
/// inserted after the header chunk, so the picture carries its caption as metadata.
/// Errors when `png` is not a PNG or `keyword` is not 1–79 Latin letters, digits or spaces.
pub fn png_with_text(png: &[u8], keyword: &str, text: &str) -> Result<Vec<u8>, String> {
    if !(1..=79).contains(&keyword.len())
        || !keyword
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b' ')
    {
        return Err(format!("bad PNG text keyword '{keyword}'"));
    }
    if png.len() < 33 || png[..8] != PNG_SIGNATURE || &png[12..16] != b"IHDR" {
        return Err("not a PNG file".into());
    }
    let ihdr_len = u32::from_be_bytes([png[8], png[9], png[10], png[11]]) as usize;
    let after_ihdr = 8 + 12 + ihdr_len;
    if png.len() < after_ihdr {
        return Err("truncated PNG header".into());
    }
    let mut data = Vec::with_capacity(keyword.len() + text.len() + 5);
    data.extend_from_slice(keyword.as_bytes());
    // Null separator, compression flag 0, method 0, empty language tag and translated keyword.
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(text.as_bytes());
    let mut chunk = Vec::with_capacity(data.len() + 12);
    chunk.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let mut typed = b"iTXt".to_vec();
    typed.extend_from_slice(&data);
    chunk.extend_from_slice(&typed);
    chunk.extend_from_slice(&crc32(&typed).to_be_bytes());
    let mut out = Vec::with_capacity(png.len() + chunk.len());
    out.extend_from_slice(&png[..after_ihdr]);
    out.extend_from_slice(&chunk);
    out.extend_from_slice(&png[after_ihdr..]);
    Ok(out)
}

/// The `iTXt` chunks of a PNG as (keyword, text) pairs (for tests and tools).
pub fn png_texts(png: &[u8]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut at = 8;
    while at + 12 <= png.len() {
        let len = u32::from_be_bytes([png[at], png[at + 1], png[at + 2], png[at + 3]]) as usize;
        let Some(body) = png.get(at + 8..at + 8 + len) else {
            break;
        };
        if &png[at + 4..at + 8] == b"iTXt" {
            let mut parts = body.splitn(2, |&b| b == 0);
            let key = parts.next().unwrap_or_default();
            let rest = parts.next().unwrap_or_default();
            // flag, method, language\0, translated\0, text
            let text = rest
                .get(2..)
                .and_then(|r| {
                    let mut it = r.splitn(3, |&b| b == 0);
                    it.next()?;
                    it.next()?;
                    it.next()
                })
                .unwrap_or_default();
            out.push((
                String::from_utf8_lossy(key).into_owned(),
                String::from_utf8_lossy(text).into_owned(),
            ));
        }
        at += 12 + len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reading_is_named_by_reading_of_custom_included() {
        let mut k = Knobs {
            idle_on_resource_during_rspv: true,
            ..Default::default()
        };
        assert_eq!(reading_name(&k), "Literal reading");
        assert!(reading_line(&k).starts_with("Literal reading (K1"));
        assert!(reading_line(&k).contains("idle_on_resource_during_rspv = true"));
        k.idle_on_resource_during_rspv = false;
        assert_eq!(reading_name(&k), "Paper-consistent reading");
        assert!(reading_line(&k).starts_with("Paper-consistent reading (K1"));
        // Any other knob off its default makes it custom, with the change in plain words
        // (K1 alone no longer decides the name).
        k.check_kind = crate::protocol::params::CheckKind::SingleQubit;
        assert_eq!(reading_name(&k), "Custom");
        let line = reading_line(&k);
        assert!(
            line.starts_with("Custom: checks on single qubits (K2) (K1"),
            "{line}"
        );
        k.check_kind = Default::default();
        k.instances = 2;
        assert_eq!(reading_name(&k), "Custom");
        assert!(
            reading_line(&k).contains("instances"),
            "{}",
            reading_line(&k)
        );
    }

    #[test]
    fn version_names_the_crate_and_the_commit_when_known() {
        let v = version_with(None);
        assert_eq!(v, format!("clinr_explorer {}", env!("CARGO_PKG_VERSION")));
        assert_eq!(version_with(Some(" ")), v);
        assert_eq!(version_with(Some("1a2b3c4")), format!("{v} (git 1a2b3c4)"));
        assert!(version().starts_with(&v));
    }

    #[test]
    fn the_header_block_lists_every_parameter_and_knob() {
        let mut p = Params {
            n: 12,
            seed: 5,
            ..Default::default()
        };
        p.knobs.parallel_links = 2;
        let block = header_block("title", &p, &["x axis: n".into()]);
        assert!(block.lines().all(|l| l.starts_with("# ")), "{block}");
        assert!(block.starts_with("# title\n# version: clinr_explorer "));
        assert!(block.contains(&format!("# reading: {}", reading_line(&p.knobs))));
        assert!(block.starts_with("# title\n# version: "));
        assert!(block.contains("# reading: Custom: "), "{block}");
        assert!(block.contains("# why it matters: Differs from"), "{block}");
        assert!(block.contains("# x axis: n\n"));
        assert!(block.contains("#   n = 12\n"));
        assert!(block.contains("#   s = n² (default)\n"));
        assert!(block.contains("#   seed = 5\n"));
        assert!(
            block.contains("#   parallel_links = 2  (changed)\n"),
            "{block}"
        );
        // Every knob of the JSON appears, changed or not, and those the JSON leaves out at
        // their defaults (m, two-sided RSP).
        let knobs = serde_json::to_value(p.knobs).unwrap();
        for (k, v) in knobs.as_object().unwrap() {
            assert!(
                block.contains(&format!("#   {k} = {}", plain(v))),
                "{k} missing"
            );
        }
        assert!(block.contains("#   instances = 1\n"), "{block}");
        assert!(block.contains("#   two_sided_rsp = false\n"), "{block}");
        p.knobs.instances = 3;
        let block = header_block("title", &p, &[]);
        assert!(block.contains("#   instances = 3  (changed)\n"), "{block}");
        for k in ["n", "t", "r", "p", "tau_e", "circuits", "shots", "seed"] {
            assert!(block.contains(&format!("#   {k} = ")), "{k} missing");
        }
        let csv = csv_with_header(&p, "n", "n,a\n1,2\n");
        assert!(csv.ends_with("n,a\n1,2\n"));
        assert!(csv.contains("# x axis: n (one row per plotted point"));
    }

    #[test]
    fn captions_name_the_parameters_reading_and_version() {
        let mut p = Params::default();
        p.knobs.parallel_links = 3;
        let c = caption_lines(&p, "Ring, shot 2 at τ = 10");
        assert_eq!(c[0], "Ring, shot 2 at τ = 10");
        assert!(c[1].starts_with("n = 85, t = 3 (4 QPUs), r = 3, p = 0.0001, τ_e = 1, 20 circuits × 200 samples, seed"), "{}", c[1]);
        assert!(c[2].starts_with("Custom: "), "{}", c[2]);
        assert!(c[2].starts_with(&reading_name(&p.knobs)), "{}", c[2]);
        assert!(
            c[2].ends_with("other knobs: parallel_links = 3"),
            "{}",
            c[2]
        );
        assert!(c[3].starts_with("clinr_explorer "));
    }

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xcbf4_3926);
        assert_eq!(crc32(b""), 0);
        // The IEND chunk of every PNG.
        assert_eq!(crc32(b"IEND"), 0xae42_6082);
    }

    /// A 1×1 PNG (signature, IHDR, IDAT, IEND).
    fn tiny_png() -> Vec<u8> {
        let mut png = PNG_SIGNATURE.to_vec();
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            let mut typed = kind.to_vec();
            typed.extend_from_slice(data);
            c.extend_from_slice(&typed);
            c.extend_from_slice(&crc32(&typed).to_be_bytes());
            c
        };
        png.extend(chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        png.extend(chunk(
            b"IDAT",
            &[
                0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00,
            ],
        ));
        png.extend(chunk(b"IEND", &[]));
        png
    }

    #[test]
    fn a_png_carries_its_caption() {
        let png = tiny_png();
        let text = "n = 85, τ_e = 1 · paper-consistent reading";
        let out = png_with_text(&png, "Description", text).unwrap();
        assert_eq!(
            out.len(),
            png.len() + 12 + "Description".len() + 5 + text.len()
        );
        assert_eq!(
            png_texts(&out),
            vec![("Description".to_string(), text.to_string())]
        );
        // The chunk sits right after IHDR and its CRC is right.
        let at = 8 + 12 + 13;
        assert_eq!(&out[at + 4..at + 8], b"iTXt");
        let len = u32::from_be_bytes(out[at..at + 4].try_into().unwrap()) as usize;
        let crc = u32::from_be_bytes(out[at + 8 + len..at + 12 + len].try_into().unwrap());
        assert_eq!(crc, crc32(&out[at + 4..at + 8 + len]));
        // The rest of the file is unchanged.
        assert_eq!(&out[..at], &png[..at]);
        assert_eq!(&out[at + 12 + len..], &png[at..]);
        assert!(png_with_text(b"not a png at all, really not one", "Description", "x").is_err());
        assert!(png_with_text(&png, "", "x").is_err());
        assert!(png_with_text(&png, "Bad\0key", "x").is_err());
        assert!(png_texts(&png).is_empty());
    }
}
