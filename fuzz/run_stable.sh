#!/usr/bin/env bash
# Run one fuzz target with libFuzzer on the stable toolchain (cargo-fuzz
# wants nightly for its sanitizer flags; coverage instrumentation alone needs
# only stable). Safe Rust needs no AddressSanitizer: what a run looks for is
# a panic (an index out of bounds, a slice off a char boundary, an overflow:
# debug assertions and overflow checks are on), a timeout or runaway memory.
#   bash fuzz/run_stable.sh TARGET SECONDS [SEED_DIR...]
# e.g. bash fuzz/run_stable.sh analyzer 600 examples/
# The corpus grows in fuzz/corpus/TARGET, crashes land in fuzz/artifacts/TARGET
# (both ignored by git); a crash file replays with
#   target/fuzz/x86_64-unknown-linux-gnu/release/TARGET CRASH_FILE
set -euo pipefail
cd "$(dirname "$0")"
target=$1 secs=$2
shift 2
triple=$(rustc -vV | sed -n 's/^host: //p')
# --target keeps the instrumentation off build scripts and proc macros.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cdebug-assertions -Coverflow-checks" \
  cargo build --release --bin "$target" --target "$triple" --target-dir ../target/fuzz
mkdir -p "corpus/$target" "artifacts/$target"
"../target/fuzz/$triple/release/$target" "corpus/$target" "$@" \
  -max_total_time="$secs" -timeout=20 -rss_limit_mb=4096 -max_len=4096 \
  -artifact_prefix="artifacts/$target/" -print_final_stats=1
