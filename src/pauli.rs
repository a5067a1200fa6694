//! Bit-packed Pauli strings with an exact phase (a power of i).
//!
//! A [`PauliString`] on n qubits stores two packed bit vectors `xs`, `zs` (`ceil(n/64)` words
//! each, bit `q % 64` of word `q / 64` for qubit q) and a phase `k` (mod 4). It represents
//! `i^k · P_0 ⊗ P_1 ⊗ … ⊗ P_{n-1}` with `(x, z) = (0,0) → I, (1,0) → X, (1,1) → Y, (0,1) → Z`.
//! This is Stim's convention: the bits `11` mean the Hermitian Y, so a Hermitian string has
//! phase 0 (`+`) or 2 (`-`). Padding bits above n are always zero.

use std::fmt;
use std::str::FromStr;

use rand::RngExt;
use serde::{Deserialize, Serialize};

use crate::rng::Rng;

/// A single-qubit Pauli (no phase).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
pub enum Pauli1 {
    #[default]
    I,
    X,
    Y,
    Z,
}

impl Pauli1 {
    /// `(x, z)` bits of this Pauli (Y = both).
    pub fn bits(self) -> (bool, bool) {
        match self {
            Pauli1::I => (false, false),
            Pauli1::X => (true, false),
            Pauli1::Y => (true, true),
            Pauli1::Z => (false, true),
        }
    }

    /// The Pauli with bits `(x, z)`.
    pub fn from_bits(x: bool, z: bool) -> Self {
        match (x, z) {
            (false, false) => Pauli1::I,
            (true, false) => Pauli1::X,
            (true, true) => Pauli1::Y,
            (false, true) => Pauli1::Z,
        }
    }

    /// Stim's character for this Pauli (`_` for identity).
    pub fn to_char(self) -> char {
        match self {
            Pauli1::I => '_',
            Pauli1::X => 'X',
            Pauli1::Y => 'Y',
            Pauli1::Z => 'Z',
        }
    }
}

/// Number of u64 words needed for `n` bits.
pub fn words_for(n: u32) -> usize {
    (n as usize).div_ceil(64)
}

/// Transposes a 64×64 bit matrix in place: bit j of `a[i]` moves to bit i of `a[j]`.
///
/// Packed tables switch between row-major and column-major layouts with this (a few hundred
/// word operations per block instead of one scatter per set bit). The classic recursive
/// swap: exchange the off-diagonal 32×32 quadrants, then 16×16 ones inside each, and so on.
pub(crate) fn transpose64(a: &mut [u64; 64]) {
    let mut j = 32;
    let mut m: u64 = 0x0000_0000_FFFF_FFFF;
    while j != 0 {
        let mut k = 0;
        while k < 64 {
            // Rows k and k+j: the high j-bit groups of row k swap with the low ones of row k+j.
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k + j] ^= t;
            a[k] ^= t << j;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

/// The power of i (mod 4) produced when multiplying the (sign-free, Y-convention) Pauli words
/// `(x1, z1) · (x2, z2)` position by position.
#[inline]
pub(crate) fn mul_log_i(x1: u64, z1: u64, x2: u64, z2: u64) -> u32 {
    // Cyclic products XY = iZ, YZ = iX, ZX = iY give +i; the reversed ones give -i.
    let plus = (x1 & !z1 & x2 & z2) | (x1 & z1 & !x2 & z2) | (!x1 & z1 & x2 & !z2);
    let minus = (x1 & z1 & x2 & !z2) | (!x1 & z1 & x2 & z2) | (x1 & !z1 & !x2 & z2);
    plus.count_ones() + 3 * minus.count_ones()
}

/// `dst |= src << shift` on packed bit vectors; bits shifted past the end of `dst` must be
/// zero (they are dropped).
fn or_shifted(dst: &mut [u64], src: &[u64], shift: usize) {
    let (ws, bs) = (shift / 64, shift % 64);
    for (i, &v) in src.iter().enumerate() {
        if v == 0 {
            continue;
        }
        dst[ws + i] |= v << bs;
        if bs != 0 && ws + i + 1 < dst.len() {
            dst[ws + i + 1] |= v >> (64 - bs);
        }
    }
}

/// An n-qubit Pauli operator with phase `i^phase`. See the module docs for the encoding.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
pub struct PauliString {
    n: u32,
    xs: Vec<u64>,
    zs: Vec<u64>,
    phase: u8,
}

impl PauliString {
    /// The identity on `n` qubits, phase `+`.
    pub fn identity(n: u32) -> Self {
        let w = words_for(n);
        PauliString {
            n,
            xs: vec![0; w],
            zs: vec![0; w],
            phase: 0,
        }
    }

    /// Builds a string from packed words. Bits above n are cleared.
    pub fn from_words(n: u32, mut xs: Vec<u64>, mut zs: Vec<u64>, phase: u8) -> Self {
        let w = words_for(n);
        xs.resize(w, 0);
        zs.resize(w, 0);
        if n % 64 != 0 {
            let mask = (1u64 << (n % 64)) - 1;
            xs[w - 1] &= mask;
            zs[w - 1] &= mask;
        }
        PauliString {
            n,
            xs,
            zs,
            phase: phase & 3,
        }
    }

    /// A single-qubit Pauli `p` on qubit `q` of an n-qubit register.
    pub fn single(n: u32, q: u32, p: Pauli1) -> Self {
        let mut s = Self::identity(n);
        s.set(q, p);
        s
    }

    pub fn n(&self) -> u32 {
        self.n
    }

    pub fn get(&self, q: u32) -> Pauli1 {
        Pauli1::from_bits(self.x_bit(q), self.z_bit(q))
    }

    pub fn set(&mut self, q: u32, p: Pauli1) {
        assert!(q < self.n, "qubit {q} out of range for {} qubits", self.n);
        let (x, z) = p.bits();
        let (w, b) = ((q / 64) as usize, q % 64);
        self.xs[w] = (self.xs[w] & !(1 << b)) | ((x as u64) << b);
        self.zs[w] = (self.zs[w] & !(1 << b)) | ((z as u64) << b);
    }

    pub fn x_bit(&self, q: u32) -> bool {
        assert!(q < self.n, "qubit {q} out of range for {} qubits", self.n);
        (self.xs[(q / 64) as usize] >> (q % 64)) & 1 == 1
    }

    pub fn z_bit(&self, q: u32) -> bool {
        assert!(q < self.n, "qubit {q} out of range for {} qubits", self.n);
        (self.zs[(q / 64) as usize] >> (q % 64)) & 1 == 1
    }

    pub fn xs(&self) -> &[u64] {
        &self.xs
    }

    pub fn zs(&self) -> &[u64] {
        &self.zs
    }

    /// Mutable x words. Callers must keep bits above n zero.
    pub fn xs_mut(&mut self) -> &mut [u64] {
        &mut self.xs
    }

    /// Mutable z words. Callers must keep bits above n zero.
    pub fn zs_mut(&mut self) -> &mut [u64] {
        &mut self.zs
    }

    /// The overall factor is `i^phase()`; 0 = `+`, 1 = `+i`, 2 = `-`, 3 = `-i`.
    pub fn phase(&self) -> u8 {
        self.phase
    }

    pub fn set_phase(&mut self, k: u8) {
        self.phase = k & 3;
    }

    /// True if the sign is `-` or `-i` (phase 2 or 3).
    pub fn is_negative(&self) -> bool {
        self.phase & 2 != 0
    }

    /// True if the string is Hermitian (phase `+` or `-`).
    pub fn is_hermitian(&self) -> bool {
        self.phase & 1 == 0
    }

    pub fn is_identity_up_to_phase(&self) -> bool {
        self.xs.iter().all(|&w| w == 0) && self.zs.iter().all(|&w| w == 0)
    }

    /// `self := self · rhs`, phase included.
    pub fn mul_assign(&mut self, rhs: &PauliString) {
        assert_eq!(
            self.n, rhs.n,
            "multiplying Pauli strings of different lengths"
        );
        let mut log_i = u32::from(self.phase) + u32::from(rhs.phase);
        for i in 0..self.xs.len() {
            let (x1, z1, x2, z2) = (self.xs[i], self.zs[i], rhs.xs[i], rhs.zs[i]);
            log_i += mul_log_i(x1, z1, x2, z2);
            self.xs[i] = x1 ^ x2;
            self.zs[i] = z1 ^ z2;
        }
        self.phase = (log_i & 3) as u8;
    }

    /// `self · rhs` as a new string.
    pub fn mul(&self, rhs: &PauliString) -> PauliString {
        let mut out = self.clone();
        out.mul_assign(rhs);
        out
    }

    pub fn commutes(&self, other: &PauliString) -> bool {
        assert_eq!(
            self.n, other.n,
            "comparing Pauli strings of different lengths"
        );
        let mut acc = 0u32;
        for i in 0..self.xs.len() {
            acc ^= ((self.xs[i] & other.zs[i]) ^ (self.zs[i] & other.xs[i])).count_ones();
        }
        acc & 1 == 0
    }

    /// Number of non-identity factors.
    pub fn weight(&self) -> u32 {
        self.xs
            .iter()
            .zip(&self.zs)
            .map(|(x, z)| (x | z).count_ones())
            .sum()
    }

    /// Uniform over the 4^n strings, phase `+`.
    pub fn random(n: u32, rng: &mut Rng) -> Self {
        let w = words_for(n);
        let xs: Vec<u64> = (0..w).map(|_| rng.random::<u64>()).collect();
        let zs: Vec<u64> = (0..w).map(|_| rng.random::<u64>()).collect();
        Self::from_words(n, xs, zs, 0)
    }

    /// Uniform over the 4^n − 1 non-identity strings, phase `+` (rejection sampling).
    /// Panics for n = 0 (there is none).
    pub fn random_non_identity(n: u32, rng: &mut Rng) -> Self {
        assert!(n > 0, "no non-identity Pauli on 0 qubits");
        loop {
            let p = Self::random(n, rng);
            if !p.is_identity_up_to_phase() {
                return p;
            }
        }
    }

    /// `self ⊗ other`: self on qubits `0..n`, other on `n..n+m`; phases add.
    ///
    /// Word-level: self's words are copied and other's are OR-ed in shifted by n bits (both
    /// have zero padding, so nothing spills), which keeps check drawing O(n/64) per string.
    pub fn tensor(&self, other: &PauliString) -> PauliString {
        let mut out = PauliString::identity(self.n + other.n);
        for (dst, a, b) in [
            (&mut out.xs, &self.xs, &other.xs),
            (&mut out.zs, &self.zs, &other.zs),
        ] {
            dst[..a.len()].copy_from_slice(a);
            or_shifted(dst, b, self.n as usize);
        }
        out.phase = (self.phase + other.phase) & 3;
        out
    }

    /// The factors on qubits `start..start+len` as a `len`-qubit string.
    ///
    /// The result always has phase 0 (`+`): a sub-string of a signed product has no
    /// meaningful sign of its own, so callers that need one must track it separately.
    pub fn slice(&self, start: u32, len: u32) -> PauliString {
        assert!(
            start.checked_add(len).is_some_and(|e| e <= self.n),
            "slice {start}..{start}+{len} out of range for {} qubits",
            self.n
        );
        let mut out = PauliString::identity(len);
        for q in 0..len {
            out.set(q, self.get(start + q));
        }
        out
    }

    /// Iterator over `(qubit, Pauli)` of the non-identity factors, in qubit order.
    pub fn support(&self) -> impl Iterator<Item = (u32, Pauli1)> + '_ {
        self.xs
            .iter()
            .zip(&self.zs)
            .enumerate()
            .flat_map(|(wi, (&x, &z))| {
                let mut m = x | z;
                std::iter::from_fn(move || {
                    if m == 0 {
                        return None;
                    }
                    let b = m.trailing_zeros();
                    m &= m - 1;
                    let q = wi as u32 * 64 + b;
                    Some((q, Pauli1::from_bits((x >> b) & 1 == 1, (z >> b) & 1 == 1)))
                })
            })
    }
}

impl fmt::Display for PauliString {
    /// Stim style: `+XZ_Y`, `-X_`, `+iXY`, `-iZ`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self.phase {
            0 => "+",
            1 => "+i",
            2 => "-",
            _ => "-i",
        })?;
        for q in 0..self.n {
            write!(f, "{}", self.get(q).to_char())?;
        }
        Ok(())
    }
}

/// Error parsing a Pauli string.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid Pauli string: {0}")]
pub struct PauliParseError(pub String);

impl FromStr for PauliString {
    type Err = PauliParseError;

    /// Accepts an optional sign (`+`, `-`), an optional `i`, then one of `I _ X Y Z` per qubit
    /// (lower case allowed). Surrounding whitespace is ignored.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let mut rest = s;
        let mut phase = 0u8;
        if let Some(r) = rest.strip_prefix('-') {
            phase = 2;
            rest = r;
        } else if let Some(r) = rest.strip_prefix('+') {
            rest = r;
        }
        if let Some(r) = rest.strip_prefix('i') {
            phase += 1;
            rest = r;
        }
        let n = u32::try_from(rest.chars().count())
            .map_err(|_| PauliParseError(format!("'{s}' is too long")))?;
        let mut p = PauliString::identity(n);
        for (q, c) in rest.chars().enumerate() {
            let pauli = match c {
                'I' | '_' => Pauli1::I,
                'X' | 'x' => Pauli1::X,
                'Y' | 'y' => Pauli1::Y,
                'Z' | 'z' => Pauli1::Z,
                other => {
                    return Err(PauliParseError(format!(
                        "unexpected character '{other}' in '{s}'"
                    )))
                }
            };
            p.set(q as u32, pauli);
        }
        p.phase = phase;
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> PauliString {
        s.parse().unwrap()
    }

    #[test]
    fn single_qubit_products() {
        assert_eq!(p("X").mul(&p("Y")), p("iZ"));
        assert_eq!(p("Y").mul(&p("X")), p("-iZ"));
        assert_eq!(p("Y").mul(&p("Z")), p("iX"));
        assert_eq!(p("Z").mul(&p("X")), p("iY"));
        assert_eq!(p("X").mul(&p("Z")), p("-iY"));
        assert_eq!(p("-Y").mul(&p("-Y")), p("I"));
        assert_eq!(p("iX").mul(&p("iX")), p("-I"));
    }

    #[test]
    fn display_roundtrip() {
        for s in ["+XZ_Y", "-X_", "+iXY", "-iZ", "+", "+____"] {
            assert_eq!(p(s).to_string(), s);
        }
        assert_eq!(p("IXI").to_string(), "+_X_");
        assert!("XQ".parse::<PauliString>().is_err());
    }

    #[test]
    fn transpose64_matches_the_definition() {
        let mut a = [0u64; 64];
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for w in a.iter_mut() {
            x = x.rotate_left(17).wrapping_mul(0xBF58_476D_1CE4_E5B9) ^ 0x94D0_49BB;
            *w = x;
        }
        let orig = a;
        transpose64(&mut a);
        for (i, &row) in orig.iter().enumerate() {
            for (j, &col) in a.iter().enumerate() {
                assert_eq!((col >> i) & 1, (row >> j) & 1, "({i}, {j})");
            }
        }
    }

    #[test]
    fn tensor_across_word_boundaries() {
        for (n, m) in [
            (1u32, 1u32),
            (63, 2),
            (64, 64),
            (65, 70),
            (3, 130),
            (100, 0),
            (0, 5),
        ] {
            let a =
                PauliString::from_words(n, vec![u64::MAX; 3], vec![0xAAAA_5555_0F0F_F0F0; 3], 2);
            let b =
                PauliString::from_words(m, vec![0x1234_5678_9ABC_DEF0; 3], vec![u64::MAX; 3], 1);
            let t = a.tensor(&b);
            assert_eq!(t.n(), n + m);
            assert_eq!(t.phase(), 3);
            for q in 0..n {
                assert_eq!(t.get(q), a.get(q));
            }
            for q in 0..m {
                assert_eq!(t.get(n + q), b.get(q));
            }
        }
    }

    #[test]
    fn weight_commute_tensor_slice() {
        let a = p("XYZ_");
        assert_eq!(a.weight(), 3);
        assert!(a.commutes(&p("XYZ_")));
        assert!(!a.commutes(&p("Z___")));
        let t = p("-X").tensor(&p("iZY"));
        assert_eq!(t, p("-iXZY"));
        assert_eq!(t.slice(1, 2), p("ZY"));
        let big = PauliString::single(130, 129, Pauli1::Y);
        assert_eq!(big.support().collect::<Vec<_>>(), vec![(129, Pauli1::Y)]);
    }
}
