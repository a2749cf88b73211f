/* What waits on a person: each role's groups, in order, by due date, and
 * nothing for a viewer. (Fixture: FIN paired sam/rita, FIN-3 due
 * 2026-11-30 and FIN-1/2 by the function's 2026-12-31; DIG unpaired, due
 * 2026-11-01, so overdue; the clock at 2026-11-22.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "handover/risks.h"
#include "handover/todo.h"

static ho_todo *todo(struct fixture *fx, const char *login, size_t *n)
{
	fx_as(fx, login);
	ho_todo *t = NULL;
	if (ho_todo_list(fx->db, &t, n) != HO_OK)
		fail_msg("todo as %s: %s", login, ho_errmsg(fx->db));
	return t;
}

/* "KIND:REF KIND:REF ..." for comparing whole lists. */
static void shape(const ho_todo *t, size_t n, char *buf, size_t size)
{
	buf[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(buf + strlen(buf), size - strlen(buf), "%s%d:%s", i ? " " : "", t[i].kind,
		         t[i].ref);
}

static void expect(struct fixture *fx, const char *login, const char *want)
{
	size_t n = 0;
	ho_todo *t = todo(fx, login, &n);
	char got[1024];
	shape(t, n, got, sizeof got);
	if (strcmp(got, want) != 0)
		fail_msg("todo as %s: got '%s', wanted '%s'", login, got, want);
	ho_todo_free(t, n);
}

static void test_each_role(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "todo.db");
	char want[512];
	/* The sender: three not started, FIN-3 (due soonest) first. */
	snprintf(want, sizeof want, "%d:FIN-3 %d:FIN-1 %d:FIN-2", HO_TODO_NOT_STARTED,
	         HO_TODO_NOT_STARTED, HO_TODO_NOT_STARTED);
	expect(&fx, "sam", want);
	size_t n;
	ho_todo *t = todo(&fx, "sam", &n);
	assert_true(t[0].due_soon);
	assert_false(t[0].overdue);
	assert_string_equal(t[0].due_date, "2026-11-30");
	ho_todo_free(t, n);
	/* The receiver: nothing yet. */
	expect(&fx, "rita", "");

	fx_as(&fx, "sam");
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger", HO_OK);
	fx_mark(&fx, "FIN-2", HO_ACT_IN_PROGRESS, NULL, HO_OK);
	snprintf(want, sizeof want, "%d:FIN-1", HO_TODO_TO_REVIEW);
	expect(&fx, "rita", want);
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_GAP, "Where is March?", HO_OK);
	snprintf(want, sizeof want, "%d:FIN-1 %d:FIN-2 %d:FIN-3", HO_TODO_SENT_BACK,
	         HO_TODO_IN_PROGRESS, HO_TODO_NOT_STARTED);
	expect(&fx, "sam", want);
	t = todo(&fx, "sam", &n);
	assert_string_equal(t[0].who, "Rita Receiver"); /* the query came from */
	ho_todo_free(t, n);

	/* The lead: DIG unpaired and its two items overdue. */
	snprintf(want, sizeof want, "%d:DIG %d:DIG-1 %d:DIG-2", HO_TODO_UNPAIRED, HO_TODO_OVERDUE,
	         HO_TODO_OVERDUE);
	expect(&fx, "lead", want);
	/* A viewer: nothing, and no error. */
	expect(&fx, "stranger", "");
	fx_free(&fx);
}

static void test_sign_off_and_actions(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "sign.db");
	fx_as(&fx, "sam");
	for (int i = 1; i <= 3; i++) {
		char ref[8];
		snprintf(ref, sizeof ref, "FIN-%d", i);
		fx_mark(&fx, ref, HO_ACT_HANDED_OVER, "Evidence", HO_OK);
	}
	fx_as(&fx, "rita");
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_OK);
	fx_mark(&fx, "FIN-2", HO_ACT_ACCEPTED, NULL, HO_OK);
	fx_mark(&fx, "FIN-3", HO_ACT_ACCEPTED_CONDITIONS, "Re-run in April", HO_OK);
	char want[256];
	/* Ready: both are asked to sign; the receiver also follows up the
	 * condition she set. */
	snprintf(want, sizeof want, "%d:FIN", HO_TODO_SIGN);
	expect(&fx, "sam", want);
	snprintf(want, sizeof want, "%d:FIN %d:FIN-3", HO_TODO_SIGN, HO_TODO_CONDITION);
	expect(&fx, "rita", want);
	size_t n;
	ho_todo *t = todo(&fx, "lead", &n);
	int waiting = 0;
	for (size_t i = 0; i < n; i++)
		if (t[i].kind == HO_TODO_WAITING_SIGN) {
			waiting++;
			assert_string_equal(t[i].who, "Sam Sender, Rita Receiver");
		}
	assert_int_equal(waiting, 1);
	ho_todo_free(t, n);

	/* A deep-dive action waits on its owner until done. */
	fx_as(&fx, "lead");
	char ref[16];
	assert_int_equal(ho_deep_dive_add(fx.db, 0, "2026-11-20", "Finance", "", "", "", ref),
	                 HO_OK);
	assert_int_equal(
	    ho_dive_action_add(fx.db, 0, "DD-1", "Confirm the budget", "sam", "2026-11-21", ref),
	    HO_OK);
	snprintf(want, sizeof want, "%d:FIN %d:A-1", HO_TODO_SIGN, HO_TODO_ACTION);
	expect(&fx, "sam", want);
	t = todo(&fx, "sam", &n);
	assert_true(t[1].overdue);
	assert_int_equal(t[1].handover_id, fx.handover);
	ho_todo_free(t, n);
	fx_as(&fx, "sam");
	assert_int_equal(ho_dive_action_done(fx.db, 0, "A-1"), HO_OK);
	snprintf(want, sizeof want, "%d:FIN", HO_TODO_SIGN);
	expect(&fx, "sam", want);
	assert_string_equal(ho_todo_heading(HO_TODO_SENT_BACK), "sent back to you with a query");
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_role),
	    cmocka_unit_test(test_sign_off_and_actions),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return failed;
}
