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
use crate::protocol::two_sided::TwoSidedLayers;
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

/// A maximal run of idle layers of one qubit: it is live and untouched in layers
/// `first ..= last` (0-based layer indices), and each of them gives it one layer of idle noise
/// (class `Idle`). Between two operations on a qubit its liveness cannot change (only its own
/// preparation or measurement changes it), so idle noise always comes in such runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdleRun {
    pub qubit: u32,
    pub first: u32,
    pub last: u32,
}

impl IdleRun {
    /// Number of idle layers in the run.
    pub fn layers(&self) -> u32 {
        self.last - self.first + 1
    }
}

/// A layered list of noisy operations on `num_qubits` qubits.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpList {
    pub num_qubits: u32,
    /// Every operation, layer by layer (the operations of one layer act on disjoint qubits).
    /// Stored flat, with [`OpList::layer_starts`], so a deep list is two allocations.
    pub ops: Vec<Op>,
    /// Layer l (0-based) holds `ops[layer_starts[l]..layer_starts[l + 1]]`; one entry more
    /// than there are layers.
    pub layer_starts: Vec<u32>,
    /// Every idle run, ordered by qubit then by first layer. Stored as runs rather than per
    /// layer because deep circuits (Δ in the thousands at n = 85) would otherwise hold
    /// millions of idle qubit-layers.
    pub idle_runs: Vec<IdleRun>,
    /// Number of measurement records written.
    pub num_records: u32,
    /// For an attempt: the layer (1-based) at which each check's measurement happens.
    pub check_end_layers: Vec<u32>,
}

impl OpList {
    /// Number of layers.
    pub fn num_layers(&self) -> usize {
        self.layer_starts.len() - 1
    }

    /// The operations of layer `l` (0-based).
    pub fn layer(&self, l: usize) -> &[Op] {
        &self.ops[self.layer_starts[l] as usize..self.layer_starts[l + 1] as usize]
    }

    /// The operations of each layer, in time order.
    pub fn layers(&self) -> impl DoubleEndedIterator<Item = &[Op]> + ExactSizeIterator {
        self.layer_starts
            .windows(2)
            .map(|w| &self.ops[w[0] as usize..w[1] as usize])
    }

    /// The idle qubits of every layer, each in increasing order (for the layer-by-layer
    /// consumers: the reference simulator and the Stim export).
    pub fn idle_by_layer(&self) -> Vec<Vec<u32>> {
        let mut out = vec![Vec::new(); self.num_layers()];
        // Runs are ordered by qubit, so each layer's list comes out increasing.
        for r in &self.idle_runs {
            for l in r.first..=r.last {
                out[l as usize].push(r.qubit);
            }
        }
        out
    }

    /// Total idle qubit-layers.
    pub fn idle_locations(&self) -> u64 {
        self.idle_runs.iter().map(|r| u64::from(r.layers())).sum()
    }
}

fn gate_noise(g: &Gate) -> NoiseClass {
    if g.is_two_qubit() {
        NoiseClass::TwoQubit
    } else {
        NoiseClass::OneQubit
    }
}

/// Collects layers while tracking which qubits are live, so idle noise lands exactly on the
/// live qubits a layer does not touch. Work per layer is proportional to its operations: a
/// qubit's idle run is closed when an operation touches it (or at the end).
struct Builder {
    live: Vec<bool>,
    idle_enabled: Vec<bool>,
    /// First layer (0-based) after the last operation on each qubit.
    gap_start: Vec<u32>,
    ops: Vec<Op>,
    layer_starts: Vec<u32>,
    idle_runs: Vec<IdleRun>,
    records: u32,
}

impl Builder {
    fn new(n_qubits: u32) -> Self {
        Builder {
            live: vec![false; n_qubits as usize],
            idle_enabled: vec![true; n_qubits as usize],
            gap_start: vec![0; n_qubits as usize],
            ops: Vec::new(),
            layer_starts: vec![0],
            idle_runs: Vec::new(),
            records: 0,
        }
    }

    /// Records the idle run of `q` that ends before layer `end` (0-based), if any.
    fn close_run(&mut self, q: u32, end: u32) {
        let (qi, start) = (q as usize, self.gap_start[q as usize]);
        if self.live[qi] && self.idle_enabled[qi] && start < end {
            self.idle_runs.push(IdleRun {
                qubit: q,
                first: start,
                last: end - 1,
            });
        }
    }

    /// Closes a layer with these operations; live untouched qubits idle (if enabled).
    fn layer(&mut self, ops: impl IntoIterator<Item = Op>) {
        let l = self.num_layers();
        for op in ops {
            let (a, b) = op.qubits();
            for q in std::iter::once(a).chain(b) {
                self.close_run(q, l);
                self.gap_start[q as usize] = l + 1;
            }
            match op.kind {
                OpKind::Prep(q) => self.live[q as usize] = true,
                OpKind::MeasureZ { qubit, .. } | OpKind::MeasureX { qubit, .. } => {
                    self.live[qubit as usize] = false
                }
                OpKind::Gate(_) => {}
            }
            self.ops.push(op);
        }
        self.layer_starts.push(self.ops.len() as u32);
    }

    /// Layers closed so far.
    fn num_layers(&self) -> u32 {
        self.layer_starts.len() as u32 - 1
    }

    fn record(&mut self) -> u32 {
        self.records += 1;
        self.records - 1
    }

    /// Closes the trailing runs and returns (layers, idle runs ordered by qubit and layer).
    fn finish(mut self) -> (Vec<Op>, Vec<u32>, Vec<IdleRun>) {
        let end = self.num_layers();
        let nq = self.live.len();
        for q in 0..nq as u32 {
            self.close_run(q, end);
        }
        // Runs were closed in time order; a stable counting sort by qubit keeps each qubit's
        // runs in time order (O(runs), unlike a comparison sort).
        let mut start = vec![0usize; nq + 1];
        for r in &self.idle_runs {
            start[r.qubit as usize + 1] += 1;
        }
        for q in 0..nq {
            start[q + 1] += start[q];
        }
        let mut sorted = self.idle_runs.clone();
        for r in &self.idle_runs {
            let at = &mut start[r.qubit as usize];
            sorted[*at] = *r;
            *at += 1;
        }
        (self.ops, self.layer_starts, sorted)
    }
}

/// The direct implementation (protocol.md §6): C's ASAP layers on n qubits, all live from
/// time 0, with idle noise on every untouched qubit of every layer.
pub fn direct_ops(circuit: &Circuit) -> OpList {
    let mut b = Builder::new(circuit.n);
    b.live.iter_mut().for_each(|l| *l = true);
    // C's ASAP layers (as `Circuit::layered`, original order inside a layer) by a stable
    // counting sort of the gates by layer.
    let asap = circuit.asap_layers();
    let depth = asap.iter().copied().max().unwrap_or(0) as usize;
    let mut starts = vec![0usize; depth + 1];
    for &l in &asap {
        starts[l as usize] += 1;
    }
    for l in 0..depth {
        starts[l + 1] += starts[l];
    }
    let mut order = vec![0u32; asap.len()];
    let mut next = starts.clone();
    for (i, &l) in asap.iter().enumerate() {
        order[next[l as usize - 1]] = i as u32;
        next[l as usize - 1] += 1;
    }
    b.ops.reserve(asap.len());
    b.layer_starts.reserve(depth);
    for l in 0..depth {
        b.layer(order[starts[l]..starts[l + 1]].iter().map(|&i| {
            let g = circuit.gates[i as usize];
            Op {
                kind: OpKind::Gate(g),
                noise: gate_noise(&g),
            }
        }));
    }
    let (ops, layer_starts, idle_runs) = b.finish();
    OpList {
        num_qubits: circuit.n,
        ops,
        layer_starts,
        idle_runs,
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
/// as its ASAP layers on n qubits; with `knobs.two_sided_rsp`, A^T on a and B on b in parallel,
/// [`crate::protocol::two_sided`]) then the checks `checks` (2n-qubit operators S_j on
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
    b.layer((0..2 * n).map(|q| Op {
        kind: OpKind::Prep(q),
        noise: NoiseClass::Prep,
    }));
    b.layer((0..n).map(|i| one(OpKind::Gate(Gate::H(i)))));
    b.layer((0..n).map(|i| Op {
        kind: OpKind::Gate(Gate::Cx(i, n + i)),
        noise: NoiseClass::TwoQubit,
    }));
    let gate_op = |g: Gate| Op {
        kind: OpKind::Gate(g),
        noise: gate_noise(&g),
    };
    if knobs.two_sided_rsp {
        // §15.5: A^T on a and B on b, layer ℓ of each side in RSP layer 3 + ℓ.
        let sides = TwoSidedLayers::split(n, block_layers);
        for l in 0..sides.depth() as usize {
            let a = sides.a.get(l).into_iter().flatten().map(|&g| gate_op(g));
            let on_b = sides.b.get(l).into_iter().flatten();
            b.layer(a.chain(on_b.map(|g| gate_op(g.map_qubits(|q| n + q)))));
        }
    } else {
        for layer in block_layers {
            b.layer(layer.iter().map(|g| gate_op(g.map_qubits(|q| n + q))));
        }
    }
    // RSV: each check with one ancilla, controlled-Paulis in the order a_1..a_n, b_1..b_n.
    let mut check_end_layers = Vec::with_capacity(checks.len());
    for s in checks {
        b.layer([Op {
            kind: OpKind::Prep(anc),
            noise: NoiseClass::Prep,
        }]);
        b.layer([one(OpKind::Gate(Gate::H(anc)))]);
        for q in 0..2 * n {
            if let Some(g) = controlled(anc, q, s.get(q)) {
                b.layer([Op {
                    kind: OpKind::Gate(g),
                    noise: NoiseClass::TwoQubit,
                }]);
            }
        }
        let record = b.record();
        let meas = match knobs.check_measurement {
            CheckMeasurement::HThenMz => {
                b.layer([one(OpKind::Gate(Gate::H(anc)))]);
                OpKind::MeasureZ { qubit: anc, record }
            }
            CheckMeasurement::Mx => OpKind::MeasureX { qubit: anc, record },
        };
        b.layer([Op {
            kind: meas,
            noise: NoiseClass::Measurement,
        }]);
        check_end_layers.push(b.num_layers());
    }
    let num_records = b.records;
    let (ops, layer_starts, idle_runs) = b.finish();
    OpList {
        num_qubits: 2 * n + 1,
        ops,
        layer_starts,
        idle_runs,
        num_records,
        check_end_layers,
    }
}
