//! Stim circuit text: a parser and writer for the subset the app uses.
//!
//! Supported: `H S S_DAG X Y Z SQRT_X SQRT_X_DAG CX (CNOT, ZCX) CY (ZCY) CZ (ZCZ) SWAP`,
//! `R (RZ) RX M (MZ) MX MPP TICK`, `DEPOLARIZE1(p) DEPOLARIZE2(p) X_ERROR(p) Y_ERROR(p)
//! Z_ERROR(p)`, `M(p)` / `MX(p)` / `MPP(p)` flip probabilities, `DETECTOR rec[-k] …`,
//! `OBSERVABLE_INCLUDE(k) rec[-k] …`, `QUBIT_COORDS`, comments (`#`) and blank lines. Gate
//! names are case-insensitive (as in Stim). `REPEAT` blocks and everything else are rejected
//! with an error naming the line.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Circuit, Gate};
use crate::pauli::Pauli1;

/// Largest qubit index Stim accepts (targets are 24-bit).
pub const MAX_QUBIT: u32 = (1 << 24) - 1;

/// The instruction kinds of the supported subset.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StimOp {
    H,
    S,
    SDag,
    X,
    Y,
    Z,
    SqrtX,
    SqrtXDag,
    Cx,
    Cy,
    Cz,
    Swap,
    R,
    Rx,
    M,
    Mx,
    Mpp,
    Tick,
    Depolarize1,
    Depolarize2,
    XError,
    YError,
    ZError,
    Detector,
    ObservableInclude,
    QubitCoords,
}

impl StimOp {
    /// Canonical Stim name.
    pub fn name(self) -> &'static str {
        use StimOp::*;
        match self {
            H => "H",
            S => "S",
            SDag => "S_DAG",
            X => "X",
            Y => "Y",
            Z => "Z",
            SqrtX => "SQRT_X",
            SqrtXDag => "SQRT_X_DAG",
            Cx => "CX",
            Cy => "CY",
            Cz => "CZ",
            Swap => "SWAP",
            R => "R",
            Rx => "RX",
            M => "M",
            Mx => "MX",
            Mpp => "MPP",
            Tick => "TICK",
            Depolarize1 => "DEPOLARIZE1",
            Depolarize2 => "DEPOLARIZE2",
            XError => "X_ERROR",
            YError => "Y_ERROR",
            ZError => "Z_ERROR",
            Detector => "DETECTOR",
            ObservableInclude => "OBSERVABLE_INCLUDE",
            QubitCoords => "QUBIT_COORDS",
        }
    }

    /// Looks up a name (already upper-cased), aliases included.
    pub fn from_name(name: &str) -> Option<StimOp> {
        use StimOp::*;
        Some(match name {
            "H" | "H_XZ" => H,
            "S" | "SQRT_Z" => S,
            "S_DAG" | "SQRT_Z_DAG" => SDag,
            "X" => X,
            "Y" => Y,
            "Z" => Z,
            "SQRT_X" => SqrtX,
            "SQRT_X_DAG" => SqrtXDag,
            "CX" | "CNOT" | "ZCX" => Cx,
            "CY" | "ZCY" => Cy,
            "CZ" | "ZCZ" => Cz,
            "SWAP" => Swap,
            "R" | "RZ" => R,
            "RX" => Rx,
            "M" | "MZ" => M,
            "MX" => Mx,
            "MPP" => Mpp,
            "TICK" => Tick,
            "DEPOLARIZE1" => Depolarize1,
            "DEPOLARIZE2" => Depolarize2,
            "X_ERROR" => XError,
            "Y_ERROR" => YError,
            "Z_ERROR" => ZError,
            "DETECTOR" => Detector,
            "OBSERVABLE_INCLUDE" => ObservableInclude,
            "QUBIT_COORDS" => QubitCoords,
            _ => return None,
        })
    }

    fn is_unitary(self) -> bool {
        use StimOp::*;
        matches!(
            self,
            H | S | SDag | X | Y | Z | SqrtX | SqrtXDag | Cx | Cy | Cz | Swap
        )
    }

    fn is_pairwise(self) -> bool {
        matches!(
            self,
            StimOp::Cx | StimOp::Cy | StimOp::Cz | StimOp::Swap | StimOp::Depolarize2
        )
    }

    fn gate(self, a: u32, b: u32) -> Option<Gate> {
        use StimOp::*;
        Some(match self {
            H => Gate::H(a),
            S => Gate::S(a),
            SDag => Gate::Sdg(a),
            X => Gate::X(a),
            Y => Gate::Y(a),
            Z => Gate::Z(a),
            SqrtX => Gate::SqrtX(a),
            SqrtXDag => Gate::SqrtXdg(a),
            Cx => Gate::Cx(a, b),
            Cy => Gate::Cy(a, b),
            Cz => Gate::Cz(a, b),
            Swap => Gate::Swap(a, b),
            _ => return None,
        })
    }

    fn from_gate(g: &Gate) -> StimOp {
        match g {
            Gate::H(_) => StimOp::H,
            Gate::S(_) => StimOp::S,
            Gate::Sdg(_) => StimOp::SDag,
            Gate::X(_) => StimOp::X,
            Gate::Y(_) => StimOp::Y,
            Gate::Z(_) => StimOp::Z,
            Gate::SqrtX(_) => StimOp::SqrtX,
            Gate::SqrtXdg(_) => StimOp::SqrtXDag,
            Gate::Cx(..) => StimOp::Cx,
            Gate::Cy(..) => StimOp::Cy,
            Gate::Cz(..) => StimOp::Cz,
            Gate::Swap(..) => StimOp::Swap,
        }
    }
}

/// One target of an instruction.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StimTarget {
    /// `q`
    Qubit(u32),
    /// `!q` (inverted measurement result)
    Inverted(u32),
    /// `rec[-k]`, k ≥ 1: the k-th most recent measurement.
    Rec(u32),
    /// An MPP product such as `X0*Y1*Z2`, optionally inverted (`!X0*Z1`).
    Product {
        inverted: bool,
        factors: Vec<(Pauli1, u32)>,
    },
}

impl fmt::Display for StimTarget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StimTarget::Qubit(q) => write!(f, "{q}"),
            StimTarget::Inverted(q) => write!(f, "!{q}"),
            StimTarget::Rec(k) => write!(f, "rec[-{k}]"),
            StimTarget::Product { inverted, factors } => {
                if *inverted {
                    f.write_str("!")?;
                }
                for (i, (p, q)) in factors.iter().enumerate() {
                    if i > 0 {
                        f.write_str("*")?;
                    }
                    let c = match p {
                        Pauli1::X => 'X',
                        Pauli1::Y => 'Y',
                        Pauli1::Z => 'Z',
                        Pauli1::I => 'I',
                    };
                    write!(f, "{c}{q}")?;
                }
                Ok(())
            }
        }
    }
}

/// One line of a Stim program.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StimInstruction {
    pub op: StimOp,
    /// Parenthesized arguments (probabilities, coordinates, observable index).
    pub args: Vec<f64>,
    pub targets: Vec<StimTarget>,
    /// 1-based source line, or 0 for instructions built in code.
    pub line: u32,
}

impl fmt::Display for StimInstruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.op.name())?;
        if !self.args.is_empty() {
            f.write_str("(")?;
            for (i, a) in self.args.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{a}")?;
            }
            f.write_str(")")?;
        }
        for t in &self.targets {
            write!(f, " {t}")?;
        }
        Ok(())
    }
}

/// A parsed Stim program (flat: no REPEAT blocks).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StimCircuit {
    pub instructions: Vec<StimInstruction>,
}

/// A parse (or conversion) error with its 1-based line number (0 = not tied to a line).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct StimParseError {
    pub line: u32,
    pub message: String,
}

fn err<T>(line: u32, message: impl Into<String>) -> Result<T, StimParseError> {
    Err(StimParseError {
        line,
        message: message.into(),
    })
}

fn parse_qubit(tok: &str, line: u32) -> Result<u32, StimParseError> {
    if tok.is_empty() || !tok.bytes().all(|b| b.is_ascii_digit()) {
        return err(line, format!("invalid qubit target '{tok}'"));
    }
    match tok.parse::<u32>() {
        Ok(q) if q <= MAX_QUBIT => Ok(q),
        _ => err(
            line,
            format!("qubit index '{tok}' is too large (max {MAX_QUBIT})"),
        ),
    }
}

fn parse_rec(tok: &str, line: u32) -> Result<u32, StimParseError> {
    let inner = tok
        .strip_prefix("rec[-")
        .and_then(|r| r.strip_suffix(']'))
        .ok_or_else(|| StimParseError {
            line,
            message: format!("expected a measurement record target like rec[-1], got '{tok}'"),
        })?;
    match inner.parse::<u32>() {
        Ok(k) if k >= 1 && inner.bytes().all(|b| b.is_ascii_digit()) && k <= MAX_QUBIT => Ok(k),
        _ => err(line, format!("invalid measurement record target '{tok}'")),
    }
}

fn parse_product(tok: &str, line: u32) -> Result<StimTarget, StimParseError> {
    let (inverted, body) = match tok.strip_prefix('!') {
        Some(b) => (true, b),
        None => (false, tok),
    };
    let mut factors: Vec<(Pauli1, u32)> = Vec::new();
    for part in body.split('*') {
        let mut chars = part.chars();
        let p = match chars.next().map(|c| c.to_ascii_uppercase()) {
            Some('X') => Pauli1::X,
            Some('Y') => Pauli1::Y,
            Some('Z') => Pauli1::Z,
            _ => return err(line, format!("invalid Pauli product target '{tok}'")),
        };
        let q = parse_qubit(chars.as_str(), line)?;
        if factors.iter().any(|&(_, r)| r == q) {
            return err(line, format!("qubit {q} repeated in Pauli product '{tok}'"));
        }
        factors.push((p, q));
    }
    Ok(StimTarget::Product { inverted, factors })
}

fn check_prob(op: StimOp, args: &[f64], max: f64, line: u32) -> Result<(), StimParseError> {
    for &a in args {
        if !(0.0..=max).contains(&a) {
            return err(
                line,
                format!("{} probability {a} is outside [0, {max}]", op.name()),
            );
        }
    }
    Ok(())
}

fn parse_line(
    raw: &str,
    line: u32,
    measurements: &mut u64,
) -> Result<Option<StimInstruction>, StimParseError> {
    let text = raw.split('#').next().unwrap_or("").trim();
    if text.is_empty() {
        return Ok(None);
    }
    let name_end = text
        .find(|c: char| c == '(' || c.is_whitespace())
        .unwrap_or(text.len());
    let name = text[..name_end].to_ascii_uppercase();
    let mut rest = &text[name_end..];
    if name == "REPEAT" || name == "}" || text.ends_with('{') {
        return err(line, "REPEAT blocks are not supported");
    }
    let op = StimOp::from_name(&name).ok_or_else(|| StimParseError {
        line,
        message: format!("unknown gate '{}'", &text[..name_end]),
    })?;
    let mut args = Vec::new();
    if let Some(r) = rest.trim_start().strip_prefix('(') {
        let close = r.find(')').ok_or_else(|| StimParseError {
            line,
            message: "missing ')'".into(),
        })?;
        let inside = r[..close].trim();
        if !inside.is_empty() {
            for a in inside.split(',') {
                let a = a.trim();
                match a.parse::<f64>() {
                    Ok(v) if v.is_finite() => args.push(v),
                    _ => return err(line, format!("invalid argument '{a}'")),
                }
            }
        }
        rest = &r[close + 1..];
    }
    let toks: Vec<&str> = rest.split_whitespace().collect();
    let mut targets = Vec::with_capacity(toks.len());
    use StimOp::*;
    // Arguments.
    match op {
        Depolarize1 => {
            if args.len() != 1 {
                return err(line, "DEPOLARIZE1 takes exactly one probability");
            }
            check_prob(op, &args, 0.75, line)?;
        }
        Depolarize2 => {
            if args.len() != 1 {
                return err(line, "DEPOLARIZE2 takes exactly one probability");
            }
            check_prob(op, &args, 15.0 / 16.0, line)?;
        }
        XError | YError | ZError => {
            if args.len() != 1 {
                return err(line, format!("{} takes exactly one probability", op.name()));
            }
            check_prob(op, &args, 1.0, line)?;
        }
        M | Mx | Mpp => {
            if args.len() > 1 {
                return err(
                    line,
                    format!("{} takes at most one flip probability", op.name()),
                );
            }
            check_prob(op, &args, 1.0, line)?;
        }
        ObservableInclude => {
            if args.len() != 1 || args[0] < 0.0 || args[0].fract() != 0.0 || args[0] > 1e9 {
                return err(
                    line,
                    "OBSERVABLE_INCLUDE takes one non-negative integer index",
                );
            }
        }
        Detector | QubitCoords => {}
        _ => {
            if !args.is_empty() {
                return err(line, format!("{} takes no arguments", op.name()));
            }
        }
    }
    // Targets.
    for tok in &toks {
        let t = match op {
            Detector | ObservableInclude => {
                let k = parse_rec(tok, line)?;
                if u64::from(k) > *measurements {
                    return err(
                        line,
                        format!("'{tok}' refers to a measurement before the start of the circuit"),
                    );
                }
                StimTarget::Rec(k)
            }
            Mpp => parse_product(tok, line)?,
            M | Mx => match tok.strip_prefix('!') {
                Some(q) => StimTarget::Inverted(parse_qubit(q, line)?),
                None => StimTarget::Qubit(parse_qubit(tok, line)?),
            },
            _ => StimTarget::Qubit(parse_qubit(tok, line)?),
        };
        targets.push(t);
    }
    if op == Tick && !targets.is_empty() {
        return err(line, "TICK takes no targets");
    }
    if op.is_pairwise() {
        if targets.len() % 2 != 0 {
            return err(
                line,
                format!("{} needs an even number of targets", op.name()),
            );
        }
        for pair in targets.chunks(2) {
            if pair[0] == pair[1] {
                return err(
                    line,
                    format!("{} applied to the same qubit twice: {}", op.name(), pair[0]),
                );
            }
        }
    }
    if matches!(op, M | Mx | Mpp) {
        *measurements += targets.len() as u64;
    }
    Ok(Some(StimInstruction {
        op,
        args,
        targets,
        line,
    }))
}

/// Parses Stim circuit text (the supported subset).
pub fn parse(text: &str) -> Result<StimCircuit, StimParseError> {
    let mut instructions = Vec::new();
    let mut measurements = 0u64;
    for (i, raw) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(ins) = parse_line(raw, line, &mut measurements)? {
            instructions.push(ins);
        }
    }
    Ok(StimCircuit { instructions })
}

impl fmt::Display for StimCircuit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for ins in &self.instructions {
            writeln!(f, "{ins}")?;
        }
        Ok(())
    }
}

impl StimCircuit {
    /// 1 + the largest qubit index used (0 if none).
    pub fn num_qubits(&self) -> u32 {
        let mut n = 0;
        for ins in &self.instructions {
            for t in &ins.targets {
                match t {
                    StimTarget::Qubit(q) | StimTarget::Inverted(q) => n = n.max(q + 1),
                    StimTarget::Product { factors, .. } => {
                        for (_, q) in factors {
                            n = n.max(q + 1);
                        }
                    }
                    StimTarget::Rec(_) => {}
                }
            }
        }
        n
    }

    /// The unitary part as a [`Circuit`] on `num_qubits()` qubits. TICK and QUBIT_COORDS are
    /// ignored; any other non-unitary instruction is an error naming its line.
    pub fn to_circuit(&self) -> Result<Circuit, StimParseError> {
        let mut c = Circuit::new(self.num_qubits());
        for ins in &self.instructions {
            if ins.op.is_unitary() {
                let qs: Vec<u32> = ins
                    .targets
                    .iter()
                    .map(|t| match t {
                        StimTarget::Qubit(q) => Ok(*q),
                        other => err(
                            ins.line,
                            format!("invalid target '{other}' for {}", ins.op.name()),
                        ),
                    })
                    .collect::<Result<_, _>>()?;
                if ins.op.is_pairwise() {
                    for p in qs.chunks(2) {
                        if p.len() != 2 || p[0] == p[1] {
                            return err(
                                ins.line,
                                format!("invalid pair of targets for {}", ins.op.name()),
                            );
                        }
                        c.push(ins.op.gate(p[0], p[1]).expect("unitary op"));
                    }
                } else {
                    for q in qs {
                        c.push(ins.op.gate(q, q).expect("unitary op"));
                    }
                }
            } else if !matches!(ins.op, StimOp::Tick | StimOp::QubitCoords) {
                return err(
                    ins.line,
                    format!(
                        "non-unitary instruction {} cannot be part of a Clifford circuit",
                        ins.op.name()
                    ),
                );
            }
        }
        Ok(c)
    }
}

impl Circuit {
    /// The circuit as Stim instructions; consecutive gates of the same kind share a line.
    pub fn to_stim(&self) -> StimCircuit {
        let mut instructions: Vec<StimInstruction> = Vec::new();
        for g in &self.gates {
            let op = StimOp::from_gate(g);
            let (a, b) = g.qubits();
            let mut ts = vec![StimTarget::Qubit(a)];
            if let Some(b) = b {
                ts.push(StimTarget::Qubit(b));
            }
            match instructions.last_mut() {
                Some(last) if last.op == op => last.targets.extend(ts),
                _ => instructions.push(StimInstruction {
                    op,
                    args: Vec::new(),
                    targets: ts,
                    line: 0,
                }),
            }
        }
        StimCircuit { instructions }
    }

    /// [`Circuit::to_stim`] as text.
    pub fn to_stim_text(&self) -> String {
        self.to_stim().to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_and_write() {
        let text = "# comment\nQUBIT_COORDS(0, 1) 0\nH 0 1\nCNOT 0 1 # trailing\nTICK\n\
                    DEPOLARIZE1(0.001) 0 1\nDEPOLARIZE2(0.01) 0 1\nM(0.01) 0 !1\nMPP X0*Z1 !Y2\n\
                    DETECTOR(1, 2) rec[-1] rec[-3]\nOBSERVABLE_INCLUDE(0) rec[-2]\nmx 2\nR 0\nRX 1\n";
        let c = parse(text).unwrap();
        assert_eq!(c.instructions.len(), 13);
        assert_eq!(c.num_qubits(), 3);
        let again = parse(&c.to_string()).unwrap();
        assert_eq!(again.to_string(), c.to_string());
        assert_eq!(c.instructions[2].to_string(), "CX 0 1");
        assert_eq!(c.instructions[6].to_string(), "M(0.01) 0 !1");
        let e = c.to_circuit().unwrap_err();
        assert_eq!(e.line, 6);
    }

    #[test]
    fn errors_name_lines() {
        let e = parse("H 0\n\nFOO 1\n").unwrap_err();
        assert_eq!(e.to_string(), "line 3: unknown gate 'FOO'");
        assert_eq!(parse("CX 0 1 2").unwrap_err().line, 1);
        assert_eq!(parse("H 0\nCX 1 1").unwrap_err().line, 2);
        assert_eq!(parse("REPEAT 3 {\nH 0\n}").unwrap_err().line, 1);
        assert_eq!(parse("M 0\nDETECTOR rec[-2]").unwrap_err().line, 2);
        assert_eq!(parse("X_ERROR(2) 0").unwrap_err().line, 1);
        assert_eq!(parse("H(0.1) 0").unwrap_err().line, 1);
        assert_eq!(parse("H 99999999999").unwrap_err().line, 1);
    }

    #[test]
    fn circuit_roundtrip() {
        let mut c = Circuit::new(3);
        for g in [
            Gate::H(0),
            Gate::H(2),
            Gate::Cx(0, 1),
            Gate::Cx(2, 1),
            Gate::SqrtXdg(1),
            Gate::Swap(0, 2),
        ] {
            c.push(g);
        }
        let text = c.to_stim_text();
        assert_eq!(text, "H 0 2\nCX 0 1 2 1\nSQRT_X_DAG 1\nSWAP 0 2\n");
        assert_eq!(parse(&text).unwrap().to_circuit().unwrap(), c);
    }
}
