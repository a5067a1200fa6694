//! Presentation mode (issue 13): the page laid out for a talk, readable from the back of a
//! room at 1280×720 and 1920×1080.
//!
//! [`enter`] shows the full-window `#presentation` overlay, moves the ring panel
//! (`#ring-panel`: ring, toolbar, timeline, legend), the plots (`#plots`) and, when they exist,
//! the reading banner (`#reading`) and the claims panel (`#claims`) into its slots, and asks
//! for full screen. Each moved node leaves a `<template data-presentation-placeholder>` where
//! it was; [`exit`] puts back whatever its slot holds, in reverse order, removes the
//! placeholders, restores the scroll position and the focus, so the normal page is exactly as
//! it was (tested in tests/e2e/present.test.mjs). Nodes are moved, never cloned: every
//! listener and every canvas keeps working.
//!
//! Contract with the other panels:
//! - while it is on, `<html>` has the class [`CLASS`] (`presentation`) and
//!   `data-presentation="true"`; both are removed on exit. [`is_active`] says the same without
//!   touching the DOM (cheap enough for every animation frame);
//! - the root font size follows the viewport height there (www/style.css), so text sized in
//!   `rem` scales; canvases multiply their font sizes by `dom::text_scale()`;
//! - every change (enter, exit, another slide) dispatches a `resize` event on `window`, so
//!   canvases re-measure and repaint.
//!
//! Slides (`data-slide` on `#presentation-stage`; buttons in the bar say the keys):
//! 1 `ring` — ring, timeline, legend, explanation; 2 `plots` — both plots and the claims;
//! 3 `both` — ring and timeline beside the plots. The reading banner is on every slide.
//!
//! Keys while presenting: Escape leaves from anywhere in it, a focused text field, select or
//! slider included (in full screen the browser takes Escape and leaves full screen, which
//! leaves the presentation too; an open select's list, an input method composing text and a
//! panel that used the Escape itself, such as the ring clearing its selection, keep theirs).
//! Unless a text field, select or slider has focus (those keep their keys): 1, 2, 3 choose a
//! slide, PageDown / PageUp (what presentation clickers send) the next / previous one. Space,
//! ←/→, Home/End go to the ring as on the normal page (ring_view).

use std::cell::{Cell, RefCell};

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, HtmlElement, KeyboardEvent};

use super::dom::{self, announce, el, listen, on};
use super::shell::RING_PANEL_ID;

/// The class on `<html>` while presentation mode is on.
pub const CLASS: &str = "presentation";
/// Id of the overlay.
pub const ROOT_ID: &str = "presentation";
/// Id of the "Exit presentation" button.
pub const EXIT_ID: &str = "presentation-exit";
const STAGE_ID: &str = "presentation-stage";

/// A layout of the presentation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slide {
    Ring,
    Plots,
    Both,
}

impl Slide {
    pub const ALL: [Slide; 3] = [Slide::Ring, Slide::Plots, Slide::Both];

    /// The `data-slide` value.
    pub fn id(self) -> &'static str {
        match self {
            Slide::Ring => "ring",
            Slide::Plots => "plots",
            Slide::Both => "both",
        }
    }

    /// What the slide shows (its button's text after the key).
    pub fn label(self) -> &'static str {
        match self {
            Slide::Ring => "Ring and timeline",
            Slide::Plots => "Plots and claims",
            Slide::Both => "Ring and plots",
        }
    }

    /// The key that shows it.
    pub fn key(self) -> &'static str {
        match self {
            Slide::Ring => "1",
            Slide::Plots => "2",
            Slide::Both => "3",
        }
    }

    fn index(self) -> usize {
        Slide::ALL.iter().position(|&s| s == self).unwrap_or(0)
    }

    fn from_key(key: &str) -> Option<Slide> {
        Slide::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The slide `by` steps away, wrapping around.
    fn step(self, by: i32) -> Slide {
        let n = Slide::ALL.len() as i32;
        Slide::ALL[(self.index() as i32 + by).rem_euclid(n) as usize]
    }
}

/// What goes where: slot name (`data-slot`) and the id of the node moved into it. Containers
/// come before what they may contain (the reading banner might live inside the plots), so
/// putting back in reverse order restores every nesting.
const SLOTS: [(&str, &str); 4] = [
    ("ring", RING_PANEL_ID),
    ("plots", "plots"),
    ("reading", "reading"),
    ("claims", "claims"),
];

/// One node moved into a slot.
struct Moved {
    slot: Element,
    placeholder: Element,
}

/// What [`exit`] needs to put the page back.
struct Session {
    moved: Vec<Moved>,
    scroll: (f64, f64),
    focus: Option<HtmlElement>,
    /// The document went full screen during this presentation (leaving it ends it).
    was_fullscreen: bool,
}

thread_local! {
    static ACTIVE: Cell<bool> = const { Cell::new(false) };
    static SLIDE: Cell<Slide> = const { Cell::new(Slide::Ring) };
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

/// Whether presentation mode is on.
pub fn is_active() -> bool {
    ACTIVE.with(Cell::get)
}

/// The slide shown (the last one shown when presentation mode is off).
pub fn slide() -> Slide {
    SLIDE.with(Cell::get)
}

/// Builds the (hidden) overlay and installs the keys and the full-screen listener. Call once,
/// after the panels exist (its key listener must run after the ring's, see [`on_key`]).
pub fn mount(document: &Document) -> Result<(), JsValue> {
    let body = document.body().ok_or("no body")?;
    let root = el(
        document,
        "div",
        &[
            ("id", ROOT_ID),
            ("class", "presentation-root"),
            ("hidden", ""),
        ],
        None,
    )?;
    let bar = el(document, "header", &[("class", "pres-bar")], None)?;
    bar.append_child(&*el(
        document,
        "h1",
        &[("class", "pres-title")],
        Some("CliNR Explorer"),
    )?)?;
    let nav = el(
        document,
        "nav",
        &[("class", "pres-slides"), ("aria-label", "Slides")],
        None,
    )?;
    for s in Slide::ALL {
        let b = el(
            document,
            "button",
            &[
                ("type", "button"),
                ("id", &format!("presentation-slide-{}", s.id())),
                ("data-slide", s.id()),
                ("aria-pressed", "false"),
                ("aria-keyshortcuts", s.key()),
            ],
            None,
        )?;
        b.append_child(&*el(document, "kbd", &[], Some(s.key()))?)?;
        b.append_child(&*el(
            document,
            "span",
            &[],
            Some(&format!(" {}", s.label())),
        )?)?;
        // A click moves the focus to the slide (so that Space then plays the ring instead of
        // pressing this button again).
        on(&b, "click", move || {
            show(s);
            if let Ok(d) = dom::document() {
                focus_slide(&d);
            }
        })?;
        nav.append_child(&b)?;
    }
    bar.append_child(&nav)?;
    let keys = el(document, "p", &[("class", "pres-keys")], None)?;
    keys.set_inner_html(
        "<kbd>1</kbd> <kbd>2</kbd> <kbd>3</kbd> or <kbd>PgUp</kbd> <kbd>PgDn</kbd> slides · \
         <kbd>Space</kbd> play/pause · <kbd>←</kbd> <kbd>→</kbd> step · <kbd>Esc</kbd> exit",
    );
    bar.append_child(&keys)?;
    let exit_button = el(
        document,
        "button",
        &[
            ("type", "button"),
            ("id", EXIT_ID),
            ("class", "pres-exit"),
            ("aria-keyshortcuts", "Escape"),
        ],
        Some("Exit presentation"),
    )?;
    on(&exit_button, "click", exit)?;
    bar.append_child(&exit_button)?;
    root.append_child(&bar)?;

    let stage = el(
        document,
        "main",
        &[
            ("id", STAGE_ID),
            ("class", "pres-stage"),
            ("tabindex", "-1"),
            ("data-slide", slide().id()),
        ],
        None,
    )?;
    for (name, _) in SLOTS {
        stage.append_child(&*el(
            document,
            "div",
            &[
                ("class", "pres-slot"),
                ("data-slot", name),
                ("id", &format!("presentation-slot-{name}")),
            ],
            None,
        )?)?;
    }
    root.append_child(&stage)?;
    body.append_child(&root)?;

    let window = dom::window()?;
    listen(&window, "keydown", on_key)?;
    on(document, "fullscreenchange", on_fullscreen_change)?;
    Ok(())
}

/// Turns presentation mode on or off.
pub fn toggle() {
    if is_active() {
        exit();
    } else {
        enter();
    }
}

/// Turns presentation mode on (nothing if it is on already or the overlay is missing).
pub fn enter() {
    if is_active() {
        return;
    }
    if let Err(e) = try_enter() {
        web_sys::console::error_2(&"presentation mode failed".into(), &e);
    }
}

fn try_enter() -> Result<(), JsValue> {
    let window = dom::window()?;
    let document = dom::document()?;
    let Some(root) = document.get_element_by_id(ROOT_ID) else {
        return Err("presentation mode is not mounted".into());
    };
    let html = document.document_element().ok_or("no <html>")?;
    let scroll = (window.scroll_x()?, window.scroll_y()?);
    let body: Option<web_sys::Node> = document.body().map(Into::into);
    let focus = document
        .active_element()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        .filter(|e| !e.is_same_node(body.as_ref()));

    let mut moved = Vec::new();
    for (name, id) in SLOTS {
        let (Some(node), Some(slot)) = (
            document.get_element_by_id(id),
            document.get_element_by_id(&format!("presentation-slot-{name}")),
        ) else {
            continue;
        };
        let Some(parent) = node.parent_node() else {
            continue;
        };
        let placeholder = el(
            &document,
            "template",
            &[("data-presentation-placeholder", name)],
            None,
        )?;
        parent.insert_before(&placeholder, Some(&node))?;
        slot.append_child(&node)?;
        moved.push(Moved { slot, placeholder });
    }
    if let Some(stage) = document.get_element_by_id(STAGE_ID) {
        let has = |name: &str| moved.iter().any(|m| m.slot.id().ends_with(name));
        stage.set_attribute("data-reading", if has("reading") { "yes" } else { "no" })?;
        stage.set_attribute("data-claims", if has("claims") { "yes" } else { "no" })?;
    }
    SESSION.with(|s| {
        *s.borrow_mut() = Some(Session {
            moved,
            scroll,
            focus,
            was_fullscreen: false,
        })
    });
    ACTIVE.with(|a| a.set(true));
    set_class(&html, true)?;
    html.set_attribute("data-presentation", "true")?;
    root.remove_attribute("hidden")?;
    show_slide(&document, slide(), false)?;
    focus_default(&document);
    request_fullscreen(&html);
    dispatch_resize();
    announce(&format!(
        "Presentation mode: slide {} of {}, {}. Escape leaves.",
        slide().index() + 1,
        Slide::ALL.len(),
        slide().label()
    ));
    Ok(())
}

/// Turns presentation mode off and puts the normal page back exactly as it was.
pub fn exit() {
    if !is_active() {
        return;
    }
    if let Err(e) = try_exit() {
        web_sys::console::error_2(&"leaving presentation mode failed".into(), &e);
    }
}

fn try_exit() -> Result<(), JsValue> {
    let window = dom::window()?;
    let document = dom::document()?;
    let session = SESSION.with(|s| s.borrow_mut().take());
    ACTIVE.with(|a| a.set(false));
    if let Some(html) = document.document_element() {
        set_class(&html, false)?;
        html.remove_attribute("data-presentation")?;
    }
    if let Some(root) = document.get_element_by_id(ROOT_ID) {
        root.set_attribute("hidden", "")?;
    }
    if document.fullscreen_element().is_some() {
        document.exit_fullscreen();
    }
    let Some(session) = session else {
        return Ok(());
    };
    // Whatever each slot holds now goes back where its node was (a panel may have replaced its
    // node meanwhile), innermost first.
    for m in session.moved.iter().rev() {
        if let Some(parent) = m.placeholder.parent_node() {
            while let Some(child) = m.slot.first_child() {
                parent.insert_before(&child, Some(&m.placeholder))?;
            }
        }
        m.placeholder.remove();
    }
    if let Some(f) = session.focus.filter(|f| f.is_connected()) {
        let _ = f.focus();
    }
    let (x, y) = session.scroll;
    window.scroll_to_with_x_and_y(x, y);
    // Leaving full screen resizes the window a moment later: scroll there again then.
    let again = Closure::once_into_js(move || {
        if !is_active() {
            if let Some(w) = web_sys::window() {
                w.scroll_to_with_x_and_y(x, y);
            }
        }
    });
    let _ = window.request_animation_frame(again.unchecked_ref());
    dispatch_resize();
    announce("Presentation mode off");
    Ok(())
}

/// Shows `slide` (and remembers it for the next presentation).
pub fn show(slide: Slide) {
    let Ok(document) = dom::document() else {
        return;
    };
    if let Err(e) = show_slide(&document, slide, true) {
        web_sys::console::error_2(&"cannot show the slide".into(), &e);
    }
}

fn show_slide(document: &Document, slide: Slide, announce_it: bool) -> Result<(), JsValue> {
    SLIDE.with(|s| s.set(slide));
    if let Some(stage) = document.get_element_by_id(STAGE_ID) {
        stage.set_attribute("data-slide", slide.id())?;
    }
    for s in Slide::ALL {
        if let Some(b) = document.get_element_by_id(&format!("presentation-slide-{}", s.id())) {
            b.set_attribute("aria-pressed", if s == slide { "true" } else { "false" })?;
        }
    }
    if is_active() && announce_it {
        focus_default(document);
        dispatch_resize();
        announce(&format!(
            "Slide {} of {}: {}",
            slide.index() + 1,
            Slide::ALL.len(),
            slide.label()
        ));
    }
    Ok(())
}

/// Gives the focus to what the slide is about, unless it is on something still visible: the
/// ring (its keys then work at once) or, on the plots slide, the stage.
fn focus_default(document: &Document) {
    let visible = |e: &Element| {
        let r = e.get_bounding_client_rect();
        r.width() > 0.0 || r.height() > 0.0
    };
    let current = document.active_element();
    let in_overlay = current.as_ref().is_some_and(|e| {
        document
            .get_element_by_id(ROOT_ID)
            .is_some_and(|root| root.contains(Some(e.as_ref())))
    });
    let on_stage = current.as_ref().is_some_and(|e| e.id() == STAGE_ID);
    if in_overlay && !on_stage && current.as_ref().is_some_and(visible) {
        return;
    }
    focus_slide(document);
}

/// Gives the focus to the slide's main element: the ring, or on the plots slide the stage.
fn focus_slide(document: &Document) {
    let target = match slide() {
        Slide::Plots => document.get_element_by_id(STAGE_ID),
        Slide::Ring | Slide::Both => document.get_element_by_id("ring"),
    };
    if let Some(t) = target.and_then(|t| t.dyn_into::<HtmlElement>().ok()) {
        let _ = t.focus();
    }
}

/// Presentation keys (see the module documentation).
fn on_key(e: KeyboardEvent) {
    if !is_active() || e.ctrl_key() || e.meta_key() || e.alt_key() {
        return;
    }
    let key = e.key();
    // Escape leaves from anywhere, a focused field included: no field of the slides uses it.
    // An open select's list takes its Escape before the page sees it; an input method uses it
    // to cancel what it composes; the ring uses a first Escape to clear its selection and
    // prevents the default.
    if key == "Escape" {
        if !e.default_prevented() && !e.is_composing() {
            e.prevent_default();
            exit();
        }
        return;
    }
    // A focused text field, select or slider keeps its other keys.
    let keeps_keys = e
        .target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|t| {
            matches!(t.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                || t.get_attribute("contenteditable")
                    .is_some_and(|v| v != "false")
        });
    if keeps_keys {
        return;
    }
    let next = match key.as_str() {
        "PageDown" => Some(slide().step(1)),
        "PageUp" => Some(slide().step(-1)),
        k => Slide::from_key(k),
    };
    if let Some(s) = next {
        e.prevent_default();
        show(s);
    }
}

fn on_fullscreen_change() {
    let Ok(document) = dom::document() else {
        return;
    };
    let full = document.fullscreen_element().is_some();
    let leave = SESSION.with(|s| {
        let mut s = s.borrow_mut();
        let Some(session) = s.as_mut() else {
            return false;
        };
        if full {
            session.was_fullscreen = true;
            false
        } else {
            session.was_fullscreen
        }
    });
    if leave {
        exit();
    } else {
        // Entering full screen resizes the window: the canvases follow.
        dispatch_resize();
    }
}

/// Asks for full screen; a refusal (no user gesture, an iframe, a phone) is fine: the overlay
/// fills the window anyway.
fn request_fullscreen(html: &Element) {
    let Ok(f) = js_sys::Reflect::get(html, &"requestFullscreen".into()) else {
        return;
    };
    let Some(f) = f.dyn_ref::<js_sys::Function>() else {
        return;
    };
    if let Ok(p) = f.call0(html) {
        if let Ok(p) = p.dyn_into::<js_sys::Promise>() {
            let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
            let _ = p.catch(&ignore);
            ignore.forget();
        }
    }
}

/// Adds or removes [`CLASS`] on `<html>`, leaving its other classes (and no empty `class`
/// attribute) behind.
fn set_class(html: &Element, on: bool) -> Result<(), JsValue> {
    let current = html.class_name();
    let mut classes: Vec<&str> = current.split_whitespace().filter(|c| *c != CLASS).collect();
    if on {
        classes.push(CLASS);
    }
    if classes.is_empty() {
        html.remove_attribute("class")
    } else {
        html.set_attribute("class", &classes.join(" "))
    }
}

fn dispatch_resize() {
    if let (Some(w), Ok(e)) = (web_sys::window(), web_sys::Event::new("resize")) {
        let _ = w.dispatch_event(&e);
    }
}
