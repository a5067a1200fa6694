//! Benchmarks of the claim map (`clinr claims`, the page's claim-map jobs): one reading (the
//! paper's Fig. 3a and Fig. 3b sweeps, then Q1–Q5) and the whole default map (K1 × K4 × K2 ×
//! K3), at small statistics (4 circuits × 50 samples) and one reading at the paper's 20 × 200,
//! on 1 and 2 threads. The full map at 20 × 200 is extrapolated as
//! full(4 × 50) × reading(20 × 200) / reading(4 × 50) (see the README), and checked against
//! one timed `clinr claims` run.

use std::hint::black_box;

use clinr_explorer::claims::map::{run_map, run_reading, Figure, KnobGrid};
use clinr_explorer::protocol::params::Params;
use clinr_explorer::protocol::reading::ReadingKind;
use criterion::{criterion_group, criterion_main, Criterion};

fn stats(circuits: u32, shots: u32) -> Params {
    Params {
        circuits,
        shots,
        knobs: ReadingKind::PaperConsistent.knobs().unwrap_or_default(),
        ..Default::default()
    }
}

fn claim_map(c: &mut Criterion) {
    let mut g = c.benchmark_group("claim_map");
    g.sample_size(10);
    let small = stats(4, 50);
    let paper = stats(20, 200);
    let grid = KnobGrid::default();
    for threads in [1u32, 2] {
        g.bench_function(format!("reading_4x50_{threads}t"), |b| {
            b.iter(|| black_box(run_reading(&small, &Figure::PAPER, threads, &mut |_| {})))
        });
        g.bench_function(format!("reading_20x200_{threads}t"), |b| {
            b.iter(|| black_box(run_reading(&paper, &Figure::PAPER, threads, &mut |_| {})))
        });
        g.bench_function(
            format!("full_map_{}_readings_4x50_{threads}t", grid.len()),
            |b| {
                b.iter(|| {
                    black_box(run_map(
                        &small,
                        &grid,
                        &Figure::PAPER,
                        threads,
                        &mut |_, _, _| {},
                    ))
                })
            },
        );
    }
    g.finish();
}

criterion_group!(benches, claim_map);
criterion_main!(benches);
