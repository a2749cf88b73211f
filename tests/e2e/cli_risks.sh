#!/usr/bin/env bash
# The risk log and deep dives from the command line: add, list by score,
# edit, close with a note, deep dives with actions, refusals with reasons.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db

expect 0 --as sam risks add --title "Contract disputes unresolved at transfer" \
	--likelihood 4 --impact 5 --owner rita --function FIN --mitigation "Weekly review" \
	--review 2026-12-15 --items FIN-1,fin-2
out_has "R-1: score 20 (extreme)"
expect 0 --as lead risks add --title "Comms plan late" --likelihood 2 --impact 3 --owner sam
out_has "R-2: score 6 (moderate)"
expect 0 risks list
out_has "R-1 FIN"
out_has "20 (L4 I5)"
out_has "extreme"
# Highest score first.
[ "$(printf '%s\n' "$OUT" | sed -n 2p | cut -c1-3)" = "R-1" ] || fail "R-1 listed first"

expect 1 --as lead risks add --title X --likelihood 6 --impact 1 --owner sam
err_has "--likelihood must be 1 to 5"
expect 1 --as lead risks add --title X --likelihood 2
err_has "needs --title, --likelihood, --impact and --owner"
expect 1 --as lead risks add --title X --likelihood 2 --impact 2 --owner nobody
err_has "no person 'nobody'"
expect 3 --as rita risks close R-2 --note "not mine"
err_has "R-2: only its owner or a lead may change it"
expect 1 --as rita risks close R-1
err_has "needs --note"
expect 0 --as rita risks edit R-1 --likelihood 2
out_has "R-1: changed"
expect 0 --as rita risks close R-1 --note "Disputes settled"
expect 0 risks list --open
out_lacks "R-1"
out_has "R-2"

expect 0 --as lead deepdive add --date 2026-11-25 --title "Dental contracting deep dive" \
	--attendees "ICB contracting, LDC, Healthwatch" --risks R-1,R-2 --decisions "Escalate two"
out_has "DD-1"
expect 0 --as lead deepdive action DD-1 "Write to the LDC" --owner sam --due 2026-12-01
out_has "A-1"
expect 3 --as rita deepdive done A-1
expect 0 --as sam deepdive done A-1
expect 0 deepdive list
out_has "DD-1 2026-11-25: Dental contracting deep dive"
out_has "A-1 [done] Write to the LDC (Sam Sender, due 2026-12-01)"
expect 0 history
out_has "risk close"
out_has "action done"
expect 0 check
expect 0 verify

finish
