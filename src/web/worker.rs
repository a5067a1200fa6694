//! The Web Worker: answers JSON job requests with [`crate::jobs::handle_with`] (progress
//! replies of long jobs are posted as they come, then the final reply).
//!
//! The page loads it with `new Worker("./worker_loader.js")` (Trunk's loader shim for the
//! `worker` binary). The worker posts a `ready` reply once it listens; requests posted before
//! that are lost.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use crate::jobs::{self, Outcome, Reply};

/// Installs the message handler and announces readiness. Called by `src/bin/worker.rs`.
pub fn run() {
    console_error_panic_hook::set_once();
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_scope = scope.clone();
    let onmessage = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let reply = match event.data().as_string() {
            Some(request) => {
                jobs::handle_with(&request, &mut |progress| post(&reply_scope, &progress))
            }
            None => Reply {
                id: 0,
                outcome: Outcome::Error {
                    message: "a request must be a JSON string".into(),
                },
            }
            .to_json(),
        };
        post(&reply_scope, &reply);
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    onmessage.forget();
    post(&scope, &Reply::ready().to_json());
}

fn post(scope: &DedicatedWorkerGlobalScope, message: &str) {
    if let Err(e) = scope.post_message(&JsValue::from_str(message)) {
        web_sys::console::error_2(&"worker: postMessage failed".into(), &e);
    }
}
