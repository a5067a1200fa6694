//! Stim circuit text: a parser and writer for the subset the app uses.
//!
//! Supported: `H S S_DAG X Y Z SQRT_X SQRT_X_DAG CX (CNOT, ZCX) CY (ZCY) CZ (ZCZ) SWAP`,
//! `R (RZ) RX M (MZ) MX MPP TICK`, `DEPOLARIZE1(p) DEPOLARIZE2(p) X_ERROR(p) Y_ERROR(p)
//! Z_ERROR(p)`, `M(p)` / `MX(p)` / `MPP(p)` flip probabilities, `DETECTOR rec[-k] …`,
//! `OBSERVABLE_INCLUDE(k) rec[-k] …`, `QUBIT_COORDS`, comments (`#`) and blank lines.
//!
//! The grammar is Stim's (1.16, `src/stim/circuit/circuit.inl`): one instruction per line
//! (`\n` or `\r\n` line ends), a gate name of letters, digits and `_` (case-insensitive),
//! optional parenthesized arguments right after it (numbers of at most 63 characters), targets
//! separated by spaces or tabs, `#` comments holding anything. Anything else in an instruction
//! (NUL, non-breaking or zero-width spaces, a lone `\r`, non-ASCII letters) is refused with its
//! column. Deliberate differences from Stim: a UTF-8 byte-order mark at the very start is
//! skipped (Notepad and PowerShell write one; Stim 1.16 refuses it with "Targets must be
//! separated by spacing"), and what the subset does not model is refused with a message
//! saying so: tags (`H[tag] 0`, which Stim ignores), `REPEAT` blocks, Stim's other
//! instructions. Everything [`parse`] accepts, Stim accepts too, except the BOM
//! (`tests/stim_odd_inputs.rs` checks this against Stim's verdicts on a corpus of odd inputs).
//!
//! Every error names its 1-based line and shows user text through [`printable`] (non-printable
//! and non-ASCII characters escaped, e.g. `\u{feff}`), on one line.
//!
//! [`parse`] reads a whole text into a [`StimCircuit`]; [`read_circuit`] reads a unitary
//! circuit from a byte stream straight into a [`Circuit`], enforcing [`ReadLimits`] (qubits,
//! gates, line length, input size) while reading, so a huge input is refused before it fills
//! memory. The writer ([`StimCircuit`]'s `Display`, [`Circuit::to_stim_text`]) writes numbers
//! with [`crate::numbers::shortest`], which Stim always reads back exactly.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Circuit, Gate};
use crate::numbers;
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
                f.write_str(&numbers::shortest(*a))?;
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
/// Displayed as `line N: message` (just the message for line 0); the message is one line
/// and shows user text through [`printable`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StimParseError {
    pub line: u32,
    pub message: String,
}

impl fmt::Display for StimParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            f.write_str(&self.message)
        } else {
            write!(f, "line {}: {}", self.line, self.message)
        }
    }
}

impl std::error::Error for StimParseError {}

fn err<T>(line: u32, message: impl Into<String>) -> Result<T, StimParseError> {
    Err(StimParseError {
        line,
        message: message.into(),
    })
}

/// Longest number Stim reads: its parser copies a number into a 64-byte buffer, so
/// `X_ERROR(0.000…1)` with more characters is refused ("didn't end with a ')'").
pub const MAX_NUMBER_CHARS: usize = 63;

/// Default cap on one line's length for [`read_circuit`]: 64 MiB, twice the longest line a
/// circuit within the gate cap can need (4,194,304 two-qubit gates on one line, 8 bytes each).
pub const MAX_LINE_BYTES: usize = 64 << 20;

/// Default cap on a whole input for [`read_circuit`]: 256 MiB (a 4,194,304-gate circuit one
/// gate per line takes at most 63 MiB; the rest allows comments).
pub const MAX_INPUT_BYTES: u64 = 256 << 20;

/// What [`read_circuit`] accepts, enforced while reading: nothing grows past these bounds
/// before the input is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReadLimits {
    /// Largest qubit count n (1 + the largest qubit index).
    pub max_qubits: u32,
    /// Largest number of gates s.
    pub max_gates: u64,
    /// Longest line in bytes, line end excluded.
    pub max_line_bytes: usize,
    /// Largest input in bytes.
    pub max_bytes: u64,
}

impl ReadLimits {
    /// At most `max_qubits` qubits and `max_gates` gates, with the default line and input caps
    /// ([`MAX_LINE_BYTES`], [`MAX_INPUT_BYTES`]).
    pub fn new(max_qubits: u32, max_gates: u64) -> Self {
        ReadLimits {
            max_qubits,
            max_gates,
            max_line_bytes: MAX_LINE_BYTES,
            max_bytes: MAX_INPUT_BYTES,
        }
    }
}

/// Stim 1.16 instruction names (aliases included) outside the supported subset: a file using
/// one is told that the gate is not supported, not that it is unknown.
const STIM_ONLY: [&str; 57] = [
    "CORRELATED_ERROR",
    "CXSWAP",
    "CZSWAP",
    "C_NXYZ",
    "C_NZYX",
    "C_XNYZ",
    "C_XYNZ",
    "C_XYZ",
    "C_ZNYX",
    "C_ZYNX",
    "C_ZYX",
    "E",
    "ELSE_CORRELATED_ERROR",
    "HERALDED_ERASE",
    "HERALDED_PAULI_CHANNEL_1",
    "H_NXY",
    "H_NXZ",
    "H_NYZ",
    "H_XY",
    "H_YZ",
    "I",
    "II",
    "II_ERROR",
    "ISWAP",
    "ISWAP_DAG",
    "I_ERROR",
    "MPAD",
    "MR",
    "MRX",
    "MRY",
    "MRZ",
    "MXX",
    "MY",
    "MYY",
    "MZZ",
    "PAULI_CHANNEL_1",
    "PAULI_CHANNEL_2",
    "RY",
    "SHIFT_COORDS",
    "SPP",
    "SPP_DAG",
    "SQRT_XX",
    "SQRT_XX_DAG",
    "SQRT_Y",
    "SQRT_YY",
    "SQRT_YY_DAG",
    "SQRT_Y_DAG",
    "SQRT_ZZ",
    "SQRT_ZZ_DAG",
    "SWAPCX",
    "SWAPCZ",
    "XCX",
    "XCY",
    "XCZ",
    "YCX",
    "YCY",
    "YCZ",
];

/// Longest piece of user text quoted in a message (longer text is cut with `…`).
const QUOTE_CHARS: usize = 40;

/// `s` as it can be shown on one line of a terminal: printable ASCII as is, every other
/// character escaped as Rust writes it (`\t`, `\r`, `\u{0}`, `\u{feff}`, `\u{a0}`), cut after
/// 40 characters with `…`. Used for every piece of user text in a message, so invisible or
/// look-alike characters (byte-order marks, zero-width or non-breaking spaces, NUL) show up.
pub fn printable(s: &str) -> String {
    escaped(s, QUOTE_CHARS)
}

/// [`printable`] cut after `max_chars` characters instead of 40.
pub fn escaped(s: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i == max_chars {
            out.push('…');
            break;
        }
        if c == ' ' || c.is_ascii_graphic() {
            out.push(c);
        } else {
            out.extend(c.escape_default());
        }
    }
    out
}

/// What an invisible or unexpected character is, for messages: `'\u{feff}' (byte-order mark)`.
fn describe(c: char) -> String {
    let name = match c {
        '\u{feff}' => "byte-order mark",
        '\u{a0}' => "non-breaking space",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{202f}' => "narrow non-breaking space",
        '\u{2009}' => "thin space",
        '\u{3000}' => "ideographic space",
        '\u{ad}' => "soft hyphen",
        '\0' => "NUL",
        '\u{b}' => "vertical tab",
        '\u{c}' => "form feed",
        '\r' => "carriage return",
        '\t' => "tab",
        c if c.is_control() => "control character",
        c if c.is_whitespace() => "non-ASCII space",
        c if !c.is_ascii() => "non-ASCII character",
        _ => "",
    };
    let shown = printable(&c.to_string());
    if name.is_empty() {
        format!("'{shown}'")
    } else {
        format!("'{shown}' ({name})")
    }
}

/// 1-based column (in characters) of `part`, a sub-slice of `line`.
fn column(line: &str, part: &str) -> usize {
    let offset = (part.as_ptr() as usize).saturating_sub(line.as_ptr() as usize);
    line.get(..offset).map_or(0, |p| p.chars().count()) + 1
}

/// Spaces and tabs separate the parts of an instruction (as in Stim).
fn is_space(c: char) -> bool {
    c == ' ' || c == '\t'
}

/// Characters of a gate name (Stim's `is_name_char`).
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The instruction part of one raw line (line end removed): the BOM skipped on the first
/// line, carriage returns refused, the comment cut off, UTF-8 checked. Comments may hold any
/// bytes, as in Stim.
fn code_of(raw: &[u8], line: u32) -> Result<&str, StimParseError> {
    let raw = if line == 1 {
        raw.strip_prefix(UTF8_BOM).unwrap_or(raw)
    } else {
        raw
    };
    if raw.contains(&b'\r') {
        return err(
            line,
            "carriage return (\\r) inside a line: the file seems to end lines with \\r alone \
             (old Mac style), which Stim reads as one line; save it with \\n or \\r\\n line ends",
        );
    }
    let code = &raw[..raw.iter().position(|&b| b == b'#').unwrap_or(raw.len())];
    std::str::from_utf8(code).map_err(|e| {
        let good = &code[..e.valid_up_to()];
        let col = std::str::from_utf8(good).map_or(0, |g| g.chars().count()) + 1;
        let bad: String = code[e.valid_up_to()..]
            .iter()
            .take(e.error_len().unwrap_or(1))
            .map(|b| format!("\\x{b:02x}"))
            .collect();
        StimParseError {
            line,
            message: format!(
                "invalid UTF-8 byte {bad} at column {col}: Stim circuits are ASCII text \
                 (re-save the file as UTF-8 or ASCII)"
            ),
        }
    })
}

const UTF8_BOM: &[u8] = b"\xef\xbb\xbf";

/// The start of an instruction: its kind, arguments and the unparsed targets.
struct Head<'a> {
    op: StimOp,
    args: Vec<f64>,
    /// The text after the name and arguments (targets separated by spaces or tabs).
    targets: &'a str,
}

impl Head<'_> {
    fn tokens(&self) -> impl Iterator<Item = &str> {
        self.targets.split(is_space).filter(|t| !t.is_empty())
    }
}

/// Parses the name and arguments of the instruction part `code` of a line (None if blank).
fn parse_head(code: &str, line: u32) -> Result<Option<Head<'_>>, StimParseError> {
    // Stim skips any ASCII white space before an instruction, but only spaces and tabs after.
    let text = code
        .trim_start_matches([' ', '\t', '\u{b}', '\u{c}'])
        .trim_end_matches(is_space);
    let Some(first) = text.chars().next() else {
        return Ok(None);
    };
    let name_end = text.find(|c| !is_name_char(c)).unwrap_or(text.len());
    let name = &text[..name_end];
    let rest = &text[name_end..];
    if name.is_empty() {
        return err(
            line,
            match first {
                '{' | '}' => "REPEAT blocks are not supported".to_string(),
                c if c.is_ascii_graphic() => format!(
                    "expected a gate name at column {}, found '{}'",
                    column(code, text),
                    printable(text.split(is_space).next().unwrap_or(""))
                ),
                c => format!(
                    "unexpected {} at column {}, before '{}'",
                    describe(c),
                    column(code, text),
                    printable(text.get(c.len_utf8()..).unwrap_or(""))
                ),
            },
        );
    }
    if rest.starts_with('[') {
        let tagged = rest.split(is_space).next().unwrap_or("");
        return err(
            line,
            format!(
                "tags (`[...]`) are not supported: '{}{}'; remove the tag",
                printable(name),
                printable(tagged)
            ),
        );
    }
    // Every character of an instruction is printable ASCII, a space or a tab.
    if let Some((at, c)) = text
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_graphic() || is_space(c)))
    {
        return err(
            line,
            format!(
                "unexpected {} at column {}, after '{}'",
                describe(c),
                column(code, &text[at..]),
                printable(&text[..at])
            ),
        );
    }
    let upper = name.to_ascii_uppercase();
    if upper == "REPEAT" || text.ends_with('{') {
        return err(line, "REPEAT blocks are not supported");
    }
    let op = match StimOp::from_name(&upper) {
        Some(op) => op,
        None if STIM_ONLY.contains(&upper.as_str()) => {
            return err(
                line,
                format!(
                    "Stim instruction '{name}' is not supported; the unitary gates are H, S, \
                     S_DAG, X, Y, Z, SQRT_X, SQRT_X_DAG, CX, CY, CZ, SWAP"
                ),
            )
        }
        None => return err(line, format!("unknown gate '{}'", printable(name))),
    };
    let mut args = Vec::new();
    let mut targets = rest;
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')').ok_or_else(|| StimParseError {
            line,
            message: format!("missing ')' after the arguments of {}", op.name()),
        })?;
        let inside = inner[..close].trim_matches(is_space);
        if inside.is_empty() {
            return err(
                line,
                format!(
                    "empty argument list in {}(): write the argument, or no parentheses \
                     (Stim reads '()' as one argument 0)",
                    op.name()
                ),
            );
        }
        for a in inside.split(',') {
            args.push(parse_number(a.trim_matches(is_space), op, line)?);
        }
        targets = &inner[close + 1..];
    }
    if targets.chars().next().is_some_and(|c| !is_space(c)) {
        return err(
            line,
            format!(
                "expected a space or tab after '{}' at column {}, found '{}'",
                printable(&text[..text.len() - targets.len()]),
                column(code, targets),
                printable(targets.split(is_space).next().unwrap_or(""))
            ),
        );
    }
    if targets.trim_start_matches(is_space).starts_with('(') {
        return err(
            line,
            format!(
                "space between '{}' and its arguments: write '{}(…)' (Stim allows no space \
                 there)",
                printable(name),
                printable(name)
            ),
        );
    }
    check_args(op, &args, line)?;
    Ok(Some(Head { op, args, targets }))
}

/// One parenthesized argument, read as Stim reads it: at most 63 characters of digits,
/// `.`, `e`, `E`, `+`, `-`, and a finite value.
fn parse_number(a: &str, op: StimOp, line: u32) -> Result<f64, StimParseError> {
    if a.is_empty() {
        return err(line, format!("empty argument in {}(…)", op.name()));
    }
    let chars = a.chars().count();
    if chars > MAX_NUMBER_CHARS {
        return err(
            line,
            format!(
                "argument '{}' of {} has {chars} characters; Stim reads at most \
                 {MAX_NUMBER_CHARS} (write it with an exponent, e.g. 1e-300)",
                printable(a),
                op.name()
            ),
        );
    }
    let number_chars = a
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    match a.parse::<f64>() {
        Ok(v) if number_chars && v.is_finite() => Ok(v),
        _ => err(
            line,
            format!("invalid argument '{}' of {}", printable(a), op.name()),
        ),
    }
}

fn parse_qubit(tok: &str, line: u32) -> Result<u32, StimParseError> {
    if tok.is_empty() || !tok.bytes().all(|b| b.is_ascii_digit()) {
        return err(line, format!("invalid qubit target '{}'", printable(tok)));
    }
    match tok.parse::<u32>() {
        Ok(q) if q <= MAX_QUBIT => Ok(q),
        _ => err(
            line,
            format!(
                "qubit index '{}' is too large (Stim's maximum is {MAX_QUBIT})",
                printable(tok)
            ),
        ),
    }
}

fn parse_rec(tok: &str, line: u32) -> Result<u32, StimParseError> {
    let inner = tok
        .strip_prefix("rec[-")
        .and_then(|r| r.strip_suffix(']'))
        .ok_or_else(|| StimParseError {
            line,
            message: format!(
                "expected a measurement record target like rec[-1], got '{}'",
                printable(tok)
            ),
        })?;
    match inner.parse::<u32>() {
        Ok(k) if k >= 1 && inner.bytes().all(|b| b.is_ascii_digit()) && k <= MAX_QUBIT => Ok(k),
        _ => err(
            line,
            format!("invalid measurement record target '{}'", printable(tok)),
        ),
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
            _ => {
                return err(
                    line,
                    format!("invalid Pauli product target '{}'", printable(tok)),
                )
            }
        };
        let q = parse_qubit(chars.as_str(), line)?;
        if factors.iter().any(|&(_, r)| r == q) {
            return err(
                line,
                format!("qubit {q} repeated in Pauli product '{}'", printable(tok)),
            );
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
                format!(
                    "{} probability {} is outside [0, {}]",
                    op.name(),
                    numbers::shortest(a),
                    numbers::shortest(max)
                ),
            );
        }
    }
    Ok(())
}

/// The argument rules of each instruction (counts and ranges as in Stim 1.16; Stim accepts
/// "over-mixing" depolarizing rates up to 1, and so do we).
fn check_args(op: StimOp, args: &[f64], line: u32) -> Result<(), StimParseError> {
    use StimOp::*;
    match op {
        Depolarize1 | Depolarize2 | XError | YError | ZError => {
            if args.len() != 1 {
                return err(line, format!("{} takes exactly one probability", op.name()));
            }
            check_prob(op, args, 1.0, line)
        }
        M | Mx | Mpp => {
            if args.len() > 1 {
                return err(
                    line,
                    format!("{} takes at most one flip probability", op.name()),
                );
            }
            check_prob(op, args, 1.0, line)
        }
        ObservableInclude => {
            if args.len() != 1 || args[0] < 0.0 || args[0].fract() != 0.0 || args[0] > 1e9 {
                return err(
                    line,
                    "OBSERVABLE_INCLUDE takes one non-negative integer index",
                );
            }
            Ok(())
        }
        Detector | QubitCoords => Ok(()),
        _ => {
            if args.is_empty() {
                Ok(())
            } else {
                err(line, format!("{} takes no arguments", op.name()))
            }
        }
    }
}

/// The targets of `head`, checked (measurement records against the `measurements` so far).
fn parse_instruction(
    head: Head,
    line: u32,
    measurements: &mut u64,
) -> Result<StimInstruction, StimParseError> {
    use StimOp::*;
    let op = head.op;
    let mut targets = Vec::new();
    for tok in head.tokens() {
        let t = match op {
            Detector | ObservableInclude => {
                let k = parse_rec(tok, line)?;
                if u64::from(k) > *measurements {
                    return err(
                        line,
                        format!(
                            "'{}' refers to a measurement before the start of the circuit",
                            printable(tok)
                        ),
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
    Ok(StimInstruction {
        op,
        args: head.args,
        targets,
        line,
    })
}

/// The lines of `bytes`: `\n` ends a line, and a `\r` right before it is dropped (`\r\n`).
fn split_lines(bytes: &[u8]) -> impl Iterator<Item = &[u8]> {
    bytes
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
}

/// Parses Stim circuit text (the supported subset). A UTF-8 byte-order mark at the very start
/// is skipped; every error names its line.
pub fn parse(text: &str) -> Result<StimCircuit, StimParseError> {
    let mut instructions = Vec::new();
    let mut measurements = 0u64;
    for (i, raw) in split_lines(text.as_bytes()).enumerate() {
        let line = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if let Some(head) = parse_head(code_of(raw, line)?, line)? {
            instructions.push(parse_instruction(head, line, &mut measurements)?);
        }
    }
    Ok(StimCircuit { instructions })
}

/// Reads a unitary Clifford circuit from Stim text straight into a [`Circuit`] on
/// 1 + (largest qubit index) qubits, counting `QUBIT_COORDS` targets (`TICK` and coordinates
/// are otherwise ignored). Enforces `limits` while reading: a line longer than
/// `max_line_bytes`, an input longer than `max_bytes`, a qubit index ≥ `max_qubits` or a gate
/// beyond `max_gates` is refused as soon as it is read, so memory stays bounded by the limits
/// whatever the input. Non-unitary instructions are refused with their line (the first
/// problem in line order wins). Same grammar and messages as [`parse`].
pub fn read_circuit(
    mut input: impl std::io::BufRead,
    limits: &ReadLimits,
) -> Result<Circuit, StimParseError> {
    use std::io::{BufRead, Read};
    let mut buf: Vec<u8> = Vec::new();
    let mut total: u64 = 0;
    let mut line: u32 = 0;
    let mut n: u32 = 0;
    let mut gates: Vec<Gate> = Vec::new();
    // Room for the longest allowed line and its "\r\n".
    let chunk = limits.max_line_bytes as u64 + 2;
    loop {
        buf.clear();
        let got = input
            .by_ref()
            .take(chunk)
            .read_until(b'\n', &mut buf)
            .map_err(|e| StimParseError {
                line: line.saturating_add(1),
                message: format!("cannot read: {e}"),
            })?;
        if got == 0 {
            break;
        }
        line = line.saturating_add(1);
        total += got as u64;
        if total > limits.max_bytes {
            return err(
                line,
                format!(
                    "the input is longer than {} bytes, the cap on circuit files",
                    limits.max_bytes
                ),
            );
        }
        let raw = buf.strip_suffix(b"\n").unwrap_or(&buf);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.len() > limits.max_line_bytes {
            return err(
                line,
                format!(
                    "the line is longer than {} bytes, the cap on one line",
                    limits.max_line_bytes
                ),
            );
        }
        let Some(head) = parse_head(code_of(raw, line)?, line)? else {
            continue;
        };
        let op = head.op;
        match op {
            StimOp::Tick => {
                if head.tokens().next().is_some() {
                    return err(line, "TICK takes no targets");
                }
            }
            StimOp::QubitCoords => {
                for tok in head.tokens() {
                    let q = parse_qubit(tok, line)?;
                    n = n.max(within(q, limits, line)? + 1);
                }
            }
            op if op.is_unitary() => {
                let mut pending: Option<u32> = None;
                for tok in head.tokens() {
                    let q = within(parse_qubit(tok, line)?, limits, line)?;
                    n = n.max(q + 1);
                    let (a, b) = match (op.is_pairwise(), pending.take()) {
                        (true, None) => {
                            pending = Some(q);
                            continue;
                        }
                        (true, Some(a)) if a == q => {
                            return err(
                                line,
                                format!("{} applied to the same qubit twice: {q}", op.name()),
                            )
                        }
                        (true, Some(a)) => (a, q),
                        (false, _) => (q, q),
                    };
                    if gates.len() as u64 >= limits.max_gates {
                        return err(
                            line,
                            format!(
                                "the circuit has more than {} gates, the cap on the size s",
                                limits.max_gates
                            ),
                        );
                    }
                    gates.push(op.gate(a, b).expect("unitary op"));
                }
                if pending.is_some() {
                    return err(
                        line,
                        format!("{} needs an even number of targets", op.name()),
                    );
                }
            }
            op => {
                return err(
                    line,
                    format!(
                        "non-unitary instruction {} cannot be part of a Clifford circuit",
                        op.name()
                    ),
                )
            }
        }
    }
    Ok(Circuit { n, gates })
}

/// `q` if it is below the qubit cap of `limits`.
fn within(q: u32, limits: &ReadLimits, line: u32) -> Result<u32, StimParseError> {
    if q < limits.max_qubits {
        Ok(q)
    } else {
        err(
            line,
            format!(
                "qubit index {q} needs {} qubits, above the cap of {} qubits",
                u64::from(q) + 1,
                limits.max_qubits
            ),
        )
    }
}

/// The invariants that the fuzz target `fuzz/fuzz_targets/stim_parse.rs` and the seeded
/// mutation test `tests/fuzz_inputs.rs` check on any input bytes; panics if one fails:
/// - neither [`read_circuit`] nor [`parse`] panics, and every error is one line without
///   control characters;
/// - on UTF-8 text, what `read_circuit` accepts `parse` accepts as the same circuit;
/// - what `parse` accepts, written back as text, parses to the same text (the writer's numbers
///   stay within Stim's 63 characters);
/// - a circuit `read_circuit` accepts, written with [`Circuit::to_stim_text`], reads back to
///   the same gates.
///
/// Reads with caps small enough that one call stays fast (512 qubits, 2^16 gates, 64 KiB
/// lines, 1 MiB input).
pub fn fuzz_check(data: &[u8]) {
    let limits = ReadLimits {
        max_qubits: 512,
        max_gates: 1 << 16,
        max_line_bytes: 1 << 16,
        max_bytes: 1 << 20,
    };
    fn one_line(e: &StimParseError) {
        let text = e.to_string();
        assert!(!text.chars().any(char::is_control), "{text:?}");
    }
    let read = read_circuit(data, &limits);
    if let Err(e) = &read {
        one_line(e);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let parsed = parse(text);
        match (&read, &parsed) {
            (Ok(c), Ok(p)) => assert_eq!(p.to_circuit().as_ref(), Ok(c)),
            (Ok(_), Err(e)) => panic!("read_circuit accepts what parse refuses: {e}"),
            (Err(_), Err(e)) => one_line(e),
            (Err(_), Ok(p)) => {
                if let Err(e) = p.to_circuit() {
                    one_line(&e);
                }
            }
        }
        if let Ok(p) = &parsed {
            let written = p.to_string();
            let again = parse(&written).expect("our own text parses");
            assert_eq!(again.to_string(), written);
        }
    }
    if let Ok(c) = &read {
        let back = read_circuit(c.to_stim_text().as_bytes(), &limits).expect("our text reads");
        assert_eq!(back.gates, c.gates);
        assert!(back.n <= c.n);
    }
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

    /// Every message is one line of printable ASCII (plus the `…` of a cut quote) and names
    /// its line.
    fn assert_clean(e: &StimParseError, line: u32) {
        let text = e.to_string();
        assert_eq!(e.line, line, "{text}");
        assert!(text.starts_with(&format!("line {line}: ")), "{text}");
        assert!(
            text.chars()
                .all(|c| c == '…' || c == 'τ' || c == ' ' || c.is_ascii_graphic()),
            "{text:?}"
        );
    }

    fn read(bytes: &[u8], limits: &ReadLimits) -> Result<Circuit, StimParseError> {
        read_circuit(bytes, limits)
    }

    const APP: ReadLimits = ReadLimits {
        max_qubits: 512,
        max_gates: 1 << 22,
        max_line_bytes: MAX_LINE_BYTES,
        max_bytes: MAX_INPUT_BYTES,
    };

    /// Issue 15: a UTF-8 byte-order mark (as Notepad and PowerShell write) before `H 0`,
    /// `CX 0 1`, byte for byte. It used to give "line 1: unknown gate 'H'".
    #[test]
    fn issue_15_bom_file_is_read() {
        let bytes = [
            0xef, 0xbb, 0xbf, 0x48, 0x20, 0x30, 0x0a, 0x43, 0x58, 0x20, 0x30, 0x20, 0x31, 0x0a,
        ];
        let mut expected = Circuit::new(2);
        expected.push(Gate::H(0));
        expected.push(Gate::Cx(0, 1));
        assert_eq!(read(&bytes, &APP), Ok(expected.clone()));
        let text = std::str::from_utf8(&bytes).unwrap();
        assert_eq!(parse(text).unwrap().to_circuit(), Ok(expected));
        // Anywhere else a BOM is an error that shows it.
        let e = parse("H 0\n\u{feff}CX 0 1\n").unwrap_err();
        assert_clean(&e, 2);
        assert!(e.message.contains("'\\u{feff}' (byte-order mark)"), "{e}");
        assert!(e.message.contains("column 1"), "{e}");
        let e = read("H 0\u{feff}\n".as_bytes(), &APP).unwrap_err();
        assert_clean(&e, 1);
        assert!(e.message.contains("\\u{feff}"), "{e}");
    }

    /// Issue 15: `H[tag] 0` used to give "unknown gate 'H[tag]'".
    #[test]
    fn issue_15_tags_are_refused_by_name() {
        for text in ["H[tag] 0", "H 1\nX_ERROR[my tag](0.1) 0", "h[] 0"] {
            let line = text.lines().count() as u32;
            for e in [
                parse(text).unwrap_err(),
                read(text.as_bytes(), &APP).unwrap_err(),
            ] {
                assert_clean(&e, line);
                assert!(
                    e.message.contains("tags (`[...]`) are not supported"),
                    "{e}"
                );
            }
        }
        let e = parse("H[tag] 0").unwrap_err();
        assert_eq!(
            e.to_string(),
            "line 1: tags (`[...]`) are not supported: 'H[tag]'; remove the tag"
        );
    }

    /// The kind: invisible and odd characters, line ends, sizes.
    #[test]
    fn odd_characters_are_named_with_their_line_and_column() {
        let cases: [(&str, u32, &str); 14] = [
            ("H 0\0\n", 1, "'\\u{0}' (NUL) at column 4"),
            ("H 0\n\0", 2, "'\\u{0}' (NUL) at column 1"),
            (
                "H\u{200b}0",
                1,
                "'\\u{200b}' (zero-width space) at column 2",
            ),
            ("H\u{a0}0", 1, "'\\u{a0}' (non-breaking space) at column 2"),
            ("CX 0\u{3000}1", 1, "(ideographic space)"),
            ("H 0\u{b}", 1, "(vertical tab)"),
            ("H 0\rCX 0 1\r", 1, "carriage return"),
            ("H 0\n\nCX 0 1\rH 1", 3, "carriage return"),
            ("\u{ff28} 0", 1, "'\\u{ff28}' (non-ASCII character)"),
            ("H 0\u{301}", 1, "'\\u{301}'"),
            ("H\t0\n\u{2060}H 1", 2, "(word joiner)"),
            ("H 0;", 1, "invalid qubit target '0;'"),
            ("}", 1, "REPEAT"),
            ("H\u{ad}\n", 1, "(soft hyphen)"),
        ];
        for (text, line, needle) in cases {
            for e in [
                parse(text).unwrap_err(),
                read(text.as_bytes(), &APP).unwrap_err(),
            ] {
                assert_clean(&e, line);
                assert!(e.message.contains(needle), "{text:?}: {e}");
            }
        }
        // Invalid UTF-8 in an instruction is refused with its byte; in a comment it is fine.
        let e = read(b"H 0\nH \xff1\n", &APP).unwrap_err();
        assert_clean(&e, 2);
        assert!(
            e.message.contains("\\xff") && e.message.contains("column 3"),
            "{e}"
        );
        assert_eq!(read(b"H 0 # caf\xe9 \0\n", &APP).unwrap().n, 1);
    }

    /// What Stim accepts in the same places: tabs, CRLF, form feeds before an instruction,
    /// lower case, leading zeros, runs of spaces, comments with anything in them.
    #[test]
    fn stims_spacing_is_accepted() {
        let text = "H\t0\t1\r\n\u{c}cx 0  1 # caf\u{e9}\u{feff}\r\n  \t\nS 007\n";
        let c = read(text.as_bytes(), &APP).unwrap();
        assert_eq!(
            c.gates,
            vec![Gate::H(0), Gate::H(1), Gate::Cx(0, 1), Gate::S(7)]
        );
        assert_eq!(parse(text).unwrap().to_circuit(), Ok(c));
        assert_eq!(
            parse("M(0.1) 0\nX_ERROR( 0.25 ) 0")
                .unwrap()
                .instructions
                .len(),
            2
        );
    }

    #[test]
    fn syntax_errors_say_what_stim_expects() {
        let cases: [(&str, &str); 12] = [
            (
                "X_ERROR (0.1) 0",
                "space between 'X_ERROR' and its arguments",
            ),
            (
                "M(0.1)0",
                "expected a space or tab after 'M(0.1)' at column 7",
            ),
            ("X_ERROR(0.1 0", "missing ')'"),
            ("X_ERROR(0.1,) 0", "empty argument"),
            ("X_ERROR(inf) 0", "invalid argument 'inf'"),
            ("X_ERROR(1e999) 0", "invalid argument '1e999'"),
            ("X_ERROR(0x1p-3) 0", "invalid argument '0x1p-3'"),
            ("SQRT_Y 0", "Stim instruction 'SQRT_Y' is not supported"),
            ("ISWAP 0 1", "not supported"),
            ("FOO 0", "unknown gate 'FOO'"),
            (
                "REPEAT 99999999999999999999 {\n H 0\n}",
                "REPEAT blocks are not supported",
            ),
            ("DEPOLARIZE1(1.5) 0", "outside [0, 1]"),
        ];
        for (text, needle) in cases {
            let e = parse(text).unwrap_err();
            assert_clean(&e, 1);
            assert!(e.message.contains(needle), "{text:?}: {e}");
        }
        // Numbers longer than Stim's 63 characters are refused; shorter ones are read exactly.
        let long = format!("X_ERROR(0.{}1) 0", "0".repeat(62));
        let e = parse(&long).unwrap_err();
        assert_clean(&e, 1);
        assert!(
            e.message.contains("65 characters; Stim reads at most 63"),
            "{e}"
        );
        let fits = format!("X_ERROR(0.{}1) 0", "0".repeat(60));
        assert_eq!(parse(&fits).unwrap().instructions[0].args, vec![1e-61]);
        // Stim accepts over-mixing depolarizing rates up to 1.
        assert!(parse("DEPOLARIZE1(1) 0\nDEPOLARIZE2(1) 0 1").is_ok());
    }

    #[test]
    fn huge_indices_and_sizes_are_refused_while_reading() {
        for (text, needle) in [
            ("H 16777216", "too large (Stim's maximum is 16777215)"),
            ("H 99999999999999999999999", "too large"),
            ("CX 0 4294967296", "too large"),
        ] {
            for e in [
                parse(text).unwrap_err(),
                read(text.as_bytes(), &APP).unwrap_err(),
            ] {
                assert_clean(&e, 1);
                assert!(e.message.contains(needle), "{text:?}: {e}");
            }
        }
        assert!(parse("H 16777215").is_ok());
        let e = read(b"H 0\nCX 1 512\n", &APP).unwrap_err();
        assert_clean(&e, 2);
        assert!(e.message.contains("above the cap of 512 qubits"), "{e}");
        assert_eq!(read(b"QUBIT_COORDS(1) 511\n", &APP).unwrap().n, 512);
        let e = read(b"QUBIT_COORDS(1) 512\n", &APP).unwrap_err();
        assert!(e.message.contains("cap of 512"), "{e}");
        let small = ReadLimits {
            max_qubits: 8,
            max_gates: 3,
            max_line_bytes: 16,
            max_bytes: 40,
        };
        assert_eq!(read(b"H 0 1\nCX 0 1", &small).unwrap().len(), 3);
        let e = read(b"H 0 1\nCX 0 1 2 3\n", &small).unwrap_err();
        assert_clean(&e, 2);
        assert!(e.message.contains("more than 3 gates"), "{e}");
        let e = read(b"TICK\n# a comment of 17 b\n", &small).unwrap_err();
        assert_clean(&e, 2);
        assert!(e.message.contains("longer than 16 bytes"), "{e}");
        // Exactly 16 bytes is fine, with either line end.
        assert!(read(b"# comment of 16b\r\nH 0\n", &small).is_ok());
        let e = read(&[b'#'; 5000], &small).unwrap_err();
        assert!(e.message.contains("longer than 16 bytes"), "{e}");
        let e = read("TICK\n".repeat(9).as_bytes(), &small).unwrap_err();
        assert_clean(&e, 9);
        assert!(e.message.contains("longer than 40 bytes"), "{e}");
    }

    #[test]
    fn read_circuit_agrees_with_parse_on_unitary_text() {
        let text = "# c\nQUBIT_COORDS(0, 1) 5\nH 0 1\nCNOT 0 1 2 3\nTICK\nsqrt_x_dag 4\nZCZ 1 0\n";
        let a = read(text.as_bytes(), &APP).unwrap();
        assert_eq!(parse(text).unwrap().to_circuit(), Ok(a.clone()));
        assert_eq!((a.n, a.len()), (6, 6));
        for (text, line, needle) in [
            ("H 0\nM 0\n", 2, "non-unitary instruction M"),
            ("CX 0 1 2", 1, "even number of targets"),
            ("CX 0 1 2 2", 1, "same qubit twice: 2"),
            ("TICK 1", 1, "TICK takes no targets"),
            ("H !0", 1, "invalid qubit target '!0'"),
        ] {
            let e = read(text.as_bytes(), &APP).unwrap_err();
            assert_clean(&e, line);
            assert!(e.message.contains(needle), "{text:?}: {e}");
        }
        assert_eq!(read(b"", &APP).unwrap().n, 0);
    }

    #[test]
    fn printable_escapes_everything_invisible() {
        assert_eq!(
            printable("H\u{feff}\t\0\u{a0}é"),
            "H\\u{feff}\\t\\u{0}\\u{a0}\\u{e9}"
        );
        assert_eq!(printable(&"x".repeat(50)), format!("{}…", "x".repeat(40)));
        assert_eq!(escaped("a\nb", 99), "a\\nb");
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
