//! Random Clifford circuits of a given size (protocol.md §12, knobs K4–K6).
//!
//! * [`random_clifford`]: uniform over the n-qubit Clifford group including signs, with the
//!   Bravyi–Maslov canonical form (arXiv:2003.09412) as in Qiskit's `random_clifford`, but
//!   with the quantum-Mallows draw done exactly in integers (no floating point, so native and
//!   wasm agree bit for bit).
//! * [`synthesize_elimination`]: Aaronson–Gottesman style tableau reduction (the procedure of
//!   Qiskit's `synth_clifford_ag`), SWAP flattened to 3 CX.
//! * [`synthesize_greedy`]: a greedy variant of the reduction in the spirit of Bravyi, Hu,
//!   Maslov and Shaydulin (arXiv:2105.02291), see its docs for what differs.
//! * [`random_gates`], [`fit_to_size`], [`generate`]: the recipe of §12.
//!
//! All random draws use `u32`/`u64` ranges (never `usize`).

use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::{Circuit, Gate};
use crate::pauli::{transpose64, words_for};
use crate::rng::Rng;
use crate::tableau::Tableau;

/// Circuit generator (knob K4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CircuitGenerator {
    /// Uniform random Clifford, elimination synthesis (default).
    #[default]
    SynthesizedElimination,
    /// Uniform random Clifford, greedy synthesis.
    SynthesizedGreedy,
    /// s independent padding gates, no synthesis.
    RandomGates,
}

/// What the size s counts (knob K5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SizeCount {
    /// Every gate (default).
    #[default]
    AllGates,
    /// Two-qubit gates only: keep gates through the s-th two-qubit gate, or pad until there
    /// are s two-qubit gates.
    TwoQubitGates,
}

/// Padding gates (knob K6).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaddingGates {
    /// Uniform over {H, S, CX} on uniform qubits (default).
    #[default]
    HSCx,
    /// A uniform random two-qubit Clifford on a uniform ordered pair of distinct qubits,
    /// synthesized by elimination (a uniform one-qubit Clifford when n = 1). Its gates are
    /// appended one by one and the result is cut at exactly s.
    RandomTwoQubitClifford,
}

/// Options of [`generate`]; the default is the paper's setting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct GeneratorOptions {
    pub generator: CircuitGenerator,
    pub size_count: SizeCount,
    pub padding: PaddingGates,
}

/// Random bits drawn 64 at a time.
struct Bits<'a> {
    rng: &'a mut Rng,
    buf: u64,
    left: u32,
}

impl<'a> Bits<'a> {
    fn new(rng: &'a mut Rng) -> Self {
        Bits {
            rng,
            buf: 0,
            left: 0,
        }
    }
    fn bit(&mut self) -> bool {
        if self.left == 0 {
            self.buf = self.rng.random::<u64>();
            self.left = 64;
        }
        let b = self.buf & 1 == 1;
        self.buf >>= 1;
        self.left -= 1;
        b
    }
    /// The next `m ≤ 64` bits at once, the first drawn in bit 0: exactly what `m` calls of
    /// [`Bits::bit`] return, with the same refills of the generator.
    fn take(&mut self, m: u32) -> u64 {
        let mask = |k: u32| if k >= 64 { u64::MAX } else { (1u64 << k) - 1 };
        if m <= self.left {
            let v = self.buf & mask(m);
            self.buf = self.buf.checked_shr(m).unwrap_or(0);
            self.left -= m;
            v
        } else {
            // left < m ≤ 64: the buffered bits, then the low bits of a fresh word.
            let (have, need) = (self.left, m - self.left);
            let fresh = self.rng.random::<u64>();
            let v = self.buf | ((fresh & mask(need)) << have);
            self.buf = fresh.checked_shr(need).unwrap_or(0);
            self.left = 64 - need;
            v
        }
    }
    /// Fills the first `count` bits of `out` (LSB first, word by word) from the stream.
    fn fill(&mut self, out: &mut [u64], count: usize) {
        for (i, word) in out.iter_mut().enumerate().take(count.div_ceil(64)) {
            *word = self.take((count - 64 * i).min(64) as u32);
        }
    }
}

/// Index k in `0..2m` with probability ∝ 2^-(k+1): the exact integer form of Qiskit's
/// `-ceil(log2(r + (1-r)·4^-m))` with r uniform in (0, 1).
fn mallows_index(m: u32, rng: &mut Rng) -> u32 {
    let total = 2 * m;
    loop {
        let mut k = 0;
        while k < total {
            let chunk = (total - k).min(64);
            let mut v = rng.random::<u64>();
            if chunk < 64 {
                v &= (1u64 << chunk) - 1;
            }
            if v != 0 {
                return k + v.trailing_zeros();
            }
            k += chunk;
        }
    }
}

/// A square bit matrix, row-major, `w` words per row.
#[derive(Clone)]
struct BitMat {
    n: usize,
    w: usize,
    d: Vec<u64>,
}

impl BitMat {
    fn zeros(n: usize) -> Self {
        let w = n.div_ceil(64);
        BitMat {
            n,
            w,
            d: vec![0; n * w],
        }
    }
    fn row(&self, i: usize) -> &[u64] {
        &self.d[i * self.w..(i + 1) * self.w]
    }
    /// self · other over GF(2): row i of the product is the XOR of the rows of `other` picked
    /// by the set bits of row i of `self`.
    fn mul(&self, other: &BitMat) -> BitMat {
        let w = self.w;
        let mut out = BitMat::zeros(self.n);
        for (out_row, row) in out.d.chunks_exact_mut(w).zip(self.d.chunks_exact(w)) {
            xor_selected_rows(out_row, &other.d, w, row);
        }
        out
    }
    /// The transpose, by 64×64 block transposes.
    fn transpose(&self) -> BitMat {
        let (n, w) = (self.n, self.w);
        let mut out = BitMat::zeros(n);
        for ib in 0..w {
            let ni = (n - ib * 64).min(64);
            for jb in 0..w {
                let nj = (n - jb * 64).min(64);
                let mut a = [0u64; 64];
                for (b, v) in a[..ni].iter_mut().enumerate() {
                    *v = self.d[(ib * 64 + b) * w + jb];
                }
                transpose64(&mut a);
                for (j, &v) in a[..nj].iter().enumerate() {
                    out.d[(jb * 64 + j) * w + ib] = v;
                }
            }
        }
        out
    }
    /// Inverse of a unit lower-triangular matrix: row i of the inverse is e_i plus the XOR of
    /// the inverse's rows k < i picked by the off-diagonal bits of row i (forward substitution).
    fn inverse_unit_lower(&self) -> BitMat {
        let w = self.w;
        let mut m = BitMat::zeros(self.n);
        let mut below = vec![0u64; w];
        for i in 0..self.n {
            let (done, rest) = m.d.split_at_mut(i * w);
            let row_i = &mut rest[..w];
            row_i[i / 64] |= 1 << (i % 64);
            // The bits k < i of row i pick rows of the inverse already computed.
            below.copy_from_slice(self.row(i));
            below[i / 64] &= (1u64 << (i % 64)) - 1;
            below[i / 64 + 1..].fill(0);
            xor_selected_rows(row_i, done, w, &below);
        }
        m
    }
}

/// `out ^= src[j]` for every set bit j of `select`, where `src[j]` is the row at
/// `j*stride..j*stride+out.len()` of `src`.
///
/// The row being accumulated is kept in registers, up to 8 words at a time (a fixed count the
/// compiler unrolls and vectorizes), instead of a load and a store per selected row.
fn xor_selected_rows(out: &mut [u64], src: &[u64], stride: usize, select: &[u64]) {
    let mut i0 = 0;
    while i0 < out.len() {
        let chunk = &mut out[i0..];
        match chunk.len() {
            1 => xor_rows_words::<1>(chunk, src, stride, i0, select),
            2 => xor_rows_words::<2>(chunk, src, stride, i0, select),
            3 => xor_rows_words::<3>(chunk, src, stride, i0, select),
            4 => xor_rows_words::<4>(chunk, src, stride, i0, select),
            5 => xor_rows_words::<5>(chunk, src, stride, i0, select),
            6 => xor_rows_words::<6>(chunk, src, stride, i0, select),
            7 => xor_rows_words::<7>(chunk, src, stride, i0, select),
            _ => xor_rows_words::<8>(chunk, src, stride, i0, select),
        }
        i0 += 8;
    }
}

/// Words `i0..i0+W` of [`xor_selected_rows`]; `out` starts at word i0.
#[inline(always)]
fn xor_rows_words<const W: usize>(
    out: &mut [u64],
    src: &[u64],
    stride: usize,
    i0: usize,
    select: &[u64],
) {
    let mut acc = [0u64; W];
    acc.copy_from_slice(&out[..W]);
    for_each_bit(select, |j| {
        let row = &src[j * stride + i0..j * stride + i0 + W];
        for (a, &v) in acc.iter_mut().zip(row) {
            *a ^= v;
        }
    });
    out[..W].copy_from_slice(&acc);
}

/// Calls `f(k)` for every set bit k of a packed bit vector, in increasing order.
#[inline]
fn for_each_bit(words: &[u64], mut f: impl FnMut(usize)) {
    for (wi, &word) in words.iter().enumerate() {
        let mut m = word;
        while m != 0 {
            f(wi * 64 + m.trailing_zeros() as usize);
            m &= m - 1;
        }
    }
}

/// Random symmetric matrix (random diagonal): the lower triangle row by row, bits `0..=i` of
/// row i in stream order, mirrored to the upper triangle.
fn random_gamma(n: usize, bits: &mut Bits) -> BitMat {
    let mut lower = BitMat::zeros(n);
    let w = lower.w;
    for (i, row) in lower.d.chunks_exact_mut(w).enumerate() {
        bits.fill(row, i + 1);
    }
    let mut g = lower.transpose();
    for (o, &v) in g.d.iter_mut().zip(&lower.d) {
        *o |= v;
    }
    g
}

/// Random unit lower-triangular matrix: bits `0..i` of row i in stream order, then the 1 on
/// the diagonal.
fn random_delta(n: usize, bits: &mut Bits) -> BitMat {
    let mut d = BitMat::zeros(n);
    let w = d.w;
    for (i, row) in d.d.chunks_exact_mut(w).enumerate() {
        bits.fill(row, i);
        row[i / 64] |= 1 << (i % 64);
    }
    d
}

/// A uniformly random n-qubit Clifford, Pauli signs included.
pub fn random_clifford(n: u32, rng: &mut Rng) -> Tableau {
    let nn = n as usize;
    if nn == 0 {
        return Tableau::identity(0);
    }
    // Quantum Mallows: Hadamard layer and permutation.
    let mut had = vec![false; nn];
    let mut perm = vec![0usize; nn];
    let mut inds: Vec<usize> = (0..nn).collect();
    for i in 0..nn {
        let m = n - i as u32;
        let index = mallows_index(m, rng);
        had[i] = index < m;
        let k = if index < m { index } else { 2 * m - index - 1 };
        perm[i] = inds.remove(k as usize);
    }
    let mut bits = Bits::new(rng);
    let gamma1 = random_gamma(nn, &mut bits);
    let gamma2 = random_gamma(nn, &mut bits);
    let delta1 = random_delta(nn, &mut bits);
    let delta2 = random_delta(nn, &mut bits);
    let prod2 = gamma2.mul(&delta2);
    let inv1 = delta1.inverse_unit_lower().transpose();
    let inv2 = delta2.inverse_unit_lower().transpose();

    // 2n×2n tables, each row = (x words | z words), w words each.
    let w = words_for(n);
    let rw = 2 * w;
    // table2 = [[Δ2, 0], [Γ2Δ2, Δ2^-T]].
    let mut table2 = vec![0u64; 2 * nn * rw];
    for i in 0..nn {
        table2[i * rw..i * rw + w].copy_from_slice(delta2.row(i));
        let r = (nn + i) * rw;
        table2[r..r + w].copy_from_slice(prod2.row(i));
        table2[r + w..r + rw].copy_from_slice(inv2.row(i));
    }
    // Permute qubits, then the Hadamard layer (swap rows i and n+i).
    let mut table = vec![0u64; 2 * nn * rw];
    for (i, &pi) in perm.iter().enumerate() {
        for (dst, src) in [(i, pi), (nn + i, nn + pi)] {
            table[dst * rw..(dst + 1) * rw].copy_from_slice(&table2[src * rw..(src + 1) * rw]);
        }
    }
    for (i, &hi) in had.iter().enumerate() {
        if hi {
            for t in 0..rw {
                table.swap(i * rw + t, (nn + i) * rw + t);
            }
        }
    }
    // final = table1 · table with table1 = [[Δ1, 0], [Γ1Δ1, Δ1^-T]]: the top rows are
    // Δ1 · T_top, and the bottom ones Γ1 · (Δ1 · T_top) + Δ1^-T · T_bottom, which reuses the
    // top rows instead of forming Γ1Δ1 (the same matrix over GF(2), so the same bits).
    let mut prod = vec![0u64; 2 * nn * rw];
    let (top, bottom) = prod.split_at_mut(nn * rw);
    for (i, out) in top.chunks_exact_mut(rw).enumerate() {
        xor_selected_rows(out, &table, rw, delta1.row(i));
    }
    for (i, out) in bottom.chunks_exact_mut(rw).enumerate() {
        xor_selected_rows(out, top, rw, gamma1.row(i));
        xor_selected_rows(out, &table[nn * rw..], rw, inv1.row(i));
    }
    let mut rx = Vec::with_capacity(2 * nn * w);
    let mut rz = Vec::with_capacity(2 * nn * w);
    for row in prod.chunks_exact(rw) {
        rx.extend_from_slice(&row[..w]);
        rz.extend_from_slice(&row[w..]);
    }
    let signs: Vec<bool> = (0..2 * nn).map(|_| bits.bit()).collect();
    Tableau::from_row_words(n, &rx, &rz, &signs)
}

/// Records gates applied (appended) to a working tableau.
struct Reducer {
    t: Tableau,
    /// The inverses of the applied gates, in the order applied (SWAP as 3 CX), so the
    /// synthesized circuit is this list reversed.
    inverses: Vec<Gate>,
    /// Scratch: the qubits of a CX run.
    run: Vec<u32>,
}

impl Reducer {
    fn new(t: &Tableau) -> Self {
        // The reduction of a random Clifford takes about n² + 4n gates.
        let n = t.n() as usize;
        Reducer {
            t: t.clone(),
            inverses: Vec::with_capacity(n * n + 8 * n),
            run: Vec::new(),
        }
    }
    fn g(&mut self, g: Gate) {
        self.t.apply(&g);
        match g {
            Gate::S(q) => self.inverses.push(Gate::Sdg(q)),
            Gate::Sdg(q) => self.inverses.push(Gate::S(q)),
            Gate::SqrtX(q) => self.inverses.push(Gate::SqrtXdg(q)),
            Gate::SqrtXdg(q) => self.inverses.push(Gate::SqrtX(q)),
            // CX(a,b)·CX(b,a)·CX(a,b) reads the same reversed.
            Gate::Swap(a, b) => {
                self.inverses
                    .extend([Gate::Cx(a, b), Gate::Cx(b, a), Gate::Cx(a, b)]);
            }
            other => self.inverses.push(other),
        }
    }
    /// CX(c, i) for every set bit i of `mask`, in increasing order.
    fn cx_out(&mut self, c: u32, mask: &[u64]) {
        self.run.clear();
        for_each_bit(mask, |i| self.run.push(i as u32));
        self.t.cx_fan_out(c, &self.run);
        self.inverses
            .extend(self.run.iter().map(|&i| Gate::Cx(c, i)));
    }
    /// CX(i, t) for every set bit i of `mask`, in increasing order.
    fn cx_in(&mut self, mask: &[u64], t: u32) {
        self.run.clear();
        for_each_bit(mask, |i| self.run.push(i as u32));
        self.t.cx_fan_in(&self.run, t);
        self.inverses
            .extend(self.run.iter().map(|&i| Gate::Cx(i, t)));
    }
    /// `(x, z)` of row X_q (`z_row = false`) or Z_q (`z_row = true`) at column k.
    fn bits(&self, q: u32, z_row: bool, k: u32) -> (bool, bool) {
        let r = if z_row { self.t.n() + q } else { q };
        self.t.row_bits(r, k)
    }
    /// Clears the signs, then returns the circuit implementing the original tableau: the
    /// recorded gates reversed and inverted, SWAP flattened to 3 CX.
    fn finish(mut self) -> Circuit {
        let n = self.t.n();
        for q in 0..n {
            if self.t.row_sign(q) {
                self.g(Gate::Z(q));
            }
            if self.t.row_sign(n + q) {
                self.g(Gate::X(q));
            }
        }
        debug_assert!(self.t.is_identity(), "reduction did not reach the identity");
        self.inverses.reverse();
        Circuit {
            n,
            gates: self.inverses,
        }
    }
}

/// Tableau-reduction synthesis (Aaronson–Gottesman, as Qiskit's `synth_clifford_ag`).
/// Gates in {H, S, S†, X, Y, Z, CX}; `Tableau::from_circuit(&result) == *t` exactly.
///
/// Each step reads a row once as packed masks instead of bit by bit: a CX on (q, i) or (i, q)
/// changes only columns q and i, so while a step walks the columns i > q of row X_q or Z_q,
/// the bits it has yet to visit are the ones gathered at the start of the step. The gate
/// sequence is exactly that of the bit-by-bit procedure.
pub fn synthesize_elimination(t: &Tableau) -> Circuit {
    let n = t.n();
    let w = words_for(n);
    let mut r = Reducer::new(t);
    let (mut xs, mut zs) = (vec![0u64; w], vec![0u64; w]);
    let bit = |m: &[u64], i: u32| (m[(i / 64) as usize] >> (i % 64)) & 1 == 1;
    let nonzero = |m: &[u64]| m.iter().any(|&v| v != 0);
    for q in 0..n {
        // 1. Put an X into position (q, q) of row X_q, with a SWAP and/or an H.
        if !r.bits(q, false, q).0 {
            r.t.row_masks(q, q, &mut xs, &mut zs);
            if let Some(i) = (q + 1..n).find(|&i| bit(&xs, i)) {
                r.g(Gate::Swap(i, q));
            } else if let Some(i) = (q..n).find(|&i| bit(&zs, i)) {
                r.g(Gate::H(i));
                if i != q {
                    r.g(Gate::Swap(i, q));
                }
            }
        }
        // 2. Clear the other X components of row X_q, then its Z components.
        r.t.row_masks(q, q + 1, &mut xs, &mut zs);
        r.cx_out(q, &xs);
        let z_q = r.bits(q, false, q).1;
        if z_q || nonzero(&zs) {
            if !z_q {
                r.g(Gate::S(q));
            }
            r.cx_in(&zs, q);
            r.g(Gate::S(q));
        }
        // 3. Row Z_q: clear the other Z components, then the X components.
        r.t.row_masks(n + q, q + 1, &mut xs, &mut zs);
        r.cx_in(&zs, q);
        if r.bits(q, true, q).0 || nonzero(&xs) {
            r.g(Gate::H(q));
            r.cx_out(q, &xs);
            if r.bits(q, true, q).1 {
                r.g(Gate::S(q));
            }
            r.g(Gate::H(q));
        }
    }
    r.finish()
}

/// Greedy synthesis: an honest greedy variant of Bravyi–Hu–Maslov–Shaydulin.
///
/// Like their algorithm, it decouples one qubit at a time and picks, among the qubits not yet
/// decoupled, the one that looks cheapest. Differences: the cost of qubit q is the total
/// weight of its two image rows (`U X_q U†`, `U Z_q U†`) instead of their exact CNOT-cost
/// classes, and the decoupling itself is the elimination step of [`synthesize_elimination`]
/// with column q as the pivot (so no SWAPs are ever needed). Ties go to the lowest index.
pub fn synthesize_greedy(t: &Tableau) -> Circuit {
    let n = t.n();
    let mut r = Reducer::new(t);
    let mut remaining: Vec<u32> = (0..n).collect();
    while !remaining.is_empty() {
        let cost = |q: u32| -> u32 {
            remaining
                .iter()
                .map(|&k| {
                    let (a, b) = r.bits(q, false, k);
                    let (c, d) = r.bits(q, true, k);
                    u32::from(a | b) + u32::from(c | d)
                })
                .sum()
        };
        let (pos, &q) = remaining
            .iter()
            .enumerate()
            .min_by_key(|&(_, &q)| cost(q))
            .expect("non-empty");
        remaining.remove(pos);
        let others: Vec<u32> = remaining.clone();
        // 1. Row X_q gets an X at column q.
        if !r.bits(q, false, q).0 {
            if let Some(&j) = others.iter().find(|&&j| r.bits(q, false, j).0) {
                r.g(Gate::Cx(j, q));
            } else if r.bits(q, false, q).1 {
                r.g(Gate::H(q));
            } else if let Some(&j) = others.iter().find(|&&j| r.bits(q, false, j).1) {
                r.g(Gate::H(j));
                r.g(Gate::Cx(j, q));
            }
        }
        // 2. Clear the rest of row X_q.
        for &j in &others {
            if r.bits(q, false, j).0 {
                r.g(Gate::Cx(q, j));
            }
        }
        let any_z = r.bits(q, false, q).1 || others.iter().any(|&j| r.bits(q, false, j).1);
        if any_z {
            if !r.bits(q, false, q).1 {
                r.g(Gate::S(q));
            }
            for &j in &others {
                if r.bits(q, false, j).1 {
                    r.g(Gate::Cx(j, q));
                }
            }
            r.g(Gate::S(q));
        }
        // 3. Row Z_q.
        for &j in &others {
            if r.bits(q, true, j).1 {
                r.g(Gate::Cx(j, q));
            }
        }
        let any_x = r.bits(q, true, q).0 || others.iter().any(|&j| r.bits(q, true, j).0);
        if any_x {
            r.g(Gate::H(q));
            for &j in &others {
                if r.bits(q, true, j).0 {
                    r.g(Gate::Cx(q, j));
                }
            }
            if r.bits(q, true, q).1 {
                r.g(Gate::S(q));
            }
            r.g(Gate::H(q));
        }
    }
    r.finish()
}

/// Appends one padding gate (or one synthesized random Clifford) to `out`. Needs n ≥ 1.
fn push_padding(n: u32, padding: PaddingGates, rng: &mut Rng, out: &mut Vec<Gate>) {
    match padding {
        PaddingGates::HSCx => {
            let kinds = if n >= 2 { 3 } else { 2 };
            match rng.random_range(0..kinds) {
                0u32 => out.push(Gate::H(rng.random_range(0..n))),
                1 => out.push(Gate::S(rng.random_range(0..n))),
                _ => {
                    let c = rng.random_range(0..n);
                    let mut t = rng.random_range(0..n - 1);
                    if t >= c {
                        t += 1;
                    }
                    out.push(Gate::Cx(c, t));
                }
            }
        }
        PaddingGates::RandomTwoQubitClifford => {
            if n >= 2 {
                let a = rng.random_range(0..n);
                let mut b = rng.random_range(0..n - 1);
                if b >= a {
                    b += 1;
                }
                let c = synthesize_elimination(&random_clifford(2, rng));
                out.extend(
                    c.gates
                        .iter()
                        .map(|g| g.map_qubits(|q| if q == 0 { a } else { b })),
                );
            } else {
                let c = synthesize_elimination(&random_clifford(1, rng));
                out.extend(c.gates);
            }
        }
    }
}

/// s independent gates uniform over {H, S, CX} on uniform qubits (CX on a uniform ordered
/// pair of distinct qubits; no CX when n = 1). Empty when n = 0.
pub fn random_gates(n: u32, s: u32, rng: &mut Rng) -> Circuit {
    let mut c = Circuit::new(n);
    if n == 0 {
        return c;
    }
    c.gates.reserve(s as usize);
    for _ in 0..s {
        push_padding(n, PaddingGates::HSCx, rng, &mut c.gates);
    }
    c
}

/// Index just after the k-th two-qubit gate (k ≥ 1), if there are that many.
fn cut_after_two_qubit(gates: &[Gate], k: u32) -> Option<usize> {
    if k == 0 {
        return Some(0);
    }
    let mut seen = 0;
    for (i, g) in gates.iter().enumerate() {
        if g.is_two_qubit() {
            seen += 1;
            if seen == k {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Truncates or pads `c` to size s (§12 step 5, K5, K6). Padding is impossible for n = 0,
/// and two-qubit padding for n = 1: then `c` is returned as it is.
pub fn fit_to_size(mut c: Circuit, s: u32, opts: &GeneratorOptions, rng: &mut Rng) -> Circuit {
    match opts.size_count {
        SizeCount::AllGates => {
            if c.n > 0 {
                while c.gates.len() < s as usize {
                    push_padding(c.n, opts.padding, rng, &mut c.gates);
                }
            }
            c.gates.truncate(s as usize);
        }
        SizeCount::TwoQubitGates => {
            if c.n >= 2 {
                loop {
                    if let Some(cut) = cut_after_two_qubit(&c.gates, s) {
                        c.gates.truncate(cut);
                        break;
                    }
                    push_padding(c.n, opts.padding, rng, &mut c.gates);
                }
            } else if let Some(cut) = cut_after_two_qubit(&c.gates, s) {
                c.gates.truncate(cut);
            }
        }
    }
    c
}

/// The full recipe of §12: sample, synthesize (or draw gates), fit to size s.
pub fn generate(n: u32, s: u32, opts: &GeneratorOptions, rng: &mut Rng) -> Circuit {
    let base = match opts.generator {
        CircuitGenerator::SynthesizedElimination => {
            synthesize_elimination(&random_clifford(n, rng))
        }
        CircuitGenerator::SynthesizedGreedy => synthesize_greedy(&random_clifford(n, rng)),
        CircuitGenerator::RandomGates => Circuit::new(n),
    };
    fit_to_size(base, s, opts, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::from_seed;

    #[test]
    fn synthesis_roundtrips() {
        let mut rng = from_seed(5);
        for n in [1u32, 2, 3, 7, 64, 65, 100] {
            for _ in 0..3 {
                let t = random_clifford(n, &mut rng);
                // symplectic check
                let xs: Vec<_> = (0..n).map(|q| t.x_output(q)).collect();
                let zs: Vec<_> = (0..n).map(|q| t.z_output(q)).collect();
                Tableau::from_outputs(&xs, &zs).expect("valid tableau");
                assert_eq!(
                    Tableau::from_circuit(&synthesize_elimination(&t)),
                    t,
                    "n={n}"
                );
                assert_eq!(Tableau::from_circuit(&synthesize_greedy(&t)), t, "n={n}");
            }
        }
    }

    #[test]
    fn fit_sizes() {
        let mut rng = from_seed(9);
        let opts = GeneratorOptions::default();
        assert_eq!(generate(5, 25, &opts, &mut rng).len(), 25);
        assert_eq!(generate(5, 400, &opts, &mut rng).len(), 400);
        let two = GeneratorOptions {
            size_count: SizeCount::TwoQubitGates,
            padding: PaddingGates::RandomTwoQubitClifford,
            generator: CircuitGenerator::RandomGates,
        };
        let c = generate(4, 30, &two, &mut rng);
        assert_eq!(c.counts().two_qubit, 30);
        assert!(c.gates.last().unwrap().is_two_qubit());
        assert_eq!(random_gates(1, 10, &mut rng).counts().two_qubit, 0);
    }
}
