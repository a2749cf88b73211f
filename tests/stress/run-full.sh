#!/usr/bin/env bash
# The full figures of tests/README.md, in one command:
#   tests/stress/run-full.sh [BUILD_DIR] [--fuzz SECONDS]
# - concurrency: 8 processes x 1000 changes (plus 3 readers and a backup
#   taker), in WAL and in rollback-journal mode;
# - crashes: 100 kills per journal mode (200 in all);
# - the same on PostgreSQL, and the server restarted under 8 x 1000;
# - the bad-input catalogue, through the core and the command line;
# - with --fuzz SECONDS: every fuzz target for SECONDS (one at a time),
#   in a clang build beside BUILD_DIR (BUILD_DIR-fuzz).
# BUILD_DIR (default: build) is built first. Takes about 10 minutes without
# --fuzz. Exit status 0 when every part passed.
set -u
src=$(cd "$(dirname "$0")/../.." && pwd)
build=build
fuzz=0
while [ $# -gt 0 ]; do
	case $1 in
	--fuzz)
		fuzz=${2:?--fuzz needs seconds}
		shift 2
		;;
	*)
		build=$1
		shift
		;;
	esac
done
case $build in /*) ;; *) build=$PWD/$build ;; esac

if [ ! -f "$build/CMakeCache.txt" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
fi
cmake --build "$build" -j2 >/dev/null || {
	echo "run-full: the build failed" >&2
	exit 2
}

failed=0
part() {
	local name=$1
	shift
	echo "== $name"
	if "$@"; then
		echo "-- $name: passed"
	else
		echo "-- $name: FAILED"
		failed=$((failed + 1))
	fi
}

export LC_ALL=C.UTF-8
part "concurrency: 8 x 1000, WAL and rollback journal" \
	"$build/tests/stress/ho-stress" --full --journal both
part "crashes: 100 kills per journal mode" "$build/tests/stress/ho-crash" --full --journal both
# On PostgreSQL: the server $HO_TEST_PG names (./scripts/test's, or one
# started here with pg_virtualenv), else these parts say why and are left out.
pg() {
	if [ -n "${HO_TEST_PG:-}" ]; then
		"$@"
	elif command -v pg_virtualenv >/dev/null; then
		pg_virtualenv -t sh -c 'HO_TEST_PG="host=$PGHOST port=$PGPORT user=$PGUSER password=$PGPASSWORD" exec "$@"' sh "$@"
	else
		echo "no PostgreSQL server (set HO_TEST_PG, or install pg_virtualenv): left out"
	fi
}
part "PostgreSQL concurrency: 8 x 1000" pg "$build/tests/stress/ho-stress" --postgresql --full
part "PostgreSQL crashes: 100 kills" pg "$build/tests/stress/ho-crash" --postgresql --full \
	--max-delay-ms 800
part "PostgreSQL server restarted mid-run: 8 x 1000" pg sh "$src/tests/stress/pg-restart.sh" \
	"$build/tests/stress/ho-stress" --full --restart-after 20000
part "bad inputs through the core" "$build/tests/test_robust_badinput"
part "bad inputs through the command line" \
	env HANDOVER_BIN="$build/handover" HO_SRC="$src" bash "$src/tests/e2e/robust_badinput.sh"
if [ "$fuzz" -gt 0 ]; then
	part "fuzzing: every target for $fuzz s" "$src/tests/fuzz/run.sh" "$build-fuzz" "$fuzz"
fi
echo "run-full: $failed part(s) failed"
[ "$failed" -eq 0 ]
