//! Which *reading* of the paper a set of knobs is (protocol.md §9, §16–§17).
//!
//! The paper's noise paragraph can be read two ways on one point that decides its p_L claim:
//! whether the resource qubits a, b collect idle noise inside RSP&V attempts (knob K1,
//! `idle_on_resource_during_rspv`). The app names the two readings and shows the active one
//! next to every result:
//!
//! | reading | knobs | [`ReadingKind`] id |
//! |---|---|---|
//! | **Paper-consistent reading** | every knob at its default, K1 = `false` | `paper_consistent` |
//! | **Literal reading** | every knob at its default, K1 = `true` | `literal` |
//! | **Custom** | anything else | `custom` |
//!
//! Both named readings are defined from [`Knobs::default()`] with K1 set explicitly, so they do
//! not depend on which K1 value is the default. A custom reading lists, in plain words, every
//! knob that differs from the paper-consistent reading ([`KnobChange`]).
//!
//! Pure Rust, no browser: the page, the CLI and the exports call [`Reading::of`].

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::params::{Knobs, Params};

/// The named readings of protocol.md §16 (K1), plus everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReadingKind {
    /// Default knobs with K1 = false: no idle noise on a, b inside RSP&V attempts. The reading
    /// under which the paper's p_L ordering appears (protocol.md §9).
    #[default]
    PaperConsistent,
    /// Default knobs with K1 = true: every idle live compute qubit collects p/100 per layer,
    /// the resource qubits inside RSP&V included (the paper's sentence read literally).
    Literal,
    /// Any other knob set.
    Custom,
}

impl ReadingKind {
    /// The two readings a one-click switch toggles between.
    pub const NAMED: [ReadingKind; 2] = [ReadingKind::PaperConsistent, ReadingKind::Literal];

    /// The identifier (serde name): `paper_consistent`, `literal`, `custom`.
    pub fn id(self) -> &'static str {
        match self {
            ReadingKind::PaperConsistent => "paper_consistent",
            ReadingKind::Literal => "literal",
            ReadingKind::Custom => "custom",
        }
    }

    /// The short name shown to users.
    pub fn name(self) -> &'static str {
        match self {
            ReadingKind::PaperConsistent => "Paper-consistent reading",
            ReadingKind::Literal => "Literal reading",
            ReadingKind::Custom => "Custom",
        }
    }

    /// The knobs of a named reading (for the one-click switch): [`Knobs::default()`] with K1
    /// set; `None` for [`ReadingKind::Custom`].
    pub fn knobs(self) -> Option<Knobs> {
        let k1 = match self {
            ReadingKind::PaperConsistent => false,
            ReadingKind::Literal => true,
            ReadingKind::Custom => return None,
        };
        Some(Knobs {
            idle_on_resource_during_rspv: k1,
            ..Knobs::default()
        })
    }

    /// The other named reading (paper-consistent ↔ literal); custom switches to the
    /// paper-consistent reading.
    pub fn other(self) -> ReadingKind {
        match self {
            ReadingKind::PaperConsistent => ReadingKind::Literal,
            ReadingKind::Literal | ReadingKind::Custom => ReadingKind::PaperConsistent,
        }
    }
}

/// One knob that differs from the paper-consistent reading, in plain words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnobChange {
    /// The identifier of protocol.md §17 (`check_kind`).
    pub knob: String,
    /// The active value as its serde name (`single_qubit`), numbers as JSON numbers.
    pub value: String,
    /// Plain words, ending with the knob's label: "checks on single qubits (K2)".
    pub words: String,
}

/// The active reading of a knob set: what the page shows in the main view, presentation mode
/// and every export's metadata.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reading {
    pub kind: ReadingKind,
    /// [`ReadingKind::name`]: "Paper-consistent reading", "Literal reading" or "Custom".
    pub name: String,
    /// One sentence: what differs and why it matters.
    pub summary: String,
    /// Every knob that differs from the paper-consistent reading, by label (K1, K2, …, then
    /// the unlabelled knobs by identifier); empty for the paper-consistent reading, K1 alone
    /// for the literal reading.
    pub changes: Vec<KnobChange>,
}

impl Reading {
    /// The reading of `knobs`.
    pub fn of(knobs: &Knobs) -> Reading {
        let changes = changes_from_paper_consistent(knobs);
        let kind = if changes.is_empty() {
            ReadingKind::PaperConsistent
        } else if changes.len() == 1 && changes[0].knob == K1 {
            ReadingKind::Literal
        } else {
            ReadingKind::Custom
        };
        let summary = match kind {
            ReadingKind::PaperConsistent => PAPER_CONSISTENT_SUMMARY.to_string(),
            ReadingKind::Literal => LITERAL_SUMMARY.to_string(),
            ReadingKind::Custom => custom_summary(knobs, &changes),
        };
        Reading {
            kind,
            name: kind.name().to_string(),
            summary,
            changes,
        }
    }

    /// The reading of `params.knobs`.
    pub fn of_params(params: &Params) -> Reading {
        Reading::of(&params.knobs)
    }

    /// One line for headers and status bars: the name, and for a custom reading the changed
    /// knobs ("Custom: checks on single qubits (K2); …").
    pub fn headline(&self) -> String {
        match self.kind {
            ReadingKind::Custom => {
                let words: Vec<&str> = self.changes.iter().map(|c| c.words.as_str()).collect();
                format!("{}: {}", self.name, words.join("; "))
            }
            _ => self.name.clone(),
        }
    }
}

/// The identifier of K1.
const K1: &str = "idle_on_resource_during_rspv";

const PAPER_CONSISTENT_SUMMARY: &str = "Resource qubits do not collect idle noise inside \
RSP&V attempts (K1 off; the data, waiting resources, stalls and RSI still idle noisily): the \
reading under which the paper's logical-error advantage (distributed ≈ monolithic < direct) \
appears, while the literal reading makes monolithic CliNR worse than direct (protocol.md §9, \
§16).";

const LITERAL_SUMMARY: &str = "Every idle live compute qubit collects p/100 per layer, the \
resource qubits inside RSP&V attempts included (K1 on), as the paper's sentence reads \
literally: this idle exposure makes monolithic CliNR worse than direct and removes distributed \
CliNR's p_L advantage at the paper's point, so the paper's p_L claims fail (protocol.md §9, \
§16).";

fn custom_summary(knobs: &Knobs, changes: &[KnobChange]) -> String {
    let others: Vec<&str> = changes
        .iter()
        .filter(|c| c.knob != K1)
        .map(|c| c.words.as_str())
        .collect();
    let base = if knobs.idle_on_resource_during_rspv {
        "the literal reading (K1 on)"
    } else {
        "the paper-consistent reading (K1 off)"
    };
    format!(
        "Differs from {base} in: {}; the paper states its claims for default knobs, so \
         differences from the paper's figures may come from these choices (protocol.md §16).",
        others.join("; ")
    )
}

/// The knobs that differ from [`ReadingKind::PaperConsistent`]'s, compared through serde (one
/// list of names, shared with the CLI, the URL hash and the JSON output).
pub fn changes_from_paper_consistent(knobs: &Knobs) -> Vec<KnobChange> {
    let Some(base) = ReadingKind::PaperConsistent.knobs() else {
        return Vec::new();
    };
    let (Ok(Value::Object(here)), Ok(Value::Object(there))) =
        (serde_json::to_value(knobs), serde_json::to_value(base))
    else {
        return Vec::new();
    };
    let mut out: Vec<KnobChange> = here
        .iter()
        .filter(|(k, v)| there.get(k.as_str()) != Some(v))
        .map(|(k, v)| {
            let value = match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            KnobChange {
                words: knob_words(k, &value),
                knob: k.clone(),
                value,
            }
        })
        .collect();
    let order = |c: &KnobChange| {
        let n = knob_label(&c.knob)
            .and_then(|l| l.trim_start_matches('K').parse::<u32>().ok())
            .unwrap_or(u32::MAX);
        (n, c.knob.clone())
    };
    out.sort_by_key(order);
    out
}

/// Plain words for knob `knob` (protocol.md §17 identifier) at `value` (serde name), ending
/// with the knob's label. Unknown identifiers or values fall back to "knob = value".
pub fn knob_words(knob: &str, value: &str) -> String {
    let label = knob_label(knob);
    let words: Option<String> = match (knob, value) {
        ("idle_on_resource_during_rspv", "true") => {
            Some("idle noise on resource qubits during RSP&V".into())
        }
        ("idle_on_resource_during_rspv", "false") => {
            Some("no idle noise on resource qubits during RSP&V".into())
        }
        ("check_kind", "uniform") => Some("checks are uniform random Paulis".into()),
        ("check_kind", "single_qubit") => Some("checks on single qubits".into()),
        ("check_kind", "explicit") => Some("an explicit verification sequence".into()),
        ("check_measurement", "h_then_mz") => Some("checks read out by H then M_Z".into()),
        ("check_measurement", "mx") => Some("checks read out by M_X".into()),
        ("circuit_generator", g) => Some(generator_words(g)),
        ("size_count", "all_gates") => Some("size counts every gate".into()),
        ("size_count", "two_qubit_gates") => Some("size counts two-qubit gates only".into()),
        ("padding_gates", "h_s_cx") => Some("padding with H, S and CX".into()),
        ("padding_gates", "random_two_qubit_clifford") => {
            Some("padding with random two-qubit Cliffords".into())
        }
        ("split_rule", "equal_depth") => Some("blocks of equal depth".into()),
        ("split_rule", "equal_gates") => Some("blocks of equal gate count".into()),
        ("input_timing", "from_start") => Some("input present from time 0".into()),
        ("input_timing", "just_in_time") => Some("input prepared just in time for RSI 1".into()),
        ("correction_noise", "applied_paulis") => Some("noisy correction layers".into()),
        ("correction_noise", "noiseless_frame") => {
            Some("corrections kept in a noiseless Pauli frame".into())
        }
        ("teleport_model", "remote_cx") => Some("teleportation by remote CX".into()),
        ("teleport_model", "bell_measurement") => Some("teleportation by Bell measurement".into()),
        ("bell_start", v) => Some(format!("links start generating Bell pairs at layer {v}")),
        ("storage_idle_rate", v) => Some(format!("stored Bell pairs idle at rate {v}")),
        ("pair_assignment", "index_order") => Some("Bell pairs consumed in index order".into()),
        ("check_redraw", "per_circuit") => Some("checks fixed per circuit".into()),
        ("check_redraw", "per_attempt") => Some("checks redrawn for every attempt".into()),
        ("noise_model", "paper") => Some("the paper's noise rates".into()),
        ("noise_model", "uniform") => Some("uniform noise: every rate p, no idle noise".into()),
        ("parallel_links", v) => Some(format!("{v} Bell-pair generators per link")),
        ("restart_rule", "first_failure") => Some("restart at the first failing check".into()),
        ("restart_rule", "end_of_rsv") => Some("restart only at the end of RSV".into()),
        ("instances", v) => Some(format!("{v} RSP&V instances per block (m)")),
        ("two_sided_rsp", "true") => Some("two-sided RSP".into()),
        ("two_sided_rsp", "false") => Some("one-sided RSP".into()),
        _ => None,
    };
    let words = words.unwrap_or_else(|| format!("{knob} = {value}"));
    match label {
        Some(l) => format!("{words} ({l})"),
        None => words,
    }
}

fn generator_words(g: &str) -> String {
    match g {
        "stim_elimination" => "circuits synthesized as Stim's elimination does".into(),
        "qiskit_greedy" => "circuits synthesized as Qiskit's greedy method does".into(),
        "qiskit_ag" => "circuits synthesized as Qiskit's Aaronson–Gottesman method does".into(),
        "synthesized_elimination" => {
            "circuits synthesized by Aaronson–Gottesman elimination".into()
        }
        "synthesized_greedy" => "circuits synthesized by a greedy elimination".into(),
        "random_gates" => "independent random gates instead of a random Clifford".into(),
        other => format!("circuit generator {other}"),
    }
}

/// The protocol.md §16 label of a knob identifier (K1…K16), if it has one.
pub fn knob_label(knob: &str) -> Option<&'static str> {
    Some(match knob {
        "idle_on_resource_during_rspv" => "K1",
        "check_kind" => "K2",
        "check_measurement" => "K3",
        "circuit_generator" => "K4",
        "size_count" => "K5",
        "padding_gates" => "K6",
        "split_rule" => "K7",
        "input_timing" => "K8",
        "correction_noise" => "K9",
        "teleport_model" => "K10",
        "bell_start" | "storage_idle_rate" => "K11",
        "pair_assignment" => "K12",
        "check_redraw" => "K13",
        "noise_model" => "K16",
        _ => return None,
    })
}

/// Every value of a serde enum of unit variants, in declaration order, each once (aliases
/// that deserialize to the same value are dropped). Read from serde's "unknown variant"
/// message, so a renamed or added variant is picked up without a second list; `[T::default()]`
/// if the message cannot be read. Used to iterate over, e.g., every circuit generator (K4).
pub fn serde_values<T>() -> Vec<T>
where
    T: DeserializeOwned + Serialize + PartialEq + Default,
{
    let probe = Value::String("\u{1}".into());
    let names: Vec<String> = match serde_json::from_value::<T>(probe) {
        Ok(_) => Vec::new(),
        Err(e) => {
            let msg = e.to_string();
            msg.split_once("expected")
                .map(|(_, tail)| {
                    tail.split('`')
                        .skip(1)
                        .step_by(2)
                        .map(str::to_string)
                        .collect()
                })
                .unwrap_or_default()
        }
    };
    let mut out: Vec<T> = Vec::new();
    for name in names {
        if let Ok(v) = serde_json::from_value::<T>(Value::String(name)) {
            if !out.contains(&v) {
                out.push(v);
            }
        }
    }
    if out.is_empty() {
        out.push(T::default());
    }
    out
}

/// The serde name of a unit variant (`"single_qubit"`), or its JSON text for other values.
pub fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuit::random::CircuitGenerator;
    use crate::protocol::params::{CheckKind, CheckMeasurement, NoiseModelKind};

    #[test]
    fn named_readings_are_defaults_with_k1_set() {
        let pc = ReadingKind::PaperConsistent.knobs().unwrap();
        let lit = ReadingKind::Literal.knobs().unwrap();
        assert!(!pc.idle_on_resource_during_rspv);
        assert!(lit.idle_on_resource_during_rspv);
        assert_eq!(ReadingKind::Custom.knobs(), None);
        // Everything but K1 is the default.
        for k in [pc, lit] {
            let back = Knobs {
                idle_on_resource_during_rspv: Knobs::default().idle_on_resource_during_rspv,
                ..k
            };
            assert_eq!(back, Knobs::default());
        }
        assert_eq!(Reading::of(&pc).kind, ReadingKind::PaperConsistent);
        assert_eq!(Reading::of(&lit).kind, ReadingKind::Literal);
        // Whichever K1 value is the default, the defaults are one of the named readings.
        assert_ne!(Reading::of(&Knobs::default()).kind, ReadingKind::Custom);
        for kind in ReadingKind::NAMED {
            assert_eq!(Reading::of(&kind.knobs().unwrap()).kind, kind);
            assert_eq!(kind.other().other(), kind);
        }
        assert_eq!(ReadingKind::Custom.other(), ReadingKind::PaperConsistent);
    }

    #[test]
    fn readings_name_and_explain_themselves() {
        let pc = Reading::of(&ReadingKind::PaperConsistent.knobs().unwrap());
        assert_eq!(pc.name, "Paper-consistent reading");
        assert!(pc.changes.is_empty());
        assert!(pc.summary.contains("K1 off") && pc.summary.contains("§9"));
        assert_eq!(pc.headline(), "Paper-consistent reading");
        let lit = Reading::of(&ReadingKind::Literal.knobs().unwrap());
        assert_eq!(lit.name, "Literal reading");
        assert_eq!(lit.changes.len(), 1);
        assert_eq!(
            lit.changes[0].words,
            "idle noise on resource qubits during RSP&V (K1)"
        );
        assert!(lit.summary.contains("K1 on"));
        // Both sentences say what differs and why it matters, in one sentence.
        for r in [&pc, &lit] {
            assert_eq!(r.summary.matches(". ").count(), 0, "{}", r.summary);
            assert!(r.summary.ends_with('.'));
        }
    }

    #[test]
    fn custom_readings_list_the_changed_knobs_in_plain_words() {
        let k = Knobs {
            check_kind: CheckKind::SingleQubit,
            check_measurement: CheckMeasurement::Mx,
            ..ReadingKind::PaperConsistent.knobs().unwrap()
        };
        let r = Reading::of(&k);
        assert_eq!(r.kind, ReadingKind::Custom);
        assert_eq!(r.name, "Custom");
        let words: Vec<&str> = r.changes.iter().map(|c| c.words.as_str()).collect();
        assert_eq!(
            words,
            [
                "checks on single qubits (K2)",
                "checks read out by M_X (K3)"
            ]
        );
        assert_eq!(r.changes[0].knob, "check_kind");
        assert_eq!(r.changes[0].value, "single_qubit");
        assert!(r.summary.contains("paper-consistent reading (K1 off)"));
        assert!(r.summary.contains("checks on single qubits (K2)"));
        assert_eq!(
            r.headline(),
            "Custom: checks on single qubits (K2); checks read out by M_X (K3)"
        );
        // K1 on plus another knob: custom, based on the literal reading, K1 listed too.
        let k = Knobs {
            noise_model: NoiseModelKind::Uniform,
            parallel_links: 4,
            ..ReadingKind::Literal.knobs().unwrap()
        };
        let r = Reading::of(&k);
        assert_eq!(r.kind, ReadingKind::Custom);
        assert!(
            r.summary.contains("literal reading (K1 on)"),
            "{}",
            r.summary
        );
        let words: Vec<&str> = r.changes.iter().map(|c| c.words.as_str()).collect();
        assert_eq!(
            words,
            [
                "idle noise on resource qubits during RSP&V (K1)",
                "uniform noise: every rate p, no idle noise (K16)",
                "4 Bell-pair generators per link"
            ]
        );
    }

    #[test]
    fn every_knob_value_has_plain_words() {
        // Every enum value the knobs accept gets words of its own, not the fallback.
        let base = serde_json::to_value(Knobs::default()).unwrap();
        for (knob, v) in base.as_object().unwrap() {
            if let Value::String(s) = v {
                let w = knob_words(knob, s);
                assert!(!w.contains(" = "), "{knob}: {w}");
            }
        }
        for g in serde_values::<CircuitGenerator>() {
            let w = knob_words("circuit_generator", &serde_name(&g));
            assert!(w.ends_with("(K4)") && !w.contains(" = "), "{w}");
        }
        assert_eq!(knob_words("nope", "x"), "nope = x");
    }

    #[test]
    fn serde_values_lists_every_variant_once() {
        assert_eq!(
            serde_values::<CheckKind>(),
            [CheckKind::Uniform, CheckKind::SingleQubit]
        );
        assert_eq!(
            serde_values::<CheckMeasurement>(),
            [CheckMeasurement::HThenMz, CheckMeasurement::Mx]
        );
        let gens = serde_values::<CircuitGenerator>();
        assert!(gens.len() >= 3, "{gens:?}");
        assert!(gens.contains(&CircuitGenerator::default()));
        assert!(gens.contains(&CircuitGenerator::RandomGates));
        assert_eq!(serde_name(&CheckKind::SingleQubit), "single_qubit");
    }

    #[test]
    fn reading_round_trips_through_json() {
        let r = Reading::of(&Knobs {
            check_kind: CheckKind::SingleQubit,
            ..Default::default()
        });
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains(r#""kind":"custom""#), "{json}");
        assert_eq!(serde_json::from_str::<Reading>(&json).unwrap(), r);
    }
}
