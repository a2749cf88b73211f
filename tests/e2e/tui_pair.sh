#!/usr/bin/env bash
# A sender and a receiver, each in their own terminal on one shared file,
# take an item through handed over, gap, handed over, accepted and signed
# off without touching the command line, each seeing the other's changes
# live.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"

FILE=$TMP/pair.db
ho -f "$FILE" init --title "Dental handover" --as lead >/dev/null || exit 2
ho -f "$FILE" --as lead people add sam --name "Sam Sender" --role sender >/dev/null || exit 2
ho -f "$FILE" --as lead people add rita --name "Rita Receiver" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead pair FIN --sender sam --receiver rita >/dev/null || exit 2
# Every Finance item but the first is done already, so the function can be
# signed off once FIN-1 is accepted on screen.
for n in 2 3 4 5 6 7; do
	ho -f "$FILE" --as sam mark "FIN-$n" handed-over --evidence "ref $n" >/dev/null || exit 2
	ho -f "$FILE" --as rita mark "FIN-$n" accepted >/dev/null || exit 2
done

tui_start sender 110 30 sam
tui_start receiver 110 30 rita
wait_for sender "Sam Sender (sender)"
wait_for receiver "Rita Receiver (receiver)"
wait_for sender "live"

# Both open Finance's checklist (search the dashboard, then Enter).
for who in sender receiver; do
	dashboard "$who"
	keys "$who" /
	type_text "$who" "Finance"
	submit "$who"
	keys "$who" Enter
	wait_for "$who" "FIN Finance"
	wait_line "$who" "FIN-1" "not started"
done

# The sender hands FIN-1 over with an evidence reference.
keys sender m
wait_for sender "Evidence for FIN-1"
type_text sender "Ledger reconciliation FIN-R-0423, SharePoint /POD/Finance"
submit sender
wait_for sender "FIN-1 handed over"
start=$(now_ms)
# The receiver sees it without pressing anything, marked as changed by
# someone else since she looked.
wait_line receiver "FIN-1•" "to review"
seen=$(now_ms)
echo "the receiver saw the hand-over after $((seen - start)) ms"
if [ $((seen - start)) -gt 3000 ]; then
	fail "the receiver saw the hand-over only after $((seen - start)) ms"
fi

# She moves onto it (the mark stays until she opens or acts on it) and
# raises a gap with a query; acting on it clears the mark.
keys receiver g
wait_line receiver "FIN-1•" "to review"
wait_for receiver "r raise gap"
keys receiver r
wait_for receiver "Query for the sender about FIN-1"
type_text receiver "Which ledger extract? The one on SharePoint is from March."
submit receiver
wait_for receiver "Gap raised on FIN-1"
wait_line receiver "FIN-1 " "GAP"
# The sender sees the gap, in the checklist, in My work (sent back) and on
# the gaps screen.
wait_line sender "FIN-1•" "GAP"
keys sender Tab
wait_for sender "My work:"
wait_for sender "Sent back to you with a query (1)"
wait_line sender "FIN-1" "Rita"
person_pause
keys sender Tab
wait_for sender "Gaps:"
wait_line sender "query" "FIN-1"
wait_for sender "Which ledger extract?"
# Enter on the gap opens the item with its thread.
keys sender Enter
wait_for sender "Item FIN-1"
wait_for sender "query (open)"

# The sender hands it over again (the evidence is offered again; it is
# edited: End, then more text).
keys sender m
wait_for sender "Evidence for FIN-1"
keys sender End
type_text sender " (extract of 31 March attached)"
submit sender
wait_for sender "FIN-1 handed over"
wait_line receiver "FIN-1•" "to review"

# The receiver looks (moves onto it) and accepts; the query closes.
keys receiver g
wait_line receiver "FIN-1•" "to review"
keys receiver a
wait_for receiver "FIN-1 accepted"
wait_line receiver "FIN-1 " "accepted"
wait_for sender "query (closed)"
wait_for sender "Item FIN-1: handed over / accepted"

# Both sign off, each asked first.
wait_for sender "s sign off"
keys sender s
wait_for sender "Sign off FIN Finance as its sender?"
keys sender y
wait_for sender "FIN signed off"
wait_for receiver "s sign off"
keys receiver s
wait_for receiver "Sign off FIN Finance as its receiver?"
keys receiver y
wait_for receiver "FIN signed off"

# Back on the dashboard both see Finance signed by both.
# (Esc goes back to the first screen, q quit on its bottom line.)
for who in sender receiver; do
	back_to "$who" "q quit"
	dashboard "$who"
	wait_line "$who" "Finance" "S✓ R✓"
done
# The command line agrees.
if ho -f "$FILE" --as lead status | grep -F "Finance" | grep -q "both"; then
	pass
else
	fail "status does not show Finance signed by both"
fi

# q quits with status 0.
keys sender q
keys receiver q
for who in sender receiver; do
	status=$(wait_exit "$who")
	if [ "$status" = 0 ]; then
		pass
	else
		fail "$who: exit status $status, wanted 0"
	fi
done

finish
