#!/usr/bin/env bash
# The full figures of tests/README.md, in one command:
#   tests/stress/run-full.sh [BUILD_DIR] [--fuzz SECONDS]
# - concurrency: 8 processes x 1000 changes (plus 3 readers and a backup
#   taker), in WAL and in rollback-journal mode;
# - crashes: 100 kills per journal mode (200 in all);
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
part "bad inputs through the core" "$build/tests/test_robust_badinput"
part "bad inputs through the command line" \
	env HANDOVER_BIN="$build/handover" HO_SRC="$src" bash "$src/tests/e2e/robust_badinput.sh"
if [ "$fuzz" -gt 0 ]; then
	part "fuzzing: every target for $fuzz s" "$src/tests/fuzz/run.sh" "$build-fuzz" "$fuzz"
fi
echo "run-full: $failed part(s) failed"
[ "$failed" -eq 0 ]
