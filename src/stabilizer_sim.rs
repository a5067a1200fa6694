//! Aaronson–Gottesman (CHP) stabilizer simulator with destabilizers.
//!
//! The state of n qubits (all starting in |0⟩) is kept as 2n row-major Pauli rows: rows
//! `0..n` are destabilizers, rows `n..2n` stabilizers, each a Hermitian signed Pauli in the
//! Y convention of [`crate::pauli`]. Gates cost O(n) bit operations, measurements
//! O(n²/64) word operations. This is the state-based cross-check (protocol.md §11.3), not
//! the sampling hot path.

use rand::RngExt;

use crate::circuit::Gate;
use crate::pauli::{mul_log_i, words_for, Pauli1, PauliString};
use crate::rng::Rng;
use crate::tableau::rules;

/// CHP stabilizer state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StabilizerSim {
    n: u32,
    w: usize,
    x: Vec<u64>,
    z: Vec<u64>,
    sign: Vec<bool>,
}

impl StabilizerSim {
    /// n qubits in |0…0⟩.
    pub fn new(n: u32) -> Self {
        let w = words_for(n);
        let nn = n as usize;
        let mut s = StabilizerSim {
            n,
            w,
            x: vec![0; 2 * nn * w],
            z: vec![0; 2 * nn * w],
            sign: vec![false; 2 * nn],
        };
        for q in 0..nn {
            s.x[q * w + q / 64] |= 1 << (q % 64);
            s.z[(nn + q) * w + q / 64] |= 1 << (q % 64);
        }
        s
    }

    pub fn n(&self) -> u32 {
        self.n
    }

    fn row(&self, r: usize) -> PauliString {
        let s = r * self.w;
        PauliString::from_words(
            self.n,
            self.x[s..s + self.w].to_vec(),
            self.z[s..s + self.w].to_vec(),
            if self.sign[r] { 2 } else { 0 },
        )
    }

    /// The n stabilizer generators (with signs).
    pub fn stabilizers(&self) -> Vec<PauliString> {
        (self.n as usize..2 * self.n as usize)
            .map(|r| self.row(r))
            .collect()
    }

    /// The n destabilizers (their signs carry no meaning).
    pub fn destabilizers(&self) -> Vec<PauliString> {
        (0..self.n as usize).map(|r| self.row(r)).collect()
    }

    pub fn apply(&mut self, g: &Gate) {
        let (a, b) = g.qubits();
        assert!(a < self.n, "gate {g:?} out of range for {} qubits", self.n);
        let (wa, ba) = ((a / 64) as usize, a % 64);
        let (wb, bb) = match b {
            Some(b) => {
                assert!(b < self.n && b != a, "invalid two-qubit gate {g:?}");
                ((b / 64) as usize, b % 64)
            }
            None => (wa, ba),
        };
        let two = b.is_some();
        for r in 0..2 * self.n as usize {
            let s = r * self.w;
            let get = |v: &Vec<u64>, wi: usize, bi: u32| (v[s + wi] >> bi) & 1;
            let av = (get(&self.x, wa, ba), get(&self.z, wa, ba));
            let bv = (get(&self.x, wb, bb), get(&self.z, wb, bb));
            let ((xa, za), (xb, zb), sg) = rules::apply(g, av, bv, u64::from(self.sign[r]));
            let put = |v: &mut Vec<u64>, wi: usize, bi: u32, val: u64| {
                v[s + wi] = (v[s + wi] & !(1 << bi)) | ((val & 1) << bi);
            };
            put(&mut self.x, wa, ba, xa);
            put(&mut self.z, wa, ba, za);
            if two {
                put(&mut self.x, wb, bb, xb);
                put(&mut self.z, wb, bb, zb);
            }
            self.sign[r] = sg & 1 == 1;
        }
    }

    /// True if row r anticommutes with p.
    fn anticommutes(&self, r: usize, p: &PauliString) -> bool {
        let s = r * self.w;
        let mut acc = 0u32;
        for i in 0..self.w {
            acc ^= ((self.x[s + i] & p.zs()[i]) ^ (self.z[s + i] & p.xs()[i])).count_ones();
        }
        acc & 1 == 1
    }

    /// Applies the Pauli `p` (its phase is ignored).
    pub fn apply_pauli(&mut self, p: &PauliString) {
        assert_eq!(
            p.n(),
            self.n,
            "Pauli string size does not match the simulator"
        );
        for r in 0..2 * self.n as usize {
            if self.anticommutes(r, p) {
                self.sign[r] = !self.sign[r];
            }
        }
    }

    /// Row h := row h · row i (the sign of a non-Hermitian product, which only happens for
    /// destabilizers, is dropped to its real part).
    fn rowmul(&mut self, h: usize, i: usize) {
        let (sh, si) = (h * self.w, i * self.w);
        let mut log_i = 2 * (u32::from(self.sign[h]) + u32::from(self.sign[i]));
        for k in 0..self.w {
            let (x1, z1, x2, z2) = (
                self.x[sh + k],
                self.z[sh + k],
                self.x[si + k],
                self.z[si + k],
            );
            log_i += mul_log_i(x1, z1, x2, z2);
            self.x[sh + k] = x1 ^ x2;
            self.z[sh + k] = z1 ^ z2;
        }
        self.sign[h] = log_i & 2 != 0;
    }

    /// Outcome of measuring p if it is deterministic (p commutes with every stabilizer).
    pub fn peek(&self, p: &PauliString) -> Option<bool> {
        assert_eq!(
            p.n(),
            self.n,
            "Pauli string size does not match the simulator"
        );
        let n = self.n as usize;
        if (n..2 * n).any(|r| self.anticommutes(r, p)) {
            return None;
        }
        // p = ± product of the stabilizers whose destabilizer anticommutes with p.
        let mut acc = PauliString::identity(self.n);
        for i in 0..n {
            if self.anticommutes(i, p) {
                acc.mul_assign(&self.row(n + i));
            }
        }
        Some(acc.is_negative() != p.is_negative())
    }

    /// Measures the Hermitian Pauli `p` (phase 0 or 2); `true` = eigenvalue −1.
    pub fn measure_pauli(&mut self, p: &PauliString, rng: &mut Rng) -> bool {
        assert!(
            p.is_hermitian(),
            "measure_pauli needs a Hermitian Pauli, got {p}"
        );
        assert_eq!(
            p.n(),
            self.n,
            "Pauli string size does not match the simulator"
        );
        let n = self.n as usize;
        let Some(pr) = (n..2 * n).find(|&r| self.anticommutes(r, p)) else {
            return self.peek(p).unwrap_or(false);
        };
        for r in 0..2 * n {
            if r != pr && self.anticommutes(r, p) {
                self.rowmul(r, pr);
            }
        }
        let w = self.w;
        let (d, s) = ((pr - n) * w, pr * w);
        self.x.copy_within(s..s + w, d);
        self.z.copy_within(s..s + w, d);
        self.sign[pr - n] = self.sign[pr];
        self.x[s..s + w].copy_from_slice(p.xs());
        self.z[s..s + w].copy_from_slice(p.zs());
        let outcome: bool = rng.random();
        self.sign[pr] = outcome != p.is_negative();
        outcome
    }

    /// Z-basis measurement of qubit q; `true` = outcome 1.
    pub fn measure_z(&mut self, q: u32, rng: &mut Rng) -> bool {
        self.measure_pauli(&PauliString::single(self.n, q, Pauli1::Z), rng)
    }

    /// X-basis measurement of qubit q; `true` = |−⟩.
    pub fn measure_x(&mut self, q: u32, rng: &mut Rng) -> bool {
        self.measure_pauli(&PauliString::single(self.n, q, Pauli1::X), rng)
    }

    /// Resets qubit q to |0⟩.
    pub fn reset(&mut self, q: u32, rng: &mut Rng) {
        if self.measure_z(q, rng) {
            self.apply(&Gate::X(q));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::from_seed;

    #[test]
    fn bell_state() {
        let mut s = StabilizerSim::new(2);
        s.apply(&Gate::H(0));
        s.apply(&Gate::Cx(0, 1));
        assert_eq!(s.peek(&"XX".parse().unwrap()), Some(false));
        assert_eq!(s.peek(&"-ZZ".parse().unwrap()), Some(true));
        assert_eq!(s.peek(&"YY".parse().unwrap()), Some(true));
        assert_eq!(s.peek(&"Z_".parse().unwrap()), None);
        let mut rng = from_seed(3);
        let a = s.measure_z(0, &mut rng);
        assert_eq!(s.measure_z(1, &mut rng), a);
        s.reset(0, &mut rng);
        s.reset(1, &mut rng);
        assert_eq!(s.peek(&"ZZ".parse().unwrap()), Some(false));
        assert_eq!(s.peek(&"Z_".parse().unwrap()), Some(false));
    }
}
