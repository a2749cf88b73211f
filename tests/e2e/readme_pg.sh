#!/usr/bin/env bash
# The README's PostgreSQL recipe runs as written: its ```sh block (the one
# under "PostgreSQL: a region or the nation") is taken from README.md, the
# lines that set a server up (apt-get, service or pg_ctlcluster, su postgres) are
# replaced by the same role and database made on the test server, and
# every other line runs unchanged, libpq pointed at the test server by
# PGPORT (the README's URIs name no port). Its two terminal lines run in
# two tmux sessions: each is who the header says, a hand-over in one shows
# in the other without a key pressed, the acceptance comes back, and
# neither may act as anyone else (--as, exit status 3). So the recipe
# cannot drift from the program.
#
# The role and database the README names are cluster-wide, and so are the
# two people's logins it makes: they are dropped at the start and the end,
# and the test runs alone (RUN_SERIAL in tests/CMakeLists.txt).
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/tmux.bash
. "$HERE/tmux.bash"
# shellcheck source=tests/e2e/pg.bash
. "$HERE/pg.bash"
pg_need

# check TEXT COMMAND...: a plain assertion on any shell command.
check() {
	local what=$1
	shift
	if "$@"; then
		pass
	else
		fail "$what"
	fi
}

README=${HO_SRC:-$HERE/../..}/README.md
[ -r "$README" ] || {
	echo "cannot read $README" >&2
	exit 2
}

# The block: the first ```sh after the section's heading.
awk '
	/^### PostgreSQL: a region or the nation/ { insection = 1; next }
	insection && /^```sh$/ { inblock = 1; next }
	inblock && /^```$/ { exit }
	inblock { print }
' "$README" >recipe.sh
if [ ! -s recipe.sh ]; then
	echo "FAIL: README.md has no sh block under \"PostgreSQL: a region or the nation\"" >&2
	exit 1
fi

# The server's own lines, the lines to run, and the two terminals.
grep -E '^[[:space:]]*(apt-get|pg_ctlcluster|service postgresql)' recipe.sh >server.txt
grep -E '^[[:space:]]*su postgres -c' recipe.sh >superuser.txt
grep -E '#[[:space:]]*terminal [0-9]' recipe.sh >terminals.txt
grep -vE '^[[:space:]]*(apt-get|pg_ctlcluster|service postgresql|su postgres -c)|#[[:space:]]*terminal [0-9]' \
	recipe.sh >steps.sh
check "the recipe starts a server" test -s server.txt
check "the recipe makes the role and the database as postgres" test "$(wc -l <superuser.txt)" -eq 2
check "the recipe has two terminals" test "$(wc -l <terminals.txt)" -eq 2

# The role as the README makes it (the statement itself, so its options
# count), and the database from its createdb line.
CREATE_ROLE=$(sed -nE 's/.*psql -c \\"(CREATE ROLE [^\\]*)\\".*/\1/p' superuser.txt)
ROLE=$(printf '%s\n' "$CREATE_ROLE" | awk '{ print $3 }')
read -r OWNER DBNAME < <(sed -nE 's/.*createdb -O ([A-Za-z0-9_]+) ([A-Za-z0-9_]+).*/\1 \2/p' superuser.txt)
check "the recipe's CREATE ROLE is found" test -n "$CREATE_ROLE" -a -n "$ROLE"
check "the recipe's createdb is found" test -n "${OWNER:-}" -a -n "${DBNAME:-}"
check "the database belongs to the role made" test "${OWNER:-}" = "$ROLE"
# (Nothing is dropped or made on a recipe that could not be read.)
[ "$FAILS" -eq 0 ] || finish

# The people whose logins the recipe makes (people map LOGIN --create-login).
LOGINS=$(sed -nE 's/.*people map ([A-Za-z0-9._@-]+) --create-login.*/\1/p' steps.sh)

SUPER="$HO_TEST_PG dbname=postgres"
drop_all() {
	pg_sql "$SUPER" "DROP DATABASE IF EXISTS \"$DBNAME\" WITH (FORCE)" >/dev/null || return 1
	local login
	for login in $LOGINS "$ROLE"; do
		pg_sql "$SUPER" "DROP ROLE IF EXISTS \"$login\"" >/dev/null || return 1
	done
}
# shellcheck disable=SC2317 # (run by the trap)
cleanup_all() {
	tm kill-server >/dev/null 2>&1
	drop_all
	rm -rf "$TMP"
}
trap cleanup_all EXIT
drop_all || {
	echo "FAIL: cannot drop $DBNAME and the roles $ROLE $LOGINS on the test server" >&2
	exit 1
}

if ! pg_sql "$SUPER" "$CREATE_ROLE" >/dev/null ||
	! pg_sql "$SUPER" "CREATE DATABASE \"$DBNAME\" OWNER \"$OWNER\"" >/dev/null; then
	echo "FAIL: the recipe's role and database could not be made: $CREATE_ROLE" >&2
	exit 1
fi

# libpq finds the test server by PGPORT (from $HO_TEST_PG when it is not
# set); nothing else of the superuser's may stand in for the README's URIs.
PORT=${PGPORT:-$(printf '%s\n' "$HO_TEST_PG" | sed -nE 's/(^|.* )port=([0-9]+).*/\2/p')}
PORT=${PORT:-5432}
unset PGUSER PGPASSWORD PGDATABASE PGSERVICE PGPASSFILE
export PGPORT=$PORT PGPASSFILE=/dev/null
mkdir -p bin
ln -s "$HANDOVER_BIN" bin/handover
export PATH=$TMP/bin:$PATH

# Every other line of the block, as written, stopping at the first that fails.
bash -e steps.sh >steps.out 2>steps.err </dev/null
rc=$?
if [ "$rc" -eq 0 ]; then
	pass
else
	fail "the recipe's steps stopped with status $rc"
	cat steps.out steps.err >&2
	finish
fi
check "the copy went into the database" grep -q "^copy: demo.db -> postgresql://$ROLE@" steps.out
# The passwords in the block's URIs never come back on screen.
grep -oE '//[^:/@ ]+:[^@ ]+@' recipe.sh | sed -E 's#^//[^:]+:##; s#@$##' | sort -u >passwords.txt
check "the recipe's URIs carry passwords" test -s passwords.txt
check "no password is printed" test -z "$(grep -hFf passwords.txt steps.out steps.err)"

# The two terminals: each line runs as written in its own session.
term_start() {
	local name=$1 line=$2 script=$TMP/$1.run
	{
		printf '#!/bin/sh\n'
		printf 'export TERM=tmux-256color PATH=%q PGPORT=%q PGPASSFILE=/dev/null\n' "$PATH" "$PGPORT"
		printf '%s\n' "$line"
		printf 'echo $? > %q\n' "$TMP/$name.status"
		printf 'exec sleep 600\n'
	} >"$script"
	chmod +x "$script"
	tm new-session -d -s "$name" -x 120 -y 32 "$script"
}
SENDER_LINE=$(sed -n 1p terminals.txt)
RECEIVER_LINE=$(sed -n 2p terminals.txt)
term_start sender "$SENDER_LINE"
term_start receiver "$RECEIVER_LINE"
wait_for sender "Siobhán O'Brien (sender)"
wait_for receiver "Zoë Lewis (receiver)"

# Both open the dental Contracting checklist; he starts handing CON-6 over.
con6_hand_over_typed

# He hands CON-6 over: her screen shows it without a key pressed.
keys sender Enter
wait_line sender "CON-6 " "handed over"
wait_line receiver "CON-6" "to review"

# She accepts it: his screen shows that without a key pressed.
for i in 1 2 3 4 5; do keys receiver j; done
wait_for receiver "6/7"
keys receiver a
wait_for receiver "CON-6 accepted"
wait_line sender "CON-6" "accepted"
if [ -n "${HO_README_SCREENS:-}" ]; then
	{
		screen sender
		echo
		screen receiver
	} >"$HO_README_SCREENS"
fi

# Each is themselves, and only themselves: the URI of each terminal line,
# with --as naming the other (or the demo's lead), is refused.
uri_of() { printf '%s\n' "$1" | sed -nE 's/.*-f ([^ ]+).*/\1/p'; }
SENDER_URI=$(uri_of "$SENDER_LINE")
RECEIVER_URI=$(uri_of "$RECEIVER_LINE")
as_refused() {
	local uri=$1 other=$2 rc
	"$HANDOVER_BIN" -f "$uri" --as "$other" status >as.out 2>as.err
	rc=$?
	if [ "$rc" -eq 3 ] && grep -qF -- "--as needs a lead's login" as.err &&
		[ "$(wc -l <as.err)" -eq 1 ] && [ ! -s as.out ]; then
		pass
	else
		fail "--as $other from ${uri%%:*}...: status $rc, not refused in one line with 3"
		cat as.out as.err >&2
	fi
}
as_refused "$SENDER_URI" zoe.lewis
as_refused "$SENDER_URI" lena
as_refused "$RECEIVER_URI" siobhan.obrien
as_refused "$RECEIVER_URI" lena

# The command line, as each of them, counts CON-6 handed over and accepted.
for uri in "$SENDER_URI" "$RECEIVER_URI"; do
	if "$HANDOVER_BIN" -f "$uri" status --handover 1 | grep -F "Contracting" |
		grep -qF "4/7 handed over, 3/7 accepted"; then
		pass
	else
		fail "status as ${uri%%:*}... does not count CON-6 handed over and accepted"
	fi
done

for who in sender receiver; do
	back_to "$who" "q quit"
	keys "$who" q
	if [ "$(wait_exit "$who")" = 0 ]; then
		pass
	else
		fail "$who: the application did not end with status 0"
	fi
done
finish
