//! Benchmarks of the fast sampler at the paper's operating point (n = 85, p = 1e-4,
//! t = r = 3, 20 circuits × 200 shots): one Fig. 3 point including circuit generation, the
//! Fig. 3b τ_e sweep (instances, tables and attempts shared across τ_e), the Fig. 3a n sweep,
//! and the pieces on one thread (generation, table building, sampling alone).

use std::hint::black_box;

use clinr_explorer::estimate::{simulate_on, sweep_on, Vary};
use clinr_explorer::parallel::available_threads;
use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::params::Params;
use clinr_explorer::sim::sampler::{prepare, prepare_reusing, run_prepared, Tables};
use clinr_explorer::sim::EngineKind;
use criterion::{criterion_group, criterion_main, Criterion};

fn point(n: u32) -> Params {
    Params {
        n,
        ..Default::default()
    }
}

/// The paper's Fig. 3 workloads through the public entry points the CLI and the page use
/// (`estimate::simulate` / `estimate::sweep`: generation, tables, sampling, aggregation), on
/// every core (`_mt`, as `clinr` runs by default) and on one thread (`_1t`, as one Web Worker
/// runs).
fn fig3(c: &mut Criterion) {
    let mut g = c.benchmark_group("sampler");
    g.sample_size(10);
    let params = point(85);
    let cores = available_threads();
    let tau = Vary::TauE(vec![1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0]);
    let ns = Vary::N(vec![50, 60, 70, 85, 100]);
    for (label, threads) in [("mt", cores), ("1t", 1)] {
        g.bench_function(format!("fig3_point_n85_{label}"), |b| {
            b.iter(|| {
                black_box(simulate_on(
                    threads,
                    &params,
                    EngineKind::Fast,
                    None,
                    &mut |_| {},
                ))
            })
        });
        g.bench_function(format!("fig3b_tau_sweep_n85_{label}"), |b| {
            b.iter(|| {
                black_box(sweep_on(
                    threads,
                    &params,
                    &tau,
                    EngineKind::Fast,
                    None,
                    &mut |_| {},
                ))
            })
        });
        g.bench_function(format!("fig3a_n_sweep_{label}"), |b| {
            b.iter(|| {
                black_box(sweep_on(
                    threads,
                    &params,
                    &ns,
                    EngineKind::Fast,
                    None,
                    &mut |_| {},
                ))
            })
        });
    }
    // The same point under the defaults before issue 11 (K1 on, Qiskit's AG synthesis: circuits
    // 2.5× deeper), so the cost of the change is a ratio measured in one run.
    let mut former = params;
    former.knobs.idle_on_resource_during_rspv = true;
    former.knobs.circuit_generator = clinr_explorer::circuit::random::CircuitGenerator::QiskitAg;
    g.bench_function("fig3_point_n85_1t_former_defaults", |b| {
        b.iter(|| black_box(simulate_on(1, &former, EngineKind::Fast, None, &mut |_| {})))
    });
    g.finish();
}

fn pieces(c: &mut Criterion) {
    let mut g = c.benchmark_group("sampler_pieces");
    g.sample_size(10);
    let params = point(85);
    g.bench_function("generate_20_instances_n85", |b| {
        b.iter(|| {
            for c in 0..params.circuits {
                black_box(Instance::generate(&params, c));
            }
        })
    });
    let insts: Vec<Instance> = (0..params.circuits)
        .map(|c| Instance::generate(&params, c))
        .collect();
    g.bench_function("prepare_20_instances_n85", |b| {
        // As a worker does: each circuit's tables rebuilt in the previous one's buffers.
        let mut tables = Tables::default();
        b.iter(|| {
            for i in &insts {
                let prep = prepare_reusing(i, &params, std::mem::take(&mut tables));
                black_box(prep.direct_table().words);
                tables = prep.into_tables();
            }
        })
    });
    let preps: Vec<_> = insts.iter().map(|i| prepare(i, &params)).collect();
    // 4000 protocol samples (each: direct + monolithic + distributed).
    g.bench_function("sample_4000_shots_n85", |b| {
        b.iter(|| {
            for (c, prep) in preps.iter().enumerate() {
                black_box(run_prepared(prep, &params, c as u32).unwrap());
            }
        })
    });
    g.finish();
}

/// Issue 14's scaling workload: a t sweep at n = 85 (t = 2 … 32, the values of the README's
/// links table), with the minimum-links search, through the same entry points as
/// `clinr sweep --vary t=… --min-links`, on 2 threads and on 1.
fn t_sweep(c: &mut Criterion) {
    use clinr_explorer::estimate::scaling::min_parallel_links;
    let mut g = c.benchmark_group("scaling");
    g.sample_size(10);
    let params = point(85);
    let ts = Vary::T(vec![2, 3, 4, 6, 8, 12, 16, 24, 32]);
    for threads in [2u32, 1] {
        g.bench_function(format!("t_sweep_2_to_32_n85_{threads}t"), |b| {
            b.iter(|| {
                let points = sweep_on(threads, &params, &ts, EngineKind::Fast, None, &mut |_| {})
                    .expect("valid sweep");
                black_box(
                    points
                        .iter()
                        .map(|(_, r)| min_parallel_links(r).min_parallel_links)
                        .collect::<Vec<_>>(),
                )
            })
        });
    }
    g.finish();
}

criterion_group!(benches, fig3, pieces, t_sweep);
criterion_main!(benches);
