/* Tamper evidence: someone with sqlite3 edits, deletes, reorders or adds
 * history behind the application's back. verify names the first broken
 * event; check notices the guards (triggers) or the schema tampered with.
 * What the chain alone cannot show (a cut-off tail, a chain rebuilt from
 * scratch) shows against the head hash printed on the signed document. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "fixture.h"
#include "handover/report.h"

/* A file with some history (more than a dozen events), closed so only
 * the hand edits below touch it. Returns the head hash before tampering. */
static void make_history(struct fixture *fx, const char *name, ho_verify_result *before)
{
	fx_build(fx, name);
	fx_as(fx, "sam");
	fx_mark(fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract", HO_OK);
	fx_mark(fx, "FIN-2", HO_ACT_HANDED_OVER, "Accruals list", HO_OK);
	assert_int_equal(ho_item_comment(fx->db, fx_item(fx, "FIN-1"), "See tab 2"), HO_OK);
	fx_as(fx, "rita");
	fx_mark(fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_OK);
	fx_mark(fx, "FIN-2", HO_ACT_GAP, "Where is March?", HO_OK);
	assert_int_equal(ho_verify(fx->db, before), HO_OK);
	assert_true(before->events >= 14);
	ho_close(fx->db);
	fx->db = NULL;
}

static void edit(const char *path, const char *statements)
{
	tu_edit(path, statements);
}

/* Open the tampered file and verify: it must fail at `first_bad`, saying
 * `what`, with the documented status. */
static void expect_broken_at(const char *path, int64_t first_bad, const char *what)
{
	ho_db *db = tu_open_as(path, "lead");
	ho_verify_result vr;
	ho_status st = ho_verify(db, &vr);
	if (st != HO_EBADFILE || vr.first_bad != first_bad)
		fail_msg("verify: %s, first bad %" PRId64 " (%s); wanted event %" PRId64,
		         ho_strerror(st), vr.first_bad, vr.problem, first_bad);
	char want[32];
	snprintf(want, sizeof want, "event %" PRId64, first_bad);
	assert_non_null(strstr(vr.problem, want));
	if (what && !strstr(vr.problem, what))
		fail_msg("problem '%s' should say '%s'", vr.problem, what);
	assert_non_null(strstr(ho_errmsg(db), want));
	assert_null(strchr(ho_errmsg(db), '\n'));
	assert_int_equal(ho_exit_code(st), 2);
	ho_close(db);
}

static void test_event_content_changed(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "t-content.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update; "
	              "UPDATE events SET new_value = 'accepted' WHERE id = 12");
	expect_broken_at(fx.path, 12, "changed");
	fx_free(&fx);
}

static void test_event_actor_or_time_changed(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "t-actor.db", &before);
	edit(fx.path,
	     "DROP TRIGGER events_no_update; UPDATE events SET actor = 'rita' WHERE id = 9");
	expect_broken_at(fx.path, 9, "changed");
	make_history(&fx, "t-time.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update; UPDATE events SET at = at - 86400 "
	              "WHERE id = 10");
	expect_broken_at(fx.path, 10, "changed");
	fx_free(&fx);
}

static void test_event_deleted(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "t-delete.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 7");
	expect_broken_at(fx.path, 8, "deleted");
	/* The first event gone. */
	make_history(&fx, "t-delete1.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_delete; DELETE FROM events WHERE id = 1");
	expect_broken_at(fx.path, 2, "deleted");
	fx_free(&fx);
}

static void test_events_reordered(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	/* Two events swap places (their contents trade ids). */
	make_history(&fx, "t-swap.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update; "
	              "UPDATE events SET id = -1 WHERE id = 10; "
	              "UPDATE events SET id = 10 WHERE id = 11; "
	              "UPDATE events SET id = 11 WHERE id = -1");
	expect_broken_at(fx.path, 10, NULL);
	/* An event moved to the end. */
	make_history(&fx, "t-move.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update; "
	              "UPDATE events SET id = (SELECT max(id) + 1 FROM events) WHERE id = 6");
	expect_broken_at(fx.path, 7, "deleted");
	fx_free(&fx);
}

static void test_event_inserted(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	/* A made-up event appended with a made-up hash. */
	make_history(&fx, "t-append.db", &before);
	char sql[600];
	snprintf(sql, sizeof sql,
	         "INSERT INTO events(id, at, actor, action, ref, new_value, prev_hash, hash) "
	         "VALUES (%" PRId64
	         ", 1795341600, 'rita', 'mark', 'FIN-2', 'accepted', '%s', '%064d')",
	         before.events + 1, before.head, 0);
	edit(fx.path, sql);
	expect_broken_at(fx.path, before.events + 1, "changed");
	/* One slipped in the middle, the rest renumbered to make room. */
	make_history(&fx, "t-insert.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update; "
	              "UPDATE events SET id = id + 1000 WHERE id >= 5; "
	              "UPDATE events SET id = id - 999 WHERE id >= 1005; "
	              "INSERT INTO events(id, at, actor, action, ref, new_value, prev_hash, hash) "
	              "SELECT 5, at, actor, action, ref, 'forged', hash, hash FROM events "
	              "WHERE id = 4");
	expect_broken_at(fx.path, 5, "changed");
	fx_free(&fx);
}

/* The hash of one event as store_history.c defines it (a forger who read
 * the source can do this too, which is why the head hash is printed). */
static void rehash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[65536];
	size_t n = 0;
	for (int i = 0; i < argc; i++) {
		const char *t = (const char *)sqlite3_value_text(argv[i]);
		int is_int = sqlite3_value_type(argv[i]) == SQLITE_INTEGER;
		if (is_int && sqlite3_value_int64(argv[i]) == 0)
			t = "";
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\x1f", t ? t : "");
	}
	char hex[65];
	ho_sha256_hex(buf, n, hex);
	sqlite3_result_text(ctx, hex, -1, SQLITE_TRANSIENT);
}

/* Event 12 rewritten and every hash from there on made again, the guard
 * put back so check has nothing to say either: with sqlite3 ... */
static void rebuild_chain_sqlite(const char *path, int64_t events)
{
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	assert_int_equal(
	    sqlite3_create_function(c, "rehash", 14, SQLITE_UTF8, NULL, rehash, NULL, NULL),
	    SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "DROP TRIGGER events_no_update", NULL, NULL, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "UPDATE events SET new_value = 'accepted' WHERE id = 12",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	for (int64_t id = 12; id <= events; id++) {
		char sql[700];
		snprintf(
		    sql, sizeof sql,
		    "UPDATE events SET prev_hash = (SELECT hash FROM events WHERE id = %" PRId64
		    " - 1) WHERE id = %" PRId64 "; "
		    "UPDATE events SET hash = rehash(prev_hash, id, at, actor, action, "
		    "handover_id, function_id, item_id, ref, old_value, new_value, undo, "
		    "item_version, state) WHERE id = %" PRId64,
		    id, id, id);
		char *err = NULL;
		if (sqlite3_exec(c, sql, NULL, NULL, &err) != SQLITE_OK)
			fail_msg("%s", err);
	}
	/* Put the guard back so check has nothing to say either. */
	assert_int_equal(sqlite3_exec(c,
	                              "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
	                              "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_close(c);
}

/* ... and with psql as the database's owner (the same hash, computed here:
 * every column as text, a number 0 or a NULL as nothing). */
static void rebuild_chain_pg(const char *path, int64_t events)
{
	PGconn *c = PQconnectdb(path);
	assert_int_equal(PQstatus(c), CONNECTION_OK);
	PGresult *r = PQexec(c, "DROP TRIGGER events_no_update ON events; "
	                        "UPDATE events SET new_value = 'accepted' WHERE id = 12");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	for (int64_t id = 12; id <= events; id++) {
		char num[24];
		snprintf(num, sizeof num, "%" PRId64, id);
		const char *param[3] = {num};
		r = PQexecParams(
		    c,
		    "SELECT (SELECT hash FROM events WHERE id = $1::bigint - 1), id, at, "
		    "actor, action, handover_id, function_id, item_id, ref, old_value, "
		    "new_value, undo, item_version, state FROM events WHERE id = $1::bigint",
		    1, NULL, param, NULL, NULL, 0);
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		assert_int_equal(PQntuples(r), 1);
		char buf[65536], prev[65], hex[65];
		size_t n = 0;
		snprintf(prev, sizeof prev, "%s", PQgetvalue(r, 0, 0));
		for (int i = 0; i < PQnfields(r); i++) {
			const char *t = PQgetisnull(r, 0, i) ? "" : PQgetvalue(r, 0, i);
			if (PQftype(r, i) == 20 && strcmp(t, "0") == 0)
				t = "";
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\x1f", t);
		}
		PQclear(r);
		ho_sha256_hex(buf, n, hex);
		param[0] = prev;
		param[1] = hex;
		param[2] = num;
		r = PQexecParams(
		    c, "UPDATE events SET prev_hash = $1, hash = $2 WHERE id = $3::bigint", 3, NULL,
		    param, NULL, NULL, 0);
		assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
		PQclear(r);
	}
	r = PQexec(c, "CREATE TRIGGER events_no_update BEFORE UPDATE ON events FOR EACH ROW "
	              "EXECUTE FUNCTION handover_history_append_only()");
	assert_int_equal(PQresultStatus(r), PGRES_COMMAND_OK);
	PQclear(r);
	PQfinish(c);
}

/* Rewriting an event and rebuilding every hash after it passes verify:
 * the chain is only evidence against the head hash printed on the signed
 * document. Show that the head moved, and that documents print it. */
static void test_rebuilt_chain_shows_against_printed_head(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "t-rebuilt.db", &before);

	ho_db *db = tu_open_as(fx.path, "lead");
	char *doc = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&doc, &len);
	ho_print_opts po = {.handover_id = fx.handover, .format = HO_FMT_TEXT};
	assert_int_equal(ho_print(db, &po, mem), HO_OK);
	fclose(mem);
	assert_non_null(strstr(doc, before.head));
	free(doc);
	ho_close(db);

	if (tu_pg())
		rebuild_chain_pg(fx.path, before.events);
	else
		rebuild_chain_sqlite(fx.path, before.events);

	db = tu_open_as(fx.path, "lead");
	ho_verify_result after;
	assert_int_equal(ho_verify(db, &after), HO_OK);
	assert_int_equal(after.events, before.events);
	assert_string_not_equal(after.head, before.head);
	ho_close(db);
	fx_free(&fx);
}

/* Cutting events off the end leaves a chain that is whole but shorter.
 * The rows those events changed no longer match what the history says, so
 * verify names them; the chain itself is intact (no first bad event). */
static void test_tail_cut_names_the_rows(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "t-tail.db", &before);
	/* The last event is rita's gap on FIN-2 (item and its query). */
	edit(fx.path, "DROP TRIGGER events_no_delete; "
	              "DELETE FROM events WHERE id = (SELECT max(id) FROM events); "
	              "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
	              "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END");
	ho_db *db = tu_open_as(fx.path, "lead");
	ho_verify_result after;
	assert_int_equal(ho_verify(db, &after), HO_EBADFILE);
	assert_int_equal(after.first_bad, 0);
	assert_int_equal(after.events, before.events - 1);
	assert_string_not_equal(after.head, before.head);
	assert_int_equal(after.mismatches, 2);
	assert_non_null(strstr(after.mismatch, "item FIN-2"));
	assert_non_null(strstr(after.mismatch, "state gap, history says pending"));
	assert_non_null(strstr(ho_errmsg(db), "2 rows"));
	ho_close(db);
	fx_free(&fx);
}

/* ---- the guards ------------------------------------------------------------------ */

static void expect_check_fails(const char *path, const char *says)
{
	ho_db *db = tu_open_as(path, "lead");
	ho_status st = ho_check(db);
	if (st != HO_EBADFILE)
		fail_msg("check: %s (%s), wanted 'bad file' saying '%s'", ho_strerror(st),
		         ho_errmsg(db), says);
	if (says && !strstr(ho_errmsg(db), says))
		fail_msg("check message '%s' should say '%s'", ho_errmsg(db), says);
	assert_null(strchr(ho_errmsg(db), '\n'));
	ho_close(db);
}

static void test_guards_dropped(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "g-drop-u.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update");
	expect_check_fails(fx.path, "events_no_update");
	make_history(&fx, "g-drop-d.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_delete");
	expect_check_fails(fx.path, "events_no_delete");
	fx_free(&fx);
}

/* A guard replaced by one of the same name that guards nothing is as good
 * as dropped. */
static void test_guard_defanged(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "g-defanged.db", &before);
	edit(fx.path,
	     "DROP TRIGGER events_no_update; "
	     "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT 1; END");
	expect_check_fails(fx.path, "events_no_update");
	fx_free(&fx);
}

/* A table of the schema gone: check says the file is not as handover
 * made it, rather than every later command failing with an SQL error. */
static void test_schema_table_dropped(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "g-table.db", &before);
	edit(fx.path, "PRAGMA foreign_keys=OFF; DROP TABLE thread");
	expect_check_fails(fx.path, "thread");
	fx_free(&fx);
}

/* A row pointing at a person who is not there. */
static void test_dangling_reference(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "g-fk.db", &before);
	edit(fx.path, "PRAGMA foreign_keys=OFF; UPDATE functions SET sender_id = 999 "
	              "WHERE code = 'FIN'");
	expect_check_fails(fx.path, "refers to a missing row");
	fx_free(&fx);
}

/* The last event's id pushed to the largest integer: the next change must
 * be refused (history cannot go on), not wrap around into a negative id
 * (undefined behaviour in C, a broken chain in the file). */
static void test_event_id_at_the_limit(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_history(&fx, "t-limit.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update; "
	              "UPDATE events SET id = 9223372036854775807 "
	              "WHERE id = (SELECT max(id) FROM events)");
	char sum_before[65], sum_after[65];
	tu_file_hash(fx.path, sum_before);
	ho_db *db = tu_open_as(fx.path, "sam");
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 0, "FIN-1", &id), HO_OK);
	ho_status st = ho_item_comment(db, id, "one more");
	if (st == HO_OK)
		fail_msg("a change was recorded after event 9223372036854775807");
	assert_null(strchr(ho_errmsg(db), '\n'));
	ho_close(db);
	tu_file_hash(fx.path, sum_after);
	assert_string_equal(sum_before, sum_after);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_event_content_changed),
	    cmocka_unit_test(test_event_actor_or_time_changed),
	    cmocka_unit_test(test_event_deleted),
	    cmocka_unit_test(test_events_reordered),
	    cmocka_unit_test(test_event_inserted),
	    cmocka_unit_test(test_rebuilt_chain_shows_against_printed_head),
	    cmocka_unit_test(test_tail_cut_names_the_rows),
	    cmocka_unit_test(test_guards_dropped),
	    cmocka_unit_test(test_guard_defanged),
	    cmocka_unit_test(test_schema_table_dropped),
	    cmocka_unit_test(test_dangling_reference),
	    cmocka_unit_test(test_event_id_at_the_limit),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
