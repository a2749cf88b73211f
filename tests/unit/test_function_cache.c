/* The remembered function list (the per-handle cache behind
 * ho_function_get(), which the permission check uses) must never answer
 * with what another connection, this connection or the passing of a day
 * has made stale. Each test fills the cache, changes what it holds, and
 * reads again: removing any of the cache's validity checks (data_version,
 * this connection's changes, today's date) makes one of them fail. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "handover/testhook.h"

#define OK(db, call)                                                                               \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != HO_OK)                                                                  \
			fail_msg("%s: %s", #call, ho_errmsg(db));                                  \
	} while (0)

/* Fill the cache: the whole-file function list, as the dashboard reads it. */
static void fill_cache(ho_db *db)
{
	ho_function *fs = NULL;
	size_t n = 0;
	OK(db, ho_functions_list(db, 0, &fs, &n));
	assert_true(n >= 2);
	ho_function_free(fs, n);
}

static ho_function function_now(ho_db *db, int64_t id)
{
	ho_function f;
	OK(db, ho_function_get(db, id, &f));
	return f;
}

/* Another connection commits a change: the next read sees it. */
static void test_other_connection_change_is_seen(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "other.db");
	fx_as(&fx, "rita");
	fill_cache(fx.db);
	ho_function f = function_now(fx.db, fx.fin);
	assert_int_equal(f.counts.handed_over, 0);
	ho_function_clear(&f);

	ho_db *sam = tu_open_as(fx.path, "sam");
	int64_t id = 0;
	OK(sam, ho_item_find(sam, fx.handover, "FIN-1", &id));
	OK(sam, ho_item_mark(sam, id, 0, HO_ACT_HANDED_OVER, "Ledger extract", NULL));
	ho_close(sam);

	f = function_now(fx.db, fx.fin);
	assert_int_equal(f.counts.handed_over, 1);
	assert_int_equal(f.counts.pending, 1);
	ho_function_clear(&f);
	ho_function *fs = NULL;
	size_t n = 0;
	OK(fx.db, ho_functions_list(fx.db, fx.handover, &fs, &n));
	assert_int_equal(fs[0].counts.handed_over, 1);
	ho_function_free(fs, n);
	fx_free(&fx);
}

/* Another connection re-pairs the function: the permission check that
 * reads the function through the cache must refuse the old sender. */
static void test_repair_elsewhere_changes_permission(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "repair.db");
	fx_as(&fx, "sam");
	fill_cache(fx.db);
	ho_item it = fx_get(&fx, "FIN-1");
	const char *why = NULL;
	assert_true(ho_can_act(fx.db, &it, HO_ACT_IN_PROGRESS, &why));

	ho_db *lead = tu_open_as(fx.path, "lead");
	OK(lead, ho_pair(lead, fx.handover, "FIN", "sue", NULL));
	ho_close(lead);

	assert_false(ho_can_act(fx.db, &it, HO_ACT_IN_PROGRESS, &why));
	assert_non_null(strstr(why, "sender"));
	ho_item_clear(&it);
	fx_free(&fx);
}

/* This connection's own change: the next read sees it too. */
static void test_own_change_is_seen(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "own.db");
	fx_as(&fx, "sam");
	fill_cache(fx.db);
	fx_mark(&fx, "FIN-2", HO_ACT_NOT_APPLICABLE, "No accruals this year", HO_OK);
	ho_function f = function_now(fx.db, fx.fin);
	assert_int_equal(f.counts.not_applicable, 1);
	ho_function_clear(&f);
	fx_free(&fx);
}

/* Overdue and due soon depend on the day: a cache kept over midnight
 * must count again. FIN-3 is due 2026-11-30. */
static void test_next_day_counts_again(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "day.db");
	fill_cache(fx.db);
	ho_function f = function_now(fx.db, fx.fin);
	assert_int_equal(f.counts.overdue, 0);
	ho_function_clear(&f);

	ho_clock_set(FX_NOW + 9 * 86400); /* 2026-12-01 */
	f = function_now(fx.db, fx.fin);
	assert_int_equal(f.counts.overdue, 1);
	assert_int_equal(f.rag, HO_RAG_RED);
	ho_function_clear(&f);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_other_connection_change_is_seen),
	    cmocka_unit_test(test_repair_elsewhere_changes_permission),
	    cmocka_unit_test(test_own_change_is_seen),
	    cmocka_unit_test(test_next_day_counts_again),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return failed;
}
