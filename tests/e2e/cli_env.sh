#!/usr/bin/env bash
# Which file and who: -f over $HANDOVER_FILE over ./handover.db; --as over
# $HANDOVER_USER over the login name.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# ./handover.db when nothing else is said.
expect 0 --as lead init
check "init makes ./handover.db by default" test -s handover.db
expect 0 status
out_has "handover.db"

# $HANDOVER_FILE names the file; -f wins over it.
export HANDOVER_FILE=$TMP/env.db
expect 0 --as lead init --title "From the environment"
check "init makes \$HANDOVER_FILE" test -s env.db
expect 0 status
out_has "From the environment"
expect 0 -f handover.db status
out_lacks "From the environment"
HANDOVER_FILE=$TMP/none.db expect 2 status
err_has "none.db: no such file"
unset HANDOVER_FILE

# $HANDOVER_USER is who you are; --as wins over it.
setup_file team.db
export HANDOVER_FILE=$TMP/team.db
export HANDOVER_USER=sam
expect 0 status
out_has "you: sam (sender)"
expect 0 mark FIN-1 handed-over --evidence "From sam"
expect 3 mark FIN-1 accepted
expect 0 --as rita mark FIN-1 accepted
expect 0 --as rita status
out_has "you: rita (receiver)"
HANDOVER_USER=rita expect 0 comment FIN-1 "rita via the environment"
expect 0 history FIN-1
check "the comment is rita's" grep -Eq "Rita Receiver +comment +FIN-1" "$OUT_FILE"

# An unknown login is a viewer: may look, may not change.
export HANDOVER_USER=visitor
expect 0 status
out_has "viewer"
expect 0 gaps
expect 0 history
expect 3 comment FIN-1 "just looking"
expect 3 mark FIN-2 in-progress
expect 3 people add visitor --name Visitor --role lead
unset HANDOVER_USER

# With neither, the login name decides (and init makes that login the lead).
me=$(id -un)
expect 0 -f mine.db init
expect 0 -f mine.db people list
check "the login name is the first lead" grep -Eq "^$me +.* lead" "$OUT_FILE"

# HANDOVER_NOW fixes the clock: history shows that time.
expect 0 history
out_has "2026-11-22 10:00"
HANDOVER_NOW=nonsense expect 0 status
err_has "HANDOVER_NOW"

finish
