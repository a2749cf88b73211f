/* The item life cycle in the file: marks, comments, sign-off and undo. What
 * is allowed and what follows is decided by the rules (rules.c); this file
 * reads what they need and writes what they decide. */
#define _GNU_SOURCE
#include "json.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ho_can_act_in(ho_db *db, const ho_function *f, const ho_item *it, ho_action a, const char **why)
{
	ho_rule_actor me = store_rule_actor(db);
	ho_mark_outcome out;
	ho_rule_mark(&me, f, it, a, &out);
	if (why)
		*why = out.why;
	return out.status == HO_OK;
}

int ho_can_comment_in(ho_db *db, const ho_function *f, const char **why)
{
	ho_rule_actor me = store_rule_actor(db);
	return ho_rule_comment(&me, f, why) == HO_OK;
}

int ho_can_act(ho_db *db, const ho_item *it, ho_action a, const char **why)
{
	ho_function f;
	if (ho_function_get(db, it->function_id, &f) != HO_OK) {
		if (why)
			*why = "the item's function is gone";
		return 0;
	}
	int ok = ho_can_act_in(db, &f, it, a, why);
	ho_function_clear(&f);
	return ok;
}

int ho_can_comment(ho_db *db, const ho_item *it, const char **why)
{
	ho_function f;
	if (ho_function_get(db, it->function_id, &f) != HO_OK) {
		if (why)
			*why = "the item's function is gone";
		return 0;
	}
	int ok = ho_can_comment_in(db, &f, why);
	ho_function_clear(&f);
	return ok;
}

/* "handed over / pending" for history and conflict messages. */
static void state_words(const ho_item *it, char *buf, size_t size)
{
	snprintf(buf, size, "%s / %s", ho_sender_state_name(it->sender_state),
	         ho_receiver_state_name(it->receiver_state));
}

static ho_status conflict(ho_db *db, const ho_item *now)
{
	char when[20] = "", state[96];
	if (now->updated_at)
		ho_time_format(now->updated_at, when, sizeof when);
	state_words(now, state, sizeof state);
	char *who = ho_sanitise(now->updated_by[0] ? now->updated_by : "someone", HO_SAN_LINE);
	store_fail(db, HO_ECONFLICT,
	           "%s was changed by %s%s%s since you looked; it is now %s. Your change was not "
	           "applied",
	           now->ref, who ? who : "someone", when[0] ? " at " : "", when, state);
	free(who);
	return HO_ECONFLICT;
}

static ho_status add_thread(ho_db *db, int64_t item_id, const char *kind, const char *body,
                            int64_t *id_out)
{
	eng_stmt *s = store_stmt(db, STMT_thread_insert);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":item_id", item_id);
	store_bind_text(s, ":kind", kind);
	store_bind_int(s, ":author_id", db->actor.id);
	store_bind_int(s, ":now", store_now(db));
	store_bind_text(s, ":body", body);
	ho_status st = store_exec_stmt(db, s, "adding to the thread");
	if (st == HO_OK && id_out)
		*id_out = db->eng->last_id(db);
	return st;
}

/* A condition's owner and due date (read from the item: ho_item does not
 * carry them), for the undo record and to put back on undo. */
struct cond_terms {
	int64_t owner_id; /* 0: none */
	char *side, *due;
};

static ho_status read_condition_terms(ho_db *db, int64_t item_id, struct cond_terms *t)
{
	*t = (struct cond_terms){0};
	eng_stmt *s = store_stmt(db, STMT_item_condition_terms);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", item_id);
	int rc = eng_step(s);
	if (rc == ENG_ROW) {
		t->owner_id = eng_int64(s, 0);
		t->side = store_col_text(s, 1);
		t->due = store_col_text(s, 2);
	}
	rc = store_row_whole(s, rc);
	eng_reset(s);
	if (rc != ENG_ROW || !t->side || !t->due) {
		free(t->side);
		free(t->due);
		*t = (struct cond_terms){0};
		return rc == ENG_ROW ? HO_ENOMEM
		                     : store_engine_fail(db, rc, "recording the change");
	}
	return HO_OK;
}

static ho_status undo_condition_terms(ho_db *db, int64_t item_id, const char *undo)
{
	eng_stmt *s = store_stmt(db, STMT_item_set_condition_terms);
	if (!s)
		return store_stmt_failed(db);
	char *side = json_flat_text(undo, "cs"), *due = json_flat_text(undo, "cd");
	int64_t owner = json_flat_int(undo, "co");
	ho_status st;
	if (!side || !due) {
		st = store_fail(db, HO_EBADFILE,
		                "cannot undo: the history's record of the change is unreadable");
	} else {
		if (owner > 0)
			store_bind_int(s, ":owner_id", owner);
		else
			store_bind_null(s, ":owner_id");
		store_bind_text(s, ":side", side);
		store_bind_text(s, ":due", due);
		store_bind_int(s, ":id", item_id);
		st = store_exec_stmt(db, s, "undoing");
	}
	free(side);
	free(due);
	return st;
}

/* The item as it was, for undo (json.c: the same text on every engine,
 * the text SQLite's json_object and json_set wrote). */
static ho_status undo_record(ho_db *db, const ho_item *it, int64_t query_id, int64_t state_entry,
                             int64_t resolved_at, char **out)
{
	struct cond_terms t;
	ho_status st = read_condition_terms(db, it->id, &t);
	if (st != HO_OK)
		return st;
	const struct json_field f[] = {
	    {"s", words_sender_db(it->sender_state), 0, 0},
	    {"r", words_receiver_db(it->receiver_state), 0, 0},
	    {"e", it->evidence, 0, 0},
	    {"n", it->na_reason, 0, 0},
	    {"c", it->condition, 0, 0},
	    {"q", NULL, query_id, 0},
	    {"t", NULL, state_entry, 0},
	    {"res", NULL, resolved_at, 0},
	    {"co", NULL, t.owner_id, t.owner_id == 0},
	    {"cs", t.side, 0, 0},
	    {"cd", t.due, 0, 0},
	};
	*out = json_flat_write(f, sizeof f / sizeof f[0]);
	free(t.side);
	free(t.due);
	return *out ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
}

struct new_state {
	ho_sender_state sender;
	ho_receiver_state receiver;
	const char *evidence, *na_reason, *condition;
};

static ho_status write_state(ho_db *db, const ho_item *it, const struct new_state *ns)
{
	eng_stmt *s = store_stmt(db, STMT_item_update_state);
	if (!s)
		return store_stmt_failed(db);
	store_bind_text(s, ":sender_state", words_sender_db(ns->sender));
	store_bind_text(s, ":receiver_state", words_receiver_db(ns->receiver));
	store_bind_text(s, ":evidence", ns->evidence);
	store_bind_text(s, ":na_reason", ns->na_reason);
	store_bind_text(s, ":condition", ns->condition);
	store_bind_int(s, ":actor", db->actor.id);
	store_bind_int(s, ":now", store_now(db));
	store_bind_int(s, ":id", it->id);
	store_bind_int(s, ":version", it->version);
	ho_status st = store_exec_stmt(db, s, "saving the item");
	if (st != HO_OK)
		return st;
	/* Inside IMMEDIATE nobody else can write, so this only fires if the
	 * row vanished; it keeps the compare-and-set honest all the same. */
	if (db->eng->changes(db) != 1)
		return conflict(db, it);
	return HO_OK;
}

/* The rules' refusal, naming who can act when it is not the actor's to do. */
static ho_status refuse_mark(ho_db *db, const ho_item *it, const ho_function *f,
                             const ho_mark_outcome *out)
{
	if (out->only == HO_ROLE_NONE)
		return store_fail(db, out->status, "%s: %s", it->ref, out->why);
	int sender = out->only == HO_ROLE_SENDER;
	const char *name = sender ? f->sender_name : f->receiver_name;
	const char *login = sender ? f->sender_login : f->receiver_login;
	if (!login[0])
		return store_fail(db, out->status,
		                  "%s: only the function's %s may do this, and %s has none paired "
		                  "yet (a lead pairs one)",
		                  it->ref, ho_role_name(out->only), f->code);
	return store_fail(db, out->status, "%s: only the function's %s (%s, %s) may do this",
	                  it->ref, ho_role_name(out->only), name, login);
}

/* A text as the outcome says: kept, the action's text, or cleared. */
static const char *changed_text(ho_text_change c, const char *was, const char *text)
{
	return c == HO_TEXT_SET ? text : c == HO_TEXT_CLEAR ? "" : was;
}

/* Who meets a condition and by when, checked before the change begins. */
struct condition_terms {
	int64_t owner_id; /* 0: a side, or the receiver by default */
	const char *side; /* "sender", "receiver" or "" */
	char due[11];     /* "" : the handover's target date */
	char who[80];     /* for the history: a login, or the side */
};

static ho_status mark_item(ho_db *db, int64_t item_id, int64_t expected_version, ho_action a,
                           const char *text, const char *note, const ho_condition_terms *terms);

ho_status ho_item_mark(ho_db *db, int64_t item_id, int64_t expected_version, ho_action a,
                       const char *text, const char *note)
{
	return mark_item(db, item_id, expected_version, a, text, note, NULL);
}

ho_status ho_item_accept_conditions(ho_db *db, int64_t item_id, int64_t expected_version,
                                    const char *condition, const char *note,
                                    const ho_condition_terms *terms)
{
	ho_condition_terms none = {0};
	return mark_item(db, item_id, expected_version, HO_ACT_ACCEPTED_CONDITIONS, condition, note,
	                 terms ? terms : &none);
}

/* The terms as given, resolved against the file: a login must name one of
 * its people who has not left. Defaults (NULL or ""): the function's
 * receiver, the handover's target date (else the item's due date). */
static ho_status resolve_terms(ho_db *db, const ho_condition_terms *in, const ho_item *it,
                               const ho_function *f, struct condition_terms *out)
{
	memset(out, 0, sizeof *out);
	out->side = "";
	const char *owner = in->owner && in->owner[0] ? in->owner : NULL;
	if (owner && strcmp(owner, "sender-side") == 0) {
		out->side = "sender";
		snprintf(out->who, sizeof out->who, "sender side");
	} else if (owner && strcmp(owner, "receiver-side") == 0) {
		out->side = "receiver";
		snprintf(out->who, sizeof out->who, "receiver side");
	} else if (owner) {
		ho_person p = {0};
		ho_status st = ho_person_get(db, owner, &p);
		if (st == HO_ENOTFOUND)
			return store_fail(
			    db, HO_EUSAGE,
			    "condition owner '%s' is not one of the file's people (or "
			    "sender-side, receiver-side)",
			    owner);
		if (st != HO_OK)
			return st;
		int left = p.left_at != 0;
		out->owner_id = p.id;
		snprintf(out->who, sizeof out->who, "%s", p.login);
		ho_person_clear(&p);
		if (left)
			return store_fail(db, HO_ESTATE, "condition owner '%s' has left", owner);
	} else {
		out->owner_id = f->receiver_id;
		snprintf(out->who, sizeof out->who, "%s", f->receiver_login);
	}
	if (in->due && in->due[0])
		return store_user_date(db, in->due, "condition due date", out->due);
	ho_handover h = {0};
	ho_status st = ho_handover_get(db, f->handover_id, &h);
	if (st != HO_OK)
		return st;
	snprintf(out->due, sizeof out->due, "%s", h.target_date[0] ? h.target_date : it->due_date);
	ho_handover_clear(&h);
	return HO_OK;
}

static ho_status write_condition_terms(ho_db *db, int64_t item_id, const struct condition_terms *t)
{
	eng_stmt *s = store_stmt(db, STMT_item_set_condition_terms);
	if (!s)
		return store_stmt_failed(db);
	if (t->owner_id)
		store_bind_int(s, ":owner_id", t->owner_id);
	store_bind_text(s, ":side", t->side);
	store_bind_text(s, ":due", t->due);
	store_bind_int(s, ":id", item_id);
	return store_exec_stmt(db, s, "saving the condition's owner and due date");
}

static ho_status mark_item(ho_db *db, int64_t item_id, int64_t expected_version, ho_action a,
                           const char *text, const char *note, const ho_condition_terms *terms)
{
	struct store_change ch;
	ho_item it = {0}, after = {0};
	ho_function f = {0};
	char *clean_text = NULL, *clean_note = NULL, *undo = NULL;
	const char *label = ho_action_text(a);
	char terms_words[200] = "";
	ho_status st;
	if ((unsigned)a >= HO_ACT__COUNT)
		return store_fail(db, HO_EUSAGE, "unknown action");
	if (label && (st = store_clean_text(db, text, HO_MAX_TEXT, 1, label, &clean_text)) != HO_OK)
		return st;
	if ((st = store_clean_text(db, note, HO_MAX_TEXT, 0, "note", &clean_note)) != HO_OK)
		goto cleanup;
	if ((st = store_change_begin(db, &ch, STORE_ANYONE, NULL)) != HO_OK)
		goto cleanup;
	/* Read inside the write lock: what we check is what we change. */
	if ((st = ho_item_get(db, item_id, &it)) != HO_OK ||
	    (st = ho_function_get(db, it.function_id, &f)) != HO_OK)
		goto fail;
	if (expected_version && it.version != expected_version) {
		st = conflict(db, &it);
		goto fail;
	}
	ho_rule_actor me = store_rule_actor(db);
	ho_mark_outcome out;
	ho_rule_mark(&me, &f, &it, a, &out);
	if (out.status != HO_OK) {
		st = refuse_mark(db, &it, &f, &out);
		goto fail;
	}
	struct new_state ns = {out.sender, out.receiver,
	                       changed_text(out.evidence, it.evidence, clean_text),
	                       changed_text(out.na_reason, it.na_reason, clean_text),
	                       changed_text(out.condition, it.condition, clean_text)};
	const char *thread_kind =
	    out.thread >= 0 ? words_thread_db((ho_thread_kind)out.thread) : NULL;
	int resolve_queries = out.resolve_queries;

	int64_t now = store_now(db), state_entry = 0, query_id = 0;
	if (thread_kind &&
	    (st = add_thread(db, item_id, thread_kind, clean_text, &state_entry)) != HO_OK)
		goto fail;
	if (a == HO_ACT_GAP)
		query_id = state_entry;
	if ((st = undo_record(db, &it, query_id, state_entry, resolve_queries ? now : 0, &undo)) !=
	    HO_OK)
		goto fail;
	if (resolve_queries && it.open_queries) {
		eng_stmt *s = store_stmt(db, STMT_thread_resolve_queries);
		if (!s) {
			st = store_stmt_failed(db);
			goto fail;
		}
		store_bind_int(s, ":item_id", item_id);
		store_bind_int(s, ":now", now);
		if ((st = store_exec_stmt(db, s, "closing the query")) != HO_OK)
			goto fail;
	}
	if ((st = write_state(db, &it, &ns)) != HO_OK)
		goto fail;
	/* Every new condition has an owner and a due date: the ones given,
	 * else the defaults. */
	if (a == HO_ACT_ACCEPTED_CONDITIONS) {
		ho_condition_terms none = {0};
		struct condition_terms ct;
		if ((st = resolve_terms(db, terms ? terms : &none, &it, &f, &ct)) != HO_OK ||
		    (st = write_condition_terms(db, item_id, &ct)) != HO_OK)
			goto fail;
		snprintf(terms_words, sizeof terms_words, " (owner %s, due %s)",
		         ct.who[0] ? ct.who : "nobody", ct.due[0] ? ct.due : "none");
	}
	if (clean_note[0] && (st = add_thread(db, item_id, words_thread_db(HO_THREAD_COMMENT),
	                                      clean_note, NULL)) != HO_OK)
		goto fail;
	if ((st = ho_item_get(db, item_id, &after)) != HO_OK)
		goto fail;

	char old_words[96], new_words[HO_MAX_TEXT + 400];
	state_words(&it, old_words, sizeof old_words);
	state_words(&after, new_words, sizeof new_words);
	if (clean_text) {
		size_t used = strlen(new_words);
		snprintf(new_words + used, sizeof new_words - used, ": %s%s", clean_text,
		         terms_words);
	}
	if ((st = store_event(db, "mark", f.handover_id, f.id, item_id, it.ref, old_words,
	                      new_words, undo, after.version)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_item_clear(&it);
	ho_item_clear(&after);
	ho_function_clear(&f);
	free(clean_text);
	free(clean_note);
	free(undo);
	return st;
}

ho_status ho_item_comment(ho_db *db, int64_t item_id, const char *text)
{
	struct store_change ch;
	ho_item it = {0};
	ho_function f = {0};
	char *body = NULL;
	ho_status st = store_clean_text(db, text, HO_MAX_TEXT, 1, "comment", &body);
	if (st != HO_OK)
		return st;
	if ((st = store_change_begin(db, &ch, STORE_ANYONE, NULL)) != HO_OK)
		goto cleanup;
	if ((st = ho_item_get(db, item_id, &it)) != HO_OK ||
	    (st = ho_function_get(db, it.function_id, &f)) != HO_OK)
		goto fail;
	ho_rule_actor me = store_rule_actor(db);
	const char *why = NULL;
	if ((st = ho_rule_comment(&me, &f, &why)) != HO_OK) {
		store_fail(db, st, "%s: %s", it.ref, why);
		goto fail;
	}
	/* A comment changes no state, so it does not bump the item's version:
	 * it must not turn someone's pending mark into a conflict. */
	if ((st = add_thread(db, item_id, words_thread_db(HO_THREAD_COMMENT), body, NULL)) !=
	        HO_OK ||
	    (st = store_event(db, "comment", f.handover_id, f.id, item_id, it.ref, "", body, "",
	                      it.version)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
cleanup:
	ho_item_clear(&it);
	ho_function_clear(&f);
	free(body);
	return st;
}

int ho_can_sign_function(ho_db *db, const ho_function *f, const char **why)
{
	ho_rule_actor me = store_rule_actor(db);
	return ho_rule_sign_function(&me, f, why) == HO_OK;
}

ho_status ho_function_sign(ho_db *db, int64_t function_id)
{
	struct store_change ch;
	ho_function f = {0};
	const char *why = NULL;
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, NULL);
	if (st != HO_OK)
		return st;
	if ((st = ho_function_get(db, function_id, &f)) != HO_OK)
		goto fail;
	ho_rule_actor me = store_rule_actor(db);
	if ((st = ho_rule_sign_function(&me, &f, &why)) != HO_OK) {
		char blockers[600] = "";
		if (st == HO_ESTATE && !ho_rule_function_ready(&f) &&
		    ho_sign_blockers(db, f.handover_id, f.id, blockers, sizeof blockers) != HO_OK)
			blockers[0] = '\0';
		store_fail(db, st, "%s: %s%s%s", f.code, why, blockers[0] ? ": " : "", blockers);
		goto fail;
	}
	int as_sender = db->actor.id == f.sender_id;
	eng_stmt *s =
	    store_stmt(db, as_sender ? STMT_function_sign_sender : STMT_function_sign_receiver);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", function_id);
	store_bind_int(s, ":now", store_now(db));
	if ((st = store_exec_stmt(db, s, "signing off")) != HO_OK)
		goto fail;
	if ((st = store_event(db, "sign", f.handover_id, f.id, 0, f.code, "",
	                      as_sender ? "signed off by the sender" : "signed off by the receiver",
	                      "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	ho_function_clear(&f);
	return st;
}

int ho_can_sign_handover(ho_db *db, const ho_handover *h, const char **why)
{
	ho_rule_actor me = store_rule_actor(db);
	return ho_rule_sign_handover(&me, h, why) == HO_OK;
}

ho_status ho_handover_sign(ho_db *db, int64_t handover_id)
{
	struct store_change ch;
	ho_handover h = {0};
	const char *why = NULL;
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, NULL);
	if (st != HO_OK)
		return st;
	if ((st = ho_handover_get(db, handover_id, &h)) != HO_OK)
		goto fail;
	ho_rule_actor me = store_rule_actor(db);
	if ((st = ho_rule_sign_handover(&me, &h, &why)) != HO_OK) {
		char blockers[600] = "";
		if (st == HO_ESTATE && !h.signed_at && h.functions_signed < h.functions &&
		    ho_sign_blockers(db, handover_id, 0, blockers, sizeof blockers) != HO_OK)
			blockers[0] = '\0';
		store_fail(db, st, "handover %lld: %s%s%s", (long long)handover_id, why,
		           blockers[0] ? "; not signed off: " : "", blockers);
		goto fail;
	}
	eng_stmt *s = store_stmt(db, STMT_handover_sign);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", handover_id);
	store_bind_int(s, ":actor", db->actor.id);
	store_bind_int(s, ":now", store_now(db));
	if ((st = store_exec_stmt(db, s, "signing off")) != HO_OK)
		goto fail;
	if ((st = store_event(db, "sign", handover_id, 0, 0, h.title, "", "signed off by a lead",
	                      "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	ho_handover_clear(&h);
	return st;
}

ho_status ho_undo(ho_db *db, char ref_out[HO_REF_SIZE])
{
	ho_item it = {0}, after = {0};
	ho_function f = {0};
	char *undo = NULL, *ev_ref = NULL;
	char *e = NULL, *n = NULL, *c = NULL;
	struct store_change ch;
	if (db->actor.role == HO_ROLE_NONE)
		return store_fail(db, HO_EPERM, "you are not in this file's people (read-only)");
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, "undoing");
	if (st != HO_OK)
		return st;
	/* The actor's last change of an item's state, or a lead's last
	 * change of the checklist (store_setup.c undoes those). */
	eng_stmt *s = store_stmt(db, STMT_event_last_setup_of_actor);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_text(s, ":actor", db->actor.login);
	int rc = eng_step(s);
	int64_t item_id = 0, item_version = 0, function_id = 0;
	int was_undo = 0;
	char action[24] = "";
	if (rc == ENG_ROW) {
		snprintf(action, sizeof action, "%s", eng_text(s, 1));
		was_undo = strcmp(action, "undo") == 0;
		item_id = eng_int64(s, 2);
		function_id = eng_int64(s, 3);
		undo = store_col_text(s, 4);
		item_version = eng_int64(s, 5);
		ev_ref = store_col_text(s, 6);
	}
	rc = store_row_whole(s, rc);
	eng_reset(s);
	if (rc != ENG_ROW && rc != ENG_DONE) {
		st = store_engine_fail(db, rc, "reading history");
		goto fail;
	}
	if (rc == ENG_DONE || !undo || !undo[0]) {
		st = store_fail(db, HO_ESTATE, "nothing to undo: you have not changed any item");
		goto fail;
	}
	if (was_undo) {
		st = store_fail(db, HO_ESTATE, "nothing to undo: your last change (%s) was undone",
		                ev_ref);
		goto fail;
	}
	if (strcmp(action, "mark") != 0) {
		st =
		    store_setup_undo(db, action, item_id, function_id, undo, item_version, ref_out);
		goto fail;
	}
	if ((st = ho_item_get(db, item_id, &it)) != HO_OK ||
	    (st = ho_function_get(db, it.function_id, &f)) != HO_OK)
		goto fail;
	if (it.version != item_version) {
		st = conflict(db, &it);
		char why[sizeof db->errmsg];
		snprintf(why, sizeof why, "%s", ho_errmsg(db));
		store_fail(db, HO_ECONFLICT, "cannot undo: %s", why);
		goto fail;
	}
	if (ho_rule_function_signed(&f)) {
		st = store_fail(db, HO_ESTATE, "cannot undo: %s is signed off", f.code);
		goto fail;
	}
	struct new_state ns = {0};
	char *sw = json_flat_text(undo, "s"), *rw = json_flat_text(undo, "r");
	e = json_flat_text(undo, "e");
	n = json_flat_text(undo, "n");
	c = json_flat_text(undo, "c");
	int64_t query_id = json_flat_int(undo, "q"), state_entry = json_flat_int(undo, "t"),
	        resolved_at = json_flat_int(undo, "res");
	int whole = sw && rw && e && n && c;
	if (whole) {
		ns.sender = words_sender_from_db(sw);
		ns.receiver = words_receiver_from_db(rw);
	}
	free(sw);
	free(rw);
	if (!whole) {
		st = store_fail(db, HO_EBADFILE,
		                "cannot undo: the history's record of the change is unreadable");
		goto fail;
	}
	ns.evidence = e;
	ns.na_reason = n;
	ns.condition = c;
	/* The thread entry that stated the change (evidence, reason, query,
	 * condition) no longer holds; the history keeps what it said. */
	if (state_entry || query_id) {
		s = store_stmt(db, STMT_thread_delete);
		if (!s) {
			st = store_stmt_failed(db);
			goto fail;
		}
		store_bind_int(s, ":id", state_entry ? state_entry : query_id);
		store_bind_int(s, ":item_id", item_id);
		if ((st = store_exec_stmt(db, s, "undoing")) != HO_OK)
			goto fail;
	}
	if (resolved_at) {
		s = store_stmt(db, STMT_thread_unresolve_queries);
		if (!s) {
			st = store_stmt_failed(db);
			goto fail;
		}
		store_bind_int(s, ":item_id", item_id);
		store_bind_int(s, ":at", resolved_at);
		if ((st = store_exec_stmt(db, s, "undoing")) != HO_OK)
			goto fail;
	}
	if ((st = write_state(db, &it, &ns)) != HO_OK ||
	    (st = undo_condition_terms(db, item_id, undo)) != HO_OK ||
	    (st = ho_item_get(db, item_id, &after)) != HO_OK)
		goto fail;
	char old_words[96], new_words[96];
	state_words(&it, old_words, sizeof old_words);
	state_words(&after, new_words, sizeof new_words);
	st = store_event(db, "undo", f.handover_id, f.id, item_id, it.ref, old_words, new_words, "",
	                 after.version);
	if (st == HO_OK && ref_out)
		snprintf(ref_out, HO_REF_SIZE, "%s", it.ref);
fail:
	st = store_change_end(db, &ch, st);
	ho_item_clear(&it);
	ho_item_clear(&after);
	ho_function_clear(&f);
	free(undo);
	free(ev_ref);
	free(e);
	free(n);
	free(c);
	return st;
}
