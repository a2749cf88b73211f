/* What keeps a function or a handover from being signed off, in words a
 * refusal can carry: the items not yet accepted and whose move each waits
 * on (rules.c: ho_rule_item_waits_on), or the functions not yet signed and
 * by whom. */
#define _GNU_SOURCE
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Refs named per group before "and N more": enough to act on, short enough
 * for one line on a screen. */
#define BLOCKERS_NAMED     8
#define BLOCKERS_FUNCTIONS 5

struct text {
	char *buf;
	size_t size, len;
};

static void add(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct text *t, const char *fmt, ...)
{
	if (t->len + 1 >= t->size)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len = t->len + (size_t)n < t->size ? t->len + (size_t)n : t->size - 1;
}

static const char *who(const ho_function *f, ho_role side)
{
	const char *login = side == HO_ROLE_SENDER ? f->sender_login : f->receiver_login;
	return login[0]
	           ? login
	           : (side == HO_ROLE_SENDER ? "no sender (unpaired)" : "no receiver (unpaired)");
}

/* "FIN-1, FIN-2 wait on sam (sender, to hand over); FIN-3 waits on rita
 * (receiver, to review)". */
static void function_blockers(const ho_function *f, const ho_item *items, size_t n, struct text *t)
{
	static const ho_role sides[] = {HO_ROLE_SENDER, HO_ROLE_RECEIVER};
	int groups = 0;
	for (size_t s = 0; s < 2; s++) {
		int count = 0;
		for (size_t i = 0; i < n; i++) {
			if (ho_rule_item_waits_on(&items[i]) != sides[s])
				continue;
			if (count == 0)
				add(t, "%s", groups++ ? "; " : "");
			if (count < BLOCKERS_NAMED)
				add(t, "%s%s", count ? ", " : "", items[i].ref);
			count++;
		}
		if (!count)
			continue;
		if (count > BLOCKERS_NAMED)
			add(t, " and %d more", count - BLOCKERS_NAMED);
		add(t, " wait%s on %s (%s)", count == 1 ? "s" : "", who(f, sides[s]),
		    sides[s] == HO_ROLE_SENDER ? "sender, to hand over" : "receiver, to review");
	}
	if (!groups)
		add(t, "%s has no items", f->code);
}

ho_status ho_sign_blockers(ho_db *db, int64_t handover_id, int64_t function_id, char *out,
                           size_t size)
{
	struct text t = {out, size, 0};
	ho_status st = HO_OK;
	if (size)
		out[0] = '\0';
	if (function_id) {
		ho_function f = {0};
		ho_item *items = NULL;
		size_t n = 0;
		if ((st = ho_function_get(db, function_id, &f)) == HO_OK &&
		    (st = ho_items_list(db, function_id, HO_FILTER_ALL, &items, &n)) == HO_OK)
			function_blockers(&f, items, n, &t);
		ho_item_free(items, n);
		ho_function_clear(&f);
		return st;
	}
	ho_function *fs = NULL;
	size_t nf = 0;
	if ((st = ho_functions_list(db, handover_id, &fs, &nf)) != HO_OK)
		return st;
	int named = 0, more = 0;
	for (size_t i = 0; i < nf; i++) {
		const ho_function *f = &fs[i];
		int sender = !f->sender_signed_at, receiver = !f->receiver_signed_at;
		if (!sender && !receiver)
			continue;
		if (named >= BLOCKERS_FUNCTIONS) {
			more++;
			continue;
		}
		add(&t, "%s%s", named++ ? "; " : "", f->code);
		if (!f->sender_login[0] && !f->receiver_login[0]) {
			add(&t, " unpaired");
			sender = receiver = 0;
		} else {
			add(&t, " by ");
		}
		if (sender)
			add(&t, "%s", who(f, HO_ROLE_SENDER));
		if (sender && receiver)
			add(&t, " and ");
		if (receiver)
			add(&t, "%s", who(f, HO_ROLE_RECEIVER));
		if (f->counts.done < f->counts.total)
			add(&t, " (%d of %d items not accepted)", f->counts.total - f->counts.done,
			    f->counts.total);
	}
	if (more)
		add(&t, "; and %d more function%s", more, more == 1 ? "" : "s");
	ho_function_free(fs, nf);
	return HO_OK;
}

static int by_person_then_oldest(const void *a, const void *b)
{
	const ho_waiting *x = a, *y = b;
	/* The unpaired (no login) come last: the lead's to pair. */
	if (!x->login[0] != !y->login[0])
		return !x->login[0] - !y->login[0];
	int c = strcmp(x->login, y->login);
	if (c)
		return c;
	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	if (x->handover_id != y->handover_id)
		return x->handover_id < y->handover_id ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

void ho_waiting_free(ho_waiting *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(w[i].login);
		free(w[i].name);
		free(w[i].handover);
		free(w[i].title);
	}
	free(w);
}

ho_status ho_waiting_list(ho_db *db, ho_waiting **out, size_t *nout)
{
	ho_handover *hs = NULL;
	ho_function *fs = NULL;
	size_t nh = 0, nf = 0, n = 0, cap = 0;
	ho_waiting *w = NULL;
	*out = NULL;
	*nout = 0;
	ho_status st = ho_handovers_list(db, &hs, &nh);
	if (st == HO_OK)
		st = ho_functions_list(db, 0, &fs, &nf);
	for (size_t i = 0; i < nf && st == HO_OK; i++) {
		const ho_function *f = &fs[i];
		if (f->counts.done == f->counts.total)
			continue;
		const char *title = "";
		for (size_t k = 0; k < nh; k++)
			if (hs[k].id == f->handover_id)
				title = hs[k].title;
		ho_item *items = NULL;
		size_t ni = 0;
		if ((st = ho_items_list(db, f->id, HO_FILTER_ALL, &items, &ni)) != HO_OK)
			break;
		for (size_t j = 0; j < ni && st == HO_OK; j++) {
			ho_role side = ho_rule_item_waits_on(&items[j]);
			if (side == HO_ROLE_NONE)
				continue;
			if (!store_grow((void **)&w, &cap, n, sizeof *w)) {
				st = store_fail(db, HO_ENOMEM, "out of memory");
				break;
			}
			ho_waiting *e = &w[n];
			memset(e, 0, sizeof *e);
			e->side = side;
			e->handover_id = f->handover_id;
			e->since = items[j].updated_at;
			e->order = n;
			snprintf(e->ref, sizeof e->ref, "%s", items[j].ref);
			e->login =
			    strdup(side == HO_ROLE_SENDER ? f->sender_login : f->receiver_login);
			e->name =
			    strdup(side == HO_ROLE_SENDER ? f->sender_name : f->receiver_name);
			e->handover = strdup(title);
			e->title = strdup(items[j].title);
			n++;
			if (!e->login || !e->name || !e->handover || !e->title)
				st = store_fail(db, HO_ENOMEM, "out of memory");
		}
		ho_item_free(items, ni);
	}
	ho_handover_free(hs, nh);
	ho_function_free(fs, nf);
	if (st != HO_OK) {
		ho_waiting_free(w, n);
		return st;
	}
	if (n)
		qsort(w, n, sizeof *w, by_person_then_oldest);
	*out = w;
	*nout = n;
	return HO_OK;
}
