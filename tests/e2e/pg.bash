# shellcheck shell=bash
# PostgreSQL for the end-to-end tests (source after lib.sh or tmux.bash).
# $HO_TEST_PG is a superuser's libpq conninfo without a dbname, on a
# throw-away server (./scripts/test starts one with pg_virtualenv).
#   pg_need               skip (exit 77, with the reason) when there is none
#   pg_newdb NAME         a fresh empty database; prints its conninfo
#   pg_login ROLE PASS    a new login role; prints the conninfo for it (no dbname)
#   pg_sql CONNINFO SQL   run SQL with psql; its status and output
#   con6_hand_over_typed  (with tmux.bash) the demo's two-terminal walk, up to the evidence

pg_need() {
	if [ -z "${HO_TEST_PG:-}" ]; then
		echo "skipped: no PostgreSQL server: set HO_TEST_PG to a superuser's conninfo" \
			"(host=... port=... user=... password=...), or run ./scripts/test, which starts one"
		exit 77
	fi
	if ! command -v psql >/dev/null; then
		echo "skipped: psql is not installed (scripts/deps test installs it)"
		exit 77
	fi
}

pg_sql() {
	psql -X -q -v ON_ERROR_STOP=1 -At -d "$1" -c "$2"
}

pg_newdb() {
	local db
	db=ho_e2e_$(printf '%s' "$1" | tr -c 'a-zA-Z0-9_\n' '_' | tr 'A-Z' 'a-z')
	pg_sql "$HO_TEST_PG dbname=postgres" "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null &&
		pg_sql "$HO_TEST_PG dbname=postgres" "CREATE DATABASE $db" >/dev/null || return 1
	printf '%s dbname=%s\n' "$HO_TEST_PG" "$db"
}

# The server's conninfo with another user and password.
pg_as() {
	printf '%s user=%s password=%s\n' \
		"$(printf '%s' "$HO_TEST_PG" | sed -E 's/(^| )(user|password)=[^ ]*//g')" "$1" "$2"
}

pg_login() {
	pg_sql "$HO_TEST_PG dbname=postgres" "DROP ROLE IF EXISTS \"$1\"; CREATE ROLE \"$1\" LOGIN PASSWORD '$2'" \
		>/dev/null 2>&1 || pg_sql "$HO_TEST_PG dbname=postgres" "ALTER ROLE \"$1\" LOGIN PASSWORD '$2'" >/dev/null ||
		return 1
	pg_as "$1" "$2"
}

# The demo's two-terminal walk (tmux.bash sessions "sender" and "receiver",
# Siobhán O'Brien and Zoë Lewis): both open the dental Contracting checklist
# (his name is on its row only), CON-6 not started on both screens; he
# selects CON-6, asks to hand it over and types the evidence, not yet
# submitted.
con6_hand_over_typed() {
	local who i
	for who in sender receiver; do
		dashboard "$who"
		keys "$who" /
		type_text "$who" "O'Brien"
		submit "$who"
		keys "$who" Enter
		wait_for "$who" "Dental CON Contracting"
		wait_line "$who" "CON-6" "not started"
	done
	for i in 1 2 3 4 5; do keys sender j; done
	wait_for sender "6/7"
	keys sender m
	wait_for sender "Evidence for CON-6"
	type_text sender "Procurement timetable on SharePoint /Dental/Contracting"
}
