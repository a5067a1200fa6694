//! The timeline lanes under the ring: one lane per QPU of the distributed run, one for
//! monolithic and one for direct CliNR, on one time axis in layers, with a shared playhead.
//!
//! Segments are painted with the states of `view::palette` (the legend uses the same
//! painter). The lanes are static for a run: they are painted once into an off-screen canvas and copied
//! each frame, so a frame only draws the playhead.

use wasm_bindgen::prelude::*;
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement};

use crate::protocol::schedule::{Implementation, InjectionKind};
use crate::view::frame::{Lane, SegmentKind};

use super::dom::context_2d;
use super::palette::{self, State, Theme};

/// Width of the lane-label column (CSS px, before the presentation scale).
const LABEL_W: f64 = 64.0;
/// Height of the time axis under the lanes.
const AXIS_H: f64 = 22.0;

/// Lane geometry for a canvas of `width` CSS px.
#[derive(Clone, Copy, Debug)]
pub struct Geometry {
    pub left: f64,
    pub right: f64,
    pub lane_h: f64,
    pub top: f64,
    pub end: f64,
}

impl Geometry {
    pub fn new(width: f64, lanes: usize, end: f64, scale: f64) -> Self {
        let lane_h = if lanes > 16 { 12.0 } else { 22.0 } * scale;
        Geometry {
            left: LABEL_W * scale,
            right: (width - 12.0).max(LABEL_W * scale + 10.0),
            lane_h,
            top: 6.0,
            end: end.max(1.0),
        }
    }

    /// CSS height the canvas needs.
    pub fn height(&self, lanes: usize, scale: f64) -> f64 {
        self.top + lanes as f64 * self.lane_h + AXIS_H * scale
    }

    pub fn x(&self, time: f64) -> f64 {
        self.left + (self.right - self.left) * (time / self.end).clamp(0.0, 1.0)
    }

    /// Time at x (CSS px).
    pub fn time_at(&self, x: f64) -> f64 {
        ((x - self.left) / (self.right - self.left)).clamp(0.0, 1.0) * self.end
    }

    /// Lane index at y (CSS px).
    pub fn lane_at(&self, y: f64, lanes: usize) -> Option<usize> {
        let i = ((y - self.top) / self.lane_h).floor();
        (i >= 0.0 && (i as usize) < lanes).then_some(i as usize)
    }
}

/// Paints the static lanes into `cache` (backing store `w·dpr × h·dpr`).
#[allow(clippy::too_many_arguments)]
pub fn paint_static(
    cache: &HtmlCanvasElement,
    lanes: &[Lane],
    depths: [u32; 3],
    g: &Geometry,
    width: f64,
    height: f64,
    dpr: f64,
    pal: &Theme,
    scale: f64,
) -> Result<(), JsValue> {
    let (pw, ph) = ((width * dpr).round() as u32, (height * dpr).round() as u32);
    if cache.width() != pw || cache.height() != ph {
        cache.set_width(pw.max(1));
        cache.set_height(ph.max(1));
    }
    let ctx = context_2d(cache)?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    ctx.set_fill_style_str(pal.background);
    ctx.fill_rect(0.0, 0.0, width, height);
    ctx.set_text_baseline("middle");
    ctx.set_font(&format!("{:.0}px system-ui, sans-serif", 12.5 * scale));
    let mut prev_impl = None;
    for (i, lane) in lanes.iter().enumerate() {
        let y = g.top + i as f64 * g.lane_h;
        if prev_impl.is_some() && prev_impl != Some(lane.implementation) {
            ctx.set_fill_style_str(pal.guide);
            ctx.fill_rect(0.0, y - 1.0, width, 1.0);
        }
        prev_impl = Some(lane.implementation);
        if i % 2 == 0 {
            ctx.set_fill_style_str(pal.lane_band);
            ctx.fill_rect(g.left, y, g.right - g.left, g.lane_h);
        }
        ctx.set_text_align("right");
        ctx.set_fill_style_str(pal.text);
        ctx.fill_text(&lane.label, g.left - 6.0, y + g.lane_h / 2.0)?;
        for s in &lane.segments {
            let x0 = g.x(s.start);
            let mut x1 = g.x(s.end).max(x0 + 1.0);
            // Consecutive attempts of a block stay countable: a 1 px gap after each.
            if matches!(s.kind, SegmentKind::Attempt { .. }) && x1 - x0 > 3.0 {
                x1 -= 1.0;
            }
            let state = segment_state(s.kind);
            // m > 1: one sub-row per RSP&V instance (row = instance − 1).
            let rows = f64::from(lane.rows.max(1));
            let row_h = (g.lane_h - 4.0) / rows;
            let ry = y + 2.0 + row_h * f64::from(s.row.min(lane.rows.max(1) - 1));
            let seg_h = if rows > 1.0 { row_h - 0.5 } else { row_h };
            palette::fill_rect(&ctx, state, pal, x0, ry, x1 - x0, seg_h, scale);
            if state == State::Data {
                // The data's yellow is faint on white: an ink edge keeps the segment visible.
                ctx.set_stroke_style_str(pal.muted);
                ctx.set_line_width(0.75);
                ctx.stroke_rect(x0 + 0.4, ry + 0.4, (x1 - x0 - 0.8).max(0.2), seg_h - 0.8);
            }
        }
    }
    // Depth markers: where each implementation ends.
    let lanes_h = lanes.len() as f64 * g.lane_h;
    ctx.set_text_align("left");
    for (which, depth) in [
        (Implementation::Distributed, depths[2]),
        (Implementation::Monolithic, depths[1]),
        (Implementation::Direct, depths[0]),
    ] {
        let rows: Vec<usize> = (0..lanes.len())
            .filter(|&i| lanes[i].implementation == which)
            .collect();
        let (Some(&first), Some(&last)) = (rows.first(), rows.last()) else {
            continue;
        };
        let x = g.x(f64::from(depth));
        ctx.set_fill_style_str(pal.text);
        ctx.fill_rect(
            x,
            g.top + first as f64 * g.lane_h,
            1.5,
            (last - first + 1) as f64 * g.lane_h,
        );
        let label = format!("depth {depth}");
        let tw = ctx.measure_text(&label)?.width();
        let lx = if x + 4.0 + tw < width {
            x + 4.0
        } else {
            x - 4.0 - tw
        };
        ctx.fill_text(&label, lx, g.top + (last as f64 + 0.5) * g.lane_h)?;
    }
    // Axis.
    let ay = g.top + lanes_h;
    ctx.set_fill_style_str(pal.muted);
    ctx.fill_rect(g.left, ay, g.right - g.left, 1.0);
    ctx.set_text_baseline("top");
    ctx.set_text_align("center");
    let step = nice_step(g.end / 8.0);
    let mut tick = 0.0;
    while tick <= g.end + 1e-9 {
        let x = g.x(tick);
        ctx.fill_rect(x, ay, 1.0, 4.0);
        ctx.fill_text(&format!("{tick:.0}"), x, ay + 5.0)?;
        tick += step;
    }
    ctx.set_text_align("right");
    ctx.fill_text("layers", g.left - 6.0, ay + 5.0)?;
    Ok(())
}

/// 1, 2 or 5 times a power of ten, at least `x`.
fn nice_step(x: f64) -> f64 {
    let x = x.max(1.0);
    let p = 10f64.powf(x.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|&s| s >= x)
        .unwrap_or(10.0 * p)
}

/// The state a timeline segment shows (its colour and pattern in `view::palette`).
pub fn segment_state(kind: SegmentKind) -> State {
    match kind {
        SegmentKind::Attempt {
            abandoned: true, ..
        } => State::Abandoned,
        SegmentKind::Attempt { failed: true, .. } => State::Restart,
        SegmentKind::Attempt { .. } => State::Rsp,
        SegmentKind::Verified { .. } => State::Verified,
        SegmentKind::Inject {
            which: InjectionKind::Teleport,
        } => State::Teleport,
        SegmentKind::Inject { .. } => State::Rsi,
        SegmentKind::Stall { .. } => State::Stall,
        SegmentKind::Data => State::Data,
        SegmentKind::Direct => State::Direct,
    }
}

/// Copies the cached lanes, outlines the `selected` lane (hovered or chosen by keyboard) and
/// draws the playhead at `time`.
#[allow(clippy::too_many_arguments)]
pub fn draw(
    ctx: &CanvasRenderingContext2d,
    cache: &HtmlCanvasElement,
    g: &Geometry,
    lanes: usize,
    dpr: f64,
    time: f64,
    selected: Option<usize>,
    pal: &Theme,
) -> Result<(), JsValue> {
    ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0)?;
    ctx.draw_image_with_html_canvas_element(cache, 0.0, 0.0)?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    if let Some(i) = selected.filter(|&i| i < lanes) {
        ctx.set_stroke_style_str(pal.focus);
        ctx.set_line_width(2.0);
        ctx.stroke_rect(1.0, g.top + i as f64 * g.lane_h, g.right + 10.0, g.lane_h);
    }
    let x = g.x(time);
    ctx.set_fill_style_str(pal.playhead);
    ctx.fill_rect(x - 1.0, 0.0, 2.0, g.top + lanes as f64 * g.lane_h + 4.0);
    Ok(())
}

/// Creates the off-screen canvas the static lanes are cached in.
pub fn cache_canvas(document: &Document) -> Result<HtmlCanvasElement, JsValue> {
    use wasm_bindgen::JsCast;
    document
        .create_element("canvas")?
        .dyn_into::<HtmlCanvasElement>()
        .map_err(|_| "not a canvas".into())
}
