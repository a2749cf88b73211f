#!/usr/bin/env bash
# A change caught in a deadlock with another session on the server (an
# administrator's psql holding an item's row and then waiting for the
# database's write lock, which the change holds): the server breaks the
# cycle by aborting the change (SQLSTATE 40P01). The person is told, in
# one line, that the database was locked and to try again (exit 3); nothing
# of the change is saved; tried again, it is made. (handover's own changes
# take the write lock first, one at a time, so they never deadlock each
# other: only a session outside the program can.)
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/lib.sh
. "$HERE/lib.sh"
# shellcheck source=tests/e2e/pg.bash
. "$HERE/pg.bash"
pg_need

DB=$(pg_newdb cli_pg_deadlock) || exit 2
expect 0 -f "$DB" init --demo --as lead
ID=$(pg_sql "$DB" "SELECT i.id FROM items i JOIN functions f ON f.id = i.function_id
	WHERE f.handover_id = 1 AND f.code = 'CON' AND i.number = 6")
before=$(pg_sql "$DB" "SELECT count(*) FROM events")

# The other session: the item's row first, a second later the write lock;
# its own deadlock check set late, so the server's check finds the cycle
# from the change's side.
pg_sql "$DB" "BEGIN; SET LOCAL deadlock_timeout = '20s';
	UPDATE items SET title = title WHERE id = $ID; SELECT pg_sleep(1);
	SELECT pg_advisory_xact_lock(1215256146); COMMIT" >"$TMP/other.out" 2>&1 &
other=$!
sleep 0.3
expect 3 -f "$DB" --as siobhan.obrien mark CON-6 handed-over --evidence "Timetable v2" \
	--handover 1
err_one_line
err_has "locked by someone else"
err_has "try again"
wait "$other"
after=$(pg_sql "$DB" "SELECT count(*) FROM events")
state=$(pg_sql "$DB" "SELECT sender_state FROM items WHERE id = $ID")
CHECKS=$((CHECKS + 1))
[ "$after" = "$before" ] || fail "the aborted change left $((after - before)) events"
CHECKS=$((CHECKS + 1))
[ "$state" = "not_started" ] || fail "the aborted change left the item $state"

expect 0 -f "$DB" --as siobhan.obrien mark CON-6 handed-over --evidence "Timetable v2" \
	--handover 1
out_has "CON-6: handed over"
expect 0 -f "$DB" verify
finish
