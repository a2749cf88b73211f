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
