//! Parameters of a simulation and the model knobs of protocol.md §16–§17, with validation.
//!
//! Every "our default" reading of the paper is a knob here, named after its identifier in
//! protocol.md §17; `Default` gives the paper's operating point (n = 85, t = r = 3, p = 1e-4,
//! τ_e = 1, 20 circuits × 200 samples). Nothing reaches the engine without `validate`.

use crate::circuit::layers::SplitRule;
use crate::circuit::random::{CircuitGenerator, PaddingGates, SizeCount};
use crate::numbers::shortest;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// K2: how the verification Paulis P^(j) are drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckKind {
    /// P uniform over the 4^n − 1 non-identity Paulis (weight ≈ 1.5n).
    #[default]
    Uniform,
    /// P a random X, Y or Z on one random qubit.
    SingleQubit,
}

/// K3: how a check's ancilla is read out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckMeasurement {
    /// H then M_Z: a check lasts w + 4 layers.
    #[default]
    HThenMz,
    /// Direct M_X: a check lasts w + 3 layers.
    Mx,
}

/// K8: when the input |ψ⟩ appears on the data qubits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InputTiming {
    /// Present from time 0, idling through RSP&V of block 1.
    #[default]
    FromStart,
    /// Prepared just in time for RSI 1.
    JustInTime,
}

/// K9: noise on the Pauli-correction layer of RSI and of the teleportation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CorrectionNoise {
    /// Qubits receiving a non-identity Pauli get one-qubit noise; the others idle noise.
    #[default]
    AppliedPaulis,
    /// Pauli frame kept classically: every output qubit only idles in that layer.
    NoiselessFrame,
}

/// K10: the teleportation gadget of the final Q_t → Q_0 transfer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TeleportModel {
    /// One-bit teleportation with one remote CX per qubit (3p, 4 layers).
    #[default]
    RemoteCx,
}

/// K12: which arriving Bell pair a qubit consumes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairAssignment {
    /// Qubit i consumes pair i of its link.
    #[default]
    IndexOrder,
}

/// K13: whether the verification Paulis are redrawn for every attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckRedraw {
    /// Drawn once per block per circuit: a fixed verification sequence.
    #[default]
    PerCircuit,
    /// Drawn afresh for every RSP&V attempt.
    PerAttempt,
}

/// K16: the noise model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseModelKind {
    /// Paper §IV: p/10 one-qubit, p two-qubit, 3p remote, p/10 measurement, p/100 idle.
    #[default]
    Paper,
    /// Paper §V: every rate p, no idle noise (the setting of Props. 1–2).
    Uniform,
}

/// When a check failure restarts the attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RestartRule {
    /// Stop at the first failing check (paper §III.A; the simulations of §IV).
    #[default]
    FirstFailure,
    /// Run all r checks, then restart if any failed (the simplification of paper §V).
    EndOfRsv,
}

/// The model knobs of protocol.md §17, defaults as there.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Knobs {
    /// K1: idle noise on resource qubits a, b inside RSP&V attempts. `false` (default) is the
    /// paper-consistent reading, `true` the literal reading (protocol.md §9, §16): see
    /// [`k1_reading`].
    pub idle_on_resource_during_rspv: bool,
    /// K2.
    pub check_kind: CheckKind,
    /// K3.
    pub check_measurement: CheckMeasurement,
    /// K4.
    pub circuit_generator: CircuitGenerator,
    /// K5.
    pub size_count: SizeCount,
    /// K6.
    pub padding_gates: PaddingGates,
    /// K7.
    pub split_rule: SplitRule,
    /// K8.
    pub input_timing: InputTiming,
    /// K9.
    pub correction_noise: CorrectionNoise,
    /// K10.
    pub teleport_model: TeleportModel,
    /// K11: time (in layers) at which every link starts generating Bell pairs.
    pub bell_start: f64,
    /// K11: idle noise rate per layer on stored Bell-pair halves (only 0 is modelled).
    pub storage_idle_rate: f64,
    /// K12.
    pub pair_assignment: PairAssignment,
    /// K13.
    pub check_redraw: CheckRedraw,
    /// K16.
    pub noise_model: NoiseModelKind,
    /// Paper §V relaxed model: k Bell-pair generators per link working in parallel.
    pub parallel_links: u32,
    /// Restart at the first failing check (default) or only at the end of RSV (paper §V).
    pub restart_rule: RestartRule,
    /// m: RSP&V instances per block run side by side (protocol.md §15.4, paper §VI); the first
    /// accepted one is injected (ties: lowest index). Omitted from JSON at its default 1, so
    /// reports of the paper's protocol are byte-identical to those made before the knob existed.
    #[serde(skip_serializing_if = "is_one")]
    pub instances: u32,
    /// Two-sided RSP (protocol.md §15.5, paper §VI): C_k = B·A split at its middle ASAP layer,
    /// A^T applied on the a register and B on the b register in parallel. Omitted from JSON when
    /// off (the default), as `instances`.
    #[serde(skip_serializing_if = "is_false")]
    pub two_sided_rsp: bool,
}

fn is_one(m: &u32) -> bool {
    *m == 1
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            idle_on_resource_during_rspv: false,
            check_kind: CheckKind::default(),
            check_measurement: CheckMeasurement::default(),
            circuit_generator: CircuitGenerator::default(),
            size_count: SizeCount::default(),
            padding_gates: PaddingGates::default(),
            split_rule: SplitRule::default(),
            input_timing: InputTiming::default(),
            correction_noise: CorrectionNoise::default(),
            teleport_model: TeleportModel::default(),
            bell_start: 0.0,
            storage_idle_rate: 0.0,
            pair_assignment: PairAssignment::default(),
            check_redraw: CheckRedraw::default(),
            noise_model: NoiseModelKind::default(),
            parallel_links: 1,
            restart_rule: RestartRule::default(),
            instances: 1,
            two_sided_rsp: false,
        }
    }
}

/// The name of K1's reading (protocol.md §9, §16): "paper-consistent reading" for `false`
/// (idle-free resources inside RSP&V attempts, the default), "literal reading" for `true`.
pub fn k1_reading(idle_on_resource_during_rspv: bool) -> &'static str {
    if idle_on_resource_during_rspv {
        "literal reading"
    } else {
        "paper-consistent reading"
    }
}

/// A one-line notice if `value` of knob `key` is a former identifier (still accepted as an
/// alias), e.g. `circuit_generator 'synthesized_elimination' is now called 'qiskit_ag'`.
/// Every reader of knob values (CLI flags, URL hash, JSON) reports it this way.
pub fn renamed_value_notice(key: &str, value: &str) -> Option<String> {
    let new = match key {
        "circuit_generator" => CircuitGenerator::renamed(value)?,
        _ => return None,
    };
    Some(format!("{key} '{value}' is now called '{new}'"))
}

/// The notices of [`renamed_value_notice`] for every string value of a JSON object of knobs
/// (such as the `knobs` of a [`Params`] in JSON), in key order.
pub fn renamed_value_notices(knobs: &serde_json::Value) -> Vec<String> {
    knobs
        .as_object()
        .map(|m| {
            m.iter()
                .filter_map(|(k, v)| renamed_value_notice(k, v.as_str()?))
                .collect()
        })
        .unwrap_or_default()
}

/// The accepted values of the enum knob `key` (its serde names in declaration order, former
/// names left out: they are still read, as aliases), e.g. `["paper", "uniform"]` for
/// `noise_model`; empty when `key` is not an enum knob. Read from serde's own "unknown
/// variant" message, as `cli::serde_arg::serde_names` does per type, so there is no second
/// list to keep in step.
pub fn knob_values(key: &str) -> Vec<String> {
    use serde_json::Value;
    let Ok(Value::Object(base)) = serde_json::to_value(Knobs::default()) else {
        return Vec::new();
    };
    if !base.get(key).is_some_and(Value::is_string) {
        return Vec::new();
    }
    let with = |value: &str| {
        let mut m = base.clone();
        m.insert(key.to_string(), Value::String(value.to_string()));
        serde_json::from_value::<Knobs>(Value::Object(m))
    };
    let Err(e) = with("\u{1}") else {
        return Vec::new();
    };
    let message = e.to_string();
    let Some((_, tail)) = message.split_once("expected") else {
        return Vec::new();
    };
    tail.split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| {
            with(name)
                .ok()
                .and_then(|k| serde_json::to_value(k).ok())
                .is_some_and(|v| v[key] == *name)
        })
        .map(str::to_string)
        .collect()
}

impl Knobs {
    /// The knobs whose value differs from the default, as `(identifier, value)` pairs, so
    /// every result can flag them.
    pub fn non_default(&self) -> Vec<(String, String)> {
        let here = serde_json::to_value(self).unwrap_or_default();
        let base = serde_json::to_value(Knobs::default()).unwrap_or_default();
        let mut out = Vec::new();
        if let (Some(h), Some(b)) = (here.as_object(), base.as_object()) {
            for (k, v) in h {
                if b.get(k) != Some(v) {
                    out.push((k.clone(), v.to_string().trim_matches('"').to_string()));
                }
            }
        }
        out
    }
}

/// One simulation point: the circuit family, the protocol parameters, statistics and seed.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Params {
    /// n: qubits of the circuit.
    pub n: u32,
    /// s: size (gate count) of the circuit; `None` means n².
    pub s: Option<u32>,
    /// t: number of subcircuits (blocks); distributed CliNR uses t+1 QPUs.
    pub t: u32,
    /// r: verification checks per resource state.
    pub r: u32,
    /// p: physical noise parameter.
    pub p: f64,
    /// τ_e: layers to generate one Bell pair on one link.
    pub tau_e: f64,
    /// Random circuits per data point.
    pub circuits: u32,
    /// Protocol samples per circuit.
    pub shots: u32,
    /// Seed of every random draw.
    pub seed: u64,
    pub knobs: Knobs,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            n: 85,
            s: None,
            t: 3,
            r: 3,
            p: 1e-4,
            tau_e: 1.0,
            circuits: 20,
            shots: 200,
            seed: 1,
            knobs: Knobs::default(),
        }
    }
}

/// Upper limits of each parameter, far above the paper's operating point. Together they do not
/// bound memory (n = 512 with s = 4,194,304 would need gigabytes): [`Params::validate`] also
/// checks the point against the memory budget of [`crate::budget`] (512 MiB).
pub mod limits {
    pub const MAX_N: u32 = 512;
    pub const MAX_T: u32 = 64;
    pub const MAX_R: u32 = 64;
    /// Largest circuit size s (gates).
    pub const MAX_S: u32 = 1 << 22;
    pub const MAX_CIRCUITS: u32 = 100_000;
    pub const MAX_SHOTS: u32 = 10_000_000;
    /// Largest circuits × shots per point.
    pub const MAX_SAMPLES: u64 = 1 << 30;
    pub const MAX_TAU_E: f64 = 1.0e6;
    pub const MIN_TAU_E: f64 = 0.1;
    pub const MAX_PARALLEL_LINKS: u32 = 1 << 16;
    /// Largest number m of parallel RSP&V instances per block.
    pub const MAX_INSTANCES: u32 = 64;
}

/// Why a parameter set is refused. Messages name the flag and the accepted range.
#[derive(Debug, Error, Clone, PartialEq)]
pub enum ParamError {
    #[error("{name} = {value} is out of range: {expected}")]
    OutOfRange {
        name: &'static str,
        value: String,
        expected: String,
    },
    #[error("{0}")]
    Unsupported(String),
}

fn out_of_range(name: &'static str, value: impl ToString, expected: impl ToString) -> ParamError {
    ParamError::OutOfRange {
        name,
        value: value.to_string(),
        expected: expected.to_string(),
    }
}

impl Params {
    /// The circuit size s (n² unless set).
    pub fn size(&self) -> u32 {
        self.s.unwrap_or(self.n.saturating_mul(self.n))
    }

    /// Checks every field; the engine assumes this passed.
    pub fn validate(&self) -> Result<(), ParamError> {
        use limits::*;
        if self.n == 0 || self.n > MAX_N {
            return Err(out_of_range(
                "n",
                self.n,
                format!("an integer in 1..={MAX_N}"),
            ));
        }
        if self.t == 0 || self.t > MAX_T {
            return Err(out_of_range(
                "t",
                self.t,
                format!("an integer in 1..={MAX_T}"),
            ));
        }
        if self.r > MAX_R {
            return Err(out_of_range(
                "r",
                self.r,
                format!("an integer in 0..={MAX_R}"),
            ));
        }
        if let Some(s) = self.s {
            if s > MAX_S {
                return Err(out_of_range("s", s, format!("at most {MAX_S} gates")));
            }
        }
        if u64::from(self.n) * u64::from(self.n) > u64::from(MAX_S) && self.s.is_none() {
            return Err(out_of_range("s", "n²", format!("at most {MAX_S} gates")));
        }
        if !(self.p.is_finite() && (0.0..=1.0).contains(&self.p)) {
            return Err(out_of_range(
                "p",
                shortest(self.p),
                "a probability in [0, 1]",
            ));
        }
        // The largest rate is 3p (remote gates); a channel probability must stay ≤ 1.
        let max_rate = match self.knobs.noise_model {
            NoiseModelKind::Paper => 3.0 * self.p,
            NoiseModelKind::Uniform => self.p,
        };
        if max_rate > 1.0 {
            return Err(out_of_range(
                "p",
                shortest(self.p),
                "at most 1/3 in the paper noise model (remote gates have rate 3p)",
            ));
        }
        if !(self.tau_e.is_finite() && (MIN_TAU_E..=MAX_TAU_E).contains(&self.tau_e)) {
            return Err(out_of_range(
                "tau-e",
                shortest(self.tau_e),
                format!("a number of layers in [{MIN_TAU_E}, {MAX_TAU_E}]"),
            ));
        }
        if self.circuits == 0 || self.circuits > MAX_CIRCUITS {
            return Err(out_of_range(
                "circuits",
                self.circuits,
                format!("an integer in 1..={MAX_CIRCUITS}"),
            ));
        }
        if self.shots == 0 || self.shots > MAX_SHOTS {
            return Err(out_of_range(
                "shots",
                self.shots,
                format!("an integer in 1..={MAX_SHOTS}"),
            ));
        }
        if u64::from(self.circuits) * u64::from(self.shots) > MAX_SAMPLES {
            return Err(out_of_range(
                "circuits × shots",
                u64::from(self.circuits) * u64::from(self.shots),
                format!("at most {MAX_SAMPLES}"),
            ));
        }
        let k = &self.knobs;
        if !(k.bell_start.is_finite() && (0.0..=MAX_TAU_E).contains(&k.bell_start)) {
            return Err(out_of_range(
                "bell-start",
                shortest(k.bell_start),
                format!("a time in [0, {MAX_TAU_E}]"),
            ));
        }
        if k.storage_idle_rate != 0.0 {
            return Err(ParamError::Unsupported(format!(
                "storage-idle-rate = {}: only 0 is modelled (stored Bell pairs are noiseless, paper §II)",
                shortest(k.storage_idle_rate)
            )));
        }
        if k.parallel_links == 0 || k.parallel_links > MAX_PARALLEL_LINKS {
            return Err(out_of_range(
                "parallel-links",
                k.parallel_links,
                format!("an integer in 1..={MAX_PARALLEL_LINKS}"),
            ));
        }
        if k.instances == 0 || k.instances > MAX_INSTANCES {
            return Err(out_of_range(
                "instances",
                k.instances,
                format!("an integer in 1..={MAX_INSTANCES}"),
            ));
        }
        // The point must fit the memory budget on one thread (crate::budget).
        crate::budget::check_point(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_paper_operating_point_and_valid() {
        let p = Params::default();
        assert_eq!((p.n, p.t, p.r, p.circuits, p.shots), (85, 3, 3, 20, 200));
        assert_eq!(p.size(), 85 * 85);
        assert!(p.validate().is_ok());
        assert!(p.knobs.non_default().is_empty());
    }

    #[test]
    fn bad_values_are_refused_with_the_flag_name() {
        let bad = [
            Params {
                n: 0,
                ..Default::default()
            },
            Params {
                t: 0,
                ..Default::default()
            },
            Params {
                p: -0.1,
                ..Default::default()
            },
            Params {
                p: f64::NAN,
                ..Default::default()
            },
            Params {
                p: 0.5,
                ..Default::default()
            },
            Params {
                tau_e: 0.0,
                ..Default::default()
            },
            Params {
                tau_e: f64::INFINITY,
                ..Default::default()
            },
            Params {
                shots: 0,
                ..Default::default()
            },
            Params {
                circuits: 0,
                ..Default::default()
            },
            Params {
                n: 100_000,
                ..Default::default()
            },
        ];
        let names = [
            "n", "t", "p", "p", "p", "tau-e", "tau-e", "shots", "circuits", "n",
        ];
        for (params, name) in bad.iter().zip(names) {
            let err = params.validate().expect_err("must be refused");
            assert!(
                err.to_string().starts_with(name),
                "{err} should name {name}"
            );
        }
        let uniform_half = Params {
            p: 0.5,
            knobs: Knobs {
                noise_model: NoiseModelKind::Uniform,
                ..Default::default()
            },
            ..Default::default()
        };
        assert!(uniform_half.validate().is_ok());
    }

    #[test]
    fn non_default_knobs_are_listed() {
        let k = Knobs {
            idle_on_resource_during_rspv: true,
            parallel_links: 2,
            ..Default::default()
        };
        let nd = k.non_default();
        assert!(nd.contains(&(
            "idle_on_resource_during_rspv".to_string(),
            "true".to_string()
        )));
        assert!(nd.contains(&("parallel_links".to_string(), "2".to_string())));
        assert_eq!(nd.len(), 2);
    }

    #[test]
    fn knob_identifiers_serialize_as_in_the_protocol_doc() {
        let v = serde_json::to_value(Knobs::default()).expect("serializes");
        assert_eq!(v["check_kind"], "uniform");
        assert_eq!(v["check_measurement"], "h_then_mz");
        assert_eq!(v["circuit_generator"], "stim_elimination");
        assert_eq!(v["padding_gates"], "h_s_cx");
        assert_eq!(v["input_timing"], "from_start");
        assert_eq!(v["correction_noise"], "applied_paulis");
        assert_eq!(v["check_redraw"], "per_circuit");
        assert_eq!(v["noise_model"], "paper");
        assert_eq!(v["idle_on_resource_during_rspv"], false);
        assert_eq!(k1_reading(false), "paper-consistent reading");
        assert_eq!(k1_reading(true), "literal reading");
    }

    #[test]
    fn former_generator_names_give_one_notice_each() {
        assert_eq!(
            renamed_value_notice("circuit_generator", "synthesized_elimination").as_deref(),
            Some("circuit_generator 'synthesized_elimination' is now called 'qiskit_ag'")
        );
        assert_eq!(
            renamed_value_notice("circuit_generator", "synthesized_greedy").as_deref(),
            Some("circuit_generator 'synthesized_greedy' is now called 'qiskit_greedy'")
        );
        assert_eq!(renamed_value_notice("circuit_generator", "qiskit_ag"), None);
        assert_eq!(
            renamed_value_notice("check_kind", "synthesized_greedy"),
            None
        );
        let v = serde_json::json!({"circuit_generator": "synthesized_greedy", "n": 3});
        assert_eq!(renamed_value_notices(&v).len(), 1);
        let p: Params = serde_json::from_value(serde_json::json!({
            "knobs": {"circuit_generator": "synthesized_elimination"}
        }))
        .expect("the alias is read");
        assert_eq!(p.knobs.circuit_generator, CircuitGenerator::QiskitAg);
    }

    #[test]
    fn knob_values_are_the_serde_names_without_former_ones() {
        assert_eq!(knob_values("noise_model"), ["paper", "uniform"]);
        assert_eq!(knob_values("teleport_model"), ["remote_cx"]);
        assert_eq!(
            knob_values("circuit_generator"),
            [
                "stim_elimination",
                "qiskit_greedy",
                "qiskit_ag",
                "random_gates"
            ]
        );
        assert_eq!(knob_values("restart_rule"), ["first_failure", "end_of_rsv"]);
        assert!(knob_values("parallel_links").is_empty());
        assert!(knob_values("two_sided_rsp").is_empty());
        assert!(knob_values("no_such_knob").is_empty());
    }

    #[test]
    fn beyond_the_paper_knobs_are_omitted_at_their_defaults_and_validated() {
        let d = serde_json::to_value(Knobs::default()).expect("serializes");
        assert!(d.get("instances").is_none() && d.get("two_sided_rsp").is_none());
        let k = Knobs {
            instances: 2,
            two_sided_rsp: true,
            ..Default::default()
        };
        let v = serde_json::to_value(k).expect("serializes");
        assert_eq!(
            (v["instances"].as_u64(), v["two_sided_rsp"].as_bool()),
            (Some(2), Some(true))
        );
        let back: Knobs = serde_json::from_value(v).expect("parses");
        assert_eq!(back, k);
        // Absent fields read as the defaults.
        let old: Knobs = serde_json::from_value(d).expect("parses");
        assert_eq!(old, Knobs::default());
        let nd = k.non_default();
        assert!(nd.contains(&("instances".to_string(), "2".to_string())));
        assert!(nd.contains(&("two_sided_rsp".to_string(), "true".to_string())));
        for m in [0, limits::MAX_INSTANCES + 1] {
            let p = Params {
                knobs: Knobs {
                    instances: m,
                    ..Default::default()
                },
                ..Default::default()
            };
            let err = p.validate().expect_err("refused");
            assert!(err.to_string().starts_with("instances"), "{err}");
        }
    }
}
