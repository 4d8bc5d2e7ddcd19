//! Untrusted CSV through the DP query path: batch reader, interning, value
//! parsing, bounding and release. Must never panic; errors are fine.
#![no_main]

use libfuzzer_sys::fuzz_target;
use veil_core::io::batches::open_batches;
use veil_dp::PrivacyRng;
use veil_dp::aggregate::{Metric, Query, QuerySpec};

fuzz_target!(|data: &[u8]| {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("in.csv");
    let mut bytes = b"u,p,v\n".to_vec();
    bytes.extend_from_slice(data);
    std::fs::write(&path, &bytes).expect("write");
    let spec = QuerySpec {
        privacy_unit: "u".into(),
        partition_by: vec!["p".into()],
        value: Some("v".into()),
        metrics: vec![Metric::Count, Metric::Sum, Metric::Variance, Metric::Quantiles(vec![0.5])],
        bounds: Some((-5.0, 5.0)),
        max_partitions: 2,
        max_rows_per_partition: 2,
        epsilon: 1.0,
        delta: 1e-6,
        public_partitions: None,
    };
    let Ok(mut q) = Query::new(spec) else { return };
    let cols = ["u".to_string(), "p".to_string(), "v".to_string()];
    let Ok(batches) = open_batches(&path, &cols, false, 7) else { return };
    for b in batches {
        let Ok(b) = b else { return };
        if q.push(&b).is_err() {
            return;
        }
    }
    let mut rng = PrivacyRng::insecure_from_seed(0);
    let _ = q.release(&mut rng);
});
