/* Conditions of acceptance with an owner and a due date (schema 008):
 * the defaults (the receiver, the handover's target date), a person or a
 * side, refusals that change nothing, undo, the history's proof of the
 * new columns, and the handover's distribution list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

#define OK(call) assert_int_equal((call), HO_OK)

/* FIN-1 handed over by sam, waiting for rita. */
static void ready(struct fixture *fx, const char *name)
{
	fx_build(fx, name);
	fx_as(fx, "sam");
	fx_mark(fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract", HO_OK);
	fx_as(fx, "rita");
}

/* The condition gap of FIN-1 (asserts there is exactly one). */
static ho_gap condition_gap(struct fixture *fx)
{
	ho_gap *g = NULL, found = {0};
	size_t n = 0, hits = 0;
	OK(ho_gaps_list(fx->db, fx->handover, 0, 0, &g, &n));
	for (size_t i = 0; i < n; i++)
		if (g[i].kind == HO_GAP_CONDITION) {
			hits++;
			found = g[i];
			memset(&g[i], 0, sizeof g[i]);
		}
	ho_gap_free(g, n);
	assert_int_equal(hits, 1);
	return found;
}

/* ho_gap_free() frees the array too: here the one gap is on the stack. */
static void gap_clear(ho_gap *g)
{
	free(g->title);
	free(g->detail);
	free(g->owner_login);
	free(g->owner_name);
	free(g->due_date);
}

static void accept(struct fixture *fx, const char *owner, const char *due, ho_status want)
{
	ho_condition_terms t = {owner, due};
	ho_status st =
	    ho_item_accept_conditions(fx->db, fx_item(fx, "FIN-1"), 0, "Re-run in April", NULL, &t);
	if (st != want)
		fail_msg("accept (%s, %s): %s, wanted %s (%s)", owner ? owner : "-",
		         due ? due : "-", ho_strerror(st), ho_strerror(want), ho_errmsg(fx->db));
}

static void verify_clean(struct fixture *fx)
{
	ho_verify_result vr;
	OK(ho_verify(fx->db, &vr));
	if (vr.mismatches)
		fail_msg("verify: %s", vr.mismatch);
}

/* Before: the condition's owner was the receiver and its date the item's
 * old due date (2026-12-31, the function's), whatever the condition said. */
static void test_defaults_receiver_and_target_date(void **state)
{
	(void)state;
	struct fixture fx;
	ready(&fx, "defaults.db");
	accept(&fx, NULL, NULL, HO_OK);
	ho_gap g = condition_gap(&fx);
	assert_string_equal(g.owner_login, "rita");
	assert_string_equal(g.owner_name, "Rita Receiver");
	assert_string_equal(g.due_date, "2027-04-01");
	gap_clear(&g);
	verify_clean(&fx);
	fx_free(&fx);
}

static void test_owner_person_or_side_and_due(void **state)
{
	(void)state;
	struct fixture fx;
	ready(&fx, "terms.db");
	accept(&fx, "sam", "2027-02-15", HO_OK);
	ho_gap g = condition_gap(&fx);
	assert_string_equal(g.owner_login, "sam");
	assert_string_equal(g.owner_name, "Sam Sender");
	assert_string_equal(g.due_date, "2027-02-15");
	gap_clear(&g);
	/* Undo, then the region as a whole, with a UK date. */
	char ref[24];
	OK(ho_undo(fx.db, ref));
	accept(&fx, "sender-side", "15/03/2027", HO_OK);
	g = condition_gap(&fx);
	assert_string_equal(g.owner_login, "");
	assert_string_equal(g.owner_name, "sender side (NHS England North West)");
	assert_string_equal(g.due_date, "2027-03-15");
	gap_clear(&g);
	verify_clean(&fx);
	fx_free(&fx);
}

/* A bad owner or date is refused and the item stays as it was. */
static void test_bad_terms_change_nothing(void **state)
{
	(void)state;
	struct fixture fx;
	ready(&fx, "refused.db");
	accept(&fx, "nobody", NULL, HO_EUSAGE);
	assert_non_null(strstr(ho_errmsg(fx.db), "nobody"));
	accept(&fx, NULL, "31/02/2027", HO_EUSAGE);
	ho_item it = fx_get(&fx, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	assert_string_equal(it.condition, "");
	ho_item_clear(&it);
	/* One who has left cannot own a condition. */
	fx_as(&fx, "lead");
	int moved = 0;
	OK(ho_person_leave(fx.db, "sue", NULL, &moved));
	fx_as(&fx, "rita");
	accept(&fx, "sue", NULL, HO_ESTATE);
	verify_clean(&fx);
	fx_free(&fx);
}

/* Undo puts back the terms the condition had before it was changed. */
static void test_undo_restores_terms(void **state)
{
	(void)state;
	struct fixture fx;
	ready(&fx, "undo.db");
	accept(&fx, "sam", "2027-02-15", HO_OK);
	/* The receiver changes the terms (accepting again with conditions). */
	accept(&fx, "receiver-side", "2027-05-01", HO_OK);
	ho_gap g = condition_gap(&fx);
	assert_string_equal(g.due_date, "2027-05-01");
	gap_clear(&g);
	char ref[24];
	OK(ho_undo(fx.db, ref));
	g = condition_gap(&fx);
	assert_string_equal(g.owner_login, "sam");
	assert_string_equal(g.due_date, "2027-02-15");
	gap_clear(&g);
	verify_clean(&fx);
	fx_free(&fx);
}

/* The history proves the new columns: one changed outside handover is
 * named by verify. */
static void test_verify_covers_terms(void **state)
{
	(void)state;
	struct fixture fx;
	ready(&fx, "tamper.db");
	accept(&fx, "sam", "2027-02-15", HO_OK);
	fx_as(&fx, "lead");
	ho_cover c = {.distribution = "Regional director; ICB board"};
	OK(ho_handover_set(fx.db, fx.handover, 0, &c));
	ho_handover h;
	OK(ho_handover_get(fx.db, fx.handover, &h));
	assert_string_equal(h.distribution, "Regional director; ICB board");
	ho_handover_clear(&h);
	verify_clean(&fx);
	char path[512];
	snprintf(path, sizeof path, "%s", fx.path);
	fx_free(&fx);

	static const char *const edits[] = {
	    "UPDATE items SET condition_due = '2030-01-01' WHERE condition_due <> ''",
	    "UPDATE handovers SET distribution = 'someone else'"};
	static const char *const named[] = {"condition due", "distribution"};
	for (size_t i = 0; i < 2; i++) {
		tu_edit(path, edits[i]);
		ho_db *db = tu_open_as(path, "lead");
		ho_verify_result vr;
		ho_verify(db, &vr);
		assert_true(vr.mismatches >= 1);
		if (!strstr(vr.mismatch, named[i]))
			fail_msg("verify should name %s: %s", named[i], vr.mismatch);
		ho_close(db);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_receiver_and_target_date),
	    cmocka_unit_test(test_owner_person_or_side_and_due),
	    cmocka_unit_test(test_bad_terms_change_nothing),
	    cmocka_unit_test(test_undo_restores_terms),
	    cmocka_unit_test(test_verify_covers_terms),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return failed;
}
