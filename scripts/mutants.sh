#!/usr/bin/env bash
# Mutation testing of the engines (docs/robustness.md, "Mutation testing"): cargo-mutants
# changes one operator, constant or return value at a time and runs the unit tests; a mutant
# the tests do not catch ("missed") is a missing test, unless it changes nothing observable.
#
#   scripts/mutants.sh FILE...          every mutant in these files
#   scripts/mutants.sh --since REV      mutants in the engine lines changed since REV
#
# Too slow for every push (each mutant rebuilds the crate), so it stays out of .ci/run: run it
# before merging a change to src/cost/, src/score/, src/diff/ or src/estimate/. Needs `cargo install
# cargo-mutants`. Results go to mutants.out/ (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."

command -v cargo-mutants >/dev/null || {
  echo "error: cargo-mutants is not installed; run \`cargo install --locked cargo-mutants\`" >&2
  exit 2
}

# Unit tests only: they sit next to the code and run in seconds; the profile builds the
# dependencies optimised (Cargo.toml, [profile.mutants]). The chart tests are skipped: they
# take half the time, and an engine mutant only a chart would notice is a missing engine test.
common=(--profile mutants --timeout 300 --no-shuffle)
test_args=(-- --lib -- --skip report::chart --skip report::charts)

if [[ "${1:-}" == "--since" ]]; then
  rev="${2:?usage: scripts/mutants.sh --since REV}"
  diff_file="$(mktemp)"
  trap 'rm -f "$diff_file"' EXIT
  git diff "$rev" -- src/cost src/score src/diff src/estimate > "$diff_file"
  if [[ ! -s "$diff_file" ]]; then
    echo "no engine changes since $rev"
    exit 0
  fi
  exec cargo mutants "${common[@]}" --in-diff "$diff_file" "${test_args[@]}"
fi

[[ $# -gt 0 ]] || { echo "usage: scripts/mutants.sh FILE... | --since REV" >&2; exit 2; }
files=()
for f in "$@"; do files+=(-f "$f"); done
exec cargo mutants "${common[@]}" "${files[@]}" "${test_args[@]}"
