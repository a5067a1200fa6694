//! The claims panel (issue 12 item 2): the paper's claims Q1–Q5 (protocol.md §14) in plain
//! words with the paper's setting, evaluated live on the data the plots hold
//! ([`claims::evaluate`] over the plotted points as they refine): holds / fails / not resolved
//! at this precision / not shown, with the numbers behind the verdict (each point's means and
//! the paired differences ± standard errors over circuits). A claim whose setting is not on
//! screen names the preset that shows it and offers the click.
//!
//! **Plots computed earlier.** The panel remembers the last finished plot of each x axis; while
//! every parameter but the four axis parameters (n, τ_e, p, t) is unchanged — same reading,
//! statistics, seed, r — a claim whose setting is on another axis is evaluated on that
//! remembered plot and says so ("from the n plot computed earlier"). So "Paper Fig. 3a" then
//! "Paper Fig. 3b" shows Q1–Q4 together; any change of the reading or the statistics forgets
//! them.
//!
//! Verdicts are colour-blind safe: an icon and a word (✓ holds, ✗ fails, ? not resolved,
//! – not shown) with a border pattern, never colour alone (`www/panels.css`).
//!
//! Hooks: `#claims[data-state="waiting|provisional|final"]` (final once every plotted point
//! has the requested statistics), `#claims [data-claim="Q1"][data-verdict="holds|fails|
//! unresolved|not-shown"]`, the "show it" buttons `[data-preset="fig3b"]`. **Compact variant**
//! (presentation mode): add the class `compact` to `#claims` to show one line of verdicts.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use crate::claims::{self, ClaimResult, Series, Verdict};
use crate::estimate::Report;
use crate::protocol::params::Params;
use crate::view::panels::{claims_sentence, verdict_mark};
use crate::view::plot_data::XAxis;
use crate::view::plot_data::{format_value, Preset};

use super::dom::{el, on};
use super::plots::Plots;
use super::presets::Presets;

/// A finished plot: its axis, the parameters around which it was computed, its points.
struct Remembered {
    axis: XAxis,
    params: Params,
    points: Vec<(f64, Rc<Report>)>,
}

/// `p` with the four axis parameters set to fixed values (for comparing the rest).
fn without_axes(p: &Params) -> Params {
    Params {
        n: 0,
        s: None,
        tau_e: 0.0,
        p: 0.0,
        t: 0,
        ..*p
    }
}

struct Panel {
    root: Element,
    memory: RefCell<Vec<Remembered>>,
    status: Element,
    list: Element,
    /// The last rendering's key (verdicts and numbers): the DOM is rebuilt only when it changes,
    /// so an open "numbers" section stays open while nothing changes.
    last: RefCell<String>,
}

impl Panel {
    /// Remembers the plots' data once final (replacing the plot of the same axis).
    fn remember(&self, plots: &Plots) {
        if !plots.is_final() {
            return;
        }
        let axis = plots.axis();
        let mut memory = self.memory.borrow_mut();
        memory.retain(|m| m.axis != axis);
        memory.push(Remembered {
            axis,
            params: plots.params(),
            points: plots
                .points()
                .into_iter()
                .map(|p| (p.x, p.report))
                .collect(),
        });
    }

    /// The claims on the plots' data, and on remembered plots of other axes computed with the
    /// same parameters apart from n, τ_e, p and t.
    fn evaluate(&self, plots: &Plots) -> Vec<ClaimResult> {
        let points = plots.points();
        let axis = plots.axis();
        let here = without_axes(&plots.params());
        let memory = self.memory.borrow();
        let mut series = vec![Series::new(
            axis,
            points.iter().map(|p| (p.x, p.report.as_ref())),
        )];
        for m in memory
            .iter()
            .filter(|m| m.axis != axis && without_axes(&m.params) == here)
        {
            series.push(Series::new(
                m.axis,
                m.points.iter().map(|(x, r)| (*x, r.as_ref())),
            ));
        }
        claims::evaluate(&series)
    }
}

/// Builds `<section id="claims">` after the plots in the main view and follows the plots.
pub fn mount(doc: &Document, plots: Rc<Plots>, presets: Rc<Presets>) -> Result<(), JsValue> {
    let view = doc.get_element_by_id("view").ok_or("no #view")?;
    let root = el(
        doc,
        "section",
        &[
            ("id", "claims"),
            ("class", "panel claims-panel"),
            ("aria-labelledby", "claims-title"),
            ("data-state", "waiting"),
        ],
        None,
    )?;
    root.append_child(&*el(
        doc,
        "h2",
        &[("id", "claims-title")],
        Some("The paper's claims on these plots"),
    )?)?;
    let status = el(doc, "p", &[("class", "status claims-status")], None)?;
    root.append_child(&status)?;
    let list = el(doc, "ol", &[("class", "claims-list")], None)?;
    root.append_child(&list)?;
    root.append_child(&*el(
        doc,
        "p",
        &[("class", "help claims-rule")],
        Some(
            "Each comparison is a paired difference over circuits (all three implementations run \
             on the same circuits), mean ± standard error: it holds beyond 2 standard errors in \
             the claimed direction, fails beyond 2 the other way, otherwise it is not resolved \
             at this precision. A claim holds when it holds at every point of its setting and \
             fails when it fails at one.",
        ),
    )?)?;
    // Right after the plots panel.
    match doc.get_element_by_id("plots") {
        Some(p) => p.after_with_node_1(&root)?,
        None => {
            view.append_child(&root)?;
        }
    }
    let panel = Rc::new(Panel {
        root,
        memory: RefCell::new(Vec::new()),
        status,
        list,
        last: RefCell::new(String::new()),
    });
    {
        let panel = panel.clone();
        let presets = presets.clone();
        plots.subscribe(move |p| {
            if let Err(e) = render(&panel, p, &presets) {
                web_sys::console::warn_2(&"claims panel not updated".into(), &e);
            }
        });
    }
    {
        let panel = panel.clone();
        plots.add_summary(move |p| Some(claims_sentence(&panel.evaluate(p))));
    }
    render(&panel, &plots, &presets)?;
    Ok(())
}

fn render(panel: &Panel, plots: &Plots, presets: &Rc<Presets>) -> Result<(), JsValue> {
    let doc = super::dom::document()?;
    let points = plots.points();
    panel.remember(plots);
    let results = panel.evaluate(plots);
    let axis = plots.axis();
    let state = if points.is_empty() {
        "waiting"
    } else if plots.is_final() {
        "final"
    } else {
        "provisional"
    };
    let key = format!(
        "{state}|{}",
        serde_json::to_string(&claims::verdicts_json(&results)).unwrap_or_default()
    );
    if *panel.last.borrow() == key {
        return Ok(());
    }
    *panel.last.borrow_mut() = key;
    panel.root.set_attribute("data-state", state)?;
    let stats = points
        .iter()
        .map(|p| (p.point.circuits, p.point.shots))
        .min_by_key(|&(c, s)| u64::from(c) * u64::from(s));
    panel.status.set_text_content(Some(&match (state, stats) {
        ("waiting", _) | (_, None) => "Waiting for the first estimates…".to_string(),
        ("final", Some((c, s))) => format!(
            "Evaluated on the {} plotted points ({} axis), {c} circuits × {s} samples each.",
            points.len(),
            plots.axis().name()
        ),
        (_, Some((c, s))) => format!(
            "Provisional: evaluated on {} point(s) so far, some with only {c} circuit(s) × {s} \
             samples; the verdicts firm up as the plots refine.",
            points.len()
        ),
    }));
    // Keep the "numbers" sections the reader opened.
    let mut open = Vec::new();
    if let Ok(list) = panel
        .list
        .query_selector_all("li[data-claim] details[open]")
    {
        for i in 0..list.length() {
            if let Some(id) = list
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<Element>(n).ok())
                .and_then(|d| d.closest("[data-claim]").ok().flatten())
                .and_then(|li| li.get_attribute("data-claim"))
            {
                open.push(id);
            }
        }
    }
    panel.list.set_text_content(None);
    for r in &results {
        let item = claim_item(&doc, r, presets, axis)?;
        if open.iter().any(|id| id == r.claim.id()) {
            if let Some(d) = item.query_selector("details")? {
                d.set_attribute("open", "")?;
            }
        }
        panel.list.append_child(&item)?;
    }
    Ok(())
}

/// One claim: verdict badge, statement, reason, the numbers, and for a claim not on screen the
/// preset that shows it.
fn claim_item(
    doc: &Document,
    r: &ClaimResult,
    presets: &Rc<Presets>,
    shown: XAxis,
) -> Result<Element, JsValue> {
    let (icon, word) = verdict_mark(r.verdict);
    let li = el(
        doc,
        "li",
        &[
            ("class", "claim"),
            ("data-claim", r.claim.id()),
            ("data-verdict", r.verdict.id()),
        ],
        None,
    )?;
    let head = el(doc, "div", &[("class", "claim-head")], None)?;
    head.append_child(&*el(
        doc,
        "span",
        &[("class", "claim-id")],
        Some(r.claim.id()),
    )?)?;
    let badge = el(
        doc,
        "span",
        &[("class", "verdict"), ("data-verdict", r.verdict.id())],
        None,
    )?;
    badge.append_child(&*el(
        doc,
        "span",
        &[("class", "verdict-icon"), ("aria-hidden", "true")],
        Some(icon),
    )?)?;
    badge.append_with_str_1(&format!(" {word}"))?;
    head.append_child(&badge)?;
    head.append_child(&*el(
        doc,
        "span",
        &[("class", "claim-statement")],
        Some(&r.statement),
    )?)?;
    li.append_child(&head)?;
    li.append_child(&*el(
        doc,
        "p",
        &[("class", "claim-reason")],
        Some(&r.evidence.reason),
    )?)?;
    if let Some(a) = r.evidence.axis.filter(|&a| a != shown) {
        li.set_attribute("data-from", a.name())?;
        li.append_child(&*el(
            doc,
            "p",
            &[("class", "claim-from")],
            Some(&format!(
                "From the {} plot computed earlier with the same reading, statistics and seed                  (not the plot on screen now).",
                a.label()
            )),
        )?)?;
    }
    if r.verdict == Verdict::NotShown {
        if let Some(preset) = Preset::parse(&r.preset) {
            let b = el(
                doc,
                "button",
                &[
                    ("type", "button"),
                    ("class", "claim-show"),
                    ("data-preset", preset.id()),
                ],
                Some(&format!("Show it: {}", preset.label())),
            )?;
            let presets = presets.clone();
            on(&b, "click", move || {
                if let Err(e) = presets.apply(preset) {
                    web_sys::console::warn_1(&format!("preset refused: {e}").into());
                }
            })?;
            li.append_child(&b)?;
        }
        return Ok(li);
    }
    if !r.evidence.caveats.is_empty() {
        li.append_child(&*el(
            doc,
            "p",
            &[("class", "claim-caveats")],
            Some(&format!(
                "Differs from the paper's setting: {}.",
                r.evidence.caveats.join("; ")
            )),
        )?)?;
    }
    li.append_child(&*numbers(doc, r)?)?;
    Ok(li)
}

/// The numbers behind a verdict: per point of the setting, the three implementations' means
/// and the comparisons (paired difference ± standard error, outcome); for a trend claim, the
/// comparisons that decide it.
fn numbers(doc: &Document, r: &ClaimResult) -> Result<Element, JsValue> {
    let details = el(doc, "details", &[("class", "claim-numbers")], None)?;
    details.append_child(&*el(doc, "summary", &[], Some("The numbers"))?)?;
    let axis = r.evidence.axis.map_or("x", |a| a.name());
    let table = el(doc, "table", &[], None)?;
    table.append_child(&*el(
        doc,
        "caption",
        &[],
        Some(&format!(
            "{}: means over circuits at each point, and the paired comparisons",
            r.claim.id()
        )),
    )?)?;
    let head = el(doc, "tr", &[], None)?;
    for h in [
        axis,
        "p_L distributed / monolithic / direct",
        "depth distributed / monolithic / direct",
        "comparisons (paired difference ± SE)",
    ] {
        head.append_child(&*el(doc, "th", &[("scope", "col")], Some(h))?)?;
    }
    let thead = el(doc, "thead", &[], None)?;
    thead.append_child(&head)?;
    table.append_child(&thead)?;
    let body = el(doc, "tbody", &[], None)?;
    for p in &r.evidence.points {
        let tr = el(doc, "tr", &[], None)?;
        if let Some(v) = p.verdict {
            tr.set_attribute("data-verdict", v.id())?;
        }
        tr.append_child(&*el(
            doc,
            "th",
            &[("scope", "row")],
            Some(&format_value(p.x)),
        )?)?;
        let m = &p.means;
        tr.append_child(&*el(
            doc,
            "td",
            &[],
            Some(&format!(
                "{:.4} / {:.4} / {:.4}",
                m.distributed.logical_error_rate,
                m.monolithic.logical_error_rate,
                m.direct.logical_error_rate
            )),
        )?)?;
        tr.append_child(&*el(
            doc,
            "td",
            &[],
            Some(&format!(
                "{:.1} / {:.1} / {:.1}",
                m.distributed.depth, m.monolithic.depth, m.direct.depth
            )),
        )?)?;
        let td = el(doc, "td", &[], None)?;
        for c in &p.comparisons {
            td.append_child(&*el(
                doc,
                "div",
                &[("data-outcome", c.outcome.id())],
                Some(&super::format::minus_signs(&c.text)),
            )?)?;
        }
        tr.append_child(&td)?;
        body.append_child(&tr)?;
    }
    table.append_child(&body)?;
    details.append_child(&table)?;
    if !r.evidence.trend.is_empty() {
        let ul = el(doc, "ul", &[("class", "claim-trend")], None)?;
        for c in &r.evidence.trend {
            ul.append_child(&*el(
                doc,
                "li",
                &[("data-outcome", c.outcome.id())],
                Some(&super::format::minus_signs(&c.text)),
            )?)?;
        }
        details.append_child(&ul)?;
    }
    Ok(details)
}
