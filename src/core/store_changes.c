/* What others changed since a person last looked (handover/changes.h). */
#define _GNU_SOURCE
#include "handover/changes.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

void ho_change_free(ho_change *c, size_t n)
{
	if (!c)
		return;
	for (size_t i = 0; i < n; i++) {
		free(c[i].actor_login);
		free(c[i].actor_name);
		free(c[i].action);
		free(c[i].ref);
		free(c[i].old_value);
		free(c[i].new_value);
	}
	free(c);
}

static int change_complete(const ho_change *c)
{
	return c->actor_login && c->actor_name && c->action && c->ref && c->old_value &&
	       c->new_value;
}

static ho_status read_changes(ho_db *db, eng_stmt *s, size_t limit, ho_change **out, size_t *n,
                              size_t *total);

ho_status ho_changes(ho_db *db, int64_t handover_id, int64_t since, size_t limit, ho_change **out,
                     size_t *n, size_t *total)
{
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	eng_stmt *s = store_stmt(db, STMT_changes_since);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":person", db->actor.id);
	store_bind_text(s, ":login", db->actor.login ? db->actor.login : "");
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":since", since < 0 ? -1 : since);
	return read_changes(db, s, limit, out, n, total);
}

ho_status ho_changes_after(ho_db *db, int64_t after, size_t limit, ho_change **out, size_t *n,
                           size_t *total)
{
	*out = NULL;
	*n = 0;
	if (total)
		*total = 0;
	eng_stmt *s = store_stmt(db, STMT_changes_after);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":person", db->actor.id);
	store_bind_text(s, ":login", db->actor.login ? db->actor.login : "");
	store_bind_int(s, ":after", after);
	return read_changes(db, s, limit, out, n, total);
}

ho_status ho_seen_floor(ho_db *db, int64_t *seen_event, int64_t *newest_event)
{
	*seen_event = *newest_event = 0;
	eng_stmt *s = store_stmt(db, STMT_seen_floor);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":person", db->actor.id);
	int rc = eng_step(s);
	if (rc == ENG_ROW) {
		*seen_event = eng_int64(s, 0);
		*newest_event = eng_int64(s, 1);
	}
	eng_reset(s);
	return rc == ENG_ROW ? HO_OK : store_engine_fail(db, rc, "reading when you last looked");
}

/* Step `s` (bound) into *out, newest first, keeping `limit` (0: all) and
 * counting all. */
static ho_status read_changes(ho_db *db, eng_stmt *s, size_t limit, ho_change **out, size_t *n,
                              size_t *total)
{
	size_t cap = 0, count = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		count++;
		if (limit && *n >= limit)
			continue; /* counted, not kept */
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		ho_change *c = &(*out)[(*n)++];
		memset(c, 0, sizeof *c);
		c->event_id = eng_int64(s, 0);
		c->at = eng_int64(s, 1);
		c->handover_id = eng_int64(s, 2);
		c->item_id = eng_int64(s, 3);
		c->actor_login = store_col_text(s, 4);
		c->actor_name = store_col_text(s, 5);
		c->action = store_col_text(s, 6);
		c->ref = store_col_text(s, 7);
		c->old_value = store_col_text(s, 8);
		c->new_value = store_col_text(s, 9);
		c->function_id = eng_int64(s, 10);
		if (!change_complete(c)) {
			rc = ENG_NOMEM;
			break;
		}
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_change_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading the changes");
	}
	if (total)
		*total = count;
	return HO_OK;
}

ho_status ho_seen_at(ho_db *db, int64_t handover_id, int64_t *at)
{
	*at = 0;
	eng_stmt *s = store_stmt(db, STMT_seen_at);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":person", db->actor.id);
	store_bind_int(s, ":handover_id", handover_id);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		*at = eng_int64(s, 0);
	eng_reset(s);
	return rc == ENG_ROW ? HO_OK : store_engine_fail(db, rc, "reading when you last looked");
}

ho_status ho_seen_mark(ho_db *db, int64_t handover_id)
{
	/* A viewer may look but leaves nothing behind; a read-only file
	 * cannot remember. */
	if (db->actor.role == HO_ROLE_NONE || db->read_only)
		return HO_OK;
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_UNRECORDED, NULL);
	if (st != HO_OK)
		return st;
	eng_stmt *s = store_stmt(db, STMT_seen_mark);
	if (!s)
		return store_change_end(db, &ch, store_stmt_failed(db));
	store_bind_int(s, ":person", db->actor.id);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":now", store_now(db));
	st = store_exec_stmt(db, s, "remembering what you have seen");
	return store_change_end(db, &ch, st);
}
