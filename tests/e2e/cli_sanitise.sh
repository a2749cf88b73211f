#!/usr/bin/env bash
# User text from a shared file is untrusted: escape sequences, OSC titles,
# carriage returns and bidi overrides never reach the terminal.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db

ESC=$'\033'
nasty="red ${ESC}[31mALERT${ESC}[0m osc ${ESC}]0;owned title"$'\a'" cr"$'\r'"overwritten bidi "$'\u202e'"txe.exe"

expect 0 --as sam comment FIN-3 "$nasty"
expect 0 --as sam mark FIN-3 handed-over --evidence "$nasty"
expect 0 --as rita mark FIN-3 gap --note "$nasty"
expect 0 --as lead people add "eve" --name "Eve ${ESC}[2J$(printf '\u202e')Mallory" --role sender --org "Org"$'\r'"X"

clean_output() {
	no_bytes '\033' "an ESC byte"
	no_bytes '\r' "a carriage return"
	no_bytes '\a' "a BEL byte"
	no_bytes '\342\200\256' "U+202E (right-to-left override)"
}

for cmd in status gaps history "history FIN-3" "people list"; do
	# shellcheck disable=SC2086
	expect 0 $cmd
	clean_output
done
expect 0 gaps
out_has "ALERT"
out_has "overwritten"
expect 0 history FIN-3
out_has "ALERT"
expect 0 people list
out_has "Mallory"

# Errors quote what the user typed: sanitised too.
expect 1 --as sam mark "FIN-${ESC}[31m3"$'\r' in-progress
clean_output
expect 1 "sta${ESC}]0;x"$'\a'"tus"
clean_output
expect 1 -f "$TMP/x.db" --as sam mark FIN-3 "gap${ESC}[2J"
clean_output

# Hangul fillers and tag characters are invisible: never shown.
expect 0 --as lead people add ghost --name "Gh"$'\u3164'"ost"$'\U000E0041'"Name" --role sender
expect 0 people list
out_has "GhostName"
no_bytes '\343\205\244' "U+3164 (Hangul filler)"
no_bytes '\363\240\201\201' "U+E0041 (a tag character)"

# In a locale that is not UTF-8 the terminal takes each byte as a character
# (0x9B is CSI): nothing beyond ASCII reaches it, on stdout or stderr.
expect 0 --as lead people add zoe --name "Zoë "$'\u00db'" "$'\u201b'" 中文" --role receiver
for cmd in "people list" status history; do
	# shellcheck disable=SC2086
	LC_ALL=C expect 0 $cmd
	check "LC_ALL=C $cmd: only ASCII" perl -ne 'exit 1 if /[\x80-\xff]/' "$OUT_FILE" "$ERR_FILE"
done
LC_ALL=C expect 0 people list
out_has "Zo? ? ? ??"
LC_ALL=C expect 1 --as zoe mark "FIN-é" accepted
check "LC_ALL=C errors: only ASCII" perl -ne 'exit 1 if /[\x80-\xff]/' "$ERR_FILE"
expect 0 people list
out_has "Zoë"
# A document or export on such a terminal (script(1) gives it one): the
# same; into a file or a pipe it stays UTF-8.
expect 0 --as sam comment FIN-3 "Café Zoë"
expect 0 --as sam mark FIN-1 handed-over --evidence "Café Zoë"
LC_ALL=C script -qec "'$HANDOVER_BIN' print" /dev/null >tty-print.txt </dev/null
check "print on a C-locale terminal: only ASCII" perl -ne 'exit 1 if /[\x80-\xff]/' tty-print.txt
check "print on a C-locale terminal: accents as ?" grep -q "Caf? Zo?" tty-print.txt
LC_ALL=C script -qec "'$HANDOVER_BIN' export" /dev/null >tty-export.txt </dev/null
check "export on a C-locale terminal: only ASCII" perl -ne 'exit 1 if /[\x80-\xff]/' tty-export.txt
check "export on a C-locale terminal: accents as ?" grep -q "Caf? Zo?" tty-export.txt
LC_ALL=C expect 0 print
out_has "Café Zoë"

# Display width: wide characters count as two columns, so the columns after
# them still line up.
expect 0 --as lead people add wang --name "王小明" --role receiver
expect 0 people list
# shellcheck disable=SC2016 # a perl program, not shell
check "columns line up after wide characters" perl -CSD -Mutf8 -ne '
	sub w { my $s = shift; my $n = 0; $n += (/\p{East_Asian_Width=Wide}/ ? 2 : 1) for split //, $s; $n }
	if ($. == 1) { $col = index($_, "JOB TITLE"); next }
	# LOGIN and NAME: words with single spaces, columns two or more apart.
	/^(\S+(?: \S+)*\s{2,}\S+(?: \S+)*\s{2,})/ or next;
	$bad = 1 if w($1) != $col;
	END { exit($bad ? 1 : 0) }' "$OUT_FILE"

finish
