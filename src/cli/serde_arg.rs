//! Command-line values parsed through serde, so every enum flag accepts exactly the serde names
//! of src/protocol/params.rs (one mapping; no second table to keep in sync).

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::ErrorKind;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::ffi::OsStr;
use std::marker::PhantomData;

/// A clap value parser for a serde enum of unit variants.
pub struct SerdeEnum<T> {
    /// The accepted names, for `--help` (clap needs `'static` strings; built once per flag).
    names: Vec<&'static str>,
    _t: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Serialize> SerdeEnum<T> {
    pub fn new() -> Self {
        SerdeEnum {
            names: serde_names::<T>()
                .into_iter()
                .map(|s| &*Box::leak(s.into_boxed_str()))
                .collect(),
            _t: PhantomData,
        }
    }
}

impl<T: DeserializeOwned + Serialize> Default for SerdeEnum<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T> Clone for SerdeEnum<T> {
    fn clone(&self) -> Self {
        SerdeEnum {
            names: self.names.clone(),
            _t: PhantomData,
        }
    }
}

/// The accepted names of a serde enum, read from serde's own "unknown variant" message, without
/// its aliases (former names, which serialize under another name: still accepted, not listed).
/// `tests::names_round_trip` checks that every name deserializes and serializes back to itself.
pub fn serde_names<T: DeserializeOwned + Serialize>() -> Vec<String> {
    let probe = Value::String("\u{1}".into());
    let Err(e) = serde_json::from_value::<T>(probe) else {
        return Vec::new();
    };
    let msg = e.to_string();
    let Some(tail) = msg.split_once("expected").map(|(_, t)| t) else {
        return Vec::new();
    };
    tail.split('`')
        .skip(1)
        .step_by(2)
        .filter(|name| {
            serde_json::from_value::<T>(Value::String(name.to_string()))
                .is_ok_and(|v| serde_name(&v) == *name)
        })
        .map(str::to_string)
        .collect()
}

/// Parses `s` as the serde name of a `T`.
pub fn parse_serde<T: DeserializeOwned + Serialize>(s: &str) -> Result<T, String> {
    serde_json::from_value(Value::String(s.to_string()))
        .map_err(|_| format!("expected one of: {}", serde_names::<T>().join(", ")))
}

/// The serde name of a unit variant.
pub fn serde_name<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

impl<T> TypedValueParser for SerdeEnum<T>
where
    T: DeserializeOwned + Serialize + Clone + Send + Sync + 'static,
{
    type Value = T;

    fn parse_ref(
        &self,
        _cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &OsStr,
    ) -> Result<T, clap::Error> {
        let flag = arg
            .and_then(|a| a.get_long())
            .map(|l| format!("--{l}"))
            .unwrap_or_else(|| "value".into());
        let s = value.to_string_lossy();
        // A former identifier (a serde alias) is accepted with a one-line notice.
        if let Some(note) =
            arg.and_then(|a| crate::protocol::params::renamed_value_notice(a.get_id().as_str(), &s))
        {
            eprintln!("clinr: note: {note}");
        }
        parse_serde::<T>(&s).map_err(|why| {
            clap::Error::raw(
                ErrorKind::InvalidValue,
                format!("invalid value '{s}' for '{flag}': {why}\n"),
            )
        })
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(|&s| PossibleValue::new(s))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuit::layers::SplitRule;
    use crate::circuit::random::{CircuitGenerator, PaddingGates, SizeCount};
    use crate::protocol::params::*;
    use crate::sim::EngineKind;

    fn round_trip<T: DeserializeOwned + Serialize>(expect_at_least: usize) -> Vec<String> {
        let names = serde_names::<T>();
        assert!(names.len() >= expect_at_least, "{names:?}");
        for n in &names {
            let v: T = parse_serde(n).expect("listed name parses");
            assert_eq!(&serde_name(&v), n);
        }
        assert!(parse_serde::<T>("no_such_value").is_err());
        names
    }

    #[test]
    fn names_round_trip() {
        assert_eq!(round_trip::<CheckKind>(2), ["uniform", "single_qubit"]);
        assert_eq!(round_trip::<CheckMeasurement>(2), ["h_then_mz", "mx"]);
        // Former names (serde aliases) are accepted but not listed.
        assert_eq!(
            round_trip::<CircuitGenerator>(4),
            [
                "stim_elimination",
                "qiskit_greedy",
                "qiskit_ag",
                "random_gates"
            ]
        );
        assert_eq!(
            parse_serde::<CircuitGenerator>("synthesized_elimination"),
            Ok(CircuitGenerator::QiskitAg)
        );
        assert_eq!(
            round_trip::<crate::circuit::synthesis::Method>(3),
            ["stim_elimination", "qiskit_greedy", "qiskit_ag"]
        );
        round_trip::<SizeCount>(2);
        round_trip::<PaddingGates>(2);
        round_trip::<SplitRule>(2);
        round_trip::<InputTiming>(2);
        round_trip::<CorrectionNoise>(2);
        assert_eq!(round_trip::<TeleportModel>(1), ["remote_cx"]);
        assert_eq!(round_trip::<PairAssignment>(1), ["index_order"]);
        round_trip::<CheckRedraw>(2);
        round_trip::<NoiseModelKind>(2);
        assert_eq!(
            round_trip::<RestartRule>(2),
            ["first_failure", "end_of_rsv"]
        );
        assert_eq!(round_trip::<EngineKind>(2), ["fast", "reference"]);
        assert!(parse_serde::<CheckKind>("single_qubit").is_ok());
        assert!(parse_serde::<CheckKind>("Single_Qubit").is_err());
    }
}
