/* The rules as tables of cases, without a file: the item life cycle for
 * every action from every state and for every kind of actor, comments,
 * sign-off, RAG and filters. Then the words: each database word in
 * words.def is one the schema accepts, and the other way round. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <glob.h>

#include "handover/rules.h"
#include "words.h"

enum { SAM = 1, RITA = 2, LENA = 3, OTHER = 4 };

static const ho_rule_actor sender = {SAM, HO_ROLE_SENDER, 0};
static const ho_rule_actor receiver = {RITA, HO_ROLE_RECEIVER, 0};
static const ho_rule_actor lead = {LENA, HO_ROLE_LEAD, 0};
static const ho_rule_actor stranger = {OTHER, HO_ROLE_SENDER, 0};
static const ho_rule_actor viewer = {0, HO_ROLE_NONE, 0};
static const ho_rule_actor sender_read_only = {SAM, HO_ROLE_SENDER, 1};
/* A regional lead who also hands a function over: lead and sender. */
static const ho_rule_actor lead_sender = {SAM, HO_ROLE_LEAD, 0};

static ho_function paired(void)
{
	ho_function f = {.id = 10, .sender_id = SAM, .receiver_id = RITA};
	return f;
}

static ho_item item(ho_sender_state s, ho_receiver_state r, int open_queries)
{
	ho_item it = {.id = 100, .function_id = 10};
	it.sender_state = s;
	it.receiver_state = r;
	it.open_queries = open_queries;
	return it;
}

#define NS HO_SENDER_NOT_STARTED
#define IP HO_SENDER_IN_PROGRESS
#define HA HO_SENDER_HANDED_OVER
#define NA HO_SENDER_NOT_APPLICABLE
#define RN HO_RECEIVER_NONE
#define RP HO_RECEIVER_PENDING
#define RA HO_RECEIVER_ACCEPTED
#define RC HO_RECEIVER_CONDITIONS
#define RG HO_RECEIVER_GAP
#define K  HO_TEXT_KEEP
#define S  HO_TEXT_SET
#define C  HO_TEXT_CLEAR

struct mark_case {
	const ho_rule_actor *who;
	ho_sender_state s;
	ho_receiver_state r;
	int queries;
	ho_action a;
	ho_status want;
	ho_sender_state new_s;
	ho_receiver_state new_r;
	ho_text_change evidence, na_reason, condition;
	int resolve;
	const char *why; /* part of the reason when refused */
};

static const struct mark_case mark_cases[] = {
    /* The sender's side. */
    {&sender, NS, RN, 0, HO_ACT_IN_PROGRESS, HO_OK, IP, RN, K, K, K, 0, NULL},
    {&sender, IP, RN, 0, HO_ACT_IN_PROGRESS, HO_ESTATE, IP, RN, K, K, K, 0, "already in progress"},
    {&sender, NS, RN, 0, HO_ACT_HANDED_OVER, HO_OK, HA, RP, S, C, K, 0, NULL},
    {&sender, IP, RN, 0, HO_ACT_HANDED_OVER, HO_OK, HA, RP, S, C, K, 0, NULL},
    {&sender, HA, RP, 0, HO_ACT_HANDED_OVER, HO_ESTATE, HA, RP, K, K, K, 0, "already handed"},
    {&sender, NS, RN, 0, HO_ACT_NOT_APPLICABLE, HO_OK, NA, RP, C, S, K, 0, NULL},
    {&sender, NA, RP, 0, HO_ACT_NOT_APPLICABLE, HO_ESTATE, NA, RP, K, K, K, 0, "not applicable"},
    {&sender, HA, RP, 0, HO_ACT_NOT_APPLICABLE, HO_OK, NA, RP, C, S, K, 0, NULL},
    /* Withdrawing a hand-over: out of the receiver's queue, an open gap
     * stays open. */
    {&sender, HA, RP, 0, HO_ACT_IN_PROGRESS, HO_OK, IP, RN, K, K, K, 0, NULL},
    {&sender, HA, RP, 1, HO_ACT_IN_PROGRESS, HO_OK, IP, RG, K, K, K, 0, NULL},
    {&sender, HA, RA, 0, HO_ACT_IN_PROGRESS, HO_ESTATE, HA, RA, K, K, K, 0, "already accepted"},
    {&sender, HA, RC, 0, HO_ACT_HANDED_OVER, HO_ESTATE, HA, RC, K, K, K, 0, "already accepted"},
    {&sender, IP, RG, 1, HO_ACT_HANDED_OVER, HO_OK, HA, RP, S, C, K, 0, NULL},
    /* The receiver's side. */
    {&receiver, HA, RP, 0, HO_ACT_ACCEPTED, HO_OK, HA, RA, K, K, C, 1, NULL},
    {&receiver, HA, RA, 0, HO_ACT_ACCEPTED, HO_ESTATE, HA, RA, K, K, K, 0, "already accepted"},
    {&receiver, HA, RC, 0, HO_ACT_ACCEPTED, HO_OK, HA, RA, K, K, C, 1, NULL},
    {&receiver, NS, RN, 0, HO_ACT_ACCEPTED, HO_ESTATE, NS, RN, K, K, K, 0, "not handed over"},
    {&receiver, IP, RG, 1, HO_ACT_ACCEPTED, HO_ESTATE, IP, RG, K, K, K, 0, "not handed over"},
    {&receiver, HA, RP, 0, HO_ACT_ACCEPTED_CONDITIONS, HO_OK, HA, RC, K, K, S, 1, NULL},
    {&receiver, HA, RA, 0, HO_ACT_ACCEPTED_CONDITIONS, HO_OK, HA, RC, K, K, S, 1, NULL},
    {&receiver, NS, RN, 0, HO_ACT_ACCEPTED_CONDITIONS, HO_ESTATE, NS, RN, K, K, K, 0,
     "not handed over"},
    {&receiver, HA, RP, 0, HO_ACT_GAP, HO_OK, IP, RG, K, K, C, 0, NULL},
    {&receiver, NA, RP, 0, HO_ACT_GAP, HO_OK, IP, RG, K, K, C, 0, NULL},
    {&receiver, HA, RA, 0, HO_ACT_GAP, HO_OK, IP, RG, K, K, C, 0, NULL},
    {&receiver, IP, RG, 1, HO_ACT_GAP, HO_ESTATE, IP, RG, K, K, K, 0, "already open"},
    {&receiver, NS, RN, 0, HO_ACT_GAP, HO_ESTATE, NS, RN, K, K, K, 0, "not handed over"},
    /* Who may act. */
    {&receiver, NS, RN, 0, HO_ACT_HANDED_OVER, HO_EPERM, NS, RN, K, K, K, 0, "sender"},
    {&sender, HA, RP, 0, HO_ACT_ACCEPTED, HO_EPERM, HA, RP, K, K, K, 0, "receiver"},
    {&lead, HA, RP, 0, HO_ACT_ACCEPTED, HO_EPERM, HA, RP, K, K, K, 0, "receiver"},
    {&lead, NS, RN, 0, HO_ACT_IN_PROGRESS, HO_EPERM, NS, RN, K, K, K, 0, "sender"},
    {&stranger, NS, RN, 0, HO_ACT_IN_PROGRESS, HO_EPERM, NS, RN, K, K, K, 0, "sender"},
    {&viewer, NS, RN, 0, HO_ACT_IN_PROGRESS, HO_EPERM, NS, RN, K, K, K, 0, "read-only"},
    /* A lead who is the function's sender acts as its sender, not its
     * receiver. */
    {&lead_sender, NS, RN, 0, HO_ACT_IN_PROGRESS, HO_OK, IP, RN, K, K, K, 0, NULL},
    {&lead_sender, NS, RN, 0, HO_ACT_HANDED_OVER, HO_OK, HA, RP, S, C, K, 0, NULL},
    {&lead_sender, HA, RP, 0, HO_ACT_ACCEPTED, HO_EPERM, HA, RP, K, K, K, 0, "receiver"},
    {&sender_read_only, NS, RN, 0, HO_ACT_IN_PROGRESS, HO_EBADFILE, NS, RN, K, K, K, 0,
     "read-only"},
};

static void test_mark_table(void **state)
{
	(void)state;
	ho_function f = paired();
	for (size_t i = 0; i < sizeof mark_cases / sizeof mark_cases[0]; i++) {
		const struct mark_case *c = &mark_cases[i];
		ho_item it = item(c->s, c->r, c->queries);
		ho_mark_outcome out;
		ho_rule_mark(c->who, &f, &it, c->a, &out);
		if (out.status != c->want)
			fail_msg("case %zu (%s from %s / %s): status %s, wanted %s (%s)", i,
			         ho_action_name(c->a), ho_sender_state_name(c->s),
			         ho_receiver_state_name(c->r), ho_strerror(out.status),
			         ho_strerror(c->want), out.why ? out.why : "");
		if (c->want != HO_OK) {
			assert_non_null(out.why);
			if (!strstr(out.why, c->why))
				fail_msg("case %zu: reason '%s' lacks '%s'", i, out.why, c->why);
			continue;
		}
		assert_null(out.why);
		if (out.sender != c->new_s || out.receiver != c->new_r)
			fail_msg("case %zu (%s): to %s / %s, wanted %s / %s", i,
			         ho_action_name(c->a), ho_sender_state_name(out.sender),
			         ho_receiver_state_name(out.receiver),
			         ho_sender_state_name(c->new_s), ho_receiver_state_name(c->new_r));
		assert_int_equal(out.evidence, c->evidence);
		assert_int_equal(out.na_reason, c->na_reason);
		assert_int_equal(out.condition, c->condition);
		assert_int_equal(out.resolve_queries, c->resolve);
	}
}

/* Every action from every state by its own side: the outcome is always
 * either a refusal with a reason or a pair of states that exist, and an
 * action that needs text names it and the thread entry it makes. */
static void test_every_action_from_every_state(void **state)
{
	(void)state;
	ho_function f = paired();
	for (int a = 0; a < HO_ACT__COUNT; a++) {
		const ho_rule_actor *who =
		    ho_action_side((ho_action)a) == HO_ROLE_SENDER ? &sender : &receiver;
		for (int s = 0; s < HO_SENDER__COUNT; s++)
			for (int r = 0; r < HO_RECEIVER__COUNT; r++) {
				ho_item it = item((ho_sender_state)s, (ho_receiver_state)r, 0);
				ho_mark_outcome out;
				ho_rule_mark(who, &f, &it, (ho_action)a, &out);
				if (out.status != HO_OK) {
					assert_int_equal(out.status, HO_ESTATE);
					assert_non_null(out.why);
					continue;
				}
				assert_true((int)out.sender < HO_SENDER__COUNT);
				assert_true((int)out.receiver < HO_RECEIVER__COUNT);
				/* Something changes: a mark is never a no-op. */
				assert_true(out.sender != it.sender_state ||
				            out.receiver != it.receiver_state ||
				            a == HO_ACT_ACCEPTED_CONDITIONS);
			}
		const char *text = ho_action_text((ho_action)a);
		ho_item it = item(HO_SENDER_NOT_STARTED, HO_RECEIVER_NONE, 0);
		ho_mark_outcome out;
		ho_rule_mark(who, &f, &it, (ho_action)a, &out);
		assert_ptr_equal(out.text, text);
		assert_int_equal(out.thread >= 0, text != NULL);
	}
	ho_item it = item(HO_SENDER_NOT_STARTED, HO_RECEIVER_NONE, 0);
	ho_mark_outcome out;
	ho_rule_mark(&sender, &f, &it, (ho_action)HO_ACT__COUNT, &out);
	assert_int_equal(out.status, HO_EUSAGE);
}

/* A refusal for not being the actor's to do names the side that may. */
static void test_refusal_names_the_side(void **state)
{
	(void)state;
	ho_function f = paired();
	ho_item it = item(HA, RP, 0);
	ho_mark_outcome out;
	ho_rule_mark(&sender, &f, &it, HO_ACT_ACCEPTED, &out);
	assert_int_equal(out.only, HO_ROLE_RECEIVER);
	ho_rule_mark(&receiver, &f, &it, HO_ACT_IN_PROGRESS, &out);
	assert_int_equal(out.only, HO_ROLE_SENDER);
	ho_rule_mark(&receiver, &f, &it, HO_ACT_ACCEPTED, &out);
	assert_int_equal(out.only, HO_ROLE_NONE);
	ho_rule_mark(&viewer, &f, &it, HO_ACT_ACCEPTED, &out);
	assert_int_equal(out.only, HO_ROLE_NONE);
}

static void test_signed_function_is_final(void **state)
{
	(void)state;
	ho_function f = paired();
	f.sender_signed_at = 1;
	ho_item it = item(HO_SENDER_HANDED_OVER, HO_RECEIVER_PENDING, 0);
	ho_mark_outcome out;
	ho_rule_mark(&receiver, &f, &it, HO_ACT_GAP, &out);
	assert_int_equal(out.status, HO_ESTATE);
	assert_non_null(strstr(out.why, "signed off"));
	assert_true(ho_rule_function_signed(&f));
}

static void test_comment(void **state)
{
	(void)state;
	ho_function f = paired();
	const char *why = NULL;
	assert_int_equal(ho_rule_comment(&sender, &f, &why), HO_OK);
	assert_null(why);
	assert_int_equal(ho_rule_comment(&receiver, &f, &why), HO_OK);
	assert_int_equal(ho_rule_comment(&lead, &f, &why), HO_OK);
	assert_int_equal(ho_rule_comment(&stranger, &f, &why), HO_EPERM);
	assert_non_null(strstr(why, "only its sender, its receiver or a lead"));
	assert_int_equal(ho_rule_comment(&viewer, &f, &why), HO_EPERM);
	assert_non_null(strstr(why, "read-only"));
	assert_int_equal(ho_rule_comment(&sender_read_only, &f, &why), HO_EBADFILE);
}

struct sign_case {
	const ho_rule_actor *who;
	int total, done;
	int64_t sender_signed, receiver_signed;
	ho_status want;
	const char *why;
};

static void test_sign_function(void **state)
{
	(void)state;
	static const struct sign_case cases[] = {
	    {&sender, 3, 3, 0, 0, HO_OK, NULL},
	    {&receiver, 3, 3, 5, 0, HO_OK, NULL},
	    {&sender, 3, 2, 0, 0, HO_ESTATE, "not ready"},
	    {&sender, 0, 0, 0, 0, HO_ESTATE, "not ready"},
	    {&sender, 3, 3, 5, 0, HO_ESTATE, "already signed"},
	    {&receiver, 3, 3, 0, 5, HO_ESTATE, "already signed"},
	    {&lead, 3, 3, 0, 0, HO_EPERM, "sender and receiver"},
	    {&stranger, 3, 3, 0, 0, HO_EPERM, "sender and receiver"},
	    {&viewer, 3, 3, 0, 0, HO_EPERM, "read-only"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ho_function f = paired();
		f.counts.total = cases[i].total;
		f.counts.done = cases[i].done;
		f.sender_signed_at = cases[i].sender_signed;
		f.receiver_signed_at = cases[i].receiver_signed;
		const char *why = NULL;
		ho_status st = ho_rule_sign_function(cases[i].who, &f, &why);
		if (st != cases[i].want)
			fail_msg("case %zu: %s, wanted %s", i, ho_strerror(st),
			         ho_strerror(cases[i].want));
		if (cases[i].why && (!why || !strstr(why, cases[i].why)))
			fail_msg("case %zu: reason '%s' lacks '%s'", i, why ? why : "",
			         cases[i].why);
		assert_int_equal(ho_rule_function_ready(&f),
		                 cases[i].total > 0 && cases[i].done == cases[i].total);
	}
}

static void test_sign_handover(void **state)
{
	(void)state;
	ho_handover h = {.functions = 2, .functions_signed = 2};
	const char *why = NULL;
	assert_int_equal(ho_rule_sign_handover(&lead, &h, &why), HO_OK);
	assert_int_equal(ho_rule_sign_handover(&sender, &h, &why), HO_EPERM);
	assert_non_null(strstr(why, "only a lead"));
	ho_rule_actor lead_ro = lead;
	lead_ro.read_only = 1;
	assert_int_equal(ho_rule_sign_handover(&lead_ro, &h, &why), HO_EPERM);
	h.functions_signed = 1;
	assert_int_equal(ho_rule_sign_handover(&lead, &h, &why), HO_ESTATE);
	assert_non_null(strstr(why, "not ready"));
	h.functions = 0;
	h.functions_signed = 0;
	assert_int_equal(ho_rule_sign_handover(&lead, &h, &why), HO_ESTATE);
	assert_non_null(strstr(why, "no functions"));
	h.functions = 1;
	h.functions_signed = 1;
	h.signed_at = 7;
	assert_int_equal(ho_rule_sign_handover(&lead, &h, &why), HO_ESTATE);
	assert_non_null(strstr(why, "already signed"));
}

struct rag_case {
	ho_sender_state s;
	ho_receiver_state r;
	int queries;
	const char *due;
	ho_rag want;
	int overdue;
};

/* Editing an item's text after the receiver reviewed it: they accepted
 * something else, so it goes back to pending review (the condition goes);
 * a due date alone, or an item not yet reviewed, keeps its states. Only a
 * lead edits, and never in a closed handover, a signed-off or withdrawn
 * function, or a withdrawn item. */
struct edit_case {
	const ho_rule_actor *who;
	ho_sender_state s;
	ho_receiver_state r;
	int text_changed;
	int closed, signed_off, fn_retired, item_retired;
	ho_status want;
	ho_sender_state new_s;
	ho_receiver_state new_r;
	ho_text_change condition;
	const char *why;
};

static const struct edit_case edit_cases[] = {
    {&lead, HA, RA, 1, 0, 0, 0, 0, HO_OK, HA, RP, C, NULL},
    {&lead, HA, RC, 1, 0, 0, 0, 0, HO_OK, HA, RP, C, NULL},
    {&lead, NA, RA, 1, 0, 0, 0, 0, HO_OK, NA, RP, C, NULL},
    {&lead, HA, RA, 0, 0, 0, 0, 0, HO_OK, HA, RA, K, NULL},
    {&lead, HA, RC, 0, 0, 0, 0, 0, HO_OK, HA, RC, K, NULL},
    {&lead, HA, RP, 1, 0, 0, 0, 0, HO_OK, HA, RP, K, NULL},
    {&lead, IP, RG, 1, 0, 0, 0, 0, HO_OK, IP, RG, K, NULL},
    {&lead, NS, RN, 1, 0, 0, 0, 0, HO_OK, NS, RN, K, NULL},
    {&sender, NS, RN, 1, 0, 0, 0, 0, HO_EPERM, NS, RN, K, "only a lead"},
    {&receiver, HA, RA, 1, 0, 0, 0, 0, HO_EPERM, HA, RA, K, "only a lead"},
    {&viewer, NS, RN, 1, 0, 0, 0, 0, HO_EPERM, NS, RN, K, "not in this file"},
    {&lead, HA, RA, 1, 1, 0, 0, 0, HO_ESTATE, HA, RA, K, "closed"},
    {&lead, HA, RA, 1, 0, 1, 0, 0, HO_ESTATE, HA, RA, K, "signed off"},
    {&lead, NS, RN, 1, 0, 0, 1, 0, HO_ESTATE, NS, RN, K, "function has been withdrawn"},
    {&lead, NS, RN, 1, 0, 0, 0, 1, HO_ESTATE, NS, RN, K, "item has been withdrawn"},
};

static void test_item_edit_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof edit_cases / sizeof edit_cases[0]; i++) {
		const struct edit_case *c = &edit_cases[i];
		ho_function f = paired();
		ho_item it = item(c->s, c->r, 0);
		f.handover_closed_at = c->closed ? 1000 : 0;
		f.sender_signed_at = c->signed_off ? 1000 : 0;
		f.retired_at = c->fn_retired ? 1000 : 0;
		it.retired_at = c->item_retired ? 1000 : 0;
		ho_mark_outcome out;
		ho_rule_item_edit(c->who, &f, &it, c->text_changed, &out);
		if (out.status != c->want || out.sender != c->new_s || out.receiver != c->new_r ||
		    out.condition != c->condition)
			fail_msg("case %zu: status %d sender %d receiver %d condition %d", i,
			         out.status, out.sender, out.receiver, out.condition);
		if (c->why && (!out.why || !strstr(out.why, c->why)))
			fail_msg("case %zu: reason '%s', want '%s'", i, out.why ? out.why : "",
			         c->why);
		if (!c->why && out.why)
			fail_msg("case %zu: refused: %s", i, out.why);
	}
}

/* A closed handover, a withdrawn function or item: nobody marks, comments
 * or signs; the handover is not signed while closed. */
static void test_closed_and_withdrawn_are_final(void **state)
{
	(void)state;
	for (int k = 0; k < 3; k++) {
		ho_function f = paired();
		ho_item it = item(IP, RN, 0);
		if (k == 0)
			f.handover_closed_at = 1000;
		else if (k == 1)
			f.retired_at = 1000;
		else
			it.retired_at = 1000;
		ho_mark_outcome out;
		ho_rule_mark(&sender, &f, &it, HO_ACT_HANDED_OVER, &out);
		assert_int_equal(out.status, HO_ESTATE);
		assert_non_null(out.why);
		if (k < 2) {
			const char *why = NULL;
			assert_int_equal(ho_rule_comment(&receiver, &f, &why), HO_ESTATE);
			f.counts.total = f.counts.done = 1;
			assert_int_equal(ho_rule_sign_function(&sender, &f, &why), HO_ESTATE);
			assert_int_equal(ho_rule_setup(&lead, f.handover_closed_at, &f, NULL, &why),
			                 HO_ESTATE);
		}
	}
	ho_handover h = {.functions = 1, .functions_signed = 1, .closed_at = 1000};
	const char *why = NULL;
	assert_int_equal(ho_rule_sign_handover(&lead, &h, &why), HO_ESTATE);
	assert_non_null(strstr(why, "closed"));
	h.closed_at = 0;
	assert_int_equal(ho_rule_sign_handover(&lead, &h, &why), HO_OK);
	/* Setting up an open handover is a lead's. */
	assert_int_equal(ho_rule_setup(&lead, 0, NULL, NULL, &why), HO_OK);
	assert_int_equal(ho_rule_setup(&sender, 0, NULL, NULL, &why), HO_EPERM);
	assert_int_equal(ho_rule_setup(&sender_read_only, 0, NULL, NULL, &why), HO_EBADFILE);
}

static void test_item_rag(void **state)
{
	(void)state;
	/* Today 2026-11-22; due soon up to 2026-12-06. */
	static const struct rag_case cases[] = {
	    {NS, RN, 0, "", HO_RAG_NONE, 0},
	    {NS, RN, 0, "2026-11-21", HO_RAG_RED, 1},
	    {IP, RN, 0, "2026-11-21", HO_RAG_RED, 1},
	    {HA, RP, 0, "2026-11-21", HO_RAG_NONE, 0},
	    {NA, RP, 0, "2026-11-21", HO_RAG_NONE, 0},
	    {NS, RN, 0, "2026-11-22", HO_RAG_AMBER, 0},
	    {NS, RN, 0, "2026-12-06", HO_RAG_AMBER, 0},
	    {NS, RN, 0, "2026-12-07", HO_RAG_NONE, 0},
	    {IP, RG, 1, "", HO_RAG_AMBER, 0},
	    {HA, RA, 0, "2026-11-01", HO_RAG_GREEN, 0},
	    {HA, RC, 0, "", HO_RAG_GREEN, 0},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ho_item it = item(cases[i].s, cases[i].r, cases[i].queries);
		it.due_date = (char *)cases[i].due;
		int overdue = -1;
		ho_rag rag = ho_rule_item_rag(&it, "2026-11-22", "2026-12-06", &overdue);
		if (rag != cases[i].want || overdue != cases[i].overdue)
			fail_msg("case %zu: %s overdue %d, wanted %s overdue %d", i,
			         ho_rag_name(rag), overdue, ho_rag_name(cases[i].want),
			         cases[i].overdue);
	}
}

static void test_counts_rag(void **state)
{
	(void)state;
	ho_counts c = {.total = 4, .done = 4};
	assert_int_equal(ho_rule_counts_rag(&c, 1, 3), HO_RAG_GREEN);
	c.done = 2;
	assert_int_equal(ho_rule_counts_rag(&c, 0, 0), HO_RAG_GREEN);
	assert_int_equal(ho_rule_counts_rag(&c, 1, 0), HO_RAG_RED);
	assert_int_equal(ho_rule_counts_rag(&c, 0, 1), HO_RAG_AMBER);
	c.gaps = 1;
	assert_int_equal(ho_rule_counts_rag(&c, 0, 0), HO_RAG_AMBER);
	c.overdue = 1;
	assert_int_equal(ho_rule_counts_rag(&c, 0, 0), HO_RAG_RED);
}

static void test_filters(void **state)
{
	(void)state;
	ho_function f = paired();
	ho_item todo = item(NS, RN, 0), review = item(HA, RP, 0), done = item(HA, RA, 0);
	ho_item cond = item(HA, RC, 0), gap = item(IP, RG, 1), late = item(IP, RN, 0);
	late.overdue = 1;
	/* Mine: the sender's open work, the receiver's queue, a lead's
	 * everything not accepted, nothing for others. */
	assert_true(ho_rule_item_mine(&sender, &f, &todo));
	assert_true(ho_rule_item_mine(&sender, &f, &gap));
	assert_false(ho_rule_item_mine(&sender, &f, &review));
	assert_true(ho_rule_item_mine(&receiver, &f, &review));
	assert_false(ho_rule_item_mine(&receiver, &f, &todo));
	assert_true(ho_rule_item_mine(&lead, &f, &todo));
	assert_false(ho_rule_item_mine(&lead, &f, &done));
	assert_false(ho_rule_item_mine(&stranger, &f, &todo));
	assert_false(ho_rule_item_mine(&viewer, &f, &todo));

	assert_true(ho_rule_item_shown(&viewer, NULL, &todo, HO_FILTER_ALL));
	assert_true(ho_rule_item_shown(&viewer, NULL, &review, HO_FILTER_GAPS));
	assert_true(ho_rule_item_shown(&viewer, NULL, &cond, HO_FILTER_GAPS));
	assert_true(ho_rule_item_shown(&viewer, NULL, &gap, HO_FILTER_GAPS));
	assert_true(ho_rule_item_shown(&viewer, NULL, &late, HO_FILTER_GAPS));
	assert_false(ho_rule_item_shown(&viewer, NULL, &done, HO_FILTER_GAPS));
	assert_false(ho_rule_item_shown(&viewer, NULL, &todo, HO_FILTER_GAPS));
	assert_true(ho_rule_item_shown(&viewer, NULL, &late, HO_FILTER_OVERDUE));
	assert_false(ho_rule_item_shown(&viewer, NULL, &todo, HO_FILTER_OVERDUE));

	ho_function unpaired = {.id = 11, .sender_id = SAM};
	assert_true(ho_rule_function_shown(&sender, &f, HO_FILTER_MINE));
	assert_true(ho_rule_function_shown(&lead, &unpaired, HO_FILTER_MINE));
	assert_false(ho_rule_function_shown(&receiver, &unpaired, HO_FILTER_MINE));
	assert_true(ho_rule_function_shown(&viewer, &unpaired, HO_FILTER_GAPS));
	assert_false(ho_rule_function_shown(&viewer, &f, HO_FILTER_GAPS));
	f.counts.overdue = 2;
	assert_true(ho_rule_function_shown(&viewer, &f, HO_FILTER_OVERDUE));
	assert_true(ho_rule_function_shown(&viewer, &f, HO_FILTER_ALL));
}

/* ---- words ----------------------------------------------------------- */

/* Whose move an item waits on, for every pair of states an item can be in. */
static void test_item_waits_on(void **state)
{
	(void)state;
	static const struct {
		ho_sender_state s;
		ho_receiver_state r;
		ho_role want;
	} rows[] = {
	    {HO_SENDER_NOT_STARTED, HO_RECEIVER_NONE, HO_ROLE_SENDER},
	    {HO_SENDER_IN_PROGRESS, HO_RECEIVER_NONE, HO_ROLE_SENDER},
	    {HO_SENDER_IN_PROGRESS, HO_RECEIVER_GAP, HO_ROLE_SENDER},
	    {HO_SENDER_HANDED_OVER, HO_RECEIVER_GAP, HO_ROLE_SENDER},
	    {HO_SENDER_HANDED_OVER, HO_RECEIVER_PENDING, HO_ROLE_RECEIVER},
	    {HO_SENDER_NOT_APPLICABLE, HO_RECEIVER_PENDING, HO_ROLE_RECEIVER},
	    {HO_SENDER_HANDED_OVER, HO_RECEIVER_ACCEPTED, HO_ROLE_NONE},
	    {HO_SENDER_NOT_APPLICABLE, HO_RECEIVER_CONDITIONS, HO_ROLE_NONE},
	};
	for (size_t i = 0; i < sizeof rows / sizeof *rows; i++) {
		ho_item it = {.sender_state = rows[i].s, .receiver_state = rows[i].r};
		if (ho_rule_item_waits_on(&it) != rows[i].want)
			fail_msg("row %zu: waits on %s, wanted %s", i,
			         ho_role_name(ho_rule_item_waits_on(&it)),
			         ho_role_name(rows[i].want));
	}
}

static void test_words_round_trip(void **state)
{
	(void)state;
	for (int s = 0; s < HO_SENDER__COUNT; s++)
		assert_int_equal(words_sender_from_db(words_sender_db((ho_sender_state)s)), s);
	for (int r = 0; r < HO_RECEIVER__COUNT; r++)
		assert_int_equal(words_receiver_from_db(words_receiver_db((ho_receiver_state)r)),
		                 r);
	for (int r = 1; r < HO_ROLE__COUNT; r++) {
		assert_int_equal(words_role_from_db(words_role_db((ho_role)r)), r);
		ho_role parsed;
		assert_int_equal(ho_role_parse(ho_role_name((ho_role)r), &parsed), 0);
		assert_int_equal(parsed, r);
	}
	assert_int_equal(words_role_from_db("viewer"), HO_ROLE_NONE);
	assert_int_equal(ho_role_parse("viewer", NULL), -1);
	for (int k = 0; k < HO_THREAD__COUNT; k++)
		assert_int_equal(words_thread_from_db(words_thread_db((ho_thread_kind)k)), k);
	for (int a = 0; a < HO_ACT__COUNT; a++) {
		ho_action parsed;
		assert_int_equal(ho_action_parse(ho_action_name((ho_action)a), &parsed), 0);
		assert_int_equal(parsed, a);
	}
	/* Every word function says something for every value, and "?" only
	 * outside the enum. */
	for (int g = 0; g < HO_GAP__COUNT; g++)
		assert_string_not_equal(ho_gap_kind_name((ho_gap_kind)g), "?");
	for (int f = 0; f < HO_FILTER__COUNT; f++)
		assert_string_not_equal(ho_filter_name((ho_filter)f), "?");
	assert_string_equal(ho_sender_state_name((ho_sender_state)HO_SENDER__COUNT), "?");
	assert_string_equal(ho_receiver_state_doc(HO_RECEIVER_NONE), "not yet");
	assert_string_equal(ho_sender_state_brief(HO_SENDER_NOT_APPLICABLE), "N/A");
}

/* The schema's CHECK list for `column`, from the last migration that
 * states one (glob sorts the numbered files), as space-separated words. */
static void schema_words(const char *column, char *out, size_t size)
{
	out[0] = '\0';
	glob_t g;
	assert_int_equal(glob(HO_SOURCE_DIR "/schema/*.sql", 0, NULL, &g), 0);
	char needle[64];
	snprintf(needle, sizeof needle, "CHECK (%s IN (", column);
	for (size_t n = 0; n < g.gl_pathc; n++) {
		FILE *f = fopen(g.gl_pathv[n], "r");
		assert_non_null(f);
		static char text[1 << 20];
		size_t len = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[len] = '\0';
		for (const char *at = strstr(text, needle); at; at = strstr(at + 1, needle)) {
			const char *from = at + strlen(needle), *to = strchr(from, ')');
			assert_non_null(to);
			size_t used = 0;
			for (const char *c = from; c < to && used + 2 < size; c++)
				if (*c != '\'' && *c != ',')
					out[used++] = *c;
			out[used] = '\0';
		}
	}
	globfree(&g);
}

static void expect_same_words(const char *column, enum words_kind kind)
{
	char schema[1024], table[1024] = "";
	schema_words(column, schema, sizeof schema);
	const char *const *w;
	int n = words_db_list(kind, &w);
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(table, " ");
		strcat(table, w[i]);
	}
	if (strcmp(schema, table) != 0)
		fail_msg("%s: schema accepts '%s', words.def has '%s'", column, schema, table);
}

static void test_words_match_schema(void **state)
{
	(void)state;
	expect_same_words("sender_state", WORDS_SENDER);
	expect_same_words("receiver_state", WORDS_RECEIVER);
	expect_same_words("role", WORDS_ROLE);
	expect_same_words("kind", WORDS_THREAD);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_mark_table),
	    cmocka_unit_test(test_every_action_from_every_state),
	    cmocka_unit_test(test_refusal_names_the_side),
	    cmocka_unit_test(test_signed_function_is_final),
	    cmocka_unit_test(test_comment),
	    cmocka_unit_test(test_sign_function),
	    cmocka_unit_test(test_sign_handover),
	    cmocka_unit_test(test_item_edit_table),
	    cmocka_unit_test(test_closed_and_withdrawn_are_final),
	    cmocka_unit_test(test_item_rag),
	    cmocka_unit_test(test_counts_rag),
	    cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_item_waits_on),
	    cmocka_unit_test(test_words_round_trip),
	    cmocka_unit_test(test_words_match_schema),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
