//! Fuzz target: the URL-hash decoder on arbitrary text.
//! Invariants (any violation panics, which libFuzzer reports): see
//! `clinr_explorer::view::share::fuzz_check`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    clinr_explorer::view::share::fuzz_check(data);
});
