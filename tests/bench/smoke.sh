#!/usr/bin/env bash
# bench/smoke: generate --scale smoke, run --quick, expect the table.
set -euo pipefail
bench=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$bench" generate "$dir/smoke.db" --scale smoke
"$bench" run "$dir/smoke.db" --quick | tee "$dir/out.txt"
grep -q '^| figure | n | p50 ms' "$dir/out.txt"
grep -q '^| open to first paint: My work' "$dir/out.txt"
grep -q '^| Tab to first Changes paint' "$dir/out.txt"
grep -q '^targets met: ' "$dir/out.txt"
