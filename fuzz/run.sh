#!/usr/bin/env bash
# The long form of the fuzzing (issue 8): each target for SECONDS (default 600) with
# cargo-fuzz (libFuzzer). Inputs that crash are copied to fuzz/regressions/<target>/, where
# `cargo test --test fuzz_regressions` keeps running them.
#
#   cargo install cargo-fuzz      # once
#   fuzz/run.sh                   # all targets, 10 minutes each
#   SECONDS_PER_TARGET=60 fuzz/run.sh deadline
#
# cargo-fuzz wants a nightly compiler for the sanitizer flags; RUSTC_BOOTSTRAP=1 lets the
# stable toolchain accept them (the only toolchain on our machines).
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${SECONDS_PER_TARGET:-600}
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(import_csv import_xlsx deadline template sync_bundle sync_changeset)
export RUSTC_BOOTSTRAP=1
status=0
for t in "${targets[@]}"; do
  mkdir -p "fuzz/corpus/$t" "fuzz/regressions/$t"
  log="fuzz/artifacts/$t.log"
  mkdir -p fuzz/artifacts
  echo "== $t: $secs s"
  cargo fuzz run "$t" "fuzz/corpus/$t" "fuzz/seeds/$t" -- \
    -max_total_time="$secs" -rss_limit_mb=2048 -timeout=10 > "$log" 2>&1
  rc=$?
  grep -E "^Done [0-9]+ runs" "$log" || tail -5 "$log"
  for crash in fuzz/artifacts/"$t"/crash-* fuzz/artifacts/"$t"/oom-* fuzz/artifacts/"$t"/timeout-*; do
    [ -e "$crash" ] || continue
    cp "$crash" "fuzz/regressions/$t/"
    echo "   finding kept: fuzz/regressions/$t/$(basename "$crash")"
    status=1
  done
  [ $rc -ne 0 ] && status=1
done
exit $status
