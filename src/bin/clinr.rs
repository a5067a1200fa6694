//! `clinr`: the command-line face of the engine (filled by issue 4).
fn main() {}
