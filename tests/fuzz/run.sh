#!/usr/bin/env bash
# Run the libFuzzer targets, then merge what they found into the kept
# corpus (tests/fuzz/corpus/<target>, minimised).
#
# Usage: tests/fuzz/run.sh [BUILD_DIR [SECONDS [TARGET...]]]
#   BUILD_DIR  a build configured with -DCMAKE_C_COMPILER=clang -DHO_FUZZ=ON
#              (default build-fuzz; built here when needed)
#   SECONDS    per target (default 600)
#   TARGET     text refs csv cli dbfile (default all)
# Two targets run at a time, niced. Logs and any crash, leak or timeout
# inputs are kept in BUILD_DIR/fuzz-work/<target>/. The last line per
# target is its figures: executions, corpus size, findings.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-build-fuzz}
secs=${2:-600}
shift 2 2>/dev/null || shift $#
targets=${*:-text refs csv cli dbfile}
case $build in /*) ;; *) build=$PWD/$build ;; esac

if [ ! -d "$build" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DHO_FUZZ=ON \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
fi
cmake --build "$build" -j2 --target fuzz_all >/dev/null || exit 2
work=$build/fuzz-work
mkdir -p "$work"
# Bytes of saved corpus kept per target.
cap=${HO_FUZZ_CORPUS_CAP:-2500000}

run_one() {
	local t=$1
	local opts=(-max_len=65536)
	mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
	cp -n "$here/corpus/$t"/* "$work/$t/corpus/" 2>/dev/null
	[ "$t" = cli ] && opts+=(-close_fd_mask=2)
	# Handover files: small ones reach as far as big ones, and run faster.
	[ "$t" = dbfile ] && opts=(-max_len=32768)
	nice -n 10 "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-timeout=30 -rss_limit_mb=2048 "${opts[@]}" \
		-artifact_prefix="$work/$t/artifacts/" "$work/$t/corpus" >"$work/$t/log" 2>&1
	echo "$?" >"$work/$t/status"
}

# shellcheck disable=SC2086 # a list of words
set -- $targets
while [ $# -gt 0 ]; do
	run_one "$1" &
	if [ $# -gt 1 ]; then
		run_one "$2" &
		shift
	fi
	shift
	wait
done

for t in $targets; do
	# Keep a minimal corpus covering everything found.
	merged=$work/$t/merged
	rm -rf "$merged"
	mkdir -p "$merged"
	quiet=
	[ "$t" = cli ] && quiet=-close_fd_mask=2
	# shellcheck disable=SC2086
	"$build/tests/fuzz/fuzz_$t" -merge=1 $quiet \
		"$merged" "$here/corpus/$t" "$work/$t/corpus" >"$work/$t/merge.log" 2>&1
	if [ -n "$(ls -A "$merged")" ]; then
		rm -f "$here/corpus/$t"/*
		# Keep the repository small: past $cap bytes, the smallest inputs
		# of the merged set (the merge adds small inputs first, so they
		# carry most of the coverage).
		total=0
		while read -r bytes file; do
			total=$((total + bytes))
			[ "$total" -gt "$cap" ] && break
			cp "$file" "$here/corpus/$t/"
		done < <(find "$merged" -type f -printf '%s %p\n' | sort -n)
	fi
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -1)
	findings=$(find "$work/$t/artifacts" -type f | wc -l)
	printf '%s: %s executions in %s s, exit %s, corpus %s files (%s bytes), findings %s\n' \
		"$t" "${execs:-?}" "$secs" "$(cat "$work/$t/status")" \
		"$(find "$here/corpus/$t" -type f | wc -l)" \
		"$(du -cb "$here/corpus/$t" | tail -1 | cut -f1)" "$findings"
done
