//! Benchmarks of the stabilizer core: random Clifford sampling + synthesis, tableau gate
//! throughput, and the Pauli-frame conjugation used by the sampler.

use std::hint::black_box;

use clinr_explorer::circuit::random::{random_clifford, random_gates};
use clinr_explorer::circuit::synthesis::{synthesize, Method};
use clinr_explorer::pauli::PauliString;
use clinr_explorer::rng::from_seed;
use clinr_explorer::tableau::Tableau;
use criterion::{criterion_group, criterion_main, Criterion};

fn clifford_sampling(c: &mut Criterion) {
    let mut g = c.benchmark_group("random_clifford");
    for n in [85u32, 256] {
        let mut rng = from_seed(1);
        g.bench_function(format!("sample_n{n}"), |b| {
            b.iter(|| black_box(random_clifford(n, &mut rng)))
        });
        // The default synthesis (Stim's elimination): what K4's default costs per circuit.
        let mut rng = from_seed(2);
        g.bench_function(format!("sample_and_synthesize_n{n}"), |b| {
            b.iter(|| {
                black_box(synthesize(
                    &random_clifford(n, &mut rng),
                    Method::StimElimination,
                ))
            })
        });
    }
    g.finish();
}

/// Each synthesis alone on one fixed random Clifford, and sampling + synthesis.
fn syntheses(c: &mut Criterion) {
    let mut g = c.benchmark_group("synthesis");
    for n in [85u32, 256] {
        let t = random_clifford(n, &mut from_seed(5));
        for m in Method::ALL {
            g.bench_function(format!("{}_n{n}", m.name()), |b| {
                b.iter(|| black_box(synthesize(&t, m)))
            });
            let mut rng = from_seed(6);
            g.bench_function(format!("sample_and_{}_n{n}", m.name()), |b| {
                b.iter(|| black_box(synthesize(&random_clifford(n, &mut rng), m)))
            });
        }
    }
    g.finish();
}

fn tableau_gates(c: &mut Criterion) {
    let mut g = c.benchmark_group("tableau");
    g.sample_size(10);
    let circuit = random_gates(256, 1_000_000, &mut from_seed(3));
    g.bench_function("apply_1e6_gates_n256", |b| {
        b.iter(|| black_box(Tableau::from_circuit(&circuit)))
    });
    g.finish();
}

fn frames(c: &mut Criterion) {
    let mut g = c.benchmark_group("conjugate_frame");
    let n = 85;
    let t = random_clifford(n, &mut from_seed(4));
    let mut rng = from_seed(5);
    let paulis: Vec<PauliString> = (0..64).map(|_| PauliString::random(n, &mut rng)).collect();
    let single = PauliString::single(n, 7, clinr_explorer::pauli::Pauli1::Y);
    let (mut ox, mut oz) = (vec![0u64; 2], vec![0u64; 2]);
    t.conjugate_frame(single.xs(), single.zs(), &mut ox, &mut oz); // build the row cache
    g.bench_function("n85_weight1", |b| {
        b.iter(|| {
            t.conjugate_frame(single.xs(), single.zs(), &mut ox, &mut oz);
            black_box(&ox);
        })
    });
    let mut i = 0;
    g.bench_function("n85_random_pauli", |b| {
        b.iter(|| {
            let p = &paulis[i % paulis.len()];
            i += 1;
            t.conjugate_frame(p.xs(), p.zs(), &mut ox, &mut oz);
            black_box(&ox);
        })
    });
    g.bench_function("n85_inverse_random_pauli", |b| {
        b.iter(|| {
            let p = &paulis[i % paulis.len()];
            i += 1;
            t.conjugate_inverse_frame(p.xs(), p.zs(), &mut ox, &mut oz);
            black_box(&ox);
        })
    });
    g.finish();
}

criterion_group!(benches, clifford_sampling, syntheses, tableau_gates, frames);
criterion_main!(benches);
