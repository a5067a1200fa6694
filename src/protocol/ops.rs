//! Operation lists with noise locations: one RSP&V attempt of a block, and the direct
//! implementation of C. This is the single place where noise is placed (protocol.md §4, §6,
//! §9); the reference simulator steps these operations, the fast sampler propagates faults
//! through them, and `export-stim` writes them.
//!
//! Layers are numbered from 1 relative to the list's start. Qubits are local indices of the
//! list's register; for an attempt: a_i = i, b_i = n + i, anc = 2n.

use crate::circuit::{Circuit, Gate};
use crate::noise::NoiseClass;
use crate::pauli::{Pauli1, PauliString};
use crate::protocol::params::{CheckMeasurement, Knobs};
use serde::{Deserialize, Serialize};

/// What an operation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OpKind {
    /// Preparation of |0⟩.
    Prep(u32),
    /// A unitary Clifford gate.
    Gate(Gate),
    /// Z-basis measurement of a qubit into measurement record `record`.
    MeasureZ { qubit: u32, record: u32 },
    /// X-basis measurement of a qubit into measurement record `record`.
    MeasureX { qubit: u32, record: u32 },
}

/// One noisy operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Op {
    pub kind: OpKind,
    /// The channel after it (for a measurement: the outcome flip).
    pub noise: NoiseClass,
}

impl Op {
    /// The qubits the operation acts on.
    pub fn qubits(&self) -> (u32, Option<u32>) {
        match self.kind {
            OpKind::Prep(q) => (q, None),
            OpKind::Gate(g) => g.qubits(),
            OpKind::MeasureZ { qubit, .. } | OpKind::MeasureX { qubit, .. } => (qubit, None),
        }
    }
}

/// One layer: operations on disjoint qubits, and the live qubits that idle with noise.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Layer {
    pub ops: Vec<Op>,
    /// Qubits receiving one layer of idle noise (class `Idle`).
    pub idle: Vec<u32>,
}

/// A layered list of noisy operations on `num_qubits` qubits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpList {
    pub num_qubits: u32,
    pub layers: Vec<Layer>,
    /// Number of measurement records written.
    pub num_records: u32,
    /// For an attempt: the layer (1-based) at which each check's measurement happens.
    pub check_end_layers: Vec<u32>,
}

fn gate_noise(g: &Gate) -> NoiseClass {
    if g.is_two_qubit() {
        NoiseClass::TwoQubit
    } else {
        NoiseClass::OneQubit
    }
}

/// Collects layers while tracking which qubits are live, so idle noise lands exactly on the
/// live qubits a layer does not touch.
struct Builder {
    n_qubits: u32,
    live: Vec<bool>,
    idle_enabled: Vec<bool>,
    layers: Vec<Layer>,
    records: u32,
}

impl Builder {
    fn new(n_qubits: u32) -> Self {
        Builder {
            n_qubits,
            live: vec![false; n_qubits as usize],
            idle_enabled: vec![true; n_qubits as usize],
            layers: Vec::new(),
            records: 0,
        }
    }

    /// Closes a layer with these operations; live untouched qubits idle (if enabled).
    fn layer(&mut self, ops: Vec<Op>) {
        let mut touched = vec![false; self.n_qubits as usize];
        for op in &ops {
            let (a, b) = op.qubits();
            touched[a as usize] = true;
            if let Some(b) = b {
                touched[b as usize] = true;
            }
        }
        let idle = (0..self.n_qubits)
            .filter(|&q| {
                self.live[q as usize] && !touched[q as usize] && self.idle_enabled[q as usize]
            })
            .collect();
        for op in &ops {
            match op.kind {
                OpKind::Prep(q) => self.live[q as usize] = true,
                OpKind::MeasureZ { qubit, .. } | OpKind::MeasureX { qubit, .. } => {
                    self.live[qubit as usize] = false
                }
                OpKind::Gate(_) => {}
            }
        }
        self.layers.push(Layer { ops, idle });
    }

    fn record(&mut self) -> u32 {
        self.records += 1;
        self.records - 1
    }
}

/// The direct implementation (protocol.md §6): C's ASAP layers on n qubits, all live from
/// time 0, with idle noise on every untouched qubit of every layer.
pub fn direct_ops(circuit: &Circuit) -> OpList {
    let mut b = Builder::new(circuit.n);
    b.live.iter_mut().for_each(|l| *l = true);
    for layer in circuit.layered() {
        let ops = layer
            .iter()
            .map(|g| Op {
                kind: OpKind::Gate(*g),
                noise: gate_noise(g),
            })
            .collect();
        b.layer(ops);
    }
    OpList {
        num_qubits: circuit.n,
        layers: b.layers,
        num_records: 0,
        check_end_layers: Vec::new(),
    }
}

/// The controlled-Pauli gate measuring factor `p` of a check on qubit `q` with the ancilla as
/// control (protocol.md §4.2).
fn controlled(anc: u32, q: u32, p: Pauli1) -> Option<Gate> {
    match p {
        Pauli1::I => None,
        Pauli1::X => Some(Gate::Cx(anc, q)),
        Pauli1::Y => Some(Gate::Cy(anc, q)),
        Pauli1::Z => Some(Gate::Cz(anc, q)),
    }
}

/// One RSP&V attempt of a block (protocol.md §4.1, §4.2) on 2n+1 qubits: RSP of C_k (given
/// as its ASAP layers on n qubits) then the checks `checks` (2n-qubit operators S_j on
/// a ⊗ b), each measured with the single ancilla. Idle noise on a and b follows K1; the
/// ancilla never idles. Check j writes measurement record j−1.
pub fn attempt_ops(
    n: u32,
    block_layers: &[Vec<Gate>],
    checks: &[PauliString],
    knobs: &Knobs,
) -> OpList {
    let anc = 2 * n;
    let mut b = Builder::new(2 * n + 1);
    if !knobs.idle_on_resource_during_rspv {
        for q in 0..2 * n {
            b.idle_enabled[q as usize] = false;
        }
    }
    let one = |kind| Op {
        kind,
        noise: NoiseClass::OneQubit,
    };
    // RSP: prepare n Bell pairs (a_i, b_i), then C_k on b.
    b.layer(
        (0..2 * n)
            .map(|q| Op {
                kind: OpKind::Prep(q),
                noise: NoiseClass::Prep,
            })
            .collect(),
    );
    b.layer((0..n).map(|i| one(OpKind::Gate(Gate::H(i)))).collect());
    b.layer(
        (0..n)
            .map(|i| Op {
                kind: OpKind::Gate(Gate::Cx(i, n + i)),
                noise: NoiseClass::TwoQubit,
            })
            .collect(),
    );
    for layer in block_layers {
        b.layer(
            layer
                .iter()
                .map(|g| {
                    let g = g.map_qubits(|q| n + q);
                    Op {
                        kind: OpKind::Gate(g),
                        noise: gate_noise(&g),
                    }
                })
                .collect(),
        );
    }
    // RSV: each check with one ancilla, controlled-Paulis in the order a_1..a_n, b_1..b_n.
    let mut check_end_layers = Vec::with_capacity(checks.len());
    for s in checks {
        b.layer(vec![Op {
            kind: OpKind::Prep(anc),
            noise: NoiseClass::Prep,
        }]);
        b.layer(vec![one(OpKind::Gate(Gate::H(anc)))]);
        for q in 0..2 * n {
            if let Some(g) = controlled(anc, q, s.get(q)) {
                b.layer(vec![Op {
                    kind: OpKind::Gate(g),
                    noise: NoiseClass::TwoQubit,
                }]);
            }
        }
        let record = b.record();
        let meas = match knobs.check_measurement {
            CheckMeasurement::HThenMz => {
                b.layer(vec![one(OpKind::Gate(Gate::H(anc)))]);
                OpKind::MeasureZ { qubit: anc, record }
            }
            CheckMeasurement::Mx => OpKind::MeasureX { qubit: anc, record },
        };
        b.layer(vec![Op {
            kind: meas,
            noise: NoiseClass::Measurement,
        }]);
        check_end_layers.push(b.layers.len() as u32);
    }
    OpList {
        num_qubits: 2 * n + 1,
        layers: b.layers,
        num_records: b.records,
        check_end_layers,
    }
}
