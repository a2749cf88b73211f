/* The risk log and deep dives (handover/risks.h): each change one
 * transaction with its history event; who may do what is the rules'
 * (rules.c). */
#define _GNU_SOURCE
#include "handover/risks.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The handover meant: `id`, or the only one when id is 0. */
static ho_status handover_resolve(ho_db *db, int64_t id, int64_t *out)
{
	eng_stmt *s = store_stmt(db, STMT_handover_ids);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", id);
	int rc, count = 0;
	*out = 0;
	while ((rc = eng_step(s)) == ENG_ROW)
		if (count++ == 0)
			*out = eng_int64(s, 0);
	eng_reset(s);
	if (rc != ENG_DONE)
		return store_engine_fail(db, rc, "looking up the handover");
	if (count == 0)
		return id ? store_fail(db, HO_ENOTFOUND, "no handover with id %lld", (long long)id)
		          : store_fail(db, HO_ENOTFOUND, "the file holds no handover");
	if (count > 1)
		return store_fail(db, HO_EUSAGE,
		                  "the file holds %d handovers; pick one with --handover", count);
	return HO_OK;
}

/* "R-3" with prefix "R" -> 3; 0 when it is not such a reference. */
static int ref_number(const char *ref, const char *prefix)
{
	size_t len = strlen(prefix);
	if (!ref || strncasecmp(ref, prefix, len) != 0 || ref[len] != '-' || !ref[len + 1])
		return 0;
	long v = 0;
	for (const char *p = ref + len + 1; *p; p++) {
		if (*p < '0' || *p > '9' || v > 100000000L)
			return 0;
		v = v * 10 + (*p - '0');
	}
	return (int)v;
}

static ho_status next_number(ho_db *db, enum store_stmt_id id, int64_t handover_id, int *out)
{
	eng_stmt *s = store_stmt(db, id);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", handover_id);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		*out = eng_int(s, 0);
	eng_reset(s);
	return rc == ENG_ROW ? HO_OK : store_engine_fail(db, rc, "numbering");
}

/* May the actor add risks and deep dives to the handover? */
static ho_status may_add(ho_db *db, int64_t handover_id, const char *what)
{
	int paired = 0;
	eng_stmt *s = store_stmt(db, STMT_handover_paired);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":person", db->actor.id);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		paired = eng_int(s, 0);
	eng_reset(s);
	if (rc != ENG_ROW)
		return store_engine_fail(db, rc, what);
	ho_rule_actor me = store_rule_actor(db);
	const char *why = NULL;
	ho_status st = ho_rule_risk_add(&me, paired, &why);
	return st == HO_OK ? HO_OK : store_fail(db, st, "%s: %s", what, why);
}

static ho_status person_id(ho_db *db, const char *login, int64_t *id)
{
	ho_person p;
	ho_status st = ho_person_get(db, login, &p);
	if (st == HO_ENOTFOUND) {
		char *clean = ho_sanitise(login, HO_SAN_LINE);
		st = store_fail(db, HO_ENOTFOUND, "no person '%s' (see 'handover people list')",
		                clean ? clean : "");
		free(clean);
		return st;
	}
	if (st == HO_OK)
		*id = p.id;
	ho_person_clear(&p);
	return st;
}

/* "FIN-3, dig-1" -> "FIN-3, DIG-1" after checking each names an item of
 * the handover (or, with risks, a risk: "R-1, R-3"). */
static ho_status check_refs(ho_db *db, int64_t handover_id, const char *list, int risks, char **out)
{
	*out = NULL;
	char *copy = strdup(list ? list : ""), *norm = NULL;
	size_t used = 0, cap = 0;
	ho_status st = copy ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
	char *save = NULL;
	for (char *tok = copy ? strtok_r(copy, ", ", &save) : NULL; tok && st == HO_OK;
	     tok = strtok_r(NULL, ", ", &save)) {
		for (char *c = tok; *c; c++)
			if (*c >= 'a' && *c <= 'z')
				*c = (char)(*c - 'a' + 'A');
		if (risks) {
			int number = ref_number(tok, "R");
			eng_stmt *s = number ? store_stmt(db, STMT_risk_by_ref) : NULL;
			int rc = ENG_DONE;
			if (s) {
				store_bind_int(s, ":handover_id", handover_id);
				store_bind_int(s, ":number", number);
				rc = eng_step(s);
				eng_reset(s);
			}
			if (rc != ENG_ROW) {
				char *clean = ho_sanitise(tok, HO_SAN_LINE);
				st = store_fail(db, HO_ENOTFOUND, "no risk %s in this handover",
				                clean ? clean : "");
				free(clean);
			}
		} else {
			int64_t id;
			st = ho_item_find(db, handover_id, tok, &id);
		}
		if (st != HO_OK)
			break;
		size_t need = used + strlen(tok) + 3;
		if (need > cap) {
			cap = need * 2;
			char *grown = realloc(norm, cap);
			if (!grown) {
				st = store_fail(db, HO_ENOMEM, "out of memory");
				break;
			}
			norm = grown;
		}
		used += (size_t)sprintf(norm + used, "%s%s", used ? ", " : "", tok);
	}
	free(copy);
	if (st != HO_OK) {
		free(norm);
		return st;
	}
	*out = norm ? norm : strdup("");
	return *out ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
}

static void risk_from_row(eng_stmt *s, ho_risk *r)
{
	memset(r, 0, sizeof *r);
	r->id = eng_int64(s, 0);
	r->handover_id = eng_int64(s, 1);
	r->number = eng_int(s, 2);
	snprintf(r->ref, sizeof r->ref, "R-%d", r->number);
	r->function_code = store_col_text(s, 3);
	r->title = store_col_text(s, 4);
	r->description = store_col_text(s, 5);
	r->cause = store_col_text(s, 6);
	r->likelihood = eng_int(s, 7);
	r->impact = eng_int(s, 8);
	r->score = r->likelihood * r->impact;
	r->level = ho_risk_level_of(r->score);
	r->owner_login = store_col_text(s, 9);
	r->owner_name = store_col_text(s, 10);
	r->mitigation = store_col_text(s, 11);
	r->review_date = store_col_text(s, 12);
	r->items = store_col_text(s, 13);
	r->closed = eng_int(s, 14);
	r->close_note = store_col_text(s, 15);
	r->version = eng_int64(s, 16);
	r->created_at = eng_int64(s, 17);
	r->updated_at = eng_int64(s, 18);
}

static int risk_complete(const ho_risk *r)
{
	return r->function_code && r->title && r->description && r->cause && r->owner_login &&
	       r->owner_name && r->mitigation && r->review_date && r->items && r->close_note;
}

void ho_risk_clear(ho_risk *r)
{
	free(r->function_code);
	free(r->title);
	free(r->description);
	free(r->cause);
	free(r->owner_login);
	free(r->owner_name);
	free(r->mitigation);
	free(r->review_date);
	free(r->items);
	free(r->close_note);
	memset(r, 0, sizeof *r);
}

void ho_risk_free(ho_risk *r, size_t n)
{
	if (!r)
		return;
	for (size_t i = 0; i < n; i++)
		ho_risk_clear(&r[i]);
	free(r);
}

static ho_status risk_get(ho_db *db, int64_t handover_id, const char *ref, ho_risk *out)
{
	memset(out, 0, sizeof *out);
	int number = ref_number(ref, "R");
	if (!number) {
		char *clean = ho_sanitise(ref, HO_SAN_LINE);
		ho_status st = store_fail(db, HO_EUSAGE, "'%s' is not a risk reference (like R-3)",
		                          clean ? clean : "");
		free(clean);
		return st;
	}
	eng_stmt *s = store_stmt(db, STMT_risk_by_ref);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":number", number);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		risk_from_row(s, out);
	eng_reset(s);
	if (rc == ENG_DONE)
		return store_fail(db, HO_ENOTFOUND, "no risk R-%d in this handover", number);
	if (rc != ENG_ROW)
		return store_engine_fail(db, rc, "reading a risk");
	if (!risk_complete(out)) {
		ho_risk_clear(out);
		return store_fail(db, HO_ENOMEM, "out of memory reading a risk");
	}
	return HO_OK;
}

/* The texts of a risk after the change: each given field cleaned, the
 * others as they were. */
struct risk_texts {
	char *title, *description, *cause, *mitigation, *items;
	char review_date[11]; /* YYYY-MM-DD or "" */
	int64_t owner_id, function_id;
	int likelihood, impact;
};

static void texts_free(struct risk_texts *t)
{
	free(t->title);
	free(t->description);
	free(t->cause);
	free(t->mitigation);
	free(t->items);
}

static ho_status score_check(ho_db *db, int v, const char *what)
{
	if (v < 1 || v > 5)
		return store_fail(db, HO_EUSAGE, "%s must be 1 to 5 (the NHS 5x5 matrix), not %d",
		                  what, v);
	return HO_OK;
}

/* Fill t from f over `was` (NULL when adding). */
static ho_status risk_texts(ho_db *db, int64_t handover_id, const ho_risk_fields *f,
                            const ho_risk *was, struct risk_texts *t)
{
	memset(t, 0, sizeof *t);
	ho_status st;
	const char *keep_title = was ? was->title : NULL;
	if ((st = store_clean_text(db, f->title ? f->title : keep_title, HO_MAX_NAME, 1,
	                           "risk title", &t->title)) != HO_OK ||
	    (st = store_clean_text(db,
	                           f->description ? f->description
	                           : was          ? was->description
	                                          : "",
	                           HO_MAX_TEXT, 0, "description", &t->description)) != HO_OK ||
	    (st = store_clean_text(db,
	                           f->cause ? f->cause
	                           : was    ? was->cause
	                                    : "",
	                           HO_MAX_TEXT, 0, "cause", &t->cause)) != HO_OK ||
	    (st = store_clean_text(db,
	                           f->mitigation ? f->mitigation
	                           : was         ? was->mitigation
	                                         : "",
	                           HO_MAX_TEXT, 0, "mitigation", &t->mitigation)) != HO_OK)
		return st;
	t->likelihood = f->likelihood ? f->likelihood : was ? was->likelihood : 0;
	t->impact = f->impact ? f->impact : was ? was->impact : 0;
	if ((st = score_check(db, t->likelihood, "likelihood")) != HO_OK ||
	    (st = score_check(db, t->impact, "impact")) != HO_OK)
		return st;
	if ((st = store_user_date(db,
	                          f->review_date ? f->review_date
	                          : was          ? was->review_date
	                                         : "",
	                          "review date", t->review_date)) != HO_OK)
		return st;
	const char *owner = f->owner ? f->owner : was ? was->owner_login : NULL;
	if (!owner || !*owner)
		return store_fail(db, HO_EUSAGE, "a risk needs an owner (--owner LOGIN)");
	if ((st = person_id(db, owner, &t->owner_id)) != HO_OK)
		return st;
	const char *code = f->function_code ? f->function_code : was ? was->function_code : "";
	if (code && *code &&
	    (st = ho_function_find(db, handover_id, code, &t->function_id)) != HO_OK)
		return st;
	return check_refs(db, handover_id,
	                  f->items ? f->items
	                  : was    ? was->items
	                           : "",
	                  0, &t->items);
}

static ho_status risk_write(ho_db *db, eng_stmt *s, const struct risk_texts *t)
{
	if (t->function_id)
		store_bind_int(s, ":function_id", t->function_id);
	else
		store_bind_null(s, ":function_id");
	store_bind_text(s, ":title", t->title);
	store_bind_text(s, ":description", t->description);
	store_bind_text(s, ":cause", t->cause);
	store_bind_int(s, ":likelihood", t->likelihood);
	store_bind_int(s, ":impact", t->impact);
	store_bind_int(s, ":owner_id", t->owner_id);
	store_bind_text(s, ":mitigation", t->mitigation);
	store_bind_text(s, ":review_date", t->review_date);
	store_bind_text(s, ":items", t->items);
	store_bind_int(s, ":now", store_now(db));
	return store_exec_stmt(db, s, "saving the risk");
}

/* "L4 x I5 = 20 (extreme), owner sam: title" for the history. */
static void risk_words(const struct risk_texts *t, const char *owner, char *buf, size_t size)
{
	int score = t->likelihood * t->impact;
	snprintf(buf, size, "L%d x I%d = %d (%s), owner %s: %s", t->likelihood, t->impact, score,
	         ho_risk_level_name(ho_risk_level_of(score)), owner, t->title);
}

ho_status ho_risk_add(ho_db *db, int64_t handover_id, const ho_risk_fields *f, char ref[16])
{
	struct risk_texts t = {0};
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, NULL);
	if (st != HO_OK)
		return st;
	int number = 0;
	if ((st = handover_resolve(db, handover_id, &handover_id)) != HO_OK ||
	    (st = may_add(db, handover_id, "adding a risk")) != HO_OK ||
	    (st = risk_texts(db, handover_id, f, NULL, &t)) != HO_OK ||
	    (st = next_number(db, STMT_risk_next, handover_id, &number)) != HO_OK)
		goto fail;
	eng_stmt *s = store_stmt(db, STMT_risk_insert);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":number", number);
	if ((st = risk_write(db, s, &t)) != HO_OK)
		goto fail;
	char r[16], words[HO_MAX_NAME + 160];
	snprintf(r, sizeof r, "R-%d", number);
	risk_words(&t, f->owner, words, sizeof words);
	if ((st = store_event(db, "risk", handover_id, t.function_id, 0, r, "", words, "", 0)) !=
	    HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	if (st == HO_OK && ref)
		snprintf(ref, 16, "%s", r);
	texts_free(&t);
	return st;
}

/* Edit or close: the risk read inside the write lock, the rules asked, the
 * compare-and-set update, the event. */
static ho_status risk_change(ho_db *db, int64_t handover_id, const char *ref,
                             int64_t expected_version, const ho_risk_fields *f,
                             const char *close_note)
{
	ho_risk was = {0};
	struct risk_texts t = {0};
	char *note = NULL;
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, NULL);
	if (st != HO_OK)
		return st;
	if ((st = handover_resolve(db, handover_id, &handover_id)) != HO_OK ||
	    (st = risk_get(db, handover_id, ref, &was)) != HO_OK)
		goto fail;
	int64_t owner_id = 0;
	if ((st = person_id(db, was.owner_login, &owner_id)) != HO_OK)
		goto fail;
	ho_rule_actor me = store_rule_actor(db);
	const char *why = NULL;
	if ((st = ho_rule_risk_change(&me, owner_id, was.closed, &why)) != HO_OK) {
		store_fail(db, st, "%s: %s", was.ref, why);
		goto fail;
	}
	if (expected_version && expected_version != was.version) {
		st = store_fail(db, HO_ECONFLICT,
		                "%s was changed by someone else since you looked; your change was "
		                "not applied",
		                was.ref);
		goto fail;
	}
	ho_risk_fields none = {0};
	if ((st = risk_texts(db, handover_id, f ? f : &none, &was, &t)) != HO_OK)
		goto fail;
	if (close_note &&
	    (st = store_clean_text(db, close_note, HO_MAX_TEXT, 1, "closing note", &note)) != HO_OK)
		goto fail;
	eng_stmt *s = store_stmt(db, STMT_risk_update);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", was.id);
	store_bind_int(s, ":version", was.version);
	store_bind_text(s, ":status", note ? "closed" : "open");
	store_bind_text(s, ":close_note", note ? note : "");
	if ((st = risk_write(db, s, &t)) != HO_OK)
		goto fail;
	if (db->eng->changes(db) != 1) {
		st = store_fail(db, HO_ECONFLICT, "%s changed while saving; not applied", was.ref);
		goto fail;
	}
	char old_words[HO_MAX_NAME + 160], new_words[HO_MAX_NAME + HO_MAX_TEXT + 160];
	struct risk_texts old_t = {
	    .title = was.title, .likelihood = was.likelihood, .impact = was.impact};
	risk_words(&old_t, was.owner_login, old_words, sizeof old_words);
	risk_words(&t, f && f->owner ? f->owner : was.owner_login, new_words, sizeof new_words);
	if (note)
		snprintf(new_words + strlen(new_words), sizeof new_words - strlen(new_words),
		         "; closed: %s", note);
	if ((st = store_event(db, note ? "risk close" : "risk edit", handover_id, t.function_id, 0,
	                      was.ref, old_words, new_words, "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	ho_risk_clear(&was);
	texts_free(&t);
	free(note);
	return st;
}

ho_status ho_risk_edit(ho_db *db, int64_t handover_id, const char *ref, int64_t expected_version,
                       const ho_risk_fields *f)
{
	return risk_change(db, handover_id, ref, expected_version, f, NULL);
}

ho_status ho_risk_close(ho_db *db, int64_t handover_id, const char *ref, const char *note)
{
	if (!note || !*note)
		return store_fail(db, HO_EUSAGE, "closing a risk needs a note (--note TEXT)");
	return risk_change(db, handover_id, ref, 0, NULL, note);
}

ho_status ho_risks_list(ho_db *db, int64_t handover_id, int open_only, ho_risk **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_risks_of);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":open_only", open_only);
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		risk_from_row(s, &(*out)[*n]);
		(*n)++;
		if (!risk_complete(&(*out)[*n - 1])) {
			rc = ENG_NOMEM;
			break;
		}
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_risk_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading risks");
	}
	return HO_OK;
}

/* ---- deep dives ------------------------------------------------------- */

static void action_from_row(eng_stmt *s, ho_dive_action *a)
{
	memset(a, 0, sizeof *a);
	a->id = eng_int64(s, 0);
	a->number = eng_int(s, 1);
	snprintf(a->ref, sizeof a->ref, "A-%d", a->number);
	snprintf(a->dive_ref, sizeof a->dive_ref, "DD-%d", eng_int(s, 2));
	a->text = store_col_text(s, 3);
	a->owner_login = store_col_text(s, 4);
	a->owner_name = store_col_text(s, 5);
	a->due_date = store_col_text(s, 6);
	a->done_at = eng_int64(s, 7);
	a->handover_id = eng_int64(s, 9);
}

static void action_clear(ho_dive_action *a)
{
	free(a->text);
	free(a->owner_login);
	free(a->owner_name);
	free(a->due_date);
	memset(a, 0, sizeof *a);
}

static int action_complete(const ho_dive_action *a)
{
	return a->text && a->owner_login && a->owner_name && a->due_date;
}

void ho_dive_action_free(ho_dive_action *a, size_t n)
{
	if (!a)
		return;
	for (size_t i = 0; i < n; i++)
		action_clear(&a[i]);
	free(a);
}

void ho_deep_dive_free(ho_deep_dive *d, size_t n)
{
	if (!d)
		return;
	for (size_t i = 0; i < n; i++) {
		free(d[i].held_on);
		free(d[i].title);
		free(d[i].attendees);
		free(d[i].risks);
		free(d[i].decisions);
		ho_dive_action_free(d[i].actions, d[i].nactions);
	}
	free(d);
}

/* Actions from a prepared statement (bound by the caller). */
static ho_status actions_read(ho_db *db, eng_stmt *s, ho_dive_action **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		action_from_row(s, &(*out)[(*n)++]);
		if (!action_complete(&(*out)[*n - 1])) {
			rc = ENG_NOMEM;
			break;
		}
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_dive_action_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading actions");
	}
	return HO_OK;
}

ho_status ho_deep_dive_add(ho_db *db, int64_t handover_id, const char *held_on, const char *title,
                           const char *attendees, const char *risks, const char *decisions,
                           char ref[16])
{
	char *t = NULL, *at = NULL, *rk = NULL, *dc = NULL, held_iso[11];
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, NULL);
	if (st != HO_OK)
		return st;
	int number = 0;
	if (!held_on || !*held_on) {
		st = store_fail(db, HO_EUSAGE, "a deep dive needs its date (--date YYYY-MM-DD)");
		goto fail;
	}
	if ((st = handover_resolve(db, handover_id, &handover_id)) != HO_OK ||
	    (st = may_add(db, handover_id, "adding a deep dive")) != HO_OK ||
	    (st = store_user_date(db, held_on, "date", held_iso)) != HO_OK ||
	    (st = store_clean_text(db, title, HO_MAX_NAME, 1, "title", &t)) != HO_OK ||
	    (st = store_clean_text(db, attendees, HO_MAX_TEXT, 0, "attendees", &at)) != HO_OK ||
	    (st = store_clean_text(db, decisions, HO_MAX_TEXT, 0, "decisions", &dc)) != HO_OK ||
	    (st = check_refs(db, handover_id, risks, 1, &rk)) != HO_OK ||
	    (st = next_number(db, STMT_dive_next, handover_id, &number)) != HO_OK)
		goto fail;
	eng_stmt *s = store_stmt(db, STMT_dive_insert);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":number", number);
	store_bind_text(s, ":held_on", held_iso);
	store_bind_text(s, ":title", t);
	store_bind_text(s, ":attendees", at);
	store_bind_text(s, ":risks", rk);
	store_bind_text(s, ":decisions", dc);
	store_bind_int(s, ":now", store_now(db));
	if ((st = store_exec_stmt(db, s, "adding a deep dive")) != HO_OK)
		goto fail;
	char r[16], words[HO_MAX_NAME + 40];
	snprintf(r, sizeof r, "DD-%d", number);
	snprintf(words, sizeof words, "%s: %s", held_iso, t);
	if ((st = store_event(db, "deep dive", handover_id, 0, 0, r, "", words, "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	if (st == HO_OK && ref)
		snprintf(ref, 16, "%s", r);
	free(t);
	free(at);
	free(rk);
	free(dc);
	return st;
}

ho_status ho_dive_action_add(ho_db *db, int64_t handover_id, const char *dive_ref, const char *text,
                             const char *owner, const char *due_date, char ref[16])
{
	char *tx = NULL, due_iso[11];
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, NULL);
	if (st != HO_OK)
		return st;
	int dive = ref_number(dive_ref, "DD"), number = 0;
	int64_t dive_id = 0, owner_id = 0;
	if (!dive) {
		st = store_fail(db, HO_EUSAGE, "give the deep dive's reference (like DD-1)");
		goto fail;
	}
	if (!owner || !*owner) {
		st = store_fail(db, HO_EUSAGE, "an action needs an owner (--owner LOGIN)");
		goto fail;
	}
	if ((st = handover_resolve(db, handover_id, &handover_id)) != HO_OK ||
	    (st = may_add(db, handover_id, "adding an action")) != HO_OK ||
	    (st = store_clean_text(db, text, HO_MAX_TEXT, 1, "action", &tx)) != HO_OK ||
	    (st = store_user_date(db, due_date, "due date", due_iso)) != HO_OK ||
	    (st = person_id(db, owner, &owner_id)) != HO_OK ||
	    (st = next_number(db, STMT_action_next, handover_id, &number)) != HO_OK)
		goto fail;
	eng_stmt *s = store_stmt(db, STMT_dive_by_number);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":number", dive);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		dive_id = eng_int64(s, 0);
	eng_reset(s);
	if (rc != ENG_ROW) {
		st = rc == ENG_DONE
		         ? store_fail(db, HO_ENOTFOUND, "no deep dive DD-%d in this handover", dive)
		         : store_engine_fail(db, rc, "finding the deep dive");
		goto fail;
	}
	if (!(s = store_stmt(db, STMT_action_insert))) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":dive_id", dive_id);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":number", number);
	store_bind_text(s, ":text", tx);
	store_bind_int(s, ":owner_id", owner_id);
	store_bind_text(s, ":due_date", due_iso);
	if ((st = store_exec_stmt(db, s, "adding an action")) != HO_OK)
		goto fail;
	char r[16], words[HO_MAX_TEXT + 120];
	snprintf(r, sizeof r, "A-%d", number);
	snprintf(words, sizeof words, "DD-%d, owner %s%s%s: %s", dive, owner,
	         due_iso[0] ? ", due " : "", due_iso, tx);
	if ((st = store_event(db, "action", handover_id, 0, 0, r, "", words, "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	if (st == HO_OK && ref)
		snprintf(ref, 16, "%s", r);
	free(tx);
	return st;
}

ho_status ho_dive_action_done(ho_db *db, int64_t handover_id, const char *action_ref)
{
	ho_dive_action a = {0};
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_ANYONE, NULL);
	if (st != HO_OK)
		return st;
	int number = ref_number(action_ref, "A");
	if (!number) {
		st = store_fail(db, HO_EUSAGE, "give the action's reference (like A-2)");
		goto fail;
	}
	if ((st = handover_resolve(db, handover_id, &handover_id)) != HO_OK)
		goto fail;
	eng_stmt *s = store_stmt(db, STMT_action_by_ref);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":number", number);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		action_from_row(s, &a);
	eng_reset(s);
	if (rc != ENG_ROW) {
		st = rc == ENG_DONE
		         ? store_fail(db, HO_ENOTFOUND, "no action A-%d in this handover", number)
		         : store_engine_fail(db, rc, "reading the action");
		goto fail;
	}
	int64_t owner_id = 0;
	if (!action_complete(&a)) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto fail;
	}
	if ((st = person_id(db, a.owner_login, &owner_id)) != HO_OK)
		goto fail;
	ho_rule_actor me = store_rule_actor(db);
	const char *why = NULL;
	if ((st = ho_rule_risk_change(&me, owner_id, a.done_at != 0, &why)) != HO_OK) {
		store_fail(db, st, "%s: %s", a.ref, why);
		goto fail;
	}
	if (!(s = store_stmt(db, STMT_action_done))) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", a.id);
	store_bind_int(s, ":now", store_now(db));
	if ((st = store_exec_stmt(db, s, "completing the action")) != HO_OK)
		goto fail;
	if ((st = store_event(db, "action done", handover_id, 0, 0, a.ref, "open", "done", "",
	                      0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	action_clear(&a);
	return st;
}

ho_status ho_deep_dives_list(ho_db *db, int64_t handover_id, ho_deep_dive **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_dives_of);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", handover_id);
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		ho_deep_dive *d = &(*out)[(*n)++];
		memset(d, 0, sizeof *d);
		d->id = eng_int64(s, 0);
		d->handover_id = eng_int64(s, 1);
		d->number = eng_int(s, 2);
		snprintf(d->ref, sizeof d->ref, "DD-%d", d->number);
		d->held_on = store_col_text(s, 3);
		d->title = store_col_text(s, 4);
		d->attendees = store_col_text(s, 5);
		d->risks = store_col_text(s, 6);
		d->decisions = store_col_text(s, 7);
		if (!d->held_on || !d->title || !d->attendees || !d->risks || !d->decisions) {
			rc = ENG_NOMEM;
			break;
		}
	}
	eng_reset(s);
	ho_status st = rc == ENG_DONE ? HO_OK : store_engine_fail(db, rc, "reading deep dives");
	for (size_t i = 0; i < *n && st == HO_OK; i++) {
		if (!(s = store_stmt(db, STMT_actions_of_dive))) {
			st = store_stmt_failed(db);
			break;
		}
		store_bind_int(s, ":dive_id", (*out)[i].id);
		st = actions_read(db, s, &(*out)[i].actions, &(*out)[i].nactions);
	}
	if (st != HO_OK) {
		ho_deep_dive_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return st;
}

ho_status ho_dive_actions_of(ho_db *db, const char *login, ho_dive_action **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_actions_open_of);
	if (!s)
		return store_stmt_failed(db);
	store_bind_text(s, ":login", login);
	return actions_read(db, s, out, n);
}
