//! Shard files of `clinr sweep … --shard I/N` and their checks in `clinr merge`.
//!
//! A shard file is one JSON object: `{"clinr_sweep_shard": 1, "shard": I, "shards": N,
//! "sweep": {…}, "items": [{"point", "circuit", "record"}…]}`. `sweep` holds everything that
//! decides the output (the base parameters, the varied axis, the engine, a SHA-256 of each
//! given circuit, the output format and `--min-links`); every record holds one (point, circuit)
//! item's exact sums ([`crate::estimate::CircuitRecord`]), so `merge` rebuilds the reports
//! exactly as the unsharded sweep does and prints them byte for byte.
//!
//! `merge` refuses, with one line: unreadable or foreign files, shards of different sweeps or
//! of different N, a shard given twice, missing shards, and a file whose items are not those
//! of its shard.

use super::{Failure, SweepFormat};
use crate::circuit::Circuit;
use crate::estimate::shard::shard_items;
use crate::estimate::{SweepItem, Vary};
use crate::protocol::params::Params;
use crate::sim::EngineKind;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::path::PathBuf;

/// Version of the shard file layout.
pub const VERSION: u32 = 1;

/// What decides a sweep's output: equal in every shard of one sweep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepSpec {
    pub params: Params,
    pub vary: Vary,
    pub engine: EngineKind,
    /// SHA-256 (hex) of each given circuit (`--circuit-file`), empty for random circuits.
    pub circuit_files_sha256: Vec<String>,
    pub format: SweepFormat,
    pub min_links: bool,
}

/// One shard's output.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardFile {
    /// The layout version; its presence marks the file as ours.
    pub clinr_sweep_shard: u32,
    /// I (1-based) of N.
    pub shard: u32,
    pub shards: u32,
    pub sweep: SweepSpec,
    pub items: Vec<SweepItem>,
}

impl ShardFile {
    pub fn new(shard: u32, shards: u32, sweep: SweepSpec, items: Vec<SweepItem>) -> Self {
        ShardFile {
            clinr_sweep_shard: VERSION,
            shard,
            shards,
            sweep,
            items,
        }
    }
}

/// SHA-256 (hex) of each circuit's gate list.
pub fn fingerprints(circuits: &[Circuit]) -> Vec<String> {
    circuits
        .iter()
        .map(|c| {
            let json = serde_json::to_string(c).unwrap_or_default();
            Sha256::digest(json.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect()
        })
        .collect()
}

fn refuse(message: String) -> Failure {
    Failure { message, code: 2 }
}

/// The first field in which two sweeps differ.
fn difference(a: &SweepSpec, b: &SweepSpec) -> &'static str {
    if a.params != b.params {
        "parameters"
    } else if a.vary != b.vary {
        "varied values"
    } else if a.engine != b.engine {
        "engine"
    } else if a.circuit_files_sha256 != b.circuit_files_sha256 {
        "circuit files"
    } else if a.format != b.format {
        "--format"
    } else {
        "--min-links"
    }
}

/// Reads shard files and checks they are exactly shards 1..N of one sweep, each once, each
/// with its own items; returns the sweep and all items.
pub fn read_and_check(files: &[PathBuf]) -> Result<(SweepSpec, Vec<SweepItem>), Failure> {
    let mut shards: Vec<(String, ShardFile)> = Vec::with_capacity(files.len());
    for f in files {
        let name = f.display().to_string();
        let text = read_bounded(f).map_err(|e| refuse(format!("{name}: {e}")))?;
        let file: ShardFile = serde_json::from_str(&text).map_err(|e| {
            refuse(format!(
                "{name}: not a shard file of `clinr sweep --shard` ({e})"
            ))
        })?;
        if file.clinr_sweep_shard != VERSION {
            return Err(refuse(format!(
                "{name}: shard file version {} (this clinr reads version {VERSION})",
                file.clinr_sweep_shard
            )));
        }
        shards.push((name, file));
    }
    let Some((first_name, first)) = shards.first() else {
        return Err(refuse("no shard files given".into()));
    };
    let n = first.shards;
    let mut seen: Vec<Option<&str>> = vec![None; n as usize];
    for (name, f) in &shards {
        if f.shards != n {
            return Err(refuse(format!(
                "{name} is shard {}/{} but {first_name} is shard {}/{n}: they come from different splits",
                f.shard, f.shards, first.shard
            )));
        }
        if f.sweep != first.sweep {
            return Err(refuse(format!(
                "{name} and {first_name} are shards of different sweeps (their {} differ)",
                difference(&f.sweep, &first.sweep)
            )));
        }
        if f.shard == 0 || f.shard > n {
            return Err(refuse(format!(
                "{name}: shard {} is outside 1..={n}",
                f.shard
            )));
        }
        let slot = &mut seen[f.shard as usize - 1];
        if let Some(other) = slot {
            return Err(refuse(format!(
                "shard {}/{n} given twice: {other} and {name}",
                f.shard
            )));
        }
        *slot = Some(name);
        let points = u32::try_from(f.sweep.vary.len()).unwrap_or(u32::MAX);
        let want = shard_items(points, f.sweep.params.circuits, f.shard, n);
        let have: Vec<(u32, u32)> = f.items.iter().map(|i| (i.point, i.circuit)).collect();
        if have != want {
            return Err(refuse(format!(
                "{name}: its items are not those of shard {}/{n} (edited or truncated?)",
                f.shard
            )));
        }
        for item in &f.items {
            check_counts(item, f.sweep.params.shots).map_err(|e| {
                refuse(format!(
                    "{name}: point {}, circuit {}: {e} (edited?)",
                    item.point, item.circuit
                ))
            })?;
        }
    }
    let missing: Vec<String> = seen
        .iter()
        .enumerate()
        .filter(|(_, s)| s.is_none())
        .map(|(i, _)| (i + 1).to_string())
        .collect();
    if !missing.is_empty() {
        return Err(refuse(format!(
            "missing shard{} {} of {n}",
            if missing.len() > 1 { "s" } else { "" },
            missing.join(", ")
        )));
    }
    let spec = first.sweep.clone();
    let items = shards.into_iter().flat_map(|(_, f)| f.items).collect();
    Ok((spec, items))
}

/// Largest shard file `clinr merge` reads (a shard of the largest accepted sweep is far
/// smaller: its records hold counts per circuit, not samples).
pub const MAX_SHARD_BYTES: u64 = 256 << 20;

/// Reads a whole shard file, refusing one over [`MAX_SHARD_BYTES`] as soon as that many bytes
/// have been read (so `/dev/zero` or a huge file cannot fill memory) and one that is not UTF-8.
fn read_bounded(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read: {e}"))?;
    let mut input = file.take(MAX_SHARD_BYTES + 1);
    // A shard file is a JSON object: refuse anything else (binary, /dev/zero) from its first
    // bytes instead of reading up to the cap.
    let mut bytes = Vec::new();
    (&mut input)
        .take(4096)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err("not a shard file of `clinr sweep --shard` (not a JSON object)".into());
    }
    input
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > MAX_SHARD_BYTES {
        return Err(format!(
            "longer than {MAX_SHARD_BYTES} bytes, the cap on shard files: not a shard file of `clinr sweep --shard`"
        ));
    }
    String::from_utf8(bytes)
        .map_err(|_| "not a shard file of `clinr sweep --shard` (not UTF-8 text)".to_string())
}

/// The counts of one item must be counts of `shots` samples: the same number of samples for
/// every implementation, no more logical errors than samples, no more restarts than attempts.
fn check_counts(item: &SweepItem, shots: u32) -> Result<(), String> {
    let s = &item.record.summary;
    for (label, t) in [
        ("direct", &s.direct),
        ("monolithic", &s.monolithic),
        ("distributed", &s.distributed),
    ] {
        if t.shots != u64::from(shots) {
            return Err(format!("{label} has {} samples, not {shots}", t.shots));
        }
        if t.logical_errors > t.shots {
            return Err(format!(
                "{label} has {} logical errors in {} samples",
                t.logical_errors, t.shots
            ));
        }
    }
    for a in s.attempts.iter().chain(s.attempts_by_impl.iter()) {
        if a.restarts > a.attempts {
            return Err(format!(
                "{} restarts in {} attempts",
                a.restarts, a.attempts
            ));
        }
    }
    let accepted: u64 = s.first_acceptance.iter().map(|&(_, k)| k).sum();
    if !s.first_acceptance.is_empty() && accepted != u64::from(shots) {
        return Err(format!(
            "the first-acceptance histogram counts {accepted} samples, not {shots}"
        ));
    }
    Ok(())
}
