#!/usr/bin/env bash
# Undo in the terminal application on PostgreSQL, each person as their own
# database login: the receiver undoes a gap (which puts the sender's state
# back and removes the receiver's query: the server's guards must let that
# through) and the sender undoes a hand-over (which takes the item out of
# the receiver's queue, back to not started). The history stays whole.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"
# shellcheck source=tests/e2e/pg.bash
. "$(dirname "$0")/pg.bash"
pg_need

DB=$(pg_newdb pg_tui_undo) || exit 2
DBNAME=${DB##*dbname=}
for who in undo_lead undo_sam undo_rita; do
	pg_login "$who" "pw-$who" >/dev/null || exit 2
done
as() { printf '%s dbname=%s\n' "$(pg_as "$1" "pw-$1")" "$DBNAME"; }
LEAD=$(as undo_lead)
SAM=$(as undo_sam)
RITA=$(as undo_rita)
{
	ho -f "$DB" --as undo_lead init --empty --title "Undo" &&
		ho -f "$LEAD" new --title "Undo" --empty &&
		ho -f "$LEAD" people add undo_sam --name "Sam Sender" --role sender &&
		ho -f "$LEAD" people add undo_rita --name "Rita Receiver" --role receiver &&
		ho -f "$LEAD" functions add FIN --name Finance &&
		ho -f "$LEAD" items add FIN --title "Bank accounts" &&
		ho -f "$LEAD" items add FIN --title "Budget lines" &&
		ho -f "$LEAD" pair FIN --sender undo_sam --receiver undo_rita &&
		ho -f "$SAM" mark FIN-1 handed-over --evidence "Statements" &&
		ho -f "$RITA" mark FIN-1 gap --note "Which bank?" &&
		ho -f "$SAM" mark FIN-2 handed-over --evidence "Budget"
} >/dev/null 2>"$TMP/setup.err" || {
	echo "could not set the database up: $(cat "$TMP/setup.err")" >&2
	exit 2
}

state() { pg_sql "$DB" "SELECT sender_state || '/' || receiver_state FROM items i JOIN functions f ON f.id = i.function_id WHERE f.code = 'FIN' AND i.number = $1"; }
expect_state() {
	local got
	got=$(state "$1")
	if [ "$got" = "$2" ]; then pass; else fail "FIN-$1 should be $2, is $got"; fi
}
expect_state 1 in_progress/gap

# The receiver undoes the gap, as their own login.
FILE=$RITA
tui_start rita 120 30 undo_rita
wait_for rita "My work"
keys rita u
wait_for rita "Undone: your last change to FIN-1"
expect_state 1 handed_over/pending
open=$(pg_sql "$DB" "SELECT count(*) FROM thread WHERE kind = 'query' AND resolved_at IS NULL")
if [ "$open" = 0 ]; then pass; else fail "the undone gap's query is still open ($open)"; fi

# The sender undoes the last hand-over, as theirs.
FILE=$SAM
tui_start sam 120 30 undo_sam
wait_for sam "My work"
keys sam u
wait_for sam "Undone: your last change to FIN-2"
expect_state 2 not_started/none

if ho -f "$LEAD" verify >"$TMP/verify.out" 2>&1; then pass; else
	fail "verify after the undos: $(cat "$TMP/verify.out")"
fi
pg_sql "$HO_TEST_PG dbname=postgres" "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null 2>&1
finish
