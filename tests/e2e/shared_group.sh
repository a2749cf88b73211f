#!/usr/bin/env bash
# The team folder of the man page (SHARED FILES), with real unprivileged
# users: a setgid folder owned by the team's group, everyone with umask
# 002. The owner creates the file; a viewer (another member) looks at it
# with `status` and must not lock the owner out; an outsider who may only
# read must not either; after a restore from a backup the team can still
# write. Needs root to create the users (CI runs as root); skipped (77)
# otherwise.
# shellcheck source=tests/e2e/lib.sh
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null || ! command -v su >/dev/null; then
	echo "shared_group: needs root with useradd and su; skipped"
	exit 77
fi

tag=$$
GROUP=hoteam$tag
OWNER=hoown$tag
VIEWER=hoview$tag
OUTSIDER=hoout$tag
# shellcheck disable=SC2317 # called by the trap
cleanup_users() {
	for u in "$OWNER" "$VIEWER" "$OUTSIDER"; do
		userdel "$u" 2>/dev/null
	done
	groupdel "$GROUP" 2>/dev/null
	rm -rf "$TMP"
}
trap cleanup_users EXIT
groupadd "$GROUP" || exit 2
useradd -M -N -g "$GROUP" -s /bin/sh "$OWNER" || exit 2
useradd -M -N -g "$GROUP" -s /bin/sh "$VIEWER" || exit 2
useradd -M -N -g users -s /bin/sh "$OUTSIDER" 2>/dev/null ||
	useradd -M -N -s /bin/sh "$OUTSIDER" || exit 2

# The users must reach the binary and the folder: the build may sit under
# a home folder they cannot enter, so they run a copy.
chmod 755 "$TMP"
mkdir "$TMP/bin"
cp "$HANDOVER_BIN" "$TMP/bin/handover" || exit 2
chmod 755 "$TMP/bin" "$TMP/bin/handover"
HANDOVER_BIN=$TMP/bin/handover
TEAM=$TMP/team
mkdir "$TEAM"
chgrp "$GROUP" "$TEAM"
chmod 2775 "$TEAM"

# as USER UMASK ARGS...: run the binary as USER in the team folder; sets
# RC, OUT, ERR like ho().
as() {
	local user=$1 mask=$2
	shift 2
	LAST="(as $user, umask $mask) $*"
	local cmd
	cmd="cd $(printf %q "$TEAM") && umask $mask && exec env HANDOVER_NOW=$HANDOVER_NOW LC_ALL=C.UTF-8"
	cmd="$cmd $(printf '%q ' "$HANDOVER_BIN" -f team.db "$@")"
	su -s /bin/sh "$user" -c "$cmd" >"$OUT_FILE" 2>"$ERR_FILE" </dev/null
	RC=$?
	OUT=$(cat "$OUT_FILE")
	ERR=$(cat "$ERR_FILE")
}

expect_as() {
	local want=$1
	shift
	as "$@"
	CHECKS=$((CHECKS + 1))
	[ "$RC" -eq "$want" ] || fail "expected exit status $want, got $RC"
}

mode_group() {
	stat -c '%a %G' "$1"
}

expect_as 0 "$OWNER" 002 --as lead init --title "Team transfer"
expect_as 0 "$OWNER" 002 --as lead people add sam --name "Sam Sender" --role sender
expect_as 0 "$OWNER" 002 --as lead pair FIN --sender sam
check "the new file is the team's to write ($(mode_group "$TEAM/team.db"))" \
	test "$(mode_group "$TEAM/team.db")" = "664 $GROUP"

# A viewer who is in nobody's people list looks; whatever SQLite leaves
# beside the file stays writable by the team.
expect_as 0 "$VIEWER" 022 status
out_has "Team transfer"
for f in "$TEAM"/team.db-wal "$TEAM"/team.db-shm; do
	[ -e "$f" ] || continue
	check "$f left by the viewer is the team's ($(mode_group "$f"))" \
		test "$(mode_group "$f")" = "664 $GROUP"
done
expect_as 0 "$OWNER" 002 --as sam mark FIN-1 in-progress

# The viewer looks while the owner changes things, and the other way round.
expect_as 0 "$VIEWER" 022 gaps
expect_as 0 "$OWNER" 002 --as sam mark FIN-2 in-progress
expect_as 0 "$VIEWER" 022 --as sam mark FIN-3 in-progress

# Someone outside the group may read (the file is 664) but not write in
# the folder: reading must not leave anything that stops the team.
as "$OUTSIDER" 022 status
CHECKS=$((CHECKS + 1))
case $RC in
0) ;;
2) case $ERR in *"handover: "*) ;; *) fail "the outsider's refusal is not a clear message" ;; esac ;;
*) fail "the outsider got status $RC" ;;
esac
as "$OUTSIDER" 022 --as sam comment FIN-1 "from outside"
CHECKS=$((CHECKS + 1))
[ "$RC" -ne 0 ] || fail "the outsider changed the file"
expect_as 0 "$OWNER" 002 --as sam comment FIN-1 "after the outsider"
expect_as 0 "$VIEWER" 022 --as sam comment FIN-1 "the viewer after the outsider"

# Backup and restore by the owner: the team can still write afterwards.
expect_as 0 "$OWNER" 002 backup nightly.db
check "the backup keeps the file's mode ($(mode_group "$TEAM/nightly.db"))" \
	test "$(mode_group "$TEAM/nightly.db")" = "664 $GROUP"
mkdir "$TEAM/damaged"
chgrp "$GROUP" "$TEAM/damaged"
mv "$TEAM"/team.db* "$TEAM/damaged/"
LAST="restore"
su -s /bin/sh "$OWNER" -c "cd $(printf %q "$TEAM") && umask 002 && $(printf %q "$HANDOVER_BIN") -f nightly.db backup team.db" \
	>"$OUT_FILE" 2>"$ERR_FILE"
RC=$?
check "the owner restored the backup ($(cat "$ERR_FILE"))" test "$RC" -eq 0
check "the restored file is the team's ($(mode_group "$TEAM/team.db"))" \
	test "$(mode_group "$TEAM/team.db")" = "664 $GROUP"
expect_as 0 "$VIEWER" 022 --as sam mark FIN-1 handed-over --evidence "Ledger"
expect_as 0 "$OWNER" 002 verify
finish
