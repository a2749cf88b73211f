#!/usr/bin/env bash
# Two people on one PostgreSQL database, each in their own terminal and
# connected as their own database login: the sender of Contracting hands
# an item over and the receiver's screen shows it without a key pressed
# (the server's notification wakes it; no polling), she accepts and his
# screen shows that. The time each took to appear is printed.
HERE=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/e2e/tmux.bash
. "$HERE/tmux.bash"
# shellcheck source=tests/e2e/pg.bash
. "$HERE/pg.bash"
pg_need

DB=$(pg_newdb tui_pg_two) || exit 2
DBNAME=${DB##*dbname=}
ho -f "$DB" init --demo --as lead >/dev/null || exit 2

# The demo's people exist; the lead gives each login a person's rights
# (people map: the group role handover_user), as after a copy.
grant_person() {
	ho -f "$DB" --as lead people map "$1" >/dev/null
}

# Siobhán O'Brien sends Contracting of the first handover, Zoë Lewis
# receives it (the demo's people); their logins are their own.
SENDER="$(pg_login siobhan.obrien sender-pass) dbname=$DBNAME" || exit 2
RECEIVER="$(pg_login zoe.lewis receiver-pass) dbname=$DBNAME" || exit 2
grant_person siobhan.obrien || exit 2
grant_person zoe.lewis || exit 2

FILE=$SENDER tui_start sender 120 32 siobhan.obrien
FILE=$RECEIVER tui_start receiver 120 32 zoe.lewis
wait_for sender "Siobhán O'Brien (sender)"
wait_for receiver "Zoë Lewis (receiver)"

# Both open the dental Contracting checklist; he starts handing CON-6 over.
con6_hand_over_typed

# Idle screens ask the server nothing: they wait on its notifications.
# (The server's count of transactions in this database moves only by the
# two reads of it here, where asking four times a second would add 16.)
xacts() {
	pg_sql "$DB" "SELECT pg_stat_force_next_flush(); SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()" | tail -n 1
}
before=$(xacts)
sleep 2
after=$(xacts)
if [ $((after - before)) -gt 4 ]; then
	fail "idle screens made $((after - before)) transactions in 2 s: they poll"
else
	pass
fi

# until_line SESSION A B: like wait_line, timed finely; prints the ms.
until_line() {
	local start=$1 name=$2 a=$3 b=$4 limit=$(($(now_ms) + 10000))
	while [ "$(now_ms)" -lt "$limit" ]; do
		if screen "$name" | grep -F -- "$a" | grep -qF -- "$b"; then
			echo $(($(now_ms) - start))
			return 0
		fi
		sleep 0.01
	done
	dump "$name"
	echo 99999
}

# The sender hands CON-6 over: the receiver's screen shows it, marked as
# changed by someone else, without a key pressed.
keys sender Enter
start=$(now_ms)
seen=$(until_line "$start" receiver "CON-6•" "to review")
echo "the receiver saw the hand-over after $seen ms"
if [ "$seen" -gt 2000 ]; then
	fail "the receiver saw the hand-over only after $seen ms (at most 2000)"
else
	pass
fi
wait_line sender "CON-6 " "handed over"

# She moves onto it and accepts; his screen shows it.
for i in 1 2 3 4 5; do keys receiver j; done
wait_for receiver "6/7"
keys receiver a
start=$(now_ms)
wait_for receiver "CON-6 accepted"
seen=$(until_line "$start" sender "CON-6" "accepted")
echo "the sender saw the acceptance after $seen ms"
if [ "$seen" -gt 2000 ]; then
	fail "the sender saw the acceptance only after $seen ms (at most 2000)"
else
	pass
fi

# The command line agrees (Contracting was 3/7 handed over, 2/7 accepted);
# both leave cleanly.
if ho -f "$DB" --as lead status --handover 1 | grep -F "Contracting" |
	grep -qF "4/7 handed over, 3/7 accepted"; then
	pass
else
	fail "status does not count CON-6 handed over and accepted"
fi
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
