#!/usr/bin/env bash
# check, verify and backup: the file's integrity, the history's hash chain,
# and an online copy that is itself a good handover file.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db
expect 0 --as sam mark FIN-1 handed-over --evidence "Ledger extract"
expect 0 --as rita mark FIN-1 gap --note "Which ledger?"
expect 0 --as sam comment FIN-1 "The 2026/27 one"

expect 0 check
out_has "ok"
expect 0 verify
out_has "events checked"
check "verify names the head hash" grep -Eq "^head: [0-9a-f]{64}$" "$OUT_FILE"
head=$(sed -n 's/^head: //p' "$OUT_FILE")
events=$(sed -n 's/^verify: \([0-9]*\) events.*/\1/p' "$OUT_FILE")
check "verify counts events" test "${events:-0}" -gt 3

# Reading never changes the file.
sum=$(checksum handover.db)
expect 0 check
expect 0 verify
expect 0 status
expect 0 gaps
expect 0 history
same_sum handover.db "$sum"

# backup: a new file that passes check and verify with the same head.
expect 0 backup copy.db
out_has "copy.db"
check "the backup exists" test -s copy.db
expect 0 -f copy.db check
expect 0 -f copy.db verify
out_has "head: $head"
expect 0 -f copy.db status
out_has "Dental transfer"
# A backup never overwrites.
sum=$(checksum copy.db)
expect 3 backup copy.db
err_one_line
same_sum copy.db "$sum"
expect 2 backup nowhere/copy.db
check "no backup into a missing folder" test ! -e nowhere

# History edited behind the application's back: verify names the event.
sqlite3 copy.db "
	DROP TRIGGER events_no_update;
	UPDATE events SET new_value = 'nothing to see' WHERE id = (SELECT max(id) FROM events);
" || fail "could not tamper with the copy"
expect 2 -f copy.db verify
err_one_line
err_has "event"
# And with the append-only triggers gone, check says so too.
expect 2 -f copy.db check
err_one_line

finish
