/* Fuzz target: the import matcher (src/core/import_match.c), rows of a sheet
 * against the items a file already holds, with any checklist and any rows.
 *
 * The input is text, one record a line, fields split by '|':
 *   first byte      the sheet's optional columns: bit 0 guidance, bit 1 due
 *                   date, bit 2 function due date
 *   H               a new handover
 *   F code|name|due|next number|signed (1)     a function of the last one
 *   I number|title|guidance|own due            an item of the last function
 *   R handover|code|name|ref|title|guidance|due|function due    a row
 *
 * What must hold besides "no crash, no ASan/UBSan report":
 *   - a refusal is a known code with a one-line reason and an empty plan;
 *   - a plan decides every row once: kept, changed or added, and counts
 *     them; a row goes to a function of its own code; a kept or changed row
 *     is an existing item, claimed by no other row, changed in exactly the
 *     fields that differ; an added item takes a number no item of its
 *     function has or another added row took;
 *   - the rules: a ref naming an item is that item; a row is added only
 *     when every item of its function with its title was claimed; an
 *     added row with a free ref number takes that number;
 *   - applying the plan and matching the same rows again keeps every row
 *     and neither adds a function nor changes one's due date: importing a sheet twice never
 * duplicates an item or changes anything the second time. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_util.h"
#include "import_match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_FIELDS = 8, MAX_HANDOVERS = 16, MAX_RECORDS = 2000 };

/* Every string the snapshots and rows point at lives in the input's copy
 * (split in place) or is a literal. */
struct parsed {
	struct im_columns cols;
	struct im_snapshot snap;
	struct im_row *rows;
	size_t nrows;
};

static char *field(char **f, int n, int i)
{
	return i < n ? f[i] : "";
}

static int num(const char *s)
{
	long v = strtol(s, NULL, 10);
	return v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
}

static void *grow(void *p, size_t n, size_t elem)
{
	void *q = realloc(p, (n + 1) * elem);
	FUZZ_CHECK(q != NULL, "out of memory");
	return q;
}

static void snapshot_free(struct im_snapshot *s)
{
	for (size_t h = 0; h < s->nhandovers; h++) {
		for (size_t f = 0; f < s->handovers[h].nfunctions; f++)
			free(s->handovers[h].functions[f].items);
		free(s->handovers[h].functions);
	}
	free(s->handovers);
	memset(s, 0, sizeof *s);
}

static void parse(char *text, struct parsed *p)
{
	memset(p, 0, sizeof *p);
	unsigned char flags = (unsigned char)text[0];
	if (text[0])
		text++;
	p->cols = (struct im_columns){
	    .guidance = flags & 1, .due = (flags >> 1) & 1, .function_due = (flags >> 2) & 1};
	struct im_snapshot *s = &p->snap;
	int records = 0;
	for (char *line = text; line && *line && records < MAX_RECORDS; records++) {
		char *next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char kind = line[0];
		char *f[MAX_FIELDS];
		int n = 0;
		for (char *q = line[0] ? line + 1 : line; n < MAX_FIELDS;) {
			f[n++] = q;
			char *bar = strchr(q, '|');
			if (!bar)
				break;
			*bar = '\0';
			q = bar + 1;
		}
		if (kind == 'H' || (kind == 'F' && s->nhandovers == 0)) {
			if (s->nhandovers == MAX_HANDOVERS)
				goto next_line;
			s->handovers = grow(s->handovers, s->nhandovers, sizeof *s->handovers);
			s->handovers[s->nhandovers++] = (struct im_handover){0};
		}
		if (kind == 'F') {
			struct im_handover *h = &s->handovers[s->nhandovers - 1];
			h->functions = grow(h->functions, h->nfunctions, sizeof *h->functions);
			h->functions[h->nfunctions] = (struct im_function){
			    .id = (int64_t)h->nfunctions + 1,
			    .code = field(f, n, 0),
			    .name = field(f, n, 1),
			    .due = field(f, n, 2),
			    .next_number = num(field(f, n, 3)),
			    .is_signed = field(f, n, 4)[0] == '1',
			};
			h->nfunctions++;
		} else if (kind == 'I' && s->nhandovers > 0 &&
		           s->handovers[s->nhandovers - 1].nfunctions > 0) {
			struct im_handover *h = &s->handovers[s->nhandovers - 1];
			struct im_function *fn = &h->functions[h->nfunctions - 1];
			fn->items = grow(fn->items, fn->nitems, sizeof *fn->items);
			fn->items[fn->nitems++] = (struct im_item){.number = num(field(f, n, 0)),
			                                           .title = field(f, n, 1),
			                                           .guidance = field(f, n, 2),
			                                           .own_due = field(f, n, 3)};
		} else if (kind == 'R') {
			p->rows = grow(p->rows, p->nrows, sizeof *p->rows);
			int h = num(field(f, n, 0));
			p->rows[p->nrows] = (struct im_row){
			    .line = (int)p->nrows + 2,
			    .handover = h < 0 ? (size_t)-1 : (size_t)h,
			    .code = field(f, n, 1),
			    .name = field(f, n, 2),
			    .ref = field(f, n, 3),
			    .title = field(f, n, 4),
			    .guidance = field(f, n, 5),
			    .due = field(f, n, 6),
			    .function_due = field(f, n, 7),
			};
			p->nrows++;
		}
	next_line:
		line = next;
	}
}

static long item_numbered(const struct im_function *f, int number)
{
	for (size_t i = 0; i < f->nitems; i++)
		if (f->items[i].number == number)
			return (long)i;
	return -1;
}

static const char *effective(const char *own, const struct im_function *f)
{
	return own[0] ? own : f->due;
}

/* The plan checked against the rows and the snapshot as im_match left it
 * (its new functions appended, function due dates as planned). `items`
 * holds the number of items each function had before the match. */
static void check_plan(const struct parsed *p, const struct im_plan *plan,
                       size_t *const *nitems_before)
{
	const struct im_snapshot *s = &p->snap;
	FUZZ_CHECK((size_t)(plan->added + plan->changed + plan->same) == p->nrows,
	           "%d + %d + %d rows decided of %zu", plan->added, plan->changed, plan->same,
	           p->nrows);
	for (size_t i = 0; i < p->nrows; i++) {
		const struct im_row *r = &p->rows[i];
		const struct im_decision *d = &plan->rows[i];
		FUZZ_CHECK(r->handover < s->nhandovers, "line %d: handover %zu of %zu", r->line,
		           r->handover, s->nhandovers);
		const struct im_handover *h = &s->handovers[r->handover];
		FUZZ_CHECK(d->function < h->nfunctions, "line %d: function %zu of %zu", r->line,
		           d->function, h->nfunctions);
		const struct im_function *f = &h->functions[d->function];
		size_t before = d->function < nitems_before[r->handover][0]
		                    ? nitems_before[r->handover][1 + d->function]
		                    : 0;
		FUZZ_CHECK(strcmp(f->code, r->code) == 0, "line %d: row of %s went to %s", r->line,
		           r->code, f->code);
		char code[16];
		int number = 0;
		int has_ref = r->ref[0] && im_parse_ref(r->ref, code, &number) == 0;
		FUZZ_CHECK(!r->ref[0] || (has_ref && strcmp(code, r->code) == 0),
		           "line %d: ref %s of another function (%s) was taken", r->line, r->ref,
		           r->code);
		long named = has_ref ? item_numbered(f, number) : -1;
		if (d->what == IM_ADD) {
			FUZZ_CHECK(d->number >= 1 && item_numbered(f, d->number) < 0,
			           "line %d: added as %s-%d, not a free item number", r->line,
			           f->code, d->number);
			FUZZ_CHECK(named < 0, "line %d: ref %s names an item but the row was added",
			           r->line, r->ref);
			if (has_ref)
				FUZZ_CHECK(d->number == number,
				           "line %d: ref %s free but added as %d", r->line, r->ref,
				           d->number);
			for (size_t k = 0; k < i; k++)
				FUZZ_CHECK(!(p->rows[k].handover == r->handover &&
				             plan->rows[k].function == d->function &&
				             plan->rows[k].what == IM_ADD &&
				             plan->rows[k].number == d->number),
				           "lines %d and %d both add %s-%d", p->rows[k].line,
				           r->line, f->code, d->number);
			/* Added only when no item of its title was left for it. */
			for (size_t t = 0; t < f->nitems; t++) {
				if (strcmp(f->items[t].title, r->title) != 0)
					continue;
				int claimed = 0;
				for (size_t k = 0; k < p->nrows && !claimed; k++)
					claimed = p->rows[k].handover == r->handover &&
					          plan->rows[k].function == d->function &&
					          plan->rows[k].what != IM_ADD &&
					          plan->rows[k].item == (long)t;
				FUZZ_CHECK(claimed, "line %d added though %s-%d has its title",
				           r->line, f->code, f->items[t].number);
			}
			continue;
		}
		FUZZ_CHECK(d->what == IM_SAME || d->what == IM_CHANGE, "line %d: decision %d",
		           r->line, (int)d->what);
		FUZZ_CHECK(d->item >= 0 && (size_t)d->item < before && (size_t)d->item < f->nitems,
		           "line %d: item %ld of %zu", r->line, d->item, before);
		if (named >= 0)
			FUZZ_CHECK(d->item == named, "line %d: ref %s names item %ld, matched %ld",
			           r->line, r->ref, named, d->item);
		for (size_t k = 0; k < i; k++)
			FUZZ_CHECK(!(p->rows[k].handover == r->handover &&
			             plan->rows[k].function == d->function &&
			             plan->rows[k].what != IM_ADD && plan->rows[k].item == d->item),
			           "lines %d and %d claim one item", p->rows[k].line, r->line);
		const struct im_item *it = &f->items[d->item];
		unsigned want = 0;
		if (strcmp(it->title, r->title) != 0)
			want |= IM_TITLE;
		if (p->cols.guidance && strcmp(it->guidance, r->guidance) != 0)
			want |= IM_GUIDANCE;
		if (p->cols.due) {
			const char *due = r->due[0] ? r->due : f->due;
			if (strcmp(effective(it->own_due, f), due) != 0)
				want |= IM_DUE;
		}
		FUZZ_CHECK(d->changed == want, "line %d: changed %u, differs in %u", r->line,
		           d->changed, want);
		FUZZ_CHECK((d->what == IM_SAME) == (want == 0), "line %d: %s with changes %u",
		           r->line, d->what == IM_SAME ? "kept" : "changed", want);
	}
}

static struct im_item *add_item(struct im_function *f, struct im_item it)
{
	f->items = grow(f->items, f->nitems, sizeof *f->items);
	f->items[f->nitems] = it;
	return &f->items[f->nitems++];
}

/* The file as the plan leaves it, read back as the importer reads a file:
 * an item's own due date that is its function's reads as inherited. */
static void apply(const struct parsed *p, const struct im_plan *plan, struct im_snapshot *out)
{
	const struct im_snapshot *s = &p->snap;
	out->nhandovers = s->nhandovers;
	out->handovers = calloc(s->nhandovers ? s->nhandovers : 1, sizeof *out->handovers);
	FUZZ_CHECK(out->handovers != NULL, "out of memory");
	for (size_t h = 0; h < s->nhandovers; h++) {
		const struct im_handover *sh = &s->handovers[h];
		struct im_handover *oh = &out->handovers[h];
		oh->nfunctions = sh->nfunctions;
		oh->functions = calloc(sh->nfunctions ? sh->nfunctions : 1, sizeof *oh->functions);
		FUZZ_CHECK(oh->functions != NULL, "out of memory");
		for (size_t f = 0; f < sh->nfunctions; f++) {
			oh->functions[f] = sh->functions[f];
			oh->functions[f].items = NULL;
			oh->functions[f].nitems = 0;
			for (size_t k = 0; k < sh->functions[f].nitems; k++)
				add_item(&oh->functions[f], sh->functions[f].items[k]);
		}
	}
	for (size_t i = 0; i < plan->nfunctions; i++) {
		const struct im_function_plan *fp = &plan->functions[i];
		struct im_function *f = &out->handovers[fp->handover].functions[fp->function];
		if (fp->added)
			f->name = fp->name;
		if (fp->added || fp->due_changed)
			f->due = fp->due;
	}
	for (size_t i = 0; i < p->nrows; i++) {
		const struct im_row *r = &p->rows[i];
		const struct im_decision *d = &plan->rows[i];
		struct im_function *f = &out->handovers[r->handover].functions[d->function];
		if (d->what == IM_ADD) {
			add_item(f, (struct im_item){.number = d->number,
			                             .title = r->title,
			                             .guidance = r->guidance,
			                             .own_due = d->own_due});
		} else if (d->what == IM_CHANGE) {
			struct im_item *it = &f->items[d->item];
			if (d->changed & IM_TITLE)
				it->title = r->title;
			if (d->changed & IM_GUIDANCE)
				it->guidance = r->guidance;
			if (d->changed & IM_DUE)
				it->own_due = d->own_due;
		}
	}
	for (size_t h = 0; h < out->nhandovers; h++)
		for (size_t f = 0; f < out->handovers[h].nfunctions; f++) {
			struct im_function *fn = &out->handovers[h].functions[f];
			for (size_t k = 0; k < fn->nitems; k++)
				if (strcmp(effective(fn->items[k].own_due, fn), fn->due) == 0)
					fn->items[k].own_due = "";
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 65536)
		return 0;
	char *text = fuzz_string(data, size);
	struct parsed p;
	parse(text, &p);

	/* Items per function before the match: [0] functions, then each. */
	size_t **before = calloc(p.snap.nhandovers ? p.snap.nhandovers : 1, sizeof *before);
	FUZZ_CHECK(before != NULL, "out of memory");
	for (size_t h = 0; h < p.snap.nhandovers; h++) {
		size_t nf = p.snap.handovers[h].nfunctions;
		before[h] = calloc(nf + 1, sizeof **before);
		FUZZ_CHECK(before[h] != NULL, "out of memory");
		before[h][0] = nf;
		for (size_t f = 0; f < nf; f++)
			before[h][1 + f] = p.snap.handovers[h].functions[f].nitems;
	}

	struct im_plan plan;
	char err[300];
	int rc = im_match(&p.snap, &p.cols, p.rows, p.nrows, &plan, err, sizeof err);
	if (rc != 0) {
		FUZZ_CHECK(rc == IM_EBADROW || rc == IM_ESIGNED || rc == IM_ENOMEM,
		           "unknown result %d", rc);
		FUZZ_CHECK(err[0] && !strchr(err, '\n'), "refusal without a one-line reason: '%s'",
		           err);
		FUZZ_CHECK(!plan.rows && !plan.functions && plan.nfunctions == 0,
		           "refused, but the plan holds rows");
	} else {
		FUZZ_CHECK(!err[0], "matched, with a reason: %s", err);
		check_plan(&p, &plan, before);
		/* The same rows again, against the file as the plan leaves it. */
		struct im_snapshot again;
		apply(&p, &plan, &again);
		struct im_plan plan2;
		char err2[300];
		int rc2 = im_match(&again, &p.cols, p.rows, p.nrows, &plan2, err2, sizeof err2);
		FUZZ_CHECK(rc2 == 0, "the second import of the same rows was refused: %s", err2);
		for (size_t i = 0; i < p.nrows; i++)
			FUZZ_CHECK(plan2.rows[i].what == IM_SAME,
			           "the second import of the same rows %s line %d (%s)",
			           plan2.rows[i].what == IM_ADD ? "adds" : "changes",
			           p.rows[i].line, p.rows[i].title);
		for (size_t i = 0; i < plan2.nfunctions; i++)
			FUZZ_CHECK(!plan2.functions[i].added && !plan2.functions[i].due_changed,
			           "the second import changes function %s",
			           again.handovers[plan2.functions[i].handover]
			               .functions[plan2.functions[i].function]
			               .code);
		im_plan_free(&plan2);
		snapshot_free(&again);
		im_plan_free(&plan);
	}
	for (size_t h = 0; h < p.snap.nhandovers; h++)
		free(before[h]);
	free(before);
	snapshot_free(&p.snap);
	free(p.rows);
	free(text);
	return 0;
}
