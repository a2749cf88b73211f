/* ho_copy and its table list (store_copy.c): the list names every column of
 * every table of the schema, so no migration can add one a copy would
 * drop; a copy into a new file has its source's history head and state
 * digest; a target that exists is refused unchanged; a copy that fails
 * half-way leaves no file and no temporary file. The source is a test
 * "file" (a PostgreSQL database under HO_TEST_ENGINE=postgresql), the
 * target always a file. */
#include <dirent.h>
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

#include "store.h"
#include "testutil.h"

const char *tu_pg(void);

static const struct store_copy_table *listed(const char *name)
{
	for (size_t i = 0; i < store_copy_table_count; i++)
		if (strcmp(store_copy_tables[i].name, name) == 0)
			return &store_copy_tables[i];
	return NULL;
}

/* Every table SQLite's schema makes, with every column in order, is in the
 * list, and the list has nothing else (meta and person_roles name their
 * rowid first, which the history's rows name). */
static void test_list_is_the_schema(void **state)
{
	(void)state;
	char path[600];
	snprintf(path, sizeof path, "%s/schema.db", tu_dir());
	ho_db *db = NULL;
	assert_int_equal(ho_open(path, HO_OPEN_CREATE, &db), HO_OK);
	ho_close(db);
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *t = NULL, *col = NULL;
	assert_int_equal(sqlite3_prepare_v2(c,
	                                    "SELECT name FROM sqlite_schema WHERE type = 'table' "
	                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name",
	                                    -1, &t, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT name FROM pragma_table_info(?) ORDER BY cid",
	                                    -1, &col, NULL),
	                 SQLITE_OK);
	size_t tables = 0;
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(t, 0);
		const struct store_copy_table *l = listed(name);
		if (!l)
			fail_msg("table %s is not in store_copy_tables: a copy would drop it",
			         name);
		char cols[1024] = "";
		size_t n = 0;
		if (strcmp(name, "meta") == 0 || strcmp(name, "person_roles") == 0)
			n = (size_t)snprintf(cols, sizeof cols, "rowid");
		sqlite3_bind_text(col, 1, name, -1, SQLITE_TRANSIENT);
		while (sqlite3_step(col) == SQLITE_ROW)
			n += (size_t)snprintf(cols + n, sizeof cols - n, "%s%s", n ? ", " : "",
			                      (const char *)sqlite3_column_text(col, 0));
		sqlite3_reset(col);
		assert_string_equal(l->cols, cols);
		tables++;
	}
	assert_int_equal(tables, store_copy_table_count);
	sqlite3_finalize(col);
	sqlite3_finalize(t);
	sqlite3_close(c);
}

static void test_statements(void **state)
{
	(void)state;
	const struct store_copy_table *seen = listed("seen"), *items = listed("items");
	assert_non_null(seen);
	assert_non_null(items);
	char sql[1536];
	assert_int_equal(store_copy_select_sql(seen, sql, sizeof sql), 0);
	assert_string_equal(sql, "SELECT person_id, handover_id, event_id, at FROM seen ORDER BY "
	                         "person_id, handover_id, event_id, at");
	assert_int_equal(store_copy_insert_sql(seen, sql, sizeof sql), 0);
	assert_string_equal(sql, "INSERT INTO seen(person_id, handover_id, event_id, at) VALUES "
	                         "(:c0, :c1, :c2, :c3)");
	assert_int_equal(store_copy_ncols(items), 20);
	assert_int_equal(store_copy_insert_sql(items, sql, sizeof sql), 0);
	assert_non_null(strstr(sql, ":c19)"));
	assert_null(strstr(sql, ":c20"));
	assert_int_equal(store_copy_select_sql(items, sql, sizeof sql), 0);
	assert_non_null(strstr(sql, "FROM items ORDER BY id"));
	/* Cut short, never written past. */
	char small[40];
	assert_int_equal(store_copy_insert_sql(items, small, sizeof small), -1);
	assert_int_equal(store_copy_select_sql(items, small, sizeof small), -1);
}

static void verify_of(ho_db *db, ho_verify_result *r)
{
	memset(r, 0, sizeof *r);
	assert_int_equal(ho_verify(db, r), HO_OK);
}

static void test_round_trip(void **state)
{
	(void)state;
	ho_db *src = tu_new_file("copy_src", 0, 1);
	char out[600], again[600];
	snprintf(out, sizeof out, "%s/copy.db", tu_dir());
	snprintf(again, sizeof again, "%s/again.db", tu_dir());
	unlink(out);
	unlink(again);
	ho_copy_result res;
	assert_int_equal(ho_copy(src, out, &res), HO_OK);
	assert_true(res.events > 0);
	assert_true(res.rows > res.events);
	ho_db *dst = tu_open_as(out, "lead");
	ho_verify_result a, b;
	verify_of(src, &a);
	verify_of(dst, &b);
	assert_int_equal(a.events, b.events);
	assert_string_equal(a.head, b.head);
	assert_string_equal(a.state, b.state);
	assert_string_equal(res.head, a.head);
	assert_string_equal(res.state, a.state);
	/* The copy is a working file: it goes on from the copied history. */
	int64_t id = 0;
	assert_int_equal(ho_item_add(dst, 1, "After the copy", "", "", &id), HO_OK);
	assert_true(id > 0);
	/* And copies again, file to file. */
	assert_int_equal(ho_copy(dst, again, NULL), HO_OK);
	ho_close(dst);

	/* A target that exists is refused and left as it was. */
	char before[65], after[65];
	tu_file_hash(out, before);
	assert_int_equal(ho_copy(src, out, NULL), HO_EEXIST);
	assert_non_null(strstr(ho_errmsg(src), "already exists"));
	tu_file_hash(out, after);
	assert_string_equal(before, after);
	/* A folder that is not there. */
	char nowhere[600];
	snprintf(nowhere, sizeof nowhere, "%s/no/such/folder/copy.db", tu_dir());
	assert_int_equal(ho_copy(src, nowhere, NULL), HO_EBADFILE);
	ho_close(src);
}

/* Nothing in the folder but what the test put there. */
static int temp_files_in(const char *dir, const char *stem)
{
	int n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		if (e->d_name[0] == '.' && strstr(e->d_name, stem))
			n++;
	if (d)
		closedir(d);
	return n;
}

static void test_half_way_leaves_nothing(void **state)
{
	(void)state;
	if (tu_pg())
		skip(); /* the source is edited with sqlite3: a file's test */
	ho_db *src = tu_new_file("copy_odd", 0, 1);
	ho_close(src);
	/* A value handover never writes, in the last item: every table before
	 * items has gone into the target when it is found. */
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(tu_path("copy_odd"), &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c,
	                              "UPDATE items SET position = 1.5 WHERE id = (SELECT max(id) "
	                              "FROM items)",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(c);
	src = tu_open_as(tu_path("copy_odd"), "lead");
	char out[600];
	snprintf(out, sizeof out, "%s/odd-copy.db", tu_dir());
	assert_int_equal(ho_copy(src, out, NULL), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(src), "copying items"));
	struct stat sb;
	assert_int_not_equal(lstat(out, &sb), 0);
	assert_int_equal(temp_files_in(tu_dir(), "odd-copy.db"), 0);
	ho_close(src);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_list_is_the_schema),
	    cmocka_unit_test(test_statements),
	    cmocka_unit_test(test_round_trip),
	    cmocka_unit_test(test_half_way_leaves_nothing),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
