//! Our Stim parser against Stim's own verdicts on a corpus of odd inputs (issue 15 item 1):
//! tests/fixtures/stim_odd/verdicts.json, made by make.py there with stim 1.16.0.
//!
//! - Everything we accept, Stim accepts, with the same qubit count, except a byte-order mark
//!   at the very start, which we skip on purpose (Notepad writes one; Stim refuses it).
//! - Where Stim accepts and we refuse, the reason is one we state on purpose: tags, REPEAT,
//!   a Stim instruction outside our subset, or a form Stim tolerates but nobody means
//!   (empty arguments, `rec[-0]`, a repeated qubit in a Pauli product, ...). Every refusal is
//!   one line naming its line.

use clinr_explorer::circuit::stim_text::parse;

#[test]
fn we_accept_only_what_stim_accepts() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/stim_odd/verdicts.json"
    ))
    .unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["stim_version"], "1.16.0");
    let inputs = v["inputs"].as_array().unwrap();
    assert!(inputs.len() >= 100);
    let (mut both, mut only_stim, mut neither) = (0, Vec::new(), 0);
    for e in inputs {
        let text = e["text"].as_str().unwrap();
        let stim = e["stim_accepts"].as_bool().unwrap();
        match parse(text) {
            Ok(c) => {
                if text.starts_with('\u{feff}') {
                    assert!(!stim, "{text:?}: Stim now reads a BOM; update the docs");
                    continue;
                }
                assert!(
                    stim,
                    "{text:?}: we accept what Stim refuses ({})",
                    e["error"]
                );
                assert_eq!(
                    u64::from(c.num_qubits()),
                    e["num_qubits"].as_u64().unwrap(),
                    "{text:?}"
                );
                both += 1;
            }
            Err(err) => {
                let msg = err.to_string();
                assert!(msg.starts_with("line ") && !msg.contains('\n'), "{msg:?}");
                if stim {
                    only_stim.push((text, msg));
                } else {
                    neither += 1;
                }
            }
        }
    }
    // Stim accepts these and we refuse them, each for a stated reason.
    for (text, msg) in &only_stim {
        let stated = [
            "tags (`[...]`) are not supported",
            "REPEAT blocks are not supported",
            "is not supported",
            "empty argument",
            "empty argument list",
            "refers to a measurement before the start of the circuit",
            "carriage return (\\r) inside a line",
            "DEPOLARIZE1 takes exactly one probability",
            "invalid measurement record target 'rec[-0]'",
            "repeated in Pauli product",
            "takes at most one flip probability",
            "non-unitary",
        ];
        assert!(
            stated.iter().any(|s| msg.contains(s)),
            "{text:?}: Stim accepts it and we refuse with {msg}"
        );
    }
    println!(
        "{both} accepted by both, {} only by Stim (stated refusals), {neither} by neither",
        only_stim.len()
    );
    assert!(both >= 40 && neither >= 30, "{both} {neither}");
}
