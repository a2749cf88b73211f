/* Opening files: migrations, refusal of bad files (left unchanged), the
 * history chain and verify, check, backup. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fixture.h"

/* Open must fail with `want` and leave the file byte-for-byte unchanged. */
static void expect_refused(const char *path, ho_status want, const char *says)
{
	char before[65], after[65];
	tu_file_hash(path, before);
	ho_db *db = NULL;
	ho_status st = ho_open(path, 0, &db);
	if (st != want)
		fail_msg("open %s: got %s (%s), wanted %s", path, ho_strerror(st),
		         db ? ho_errmsg(db) : "", ho_strerror(want));
	if (says && !strstr(ho_errmsg(db), says))
		fail_msg("message '%s' lacks '%s'", ho_errmsg(db), says);
	assert_null(strchr(ho_errmsg(db), '\n'));
	ho_close(db);
	tu_file_hash(path, after);
	assert_string_equal(before, after);
	assert_int_equal(ho_exit_code(st), 2);
}

static void sql(const char *path, const char *statements)
{
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	char *err = NULL;
	if (sqlite3_exec(c, statements, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s: %s", statements, err);
	sqlite3_close(c);
}

static void test_new_file_and_reopen(void **state)
{
	ho_db *db = tu_new_file("new.db", 0, 0);
	assert_string_equal(ho_journal_mode(db), "wal");
	assert_int_equal(ho_actor(db)->role, HO_ROLE_LEAD);
	char *title = ho_file_title(db);
	assert_string_equal(title, "Test file");
	free(title);
	ho_handover *h = NULL;
	size_t n = 0;
	assert_int_equal(ho_handovers_list(db, &h, &n), HO_OK);
	assert_int_equal(n, 1); /* the pod template */
	assert_int_equal(h[0].functions, 10);
	assert_true(h[0].counts.total >= 60);
	ho_handover_free(h, n);
	assert_int_equal(ho_check(db), HO_OK);
	ho_close(db);

	/* Reopening does not migrate again or change anything. */
	db = tu_open_as(tu_path("new.db"), "lead");
	assert_int_equal(ho_actor(db)->role, HO_ROLE_LEAD);
	ho_close(db);

	/* init refuses to overwrite. */
	db = NULL;
	assert_int_equal(ho_open(tu_path("new.db"), HO_OPEN_CREATE, &db), HO_EEXIST);
	ho_close(db);
}

static void test_bad_files_refused_unchanged(void **state)
{
	const char *p;
	/* Not SQLite at all. */
	p = tu_path("text.db");
	tu_write_file(p, "hello, this is a text file that is long enough to have a header..."
	                 "................................................................",
	              130);
	expect_refused(p, HO_EBADFILE, "not a handover file");
	/* Zero bytes: SQLite would make it a database; we must not. */
	p = tu_path("zero.db");
	tu_write_file(p, "", 0);
	expect_refused(p, HO_EBADFILE, "empty");
	/* Another application's SQLite file. */
	p = tu_path("other.db");
	sql(p, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	expect_refused(p, HO_EBADFILE, "another application");
	/* A missing file and a directory. */
	expect_refused(tu_path("missing.db"), HO_EBADFILE, "no such file");
	p = tu_path("adir");
	mkdir(p, 0700);
	ho_db *db = NULL;
	assert_int_equal(ho_open(p, 0, &db), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(db), "directory"));
	ho_close(db);

	/* A newer file format. */
	db = tu_new_file("newer.db", 1, 0);
	ho_close(db);
	p = tu_path("newer.db");
	sql(p, "PRAGMA journal_mode=DELETE; PRAGMA user_version=999;");
	expect_refused(p, HO_EBADFILE, "newer");

	/* Truncated: cut a real file in half. */
	db = tu_new_file("trunc.db", 0, 0);
	ho_close(db);
	p = tu_path("trunc.db");
	sql(p, "PRAGMA journal_mode=DELETE;");
	struct stat sb;
	assert_int_equal(stat(p, &sb), 0);
	assert_int_equal(truncate(p, sb.st_size / 2), 0);
	expect_refused(p, HO_EBADFILE, "truncated");
}

static void test_read_only_file(void **state)
{
	if (geteuid() == 0) {
		/* root writes through file permissions; nothing to observe. */
		skip();
	}
	ho_db *db = tu_new_file("ro.db", 1, 0);
	ho_close(db);
	const char *p = tu_path("ro.db");
	sql(p, "PRAGMA journal_mode=DELETE;");
	chmod(p, 0444);
	db = tu_open_as(p, "lead");
	assert_int_equal(ho_read_only(db), 1);
	assert_int_equal(ho_person_add(db, "x", "X", HO_ROLE_SENDER, ""), HO_EBADFILE);
	ho_close(db);
}

static void test_history_chain_and_tamper(void **state)
{
	struct fixture fx;
	fx_build(&fx, "hist.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger", HO_OK);
	assert_int_equal(ho_item_comment(fx.db, fx_item(&fx, "FIN-1"), "see also FIN-2"), HO_OK);
	ho_verify_result vr;
	assert_int_equal(ho_verify(fx.db, &vr), HO_OK);
	assert_int_equal(vr.first_bad, 0);
	assert_int_equal(strlen(vr.head), 64);
	char head[65];
	int64_t count = 0;
	assert_int_equal(ho_history_head(fx.db, head, &count), HO_OK);
	assert_string_equal(head, vr.head);
	assert_int_equal(count, vr.events);

	/* The file refuses edits of history through SQL. */
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(fx.path, &c), SQLITE_OK);
	assert_int_not_equal(
		sqlite3_exec(c, "UPDATE events SET actor = 'x' WHERE id = 3", NULL, NULL, NULL),
		SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(c, "DELETE FROM events WHERE id = 3", NULL, NULL, NULL),
	                     SQLITE_OK);
	/* Someone drops the guards and edits an event: verify names it, and
	 * check says the guard is gone. */
	assert_int_equal(sqlite3_exec(c,
	                              "DROP TRIGGER events_no_update; "
	                              "UPDATE events SET new_value = 'forged' WHERE id = 4",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(c);
	assert_int_equal(ho_verify(fx.db, &vr), HO_EBADFILE);
	assert_int_equal(vr.first_bad, 4);
	assert_non_null(strstr(vr.problem, "event 4"));
	assert_int_equal(ho_check(fx.db), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(fx.db), "events_no_update"));
	fx_free(&fx);

	/* Deleting an event from the middle is caught at the next one. */
	fx_build(&fx, "hist2.db");
	assert_int_equal(sqlite3_open(fx.path, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c,
	                              "DROP TRIGGER events_no_delete; "
	                              "DELETE FROM events WHERE id = 5",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(c);
	assert_int_equal(ho_verify(fx.db, &vr), HO_EBADFILE);
	assert_int_equal(vr.first_bad, 6);
	fx_free(&fx);
}

static void test_backup(void **state)
{
	struct fixture fx;
	fx_build(&fx, "live.db");
	const char *out = tu_path("copy.db");
	assert_int_equal(ho_backup(fx.db, out), HO_OK);
	assert_int_equal(ho_backup(fx.db, out), HO_EEXIST);
	ho_db *copy = tu_open_as(out, "lead");
	assert_int_equal(ho_check(copy), HO_OK);
	ho_verify_result a, b;
	assert_int_equal(ho_verify(copy, &a), HO_OK);
	assert_int_equal(ho_verify(fx.db, &b), HO_OK);
	assert_string_equal(a.head, b.head);
	ho_close(copy);
	fx_free(&fx);
}

static void test_data_version_watch(void **state)
{
	struct fixture fx;
	fx_build(&fx, "watch.db");
	ho_db *other = tu_open_as(fx.path, "sam");
	assert_int_equal(ho_changed(other), 0);
	/* Our own commits are not "someone else". */
	assert_int_equal(ho_item_mark(other, fx_item(&fx, "FIN-1"), 0, HO_ACT_IN_PROGRESS, NULL,
	                              NULL),
	                 HO_OK);
	assert_int_equal(ho_changed(other), 0);
	assert_int_equal(ho_changed(fx.db), 1);
	ho_close(other);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_new_file_and_reopen),
		cmocka_unit_test(test_bad_files_refused_unchanged),
		cmocka_unit_test(test_read_only_file),
		cmocka_unit_test(test_history_chain_and_tamper),
		cmocka_unit_test(test_backup),
		cmocka_unit_test(test_data_version_watch),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
