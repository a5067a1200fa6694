//! Brute-force state-vector cross-checks of the tableau and the CHP simulator (n ≤ 6).

use clinr_explorer::circuit::{Circuit, Gate};
use clinr_explorer::pauli::{Pauli1, PauliString};
use clinr_explorer::rng::{from_seed, Rng};
use clinr_explorer::stabilizer_sim::StabilizerSim;
use clinr_explorer::tableau::Tableau;
use rand::RngExt;

#[derive(Clone, Copy, Debug, PartialEq)]
struct C(f64, f64);

impl C {
    fn mul(self, o: C) -> C {
        C(self.0 * o.0 - self.1 * o.1, self.0 * o.1 + self.1 * o.0)
    }
    fn add(self, o: C) -> C {
        C(self.0 + o.0, self.1 + o.1)
    }
    fn conj(self) -> C {
        C(self.0, -self.1)
    }
    fn scale(self, s: f64) -> C {
        C(self.0 * s, self.1 * s)
    }
}

const ZERO: C = C(0.0, 0.0);
const ONE: C = C(1.0, 0.0);
const I: C = C(0.0, 1.0);

type State = Vec<C>;

fn basis(n: u32, k: usize) -> State {
    let mut v = vec![ZERO; 1 << n];
    v[k] = ONE;
    v
}

/// Applies the 2×2 matrix m to qubit q.
fn apply1(v: &mut State, q: u32, m: [[C; 2]; 2]) {
    let bit = 1usize << q;
    for k in 0..v.len() {
        if k & bit == 0 {
            let (a, b) = (v[k], v[k | bit]);
            v[k] = m[0][0].mul(a).add(m[0][1].mul(b));
            v[k | bit] = m[1][0].mul(a).add(m[1][1].mul(b));
        }
    }
}

fn pauli_matrix(p: Pauli1) -> [[C; 2]; 2] {
    match p {
        Pauli1::I => [[ONE, ZERO], [ZERO, ONE]],
        Pauli1::X => [[ZERO, ONE], [ONE, ZERO]],
        Pauli1::Y => [[ZERO, I.scale(-1.0)], [I, ZERO]],
        Pauli1::Z => [[ONE, ZERO], [ZERO, ONE.scale(-1.0)]],
    }
}

/// Applies the controlled version of m (control c) to target t.
fn apply_controlled(v: &mut State, c: u32, t: u32, m: [[C; 2]; 2]) {
    let (cb, tb) = (1usize << c, 1usize << t);
    for k in 0..v.len() {
        if k & cb != 0 && k & tb == 0 {
            let (a, b) = (v[k], v[k | tb]);
            v[k] = m[0][0].mul(a).add(m[0][1].mul(b));
            v[k | tb] = m[1][0].mul(a).add(m[1][1].mul(b));
        }
    }
}

fn apply_gate(v: &mut State, g: &Gate) {
    let h = std::f64::consts::FRAC_1_SQRT_2;
    let hp = C(0.5, 0.5);
    let hm = C(0.5, -0.5);
    match *g {
        Gate::H(q) => apply1(v, q, [[C(h, 0.0), C(h, 0.0)], [C(h, 0.0), C(-h, 0.0)]]),
        Gate::S(q) => apply1(v, q, [[ONE, ZERO], [ZERO, I]]),
        Gate::Sdg(q) => apply1(v, q, [[ONE, ZERO], [ZERO, I.scale(-1.0)]]),
        Gate::X(q) => apply1(v, q, pauli_matrix(Pauli1::X)),
        Gate::Y(q) => apply1(v, q, pauli_matrix(Pauli1::Y)),
        Gate::Z(q) => apply1(v, q, pauli_matrix(Pauli1::Z)),
        Gate::SqrtX(q) => apply1(v, q, [[hp, hm], [hm, hp]]),
        Gate::SqrtXdg(q) => apply1(v, q, [[hm, hp], [hp, hm]]),
        Gate::Cx(c, t) => apply_controlled(v, c, t, pauli_matrix(Pauli1::X)),
        Gate::Cy(c, t) => apply_controlled(v, c, t, pauli_matrix(Pauli1::Y)),
        Gate::Cz(c, t) => apply_controlled(v, c, t, pauli_matrix(Pauli1::Z)),
        Gate::Swap(a, b) => {
            let (ab, bb) = (1usize << a, 1usize << b);
            for k in 0..v.len() {
                if k & ab != 0 && k & bb == 0 {
                    v.swap(k, (k & !ab) | bb);
                }
            }
        }
    }
}

fn apply_circuit(v: &mut State, c: &Circuit) {
    for g in &c.gates {
        apply_gate(v, g);
    }
}

/// Applies P including its phase.
fn apply_pauli(v: &mut State, p: &PauliString) {
    for q in 0..p.n() {
        apply1(v, q, pauli_matrix(p.get(q)));
    }
    let ph = [ONE, I, ONE.scale(-1.0), I.scale(-1.0)][p.phase() as usize];
    for a in v.iter_mut() {
        *a = a.mul(ph);
    }
}

fn with_pauli(v: &State, p: &PauliString) -> State {
    let mut w = v.clone();
    apply_pauli(&mut w, p);
    w
}

fn close(a: &State, b: &State) -> bool {
    a.iter()
        .zip(b)
        .all(|(x, y)| (x.0 - y.0).abs() < 1e-9 && (x.1 - y.1).abs() < 1e-9)
}

fn inner(a: &State, b: &State) -> C {
    a.iter()
        .zip(b)
        .fold(ZERO, |acc, (x, y)| acc.add(x.conj().mul(*y)))
}

fn random_gate(n: u32, rng: &mut Rng) -> Gate {
    if n >= 2 && rng.random_range(0..10u32) < 4 {
        let a = rng.random_range(0..n);
        let mut b = rng.random_range(0..n - 1);
        if b >= a {
            b += 1;
        }
        match rng.random_range(0..4u32) {
            0 => Gate::Cx(a, b),
            1 => Gate::Cy(a, b),
            2 => Gate::Cz(a, b),
            _ => Gate::Swap(a, b),
        }
    } else {
        let q = rng.random_range(0..n);
        match rng.random_range(0..8u32) {
            0 => Gate::H(q),
            1 => Gate::S(q),
            2 => Gate::Sdg(q),
            3 => Gate::X(q),
            4 => Gate::Y(q),
            5 => Gate::Z(q),
            6 => Gate::SqrtX(q),
            _ => Gate::SqrtXdg(q),
        }
    }
}

fn random_circuit(n: u32, s: u32, rng: &mut Rng) -> Circuit {
    Circuit {
        n,
        gates: (0..s).map(|_| random_gate(n, rng)).collect(),
    }
}

fn random_pauli_with_phase(n: u32, rng: &mut Rng) -> PauliString {
    let mut p = PauliString::random(n, rng);
    p.set_phase(rng.random_range(0..4u32) as u8);
    p
}

#[test]
fn tableau_conjugation_matches_matrices() {
    let mut rng = from_seed(101);
    for case in 0..300u32 {
        let n = 1 + case % 5;
        let c = random_circuit(n, 4 + 6 * n, &mut rng);
        let t = Tableau::from_circuit(&c);
        let inv = t.inverse();
        for _ in 0..4 {
            let p = random_pauli_with_phase(n, &mut rng);
            let q = t.conjugate(&p);
            let r = t.conjugate_inverse(&p);
            assert_eq!(inv.conjugate(&p), r);
            for k in 0..(1usize << n) {
                // U P |k> == Q U |k>
                let mut lhs = with_pauli(&basis(n, k), &p);
                apply_circuit(&mut lhs, &c);
                let mut uk = basis(n, k);
                apply_circuit(&mut uk, &c);
                assert!(
                    close(&lhs, &with_pauli(&uk, &q)),
                    "case {case}: U{p}U† != {q}\n{c:?}"
                );
                // P U |k> == U R |k>
                let mut rhs = with_pauli(&basis(n, k), &r);
                apply_circuit(&mut rhs, &c);
                assert!(
                    close(&with_pauli(&uk, &p), &rhs),
                    "case {case}: U†{p}U != {r}"
                );
            }
        }
    }
}

/// Checks that every stabilizer fixes the state and that `peek` agrees with ⟨ψ|P|ψ⟩.
fn check_state(sim: &StabilizerSim, v: &State, rng: &mut Rng, what: &str) {
    let n = sim.n();
    for s in sim.stabilizers() {
        assert!(
            close(&with_pauli(v, &s), v),
            "{what}: stabilizer {s} does not fix the state"
        );
    }
    for _ in 0..6 {
        let mut p = PauliString::random(n, rng);
        if rng.random() {
            p.set_phase(2);
        }
        let e = inner(v, &with_pauli(v, &p));
        assert!(e.1.abs() < 1e-9);
        match sim.peek(&p) {
            Some(b) => assert!(
                (e.0 - if b { -1.0 } else { 1.0 }).abs() < 1e-9,
                "{what}: peek {p}"
            ),
            None => assert!(
                e.0.abs() < 1e-9,
                "{what}: peek {p} random but ⟨P⟩ = {}",
                e.0
            ),
        }
    }
}

/// Projects v on the (−1)^outcome eigenspace of Hermitian p, returning the prior probability.
fn project(v: &mut State, p: &PauliString, outcome: bool) -> f64 {
    let pv = with_pauli(v, p);
    let sign = if outcome { -1.0 } else { 1.0 };
    let mut norm = 0.0;
    for (a, b) in v.iter_mut().zip(&pv) {
        *a = a.add(b.scale(sign)).scale(0.5);
        norm += a.0 * a.0 + a.1 * a.1;
    }
    let s = 1.0 / norm.sqrt();
    for a in v.iter_mut() {
        *a = a.scale(s);
    }
    norm
}

#[test]
fn stabilizer_sim_matches_state_vector() {
    let mut rng = from_seed(202);
    let mut mrng = from_seed(303);
    let mut random_outcomes = [0u32; 2];
    for case in 0..300u32 {
        let n = 1 + case % 6;
        let mut sim = StabilizerSim::new(n);
        let mut v = basis(n, 0);
        for step in 0..(8 * n) {
            let what = format!("case {case} step {step}");
            match rng.random_range(0..10u32) {
                0..=5 => {
                    let g = random_gate(n, &mut rng);
                    sim.apply(&g);
                    apply_gate(&mut v, &g);
                }
                6 => {
                    let p = PauliString::random(n, &mut rng);
                    sim.apply_pauli(&p);
                    apply_pauli(&mut v, &p);
                }
                7 => {
                    let q = rng.random_range(0..n);
                    let z = PauliString::single(n, q, Pauli1::Z);
                    let det = sim.peek(&z);
                    let m = sim.measure_z(q, &mut mrng);
                    let prob = project(&mut v, &z, m);
                    check_prob(det, m, prob, &what, &mut random_outcomes);
                }
                8 => {
                    let q = rng.random_range(0..n);
                    if rng.random() {
                        let x = PauliString::single(n, q, Pauli1::X);
                        let det = sim.peek(&x);
                        let m = sim.measure_x(q, &mut mrng);
                        let prob = project(&mut v, &x, m);
                        check_prob(det, m, prob, &what, &mut random_outcomes);
                    } else {
                        // Learn the simulator's outcome from a copy with the same random stream.
                        let z = PauliString::single(n, q, Pauli1::Z);
                        let m = sim.clone().measure_z(q, &mut mrng.clone());
                        sim.reset(q, &mut mrng);
                        project(&mut v, &z, m);
                        if m {
                            apply_gate(&mut v, &Gate::X(q));
                        }
                        assert_eq!(sim.peek(&z), Some(false), "{what}: reset left Z_q random");
                    }
                }
                _ => {
                    let mut p = PauliString::random_non_identity(n, &mut rng);
                    if rng.random() {
                        p.set_phase(2);
                    }
                    let det = sim.peek(&p);
                    let m = sim.measure_pauli(&p, &mut mrng);
                    let prob = project(&mut v, &p, m);
                    check_prob(det, m, prob, &what, &mut random_outcomes);
                }
            }
            check_state(&sim, &v, &mut rng, &what);
        }
    }
    // Random outcomes are fair coins: both values occur in roughly equal numbers.
    let total = random_outcomes[0] + random_outcomes[1];
    assert!(total > 300, "too few random outcomes: {total}");
    let z =
        (f64::from(random_outcomes[1]) - f64::from(total) / 2.0) / (f64::from(total) / 4.0).sqrt();
    assert!(z.abs() < 4.0, "random outcomes biased: {random_outcomes:?}");
}

fn check_prob(det: Option<bool>, m: bool, prob: f64, what: &str, counts: &mut [u32; 2]) {
    match det {
        Some(b) => {
            assert_eq!(b, m, "{what}: deterministic outcome changed");
            assert!(
                (prob - 1.0).abs() < 1e-9,
                "{what}: outcome {m} had probability {prob}"
            );
        }
        None => {
            assert!(
                (prob - 0.5).abs() < 1e-9,
                "{what}: random outcome had probability {prob}"
            );
            counts[usize::from(m)] += 1;
        }
    }
}
