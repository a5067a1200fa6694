//! The p_L and depth plots: follow the shared parameters, compute every x value in the
//! worker pool (a cheap preview pass first, then refined up to the requested circuits ×
//! samples), and paint with plotters on HiDPI canvases.
//!
//! `#plots` carries the state for tests and tools: `data-state` (computing, done, error),
//! `data-generation` (bumped on every change), `data-x`, `data-xs`, `data-first-ms` (time from
//! the change to the first estimate at the current point), `data-done-ms`, `data-progress`
//! and `data-current` (a JSON summary of the current point).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement, HtmlSelectElement, MouseEvent};

use crate::estimate::Report;
use crate::jobs::{Job, Outcome};
use crate::protocol::params::Params;
use crate::sim::EngineKind;
use crate::view::plot_data::{
    self, format_value, from_plot_x, nearest, passes, point_params, to_plot_x, Pass, PlotPoint,
    XAxis,
};

use super::dom::{announce, el};
use super::palette::SERIES;
use super::shell::Shell;
use super::state::{History, Store};
use super::worker_pool::{Callback, Pool};

/// Series: direct, monolithic, distributed (colours from `view::palette::SERIES`, which the
/// CSS and the ring's numbers use too). Each also has its own marker and dash, so the plots
/// read in grayscale and for colour-blind viewers.
fn series_colour(s: usize) -> RGBColor {
    let (r, g, b) = crate::view::palette::rgb(SERIES[s].1);
    RGBColor(r, g, b)
}
const NAMES: [&str; 3] = [SERIES[0].0, SERIES[1].0, SERIES[2].0];

/// The marker of series `s` at `at`: direct ▲, monolithic ■, distributed ●.
fn marker<C: Clone + 'static>(
    s: usize,
    at: C,
    r: i32,
    style: ShapeStyle,
) -> DynElement<'static, CanvasBackend, C> {
    let e = EmptyElement::at(at);
    match s {
        0 => (e + TriangleMarker::new((0, 0), r + 1, style)).into_dyn(),
        1 => (e + Rectangle::new([(-r, -r), (r, r)], style)).into_dyn(),
        _ => (e + Circle::new((0, 0), r, style)).into_dyn(),
    }
}

/// The legend's sample of series `s`: its line (with its dash) and its marker.
fn legend_sample(
    s: usize,
    at: (i32, i32),
    c: RGBColor,
    dpr: f64,
) -> DynElement<'static, CanvasBackend, (i32, i32)> {
    let px = |v: f64| (v * dpr).round() as i32;
    let (on, off) = dash(s).map_or((px(24.0), 0), |(a, b)| (px(a), px(b)));
    let line = DashedPathElement::new(
        vec![(0, 0), (px(24.0), 0)],
        on.max(1),
        off.max(1),
        c.stroke_width(px(2.0) as u32),
    );
    let r = px(3.5);
    let m = (px(12.0), 0);
    let e = EmptyElement::at(at) + line;
    match s {
        0 => (e + TriangleMarker::new(m, r + 1, c.filled())).into_dyn(),
        1 => (e + Rectangle::new([(m.0 - r, -r), (m.0 + r, r)], c.filled())).into_dyn(),
        _ => (e + Circle::new(m, r, c.filled())).into_dyn(),
    }
}

/// Dash and gap (px) of series `s`'s line: direct dotted, monolithic dashed, distributed solid.
fn dash(s: usize) -> Option<(f64, f64)> {
    match s {
        0 => Some((2.0, 4.0)),
        1 => Some((8.0, 5.0)),
        _ => None,
    }
}

/// Fraction of the plot height kept free above the data for the legend (3 and 5 rows).
const LEGEND_PL: f64 = 0.34;
const LEGEND_DEPTH: f64 = 0.5;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    LogicalErrorRate,
    Depth,
}

struct Chart {
    kind: Kind,
    canvas: HtmlCanvasElement,
    tooltip: Element,
    pixel_xs: RefCell<Vec<f64>>,
}

/// The best result so far of one x value.
pub struct PointResult {
    pub pass: usize,
    pub report: Report,
    /// The report as `clinr simulate --format json` prints it.
    pub json: String,
    pub point: PlotPoint,
}

struct Run {
    generation: u64,
    axis: XAxis,
    params: Params,
    xs: Vec<f64>,
    current: usize,
    passes: Vec<Pass>,
    results: Vec<Option<PointResult>>,
    work_total: f64,
    work_done: f64,
    jobs_left: usize,
    started: f64,
    first_ms: Option<f64>,
    error: Option<String>,
}

/// The plots panel.
pub struct Plots {
    store: Rc<Store>,
    pool: Pool,
    /// Where the export buttons go (filled by `export`).
    export_bar: Element,
    root: Element,
    status: Element,
    bar: Element,
    error: Element,
    axis_select: HtmlSelectElement,
    charts: [Chart; 2],
    run: RefCell<Run>,
    /// A repaint is scheduled for the next animation frame (bursts of results paint once).
    draw_pending: Cell<bool>,
    /// The last state announced to assistive technology (only transitions are announced).
    announced: Cell<&'static str>,
}

fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

fn dpr() -> f64 {
    let d = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    if d.is_finite() && d > 0.0 {
        d
    } else {
        1.0
    }
}

/// Builds the panel inside `#plots`, starts the worker pool and follows the store.
pub fn mount(shell: &Shell, store: Rc<Store>, pool: Pool) -> Result<Rc<Plots>, JsValue> {
    let window = web_sys::window().ok_or("no window")?;
    let doc = window.document().ok_or("no document")?;
    let root = shell.plots.clone();
    root.set_text_content(None);

    let head = el(&doc, "div", &[("class", "plots-head")], None)?;
    head.append_child(&*el(&doc, "h2", &[], Some("p_L and depth"))?)?;
    let label = el(&doc, "label", &[("class", "axis-choice")], Some("x axis "))?;
    let axis_select =
        el(&doc, "select", &[("id", "x-axis")], None)?.dyn_into::<HtmlSelectElement>()?;
    for a in XAxis::ALL {
        let o = el(&doc, "option", &[("value", a.name())], Some(a.label()))?;
        axis_select.append_child(&o)?;
    }
    label.append_child(&axis_select)?;
    head.append_child(&label)?;
    root.append_child(&head)?;

    let status = el(
        &doc,
        "p",
        &[("id", "plot-status"), ("class", "status")],
        Some("Starting workers…"),
    )?;
    let track = el(
        &doc,
        "div",
        &[
            ("class", "progress"),
            ("role", "progressbar"),
            ("aria-label", "Progress of the plots"),
        ],
        None,
    )?;
    let bar = el(
        &doc,
        "div",
        &[("id", "plot-progress"), ("class", "progress-bar")],
        None,
    )?;
    track.append_child(&bar)?;
    let error = el(
        &doc,
        "p",
        &[("id", "plot-error"), ("class", "error"), ("role", "alert")],
        None,
    )?;
    error.set_attribute("hidden", "")?;
    root.append_child(&status)?;
    root.append_child(&track)?;
    root.append_child(&error)?;

    let grid = el(&doc, "div", &[("class", "plot-grid")], None)?;
    let mut charts = Vec::new();
    for (kind, id, aria) in [
        (Kind::LogicalErrorRate, "plot-pl", "Logical error rate p_L"),
        (Kind::Depth, "plot-depth", "Depth"),
    ] {
        let wrap = el(&doc, "div", &[("class", "plot-wrap")], None)?;
        let canvas = el(
            &doc,
            "canvas",
            &[("id", id), ("role", "img"), ("aria-label", aria)],
            None,
        )?
        .dyn_into::<HtmlCanvasElement>()?;
        let tooltip = el(&doc, "div", &[("class", "plot-tooltip")], None)?;
        tooltip.set_attribute("hidden", "")?;
        wrap.append_child(&canvas)?;
        wrap.append_child(&tooltip)?;
        grid.append_child(&wrap)?;
        charts.push(Chart {
            kind,
            canvas,
            tooltip,
            pixel_xs: RefCell::new(Vec::new()),
        });
    }
    root.append_child(&grid)?;
    let exports = el(&doc, "div", &[("class", "exports")], None)?;
    root.append_child(&exports)?;

    root.set_attribute("data-workers", &pool.size().to_string())?;
    let [pl, depth]: [Chart; 2] = charts.try_into().map_err(|_| "two charts")?;
    let params = store.get();
    let plots = Rc::new(Plots {
        store: store.clone(),
        pool,
        export_bar: exports,
        root,
        status,
        bar,
        error,
        axis_select: axis_select.clone(),
        charts: [pl, depth],
        run: RefCell::new(Run {
            generation: 0,
            axis: store.snapshot().axis(),
            params,
            xs: Vec::new(),
            current: 0,
            passes: Vec::new(),
            results: Vec::new(),
            work_total: 0.0,
            work_done: 0.0,
            jobs_left: 0,
            started: now(),
            first_ms: None,
            error: None,
        }),
        draw_pending: Cell::new(false),
        announced: Cell::new(""),
    });

    {
        let p = plots.clone();
        // Parameters or a view key of the plots (not the ring's playhead or shot).
        store.subscribe(move |_, change| {
            if change.params || change.plot_keys() {
                p.restart();
            }
        });
    }
    {
        let p = plots.clone();
        let on_axis = Closure::<dyn FnMut()>::new(move || {
            if let Some(a) = XAxis::parse(&p.axis_select.value()) {
                p.store
                    .set_view("x", Some(a.name().to_string()), History::Push);
            }
        });
        axis_select.add_event_listener_with_callback("change", on_axis.as_ref().unchecked_ref())?;
        on_axis.forget();
    }
    {
        let p = plots.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || p.request_draw());
        window.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref())?;
        on_resize.forget();
    }
    for i in 0..2 {
        let p = plots.clone();
        let on_move =
            Closure::<dyn FnMut(MouseEvent)>::new(move |e: MouseEvent| p.hover(i, Some(&e)));
        let canvas = &plots.charts[i].canvas;
        canvas.add_event_listener_with_callback("mousemove", on_move.as_ref().unchecked_ref())?;
        on_move.forget();
        let p = plots.clone();
        let on_leave =
            Closure::<dyn FnMut(MouseEvent)>::new(move |_e: MouseEvent| p.hover(i, None));
        canvas.add_event_listener_with_callback("mouseleave", on_leave.as_ref().unchecked_ref())?;
        on_leave.forget();
    }
    plots.restart();
    Ok(plots)
}

impl Plots {
    /// The store the plots follow.
    pub fn store(&self) -> &Rc<Store> {
        &self.store
    }

    /// The element the export buttons go into.
    pub fn export_bar(&self) -> &Element {
        &self.export_bar
    }

    /// The parameters the plotted points were computed around (the x value varies).
    pub fn params(&self) -> Params {
        self.run.borrow().params
    }

    /// The x axis currently plotted.
    pub fn axis(&self) -> XAxis {
        self.run.borrow().axis
    }

    /// The canvases of the two plots with a file-name stem.
    pub fn canvases(&self) -> [(&'static str, HtmlCanvasElement); 2] {
        [
            ("clinr-logical-error-rate", self.charts[0].canvas.clone()),
            ("clinr-depth", self.charts[1].canvas.clone()),
        ]
    }

    /// The CLI JSON of the current point once it has the requested statistics.
    pub fn current_report_json(&self) -> Option<String> {
        let run = self.run.borrow();
        let last = run.passes.len().checked_sub(1)?;
        run.results
            .get(run.current)?
            .as_ref()
            .filter(|r| r.pass == last)
            .map(|r| r.json.clone())
    }

    /// The plotted points as CSV and as JSON (None before any result).
    pub fn exports(&self) -> Option<(String, String)> {
        let run = self.run.borrow();
        let have: Vec<&PointResult> = run.results.iter().flatten().collect();
        if have.is_empty() {
            return None;
        }
        let points: Vec<PlotPoint> = have.iter().map(|r| r.point).collect();
        let reports: Vec<(f64, &Report)> = have.iter().map(|r| (r.point.x, &r.report)).collect();
        let csv = plot_data::points_csv(run.axis, &points);
        let json = plot_data::points_json(run.axis, &run.params, &reports).ok()?;
        Some((csv, json))
    }

    /// Cancels the running computation and starts one for the current parameters and axis.
    pub fn restart(self: &Rc<Self>) {
        if let Err(e) = self.pool.cancel_all() {
            self.show_error(&format!("cannot restart the workers: {e:?}"));
        }
        let params = self.store.get();
        let axis = self.store.snapshot().axis();
        self.axis_select.set_value(axis.name());
        let xs = axis.values(&params);
        let cur = axis.value(&params);
        let current = xs
            .iter()
            .enumerate()
            .min_by(|a, b| (a.1 - cur).abs().total_cmp(&(b.1 - cur).abs()))
            .map_or(0, |(i, _)| i);
        let ps = passes(&params);
        let generation = {
            let mut run = self.run.borrow_mut();
            run.generation += 1;
            run.axis = axis;
            run.params = params;
            run.xs = xs.clone();
            run.current = current;
            run.passes = ps.clone();
            run.results = xs.iter().map(|_| None).collect();
            run.work_total = ps
                .iter()
                .map(|p| f64::from(p.circuits) * f64::from(p.shots))
                .sum::<f64>()
                * xs.len() as f64;
            run.work_done = 0.0;
            run.jobs_left = ps.len() * xs.len();
            run.started = now();
            run.first_ms = None;
            run.error = None;
            run.generation
        };
        self.error.set_attribute("hidden", "").ok();
        let order: Vec<usize> = std::iter::once(current)
            .chain((0..xs.len()).filter(|&i| i != current))
            .collect();
        for (pi, pass) in ps.iter().enumerate() {
            for &xi in &order {
                let job = Job::Simulate {
                    params: point_params(&params, axis, xs[xi], *pass),
                    engine: EngineKind::Fast,
                };
                let small = pi == 0 && ps.len() > 1;
                let weak = Rc::downgrade(self);
                let per_circuit = f64::from(pass.shots);
                let callback: Callback = Rc::new(RefCell::new(move |outcome: Outcome| {
                    if let Some(p) = weak.upgrade() {
                        p.on_outcome(generation, xi, pi, per_circuit, outcome);
                    }
                }));
                self.pool.submit(job, small, false, callback);
            }
        }
        self.update_attributes();
        self.draw();
    }

    /// Paints at the next animation frame, once however many changes come before it.
    pub fn request_draw(self: &Rc<Self>) {
        if self.draw_pending.replace(true) {
            return;
        }
        let p = self.clone();
        let paint = Closure::once_into_js(move || {
            p.draw_pending.set(false);
            p.draw();
        });
        let requested = web_sys::window()
            .map(|w| w.request_animation_frame(paint.unchecked_ref()).is_ok())
            .unwrap_or(false);
        if !requested {
            self.draw_pending.set(false);
            self.draw();
        }
    }

    fn on_outcome(
        self: &Rc<Self>,
        generation: u64,
        xi: usize,
        pi: usize,
        per_circuit: f64,
        outcome: Outcome,
    ) {
        {
            let mut run = self.run.borrow_mut();
            if run.generation != generation {
                return;
            }
            match outcome {
                Outcome::Progress { .. } => {
                    run.work_done += per_circuit;
                    drop(run);
                    self.update_attributes();
                    return;
                }
                Outcome::Report { json } => {
                    run.jobs_left = run.jobs_left.saturating_sub(1);
                    match serde_json::from_str::<Report>(&json) {
                        Ok(report) => {
                            let better = run.results[xi].as_ref().is_none_or(|r| r.pass <= pi);
                            if better {
                                let point = PlotPoint::from_report(run.xs[xi], &report);
                                run.results[xi] = Some(PointResult {
                                    pass: pi,
                                    report,
                                    json,
                                    point,
                                });
                            }
                            if xi == run.current && run.first_ms.is_none() {
                                run.first_ms = Some(now() - run.started);
                            }
                        }
                        Err(e) => run.error = Some(format!("unreadable report from a worker: {e}")),
                    }
                }
                Outcome::Error { message } => {
                    run.jobs_left = run.jobs_left.saturating_sub(1);
                    run.error = Some(message);
                }
                _ => return,
            }
        }
        let err = self.run.borrow().error.clone();
        if let Some(e) = err {
            self.show_error(&e);
        }
        self.update_attributes();
        self.request_draw();
    }

    fn show_error(&self, message: &str) {
        self.error
            .set_text_content(Some(&format!("Computation failed: {message}")));
        self.error.remove_attribute("hidden").ok();
        self.root.set_attribute("data-state", "error").ok();
    }

    fn update_attributes(&self) {
        let run = self.run.borrow();
        let set = |k: &str, v: &str| {
            let _ = self.root.set_attribute(k, v);
        };
        let state = if run.error.is_some() {
            "error"
        } else if run.jobs_left == 0 {
            "done"
        } else {
            "computing"
        };
        set("data-state", state);
        set("data-generation", &run.generation.to_string());
        set("data-x", run.axis.name());
        let xs: Vec<String> = run.xs.iter().map(|x| x.to_string()).collect();
        set("data-xs", &xs.join(","));
        if let Some(ms) = run.first_ms {
            set("data-first-ms", &format!("{ms:.1}"));
        } else {
            let _ = self.root.remove_attribute("data-first-ms");
        }
        let frac = if run.work_total > 0.0 {
            (run.work_done / run.work_total).clamp(0.0, 1.0)
        } else {
            1.0
        };
        let frac = if run.jobs_left == 0 { 1.0 } else { frac };
        set("data-progress", &format!("{frac:.3}"));
        let _ = self
            .bar
            .unchecked_ref::<web_sys::HtmlElement>()
            .style()
            .set_property("width", &format!("{:.1}%", 100.0 * frac));
        let last = run.passes.len().saturating_sub(1);
        let text = if let Some(e) = &run.error {
            format!("Error: {e}")
        } else if run.jobs_left == 0 {
            let ms = now() - run.started;
            set("data-done-ms", &format!("{ms:.0}"));
            format!(
                "Done: {} circuits × {} samples per point, {} points ({:.1} s)",
                run.params.circuits,
                run.params.shots,
                run.xs.len(),
                ms / 1000.0
            )
        } else {
            let _ = self.root.remove_attribute("data-done-ms");
            let best = run.results.iter().flatten().map(|r| r.pass).min();
            match best {
                Some(p) if run.results.iter().all(Option::is_some) && p < last => format!(
                    "Estimate with {} circuit(s) × {} samples; refining… {:.0}%",
                    run.passes[p].circuits,
                    run.passes[p].shots,
                    100.0 * frac
                ),
                _ => format!("Computing… {:.0}%", 100.0 * frac),
            }
        };
        self.status.set_text_content(Some(&text));
        // The status line changes with every progress step; the live region hears only when
        // a computation finishes or fails.
        if self.announced.replace(state) != state && state != "computing" {
            announce(&format!("Plots: {text}"));
        }
        if let Some(Some(r)) = run.results.get(run.current) {
            let pl = r.point.logical_error_rates();
            let d = r.point.depths();
            let summary = serde_json::json!({
                "x": r.point.x,
                "pass": r.pass,
                "final": r.pass == last,
                "circuits": r.point.circuits,
                "shots": r.point.shots,
                "n": r.report.params.n,
                "tau_e": r.report.params.tau_e,
                "logical_error_rate": pl.iter().map(|m| m.mean).collect::<Vec<_>>(),
                "depth": d.iter().map(|m| m.mean).collect::<Vec<_>>(),
            });
            set("data-current", &summary.to_string());
        } else {
            let _ = self.root.remove_attribute("data-current");
        }
    }

    /// Repaints both plots (cheap: a few dozen shapes each).
    pub fn draw(&self) {
        let run = self.run.borrow();
        for chart in &self.charts {
            match draw_chart(chart, &run) {
                Ok(xs) => *chart.pixel_xs.borrow_mut() = xs,
                Err(e) => web_sys::console::warn_1(&format!("plot not drawn: {e}").into()),
            }
        }
    }

    fn hover(&self, i: usize, event: Option<&MouseEvent>) {
        let chart = &self.charts[i];
        let Some(e) = event else {
            let _ = chart.tooltip.set_attribute("hidden", "");
            return;
        };
        let d = dpr();
        let mx = f64::from(e.offset_x()) * d;
        let run = self.run.borrow();
        let idx = nearest(&chart.pixel_xs.borrow(), mx, 24.0 * d);
        let Some(r) = idx
            .and_then(|k| run.results.get(k))
            .and_then(Option::as_ref)
        else {
            let _ = chart.tooltip.set_attribute("hidden", "");
            return;
        };
        let p = &r.point;
        let mut lines = vec![format!("{} = {}", run.axis.name(), format_value(p.x))];
        let vals = match chart.kind {
            Kind::LogicalErrorRate => p.logical_error_rates(),
            Kind::Depth => p.depths(),
        };
        for (name, m) in NAMES.iter().zip(vals) {
            lines.push(match chart.kind {
                Kind::LogicalErrorRate => format!("{name}: {:.2e} ± {:.1e}", m.mean, m.std),
                Kind::Depth => format!("{name}: {:.1} ± {:.1}", m.mean, m.std),
            });
        }
        if chart.kind == Kind::Depth {
            lines.push(format!(
                "Prop. 1: {:.1}",
                p.prop1_monolithic_depth_uniform_model
            ));
            lines.push(format!(
                "bound 4(t+1): {:.1}",
                p.prop2_distributed_depth_bound_uniform_model
            ));
        }
        lines.push(format!("{} circuits × {} samples", p.circuits, p.shots));
        chart.tooltip.set_text_content(Some(&lines.join("\n")));
        let _ = chart.tooltip.remove_attribute("hidden");
        let left = (f64::from(e.offset_x()) + 12.0)
            .min(f64::from(chart.canvas.client_width()) - 190.0)
            .max(0.0);
        let _ = chart
            .tooltip
            .unchecked_ref::<web_sys::HtmlElement>()
            .style()
            .set_property("left", &format!("{left:.0}px"));
    }
}

fn series_values(kind: Kind, p: &PlotPoint) -> [crate::estimate::MeanStd; 3] {
    match kind {
        Kind::LogicalErrorRate => p.logical_error_rates(),
        Kind::Depth => p.depths(),
    }
}

/// Paints one chart; returns the pixel x of every x value (for the hover read-out).
fn draw_chart(chart: &Chart, run: &Run) -> Result<Vec<f64>, String> {
    let d = dpr();
    let canvas = &chart.canvas;
    let (w, h) = (
        (f64::from(canvas.client_width().max(1)) * d).round() as u32,
        (f64::from(canvas.client_height().max(1)) * d).round() as u32,
    );
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    let axis = run.axis;
    let us: Vec<f64> = run.xs.iter().map(|&x| to_plot_x(axis, x)).collect();
    let (mut x0, mut x1) = us
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &u| {
            (a.min(u), b.max(u))
        });
    if !(x0.is_finite() && x1.is_finite()) || x1 - x0 < 1e-9 {
        x0 = us.first().copied().unwrap_or(0.0) - 1.0;
        x1 = x0 + 2.0;
    }
    let pad = 0.06 * (x1 - x0);
    let (x0, x1) = (x0 - pad, x1 + pad);

    let points: Vec<&PlotPoint> = run.results.iter().flatten().map(|r| &r.point).collect();
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for p in &points {
        for m in series_values(chart.kind, p) {
            if m.mean.is_finite() {
                lo = lo.min(m.mean - m.std.max(0.0));
                hi = hi.max(m.mean + m.std.max(0.0));
            }
        }
        if chart.kind == Kind::Depth {
            for b in [
                p.prop1_monolithic_depth_uniform_model,
                p.prop2_distributed_depth_bound_uniform_model,
            ] {
                if b.is_finite() {
                    lo = lo.min(b);
                    hi = hi.max(b);
                }
            }
        }
    }
    // Headroom above the data keeps the legend (upper left) off the points.
    let (y0, y1) = match chart.kind {
        Kind::LogicalErrorRate => (
            0.0,
            if hi.is_finite() && hi > 0.0 {
                hi / (1.0 - LEGEND_PL)
            } else {
                1.0
            },
        ),
        Kind::Depth => {
            if lo.is_finite() && hi.is_finite() {
                let span = (hi - lo).max(1.0);
                let y0 = (lo - 0.08 * span).max(0.0);
                (y0, (hi - LEGEND_DEPTH * y0) / (1.0 - LEGEND_DEPTH))
            } else {
                (0.0, 100.0)
            }
        }
    };

    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let px = |v: f64| (v * d).round() as u32;
    // Text follows the page's text size (larger in presentation mode: `dom::text_scale`).
    let ts = super::dom::text_scale();
    let font = |v: f64| ("sans-serif", v * d * ts);
    let title = match chart.kind {
        Kind::LogicalErrorRate => "Logical error rate p_L (mean ± std over circuits)",
        Kind::Depth => "Depth (mean ± std over circuits)",
    };
    let mut ch = ChartBuilder::on(&root)
        .caption(title, font(14.0))
        .margin(px(10.0))
        .x_label_area_size(px(40.0 * ts))
        .y_label_area_size(px(64.0 * ts))
        .build_cartesian_2d(x0..x1, y0..y1)
        .map_err(|e| err(&e))?;
    let x_fmt = |u: &f64| format_value(from_plot_x(axis, *u));
    let y_fmt = |v: &f64| match chart.kind {
        Kind::LogicalErrorRate => format_value(*v),
        Kind::Depth => format!("{v:.0}"),
    };
    ch.configure_mesh()
        .x_desc(axis.label())
        .y_desc(match chart.kind {
            Kind::LogicalErrorRate => "p_L",
            Kind::Depth => "depth (layers)",
        })
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(8)
        .y_labels(6)
        .label_style(font(12.0))
        .axis_desc_style(font(13.0))
        .max_light_lines(2)
        .light_line_style(RGBColor(238, 240, 244))
        .bold_line_style(RGBColor(222, 226, 232))
        .draw()
        .map_err(|e| err(&e))?;

    // The current slider value: a translucent band.
    let ucur = us.get(run.current).copied().unwrap_or(x0);
    ch.draw_series(std::iter::once(PathElement::new(
        vec![(ucur, y0), (ucur, y1)],
        ShapeStyle {
            color: series_colour(2).mix(0.15),
            filled: false,
            stroke_width: px(10.0),
        },
    )))
    .map_err(|e| err(&e))?;

    let cap = 0.008 * (x1 - x0);
    for (s, name) in NAMES.iter().enumerate() {
        let colour = &series_colour(s);
        let line: Vec<(f64, f64)> = run
            .results
            .iter()
            .zip(&us)
            .filter_map(|(r, &u)| {
                r.as_ref()
                    .map(|r| (u, series_values(chart.kind, &r.point)[s].mean))
            })
            .filter(|(_, m)| m.is_finite())
            .collect();
        let style = colour.stroke_width(px(2.0));
        let c = *colour;
        let anno = match dash(s) {
            None => ch.draw_series(LineSeries::new(line.clone(), style)),
            Some((on, off)) => {
                ch.draw_series(DashedLineSeries::new(line.clone(), px(on), px(off), style))
            }
        }
        .map_err(|e| err(&e))?;
        let d = dpr();
        anno.label(*name)
            .legend(move |(x, y)| legend_sample(s, (x, y), c, d));
        // Error bars: ± std over circuits.
        let bars = run.results.iter().zip(&us).filter_map(|(r, &u)| {
            let m = series_values(chart.kind, &r.as_ref()?.point)[s];
            (m.mean.is_finite() && m.std.is_finite() && m.std > 0.0).then_some((u, m))
        });
        for (u, m) in bars {
            let (a, b) = ((m.mean - m.std).max(y0), m.mean + m.std);
            ch.draw_series([
                PathElement::new(vec![(u, a), (u, b)], colour.stroke_width(px(1.0))),
                PathElement::new(
                    vec![(u - cap, a), (u + cap, a)],
                    colour.stroke_width(px(1.0)),
                ),
                PathElement::new(
                    vec![(u - cap, b), (u + cap, b)],
                    colour.stroke_width(px(1.0)),
                ),
            ])
            .map_err(|e| err(&e))?;
        }
        ch.draw_series(line.iter().map(|&(u, m)| {
            let r = if (u - ucur).abs() < 1e-12 { 6.0 } else { 3.5 };
            marker(s, (u, m), px(r) as i32, c.filled())
        }))
        .map_err(|e| err(&e))?;
    }
    if chart.kind == Kind::Depth {
        let bound = |f: fn(&PlotPoint) -> f64| -> Vec<(f64, f64)> {
            run.results
                .iter()
                .zip(&us)
                .filter_map(|(r, &u)| r.as_ref().map(|r| (u, f(&r.point))))
                .filter(|(_, v)| v.is_finite())
                .collect()
        };
        let p1 = bound(|p| p.prop1_monolithic_depth_uniform_model);
        let p2 = bound(|p| p.prop2_distributed_depth_bound_uniform_model);
        let s1 = series_colour(1).mix(0.7).stroke_width(px(1.0));
        let s2 = series_colour(2).mix(0.7).stroke_width(px(1.0));
        ch.draw_series(
            p1.iter()
                .map(|&(u, v)| Cross::new((u, v), px(4.0) as i32, s1)),
        )
        .map_err(|e| err(&e))?;
        ch.draw_series(LineSeries::new(p1, s1))
            .map_err(|e| err(&e))?
            .label("Prop. 1 (uniform model)")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], s1));
        ch.draw_series(
            p2.iter()
                .map(|&(u, v)| TriangleMarker::new((u, v), px(4.0) as i32, s2)),
        )
        .map_err(|e| err(&e))?;
        ch.draw_series(LineSeries::new(p2, s2))
            .map_err(|e| err(&e))?
            .label("uniform-model bound, 4(t+1)")
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], s2));
    }
    ch.configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 205, 214))
        .label_font(font(12.0))
        .draw()
        .map_err(|e| err(&e))?;
    let pixel_xs = us
        .iter()
        .map(|&u| f64::from(ch.backend_coord(&(u, y0)).0))
        .collect();
    root.present().map_err(|e| err(&e))?;
    Ok(pixel_xs)
}
