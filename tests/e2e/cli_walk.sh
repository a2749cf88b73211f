#!/usr/bin/env bash
# The whole life of an item and of a handover, with every wrong-role action
# refused (exit 3) at each step: FIN-3 handed over -> gap -> handed over ->
# accepted; every item accepted; sender and receiver sign each function;
# the lead signs the handover.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db

# Not started: the receiver cannot hand over, nobody can accept yet.
expect 3 --as rita mark FIN-3 handed-over --evidence "not mine to give"
err_one_line
expect 3 --as sam mark FIN-3 accepted
expect 3 --as rita mark FIN-3 accepted
expect 3 --as nobody comment FIN-3 "a viewer's word"
err_one_line
expect 3 --as sam sign FIN

expect 0 --as sam mark FIN-3 in-progress
out_has "in progress"
expect 0 --as sam mark FIN-3 handed-over --evidence "Ledger reconciliation, finance drive /fin/recon.xlsx"
out_has "handed over"
out_has "pending"

# Handed over: the sender cannot accept their own work.
expect 3 --as sam mark FIN-3 accepted
expect 3 --as rita mark FIN-3 handed-over --evidence "again"
expect 3 --as nobody comment FIN-3 "still a viewer"
expect 3 --as rita sign FIN

# The receiver raises a gap: the item goes back to the sender.
expect 0 --as rita mark FIN-3 gap --note "Where are the March accruals?"
out_has "in progress"
out_has "gap"
expect 0 gaps --function FIN
out_has "query"
out_has "FIN-3"
out_has "March accruals"
expect 3 --as rita mark FIN-3 accepted
expect 3 --as sam mark FIN-3 gap --note "the sender raising a query"

# Handed over again, then accepted: the query is closed.
expect 0 --as sam mark FIN-3 handed-over --evidence "Accruals added on tab 3" --note "Missed in the first upload"
out_has "handed over"
expect 3 --as sam mark FIN-3 accepted
expect 0 --as rita mark FIN-3 accepted
out_has "accepted"
expect 0 --as rita comment FIN-3 "Thanks, all there"
expect 0 gaps --function FIN
out_lacks "March accruals"
expect 0 history FIN-3
out_has "gap"
out_has "March accruals"

# Not ready yet: nobody signs, and the lead cannot sign the handover.
expect 3 --as sam sign FIN
expect 3 --as rita sign FIN
expect 3 --as lead sign --handover 1

# Pair every function and take every item through hand-over and acceptance.
codes="GOV FIN CON CMP QUA WRK DIG IGD PER COM"
for code in $codes; do
	ho --as lead pair "$code" --sender sam --receiver rita
	[ "$RC" -eq 0 ] || fail "pairing $code"
done
ho status
cp "$OUT_FILE" status.txt
# "FIN ... 1/7 handed over": the number of items per function.
for code in $codes; do
	total=$(awk -v c="$code" '$1 == c { for (i = 1; i <= NF; i++) if ($(i + 1) == "handed") { split($i, p, "/"); print p[2]; exit } }' status.txt)
	if [ -z "$total" ] || [ "$total" -lt 1 ]; then
		fail "no item count for $code in status"
		continue
	fi
	for n in $(seq 1 "$total"); do
		ref=$code-$n
		[ "$ref" = FIN-3 ] && continue
		if [ "$ref" = FIN-5 ]; then
			ho --as sam mark "$ref" not-applicable --note "No disputed payments this year"
		else
			ho --as sam mark "$ref" handed-over --evidence "evidence for $ref"
		fi
		[ "$RC" -eq 0 ] || fail "handing over $ref"
		if [ "$ref" = FIN-6 ]; then
			ho --as rita mark "$ref" accepted-with-conditions --note "Signatories list confirmed by 1 April"
		else
			ho --as rita mark "$ref" accepted
		fi
		[ "$RC" -eq 0 ] || fail "accepting $ref"
	done
	CHECKS=$((CHECKS + 1))
done

# A function that is ready: a viewer, a lead and an unpaired sender cannot
# sign for the pair; the sender and receiver can.
expect 3 --as nobody sign FIN
expect 3 --as lead sign FIN
expect 3 --as lead sign --handover 1
expect 0 --as sam sign FIN
out_has "waiting for the receiver"
expect 0 --as rita sign FIN
out_has "sender and receiver"

# Once signed off, the function's items are frozen.
expect 3 --as sam mark FIN-1 in-progress
expect 3 --as rita mark FIN-1 gap --note "too late"

# Sign the other functions; the handover is then the lead's to sign.
expect 3 --as lead sign --handover 1
for code in $codes; do
	[ "$code" = FIN ] && continue
	ho --as sam sign "$code"
	[ "$RC" -eq 0 ] || fail "sender signing $code"
	ho --as rita sign "$code"
	[ "$RC" -eq 0 ] || fail "receiver signing $code"
done
expect 3 --as sam sign --handover 1
expect 3 --as rita sign --handover 1
expect 3 --as nobody sign --handover 1
expect 0 --as lead sign --handover 1
out_has "signed off"
expect 0 status
out_has "10/10 functions signed off"
out_has "signed off by lead"
expect 0 --as lead print
check "the printed document is not empty" test -s "$OUT_FILE"
expect 0 verify
out_has "events checked"

finish
