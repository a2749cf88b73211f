/* Importing checklist templates from CSV: good files, the export round
 * trip, and malformed files refused with their line number while the
 * handover file stays exactly as it was. */
#define _GNU_SOURCE
#include "handover/report.h"
#include "testutil.h"

#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handover/testhook.h"
#include <cmocka.h>

#define NOW 1795341600 /* 2026-11-22T10:00:00Z */

#define OK(db, call)                                                                               \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != HO_OK)                                                                  \
			fail_msg("%s: %s", #call, ho_errmsg(db));                                  \
	} while (0)

static char db_path[512];
static int64_t handover_id;

/* A handover with FIN (one item) and SGN (signed off by both sides). */
static void build(void)
{
	ho_clock_set(NOW);
	ho_db *db = tu_new_file("import.db", 1, 0);
	snprintf(db_path, sizeof db_path, "%s", tu_path("import.db"));
	int64_t fin, sgn, item;
	OK(db, ho_person_add(db, "sam", "Sam Sender", HO_ROLE_SENDER, ""));
	OK(db, ho_person_add(db, "rita", "Rita Receiver", HO_ROLE_RECEIVER, ""));
	OK(db, ho_handover_add(db, "Dental", "Dental", "", "", "", &handover_id));
	OK(db, ho_function_add(db, handover_id, "FIN", "Finance", "", &fin));
	OK(db, ho_function_add(db, handover_id, "SGN", "Signed off", "", &sgn));
	OK(db, ho_item_add(db, fin, "Existing item", "", "", NULL));
	OK(db, ho_item_add(db, sgn, "Done item", "", "", &item));
	OK(db, ho_pair(db, handover_id, "SGN", "sam", "rita"));
	ho_set_actor(db, "sam");
	OK(db, ho_item_mark(db, item, 0, HO_ACT_HANDED_OVER, "evidence", NULL));
	ho_set_actor(db, "rita");
	OK(db, ho_item_mark(db, item, 0, HO_ACT_ACCEPTED, NULL, NULL));
	OK(db, ho_function_sign(db, sgn));
	ho_set_actor(db, "sam");
	OK(db, ho_function_sign(db, sgn));
	ho_close(db);
}

static int setup(void **state)
{
	(void)state;
	build();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ho_clock_set(0);
	tu_cleanup();
	return 0;
}

static const char *write_csv(const char *text, size_t len)
{
	const char *path = tu_out("in.csv");
	tu_write_file(path, text, len ? len : strlen(text));
	return path;
}

static size_t count_items(ho_db *db)
{
	ho_function *fs = NULL;
	size_t nf = 0, total = 0;
	OK(db, ho_functions_list(db, 0, &fs, &nf));
	for (size_t i = 0; i < nf; i++)
		total += (size_t)fs[i].counts.total;
	ho_function_free(fs, nf);
	return total;
}

/* Import must fail with `want` and a message naming `line`, and leave the
 * file byte for byte as it was, history included. */
static void refused(const char *text, size_t len, const char *as, ho_status want,
                    const char *line_words, const char *words)
{
	char before[65], after[65], head_before[65], head_after[65];
	int64_t events_before, events_after;
	tu_file_hash(db_path, before);
	ho_db *db = tu_open_as(db_path, as);
	OK(db, ho_history_head(db, head_before, &events_before));
	size_t items_before = count_items(db);
	int rows = -1;
	ho_status st = ho_import_csv(db, 0, write_csv(text, len), &rows);
	if (st != want)
		fail_msg("got %s (%s), wanted %s", ho_strerror(st), ho_errmsg(db),
		         ho_strerror(want));
	assert_int_equal(rows, 0);
	if (line_words && !strstr(ho_errmsg(db), line_words))
		fail_msg("\"%s\" does not name \"%s\"", ho_errmsg(db), line_words);
	if (words && !strstr(ho_errmsg(db), words))
		fail_msg("\"%s\" does not say \"%s\"", ho_errmsg(db), words);
	assert_int_equal(count_items(db), items_before);
	OK(db, ho_history_head(db, head_after, &events_after));
	assert_string_equal(head_before, head_after);
	assert_int_equal(events_before, events_after);
	ho_close(db);
	tu_file_hash(db_path, after);
	assert_string_equal(before, after);
}

static void test_malformed_files_change_nothing(void **state)
{
	(void)state;
	const char *head = "Function code,Function name,Item title,Guidance,Due date\r\n";
	char buf[1024];
#define WITH(rows) (snprintf(buf, sizeof buf, "%s%s", head, rows), buf)
	refused(WITH("FIN,,Good row,,\r\nFIN,,Bad \"quote\" here,,\r\n"), 0, "lead", HO_EUSAGE,
	        "line 3", "bad quoting");
	refused(WITH("FIN,,\"Never closed,,\r\nFIN,,x,,\r\n"), 0, "lead", HO_EUSAGE, "line 2",
	        "never closed");
	refused(WITH("FIN,,\"closed\"then,,\r\n"), 0, "lead", HO_EUSAGE, "line 2",
	        "after the closing quote");
	refused("Function code,Colour,Item title\r\nFIN,red,x\r\n", 0, "lead", HO_EUSAGE, "line 1",
	        "unknown column \"Colour\"");
	refused("Function code;Function name;Item title\r\nFIN;Finance;x\r\n", 0, "lead", HO_EUSAGE,
	        "line 1", "comma-separated");
	refused("Function code,Guidance\r\nFIN,x\r\n", 0, "lead", HO_EUSAGE, "line 1",
	        "no \"item title\" column");
	refused(WITH("FIN,,First,,\r\nFIN,,,Guidance without a title,\r\n"), 0, "lead", HO_EUSAGE,
	        "line 3", "item title is missing");
	refused(WITH(",,Orphan,,\r\n"), 0, "lead", HO_EUSAGE, "line 2", "function code is missing");
	refused(WITH("F I N,,x,,\r\n"), 0, "lead", HO_EUSAGE, "line 2", "function code");
	refused(WITH("FIN,,x,,2026-02-30\r\n"), 0, "lead", HO_EUSAGE, "line 2", "not a date");
	refused(WITH("FIN,,x,\r\n"), 0, "lead", HO_EUSAGE, "line 2", "4 cells");
	refused(WITH("FIN,,Zo\xeb,,\r\n"), 0, "lead", HO_EUSAGE, "line 2", "UTF-8");
	refused(WITH("NEW,,x,,\r\n"), 0, "lead", HO_EUSAGE, "line 2", "needs a function name");
	refused(WITH("NEW,New,x,,\r\nNEW,Other,y,,\r\n"), 0, "lead", HO_EUSAGE, "line 3",
	        "named differently");
	refused(head, 0, "lead", HO_EUSAGE, NULL, "no checklist rows");
	refused("", 0, "lead", HO_EUSAGE, NULL, "no checklist rows");
	refused(WITH("FIN,,a\0b,,\r\n"), strlen(head) + 12, "lead", HO_EUSAGE, "line 2", "NUL");
	/* Found only while writing: the rows before it are rolled back too. */
	refused(WITH("NEW,New things,First new item,,\r\nFIN,,Second,,\r\nSGN,,Third,,\r\n"), 0,
	        "lead", HO_ESTATE, "line 4", "signed off");
	/* Only leads import. */
	refused(WITH("FIN,,x,,\r\n"), 0, "sam", HO_EPERM, NULL, NULL);
#undef WITH
	ho_db *db = tu_open_as(db_path, "lead");
	int rows = -1;
	assert_int_equal(ho_import_csv(db, 0, tu_out("missing.csv"), &rows), HO_ENOTFOUND);
	assert_int_equal(ho_import_csv(db, 999, write_csv("x", 1), &rows), HO_ENOTFOUND);
	ho_close(db);
}

static void test_import_template(void **state)
{
	(void)state;
	const char *csv = "\xEF\xBB\xBF"
	                  "function_code,Function Name,item title,GUIDANCE,due date,Ref\r\n"
	                  "FIN,,Accruals listed,\"List accruals, commitments and\n\"\"disputed\"\" "
	                  "payments\",31/12/2026,FIN-9\r\n"
	                  "dig,Digital,System inventory,'=not a formula,2027-01-15,\r\n"
	                  "DIG,,Accounts,,,\r\n"
	                  "DIG,Digital,  Day-one test  ,,,\r\n"
	                  ",,,,,\r\n"
	                  "\r\n";
	ho_db *db = tu_open_as(db_path, "lead");
	int rows = 0;
	size_t before = count_items(db);
	OK(db, ho_import_csv(db, 0, write_csv(csv, 0), &rows));
	assert_int_equal(rows, 4);
	assert_int_equal(count_items(db), before + 4);
	int64_t id;
	ho_item it;
	/* The sheet's ref is free in FIN: the new item keeps it. */
	OK(db, ho_item_find(db, handover_id, "FIN-9", &id));
	OK(db, ho_item_get(db, id, &it));
	assert_string_equal(it.title, "Accruals listed");
	assert_string_equal(it.guidance, "List accruals, commitments and\n\"disputed\" payments");
	assert_string_equal(it.due_date, "2026-12-31");
	ho_item_clear(&it);
	OK(db, ho_item_find(db, handover_id, "DIG-1", &id));
	OK(db, ho_item_get(db, id, &it));
	assert_string_equal(it.guidance, "=not a formula");
	assert_string_equal(it.due_date, "2027-01-15");
	ho_item_clear(&it);
	OK(db, ho_item_find(db, handover_id, "DIG-3", &id));
	OK(db, ho_item_get(db, id, &it));
	assert_string_equal(it.title, "Day-one test");
	ho_item_clear(&it);
	ho_close(db);
}

struct checklist {
	char **lines;
	size_t n;
};

/* The checklist of a handover as comparable lines. */
static void checklist_of(ho_db *db, int64_t hid, struct checklist *c)
{
	ho_function *fs = NULL;
	size_t nf = 0;
	c->lines = NULL;
	c->n = 0;
	OK(db, ho_functions_list(db, hid, &fs, &nf));
	for (size_t i = 0; i < nf; i++) {
		ho_item *items = NULL;
		size_t ni = 0;
		OK(db, ho_items_list(db, fs[i].id, HO_FILTER_ALL, &items, &ni));
		for (size_t j = 0; j < ni; j++) {
			c->lines = realloc(c->lines, (c->n + 1) * sizeof *c->lines);
			if (asprintf(&c->lines[c->n++], "%s|%s|%s|%s|%s|%s|%s", fs[i].code,
			             fs[i].name, fs[i].due_date, items[j].ref, items[j].title,
			             items[j].guidance, items[j].due_date) < 0)
				fail();
		}
		ho_item_free(items, ni);
	}
	ho_function_free(fs, nf);
}

static void checklist_free(struct checklist *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->lines[i]);
	free(c->lines);
}

static void test_export_import_round_trip(void **state)
{
	(void)state;
	/* The pod template, plus the text a spreadsheet mangles most easily. */
	ho_db *src = tu_new_file("source.db", 0, 0);
	ho_handover *hs = NULL;
	size_t nh = 0;
	OK(src, ho_handovers_list(src, &hs, &nh));
	assert_int_equal(nh, 1);
	int64_t hid = hs[0].id, fin = 0;
	ho_handover_free(hs, nh);
	OK(src, ho_function_find(src, hid, "FIN", &fin));
	OK(src, ho_function_set_due(src, fin, 0, "2027-03-31"));
	OK(src,
	   ho_item_add(src, fin, "=SUM(A1:A3) \"quoted\", with commas",
	               "Line one\nLine two, with \"quotes\"\n-5 and +6 and @who\nZoë, Siân, 中文",
	               "2027-01-10", NULL));
	OK(src, ho_item_add(src, fin, "'Already quoted", "'=also", "", NULL));
	const char *csv_path = tu_out("export.csv");
	FILE *f = fopen(csv_path, "wb");
	OK(src, ho_export_csv(src, f));
	fclose(f);

	ho_db *dst = tu_new_file("target.db", 1, 0);
	int64_t dst_hid = 0;
	OK(dst, ho_handover_add(dst, "Copy", "", "", "", "", &dst_hid));
	int rows = 0;
	OK(dst, ho_import_csv(dst, dst_hid, csv_path, &rows));

	struct checklist a, b;
	checklist_of(src, hid, &a);
	checklist_of(dst, dst_hid, &b);
	assert_int_equal(rows, (int)a.n);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		assert_string_equal(a.lines[i], b.lines[i]);
	checklist_free(&a);
	checklist_free(&b);
	ho_close(src);
	ho_close(dst);
}

static void export_to(ho_db *db, const char *path)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	OK(db, ho_export_csv(db, f));
	fclose(f);
}

static int64_t events_of(ho_db *db)
{
	char head[65];
	int64_t n = 0;
	OK(db, ho_history_head(db, head, &n));
	return n;
}

/* Export, import into the same file: nothing added, nothing changed, not
 * one event; every due date (the function's, an item's own) kept. Before,
 * this doubled every item. */
static void test_reimport_unchanged_export_changes_nothing(void **state)
{
	(void)state;
	ho_db *db = tu_new_file("same.db", 0, 0);
	int64_t hid = 1, fin = 0, own = 0;
	OK(db, ho_function_find(db, hid, "FIN", &fin));
	OK(db, ho_function_set_due(db, fin, 0, "2027-03-31"));
	OK(db, ho_item_add(db, fin, "Own date", "", "2027-01-10", &own));
	size_t items = count_items(db);
	const char *csv = tu_out("same.csv");
	export_to(db, csv);
	int64_t events = events_of(db);
	ho_import_result res;
	OK(db, ho_import(db, 0, csv, 0, &res));
	assert_int_equal(res.added, 0);
	assert_int_equal(res.changed, 0);
	assert_int_equal(res.same, (int)items);
	assert_int_equal(res.nlines, 0);
	ho_import_result_clear(&res);
	assert_int_equal(count_items(db), items);
	assert_int_equal(events_of(db), events);
	ho_item it;
	OK(db, ho_item_get(db, own, &it));
	assert_string_equal(it.due_date, "2027-01-10");
	ho_item_clear(&it);
	ho_close(db);
}

/* An edited sheet: the edited row changes its item (with history), a row
 * without a ref adds one, the dry run says so first and writes nothing,
 * and the same sheet again changes nothing. */
static void test_reimport_edited_sheet(void **state)
{
	(void)state;
	ho_db *db = tu_new_file("edit.db", 0, 0);
	const char *csv = tu_out("edit.csv");
	/* The template handover's title, whatever it is. */
	ho_handover h = {0};
	OK(db, ho_handover_get(db, 1, &h));
	char *text = NULL;
	assert_true(asprintf(&text,
	                     "Handover ID,Handover,Function code,Function name,Ref,Item title,"
	                     "Guidance,Due date\r\n"
	                     "1,%s,FIN,Finance,FIN-2,Renamed,New guidance,15/12/2026\r\n"
	                     "1,%s,FIN,Finance,,Brand new,,\r\n",
	                     h.title, h.title) > 0);
	ho_handover_clear(&h);
	tu_write_file(csv, text, strlen(text));
	free(text);
	size_t items = count_items(db);
	char before[65], after[65];
	ho_close(db);
	tu_file_hash(tu_path("edit.db"), before);
	db = tu_open_as(tu_path("edit.db"), "lead");
	ho_import_result res;
	OK(db, ho_import(db, 0, csv, 1, &res));
	assert_int_equal(res.added, 1);
	assert_int_equal(res.changed, 1);
	assert_int_equal(res.same, 0);
	assert_int_equal(res.nlines, 2);
	assert_string_equal(res.lines[0], "change FIN-2: title guidance due date");
	assert_non_null(strstr(res.lines[1], "add FIN-"));
	ho_import_result_clear(&res);
	ho_close(db);
	tu_file_hash(tu_path("edit.db"), after);
	assert_string_equal(before, after);

	db = tu_open_as(tu_path("edit.db"), "lead");
	int64_t events = events_of(db);
	OK(db, ho_import(db, 0, csv, 0, &res));
	assert_int_equal(res.added, 1);
	assert_int_equal(res.changed, 1);
	ho_import_result_clear(&res);
	assert_int_equal(events_of(db), events + 2);
	assert_int_equal(count_items(db), items + 1);
	int64_t id;
	ho_item it;
	OK(db, ho_item_find(db, 1, "FIN-2", &id));
	OK(db, ho_item_get(db, id, &it));
	assert_string_equal(it.title, "Renamed");
	assert_string_equal(it.guidance, "New guidance");
	assert_string_equal(it.due_date, "2026-12-15");
	ho_item_clear(&it);
	ho_event *ev = NULL;
	size_t nev = 0;
	OK(db, ho_events_list(db, id, 0, &ev, &nev));
	assert_string_equal(ev[nev - 1].action, "item-edit");
	ho_event_free(ev, nev);

	OK(db, ho_import(db, 0, csv, 0, &res));
	assert_int_equal(res.added, 0);
	assert_int_equal(res.changed, 0);
	assert_int_equal(res.same, 2);
	ho_import_result_clear(&res);
	assert_int_equal(count_items(db), items + 1);
	ho_close(db);
}

/* An empty file and a sheet naming its handovers: the import builds them,
 * refs kept, and a second handover of the same codes stays apart. */
static void test_import_builds_handovers(void **state)
{
	(void)state;
	ho_db *db = tu_new_file("empty.db", 1, 0);
	const char *csv = tu_out("programme.csv");
	const char *text = "Handover,Function code,Function name,Function due date,Ref,Item "
	                   "title,Due date\r\n"
	                   "Dental,FIN,Finance,2027-03-31,FIN-1,Accruals,\r\n"
	                   "Dental,FIN,Finance,2027-03-31,FIN-4,Budget,2027-01-10\r\n"
	                   "Optometry,FIN,Finance,,,Accruals,\r\n";
	tu_write_file(csv, text, strlen(text));
	ho_import_result res;
	OK(db, ho_import(db, 0, csv, 0, &res));
	assert_int_equal(res.added, 3);
	assert_int_equal(res.handovers_added, 2);
	assert_int_equal(res.functions_added, 2);
	ho_import_result_clear(&res);
	ho_handover *hs = NULL;
	size_t nh = 0;
	OK(db, ho_handovers_list(db, &hs, &nh));
	assert_int_equal(nh, 2);
	assert_string_equal(hs[0].title, "Dental");
	assert_string_equal(hs[1].title, "Optometry");
	int64_t dental = hs[0].id;
	ho_handover_free(hs, nh);
	int64_t id;
	ho_item it;
	OK(db, ho_item_find(db, dental, "FIN-4", &id));
	OK(db, ho_item_get(db, id, &it));
	assert_string_equal(it.due_date, "2027-01-10");
	ho_item_clear(&it);
	OK(db, ho_item_find(db, dental, "FIN-1", &id));
	OK(db, ho_item_get(db, id, &it));
	assert_string_equal(it.due_date, "2027-03-31");
	ho_item_clear(&it);
	OK(db, ho_import(db, 0, csv, 0, &res));
	assert_int_equal(res.added, 0);
	assert_int_equal(res.changed, 0);
	assert_int_equal(res.handovers_added, 0);
	ho_import_result_clear(&res);
	ho_close(db);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_malformed_files_change_nothing),
	    cmocka_unit_test(test_import_template),
	    cmocka_unit_test(test_export_import_round_trip),
	    cmocka_unit_test(test_reimport_unchanged_export_changes_nothing),
	    cmocka_unit_test(test_reimport_edited_sheet),
	    cmocka_unit_test(test_import_builds_handovers),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
