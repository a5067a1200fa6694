//! Browser front end (wasm32 only): a thin layer that builds the page and paints what the
//! engine computes. Logic that can be tested natively lives in the engine (`view`, `jobs`).
//!
//! Two wasm modules are built from this crate (see index.html): the page (the library, whose
//! start function is [`start`]) and the Web Worker (`src/bin/worker.rs` with the `worker`
//! feature, which leaves [`start`] out so the worker does not build a page).

pub mod app;
pub mod controls;
pub mod export;
pub mod playback;
pub mod plots;
pub mod ring_view;
pub mod state;
pub mod timeline;
pub mod worker;
pub mod worker_pool;

/// Entry point of the page module, run by wasm-bindgen when the module loads.
#[cfg(not(feature = "worker"))]
#[wasm_bindgen::prelude::wasm_bindgen(start)]
pub fn start() -> Result<(), wasm_bindgen::JsValue> {
    app::start()
}
