/* The built-in pod template and the demo content: the template has the ten
 * functions of the domain with usable items, and a demo file shows every
 * kind of progress (accepted, pending review, open gaps, overdue, one
 * function signed off) whatever day it is built, with an intact history. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "handover/testhook.h"
#include "template.h"
#include "testutil.h"

#define DEMO_NOW 1795341600 /* 2026-11-22T10:00:00Z */

static void test_template_functions(void **state)
{
	static const char *const codes[] = {"GOV", "FIN", "CON", "CMP", "QUA",
	                                    "WRK", "DIG", "IGD", "PER", "COM"};
	(void)state;
	assert_int_equal(ho_pod_template_count, 10);
	for (size_t i = 0; i < ho_pod_template_count; i++) {
		const struct ho_template_function *f = &ho_pod_template[i];
		assert_string_equal(f->code, codes[i]);
		assert_non_null(f->name);
		assert_true(strlen(f->name) > 0);
		if (f->item_count < 7 || f->item_count > 9)
			fail_msg("%s has %zu items, wanted 7 to 9", f->code, f->item_count);
		for (size_t j = 0; j < f->item_count; j++) {
			const struct ho_template_item *it = &f->items[j];
			assert_non_null(it->title);
			assert_non_null(it->guidance);
			assert_true(strlen(it->title) > 0);
			/* Titles are read in a checklist row: keep them short. */
			if (strlen(it->title) > 72)
				fail_msg("%s-%zu title too long: %s", f->code, j + 1, it->title);
			assert_true(strlen(it->guidance) > 0);
			assert_true(strlen(it->guidance) <= HO_MAX_GUIDANCE);
		}
	}
}

static void test_template_applied(void **state)
{
	(void)state;
	ho_db *db = tu_new_file("template.db", 0, 0);
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 0, "GOV-1", &id), HO_OK);
	assert_int_equal(ho_item_find(db, 0, "COM-7", &id), HO_OK);
	ho_function *f = NULL;
	size_t n = 0;
	assert_int_equal(ho_functions_list(db, 0, &f, &n), HO_OK);
	assert_int_equal(n, ho_pod_template_count);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(f[i].code, ho_pod_template[i].code);
		assert_string_equal(f[i].name, ho_pod_template[i].name);
		assert_int_equal(f[i].counts.total, (int)ho_pod_template[i].item_count);
	}
	ho_function_free(f, n);
	ho_close(db);
}

/* Totals over the whole demo file. */
struct tally {
	int handovers, functions, unpaired, signed_both;
	int accepted, conditions, pending, open_queries, overdue;
	int gap_kind[HO_GAP_UNPAIRED + 1];
	int resolved_queries, comments, not_applicable;
};

static void tally_threads(ho_db *db, int64_t item_id, struct tally *t)
{
	ho_thread_entry *e = NULL;
	size_t n = 0;
	assert_int_equal(ho_thread_list(db, item_id, &e, &n), HO_OK);
	for (size_t i = 0; i < n; i++) {
		if (e[i].kind == HO_THREAD_QUERY && e[i].resolved_at)
			t->resolved_queries++;
		if (e[i].kind == HO_THREAD_COMMENT)
			t->comments++;
	}
	ho_thread_free(e, n);
}

static void tally_demo(ho_db *db, struct tally *t)
{
	memset(t, 0, sizeof *t);
	ho_handover *h = NULL;
	size_t nh = 0;
	assert_int_equal(ho_handovers_list(db, &h, &nh), HO_OK);
	t->handovers = (int)nh;
	for (size_t i = 0; i < nh; i++) {
		/* Both handovers have something open and something late. */
		if (h[i].counts.overdue == 0 || h[i].counts.gaps == 0)
			fail_msg("%s: overdue %d, open queries %d; wanted some of each", h[i].title,
			         h[i].counts.overdue, h[i].counts.gaps);
		assert_int_equal(h[i].functions, 10);
		ho_function *f = NULL;
		size_t nf = 0;
		assert_int_equal(ho_functions_list(db, h[i].id, &f, &nf), HO_OK);
		for (size_t j = 0; j < nf; j++) {
			t->functions++;
			if (!f[j].sender_id || !f[j].receiver_id)
				t->unpaired++;
			if (f[j].sender_signed_at && f[j].receiver_signed_at)
				t->signed_both++;
			t->accepted += f[j].counts.accepted;
			t->conditions += f[j].counts.conditions;
			t->pending += f[j].counts.pending;
			t->open_queries += f[j].counts.gaps;
			t->overdue += f[j].counts.overdue;
			t->not_applicable += f[j].counts.not_applicable;
			ho_item *it = NULL;
			size_t ni = 0;
			assert_int_equal(ho_items_list(db, f[j].id, HO_FILTER_ALL, &it, &ni),
			                 HO_OK);
			for (size_t k = 0; k < ni; k++)
				if (it[k].thread_count)
					tally_threads(db, it[k].id, t);
			ho_item_free(it, ni);
		}
		ho_function_free(f, nf);
	}
	ho_handover_free(h, nh);

	ho_gap *g = NULL;
	size_t ng = 0;
	assert_int_equal(ho_gaps_list(db, 0, 0, 0, &g, &ng), HO_OK);
	for (size_t i = 0; i < ng; i++)
		t->gap_kind[g[i].kind]++;
	ho_gap_free(g, ng);
}

static void check_demo_at(int64_t now, const char *name)
{
	ho_clock_set(now);
	ho_db *db = tu_new_file(name, 0, 1);

	/* Whoever ran init is still the actor afterwards. */
	assert_string_equal(ho_actor(db)->login, "lead");
	assert_int_equal(ho_actor(db)->role, HO_ROLE_LEAD);

	struct tally t;
	tally_demo(db, &t);
	assert_int_equal(t.handovers, 2);
	assert_int_equal(t.functions, 20);
	assert_int_equal(t.unpaired, 0);
	assert_int_equal(t.gap_kind[HO_GAP_UNPAIRED], 0);
	assert_true(t.signed_both >= 1);
	assert_true(t.accepted > 0);
	assert_true(t.conditions > 0);
	assert_true(t.pending > 0);
	assert_true(t.open_queries > 0);
	assert_true(t.overdue > 0);
	assert_true(t.not_applicable > 0);
	assert_true(t.gap_kind[HO_GAP_QUERY] > 0);
	assert_true(t.gap_kind[HO_GAP_OVERDUE] > 0);
	assert_true(t.gap_kind[HO_GAP_UNREVIEWED] > 0);
	assert_true(t.gap_kind[HO_GAP_CONDITION] > 0);
	/* A gap raised, answered and accepted leaves a closed query. */
	assert_true(t.resolved_queries > 0);
	assert_true(t.comments > 0);
	/* Part-way: far from everything is done. */
	assert_true(t.accepted + t.conditions < 150);

	ho_verify_result vr;
	assert_int_equal(ho_verify(db, &vr), HO_OK);
	assert_int_equal(vr.first_bad, 0);
	assert_true(vr.events > 100);
	assert_int_equal(ho_check(db), HO_OK);
	ho_close(db);
}

static void test_demo_content(void **state)
{
	(void)state;
	check_demo_at(DEMO_NOW, "demo.db");
}

/* Due dates follow the clock: another day, the same picture. */
static void test_demo_other_day(void **state)
{
	(void)state;
	check_demo_at(ho_time_parse("2031-02-28T23:30:00Z"), "demo-2031.db");
}

static int has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

static void test_demo_people(void **state)
{
	(void)state;
	ho_clock_set(DEMO_NOW);
	ho_db *db = tu_new_file("people.db", 0, 1);
	ho_person *p = NULL;
	size_t n = 0;
	int roles[HO_ROLE_LEAD + 1] = {0}, non_ascii = 0;
	assert_int_equal(ho_people_list(db, &p, &n), HO_OK);
	for (size_t i = 0; i < n; i++) {
		roles[p[i].role]++;
		non_ascii += has_non_ascii(p[i].name);
		if (p[i].role != HO_ROLE_LEAD || strcmp(p[i].login, "lead") != 0)
			assert_true(strlen(p[i].org) > 0);
	}
	ho_person_free(p, n);
	assert_true(roles[HO_ROLE_LEAD] >= 3); /* the first lead and the demo's own */
	assert_true(roles[HO_ROLE_SENDER] >= 2);
	assert_true(roles[HO_ROLE_RECEIVER] >= 2);
	assert_true(non_ascii > 0);

	/* Every pair is a sender and a receiver from the right sides. */
	ho_function *f = NULL;
	size_t nf = 0;
	assert_int_equal(ho_functions_list(db, 0, &f, &nf), HO_OK);
	for (size_t i = 0; i < nf; i++) {
		ho_person s, r;
		assert_int_equal(ho_person_get(db, f[i].sender_login, &s), HO_OK);
		assert_int_equal(ho_person_get(db, f[i].receiver_login, &r), HO_OK);
		assert_int_equal(s.role, HO_ROLE_SENDER);
		assert_int_equal(r.role, HO_ROLE_RECEIVER);
		assert_string_not_equal(s.org, r.org);
		ho_person_clear(&s);
		ho_person_clear(&r);
	}
	ho_function_free(f, nf);
	ho_close(db);
}

/* The same clock gives the same file content, down to the history chain. */
static void test_demo_deterministic(void **state)
{
	(void)state;
	char head1[65], head2[65];
	int64_t ev1 = 0, ev2 = 0;
	ho_clock_set(DEMO_NOW);
	ho_db *db = tu_new_file("same1.db", 0, 1);
	assert_int_equal(ho_history_head(db, head1, &ev1), HO_OK);
	ho_close(db);
	db = tu_new_file("same2.db", 0, 1);
	assert_int_equal(ho_history_head(db, head2, &ev2), HO_OK);
	ho_close(db);
	assert_int_equal(ev1, ev2);
	assert_string_equal(head1, head2);
}

/* A failed fill still hands the actor back. */
static void test_demo_restores_actor(void **state)
{
	(void)state;
	ho_clock_set(DEMO_NOW);
	ho_db *db = tu_new_file("again.db", 0, 1);
	/* The demo people exist already, so a second fill fails at once. */
	assert_int_not_equal(ho_demo_fill(db), HO_OK);
	assert_string_equal(ho_actor(db)->login, "lead");
	assert_int_equal(ho_actor(db)->role, HO_ROLE_LEAD);
	ho_close(db);
}

/* init --demo run by one of the demo's own people: a lead is simply in
 * already; a sender cannot also be the file's lead, and is told so. */
static void test_demo_made_by_a_demo_person(void **state)
{
	(void)state;
	ho_clock_set(DEMO_NOW);
	const char *logins[] = {"amira.khan", "lucy.wright"};
	const char *files[] = {"by-lead.db", "by-sender.db"};
	for (int i = 0; i < 2; i++) {
		ho_db *db = NULL;
		assert_int_equal(ho_open(tu_new_database(files[i]), HO_OPEN_CREATE, &db), HO_OK);
		ho_init_opts o = {.login = logins[i], .demo = 1};
		ho_status st = ho_init(db, &o);
		if (i == 0) {
			assert_int_equal(st, HO_OK);
			assert_int_equal(ho_actor(db)->role, HO_ROLE_LEAD);
			assert_string_equal(ho_actor(db)->name, "Amira Khan"); /* as in the demo */
		} else {
			assert_int_equal(st, HO_EUSAGE);
			assert_non_null(strstr(ho_errmsg(db), "one of the demo's senders"));
		}
		ho_close(db);
	}
}

static int teardown(void **state)
{
	(void)state;
	ho_clock_set(0);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_template_functions),
	    cmocka_unit_test_teardown(test_template_applied, teardown),
	    cmocka_unit_test_teardown(test_demo_content, teardown),
	    cmocka_unit_test_teardown(test_demo_other_day, teardown),
	    cmocka_unit_test_teardown(test_demo_people, teardown),
	    cmocka_unit_test_teardown(test_demo_deterministic, teardown),
	    cmocka_unit_test_teardown(test_demo_restores_actor, teardown),
	    cmocka_unit_test_teardown(test_demo_made_by_a_demo_person, teardown),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
