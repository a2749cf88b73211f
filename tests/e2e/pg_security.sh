#!/usr/bin/env bash
# Real logins on PostgreSQL: the acting person is the database login, --as
# is a lead's; the real program's walk works for a sender, a receiver and a
# lead each as their own login (no --as); a receiver using psql directly is
# refused BY THE SERVER (the guards and grants of schema/pg/002); a lead
# creates a login that then works; a leaver's login loses its rights; check
# finds a disabled guard and a grant too many.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pg.bash"
pg_need

DB=$(pg_newdb pg_security) || {
	echo "cannot make a database on the test server" >&2
	exit 2
}
DBNAME=${DB##*dbname=}
for who in sec_lead sec_sam sec_rita sec_ola sec_stranger; do
	pg_login "$who" "pw-$who" >/dev/null || {
		echo "cannot make login $who" >&2
		exit 2
	}
done
as() { printf '%s dbname=%s\n' "$(pg_as "$1" "pw-$1")" "$DBNAME"; }
LEAD=$(as sec_lead)
SAM=$(as sec_sam)
RITA=$(as sec_rita)
OLA=$(as sec_ola)
STRANGER=$(as sec_stranger)

# psql_refused WHAT CONNINFO SQL TEXT: psql fails and its error has TEXT.
psql_refused() {
	local what=$1 conn=$2 sql=$3 text=$4 out
	CHECKS=$((CHECKS + 1))
	if out=$(psql -X -q -v ON_ERROR_STOP=1 -At -d "$conn" -c "$sql" 2>&1); then
		FAILS=$((FAILS + 1))
		printf 'FAIL: the server allowed %s: %s\n      %s\n' "$what" "$sql" "$out" >&2
		return
	fi
	case $out in
	*"$text"*) ;;
	*)
		FAILS=$((FAILS + 1))
		printf 'FAIL: %s: psql should say "%s"; said:\n      %s\n' "$what" "$text" "$out" >&2
		;;
	esac
}

# ---- the owner makes the database; the lead sets it up as their login ----
expect 0 -f "$DB" --as sec_lead init --empty --title "Dental transfer"
out_has "you (sec_lead) are its lead"
expect 0 -f "$LEAD" new --title "Dental transfer" --empty
expect 0 -f "$LEAD" people add sec_sam --name "Sam Sender" --role sender
out_has "database login given a person's rights"
expect 0 -f "$LEAD" people add sec_rita --name "Rita Receiver" --role receiver
expect 0 -f "$LEAD" people add sec_ola --name "Ola Receiver" --role receiver
expect 3 -f "$LEAD" people add sec_nobody --name "No Body" --role sender
err_has "there is no database login 'sec_nobody'"
err_one_line
# The owner (an administrator) may name someone who has no login yet.
expect 0 -f "$DB" --as sec_lead people add sec_nologin --name "No Login" --role sender
out_has "no database login of that name yet"
expect 0 -f "$LEAD" functions add FIN --name Finance
expect 0 -f "$LEAD" functions add OPS --name Operations
expect 0 -f "$LEAD" items add FIN --title "Bank accounts"
expect 0 -f "$LEAD" items add FIN --title "Budget lines"
expect 0 -f "$LEAD" items add OPS --title "Rota"
expect 0 -f "$LEAD" pair FIN --sender sec_sam --receiver sec_rita
expect 0 -f "$LEAD" pair OPS --sender sec_sam --receiver sec_ola
# The lead's setup as their own login: every kind of setup write.
expect 0 -f "$LEAD" items add FIN --title "Spare"
expect 0 -f "$LEAD" items move FIN-3 --before FIN-1
expect 0 -f "$LEAD" items edit FIN-3 --title "Spare line" --due 2027-01-31
expect 0 -f "$LEAD" items retire FIN-3 --note "Not needed"
expect 0 -f "$LEAD" functions move OPS --before FIN
expect 0 -f "$LEAD" functions edit OPS --due 2027-02-28
expect 0 -f "$LEAD" set --marking "OFFICIAL-SENSITIVE" --distribution "Board"
expect 0 -f "$LEAD" people edit sec_sam --job-title "Finance manager"
expect 0 -f "$LEAD" people edit sec_ola --role receiver,sender
expect 0 -f "$LEAD" people edit sec_ola --role receiver
expect 0 -f "$LEAD" close --note "Paused"
expect 3 -f "$SAM" mark FIN-1 in-progress
expect 0 -f "$LEAD" reopen

# ---- who acts: the login, not --as, not $USER ----
expect 0 -f "$RITA" status
out_has "Rita Receiver"
USER=sec_lead LOGNAME=sec_lead expect 0 -f "$RITA" status
out_has "Rita Receiver"
expect 3 -f "$RITA" --as sec_lead status
err_has "on PostgreSQL you act as your database login (sec_rita); --as needs a lead's login"
err_one_line
HANDOVER_USER=sec_lead expect 3 -f "$RITA" mark FIN-1 accepted
err_has "--as needs a lead's login"
expect 0 -f "$RITA" --as sec_rita status
expect 0 -f "$LEAD" --as sec_sam status
out_has "Sam Sender"
expect 3 -f "$STRANGER" mark FIN-1 handed-over --evidence x
err_has "the database login 'sec_stranger' has no rights on this handover database"
err_has "handover people add sec_stranger"
err_one_line
# A login granted reading but nobody's: reads, and every change is refused.
pg_login sec_reader pw-sec_reader >/dev/null
pg_sql "$DB" "GRANT handover_user TO sec_reader" >/dev/null
READER=$(as sec_reader)
expect 0 -f "$READER" status
expect 3 -f "$READER" mark FIN-1 handed-over --evidence x
err_has "the database login 'sec_reader' is not one of this database's people"
err_has "handover people add sec_reader"
err_one_line
expect 3 -f "$READER" comment FIN-1 "hello"
err_has "sec_reader"

# ---- the walk, each as their own login ----
expect 0 -f "$SAM" mark FIN-1 handed-over --evidence "Statements filed"
expect 3 -f "$RITA" mark FIN-2 handed-over --evidence "not mine"
err_has "only the function's sender"
expect 0 -f "$RITA" mark FIN-1 accepted
expect 0 -f "$SAM" mark FIN-2 handed-over --evidence "Budget agreed"
expect 0 -f "$RITA" mark FIN-2 gap --note "Which year?"
expect 0 -f "$SAM" comment FIN-2 "2026/27"
expect 0 -f "$SAM" mark FIN-2 handed-over --evidence "Budget 2026/27"
expect 0 -f "$RITA" mark FIN-2 accepted-with-conditions --note "Sign by March" --owner sender-side --due 2027-03-01
expect 0 -f "$RITA" mark FIN-2 accepted
expect 0 -f "$SAM" mark OPS-1 handed-over --evidence "Rota shared"
expect 3 -f "$RITA" mark OPS-1 accepted
expect 0 -f "$OLA" mark OPS-1 accepted
expect 0 -f "$SAM" risks add --title "Late budget" --likelihood 2 --impact 3 --owner sec_sam
expect 0 -f "$SAM" risks edit R-1 --mitigation "Early draft"
expect 0 -f "$SAM" risks close R-1 --note "Agreed"
expect 0 -f "$RITA" deepdive add --date 2026-11-20 --title "Budget review" --risks R-1
expect 0 -f "$RITA" deepdive action DD-1 "Chase the ICB" --owner sec_sam
expect 3 -f "$RITA" deepdive done A-1
expect 0 -f "$SAM" deepdive done A-1
expect 0 -f "$RITA" changes
expect 0 -f "$SAM" changes
expect 0 -f "$LEAD" export -o tracker.csv
sed -e 's/Bank accounts/Bank accounts (edited)/' tracker.csv >edited.csv
expect 0 -f "$LEAD" import edited.csv
# New text after review sends FIN-1 back to its receiver.
expect 0 -f "$RITA" mark FIN-1 accepted
expect 3 -f "$SAM" import edited.csv
for who in "$SAM" "$RITA"; do
	expect 0 -f "$who" sign FIN
done
expect 0 -f "$SAM" sign OPS
expect 0 -f "$OLA" sign OPS
expect 0 -f "$LEAD" sign --handover 1
expect 0 -f "$LEAD" print -o handover.html
check "the document names the receiver" grep -q "Rita Receiver" handover.html
expect 0 -f "$RITA" history FIN-2
out_has "Rita Receiver"

# ---- psql as the receiver: the server refuses ----
# Two more functions, each with an item handed over and waiting: GOV is
# rita's to accept, EST ola's.
expect 0 -f "$LEAD" functions add GOV --name Governance
expect 0 -f "$LEAD" items add GOV --title "Minutes"
expect 0 -f "$LEAD" pair GOV --sender sec_sam --receiver sec_rita
expect 0 -f "$LEAD" functions add EST --name Estates
expect 0 -f "$LEAD" items add EST --title "Leases"
expect 0 -f "$LEAD" pair EST --sender sec_sam --receiver sec_ola
expect 0 -f "$SAM" mark GOV-1 not-applicable --note "No board this year"
expect 0 -f "$SAM" mark EST-1 handed-over --evidence "Leases filed"
HEAD_BEFORE=$(pg_sql "$DB" "SELECT count(*) || ':' || max(hash) FROM events")
GOV="(SELECT i.id FROM items i JOIN functions f ON f.id = i.function_id WHERE f.code = 'GOV')"
EST="(SELECT i.id FROM items i JOIN functions f ON f.id = i.function_id WHERE f.code = 'EST')"
psql_refused "the receiver setting the sender's state" "$RITA" \
	"UPDATE items SET sender_state = 'handed_over' WHERE id = $GOV" "sender's state"
psql_refused "the receiver rewriting the evidence" "$RITA" \
	"UPDATE items SET evidence = 'forged' WHERE id = $GOV" "sender's state"
psql_refused "accepting on another pair's item" "$RITA" \
	"UPDATE items SET receiver_state = 'accepted' WHERE id = $EST" "not paired on"
psql_refused "the receiver editing an item's title" "$RITA" \
	"UPDATE items SET title = 'x' WHERE id = $GOV" "a lead's"
psql_refused "a change in someone else's name" "$RITA" \
	"UPDATE items SET receiver_state = 'accepted', updated_by = (SELECT id FROM people WHERE login = 'sec_lead') WHERE id = $GOV" \
	"someone else's name"
psql_refused "deleting an event" "$RITA" "DELETE FROM events WHERE id = 1" "permission denied"
psql_refused "updating an event" "$RITA" "UPDATE events SET actor = 'sec_sam' WHERE id = 1" \
	"permission denied"
psql_refused "writing history as someone else" "$RITA" \
	"INSERT INTO events(id, at, actor, action, prev_hash, hash) SELECT max(id) + 1, 0, 'sec_sam', 'mark', '', '' FROM events" \
	"someone else's name"
psql_refused "a lead role for oneself" "$RITA" \
	"INSERT INTO person_roles(person_id, role) SELECT id, 'lead' FROM people WHERE login = 'sec_rita'" \
	"a lead's"
psql_refused "changing one's own role" "$RITA" \
	"UPDATE people SET role = 'lead' WHERE login = 'sec_rita'" "a lead's"
psql_refused "adding a person" "$RITA" \
	"INSERT INTO people(login, name, role, created_at) VALUES ('sec_stranger', 'S', 'lead', 0)" "a lead's"
psql_refused "truncating the history" "$RITA" "TRUNCATE events" "permission denied"
psql_refused "truncating the items" "$RITA" "TRUNCATE items CASCADE" "permission denied"
psql_refused "dropping a guard" "$RITA" "DROP TRIGGER items_guard ON items" "must be owner"
psql_refused "disabling a guard" "$RITA" "ALTER TABLE items DISABLE TRIGGER items_guard" \
	"must be owner"
psql_refused "replacing a guard function" "$RITA" \
	"CREATE OR REPLACE FUNCTION handover_guard_items() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'" \
	"permission denied"
psql_refused "creating a login" "$RITA" \
	"SELECT handover_create_login('sec_evil', 'SCRAM-SHA-256\$4096:x')" "not a lead's"
psql_refused "granting the group role" "$RITA" "GRANT handover_user TO sec_stranger" \
	"must have admin option"
psql_refused "mapping a login" "$RITA" "SELECT handover_map_login('sec_stranger')" "not a lead's"
# Even a lead maps only this database's people and revokes only its leavers
# (handover_user is the cluster's, shared by its handover databases).
psql_refused "a lead mapping a login that is nobody's" "$LEAD" \
	"SELECT handover_map_login('sec_stranger')" "not one of this database's people"
psql_refused "a lead revoking a login that has not left" "$LEAD" \
	"SELECT handover_unmap_login('sec_sam')" "not a leaver"
psql_refused "signing for the sender" "$RITA" \
	"UPDATE functions SET sender_signed_at = 1 WHERE code = 'GOV'" "as its sender"
psql_refused "re-pairing a function" "$RITA" \
	"UPDATE functions SET receiver_id = sender_id WHERE code = 'EST'" "not paired on"
psql_refused "a thread entry in the sender's name" "$RITA" \
	"INSERT INTO thread(item_id, kind, author_id, at, body) SELECT $GOV, 'comment', id, 0, 'x' FROM people WHERE login = 'sec_sam'" \
	"someone else's name"
psql_refused "a login that is nobody's changing anything" "$STRANGER" \
	"UPDATE items SET receiver_state = 'accepted' WHERE id = $GOV" "permission denied"
check "the history is as it was" test "$(pg_sql "$DB" "SELECT count(*) || ':' || max(hash) FROM events")" = "$HEAD_BEFORE"
check "the sender's state is as it was" test \
	"$(pg_sql "$DB" "SELECT sender_state || ',' || receiver_state || ',' || evidence FROM items WHERE id = $GOV")" = "not_applicable,pending,"
check "nobody became a lead" test \
	"$(pg_sql "$DB" "SELECT count(*) FROM person_roles r JOIN people p ON p.id = r.person_id WHERE p.login = 'sec_rita' AND r.role = 'lead'")" = 0
psql_refused "the receiver accepting their own item without its history event" "$RITA" \
	"UPDATE items SET receiver_state = 'accepted' WHERE id = $GOV" "without its history event"
psql_refused "a lead's change without its history event" "$LEAD" \
	"UPDATE items SET title = 'Minutes (edited)' WHERE id = $GOV" "without its history event"
# The receiver accepting their own item, through the program: works.
expect 0 -f "$RITA" mark GOV-1 accepted
expect 0 -f "$RITA" verify
out_has "history intact"

# ---- a lead creates a login, which then works ----
printf 'new-secret\n' >pw
expect 3 -f "$RITA" people add sec_newbie --name "New Receiver" --role receiver --create-login --password-file pw
err_one_line
expect 1 -f "$LEAD" people add sec_newbie --name "New Receiver" --role receiver --password-file pw
err_has "--password-file goes with --create-login"
expect 0 -f "$LEAD" people add sec_newbie --name "New Receiver" --role receiver --create-login --password-file pw
out_has "database login created"
NEWBIE="$(pg_as sec_newbie new-secret) dbname=$DBNAME"
expect 0 -f "$NEWBIE" status
out_has "you: sec_newbie (receiver)"
expect 0 -f "$LEAD" pair EST --receiver sec_newbie
expect 0 -f "$NEWBIE" mark EST-1 accepted
expect 2 -f "$LEAD" people add sec_newbie2 --name "Again" --role receiver --create-login --password-file /nonexistent/pw
err_one_line
expect 3 -f "$LEAD" people add sec_stranger --name "Stranger" --role receiver --create-login --password-file pw
err_has "exists already"
err_one_line
expect 3 -f "$LEAD" people add sec_sam --name "Sam Again" --role receiver --create-login --password-file pw
err_has "already taken"
printf 'stdin-secret\n' >pw2
CHECKS=$((CHECKS + 1))
"$HANDOVER_BIN" -f "$LEAD" people add sec_viastdin --name "Via Stdin" --role sender --create-login <pw2 >/dev/null 2>&1 ||
	fail "--create-login reading the password from stdin"
expect 0 -f "$(pg_as sec_viastdin stdin-secret) dbname=$DBNAME" status

# ---- a leaver's login loses its rights ----
expect 0 -f "$LEAD" people leave sec_ola
out_has "handover_user revoked"
expect 3 -f "$OLA" status
err_has "sec_ola"
err_one_line

# ---- people map: a person already in the people gets their login ----
# The owner adds a person whose login does not exist yet (as after a copy).
expect 0 -f "$DB" --as sec_lead people add sec_later --name "Later Lou" --role sender
out_has "no database login of that name yet"
expect 3 -f "$LEAD" people map sec_later
err_has "no database login"
err_one_line
pg_login sec_later pw-sec_later >/dev/null
expect 3 -f "$(as sec_later)" status
expect 3 -f "$RITA" people map sec_later
err_one_line
expect 0 -f "$LEAD" people map sec_later
out_has "given a person's rights"
expect 0 -f "$(as sec_later)" status
out_has "you: sec_later (sender)"
# Or made by the lead, its password from a file.
expect 0 -f "$DB" --as sec_lead people add sec_made --name "Made Mo" --role receiver
printf 'made-secret\n' >pw3
expect 0 -f "$LEAD" people map sec_made --create-login --password-file pw3
out_has "created"
expect 0 -f "$(pg_as sec_made made-secret) dbname=$DBNAME" status
out_has "you: sec_made (receiver)"
# A leaver's login is not given its rights back; nor is anyone not in the people.
expect 3 -f "$LEAD" people map sec_ola
err_has "has left"
expect 3 -f "$OLA" status
expect 1 -f "$LEAD" people map sec_nobody_here
err_one_line
expect 0 -f "$DB" verify
out_has "history intact"

# ---- check: the guards and grants ----
expect 0 -f "$DB" check
expect 0 -f "$LEAD" verify
pg_sql "$DB" "ALTER TABLE items DISABLE TRIGGER items_guard" >/dev/null
expect 2 -f "$DB" check
err_has "items_guard"
pg_sql "$DB" "ALTER TABLE items ENABLE TRIGGER items_guard" >/dev/null
pg_sql "$DB" "GRANT DELETE ON events TO handover_user" >/dev/null
expect 2 -f "$DB" check
err_has "events DELETE"
pg_sql "$DB" "REVOKE DELETE ON events FROM handover_user; GRANT SELECT ON items TO PUBLIC" >/dev/null
expect 2 -f "$DB" check
err_has "PUBLIC"
pg_sql "$DB" "REVOKE SELECT ON items FROM PUBLIC" >/dev/null
expect 0 -f "$DB" check
expect 0 -f "$LEAD" verify

# The owner need not be a superuser: a role with CREATEROLE that owns the
# database makes the tables, and its lead then makes logins through it.
pg_sql "$HO_TEST_PG dbname=postgres" "DROP DATABASE IF EXISTS ho_e2e_pg_security_owned WITH (FORCE)" >/dev/null
pg_login sec_admin pw-sec_admin >/dev/null
pg_sql "$HO_TEST_PG dbname=postgres" "ALTER ROLE sec_admin CREATEROLE" >/dev/null
pg_sql "$HO_TEST_PG dbname=postgres" "CREATE DATABASE ho_e2e_pg_security_owned OWNER sec_admin" >/dev/null
OWNED="$(pg_as sec_admin pw-sec_admin) dbname=ho_e2e_pg_security_owned"
LEAD2="$(pg_as sec_lead pw-sec_lead) dbname=ho_e2e_pg_security_owned"
expect 0 -f "$OWNED" --as sec_lead init --title "Owned"
expect 0 -f "$LEAD2" people add sec_owned_sam --name "Owned Sam" --role sender --create-login --password-file pw
expect 0 -f "$LEAD2" pair FIN --sender sec_owned_sam
expect 0 -f "$(pg_as sec_owned_sam new-secret) dbname=ho_e2e_pg_security_owned" mark FIN-1 handed-over --evidence x
expect 0 -f "$OWNED" check
check "the owned database's tables are sec_admin's" test \
	"$(pg_sql "$HO_TEST_PG dbname=ho_e2e_pg_security_owned" "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relname IN ('items', 'events')")" = sec_admin
pg_sql "$HO_TEST_PG dbname=postgres" "DROP DATABASE IF EXISTS ho_e2e_pg_security_owned WITH (FORCE)" >/dev/null

# A handover file has no database logins: --create-login is a usage error
# there, and --as works as it always has.
setup_file handover.db
expect 1 -f handover.db --as lead people add zoe --name Zoe --role sender --create-login
err_has "only a PostgreSQL database does"
expect 1 -f handover.db --as lead people map rita
err_has "only a PostgreSQL database does"
expect 0 -f handover.db --as rita status
out_has "you: rita (receiver)"

pg_sql "$HO_TEST_PG dbname=postgres" "DROP DATABASE IF EXISTS $DBNAME WITH (FORCE)" >/dev/null
finish
