//! Web Worker entry point (built by Trunk with `--features worker`; see index.html).

#[cfg(target_arch = "wasm32")]
fn main() {
    clinr_explorer::web::worker::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the worker binary only runs in a browser (target wasm32-unknown-unknown)");
    std::process::exit(2);
}
