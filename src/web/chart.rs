//! Helpers shared by the panels that draw charts with plotters (`plots`, `scaling_plot`): the
//! series' colours, markers and dashes (direct ▲ dotted, monolithic ■ dashed, distributed ●
//! solid, from `view::palette::SERIES`), legend samples, the legend box and the title (both
//! measured with the canvas, see [`draw_legend`]), HiDPI canvas sizing, and the data table that
//! stands in for a chart (issue 13 item 5: a "Show as table" toggle reachable by keyboard).
//!
//! Helper layer: depends only on `dom` and `palette`.

use std::ops::Range;

use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, Document, Element, HtmlCanvasElement};

use super::dom::{el, on};
use super::palette::SERIES;
use crate::view::panels::Table;

/// Series index: direct 0, monolithic 1, distributed 2 (the order of `view::palette::SERIES`).
pub fn series_colour(s: usize) -> RGBColor {
    let (r, g, b) = crate::view::palette::rgb(SERIES[s].1);
    RGBColor(r, g, b)
}

/// The colour of a `#rrggbb` string (black when malformed).
pub fn hex(c: &str) -> RGBColor {
    let (r, g, b) = crate::view::palette::rgb(c);
    RGBColor(r, g, b)
}

/// The names of the series, in series order.
pub const NAMES: [&str; 3] = [SERIES[0].0, SERIES[1].0, SERIES[2].0];

/// The marker of series `s` at `at`: direct ▲, monolithic ■, distributed ●.
pub fn marker<C: Clone + 'static>(
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

/// Dash and gap (CSS px) of series `s`'s line: direct dotted, monolithic dashed, distributed
/// solid.
pub fn dash(s: usize) -> Option<(f64, f64)> {
    match s {
        0 => Some((2.0, 4.0)),
        1 => Some((8.0, 5.0)),
        _ => None,
    }
}

/// The legend's sample of series `s`: its line (with its dash) and its marker.
pub fn legend_sample(
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

/// A legend sample for a dashed line of `c` with dash (on, off) in CSS px (solid for None).
pub fn legend_line(
    at: (i32, i32),
    c: RGBColor,
    dash: Option<(f64, f64)>,
    dpr: f64,
) -> DynElement<'static, CanvasBackend, (i32, i32)> {
    let px = |v: f64| (v * dpr).round() as i32;
    let (on, off) = dash.map_or((px(24.0), 0), |(a, b)| (px(a), px(b)));
    (EmptyElement::at(at)
        + DashedPathElement::new(
            vec![(0, 0), (px(24.0), 0)],
            on.max(1),
            off.max(1),
            c.stroke_width(px(2.0) as u32),
        ))
    .into_dyn()
}

/// A linear f64 axis whose grid lines and labels sit at the given `ticks` (round numbers from
/// `view::panels::axis_ticks`, mapped to plot units) instead of plotters' own choice; light
/// grid lines fall halfway between ticks.
pub struct Ticked {
    range: Range<f64>,
    ticks: Vec<f64>,
}

impl Ticked {
    pub fn new(range: Range<f64>, ticks: Vec<f64>) -> Ticked {
        Ticked { range, ticks }
    }
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        let (a, b) = (self.range.start, self.range.end);
        let f = if b > a { (value - a) / (b - a) } else { 0.0 };
        limit.0 + (f * f64::from(limit.1 - limit.0)).round() as i32
    }

    fn key_points<Hint: KeyPointHint>(&self, hint: Hint) -> Vec<f64> {
        if hint.weight().allow_light_points() {
            self.ticks.windows(2).map(|w| (w[0] + w[1]) / 2.0).collect()
        } else {
            self.ticks.clone()
        }
    }

    fn range(&self) -> Range<f64> {
        self.range.clone()
    }
}

/// A legend sample drawn with its left end at a point (device px).
pub type Sample = Box<dyn Fn((i32, i32)) -> DynElement<'static, CanvasBackend, (i32, i32)>>;

/// One row of a legend: its text and its sample ([`legend_sample`], [`legend_line`]).
pub struct LegendRow {
    pub label: String,
    pub sample: Sample,
}

impl LegendRow {
    pub fn new(
        label: impl Into<String>,
        sample: impl Fn((i32, i32)) -> DynElement<'static, CanvasBackend, (i32, i32)> + 'static,
    ) -> LegendRow {
        LegendRow {
            label: label.into(),
            sample: Box::new(sample),
        }
    }
}

/// Width in device px of `text` in the sans-serif font of `font_px` device px, measured by the
/// canvas (no page layout).
pub fn text_width(ctx: &CanvasRenderingContext2d, font_px: f64, text: &str) -> f64 {
    ctx.set_font(&format!("{font_px:.1}px sans-serif"));
    ctx.measure_text(text)
        .map(|m| m.width())
        .unwrap_or(0.6 * font_px * text.chars().count() as f64)
}

/// Draws the legend box of `rows` with its upper-left corner at `at` (device px; the layout of
/// plotters' `SeriesLabelPosition::UpperLeft`: a light box, the sample, then the text).
///
/// Why not plotters' own series labels: plotters measures text in the browser by appending a
/// `<span>` to the page and reading its `offsetHeight`, a whole-page layout per label (twice
/// per legend row). Dragging τ_e spent most of its long main-thread tasks there (issue 13
/// item 9); the canvas measures without a layout. `font_px` and `d` are in device px per CSS
/// px (the type size already scaled by the device pixel ratio and the page's text scale).
pub fn draw_legend(
    root: &DrawingArea<CanvasBackend, Shift>,
    ctx: &CanvasRenderingContext2d,
    at: (i32, i32),
    rows: &[LegendRow],
    font_px: f64,
    d: f64,
) -> Result<(), String> {
    if rows.is_empty() {
        return Ok(());
    }
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    let margin = (8.0 * d).round() as i32;
    let sample_w = (32.0 * d).round() as i32;
    let line = (font_px * 1.3).round() as i32;
    let text_w = rows
        .iter()
        .map(|r| text_width(ctx, font_px, &r.label))
        .fold(0.0, f64::max)
        .ceil() as i32;
    let (x, y) = at;
    let w = margin * 2 + sample_w + text_w;
    let h = margin * 2 + line * rows.len() as i32;
    root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        WHITE.mix(0.85).filled(),
    ))
    .map_err(|e| err(&e))?;
    root.draw(&Rectangle::new(
        [(x, y), (x + w, y + h)],
        RGBColor(200, 205, 214),
    ))
    .map_err(|e| err(&e))?;
    // One row per line inside the box, drawn as the strip's rows are.
    let offsets: Vec<(i32, i32)> = (0..rows.len() as i32)
        .map(|i| (0, line * i + line / 2))
        .collect();
    draw_legend_flow(root, rows, &offsets, (x + margin, y + margin), font_px, d)
}

/// Lays out a legend strip: rows left to right, wrapping at `max_w` device px. Returns each
/// row's offset (device px, the left end of its sample at the middle of its line) from the
/// strip's upper-left corner, and the strip's height. Text is measured on `ctx` (no page
/// layout, see [`draw_legend`]).
pub fn legend_flow(
    ctx: &CanvasRenderingContext2d,
    rows: &[LegendRow],
    font_px: f64,
    d: f64,
    max_w: f64,
) -> (Vec<(i32, i32)>, f64) {
    let sample_w = 32.0 * d;
    let gap = 18.0 * d;
    let line = (font_px * 1.45).round();
    let (mut x, mut y) = (0.0, 0.0);
    let mut at = Vec::with_capacity(rows.len());
    for r in rows {
        let w = sample_w + text_width(ctx, font_px, &r.label);
        if x > 0.0 && x + w > max_w {
            x = 0.0;
            y += line;
        }
        at.push((x.round() as i32, (y + line / 2.0).round() as i32));
        x += w + gap;
    }
    let height = if rows.is_empty() { 0.0 } else { y + line };
    (at, height)
}

/// Draws legend rows, each sample's left end at `origin` + its offset and its text after the
/// sample: the strip laid out by [`legend_flow`] (same `font_px` and `d`), or the rows of
/// [`draw_legend`]'s box.
pub fn draw_legend_flow(
    root: &DrawingArea<CanvasBackend, Shift>,
    rows: &[LegendRow],
    at: &[(i32, i32)],
    origin: (i32, i32),
    font_px: f64,
    d: f64,
) -> Result<(), String> {
    let err = |e: &dyn std::fmt::Debug| format!("{e:?}");
    let style = ("sans-serif", font_px)
        .into_font()
        .color(&BLACK)
        .pos(Pos::new(HPos::Left, VPos::Center));
    let sample_w = (32.0 * d).round() as i32;
    for (r, &(dx, dy)) in rows.iter().zip(at) {
        let (x, y) = (origin.0 + dx, origin.1 + dy);
        root.draw(&(r.sample)((x, y))).map_err(|e| err(&e))?;
        root.draw(&Text::new(
            r.label.clone(),
            (x + sample_w, y),
            style.clone(),
        ))
        .map_err(|e| err(&e))?;
    }
    Ok(())
}

/// Draws `title` centred at the top of `root` (`font_px` device px, `top` device px from the
/// edge); returns the height it takes with its gap. Used instead of plotters' caption, which
/// measures its text with a page layout (see [`draw_legend`]).
pub fn draw_title(
    root: &DrawingArea<CanvasBackend, Shift>,
    title: &str,
    font_px: f64,
    top: f64,
) -> Result<u32, String> {
    let (w, _) = root.dim_in_pixel();
    root.draw(&Text::new(
        title.to_string(),
        ((f64::from(w) / 2.0) as i32, top.round() as i32),
        ("sans-serif", font_px)
            .into_font()
            .color(&BLACK)
            .pos(Pos::new(HPos::Center, VPos::Top)),
    ))
    .map_err(|e| format!("{e:?}"))?;
    Ok((top + font_px * 1.5).round() as u32)
}

/// Sizes `canvas` to its CSS box times `dpr` (device pixels); returns (width, height).
pub fn fit_canvas(canvas: &HtmlCanvasElement, dpr: f64) -> (u32, u32) {
    fit_canvas_to(canvas, canvas.client_width(), canvas.client_height(), dpr)
}

/// Sizes `canvas` to a CSS box of `css_w` × `css_h` px (read by the caller before any write,
/// so a page that draws several charts lays out once) times `dpr`; returns (width, height)
/// in device pixels.
pub fn fit_canvas_to(canvas: &HtmlCanvasElement, css_w: i32, css_h: i32, dpr: f64) -> (u32, u32) {
    let (w, h) = (
        (f64::from(css_w.max(1)) * dpr).round() as u32,
        (f64::from(css_h.max(1)) * dpr).round() as u32,
    );
    if canvas.width() != w || canvas.height() != h {
        canvas.set_width(w);
        canvas.set_height(h);
    }
    (w, h)
}

/// A chart's data table and the button that shows it: `<button class="table-toggle"
/// aria-expanded aria-controls>` and `<div class="plot-table" id hidden><table>`.
pub struct TableView {
    pub toggle: Element,
    pub wrap: Element,
    table: Element,
}

impl TableView {
    /// Builds the toggle and the (hidden) table for the chart `chart_id` (its id + "-table").
    pub fn new(doc: &Document, chart_id: &str, what: &str) -> Result<TableView, JsValue> {
        let id = format!("{chart_id}-table");
        let toggle = el(
            doc,
            "button",
            &[
                ("type", "button"),
                ("class", "table-toggle"),
                ("id", &format!("{chart_id}-table-toggle")),
                ("aria-expanded", "false"),
                ("aria-controls", &id),
            ],
            Some(&format!("Show {what} as a table")),
        )?;
        let wrap = el(
            doc,
            "div",
            &[("class", "plot-table"), ("id", &id), ("hidden", "")],
            None,
        )?;
        let table = el(doc, "table", &[], None)?;
        wrap.append_child(&table)?;
        {
            let (t, w) = (toggle.clone(), wrap.clone());
            let what = what.to_string();
            on(&toggle, "click", move || {
                let open = w.has_attribute("hidden");
                if open {
                    let _ = w.remove_attribute("hidden");
                } else {
                    let _ = w.set_attribute("hidden", "");
                }
                let _ = t.set_attribute("aria-expanded", if open { "true" } else { "false" });
                t.set_text_content(Some(&if open {
                    format!("Hide the {what} table")
                } else {
                    format!("Show {what} as a table")
                }));
            })?;
        }
        Ok(TableView {
            toggle,
            wrap,
            table,
        })
    }

    /// Replaces the table's content with `t` (caption, header row, body rows).
    pub fn fill(&self, t: &Table) -> Result<(), JsValue> {
        let doc = super::dom::document()?;
        self.table.set_text_content(None);
        self.table
            .append_child(&*el(&doc, "caption", &[], Some(&t.caption))?)?;
        let head = el(&doc, "thead", &[], None)?;
        let tr = el(&doc, "tr", &[], None)?;
        for h in &t.header {
            tr.append_child(&*el(&doc, "th", &[("scope", "col")], Some(h))?)?;
        }
        head.append_child(&tr)?;
        self.table.append_child(&head)?;
        let body = el(&doc, "tbody", &[], None)?;
        for row in &t.rows {
            let tr = el(&doc, "tr", &[], None)?;
            for (i, cell) in row.iter().enumerate() {
                let tag = if i == 0 { "th" } else { "td" };
                let attrs: &[(&str, &str)] = if i == 0 { &[("scope", "row")] } else { &[] };
                tr.append_child(&*el(&doc, tag, attrs, Some(cell))?)?;
            }
            body.append_child(&tr)?;
        }
        self.table.append_child(&body)?;
        Ok(())
    }
}
