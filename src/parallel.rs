//! An order-keeping parallel map over at most as many threads as there are cores: for
//! independent catalog files and scenarios.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `f` over `items` on every core (each thread takes the next item when it is free, so
/// uneven items balance), and returns the results in the items' order.
pub(crate) fn map<T: Send, U: Send>(items: Vec<T>, f: impl Fn(T) -> U + Sync) -> Vec<U> {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    map_on(cores, items, f)
}

/// Like [`map`], on at most `threads` threads: for work that waits (network requests)
/// rather than computes, where the bound is politeness, not cores.
pub(crate) fn map_on<T: Send, U: Send>(
    threads: usize,
    items: Vec<T>,
    f: impl Fn(T) -> U + Sync,
) -> Vec<U> {
    let threads = threads.min(items.len());
    if threads < 2 {
        return items.into_iter().map(f).collect();
    }
    let inputs: Vec<Mutex<Option<T>>> = items.into_iter().map(|t| Mutex::new(Some(t))).collect();
    let outputs: Vec<Mutex<Option<U>>> = inputs.iter().map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(slot) = inputs.get(i) else { break };
                    // Each index is taken by exactly one thread, so these locks never wait;
                    // a poisoned lock means a worker panicked, which the scope re-raises.
                    let item = slot.lock().ok().and_then(|mut s| s.take());
                    if let Some(item) = item {
                        let out = f(item);
                        if let Ok(mut o) = outputs[i].lock() {
                            *o = Some(out);
                        }
                    }
                }
            });
        }
    });
    outputs
        .into_iter()
        .filter_map(|o| o.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn keeps_order_and_every_item() {
        let out = super::map((0..1_000u64).collect(), |x| x * x);
        assert_eq!(out, (0..1_000u64).map(|x| x * x).collect::<Vec<_>>());
        assert!(super::map(Vec::<u8>::new(), |x| x).is_empty());
    }
}
