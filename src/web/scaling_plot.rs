//! The scaling view (issue 14 item 4), shown under the plots when their x axis is t: for each
//! t, the fewest Bell-pair generators per link k for which no sampled run waits for pairs
//! (measured in the workers on the plotted points' own samples, `jobs::Job::MinLinks`), drawn
//! beside c·t/ln t fitted to the points and the Prop. 2 prediction (Eq. 8 solved for k); and
//! the depth of monolithic and distributed CliNR against t with Eqs. 6–7 (`view::scaling`).
//! Each chart has a data table ("Show … as a table").
//!
//! Hooks: `<section id="scaling" data-state="hidden|computing|done">` with `data-min-links` (a
//! JSON list of `{"t", "k"}`, k null when no k ≤ n suffices) and `data-fit-c`.

use std::rc::Rc;

use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlCanvasElement};

use crate::view::panels::scaling_tables;
use crate::view::plot_data::XAxis;
use crate::view::scaling::{scaling, Scaling, ScalingInput};

use super::chart::{
    draw_legend, draw_title, fit_canvas, legend_line, legend_sample, marker, series_colour,
    LegendRow, TableView, Ticked,
};
use super::dom::el;
use super::plots::Plots;

struct View {
    root: Element,
    summary: Element,
    links: HtmlCanvasElement,
    depth: HtmlCanvasElement,
    links_table: TableView,
    depth_table: TableView,
}

/// Builds `<section id="scaling">` in the plots' slot and follows the plots.
pub fn mount(doc: &Document, plots: Rc<Plots>) -> Result<(), JsValue> {
    let root = el(
        doc,
        "section",
        &[
            ("id", "scaling"),
            ("class", "scaling-view"),
            ("aria-labelledby", "scaling-title"),
            ("data-state", "hidden"),
            ("hidden", ""),
        ],
        None,
    )?;
    root.append_child(&*el(
        doc,
        "h3",
        &[("id", "scaling-title")],
        Some("Scaling with t: links per connection and depth (paper §V, Prop. 2)"),
    )?)?;
    let summary = el(doc, "p", &[("class", "help scaling-summary")], None)?;
    root.append_child(&summary)?;
    let grid = el(doc, "div", &[("class", "plot-grid")], None)?;
    let mut canvases = Vec::new();
    let mut tables = Vec::new();
    for (id, aria, what) in [
        (
            "scaling-links",
            "Bell-pair generators per link needed against t (the table has the numbers)",
            "links needed",
        ),
        (
            "scaling-depth",
            "Depth against t with Eqs. 6–7 (the table has the numbers)",
            "depth against t",
        ),
    ] {
        let wrap = el(doc, "div", &[("class", "plot-wrap")], None)?;
        let canvas = el(
            doc,
            "canvas",
            &[("id", id), ("role", "img"), ("aria-label", aria)],
            None,
        )?
        .dyn_into::<HtmlCanvasElement>()?;
        let table = TableView::new(doc, id, what)?;
        wrap.append_child(&canvas)?;
        wrap.append_child(&table.toggle)?;
        wrap.append_child(&table.wrap)?;
        grid.append_child(&wrap)?;
        canvases.push(canvas);
        tables.push(table);
    }
    root.append_child(&grid)?;
    plots.slot().append_child(&root)?;
    let [links, depth]: [HtmlCanvasElement; 2] = canvases.try_into().map_err(|_| "two canvases")?;
    let [links_table, depth_table]: [TableView; 2] = tables.try_into().map_err(|_| "two tables")?;
    let view = Rc::new(View {
        root,
        summary,
        links,
        depth,
        links_table,
        depth_table,
    });
    {
        let view = view.clone();
        plots.subscribe(move |p| {
            if let Err(e) = update(&view, p) {
                web_sys::console::warn_2(&"scaling view not drawn".into(), &e);
            }
        });
    }
    update(&view, &plots)
}

fn update(v: &View, plots: &Plots) -> Result<(), JsValue> {
    if plots.axis() != XAxis::T {
        if v.root.get_attribute("data-state").as_deref() != Some("hidden") {
            v.root.set_attribute("hidden", "")?;
            v.root.set_attribute("data-state", "hidden")?;
        }
        return Ok(());
    }
    v.root.remove_attribute("hidden")?;
    let points = plots.points();
    let inputs: Vec<ScalingInput> = points
        .iter()
        .filter(|p| p.report.params.t >= 1)
        .map(|p| {
            ScalingInput::of(
                &p.report,
                p.min_links.as_ref().and_then(|m| m.min_parallel_links),
            )
        })
        .collect();
    let s = scaling(&inputs);
    v.root.set_attribute(
        "data-state",
        if plots.is_final() {
            "done"
        } else {
            "computing"
        },
    )?;
    let list: Vec<serde_json::Value> = s
        .rows
        .iter()
        .map(|r| serde_json::json!({ "t": r.t, "k": r.min_parallel_links }))
        .collect();
    v.root.set_attribute(
        "data-min-links",
        &serde_json::Value::Array(list).to_string(),
    )?;
    match s.fit_c {
        Some(c) => v.root.set_attribute("data-fit-c", &format!("{c:.4}"))?,
        None => v.root.remove_attribute("data-fit-c")?,
    }
    let p = plots.params();
    let ks: Vec<String> = s
        .rows
        .iter()
        .map(|r| {
            format!(
                "t = {}: {}",
                r.t,
                r.min_parallel_links
                    .map_or("none ≤ n".to_string(), |k| k.to_string())
            )
        })
        .collect();
    v.summary.set_text_content(Some(&format!(
        "At n = {}, τ_e = {}, {} circuits × {} samples per point: the fewest Bell-pair generators \
         per link for which no sampled run waits for pairs — {}{}. The paper's Prop. 2 \
         (uniform model) bounds the mean depth, not the worst run, so it predicts fewer. \
         A run's wait is Σ (E − S − 4) over its injections (README, Scaling).",
        p.n,
        crate::view::plot_data::format_value(p.tau_e),
        p.circuits,
        p.shots,
        if ks.is_empty() {
            "computing…".to_string()
        } else {
            ks.join(", ")
        },
        s.fit_c
            .map_or(String::new(), |c| format!("; fit k ≈ {c:.3}·t/ln t")),
    )));
    let (lt, dt) = scaling_tables(&s);
    v.links_table.fill(&lt)?;
    v.depth_table.fill(&dt)?;
    draw_links(&v.links, &s).map_err(|e| JsValue::from_str(&e))?;
    draw_depth(&v.depth, &s).map_err(|e| JsValue::from_str(&e))?;
    Ok(())
}

fn x_range(s: &Scaling) -> (f64, f64) {
    let lo = s
        .rows
        .iter()
        .map(|r| f64::from(r.t))
        .fold(f64::INFINITY, f64::min);
    let hi = s
        .rows
        .iter()
        .map(|r| f64::from(r.t))
        .fold(f64::NEG_INFINITY, f64::max);
    if lo.is_finite() && hi > lo {
        (lo.max(1.0), hi)
    } else {
        (2.0, 32.0)
    }
}

/// t on a log axis (2 … 64 spans decades).
fn u(t: f64) -> f64 {
    t.max(1.0).log2()
}

/// Ticks at t = 1, 2, 4, …, 64 inside [x0, x1] (log₂ units).
fn t_ticks(x0: f64, x1: f64) -> Vec<f64> {
    (0..=6)
        .map(f64::from)
        .filter(|&v| v >= x0 && v <= x1)
        .collect()
}

fn draw_links(canvas: &HtmlCanvasElement, s: &Scaling) -> Result<(), String> {
    let d = super::dom::device_pixel_ratio();
    // Text follows the page's text size (`dom::text_scale`), as on the plots above.
    let ts = super::dom::text_scale();
    let dt = d * ts;
    fit_canvas(canvas, d);
    let ctx = super::dom::context_2d(canvas).map_err(|e| format!("{e:?}"))?;
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    let px = |v: f64| (v * d).round() as u32;
    let font = |v: f64| ("sans-serif", v * dt);
    let mut legend = Vec::new();
    let (t0, t1) = x_range(s);
    let (x0, x1) = (u(t0) - 0.15, u(t1) + 0.15);
    let mut hi: f64 = 2.0;
    for r in &s.rows {
        if let Some(k) = r.min_parallel_links {
            hi = hi.max(f64::from(k));
        }
        if r.prop2_min_parallel_links.is_finite() {
            hi = hi.max(r.prop2_min_parallel_links);
        }
        if let Some(f) = r.fitted_c_t_over_ln_t {
            hi = hi.max(f);
        }
    }
    let y1 = (hi * 1.45).ceil();
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let top = draw_title(
        &root,
        "Bell-pair generators per link so that no run waits",
        14.0 * dt,
        8.0 * d,
    )?;
    let mut ch = ChartBuilder::on(&root)
        .margin(px(10.0))
        .margin_top(top)
        .x_label_area_size(px(40.0 * ts))
        .y_label_area_size(px(48.0 * ts))
        .build_cartesian_2d(Ticked::new(x0..x1, t_ticks(x0, x1)), 0.0..y1)
        .map_err(|e| err(&e))?;
    let x_fmt = |v: &f64| format!("{:.0}", 2f64.powf(*v));
    ch.configure_mesh()
        .x_desc("t (blocks; log scale)")
        .y_desc("k (generators per link)")
        .x_label_formatter(&x_fmt)
        .x_labels(16)
        .y_labels(6)
        .label_style(font(12.0))
        .axis_desc_style(font(13.0))
        .light_line_style(RGBColor(238, 240, 244))
        .bold_line_style(RGBColor(222, 226, 232))
        .draw()
        .map_err(|e| err(&e))?;
    let dist = series_colour(2);
    let measured: Vec<(f64, f64)> = s
        .rows
        .iter()
        .filter_map(|r| {
            r.min_parallel_links
                .map(|k| (u(f64::from(r.t)), f64::from(k)))
        })
        .collect();
    ch.draw_series(LineSeries::new(
        measured.clone(),
        dist.stroke_width(px(2.0)),
    ))
    .map_err(|e| err(&e))?;
    legend.push(LegendRow::new(
        "measured: fewest k with no waiting run",
        move |at| legend_sample(2, at, dist, d),
    ));
    ch.draw_series(
        measured
            .iter()
            .map(|&p| marker(2, p, px(4.0) as i32, dist.filled())),
    )
    .map_err(|e| err(&e))?;
    if let Some(c) = s.fit_c {
        let ink = RGBColor(29, 36, 48);
        let steps = 60;
        let curve: Vec<(f64, f64)> = (0..=steps)
            .map(|i| {
                let t = 2f64.powf(
                    u(t0.max(2.0)) + (u(t1) - u(t0.max(2.0))) * f64::from(i) / f64::from(steps),
                );
                (u(t), c * t / t.ln())
            })
            .collect();
        ch.draw_series(DashedLineSeries::new(
            curve,
            px(6.0),
            px(4.0),
            ink.stroke_width(px(2.0)),
        ))
        .map_err(|e| err(&e))?;
        legend.push(LegendRow::new(
            format!("fit c·t/ln t, c = {c:.3}"),
            move |at| legend_line(at, ink, Some((6.0, 4.0)), d),
        ));
    }
    let mono = series_colour(1);
    let prop2: Vec<(f64, f64)> = s
        .rows
        .iter()
        .filter(|r| r.prop2_min_parallel_links.is_finite())
        .map(|r| (u(f64::from(r.t)), r.prop2_min_parallel_links))
        .collect();
    ch.draw_series(DashedLineSeries::new(
        prop2.clone(),
        px(2.0),
        px(4.0),
        mono.stroke_width(px(2.0)),
    ))
    .map_err(|e| err(&e))?;
    legend.push(LegendRow::new(
        "Prop. 2: Eq. 8 solved for k (mean depth, uniform model)",
        move |at| legend_line(at, mono, Some((2.0, 4.0)), d),
    ));
    ch.draw_series(
        prop2
            .iter()
            .map(|&p| marker(1, p, px(3.5) as i32, mono.filled())),
    )
    .map_err(|e| err(&e))?;
    let (bx, by) = ch.plotting_area().get_base_pixel();
    let inset = (5.0 * d).round() as i32;
    draw_legend(&root, &ctx, (bx + inset, by + inset), &legend, 12.0 * dt, d)?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}

fn draw_depth(canvas: &HtmlCanvasElement, s: &Scaling) -> Result<(), String> {
    let d = super::dom::device_pixel_ratio();
    // Text follows the page's text size (`dom::text_scale`), as on the plots above.
    let ts = super::dom::text_scale();
    let dt = d * ts;
    fit_canvas(canvas, d);
    let ctx = super::dom::context_2d(canvas).map_err(|e| format!("{e:?}"))?;
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    let px = |v: f64| (v * d).round() as u32;
    let font = |v: f64| ("sans-serif", v * dt);
    let mut legend = Vec::new();
    let (t0, t1) = x_range(s);
    let (x0, x1) = (u(t0) - 0.15, u(t1) + 0.15);
    let mut hi: f64 = 1.0;
    for r in &s.rows {
        for v in [
            r.monolithic_depth,
            r.distributed_depth,
            r.eq6_monolithic_depth,
            r.eq7_distributed_depth_bound,
        ] {
            if v.is_finite() {
                hi = hi.max(v);
            }
        }
    }
    let y1 = hi * 1.5;
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or("no canvas backend")?;
    let root = backend.into_drawing_area();
    root.fill(&WHITE).map_err(|e| err(&e))?;
    let top = draw_title(
        &root,
        "Depth against t, measured and Eqs. 6–7",
        14.0 * dt,
        8.0 * d,
    )?;
    let mut ch = ChartBuilder::on(&root)
        .margin(px(10.0))
        .margin_top(top)
        .x_label_area_size(px(40.0 * ts))
        .y_label_area_size(px(64.0 * ts))
        .build_cartesian_2d(Ticked::new(x0..x1, t_ticks(x0, x1)), 0.0..y1)
        .map_err(|e| err(&e))?;
    let x_fmt = |v: &f64| format!("{:.0}", 2f64.powf(*v));
    let y_fmt = |v: &f64| format!("{v:.0}");
    ch.configure_mesh()
        .x_desc("t (blocks; log scale)")
        .y_desc("depth (layers)")
        .x_label_formatter(&x_fmt)
        .y_label_formatter(&y_fmt)
        .x_labels(16)
        .y_labels(6)
        .label_style(font(12.0))
        .axis_desc_style(font(13.0))
        .light_line_style(RGBColor(238, 240, 244))
        .bold_line_style(RGBColor(222, 226, 232))
        .draw()
        .map_err(|e| err(&e))?;
    let rows: Vec<_> = s.rows.iter().collect();
    for (sidx, label, measured, eq, eq_label) in [
        (
            2usize,
            "distributed (measured)",
            (|r: &crate::view::scaling::ScalingRow| r.distributed_depth) as fn(&_) -> f64,
            (|r: &crate::view::scaling::ScalingRow| r.eq7_distributed_depth_bound) as fn(&_) -> f64,
            "Eq. 7 bound (distributed)",
        ),
        (
            1usize,
            "monolithic (measured)",
            |r: &crate::view::scaling::ScalingRow| r.monolithic_depth,
            |r: &crate::view::scaling::ScalingRow| r.eq6_monolithic_depth,
            "Eq. 6 (monolithic)",
        ),
    ] {
        let c = series_colour(sidx);
        let pts: Vec<(f64, f64)> = rows
            .iter()
            .map(|r| (u(f64::from(r.t)), measured(r)))
            .filter(|p| p.1.is_finite())
            .collect();
        ch.draw_series(LineSeries::new(pts.clone(), c.stroke_width(px(2.0))))
            .map_err(|e| err(&e))?;
        legend.push(LegendRow::new(label, move |at| {
            legend_sample(sidx, at, c, d)
        }));
        ch.draw_series(
            pts.iter()
                .map(|&p| marker(sidx, p, px(4.0) as i32, c.filled())),
        )
        .map_err(|e| err(&e))?;
        let eqs: Vec<(f64, f64)> = rows
            .iter()
            .map(|r| (u(f64::from(r.t)), eq(r)))
            .filter(|p| p.1.is_finite())
            .collect();
        let faint = c.mix(0.8);
        ch.draw_series(DashedLineSeries::new(
            eqs,
            px(7.0),
            px(4.0),
            faint.stroke_width(px(1.5)),
        ))
        .map_err(|e| err(&e))?;
        legend.push(LegendRow::new(eq_label, move |at| {
            legend_line(at, c, Some((7.0, 4.0)), d)
        }));
    }
    let (bx, by) = ch.plotting_area().get_base_pixel();
    let inset = (5.0 * d).round() as i32;
    draw_legend(&root, &ctx, (bx + inset, by + inset), &legend, 12.0 * dt, d)?;
    root.present().map_err(|e| err(&e))?;
    Ok(())
}
