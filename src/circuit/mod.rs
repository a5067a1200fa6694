//! Clifford circuits: the gate set, the circuit type, ASAP layering and the split into blocks.
//!
//! Qubit indices are `u32` everywhere (never `usize`), so circuits and everything derived from
//! them are identical natively and in wasm.

use serde::{Deserialize, Serialize};

pub mod layers;
pub mod random;
pub mod stim_text;
pub mod synthesis;

/// One unitary Clifford gate of the circuit gate set. Two-qubit gates are `(control, target)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Gate {
    H(u32),
    S(u32),
    Sdg(u32),
    X(u32),
    Y(u32),
    Z(u32),
    SqrtX(u32),
    SqrtXdg(u32),
    Cx(u32, u32),
    Cy(u32, u32),
    Cz(u32, u32),
    Swap(u32, u32),
}

impl Gate {
    /// The qubits the gate acts on: `(first, Some(second))` for two-qubit gates.
    pub fn qubits(&self) -> (u32, Option<u32>) {
        match *self {
            Gate::H(q)
            | Gate::S(q)
            | Gate::Sdg(q)
            | Gate::X(q)
            | Gate::Y(q)
            | Gate::Z(q)
            | Gate::SqrtX(q)
            | Gate::SqrtXdg(q) => (q, None),
            Gate::Cx(a, b) | Gate::Cy(a, b) | Gate::Cz(a, b) | Gate::Swap(a, b) => (a, Some(b)),
        }
    }

    /// True for CX, CY, CZ and SWAP.
    pub fn is_two_qubit(&self) -> bool {
        self.qubits().1.is_some()
    }

    /// The gate's name in Stim circuit text.
    pub fn stim_name(&self) -> &'static str {
        match self {
            Gate::H(_) => "H",
            Gate::S(_) => "S",
            Gate::Sdg(_) => "S_DAG",
            Gate::X(_) => "X",
            Gate::Y(_) => "Y",
            Gate::Z(_) => "Z",
            Gate::SqrtX(_) => "SQRT_X",
            Gate::SqrtXdg(_) => "SQRT_X_DAG",
            Gate::Cx(..) => "CX",
            Gate::Cy(..) => "CY",
            Gate::Cz(..) => "CZ",
            Gate::Swap(..) => "SWAP",
        }
    }

    /// The same gate with its qubits renamed by `f` (used to place a block on a register).
    pub fn map_qubits(&self, f: impl Fn(u32) -> u32) -> Gate {
        match *self {
            Gate::H(q) => Gate::H(f(q)),
            Gate::S(q) => Gate::S(f(q)),
            Gate::Sdg(q) => Gate::Sdg(f(q)),
            Gate::X(q) => Gate::X(f(q)),
            Gate::Y(q) => Gate::Y(f(q)),
            Gate::Z(q) => Gate::Z(f(q)),
            Gate::SqrtX(q) => Gate::SqrtX(f(q)),
            Gate::SqrtXdg(q) => Gate::SqrtXdg(f(q)),
            Gate::Cx(a, b) => Gate::Cx(f(a), f(b)),
            Gate::Cy(a, b) => Gate::Cy(f(a), f(b)),
            Gate::Cz(a, b) => Gate::Cz(f(a), f(b)),
            Gate::Swap(a, b) => Gate::Swap(f(a), f(b)),
        }
    }
}

/// An n-qubit Clifford circuit: gates in the order they are applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Circuit {
    pub n: u32,
    pub gates: Vec<Gate>,
}

impl Circuit {
    pub fn new(n: u32) -> Self {
        Circuit {
            n,
            gates: Vec::new(),
        }
    }

    /// Size s: the number of gates.
    pub fn len(&self) -> usize {
        self.gates.len()
    }

    pub fn is_empty(&self) -> bool {
        self.gates.is_empty()
    }

    pub fn push(&mut self, g: Gate) {
        self.gates.push(g);
    }
}
