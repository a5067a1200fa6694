//! Fuzz target: the Stim parser and the streaming circuit reader on arbitrary bytes.
//! Invariants (any violation panics, which libFuzzer reports): see
//! `clinr_explorer::circuit::stim_text::fuzz_check`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    clinr_explorer::circuit::stim_text::fuzz_check(data);
});
