//! The p_L and depth plots: follow the shared parameters, compute every x value in the
//! worker pool (a cheap preview pass first, then refined up to the requested circuits ×
//! samples), and paint with plotters on HiDPI canvases.
//!
//! **Range** (issue 12 item 5). The x values come from an explicit [`SweepRange`] (from, to,
//! points, lin/log, the paper's values): the range editor in the panel's head writes it to the
//! URL hash (`from`, `to`, `pts`, `scale`, `paper`), validated with a message; without those
//! keys the axis' default range is used ([`SweepRange::default_for`]), and the current value
//! is always plotted too ([`SweepRange::values_with_current`]). Changing the x axis drops the
//! range keys.
//!
//! **Thresholds** (item 4, `view::thresholds`): on a τ_e axis, where links start to stall,
//! where depth starts to grow and where distributed stops beating each baseline (measured
//! crossings); on an n axis the §12 threshold curve on Δ and its crossing. Each is a dashed
//! vertical line with its label written above the plot area (labels stacked so they never
//! overlap each other, the data or the legend); the explanations and what could not be marked
//! are listed under the plots. The paper's range is shaded when the plot extends beyond it.
//!
//! **Text alternative** (issue 13 item 5): each plot has a "Show … as a table" toggle with a
//! `<table>` of the plotted numbers; completion is announced through the live region with a
//! one-line summary (and what other panels add through [`Plots::add_summary`]).
//!
//! On the t axis each point is computed with a min-links job (issue 14): the same report plus
//! the fewest Bell-pair generators per link for which no sampled run waits, read by the scaling
//! view (`scaling_plot`).
//!
//! `#plots` carries the state for tests and tools: `data-state` (computing, done, error),
//! `data-generation` (bumped on every change), `data-x`, `data-xs`, `data-range` (the range as
//! hash keys), `data-first-ms` (time from the change to the first estimate at the current
//! point), `data-done-ms`, `data-progress` and `data-current` (a JSON summary of the current
//! point). Each canvas carries `data-markers`: a JSON list of the threshold markers drawn on
//! it (`kind`, `x`, `label`).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement, HtmlInputElement, HtmlSelectElement, MouseEvent};

use crate::estimate::scaling::MinLinks;
use crate::estimate::Report;
use crate::jobs::{Job, Outcome};
use crate::protocol::params::Params;
use crate::sim::EngineKind;
use crate::view::panels::{plot_table, PlotKind as TableKind};
use crate::view::plot_data::{
    self, format_value, nearest, passes, point_params, range_from_hash, Pass, PlotPoint, Scale,
    SweepRange, XAxis, RANGE_KEYS,
};
use crate::view::thresholds::{self, Thresholds};

use super::chart::{TableView, NAMES};
use super::dom::{self, announce, el, listen, on};
use super::format::hash_number;
use super::plot_canvas::{draw_chart, kind_id, ChartData, Kind};
use super::shell::Shell;
use super::state::{History, Store};
use super::worker_pool::{Callback, Group, Pool};

struct Chart {
    kind: Kind,
    canvas: HtmlCanvasElement,
    tooltip: Element,
    table: TableView,
    pixel_xs: RefCell<Vec<f64>>,
}

/// The best result so far of one x value.
pub struct PointResult {
    pub pass: usize,
    pub report: Rc<Report>,
    /// The report as `clinr simulate --format json` prints it.
    pub json: String,
    pub point: PlotPoint,
    /// On the t axis: the minimum-links search on the same samples.
    pub min_links: Option<MinLinks>,
}

/// One plotted x value, as the panels that follow the plots read it.
#[derive(Clone)]
pub struct PointData {
    pub x: f64,
    /// The refinement pass this result comes from; `last` when it has the requested statistics.
    pub pass: usize,
    pub last: bool,
    pub report: Rc<Report>,
    pub point: PlotPoint,
    pub min_links: Option<MinLinks>,
}

struct Run {
    generation: u64,
    axis: XAxis,
    range: SweepRange,
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

/// The range editor in the panel's head.
struct RangeEditor {
    form: Element,
    from: HtmlInputElement,
    to: HtmlInputElement,
    points: HtmlInputElement,
    scale: HtmlSelectElement,
    paper: HtmlInputElement,
    error: Element,
}

/// How long a dragged slider rests before the plots restart (ms; see
/// [`Plots::request_restart`]).
const DRAG_REST_MS: i32 = 400;

type Listener = Rc<dyn Fn(&Plots)>;
type Summary = Rc<dyn Fn(&Plots) -> Option<String>>;

/// The plots panel.
pub struct Plots {
    store: Rc<Store>,
    pool: Pool,
    group: Group,
    /// Where the export buttons go (filled by `export`).
    export_bar: Element,
    /// Where panels that follow the plots put their views (the scaling view).
    slot: Element,
    root: Element,
    status: Element,
    bar: Element,
    error: Element,
    notes: Element,
    axis_select: HtmlSelectElement,
    range: RangeEditor,
    charts: [Chart; 2],
    run: RefCell<Run>,
    /// A repaint is scheduled for the next animation frame (bursts of results paint once).
    draw_pending: Cell<bool>,
    /// A restart is requested ([`Plots::request_restart`]).
    restart_pending: Cell<bool>,
    /// The timer of a restart deferred while a slider is dragged.
    restart_timer: Cell<Option<i32>>,
    /// The last state announced to assistive technology (only transitions are announced).
    announced: Cell<&'static str>,
    listeners: RefCell<Vec<Listener>>,
    summaries: RefCell<Vec<Summary>>,
}

fn now() -> f64 {
    super::dom::now_ms()
}

fn dpr() -> f64 {
    super::dom::device_pixel_ratio()
}

fn input(doc: &web_sys::Document, attrs: &[(&str, &str)]) -> Result<HtmlInputElement, JsValue> {
    el(doc, "input", attrs, None)?
        .dyn_into::<HtmlInputElement>()
        .map_err(|_| "not an input".into())
}

/// `label` wrapping `control`.
fn labelled(doc: &web_sys::Document, text: &str, control: &Element) -> Result<Element, JsValue> {
    let l = el(doc, "label", &[], Some(text))?;
    l.append_child(control)?;
    Ok(l)
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

    // The range editor: from, to, points, scale, the paper's values; Apply / Default.
    let form = el(
        &doc,
        "form",
        &[
            ("id", "range-form"),
            ("class", "range-editor"),
            ("aria-label", "Range of the x axis"),
            ("novalidate", ""),
        ],
        None,
    )?;
    let num = |id: &str| {
        input(
            &doc,
            &[
                ("type", "text"),
                ("inputmode", "decimal"),
                ("id", id),
                ("size", "6"),
                ("autocomplete", "off"),
            ],
        )
    };
    let from = num("range-from")?;
    let to = num("range-to")?;
    let points = input(
        &doc,
        &[
            ("type", "number"),
            ("id", "range-pts"),
            ("min", "2"),
            ("max", &plot_data::MAX_RANGE_POINTS.to_string()),
            ("step", "1"),
        ],
    )?;
    let scale =
        el(&doc, "select", &[("id", "range-scale")], None)?.dyn_into::<HtmlSelectElement>()?;
    for s in [Scale::Lin, Scale::Log] {
        scale.append_child(&*el(
            &doc,
            "option",
            &[("value", s.name())],
            Some(if s == Scale::Lin { "linear" } else { "log" }),
        )?)?;
    }
    let paper = input(&doc, &[("type", "checkbox"), ("id", "range-paper")])?;
    form.append_child(&*labelled(&doc, "from ", &from)?)?;
    form.append_child(&*labelled(&doc, "to ", &to)?)?;
    form.append_child(&*labelled(&doc, "points ", &points)?)?;
    form.append_child(&*labelled(&doc, "scale ", &scale)?)?;
    let paper_label = labelled(&doc, "", &paper)?;
    paper_label.append_with_str_1(" the paper's values")?;
    paper_label.set_attribute("class", "range-paper")?;
    form.append_child(&paper_label)?;
    let apply = el(
        &doc,
        "button",
        &[("type", "submit"), ("id", "range-apply")],
        Some("Apply range"),
    )?;
    let reset = el(
        &doc,
        "button",
        &[("type", "button"), ("id", "range-reset")],
        Some("Default range"),
    )?;
    form.append_child(&apply)?;
    form.append_child(&reset)?;
    let range_error = el(
        &doc,
        "p",
        &[("id", "range-error"), ("class", "error"), ("role", "alert")],
        None,
    )?;
    range_error.set_attribute("hidden", "")?;
    root.append_child(&form)?;
    root.append_child(&range_error)?;

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
    for (kind, id, aria, what) in [
        (
            Kind::LogicalErrorRate,
            "plot-pl",
            "Logical error rate p_L (the table below has the numbers)",
            "p_L",
        ),
        (
            Kind::Depth,
            "plot-depth",
            "Depth (the table below has the numbers)",
            "depth",
        ),
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
        let table = TableView::new(&doc, id, what)?;
        wrap.append_child(&canvas)?;
        wrap.append_child(&tooltip)?;
        wrap.append_child(&table.toggle)?;
        wrap.append_child(&table.wrap)?;
        grid.append_child(&wrap)?;
        charts.push(Chart {
            kind,
            canvas,
            tooltip,
            table,
            pixel_xs: RefCell::new(Vec::new()),
        });
    }
    root.append_child(&grid)?;
    let notes = el(
        &doc,
        "ul",
        &[("id", "plot-notes"), ("class", "plot-notes")],
        None,
    )?;
    root.append_child(&notes)?;
    let slot = el(&doc, "div", &[("class", "plot-extra")], None)?;
    root.append_child(&slot)?;
    let exports = el(&doc, "div", &[("class", "exports")], None)?;
    root.append_child(&exports)?;

    root.set_attribute("data-workers", &pool.size().to_string())?;
    let [pl, depth]: [Chart; 2] = charts.try_into().map_err(|_| "two charts")?;
    let params = store.get();
    let axis = store.snapshot().axis();
    let group = pool.group();
    let plots = Rc::new(Plots {
        store: store.clone(),
        pool,
        group,
        export_bar: exports,
        slot,
        root,
        status,
        bar,
        error,
        notes,
        axis_select: axis_select.clone(),
        range: RangeEditor {
            form: form.clone(),
            from,
            to,
            points,
            scale,
            paper,
            error: range_error,
        },
        charts: [pl, depth],
        run: RefCell::new(Run {
            generation: 0,
            axis,
            range: SweepRange::default_for(axis, &params),
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
        restart_pending: Cell::new(false),
        restart_timer: Cell::new(None),
        announced: Cell::new(""),
        listeners: RefCell::new(Vec::new()),
        summaries: RefCell::new(Vec::new()),
    });

    {
        let p = plots.clone();
        // Parameters or a view key of the plots (not the ring's playhead or shot).
        store.subscribe(move |_, change| {
            if change.params || change.plot_keys() {
                // Once per frame, and while a slider is held only when it rests or is released
                // (issue 13 item 9: no long main-thread tasks while dragging).
                p.request_restart();
            }
        });
        let p = plots.clone();
        // Released: the deferred restart runs now (its first estimate comes at once).
        store.on_drag_end(move || {
            if p.restart_pending.get() {
                p.restart();
            }
        });
    }
    {
        let p = plots.clone();
        on(&axis_select, "change", move || {
            if let Some(a) = XAxis::parse(&p.axis_select.value()) {
                // A new axis starts from its default range.
                let mut view: Vec<(&str, Option<String>)> = vec![("x", Some(a.name().into()))];
                view.extend(RANGE_KEYS.iter().map(|k| (*k, None)));
                if let Err(e) = p.store.set_with(p.store.get(), &view, History::Push) {
                    web_sys::console::warn_1(&format!("axis refused: {e}").into());
                }
            }
        })?;
    }
    {
        let p = plots.clone();
        listen(&form, "submit", move |e: web_sys::Event| {
            e.prevent_default();
            p.apply_range();
        })?;
        let p = plots.clone();
        on(&reset, "click", move || {
            let view: Vec<(&str, Option<String>)> = RANGE_KEYS.iter().map(|k| (*k, None)).collect();
            p.range_message(None);
            if let Err(e) = p.store.set_with(p.store.get(), &view, History::Push) {
                p.range_message(Some(&e));
            }
        })?;
    }
    {
        let p = plots.clone();
        on(&window, "resize", move || p.request_draw())?;
    }
    for i in 0..2 {
        let p = plots.clone();
        let canvas = plots.charts[i].canvas.clone();
        listen(&canvas, "mousemove", move |e: MouseEvent| {
            p.hover(i, Some(&e))
        })?;
        let p = plots.clone();
        listen(&canvas, "mouseleave", move |_: MouseEvent| p.hover(i, None))?;
    }
    plots.restart();
    Ok(plots)
}

/// Whether the view pairs hold any range key.
fn has_range_keys(view: &[(String, String)]) -> bool {
    view.iter().any(|(k, _)| RANGE_KEYS.contains(&k.as_str()))
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

    /// The element where panels that follow the plots put their views (under the plots).
    pub fn slot(&self) -> &Element {
        &self.slot
    }

    /// The parameters the plotted points were computed around (the x value varies).
    pub fn params(&self) -> Params {
        self.run.borrow().params
    }

    /// The x axis currently plotted.
    pub fn axis(&self) -> XAxis {
        self.run.borrow().axis
    }

    /// The x range currently plotted.
    pub fn range(&self) -> SweepRange {
        self.run.borrow().range
    }

    /// Bumped on every restart.
    pub fn generation(&self) -> u64 {
        self.run.borrow().generation
    }

    /// Every point has its requested statistics (and nothing failed).
    pub fn is_final(&self) -> bool {
        let run = self.run.borrow();
        run.jobs_left == 0 && run.error.is_none()
    }

    /// The plotted points so far, by increasing x.
    pub fn points(&self) -> Vec<PointData> {
        let run = self.run.borrow();
        let last = run.passes.len().saturating_sub(1);
        run.results
            .iter()
            .zip(&run.xs)
            .filter_map(|(r, &x)| {
                r.as_ref().map(|r| PointData {
                    x,
                    pass: r.pass,
                    last: r.pass == last,
                    report: r.report.clone(),
                    point: r.point,
                    min_links: r.min_links.clone(),
                })
            })
            .collect()
    }

    /// Calls `f` whenever the plotted data change (at most once per animation frame) and after
    /// every restart.
    pub fn subscribe(&self, f: impl Fn(&Plots) + 'static) {
        self.listeners.borrow_mut().push(Rc::new(f));
    }

    /// Adds a sentence to what the live region says when the plots are done (e.g. the claims'
    /// verdicts).
    pub fn add_summary(&self, f: impl Fn(&Plots) -> Option<String> + 'static) {
        self.summaries.borrow_mut().push(Rc::new(f));
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
        let reports: Vec<(f64, &Report)> = have
            .iter()
            .map(|r| (r.point.x, r.report.as_ref()))
            .collect();
        let csv = plot_data::points_csv(run.axis, &points);
        let json = plot_data::points_json(run.axis, &run.params, &reports).ok()?;
        Some((csv, json))
    }

    fn range_message(&self, text: Option<&str>) {
        match text {
            Some(t) => {
                self.range.error.set_text_content(Some(t));
                let _ = self.range.error.remove_attribute("hidden");
                let _ = self.range.form.set_attribute("data-invalid", "true");
            }
            None => {
                self.range.error.set_text_content(None);
                let _ = self.range.error.set_attribute("hidden", "");
                let _ = self.range.form.remove_attribute("data-invalid");
            }
        }
    }

    /// Reads the range editor, validates it for the current axis and writes it to the hash;
    /// a refused range changes nothing and says why.
    fn apply_range(&self) {
        let axis = self.axis();
        let number = |key: &str, field: &HtmlInputElement| -> Result<f64, String> {
            let text = field.value();
            let t = text.trim();
            t.parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| format!("{key}: '{t}' is not a number"))
        };
        let result = (|| -> Result<SweepRange, String> {
            let from = number("from", &self.range.from)?;
            let to = number("to", &self.range.to)?;
            let pts_text = self.range.points.value();
            let points: u32 = pts_text
                .trim()
                .parse()
                .map_err(|_| format!("points: '{}' is not a whole number", pts_text.trim()))?;
            let scale = Scale::parse(&self.range.scale.value()).unwrap_or_default();
            let r = SweepRange {
                from,
                to,
                points,
                scale,
                paper: self.range.paper.checked() && !axis.paper_values().is_empty(),
            };
            r.validate(axis)?;
            Ok(r)
        })();
        match result {
            Err(e) => {
                self.range_message(Some(&format!("Range refused: {e}")));
                announce(&format!("Range refused: {e}"));
            }
            Ok(r) => {
                self.range_message(None);
                let view = [
                    ("from", Some(hash_number(r.from))),
                    ("to", Some(hash_number(r.to))),
                    ("pts", Some(r.points.to_string())),
                    ("scale", Some(r.scale.name().to_string())),
                    ("paper", r.paper.then(|| "1".to_string())),
                ];
                if let Err(e) = self.store.set_with(self.store.get(), &view, History::Push) {
                    self.range_message(Some(&format!("Range refused: {e}")));
                }
            }
        }
    }

    /// Shows `range` in the editor (and which scales and options the axis offers).
    fn show_range(&self, axis: XAxis, range: &SweepRange) {
        self.range.from.set_value(&hash_number(range.from));
        self.range.to.set_value(&hash_number(range.to));
        self.range.points.set_value(&range.points.to_string());
        self.range.scale.set_value(range.scale.name());
        let opts = self.range.scale.options();
        for i in 0..opts.length() {
            if let Some(o) = opts
                .item(i)
                .and_then(|o| o.dyn_into::<web_sys::HtmlOptionElement>().ok())
            {
                let ok = Scale::parse(&o.value()).is_some_and(|s| axis.scales().contains(&s));
                o.set_disabled(!ok);
            }
        }
        let paper = !axis.paper_values().is_empty();
        self.range.paper.set_disabled(!paper);
        self.range.paper.set_checked(paper && range.paper);
    }

    /// Cancels the running computation and starts one for the current parameters, axis and
    /// range.
    pub fn restart(self: &Rc<Self>) {
        self.restart_pending.set(false);
        if let Some(id) = self.restart_timer.take() {
            dom::clear_timeout(id);
        }
        let _ = self.root.remove_attribute("data-stale");
        if let Err(e) = self.pool.cancel_group(self.group) {
            self.show_error(&format!("cannot restart the workers: {e:?}"));
        }
        let snap = self.store.snapshot();
        let params = snap.params;
        let axis = snap.axis();
        self.axis_select.set_value(axis.name());
        let range = if has_range_keys(&snap.view) {
            match range_from_hash(&snap.hash(), axis, &params) {
                Ok(r) => {
                    self.range_message(None);
                    r
                }
                Err(e) => {
                    self.range_message(Some(&format!(
                        "The range in the address was refused ({e}); showing the default range."
                    )));
                    SweepRange::default_for(axis, &params)
                }
            }
        } else {
            if !self.range.form.has_attribute("data-invalid") {
                self.range_message(None);
            }
            SweepRange::default_for(axis, &params)
        };
        self.show_range(axis, &range);
        let xs = range.values_with_current(axis, &params);
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
            run.range = range;
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
                let point = point_params(&params, axis, xs[xi], *pass);
                let job = if axis == XAxis::T {
                    Job::MinLinks { params: point }
                } else {
                    Job::Simulate {
                        params: point,
                        engine: EngineKind::Fast,
                    }
                };
                let small = pi == 0 && ps.len() > 1;
                let weak = Rc::downgrade(self);
                let per_circuit = f64::from(pass.shots);
                let callback: Callback = Rc::new(RefCell::new(move |outcome: Outcome| {
                    if let Some(p) = weak.upgrade() {
                        p.on_outcome(generation, xi, pi, per_circuit, outcome);
                    }
                }));
                self.pool.submit_in(self.group, job, small, false, callback);
            }
        }
        self.update_attributes();
        self.request_draw();
    }

    /// Restarts for a change of the store, once however many changes come together: at the
    /// next animation frame, or, while a slider is dragged, when the slider has rested for
    /// [`DRAG_REST_MS`] or is released. Dragging thus keeps the workers on one computation
    /// instead of terminating and respawning them for every value passed (issue 13 item 9: no
    /// long main-thread tasks while dragging); meanwhile `#plots` carries `data-stale` and the
    /// charts are dimmed.
    pub fn request_restart(self: &Rc<Self>) {
        if self.store.is_dragging() {
            if !self.restart_pending.replace(true) {
                // The drag's first value: stop the computation for the old one now (its
                // progress and results would repaint the panel all through the drag).
                if let Err(e) = self.pool.cancel_group(self.group) {
                    self.show_error(&format!("cannot stop the workers: {e:?}"));
                }
                self.run.borrow_mut().generation += 1;
                self.status
                    .set_text_content(Some("Waiting for the slider to rest or be released…"));
                let _ = self
                    .bar
                    .unchecked_ref::<web_sys::HtmlElement>()
                    .style()
                    .set_property("width", "0%");
            }
            let _ = self.root.set_attribute("data-stale", "");
            if let Some(id) = self.restart_timer.take() {
                dom::clear_timeout(id);
            }
            let p = self.clone();
            match dom::set_timeout(DRAG_REST_MS, move || {
                p.restart_timer.set(None);
                if p.restart_pending.get() {
                    p.restart();
                }
            }) {
                Some(id) => self.restart_timer.set(Some(id)),
                None => self.restart(),
            }
            return;
        }
        // A restart already waits for the next frame (a drag's timer does not count: the
        // drag has ended without its `change`, e.g. a state read from the address bar).
        if self.restart_pending.replace(true) && self.restart_timer.get().is_none() {
            return;
        }
        let p = self.clone();
        let requested = dom::next_frame(move || {
            if p.restart_pending.get() {
                p.restart();
            }
        });
        if !requested {
            self.restart();
        }
    }

    /// Paints at the next animation frame, once however many changes come before it.
    pub fn request_draw(self: &Rc<Self>) {
        if self.draw_pending.replace(true) {
            return;
        }
        let p = self.clone();
        let requested = dom::next_frame(move || {
            p.draw_pending.set(false);
            p.draw();
        });
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
            let parsed = match outcome {
                Outcome::Progress { .. } => {
                    run.work_done += per_circuit;
                    drop(run);
                    self.update_attributes();
                    return;
                }
                Outcome::Report { json } => serde_json::from_str::<Report>(&json)
                    .map(|r| (r, json, None))
                    .map_err(|e| format!("unreadable report from a worker: {e}")),
                Outcome::MinLinks { json, min_links } => {
                    match (
                        serde_json::from_str::<Report>(&json),
                        serde_json::from_str::<MinLinks>(&min_links),
                    ) {
                        (Ok(r), Ok(m)) => Ok((r, json, Some(m))),
                        (Err(e), _) => Err(format!("unreadable report from a worker: {e}")),
                        (_, Err(e)) => Err(format!("unreadable min-links result: {e}")),
                    }
                }
                Outcome::Error { message } => Err(message),
                _ => return,
            };
            run.jobs_left = run.jobs_left.saturating_sub(1);
            match parsed {
                Ok((report, json, min_links)) => {
                    let better = run.results[xi].as_ref().is_none_or(|r| r.pass <= pi);
                    if better {
                        let point = PlotPoint::from_report(run.xs[xi], &report);
                        run.results[xi] = Some(PointResult {
                            pass: pi,
                            report: Rc::new(report),
                            json,
                            point,
                            min_links,
                        });
                    }
                    if xi == run.current && run.first_ms.is_none() {
                        run.first_ms = Some(now() - run.started);
                    }
                }
                Err(e) => run.error = Some(e),
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

    /// One sentence on the current point for the live region.
    fn current_summary(run: &Run) -> Option<String> {
        let r = run.results.get(run.current)?.as_ref()?;
        let pl = r.point.logical_error_rates();
        let d = r.point.depths();
        Some(format!(
            "At {} = {}: p_L distributed {:.3}, monolithic {:.3}, direct {:.3}; depth \
             distributed {:.0}, monolithic {:.0}, direct {:.0}.",
            run.axis.name(),
            format_value(r.point.x),
            pl[2].mean,
            pl[1].mean,
            pl[0].mean,
            d[2].mean,
            d[1].mean,
            d[0].mean
        ))
    }

    fn update_attributes(&self) {
        let (state, text) = {
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
            set("data-range", &run.range.to_hash());
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
            let text = if state == "done" {
                match Self::current_summary(&run) {
                    Some(s) => format!("{text}. {s}"),
                    None => text,
                }
            } else {
                text
            };
            (state, text)
        };
        // The status line changes with every progress step; the live region hears only when
        // a computation finishes or fails.
        if self.announced.replace(state) != state && state != "computing" {
            let mut said = format!("Plots: {text}");
            if state == "done" {
                let summaries: Vec<Summary> = self.summaries.borrow().clone();
                for s in summaries {
                    if let Some(extra) = s(self) {
                        said.push(' ');
                        said.push_str(&extra);
                    }
                }
            }
            announce(&said);
        }
    }

    /// Repaints both plots (cheap: a few dozen shapes each), refreshes their tables and the
    /// threshold notes, then tells the listeners.
    pub fn draw(&self) {
        {
            let run = self.run.borrow();
            let points: Vec<(f64, &Report)> = run
                .results
                .iter()
                .zip(&run.xs)
                .filter_map(|(r, &x)| r.as_ref().map(|r| (x, r.report.as_ref())))
                .collect();
            let th = thresholds::thresholds(run.axis, run.range.scale, &points);
            let points_opt: Vec<Option<PlotPoint>> = run
                .results
                .iter()
                .map(|r| r.as_ref().map(|r| r.point))
                .collect();
            // Every read of the page's layout first (the canvases' sizes, the text scale),
            // then the drawing and the writes: reading after a write forces a layout.
            let d = super::dom::device_pixel_ratio();
            let text_scale = super::dom::text_scale();
            let sizes: Vec<(i32, i32)> = self
                .charts
                .iter()
                .map(|c| (c.canvas.client_width(), c.canvas.client_height()))
                .collect();
            for (chart, &(cw, ch)) in self.charts.iter().zip(&sizes) {
                super::chart::fit_canvas_to(&chart.canvas, cw, ch, d);
            }
            for chart in &self.charts {
                let data = ChartData {
                    axis: run.axis,
                    scale: run.range.scale,
                    xs: &run.xs,
                    points: &points_opt,
                    current: run.current,
                    thresholds: &th,
                    text_scale,
                };
                match draw_chart(&chart.canvas, chart.kind, &data) {
                    Ok((xs, drawn)) => {
                        *chart.pixel_xs.borrow_mut() = xs;
                        let list: Vec<serde_json::Value> = drawn
                            .iter()
                            .map(|m| {
                                serde_json::json!({
                                    "kind": m.kind, "x": m.x, "label": m.label,
                                    "resolved": m.resolved,
                                })
                            })
                            .collect();
                        let _ = chart.canvas.set_attribute(
                            "data-markers",
                            &serde_json::Value::Array(list).to_string(),
                        );
                        let labels: Vec<&str> = drawn.iter().map(|m| m.label.as_str()).collect();
                        let base = match chart.kind {
                            Kind::LogicalErrorRate => "Logical error rate p_L",
                            Kind::Depth => "Depth",
                        };
                        let aria = if labels.is_empty() {
                            format!(
                                "{base} against {} (the table has the numbers)",
                                run.axis.label()
                            )
                        } else {
                            format!(
                                "{base} against {}; marked: {} (the table has the numbers)",
                                run.axis.label(),
                                labels.join("; ")
                            )
                        };
                        let _ = chart.canvas.set_attribute("aria-label", &aria);
                    }
                    Err(e) => web_sys::console::warn_1(&format!("plot not drawn: {e}").into()),
                }
                let pts: Vec<PlotPoint> = run.results.iter().flatten().map(|r| r.point).collect();
                let kind = match chart.kind {
                    Kind::LogicalErrorRate => TableKind::LogicalErrorRate,
                    Kind::Depth => TableKind::Depth,
                };
                if let Err(e) = chart.table.fill(&plot_table(kind, run.axis, &pts)) {
                    web_sys::console::warn_2(&"plot table not filled".into(), &e);
                }
            }
            self.show_notes(&th);
        }
        let listeners: Vec<Listener> = self.listeners.borrow().clone();
        for l in listeners {
            l(self);
        }
    }

    /// The markers' explanations and what could not be marked, under the plots.
    fn show_notes(&self, th: &Thresholds) {
        let Ok(doc) = super::dom::document() else {
            return;
        };
        self.notes.set_text_content(None);
        for m in th.markers.iter().filter(|m| m.in_range) {
            if let Ok(li) = el(&doc, "li", &[("data-kind", kind_id(m.kind))], None) {
                if let Ok(b) = el(&doc, "b", &[], Some(&m.label)) {
                    let _ = li.append_child(&b);
                }
                let _ = li.append_with_str_1(&format!(": {}", m.detail));
                let _ = self.notes.append_child(&li);
            }
        }
        for m in th.markers.iter().filter(|m| !m.in_range) {
            let text = format!(
                "Outside the plotted range: {} ({}).",
                m.label,
                m.detail.trim_end_matches('.')
            );
            if let Ok(li) = el(&doc, "li", &[("data-kind", kind_id(m.kind))], Some(&text)) {
                let _ = self.notes.append_child(&li);
            }
        }
        for c in &th.curves {
            let text = format!("{}: {}", c.label, c.detail);
            if let Ok(li) = el(&doc, "li", &[("data-kind", "curve")], Some(&text)) {
                let _ = self.notes.append_child(&li);
            }
        }
        for n in &th.notes {
            if let Ok(li) = el(&doc, "li", &[("data-kind", "note")], Some(n)) {
                let _ = self.notes.append_child(&li);
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
