/* The risk log and deep dives: NHS 5x5 levels, who may add and change,
 * references never reused, compare-and-set, linked items and risks that
 * must exist, actions that wait on their owner, and history for each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "handover/risks.h"
#include "handover/rules.h"

#define EXPECT(call, want)                                                                         \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != (want))                                                                 \
			fail_msg("%s: %s (%s), wanted %s", #call, ho_strerror(st_),                \
			         ho_errmsg(fx.db), ho_strerror(want));                             \
	} while (0)

static void test_levels(void **state)
{
	(void)state;
	/* Every product of two numbers 1-5 and its NHS level. */
	static const struct {
		int score;
		ho_risk_level level;
	} cases[] = {{1, HO_RISK_LOW},      {2, HO_RISK_LOW},      {3, HO_RISK_LOW},
	             {4, HO_RISK_MODERATE}, {5, HO_RISK_MODERATE}, {6, HO_RISK_MODERATE},
	             {8, HO_RISK_HIGH},     {9, HO_RISK_HIGH},     {10, HO_RISK_HIGH},
	             {12, HO_RISK_HIGH},    {15, HO_RISK_EXTREME}, {16, HO_RISK_EXTREME},
	             {20, HO_RISK_EXTREME}, {25, HO_RISK_EXTREME}};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (ho_risk_level_of(cases[i].score) != cases[i].level)
			fail_msg("score %d: %s, wanted %s", cases[i].score,
			         ho_risk_level_name(ho_risk_level_of(cases[i].score)),
			         ho_risk_level_name(cases[i].level));
	assert_string_equal(ho_risk_level_name(HO_RISK_EXTREME), "extreme");
}

static void test_permission_rules(void **state)
{
	(void)state;
	ho_rule_actor lead = {3, HO_ROLE_LEAD, 0}, sam = {1, HO_ROLE_SENDER, 0};
	ho_rule_actor viewer = {0, HO_ROLE_NONE, 0}, ro = {3, HO_ROLE_LEAD, 1};
	const char *why = NULL;
	assert_int_equal(ho_rule_risk_add(&lead, 0, &why), HO_OK);
	assert_int_equal(ho_rule_risk_add(&sam, 1, &why), HO_OK);
	assert_int_equal(ho_rule_risk_add(&sam, 0, &why), HO_EPERM);
	assert_non_null(strstr(why, "paired"));
	assert_int_equal(ho_rule_risk_add(&viewer, 1, &why), HO_EPERM);
	assert_int_equal(ho_rule_risk_add(&ro, 1, &why), HO_EBADFILE);
	assert_int_equal(ho_rule_risk_change(&sam, 1, 0, &why), HO_OK);
	assert_int_equal(ho_rule_risk_change(&sam, 2, 0, &why), HO_EPERM);
	assert_non_null(strstr(why, "owner or a lead"));
	assert_int_equal(ho_rule_risk_change(&lead, 2, 0, &why), HO_OK);
	assert_int_equal(ho_rule_risk_change(&lead, 2, 1, &why), HO_ESTATE);
}

static ho_risk_fields risk(const char *title, int l, int i, const char *owner)
{
	ho_risk_fields f = {0};
	f.title = title;
	f.likelihood = l;
	f.impact = i;
	f.owner = owner;
	return f;
}

static void test_add_list_close(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "risks.db");
	char ref[16];
	ho_risk_fields f = risk("Contract disputes unresolved", 4, 5, "rita");
	f.function_code = "FIN";
	f.items = "fin-1, FIN-3";
	f.mitigation = "Weekly review";
	f.review_date = "2026-12-15";
	fx_as(&fx, "sam"); /* paired on FIN */
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_OK);
	assert_string_equal(ref, "R-1");
	fx_as(&fx, "lead");
	ho_risk_fields g = risk("Comms plan late", 2, 2, "sam");
	EXPECT(ho_risk_add(fx.db, fx.handover, &g, ref), HO_OK);
	assert_string_equal(ref, "R-2");

	ho_risk *r = NULL;
	size_t n = 0;
	EXPECT(ho_risks_list(fx.db, 0, 0, &r, &n), HO_OK);
	assert_int_equal(n, 2);
	assert_string_equal(r[0].ref, "R-1"); /* highest score first */
	assert_int_equal(r[0].score, 20);
	assert_int_equal(r[0].level, HO_RISK_EXTREME);
	assert_string_equal(r[0].function_code, "FIN");
	assert_string_equal(r[0].items, "FIN-1, FIN-3");
	assert_string_equal(r[0].owner_login, "rita");
	assert_string_equal(r[1].function_code, "");
	int64_t version = r[0].version;
	ho_risk_free(r, n);

	/* The owner edits; an edit against an old version is a conflict. */
	fx_as(&fx, "rita");
	ho_risk_fields e = {0};
	e.likelihood = 2;
	EXPECT(ho_risk_edit(fx.db, 0, "R-1", version, &e), HO_OK);
	EXPECT(ho_risk_edit(fx.db, 0, "R-1", version, &e), HO_ECONFLICT);
	/* Not the owner, not a lead: refused, naming who may. */
	EXPECT(ho_risk_close(fx.db, 0, "R-2", "done"), HO_EPERM);
	assert_non_null(strstr(ho_errmsg(fx.db), "owner or a lead"));
	EXPECT(ho_risk_close(fx.db, 0, "R-1", ""), HO_EUSAGE);
	EXPECT(ho_risk_close(fx.db, 0, "R-1", "Disputes settled"), HO_OK);
	EXPECT(ho_risk_close(fx.db, 0, "R-1", "again"), HO_ESTATE);

	EXPECT(ho_risks_list(fx.db, 0, 1, &r, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_string_equal(r[0].ref, "R-2");
	ho_risk_free(r, n);
	EXPECT(ho_risks_list(fx.db, 0, 0, &r, &n), HO_OK);
	assert_int_equal(n, 2);
	assert_string_equal(r[1].ref, "R-1"); /* closed ones last */
	assert_true(r[1].closed);
	assert_string_equal(r[1].close_note, "Disputes settled");
	assert_int_equal(r[1].score, 10);
	ho_risk_free(r, n);

	/* Every change is in the history, and the file checks. */
	ho_event *ev = NULL;
	EXPECT(ho_events_list(fx.db, 0, 4, &ev, &n), HO_OK);
	assert_int_equal(n, 4);
	assert_string_equal(ev[3].action, "risk close");
	assert_string_equal(ev[3].ref, "R-1");
	assert_non_null(strstr(ev[2].new_value, "L2 x I5 = 10 (high)"));
	ho_event_free(ev, n);
	EXPECT(ho_check(fx.db), HO_OK);
	ho_verify_result vr;
	EXPECT(ho_verify(fx.db, &vr), HO_OK);
	fx_free(&fx);
}

static void test_bad_input_refused(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "bad.db");
	char ref[16] = "";
	ho_risk_fields f = risk("Title", 6, 1, "sam");
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_EUSAGE);
	f = risk("Title", 1, 1, "nobody");
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_ENOTFOUND);
	f = risk("Title", 1, 1, NULL);
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_EUSAGE);
	f = risk("", 1, 1, "sam");
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_EUSAGE);
	f = risk("Title", 1, 1, "sam");
	f.items = "FIN-99";
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_ENOTFOUND);
	f.items = NULL;
	f.review_date = "tomorrow";
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_EUSAGE);
	f.review_date = NULL;
	f.function_code = "NOPE";
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_ENOTFOUND);
	/* sue is a sender paired on nothing here; viewers may not add. */
	f.function_code = NULL;
	fx_as(&fx, "sue");
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_EPERM);
	fx_as(&fx, "stranger");
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_EPERM);
	assert_string_equal(ref, "");
	EXPECT(ho_risk_edit(fx.db, 0, "X-1", 0, &f), HO_EUSAGE);
	fx_as(&fx, "lead");
	EXPECT(ho_risk_edit(fx.db, 0, "R-7", 0, &f), HO_ENOTFOUND);
	/* Nothing was written by any refusal. */
	ho_risk *r = NULL;
	size_t n = 0;
	EXPECT(ho_risks_list(fx.db, 0, 0, &r, &n), HO_OK);
	assert_int_equal(n, 0);
	ho_risk_free(r, n);
	/* A number is never reused: R-1 is the first one added. */
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_OK);
	assert_string_equal(ref, "R-1");
	fx_free(&fx);
}

static void test_deep_dives(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "dives.db");
	char ref[16];
	ho_risk_fields f = risk("Disputes", 3, 4, "rita");
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_OK);
	EXPECT(ho_deep_dive_add(fx.db, 0, "2026-11-25", "Dental contracting deep dive",
	                        "ICB contracting, LDC, Healthwatch", "r-1", "Escalate two", ref),
	       HO_OK);
	assert_string_equal(ref, "DD-1");
	EXPECT(ho_deep_dive_add(fx.db, 0, "2026-11-26", "Another", "", "R-5", "", ref),
	       HO_ENOTFOUND);
	EXPECT(ho_deep_dive_add(fx.db, 0, "", "No date", "", "", "", ref), HO_EUSAGE);
	EXPECT(ho_dive_action_add(fx.db, 0, "DD-1", "Write to the LDC", "sam", "2026-12-01", ref),
	       HO_OK);
	assert_string_equal(ref, "A-1");
	EXPECT(ho_dive_action_add(fx.db, 0, "DD-1", "Brief the board", "rita", "", ref), HO_OK);
	EXPECT(ho_dive_action_add(fx.db, 0, "DD-9", "x", "sam", "", ref), HO_ENOTFOUND);

	ho_dive_action *a = NULL;
	size_t n = 0;
	EXPECT(ho_dive_actions_of(fx.db, "sam", &a, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_string_equal(a[0].ref, "A-1");
	assert_string_equal(a[0].dive_ref, "DD-1");
	assert_string_equal(a[0].due_date, "2026-12-01");
	ho_dive_action_free(a, n);

	fx_as(&fx, "rita");
	EXPECT(ho_dive_action_done(fx.db, 0, "A-1"), HO_EPERM);
	fx_as(&fx, "sam");
	EXPECT(ho_dive_action_done(fx.db, 0, "A-1"), HO_OK);
	EXPECT(ho_dive_action_done(fx.db, 0, "A-1"), HO_ESTATE);
	EXPECT(ho_dive_actions_of(fx.db, "sam", &a, &n), HO_OK);
	assert_int_equal(n, 0);
	ho_dive_action_free(a, n);

	ho_deep_dive *d = NULL;
	EXPECT(ho_deep_dives_list(fx.db, 0, &d, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_string_equal(d[0].risks, "R-1");
	assert_int_equal(d[0].nactions, 2);
	assert_true(d[0].actions[0].done_at != 0);
	assert_int_equal(d[0].actions[1].done_at, 0);
	ho_deep_dive_free(d, n);
	EXPECT(ho_check(fx.db), HO_OK);
	fx_free(&fx);
}

/* Risks, deep dives and actions are part of what verify proves: a hand
 * edit with the sqlite3 shell (or psql) is named. */
static void test_hand_edits_named(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "edited.db");
	char ref[16];
	ho_risk_fields f = risk("Disputes", 3, 4, "rita");
	EXPECT(ho_risk_add(fx.db, 0, &f, ref), HO_OK);
	EXPECT(ho_deep_dive_add(fx.db, 0, "2026-11-20", "Finance", "", "R-1", "", ref), HO_OK);
	EXPECT(ho_dive_action_add(fx.db, 0, "DD-1", "Check", "sam", "", ref), HO_OK);
	ho_verify_result vr;
	EXPECT(ho_verify(fx.db, &vr), HO_OK);
	ho_close(fx.db);
	tu_edit(fx.path, "UPDATE risks SET likelihood = 1; "
	                 "UPDATE deep_dives SET decisions = 'none'; "
	                 "UPDATE dive_actions SET done_at = 5");
	fx.db = tu_open_as(fx.path, "lead");
	assert_int_equal(ho_verify(fx.db, &vr), HO_EBADFILE);
	assert_int_equal(vr.mismatches, 3);
	assert_non_null(strstr(vr.mismatch, "risk R-1: likelihood 1, history says 3"));
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_levels),         cmocka_unit_test(test_permission_rules),
	    cmocka_unit_test(test_add_list_close), cmocka_unit_test(test_bad_input_refused),
	    cmocka_unit_test(test_deep_dives),     cmocka_unit_test(test_hand_edits_named),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return failed;
}
