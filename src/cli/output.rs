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

/// "0.47500 ± 0.01234"; with fewer than two circuits there is no spread over circuits to
/// estimate (the JSON's `std` is 0 then), so "0.47500 ± n/a" ([`ONE_CIRCUIT_NOTE`] says why).
fn ms(m: &MeanStd, prec: usize, circuits: u32) -> String {
    if circuits < 2 {
        format!("{:.prec$} ± n/a", m.mean)
    } else {
        format!("{:.prec$} ± {:.prec$}", m.mean, m.std)
    }
}

/// The line under a table whose "± n/a" comes from a single circuit.
pub const ONE_CIRCUIT_NOTE: &str =
    "± n/a: 1 circuit, so no spread over circuits can be estimated (--circuits 2 or more)";

fn list(xs: &[f64], prec: usize) -> String {
    let items: Vec<String> = xs.iter().map(|x| format!("{x:.prec$}")).collect();
    format!("[{}]", items.join(", "))
}

/// Every knob with its active value; non-default ones marked with `*`. K1 also names its
/// reading (`idle_on_resource_during_rspv=false (paper-consistent reading)`).
pub fn knobs_lines(k: &Knobs) -> String {
    let here = serde_json::to_value(k).unwrap_or_default();
    let base = serde_json::to_value(Knobs::default()).unwrap_or_default();
    let mut out = String::new();
    if let (Some(h), Some(b)) = (here.as_object(), base.as_object()) {
        let items: Vec<String> = h
            .iter()
            .map(|(key, v)| {
                let mark = if b.get(key) != Some(v) { "*" } else { "" };
                let reading = match (key.as_str(), v.as_bool()) {
                    ("idle_on_resource_during_rspv", Some(on)) => {
                        format!(" ({})", crate::protocol::params::k1_reading(on))
                    }
                    _ => String::new(),
                };
                format!("{mark}{key}={}{reading}", super::json_scalar(v))
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
    let reading = r.reading();
    let _ = writeln!(o, "Reading: {}", reading.headline());
    let _ = writeln!(o, "  {}", reading.summary);
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
    let circuits = p.circuits;
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
            ms(&res.logical_error_rate, 5, circuits),
            ms(&res.depth, 1, circuits)
        );
    }
    if circuits < 2 {
        let _ = writeln!(o, "{ONE_CIRCUIT_NOTE}");
    }
    let d = &r.derived;
    let _ = writeln!(o, "\nDerived (means over circuits):");
    let _ = writeln!(o, "  Δ = {}", ms(&d.circuit_depth, 1, circuits));
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
        "  §8.7: restart-free distributed depth ≥ {:.1} for these circuits (deeper than direct unless Δ exceeds it)",
        d.min_depth_for_distributed_advantage_mean
    );
    if let Some(th) = crate::view::thresholds::depth_threshold(r) {
        let _ = writeln!(
            o,
            "  §12: distributed shallower than direct (no restarts) needs Δ > {th:.1} (here Δ = {:.1})",
            d.circuit_depth.mean
        );
    }
    // The thresholds are on the effective time per pair τ_e/k (protocol.md §13): with k > 1
    // links the line gives them on τ_e, and on τ_e/k in brackets.
    let k = p.knobs.parallel_links;
    let kf = f64::from(k);
    let (links, per_link) = if k > 1 {
        (
            format!("with k = {k} links, "),
            format!(" (τ_e/k ≤ {:.3})", d.tau_e_no_wait_mean),
        )
    } else {
        (String::new(), String::new())
    };
    let _ = writeln!(
        o,
        "  §8.7: {links}no RSI-1 wait for τ_e ≤ {:.3}{per_link}; no depth cost for τ_e ≤ {:.3} (effective τ_e = {})",
        d.tau_e_no_wait_mean * kf,
        d.tau_e_no_depth_cost_mean * kf,
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
    if let Some(q) = &d.qubits {
        let _ = writeln!(
            o,
            "  qubits with m = {} RSP&V instances: monolithic {}; distributed {} QPUs × ({} compute + {} storage)",
            q.instances,
            q.monolithic,
            q.distributed_qpus,
            q.distributed_compute_per_qpu,
            q.distributed_storage_per_qpu
        );
    }
    o
}

/// One row per circuit: index, Δ, then p_L and mean depth per implementation, then the
/// circuit's size s (its gate count), and last the reading's identifier (`paper_consistent`,
/// `literal` or `custom`). Numbers as [`shortest`] writes them.
pub fn report_csv(r: &Report) -> String {
    let mut o = String::from("circuit,circuit_depth");
    for imp in Implementation::ALL {
        let _ = write!(o, ",{0}_logical_error_rate,{0}_depth", imp.name());
    }
    o.push_str(",size,reading\n");
    let reading = r.reading().kind.id();
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
        let _ = writeln!(o, ",{},{reading}", der.size);
    }
    o
}

/// Header plus one row per point: x, then mean/std of p_L and depth per implementation, and
/// last the reading's identifier.
pub fn sweep_csv(var: &str, points: &[(f64, Report)]) -> String {
    let mut o = String::from(var);
    for imp in Implementation::ALL {
        let _ = write!(
            o,
            ",{0}_logical_error_rate_mean,{0}_logical_error_rate_std,{0}_depth_mean,{0}_depth_std",
            imp.name()
        );
    }
    o.push_str(",reading\n");
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
        let _ = writeln!(o, ",{}", r.reading().kind.id());
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
        let _ = writeln!(o, "Reading: {}", first.reading().headline());
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
                ms(&res.logical_error_rate, 5, r.params.circuits),
                ms(&res.depth, 1, r.params.circuits)
            );
        }
        o.push('\n');
    }
    if points.iter().any(|(_, r)| r.params.circuits < 2) {
        let _ = writeln!(o, "{ONE_CIRCUIT_NOTE}");
    }
    o
}

/// The `--min-links` values of one sweep point: the search's result and the scaling view's
/// row (fit over all points, Prop. 2 prediction, Eqs. 6–7).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PointScaling {
    /// Smallest k at which no sampled run waits for Bell pairs (null: no k ≤ n suffices).
    pub min_parallel_links: Option<u32>,
    /// Mean (over every distributed sample) and largest wait, in layers, at k − 1 (null when
    /// k = 1); the mean wait at k (0, or the wait at k = n when no k suffices).
    pub mean_wait_at_k_minus_1: Option<f64>,
    pub max_wait_at_k_minus_1: Option<u32>,
    pub mean_wait_at_k: f64,
    /// The k values the search evaluated.
    pub evaluated: Vec<u32>,
    /// c of the least-squares fit k ≈ c·t/ln t over the sweep's points, and its value here.
    pub fit_c: Option<f64>,
    pub fitted_c_t_over_ln_t: Option<f64>,
    /// Eq. 8 solved for k (Prop. 2, uniform-model reading; real-valued).
    pub prop2_min_parallel_links: f64,
    /// Eq. 6 (monolithic) and Eq. 7 with 4(t+1) (distributed bound), identical blocks with the
    /// mean δ̄_k and q_k; beside the measured mean depths.
    pub eq6_monolithic_depth: f64,
    pub eq7_distributed_depth_bound: f64,
    pub monolithic_depth: f64,
    pub distributed_depth: f64,
}

impl PointScaling {
    /// The search at every point, then the fit over all points.
    pub fn of_points(points: &[(f64, Report)]) -> Vec<PointScaling> {
        use crate::estimate::scaling::min_parallel_links;
        use crate::view::scaling::{scaling, ScalingInput};
        let found: Vec<_> = points.iter().map(|(_, r)| min_parallel_links(r)).collect();
        let inputs: Vec<ScalingInput> = points
            .iter()
            .zip(&found)
            .map(|((_, r), m)| ScalingInput::of(r, m.min_parallel_links))
            .collect();
        let view = scaling(&inputs);
        found
            .into_iter()
            .zip(view.rows)
            .map(|(m, row)| PointScaling {
                min_parallel_links: m.min_parallel_links,
                mean_wait_at_k_minus_1: m.mean_wait_at_k_minus_1,
                max_wait_at_k_minus_1: m.max_wait_at_k_minus_1,
                mean_wait_at_k: m.mean_wait_at_k,
                evaluated: m.evaluated,
                fit_c: view.fit_c,
                fitted_c_t_over_ln_t: row.fitted_c_t_over_ln_t,
                prop2_min_parallel_links: row.prop2_min_parallel_links,
                eq6_monolithic_depth: row.eq6_monolithic_depth,
                eq7_distributed_depth_bound: row.eq7_distributed_depth_bound,
                monolithic_depth: row.monolithic_depth,
                distributed_depth: row.distributed_depth,
            })
            .collect()
    }
}

fn opt<T: std::fmt::Display>(x: Option<T>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// The CSV columns `--min-links` appends to each row of [`sweep_csv`] (empty cell = none).
pub fn with_scaling_columns(csv: String, scaling: Option<&[PointScaling]>) -> String {
    let Some(rows) = scaling else {
        return csv;
    };
    let mut out = String::with_capacity(csv.len() * 2);
    for (i, line) in csv.lines().enumerate() {
        out.push_str(line);
        if i == 0 {
            out.push_str(
                ",min_parallel_links,mean_wait_at_k_minus_1,max_wait_at_k_minus_1,mean_wait_at_k,\
                 fitted_c_t_over_ln_t,prop2_min_parallel_links,eq6_monolithic_depth,\
                 eq7_distributed_depth_bound",
            );
        } else if let Some(s) = rows.get(i - 1) {
            let _ = write!(
                out,
                ",{},{},{},{},{},{},{},{}",
                opt(s.min_parallel_links),
                opt(s.mean_wait_at_k_minus_1),
                opt(s.max_wait_at_k_minus_1),
                s.mean_wait_at_k,
                opt(s.fitted_c_t_over_ln_t),
                s.prop2_min_parallel_links,
                s.eq6_monolithic_depth,
                s.eq7_distributed_depth_bound
            );
        }
        out.push('\n');
    }
    out
}

#[derive(Serialize)]
struct ScaledPoint<'a> {
    vary: &'a str,
    value: f64,
    #[serde(flatten)]
    report: &'a Report,
    scaling: &'a PointScaling,
}

/// [`sweep_jsonl`], with `"scaling": {…}` on each line when `--min-links` is given.
pub fn sweep_jsonl_scaling(
    var: &str,
    points: &[(f64, Report)],
    scaling: Option<&[PointScaling]>,
) -> Result<String, Failure> {
    let Some(rows) = scaling else {
        return sweep_jsonl(var, points);
    };
    let mut o = String::new();
    for ((x, report), s) in points.iter().zip(rows) {
        o += &to_json(&ScaledPoint {
            vary: var,
            value: *x,
            report,
            scaling: s,
        })?;
        o.push('\n');
    }
    Ok(o)
}

/// The table `--min-links` adds under [`sweep_table`] (empty without it).
pub fn scaling_table(
    var: &str,
    points: &[(f64, Report)],
    scaling: Option<&[PointScaling]>,
) -> String {
    let Some(rows) = scaling else {
        return String::new();
    };
    let mut o = String::from(
        "\nParallel links per connection k: smallest k with no sampled run waiting for Bell pairs\n",
    );
    let _ = writeln!(
        o,
        "{var:>10} {:>6} {:>16} {:>12} {:>12} {:>12} {:>14} {:>14}",
        "k", "mean wait k−1", "c·t/ln t", "Prop.2 k", "Eq.6 mono", "Eq.7 dist ≤", "measured m/d"
    );
    for ((x, _), s) in points.iter().zip(rows) {
        let k = s
            .min_parallel_links
            .map_or_else(|| "none".to_string(), |k| k.to_string());
        let below = s
            .mean_wait_at_k_minus_1
            .map_or_else(|| "–".to_string(), |w| format!("{w:.1}"));
        let fit = s
            .fitted_c_t_over_ln_t
            .map_or_else(|| "–".to_string(), |f| format!("{f:.2}"));
        let _ = writeln!(
            o,
            "{x:>10} {k:>6} {below:>16} {fit:>12} {:>12.2} {:>12.1} {:>14.1} {:>14}",
            s.prop2_min_parallel_links,
            s.eq6_monolithic_depth,
            s.eq7_distributed_depth_bound,
            format!("{:.0}/{:.0}", s.monolithic_depth, s.distributed_depth)
        );
    }
    if let Some(c) = rows.first().and_then(|s| s.fit_c) {
        let _ = writeln!(
            o,
            "fit: k ≈ c·t/ln t with c = {c:.3} (least squares over t ≥ 2)"
        );
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
                // The last column is the reading's identifier, not a number.
                let numbers = l.rsplit_once(',').unwrap().0;
                let cells: Vec<f64> = numbers.split(',').map(|c| c.parse().unwrap()).collect();
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
            .map(|l| {
                let numbers = l.rsplit_once(',').unwrap().0;
                numbers.split(',').map(|c| c.parse().unwrap()).collect()
            })
            .collect();
        assert_eq!(rows[0][0].to_bits(), 5e-324f64.to_bits());
        assert_eq!(rows[1][0].to_bits(), (0.1f64 + 0.2).to_bits());
        assert_eq!(rows[0][5].to_bits(), extremes[4].to_bits());
        assert_eq!(rows[0][12].to_bits(), extremes[5].to_bits());
        assert!(sweep.lines().all(|l| l.split(',').all(|c| c.len() <= 45)));
    }
}
