//! The page: builds the app shell, paints the ring view and talks to the worker.
//!
//! Shell: a header with the title, `<aside id="controls">` for the control panel,
//! `<main>` with `<canvas id="ring">` (the ring of QPUs) and `<div id="plots">`. When it is
//! built, `<html data-ready="true">` is set; when the worker answers the start-up ping, its
//! value is put on `#worker-status[data-pong]` (the end-to-end test compares it with the value
//! computed natively).

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    CanvasRenderingContext2d, Document, Element, HtmlCanvasElement, MessageEvent, Window, Worker,
};

use crate::jobs::{Job, Outcome, Reply, Request};
use crate::view::layout::{node_radius, ring_layout, ring_links};

/// QPUs shown until the control panel sets them: t + 1 with t = 3.
pub const DEFAULT_QPUS: usize = 4;
/// Seed of the start-up ping sent to the worker (the fixture in tests/fixtures/ uses it too).
pub const PING_SEED: u64 = 42;
/// Where Trunk puts the worker's loader shim, relative to the page.
pub const WORKER_URL: &str = "./worker_loader.js";

/// Colours of the ring view (kept in step with www/style.css).
mod palette {
    pub const BACKGROUND: &str = "#ffffff";
    pub const RING_GUIDE: &str = "#e3e7ee";
    pub const LINK: &str = "#8591a5";
    pub const QPU_FILL: &str = "#2f6fde";
    pub const QPU_EDGE: &str = "#1d4fa8";
    pub const QPU_LABEL: &str = "#ffffff";
    pub const CAPTION: &str = "#5b6472";
}

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

    let ring = Rc::new(RingView::new(shell.ring.clone(), DEFAULT_QPUS)?);
    ring.draw(&window)?;
    {
        let ring = ring.clone();
        let win = window.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || {
            if let Err(e) = ring.draw(&win) {
                web_sys::console::error_2(&"ring view: redraw failed".into(), &e);
            }
        });
        window.add_event_listener_with_callback("resize", on_resize.as_ref().unchecked_ref())?;
        on_resize.forget();
    }

    let (store, link_error) = super::state::Store::from_hash(&super::state::read_hash());
    super::controls::mount(&shell, store.clone())?;
    if let Some(e) = link_error {
        super::controls::show_link_error(&shell, &e)?;
    }
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

fn element(
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

/// The ring of QPUs on its canvas, sharp on HiDPI screens (the backing store is the CSS size
/// times `devicePixelRatio`; drawing happens in CSS pixels).
pub struct RingView {
    canvas: HtmlCanvasElement,
    num_qpus: usize,
}

impl RingView {
    pub fn new(canvas: HtmlCanvasElement, num_qpus: usize) -> Result<RingView, JsValue> {
        canvas.set_attribute("data-qpus", &num_qpus.to_string())?;
        Ok(RingView { canvas, num_qpus })
    }

    fn context(&self) -> Result<CanvasRenderingContext2d, JsValue> {
        self.canvas
            .get_context("2d")?
            .ok_or("no 2d context")?
            .dyn_into::<CanvasRenderingContext2d>()
            .map_err(|_| "not a 2d context".into())
    }

    /// Resizes the backing store to the canvas's CSS size and repaints.
    pub fn draw(&self, window: &Window) -> Result<(), JsValue> {
        let dpr = window.device_pixel_ratio();
        let dpr = if dpr.is_finite() && dpr > 0.0 {
            dpr
        } else {
            1.0
        };
        let width = f64::from(self.canvas.client_width().max(1));
        let height = f64::from(self.canvas.client_height().max(1));
        let (pixels_w, pixels_h) = ((width * dpr).round() as u32, (height * dpr).round() as u32);
        if self.canvas.width() != pixels_w || self.canvas.height() != pixels_h {
            self.canvas.set_width(pixels_w);
            self.canvas.set_height(pixels_h);
        }
        let ctx = self.context()?;
        ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0)?;
        ctx.set_fill_style_str(palette::BACKGROUND);
        ctx.fill_rect(0.0, 0.0, width, height);

        let n = self.num_qpus;
        let centres = ring_layout(n, width, height);
        let radius = node_radius(n, width, height);

        // A faint guide circle through the QPU centres.
        if n > 1 {
            let (cx, cy) = (width / 2.0, height / 2.0);
            let ring_r = (centres[0].1 - cy).abs();
            ctx.begin_path();
            ctx.arc(cx, cy, ring_r, 0.0, std::f64::consts::TAU)?;
            ctx.set_stroke_style_str(palette::RING_GUIDE);
            ctx.set_line_width(1.0);
            ctx.stroke();
        }

        ctx.set_stroke_style_str(palette::LINK);
        ctx.set_line_width((radius * 0.12).clamp(1.5, 4.0));
        ctx.set_line_cap("round");
        for (a, b) in ring_links(n) {
            ctx.begin_path();
            ctx.move_to(centres[a].0, centres[a].1);
            ctx.line_to(centres[b].0, centres[b].1);
            ctx.stroke();
        }

        ctx.set_text_align("center");
        ctx.set_text_baseline("middle");
        ctx.set_font(&format!(
            "600 {:.0}px system-ui, sans-serif",
            (radius * 0.6).max(8.0)
        ));
        for (i, &(x, y)) in centres.iter().enumerate() {
            ctx.begin_path();
            ctx.arc(x, y, radius, 0.0, std::f64::consts::TAU)?;
            ctx.set_fill_style_str(palette::QPU_FILL);
            ctx.fill();
            ctx.set_stroke_style_str(palette::QPU_EDGE);
            ctx.set_line_width(2.0);
            ctx.stroke();
            ctx.set_fill_style_str(palette::QPU_LABEL);
            ctx.fill_text(&format!("Q{i}"), x, y)?;
        }

        ctx.set_text_align("left");
        ctx.set_text_baseline("top");
        ctx.set_font("13px system-ui, sans-serif");
        ctx.set_fill_style_str(palette::CAPTION);
        ctx.fill_text(&format!("t + 1 = {n} QPUs on a ring"), 12.0, 12.0)?;
        Ok(())
    }
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
