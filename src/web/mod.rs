//! Browser front end (wasm32 only): a thin layer that builds the page and paints what the
//! engine computes. Logic that can be tested natively lives in the engine (`view`, `jobs`).
//!
//! Two wasm modules are built from this crate (see index.html): the page (the library, whose
//! start function is [`start`]) and the Web Worker (`src/bin/worker.rs` with the `worker`
//! feature, which leaves [`start`] out so the worker does not build a page).
//!
//! Layers (each module imports only from the layers below it; no cycles):
//! - `app`: wires everything; nothing imports it.
//! - panels: `export`, `claims_panel`, `scaling_plot` → `plots` → `plot_canvas`; `ring_view` → `timeline`,
//!   `playback`; `controls`; `reading_panel`; `claim_map`.
//! - shared state and services: `state` (parameters ↔ URL hash), `worker_pool`, `shell`,
//!   `presets` (applying a preset, "keep my statistics"), `presentation` (the talk layout:
//!   moves the panels into its overlay by id, imports no panel).
//! - helpers: `dom`, `palette`, `format`, `chart` (plotters series styles, chart tables).
//! - `worker`: the Web Worker's side (the engine's job handler), used by `src/bin/worker.rs`.

pub mod app;
pub mod chart;
pub mod claim_map;
pub mod claims_panel;
pub mod controls;
pub mod dom;
pub mod export;
pub mod format;
pub mod palette;
pub mod playback;
pub mod plot_canvas;
pub mod plots;
pub mod presentation;
pub mod presets;
pub mod reading_panel;
pub mod ring_view;
pub mod scaling_plot;
pub mod shell;
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
