//! Random Clifford circuits of a given size (protocol.md §12, knobs K4–K6).
//!
//! * [`random_clifford`]: uniform over the n-qubit Clifford group including signs, with the
//!   Bravyi–Maslov canonical form (arXiv:2003.09412) as in Qiskit's `random_clifford`, but
//!   with the quantum-Mallows draw done exactly in integers (no floating point, so native and
//!   wasm agree bit for bit).
//! * [`random_gates`], [`fit_to_size`], [`generate`]: the recipe of §12; the synthesis step is
//!   [`super::synthesis`] (Stim's or Qiskit's methods, gate for gate).
//!
//! All random draws use `u32`/`u64` ranges (never `usize`).

use rand::RngExt;
use serde::{Deserialize, Serialize};

use super::synthesis::{ag_reduction, for_each_bit, synthesize, Method};
use super::{Circuit, Gate};
use crate::pauli::{transpose64, words_for};
use crate::rng::Rng;
use crate::tableau::Tableau;

/// Circuit generator (knob K4, protocol.md §12).
///
/// The identifiers of earlier versions are accepted as aliases when reading (CLI flags, URL
/// hash, JSON): `synthesized_elimination` is [`CircuitGenerator::QiskitAg`] (what it
/// implemented) and `synthesized_greedy` is [`CircuitGenerator::QiskitGreedy`]; readers report
/// them with [`CircuitGenerator::renamed`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CircuitGenerator {
    /// Uniform random Clifford, Stim's `Tableau.to_circuit("elimination")` (default).
    #[default]
    StimElimination,
    /// Uniform random Clifford, Qiskit's `synth_clifford_greedy`.
    #[serde(alias = "synthesized_greedy")]
    QiskitGreedy,
    /// Uniform random Clifford, Qiskit's `synth_clifford_ag`.
    #[serde(alias = "synthesized_elimination")]
    QiskitAg,
    /// s independent padding gates, no synthesis.
    RandomGates,
}

impl CircuitGenerator {
    /// Former identifiers still accepted, with the current ones: `(old, new)`.
    pub const RENAMED: [(&'static str, &'static str); 2] = [
        ("synthesized_elimination", "qiskit_ag"),
        ("synthesized_greedy", "qiskit_greedy"),
    ];

    /// The current identifier if `value` is a former one.
    pub fn renamed(value: &str) -> Option<&'static str> {
        Self::RENAMED
            .iter()
            .find(|(old, _)| *old == value)
            .map(|(_, new)| *new)
    }

    /// The synthesis method, or `None` for [`CircuitGenerator::RandomGates`].
    pub fn synthesis(self) -> Option<Method> {
        match self {
            CircuitGenerator::StimElimination => Some(Method::StimElimination),
            CircuitGenerator::QiskitGreedy => Some(Method::QiskitGreedy),
            CircuitGenerator::QiskitAg => Some(Method::QiskitAg),
            CircuitGenerator::RandomGates => None,
        }
    }
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
    /// synthesized by the Aaronson–Gottesman reduction of Qiskit's `synth_clifford_ag` (a
    /// uniform one-qubit Clifford, same reduction, when n = 1). Its gates are
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
                let c = ag_reduction(&random_clifford(2, rng));
                out.extend(
                    c.gates
                        .iter()
                        .map(|g| g.map_qubits(|q| if q == 0 { a } else { b })),
                );
            } else {
                let c = ag_reduction(&random_clifford(1, rng));
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
    let base = match opts.generator.synthesis() {
        Some(method) => synthesize(&random_clifford(n, rng), method),
        None => Circuit::new(n),
    };
    fit_to_size(base, s, opts, rng)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::from_seed;

    #[test]
    fn random_cliffords_are_valid_tableaux() {
        let mut rng = from_seed(5);
        for n in [1u32, 2, 3, 7, 64, 65, 100] {
            for _ in 0..3 {
                let t = random_clifford(n, &mut rng);
                let xs: Vec<_> = (0..n).map(|q| t.x_output(q)).collect();
                let zs: Vec<_> = (0..n).map(|q| t.z_output(q)).collect();
                Tableau::from_outputs(&xs, &zs).expect("valid tableau");
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
