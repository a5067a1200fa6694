//! The page: builds the app shell (`shell`), creates the page's state (`state`, mirrored in the
//! URL hash both ways) and the worker pool, and wires the panels to them: the controls, the
//! ring view, the plots, the export bar and presentation mode. Nothing else imports this
//! module.
//!
//! **Start-up in short tasks**, so the browser paints the page before the heavy part:
//! 1. the shell, the state, the worker pool (the workers load their module meanwhile) and the
//!    controls — then the first paint;
//! 2. the plots and the export bar (their first jobs go to the workers at once), then the
//!    workers' start-up check (queued after them: a new computation cancels queued jobs);
//! 3. the ring view (it samples and lays out its first run), presentation mode, the canonical
//!    hash, and `<html data-ready="true">`.
//!
//! Each step leaves a `performance.mark` (`clinr:start`, `clinr:shell`, `clinr:plots`,
//! `clinr:ring`, `clinr:ready`) for the performance panel and the end-to-end tests. A step
//! that fails logs its error and sets `<html data-start-error="…">`.
//!
//! The start-up check of the workers (a ping whose answer the end-to-end test compares with
//! the value computed natively) is kept out of sight: `<html data-worker-pong="…">`, or
//! `data-worker-error` when it fails.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::state::Store;
use super::worker_pool::{self, Callback, Pool};
use super::{
    claim_map, claims_panel, controls, dom, export, palette, plots, presentation, presets,
    reading_panel, ring_view, scaling_plot, shell, state,
};
use crate::jobs::{Job, Outcome};

/// Seed of the start-up ping sent to the worker (the fixture in tests/fixtures/ uses it too).
pub const PING_SEED: u64 = 42;

/// How long a step waits for a frame before it runs anyway (a tab opened in the background
/// gets no frames).
const STEP_FALLBACK_MS: i32 = 200;

/// Builds the page; called once by the module's start function. Step 1 runs now, the others
/// after the first paint (see the module documentation).
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    dom::mark("clinr:start");
    let document = dom::document()?;
    palette::install_css(&document, &palette::LIGHT)?;
    let shell = Rc::new(shell::build(&document)?);

    // One state for the whole page: the controls edit it, the URL hash mirrors it both ways,
    // and the ring animation and the plots follow it.
    let (store, link_error) = Store::from_hash(&state::read_hash());
    let pool = Pool::new(worker_pool::pool_size(worker_pool::hardware_concurrency()))?;
    let presets = presets::Presets::new(store.clone());
    controls::mount(&shell, store.clone(), presets.clone())?;
    // The reading banner (#reading) is part of the first paint: every number on the page is
    // read under it.
    reading_panel::mount(&document, store.clone())?;
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
    dom::mark("clinr:shell");
    dom::after_paint(STEP_FALLBACK_MS, move || {
        step("plots", || {
            let plots = plots::mount(&shell, store.clone(), pool.clone())?;
            export::mount(
                plots.export_bar(),
                plots.clone(),
                shell.ring.clone(),
                pool.clone(),
            )?;
            // Issue 12 and 14 panels: the claims panel (#claims), the scaling view (#scaling,
            // under the plots on the t axis) and the claim map (#claim-map).
            let document = dom::document()?;
            claims_panel::mount(&document, plots.clone(), presets.clone())?;
            scaling_plot::mount(&document, plots.clone())?;
            claim_map::mount(&document, store.clone(), pool.clone())
        });
        // After the plots' first jobs: a new computation cancels what is queued.
        check_workers(&pool);
        dom::mark("clinr:plots");
        dom::after_paint(STEP_FALLBACK_MS, move || {
            step("ring", || ring_view::mount(&shell, store.clone()));
            dom::mark("clinr:ring");
            step("presentation", || presentation::mount(&dom::document()?));
            // Write the canonical hash (every parameter) so the address bar is the state.
            store.write_url();
            step("ready", || {
                dom::document()?
                    .document_element()
                    .ok_or("no document element")?
                    .set_attribute("data-ready", "true")
            });
            dom::mark("clinr:ready");
        });
    });
    Ok(())
}

/// Runs one start-up step; a failure is logged and recorded on `<html data-start-error>`.
fn step(name: &str, f: impl FnOnce() -> Result<(), JsValue>) {
    if let Err(e) = f() {
        web_sys::console::error_2(&format!("start-up step '{name}' failed").into(), &e);
        let text = e.as_string().unwrap_or_else(|| format!("{e:?}"));
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = root.set_attribute("data-start-error", &format!("{name}: {text}"));
        }
    }
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
