#!/usr/bin/env bash
# A lead sets a handover up in the terminal application from an empty file:
# adds the handover (a date refused, then taken in the UK form), a
# function, items with due dates; moves, edits and withdraws an item and
# undoes each with u; edits the cover's marking and distribution. The CLI then sees it all.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"

FILE=$TMP/lead.db
ho -f "$FILE" --as lead init --empty --title "Lead set-up" >/dev/null || exit 2

tui_start lead 110 30 lead
wait_for lead "Dashboard"
# --- a handover ---------------------------------------------------------------
keys lead H
wait_for lead "Title of the new handover"
type_text lead "Dental: NW to C&M"
submit lead
wait_for lead "Start the handover"
submit lead # empty
wait_for lead "Target date"
type_text lead "12/31/2026"
submit lead
wait_for lead "'12/31/2026' is not a date: type a date like 2026-12-15 or 15/12/2026"
keys lead C-u
type_text lead "31/03/2027"
submit lead
wait_for lead "Added handover 1"
# --- a function, from the dashboard ------------------------------------------------
keys lead F
wait_for lead "Code of the new function"
type_text lead "fin"
submit lead
wait_for lead "Name of FIN"
type_text lead "Finance"
submit lead
wait_for lead "Added function FIN"
keys lead /
type_text lead "Finance"
submit lead
keys lead Enter
wait_for lead "FIN Finance"
# --- items ---------------------------------------------------------------------------
keys lead i
wait_for lead "Title of the new item in FIN"
type_text lead "Budget lines agreed"
submit lead
wait_for lead "Due date"
type_text lead "15/12/2026"
submit lead
wait_for lead "Added FIN-1"
wait_for lead "2026-12-15"
keys lead i
wait_for lead "Title of the new item in FIN"
type_text lead "Contracts novated"
submit lead
wait_for lead "Due date"
submit lead
wait_for lead "Added FIN-2"
# Move FIN-2 up, then undo the move.
keys lead G K
wait_for lead "FIN-2 moved"
out=$(ho -f "$FILE" print --function FIN)
first=$(printf '%s\n' "$out" | grep -o 'FIN-[12]' | head -1)
if [ "$first" = FIN-2 ]; then pass; else fail "after K, FIN-2 does not come first: $first"; fi
keys lead u
wait_for lead "Undone: your last change to FIN-2"
out=$(ho -f "$FILE" print --function FIN)
first=$(printf '%s\n' "$out" | grep -o 'FIN-[12]' | head -1)
if [ "$first" = FIN-1 ]; then pass; else fail "undo did not move FIN-2 back: $first"; fi
# A due date in neither form is refused, saying what is expected.
keys lead g d
wait_for lead "FIN-1: Due date"
keys lead C-u
type_text lead "next week"
submit lead
wait_for lead "FIN-1: 'next week' is not a date"
keys lead C-u
type_text lead "2027-01-10"
submit lead
wait_for lead "FIN-1: due date saved"
wait_for lead "2027-01-10"
# Edit a title, withdraw, undo the withdrawal.
keys lead e
wait_for lead "Title of FIN-1"
keys lead C-u
type_text lead "Budget lines agreed for month 9"
submit lead
wait_for lead "Guidance for FIN-1"
type_text lead "Ledger extract at month 9"
submit lead
wait_for lead "FIN-1 edited"
wait_for lead "Budget lines agreed for month 9"
keys lead x
wait_for lead "Why is FIN-1 withdrawn"
type_text lead "Covered elsewhere"
submit lead
wait_for lead "FIN-1 withdrawn"
wait_gone lead "Budget lines agreed for month 9"
ho -f "$FILE" status | grep -q "1 item\|0/1" && pass || fail "status still counts a withdrawn item"
keys lead u
wait_for lead "Undone: your last change to FIN-1"
wait_for lead "Budget lines agreed for month 9"
if ho -f "$FILE" print --function FIN | grep -q "Ledger extract at month 9"; then pass; else fail "the guidance was not saved"; fi
# --- reordering functions on the dashboard ------------------------------------------
ho -f "$FILE" --as lead functions add GOV --name Governance >/dev/null || fail "functions add GOV"
keys lead Escape
wait_for lead "Dashboard"
wait_for lead "Governance"
keys lead /
type_text lead "Governance"
submit lead
keys lead K
wait_for lead "GOV moved"
first=$(ho -f "$FILE" status | grep -oE '^ *(FIN|GOV) ' | head -1 | tr -d ' ')
if [ "$first" = GOV ]; then pass; else fail "after K on the dashboard, GOV is not first: $first"; fi
keys lead u
wait_for lead "Undone: your last change to GOV"
first=$(ho -f "$FILE" status | grep -oE '^ *(FIN|GOV) ' | head -1 | tr -d ' ')
if [ "$first" = FIN ]; then pass; else fail "undo did not move GOV back: $first"; fi
# --- the cover: the marking -------------------------------------------------------
wait_for lead "Dashboard"
keys lead g e
wait_for lead "Title:"
submit lead
wait_for lead "Service"
submit lead
wait_for lead "Sending organisation"
submit lead
wait_for lead "Receiving organisation"
submit lead
wait_for lead "Target date"
submit lead
wait_for lead "Marking printed on every page"
keys lead C-u
type_text lead "OFFICIAL-SENSITIVE"
submit lead
wait_for lead "Distribution"
type_text lead "Regional director; ICB board"
submit lead
wait_for lead "The cover of handover 1 is saved"
if ho -f "$FILE" print | grep -q "OFFICIAL-SENSITIVE"; then pass; else fail "the marking is not printed"; fi
if ho -f "$FILE" print | grep -q "Distribution *Regional director; ICB board"; then pass
else fail "the distribution is not in the document control table"; fi
# --- closing and reopening -----------------------------------------------------------
keys lead g C
wait_for lead "Why is handover 1 closed"
type_text lead "Paused for the board"
submit lead
wait_for lead "Handover 1 closed"
if ho -f "$FILE" status | grep -q "Closed on"; then pass; else fail "status does not say closed"; fi
if ho -f "$FILE" --as lead items add FIN --title "Late" >/dev/null 2>&1; then
	fail "a closed handover took a new item"
else
	pass
fi
keys lead C
wait_for lead "Reopen handover 1?"
keys lead y
wait_for lead "Handover 1 reopened"
if ho -f "$FILE" verify >/dev/null; then pass; else fail "verify failed after the lead's changes"; fi
keys lead q
finish
