/* Reading: handovers, functions, items, threads and gaps, with the counts,
 * readiness and RAG the screens and documents show. */
#define _GNU_SOURCE
#include "handover/rules.h"
#include "store.h"
#include "words.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bind_dates(eng_stmt *s)
{
	char today[16], soon[16];
	ho_today(today, sizeof today);
	ho_date_format(ho_now() + HO_DUE_SOON_DAYS * 86400, soon, sizeof soon);
	store_bind_text(s, ":today", today);
	store_bind_text(s, ":soon", soon);
}

static void function_from_row(eng_stmt *s, ho_function *f, int *due_soon)
{
	memset(f, 0, sizeof *f);
	f->id = eng_int64(s, 0);
	f->handover_id = eng_int64(s, 1);
	f->code = store_col_text(s, 2);
	f->name = store_col_text(s, 3);
	f->position = eng_int(s, 4);
	f->due_date = store_col_text(s, 5);
	f->sender_id = eng_int64(s, 6);
	f->receiver_id = eng_int64(s, 7);
	f->sender_login = store_col_text(s, 8);
	f->sender_name = store_col_text(s, 9);
	f->receiver_login = store_col_text(s, 10);
	f->receiver_name = store_col_text(s, 11);
	f->sender_signed_at = eng_int64(s, 12);
	f->receiver_signed_at = eng_int64(s, 13);
	f->version = eng_int64(s, 14);
	ho_counts *c = &f->counts;
	c->total = eng_int(s, 15);
	c->not_started = eng_int(s, 16);
	c->in_progress = eng_int(s, 17);
	c->handed_over = eng_int(s, 18);
	c->not_applicable = eng_int(s, 19);
	c->pending = eng_int(s, 20);
	c->accepted = eng_int(s, 21);
	c->conditions = eng_int(s, 22);
	c->gaps = eng_int(s, 23);
	c->overdue = eng_int(s, 24);
	c->done = c->accepted + c->conditions;
	*due_soon = eng_int(s, 25);
	f->retired_at = eng_int64(s, 26);
	f->retired_note = store_col_text(s, 27);
	f->handover_closed_at = eng_int64(s, 28);
	f->rag = ho_rule_counts_rag(c, !f->sender_id || !f->receiver_id, *due_soon);
}

static int memo_subset(ho_db *db, enum store_stmt_id id, int64_t key, ho_function **out, size_t *n,
                       int **due_soon_out);

static ho_status functions_query(ho_db *db, enum store_stmt_id id, int64_t key, ho_function **out,
                                 size_t *n, int **due_soon_out)
{
	*out = NULL;
	*n = 0;
	if (memo_subset(db, id, key, out, n, due_soon_out))
		return HO_OK;
	eng_stmt *s = store_stmt(db, id);
	if (!s)
		return store_stmt_failed(db);
	bind_dates(s);
	store_bind_int(s, ":handover_id", key);
	store_bind_int(s, ":id", key);
	size_t cap = 0, dcap = 0;
	int *due_soon = NULL;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out) ||
		    (due_soon_out &&
		     !store_grow((void **)&due_soon, &dcap, *n, sizeof *due_soon))) {
			rc = ENG_NOMEM;
			break;
		}
		int soon;
		function_from_row(s, &(*out)[*n], &soon);
		if (due_soon_out)
			due_soon[*n] = soon;
		(*n)++;
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_function_free(*out, *n);
		free(due_soon);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading functions");
	}
	if (due_soon_out)
		*due_soon_out = due_soon;
	return HO_OK;
}

void store_memo_clear(ho_db *db)
{
	ho_function_free(db->fn_memo.fns, db->fn_memo.n);
	free(db->fn_memo.due_soon);
	memset(&db->fn_memo, 0, sizeof db->fn_memo);
}

static char *sdup(const char *s)
{
	return strdup(s ? s : "");
}

/* A deep copy of n functions (and their due-soon flags when wanted). */
static int functions_copy(const ho_function *src, const int *soon_src, size_t n, ho_function **out,
                          int **soon_out)
{
	ho_function *v = calloc(n ? n : 1, sizeof *v);
	int *soon = soon_out ? calloc(n ? n : 1, sizeof *soon) : NULL;
	int ok = v && (!soon_out || soon);
	for (size_t i = 0; ok && i < n; i++) {
		const ho_function *f = &src[i];
		ho_function *c = &v[i];
		*c = *f;
		/* The strings are the copy's own; NULL until copied, so that a
		 * copy cut short by lack of memory frees cleanly. */
		c->code = c->name = c->due_date = NULL;
		c->sender_login = c->sender_name = c->receiver_login = c->receiver_name = NULL;
		c->retired_note = NULL;
		ok = (c->code = sdup(f->code)) && (c->name = sdup(f->name)) &&
		     (c->due_date = sdup(f->due_date)) &&
		     (c->sender_login = sdup(f->sender_login)) &&
		     (c->sender_name = sdup(f->sender_name)) &&
		     (c->receiver_login = sdup(f->receiver_login)) &&
		     (c->receiver_name = sdup(f->receiver_name)) &&
		     (c->retired_note = sdup(f->retired_note));
		if (soon)
			soon[i] = soon_src[i];
	}
	if (!ok) {
		ho_function_free(v, v ? n : 0);
		free(soon);
		return 0;
	}
	*out = v;
	if (soon_out)
		*soon_out = soon;
	return 1;
}

/* Whether the remembered function list still holds: nobody has committed
 * since, this connection has changed nothing and it is the same day. */
static int memo_valid(ho_db *db, const char *today, int64_t version, int64_t changes)
{
	return db->fn_memo.fns && version >= 0 && version == db->fn_memo.data_version &&
	       changes == db->fn_memo.changes && strcmp(today, db->fn_memo.today) == 0;
}

/* One handover's functions (functions_of) or one function (function_by_id)
 * copied from the remembered whole-file list when it still holds: opening
 * a checklist from the dashboard, or each document of an export, then
 * counts nothing again. The list is in handover, then checklist order, so
 * a handover's functions are one run of it, in the order functions_of
 * gives. 0 when the caller must run the query (no valid list, or out of
 * memory for the copy). */
static int memo_subset(ho_db *db, enum store_stmt_id id, int64_t key, ho_function **out, size_t *n,
                       int **due_soon_out)
{
	if (id != STMT_functions_of && id != STMT_function_by_id)
		return 0;
	/* No list remembered: nothing to ask the engine (on a server, its
	 * version is a round trip). */
	if (!db->fn_memo.fns)
		return 0;
	char today[16];
	ho_today(today, sizeof today);
	if (!memo_valid(db, today, store_data_version(db), db->eng->total_changes(db)))
		return 0;
	const ho_function *fs = db->fn_memo.fns;
	size_t first = 0, count = 0;
	for (size_t i = 0; i < db->fn_memo.n; i++) {
		if (id == STMT_functions_of ? fs[i].handover_id != key : fs[i].id != key)
			continue;
		if (count == 0)
			first = i;
		else if (i != first + count)
			return 0; /* not one run: let the query order them */
		count++;
	}
	if (count == 0)
		return 1; /* none, as the query would find */
	if (!functions_copy(fs + first, db->fn_memo.due_soon + first, count, out, due_soon_out))
		return 0;
	*n = count;
	return 1;
}

/* Every function of the file, from the memo when nothing changed since it
 * was made, else counted afresh (and remembered). */
static ho_status all_functions(ho_db *db, ho_function **out, size_t *n, int **due_soon_out)
{
	char today[16];
	ho_today(today, sizeof today);
	int64_t version = store_data_version(db);
	int64_t changes = db->eng->total_changes(db);
	if (memo_valid(db, today, version, changes)) {
		if (!functions_copy(db->fn_memo.fns, db->fn_memo.due_soon, db->fn_memo.n, out,
		                    due_soon_out))
			return store_fail(db, HO_ENOMEM, "out of memory reading functions");
		*n = db->fn_memo.n;
		return HO_OK;
	}
	store_memo_clear(db);
	int *soon = NULL;
	ho_status st = functions_query(db, STMT_functions_all, 0, out, n, &soon);
	if (st != HO_OK)
		return st;
	if (version >= 0 &&
	    functions_copy(*out, soon, *n, &db->fn_memo.fns, &db->fn_memo.due_soon)) {
		db->fn_memo.n = *n;
		db->fn_memo.data_version = version;
		db->fn_memo.changes = changes;
		snprintf(db->fn_memo.today, sizeof db->fn_memo.today, "%s", today);
	}
	if (due_soon_out)
		*due_soon_out = soon;
	else
		free(soon);
	return HO_OK;
}

ho_status ho_functions_list(ho_db *db, int64_t handover_id, ho_function **out, size_t *n)
{
	if (handover_id == 0)
		return all_functions(db, out, n, NULL);
	return functions_query(db, STMT_functions_of, handover_id, out, n, NULL);
}

ho_status ho_function_get(ho_db *db, int64_t id, ho_function *out)
{
	ho_function *v = NULL;
	size_t n = 0;
	memset(out, 0, sizeof *out);
	ho_status st = functions_query(db, STMT_function_by_id, id, &v, &n, NULL);
	if (st != HO_OK)
		return st;
	if (n == 0) {
		free(v);
		return store_fail(db, HO_ENOTFOUND, "no function with id %lld", (long long)id);
	}
	/* An id is unique in a sound file; a damaged one (an index that lost
	 * its rows) can show it on several. Which one is meant is unknown, so
	 * nothing is acted on, and none of the rows outlives the call. */
	if (n > 1) {
		ho_function_free(v, n);
		return store_fail(
		    db, HO_EBADFILE,
		    "the file is damaged: function id %lld is on %zu rows (run check)",
		    (long long)id, n);
	}
	*out = v[0];
	free(v);
	return HO_OK;
}

/* The handovers (all, or the one with this id) with their counts, summed
 * from their functions' counts. When fns_out is set, those functions are
 * handed to the caller instead of being freed (only with an id: a single
 * handover's functions, in checklist order). */
/* The handovers (all, or `id`) with their functions' figures summed; with
 * `outline`, the functions are read without counting their items, and
 * every count and RAG is left empty. */
static ho_status handovers_query(ho_db *db, int64_t id, int outline, ho_handover **out, size_t *n,
                                 ho_function **fns_out, size_t *nfns_out)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_handovers_all);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", id);
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		ho_handover *h = &(*out)[(*n)++];
		memset(h, 0, sizeof *h);
		h->id = eng_int64(s, 0);
		h->title = store_col_text(s, 1);
		h->service = store_col_text(s, 2);
		h->sender_org = store_col_text(s, 3);
		h->receiver_org = store_col_text(s, 4);
		h->target_date = store_col_text(s, 5);
		h->signed_by = store_col_text(s, 6);
		h->signed_at = eng_int64(s, 7);
		h->version = eng_int64(s, 8);
		h->marking = store_col_text(s, 9);
		h->closed_at = eng_int64(s, 10);
		h->closed_note = store_col_text(s, 11);
		h->distribution = store_col_text(s, 12);
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_handover_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading handovers");
	}

	/* One query for every function's counts, summed here, rather than one
	 * aggregate query per handover. */
	ho_function *fs = NULL;
	size_t nf = 0;
	int *due_soon = NULL;
	ho_status st = outline
	                   ? functions_query(db, STMT_functions_outline, id, &fs, &nf, &due_soon)
	               : id ? functions_query(db, STMT_functions_of, id, &fs, &nf, &due_soon)
	                    : all_functions(db, &fs, &nf, &due_soon);
	if (st != HO_OK) {
		ho_handover_free(*out, *n);
		*out = NULL;
		*n = 0;
		return st;
	}
	for (size_t i = 0; i < *n; i++) {
		ho_handover *h = &(*out)[i];
		int soon = 0;
		for (size_t j = 0; j < nf; j++) {
			if (fs[j].handover_id != h->id)
				continue;
			ho_counts_add(&h->counts, &fs[j].counts);
			h->functions++;
			if (fs[j].sender_signed_at && fs[j].receiver_signed_at)
				h->functions_signed++;
			if (!fs[j].sender_id || !fs[j].receiver_id)
				h->functions_unpaired++;
			soon += due_soon[j];
		}
		h->rag = outline ? HO_RAG_NONE
		                 : ho_rule_counts_rag(&h->counts, h->functions_unpaired > 0, soon);
	}
	for (size_t j = 0; outline && j < nf; j++)
		fs[j].rag = HO_RAG_NONE;
	free(due_soon);
	if (fns_out) {
		*fns_out = fs;
		*nfns_out = nf;
	} else {
		ho_function_free(fs, nf);
	}
	return HO_OK;
}

ho_status ho_handovers_list(ho_db *db, ho_handover **out, size_t *n)
{
	return handovers_query(db, 0, 0, out, n, NULL, NULL);
}

ho_status ho_outline(ho_db *db, int64_t handover_id, ho_handover **hs, size_t *nh, ho_function **fs,
                     size_t *nf)
{
	if (fs) {
		*fs = NULL;
		*nf = 0;
	}
	return handovers_query(db, handover_id, 1, hs, nh, fs, nf);
}

static ho_status handover_get(ho_db *db, int64_t id, ho_handover *out, ho_function **fns,
                              size_t *nfns)
{
	ho_handover *v = NULL;
	size_t n = 0, nf = 0;
	ho_function *fs = NULL;
	memset(out, 0, sizeof *out);
	if (id <= 0)
		return store_fail(db, HO_ENOTFOUND, "no handover with id %lld", (long long)id);
	ho_status st = handovers_query(db, id, 0, &v, &n, fns ? &fs : NULL, &nf);
	if (st != HO_OK)
		return st;
	if (n != 1) {
		ho_handover_free(v, n);
		ho_function_free(fs, nf);
		if (n == 0)
			return store_fail(db, HO_ENOTFOUND, "no handover with id %lld",
			                  (long long)id);
		/* As in ho_function_get: a damaged file shows one id on several rows. */
		return store_fail(
		    db, HO_EBADFILE,
		    "the file is damaged: handover id %lld is on %zu rows (run check)",
		    (long long)id, n);
	}
	*out = v[0];
	free(v);
	if (fns) {
		*fns = fs;
		*nfns = nf;
	}
	return HO_OK;
}

ho_status ho_handover_get(ho_db *db, int64_t id, ho_handover *out)
{
	return handover_get(db, id, out, NULL, NULL);
}

ho_status ho_handover_counted(ho_db *db, int64_t id, ho_handover *out, ho_function **fns,
                              size_t *nfns)
{
	*fns = NULL;
	*nfns = 0;
	return handover_get(db, id, out, fns, nfns);
}

/* Shared by function and item look-ups by code: exactly one match, or a
 * message naming the handovers to choose from with --handover. */
static ho_status find_one(ho_db *db, eng_stmt *s, const char *what, int64_t *id_out)
{
	int64_t first = 0;
	int count = 0;
	char choices[300] = "";
	size_t used = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (count++ == 0)
			first = eng_int64(s, 0);
		if (used < sizeof choices - 1)
			used += (size_t)snprintf(choices + used, sizeof choices - used,
			                         "%s%lld (%s)", count > 1 ? ", " : "",
			                         (long long)eng_int64(s, 1), eng_text(s, 2));
	}
	eng_reset(s);
	if (rc != ENG_DONE)
		return store_engine_fail(db, rc, "looking up");
	if (count == 0)
		return store_fail(db, HO_ENOTFOUND, "no %s", what);
	if (count > 1) {
		char *clean = ho_sanitise(choices, HO_SAN_LINE);
		store_fail(db, HO_EUSAGE,
		           "%s is in several handovers; pick one with --handover: %s", what,
		           clean ? clean : "");
		free(clean);
		return HO_EUSAGE;
	}
	*id_out = first;
	return HO_OK;
}

ho_status ho_function_find(ho_db *db, int64_t handover_id, const char *code, int64_t *id_out)
{
	*id_out = 0;
	eng_stmt *s = store_stmt(db, STMT_function_find);
	if (!s)
		return store_stmt_failed(db);
	store_bind_text(s, ":code", code);
	store_bind_int(s, ":handover_id", handover_id);
	char what[96];
	char *clean = ho_sanitise(code, HO_SAN_LINE);
	snprintf(what, sizeof what, "function %.40s", clean ? clean : "");
	free(clean);
	return find_one(db, s, what, id_out);
}

/* "FIN-3" -> ("FIN", 3); -1 when it is not of that form. */
static int parse_ref(const char *ref, char code[16], int *number)
{
	const char *dash = ref ? strrchr(ref, '-') : NULL;
	if (!dash || dash == ref || (size_t)(dash - ref) >= 16 || !dash[1])
		return -1;
	long v = 0;
	for (const char *p = dash + 1; *p; p++) {
		if (*p < '0' || *p > '9' || v > 1000000000L)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v <= 0)
		return -1;
	memcpy(code, ref, (size_t)(dash - ref));
	code[dash - ref] = '\0';
	*number = (int)v;
	return 0;
}

ho_status ho_item_find(ho_db *db, int64_t handover_id, const char *ref, int64_t *id_out)
{
	*id_out = 0;
	char code[16];
	int number;
	char *clean = ho_sanitise(ref, HO_SAN_LINE);
	char what[96];
	snprintf(what, sizeof what, "item %.40s", clean ? clean : "");
	free(clean);
	if (parse_ref(ref, code, &number) != 0)
		return store_fail(db, HO_EUSAGE, "'%s' is not an item reference (like FIN-3)",
		                  what + 5);
	eng_stmt *s = store_stmt(db, STMT_item_find);
	if (!s)
		return store_stmt_failed(db);
	store_bind_text(s, ":code", code);
	store_bind_int(s, ":number", number);
	store_bind_int(s, ":handover_id", handover_id);
	return find_one(db, s, what, id_out);
}

static void item_from_row(eng_stmt *s, ho_item *it, const char *today, const char *soon)
{
	memset(it, 0, sizeof *it);
	it->id = eng_int64(s, 0);
	it->function_id = eng_int64(s, 1);
	it->handover_id = eng_int64(s, 2);
	it->number = eng_int(s, 3);
	snprintf(it->ref, sizeof it->ref, "%.15s-%d", eng_text(s, 4), it->number);
	it->position = eng_int(s, 5);
	it->title = store_col_text(s, 6);
	it->guidance = store_col_text(s, 7);
	it->due_date = store_col_text(s, 8);
	it->sender_state = words_sender_from_db(eng_text(s, 9));
	it->receiver_state = words_receiver_from_db(eng_text(s, 10));
	it->evidence = store_col_text(s, 11);
	it->na_reason = store_col_text(s, 12);
	it->condition = store_col_text(s, 13);
	it->version = eng_int64(s, 14);
	it->thread_count = eng_int(s, 15);
	it->open_queries = eng_int(s, 16);
	it->updated_by = store_col_text(s, 17);
	it->updated_at = eng_int64(s, 18);
	it->retired_at = eng_int64(s, 19);
	it->retired_note = store_col_text(s, 20);
	it->own_due = store_col_text(s, 21);
	it->rag = ho_rule_item_rag(it, today, soon, &it->overdue);
}

ho_status ho_items_list(ho_db *db, int64_t function_id, ho_filter filter, ho_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	ho_function f;
	int have_f = 0;
	if (filter == HO_FILTER_MINE) {
		ho_status st = ho_function_get(db, function_id, &f);
		if (st != HO_OK)
			return st;
		have_f = 1;
	}
	ho_rule_actor me = store_rule_actor(db);
	char today[16], soon[16];
	ho_today(today, sizeof today);
	ho_date_format(ho_now() + HO_DUE_SOON_DAYS * 86400, soon, sizeof soon);
	eng_stmt *s = store_stmt(db, STMT_items_of);
	ho_status st = HO_OK;
	if (!s) {
		st = store_stmt_failed(db);
		goto cleanup;
	}
	store_bind_int(s, ":function_id", function_id);
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		ho_item *it = &(*out)[*n];
		item_from_row(s, it, today, soon);
		if (ho_rule_item_shown(&me, have_f ? &f : NULL, it, filter))
			(*n)++;
		else
			ho_item_clear(it);
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_item_free(*out, *n);
		*out = NULL;
		*n = 0;
		st = store_engine_fail(db, rc, "reading items");
	}
cleanup:
	if (have_f)
		ho_function_clear(&f);
	return st;
}

ho_status ho_item_get(ho_db *db, int64_t id, ho_item *out)
{
	memset(out, 0, sizeof *out);
	char today[16], soon[16];
	ho_today(today, sizeof today);
	ho_date_format(ho_now() + HO_DUE_SOON_DAYS * 86400, soon, sizeof soon);
	eng_stmt *s = store_stmt(db, STMT_item_by_id);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", id);
	int rc = eng_step(s);
	if (rc == ENG_ROW)
		item_from_row(s, out, today, soon);
	if ((rc = store_row_whole(s, rc)) == ENG_NOMEM)
		ho_item_clear(out);
	eng_reset(s);
	if (rc == ENG_ROW)
		return HO_OK;
	if (rc == ENG_DONE)
		return store_fail(db, HO_ENOTFOUND, "no item with id %lld", (long long)id);
	return store_engine_fail(db, rc, "reading an item");
}

/* One thread entry from the columns starting at `col` (thread_of's order). */
static void thread_from_row(eng_stmt *s, int col, ho_thread_entry *t)
{
	memset(t, 0, sizeof *t);
	t->id = eng_int64(s, col);
	t->kind = words_thread_from_db(eng_text(s, col + 1));
	t->author_login = store_col_text(s, col + 2);
	t->author_name = store_col_text(s, col + 3);
	t->at = eng_int64(s, col + 4);
	t->body = store_col_text(s, col + 5);
	t->resolved_at = eng_int64(s, col + 6);
}

ho_status ho_thread_list(ho_db *db, int64_t item_id, ho_thread_entry **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_thread_of);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":item_id", item_id);
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		thread_from_row(s, 0, &(*out)[(*n)++]);
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_thread_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading the thread");
	}
	return HO_OK;
}

ho_status store_threads_of(ho_db *db, int64_t handover_id, int64_t function_id, int64_t **item_ids,
                           ho_thread_entry **out, size_t *n)
{
	*item_ids = NULL;
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_threads_of_handover);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":function_id", function_id);
	size_t cap = 0, icap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		if (!store_grow((void **)out, &cap, *n, sizeof **out) ||
		    !store_grow((void **)item_ids, &icap, *n, sizeof **item_ids)) {
			rc = ENG_NOMEM;
			break;
		}
		(*item_ids)[*n] = eng_int64(s, 0);
		thread_from_row(s, 1, &(*out)[(*n)++]);
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_thread_free(*out, *n);
		free(*item_ids);
		*item_ids = NULL;
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading the threads");
	}
	return HO_OK;
}

ho_status ho_gaps_list(ho_db *db, int64_t handover_id, int64_t function_id, int mine, ho_gap **out,
                       size_t *n)
{
	*out = NULL;
	*n = 0;
	eng_stmt *s = store_stmt(db, STMT_gaps_all);
	if (!s)
		return store_stmt_failed(db);
	bind_dates(s);
	store_bind_int(s, ":handover_id", handover_id);
	store_bind_int(s, ":function_id", function_id);
	int everything = !mine || db->actor.role == HO_ROLE_LEAD;
	size_t cap = 0;
	int rc;
	while ((rc = eng_step(s)) == ENG_ROW) {
		const char *owner = eng_text(s, 12);
		if (!everything &&
		    (!owner || !db->actor.login || strcmp(owner, db->actor.login) != 0))
			continue;
		if (!store_grow((void **)out, &cap, *n, sizeof **out)) {
			rc = ENG_NOMEM;
			break;
		}
		ho_gap *g = &(*out)[(*n)++];
		memset(g, 0, sizeof *g);
		g->kind = (ho_gap_kind)eng_int(s, 0);
		g->handover_id = eng_int64(s, 1);
		g->function_id = eng_int64(s, 2);
		g->item_id = eng_int64(s, 7);
		if (g->item_id)
			snprintf(g->ref, sizeof g->ref, "%.15s-%d", eng_text(s, 4), eng_int(s, 9));
		else
			snprintf(g->ref, sizeof g->ref, "%.15s", eng_text(s, 4));
		g->title = store_col_text(s, 10);
		g->detail = store_col_text(s, 11);
		g->owner_login = store_col_text(s, 12);
		g->owner_name = store_col_text(s, 13);
		g->due_date = store_col_text(s, 14);
	}
	eng_reset(s);
	if (rc != ENG_DONE) {
		ho_gap_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_engine_fail(db, rc, "reading gaps");
	}
	return HO_OK;
}

ho_status store_handover_signer(ho_db *db, int64_t handover_id, char **login)
{
	*login = NULL;
	eng_stmt *s = store_stmt(db, STMT_handover_signer);
	if (!s)
		return store_stmt_failed(db);
	store_bind_int(s, ":id", handover_id);
	int rc = eng_step(s);
	*login = rc == ENG_ROW ? store_col_text(s, 0) : strdup("");
	eng_reset(s);
	if (rc != ENG_ROW && rc != ENG_DONE) {
		free(*login);
		*login = NULL;
		return store_engine_fail(db, rc, "reading who signed the handover off");
	}
	return *login ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
}
