//! The claim map: which readings make which claims hold (issue 12, item 3).
//!
//! For every reading of a [`KnobGrid`] (K1 on/off × K4 every circuit generator × K2 uniform /
//! single_qubit × K3 h_then_mz / mx by default), [`run_reading`] computes the paper's points
//! with [`estimate::sweep_on`] — [`Figure::Fig3a`]: n ∈ {50, 60, 70, 85, 100} at τ_e = 1;
//! [`Figure::Fig3b`]: τ_e ∈ {1, 2, 3, 5, 8, 10, 15} at n = 85 (one circuit-by-circuit sweep that
//! draws each shot's attempts once for all τ_e) — and evaluates Q1–Q5 on them
//! ([`super::evaluate`]). Q5 needs [`Figure::LargerT`] (t ∈ {3, 4, 5, 6} at n = 100, τ_e = 1),
//! which is not one of the paper's figures and is off by default.
//!
//! One reading is one unit of work: `clinr claims` runs them in turn, and the page sends one
//! worker job per reading ([`crate::jobs::Job::ClaimMap`]), so readings spread over the worker
//! pool and a cancel (restarting the workers) loses at most one reading per worker.
//!
//! JSON (`clinr claims --format json`, compact, keys sorted):
//! `{"figures": […], "params": Params, "readings": [{"claims": {"Q1": {"evidence": {…},
//! "verdict": "holds"}, …}, "knobs": Knobs}, …], "statements": {"Q1": {"preset", "setting",
//! "statement"}, …}, "version": 1}`. Each element of `readings` is exactly [`row_json`] of that
//! reading, which is also what the worker job answers.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::fmt::Write;

use super::{evaluate, verdicts_json, ClaimId, ClaimResult, Series, Verdict};
use crate::circuit::random::CircuitGenerator;
use crate::estimate::{self, EngineError, Progress, Report, Vary};
use crate::protocol::params::{CheckKind, CheckMeasurement, Knobs, Params};
use crate::protocol::reading::{serde_name, serde_values, Reading};
use crate::sim::EngineKind;
use crate::view::plot_data::{format_value, XAxis, FIG3A_N, FIG3B_TAU_E};

/// Version of the JSON layout of the claim map.
pub const FORMAT_VERSION: u32 = 1;

/// A sweep the claim map computes for each reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Figure {
    /// Paper Fig. 3a: n ∈ {50, 60, 70, 85, 100} at τ_e = 1 (claims Q1, Q2).
    Fig3a,
    /// Paper Fig. 3b: τ_e ∈ {1, 2, 3, 5, 8, 10, 15} at n = 85 (claims Q3, Q4).
    Fig3b,
    /// Not in the paper: t ∈ {3, 4, 5, 6} at n = 100, τ_e = 1 (claim Q5).
    LargerT,
}

/// The t values of [`Figure::LargerT`].
pub const LARGER_T: [u32; 4] = [3, 4, 5, 6];

impl Figure {
    pub const ALL: [Figure; 3] = [Figure::Fig3a, Figure::Fig3b, Figure::LargerT];
    /// The paper's figures: the default of the claim map.
    pub const PAPER: [Figure; 2] = [Figure::Fig3a, Figure::Fig3b];

    /// `fig3a`, `fig3b`, `larger_t`.
    pub fn id(self) -> &'static str {
        match self {
            Figure::Fig3a => "fig3a",
            Figure::Fig3b => "fig3b",
            Figure::LargerT => "larger_t",
        }
    }

    pub fn parse(id: &str) -> Option<Figure> {
        Figure::ALL.into_iter().find(|f| f.id() == id)
    }

    pub fn axis(self) -> XAxis {
        match self {
            Figure::Fig3a => XAxis::N,
            Figure::Fig3b => XAxis::TauE,
            Figure::LargerT => XAxis::T,
        }
    }

    /// The swept values.
    pub fn vary(self) -> Vary {
        match self {
            Figure::Fig3a => Vary::N(FIG3A_N.to_vec()),
            Figure::Fig3b => Vary::TauE(FIG3B_TAU_E.to_vec()),
            Figure::LargerT => Vary::T(LARGER_T.to_vec()),
        }
    }

    /// `params` with the figure's fixed values (τ_e = 1 for Fig. 3a and larger t; n = 85 for
    /// Fig. 3b; n = 100 for larger t). Everything else (p, t, r, statistics, seed, knobs)
    /// comes from `params`.
    pub fn base(self, params: &Params) -> Params {
        let mut p = *params;
        p.s = None;
        match self {
            Figure::Fig3a => p.tau_e = 1.0,
            Figure::Fig3b => p.n = 85,
            Figure::LargerT => {
                p.n = 100;
                p.tau_e = 1.0;
            }
        }
        p
    }

    /// Units of progress of the figure's sweep with `circuits` circuits: circuits × points
    /// when it runs point by point (n, t), circuits when it runs circuit by circuit (τ_e).
    pub fn work(self, circuits: u32) -> u32 {
        let v = self.vary();
        if v.keeps_instances() {
            circuits
        } else {
            circuits.saturating_mul(v.len() as u32)
        }
    }

    /// "n = 50, 60, 70, 85, 100 at τ_e = 1 (paper Fig. 3a)".
    pub fn describe(self) -> String {
        let v = self.vary();
        let xs: Vec<String> = (0..v.len())
            .map(|i| format_value(v.point(&Params::default(), i).0))
            .collect();
        let (name, fixed, source) = match self {
            Figure::Fig3a => ("n", "τ_e = 1", "paper Fig. 3a"),
            Figure::Fig3b => ("τ_e", "n = 85", "paper Fig. 3b"),
            Figure::LargerT => ("t", "n = 100, τ_e = 1", "for Q5; not in the paper"),
        };
        format!("{name} = {} at {fixed} ({source})", xs.join(", "))
    }
}

/// The knob values the claim map crosses (protocol.md §16: the knobs that decide the claims).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KnobGrid {
    /// K1 values (`false` = paper-consistent, `true` = literal).
    pub k1: Vec<bool>,
    /// K4 circuit generators.
    pub k4: Vec<CircuitGenerator>,
    /// K2 check kinds.
    pub k2: Vec<CheckKind>,
    /// K3 check measurements.
    pub k3: Vec<CheckMeasurement>,
}

impl Default for KnobGrid {
    /// Every value of each knob: K1 off then on, every generator (read from serde, so renamed
    /// or added generators are included), both check kinds, both check measurements.
    fn default() -> Self {
        KnobGrid {
            k1: vec![false, true],
            k4: serde_values::<CircuitGenerator>(),
            k2: serde_values::<CheckKind>(),
            k3: serde_values::<CheckMeasurement>(),
        }
    }
}

impl KnobGrid {
    /// The readings in order (K1 outermost, then K4, K2, K3), each `base` with the four knobs
    /// set.
    pub fn readings(&self, base: &Knobs) -> Vec<Knobs> {
        let mut out = Vec::new();
        for &k1 in &self.k1 {
            for &k4 in &self.k4 {
                for &k2 in &self.k2 {
                    for &k3 in &self.k3 {
                        out.push(Knobs {
                            idle_on_resource_during_rspv: k1,
                            circuit_generator: k4,
                            check_kind: k2,
                            check_measurement: k3,
                            ..*base
                        });
                    }
                }
            }
        }
        out
    }

    pub fn len(&self) -> usize {
        self.k1.len() * self.k4.len() * self.k2.len() * self.k3.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One reading of the claim map: its knobs and the five claims.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimRow {
    pub knobs: Knobs,
    pub claims: Vec<ClaimResult>,
}

impl ClaimRow {
    /// `{"claims": {"Q1": {"evidence", "verdict"}, …}, "knobs": Knobs}`.
    pub fn to_value(&self) -> Value {
        json!({ "knobs": self.knobs, "claims": verdicts_json(&self.claims) })
    }

    /// The verdict of claim `id` (not-shown if absent).
    pub fn verdict(&self, id: ClaimId) -> Verdict {
        self.claims
            .iter()
            .find(|c| c.claim == id)
            .map_or(Verdict::NotShown, |c| c.verdict)
    }
}

/// One reading as compact JSON: exactly the element of `readings` in `clinr claims --format
/// json`, and the answer of the worker's claim-map job.
pub fn row_json(row: &ClaimRow) -> String {
    row.to_value().to_string()
}

impl ClaimRow {
    /// Reads back a row written by [`row_json`] (the page gets rows from its workers this way):
    /// the knobs, and each claim's verdict and evidence; the statement, setting and preset come
    /// from the claim's id. Errors name what is missing or malformed.
    pub fn from_row_json(text: &str) -> Result<ClaimRow, String> {
        let v: Value = serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let knobs: Knobs = serde_json::from_value(v["knobs"].clone())
            .map_err(|e| format!("bad knobs in a claim-map row: {e}"))?;
        let mut claims = Vec::new();
        for id in ClaimId::ALL {
            let c = &v["claims"][id.id()];
            if c.is_null() {
                continue;
            }
            let verdict: Verdict = serde_json::from_value(c["verdict"].clone())
                .map_err(|e| format!("bad verdict of {}: {e}", id.id()))?;
            let evidence = serde_json::from_value(c["evidence"].clone())
                .map_err(|e| format!("bad evidence of {}: {e}", id.id()))?;
            claims.push(ClaimResult {
                claim: id,
                verdict,
                statement: id.statement().to_string(),
                setting: id.setting().to_string(),
                preset: id.preset().id().to_string(),
                evidence,
            });
        }
        Ok(ClaimRow { knobs, claims })
    }
}

/// The whole claim map as `clinr claims --format json` prints it, from the rows as
/// [`row_json`] wrote them (the page's workers answer one row per reading): the rows' text is
/// placed verbatim, so no number is re-read and the output is byte for byte the CLI's for the
/// same parameters, figures and rows in the grid's order.
pub fn map_json_from_rows(params: &Params, figures: &[Figure], rows: &[String]) -> String {
    let empty = ClaimMap {
        params: *params,
        figures: figures.to_vec(),
        rows: Vec::new(),
    }
    .to_json();
    // Keys are sorted and the layout compact, so the (empty) readings appear exactly once.
    let slot = "\"readings\":[]";
    match empty.split_once(slot) {
        Some((head, tail)) => format!("{head}\"readings\":[{}]{tail}", rows.join(",")),
        None => empty,
    }
}

/// The claim map as `clinr claims --format csv` prints it, from rows written by [`row_json`].
pub fn map_csv_from_rows(
    params: &Params,
    figures: &[Figure],
    rows: &[String],
) -> Result<String, String> {
    let rows = rows
        .iter()
        .map(|r| ClaimRow::from_row_json(r))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ClaimMap {
        params: *params,
        figures: figures.to_vec(),
        rows,
    }
    .to_csv())
}

/// Progress of [`run_reading`]: units done of the total ([`Figure::work`] summed).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingProgress {
    pub figure: Figure,
    pub done: u32,
    pub total: u32,
}

/// Units of progress of one reading ([`Figure::work`] summed over `figures`).
pub fn reading_work(figures: &[Figure], circuits: u32) -> u32 {
    figures.iter().map(|f| f.work(circuits)).sum()
}

/// Computes one reading: the sweeps of `figures` for `params` (its knobs are the reading; its
/// statistics, seed, p, t and r are used; n, τ_e, s come from each figure) on up to
/// `threads` threads with the fast engine, then Q1–Q5 on them. The sweeps (and so the row)
/// do not depend on `threads`.
pub fn run_reading(
    params: &Params,
    figures: &[Figure],
    threads: u32,
    progress: &mut dyn FnMut(ReadingProgress),
) -> Result<ClaimRow, EngineError> {
    let sweeps = run_figures(params, figures, threads, progress)?;
    let series: Vec<Series> = sweeps
        .iter()
        .map(|(f, pts)| Series::new(f.axis(), pts.iter().map(|(x, r)| (*x, r))))
        .collect();
    Ok(ClaimRow {
        knobs: params.knobs,
        claims: evaluate(&series),
    })
}

/// The points of one figure's sweep: (x, report) in sweep order.
pub type FigurePoints = Vec<(f64, Report)>;

/// The sweeps of one reading: (figure, points) in the order of `figures`.
pub fn run_figures(
    params: &Params,
    figures: &[Figure],
    threads: u32,
    progress: &mut dyn FnMut(ReadingProgress),
) -> Result<Vec<(Figure, FigurePoints)>, EngineError> {
    let total = reading_work(figures, params.circuits);
    let mut before = 0u32;
    let mut out = Vec::with_capacity(figures.len());
    for &figure in figures {
        let base = figure.base(params);
        let vary = figure.vary();
        let per_point = !vary.keeps_instances();
        let mut on_progress = |p: Progress| {
            let here = if per_point {
                p.point.saturating_mul(p.circuits) + p.circuits_done
            } else {
                p.circuits_done
            };
            progress(ReadingProgress {
                figure,
                done: before + here,
                total,
            })
        };
        let points = estimate::sweep_on(
            threads,
            &base,
            &vary,
            EngineKind::Fast,
            None,
            &mut on_progress,
        )?;
        before += figure.work(params.circuits);
        out.push((figure, points));
    }
    Ok(out)
}

/// A computed claim map.
#[derive(Clone, Debug, PartialEq)]
pub struct ClaimMap {
    /// The base parameters (statistics, seed, p, t, r; the knobs outside the grid).
    pub params: Params,
    pub figures: Vec<Figure>,
    pub rows: Vec<ClaimRow>,
}

/// Runs every reading of `grid` in turn (on `base.knobs` for the knobs outside the grid),
/// calling `progress(reading index, readings, progress within the reading)`.
pub fn run_map(
    base: &Params,
    grid: &KnobGrid,
    figures: &[Figure],
    threads: u32,
    progress: &mut dyn FnMut(usize, usize, ReadingProgress),
) -> Result<ClaimMap, EngineError> {
    let readings = grid.readings(&base.knobs);
    let count = readings.len();
    let mut rows = Vec::with_capacity(count);
    for (i, knobs) in readings.into_iter().enumerate() {
        let params = Params { knobs, ..*base };
        rows.push(run_reading(&params, figures, threads, &mut |p| {
            progress(i, count, p)
        })?);
    }
    Ok(ClaimMap {
        params: *base,
        figures: figures.to_vec(),
        rows,
    })
}

impl ClaimMap {
    /// The whole map as a JSON value (see the module docs for the shape).
    pub fn to_value(&self) -> Value {
        let figures: Vec<Value> = self
            .figures
            .iter()
            .map(|f| {
                let v = f.vary();
                let base = f.base(&self.params);
                let xs: Vec<f64> = (0..v.len()).map(|i| v.point(&base, i).0).collect();
                json!({
                    "id": f.id(),
                    "axis": f.axis(),
                    "values": xs,
                    "n": base.n,
                    "tau_e": base.tau_e,
                    "description": f.describe(),
                })
            })
            .collect();
        let mut statements = serde_json::Map::new();
        for id in ClaimId::ALL {
            statements.insert(
                id.id().into(),
                json!({
                    "statement": id.statement(),
                    "setting": id.setting(),
                    "preset": id.preset().id(),
                }),
            );
        }
        json!({
            "version": FORMAT_VERSION,
            "params": self.params,
            "figures": figures,
            "statements": statements,
            "readings": self.rows.iter().map(ClaimRow::to_value).collect::<Vec<_>>(),
        })
    }

    /// Compact JSON and a newline.
    pub fn to_json(&self) -> String {
        self.to_value().to_string() + "\n"
    }

    /// One row per reading: `k1,k4,k2,k3,reading,Q1,…,Q5` (K1 as on/off, knobs as their
    /// serde names, the reading's id, verdict ids).
    pub fn to_csv(&self) -> String {
        let ids: Vec<&str> = ClaimId::ALL.iter().map(|c| c.id()).collect();
        let mut o = format!("k1,k4,k2,k3,reading,{}\n", ids.join(","));
        for row in &self.rows {
            let k = &row.knobs;
            let verdicts: Vec<&str> = ClaimId::ALL.iter().map(|&c| row.verdict(c).id()).collect();
            let _ = writeln!(
                o,
                "{},{},{},{},{},{}",
                on_off(k.idle_on_resource_during_rspv),
                serde_name(&k.circuit_generator),
                serde_name(&k.check_kind),
                serde_name(&k.check_measurement),
                Reading::of(k).kind.id(),
                verdicts.join(",")
            );
        }
        o
    }

    /// A human table: the setting, the matrix of readings × claims, the claims in words.
    pub fn to_table(&self) -> String {
        let p = &self.params;
        let mut o = String::new();
        let figures: Vec<String> = self.figures.iter().map(|f| f.describe()).collect();
        let _ = writeln!(o, "Claim map at {}", figures.join("; "));
        let _ = writeln!(
            o,
            "p = {}, t = {}, r = {}, {} circuits × {} samples per point, seed {}",
            format_value(p.p),
            p.t,
            p.r,
            p.circuits,
            p.shots,
            p.seed
        );
        let nd: Vec<String> = Reading::of(&p.knobs)
            .changes
            .iter()
            .filter(|c| {
                ![
                    "idle_on_resource_during_rspv",
                    "circuit_generator",
                    "check_kind",
                    "check_measurement",
                ]
                .contains(&c.knob.as_str())
            })
            .map(|c| c.words.clone())
            .collect();
        if !nd.is_empty() {
            let _ = writeln!(o, "Other knobs: {}", nd.join("; "));
        }
        let _ = writeln!(o);
        let w4 = self
            .rows
            .iter()
            .map(|r| serde_name(&r.knobs.circuit_generator).len())
            .max()
            .unwrap_or(2)
            .max(2);
        let _ = write!(
            o,
            "{:<4} {:<w4$} {:<13} {:<10} {:<17}",
            "K1", "K4", "K2", "K3", "reading"
        );
        for id in ClaimId::ALL {
            let _ = write!(o, " {:<11}", id.id());
        }
        o.push('\n');
        for row in &self.rows {
            let k = &row.knobs;
            let _ = write!(
                o,
                "{:<4} {:<w4$} {:<13} {:<10} {:<17}",
                on_off(k.idle_on_resource_during_rspv),
                serde_name(&k.circuit_generator),
                serde_name(&k.check_kind),
                serde_name(&k.check_measurement),
                Reading::of(k).kind.id(),
            );
            for id in ClaimId::ALL {
                let _ = write!(o, " {:<11}", row.verdict(id).id());
            }
            o.push('\n');
        }
        let _ = writeln!(o);
        for id in ClaimId::ALL {
            let _ = writeln!(o, "{}: {}", id.id(), id.statement());
        }
        let _ = writeln!(
            o,
            "\nholds / fails: the paired difference over circuits is beyond 2 standard errors in \
             the claimed / the other direction (at every point / at some point of the setting); \
             unresolved: otherwise; not-shown: the setting was not computed{}. Evidence: \
             --format json.",
            if self.figures.contains(&Figure::LargerT) {
                ""
            } else {
                " (Q5 needs --figures fig3a,fig3b,larger_t)"
            }
        );
        if self.params.circuits < SMALL_SAMPLE_CIRCUITS {
            let _ = writeln!(
                o,
                "\nCaution: {} circuit{} per point. A standard error estimated from so few \
                 circuits is itself rough, so verdicts at this size can flip at the paper's \
                 20 × 200; use --circuits 20 (or more) before reading a verdict as the paper's.",
                self.params.circuits,
                if self.params.circuits == 1 { "" } else { "s" }
            );
        }
        o
    }
}

/// Below this many circuits per point, the table warns that its verdicts are provisional
/// (the paired test's standard error comes from the spread over circuits).
pub const SMALL_SAMPLE_CIRCUITS: u32 = 10;

fn on_off(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_covers_every_value_of_the_four_knobs() {
        let g = KnobGrid::default();
        assert_eq!(g.k1, [false, true]);
        assert!(g.k4.len() >= 3);
        assert_eq!(g.len(), 2 * g.k4.len() * 2 * 2);
        let readings = g.readings(&Knobs::default());
        assert_eq!(readings.len(), g.len());
        // All distinct, K1 outermost, everything else from the base.
        for (i, a) in readings.iter().enumerate() {
            for b in &readings[i + 1..] {
                assert_ne!(a, b);
            }
        }
        assert!(!readings[0].idle_on_resource_during_rspv);
        assert!(readings[g.len() - 1].idle_on_resource_during_rspv);
        let base = Knobs {
            parallel_links: 3,
            ..Knobs::default()
        };
        assert!(g.readings(&base).iter().all(|k| k.parallel_links == 3));
        let none = KnobGrid { k2: vec![], ..g };
        assert!(none.is_empty() && none.readings(&base).is_empty());
    }

    #[test]
    fn the_map_rebuilt_from_row_texts_is_the_clis_byte_for_byte() {
        let params = Params {
            circuits: 2,
            shots: 4,
            seed: 3,
            ..Default::default()
        };
        let grid = KnobGrid {
            k1: vec![false, true],
            k4: vec![CircuitGenerator::RandomGates],
            k2: vec![CheckKind::Uniform],
            k3: vec![CheckMeasurement::HThenMz],
        };
        let map = run_map(&params, &grid, &Figure::PAPER, 1, &mut |_, _, _| {}).unwrap();
        let rows: Vec<String> = map.rows.iter().map(row_json).collect();
        assert_eq!(
            map_json_from_rows(&params, &Figure::PAPER, &rows),
            map.to_json()
        );
        assert_eq!(
            map_csv_from_rows(&params, &Figure::PAPER, &rows),
            Ok(map.to_csv())
        );
        // A row read back has the same knobs and verdicts.
        let back = ClaimRow::from_row_json(&rows[1]).unwrap();
        assert_eq!(back.knobs, map.rows[1].knobs);
        for id in ClaimId::ALL {
            assert_eq!(back.verdict(id), map.rows[1].verdict(id));
        }
        assert!(ClaimRow::from_row_json("{}").is_err());
        assert!(ClaimRow::from_row_json("nope").is_err());
        assert!(map_csv_from_rows(&params, &Figure::PAPER, &["{}".into()]).is_err());
    }

    #[test]
    fn figures_are_the_papers_points() {
        let p = Params {
            n: 12,
            tau_e: 7.0,
            s: Some(10),
            ..Default::default()
        };
        let a = Figure::Fig3a.base(&p);
        assert_eq!((a.n, a.tau_e, a.s), (12, 1.0, None));
        assert_eq!(Figure::Fig3a.vary(), Vary::N(vec![50, 60, 70, 85, 100]));
        let b = Figure::Fig3b.base(&p);
        assert_eq!((b.n, b.tau_e), (85, 7.0));
        assert_eq!(
            Figure::Fig3b.vary(),
            Vary::TauE(vec![1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0])
        );
        let t = Figure::LargerT.base(&p);
        assert_eq!((t.n, t.tau_e), (100, 1.0));
        assert_eq!(Figure::Fig3a.work(20), 100);
        assert_eq!(Figure::Fig3b.work(20), 20);
        assert_eq!(reading_work(&Figure::PAPER, 20), 120);
        assert_eq!(
            Figure::Fig3a.describe(),
            "n = 50, 60, 70, 85, 100 at τ_e = 1 (paper Fig. 3a)"
        );
        for f in Figure::ALL {
            assert_eq!(Figure::parse(f.id()), Some(f));
            assert_eq!(serde_json::to_value(f).unwrap(), f.id());
        }
    }
}
