//! The paper's claims Q1–Q5 (protocol.md §14), evaluated on the data the plots hold.
//!
//! Input: one or more [`Series`], each an x axis and its sweep points `(x, Report)`, the
//! reports' `results.*.per_circuit` holding p_L and depth per circuit for the *same circuits*
//! in all three implementations. Output: one [`ClaimResult`] per claim with a [`Verdict`]
//! (`holds`, `fails`, `unresolved`, `not-shown`), a plain-words statement with the paper's
//! setting, the preset that shows the claim, and the [`Evidence`] (means, paired differences
//! ± standard errors, per point).
//!
//! # The test
//! Every comparison is a paired difference over circuits ([`paired`]): d̄ ± SE, where SE
//! already includes the binomial shot noise of each circuit's p_L (see [`paired`] for why).
//! A comparison *holds* when d̄ is beyond 2 SE in the claimed direction, *fails* when beyond
//! 2 SE in the other, and is *unresolved* when |d̄| ≤ 2 SE ([`Relation`] gives the details,
//! including exact ties). At one point, the claim holds when all its comparisons hold, fails
//! when one fails, else is unresolved. Over the claim's setting: **holds** when it holds at
//! every point, **fails** when it fails at some point, else **unresolved**. (Each comparison is
//! a ≈ 95 % test on its own; with several points a spurious failure somewhere becomes more
//! likely, which the per-point evidence lets the reader judge.)
//!
//! | claim | setting (needed in the data) | comparisons |
//! |---|---|---|
//! | Q1 | an n axis at τ_e = 1, points with n ∈ [50, 100] | per point: depth distributed < direct, direct < monolithic |
//! | Q2 | the same | per point: p_L monolithic < direct, distributed < direct, distributed ≤ monolithic ("as much as" = at least as much: fails only when distributed is significantly *above* monolithic) |
//! | Q3 | a τ_e axis at n = 85, points with τ_e ∈ [1, 5] | per point: depth and p_L of distributed < direct and < monolithic |
//! | Q4 | a τ_e axis at n = 85, ≥ 2 points with τ_e ∈ [1, 15] | trend: distributed depth and p_L at the largest τ_e minus at the smallest, paired per circuit, both > 0 |
//! | Q5 | a t axis at τ_e = 1, ≥ 2 points with t ≥ 3 | trend: depth advantage (direct − distributed) at the largest t minus at the smallest, paired per circuit, > 0 |
//!
//! A claim whose setting is not in the data is `not-shown`; its [`ClaimResult::preset`] names
//! the preset that shows it. Other parameters (p, t, r, statistics, reading) may differ from
//! the paper's; such differences are listed in [`Evidence::caveats`], not hidden.
//!
//! Pure Rust: the page's claims panel, `clinr claims` and the worker's claim-map job call
//! [`evaluate`].

pub mod map;
pub mod paired;

use serde::{Deserialize, Serialize};

use crate::estimate::Report;
use crate::protocol::reading::{Reading, ReadingKind};
use crate::protocol::schedule::Implementation;
use crate::view::plot_data::{format_value, Preset, XAxis, PAPER_STATISTICS};
use paired::{paired, Paired, Significance};

/// The claims of protocol.md §14.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum ClaimId {
    Q1,
    Q2,
    Q3,
    Q4,
    Q5,
}

impl ClaimId {
    pub const ALL: [ClaimId; 5] = [
        ClaimId::Q1,
        ClaimId::Q2,
        ClaimId::Q3,
        ClaimId::Q4,
        ClaimId::Q5,
    ];

    /// `"Q1"` … `"Q5"` (the test hook `data-claim`).
    pub fn id(self) -> &'static str {
        match self {
            ClaimId::Q1 => "Q1",
            ClaimId::Q2 => "Q2",
            ClaimId::Q3 => "Q3",
            ClaimId::Q4 => "Q4",
            ClaimId::Q5 => "Q5",
        }
    }

    /// The claim in plain words with the paper's setting and source.
    pub fn statement(self) -> &'static str {
        match self {
            ClaimId::Q1 => {
                "Depth: distributed CliNR is shallower than the direct implementation, which \
                 is shallower than monolithic CliNR (paper §IV, Fig. 3a: τ_e = 1, n = 50 to \
                 100)."
            }
            ClaimId::Q2 => {
                "Logical error rate: distributed CliNR reduces p_L at least as much as \
                 monolithic CliNR, and both are below the direct implementation (paper §IV, \
                 Fig. 3a: τ_e = 1, n = 50 to 100)."
            }
            ClaimId::Q3 => {
                "For every τ_e ≤ 5, distributed CliNR has lower depth and lower p_L than both \
                 the direct implementation and monolithic CliNR (paper §IV and abstract, \
                 Fig. 3b: n = 85)."
            }
            ClaimId::Q4 => {
                "As τ_e grows, the depth and the p_L of distributed CliNR both rise (paper §IV, \
                 Fig. 3b: n = 85, τ_e = 1 to 15)."
            }
            ClaimId::Q5 => {
                "Larger t widens distributed CliNR's depth advantage over the direct \
                 implementation, especially at large n (paper §IV: an expectation, not shown \
                 in the paper)."
            }
        }
    }

    /// The setting the data must contain, in plain words.
    pub fn setting(self) -> &'static str {
        match self {
            ClaimId::Q1 | ClaimId::Q2 => "an n axis at τ_e = 1 with points in n = 50 to 100",
            ClaimId::Q3 => "a τ_e axis at n = 85 with points in τ_e = 1 to 5",
            ClaimId::Q4 => "a τ_e axis at n = 85 with at least two points in τ_e = 1 to 15",
            ClaimId::Q5 => "a t axis at τ_e = 1 with at least two points at t ≥ 3",
        }
    }

    /// The preset that shows the claim's setting.
    pub fn preset(self) -> Preset {
        match self {
            ClaimId::Q1 | ClaimId::Q2 => Preset::Fig3a,
            ClaimId::Q3 | ClaimId::Q4 => Preset::Fig3b,
            ClaimId::Q5 => Preset::LargerT,
        }
    }

    fn spec(self) -> Setting {
        match self {
            ClaimId::Q1 | ClaimId::Q2 => Setting {
                axis: XAxis::N,
                fixed: Fixed::TauE(1.0),
                range: (50.0, 100.0),
                min_points: 1,
            },
            ClaimId::Q3 => Setting {
                axis: XAxis::TauE,
                fixed: Fixed::N(85),
                range: (1.0, 5.0),
                min_points: 1,
            },
            ClaimId::Q4 => Setting {
                axis: XAxis::TauE,
                fixed: Fixed::N(85),
                range: (1.0, 15.0),
                min_points: 2,
            },
            ClaimId::Q5 => Setting {
                axis: XAxis::T,
                fixed: Fixed::TauE(1.0),
                range: (3.0, f64::INFINITY),
                min_points: 2,
            },
        }
    }
}

/// The verdict on a claim, a point or a comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Holds,
    Fails,
    /// Not resolved at this precision (|difference| ≤ 2 SE somewhere, nothing failed).
    Unresolved,
    /// The claim's setting is not in the data.
    NotShown,
}

impl Verdict {
    /// `holds`, `fails`, `unresolved`, `not-shown` (the test hook `data-verdict`).
    pub fn id(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Unresolved => "unresolved",
            Verdict::NotShown => "not-shown",
        }
    }

    /// For people: "holds", "fails", "not resolved at this precision", "not shown".
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Holds => "holds",
            Verdict::Fails => "fails",
            Verdict::Unresolved => "not resolved at this precision",
            Verdict::NotShown => "not shown",
        }
    }

    /// Fails if any fails, holds if all hold (and there is at least one), else unresolved.
    pub fn combine(verdicts: impl IntoIterator<Item = Verdict>) -> Verdict {
        let mut any = false;
        let mut all_hold = true;
        for v in verdicts {
            any = true;
            match v {
                Verdict::Fails => return Verdict::Fails,
                Verdict::Holds => {}
                _ => all_hold = false,
            }
        }
        if any && all_hold {
            Verdict::Holds
        } else {
            Verdict::Unresolved
        }
    }
}

/// What a comparison compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Quantity {
    /// p_L per circuit (a binomial estimate).
    LogicalErrorRate,
    /// Mean depth per circuit, in layers.
    Depth,
    /// Direct depth minus distributed depth per circuit, in layers (Q5).
    DepthAdvantage,
}

impl Quantity {
    fn words(self) -> &'static str {
        match self {
            Quantity::LogicalErrorRate => "p_L",
            Quantity::Depth => "depth",
            Quantity::DepthAdvantage => "depth advantage (direct − distributed)",
        }
    }

    /// Whether an exact tie is a resolved equality. Depths are exact when nothing random
    /// changes them (no restarts, no stall), so equal depths really are equal; equal p_L
    /// estimates (often 0 of 200 against 0 of 200, or the very same reused samples) do not
    /// show that the rates are equal, so a p_L tie stays unresolved.
    fn tie_is_exact(self) -> bool {
        !matches!(self, Quantity::LogicalErrorRate)
    }
}

/// The relation a claim expects between the left and the right side.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// left < right: holds when d̄ < −2 SE, fails when d̄ > 2 SE; an exact tie fails for
    /// depths and is unresolved for p_L.
    Less,
    /// left ≤ right ("at least as much reduction"): fails only when d̄ > 2 SE; holds
    /// otherwise once a standard error exists (ties included).
    AtMost,
    /// left > right: the mirror of `Less`.
    Greater,
}

impl Relation {
    fn symbol(self) -> &'static str {
        match self {
            Relation::Less => "<",
            Relation::AtMost => "≤",
            Relation::Greater => ">",
        }
    }

    /// The outcome of a comparison of `quantity` with difference `d` = left − right.
    pub fn outcome(self, quantity: Quantity, d: &Paired) -> Verdict {
        use Significance::*;
        match (self, d.significance()) {
            (Relation::Less, Below) | (Relation::Greater, Above) => Verdict::Holds,
            (Relation::Less, Above) | (Relation::Greater, Below) => Verdict::Fails,
            (Relation::Less | Relation::Greater, Tied) => {
                if quantity.tie_is_exact() {
                    Verdict::Fails
                } else {
                    Verdict::Unresolved
                }
            }
            (Relation::Less | Relation::Greater, Unresolved) => Verdict::Unresolved,
            (Relation::AtMost, Above) => Verdict::Fails,
            (Relation::AtMost, Below | Tied) => Verdict::Holds,
            (Relation::AtMost, Unresolved) => {
                if d.standard_error.is_some() {
                    Verdict::Holds
                } else {
                    Verdict::Unresolved
                }
            }
        }
    }
}

/// One side of a comparison: an implementation (`"direct"`, `"monolithic"`,
/// `"distributed"`, or `"direct - distributed"` for the depth advantage), at an x value for
/// comparisons across points.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Side {
    pub implementation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<f64>,
}

/// One paired comparison and its outcome.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub quantity: Quantity,
    pub left: Side,
    pub right: Side,
    pub expected: Relation,
    /// left − right per circuit: mean, standard error, circuits, tie.
    #[serde(flatten)]
    pub paired: Paired,
    /// holds, fails or unresolved.
    pub outcome: Verdict,
    /// One line for people: "depth: distributed − direct = −1897.2 ± 12.1 (expected < 0):
    /// holds".
    pub text: String,
}

/// Mean over circuits of one implementation at one point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImplMeans {
    pub logical_error_rate: f64,
    pub depth: f64,
}

/// The three implementations' means at one point.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Means {
    pub direct: ImplMeans,
    pub monolithic: ImplMeans,
    pub distributed: ImplMeans,
}

/// The evidence at one point of the claim's setting.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PointEvidence {
    /// The x value (on [`Evidence::axis`]).
    pub x: f64,
    pub n: u32,
    pub tau_e: f64,
    pub t: u32,
    pub circuits: u32,
    pub shots: u32,
    pub means: Means,
    /// Q1–Q3: the claim's comparisons at this point; Q4–Q5: this point against the first
    /// point of the setting (shown, not part of the verdict).
    pub comparisons: Vec<Comparison>,
    /// Q1–Q3: the verdict at this point; absent for the trend claims Q4–Q5.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
}

/// Everything behind a verdict.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// One sentence: why this verdict.
    pub reason: String,
    /// The axis of the series evaluated; absent when not shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub axis: Option<XAxis>,
    /// The points of the claim's setting, by increasing x.
    pub points: Vec<PointEvidence>,
    /// Q4–Q5: the comparisons between the last and the first point that decide the verdict.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<Comparison>,
    /// Where the data differ from the paper's setting (p, t, r, statistics, reading).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub caveats: Vec<String>,
    /// For `not-shown`: the id of the preset that shows the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shown_by: Option<String>,
}

/// A claim evaluated on some data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClaimResult {
    pub claim: ClaimId,
    pub verdict: Verdict,
    /// [`ClaimId::statement`].
    pub statement: String,
    /// [`ClaimId::setting`].
    pub setting: String,
    /// The id of the preset that shows the claim's setting ([`ClaimId::preset`]).
    pub preset: String,
    pub evidence: Evidence,
}

/// The data of one plot: its x axis and its points (x, report), in any order.
#[derive(Clone, Debug)]
pub struct Series<'a> {
    pub axis: XAxis,
    pub points: Vec<(f64, &'a Report)>,
}

impl<'a> Series<'a> {
    pub fn new(axis: XAxis, points: impl IntoIterator<Item = (f64, &'a Report)>) -> Self {
        Series {
            axis,
            points: points.into_iter().collect(),
        }
    }
}

/// Evaluates Q1–Q5 (in order) on the given series.
pub fn evaluate(series: &[Series]) -> Vec<ClaimResult> {
    ClaimId::ALL
        .iter()
        .map(|&id| evaluate_claim(id, series))
        .collect()
}

/// Evaluates one claim on the series that covers its setting best (most points in it).
pub fn evaluate_claim(id: ClaimId, series: &[Series]) -> ClaimResult {
    let spec = id.spec();
    let best = series
        .iter()
        .filter(|s| s.axis == spec.axis)
        .map(|s| spec.select(s))
        .max_by_key(|pts| pts.len())
        .unwrap_or_default();
    let result = |verdict, evidence| ClaimResult {
        claim: id,
        verdict,
        statement: id.statement().to_string(),
        setting: id.setting().to_string(),
        preset: id.preset().id().to_string(),
        evidence,
    };
    if best.len() < spec.min_points {
        let evidence = Evidence {
            reason: not_shown_reason(id, &spec, series, best.len()),
            axis: None,
            points: Vec::new(),
            trend: Vec::new(),
            caveats: Vec::new(),
            shown_by: Some(id.preset().id().to_string()),
        };
        return result(Verdict::NotShown, evidence);
    }
    let caveats = caveats(id, &best);
    let (verdict, points, trend, reason) = match id {
        ClaimId::Q1 | ClaimId::Q2 | ClaimId::Q3 => per_point(id, spec.axis, &best),
        ClaimId::Q4 | ClaimId::Q5 => trend_claim(id, spec.axis, &best),
    };
    result(
        verdict,
        Evidence {
            reason,
            axis: Some(spec.axis),
            points,
            trend,
            caveats,
            shown_by: None,
        },
    )
}

/// A parameter the claim's setting fixes.
#[derive(Clone, Copy, Debug)]
enum Fixed {
    TauE(f64),
    N(u32),
}

#[derive(Clone, Copy, Debug)]
struct Setting {
    axis: XAxis,
    fixed: Fixed,
    /// Inclusive x interval.
    range: (f64, f64),
    min_points: usize,
}

impl Setting {
    fn fixed_holds(&self, r: &Report) -> bool {
        match self.fixed {
            Fixed::TauE(v) => (r.params.tau_e - v).abs() <= 1e-9,
            Fixed::N(n) => r.params.n == n,
        }
    }

    /// The points of `s` inside the setting, by increasing x (one per x value).
    fn select<'a>(&self, s: &Series<'a>) -> Vec<(f64, &'a Report)> {
        let mut pts: Vec<(f64, &Report)> = s
            .points
            .iter()
            .map(|&(_, r)| (self.axis.value(&r.params), r))
            .filter(|&(x, r)| {
                self.fixed_holds(r) && x >= self.range.0 - 1e-9 && x <= self.range.1 + 1e-9
            })
            .collect();
        pts.sort_by(|a, b| a.0.total_cmp(&b.0));
        pts.dedup_by(|a, b| a.0 == b.0);
        pts
    }
}

fn fixed_words(f: Fixed) -> String {
    match f {
        Fixed::TauE(v) => format!("τ_e = {}", format_value(v)),
        Fixed::N(n) => format!("n = {n}"),
    }
}

fn not_shown_reason(id: ClaimId, spec: &Setting, series: &[Series], found: usize) -> String {
    let preset = id.preset().label();
    let on_axis: Vec<&Series> = series.iter().filter(|s| s.axis == spec.axis).collect();
    let why = if on_axis.is_empty() {
        let have: Vec<&str> = series.iter().map(|s| s.axis.name()).collect();
        if have.is_empty() {
            "there is no data".to_string()
        } else {
            format!("the data are on the {} axis", have.join(", "))
        }
    } else if found == 0 {
        let fixed_ok = on_axis
            .iter()
            .any(|s| s.points.iter().any(|&(_, r)| spec.fixed_holds(r)));
        if fixed_ok {
            "no point of the axis lies in the claim's range".to_string()
        } else {
            format!("the axis is not at {}", fixed_words(spec.fixed))
        }
    } else {
        format!("only {found} point(s) lie in the claim's range")
    };
    format!(
        "Needs {} but {why}; the preset \"{preset}\" shows it.",
        id.setting()
    )
}

/// Differences between the selected points' parameters and the paper's setting.
fn caveats(id: ClaimId, pts: &[(f64, &Report)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut note = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    for &(_, r) in pts {
        let p = &r.params;
        if p.p != 1e-4 {
            note(format!("p = {} (paper: 1e-4)", format_value(p.p)));
        }
        if p.t != 3 && id != ClaimId::Q5 {
            note(format!("t = {} (paper: 3)", p.t));
        }
        if p.r != 3 {
            note(format!("r = {} (paper: 3)", p.r));
        }
        if p.s.is_some_and(|s| s != p.n.saturating_mul(p.n)) {
            note(format!("s = {} (paper: n²)", p.size()));
        }
        if (p.circuits, p.shots) != PAPER_STATISTICS {
            note(format!(
                "statistics {} circuits × {} samples (paper: {} × {})",
                p.circuits, p.shots, PAPER_STATISTICS.0, PAPER_STATISTICS.1
            ));
        }
        if p.circuits < 2 {
            note("one circuit: no standard error, so no comparison can be resolved".into());
        }
        let reading = r.reading();
        if reading.kind != ReadingKind::PaperConsistent {
            note(format!(
                "reading: {} (the paper's claims are stated for the paper-consistent reading)",
                reading.headline()
            ));
        }
    }
    out
}

/// Per-circuit values of one implementation.
fn column(r: &Report, imp: Implementation, q: Quantity) -> Vec<f64> {
    let get = |imp: Implementation| -> Vec<f64> {
        r.results
            .get(imp)
            .per_circuit
            .iter()
            .map(|c| match q {
                Quantity::LogicalErrorRate => c.logical_error_rate,
                Quantity::Depth | Quantity::DepthAdvantage => c.depth,
            })
            .collect()
    };
    match q {
        Quantity::DepthAdvantage => {
            let direct = get(Implementation::Direct);
            direct
                .iter()
                .zip(get(Implementation::Distributed))
                .map(|(a, b)| a - b)
                .collect()
        }
        _ => get(imp),
    }
}

fn means(r: &Report) -> Means {
    let m = |imp| {
        let res = r.results.get(imp);
        ImplMeans {
            logical_error_rate: res.logical_error_rate.mean,
            depth: res.depth.mean,
        }
    };
    Means {
        direct: m(Implementation::Direct),
        monolithic: m(Implementation::Monolithic),
        distributed: m(Implementation::Distributed),
    }
}

fn fmt_quantity(q: Quantity, v: f64) -> String {
    // Rounding noise (a mean of equal rates off by 1e-17) prints as 0, not −0.0000.
    let v = if v.abs() < 1e-12 { 0.0 } else { v };
    match q {
        Quantity::LogicalErrorRate => format!("{v:.4}"),
        Quantity::Depth | Quantity::DepthAdvantage => format!("{v:.1}"),
    }
}

/// The paper's symbol of an axis' parameter, for sentences (n, τ_e, p, t).
fn symbol(axis: XAxis) -> &'static str {
    match axis {
        XAxis::N => "n",
        XAxis::TauE => "τ_e",
        XAxis::P => "p",
        XAxis::T => "t",
    }
}

fn side_words(axis: XAxis, s: &Side) -> String {
    // The depth advantage is named once by the quantity; its sides are "advantage at t = …".
    let name = if s.implementation == ADVANTAGE {
        "advantage"
    } else {
        s.implementation.as_str()
    };
    match s.x {
        Some(x) => format!("{name} at {} = {}", symbol(axis), format_value(x)),
        None => name.to_string(),
    }
}

/// The implementation name of the depth advantage (direct − distributed) in [`Side`].
const ADVANTAGE: &str = "direct - distributed";

fn compare(
    axis: XAxis,
    quantity: Quantity,
    (left, a): (Side, Vec<f64>),
    (right, b): (Side, Vec<f64>),
    expected: Relation,
) -> Comparison {
    let d = paired(&a, &b);
    let outcome = expected.outcome(quantity, &d);
    // One circuit gives no spread to estimate, tied or not (the JSON keeps its
    // `standard_error`: absent, or 0 for a tie).
    let se = match d.standard_error.filter(|_| d.circuits >= 2) {
        Some(se) => format!(" ± {}", fmt_quantity(quantity, se)),
        None => " (no standard error: one circuit)".to_string(),
    };
    let sign = if d.difference > 0.0 { "+" } else { "" };
    let tie = if d.tied { ", every circuit equal" } else { "" };
    let text = format!(
        "{}: {} − {} = {sign}{}{se}{tie} (claimed {} 0): {}",
        quantity.words(),
        side_words(axis, &left),
        side_words(axis, &right),
        fmt_quantity(quantity, d.difference),
        expected.symbol(),
        outcome.words()
    );
    Comparison {
        quantity,
        left,
        right,
        expected,
        paired: d,
        outcome,
        text,
    }
}

fn side(imp: &str) -> Side {
    Side {
        implementation: imp.to_string(),
        x: None,
    }
}

/// The comparisons of a per-point claim at one point.
fn point_comparisons(id: ClaimId, axis: XAxis, r: &Report) -> Vec<Comparison> {
    use Implementation::*;
    use Quantity::*;
    let c = |q: Quantity, l: Implementation, rel: Relation, rt: Implementation| {
        compare(
            axis,
            q,
            (side(l.name()), column(r, l, q)),
            (side(rt.name()), column(r, rt, q)),
            rel,
        )
    };
    match id {
        ClaimId::Q1 => vec![
            c(Depth, Distributed, Relation::Less, Direct),
            c(Depth, Direct, Relation::Less, Monolithic),
        ],
        ClaimId::Q2 => vec![
            c(LogicalErrorRate, Monolithic, Relation::Less, Direct),
            c(LogicalErrorRate, Distributed, Relation::Less, Direct),
            c(LogicalErrorRate, Distributed, Relation::AtMost, Monolithic),
        ],
        ClaimId::Q3 => vec![
            c(Depth, Distributed, Relation::Less, Direct),
            c(Depth, Distributed, Relation::Less, Monolithic),
            c(LogicalErrorRate, Distributed, Relation::Less, Direct),
            c(LogicalErrorRate, Distributed, Relation::Less, Monolithic),
        ],
        ClaimId::Q4 | ClaimId::Q5 => Vec::new(),
    }
}

fn point_evidence(
    x: f64,
    r: &Report,
    comparisons: Vec<Comparison>,
    verdict: Option<Verdict>,
) -> PointEvidence {
    PointEvidence {
        x,
        n: r.params.n,
        tau_e: r.params.tau_e,
        t: r.params.t,
        circuits: r.params.circuits,
        shots: r.params.shots,
        means: means(r),
        comparisons,
        verdict,
    }
}

fn list_x(axis: XAxis, xs: &[f64]) -> String {
    let items: Vec<String> = xs.iter().map(|&x| format_value(x)).collect();
    format!("{} = {}", symbol(axis), items.join(", "))
}

type Evaluated = (Verdict, Vec<PointEvidence>, Vec<Comparison>, String);

/// At most this many distinct failing comparisons are quoted in a reason (the points hold
/// them all).
const MAX_REASON_COMPARISONS: usize = 3;

fn per_point(id: ClaimId, axis: XAxis, pts: &[(f64, &Report)]) -> Evaluated {
    let points: Vec<PointEvidence> = pts
        .iter()
        .map(|&(x, r)| {
            let cs = point_comparisons(id, axis, r);
            let v = Verdict::combine(cs.iter().map(|c| c.outcome));
            point_evidence(x, r, cs, Some(v))
        })
        .collect();
    let verdict = Verdict::combine(points.iter().filter_map(|p| p.verdict));
    let xs_with = |v: Verdict| -> Vec<f64> {
        points
            .iter()
            .filter(|p| p.verdict == Some(v))
            .map(|p| p.x)
            .collect()
    };
    // The comparisons with outcome `v`, each distinct one once with the points where it was
    // made: below the stall threshold a τ_e sweep reuses the same runs, so several points give
    // one identical comparison, which is one observation, not several.
    let distinct_with = |v: Verdict| -> Vec<String> {
        let mut groups: Vec<(&str, Vec<f64>)> = Vec::new();
        for p in &points {
            for c in p.comparisons.iter().filter(|c| c.outcome == v) {
                match groups.iter_mut().find(|(text, _)| *text == c.text) {
                    Some((_, xs)) => xs.push(p.x),
                    None => groups.push((&c.text, vec![p.x])),
                }
            }
        }
        groups
            .into_iter()
            .map(|(text, xs)| match xs.as_slice() {
                [_] => format!("{text} (at {})", list_x(axis, &xs)),
                _ => format!("{text} (identical at {})", list_x(axis, &xs)),
            })
            .collect()
    };
    let all: Vec<f64> = points.iter().map(|p| p.x).collect();
    let reason = match verdict {
        Verdict::Holds => format!(
            "Holds at every point of the setting ({}).",
            list_x(axis, &all)
        ),
        Verdict::Fails => {
            let failing = distinct_with(Verdict::Fails);
            let shown = failing.len().min(MAX_REASON_COMPARISONS);
            let more = match failing.len() - shown {
                0 => String::new(),
                k => format!("; and {k} more (see the points)"),
            };
            format!(
                "Fails at {}; failing comparison{}: {}{more}.",
                list_x(axis, &xs_with(Verdict::Fails)),
                if failing.len() == 1 { "" } else { "s" },
                failing[..shown].join("; ")
            )
        }
        _ => format!(
            "Not resolved at {} (nothing fails significantly); for example {}.",
            list_x(axis, &xs_with(Verdict::Unresolved)),
            distinct_with(Verdict::Unresolved)
                .first()
                .map_or("", String::as_str)
        ),
    };
    (verdict, points, Vec::new(), reason)
}

fn trend_claim(id: ClaimId, axis: XAxis, pts: &[(f64, &Report)]) -> Evaluated {
    use Implementation::Distributed;
    let quantities: &[Quantity] = match id {
        ClaimId::Q4 => &[Quantity::Depth, Quantity::LogicalErrorRate],
        _ => &[Quantity::DepthAdvantage],
    };
    let name = |q: Quantity| match q {
        Quantity::DepthAdvantage => ADVANTAGE,
        _ => Distributed.name(),
    };
    let against_first = |x: f64, r: &Report| -> Vec<Comparison> {
        let (x0, r0) = pts[0];
        quantities
            .iter()
            .map(|&q| {
                compare(
                    axis,
                    q,
                    (
                        Side {
                            implementation: name(q).into(),
                            x: Some(x),
                        },
                        column(r, Distributed, q),
                    ),
                    (
                        Side {
                            implementation: name(q).into(),
                            x: Some(x0),
                        },
                        column(r0, Distributed, q),
                    ),
                    Relation::Greater,
                )
            })
            .collect()
    };
    let points: Vec<PointEvidence> = pts
        .iter()
        .enumerate()
        .map(|(i, &(x, r))| {
            let cs = if i == 0 {
                Vec::new()
            } else {
                against_first(x, r)
            };
            point_evidence(x, r, cs, None)
        })
        .collect();
    let trend = points
        .last()
        .map(|p| p.comparisons.clone())
        .unwrap_or_default();
    let verdict = Verdict::combine(trend.iter().map(|c| c.outcome));
    let (x0, x1) = (pts[0].0, pts[pts.len() - 1].0);
    let texts: Vec<&str> = trend.iter().map(|c| c.text.as_str()).collect();
    let span = format!(
        "from {} = {} to {}",
        symbol(axis),
        format_value(x0),
        format_value(x1)
    );
    let reason = match verdict {
        Verdict::Holds => format!("Holds {span}: {}.", texts.join("; ")),
        Verdict::Fails => format!("Fails {span}: {}.", texts.join("; ")),
        _ => format!("Not resolved {span}: {}.", texts.join("; ")),
    };
    (verdict, points, trend, reason)
}

/// The claims as `{"Q1": {"verdict": …, "evidence": …}, …}`, the shape of one reading's
/// `claims` in `clinr claims --format json`.
pub fn verdicts_json(results: &[ClaimResult]) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    for r in results {
        m.insert(
            r.claim.id().to_string(),
            serde_json::json!({ "verdict": r.verdict, "evidence": r.evidence }),
        );
    }
    serde_json::Value::Object(m)
}

/// The reading of the data (of the first point of the first series), for headers.
pub fn reading_of(series: &[Series]) -> Option<Reading> {
    series
        .iter()
        .flat_map(|s| s.points.first())
        .map(|&(_, r)| r.reading())
        .next()
}

#[cfg(test)]
pub(crate) mod tests;
