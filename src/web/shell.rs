//! The app shell: the page's fixed skeleton that the panels fill.
//!
//! A header with the title, `<aside id="controls">` for the control panel, `<main>` with the
//! ring panel (`<canvas id="ring">`) and `<div id="plots">`, and the polite live region that
//! `dom::announce` writes status changes to.

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element, HtmlCanvasElement};

use super::dom::{add, el, el_as, ANNOUNCER_ID};

/// The elements of the app shell that the panels fill.
pub struct Shell {
    pub controls: Element,
    pub ring: HtmlCanvasElement,
    pub plots: Element,
}

/// Creates the shell inside `<body>` (replacing what was there, e.g. the `<noscript>` note).
pub fn build(document: &Document) -> Result<Shell, JsValue> {
    let body = document.body().ok_or("no body")?;
    body.set_text_content(None);

    let app = el(document, "div", &[("id", "app")], None)?;
    let header = el(document, "header", &[("class", "app-header")], None)?;
    add(&header, el(document, "h1", &[], Some("CliNR Explorer"))?)?;
    add(
        &header,
        el(
            document,
            "p",
            &[("class", "subtitle")],
            Some("Distributed Clifford noise reduction on a ring of QPUs"),
        )?,
    )?;

    let controls = el(
        document,
        "aside",
        &[("id", "controls"), ("aria-label", "Controls")],
        None,
    )?;
    add(&controls, el(document, "h2", &[], Some("Controls"))?)?;
    add(
        &controls,
        el(
            document,
            "p",
            &[("class", "placeholder")],
            Some("Protocol parameters will appear here."),
        )?,
    )?;

    let main = el(document, "main", &[("id", "view")], None)?;
    let ring_panel = el(document, "section", &[("class", "panel ring-panel")], None)?;
    let ring = el_as::<HtmlCanvasElement>(
        document,
        "canvas",
        &[
            ("id", "ring"),
            ("role", "img"),
            ("aria-label", "Ring of QPUs"),
        ],
        None,
    )?;
    ring_panel.append_child(&ring)?;
    let plots = el(
        document,
        "div",
        &[("id", "plots"), ("class", "panel")],
        None,
    )?;
    add(
        &plots,
        el(
            document,
            "p",
            &[("class", "placeholder")],
            Some("Plots will appear here."),
        )?,
    )?;
    main.append_child(&ring_panel)?;
    main.append_child(&plots)?;

    let layout = el(document, "div", &[("class", "layout")], None)?;
    layout.append_child(&controls)?;
    layout.append_child(&main)?;
    app.append_child(&header)?;
    app.append_child(&layout)?;
    // Status changes for assistive technology (`dom::announce`): out of sight, read politely.
    add(
        &app,
        el(
            document,
            "div",
            &[
                ("id", ANNOUNCER_ID),
                ("class", "visually-hidden"),
                ("role", "status"),
                ("aria-live", "polite"),
                ("aria-atomic", "true"),
            ],
            None,
        )?,
    )?;
    body.append_child(&app)?;

    Ok(Shell {
        controls,
        ring,
        plots,
    })
}
