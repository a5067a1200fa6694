//! Issue 15 item 6, the deterministic part: a seeded, structure-aware mutation test of the
//! Stim parser and of the URL-hash decoder, run by `cargo test` (the long, coverage-guided
//! runs are the cargo-fuzz targets under `fuzz/`, see README "Fuzzing").
//!
//! Inputs are real files (tests/fixtures/stim/*.stim, tests/fixtures/stim_crosscheck/*.stim,
//! circuits as `clinr circuit` writes them, the issue's bytes) and real links (the README's
//! hashes, every knob), mutated the way files get damaged: invisible characters inserted
//! (BOM, NUL, lone CR, zero-width and non-breaking spaces, tabs), bytes cut or truncated,
//! lines duplicated, swapped or spliced from another file, numbers replaced by extreme ones
//! (1e-300, 5e-324, 16777216, 4294967296, 70-digit decimals), grammar tokens inserted (tags,
//! parentheses, REPEAT, rec[-k]), case toggled. Every mutant goes through the same invariant
//! checks as the fuzz targets (`stim_text::fuzz_check`, `share::fuzz_check`: no panic, one-line
//! errors, consistent readers, exact round trips); a sample also goes through the `clinr`
//! binary, which must exit 0, or exit 2 with exactly one line on stderr. Inputs that once
//! failed (fuzzer findings and the issue's cases) are kept in tests/fixtures/fuzz/ and
//! replayed. The proptest RNG is seeded, so every run tests the same inputs.

use clinr_explorer::circuit::stim_text;
use clinr_explorer::protocol::block::random_circuit;
use clinr_explorer::protocol::params::Params;
use clinr_explorer::view::share;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn files_in(dir: &str, ext: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(root().join(dir))
        .map(|d| d.filter_map(|e| e.ok()).map(|e| e.path()).collect())
        .unwrap_or_default();
    v.retain(|p| p.to_string_lossy().ends_with(ext));
    v.sort();
    v
}

/// The seed files of the Stim mutation test.
fn stim_seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = files_in("tests/fixtures/stim", ".stim")
        .into_iter()
        .chain(files_in("tests/fixtures/stim_crosscheck", ".stim"))
        .map(|p| std::fs::read(p).expect("fixture"))
        .collect();
    for (n, seed) in [(2u32, 1u64), (5, 7), (12, 3)] {
        let params = Params {
            n,
            seed,
            ..Params::default()
        };
        seeds.push(random_circuit(&params, 0).to_stim_text().into_bytes());
    }
    seeds.push(b"\xef\xbb\xbfH 0\nCX 0 1\n".to_vec());
    seeds.push(b"H[tag] 0\n".to_vec());
    seeds.push(b"M(0.001) 0 !1\nMPP X0*Z1 !Y2\nDETECTOR(1, 2) rec[-1] rec[-3]\n".to_vec());
    seeds
}

/// The seed links of the hash mutation test.
fn hash_seeds() -> Vec<Vec<u8>> {
    [
        "#n=12&tau_e=10",
        "#n=8&p=0.01",
        "n=85&tau_e=1&x=tau_e",
        "n=12&s=40&t=3&r=3&p=1e-4&tau_e=2.5&circuits=20&shots=200&seed=99",
        "noise_model=uniform&restart_rule=end_of_rsv&parallel_links=3&idle_on_resource_during_rspv=false",
        "check_kind=single_qubit&check_measurement=mx&check_redraw=per_attempt&input_timing=just_in_time",
        "correction_noise=noiseless_frame&split_rule=equal_gates&circuit_generator=random_gates",
        "size_count=two_qubit_gates&padding_gates=random_two_qubit_clifford&bell_start=2.5",
        // The edges of the page's ranges (view::plot_data::ui_range), which links keep to.
        "p=1e-5&tau_e=0.1&bell_start=5e-324&seed=9007199254740991",
        "n=128&p=0.01&tau_e=50&circuits=200&shots=10000&bell_start=1e6&r=8&instances=16",
    ]
    .iter()
    .map(|s| s.as_bytes().to_vec())
    .collect()
}

/// Byte strings that break files in practice, and grammar tokens.
const ODD: [&[u8]; 34] = [
    b"\xef\xbb\xbf",
    b"\x00",
    b"\r",
    b"\r\n",
    b"\n",
    b"\t",
    b" ",
    b"\xc2\xa0",
    b"\xe2\x80\x8b",
    b"\xe3\x80\x80",
    b"\xff",
    b"\xc3",
    b"[tag]",
    b"[",
    b"]",
    b"(",
    b")",
    b"(0.1)",
    b",",
    b"#",
    b"!",
    b"*",
    b"{",
    b"}",
    b"REPEAT 1000000000000 {\n",
    b"rec[-1]",
    b"rec[-99999999]",
    b"X0*Y1",
    b"=",
    b"&",
    b"%20",
    b"H",
    b"CX",
    b"DEPOLARIZE1",
];

const NUMBERS: [&str; 20] = [
    // The edges of the page's ranges (view::plot_data::ui_range), which links keep to, and
    // just beyond.
    "2",
    "8",
    "128",
    "129",
    "0.01",
    "9007199254740991",
    "1e-300",
    "5e-324",
    "2.2250738585072014e-308",
    "0.30000000000000004",
    "16777215",
    "16777216",
    "4294967296",
    "99999999999999999999999",
    "511",
    "512",
    "-1",
    "1e999",
    "NaN",
    "0.0000000000000000000000000000000000000000000000000000000000000000000001",
];

#[derive(Clone, Debug)]
enum Mutation {
    Insert(u16, usize),
    Delete(u16, u8),
    Truncate(u16),
    DuplicateLine(u16),
    SwapLines(u16, u16),
    Splice(usize, u16, u16),
    Number(u16, usize),
    ToggleCase(u16),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        4 => (any::<u16>(), 0..ODD.len()).prop_map(|(a, b)| Mutation::Insert(a, b)),
        2 => (any::<u16>(), any::<u8>()).prop_map(|(a, b)| Mutation::Delete(a, b)),
        1 => any::<u16>().prop_map(Mutation::Truncate),
        1 => any::<u16>().prop_map(Mutation::DuplicateLine),
        1 => (any::<u16>(), any::<u16>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        1 => (any::<usize>(), any::<u16>(), any::<u16>()).prop_map(|(a, b, c)| Mutation::Splice(a, b, c)),
        3 => (any::<u16>(), 0..NUMBERS.len()).prop_map(|(a, b)| Mutation::Number(a, b)),
        1 => any::<u16>().prop_map(Mutation::ToggleCase),
    ]
}

/// A position in 0..=len from a u16 fraction.
fn at(frac: u16, len: usize) -> usize {
    (len * usize::from(frac)) / usize::from(u16::MAX)
}

fn lines(data: &[u8]) -> Vec<Vec<u8>> {
    data.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect()
}

fn apply(mut data: Vec<u8>, m: &Mutation, seeds: &[Vec<u8>]) -> Vec<u8> {
    match *m {
        Mutation::Insert(pos, i) => {
            let p = at(pos, data.len());
            data.splice(p..p, ODD[i].iter().copied());
        }
        Mutation::Delete(pos, len) => {
            let p = at(pos, data.len());
            let end = (p + usize::from(len % 16)).min(data.len());
            data.drain(p..end);
        }
        Mutation::Truncate(pos) => data.truncate(at(pos, data.len())),
        Mutation::DuplicateLine(i) => {
            let mut ls = lines(&data);
            let k = at(i, ls.len().saturating_sub(1));
            let copy = ls[k].clone();
            ls.insert(k, copy);
            data = ls.join(&b'\n');
        }
        Mutation::SwapLines(i, j) => {
            let mut ls = lines(&data);
            let n = ls.len().saturating_sub(1);
            ls.swap(at(i, n), at(j, n));
            data = ls.join(&b'\n');
        }
        Mutation::Splice(s, i, j) => {
            let other = lines(&seeds[s % seeds.len()]);
            let mut ls = lines(&data);
            let line = other[at(i, other.len().saturating_sub(1))].clone();
            let k = at(j, ls.len());
            ls.insert(k, line);
            data = ls.join(&b'\n');
        }
        Mutation::Number(pos, i) => {
            // Replace the run of digits (and . e - +) at or after pos by an extreme number.
            let p = at(pos, data.len());
            let is_num = |b: u8| b.is_ascii_digit() || b".e-+".contains(&b);
            match data[p..].iter().position(|&b| b.is_ascii_digit()) {
                Some(off) => {
                    let start = p + off;
                    let end = start
                        + data[start..]
                            .iter()
                            .position(|&b| !is_num(b))
                            .unwrap_or(data.len() - start);
                    data.splice(start..end, NUMBERS[i].bytes());
                }
                None => data.extend_from_slice(NUMBERS[i].as_bytes()),
            }
        }
        Mutation::ToggleCase(pos) => {
            if !data.is_empty() {
                let p = at(pos, data.len() - 1);
                data[p] = if data[p].is_ascii_uppercase() {
                    data[p].to_ascii_lowercase()
                } else {
                    data[p].to_ascii_uppercase()
                };
            }
        }
    }
    data
}

fn mutants(seeds: Vec<Vec<u8>>) -> impl Strategy<Value = Vec<u8>> {
    let n = seeds.len();
    (0..n, proptest::collection::vec(mutation(), 1..6))
        .prop_map(move |(s, ms)| ms.iter().fold(seeds[s].clone(), |d, m| apply(d, m, &seeds)))
}

/// A test runner that always draws the same inputs.
fn runner(cases: u32, seed: u8) -> TestRunner {
    let config = Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    };
    TestRunner::new_with_rng(
        config,
        TestRng::from_seed(RngAlgorithm::ChaCha, &[seed; 32]),
    )
}

#[test]
fn mutated_stim_files_keep_the_parser_invariants() {
    let mut r = runner(5000, 15);
    let (accepted, refused) = (AtomicU32::new(0), AtomicU32::new(0));
    r.run(&mutants(stim_seeds()), |data| {
        stim_text::fuzz_check(&data);
        let ok = std::str::from_utf8(&data).is_ok_and(|t| stim_text::parse(t).is_ok());
        if ok { &accepted } else { &refused }.fetch_add(1, Relaxed);
        Ok(())
    })
    .unwrap();
    // The mutants exercise both sides of the parser.
    let (a, b) = (accepted.into_inner(), refused.into_inner());
    assert!(a > 500 && b > 500, "accepted {a}, refused {b}");
}

#[test]
fn mutated_links_keep_the_hash_invariants() {
    let mut r = runner(5000, 12);
    let (accepted, refused) = (AtomicU32::new(0), AtomicU32::new(0));
    r.run(&mutants(hash_seeds()), |data| {
        share::fuzz_check(&data);
        let ok = std::str::from_utf8(&data).is_ok_and(|h| share::decode(h).is_ok());
        if ok { &accepted } else { &refused }.fetch_add(1, Relaxed);
        Ok(())
    })
    .unwrap();
    let (a, b) = (accepted.into_inner(), refused.into_inner());
    // Links keep to the page's ranges (ui_range), narrower than the engine's, so most number
    // mutations are refused: about 400 of the 5000 mutants are accepted.
    assert!(a > 300 && b > 500, "accepted {a}, refused {b}");
}

/// `clinr export-stim --impl direct --circuit-file F` on `data`: exit 0, or exit 2 with one
/// line on stderr (never a panic, never silence).
fn cli_accepts_or_refuses_in_one_line(data: &[u8], name: &str) {
    let dir = std::env::temp_dir().join(format!("clinr-fuzz-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, data).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_clinr"))
        .args([
            "export-stim",
            "--impl",
            "direct",
            "--p",
            "0.001",
            "--t",
            "1",
        ])
        .arg("--circuit-file")
        .arg(&path)
        .output()
        .expect("clinr runs");
    let err = String::from_utf8_lossy(&out.stderr);
    match out.status.code() {
        Some(0) => assert!(err.is_empty(), "{name}: {err}"),
        Some(2) => {
            assert_eq!(err.trim_end().lines().count(), 1, "{name}: {err:?}");
            assert!(
                err.starts_with("error: ") && !err.contains("panicked"),
                "{err}"
            );
            assert!(out.stdout.is_empty());
        }
        other => panic!("{name}: exit {other:?}: {err}"),
    }
}

#[test]
fn mutated_files_through_the_cli_exit_0_or_2_with_one_line() {
    let mut r = runner(24, 3);
    let i = AtomicU32::new(0);
    r.run(&mutants(stim_seeds()), |data| {
        let k = i.fetch_add(1, Relaxed);
        cli_accepts_or_refuses_in_one_line(&data, &format!("mutant-{k}.stim"));
        Ok(())
    })
    .unwrap();
}

/// Inputs kept from fuzzing and from issue 15 (tests/fixtures/fuzz/stim_parse/*,
/// tests/fixtures/fuzz/hash_decode/*), replayed through the invariants and the CLI.
#[test]
fn kept_inputs_replay_cleanly() {
    let stim = files_in("tests/fixtures/fuzz/stim_parse", "");
    assert!(stim.len() >= 5, "{stim:?}");
    for path in stim {
        let data = std::fs::read(&path).unwrap();
        stim_text::fuzz_check(&data);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        cli_accepts_or_refuses_in_one_line(&data, &name);
    }
    let hashes = files_in("tests/fixtures/fuzz/hash_decode", "");
    assert!(!hashes.is_empty());
    for path in hashes {
        share::fuzz_check(&std::fs::read(&path).unwrap());
    }
}
