#!/usr/bin/env bash
# init, people and pair: setting a handover up from the command line.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# init: the one who runs it becomes the first lead.
expect 0 -f a.db --as lead init --title "Dental transfer"
out_has "a.db"
out_has "lead"
check "init creates the file" test -s a.db
expect 0 -f a.db people list
out_has "lead"
check "the first lead has the lead role" grep -q "^lead .* lead" "$OUT_FILE"

# A second init never overwrites.
sum=$(checksum a.db)
expect 3 -f a.db --as lead init
err_has "a.db"
err_one_line
same_sum a.db "$sum"

# --empty makes a file without a handover; --demo one with content.
expect 0 -f empty.db --as lead init --empty
expect 0 -f empty.db status
out_has "No handovers"
expect 0 -f demo.db --as lead init --demo
expect 0 -f demo.db status
out_has "Handover 1"
out_has "Handover 2"
# demo without a terminal: makes the file and says where it is.
expect 0 -f d.db demo
out_has "demo: not a terminal; the file is ready: d.db"
check "demo makes the file" test -s d.db
sum=$(checksum d.db)
expect 0 -f d.db demo
same_sum d.db "$sum"
expect 0 -f d.db status
out_has "Handover 2"
expect 1 -f x.db init --empty --demo
check "a refused init creates nothing" test ! -e x.db
expect 1 -f x.db init --template nosuch
check "a refused init creates nothing" test ! -e x.db

# people add: leads only; the role must be one of the three.
expect 0 -f a.db --as lead people add sam --name "Sam Sender" --role sender --org "NHS England North West"
out_has "sam"
expect 0 -f a.db --as lead people add rita --name "Rita Receiver" --role receiver
expect 0 -f a.db --as lead people add lena --name "Léna Lead" --role lead
expect 3 -f a.db --as sam people add sue --name "Sue" --role sender
err_one_line
expect 3 -f a.db --as nobody people add sue --name "Sue" --role sender
expect 3 -f a.db --as lead people add sam --name "Sam Again" --role sender
err_one_line
# Logins differing only in case are one login: refused, and --as finds it.
expect 3 -f a.db --as lead people add Sam --name "Someone Else" --role lead
err_one_line
err_has "taken as 'sam'"
expect 3 -f a.db --as LEAD people add SAM --name "Someone Else" --role receiver
expect 3 -f a.db --as SAM people add sue --name "Sue" --role sender
err_has "you are a sender"
expect 1 -f a.db --as lead people add sue --name "Sue" --role boss
expect 1 -f a.db --as lead people add sue --role sender
expect 1 -f a.db --as lead people add sue --name "Sue"
expect 0 -f a.db people list
out_has "Sam Sender"
out_has "Rita Receiver"
out_has "NHS England North West"
out_has "Léna Lead"
out_lacks "Sue"
# Columns line up by display width, the accented name included: every
# row's role starts in the column of the ROLE header.
# shellcheck disable=SC2016 # a perl program, not shell
check "the ROLE column lines up" perl -CSD -ne '
	$col = index($_, "ROLE") if $. == 1;
	$bad = 1 if $. > 1 && substr($_, $col) !~ /^(sender|receiver|lead)\b/;
	END { exit($bad ? 1 : 0) }' "$OUT_FILE"

# pair: leads only, known people, a function that exists.
expect 0 -f a.db --as lead pair FIN --sender sam --receiver rita
out_has "FIN"
expect 3 -f a.db --as sam pair DIG --sender sam --receiver rita
expect 3 -f a.db --as nobody pair DIG --sender sam --receiver rita
expect 1 -f a.db --as lead pair NOPE --sender sam --receiver rita
expect 1 -f a.db --as lead pair FIN --sender ghost --receiver rita
expect 1 -f a.db --as lead pair FIN
expect 0 -f a.db status
check "FIN shows its pair" grep -q "^ *FIN .*Sam Sender .*Rita Receiver" "$OUT_FILE"

finish
