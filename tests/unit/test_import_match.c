/* The import matcher on its own: rows of a sheet against a snapshot of a
 * file's checklist, as a table of cases (no database). */
#include "import_match.h"

#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

/* One handover: FIN (due 2027-03-31; items 1, 2 and 5, item 2 due on its
 * own date) and SGN (signed off, item 1). */
static struct im_snapshot *snapshot(void)
{
	static struct im_item fin_items[] = {
	    {1, "Accruals", "List them", ""},
	    {2, "Budget", "", "2027-01-10"},
	    {5, "Contracts", "", ""},
	};
	static struct im_item sgn_items[] = {{1, "Done", "", ""}};
	static struct im_snapshot snap;
	static struct im_handover h;
	struct im_function *fs = calloc(2, sizeof *fs);
	fs[0] = (struct im_function){.id = 10,
	                             .code = "FIN",
	                             .name = "Finance",
	                             .due = "2027-03-31",
	                             .next_number = 6,
	                             .items = fin_items,
	                             .nitems = 3};
	fs[1] = (struct im_function){.id = 11,
	                             .code = "SGN",
	                             .name = "Signed",
	                             .due = "",
	                             .next_number = 2,
	                             .is_signed = 1,
	                             .items = sgn_items,
	                             .nitems = 1};
	h = (struct im_handover){.functions = fs, .nfunctions = 2};
	snap = (struct im_snapshot){.handovers = &h, .nhandovers = 1};
	return &snap;
}

static void snapshot_free(struct im_snapshot *snap)
{
	free(snap->handovers[0].functions);
}

#define ROW(line, code, ref, title, guidance, due)                                                 \
	{                                                                                          \
		line, 0, code, "", ref, title, guidance, due, ""                                   \
	}

static const struct im_columns all = {1, 1, 1};

struct want {
	enum im_what what;
	long item;
	int number;
	unsigned changed;
	const char *own_due;
};

struct match_case {
	const char *name;
	struct im_row rows[4];
	size_t n;
	struct im_columns cols;
	int rc;
	const char *err; /* words the refusal says */
	struct want want[4];
};

static const struct match_case cases[] = {
    {"unchanged export: every row is its item",
     {ROW(2, "FIN", "FIN-1", "Accruals", "List them", "2027-03-31"),
      ROW(3, "FIN", "FIN-2", "Budget", "", "2027-01-10"),
      ROW(4, "FIN", "FIN-5", "Contracts", "", "2027-03-31")},
     3,
     {1, 1, 1},
     0,
     NULL,
     {{IM_SAME, 0, 0, 0, NULL}, {IM_SAME, 1, 0, 0, NULL}, {IM_SAME, 2, 0, 0, NULL}}},
    {"edited title, guidance and due date change the item",
     {ROW(2, "FIN", "FIN-1", "Accruals listed", "List all", "2027-02-01"),
      ROW(3, "FIN", "FIN-2", "Budget", "", "2027-03-31")},
     2,
     {1, 1, 1},
     0,
     NULL,
     {{IM_CHANGE, 0, 0, IM_TITLE | IM_GUIDANCE | IM_DUE, "2027-02-01"},
      /* back to the function's date: it inherits again */
      {IM_CHANGE, 1, 0, IM_DUE, ""}}},
    {"an empty due cell inherits the function's date: no change",
     {ROW(2, "FIN", "FIN-1", "Accruals", "List them", "")},
     1,
     {1, 1, 1},
     0,
     NULL,
     {{IM_SAME, 0, 0, 0, NULL}}},
    {"absent columns leave guidance and dates alone",
     {ROW(2, "FIN", "FIN-1", "Accruals", "", "")},
     1,
     {0, 0, 0},
     0,
     NULL,
     {{IM_SAME, 0, 0, 0, NULL}}},
    {"no ref: matched by title, else added at the next number",
     {ROW(2, "FIN", "", "Contracts", "", ""), ROW(3, "FIN", "", "New one", "", "2026-12-15")},
     2,
     {1, 1, 1},
     0,
     NULL,
     {{IM_SAME, 2, 0, 0, NULL}, {IM_ADD, -1, 6, 0, "2026-12-15"}}},
    {"a free ref keeps its number; rows without one never take it",
     {ROW(2, "FIN", "", "First new", "", ""), ROW(3, "FIN", "FIN-6", "Second new", "", "")},
     2,
     {1, 1, 1},
     0,
     NULL,
     {{IM_ADD, -1, 7, 0, ""}, {IM_ADD, -1, 6, 0, ""}}},
    {"a ref matches before a title: the titled row adds",
     {ROW(2, "FIN", "", "Accruals", "", ""), ROW(3, "FIN", "FIN-1", "Accruals", "", "")},
     2,
     {0, 0, 0},
     0,
     NULL,
     {{IM_ADD, -1, 6, 0, ""}, {IM_SAME, 0, 0, 0, NULL}}},
    {"lower-case ref",
     {ROW(2, "FIN", "fin-5", "Contracts", "", "")},
     1,
     {0, 0, 0},
     0,
     NULL,
     {{IM_SAME, 2, 0, 0, NULL}}},
    {"a new function",
     {ROW(2, "NEW", "", "x", "", "")},
     1,
     {0, 0, 0},
     IM_EBADROW,
     "needs a function name",
     {{0}}},
    {"the same ref twice",
     {ROW(2, "FIN", "FIN-1", "Accruals", "", ""), ROW(3, "FIN", "FIN-1", "Again", "", "")},
     2,
     {0, 0, 0},
     IM_EBADROW,
     "line 3: FIN-1 is already on line 2",
     {{0}}},
    {"the same new ref twice",
     {ROW(2, "FIN", "FIN-9", "a", "", ""), ROW(3, "FIN", "FIN-9", "b", "", "")},
     2,
     {0, 0, 0},
     IM_EBADROW,
     "line 3: FIN-9 appears twice",
     {{0}}},
    {"a ref of another function",
     {ROW(2, "FIN", "SGN-1", "x", "", "")},
     1,
     {0, 0, 0},
     IM_EBADROW,
     "not an item of function FIN",
     {{0}}},
    {"a ref that is no ref",
     {ROW(2, "FIN", "FIN-x", "x", "", "")},
     1,
     {0, 0, 0},
     IM_EBADROW,
     "line 2",
     {{0}}},
    {"a signed function cannot change",
     {ROW(4, "SGN", "SGN-1", "Done again", "", "")},
     1,
     {0, 0, 0},
     IM_ESIGNED,
     "line 4: SGN is signed off",
     {{0}}},
    {"a signed function left alone is fine",
     {ROW(4, "SGN", "SGN-1", "Done", "", "")},
     1,
     {0, 0, 0},
     0,
     NULL,
     {{IM_SAME, 0, 0, 0, NULL}}},
};

static void test_match_table(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
		const struct match_case *mc = &cases[c];
		struct im_snapshot *snap = snapshot();
		struct im_plan plan;
		char err[300];
		int rc = im_match(snap, &mc->cols, mc->rows, mc->n, &plan, err, sizeof err);
		if (rc != mc->rc)
			fail_msg("%s: rc %d (%s), wanted %d", mc->name, rc, err, mc->rc);
		if (rc != 0) {
			if (!strstr(err, mc->err))
				fail_msg("%s: \"%s\" does not say \"%s\"", mc->name, err, mc->err);
			snapshot_free(snap);
			continue;
		}
		for (size_t i = 0; i < mc->n; i++) {
			const struct im_decision *d = &plan.rows[i];
			const struct want *w = &mc->want[i];
			if (d->what != w->what || d->item != w->item ||
			    (w->what == IM_ADD && d->number != w->number) ||
			    (w->what == IM_CHANGE && d->changed != w->changed))
				fail_msg("%s, row %zu: what %d item %ld number %d changed %u",
				         mc->name, i, d->what, d->item, d->number, d->changed);
			if (w->own_due && strcmp(d->own_due, w->own_due) != 0)
				fail_msg("%s, row %zu: own due \"%s\", wanted \"%s\"", mc->name, i,
				         d->own_due, w->own_due);
		}
		im_plan_free(&plan);
		snapshot_free(snap);
	}
}

/* A function's due date from the sheet: changed once, the items that
 * inherit it follow without changing, and two dates for one function are
 * refused. */
static void test_match_function_due(void **state)
{
	(void)state;
	struct im_snapshot *snap = snapshot();
	struct im_row rows[] = {
	    {2, 0, "FIN", "", "FIN-1", "Accruals", "List them", "", "2027-04-30"},
	    {3, 0, "FIN", "", "FIN-2", "Budget", "", "2027-01-10", "2027-04-30"},
	    {4, 0, "NEW", "New things", "", "x", "", "", "2027-05-01"},
	};
	struct im_plan plan;
	char err[300];
	assert_int_equal(im_match(snap, &all, rows, 3, &plan, err, sizeof err), 0);
	assert_int_equal(plan.nfunctions, 2);
	assert_int_equal(plan.functions[0].due_changed, 1);
	assert_string_equal(plan.functions[0].due, "2027-04-30");
	assert_int_equal(plan.functions[1].added, 1);
	assert_string_equal(plan.functions[1].name, "New things");
	assert_string_equal(plan.functions[1].due, "2027-05-01");
	assert_int_equal(plan.rows[0].what, IM_SAME);
	assert_int_equal(plan.rows[1].what, IM_SAME);
	assert_int_equal(plan.rows[2].what, IM_ADD);
	assert_int_equal(plan.rows[2].number, 1);
	assert_int_equal(plan.same, 2);
	assert_int_equal(plan.added, 1);
	im_plan_free(&plan);
	free(snap->handovers[0].functions);

	snap = snapshot();
	struct im_row clash[] = {
	    {2, 0, "FIN", "", "FIN-1", "Accruals", "", "", "2027-04-30"},
	    {3, 0, "FIN", "", "FIN-2", "Budget", "", "", "2027-05-31"},
	};
	assert_int_equal(im_match(snap, &all, clash, 2, &plan, err, sizeof err), IM_EBADROW);
	assert_non_null(strstr(err, "line 3: function FIN is due 2027-05-31"));
	snapshot_free(snap);
}

/* Two dates for one function are refused even when the first is the date
 * the file already has: the sheet is as contradictory, and taking the
 * second meant that importing the same sheet again was refused. */
static void test_match_function_due_clash_with_own_date(void **state)
{
	(void)state;
	struct im_snapshot *snap = snapshot();
	struct im_row rows[] = {
	    {2, 0, "FIN", "", "FIN-1", "Accruals", "List them", "", "2027-03-31"},
	    {3, 0, "FIN", "", "FIN-2", "Budget", "", "2027-01-10", "2027-05-31"},
	};
	struct im_plan plan;
	char err[300];
	assert_int_equal(im_match(snap, &all, rows, 2, &plan, err, sizeof err), IM_EBADROW);
	assert_non_null(strstr(
	    err, "line 3: function FIN is due 2027-05-31 here but 2027-03-31 on an earlier"));
	assert_null(plan.rows);
	snapshot_free(snap);

	/* The same date on every row, the file's own: nothing to change. */
	snap = snapshot();
	rows[1].function_due = "2027-03-31";
	assert_int_equal(im_match(snap, &all, rows, 2, &plan, err, sizeof err), 0);
	for (size_t i = 0; i < plan.nfunctions; i++)
		assert_false(plan.functions[i].added || plan.functions[i].due_changed);
	assert_int_equal(plan.same, 2);
	im_plan_free(&plan);
	snapshot_free(snap);
}

/* A function whose next number is the largest there is (a file edited by
 * hand) takes one new item and refuses the next, rather than count past
 * the end. */
static void test_match_numbers_run_out(void **state)
{
	(void)state;
	struct im_snapshot *snap = snapshot();
	snap->handovers[0].functions[0].next_number = INT_MAX;
	struct im_row rows[] = {
	    ROW(2, "FIN", "", "Pensions", "", ""),
	    ROW(3, "FIN", "", "Payroll", "", ""),
	};
	struct im_plan plan;
	char err[300];
	assert_int_equal(im_match(snap, &all, rows, 1, &plan, err, sizeof err), 0);
	assert_int_equal(plan.rows[0].what, IM_ADD);
	assert_int_equal(plan.rows[0].number, INT_MAX);
	im_plan_free(&plan);
	snapshot_free(snap);

	snap = snapshot();
	snap->handovers[0].functions[0].next_number = INT_MAX;
	assert_int_equal(im_match(snap, &all, rows, 2, &plan, err, sizeof err), IM_EBADROW);
	assert_non_null(strstr(err, "line 3: function FIN has no item number left"));
	assert_null(plan.rows);
	snapshot_free(snap);
}

static void test_parse_ref(void **state)
{
	(void)state;
	char code[16];
	int n = 0;
	assert_int_equal(im_parse_ref("FIN-12", code, &n), 0);
	assert_string_equal(code, "FIN");
	assert_int_equal(n, 12);
	assert_int_equal(im_parse_ref("dig2-3", code, &n), 0);
	assert_string_equal(code, "DIG2");
	const char *bad[] = {
	    "", "FIN", "FIN-", "-3", "FIN-0", "FIN-3a", "FIN-999999999999", "ABCDEFGHIJKLMNOPQ-1"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		if (im_parse_ref(bad[i], code, &n) == 0)
			fail_msg("\"%s\" taken for a ref", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_match_table),
	    cmocka_unit_test(test_match_function_due),
	    cmocka_unit_test(test_match_function_due_clash_with_own_date),
	    cmocka_unit_test(test_match_numbers_run_out),
	    cmocka_unit_test(test_parse_ref),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
