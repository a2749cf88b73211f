/* Reading a handover document through the public read API, and the wording
 * every format shares. */
#define _GNU_SOURCE
#include "report_doc.h"
#include "store.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Printable ASCII (and line feeds in multi-line text) is what ho_sanitise()
 * leaves exactly as it is: most of a document's fields, whose copy can then
 * be skipped. */
static int plainly_clean(const char *s, int mode)
{
	const unsigned char *p = (const unsigned char *)s;
	for (; *p; p++)
		if ((*p < 0x20 || *p > 0x7e) && !(*p == '\n' && mode == HO_SAN_MULTILINE))
			return 0;
	return 1;
}

/* Replace *s by its sanitised copy; 0 when out of memory. */
static int san(char **s, int mode)
{
	if (*s && plainly_clean(*s, mode))
		return 1;
	char *clean = ho_sanitise(*s, mode);
	if (!clean)
		return 0;
	free(*s);
	*s = clean;
	return 1;
}

static int san_buf(char *buf, size_t size)
{
	if (plainly_clean(buf, HO_SAN_LINE))
		return 1;
	char *clean = ho_sanitise(buf, HO_SAN_LINE);
	if (!clean)
		return 0;
	snprintf(buf, size, "%s", clean);
	free(clean);
	return 1;
}

/* The file is untrusted input (it comes from a shared drive), so even
 * codes, logins and dates are cleaned, not only what people typed. */
static int sanitise_doc(struct rd_doc *d)
{
	const int L = HO_SAN_LINE, M = HO_SAN_MULTILINE;
	int ok = san(&d->h->title, L) && san(&d->h->service, L) && san(&d->h->sender_org, L) &&
	         san(&d->h->receiver_org, L) && san(&d->h->target_date, L) &&
	         san(&d->h->signed_by, L) && san(&d->h->marking, L) && san(&d->h->closed_note, L);
	for (size_t i = 0; ok && i < d->nwithdrawn; i++)
		ok = san_buf(d->withdrawn[i].ref, sizeof d->withdrawn[i].ref) &&
		     san(&d->withdrawn[i].title, L) && san(&d->withdrawn[i].note, L);
	for (size_t i = 0; ok && i < d->nfns; i++) {
		ho_function *f = &d->fn_array[i];
		ok = san(&f->code, L) && san(&f->name, L) && san(&f->due_date, L) &&
		     san(&f->sender_login, L) && san(&f->sender_name, L) &&
		     san(&f->receiver_login, L) && san(&f->receiver_name, L);
		struct rd_function *rf = &d->fns[i];
		for (size_t j = 0; ok && j < rf->nitems; j++) {
			ho_item *it = &rf->items[j];
			ok = san_buf(it->ref, sizeof it->ref) && san(&it->title, L) &&
			     san(&it->guidance, M) && san(&it->due_date, L) &&
			     san(&it->evidence, M) && san(&it->na_reason, M) &&
			     san(&it->condition, M) && san(&it->updated_by, L);
			struct rd_thread *t = &rf->threads[j];
			for (size_t k = 0; ok && k < t->n; k++)
				ok = san(&t->entries[k].author_login, L) &&
				     san(&t->entries[k].author_name, L) &&
				     san(&t->entries[k].body, M);
		}
	}
	for (size_t i = 0; ok && i < d->ngaps; i++) {
		ho_gap *g = &d->gaps[i];
		ok = san_buf(g->ref, sizeof g->ref) && san(&g->title, L) && san(&g->detail, M) &&
		     san(&g->owner_login, L) && san(&g->owner_name, L) && san(&g->due_date, L);
	}
	for (size_t i = 0; ok && i < d->nrisks; i++) {
		ho_risk *r = &d->risks[i];
		ok = san(&r->function_code, L) && san(&r->title, L) && san(&r->description, M) &&
		     san(&r->cause, M) && san(&r->owner_login, L) && san(&r->owner_name, L) &&
		     san(&r->mitigation, M) && san(&r->review_date, L) && san(&r->items, L) &&
		     san(&r->close_note, M);
	}
	for (size_t i = 0; ok && i < d->nactions; i++) {
		ho_dive_action *a = &d->actions[i];
		ok = san(&a->text, M) && san(&a->owner_login, L) && san(&a->owner_name, L) &&
		     san(&a->due_date, L);
	}
	return ok && san(&d->printed_by, L) && san(&d->file_name, L) && san(&d->doc_title, L);
}

/* The people the sign-off blocks name (the functions' senders and
 * receivers, the lead who signed), each read once: not every person in the
 * file, which at national scale is hundreds per document. */
static ho_status load_signers(ho_db *db, struct rd_doc *d)
{
	size_t cap = d->nfns * 2 + 1;
	d->people = calloc(cap, sizeof *d->people);
	if (!d->people)
		return store_fail(db, HO_ENOMEM, "out of memory");
	for (size_t i = 0; i < cap; i++) {
		const ho_function *f = i < d->nfns * 2 ? &d->fn_array[i / 2] : NULL;
		const char *login =
		    f ? (i % 2 ? f->receiver_login : f->sender_login) : d->signer_login;
		int known = !login || !login[0];
		for (size_t k = 0; !known && k < d->npeople; k++)
			known = strcmp(d->people[k].login, login) == 0;
		if (known)
			continue;
		ho_status st = ho_person_get(db, login, &d->people[d->npeople]);
		if (st == HO_OK)
			d->npeople++;
		else if (st != HO_ENOTFOUND)
			return st;
	}
	return HO_OK;
}

static ho_status sanitise_people(ho_db *db, struct rd_doc *d)
{
	const int L = HO_SAN_LINE;
	int ok = san(&d->signer_login, L);
	for (size_t i = 0; ok && i < d->npeople; i++) {
		ho_person *p = &d->people[i];
		ok = san(&p->login, L) && san(&p->name, L) && san(&p->org, L) &&
		     san(&p->job_title, L);
	}
	return ok ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
}

/* With no handover named, the file must hold exactly one. */
static ho_status only_handover(ho_db *db, int64_t *id)
{
	ho_handover *hs = NULL;
	size_t n = 0;
	ho_status st = ho_handovers_list(db, &hs, &n);
	if (st != HO_OK)
		return st;
	if (n == 1) {
		*id = hs[0].id;
	} else if (n == 0) {
		st = store_fail(db, HO_ENOTFOUND, "the file holds no handover");
	} else {
		char list[300] = "";
		size_t used = 0;
		for (size_t i = 0; i < n && used < sizeof list - 1; i++)
			used += (size_t)snprintf(list + used, sizeof list - used, "%s%lld (%s)",
			                         i ? ", " : "", (long long)hs[i].id, hs[i].title);
		char *clean = ho_sanitise(list, HO_SAN_LINE);
		st = store_fail(db, HO_EUSAGE,
		                "the file holds %zu handovers; pick one with --handover: %s", n,
		                clean ? clean : "");
		free(clean);
	}
	ho_handover_free(hs, n);
	return st;
}

static long gap_number(const ho_gap *g)
{
	const char *dash = g->item_id ? strrchr(g->ref, '-') : NULL;
	return dash ? strtol(dash + 1, NULL, 10) : 0;
}

static const struct rd_doc *sort_doc; /* qsort has no context argument */

static size_t function_index(const struct rd_doc *d, int64_t id)
{
	for (size_t i = 0; i < d->nfns; i++)
		if (d->fn_array[i].id == id)
			return i;
	return d->nfns;
}

static int gap_cmp(const void *a, const void *b)
{
	const ho_gap *x = a, *y = b;
	/* Conditions first, as the carried-forward section lists them. */
	int cx = x->kind != HO_GAP_CONDITION, cy = y->kind != HO_GAP_CONDITION;
	if (cx != cy)
		return cx - cy;
	size_t fx = function_index(sort_doc, x->function_id);
	size_t fy = function_index(sort_doc, y->function_id);
	if (fx != fy)
		return fx < fy ? -1 : 1;
	long nx = gap_number(x), ny = gap_number(y);
	if (nx != ny)
		return nx < ny ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static ho_status load_items(ho_db *db, struct rd_function *rf)
{
	ho_status st = ho_items_list(db, rf->f->id, HO_FILTER_ALL, &rf->items, &rf->nitems);
	if (st != HO_OK)
		return st;
	if (rf->nitems == 0)
		return HO_OK;
	rf->threads = calloc(rf->nitems, sizeof *rf->threads);
	if (!rf->threads)
		return store_fail(db, HO_ENOMEM, "out of memory reading items");
	return HO_OK;
}

/* Where each item of the document is, by id, to hand out the threads read
 * for the whole document in one query. */
struct item_slot {
	int64_t id;
	struct rd_thread *thread;
};

static int slot_cmp(const void *a, const void *b)
{
	const struct item_slot *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static struct rd_thread *thread_slot(const struct item_slot *slots, size_t n, int64_t id)
{
	struct item_slot key = {.id = id};
	struct item_slot *hit = bsearch(&key, slots, n, sizeof *slots, slot_cmp);
	return hit ? hit->thread : NULL;
}

/* Give each of the n entries starting at e (all of one item) to its item:
 * the strings move, so the caller's copies must not be freed. */
static ho_status give_entries(ho_db *db, struct rd_thread *t, ho_thread_entry *e, size_t n)
{
	t->entries = malloc(n * sizeof *t->entries);
	if (!t->entries)
		return store_fail(db, HO_ENOMEM, "out of memory reading threads");
	memcpy(t->entries, e, n * sizeof *e);
	memset(e, 0, n * sizeof *e);
	t->n = n;
	return HO_OK;
}

/* Every item's thread, read in one query for the whole document rather than
 * one query per item (a handover has hundreds of items). */
static ho_status load_threads(ho_db *db, struct rd_doc *d, int64_t hid)
{
	size_t nslots = 0;
	for (size_t i = 0; i < d->nfns; i++)
		nslots += d->fns[i].nitems;
	if (nslots == 0)
		return HO_OK;
	struct item_slot *slots = malloc(nslots * sizeof *slots);
	if (!slots)
		return store_fail(db, HO_ENOMEM, "out of memory reading threads");
	size_t k = 0;
	for (size_t i = 0; i < d->nfns; i++)
		for (size_t j = 0; j < d->fns[i].nitems; j++)
			slots[k++] =
			    (struct item_slot){d->fns[i].items[j].id, &d->fns[i].threads[j]};
	qsort(slots, nslots, sizeof *slots, slot_cmp);

	int64_t *item_ids = NULL;
	ho_thread_entry *all = NULL;
	size_t n = 0;
	ho_status st =
	    store_threads_of(db, hid, d->single ? d->fn_array->id : 0, &item_ids, &all, &n);
	for (size_t start = 0, end; st == HO_OK && start < n; start = end) {
		for (end = start + 1; end < n && item_ids[end] == item_ids[start]; end++)
			;
		struct rd_thread *t = thread_slot(slots, nslots, item_ids[start]);
		/* An entry of an item not in the document (a writer added both
		 * between the reads) is left out, as the item is. */
		if (t && !t->entries)
			st = give_entries(db, t, &all[start], end - start);
	}
	ho_thread_free(all, n);
	free(item_ids);
	free(slots);
	return st;
}

/* The risks a document covers (a one-function document: that function's),
 * their 5x5 matrix, and the deep-dive actions not yet done. */
static ho_status load_risks(ho_db *db, struct rd_doc *d, int64_t hid)
{
	ho_status st = ho_risks_list(db, hid, 0, &d->risks, &d->nrisks);
	if (st != HO_OK)
		return st;
	size_t kept = 0;
	for (size_t i = 0; i < d->nrisks; i++) {
		ho_risk *r = &d->risks[i];
		if (d->single && strcmp(r->function_code, d->fn_array->code) != 0) {
			ho_risk_clear(r);
			continue;
		}
		d->risks[kept++] = *r;
	}
	d->nrisks = kept;
	ho_risk_matrix(d->risks, d->nrisks, d->matrix);
	if (d->single)
		return HO_OK;
	ho_deep_dive *dives = NULL;
	size_t n = 0;
	if ((st = ho_deep_dives_list(db, hid, &dives, &n)) != HO_OK)
		return st;
	for (size_t i = 0; i < n && st == HO_OK; i++)
		for (size_t k = 0; k < dives[i].nactions; k++) {
			if (dives[i].actions[k].done_at)
				continue;
			ho_dive_action *grown =
			    realloc(d->actions, (d->nactions + 1) * sizeof *d->actions);
			if (!grown) {
				st = store_fail(db, HO_ENOMEM, "out of memory");
				break;
			}
			d->actions = grown;
			d->actions[d->nactions++] = dives[i].actions[k];
			memset(&dives[i].actions[k], 0, sizeof dives[i].actions[k]);
			dives[i].actions[k].done_at = 1; /* moved: not freed twice */
		}
	ho_deep_dive_free(dives, n);
	return st;
}

/* ---- carried forward ------------------------------------------------------- */

static struct rd_carry_row *carry_add(struct rd_doc *d, size_t *cap, enum rd_carry section)
{
	if (d->ncarry == *cap) {
		size_t grown_cap = *cap ? *cap * 2 : 32;
		struct rd_carry_row *grown = realloc(d->carry, grown_cap * sizeof *grown);
		if (!grown)
			return NULL;
		d->carry = grown;
		*cap = grown_cap;
	}
	struct rd_carry_row *row = &d->carry[d->ncarry++];
	memset(row, 0, sizeof *row);
	row->section = section;
	d->carry_counts[section]++;
	return row;
}

static int carry_text(struct rd_carry_row *row, const char *what, const char *detail)
{
	row->what = strdup(what ? what : "");
	row->detail = strdup(detail ? detail : "");
	return row->what && row->detail;
}

/* Who acts next on an item not yet accepted, as its group's heading, and
 * their name; the item's state in words. */
static int item_carry(const struct rd_function *rf, const ho_item *it, char **group,
                      const char **owner, char *what, size_t size)
{
	const ho_function *f = rf->f;
	int with_sender =
	    it->sender_state == HO_SENDER_NOT_STARTED || it->sender_state == HO_SENDER_IN_PROGRESS;
	const char *name = with_sender ? f->sender_name : f->receiver_name;
	const char *login = with_sender ? f->sender_login : f->receiver_login;
	int rc;
	if (name[0])
		rc = asprintf(group, "%s (%s), %s", name, login,
		              with_sender ? "sender: to hand over" : "receiver: to review");
	else
		rc = asprintf(group, "No %s paired: a lead pairs one",
		              with_sender ? "sender" : "receiver");
	if (rc < 0) {
		*group = NULL;
		return 0;
	}
	*owner = name;
	if (with_sender)
		snprintf(what, size, "%s%s", ho_sender_state_name(it->sender_state),
		         it->receiver_state == HO_RECEIVER_GAP ? ", query open" : "");
	else
		snprintf(what, size, "%s, to review", ho_sender_state_name(it->sender_state));
	if (it->overdue)
		snprintf(what + strlen(what), size - strlen(what), ", overdue");
	return 1;
}

struct carry_order {
	size_t group, at;
};

static int carry_cmp(const void *a, const void *b)
{
	const struct carry_order *x = a, *y = b;
	if (x->group != y->group)
		return x->group < y->group ? -1 : 1;
	return x->at < y->at ? -1 : x->at > y->at;
}

/* The items section's rows, from `first` on, grouped by who acts: the
 * groups in the order they first appear, the items in document order
 * within each. */
static int group_items(struct rd_doc *d, size_t first)
{
	size_t n = d->ncarry - first;
	if (n < 2)
		return 1;
	struct carry_order *o = malloc(n * sizeof *o);
	struct rd_carry_row *copy = malloc(n * sizeof *copy);
	const char **keys = malloc(n * sizeof *keys);
	if (!o || !copy || !keys) {
		free(o);
		free(copy);
		free(keys);
		return 0;
	}
	size_t nkeys = 0;
	for (size_t i = 0; i < n; i++) {
		const char *g = d->carry[first + i].group;
		size_t k = 0;
		while (k < nkeys && strcmp(keys[k], g) != 0)
			k++;
		if (k == nkeys)
			keys[nkeys++] = g;
		o[i] = (struct carry_order){k, i};
	}
	qsort(o, n, sizeof *o, carry_cmp);
	for (size_t i = 0; i < n; i++)
		copy[i] = d->carry[first + o[i].at];
	memcpy(d->carry + first, copy, n * sizeof *copy);
	free(o);
	free(copy);
	free(keys);
	return 1;
}

/* The gaps of one kind as carried-forward rows; 0 when out of memory. */
static int carry_gaps(struct rd_doc *d, size_t *cap, ho_gap_kind kind, enum rd_carry row_kind,
                      const char *what)
{
	for (size_t i = 0; i < d->ngaps; i++) {
		const ho_gap *g = &d->gaps[i];
		if (g->kind != kind)
			continue;
		struct rd_carry_row *row = carry_add(d, cap, row_kind);
		if (!row || !carry_text(row, what, g->detail))
			return 0;
		row->ref = g->ref, row->title = g->title, row->owner = g->owner_name,
		row->due = g->due_date;
	}
	return 1;
}

static ho_status load_carry(ho_db *db, struct rd_doc *d)
{
	size_t cap = 0;
	char what[96];
	if (!carry_gaps(d, &cap, HO_GAP_CONDITION, RD_CARRY_CONDITION, "condition"))
		goto oom;
	size_t first = d->ncarry;
	for (size_t i = 0; i < d->nfns; i++) {
		const struct rd_function *rf = &d->fns[i];
		for (size_t j = 0; j < rf->nitems; j++) {
			const ho_item *it = &rf->items[j];
			if (it->receiver_state == HO_RECEIVER_ACCEPTED ||
			    it->receiver_state == HO_RECEIVER_CONDITIONS)
				continue;
			struct rd_carry_row *row = carry_add(d, &cap, RD_CARRY_ITEM);
			if (!row)
				goto oom;
			const char *detail = it->receiver_state != HO_RECEIVER_PENDING ? ""
			                     : it->sender_state == HO_SENDER_HANDED_OVER
			                         ? it->evidence
			                         : it->na_reason;
			if (!item_carry(rf, it, &row->group, &row->owner, what, sizeof what) ||
			    !carry_text(row, what, detail))
				goto oom;
			row->ref = it->ref, row->title = it->title, row->due = it->due_date;
		}
	}
	if (!group_items(d, first))
		goto oom;
	if (!carry_gaps(d, &cap, HO_GAP_QUERY, RD_CARRY_QUERY, "open query"))
		goto oom;
	for (size_t i = 0; i < d->nrisks; i++) {
		const ho_risk *r = &d->risks[i];
		if (r->closed)
			continue;
		struct rd_carry_row *row = carry_add(d, &cap, RD_CARRY_RISK);
		char score[64];
		rd_risk_score(r, score, sizeof score);
		snprintf(what, sizeof what, "score %s", score);
		if (!row || !carry_text(row, what, r->mitigation))
			goto oom;
		row->ref = r->ref, row->title = r->title, row->owner = r->owner_name,
		row->due = r->review_date;
	}
	return HO_OK;
oom:
	return store_fail(db, HO_ENOMEM, "out of memory");
}

static ho_status load_doc(ho_db *db, const ho_print_opts *opts, struct rd_doc *d)
{
	memset(d, 0, sizeof *d);
	int64_t hid = opts->handover_id;
	ho_status st = HO_OK;
	if (opts->function_id) {
		d->fn_array = calloc(1, sizeof *d->fn_array);
		if (!d->fn_array) {
			st = store_fail(db, HO_ENOMEM, "out of memory");
			goto cleanup;
		}
		d->nfns = 1; /* so that rd_free() frees it whatever happens next */
		if ((st = ho_function_get(db, opts->function_id, d->fn_array)) != HO_OK)
			goto cleanup;
		d->single = 1;
		if (hid && hid != d->fn_array->handover_id) {
			st = store_fail(db, HO_EUSAGE, "function %s is not in handover %lld",
			                d->fn_array->code, (long long)hid);
			goto cleanup;
		}
		hid = d->fn_array->handover_id;
	} else if (!hid && (st = only_handover(db, &hid)) != HO_OK) {
		goto cleanup;
	}
	if (!(d->h = calloc(1, sizeof *d->h))) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto cleanup;
	}
	st = d->single ? ho_handover_get(db, hid, d->h)
	               : ho_handover_counted(db, hid, d->h, &d->fn_array, &d->nfns);
	if (st != HO_OK)
		goto cleanup;
	if (d->nfns) {
		d->fns = calloc(d->nfns, sizeof *d->fns);
		if (!d->fns) {
			st = store_fail(db, HO_ENOMEM, "out of memory");
			goto cleanup;
		}
	}
	for (size_t i = 0; i < d->nfns; i++) {
		d->fns[i].f = &d->fn_array[i];
		if ((st = load_items(db, &d->fns[i])) != HO_OK)
			goto cleanup;
	}
	if ((st = load_threads(db, d, hid)) != HO_OK)
		goto cleanup;
	if ((st = ho_gaps_list(db, hid, d->single ? d->fn_array->id : 0, 0, &d->gaps, &d->ngaps)) !=
	    HO_OK)
		goto cleanup;
	sort_doc = d;
	if (d->ngaps > 1)
		qsort(d->gaps, d->ngaps, sizeof *d->gaps, gap_cmp);
	sort_doc = NULL;
	if ((st = ho_history_head(db, d->head, &d->events)) != HO_OK ||
	    (st = ho_state_digest(db, d->state)) != HO_OK || (st = load_risks(db, d, hid)) != HO_OK)
		goto cleanup;
	if ((st = ho_withdrawn_list(db, hid, d->single ? d->fn_array->id : 0, &d->withdrawn,
	                            &d->nwithdrawn)) != HO_OK)
		goto cleanup;

	d->printed_at = ho_now();
	ho_time_format(d->printed_at, d->printed, sizeof d->printed);
	ho_date_format(d->printed_at, d->date, sizeof d->date);
	const ho_person *who = ho_actor(db);
	const char *login = who && who->login ? who->login : "";
	const char *name = who && who->name && who->name[0] ? who->name : "";
	int rc = name[0] ? asprintf(&d->printed_by, "%s (%s)", name, login)
	                 : asprintf(&d->printed_by, "%s (not one of the file's people)",
	                            login[0] ? login : "unknown");
	if (rc < 0)
		d->printed_by = NULL;
	/* The cover's "File" is the file's name, which is what a reader looks
	 * for on disk (the file's title is the document's title already). */
	const char *path = ho_path(db) ? ho_path(db) : "";
	const char *slash = strrchr(path, '/');
	d->file_name = strdup(slash ? slash + 1 : path);
	if (d->single) {
		if (asprintf(&d->doc_title, "%s %s: %s", d->fn_array->code, d->fn_array->name,
		             d->h->title) < 0)
			d->doc_title = NULL;
		d->counts = d->fn_array->counts;
		d->rag = d->fn_array->rag;
	} else {
		d->doc_title = strdup(d->h->title ? d->h->title : "");
		d->counts = d->h->counts;
		d->rag = d->h->rag;
	}
	if (!d->printed_by || !d->doc_title || !d->file_name || !sanitise_doc(d)) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* The rest refer to the sanitised strings. */
	snprintf(d->identity, sizeof d->identity, "head %.16s state %.16s",
	         d->head[0] ? d->head : "(none)", d->state);
	if ((st = store_handover_signer(db, hid, &d->signer_login)) != HO_OK ||
	    (st = load_signers(db, d)) != HO_OK || (st = sanitise_people(db, d)) != HO_OK ||
	    (st = load_carry(db, d)) != HO_OK)
		goto cleanup;
cleanup:
	if (st != HO_OK)
		rd_free(d);
	return st;
}

ho_status rd_load_rollup(ho_db *db, struct rd_doc *d, const char *title, const char *marking,
                         int all_signed)
{
	memset(d, 0, sizeof *d);
	ho_status st = HO_OK;
	ho_handover *h = calloc(1, sizeof *h);
	d->h = h;
	if (!h || !(h->title = strdup(title)) || !(h->service = strdup("")) ||
	    !(h->sender_org = strdup("")) || !(h->receiver_org = strdup("")) ||
	    !(h->target_date = strdup("")) || !(h->signed_by = strdup("")) ||
	    !(h->marking = strdup(marking)) || !(h->closed_note = strdup("")) ||
	    !(h->distribution = strdup("")) || !(d->doc_title = strdup(title))) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto cleanup;
	}
	/* FINAL once every handover is signed off: the roll-up then shows
	 * what was signed. */
	h->signed_at = all_signed ? 1 : 0;
	int began = store_read_begin(db);
	if ((st = ho_history_head(db, d->head, &d->events)) == HO_OK)
		st = ho_state_digest(db, d->state);
	store_read_end(db, began);
	if (st != HO_OK)
		goto cleanup;
	d->printed_at = ho_now();
	ho_time_format(d->printed_at, d->printed, sizeof d->printed);
	ho_date_format(d->printed_at, d->date, sizeof d->date);
	const ho_person *who = ho_actor(db);
	const char *login = who && who->login ? who->login : "";
	const char *name = who && who->name && who->name[0] ? who->name : "";
	if ((name[0] ? asprintf(&d->printed_by, "%s (%s)", name, login)
	             : asprintf(&d->printed_by, "%s (not one of the file's people)",
	                        login[0] ? login : "unknown")) < 0)
		d->printed_by = NULL;
	const char *path = ho_path(db) ? ho_path(db) : "";
	const char *slash = strrchr(path, '/');
	d->file_name = strdup(slash ? slash + 1 : path);
	d->signer_login = strdup("");
	if (!d->printed_by || !d->file_name || !d->signer_login || !sanitise_doc(d)) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto cleanup;
	}
	snprintf(d->identity, sizeof d->identity, "head %.16s state %.16s",
	         d->head[0] ? d->head : "(none)", d->state);
cleanup:
	if (st != HO_OK)
		rd_free(d);
	return st;
}

ho_status rd_load(ho_db *db, const ho_print_opts *opts, struct rd_doc *d)
{
	/* One read transaction: the counts, items, threads and gaps of the
	 * document all come from the same state of the file, even while others
	 * commit, and the read lock is taken once instead of per query. */
	int began = store_read_begin(db);
	ho_status st = load_doc(db, opts, d);
	store_read_end(db, began);
	return st;
}

void rd_free(struct rd_doc *d)
{
	for (size_t i = 0; d->fns && i < d->nfns; i++) {
		struct rd_function *rf = &d->fns[i];
		for (size_t j = 0; rf->threads && j < rf->nitems; j++)
			ho_thread_free(rf->threads[j].entries, rf->threads[j].n);
		free(rf->threads);
		ho_item_free(rf->items, rf->nitems);
	}
	free(d->fns);
	if (d->fn_array)
		ho_function_free(d->fn_array, d->nfns);
	if (d->h)
		ho_handover_free(d->h, 1);
	ho_gap_free(d->gaps, d->ngaps);
	ho_risk_free(d->risks, d->nrisks);
	ho_dive_action_free(d->actions, d->nactions);
	ho_withdrawn_free(d->withdrawn, d->nwithdrawn);
	free(d->printed_by);
	free(d->file_name);
	free(d->doc_title);
	for (size_t i = 0; i < d->ncarry; i++) {
		free(d->carry[i].group);
		free(d->carry[i].what);
		free(d->carry[i].detail);
	}
	free(d->carry);
	ho_person_free(d->people, d->npeople);
	free(d->signer_login);
	memset(d, 0, sizeof *d);
}

/* ---- shared wording ---------------------------------------------------- */

int rd_percent(int part, int whole)
{
	if (whole <= 0)
		return 0;
	/* Rounded down, so 99.6% never reads as 100% while an item is open. */
	return (int)((long long)part * 100 / whole);
}

void rd_cover_facts(const struct rd_doc *d, enum rd_facts part, rd_fact_fn fact, FILE *out)
{
	const ho_handover *h = d->h;
	const ho_function *f = d->single ? d->fns[0].f : NULL;
	char buf[2 * HO_MAX_NAME + 80];
	if (part == RD_FACTS_ABOUT) {
		fact(out, "Marking", h->marking);
		if (f) {
			snprintf(buf, sizeof buf, "%s %s", f->code, f->name);
			fact(out, "Function", buf);
			fact(out, "Handover", h->title);
		}
		fact(out, "Service", h->service);
		fact(out, "Sending organisation", h->sender_org);
		fact(out, "Receiving organisation", h->receiver_org);
		fact(out, "Target date", h->target_date);
		if (h->closed_at) {
			char when[24];
			ho_time_format(h->closed_at, when, sizeof when);
			snprintf(buf, sizeof buf, "closed %s: %.*s", when, HO_MAX_NAME,
			         h->closed_note);
			fact(out, "Status", buf);
		}
		return;
	}
	if (part == RD_FACTS_CONTROL) {
		snprintf(buf, sizeof buf, "%lld (changes in the file's history)",
		         (long long)d->events);
		fact(out, "Version", buf);
		snprintf(buf, sizeof buf, "%s",
		         h->signed_at ? "FINAL: the handover is signed off"
		                      : "DRAFT: the handover is not yet signed off by a lead");
		fact(out, "Status", buf);
		snprintf(buf, sizeof buf, "%s UTC", d->printed);
		fact(out, "Date printed", buf);
		fact(out, "Printed by", d->printed_by);
		fact(out, "Printed from", d->file_name);
		fact(out, "Distribution",
		     h->distribution && h->distribution[0]
		         ? h->distribution
		         : "not recorded (handover set --distribution)");
		fact(out, "Head hash", d->head[0] ? d->head : "(no history yet)");
		fact(out, "State digest", d->state);
		return;
	}
	if (f) {
		char s[48], r[48];
		rd_signed(f->sender_signed_at, s, sizeof s);
		rd_signed(f->receiver_signed_at, r, sizeof r);
		snprintf(buf, sizeof buf, "sender %s; receiver %s", s, r);
		fact(out, "Function sign-off", buf);
	} else {
		snprintf(buf, sizeof buf, "%d of %d, by both sender and receiver",
		         h->functions_signed, h->functions);
		fact(out, "Functions signed off", buf);
	}
	if (h->signed_at) {
		char when[24];
		ho_time_format(h->signed_at, when, sizeof when);
		snprintf(buf, sizeof buf, "signed by %s, %s", h->signed_by, when);
	} else {
		snprintf(buf, sizeof buf, "not signed");
	}
	fact(out, "Handover sign-off", buf);
	for (size_t i = 0; i < d->nwithdrawn; i++) {
		const ho_withdrawn *w = &d->withdrawn[i];
		char when[16];
		ho_date_format(w->at, when, sizeof when);
		snprintf(buf, sizeof buf, "%s %.*s, %s: %.*s", w->ref, HO_MAX_NAME / 2, w->title,
		         when, HO_MAX_NAME, w->note);
		fact(out, "Withdrawn", buf);
	}
}

void rd_item_texts(const ho_item *it, rd_fact_fn field, FILE *out)
{
	field(out, "Guidance", it->guidance);
	field(out, "Evidence", it->evidence);
	field(out, "N/A reason", it->na_reason);
	field(out, "Condition", it->condition);
}

const char *rd_gap_label(ho_gap_kind k)
{
	switch (k) {
	case HO_GAP_QUERY:
		return "open query";
	case HO_GAP_OVERDUE:
		return "overdue";
	case HO_GAP_UNREVIEWED:
		return "not reviewed";
	case HO_GAP_CONDITION:
		return "condition";
	case HO_GAP_UNPAIRED:
		return "not paired";
	}
	return "gap";
}

const char *rd_rag_word(ho_rag r, const char *none)
{
	const char *w = ho_rag_name(r);
	return w && *w ? w : none;
}

void rd_signed(int64_t at, char *buf, size_t size)
{
	if (!at) {
		snprintf(buf, size, "not signed");
		return;
	}
	char when[24];
	ho_time_format(at, when, sizeof when);
	snprintf(buf, size, "signed %s", when);
}

const char *rd_owner(const struct rd_function *f, const ho_item *it)
{
	if (it->sender_state == HO_SENDER_NOT_STARTED || it->sender_state == HO_SENDER_IN_PROGRESS)
		return f->f->sender_name;
	if (it->receiver_state == HO_RECEIVER_PENDING)
		return f->f->receiver_name;
	return "";
}

void rd_xml_esc(FILE *out, const char *s, const struct rd_xml *x)
{
	for (const char *p = s ? s : ""; *p; p++) {
		const char *as = NULL;
		switch (*p) {
		case '&':
			as = "&amp;";
			break;
		case '<':
			as = "&lt;";
			break;
		case '>':
			as = "&gt;";
			break;
		case '"':
			as = x->quot;
			break;
		case '\'':
			as = x->apos;
			break;
		case '\n':
			as = x->newline;
			break;
		case '\t':
		case '\r':
			as = " ";
			break;
		default:
			if ((unsigned char)*p < 0x20)
				continue;
		}
		if (as)
			fputs(as, out);
		else
			fputc(*p, out);
	}
}

void rd_page_status(const struct rd_doc *d, char *buf, size_t size)
{
	const char *marking = d->h->marking && d->h->marking[0] ? d->h->marking : "OFFICIAL";
	snprintf(buf, size, "%s \xe2\x80\x94 %s", marking, d->h->signed_at ? "FINAL" : "DRAFT");
}

void rd_risk_ref(const ho_risk *r, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", r->ref, r->function_code[0] ? " " : "", r->function_code);
}

void rd_risk_score(const ho_risk *r, char *buf, size_t size)
{
	snprintf(buf, size, "%d (%s; L%d x I%d)", r->score, ho_risk_level_name(r->level),
	         r->likelihood, r->impact);
}

void rd_thread_status(const ho_thread_entry *t, char *buf, size_t size)
{
	buf[0] = '\0';
	if (t->kind != HO_THREAD_QUERY)
		return;
	if (!t->resolved_at) {
		snprintf(buf, size, "open");
		return;
	}
	char when[16];
	ho_date_format(t->resolved_at, when, sizeof when);
	snprintf(buf, size, "resolved %s", when);
}

/* ---- the executive summary ------------------------------------------------ */

/* Up to `most` references joined with ", ", then "and N more". */
static void refs_list(char *buf, size_t size, const char *const *refs, size_t n, size_t most)
{
	size_t used = strlen(buf);
	for (size_t i = 0; i < n && i < most && used < size; i++)
		used += (size_t)snprintf(buf + used, size - used, "%s%s", i ? ", " : "", refs[i]);
	if (n > most && used < size)
		snprintf(buf + used, size - used, " and %zu more", n - most);
}

void rd_exec_summary(const struct rd_doc *d, rd_fact_fn para, FILE *out)
{
	const ho_counts *c = &d->counts;
	const ho_handover *h = d->h;
	char buf[1600];
	int pct = rd_percent(c->done, c->total);
	int both = 0, unpaired = 0;
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		both += f->sender_signed_at && f->receiver_signed_at;
		unpaired += !f->sender_name[0] || !f->receiver_name[0];
	}
	int n = snprintf(buf, sizeof buf,
	                 "%d of %d items accepted (%d%%), RAG %s. %d of %zu function%s signed off "
	                 "by both sender and receiver.",
	                 c->done, c->total, pct, rd_rag_word(d->rag, "not rated"), both, d->nfns,
	                 d->nfns == 1 ? "" : "s");
	if (!d->single && n > 0 && (size_t)n < sizeof buf) {
		if (h->signed_at) {
			char when[16];
			ho_date_format(h->signed_at, when, sizeof when);
			snprintf(buf + n, sizeof buf - (size_t)n,
			         " The handover was signed off by %s on %s.", h->signed_by, when);
		} else {
			snprintf(buf + n, sizeof buf - (size_t)n,
			         " The handover is not yet signed off by a lead.");
		}
	}
	para(out, "Readiness", buf);

	/* Late: the overdue items, by reference. */
	size_t nlate = 0, cap = 0;
	const char **late = NULL;
	for (size_t i = 0; i < d->nfns; i++)
		for (size_t j = 0; j < d->fns[i].nitems; j++) {
			const ho_item *it = &d->fns[i].items[j];
			if (!it->overdue)
				continue;
			if (nlate == cap) {
				cap = cap ? cap * 2 : 16;
				const char **grown = realloc(late, cap * sizeof *grown);
				if (!grown)
					break;
				late = grown;
			}
			late[nlate++] = it->ref;
		}
	if (nlate) {
		snprintf(buf, sizeof buf, "%zu item%s overdue: ", nlate,
		         nlate == 1 ? " is" : "s are");
		refs_list(buf, sizeof buf, late, nlate, 12);
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ".");
	} else {
		snprintf(buf, sizeof buf, "Nothing is overdue.");
	}
	free(late);
	para(out, "Late", buf);

	size_t nq = d->carry_counts[RD_CARRY_QUERY];
	if (nq) {
		const char **refs = malloc(nq * sizeof *refs);
		size_t k = 0;
		for (size_t i = 0; refs && i < d->ncarry; i++)
			if (d->carry[i].section == RD_CARRY_QUERY)
				refs[k++] = d->carry[i].ref;
		snprintf(buf, sizeof buf, "%zu quer%s the sender has still to answer, on ", nq,
		         nq == 1 ? "y" : "ies");
		if (refs)
			refs_list(buf, sizeof buf, refs, k, 12);
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), ".");
		free(refs);
	} else {
		snprintf(buf, sizeof buf, "None.");
	}
	para(out, "Open queries", buf);

	/* Risks come highest score first. */
	buf[0] = '\0';
	size_t used = 0, shown = 0, open = d->carry_counts[RD_CARRY_RISK];
	for (size_t i = 0; i < d->nrisks && shown < 3 && used < sizeof buf; i++) {
		const ho_risk *r = &d->risks[i];
		if (r->closed)
			continue;
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s %s (score %d, %s)",
		                         shown ? "; " : "", r->ref, r->title, r->score,
		                         ho_risk_level_name(r->level));
		shown++;
	}
	if (!open)
		snprintf(buf, sizeof buf, "No open risk.");
	else if (used < sizeof buf)
		snprintf(buf + used, sizeof buf - used, "%s%s", open > shown ? "; " : ".",
		         open > shown ? "the rest in the risk log." : "");
	para(out, "Top risks", buf);

	/* What must happen before sign-off, in the order it can happen. */
	int to_accept = c->total - c->done;
	used = 0;
	buf[0] = '\0';
#define SAY(...)                                                                                   \
	do {                                                                                       \
		if (used < sizeof buf)                                                             \
			used += (size_t)snprintf(buf + used, sizeof buf - used, __VA_ARGS__);      \
	} while (0)
	if (!d->single && h->signed_at) {
		SAY("Nothing: the handover is signed off.");
	} else {
		if (unpaired)
			SAY("%d function%s need%s a sender or receiver paired; ", unpaired,
			    unpaired == 1 ? "" : "s", unpaired == 1 ? "s" : "");
		if (to_accept > 0) {
			int pending = c->pending, with_sender = to_accept - c->pending;
			SAY("%d item%s to be accepted (%d with the sender, %d to review); ",
			    to_accept, to_accept == 1 ? "" : "s", with_sender, pending);
		}
		if (nq)
			SAY("%zu open quer%s to be answered; ", nq, nq == 1 ? "y" : "ies");
		int to_sign = (int)d->nfns - both;
		if (to_sign > 0)
			SAY("%d function%s to be signed off by both sides", to_sign,
			    to_sign == 1 ? "" : "s");
		if (!d->single)
			SAY("%sthen a lead signs the handover off.", to_sign > 0 ? "; " : "");
		else if (to_sign <= 0)
			SAY("nothing: the function is signed off.");
		else
			SAY(".");
	}
#undef SAY
	if (buf[0])
		buf[0] = (char)toupper((unsigned char)buf[0]);
	para(out, "Before sign-off", buf);
}

/* ---- carried forward, sign-off --------------------------------------------- */

const char *rd_carry_heading(enum rd_carry section)
{
	switch (section) {
	case RD_CARRY_CONDITION:
		return "Conditions of acceptance, to be met after the handover";
	case RD_CARRY_ITEM:
		return "Items not yet accepted, by who acts next";
	case RD_CARRY_QUERY:
		return "Open queries";
	case RD_CARRY_RISK:
		return "Open risks";
	}
	return "";
}

const char *rd_carry_none(enum rd_carry section)
{
	switch (section) {
	case RD_CARRY_CONDITION:
		return "No item was accepted with conditions.";
	case RD_CARRY_ITEM:
		return "Every item is accepted.";
	case RD_CARRY_QUERY:
		return "No query is open.";
	case RD_CARRY_RISK:
		return "No risk is open.";
	}
	return "";
}

static const ho_person *person_of(const struct rd_doc *d, const char *login)
{
	for (size_t i = 0; login && login[0] && i < d->npeople; i++)
		if (strcmp(d->people[i].login, login) == 0)
			return &d->people[i];
	return NULL;
}

static struct rd_signer signer(const struct rd_doc *d, const char *role, const char *name,
                               const char *login, int64_t at)
{
	const ho_person *p = person_of(d, login);
	return (struct rd_signer){
	    role, name ? name : "", login ? login : "", p ? p->job_title : "", p ? p->org : "", at};
}

struct rd_signer *rd_signers(const struct rd_doc *d, size_t *n)
{
	*n = 0;
	struct rd_signer *s = calloc(d->nfns * 2 + 1, sizeof *s);
	if (!s)
		return NULL;
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		s[(*n)++] =
		    signer(d, "Sender", f->sender_name, f->sender_login, f->sender_signed_at);
		s[(*n)++] = signer(d, "Receiver", f->receiver_name, f->receiver_login,
		                   f->receiver_signed_at);
	}
	if (!d->single)
		s[(*n)++] = signer(d, "Lead", d->h->signed_by, d->signer_login, d->h->signed_at);
	return s;
}

const char *rd_declaration(const char *role)
{
	if (strcmp(role, "Sender") == 0)
		return "I confirm the items above are handed over as recorded, subject to the "
		       "conditions listed.";
	if (strcmp(role, "Receiver") == 0)
		return "I confirm the items above are received as recorded, subject to the "
		       "conditions listed.";
	return "I confirm the items above are handed over and received as recorded, subject to "
	       "the conditions listed.";
}

void rd_signer_facts(const struct rd_signer *s, rd_fact_fn fact, FILE *out)
{
	char buf[2 * HO_MAX_NAME + 16];
	if (s->name[0] && s->login[0])
		snprintf(buf, sizeof buf, "%s (%s)", s->name, s->login);
	else if (s->name[0])
		snprintf(buf, sizeof buf, "%s", s->name);
	else
		snprintf(buf, sizeof buf, "%s",
		         strcmp(s->role, "Lead") == 0 ? "a lead, when the handover is signed off"
		                                      : "none paired");
	fact(out, "Name", buf);
	fact(out, "Job title", s->job_title);
	fact(out, "Role", s->role);
	fact(out, "Organisation", s->org);
	rd_signed(s->signed_at, buf, sizeof buf);
	fact(out, "In the file", buf);
}

void rd_signer_scope(const struct rd_doc *d, size_t i, char *buf, size_t size)
{
	if (i / 2 < d->nfns)
		snprintf(buf, size, "%s %s", d->fns[i / 2].f->code, d->fns[i / 2].f->name);
	else
		snprintf(buf, size, "%s", d->h->title);
}
