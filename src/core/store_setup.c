/* A lead's set-up once a handover runs: its cover, closing and reopening
 * it, editing, withdrawing and reordering functions and items, and undoing
 * those changes. What is allowed and what an edit does to an item's states
 * is decided by the rules (ho_rule_setup, ho_rule_item_edit); each change
 * is one transaction with its history event.
 *
 * Withdrawn ("retired") functions and items stay in the file with the
 * reason: their references are never reused and their history still
 * points at them, but they leave every count, list, gap and document
 * (which keeps a line saying what was withdrawn and why). */
#define _GNU_SOURCE
#include "json.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A date as the person typed it (ISO or UK day/month/year) into its
 * stored form; "" stays "" (no date). NULL: not given. */
ho_status store_user_date(ho_db *db, const char *in, const char *what, char out[11])
{
	out[0] = '\0';
	if (!in || !*in)
		return HO_OK;
	if (ho_date_parse_user(in, out) != 0) {
		char *clean = ho_sanitise(in, HO_SAN_LINE);
		store_fail(db, HO_EUSAGE, "%s '%.20s' is not %s", what, clean ? clean : "",
		           HO_DATE_EXPECTED);
		free(clean);
		return HO_EUSAGE;
	}
	return HO_OK;
}

static ho_status refused(ho_db *db, ho_status st, const char *what, const char *why)
{
	return store_fail(db, st, "%s: %s", what, why);
}

/* The rules' verdict on a lead's change to a handover, function or item. */
static ho_status may_set_up(ho_db *db, const char *what, int64_t closed_at, const ho_function *f,
                            const ho_item *it)
{
	const char *why = NULL;
	ho_rule_actor me = store_rule_actor(db);
	ho_status st = ho_rule_setup(&me, closed_at, f, it, &why);
	if (st == HO_EPERM && me.role != HO_ROLE_NONE && me.role != HO_ROLE_LEAD)
		return store_require_lead(db, what);
	return st == HO_OK ? HO_OK : refused(db, st, what, why);
}

/* Run a prepared compare-and-set update: exactly one row, else the row was
 * changed since it was read. */
static ho_status cas(ho_db *db, eng_stmt *s, const char *what, const char *name)
{
	ho_status st = store_exec_stmt(db, s, what);
	if (st == HO_OK && db->eng->changes(db) != 1)
		st = store_fail(db, HO_ECONFLICT,
		                "%s was changed by someone else since you looked; not changed",
		                name);
	return st;
}

static ho_status undo_json(ho_db *db, const char *k, const ho_item *it, const ho_function *f,
                           int64_t before, char **out)
{
	struct json_field fs[8];
	size_t n = 0;
	fs[n++] = (struct json_field){"k", k, 0, 0};
	if (it) {
		fs[n++] = (struct json_field){"title", it->title, 0, 0};
		fs[n++] = (struct json_field){"guidance", it->guidance, 0, 0};
		fs[n++] = (struct json_field){"due", it->own_due, 0, 0};
		fs[n++] = (struct json_field){"r", words_receiver_db(it->receiver_state), 0, 0};
		fs[n++] = (struct json_field){"c", it->condition, 0, 0};
	}
	fs[n++] = (struct json_field){"before", NULL, before, 0};
	if (f && !it) {
		fs[n++] = (struct json_field){"name", f->name, 0, 0};
		fs[n++] = (struct json_field){"due", f->due_date, 0, 0};
	}
	*out = json_flat_write(fs, n);
	return *out ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
}

/* ---- handovers --------------------------------------------------------- */

static ho_status handover_read(ho_db *db, int64_t id, int64_t expected_version, ho_handover *h)
{
	ho_status st = ho_handover_get(db, id, h);
	if (st == HO_OK && expected_version && h->version != expected_version)
		st = store_fail(db, HO_ECONFLICT,
		                "handover %lld was changed by someone else since you looked; "
		                "not changed",
		                (long long)id);
	return st;
}

ho_status ho_handover_set(ho_db *db, int64_t handover_id, int64_t expected_version,
                          const ho_cover *c)
{
	struct store_change ch;
	ho_handover h = {0};
	char *t = NULL, *sv = NULL, *so = NULL, *ro = NULL, *mk = NULL, *ds = NULL;
	char target[11];
	ho_status st;
	if ((c->target_date &&
	     (st = store_user_date(db, c->target_date, "target date", target)) != HO_OK) ||
	    (c->title &&
	     (st = store_clean_text(db, c->title, HO_MAX_NAME, 1, "title", &t)) != HO_OK) ||
	    (c->service &&
	     (st = store_clean_text(db, c->service, HO_MAX_NAME, 0, "service", &sv)) != HO_OK) ||
	    (c->sender_org && (st = store_clean_text(db, c->sender_org, HO_MAX_NAME, 0,
	                                             "sender organisation", &so)) != HO_OK) ||
	    (c->receiver_org && (st = store_clean_text(db, c->receiver_org, HO_MAX_NAME, 0,
	                                               "receiver organisation", &ro)) != HO_OK) ||
	    (c->marking &&
	     (st = store_clean_text(db, c->marking, 80, 1, "marking", &mk)) != HO_OK) ||
	    (c->distribution && (st = store_clean_text(db, c->distribution, HO_MAX_NAME * 4, 0,
	                                               "distribution", &ds)) != HO_OK))
		goto cleanup;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "editing a handover's cover")) != HO_OK)
		goto cleanup;
	if ((st = handover_read(db, handover_id, expected_version, &h)) != HO_OK ||
	    (st = may_set_up(db, "editing a handover's cover", h.closed_at, NULL, NULL)) != HO_OK)
		goto fail;
	if (h.signed_at) {
		st = store_fail(db, HO_ESTATE, "handover %lld is signed off; its cover is final",
		                (long long)handover_id);
		goto fail;
	}
	eng_stmt *s = store_stmt(db, STMT_handover_set_cover);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	const char *nt = t ? t : h.title, *nsv = sv ? sv : h.service;
	const char *nso = so ? so : h.sender_org, *nro = ro ? ro : h.receiver_org;
	const char *ntd = c->target_date ? target : h.target_date, *nmk = mk ? mk : h.marking;
	const char *nds = ds ? ds : h.distribution;
	store_bind_text(s, ":title", nt);
	store_bind_text(s, ":service", nsv);
	store_bind_text(s, ":sender_org", nso);
	store_bind_text(s, ":receiver_org", nro);
	store_bind_text(s, ":target_date", ntd);
	store_bind_text(s, ":marking", nmk);
	store_bind_text(s, ":distribution", nds);
	store_bind_int(s, ":id", handover_id);
	store_bind_int(s, ":version", h.version);
	if ((st = cas(db, s, "editing a handover's cover", h.title)) != HO_OK)
		goto fail;
	/* The history says what changed, field by field. */
	char *old = NULL, *now = NULL;
	if (asprintf(&old, "%s | %s | %s | %s | %s | %s | %s", h.title, h.service, h.sender_org,
	             h.receiver_org, h.target_date, h.marking, h.distribution) < 0)
		old = NULL;
	if (asprintf(&now, "%s | %s | %s | %s | %s | %s | %s", nt, nsv, nso, nro, ntd, nmk, nds) <
	    0)
		now = NULL;
	if (!old || !now)
		st = store_fail(db, HO_ENOMEM, "out of memory");
	else
		st = store_event(db, "cover", handover_id, 0, 0, nt, old, now, "", 0);
	free(old);
	free(now);
	if (st != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_handover_clear(&h);
	free(t);
	free(sv);
	free(so);
	free(ro);
	free(mk);
	free(ds);
	return st;
}

static ho_status handover_closing(ho_db *db, int64_t handover_id, int close, const char *note)
{
	struct store_change ch;
	ho_handover h = {0};
	char *n = NULL;
	const char *what = close ? "closing a handover" : "reopening a handover";
	ho_status st;
	if (close && (st = store_clean_text(db, note, HO_MAX_TEXT, 1, "note", &n)) != HO_OK)
		return st;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, what)) != HO_OK)
		goto cleanup;
	if ((st = ho_handover_get(db, handover_id, &h)) != HO_OK)
		goto fail;
	if (close && h.closed_at) {
		st = store_fail(db, HO_ESTATE, "handover %lld is already closed",
		                (long long)handover_id);
		goto fail;
	}
	if (!close && !h.closed_at) {
		st = store_fail(db, HO_ESTATE, "handover %lld is not closed",
		                (long long)handover_id);
		goto fail;
	}
	eng_stmt *s = store_stmt(db, STMT_handover_set_closed);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	if (close)
		store_bind_int(s, ":at", store_now(db));
	else
		store_bind_null(s, ":at");
	store_bind_text(s, ":note", close ? n : "");
	store_bind_int(s, ":id", handover_id);
	store_bind_int(s, ":version", h.version);
	if ((st = cas(db, s, what, h.title)) != HO_OK ||
	    (st = store_event(db, close ? "close" : "reopen", handover_id, 0, 0, h.title,
	                      close ? "" : h.closed_note, close ? n : "", "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_handover_clear(&h);
	free(n);
	return st;
}

ho_status ho_handover_close(ho_db *db, int64_t handover_id, const char *note)
{
	return handover_closing(db, handover_id, 1, note);
}

ho_status ho_handover_reopen(ho_db *db, int64_t handover_id)
{
	return handover_closing(db, handover_id, 0, NULL);
}

/* ---- functions --------------------------------------------------------- */

static ho_status function_read(ho_db *db, int64_t id, int64_t expected_version, ho_function *f)
{
	ho_status st = ho_function_get(db, id, f);
	if (st == HO_OK && expected_version && f->version != expected_version)
		st = store_fail(db, HO_ECONFLICT,
		                "%s was changed by someone else since you looked; not changed",
		                f->code);
	return st;
}

static ho_status function_write(ho_db *db, const ho_function *f, const char *name, const char *due)
{
	eng_stmt *s = store_stmt(db, STMT_function_edit);
	if (!s)
		return store_stmt_failed(db);
	store_bind_text(s, ":name", name);
	store_bind_text(s, ":due_date", due);
	store_bind_int(s, ":id", f->id);
	store_bind_int(s, ":version", f->version);
	return cas(db, s, "editing a function", f->code);
}

static ho_status function_retired(ho_db *db, const ho_function *f, int retire, const char *note)
{
	eng_stmt *s = store_stmt(db, STMT_function_set_retired);
	if (!s)
		return store_stmt_failed(db);
	if (retire)
		store_bind_int(s, ":at", store_now(db));
	else
		store_bind_null(s, ":at");
	store_bind_text(s, ":note", retire ? note : "");
	store_bind_int(s, ":id", f->id);
	store_bind_int(s, ":version", f->version);
	return cas(db, s, "withdrawing a function", f->code);
}

ho_status ho_function_edit(ho_db *db, int64_t function_id, int64_t expected_version,
                           const char *name, const char *due_date)
{
	struct store_change ch;
	ho_function f = {0}, after = {0};
	char *n = NULL, *undo = NULL;
	char due[11];
	ho_status st;
	if ((due_date && (st = store_user_date(db, due_date, "due date", due)) != HO_OK) ||
	    (name &&
	     (st = store_clean_text(db, name, HO_MAX_NAME, 1, "function name", &n)) != HO_OK))
		goto cleanup;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "editing a function")) != HO_OK)
		goto cleanup;
	if ((st = function_read(db, function_id, expected_version, &f)) != HO_OK ||
	    (st = may_set_up(db, "editing a function", f.handover_closed_at, &f, NULL)) != HO_OK ||
	    (st = undo_json(db, "function-edit", NULL, &f, 0, &undo)) != HO_OK ||
	    (st = function_write(db, &f, n ? n : f.name, due_date ? due : f.due_date)) != HO_OK ||
	    (st = ho_function_get(db, function_id, &after)) != HO_OK)
		goto fail;
	char old[HO_MAX_NAME + 40], now[HO_MAX_NAME + 40];
	snprintf(old, sizeof old, "%s, due %s", f.name, f.due_date[0] ? f.due_date : "none");
	snprintf(now, sizeof now, "%s, due %s", after.name,
	         after.due_date[0] ? after.due_date : "none");
	if ((st = store_event(db, "function-edit", f.handover_id, f.id, 0, f.code, old, now, undo,
	                      after.version)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_function_clear(&f);
	ho_function_clear(&after);
	free(n);
	free(undo);
	return st;
}

ho_status ho_function_retire(ho_db *db, int64_t function_id, const char *note)
{
	struct store_change ch;
	ho_function f = {0};
	char *n = NULL, *undo = NULL;
	ho_status st;
	if ((st = store_clean_text(db, note, HO_MAX_TEXT, 1, "note (why it is withdrawn)", &n)) !=
	    HO_OK)
		return st;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "withdrawing a function")) != HO_OK)
		goto cleanup;
	if ((st = ho_function_get(db, function_id, &f)) != HO_OK ||
	    (st = may_set_up(db, "withdrawing a function", f.handover_closed_at, &f, NULL)) !=
	        HO_OK ||
	    (st = undo_json(db, "function-retire", NULL, &f, 0, &undo)) != HO_OK ||
	    (st = function_retired(db, &f, 1, n)) != HO_OK ||
	    (st = store_event(db, "function-retire", f.handover_id, f.id, 0, f.code, f.name, n,
	                      undo, f.version + 1)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_function_clear(&f);
	free(n);
	free(undo);
	return st;
}

/* ---- items --------------------------------------------------------------- */

static ho_status item_read(ho_db *db, int64_t id, int64_t expected_version, ho_item *it,
                           ho_function *f)
{
	ho_status st = ho_item_get(db, id, it);
	if (st == HO_OK && expected_version && it->version != expected_version)
		st = store_fail(db, HO_ECONFLICT,
		                "%s was changed by someone else since you looked; not changed",
		                it->ref);
	if (st == HO_OK)
		st = ho_function_get(db, it->function_id, f);
	return st;
}

struct item_text {
	const char *title, *guidance, *due; /* as stored */
	ho_receiver_state receiver;
	const char *condition;
};

static ho_status item_write(ho_db *db, const ho_item *it, const struct item_text *t)
{
	eng_stmt *s = store_stmt(db, STMT_item_edit);
	if (!s)
		return store_stmt_failed(db);
	store_bind_text(s, ":title", t->title);
	store_bind_text(s, ":guidance", t->guidance);
	store_bind_text(s, ":due_date", t->due);
	store_bind_text(s, ":receiver_state", words_receiver_db(t->receiver));
	store_bind_text(s, ":condition", t->condition);
	store_bind_int(s, ":actor", db->actor.id);
	store_bind_int(s, ":now", store_now(db));
	store_bind_int(s, ":id", it->id);
	store_bind_int(s, ":version", it->version);
	return cas(db, s, "editing an item", it->ref);
}

static ho_status item_retired(ho_db *db, const ho_item *it, int retire, const char *note)
{
	eng_stmt *s = store_stmt(db, STMT_item_set_retired);
	if (!s)
		return store_stmt_failed(db);
	if (retire)
		store_bind_int(s, ":at", store_now(db));
	else
		store_bind_null(s, ":at");
	store_bind_text(s, ":note", retire ? note : "");
	store_bind_int(s, ":actor", db->actor.id);
	store_bind_int(s, ":now", store_now(db));
	store_bind_int(s, ":id", it->id);
	store_bind_int(s, ":version", it->version);
	return cas(db, s, "withdrawing an item", it->ref);
}

ho_status ho_item_edit(ho_db *db, int64_t item_id, int64_t expected_version, const char *title,
                       const char *guidance, const char *due_date)
{
	struct store_change ch;
	ho_item it = {0}, after = {0};
	ho_function f = {0};
	char *t = NULL, *g = NULL, *undo = NULL;
	char due[11];
	ho_status st;
	if ((due_date && (st = store_user_date(db, due_date, "due date", due)) != HO_OK) ||
	    (title &&
	     (st = store_clean_text(db, title, HO_MAX_NAME, 1, "item title", &t)) != HO_OK) ||
	    (guidance &&
	     (st = store_clean_text(db, guidance, HO_MAX_GUIDANCE, 0, "guidance", &g)) != HO_OK))
		goto cleanup;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "editing an item")) != HO_OK)
		goto cleanup;
	if ((st = item_read(db, item_id, expected_version, &it, &f)) != HO_OK)
		goto fail;
	int text_changed = (t && strcmp(t, it.title) != 0) || (g && strcmp(g, it.guidance) != 0);
	ho_rule_actor me = store_rule_actor(db);
	ho_mark_outcome out;
	ho_rule_item_edit(&me, &f, &it, text_changed, &out);
	if (out.status != HO_OK) {
		st = store_fail(db, out.status, "%s: %s", it.ref, out.why);
		goto fail;
	}
	struct item_text nt = {t ? t : it.title, g ? g : it.guidance, due_date ? due : it.own_due,
	                       out.receiver, out.condition == HO_TEXT_CLEAR ? "" : it.condition};
	if ((st = undo_json(db, "item-edit", &it, NULL, 0, &undo)) != HO_OK ||
	    (st = item_write(db, &it, &nt)) != HO_OK ||
	    (st = ho_item_get(db, item_id, &after)) != HO_OK)
		goto fail;
	char *old = NULL, *now = NULL;
	if (asprintf(&old, "%s (due %s)", it.title, it.due_date[0] ? it.due_date : "none") < 0)
		old = NULL;
	if (asprintf(&now, "%s (due %s)%s", after.title,
	             after.due_date[0] ? after.due_date : "none",
	             out.receiver != it.receiver_state
	                 ? "; text changed after review: back to the receiver to review"
	                 : "") < 0)
		now = NULL;
	st = old && now ? store_event(db, "item-edit", f.handover_id, f.id, item_id, it.ref, old,
	                              now, undo, after.version)
	                : store_fail(db, HO_ENOMEM, "out of memory");
	free(old);
	free(now);
	if (st != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_item_clear(&it);
	ho_item_clear(&after);
	ho_function_clear(&f);
	free(t);
	free(g);
	free(undo);
	return st;
}

ho_status ho_item_retire(ho_db *db, int64_t item_id, int64_t expected_version, const char *note)
{
	struct store_change ch;
	ho_item it = {0};
	ho_function f = {0};
	char *n = NULL, *undo = NULL;
	ho_status st;
	if ((st = store_clean_text(db, note, HO_MAX_TEXT, 1, "note (why it is withdrawn)", &n)) !=
	    HO_OK)
		return st;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "withdrawing an item")) != HO_OK)
		goto cleanup;
	if ((st = item_read(db, item_id, expected_version, &it, &f)) != HO_OK ||
	    (st = may_set_up(db, "withdrawing an item", f.handover_closed_at, &f, &it)) != HO_OK ||
	    (st = undo_json(db, "item-retire", &it, NULL, 0, &undo)) != HO_OK ||
	    (st = item_retired(db, &it, 1, n)) != HO_OK ||
	    (st = store_event(db, "item-retire", f.handover_id, f.id, item_id, it.ref, it.title, n,
	                      undo, it.version + 1)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_item_clear(&it);
	ho_function_clear(&f);
	free(n);
	free(undo);
	return st;
}

/* Put `item_id` before `before_id` (0: last) among its function's live
 * items, numbering their places 1, 2, ... again. *was_before gets the id
 * of the item that followed it (0 when it was last), for undo. */
static ho_status reorder_rows(ho_db *db, enum store_stmt_id list, enum store_stmt_id place,
                              const char *key, int64_t parent, int64_t item_id, int64_t before_id,
                              int64_t *was_before)
{
	int64_t *ids = NULL;
	size_t n = 0, cap = 0, from = 0;
	ho_status st = HO_OK;
	eng_stmt *s = store_stmt(db, list);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, key, parent);
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)&ids, &cap, n, sizeof *ids)) {
			rc = ENG_NOMEM;
			break;
		}
		ids[n] = eng_int64(s, 0);
		if (ids[n] == item_id)
			from = n;
		n++;
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		free(ids);
		return store_engine_fail(db, rc, "reading the checklist's order");
	}
	*was_before = from + 1 < n ? ids[from + 1] : 0;
	/* Take it out, then put it back before `before_id` (or last). */
	if (n > 0 && ids[from] == item_id) {
		memmove(ids + from, ids + from + 1, (n - from - 1) * sizeof *ids);
		n--;
	}
	size_t at = n;
	for (size_t i = 0; before_id && i < n; i++)
		if (ids[i] == before_id)
			at = i;
	if (!store_grow((void **)&ids, &cap, n, sizeof *ids)) {
		free(ids);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	memmove(ids + at + 1, ids + at, (n - at) * sizeof *ids);
	ids[at] = item_id;
	n++;
	for (size_t i = 0; i < n && st == HO_OK; i++) {
		s = store_stmt(db, place);
		if (!s) {
			st = store_stmt_failed(db);
			break;
		}
		store_bind_int(s, ":position", (int64_t)i + 1);
		store_bind_int(s, ":id", ids[i]);
		st = store_exec_stmt(db, s, "reordering");
	}
	free(ids);
	return st;
}

static ho_status reorder(ho_db *db, int64_t function_id, int64_t item_id, int64_t before_id,
                         int64_t *was_before)
{
	return reorder_rows(db, STMT_items_order, STMT_item_set_position, ":function_id",
	                    function_id, item_id, before_id, was_before);
}

static ho_status function_move(ho_db *db, const ho_function *f, int64_t before_id,
                               int64_t *was_before)
{
	ho_status st = reorder_rows(db, STMT_functions_order, STMT_function_set_position,
	                            ":handover_id", f->handover_id, f->id, before_id, was_before);
	if (st != HO_OK)
		return st;
	eng_stmt *s = store_stmt(db, STMT_function_bump);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", f->id);
	store_bind_int(s, ":version", f->version);
	return cas(db, s, "moving a function", f->code);
}

ho_status ho_function_move(ho_db *db, int64_t function_id, int64_t before_id)
{
	struct store_change ch;
	ho_function f = {0}, before = {0};
	char *undo = NULL;
	ho_status st;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "moving a function")) != HO_OK)
		return st;
	if ((st = ho_function_get(db, function_id, &f)) != HO_OK ||
	    (st = may_set_up(db, "moving a function", f.handover_closed_at, NULL, NULL)) != HO_OK)
		goto fail;
	if (f.retired_at) {
		st = store_fail(db, HO_ESTATE, "%s has been withdrawn", f.code);
		goto fail;
	}
	if (before_id) {
		if ((st = ho_function_get(db, before_id, &before)) != HO_OK)
			goto fail;
		if (before.handover_id != f.handover_id || before.retired_at || before_id == f.id) {
			st = store_fail(db, HO_EUSAGE,
			                "%s is not another function of %s's handover; a function "
			                "moves within its own handover",
			                before.code, f.code);
			goto fail;
		}
	}
	int64_t was_before = 0;
	if ((st = function_move(db, &f, before_id, &was_before)) != HO_OK ||
	    (st = undo_json(db, "function-move", NULL, NULL, was_before, &undo)) != HO_OK ||
	    (st = store_event(db, "function-move", f.handover_id, f.id, 0, f.code, "",
	                      before_id ? before.code : "the end", undo, f.version + 1)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	ho_function_clear(&f);
	ho_function_clear(&before);
	free(undo);
	return st;
}

static ho_status item_move(ho_db *db, const ho_item *it, const ho_function *f, int64_t before_id,
                           int64_t *was_before)
{
	ho_status st = reorder(db, f->id, it->id, before_id, was_before);
	if (st != HO_OK)
		return st;
	/* The moved item's version moves on, so undo can tell whether anyone
	 * touched it since. */
	eng_stmt *s = store_stmt(db, STMT_item_bump);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":actor", db->actor.id);
	store_bind_int(s, ":now", store_now(db));
	store_bind_int(s, ":id", it->id);
	store_bind_int(s, ":version", it->version);
	return cas(db, s, "moving an item", it->ref);
}

ho_status ho_item_move(ho_db *db, int64_t item_id, int64_t before_id)
{
	struct store_change ch;
	ho_item it = {0}, before = {0};
	ho_function f = {0};
	char *undo = NULL;
	ho_status st;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "moving an item")) != HO_OK)
		return st;
	if ((st = item_read(db, item_id, 0, &it, &f)) != HO_OK ||
	    (st = may_set_up(db, "moving an item", f.handover_closed_at, &f, &it)) != HO_OK)
		goto fail;
	if (before_id) {
		if ((st = ho_item_get(db, before_id, &before)) != HO_OK)
			goto fail;
		if (before.function_id != it.function_id || before.retired_at) {
			st = store_fail(db, HO_EUSAGE,
			                "%s is not in %s's checklist; an item moves within its own "
			                "function",
			                before.ref, it.ref);
			goto fail;
		}
		if (before_id == item_id) {
			st = store_fail(db, HO_EUSAGE, "%s cannot move before itself", it.ref);
			goto fail;
		}
	}
	int64_t was_before = 0;
	if ((st = item_move(db, &it, &f, before_id, &was_before)) != HO_OK ||
	    (st = undo_json(db, "item-move", NULL, NULL, was_before, &undo)) != HO_OK)
		goto fail;
	if ((st = store_event(db, "item-move", f.handover_id, f.id, item_id, it.ref, "",
	                      before_id ? before.ref : "the end", undo, it.version + 1)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	ho_item_clear(&it);
	ho_item_clear(&before);
	ho_function_clear(&f);
	free(undo);
	return st;
}

/* ---- undo of a lead's change ---------------------------------------------- */

ho_status store_setup_undo(ho_db *db, const char *action, int64_t item_id, int64_t function_id,
                           const char *undo, int64_t version, char ref_out[HO_REF_SIZE])
{
	ho_item it = {0}, after = {0};
	ho_function f = {0};
	char *k = NULL, *title = NULL, *guidance = NULL, *due = NULL, *r = NULL, *c = NULL;
	char *name = NULL;
	int64_t before = 0;
	ho_status st = HO_OK;
	k = json_flat_text(undo, "k");
	title = json_flat_text(undo, "title");
	guidance = json_flat_text(undo, "guidance");
	due = json_flat_text(undo, "due");
	r = json_flat_text(undo, "r");
	c = json_flat_text(undo, "c");
	before = json_flat_int(undo, "before");
	name = json_flat_text(undo, "name");
	if (!k || !title || !guidance || !due || !r || !c || !name) {
		st = store_fail(db, HO_EBADFILE,
		                "cannot undo: the history's record of the change is unreadable");
		goto cleanup;
	}
	char ref[HO_REF_SIZE] = "";
	const char *was = "", *now = "";
	if (item_id) {
		if ((st = ho_item_get(db, item_id, &it)) != HO_OK ||
		    (st = ho_function_get(db, it.function_id, &f)) != HO_OK)
			goto cleanup;
		snprintf(ref, sizeof ref, "%s", it.ref);
		if (it.version != version) {
			st = store_fail(db, HO_ECONFLICT,
			                "cannot undo: %s was changed since your change to it",
			                it.ref);
			goto cleanup;
		}
		/* Undoing a withdrawal brings the item back; anything else needs
		 * it as it is. */
		ho_item live = it;
		live.retired_at = 0;
		if ((st = may_set_up(db, "undo", f.handover_closed_at, &f, &live)) != HO_OK)
			goto cleanup;
	} else {
		if ((st = ho_function_get(db, function_id, &f)) != HO_OK)
			goto cleanup;
		snprintf(ref, sizeof ref, "%.23s", f.code);
		if (f.version != version) {
			st = store_fail(db, HO_ECONFLICT,
			                "cannot undo: %s was changed since your change to it",
			                f.code);
			goto cleanup;
		}
		ho_function live = f;
		live.retired_at = 0;
		if ((st = may_set_up(db, "undo", f.handover_closed_at, &live, NULL)) != HO_OK)
			goto cleanup;
	}
	if (strcmp(action, "item-edit") == 0) {
		struct item_text t = {title, guidance, due, words_receiver_from_db(r), c};
		st = item_write(db, &it, &t);
		was = "edited";
		now = "as before the edit";
	} else if (strcmp(action, "item-retire") == 0) {
		st = item_retired(db, &it, 0, NULL);
		was = "withdrawn";
		now = "back in the checklist";
	} else if (strcmp(action, "item") == 0) {
		st = item_retired(db, &it, 1, "added by mistake (undone)");
		was = "added";
		now = "withdrawn: added by mistake (undone)";
	} else if (strcmp(action, "item-move") == 0) {
		int64_t ignored = 0;
		ho_item b = {0};
		/* The item that followed it may have gone since: then to the end. */
		if (before && (ho_item_get(db, before, &b) != HO_OK || b.retired_at))
			before = 0;
		ho_item_clear(&b);
		st = item_move(db, &it, &f, before, &ignored);
		was = "moved";
		now = "back in its place";
	} else if (strcmp(action, "function-edit") == 0) {
		st = function_write(db, &f, name, due);
		was = "edited";
		now = "as before the edit";
	} else if (strcmp(action, "function-move") == 0) {
		int64_t ignored = 0;
		ho_function b = {0};
		if (before && (ho_function_get(db, before, &b) != HO_OK || b.retired_at))
			before = 0;
		ho_function_clear(&b);
		st = function_move(db, &f, before, &ignored);
		was = "moved";
		now = "back in its place";
	} else if (strcmp(action, "function-retire") == 0) {
		st = function_retired(db, &f, 0, NULL);
		was = "withdrawn";
		now = "back in the handover";
	} else {
		st = store_fail(db, HO_ESTATE, "nothing to undo");
	}
	if (st != HO_OK)
		goto cleanup;
	int64_t new_version = 0;
	if (item_id) {
		if ((st = ho_item_get(db, item_id, &after)) != HO_OK)
			goto cleanup;
		new_version = after.version;
	} else {
		ho_function fa = {0};
		if ((st = ho_function_get(db, function_id, &fa)) != HO_OK)
			goto cleanup;
		new_version = fa.version;
		ho_function_clear(&fa);
	}
	st = store_event(db, "undo", f.handover_id, f.id, item_id, ref, was, now, "", new_version);
	if (st == HO_OK && ref_out)
		snprintf(ref_out, HO_REF_SIZE, "%s", ref);
cleanup:
	ho_item_clear(&it);
	ho_item_clear(&after);
	ho_function_clear(&f);
	free(k);
	free(title);
	free(guidance);
	free(due);
	free(r);
	free(c);
	free(name);
	return st;
}

/* ---- what was withdrawn ------------------------------------------------------ */

ho_status ho_withdrawn_list(ho_db *db, int64_t handover_id, int64_t function_id, ho_withdrawn **out,
                            size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_withdrawn_of);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":function_id", function_id);
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		ho_withdrawn *w = &(*out)[(*n)++];
		memset(w, 0, sizeof *w);
		int number = eng_int(s, 1);
		if (number)
			snprintf(w->ref, sizeof w->ref, "%.15s-%d", eng_text(s, 0), number);
		else
			snprintf(w->ref, sizeof w->ref, "%.15s", eng_text(s, 0));
		w->is_function = number == 0;
		w->title = store_col_text(s, 2);
		w->note = store_col_text(s, 3);
		w->at = eng_int64(s, 4);
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_withdrawn_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading what was withdrawn");
	}
	return HO_OK;
}

void ho_withdrawn_free(ho_withdrawn *w, size_t n)
{
	for (size_t i = 0; w && i < n; i++) {
		free(w[i].title);
		free(w[i].note);
	}
	free(w);
}

ho_status ho_handover_add_with(ho_db *db, const char *title, const char *service,
                               const char *sender_org, const char *receiver_org,
                               const char *target_date, const char *marking, int pod_template,
                               int64_t *id_out)
{
	int64_t id = 0;
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_LEAD, "adding a handover");
	if (st != HO_OK)
		return st;
	st = ho_handover_add(db, title, service, sender_org, receiver_org, target_date, &id);
	if (st == HO_OK && pod_template)
		st = ho_handover_apply_template(db, id);
	if (st == HO_OK && marking) {
		ho_cover c = {.marking = marking};
		st = ho_handover_set(db, id, 0, &c);
	}
	if ((st = store_change_end(db, &ch, st)) == HO_OK && id_out)
		*id_out = id;
	return st;
}
