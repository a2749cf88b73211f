#!/usr/bin/env bash
# Usage errors: one line saying what is wrong, the pointer to --help, exit 1,
# and the file untouched.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

setup_file handover.db
export HANDOVER_FILE=$TMP/handover.db
sum=$(checksum handover.db)

usage_error() {
	expect 1 "$@"
	err_has "handover: "
	CHECKS=$((CHECKS + 1))
	[ "$(grep -vc "^Try 'handover \([a-z ]* \)\?--help'.$" "$ERR_FILE")" -eq 1 ] ||
		fail "a usage error is one line"
	[ -z "$OUT" ] || fail "a usage error prints nothing on stdout"
}

usage_error frobnicate
err_has "unknown command 'frobnicate'"
err_has "Try 'handover --help'."
usage_error --frobnicate
err_has "unknown option"
usage_error status --frobnicate
usage_error status extra-argument
usage_error mark
err_has "missing REF"
err_has "Try 'handover mark --help'."
usage_error mark FIN-3
err_has "mark: FIN-3: missing STATE (in-progress, handed-over, not-applicable, accepted, accepted-with-conditions, gap)"
# A typo gets a suggestion; help and version as words and as -V.
usage_error stauts
err_has "unknown command 'stauts'; did you mean 'status'?"
usage_error peeple list
err_has "did you mean 'people'?"
usage_error xyzzy
err_lacks "did you mean"
usage_error mark FIN-3 gap --nte "Where?"
err_has "unknown option '--nte'; did you mean '--note'?"
usage_error comment FIN-3 Looks fine
err_has "quote the text"
usage_error help stauts
err_has "did you mean 'status'?"
expect 0 help mark
out_has "handover mark REF STATE"
expect 0 mark --help
out_has "handover mark REF STATE"
expect 0 help
out_has "Commands:"
expect 0 version
out_has "handover "
expect 0 -V
out_has "handover "
expect 0 help pair
out_has "[--sender LOGIN] [--receiver LOGIN]"
usage_error mark FIN-3 finished
err_has "'finished' is not a state"
usage_error mark FIN-3 handed-over
err_has "--evidence"
usage_error mark FIN-3 gap
err_has "--note"
usage_error mark FIN-3 not-applicable
usage_error mark FIN-3 accepted-with-conditions
usage_error mark FIN-3 gap --note
err_has "needs a value"
usage_error comment FIN-3
usage_error people
usage_error people sack sam
usage_error people add
usage_error people add sue --name Sue --role emperor
usage_error pair FIN
usage_error sign
usage_error sign FIN --handover one
usage_error backup
usage_error import
usage_error print --format odt
usage_error init --template nosuch
usage_error -f
usage_error --as
usage_error status --as=
usage_error history FIN-3 FIN-4
usage_error gaps --function

# Bad item references: malformed or not there.
expect 1 --as sam mark FIN3 in-progress
err_one_line
expect 1 --as sam mark FIN-999 in-progress
err_one_line
expect 1 --as sam mark NOPE-1 in-progress
expect 1 --as sam comment "" "text"
expect 1 history FIN-999
expect 1 gaps --function NOPE
expect 1 status --handover 99

same_sum handover.db "$sum"

# Options may follow the command and its arguments; --as goes anywhere;
# "--" ends the options.
expect 0 --as sam mark FIN-1 in-progress
expect 0 mark FIN-2 in-progress --as sam
expect 0 mark --as sam FIN-4 in-progress
expect 0 comment FIN-1 --as sam -- "--not-an-option"
expect 0 history FIN-1
out_has "--not-an-option"
expect 0 --as=sam mark FIN-5 in-progress --note=starting

# Help and version.
expect 0 --help
out_has "Usage: handover"
for cmd in init demo "people add" "people edit" "people leave" "people list" pair mark comment sign status gaps history print import export check verify backup; do
	CHECKS=$((CHECKS + 1))
	case $OUT in
	*"handover $cmd"*) ;;
	*) fail "--help should list '$cmd'" ;;
	esac
done
out_has "import CSV [--handover ID] [--dry-run]"
out_has "status [--handover ID] [--all]"
out_has "people list [--all]"
expect 0 -h
out_has "Commands:"
expect 0 mark --help
out_has "handover mark REF STATE"
out_lacks "handover status"
expect 0 --version
out_has "handover "

# No command and no terminal: a clear word, exit 1.
expect 1
err_has "not a terminal"

finish
