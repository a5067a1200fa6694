//! `clinr`: the command-line face of the engine. Thin: everything lives in `clinr_explorer::cli`.

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(clinr_explorer::cli::main());
}

#[cfg(target_arch = "wasm32")]
fn main() {}
