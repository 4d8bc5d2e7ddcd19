//! One copy of a compiled pattern per worker thread.
//!
//! A `regex` or `regex-automata` matcher keeps its search caches in a pool
//! owned by the first thread that searches with it: that thread takes its
//! cache with one atomic store to the pool's owner word (and another to
//! give it back), every other thread reads that word and then goes through
//! a locked stack, so the cores pass that cache line back and forth on
//! every search. A
//! clone of a matcher shares the compiled program but has a pool of its
//! own; [`PerThread`] holds one clone per rayon worker and hands each
//! worker its own, so no search touches memory another thread writes.

use std::ops::Deref;

/// Copies of `T`, one per rayon worker thread of a machine-sized pool plus
/// one for every other thread. Dereferences to the calling thread's copy;
/// a worker whose index is past the copies made (a pool larger than the
/// machine) shares the other threads' copy — slower, never wrong, since
/// every copy gives the same answers.
#[derive(Debug)]
pub struct PerThread<T> {
    copies: Box<[T]>,
}

/// Copies made: one per core (at most 32) and one for other threads.
/// Asked of the system once per process: `available_parallelism` opens
/// and reads the cgroup files each time (a read of `/proc/self/cgroup`
/// took ~4 ms on the benchmark machine), and each phone region's patterns
/// make their caches at first use, in the middle of a scan: 187 calls and
/// 555 file opens over 20 MB of records as CSV, the workers waiting.
fn copies() -> usize {
    static COPIES: std::sync::LazyLock<usize> = std::sync::LazyLock::new(|| {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(32)) + 1
    });
    *COPIES
}

impl<T: Clone> PerThread<T> {
    /// `value` and its clones, one for each worker.
    pub fn new(value: T) -> PerThread<T> {
        let n = copies();
        let mut copies = Vec::with_capacity(n);
        copies.extend(std::iter::repeat_n(&value, n - 1).cloned());
        copies.push(value);
        PerThread {
            copies: copies.into_boxed_slice(),
        }
    }
}

impl<T> PerThread<T> {
    /// One value per worker, each made by `make` (for values that are not
    /// `Clone`, such as a lock around a search cache).
    pub fn from_fn(make: impl Fn() -> T) -> PerThread<T> {
        PerThread {
            copies: (0..copies()).map(|_| make()).collect(),
        }
    }
}

impl<T> Deref for PerThread<T> {
    type Target = T;

    /// The calling thread's copy (rayon worker `i` gets copy `i + 1`).
    fn deref(&self) -> &T {
        let slot = rayon::current_thread_index().map_or(0, |i| i + 1);
        self.copies.get(slot).unwrap_or(&self.copies[0])
    }
}

/// The search caches of one lazy DFA, one per worker behind a lock that no
/// other worker takes (every search writes its cache).
#[derive(Debug)]
pub struct LazyCaches(PerThread<std::sync::Mutex<regex_automata::hybrid::dfa::Cache>>);

impl LazyCaches {
    /// Fresh caches for `dfa`.
    pub fn new(dfa: &regex_automata::hybrid::dfa::DFA) -> LazyCaches {
        LazyCaches(PerThread::from_fn(|| {
            std::sync::Mutex::new(dfa.create_cache())
        }))
    }

    /// The calling thread's cache, for `dfa` (the DFA it was made for); one
    /// a panic left mid-search, which the DFA may not read, is reset first.
    pub fn lock(
        &self,
        dfa: &regex_automata::hybrid::dfa::DFA,
    ) -> std::sync::MutexGuard<'_, regex_automata::hybrid::dfa::Cache> {
        self.0.lock().unwrap_or_else(|poisoned| {
            let mut cache = poisoned.into_inner();
            dfa.reset_cache(&mut cache);
            cache
        })
    }
}

/// A [`regex::Regex`] with a copy per worker thread.
pub type LocalRegex = PerThread<regex::Regex>;

#[cfg(test)]
mod tests {
    use super::PerThread;

    #[test]
    fn each_worker_searches_with_its_own_copy() {
        let re = PerThread::new(regex::Regex::new(r"\d+").unwrap());
        let mine: *const regex::Regex = &*re;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let (a, b) = pool.join(
            || {
                (
                    &*re as *const regex::Regex as usize,
                    re.find("ab 12").map(|m| m.start()),
                )
            },
            || {
                (
                    &*re as *const regex::Regex as usize,
                    re.find("ab 12").map(|m| m.start()),
                )
            },
        );
        assert_eq!(a.1, Some(3));
        assert_eq!(b.1, Some(3));
        if std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2 {
            // Both workers of a two-thread pool have copies of their own,
            // and neither is the one a thread outside the pool gets.
            assert_ne!(a.0, mine as usize);
            assert_ne!(b.0, mine as usize);
        }
    }
}
