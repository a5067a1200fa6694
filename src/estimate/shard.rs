//! Slicing a sweep's work into N disjoint shards, to run on N machines (`clinr sweep --shard
//! I/N`, e.g. a Slurm job array with `--array=1-N` and I = `SLURM_ARRAY_TASK_ID`).
//!
//! The work of a sweep of P points over C circuits is its P·C (point, circuit) items. They are
//! listed circuit-major — item index c·P + p — and shard I of N takes the contiguous run of
//! indices ⌊(I−1)·PC/N⌋ .. ⌊I·PC/N⌋. Circuit-major order keeps a circuit's points together
//! (a τ_e or p sweep then builds each circuit's tables once per shard and shares its attempts
//! across τ_e), and mixes every point into every shard (an n or t sweep's costly points are
//! spread evenly). The shards are disjoint and cover every item exactly once (tested).

/// Parses `I/N` (1 ≤ I ≤ N): the shard and the number of shards.
pub fn parse_shard(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("'{s}' is not I/N with 1 ≤ I ≤ N (e.g. 3/8)");
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let i: u32 = i.trim().parse().map_err(|_| bad())?;
    let n: u32 = n.trim().parse().map_err(|_| bad())?;
    if i == 0 || i > n {
        return Err(bad());
    }
    Ok((i, n))
}

/// The (point, circuit) items of shard `shard` (1-based) of `shards`, for `points` points and
/// `circuits` circuits, in circuit-major order. Empty when there are fewer items than shards
/// and this shard gets none.
pub fn shard_items(points: u32, circuits: u32, shard: u32, shards: u32) -> Vec<(u32, u32)> {
    let total = u64::from(points) * u64::from(circuits);
    let shards = u64::from(shards.max(1));
    let i = u64::from(shard.clamp(1, shards as u32));
    let (from, to) = ((i - 1) * total / shards, i * total / shards);
    (from..to)
        .map(|x| {
            (
                (x % u64::from(points)) as u32,
                (x / u64::from(points)) as u32,
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_are_disjoint_and_cover_every_item_once() {
        for (p, c) in [(1u32, 1u32), (3, 7), (7, 3), (5, 20), (2, 1)] {
            for n in [1u32, 2, 3, 7, 30] {
                let mut seen = vec![0u32; (p * c) as usize];
                let mut sizes = Vec::new();
                for i in 1..=n {
                    let items = shard_items(p, c, i, n);
                    sizes.push(items.len());
                    for (pp, cc) in items {
                        seen[(cc * p + pp) as usize] += 1;
                    }
                }
                assert!(seen.iter().all(|&x| x == 1), "P={p} C={c} N={n}");
                let (lo, hi) = (sizes.iter().min().unwrap(), sizes.iter().max().unwrap());
                assert!(hi - lo <= 1, "balanced: {sizes:?}");
            }
        }
        // Circuit-major: a shard holds whole circuits' points when it can.
        assert_eq!(
            shard_items(3, 4, 1, 2),
            vec![(0, 0), (1, 0), (2, 0), (0, 1), (1, 1), (2, 1)]
        );
    }

    #[test]
    fn shard_specs_parse() {
        assert_eq!(parse_shard("3/8"), Ok((3, 8)));
        assert_eq!(parse_shard("1/1"), Ok((1, 1)));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/3"] {
            assert!(parse_shard(bad).is_err(), "{bad}");
        }
    }
}
