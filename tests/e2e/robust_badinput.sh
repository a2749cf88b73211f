#!/usr/bin/env bash
# The bad-input catalogue (tests/README.md) through the command line: for
# each bad input the documented exit status, a one-line message, and the
# file byte for byte as it was where nothing was meant to change. The core
# side is tests/unit/test_robust_badinput.c; locks held too long are
# robust_busy.sh.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# Every refusal below: status, one line, file unchanged.
refused() {
	local want=$1 file=$2
	shift 2
	local sum
	sum=$(checksum "$file")
	expect "$want" -f "$file" "$@"
	err_one_line
	same_sum "$file" "$sum"
	INPUTS=$((INPUTS + 1))
}
INPUTS=0

setup_file good.db
export HANDOVER_FILE=$TMP/good.db
expect 0 --as sam mark FIN-1 handed-over --evidence "Ledger extract"

# B1-B6: not a handover file (more variants in cli_badfiles.sh).
printf 'Region,ICB\nfinance,ledgers\n%.0s' $(seq 1 100) >text.db
: >zero.db
head -c 100 good.db >header-only.db
head -c $(($(stat -c %s good.db) - 4096)) good.db >short.db
sqlite3 contacts.db "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('Ann');"
cp good.db newer.db && sqlite3 newer.db "PRAGMA user_version=77;"
mkdir folder.db
for f in text.db zero.db header-only.db short.db contacts.db newer.db; do
	refused 2 "$f" status
	refused 2 "$f" --as sam mark FIN-1 in-progress
done
expect 2 -f folder.db status
err_one_line
err_has "directory"
expect 2 -f contacts.db status
err_has "another application"
expect 2 -f newer.db status
err_has "newer"

# B7: a folder that does not exist: nothing is created.
expect 2 -f no/such/folder/new.db --as lead init
err_one_line
check "init into a missing folder created nothing" test ! -e no
expect 2 backup no/such/folder/copy.db
err_one_line
check "a backup into a missing folder created nothing" test ! -e no
INPUTS=$((INPUTS + 2))

# B8: a read-only location, as an unprivileged user (root ignores
# permissions). Reading works; changing, creating and backing up there
# are refused with exit 2.
as_other() {
	if [ "$(id -u)" -eq 0 ]; then
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$@"
	else
		"$@"
	fi
}
if [ "$(id -u)" -ne 0 ] || command -v setpriv >/dev/null; then
	for journal in delete wal; do
		mkdir "ro-$journal"
		"$HANDOVER_BIN" -f good.db backup "ro-$journal/file.db" >/dev/null 2>&1
		sqlite3 "ro-$journal/file.db" "PRAGMA journal_mode=$journal;" >/dev/null
		chmod 0444 "ro-$journal/file.db"
		chmod 0555 "ro-$journal"
		chmod 0711 "$TMP"
		sum=$(checksum "ro-$journal/file.db")
		LAST="(as nobody) -f ro-$journal/file.db status"
		as_other "$HANDOVER_BIN" -f "ro-$journal/file.db" --as sam status >"$OUT_FILE" 2>"$ERR_FILE"
		RC=$?
		OUT=$(cat "$OUT_FILE")
		ERR=$(cat "$ERR_FILE")
		CHECKS=$((CHECKS + 1))
		case $ERR in
		*"not a handover file"*) fail "a good file in a read-only folder ($journal) called 'not a handover file'" ;;
		esac
		# In WAL mode SQLite needs to create the -shm file beside the
		# file to read it, which a read-only folder forbids: then a clear
		# "cannot read" (exit 2) is the most that can be done.
		CHECKS=$((CHECKS + 1))
		if [ "$journal" = delete ]; then
			[ "$RC" -eq 0 ] || fail "reading a read-only file ($journal) should work"
		else
			[ "$RC" -eq 0 ] || [ "$RC" -eq 2 ] || fail "reading a read-only file ($journal): exit 0 or 2"
		fi
		LAST="(as nobody) -f ro-$journal/file.db mark FIN-2 in-progress"
		as_other "$HANDOVER_BIN" -f "ro-$journal/file.db" --as sam mark FIN-2 in-progress >"$OUT_FILE" 2>"$ERR_FILE"
		RC=$?
		ERR=$(cat "$ERR_FILE")
		CHECKS=$((CHECKS + 1))
		[ "$RC" -eq 2 ] || fail "a change to a read-only file ($journal) should exit 2"
		err_one_line
		LAST="(as nobody) -f ro-$journal/new.db init"
		as_other "$HANDOVER_BIN" -f "ro-$journal/new.db" --as lead init >"$OUT_FILE" 2>"$ERR_FILE"
		RC=$?
		CHECKS=$((CHECKS + 1))
		[ "$RC" -eq 2 ] || fail "init in a read-only folder should exit 2"
		err_one_line
		check "init in a read-only folder created nothing" test ! -e "ro-$journal/new.db"
		same_sum "ro-$journal/file.db" "$sum"
		chmod 0755 "ro-$journal"
		chmod 0700 "$TMP"
		INPUTS=$((INPUTS + 3))
	done
fi

# B10: huge text. The limits: 8000 bytes of text, 200 of a name.
big=$(head -c 8001 /dev/zero | tr '\0' x)
refused 1 good.db --as sam comment FIN-1 "$big"
err_has "too long"
refused 1 good.db --as sam mark FIN-2 handed-over --evidence "$big"
refused 1 good.db --as lead people add newbie --name "${big:0:201}" --role sender
# (one argument may hold at most 128 KiB on Linux)
huge=$(head -c 120000 /dev/zero | tr '\0' y)
refused 1 good.db --as sam comment FIN-1 "$huge"
expect 0 --as sam comment FIN-1 "${big:0:8000}"

# B11: bytes that are not UTF-8.
refused 1 good.db --as sam comment FIN-1 $'caf\xe9 au lait'
err_has "UTF-8"
refused 1 good.db --as sam mark FIN-2 handed-over --evidence $'over\xc0\xaflong'
refused 1 good.db --as lead people add latin --name $'Ren\xe9' --role sender

# B12, B13: escape sequences, control characters, bidi overrides: kept in
# the file, never sent to the terminal (more in cli_sanitise.sh).
ESC=$'\033'
nasty="${ESC}[2J${ESC}]0;pwned"$'\a'"wipe"$'\r'"over ${ESC}]8;;http://x.example${ESC}\\link${ESC}]8;;${ESC}\\ "$'\u202e'"fdp.exe "$'\u2066'"iso"$'\u2069'" zw"$'\u200b'"sp"
expect 0 --as sam comment FIN-1 "$nasty"
expect 0 --as lead people add mallory --name "Mal ${ESC}[31mRed"$'\u202e' --role sender
for cmd in "history FIN-1" "print --format text" "print --format markdown" status gaps "people list"; do
	# shellcheck disable=SC2086
	expect 0 $cmd
	no_bytes '\033' "an ESC byte ($cmd)"
	no_bytes '\r' "a carriage return ($cmd)"
	no_bytes '\a' "a BEL byte ($cmd)"
	no_bytes '\342\200\256' "U+202E ($cmd)"
	no_bytes '\342\201\246' "U+2066 ($cmd)"
	no_bytes '\342\200\213' "U+200B ($cmd)"
done
INPUTS=$((INPUTS + 2))

# B14: references that do not exist or are not references.
for ref in FIN-99 ZZZ-1 FIN FIN-0 FIN-1x -1 "" "FIN-99999999999999999999"; do
	refused 1 good.db --as sam mark "$ref" in-progress
done
refused 1 good.db --as sam comment FIN-77 "hello"
refused 1 good.db --as sam sign NOPE
refused 1 good.db --as lead pair NOPE --sender sam --receiver rita
refused 1 good.db --as lead pair DIG --sender nobody --receiver rita

# B15: the wrong person.
refused 3 good.db --as rita mark FIN-2 handed-over --evidence "not mine to give"
refused 3 good.db --as sam mark FIN-1 accepted
refused 3 good.db --as lead mark FIN-1 accepted
refused 3 good.db --as nobody comment FIN-1 "a passer-by"
err_has "read-only"
refused 3 good.db --as sam people add x --name X --role lead
refused 3 good.db --as rita sign --handover 1
refused 3 good.db --as lead pair DIG --sender rita --receiver rita

# B16: malformed CSV: refused with the line, nothing imported.
H='function code,function name,item title,guidance,due date'
printf '%s\nFIN,Finance,"never closed,g,\n' "$H" >quote.csv
printf '%s\nFIN,Finance,Title "with" quote,g,\n' "$H" >stray.csv
printf '%s\nFIN,Finance,caf\351,g,\n' "$H" >latin1.csv
printf 'function code,item title,colour\nFIN,x,red\n' >unknown.csv
printf '%s\nFIN,Finance,Title\n' "$H" >cells.csv
printf '%s\nFIN,Finance,Title,g,2026-02-30\n' "$H" >date.csv
printf '%s\nfin!,Finance,Title,g,\n' "$H" >code.csv
printf 'function code;item title\nFIN;x\n' >semicolon.csv
printf 'function code,item title\nFIN,ok\nFIN,nul \000 here\n' >nul.csv
: >empty.csv
for csv in quote stray latin1 unknown cells date code semicolon nul; do
	refused 1 good.db --as lead import "$csv.csv"
	err_has "line"
	err_has "nothing imported"
done
refused 1 good.db --as lead import empty.csv
refused 1 good.db --as lead import missing.csv
refused 3 good.db --as sam import quote.csv

# B17: a file edited by hand with sqlite3 (more in test_robust_tamper.c).
cp good.db edited.db
sqlite3 edited.db "DROP TRIGGER events_no_update; UPDATE events SET new_value = 'accepted' WHERE id = 5;"
refused 2 edited.db verify
err_has "event 5"
refused 2 edited.db check
err_has "events_no_update"
cp good.db deleted.db
sqlite3 deleted.db "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 7;"
refused 2 deleted.db verify
err_has "event 8"
cp good.db swapped.db
sqlite3 swapped.db "DROP TRIGGER events_no_update; UPDATE events SET id = -1 WHERE id = 9; UPDATE events SET id = 9 WHERE id = 10; UPDATE events SET id = 10 WHERE id = -1;"
refused 2 swapped.db verify
err_has "event 9"

# B18: a page overwritten with noise.
cp good.db damaged.db
dd if=/dev/urandom of=damaged.db bs=4096 seek=3 count=1 conv=notrunc status=none
refused 2 damaged.db check

# B43: one handover id on two rows (its table edited so that the id is no
# longer the row's key, then the row copied).
cp good.db twice.db
sqlite3 twice.db "PRAGMA writable_schema=ON; UPDATE sqlite_schema SET sql = replace(sql, 'id           INTEGER PRIMARY KEY', 'id INTEGER') WHERE name = 'handovers';"
sqlite3 twice.db "UPDATE handovers SET id = rowid; INSERT INTO handovers SELECT * FROM handovers;"
refused 2 twice.db print --handover 1
err_has "the file is damaged: handover id 1 is on 2 rows"

# B19: a journal override that does not exist.
sum=$(checksum good.db)
HANDOVER_JOURNAL=truncate expect 1 status
err_one_line
err_has "HANDOVER_JOURNAL"
same_sum good.db "$sum"
INPUTS=$((INPUTS + 1))

# B21: a backup never overwrites.
echo "precious" >precious.txt
psum=$(checksum precious.txt)
refused 3 good.db backup precious.txt
same_sum precious.txt "$psum"

# B22: a state word that does not exist.
refused 1 good.db --as sam mark FIN-1 "done"

# The good file is still good after all that.
expect 0 check
expect 0 verify

echo "robust_badinput: $INPUTS bad inputs tried through the command line"
finish
