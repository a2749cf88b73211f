#!/usr/bin/env bash
# Nothing by accident: the real binary in tmux acts only on keys a person
# pressed as keys. A paste (tmux paste-buffer -p, bracketed because the
# program asks for it) is text for the open prompt and nothing outside one;
# Alt keys and escape sequences curses does not know are one key each;
# Ctrl-C cancels a prompt; text over the limit is counted, not cut; a change
# waiting on a lock says so and keys pressed meanwhile go nowhere; an action
# on a row that changed since it was seen is refused, saying what changed.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"

# Each finding on its own file and in its own terminal, so each fails or
# passes on its own.
BASE=$TMP/base.db
FILE=$BASE
ho -f "$FILE" init --title "Dental handover" --as lead >/dev/null || exit 2
ho -f "$FILE" --as lead people add sam --name "Sam Sender" --role sender >/dev/null || exit 2
ho -f "$FILE" --as lead people add rita --name "Rita Receiver" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead pair FIN --sender sam --receiver rita >/dev/null || exit 2
ho -f "$FILE" --as sam mark FIN-1 handed-over --evidence "Ledger extract" >/dev/null || exit 2

# history REF: the item's history as the command line prints it.
history() {
	ho -f "$FILE" history "$1" 2>&1
}

# paste SESSION TEXT: TEXT pasted into the terminal as a person would.
paste() {
	printf '%s' "$2" >"$TMP/paste.txt"
	tm load-buffer -b p "$TMP/paste.txt"
	tm paste-buffer -p -d -b p -t "$1"
}

# checklist SESSION: from the first screen by the dashboard into Finance's
# checklist.
checklist() {
	dashboard "$1"
	keys "$1" /
	type_text "$1" "Finance"
	submit "$1"
	keys "$1" Enter
	wait_for "$1" "FIN Finance"
}

# fresh SESSION LOGIN: a copy of the base file as $FILE, and LOGIN on
# Finance's checklist in a new terminal SESSION.
fresh() {
	FILE=$TMP/$1.db
	ho -f "$BASE" backup "$FILE" >/dev/null || exit 2
	tui_start "$1" 120 30 "$2"
	checklist "$1"
	wait_line "$1" "FIN-1" "handed over"
}

# --- a paste into a prompt is text ----------------------------------------------
fresh paste rita
keys paste c
wait_for paste "Comment on FIN-1:"
paste paste $'Looks fine.\nall good'
wait_for paste "Comment on FIN-1: Looks fine. all good"
submit paste
wait_for paste "Comment added to FIN-1"
if history FIN-1 | grep -qF "Looks fine. all good"; then pass; else fail "the pasted comment was not filed whole"; fi
if history FIN-1 | grep -qF "accepted"; then fail "a paste accepted FIN-1"; else pass; fi

# --- a paste outside a prompt does nothing but say so -------------------------------
fresh outside rita
paste outside $'...\nrow two'
wait_for outside "Pasted text ignored"
not_on_screen outside "Query for the sender"
if history FIN-1 | grep -qF "gap"; then fail "a paste raised a gap"; else pass; fi

# --- Alt keys and unknown sequences are one key each ---------------------------------
fresh alt rita
keys alt c
wait_for alt "Comment on FIN-1:"
type_text alt "evidence within limits"
wait_for alt "Comment on FIN-1: evidence within limits"
keys alt M-a
person_pause
keys alt M-BSpace # the word before the cursor
wait_gone alt "within limits"
keys alt M-b # a word left
keys alt M-d # the word after the cursor
type_text alt "seen"
tm send-keys -t alt -l $'\e[1~' # Home, as PuTTY sends it
type_text alt "Checked: "
wait_for alt "Comment on FIN-1: Checked: evidence seen"
submit alt
wait_for alt "Comment added to FIN-1"
if history FIN-1 | grep -qF "Checked: evidence seen"; then pass; else fail "Alt keys did not edit the comment"; fi
if history FIN-1 | grep -qF "accepted"; then fail "Alt-a accepted FIN-1"; else pass; fi

# --- Ctrl-C cancels a prompt; on a screen it quits ------------------------------------
fresh ctrlc rita
keys ctrlc r
wait_for ctrlc "Query for the sender about FIN-1:"
type_text ctrlc "Which extract?"
keys ctrlc C-c
wait_for ctrlc "Cancelled."
if [ -s "$TMP/ctrlc.status" ]; then fail "Ctrl-C in a prompt ended the program"; else pass; fi
if history FIN-1 | grep -qF "Which extract?"; then fail "a cancelled query was filed"; else pass; fi
person_pause
keys ctrlc C-c
status=$(wait_exit ctrlc)
if [ "$status" = 130 ]; then pass; else fail "Ctrl-C on a screen: exit status $status, wanted 130"; fi

# --- acting on what was seen -------------------------------------------------------------
# Sam takes FIN-1 back and hands it over with other evidence; Rita's screen
# follows and marks the row; her a is refused once, saying what changed.
fresh seen rita
ho -f "$FILE" --as sam mark FIN-1 in-progress >/dev/null || fail "sam could not take FIN-1 back"
ho -f "$FILE" --as sam mark FIN-1 handed-over --evidence "Another extract" >/dev/null ||
	fail "sam could not hand FIN-1 over again"
wait_line seen "FIN-1•" "to review"
keys seen a
wait_for seen "was changed by Sam Sender"
wait_for seen "since you looked (evidence)"
if history FIN-1 | tail -n 1 | grep -qF "accepted"; then fail "a accepted what Rita had not seen"; else pass; fi
keys seen a
wait_for seen "FIN-1 accepted"

# --- too long: counted, refused, never cut ------------------------------------------------
fresh long sam
keys long j
keys long m
wait_for long "Evidence for FIN-2"
paste long "$(printf 'x%.0s' $(seq 1 8010))"
wait_for long "8,010/8,000"
submit long
wait_for long "Too long: 8,010 bytes, at most 8,000"
for _ in 1 2 3 4 5 6 7 8 9 10; do keys long BSpace; done
wait_for long "8,000/8,000"
submit long
wait_for long "FIN-2 handed over"
x8000=$(printf 'x%.0s' $(seq 1 8000))
if history FIN-2 | grep -qF "$x8000"; then pass; else fail "the 8,000 bytes were not saved"; fi
if history FIN-2 | grep -qF "${x8000}x"; then fail "more than 8,000 bytes were saved"; else pass; fi

# --- waiting on a lock --------------------------------------------------------------------
fresh lock sam
keys lock j
keys lock j
keys lock c
wait_for lock "Comment on FIN-3:"
type_text lock "Sent while the file was locked"
rm -f "$TMP/lock.out" "$TMP/lock.release"
(
	printf '.timeout 10000\nBEGIN IMMEDIATE;\nSELECT %s;\n' "'locked'"
	for _ in $(seq 1 100); do
		[ -e "$TMP/lock.release" ] && break
		sleep 0.1
	done
	printf 'ROLLBACK;\n'
) | stdbuf -oL sqlite3 "$FILE" >"$TMP/lock.out" 2>&1 &
lock_pid=$!
for _ in $(seq 1 100); do
	grep -q '^locked$' "$TMP/lock.out" 2>/dev/null && break
	sleep 0.1
done
keys lock Enter
wait_for lock "waiting for the file (someone is saving)..." 3
keys lock j # pressed while the screen waits
person_pause
touch "$TMP/lock.release"
wait "$lock_pid"
wait_for lock "Comment added to FIN-3"
if history FIN-3 | grep -qF "Sent while the file was locked"; then pass; else fail "the comment was not filed"; fi
if history FIN-3 | grep -qF "lockedj"; then fail "a key pressed while waiting leaked into the comment"; else pass; fi
# The j moved nothing: FIN-3 is still the selected row.
if screen lock | grep -qF "3/7"; then pass; else
	fail "a key pressed while waiting moved the selection"
	dump lock
fi

# --- bracketed paste is off again once the program ends -------------------------------------
back_to lock "Dashboard"
keys lock q
status=$(wait_exit lock)
if [ "$status" = 0 ]; then pass; else fail "exit status $status after q, wanted 0"; fi
# A paste into the terminal given back comes without markers (the line
# discipline echoes what it gets).
paste lock "after-exit"
wait_for lock "after-exit"
not_on_screen lock "[200~"

# --- Ctrl-Z: paste mode off while suspended, on again after fg ------------------------------
# An interactive shell with job control; readline's own bracketed paste off,
# so what reaches `cat -v` is what the terminal sends.
printf 'set enable-bracketed-paste off\n' >"$TMP/inputrc"
tm new-session -d -s shell -x 120 -y 30 \
	"env INPUTRC=$TMP/inputrc TERM=tmux-256color PS1='sh> ' bash --noprofile --norc -i"
wait_for shell "sh>"
type_text shell "$(printf '%q -f %q --as rita' "$HANDOVER_BIN" "$FILE")"
keys shell Enter
wait_for shell "Rita Receiver (receiver)"
keys shell C-z
wait_for shell "Stopped"
type_text shell "cat -v"
keys shell Enter
person_pause
paste shell "while-suspended"
keys shell Enter
wait_for shell "while-suspended"
not_on_screen shell "[200~"
keys shell C-d
type_text shell "fg"
keys shell Enter
wait_for shell "Rita Receiver (receiver)"
keys shell /
wait_for shell "Search:"
paste shell "Finance"
wait_for shell "Search: Finance"
keys shell Escape
wait_gone shell "Search:"
person_pause
keys shell q
wait_for shell "sh>"
finish
