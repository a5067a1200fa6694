//! Clifford synthesis: a tableau to a circuit, gate for gate as the tools the paper's authors
//! could have used (protocol.md §12, knob K4).
//!
//! * [`stim_elimination`]: Stim 1.16.0 `Tableau.to_circuit("elimination")`
//!   (`tableau_to_circuit_elimination_method` in `src/stim/util_top/circuit_vs_tableau.inl`).
//! * [`qiskit_greedy`]: Qiskit 2.6.2 `synth_clifford_greedy`, the greedy compiler of Bravyi, Hu,
//!   Maslov and Shaydulin (arXiv:2105.02291, App. A), as in Qiskit's
//!   `crates/synthesis/src/clifford/greedy_synthesis.rs`.
//! * [`qiskit_ag`]: Qiskit 2.6.2 `synth_clifford_ag` (Aaronson–Gottesman, arXiv:quant-ph/0406196;
//!   `qiskit/synthesis/clifford/clifford_decompose_ag.py`), including its one-qubit special case
//!   (`synth_clifford_bm`).
//!
//! "Gate for gate": for the same tableau, the same sequence of (gate, qubits), with every SWAP a
//! reference emits written as CX(a,b) CX(b,a) CX(a,b). Pinned by the fixtures of
//! `tests/fixtures/make_synthesis_fixtures.py` (`tests/synthesis_fixtures.rs`). Every result
//! satisfies `Tableau::from_circuit(&c) == *t`, signs included, and acts on `t.n()` qubits.
//!
//! Conventions: our tableau row q is `U X_q U†` and row n+q is `U Z_q U†`, Stim's `xs[q]` and
//! `zs[q]`, Qiskit's destabilizer q and stabilizer q; qubit j is qubit j in all three (Qiskit's
//! little-endian order only affects its string labels). Signs are those of Hermitian Paulis in
//! all three.
//!
//! The references scan rows bit by bit; here each scan reads a row once as packed masks when
//! the gates of the scan cannot change the bits still to be read (argued at each place), so
//! the gate sequence is the same.

use serde::{Deserialize, Serialize};

use super::{Circuit, Gate};
use crate::pauli::{transpose64, words_for};
use crate::tableau::Tableau;

/// A synthesis method (the synthesized values of knob K4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Stim's `Tableau.to_circuit("elimination")` (default).
    #[default]
    StimElimination,
    /// Qiskit's `synth_clifford_greedy`.
    QiskitGreedy,
    /// Qiskit's `synth_clifford_ag`.
    QiskitAg,
}

impl Method {
    /// Every method, in the order of the docs.
    pub const ALL: [Method; 3] = [
        Method::StimElimination,
        Method::QiskitGreedy,
        Method::QiskitAg,
    ];

    /// The identifier (serde name), e.g. `stim_elimination`.
    pub fn name(self) -> &'static str {
        match self {
            Method::StimElimination => "stim_elimination",
            Method::QiskitGreedy => "qiskit_greedy",
            Method::QiskitAg => "qiskit_ag",
        }
    }
}

/// `t` synthesized with `method`: gates in {H, S, S†, X, Y, Z, CX} on `t.n()` qubits.
pub fn synthesize(t: &Tableau, method: Method) -> Circuit {
    match method {
        Method::StimElimination => stim_elimination(t),
        Method::QiskitGreedy => qiskit_greedy(t),
        Method::QiskitAg => qiskit_ag(t),
    }
}

/// Calls `f(k)` for every set bit k of a packed bit vector, in increasing order.
#[inline]
pub(crate) fn for_each_bit(words: &[u64], mut f: impl FnMut(usize)) {
    for (wi, &word) in words.iter().enumerate() {
        let mut m = word;
        while m != 0 {
            f(wi * 64 + m.trailing_zeros() as usize);
            m &= m - 1;
        }
    }
}

/// A working tableau and the gates applied (appended) to it, in order.
struct Recorder {
    t: Tableau,
    gates: Vec<Gate>,
    /// Scratch: the qubits of a CX run.
    run: Vec<u32>,
}

impl Recorder {
    fn new(t: Tableau) -> Self {
        let n = t.n() as usize;
        Recorder {
            t,
            gates: Vec::with_capacity(3 * n * n / 2 + 8 * n),
            run: Vec::new(),
        }
    }
    fn g(&mut self, g: Gate) {
        self.t.apply(&g);
        self.gates.push(g);
    }
    /// H (`h = true`) or S on every set bit q of `mask`, in increasing order.
    fn each(&mut self, mask: &[u64], h: bool) {
        self.t.h_or_s_each(h, mask);
        let gates = &mut self.gates;
        for_each_bit(mask, |q| {
            gates.push(if h {
                Gate::H(q as u32)
            } else {
                Gate::S(q as u32)
            })
        });
    }
    /// CX(c, i) for every set bit i of `mask`, in increasing order.
    fn cx_out(&mut self, c: u32, mask: &[u64]) {
        self.run.clear();
        for_each_bit(mask, |i| self.run.push(i as u32));
        self.t.cx_fan_out(c, &self.run);
        self.gates.extend(self.run.iter().map(|&i| Gate::Cx(c, i)));
    }
    /// CX(i, t) for every set bit i of `mask`, in increasing order.
    fn cx_in(&mut self, mask: &[u64], t: u32) {
        self.run.clear();
        for_each_bit(mask, |i| self.run.push(i as u32));
        self.t.cx_fan_in(&self.run, t);
        self.gates.extend(self.run.iter().map(|&i| Gate::Cx(i, t)));
    }
}

/// The Pauli Π (as packed `(x, z)` words) with `⟨Π, row r of t⟩ = sign(row r of sim) ⊕
/// sign(row r of t)` for every row r, where `sim` has the same images as `t` up to signs. So
/// `Π·sim`, Π applied after `sim`, equals `t`, and `sim = Π·t` too.
///
/// Π = Σ_{q: d_{X_q}} t(Z_q) + Σ_{q: d_{Z_q}} t(X_q) over GF(2), since the images form a
/// symplectic basis; this is the unique solution Qiskit gets as `smat⁻¹ · Δphase` in
/// `adjust_final_pauli_gates`.
fn pauli_difference(t: &Tableau, sim: &Tableau) -> (Vec<u64>, Vec<u64>) {
    let n = t.n();
    let w = words_for(n);
    // Rows selected, in the column layout (X-rows in words 0..w, Z-rows in w..2w).
    let mut sel = vec![0u64; 2 * w];
    for q in 0..n {
        let (wi, b) = ((q / 64) as usize, q % 64);
        if t.row_sign(q) != sim.row_sign(q) {
            sel[w + wi] |= 1 << b;
        }
        if t.row_sign(n + q) != sim.row_sign(n + q) {
            sel[wi] |= 1 << b;
        }
    }
    let (mut px, mut pz) = (vec![0u64; w], vec![0u64; w]);
    let parity = |col: &[u64]| {
        col.iter()
            .zip(&sel)
            .map(|(a, b)| (a & b).count_ones())
            .sum::<u32>()
            & 1
            == 1
    };
    for k in 0..n {
        let (cx, cz) = t.column(k);
        let (wi, b) = ((k / 64) as usize, k % 64);
        if parity(cx) {
            px[wi] |= 1 << b;
        }
        if parity(cz) {
            pz[wi] |= 1 << b;
        }
    }
    (px, pz)
}

/// Stim 1.16.0 `Tableau.to_circuit("elimination")`, gate for gate.
///
/// Stim reduces `remaining = t⁻¹` to the identity by appending gates and records them, so the
/// recorded circuit implements t. Column by column: find the first output qubit ≥ col where the
/// images of X_col and Z_col anticommute, move it to col with three CX, turn the pivot into
/// (X, Z) with S/H, clear the rest of the X image (S on Y's, H on Z's, then CX(col, ·)), then
/// of the Z image (S on Y's, H on X's, then CX(·, col)); then fix the signs with H·S·S·H (X)
/// and S·S (Z) in Stim's order; if no gate touches qubit n−1, Stim appends H H on it.
///
/// The elimination does not look at signs, so it runs on the unsigned `t⁻¹` (a block
/// transpose); the final signs come from comparing the recorded circuit's tableau with t
/// ([`pauli_difference`]), which gives Stim's `remaining` at the end exactly.
pub fn stim_elimination(t: &Tableau) -> Circuit {
    let n = t.n();
    let w = words_for(n);
    let mut r = Recorder::new(t.symplectic_inverse_unsigned());
    let (mut xx, mut xz, mut zx, mut zz) = (vec![0; w], vec![0; w], vec![0; w], vec![0; w]);
    let mut mask = vec![0u64; w];
    let bit = |m: &[u64], i: u32| (m[(i / 64) as usize] >> (i % 64)) & 1;
    for col in 0..n {
        // The pivot: images of X_col and Z_col anticommute on one qubit.
        r.t.row_masks(col, col, &mut xx, &mut xz);
        r.t.row_masks(n + col, col, &mut zx, &mut zz);
        let pivot = (0..w)
            .find_map(|i| {
                let anti = (xx[i] & zz[i]) ^ (xz[i] & zx[i]);
                (anti != 0).then(|| (64 * i) as u32 + anti.trailing_zeros())
            })
            .expect("the images of X_col and Z_col anticommute somewhere");
        if pivot != col {
            r.g(Gate::Cx(pivot, col));
            r.g(Gate::Cx(col, pivot));
            r.g(Gate::Cx(pivot, col));
            // The three CX swap qubits col and pivot (as columns; signs aside): the masks
            // follow, for the qubits > col they are about to describe.
            for m in [&mut xx, &mut xz, &mut zx, &mut zz] {
                let at_col = bit(m, col);
                m[(pivot / 64) as usize] &= !(1 << (pivot % 64));
                m[(pivot / 64) as usize] |= at_col << (pivot % 64);
            }
        }
        // Qubit col leaves the masks: from here on they describe the qubits > col.
        for m in [&mut xx, &mut xz, &mut zx, &mut zz] {
            m[(col / 64) as usize] &= !(1 << (col % 64));
        }
        // Stim's code: 1 = X, 2 = Z, 3 = Y. These gates act on qubit col only.
        let pauli = |t: &Tableau, row: u32| {
            let (x, z) = t.row_bits(row, col);
            u8::from(x) + 2 * u8::from(z)
        };
        if pauli(&r.t, n + col) == 3 {
            r.g(Gate::S(col));
        }
        if pauli(&r.t, n + col) != 2 {
            r.g(Gate::H(col));
        }
        if pauli(&r.t, col) != 1 {
            r.g(Gate::S(col));
        }
        // The X image, qubits > col. Each gate of the three loops changes only its own qubit
        // (and col), so the masks are what Stim reads qubit by qubit: S turns Y into X, H
        // turns the Z's (only) into X, and then every non-identity qubit holds an X.
        for i in 0..w {
            mask[i] = xx[i] & xz[i];
        }
        r.each(&mask, false);
        // The Z image's bits on those qubits follow the same S (z ^= x) ...
        for i in 0..w {
            zz[i] ^= zx[i] & mask[i];
            mask[i] = xz[i] & !xx[i];
        }
        r.each(&mask, true);
        // ... and H (x and z swap).
        for i in 0..w {
            let swap = (zx[i] ^ zz[i]) & mask[i];
            zx[i] ^= swap;
            zz[i] ^= swap;
            mask[i] = xx[i] | xz[i];
        }
        // CX(col, q) changes the Z image on q by its x part on col, which is 0 (Z on col).
        r.cx_out(col, &mask);
        debug_assert!({
            let (mut fx, mut fz) = (vec![0; w], vec![0; w]);
            r.t.row_masks(n + col, col + 1, &mut fx, &mut fz);
            fx == zx && fz == zz
        });
        // The Z image: S on Y's (→ X), H on every X (the former Y's and X's), CX(·, col).
        for i in 0..w {
            mask[i] = zx[i] & zz[i];
        }
        r.each(&mask, false);
        r.each(&zx, true);
        for i in 0..w {
            mask[i] = zx[i] | zz[i];
        }
        r.cx_in(&mask, col);
    }
    // Signs. The recorded circuit is Π·t for a Pauli Π, and Stim's `remaining` is then Π:
    // its Z_col image is negative iff Π has an X part on col, its X_col image iff a Z part.
    let mut c = Circuit { n, gates: r.gates };
    let (px, pz) = pauli_difference(t, &Tableau::from_circuit(&c));
    for_each_bit(&px, |q| c.gates.push(Gate::H(q as u32)));
    for_each_bit(&px, |q| {
        c.gates.extend([Gate::S(q as u32), Gate::S(q as u32)])
    });
    for_each_bit(&px, |q| c.gates.push(Gate::H(q as u32)));
    for_each_bit(&pz, |q| {
        c.gates.extend([Gate::S(q as u32), Gate::S(q as u32)])
    });
    // Stim's circuit then has as many qubits as the tableau.
    let used = c
        .gates
        .iter()
        .map(|g| {
            let (a, b) = g.qubits();
            a.max(b.unwrap_or(0)) + 1
        })
        .max()
        .unwrap_or(0);
    if used < n {
        c.gates.extend([Gate::H(n - 1), Gate::H(n - 1)]);
    }
    debug_assert!(Tableau::from_circuit(&c) == *t, "stim_elimination");
    c
}

/// Class of a pair of one-qubit Paulis under one-qubit Cliffords (Bravyi et al., App. A).
#[derive(Clone, Copy, PartialEq, Eq)]
enum PairClass {
    A,
    B,
    C,
    D,
    E,
}

/// The class of index `a<<3 | b<<2 | c<<1 | d` (Qiskit's `PAULI_INDEX_TO_CLASS`).
fn pair_class(idx: usize) -> PairClass {
    use PairClass::*;
    [E, D, D, D, C, B, A, A, C, A, B, A, C, A, A, B][idx]
}

/// The decoupling one-qubit gates of index `idx`, in order (Qiskit's `PAULI_INDEX_TO_1Q_GATE`:
/// I, H, I, SH, I, I, I, SHS, H, H, H, SH, S, HS, S, S). `true` = H, `false` = S.
fn pair_gates(idx: usize) -> &'static [bool] {
    const I: &[bool] = &[];
    const S: &[bool] = &[false];
    const H: &[bool] = &[true];
    const SH: &[bool] = &[false, true];
    const HS: &[bool] = &[true, false];
    const SHS: &[bool] = &[false, true, false];
    [I, H, I, SH, I, I, I, SHS, H, H, H, SH, S, HS, S, S][idx]
}

/// The symplectic matrix of the greedy synthesis, row-major and padded to a square of
/// `128w` bits (`w = ceil(n/64)`): row X_q at q, row Z_q at 64w+q; in each row the x part in
/// words 0..w and the z part in words w..2w. Qiskit's `SymplecticMatrix` without the padding.
struct Smat {
    w: usize,
    rows: Vec<u64>,
    /// The transpose (same layout: column x_j at j, z_j at 64w+j), refreshed by
    /// [`Smat::transpose`].
    cols: Vec<u64>,
}

impl Smat {
    fn new(t: &Tableau) -> Self {
        let n = t.n();
        let w = words_for(n);
        let side = 128 * w;
        let mut rows = vec![0u64; side * 2 * w];
        for q in 0..n {
            for (r, dst) in [(q, q as usize), (n + q, 64 * w + q as usize)] {
                let (x, z) = t.row_words(r);
                let s = dst * 2 * w;
                rows[s..s + w].copy_from_slice(x);
                rows[s + w..s + 2 * w].copy_from_slice(z);
            }
        }
        Smat {
            w,
            rows,
            cols: vec![0u64; side * 2 * w],
        }
    }
    fn xrow(&self, q: u32) -> usize {
        q as usize
    }
    fn zrow(&self, q: u32) -> usize {
        64 * self.w + q as usize
    }
    fn row_xor(&mut self, dst: usize, src: usize) {
        let ww = 2 * self.w;
        for i in 0..ww {
            self.rows[dst * ww + i] ^= self.rows[src * ww + i];
        }
    }
    fn row_swap(&mut self, a: usize, b: usize) {
        let ww = 2 * self.w;
        for i in 0..ww {
            self.rows.swap(a * ww + i, b * ww + i);
        }
    }
    /// `U := U·S_q`: row X_q ^= row Z_q.
    fn prepend_s(&mut self, q: u32) {
        self.row_xor(self.xrow(q), self.zrow(q));
    }
    /// `U := U·H_q`: rows X_q and Z_q swap.
    fn prepend_h(&mut self, q: u32) {
        self.row_swap(self.xrow(q), self.zrow(q));
    }
    /// `U := U·SWAP(a, b)`.
    fn prepend_swap(&mut self, a: u32, b: u32) {
        self.row_swap(self.xrow(a), self.xrow(b));
        self.row_swap(self.zrow(a), self.zrow(b));
    }
    /// `U := U·CX(c, t)`: row X_c ^= row X_t, row Z_t ^= row Z_c.
    fn prepend_cx(&mut self, c: u32, t: u32) {
        self.row_xor(self.xrow(c), self.xrow(t));
        self.row_xor(self.zrow(t), self.zrow(c));
    }
    /// Refreshes `cols` by 64×64 block transposes.
    fn transpose(&mut self) {
        let ww = 2 * self.w;
        for rb in 0..ww {
            for cb in 0..ww {
                let mut a = [0u64; 64];
                for (i, v) in a.iter_mut().enumerate() {
                    *v = self.rows[(rb * 64 + i) * ww + cb];
                }
                transpose64(&mut a);
                for (j, &v) in a.iter().enumerate() {
                    self.cols[(cb * 64 + j) * ww + rb] = v;
                }
            }
        }
    }
    /// Qiskit's `pauli_pair_to_index` for row qubit q and column qubit j, read from `cols`:
    /// `a` = smat[X_q, z_j], `b` = smat[Z_q, z_j], `c` = smat[X_q, x_j], `d` = smat[Z_q, x_j].
    fn index(&self, q: u32, j: u32) -> usize {
        let ww = 2 * self.w;
        let bit = |col: usize, row: usize| (self.cols[col * ww + row / 64] >> (row % 64)) & 1;
        let (xj, zj) = (self.xrow(j), self.zrow(j));
        let (xq, zq) = (self.xrow(q), self.zrow(q));
        ((bit(zj, xq) << 3) | (bit(zj, zq) << 2) | (bit(xj, xq) << 1) | bit(xj, zq)) as usize
    }
    /// Qiskit's `compute_cost(j)` over the rows in `unprocessed` (a packed mask over qubits),
    /// word-parallel: the classes of all q at once from the columns x_j and z_j.
    fn cost(&self, j: u32, unprocessed: &[u64]) -> usize {
        let (w, ww) = (self.w, 2 * self.w);
        let zc = &self.cols[self.zrow(j) * ww..(self.zrow(j) + 1) * ww];
        let xc = &self.cols[self.xrow(j) * ww..(self.xrow(j) + 1) * ww];
        let (mut na, mut nb, mut ncd) = (0u32, 0u32, 0u32);
        let mut in_a = false;
        for i in 0..w {
            let (a, b, c, d) = (zc[i], zc[w + i], xc[i], xc[w + i]);
            let (p, q) = (a | b, c | d);
            let same = !((a ^ c) | (b ^ d));
            let m = unprocessed[i];
            let class_a = p & q & !same & m;
            na += class_a.count_ones();
            nb += (p & q & same & m).count_ones();
            ncd += ((p ^ q) & m).count_ones();
            if i == (j / 64) as usize {
                in_a = (class_a >> (j % 64)) & 1 == 1;
            }
        }
        assert!(na % 2 == 1, "symplectic Gaussian elimination failed");
        let (na, nb, ncd) = (na as usize, nb as usize, ncd as usize);
        3 * (na - 1) / 2 + if nb > 0 { nb + 1 } else { 0 } + ncd + if in_a { 0 } else { 3 }
    }
}

/// Qiskit's `IndexSet::swap_remove`: removes `v`, moving the last element into its place.
fn swap_remove(set: &mut Vec<u32>, v: u32) -> bool {
    match set.iter().position(|&x| x == v) {
        Some(i) => {
            set.swap_remove(i);
            true
        }
        None => false,
    }
}

/// Qiskit 2.6.2 `synth_clifford_greedy`, gate for gate.
///
/// Repeatedly picks the unprocessed qubit of least CX cost (the first in the unprocessed set's
/// order on ties; the set is an insertion-ordered set with swap-removal, as Qiskit's
/// `IndexSet`), and decouples it: one-qubit gates bring each unprocessed qubit's pair of
/// Paulis to a class representative, a SWAP brings a class-A qubit to the pivot if needed,
/// then CX's clear classes C, D, B and pairs of A. Each gate is prepended to the symplectic
/// matrix (row operations) and emitted in order; the final X/Y/Z per qubit fixes the signs.
///
/// The classes of a step are read once from a transpose of the matrix taken at the start of
/// the step: the one-qubit gates of qubit q change only the rows of q, which no later read of
/// the step looks at.
pub fn qiskit_greedy(t: &Tableau) -> Circuit {
    let n = t.n();
    let w = words_for(n);
    let mut m = Smat::new(t);
    let mut gates: Vec<Gate> = Vec::with_capacity((n * n + 8 * n) as usize);
    let mut unprocessed: Vec<u32> = (0..n).collect();
    let mut mask = vec![0u64; w];
    for q in 0..n {
        mask[(q / 64) as usize] |= 1 << (q % 64);
    }
    let prep1 = |m: &mut Smat, gates: &mut Vec<Gate>, h: bool, q: u32| {
        if h {
            gates.push(Gate::H(q));
            m.prepend_h(q);
        } else {
            gates.push(Gate::S(q));
            m.prepend_s(q);
        }
    };
    while !unprocessed.is_empty() {
        m.transpose();
        let mut best = (usize::MAX, 0u32);
        for &j in &unprocessed {
            let c = m.cost(j, &mask);
            if c < best.0 {
                best = (c, j);
            }
        }
        let min = best.1;
        // decouple_qubit(min)
        let (mut a, mut b, mut c, mut d) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for &q in &unprocessed {
            let idx = m.index(q, min);
            for &h in pair_gates(idx) {
                prep1(&mut m, &mut gates, h, q);
            }
            match pair_class(idx) {
                PairClass::A => a.push(q),
                PairClass::B => b.push(q),
                PairClass::C => c.push(q),
                PairClass::D => d.push(q),
                PairClass::E => {}
            }
        }
        assert!(a.len() % 2 == 1, "symplectic Gaussian elimination failed");
        if !a.contains(&min) {
            let qa = a[0];
            gates.extend([Gate::Cx(min, qa), Gate::Cx(qa, min), Gate::Cx(min, qa)]);
            m.prepend_swap(min, qa);
            for set in [&mut b, &mut c, &mut d] {
                if swap_remove(set, min) {
                    if !set.contains(&qa) {
                        set.push(qa);
                    }
                    break;
                }
            }
            swap_remove(&mut a, qa);
            if !a.contains(&min) {
                a.push(min);
            }
        }
        for &q in &c {
            gates.push(Gate::Cx(min, q));
            m.prepend_cx(min, q);
        }
        for &q in &d {
            gates.push(Gate::Cx(q, min));
            m.prepend_cx(q, min);
        }
        if b.len() > 1 {
            let qb = b[0];
            for &q in &b[1..] {
                gates.push(Gate::Cx(qb, q));
                m.prepend_cx(qb, q);
            }
        }
        if let Some(&qb) = b.first() {
            gates.push(Gate::Cx(min, qb));
            m.prepend_cx(min, qb);
            gates.push(Gate::H(qb));
            m.prepend_h(qb);
            gates.push(Gate::Cx(qb, min));
            m.prepend_cx(qb, min);
        }
        let a_len = (a.len() - 1) / 2;
        if a_len > 0 {
            swap_remove(&mut a, min);
        }
        for k in 0..a_len {
            let (a0, a1) = (a[2 * k], a[2 * k + 1]);
            gates.push(Gate::Cx(a1, a0));
            m.prepend_cx(a1, a0);
            gates.push(Gate::Cx(a0, min));
            m.prepend_cx(a0, min);
            gates.push(Gate::Cx(min, a1));
            m.prepend_cx(min, a1);
        }
        swap_remove(&mut unprocessed, min);
        mask[(min / 64) as usize] &= !(1 << (min % 64));
    }
    let mut c = Circuit { n, gates };
    // adjust_final_pauli_gates: the Pauli to append so that the signs match.
    let (px, pz) = pauli_difference(t, &Tableau::from_circuit(&c));
    for q in 0..n {
        let bit = |v: &[u64]| (v[(q / 64) as usize] >> (q % 64)) & 1 == 1;
        match (bit(&px), bit(&pz)) {
            (true, true) => c.push(Gate::Y(q)),
            (false, true) => c.push(Gate::Z(q)),
            (true, false) => c.push(Gate::X(q)),
            (false, false) => {}
        }
    }
    debug_assert!(Tableau::from_circuit(&c) == *t, "qiskit_greedy");
    c
}

/// Qiskit 2.6.2 `synth_clifford_ag`, gate for gate: for one qubit, Qiskit's `synth_clifford_bm`
/// ([`qiskit_one_qubit`]); otherwise the Aaronson–Gottesman reduction ([`ag_reduction`]).
pub fn qiskit_ag(t: &Tableau) -> Circuit {
    if t.n() == 1 {
        qiskit_one_qubit(t)
    } else {
        ag_reduction(t)
    }
}

/// Qiskit's `decompose_clifford_1q` (in `bm_synthesis.rs`): the Pauli fixing the signs first,
/// then S / S†·H / S·H·S-type gates from the images' bits.
fn qiskit_one_qubit(t: &Tableau) -> Circuit {
    let mut c = Circuit::new(1);
    match (t.row_sign(0), t.row_sign(1)) {
        (true, false) => c.push(Gate::Z(0)),
        (false, true) => c.push(Gate::X(0)),
        (true, true) => c.push(Gate::Y(0)),
        (false, false) => {}
    }
    let (dx, dz) = t.row_bits(0, 0);
    let (sx, sz) = t.row_bits(1, 0);
    if sz && !sx {
        if dz {
            c.push(Gate::S(0));
        }
    } else if !sz && sx {
        if dx {
            c.push(Gate::Sdg(0));
        }
        c.push(Gate::H(0));
    } else {
        if !dz {
            c.push(Gate::S(0));
        }
        c.push(Gate::H(0));
        c.push(Gate::S(0));
    }
    debug_assert!(Tableau::from_circuit(&c) == *t, "qiskit_one_qubit");
    c
}

/// The Aaronson–Gottesman reduction of Qiskit's `synth_clifford_ag` for any n (Qiskit uses it
/// for n ≥ 2): reduce a copy of t to the identity by appending gates, then return the applied
/// gates reversed and inverted (Qiskit's `circuit.inverse()`: S ↔ S†, SWAP kept and written as
/// 3 CX). Also used for the random two-qubit padding gates of knob K6.
///
/// Each step reads a row once as packed masks: a CX on (q, i) or (i, q) changes only columns q
/// and i, so while a step walks the columns i > q of row X_q or Z_q, the bits it has yet to
/// visit are the ones gathered at the start of the step.
pub(crate) fn ag_reduction(t: &Tableau) -> Circuit {
    let n = t.n();
    let w = words_for(n);
    let mut r = Recorder::new(t.clone());
    let (mut xs, mut zs) = (vec![0u64; w], vec![0u64; w]);
    let bit = |m: &[u64], i: u32| (m[(i / 64) as usize] >> (i % 64)) & 1 == 1;
    let nonzero = |m: &[u64]| m.iter().any(|&v| v != 0);
    let swap = |r: &mut Recorder, a: u32, b: u32| {
        r.t.apply(&Gate::Swap(a, b));
        r.gates
            .extend([Gate::Cx(a, b), Gate::Cx(b, a), Gate::Cx(a, b)]);
    };
    for q in 0..n {
        // _set_qubit_x_true: an X at (q, q) of row X_q, with a SWAP and/or an H.
        if !r.t.row_bits(q, q).0 {
            r.t.row_masks(q, q, &mut xs, &mut zs);
            if let Some(i) = (q + 1..n).find(|&i| bit(&xs, i)) {
                swap(&mut r, i, q);
            } else if let Some(i) = (q..n).find(|&i| bit(&zs, i)) {
                r.g(Gate::H(i));
                if i != q {
                    swap(&mut r, i, q);
                }
            }
        }
        // _set_row_x_zero: the other X components of row X_q, then its Z components.
        r.t.row_masks(q, q + 1, &mut xs, &mut zs);
        r.cx_out(q, &xs);
        let z_q = r.t.row_bits(q, q).1;
        if z_q || nonzero(&zs) {
            if !z_q {
                r.g(Gate::S(q));
            }
            r.cx_in(&zs, q);
            r.g(Gate::S(q));
        }
        // _set_row_z_zero: row Z_q, the other Z components, then the X components.
        r.t.row_masks(n + q, q + 1, &mut xs, &mut zs);
        r.cx_in(&zs, q);
        if r.t.row_bits(n + q, q).0 || nonzero(&xs) {
            r.g(Gate::H(q));
            r.cx_out(q, &xs);
            if r.t.row_bits(n + q, q).1 {
                r.g(Gate::S(q));
            }
            r.g(Gate::H(q));
        }
    }
    for q in 0..n {
        if r.t.row_sign(q) {
            r.g(Gate::Z(q));
        }
        if r.t.row_sign(n + q) {
            r.g(Gate::X(q));
        }
    }
    debug_assert!(r.t.is_identity(), "reduction did not reach the identity");
    let mut gates = r.gates;
    gates.reverse();
    for g in &mut gates {
        *g = match *g {
            Gate::S(q) => Gate::Sdg(q),
            Gate::Sdg(q) => Gate::S(q),
            other => other,
        };
    }
    Circuit { n, gates }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::circuit::random::random_clifford;
    use crate::rng::from_seed;

    #[test]
    fn every_method_implements_the_tableau() {
        let mut rng = from_seed(5);
        for n in [0u32, 1, 2, 3, 7, 63, 64, 65, 100, 130] {
            for _ in 0..3 {
                let t = random_clifford(n, &mut rng);
                for m in Method::ALL {
                    let c = synthesize(&t, m);
                    assert_eq!(c.n, n);
                    assert_eq!(Tableau::from_circuit(&c), t, "n={n} {m:?}");
                }
            }
        }
    }

    #[test]
    fn unsigned_inverse_is_the_inverse_up_to_signs() {
        let mut rng = from_seed(8);
        for n in [1u32, 5, 64, 70, 129] {
            let t = random_clifford(n, &mut rng);
            let inv = t.inverse();
            let got = t.symplectic_inverse_unsigned();
            for r in 0..2 * n {
                assert!(!got.row_sign(r));
                for k in 0..n {
                    assert_eq!(got.row_bits(r, k), inv.row_bits(r, k), "n={n} r={r} k={k}");
                }
            }
        }
    }
}
