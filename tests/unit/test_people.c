/* People who change and people who leave: edit keeps pairs consistent with
 * roles, a leaver keeps their history but cannot act, and their pairs move
 * to a successor or become unpaired. */
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

static void refused(ho_db *db, ho_status got, ho_status want, const char *words)
{
	if (got != want)
		fail_msg("got %s (%s), wanted %s", ho_strerror(got), ho_errmsg(db),
		         ho_strerror(want));
	if (words && !strstr(ho_errmsg(db), words))
		fail_msg("\"%s\" does not say \"%s\"", ho_errmsg(db), words);
}

static int64_t hid, fin, gov, item;

static ho_db *setup_file(void)
{
	ho_db *db = tu_new_file("people.db", 1, 0);
	OK(db, ho_person_add(db, "sam", "Sam Sender", HO_ROLE_SENDER, ""));
	OK(db, ho_person_add(db, "sue", "Sue Sender", HO_ROLE_SENDER, ""));
	OK(db, ho_person_add(db, "rita", "Rita Receiver", HO_ROLE_RECEIVER, ""));
	OK(db, ho_handover_add(db, "Dental", "", "", "", "", &hid));
	OK(db, ho_function_add(db, hid, "FIN", "Finance", "", &fin));
	OK(db, ho_function_add(db, hid, "GOV", "Governance", "", &gov));
	OK(db, ho_item_add(db, fin, "One", "", "", &item));
	OK(db, ho_pair(db, hid, "FIN", "sam", "rita"));
	OK(db, ho_pair(db, hid, "GOV", "sam", NULL));
	return db;
}

static void test_edit(void **state)
{
	(void)state;
	ho_db *db = setup_file();
	OK(db, ho_person_edit(db, "sam", "Samuel Sender", "NHS England", "Finance lead", 0));
	ho_person p;
	OK(db, ho_person_get(db, "sam", &p));
	assert_string_equal(p.name, "Samuel Sender");
	assert_string_equal(p.org, "NHS England");
	assert_string_equal(p.job_title, "Finance lead");
	assert_int_equal(p.role, HO_ROLE_SENDER);
	ho_person_clear(&p);
	/* The new name is what the pair shows. */
	ho_function f;
	OK(db, ho_function_get(db, fin, &f));
	assert_string_equal(f.sender_name, "Samuel Sender");
	ho_function_clear(&f);

	unsigned receiver = HO_ROLE_BIT(HO_ROLE_RECEIVER), lead = HO_ROLE_BIT(HO_ROLE_LEAD),
	         sender = HO_ROLE_BIT(HO_ROLE_SENDER);
	refused(db, ho_person_edit(db, "sam", NULL, NULL, NULL, receiver), HO_ESTATE,
	        "is the sender of FIN");
	refused(db, ho_person_edit(db, "lead", NULL, NULL, NULL, sender), HO_ESTATE,
	        "the only lead");
	refused(db, ho_person_edit(db, "nobody", "x", NULL, NULL, 0), HO_ENOTFOUND, NULL);
	OK(db, ho_person_edit(db, "sue", NULL, NULL, NULL, lead));
	ho_set_actor(db, "sam");
	refused(db, ho_person_edit(db, "sam", "Me", NULL, NULL, 0), HO_EPERM, "only a lead");
	ho_close(db);
	tu_cleanup();
}

static void test_leave_to_successor(void **state)
{
	(void)state;
	ho_db *db = setup_file();
	ho_set_actor(db, "sam");
	OK(db, ho_item_mark(db, item, 0, HO_ACT_IN_PROGRESS, NULL, NULL));
	ho_set_actor(db, "lead");
	refused(db, ho_person_leave(db, "sam", "rita", NULL), HO_ESTATE, "needs a sender");
	refused(db, ho_person_leave(db, "sam", "sam", NULL), HO_ESTATE, "the person leaving");
	int moved = 0;
	OK(db, ho_person_leave(db, "sam", "sue", &moved));
	assert_int_equal(moved, 2);
	ho_function f;
	OK(db, ho_function_get(db, fin, &f));
	assert_string_equal(f.sender_login, "sue");
	assert_string_equal(f.receiver_login, "rita");
	ho_function_clear(&f);
	refused(db, ho_person_leave(db, "sam", NULL, NULL), HO_ESTATE, "already left");
	refused(db, ho_pair(db, hid, "GOV", "sam", NULL), HO_ESTATE, "has left");
	refused(db, ho_person_edit(db, "sam", "x", NULL, NULL, 0), HO_ESTATE, "has left");

	/* The leaver can no longer act, nor undo what they did. */
	ho_set_actor(db, "sam");
	refused(db, ho_item_mark(db, item, 0, HO_ACT_HANDED_OVER, "x", NULL), HO_EPERM, NULL);
	refused(db, ho_undo(db, NULL), HO_EPERM, NULL);
	/* Their history still names them. */
	ho_event *ev = NULL;
	size_t n = 0;
	OK(db, ho_events_list(db, item, 0, &ev, &n));
	assert_string_equal(ev[n - 1].actor, "sam");
	ho_event_free(ev, n);
	ho_set_actor(db, "sue");
	OK(db, ho_item_mark(db, item, 0, HO_ACT_HANDED_OVER, "drive", NULL));

	ho_person *people = NULL;
	size_t np = 0;
	OK(db, ho_people_list(db, &people, &np));
	int left = 0;
	for (size_t i = 0; i < np; i++)
		left += people[i].left_at != 0 && strcmp(people[i].login, "sam") == 0;
	assert_int_equal(left, 1);
	ho_person_free(people, np);
	ho_close(db);
	tu_cleanup();
}

static void test_leave_unpairs(void **state)
{
	(void)state;
	ho_db *db = setup_file();
	int moved = 0;
	OK(db, ho_person_leave(db, "rita", NULL, &moved));
	assert_int_equal(moved, 1);
	ho_function f;
	OK(db, ho_function_get(db, fin, &f));
	assert_string_equal(f.sender_login, "sam");
	assert_int_equal(f.receiver_id, 0);
	ho_function_clear(&f);
	/* The unpaired side shows on the lead's list of gaps. */
	ho_gap *gaps = NULL;
	size_t ng = 0;
	OK(db, ho_gaps_list(db, hid, fin, 0, &gaps, &ng));
	int unpaired = 0;
	for (size_t i = 0; i < ng; i++)
		unpaired += gaps[i].kind == HO_GAP_UNPAIRED;
	assert_true(unpaired >= 1);
	ho_gap_free(gaps, ng);
	ho_verify_result vr;
	OK(db, ho_verify(db, &vr));
	refused(db, ho_person_leave(db, "lead", NULL, NULL), HO_ESTATE, "the only lead");
	ho_close(db);
	tu_cleanup();
}

/* A regional lead who also hands a function over: lead and sender. They
 * may be paired as a sender and mark as one, and still lead. */
static void test_lead_and_sender(void **state)
{
	(void)state;
	ho_db *db = setup_file();
	unsigned roles = 0;
	assert_int_equal(ho_roles_parse("lead, sender", &roles), 0);
	assert_int_equal(ho_roles_parse("lead,boss", &roles), -1);
	assert_int_equal(ho_roles_parse("lead,", &roles), -1);
	assert_int_equal(ho_roles_parse("lead,sender", &roles), 0);
	OK(db, ho_person_add_roles(db, "lena", "Lena Lead", roles, ""));
	refused(db, ho_pair(db, hid, "FIN", NULL, "lena"), HO_ESTATE,
	        "lena is a lead, sender, not a receiver");
	OK(db, ho_pair(db, hid, "FIN", "lena", NULL));
	ho_set_actor(db, "lena");
	assert_true(ho_is_lead(db));
	OK(db, ho_item_mark(db, item, 0, HO_ACT_HANDED_OVER, "drive", NULL));
	refused(db, ho_item_mark(db, item, 0, HO_ACT_ACCEPTED, NULL, NULL), HO_EPERM, "receiver");
	OK(db, ho_person_edit(db, "sam", NULL, NULL, "Finance", 0));
	/* Dropping sender while paired as one is refused; dropping lead is not. */
	refused(db, ho_person_edit(db, "lena", NULL, NULL, NULL, HO_ROLE_BIT(HO_ROLE_LEAD)),
	        HO_ESTATE, "is the sender of FIN");
	OK(db, ho_person_edit(db, "lena", NULL, NULL, NULL, HO_ROLE_BIT(HO_ROLE_SENDER)));
	ho_set_actor(db, "lena");
	assert_false(ho_is_lead(db));
	ho_person p;
	OK(db, ho_person_get(db, "lena", &p));
	assert_int_equal(p.roles, HO_ROLE_BIT(HO_ROLE_SENDER));
	ho_person_clear(&p);
	char words[64];
	ho_roles_format(roles, words, sizeof words);
	assert_string_equal(words, "lead, sender");
	ho_close(db);
	tu_cleanup();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_edit),
	    cmocka_unit_test(test_leave_to_successor),
	    cmocka_unit_test(test_leave_unpairs),
	    cmocka_unit_test(test_lead_and_sender),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
