#!/usr/bin/env bash
# A file locked longer than the busy timeout (8 s; 2 s here through
# $HANDOVER_BUSY_MS, so the test is quicker): someone's sqlite3
# session, a stuck process. Readers carry on where the journal allows it;
# changes wait, then stop with a clear one-line "locked" message and exit
# status 3; nothing hangs, nothing is half written, and the same command
# works once the lock is gone. (Every refusal waits the full timeout.)
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
export HANDOVER_BUSY_MS=2000

# hold_lock FILE IMMEDIATE|EXCLUSIVE: a session that holds the lock and
# changes nothing, until release_lock (or two minutes); returns once the
# lock is held. Held until released rather than for a fixed time, so a
# slow machine cannot let the lock go before the others gave up waiting.
hold_lock() {
	local file=$1 kind=$2
	rm -f lock.out lock.release
	(
		printf '.timeout 10000\nBEGIN %s;\nSELECT count(*) FROM items;\nSELECT %s;\n' "$kind" "'locked'"
		for _ in $(seq 1 1200); do
			[ -e lock.release ] && break
			sleep 0.1
		done
		printf 'ROLLBACK;\n'
	) | stdbuf -oL sqlite3 "$file" >lock.out 2>&1 &
	LOCK_PID=$!
	for _ in $(seq 1 100); do
		grep -q '^locked$' lock.out 2>/dev/null && return 0
		sleep 0.1
	done
	fail "could not take the $kind lock on $file: $(cat lock.out)"
	finish
}

release_lock() {
	touch lock.release
	wait "$LOCK_PID"
}

# bg NAME ARGS...: run handover in the background (with a hard time limit,
# so a hang fails the test instead of stalling it); results in NAME.rc,
# NAME.out, NAME.err.
bg() {
	local name=$1
	shift
	(
		timeout 60 "$HANDOVER_BIN" "$@" >"$name.out" 2>"$name.err" </dev/null
		echo $? >"$name.rc"
	) &
}

# result NAME WANT [TEXT]: the background run's status, one line on
# stderr when it failed, containing TEXT.
result() {
	local name=$1 want=$2 text=${3:-}
	RC=$(cat "$name.rc")
	LAST="$name"
	cp "$name.out" "$OUT_FILE"
	cp "$name.err" "$ERR_FILE"
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
	CHECKS=$((CHECKS + 1))
	if [ "$RC" -eq 124 ]; then
		fail "$name hung (killed after 60 s)"
	elif [ "$RC" -ne "$want" ]; then
		fail "$name: expected exit status $want, got $RC"
	fi
	if [ "$want" -ne 0 ]; then
		err_one_line
		[ -n "$text" ] && err_has "$text"
		no_bytes 'database is locked' "SQLite's raw 'database is locked'"
	fi
}

events() {
	"$HANDOVER_BIN" -f "$1" verify | sed -n 's/^verify: \([0-9]*\) events.*/\1/p'
}

# --- WAL (local disk): a writer holds the lock -----------------------------
setup_file wal.db
expect 0 -f wal.db --as sam mark FIN-1 handed-over --evidence "Ledger"
before=$(events wal.db)
hold_lock wal.db IMMEDIATE
bg status -f wal.db --as rita status
bg gaps -f wal.db --as rita gaps
bg mark -f wal.db --as rita mark FIN-1 gap --note "typed while the file was locked"
bg comment -f wal.db --as sam comment FIN-2 "typed while the file was locked"
while [ ! -e mark.rc ] || [ ! -e comment.rc ] || [ ! -e status.rc ] || [ ! -e gaps.rc ]; do sleep 0.2; done
result status 0
result gaps 0
result mark 3 "locked"
result comment 3 "locked"
release_lock
check "nothing of the refused changes was written" test "$(events wal.db)" = "$before"
expect 0 -f wal.db --as rita mark FIN-1 gap --note "typed while the file was locked"
expect 0 -f wal.db --as sam comment FIN-2 "typed while the file was locked"
expect 0 -f wal.db check
expect 0 -f wal.db verify

# --- rollback journal (network drives): an exclusive lock -------------------
export HANDOVER_JOURNAL=delete
setup_file delete.db
before=$(events delete.db)
sum=$(checksum delete.db)
rm -f ./*.rc
hold_lock delete.db EXCLUSIVE
bg status -f delete.db --as rita status
bg mark -f delete.db --as sam mark FIN-3 in-progress
while [ ! -e mark.rc ] || [ ! -e status.rc ]; do sleep 0.2; done
# Even opening has to wait: "locked, try again" (3), not "not a handover
# file" (2), and no raw SQLite message.
result status 3 "locked"
result mark 3 "locked"
release_lock
same_sum delete.db "$sum"
check "nothing written" test "$(events delete.db)" = "$before"
expect 0 -f delete.db --as sam mark FIN-3 in-progress
expect 0 -f delete.db check
unset HANDOVER_JOURNAL

finish
