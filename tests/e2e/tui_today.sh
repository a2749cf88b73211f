#!/usr/bin/env bash
# A day's work in the terminal application: senders and receivers open on
# My work, leads on the dashboard; what others changed since you last
# looked is counted in the title and marked (bold, a dot) until opened; the
# Changes screen lists it and opens the item; the item screen uses the
# checklist's words; a terminal without cursor addressing is refused with a
# pointer to the commands; outside a UTF-8 locale typed non-ASCII is
# refused naming the locale to set, and stored names show with '?'.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"

FILE=$TMP/today.db
ho -f "$FILE" init --title "Today test" --as lead >/dev/null || exit 2
ho -f "$FILE" --as lead people add sam --name "Sam Sender" --role sender >/dev/null || exit 2
ho -f "$FILE" --as lead people add rita --name "Rita Receiver" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead people add zoe --name "Zoë Ødegaard" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead pair FIN --sender sam --receiver rita >/dev/null || exit 2

# --- the first screen -------------------------------------------------------------------
tui_start lead 100 30 lead
wait_for lead "lead (lead)"
wait_for lead "Dashboard"
keys lead q
status=$(wait_exit lead)
if [ "$status" = 0 ]; then pass; else fail "lead: exit status $status after q, wanted 0"; fi

# Rita looks (the command line records it), then Sam hands FIN-1 over.
ho -f "$FILE" --as rita changes >/dev/null || fail "rita could not list the changes"
ho -f "$FILE" --as sam mark FIN-1 handed-over --evidence "Ledger extract" >/dev/null ||
	fail "sam could not hand FIN-1 over"

tui_start rita 110 30 rita
wait_for rita "Rita Receiver (receiver)"
# My work first; the title counts what changed since she looked.
wait_for rita "My work:"
wait_for rita "1 change since today 10:00"
wait_line rita "FIN-1•" "Sam Sender"
# Bold: the cell that holds the reference carries the bold attribute.
if screen_attrs rita | grep -F "FIN-1" | grep -qE $'\e\\[([0-9;]*;)?1(;[0-9;]*)?m'; then pass; else
	fail "the changed row is not bold"
	dump rita
fi
# Changes, two Tabs on: who, what, and Enter opens the item.
keys rita Tab
wait_for rita "Gaps:"
person_pause
keys rita Tab
wait_for rita "Changes: 1 change by others since you last looked, today 10:00"
wait_line rita "Sam Sender" "FIN-1"
keys rita Enter
wait_for rita "Item FIN-1: handed over / to review"
wait_for rita "Rita Receiver: to review"
# History names people as the thread does, and marks the news.
wait_line rita "• 2026-11-22 10:00" "Sam Sender  mark"
keys rita Escape
wait_for rita "Changes:"
wait_line rita "FIN-1 " "Sam Sender"
not_on_screen rita "FIN-1•"
# Leaving records the look: the next session has nothing new.
back_to rita "q quit"
keys rita q
status=$(wait_exit rita)
if [ "$status" = 0 ]; then pass; else fail "rita: exit status $status after q, wanted 0"; fi
if ho -f "$FILE" --as rita changes | grep -qF "0 changes by others since you last looked"; then
	pass
else
	fail "leaving the application did not record the look"
fi

# --- a terminal that cannot place the cursor --------------------------------------------------
tui_start dumb 100 10 sam TERM=dumb
status=$(wait_exit dumb)
if [ "$status" = 1 ]; then pass; else fail "TERM=dumb: exit status $status, wanted 1"; fi
wait_for dumb "handover: this terminal (TERM=dumb) cannot place the cursor: use the commands"

# --- a locale that is not UTF-8 ---------------------------------------------------------------
tui_start ascii 110 30 lead LC_ALL=C
wait_for ascii "lead (lead)"
keys ascii BTab
wait_for ascii "People and pairs"
# Stored names show with '?' for what the locale cannot show, never raw bytes.
wait_line ascii "zoe" "Zo? ?degaard"
not_on_screen ascii "Zoë"
# Typed non-ASCII is refused, naming the locale to set; ASCII still goes in.
keys ascii Escape
wait_for ascii "Dashboard"
keys ascii /
wait_for ascii "Search:"
type_text ascii "é"
wait_for ascii "Only ASCII can be typed in this locale (C): start handover with LC_ALL=C.UTF-8"
# Typing goes on after it (it once stopped reading keys altogether).
type_text ascii "Fin"
wait_for ascii "Search: Fin"
keys ascii Enter
wait_line ascii "FIN" "Finance"
finish
