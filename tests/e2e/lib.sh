# shellcheck shell=bash
# Helpers shared by the command-line tests (tests/e2e/cli_*.sh): a private
# temporary directory, a runner that captures status and output, and
# assertions that count failures instead of stopping at the first one.
#
# Environment: HANDOVER_BIN, the binary under test (set by ctest).

set -u

if [ -z "${HANDOVER_BIN:-}" ] || [ ! -x "$HANDOVER_BIN" ]; then
	echo "HANDOVER_BIN must name the handover binary" >&2
	exit 2
fi
case $HANDOVER_BIN in
/*) ;;
*) HANDOVER_BIN=$PWD/$HANDOVER_BIN ;;
esac

# Nothing from the caller's environment may steer the program under test.
unset HANDOVER_FILE HANDOVER_USER HANDOVER_JOURNAL NO_COLOR
export LC_ALL=C.UTF-8
# A fixed clock makes dates and "overdue" reproducible.
export HANDOVER_NOW=2026-11-22T10:00Z

TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/handover-$TEST_NAME.XXXXXX") || exit 2
trap 'rm -rf "$TMP"' EXIT
cd "$TMP" || exit 2

CHECKS=0
FAILS=0
RC=0
OUT=
ERR=
LAST=

# The output of the last run, raw (with every byte) for byte-level checks.
OUT_FILE=$TMP/.stdout
ERR_FILE=$TMP/.stderr

fail() {
	FAILS=$((FAILS + 1))
	printf 'FAIL: %s\n' "$*" >&2
	printf '      command: handover %s\n' "$LAST" >&2
	printf '      status %s; stdout:\n%s\n      stderr:\n%s\n' "$RC" "$(head -c 2000 "$OUT_FILE" 2>/dev/null)" \
		"$(head -c 2000 "$ERR_FILE" 2>/dev/null)" >&2
}

pass() {
	CHECKS=$((CHECKS + 1))
}

# ho ARGS...: run the binary without a terminal; sets RC, OUT, ERR.
ho() {
	LAST="$*"
	"$HANDOVER_BIN" "$@" >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
	RC=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
}

# expect STATUS ARGS...: run and check the exit status.
expect() {
	local want=$1
	shift
	ho "$@"
	if [ "$RC" -eq "$want" ]; then
		pass
	else
		CHECKS=$((CHECKS + 1))
		fail "expected exit status $want, got $RC"
	fi
}

# out_has TEXT / err_has TEXT / out_lacks TEXT: the last run's output.
out_has() {
	CHECKS=$((CHECKS + 1))
	case $OUT in
	*"$1"*) ;;
	*) fail "stdout should contain '$1'" ;;
	esac
}

err_has() {
	CHECKS=$((CHECKS + 1))
	case $ERR in
	*"$1"*) ;;
	*) fail "stderr should contain '$1'" ;;
	esac
}

err_lacks() {
	CHECKS=$((CHECKS + 1))
	case $ERR in
	*"$1"*) fail "stderr should not contain '$1'" ;;
	*) ;;
	esac
}

out_lacks() {
	CHECKS=$((CHECKS + 1))
	case $OUT in
	*"$1"*) fail "stdout should not contain '$1'" ;;
	*) ;;
	esac
}

# err_one_line: an error is one line (plus, for usage errors, the pointer
# to --help), starting with "handover: ".
err_one_line() {
	CHECKS=$((CHECKS + 1))
	local lines first
	lines=$(grep -vc "^Try 'handover \([a-z ]* \)\?--help'.$" "$ERR_FILE")
	first=$(head -n 1 "$ERR_FILE")
	if [ "$lines" -ne 1 ] || [ "${first#handover: }" = "$first" ]; then
		fail "stderr should be one line starting with 'handover: '"
	fi
}

# no_bytes BYTES NAME: neither stdout nor stderr of the last run holds
# the byte sequence (given as printf escapes, e.g. '\033').
no_bytes() {
	local bytes=$1 name=$2
	CHECKS=$((CHECKS + 1))
	if grep -qF "$(printf '%b' "$bytes")" "$OUT_FILE" "$ERR_FILE"; then
		fail "output contains $name"
	fi
}

checksum() {
	sha256sum "$1" | cut -d' ' -f1
}

# same_sum FILE SUM: the file is byte for byte what it was.
same_sum() {
	CHECKS=$((CHECKS + 1))
	local now
	now=$(checksum "$1")
	if [ "$now" != "$2" ]; then
		fail "$1 changed (sha256 $2 -> $now)"
	fi
}

# check TEXT COMMAND...: a plain assertion on any shell command.
check() {
	local what=$1
	shift
	CHECKS=$((CHECKS + 1))
	if ! "$@"; then
		fail "$what"
	fi
}

# A file with the pod template, lead "lead", sender "sam", receiver "rita",
# and FIN paired sam -> rita. Stops the test when it cannot be made.
setup_file() {
	local file=${1:-handover.db}
	ho -f "$file" --as lead init --title "Dental transfer" &&
		[ "$RC" -eq 0 ] &&
		ho -f "$file" --as lead people add sam --name "Sam Sender" --role sender --org "Region" &&
		[ "$RC" -eq 0 ] &&
		ho -f "$file" --as lead people add rita --name "Rita Receiver" --role receiver --org "ICB" &&
		[ "$RC" -eq 0 ] &&
		ho -f "$file" --as lead pair FIN --sender sam --receiver rita &&
		[ "$RC" -eq 0 ] && return 0
	fail "could not set up $file"
	finish
}

# finish: the summary line, and a failing status when anything failed.
finish() {
	if [ "$FAILS" -gt 0 ]; then
		printf '%s: %d of %d checks failed\n' "$TEST_NAME" "$FAILS" "$CHECKS" >&2
		exit 1
	fi
	printf '%s: all %d checks passed\n' "$TEST_NAME" "$CHECKS"
	exit 0
}
