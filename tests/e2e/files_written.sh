#!/usr/bin/env bash
# Files written (print -o, export -o, backup): never the open file or its
# -wal/-shm/-journal, never another SQLite file, never through a planted
# symlink, an existing file only with --force, modes from the umask (or the
# source's, for a backup), never a setuid bit, and plain messages.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

umask 022
setup_file live.db
export HANDOVER_FILE=$TMP/live.db

# No file the program writes leaves its temporary file behind.
no_leftovers() {
	local left
	left=$(find "$TMP" -name '.*-[0-9a-f]*' -o -name '*.part-*' | head -n 3)
	check "no temporary file left behind ($left)" test -z "$left"
}

mode_of() {
	stat -c %a "$1"
}

# ---- the open file and its companions ----------------------------------------
expect 0 --as sam mark FIN-1 in-progress
expect 0 verify
head_before=$(printf '%s\n' "$OUT" | sed -n 's/^head: //p')
sum=$(checksum live.db)
for out in live.db ./live.db "$TMP/live.db"; do
	expect 3 export -o "$out"
	err_has "is the open handover file"
	err_one_line
	expect 3 print --format csv -o "$out" --force
	err_has "is the open handover file"
done
ln live.db hardlink.db
expect 3 export -o hardlink.db --force
err_has "is the open handover file"
same_sum live.db "$sum"
# The companions, whether they exist at that moment or not: SQLite would
# take a file of that name for the database's journal.
for suffix in -wal -shm -journal; do
	expect 3 export -o "live.db$suffix"
	err_has "belongs to the open handover file"
	expect 3 print --format text -o "live.db$suffix" --force
	err_has "belongs to the open handover file"
	check "print/export made no live.db$suffix of their own" \
		sh -c "! test -s live.db$suffix || ! grep -q 'Dental transfer' live.db$suffix"
done
# The history is what it was, everyone's next command works and the
# committed change is still there.
expect 0 verify
out_has "head: $head_before"
expect 0 --as sam mark FIN-2 in-progress
expect 0 verify
expect 0 history FIN-1
out_has "in progress"
same_sum live.db "$(checksum live.db)"

# ---- any other SQLite file ----------------------------------------------------
setup_file other.db
other_sum=$(checksum other.db)
expect 3 print --format text -o other.db --force
err_has "it is an SQLite database"
expect 3 export -o other.db --force
err_has "it is an SQLite database"
same_sum other.db "$other_sum"
expect 3 export -o other.db-journal --force
err_has "belongs to the SQLite database other.db"

# ---- a folder, a pipe, a missing folder -------------------------------------------
mkdir sub
expect 1 print -o sub/
err_has "sub/ is a folder: give a file name"
expect 1 export -o sub
err_has "sub is a folder: give a file name"
mkfifo pipe
expect 3 print -o pipe --force
err_has "pipe is not a regular file"
check "the pipe is still a pipe" test -p pipe
expect 2 backup nowhere/deeper/copy.db
err_has "folder nowhere/deeper does not exist"
err_one_line
expect 2 print -o nowhere/doc.txt
err_has "folder nowhere does not exist"

# ---- an existing file: only with --force ----------------------------------------
expect 0 print -o doc.txt
printf 'keep me\n' >keep.csv
expect 3 export -o keep.csv
err_has "keep.csv already exists; not overwritten (--force replaces it)"
check "keep.csv untouched" grep -qx 'keep me' keep.csv
expect 3 print -o doc.txt
err_has "already exists"
expect 0 export -o keep.csv --force
check "keep.csv replaced by the export" grep -q 'Handover ID,' keep.csv
expect 1 export --force
err_has "--force replaces the file of -o"

# A replaced file keeps its mode but never a setuid or setgid bit.
chmod 6755 doc.txt
expect 0 print -o doc.txt --force
check "print --force dropped setuid/setgid (mode $(mode_of doc.txt))" test "$(mode_of doc.txt)" = 755
chmod 4640 keep.csv
expect 0 export -o keep.csv --force
check "export --force dropped setuid (mode $(mode_of keep.csv))" test "$(mode_of keep.csv)" = 640

# ---- backup -------------------------------------------------------------------------
# A symlink planted at the temporary name OUT.part-PID (the name the
# program once used) or anywhere else does not redirect the backup.
setup_file victim.db
victim_sum=$(checksum victim.db)
ho_pid_backup() {
	sh -c 'ln -s "$1" "$2.part-$$"; exec "$3" -f "$4" backup "$2"' sh \
		"$TMP/victim.db" "$1" "$HANDOVER_BIN" "$TMP/live.db" >"$OUT_FILE" 2>"$ERR_FILE"
	RC=$?
	LAST="backup $1 (symlink planted)"
	ERR=$(cat "$ERR_FILE")
}
ho_pid_backup planted.db
check "backup with a planted symlink succeeded (status $RC: $ERR)" test "$RC" -eq 0
same_sum victim.db "$victim_sum"
expect 0 -f planted.db verify
find . -name 'planted.db.part-*' -type l -delete

expect 0 backup nightly.db
expect 3 backup nightly.db
err_has "already exists"
# An earlier backup may be replaced with --force; the open file never.
expect 0 --as sam comment FIN-1 "after the first backup"
expect 0 backup nightly.db --force
expect 0 -f nightly.db history FIN-1
out_has "after the first backup"
expect 3 backup live.db --force
err_has "is the open handover file"
expect 3 backup live.db-wal --force
err_has "belongs to the open handover file"
# A database somebody has open, or left mid-change, is not replaced.
cp other.db busy.db
: >busy.db-wal
expect 3 backup busy.db --force
err_has "is in use or was left mid-change"
rm -f busy.db-wal
printf 'keep me\n' >notes.txt
expect 3 backup notes.txt
err_has "already exists"

# One message, said once; a failed backup leaves nothing behind.
ho_limited_backup() {
	(
		trap '' XFSZ
		ulimit -f 64
		exec "$HANDOVER_BIN" backup "$1"
	) >"$OUT_FILE" 2>"$ERR_FILE"
	RC=$?
	LAST="backup $1 (file size limit)"
	ERR=$(cat "$ERR_FILE")
}
for i in $(seq 1 40); do
	expect 0 --as lead comment FIN-3 "note $i to make the file bigger than the limit $(printf '%0200d' 0)"
done
ho_limited_backup small.db
check "a backup over the file size limit failed (status $RC)" test "$RC" -eq 2
err_one_line
check "backup: said once ($ERR)" sh -c "! grep -q 'backup: backup:' '$ERR_FILE'"
check "no half backup" test ! -e small.db

# ---- modes follow the umask; a backup keeps its source's ------------------------
(
	umask 002
	"$HANDOVER_BIN" -f team.db --as lead init --title Team >/dev/null
	"$HANDOVER_BIN" -f team.db --as lead print -o team.txt >/dev/null
	"$HANDOVER_BIN" -f team.db --as lead export -o team.csv >/dev/null
	"$HANDOVER_BIN" -f team.db --as lead backup team-copy.db >/dev/null
)
check "init under umask 002 made 664 (got $(mode_of team.db))" test "$(mode_of team.db)" = 664
check "print under umask 002 made 664" test "$(mode_of team.txt)" = 664
check "export under umask 002 made 664" test "$(mode_of team.csv)" = 664
check "backup kept 664 (got $(mode_of team-copy.db))" test "$(mode_of team-copy.db)" = 664
chmod 600 other.db
expect 0 -f other.db backup private-copy.db
check "backup of a 600 file is 600 (got $(mode_of private-copy.db))" test "$(mode_of private-copy.db)" = 600
expect 0 -f live.db backup live-copy.db
check "backup of a 644 file under umask 022 is 644" test "$(mode_of live-copy.db)" = 644

# A PDF: groff's scratch files are private, fresh and gone afterwards.
if command -v groff >/dev/null && groff -Tpdf -v >/dev/null 2>&1; then
	mkdir scratch
	TMPDIR=$TMP/scratch expect 0 print -o doc.pdf
	check "a PDF was written" sh -c "head -c 4 doc.pdf | grep -q '%PDF'"
	check "no scratch file left ($(ls -A scratch))" test -z "$(ls -A scratch)"
	expect 3 print -o doc.pdf
	err_has "already exists"
fi

no_leftovers
finish
