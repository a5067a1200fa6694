//! The three syntheses against their references, gate for gate, on the tableaux of
//! `tests/fixtures/synthesis/` (made by `tests/fixtures/make_synthesis_fixtures.py` with
//! stim 1.16.0 and qiskit 2.6.2; the format is described there).

use clinr_explorer::circuit::synthesis::{synthesize, Method};
use clinr_explorer::circuit::Gate;
use clinr_explorer::pauli::PauliString;
use clinr_explorer::tableau::Tableau;

const SIZES: [u32; 10] = [1, 2, 3, 5, 8, 17, 40, 64, 85, 130];

/// One gate as the fixtures write it: (name, qubits).
type Flat = (&'static str, Vec<u32>);

fn flat(g: &Gate) -> Flat {
    let name = match g {
        Gate::H(_) => "H",
        Gate::S(_) => "S",
        Gate::Sdg(_) => "D",
        Gate::X(_) => "X",
        Gate::Y(_) => "Y",
        Gate::Z(_) => "Z",
        Gate::Cx(..) => "CX",
        other => panic!("synthesis emitted {other:?}, outside H S S_DAG X Y Z CX"),
    };
    let (a, b) = g.qubits();
    (name, std::iter::once(a).chain(b).collect())
}

/// Expands the token line of one method (`H3,5`, `C3:7,9`, `T7:3,5`).
fn decode(line: &str) -> Vec<Flat> {
    let mut out = Vec::new();
    let num = |s: &str| {
        s.parse::<u32>()
            .unwrap_or_else(|_| panic!("bad number {s:?}"))
    };
    for tok in line.split_whitespace() {
        let (kind, rest) = tok.split_at(1);
        match kind {
            "C" | "T" => {
                let (fixed, list) = rest.split_once(':').expect("run token");
                for other in list.split(',') {
                    let q = if kind == "C" {
                        vec![num(fixed), num(other)]
                    } else {
                        vec![num(other), num(fixed)]
                    };
                    out.push(("CX", q));
                }
            }
            _ => {
                let name = match kind {
                    "H" => "H",
                    "S" => "S",
                    "D" => "D",
                    "X" => "X",
                    "Y" => "Y",
                    "Z" => "Z",
                    other => panic!("unknown gate token {other}"),
                };
                out.extend(rest.split(',').map(|q| (name, vec![num(q)])));
            }
        }
    }
    out
}

struct Case {
    label: String,
    tableau: Tableau,
    expected: Vec<(Method, Vec<Flat>)>,
}

fn load(n: u32) -> Vec<Case> {
    let path = format!(
        "{}/tests/fixtures/synthesis/n{n}.txt",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut lines = text.lines().filter(|l| !l.starts_with('#'));
    let mut cases = Vec::new();
    while let Some(head) = lines.next() {
        let parts: Vec<&str> = head.split_whitespace().collect();
        assert_eq!(parts.first(), Some(&"tableau"), "{path}: {head}");
        assert_eq!(parts[2].parse::<u32>().unwrap(), n);
        let rows: Vec<PauliString> = (0..2 * n)
            .map(|_| lines.next().expect("row").parse().expect("Pauli string"))
            .collect();
        let tableau =
            Tableau::from_outputs(&rows[..n as usize], &rows[n as usize..]).expect("valid tableau");
        let expected = Method::ALL
            .iter()
            .map(|&m| {
                let line = lines.next().expect("method line");
                let (name, tokens) = line.split_once(' ').unwrap_or((line, ""));
                assert_eq!(
                    name,
                    m.name(),
                    "{path}: methods in the order of Method::ALL"
                );
                (m, decode(tokens))
            })
            .collect();
        cases.push(Case {
            label: parts[1].to_string(),
            tableau,
            expected,
        });
    }
    cases
}

#[test]
fn every_method_matches_its_reference_gate_for_gate() {
    let mut checked = 0;
    for n in SIZES {
        let cases = load(n);
        assert!(cases.len() >= if n == 1 { 24 } else { 5 }, "n={n}");
        for case in &cases {
            for (method, want) in &case.expected {
                let got: Vec<Flat> = synthesize(&case.tableau, *method)
                    .gates
                    .iter()
                    .map(flat)
                    .collect();
                if let Some(i) = (0..got.len().max(want.len())).find(|&i| got.get(i) != want.get(i))
                {
                    panic!(
                        "n={n} {} {}: first difference at gate {i} of {} (reference {}): ours {:?}, reference {:?}",
                        case.label,
                        method.name(),
                        got.len(),
                        want.len(),
                        got.get(i),
                        want.get(i)
                    );
                }
                checked += 1;
            }
        }
    }
    // 24 one-qubit Cliffords + 9 sizes × (identity, 2 sign-only, ≥ 2 random), × 3 methods.
    assert!(checked >= 3 * (24 + 9 * 5), "{checked}");
}

#[test]
fn fixture_decoding_reads_runs() {
    assert_eq!(
        decode("H3,5 C1:2,4 T0:6,7 D2"),
        vec![
            ("H", vec![3]),
            ("H", vec![5]),
            ("CX", vec![1, 2]),
            ("CX", vec![1, 4]),
            ("CX", vec![6, 0]),
            ("CX", vec![7, 0]),
            ("D", vec![2]),
        ]
    );
}

/// Stim text of a flattened gate list.
fn stim_text(gates: &[Flat]) -> String {
    gates
        .iter()
        .map(|(name, q)| {
            let name = if *name == "D" { "S_DAG" } else { name };
            let qs: Vec<String> = q.iter().map(u32::to_string).collect();
            format!("{name} {}\n", qs.join(" "))
        })
        .collect()
}

/// `clinr synthesize` gives each reference's exact output: the input is the fixture's Stim
/// circuit of the tableau, and the output, read back as Stim text, is compared gate for gate.
#[test]
fn clinr_synthesize_matches_the_references_gate_for_gate() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    for n in [2u32, 17, 85] {
        for case in load(n)
            .iter()
            .filter(|c| c.label.starts_with("random") || c.label == "identity")
        {
            let input = stim_text(&case.expected[0].1);
            for (method, want) in &case.expected {
                let mut child = Command::new(env!("CARGO_BIN_EXE_clinr"))
                    .args([
                        "synthesize",
                        "--method",
                        method.name(),
                        "--n",
                        &n.to_string(),
                    ])
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()
                    .expect("clinr runs");
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(input.as_bytes())
                    .expect("write");
                let out = child.wait_with_output().expect("clinr finishes");
                assert!(out.status.success());
                let text = String::from_utf8(out.stdout).expect("utf-8");
                let parsed = clinr_explorer::circuit::stim_text::parse(&text)
                    .expect("Stim text")
                    .to_circuit()
                    .expect("unitary");
                let got: Vec<Flat> = parsed.gates.iter().map(flat).collect();
                assert!(&got == want, "n={n} {} {}", case.label, method.name());
            }
        }
    }
}
