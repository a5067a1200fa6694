//! What the p_L and depth plots show, decided without a browser: the x axis and its values,
//! the presets, the refinement passes of the progressive computation, the points extracted
//! from reports, and the CSV/JSON export of the plotted data.
//!
//! The page (`web::plots`) asks the workers for one [`Report`] per (x value, pass) and paints
//! the [`PlotPoint`]s this module extracts; everything here is unit-tested natively.
//!
//! The x values come from an explicit, editable [`SweepRange`] (from, to, points, linear or
//! log scale, optionally the paper's Fig. 3 values), kept in the URL hash as view keys
//! (`x=tau_e&from=1&to=40&pts=12&scale=lin&paper=1`, see [`SweepRange::to_hash`] and
//! [`range_from_hash`]); [`XAxis::values`] is the older rule that derives them from the
//! current value. Presets ([`Preset::apply_with`]) set every parameter they name, the range
//! and the paper's range for shading ([`XAxis::paper_range`]).

use serde::{Deserialize, Serialize};

use crate::estimate::{MeanStd, Report};
use crate::protocol::params::Params;
use crate::protocol::reading::{Reading, ReadingKind};

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

/// What the page accepts for each parameter it has a box for, ends included: the one source
/// of the page's limits. The boxes and sliders of the control panel (`web::controls`) and the
/// links the page reads (`view::share::decode`, [`crate::view::share::accepted`]) both keep
/// to them, so a link holds only values the boxes could have set. The engine accepts more
/// (`protocol::params::limits`); the page keeps to what it can compute interactively.
pub mod ui_range {
    /// n: qubits.
    pub const N: (u32, u32) = (2, 128);
    /// τ_e: layers per Bell pair.
    pub const TAU_E: (f64, f64) = (0.1, 50.0);
    /// p: physical noise.
    pub const P: (f64, f64) = (1e-5, 1e-2);
    /// t up to 64 QPUs + 1 (the scaling view of issue 14 plots t = 2 … 64).
    pub const T: (u32, u32) = (1, 64);
    /// r: checks per resource state.
    pub const R: (u32, u32) = (0, 8);
    /// Random circuits per point.
    pub const CIRCUITS: (u32, u32) = (1, 200);
    /// Protocol samples per circuit.
    pub const SHOTS: (u32, u32) = (1, 10_000);
    /// The seed: every whole number a JavaScript number (the page's boxes) holds exactly.
    pub const SEED: (u64, u64) = (0, 9_007_199_254_740_991);
    /// k: Bell-pair generators per link.
    pub const PARALLEL_LINKS: (u32, u32) = (1, 64);
    /// m: RSP&V instances per block.
    pub const INSTANCES: (u32, u32) = (1, 16);
    /// K11 bell_start, in layers.
    pub const BELL_START: (f64, f64) = (0.0, 1.0e6);
    /// K11 storage_idle_rate (the engine models only 0; `Params::validate` says so).
    pub const STORAGE_IDLE_RATE: (f64, f64) = (0.0, 1.0);
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

    /// The scales a [`SweepRange`] may use on this axis: log for p and τ_e, and for t (whose
    /// scaling view spans 2 … 64); n is linear.
    pub fn scales(self) -> &'static [Scale] {
        match self {
            XAxis::P | XAxis::TauE | XAxis::T => &[Scale::Lin, Scale::Log],
            XAxis::N => &[Scale::Lin],
        }
    }

    /// Whether the parameter is an integer (n, t): range ends must be integers and values are
    /// rounded.
    pub fn is_integer(self) -> bool {
        matches!(self, XAxis::N | XAxis::T)
    }

    /// The page's allowed interval for this parameter ([`ui_range`]).
    pub fn ui_bounds(self) -> (f64, f64) {
        match self {
            XAxis::N => (f64::from(ui_range::N.0), f64::from(ui_range::N.1)),
            XAxis::TauE => ui_range::TAU_E,
            XAxis::P => ui_range::P,
            XAxis::T => (f64::from(ui_range::T.0), f64::from(ui_range::T.1)),
        }
    }

    /// The x values of paper Fig. 3 on this axis (n for Fig. 3a, τ_e for Fig. 3b), if any.
    pub fn paper_values(self) -> &'static [f64] {
        const N: [f64; 5] = [50.0, 60.0, 70.0, 85.0, 100.0];
        match self {
            XAxis::N => &N,
            XAxis::TauE => &FIG3B_TAU_E,
            XAxis::P | XAxis::T => &[],
        }
    }

    /// The paper's plotted interval on this axis, for shading: n ∈ [50, 100] (Fig. 3a),
    /// τ_e ∈ [1, 15] (Fig. 3b); `None` for p and t (the paper plots neither).
    pub fn paper_range(self) -> Option<(f64, f64)> {
        let v = self.paper_values();
        Some((*v.first()?, *v.last()?))
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
            XAxis::T => (1..=8).map(f64::from).collect(),
        };
        xs.push(cur);
        xs.sort_by(f64::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * b.abs().max(1e-300));
        xs
    }
}

/// Canned settings of the control panel. Every preset sets everything it names (see
/// [`Preset::description`]); [`Preset::apply_with`] applies one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    /// Paper Fig. 3a: n = 50…100 at τ_e = 1, x axis n, paper point n = 85.
    Fig3a,
    /// Paper Fig. 3b: τ_e = 1…15 at n = 85 (shaded), extended to τ_e = 40, x axis τ_e.
    Fig3b,
    /// Claim Q5: t = 3…8 at n = 100, τ_e = 1, x axis t.
    LargerT,
    /// The defaults: n = 85, t = r = 3, p = 1e-4, τ_e = 1, 20 × 200, paper-consistent reading.
    OperatingPoint,
    /// Switches K1: the paper-consistent reading ↔ the literal reading (protocol.md §16).
    LiteralVsIdleFree,
    /// Issue 14's scaling view: t = 2 … 32 (log spacing) at n = 85, τ_e = 5, x axis t; the
    /// page adds the fewest links per connection that keep every run from waiting.
    Scaling,
}

/// Options of [`Preset::apply_with`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct PresetOptions {
    /// Keep the current circuits × samples instead of the paper's 20 × 200 ("keep my
    /// statistics"). Off by default: a preset reproduces the paper's statistics.
    pub keep_statistics: bool,
}

/// What applying a preset gives.
#[derive(Clone, Debug, PartialEq)]
pub struct PresetApplied {
    pub params: Params,
    pub axis: XAxis,
    /// The x range to plot; `None` keeps the current range.
    pub range: Option<SweepRange>,
    /// The paper's interval on the axis, to shade (Fig. 3a: n ∈ [50, 100]; Fig. 3b:
    /// τ_e ∈ [1, 15]); `None` when the preset plots no paper figure.
    pub paper_range: Option<(f64, f64)>,
    /// What the preset set, in one sentence, with the statistics actually applied.
    pub description: String,
}

/// The paper's statistics per point (paper §IV): 20 circuits × 200 samples.
pub const PAPER_STATISTICS: (u32, u32) = (20, 200);

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::Fig3a,
        Preset::Fig3b,
        Preset::LargerT,
        Preset::OperatingPoint,
        Preset::LiteralVsIdleFree,
        Preset::Scaling,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Preset::Fig3a => "fig3a",
            Preset::Fig3b => "fig3b",
            Preset::LargerT => "larger-t",
            Preset::OperatingPoint => "operating-point",
            Preset::LiteralVsIdleFree => "k1-toggle",
            Preset::Scaling => "scaling",
        }
    }

    /// The preset with this [`Preset::id`].
    pub fn parse(id: &str) -> Option<Preset> {
        Preset::ALL.into_iter().find(|p| p.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            Preset::Fig3a => "Paper Fig. 3a",
            Preset::Fig3b => "Paper Fig. 3b",
            Preset::LargerT => "Larger t (claim Q5)",
            Preset::OperatingPoint => "Paper operating point",
            Preset::LiteralVsIdleFree => "Literal ↔ paper-consistent reading",
            Preset::Scaling => "Scaling: links needed vs t",
        }
    }

    /// What the preset sets, in one sentence (with the paper's statistics; see
    /// [`PresetApplied::description`] for the text after "keep my statistics").
    pub fn description(self) -> String {
        self.describe(None)
    }

    fn describe(self, kept: Option<(u32, u32)>) -> String {
        let stats = match kept {
            None => format!(
                "{} circuits × {} samples",
                PAPER_STATISTICS.0, PAPER_STATISTICS.1
            ),
            Some((c, s)) => format!("your statistics ({c} circuits × {s} samples)"),
        };
        let rest =
            format!("{stats}, the paper-consistent reading and every other knob at its default");
        match self {
            Preset::Fig3a => format!(
                "Paper Fig. 3a: n = 50, 60, 70, 85, 100 on the x axis (current point n = 85) at \
                 τ_e = 1, p = 1e-4, t = r = 3, {rest}; the seed is kept."
            ),
            Preset::Fig3b => format!(
                "Paper Fig. 3b: τ_e = 1, 2, 3, 5, 8, 10, 15 (the paper's range, shaded) and on \
                 to 40, where the advantage fades, at n = 85, p = 1e-4, t = r = 3, {rest}; the \
                 seed is kept."
            ),
            Preset::LargerT => format!(
                "Claim Q5: t = 3 to 8 on the x axis at n = 100, τ_e = 1, p = 1e-4, r = 3, \
                 {rest}; the seed is kept."
            ),
            Preset::OperatingPoint => format!(
                "The paper's operating point: n = 85, τ_e = 1, p = 1e-4, t = r = 3, {rest}; the \
                 x axis, its range and the seed are kept."
            ),
            Preset::LiteralVsIdleFree => "Switches between the paper-consistent reading (K1 \
                 off) and the literal reading (K1 on); nothing else changes."
                .to_string(),
            Preset::Scaling => format!(
                "Scaling (paper §V, Prop. 2): t = 2 to 32 on the x axis (log spacing; current \
                 point t = 3) at n = 85, τ_e = 5, p = 1e-4, r = 3, {rest}, with the fewest \
                 Bell-pair generators per link for which no sampled run waits; the seed is kept."
            ),
        }
    }

    /// Applies the preset to `current` (plotted on `axis`). Every preset but the reading
    /// switch sets n, τ_e, p, t, r, the paper's 20 × 200 (unless `options.keep_statistics`)
    /// and the paper-consistent reading with every other knob at its default; the seed is
    /// kept. The reading switch flips K1 only.
    pub fn apply_with(
        self,
        current: &Params,
        axis: XAxis,
        options: PresetOptions,
    ) -> PresetApplied {
        // Written out rather than taken from `Params::default()`: these are the paper's values.
        let mut p = Params {
            n: 85,
            s: None,
            t: 3,
            r: 3,
            p: 1e-4,
            tau_e: 1.0,
            circuits: PAPER_STATISTICS.0,
            shots: PAPER_STATISTICS.1,
            seed: current.seed,
            knobs: ReadingKind::PaperConsistent.knobs().unwrap_or_default(),
        };
        if options.keep_statistics {
            p.circuits = current.circuits;
            p.shots = current.shots;
        }
        let kept = options
            .keep_statistics
            .then_some((current.circuits, current.shots));
        let description = self.describe(kept);
        let (params, axis, range) = match self {
            Preset::Fig3a => (p, XAxis::N, Some(SweepRange::fig3a())),
            Preset::Fig3b => (p, XAxis::TauE, Some(SweepRange::fig3b_extended())),
            Preset::LargerT => (
                Params { n: 100, ..p },
                XAxis::T,
                Some(SweepRange::larger_t()),
            ),
            Preset::OperatingPoint => (p, axis, None),
            Preset::Scaling => (
                Params { tau_e: 5.0, ..p },
                XAxis::T,
                Some(SweepRange::scaling_t()),
            ),
            Preset::LiteralVsIdleFree => {
                let mut q = *current;
                q.knobs.idle_on_resource_during_rspv = !q.knobs.idle_on_resource_during_rspv;
                (q, axis, None)
            }
        };
        let paper_range = match self {
            Preset::Fig3a | Preset::Fig3b => axis.paper_range(),
            _ => None,
        };
        PresetApplied {
            params,
            axis,
            range,
            paper_range,
            description,
        }
    }

    /// [`Preset::apply_with`] with the default options (the paper's statistics), as
    /// (parameters, x axis).
    pub fn apply(self, current: &Params, axis: XAxis) -> (Params, XAxis) {
        let a = self.apply_with(current, axis, PresetOptions::default());
        (a.params, a.axis)
    }
}

/// Linear or logarithmic spacing of a [`SweepRange`] (and of the drawn axis).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    #[default]
    Lin,
    Log,
}

impl Scale {
    /// The identifier (`lin`, `log`), as in the URL hash `scale=`.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Lin => "lin",
            Scale::Log => "log",
        }
    }

    pub fn parse(s: &str) -> Option<Scale> {
        match s {
            "lin" | "linear" => Some(Scale::Lin),
            "log" => Some(Scale::Log),
            _ => None,
        }
    }

    /// The drawing coordinate of `x` (log10 on a log scale).
    pub fn to_plot(self, x: f64) -> f64 {
        match self {
            Scale::Lin => x,
            Scale::Log => x.max(f64::MIN_POSITIVE).log10(),
        }
    }

    /// Inverse of [`Scale::to_plot`].
    pub fn from_plot(self, u: f64) -> f64 {
        match self {
            Scale::Lin => u,
            Scale::Log => 10f64.powf(u),
        }
    }
}

/// Most x values one range may ask for (each is a full point of circuits × samples).
pub const MAX_RANGE_POINTS: u32 = 32;

/// The x values of the plots as explicit data: `points` values from `from` to `to`
/// (inclusive), evenly spaced on `scale`; with `paper`, the paper's Fig. 3 values inside the
/// range ([`XAxis::paper_values`]) come first and the remaining count fills the parts of the
/// range beyond them (at least one value at each end that lies beyond them). Values are
/// rounded to integers on n and t, to 3 significant digits otherwise. It never depends on the
/// current value (see [`SweepRange::values_with_current`] to add it).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweepRange {
    pub from: f64,
    pub to: f64,
    pub points: u32,
    pub scale: Scale,
    /// Include the paper's Fig. 3 values (n and τ_e axes only; ignored elsewhere).
    pub paper: bool,
}

/// View keys of a [`SweepRange`] in the URL hash.
pub const RANGE_KEYS: [&str; 5] = ["from", "to", "pts", "scale", "paper"];

impl SweepRange {
    /// Paper Fig. 3a: n = 50, 60, 70, 85, 100.
    pub fn fig3a() -> SweepRange {
        SweepRange {
            from: 50.0,
            to: 100.0,
            points: 5,
            scale: Scale::Lin,
            paper: true,
        }
    }

    /// Paper Fig. 3b extended: τ_e = 1, 2, 3, 5, 8, 10, 15 (the paper's), then 20, 25, 30,
    /// 35, 40 (where the advantage fades at the paper's point).
    pub fn fig3b_extended() -> SweepRange {
        SweepRange {
            from: 1.0,
            to: 40.0,
            points: 12,
            scale: Scale::Lin,
            paper: true,
        }
    }

    /// Claim Q5: t = 3, 4, …, 8.
    pub fn larger_t() -> SweepRange {
        SweepRange {
            from: 3.0,
            to: 8.0,
            points: 6,
            scale: Scale::Lin,
            paper: false,
        }
    }

    /// The scaling view (issue 14): t = 2 … 32 in 9 log-spaced values, 2, 3, 4, 6, 8, 11, 16,
    /// 23, 32.
    pub fn scaling_t() -> SweepRange {
        SweepRange {
            from: 2.0,
            to: 32.0,
            points: 9,
            scale: Scale::Log,
            paper: false,
        }
    }

    /// The range an axis starts with when none is set: the paper's (extended) range when the
    /// current value lies in it, otherwise a range around the current value within the page's
    /// limits. Only a starting point: once set (e.g. in the hash) a range stays put when the
    /// current value moves.
    pub fn default_for(axis: XAxis, params: &Params) -> SweepRange {
        let cur = axis.value(params);
        let (lo, hi) = axis.ui_bounds();
        match axis {
            XAxis::N => {
                if (50.0..=100.0).contains(&cur) {
                    SweepRange::fig3a()
                } else {
                    let from = (cur / 2.0).round().clamp(lo, hi);
                    let to = (cur * 2.0).round().clamp(lo, hi).max(from + 1.0).min(hi);
                    let from = from.min(to - 1.0);
                    SweepRange {
                        from,
                        to,
                        points: ((to - from) as u32 + 1).min(5),
                        scale: Scale::Lin,
                        paper: false,
                    }
                }
            }
            XAxis::TauE => SweepRange {
                from: cur.clamp(lo, hi).min(1.0),
                to: cur.clamp(lo, hi).max(40.0),
                ..SweepRange::fig3b_extended()
            },
            XAxis::P => {
                let (from, to) = ((cur / 10.0).max(lo), (cur * 10.0).min(hi));
                let (from, to) = if from < to { (from, to) } else { (lo, hi) };
                SweepRange {
                    from,
                    to,
                    points: 7,
                    scale: Scale::Log,
                    paper: false,
                }
            }
            // t = 1 … 8 (every value) around the paper's t = 3; beyond, the scaling view's
            // 2 … 64 in log steps.
            XAxis::T if cur <= 8.0 => SweepRange {
                from: lo,
                to: 8.0,
                points: 8,
                scale: Scale::Lin,
                paper: false,
            },
            XAxis::T => SweepRange {
                from: 2.0,
                to: hi,
                points: 11,
                scale: Scale::Log,
                paper: false,
            },
        }
    }

    /// Checks the range for `axis`; the message names the field and the accepted values.
    pub fn validate(&self, axis: XAxis) -> Result<(), String> {
        let (lo, hi) = axis.ui_bounds();
        let name = axis.name();
        for (key, v) in [("from", self.from), ("to", self.to)] {
            if !v.is_finite() || v < lo || v > hi {
                return Err(format!(
                    "{key} = {v} is out of range: {name} from {} to {}",
                    format_value(lo),
                    format_value(hi)
                ));
            }
            if axis.is_integer() && v.fract() != 0.0 {
                return Err(format!("{key} = {v}: {name} is an integer"));
            }
        }
        if self.from >= self.to {
            return Err(format!(
                "from = {} must be below to = {}",
                self.from, self.to
            ));
        }
        if !(2..=MAX_RANGE_POINTS).contains(&self.points) {
            return Err(format!(
                "pts = {} is out of range: 2 to {MAX_RANGE_POINTS} points",
                self.points
            ));
        }
        if !axis.scales().contains(&self.scale) {
            return Err(format!(
                "scale = log is available for p, tau_e and t, not {name}"
            ));
        }
        Ok(())
    }

    /// The x values of the range on `axis` (sorted, without duplicates). Assumes
    /// [`SweepRange::validate`] passed; otherwise returns what it can (possibly nothing).
    pub fn values(&self, axis: XAxis) -> Vec<f64> {
        let (lo, hi) = (self.from, self.to);
        if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
            return Vec::new();
        }
        let u = |x: f64| self.scale.to_plot(x);
        let x_of = |v: f64| self.scale.from_plot(v);
        // k values evenly spaced in scale units from a (included when `first`) to b.
        let spread = |a: f64, b: f64, k: usize, include_a: bool| -> Vec<f64> {
            if k == 0 {
                return Vec::new();
            }
            let (ua, ub) = (u(a), u(b));
            if include_a {
                if k == 1 {
                    return vec![a];
                }
                (0..k)
                    .map(|j| x_of(ua + (ub - ua) * j as f64 / (k - 1) as f64))
                    .collect()
            } else {
                (1..=k)
                    .map(|j| x_of(ua + (ub - ua) * j as f64 / k as f64))
                    .collect()
            }
        };
        let paper: Vec<f64> = if self.paper {
            axis.paper_values()
                .iter()
                .copied()
                .filter(|&v| (lo..=hi).contains(&v))
                .collect()
        } else {
            Vec::new()
        };
        let mut xs = match (paper.first(), paper.last()) {
            (Some(&pmin), Some(&pmax)) => {
                let rest = (self.points as usize).saturating_sub(paper.len());
                let below = u(pmin) - u(lo);
                let above = u(hi) - u(pmax);
                let total = below + above;
                let (mut nb, mut na) = if total > 0.0 {
                    let nb = ((rest as f64) * below / total).round() as usize;
                    (nb, rest.saturating_sub(nb))
                } else {
                    (0, 0)
                };
                if below > 0.0 {
                    nb = nb.max(1);
                }
                if above > 0.0 {
                    na = na.max(1);
                }
                let mut xs = paper.clone();
                // Below the paper's values: from `lo` (included) up to, not including, pmin.
                if nb > 0 {
                    let ub = u(pmin) - (u(pmin) - u(lo)) / (nb as f64);
                    xs.extend(spread(lo, x_of(ub), nb, true));
                }
                xs.extend(spread(pmax, hi, na, false));
                xs
            }
            _ => spread(lo, hi, self.points as usize, true),
        };
        for x in &mut xs {
            *x = if axis.is_integer() {
                x.round()
            } else {
                round_significant(*x, 3)
            };
        }
        xs.sort_by(f64::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * b.abs().max(1e-300));
        xs
    }

    /// [`SweepRange::values`] plus the current value of `params` on `axis` (so the plots can
    /// mark where the user is), sorted, without duplicates.
    pub fn values_with_current(&self, axis: XAxis, params: &Params) -> Vec<f64> {
        let mut xs = self.values(axis);
        xs.push(axis.value(params));
        xs.sort_by(f64::total_cmp);
        xs.dedup_by(|a, b| (*a - *b).abs() <= 1e-12 * b.abs().max(1e-300));
        xs
    }

    /// The range as URL-hash view keys: `from=1&to=40&pts=12&scale=lin`, plus `&paper=1` when
    /// the paper's values are included.
    pub fn to_hash(&self) -> String {
        let mut s = format!(
            "from={}&to={}&pts={}&scale={}",
            crate::numbers::human(self.from),
            crate::numbers::human(self.to),
            self.points,
            self.scale.name()
        );
        if self.paper {
            s.push_str("&paper=1");
        }
        s
    }
}

/// Rounds `x` to `digits` significant digits (dividing by a power of ten, so 4.545 → 4.55 and
/// 3.1623e-5 → 3.16e-5 print as written).
pub fn round_significant(x: f64, digits: i32) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return x;
    }
    let e = digits - 1 - x.abs().log10().floor() as i32;
    if e >= 0 {
        let f = 10f64.powi(e);
        (x * f).round() / f
    } else {
        let f = 10f64.powi(-e);
        (x / f).round() * f
    }
}

/// The range in a URL hash for `axis`: the keys of [`RANGE_KEYS`] that are present override
/// [`SweepRange::default_for`]`(axis, params)`; the result is validated. Errors name the key.
/// As [`SweepRange::to_hash`] writes `paper=1` only when the paper's values are included, a
/// hash that gives a range (`from`, `to`, `pts` or `scale`) without `paper` excludes them.
pub fn range_from_hash(hash: &str, axis: XAxis, params: &Params) -> Result<SweepRange, String> {
    let mut r = SweepRange::default_for(axis, params);
    let keys: Vec<&str> = hash
        .trim_start_matches('#')
        .split('&')
        .map(|pair| pair.split_once('=').map_or(pair, |(k, _)| k))
        .collect();
    if keys
        .iter()
        .any(|k| matches!(*k, "from" | "to" | "pts" | "scale"))
        && !keys.contains(&"paper")
    {
        r.paper = false;
    }
    for (key, value) in hash
        .trim_start_matches('#')
        .split('&')
        .filter_map(|pair| pair.split_once('='))
    {
        let number = || -> Result<f64, String> {
            value
                .parse::<f64>()
                .map_err(|_| format!("{key} = '{value}' is not a number"))
        };
        match key {
            "from" => r.from = number()?,
            "to" => r.to = number()?,
            "pts" => {
                r.points = value
                    .parse()
                    .map_err(|_| format!("pts = '{value}' is not a whole number of points"))?
            }
            "scale" => {
                r.scale = Scale::parse(value)
                    .ok_or_else(|| format!("scale = '{value}': expected lin or log"))?
            }
            "paper" => {
                r.paper = match value {
                    "1" | "true" => true,
                    "0" | "false" => false,
                    _ => return Err(format!("paper = '{value}': expected 1 or 0")),
                }
            }
            _ => {}
        }
    }
    r.validate(axis)?;
    Ok(r)
}

/// The plots' view keys for the URL hash: `x=<axis>&<range>` ([`SweepRange::to_hash`]).
pub fn view_hash(axis: XAxis, range: &SweepRange) -> String {
    format!("x={}&{}", axis.name(), range.to_hash())
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
    /// The reading of the report's knobs (protocol.md §16).
    #[serde(default)]
    pub reading: ReadingKind,
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
            reading: r.reading().kind,
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
pub const CSV_COLUMNS: [&str; 17] = [
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
    "reading",
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
        cells.push(p.reading.id().to_string());
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// The plotted points as JSON: `{"x": "<axis>", "params": …, "reading": Reading, "points":
/// [{"x": …, "report": Report}]}` where each report is the full CLI report of that x value
/// and `reading` is the active reading of `base` (protocol.md §16).
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
        reading: Reading,
        points: Vec<Point<'a>>,
    }
    let export = Export {
        x: axis.name(),
        params: base,
        reading: Reading::of(&base.knobs),
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

/// A short label for an axis value or a measured number on screen: integers below 10⁶
/// plainly, anything else rounded to 3 significant digits and written by
/// [`crate::numbers::human`] (`2.5`, `0.125`, `1e-4`, `1.02e-5`, `1.23e6`); `–` when not finite.
/// For values the user typed (range ends, parameters), use `human` itself, which is exact.
pub fn format_value(v: f64) -> String {
    use crate::numbers::{human, snap_significant};
    if !v.is_finite() {
        return "–".into();
    }
    if (v - v.round()).abs() < 1e-9 && v.abs() < 1e6 {
        return format!("{}", v.round() as i64);
    }
    human(snap_significant(v, 3))
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
        assert_eq!(
            SweepRange::default_for(XAxis::T, &Params { t: 3, ..p }).values(XAxis::T),
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
        );
        assert_eq!(
            SweepRange::default_for(XAxis::T, &Params { t: 16, ..p }).values(XAxis::T),
            [2.0, 3.0, 4.0, 6.0, 8.0, 11.0, 16.0, 23.0, 32.0, 45.0, 64.0]
        );
        // Every value gives valid parameters.
        for a in XAxis::ALL {
            for x in a.values(&q) {
                assert!(a.apply(&q, x).validate().is_ok(), "{a:?} {x}");
            }
        }
    }

    #[test]
    fn presets_set_everything_they_name() {
        let mut cur = Params {
            n: 12,
            tau_e: 7.0,
            p: 3e-3,
            t: 5,
            r: 1,
            s: Some(40),
            circuits: 3,
            shots: 50,
            seed: 5,
            ..Default::default()
        };
        cur.knobs.parallel_links = 3;
        cur.knobs.check_kind = crate::protocol::params::CheckKind::SingleQubit;
        let paper_knobs = ReadingKind::PaperConsistent.knobs().unwrap();
        let a = Preset::Fig3a.apply_with(&cur, XAxis::TauE, PresetOptions::default());
        assert_eq!((a.params.n, a.params.tau_e, a.axis), (85, 1.0, XAxis::N));
        assert_eq!(
            (a.params.t, a.params.r, a.params.p, a.params.s),
            (3, 3, 1e-4, None)
        );
        assert_eq!(
            (a.params.circuits, a.params.shots, a.params.seed),
            (20, 200, 5)
        );
        assert_eq!(a.params.knobs, paper_knobs);
        assert_eq!(
            Reading::of(&a.params.knobs).kind,
            ReadingKind::PaperConsistent
        );
        assert_eq!(a.range, Some(SweepRange::fig3a()));
        assert_eq!(a.paper_range, Some((50.0, 100.0)));
        assert!(
            a.description.contains("20 circuits × 200 samples"),
            "{}",
            a.description
        );
        assert!(a.description.contains("paper-consistent reading"));
        // The old entry point is the same with the default options.
        assert_eq!(Preset::Fig3a.apply(&cur, XAxis::TauE), (a.params, a.axis));

        let b = Preset::Fig3b.apply_with(&cur, XAxis::N, PresetOptions::default());
        assert_eq!((b.params.n, b.params.tau_e, b.axis), (85, 1.0, XAxis::TauE));
        assert_eq!(b.paper_range, Some((1.0, 15.0)));
        let xs = b.range.unwrap().values(XAxis::TauE);
        assert_eq!(
            xs,
            [1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0, 20.0, 25.0, 30.0, 35.0, 40.0]
        );
        assert!(b.description.contains("to 40"));

        // "Keep my statistics" is an explicit option, and the description says so.
        let kept = Preset::Fig3b.apply_with(
            &cur,
            XAxis::N,
            PresetOptions {
                keep_statistics: true,
            },
        );
        assert_eq!((kept.params.circuits, kept.params.shots), (3, 50));
        assert!(kept
            .description
            .contains("your statistics (3 circuits × 50 samples)"));
        assert_eq!(kept.params.knobs, paper_knobs);

        let t = Preset::LargerT.apply_with(&cur, XAxis::N, PresetOptions::default());
        assert_eq!((t.params.n, t.params.tau_e, t.axis), (100, 1.0, XAxis::T));
        assert_eq!(
            t.range.unwrap().values(XAxis::T),
            [3.0, 4.0, 5.0, 6.0, 7.0, 8.0]
        );

        let o = Preset::OperatingPoint.apply_with(&cur, XAxis::P, PresetOptions::default());
        assert_eq!(o.params.knobs, paper_knobs);
        assert_eq!(
            (o.params.n, o.params.t, o.params.r, o.params.p, o.axis),
            (85, 3, 3, 1e-4, XAxis::P)
        );
        assert_eq!(
            (o.params.circuits, o.params.shots, o.params.seed),
            (20, 200, 5)
        );
        assert_eq!(o.range, None);

        // The reading switch flips K1 only.
        let l = Preset::LiteralVsIdleFree.apply_with(&cur, XAxis::N, PresetOptions::default());
        assert_eq!(
            l.params.knobs.idle_on_resource_during_rspv,
            !cur.knobs.idle_on_resource_during_rspv
        );
        let mut back = l.params;
        back.knobs.idle_on_resource_during_rspv = cur.knobs.idle_on_resource_during_rspv;
        assert_eq!(back, cur);
        let (pc, _) = Preset::LiteralVsIdleFree.apply(
            &Params {
                knobs: paper_knobs,
                ..cur
            },
            XAxis::N,
        );
        assert_eq!(Reading::of(&pc.knobs).kind, ReadingKind::Literal);

        let s = Preset::Scaling.apply_with(&cur, XAxis::N, PresetOptions::default());
        assert_eq!(
            (s.params.n, s.params.tau_e, s.params.t, s.axis),
            (85, 5.0, 3, XAxis::T)
        );
        assert_eq!(s.params.knobs, paper_knobs);
        assert_eq!(
            s.range.unwrap().values(XAxis::T),
            [2.0, 3.0, 4.0, 6.0, 8.0, 11.0, 16.0, 23.0, 32.0]
        );
        assert!(s.description.contains("τ_e = 5"), "{}", s.description);

        for preset in Preset::ALL {
            assert_eq!(Preset::parse(preset.id()), Some(preset));
            assert!(preset.description().ends_with('.'));
            let a = preset.apply_with(&cur, XAxis::N, PresetOptions::default());
            assert!(a.params.validate().is_ok(), "{preset:?}");
            if let Some(r) = a.range {
                assert_eq!(r.validate(a.axis), Ok(()), "{preset:?}");
            }
        }
    }

    #[test]
    fn ranges_are_explicit_and_do_not_collapse_with_the_current_value() {
        // τ_e = 50 used to give only 12.5, 25, 50.
        let p = Params {
            tau_e: 50.0,
            ..Default::default()
        };
        let r = SweepRange::default_for(XAxis::TauE, &p);
        assert_eq!(r.validate(XAxis::TauE), Ok(()));
        let xs = r.values(XAxis::TauE);
        assert_eq!(xs.len(), 12, "{xs:?}");
        assert_eq!(&xs[..7], &FIG3B_TAU_E);
        assert_eq!(*xs.last().unwrap(), 50.0);
        // A range does not move with the current value; the current value can be added.
        let fixed = SweepRange::fig3b_extended();
        let with = fixed.values_with_current(XAxis::TauE, &p);
        assert_eq!(with.len(), 13);
        assert!(with.contains(&50.0) && with.contains(&40.0));
        // Plain linear and log grids, rounded to 3 significant digits.
        let lin = SweepRange {
            from: 1.0,
            to: 40.0,
            points: 12,
            scale: Scale::Lin,
            paper: false,
        };
        let xs = lin.values(XAxis::TauE);
        assert_eq!(xs.len(), 12);
        assert_eq!((xs[0], xs[1], xs[11]), (1.0, 4.55, 40.0));
        let log = SweepRange {
            from: 1e-5,
            to: 1e-2,
            points: 7,
            scale: Scale::Log,
            paper: false,
        };
        assert_eq!(
            log.values(XAxis::P),
            [1e-5, 3.16e-5, 1e-4, 3.16e-4, 1e-3, 3.16e-3, 1e-2]
        );
        let tau_log = SweepRange {
            from: 1.0,
            to: 100.0,
            points: 3,
            scale: Scale::Log,
            paper: false,
        };
        assert_eq!(tau_log.values(XAxis::TauE), [1.0, 10.0, 100.0]);
        // Integer axes round and drop duplicates.
        let n = SweepRange {
            from: 10.0,
            to: 12.0,
            points: 6,
            scale: Scale::Lin,
            paper: false,
        };
        assert_eq!(n.values(XAxis::N), [10.0, 11.0, 12.0]);
        // With the paper's values: those in range, then the rest beyond them.
        let part = SweepRange {
            from: 3.0,
            to: 12.0,
            points: 6,
            scale: Scale::Lin,
            paper: true,
        };
        assert_eq!(part.values(XAxis::TauE), [3.0, 5.0, 8.0, 10.0, 11.0, 12.0]);
        let below = SweepRange {
            from: 0.5,
            to: 3.0,
            points: 5,
            scale: Scale::Lin,
            paper: true,
        };
        assert_eq!(below.values(XAxis::TauE), [0.5, 0.75, 1.0, 2.0, 3.0]);
        assert_eq!(
            SweepRange::fig3a().values(XAxis::N),
            [50.0, 60.0, 70.0, 85.0, 100.0]
        );
        // Every axis has a valid default range, whatever the current value.
        for axis in XAxis::ALL {
            for params in [
                Params::default(),
                Params {
                    n: 2,
                    t: 8,
                    tau_e: 0.1,
                    p: 1e-5,
                    ..Default::default()
                },
                Params {
                    n: 128,
                    tau_e: 50.0,
                    p: 1e-2,
                    ..Default::default()
                },
            ] {
                let r = SweepRange::default_for(axis, &params);
                assert_eq!(r.validate(axis), Ok(()), "{axis:?} {r:?}");
                let xs = r.values(axis);
                assert!(xs.len() >= 2, "{axis:?} {xs:?}");
                for x in xs {
                    assert!(axis.apply(&params, x).validate().is_ok(), "{axis:?} {x}");
                }
            }
        }
    }

    #[test]
    fn bad_ranges_are_refused_with_the_key() {
        let ok = SweepRange::fig3b_extended();
        let cases = [
            (SweepRange { from: 0.0, ..ok }, XAxis::TauE, "from"),
            (SweepRange { to: 60.0, ..ok }, XAxis::TauE, "to"),
            (
                SweepRange {
                    from: 5.0,
                    to: 5.0,
                    ..ok
                },
                XAxis::TauE,
                "from",
            ),
            (SweepRange { points: 1, ..ok }, XAxis::TauE, "pts"),
            (SweepRange { points: 33, ..ok }, XAxis::TauE, "pts"),
            (
                SweepRange {
                    from: 50.5,
                    to: 60.0,
                    ..SweepRange::fig3a()
                },
                XAxis::N,
                "from",
            ),
            (
                SweepRange {
                    scale: Scale::Log,
                    ..SweepRange::fig3a()
                },
                XAxis::N,
                "scale",
            ),
            (
                SweepRange {
                    from: f64::NAN,
                    ..ok
                },
                XAxis::TauE,
                "from",
            ),
        ];
        for (r, axis, key) in cases {
            let e = r.validate(axis).expect_err("refused");
            assert!(e.starts_with(key), "{e} should name {key}");
        }
    }

    #[test]
    fn ranges_round_trip_through_the_hash() {
        let p = Params::default();
        let r = SweepRange::fig3b_extended();
        let hash = format!("#n=85&{}", view_hash(XAxis::TauE, &r));
        assert_eq!(hash, "#n=85&x=tau_e&from=1&to=40&pts=12&scale=lin&paper=1");
        assert_eq!(axis_from_hash(&hash), Some(XAxis::TauE));
        assert_eq!(range_from_hash(&hash, XAxis::TauE, &p), Ok(r));
        let log = SweepRange {
            from: 1e-5,
            to: 3e-3,
            points: 9,
            scale: Scale::Log,
            paper: false,
        };
        assert_eq!(range_from_hash(&log.to_hash(), XAxis::P, &p), Ok(log));
        // Missing keys come from the axis default; bad ones are refused with the key.
        assert_eq!(
            range_from_hash("x=n", XAxis::N, &p),
            Ok(SweepRange::default_for(XAxis::N, &p))
        );
        let partial = range_from_hash("x=tau_e&to=20", XAxis::TauE, &p).unwrap();
        assert_eq!((partial.from, partial.to), (1.0, 20.0));
        // A range written without `paper=1` leaves the paper's values out (as the range
        // editor writes it when its box is unchecked); with no range keys the default keeps them.
        assert!(!partial.paper);
        let lin = "x=tau_e&from=1&to=40&pts=12&scale=lin";
        let r = range_from_hash(lin, XAxis::TauE, &p).unwrap();
        assert!(!r.paper);
        assert_eq!(r.values(XAxis::TauE)[1], 4.55);
        assert!(range_from_hash("x=tau_e", XAxis::TauE, &p).unwrap().paper);
        for (bad, key) in [
            ("from=abc", "from"),
            ("pts=2.5", "pts"),
            ("scale=cubic", "scale"),
            ("paper=yes", "paper"),
            ("from=30&to=20", "from"),
        ] {
            let e = range_from_hash(bad, XAxis::TauE, &p).expect_err(bad);
            assert!(e.starts_with(key), "{bad}: {e}");
        }
        // The parameters' decoder skips the range keys.
        assert_eq!(crate::view::share::decode(&hash), Ok(p));
    }

    #[test]
    fn significant_digit_rounding() {
        assert_eq!(round_significant(4.545454, 3), 4.55);
        assert_eq!(round_significant(3.16227766e-5, 3), 3.16e-5);
        assert_eq!(round_significant(12345.0, 3), 12300.0);
        assert_eq!(round_significant(0.0, 3), 0.0);
        assert_eq!(round_significant(-2.0 / 3.0, 2), -0.67);
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
        assert!(lines[0].ends_with(",reading"));
        assert_eq!(lines[1].split(',').count(), 18);
        assert!(lines[1].starts_with("6,"));
        let reading = Reading::of(&params.knobs);
        assert!(lines[1].ends_with(&format!(",{}", reading.kind.id())));
        let json = points_json(XAxis::N, &params, &[(6.0, &report)]).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["x"], "n");
        assert_eq!(v["reading"]["name"], reading.name.as_str());
        assert_eq!(
            v["points"][0]["report"]["reading"]["kind"],
            reading.kind.id()
        );
        // Both sides parsed from text: serde_json's float parsing is not always the exact
        // inverse of its printing (no float_roundtrip feature), so a Value made directly can
        // differ from one read back in the last bit.
        let report_text = serde_json::to_string(&report).unwrap();
        assert_eq!(
            v["points"][0]["report"],
            serde_json::from_str::<serde_json::Value>(&report_text).unwrap()
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
        assert_eq!(format_value(1.0234e-5), "1.02e-5");
        assert_eq!(format_value(1.139_999_999_9), "1.14");
        assert_eq!(format_value(1234567.0), "1.23e6");
        assert_eq!(format_value(-0.0), "0");
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
