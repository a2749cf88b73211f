/* One CSV row per item: the handover document's csv format and the whole
 * tracker's export share these columns, and import reads them back. */
#define _GNU_SOURCE
#include "report_doc.h"
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *const rd_csv_columns[] = {
    "Handover ID",
    "Handover",
    "Function code",
    "Function name",
    "Function due date",
    "Ref",
    "Item title",
    "Guidance",
    "Due date",
    "Sender",
    "Sender login",
    "Receiver",
    "Receiver login",
    "Sender state",
    "Receiver state",
    "Owner",
    "RAG",
    "Overdue",
    "Evidence",
    "N/A reason",
    "Condition",
    /* Who meets the condition and by when, as carried forward. */
    "Condition owner",
    "Condition due",
    "Open queries",
    "Latest open query",
    "Thread entries",
    "Last changed by",
    "Last changed at",
    "Sender signed off",
    "Receiver signed off",
    /* The file's state when written, as on the printed documents: two
     * sheets with the same pair came from the same state. */
    "Head hash",
    "State digest",
};
const size_t rd_csv_column_count = sizeof rd_csv_columns / sizeof *rd_csv_columns;

static void rd_csv_header(struct csv_writer *w)
{
	for (size_t i = 0; i < rd_csv_column_count; i++)
		csv_cell(w, rd_csv_columns[i]);
	csv_row_end(w);
}

static void time_cell(struct csv_writer *w, int64_t at)
{
	char buf[24] = "";
	if (at)
		ho_time_format(at, buf, sizeof buf);
	csv_cell(w, buf);
}

/* The carried-forward row of an item's condition; NULL when it has none. */
static const struct rd_carry_row *condition_of(const struct rd_doc *d, const ho_item *it)
{
	if (it->receiver_state != HO_RECEIVER_CONDITIONS)
		return NULL;
	for (size_t i = 0; i < d->ncarry && d->carry[i].section == RD_CARRY_CONDITION; i++)
		if (strcmp(d->carry[i].ref, it->ref) == 0)
			return &d->carry[i];
	return NULL;
}

static const char *latest_open_query(const struct rd_thread *t)
{
	for (size_t k = t ? t->n : 0; k-- > 0;)
		if (t->entries[k].kind == HO_THREAD_QUERY && !t->entries[k].resolved_at)
			return t->entries[k].body;
	return "";
}

/* The header row, after the byte order mark when wanted. */
static void header(const struct rd_at *at, FILE *out)
{
	(void)at;
	struct csv_writer w;
	csv_begin(&w, out, csv_bom_wanted());
	rd_csv_header(&w);
}

/* One item's row. */
static void row(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const struct rd_function *rf = at->rf;
	const ho_function *f = rf->f;
	const ho_item *it = at->it;
	size_t j = at->item;
	struct csv_writer csv, *w = &csv;
	csv_begin(w, out, 0);
	csv_cell_int(w, d->h->id);
	csv_cell(w, d->h->title);
	csv_cell(w, f->code);
	csv_cell(w, f->name);
	csv_cell(w, f->due_date);
	csv_cell(w, it->ref);
	csv_cell(w, it->title);
	csv_cell(w, it->guidance);
	csv_cell(w, it->due_date);
	csv_cell(w, f->sender_name);
	csv_cell(w, f->sender_login);
	csv_cell(w, f->receiver_name);
	csv_cell(w, f->receiver_login);
	csv_cell(w, ho_sender_state_name(it->sender_state));
	csv_cell(w, it->receiver_state == HO_RECEIVER_NONE
	                ? ""
	                : ho_receiver_state_name(it->receiver_state));
	csv_cell(w, rd_owner(rf, it));
	csv_cell(w, ho_rag_name(it->rag));
	csv_cell(w, it->overdue ? "yes" : "no");
	csv_cell(w, it->evidence);
	csv_cell(w, it->na_reason);
	csv_cell(w, it->condition);
	const struct rd_carry_row *cond = condition_of(d, it);
	csv_cell(w, cond ? cond->owner : "");
	csv_cell(w, cond ? cond->due : "");
	csv_cell_int(w, it->open_queries);
	csv_cell(w, latest_open_query(rf->threads ? &rf->threads[j] : NULL));
	csv_cell_int(w, it->thread_count);
	csv_cell(w, it->updated_by);
	time_cell(w, it->updated_at);
	time_cell(w, f->sender_signed_at);
	time_cell(w, f->receiver_signed_at);
	csv_cell(w, d->head);
	csv_cell(w, d->state);
	csv_row_end(w);
}

const struct rd_writer rd_csv_writer = {.begin = header, .item_begin = row};

ho_status ho_export_csv(ho_db *db, FILE *out)
{
	ho_handover *hs = NULL;
	size_t n = 0;
	ho_status st = ho_handovers_list(db, &hs, &n);
	if (st != HO_OK)
		return st;
	/* One header, then every handover's rows. */
	struct rd_writer rows = rd_csv_writer;
	rows.begin = NULL;
	header(NULL, out);
	for (size_t i = 0; i < n && st == HO_OK; i++) {
		struct rd_doc d;
		ho_print_opts o = {.handover_id = hs[i].id, .format = HO_FMT_CSV};
		if ((st = rd_load(db, &o, &d)) != HO_OK)
			break;
		rd_walk(&d, &rows, out);
		rd_free(&d);
	}
	ho_handover_free(hs, n);
	if (st == HO_OK && (fflush(out) != 0 || ferror(out)))
		st = store_fail(db, HO_EIO, "writing the export: %s", strerror(errno));
	return st;
}

/* ---- the roll-up --------------------------------------------------------------- */

/* One file, every table in turn: each row starts with its table's name, a
 * table's head row first; the summary's paragraphs are rows named
 * "Summary". */
static struct {
	struct csv_writer w;
	const char *name;
	int n;
} rb_csv;

static void rb_begin(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx;
	csv_begin(&rb_csv.w, out, csv_bom_wanted());
}

static void rb_heading(int level, const char *text, void *ctx, FILE *out)
{
	(void)level, (void)text, (void)ctx, (void)out;
}

static void rb_para(const char *label, const char *text, void *ctx, FILE *out)
{
	(void)ctx, (void)out;
	if (!label)
		return;
	csv_cell(&rb_csv.w, "Summary");
	csv_cell(&rb_csv.w, label);
	csv_cell(&rb_csv.w, text);
	csv_row_end(&rb_csv.w);
}

static void rb_table(const char *name, int ncols, const char *const *heads, const int *widths,
                     void *ctx, FILE *out)
{
	(void)widths, (void)ctx, (void)out;
	static const char *const fact_heads[] = {"Fact", "Value"};
	rb_csv.name = name;
	rb_csv.n = ncols;
	if (!heads)
		heads = fact_heads;
	csv_cell(&rb_csv.w, name);
	for (int i = 0; i < ncols; i++)
		csv_cell(&rb_csv.w, heads[i]);
	csv_row_end(&rb_csv.w);
}

static void rb_row(const char *const *cells, void *ctx, FILE *out)
{
	(void)ctx, (void)out;
	csv_cell(&rb_csv.w, rb_csv.name);
	for (int i = 0; i < rb_csv.n; i++)
		csv_cell(&rb_csv.w, cells[i]);
	csv_row_end(&rb_csv.w);
}

static void rb_table_end(void *ctx, FILE *out)
{
	(void)ctx, (void)out;
}

static void rb_end(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx, (void)out;
}

const struct rb_sink rb_csv_sink = {rb_begin, rb_heading,   rb_para, rb_table,
                                    rb_row,   rb_table_end, rb_end};
