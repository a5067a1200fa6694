//! Painting with the one colour language of `view::palette`: state fills with their patterns
//! on canvases (the ring, the timeline, the legend's swatches all call these), and the CSS
//! custom properties written at start-up so the stylesheet uses the same values.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Document, HtmlCanvasElement};

pub use crate::view::palette::{text_on, Pattern, State, Theme, DARK, LIGHT, SERIES};

use super::dom::context_2d;

/// Writes the palette's CSS custom properties (`--state-<id>`, `--text-on-<id>`,
/// `--series-<name>`) on `<html>`, so www/style.css draws with the same colours.
pub fn install_css(document: &Document, theme: &Theme) -> Result<(), JsValue> {
    let root = document
        .document_element()
        .ok_or("no document element")?
        .dyn_into::<web_sys::HtmlElement>()?;
    let style = root.style();
    for decl in crate::view::palette::css_variables(theme).split(';') {
        if let Some((name, value)) = decl.split_once(':') {
            style.set_property(name.trim(), value.trim())?;
        }
    }
    Ok(())
}

/// Strokes the pattern of `state` over the current path's clip: stripes for a stall, × marks
/// for a restart. The caller has filled the shape and set the clip to it.
fn overlay(ctx: &CanvasRenderingContext2d, state: State, x: f64, y: f64, w: f64, h: f64, u: f64) {
    match state.pattern() {
        Pattern::Hatch => {
            // Light diagonal stripes, 6 px apart (in `u` units).
            ctx.set_stroke_style_str("rgba(255,255,255,0.6)");
            ctx.set_line_width(2.0 * u);
            ctx.begin_path();
            let step = 6.0 * u;
            let mut d = -h;
            while d < w + h {
                ctx.move_to(x + d, y + h);
                ctx.line_to(x + d + h, y);
                d += step;
            }
            ctx.stroke();
        }
        Pattern::Cross => {
            // × marks on a staggered grid: the attempt is crossed out.
            ctx.set_stroke_style_str("rgba(0,0,0,0.6)");
            ctx.set_line_width(1.4 * u);
            let step = 8.0 * u;
            let arm = (2.6 * u).min(0.35 * h).min(0.45 * w).max(1.0);
            let rows: Vec<f64> = if h < 1.5 * step {
                vec![y + h / 2.0]
            } else {
                (0..)
                    .map(|i| y + step / 2.0 + f64::from(i) * step)
                    .take_while(|&cy| cy < y + h)
                    .collect()
            };
            ctx.begin_path();
            for (row, &cy) in rows.iter().enumerate() {
                let mut cx = if w < step {
                    x + w / 2.0
                } else {
                    x + step / 2.0 + if row % 2 == 1 { step / 2.0 } else { 0.0 }
                };
                while cx < x + w {
                    ctx.move_to(cx - arm, cy - arm);
                    ctx.line_to(cx + arm, cy + arm);
                    ctx.move_to(cx + arm, cy - arm);
                    ctx.line_to(cx - arm, cy + arm);
                    cx += step;
                }
            }
            ctx.stroke();
        }
        Pattern::Solid | Pattern::Hollow => {}
    }
}

/// Fills the rectangle with `state`'s colour and pattern. `u` scales the pattern (1 = CSS px).
#[allow(clippy::too_many_arguments)]
pub fn fill_rect(
    ctx: &CanvasRenderingContext2d,
    state: State,
    theme: &Theme,
    x: f64,
    y: f64,
    w: f64,
    h: f64,
    u: f64,
) {
    let colour = state.colour_in(theme);
    if state.pattern() == Pattern::Hollow {
        ctx.set_fill_style_str(theme.background);
        ctx.fill_rect(x, y, w, h);
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(1.5 * u);
        let i = 0.75 * u;
        ctx.stroke_rect(x + i, y + i, (w - 2.0 * i).max(0.0), (h - 2.0 * i).max(0.0));
        return;
    }
    ctx.set_fill_style_str(colour);
    ctx.fill_rect(x, y, w, h);
    if state.pattern() != Pattern::Solid && w > 2.0 {
        ctx.save();
        ctx.begin_path();
        ctx.rect(x, y, w, h);
        ctx.clip();
        overlay(ctx, state, x, y, w, h, u);
        ctx.restore();
    }
}

/// Fills a circle with `state`'s colour and pattern (hollow states: an outline on the
/// background). `u` scales the pattern and the outline.
#[allow(clippy::too_many_arguments)]
pub fn fill_circle(
    ctx: &CanvasRenderingContext2d,
    state: State,
    theme: &Theme,
    cx: f64,
    cy: f64,
    r: f64,
    u: f64,
) -> Result<(), JsValue> {
    let colour = state.colour_in(theme);
    ctx.begin_path();
    ctx.arc(cx, cy, r, 0.0, std::f64::consts::TAU)?;
    if state.pattern() == Pattern::Hollow {
        ctx.set_fill_style_str(theme.background);
        ctx.fill();
        ctx.set_stroke_style_str(colour);
        ctx.set_line_width(3.0 * u);
        ctx.stroke();
        return Ok(());
    }
    ctx.set_fill_style_str(colour);
    ctx.fill();
    if state.pattern() != Pattern::Solid {
        ctx.save();
        ctx.clip();
        overlay(ctx, state, cx - r, cy - r, 2.0 * r, 2.0 * r, u);
        ctx.restore();
    }
    Ok(())
}

/// The colour of text drawn on `state`'s fill (the theme's text on hollow states).
pub fn label_colour(state: State, theme: &Theme) -> &'static str {
    if state.pattern() == Pattern::Hollow {
        theme.text
    } else {
        text_on(state.colour_in(theme))
    }
}

/// Paints a legend swatch for `state`: the same painter as the ring and the timeline, on a
/// canvas of `css` × `css` CSS px at device resolution. Bell pairs are drawn as dots.
pub fn paint_swatch(
    canvas: &HtmlCanvasElement,
    state: State,
    theme: &Theme,
    css: f64,
    dpr: f64,
) -> Result<(), JsValue> {
    let px = (css * dpr).round().max(1.0) as u32;
    if canvas.width() != px || canvas.height() != px {
        canvas.set_width(px);
        canvas.set_height(px);
    }
    let ctx = context_2d(canvas)?;
    ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
    ctx.clear_rect(0.0, 0.0, css, css);
    match state {
        State::PairStored | State::PairConsumed => pair_dot(
            &ctx,
            state == State::PairConsumed,
            theme,
            css / 2.0,
            css / 2.0,
            css * 0.32,
        ),
        _ => {
            fill_rect(&ctx, state, theme, 0.0, 0.0, css, css, css / 14.0);
            Ok(())
        }
    }
}

/// One Bell pair: a filled ink dot when stored, an ink ring when consumed.
pub fn pair_dot(
    ctx: &CanvasRenderingContext2d,
    consumed: bool,
    theme: &Theme,
    cx: f64,
    cy: f64,
    r: f64,
) -> Result<(), JsValue> {
    ctx.begin_path();
    if consumed {
        ctx.arc(cx, cy, (r * 0.8).max(0.5), 0.0, std::f64::consts::TAU)?;
        ctx.set_stroke_style_str(theme.ink);
        ctx.set_line_width((r * 0.4).max(0.8));
        ctx.stroke();
    } else {
        ctx.arc(cx, cy, r, 0.0, std::f64::consts::TAU)?;
        ctx.set_fill_style_str(theme.ink);
        ctx.fill();
    }
    Ok(())
}
