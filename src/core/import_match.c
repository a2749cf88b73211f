/* Rows of a sheet against the items of a file: see import_match.h. */
#define _GNU_SOURCE
#include "import_match.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Working state per function: which items rows claimed, which numbers new
 * items took. */
struct fn_work {
	unsigned char *claimed;
	int *numbers;
	size_t nnumbers, cap;
	int next;
};

struct work {
	struct im_snapshot *snap;
	struct fn_work **fw; /* per handover, per function */
	size_t *fwcap;
};

int im_parse_ref(const char *ref, char code[16], int *number)
{
	const char *dash = strrchr(ref, '-');
	if (!dash || dash == ref || (size_t)(dash - ref) >= 16 || !dash[1])
		return -1;
	long n = 0;
	for (const char *p = dash + 1; *p; p++) {
		if (*p < '0' || *p > '9' || n > 100000000)
			return -1;
		n = n * 10 + (*p - '0');
	}
	if (n < 1)
		return -1;
	size_t len = (size_t)(dash - ref);
	for (size_t i = 0; i < len; i++) {
		char c = ref[i];
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		code[i] = c;
	}
	code[len] = '\0';
	*number = (int)n;
	return 0;
}

static long find_function(const struct im_handover *h, const char *code)
{
	for (size_t i = 0; i < h->nfunctions; i++)
		if (strcmp(h->functions[i].code, code) == 0)
			return (long)i;
	return -1;
}

static long find_number(const struct im_function *f, int number)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].number == number)
			return (long)i;
	return -1;
}

static int number_taken(const struct im_function *f, const struct fn_work *w, int number)
{
	if (find_number(f, number) >= 0)
		return 1;
	for (size_t i = 0; i < w->nnumbers; i++)
		if (w->numbers[i] == number)
			return 1;
	return 0;
}

static int take_number(struct fn_work *w, int number)
{
	if (w->nnumbers == w->cap) {
		size_t cap = w->cap ? w->cap * 2 : 8;
		int *n = realloc(w->numbers, cap * sizeof *n);
		if (!n)
			return -1;
		w->numbers = n;
		w->cap = cap;
	}
	w->numbers[w->nnumbers++] = number;
	return 0;
}

/* The function a row belongs to, added to the snapshot when new. */
static long function_of(struct work *wk, struct im_plan *plan, const struct im_row *r, int *oom)
{
	struct im_handover *h = &wk->snap->handovers[r->handover];
	long fi = find_function(h, r->code);
	if (fi >= 0)
		return fi;
	struct im_function *fs = realloc(h->functions, (h->nfunctions + 1) * sizeof *fs);
	if (!fs) {
		*oom = 1;
		return -1;
	}
	h->functions = fs;
	struct fn_work *fw = realloc(wk->fw[r->handover], (h->nfunctions + 1) * sizeof *fw);
	if (!fw) {
		*oom = 1;
		return -1;
	}
	wk->fw[r->handover] = fw;
	struct im_function_plan *fp =
	    realloc(plan->functions, (plan->nfunctions + 1) * sizeof *plan->functions);
	if (!fp) {
		*oom = 1;
		return -1;
	}
	plan->functions = fp;
	fi = (long)h->nfunctions++;
	fs[fi] =
	    (struct im_function){.code = r->code, .name = r->name, .due = "", .next_number = 1};
	fw[fi] = (struct fn_work){.next = 1};
	fp[plan->nfunctions++] = (struct im_function_plan){
	    .handover = r->handover, .function = (size_t)fi, .added = 1, .name = "", .due = ""};
	return fi;
}

static struct im_function_plan *function_plan(struct im_plan *plan, size_t h, size_t f)
{
	for (size_t i = 0; i < plan->nfunctions; i++)
		if (plan->functions[i].handover == h && plan->functions[i].function == f)
			return &plan->functions[i];
	return NULL;
}

/* New functions take their name and due date from the first row that
 * gives one; an existing function's due date changes when a row of it
 * gives another. Two rows giving different due dates for one function is a
 * mistake in the sheet. */
static int plan_functions(struct work *wk, const struct im_columns *cols, const struct im_row *rows,
                          size_t nrows, struct im_plan *plan, char *err, size_t errsize)
{
	for (size_t i = 0; i < nrows; i++) {
		const struct im_row *r = &rows[i];
		int oom = 0;
		long fi = function_of(wk, plan, r, &oom);
		if (oom) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
		plan->rows[i].function = (size_t)fi;
		struct im_function *f = &wk->snap->handovers[r->handover].functions[fi];
		struct im_function_plan *fp = function_plan(plan, r->handover, (size_t)fi);
		if (fp && fp->added && !fp->name[0] && r->name[0])
			fp->name = r->name;
		if (!cols->function_due || !r->function_due[0])
			continue;
		/* The first row to give an existing function a date is
		 * remembered even when that is the date it has, so that a later
		 * row giving another is refused like any two dates that differ
		 * (taking the later one made a second import of the same sheet
		 * refuse it). */
		if (!fp) {
			struct im_function_plan *np = realloc(
			    plan->functions, (plan->nfunctions + 1) * sizeof *plan->functions);
			if (!np) {
				snprintf(err, errsize, "out of memory");
				return -1;
			}
			plan->functions = np;
			fp = &np[plan->nfunctions++];
			*fp = (struct im_function_plan){.handover = r->handover,
			                                .function = (size_t)fi,
			                                .due_changed =
			                                    strcmp(f->due, r->function_due) != 0,
			                                .name = f->name,
			                                .due = r->function_due};
			continue;
		}
		/* A new function's date is "" until a row gives one. */
		if (fp->due[0] && strcmp(fp->due, r->function_due) != 0) {
			snprintf(err, errsize,
			         "line %d: function %s is due %s here but %s on an earlier line",
			         r->line, r->code, r->function_due, fp->due);
			return -1;
		}
		fp->due = r->function_due;
	}
	for (size_t i = 0; i < plan->nfunctions; i++) {
		struct im_function_plan *fp = &plan->functions[i];
		struct im_function *f = &wk->snap->handovers[fp->handover].functions[fp->function];
		if (fp->added && !fp->name[0]) {
			for (size_t k = 0; k < nrows; k++)
				if (rows[k].handover == fp->handover &&
				    plan->rows[k].function == fp->function) {
					snprintf(err, errsize,
					         "line %d: function %s is new to this handover and "
					         "needs a function name",
					         rows[k].line, f->code);
					break;
				}
			return -1;
		}
		if (fp->added)
			f->name = fp->name;
		f->due = fp->due;
	}
	return 0;
}

/* The due date a row wants for its item, or NULL to leave it alone, and
 * the item's own date that gives it ("" when its function's). */
static const char *wanted_due(const struct im_columns *cols, const struct im_row *r,
                              const struct im_function *f, const char **own)
{
	if (!cols->due)
		return NULL;
	const char *eff = r->due[0] ? r->due : f->due;
	*own = strcmp(eff, f->due) == 0 ? "" : eff;
	return eff;
}

static void decide_existing(const struct im_columns *cols, const struct im_row *r,
                            const struct im_function *f, long item, struct im_decision *d)
{
	const struct im_item *it = &f->items[item];
	const char *own = "";
	const char *due = wanted_due(cols, r, f, &own);
	/* Its date once its function's date changed, when it inherits. */
	const char *now = it->own_due[0] ? it->own_due : f->due;
	d->item = item;
	d->changed = 0;
	if (strcmp(it->title, r->title) != 0)
		d->changed |= IM_TITLE;
	if (cols->guidance && strcmp(it->guidance, r->guidance) != 0)
		d->changed |= IM_GUIDANCE;
	if (due && strcmp(now, due) != 0) {
		d->changed |= IM_DUE;
		d->own_due = own;
	}
	d->what = d->changed ? IM_CHANGE : IM_SAME;
}

static int decide(struct work *wk, const struct im_columns *cols, const struct im_row *rows,
                  size_t nrows, struct im_plan *plan, char *err, size_t errsize)
{
	char code[16];
	int number;
	/* Pass 1: rows whose ref names an item. */
	for (size_t i = 0; i < nrows; i++) {
		const struct im_row *r = &rows[i];
		struct im_decision *d = &plan->rows[i];
		d->item = -1;
		if (!r->ref[0])
			continue;
		if (im_parse_ref(r->ref, code, &number) != 0 || strcmp(code, r->code) != 0) {
			snprintf(err, errsize,
			         "line %d: ref \"%.24s\" is not an item of function %s", r->line,
			         r->ref, r->code);
			return -1;
		}
		struct im_function *f = &wk->snap->handovers[r->handover].functions[d->function];
		struct fn_work *w = &wk->fw[r->handover][d->function];
		long item = find_number(f, number);
		if (item < 0)
			continue;
		if (w->claimed[item]) {
			for (size_t k = 0; k < i; k++)
				if (rows[k].handover == r->handover &&
				    plan->rows[k].function == d->function &&
				    plan->rows[k].item == item) {
					snprintf(err, errsize, "line %d: %s is already on line %d",
					         r->line, r->ref, rows[k].line);
					break;
				}
			return -1;
		}
		w->claimed[item] = 1;
		decide_existing(cols, r, f, item, d);
	}
	/* Pass 2: numbers new rows ask for, so that the rows without one never
	 * take them. */
	for (size_t i = 0; i < nrows; i++) {
		const struct im_row *r = &rows[i];
		struct im_decision *d = &plan->rows[i];
		if (d->item >= 0 || !r->ref[0])
			continue;
		im_parse_ref(r->ref, code, &number);
		struct im_function *f = &wk->snap->handovers[r->handover].functions[d->function];
		struct fn_work *w = &wk->fw[r->handover][d->function];
		for (size_t k = 0; k < w->nnumbers; k++)
			if (w->numbers[k] == number) {
				snprintf(err, errsize, "line %d: %s appears twice in the sheet",
				         r->line, r->ref);
				return -1;
			}
		(void)f;
		if (take_number(w, number) != 0) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
	}
	/* Pass 3: the rest, by title, else added. */
	for (size_t i = 0; i < nrows; i++) {
		const struct im_row *r = &rows[i];
		struct im_decision *d = &plan->rows[i];
		if (d->item >= 0)
			continue;
		struct im_function *f = &wk->snap->handovers[r->handover].functions[d->function];
		struct fn_work *w = &wk->fw[r->handover][d->function];
		long item = -1;
		for (size_t k = 0; k < f->nitems && item < 0; k++)
			if (!w->claimed[k] && strcmp(f->items[k].title, r->title) == 0)
				item = (long)k;
		if (item >= 0) {
			w->claimed[item] = 1;
			decide_existing(cols, r, f, item, d);
			continue;
		}
		d->what = IM_ADD;
		const char *own = "";
		if (!wanted_due(cols, r, f, &own))
			own = "";
		d->own_due = own;
		if (r->ref[0] && im_parse_ref(r->ref, code, &number) == 0 &&
		    find_number(f, number) < 0) {
			d->number = number; /* taken in pass 2 */
			continue;
		}
		/* A next number at the end of the range (a file edited by hand)
		 * leaves nothing to count on to. */
		while (w->next < INT_MAX && number_taken(f, w, w->next))
			w->next++;
		if (number_taken(f, w, w->next)) {
			snprintf(err, errsize, "line %d: function %s has no item number left",
			         r->line, r->code);
			return -1;
		}
		d->number = w->next;
		if (take_number(w, w->next) != 0) {
			snprintf(err, errsize, "out of memory");
			return -1;
		}
	}
	return 0;
}

static void work_free(struct work *wk)
{
	for (size_t h = 0; wk->fw && h < wk->snap->nhandovers; h++) {
		for (size_t f = 0; wk->fw[h] && f < wk->snap->handovers[h].nfunctions; f++) {
			free(wk->fw[h][f].claimed);
			free(wk->fw[h][f].numbers);
		}
		free(wk->fw[h]);
	}
	free(wk->fw);
}

void im_plan_free(struct im_plan *plan)
{
	free(plan->rows);
	free(plan->functions);
	memset(plan, 0, sizeof *plan);
}

int im_match(struct im_snapshot *snap, const struct im_columns *cols, const struct im_row *rows,
             size_t nrows, struct im_plan *plan, char *err, size_t errsize)
{
	struct work wk = {.snap = snap};
	int rc = -1;
	memset(plan, 0, sizeof *plan);
	snprintf(err, errsize, "out of memory");
	for (size_t i = 0; i < nrows; i++)
		if (rows[i].handover >= snap->nhandovers) {
			snprintf(err, errsize, "line %d: no such handover", rows[i].line);
			return -1;
		}
	if (!(plan->rows = calloc(nrows ? nrows : 1, sizeof *plan->rows)) ||
	    !(wk.fw = calloc(snap->nhandovers ? snap->nhandovers : 1, sizeof *wk.fw)))
		goto done;
	for (size_t h = 0; h < snap->nhandovers; h++) {
		struct im_handover *ho = &snap->handovers[h];
		if (!(wk.fw[h] = calloc(ho->nfunctions ? ho->nfunctions : 1, sizeof **wk.fw)))
			goto done;
		for (size_t f = 0; f < ho->nfunctions; f++) {
			wk.fw[h][f].next =
			    ho->functions[f].next_number > 0 ? ho->functions[f].next_number : 1;
			if (!(wk.fw[h][f].claimed =
			          calloc(ho->functions[f].nitems ? ho->functions[f].nitems : 1, 1)))
				goto done;
		}
	}
	if (plan_functions(&wk, cols, rows, nrows, plan, err, errsize) != 0)
		goto done;
	/* Functions the sheet added have no items to claim. */
	for (size_t h = 0; h < snap->nhandovers; h++)
		for (size_t f = 0; f < snap->handovers[h].nfunctions; f++)
			if (!wk.fw[h][f].claimed && !(wk.fw[h][f].claimed = calloc(1, 1))) {
				snprintf(err, errsize, "out of memory");
				goto done;
			}
	if (decide(&wk, cols, rows, nrows, plan, err, errsize) != 0)
		goto done;
	for (size_t i = 0; i < nrows; i++) {
		const struct im_row *r = &rows[i];
		struct im_function *f =
		    &snap->handovers[r->handover].functions[plan->rows[i].function];
		if (plan->rows[i].what != IM_SAME && f->is_signed) {
			snprintf(err, errsize, "line %d: %s is signed off; its items cannot change",
			         r->line, f->code);
			rc = IM_ESIGNED;
			goto done;
		}
		if (plan->rows[i].what == IM_ADD)
			plan->added++;
		else if (plan->rows[i].what == IM_CHANGE)
			plan->changed++;
		else
			plan->same++;
	}
	err[0] = '\0';
	rc = 0;
done:
	if (rc == -1 && strcmp(err, "out of memory") == 0)
		rc = IM_ENOMEM;
	work_free(&wk);
	if (rc != 0)
		im_plan_free(plan);
	return rc;
}
