/* What others changed since a person last looked: their own changes left
 * out, the mark moved by looking (not by a date), per handover, nothing
 * remembered for a viewer, and the history and checks unaffected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "handover/changes.h"
#include "handover/testhook.h"

static size_t changes(struct fixture *fx, int64_t handover, int64_t since, ho_change **c)
{
	size_t n = 0, total = 0;
	if (ho_changes(fx->db, handover, since, 0, c, &n, &total) != HO_OK)
		fail_msg("changes: %s", ho_errmsg(fx->db));
	assert_int_equal(n, total);
	return n;
}

static void test_since_last_look(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "changes.db");
	ho_change *c = NULL;
	/* Rita has never looked: everything the lead did is new to her. */
	fx_as(&fx, "rita");
	size_t n = changes(&fx, 0, HO_SINCE_LAST, &c);
	assert_true(n > 5);
	ho_change_free(c, n);
	int64_t at = -1;
	assert_int_equal(ho_seen_at(fx.db, 0, &at), HO_OK);
	assert_int_equal(at, 0);
	assert_int_equal(ho_seen_mark(fx.db, 0), HO_OK);
	assert_int_equal(changes(&fx, 0, HO_SINCE_LAST, &c), 0);
	ho_change_free(c, 0);
	assert_int_equal(ho_seen_at(fx.db, fx.handover, &at), HO_OK);
	assert_int_equal(at, FX_NOW);

	/* Sam marks two items and comments: Rita sees three changes, newest
	 * first, with Sam's name; Sam sees none of his own. */
	ho_clock_set(FX_NOW + 3600);
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger", HO_OK);
	fx_mark(&fx, "FIN-2", HO_ACT_IN_PROGRESS, NULL, HO_OK);
	assert_int_equal(ho_item_comment(fx.db, fx_item(&fx, "FIN-1"), "Tab March"), HO_OK);
	fx_as(&fx, "rita");
	n = changes(&fx, 0, HO_SINCE_LAST, &c);
	assert_int_equal(n, 3);
	assert_string_equal(c[0].action, "comment");
	assert_string_equal(c[2].ref, "FIN-1");
	assert_string_equal(c[2].actor_name, "Sam Sender");
	assert_int_equal(c[2].handover_id, fx.handover);
	assert_int_equal(c[2].item_id, fx_item(&fx, "FIN-1"));
	ho_change_free(c, n);
	/* A date shows them too, and does not move the mark. */
	n = changes(&fx, 0, FX_NOW + 1800, &c);
	assert_int_equal(n, 3);
	ho_change_free(c, n);
	n = changes(&fx, 0, HO_SINCE_LAST, &c);
	assert_int_equal(n, 3);
	ho_change_free(c, n);
	/* Looking at the handover marks them seen. */
	assert_int_equal(ho_seen_mark(fx.db, fx.handover), HO_OK);
	assert_int_equal(changes(&fx, fx.handover, HO_SINCE_LAST, &c), 0);
	ho_change_free(c, 0);
	/* A viewer may ask, and nothing is remembered for them. */
	fx_as(&fx, "stranger");
	assert_int_equal(ho_seen_mark(fx.db, 0), HO_OK);
	assert_int_equal(ho_seen_at(fx.db, 0, &at), HO_OK);
	assert_int_equal(at, 0);
	/* Looking leaves the history and the file's checks as they were. */
	fx_as(&fx, "lead");
	ho_verify_result vr;
	assert_int_equal(ho_verify(fx.db, &vr), HO_OK);
	assert_int_equal(ho_check(fx.db), HO_OK);
	fx_free(&fx);
}

/* The application's bound: the oldest last look (or, never having looked,
 * the newest event); changes after it by others, the same rows as
 * ho_changes, with the function of each item change. */
static void test_changes_after_the_floor(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "after.db");
	fx_as(&fx, "rita");
	int64_t seen = -1, newest = -1;
	assert_int_equal(ho_seen_floor(fx.db, &seen, &newest), HO_OK);
	assert_int_equal(seen, 0);
	assert_true(newest > 5);
	/* Never looked: after the newest event, nothing yet. */
	ho_change *c = NULL;
	size_t n = 9, total = 9;
	assert_int_equal(ho_changes_after(fx.db, newest, 0, &c, &n, &total), HO_OK);
	assert_int_equal(total, 0);
	ho_change_free(c, n);
	assert_int_equal(ho_seen_mark(fx.db, 0), HO_OK);
	assert_int_equal(ho_seen_floor(fx.db, &seen, &newest), HO_OK);
	assert_int_equal(seen, newest);

	ho_clock_set(FX_NOW + 3600);
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger", HO_OK);
	fx_mark(&fx, "FIN-2", HO_ACT_IN_PROGRESS, NULL, HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_OK); /* her own: not listed */
	assert_int_equal(ho_changes_after(fx.db, seen, 1, &c, &n, &total), HO_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1); /* the limit keeps the newest */
	assert_string_equal(c[0].ref, "FIN-2");
	int64_t fin = 0;
	ho_item it;
	assert_int_equal(ho_item_get(fx.db, fx_item(&fx, "FIN-2"), &it), HO_OK);
	fin = it.function_id;
	ho_item_clear(&it);
	assert_int_equal(c[0].function_id, fin);
	ho_change_free(c, n);
	/* The same rows as ho_changes since her last look. */
	assert_int_equal(changes(&fx, 0, HO_SINCE_LAST, &c), 2);
	ho_change_free(c, 2);
	ho_clock_set(FX_NOW);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_since_last_look),
	    cmocka_unit_test(test_changes_after_the_floor),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return failed;
}
