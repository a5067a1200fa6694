//! The memory budget of a run: every accepted input stays within [`MAX_BYTES`] (512 MiB) of
//! peak resident memory (issue 15 item 5), whatever n, s, t, r, shots, circuits, sweep length
//! or thread count; inputs that would need more are refused before any work, with the part
//! that is too large named in the message.
//!
//! The bound is a model fitted to `/usr/bin/time -v` measurements of `clinr` (README,
//! "Memory"), each term an upper bound of what it models:
//! - [`tables_bytes`]: what one circuit in flight holds: the instance and the fault-signature
//!   tables of the direct implementation and of every block's RSP&V attempt
//!   (`sim::signatures`). Per gate of C, 256 + 204·h bytes with h = ⌈n/64⌉ words per
//!   signature half (measured on all-CX circuits, the worst gate mix: 403, 586, 942, 1694
//!   bytes per gate at h = 1, 2, 4, 8); per block 480·n·h + n²/2 (Bell-pair preparation, the
//!   block's tableau); per check n·(200·h + 100) (a check's gadget on up to 2n qubits;
//!   measured 655 KB per check at n = 512).
//! - [`samples_bytes`]: the shots of one circuit in flight, 24 bytes per shot and point
//!   (three implementations × 8 bytes).
//! - [`report_bytes`]: what a report keeps per circuit and point, and its JSON text:
//!   2000 + t·(100 + 16·r) bytes (measured 1.9 KB at t = r = 3, 13.8 KB at t = 16, r = 64).
//! - [`BASE_BYTES`]: the process itself (a tiny run peaks at 3.7 MB).
//!
//! Each worker thread holds one circuit in flight, so a run uses
//! `BASE + given circuits + threads × (tables + samples) + points × circuits × report`;
//! [`plan`] lowers the thread count until that fits (the numbers never depend on it) and
//! refuses the run when even one thread does not fit. A browser worker runs one thread.

use crate::protocol::params::{ParamError, Params};

/// Peak resident memory a run may use.
pub const MAX_BYTES: u64 = 512 << 20;

/// The process without any circuit: code, stacks, allocator, output buffers.
pub const BASE_BYTES: u64 = 8 << 20;

/// Bytes of one gate of a given circuit (`Gate` plus vector slack), kept for the whole run.
pub const GIVEN_GATE_BYTES: u64 = 16;

/// Words per signature half: ⌈n/64⌉.
fn half_words(n: u32) -> u64 {
    u64::from(n.div_ceil(64).max(1))
}

/// Upper bound on what one circuit in flight holds (instance and fault tables), for n qubits,
/// s gates, t blocks and r checks per block. Saturates instead of overflowing.
pub fn tables_bytes(n: u32, s: u64, t: u32, r: u32) -> u64 {
    let (n, t, r, h) = (u64::from(n), u64::from(t), u64::from(r), half_words(n));
    let gates = s.saturating_mul(256 + 204 * h);
    let blocks = t.saturating_mul(480 * n * h + n * n / 2);
    let checks = t.saturating_mul(r).saturating_mul(n * (200 * h + 100));
    gates.saturating_add(blocks).saturating_add(checks)
}

/// The shots of one circuit in flight over `points` points of `shots` shots each.
pub fn samples_bytes(shots: u32, points: u64) -> u64 {
    u64::from(shots).saturating_mul(points).saturating_mul(24)
}

/// What a report keeps per circuit (and its JSON text), with t blocks and r checks per block.
pub fn report_bytes(t: u32, r: u32) -> u64 {
    2000 + u64::from(t) * (100 + 16 * u64::from(r))
}

/// How a run fits the budget.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Worker threads to use (≤ the threads asked for, ≥ 1).
    pub threads: u32,
    /// The bound on peak memory with that many threads.
    pub bytes: u64,
}

/// What a run consists of, for [`plan`].
#[derive(Clone, Copy, Debug)]
pub struct Run<'a> {
    /// The points of the run (one for `simulate`).
    pub points: &'a [Params],
    /// Whether the points share their circuits and run circuit by circuit (τ_e and p sweeps):
    /// one circuit then holds the shots of every point at once.
    pub shared_instances: bool,
    /// Gates of the given circuits, all together (0 for drawn circuits).
    pub given_gates: u64,
    /// Gates of the largest given circuit (its size replaces s).
    pub largest_given: Option<u64>,
}

fn mb(bytes: u64) -> String {
    if bytes >= 10 << 30 {
        format!("{} GB", bytes >> 30)
    } else if bytes >= 1 << 30 {
        format!("{:.1} GB", bytes as f64 / f64::from(1u32 << 30))
    } else {
        format!("{} MB", bytes.div_ceil(1 << 20))
    }
}

/// The thread count and memory bound of `run` on up to `threads` threads, or why it does not
/// fit in [`MAX_BYTES`] even on one thread (a one-line message naming the part to lower).
pub fn plan(run: &Run, threads: u32) -> Result<Plan, ParamError> {
    let Some(first) = run.points.first() else {
        return Ok(Plan {
            threads: 1,
            bytes: BASE_BYTES,
        });
    };
    let size = |p: &Params| run.largest_given.unwrap_or(u64::from(p.size()));
    // One circuit in flight: the largest point's tables; its shots (all points at once when
    // they share their circuits).
    let (tables, tables_at) = run
        .points
        .iter()
        .map(|p| (tables_bytes(p.n, size(p), p.t, p.r), p))
        .max_by_key(|&(b, _)| b)
        .unwrap_or((0, first));
    let samples = if run.shared_instances {
        run.points
            .iter()
            .map(|p| samples_bytes(p.shots, 1))
            .fold(0u64, u64::saturating_add)
    } else {
        run.points
            .iter()
            .map(|p| samples_bytes(p.shots, 1))
            .max()
            .unwrap_or(0)
    };
    let reports = run
        .points
        .iter()
        .map(|p| u64::from(p.circuits).saturating_mul(report_bytes(p.t, p.r)))
        .fold(0u64, u64::saturating_add);
    let given = run.given_gates.saturating_mul(GIVEN_GATE_BYTES);
    let fixed = BASE_BYTES.saturating_add(given).saturating_add(reports);
    let per_thread = tables.saturating_add(samples);
    let circuits = run.points.iter().map(|p| p.circuits).max().unwrap_or(1);
    let most = threads.clamp(1, circuits.max(1));
    let fits = |k: u32| fixed.saturating_add(per_thread.saturating_mul(u64::from(k)));
    if fits(1) > MAX_BYTES {
        let p = tables_at;
        // The largest s that would fit with everything else unchanged, if any.
        let room = MAX_BYTES.saturating_sub(fixed.saturating_add(samples));
        let base_tables = tables_bytes(p.n, 0, p.t, p.r);
        let per_gate = tables_bytes(p.n, 1, p.t, p.r) - base_tables;
        let hint = match room.checked_sub(base_tables) {
            Some(left) if left / per_gate > 0 => format!(
                "; s ≤ {} fits at n = {}, t = {}, r = {}",
                (left / per_gate).min(u64::from(crate::protocol::params::limits::MAX_S)),
                p.n,
                p.t,
                p.r
            ),
            _ => String::new(),
        };
        let parts = [
            (
                tables,
                format!(
                    "the fault tables of one circuit need about {} (s = {} gates, t·r = {} \
                     checks on n = {} qubits): lower s, n, t or r{hint}",
                    mb(tables),
                    size(p),
                    u64::from(p.t) * u64::from(p.r),
                    p.n
                ),
            ),
            (
                samples,
                format!(
                    "the shots of one circuit need about {} ({} per circuit{}): lower shots",
                    mb(samples),
                    first.shots,
                    if run.points.len() > 1 && run.shared_instances {
                        format!(" at each of {} points", run.points.len())
                    } else {
                        String::new()
                    }
                ),
            ),
            (
                reports,
                format!(
                    "the report{} of {} circuits need about {}: lower circuits{}",
                    if run.points.len() > 1 { "s" } else { "" },
                    circuits,
                    mb(reports),
                    if run.points.len() > 1 {
                        " or the number of sweep points"
                    } else {
                        ""
                    }
                ),
            ),
            (
                given,
                format!(
                    "the circuit files hold {} gates ({}): use fewer or smaller files",
                    run.given_gates,
                    mb(given)
                ),
            ),
        ];
        let worst = parts
            .iter()
            .max_by_key(|(b, _)| *b)
            .map(|(_, why)| why.clone())
            .unwrap_or_default();
        return Err(ParamError::Unsupported(format!(
            "this run needs about {} of memory, above the budget of {}; {worst}",
            mb(fits(1)),
            mb(MAX_BYTES)
        )));
    }
    let k = (1..=most)
        .rev()
        .find(|&k| fits(k) <= MAX_BYTES)
        .unwrap_or(1);
    Ok(Plan {
        threads: k,
        bytes: fits(k),
    })
}

/// [`plan`] for one drawn point on one thread: the check [`Params::validate`] runs.
pub fn check_point(p: &Params) -> Result<(), ParamError> {
    plan(
        &Run {
            points: std::slice::from_ref(p),
            shared_instances: false,
            given_gates: 0,
            largest_given: None,
        },
        1,
    )
    .map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(n: u32, s: Option<u32>, t: u32, r: u32) -> Params {
        Params {
            n,
            s,
            t,
            r,
            ..Params::default()
        }
    }

    fn one(p: &Params, threads: u32) -> Result<Plan, ParamError> {
        plan(
            &Run {
                points: std::slice::from_ref(p),
                shared_instances: false,
                given_gates: 0,
                largest_given: None,
            },
            threads,
        )
    }

    #[test]
    fn the_model_bounds_the_measurements() {
        // (n, s, t, r, measured peak RSS in KB) from README "Memory" (clinr, one thread).
        let measured: [(u32, u64, u32, u32, u64); 9] = [
            (512, 262_144, 3, 3, 471_000),
            (512, 100_000, 3, 3, 189_000),
            (64, 1_048_576, 3, 3, 437_732),
            (128, 1_048_576, 3, 3, 629_308),
            (256, 524_288, 3, 3, 509_264),
            (2, 4_194_304, 3, 3, 1_322_048),
            (512, 1_000, 64, 64, 2_803_640),
            (512, 1_000, 64, 3, 243_744),
            (85, 7_225, 64, 64, 165_420),
        ];
        for (n, s, t, r, kb) in measured {
            let bound = BASE_BYTES + tables_bytes(n, s, t, r);
            assert!(
                bound >= kb * 1024,
                "n={n} s={s} t={t} r={r}: {bound} < {kb} KB"
            );
            // Not absurdly loose either: within 1.6× (plus the base).
            assert!(
                bound <= kb * 1024 * 16 / 10 + BASE_BYTES,
                "n={n} s={s}: {bound}"
            );
        }
    }

    #[test]
    fn the_paper_point_and_the_old_size_cap_fit() {
        let paper = Params::default();
        let p = one(&paper, 2).unwrap();
        assert_eq!(p.threads, 2);
        assert!(p.bytes < 64 << 20, "{}", p.bytes);
        // n = 512 at s = n² fits on one thread, not on two.
        let big = point(512, None, 3, 3);
        assert_eq!(one(&big, 2).unwrap().threads, 1);
        assert!(check_point(&big).is_ok());
    }

    #[test]
    fn too_large_runs_are_refused_naming_the_part() {
        let e = check_point(&point(512, Some(1 << 22), 3, 3)).unwrap_err();
        let m = e.to_string();
        assert!(m.contains("fault tables of one circuit"), "{m}");
        assert!(m.contains("s = 4194304"), "{m}");
        assert!(m.contains("budget of 512 MB"), "{m}");
        // The hint is exact: the s it names fits, one more gate does not.
        let hint: u32 = m
            .split("s ≤ ")
            .nth(1)
            .and_then(|t| t.split(' ').next())
            .and_then(|t| t.parse().ok())
            .expect("a hint");
        assert!(
            m.ends_with(&format!("s ≤ {hint} fits at n = 512, t = 3, r = 3")),
            "{m}"
        );
        assert!((262_144..300_000).contains(&hint), "{hint}");
        assert!(check_point(&point(512, Some(hint), 3, 3)).is_ok());
        assert!(check_point(&point(512, Some(hint + 1), 3, 3)).is_err());
        let e = check_point(&point(512, None, 64, 64)).unwrap_err();
        assert!(e.to_string().contains("t·r = 4096 checks"), "{e}");
        let shots = Params {
            n: 2,
            shots: 10_000_000,
            t: 1,
            ..Params::default()
        };
        assert!(check_point(&shots).is_ok());
        let sweep: Vec<Params> = (0..7).map(|_| shots).collect();
        let e = plan(
            &Run {
                points: &sweep,
                shared_instances: true,
                given_gates: 0,
                largest_given: None,
            },
            1,
        )
        .unwrap_err();
        assert!(e.to_string().contains("lower shots"), "{e}");
        let many = Params {
            circuits: 100_000,
            t: 64,
            r: 64,
            n: 4,
            ..Params::default()
        };
        let e = check_point(&many).unwrap_err();
        assert!(e.to_string().contains("lower circuits"), "{e}");
    }

    #[test]
    fn threads_are_lowered_to_fit() {
        let p = point(300, None, 3, 3);
        let one_thread = one(&p, 1).unwrap().bytes;
        let plan = one(&p, 64).unwrap();
        assert!(plan.threads >= 1 && plan.threads < 20, "{plan:?}");
        assert!(plan.bytes <= MAX_BYTES);
        assert!(plan.bytes >= one_thread);
        // The README's memory table: which runs use fewer threads than asked.
        assert_eq!(one(&point(512, Some(272_406), 3, 3), 2).unwrap().threads, 1);
        let shots = Params {
            n: 2,
            t: 1,
            r: 0,
            shots: 10_000_000,
            circuits: 2,
            ..Params::default()
        };
        assert_eq!(one(&shots, 2).unwrap().threads, 2);
        let sweep: Vec<Params> = (0..7)
            .map(|_| Params {
                shots: 2_500_000,
                ..shots
            })
            .collect();
        let run = Run {
            points: &sweep,
            shared_instances: true,
            given_gates: 0,
            largest_given: None,
        };
        assert_eq!(super::plan(&run, 2).unwrap().threads, 1);
        // Never more threads than circuits.
        let few = Params {
            circuits: 3,
            ..Params::default()
        };
        assert_eq!(one(&few, 64).unwrap().threads, 3);
    }
}
