#!/usr/bin/env bash
# The terminal application as a person meets it: NO_COLOR and colour, a
# comment full of escape sequences shown harmlessly, help, resizing to
# 50x14, too small and back, quitting with status 0, and a terminal given
# back in order after SIGTERM.
# shellcheck source=tests/e2e/tmux.bash
. "$(dirname "$0")/tmux.bash"

FILE=$TMP/screens.db
ho -f "$FILE" init --title "Screens test" --as lead >/dev/null || exit 2
ho -f "$FILE" --as lead people add sam --name "Sam Sender" --role sender >/dev/null || exit 2
ho -f "$FILE" --as lead people add rita --name "Rita Receiver" --role receiver >/dev/null || exit 2
ho -f "$FILE" --as lead pair FIN --sender sam --receiver rita >/dev/null || exit 2
hostile=$'Escapes: \e[31mRED\e[0m \e]0;pwned\a \e[2J bidi:\u202eabc\u202c end'
ho -f "$FILE" --as sam comment FIN-1 "$hostile" >/dev/null || exit 2

colour_codes() {
	# SGR colours: 30-38, 40-48, 90-97, 100-107 (39 and 49 are "default")
	grep -cE $'\e\\[([0-9;]*;)?(3[0-8]|4[0-8]|9[0-7]|10[0-7])(;[0-9;]*)?m' || true
}

# --- NO_COLOR: attributes only --------------------------------------------
tui_start mono 100 30 sam NO_COLOR=1
wait_for mono "Sam Sender (sender)"
dashboard mono
n=$(screen_attrs mono | colour_codes)
if [ "$n" = 0 ]; then pass; else fail "NO_COLOR: $n lines with colour codes"; fi
# The selection still shows, in reverse video.
if screen_attrs mono | grep -qF $'\e[7m'; then pass; else fail "NO_COLOR: no reverse video"; fi

# --- the hostile comment --------------------------------------------------
keys mono /
type_text mono "Finance"
submit mono
keys mono Enter
wait_for mono "FIN Finance"
keys mono Enter
wait_for mono "Item FIN-1"
wait_for mono "Escapes: RED"
wait_for mono "bidi:abc end"
title=$(tm display-message -p -t mono '#{pane_title}')
case $title in
*pwned*) fail "a comment set the terminal's title: $title" ;;
*) pass ;;
esac
# The screen was not cleared by it: the item is still whole.
wait_for mono "Guidance"
if screen mono | grep -qF $'\u202e'; then fail "a bidi override reached the screen"; else pass; fi

# --- help -------------------------------------------------------------------
keys mono '?'
wait_for mono "Keys (the same list is in the manual page"
wait_for mono "mark handed over (sender; asks for an evidence reference)"
keys mono G
wait_for mono "Working together"
keys mono g
wait_for mono "Keys (the same list"

# --- resize: 50x14, too small, and back -----------------------------------
resize mono 50 14
wait_for mono "Help (Esc"
size=$(tm display-message -p -t mono '#{window_width}x#{window_height}')
if [ "$size" = 50x14 ]; then pass; else fail "window is $size, wanted 50x14"; fi
widest=$(screen mono | wc -L)
if [ "$widest" -le 50 ]; then pass; else fail "a line is $widest columns wide at 50x14"; fi
if screen mono | tail -n 1 | grep -qF "? help"; then pass; else
	fail "the hint line is not the last line at 50x14"
	dump mono
fi
not_on_screen mono "Enlarge"
# Back to the checklist at 50x14: rows fit, the title still says who.
back_to mono "filter: all"
wait_for mono "FIN-1"
wait_for mono "Sam Sender (sender)"
resize mono 44 10
wait_for mono "Enlarge the window (need 50x12)"
resize mono 100 30
wait_gone mono "Enlarge"
wait_for mono "FIN Finance"
wait_for mono "Reconcile service-line budgets"

# The mouse: a click selects a row, a double click opens it, the wheel
# scrolls. (Rows: title, heading, column titles, then the items.)
keys mono g
wait_for mono "1/7"
click mono 10 5
wait_for mono "3/7"
double_click mono 10 6
wait_for mono "Item FIN-4"
keys mono Escape
wait_for mono "4/7"
keys mono '?'
wait_for mono "Keys (the same list"
mouse mono 65 10 10
wait_gone mono "Keys (the same list"
mouse mono 64 10 10
wait_for mono "Keys (the same list"
keys mono Escape
wait_for mono "4/7"

# q: back to the dashboard, then quit with status 0.
keys mono Escape
wait_for mono "Dashboard"
keys mono q
status=$(wait_exit mono)
if [ "$status" = 0 ]; then pass; else fail "exit status $status after q, wanted 0"; fi

# --- colour, and SIGTERM ------------------------------------------------------
tui_start colour 90 24 rita
wait_for colour "Rita Receiver (receiver)"
# A receiver's first screen is My work.
wait_for colour "My work"
n=$(screen_attrs colour | colour_codes)
if [ "$n" -gt 0 ]; then pass; else fail "no colour without NO_COLOR"; fi
pane=$(tm display-message -p -t colour '#{pane_pid}')
app=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
if [ -n "$app" ]; then
	kill -TERM "$app"
	status=$(wait_exit colour)
	if [ "$status" = 143 ]; then pass; else fail "exit status $status after SIGTERM, wanted 143"; fi
	# The terminal was given back: the application's screen is gone.
	wait_gone colour "My work"
else
	fail "could not find the application's process"
fi

finish
