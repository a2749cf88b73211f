# shellcheck shell=bash
# Helpers for the tests of the terminal application (tests/e2e/tui_*.sh):
# the real binary runs in a private tmux server, one session per person,
# each sized exactly; tests send keys and poll the screen (capture-pane)
# until what they expect appears or ten seconds pass, never fixed sleeps.
#
# Environment: HANDOVER_BIN, the binary under test (set by ctest).

set -u

# A test that cannot run must not pass: it exits 77, which ctest shows as
# skipped, and under HO_STRICT (CI, where tmux is installed) it fails.
if ! command -v tmux >/dev/null 2>&1; then
	if [ "${HO_STRICT:-0}" = 1 ]; then
		echo "tmux missing, and HO_STRICT forbids skipping (install tmux)" >&2
		exit 1
	fi
	echo "SKIP: tmux missing (install tmux)"
	exit 77
fi
if [ -z "${HANDOVER_BIN:-}" ] || [ ! -x "$HANDOVER_BIN" ]; then
	echo "HANDOVER_BIN must name the handover binary" >&2
	exit 2
fi
case $HANDOVER_BIN in
/*) ;;
*) HANDOVER_BIN=$PWD/$HANDOVER_BIN ;;
esac

# Nothing from the caller's environment may steer the program under test.
unset HANDOVER_FILE HANDOVER_USER HANDOVER_JOURNAL NO_COLOR TMUX
export LC_ALL=C.UTF-8
# A fixed clock makes dates and "overdue" reproducible.
export HANDOVER_NOW=2026-11-22T10:00Z

TEST_NAME=$(basename "$0" .sh)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/handover-$TEST_NAME.XXXXXX") || exit 2
SOCKET=ho-$$
WAIT_SECONDS=${WAIT_SECONDS:-10}
FAILS=0
CHECKS=0

tm() {
	tmux -L "$SOCKET" -f /dev/null "$@"
}

cleanup() {
	tm kill-server >/dev/null 2>&1
	rm -rf "$TMP"
}
trap cleanup EXIT
cd "$TMP" || exit 2

fail() {
	FAILS=$((FAILS + 1))
	printf 'FAIL: %s\n' "$*" >&2
}

pass() {
	CHECKS=$((CHECKS + 1))
}

# The handover command line, for setting files up.
ho() {
	"$HANDOVER_BIN" "$@"
}

# tui_start SESSION COLS LINES LOGIN [VAR=value ...]: the application on
# $FILE as LOGIN in a new session; its exit status lands in
# $TMP/SESSION.status when it ends.
tui_start() {
	local name=$1 cols=$2 lines=$3 login=$4
	shift 4
	local script=$TMP/$name.run
	{
		printf '#!/bin/sh\n'
		printf 'export TERM=tmux-256color\n'
		for assignment in "$@"; do
			printf 'export %s=%q\n' "${assignment%%=*}" "${assignment#*=}"
		done
		printf '%q -f %q --as %q\n' "$HANDOVER_BIN" "$FILE" "$login"
		printf 'echo $? > %q\n' "$TMP/$name.status"
		printf 'exec sleep 600\n'
	} >"$script"
	chmod +x "$script"
	rm -f "$TMP/$name.status"
	# (No window-size option: tmux 3.3a crashes creating a second detached
	# session once it is set globally; -x and -y size each session.)
	tm new-session -d -s "$name" -x "$cols" -y "$lines" "$script"
}

# The session is still there (a crashed server ends every wait at once).
alive() {
	tm has-session -t "$1" 2>/dev/null
}

# The screen of a session as text (-e: with its attributes).
screen() {
	tm capture-pane -p -t "$1" 2>/dev/null
}

screen_attrs() {
	tm capture-pane -p -e -t "$1" 2>/dev/null
}

dump() {
	printf -- '---- %s ----\n' "$1" >&2
	screen "$1" >&2
	printf -- '----\n' >&2
}

# wait_for SESSION TEXT [SECONDS]: poll until TEXT is on the screen.
wait_for() {
	local name=$1 text=$2 limit=${3:-$WAIT_SECONDS}
	local deadline=$((SECONDS + limit))
	while [ "$SECONDS" -le "$deadline" ]; do
		if screen "$name" | grep -qF -- "$text"; then
			pass
			return 0
		fi
		alive "$name" || break
		sleep 0.1
	done
	fail "$name: \"$text\" did not appear within ${limit}s"
	dump "$name"
	return 1
}

# wait_line SESSION PATTERN1 PATTERN2: a line holding both (fixed strings).
wait_line() {
	local name=$1 a=$2 b=$3 limit=${4:-$WAIT_SECONDS}
	local deadline=$((SECONDS + limit))
	while [ "$SECONDS" -le "$deadline" ]; do
		if screen "$name" | grep -F -- "$a" | grep -qF -- "$b"; then
			pass
			return 0
		fi
		alive "$name" || break
		sleep 0.1
	done
	fail "$name: no line with \"$a\" and \"$b\" within ${limit}s"
	dump "$name"
	return 1
}

# wait_gone SESSION TEXT: poll until TEXT has left the screen.
wait_gone() {
	local name=$1 text=$2 limit=${3:-$WAIT_SECONDS}
	local deadline=$((SECONDS + limit))
	while [ "$SECONDS" -le "$deadline" ]; do
		if ! screen "$name" | grep -qF -- "$text"; then
			pass
			return 0
		fi
		alive "$name" || break
		sleep 0.1
	done
	fail "$name: \"$text\" still on the screen after ${limit}s"
	dump "$name"
	return 1
}

# not_on_screen SESSION TEXT: TEXT is not there now.
not_on_screen() {
	if screen "$1" | grep -qF -- "$2"; then
		fail "$1: \"$2\" should not be on the screen"
		dump "$1"
	else
		pass
	fi
}

# keys SESSION KEY...: tmux key names (Enter, Escape, Tab, Up, ...).
keys() {
	local name=$1
	shift
	tm send-keys -t "$name" "$@"
}

# A person's pause between keys. Keys that come faster than anyone types
# right after a prompt closes are taken for the rest of a paste and
# dropped, and a key within 50 ms of Esc makes an Alt key with it (see the
# man page, KEYS): tests leave the gap a person would.
person_pause() {
	sleep 0.3
}

# submit SESSION: Enter on a prompt; once the prompt has gone from the
# bottom line (the guard starts before that is drawn), a person's pause.
submit() {
	local before i
	before=$(screen "$1" | tail -n 1)
	keys "$1" Enter
	for ((i = 0; i < 50; i++)); do
		[ "$(screen "$1" | tail -n 1)" != "$before" ] && break
		sleep 0.1
	done
	person_pause
}

# back_to SESSION TEXT: Esc until TEXT is on the screen. Esc and a key
# read together are one Alt key, and a loaded machine may deliver two
# presses together however far apart they were sent, so each Esc waits to
# be seen to act before the next is sent.
back_to() {
	local name=$1 text=$2 i
	for ((i = 0; i < 8; i++)); do
		if screen "$name" | grep -qF -- "$text"; then
			pass
			return 0
		fi
		keys "$name" Escape
		person_pause
	done
	wait_for "$name" "$text"
}

# dashboard SESSION: from the first screen (My work for senders and
# receivers, the dashboard for leads) to the dashboard: Shift-Tab.
dashboard() {
	local name=$1 i first=""
	for ((i = 0; i < WAIT_SECONDS * 10; i++)); do
		first=$(screen "$name" | sed -n 2p)
		case $first in
		*"My work"* | *"Dashboard"*) break ;;
		esac
		sleep 0.1
	done
	case $first in
	*"My work"*)
		keys "$name" BTab
		wait_for "$name" "Dashboard"
		;;
	*) wait_for "$name" "Dashboard" ;;
	esac
}

# type SESSION TEXT: literal text.
type_text() {
	tm send-keys -t "$1" -l -- "$2"
}

# A byte from its number.
byte() {
	# shellcheck disable=SC2059
	printf "\\$(printf '%03o' "$1")"
}

# mouse SESSION BUTTON X Y: one X10 mouse report (what the terminal sends
# for tmux-256color's kmous); BUTTON 0 press, 3 release, 64/65 wheel.
mouse() {
	tm send-keys -t "$1" -l -- $'\e[M'"$(byte $((32 + $2)))$(byte $((33 + $3)))$(byte $((33 + $4)))"
}

# click SESSION X Y, double SESSION X Y (zero-based cells)
click() {
	mouse "$1" 0 "$2" "$3"
	mouse "$1" 3 "$2" "$3"
}

double_click() {
	click "$1" "$2" "$3"
	click "$1" "$2" "$3"
}

# wait_exit SESSION: the application ended; prints its exit status.
wait_exit() {
	local name=$1 limit=${2:-$WAIT_SECONDS}
	local deadline=$((SECONDS + limit))
	while [ "$SECONDS" -le "$deadline" ]; do
		if [ -s "$TMP/$name.status" ]; then
			cat "$TMP/$name.status"
			return 0
		fi
		sleep 0.1
	done
	echo "none"
	return 1
}

# resize SESSION COLS LINES
resize() {
	tm resize-window -t "$1" -x "$2" -y "$3"
}

# Milliseconds since the epoch, for timing what others see.
now_ms() {
	date +%s%3N
}

finish() {
	if [ "$FAILS" -gt 0 ]; then
		printf '%s: %d of %d checks failed\n' "$TEST_NAME" "$FAILS" "$((CHECKS + FAILS))" >&2
		exit 1
	fi
	printf '%s: %d checks passed\n' "$TEST_NAME" "$CHECKS"
	exit 0
}
