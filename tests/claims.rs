//! `clinr claims`: the JSON shape of the claim map, CSV and table, input errors, and verdicts on
//! small cases whose outcome is forced (p = 0: no logical error anywhere, no restart, so
//! depths are exact).

use clinr_explorer::circuit::random::CircuitGenerator;
use clinr_explorer::protocol::params::Knobs;
use clinr_explorer::protocol::reading::{serde_name, serde_values, Reading};
use serde_json::Value;
use std::process::{Command, Output};

fn clinr(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_clinr"))
        .args(args)
        .output()
        .expect("clinr runs")
}

fn ok(args: &[&str]) -> String {
    let o = clinr(args);
    assert!(
        o.status.success(),
        "{args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn bad(args: &[&str]) -> String {
    let o = clinr(args);
    let err = String::from_utf8_lossy(&o.stderr).into_owned();
    assert_eq!(o.status.code(), Some(2), "{args:?}: {err}");
    assert!(!err.contains("panicked"), "{args:?}: {err}");
    assert_eq!(err.trim_end().lines().count(), 1, "{args:?}: {err:?}");
    assert!(o.stdout.is_empty(), "{args:?} wrote to stdout");
    err
}

/// The serde name of the Aaronson–Gottesman generator (`qiskit_ag`, formerly
/// `synthesized_elimination`): deep circuits (Δ ≈ 0.77 n²), far above the §12 threshold.
fn ag_generator() -> String {
    serde_values::<CircuitGenerator>()
        .iter()
        .map(serde_name)
        .find(|n| n == "qiskit_ag" || n == "synthesized_elimination")
        .expect("an Aaronson–Gottesman generator")
}

const VERDICTS: [&str; 4] = ["holds", "fails", "unresolved", "not-shown"];
const CLAIMS: [&str; 5] = ["Q1", "Q2", "Q3", "Q4", "Q5"];

fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().expect("an object").keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn json_has_the_documented_shape() {
    let ag = ag_generator();
    let out = ok(&[
        "claims",
        "--format",
        "json",
        "--circuits",
        "2",
        "--shots",
        "5",
        "--seed",
        "4",
        "--k1",
        "off,on",
        "--k4",
        &ag,
        "--k2",
        "uniform",
        "--k3",
        "h_then_mz",
    ]);
    assert!(out.ends_with('\n') && out.lines().count() == 1);
    let v: Value = serde_json::from_str(&out).expect("valid JSON");
    // {"readings": [{"knobs": {…}, "claims": {"Q1": {"verdict", "evidence"}, …}}], …}
    assert_eq!(
        keys(&v),
        ["figures", "params", "readings", "statements", "version"]
    );
    assert_eq!(v["version"], 1);
    assert_eq!(v["params"]["circuits"], 2);
    assert_eq!(v["params"]["shots"], 5);
    let readings = v["readings"].as_array().expect("readings");
    assert_eq!(readings.len(), 2);
    let default_knobs = serde_json::to_value(Knobs::default()).unwrap();
    for (i, r) in readings.iter().enumerate() {
        assert_eq!(keys(r), ["claims", "knobs"]);
        // Full knob objects, with exactly the four crossed knobs set.
        assert_eq!(keys(&r["knobs"]), keys(&default_knobs));
        assert_eq!(r["knobs"]["idle_on_resource_during_rspv"], i == 1);
        assert_eq!(r["knobs"]["circuit_generator"], ag.as_str());
        assert_eq!(r["knobs"]["check_kind"], "uniform");
        assert_eq!(r["knobs"]["check_measurement"], "h_then_mz");
        assert_eq!(keys(&r["claims"]), CLAIMS);
        for q in CLAIMS {
            let c = &r["claims"][q];
            assert_eq!(keys(c), ["evidence", "verdict"], "{q}");
            let verdict = c["verdict"].as_str().unwrap();
            assert!(VERDICTS.contains(&verdict), "{q}: {verdict}");
            assert!(c["evidence"]["reason"].as_str().unwrap().ends_with('.'));
        }
        // Shown claims carry per-point numbers: means and paired differences ± SE.
        let q1 = &r["claims"]["Q1"]["evidence"];
        assert_eq!(q1["axis"], "n");
        let xs: Vec<f64> = q1["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["x"].as_f64().unwrap())
            .collect();
        assert_eq!(xs, [50.0, 60.0, 70.0, 85.0, 100.0]);
        let p0 = &q1["points"][0];
        assert!(p0["means"]["distributed"]["depth"].as_f64().unwrap() > 0.0);
        let c0 = &p0["comparisons"][0];
        for k in [
            "difference",
            "standard_error",
            "circuits",
            "outcome",
            "text",
        ] {
            assert!(!c0[k].is_null(), "{k} in {c0}");
        }
        let q3 = &r["claims"]["Q3"]["evidence"];
        assert_eq!(q3["axis"], "tau_e");
        assert_eq!(
            q3["points"].as_array().unwrap().len(),
            4,
            "τ_e = 1, 2, 3, 5"
        );
        assert_eq!(
            r["claims"]["Q4"]["evidence"]["trend"]
                .as_array()
                .unwrap()
                .len(),
            2
        );
        // Q5 needs a t axis, which the paper's figures do not have.
        assert_eq!(r["claims"]["Q5"]["verdict"], "not-shown");
        assert_eq!(r["claims"]["Q5"]["evidence"]["shown_by"], "larger-t");
    }
    for q in CLAIMS {
        assert!(v["statements"][q]["statement"].is_string());
    }
    let fig: Vec<&str> = v["figures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(fig, ["fig3a", "fig3b"]);
}

#[test]
fn forced_outcomes_at_p_zero() {
    // p = 0: every p_L is exactly 0 (ties: unresolved for "<", holds for "≤"), no restart,
    // so each depth is exact.
    let ag = ag_generator();
    let csv = ok(&[
        "claims",
        "--format",
        "csv",
        "--circuits",
        "3",
        "--shots",
        "4",
        "--p",
        "0",
        "--k1",
        "off",
        "--k4",
        &format!("{ag},random_gates"),
        "--k2",
        "uniform",
        "--k3",
        "h_then_mz",
        "--figures",
        "fig3a,fig3b,larger_t",
    ]);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "k1,k4,k2,k3,reading,Q1,Q2,Q3,Q4,Q5");
    // Synthesized (Aaronson–Gottesman) circuits: Δ ≈ 0.77 n² is far above the §12 threshold
    // (≈ 6.75 n + 46), so distributed < direct < monolithic in depth (Q1 holds); nothing
    // separates the p_L (Q2, Q3 unresolved); links never stall below τ_e ≈ 26, so the
    // distributed depth is the same at τ_e = 15 as at 1 (Q4 fails); more blocks make
    // distributed shallower (Q5 holds).
    let reading = Reading::of(&Knobs {
        idle_on_resource_during_rspv: false,
        circuit_generator: serde_json::from_value(Value::String(ag.clone())).unwrap(),
        ..Knobs::default()
    });
    assert_eq!(
        lines[1],
        format!(
            "off,{ag},uniform,h_then_mz,{},holds,unresolved,unresolved,fails,holds",
            reading.kind.id()
        )
    );
    // Independent random gates: Δ ≈ 3n, far below the threshold, so distributed is deeper
    // than direct (Q1, Q3 fail); links stall from τ_e ≈ 6, so the depth rises but the p_L
    // cannot (Q4 unresolved).
    let rg: Vec<&str> = lines[2].split(',').collect();
    assert_eq!(rg[1], "random_gates");
    assert_eq!(
        &rg[5..],
        ["fails", "unresolved", "fails", "unresolved", "holds"]
    );
    assert_eq!(lines.len(), 3);
}

#[test]
fn table_shows_the_matrix_and_the_claims_in_words() {
    let out = ok(&[
        "claims",
        "--circuits",
        "2",
        "--shots",
        "3",
        "--k4",
        "random_gates",
        "--k2",
        "single_qubit",
        "--k3",
        "mx",
    ]);
    assert!(out.starts_with("Claim map at n = 50, 60, 70, 85, 100 at τ_e = 1 (paper Fig. 3a)"));
    assert!(out.contains("2 circuits × 3 samples per point"));
    let header = out
        .lines()
        .find(|l| l.starts_with("K1 "))
        .expect("matrix header");
    for q in CLAIMS {
        assert!(header.contains(q), "{header}");
    }
    let rows: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("off ") || l.starts_with("on "))
        .collect();
    assert_eq!(rows.len(), 2, "K1 off and on");
    assert!(rows
        .iter()
        .all(|r| r.contains("random_gates") && r.contains("custom")));
    assert!(out.contains("Q4: As τ_e grows"));
    assert!(out.contains("Q5 needs --figures fig3a,fig3b,larger_t"));
    // Fresh-eyes report: verdicts from 2–4 circuits looked as firm as the paper's 20 × 200.
    assert!(
        out.contains("Caution: 2 circuits per point"),
        "small statistics are flagged: {out}"
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    let args = |threads: &'static str| {
        vec![
            "claims",
            "--format",
            "json",
            "--circuits",
            "3",
            "--shots",
            "4",
            "--k1",
            "on",
            "--k4",
            "random_gates",
            "--k3",
            "mx",
            "--threads",
            threads,
        ]
    };
    assert_eq!(ok(&args("1")), ok(&args("2")));
}

#[test]
fn progress_goes_to_stderr_when_asked() {
    let o = clinr(&[
        "claims",
        "--circuits",
        "2",
        "--shots",
        "2",
        "--k1",
        "off",
        "--k4",
        "random_gates",
        "--k2",
        "uniform",
        "--k3",
        "mx",
        "--format",
        "csv",
        "--progress",
    ]);
    assert!(o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        lines,
        [
            "progress: reading 1/1 (K1 off, random_gates, uniform, mx): fig3a done",
            "progress: reading 1/1 (K1 off, random_gates, uniform, mx): fig3b done",
        ]
    );
    // Quiet without --progress (stderr is not a terminal here).
    let q = clinr(&[
        "claims",
        "--circuits",
        "2",
        "--shots",
        "2",
        "--k1",
        "off",
        "--k4",
        "random_gates",
        "--k2",
        "uniform",
        "--k3",
        "mx",
        "--format",
        "csv",
    ]);
    assert!(q.stderr.is_empty());
    assert_eq!(q.stdout, o.stdout);
}

#[test]
fn bad_input_is_refused_in_one_line() {
    let e = bad(&["claims", "--k1", "maybe"]);
    assert!(e.contains("expected on or off"), "{e}");
    let e = bad(&["claims", "--k4", "nope"]);
    assert!(e.contains("--k4"), "{e}");
    let e = bad(&["claims", "--k2", "uniform,bogus"]);
    assert!(e.contains("single_qubit"), "{e}");
    let e = bad(&["claims", "--figures", "fig9"]);
    assert!(e.contains("fig3a, fig3b, larger_t"), "{e}");
    let e = bad(&["claims", "--circuits", "0"]);
    assert!(e.contains("circuits"), "{e}");
    let e = bad(&["claims", "--p", "0.9"]);
    assert!(e.contains("p = 0.9"), "{e}");
    let e = bad(&["claims", "--format", "xml"]);
    assert!(e.contains("table"), "{e}");
}

#[test]
fn every_export_names_the_reading() {
    let small = ["--n", "6", "--circuits", "2", "--shots", "5", "--t", "2"];
    let with = |head: &[&'static str]| -> Vec<&'static str> {
        head.iter().chain(small.iter()).copied().collect()
    };
    // A custom reading lists its changed knobs in plain words in the table header.
    let table = ok(&with(&[
        "simulate",
        "--idle-on-resource-during-rspv",
        "false",
        "--check-kind",
        "single_qubit",
    ]));
    assert_eq!(
        table.lines().nth(1),
        Some("Reading: Custom: checks on single qubits (K2)")
    );
    assert!(table
        .lines()
        .nth(2)
        .unwrap()
        .contains("paper-consistent reading (K1 off)"));
    let literal = ok(&with(&[
        "simulate",
        "--idle-on-resource-during-rspv",
        "true",
    ]));
    assert_eq!(literal.lines().nth(1), Some("Reading: Literal reading"));
    let paper = ok(&with(&[
        "simulate",
        "--idle-on-resource-during-rspv",
        "false",
    ]));
    assert_eq!(
        paper.lines().nth(1),
        Some("Reading: Paper-consistent reading")
    );
    // JSON: a reading object; CSV: a last column with the reading's id.
    let json: Value = serde_json::from_str(&ok(&with(&[
        "simulate",
        "--format",
        "json",
        "--idle-on-resource-during-rspv",
        "false",
    ])))
    .unwrap();
    assert_eq!(json["reading"]["kind"], "paper_consistent");
    assert_eq!(json["reading"]["name"], "Paper-consistent reading");
    assert!(json["reading"]["summary"]
        .as_str()
        .unwrap()
        .contains("K1 off"));
    let csv = ok(&with(&[
        "simulate",
        "--format",
        "csv",
        "--idle-on-resource-during-rspv",
        "true",
    ]));
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].ends_with(",reading"));
    assert!(lines[1..].iter().all(|l| l.ends_with(",literal")));
    let sweep = ok(&with(&[
        "sweep",
        "--vary",
        "tau-e=1,2",
        "--noise-model",
        "uniform",
    ]));
    assert!(sweep.starts_with("Reading: Custom: "), "{sweep}");
}

/// `clinr claims` as JSON for the one paper-consistent reading (K1 off, Stim's elimination,
/// uniform checks measured by H then MZ) at `circuits` × `shots`.
fn paper_consistent_json(circuits: &str, shots: &str) -> String {
    ok(&[
        "claims",
        "--circuits",
        circuits,
        "--shots",
        shots,
        "--k1",
        "off",
        "--k4",
        "stim_elimination",
        "--k2",
        "uniform",
        "--k3",
        "h_then_mz",
        "--format",
        "json",
    ])
}

/// Fresh-eyes report: below the stall threshold the τ_e sweep reuses the same runs, so Q3's
/// comparisons at τ_e = 1, 2, 3, 5 are one identical observation, which the reason read as
/// four ("Fails at τ_e = 1, 2, 3, 5; first failing comparison: …"). Every comparison a reason
/// quotes is quoted once, with every point where it was made.
#[test]
fn reasons_quote_each_distinct_comparison_once_with_its_points() {
    let out = paper_consistent_json("4", "50");
    let map: Value = serde_json::from_str(&out).unwrap();
    let claims = &map["readings"][0]["claims"];
    let mut identical_quoted = 0;
    for q in ["Q1", "Q2", "Q3"] {
        let evidence = &claims[q]["evidence"];
        let reason = evidence["reason"].as_str().unwrap();
        let axis = if q == "Q3" { "τ_e" } else { "n" };
        // Each distinct comparison text and the x values where it was made.
        let mut seen: Vec<(String, Vec<String>)> = Vec::new();
        for p in evidence["points"].as_array().unwrap() {
            let x = p["x"].as_f64().unwrap().to_string();
            for c in p["comparisons"].as_array().unwrap() {
                let text = c["text"].as_str().unwrap().to_string();
                match seen.iter_mut().find(|(t, _)| *t == text) {
                    Some((_, xs)) => xs.push(x.clone()),
                    None => seen.push((text, vec![x.clone()])),
                }
            }
        }
        for (text, xs) in seen {
            let quoted = reason.matches(text.as_str()).count();
            assert!(quoted <= 1, "{q}: '{text}' quoted {quoted} times: {reason}");
            if quoted == 1 {
                let at = format!("{axis} = {}", xs.join(", "));
                let how = if xs.len() > 1 { "identical at" } else { "at" };
                assert!(
                    reason.contains(&format!("{text} ({how} {at})")),
                    "{q}: '{text}' was made at {at}: {reason}"
                );
                if xs.len() > 1 {
                    identical_quoted += 1;
                }
            }
        }
    }
    // The case of the report: Q3 fails on one comparison made at τ_e = 1, 2, 3, 5.
    let q3 = claims["Q3"]["evidence"]["reason"].as_str().unwrap();
    assert!(q3.contains("(identical at τ_e = 1, 2, 3, 5)"), "{q3}");
    assert!(identical_quoted >= 1);
}

/// With one circuit no standard error can be estimated, tied pair or not: the comparisons say
/// so instead of "± 0.0000" (the JSON keeps `standard_error`: 0 for a tie, absent otherwise).
#[test]
fn one_circuit_comparisons_have_no_standard_error() {
    let out = paper_consistent_json("1", "5");
    assert!(!out.contains("± 0.0"), "a zero standard error is shown");
    assert!(!out.contains("NaN"));
    let map: Value = serde_json::from_str(&out).unwrap();
    let mut comparisons = 0;
    for q in CLAIMS {
        let evidence = &map["readings"][0]["claims"][q]["evidence"];
        for p in evidence["points"].as_array().unwrap() {
            for c in p["comparisons"].as_array().unwrap() {
                comparisons += 1;
                let text = c["text"].as_str().unwrap();
                assert!(text.contains("(no standard error: one circuit)"), "{text}");
                let se = &c["standard_error"];
                assert!(se.is_null() || se.as_f64() == Some(0.0), "{c}");
            }
        }
    }
    assert!(comparisons > 10);
}
