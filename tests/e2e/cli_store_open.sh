#!/usr/bin/env bash
# Opening the shared file, nothing by accident: the journal is the file's
# (chosen at init, followed by everyone, changed by a lead with
# 'config journal'); of six inits at once one wins; a full disk is named;
# HANDOVER_BUSY_MS must be a number; import refuses what is not a file at
# once and names UTF-16; history's clock never runs backwards.
#
# The full-disk checks need root (a small tmpfs in a private mount
# namespace); without it they are reported as skipped.
# shellcheck source=tests/e2e/lib.sh

# Root re-runs itself in a private mount namespace, so the small
# filesystems it mounts vanish with it whatever happens.
if [ "$(id -u)" = 0 ] && [ -z "${HO_IN_NAMESPACE:-}" ] &&
	unshare -m --propagation private true 2>/dev/null; then
	HO_IN_NAMESPACE=1 exec unshare -m --propagation private bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"

journal_byte() { # the header's read version: 2 WAL, 1 rollback journal
	od -An -tu1 -j18 -N1 "$1" | tr -d ' '
}

# ---- HANDOVER_BUSY_MS ---------------------------------------------------------
setup_file handover.db
sum=$(checksum handover.db)
for bad in abc -1 0 12x 1e3 99999999999; do
	HANDOVER_BUSY_MS=$bad expect 1 status
	err_has "HANDOVER_BUSY_MS must be a whole number of milliseconds from 1 to 3600000, not '$bad'"
	err_one_line
	HANDOVER_BUSY_MS=$bad expect 1 --as sam mark FIN-1 in-progress
done
HANDOVER_BUSY_MS=abc expect 1 -f fresh.db --as lead init
check "init with a bad HANDOVER_BUSY_MS made nothing" test ! -e fresh.db
same_sum handover.db "$sum"
HANDOVER_BUSY_MS=1500 expect 0 status

# ---- one journal per file ---------------------------------------------------------
# Chosen at init: the setting, else the filesystem (a local disk here: WAL).
expect 0 -f local.db --as lead init
out_has "journal wal"
check "a file on a local disk is made in WAL" test "$(journal_byte local.db)" = 2
HANDOVER_JOURNAL=delete expect 0 -f net.db --as lead init --empty
out_has "journal delete"
check "HANDOVER_JOURNAL=delete at init makes a rollback-journal file" test "$(journal_byte net.db)" = 1
expect 0 -f net.db --as lead people add sam --name "Sam Sender" --role sender
expect 0 -f net.db status
out_has "(journal delete"
check "a change by a client with no setting keeps the file's journal" test "$(journal_byte net.db)" = 1

# A client set otherwise follows the file, and is told.
HANDOVER_JOURNAL=wal expect 0 -f net.db --as lead people add rita --name "Rita Receiver" --role receiver
err_has "warning: HANDOVER_JOURNAL=wal is used only by 'init'; this file keeps its journal (delete)"
check "a client set to wal does not flip the file" test "$(journal_byte net.db)" = 1
HANDOVER_JOURNAL=delete expect 0 -f local.db status
err_has "HANDOVER_JOURNAL=delete is used only by 'init'"
out_has "(journal wal"
check "a client set to delete does not flip the file" test "$(journal_byte local.db)" = 2
HANDOVER_JOURNAL=truncate expect 1 -f net.db status
err_has "HANDOVER_JOURNAL must be 'wal' or 'delete', not 'truncate'"

# check shows the real mode.
expect 0 -f net.db check
out_has "ok (journal delete)"
expect 0 -f local.db check
out_has "ok (journal wal)"

# A lead changes it; others may not; only the two words.
expect 0 -f net.db config journal
out_has "net.db: delete"
expect 3 -f net.db --as sam config journal wal
err_has "lead"
check "a sender's config journal changed nothing" test "$(journal_byte net.db)" = 1
expect 1 -f net.db --as lead config journal truncate
err_has "the journal is 'wal' or 'delete', not 'truncate'"
expect 1 -f net.db --as lead config journal wal delete
expect 0 -f net.db --as lead config journal wal
out_has "net.db: wal (was delete)"
check "config journal wal switched the file" test "$(journal_byte net.db)" = 2
expect 0 -f net.db check
out_has "ok (journal wal)"
expect 0 -f net.db --as sam status
out_has "(journal wal"
expect 0 -f net.db --as lead config journal delete
out_has "net.db: delete (was wal)"
check "config journal delete switched the file back" test "$(journal_byte net.db)" = 1
expect 0 -f net.db verify

# ---- init is exclusive --------------------------------------------------------------
for round in 1 2 3; do
	for i in 1 2 3 4 5 6; do
		("$HANDOVER_BIN" -f "race$round.db" --as "lead$i" init >"race$round.$i.out" 2>"race$round.$i.err"
			echo $? >"race$round.$i.rc") &
	done
	wait
	won=0 refused=0
	for i in 1 2 3 4 5 6; do
		case $(cat "race$round.$i.rc") in
		0) won=$((won + 1)) ;;
		3)
			refused=$((refused + 1))
			# It found the file made, or (on a machine too loaded for the
			# winner to finish within the busy timeout) still being made.
			check "a losing init says the file exists or is being made" \
				grep -Eq "already exists; not overwritten|locked by someone else" "race$round.$i.err"
			;;
		esac
	done
	check "round $round: exactly one of six inits won ($won)" test "$won" -eq 1
	check "round $round: the other five were refused with exit 3 ($refused)" test "$refused" -eq 5
	expect 0 -f "race$round.db" people list
	check "round $round: one lead in the file" test "$(grep -c ' lead' "$OUT_FILE")" -eq 1
	expect 0 -f "race$round.db" status
	check "round $round: one handover in the file" test "$(grep -c "^Handover " "$OUT_FILE")" -eq 1
	expect 0 -f "race$round.db" check
done

# ---- import: what is not a file, and UTF-16 ---------------------------------------------
mkfifo pipe.csv
LAST="--as lead import pipe.csv (with a 10 s limit)"
timeout 10 "$HANDOVER_BIN" --as lead import pipe.csv >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
RC=$?
ERR=$(cat "$ERR_FILE")
check "importing a FIFO ends at once with exit 1 (got $RC)" test "$RC" -eq 1
err_has "pipe.csv is a pipe (FIFO), not a CSV file; nothing imported"
expect 1 --as lead import /dev/null
err_has "is a device, not a CSV file"
mkdir folder.csv
expect 1 --as lead import folder.csv
err_has "folder.csv is a folder, not a CSV file"
printf 'function code,item title\nFIN,Ledger\n' | iconv -f UTF-8 -t UTF-16 >u16.csv
expect 1 --as lead import u16.csv
err_has "u16.csv is UTF-16 text; save it as UTF-8"
err_one_line
printf 'function code,item title\nFIN,Ledger\n' | iconv -f UTF-8 -t UTF-16LE >u16le.csv
expect 1 --as lead import u16le.csv
err_has "save it as UTF-8"
same_sum handover.db "$sum"

# ---- the clock never runs backwards ----------------------------------------------------
HANDOVER_NOW=2026-11-22T12:00Z expect 0 --as sam mark FIN-1 handed-over --evidence "Ledger"
HANDOVER_NOW=2026-11-22T09:00Z expect 0 --as rita mark FIN-1 accepted
expect 0 history FIN-1
check "the later change is dated no earlier than the one before it" \
	grep -Eq "2026-11-22 12:00 +Rita Receiver" "$OUT_FILE"
out_lacks "2026-11-22 09:00"

# ---- a full disk --------------------------------------------------------------------------
if [ -n "${HO_IN_NAMESPACE:-}" ] && mkdir full && mount -t tmpfs -o size=2m tmpfs full; then
	for journal in wal delete; do
		f=full/$journal.db
		HANDOVER_JOURNAL=$journal expect 0 -f "$f" --as lead init
		expect 0 -f "$f" --as lead people add sam --name "Sam Sender" --role sender
		expect 0 -f "$f" --as lead pair FIN --sender sam
	done
	dd if=/dev/zero of=full/filler bs=16k >/dev/null 2>&1
	for journal in wal delete; do
		f=full/$journal.db
		fsum=$(checksum "$f")
		expect 2 -f "$f" --as sam mark FIN-1 in-progress
		err_has "the disk is full ($f)"
		err_one_line
		same_sum "$f" "$fsum"
		if [ "$journal" = wal ]; then
			# WAL needs room for its shared-memory index even to read.
			expect 2 -f "$f" check
			err_has "the disk is full ($f)"
		else
			expect 0 -f "$f" check
		fi
		same_sum "$f" "$fsum"
	done
	# A new file that cannot be filled is named and taken away again.
	expect 2 -f full/new.db --as lead init
	err_has "the disk is full (full/new.db)"
	check "an init on a full disk leaves no file behind" test ! -e full/new.db
	rm full/filler
	for journal in wal delete; do
		f=full/$journal.db
		expect 0 -f "$f" check
		expect 0 -f "$f" verify
		expect 0 -f "$f" --as sam mark FIN-1 in-progress
	done
	umount full
else
	echo "cli_store_open: SKIPPED the full-disk checks (they need root to mount a small tmpfs)"
fi

finish
