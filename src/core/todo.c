/* What waits on a person (handover/todo.h), built from the public read API
 * and the rules only: no SQL here, so it works on any engine. */
#define _GNU_SOURCE
#include "handover/todo.h"
#include "handover/risks.h"
#include "handover/rules.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const headings[] = {
#define HO_WORD_TODO(name, heading) heading,
#include "handover/words.def"
};

const char *ho_todo_heading(ho_todo_kind k)
{
	return (size_t)k < HO_TODO__COUNT ? headings[k] : "?";
}

void ho_todo_free(ho_todo *t, size_t n)
{
	if (!t)
		return;
	for (size_t i = 0; i < n; i++) {
		free(t[i].title);
		free(t[i].who);
		free(t[i].due_date);
	}
	free(t);
}

struct list {
	ho_todo *v;
	size_t n, cap;
	char today[16], soon[16];
	int failed;
};

static void add(struct list *l, ho_todo_kind kind, int64_t hid, int64_t fid, int64_t iid,
                const char *ref, const char *title, const char *who, const char *due)
{
	if (l->failed)
		return;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		ho_todo *v = realloc(l->v, cap * sizeof *v);
		if (!v) {
			l->failed = 1;
			return;
		}
		l->v = v;
		l->cap = cap;
	}
	ho_todo *t = &l->v[l->n];
	memset(t, 0, sizeof *t);
	t->kind = kind;
	t->handover_id = hid;
	t->function_id = fid;
	t->item_id = iid;
	snprintf(t->ref, sizeof t->ref, "%s", ref);
	t->title = strdup(title ? title : "");
	t->who = strdup(who ? who : "");
	t->due_date = strdup(due ? due : "");
	if (!t->title || !t->who || !t->due_date) {
		free(t->title);
		free(t->who);
		free(t->due_date);
		l->failed = 1;
		return;
	}
	t->overdue = due && *due && strcmp(due, l->today) < 0;
	t->due_soon = due && *due && !t->overdue && strcmp(due, l->soon) <= 0;
	l->n++;
}

/* A sender's or receiver's items of one function. */
static ho_status my_items(ho_db *db, const ho_rule_actor *me, const ho_function *f, struct list *l)
{
	ho_item *it = NULL;
	size_t n = 0;
	ho_status st = ho_items_list(db, f->id, HO_FILTER_ALL, &it, &n);
	if (st != HO_OK)
		return st;
	int sender = me->id == f->sender_id, receiver = me->id == f->receiver_id;
	for (size_t i = 0; i < n; i++) {
		const ho_item *x = &it[i];
		int kind = -1;
		const char *who = "";
		if (sender && x->receiver_state == HO_RECEIVER_GAP) {
			kind = HO_TODO_SENT_BACK;
			who = f->receiver_name;
		} else if (sender && x->sender_state == HO_SENDER_IN_PROGRESS)
			kind = HO_TODO_IN_PROGRESS;
		else if (sender && x->sender_state == HO_SENDER_NOT_STARTED)
			kind = HO_TODO_NOT_STARTED;
		else if (receiver && x->receiver_state == HO_RECEIVER_PENDING) {
			kind = HO_TODO_TO_REVIEW;
			who = f->sender_name;
		} else if (receiver && x->receiver_state == HO_RECEIVER_CONDITIONS)
			kind = HO_TODO_CONDITION;
		if (kind >= 0)
			add(l, (ho_todo_kind)kind, x->handover_id, f->id, x->id, x->ref, x->title,
			    who, x->due_date);
	}
	ho_item_free(it, n);
	return HO_OK;
}

/* Whose sign-off a ready function waits for: "Sam Patel, Rita Jones". */
static void waiting_signers(const ho_function *f, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", f->sender_signed_at ? "" : f->sender_name,
	         !f->sender_signed_at && !f->receiver_signed_at ? ", " : "",
	         f->receiver_signed_at ? "" : f->receiver_name);
}

static ho_status lead_work(ho_db *db, const ho_rule_actor *me, const ho_handover *hs, size_t nh,
                           const ho_function *fs, size_t nf, struct list *l)
{
	for (size_t i = 0; i < nh; i++) {
		const char *why = NULL;
		if (ho_rule_sign_handover(me, &hs[i], &why) == HO_OK) {
			char ref[HO_REF_SIZE];
			snprintf(ref, sizeof ref, "#%lld", (long long)hs[i].id);
			add(l, HO_TODO_SIGN, hs[i].id, 0, 0, ref, hs[i].title, "",
			    hs[i].target_date);
		}
	}
	for (size_t i = 0; i < nf; i++) {
		const ho_function *f = &fs[i];
		char who[2 * HO_MAX_NAME + 8];
		if (!f->sender_id || !f->receiver_id)
			add(l, HO_TODO_UNPAIRED, f->handover_id, f->id, 0, f->code, f->name,
			    !f->sender_id && !f->receiver_id ? "no sender, no receiver"
			    : !f->sender_id                  ? "no sender"
			                                     : "no receiver",
			    f->due_date);
		if (ho_rule_function_ready(f) && !(f->sender_signed_at && f->receiver_signed_at)) {
			waiting_signers(f, who, sizeof who);
			add(l, HO_TODO_WAITING_SIGN, f->handover_id, f->id, 0, f->code, f->name,
			    who, f->due_date);
		}
		if (f->counts.overdue > 0) {
			ho_item *it = NULL;
			size_t n = 0;
			ho_status st = ho_items_list(db, f->id, HO_FILTER_OVERDUE, &it, &n);
			if (st != HO_OK)
				return st;
			for (size_t j = 0; j < n; j++)
				add(l, HO_TODO_OVERDUE, f->handover_id, f->id, it[j].id, it[j].ref,
				    it[j].title, f->sender_name, it[j].due_date);
			ho_item_free(it, n);
		}
	}
	return HO_OK;
}

static int todo_cmp(const void *a, const void *b)
{
	const ho_todo *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	int xd = x->due_date[0] != '\0', yd = y->due_date[0] != '\0';
	if (xd != yd)
		return xd ? -1 : 1;
	int c = strcmp(x->due_date, y->due_date);
	if (c)
		return c;
	if (x->handover_id != y->handover_id)
		return x->handover_id < y->handover_id ? -1 : 1;
	if (x->function_id != y->function_id)
		return x->function_id < y->function_id ? -1 : 1;
	return x->item_id < y->item_id ? -1 : x->item_id > y->item_id;
}

ho_status ho_todo_list(ho_db *db, ho_todo **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	const ho_person *p = ho_actor(db);
	ho_rule_actor me = {p->id, p->role, ho_read_only(db)};
	struct list l = {0};
	ho_today(l.today, sizeof l.today);
	ho_date_format(ho_now() + HO_DUE_SOON_DAYS * 86400, l.soon, sizeof l.soon);
	if (me.role == HO_ROLE_NONE)
		return HO_OK;
	ho_handover *hs = NULL;
	ho_function *fs = NULL;
	size_t nh = 0, nf = 0;
	ho_dive_action *acts = NULL;
	size_t na = 0;
	/* A lead's work needs every function counted; a sender's or a
	 * receiver's only their own: the outline (no counting) finds them, and
	 * each is counted alone, so My work opens as fast on a national file
	 * as on a small one. */
	int lead = me.role == HO_ROLE_LEAD;
	ho_status st =
	    lead ? ho_handovers_list(db, &hs, &nh) : ho_outline(db, 0, &hs, &nh, &fs, &nf);
	if (st == HO_OK && lead)
		st = ho_functions_list(db, 0, &fs, &nf);
	for (size_t i = 0; st == HO_OK && i < nf; i++) {
		if (!me.id || (me.id != fs[i].sender_id && me.id != fs[i].receiver_id))
			continue;
		ho_function counted;
		int own = !lead;
		if (own && (st = ho_function_get(db, fs[i].id, &counted)) != HO_OK)
			break;
		const ho_function *f = own ? &counted : &fs[i];
		const char *why = NULL;
		if (ho_rule_sign_function(&me, f, &why) == HO_OK)
			add(&l, HO_TODO_SIGN, f->handover_id, f->id, 0, f->code, f->name, "",
			    f->due_date);
		if (!ho_rule_function_signed(f))
			st = my_items(db, &me, f, &l);
		if (own)
			ho_function_clear(&counted);
	}
	if (st == HO_OK && me.role == HO_ROLE_LEAD)
		st = lead_work(db, &me, hs, nh, fs, nf, &l);
	if (st == HO_OK && (st = ho_dive_actions_of(db, p->login, &acts, &na)) == HO_OK)
		for (size_t i = 0; i < na; i++)
			add(&l, HO_TODO_ACTION, acts[i].handover_id, 0, 0, acts[i].ref,
			    acts[i].text, acts[i].dive_ref, acts[i].due_date);
	ho_dive_action_free(acts, na);
	ho_handover_free(hs, nh);
	ho_function_free(fs, nf);
	if (st == HO_OK && l.failed)
		st = HO_ENOMEM;
	if (st != HO_OK) {
		ho_todo_free(l.v, l.n);
		return st;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof *l.v, todo_cmp);
	*out = l.v;
	*n = l.n;
	return HO_OK;
}
