//! Export buttons. Every file stands alone (`view::provenance`):
//! - "Point JSON": the current point's report, byte for byte what `clinr simulate --format
//!   json` prints for the same parameters and seed (its `params` hold every knob);
//! - "Plot CSV": a `# ` header block (title, version, the reading with what it means, x axis
//!   and range, every parameter and knob) above the plotted points; "Plot JSON": the points with their full reports;
//! - "p_L PNG", "Depth PNG", "Ring PNG": the canvases at device resolution (devicePixelRatio)
//!   with their title and axes, a caption strip of parameters, reading and version under
//!   them, and the caption also as PNG metadata (an `iTXt` "Description" chunk); the ring
//!   picture includes the timeline lanes;
//! - "Circuit (Stim)": random circuit 0, exactly as `clinr circuit` writes it (header line
//!   included, one function for both: `jobs::circuit_file_text`).
//!
//! Files are offered as downloads; a message next to the buttons says when something is not
//! ready yet, and is announced to assistive technology.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Element, HtmlCanvasElement};

use crate::jobs::{Job, Outcome};
use crate::protocol::params::Params;
use crate::view::provenance;

use super::dom::{self, announce, context_2d, download_bytes, download_text, el, on};
use super::plots::Plots;
use super::worker_pool::{Callback, Pool};

/// CSS px of the caption's type (times devicePixelRatio in the file).
const CAPTION_PX: f64 = 13.0;

/// `canvases` stacked (each at its own device resolution), with `caption` wrapped under them,
/// as PNG bytes carrying the caption as metadata.
fn composed_png(canvases: &[HtmlCanvasElement], caption: &[String]) -> Result<Vec<u8>, JsValue> {
    let doc = dom::document()?;
    let dpr = dom::device_pixel_ratio();
    let dark = doc
        .document_element()
        .and_then(|e| e.get_attribute("data-presentation"))
        .as_deref()
        == Some("true");
    let (bg, fg) = if dark {
        ("#000000", "#ffffff")
    } else {
        ("#ffffff", "#1d2430")
    };
    let width = canvases.iter().map(|c| c.width()).max().unwrap_or(1).max(1);
    let out = dom::offscreen_canvas(&doc)?;
    out.set_width(width);
    let ctx = context_2d(&out)?;
    // Wrap the caption to the width (measured with the font it is drawn in).
    let font = format!("{:.1}px system-ui, sans-serif", CAPTION_PX * dpr);
    let bold = format!("600 {:.1}px system-ui, sans-serif", CAPTION_PX * dpr);
    let pad = 10.0 * dpr;
    let max_w = f64::from(width) - 2.0 * pad;
    let mut lines: Vec<(bool, String)> = Vec::new();
    for (i, text) in caption.iter().enumerate() {
        ctx.set_font(if i == 0 { &bold } else { &font });
        let mut line = String::new();
        for word in text.split(' ') {
            let trial = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if !line.is_empty() && ctx.measure_text(&trial)?.width() > max_w {
                lines.push((i == 0, std::mem::take(&mut line)));
                line = word.to_string();
            } else {
                line = trial;
            }
        }
        lines.push((i == 0, line));
    }
    let line_h = 1.45 * CAPTION_PX * dpr;
    let picture_h: u32 = canvases.iter().map(HtmlCanvasElement::height).sum();
    let caption_h = (2.0 * pad + line_h * lines.len() as f64).ceil() as u32;
    out.set_height(picture_h + caption_h);
    // Resizing resets the context: paint from scratch.
    ctx.set_fill_style_str(bg);
    ctx.fill_rect(0.0, 0.0, f64::from(width), f64::from(picture_h + caption_h));
    let mut y = 0.0;
    for c in canvases {
        ctx.draw_image_with_html_canvas_element(c, 0.0, y)?;
        y += f64::from(c.height());
    }
    ctx.set_fill_style_str(fg);
    ctx.set_text_baseline("top");
    ctx.set_text_align("left");
    let mut ty = y + pad;
    for (first, text) in &lines {
        ctx.set_font(if *first { &bold } else { &font });
        ctx.fill_text(text, pad, ty)?;
        ty += line_h;
    }
    let url = out.to_data_url_with_type("image/png")?;
    let base64 = url
        .split_once(',')
        .map(|(_, b)| b)
        .ok_or("the canvas gave no PNG data")?;
    let binary = dom::window()?.atob(base64)?;
    let png: Vec<u8> = binary.chars().map(|c| c as u32 as u8).collect();
    provenance::png_with_text(&png, "Description", &caption.join("\n")).map_err(JsValue::from)
}

fn button(container: &Element, id: &str, text: &str) -> Result<Element, JsValue> {
    let doc = dom::document()?;
    let b = el(
        &doc,
        "button",
        &[("type", "button"), ("id", id)],
        Some(text),
    )?;
    container.append_child(&b)?;
    Ok(b)
}

/// What the ring shows, from its test-facing attributes: "shot k at τ = x layers".
fn ring_moment(ring: &HtmlCanvasElement) -> String {
    let shot = ring
        .get_attribute("data-shot")
        .unwrap_or_else(|| "0".into());
    let time = ring
        .get_attribute("data-time")
        .and_then(|t| t.parse::<f64>().ok())
        .unwrap_or(0.0);
    format!(
        "shot {shot} of circuit 0 at τ = {} layers",
        crate::view::share::time_text(time)
    )
}

/// Builds the export bar in `container`.
pub fn mount(
    container: &Element,
    plots: Rc<Plots>,
    ring: HtmlCanvasElement,
    pool: Pool,
) -> Result<(), JsValue> {
    let doc = dom::document()?;
    container.append_child(&*el(&doc, "span", &[], Some("Export: "))?)?;
    let note = el(
        &doc,
        "span",
        &[("id", "export-note"), ("class", "status")],
        None,
    )?;
    let say = {
        let note = note.clone();
        move |text: &str| {
            note.set_text_content(Some(text));
            if !text.is_empty() {
                announce(text);
            }
        }
    };
    let report = |e: Result<(), JsValue>, say: &dyn Fn(&str)| match e {
        Ok(()) => say(""),
        Err(e) => say(&format!("export failed: {e:?}")),
    };

    let b = button(container, "export-json", "Point JSON")?;
    {
        let (plots, say) = (plots.clone(), say.clone());
        on(&b, "click", move || match plots.current_report_json() {
            Some(json) => report(
                download_text("clinr-simulate.json", "application/json", &json),
                &say,
            ),
            None => say("the current point is still being computed"),
        })?;
    }
    let b = button(container, "export-csv", "Plot CSV")?;
    {
        let (plots, say) = (plots.clone(), say.clone());
        on(&b, "click", move || match plots.exports() {
            Some((csv, _)) => {
                let axis = plots.axis();
                let extra = [
                    format!(
                        "x axis: {} (one row per plotted point; every other parameter as below)",
                        axis.name()
                    ),
                    format!("x range: {}", plots.range().to_hash()),
                ];
                let text = provenance::header_block(
                    "CliNR Explorer: p_L and depth plot data",
                    &plots.params(),
                    &extra,
                ) + &csv;
                report(download_text("clinr-plot.csv", "text/csv", &text), &say)
            }
            None => say("nothing plotted yet"),
        })?;
    }
    let b = button(container, "export-plot-json", "Plot JSON")?;
    {
        let (plots, say) = (plots.clone(), say.clone());
        on(&b, "click", move || match plots.exports() {
            Some((_, json)) => report(
                download_text("clinr-plot.json", "application/json", &json),
                &say,
            ),
            None => say("nothing plotted yet"),
        })?;
    }
    for (i, label) in [(0, "p_L PNG"), (1, "Depth PNG")] {
        let b = button(container, &format!("export-png-{i}"), label)?;
        let (plots, say) = (plots.clone(), say.clone());
        on(&b, "click", move || {
            let (stem, canvas) = plots.canvases()[i].clone();
            let what = format!(
                "CliNR Explorer: {} against {} (mean ± std over circuits)",
                if i == 0 {
                    "logical error rate p_L"
                } else {
                    "depth"
                },
                plots.axis().label()
            );
            let caption = provenance::caption_lines(&plots.params(), &what);
            report(
                composed_png(&[canvas], &caption)
                    .and_then(|png| download_bytes(&format!("{stem}.png"), "image/png", &png)),
                &say,
            );
        })?;
    }
    let b = button(container, "export-ring", "Ring PNG")?;
    {
        let (plots, say) = (plots.clone(), say.clone());
        let ring = ring.clone();
        on(&b, "click", move || {
            let mut canvases = vec![ring.clone()];
            if let Some(tl) = dom::document()
                .ok()
                .and_then(|d| d.get_element_by_id("timeline"))
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<HtmlCanvasElement>(t).ok())
            {
                canvases.push(tl);
            }
            let params: Params = plots.store().get();
            let what = format!(
                "CliNR Explorer: distributed CliNR on a ring of {} QPUs, one sampled run ({}); lanes: distributed QPUs, monolithic, direct",
                params.t + 1,
                ring_moment(&ring)
            );
            let caption = provenance::caption_lines(&params, &what);
            report(
                composed_png(&canvases, &caption)
                    .and_then(|png| download_bytes("clinr-ring.png", "image/png", &png)),
                &say,
            );
        })?;
    }
    let b = button(container, "export-stim", "Circuit (Stim)")?;
    {
        let say = say.clone();
        on(&b, "click", move || {
            let params = plots.store().get();
            say("preparing the circuit…");
            let say2 = say.clone();
            let callback: Callback = Rc::new(RefCell::new(move |outcome: Outcome| match outcome {
                Outcome::Stim { text } => {
                    report(
                        download_text("clinr-circuit.stim", "text/plain", &text),
                        &say2,
                    );
                }
                Outcome::Error { message } => say2(&format!("export failed: {message}")),
                _ => {}
            }));
            pool.submit(Job::Circuit { params, index: 0 }, true, true, callback);
        })?;
    }
    container.append_child(&note)?;
    Ok(())
}
