#!/usr/bin/env bash
# Rows edited with the sqlite3 shell, behind handover's back: the history's
# chain stays whole and its head hash the same, so only the state can show
# it. verify and check must fail (exit 2) and verify must name each row with
# what the history says; the printed document's state digest moves.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

command -v sqlite3 >/dev/null || {
	echo "cli_state: needs the sqlite3 shell (scripts/deps installs it)" >&2
	exit 1
}

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db
expect 0 --as sam mark FIN-1 handed-over --evidence "Ledger extract"
expect 0 --as sam mark FIN-2 handed-over --evidence "Accruals list"
expect 0 --as rita mark FIN-1 accepted
expect 0 --as rita mark FIN-2 gap --note "Where is March?"
expect 0 --as sam comment FIN-2 "In tab 3"

expect 0 verify
out_has "history intact"
out_has "every one as the history says"
check "verify prints the state digest" grep -Eq "^state: [0-9a-f]{64}$" "$OUT_FILE"
head=$(sed -n 's/^head: //p' "$OUT_FILE")
state=$(sed -n 's/^state: //p' "$OUT_FILE")
expect 0 check
expect 0 print --format text -o before.txt
check "the document carries the head hash" grep -q "$head" before.txt
check "the document carries the state digest" grep -q "$state" before.txt
for fmt in markdown html csv; do
	expect 0 print --format "$fmt" -o "before.$fmt"
	check "$fmt: the head hash" grep -q "$head" "before.$fmt"
	check "$fmt: the state digest" grep -q "$state" "before.$fmt"
done

# ref CODE N: the SQL for that item's id.
ref() {
	printf "(SELECT i.id FROM items i JOIN functions f ON f.id = i.function_id WHERE f.code = '%s' AND i.number = %s)" "$1" "$2"
}

# edited SQL | what verify must say about the row
cases=(
	"UPDATE handovers SET signed_by = (SELECT id FROM people WHERE login = 'lead'), signed_at = 1795341600|handover 1: signed by lead, history says none"
	"UPDATE items SET receiver_state = 'accepted' WHERE id = $(ref FIN 2)|item FIN-2: receiver state accepted, history says gap"
	"UPDATE items SET evidence = 'Something else' WHERE id = $(ref FIN 1)|item FIN-1: evidence \"Something else\", history says \"Ledger extract\""
	"UPDATE thread SET body = 'All fine' WHERE body = 'Where is March?'|thread entry 3 of item FIN-2: text \"All fine\", history says \"Where is March?\""
	"UPDATE people SET role = 'lead' WHERE login = 'rita'|person rita: role lead, history says receiver"
	"UPDATE functions SET receiver_id = NULL WHERE code = 'FIN'|function FIN: receiver none, history says rita"
	"UPDATE functions SET sender_signed_at = 1795341600 WHERE code = 'FIN'|function FIN: sender sign-off 2026-11-22 10:00, history says none"
	"UPDATE handovers SET title = 'Another title'|handover 1: title \"Another title\", history says \"Dental transfer\""
	"DELETE FROM thread WHERE body = 'In tab 3'|thread entry 4 of item FIN-2: missing from the file"
	"INSERT INTO people(login, name, role, created_at) VALUES ('mallory', 'M', 'lead', 1)|person mallory: in the file, not in the history"
)
n=0
for c in "${cases[@]}"; do
	sql=${c%%|*}
	says=${c#*|}
	n=$((n + 1))
	copy=edit-$n.db
	expect 0 backup "$copy"
	sqlite3 "$copy" "$sql" || fail "sqlite3 could not run: $sql"
	expect 2 -f "$copy" verify
	out_has "differs: $says"
	out_has "head: $head"
	out_lacks "state: $state"
	out_has "state the history gives: $state"
	err_one_line
	err_has "1 of "
	expect 2 -f "$copy" check
	err_one_line
	err_has "$says"
	expect 0 -f "$copy" print --format text -o "doc-$n.txt"
	check "case $n: the head hash on the document is unchanged" grep -q "$head" "doc-$n.txt"
	check "case $n: the document's state digest moved" test "$(grep -c "$state" "doc-$n.txt")" -eq 0
done

# Several rows at once: each named on a line of its own.
expect 0 backup many.db
sqlite3 many.db "UPDATE items SET sender_state = 'not_applicable', receiver_state = 'accepted' WHERE id IN ($(ref FIN 1), $(ref FIN 2), $(ref FIN 3))" ||
	fail "sqlite3 could not edit many.db"
expect 2 -f many.db verify
check "three rows named" test "$(grep -c '^differs: item FIN-' "$OUT_FILE")" -eq 3
err_has "3 of "

# The original, untouched, still verifies.
expect 0 verify
out_has "state: $state"

finish
