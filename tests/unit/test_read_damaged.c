/* Reads that fail part-way on a damaged file: whatever the damage, a read
 * either succeeds or gives a status with its output empty (NULL, 0, a
 * zeroed record) and nothing allocated left behind. A process that opens
 * many files (a lead's session, the export of a folder) must not grow.
 *
 * In the ASan build (./scripts/test runs it with leak detection) each test
 * also asks LeakSanitizer, there and then, whether any block is no longer
 * reachable, so a leak fails the test that made it. The heap in use is no
 * measure: SQLite's caches and malloc's own free lists make it move. */
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

#include "handover/report.h"
#include "handover/testhook.h"
#include "testutil.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HO_TEST_ASAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__)
#define HO_TEST_ASAN 1
#endif
#ifdef HO_TEST_ASAN
#include <sanitizer/lsan_interface.h>
#endif

#define ROUNDS 40

/* Fails when a block allocated so far can no longer be reached (the leak
 * is printed above by LeakSanitizer). Without ASan, nothing to ask. */
static void assert_nothing_leaked(const char *after)
{
#ifdef HO_TEST_ASAN
	if (__lsan_do_recoverable_leak_check())
		fail_msg("memory left unreachable after %s (LeakSanitizer's report above)", after);
#else
	(void)after;
#endif
}

static int all_zero(const void *p, size_t len)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < len; i++)
		if (b[i])
			return 0;
	return 1;
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

/* The failed look-up of one function: damaged-file status, a one-line
 * message, the record left zeroed. */
static void expect_function_refused(ho_db *db, int64_t id)
{
	ho_function f;
	memset(&f, 0xab, sizeof f);
	ho_status st = ho_function_get(db, id, &f);
	assert_int_equal(st, HO_EBADFILE);
	assert_true(all_zero(&f, sizeof f));
	assert_non_null(strstr(ho_errmsg(db), "damaged"));
	assert_null(strchr(ho_errmsg(db), '\n'));
}

/* The file fuzzing found (kept in the dbfile corpus): a damaged table in
 * which function 1 comes back on two rows. Its look-up took the first row
 * and dropped the second's strings, both through the remembered function
 * list and through the query. */
static void test_function_on_several_rows(void **state)
{
	tu_skip_on_pg("one id on two rows needs the table's primary key dropped; PostgreSQL "
	              "then refuses the grouped reads outright, so no row is read twice");
	const char *src = getenv("HO_SRC");
	assert_non_null(src);
	char kept[1024];
	snprintf(kept, sizeof kept, "%s/tests/fuzz/corpus/dbfile/finding-leak-function-get", src);
	size_t len;
	char *bytes = slurp(kept, &len);
	const char *p = tu_path("several-rows.db");
	tu_write_file(p, bytes, len);
	free(bytes);

	ho_db *db = tu_open_as(p, "lead");
	/* Without the remembered list: the query itself. */
	ho_function *fs = NULL;
	size_t nf = 0;
	/* The remembered list, as after the dashboard: the look-ups that
	 * follow copy from it. */
	assert_int_equal(ho_functions_list(db, 0, &fs, &nf), HO_OK);
	size_t with_id_1 = 0;
	for (size_t i = 0; i < nf; i++)
		with_id_1 += fs[i].id == 1;
	ho_function_free(fs, nf);
	assert_true(with_id_1 > 1);

	expect_function_refused(db, 1);
	ho_item it = {.id = 1, .function_id = 1};
	assert_false(ho_can_act(db, &it, HO_ACT_IN_PROGRESS, NULL));
	assert_false(ho_can_comment(db, &it, NULL));
	for (int i = 0; i < ROUNDS; i++) {
		expect_function_refused(db, 1);
		ho_can_act(db, &it, HO_ACT_ACCEPTED, NULL);
		ho_can_comment(db, &it, NULL);
	}
	assert_nothing_leaked("refused function look-ups");
	ho_close(db);
}

/* A handovers table edited with sqlite3 so that its id is an ordinary
 * column, and a handover copied: one id, two rows. */
static void test_handover_on_several_rows(void **state)
{
	tu_skip_on_pg("one id on two rows needs the table's primary key dropped; PostgreSQL "
	              "then refuses the grouped reads outright, so no row is read twice");
	ho_db *db = tu_new_file("handover-twice.db", 0, 0);
	ho_close(db);
	const char *p = tu_path("handover-twice.db");
	sql(p, "PRAGMA journal_mode=DELETE; PRAGMA writable_schema=ON; "
	       "UPDATE sqlite_schema SET sql = replace(sql, 'id           INTEGER PRIMARY KEY', "
	       "'id INTEGER') WHERE name = 'handovers'; PRAGMA writable_schema=OFF");
	sql(p, "UPDATE handovers SET id = rowid; INSERT INTO handovers SELECT * FROM handovers");
	db = tu_open_as(p, "lead");
	ho_handover *hs = NULL;
	size_t nh = 0;
	assert_int_equal(ho_handovers_list(db, &hs, &nh), HO_OK);
	assert_int_equal(nh, 2);
	int64_t id = hs[0].id;
	assert_int_equal(hs[1].id, id);
	ho_handover_free(hs, nh);

	for (int i = 0; i < ROUNDS; i++) {
		ho_handover h;
		memset(&h, 0xab, sizeof h);
		assert_int_equal(ho_handover_get(db, id, &h), HO_EBADFILE);
		assert_true(all_zero(&h, sizeof h));
		assert_non_null(strstr(ho_errmsg(db), "damaged"));
		ho_function *fs = (ho_function *)&h;
		size_t nf = 99;
		memset(&h, 0xab, sizeof h);
		assert_int_equal(ho_handover_counted(db, id, &h, &fs, &nf), HO_EBADFILE);
		assert_true(all_zero(&h, sizeof h));
		assert_null(fs);
		assert_int_equal(nf, 0);
		/* The document of that handover is refused the same way. */
		char *doc = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&doc, &len);
		ho_print_opts po = {.handover_id = id, .format = HO_FMT_TEXT};
		assert_int_equal(ho_print(db, &po, mem), HO_EBADFILE);
		fclose(mem);
		free(doc);
	}
	assert_nothing_leaked("refused handover look-ups");
	ho_close(db);
}

/* Every list read once on an open file. Returns how many failed. Each
 * failure must leave its output empty. */
static int read_everything(ho_db *db)
{
	int failed = 0;
#define EMPTY_ON_FAILURE(call, out, n, freer)                                                      \
	do {                                                                                       \
		if ((call) != HO_OK) {                                                             \
			failed++;                                                                  \
			assert_null(out);                                                          \
			assert_int_equal(n, 0);                                                    \
		}                                                                                  \
		freer(out, n);                                                                     \
		out = NULL;                                                                        \
		n = 0;                                                                             \
	} while (0)
	ho_person *people = NULL;
	size_t np = 0;
	EMPTY_ON_FAILURE(ho_people_list(db, &people, &np), people, np, ho_person_free);
	ho_handover *hs = NULL;
	size_t nh = 0;
	EMPTY_ON_FAILURE(ho_handovers_list(db, &hs, &nh), hs, nh, ho_handover_free);
	ho_function *fs = NULL;
	size_t nf = 0;
	if (ho_outline(db, 0, &hs, &nh, &fs, &nf) != HO_OK) {
		failed++;
		assert_null(hs);
		assert_int_equal(nh, 0);
		assert_null(fs);
		assert_int_equal(nf, 0);
	}
	ho_handover_free(hs, nh);
	ho_function_free(fs, nf);
	fs = NULL;
	nf = 0;
	if (ho_functions_list(db, 0, &fs, &nf) != HO_OK) {
		failed++;
		assert_null(fs);
		assert_int_equal(nf, 0);
	}
	/* Item ids 1..60 and every function the list gave (or the first few
	 * ids when it failed). */
	for (int64_t fid = 1; fid <= (nf ? (int64_t)nf : 6); fid++) {
		int64_t id = nf ? fs[fid - 1].id : fid;
		ho_function one;
		memset(&one, 0xab, sizeof one);
		if (ho_function_get(db, id, &one) != HO_OK) {
			failed++;
			assert_true(all_zero(&one, sizeof one));
		}
		ho_function_clear(&one);
		for (int filter = HO_FILTER_ALL; filter <= HO_FILTER_OVERDUE; filter++) {
			ho_item *items = NULL;
			size_t ni = 0;
			EMPTY_ON_FAILURE(ho_items_list(db, id, (ho_filter)filter, &items, &ni),
			                 items, ni, ho_item_free);
		}
		ho_gap *g = NULL;
		size_t ng = 0;
		EMPTY_ON_FAILURE(ho_gaps_list(db, 0, id, 0, &g, &ng), g, ng, ho_gap_free);
	}
	ho_function_free(fs, nf);
	for (int64_t item = 1; item <= 60; item++) {
		ho_thread_entry *t = NULL;
		size_t nt = 0;
		EMPTY_ON_FAILURE(ho_thread_list(db, item, &t, &nt), t, nt, ho_thread_free);
		ho_item it;
		memset(&it, 0xab, sizeof it);
		if (ho_item_get(db, item, &it) != HO_OK)
			assert_true(all_zero(&it, sizeof it));
		ho_item_clear(&it);
	}
	ho_gap *g = NULL;
	size_t ng = 0;
	EMPTY_ON_FAILURE(ho_gaps_list(db, 0, 0, 0, &g, &ng), g, ng, ho_gap_free);
	ho_event *e = NULL;
	size_t ne = 0;
	EMPTY_ON_FAILURE(ho_events_list(db, 0, 0, &e, &ne), e, ne, ho_event_free);
	for (int64_t h = 1; h <= 2; h++) {
		ho_handover one;
		memset(&one, 0xab, sizeof one);
		ho_function *hf = NULL;
		size_t nhf = 0;
		if (ho_handover_counted(db, h, &one, &hf, &nhf) != HO_OK) {
			failed++;
			assert_true(all_zero(&one, sizeof one));
			assert_null(hf);
			assert_int_equal(nhf, 0);
		}
		ho_handover_clear(&one);
		ho_function_free(hf, nhf);
	}
#undef EMPTY_ON_FAILURE
	return failed;
}

/* The demo file with one page after another overwritten with noise: reads
 * stop at the damage, some after rows were already read. Every read either
 * works or leaves its output empty, and nothing unreachable behind. */
static void test_part_way_reads_leave_nothing(void **state)
{
	tu_skip_on_pg("pages of a file overwritten with noise: a server has no file to damage");
	ho_db *db = tu_new_file("part-way.db", 0, 1);
	ho_close(db);
	const char *p = tu_path("part-way.db");
	sql(p, "PRAGMA journal_mode=DELETE");
	size_t len;
	char *good = slurp(p, &len);
	size_t page = (size_t)((unsigned char)good[16] << 8 | (unsigned char)good[17]);
	if (page == 1)
		page = 65536;
	size_t pages = len / page;
	assert_true(pages > 10);
	char *bad = malloc(len);
	const char *q = tu_path("part-way-damaged.db");
	int failures = 0, opened = 0;
	/* Page 1 holds the header and schema: damage there is refused at open. */
	for (size_t pg = 1; pg < pages; pg++) {
		memcpy(bad, good, len);
		for (size_t i = 0; i < page; i++)
			bad[pg * page + i] = (char)(i * 7 + 3);
		tu_write_file(q, bad, len);
		ho_db *d = NULL;
		if (ho_open(q, 0, &d) == HO_OK) {
			opened++;
			ho_set_actor(d, "lead");
			failures += read_everything(d);
		}
		ho_close(d);
		assert_nothing_leaked("reads of a damaged file");
	}
	free(bad);
	free(good);
	/* The damage must have made reads fail, or this tested nothing. */
	assert_true(opened > 0);
	assert_true(failures > 0);
	print_message("%zu pages damaged in turn, %d opened, %d reads failed\n", pages - 1, opened,
	              failures);
}

int main(void)
{
	ho_clock_set(1795341600);
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_function_on_several_rows),
	    cmocka_unit_test(test_handover_on_several_rows),
	    cmocka_unit_test(test_part_way_reads_leave_nothing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
