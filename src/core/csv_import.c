/* Importing a checklist from a spreadsheet's CSV.
 *
 * Columns are found by their header (any case; spaces, '_' and '-' alike):
 * function code and item title are required; function name (required for
 * a function the handover does not have yet), guidance, due date, function
 * due date, ref, handover id and handover are used; every other column of
 * an export (people, states, evidence, ...) is known and ignored: states
 * change only by the people who act, never by a sheet. Anything else is
 * refused: a column nobody knows may be a typo that would silently lose
 * data.
 *
 * Which handover a row belongs to: --handover when given; else its Handover
 * ID when the file has that handover and its title agrees with the
 * Handover cell; else the handover with that title; else a new handover of
 * that title. A sheet without either column goes into the only handover.
 *
 * The whole file is read and checked, and every row matched against the
 * file (import_match.c), before anything is written; the plan is then
 * written in one transaction: a bad file leaves the handover file as it
 * was, and the message names the line. Dates are YYYY-MM-DD or DD/MM/YYYY
 * (a UK spreadsheet's own format). */
#define _GNU_SOURCE
#include "csv.h"
#include "import_match.h"
#include "report_doc.h"
#include "store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Larger than any checklist; refusing early keeps memory bounded. */
#define IMPORT_MAX_BYTES (32L * 1024 * 1024)

enum col {
	COL_CODE,
	COL_NAME,
	COL_TITLE,
	COL_GUIDANCE,
	COL_DUE,
	COL_FUNCTION_DUE,
	COL_REF,
	COL_HANDOVER_ID,
	COL_HANDOVER,
	COL__USED,
	COL_IGNORED = COL__USED
};

static const struct {
	const char *header; /* normalised */
	enum col col;
} known[] = {
    {"function code", COL_CODE},
    {"code", COL_CODE},
    {"function name", COL_NAME},
    {"function", COL_NAME},
    {"item title", COL_TITLE},
    {"item", COL_TITLE},
    {"title", COL_TITLE},
    {"guidance", COL_GUIDANCE},
    {"due date", COL_DUE},
    {"due", COL_DUE},
    {"item due date", COL_DUE},
    {"function due date", COL_FUNCTION_DUE},
    {"ref", COL_REF},
    {"reference", COL_REF},
    {"handover id", COL_HANDOVER_ID},
    {"handover", COL_HANDOVER},
};

struct row {
	int line;
	size_t target; /* index into the import's targets */
	char *code, *name, *title, *guidance, *due, *function_due, *ref, *handover_id, *handover;
};

struct import {
	ho_db *db;
	const char *file; /* sanitised, for messages */
	int map[64];      /* header index -> enum col */
	int seen[COL__USED];
	size_t ncols;
	struct row *rows;
	size_t nrows, cap;
};

/* "Function_Code " -> "function code". */
static void normalise(const char *in, char *out, size_t size)
{
	size_t n = 0;
	int space = 0;
	for (const char *p = in; *p && n + 1 < size; p++) {
		char c = *p;
		if (c == ' ' || c == '_' || c == '-' || c == '\t') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < size)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)tolower((unsigned char)c);
	}
	out[n] = '\0';
}

static int known_column(const char *header, enum col *col)
{
	char norm[128];
	normalise(header, norm, sizeof norm);
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(norm, known[i].header) == 0) {
			*col = known[i].col;
			return 1;
		}
	for (size_t i = 0; i < rd_csv_column_count; i++) {
		char other[128];
		normalise(rd_csv_columns[i], other, sizeof other);
		if (strcmp(norm, other) == 0) {
			*col = COL_IGNORED;
			return 1;
		}
	}
	return 0;
}

static ho_status refuse(struct import *im, int line, const char *what)
{
	return store_fail(im->db, HO_EUSAGE, "%s line %d: %s; nothing imported", im->file, line,
	                  what);
}

static ho_status read_header(struct import *im, const struct csv_record *rec)
{
	int *seen = im->seen;
	char msg[300];
	if (rec->n > sizeof im->map / sizeof *im->map)
		return refuse(im, rec->line, "too many columns");
	for (size_t i = 0; i < rec->n; i++) {
		enum col c;
		const char *h = csv_unneutralise(rec->cells[i]);
		if (!known_column(h, &c)) {
			char *clean = ho_sanitise(h, HO_SAN_LINE);
			snprintf(msg, sizeof msg,
			         "unknown column \"%.60s\"%s (the first row names the columns: "
			         "function code, function name, item title, guidance, due date)",
			         clean ? clean : "",
			         strchr(h, ';') ? "; the file must be comma-separated" : "");
			free(clean);
			return refuse(im, rec->line, msg);
		}
		if (c != COL_IGNORED && seen[c]++) {
			char *clean = ho_sanitise(h, HO_SAN_LINE);
			snprintf(msg, sizeof msg, "column \"%.60s\" appears twice",
			         clean ? clean : "");
			free(clean);
			return refuse(im, rec->line, msg);
		}
		im->map[i] = (int)c;
	}
	im->ncols = rec->n;
	if (!seen[COL_CODE])
		return refuse(im, rec->line, "the header has no \"function code\" column");
	if (!seen[COL_TITLE])
		return refuse(im, rec->line, "the header has no \"item title\" column");
	return HO_OK;
}

static char *trimmed(const char *s)
{
	s = csv_unneutralise(s);
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return strndup(s, n);
}

/* A date cell as the prompts take dates (ho_date_parse_user): the result
 * is YYYY-MM-DD, "" for an empty cell, NULL when malformed. */
static char *parse_date(const char *s)
{
	char iso[11];
	if (!*s)
		return strdup("");
	return ho_date_parse_user(s, iso) == 0 ? strdup(iso) : NULL;
}

static int code_valid(const char *code)
{
	size_t len = strlen(code);
	if (len < 2 || len > 8 || !(code[0] >= 'A' && code[0] <= 'Z'))
		return 0;
	for (const char *c = code; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return 0;
	return 1;
}

static void row_free(struct row *r)
{
	free(r->code);
	free(r->name);
	free(r->title);
	free(r->guidance);
	free(r->due);
	free(r->function_due);
	free(r->ref);
	free(r->handover_id);
	free(r->handover);
}

static int all_empty(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		for (const char *p = rec->cells[i]; *p; p++)
			if (*p != ' ')
				return 0;
	return 1;
}

static ho_status read_row(struct import *im, const struct csv_record *rec)
{
	char msg[300];
	if (rec->n != im->ncols) {
		snprintf(msg, sizeof msg, "%zu cells where the header has %zu", rec->n, im->ncols);
		return refuse(im, rec->line, msg);
	}
	if (!store_grow((void **)&im->rows, &im->cap, im->nrows, sizeof *im->rows))
		return store_fail(im->db, HO_ENOMEM, "out of memory");
	struct row *r = &im->rows[im->nrows];
	memset(r, 0, sizeof *r);
	r->line = rec->line;
	char *cell[COL__USED] = {0};
	int ok = 1;
	for (size_t i = 0; i < rec->n && ok; i++)
		if (im->map[i] != COL_IGNORED)
			ok = (cell[im->map[i]] = trimmed(rec->cells[i])) != NULL;
	for (int c = 0; c < COL__USED && ok; c++)
		if (!cell[c])
			ok = (cell[c] = strdup("")) != NULL;
	if (!ok) {
		for (int c = 0; c < COL__USED; c++)
			free(cell[c]);
		return store_fail(im->db, HO_ENOMEM, "out of memory");
	}
	r->code = cell[COL_CODE];
	r->name = cell[COL_NAME];
	r->title = cell[COL_TITLE];
	r->guidance = cell[COL_GUIDANCE];
	r->ref = cell[COL_REF];
	r->handover_id = cell[COL_HANDOVER_ID];
	r->handover = cell[COL_HANDOVER];
	im->nrows++; /* owned by the list from here on */
	for (char *p = r->code; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	r->due = parse_date(cell[COL_DUE]);
	r->function_due = parse_date(cell[COL_FUNCTION_DUE]);
	int bad_due = !r->due, bad_fdue = !r->function_due;
	char *clean_due =
	    ho_sanitise(bad_due ? cell[COL_DUE] : cell[COL_FUNCTION_DUE], HO_SAN_LINE);
	free(cell[COL_DUE]);
	free(cell[COL_FUNCTION_DUE]);
	ho_status st = HO_OK;
	if (!r->code[0]) {
		st = refuse(im, r->line, "the function code is missing");
	} else if (!code_valid(r->code)) {
		char *clean = ho_sanitise(r->code, HO_SAN_LINE);
		snprintf(msg, sizeof msg,
		         "function code \"%.20s\" must be 2-8 letters or digits, starting with a "
		         "letter (like FIN)",
		         clean ? clean : "");
		free(clean);
		st = refuse(im, r->line, msg);
	} else if (!r->title[0]) {
		st = refuse(im, r->line, "the item title is missing");
	} else if (strlen(r->title) > HO_MAX_NAME) {
		snprintf(msg, sizeof msg, "the item title is longer than %d bytes", HO_MAX_NAME);
		st = refuse(im, r->line, msg);
	} else if (strlen(r->name) > HO_MAX_NAME) {
		snprintf(msg, sizeof msg, "the function name is longer than %d bytes", HO_MAX_NAME);
		st = refuse(im, r->line, msg);
	} else if (strlen(r->handover) > HO_MAX_NAME) {
		snprintf(msg, sizeof msg, "the handover title is longer than %d bytes",
		         HO_MAX_NAME);
		st = refuse(im, r->line, msg);
	} else if (strlen(r->guidance) > HO_MAX_GUIDANCE) {
		snprintf(msg, sizeof msg, "the guidance is longer than %d bytes", HO_MAX_GUIDANCE);
		st = refuse(im, r->line, msg);
	} else if (bad_due || bad_fdue) {
		snprintf(msg, sizeof msg, "%s \"%.20s\" is not a date (YYYY-MM-DD or DD/MM/YYYY)",
		         bad_due ? "due date" : "function due date", clean_due ? clean_due : "");
		st = refuse(im, r->line, msg);
	}
	free(clean_due);
	return st;
}

/* Function names must agree between rows of the same code: two names for
 * one code is a mistake in the sheet, not something to guess about. */
static ho_status check_names(struct import *im)
{
	char msg[300];
	for (size_t i = 0; i < im->nrows; i++) {
		struct row *r = &im->rows[i];
		if (!r->name[0])
			continue;
		for (size_t j = 0; j < i; j++) {
			struct row *e = &im->rows[j];
			if (e->target != r->target || strcmp(e->code, r->code) != 0 || !e->name[0])
				continue;
			if (strcmp(e->name, r->name) != 0) {
				snprintf(msg, sizeof msg,
				         "function %s is named differently here than on line %d",
				         r->code, e->line);
				return refuse(im, r->line, msg);
			}
			break;
		}
	}
	return HO_OK;
}

/* A handover rows go into: one of the file's (id), or one the sheet adds
 * (id 0 until written), with the checklist it has now. */
struct target {
	int64_t id;
	const char *title;
	ho_function *fs;
	size_t nf;
	ho_item **items;
	size_t *nitems;
};

struct targets {
	struct target *t;
	size_t n, cap;
	ho_handover *hs; /* the file's handovers */
	size_t nh;
};

static void targets_free(struct targets *ts)
{
	for (size_t i = 0; i < ts->n; i++) {
		for (size_t f = 0; f < ts->t[i].nf; f++)
			ho_item_free(ts->t[i].items[f], ts->t[i].nitems[f]);
		free(ts->t[i].items);
		free(ts->t[i].nitems);
		ho_function_free(ts->t[i].fs, ts->t[i].nf);
	}
	free(ts->t);
	ho_handover_free(ts->hs, ts->nh);
}

/* The index of the target for handover `id` (or, id 0, the new one titled
 * `title`), added when missing; -1 when out of memory. */
static long target_of(struct targets *ts, int64_t id, const char *title)
{
	for (size_t i = 0; i < ts->n; i++)
		if (id ? ts->t[i].id == id : (!ts->t[i].id && strcmp(ts->t[i].title, title) == 0))
			return (long)i;
	if (!store_grow((void **)&ts->t, &ts->cap, ts->n, sizeof *ts->t))
		return -1;
	ts->t[ts->n] = (struct target){.id = id, .title = title};
	return (long)ts->n++;
}

static int64_t parse_id(const char *s)
{
	char *end = NULL;
	errno = 0;
	long long v = *s ? strtoll(s, &end, 10) : 0;
	return (errno || !end || *end || v < 1) ? 0 : (int64_t)v;
}

static ho_status target_of_row(struct import *im, struct targets *ts, struct row *r)
{
	char msg[300];
	int64_t id = parse_id(r->handover_id);
	long found = -1;
	if (id)
		for (size_t i = 0; i < ts->nh && found < 0; i++)
			if (ts->hs[i].id == id &&
			    (!r->handover[0] || strcmp(ts->hs[i].title, r->handover) == 0))
				found = (long)i;
	if (found < 0 && r->handover[0]) {
		size_t same = 0;
		for (size_t i = 0; i < ts->nh; i++)
			if (strcmp(ts->hs[i].title, r->handover) == 0) {
				found = found < 0 ? (long)i : found;
				same++;
			}
		if (same > 1) {
			char *clean = ho_sanitise(r->handover, HO_SAN_LINE);
			snprintf(msg, sizeof msg,
			         "%zu handovers are titled \"%.60s\"; give the one meant in the "
			         "Handover ID column or with --handover",
			         same, clean ? clean : "");
			free(clean);
			return refuse(im, r->line, msg);
		}
	}
	if (found < 0 && !r->handover[0]) {
		if (r->handover_id[0]) {
			char *clean = ho_sanitise(r->handover_id, HO_SAN_LINE);
			snprintf(
			    msg, sizeof msg,
			    "the file has no handover \"%.20s\", and the row gives no Handover "
			    "title to create one",
			    clean ? clean : "");
			free(clean);
			return refuse(im, r->line, msg);
		}
		if (ts->nh != 1)
			return refuse(im, r->line,
			              ts->nh ? "the row names no handover and the file has several"
			                     : "the row names no handover and the file has none");
		found = 0;
	}
	long t = found >= 0 ? target_of(ts, ts->hs[found].id, NULL) : target_of(ts, 0, r->handover);
	if (t < 0)
		return store_fail(im->db, HO_ENOMEM, "out of memory");
	r->target = (size_t)t;
	return HO_OK;
}

static ho_status resolve_targets(struct import *im, int64_t handover_id, struct targets *ts)
{
	ho_status st = ho_handovers_list(im->db, &ts->hs, &ts->nh);
	if (st != HO_OK)
		return st;
	int64_t only = handover_id;
	if (!only && !im->seen[COL_HANDOVER_ID] && !im->seen[COL_HANDOVER]) {
		if (ts->nh == 1)
			only = ts->hs[0].id;
		else if (ts->nh == 0)
			return store_fail(
			    im->db, HO_ENOTFOUND,
			    "the file holds no handover to import into, and %s has no "
			    "Handover column to create one; nothing imported",
			    im->file);
		else
			return store_fail(im->db, HO_EUSAGE,
			                  "the file holds %zu handovers; pick one with --handover",
			                  ts->nh);
	}
	if (only) {
		int exists = 0;
		for (size_t i = 0; i < ts->nh; i++)
			exists |= ts->hs[i].id == only;
		if (!exists)
			return store_fail(im->db, HO_ENOTFOUND, "no handover with id %lld",
			                  (long long)only);
		if (target_of(ts, only, NULL) < 0)
			return store_fail(im->db, HO_ENOMEM, "out of memory");
		return HO_OK;
	}
	for (size_t i = 0; i < im->nrows; i++)
		if ((st = target_of_row(im, ts, &im->rows[i])) != HO_OK)
			return st;
	return HO_OK;
}

/* The checklist each existing target has now, as the matcher sees it. */
static ho_status load_snapshot(ho_db *db, struct targets *ts, struct im_snapshot *snap)
{
	ho_status st = HO_OK;
	snap->nhandovers = ts->n;
	if (!(snap->handovers = calloc(ts->n ? ts->n : 1, sizeof *snap->handovers)))
		return store_fail(db, HO_ENOMEM, "out of memory");
	for (size_t h = 0; h < ts->n; h++) {
		struct target *t = &ts->t[h];
		if (!t->id)
			continue;
		if ((st = ho_functions_list(db, t->id, &t->fs, &t->nf)) != HO_OK)
			return st;
		struct im_handover *sh = &snap->handovers[h];
		if (!(t->items = calloc(t->nf ? t->nf : 1, sizeof *t->items)) ||
		    !(t->nitems = calloc(t->nf ? t->nf : 1, sizeof *t->nitems)) ||
		    !(sh->functions = calloc(t->nf ? t->nf : 1, sizeof *sh->functions)))
			return store_fail(db, HO_ENOMEM, "out of memory");
		sh->nfunctions = t->nf;
		for (size_t f = 0; f < t->nf; f++) {
			const ho_function *fn = &t->fs[f];
			struct im_function *sf = &sh->functions[f];
			*sf = (struct im_function){.id = fn->id,
			                           .code = fn->code,
			                           .name = fn->name,
			                           .due = fn->due_date,
			                           .is_signed = fn->sender_signed_at ||
			                                        fn->receiver_signed_at};
			if ((st = store_function_next_number(db, fn->id, &sf->next_number)) !=
			        HO_OK ||
			    (st = ho_items_list(db, fn->id, HO_FILTER_ALL, &t->items[f],
			                        &t->nitems[f])) != HO_OK)
				return st;
			if (!(sf->items =
			          calloc(t->nitems[f] ? t->nitems[f] : 1, sizeof *sf->items)))
				return store_fail(db, HO_ENOMEM, "out of memory");
			sf->nitems = t->nitems[f];
			for (size_t k = 0; k < t->nitems[f]; k++) {
				const ho_item *it = &t->items[f][k];
				/* The store gives the effective date: the function's when the
				 * item has none of its own. */
				sf->items[k] = (struct im_item){
				    .number = it->number,
				    .title = it->title,
				    .guidance = it->guidance,
				    .own_due = strcmp(it->due_date, fn->due_date) == 0
				                   ? ""
				                   : it->due_date};
			}
		}
	}
	return HO_OK;
}

static void snapshot_free(struct im_snapshot *snap)
{
	for (size_t h = 0; h < snap->nhandovers; h++) {
		for (size_t f = 0; f < snap->handovers[h].nfunctions; f++)
			free(snap->handovers[h].functions[f].items);
		free(snap->handovers[h].functions);
	}
	free(snap->handovers);
}

static ho_status say(ho_db *db, ho_import_result *res, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static ho_status say(ho_db *db, ho_import_result *res, const char *fmt, ...)
{
	char *line = NULL, *clean = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	size_t cap = res->nlines;
	if (n < 0 || !(clean = ho_sanitise(line, HO_SAN_LINE)) ||
	    !store_grow((void **)&res->lines, &cap, res->nlines, sizeof *res->lines)) {
		free(n < 0 ? NULL : line);
		free(clean);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	free(line);
	res->lines[res->nlines++] = clean;
	return HO_OK;
}

/* What the plan does, one line per handover, function and item it adds or
 * changes. */
static ho_status describe(struct import *im, struct targets *ts, struct im_snapshot *snap,
                          const struct im_plan *plan, ho_import_result *res)
{
	ho_status st = HO_OK;
	for (size_t h = 0; h < ts->n && st == HO_OK; h++)
		if (!ts->t[h].id) {
			res->handovers_added++;
			st = say(im->db, res, "new handover \"%s\"", ts->t[h].title);
		}
	for (size_t i = 0; i < plan->nfunctions && st == HO_OK; i++) {
		const struct im_function_plan *fp = &plan->functions[i];
		const struct im_function *f =
		    &snap->handovers[fp->handover].functions[fp->function];
		if (fp->added) {
			res->functions_added++;
			st = say(im->db, res, "new function %s \"%s\"%s%s", f->code, fp->name,
			         fp->due[0] ? ", due " : "", fp->due);
		} else if (fp->due_changed) {
			res->functions_changed++;
			st = say(im->db, res, "function %s due %s (was %s)", f->code, fp->due,
			         ts->t[fp->handover].fs[fp->function].due_date[0]
			             ? ts->t[fp->handover].fs[fp->function].due_date
			             : "none");
		}
	}
	for (size_t i = 0; i < im->nrows && st == HO_OK; i++) {
		const struct im_decision *d = &plan->rows[i];
		const struct row *r = &im->rows[i];
		const struct im_function *f = &snap->handovers[r->target].functions[d->function];
		if (d->what == IM_ADD) {
			st = say(im->db, res, "add %s-%d \"%s\"", f->code, d->number, r->title);
		} else if (d->what == IM_CHANGE) {
			const struct im_item *it = &f->items[d->item];
			st = say(im->db, res, "change %s-%d:%s%s%s", f->code, it->number,
			         d->changed & IM_TITLE ? " title" : "",
			         d->changed & IM_GUIDANCE ? " guidance" : "",
			         d->changed & IM_DUE ? " due date" : "");
		}
	}
	res->added = plan->added;
	res->changed = plan->changed;
	res->same = plan->same;
	return st;
}

static ho_status write_plan(struct import *im, struct targets *ts, struct im_snapshot *snap,
                            const struct im_plan *plan)
{
	ho_status st = HO_OK;
	for (size_t h = 0; h < ts->n && st == HO_OK; h++)
		if (!ts->t[h].id)
			st = ho_handover_add(im->db, ts->t[h].title, "", "", "", "", &ts->t[h].id);
	for (size_t i = 0; i < plan->nfunctions && st == HO_OK; i++) {
		const struct im_function_plan *fp = &plan->functions[i];
		struct im_function *f = &snap->handovers[fp->handover].functions[fp->function];
		if (fp->added)
			st = ho_function_add(im->db, ts->t[fp->handover].id, f->code, fp->name,
			                     fp->due, &f->id);
		else if (fp->due_changed)
			st = ho_function_set_due(im->db, f->id, 0, fp->due);
	}
	for (size_t i = 0; i < im->nrows && st == HO_OK; i++) {
		const struct im_decision *d = &plan->rows[i];
		const struct row *r = &im->rows[i];
		const struct im_function *f = &snap->handovers[r->target].functions[d->function];
		if (d->what == IM_ADD) {
			st = store_item_add_numbered(im->db, f->id, d->number, r->title,
			                             r->guidance, d->own_due, NULL);
		} else if (d->what == IM_CHANGE) {
			/* The same edit a lead makes by hand: recorded, and new text
			 * after review sends the item back to the receiver. */
			const ho_item *hi = &ts->t[r->target].items[d->function][d->item];
			st =
			    ho_item_edit(im->db, hi->id, 0, d->changed & IM_TITLE ? r->title : NULL,
			                 d->changed & IM_GUIDANCE ? r->guidance : NULL,
			                 d->changed & IM_DUE ? d->own_due : NULL);
		}
		if (st != HO_OK) {
			char msg[600];
			snprintf(msg, sizeof msg, "%s", ho_errmsg(im->db));
			st = store_fail(im->db, st, "%s line %d: %s; nothing imported", im->file,
			                r->line, msg);
		}
	}
	return st;
}

/* What a path that is not a regular file is, for the refusal. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a pipe (FIFO)";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

static ho_status read_file(ho_db *db, const char *path, const char *shown, char **buf, size_t *len)
{
	struct stat sb;
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer that may never come; it is refused below instead. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return store_fail(db, HO_ENOTFOUND, "cannot read %s: %s", shown, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		int err = errno;
		close(fd);
		return store_fail(db, HO_EIO, "cannot read %s: %s", shown, strerror(err));
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return store_fail(db, HO_EUSAGE, "%s is %s, not a CSV file; nothing imported",
		                  shown, file_kind(sb.st_mode));
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	ho_status st = HO_OK;
	if (sb.st_size > IMPORT_MAX_BYTES) {
		st = store_fail(db, HO_EUSAGE, "%s is larger than %ld MiB; not a checklist", shown,
		                IMPORT_MAX_BYTES >> 20);
	} else if (!(*buf = malloc((size_t)sb.st_size + 1))) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
	} else {
		*len = fread(*buf, 1, (size_t)sb.st_size, f);
		(*buf)[*len] = '\0';
		if (ferror(f))
			st = store_fail(db, HO_EIO, "cannot read %s: %s", shown, strerror(errno));
	}
	fclose(f);
	return st;
}

/* Excel's "Unicode text" and some other programs save UTF-16: a byte order
 * mark FF FE or FE FF, or ASCII with a zero byte beside every letter. */
static int looks_utf16(const char *buf, size_t len)
{
	const unsigned char *b = (const unsigned char *)buf;
	if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
		return 1;
	return len >= 4 && ((b[0] && !b[1] && b[2] && !b[3]) || (!b[0] && b[1] && !b[2] && b[3]));
}

void ho_import_result_clear(ho_import_result *res)
{
	for (size_t i = 0; i < res->nlines; i++)
		free(res->lines[i]);
	free(res->lines);
	memset(res, 0, sizeof *res);
}

ho_status ho_import(ho_db *db, int64_t handover_id, const char *path, int dry_run,
                    ho_import_result *res)
{
	struct import im = {.db = db};
	struct csv_reader rd;
	struct csv_record rec = {0};
	struct targets ts = {0};
	struct im_snapshot snap = {0};
	struct im_plan plan = {0};
	struct im_row *mrows = NULL;
	char *buf = NULL, *shown = NULL;
	size_t len = 0;
	int have_header = 0, in_tx = 0;
	ho_status st;

	memset(res, 0, sizeof *res);
	if ((st = store_require_lead(db, "importing a checklist")) != HO_OK)
		return st;
	if (!(shown = ho_sanitise(path, HO_SAN_LINE)))
		return store_fail(db, HO_ENOMEM, "out of memory");
	im.file = shown;
	if (handover_id) {
		ho_handover h = {0};
		if ((st = ho_handover_get(db, handover_id, &h)) != HO_OK)
			goto cleanup;
		ho_handover_clear(&h);
	}
	if ((st = read_file(db, path, shown, &buf, &len)) != HO_OK)
		goto cleanup;
	if (looks_utf16(buf, len)) {
		st = store_fail(db, HO_EUSAGE,
		                "%s is UTF-16 text; save it as UTF-8 (in Excel: \"CSV UTF-8\") and "
		                "import it again; nothing imported",
		                shown);
		goto cleanup;
	}

	csv_reader_init(&rd, buf, len);
	for (;;) {
		int rc = csv_read(&rd, &rec);
		if (rc == 0)
			break;
		if (rc == -2) {
			st = store_fail(db, HO_ENOMEM, "out of memory");
			goto cleanup;
		}
		if (rc < 0) {
			st = refuse(&im, rd.err_line, rd.err);
			goto cleanup;
		}
		if (all_empty(&rec))
			continue; /* spreadsheets leave blank rows at the end */
		if (!have_header) {
			have_header = 1;
			if ((st = read_header(&im, &rec)) != HO_OK)
				goto cleanup;
		} else if ((st = read_row(&im, &rec)) != HO_OK) {
			goto cleanup;
		}
	}
	if (!have_header || im.nrows == 0) {
		st = store_fail(db, HO_EUSAGE, "%s holds no checklist rows; nothing imported",
		                shown);
		goto cleanup;
	}
	/* Read and write against one state of the file: one batch, whose
	 * changes each record their own history event (an unchanged sheet
	 * records none). */
	struct store_change ch;
	if (!dry_run) {
		if ((st = store_change_begin(db, &ch, STORE_UNRECORDED, NULL)) != HO_OK)
			goto cleanup;
		in_tx = 1;
	}
	if ((st = resolve_targets(&im, handover_id, &ts)) != HO_OK ||
	    (st = check_names(&im)) != HO_OK || (st = load_snapshot(db, &ts, &snap)) != HO_OK)
		goto cleanup;
	if (!(mrows = calloc(im.nrows, sizeof *mrows))) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto cleanup;
	}
	for (size_t i = 0; i < im.nrows; i++) {
		const struct row *r = &im.rows[i];
		mrows[i] = (struct im_row){.line = r->line,
		                           .handover = r->target,
		                           .code = r->code,
		                           .name = r->name,
		                           .ref = r->ref,
		                           .title = r->title,
		                           .guidance = r->guidance,
		                           .due = r->due,
		                           .function_due = r->function_due};
	}
	struct im_columns cols = {.guidance = im.seen[COL_GUIDANCE],
	                          .due = im.seen[COL_DUE],
	                          .function_due = im.seen[COL_FUNCTION_DUE]};
	char err[300];
	int rc = im_match(&snap, &cols, mrows, im.nrows, &plan, err, sizeof err);
	if (rc != 0) {
		st = rc == IM_ENOMEM ? store_fail(db, HO_ENOMEM, "out of memory")
		                     : store_fail(db, rc == IM_ESIGNED ? HO_ESTATE : HO_EUSAGE,
		                                  "%s %s; nothing imported", shown, err);
		goto cleanup;
	}
	if ((st = describe(&im, &ts, &snap, &plan, res)) != HO_OK)
		goto cleanup;
	if (dry_run)
		goto cleanup;
	if ((st = write_plan(&im, &ts, &snap, &plan)) != HO_OK)
		goto cleanup;
cleanup:
	if (in_tx)
		st = store_change_end(db, &ch, st);
	if (st != HO_OK)
		ho_import_result_clear(res);
	im_plan_free(&plan);
	snapshot_free(&snap);
	targets_free(&ts);
	free(mrows);
	csv_record_free(&rec);
	for (size_t i = 0; i < im.nrows; i++)
		row_free(&im.rows[i]);
	free(im.rows);
	free(buf);
	free(shown);
	return st;
}

ho_status ho_import_csv(ho_db *db, int64_t handover_id, const char *path, int *rows_out)
{
	ho_import_result res;
	ho_status st = ho_import(db, handover_id, path, 0, &res);
	if (rows_out)
		*rows_out = res.added;
	ho_import_result_clear(&res);
	return st;
}
