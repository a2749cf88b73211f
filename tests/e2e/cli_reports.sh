#!/usr/bin/env bash
# status, gaps, history and print: what a lead reads, in aligned columns
# without colour.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db

expect 0 --as sam mark FIN-1 handed-over --evidence "Budgets reconciled, ledger export 31 March"
expect 0 --as sam mark FIN-2 handed-over --evidence "Running cost budgets moved"
expect 0 --as rita mark FIN-1 accepted
expect 0 --as rita mark FIN-2 gap --note "Vacancy budget is missing"
expect 0 --as sam mark FIN-4 handed-over --evidence "Cost-centre map v2"
expect 0 --as rita mark FIN-4 accepted-with-conditions --note "Payment-system access by day one"
expect 0 --as sam mark FIN-5 not-applicable --note "No open reconciliations"

# status: one row per function, an overall line per handover.
expect 0 status
out_has "Handover 1: Dental transfer"
for col in CODE FUNCTION SENDER RECEIVER PROGRESS GAPS OVERDUE RAG SIGNED; do
	out_has "$col"
done
check "FIN row: pair and progress" grep -Eq "^ +FIN +Finance +Sam Sender +Rita Receiver +3/[0-9]+ handed over, 2/[0-9]+ accepted" "$OUT_FILE"
check "unpaired functions show '-'" grep -Eq "^ +DIG +Digital +- +- " "$OUT_FILE"
out_has "Overall:"
out_has "unpaired"
out_has "not signed off by a lead"
out_lacks $'\033'
# Every function row starts its PROGRESS at the header's column.
# shellcheck disable=SC2016 # a perl program, not shell
check "status columns line up" perl -CSD -ne '
	if (/^\s+CODE\s/) { $col = index($_, "PROGRESS"); next }
	next unless defined $col && /^\s+[A-Z]{3}\s/;
	$bad = 1 if substr($_, $col) !~ /^\d+\/\d+ handed over/;
	END { exit($bad || !defined $col ? 1 : 0) }' "$OUT_FILE"
expect 0 status --handover 1
out_has "Handover 1"

# gaps: kind, ref, title, owner, detail.
expect 0 gaps
for col in KIND REF TITLE OWNER DETAIL; do
	out_has "$col"
done
check "the open query, owned by the sender" grep -Eq "^ +query +FIN-2 .*Sam Sender +Vacancy budget is missing" "$OUT_FILE"
check "the condition carried forward" grep -Eq "^ +condition +FIN-4 .*Payment-system access" "$OUT_FILE"
check "the unreviewed item, owned by the receiver" grep -Eq "^ +unreviewed +FIN-5 .*Rita Receiver" "$OUT_FILE"
check "unpaired functions" grep -Eq "^ +unpaired +DIG " "$OUT_FILE"
expect 0 gaps --function FIN
out_has "FIN-2"
out_lacks "DIG"
expect 0 gaps --function fin --handover 1
out_has "FIN-2"

# Overdue: a due date in the past (the clock is fixed at 2026-11-22).
sqlite3 handover.db "UPDATE functions SET due_date = '2026-11-01' WHERE code = 'FIN'" 2>/dev/null ||
	fail "could not set a due date with sqlite3"
expect 0 gaps --function FIN
check "an overdue item" grep -Eq "^ +overdue +FIN-3 " "$OUT_FILE"
expect 0 status
check "FIN is red when overdue" grep -Eq "^ +FIN .* red " "$OUT_FILE"

# history: time, who (people's names, as the thread shows them), action,
# ref, old -> new; oldest first.
expect 0 history FIN-2
for col in TIME WHO ACTION REF CHANGE; do
	out_has "$col"
done
out_has "2026-11-22 10:00"
out_has "Sam Sender"
out_has "Rita Receiver"
out_has "->"
out_has "Vacancy budget is missing"
out_lacks "FIN-1 "
check "history is oldest first" test "$(grep -n "Rita Receiver" "$OUT_FILE" | head -n 1 | cut -d: -f1)" -gt "$(grep -n "handed over" "$OUT_FILE" | head -n 1 | cut -d: -f1)"
expect 0 history
out_has "FIN-1"
out_has "FIN-2"
out_has "pair"

# people list and the empty cases.
expect 0 -f "$TMP/empty.db" --as lead init --empty
expect 0 -f "$TMP/empty.db" gaps
out_has "No gaps"
expect 0 -f "$TMP/empty.db" status
out_has "No handovers"

# print: to stdout, and to a file named with -o (format from its name).
expect 0 print
check "print writes a document" test -s "$OUT_FILE"
expect 0 print --function FIN --format markdown
expect 0 print --format html -o doc.html
check "print -o writes the file" test -s doc.html
expect 0 print -o doc.csv
check "print -o writes a CSV" test -s doc.csv
expect 0 export -o tracker.csv
check "export -o writes the file" test -s tracker.csv
expect 0 export
check "export writes CSV to stdout" test -s "$OUT_FILE"

finish
