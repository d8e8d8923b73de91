#!/usr/bin/env bash
# Runs one scimeter fuzz target on the stable toolchain.
#
#   fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# TARGET is provider, scenario, pipeline or writer. The corpus fuzz/corpus/TARGET (untracked) is
# seeded from the shipped catalog, docs/examples/, the test fixtures and fuzz/seeds/TARGET.
# Crashes land in fuzz/artifacts/TARGET/. Needs `cargo install cargo-fuzz` (see
# docs/robustness.md). RUSTC_BOOTSTRAP=1 lets the stable compiler accept the `-Z` sanitizer
# flags cargo-fuzz passes. SANITIZER=none skips AddressSanitizer (about twice the executions
# per second; scimeter itself has no unsafe code).
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh provider|scenario|pipeline|writer [SECONDS] [libFuzzer flags...]}
secs=${2:-600}
shift $(( $# >= 2 ? 2 : 1 ))
corpus=corpus/$target
mkdir -p "$corpus"

# Files are named by content hash, so fixtures with the same name (acme.toml) do not collide.
add() { for f in "$@"; do [ -f "$f" ] && cp "$f" "$corpus/seed-$(sha1sum "$f" | cut -c1-16)"; done; return 0; }
case $target in
  provider) add ../providers/*.toml ../docs/examples/providers/*.toml ../tests/fixtures/*/*/providers/*.toml ../tests/fixtures/*/*/*/providers/*.toml ;;
  scenario) add ../scenarios/*.toml ../docs/examples/scenarios/*.toml ../tests/fixtures/*/*/scenarios/*.toml ../tests/fixtures/*/*/*/scenarios/*.toml ;;
  pipeline|writer) ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
[ -d "seeds/$target" ] && add seeds/"$target"/*

RUSTC_BOOTSTRAP=1 exec cargo fuzz run --sanitizer "${SANITIZER:-address}" "$target" "$corpus" -- \
  -max_total_time="$secs" -timeout=30 -rss_limit_mb=4096 -max_len=65536 -print_final_stats=1 "$@"
