//! The claim map view (issue 12 item 3): which readings make which claims hold. For every
//! reading of K1 × K4 × K2 × K3 ([`KnobGrid::default`], the readings `clinr claims` crosses),
//! the paper's points are computed in the workers — one `claim_map` job per reading, as
//! background jobs of the pool's own group, so they spread over the workers without holding
//! up the plots — and shown as a matrix of readings × claims with the verdict marks of the
//! claims panel; the current reading's row is highlighted. Cancel restarts the busy workers
//! (as the plots do). The finished map exports as CSV and JSON identical to `clinr claims
//! --format csv|json` for the same statistics, seed, p, t and r (the rows' JSON is placed
//! verbatim, `claims::map::map_json_from_rows`).
//!
//! Hooks: `#claim-map[data-state="idle|running|done|cancelled|error"]` with `data-done` /
//! `data-total` (readings) and `data-ms` (time of the last complete run), the inputs
//! `#claim-map-circuits`, `#claim-map-shots`, `#claim-map-larger-t`, the buttons
//! `#claim-map-run`, `#claim-map-cancel`, `#claim-map-csv`, `#claim-map-json`, and the table
//! `#claim-map-table` whose rows carry `data-current="true"` for the current reading and whose
//! cells carry `[data-claim][data-verdict]`.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlInputElement};

use crate::claims::map::{
    map_csv_from_rows, map_json_from_rows, reading_work, ClaimRow, Figure, KnobGrid,
};
use crate::claims::{ClaimId, Verdict};
use crate::jobs::{Job, Outcome};
use crate::protocol::params::{Knobs, Params};
use crate::protocol::reading::{serde_name, Reading};
use crate::view::panels::{current_reading, verdict_mark};
use crate::view::plot_data::{format_value, PAPER_STATISTICS};

use super::dom::{announce, download_text, el, now_ms, on};
use super::state::Store;
use super::worker_pool::{Callback, Group, Pool};

struct MapRun {
    generation: u64,
    base: Params,
    figures: Vec<Figure>,
    readings: Vec<Knobs>,
    rows: Vec<Option<String>>,
    /// Progress units done per reading.
    units: Vec<u32>,
    unit_total: u32,
    started: f64,
    state: &'static str,
}

struct View {
    store: Rc<Store>,
    pool: Pool,
    group: Group,
    root: Element,
    circuits: HtmlInputElement,
    shots: HtmlInputElement,
    larger_t: HtmlInputElement,
    run_button: Element,
    cancel: Element,
    csv: Element,
    json: Element,
    status: Element,
    bar: Element,
    error: Element,
    table_body: Element,
    cli: Element,
    run: RefCell<MapRun>,
}

fn input(doc: &Document, attrs: &[(&str, &str)]) -> Result<HtmlInputElement, JsValue> {
    el(doc, "input", attrs, None)?
        .dyn_into::<HtmlInputElement>()
        .map_err(|_| "not an input".into())
}

/// The parameters of the map around the page's: its p, t, r, seed and knobs outside the grid,
/// the chosen statistics, and the CLI's defaults for what the figures set (n, τ_e, s).
fn base_params(current: &Params, circuits: u32, shots: u32) -> Params {
    let d = Params::default();
    Params {
        n: d.n,
        s: None,
        tau_e: d.tau_e,
        circuits,
        shots,
        ..*current
    }
}

/// Builds `<section id="claim-map">` at the end of the main view.
pub fn mount(doc: &Document, store: Rc<Store>, pool: Pool) -> Result<(), JsValue> {
    let view = doc.get_element_by_id("view").ok_or("no #view")?;
    let root = el(
        doc,
        "section",
        &[
            ("id", "claim-map"),
            ("class", "panel claim-map"),
            ("aria-labelledby", "claim-map-title"),
            ("data-state", "idle"),
        ],
        None,
    )?;
    root.append_child(&*el(
        doc,
        "h2",
        &[("id", "claim-map-title")],
        Some("Claim map: which readings make which claims hold"),
    )?)?;
    root.append_child(&*el(
        doc,
        "p",
        &[("class", "help")],
        Some(
            "For every reading of K1 (idle noise on resources in RSP&V) × K4 (circuit \
             generator) × K2 (check kind) × K3 (check read-out), the workers compute the \
             paper's points (Fig. 3a: n = 50 to 100 at τ_e = 1; Fig. 3b: τ_e = 1 to 15 at \
             n = 85) with this page's p, t, r and seed, and evaluate Q1–Q5 as the claims panel \
             does. The current reading's row is highlighted.",
        ),
    )?)?;
    let form = el(
        doc,
        "form",
        &[("class", "claim-map-form"), ("id", "claim-map-form")],
        None,
    )?;
    let circuits = input(
        doc,
        &[
            ("type", "number"),
            ("id", "claim-map-circuits"),
            ("min", "2"),
            ("max", "200"),
            ("step", "1"),
            ("value", &PAPER_STATISTICS.0.to_string()),
        ],
    )?;
    let shots = input(
        doc,
        &[
            ("type", "number"),
            ("id", "claim-map-shots"),
            ("min", "1"),
            ("max", "10000"),
            ("step", "1"),
            ("value", &PAPER_STATISTICS.1.to_string()),
        ],
    )?;
    let larger_t = input(doc, &[("type", "checkbox"), ("id", "claim-map-larger-t")])?;
    let lc = el(doc, "label", &[], Some("circuits "))?;
    lc.append_child(&circuits)?;
    let ls = el(doc, "label", &[], Some("× samples "))?;
    ls.append_child(&shots)?;
    let lt = el(doc, "label", &[], None)?;
    lt.append_child(&larger_t)?;
    lt.append_with_str_1(" add larger t (t = 3 to 6 at n = 100, for Q5)")?;
    let run_button = el(
        doc,
        "button",
        &[("type", "submit"), ("id", "claim-map-run")],
        Some("Compute the claim map"),
    )?;
    let cancel = el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("id", "claim-map-cancel"),
            ("disabled", ""),
        ],
        Some("Cancel"),
    )?;
    for e in [&lc, &ls, &lt, &run_button, &cancel] {
        form.append_child(e)?;
    }
    root.append_child(&form)?;
    let error = el(
        doc,
        "p",
        &[
            ("class", "error"),
            ("id", "claim-map-error"),
            ("role", "alert"),
        ],
        None,
    )?;
    error.set_attribute("hidden", "")?;
    root.append_child(&error)?;
    let status = el(
        doc,
        "p",
        &[("class", "status"), ("id", "claim-map-status")],
        Some("Not computed yet: about 0.5 s of work per reading per worker at 20 × 200."),
    )?;
    root.append_child(&status)?;
    let track = el(
        doc,
        "div",
        &[
            ("class", "progress"),
            ("role", "progressbar"),
            ("aria-label", "Progress of the claim map"),
        ],
        None,
    )?;
    let bar = el(doc, "div", &[("class", "progress-bar")], None)?;
    track.append_child(&bar)?;
    root.append_child(&track)?;
    // Scrolls sideways on narrow screens: focusable, so the keyboard can scroll it too.
    let scroll = el(
        doc,
        "div",
        &[
            ("class", "claim-map-scroll"),
            ("tabindex", "0"),
            ("role", "region"),
            ("aria-label", "Claim map table"),
        ],
        None,
    )?;
    let table = el(doc, "table", &[("id", "claim-map-table")], None)?;
    table.append_child(&*el(
        doc,
        "caption",
        &[],
        Some("Verdicts of Q1–Q5 per reading (✓ holds, ✗ fails, ? not resolved, – not shown)"),
    )?)?;
    let thead = el(doc, "thead", &[], None)?;
    let tr = el(doc, "tr", &[], None)?;
    for h in [
        "K1 idle on resources",
        "K4 circuits",
        "K2 checks",
        "K3 read-out",
        "reading",
    ] {
        tr.append_child(&*el(doc, "th", &[("scope", "col")], Some(h))?)?;
    }
    for id in ClaimId::ALL {
        tr.append_child(&*el(
            doc,
            "th",
            &[("scope", "col"), ("title", id.statement())],
            Some(id.id()),
        )?)?;
    }
    thead.append_child(&tr)?;
    table.append_child(&thead)?;
    let table_body = el(doc, "tbody", &[], None)?;
    table.append_child(&table_body)?;
    scroll.append_child(&table)?;
    root.append_child(&scroll)?;
    let exports = el(doc, "div", &[("class", "exports")], None)?;
    exports.append_child(&*el(doc, "span", &[], Some("Export: "))?)?;
    let csv = el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("id", "claim-map-csv"),
            ("disabled", ""),
        ],
        Some("Claim map CSV"),
    )?;
    let json = el(
        doc,
        "button",
        &[
            ("type", "button"),
            ("id", "claim-map-json"),
            ("disabled", ""),
        ],
        Some("Claim map JSON"),
    )?;
    exports.append_child(&csv)?;
    exports.append_child(&json)?;
    let cli = el(doc, "code", &[("class", "claim-map-cli")], None)?;
    exports.append_child(&cli)?;
    root.append_child(&exports)?;
    view.append_child(&root)?;

    let group = pool.group();
    let v = Rc::new(View {
        store: store.clone(),
        pool,
        group,
        root,
        circuits,
        shots,
        larger_t,
        run_button,
        cancel: cancel.clone(),
        csv: csv.clone(),
        json: json.clone(),
        status,
        bar,
        error,
        table_body,
        cli,
        run: RefCell::new(MapRun {
            generation: 0,
            base: Params::default(),
            figures: Figure::PAPER.to_vec(),
            readings: Vec::new(),
            rows: Vec::new(),
            units: Vec::new(),
            unit_total: 0,
            started: 0.0,
            state: "idle",
        }),
    });
    {
        let v = v.clone();
        super::dom::listen(&form, "submit", move |e: web_sys::Event| {
            e.prevent_default();
            v.start();
        })?;
    }
    {
        let v = v.clone();
        on(&cancel, "click", move || v.cancel())?;
    }
    {
        let v = v.clone();
        on(&csv, "click", move || v.export(false))?;
    }
    {
        let v = v.clone();
        on(&json, "click", move || v.export(true))?;
    }
    {
        let v = v.clone();
        store.subscribe(move |_, change| {
            if change.params {
                v.highlight();
            }
        });
    }
    Ok(())
}

impl View {
    fn say_error(&self, text: Option<&str>) {
        match text {
            Some(t) => {
                self.error.set_text_content(Some(t));
                let _ = self.error.remove_attribute("hidden");
            }
            None => {
                self.error.set_text_content(None);
                let _ = self.error.set_attribute("hidden", "");
            }
        }
    }

    /// Reads the statistics and starts one background job per reading.
    fn start(self: &Rc<Self>) {
        let number = |f: &HtmlInputElement, name: &str, max: u32| -> Result<u32, String> {
            let t = f.value();
            match t.trim().parse::<u32>() {
                Ok(v) if (1..=max).contains(&v) => Ok(v),
                _ => Err(format!(
                    "{name} must be a whole number from 1 to {max}, not '{}'",
                    t.trim()
                )),
            }
        };
        let stats = number(&self.circuits, "circuits", 200)
            .and_then(|c| number(&self.shots, "samples", 10_000).map(|s| (c, s)));
        let (circuits, shots) = match stats {
            Ok(s) => s,
            Err(e) => {
                self.say_error(Some(&format!("Not started: {e}.")));
                return;
            }
        };
        let base = base_params(&self.store.get(), circuits, shots);
        if let Err(e) = base.validate() {
            self.say_error(Some(&format!("Not started: {e}.")));
            return;
        }
        self.say_error(None);
        if let Err(e) = self.pool.cancel_group(self.group) {
            web_sys::console::warn_2(&"cannot cancel the claim map".into(), &e);
        }
        let mut figures = Figure::PAPER.to_vec();
        if self.larger_t.checked() {
            figures.push(Figure::LargerT);
        }
        let readings = KnobGrid::default().readings(&base.knobs);
        let per = reading_work(&figures, circuits);
        let generation = {
            let mut run = self.run.borrow_mut();
            run.generation += 1;
            run.base = base;
            run.figures = figures.clone();
            run.rows = vec![None; readings.len()];
            run.units = vec![0; readings.len()];
            run.unit_total = per.saturating_mul(readings.len() as u32);
            run.readings = readings.clone();
            run.started = now_ms();
            run.state = "running";
            run.generation
        };
        self.build_rows();
        for (i, knobs) in readings.iter().enumerate() {
            let job = Job::ClaimMap {
                params: Params {
                    knobs: *knobs,
                    ..base
                },
                figures: figures.clone(),
            };
            let weak = Rc::downgrade(self);
            let callback: Callback = Rc::new(RefCell::new(move |o: Outcome| {
                if let Some(v) = weak.upgrade() {
                    v.on_outcome(generation, i, o);
                }
            }));
            self.pool.submit_background(self.group, job, callback);
        }
        self.cli.set_text_content(Some(&cli_line(&base, &figures)));
        announce(&format!(
            "Claim map started: {} readings at {circuits} circuits × {shots} samples.",
            readings.len()
        ));
        self.update();
    }

    fn cancel(&self) {
        if self.run.borrow().state != "running" {
            return;
        }
        if let Err(e) = self.pool.cancel_group(self.group) {
            web_sys::console::warn_2(&"cannot cancel the claim map".into(), &e);
        }
        {
            let mut run = self.run.borrow_mut();
            run.state = "cancelled";
            run.generation += 1;
        }
        announce("Claim map cancelled.");
        self.update();
    }

    fn on_outcome(&self, generation: u64, i: usize, outcome: Outcome) {
        {
            let mut run = self.run.borrow_mut();
            if run.generation != generation {
                return;
            }
            match outcome {
                Outcome::Progress { circuits_done, .. } => {
                    run.units[i] = circuits_done;
                }
                Outcome::ClaimRow { json } => {
                    let done = run.units.len();
                    run.units[i] = run.unit_total / done.max(1) as u32;
                    run.rows[i] = Some(json);
                    if run.rows.iter().all(Option::is_some) {
                        run.state = "done";
                        let ms = now_ms() - run.started;
                        let _ = self.root.set_attribute("data-ms", &format!("{ms:.0}"));
                    }
                }
                Outcome::Error { message } => {
                    run.state = "error";
                    run.generation += 1;
                    drop(run);
                    let _ = self.pool.cancel_group(self.group);
                    self.say_error(Some(&format!("The claim map failed: {message}")));
                    self.update();
                    return;
                }
                _ => return,
            }
        }
        self.fill_row(i);
        self.update();
    }

    /// One row per reading (verdict cells empty until computed).
    fn build_rows(&self) {
        let Ok(doc) = super::dom::document() else {
            return;
        };
        self.table_body.set_text_content(None);
        let run = self.run.borrow();
        for (i, k) in run.readings.iter().enumerate() {
            let Ok(tr) = el(&doc, "tr", &[("data-reading-index", &i.to_string())], None) else {
                continue;
            };
            let reading = Reading::of(k);
            let cells = [
                if k.idle_on_resource_during_rspv {
                    "on"
                } else {
                    "off"
                }
                .to_string(),
                serde_name(&k.circuit_generator),
                serde_name(&k.check_kind),
                serde_name(&k.check_measurement),
                reading.name.clone(),
            ];
            for (j, c) in cells.iter().enumerate() {
                let tag = if j == 4 { "th" } else { "td" };
                let attrs: &[(&str, &str)] = if j == 4 { &[("scope", "row")] } else { &[] };
                if let Ok(td) = el(&doc, tag, attrs, Some(c)) {
                    let _ = tr.append_child(&td);
                }
            }
            for id in ClaimId::ALL {
                if let Ok(td) = el(
                    &doc,
                    "td",
                    &[("class", "verdict-cell"), ("data-claim", id.id())],
                    Some("…"),
                ) {
                    let _ = tr.append_child(&td);
                }
            }
            let _ = self.table_body.append_child(&tr);
        }
        drop(run);
        self.highlight();
    }

    /// Fills the verdict cells of reading `i` from its row.
    fn fill_row(&self, i: usize) {
        let run = self.run.borrow();
        let Some(Some(text)) = run.rows.get(i) else {
            return;
        };
        let row = match ClaimRow::from_row_json(text) {
            Ok(r) => r,
            Err(e) => {
                self.say_error(Some(&format!("Unreadable claim-map row: {e}")));
                return;
            }
        };
        let Ok(Some(tr)) = self
            .table_body
            .query_selector(&format!("tr[data-reading-index=\"{i}\"]"))
        else {
            return;
        };
        for id in ClaimId::ALL {
            let v: Verdict = row.verdict(id);
            let Ok(Some(td)) = tr.query_selector(&format!("td[data-claim=\"{}\"]", id.id())) else {
                continue;
            };
            let (icon, word) = verdict_mark(v);
            let _ = td.set_attribute("data-verdict", v.id());
            td.set_text_content(None);
            if let Ok(doc) = super::dom::document() {
                if let Ok(badge) = el(
                    &doc,
                    "span",
                    &[("class", "verdict"), ("data-verdict", v.id())],
                    None,
                ) {
                    if let Ok(ic) = el(
                        &doc,
                        "span",
                        &[("class", "verdict-icon"), ("aria-hidden", "true")],
                        Some(icon),
                    ) {
                        let _ = badge.append_child(&ic);
                    }
                    let _ = badge.append_with_str_1(&format!(" {word}"));
                    let _ = td.append_child(&badge);
                }
            }
            if let Some(c) = row.claims.iter().find(|c| c.claim == id) {
                let _ = td.set_attribute("title", &c.evidence.reason);
            }
        }
    }

    /// Marks the row of the page's current reading.
    fn highlight(&self) {
        let run = self.run.borrow();
        let current = current_reading(&run.readings, &self.store.get().knobs);
        let Ok(rows) = self.table_body.query_selector_all("tr") else {
            return;
        };
        for j in 0..rows.length() {
            let Some(tr) = rows.item(j).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            if Some(j as usize) == current {
                let _ = tr.set_attribute("data-current", "true");
                let _ = tr.set_attribute("aria-current", "true");
            } else {
                let _ = tr.remove_attribute("data-current");
                let _ = tr.remove_attribute("aria-current");
            }
        }
    }

    fn update(&self) {
        let run = self.run.borrow();
        let done = run.rows.iter().filter(|r| r.is_some()).count();
        let total = run.rows.len();
        let _ = self.root.set_attribute("data-state", run.state);
        let _ = self.root.set_attribute("data-done", &done.to_string());
        let _ = self.root.set_attribute("data-total", &total.to_string());
        let units: u32 = run.units.iter().sum();
        let frac = if run.state == "done" {
            1.0
        } else if run.unit_total > 0 {
            (f64::from(units) / f64::from(run.unit_total)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let _ = self
            .bar
            .unchecked_ref::<web_sys::HtmlElement>()
            .style()
            .set_property("width", &format!("{:.1}%", 100.0 * frac));
        let secs = (now_ms() - run.started) / 1000.0;
        let stats = format!(
            "{} circuits × {} samples",
            run.base.circuits, run.base.shots
        );
        let text = match run.state {
            "running" => format!(
                "Computing: {done} of {total} readings ({:.0}%), {stats}, {secs:.1} s so far…",
                100.0 * frac
            ),
            "done" if run.base.circuits < crate::claims::map::SMALL_SAMPLE_CIRCUITS => format!(
                "Done: {total} readings at {stats} in {secs:.1} s. Caution: with fewer than {} \
                 circuits the standard errors are rough, so these verdicts can flip at the \
                 paper's 20 × 200; use 20 circuits before reading them as the paper's.",
                crate::claims::map::SMALL_SAMPLE_CIRCUITS
            ),
            "done" => format!("Done: {total} readings at {stats} in {secs:.1} s."),
            "cancelled" => format!("Cancelled after {done} of {total} readings."),
            "error" => "Stopped by an error.".to_string(),
            _ => String::new(),
        };
        self.status.set_text_content(Some(&text));
        let running = run.state == "running";
        let finished = run.state == "done";
        let set = |e: &Element, on: bool| {
            let _ = if on {
                e.remove_attribute("disabled")
            } else {
                e.set_attribute("disabled", "")
            };
        };
        set(&self.cancel, running);
        set(&self.csv, finished);
        set(&self.json, finished);
        self.run_button.set_text_content(Some(if running {
            "Restart the claim map"
        } else {
            "Compute the claim map"
        }));
        if finished
            && self.root.get_attribute("data-announced").as_deref()
                != Some(&run.generation.to_string())
        {
            let _ = self
                .root
                .set_attribute("data-announced", &run.generation.to_string());
            announce(&text);
        }
    }

    fn export(&self, json: bool) {
        let run = self.run.borrow();
        if run.state != "done" {
            return;
        }
        let rows: Vec<String> = run.rows.iter().flatten().cloned().collect();
        let result = if json {
            download_text(
                "clinr-claims.json",
                "application/json",
                &map_json_from_rows(&run.base, &run.figures, &rows),
            )
        } else {
            match map_csv_from_rows(&run.base, &run.figures, &rows) {
                Ok(csv) => download_text("clinr-claims.csv", "text/csv", &csv),
                Err(e) => Err(JsValue::from_str(&e)),
            }
        };
        if let Err(e) = result {
            self.say_error(Some(&format!("Export failed: {e:?}")));
        }
    }
}

/// The `clinr claims` command that prints the same map (when every knob outside the grid is at
/// its default; otherwise says which knobs the CLI cannot set).
fn cli_line(base: &Params, figures: &[Figure]) -> String {
    let grid = [
        "idle_on_resource_during_rspv",
        "circuit_generator",
        "check_kind",
        "check_measurement",
    ];
    let others: Vec<String> = base
        .knobs
        .non_default()
        .into_iter()
        .filter(|(k, _)| !grid.contains(&k.as_str()))
        .map(|(k, v)| format!("{k} = {v}"))
        .collect();
    let figs: Vec<&str> = figures.iter().map(|f| f.id()).collect();
    let cmd = format!(
        "clinr claims --circuits {} --shots {} --seed {} --p {} --t {} --r {} --figures {} --format json",
        base.circuits,
        base.shots,
        base.seed,
        format_value(base.p),
        base.t,
        base.r,
        figs.join(",")
    );
    if others.is_empty() {
        format!("Same as: {cmd}")
    } else {
        format!(
            "Like {cmd}, with {} (knobs the CLI's claim map keeps at their defaults)",
            others.join(", ")
        )
    }
}
