#!/usr/bin/env bash
# Files that are not ours, damaged or missing: a one-line message, exit 2,
# and the file byte for byte as it was (nothing written, nothing created).
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

# "HOVR", the application id that marks a handover file.
APP_ID=1213158994

setup_file good.db

# Not SQLite at all.
for _ in $(seq 1 50); do echo "Region, ICB, finance, ledgers"; done >notsqlite.db
# Zero bytes.
: >empty.db
# Truncated: the first page of a real file only.
head -c 1024 good.db >truncated.db
# Cut in the middle: a real file missing its second half.
size=$(stat -c %s good.db)
head -c $((size / 2)) good.db >half.db
# Another application's SQLite file.
sqlite3 other.db "CREATE TABLE contacts(name TEXT, phone TEXT); INSERT INTO contacts VALUES ('A', '1');"
# Ours, but from a newer version.
sqlite3 newer.db "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT); PRAGMA application_id=$APP_ID; PRAGMA user_version=999;"
# A folder.
mkdir folder.db

bad_file() {
	local file=$1
	shift
	local before
	before=$(ls -a)
	if [ -f "$file" ]; then
		local sum
		sum=$(checksum "$file")
	fi
	expect 2 -f "$file" "$@"
	err_one_line
	err_has "$file"
	[ -f "$file" ] && same_sum "$file" "$sum"
	CHECKS=$((CHECKS + 1))
	# shellcheck disable=SC2012 # plain names, made by this test
	[ "$(ls -a)" = "$before" ] || fail "opening $file left files behind: $(ls -a | tr '\n' ' ')"
}

for file in notsqlite.db empty.db truncated.db half.db other.db newer.db folder.db; do
	bad_file "$file" status
	bad_file "$file" --as lead mark FIN-1 in-progress
	bad_file "$file" --as lead people add x --name X --role sender
	bad_file "$file" check
	bad_file "$file" verify
	bad_file "$file" history
	bad_file "$file" export
done
bad_file newer.db gaps
bad_file other.db print
bad_file other.db backup copy.db
check "no backup made of another application's file" test ! -e copy.db

expect 2 -f other.db status
err_has "not a handover file"
expect 2 -f newer.db status
err_has "newer"
expect 2 -f empty.db status
expect 2 -f folder.db status
err_has "directory"

# A missing file: the message says how to make one, and nothing is created.
for args in status "mark FIN-1 in-progress" check verify history gaps print export "backup out.db"; do
	# shellcheck disable=SC2086
	expect 2 -f missing.db $args
	err_has "missing.db: no such file (create one with 'handover init' or try 'handover demo')"
	err_one_line
	check "nothing created by '$args'" test ! -e missing.db
done
expect 2 -f nowhere/missing.db status
# init refuses a folder that does not exist; demo and init refuse to
# overwrite anything that is there.
expect 2 -f nowhere/new.db --as lead init
check "no folder made" test ! -e nowhere
for file in notsqlite.db other.db; do
	sum=$(checksum "$file")
	expect 3 -f "$file" --as lead init
	same_sum "$file" "$sum"
	expect 2 -f "$file" demo
	same_sum "$file" "$sum"
done

# The good file is still good after all that.
expect 0 -f good.db check
expect 0 -f good.db verify

finish
