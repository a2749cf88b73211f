/* What keeps a function or a handover from being signed off, in words a
 * refusal can carry: the items not yet accepted and whose move each waits
 * on (rules.c: ho_rule_item_waits_on), or the functions not yet signed and
 * by whom. */
#define _GNU_SOURCE
#include "store.h"

#include <stdarg.h>
#include <stdio.h>
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
