//! Benchmarks of the fast sampler at the paper's operating point (n = 85, p = 1e-4,
//! t = r = 3, 20 circuits × 200 shots): one Fig. 3 point including circuit generation, the
//! Fig. 3b τ_e sweep (instances and signature tables reused across τ_e), the Fig. 3a n sweep,
//! and the pieces (generation, table building, sampling alone).

use std::hint::black_box;

use clinr_explorer::protocol::block::Instance;
use clinr_explorer::protocol::params::Params;
use clinr_explorer::sim::sampler::{prepare, run_circuit, run_prepared};
use criterion::{criterion_group, criterion_main, Criterion};

fn point(n: u32) -> Params {
    Params {
        n,
        ..Default::default()
    }
}

/// One data point: generate every circuit and sample all three implementations.
fn run_point(params: &Params) -> u64 {
    let mut errors = 0u64;
    for c in 0..params.circuits {
        let inst = Instance::generate(params, c);
        let s = run_circuit(&inst, params, c).unwrap();
        errors += s.distributed.iter().filter(|x| x.logical_error).count() as u64;
    }
    errors
}

fn fig3(c: &mut Criterion) {
    let mut g = c.benchmark_group("sampler");
    g.sample_size(10);
    let params = point(85);
    g.bench_function("fig3_point_n85_with_generation", |b| {
        b.iter(|| black_box(run_point(&params)))
    });
    g.bench_function("fig3b_tau_sweep_n85", |b| {
        b.iter(|| {
            let insts: Vec<Instance> = (0..params.circuits)
                .map(|c| Instance::generate(&params, c))
                .collect();
            let preps: Vec<_> = insts.iter().map(|i| prepare(i, &params)).collect();
            let mut errors = 0u64;
            for tau in [1.0, 2.0, 3.0, 5.0, 8.0, 10.0, 15.0] {
                let mut p = params;
                p.tau_e = tau;
                for (c, prep) in preps.iter().enumerate() {
                    let s = run_prepared(prep, &p, c as u32).unwrap();
                    errors += s.distributed.iter().filter(|x| x.logical_error).count() as u64;
                }
            }
            black_box(errors)
        })
    });
    g.bench_function("fig3a_n_sweep", |b| {
        b.iter(|| {
            let mut e = 0;
            for n in [50, 60, 70, 85, 100] {
                e += run_point(&point(n));
            }
            black_box(e)
        })
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
        b.iter(|| {
            for i in &insts {
                black_box(prepare(i, &params));
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

criterion_group!(benches, fig3, pieces);
criterion_main!(benches);
