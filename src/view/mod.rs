//! View geometry: pure-Rust helpers that decide where things go on screen.
//!
//! Nothing here touches the browser, so the geometry is unit-tested natively; `web` only
//! paints what these functions compute.

pub mod frame;
pub mod layout;
pub mod palette;
pub mod panels;
pub mod plot_data;
pub mod provenance;
pub mod scaling;
pub mod share;
pub mod thresholds;
pub mod warp;
