#!/usr/bin/env bash
# handover copy FROM TO and backup on PostgreSQL: the demo file copied into
# a database and back gives the same status, documents and verify hashes;
# the copy in PostgreSQL goes on numbering past the copied ids; a target
# that exists or holds tables, a bad source and a login that does not own
# the database are refused with nothing changed; a copy that fails half-way
# (a constraint, a value handover never writes, kill -9) leaves no target;
# backup of a database writes a SQLite file; no password is ever printed.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"
# shellcheck source=tests/e2e/pg.bash
. "$(dirname "$0")/pg.bash"
pg_need

secret=$(printf '%s' "$HO_TEST_PG" | sed -nE 's/.*password=([^ ]*).*/\1/p')
# no_secret: the last run printed no password of the test server.
no_secret() {
	CHECKS=$((CHECKS + 1))
	if [ -n "$secret" ] && grep -qF -- "$secret" "$OUT_FILE" "$ERR_FILE"; then
		fail "the output shows the database password"
	fi
}
# tables CONNINFO: how many tables the database holds.
tables() {
	pg_sql "$1" "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
}
# The last run's head and state lines of verify.
hashes() {
	grep -E '^(head|state):' "$OUT_FILE"
}

ho -f demo.db --as lead init --demo
[ "$RC" -eq 0 ] || {
	fail "init --demo"
	finish
}
# Rows in every table the demo leaves empty: a risk, a deep dive and its
# action, and what a person has seen.
expect 0 -f demo.db --as lead risks add --handover 1 --title "Contract novation late" \
	--likelihood 3 --impact 4 --owner lead --function FIN
expect 0 -f demo.db --as lead deepdive add --handover 1 --date 2026-11-20 --title "Finance risks" \
	--risks R-1
expect 0 -f demo.db --as lead deepdive action --handover 1 DD-1 "Chase the novation" --owner lead
expect 0 -f demo.db --as lead changes --handover 1
expect 0 -f demo.db verify
hashes >demo.hashes

# ---- file -> PostgreSQL -> file ----------------------------------------------
pgdb=$(pg_newdb copy_main) || {
	fail "no database"
	finish
}
expect 0 copy demo.db "$pgdb"
out_has "copy: demo.db -> postgresql://"
out_has "events; head $(sed -n 's/^head: //p' demo.hashes)"
no_secret
expect 0 -f "$pgdb" verify
hashes >pg.hashes
check "verify on PostgreSQL gives the file's head and state" cmp -s demo.hashes pg.hashes
expect 0 copy "$pgdb" back.db
out_has " -> back.db: "
no_secret
expect 0 -f back.db verify
hashes >back.hashes
check "verify of the copy back gives the same head and state" cmp -s demo.hashes back.hashes
expect 0 -f back.db check

# The same status and documents from all three, but for the line naming
# where they were printed from.
name_of() {
	case $1 in
	host=* | *" dbname="*) printf '%s' "${1##*dbname=}" ;;
	*) printf '%s' "$1" ;;
	esac
}
for where in demo.db "$pgdb" back.db; do
	tag=$(name_of "$where")
	ho -f "$where" --as lead status
	grep -vF -e "$tag" "$OUT_FILE" >"status.$tag"
	for format in text markdown html csv pdf; do
		ho -f "$where" --as lead print --handover 1 --format "$format" -o "doc.$tag.$format"
		[ "$RC" -eq 0 ] || fail "print --format $format from $tag"
	done
	pdftotext "doc.$tag.pdf" "doc.$tag.pdftext" 2>/dev/null || rm -f "doc.$tag.pdftext"
	for format in text markdown html csv pdftext; do
		[ -f "doc.$tag.$format" ] || continue
		grep -vF -e "$tag" -e "Printed from" "doc.$tag.$format" >"cmp.$tag.$format"
	done
	ho -f "$where" --as lead print --all
	grep -vF -e "$tag" -e "Printed from" "$OUT_FILE" >"cmp.$tag.all"
done
pgtag=$(name_of "$pgdb")
check "the demo's status is not empty" test -s status.demo.db
for other in "$pgtag" back.db; do
	check "status from $other is the file's" cmp -s status.demo.db "status.$other"
	for format in text markdown html csv all; do
		check "the $format document from $other is the file's" \
			cmp -s "cmp.demo.db.$format" "cmp.$other.$format"
	done
	if command -v pdftotext >/dev/null; then
		check "the PDF's text from $other is the file's" cmp -s cmp.demo.db.pdftext "cmp.$other.pdftext"
	fi
done

# From one database into another.
pg2=$(pg_newdb copy_second)
expect 0 copy "$pgdb" "$pg2"
no_secret
expect 0 -f "$pg2" verify
hashes >pg2.hashes
check "a database copied into another has its head and state" cmp -s demo.hashes pg2.hashes

# PostgreSQL numbers new rows past the copied ones, and the history goes on.
expect 0 -f "$pgdb" --as lead people add newcomer --name "New Comer" --role sender
expect 0 -f "$pgdb" --as lead items add FIN --handover 1 --title "A new item after the copy"
out_has "FIN-"
expect 0 -f "$pgdb" --as lead risks add --handover 1 --title "Second risk" --likelihood 2 \
	--impact 2 --owner newcomer
out_has "R-2"
expect 0 -f "$pgdb" verify
out_has "history intact"
# And the copy back of the changed database is the changed database.
expect 0 copy "$pgdb" later.db
expect 0 -f later.db people list
out_has "newcomer"
expect 0 -f later.db verify
hashes >later.hashes
ho -f "$pgdb" verify
hashes >pglater.hashes
check "a later copy has the database's later head and state" cmp -s pglater.hashes later.hashes

# A source of an older format (7: before conditions' owners and the
# distribution) is upgraded first, as any command upgrades it, with its
# baseline event; the copy is the upgraded file. One from a newer version
# is refused and makes nothing.
cp demo.db old.db
sqlite3 old.db "ALTER TABLE items DROP COLUMN condition_owner_id;
	ALTER TABLE items DROP COLUMN condition_side; ALTER TABLE items DROP COLUMN condition_due;
	ALTER TABLE handovers DROP COLUMN distribution; PRAGMA user_version=7;"
oldpg=$(pg_newdb copy_old)
expect 0 copy old.db "$oldpg"
check "the older source was upgraded" test "$(sqlite3 old.db 'PRAGMA user_version')" = 8
check "with its baseline event" test "$(sqlite3 old.db 'SELECT action FROM events ORDER BY id DESC LIMIT 1')" = baseline
expect 0 -f old.db verify
hashes >old.hashes
expect 0 -f "$oldpg" verify
hashes >oldpg.hashes
check "the copy of an upgraded file has its head and state" cmp -s old.hashes oldpg.hashes
cp demo.db newer.db
sqlite3 newer.db "PRAGMA user_version=77"
newer=$(pg_newdb copy_newer)
expect 2 copy newer.db "$newer"
err_one_line
err_has "newer"
check "a newer source fills nothing" test "$(tables "$newer")" = 0

# ---- refusals: nothing changed ------------------------------------------------
sum=$(checksum back.db)
expect 3 copy demo.db back.db
err_one_line
err_has "back.db: already exists"
same_sum back.db "$sum"
expect 3 copy demo.db "$pgdb"
err_one_line
err_has "already holds tables"
no_secret
ho -f "$pgdb" verify
hashes >pgagain.hashes
check "a refused copy left the database as it was" cmp -s pglater.hashes pgagain.hashes
other=$(pg_newdb copy_other)
pg_sql "$other" "CREATE TABLE theirs (x int); INSERT INTO theirs VALUES (42)" >/dev/null
expect 3 copy demo.db "$other"
err_has "already holds tables"
check "another application's table is untouched" test "$(pg_sql "$other" 'SELECT x FROM theirs')" = 42
check "and nothing was added beside it" test "$(tables "$other")" = 1
expect 2 copy missing.db new1.db
err_one_line
check "a missing source makes no target" test ! -e new1.db
printf 'not a database\n' >junk.db
expect 2 copy junk.db new2.db
err_one_line
check "a source that is not ours makes no target" test ! -e new2.db
expect 2 copy "$HO_TEST_PG dbname=ho_e2e_no_such_database" new3.db
err_one_line
no_secret
check "an unreachable source makes no target" test ! -e new3.db
expect 1 copy demo.db demo.db
expect 1 copy demo.db
expect 1 -f "$pgdb" backup "$other"
err_has "backup writes a file"

# Into PostgreSQL only the database's owner (or a superuser) copies; any
# login that can read the database may copy out of it.
clerk=$(pg_login ho_copy_clerk clerkpass)
empty=$(pg_newdb copy_owned)
expect 3 copy demo.db "$clerk dbname=${empty##*dbname=}"
err_one_line
err_has "only the database's owner (postgres) may copy a handover into it; you are ho_copy_clerk"
check "the refused login made no tables" test "$(tables "$empty")" = 0
pg_sql "$HO_TEST_PG dbname=postgres" "ALTER DATABASE ${empty##*dbname=} OWNER TO ho_copy_clerk" >/dev/null
pg_sql "$empty" "GRANT CREATE ON SCHEMA public TO ho_copy_clerk" >/dev/null
expect 0 copy demo.db "$clerk dbname=${empty##*dbname=}"
out_has "copy: demo.db -> postgresql://ho_copy_clerk@"
reader=$(pg_login ho_copy_reader readerpass)
pg_sql "$pgdb" "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ho_copy_reader" >/dev/null
expect 0 copy "$reader dbname=${pgdb##*dbname=}" reader.db
out_has "copy: postgresql://ho_copy_reader@"
expect 0 -f reader.db verify
check "a reader's copy is the database" test "$(sed -n 's/^head: //p' "$OUT_FILE")" = \
	"$(sed -n 's/^head: //p' pglater.hashes)"

# ---- a copy that fails half-way leaves no target --------------------------------
# A thread entry whose author is nobody: SQLite (its foreign keys off in the
# sqlite3 shell) keeps it; PostgreSQL refuses it after the people,
# handovers, functions and items went in.
cp demo.db broken.db
sqlite3 broken.db "UPDATE thread SET author_id = 9999 WHERE id = (SELECT max(id) FROM thread)"
target=$(pg_newdb copy_broken)
expect 2 copy broken.db "$target"
err_one_line
err_has "copying thread"
check "the failed copy left the database empty" test "$(tables "$target")" = 0
# A value handover never writes (a fraction) in an item: into a file, the
# temporary file is removed and TO never appears.
cp demo.db odd.db
sqlite3 odd.db "UPDATE items SET position = 1.5 WHERE id = (SELECT max(id) FROM items)"
expect 2 copy odd.db odd-copy.db
err_one_line
err_has "copying items"
check "the failed copy made no file" test ! -e odd-copy.db
check "and left no temporary file" test -z "$(find . -maxdepth 1 -name '.odd-copy.db*')"

# kill -9 while the copy waits on the source's last table (held locked by
# another session): everything before it is already in the target.
pg_sql "$pgdb" "GRANT SELECT ON ALL TABLES IN SCHEMA public TO ho_copy_reader" >/dev/null
PGAPPNAME=ho_copy_holder psql -X -q -d "$pgdb" \
	-c "BEGIN; LOCK TABLE seen IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(60); COMMIT;" \
	>/dev/null 2>&1 &
holder=$!
waiting_copy() {
	local i n
	for i in $(seq 1 100); do
		n=$(pg_sql "$HO_TEST_PG dbname=postgres" "SELECT count(*) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND query LIKE '%FROM seen%'")
		[ "$n" -gt 0 ] && return 0
		sleep 0.1
	done
	return 1
}
for into in pg file; do
	if [ "$into" = pg ]; then
		dest=$(pg_newdb copy_killed)
	else
		dest=killed.db
	fi
	"$HANDOVER_BIN" copy "$pgdb" "$dest" >/dev/null 2>&1 &
	victim=$!
	if waiting_copy; then
		kill -9 "$victim"
		wait "$victim" 2>/dev/null
		# Its reading session still waits on the lock: end it, so the next
		# copy is the one found waiting.
		pg_sql "$HO_TEST_PG dbname=postgres" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE wait_event_type = 'Lock' AND application_name <> 'ho_copy_holder'
			AND datname = '${pgdb##*dbname=}'" >/dev/null
		if [ "$into" = pg ]; then
			for i in $(seq 1 50); do
				[ "$(pg_sql "$HO_TEST_PG dbname=postgres" "SELECT count(*) FROM pg_stat_activity
					WHERE datname = '${dest##*dbname=}'")" = 0 ] && break
				sleep 0.1
			done
			check "a copy killed half-way left the database empty" test "$(tables "$dest")" = 0
		else
			check "a copy killed half-way made no file" test ! -e killed.db
		fi
	else
		kill -9 "$victim" 2>/dev/null
		CHECKS=$((CHECKS + 1))
		fail "the copy into $into never reached the locked table"
	fi
done
pg_sql "$HO_TEST_PG dbname=postgres" \
	"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'ho_copy_holder'" \
	>/dev/null
wait "$holder" 2>/dev/null

# ---- backup of a database is a SQLite file ------------------------------------
expect 0 -f "$pgdb" backup offline.db
out_has "backup: wrote offline.db"
no_secret
expect 0 -f offline.db verify
hashes >offline.hashes
check "the backup has the database's head and state" cmp -s pglater.hashes offline.hashes
check "the backup is a SQLite handover file" test "$(sqlite3 offline.db 'PRAGMA application_id')" = 1213158994
sum=$(checksum offline.db)
expect 3 -f "$pgdb" backup offline.db
err_one_line
same_sum offline.db "$sum"
expect 0 -f "$pgdb" --as lead items add FIN --handover 1 --title "One more after the backup"
expect 0 -f "$pgdb" backup offline.db --force
expect 0 -f offline.db verify
check "backup --force replaced the earlier backup" test "$(checksum offline.db)" != "$sum"

finish
