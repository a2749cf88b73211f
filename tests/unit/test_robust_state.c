/* The state the history proves: rows edited with the sqlite3 shell, behind
 * the application's back, leave the hash chain whole and the head hash as
 * it was. verify replays the rows every event recorded and names each row
 * that differs; the state digest printed on documents moves. */
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
#include <sqlite3.h>

#include "fixture.h"
#include "handover/report.h"
#include "handover/testhook.h"

/* The fixture with every kind of change in its history: marks, a gap and
 * its answer, a comment, an undo, sign-offs, a due date. Closed, so only
 * the edits below touch it. */
static void make_file(struct fixture *fx, const char *name, ho_verify_result *before)
{
	fx_build(fx, name);
	fx_as(fx, "sam");
	fx_mark(fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract", HO_OK);
	fx_mark(fx, "FIN-2", HO_ACT_HANDED_OVER, "Accruals list", HO_OK);
	fx_mark(fx, "FIN-3", HO_ACT_NOT_APPLICABLE, "Held nationally", HO_OK);
	assert_int_equal(ho_item_comment(fx->db, fx_item(fx, "FIN-1"), "See tab 2"), HO_OK);
	fx_as(fx, "rita");
	fx_mark(fx, "FIN-1", HO_ACT_GAP, "Which ledger?", HO_OK);
	fx_as(fx, "sam");
	fx_mark(fx, "FIN-1", HO_ACT_HANDED_OVER, "The 2026/27 ledger", HO_OK);
	fx_as(fx, "rita");
	fx_mark(fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_OK);
	fx_mark(fx, "FIN-2", HO_ACT_ACCEPTED_CONDITIONS, "Re-run in April", HO_OK);
	fx_mark(fx, "FIN-3", HO_ACT_GAP, "Really?", HO_OK);
	assert_int_equal(ho_undo(fx->db, NULL), HO_OK);
	fx_mark(fx, "FIN-3", HO_ACT_ACCEPTED, NULL, HO_OK);
	assert_int_equal(ho_function_sign(fx->db, fx->fin), HO_OK);
	fx_as(fx, "lead");
	assert_int_equal(ho_function_set_due(fx->db, fx->dig, 0, "2027-01-15"), HO_OK);
	assert_int_equal(ho_verify(fx->db, before), HO_OK);
	ho_close(fx->db);
	fx->db = NULL;
}

static void edit(const char *path, const char *statements)
{
	tu_edit(path, statements);
}

struct seen {
	int n;
	char rows[8][512];
};

static void collect(void *ctx, const char *row)
{
	struct seen *s = ctx;
	if (s->n < 8)
		snprintf(s->rows[s->n], sizeof s->rows[0], "%s", row);
	s->n++;
}

/* A fresh file, nothing edited: every row as the history says, and the
 * digest from the replay equal to the digest of the rows. */
static void test_untouched_file_verifies(void **state)
{
	struct fixture fx;
	ho_verify_result vr;
	make_file(&fx, "s-clean.db", &vr);
	assert_int_equal(vr.mismatches, 0);
	assert_true(vr.rows > 10);
	assert_int_equal(strlen(vr.state), 64);
	assert_string_equal(vr.state, vr.replayed);
	ho_db *db = tu_open_as(fx.path, "lead");
	char digest[65];
	assert_int_equal(ho_state_digest(db, digest), HO_OK);
	assert_string_equal(digest, vr.state);
	assert_int_equal(ho_check(db), HO_OK);
	ho_close(db);
	fx_free(&fx);
}

/* A file from init with the template, and one from the demo: the rows that
 * creating them wrote are in the history too. */
static void test_new_files_verify(void **state)
{
	ho_db *db = tu_new_file("s-template.db", 0, 0);
	ho_verify_result vr;
	if (ho_verify(db, &vr) != HO_OK)
		fail_msg("template: %s", ho_errmsg(db));
	assert_true(vr.rows > 50);
	ho_close(db);
	db = tu_new_file("s-demo.db", 0, 1);
	if (ho_verify(db, &vr) != HO_OK)
		fail_msg("demo: %s", ho_errmsg(db));
	assert_int_equal(vr.mismatches, 0);
	ho_close(db);
	ho_clock_set(0);
}

static const struct {
	const char *what, *sql, *says;
} edits[] = {
    {"a handover signed off by hand",
     "UPDATE handovers SET signed_by = (SELECT id FROM people WHERE login = 'sam'), "
     "signed_at = 1795341600",
     "handover 1: signed by sam, history says none; signed 2026-11-22 10:00, history says "
     "none"},
    {"an item's state", "UPDATE items SET receiver_state = 'accepted' WHERE id = 2",
     "item FIN-2: receiver state accepted, history says conditions"},
    {"an item's evidence", "UPDATE items SET evidence = 'forged' WHERE id = 1",
     "item FIN-1: evidence \"forged\", history says \"The 2026/27 ledger\""},
    {"thread text", "UPDATE thread SET body = 'Nothing to see' WHERE body = 'Which ledger?'",
     "of item FIN-1: text \"Nothing to see\", history says \"Which ledger?\""},
    {"a receiver made lead", "UPDATE people SET role = 'lead' WHERE login = 'rita'",
     "person rita: role lead, history says receiver"},
    {"a pair",
     "UPDATE functions SET sender_id = (SELECT id FROM people WHERE login = 'sue') "
     "WHERE code = 'FIN'",
     "function FIN: sender sue, history says sam"},
    {"a function sign-off",
     "UPDATE functions SET sender_signed_at = 1795341600 "
     "WHERE code = 'FIN'",
     "function FIN: sender sign-off 2026-11-22 10:00, history says none"},
    {"the cover", "UPDATE handovers SET receiver_org = 'Someone Else ICB'",
     "handover 1: receiver organisation \"Someone Else ICB\", history says \"Mersey ICB\""},
    {"the file's title", "UPDATE meta SET value = 'Other' WHERE key = 'title'",
     "the file's title: title \"Other\""},
    {"a due date", "UPDATE functions SET due_date = '2030-01-01' WHERE code = 'DIG'",
     "function DIG: due date 2030-01-01, history says 2027-01-15"},
    {"a query deleted", "DELETE FROM thread WHERE body = 'Which ledger?'",
     "of item FIN-1: missing from the file (deleted outside handover"},
    {"a person added",
     "INSERT INTO people(login, name, role, created_at) VALUES ('mallory', 'M', 'lead', 1)",
     "person mallory: in the file, not in the history (added outside handover)"},
    {"an item added",
     "INSERT INTO items(function_id, number, position, title) "
     "SELECT id, 9, 9, 'Extra' FROM functions WHERE code = 'DIG'",
     "item DIG-9: in the file, not in the history"},
};

/* Each edit alone: the chain is whole and the head as before, verify and
 * check fail, the row is named with what it says and what the history
 * says, and the state digest moved. */
static void test_direct_edits_are_named(void **state)
{
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		struct fixture fx;
		ho_verify_result before, after;
		char name[32];
		snprintf(name, sizeof name, "s-edit-%zu.db", i);
		make_file(&fx, name, &before);
		edit(fx.path, edits[i].sql);
		ho_db *db = tu_open_as(fx.path, "lead");
		struct seen seen = {0};
		ho_status st = ho_verify_rows(db, &after, collect, &seen);
		if (st != HO_EBADFILE || after.mismatches != 1 || seen.n != 1)
			fail_msg("%s: verify %s with %" PRId64 " mismatches (%s)", edits[i].what,
			         ho_strerror(st), after.mismatches, after.mismatch);
		if (!strstr(after.mismatch, edits[i].says))
			fail_msg("%s: '%s' should say '%s'", edits[i].what, after.mismatch,
			         edits[i].says);
		assert_string_equal(seen.rows[0], after.mismatch);
		assert_int_equal(after.first_bad, 0);
		assert_string_equal(after.head, before.head);
		assert_string_not_equal(after.state, before.state);
		assert_string_equal(after.replayed, before.state);
		assert_non_null(strstr(ho_errmsg(db), edits[i].says));
		assert_null(strchr(ho_errmsg(db), '\n'));
		assert_int_equal(ho_exit_code(st), 2);
		if (ho_check(db) != HO_EBADFILE)
			fail_msg("%s: check passed", edits[i].what);
		ho_close(db);
		fx_free(&fx);
	}
}

/* Several edits: each row named once. */
static void test_every_row_is_named(void **state)
{
	struct fixture fx;
	ho_verify_result before, after;
	make_file(&fx, "s-many.db", &before);
	edit(fx.path, "UPDATE items SET sender_state = 'not_started', receiver_state = 'none'; "
	              "UPDATE people SET org = 'X' WHERE login IN ('sam', 'sue')");
	ho_db *db = tu_open_as(fx.path, "lead");
	struct seen seen = {0};
	assert_int_equal(ho_verify_rows(db, &after, collect, &seen), HO_EBADFILE);
	/* FIN-1..3 changed; DIG-1, DIG-2 were already not started; two people. */
	assert_int_equal(after.mismatches, 5);
	assert_int_equal(seen.n, 5);
	assert_non_null(strstr(seen.rows[0], "person sam: organisation \"X\""));
	assert_non_null(strstr(seen.rows[2], "item FIN-1: sender state not_started, history "
	                                     "says handed_over; receiver state none, history "
	                                     "says accepted"));
	ho_close(db);
	fx_free(&fx);
}

/* The document carries the digest beside the head hash; after a hand edit
 * the head is the same and the digest is not, so two copies printed either
 * side of the edit differ. */
static void test_document_carries_the_digest(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_file(&fx, "s-doc.db", &before);
	ho_print_opts po = {.handover_id = fx.handover, .format = HO_FMT_TEXT};
	char *doc = NULL;
	size_t len = 0;
	ho_db *db = tu_open_as(fx.path, "lead");
	FILE *mem = open_memstream(&doc, &len);
	assert_int_equal(ho_print(db, &po, mem), HO_OK);
	fclose(mem);
	ho_close(db);
	assert_non_null(strstr(doc, before.head));
	assert_non_null(strstr(doc, before.state));
	free(doc);

	edit(fx.path, "UPDATE items SET evidence = 'forged' WHERE id = 1");
	db = tu_open_as(fx.path, "lead");
	mem = open_memstream(&doc, &len);
	assert_int_equal(ho_print(db, &po, mem), HO_OK);
	fclose(mem);
	char digest[65];
	assert_int_equal(ho_state_digest(db, digest), HO_OK);
	ho_close(db);
	assert_non_null(strstr(doc, before.head));
	assert_null(strstr(doc, before.state));
	assert_non_null(strstr(doc, digest));
	free(doc);
	fx_free(&fx);
}

/* The hash of an event as format 2 made it (no state). */
static void old_hash(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	char buf[65536];
	size_t n = 0;
	for (int i = 0; i < argc; i++) {
		const char *t = (const char *)sqlite3_value_text(argv[i]);
		if (sqlite3_value_type(argv[i]) == SQLITE_INTEGER &&
		    sqlite3_value_int64(argv[i]) == 0)
			t = "";
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\x1f", t ? t : "");
	}
	char hex[65];
	ho_sha256_hex(buf, n, hex);
	sqlite3_result_text(ctx, hex, -1, SQLITE_TRANSIENT);
}

/* Turn a file into what format 2 made: events without their state, hashed
 * without it, and the file format 2. */
static void make_format_2(const char *path)
{
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	assert_int_equal(
	    sqlite3_create_function(c, "old_hash", 13, SQLITE_UTF8, NULL, old_hash, NULL, NULL),
	    SQLITE_OK);
	char *err = NULL;
	/* Undo what the migrations after 002 made, newest first. */
	const char *sql = "ALTER TABLE handovers DROP COLUMN distribution; "
	                  "ALTER TABLE items DROP COLUMN condition_due; "
	                  "ALTER TABLE items DROP COLUMN condition_side; "
	                  "ALTER TABLE items DROP COLUMN condition_owner_id; "
	                  "DROP TABLE seen; DROP TABLE dive_actions; DROP TABLE deep_dives; "
	                  "DROP TABLE person_roles; ALTER TABLE people DROP COLUMN job_title; "
	                  "ALTER TABLE people DROP COLUMN left_at; "
	                  "DROP TABLE risks; "
	                  "DROP INDEX items_by_state; "
	                  "ALTER TABLE items DROP COLUMN retired_note; "
	                  "ALTER TABLE items DROP COLUMN retired_at; "
	                  "ALTER TABLE functions DROP COLUMN retired_note; "
	                  "ALTER TABLE functions DROP COLUMN retired_at; "
	                  "ALTER TABLE handovers DROP COLUMN closed_note; "
	                  "ALTER TABLE handovers DROP COLUMN closed_at; "
	                  "ALTER TABLE handovers DROP COLUMN marking; "
	                  "CREATE INDEX items_by_state ON items(function_id, sender_state, "
	                  "receiver_state, due_date); "
	                  "DROP TRIGGER events_no_update; ALTER TABLE events DROP COLUMN state; "
	                  "CREATE TEMP TABLE ids AS SELECT id FROM events ORDER BY id;";
	if (sqlite3_exec(c, sql, NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s", err);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(c, "SELECT max(id) FROM events", -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t last = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	for (int64_t id = 1; id <= last; id++) {
		char q[600];
		snprintf(
		    q, sizeof q,
		    "UPDATE events SET prev_hash = COALESCE((SELECT hash FROM events WHERE id = "
		    "%" PRId64 " - 1), '%064d') WHERE id = %" PRId64 "; "
		    "UPDATE events SET hash = old_hash(prev_hash, id, at, actor, action, "
		    "handover_id, function_id, item_id, ref, old_value, new_value, undo, "
		    "item_version) WHERE id = %" PRId64,
		    id, 0, id, id);
		if (sqlite3_exec(c, q, NULL, NULL, &err) != SQLITE_OK)
			fail_msg("%s", err);
	}
	if (sqlite3_exec(c,
	                 "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
	                 "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END; "
	                 "PRAGMA user_version = 2",
	                 NULL, NULL, &err) != SQLITE_OK)
		fail_msg("%s", err);
	sqlite3_close(c);
}

/* A file made before events recorded their rows: opening it upgrades it
 * with one baseline event, after which it verifies, and later hand edits
 * are named like any other. */
static void test_older_file_gets_a_baseline(void **state)
{
	struct fixture fx;
	ho_verify_result before, after;
	tu_skip_on_pg("SQLite's format 2 (events without their rows) never existed on "
	              "PostgreSQL, whose schema starts with them");
	make_file(&fx, "s-old.db", &before);
	/* Format 2 knew no condition's owner or due date: the rows as such a
	 * file holds them, and their digest, are what the upgrade keeps. */
	edit(fx.path, "UPDATE items SET condition_owner_id = NULL, condition_side = '', "
	              "condition_due = ''");
	ho_db *was = tu_open_as(fx.path, "lead");
	assert_int_equal(ho_state_digest(was, before.state), HO_OK);
	ho_close(was);
	make_format_2(fx.path);
	ho_db *db = tu_open_as(fx.path, "lead");
	if (ho_verify(db, &after) != HO_OK)
		fail_msg("upgraded file: %s", ho_errmsg(db));
	assert_int_equal(after.events, before.events + 1);
	assert_string_equal(after.state, before.state);
	ho_event *ev = NULL;
	size_t n = 0;
	assert_int_equal(ho_events_list(db, 0, 1, &ev, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].action, "baseline");
	assert_string_equal(ev[0].actor, "(upgrade)");
	ho_event_free(ev, n);
	/* Changes after the upgrade record their rows as usual. */
	ho_set_actor(db, "sam");
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 0, "FIN-1", &id), HO_OK);
	assert_int_equal(ho_item_comment(db, id, "After the upgrade"), HO_OK);
	ho_close(db);
	edit(fx.path, "UPDATE people SET role = 'lead' WHERE login = 'rita'");
	db = tu_open_as(fx.path, "lead");
	assert_int_equal(ho_verify(db, &after), HO_EBADFILE);
	assert_int_equal(after.mismatches, 1);
	assert_non_null(strstr(after.mismatch, "person rita: role lead, history says receiver"));
	ho_close(db);
	fx_free(&fx);
}

/* A file from format 7, before a condition had an owner and a due date:
 * its rows gain columns when it is upgraded, so the upgrade records them
 * as a baseline, and the file verifies (here the columns are dropped from
 * a file whose history recorded them, which without the baseline shows as
 * rows changed outside handover). */
static void test_format_7_file_gets_a_baseline(void **state)
{
	struct fixture fx;
	ho_verify_result before, after;
	make_file(&fx, "s-seven.db", &before);
	/* On PostgreSQL the same columns came with schema/pg/003: a database
	 * of format 2 is upgraded the same way. */
	edit(fx.path, ENGINE_SQL("ALTER TABLE handovers DROP COLUMN distribution; "
	                         "ALTER TABLE items DROP COLUMN condition_due; "
	                         "ALTER TABLE items DROP COLUMN condition_side; "
	                         "ALTER TABLE items DROP COLUMN condition_owner_id; "
	                         "PRAGMA user_version = 7",
	                         "ALTER TABLE handovers DROP COLUMN distribution; "
	                         "ALTER TABLE items DROP COLUMN condition_due; "
	                         "ALTER TABLE items DROP COLUMN condition_side; "
	                         "ALTER TABLE items DROP COLUMN condition_owner_id; "
	                         "UPDATE handover_format SET version = 2"));
	ho_db *db = tu_open_as(fx.path, "lead");
	if (ho_verify(db, &after) != HO_OK)
		fail_msg("upgraded file: %s %s", ho_errmsg(db), after.mismatch);
	assert_int_equal(after.events, before.events + 1);
	ho_event *ev = NULL;
	size_t n = 0;
	assert_int_equal(ho_events_list(db, 0, 1, &ev, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_string_equal(ev[0].action, "baseline");
	ho_event_free(ev, n);
	ho_close(db);
	fx_free(&fx);
}

/* An event's recorded rows are part of its hash: rewriting them to agree
 * with a hand edit breaks the chain at that event. */
static void test_recorded_state_is_hashed(void **state)
{
	struct fixture fx;
	ho_verify_result before;
	make_file(&fx, "s-hashed.db", &before);
	edit(fx.path, "DROP TRIGGER events_no_update; "
	              "UPDATE people SET role = 'lead' WHERE login = 'rita'; "
	              "UPDATE events SET state = replace(state, 't8:receiver', 't4:lead') "
	              "WHERE ref = 'rita'");
	ho_db *db = tu_open_as(fx.path, "lead");
	ho_verify_result vr;
	assert_int_equal(ho_verify(db, &vr), HO_EBADFILE);
	assert_true(vr.first_bad > 0);
	assert_non_null(strstr(vr.problem, "changed"));
	ho_close(db);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_untouched_file_verifies),
	    cmocka_unit_test(test_new_files_verify),
	    cmocka_unit_test(test_direct_edits_are_named),
	    cmocka_unit_test(test_every_row_is_named),
	    cmocka_unit_test(test_document_carries_the_digest),
	    cmocka_unit_test(test_older_file_gets_a_baseline),
	    cmocka_unit_test(test_format_7_file_gets_a_baseline),
	    cmocka_unit_test(test_recorded_state_is_hashed),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
