//! Clifford tableaus: an n-qubit Clifford U stored as the images `U X_q U†` and `U Z_q U†`.
//!
//! # Layout
//!
//! The 2n image strings are the *rows* (row `q` = image of `X_q`, row `n+q` = image of `Z_q`);
//! each row is a signed, Hermitian Pauli string in Stim's Y convention (see [`crate::pauli`]).
//! The primary storage is **column-major**: for every output qubit k there is one packed
//! bit vector over all 2n rows for the x components and one for the z components, plus one
//! packed vector of row signs. Appending a gate on qubits a, b (`U := G·U`) therefore touches
//! only the columns a and b: `2·ceil(n/64)` words each, word-parallel across rows.
//!
//! Within a column, the X-image rows occupy words `0..w` and the Z-image rows `w..2w`, where
//! `w = ceil(n/64)`; padding bits are zero.
//!
//! A row-major copy (the image strings themselves) is built lazily on first use by
//! [`Tableau::conjugate`] / [`Tableau::conjugate_frame`] and dropped when a gate is applied.
//! `conjugate_inverse_frame` works straight from the columns (it needs `⟨P, U Z_j U†⟩`, a
//! XOR of column slices over the support of P).

use std::fmt;
use std::sync::OnceLock;

use crate::circuit::{Circuit, Gate};
use crate::pauli::{mul_log_i, transpose64, words_for, PauliString};

/// Word-level gate rules on `(x, z, sign)` of one qubit across 64 rows at a time.
/// Shared by the tableau (columns) and the stabilizer simulator (rows, one bit at a time).
pub(crate) mod rules {
    /// `(x, z, sign)` words of one qubit.
    pub type One = (u64, u64, u64);
    /// `(xa, za, xb, zb, sign)` words of two qubits.
    pub type Two = (u64, u64, u64, u64, u64);
    #[inline(always)]
    pub fn h(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (z, x, s ^ (x & z))
    }
    #[inline(always)]
    pub fn s(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (x, z ^ x, s ^ (x & z))
    }
    #[inline(always)]
    pub fn sdg(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (x, z ^ x, s ^ (x & !z))
    }
    #[inline(always)]
    pub fn px(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (x, z, s ^ z)
    }
    #[inline(always)]
    pub fn py(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (x, z, s ^ x ^ z)
    }
    #[inline(always)]
    pub fn pz(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (x, z, s ^ x)
    }
    #[inline(always)]
    pub fn sqrt_x(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (x ^ z, z, s ^ (z & !x))
    }
    #[inline(always)]
    pub fn sqrt_x_dg(x: u64, z: u64, s: u64) -> (u64, u64, u64) {
        (x ^ z, z, s ^ (z & x))
    }
    /// CX with control a, target b: `(xa, za, xb, zb, s)`.
    #[inline(always)]
    pub fn cx(xa: u64, za: u64, xb: u64, zb: u64, s: u64) -> (u64, u64, u64, u64, u64) {
        let s = s ^ (xa & zb & !(xb ^ za));
        (xa, za ^ zb, xb ^ xa, zb, s)
    }
    #[inline(always)]
    pub fn cz(xa: u64, za: u64, xb: u64, zb: u64, s: u64) -> (u64, u64, u64, u64, u64) {
        let s = s ^ (xa & xb & (za ^ zb));
        (xa, za ^ xb, xb, zb ^ xa, s)
    }
    /// CY = S_b · CX · S_b† (S† first in time).
    #[inline(always)]
    pub fn cy(xa: u64, za: u64, xb: u64, zb: u64, s: u64) -> (u64, u64, u64, u64, u64) {
        let (xb, zb, s) = sdg(xb, zb, s);
        let (xa, za, xb, zb, s) = cx(xa, za, xb, zb, s);
        let (xb, zb, s) = self::s(xb, zb, s);
        (xa, za, xb, zb, s)
    }

    /// Applies a gate to words: `a` = (x, z) of the first qubit, `b` of the second (ignored
    /// for one-qubit gates).
    #[inline(always)]
    pub fn apply(
        g: &crate::circuit::Gate,
        a: (u64, u64),
        b: (u64, u64),
        s: u64,
    ) -> ((u64, u64), (u64, u64), u64) {
        use crate::circuit::Gate;
        let one = |f: fn(u64, u64, u64) -> One| {
            let (x, z, s) = f(a.0, a.1, s);
            ((x, z), b, s)
        };
        let two = |f: fn(u64, u64, u64, u64, u64) -> Two| {
            let (xa, za, xb, zb, s) = f(a.0, a.1, b.0, b.1, s);
            ((xa, za), (xb, zb), s)
        };
        match g {
            Gate::H(_) => one(h),
            Gate::S(_) => one(self::s),
            Gate::Sdg(_) => one(sdg),
            Gate::X(_) => one(px),
            Gate::Y(_) => one(py),
            Gate::Z(_) => one(pz),
            Gate::SqrtX(_) => one(sqrt_x),
            Gate::SqrtXdg(_) => one(sqrt_x_dg),
            Gate::Cx(..) => two(cx),
            Gate::Cy(..) => two(cy),
            Gate::Cz(..) => two(cz),
            Gate::Swap(..) => (b, a, s),
        }
    }
}

/// The inner loop of [`Tableau::cx_fan_out`] on words `i0..i0+W` of the columns (`w2` words
/// each): column c's words are `xa`, `za`, the signs `s`. The tables come in as separate
/// slices so the compiler knows the stores to `cx` never touch `cz` and can vectorize.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn fan_out_kernel<const W: usize>(
    cx: &mut [u64],
    cz: &[u64],
    xa: &[u64; W],
    za: &mut [u64; W],
    s: &mut [u64; W],
    targets: &[u32],
    w2: usize,
    i0: usize,
) {
    for &t in targets {
        let j = t as usize * w2 + i0;
        let xb = &mut cx[j..j + W];
        let zb = &cz[j..j + W];
        // rules::cx written out on the words that change.
        for i in 0..W {
            let (x, z) = (xb[i], zb[i]);
            s[i] ^= xa[i] & z & !(x ^ za[i]);
            za[i] ^= z;
            xb[i] = x ^ xa[i];
        }
    }
}

/// The inner loop of [`Tableau::cx_fan_in`], like [`fan_out_kernel`]: column t's words are
/// `xb`, `zb`.
#[allow(clippy::too_many_arguments)]
#[inline(always)]
fn fan_in_kernel<const W: usize>(
    cx: &[u64],
    cz: &mut [u64],
    xb: &mut [u64; W],
    zb: &[u64; W],
    s: &mut [u64; W],
    controls: &[u32],
    w2: usize,
    i0: usize,
) {
    for &c in controls {
        let j = c as usize * w2 + i0;
        let xa = &cx[j..j + W];
        let za = &mut cz[j..j + W];
        for i in 0..W {
            let (x, z) = (xa[i], za[i]);
            s[i] ^= x & zb[i] & !(xb[i] ^ z);
            za[i] = z ^ zb[i];
            xb[i] ^= x;
        }
    }
}

/// Columns a ≠ b (of `w2` words each) of a column-major table as two disjoint mutable
/// slices, so the word loop of a two-qubit gate runs over zipped slices (no bounds checks, no
/// aliasing). Shared with the observable columns of [`crate::sim::signatures`].
#[inline(always)]
pub(crate) fn two_columns(
    v: &mut [u64],
    a: usize,
    b: usize,
    w2: usize,
) -> (&mut [u64], &mut [u64]) {
    if a < b {
        let (lo, hi) = v.split_at_mut(b * w2);
        (&mut lo[a * w2..(a + 1) * w2], &mut hi[..w2])
    } else {
        let (lo, hi) = v.split_at_mut(a * w2);
        (&mut hi[..w2], &mut lo[b * w2..(b + 1) * w2])
    }
}

/// Row-major copy of the image strings: row r at words `r*w..(r+1)*w`.
#[derive(Clone, Debug)]
struct Rows {
    x: Vec<u64>,
    z: Vec<u64>,
}

/// An n-qubit Clifford unitary (up to global phase) with the signs of its Pauli images.
#[derive(Clone)]
pub struct Tableau {
    n: u32,
    /// Words per half column, `ceil(n/64)`.
    w: usize,
    /// x components, column-major, `2w` words per output qubit.
    cx: Vec<u64>,
    /// z components, column-major.
    cz: Vec<u64>,
    /// Row signs (1 = `-`), `2w` words laid out like a column.
    signs: Vec<u64>,
    rows: OnceLock<Rows>,
}

/// Error building a tableau from image strings.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid tableau: {0}")]
pub struct TableauError(pub String);

impl PartialEq for Tableau {
    fn eq(&self, other: &Self) -> bool {
        self.n == other.n && self.cx == other.cx && self.cz == other.cz && self.signs == other.signs
    }
}

impl Eq for Tableau {}

impl fmt::Debug for Tableau {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Tableau(n={}) {{", self.n)?;
        for q in 0..self.n {
            writeln!(f, "  X{q} -> {}", self.x_output(q))?;
        }
        for q in 0..self.n {
            writeln!(f, "  Z{q} -> {}", self.z_output(q))?;
        }
        write!(f, "}}")
    }
}

impl Tableau {
    /// All-zero columns and signs (not yet a valid Clifford): the common start of the
    /// constructors, which then fill in the images.
    fn zeroed(n: u32) -> Tableau {
        let w = words_for(n);
        let w2 = 2 * w;
        Tableau {
            n,
            w,
            cx: vec![0; n as usize * w2],
            cz: vec![0; n as usize * w2],
            signs: vec![0; w2],
            rows: OnceLock::new(),
        }
    }

    pub fn identity(n: u32) -> Self {
        let mut t = Tableau::zeroed(n);
        let (w, w2) = (t.w, 2 * t.w);
        for q in 0..n as usize {
            t.cx[q * w2 + q / 64] |= 1 << (q % 64);
            t.cz[q * w2 + w + q / 64] |= 1 << (q % 64);
        }
        t
    }

    pub fn n(&self) -> u32 {
        self.n
    }

    /// Word index (within a column) and bit of row `r` (0..2n).
    #[inline]
    fn row_pos(&self, r: u32) -> (usize, u32) {
        let (half, q) = if r < self.n {
            (0, r)
        } else {
            (self.w, r - self.n)
        };
        (half + (q / 64) as usize, q % 64)
    }

    /// `(x, z)` component at output qubit `k` of row `r` (row q = image of X_q, n+q = of Z_q).
    #[inline]
    pub fn row_bits(&self, r: u32, k: u32) -> (bool, bool) {
        let (wi, b) = self.row_pos(r);
        let idx = k as usize * 2 * self.w + wi;
        ((self.cx[idx] >> b) & 1 == 1, (self.cz[idx] >> b) & 1 == 1)
    }

    /// The x and z words of output qubit `k`'s column: bit q of word q/64 is row X_q's
    /// component on k, then the next `ceil(n/64)` words hold rows Z_q (sign-free bulk access).
    pub fn column(&self, k: u32) -> (&[u64], &[u64]) {
        let s = k as usize * 2 * self.w;
        (&self.cx[s..s + 2 * self.w], &self.cz[s..s + 2 * self.w])
    }

    /// True if row `r` has sign `-`.
    #[inline]
    pub fn row_sign(&self, r: u32) -> bool {
        let (wi, b) = self.row_pos(r);
        (self.signs[wi] >> b) & 1 == 1
    }

    /// Row `r` at output qubits `from..n` as packed bits (bit k%64 of word k/64, zero below
    /// `from`): x components into `xs`, z components into `zs`. One strided pass over the
    /// columns, for the tableau-reduction synthesis, which scans whole rows at every step.
    pub(crate) fn row_masks(&self, r: u32, from: u32, xs: &mut [u64], zs: &mut [u64]) {
        let (wi, b) = self.row_pos(r);
        let (n, w2) = (self.n as usize, 2 * self.w);
        for (kw, (xw, zw)) in xs[..self.w].iter_mut().zip(&mut zs[..self.w]).enumerate() {
            let (mut x, mut z) = (0u64, 0u64);
            for k in (from as usize).max(kw * 64)..n.min(kw * 64 + 64) {
                let idx = k * w2 + wi;
                x |= ((self.cx[idx] >> b) & 1) << (k % 64);
                z |= ((self.cz[idx] >> b) & 1) << (k % 64);
            }
            (*xw, *zw) = (x, z);
        }
    }

    fn rows(&self) -> &Rows {
        self.rows.get_or_init(|| {
            let (n, w) = (self.n as usize, self.w);
            let mut x = vec![0u64; 2 * n * w];
            let mut z = vec![0u64; 2 * n * w];
            for (cols, rows) in [(&self.cx, &mut x), (&self.cz, &mut z)] {
                self.for_each_block(|row0, nr, k0, nk, cw| {
                    let mut a = [0u64; 64];
                    for (j, v) in a[..nk].iter_mut().enumerate() {
                        *v = cols[(k0 + j) * 2 * w + cw];
                    }
                    transpose64(&mut a);
                    for (b, &v) in a[..nr].iter().enumerate() {
                        rows[(row0 + b) * w + k0 / 64] = v;
                    }
                });
            }
            Rows { x, z }
        })
    }

    /// Calls `f(row0, nr, k0, nk, cw)` for every 64×64 block of the table: rows
    /// `row0..row0+nr` (inside one half) × output qubits `k0..k0+nk`, which sit at word `cw`
    /// of each column and at word `k0/64` of each row. The row/column layout conversions are
    /// block transposes over these.
    fn for_each_block(&self, mut f: impl FnMut(usize, usize, usize, usize, usize)) {
        let (n, w) = (self.n as usize, self.w);
        for half in 0..2 {
            for rw in 0..w {
                let nr = (n - rw * 64).min(64);
                for kw in 0..w {
                    let nk = (n - kw * 64).min(64);
                    f(half * n + rw * 64, nr, kw * 64, nk, half * w + rw);
                }
            }
        }
    }

    fn row_string(&self, r: u32) -> PauliString {
        let rows = self.rows();
        let w = self.w;
        let s = r as usize * w;
        let phase = if self.row_sign(r) { 2 } else { 0 };
        PauliString::from_words(
            self.n,
            rows.x[s..s + w].to_vec(),
            rows.z[s..s + w].to_vec(),
            phase,
        )
    }

    /// `U X_q U†`.
    pub fn x_output(&self, q: u32) -> PauliString {
        assert!(q < self.n, "qubit {q} out of range");
        self.row_string(q)
    }

    /// `U Z_q U†`.
    pub fn z_output(&self, q: u32) -> PauliString {
        assert!(q < self.n, "qubit {q} out of range");
        self.row_string(self.n + q)
    }

    /// Builds a tableau from the images of `X_q` and `Z_q`, checking that they are Hermitian,
    /// of the right length and satisfy the Pauli commutation relations.
    pub fn from_outputs(
        x_outputs: &[PauliString],
        z_outputs: &[PauliString],
    ) -> Result<Tableau, TableauError> {
        let n =
            u32::try_from(x_outputs.len()).map_err(|_| TableauError("too many qubits".into()))?;
        if z_outputs.len() != x_outputs.len() {
            return Err(TableauError(format!(
                "{} X images but {} Z images",
                x_outputs.len(),
                z_outputs.len()
            )));
        }
        let all: Vec<&PauliString> = x_outputs.iter().chain(z_outputs).collect();
        for (r, p) in all.iter().enumerate() {
            if p.n() != n {
                return Err(TableauError(format!(
                    "row {r} has {} qubits, not {n}",
                    p.n()
                )));
            }
            if !p.is_hermitian() {
                return Err(TableauError(format!("row {r} ({p}) is not Hermitian")));
            }
        }
        let nn = n as usize;
        for i in 0..2 * nn {
            for j in i + 1..2 * nn {
                let should_anticommute = j == i + nn;
                if all[i].commutes(all[j]) == should_anticommute {
                    return Err(TableauError(format!(
                        "rows {i} and {j} break the commutation relations"
                    )));
                }
            }
        }
        Ok(Self::from_outputs_unchecked(x_outputs, z_outputs))
    }

    /// Like [`Tableau::from_outputs`] without the checks (caller guarantees validity).
    pub(crate) fn from_outputs_unchecked(
        x_outputs: &[PauliString],
        z_outputs: &[PauliString],
    ) -> Tableau {
        let n = x_outputs.len() as u32;
        let w = words_for(n);
        let mut rx = Vec::with_capacity(2 * n as usize * w);
        let mut rz = Vec::with_capacity(2 * n as usize * w);
        let mut signs = Vec::with_capacity(2 * n as usize);
        for p in x_outputs.iter().chain(z_outputs) {
            rx.extend_from_slice(p.xs());
            rz.extend_from_slice(p.zs());
            signs.push(p.is_negative());
        }
        Self::from_row_words(n, &rx, &rz, &signs)
    }

    /// Builds from row-major words (row r at `r*w..`, `w = ceil(n/64)`) and row signs.
    pub(crate) fn from_row_words(n: u32, rx: &[u64], rz: &[u64], signs: &[bool]) -> Tableau {
        let mut t = Tableau::zeroed(n);
        let w = t.w;
        let mut cx = std::mem::take(&mut t.cx);
        let mut cz = std::mem::take(&mut t.cz);
        for (rows, cols) in [(rx, &mut cx), (rz, &mut cz)] {
            t.for_each_block(|row0, nr, k0, nk, cw| {
                let mut a = [0u64; 64];
                for (b, v) in a[..nr].iter_mut().enumerate() {
                    *v = rows[(row0 + b) * w + k0 / 64];
                }
                transpose64(&mut a);
                for (j, &v) in a[..nk].iter().enumerate() {
                    cols[(k0 + j) * 2 * w + cw] = v;
                }
            });
        }
        t.cx = cx;
        t.cz = cz;
        for r in 0..2 * n {
            if signs[r as usize] {
                let (wi, b) = t.row_pos(r);
                t.signs[wi] |= 1 << b;
            }
        }
        t
    }

    /// `U := G·U`: the gate is applied after everything so far.
    pub fn apply(&mut self, g: &Gate) {
        self.rows.take();
        let (a, b) = g.qubits();
        assert!(a < self.n, "gate {g:?} out of range for {} qubits", self.n);
        if let Some(b) = b {
            assert!(b < self.n && b != a, "invalid two-qubit gate {g:?}");
        }
        // The match is outside the word loops so each loop is monomorphized and inlined.
        match *g {
            Gate::H(a) => self.map1(a, rules::h),
            Gate::S(a) => self.map1(a, rules::s),
            Gate::Sdg(a) => self.map1(a, rules::sdg),
            Gate::X(a) => self.map1(a, rules::px),
            Gate::Y(a) => self.map1(a, rules::py),
            Gate::Z(a) => self.map1(a, rules::pz),
            Gate::SqrtX(a) => self.map1(a, rules::sqrt_x),
            Gate::SqrtXdg(a) => self.map1(a, rules::sqrt_x_dg),
            Gate::Cx(a, b) => self.map2(a, b, rules::cx),
            Gate::Cy(a, b) => self.map2(a, b, rules::cy),
            Gate::Cz(a, b) => self.map2(a, b, rules::cz),
            Gate::Swap(a, b) => self.map2(a, b, |xa, za, xb, zb, s| (xb, zb, xa, za, s)),
        }
    }

    /// H (`h = true`) or S (`h = false`) on every qubit q of the packed mask `qubits`, in
    /// increasing order (`U := G_q·U` each): the same as [`Self::apply`] gate by gate, with the
    /// checks and the row-copy reset done once for the run (syntheses apply thousands).
    pub(crate) fn h_or_s_each(&mut self, h: bool, qubits: &[u64]) {
        self.rows.take();
        let n = self.n as usize;
        for (wi, &word) in qubits.iter().enumerate() {
            let mut m = word;
            while m != 0 {
                let q = wi * 64 + m.trailing_zeros() as usize;
                m &= m - 1;
                assert!(q < n, "qubit {q} out of range for {n} qubits");
                if h {
                    self.map1(q as u32, rules::h);
                } else {
                    self.map1(q as u32, rules::s);
                }
            }
        }
    }

    /// Applies a one-qubit rule to column a. Columns hold `2w` words, an even number, so the
    /// loop takes two words per step (half the loop overhead for the usual w = 1 or 2).
    #[inline(always)]
    fn map1(&mut self, a: u32, f: impl Fn(u64, u64, u64) -> rules::One) {
        let w2 = 2 * self.w;
        let ca = a as usize * w2;
        let xs = self.cx[ca..ca + w2].chunks_exact_mut(2);
        let zs = self.cz[ca..ca + w2].chunks_exact_mut(2);
        for ((x, z), s) in xs.zip(zs).zip(self.signs.chunks_exact_mut(2)) {
            for i in 0..2 {
                (x[i], z[i], s[i]) = f(x[i], z[i], s[i]);
            }
        }
    }

    /// Applies a two-qubit rule to columns a and b, two words per step like [`Self::map1`].
    #[inline(always)]
    fn map2(&mut self, a: u32, b: u32, f: impl Fn(u64, u64, u64, u64, u64) -> rules::Two) {
        let w2 = 2 * self.w;
        let (a, b) = (a as usize, b as usize);
        let (xa, xb) = two_columns(&mut self.cx, a, b, w2);
        let (za, zb) = two_columns(&mut self.cz, a, b, w2);
        fn pairs(v: &mut [u64]) -> std::slice::ChunksExactMut<'_, u64> {
            v.chunks_exact_mut(2)
        }
        let words = pairs(xa).zip(pairs(za)).zip(pairs(xb).zip(pairs(zb)));
        for (((xa, za), (xb, zb)), s) in words.zip(pairs(&mut self.signs)) {
            for i in 0..2 {
                (xa[i], za[i], xb[i], zb[i], s[i]) = f(xa[i], za[i], xb[i], zb[i], s[i]);
            }
        }
    }

    /// Applies every gate of `c` in order.
    ///
    /// Runs of consecutive CX sharing their control (or their target) go through
    /// [`Self::cx_fan_out`] / [`Self::cx_fan_in`]: synthesized circuits are mostly such runs,
    /// and the shared column then stays in registers instead of making a store/load round trip
    /// per gate. The result is that of applying the gates one by one.
    pub fn apply_circuit(&mut self, c: &Circuit) {
        self.rows.take();
        let mut qubits = Vec::new();
        let mut rest = c.gates.as_slice();
        while let Some(g) = rest.first() {
            if let (Gate::Cx(a, b), Some(&Gate::Cx(a2, b2))) = (*g, rest.get(1)) {
                qubits.clear();
                if a == a2 {
                    for g in rest {
                        match *g {
                            Gate::Cx(c, t) if c == a => qubits.push(t),
                            _ => break,
                        }
                    }
                    self.cx_fan_out(a, &qubits);
                    rest = &rest[qubits.len()..];
                    continue;
                }
                if b == b2 {
                    for g in rest {
                        match *g {
                            Gate::Cx(c, t) if t == b => qubits.push(c),
                            _ => break,
                        }
                    }
                    self.cx_fan_in(&qubits, b);
                    rest = &rest[qubits.len()..];
                    continue;
                }
            }
            // H and S (most one-qubit gates of synthesized circuits) skip `apply`'s generic
            // dispatch; the row copy was dropped once above.
            match *g {
                Gate::H(q) | Gate::S(q) if q < self.n => {
                    if matches!(g, Gate::H(_)) {
                        self.map1(q, rules::h);
                    } else {
                        self.map1(q, rules::s);
                    }
                }
                _ => self.apply(g),
            }
            rest = &rest[1..];
        }
    }

    /// `CX(c, t)` for every t of `targets`, in order (`U := CX(c, t_k)···CX(c, t_1)·U`).
    ///
    /// A CX with control c leaves x_c alone and only XORs z_t into z_c, so x_c, z_c and the
    /// signs are carried in registers across the whole run (up to 8 words of a column at a
    /// time, a fixed count the compiler vectorizes) and each target costs two loads and one
    /// store per word instead of a round trip through memory of column c.
    pub(crate) fn cx_fan_out(&mut self, c: u32, targets: &[u32]) {
        self.check_fan(c, targets);
        self.rows.take();
        let w2 = 2 * self.w;
        let mut i0 = 0;
        while i0 < w2 {
            // w2 is even, so the chunks are 8 words and then 2, 4 or 6.
            match w2 - i0 {
                2 => self.fan_out_words::<2>(c, targets, i0),
                4 => self.fan_out_words::<4>(c, targets, i0),
                6 => self.fan_out_words::<6>(c, targets, i0),
                _ => self.fan_out_words::<8>(c, targets, i0),
            }
            i0 += (w2 - i0).min(8);
        }
    }

    /// Words `i0..i0+W` of every column of a [`Self::cx_fan_out`].
    #[inline(always)]
    fn fan_out_words<const W: usize>(&mut self, c: u32, targets: &[u32], i0: usize) {
        let w2 = 2 * self.w;
        let c0 = c as usize * w2 + i0;
        let mut xa = [0u64; W];
        let mut za = [0u64; W];
        let mut s = [0u64; W];
        xa.copy_from_slice(&self.cx[c0..c0 + W]);
        za.copy_from_slice(&self.cz[c0..c0 + W]);
        s.copy_from_slice(&self.signs[i0..i0 + W]);
        fan_out_kernel(
            &mut self.cx,
            &self.cz,
            &xa,
            &mut za,
            &mut s,
            targets,
            w2,
            i0,
        );
        self.cz[c0..c0 + W].copy_from_slice(&za);
        self.signs[i0..i0 + W].copy_from_slice(&s);
    }

    /// `CX(c, t)` for every c of `controls`, in order, all with target t: the mirror image of
    /// [`Self::cx_fan_out`] (z_t is unchanged, x_t accumulates the controls' x).
    pub(crate) fn cx_fan_in(&mut self, controls: &[u32], t: u32) {
        self.check_fan(t, controls);
        self.rows.take();
        let w2 = 2 * self.w;
        let mut i0 = 0;
        while i0 < w2 {
            match w2 - i0 {
                2 => self.fan_in_words::<2>(controls, t, i0),
                4 => self.fan_in_words::<4>(controls, t, i0),
                6 => self.fan_in_words::<6>(controls, t, i0),
                _ => self.fan_in_words::<8>(controls, t, i0),
            }
            i0 += (w2 - i0).min(8);
        }
    }

    /// Words `i0..i0+W` of every column of a [`Self::cx_fan_in`].
    #[inline(always)]
    fn fan_in_words<const W: usize>(&mut self, controls: &[u32], t: u32, i0: usize) {
        let w2 = 2 * self.w;
        let t0 = t as usize * w2 + i0;
        let mut xb = [0u64; W];
        let mut zb = [0u64; W];
        let mut s = [0u64; W];
        xb.copy_from_slice(&self.cx[t0..t0 + W]);
        zb.copy_from_slice(&self.cz[t0..t0 + W]);
        s.copy_from_slice(&self.signs[i0..i0 + W]);
        fan_in_kernel(
            &self.cx,
            &mut self.cz,
            &mut xb,
            &zb,
            &mut s,
            controls,
            w2,
            i0,
        );
        self.cx[t0..t0 + W].copy_from_slice(&xb);
        self.signs[i0..i0 + W].copy_from_slice(&s);
    }

    /// The checks of [`Self::apply`] for CX between `q` and each of `others`.
    fn check_fan(&self, q: u32, others: &[u32]) {
        let n = self.n;
        assert!(q < n, "qubit {q} out of range for {n} qubits");
        assert!(
            others.iter().all(|&o| o < n && o != q),
            "invalid CX between {q} and one of {others:?} on {n} qubits"
        );
    }

    /// The unitary of the whole circuit.
    pub fn from_circuit(c: &Circuit) -> Self {
        let mut t = Tableau::identity(c.n);
        t.apply_circuit(c);
        t
    }

    /// True if this is the identity including signs.
    pub fn is_identity(&self) -> bool {
        *self == Tableau::identity(self.n)
    }

    /// First `self`, then `next`.
    pub fn then(&self, next: &Tableau) -> Tableau {
        assert_eq!(self.n, next.n, "composing tableaus of different sizes");
        let xs: Vec<PauliString> = (0..self.n)
            .map(|q| next.conjugate(&self.x_output(q)))
            .collect();
        let zs: Vec<PauliString> = (0..self.n)
            .map(|q| next.conjugate(&self.z_output(q)))
            .collect();
        Self::from_outputs_unchecked(&xs, &zs)
    }

    /// `U†`.
    pub fn inverse(&self) -> Tableau {
        let n = self.n;
        let xs: Vec<PauliString> = (0..n)
            .map(|q| self.conjugate_inverse(&PauliString::single(n, q, crate::pauli::Pauli1::X)))
            .collect();
        let zs: Vec<PauliString> = (0..n)
            .map(|q| self.conjugate_inverse(&PauliString::single(n, q, crate::pauli::Pauli1::Z)))
            .collect();
        Self::from_outputs_unchecked(&xs, &zs)
    }

    /// Row `r` (0..2n; q = image of X_q, n+q = image of Z_q) as packed `(x, z)` words,
    /// `ceil(n/64)` each, sign-free (builds the row-major copy on first use).
    pub(crate) fn row_words(&self, r: u32) -> (&[u64], &[u64]) {
        let rows = self.rows();
        let s = r as usize * self.w;
        (&rows.x[s..s + self.w], &rows.z[s..s + self.w])
    }

    /// The tableau of `U†` without its signs (every image `+`): the symplectic inverse
    /// `[[A B] [C D]]⁻¹ = [[Dᵀ Bᵀ] [Cᵀ Aᵀ]]`, whose columns are this tableau's rows. One block
    /// transpose; used by the syntheses, which fix the signs separately.
    pub(crate) fn symplectic_inverse_unsigned(&self) -> Tableau {
        let rows = self.rows();
        let (n, w) = (self.n as usize, self.w);
        let mut inv = Tableau::zeroed(self.n);
        for k in 0..n {
            let c = k * 2 * w;
            let (rx, rz) = (k * w, (n + k) * w);
            // x of U†'s X-images at k: z of U Z_k U†; x of its Z-images: x of U Z_k U†.
            inv.cx[c..c + w].copy_from_slice(&rows.z[rz..rz + w]);
            inv.cx[c + w..c + 2 * w].copy_from_slice(&rows.x[rz..rz + w]);
            // z of U†'s X-images at k: z of U X_k U†; of its Z-images: x of U X_k U†.
            inv.cz[c..c + w].copy_from_slice(&rows.z[rx..rx + w]);
            inv.cz[c + w..c + 2 * w].copy_from_slice(&rows.x[rx..rx + w]);
        }
        inv
    }

    /// `U P U†`, phase exact.
    pub fn conjugate(&self, p: &PauliString) -> PauliString {
        assert_eq!(
            p.n(),
            self.n,
            "Pauli string size does not match the tableau"
        );
        let rows = self.rows();
        let w = self.w;
        let mut ox = vec![0u64; w];
        let mut oz = vec![0u64; w];
        // P = i^phase ∏_q X_q^x Z_q^z · i^{#Y}, since Y = i X Z.
        let mut log_i: u32 = u32::from(p.phase());
        for (a, b) in p.xs().iter().zip(p.zs()) {
            log_i += (a & b).count_ones();
        }
        let mut mul_row = |r: usize, log_i: &mut u32| {
            let s = r * w;
            for i in 0..w {
                let (x2, z2) = (rows.x[s + i], rows.z[s + i]);
                *log_i += mul_log_i(ox[i], oz[i], x2, z2);
                ox[i] ^= x2;
                oz[i] ^= z2;
            }
            if self.row_sign(r as u32) {
                *log_i += 2;
            }
        };
        for (q, pauli) in p.support() {
            let (x, z) = pauli.bits();
            if x {
                mul_row(q as usize, &mut log_i);
            }
            if z {
                mul_row(self.n as usize + q as usize, &mut log_i);
            }
        }
        PauliString::from_words(self.n, ox, oz, (log_i & 3) as u8)
    }

    /// `U† P U`, phase exact.
    pub fn conjugate_inverse(&self, p: &PauliString) -> PauliString {
        assert_eq!(
            p.n(),
            self.n,
            "Pauli string size does not match the tableau"
        );
        let w = self.w;
        let mut qx = vec![0u64; w];
        let mut qz = vec![0u64; w];
        self.conjugate_inverse_frame(p.xs(), p.zs(), &mut qx, &mut qz);
        let q0 = PauliString::from_words(self.n, qx, qz, 0);
        let back = self.conjugate(&q0);
        let k = (p.phase() + 4 - back.phase()) & 3;
        let mut q = q0;
        q.set_phase(k);
        q
    }

    /// Sign-free `U P U†` on packed bits (`ceil(n/64)` words each). O(weight · n/64), no
    /// allocation after the first call on this tableau (which builds the row-major copy).
    pub fn conjugate_frame(&self, x: &[u64], z: &[u64], out_x: &mut [u64], out_z: &mut [u64]) {
        let w = self.w;
        let rows = self.rows();
        out_x[..w].fill(0);
        out_z[..w].fill(0);
        let n = self.n as usize;
        for (bits, offset) in [(x, 0usize), (z, n)] {
            for (qw, &word) in bits[..w].iter().enumerate() {
                let mut m = word;
                while m != 0 {
                    let q = qw * 64 + m.trailing_zeros() as usize;
                    m &= m - 1;
                    let s = (offset + q) * w;
                    for i in 0..w {
                        out_x[i] ^= rows.x[s + i];
                        out_z[i] ^= rows.z[s + i];
                    }
                }
            }
        }
    }

    /// Sign-free `U† P U` on packed bits. O(weight · n/64), never allocates.
    ///
    /// The result Q has an X on qubit j iff P anticommutes with `U Z_j U†`, and a Z iff P
    /// anticommutes with `U X_j U†`; both are XORs of column slices over the support of P.
    pub fn conjugate_inverse_frame(
        &self,
        x: &[u64],
        z: &[u64],
        out_x: &mut [u64],
        out_z: &mut [u64],
    ) {
        let w = self.w;
        let w2 = 2 * w;
        out_x[..w].fill(0);
        out_z[..w].fill(0);
        // P.x_k contributes ⟨X_k, R⟩ = R.z_k, P.z_k contributes R.x_k.
        for (bits, cols) in [(x, &self.cz), (z, &self.cx)] {
            for (kw, &word) in bits[..w].iter().enumerate() {
                let mut m = word;
                while m != 0 {
                    let k = kw * 64 + m.trailing_zeros() as usize;
                    m &= m - 1;
                    let c = k * w2;
                    for i in 0..w {
                        out_z[i] ^= cols[c + i];
                        out_x[i] ^= cols[c + w + i];
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PauliString {
        s.parse().unwrap()
    }

    #[test]
    fn single_gates_match_stim_conventions() {
        let cases: &[(Gate, &str, &str)] = &[
            (Gate::H(0), "+Z", "+X"),
            (Gate::S(0), "+Y", "+Z"),
            (Gate::Sdg(0), "-Y", "+Z"),
            (Gate::X(0), "+X", "-Z"),
            (Gate::Y(0), "-X", "-Z"),
            (Gate::Z(0), "-X", "+Z"),
            (Gate::SqrtX(0), "+X", "-Y"),
            (Gate::SqrtXdg(0), "+X", "+Y"),
        ];
        for (g, x, z) in cases {
            let mut t = Tableau::identity(1);
            t.apply(g);
            assert_eq!(t.x_output(0), p(x), "{g:?}");
            assert_eq!(t.z_output(0), p(z), "{g:?}");
        }
        let two: &[(Gate, [&str; 4])] = &[
            (Gate::Cx(0, 1), ["+XX", "+_X", "+Z_", "+ZZ"]),
            (Gate::Cz(0, 1), ["+XZ", "+ZX", "+Z_", "+_Z"]),
            (Gate::Cy(0, 1), ["+XY", "+ZX", "+Z_", "+ZZ"]),
            (Gate::Swap(0, 1), ["+_X", "+X_", "+_Z", "+Z_"]),
        ];
        for (g, [x0, x1, z0, z1]) in two {
            let mut t = Tableau::identity(2);
            t.apply(g);
            assert_eq!(t.x_output(0), p(x0), "{g:?}");
            assert_eq!(t.x_output(1), p(x1), "{g:?}");
            assert_eq!(t.z_output(0), p(z0), "{g:?}");
            assert_eq!(t.z_output(1), p(z1), "{g:?}");
        }
    }

    #[test]
    fn inverse_and_frames() {
        let mut c = Circuit::new(70);
        for q in 0..69 {
            c.push(Gate::H(q));
            c.push(Gate::Cx(q, q + 1));
            c.push(Gate::S(q + 1));
        }
        let t = Tableau::from_circuit(&c);
        assert!(t.then(&t.inverse()).is_identity());
        assert!(t.inverse().then(&t).is_identity());
        let pp = PauliString::single(70, 3, crate::pauli::Pauli1::Y);
        let img = t.conjugate(&pp);
        assert_eq!(t.conjugate_inverse(&img), pp);
        let mut ox = vec![0; 2];
        let mut oz = vec![0; 2];
        t.conjugate_frame(pp.xs(), pp.zs(), &mut ox, &mut oz);
        assert_eq!((&ox[..], &oz[..]), (img.xs(), img.zs()));
        let mut bx = vec![0; 2];
        let mut bz = vec![0; 2];
        t.conjugate_inverse_frame(&ox, &oz, &mut bx, &mut bz);
        assert_eq!((&bx[..], &bz[..]), (pp.xs(), pp.zs()));
        let checked = Tableau::from_outputs(
            &(0..70).map(|q| t.x_output(q)).collect::<Vec<_>>(),
            &(0..70).map(|q| t.z_output(q)).collect::<Vec<_>>(),
        )
        .unwrap();
        assert_eq!(checked, t);
    }

    /// A circuit rich in CX runs sharing a control or a target (with repeats), plus single
    /// gates, on `n` qubits.
    fn run_heavy_circuit(n: u32, seed: u64) -> Circuit {
        use rand::RngExt;
        let mut rng = crate::rng::from_seed(seed);
        let mut c = Circuit::new(n);
        for _ in 0..60 {
            let q = rng.random_range(0..n);
            let other = |rng: &mut crate::rng::Rng| loop {
                let o = rng.random_range(0..n);
                if o != q {
                    return o;
                }
            };
            let len = rng.random_range(1..12u32);
            match rng.random_range(0..4u32) {
                0 => (0..len).for_each(|_| c.push(Gate::Cx(q, other(&mut rng)))),
                1 => (0..len).for_each(|_| c.push(Gate::Cx(other(&mut rng), q))),
                2 => c.push(Gate::H(q)),
                _ => c.push(Gate::S(q)),
            }
        }
        c
    }

    #[test]
    fn cx_runs_match_gate_by_gate() {
        // Sizes with 1, 2, 3, 4, 5 and 10 words per half column: every kernel width.
        for (i, n) in [2u32, 64, 70, 150, 200, 300, 600].into_iter().enumerate() {
            let c = run_heavy_circuit(n, i as u64);
            let mut one_by_one = Tableau::identity(n);
            for g in &c.gates {
                one_by_one.apply(g);
            }
            assert_eq!(Tableau::from_circuit(&c), one_by_one, "n = {n}");
        }
    }

    #[test]
    fn layout_conversions_roundtrip() {
        for n in [1u32, 63, 64, 65, 130] {
            let t = Tableau::from_circuit(&run_heavy_circuit(n.max(2), 7));
            let n = t.n();
            let rows = t.rows();
            let signs: Vec<bool> = (0..2 * n).map(|r| t.row_sign(r)).collect();
            assert_eq!(Tableau::from_row_words(n, &rows.x, &rows.z, &signs), t);
            for r in 0..2 * n {
                let p = t.row_string(r);
                for k in 0..n {
                    assert_eq!(t.row_bits(r, k), (p.x_bit(k), p.z_bit(k)));
                }
                let (mut xs, mut zs) = (vec![0; t.w], vec![0; t.w]);
                t.row_masks(r, n / 2, &mut xs, &mut zs);
                for k in 0..n {
                    let bit = |m: &[u64]| (m[k as usize / 64] >> (k % 64)) & 1 == 1;
                    let want = if k < n / 2 {
                        (false, false)
                    } else {
                        t.row_bits(r, k)
                    };
                    assert_eq!((bit(&xs), bit(&zs)), want);
                }
            }
        }
    }
}
