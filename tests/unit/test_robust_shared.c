/* The shared file under several people at once: no lost update (stale
 * views are refused, naming who changed the item, and nothing of the
 * refused change lands), a file locked longer than the busy timeout gives
 * a clear "busy" refusal instead of a hang, a second person can open a
 * file while its creator still has it open, a crash leaves a file that
 * opens, and online backups taken while someone writes are whole and can
 * be restored. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "fixture.h"

/* Build the fixture and reopen it: closing checkpoints the WAL, so these
 * tests of concurrent use do not depend on a second open while the
 * creator is still in the file (test_second_open_while_creator_still_open
 * covers that on its own). */
static void build(struct fixture *fx, const char *name)
{
	fx_build(fx, name);
	ho_close(fx->db);
	fx->db = tu_open_as(fx->path, "lead");
}

/* Each test starts with the journal chosen by the file system. */
static int reset_env(void **state)
{
	unsetenv("HANDOVER_JOURNAL");
	return 0;
}

static int64_t event_count(ho_db *db)
{
	char head[65];
	int64_t n = -1;
	assert_int_equal(ho_history_head(db, head, &n), HO_OK);
	return n;
}

static size_t thread_len(ho_db *db, int64_t item)
{
	ho_thread_entry *t = NULL;
	size_t n = 0;
	assert_int_equal(ho_thread_list(db, item, &t, &n), HO_OK);
	ho_thread_free(t, n);
	return n;
}

/* The refusal a person sees: one line, who changed it, what it is now,
 * the "refused" exit status. */
static void assert_conflict_message(ho_db *db, const char *who, const char *now_state)
{
	const char *m = ho_errmsg(db);
	if (!strstr(m, who) || !strstr(m, now_state))
		fail_msg("conflict message '%s' should name '%s' and '%s'", m, who, now_state);
	assert_null(strchr(m, '\n'));
	assert_int_equal(ho_exit_code(HO_ECONFLICT), 3);
}

/* One sender in two terminals: both saw version v; the first hand-over
 * wins; the second (not applicable) is refused and leaves no trace. */
static void test_stale_view_same_person(void **state)
{
	struct fixture fx;
	build(&fx, "stale1.db");
	ho_db *a = tu_open_as(fx.path, "sam");
	ho_db *b = tu_open_as(fx.path, "sam");
	ho_db *watcher = tu_open_as(fx.path, "lead");
	int64_t id = fx_item(&fx, "FIN-1");
	ho_item seen;
	assert_int_equal(ho_item_get(b, id, &seen), HO_OK);
	int64_t events = event_count(watcher);
	assert_int_equal(ho_changed(watcher), 0);

	assert_int_equal(
	    ho_item_mark(a, id, seen.version, HO_ACT_HANDED_OVER, "Ledger extract v3", NULL),
	    HO_OK);
	assert_int_equal(ho_changed(watcher), 1);
	assert_int_equal(
	    ho_item_mark(b, id, seen.version, HO_ACT_NOT_APPLICABLE, "Not delegated", "my note"),
	    HO_ECONFLICT);
	assert_conflict_message(b, "Sam Sender", "handed over");

	/* Nothing of the refused change: state, text, thread, history, and
	 * no commit anyone could see. */
	assert_int_equal(ho_changed(watcher), 0);
	ho_item now;
	assert_int_equal(ho_item_get(watcher, id, &now), HO_OK);
	assert_int_equal(now.sender_state, HO_SENDER_HANDED_OVER);
	assert_string_equal(now.evidence, "Ledger extract v3");
	assert_string_equal(now.na_reason, "");
	assert_int_equal(now.version, seen.version + 1);
	assert_int_equal(thread_len(watcher, id), 1);
	assert_int_equal(event_count(watcher), events + 1);

	/* With the new view, the same person can act on what is there now. */
	assert_int_equal(
	    ho_item_mark(b, id, now.version, HO_ACT_NOT_APPLICABLE, "Not delegated", NULL), HO_OK);
	ho_item_clear(&seen);
	ho_item_clear(&now);
	ho_close(a);
	ho_close(b);
	ho_close(watcher);
	fx_free(&fx);
}

/* The receiver in two windows: accept in one, a gap from the stale other. */
static void test_stale_view_receiver(void **state)
{
	struct fixture fx;
	build(&fx, "stale2.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-2", HO_ACT_HANDED_OVER, "Accruals list", HO_OK);
	ho_db *a = tu_open_as(fx.path, "rita");
	ho_db *b = tu_open_as(fx.path, "rita");
	int64_t id = fx_item(&fx, "FIN-2");
	ho_item seen;
	assert_int_equal(ho_item_get(b, id, &seen), HO_OK);
	assert_int_equal(ho_item_mark(a, id, seen.version, HO_ACT_ACCEPTED, NULL, NULL), HO_OK);
	assert_int_equal(ho_item_mark(b, id, seen.version, HO_ACT_GAP, "Where is March?", NULL),
	                 HO_ECONFLICT);
	assert_conflict_message(b, "Rita Receiver", "accepted");
	ho_item now;
	assert_int_equal(ho_item_get(b, id, &now), HO_OK);
	assert_int_equal(now.receiver_state, HO_RECEIVER_ACCEPTED);
	assert_int_equal(now.open_queries, 0); /* the refused query was never opened */
	assert_int_equal(now.thread_count, 1);
	ho_gap *g = NULL;
	size_t ng = 0;
	assert_int_equal(ho_gaps_list(b, fx.handover, fx.fin, 0, &g, &ng), HO_OK);
	for (size_t i = 0; i < ng; i++)
		assert_false(g[i].kind == HO_GAP_QUERY && strcmp(g[i].ref, "FIN-2") == 0);
	ho_gap_free(g, ng);
	ho_item_clear(&seen);
	ho_item_clear(&now);
	ho_close(a);
	ho_close(b);
	fx_free(&fx);
}

/* Sender and receiver race on one item: the sender withdraws a hand-over
 * while the receiver, looking at the old screen, accepts it. */
static void test_stale_view_across_roles(void **state)
{
	struct fixture fx;
	build(&fx, "stale3.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-3", HO_ACT_HANDED_OVER, "Signatory list", HO_OK);
	ho_db *sam = tu_open_as(fx.path, "sam");
	ho_db *rita = tu_open_as(fx.path, "rita");
	int64_t id = fx_item(&fx, "FIN-3");
	ho_item seen;
	assert_int_equal(ho_item_get(rita, id, &seen), HO_OK);
	assert_int_equal(ho_item_mark(sam, id, seen.version, HO_ACT_IN_PROGRESS, NULL, NULL),
	                 HO_OK);
	assert_int_equal(ho_item_mark(rita, id, seen.version, HO_ACT_ACCEPTED, NULL, NULL),
	                 HO_ECONFLICT);
	assert_conflict_message(rita, "Sam Sender", "in progress");
	ho_item now;
	assert_int_equal(ho_item_get(rita, id, &now), HO_OK);
	assert_int_equal(now.sender_state, HO_SENDER_IN_PROGRESS);
	assert_int_equal(now.receiver_state, HO_RECEIVER_NONE);
	ho_item_clear(&seen);
	ho_item_clear(&now);
	ho_close(sam);
	ho_close(rita);
	fx_free(&fx);
}

/* Two leads set one function's due date from the same view. */
static void test_stale_due_date(void **state)
{
	struct fixture fx;
	build(&fx, "stale4.db");
	assert_int_equal(ho_person_add(fx.db, "lou", "Lou Lead", HO_ROLE_LEAD, ""), HO_OK);
	ho_db *lou = tu_open_as(fx.path, "lou");
	ho_function f;
	assert_int_equal(ho_function_get(lou, fx.fin, &f), HO_OK);
	int64_t v = f.version;
	ho_function_clear(&f);
	assert_int_equal(ho_function_set_due(fx.db, fx.fin, v, "2027-01-15"), HO_OK);
	assert_int_equal(ho_function_set_due(lou, fx.fin, v, "2027-02-28"), HO_ECONFLICT);
	assert_non_null(strstr(ho_errmsg(lou), "2027-01-15"));
	assert_int_equal(ho_function_get(lou, fx.fin, &f), HO_OK);
	assert_string_equal(f.due_date, "2027-01-15");
	ho_function_clear(&f);
	ho_close(lou);
	fx_free(&fx);
}

/* A comment changes no state, so it must not turn someone's pending mark
 * into a conflict, and the mark must not lose the comment. */
static void test_comment_between_read_and_mark(void **state)
{
	struct fixture fx;
	build(&fx, "stale5.db");
	ho_db *sam = tu_open_as(fx.path, "sam");
	ho_db *rita = tu_open_as(fx.path, "rita");
	int64_t id = fx_item(&fx, "FIN-1");
	ho_item seen;
	assert_int_equal(ho_item_get(sam, id, &seen), HO_OK);
	assert_int_equal(ho_item_comment(rita, id, "Please include the March ledger"), HO_OK);
	assert_int_equal(ho_item_mark(sam, id, seen.version, HO_ACT_HANDED_OVER, "Ledgers", NULL),
	                 HO_OK);
	ho_thread_entry *t = NULL;
	size_t n = 0;
	assert_int_equal(ho_thread_list(sam, id, &t, &n), HO_OK);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].body, "Please include the March ledger");
	assert_string_equal(t[1].body, "Ledgers");
	ho_thread_free(t, n);
	ho_item_clear(&seen);
	ho_close(sam);
	ho_close(rita);
	fx_free(&fx);
}

/* ---- locks held too long ----------------------------------------------------- */

/* Someone else inside a transaction: with sqlite3, `begin` (BEGIN
 * IMMEDIATE: the write lock; BEGIN EXCLUSIVE: readers too); on PostgreSQL
 * a session holding the write lock every change takes (the advisory lock,
 * "HOVR"), as another handover mid-change does. */
struct holder {
	sqlite3 *file;
	PGconn *server;
};

static struct holder hold_lock(const char *path, const char *begin)
{
	struct holder h = {0};
	if (tu_pg()) {
		h.server = PQconnectdb(path);
		assert_int_equal(PQstatus(h.server), CONNECTION_OK);
		PGresult *r = PQexec(h.server, "BEGIN; SELECT pg_advisory_xact_lock(1215256146); "
		                               "SELECT count(*) FROM items");
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		PQclear(r);
		return h;
	}
	assert_int_equal(sqlite3_open_v2(path, &h.file, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(h.file, begin, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", begin, err);
	/* Touch the file inside the transaction, as a real session would. */
	assert_int_equal(sqlite3_exec(h.file, "SELECT count(*) FROM items", NULL, NULL, NULL),
	                 SQLITE_OK);
	return h;
}

static void release_lock(struct holder h)
{
	if (h.server) {
		PQclear(PQexec(h.server, "ROLLBACK"));
		PQfinish(h.server);
		return;
	}
	sqlite3_exec(h.file, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h.file);
}

static void assert_busy(ho_db *db, ho_status st)
{
	if (st != HO_EBUSY)
		fail_msg("wanted 'file busy', got %s: %s", ho_strerror(st), ho_errmsg(db));
	assert_non_null(strstr(ho_errmsg(db), "locked"));
	assert_null(strchr(ho_errmsg(db), '\n'));
	assert_int_equal(ho_exit_code(st), 3);
}

/* Someone holds the write lock (BEGIN IMMEDIATE) past our busy timeout:
 * every change is refused as busy, readers carry on, nothing is half
 * done, and once the lock goes the same change goes through. */
static void lock_held_by_writer(const char *journal)
{
	setenv("HANDOVER_JOURNAL", journal, 1);
	struct fixture fx;
	char name[32];
	snprintf(name, sizeof name, "locked-%s.db", journal);
	build(&fx, name);
	assert_string_equal(ho_journal_mode(fx.db), tu_pg() ? "postgresql" : journal);
	ho_db *sam = tu_open_as(fx.path, "sam");
	ho_set_busy_timeout(sam, 150);
	int64_t id = fx_item(&fx, "FIN-1");
	int64_t events = event_count(fx.db);

	struct holder holder = hold_lock(fx.path, "BEGIN IMMEDIATE");
	assert_busy(sam, ho_item_mark(sam, id, 0, HO_ACT_HANDED_OVER, "Ledger", NULL));
	assert_busy(sam, ho_item_comment(sam, id, "a comment typed while it was locked"));
	assert_busy(sam, ho_undo(sam, NULL));
	/* Readers are not held up by a writer. */
	ho_item *items = NULL;
	size_t n = 0;
	assert_int_equal(ho_items_list(sam, fx.fin, HO_FILTER_ALL, &items, &n), HO_OK);
	assert_int_equal(n, 3);
	ho_item_free(items, n);
	release_lock(holder);

	assert_int_equal(event_count(sam), events);
	assert_int_equal(thread_len(sam, id), 0);
	assert_int_equal(ho_item_mark(sam, id, 0, HO_ACT_HANDED_OVER, "Ledger", NULL), HO_OK);
	assert_int_equal(ho_check(sam), HO_OK);
	ho_close(sam);
	fx_free(&fx);
	unsetenv("HANDOVER_JOURNAL");
}

static void test_lock_held_too_long_wal(void **state)
{
	lock_held_by_writer("wal");
}

static void test_lock_held_too_long_rollback(void **state)
{
	tu_skip_on_pg("the rollback journal is a file's (the same test without it ran above)");
	lock_held_by_writer("delete");
}

/* In rollback-journal mode (network drives) an exclusive lock stops
 * readers too: they get the same clear "busy" refusal, not a hang and not
 * "damaged". */
static void test_exclusive_lock_stops_readers_rollback(void **state)
{
	tu_skip_on_pg("an exclusive lock on a file in rollback-journal mode: on PostgreSQL no "
	              "one stops readers");
	setenv("HANDOVER_JOURNAL", "delete", 1);
	struct fixture fx;
	build(&fx, "exclusive.db");
	ho_db *reader = tu_open_as(fx.path, "rita");
	ho_set_busy_timeout(reader, 150);
	struct holder holder = hold_lock(fx.path, "BEGIN EXCLUSIVE");
	ho_item *items = NULL;
	size_t n = 0;
	assert_busy(reader, ho_items_list(reader, fx.fin, HO_FILTER_ALL, &items, &n));
	ho_handover *h = NULL;
	assert_busy(reader, ho_handovers_list(reader, &h, &n));
	release_lock(holder);
	assert_int_equal(ho_items_list(reader, fx.fin, HO_FILTER_ALL, &items, &n), HO_OK);
	ho_item_free(items, n);
	ho_close(reader);
	fx_free(&fx);
	unsetenv("HANDOVER_JOURNAL");
}

/* Opening a file that stays exclusively locked past the busy timeout is
 * "busy, try again" (exit 3), not "not a handover file" (exit 2): the file
 * is fine, it is only in use. Waits for the default busy timeout. */
static void test_open_while_exclusively_locked(void **state)
{
	setenv("HANDOVER_JOURNAL", "delete", 1);
	ho_db *db = tu_new_file("open-locked.db", 1, 0);
	ho_close(db);
	const char *path = tu_path("open-locked.db");
	char before[65], after[65];
	tu_file_hash(path, before);
	struct holder holder = hold_lock(path, "BEGIN EXCLUSIVE");
	db = NULL;
	if (tu_pg()) {
		/* On PostgreSQL no change stops a reader: a database of the
		 * current format opens at once, without waiting for the write
		 * lock another's change holds, and reads. */
		struct timespec t0, t1;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		ho_status st = ho_open(path, 0, &db);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		long waited = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
		if (st != HO_OK)
			fail_msg("open while a change holds the write lock: got %s (%s)",
			         ho_strerror(st), ho_errmsg(db));
		assert_true(waited < ho_busy_timeout(db)); /* it did not wait for the lock */
		ho_handover *h = NULL;
		size_t n = 0;
		assert_int_equal(ho_handovers_list(db, &h, &n), HO_OK);
		ho_handover_free(h, n);
		release_lock(holder);
		ho_close(db);
		unsetenv("HANDOVER_JOURNAL");
		return;
	}
	ho_status st = ho_open(path, 0, &db);
	release_lock(holder);
	if (st != HO_EBUSY)
		fail_msg("open of a locked file: got %s (%s), wanted 'file busy'", ho_strerror(st),
		         ho_errmsg(db));
	assert_non_null(strstr(ho_errmsg(db), "locked"));
	ho_close(db);
	tu_file_hash(path, after);
	assert_string_equal(before, after);
	unsetenv("HANDOVER_JOURNAL");
}

/* ---- creators, crashes, backups ------------------------------------------------ */

/* `handover demo` creates a file and stays in it (the screen). In WAL mode
 * what init wrote is still in the -wal file, so the main file's header is
 * not yet stamped as ours; a colleague opening the file meanwhile must
 * get it, not "another application's database". */
static void test_second_open_while_creator_still_open(void **state)
{
	ho_db *creator = tu_new_file("busy-new.db", 0, 0);
	assert_string_equal(ho_journal_mode(creator), tu_pg() ? "postgresql" : "wal");
	ho_db *colleague = NULL;
	ho_status st = ho_open(tu_path("busy-new.db"), 0, &colleague);
	if (st != HO_OK)
		fail_msg("second open while the creator has it open: %s (%s)", ho_strerror(st),
		         ho_errmsg(colleague));
	ho_set_actor(colleague, "lead");
	assert_int_equal(ho_check(colleague), HO_OK);
	ho_close(colleague);
	ho_close(creator);
}

/* The process that made a file dies before closing it (power cut, kill):
 * the next person to open it gets the file, with what was committed. */
static void test_creator_killed_before_close(void **state)
{
	const char *path = tu_new_database("killed-new.db");
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		ho_db *db = NULL;
		if (ho_open(path, HO_OPEN_CREATE, &db) != HO_OK)
			_exit(10);
		ho_init_opts o = {.title = "Killed", .login = "lead", .empty = 1};
		if (ho_init(db, &o) != HO_OK ||
		    ho_person_add(db, "sam", "Sam Sender", HO_ROLE_SENDER, "") != HO_OK)
			_exit(11);
		_exit(0); /* no ho_close: as if killed right after the commit */
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);
	ho_db *db = NULL;
	ho_status st = ho_open(path, 0, &db);
	if (st != HO_OK)
		fail_msg("opening a file whose creator was killed: %s (%s)", ho_strerror(st),
		         ho_errmsg(db));
	ho_person p;
	assert_int_equal(ho_person_get(db, "sam", &p), HO_OK);
	ho_person_clear(&p);
	assert_int_equal(ho_check(db), HO_OK);
	ho_verify_result vr;
	assert_int_equal(ho_verify(db, &vr), HO_OK);
	ho_close(db);
}

/* init killed between the migration and its own commit leaves a file with
 * the schema and nobody in it. Running init again must be possible:
 * otherwise the file can never get a lead and is stuck. */
static void test_interrupted_init_can_be_run_again(void **state)
{
	const char *path = tu_new_database("half-init.db");
	ho_db *db = NULL;
	assert_int_equal(ho_open(path, HO_OPEN_CREATE, &db), HO_OK);
	ho_close(db); /* what a kill after the migration leaves */
	db = NULL;
	ho_status st = ho_open(path, HO_OPEN_CREATE, &db);
	if (st != HO_OK)
		fail_msg("init again after an interrupted init: %s (%s)", ho_strerror(st),
		         ho_errmsg(db));
	ho_init_opts o = {.title = "Second try", .login = "lead"};
	assert_int_equal(ho_init(db, &o), HO_OK);
	assert_int_equal(ho_check(db), HO_OK);
	ho_close(db);
}

/* init killed before even the migration committed leaves SQLite's empty
 * database, or 0 bytes: init may finish those too. A file with anything in it, ours or
 * another application's, is never taken over (and left as it was). */
/* The empty SQLite file and the file of 0 bytes init may finish; returns
 * another application's file, which it may not. */
static const char *init_over_empty_files(void)
{
	const char *shell = tu_path("shell.db");
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(shell, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "CREATE TABLE t(x); DROP TABLE t", NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(c);
	ho_db *db = NULL;
	ho_status st = ho_open(shell, HO_OPEN_CREATE, &db);
	if (st != HO_OK)
		fail_msg("init over an empty SQLite file: %s (%s)", ho_strerror(st), ho_errmsg(db));
	ho_init_opts o = {.title = "Shell", .login = "lead", .empty = 1};
	assert_int_equal(ho_init(db, &o), HO_OK);
	assert_int_equal(ho_check(db), HO_OK);
	ho_close(db);
	/* ... and a file of 0 bytes, what a kill before SQLite wrote a page leaves */
	const char *zero = tu_path("zero.db");
	tu_write_file(zero, "", 0);
	db = NULL;
	assert_int_equal(ho_open(zero, HO_OPEN_CREATE, &db), HO_OK);
	assert_int_equal(ho_init(db, &o), HO_OK);
	ho_close(db);

	const char *other = tu_path("other-app.db");
	assert_int_equal(sqlite3_open(other, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "CREATE TABLE notes(x); INSERT INTO notes VALUES (1)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(c);
	return other;
}

static void test_init_over_empty_shell_only(void **state)
{
	const char *other;
	if (tu_pg()) {
		/* An empty database is made for init (what CREATE DATABASE
		 * leaves); one with another application's tables is not ours. */
		ho_db *db = NULL;
		ho_init_opts o = {.title = "Shell", .login = "lead", .empty = 1};
		assert_int_equal(ho_open(tu_new_database("shell.db"), HO_OPEN_CREATE, &db), HO_OK);
		assert_int_equal(ho_init(db, &o), HO_OK);
		assert_int_equal(ho_check(db), HO_OK);
		ho_close(db);
		other = tu_new_database("other-app.db");
		tu_edit(other, "CREATE TABLE notes(x int); INSERT INTO notes VALUES (1)");
	} else {
		other = init_over_empty_files();
	}
	const char *ours = tu_path("in-use.db");
	ho_db *db = tu_new_file("in-use.db", 1, 0);
	ho_close(db);
	const char *paths[] = {other, ours};
	for (size_t i = 0; i < 2; i++) {
		char before[65], after[65];
		tu_file_hash(paths[i], before);
		db = NULL;
		assert_int_equal(ho_open(paths[i], HO_OPEN_CREATE, &db), HO_EEXIST);
		assert_non_null(strstr(ho_errmsg(db), "already exists"));
		ho_close(db);
		tu_file_hash(paths[i], after);
		assert_string_equal(before, after);
	}
}

/* Online backups while another process writes: each is a good file whose
 * history is the live history up to when it was taken; restoring one
 * (the backup API again, into the live name) gives a good file. */
static void test_backup_while_writing_and_restore(void **state)
{
	struct fixture fx;
	build(&fx, "live.db");
	fx_free(&fx); /* the writer runs in another process */
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		ho_db *sam = NULL;
		if (ho_open(fx.path, 0, &sam) != HO_OK)
			_exit(10);
		ho_set_actor(sam, "sam");
		int64_t ids[3];
		for (int i = 0; i < 3; i++) {
			char ref[8];
			snprintf(ref, sizeof ref, "FIN-%d", i + 1);
			if (ho_item_find(sam, 0, ref, &ids[i]) != HO_OK)
				_exit(11);
		}
		for (int i = 0; i < 600; i++) {
			char body[64];
			snprintf(body, sizeof body, "comment %d while backing up", i);
			if (ho_item_comment(sam, ids[i % 3], body) != HO_OK)
				_exit(12);
		}
		ho_close(sam);
		_exit(0);
	}
	ho_db *db = tu_open_as(fx.path, "lead");
	char out[8][512];
	for (int i = 0; i < 8; i++) {
		snprintf(out[i], sizeof out[i], "%s", tu_out("b.db"));
		snprintf(out[i] + strlen(out[i]) - 4, 16, "-%d.db", i);
		assert_int_equal(ho_backup(db, out[i], 0), HO_OK);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_int_equal(WEXITSTATUS(status), 0);

	ho_event *live = NULL;
	size_t nlive = 0;
	assert_int_equal(ho_events_list(db, 0, 0, &live, &nlive), HO_OK);
	for (int i = 0; i < 8; i++) {
		ho_db *b = tu_open_as(out[i], "lead");
		assert_int_equal(ho_check(b), HO_OK);
		ho_verify_result vr;
		assert_int_equal(ho_verify(b, &vr), HO_OK);
		assert_true((size_t)vr.events <= nlive);
		assert_string_equal(vr.head, live[vr.events - 1].hash);
		ho_close(b);
	}
	ho_event_free(live, nlive);
	ho_close(db);
	if (tu_pg())
		return; /* a database is restored with copy (e2e/pg_copy.sh) */

	/* Restore: move the damaged file (and its -wal, -shm) aside, then
	 * copy the backup into the live name with the backup API. */
	char aside[600];
	snprintf(aside, sizeof aside, "%s.damaged", fx.path);
	assert_int_equal(rename(fx.path, aside), 0);
	assert_int_equal(truncate(aside, 4096), 0);
	ho_db *b = tu_open_as(out[3], "lead");
	assert_int_equal(ho_backup(b, fx.path, 0), HO_OK);
	ho_verify_result want;
	assert_int_equal(ho_verify(b, &want), HO_OK);
	ho_close(b);
	db = tu_open_as(fx.path, "lead");
	assert_int_equal(ho_check(db), HO_OK);
	ho_verify_result got;
	assert_int_equal(ho_verify(db, &got), HO_OK);
	assert_string_equal(got.head, want.head);
	/* And people carry on working in the restored file. */
	ho_set_actor(db, "sam");
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 0, "FIN-1", &id), HO_OK);
	assert_int_equal(ho_item_comment(db, id, "after the restore"), HO_OK);
	ho_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_stale_view_same_person, reset_env),
	    cmocka_unit_test_setup(test_stale_view_receiver, reset_env),
	    cmocka_unit_test_setup(test_stale_view_across_roles, reset_env),
	    cmocka_unit_test_setup(test_stale_due_date, reset_env),
	    cmocka_unit_test_setup(test_comment_between_read_and_mark, reset_env),
	    cmocka_unit_test_setup(test_lock_held_too_long_wal, reset_env),
	    cmocka_unit_test_setup(test_lock_held_too_long_rollback, reset_env),
	    cmocka_unit_test_setup(test_exclusive_lock_stops_readers_rollback, reset_env),
	    cmocka_unit_test_setup(test_open_while_exclusively_locked, reset_env),
	    cmocka_unit_test_setup(test_second_open_while_creator_still_open, reset_env),
	    cmocka_unit_test_setup(test_creator_killed_before_close, reset_env),
	    cmocka_unit_test_setup(test_interrupted_init_can_be_run_again, reset_env),
	    cmocka_unit_test_setup(test_init_over_empty_shell_only, reset_env),
	    cmocka_unit_test_setup(test_backup_while_writing_and_restore, reset_env),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
