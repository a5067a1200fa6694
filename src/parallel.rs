//! A deterministic parallel map over item indices (the circuits of a point).
//!
//! Each item draws from its own random streams (`rng::stream(seed, &[.., circuit, ..])`), so
//! which thread computes which item never changes a number: results come back in index order
//! and, on failure, the error is that of the smallest failing index, exactly as a sequential
//! loop would give. Natively the items are spread over scoped threads; in wasm (one Web Worker
//! is one thread) and for one thread the map is a plain loop.

/// The number of threads worth using here: the machine's parallelism natively, 1 in wasm.
pub fn available_threads() -> u32 {
    #[cfg(not(target_arch = "wasm32"))]
    {
        std::thread::available_parallelism()
            .map_or(1, |n| u32::try_from(n.get()).unwrap_or(u32::MAX))
    }
    #[cfg(target_arch = "wasm32")]
    {
        1
    }
}

/// `work(state, i)` for every i in `0..count`, on up to `threads` threads, each with its own
/// `state` from `init` (reusable buffers). Returns the results in index order, or the error of
/// the smallest failing index (items after a failure may be skipped). `done(k)` runs on the
/// calling thread each time an item succeeds, with k = the number succeeded so far.
pub fn map_indexed<T, E, S>(
    count: u32,
    threads: u32,
    init: impl Fn() -> S + Sync,
    work: impl Fn(&mut S, u32) -> Result<T, E> + Sync,
    done: &mut dyn FnMut(u32),
) -> Result<Vec<T>, E>
where
    T: Send,
    E: Send,
{
    #[cfg(not(target_arch = "wasm32"))]
    if threads > 1 && count > 1 {
        return threaded::map_indexed(count, threads.min(count), init, work, done);
    }
    let _ = threads;
    let mut state = init();
    let mut out = Vec::with_capacity(count as usize);
    for i in 0..count {
        out.push(work(&mut state, i)?);
        done(i + 1);
    }
    Ok(out)
}

#[cfg(not(target_arch = "wasm32"))]
mod threaded {
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::mpsc;

    /// Workers take indices in increasing order from a shared counter; a failure at i stops
    /// them from starting any index above i. Every index below the smallest failure was
    /// therefore taken and finished, so the first non-success in index order is that failure.
    pub(super) fn map_indexed<T, E, S>(
        count: u32,
        threads: u32,
        init: impl Fn() -> S + Sync,
        work: impl Fn(&mut S, u32) -> Result<T, E> + Sync,
        done: &mut dyn FnMut(u32),
    ) -> Result<Vec<T>, E>
    where
        T: Send,
        E: Send,
    {
        let next = AtomicU32::new(0);
        let stop = AtomicU32::new(count);
        let mut slots: Vec<Option<Result<T, E>>> = (0..count).map(|_| None).collect();
        std::thread::scope(|scope| {
            let (tx, rx) = mpsc::channel::<(u32, Result<T, E>)>();
            for _ in 0..threads {
                let tx = tx.clone();
                let (next, stop, init, work) = (&next, &stop, &init, &work);
                scope.spawn(move || {
                    let mut state = init();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= count || i > stop.load(Ordering::Relaxed) {
                            break;
                        }
                        let r = work(&mut state, i);
                        if r.is_err() {
                            stop.fetch_min(i, Ordering::Relaxed);
                        }
                        if tx.send((i, r)).is_err() {
                            break;
                        }
                    }
                });
            }
            drop(tx);
            let mut succeeded = 0;
            for (i, r) in rx {
                if r.is_ok() {
                    succeeded += 1;
                    done(succeeded);
                }
                slots[i as usize] = Some(r);
            }
        });
        let mut out = Vec::with_capacity(count as usize);
        for slot in slots {
            match slot {
                Some(r) => out.push(r?),
                // Only indices above a failure are skipped, and that failure returned first.
                None => unreachable!("an index below every failure was skipped"),
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square_unless(fail: &[u32]) -> impl Fn(&mut u32, u32) -> Result<u64, u32> + Sync + '_ {
        move |calls: &mut u32, i: u32| {
            *calls += 1;
            if fail.contains(&i) {
                Err(i)
            } else {
                Ok(u64::from(i) * u64::from(i))
            }
        }
    }

    #[test]
    fn results_in_order_and_same_for_any_thread_count() {
        let want: Vec<u64> = (0..37u64).map(|i| i * i).collect();
        for threads in [1, 2, 3, 8] {
            let mut seen = Vec::new();
            let got = map_indexed(37, threads, || 0u32, square_unless(&[]), &mut |k| {
                seen.push(k)
            });
            assert_eq!(got, Ok(want.clone()), "threads {threads}");
            assert_eq!(seen, (1..=37).collect::<Vec<_>>(), "threads {threads}");
        }
        assert_eq!(
            map_indexed(0, 4, || 0u32, square_unless(&[]), &mut |_| {}),
            Ok(vec![])
        );
    }

    #[test]
    fn the_smallest_failing_index_is_reported() {
        for threads in [1, 2, 4] {
            for fail in [vec![0], vec![5, 20], vec![36], vec![30, 3, 17]] {
                let mut succeeded = 0;
                let got = map_indexed(37, threads, || 0u32, square_unless(&fail), &mut |k| {
                    succeeded = k
                });
                let first = *fail.iter().min().unwrap();
                assert_eq!(got, Err(first), "threads {threads}, failing {fail:?}");
                assert!(succeeded >= first, "every index below {first} succeeded");
            }
        }
    }
}
