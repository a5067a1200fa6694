//! The page: builds the app shell (`shell`), creates the page's state (`state`, mirrored in the
//! URL hash both ways) and the worker pool, and wires the panels to them: the controls, the
//! ring view, the plots and the export bar. Nothing else imports this module.
//!
//! When the page is built, `<html data-ready="true">` is set. The start-up check of the
//! workers (a ping whose answer the end-to-end test compares with the value computed natively)
//! is kept out of sight: `<html data-worker-pong="…">`, or `data-worker-error` when it fails.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::worker_pool::{self, Callback, Pool};
use super::{
    claim_map, claims_panel, controls, dom, export, palette, plots, presets, reading_panel,
    ring_view, scaling_plot, shell, state,
};
use crate::jobs::{Job, Outcome};

/// Seed of the start-up ping sent to the worker (the fixture in tests/fixtures/ uses it too).
pub const PING_SEED: u64 = 42;

/// Builds the page; called once by the module's start function.
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let document = dom::document()?;
    palette::install_css(&document, &palette::LIGHT)?;
    let shell = Rc::new(shell::build(&document)?);

    // One state for the whole page: the controls edit it, the URL hash mirrors it both ways,
    // and the ring animation and the plots follow it.
    let (store, link_error) = state::Store::from_hash(&state::read_hash());
    let presets = presets::Presets::new(store.clone());
    controls::mount(&shell, store.clone(), presets.clone())?;
    controls::show_link_error(&shell, link_error.as_deref(), true)?;
    {
        let shell = shell.clone();
        state::follow_url(&store, move |error| {
            if let Err(e) = controls::show_link_error(&shell, error, false) {
                web_sys::console::error_2(&"cannot show the link error".into(), &e);
            }
            if let Some(e) = error {
                dom::announce(&format!("The address was not applied: {e}"));
            }
        })?;
    }
    ring_view::mount(&shell, store.clone())?;
    let pool = Pool::new(worker_pool::pool_size(worker_pool::hardware_concurrency()))?;
    let plots = plots::mount(&shell, store.clone(), pool.clone())?;
    export::mount(
        plots.export_bar(),
        plots.clone(),
        shell.ring.clone(),
        pool.clone(),
    )?;
    // Issue 12 and 14 panels: the reading banner (#reading), the claims panel (#claims), the
    // scaling view (#scaling, under the plots on the t axis) and the claim map (#claim-map).
    reading_panel::mount(&document, store.clone())?;
    claims_panel::mount(&document, plots.clone(), presets.clone())?;
    scaling_plot::mount(&document, plots.clone())?;
    claim_map::mount(&document, store.clone(), pool.clone())?;
    // Write the canonical hash (every parameter) so the address bar is the state from the
    // first frame on.
    store.write_url();
    check_workers(&pool);

    document
        .document_element()
        .ok_or("no document element")?
        .set_attribute("data-ready", "true")?;
    Ok(())
}

/// Sends the start-up ping through the pool and records its answer on `<html>`.
fn check_workers(pool: &Pool) {
    let callback: Callback = Rc::new(RefCell::new(move |outcome: Outcome| {
        let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        else {
            return;
        };
        match outcome {
            Outcome::Pong { value } => {
                let _ = root.set_attribute("data-worker-pong", &value);
            }
            Outcome::Error { message } => {
                web_sys::console::error_1(&format!("the workers did not start: {message}").into());
                let _ = root.set_attribute("data-worker-error", &message);
            }
            _ => {}
        }
    }));
    pool.submit(Job::Ping { seed: PING_SEED }, true, true, callback);
}
