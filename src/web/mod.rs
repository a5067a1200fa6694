//! Browser front end (wasm32 only).
