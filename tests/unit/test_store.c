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
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

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
	tu_edit(path, statements);
}

/* sam and Sam are one login: the second is refused, and --as in any case
 * finds the one person (acting under their login as spelt in the file). */
static void test_logins_differing_in_case_are_one(void **state)
{
	ho_db *db = tu_new_file("case.db", 1, 0);
	assert_int_equal(ho_person_add(db, "sam", "Sam Sender", HO_ROLE_SENDER, ""), HO_OK);
	assert_int_equal(ho_person_add(db, "Sam", "Someone Else", HO_ROLE_LEAD, ""), HO_EEXIST);
	assert_non_null(strstr(ho_errmsg(db), "'sam'"));
	assert_int_equal(ho_person_add(db, "SAM", "Someone Else", HO_ROLE_RECEIVER, ""), HO_EEXIST);
	assert_int_equal(ho_person_add(db, "LEAD", "Lead Again", HO_ROLE_LEAD, ""), HO_EEXIST);
	ho_person *p = NULL;
	size_t n = 0;
	assert_int_equal(ho_people_list(db, &p, &n), HO_OK);
	assert_int_equal(n, 2);
	ho_person_free(p, n);

	ho_set_actor(db, "SaM");
	assert_int_equal(ho_actor(db)->role, HO_ROLE_SENDER);
	assert_string_equal(ho_actor(db)->login, "sam");
	ho_person one;
	assert_int_equal(ho_person_get(db, "SAM", &one), HO_OK);
	assert_string_equal(one.login, "sam");
	ho_person_clear(&one);
	ho_close(db);
}

static void test_new_file_and_reopen(void **state)
{
	ho_db *db = tu_new_file("new.db", 0, 0);
	assert_string_equal(ho_journal_mode(db), tu_pg() ? "postgresql" : "wal");
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

/* A database on the server that is not a handover, or is a newer one's,
 * or is not there: refused, and left as it was. */
static void bad_databases_refused_unchanged(void)
{
	const char *p = tu_new_database("other.db");
	sql(p, "CREATE TABLE t(x int); INSERT INTO t VALUES (1);");
	expect_refused(p, HO_EBADFILE, "not a handover database");
	ho_db *db = tu_new_file("foreign.db", 1, 0);
	ho_close(db);
	p = tu_path("foreign.db");
	sql(p, "UPDATE handover_format SET application_id = 1");
	expect_refused(p, HO_EBADFILE, "not a handover database");
	expect_refused(tu_path("missing.db"), HO_EBADFILE, "does not exist");
	db = tu_new_file("newer.db", 1, 0);
	ho_close(db);
	p = tu_path("newer.db");
	sql(p, "UPDATE handover_format SET version = 999");
	expect_refused(p, HO_EBADFILE, "newer");
}

static void test_bad_files_refused_unchanged(void **state)
{
	const char *p;
	if (tu_pg()) {
		bad_databases_refused_unchanged();
		return;
	}
	/* Not SQLite at all. */
	p = tu_path("text.db");
	tu_write_file(p,
	              "hello, this is a text file that is long enough to have a header..."
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

/* A file its user may only read opens read-only and refuses changes. Run
 * as an unprivileged user: root writes through file permissions, so as
 * root the check runs in a child that has given up root. Returns 0 when
 * the file behaved, else the step that failed. */
static int read_only_checks(const char *dir)
{
	char p[600];
	snprintf(p, sizeof p, "%s/ro.db", dir);
	ho_db *db = NULL;
	if (ho_open(p, HO_OPEN_CREATE, &db) != HO_OK)
		return 1;
	ho_set_actor(db, "lead");
	ho_init_opts o = {.title = "T", .login = "lead", .name = "Lee", .empty = 1};
	if (ho_init(db, &o) != HO_OK)
		return 2;
	ho_close(db);
	sql(p, "PRAGMA journal_mode=DELETE;");
	if (chmod(p, 0444) != 0)
		return 3;
	db = NULL;
	if (ho_open(p, 0, &db) != HO_OK)
		return 4;
	ho_set_actor(db, "lead");
	int bad = ho_read_only(db) != 1                                            ? 5
	          : ho_person_add(db, "x", "X", HO_ROLE_SENDER, "") != HO_EBADFILE ? 6
	                                                                           : 0;
	ho_close(db);
	return bad;
}

static void test_read_only_file(void **state)
{
	(void)state;
	tu_skip_on_pg("a file its user may only read: the server's grants stand for file "
	              "permissions there");
	if (geteuid() != 0) {
		int bad = read_only_checks(tu_dir());
		if (bad)
			fail_msg("read-only file: step %d failed", bad);
		return;
	}
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		char dir[] = "/tmp/ho-readonly-XXXXXX";
		if (setgid(65534) != 0 || setuid(65534) != 0 || geteuid() == 0)
			_exit(99);
		if (!mkdtemp(dir))
			_exit(98);
		int bad = read_only_checks(dir);
		char p[600];
		snprintf(p, sizeof p, "%s/ro.db", dir);
		chmod(p, 0600);
		unlink(p);
		rmdir(dir);
		_exit(bad);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) != 0)
		fail_msg("read-only file as an unprivileged user: step %d failed",
		         WEXITSTATUS(status));
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
	assert_non_null(tu_try_edit(fx.path, "UPDATE events SET actor = 'x' WHERE id = 3"));
	assert_non_null(tu_try_edit(fx.path, "DELETE FROM events WHERE id = 3"));
	/* Someone drops the guards and edits an event: verify names it, and
	 * check says the guard is gone. */
	sql(fx.path, "DROP TRIGGER events_no_update; "
	             "UPDATE events SET new_value = 'forged' WHERE id = 4");
	assert_int_equal(ho_verify(fx.db, &vr), HO_EBADFILE);
	assert_int_equal(vr.first_bad, 4);
	assert_non_null(strstr(vr.problem, "event 4"));
	assert_int_equal(ho_check(fx.db), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(fx.db), "events_no_update"));
	fx_free(&fx);

	/* Deleting an event from the middle is caught at the next one. */
	fx_build(&fx, "hist2.db");
	sql(fx.path, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 5");
	assert_int_equal(ho_verify(fx.db, &vr), HO_EBADFILE);
	assert_int_equal(vr.first_bad, 6);
	fx_free(&fx);
}

static void test_backup(void **state)
{
	struct fixture fx;
	fx_build(&fx, "live.db");
	const char *out = tu_out("copy.db");
	assert_int_equal(ho_backup(fx.db, out, 0), HO_OK);
	assert_int_equal(ho_backup(fx.db, out, 0), HO_EEXIST);
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
	assert_int_equal(
	    ho_item_mark(other, fx_item(&fx, "FIN-1"), 0, HO_ACT_IN_PROGRESS, NULL, NULL), HO_OK);
	assert_int_equal(ho_changed(other), 0);
	assert_int_equal(ho_changed(fx.db), 1);
	ho_close(other);
	fx_free(&fx);
}

/* The outline has every handover and function but counts nothing; a
 * handover counted on its own has the figures the whole-file lists have. */
static void test_outline_and_counted(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "outline.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger", HO_OK);
	fx_as(&fx, "lead");
	int64_t second = 0;
	assert_int_equal(ho_handover_add(fx.db, "Optometry", "Optometry", "", "", "", &second),
	                 HO_OK);
	assert_int_equal(ho_handover_apply_template(fx.db, second), HO_OK);

	ho_handover *hs = NULL, *all = NULL;
	ho_function *fs = NULL, *allf = NULL;
	size_t nh = 0, nf = 0, nall = 0, nallf = 0;
	assert_int_equal(ho_outline(fx.db, 0, &hs, &nh, &fs, &nf), HO_OK);
	assert_int_equal(ho_handovers_list(fx.db, &all, &nall), HO_OK);
	assert_int_equal(ho_functions_list(fx.db, 0, &allf, &nallf), HO_OK);
	assert_int_equal(nh, 2);
	assert_int_equal(nh, nall);
	assert_int_equal(nf, nallf);
	assert_int_equal(nf, 12); /* FIN, DIG and the template's ten */
	for (size_t i = 0; i < nf; i++) {
		assert_int_equal(fs[i].id, allf[i].id);
		assert_string_equal(fs[i].sender_name, allf[i].sender_name);
		assert_int_equal(fs[i].counts.total, 0);
		assert_int_equal(fs[i].rag, HO_RAG_NONE);
	}
	for (size_t i = 0; i < nh; i++) {
		assert_int_equal(hs[i].functions, all[i].functions);
		assert_int_equal(hs[i].functions_unpaired, all[i].functions_unpaired);
		assert_int_equal(hs[i].counts.total, 0);
		assert_int_equal(hs[i].rag, HO_RAG_NONE);

		ho_handover h;
		ho_function *cf = NULL;
		size_t ncf = 0;
		assert_int_equal(ho_handover_counted(fx.db, hs[i].id, &h, &cf, &ncf), HO_OK);
		assert_memory_equal(&h.counts, &all[i].counts, sizeof h.counts);
		assert_int_equal(h.rag, all[i].rag);
		for (size_t j = 0, k = 0; j < ncf; j++) {
			while (k < nallf && allf[k].id != cf[j].id)
				k++;
			assert_true(k < nallf);
			assert_memory_equal(&cf[j].counts, &allf[k].counts, sizeof cf[j].counts);
			assert_int_equal(cf[j].rag, allf[k].rag);
		}
		ho_handover_clear(&h);
		ho_function_free(cf, ncf);
	}
	assert_int_equal(all[0].counts.handed_over, 1);
	/* One handover's outline, without its functions. */
	ho_handover *one = NULL;
	size_t none = 0;
	assert_int_equal(ho_outline(fx.db, second, &one, &none, NULL, NULL), HO_OK);
	assert_int_equal(none, 1);
	assert_string_equal(one[0].title, "Optometry");
	assert_int_equal(one[0].functions, 10);
	assert_int_equal(one[0].counts.total, 0);
	ho_handover_free(one, none);
	ho_handover_free(hs, nh);
	ho_handover_free(all, nall);
	ho_function_free(fs, nf);
	ho_function_free(allf, nallf);
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
	    cmocka_unit_test(test_outline_and_counted),
	    cmocka_unit_test(test_logins_differing_in_case_are_one),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
