/* The roll-up (print --all): one document over every handover in the file,
 * for a region or the nation. Its parts, in order: the facts of the
 * document (scope, marking, who printed it, the file's state); a summary in
 * words; a row per handover; a row per function, the same function of every
 * handover together; the overdue items; the open queries; the top open
 * risks. Each format lays the parts out through its sink (report_doc.h). */
#define _GNU_SOURCE
#include "report_doc.h"
#include "store.h"

#include <stdlib.h>
#include <string.h>

/* How many open risks the roll-up names. */
#define TOP_RISKS 10

/* One function code across every handover. */
struct rb_function {
	const char *code, *name;
	int handovers, red, amber, green;
	ho_counts c;
};

struct rb_data {
	ho_handover *hs;
	size_t nh;
	ho_function **fs; /* per handover, its functions (counted) */
	size_t *nf;
	struct rb_function *byfn;
	size_t nbyfn;
	ho_gap *gaps; /* every handover's, for the late items and open queries */
	size_t ngaps;
	ho_risk *risks; /* open, highest score first */
	size_t nrisks;
	ho_counts total;
	int signed_off, red, amber, green;
	const struct rd_doc *doc;
};

static void data_free(struct rb_data *r)
{
	for (size_t i = 0; r->fs && i < r->nh; i++)
		ho_function_free(r->fs[i], r->nf[i]);
	free(r->fs);
	free(r->nf);
	free(r->byfn);
	ho_handover_free(r->hs, r->nh);
	ho_gap_free(r->gaps, r->ngaps);
	ho_risk_free(r->risks, r->nrisks);
	memset(r, 0, sizeof *r);
}

static void rag_tally(ho_rag rag, int *red, int *amber, int *green)
{
	*red += rag == HO_RAG_RED;
	*amber += rag == HO_RAG_AMBER;
	*green += rag == HO_RAG_GREEN;
}

static int byfn_add(struct rb_data *r, const ho_function *f, size_t *cap)
{
	size_t k = 0;
	while (k < r->nbyfn && strcmp(r->byfn[k].code, f->code) != 0)
		k++;
	if (k == r->nbyfn) {
		if (r->nbyfn == *cap) {
			*cap = *cap ? *cap * 2 : 16;
			struct rb_function *grown = realloc(r->byfn, *cap * sizeof *grown);
			if (!grown)
				return 0;
			r->byfn = grown;
		}
		r->byfn[r->nbyfn++] = (struct rb_function){.code = f->code, .name = f->name};
	}
	struct rb_function *b = &r->byfn[k];
	b->handovers++;
	ho_counts_add(&b->c, &f->counts);
	rag_tally(f->rag, &b->red, &b->amber, &b->green);
	return 1;
}

/* Everything in one read transaction, as a document reads it. */
static ho_status data_load(ho_db *db, struct rb_data *r)
{
	memset(r, 0, sizeof *r);
	ho_handover *list = NULL;
	size_t n = 0;
	ho_status st = ho_handovers_list(db, &list, &n);
	if (st != HO_OK)
		return st;
	ho_handover_free(list, n);
	if (n == 0)
		return store_fail(db, HO_ENOTFOUND, "the file holds no handover");
	r->hs = calloc(n, sizeof *r->hs);
	r->fs = calloc(n, sizeof *r->fs);
	r->nf = calloc(n, sizeof *r->nf);
	if (!r->hs || !r->fs || !r->nf)
		return store_fail(db, HO_ENOMEM, "out of memory");
	if ((st = ho_handovers_list(db, &list, &n)) != HO_OK)
		return st;
	for (size_t i = 0; i < n && st == HO_OK; i++) {
		st = ho_handover_counted(db, list[i].id, &r->hs[i], &r->fs[i], &r->nf[i]);
		if (st == HO_OK)
			r->nh++;
	}
	ho_handover_free(list, n);
	for (size_t i = 0; i < r->nh && st == HO_OK; i++) {
		const ho_handover *h = &r->hs[i];
		ho_counts_add(&r->total, &h->counts);
		r->signed_off += h->signed_at != 0;
		rag_tally(h->rag, &r->red, &r->amber, &r->green);
	}
	if (st == HO_OK)
		st = ho_gaps_list(db, 0, 0, 0, &r->gaps, &r->ngaps);
	if (st == HO_OK)
		st = ho_risks_list(db, 0, 1, &r->risks, &r->nrisks);
	return st;
}

static ho_status data_read(ho_db *db, struct rb_data *r)
{
	int began = store_read_begin(db);
	ho_status st = data_load(db, r);
	store_read_end(db, began);
	return st;
}

/* Every string a document shows is sanitised: the roll-up's too. */
static int clean(char **s)
{
	if (!*s)
		return 1;
	char *c = ho_sanitise(*s, HO_SAN_LINE);
	if (!c)
		return 0;
	free(*s);
	*s = c;
	return 1;
}

static int data_sanitise(struct rb_data *r)
{
	int ok = 1;
	for (size_t i = 0; ok && i < r->nh; i++) {
		ho_handover *h = &r->hs[i];
		ok = clean(&h->title) && clean(&h->target_date) && clean(&h->signed_by) &&
		     clean(&h->marking);
		for (size_t j = 0; ok && j < r->nf[i]; j++)
			ok = clean(&r->fs[i][j].code) && clean(&r->fs[i][j].name);
	}
	for (size_t i = 0; ok && i < r->ngaps; i++) {
		ho_gap *g = &r->gaps[i];
		char *ref = strdup(g->ref);
		ok = ref && clean(&ref) && clean(&g->title) && clean(&g->detail) &&
		     clean(&g->owner_name) && clean(&g->due_date);
		if (ok)
			snprintf(g->ref, sizeof g->ref, "%s", ref);
		free(ref);
	}
	for (size_t i = 0; ok && i < r->nrisks; i++)
		ok = clean(&r->risks[i].title) && clean(&r->risks[i].owner_name) &&
		     clean(&r->risks[i].review_date) && clean(&r->risks[i].function_code);
	return ok;
}

static const ho_handover *handover_of(const struct rb_data *r, int64_t id)
{
	for (size_t i = 0; i < r->nh; i++)
		if (r->hs[i].id == id)
			return &r->hs[i];
	return NULL;
}

/* ---- the parts --------------------------------------------------------------- */

static void fact(const struct rb_sink *s, void *ctx, FILE *out, const char *label,
                 const char *value)
{
	const char *cells[2] = {label, value && *value ? value : "-"};
	s->row(cells, ctx, out);
}

static void facts(const struct rb_sink *s, void *ctx, FILE *out, const struct rb_data *r)
{
	static const int w[] = {22, 56};
	const struct rd_doc *d = r->doc;
	char buf[256];
	s->table("Document", 2, NULL, w, ctx, out);
	size_t nfns = 0;
	for (size_t i = 0; i < r->nh; i++)
		nfns += r->nf[i];
	snprintf(buf, sizeof buf, "%zu handover%s, %zu functions, %d items", r->nh,
	         r->nh == 1 ? "" : "s", nfns, r->total.total);
	fact(s, ctx, out, "Scope", buf);
	fact(s, ctx, out, "Marking", d->h->marking);
	snprintf(buf, sizeof buf, "%lld (changes in the file's history)", (long long)d->events);
	fact(s, ctx, out, "Version", buf);
	fact(s, ctx, out, "Status",
	     d->h->signed_at ? "FINAL: every handover is signed off"
	                     : "DRAFT: not every handover is signed off");
	snprintf(buf, sizeof buf, "%s UTC", d->printed);
	fact(s, ctx, out, "Date printed", buf);
	fact(s, ctx, out, "Printed by", d->printed_by);
	fact(s, ctx, out, "Printed from", d->file_name);
	fact(s, ctx, out, "Head hash", d->head[0] ? d->head : "(no history yet)");
	fact(s, ctx, out, "State digest", d->state);
	s->table_end(ctx, out);
}

static void summary_in_words(const struct rb_sink *s, void *ctx, FILE *out, const struct rb_data *r)
{
	char buf[1200];
	const ho_counts *c = &r->total;
	s->heading(1, "Executive summary", ctx, out);
	snprintf(buf, sizeof buf,
	         "%d of %d items accepted across %zu handover%s (%d%%). Handovers by RAG: %d "
	         "red, %d amber, %d green. %d of %zu signed off.",
	         c->done, c->total, r->nh, r->nh == 1 ? "" : "s", rd_percent(c->done, c->total),
	         r->red, r->amber, r->green, r->signed_off, r->nh);
	s->para("Readiness", buf, ctx, out);
	size_t used = (size_t)snprintf(buf, sizeof buf, "%d item%s overdue", c->overdue,
	                               c->overdue == 1 ? " is" : "s are");
	int named = 0;
	/* In the order of the file, each handover with overdue items. */
	for (size_t i = 0; i < r->nh && used < sizeof buf; i++) {
		const ho_handover *h = &r->hs[i];
		if (!h->counts.overdue)
			continue;
		if (named == 6) {
			used += (size_t)snprintf(buf + used, sizeof buf - used, ", and others");
			break;
		}
		used += (size_t)snprintf(buf + used, sizeof buf - used, "%s%s (%d)",
		                         named ? ", " : ": ", h->title, h->counts.overdue);
		named++;
	}
	if (used < sizeof buf)
		snprintf(buf + used, sizeof buf - used, ".");
	s->para("Late", buf, ctx, out);
	int with_queries = 0;
	for (size_t i = 0; i < r->nh; i++)
		with_queries += r->hs[i].counts.gaps > 0;
	snprintf(buf, sizeof buf, "%d open quer%s in %d handover%s, listed below.", c->gaps,
	         c->gaps == 1 ? "y" : "ies", with_queries, with_queries == 1 ? "" : "s");
	s->para("Open queries", c->gaps ? buf : "None.", ctx, out);
	used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < r->nrisks && i < 3 && used < sizeof buf; i++) {
		const ho_handover *h = handover_of(r, r->risks[i].handover_id);
		used += (size_t)snprintf(buf + used, sizeof buf - used,
		                         "%s%s %s, %s (score %d, %s)", i ? "; " : "",
		                         r->risks[i].ref, r->risks[i].title, h ? h->title : "",
		                         r->risks[i].score, ho_risk_level_name(r->risks[i].level));
	}
	if (used < sizeof buf)
		snprintf(buf + used, sizeof buf - used, "%s", r->nrisks ? "." : "No open risk.");
	s->para("Top risks", buf, ctx, out);
	int unpaired = 0, to_sign = 0;
	for (size_t i = 0; i < r->nh; i++)
		for (size_t j = 0; j < r->nf[i]; j++) {
			const ho_function *f = &r->fs[i][j];
			unpaired += !f->sender_id || !f->receiver_id;
			to_sign += !(f->sender_signed_at && f->receiver_signed_at);
		}
	snprintf(buf, sizeof buf,
	         "%d item%s to be accepted (%d with senders, %d to review); %d function%s "
	         "without a sender or receiver; %d function%s to be signed off by both sides; "
	         "%zu handover%s to be signed off by a lead.",
	         c->total - c->done, c->total - c->done == 1 ? "" : "s",
	         c->total - c->done - c->pending, c->pending, unpaired, unpaired == 1 ? "" : "s",
	         to_sign, to_sign == 1 ? "" : "s", r->nh - (size_t)r->signed_off,
	         r->nh - (size_t)r->signed_off == 1 ? "" : "s");
	s->para("Before sign-off", buf, ctx, out);
}

static void per_handover(const struct rb_sink *s, void *ctx, FILE *out, const struct rb_data *r)
{
	static const char *const heads[] = {"ID",      "Handover", "Target", "Items", "Accepted",
	                                    "Queries", "Overdue",  "RAG",    "Signed"};
	static const int w[] = {3, 21, 10, 5, 8, 7, 7, 5, 6};
	s->heading(1, "Summary by handover", ctx, out);
	s->table("Handovers", 9, heads, w, ctx, out);
	for (size_t i = 0; i < r->nh; i++) {
		const ho_handover *h = &r->hs[i];
		char id[24], items[16], acc[24], q[16], late[16];
		snprintf(id, sizeof id, "%lld", (long long)h->id);
		snprintf(items, sizeof items, "%d", h->counts.total);
		snprintf(acc, sizeof acc, "%d (%d%%)", h->counts.done,
		         rd_percent(h->counts.done, h->counts.total));
		snprintf(q, sizeof q, "%d", h->counts.gaps);
		snprintf(late, sizeof late, "%d", h->counts.overdue);
		const char *cells[] = {id,
		                       h->title,
		                       h->target_date[0] ? h->target_date : "-",
		                       items,
		                       acc,
		                       q,
		                       late,
		                       rd_rag_word(h->rag, "-"),
		                       h->signed_at ? "yes" : "no"};
		s->row(cells, ctx, out);
	}
	s->table_end(ctx, out);
	s->para(NULL,
	        "Accepted: with or without conditions. Queries: open queries, raised by a "
	        "receiver and not yet answered. Signed: the handover signed off by a lead.",
	        ctx, out);
}

static void per_function(const struct rb_sink *s, void *ctx, FILE *out, const struct rb_data *r)
{
	static const char *const heads[] = {"Code",    "Function", "Handovers", "Items", "Accepted",
	                                    "Queries", "Overdue",  "Red",       "Amber", "Green"};
	static const int w[] = {4, 13, 9, 5, 8, 7, 7, 3, 5, 5};
	s->heading(1, "Summary by function", ctx, out);
	s->table("Functions", 10, heads, w, ctx, out);
	for (size_t i = 0; i < r->nbyfn; i++) {
		const struct rb_function *b = &r->byfn[i];
		char n[6][24];
		snprintf(n[0], sizeof n[0], "%d", b->handovers);
		snprintf(n[1], sizeof n[1], "%d", b->c.total);
		snprintf(n[2], sizeof n[2], "%d (%d%%)", b->c.done,
		         rd_percent(b->c.done, b->c.total));
		snprintf(n[3], sizeof n[3], "%d", b->c.gaps);
		snprintf(n[4], sizeof n[4], "%d", b->c.overdue);
		snprintf(n[5], sizeof n[5], "%d", b->red);
		char green[16];
		snprintf(green, sizeof green, "%d", b->green);
		char amber[16];
		snprintf(amber, sizeof amber, "%d", b->amber);
		const char *cells[] = {b->code, b->name, n[0], n[1],  n[2],
		                       n[3],    n[4],    n[5], amber, green};
		s->row(cells, ctx, out);
	}
	s->table_end(ctx, out);
	s->para(NULL,
	        "The same function of every handover together. Red, Amber, Green: how many of "
	        "them have each rating.",
	        ctx, out);
}

/* The overdue items or the open queries, every handover's. */
static void gap_list(const struct rb_sink *s, void *ctx, FILE *out, const struct rb_data *r,
                     ho_gap_kind kind)
{
	static const char *const late_heads[] = {"Handover", "Ref", "Item", "Owner", "Due"};
	static const int late_w[] = {18, 7, 25, 16, 10};
	static const char *const query_heads[] = {"Handover", "Ref", "Item", "Query", "Owner"};
	static const int query_w[] = {14, 7, 18, 23, 14};
	int late = kind == HO_GAP_OVERDUE;
	s->heading(1, late ? "Late: overdue items" : "Open queries", ctx, out);
	size_t n = 0;
	for (size_t i = 0; i < r->ngaps; i++)
		n += r->gaps[i].kind == kind;
	if (n == 0) {
		s->para(NULL, late ? "Nothing is overdue." : "No query is open.", ctx, out);
		return;
	}
	s->table(late ? "Late" : "Open queries", 5, late ? late_heads : query_heads,
	         late ? late_w : query_w, ctx, out);
	for (size_t i = 0; i < r->ngaps; i++) {
		const ho_gap *g = &r->gaps[i];
		if (g->kind != kind)
			continue;
		const ho_handover *h = handover_of(r, g->handover_id);
		const char *who = g->owner_name[0] ? g->owner_name : "nobody paired";
		const char *late_cells[] = {h ? h->title : "", g->ref, g->title, who, g->due_date};
		const char *query_cells[] = {h ? h->title : "", g->ref, g->title, g->detail, who};
		s->row(late ? late_cells : query_cells, ctx, out);
	}
	s->table_end(ctx, out);
}

static void top_risks(const struct rb_sink *s, void *ctx, FILE *out, const struct rb_data *r)
{
	static const char *const heads[] = {"Handover", "Ref", "Risk", "Score", "Owner", "Review"};
	static const int w[] = {16, 8, 21, 8, 12, 10};
	s->heading(1, "Top risks", ctx, out);
	if (r->nrisks == 0) {
		s->para(NULL, "No open risk.", ctx, out);
		return;
	}
	s->table("Top risks", 6, heads, w, ctx, out);
	for (size_t i = 0; i < r->nrisks && i < TOP_RISKS; i++) {
		const ho_risk *k = &r->risks[i];
		const ho_handover *h = handover_of(r, k->handover_id);
		char ref[48], score[24];
		rd_risk_ref(k, ref, sizeof ref);
		snprintf(score, sizeof score, "%d %s", k->score, ho_risk_level_name(k->level));
		const char *cells[] = {h ? h->title : "", ref,           k->title, score,
		                       k->owner_name,     k->review_date};
		s->row(cells, ctx, out);
	}
	s->table_end(ctx, out);
	if (r->nrisks > TOP_RISKS) {
		char buf[120];
		snprintf(buf, sizeof buf, "%zu more open risks are in the handovers' risk logs.",
		         r->nrisks - TOP_RISKS);
		s->para(NULL, buf, ctx, out);
	}
}

static void generate(const struct rb_sink *s, void *ctx, FILE *out, const void *data)
{
	const struct rb_data *r = data;
	const struct rd_doc *d = r->doc;
	s->begin(d, ctx, out);
	s->heading(0, d->doc_title, ctx, out);
	facts(s, ctx, out, r);
	summary_in_words(s, ctx, out, r);
	per_handover(s, ctx, out, r);
	per_function(s, ctx, out, r);
	gap_list(s, ctx, out, r, HO_GAP_OVERDUE);
	gap_list(s, ctx, out, r, HO_GAP_QUERY);
	top_risks(s, ctx, out, r);
	s->end(d, ctx, out);
}

/* One marking for the roll-up: the handovers', when they agree, else the
 * first that is not OFFICIAL (a stricter one is never hidden). */
static const char *rollup_marking(const struct rb_data *r)
{
	const char *m = "OFFICIAL";
	for (size_t i = 0; i < r->nh; i++)
		if (r->hs[i].marking && r->hs[i].marking[0] &&
		    strcmp(r->hs[i].marking, "OFFICIAL") != 0)
			return r->hs[i].marking;
	return m;
}

ho_status rd_rollup(ho_db *db, const ho_print_opts *opts, FILE *out)
{
	struct rb_data r;
	struct rd_doc d;
	memset(&d, 0, sizeof d);
	ho_status st = data_read(db, &r);
	if (st == HO_OK && !data_sanitise(&r))
		st = store_fail(db, HO_ENOMEM, "out of memory");
	/* By function code, once the names are the sanitised ones. */
	size_t cap = 0;
	for (size_t i = 0; i < r.nh && st == HO_OK; i++)
		for (size_t j = 0; j < r.nf[i] && st == HO_OK; j++)
			if (!byfn_add(&r, &r.fs[i][j], &cap))
				st = store_fail(db, HO_ENOMEM, "out of memory");
	char *file_title = NULL, *title = NULL;
	if (st == HO_OK) {
		file_title = ho_file_title(db);
		char *clean_title = file_title ? ho_sanitise(file_title, HO_SAN_LINE) : NULL;
		if (asprintf(&title, "Handover roll-up%s%s",
		             clean_title && *clean_title ? ": " : "",
		             clean_title ? clean_title : "") < 0)
			title = NULL;
		free(clean_title);
		st = title ? rd_load_rollup(db, &d, title, rollup_marking(&r),
		                            r.signed_off == (int)r.nh)
		           : store_fail(db, HO_ENOMEM, "out of memory");
	}
	free(file_title);
	free(title);
	if (st != HO_OK) {
		data_free(&r);
		return st;
	}
	r.doc = &d;
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = NULL;
	switch (opts->format) {
	case HO_FMT_TEXT:
		generate(&rb_text_sink, NULL, out, &r);
		break;
	case HO_FMT_MARKDOWN:
		generate(&rb_markdown_sink, NULL, out, &r);
		break;
	case HO_FMT_HTML:
		generate(&rb_html_sink, NULL, out, &r);
		break;
	case HO_FMT_CSV:
		generate(&rb_csv_sink, NULL, out, &r);
		break;
	case HO_FMT_PDF:
	case HO_FMT_DOCX:
		if (!(mem = open_memstream(&buf, &len))) {
			st = store_fail(db, HO_ENOMEM, "out of memory");
			break;
		}
		generate(opts->format == HO_FMT_PDF ? &rb_pdf_sink : &rb_docx_sink, NULL, mem, &r);
		if (ferror(mem) | fclose(mem)) {
			st = store_fail(db, HO_ENOMEM, "out of memory");
			break;
		}
		st = opts->format == HO_FMT_PDF ? rd_pdf_records(db, &d, buf, out)
		                                : rd_docx_body(db, &d, buf, len, out);
		break;
	case HO_FMT_XLSX:
		st = rd_xlsx_generate(db, &d, generate, &r, out);
		break;
	}
	free(buf);
	rd_free(&d);
	data_free(&r);
	return st;
}
