//! What the p_L and depth plots show, decided without a browser: the x axis and its values,
//! the presets, the refinement passes of the progressive computation, the points extracted
//! from reports, and the CSV/JSON export of the plotted data.
//!
//! The page (`web::plots`) asks the workers for one [`Report`] per (x value, pass) and paints
//! the [`PlotPoint`]s this module extracts; everything here is unit-tested natively.

use serde::{Deserialize, Serialize};

use crate::estimate::{MeanStd, Report};
use crate::protocol::params::Params;

/// The parameter on the x axis of the plots.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XAxis {
    /// n, as in paper Fig. 3a.
    #[default]
    N,
    /// τ_e, as in paper Fig. 3b.
    TauE,
    P,
    T,
}

/// Paper Fig. 3a: n at τ_e = 1.
pub const FIG3A_N: [u32; 5] = [50, 60, 70, 85, 100];
/// Paper Fig. 3b: τ_e at n = 85.
pub const FIG3B_TAU_E: [f64; 7] = [1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0];

/// Ranges the page's sliders offer (the engine accepts more; the page keeps to what it can
/// compute interactively).
pub mod ui_range {
    pub const N: (u32, u32) = (2, 128);
    pub const TAU_E: (f64, f64) = (0.1, 50.0);
    pub const P: (f64, f64) = (1e-5, 1e-2);
    pub const T: (u32, u32) = (1, 8);
    pub const R: (u32, u32) = (0, 8);
}

impl XAxis {
    pub const ALL: [XAxis; 4] = [XAxis::N, XAxis::TauE, XAxis::P, XAxis::T];

    /// The identifier (as in `Params` and in the URL hash `x=`).
    pub fn name(self) -> &'static str {
        match self {
            XAxis::N => "n",
            XAxis::TauE => "tau_e",
            XAxis::P => "p",
            XAxis::T => "t",
        }
    }

    /// Axis label with the paper's notation.
    pub fn label(self) -> &'static str {
        match self {
            XAxis::N => "n (qubits)",
            XAxis::TauE => "τ_e (layers per Bell pair)",
            XAxis::P => "p (physical noise)",
            XAxis::T => "t (blocks)",
        }
    }

    pub fn parse(name: &str) -> Option<XAxis> {
        XAxis::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Whether the axis is drawn on a log scale (p spans decades; τ_e is linear as in Fig. 3b).
    pub fn log_scale(self) -> bool {
        matches!(self, XAxis::P)
    }

    /// The current value of this parameter in `params`.
    pub fn value(self, params: &Params) -> f64 {
        match self {
            XAxis::N => f64::from(params.n),
            XAxis::TauE => params.tau_e,
            XAxis::P => params.p,
            XAxis::T => f64::from(params.t),
        }
    }

    /// `params` with this parameter set to `x` (rounded for integer parameters).
    pub fn apply(self, params: &Params, x: f64) -> Params {
        let mut p = *params;
        match self {
            XAxis::N => p.n = x.round() as u32,
            XAxis::TauE => p.tau_e = x,
            XAxis::P => p.p = x,
            XAxis::T => p.t = x.round() as u32,
        }
        p
    }

    /// The x values plotted around the current point: the paper's Fig. 3 values when the
    /// current value lies in their span (plus the current value), otherwise a small grid
    /// around it inside the page's ranges. Sorted, without duplicates, always containing the
    /// current value.
    pub fn values(self, params: &Params) -> Vec<f64> {
        let cur = self.value(params);
        let mut xs: Vec<f64> = match self {
            XAxis::N => {
                let n = params.n;
                if (FIG3A_N[0]..=FIG3A_N[4]).contains(&n) {
                    FIG3A_N.iter().map(|&v| f64::from(v)).collect()
                } else {
                    [0.5, 0.75, 1.25, 1.5]
                        .iter()
                        .map(|f| {
                            (cur * f)
                                .round()
                                .clamp(ui_range::N.0.into(), ui_range::N.1.into())
                        })
                        .collect()
                }
            }
            XAxis::TauE => {
                if (FIG3B_TAU_E[0]..=FIG3B_TAU_E[6]).contains(&cur) {
                    FIG3B_TAU_E.to_vec()
                } else {
                    [0.25, 0.5, 2.0, 4.0]
                        .iter()
                        .map(|f| (cur * f).clamp(ui_range::TAU_E.0, ui_range::TAU_E.1))
                        .collect()
                }
            }
            XAxis::P => [0.1, 0.3, 3.0, 10.0]
                .iter()
                .map(|f| (cur * f).clamp(ui_range::P.0, ui_range::P.1))
                .collect(),
            XAxis::T => (ui_range::T.0..=ui_range::T.1).map(f64::from).collect(),
        };
        xs.push(cur);
        xs.sort_by(f64::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * b.abs().max(1e-300));
        xs
    }
}

/// Canned settings of the control panel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// n = 50..100 at τ_e = 1, x axis n.
    Fig3a,
    /// τ_e = 1..15 at n = 85, x axis τ_e.
    Fig3b,
    /// The defaults: n = 85, t = r = 3, p = 1e-4, τ_e = 1.
    OperatingPoint,
    /// Toggles K1 (idle noise on resource qubits inside RSP&V): the paper's literal schedule
    /// against idle-free resources.
    LiteralVsIdleFree,
}

impl Preset {
    pub const ALL: [Preset; 4] = [
        Preset::Fig3a,
        Preset::Fig3b,
        Preset::OperatingPoint,
        Preset::LiteralVsIdleFree,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Preset::Fig3a => "fig3a",
            Preset::Fig3b => "fig3b",
            Preset::OperatingPoint => "operating-point",
            Preset::LiteralVsIdleFree => "k1-toggle",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::Fig3a => "Paper Fig. 3a",
            Preset::Fig3b => "Paper Fig. 3b",
            Preset::OperatingPoint => "Paper operating point",
            Preset::LiteralVsIdleFree => "Literal vs. idle-free resources",
        }
    }

    /// The parameters and x axis after applying the preset to `current`. Statistics (circuits,
    /// shots) and seed are kept so a preset never makes the page slower than the user chose.
    pub fn apply(self, current: &Params, axis: XAxis) -> (Params, XAxis) {
        let defaults = Params::default();
        let mut p = *current;
        match self {
            Preset::Fig3a => {
                p.n = defaults.n;
                p.tau_e = 1.0;
                p.t = defaults.t;
                p.r = defaults.r;
                p.p = defaults.p;
                (p, XAxis::N)
            }
            Preset::Fig3b => {
                p.n = 85;
                p.tau_e = 1.0;
                p.t = defaults.t;
                p.r = defaults.r;
                p.p = defaults.p;
                (p, XAxis::TauE)
            }
            Preset::OperatingPoint => (
                Params {
                    circuits: p.circuits,
                    shots: p.shots,
                    seed: p.seed,
                    ..defaults
                },
                axis,
            ),
            Preset::LiteralVsIdleFree => {
                p.knobs.idle_on_resource_during_rspv = !p.knobs.idle_on_resource_during_rspv;
                (p, axis)
            }
        }
    }
}

/// One refinement pass: every x value is computed with these statistics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pass {
    pub circuits: u32,
    pub shots: u32,
}

/// Samples per circuit of the first (preview) pass.
pub const PREVIEW_SHOTS: u32 = 16;
/// Circuits of the intermediate pass (when the request has more).
pub const MIDDLE_CIRCUITS: u32 = 4;

/// The passes for the requested statistics, cheapest first, the last one exactly the
/// request: a preview with 1 circuit × ≤ 16 samples (a first estimate within ~100 ms at the
/// paper's point), an intermediate pass with ≤ 4 circuits when that is still well below the
/// request, then the full `circuits × shots`.
pub fn passes(params: &Params) -> Vec<Pass> {
    let full = Pass {
        circuits: params.circuits,
        shots: params.shots,
    };
    let mut out = Vec::new();
    let preview = Pass {
        circuits: 1,
        shots: params.shots.min(PREVIEW_SHOTS),
    };
    if preview != full {
        out.push(preview);
    }
    let middle = Pass {
        circuits: params.circuits.min(MIDDLE_CIRCUITS),
        shots: params.shots,
    };
    let work = |p: Pass| u64::from(p.circuits) * u64::from(p.shots);
    if middle != full && work(middle) * 2 <= work(full) && work(middle) > work(preview) {
        out.push(middle);
    }
    out.push(full);
    out
}

/// The parameters of x value `x` computed with `pass`.
pub fn point_params(base: &Params, axis: XAxis, x: f64, pass: Pass) -> Params {
    let mut p = axis.apply(base, x);
    p.circuits = pass.circuits;
    p.shots = pass.shots;
    p
}

/// What one plotted x value shows: p_L and depth (mean ± std over circuits) per
/// implementation, and the uniform-model bounds on the depth.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlotPoint {
    pub x: f64,
    pub direct_logical_error_rate: MeanStd,
    pub monolithic_logical_error_rate: MeanStd,
    pub distributed_logical_error_rate: MeanStd,
    pub direct_depth: MeanStd,
    pub monolithic_depth: MeanStd,
    pub distributed_depth: MeanStd,
    /// Prop. 1 (uniform model), mean over circuits.
    pub prop1_monolithic_depth_uniform_model: f64,
    /// Prop. 2 with 4(t+1) (uniform-model bound), mean over circuits.
    pub prop2_distributed_depth_bound_uniform_model: f64,
    pub circuits: u32,
    pub shots: u32,
}

impl PlotPoint {
    pub fn from_report(x: f64, r: &Report) -> PlotPoint {
        let res = &r.results;
        PlotPoint {
            x,
            direct_logical_error_rate: res.direct.logical_error_rate,
            monolithic_logical_error_rate: res.monolithic.logical_error_rate,
            distributed_logical_error_rate: res.distributed.logical_error_rate,
            direct_depth: res.direct.depth,
            monolithic_depth: res.monolithic.depth,
            distributed_depth: res.distributed.depth,
            prop1_monolithic_depth_uniform_model: r.derived.prop1_monolithic_depth_uniform_model,
            prop2_distributed_depth_bound_uniform_model: r
                .derived
                .prop2_distributed_depth_bound_uniform_model,
            circuits: r.params.circuits,
            shots: r.params.shots,
        }
    }

    /// The three p_L values in the order direct, monolithic, distributed.
    pub fn logical_error_rates(&self) -> [MeanStd; 3] {
        [
            self.direct_logical_error_rate,
            self.monolithic_logical_error_rate,
            self.distributed_logical_error_rate,
        ]
    }

    /// The three depths in the order direct, monolithic, distributed.
    pub fn depths(&self) -> [MeanStd; 3] {
        [
            self.direct_depth,
            self.monolithic_depth,
            self.distributed_depth,
        ]
    }
}

/// Names of the CSV columns after the x column (the CLI's field names joined by `_`).
pub const CSV_COLUMNS: [&str; 16] = [
    "direct_logical_error_rate_mean",
    "direct_logical_error_rate_std",
    "monolithic_logical_error_rate_mean",
    "monolithic_logical_error_rate_std",
    "distributed_logical_error_rate_mean",
    "distributed_logical_error_rate_std",
    "direct_depth_mean",
    "direct_depth_std",
    "monolithic_depth_mean",
    "monolithic_depth_std",
    "distributed_depth_mean",
    "distributed_depth_std",
    "prop1_monolithic_depth_uniform_model",
    "prop2_distributed_depth_bound_uniform_model",
    "circuits",
    "shots",
];

/// The plotted points as CSV: a header `<axis>,<CSV_COLUMNS>` and one row per point. Reals
/// are written by [`crate::numbers::shortest`], like the CLI's CSV.
pub fn points_csv(axis: XAxis, points: &[PlotPoint]) -> String {
    use crate::numbers::shortest;
    let mut out = format!("{},{}\n", axis.name(), CSV_COLUMNS.join(","));
    for p in points {
        let mut cells = vec![shortest(p.x)];
        for m in p.logical_error_rates().iter().chain(p.depths().iter()) {
            cells.push(shortest(m.mean));
            cells.push(shortest(m.std));
        }
        cells.push(shortest(p.prop1_monolithic_depth_uniform_model));
        cells.push(shortest(p.prop2_distributed_depth_bound_uniform_model));
        cells.push(p.circuits.to_string());
        cells.push(p.shots.to_string());
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The plotted points as JSON: `{"x": "<axis>", "params": …, "points": [{"x": …,
/// "reports": Report}]}` where each report is the full CLI report of that x value.
pub fn points_json(
    axis: XAxis,
    base: &Params,
    reports: &[(f64, &Report)],
) -> Result<String, serde_json::Error> {
    #[derive(Serialize)]
    struct Point<'a> {
        x: f64,
        report: &'a Report,
    }
    #[derive(Serialize)]
    struct Export<'a> {
        x: &'static str,
        params: &'a Params,
        points: Vec<Point<'a>>,
    }
    let export = Export {
        x: axis.name(),
        params: base,
        points: reports
            .iter()
            .map(|&(x, report)| Point { x, report })
            .collect(),
    };
    Ok(serde_json::to_string_pretty(&export)? + "\n")
}

/// The index of the point whose pixel x is nearest to `mouse_x`, if any is within
/// `max_distance` pixels.
pub fn nearest(pixel_xs: &[f64], mouse_x: f64, max_distance: f64) -> Option<usize> {
    pixel_xs
        .iter()
        .enumerate()
        .map(|(i, &px)| (i, (px - mouse_x).abs()))
        .filter(|&(_, d)| d.is_finite() && d <= max_distance)
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(i, _)| i)
}

/// A short label for an axis value: integers plainly, small or large numbers in scientific
/// notation, others with up to 3 significant digits.
pub fn format_value(v: f64) -> String {
    if !v.is_finite() {
        return "–".into();
    }
    if v == 0.0 {
        return "0".into();
    }
    let a = v.abs();
    if (v - v.round()).abs() < 1e-9 && a < 1e6 {
        return format!("{}", v.round() as i64);
    }
    if !(1e-3..1e5).contains(&a) {
        let s = format!("{v:.1e}");
        return s.replace(".0e", "e");
    }
    let digits = (2 - a.log10().floor() as i32).clamp(0, 6) as usize;
    let s = format!("{v:.digits$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// Maps a plotted x to the drawing coordinate (log10 on log axes) so one linear chart serves
/// every axis.
pub fn to_plot_x(axis: XAxis, x: f64) -> f64 {
    if axis.log_scale() {
        x.max(f64::MIN_POSITIVE).log10()
    } else {
        x
    }
}

/// Inverse of [`to_plot_x`].
pub fn from_plot_x(axis: XAxis, u: f64) -> f64 {
    if axis.log_scale() {
        10f64.powf(u)
    } else {
        u
    }
}

/// Reads the view key `x=` (the plots' axis) from a URL hash; `None` when absent or unknown.
pub fn axis_from_hash(hash: &str) -> Option<XAxis> {
    hash.trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == "x")
        .and_then(|(_, v)| XAxis::parse(v))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::estimate;
    use crate::sim::EngineKind;

    #[test]
    fn axes_round_trip_names_and_apply() {
        for a in XAxis::ALL {
            assert_eq!(XAxis::parse(a.name()), Some(a));
        }
        assert_eq!(XAxis::parse("bogus"), None);
        let p = Params::default();
        assert_eq!(XAxis::N.apply(&p, 60.0).n, 60);
        assert_eq!(XAxis::TauE.apply(&p, 2.5).tau_e, 2.5);
        assert_eq!(XAxis::T.apply(&p, 5.0).t, 5);
        assert_eq!(XAxis::P.value(&XAxis::P.apply(&p, 3e-3)), 3e-3);
        assert!(XAxis::P.log_scale() && !XAxis::TauE.log_scale() && !XAxis::N.log_scale());
    }

    #[test]
    fn x_values_follow_the_paper_and_contain_the_current_value() {
        let p = Params::default();
        assert_eq!(XAxis::N.values(&p), vec![50.0, 60.0, 70.0, 85.0, 100.0]);
        assert_eq!(
            XAxis::TauE.values(&p),
            vec![1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0]
        );
        let q = Params {
            n: 12,
            tau_e: 4.0,
            ..p
        };
        assert_eq!(XAxis::N.values(&q), vec![6.0, 9.0, 12.0, 15.0, 18.0]);
        assert_eq!(
            XAxis::TauE.values(&q),
            vec![1.0, 2.0, 3.0, 4.0, 5.0, 8.0, 10.0, 15.0]
        );
        let tiny = Params { n: 2, ..p };
        assert_eq!(XAxis::N.values(&tiny), vec![2.0, 3.0]);
        let xs = XAxis::P.values(&p);
        assert_eq!(xs.len(), 5);
        assert!(xs.contains(&1e-4));
        assert!(xs.iter().all(|&x| (1e-5..=1e-2).contains(&x)));
        assert_eq!(XAxis::T.values(&p).len(), 8);
        // Every value gives valid parameters.
        for a in XAxis::ALL {
            for x in a.values(&q) {
                assert!(a.apply(&q, x).validate().is_ok(), "{a:?} {x}");
            }
        }
    }

    #[test]
    fn presets_set_the_paper_settings_and_keep_the_statistics() {
        let cur = Params {
            n: 12,
            tau_e: 7.0,
            circuits: 3,
            shots: 50,
            seed: 5,
            ..Default::default()
        };
        let (a, ax) = Preset::Fig3a.apply(&cur, XAxis::TauE);
        assert_eq!((a.n, a.tau_e, ax), (85, 1.0, XAxis::N));
        assert_eq!((a.circuits, a.shots, a.seed), (3, 50, 5));
        let (b, bx) = Preset::Fig3b.apply(&cur, XAxis::N);
        assert_eq!((b.n, b.tau_e, bx), (85, 1.0, XAxis::TauE));
        let mut k = cur;
        k.knobs.parallel_links = 3;
        let (o, ox) = Preset::OperatingPoint.apply(&k, XAxis::P);
        assert_eq!(o.knobs, Default::default());
        assert_eq!((o.n, o.t, o.r, o.p, ox), (85, 3, 3, 1e-4, XAxis::P));
        let (l, _) = Preset::LiteralVsIdleFree.apply(&cur, XAxis::N);
        assert!(!l.knobs.idle_on_resource_during_rspv);
        let (l2, _) = Preset::LiteralVsIdleFree.apply(&l, XAxis::N);
        assert!(l2.knobs.idle_on_resource_during_rspv);
    }

    #[test]
    fn passes_start_cheap_and_end_at_the_request() {
        let p = Params::default();
        assert_eq!(
            passes(&p),
            vec![
                Pass {
                    circuits: 1,
                    shots: 16
                },
                Pass {
                    circuits: 4,
                    shots: 200
                },
                Pass {
                    circuits: 20,
                    shots: 200
                }
            ]
        );
        let small = Params {
            circuits: 3,
            shots: 50,
            ..p
        };
        assert_eq!(passes(&small).len(), 2);
        assert_eq!(
            *passes(&small).last().unwrap(),
            Pass {
                circuits: 3,
                shots: 50
            }
        );
        let one = Params {
            circuits: 1,
            shots: 10,
            ..p
        };
        assert_eq!(
            passes(&one),
            vec![Pass {
                circuits: 1,
                shots: 10
            }]
        );
        let q = point_params(&p, XAxis::TauE, 3.0, passes(&p)[0]);
        assert_eq!((q.tau_e, q.circuits, q.shots, q.n), (3.0, 1, 16, 85));
    }

    #[test]
    fn points_come_from_reports_and_export_with_cli_names() {
        let params = Params {
            n: 6,
            circuits: 2,
            shots: 20,
            seed: 3,
            ..Default::default()
        };
        let report = estimate::simulate(&params, EngineKind::Fast, None, &mut |_| {}).unwrap();
        let pt = PlotPoint::from_report(6.0, &report);
        assert_eq!(
            pt.distributed_depth, report.results.distributed.depth,
            "same numbers as the report"
        );
        assert_eq!(
            pt.prop2_distributed_depth_bound_uniform_model,
            report.derived.prop2_distributed_depth_bound_uniform_model
        );
        let csv = points_csv(XAxis::N, &[pt, pt]);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(lines[0].starts_with("n,direct_logical_error_rate_mean,"));
        assert_eq!(lines[1].split(',').count(), 17);
        assert!(lines[1].starts_with("6,"));
        let json = points_json(XAxis::N, &params, &[(6.0, &report)]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["x"], "n");
        assert_eq!(
            v["points"][0]["report"],
            serde_json::to_value(&report).unwrap()
        );
    }

    #[test]
    fn hover_picks_the_nearest_point_within_reach() {
        let xs = [10.0, 50.0, 90.0];
        assert_eq!(nearest(&xs, 12.0, 20.0), Some(0));
        assert_eq!(nearest(&xs, 69.0, 15.0), None);
        assert_eq!(nearest(&xs, 72.0, 20.0), Some(2));
        assert_eq!(nearest(&[], 1.0, 20.0), None);
    }

    #[test]
    fn values_format_short() {
        assert_eq!(format_value(85.0), "85");
        assert_eq!(format_value(1e-4), "1e-4");
        assert_eq!(format_value(2.5), "2.5");
        assert_eq!(format_value(0.125), "0.125");
        assert_eq!(format_value(0.0), "0");
        assert_eq!(format_value(f64::NAN), "–");
        for u in [-4.0, 0.0, 1.2] {
            assert!((to_plot_x(XAxis::P, from_plot_x(XAxis::P, u)) - u).abs() < 1e-12);
        }
        assert_eq!(to_plot_x(XAxis::N, 7.0), 7.0);
    }

    #[test]
    fn axis_is_read_from_the_hash() {
        assert_eq!(axis_from_hash("#n=12&x=tau_e"), Some(XAxis::TauE));
        assert_eq!(axis_from_hash("x=p"), Some(XAxis::P));
        assert_eq!(axis_from_hash("#n=12"), None);
        assert_eq!(axis_from_hash("#x=zz"), None);
    }
}
