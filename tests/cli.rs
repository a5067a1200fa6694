//! End-to-end tests of the `clinr` binary: help, input errors (exit 2, one stderr line, no
//! panic), output shapes, determinism and circuit-file round trips.

use clinr_explorer::circuit::stim_text;
use clinr_explorer::protocol::block::random_circuit;
use clinr_explorer::protocol::params::{Knobs, Params};
use std::path::PathBuf;
use std::process::{Command, Output};

fn clinr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinr"))
        .args(args)
        .output()
        .expect("clinr runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Runs successfully and returns stdout.
fn ok(args: &[&str]) -> String {
    let o = clinr(args);
    assert!(o.status.success(), "{args:?} failed: {}", stderr(&o));
    stdout(&o)
}

/// Fails with exit code 2, exactly one stderr line, no panic; returns that line.
fn bad(args: &[&str]) -> String {
    let o = clinr(args);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err:?}");
    assert!(stdout(&o).is_empty(), "{args:?} wrote to stdout");
    err
}

fn temp_file(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("clinr-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write temp file");
    path
}

const SMALL: [&str; 10] = [
    "--n",
    "6",
    "--circuits",
    "3",
    "--shots",
    "50",
    "--seed",
    "5",
    "--t",
    "2",
];

fn with<'a>(head: &[&'a str], tail: &[&'a str]) -> Vec<&'a str> {
    head.iter().chain(tail).copied().collect()
}

#[test]
fn help_lists_every_knob_flag_and_parameter() {
    for sub in ["simulate", "sweep"] {
        let help = ok(&[sub, "--help"]);
        let knobs = serde_json::to_value(Knobs::default()).unwrap();
        for key in knobs.as_object().unwrap().keys() {
            let flag = format!("--{}", key.replace('_', "-"));
            assert!(help.contains(&flag), "{sub} --help lacks {flag}");
        }
        for flag in [
            "--n ",
            "--s ",
            "--t ",
            "--r ",
            "--p ",
            "--tau-e",
            "--circuits",
            "--shots",
            "--seed",
            "--circuit-file",
            "--engine",
            "--format",
        ] {
            assert!(help.contains(flag), "{sub} --help lacks {flag}");
        }
        assert!(help.contains("single_qubit") && help.contains("end_of_rsv"));
    }
    assert!(ok(&["sweep", "--help"]).contains("--vary"));
    assert!(ok(&["circuit", "--help"]).contains("--index"));
}

#[test]
fn bad_inputs_exit_2_with_one_line() {
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["simulate", "--n", "0"], "n = 0"),
        (vec!["simulate", "--t", "0"], "t = 0"),
        (vec!["simulate", "--p", "1.5"], "p = 1.5"),
        (vec!["simulate", "--p=-0.1"], "p = -0.1"),
        (vec!["simulate", "--p", "NaN"], "p = NaN"),
        (vec!["simulate", "--tau-e", "0"], "tau-e"),
        (vec!["simulate", "--tau-e=-1"], "tau-e"),
        (vec!["simulate", "--shots", "0"], "shots"),
        (vec!["simulate", "--circuits", "0"], "circuits"),
        (vec!["simulate", "--n", "100000"], "n = 100000"),
        (vec!["simulate", "--r", "1000"], "r = 1000"),
        (vec!["simulate", "--s", "999999999"], "s = "),
        (vec!["simulate", "--parallel-links", "0"], "parallel-links"),
        (
            vec!["simulate", "--storage-idle-rate", "0.1"],
            "storage-idle-rate",
        ),
        (vec!["simulate", "--n", "abc"], "--n"),
        (
            vec!["simulate", "--check-kind", "bogus"],
            "uniform, single_qubit",
        ),
        (
            vec!["simulate", "--check-measurement", "MX"],
            "h_then_mz, mx",
        ),
        (vec!["simulate", "--engine", "turbo"], "fast, reference"),
        (
            vec!["simulate", "--restart-rule", "never"],
            "first_failure, end_of_rsv",
        ),
        (
            vec!["simulate", "--idle-on-resource-during-rspv", "maybe"],
            "--idle-on-resource-during-rspv",
        ),
        (vec!["simulate", "--no-such-flag"], "--no-such-flag"),
        (vec!["simulate", "--format", "xml"], "xml"),
        (vec!["sweep", "--vary", "q=1,2"], "n, tau-e, p, t"),
        (vec!["sweep", "--vary", "n=5,x"], "'x'"),
        (vec!["sweep", "--vary", "tau-e=1,0"], "tau-e"),
        (vec!["circuit", "--n", "0"], "n = 0"),
    ];
    for (args, needle) in cases {
        let line = bad(&args);
        assert!(line.contains(needle), "{args:?}: '{line}' lacks '{needle}'");
    }
    // A missing --vary is a clap usage error: exit 2, no panic.
    let o = clinr(&["sweep"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!stderr(&o).contains("panicked"));
}

#[test]
fn bad_circuit_files_name_the_file_and_line() {
    let missing = std::env::temp_dir().join("clinr-no-such-dir/none.stim");
    let line = bad(&["simulate", "--circuit-file", missing.to_str().unwrap()]);
    assert!(
        line.contains("none.stim") && line.contains("cannot read"),
        "{line}"
    );

    let malformed = temp_file("malformed.stim", "H 0\nCX 0 1\nFOO 2\n");
    let line = bad(&["simulate", "--circuit-file", malformed.to_str().unwrap()]);
    assert!(
        line.contains("malformed.stim") && line.contains("line 3"),
        "{line}"
    );

    let measured = temp_file("measured.stim", "H 0 1\nM 0\n");
    let line = bad(&["simulate", "--circuit-file", measured.to_str().unwrap()]);
    assert!(
        line.contains("measured.stim") && line.contains("line 2"),
        "{line}"
    );

    let three = temp_file("three.stim", "H 0\nCX 1 2\n");
    let line = bad(&[
        "simulate",
        "--n",
        "6",
        "--circuit-file",
        three.to_str().unwrap(),
    ]);
    assert!(
        line.contains("three.stim") && line.contains("3 qubits"),
        "{line}"
    );

    let four = temp_file("four.stim", "H 3\n");
    let line = bad(&[
        "simulate",
        "--circuit-file",
        three.to_str().unwrap(),
        "--circuit-file",
        four.to_str().unwrap(),
    ]);
    assert!(
        line.contains("four.stim") && line.contains("4 qubits"),
        "{line}"
    );

    let line = bad(&[
        "simulate",
        "--circuits",
        "2",
        "--circuit-file",
        three.to_str().unwrap(),
    ]);
    assert!(line.contains("--circuits 2"), "{line}");

    let empty = temp_file("empty.stim", "# nothing\n");
    let line = bad(&["simulate", "--circuit-file", empty.to_str().unwrap()]);
    assert!(line.contains("empty.stim"), "{line}");
}

#[test]
fn circuit_prints_exactly_the_simulated_circuit() {
    for (n, seed, index, generator) in [
        (6u32, 7u64, 0u32, "stim_elimination"),
        (5, 3, 2, "random_gates"),
        (2, 1, 1, "qiskit_greedy"),
        (4, 2, 0, "qiskit_ag"),
    ] {
        let text = ok(&[
            "circuit",
            "--n",
            &n.to_string(),
            "--seed",
            &seed.to_string(),
            "--index",
            &index.to_string(),
            "--circuit-generator",
            generator,
        ]);
        let parsed = stim_text::parse(&text).unwrap().to_circuit().unwrap();
        let params = Params {
            n,
            seed,
            knobs: Knobs {
                circuit_generator: clinr_explorer::cli::serde_arg::parse_serde(generator).unwrap(),
                ..Default::default()
            },
            ..Default::default()
        };
        assert_eq!(parsed, random_circuit(&params, index), "n={n} seed={seed}");
        assert_eq!(parsed.len(), (n * n) as usize);
    }
    // --s changes the size.
    let text = ok(&["circuit", "--n", "4", "--s", "7", "--seed", "2"]);
    let c = stim_text::parse(&text).unwrap().to_circuit().unwrap();
    assert_eq!((c.n, c.len()), (4, 7));
}

// ---- The tests below run the engines. ----

#[test]
fn simulate_json_has_the_required_shape_and_is_deterministic() {
    let args = with(&["simulate", "--format", "json"], &SMALL);
    let a = ok(&args);
    let b = ok(&args);
    assert_eq!(a, b, "same seed must give byte-identical JSON");
    let v: serde_json::Value = serde_json::from_str(&a).unwrap();
    assert_eq!(v["params"]["n"], 6);
    assert_eq!(v["params"]["circuits"], 3);
    for imp in ["direct", "monolithic", "distributed"] {
        let r = &v["results"][imp];
        for k in ["logical_error_rate", "depth"] {
            assert!(r[k]["mean"].is_number(), "{imp}.{k}.mean");
            assert!(r[k]["std"].is_number(), "{imp}.{k}.std");
        }
        let per = r["per_circuit"].as_array().unwrap();
        assert_eq!(per.len(), 3);
        for c in per {
            assert!(c["logical_error_rate"].is_number() && c["depth"].is_number());
        }
        match imp {
            "direct" => assert!(r.get("restart_probability").is_none()),
            _ => assert_eq!(r["restart_probability"].as_array().unwrap().len(), 2),
        }
    }
    let mut other_seed = args.clone();
    let at = other_seed.iter().position(|&a| a == "5").unwrap();
    other_seed[at] = "6";
    let other = ok(&other_seed);
    assert_ne!(a, other);
}

#[test]
fn circuit_files_reproduce_the_generated_circuits() {
    let mut files = Vec::new();
    for i in 0..3u32 {
        let text = ok(&[
            "circuit",
            "--n",
            "6",
            "--seed",
            "5",
            "--index",
            &i.to_string(),
        ]);
        files.push(temp_file(&format!("roundtrip-{i}.stim"), &text));
    }
    let generated = ok(&with(&["simulate", "--format", "json"], &SMALL));
    let mut args = vec![
        "simulate", "--format", "json", "--shots", "50", "--seed", "5", "--t", "2",
    ];
    for f in &files {
        args.push("--circuit-file");
        args.push(f.to_str().unwrap());
    }
    // n and circuits come from the files; every number is the same. The report says that
    // the circuits were given and that s is their size (n² = 36 when drawn).
    let from_files: serde_json::Value = serde_json::from_str(&ok(&args)).unwrap();
    let mut expected: serde_json::Value = serde_json::from_str(&generated).unwrap();
    expected["params"]["s"] = 36.into();
    expected["given_circuits"] = true.into();
    assert_eq!(from_files, expected);
}

#[test]
fn sweep_csv_and_jsonl_have_one_row_per_point() {
    let csv = ok(&with(
        &["sweep", "--vary", "tau-e=1,2,3", "--format", "csv"],
        &SMALL,
    ));
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].starts_with("tau_e,direct_logical_error_rate_mean"));
    assert_eq!(lines[0].split(',').count(), 14);
    assert!(lines[0].ends_with(",reading"));
    assert!(lines[3].starts_with("3,"));
    // The reading of the defaults is one of the two named readings.
    let reading = lines[3].rsplit(',').next().unwrap();
    assert!(
        ["paper_consistent", "literal"].contains(&reading),
        "{reading}"
    );
    let jsonl = ok(&with(
        &["sweep", "--vary", "n=4,6", "--format", "jsonl"],
        &SMALL,
    ));
    let rows: Vec<serde_json::Value> = jsonl
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["params"]["n"], 4);
    assert_eq!(rows[1]["value"], 6.0);
    assert!(rows[1]["results"]["distributed"]["depth"]["mean"].is_number());
    assert_eq!(rows[1]["reading"]["kind"], reading);
}

#[test]
fn never_accepted_blocks_exit_2_quickly_with_the_cap_message() {
    let start = std::time::Instant::now();
    // At p = 0.3 every check is a coin flip, so a block is accepted with probability ≈ 2^-r:
    // r = 30 makes acceptance within the cap astronomically unlikely.
    let err = bad(&[
        "simulate",
        "--n",
        "20",
        "--p",
        "0.3",
        "--r",
        "30",
        "--circuits",
        "1",
        "--shots",
        "1",
    ]);
    assert!(
        err.contains("was not accepted after 100000 attempts") && err.contains("lower p, r or n"),
        "{err}"
    );
    assert!(
        start.elapsed() < std::time::Duration::from_secs(20),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn export_stim_writes_the_library_exports() {
    use clinr_explorer::protocol::block::Instance;
    use clinr_explorer::protocol::stim_export::{export_direct, export_rsp_attempt};
    let args = [
        "--n", "5", "--t", "2", "--r", "2", "--p", "0.01", "--seed", "9",
    ];
    let params = Params {
        n: 5,
        t: 2,
        r: 2,
        p: 0.01,
        seed: 9,
        ..Default::default()
    };
    let inst = Instance::generate(&params, 1);
    let direct = ok(&with(
        &["export-stim", "--impl", "direct", "--index", "1"],
        &args,
    ));
    stim_text::parse(&direct).expect("direct export parses");
    assert_eq!(direct, export_direct(&inst, &params));
    let attempt = ok(&with(
        &[
            "export-stim",
            "--impl",
            "rsp-attempt",
            "--block",
            "2",
            "--index",
            "1",
        ],
        &args,
    ));
    stim_text::parse(&attempt).expect("attempt export parses");
    assert_eq!(attempt, export_rsp_attempt(&inst, &params, 2).unwrap());
    // A circuit file gives the same export as the generated circuit it holds.
    let file = temp_file(
        "export.stim",
        &ok(&with(&["circuit", "--index", "1"], &args)),
    );
    let from_file = ok(&with(
        &[
            "export-stim",
            "--impl",
            "direct",
            "--index",
            "1",
            "--circuit-file",
            file.to_str().unwrap(),
        ],
        &args,
    ));
    assert_eq!(from_file, direct);
    // Errors: one line, exit 2.
    let e = bad(&with(
        &["export-stim", "--impl", "rsp-attempt", "--block", "3"],
        &args,
    ));
    assert!(e.contains("block 3 does not exist"), "{e}");
    bad(&with(
        &["export-stim", "--impl", "direct", "--block", "1"],
        &args,
    ));
    bad(&with(&["export-stim", "--impl", "bogus"], &args));
    bad(&["export-stim", "--impl", "direct", "--n", "0"]);
    let help = ok(&["export-stim", "--help"]);
    assert!(
        help.contains("rsp-attempt") && help.contains("--block"),
        "{help}"
    );
}

/// Runs `clinr args` with `input` on standard input.
fn clinr_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_clinr"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("clinr runs");
    // The CLI may exit before reading (bad flags): a broken pipe is then expected.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes());
    child.wait_with_output().expect("clinr finishes")
}

fn tableau_of(text: &str, n: u32) -> clinr_explorer::tableau::Tableau {
    let mut c = stim_text::parse(text).unwrap().to_circuit().unwrap();
    assert!(c.n <= n);
    c.n = n;
    clinr_explorer::tableau::Tableau::from_circuit(&c)
}

#[test]
fn synthesize_rewrites_a_circuit_into_the_same_clifford() {
    let input = ok(&[
        "circuit",
        "--n",
        "7",
        "--seed",
        "3",
        "--circuit-generator",
        "random_gates",
    ]);
    let file = temp_file("synth-in.stim", &input);
    let want = tableau_of(&input, 7);
    for method in ["stim_elimination", "qiskit_greedy", "qiskit_ag"] {
        let out = ok(&[
            "synthesize",
            "--method",
            method,
            "--circuit-file",
            file.to_str().unwrap(),
        ]);
        let header = out.lines().next().unwrap();
        assert!(
            header.starts_with(&format!("# clinr synthesize: n=7 method={method} gates=")),
            "{header}"
        );
        assert_eq!(tableau_of(&out, 7), want, "{method}");
        // The same from standard input.
        let o = clinr_stdin(&["synthesize", "--method", method], &input);
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(stdout(&o), out, "{method}: stdin and file agree");
    }
    // The default method is Stim's elimination.
    assert_eq!(
        ok(&["synthesize", "--circuit-file", file.to_str().unwrap()]),
        ok(&[
            "synthesize",
            "--method",
            "stim_elimination",
            "--circuit-file",
            file.to_str().unwrap()
        ])
    );
}

/// Fresh-eyes report (issue 15 follow-up): synthesize read its input whole (/dev/zero grew to
/// 9.7 GB, a 5M-gate file peaked at 1.06 GB); it now reads with the caps of circuit files.
#[test]
fn synthesize_reads_with_the_circuit_file_caps() {
    let long = "H 0 ".repeat(10) + &"0 ".repeat(34 << 20);
    let o = clinr_stdin(&["synthesize"], &long);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("longer than 67108864 bytes, the cap on one line"),
        "{}",
        stderr(&o)
    );
    #[cfg(target_os = "linux")]
    {
        let o = clinr(&["synthesize", "--circuit-file", "/dev/zero"]);
        assert_eq!(o.status.code(), Some(2));
        assert!(stderr(&o).contains("the cap on one line"), "{}", stderr(&o));
    }
    let big = temp_file("too-many-gates.stim", &"H 0\n".repeat((1 << 22) + 1));
    let o = clinr(&["synthesize", "--circuit-file", big.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("gates"), "{}", stderr(&o));
}

#[test]
fn synthesize_pads_with_n_and_declares_every_qubit() {
    // Qiskit's syntheses of the identity have no gate: the last qubit is declared instead.
    let o = clinr_stdin(
        &["synthesize", "--method", "qiskit_ag", "--n", "5"],
        "H 1\nH 1\n",
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.starts_with("# clinr synthesize: n=5 method=qiskit_ag gates=0 "),
        "{out}"
    );
    assert_eq!(stim_text::parse(&out).unwrap().num_qubits(), 5);
    // Stim's elimination of the identity is H H on the last qubit, as Stim writes it.
    let o = clinr_stdin(&["synthesize", "--n", "3"], "");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    assert!(stdout(&o).ends_with("\nH 2 2\n"), "{}", stdout(&o));
    let o = clinr_stdin(&["synthesize", "--n", "4"], "CX 0 2\nS 1\n");
    assert!(o.status.success());
    assert_eq!(tableau_of(&stdout(&o), 4), tableau_of("CX 0 2\nS 1\n", 4));
}

/// Fails with exit 2 and one stderr line, with `input` on stdin.
fn bad_stdin(args: &[&str], input: &str) -> String {
    let o = clinr_stdin(args, input);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{err:?}");
    assert!(stdout(&o).is_empty());
    err
}

#[test]
fn synthesize_refuses_non_unitary_or_bad_input() {
    for (input, what) in [
        ("H 0\nM 0\n", "M"),
        ("R 1\nH 0\n", "R"),
        ("H 0\nDEPOLARIZE1(0.01) 0\n", "DEPOLARIZE1"),
        ("H 0\nX_ERROR(0.1) 1\n", "X_ERROR"),
        ("MPP X0*Z1\n", "MPP"),
    ] {
        let line = bad_stdin(&["synthesize"], input);
        assert!(line.contains(what) && line.contains("line"), "{line}");
    }
    let line = bad_stdin(&["synthesize", "--n", "2"], "CX 0 3\n");
    assert!(
        line.contains("4 qubits") && line.contains("--n is 2"),
        "{line}"
    );
    let line = bad_stdin(&["synthesize"], "# nothing\n");
    assert!(line.contains("no qubit"), "{line}");
    let line = bad_stdin(&["synthesize"], "H 99999\n");
    assert!(line.contains("above the cap of 4096 qubits"), "{line}");
    bad_stdin(&["synthesize", "--method", "magic"], "H 0\n");
    bad_stdin(&["synthesize"], "FOO 0\n");
    let line = bad(&["synthesize", "--circuit-file", "/nonexistent/c.stim"]);
    assert!(line.contains("/nonexistent/c.stim"), "{line}");
}

#[test]
fn former_generator_names_work_with_a_one_line_note() {
    for (old, new) in [
        ("synthesized_elimination", "qiskit_ag"),
        ("synthesized_greedy", "qiskit_greedy"),
    ] {
        let o = clinr(&[
            "circuit",
            "--n",
            "5",
            "--seed",
            "2",
            "--circuit-generator",
            old,
        ]);
        assert!(o.status.success());
        assert_eq!(
            stderr(&o),
            format!("clinr: note: circuit_generator '{old}' is now called '{new}'\n")
        );
        let same = ok(&[
            "circuit",
            "--n",
            "5",
            "--seed",
            "2",
            "--circuit-generator",
            new,
        ]);
        assert_eq!(stdout(&o), same);
        assert!(same.contains(&format!("circuit_generator={new}")));
    }
    // No note for current names.
    let o = clinr(&["circuit", "--n", "5", "--circuit-generator", "qiskit_ag"]);
    assert!(stderr(&o).is_empty(), "{}", stderr(&o));
}

#[test]
fn table_names_the_k1_reading() {
    let t = ok(&with(&["simulate", "--format", "table"], &SMALL));
    assert!(
        t.contains("idle_on_resource_during_rspv=false (paper-consistent reading)"),
        "{t}"
    );
    let t = ok(&with(
        &[
            "simulate",
            "--format",
            "table",
            "--idle-on-resource-during-rspv",
            "true",
        ],
        &SMALL,
    ));
    assert!(
        t.contains("*idle_on_resource_during_rspv=true (literal reading)"),
        "{t}"
    );
}
/// Issue 15: a 3-gate file on 2 qubits reported s = 4 (n²), and with `--s 99` exited 0
/// reporting s = 99 while its one circuit had 3 gates. Flags that describe a drawn circuit are
/// now refused with --circuit-file, and the report's s is the file's size.
#[test]
fn circuit_files_report_their_own_size_and_refuse_drawn_circuit_flags() {
    let three = temp_file("issue15-three-gates.stim", "H 0\nCX 0 1\nS 1\n");
    let f = three.to_str().unwrap();
    let line = bad(&["simulate", "--circuit-file", f, "--s", "99"]);
    assert!(
        line.contains("--s does not apply with --circuit-file"),
        "{line}"
    );
    for (flag, value) in [
        ("--circuit-generator", "random_gates"),
        ("--padding-gates", "h_s_cx"),
        ("--size-count", "all_gates"),
    ] {
        let line = bad(&["simulate", "--circuit-file", f, flag, value]);
        assert!(line.contains(&format!("{flag} does not apply")), "{line}");
        let line = bad(&[
            "sweep",
            "--vary",
            "tau-e=1,2",
            "--circuit-file",
            f,
            flag,
            value,
        ]);
        assert!(line.contains(&format!("{flag} does not apply")), "{line}");
    }
    let line = bad(&[
        "simulate",
        "--circuit-file",
        f,
        "--s",
        "3",
        "--padding-gates",
        "h_s_cx",
    ]);
    assert!(line.contains("--s, --padding-gates do not apply"), "{line}");
    let line = bad(&[
        "export-stim",
        "--impl",
        "direct",
        "--circuit-file",
        f,
        "--s",
        "3",
    ]);
    assert!(line.contains("--s does not apply"), "{line}");
    // Without them, s is the file's gate count everywhere.
    let args = ["--circuit-file", f, "--t", "1", "--shots", "20"];
    let json = ok(&with(&["simulate", "--format", "json"], &args));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["params"]["s"], 3);
    assert_eq!(v["params"]["n"], 2);
    assert_eq!(v["derived"]["per_circuit"][0]["size"], 3);
    assert_eq!(v["given_circuits"], true);
    let table = ok(&with(&["simulate"], &args));
    assert!(table.contains("n = 2, s = 3,"), "{table}");
    assert!(
        table.contains("Circuits: given (--circuit-file)"),
        "{table}"
    );
    let csv = ok(&with(&["simulate", "--format", "csv"], &args));
    assert!(
        csv.lines().next().unwrap().ends_with(",size,reading"),
        "{csv}"
    );
    assert!(
        csv.lines().nth(1).unwrap().ends_with(",3,paper_consistent"),
        "{csv}"
    );
    // Files of different sizes: s is per circuit.
    let two = temp_file("issue15-two-gates.stim", "H 0\nCZ 1 0\n");
    let args = [
        "--circuit-file",
        f,
        "--circuit-file",
        two.to_str().unwrap(),
        "--t",
        "1",
        "--shots",
        "20",
    ];
    let v: serde_json::Value =
        serde_json::from_str(&ok(&with(&["simulate", "--format", "json"], &args))).unwrap();
    assert!(v["params"]["s"].is_null());
    assert_eq!(v["derived"]["per_circuit"][1]["size"], 2);
    let table = ok(&with(&["simulate"], &args));
    assert!(table.contains("s = 2…3 (per circuit)"), "{table}");
    let csv = ok(&with(&["simulate", "--format", "csv"], &args));
    let sizes: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.rsplit(',').nth(1).unwrap())
        .collect();
    assert_eq!(sizes, ["3", "2"]);
    // Drawn circuits keep their behaviour: no given_circuits field, s = n² unless set.
    let v: serde_json::Value =
        serde_json::from_str(&ok(&with(&["simulate", "--format", "json"], &SMALL))).unwrap();
    assert!(v.get("given_circuits").is_none());
    assert!(v["params"]["s"].is_null());
}

/// Issue 15: a UTF-8 byte-order mark used to give "unknown gate 'H'"; tags "unknown gate
/// 'H[tag]'". The exact bytes of the issue now run; tags are refused by name, with the line.
#[test]
fn issue_15_odd_files_through_the_cli() {
    let dir = std::env::temp_dir().join(format!("clinr-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bom = dir.join("issue15-bom.stim");
    std::fs::write(
        &bom,
        [
            0xef, 0xbb, 0xbf, 0x48, 0x20, 0x30, 0x0a, 0x43, 0x58, 0x20, 0x30, 0x20, 0x31, 0x0a,
        ],
    )
    .unwrap();
    let text = ok(&[
        "export-stim",
        "--impl",
        "direct",
        "--t",
        "1",
        "--circuit-file",
        bom.to_str().unwrap(),
    ]);
    assert!(text.contains("n = 2, Δ = 2, s = 2"), "{text}");
    let tag = temp_file("issue15-tag.stim", "H[tag] 0\n");
    let line = bad(&["simulate", "--circuit-file", tag.to_str().unwrap()]);
    assert!(
        line.contains("issue15-tag.stim: line 1: tags (`[...]`) are not supported"),
        "{line}"
    );
    let nul = temp_file("issue15-nul.stim", "H 0\nCX 0 1\0\n");
    let line = bad(&["simulate", "--circuit-file", nul.to_str().unwrap()]);
    assert!(
        line.contains("line 2: unexpected '\\u{0}' (NUL) at column 7"),
        "{line}"
    );
    let wide = temp_file("issue15-wide.stim", "H 0\nCX 0 512\n");
    let line = bad(&["simulate", "--circuit-file", wide.to_str().unwrap()]);
    assert!(
        line.contains("line 2: qubit index 512 needs 513 qubits, above the cap of 512"),
        "{line}"
    );
}

/// Issue 15: a 5M-gate file took 1.5 GB; files now obey the gate cap of drawn circuits
/// (s ≤ 4,194,304), refused while reading, at the first gate over the cap.
#[test]
fn files_over_the_gate_cap_are_refused_while_reading() {
    let cap = clinr_explorer::protocol::params::limits::MAX_S as usize;
    let big = temp_file("issue15-over-cap.stim", &"H 0\n".repeat(cap + 1));
    let line = bad(&["simulate", "--circuit-file", big.to_str().unwrap()]);
    assert!(
        line.contains(&format!(
            "line {}: the circuit has more than {cap} gates",
            cap + 1
        )),
        "{line}"
    );
    let _ = std::fs::remove_file(big);
    // All files of a run together: at most 2^23 gates.
    let third = 2_900_000;
    let part = temp_file("issue15-part.stim", &"H 0\n".repeat(third));
    let p = part.to_str().unwrap();
    let line = bad(&[
        "simulate",
        "--circuit-file",
        p,
        "--circuit-file",
        p,
        "--circuit-file",
        p,
    ]);
    assert!(
        line.contains("the circuit files hold more than 8388608 gates together"),
        "{line}"
    );
    let _ = std::fs::remove_file(part);
}

/// Fresh-eyes report L3: one circuit printed "0.47500 ± 0.00000", a zero error bar where no
/// spread can be estimated. Every table with ± (simulate, sweep, merge) says "± n/a" with a
/// note; the JSON keeps its shape (`std` = 0, no NaN, no null).
#[test]
fn one_circuit_tables_say_no_spread_instead_of_zero() {
    let one = ["--n", "6", "--circuits", "1", "--shots", "20", "--t", "2"];
    let table = ok(&with(&["simulate"], &one));
    let sweep = ok(&with(&["sweep", "--vary", "tau-e=1,30"], &one));
    for (name, out) in [("simulate", &table), ("sweep", &sweep)] {
        assert!(!out.contains("± 0.0"), "{name}: {out}");
        assert!(out.matches("± n/a").count() >= 6, "{name}: {out}");
        assert!(
            out.contains("± n/a: 1 circuit, so no spread over circuits can be estimated"),
            "{name}: {out}"
        );
    }
    assert!(
        table.contains("Δ = 22.0 ± n/a") || table.contains(" ± n/a\n"),
        "{table}"
    );
    // Two circuits: a spread, and no note.
    let two = ok(&with(&["simulate"], &SMALL));
    assert!(!two.contains("n/a") && two.contains(" ± "), "{two}");
    // The JSON keeps its shape: std is a number (0 for one circuit).
    let json: serde_json::Value =
        serde_json::from_str(&ok(&with(&["simulate", "--format", "json"], &one))).unwrap();
    for imp in ["direct", "monolithic", "distributed"] {
        for q in ["logical_error_rate", "depth"] {
            assert_eq!(
                json["results"][imp][q]["std"].as_f64(),
                Some(0.0),
                "{imp} {q}"
            );
        }
    }
}

/// The option blocks of a `--help` text: (first line, whole block).
fn help_options(help: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in help.lines() {
        let t = line.trim_start();
        let indent = line.len() - t.len();
        if indent > 0 && indent <= 6 && (t.starts_with("--") || t.starts_with('-')) {
            out.push((t.to_string(), String::new()));
        } else if !line.is_empty() && !line.starts_with(' ') {
            // A heading ends the block.
            out.push((String::new(), String::new()));
        } else if let Some((_, block)) = out.last_mut() {
            block.push_str(t);
            block.push('\n');
        }
    }
    out.retain(|(head, _)| !head.is_empty());
    out
}

const SUBCOMMANDS: [&str; 7] = [
    "simulate",
    "sweep",
    "circuit",
    "merge",
    "export-stim",
    "synthesize",
    "claims",
];

/// Fresh-eyes report L7: `--engine` showed no default. Every option that takes a value and
/// has a default shows it in `--help` ("[default: …]"); the only ones without are optional
/// inputs that have none.
#[test]
fn help_shows_the_default_of_every_option() {
    // Options that are required or optional without a default.
    let none = ["--vary", "--circuit-file", "--shard", "--impl"];
    for sub in SUBCOMMANDS {
        let help = ok(&[sub, "--help"]);
        let options = help_options(&help);
        assert!(options.len() >= 2, "{sub}: {options:?}");
        for (head, block) in options {
            let flag = head.split([' ', ',', '=']).next().unwrap_or("");
            let takes_value = head.contains('<');
            if !takes_value || none.contains(&flag) || flag == "-h" || flag == "-V" {
                continue;
            }
            assert!(
                block.contains("[default: ") || head.contains("[default: "),
                "{sub} {flag}: no default shown:\n{head}\n{block}"
            );
        }
    }
    let sim = ok(&["simulate", "--help"]);
    let engine = help_options(&sim)
        .into_iter()
        .find(|(h, _)| h.starts_with("--engine"))
        .expect("--engine");
    assert!(engine.1.contains("[default: fast]"), "{engine:?}");
}

/// Fresh-eyes report L5: `--tau_e` (the spelling of the JSON, CSV and URL hash) got no hint.
/// Every flag of two or more words, written with '_', is refused in one line that names the
/// right flag; so are near misses of subcommands and values.
#[test]
fn snake_case_flags_get_a_hint_naming_the_right_one() {
    let mut checked = 0;
    for sub in SUBCOMMANDS {
        let help = ok(&[sub, "--help"]);
        let mut flags: Vec<String> = help_options(&help)
            .into_iter()
            .filter_map(|(head, _)| {
                let long = head
                    .split([' ', ','])
                    .find(|w| w.starts_with("--"))?
                    .trim_end_matches(['=', '<'])
                    .to_string();
                long[2..].contains('-').then_some(long)
            })
            .collect();
        flags.dedup();
        for flag in flags {
            let snake = format!("--{}", flag[2..].replace('-', "_"));
            let line = bad(&[sub, &snake, "1"]);
            assert!(
                line.contains(&format!("'{snake}'")) && line.contains(&format!("'{flag}'")),
                "{sub} {snake}: {line}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked} flags checked");
    let line = bad(&["simulate", "--tau_e", "5"]);
    assert_eq!(
        line.trim_end(),
        "error: unexpected argument '--tau_e' found (tip: a similar argument exists: '--tau-e')"
    );
    assert!(bad(&["simulat"]).contains("'simulate'"));
    assert!(bad(&["simulate", "--format", "jsn"]).contains("a similar value exists: 'json'"));
    // No hint where there is nothing close.
    assert!(!bad(&["simulate", "--no-such-flag"]).contains("tip"));
}
