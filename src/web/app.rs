//! The page: builds the app shell (`shell`), creates the shared parameter store (`state`) and
//! the worker pool, and wires the panels to them: the controls, the ring view, the plots and
//! the export bar. Nothing else imports this module.
//!
//! When the page is built, `<html data-ready="true">` is set; when the worker answers the
//! start-up ping, its value is put on `#worker-status[data-pong]` (the end-to-end test compares
//! it with the value computed natively).

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, MessageEvent, Worker};

use super::worker_pool::{self, Pool, WORKER_URL};
use super::{controls, export, plots, ring_view, shell, state};
use crate::jobs::{Job, Outcome, Reply, Request};

/// Seed of the start-up ping sent to the worker (the fixture in tests/fixtures/ uses it too).
pub const PING_SEED: u64 = 42;

/// Builds the page; called once by the module's start function.
pub fn start() -> Result<(), JsValue> {
    console_error_panic_hook::set_once();
    let window = web_sys::window().ok_or("no window")?;
    let document = window.document().ok_or("no document")?;
    let shell = shell::build(&document)?;

    // One parameter store for the whole page: the controls edit it, the URL hash mirrors it,
    // and the ring animation and the plots follow it.
    let (store, link_error) = state::Store::from_hash(&state::read_hash());
    controls::mount(&shell, store.clone())?;
    if let Some(e) = link_error {
        controls::show_link_error(&shell, &e)?;
    }
    ring_view::mount(&shell, store.clone())?;
    let pool = Pool::new(worker_pool::pool_size(worker_pool::hardware_concurrency()))?;
    let plots = plots::mount(&shell, store.clone(), pool.clone())?;
    export::mount(
        &plots.export_bar().clone(),
        plots.clone(),
        shell.ring.clone(),
        pool,
    )?;

    start_worker(shell.worker_status.clone())?;
    document
        .document_element()
        .ok_or("no document element")?
        .set_attribute("data-ready", "true")?;
    Ok(())
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
