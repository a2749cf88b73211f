#!/usr/bin/env bash
# `backup OUT` while people are writing gives a good file, and the restore
# procedure of tests/README.md (and the man page) brings a damaged file
# back from it.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file live.db
export HANDOVER_FILE=$TMP/live.db

# Two writers busy while backups are taken.
(
	for i in $(seq 1 60); do
		"$HANDOVER_BIN" --as sam comment FIN-1 "sender note $i" >/dev/null 2>>writer.err || echo "sam $i" >>writer.fail
	done
) &
W1=$!
(
	for i in $(seq 1 60); do
		"$HANDOVER_BIN" --as lead comment FIN-2 "lead note $i" >/dev/null 2>>writer.err || echo "lead $i" >>writer.fail
	done
) &
W2=$!
n=0
while kill -0 "$W1" 2>/dev/null || kill -0 "$W2" 2>/dev/null; do
	n=$((n + 1))
	expect 0 backup "copy-$n.db"
	[ "$n" -ge 8 ] && break
done
wait "$W1" "$W2"
check "no writer was refused while backups ran ($(cat writer.err 2>/dev/null))" test ! -e writer.fail
check "at least one backup was taken while writing" test "$n" -ge 1

# Every backup passes check and verify, and its history is the live one
# up to when it was taken: its head is the live file's event of the same
# number.
for f in copy-*.db; do
	expect 0 -f "$f" check
	expect 0 -f "$f" verify
	events=$(printf '%s\n' "$OUT" | sed -n 's/^verify: \([0-9]*\) events.*/\1/p')
	head=$(printf '%s\n' "$OUT" | sed -n 's/^head: //p')
	live=$(sqlite3 -readonly live.db "SELECT hash FROM events WHERE id = ${events:-0}")
	check "$f (event ${events:-?}) is a prefix of the live history" test -n "$head" -a "$head" = "$live"
done

# Restore: nobody in the file; the damaged file (and its -wal, -shm) moved
# aside; the backup copied into place with the backup command; then check
# and verify.
expect 0 verify
head_before=$(printf '%s\n' "$OUT" | sed -n 's/^head: //p')
expect 0 backup nightly.db
dd if=/dev/urandom of=live.db bs=4096 seek=2 count=2 conv=notrunc status=none
expect 2 check
mkdir damaged
mv live.db* damaged/
expect 0 -f nightly.db backup live.db
expect 0 check
expect 0 verify
out_has "$head_before"
expect 0 --as sam comment FIN-1 "after the restore"
finish
