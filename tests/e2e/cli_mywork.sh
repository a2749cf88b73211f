#!/usr/bin/env bash
# A day's work from the command line: todo for each role, and changes since
# the last look (moved by looking, not by a date given for a daily mail).
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db

expect 0 --as sam todo
out_has "Waiting on Sam Sender (sender): 7"
out_has "Not started (7)"
out_has "FIN-1"
expect 0 --as sam mark FIN-1 handed-over --evidence "Ledger extract"
expect 0 --as rita todo
out_has "Handed over, waiting for your review (1)"
expect 0 --as rita mark FIN-1 gap --note "Where is March?"
expect 0 --as sam todo
out_has "Sent back to you with a query (1)"
out_has "Rita Receiver"
expect 0 --as lead todo
out_has "Functions without a sender or receiver (9)"
expect 0 --as nobody todo
out_has "nothing waits on a viewer"

expect 0 --as sam changes
out_has "change"
out_has "Rita Receiver"
out_has "gap"
expect 0 --as sam changes
out_has "0 changes by others since you last looked"
expect 0 --as rita comment FIN-1 "Also the April accruals"
expect 0 --as sam changes --since yesterday
out_has "comment"
# A date does not move the mark: the comment is still new.
expect 0 --as sam changes
out_has "1 change by others since you last looked"
expect 1 --as sam changes --since someday
err_has "--since 'someday'"
expect 0 verify
expect 0 check

finish
