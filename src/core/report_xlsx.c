/* The handover document as an Excel workbook, written with libxlsxwriter:
 * a "Summary" sheet (one row per function), one sheet per function (one
 * row per item, named by the function's code), a "Carried forward" sheet
 * and a "Document" sheet with the cover's facts and the record of the file.
 * A document is one handover (or one function), so a sheet per function is
 * the natural split: a reader filters one function's items.
 *
 * Every sheet: a bold, filled header row, frozen, with an autofilter over
 * the rows; column widths set; dates stored as dates (yyyy-mm-dd, times
 * yyyy-mm-dd hh:mm, UTC); RAG cells filled red, amber or green. All user
 * text goes through worksheet_write_string(), so it is always a string:
 * no text typed into the file can become a formula. The document's
 * identity (the history head hash) is in the workbook's properties. */
#define _GNU_SOURCE
#include "handover/outfile.h"
#include "report_doc.h"
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_SHEETS 4096

struct column {
	const char *title;
	double width;
};

struct xl {
	lxw_workbook *wb;
	lxw_format *head, *date, *stamp, *wrap, *red, *amber, *green, *bold, *top;
	lxw_worksheet *ws; /* the sheet being written */
	lxw_worksheet *carried;
	lxw_row_t row;
	int cols;
	const struct column *colv; /* the sheet's columns, for row heights */
	int lines;                 /* the most lines a wrapped cell of the row needs */
	char footer[512];          /* the printed sheet's footer, as the PDF's */
	char **names;              /* sheet names used, for uniqueness */
	size_t nnames;
	int failed;
};

/* Excel keeps at most 32,767 characters in a cell: longer text is cut at
 * a character boundary and says so. */
/* Spreadsheets do not grow a row for wrapped text when they open the file:
 * the lines a wrapped cell needs, counted roughly (characters per line from
 * the column's width), set the row's height at its end (row_done). */
static void count_lines(struct xl *x, lxw_col_t c, const char *s)
{
	if (!x->colv || (int)c >= x->cols)
		return;
	int per = (int)(x->colv[c].width * 1.1);
	int lines = 1, run = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n') {
			lines++;
			run = 0;
		} else if ((*p & 0xC0) != 0x80 && ++run > per) {
			lines++;
			run = 0;
		}
	}
	if (lines > x->lines)
		x->lines = lines;
}

static void row_done(struct xl *x, lxw_row_t r)
{
	if (x->lines > 1)
		worksheet_set_row(x->ws, r, x->lines > 27 ? 409 : 15.0 * x->lines, NULL);
	x->lines = 0;
}

static void text(struct xl *x, lxw_row_t r, lxw_col_t c, const char *s, lxw_format *f)
{
	if (!s || !*s)
		return;
	if (f == x->wrap)
		count_lines(x, c, s);
	if (!f)
		f = x->top; /* every cell at the top of its row, beside wrapped ones */
	size_t n = strlen(s);
	if (n <= 32000) {
		if (worksheet_write_string(x->ws, r, c, s, f) != LXW_NO_ERROR)
			x->failed = 1;
		return;
	}
	size_t cut = 32000;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	char *t = malloc(cut + 32);
	if (!t) {
		x->failed = 1;
		return;
	}
	memcpy(t, s, cut);
	strcpy(t + cut, " [cut: too long for a cell]");
	if (worksheet_write_string(x->ws, r, c, t, f) != LXW_NO_ERROR)
		x->failed = 1;
	free(t);
}

static void number(struct xl *x, lxw_row_t r, lxw_col_t c, double v)
{
	worksheet_write_number(x->ws, r, c, v, x->top);
}

/* "YYYY-MM-DD" as a date; anything else as text. */
static void date(struct xl *x, lxw_row_t r, lxw_col_t c, const char *s)
{
	int y, m, d;
	char tail;
	if (s && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3 && y > 1900 && m >= 1 &&
	    m <= 12 && d >= 1 && d <= 31) {
		lxw_datetime dt = {y, m, d, 0, 0, 0};
		worksheet_write_datetime(x->ws, r, c, &dt, x->date);
	} else {
		text(x, r, c, s, NULL);
	}
}

static void stamp(struct xl *x, lxw_row_t r, lxw_col_t c, int64_t at)
{
	if (!at)
		return;
	time_t t = (time_t)at;
	struct tm tm;
	gmtime_r(&t, &tm);
	lxw_datetime dt = {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	                   tm.tm_hour,        tm.tm_min,     tm.tm_sec};
	worksheet_write_datetime(x->ws, r, c, &dt, x->stamp);
}

static void rag(struct xl *x, lxw_row_t r, lxw_col_t c, ho_rag v)
{
	lxw_format *f = v == HO_RAG_RED     ? x->red
	                : v == HO_RAG_AMBER ? x->amber
	                : v == HO_RAG_GREEN ? x->green
	                                    : NULL;
	text(x, r, c, rd_rag_word(v, ""), f);
}

/* A sheet name Excel accepts: at most 31 characters, none of []:*?/\,
 * not starting or ending with ', unique in the workbook (case-blind). */
static lxw_worksheet *sheet(struct xl *x, const char *want)
{
	char name[32 * 4 + 8], base[32 * 4];
	size_t n = 0, chars = 0;
	for (const unsigned char *p = (const unsigned char *)(want ? want : ""); *p && chars < 28;
	     p++) {
		unsigned char ch = *p;
		if (strchr("[]:*?/\\", ch) || ch < 0x20)
			ch = '_';
		if ((ch & 0xC0) != 0x80)
			chars++;
		base[n++] = (char)ch;
	}
	/* no half character at the end */
	while (n > 0 && ((unsigned char)base[n - 1] & 0xC0) == 0xC0)
		n--;
	while (n > 0 && base[n - 1] == '\'')
		n--;
	base[n] = '\0';
	size_t skip = base[0] == '\'' ? 1 : 0;
	snprintf(name, sizeof name, "%s", n > skip ? base + skip : "Sheet");
	for (int k = 2;; k++) {
		int clash = 0;
		for (size_t i = 0; i < x->nnames && !clash; i++)
			clash = strcasecmp(x->names[i], name) == 0;
		if (!clash)
			break;
		snprintf(name, sizeof name, "%s~%d", n > skip ? base + skip : "Sheet", k);
	}
	if (x->nnames >= MAX_SHEETS) {
		x->failed = 1;
		return NULL;
	}
	x->names[x->nnames++] = strdup(name);
	lxw_worksheet *ws = workbook_add_worksheet(x->wb, name);
	if (!ws)
		x->failed = 1;
	return ws;
}

/* A sheet's header row, frozen, with its widths. */
static void header(struct xl *x, const struct column *c, int n)
{
	for (int i = 0; i < n; i++) {
		worksheet_write_string(x->ws, 0, (lxw_col_t)i, c[i].title, x->head);
		worksheet_set_column(x->ws, (lxw_col_t)i, (lxw_col_t)i, c[i].width,
		                     c[i].width >= 40 ? x->wrap : NULL);
	}
	x->colv = c;
	x->lines = 0;
	worksheet_freeze_panes(x->ws, 1, 0);
	/* Printed from the spreadsheet: A4 landscape, every column on the
	 * page, the header row on every page. */
	worksheet_set_paper(x->ws, 9);
	worksheet_set_landscape(x->ws);
	worksheet_fit_to_pages(x->ws, 1, 0);
	worksheet_repeat_rows(x->ws, 0, 0);
	worksheet_set_footer(x->ws, x->footer);
	x->row = 1;
	x->cols = n;
}

/* The autofilter over the header and every row. */
static void close_sheet(struct xl *x)
{
	if (x->ws)
		worksheet_autofilter(x->ws, 0, 0, x->row > 1 ? x->row - 1 : 1,
		                     (lxw_col_t)(x->cols - 1));
}

static const struct column summary_cols[] = {
    {"Code", 8},           {"Function", 36},
    {"Sender", 24},        {"Receiver", 24},
    {"Due date", 12},      {"Items", 7},
    {"Handed over", 9},    {"Not applicable", 9},
    {"Accepted", 9},       {"With conditions", 9},
    {"Open queries", 8},   {"Overdue", 8},
    {"Progress %", 9},     {"RAG", 8},
    {"Sender signed", 17}, {"Receiver signed", 17},
};

static void summary(const struct rd_at *at, FILE *out)
{
	(void)out;
	struct xl *x = at->ctx;
	const struct rd_doc *d = at->d;
	if (!(x->ws = sheet(x, "Summary")))
		return;
	header(x, summary_cols, (int)(sizeof summary_cols / sizeof *summary_cols));
	for (size_t i = 0; i < d->nfns; i++, x->row++) {
		const ho_function *f = d->fns[i].f;
		const ho_counts *c = &f->counts;
		lxw_row_t r = x->row;
		text(x, r, 0, f->code, NULL);
		text(x, r, 1, f->name, NULL);
		text(x, r, 2, f->sender_name, NULL);
		text(x, r, 3, f->receiver_name, NULL);
		date(x, r, 4, f->due_date);
		number(x, r, 5, c->total);
		number(x, r, 6, c->handed_over);
		number(x, r, 7, c->not_applicable);
		number(x, r, 8, c->done);
		number(x, r, 9, c->conditions);
		number(x, r, 10, c->gaps);
		number(x, r, 11, c->overdue);
		number(x, r, 12, rd_percent(c->done, c->total));
		rag(x, r, 13, f->rag);
		stamp(x, r, 14, f->sender_signed_at);
		stamp(x, r, 15, f->receiver_signed_at);
	}
	close_sheet(x);
}

static const struct column item_cols[] = {
    {"Ref", 9},       {"Item", 44},           {"Due date", 12},
    {"Overdue", 8},   {"Sender state", 16},   {"Receiver state", 18},
    {"RAG", 8},       {"Owner now", 22},      {"Guidance", 60},
    {"Evidence", 40}, {"N/A reason", 30},     {"Condition", 40},
    {"Thread", 60},   {"Last change by", 22}, {"Last change at", 17},
};

static void function_begin(const struct rd_at *at, FILE *out)
{
	(void)out;
	struct xl *x = at->ctx;
	if (!(x->ws = sheet(x, at->rf->f->code)))
		return;
	header(x, item_cols, (int)(sizeof item_cols / sizeof *item_cols));
}

static void item_begin(const struct rd_at *at, FILE *out)
{
	(void)out;
	struct xl *x = at->ctx;
	const ho_item *it = at->it;
	if (!x->ws)
		return;
	lxw_row_t r = x->row;
	text(x, r, 0, it->ref, NULL);
	text(x, r, 1, it->title, x->wrap);
	date(x, r, 2, it->due_date);
	text(x, r, 3, it->overdue ? "yes" : "no", NULL);
	text(x, r, 4, ho_sender_state_name(it->sender_state), NULL);
	text(x, r, 5, ho_receiver_state_doc(it->receiver_state), NULL);
	rag(x, r, 6, it->rag);
	text(x, r, 7, rd_owner(at->rf, it), NULL);
	text(x, r, 8, it->guidance, x->wrap);
	text(x, r, 9, it->evidence, x->wrap);
	text(x, r, 10, it->na_reason, x->wrap);
	text(x, r, 11, it->condition, x->wrap);
	text(x, r, 13, it->updated_by, NULL);
	stamp(x, r, 14, it->updated_at);
}

/* The thread in one cell, an entry a paragraph. */
static void thread_begin(const struct rd_at *at, FILE *out)
{
	(void)out;
	const struct rd_thread *t = &at->rf->threads[at->item];
	struct xl *x = at->ctx;
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m) {
		x->failed = 1;
		return;
	}
	for (size_t k = 0; k < t->n; k++) {
		const ho_thread_entry *e = &t->entries[k];
		char when[24], status[40];
		ho_time_format(e->at, when, sizeof when);
		rd_thread_status(e, status, sizeof status);
		fprintf(m, "%s%s, %s, %s%s%s%s:\n%s", k ? "\n\n" : "", when, e->author_name,
		        ho_thread_kind_name(e->kind), status[0] ? " (" : "", status,
		        status[0] ? ")" : "", e->body);
	}
	if (fclose(m) != 0) {
		x->failed = 1;
	} else if (x->ws) {
		text(x, x->row, 12, buf, x->wrap);
	}
	free(buf);
}

static void item_end(const struct rd_at *at, FILE *out)
{
	(void)out;
	struct xl *x = at->ctx;
	if (x->ws)
		row_done(x, x->row);
	x->row++;
}

static void function_end(const struct rd_at *at, FILE *out)
{
	(void)out;
	close_sheet(at->ctx);
}

static const struct column carried_cols[] = {
    {"Section", 30}, {"Who acts", 30}, {"Ref", 9},    {"Item", 40},
    {"State", 22},   {"Detail", 60},   {"Owner", 24}, {"Due date", 12},
};

static void carried_begin(const struct rd_at *at, FILE *out)
{
	(void)out;
	struct xl *x = at->ctx;
	if (!(x->ws = sheet(x, "Carried forward")))
		return;
	header(x, carried_cols, (int)(sizeof carried_cols / sizeof *carried_cols));
}

static void carried(const struct rd_at *at, FILE *out)
{
	(void)out;
	struct xl *x = at->ctx;
	const struct rd_carry_row *row = at->row;
	if (!x->ws)
		return;
	lxw_row_t r = x->row++;
	text(x, r, 0, rd_carry_heading(row->section), NULL);
	text(x, r, 1, row->group ? row->group : "", NULL);
	text(x, r, 2, row->ref, NULL);
	text(x, r, 3, row->title, x->wrap);
	text(x, r, 4, row->what, NULL);
	text(x, r, 5, row->detail, x->wrap);
	text(x, r, 6, row->owner, NULL);
	date(x, r, 7, row->due);
	row_done(x, r);
}

static void carried_end(const struct rd_at *at, FILE *out)
{
	(void)out;
	close_sheet(at->ctx);
}

/* The Document sheet: the cover's facts and the record of the file. The
 * facts come through rd_cover_facts() into memory, a label and a value a
 * record (separators that sanitised text never holds). */
static void fact(FILE *out, const char *label, const char *value)
{
	fprintf(out, "%s\x1f%s\x1e", label, value ? value : "");
}

static void end(const struct rd_at *at, FILE *unused)
{
	(void)unused;
	struct xl *x = at->ctx;
	const struct rd_doc *d = at->d;
	static const struct column cols[] = {{"Fact", 26}, {"Value", 90}};
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	if (!out) {
		x->failed = 1;
		return;
	}
	fact(out, "Document", d->doc_title);
	rd_cover_facts(d, RD_FACTS_ABOUT, fact, out);
	rd_cover_facts(d, RD_FACTS_SIGNOFF, fact, out);
	rd_cover_facts(d, RD_FACTS_CONTROL, fact, out);
	rd_exec_summary(d, fact, out);
	char status[HO_MAX_NAME + 16];
	rd_page_status(d, status, sizeof status);
	fact(out, "Security marking", status);
	if (fclose(out) != 0 || !(x->ws = sheet(x, "Document"))) {
		x->failed = 1;
		free(buf);
		return;
	}
	header(x, cols, 2);
	for (char *rec = buf; rec && *rec;) {
		char *next = strchr(rec, '\x1e'), *sep = strchr(rec, '\x1f');
		if (next)
			*next++ = '\0';
		if (sep) {
			*sep = '\0';
			text(x, x->row, 0, rec, x->bold);
			text(x, x->row, 1, sep + 1, x->wrap);
			row_done(x, x->row);
			x->row++;
		}
		rec = next;
	}
	free(buf);
	close_sheet(x);
}

const struct rd_writer rd_xlsx_writer = {
    .summary = summary,
    .function_begin = function_begin,
    .item_begin = item_begin,
    .thread_begin = thread_begin,
    .item_end = item_end,
    .function_end = function_end,
    .carried_begin = carried_begin,
    .carried = carried,
    .carried_end = carried_end,
    .end = end,
};

static lxw_format *fill(lxw_workbook *wb, uint32_t bg, uint32_t fg)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_bg_color(f, bg);
	format_set_pattern(f, LXW_PATTERN_SOLID);
	format_set_font_color(f, fg);
	format_set_bold(f);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	return f;
}

/* Make the workbook (formats, footer, properties), let fill write its
 * sheets, and copy it to out. */
static ho_status workbook_run(ho_db *db, const struct rd_doc *d,
                              void (*sheets)(struct xl *x, const void *arg), const void *arg,
                              FILE *out)
{
	const char *dir = getenv("TMPDIR");
	char *path = NULL;
	int fd = ho_temp_file(dir && *dir ? dir : "/tmp", "handover", ".xlsx", 0600, &path);
	if (fd < 0)
		return store_fail(db, HO_EIO, "xlsx: cannot make a temporary file: %s",
		                  strerror(errno));
	close(fd);
	ho_status st = HO_OK;
	struct xl x = {0};
	x.names = calloc(MAX_SHEETS, sizeof *x.names);
	lxw_workbook_options wo = {.constant_memory = LXW_FALSE, .tmpdir = (char *)dir};
	x.wb = x.names ? workbook_new_opt(path, &wo) : NULL;
	if (!x.wb) {
		st = store_fail(db, HO_ENOMEM, "xlsx: cannot start the workbook");
		goto cleanup;
	}
	x.head = workbook_add_format(x.wb);
	format_set_bold(x.head);
	format_set_bg_color(x.head, 0xDDE3EA);
	format_set_pattern(x.head, LXW_PATTERN_SOLID);
	format_set_bottom(x.head, LXW_BORDER_THIN);
	format_set_text_wrap(x.head);
	format_set_align(x.head, LXW_ALIGN_VERTICAL_TOP);
	x.date = workbook_add_format(x.wb);
	format_set_num_format(x.date, "yyyy-mm-dd");
	format_set_align(x.date, LXW_ALIGN_VERTICAL_TOP);
	x.stamp = workbook_add_format(x.wb);
	format_set_num_format(x.stamp, "yyyy-mm-dd hh:mm");
	format_set_align(x.stamp, LXW_ALIGN_VERTICAL_TOP);
	x.top = workbook_add_format(x.wb);
	format_set_align(x.top, LXW_ALIGN_VERTICAL_TOP);
	x.wrap = workbook_add_format(x.wb);
	format_set_text_wrap(x.wrap);
	format_set_align(x.wrap, LXW_ALIGN_VERTICAL_TOP);
	x.bold = workbook_add_format(x.wb);
	format_set_bold(x.bold);
	format_set_align(x.bold, LXW_ALIGN_VERTICAL_TOP);
	/* Excel's footer codes: &L &C &R the parts, &P the page, &N the pages;
	 * the marking is the lead's text, so its own & are doubled. */
	char page[HO_MAX_NAME + 16], doubled[2 * sizeof page];
	rd_page_status(d, page, sizeof page);
	size_t k = 0;
	for (const char *c = page; *c && k + 2 < sizeof doubled; c++) {
		if (*c == '&')
			doubled[k++] = '&';
		doubled[k++] = *c;
	}
	doubled[k] = '\0';
	snprintf(x.footer, sizeof x.footer, "&L%s&CPrinted %s UTC&RPage &P of &N", doubled,
	         d->printed);
	x.red = fill(x.wb, 0xC00000, 0xFFFFFF);
	x.amber = fill(x.wb, 0xFFC000, 0x000000);
	x.green = fill(x.wb, 0x00B050, 0xFFFFFF);

	char subject[300], comments[200];
	snprintf(subject, sizeof subject, "Handover document: %s",
	         d->h->service[0] ? d->h->service : d->h->title);
	char head[72], status[8];
	snprintf(comments, sizeof comments, "Head hash of the file's history at printing: %s",
	         d->head[0] ? d->head : "(no history yet)");
	snprintf(head, sizeof head, "%s", d->head);
	snprintf(status, sizeof status, "%s", d->h->signed_at ? "FINAL" : "DRAFT");
	lxw_doc_properties props = {
	    .title = d->doc_title,
	    .subject = subject,
	    .author = d->printed_by,
	    .company = d->h->sender_org,
	    .keywords = head,
	    .comments = comments,
	    .status = status,
	    .created = (time_t)d->printed_at,
	};
	workbook_set_properties(x.wb, &props);
	workbook_set_custom_property_string(x.wb, "Head hash", d->head[0] ? d->head : "none");
	workbook_set_custom_property_string(x.wb, "State digest", d->state);
	workbook_set_custom_property_string(x.wb, "Security marking",
	                                    d->h->marking && d->h->marking[0] ? d->h->marking
	                                                                      : "OFFICIAL");

	sheets(&x, arg);
	lxw_error e = workbook_close(x.wb);
	x.wb = NULL;
	if (e != LXW_NO_ERROR || x.failed) {
		st = store_fail(db, HO_EIO, "xlsx: cannot write the workbook: %s",
		                e != LXW_NO_ERROR ? lxw_strerror(e) : "a cell was refused");
		goto cleanup;
	}
	FILE *in = fopen(path, "rb");
	if (!in) {
		st = store_fail(db, HO_EIO, "xlsx: %s", strerror(errno));
		goto cleanup;
	}
	char buf[16384];
	size_t got;
	while ((got = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, got, out) != got)
			break;
	if (ferror(in))
		st = store_fail(db, HO_EIO, "xlsx: reading the scratch file: %s", strerror(errno));
	fclose(in);
cleanup:
	if (x.wb)
		workbook_close(x.wb);
	for (size_t i = 0; i < x.nnames; i++)
		free(x.names[i]);
	free(x.names);
	unlink(path);
	free(path);
	return st;
}

static void walk_fill(struct xl *x, const void *arg)
{
	rd_walk_ctx(arg, &rd_xlsx_writer, x, NULL);
}

ho_status rd_xlsx(ho_db *db, const struct rd_doc *d, FILE *out)
{
	return workbook_run(db, d, walk_fill, d, out);
}

/* ---- the roll-up --------------------------------------------------------------- */

/* A sheet per table, named by it; the summary's paragraphs on a sheet of
 * their own. A cell that is a whole number is stored as a number. */
static struct column rb_cols[16];
static int rb_facts;
static lxw_worksheet *rb_words; /* the "Summary" sheet */
static lxw_row_t rb_words_row;

static void rb_begin(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx, (void)out;
	rb_words = NULL;
	rb_words_row = 0;
}

static void rb_heading(int level, const char *text, void *ctx, FILE *out)
{
	(void)level, (void)text, (void)ctx, (void)out;
}

static void rb_para(const char *label, const char *body, void *ctx, FILE *out)
{
	(void)out;
	struct xl *x = ctx;
	static const struct column cols[] = {{"Part", 18}, {"Summary", 100}};
	if (!label)
		return;
	if (!rb_words) {
		if (!(rb_words = x->ws = sheet(x, "Summary")))
			return;
		header(x, cols, 2);
		rb_words_row = 1;
	}
	x->ws = rb_words;
	x->colv = cols;
	x->cols = 2;
	text(x, rb_words_row, 0, label, x->bold);
	text(x, rb_words_row, 1, body, x->wrap);
	row_done(x, rb_words_row);
	rb_words_row++;
	x->row = rb_words_row;
}

static void rb_table(const char *name, int ncols, const char *const *heads, const int *widths,
                     void *ctx, FILE *out)
{
	(void)out;
	struct xl *x = ctx;
	if (rb_words && x->ws == rb_words)
		close_sheet(x);
	rb_facts = heads == NULL;
	int n = ncols < 16 ? ncols : 16;
	for (int i = 0; i < n; i++) {
		rb_cols[i].title = heads ? heads[i] : i == 0 ? "Fact" : "Value";
		rb_cols[i].width = heads ? (widths[i] < 8 ? 9 : widths[i] * 1.4) : (i ? 90 : 18);
	}
	if (!(x->ws = sheet(x, name)))
		return;
	header(x, rb_cols, n);
}

static void rb_row(const char *const *cells, void *ctx, FILE *out)
{
	(void)out;
	struct xl *x = ctx;
	if (!x->ws)
		return;
	lxw_row_t r = x->row++;
	for (int i = 0; i < x->cols; i++) {
		const char *c = cells[i] ? cells[i] : "";
		char *end = NULL;
		long v = strtol(c, &end, 10);
		if (!rb_facts && *c && end && *end == '\0' && strlen(c) < 10)
			number(x, r, (lxw_col_t)i, (double)v);
		else
			text(x, r, (lxw_col_t)i, c, rb_cols[i].width >= 40 ? x->wrap : NULL);
	}
	row_done(x, r);
}

static void rb_table_end(void *ctx, FILE *out)
{
	(void)out;
	close_sheet(ctx);
}

static void rb_end(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx, (void)out;
}

const struct rb_sink rb_xlsx_sink = {rb_begin, rb_heading,   rb_para, rb_table,
                                     rb_row,   rb_table_end, rb_end};

struct generation {
	rb_generate gen;
	const void *data;
};

static void generate_fill(struct xl *x, const void *arg)
{
	const struct generation *g = arg;
	g->gen(&rb_xlsx_sink, x, NULL, g->data);
}

ho_status rd_xlsx_generate(ho_db *db, const struct rd_doc *d, rb_generate gen, const void *data,
                           FILE *out)
{
	struct generation g = {gen, data};
	return workbook_run(db, d, generate_fill, &g, out);
}
