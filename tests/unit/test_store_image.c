/* store_open_image, the test-facing open of a file's bytes held in memory
 * (the dbfile fuzz target's way in): it must refuse what ho_open refuses,
 * with the same status and message, and open what ho_open opens, so that
 * fuzzing through it says something about ho_open. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "handover/testhook.h"
#include "store_image.h"
#include "testutil.h"

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot read %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* The same bytes through ho_open (as a file at `path`) and through
 * store_open_image (named `path`): the same status and message. */
static ho_status both_ways(const char *path, const void *bytes, size_t len)
{
	tu_write_file(path, bytes, len);
	ho_db *from_file = NULL, *from_image = NULL;
	ho_status sf = ho_open(path, 0, &from_file);
	ho_status si = store_open_image(path, bytes, len, &from_image);
	assert_non_null(from_image);
	assert_int_equal(si, sf);
	if (sf != HO_OK)
		assert_string_equal(ho_errmsg(from_image), ho_errmsg(from_file));
	ho_close(from_file);
	ho_close(from_image);
	return si;
}

static void test_refuses_what_open_refuses(void **state)
{
	tu_skip_on_pg("the bytes of a SQLite file opened in memory (the file fuzzer's way in) "
	              "are a file's");
	ho_db *db = tu_new_file("good.db", 0, 0);
	ho_close(db);
	const char *good = tu_path("good.db");
	size_t len;
	char *bytes = slurp(good, &len);
	const char *p = tu_path("variant.db");

	assert_int_equal(both_ways(p, bytes, len), HO_OK);
	assert_int_equal(both_ways(p, "", 0), HO_EBADFILE);
	assert_int_equal(both_ways(p, bytes, 60), HO_EBADFILE); /* shorter than a header */
	assert_int_equal(both_ways(p, "Region,ICB\nfinance,ledgers\n", 27), HO_EBADFILE);
	assert_int_equal(both_ways(p, bytes, len / 2), HO_EBADFILE); /* truncated */

	char *other = malloc(len);
	memcpy(other, bytes, len);
	memset(other + 68, 0, 4); /* application id: not ours */
	assert_int_equal(both_ways(p, other, len), HO_EBADFILE);
	memcpy(other, bytes, len);
	other[63] = 77; /* user_version: a newer format */
	assert_int_equal(both_ways(p, other, len), HO_EBADFILE);
	free(other);
	free(bytes);
}

/* A file left in WAL mode (the default on a local disk) opens from its
 * bytes as it does from disk, and changes to the image stay in memory. */
static void test_wal_file_and_changes_in_memory(void **state)
{
	tu_skip_on_pg("the bytes of a SQLite file opened in memory (the file fuzzer's way in) "
	              "are a file's");
	ho_db *db = tu_new_file("wal.db", 0, 0);
	assert_string_equal(ho_journal_mode(db), "wal");
	ho_close(db);
	const char *p = tu_path("wal.db");
	size_t len;
	char *bytes = slurp(p, &len);
	assert_int_equal(bytes[18], 2);
	assert_int_equal(bytes[19], 2);
	char before[65], after[65];
	tu_file_hash(p, before);

	db = NULL;
	assert_int_equal(store_open_image(p, bytes, len, &db), HO_OK);
	ho_set_actor(db, "lead");
	ho_handover *hs = NULL;
	size_t nh = 0;
	assert_int_equal(ho_handovers_list(db, &hs, &nh), HO_OK);
	assert_int_equal(nh, 1);
	ho_handover_free(hs, nh);
	assert_int_equal(ho_person_add(db, "zed", "Zed Sender", HO_ROLE_SENDER, ""), HO_OK);
	ho_person p1;
	assert_int_equal(ho_person_get(db, "zed", &p1), HO_OK);
	ho_person_clear(&p1);
	assert_int_equal(ho_check(db), HO_OK);
	ho_verify_result vr;
	assert_int_equal(ho_verify(db, &vr), HO_OK);
	ho_close(db);
	/* The caller's bytes and the file are as they were. */
	assert_int_equal(bytes[18], 2);
	tu_file_hash(p, after);
	assert_string_equal(before, after);
	free(bytes);
}

int main(void)
{
	ho_clock_set(1795341600);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_refuses_what_open_refuses),
	    cmocka_unit_test(test_wal_file_and_changes_in_memory),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
