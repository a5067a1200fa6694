//! DOM helpers shared by every panel: the window and document, element creation, event
//! listeners, canvases, timing, downloads and the status announcer.
//!
//! This module depends on nothing else in `web`; every panel may use it.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobPropertyBag, CanvasRenderingContext2d, Document, Element, EventTarget,
    HtmlAnchorElement, HtmlCanvasElement, Url, Window,
};

/// The page's window (an error outside a browser page).
pub fn window() -> Result<Window, JsValue> {
    web_sys::window().ok_or_else(|| "no window".into())
}

/// The page's document.
pub fn document() -> Result<Document, JsValue> {
    window()?.document().ok_or_else(|| "no document".into())
}

/// Creates `<tag attributes…>text</tag>`: the one element constructor every view uses.
pub fn el(
    document: &Document,
    tag: &str,
    attributes: &[(&str, &str)],
    text: Option<&str>,
) -> Result<Element, JsValue> {
    let el = document.create_element(tag)?;
    for (name, value) in attributes {
        el.set_attribute(name, value)?;
    }
    if let Some(text) = text {
        el.set_text_content(Some(text));
    }
    Ok(el)
}

/// Creates an element with [`el`] and casts it to `T` (e.g. `HtmlButtonElement`).
pub fn el_as<T: JsCast>(
    document: &Document,
    tag: &str,
    attributes: &[(&str, &str)],
    text: Option<&str>,
) -> Result<T, JsValue> {
    el(document, tag, attributes, text)?
        .dyn_into::<T>()
        .map_err(|_| format!("<{tag}> has an unexpected type").into())
}

/// Appends `child` to `parent` and returns it.
pub fn add(parent: &Element, child: Element) -> Result<Element, JsValue> {
    parent.append_child(&child)?;
    Ok(child)
}

/// Adds a listener for `event` on `target` that lives as long as the page.
pub fn listen<E: wasm_bindgen::convert::FromWasmAbi + 'static>(
    target: &EventTarget,
    event: &str,
    f: impl FnMut(E) + 'static,
) -> Result<(), JsValue> {
    let c = Closure::<dyn FnMut(E)>::new(f);
    target.add_event_listener_with_callback(event, c.as_ref().unchecked_ref())?;
    c.forget();
    Ok(())
}

/// Adds a listener for `event` that ignores the event object.
pub fn on(target: &EventTarget, event: &str, mut f: impl FnMut() + 'static) -> Result<(), JsValue> {
    listen(target, event, move |_: web_sys::Event| f())
}

/// Milliseconds since the page started (`performance.now()`), 0 when unavailable.
pub fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map_or(0.0, |p| p.now())
}

/// `devicePixelRatio`, 1 when unavailable or nonsensical.
pub fn device_pixel_ratio() -> f64 {
    let d = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio());
    if d.is_finite() && d > 0.0 {
        d
    } else {
        1.0
    }
}

/// The 2D context of `canvas`.
pub fn context_2d(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .ok_or("no 2d context")?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(|_| "not a 2d context".into())
}

/// A canvas that is not in the document (for caches and composed exports).
pub fn offscreen_canvas(document: &Document) -> Result<HtmlCanvasElement, JsValue> {
    el_as::<HtmlCanvasElement>(document, "canvas", &[], None)
}

/// Offers `blob` as a download named `name`.
pub fn download_blob(name: &str, blob: &Blob) -> Result<(), JsValue> {
    let url = Url::create_object_url_with_blob(blob)?;
    let result = download_url(name, &url);
    // Revoke after the click has been handled.
    let revoke = Closure::once_into_js(move || {
        let _ = Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
    result
}

/// Offers `text` as a download named `name`.
pub fn download_text(name: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    download_blob(
        name,
        &Blob::new_with_str_sequence_and_options(&parts, &opts)?,
    )
}

/// Offers `bytes` as a download named `name`.
pub fn download_bytes(name: &str, mime: &str, bytes: &[u8]) -> Result<(), JsValue> {
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let opts = BlobPropertyBag::new();
    opts.set_type(mime);
    download_blob(
        name,
        &Blob::new_with_u8_array_sequence_and_options(&parts, &opts)?,
    )
}

fn download_url(name: &str, url: &str) -> Result<(), JsValue> {
    let doc = document()?;
    let a = el_as::<HtmlAnchorElement>(&doc, "a", &[("hidden", "")], None)?;
    a.set_href(url);
    a.set_download(name);
    let body = doc.body().ok_or("no body")?;
    body.append_child(&a)?;
    a.click();
    body.remove_child(&a)?;
    Ok(())
}

/// Id of the page's polite live region (created by the shell) that [`announce`] writes to.
pub const ANNOUNCER_ID: &str = "announcer";

/// Says `text` to assistive technology through the page's live region (a no-op before the
/// shell exists). Only changes of state are announced, never per-frame updates.
pub fn announce(text: &str) {
    let Some(region) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ANNOUNCER_ID))
    else {
        return;
    };
    if region.text_content().as_deref() != Some(text) {
        region.set_text_content(Some(text));
    }
}

/// Calls `f` at the next animation frame; false (and `f` dropped) when no frame can be
/// requested, so the caller can run it at once.
pub fn next_frame(f: impl FnOnce() + 'static) -> bool {
    let run = Closure::once_into_js(f);
    web_sys::window()
        .map(|w| w.request_animation_frame(run.unchecked_ref()).is_ok())
        .unwrap_or(false)
}

/// Calls `f` after `ms` milliseconds; the timer's handle for [`clear_timeout`], or None (and
/// `f` dropped) when no timer can be set, so the caller can run it at once.
pub fn set_timeout(ms: i32, f: impl FnOnce() + 'static) -> Option<i32> {
    let run = Closure::once_into_js(f);
    web_sys::window().and_then(|w| {
        w.set_timeout_with_callback_and_timeout_and_arguments_0(run.unchecked_ref(), ms)
            .ok()
    })
}

/// Cancels a timer of [`set_timeout`].
pub fn clear_timeout(id: i32) {
    if let Some(w) = web_sys::window() {
        w.clear_timeout_with_handle(id);
    }
}

/// Runs `f` once the browser has painted what is on screen now: after the next animation
/// frame, in a task of its own (so a long `f` does not delay that paint). In a hidden tab,
/// where no frame comes, `f` runs after `fallback_ms` instead. Used to split the start-up
/// into short tasks (app.rs).
pub fn after_paint(fallback_ms: i32, f: impl FnOnce() + 'static) {
    let once = std::rc::Rc::new(std::cell::RefCell::new(Some(f)));
    let run = move || {
        if let Some(f) = once.borrow_mut().take() {
            f();
        }
    };
    let Some(w) = web_sys::window() else {
        run();
        return;
    };
    let run = std::rc::Rc::new(run);
    let in_task = {
        let run = run.clone();
        Closure::once_into_js(move || run())
    };
    let w2 = w.clone();
    let on_frame = Closure::once_into_js(move || {
        let _ =
            w2.set_timeout_with_callback_and_timeout_and_arguments_0(in_task.unchecked_ref(), 0);
    });
    let fallback = Closure::once_into_js(move || run());
    let framed = w.request_animation_frame(on_frame.unchecked_ref()).is_ok();
    let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
        fallback.unchecked_ref(),
        if framed { fallback_ms } else { 0 },
    );
}

/// How much larger than usual the page's text is: the root font size over 16 px. 1 on the
/// normal page; larger in presentation mode, where the root size follows the viewport
/// height (www/style.css). Canvases multiply their font sizes by it, so their text scales
/// with the HTML text.
pub fn text_scale() -> f64 {
    let size = web_sys::window()
        .zip(document().ok().and_then(|d| d.document_element()))
        .and_then(|(w, root)| w.get_computed_style(&root).ok().flatten())
        .and_then(|style| style.get_property_value("font-size").ok())
        .and_then(|v| v.trim_end_matches("px").parse::<f64>().ok());
    match size {
        Some(px) if px.is_finite() && px > 0.0 => (px / 16.0).clamp(0.5, 4.0),
        _ => 1.0,
    }
}

/// Records a `performance.mark(name)` (visible in the browser's performance panel and to
/// the end-to-end tests). Errors are ignored: marks are diagnostics.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}
