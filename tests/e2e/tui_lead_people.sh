#!/usr/bin/env bash
# A lead runs the people side of two handovers in the terminal application:
# re-pairs Dental's FIN (asked first, the handover named), edits a person
# (job title, lead as well as sender), records two leavers (one whose pairs
# go to a successor, after a refused one; one whose pairs become unpaired
# and show on My work), and reads who waits on whom with W. The CLI then
# sees every change; a sender is told W is a lead's.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"

FILE=$TMP/people.db
# Set up two days before the application runs (a change is never dated
# before the file's last one), so that the waits below have their own dates.
export HANDOVER_NOW=2026-11-19T09:00Z
ho -f "$FILE" --as lead init --title "Dental NW to C&M" --service Dental >/dev/null || exit 2
ho -f "$FILE" --as lead new --title "Optometry NW to C&M" --service Optometry --template pod \
	>/dev/null 2>&1 || exit 2
ho -f "$FILE" --as lead people add sam --name "Sam Patel" --role sender >/dev/null || exit 2
ho -f "$FILE" --as lead people add ann --name "Ann Lee" --role sender >/dev/null || exit 2
ho -f "$FILE" --as lead people add rita --name "Rita Reid" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead people add rob --name "Rob Roe" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead pair FIN --handover 1 --sender sam --receiver rita >/dev/null || exit 2
ho -f "$FILE" --as lead pair FIN --handover 2 --sender sam >/dev/null || exit 2
# Dental FIN-2 has waited on its receiver a day longer than FIN-1.
HANDOVER_NOW=2026-11-20T09:00Z ho -f "$FILE" --as sam mark FIN-2 handed-over --handover 1 \
	--evidence "ref 2" >/dev/null || exit 2
HANDOVER_NOW=2026-11-21T09:00Z ho -f "$FILE" --as sam mark FIN-1 handed-over --handover 1 \
	--evidence "ref 1" >/dev/null || exit 2
export HANDOVER_NOW=2026-11-22T10:00Z

tui_start lead 120 40 lead
wait_for lead "Dashboard"
keys lead BTab
wait_for lead "People and pairs"

# --- re-pairing: asked first, naming the handover ------------------------------------
keys lead /
type_text lead "Finance Sam Patel Rita"
submit lead
keys lead S
wait_for lead "Sender for Dental FIN Finance"
keys lead 1 # Ann Lee (by name: Ann, Sam)
wait_for lead "Dental FIN: make Ann Lee (ann) the sender instead of Sam Patel (sam)? (y/N)"
keys lead y
wait_for lead "Dental FIN: sender is now Ann Lee (was Sam Patel)."
person_pause # keys right after a prompt closes are taken for a paste
ho -f "$FILE" status --handover 1 | grep -E '^ *FIN ' | grep -q "Ann Lee" && pass ||
	fail "the CLI does not show Ann Lee as Dental FIN's sender"
ho -f "$FILE" status --handover 2 | grep -E '^ *FIN ' | grep -q "Sam Patel" && pass ||
	fail "Optometry FIN's sender changed too"

# --- editing a person: job title, lead as well as sender ------------------------------
keys lead /
type_text lead "sam sam patel"
submit lead
keys lead e
wait_for lead "Name of sam:"
submit lead
wait_for lead "Organisation of sam"
submit lead
wait_for lead "Job title of sam"
type_text lead "Regional finance lead"
submit lead
wait_for lead "Roles of sam"
wait_for lead "lead, sender, receiver"
keys lead 4 # lead, sender
wait_for lead "sam saved (lead, sender)."
wait_line lead "Sam Patel" "Regional finance lead"
wait_line lead "Sam Patel" "lead, sender"
person_pause
ho -f "$FILE" people list | grep -E '^sam ' | grep -q "Regional finance lead" && pass ||
	fail "people list lacks sam's job title"

# --- a leaver with a successor: one refused first, the login kept to mend -------------
keys lead /
type_text lead "rita rita reid"
submit lead
keys lead L
wait_for lead "Who takes over rita's pairs?"
type_text lead "ann"
submit lead
wait_for lead "Record that Rita Reid (rita) left?"
wait_for lead "their pairs move to Ann Lee (ann)."
keys lead y
wait_for lead "ann is a sender"
person_pause
wait_for lead "Who takes over rita's pairs?"
wait_line lead "Who takes over" "ann" # the login typed is back
keys lead C-u
type_text lead "rob"
submit lead
wait_for lead "their pairs move to Rob Roe (rob)."
keys lead y
wait_for lead "rita has left; 1 pair moved to rob."
wait_line lead "Rita Reid" "left"
person_pause
ho -f "$FILE" status --handover 1 | grep -E '^ *FIN ' | grep -q "Rob Roe" && pass ||
	fail "Dental FIN's receiver is not Rob Roe"

# --- a leaver without one: the pair becomes unpaired and shows on My work ---------------
keys lead /
type_text lead "sam sam patel"
submit lead
keys lead L
wait_for lead "Who takes over sam's pairs?"
submit lead # nobody
wait_for lead "their pairs become unpaired."
keys lead y
wait_for lead "sam has left; 1 pair now unpaired (My work lists them to pair)."
wait_line lead "Sam Patel" "left"
person_pause
# A leaver's record is final: e refuses.
keys lead e
wait_for lead "sam has left; their record stays as it was."
person_pause
keys lead Tab # round to the dashboard, then My work
wait_for lead "Dashboard:"
keys lead Tab
wait_for lead "My work:"
wait_for lead "Functions without a sender or receiver"
wait_line lead "Optometry FIN" "Finance"

# --- who waits on whom ----------------------------------------------------------------
keys lead BTab
wait_for lead "Dashboard:"
wait_for lead "W who waits"
keys lead W
wait_for lead "Waiting on whom:"
wait_for lead "Rob Roe (rob): 2 items"
wait_line lead "FIN-2" "2026-11-20"
wait_line lead "FIN-1 " "2026-11-21"
screen lead >"$TMP/waiting.txt"
rob=$(grep -n "Rob Roe (rob)" "$TMP/waiting.txt" | head -1 | cut -d: -f1)
fin2=$(grep -n "FIN-2 " "$TMP/waiting.txt" | head -1 | cut -d: -f1)
fin1=$(grep -n "FIN-1 " "$TMP/waiting.txt" | head -1 | cut -d: -f1)
if [ -n "$rob" ] && [ -n "$fin2" ] && [ -n "$fin1" ] && [ "$rob" -lt "$fin2" ] &&
	[ "$fin2" -lt "$fin1" ]; then
	pass
else
	fail "rob's items are not oldest first (rob $rob, FIN-2 $fin2, FIN-1 $fin1)"
	dump lead
fi
wait_for lead "Nobody paired (a lead to pair):"
ho -f "$FILE" status --all | grep -q "Rob Roe (rob): 2 items" && pass ||
	fail "status --all does not agree"
# Enter opens the item.
keys lead /
type_text lead "rob FIN-2"
submit lead
keys lead Enter
wait_for lead "Item FIN-2"
back_to lead "Waiting on whom:"
back_to lead "Dashboard:"
keys lead q
wait_exit lead >/dev/null

# --- W is a lead's view ------------------------------------------------------------------
tui_start ann 120 30 ann
dashboard ann # a sender opens on My work; W is the dashboard's
not_on_screen ann "W who waits"
keys ann W
wait_for ann "Only a lead sees who waits on whom"
keys ann q
wait_exit ann >/dev/null
if ho -f "$FILE" verify >/dev/null; then pass; else fail "verify failed after the lead's changes"; fi
finish
