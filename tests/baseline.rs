//! Issue 14's proof that the new knobs at their defaults (instances m = 1, two_sided_rsp off)
//! change nothing: the CLI prints, byte for byte, what the code before issue 14 printed for the
//! same parameters and seed (tests/fixtures/baseline/, made by its make.sh from commit 03d8679,
//! in every output format, both engines, given circuit files and every restart/knob path).
//!
//! Every knob whose *default* another branch changes (K1, K4) is pinned on the command line, so
//! the numbers cannot move when defaults do. What does depend on the defaults is only the list
//! of non-default knobs (`non_default_knobs` in JSON, the `*` marks and the "Knobs (…)" header
//! of tables, the knob line of sweep tables); that part is masked on both sides before the
//! comparison, everything else must be identical.

use std::path::PathBuf;
use std::process::Command;

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/baseline")
}

/// Removes what depends on the knobs' defaults rather than on the simulation.
fn mask_defaults(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_knobs = false;
    for line in text.split_inclusive('\n') {
        if line.starts_with("Knobs (") {
            in_knobs = true;
            out.push_str("Knobs …\n");
            continue;
        }
        if in_knobs {
            if line.trim().is_empty() {
                in_knobs = false;
                out.push_str(line);
            }
            continue;
        }
        if line.starts_with("Sweep over ") {
            out.push_str(line.split(';').next().unwrap_or(line));
            out.push('\n');
            continue;
        }
        out.push_str(&mask_json_list(line));
    }
    out
}

/// Replaces every `"non_default_knobs":[…]` value by `[]`.
fn mask_json_list(line: &str) -> String {
    const KEY: &str = "\"non_default_knobs\":[";
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find(KEY) {
        out.push_str(&rest[..at + KEY.len()]);
        let after = &rest[at + KEY.len()..];
        // The list holds [key, value] string pairs: skip to the bracket closing it.
        let mut depth = 1;
        let mut in_str = false;
        let mut escaped = false;
        let mut end = after.len();
        for (i, c) in after.char_indices() {
            if in_str {
                match (escaped, c) {
                    (true, _) => escaped = false,
                    (false, '\\') => escaped = true,
                    (false, '"') => in_str = false,
                    _ => {}
                }
                continue;
            }
            match c {
                '"' => in_str = true,
                '[' => depth += 1,
                ']' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        out.push(']');
        rest = &after[(end + 1).min(after.len())..];
    }
    out.push_str(rest);
    out
}

#[test]
fn masking_only_touches_the_default_dependent_parts() {
    let json = r#"{"a":1,"non_default_knobs":[["x","[1]"],["y","\"z\""]],"results":{}}"#;
    assert_eq!(
        mask_json_list(json),
        r#"{"a":1,"non_default_knobs":[],"results":{}}"#
    );
    let table = "CliNR point: n = 6\nKnobs (1 non-default):\n  a=1 *b=2\n\n  p_L\n";
    assert_eq!(
        mask_defaults(table),
        "CliNR point: n = 6\nKnobs …\n\n  p_L\n"
    );
}

#[test]
fn default_new_knobs_reproduce_the_pre_issue_14_outputs_byte_for_byte() {
    let commands = std::fs::read_to_string(dir().join("commands.txt")).expect("commands.txt");
    let mut checked = 0;
    for line in commands.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut words = line.split_whitespace();
        let name = words.next().expect("a name");
        let args: Vec<&str> = words.chain(["--threads", "1"]).collect();
        let out = Command::new(env!("CARGO_BIN_EXE_clinr"))
            .args(&args)
            .current_dir(dir())
            .output()
            .expect("clinr runs");
        assert!(
            out.status.success(),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let now = String::from_utf8(out.stdout).expect("utf-8 output");
        let then = std::fs::read_to_string(dir().join(format!("{name}.out"))).expect("fixture");
        assert_eq!(
            mask_defaults(&now),
            mask_defaults(&then),
            "{name}: output differs from the pre-issue-14 fixture"
        );
        checked += 1;
    }
    assert_eq!(checked, 16);
}
