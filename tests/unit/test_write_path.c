/* The one write path (store_change_begin/store_change_end): the role is
 * checked before any lock, the status a change fails with is kept as it
 * is, and nothing commits without its history event. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fixture.h"
#include "store.h"

static int64_t events_in(ho_db *db)
{
	ho_verify_result vr;
	assert_int_equal(ho_verify(db, &vr), HO_OK);
	return vr.events;
}

static int64_t people_in(ho_db *db)
{
	ho_person *ps = NULL;
	size_t n = 0;
	assert_int_equal(ho_people_list(db, &ps, &n), HO_OK);
	ho_person_free(ps, n);
	return (int64_t)n;
}

/* A change that writes a row but no history event is refused and rolled
 * back: the row is gone and verify still holds. */
static void test_change_without_event_refused(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "write-path-noevent.db");
	int64_t events = events_in(fx.db), people = people_in(fx.db);
	struct store_change ch;
	assert_int_equal(store_change_begin(fx.db, &ch, STORE_LEAD, "adding a person"), HO_OK);
	eng_stmt *s = store_stmt(fx.db, STMT_person_insert);
	assert_non_null(s);
	store_bind_text(s, ":login", "ghost");
	store_bind_text(s, ":name", "Nobody Recorded");
	store_bind_text(s, ":org", "");
	store_bind_text(s, ":role", "sender");
	store_bind_int(s, ":now", FX_NOW);
	assert_int_equal(store_exec_stmt(fx.db, s, "adding"), HO_OK);
	assert_int_equal(people_in(fx.db), people + 1);
	assert_int_equal(store_change_end(fx.db, &ch, HO_OK), HO_EIO);
	assert_non_null(strstr(ho_errmsg(fx.db), "without its history event"));
	assert_int_equal(people_in(fx.db), people);
	assert_int_equal(events_in(fx.db), events);
	fx_free(&fx);
}

/* The status a change ends with is the one returned (not flattened), and
 * what it wrote is rolled back. */
static void test_status_kept_and_rolled_back(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "write-path-status.db");
	int64_t people = people_in(fx.db);
	struct store_change ch;
	assert_int_equal(store_change_begin(fx.db, &ch, STORE_ANYONE, NULL), HO_OK);
	assert_int_equal(ho_person_add(fx.db, "kim", "Kim Lee", HO_ROLE_SENDER, ""), HO_OK);
	assert_int_equal(people_in(fx.db), people + 1);
	assert_int_equal(store_change_end(fx.db, &ch, HO_EBUSY), HO_EBUSY);
	assert_int_equal(people_in(fx.db), people);
	fx_free(&fx);
}

/* The role is checked before the transaction opens: a sender's attempt
 * leaves no transaction behind, and the next change works. */
static void test_role_checked_before_lock(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "write-path-role.db");
	fx_as(&fx, "sam");
	struct store_change ch;
	assert_int_equal(store_change_begin(fx.db, &ch, STORE_LEAD, "adding a person"), HO_EPERM);
	assert_non_null(strstr(ho_errmsg(fx.db), "only a lead"));
	assert_int_equal(fx.db->tx_depth, 0);
	fx_as(&fx, "lead");
	assert_int_equal(ho_person_add(fx.db, "kim", "Kim Lee", HO_ROLE_SENDER, ""), HO_OK);
	fx_free(&fx);
}

/* Inside a batch an inner change only counts: its event is the batch's,
 * and the batch commits once. */
static void test_batch_commits_once(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "write-path-batch.db");
	int64_t events = events_in(fx.db);
	struct store_change outer;
	assert_int_equal(store_change_begin(fx.db, &outer, STORE_LEAD, "a batch"), HO_OK);
	assert_int_equal(ho_person_add(fx.db, "kim", "Kim Lee", HO_ROLE_SENDER, ""), HO_OK);
	assert_int_equal(ho_person_add(fx.db, "lou", "Lou Ray", HO_ROLE_RECEIVER, ""), HO_OK);
	assert_int_equal(fx.db->tx_depth, 1);
	assert_int_equal(store_change_end(fx.db, &outer, HO_OK), HO_OK);
	assert_int_equal(fx.db->tx_depth, 0);
	assert_int_equal(events_in(fx.db), events + 2);
	fx_free(&fx);
}

/* A column that could not be copied marks its statement: the next step
 * says out of memory instead of reading on as if the row were whole, and
 * the statement is clean again when handed out next. */
static void test_row_not_whole_is_out_of_memory(void **state)
{
	(void)state;
	struct fixture fx;
	fx_build(&fx, "write-path-oom.db");
	eng_stmt *s = store_stmt(fx.db, STMT_people_all);
	assert_non_null(s);
	assert_int_equal(eng_step(s), ENG_ROW);
	s->oom = 1; /* as store_col_text() leaves it when strdup fails */
	assert_int_equal(store_row_whole(s, ENG_ROW), ENG_NOMEM);
	assert_int_equal(eng_step(s), ENG_NOMEM);
	assert_int_equal(store_engine_fail(fx.db, ENG_NOMEM, "reading people"), HO_ENOMEM);
	eng_reset(s);
	s = store_stmt(fx.db, STMT_people_all);
	assert_int_equal(s->oom, 0);
	assert_int_equal(eng_step(s), ENG_ROW);
	eng_reset(s);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_change_without_event_refused),
	    cmocka_unit_test(test_status_kept_and_rolled_back),
	    cmocka_unit_test(test_role_checked_before_lock),
	    cmocka_unit_test(test_batch_commits_once),
	    cmocka_unit_test(test_row_not_whole_is_out_of_memory),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
