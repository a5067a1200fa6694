//! Export buttons: the current point's report (byte for byte what `clinr simulate --format
//! json` prints for the same parameters and seed), the plotted data as CSV and JSON, the plots
//! and the ring view as PNG, and the current random circuit (circuit 0) as Stim text.
//!
//! Files are offered as downloads through a temporary `<a download>`; a message next to the
//! buttons says when something is not ready yet.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlCanvasElement};

use crate::jobs::{Job, Outcome};

use super::dom::download_text;
use super::plots::Plots;
use super::worker_pool::{Callback, Pool};

/// Offers the canvas content as a PNG download.
pub fn download_png(name: &str, canvas: &HtmlCanvasElement) -> Result<(), JsValue> {
    let url = canvas.to_data_url_with_type("image/png")?;
    let doc = super::dom::document()?;
    let a = super::dom::el_as::<web_sys::HtmlAnchorElement>(&doc, "a", &[("hidden", "")], None)?;
    a.set_href(&url);
    a.set_download(name);
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    Ok(())
}

fn button(container: &Element, id: &str, text: &str) -> Result<Element, JsValue> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let b = doc.create_element("button")?;
    b.set_attribute("type", "button")?;
    b.set_attribute("id", id)?;
    b.set_text_content(Some(text));
    container.append_child(&b)?;
    Ok(b)
}

fn on_click(b: &Element, f: impl FnMut() + 'static) -> Result<(), JsValue> {
    let c = Closure::<dyn FnMut()>::new(f);
    b.add_event_listener_with_callback("click", c.as_ref().unchecked_ref())?;
    c.forget();
    Ok(())
}

/// Builds the export bar in `container`.
pub fn mount(
    container: &Element,
    plots: Rc<Plots>,
    ring: HtmlCanvasElement,
    pool: Pool,
) -> Result<(), JsValue> {
    let doc = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let title = doc.create_element("span")?;
    title.set_text_content(Some("Export: "));
    container.append_child(&title)?;
    let note = doc.create_element("span")?;
    note.set_attribute("id", "export-note")?;
    note.set_attribute("class", "status")?;
    let say = {
        let note = note.clone();
        move |text: &str| note.set_text_content(Some(text))
    };
    let report = |e: Result<(), JsValue>, say: &dyn Fn(&str)| {
        if let Err(e) = e {
            say(&format!("export failed: {e:?}"));
        }
    };

    let b = button(container, "export-json", "Point JSON")?;
    {
        let (plots, say) = (plots.clone(), say.clone());
        on_click(&b, move || match plots.current_report_json() {
            Some(json) => {
                say("");
                report(
                    download_text("clinr-simulate.json", "application/json", &json),
                    &say,
                );
            }
            None => say("the current point is still being computed"),
        })?;
    }
    let b = button(container, "export-csv", "Plot CSV")?;
    {
        let (plots, say) = (plots.clone(), say.clone());
        on_click(&b, move || match plots.exports() {
            Some((csv, _)) => report(download_text("clinr-plot.csv", "text/csv", &csv), &say),
            None => say("nothing plotted yet"),
        })?;
    }
    let b = button(container, "export-plot-json", "Plot JSON")?;
    {
        let (plots, say) = (plots.clone(), say.clone());
        on_click(&b, move || match plots.exports() {
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
        on_click(&b, move || {
            let (stem, canvas) = plots.canvases()[i].clone();
            report(download_png(&format!("{stem}.png"), &canvas), &say);
        })?;
    }
    let b = button(container, "export-ring", "Ring PNG")?;
    {
        let say = say.clone();
        on_click(&b, move || {
            report(download_png("clinr-ring.png", &ring), &say)
        })?;
    }
    let b = button(container, "export-stim", "Circuit (Stim)")?;
    {
        let say = say.clone();
        on_click(&b, move || {
            let params = plots.store().get();
            say("preparing the circuit…");
            let say2 = say.clone();
            let callback: Callback = Rc::new(RefCell::new(move |outcome: Outcome| match outcome {
                Outcome::Stim { text } => {
                    say2("");
                    if let Err(e) = download_text("clinr-circuit.stim", "text/plain", &text) {
                        say2(&format!("export failed: {e:?}"));
                    }
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
