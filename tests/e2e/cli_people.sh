#!/usr/bin/env bash
# people edit, people leave [--to], people list --all, and a person with
# several roles, through the real binary.
. "$(dirname "$0")/lib.sh"

setup_file
export HANDOVER_FILE=handover.db

expect 0 --as lead people add sue --name "Sue Sender" --role sender
expect 0 --as lead people add lena --name "Lena Lead" --role lead,sender --org "Region"
out_has "(Lena Lead), lead, sender"
expect 1 --as lead people add bob --name Bob --role lead,boss
err_has "or several, such as lead,sender"

# A lead who is also a sender is paired and marks as the sender.
expect 0 --as lead pair GOV --sender lena
expect 0 --as lena mark GOV-1 handed-over --evidence "minutes"
expect 3 --as lena mark GOV-1 accepted
err_has "receiver"

expect 0 --as lead people edit sam --job-title "Finance manager" --name "Samuel Sender"
expect 0 people list
out_has "Samuel Sender"
out_has "Finance manager"
expect 0 status
out_has "Samuel Sender"
expect 3 --as lead people edit sam --role receiver
err_has "sam is the sender of FIN"
expect 1 --as lead people edit sam
err_has "nothing to change"
expect 3 --as sam people edit sam --name Me
err_one_line

# Leaving: the pairs move to the successor; the leaver acts no more.
expect 0 --as sam mark FIN-1 in-progress
expect 3 --as lead people leave sam --to rita
err_has "rita is a receiver; sam's pair on FIN needs a sender"
expect 0 --as lead people leave sam --to sue
out_has "sam has left; 1 pair moved to sue"
expect 3 --as sam mark FIN-1 handed-over --evidence x
# A leaver's name stays in the history.
expect 0 history FIN-1
out_has "Samuel Sender"
expect 0 people list
out_lacks "sam "
out_has "1 who left not shown"
expect 0 people list --all
out_has "Samuel Sender"
expect 0 status
out_has "Sue Sender"
expect 0 verify

# Without a successor the pair is left for a lead to fill.
expect 0 --as lead people leave rita
out_has "1 pair now unpaired"
expect 0 gaps
out_has "unpaired"
# A lead may leave while another lead stays; the last one may not.
expect 0 --as lead people leave lead
expect 3 --as lead people add x --name X --role sender
expect 3 --as lena people leave lena
err_has "the only lead"

finish
