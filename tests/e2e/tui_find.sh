#!/usr/bin/env bash
# Finding and acting on many in the terminal application, as people use it:
# /zoe finds Zoë, n and N go on and back, :FIN-3 and /FIN-3 open an item
# (this handover's first), o sorts with the heading saying how, Space tags
# rows and a accepts them all (each its own change, the refused named),
# Ctrl-E and E write notes in $EDITOR (a private file, removed after; line
# breaks kept), and the columns that matter survive 80 and 60 columns.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"

FILE=$TMP/find.db
ho -f "$FILE" init --title "Dental" --service "Dental" --as lead >/dev/null || exit 2
ho -f "$FILE" --as lead new --title "Optometry" --service "Optometry" >/dev/null || exit 2
ho -f "$FILE" --as lead people add siobhan --name "Siobhán O'Brien" --role sender >/dev/null || exit 2
ho -f "$FILE" --as lead people add zoe --name "Zoë Lewis" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead people add eimear --name "Eimear Fitzgerald-Okafor" --role receiver \
	>/dev/null || exit 2
ho -f "$FILE" --as lead pair FIN --sender siobhan --receiver zoe --handover 1 >/dev/null || exit 2
ho -f "$FILE" --as lead pair CON --sender siobhan --receiver eimear --handover 1 >/dev/null || exit 2
for n in 1 2; do
	ho -f "$FILE" --as siobhan mark "FIN-$n" handed-over --evidence "ref $n" --handover 1 \
		>/dev/null || exit 2
done

# The editor: notes what it was given (the file's mode and name) and adds
# two lines to whatever text was there.
cat >"$TMP/editor.sh" <<EDITOR
#!/bin/sh
stat -c %a "\$1" >>"$TMP/modes"
printf '%s\n' "\$1" >>"$TMP/paths"
printf 'Checked with the finance team\nLedger attached on the drive\n' >>"\$1"
EDITOR
chmod +x "$TMP/editor.sh"

# --- fit: 80x24 keeps RAG and the receiver whole ----------------------------
tui_start lead 80 24 lead
wait_for lead "Dashboard"
wait_line lead "Function" "RAG"
wait_line lead "CON" "Eimear Fitzgerald-Okafor"
not_on_screen lead "Eimear Fitzgerald-Ok…"

# --- search: accents and case folded, n and N --------------------------------
keys lead /
type_text lead "zoe"
submit lead
keys lead Enter
wait_for lead "FIN Finance: Siobhán O'Brien"
back_to lead "Dashboard"
pos() { screen lead | sed -n 2p | grep -oE '[0-9]+/[0-9]+ *$' | tr -d ' '; }
keys lead g
keys lead /
type_text lead "FINANCE"
submit lead
first=$(pos)
keys lead n
person_pause
second=$(pos)
keys lead N
person_pause
again=$(pos)
if [ -n "$first" ] && [ "$first" != "$second" ] && [ "$first" = "$again" ]; then pass; else
	fail "n and N: $first, then $second, then $again"
	dump lead
fi
# Not there at all: said so.
keys lead /
type_text lead "nothing of the sort"
submit lead
wait_for lead "Not found: nothing of the sort"

# --- :REF and /REF --------------------------------------------------------------
keys lead g
person_pause
keys lead :
wait_for lead "Go to item"
type_text lead "fin-3"
submit lead
wait_for lead "Item FIN-3"
wait_line lead "Function" "Dental"
back_to lead "Dashboard"
keys lead G # the last row: a function of Optometry
person_pause
keys lead :
type_text lead "FIN-3"
submit lead
wait_for lead "Item FIN-3"
wait_line lead "Function" "Optometry"
keys lead :
type_text lead "XYZ-1"
submit lead
wait_for lead "There is no item XYZ-1"
keys lead /
type_text lead "FIN-2"
submit lead
wait_for lead "Item FIN-2"
wait_line lead "Function" "Optometry"
back_to lead "Dashboard"

# --- sort ---------------------------------------------------------------------------
# The checklist's own order goes unsaid at 80 columns; any other is said.
not_on_screen lead "sort:"
keys lead o
wait_for lead "sort: RAG"
wait_for lead "Sorted by RAG."
keys lead o
wait_for lead "sort: overdue"

# --- fit: the gaps screen at 60 columns keeps Who acts ------------------------
resize lead 60 24
keys lead Tab
person_pause
keys lead Tab
wait_for lead "Gaps:"
wait_line lead "Gap" "Who acts"
wait_line lead "FIN-1" "Zoë Lewis"
keys lead q
person_pause
keys lead q
status=$(wait_exit lead)
if [ "$status" = 0 ]; then pass; else fail "the lead's session ended with $status"; fi

# --- tags: a on three rows, two accepted, one refused ---------------------------
tui_start zoe 100 30 zoe "EDITOR=$TMP/editor.sh"
wait_for zoe "Zoë Lewis (receiver)"
# A receiver opens on My work; the dashboard (Shift-Tab) starts on her own function.
dashboard zoe
keys zoe Enter
wait_for zoe "FIN Finance: Siobhán O'Brien"
wait_line zoe "FIN-1" "to review"
keys zoe g
for _ in 1 2 3; do
	keys zoe Space
	person_pause
done
wait_for zoe "3 tagged"
keys zoe a
wait_for zoe "Accepted 2 of 3 tagged items. Refused 1, still tagged: FIN-3"
wait_for zoe "1 tagged"
for ref in FIN-1 FIN-2; do
	n=$(ho -f "$FILE" history "$ref" --handover 1 | grep -c "handed over / accepted")
	if [ "$n" = 1 ]; then pass; else fail "$ref: $n accepted events, wanted 1"; fi
done
n=$(ho -f "$FILE" history FIN-3 --handover 1 | grep -c "accepted")
if [ "$n" = 0 ]; then pass; else fail "FIN-3 was accepted though not handed over"; fi
# Space on a tagged row untags it.
keys zoe g
person_pause
keys zoe Space
wait_for zoe "2 tagged"
keys zoe k
person_pause
keys zoe Space
wait_for zoe "1 tagged: a accepts" # FIN-1 untagged, FIN-3 still tagged


# --- the editor: E on the item screen, Ctrl-E in a prompt ------------------------
keys zoe g
person_pause
keys zoe Enter
wait_for zoe "Item FIN-1"
keys zoe E
wait_for zoe "Comment on FIN-1:"
# The line break shows as a sign in the prompt, and the size as it grows.
wait_for zoe "Checked with the finance team↵Ledger attached on the drive"
wait_for zoe "58/8,000"
submit zoe
wait_for zoe "Comment added to FIN-1."
# On the item screen the note keeps its two lines.
wait_line zoe "Checked with the finance team" " "
not_on_screen zoe "team Ledger"
wait_for zoe "     Ledger attached on the drive"
keys zoe c
wait_for zoe "Comment on FIN-1:"
type_text zoe "Draft"
keys zoe C-e
wait_for zoe "Draft↵Checked with the finance team↵Ledger"
wait_for zoe "64/8,000"
keys zoe Escape
wait_for zoe "Cancelled."
modes=$(sort -u "$TMP/modes" 2>/dev/null)
if [ "$modes" = 600 ]; then pass; else fail "the editor's files had modes: $modes"; fi
while read -r path; do
	if [ -e "$path" ]; then fail "the editor's file $path was left behind"; else pass; fi
done <"$TMP/paths"
runs=$(wc -l <"$TMP/paths")
if [ "$runs" = 2 ]; then pass; else fail "the editor ran $runs times, wanted 2"; fi
# One comment filed (E), none for the cancelled prompt (Ctrl-E, then Esc).
n=$(ho -f "$FILE" history FIN-1 --handover 1 | grep -c "comment .*Checked with the finance team")
if [ "$n" = 1 ]; then pass; else fail "FIN-1 has $n comments from the editor, wanted 1"; fi
if ho -f "$FILE" history FIN-1 --handover 1 | grep -q "Draft"; then
	fail "the cancelled comment was filed"
else
	pass
fi
back_to zoe "Dashboard"
keys zoe q
status=$(wait_exit zoe)
if [ "$status" = 0 ]; then pass; else fail "zoe's session ended with $status"; fi

# An editor that fails leaves the prompt's text as it was.
tui_start broken 100 30 zoe "VISUAL=false" "EDITOR=$TMP/editor.sh"
dashboard broken
keys broken Enter
wait_for broken "FIN Finance"
keys broken c
wait_for broken "Comment on FIN-1:"
type_text broken "Keep me"
keys broken C-e
wait_for broken 'The editor "false" did not end cleanly: the text is as it was.'
wait_for broken "Comment on FIN-1: Keep me"
runs=$(wc -l <"$TMP/paths")
if [ "$runs" = 2 ]; then pass; else fail "EDITOR ran though VISUAL was set"; fi
keys broken Escape
wait_for broken "Cancelled."

finish
