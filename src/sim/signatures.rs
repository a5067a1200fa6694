//! Fault signatures of an operation list, by backward propagation of its observables (the
//! detector-error-model idea), and sparse sampling of faults over them.
//!
//! An *observable* is a linear functional of the Pauli frame: a check's recorded outcome, or one
//! bit of the residual error at the end of the list. Propagating each observable backwards
//! through the Clifford operations (O ↦ G† O G, sign-free) tells, for every noise location, which
//! observables a fault there flips: an X fault on qubit q flips O iff the back-propagated O has
//! a Z component on q, a Z fault iff it has an X component. All observables are propagated at
//! once, bit-packed: qubit q carries one x and one z column of `words` u64 words, one bit per
//! observable, and a gate updates the columns of its qubits with the word rules of
//! [`crate::tableau`] (every gate of the set acts on sign-free bits as an involution, so G† acts
//! like G).
//!
//! Word layout of a signature: `check_words` (0 or 1) words of check bits (check j = bit j),
//! then `half` words of residual x bits (bit i = x component on qubit i), then `half` words of
//! residual z bits. A fault then costs one XOR of precomputed masks.
//!
//! Sampling is sparse: the locations of each noise class form one flat array of equal rate, so
//! a geometric skip between faults is exact and the cost is proportional to the number of
//! faults, not of locations. Idle locations are qubit-layers; the layers of one idle run (one
//! qubit, no operation in between) share a signature and are stored once, with prefix sums to
//! map a qubit-layer index to its run.

use crate::circuit::Gate;
use crate::noise::{NoiseClass, NoiseRates};
use crate::protocol::ops::{OpKind, OpList};
use crate::rng::Rng;
use crate::tableau::{rules, two_columns, Tableau};
use rand::RngExt;

/// How a location's fault is drawn and which signatures it stores.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One-qubit depolarizing: X, Y or Z equally likely. Stores (sig X, sig Z).
    One,
    /// Two-qubit depolarizing: 15 Paulis equally likely. Stores (X_a, Z_a, X_b, Z_b).
    Two,
    /// Measurement outcome flip. Stores one signature.
    Flip,
    /// A run of idle layers on one qubit, each layer one-qubit depolarizing. Stores (X, Z).
    IdleRun,
}

/// Number of (class, shape) kinds, for per-kind lookup tables.
const KINDS: usize = 6 * 4;

/// A dense index of (class, shape) (the Collector's lookups run once per location).
fn kind(class: NoiseClass, shape: Shape) -> usize {
    let c = match class {
        NoiseClass::OneQubit => 0,
        NoiseClass::Prep => 1,
        NoiseClass::TwoQubit => 2,
        NoiseClass::RemoteTwoQubit => 3,
        NoiseClass::Measurement => 4,
        NoiseClass::Idle => 5,
    };
    let s = match shape {
        Shape::One => 0,
        Shape::Two => 1,
        Shape::Flip => 2,
        Shape::IdleRun => 3,
    };
    c * 4 + s
}

impl Shape {
    /// Signatures stored per location.
    pub fn sigs(self) -> usize {
        match self {
            Shape::One | Shape::IdleRun => 2,
            Shape::Two => 4,
            Shape::Flip => 1,
        }
    }
}

/// Where a location is (for tests, diagnostics and the forward oracle).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LocMeta {
    /// 0-based layer of the operation; for an idle run, its first layer.
    pub layer: u32,
    /// For an idle run, its last layer (equal to `layer` otherwise).
    pub last_layer: u32,
    pub qubits: (u32, Option<u32>),
}

/// All locations of one noise class and shape, with equal rate.
#[derive(Clone, Debug)]
pub struct LocArray {
    pub class: NoiseClass,
    pub shape: Shape,
    /// `shape.sigs()` signatures of `words` words per location.
    sigs: Vec<u64>,
    /// Idle runs only: first qubit-layer index of each run, plus the total at the end.
    prefix: Vec<u64>,
    /// Idle runs only: `coarse[b]` is the run holding qubit-layer `b << shift`, so finding a
    /// position's run is a table read and a short forward scan instead of a binary search
    /// (whose cache misses dominated sampling at n = 85).
    coarse: Vec<u32>,
    shift: u32,
    pub meta: Vec<LocMeta>,
}

impl LocArray {
    fn empty(class: NoiseClass, shape: Shape) -> LocArray {
        LocArray {
            class,
            shape,
            sigs: Vec::new(),
            prefix: Vec::new(),
            coarse: Vec::new(),
            shift: 0,
            meta: Vec::new(),
        }
    }

    /// Empties the array for reuse as `(class, shape)` with room for `hint` locations of
    /// `words` words per signature, keeping its allocations.
    fn reset(&mut self, class: NoiseClass, shape: Shape, hint: usize, words: usize) {
        self.class = class;
        self.shape = shape;
        self.sigs.clear();
        self.sigs.reserve(hint * shape.sigs() * words);
        self.prefix.clear();
        if shape == Shape::IdleRun {
            self.prefix.reserve(hint + 1);
            self.prefix.push(0);
        }
        self.coarse.clear();
        self.shift = 0;
        self.meta.clear();
        self.meta.reserve(hint);
    }

    /// Number of stored locations (idle: runs).
    pub fn len(&self) -> usize {
        self.meta.len()
    }

    pub fn is_empty(&self) -> bool {
        self.meta.is_empty()
    }

    /// Number of independent fault locations (idle: qubit-layers).
    pub fn locations(&self) -> u64 {
        match self.shape {
            Shape::IdleRun => self.prefix.last().copied().unwrap_or(0),
            _ => self.meta.len() as u64,
        }
    }

    /// The idle run holding qubit-layer `pos` (< `locations()`).
    #[inline]
    fn run_of(&self, pos: u64) -> usize {
        let mut i = self.coarse[(pos >> self.shift) as usize] as usize;
        while self.prefix[i + 1] <= pos {
            i += 1;
        }
        i
    }

    /// Builds `coarse` with about one entry per run.
    fn index_runs(&mut self) {
        let total = self.locations();
        let runs = self.meta.len() as u64;
        if runs == 0 {
            return;
        }
        let avg = (total / runs).max(1);
        self.shift = 63 - avg.leading_zeros(); // the largest power of two ≤ the mean run
        let buckets = ((total - 1) >> self.shift) + 1;
        self.coarse = Vec::with_capacity(buckets as usize);
        let mut i = 0usize;
        for b in 0..buckets {
            let pos = b << self.shift;
            while self.prefix[i + 1] <= pos {
                i += 1;
            }
            self.coarse.push(i as u32);
        }
    }

    /// Signature `s` (0..shape.sigs()) of stored location `loc`.
    pub fn sig(&self, words: usize, loc: usize, s: usize) -> &[u64] {
        let per = self.shape.sigs() * words;
        let at = loc * per + s * words;
        &self.sigs[at..at + words]
    }
}

/// The signature tables of one operation list.
///
/// A table can be rebuilt in place for another list ([`attempt_table_into`],
/// [`direct_table_into`]): its arrays keep their allocations, so preparing circuit after
/// circuit does not fault in fresh pages for megabytes of signatures each time (that cost more
/// than the backward pass itself at n = 85).
#[derive(Clone, Debug, Default)]
pub struct SigTable {
    /// Words per signature.
    pub words: usize,
    /// 1 if word 0 holds check bits, else 0.
    pub check_words: usize,
    /// Words of each residual half (x bits, then z bits): ceil(n/64).
    pub half: usize,
    /// The non-empty arrays, in the order the backward pass first met their class and shape
    /// (the order in which faults are drawn).
    pub arrays: Vec<LocArray>,
    /// Arrays of an earlier build that this one did not need, kept for their allocations.
    spare: Vec<LocArray>,
    /// The observable columns of the backward pass, kept for their allocation.
    cols: Cols,
}

/// Observable columns during the backward pass. Qubit q's `2w` words are contiguous, z words
/// first, then x words: exactly the (sig X, sig Z) pair a one-qubit location stores (an X fault
/// flips the observables with a Z component, a Z fault those with an X component), so storing
/// a location is one copy.
#[derive(Clone, Debug, Default)]
struct Cols {
    w: usize,
    data: Vec<u64>,
}

impl Cols {
    /// Zeroed columns for `nq` qubits of `w` words.
    fn reset(&mut self, nq: usize, w: usize) {
        self.w = w;
        self.data.clear();
        self.data.resize(nq * 2 * w, 0);
    }
    /// Qubit q's z words then x words.
    #[inline]
    fn zx(&self, q: u32) -> &[u64] {
        let s = q as usize * 2 * self.w;
        &self.data[s..s + 2 * self.w]
    }
    #[inline]
    fn is_zero(&self, q: u32) -> bool {
        self.zx(q).iter().all(|&v| v == 0)
    }
    fn clear(&mut self, q: u32) {
        let s = q as usize * 2 * self.w;
        self.data[s..s + 2 * self.w].fill(0);
    }
    /// Qubit q's (z words, x words), mutable.
    fn zx_mut(&mut self, q: u32) -> (&mut [u64], &mut [u64]) {
        let (w, s) = (self.w, q as usize * 2 * self.w);
        self.data[s..s + 2 * w].split_at_mut(w)
    }
    fn set_x(&mut self, q: u32, bit: usize) {
        self.zx_mut(q).1[bit / 64] ^= 1u64 << (bit % 64);
    }
    fn set_z(&mut self, q: u32, bit: usize) {
        self.zx_mut(q).0[bit / 64] ^= 1u64 << (bit % 64);
    }
    /// O ↦ G† O G on every observable (sign-free; G† acts like G on bits). The gate is
    /// matched once, then its word rule runs over the columns.
    fn apply(&mut self, g: &Gate) {
        match *g {
            Gate::H(q) => self.one(q, rules::h),
            Gate::S(q) => self.one(q, rules::s),
            Gate::Sdg(q) => self.one(q, rules::sdg),
            Gate::X(_) | Gate::Y(_) | Gate::Z(_) => {} // Paulis leave sign-free bits alone
            Gate::SqrtX(q) => self.one(q, rules::sqrt_x),
            Gate::SqrtXdg(q) => self.one(q, rules::sqrt_x_dg),
            Gate::Cx(a, b) => self.two(a, b, rules::cx),
            Gate::Cy(a, b) => self.two(a, b, rules::cy),
            Gate::Cz(a, b) => self.two(a, b, rules::cz),
            Gate::Swap(a, b) => self.two(a, b, |xa, za, xb, zb, s| (xb, zb, xa, za, s)),
        }
    }
    #[inline(always)]
    fn one(&mut self, q: u32, f: impl Fn(u64, u64, u64) -> rules::One) {
        let w = self.w;
        let s = q as usize * 2 * w;
        let (z, x) = self.data[s..s + 2 * w].split_at_mut(w);
        for (x, z) in x.iter_mut().zip(z) {
            (*x, *z, _) = f(*x, *z, 0);
        }
    }
    #[inline(always)]
    fn two(&mut self, a: u32, b: u32, f: impl Fn(u64, u64, u64, u64, u64) -> rules::Two) {
        let w = self.w;
        let (ca, cb) = two_columns(&mut self.data, a as usize, b as usize, 2 * w);
        let (za, xa) = ca.split_at_mut(w);
        let (zb, xb) = cb.split_at_mut(w);
        for i in 0..w {
            (xa[i], za[i], xb[i], zb[i], _) = f(xa[i], za[i], xb[i], zb[i], 0);
        }
    }
}

/// Collects the arrays during the backward pass.
struct Collector {
    arrays: Vec<LocArray>,
    /// `arrays` index of each (class, shape) kind met so far.
    slot: [Option<u8>; KINDS],
    /// Arrays of an earlier build, reused before allocating new ones.
    spare: Vec<LocArray>,
    /// Words per signature.
    words: usize,
    /// Upper bounds on the locations of each kind, to size the arrays once.
    hints: [usize; KINDS],
}

impl Collector {
    #[inline]
    fn array(&mut self, class: NoiseClass, shape: Shape) -> &mut LocArray {
        let k = kind(class, shape);
        let i = match self.slot[k] {
            Some(i) => i as usize,
            None => self.open(class, shape),
        };
        &mut self.arrays[i]
    }

    /// Starts the array of a kind met for the first time; returns its index.
    #[cold]
    fn open(&mut self, class: NoiseClass, shape: Shape) -> usize {
        let k = kind(class, shape);
        // The spare array that held the same kind is likely the right size.
        let reuse = self
            .spare
            .iter()
            .position(|a| a.class == class && a.shape == shape)
            .or_else(|| self.spare.len().checked_sub(1));
        let mut arr = match reuse {
            Some(j) => self.spare.swap_remove(j),
            None => LocArray::empty(class, shape),
        };
        arr.reset(class, shape, self.hints[k], self.words);
        self.arrays.push(arr);
        let i = self.arrays.len() - 1;
        self.slot[k] = Some(i as u8);
        i
    }

    /// A one-qubit location on q (X fault: z column; Z fault: x column). Zero signatures are
    /// dropped: a fault there changes nothing.
    fn one(&mut self, class: NoiseClass, shape: Shape, cols: &Cols, q: u32, meta: LocMeta) {
        if cols.is_zero(q) {
            return;
        }
        let arr = self.array(class, shape);
        arr.sigs.extend_from_slice(cols.zx(q));
        arr.meta.push(meta);
    }

    fn two(&mut self, class: NoiseClass, cols: &Cols, a: u32, b: u32, meta: LocMeta) {
        if cols.is_zero(a) && cols.is_zero(b) {
            return;
        }
        let arr = self.array(class, Shape::Two);
        arr.sigs.extend_from_slice(cols.zx(a));
        arr.sigs.extend_from_slice(cols.zx(b));
        arr.meta.push(meta);
    }

    fn flip(&mut self, class: NoiseClass, sig: &[u64], meta: LocMeta) {
        if sig.iter().all(|&v| v == 0) {
            return;
        }
        let arr = self.array(class, Shape::Flip);
        arr.sigs.extend_from_slice(sig);
        arr.meta.push(meta);
    }

    fn idle_run(&mut self, cols: &Cols, q: u32, first: u32, last: u32) {
        if cols.is_zero(q) {
            return;
        }
        let arr = self.array(NoiseClass::Idle, Shape::IdleRun);
        arr.sigs.extend_from_slice(cols.zx(q));
        let end = arr.prefix.last().copied().unwrap_or(0) + u64::from(last - first + 1);
        arr.prefix.push(end);
        arr.meta.push(LocMeta {
            layer: first,
            last_layer: last,
            qubits: (q, None),
        });
    }
}

/// Backward pass over `ops` with observable columns initialised by `init`, into `table`
/// (whose allocations are reused).
fn build_into(
    table: &mut SigTable,
    ops: &OpList,
    check_words: usize,
    half: usize,
    init: impl FnOnce(&mut Cols),
) {
    let words = check_words + 2 * half;
    let nq = ops.num_qubits as usize;
    let mut cols = std::mem::take(&mut table.cols);
    cols.reset(nq, words);
    init(&mut cols);
    let mut hints = [0usize; KINDS];
    for op in &ops.ops {
        let shape = match op.kind {
            OpKind::Gate(g) if g.is_two_qubit() => Shape::Two,
            OpKind::Prep(_) | OpKind::Gate(_) => Shape::One,
            OpKind::MeasureZ { .. } | OpKind::MeasureX { .. } => Shape::Flip,
        };
        hints[kind(op.noise, shape)] += 1;
    }
    hints[kind(NoiseClass::Idle, Shape::IdleRun)] += ops.idle_runs.len();
    let mut spare = std::mem::take(&mut table.spare);
    spare.append(&mut table.arrays);
    let mut col = Collector {
        arrays: Vec::new(),
        slot: [None; KINDS],
        spare,
        words,
        hints,
    };
    // The idle runs of each qubit (ordered by first layer) and, per qubit, how many of them
    // are not yet stored. A run is stored when the backward pass reaches the operation just
    // before it (its columns are those of the run: nothing acts on the qubit in between), or
    // at the end for runs from layer 0.
    let runs = &ops.idle_runs;
    let mut left = vec![0usize; nq];
    for r in runs {
        left[r.qubit as usize] += 1;
    }
    let mut starts = vec![0usize; nq + 1];
    for q in 0..nq {
        starts[q + 1] = starts[q] + left[q];
    }
    let flush = |col: &mut Collector, cols: &Cols, left: &mut [usize], q: u32, after: u32| {
        let qi = q as usize;
        if left[qi] > 0 {
            let r = &runs[starts[qi] + left[qi] - 1];
            if r.first == after {
                col.idle_run(cols, q, r.first, r.last);
                left[qi] -= 1;
            }
        }
    };
    let mut flip_sig = vec![0u64; words];
    for (l, layer) in ops.layers().enumerate().rev() {
        let l = l as u32;
        for op in layer {
            let (a, b) = op.qubits();
            flush(&mut col, &cols, &mut left, a, l + 1);
            if let Some(b) = b {
                flush(&mut col, &cols, &mut left, b, l + 1);
            }
            let meta = LocMeta {
                layer: l,
                last_layer: l,
                qubits: (a, b),
            };
            match op.kind {
                OpKind::Prep(q) => {
                    col.one(op.noise, Shape::One, &cols, q, meta);
                    cols.clear(q);
                }
                OpKind::Gate(g) => {
                    match b {
                        Some(b) => col.two(op.noise, &cols, a, b, meta),
                        None => col.one(op.noise, Shape::One, &cols, a, meta),
                    }
                    cols.apply(&g);
                }
                OpKind::MeasureZ { qubit, record } | OpKind::MeasureX { qubit, record } => {
                    // Only check records are observables (they live in word 0).
                    let bit = record as usize;
                    assert!(
                        check_words == 1 && bit < 64,
                        "measurement records need a check word"
                    );
                    flip_sig.fill(0);
                    flip_sig[0] = 1u64 << bit;
                    col.flip(op.noise, &flip_sig, meta);
                    // The outcome is ⟨Z⟩ (or ⟨X⟩) of the qubit just before the measurement.
                    cols.clear(qubit);
                    match op.kind {
                        OpKind::MeasureZ { .. } => cols.set_z(qubit, bit),
                        _ => cols.set_x(qubit, bit),
                    }
                }
            }
        }
    }
    for q in 0..ops.num_qubits {
        flush(&mut col, &cols, &mut left, q, 0);
        debug_assert_eq!(
            left[q as usize], 0,
            "every idle run sits between operations"
        );
    }
    for arr in &mut col.arrays {
        if arr.shape == Shape::IdleRun {
            arr.index_runs();
        }
    }
    table.words = words;
    table.check_words = check_words;
    table.half = half;
    table.arrays = col.arrays;
    table.spare = col.spare;
    table.cols = cols;
}

/// Signatures of one RSP&V attempt (a_i = i, b_i = n+i, anc = 2n) for a block with Clifford
/// `c`: the r check records (word 0) and the 2n bits of the accepted resource's residual error
/// expressed on the a side, A_res = F_a · c⁻¹(F_b) (protocol.md §4.5). Bit i of the x half is
/// ⟨F, Z_{a_i} ⊗ c(Z_i)_b⟩ and bit i of the z half ⟨F, X_{a_i} ⊗ c(X_i)_b⟩, because
/// ⟨c⁻¹(F_b), P⟩ = ⟨F_b, c(P)⟩.
pub fn attempt_table(ops: &OpList, c: &Tableau) -> SigTable {
    let mut table = SigTable::default();
    attempt_table_into(&mut table, ops, c);
    table
}

/// [`attempt_table`] rebuilt in place in `table`, reusing its allocations.
pub fn attempt_table_into(table: &mut SigTable, ops: &OpList, c: &Tableau) {
    let n = c.n();
    assert_eq!(ops.num_qubits, 2 * n + 1, "attempt register is 2n+1 qubits");
    assert!(ops.num_records <= 64, "at most 64 checks");
    let half = n.div_ceil(64) as usize;
    build_into(table, ops, 1, half, |cols| {
        for i in 0..n {
            cols.set_z(i, 64 + i as usize);
            cols.set_x(i, 64 * (1 + half) + i as usize);
        }
        // Output qubit j's column of c holds, over the rows X_0.. then Z_0.., the components
        // of every image on j: exactly the x half (rows Z_i) and z half (rows X_i) of b_j's
        // observable columns, word for word (both halves are ceil(n/64) words).
        for j in 0..n {
            let (cx, cz) = c.column(j);
            let (z, x) = cols.zx_mut(n + j);
            for (dst, src) in [(x, cx), (z, cz)] {
                let (x_rows, z_rows) = src.split_at(half);
                dst[1..1 + half].copy_from_slice(z_rows);
                dst[1 + half..1 + 2 * half].copy_from_slice(x_rows);
            }
        }
    })
}

/// Signatures of the direct implementation on n qubits: the 2n bits of the output frame.
pub fn direct_table(ops: &OpList) -> SigTable {
    let mut table = SigTable::default();
    direct_table_into(&mut table, ops);
    table
}

/// [`direct_table`] rebuilt in place in `table`, reusing its allocations.
pub fn direct_table_into(table: &mut SigTable, ops: &OpList) {
    let n = ops.num_qubits;
    let half = n.div_ceil(64) as usize;
    build_into(table, ops, 0, half, |cols| {
        for i in 0..n {
            cols.set_z(i, i as usize);
            cols.set_x(i, 64 * half + i as usize);
        }
    })
}

/// Number of non-faulty locations before the next fault at rate p, where `log1m` = ln(1−p):
/// an exact geometric draw by inversion.
#[inline]
pub fn geometric_gap(rng: &mut Rng, log1m: f64) -> u64 {
    let u = 1.0 - rng.random::<f64>(); // (0, 1]
    let g = (u.ln() / log1m).floor();
    if g >= 1.8e19 {
        u64::MAX
    } else {
        g as u64 // NaN and −0 map to 0 (rate 1: every location faults)
    }
}

/// ln(1−p) per array of a table, for one set of rates; `None` where the rate is 0.
#[derive(Clone, Debug)]
pub struct TableRates {
    log1m: Vec<Option<f64>>,
}

impl SigTable {
    pub fn rates(&self, rates: &NoiseRates) -> TableRates {
        TableRates {
            log1m: self
                .arrays
                .iter()
                .map(|a| {
                    let p = rates.rate(a.class);
                    (p > 0.0).then(|| (-p).ln_1p())
                })
                .collect(),
        }
    }

    /// Draws every fault of one run of the list and XORs their signatures into `acc`
    /// (`words` words, not cleared here).
    pub fn sample(&self, rates: &TableRates, rng: &mut Rng, acc: &mut [u64]) {
        let w = self.words;
        for (arr, log1m) in self.arrays.iter().zip(&rates.log1m) {
            let Some(log1m) = *log1m else { continue };
            let total = arr.locations();
            let mut pos = geometric_gap(rng, log1m);
            while pos < total {
                let (loc, sigs) = match arr.shape {
                    Shape::IdleRun => (arr.run_of(pos), 2),
                    s => (pos as usize, s.sigs()),
                };
                let base = loc * sigs * w;
                let s = &arr.sigs[base..base + sigs * w];
                match arr.shape {
                    Shape::Flip => xor(acc, &s[..w]),
                    Shape::One | Shape::IdleRun => {
                        // 1 = X, 2 = Z, 3 = Y.
                        let p = rng.random_range(1u32..4);
                        xor_pauli(acc, s, w, 0, p);
                    }
                    Shape::Two => {
                        let p = rng.random_range(1u32..16);
                        xor_pauli(acc, s, w, 0, p & 3);
                        xor_pauli(acc, s, w, 2, p >> 2);
                    }
                }
                pos = pos
                    .saturating_add(1)
                    .saturating_add(geometric_gap(rng, log1m));
            }
        }
    }
}

#[inline]
fn xor(acc: &mut [u64], s: &[u64]) {
    for (a, b) in acc.iter_mut().zip(s) {
        *a ^= b;
    }
}

/// XORs the signature of Pauli `p` (bit 0 = X, bit 1 = Z) whose (X, Z) signatures start at
/// signature index `first`.
#[inline]
fn xor_pauli(acc: &mut [u64], s: &[u64], w: usize, first: usize, p: u32) {
    if p & 1 != 0 {
        xor(acc, &s[first * w..(first + 1) * w]);
    }
    if p & 2 != 0 {
        xor(acc, &s[(first + 1) * w..(first + 2) * w]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::block::Instance;
    use crate::protocol::params::Params;

    #[test]
    fn coarse_run_index_agrees_with_binary_search() {
        let mut checked = 0;
        for (n, seed) in [(3u32, 1u64), (7, 2), (12, 3)] {
            let mut params = Params {
                n,
                seed,
                ..Default::default()
            };
            // Idle runs inside attempts exist under the literal reading of K1.
            params.knobs.idle_on_resource_during_rspv = true;
            let inst = Instance::generate(&params, 0);
            let b = &inst.blocks[0];
            let tables = [
                direct_table(&inst.direct_ops()),
                attempt_table(&b.attempt_ops_for(&b.checks, &params.knobs), &b.tableau),
            ];
            for table in &tables {
                for arr in table.arrays.iter().filter(|a| a.shape == Shape::IdleRun) {
                    assert!(arr.locations() > 0);
                    for pos in 0..arr.locations() {
                        let want = arr.prefix.partition_point(|&s| s <= pos) - 1;
                        assert_eq!(arr.run_of(pos), want, "pos {pos}");
                    }
                    checked += 1;
                }
            }
        }
        assert!(checked >= 4, "idle arrays checked: {checked}");
    }
}
