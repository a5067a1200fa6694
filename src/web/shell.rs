//! The app shell: the page's fixed skeleton that the panels fill.
//!
//! ```text
//! <body>
//!   <a class="skip-link">Skip to the ring view</a>     first Tab stop; focuses <main>
//!   <div id="app">
//!     <header class="app-header">                     banner landmark: title, subtitle
//!     <div class="layout">
//!       <aside id="controls">                         complementary landmark "Controls"
//!       <main id="view">                              main landmark
//!         <section id="ring-panel" class="panel ring-panel">   region "Ring of QPUs"
//!           <canvas id="ring">
//!         <div id="plots" class="panel" role="region">          region "Plots"
//!   <div id="announcer" role="status">                 polite live region (`dom::announce`)
//! ```
//!
//! The announcer sits outside `#app` so it keeps speaking while presentation mode
//! (`presentation`) hides the normal page. On narrow screens the stylesheet shows the ring
//! first, the plots below and the controls last (www/style.css).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlCanvasElement, HtmlElement};

use super::dom::{add, el, el_as, listen, ANNOUNCER_ID};

/// Id of the ring panel (`<section>` holding `canvas#ring` and what `ring_view` adds).
pub const RING_PANEL_ID: &str = "ring-panel";
/// Id of the `<main>` landmark (the skip link's target).
pub const MAIN_ID: &str = "view";

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

    // The skip link moves focus without touching the URL hash (the hash is the page's state).
    let skip = el(
        document,
        "a",
        &[
            ("class", "skip-link"),
            ("id", "skip-link"),
            ("href", &format!("#{MAIN_ID}")),
        ],
        Some("Skip to the ring view"),
    )?;
    listen(&skip, "click", |e: web_sys::Event| {
        e.prevent_default();
        let main = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(MAIN_ID))
            .and_then(|m| m.dyn_into::<HtmlElement>().ok());
        if let Some(main) = main {
            let _ = main.focus();
            main.scroll_into_view();
        }
    })?;
    body.append_child(&skip)?;

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

    let main = el(
        document,
        "main",
        &[("id", MAIN_ID), ("tabindex", "-1")],
        None,
    )?;
    let ring_panel = el(
        document,
        "section",
        &[
            ("id", RING_PANEL_ID),
            ("class", "panel ring-panel"),
            ("aria-label", "Ring of QPUs"),
        ],
        None,
    )?;
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
        &[
            ("id", "plots"),
            ("class", "panel"),
            ("role", "region"),
            ("aria-label", "Plots"),
        ],
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
    body.append_child(&app)?;
    // Status changes for assistive technology (`dom::announce`): out of sight, read politely.
    add(
        &body,
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

    Ok(Shell {
        controls,
        ring,
        plots,
    })
}
