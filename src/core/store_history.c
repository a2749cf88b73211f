/* History: an append-only, hash-chained record of every change.
 *
 * Each event's hash is SHA-256 over the previous event's hash and this
 * event's fields, joined by the unit separator 0x1F (integers in decimal,
 * NULL as nothing). The previous hash is read inside the same IMMEDIATE
 * transaction as the change, so two writers can never chain onto the same
 * event. */
#define _GNU_SOURCE
#include "sha256.h"
#include "store.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char genesis[65] = "0000000000000000000000000000000000000000000000000000000000000000";

struct event_fields {
	int64_t id, at;
	const char *actor, *action;
	int64_t handover_id, function_id, item_id; /* 0 for NULL */
	const char *ref, *old_value, *new_value, *undo;
	int64_t item_version; /* 0 for NULL */
	const char *state;    /* NULL: an event from before file format 3 */
	size_t state_len;
};

static void hash_int(ho_sha256_ctx *c, int64_t v)
{
	char buf[32];
	int n = v ? snprintf(buf, sizeof buf, "%" PRId64, v) : 0;
	ho_sha256_update(c, buf, (size_t)n);
	ho_sha256_update(c, "\x1f", 1);
}

static void hash_text(ho_sha256_ctx *c, const char *t)
{
	ho_sha256_update(c, t ? t : "", t ? strlen(t) : 0);
	ho_sha256_update(c, "\x1f", 1);
}

static void event_hash(const char *prev, const struct event_fields *e, char out[65])
{
	ho_sha256_ctx c;
	ho_sha256_init(&c);
	hash_text(&c, prev);
	hash_int(&c, e->id);
	hash_int(&c, e->at);
	hash_text(&c, e->actor);
	hash_text(&c, e->action);
	hash_int(&c, e->handover_id);
	hash_int(&c, e->function_id);
	hash_int(&c, e->item_id);
	hash_text(&c, e->ref);
	hash_text(&c, e->old_value);
	hash_text(&c, e->new_value);
	hash_text(&c, e->undo);
	hash_int(&c, e->item_version);
	/* Events from before format 3 have no state and hash as they did. */
	if (e->state) {
		ho_sha256_update(&c, e->state, e->state_len);
		ho_sha256_update(&c, "\x1f", 1);
	}
	ho_sha256_final_hex(&c, out);
}

static ho_status append_event(ho_db *db, const char *actor, const char *action, int64_t handover_id,
                              int64_t function_id, int64_t item_id, const char *ref,
                              const char *old_value, const char *new_value, const char *undo,
                              int64_t item_version, const char *state);

static void bind_opt_id(eng_stmt *s, const char *name, int64_t v)
{
	if (v)
		store_bind_int(s, name, v);
	else
		store_bind_null(s, name);
}

ho_status store_event(ho_db *db, const char *action, int64_t handover_id, int64_t function_id,
                      int64_t item_id, const char *ref, const char *old_value,
                      const char *new_value, const char *undo, int64_t item_version)
{
	return store_event_as(db, db->actor.login ? db->actor.login : "", action, handover_id,
	                      function_id, item_id, ref, old_value, new_value, undo, item_version,
	                      NULL);
}

ho_status store_event_as(ho_db *db, const char *actor, const char *action, int64_t handover_id,
                         int64_t function_id, int64_t item_id, const char *ref,
                         const char *old_value, const char *new_value, const char *undo,
                         int64_t item_version, const char *given_state)
{
	char *taken = NULL;
	ho_status st = HO_OK;
	if (!given_state) {
		if ((st = store_state_take(db, &taken)) != HO_OK)
			return st;
		given_state = taken;
	}
	st = append_event(db, actor, action, handover_id, function_id, item_id, ref, old_value,
	                  new_value, undo, item_version, given_state);
	free(taken);
	return st;
}

static ho_status append_event(ho_db *db, const char *actor, const char *action, int64_t handover_id,
                              int64_t function_id, int64_t item_id, const char *ref,
                              const char *old_value, const char *new_value, const char *undo,
                              int64_t item_version, const char *state)
{
	char prev[65];
	int64_t last_id = 0;
	eng_stmt *s = store_stmt(db, STMT_event_last);
	if (!s)
		return store_stmt_failed(db);
	int rc = eng_step(s);
	if (rc == ENG_ROW) {
		last_id = eng_int64(s, 0);
		snprintf(prev, sizeof prev, "%s", eng_text(s, 1));
	} else {
		memcpy(prev, genesis, sizeof prev);
	}
	eng_reset(s);
	if (rc != ENG_ROW && rc != ENG_DONE)
		return store_engine_fail(db, rc, "reading history");
	if (last_id < 0 || last_id == INT64_MAX)
		return store_fail(db, HO_EBADFILE,
		                  "history event %lld cannot be followed: the file was edited "
		                  "outside handover; run 'handover verify'",
		                  (long long)last_id);

	struct event_fields e = {
	    .id = last_id + 1,
	    .at = store_now(db),
	    .actor = actor,
	    .action = action,
	    .handover_id = handover_id,
	    .function_id = function_id,
	    .item_id = item_id,
	    .ref = ref ? ref : "",
	    .old_value = old_value ? old_value : "",
	    .new_value = new_value ? new_value : "",
	    .undo = undo ? undo : "",
	    .item_version = item_version,
	    .state = state,
	    .state_len = strlen(state),
	};
	char hash[65];
	event_hash(prev, &e, hash);

	s = store_stmt(db, STMT_event_insert);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", e.id);
	store_bind_int(s, ":at", e.at);
	store_bind_text(s, ":actor", e.actor);
	store_bind_text(s, ":action", e.action);
	bind_opt_id(s, ":handover_id", handover_id);
	bind_opt_id(s, ":function_id", function_id);
	bind_opt_id(s, ":item_id", item_id);
	store_bind_text(s, ":ref", e.ref);
	store_bind_text(s, ":old_value", e.old_value);
	store_bind_text(s, ":new_value", e.new_value);
	store_bind_text(s, ":undo", e.undo);
	bind_opt_id(s, ":item_version", item_version);
	store_bind_text(s, ":prev_hash", prev);
	store_bind_text(s, ":hash", hash);
	store_bind_text(s, ":state", state);
	ho_status st = store_exec_stmt(db, s, "recording history");
	if (st == HO_OK)
		db->events_written++;
	return st;
}

static const char *col_or_empty(eng_stmt *s, int col)
{
	const char *t = eng_text(s, col);
	return t ? t : "";
}

static ho_status verify_in(ho_db *db, ho_verify_result *res, struct state_replay *replay,
                           void (*each)(void *ctx, const char *row), void *ctx);

ho_status ho_verify(ho_db *db, ho_verify_result *res)
{
	return ho_verify_rows(db, res, NULL, NULL);
}

ho_status ho_verify_rows(ho_db *db, ho_verify_result *res, void (*each)(void *ctx, const char *row),
                         void *ctx)
{
	memset(res, 0, sizeof *res);
	struct state_replay *replay = store_replay_new();
	if (!replay)
		return store_fail(db, HO_ENOMEM, "out of memory");
	/* The history and the rows read in one transaction: one state of the
	 * file, even while others commit. */
	int began = store_read_begin(db);
	ho_status st = verify_in(db, res, replay, each, ctx);
	store_read_end(db, began);
	store_replay_free(replay);
	return st;
}

static ho_status verify_in(ho_db *db, ho_verify_result *res, struct state_replay *replay,
                           void (*each)(void *ctx, const char *row), void *ctx)
{
	char expect_prev[65];
	memcpy(expect_prev, genesis, sizeof expect_prev);
	int64_t expect_id = 1;
	eng_stmt *s = store_stmt(db, STMT_event_all_for_verify);
	if (!s)
		return store_stmt_failed(db);
	ho_status st = HO_OK;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		struct event_fields e = {
		    .id = eng_int64(s, 0),
		    .at = eng_int64(s, 1),
		    .actor = col_or_empty(s, 2),
		    .action = col_or_empty(s, 3),
		    .handover_id = eng_int64(s, 4),
		    .function_id = eng_int64(s, 5),
		    .item_id = eng_int64(s, 6),
		    .ref = col_or_empty(s, 7),
		    .old_value = col_or_empty(s, 8),
		    .new_value = col_or_empty(s, 9),
		    .undo = col_or_empty(s, 10),
		    .item_version = eng_int64(s, 11),
		};
		if (eng_type_of(s, 14) != ENG_NULL) {
			e.state = col_or_empty(s, 14);
			e.state_len = (size_t)eng_bytes(s, 14);
		}
		const char *prev = col_or_empty(s, 12);
		const char *stored = col_or_empty(s, 13);
		res->events++;
		const char *problem = NULL;
		if (e.id != expect_id)
			problem = e.id > expect_id ? "the event before it was deleted"
			                           : "events were renumbered";
		else if (strcmp(prev, expect_prev) != 0)
			problem = "it does not follow the event before it (history deleted, "
			          "reordered or changed)";
		else {
			char h[65];
			event_hash(prev, &e, h);
			if (strcmp(h, stored) != 0)
				problem = "its content was changed after it was recorded";
		}
		if (!problem) {
			int r = store_replay_event(replay, e.id, e.state, e.state_len);
			if (r == -2) {
				eng_reset(s);
				return store_fail(db, HO_ENOMEM, "out of memory");
			}
			if (r != 0)
				problem = "the state it recorded cannot be read";
		}
		if (problem) {
			res->first_bad = e.id;
			snprintf(res->problem, sizeof res->problem, "event %" PRId64 ": %s", e.id,
			         problem);
			st = store_fail(db, HO_EBADFILE, "history broken at %s", res->problem);
			break;
		}
		snprintf(expect_prev, sizeof expect_prev, "%s", stored);
		expect_id = e.id + 1;
	}
	eng_reset(s);
	if (st == HO_OK && rc != ENG_DONE)
		return store_engine_fail(db, rc, "reading history");
	if (st != HO_OK)
		return st;
	if (res->events > 0)
		snprintf(res->head, sizeof res->head, "%s", expect_prev);
	if ((st = store_replay_compare(db, replay, res, each, ctx)) != HO_OK)
		return st;
	if (res->mismatches > 0)
		return store_fail(db, HO_EBADFILE,
		                  "%" PRId64 " row%s of %" PRId64
		                  " differ%s from the history (edited outside handover); "
		                  "first: %s",
		                  res->mismatches, res->mismatches == 1 ? "" : "s", res->rows,
		                  res->mismatches == 1 ? "s" : "", res->mismatch);
	return HO_OK;
}

ho_status ho_history_head(ho_db *db, char head[65], int64_t *events)
{
	head[0] = '\0';
	*events = 0;
	/* Unchanged since the last look (nobody committed, this connection
	 * wrote nothing): the same answer without counting again. */
	int64_t version = store_data_version(db);
	int64_t changes = db->eng->total_changes(db);
	if (db->head_memo.valid && version >= 0 && version == db->head_memo.data_version &&
	    changes == db->head_memo.changes) {
		memcpy(head, db->head_memo.head, 65);
		*events = db->head_memo.events;
		return HO_OK;
	}
	db->head_memo.valid = 0;
	eng_stmt *s = store_stmt(db, STMT_event_head);
	if (!s)
		return store_stmt_failed(db);
	int rc = eng_step(s);
	if (rc == ENG_ROW) {
		*events = eng_int64(s, 0);
		snprintf(head, 65, "%s", col_or_empty(s, 1));
	}
	eng_reset(s);
	if (rc != ENG_ROW && rc != ENG_DONE)
		return store_engine_fail(db, rc, "reading history");
	if (version >= 0) {
		memcpy(db->head_memo.head, head, 65);
		db->head_memo.events = *events;
		db->head_memo.data_version = version;
		db->head_memo.changes = changes;
		db->head_memo.valid = 1;
	}
	return HO_OK;
}

ho_status ho_events_list(ho_db *db, int64_t item_id, size_t limit, ho_event **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, item_id ? STMT_events_of_item : STMT_events_all);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":item_id", item_id);
	store_bind_int(s, ":limit", limit ? (int64_t)limit : -1);
	size_t cap = 0;
	ho_event *v = NULL;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			ho_event *nv = realloc(v, cap * sizeof *v);
			if (!nv) {
				eng_reset(s);
				ho_event_free(v, *n);
				*n = 0;
				return HO_ENOMEM;
			}
			v = nv;
		}
		ho_event *e = &v[(*n)++];
		memset(e, 0, sizeof *e);
		e->id = eng_int64(s, 0);
		e->at = eng_int64(s, 1);
		e->actor = store_col_text(s, 2);
		e->action = store_col_text(s, 3);
		e->ref = store_col_text(s, 4);
		e->old_value = store_col_text(s, 5);
		e->new_value = store_col_text(s, 6);
		snprintf(e->prev_hash, sizeof e->prev_hash, "%s", col_or_empty(s, 7));
		snprintf(e->hash, sizeof e->hash, "%s", col_or_empty(s, 8));
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_event_free(v, *n);
		*n = 0;
		return store_engine_fail(db, rc, "reading history");
	}
	*out = v;
	return HO_OK;
}
