#!/usr/bin/env bash
# Run the libFuzzer targets, then merge what they found into the kept
# corpus (tests/fuzz/corpus/<target>, minimised).
#
# Usage: tests/fuzz/run.sh [BUILD_DIR [SECONDS [TARGET...]]]
#   BUILD_DIR  a build configured with -DCMAKE_C_COMPILER=clang -DHO_FUZZ=ON
#              (default build-fuzz; built here when needed)
#   SECONDS    per target (default 600)
#   TARGET     text refs csv cli dbfile match (default all)
# One target at a time, at the lowest priority (nice 19): the machine is
# shared, and two at once only halve each other's executions. Logs and any
# crash, leak or timeout inputs are kept in BUILD_DIR/fuzz-work/<target>/
# (artifacts/ for this run, artifacts-DATE/ for earlier ones).
# The last line per target is its figures: executions, corpus size,
# findings. Kept inputs (corpus files named finding-*, and format-*: handover
# files of older formats, kept so that the migrations stay fuzzed) stay in
# the corpus whatever the merge keeps.
#
# Before dbfile runs, its corpus is brought to the current file format
# (ho-fuzz-seeds --upgrade): an input of an older format is migrated on
# every execution, which took most of the time after each new migration.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)
build=${1:-build-fuzz}
secs=${2:-600}
shift 2 2>/dev/null || shift $#
targets=${*:-text refs csv cli dbfile match}
case $build in /*) ;; *) build=$PWD/$build ;; esac

if [ ! -d "$build" ]; then
	cmake -S "$src" -B "$build" -DCMAKE_C_COMPILER=clang -DHO_FUZZ=ON \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 2
fi
cmake --build "$build" -j2 --target fuzz_all ho-fuzz-seeds >/dev/null || exit 2
work=$build/fuzz-work
mkdir -p "$work"
# Bytes of saved corpus kept per target.
cap=${HO_FUZZ_CORPUS_CAP:-2500000}

run_one() {
	local t=$1
	local opts=(-max_len=65536)
	# Findings are counted per run: an earlier run's are moved aside, kept.
	if [ -n "$(ls -A "$work/$t/artifacts" 2>/dev/null)" ]; then
		mv "$work/$t/artifacts" "$work/$t/artifacts-$(date -u +%Y%m%dT%H%M%S)"
	fi
	mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
	local seeds=$build/tests/fuzz/ho-fuzz-seeds
	[ "$t" = dbfile ] && { "$seeds" --upgrade "$here/corpus/$t" || exit 2; }
	cp -n "$here/corpus/$t"/* "$work/$t/corpus/" 2>/dev/null
	[ "$t" = cli ] && opts+=(-close_fd_mask=2)
	if [ "$t" = dbfile ]; then
		"$seeds" --upgrade "$work/$t/corpus" || exit 2
		# Handover files: small ones reach as far as big ones, and run
		# faster; the limit is a little over the largest kept file (the
		# schema alone is some 25 KB).
		local largest
		largest=$(find "$here/corpus/$t" -type f -printf '%s\n' | sort -n | tail -1)
		opts=(-max_len=$(((${largest:-0} > 24576 ? ${largest:-0} : 24576) + 8192)))
	fi
	nice -n 19 "$build/tests/fuzz/fuzz_$t" -max_total_time="$secs" -print_final_stats=1 \
		-timeout=30 -rss_limit_mb=2048 "${opts[@]}" \
		-artifact_prefix="$work/$t/artifacts/" "$work/$t/corpus" >"$work/$t/log" 2>&1
	echo "$?" >"$work/$t/status"
}

kept_finding() {
	local f
	for f in "$here/corpus/$1"/finding-* "$here/corpus/$1"/format-*; do
		[ -f "$f" ] && cmp -s "$2" "$f" && return 0
	done
	return 1
}

merge_one() {
	local t=$1
	# Keep a minimal corpus covering everything found.
	local merged=$work/$t/merged
	rm -rf "$merged"
	mkdir -p "$merged"
	local quiet=
	[ "$t" = cli ] && quiet=-close_fd_mask=2
	# shellcheck disable=SC2086
	nice -n 19 "$build/tests/fuzz/fuzz_$t" -merge=1 $quiet \
		"$merged" "$here/corpus/$t" "$work/$t/corpus" >"$work/$t/merge.log" 2>&1
	if [ -n "$(ls -A "$merged")" ]; then
		find "$here/corpus/$t" -type f ! -name 'finding-*' ! -name 'format-*' -delete
		# Keep the repository small: past $cap bytes, the smallest inputs
		# of the merged set (the merge adds small inputs first, so they
		# carry most of the coverage). Kept findings stay under their
		# own names.
		local total=0 bytes file
		while read -r bytes file; do
			kept_finding "$t" "$file" && continue
			total=$((total + bytes))
			[ "$total" -gt "$cap" ] && break
			cp "$file" "$here/corpus/$t/"
		done < <(find "$merged" -type f -printf '%s %p\n' | sort -n)
	fi
	local execs findings
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t/log" | tail -1)
	findings=$(find "$work/$t/artifacts" -type f | wc -l)
	printf '%s: %s executions in %s s, exit %s, corpus %s files (%s bytes), findings %s\n' \
		"$t" "${execs:-?}" "$secs" "$(cat "$work/$t/status")" \
		"$(find "$here/corpus/$t" -type f | wc -l)" \
		"$(du -cb "$here/corpus/$t" | tail -1 | cut -f1)" "$findings"
}

for t in $targets; do
	run_one "$t"
	merge_one "$t"
done
