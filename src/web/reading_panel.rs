//! The active reading, always visible (issue 12 item 1): a banner at the top of the main view
//! with the reading's short name ("Paper-consistent reading", "Literal reading", "Custom"),
//! one sentence on what differs and why it matters ([`Reading::of`], protocol.md §9, §16), a
//! one-click switch between the two named readings, and for a custom reading the changed
//! knobs in plain words.
//!
//! Hooks: `<section id="reading" data-reading="paper_consistent|literal|custom">`, the switch
//! buttons `#reading-switch` (to the other named reading) and, for a custom reading,
//! `#reading-paper` / `#reading-literal`. **Compact variant** (for presentation mode): add the
//! class `compact` to `#reading`; `www/panels.css` then shows the name and the changed knobs
//! only (no sentence, no buttons).

use std::rc::Rc;

use wasm_bindgen::prelude::*;
use web_sys::{Document, Element};

use crate::protocol::params::Knobs;
use crate::protocol::reading::{Reading, ReadingKind};

use super::dom::{announce, el, on};
use super::state::Store;

struct Banner {
    root: Element,
    name: Element,
    summary: Element,
    changes: Element,
    buttons: Element,
}

/// Builds the banner at the top of `<main id="view">` and keeps it in step with `store`.
pub fn mount(doc: &Document, store: Rc<Store>) -> Result<(), JsValue> {
    let view = doc.get_element_by_id("view").ok_or("no #view")?;
    let root = el(
        doc,
        "section",
        &[
            ("id", "reading"),
            ("class", "panel reading-banner"),
            ("aria-label", "Active reading of the paper"),
        ],
        None,
    )?;
    let line = el(doc, "p", &[("class", "reading-line")], None)?;
    line.append_child(&*el(
        doc,
        "span",
        &[("class", "reading-label")],
        Some("Reading: "),
    )?)?;
    let name = el(doc, "strong", &[("class", "reading-name")], None)?;
    line.append_child(&name)?;
    let summary = el(doc, "span", &[("class", "reading-summary")], None)?;
    let changes = el(doc, "ul", &[("class", "reading-changes")], None)?;
    let buttons = el(doc, "span", &[("class", "reading-buttons")], None)?;
    root.append_child(&line)?;
    root.append_child(&summary)?;
    root.append_child(&changes)?;
    root.append_child(&buttons)?;
    view.insert_before(&root, view.first_child().as_ref())?;
    let banner = Rc::new(Banner {
        root,
        name,
        summary,
        changes,
        buttons,
    });
    show(&banner, &store, &store.get().knobs)?;
    {
        let banner = banner.clone();
        let s = store.clone();
        store.subscribe(move |snap, change| {
            if change.params {
                if let Err(e) = show(&banner, &s, &snap.params.knobs) {
                    web_sys::console::warn_2(&"reading banner not updated".into(), &e);
                }
            }
        });
    }
    Ok(())
}

/// A button that switches to the named reading `to` (every knob at its default, K1 set).
fn switch_button(
    doc: &Document,
    store: &Rc<Store>,
    id: &str,
    to: ReadingKind,
    text: &str,
) -> Result<Element, JsValue> {
    let b = el(doc, "button", &[("type", "button"), ("id", id)], Some(text))?;
    let store = store.clone();
    on(&b, "click", move || {
        let Some(knobs) = to.knobs() else { return };
        match store.update(|p| p.knobs = knobs) {
            Ok(()) => announce(&format!("Switched to the {}.", to.name().to_lowercase())),
            Err(e) => web_sys::console::warn_1(&format!("reading refused: {e}").into()),
        }
    })?;
    Ok(b)
}

fn show(b: &Banner, store: &Rc<Store>, knobs: &Knobs) -> Result<(), JsValue> {
    let doc = super::dom::document()?;
    let r = Reading::of(knobs);
    if b.root.get_attribute("data-reading").as_deref() == Some(r.kind.id())
        && b.summary.text_content().as_deref() == Some(r.summary.as_str())
    {
        return Ok(());
    }
    b.root.set_attribute("data-reading", r.kind.id())?;
    b.name.set_text_content(Some(&r.name));
    b.summary.set_text_content(Some(&r.summary));
    b.changes.set_text_content(None);
    for c in &r.changes {
        if r.kind == ReadingKind::Custom {
            b.changes
                .append_child(&*el(&doc, "li", &[("data-knob", &c.knob)], Some(&c.words))?)?;
        }
    }
    if r.kind == ReadingKind::Custom {
        b.changes.remove_attribute("hidden")?;
    } else {
        b.changes.set_attribute("hidden", "")?;
    }
    b.buttons.set_text_content(None);
    match r.kind {
        ReadingKind::PaperConsistent | ReadingKind::Literal => {
            let other = r.kind.other();
            b.buttons.append_child(&*switch_button(
                &doc,
                store,
                "reading-switch",
                other,
                &format!("Switch to the {}", other.name().to_lowercase()),
            )?)?;
        }
        ReadingKind::Custom => {
            b.buttons.append_child(&*switch_button(
                &doc,
                store,
                "reading-paper",
                ReadingKind::PaperConsistent,
                "Paper-consistent reading",
            )?)?;
            b.buttons.append_child(&*switch_button(
                &doc,
                store,
                "reading-literal",
                ReadingKind::Literal,
                "Literal reading",
            )?)?;
        }
    }
    Ok(())
}
