#!/usr/bin/env bash
# A password in the location (-f or $HANDOVER_FILE, as a conninfo or a
# URI) is never shown: not by init, status, check, verify, print, export,
# backup, copy or config journal, nor in any error (a wrong password, a
# database that does not exist, one that is not a handover's, a refusal, a
# usage error). The database is named as postgresql://USER@HOST:PORT/DB.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/pg.bash
. "$(dirname "$0")/pg.bash"
pg_need

secret="Sekr3t-Pa55word"
login=$(pg_login ho_pw_keeper "$secret")
db=$(pg_newdb pw_main)
dbname=${db##*dbname=}
pg_sql "$HO_TEST_PG dbname=postgres" "ALTER DATABASE $dbname OWNER TO ho_pw_keeper" >/dev/null
pg_sql "$db" "GRANT CREATE ON SCHEMA public TO ho_pw_keeper" >/dev/null
host=$(printf '%s' "$HO_TEST_PG" | sed -nE 's/.*host=([^ ]*).*/\1/p')
port=$(printf '%s' "$HO_TEST_PG" | sed -nE 's/.*port=([^ ]*).*/\1/p')
conninfo="$login dbname=$dbname"
case $host in
/*) uri="postgresql://ho_pw_keeper:$secret@/$dbname?host=$host&port=$port" ;;
*) uri="postgresql://ho_pw_keeper:$secret@$host:$port/$dbname" ;;
esac

# hidden: the last run did not print the password.
hidden() {
	CHECKS=$((CHECKS + 1))
	if grep -qF -- "$secret" "$OUT_FILE" "$ERR_FILE"; then
		fail "the output shows the password"
	fi
}

expect 0 -f "$conninfo" --as lead init --title "Secret-free"
hidden
out_has "init: created postgresql://ho_pw_keeper@"
out_has "/$dbname ("
for where in "$conninfo" "$uri"; do
	export HANDOVER_FILE=$where
	for args in "--as lead people add sam --name Sam --role sender" "status" "check" "verify" \
		"people list" "gaps" "history" "--as lead print" "export" "config journal" \
		"--as lead print --format html" "changes"; do
		# shellcheck disable=SC2086
		ho $args
		[ "$RC" -eq 0 ] || [ "$args" != "${args#--as lead people add}" ] ||
			fail "handover $args on the database"
		hidden
	done
	expect 0 check
	out_has "check: postgresql://ho_pw_keeper@"
	expect 0 config journal
	out_has "config journal: postgresql://ho_pw_keeper@"
	expect 3 --as sam pair FIN --sender sam
	hidden
	expect 1 mark FIN-99 nonsense
	hidden
	expect 1 backup "$where"
	hidden
	rm -f out.db copied.db
	expect 0 backup out.db
	hidden
	expect 0 copy "$where" copied.db
	out_has "copy: postgresql://ho_pw_keeper@"
	hidden
	unset HANDOVER_FILE
done

# Errors: a wrong password, a database that does not exist, a database
# that holds another application's tables, a copy refused.
expect 2 -f "${conninfo/$secret/Wrong-$secret}" status
err_one_line
hidden
expect 2 -f "${uri/$secret/Wrong-$secret}" status
err_one_line
hidden
expect 2 -f "${conninfo/$dbname/ho_e2e_pw_missing}" status
err_one_line
hidden
expect 2 -f "${uri/$dbname/ho_e2e_pw_missing}" status
hidden
other=$(pg_newdb pw_other)
pg_sql "$other" "CREATE TABLE theirs (x int)" >/dev/null
expect 2 -f "${conninfo/$dbname/${other##*dbname=}}" status
err_one_line
err_has "not a handover database"
hidden
expect 3 copy out.db "$conninfo"
err_has "postgresql://ho_pw_keeper@"
hidden
expect 3 copy out.db "$uri"
hidden
expect 3 -f "$uri" --as lead init
hidden

finish
