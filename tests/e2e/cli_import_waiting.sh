#!/usr/bin/env bash
# import through the real binary: --dry-run changes nothing, an edited
# export updates only its edits, spreadsheet dates; a refused sign-off
# names what blocks it; status --all shows who is waiting on whom.
. "$(dirname "$0")/lib.sh"

setup_file
export HANDOVER_FILE=handover.db

# An unchanged export imports as nothing at all.
expect 0 export -o tracker.csv
sum=$(checksum handover.db)
expect 0 --as lead import tracker.csv
out_has "import: 0 added, 0 changed, 72 left alone"
same_sum handover.db "$sum"

# An edited sheet: one title, one due date in a spreadsheet's format, one
# new row without a ref.
sed -e 's/^\(1,[^,]*,FIN,Finance,,FIN-1,\)[^,]*,/\1Bank accounts (edited),/' tracker.csv >edited.csv
# The export's 32 columns: the first nine given, the rest (people, states)
# left empty.
printf '1,Dental transfer,FIN,Finance,,,A new item,,15/12/2026%s\r\n' "$(printf ',%.0s' {1..23})" >>edited.csv
expect 0 --as lead import --dry-run edited.csv
out_has "change FIN-1: title"
out_has "add FIN-8 \"A new item\""
out_has "import --dry-run: 1 added, 1 changed, 71 left alone"
out_has "nothing changed"
same_sum handover.db "$sum"
expect 0 --as lead import edited.csv
out_has "import: 1 added, 1 changed, 71 left alone"
expect 0 --as lead import edited.csv
out_has "import: 0 added, 0 changed, 73 left alone"
expect 0 history FIN-8
out_has "A new item"
expect 0 export
out_has "FIN-8,A new item,,2026-12-15"
out_has "FIN-1,Bank accounts (edited)"
expect 3 --as sam import edited.csv
err_one_line

# Not ready: the refusal names the items and whose move each is.
expect 0 --as sam mark FIN-1 handed-over --evidence drive
expect 3 --as sam sign FIN
err_has "FIN-2, FIN-3"
err_has "wait on sam (sender, to hand over); FIN-1 waits on rita (receiver, to review)"
err_one_line
expect 3 --as lead sign --handover 1
err_has "not signed off: GOV unpaired"
err_has "FIN by sam and rita (8 of 8 items not accepted)"

# Who is waiting on whom, across the file.
expect 0 status --all
out_has "Waiting on whom"
out_has "Rita Receiver (rita): 1 item"
out_has "Sam Sender (sam): 7 items"
out_has "Nobody paired (a lead to pair)"
expect 1 status --all --handover 1
err_has "--all looks at every handover"

finish
