/* Setting up a handover (leads): handovers, functions, items, pairs, due
 * dates, and the built-in template. */
#define _GNU_SOURCE
#include "store.h"
#include "template.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Dates arrive as people typed them (2026-12-15 or 15/12/2026); the file
 * keeps YYYY-MM-DD. */
#define check_date(db, date, what) store_user_date((db), (date), (what), date##_iso)

/* The handover is closed: refuse any set-up in it. */
static ho_status refuse_closed(ho_db *db, int64_t handover_id, const char *what)
{
	ho_handover h;
	ho_status st = ho_handover_get(db, handover_id, &h);
	if (st == HO_OK && h.closed_at)
		st = store_fail(db, HO_ESTATE,
		                "%s: handover %lld is closed (a lead may reopen it with 'handover "
		                "reopen')",
		                what, (long long)handover_id);
	ho_handover_clear(&h);
	return st;
}

/* Function codes become item references (FIN-3): short, upper case. */
static int code_valid(const char *code)
{
	size_t len = code ? strlen(code) : 0;
	if (len < 2 || len > 8)
		return 0;
	for (const char *c = code; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return 0;
	return code[0] >= 'A' && code[0] <= 'Z';
}

ho_status ho_handover_add(ho_db *db, const char *title, const char *service, const char *sender_org,
                          const char *receiver_org, const char *target_date, int64_t *id_out)
{
	struct store_change ch;
	int64_t id = 0;
	char *t = NULL, *sv = NULL, *so = NULL, *ro = NULL;
	char target_date_iso[11];
	ho_status st;
	if ((st = check_date(db, target_date, "target date")) != HO_OK ||
	    (st = store_clean_text(db, title, HO_MAX_NAME, 1, "title", &t)) != HO_OK ||
	    (st = store_clean_text(db, service, HO_MAX_NAME, 0, "service", &sv)) != HO_OK ||
	    (st = store_clean_text(db, sender_org, HO_MAX_NAME, 0, "sender organisation", &so)) !=
	        HO_OK ||
	    (st = store_clean_text(db, receiver_org, HO_MAX_NAME, 0, "receiver organisation",
	                           &ro)) != HO_OK)
		goto cleanup;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "adding a handover")) != HO_OK)
		goto cleanup;
	eng_stmt *s = store_stmt(db, STMT_handover_insert);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_text(s, ":title", t);
	store_bind_text(s, ":service", sv);
	store_bind_text(s, ":sender_org", so);
	store_bind_text(s, ":receiver_org", ro);
	store_bind_text(s, ":target_date", target_date_iso);
	store_bind_int(s, ":now", store_now(db));
	if ((st = store_exec_stmt(db, s, "adding a handover")) != HO_OK)
		goto fail;
	id = db->eng->last_id(db);
	if ((st = store_event(db, "handover", id, 0, 0, t, "", t, "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	if (st == HO_OK && id_out)
		*id_out = id;
cleanup:
	free(t);
	free(sv);
	free(so);
	free(ro);
	return st;
}

ho_status ho_function_add(ho_db *db, int64_t handover_id, const char *code, const char *name,
                          const char *due_date, int64_t *id_out)
{
	struct store_change ch;
	int64_t id = 0;
	char *n = NULL;
	char due_date_iso[11];
	ho_status st;
	if (!code_valid(code))
		return store_fail(db, HO_EUSAGE,
		                  "function code must be 2-8 capital letters or digits, starting "
		                  "with a letter (like FIN)");
	if ((st = check_date(db, due_date, "due date")) != HO_OK ||
	    (st = store_clean_text(db, name, HO_MAX_NAME, 1, "function name", &n)) != HO_OK)
		goto cleanup;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "adding a function")) != HO_OK)
		goto cleanup;
	if (handover_id && (st = refuse_closed(db, handover_id, "adding a function")) != HO_OK)
		goto fail;
	eng_stmt *s = store_stmt(db, STMT_function_insert);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_text(s, ":code", code);
	store_bind_text(s, ":name", n);
	store_bind_text(s, ":due_date", due_date_iso);
	int rc = eng_step(s);
	eng_reset(s);
	if ((rc & 0xff) == ENG_CONSTRAINT) {
		st = rc == ENG_CONSTRAINT_FOREIGNKEY
		         ? store_fail(db, HO_ENOTFOUND, "no handover with id %lld",
		                      (long long)handover_id)
		         : store_fail(db, HO_EEXIST, "function %s already exists in that handover",
		                      code);
		goto fail;
	}
	if (rc != ENG_DONE) {
		st = store_engine_fail(db, rc, "adding a function");
		goto fail;
	}
	id = db->eng->last_id(db);
	if ((st = store_event(db, "function", handover_id, id, 0, code, "", n, "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	if (st == HO_OK && id_out)
		*id_out = id;
cleanup:
	free(n);
	return st;
}

ho_status ho_item_add(ho_db *db, int64_t function_id, const char *title, const char *guidance,
                      const char *due_date, int64_t *id_out)
{
	return store_item_add_numbered(db, function_id, 0, title, guidance, due_date, id_out);
}

ho_status store_item_add_numbered(ho_db *db, int64_t function_id, int want_number,
                                  const char *title, const char *guidance, const char *due_date,
                                  int64_t *id_out)
{
	struct store_change ch;
	int64_t id = 0;
	char *t = NULL, *g = NULL;
	char code[16] = "";
	char due_date_iso[11];
	char *undo = NULL;
	int64_t handover_id = 0;
	ho_status st;
	if ((st = check_date(db, due_date, "due date")) != HO_OK ||
	    (st = store_clean_text(db, title, HO_MAX_NAME, 1, "item title", &t)) != HO_OK ||
	    (st = store_clean_text(db, guidance, HO_MAX_GUIDANCE, 0, "guidance", &g)) != HO_OK)
		goto cleanup;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "adding an item")) != HO_OK)
		goto cleanup;
	/* Import adds thousands of items in one transaction: a light lookup
	 * here, not the function's counts. */
	eng_stmt *s = store_stmt(db, STMT_function_light);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", function_id);
	int rc = eng_step(s);
	int is_signed = 0, retired = 0, closed = 0;
	if (rc == ENG_ROW) {
		snprintf(code, sizeof code, "%s", eng_text(s, 0));
		handover_id = eng_int64(s, 1);
		is_signed = eng_int(s, 2);
		retired = eng_int(s, 3);
		closed = eng_int(s, 4);
	}
	eng_reset(s);
	if (rc != ENG_ROW) {
		st = rc == ENG_DONE ? store_fail(db, HO_ENOTFOUND, "no function with id %lld",
		                                 (long long)function_id)
		                    : store_engine_fail(db, rc, "reading a function");
		goto fail;
	}
	if (is_signed || retired || closed) {
		st = store_fail(db, HO_ESTATE, "%s %s; no items can be added", code,
		                closed    ? "is in a closed handover (a lead may reopen it)"
		                : retired ? "has been withdrawn"
		                          : "is signed off");
		goto fail;
	}
	int number = want_number;
	if (number > 0) {
		s = store_stmt(db, STMT_function_keep_number);
		if (!s) {
			st = store_stmt_failed(db);
			goto fail;
		}
		store_bind_int(s, ":id", function_id);
		store_bind_int(s, ":number", number);
		if ((st = store_exec_stmt(db, s, "numbering an item")) != HO_OK)
			goto fail;
	} else {
		s = store_stmt(db, STMT_function_take_number);
		if (!s) {
			st = store_stmt_failed(db);
			goto fail;
		}
		store_bind_int(s, ":id", function_id);
		rc = eng_step(s);
		number = rc == ENG_ROW ? eng_int(s, 0) : 0;
		eng_reset(s);
		if (rc != ENG_ROW) {
			st = store_engine_fail(db, rc, "numbering an item");
			goto fail;
		}
	}
	s = store_stmt(db, STMT_item_insert);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":function_id", function_id);
	store_bind_int(s, ":number", number);
	store_bind_text(s, ":title", t);
	store_bind_text(s, ":guidance", g);
	store_bind_text(s, ":due_date", due_date_iso);
	if ((st = store_exec_stmt(db, s, "adding an item")) != HO_OK)
		goto fail;
	id = db->eng->last_id(db);
	char ref[32];
	snprintf(ref, sizeof ref, "%.15s-%d", code, number);
	/* An item a lead adds by hand can be undone (it is withdrawn again);
	 * one of a batch (template, import, demo) is not, its batch is the
	 * change. */
	if (db->tx_depth == 1 && (undo = strdup("{\"k\":\"item\"}")) == NULL) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto fail;
	}
	if ((st = store_event(db, "item", handover_id, function_id, id, ref, "", t, undo, 1)) !=
	    HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	if (st == HO_OK && id_out)
		*id_out = id;
cleanup:
	free(t);
	free(g);
	free(undo);
	return st;
}

ho_status store_function_next_number(ho_db *db, int64_t function_id, int *next)
{
	eng_stmt *s = store_stmt(db, STMT_function_next_number);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", function_id);
	int rc = eng_step(s);
	*next = rc == ENG_ROW ? eng_int(s, 0) : 1;
	eng_reset(s);
	if (rc != ENG_ROW)
		return rc == ENG_DONE ? store_fail(db, HO_ENOTFOUND, "no function with id %lld",
		                                   (long long)function_id)
		                      : store_engine_fail(db, rc, "reading a function");
	return HO_OK;
}

ho_status ho_handover_apply_template(ho_db *db, int64_t handover_id)
{
	/* The whole template or nothing. */
	struct store_change ch;
	ho_status st = store_change_begin(db, &ch, STORE_LEAD, "applying a template");
	if (st != HO_OK)
		return st;
	for (size_t i = 0; i < ho_pod_template_count && st == HO_OK; i++) {
		const struct ho_template_function *tf = &ho_pod_template[i];
		int64_t fid = 0;
		st = ho_function_add(db, handover_id, tf->code, tf->name, "", &fid);
		for (size_t j = 0; j < tf->item_count && st == HO_OK; j++)
			st = ho_item_add(db, fid, tf->items[j].title, tf->items[j].guidance, "",
			                 NULL);
	}
	return store_change_end(db, &ch, st);
}

/* Look a person up for a pair and check they can take that side. */
static ho_status pair_person(ho_db *db, const char *login, ho_role want, int64_t *id, char **name)
{
	ho_person p;
	ho_status st = ho_person_get(db, login, &p);
	if (st != HO_OK)
		return st;
	if (p.left_at) {
		st = store_fail(db, HO_ESTATE, "%s has left; pair someone who is here", login);
	} else if (!(p.roles & HO_ROLE_BIT(want))) {
		char words[64];
		ho_roles_format(p.roles, words, sizeof words);
		st = store_fail(db, HO_ESTATE, "%s is a %s, not a %s", login, words,
		                ho_role_name(want));
	} else {
		*id = p.id;
		*name = strdup(p.name);
	}
	ho_person_clear(&p);
	return st;
}

ho_status ho_pair(ho_db *db, int64_t handover_id, const char *code, const char *sender,
                  const char *receiver)
{
	struct store_change ch;
	ho_function f = {0};
	char *sname = NULL, *rname = NULL;
	int64_t fid = 0;
	ho_status st;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "pairing")) != HO_OK)
		return st;
	if ((st = ho_function_find(db, handover_id, code, &fid)) != HO_OK ||
	    (st = ho_function_get(db, fid, &f)) != HO_OK)
		goto fail;
	if (f.sender_signed_at || f.receiver_signed_at) {
		st = store_fail(db, HO_ESTATE, "%s is signed off; its pair cannot change", f.code);
		goto fail;
	}
	const char *why = NULL;
	ho_rule_actor me = store_rule_actor(db);
	if ((st = ho_rule_setup(&me, f.handover_closed_at, &f, NULL, &why)) != HO_OK) {
		store_fail(db, st, "pairing %s: %s", f.code, why);
		goto fail;
	}
	int64_t sid = f.sender_id, rid = f.receiver_id;
	if (sender && (st = pair_person(db, sender, HO_ROLE_SENDER, &sid, &sname)) != HO_OK)
		goto fail;
	if (receiver && (st = pair_person(db, receiver, HO_ROLE_RECEIVER, &rid, &rname)) != HO_OK)
		goto fail;
	eng_stmt *s = store_stmt(db, STMT_function_pair);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", fid);
	if (sid)
		store_bind_int(s, ":sender_id", sid);
	if (rid)
		store_bind_int(s, ":receiver_id", rid);
	if ((st = store_exec_stmt(db, s, "pairing")) != HO_OK)
		goto fail;
	char old[2 * HO_MAX_NAME + 8], now[2 * HO_MAX_NAME + 8];
	snprintf(old, sizeof old, "%s / %s", f.sender_name[0] ? f.sender_name : "-",
	         f.receiver_name[0] ? f.receiver_name : "-");
	snprintf(now, sizeof now, "%s / %s",
	         sname ? sname : (f.sender_name[0] ? f.sender_name : "-"),
	         rname ? rname : (f.receiver_name[0] ? f.receiver_name : "-"));
	if ((st = store_event(db, "pair", f.handover_id, fid, 0, f.code, old, now, "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	ho_function_clear(&f);
	free(sname);
	free(rname);
	return st;
}

ho_status ho_function_set_due(ho_db *db, int64_t function_id, int64_t expected_version,
                              const char *due_date)
{
	struct store_change ch;
	ho_function f = {0};
	char due_date_iso[11];
	ho_status st;
	if ((st = check_date(db, due_date, "due date")) != HO_OK)
		return st;
	if ((st = store_change_begin(db, &ch, STORE_LEAD, "setting a due date")) != HO_OK)
		return st;
	if ((st = ho_function_get(db, function_id, &f)) != HO_OK)
		goto fail;
	const char *why = NULL;
	ho_rule_actor me = store_rule_actor(db);
	if ((st = ho_rule_setup(&me, f.handover_closed_at, &f, NULL, &why)) != HO_OK) {
		store_fail(db, st, "%s: %s", f.code, why);
		goto fail;
	}
	if (expected_version && f.version != expected_version) {
		st = store_fail(db, HO_ECONFLICT,
		                "%s was changed by someone else since you looked (due now %s); "
		                "not changed",
		                f.code, f.due_date[0] ? f.due_date : "none");
		goto fail;
	}
	eng_stmt *s = store_stmt(db, STMT_function_set_due);
	if (!s) {
		st = store_stmt_failed(db);
		goto fail;
	}
	store_bind_int(s, ":id", function_id);
	store_bind_int(s, ":version", f.version);
	store_bind_text(s, ":due_date", due_date_iso);
	if ((st = store_exec_stmt(db, s, "setting a due date")) != HO_OK)
		goto fail;
	if ((st = store_event(db, "due", f.handover_id, function_id, 0, f.code, f.due_date,
	                      due_date_iso, "", 0)) != HO_OK)
		goto fail;
fail:
	st = store_change_end(db, &ch, st);
	ho_function_clear(&f);
	return st;
}
