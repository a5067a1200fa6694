//! `clinr sweep --shard I/N` + `clinr merge` reproduce the unsharded sweep byte for byte in
//! every format (N = 1, 3, 7), and refuse bad shard sets with one line; `--format sinter`
//! still prints the fixture sinter 1.16.0 read (tests/fixtures/sinter/); `--min-links` works
//! up to t = 64.

use std::path::PathBuf;
use std::process::{Command, Output};

fn clinr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinr"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("clinr runs")
}

fn ok(args: &[&str]) -> String {
    let o = clinr(args);
    assert!(
        o.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("utf-8")
}

/// Exit 2, one stderr line, nothing on stdout; returns the line.
fn refused(args: &[&str]) -> String {
    let o = clinr(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err}");
    assert!(o.stdout.is_empty());
    err
}

fn temp_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("clinr-shard-test-{}", std::process::id()));
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// Runs the sweep as N shards into files and returns their paths.
fn shards(args: &[&str], n: u32, tag: &str) -> Vec<String> {
    let dir = temp_dir();
    (1..=n)
        .map(|i| {
            let spec = format!("{i}/{n}");
            let mut a = args.to_vec();
            a.extend(["--shard", &spec]);
            let path = dir.join(format!("{tag}-{i}-of-{n}.json"));
            std::fs::write(&path, ok(&a)).expect("write shard");
            path.display().to_string()
        })
        .collect()
}

const TAU: [&str; 20] = [
    "sweep",
    "--vary",
    "tau-e=1,4,9",
    "--n",
    "6",
    "--t",
    "3",
    "--r",
    "2",
    "--p",
    "0.004",
    "--circuits",
    "5",
    "--shots",
    "40",
    "--seed",
    "5",
    "--instances",
    "2",
    "--min-links",
];

#[test]
fn merged_shards_print_exactly_the_unsharded_sweep() {
    let t_sweep: Vec<&str> = vec![
        "sweep",
        "--vary",
        "t=1,2,4",
        "--n",
        "5",
        "--r",
        "2",
        "--p",
        "0.005",
        "--tau-e",
        "6",
        "--circuits",
        "3",
        "--shots",
        "30",
        "--seed",
        "9",
        "--two-sided-rsp",
        "--min-links",
    ];
    let files: Vec<&str> = vec![
        "sweep",
        "--vary",
        "p=0.002,0.01",
        "--circuit-file",
        "tests/fixtures/stim/case_5_0.stim",
        "--circuit-file",
        "tests/fixtures/stim/case_5_1.stim",
        "--t",
        "2",
        "--r",
        "2",
        "--shots",
        "30",
    ];
    let mut compared = 0;
    for (name, base) in [("tau", TAU.to_vec()), ("t", t_sweep), ("files", files)] {
        for format in ["table", "csv", "jsonl", "sinter"] {
            let mut args = base.clone();
            args.extend(["--format", format]);
            let whole = ok(&args);
            for n in [1u32, 3, 7] {
                let paths = shards(&args, n, &format!("{name}-{format}"));
                let mut merge = vec!["merge"];
                // Any order of the files.
                merge.extend(paths.iter().rev().map(String::as_str));
                assert_eq!(ok(&merge), whole, "{name} {format} N = {n}");
                compared += 1;
            }
        }
        // merge --format overrides the format recorded in the shards.
        let mut args = base.clone();
        args.extend(["--format", "csv"]);
        let paths = shards(&args, 3, &format!("{name}-override"));
        let mut merge = vec!["merge", "--format", "jsonl"];
        merge.extend(paths.iter().map(String::as_str));
        let mut jsonl = base.clone();
        jsonl.extend(["--format", "jsonl"]);
        assert_eq!(ok(&merge), ok(&jsonl), "{name}: --format override");
    }
    assert_eq!(compared, 36);
}

#[test]
fn bad_shard_sets_are_refused_with_one_line() {
    let mut args = TAU.to_vec();
    args.extend(["--format", "csv"]);
    let three = shards(&args, 3, "bad");
    let two = shards(&args, 2, "bad");
    let mut other = args.clone();
    let at = other.iter().position(|a| *a == "--seed").unwrap() + 1;
    other[at] = "6";
    let other = shards(&other, 3, "other");
    let merge = |files: &[&String]| {
        let mut a = vec!["merge"];
        a.extend(files.iter().map(|s| s.as_str()));
        refused(&a)
    };
    assert!(merge(&[&three[0], &three[2]]).contains("missing shard 2 of 3"));
    assert!(merge(&[&three[0], &three[1], &three[1], &three[2]]).contains("given twice"));
    assert!(merge(&[&three[0], &three[1], &two[1]]).contains("different splits"));
    assert!(merge(&[&three[0], &three[1], &other[2]]).contains("different sweeps"));
    let dir = temp_dir();
    let junk = dir.join("junk.json");
    std::fs::write(&junk, "{\"hello\": 1}").unwrap();
    let junk = junk.display().to_string();
    assert!(merge(&[&three[0], &junk]).contains("not a shard file"));
    let missing = dir.join("nope.json").display().to_string();
    assert!(merge(&[&missing]).contains("cannot read"));
    // A shard whose items were edited.
    let text = std::fs::read_to_string(&three[1]).unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["items"].as_array_mut().unwrap().pop();
    let cut = dir.join("cut.json");
    std::fs::write(&cut, v.to_string()).unwrap();
    let cut = cut.display().to_string();
    assert!(merge(&[&three[0], &cut, &three[2]]).contains("items are not those of shard 2/3"));
    // Fresh-eyes report (issue 15 follow-up): edited counts gave p_L = 20 with exit 0.
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["items"][0]["record"]["summary"]["monolithic"]["logical_errors"] = 999.into();
    let edited = dir.join("edited.json");
    std::fs::write(&edited, v.to_string()).unwrap();
    let edited = edited.display().to_string();
    let e = merge(&[&three[0], &edited, &three[2]]);
    assert!(e.contains("999 logical errors in 40 samples"), "{e}");
    let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
    v["items"][0]["record"]["summary"]["direct"]["shots"] = 41.into();
    std::fs::write(&edited, v.to_string()).unwrap();
    let e = merge(&[&three[0], &edited, &three[2]]);
    assert!(e.contains("direct has 41 samples, not 40"), "{e}");
    // Binary input is refused from its first bytes (it used to be read whole: /dev/zero grew
    // to 15 GB).
    let binary = dir.join("binary.json");
    std::fs::write(&binary, [0u8; 10_000]).unwrap();
    let binary = binary.display().to_string();
    assert!(merge(&[&binary]).contains("not a JSON object"));
    #[cfg(target_os = "linux")]
    assert!(merge(&[&"/dev/zero".to_string()]).contains("not a JSON object"));
    // Bad --shard values.
    for bad in ["0/3", "4/3", "x"] {
        let mut a = args.clone();
        a.extend(["--shard", bad]);
        let o = clinr(&a);
        assert_eq!(o.status.code(), Some(2), "--shard {bad}");
    }
}

fn sinter_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sinter")
}

#[test]
fn sinter_format_still_prints_what_sinter_read() {
    let command = std::fs::read_to_string(sinter_dir().join("command.txt")).unwrap();
    let args: Vec<&str> = command.split_whitespace().collect();
    let want = std::fs::read_to_string(sinter_dir().join("sweep.csv")).unwrap();
    assert_eq!(ok(&args), want);
    // What sinter read: the counts of every row, in order.
    let read: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(sinter_dir().join("read.json")).unwrap())
            .unwrap();
    let rows = read["rows"].as_array().unwrap();
    assert_eq!(rows.len(), want.lines().count() - 1);
    for (row, line) in rows.iter().zip(want.lines().skip(1)) {
        let cells: Vec<&str> = line.splitn(7, ',').collect();
        assert_eq!(row["shots"].as_u64().unwrap().to_string(), cells[0].trim());
        assert_eq!(row["errors"].as_u64().unwrap().to_string(), cells[1].trim());
        assert_eq!(row["discards"], 0, "restarts are not discards");
        assert_eq!(row["decoder"].as_str().unwrap(), cells[4]);
        assert_eq!(row["strong_id"].as_str().unwrap(), cells[5]);
        assert_eq!(row["to_csv_line_equals_ours"], true);
        assert_eq!(row["strong_id_recomputed"], true);
    }
}

#[test]
fn min_links_runs_up_to_t_64_and_reports_its_fields() {
    let out = ok(&[
        "sweep",
        "--vary",
        "t=2,8,32,64",
        "--n",
        "4",
        "--r",
        "1",
        "--p",
        "0.001",
        "--tau-e",
        "9",
        "--circuits",
        "2",
        "--shots",
        "20",
        "--circuit-generator",
        "random_gates",
        "--min-links",
        "--format",
        "jsonl",
    ]);
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 4);
    for l in &lines {
        let s = &l["scaling"];
        let k = s["min_parallel_links"].as_u64().expect("a k suffices here");
        assert!((1..=4).contains(&k));
        assert_eq!(s["mean_wait_at_k"], 0.0);
        if k > 1 {
            assert!(s["mean_wait_at_k_minus_1"].as_f64().unwrap() > 0.0);
        }
        assert!(s["prop2_min_parallel_links"].is_number());
        assert!(s["eq6_monolithic_depth"].is_number());
        assert!(s["fitted_c_t_over_ln_t"].is_number());
    }
    assert_eq!(lines[3]["params"]["t"], 64);
    // The table prints the same search, and without --min-links nothing changes.
    let table = ok(&[
        "sweep",
        "--vary",
        "t=2,8",
        "--n",
        "4",
        "--r",
        "1",
        "--tau-e",
        "9",
        "--circuits",
        "1",
        "--shots",
        "10",
        "--min-links",
    ]);
    assert!(table.contains("Parallel links per connection k"));
    assert!(table.contains("fit: k ≈ c·t/ln t"));
}

#[test]
fn new_flags_are_documented_and_checked() {
    let sim = ok(&["simulate", "--help"]);
    for flag in [
        "--instances",
        "--two-sided-rsp",
        "--parallel-links",
        "sinter",
    ] {
        assert!(sim.contains(flag), "simulate --help lacks {flag}");
    }
    assert!(sim.contains("[default: 1]") && sim.contains("[default: false]"));
    let sweep = ok(&["sweep", "--help"]);
    for flag in ["--min-links", "--shard", "sinter"] {
        assert!(sweep.contains(flag), "sweep --help lacks {flag}");
    }
    assert!(ok(&["merge", "--help"]).contains("--format"));
    let small = ["simulate", "--n", "4", "--circuits", "1", "--shots", "5"];
    for (extra, needle) in [
        (&["--instances", "0"][..], "instances"),
        (&["--instances", "65"][..], "instances"),
        (&["--two-sided-rsp", "maybe"][..], "two-sided-rsp"),
    ] {
        let mut a = small.to_vec();
        a.extend(extra);
        assert!(refused(&a).contains(needle), "{extra:?}");
    }
    // `--two-sided-rsp` alone turns it on, `false` keeps it off.
    let mut a = small.to_vec();
    a.extend(["--format", "json", "--two-sided-rsp"]);
    assert!(ok(&a).contains("\"two_sided_rsp\":true"));
    let mut a = small.to_vec();
    a.extend(["--format", "json", "--two-sided-rsp", "false"]);
    assert!(!ok(&a).contains("two_sided_rsp"));
    assert!(refused(&["merge"]).contains("FILES"));
}
