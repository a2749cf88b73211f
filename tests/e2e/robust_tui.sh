#!/usr/bin/env bash
# Two people in the terminal application at once, in two tmux panes on one
# file: a change made from a stale screen is refused, naming who changed
# the item, and nothing is overwritten; a file locked longer than the busy
# timeout gives a clear message, the screen does not hang, and what the
# person typed is not lost. (About 30 s: one refusal waits the timeout.)
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

if ! command -v tmux >/dev/null; then
	echo "robust_tui: tmux is needed" >&2
	exit 1
fi

setup_file tui.db
expect 0 -f tui.db --as sam mark FIN-1 handed-over --evidence "Ledger extract"

SOCK="ho-robust-$$"
T() { tmux -L "$SOCK" "$@"; }
trap 'T kill-server 2>/dev/null; rm -rf "$TMP"' EXIT

run_as() {
	printf 'cd %q && env TERM=xterm-256color LC_ALL=C.UTF-8 HANDOVER_NOW=%q %q -f tui.db --as %q; echo "EXIT=$?"; sleep 600' \
		"$TMP" "$HANDOVER_NOW" "$HANDOVER_BIN" "$1"
}

T -f /dev/null new-session -d -s r -x 132 -y 44 "$(run_as rita)"
T split-window -v -t r "$(run_as sam)"
A=r:0.0 # rita, the receiver
B=r:0.1 # sam, the sender

screen() { T capture-pane -p -t "$1"; }

# wait_for PANE TEXT [SECONDS]: until the pane shows TEXT.
wait_for() {
	local pane=$1 text=$2 secs=${3:-10} i
	CHECKS=$((CHECKS + 1))
	for ((i = 0; i < secs * 10; i++)); do
		case $(screen "$pane") in
		*"$text"*) return 0 ;;
		esac
		sleep 0.1
	done
	LAST="(tmux pane $pane)"
	screen "$pane" >"$OUT_FILE"
	: >"$ERR_FILE"
	fail "pane $pane never showed '$text'"
	return 1
}

keys() { T send-keys -t "$1" "${@:2}"; }
# search PANE TEXT: the `/` search, with any earlier search text cleared.
search() {
	keys "$1" /
	sleep 0.2
	keys "$1" End C-u
	T send-keys -t "$1" -l "$2"
	keys "$1" Enter
	sleep 0.3
}
typed() { T send-keys -t "$1" -l "$2"; }

wait_for "$A" "Rita Receiver (receiver)" || finish
wait_for "$B" "Sam Sender (sender)" || finish
# Senders and receivers start on My work; the dashboard is Shift-Tab away.
for p in "$A" "$B"; do
	wait_for "$p" "My work" || finish
	keys "$p" BTab
	wait_for "$p" "Dashboard" || finish
done
for p in "$A" "$B"; do
	search "$p" Finance
	keys "$p" Enter
	wait_for "$p" "FIN-7" || finish
done

# --- a stale screen ---------------------------------------------------------
# Rita starts raising a gap on FIN-1 (the question typed, not yet sent);
# meanwhile Sam takes the hand-over back. Rita's send is refused, naming
# Sam, and her question is not filed against the changed item.
keys "$A" r
wait_for "$A" "Query for the sender about FIN-1"
typed "$A" "Query from a stale screen"
keys "$B" w
wait_for "$B" "FIN-1 is in progress"
keys "$A" Enter
wait_for "$A" "Sam Sender" 15
wait_for "$A" "not applied"
expect 0 -f tui.db history FIN-1
out_lacks "Query from a stale screen"
out_has "in progress"
expect 0 -f tui.db gaps
out_lacks "Query from a stale screen"

# --- a file locked too long -----------------------------------------------------
# Held until released (or two minutes), not for a fixed time.
rm -f lock.out lock.release
(
	printf '.timeout 10000\nBEGIN IMMEDIATE;\nSELECT count(*) FROM items;\nSELECT %s;\n' "'locked'"
	for _ in $(seq 1 1200); do
		[ -e lock.release ] && break
		sleep 0.1
	done
	printf 'ROLLBACK;\n'
) | stdbuf -oL sqlite3 tui.db >lock.out 2>&1 &
LOCK_PID=$!
for _ in $(seq 1 100); do
	grep -q '^locked$' lock.out 2>/dev/null && break
	sleep 0.1
done
search "$B" FIN-2
keys "$B" c
wait_for "$B" "Comment on FIN-2"
typed "$B" "Comment typed while the file was locked 42"
keys "$B" Enter
# The busy timeout passes, then a clear message; the screen still answers.
wait_for "$B" "locked" 40
CHECKS=$((CHECKS + 1))
case $(screen "$B") in
*"database is locked"*) fail "the raw SQLite message reached the screen" ;;
esac
# What Sam typed is still there to send again, next to the message.
CHECKS=$((CHECKS + 1))
case $(screen "$B") in
*"Comment typed while the file was locked 42"*) ;;
*)
	LAST="(tmux pane $B)"
	screen "$B" >"$OUT_FILE"
	fail "the comment typed while the file was locked was lost"
	;;
esac
touch lock.release
wait "$LOCK_PID"
# Sent again (Enter on the kept prompt, unless the screen already did),
# the comment is filed once.
sleep 0.5
case $(screen "$B") in
*"Comment on FIN-2:"*) keys "$B" Enter ;;
esac
for _ in $(seq 1 50); do
	"$HANDOVER_BIN" -f tui.db history FIN-2 2>/dev/null | grep -q "locked 42" && break
	sleep 0.2
done
expect 0 -f tui.db history FIN-2
CHECKS=$((CHECKS + 1))
[ "$(grep -c "Comment typed while the file was locked 42" "$OUT_FILE")" -eq 1 ] ||
	fail "the comment typed while the file was locked should be filed once"

# Both quit cleanly: Esc back to the dashboard (each Esc seen to act before
# the next, as Esc and a key read together are one Alt key), then q.
for p in "$A" "$B"; do
	for _ in 1 2 3 4 5 6; do
		case $(screen "$p") in
		*"Dashboard"*) break ;;
		esac
		keys "$p" Escape
		sleep 0.4
	done
	keys "$p" q
	wait_for "$p" "EXIT=0" 5
done
expect 0 -f tui.db check
expect 0 -f tui.db verify
finish
