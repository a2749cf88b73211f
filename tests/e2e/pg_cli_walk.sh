#!/usr/bin/env bash
# The command-line walk of cli_walk.sh (and the export/import round of
# cli_import_waiting.sh) on a PostgreSQL database, as the server's
# superuser acting with --as, every step run on a SQLite file too: each
# command must give the same exit status and the same output on both
# engines (but for the line naming where), every wrong-role action refused
# on both, and at the end the same history head and state digest, since the
# same changes at the same (fixed) time are the same events.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/pg.bash
. "$(dirname "$0")/pg.bash"
pg_need

file=$TMP/walk.db
pgdb=$(pg_newdb pg_cli_walk) || {
	fail "no database"
	finish
}
dbname=${pgdb##*dbname=}

# Where each engine says it is, and its journal, as one word; who the
# viewer is (the file: the operating system's login; the database: its
# login), and what people add says of a database login (only a database
# has them).
same_place() {
	sed -e "s|postgresql://[^ ]*/$dbname|WHERE|g" -e "s|$dbname|WHERE|g" \
		-e "s|$(printf '%s' "$dbname" | sed 's/_/\\\\_/g')|WHERE|g" \
		-e "s|$file|WHERE|g" -e "s|walk\.db|WHERE|g" \
		-e 's/journal \(wal\|delete\|postgresql\)/journal J/g' \
		-e 's/; you: [^ ]* (viewer:/; you: VIEWER (viewer:/' \
		-e 's/; no database login of that name yet (.*)$//' "$1"
}

# both STATUS ARGS...: run on the file, then on the database; each must
# exit STATUS, and their outputs (stdout, stderr) must be the same. Leaves
# the database's run as the last (OUT, ERR) for out_has and the like.
both() {
	local want=$1
	shift
	HANDOVER_FILE=$file ho "$@"
	local file_rc=$RC
	same_place "$OUT_FILE" >"$TMP/.file.out"
	same_place "$ERR_FILE" >"$TMP/.file.err"
	HANDOVER_FILE=$pgdb ho "$@"
	CHECKS=$((CHECKS + 1))
	if [ "$file_rc" -ne "$want" ] || [ "$RC" -ne "$want" ]; then
		fail "expected exit status $want on both engines: the file gave $file_rc, PostgreSQL $RC"
	elif ! same_place "$OUT_FILE" | cmp -s - "$TMP/.file.out"; then
		fail "stdout differs between the engines: $(same_place "$OUT_FILE" | diff "$TMP/.file.out" - | head -5)"
	elif ! same_place "$ERR_FILE" | cmp -s - "$TMP/.file.err"; then
		fail "stderr differs between the engines: $(same_place "$ERR_FILE" | diff "$TMP/.file.err" - | head -5)"
	fi
}

both 0 --as lead init --title "Dental transfer"
out_has "init: created postgresql://"
out_has "you (lead) are its lead"
both 0 --as lead people add sam --name "Sam Sender" --role sender --org "Region"
both 0 --as lead people add rita --name "Rita Receiver" --role receiver --org "ICB"
both 3 --as sam people add eve --name "Eve" --role lead
err_one_line
both 0 people list
out_has "Sam Sender"
both 0 --as lead pair FIN --sender sam --receiver rita
both 3 --as rita pair FIN --sender rita

# Not started: the receiver cannot hand over, nobody can accept yet.
both 3 --as rita mark FIN-3 handed-over --evidence "not mine to give"
err_one_line
both 3 --as sam mark FIN-3 accepted
both 3 --as nobody comment FIN-3 "a viewer's word"
both 3 --as sam sign FIN

both 0 --as sam mark FIN-3 in-progress
out_has "in progress"
both 0 --as sam mark FIN-3 handed-over --evidence "Ledger reconciliation, finance drive /fin/recon.xlsx"
out_has "handed over"
both 3 --as sam mark FIN-3 accepted
both 3 --as rita mark FIN-3 handed-over --evidence "again"

# A gap sends the item back to the sender.
both 0 --as rita mark FIN-3 gap --note "Where are the March accruals?"
out_has "gap"
both 0 gaps --function FIN
out_has "March accruals"
both 3 --as rita mark FIN-3 accepted
both 0 --as sam mark FIN-3 handed-over --evidence "Accruals added on tab 3" --note "Missed in the first upload"
both 0 --as rita mark FIN-3 accepted
out_has "accepted"
both 0 --as rita comment FIN-3 "Thanks, all there"
both 0 gaps --function FIN
out_lacks "March accruals"
both 0 history FIN-3
out_has "March accruals"
both 0 --as sam todo
both 0 --as rita changes --since 2026-11-01

# Export, edit, import: the same rows change on both.
both 0 export
cp "$OUT_FILE" tracker.csv
HANDOVER_FILE=$pgdb ho export -o pg-tracker.csv
check "the database's export -o is its export" cmp -s pg-tracker.csv tracker.csv
sed -e 's/^\(1,[^,]*,FIN,Finance,,FIN-1,\)[^,]*,/\1Bank accounts (edited),/' tracker.csv >edited.csv
printf '1,Dental transfer,FIN,Finance,,,A new item,,15/12/2026%s\r\n' "$(printf ',%.0s' {1..23})" >>edited.csv
both 0 --as lead import --dry-run edited.csv
out_has "import --dry-run: 1 added, 1 changed, 71 left alone"
both 0 --as lead import edited.csv
out_has "import: 1 added, 1 changed, 71 left alone"
both 3 --as sam import edited.csv
both 0 history FIN-8
out_has "A new item"

# Not ready: refusals name what blocks.
both 3 --as sam sign FIN
both 3 --as lead sign --handover 1
err_has "not signed off"

# Pair every function and take every item through hand-over and acceptance.
codes="GOV FIN CON CMP QUA WRK DIG IGD PER COM"
for code in $codes; do
	both 0 --as lead pair "$code" --sender sam --receiver rita
done
HANDOVER_FILE=$pgdb ho status
cp "$OUT_FILE" status.txt
for code in $codes; do
	total=$(awk -v c="$code" '$1 == c { for (i = 1; i <= NF; i++) if ($(i + 1) == "handed") { split($i, p, "/"); print p[2]; exit } }' status.txt)
	if [ -z "$total" ] || [ "$total" -lt 1 ]; then
		CHECKS=$((CHECKS + 1))
		fail "no item count for $code in status"
		continue
	fi
	for n in $(seq 1 "$total"); do
		ref=$code-$n
		[ "$ref" = FIN-3 ] && continue
		if [ "$ref" = FIN-5 ]; then
			both 0 --as sam mark "$ref" not-applicable --note "No disputed payments this year"
		else
			both 0 --as sam mark "$ref" handed-over --evidence "evidence for $ref"
		fi
		if [ "$ref" = FIN-6 ]; then
			both 0 --as rita mark "$ref" accepted-with-conditions --note "Signatories list confirmed by 1 April"
		else
			both 0 --as rita mark "$ref" accepted
		fi
	done
done

# Signing: only the pair for a function, only a lead for the handover.
both 3 --as nobody sign FIN
both 3 --as lead sign FIN
both 0 --as sam sign FIN
out_has "waiting for the receiver"
both 0 --as rita sign FIN
both 3 --as sam mark FIN-1 in-progress
for code in $codes; do
	[ "$code" = FIN ] && continue
	both 0 --as sam sign "$code"
	both 0 --as rita sign "$code"
done
both 3 --as sam sign --handover 1
both 0 --as lead sign --handover 1
out_has "signed off"
both 0 status
out_has "10/10 functions signed off"

# Documents and the whole history: the same from either engine.
for format in text markdown html csv; do
	both 0 --as lead print --format "$format"
	check "the $format document is not empty" test -s "$OUT_FILE"
done
HANDOVER_FILE=$pgdb ho --as lead print --format pdf -o walk.pdf
check "the database prints a PDF" test "$(head -c 5 walk.pdf)" = "%PDF-"
both 1 --as lead print --format nonsense
both 0 history
both 0 check
both 0 verify
out_has "history intact"
out_has "every one as the history says"

# A backup of the database is the file the same walk made.
HANDOVER_FILE=$pgdb ho backup walked.db
HANDOVER_FILE=walked.db ho verify
grep -E '^(head|state):' "$OUT_FILE" >backup.hashes
HANDOVER_FILE=$file ho verify
grep -E '^(head|state):' "$OUT_FILE" >file.hashes
check "the database's backup has the file's head and state" cmp -s file.hashes backup.hashes
check "the hashes were read" test "$(wc -l <file.hashes)" = 2

finish
