/* The checklist of one function: each item's reference, title, the sender's
 * and the receiver's state (in words, so they read without colour), due
 * date (overdue marked), whether evidence is given, and how long its
 * thread is. Item actions act on the selected item. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

struct checklist {
	ho_function function;
	int have_function;
	char *handover; /* its handover's service or title */
	ho_item *items;
	size_t nitems;
	int title_w; /* the widest title */
};

static int cl_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct checklist));
	return v->data ? 0 : -1;
}

static void cl_clear(struct checklist *c)
{
	if (c->have_function)
		ho_function_clear(&c->function);
	c->have_function = 0;
	ho_item_free(c->items, c->nitems);
	c->items = NULL;
	c->nitems = 0;
	free(c->handover);
	c->handover = NULL;
}

static void cl_done(tui_view *v)
{
	cl_clear(v->data);
	free(v->data);
}

/* The items in the order of v->sort (the checklist's own when none). */
static void sort_items(tui_view *v, ho_item *items, size_t n)
{
	if (v->sort == TUI_SORT_ORDER || n < 2)
		return;
	struct tui_sort_key *keys = calloc(n, sizeof *keys);
	ho_item *sorted = calloc(n, sizeof *sorted);
	if (!keys || !sorted) {
		free(keys);
		free(sorted);
		return; /* out of memory: the checklist's order */
	}
	for (size_t i = 0; i < n; i++) {
		keys[i] = (struct tui_sort_key){
		    items[i].rag, items[i].overdue, items[i].due_date, 0, 0, i};
		tui_item_progress(&items[i], &keys[i].done, &keys[i].total);
	}
	tui_sort_keys(v->sort, keys, n);
	for (size_t i = 0; i < n; i++)
		sorted[i] = items[keys[i].index];
	memcpy(items, sorted, n * sizeof *items);
	free(sorted);
	free(keys);
}

static ho_status cl_load(tui_view *v, tui_app *app)
{
	struct checklist *c = v->data;
	int64_t keep = v->select;
	if (!keep && c->nitems > 0)
		keep = c->items[v->list.sel].id;
	/* Read everything first: when the file cannot be read (busy, gone)
	 * the screen keeps what it showed. */
	ho_function f;
	ho_item *items = NULL;
	size_t n = 0;
	ho_status st = ho_function_get(app->db, v->id, &f);
	if (st != HO_OK)
		return st;
	st = ho_items_list(app->db, v->id, v->filter, &items, &n);
	if (st != HO_OK) {
		ho_function_clear(&f);
		return st;
	}
	sort_items(v, items, n);
	cl_clear(c);
	c->function = f;
	c->have_function = 1;
	c->items = items;
	c->nitems = n;
	tui_news_open_function(app, v->id); /* its items keep their own marks */
	/* Only its name: the handover's items need no counting here. */
	ho_handover *h = NULL;
	size_t nh = 0;
	if (ho_outline(app->db, f.handover_id, &h, &nh, NULL, NULL) == HO_OK && nh == 1)
		c->handover = strdup(h->service[0] ? h->service : h->title);
	ho_handover_free(h, nh);
	c->title_w = 0;
	for (size_t i = 0; i < n; i++) {
		int w = tui_user_width(items[i].title);
		c->title_w = w > c->title_w ? w : c->title_w;
	}
	v->list.count = (int)n;
	for (size_t i = 0; keep && i < n; i++)
		if (items[i].id == keep)
			v->list.sel = (int)i;
	tui_list_fix(&v->list);
	return HO_OK;
}

enum { C_REF, C_TITLE, C_SENDER, C_RECEIVER, C_DUE, C_EVIDENCE, C_NOTES, C_RAG, C__N };

static void columns(const struct checklist *cl, struct tui_col *c, int width)
{
	struct tui_col init[C__N] = {
	    [C_REF] = {.title = "Ref", .width = 7, .prio = 1},
	    [C_TITLE] = {.title = "Item", .min = 12, .weight = 1, .prio = 1},
	    [C_SENDER] = {.title = "Sender", .width = 11, .prio = 1},
	    [C_RECEIVER] = {.title = "Receiver", .width = 10, .prio = 1},
	    [C_DUE] = {.title = "Due", .width = 11, .prio = 3},
	    [C_EVIDENCE] = {.title = "Ev", .width = 2, .prio = 4},
	    [C_NOTES] = {.title = "Notes", .width = 5, .prio = 4, .right = 1},
	    [C_RAG] = {.title = "RAG", .width = 5, .prio = 5},
	};
	init[C_TITLE].max = cl->title_w > 12 ? cl->title_w : 12;
	memcpy(c, init, sizeof init);
	tui_cols_layout(c, C__N, width);
}

static void draw_item(WINDOW *w, int y, const struct tui_col *c, const ho_item *it, int sel,
                      int changed)
{
	attr_t sa = tui_attr(TUI_C_SELECTED);
	char buf[64];
	/* Changed by someone else since this person last looked (news.c). */
	tui_fmt(buf, sizeof buf, "%s%s%s", it->ref, it->overdue && !c[C_DUE].w ? "!" : "",
	        changed ? tui_glyph(TUI_G_NEW) : "");
	tui_put(w, y, c[C_REF].x, c[C_REF].w,
	        (sel ? sa : tui_attr(it->overdue ? TUI_C_OVERDUE : 0)) | (changed ? A_BOLD : 0),
	        buf, 0);
	tui_put_user(w, y, c[C_TITLE].x, c[C_TITLE].w, sel ? sa : 0, it->title, 0);
	tui_put(w, y, c[C_SENDER].x, c[C_SENDER].w,
	        sel ? sa : tui_attr(tui_sender_role(it->sender_state)),
	        tui_sender_word(it->sender_state), 0);
	tui_put(w, y, c[C_RECEIVER].x, c[C_RECEIVER].w,
	        sel ? sa : tui_attr(tui_receiver_role(it->receiver_state)),
	        tui_receiver_word(it->receiver_state), 0);
	if (c[C_DUE].w && it->due_date[0]) {
		tui_fmt(buf, sizeof buf, "%s%s", it->due_date, it->overdue ? "!" : "");
		tui_put_user(w, y, c[C_DUE].x, c[C_DUE].w,
		             sel ? sa : tui_attr(it->overdue ? TUI_C_OVERDUE : TUI_C_MUTED), buf,
		             0);
	}
	if (c[C_EVIDENCE].w && (it->evidence[0] || it->na_reason[0]))
		tui_put(w, y, c[C_EVIDENCE].x, c[C_EVIDENCE].w, sel ? sa : tui_attr(TUI_C_PROGRESS),
		        it->evidence[0] ? "E" : "R", 0);
	if (c[C_NOTES].w && it->thread_count) {
		tui_fmt(buf, sizeof buf, "%d", it->thread_count);
		tui_put_right(w, y, c[C_NOTES].x, c[C_NOTES].w,
		              sel ? sa : tui_attr(it->open_queries ? TUI_C_GAP : 0), buf);
	}
	if (c[C_RAG].w && it->rag != HO_RAG_NONE)
		tui_put(w, y, c[C_RAG].x, c[C_RAG].w, sel ? sa : tui_attr(tui_rag_role(it->rag)),
		        tui_rag_word(it->rag), 0);
}

static void cl_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	struct checklist *cl = v->data;
	int width = getmaxx(w);
	struct tui_col c[C__N];
	columns(cl, c, width - 1);
	tui_table_frame(w, c, C__N, &v->list);
	if (v->list.count == 0) {
		char say[128];
		if (v->filter != HO_FILTER_ALL)
			tui_fmt(say, sizeof say, "No items match the filter \"%s\" (f changes it).",
			        ho_filter_name(v->filter));
		else
			tui_fmt(say, sizeof say, "This function has no items.");
		tui_put(w, 2, 2, width - 4, tui_attr(TUI_C_MUTED), say, 0);
		return;
	}
	for (int i = 0; i < v->list.height && v->list.top + i < v->list.count; i++) {
		int r = v->list.top + i, sel = r == v->list.sel;
		if (sel)
			tui_fill(w, 1 + i, 0, width, tui_attr(TUI_C_SELECTED));
		/* Drawn is seen: a later change is refused once (seen.c). */
		tui_seen_changed(app, &cl->items[r]);
		draw_item(w, 1 + i, c, &cl->items[r], sel, tui_news_item(app, cl->items[r].id));
		tui_draw_tag(w, 1 + i, tui_tagged(v, cl->items[r].id), sel);
	}
}

static const ho_item *selected(tui_view *v)
{
	struct checklist *c = v->data;
	return c->nitems ? &c->items[v->list.sel] : NULL;
}

static const ho_item *cl_row_item(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct checklist *c = v->data;
	return row >= 0 && (size_t)row < c->nitems ? &c->items[row] : NULL;
}

static tui_req cl_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	struct checklist *c = v->data;
	const ho_item *it = selected(v);
	tui_req r = tui_req_make(TUI_REQ_REDRAW);
	switch (a) {
	case TUI_ACT_OPEN:
		if (it) {
			r.what = TUI_REQ_OPEN;
			r.open = &tui_item_view;
			r.id = it->id;
		}
		return r;
	case TUI_ACT_SIGN:
		return tui_sign_function(app, c->have_function ? &c->function : NULL);
	case TUI_ACT_PRINT:
		if (!c->have_function)
			return r;
		return tui_print(app, c->function.handover_id, c->function.id);
	case TUI_ACT_ITEM_ADD:
		return tui_item_add(app, c->have_function ? &c->function : NULL);
	case TUI_ACT_ITEM_EDIT:
	case TUI_ACT_ITEM_DUE:
		return tui_item_edit(app, it, a == TUI_ACT_ITEM_DUE);
	case TUI_ACT_ITEM_RETIRE:
		return tui_item_retire(app, it);
	case TUI_ACT_ITEM_UP:
	case TUI_ACT_ITEM_DOWN: {
		/* Before the row above, or before the one after the row below
		 * (none: last). */
		int sel = v->list.sel, n = (int)c->nitems;
		if (v->sort != TUI_SORT_ORDER) {
			/* The neighbours on screen are not the checklist's. */
			tui_error(app, "Sorted by %s: o back to checklist order to move items.",
			          tui_sort_name(v->sort));
			return r;
		}
		if (!it || (a == TUI_ACT_ITEM_UP ? sel == 0 : sel + 1 >= n))
			return r;
		int64_t before = a == TUI_ACT_ITEM_UP ? c->items[sel - 1].id
		                 : sel + 2 < n        ? c->items[sel + 2].id
		                                      : 0;
		return tui_item_move(app, it, before);
	}
	case TUI_ACT_FUNCTION_ADD:
		return c->have_function ? tui_function_add(app, c->function.handover_id) : r;
	case TUI_ACT_FUNCTION_EDIT:
		return c->have_function ? tui_function_edit(app, &c->function) : r;
	case TUI_ACT_FUNCTION_RETIRE:
		return c->have_function ? tui_function_retire(app, &c->function) : r;
	default:
		if (tui_is_item_action(a))
			return tui_item_act(app, it, a);
		return tui_req_make(TUI_REQ_NONE);
	}
}

static int cl_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	struct checklist *c = v->data;
	switch (a) {
	case TUI_ACT_OPEN:
		return v->list.count > 0;
	case TUI_ACT_PRINT:
		return c->have_function;
	case TUI_ACT_SIGN:
		return c->have_function && tui_offers_sign_function(app, &c->function);
	case TUI_ACT_ITEM_ADD:
	case TUI_ACT_FUNCTION_ADD:
	case TUI_ACT_FUNCTION_EDIT:
	case TUI_ACT_FUNCTION_RETIRE:
		return c->have_function && ho_is_lead(app->db);
	case TUI_ACT_ITEM_EDIT:
	case TUI_ACT_ITEM_DUE:
	case TUI_ACT_ITEM_RETIRE:
	case TUI_ACT_ITEM_UP:
	case TUI_ACT_ITEM_DOWN:
		return selected(v) && ho_is_lead(app->db);
	default:
		return tui_is_item_action(a) && selected(v) &&
		       tui_item_offers_in(app, c->have_function ? &c->function : NULL, selected(v),
		                          a, NULL);
	}
}

static void cl_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	(void)app;
	struct checklist *c = v->data;
	if (!c->have_function) {
		tui_fmt(buf, size, "Checklist");
		return;
	}
	const ho_function *f = &c->function;
	char *where = tui_clean(c->handover ? c->handover : "");
	char *code = tui_clean(f->code), *name = tui_clean(f->name);
	char *sender = tui_clean(f->sender_id ? f->sender_name : "no sender");
	char *receiver = tui_clean(f->receiver_id ? f->receiver_name : "no receiver");
	char due[48] = "";
	if (f->due_date[0]) {
		char *d = tui_clean(f->due_date);
		tui_fmt(due, sizeof due, ", due %s", d);
		free(d);
	}
	tui_fmt(buf, size, "%s%s%s %s: %s %s %s%s, %d/%d accepted", where, where[0] ? " " : "",
	        code, name, sender, tui_glyph(TUI_G_ARROW), receiver, due, f->counts.done,
	        f->counts.total);
	free(where);
	free(code);
	free(name);
	free(sender);
	free(receiver);
}

static char *cl_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct checklist *c = v->data;
	const ho_item *it = &c->items[row];
	char *out = NULL;
	if (asprintf(&out, "%s %s %s %s %s %s", it->ref, it->title,
	             tui_sender_word(it->sender_state), tui_receiver_word(it->receiver_state),
	             it->due_date, tui_rag_word(it->rag)) < 0)
		out = NULL;
	return out;
}

static int64_t cl_handover(tui_view *v, tui_app *app)
{
	(void)app;
	struct checklist *c = v->data;
	return c->have_function ? c->function.handover_id : 0;
}

const struct tui_view_ops tui_checklist_view = {
    .name = "checklist",
    .screen = TUI_SCR_CHECKLIST,
    .init = cl_init,
    .load = cl_load,
    .draw = cl_draw,
    .handle = cl_handle,
    .offers = cl_offers,
    .title = cl_title,
    .row_text = cl_row_text,
    .row_item = cl_row_item,
    .handover = cl_handover,
    .sorts = 1,
    .done = cl_done,
};
