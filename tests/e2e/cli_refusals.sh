#!/usr/bin/env bash
# Refusals say who can act, and a wrong --handover is named as such before
# anything else is printed.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db

# Not yours: the refusal names the function's sender or receiver.
expect 3 --as rita mark FIN-1 in-progress
err_has "FIN-1: only the function's sender (Sam Sender, sam) may do this"
err_one_line
expect 0 --as sam mark FIN-1 handed-over --evidence "Ledger extract"
expect 3 --as lead mark FIN-1 accepted
err_has "FIN-1: only the function's receiver (Rita Receiver, rita) may do this"
# Nobody paired: say so, and who can pair.
expect 3 --as sam mark DIG-1 in-progress
err_has "DIG-1: only the function's sender may do this, and DIG has none paired yet"

# A wrong --handover: no such handover, and nothing else on stdout.
for args in "mark FIN-2 in-progress" "comment FIN-2 note" "sign FIN" "status" "gaps" \
	"history FIN-2" "print" "pair FIN --sender sam"; do
	# shellcheck disable=SC2086
	expect 1 --as lead $args --handover 7
	err_has "--handover 7: there is no such handover (see 'handover status')"
	[ -z "$OUT" ] || fail "nothing on stdout for a wrong --handover"
done
expect 1 --as lead sign --handover 9
err_has "--handover 9: there is no such handover"

finish
