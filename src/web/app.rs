//! The page: builds the app shell, mounts the ring view (`ring_view`) on the shared parameter
//! store, and talks to the worker.
//!
//! Shell: a header with the title, `<aside id="controls">` for the control panel,
//! `<main>` with `<canvas id="ring">` (the ring of QPUs) and `<div id="plots">`. When it is
//! built, `<html data-ready="true">` is set; when the worker answers the start-up ping, its
//! value is put on `#worker-status[data-pong]` (the end-to-end test compares it with the value
//! computed natively).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlCanvasElement, MessageEvent, Worker};

use super::{ring_view, state};
use crate::jobs::{Job, Outcome, Reply, Request};

/// Seed of the start-up ping sent to the worker (the fixture in tests/fixtures/ uses it too).
pub const PING_SEED: u64 = 42;
/// Where Trunk puts the worker's loader shim, relative to the page.
pub const WORKER_URL: &str = "./worker_loader.js";

/// The elements of the app shell that later code fills.
pub struct Shell {
    pub controls: Element,
    pub ring: HtmlCanvasElement,
    pub plots: Element,
    pub worker_status: Element,
}

/// Builds the page; called once by the module's start function.
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let shell = build_shell(&document)?;

    // One parameter store for the whole page: the controls edit it, the URL hash mirrors it,
    // and the ring animation and the plots follow it.
    let (store, link_error) = state::Store::from_hash(&state::read_hash());
    super::controls::mount(&shell, store.clone())?;
    if let Some(e) = link_error {
        super::controls::show_link_error(&shell, &e)?;
    }
    ring_view::mount(&shell, store.clone())?;
    super::plots::mount(&shell, store.clone())?;

    start_worker(shell.worker_status.clone())?;
    document
        .document_element()
        .ok_or("no document element")?
        .set_attribute("data-ready", "true")?;
    Ok(())
}

/// Appends `child` to `parent` and returns it.
fn add(parent: &Element, child: Element) -> Result<Element, JsValue> {
    parent.append_child(&child)?;
    Ok(child)
}

/// Creates `<tag attributes…>text</tag>`: the one DOM helper every view uses.
pub(crate) fn element(
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

/// Creates the shell inside `<body>` (replacing what was there, e.g. the `<noscript>` note).
pub fn build_shell(document: &Document) -> Result<Shell, JsValue> {
    let body = document.body().ok_or("no body")?;
    body.set_text_content(None);

    let app = element(document, "div", &[("id", "app")], None)?;
    let header = element(document, "header", &[("class", "app-header")], None)?;
    add(
        &header,
        element(document, "h1", &[], Some("CliNR Explorer"))?,
    )?;
    add(
        &header,
        element(
            document,
            "p",
            &[("class", "subtitle")],
            Some("Distributed Clifford noise reduction on a ring of QPUs"),
        )?,
    )?;

    let controls = element(
        document,
        "aside",
        &[("id", "controls"), ("aria-label", "Controls")],
        None,
    )?;
    add(&controls, element(document, "h2", &[], Some("Controls"))?)?;
    add(
        &controls,
        element(
            document,
            "p",
            &[("class", "placeholder")],
            Some("Protocol parameters will appear here."),
        )?,
    )?;
    let worker_status = element(
        document,
        "p",
        &[("id", "worker-status"), ("class", "status")],
        Some("Worker: starting…"),
    )?;
    controls.append_child(&worker_status)?;

    let main = element(document, "main", &[("id", "view")], None)?;
    let ring_panel = element(document, "section", &[("class", "panel ring-panel")], None)?;
    let ring = element(
        document,
        "canvas",
        &[
            ("id", "ring"),
            ("role", "img"),
            ("aria-label", "Ring of QPUs"),
        ],
        None,
    )?
    .dyn_into::<HtmlCanvasElement>()?;
    ring_panel.append_child(&ring)?;
    let plots = element(
        document,
        "div",
        &[("id", "plots"), ("class", "panel")],
        None,
    )?;
    add(
        &plots,
        element(
            document,
            "p",
            &[("class", "placeholder")],
            Some("Plots will appear here."),
        )?,
    )?;
    main.append_child(&ring_panel)?;
    main.append_child(&plots)?;

    let layout = element(document, "div", &[("class", "layout")], None)?;
    layout.append_child(&controls)?;
    layout.append_child(&main)?;
    app.append_child(&header)?;
    app.append_child(&layout)?;
    body.append_child(&app)?;

    Ok(Shell {
        controls,
        ring,
        plots,
        worker_status,
    })
}

/// Starts the worker and sends it the start-up ping once it reports ready.
fn start_worker(status: Element) -> Result<(), JsValue> {
    let worker = Worker::new(WORKER_URL)?;
    let sender = worker.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let Some(text) = event.data().as_string() else {
            web_sys::console::error_1(&"worker sent a non-string message".into());
            return;
        };
        match Reply::parse(&text) {
            Ok(Reply {
                outcome: Outcome::Ready,
                ..
            }) => {
                let ping = Request {
                    id: 1,
                    job: Job::Ping { seed: PING_SEED },
                };
                if let Err(e) = sender.post_message(&JsValue::from_str(&ping.to_json())) {
                    web_sys::console::error_2(&"posting to the worker failed".into(), &e);
                }
                status.set_text_content(Some("Worker: ready, ping sent"));
            }
            Ok(Reply {
                outcome: Outcome::Pong { value },
                ..
            }) => {
                let _ = status.set_attribute("data-pong", &value);
                status
                    .set_text_content(Some(&format!("Worker: ready (ping {PING_SEED} → {value})")));
            }
            Ok(Reply {
                outcome: Outcome::Error { message },
                id,
            }) => {
                web_sys::console::error_1(&format!("worker job {id} failed: {message}").into());
            }
            Ok(_) => {}
            Err(e) => {
                web_sys::console::error_1(&format!("bad message from the worker: {e}").into());
            }
        }
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    let onerror = Closure::<dyn FnMut(web_sys::Event)>::new(move |_event: web_sys::Event| {
        web_sys::console::error_1(
            &format!("the worker at {WORKER_URL} failed to load or run").into(),
        );
    });
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    onerror.forget();
    Ok(())
}
