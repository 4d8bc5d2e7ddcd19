//! Custom recognizer files: any text gives rules or a typed error.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;
use veil_detect::custom::CustomRules;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let mut rules = CustomRules::default();
        let _ = rules.add_toml(src, Path::new("fuzz.toml"));
    }
});
