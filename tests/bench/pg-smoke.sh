#!/usr/bin/env bash
# bench/pg-smoke: the benchmark on PostgreSQL, small: generate --scale
# smoke into a fresh database on the server $HO_TEST_PG names, run --quick,
# expect the table with the engine named. Never how fast. Skipped (77)
# without a server.
set -euo pipefail
bench=$1
if [ -z "${HO_TEST_PG:-}" ]; then
	echo "skipped: no PostgreSQL server: set HO_TEST_PG, or run ./scripts/test, which starts one"
	exit 77
fi
db=ho_bench_smoke_$$
psql -X -q -d "$HO_TEST_PG dbname=postgres" -c "CREATE DATABASE $db"
trap 'psql -X -q -d "$HO_TEST_PG dbname=postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
out=$(mktemp)
trap 'rm -f "$out"; psql -X -q -d "$HO_TEST_PG dbname=postgres" -c "DROP DATABASE IF EXISTS $db WITH (FORCE)"' EXIT
"$bench" generate "$HO_TEST_PG dbname=$db" --scale smoke | tee "$out"
if grep -q "password" "$out"; then
	echo "the generator printed the connection's password" >&2
	exit 1
fi
"$bench" run "$HO_TEST_PG dbname=$db" --quick | tee "$out"
grep -q '^file: postgresql://.*engine: postgresql' "$out"
if grep -q "password" "$out"; then
	echo "the run printed the connection's password" >&2
	exit 1
fi
grep -q '^| figure | n | p50 ms' "$out"
grep -q '^| open to first paint: My work' "$out"
grep -q '^| another process.s commit to redraw | [1-9]' "$out"
grep -q '^| status (core) | [1-9][0-9]* | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]* | [0-9.]*x' "$out"
grep -q '^targets met: ' "$out"
