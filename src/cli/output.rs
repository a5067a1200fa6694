//! Text renderings of reports: a human table, CSV and JSON (lines). Numbers in CSV and in the
//! tables' headers are written by [`crate::numbers::shortest`] (exact, never longer than 26
//! characters); JSON by serde_json.

use super::Failure;
use crate::estimate::{MeanStd, Report};
use crate::numbers::shortest;
use crate::protocol::params::Knobs;
use crate::protocol::schedule::Implementation;
use serde::Serialize;
use std::fmt::Write;

pub fn to_json<T: Serialize>(v: &T) -> Result<String, Failure> {
    serde_json::to_string(v).map_err(|e| Failure {
        message: format!("cannot serialize the report: {e}"),
        code: 1,
    })
}

fn ms(m: &MeanStd, prec: usize) -> String {
    format!("{:.prec$} ± {:.prec$}", m.mean, m.std)
}

fn list(xs: &[f64], prec: usize) -> String {
    let items: Vec<String> = xs.iter().map(|x| format!("{x:.prec$}")).collect();
    format!("[{}]", items.join(", "))
}

/// Every knob with its active value; non-default ones marked with `*`.
pub fn knobs_lines(k: &Knobs) -> String {
    let here = serde_json::to_value(k).unwrap_or_default();
    let base = serde_json::to_value(Knobs::default()).unwrap_or_default();
    let mut out = String::new();
    if let (Some(h), Some(b)) = (here.as_object(), base.as_object()) {
        let items: Vec<String> = h
            .iter()
            .map(|(key, v)| {
                let mark = if b.get(key) != Some(v) { "*" } else { "" };
                format!("{mark}{key}={}", super::json_scalar(v))
            })
            .collect();
        let mut line = String::from(" ");
        for it in items {
            if line.len() + it.len() > 96 {
                let _ = writeln!(out, "{line}");
                line = String::from(" ");
            }
            line.push(' ');
            line.push_str(&it);
        }
        let _ = writeln!(out, "{line}");
    }
    out
}

/// The size s as the report knows it: `params.s` (n² unless set), or for given circuits of
/// different sizes their range, e.g. `3…7 (per circuit)`.
fn size_text(r: &Report) -> String {
    let sizes = r.derived.per_circuit.iter().map(|d| d.size);
    match (r.given_circuits, sizes.clone().min(), sizes.max()) {
        (true, Some(lo), Some(hi)) if lo != hi => format!("{lo}…{hi} (per circuit)"),
        _ => r.params.size().to_string(),
    }
}

pub fn report_table(r: &Report) -> String {
    let p = &r.params;
    let mut o = String::new();
    let _ = writeln!(
        o,
        "CliNR point: n = {}, s = {}, t = {}, r = {}, p = {}, τ_e = {}, {} circuits × {} samples, seed {}, engine {}",
        p.n,
        size_text(r),
        p.t,
        p.r,
        shortest(p.p),
        shortest(p.tau_e),
        p.circuits,
        p.shots,
        p.seed,
        super::serde_arg::serde_name(&r.engine)
    );
    if r.given_circuits {
        let _ = writeln!(
            o,
            "Circuits: given (--circuit-file), not drawn: circuit_generator, size_count and \
             padding_gates do not apply"
        );
    }
    let nd = &r.non_default_knobs;
    let _ = writeln!(
        o,
        "Knobs ({}; * = differs from default):",
        if nd.is_empty() {
            "all default".to_string()
        } else {
            format!("{} non-default", nd.len())
        }
    );
    o += &knobs_lines(&p.knobs);
    let _ = writeln!(o);
    let _ = writeln!(
        o,
        "{:<12} {:>24} {:>22}  restart q_k",
        "", "p_L (mean ± std)", "depth (mean ± std)"
    );
    for imp in Implementation::ALL {
        let res = r.results.get(imp);
        let q = res
            .restart_probability
            .as_ref()
            .map(|q| list(q, 4))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "{:<12} {:>24} {:>22}  {q}",
            imp.name(),
            ms(&res.logical_error_rate, 5),
            ms(&res.depth, 1)
        );
    }
    let d = &r.derived;
    let _ = writeln!(o, "\nDerived (means over circuits):");
    let _ = writeln!(o, "  Δ = {}", ms(&d.circuit_depth, 1));
    let _ = writeln!(o, "  Δ_k = {}", list(&d.block_depths_mean, 1));
    let _ = writeln!(
        o,
        "  δ_k (RSP&V depth without restart) = {}",
        list(&d.rspv_depths_mean, 1)
    );
    match (d.check_weight_mean, &d.check_weight_note) {
        (Some(w), _) => {
            let _ = writeln!(o, "  mean check weight w = {w:.2}");
        }
        (None, note) => {
            let _ = writeln!(
                o,
                "  mean check weight w: none ({})",
                note.as_deref().unwrap_or("no checks")
            );
        }
    }
    let _ = writeln!(
        o,
        "  §12: distributed shallower than direct (no restarts) needs Δ > {:.1}",
        d.min_depth_for_distributed_advantage_mean
    );
    let _ = writeln!(
        o,
        "  §8.7: no RSI-1 wait for τ_e ≤ {:.3}; no depth cost for τ_e ≤ {:.3} (effective τ_e = {})",
        d.tau_e_no_wait_mean,
        d.tau_e_no_depth_cost_mean,
        shortest(d.tau_e_effective)
    );
    let _ = writeln!(
        o,
        "  Prop. 1 (uniform model): monolithic E[depth] = {:.1}  (measured {:.1})",
        d.prop1_monolithic_depth_uniform_model, r.results.monolithic.depth.mean
    );
    let _ = writeln!(
        o,
        "  Prop. 2 with 4(t+1) (uniform-model bound): distributed E[depth] ≤ {:.1}  (measured {:.1})",
        d.prop2_distributed_depth_bound_uniform_model, r.results.distributed.depth.mean
    );
    let _ = writeln!(
        o,
        "  Eq. 8 no-stall (n·τ_e ≤ RSP&V term) holds for {:.0}% of circuits",
        100.0 * d.eq8_no_stall_fraction
    );
    o
}

/// One row per circuit: index, Δ, then p_L and mean depth per implementation, then the
/// circuit's size s (its gate count). Numbers as [`shortest`] writes them.
pub fn report_csv(r: &Report) -> String {
    let mut o = String::from("circuit,circuit_depth");
    for imp in Implementation::ALL {
        let _ = write!(o, ",{0}_logical_error_rate,{0}_depth", imp.name());
    }
    o.push_str(",size\n");
    for (i, der) in r.derived.per_circuit.iter().enumerate() {
        let _ = write!(o, "{i},{}", der.circuit_depth);
        for imp in Implementation::ALL {
            let c = &r.results.get(imp).per_circuit[i];
            let _ = write!(
                o,
                ",{},{}",
                shortest(c.logical_error_rate),
                shortest(c.depth)
            );
        }
        let _ = writeln!(o, ",{}", der.size);
    }
    o
}

/// Header plus one row per point: x, then mean/std of p_L and depth per implementation.
pub fn sweep_csv(var: &str, points: &[(f64, Report)]) -> String {
    let mut o = String::from(var);
    for imp in Implementation::ALL {
        let _ = write!(
            o,
            ",{0}_logical_error_rate_mean,{0}_logical_error_rate_std,{0}_depth_mean,{0}_depth_std",
            imp.name()
        );
    }
    o.push('\n');
    for (x, r) in points {
        o += &shortest(*x);
        for imp in Implementation::ALL {
            let res = r.results.get(imp);
            let _ = write!(
                o,
                ",{},{},{},{}",
                shortest(res.logical_error_rate.mean),
                shortest(res.logical_error_rate.std),
                shortest(res.depth.mean),
                shortest(res.depth.std)
            );
        }
        o.push('\n');
    }
    o
}

#[derive(Serialize)]
struct Point<'a> {
    vary: &'a str,
    value: f64,
    #[serde(flatten)]
    report: &'a Report,
}

/// One JSON object per line: `{"vary": name, "value": x, "params": …, "results": …, …}`.
pub fn sweep_jsonl(var: &str, points: &[(f64, Report)]) -> Result<String, Failure> {
    let mut o = String::new();
    for (x, report) in points {
        o += &to_json(&Point {
            vary: var,
            value: *x,
            report,
        })?;
        o.push('\n');
    }
    Ok(o)
}

pub fn sweep_table(var: &str, points: &[(f64, Report)]) -> String {
    let mut o = String::new();
    if let Some((_, first)) = points.first() {
        let nd: Vec<String> = first
            .non_default_knobs
            .iter()
            .map(|(k, v)| format!("*{k}={v}"))
            .collect();
        let _ = writeln!(
            o,
            "Sweep over {var}; non-default knobs: {}",
            if nd.is_empty() {
                "none".to_string()
            } else {
                nd.join(" ")
            }
        );
    }
    let _ = write!(o, "{var:>10}");
    for imp in Implementation::ALL {
        let _ = write!(o, " {:>22} {:>18}", format!("{} p_L", imp.name()), "depth");
    }
    o.push('\n');
    for (x, r) in points {
        let _ = write!(o, "{:>10}", shortest(*x));
        for imp in Implementation::ALL {
            let res = r.results.get(imp);
            let _ = write!(
                o,
                " {:>22} {:>18}",
                ms(&res.logical_error_rate, 5),
                ms(&res.depth, 1)
            );
        }
        o.push('\n');
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate::simulate_on;
    use crate::protocol::params::Params;
    use crate::sim::EngineKind;

    /// Issue 15: CSV cells read back bit for bit, extreme values included, and stay short.
    #[test]
    fn csv_numbers_round_trip_exactly() {
        let params = Params {
            n: 3,
            t: 1,
            circuits: 2,
            shots: 5,
            ..Params::default()
        };
        let mut r = simulate_on(1, &params, EngineKind::Fast, None, &mut |_| {}).unwrap();
        let extremes = [
            5e-324,
            2.2250738585072014e-308,
            1e-300,
            0.1 + 0.2,
            1.0 / 3.0,
            1e21,
        ];
        for (i, c) in r.results.direct.per_circuit.iter_mut().enumerate() {
            c.logical_error_rate = extremes[i];
            c.depth = extremes[i + 2];
        }
        r.results.monolithic.logical_error_rate.mean = extremes[4];
        r.results.distributed.depth.std = extremes[5];
        let written: Vec<f64> = r
            .results
            .direct
            .per_circuit
            .iter()
            .flat_map(|c| [c.logical_error_rate, c.depth])
            .collect();
        let csv = report_csv(&r);
        let read: Vec<f64> = csv
            .lines()
            .skip(1)
            .flat_map(|l| {
                let cells: Vec<f64> = l.split(',').map(|c| c.parse().unwrap()).collect();
                [cells[2], cells[3]]
            })
            .collect();
        assert_eq!(
            read.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            written.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
        let sweep = sweep_csv("p", &[(5e-324, r.clone()), (0.1 + 0.2, r)]);
        let rows: Vec<Vec<f64>> = sweep
            .lines()
            .skip(1)
            .map(|l| l.split(',').map(|c| c.parse().unwrap()).collect())
            .collect();
        assert_eq!(rows[0][0].to_bits(), 5e-324f64.to_bits());
        assert_eq!(rows[1][0].to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(rows[0][5].to_bits(), extremes[4].to_bits());
        assert_eq!(rows[0][12].to_bits(), extremes[5].to_bits());
        assert!(sweep.lines().all(|l| l.split(',').all(|c| c.len() <= 45)));
    }
}
