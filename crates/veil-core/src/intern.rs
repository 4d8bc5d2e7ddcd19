//! Interned recognizer names: one `&'static str` per distinct name.
//!
//! Findings and candidates carry their recognizer's name. A reference
//! counted name (`Arc<str>`) would have every worker thread increment and
//! decrement the same counters, which share a cache line with the name
//! itself: the cores would pass that line back and forth on every finding.
//! A `&'static str` is copied without touching shared memory.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex, PoisonError};

static NAMES: LazyLock<Mutex<HashSet<&'static str>>> = LazyLock::new(|| Mutex::new(HashSet::new()));

/// The one `&'static str` equal to `name`. The first call for a name
/// allocates it for the life of the process; later calls return the same
/// reference, so memory grows with the number of distinct names (the
/// recognizers a process builds), never with the number of calls.
pub fn intern(name: &str) -> &'static str {
    let mut names = NAMES.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(&known) = names.get(name) {
        return known;
    }
    let leaked: &'static str = Box::leak(name.to_owned().into_boxed_str());
    names.insert(leaked);
    leaked
}

#[cfg(test)]
mod tests {
    use super::intern;

    #[test]
    fn equal_names_share_one_allocation() {
        let a = intern(&String::from("employee_id"));
        let b = intern(&format!("employee{}", "_id"));
        assert_eq!(a, "employee_id");
        assert!(std::ptr::eq(a, b));
        assert!(!std::ptr::eq(a, intern("employee_ids")));
    }
}
