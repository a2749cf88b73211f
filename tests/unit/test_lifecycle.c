/* The item life cycle, permissions per role, conflicts, gaps, readiness,
 * sign-off and undo. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"

static void expect_state(struct fixture *fx, const char *ref, ho_sender_state s,
                         ho_receiver_state r)
{
	ho_item it = fx_get(fx, ref);
	if (it.sender_state != s || it.receiver_state != r)
		fail_msg("%s is %s / %s, wanted %s / %s", ref,
		         ho_sender_state_name(it.sender_state),
		         ho_receiver_state_name(it.receiver_state), ho_sender_state_name(s),
		         ho_receiver_state_name(r));
	ho_item_clear(&it);
}

static void test_full_walk(void **state)
{
	struct fixture fx;
	fx_build(&fx, "walk.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_IN_PROGRESS, NULL, HO_OK);
	expect_state(&fx, "FIN-1", HO_SENDER_IN_PROGRESS, HO_RECEIVER_NONE);
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract FIN-R-1", HO_OK);
	expect_state(&fx, "FIN-1", HO_SENDER_HANDED_OVER, HO_RECEIVER_PENDING);

	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_GAP, "Where is the March accrual?", HO_OK);
	expect_state(&fx, "FIN-1", HO_SENDER_IN_PROGRESS, HO_RECEIVER_GAP);
	ho_item it = fx_get(&fx, "FIN-1");
	assert_int_equal(it.open_queries, 1);
	ho_item_clear(&it);

	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Accrual schedule added", HO_OK);
	expect_state(&fx, "FIN-1", HO_SENDER_HANDED_OVER, HO_RECEIVER_PENDING);
	it = fx_get(&fx, "FIN-1");
	assert_int_equal(it.open_queries, 1); /* open until accepted */
	assert_string_equal(it.evidence, "Accrual schedule added");
	ho_item_clear(&it);

	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_OK);
	expect_state(&fx, "FIN-1", HO_SENDER_HANDED_OVER, HO_RECEIVER_ACCEPTED);
	it = fx_get(&fx, "FIN-1");
	assert_int_equal(it.open_queries, 0);
	ho_item_clear(&it);

	/* The rest of FIN: N/A accepted, and accepted with conditions. */
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-2", HO_ACT_NOT_APPLICABLE, "No accruals this year", HO_OK);
	fx_mark(&fx, "FIN-3", HO_ACT_HANDED_OVER, "Signatory list v2", HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-2", HO_ACT_ACCEPTED, NULL, HO_OK);
	/* Not ready yet: sign-off refused. */
	assert_int_equal(ho_function_sign(fx.db, fx.fin), HO_ESTATE);
	fx_mark(&fx, "FIN-3", HO_ACT_ACCEPTED_CONDITIONS, "Bank mandate by 1 April", HO_OK);

	ho_function f;
	assert_int_equal(ho_function_get(fx.db, fx.fin, &f), HO_OK);
	assert_int_equal(f.counts.total, 3);
	assert_int_equal(f.counts.done, 3);
	assert_int_equal(f.counts.conditions, 1);
	ho_function *fp = malloc(sizeof f);
	*fp = f;
	ho_function_free(fp, 1);

	assert_int_equal(ho_function_sign(fx.db, fx.fin), HO_OK);
	assert_int_equal(ho_function_sign(fx.db, fx.fin), HO_ESTATE); /* twice */
	fx_as(&fx, "sam");
	assert_int_equal(ho_function_sign(fx.db, fx.fin), HO_OK);
	/* Signed: items are final. */
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_GAP, "late question", HO_ESTATE);

	/* The lead signs the handover only when every function is signed. */
	fx_as(&fx, "lead");
	assert_int_equal(ho_handover_sign(fx.db, fx.handover), HO_ESTATE);
	fx_free(&fx);
}

static void test_wrong_roles_refused(void **state)
{
	struct fixture fx;
	fx_build(&fx, "roles.db");
	/* Receiver may not act as sender, nor sender as receiver. */
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "x", HO_EPERM);
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "x", HO_OK);
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_EPERM);
	/* Another sender, not paired on FIN. */
	fx_as(&fx, "sue");
	fx_mark(&fx, "FIN-2", HO_ACT_IN_PROGRESS, NULL, HO_EPERM);
	assert_int_equal(ho_item_comment(fx.db, fx_item(&fx, "FIN-2"), "hello"), HO_EPERM);
	/* An unknown login is a viewer: reads, never writes. */
	fx_as(&fx, "mallory");
	assert_int_equal(ho_actor(fx.db)->role, HO_ROLE_NONE);
	fx_mark(&fx, "FIN-2", HO_ACT_IN_PROGRESS, NULL, HO_EPERM);
	assert_int_equal(ho_item_comment(fx.db, fx_item(&fx, "FIN-2"), "hi"), HO_EPERM);
	assert_int_equal(ho_person_add(fx.db, "eve", "Eve", HO_ROLE_LEAD, ""), HO_EPERM);
	/* Leads manage but do not mark items. */
	fx_as(&fx, "lead");
	fx_mark(&fx, "FIN-2", HO_ACT_IN_PROGRESS, NULL, HO_EPERM);
	assert_int_equal(ho_item_comment(fx.db, fx_item(&fx, "FIN-2"), "lead note"), HO_OK);
	/* Senders may not manage. */
	fx_as(&fx, "sam");
	assert_int_equal(ho_pair(fx.db, fx.handover, "DIG", "sam", "rita"), HO_EPERM);
	assert_int_equal(ho_person_add(fx.db, "eve", "Eve", HO_ROLE_LEAD, ""), HO_EPERM);
	assert_int_equal(ho_function_set_due(fx.db, fx.fin, 0, "2027-01-01"), HO_EPERM);
	/* Pairs must match roles. */
	fx_as(&fx, "lead");
	assert_int_equal(ho_pair(fx.db, fx.handover, "DIG", "rita", "sam"), HO_ESTATE);
	assert_int_equal(ho_pair(fx.db, fx.handover, "DIG", "nobody", NULL), HO_ENOTFOUND);
	fx_free(&fx);
}

static void test_refused_transitions(void **state)
{
	struct fixture fx;
	fx_build(&fx, "trans.db");
	fx_as(&fx, "rita");
	/* Nothing to review before a hand-over. */
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_ESTATE);
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED_CONDITIONS, "c", HO_ESTATE);
	fx_mark(&fx, "FIN-1", HO_ACT_GAP, "q", HO_ESTATE);
	fx_as(&fx, "sam");
	/* Text is required where it is the point. */
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "", HO_EUSAGE);
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "   ", HO_EUSAGE);
	fx_mark(&fx, "FIN-1", HO_ACT_NOT_APPLICABLE, NULL, HO_EUSAGE);
	fx_mark(&fx, "FIN-1", HO_ACT_IN_PROGRESS, NULL, HO_OK);
	fx_mark(&fx, "FIN-1", HO_ACT_IN_PROGRESS, NULL, HO_ESTATE);
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "ev", HO_OK);
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "ev", HO_ESTATE);
	/* Withdrawing a hand-over before review is allowed. */
	fx_mark(&fx, "FIN-1", HO_ACT_IN_PROGRESS, NULL, HO_OK);
	expect_state(&fx, "FIN-1", HO_SENDER_IN_PROGRESS, HO_RECEIVER_NONE);
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "ev", HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_GAP, "", HO_EUSAGE);
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED_CONDITIONS, "", HO_EUSAGE);
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_OK);
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_ESTATE);
	/* Once accepted the sender cannot change it. */
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_IN_PROGRESS, NULL, HO_ESTATE);
	fx_mark(&fx, "FIN-1", HO_ACT_NOT_APPLICABLE, "r", HO_ESTATE);
	/* But the receiver can still raise a gap before sign-off. */
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_GAP, "One more thing", HO_OK);
	fx_mark(&fx, "FIN-1", HO_ACT_GAP, "Another", HO_ESTATE);
	/* Over-long text is refused. */
	char *big = malloc(HO_MAX_TEXT + 2);
	memset(big, 'x', HO_MAX_TEXT + 1);
	big[HO_MAX_TEXT + 1] = '\0';
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, big, HO_EUSAGE);
	free(big);
	/* Invalid UTF-8 is refused, not stored. */
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "bad \xff byte", HO_EUSAGE);
	fx_free(&fx);
}

static void test_conflict_between_connections(void **state)
{
	struct fixture fx;
	fx_build(&fx, "conflict.db");
	ho_db *other = tu_open_as(fx.path, "sam");
	fx_as(&fx, "sam");
	ho_item seen = fx_get(&fx, "FIN-2"); /* both have seen version v */
	/* The other connection changes it first. */
	assert_int_equal(
	    ho_item_mark(other, seen.id, seen.version, HO_ACT_HANDED_OVER, "Their evidence", NULL),
	    HO_OK);
	/* Our stale edit is refused, naming who changed it. */
	assert_int_equal(ho_item_mark(fx.db, seen.id, seen.version, HO_ACT_IN_PROGRESS, NULL, NULL),
	                 HO_ECONFLICT);
	assert_non_null(strstr(ho_errmsg(fx.db), "Sam Sender"));
	assert_non_null(strstr(ho_errmsg(fx.db), "handed over"));
	/* Nothing overwritten. */
	ho_item now = fx_get(&fx, "FIN-2");
	assert_int_equal(now.sender_state, HO_SENDER_HANDED_OVER);
	assert_string_equal(now.evidence, "Their evidence");
	assert_int_equal(now.version, seen.version + 1);
	/* ho_changed() tells the watcher. */
	assert_int_equal(ho_changed(fx.db), 1);
	assert_int_equal(ho_changed(fx.db), 0);
	ho_item_clear(&seen);
	ho_item_clear(&now);
	ho_close(other);
	fx_free(&fx);
}

static int has_gap(ho_gap *g, size_t n, ho_gap_kind kind, const char *ref)
{
	for (size_t i = 0; i < n; i++)
		if (g[i].kind == kind && strcmp(g[i].ref, ref) == 0)
			return 1;
	return 0;
}

static void test_gaps(void **state)
{
	struct fixture fx;
	fx_build(&fx, "gaps.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "e1", HO_OK);
	fx_mark(&fx, "FIN-2", HO_ACT_HANDED_OVER, "e2", HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-2", HO_ACT_GAP, "Missing the March figures", HO_OK);
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED_CONDITIONS, "Confirm by April", HO_OK);
	ho_gap *g = NULL;
	size_t n = 0;
	assert_int_equal(ho_gaps_list(fx.db, 0, 0, 0, &g, &n), HO_OK);
	assert_true(has_gap(g, n, HO_GAP_QUERY, "FIN-2"));
	assert_true(has_gap(g, n, HO_GAP_CONDITION, "FIN-1"));
	assert_true(has_gap(g, n, HO_GAP_UNPAIRED, "DIG"));
	/* DIG is due 2026-11-01, before the fixed today 2026-11-22. */
	assert_true(has_gap(g, n, HO_GAP_OVERDUE, "DIG-1"));
	assert_false(has_gap(g, n, HO_GAP_OVERDUE, "FIN-3")); /* due 2026-11-30 */
	ho_gap_free(g, n);

	/* The query is the sender's to answer; "mine" for rita hides it. */
	assert_int_equal(ho_gaps_list(fx.db, 0, 0, 1, &g, &n), HO_OK);
	assert_false(has_gap(g, n, HO_GAP_QUERY, "FIN-2"));
	assert_true(has_gap(g, n, HO_GAP_CONDITION, "FIN-1"));
	ho_gap_free(g, n);
	fx_as(&fx, "sam");
	assert_int_equal(ho_gaps_list(fx.db, 0, 0, 1, &g, &n), HO_OK);
	assert_true(has_gap(g, n, HO_GAP_QUERY, "FIN-2"));
	ho_gap_free(g, n);
	/* Handed over again: the query now waits on the receiver, still open. */
	fx_mark(&fx, "FIN-2", HO_ACT_HANDED_OVER, "March figures attached", HO_OK);
	assert_int_equal(ho_gaps_list(fx.db, fx.handover, fx.fin, 0, &g, &n), HO_OK);
	assert_true(has_gap(g, n, HO_GAP_QUERY, "FIN-2"));
	assert_true(has_gap(g, n, HO_GAP_UNREVIEWED, "FIN-2"));
	assert_false(has_gap(g, n, HO_GAP_UNPAIRED, "DIG")); /* filtered to FIN */
	ho_gap_free(g, n);

	/* Counts and RAG: DIG is red (overdue and unpaired). */
	ho_function *fs = NULL;
	size_t nf = 0;
	assert_int_equal(ho_functions_list(fx.db, fx.handover, &fs, &nf), HO_OK);
	assert_int_equal(nf, 2);
	assert_string_equal(fs[1].code, "DIG");
	assert_int_equal(fs[1].rag, HO_RAG_RED);
	assert_int_equal(fs[1].counts.overdue, 2);
	assert_int_equal(fs[0].counts.gaps, 1);
	ho_function_free(fs, nf);

	ho_handover h;
	assert_int_equal(ho_handover_get(fx.db, fx.handover, &h), HO_OK);
	assert_int_equal(h.functions, 2);
	assert_int_equal(h.functions_unpaired, 1);
	assert_int_equal(h.counts.total, 5);
	assert_int_equal(h.rag, HO_RAG_RED);
	ho_handover *hp = malloc(sizeof h);
	*hp = h;
	ho_handover_free(hp, 1);
	fx_free(&fx);
}

static void test_filters(void **state)
{
	struct fixture fx;
	fx_build(&fx, "filters.db");
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "e1", HO_OK);
	ho_item *items = NULL;
	size_t n = 0;
	assert_int_equal(ho_items_list(fx.db, fx.fin, HO_FILTER_MINE, &items, &n), HO_OK);
	assert_int_equal(n, 2); /* FIN-2 and FIN-3 still to do */
	ho_item_free(items, n);
	fx_as(&fx, "rita");
	assert_int_equal(ho_items_list(fx.db, fx.fin, HO_FILTER_MINE, &items, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_string_equal(items[0].ref, "FIN-1");
	ho_item_free(items, n);
	assert_int_equal(ho_items_list(fx.db, fx.dig, HO_FILTER_OVERDUE, &items, &n), HO_OK);
	assert_int_equal(n, 2);
	assert_int_equal(items[0].rag, HO_RAG_RED);
	ho_item_free(items, n);
	assert_int_equal(ho_items_list(fx.db, fx.fin, HO_FILTER_ALL, &items, &n), HO_OK);
	assert_int_equal(n, 3);
	assert_string_equal(items[2].ref, "FIN-3");
	assert_string_equal(items[2].due_date, "2026-11-30");
	assert_string_equal(items[1].due_date, "2026-12-31"); /* the function's */
	ho_item_free(items, n);
	fx_free(&fx);
}

static void test_undo(void **state)
{
	struct fixture fx;
	fx_build(&fx, "undo.db");
	char ref[24] = "";
	fx_as(&fx, "sam");
	assert_int_equal(ho_undo(fx.db, ref), HO_ESTATE); /* nothing yet */
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "oops wrong file", HO_OK);
	assert_int_equal(ho_undo(fx.db, ref), HO_OK);
	assert_string_equal(ref, "FIN-1");
	expect_state(&fx, "FIN-1", HO_SENDER_NOT_STARTED, HO_RECEIVER_NONE);
	ho_item it = fx_get(&fx, "FIN-1");
	assert_string_equal(it.evidence, "");
	assert_int_equal(it.thread_count, 0);
	ho_item_clear(&it);
	assert_int_equal(ho_undo(fx.db, ref), HO_ESTATE); /* one level */

	/* Undo of a gap: the query goes, the item returns to review. */
	fx_mark(&fx, "FIN-2", HO_ACT_HANDED_OVER, "e", HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-2", HO_ACT_GAP, "wrong item", HO_OK);
	assert_int_equal(ho_undo(fx.db, ref), HO_OK);
	expect_state(&fx, "FIN-2", HO_SENDER_HANDED_OVER, HO_RECEIVER_PENDING);
	it = fx_get(&fx, "FIN-2");
	assert_int_equal(it.open_queries, 0);
	ho_item_clear(&it);

	/* Undo of an acceptance reopens the queries it closed. */
	fx_mark(&fx, "FIN-2", HO_ACT_GAP, "real question", HO_OK);
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-2", HO_ACT_HANDED_OVER, "answer", HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-2", HO_ACT_ACCEPTED, NULL, HO_OK);
	assert_int_equal(ho_undo(fx.db, ref), HO_OK);
	it = fx_get(&fx, "FIN-2");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	assert_int_equal(it.open_queries, 1);
	ho_item_clear(&it);

	/* Not when someone else changed the item since. */
	fx_mark(&fx, "FIN-2", HO_ACT_ACCEPTED, NULL, HO_OK);
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-3", HO_ACT_IN_PROGRESS, NULL, HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-3", HO_ACT_ACCEPTED, NULL, HO_ESTATE);
	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-3", HO_ACT_HANDED_OVER, "x", HO_OK);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-3", HO_ACT_ACCEPTED, NULL, HO_OK);
	fx_as(&fx, "sam");
	assert_int_equal(ho_undo(fx.db, ref), HO_ECONFLICT);
	assert_non_null(strstr(ho_errmsg(fx.db), "Rita Receiver"));

	ho_verify_result vr;
	assert_int_equal(ho_verify(fx.db, &vr), HO_OK);
	assert_true(vr.events > 10);
	fx_free(&fx);
}

static void test_references(void **state)
{
	struct fixture fx;
	fx_build(&fx, "refs.db");
	int64_t id = 0;
	assert_int_equal(ho_item_find(fx.db, 0, "fin-2", &id), HO_OK); /* any case */
	assert_true(id > 0);
	assert_int_equal(ho_item_find(fx.db, 0, "FIN-9", &id), HO_ENOTFOUND);
	assert_int_equal(ho_item_find(fx.db, 0, "FIN", &id), HO_EUSAGE);
	assert_int_equal(ho_item_find(fx.db, 0, "FIN-x", &id), HO_EUSAGE);
	assert_int_equal(ho_item_find(fx.db, 0, "-3", &id), HO_EUSAGE);
	assert_int_equal(ho_item_find(fx.db, 0, "FIN-0", &id), HO_EUSAGE);
	/* Ambiguous across handovers until --handover picks one. */
	int64_t h2 = 0, f2 = 0;
	assert_int_equal(ho_handover_add(fx.db, "Optometry", "", "", "", "", &h2), HO_OK);
	assert_int_equal(ho_function_add(fx.db, h2, "FIN", "Finance", "", &f2), HO_OK);
	assert_int_equal(ho_item_add(fx.db, f2, "Budgets", "", "", NULL), HO_OK);
	assert_int_equal(ho_item_find(fx.db, 0, "FIN-1", &id), HO_EUSAGE);
	assert_non_null(strstr(ho_errmsg(fx.db), "--handover"));
	assert_int_equal(ho_item_find(fx.db, h2, "FIN-1", &id), HO_OK);
	/* Codes are checked. */
	assert_int_equal(ho_function_add(fx.db, h2, "fin", "x", "", NULL), HO_EUSAGE);
	assert_int_equal(ho_function_add(fx.db, h2, "FIN", "x", "", NULL), HO_EEXIST);
	assert_int_equal(ho_function_add(fx.db, h2, "X", "x", "", NULL), HO_EUSAGE);
	assert_int_equal(ho_function_add(fx.db, h2, "QUA", "x", "2026-02-30", NULL), HO_EUSAGE);
	assert_int_equal(ho_person_add(fx.db, "sam", "Again", HO_ROLE_SENDER, ""), HO_EEXIST);
	assert_int_equal(ho_person_add(fx.db, "bad login", "X", HO_ROLE_SENDER, ""), HO_EUSAGE);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full_walk),
	    cmocka_unit_test(test_wrong_roles_refused),
	    cmocka_unit_test(test_refused_transitions),
	    cmocka_unit_test(test_conflict_between_connections),
	    cmocka_unit_test(test_gaps),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_undo),
	    cmocka_unit_test(test_references),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
