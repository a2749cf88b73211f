/* A refused sign-off says what blocks it: the items not yet accepted and
 * whose move each waits on, or the functions not signed and by whom. */
#define _GNU_SOURCE
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#define OK(db, call)                                                                               \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != HO_OK)                                                                  \
			fail_msg("%s: %s", #call, ho_errmsg(db));                                  \
	} while (0)

static void says(ho_db *db, const char *words)
{
	if (!strstr(ho_errmsg(db), words))
		fail_msg("\"%s\" does not say \"%s\"", ho_errmsg(db), words);
}

static void test_sign_refusals_name_blockers(void **state)
{
	(void)state;
	ho_db *db = tu_new_file("blockers.db", 1, 0);
	int64_t hid, fin, dig, first;
	OK(db, ho_person_add(db, "sam", "Sam Sender", HO_ROLE_SENDER, ""));
	OK(db, ho_person_add(db, "rita", "Rita Receiver", HO_ROLE_RECEIVER, ""));
	OK(db, ho_handover_add(db, "Dental", "", "", "", "", &hid));
	OK(db, ho_function_add(db, hid, "FIN", "Finance", "", &fin));
	OK(db, ho_function_add(db, hid, "DIG", "Digital", "", &dig));
	OK(db, ho_item_add(db, fin, "One", "", "", &first));
	OK(db, ho_item_add(db, fin, "Two", "", "", NULL));
	OK(db, ho_item_add(db, fin, "Three", "", "", NULL));
	OK(db, ho_item_add(db, dig, "Only", "", "", NULL));
	OK(db, ho_pair(db, hid, "FIN", "sam", "rita"));

	/* Nobody has acted: the handover names every function, who must sign
	 * and how far each is. */
	assert_int_equal(ho_handover_sign(db, hid), HO_ESTATE);
	says(db, "not signed off: FIN by sam and rita (3 of 3 items not accepted); DIG unpaired "
	         "(1 of 1 items not accepted)");

	ho_set_actor(db, "sam");
	OK(db, ho_item_mark(db, first, 0, HO_ACT_HANDED_OVER, "drive", NULL));
	assert_int_equal(ho_function_sign(db, fin), HO_ESTATE);
	says(db, "FIN: not ready: every item must be accepted first: FIN-2, FIN-3 wait on sam "
	         "(sender, to hand over); FIN-1 waits on rita (receiver, to review)");

	/* A gap sends the item back to the sender. */
	ho_set_actor(db, "rita");
	OK(db, ho_item_mark(db, first, 0, HO_ACT_GAP, "which drive?", NULL));
	assert_int_equal(ho_function_sign(db, fin), HO_ESTATE);
	says(db, "FIN-1, FIN-2, FIN-3 wait on sam (sender, to hand over)");

	char text[300];
	OK(db, ho_sign_blockers(db, hid, dig, text, sizeof text));
	assert_string_equal(text, "DIG-1 waits on no sender (unpaired) (sender, to hand over)");
	ho_close(db);
}

static int teardown(void **state)
{
	(void)state;
	tu_cleanup();
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_sign_refusals_name_blockers),
	};
	return cmocka_run_group_tests(tests, NULL, teardown);
}
