/* A lead's set-up of a running handover through the core: withdrawn items
 * and functions leave the counts and gaps, edits after review send an item
 * back, moves reorder, and undo puts each of these back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fixture.h"

#define OK(call)                                                                                   \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != HO_OK)                                                                  \
			fail_msg("%s: %s", #call, ho_errmsg(fx_db));                               \
	} while (0)

#define fx_db fx.db
static int total(struct fixture *fxp, int64_t fid)
{
	ho_function f;
	struct fixture fx = *fxp;
	OK(ho_function_get(fx.db, fid, &f));
	int n = f.counts.total;
	ho_function_clear(&f);
	return n;
}

static void test_retire_leaves_counts_and_undo_brings_back(void **state)
{
	struct fixture fx;
	(void)state;
	fx_build(&fx, "retire.db");
	assert_int_equal(total(&fx, fx.fin), 3);
	int64_t id = fx_item(&fx, "FIN-3");
	assert_int_equal(ho_item_retire(fx.db, id, 0, ""), HO_EUSAGE); /* a reason is needed */
	OK(ho_item_retire(fx.db, id, 0, "Covered by FIN-1"));
	assert_int_equal(total(&fx, fx.fin), 2);
	ho_withdrawn *w = NULL;
	size_t n = 0;
	OK(ho_withdrawn_list(fx.db, fx.handover, 0, &w, &n));
	assert_int_equal(n, 1);
	assert_string_equal(w[0].ref, "FIN-3");
	assert_string_equal(w[0].note, "Covered by FIN-1");
	ho_withdrawn_free(w, n);
	/* FIN-3 was overdue on 2026-11-30? Not yet; but no gap names it now. */
	ho_gap *g = NULL;
	OK(ho_gaps_list(fx.db, fx.handover, fx.fin, 0, &g, &n));
	for (size_t i = 0; i < n; i++)
		assert_string_not_equal(g[i].ref, "FIN-3");
	ho_gap_free(g, n);
	/* Never reused. */
	int64_t added = 0;
	OK(ho_item_add(fx.db, fx.fin, "New", "", "", &added));
	ho_item it;
	OK(ho_item_get(fx.db, added, &it));
	assert_string_equal(it.ref, "FIN-4");
	ho_item_clear(&it);
	/* Undo takes the added item away again (withdrawn), then nothing more. */
	char ref[24] = "";
	OK(ho_undo(fx.db, ref));
	assert_string_equal(ref, "FIN-4");
	assert_int_equal(total(&fx, fx.fin), 2);
	assert_int_equal(ho_undo(fx.db, ref), HO_ESTATE);
	/* Withdraw, then undo: back in the counts. */
	OK(ho_item_retire(fx.db, fx_item(&fx, "FIN-2"), 0, "Not needed"));
	assert_int_equal(total(&fx, fx.fin), 1);
	OK(ho_undo(fx.db, ref));
	assert_string_equal(ref, "FIN-2");
	assert_int_equal(total(&fx, fx.fin), 2);
	/* A whole function. */
	OK(ho_function_retire(fx.db, fx.dig, "Stays with the region"));
	ho_function *fs = NULL;
	OK(ho_functions_list(fx.db, fx.handover, &fs, &n));
	assert_int_equal(n, 1);
	ho_function_free(fs, n);
	OK(ho_undo(fx.db, ref));
	assert_string_equal(ref, "DIG");
	OK(ho_functions_list(fx.db, fx.handover, &fs, &n));
	assert_int_equal(n, 2);
	ho_function_free(fs, n);
	ho_verify_result vr;
	OK(ho_verify(fx.db, &vr));
	fx_free(&fx);
}

static void test_edit_after_review_and_undo(void **state)
{
	struct fixture fx;
	(void)state;
	fx_build(&fx, "edit.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger", HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED_CONDITIONS, "Audit first", HO_OK);
	fx_as(&fx, "lead");
	int64_t id = fx_item(&fx, "FIN-1");
	/* A due date alone keeps the review; UK dates are taken. */
	OK(ho_item_edit(fx.db, id, 0, NULL, NULL, "15/12/2026"));
	ho_item it = fx_get(&fx, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_CONDITIONS);
	assert_string_equal(it.due_date, "2026-12-15");
	assert_string_equal(it.own_due, "2026-12-15");
	ho_item_clear(&it);
	assert_int_equal(ho_item_edit(fx.db, id, 0, NULL, NULL, "12/15/2026"), HO_EUSAGE);
	/* New text: back to the receiver, the condition gone. */
	OK(ho_item_edit(fx.db, id, 0, "Reconcile budgets to month 9", NULL, NULL));
	it = fx_get(&fx, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	assert_string_equal(it.condition, "");
	ho_item_clear(&it);
	/* Undo: the old title, the review and its condition back. */
	char ref[24];
	OK(ho_undo(fx.db, ref));
	it = fx_get(&fx, "FIN-1");
	assert_string_equal(it.title, "Reconcile budgets");
	assert_int_equal(it.receiver_state, HO_RECEIVER_CONDITIONS);
	assert_string_equal(it.condition, "Audit first");
	/* Clearing its own date: it inherits the function's again. */
	ho_item_clear(&it);
	OK(ho_item_edit(fx.db, id, 0, NULL, NULL, ""));
	it = fx_get(&fx, "FIN-1");
	assert_string_equal(it.due_date, "2026-12-31");
	ho_item_clear(&it);
	fx_free(&fx);
}

static void test_move_and_undo(void **state)
{
	struct fixture fx;
	(void)state;
	fx_build(&fx, "move.db");
	OK(ho_item_move(fx.db, fx_item(&fx, "FIN-3"), fx_item(&fx, "FIN-1")));
	ho_item *items = NULL;
	size_t n = 0;
	OK(ho_items_list(fx.db, fx.fin, HO_FILTER_ALL, &items, &n));
	assert_int_equal(n, 3);
	assert_string_equal(items[0].ref, "FIN-3");
	assert_string_equal(items[1].ref, "FIN-1");
	assert_string_equal(items[2].ref, "FIN-2");
	ho_item_free(items, n);
	/* Not across functions. */
	assert_int_equal(ho_item_move(fx.db, fx_item(&fx, "FIN-1"), fx_item(&fx, "DIG-1")),
	                 HO_EUSAGE);
	char ref[24];
	OK(ho_undo(fx.db, ref));
	OK(ho_items_list(fx.db, fx.fin, HO_FILTER_ALL, &items, &n));
	assert_string_equal(items[0].ref, "FIN-1");
	assert_string_equal(items[2].ref, "FIN-3");
	ho_item_free(items, n);
	/* Only a lead. */
	fx_as(&fx, "sam");
	assert_int_equal(ho_item_move(fx.db, fx_item(&fx, "FIN-1"), 0), HO_EPERM);
	fx_free(&fx);
}

static void test_closed_handover_is_read_only(void **state)
{
	struct fixture fx;
	(void)state;
	fx_build(&fx, "closed.db");
	OK(ho_handover_close(fx.db, fx.handover, "Paused"));
	assert_int_equal(ho_item_add(fx.db, fx.fin, "Late", "", "", NULL), HO_ESTATE);
	ho_cover c = {.title = "Other"};
	assert_int_equal(ho_handover_set(fx.db, fx.handover, 0, &c), HO_ESTATE);
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_IN_PROGRESS, NULL, HO_ESTATE);
	fx_as(&fx, "lead");
	OK(ho_handover_reopen(fx.db, fx.handover));
	c.marking = "OFFICIAL-SENSITIVE";
	OK(ho_handover_set(fx.db, fx.handover, 0, &c));
	ho_handover h;
	OK(ho_handover_get(fx.db, fx.handover, &h));
	assert_string_equal(h.title, "Other");
	assert_string_equal(h.marking, "OFFICIAL-SENSITIVE");
	assert_int_equal(h.closed_at, 0);
	ho_handover_clear(&h);
	fx_free(&fx);
}

/* The migrations compiled in (schema/NNN-*.sql, in name order). */
struct ho_migration {
	const char *name;
	const char *sql;
};
extern const struct ho_migration ho_migrations[];
extern const size_t ho_migration_count;

/* A file of the format before covers and withdrawals (migrations 001 and
 * 002 only, as an older handover made it) upgrades in place when opened:
 * its rows stay, its handover is marked OFFICIAL, and what this version
 * adds works on it. */
static void test_older_file_upgrades_in_place(void **state)
{
	(void)state;
	tu_skip_on_pg("SQLite's formats 1 and 2 never existed on PostgreSQL; its own upgrade "
	              "(format 2 to 3) is test_robust_state's");
	const char *p = tu_path("old.db");
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(p, &c), SQLITE_OK);
	size_t applied = 0;
	for (size_t i = 0; i < ho_migration_count; i++) {
		if (strncmp(ho_migrations[i].name, "001", 3) != 0 &&
		    strncmp(ho_migrations[i].name, "002", 3) != 0)
			continue;
		assert_int_equal(sqlite3_exec(c, ho_migrations[i].sql, NULL, NULL, NULL),
		                 SQLITE_OK);
		applied++;
	}
	assert_int_equal(applied, 2);
	char setup[600];
	snprintf(
	    setup, sizeof setup,
	    "PRAGMA user_version=2; PRAGMA application_id=%d; "
	    "INSERT INTO meta VALUES ('title', 'Old'); "
	    "INSERT INTO people(login, name, role, created_at) VALUES ('lead', 'Lena', 'lead', 1); "
	    "INSERT INTO handovers(title, created_at) VALUES ('Old handover', 1); "
	    "INSERT INTO functions(handover_id, code, name, position, next_number) "
	    "VALUES (1, 'FIN', 'Finance', 1, 2); "
	    "INSERT INTO items(function_id, number, position, title) VALUES (1, 1, 1, 'Budgets');",
	    0x484f5652);
	assert_int_equal(sqlite3_exec(c, setup, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(c);

	ho_db *db = tu_open_as(p, "lead");
	ho_handover h;
	assert_int_equal(ho_handover_get(db, 1, &h), HO_OK);
	assert_string_equal(h.title, "Old handover");
	assert_string_equal(h.marking, "OFFICIAL");
	assert_int_equal(h.closed_at, 0);
	assert_int_equal(h.counts.total, 1);
	ho_handover_clear(&h);
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 1, "FIN-1", &id), HO_OK);
	assert_int_equal(ho_item_retire(db, id, 0, "Not needed"), HO_OK);
	assert_int_equal(ho_handover_get(db, 1, &h), HO_OK);
	assert_int_equal(h.counts.total, 0);
	ho_handover_clear(&h);
	if (ho_check(db) != HO_OK)
		fail_msg("check: %s", ho_errmsg(db));
	ho_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_retire_leaves_counts_and_undo_brings_back),
	    cmocka_unit_test(test_edit_after_review_and_undo),
	    cmocka_unit_test(test_move_and_undo),
	    cmocka_unit_test(test_closed_handover_is_read_only),
	    cmocka_unit_test(test_older_file_upgrades_in_place),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
