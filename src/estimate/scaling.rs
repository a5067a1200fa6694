//! The minimum number of parallel links per connection that keeps every sampled run from
//! waiting for Bell pairs (issue 14; paper §V, protocol.md §13, §15.6).
//!
//! **Wait (definition).** A run *waits* for Bell pairs when one of its injections is stalled:
//! RSI or the teleportation starts at S but its last remote CX, max_i L_i, comes later than
//! layer S + 1 because a pair was not there yet. Its wait is the length of the stall span
//! [S, max_i L_i − 1) summed over the injections, [`Schedule::pair_wait`] =
//! Σ (E − S − 4). Every link generates identically from `bell_start`, so only RSI 1 can stall
//! (protocol.md §8.7) and the wait is max(0, U_n − T_1 − 1), with U_n the first layer the n-th
//! pair of a link can be used (⌈bell_start + ⌈n/k⌉·τ_e⌉ + 1 with k generators per link) and
//! T_1 block 1's acceptance time ([`LinkParams::first_rsi_wait`], equal to the schedule's
//! value: tested). k changes nothing else of a run, so the samples of one simulation answer
//! every k: the engines record each distributed sample's T_1 ([`Report::first_acceptance`])
//! and the search below only evaluates this closed form on them.
//!
//! **Search.** The wait never grows with k (U_n does not), so k = 1, 2, 4, … doubles until no
//! run waits (at most k = n: then every pair comes in the first round and more generators
//! change nothing), then bisection finds the smallest such k.
//!
//! [`Schedule::pair_wait`]: crate::protocol::schedule::Schedule::pair_wait

use super::Report;
use crate::protocol::schedule::LinkParams;
use serde::{Deserialize, Serialize};

/// The result of the minimum-links search at one point.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MinLinks {
    /// The smallest k (generators per link) at which no sampled run waits; None when even
    /// k = n does (one generation time τ_e, plus `bell_start`, exceeds the earliest T_1).
    pub min_parallel_links: Option<u32>,
    /// Mean wait (layers, over all distributed samples of all circuits) at k − 1; None when
    /// k = 1 or when there is no such k.
    pub mean_wait_at_k_minus_1: Option<f64>,
    /// Largest wait of a sample at k − 1 (None as above).
    pub max_wait_at_k_minus_1: Option<u32>,
    /// Mean wait at k (0 by definition), or at k = n when no k suffices.
    pub mean_wait_at_k: f64,
    /// The runs the search read (circuits × samples).
    pub runs: u64,
    /// Every k evaluated, in order (doubling, then bisection).
    pub evaluated: Vec<u32>,
}

/// (mean, max) wait over the histogram of T_1 at `links`, for links of n pairs.
pub fn wait_stats(first_acceptance: &[(u32, u64)], n: u32, links: &LinkParams) -> (f64, u32) {
    let (mut sum, mut runs, mut max) = (0u64, 0u64, 0u32);
    for &(t_1, count) in first_acceptance {
        let w = links.first_rsi_wait(n, t_1);
        sum += u64::from(w) * count;
        runs += count;
        max = max.max(w);
    }
    let mean = if runs == 0 {
        0.0
    } else {
        sum as f64 / runs as f64
    };
    (mean, max)
}

/// The minimum-links search on a report's samples (its τ_e and `bell_start`).
pub fn min_parallel_links(report: &Report) -> MinLinks {
    let p = &report.params;
    search(&report.first_acceptance, p.n, p.tau_e, p.knobs.bell_start)
}

/// The search on a T_1 histogram, for links of n pairs at τ_e per pair and generator.
pub fn search(first_acceptance: &[(u32, u64)], n: u32, tau_e: f64, bell_start: f64) -> MinLinks {
    let links = |k: u32| LinkParams {
        tau_e,
        bell_start,
        parallel_links: k,
    };
    let mut evaluated = Vec::new();
    let mut eval = |k: u32| {
        evaluated.push(k);
        wait_stats(first_acceptance, n, &links(k))
    };
    let runs = first_acceptance.iter().map(|&(_, c)| c).sum();
    let k_max = n.max(1);
    // Doubling: lo always waits, hi never does.
    let (mut lo, mut hi) = (0u32, 1u32);
    loop {
        let (_, max) = eval(hi);
        if max == 0 {
            break;
        }
        if hi >= k_max {
            let (mean, _) = wait_stats(first_acceptance, n, &links(k_max));
            return MinLinks {
                min_parallel_links: None,
                mean_wait_at_k_minus_1: None,
                max_wait_at_k_minus_1: None,
                mean_wait_at_k: mean,
                runs,
                evaluated,
            };
        }
        lo = hi;
        hi = hi.saturating_mul(2).min(k_max);
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if eval(mid).1 == 0 {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    let below = (hi > 1).then(|| wait_stats(first_acceptance, n, &links(hi - 1)));
    MinLinks {
        min_parallel_links: Some(hi),
        mean_wait_at_k_minus_1: below.map(|(m, _)| m),
        max_wait_at_k_minus_1: below.map(|(_, x)| x),
        mean_wait_at_k: wait_stats(first_acceptance, n, &links(hi)).0,
        runs,
        evaluated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::params::InputTiming;
    use crate::protocol::schedule::{Attempt, BlockTiming, Schedule};
    use crate::rng;
    use rand::RngExt;

    #[test]
    fn closed_form_wait_equals_the_schedule_stall_spans() {
        let mut r = rng::from_seed(3);
        for case in 0..400 {
            let n = r.random_range(1u32..40);
            let t = r.random_range(1u32..6);
            let blocks: Vec<Vec<Attempt>> = (0..t)
                .map(|_| {
                    let timing = BlockTiming {
                        rsp: r.random_range(3u32..30),
                        checks: vec![r.random_range(5u32..40); 2],
                        ..Default::default()
                    };
                    vec![Attempt::accepted(&timing); r.random_range(1usize..3)]
                })
                .collect();
            let links = LinkParams {
                tau_e: f64::from(r.random_range(1u32..80)) / 8.0,
                bell_start: f64::from(r.random_range(0u32..4)),
                parallel_links: r.random_range(1u32..5),
            };
            let s = Schedule::distributed(n, &blocks, InputTiming::FromStart, links);
            assert_eq!(
                s.pair_wait(),
                links.first_rsi_wait(n, s.accepted[0]),
                "case {case}"
            );
        }
    }

    #[test]
    fn search_finds_the_smallest_k_with_no_waiting_run() {
        // n = 40 pairs at τ_e = 10; T_1 ∈ {100, 130}: k pairs per round, ⌈40/k⌉ rounds.
        let hist = [(100u32, 3u64), (130, 1)];
        let res = search(&hist, 40, 10.0, 0.0);
        // No wait iff ⌈40/k⌉·10 + 1 ≤ 101, i.e. ⌈40/k⌉ ≤ 10, i.e. k ≥ 4.
        assert_eq!(res.min_parallel_links, Some(4));
        // At k = 3: U = 140 + 1 = 141; waits 40 (T_1 = 100) and 10 (T_1 = 130).
        assert_eq!(res.max_wait_at_k_minus_1, Some(40));
        assert_eq!(res.mean_wait_at_k_minus_1, Some((3.0 * 40.0 + 10.0) / 4.0));
        assert_eq!(res.mean_wait_at_k, 0.0);
        assert_eq!(res.runs, 4);
        // Brute force agrees for many settings.
        for tau in [0.5, 1.0, 3.0, 7.5, 20.0] {
            for n in [1u32, 5, 17, 40] {
                let res = search(&hist, n, tau, 0.0);
                let brute = (1..=n).find(|&k| {
                    let l = LinkParams {
                        tau_e: tau,
                        bell_start: 0.0,
                        parallel_links: k,
                    };
                    wait_stats(&hist, n, &l).1 == 0
                });
                assert_eq!(res.min_parallel_links, brute, "τ_e {tau} n {n}");
            }
        }
        // A single generation longer than every T_1: no k helps.
        let none = search(&[(5, 2)], 10, 20.0, 0.0);
        assert_eq!(none.min_parallel_links, None);
        assert!(none.mean_wait_at_k > 0.0);
        // Already no wait at k = 1.
        let one = search(&[(500, 1)], 10, 1.0, 0.0);
        assert_eq!(one.min_parallel_links, Some(1));
        assert_eq!(one.mean_wait_at_k_minus_1, None);
    }
}
