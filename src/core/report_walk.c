/* The one walk over a handover document (see report_doc.h): the order of
 * its parts lives here and nowhere else. */
#include "report_doc.h"

#include <string.h>

#define CALL(op, at, out)                                                                          \
	do {                                                                                       \
		if (op)                                                                            \
			(op)(at, out);                                                             \
	} while (0)

static void walk_item(const struct rd_writer *w, struct rd_at *at, FILE *out)
{
	const struct rd_thread *t = at->rf->threads ? &at->rf->threads[at->item] : NULL;
	CALL(w->item_begin, at, out);
	if (t && t->n) {
		CALL(w->thread_begin, at, out);
		for (size_t k = 0; k < t->n; k++) {
			at->entry = &t->entries[k];
			CALL(w->thread_entry, at, out);
		}
		at->entry = NULL;
		CALL(w->thread_end, at, out);
	}
	CALL(w->item_end, at, out);
}

void rd_walk(const struct rd_doc *d, const struct rd_writer *w, FILE *out)
{
	rd_walk_ctx(d, w, NULL, out);
}

void rd_walk_ctx(const struct rd_doc *d, const struct rd_writer *w, void *ctx, FILE *out)
{
	struct rd_at at = {.d = d, .section = -1, .prev_section = -1, .ctx = ctx};
	CALL(w->begin, &at, out);
	CALL(w->summary, &at, out);
	for (size_t i = 0; i < d->nfns; i++) {
		at.fn = i;
		at.rf = &d->fns[i];
		CALL(w->function_begin, &at, out);
		for (size_t j = 0; j < at.rf->nitems; j++) {
			at.item = j;
			at.it = &at.rf->items[j];
			walk_item(w, &at, out);
		}
		at.it = NULL;
		CALL(w->function_end, &at, out);
	}
	at.rf = NULL;
	CALL(w->carried_begin, &at, out);
	size_t r = 0;
	for (int section = 0; section < RD_CARRY__COUNT; section++) {
		at.prev_section = at.section;
		at.section = section;
		at.row = r < d->ncarry && (int)d->carry[r].section == section ? &d->carry[r] : NULL;
		CALL(w->carried_section, &at, out);
		at.table_open = at.row != NULL;
		for (; r < d->ncarry && (int)d->carry[r].section == section; r++) {
			at.row = &d->carry[r];
			const char *g = at.row->group;
			if (r > 0 && (int)d->carry[r - 1].section == section && g &&
			    strcmp(g, d->carry[r - 1].group ? d->carry[r - 1].group : "") != 0) {
				at.prev_section = section;
				CALL(w->carried_section, &at, out);
			}
			CALL(w->carried, &at, out);
		}
	}
	at.row = NULL;
	CALL(w->carried_end, &at, out);
	CALL(w->risks_begin, &at, out);
	for (size_t i = 0; i < d->nrisks; i++) {
		at.risk = &d->risks[i];
		CALL(w->risk, &at, out);
	}
	at.risk = NULL;
	CALL(w->risks_end, &at, out);
	CALL(w->actions_begin, &at, out);
	for (size_t i = 0; i < d->nactions; i++) {
		at.action = &d->actions[i];
		CALL(w->action, &at, out);
	}
	at.action = NULL;
	CALL(w->actions_end, &at, out);
	CALL(w->sign_off, &at, out);
	CALL(w->end, &at, out);
}
