//! Oracle for fault signatures: every noise location of an operation list (every op, every
//! idle qubit-layer) and every Pauli fault there is propagated *forward*, gate by gate, to the
//! check records and the final frame; the result must equal the XOR of the stored signatures
//! found by the backward pass (or zero when the backward pass dropped the location).

use clinr_explorer::circuit::Gate;
use clinr_explorer::noise::NoiseClass;
use clinr_explorer::pauli::{Pauli1, PauliString};
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::ops::{OpKind, OpList};
use clinr_explorer::protocol::params::{CheckKind, CheckMeasurement, Params};
use clinr_explorer::sim::signatures::{attempt_table, direct_table, Shape, SigTable};
use clinr_explorer::tableau::Tableau;
use std::collections::BTreeMap;

/// Forward propagation of one frame through layers `from..` of `ops`; returns the check
/// record flips and the final frame.
fn forward(ops: &OpList, mut f: PauliString, from: usize, mut records: u64) -> (u64, PauliString) {
    let nq = ops.num_qubits;
    for layer in ops.layers().skip(from) {
        for op in layer {
            match op.kind {
                OpKind::Prep(q) => f.set(q, Pauli1::I),
                OpKind::Gate(g) => {
                    let mut t = Tableau::identity(nq);
                    t.apply(&g);
                    f = t.conjugate(&f);
                    f.set_phase(0);
                }
                OpKind::MeasureZ { qubit, record } => {
                    if f.x_bit(qubit) {
                        records ^= 1 << record;
                    }
                }
                OpKind::MeasureX { qubit, record } => {
                    if f.z_bit(qubit) {
                        records ^= 1 << record;
                    }
                }
            }
        }
    }
    (records, f)
}

/// Signature words expected for a final state: checks (if any), x half, z half of `res`.
fn words(check_words: usize, half: usize, records: u64, res: &PauliString) -> Vec<u64> {
    let mut w = Vec::new();
    if check_words == 1 {
        w.push(records);
    }
    w.extend_from_slice(&res.xs()[..half]);
    w.extend_from_slice(&res.zs()[..half]);
    w
}

/// Looks up the stored signature of a Pauli fault `(px, pz)` on `qubit` at a location.
#[derive(Default)]
struct Index {
    /// (layer, first qubit, is_idle) → (array, location).
    at: BTreeMap<(u32, u32, bool), (usize, usize)>,
}

fn index(table: &SigTable) -> Index {
    let mut ix = Index::default();
    for (ai, arr) in table.arrays.iter().enumerate() {
        for (li, m) in arr.meta.iter().enumerate() {
            let idle = arr.shape == Shape::IdleRun;
            for l in m.layer..=m.last_layer {
                let prev = ix.at.insert((l, m.qubits.0, idle), (ai, li));
                assert!(prev.is_none(), "location stored twice");
                if let Some(b) = m.qubits.1 {
                    ix.at.insert((l, b, idle), (ai, li));
                }
            }
        }
    }
    ix
}

/// XOR of the stored signatures of Pauli `p` (bits x=1, z=2) on the `which`-th qubit (0/1).
fn stored(table: &SigTable, ix: &Index, key: (u32, u32, bool), which: usize, p: u32) -> Vec<u64> {
    let mut out = vec![0u64; table.words];
    if let Some(&(ai, li)) = ix.at.get(&key) {
        let arr = &table.arrays[ai];
        for (bit, s) in [(1u32, 0usize), (2, 1)] {
            if p & bit != 0 {
                let sig = arr.sig(table.words, li, 2 * which + s);
                for (o, v) in out.iter_mut().zip(sig) {
                    *o ^= v;
                }
            }
        }
    }
    out
}

/// Checks every location of `ops` against `table`; `finish` maps (records, final frame) to
/// the expected words.
fn check_all(
    ops: &OpList,
    table: &SigTable,
    finish: &dyn Fn(u64, &PauliString) -> Vec<u64>,
) -> usize {
    let nq = ops.num_qubits;
    let ix = index(table);
    let mut checked = 0;
    let paulis = [Pauli1::X, Pauli1::Z, Pauli1::Y];
    let code = |p: Pauli1| {
        let (x, z) = p.bits();
        u32::from(x) | (u32::from(z) << 1)
    };
    let idle_by_layer = ops.idle_by_layer();
    for (l, layer) in ops.layers().enumerate() {
        let l32 = l as u32;
        for op in layer {
            match op.kind {
                OpKind::MeasureZ { qubit, record } | OpKind::MeasureX { qubit, record } => {
                    assert_eq!(op.noise, NoiseClass::Measurement);
                    let (rec, fin) = forward(ops, PauliString::identity(nq), l + 1, 1 << record);
                    let want = finish(rec, &fin);
                    let (ai, li) = ix.at[&(l32, qubit, false)];
                    assert_eq!(table.arrays[ai].shape, Shape::Flip);
                    assert_eq!(table.arrays[ai].sig(table.words, li, 0), &want[..]);
                    checked += 1;
                }
                _ => {
                    let (a, b) = op.qubits();
                    let pairs: Vec<(Pauli1, Pauli1)> = match b {
                        None => paulis.iter().map(|&p| (p, Pauli1::I)).collect(),
                        Some(_) => {
                            let all = [Pauli1::I, Pauli1::X, Pauli1::Z, Pauli1::Y];
                            all.iter()
                                .flat_map(|&p| all.iter().map(move |&q| (p, q)))
                                .filter(|&(p, q)| p != Pauli1::I || q != Pauli1::I)
                                .collect()
                        }
                    };
                    for (pa, pb) in pairs {
                        let mut f = PauliString::identity(nq);
                        f.set(a, pa);
                        if let Some(b) = b {
                            f.set(b, pb);
                        }
                        let (rec, fin) = forward(ops, f, l + 1, 0);
                        let want = finish(rec, &fin);
                        let mut got = stored(table, &ix, (l32, a, false), 0, code(pa));
                        if b.is_some() {
                            let gb = stored(table, &ix, (l32, a, false), 1, code(pb));
                            got.iter_mut().zip(gb).for_each(|(g, v)| *g ^= v);
                        }
                        assert_eq!(got, want, "layer {l} op {:?} fault {pa:?}{pb:?}", op.kind);
                        checked += 1;
                    }
                }
            }
        }
        for &q in &idle_by_layer[l] {
            for p in paulis {
                let mut f = PauliString::identity(nq);
                f.set(q, p);
                let (rec, fin) = forward(ops, f, l + 1, 0);
                let want = finish(rec, &fin);
                let got = stored(table, &ix, (l32, q, true), 0, code(p));
                assert_eq!(got, want, "idle layer {l} qubit {q} fault {p:?}");
                checked += 1;
            }
        }
    }
    checked
}

fn attempt_case(params: &Params, circuit: u32) -> usize {
    let inst = Instance::generate(params, circuit);
    let mut checked = 0;
    for block in &inst.blocks {
        let ops = block.attempt_ops_for(&block.checks, &params.knobs);
        let table = attempt_table(&ops, &block.tableau);
        let n = params.n;
        let half = table.half;
        let c = &block.tableau;
        // A_res = F_a · c⁻¹(F_b), computed independently with the tableau.
        let finish = |rec: u64, fin: &PauliString| {
            let fa = fin.slice(0, n);
            let fb = c.conjugate_inverse(&fin.slice(n, n));
            let res = fa.mul(&fb);
            words(1, half, rec, &res)
        };
        checked += check_all(&ops, &table, &finish);
        // The idle arrays count every idle qubit-layer with a non-zero signature only.
        let total_idle = ops.idle_locations() as usize;
        let stored_idle: u64 = table
            .arrays
            .iter()
            .filter(|a| a.shape == Shape::IdleRun)
            .map(|a| a.locations())
            .sum();
        assert!(stored_idle as usize <= total_idle);
    }
    checked
}

#[test]
fn attempt_signatures_equal_forward_propagation() {
    let mut total = 0;
    for (seed, n, t, r) in [
        (1u64, 3u32, 1u32, 2u32),
        (2, 4, 2, 3),
        (3, 5, 3, 1),
        (4, 6, 2, 4),
    ] {
        let mut params = Params {
            n,
            t,
            r,
            seed,
            ..Default::default()
        };
        total += attempt_case(&params, 0);
        params.knobs.check_measurement = CheckMeasurement::Mx;
        params.knobs.idle_on_resource_during_rspv = seed % 2 == 0;
        params.knobs.check_kind = CheckKind::SingleQubit;
        total += attempt_case(&params, 1);
    }
    assert!(total > 1000, "checked {total} faults");
}

#[test]
fn direct_signatures_equal_forward_propagation() {
    for (seed, n) in [(5u64, 3u32), (6, 5), (7, 6)] {
        let params = Params {
            n,
            seed,
            ..Default::default()
        };
        let inst = Instance::generate(&params, 0);
        let ops = inst.direct_ops();
        let table = direct_table(&ops);
        let half = table.half;
        let finish = |rec: u64, fin: &PauliString| {
            assert_eq!(rec, 0);
            words(0, half, 0, fin)
        };
        assert!(check_all(&ops, &table, &finish) >= 3 * 9);
    }
}

#[test]
fn gate_set_acts_as_involutions_on_frames() {
    // The backward pass relies on G† acting like G on sign-free Pauli bits.
    let gates = [
        Gate::H(0),
        Gate::S(0),
        Gate::Sdg(0),
        Gate::SqrtX(0),
        Gate::SqrtXdg(0),
        Gate::X(0),
        Gate::Cx(0, 1),
        Gate::Cy(0, 1),
        Gate::Cz(1, 0),
        Gate::Swap(0, 1),
    ];
    for g in gates {
        let mut t = Tableau::identity(2);
        t.apply(&g);
        let inv = t.inverse();
        for s in ["XI", "ZI", "IX", "IZ", "YY", "XZ"] {
            let p: PauliString = s.parse().unwrap();
            let mut a = t.conjugate(&p);
            let mut b = inv.conjugate(&p);
            a.set_phase(0);
            b.set_phase(0);
            assert_eq!(a, b, "{g:?} on {s}");
        }
    }
}
