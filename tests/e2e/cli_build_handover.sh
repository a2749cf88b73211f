#!/usr/bin/env bash
# A lead builds a real handover from an empty file, without the demo or the
# template: new, functions add, items add, pair, run it, sign it. Then the
# cover, due dates (ISO and UK), edits that send an item back for review,
# withdrawing, reordering, undo, closing and reopening.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

F=(-f build.db)
expect 0 "${F[@]}" --as lead init --empty --title "Dental"
# Cover options belong to a handover, which --empty does not make.
expect 1 -f other.db --as lead init --empty --service Dental
err_has "handover new"
check "a refused init leaves no file" test ! -e other.db

expect 0 "${F[@]}" --as lead new --title "Dental: NW to C&M ICB" --service Dental \
	--from "NHS England North West" --to "Cheshire and Merseyside ICB" --target 31/03/2027 --empty
check "new prints the handover's number" test "$OUT" = 1
expect 0 "${F[@]}" status
out_has "Dental: NW to C&M ICB"
# Dates that are neither ISO nor UK day/month/year are refused, saying what is expected.
expect 1 "${F[@]}" --as lead set --target 03/31/2027
err_has "15/12/2026"
err_one_line
expect 0 "${F[@]}" --as lead set --marking "OFFICIAL-SENSITIVE" --target 2027-03-31

# Functions and items by hand; each item prints its reference.
expect 0 "${F[@]}" --as lead functions add FIN --name Finance --due 15/12/2026
expect 0 "${F[@]}" --as lead functions add DIG --name Digital
expect 0 "${F[@]}" --as lead items add FIN --title "Budget lines agreed" --guidance "Month 9"
check "items add prints the reference" test "$OUT" = FIN-1
expect 0 "${F[@]}" --as lead items add FIN --title "Contracts novated" --due 2026-11-30
check "second item" test "$OUT" = FIN-2
expect 0 "${F[@]}" --as lead items add FIN --title "A mistake"
check "third item" test "$OUT" = FIN-3
expect 0 "${F[@]}" --as lead items add DIG --title "Systems access"
check "DIG's first item" test "$OUT" = DIG-1
expect 1 "${F[@]}" --as lead items add FIN --title "Bad date" --due "next week"
err_has "2026-12-15"
# Not a lead: refused with status 3.
expect 0 "${F[@]}" --as lead people add sam --name "Sam Sender" --role sender
expect 0 "${F[@]}" --as lead people add rita --name "Rita Receiver" --role receiver
expect 3 "${F[@]}" --as sam items add FIN --title "Not mine to add"
err_has "lead"

# Withdraw FIN-3: it leaves the counts; its reference is never reused.
expect 0 "${F[@]}" --as lead items retire FIN-3 --note "Added by mistake"
expect 0 "${F[@]}" --as lead items add FIN --title "Payroll"
check "a withdrawn reference is not reused" test "$OUT" = FIN-4
expect 0 "${F[@]}" --as lead items move FIN-4 --before FIN-1
expect 0 "${F[@]}" print --function FIN
check "FIN-4 now comes first" sh -c "grep -n 'FIN-4' '$OUT_FILE' | head -1 | cut -d: -f1 >a; grep -n 'FIN-1' '$OUT_FILE' | head -1 | cut -d: -f1 >b; [ \$(cat a) -lt \$(cat b) ]"
out_has "Withdrawn"
out_has "Added by mistake"
out_has "OFFICIAL-SENSITIVE"
# Items inherit the function's due date unless they have their own.
out_has "2026-12-15"
out_has "2026-11-30"
# Undo the move, then move again.
expect 0 "${F[@]}" --as lead functions retire DIG --note "Digital stays with the region"
expect 0 "${F[@]}" status
out_lacks "DIG"
expect 0 "${F[@]}" --as lead functions edit FIN --name "Finance and contracts"
expect 0 "${F[@]}" --as lead functions add GOV --name Governance
expect 0 "${F[@]}" --as lead functions move GOV --before FIN
expect 0 "${F[@]}" status
check "GOV now comes before FIN" sh -c "grep -n '^ *GOV ' '$OUT_FILE' | cut -d: -f1 >a; grep -n '^ *FIN ' '$OUT_FILE' | cut -d: -f1 >b; [ \$(cat a) -lt \$(cat b) ]"
expect 1 "${F[@]}" --as lead functions move GOV
err_has "--before"
expect 0 "${F[@]}" --as lead functions retire GOV --note "Not part of this transfer"

expect 0 "${F[@]}" --as lead pair FIN --sender sam --receiver rita
for ref in FIN-1 FIN-2 FIN-4; do
	expect 0 "${F[@]}" --as sam mark "$ref" handed-over --evidence "See the shared folder"
	expect 0 "${F[@]}" --as rita mark "$ref" accepted
done
# An edit of the text after acceptance sends the item back for review.
expect 0 "${F[@]}" --as lead items edit FIN-2 --title "Contracts novated and signed"
out_has "back with the receiver"
expect 3 "${F[@]}" --as sam sign FIN
err_has "not ready"
expect 0 "${F[@]}" --as rita mark FIN-2 accepted
# A due date alone does not.
expect 0 "${F[@]}" --as lead items edit FIN-2 --due 01/12/2026
out_lacks "back with the receiver"
# A withdrawn item cannot be marked.
expect 3 "${F[@]}" --as sam mark FIN-3 in-progress
err_has "withdrawn"

# Closed: read-only, still printable; reopened by a lead.
expect 1 "${F[@]}" --as lead close
err_has "--note"
expect 0 "${F[@]}" --as lead close --note "Paused for the board"
expect 3 "${F[@]}" --as sam sign FIN
err_has "closed"
expect 3 "${F[@]}" --as lead items add FIN --title "Late item"
err_has "closed"
expect 0 "${F[@]}" print
out_has "Paused for the board"
expect 0 "${F[@]}" status
out_has "Closed on"
expect 3 "${F[@]}" --as sam reopen
expect 0 "${F[@]}" --as lead reopen

expect 0 "${F[@]}" --as sam sign FIN
expect 0 "${F[@]}" --as rita sign FIN
expect 0 "${F[@]}" --as lead sign --handover 1
expect 0 "${F[@]}" status
out_has "signed"
expect 0 "${F[@]}" verify
expect 0 "${F[@]}" history
out_has "item-retire"
out_has "Added by mistake"

finish
