/* ho_outfile, the one way files are written: what it refuses, the modes it
 * gives, and that the temporary file cannot be swapped for a symlink
 * between writing and renaming. */
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

#include "handover/outfile.h"
#include "testutil.h"

static ho_db *db;

static int setup(void **state)
{
	(void)state;
	db = tu_new_file("open.db", 0, 0);
	return db ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	ho_close(db);
	return 0;
}

static void refused(const char *path, int flags, ho_status want, const char *says)
{
	ho_status st = ho_outfile_check(db, path, flags);
	if (st != want || !strstr(ho_errmsg(db), says))
		fail_msg("%s: status %d (want %d), message '%s' (want '%s')", path, st, want,
		         ho_errmsg(db), says);
}

static void write_text(const char *path, int flags, const char *text)
{
	ho_outfile o;
	assert_int_equal(ho_outfile_open(db, path, flags, 0, &o), HO_OK);
	fputs(text, o.f);
	assert_int_equal(ho_outfile_commit(db, &o), HO_OK);
}

static void refusals_of_database_files(void)
{
	char name[700];
	refused(ho_path(db), HO_OUT_FORCE, HO_EPERM, "is the open handover file");
	/* Another name for the same file is the same file. */
	snprintf(name, sizeof name, "%s/alias.db", tu_dir());
	assert_int_equal(link(ho_path(db), name), 0);
	refused(name, HO_OUT_FORCE, HO_EPERM, "is the open handover file");
	snprintf(name, sizeof name, "%s/./open.db", tu_dir());
	refused(name, HO_OUT_FORCE | HO_OUT_DATABASE, HO_EPERM, "is the open handover file");
	/* Its companions, present or not. */
	static const char *const suffixes[] = {"-wal", "-shm", "-journal"};
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof name, "%s%s", ho_path(db), suffixes[i]);
		refused(name, HO_OUT_FORCE, HO_EPERM, "belongs to the open handover file");
	}
	/* Any SQLite database, and its journal's name. */
	ho_db *other = tu_new_file("other.db", 1, 0);
	ho_close(other);
	refused(tu_path("other.db"), HO_OUT_FORCE, HO_EPERM, "it is an SQLite database");
	refused(tu_path("other.db-wal"), HO_OUT_FORCE, HO_EPERM, "belongs to the SQLite database");
}

static void test_refusals(void **state)
{
	(void)state;
	refused("", 0, HO_EUSAGE, "no file name");
	/* The open handover file, its companions and any SQLite database are
	 * files: on PostgreSQL the handover is on the server, and the rest is
	 * the same on either engine. */
	if (!tu_pg())
		refusals_of_database_files();
	/* Folders, missing folders, pipes. */
	refused(tu_dir(), HO_OUT_FORCE, HO_EUSAGE, "is a folder");
	refused(tu_out("sub/"), 0, HO_EUSAGE, "is a folder");
	refused(tu_out("missing/out.txt"), 0, HO_EBADFILE, "does not exist");
	assert_int_equal(mkfifo(tu_out("fifo"), 0600), 0);
	refused(tu_out("fifo"), HO_OUT_FORCE, HO_EPERM, "not a regular file");
	/* An ordinary existing file: only with force. */
	tu_write_file(tu_out("plain.txt"), "x\n", 2);
	refused(tu_out("plain.txt"), 0, HO_EEXIST, "already exists");
	assert_int_equal(ho_outfile_check(db, tu_out("plain.txt"), HO_OUT_FORCE), HO_OK);
	assert_int_equal(ho_outfile_check(db, tu_out("new.txt"), 0), HO_OK);
}

static void test_modes(void **state)
{
	(void)state;
	mode_t old = umask(002);
	write_text(tu_out("team.txt"), 0, "team\n");
	struct stat sb;
	assert_int_equal(stat(tu_out("team.txt"), &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0664);
	umask(077);
	write_text(tu_out("private.txt"), 0, "private\n");
	assert_int_equal(stat(tu_out("private.txt"), &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0600);
	/* A replaced file keeps its mode, less any setuid or setgid bit. */
	assert_int_equal(chmod(tu_out("team.txt"), 06750), 0);
	write_text(tu_out("team.txt"), HO_OUT_FORCE, "again\n");
	assert_int_equal(stat(tu_out("team.txt"), &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0750);
	/* An explicit mode (a backup's) is taken as it is. */
	ho_outfile o;
	assert_int_equal(ho_outfile_open(db, tu_out("exact.db"), 0, 04640, &o), HO_OK);
	assert_int_equal(ho_outfile_commit(db, &o), HO_OK);
	assert_int_equal(stat(tu_out("exact.db"), &sb), 0);
	assert_int_equal(sb.st_mode & 07777, 0640);
	umask(old);
}

static void test_swapped_temporary_file(void **state)
{
	(void)state;
	char before[65], after[65];
	tu_write_file(tu_out("victim.txt"), "victim\n", 7);
	tu_file_hash(tu_out("victim.txt"), before);
	ho_outfile o;
	assert_int_equal(ho_outfile_open(db, tu_out("swap.txt"), 0, 0, &o), HO_OK);
	fputs("payload\n", o.f);
	/* Someone with write access to the folder swaps the temporary file
	 * for a symlink to their victim: the rename must not happen. */
	assert_int_equal(unlink(o.tmp), 0);
	assert_int_equal(symlink(tu_out("victim.txt"), o.tmp), 0);
	char *tmp = strdup(o.tmp);
	assert_int_equal(ho_outfile_commit(db, &o), HO_EIO);
	assert_non_null(strstr(ho_errmsg(db), "replaced meanwhile"));
	tu_file_hash(tu_out("victim.txt"), after);
	assert_string_equal(before, after);
	struct stat sb;
	assert_int_not_equal(lstat(tu_out("swap.txt"), &sb), 0);
	unlink(tmp);
	free(tmp);
}

static void test_appeared_meanwhile(void **state)
{
	(void)state;
	ho_outfile o;
	assert_int_equal(ho_outfile_open(db, tu_out("late.txt"), 0, 0, &o), HO_OK);
	fputs("ours\n", o.f);
	tu_write_file(tu_out("late.txt"), "theirs\n", 7);
	assert_int_equal(ho_outfile_commit(db, &o), HO_EEXIST);
	FILE *f = fopen(tu_out("late.txt"), "r");
	char line[32] = "";
	assert_non_null(f);
	assert_non_null(fgets(line, sizeof line, f));
	fclose(f);
	assert_string_equal(line, "theirs\n");
	/* Nothing left beside it. */
	char cmd[900];
	snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q '^\\.late\\.txt-'", tu_dir());
	assert_int_not_equal(system(cmd), 0);
}

static void test_temp_file_fresh_and_private(void **state)
{
	(void)state;
	char *path = NULL;
	int fd = ho_temp_file(tu_dir(), "scratch", ".ms", 0600, &path);
	assert_true(fd >= 0);
	struct stat sb;
	assert_int_equal(fstat(fd, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0600);
	close(fd);
	/* Its name is fresh each time. */
	char *again = NULL;
	fd = ho_temp_file(tu_dir(), "scratch", ".ms", 0600, &again);
	assert_true(fd >= 0);
	close(fd);
	assert_string_not_equal(path, again);
	unlink(path);
	unlink(again);
	free(path);
	free(again);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refusals),
	    cmocka_unit_test(test_modes),
	    cmocka_unit_test(test_swapped_temporary_file),
	    cmocka_unit_test(test_appeared_meanwhile),
	    cmocka_unit_test(test_temp_file_fresh_and_private),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	tu_cleanup();
	return rc;
}
