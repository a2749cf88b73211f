/* Gaps: everything waiting on someone across functions and handovers (open
 * queries, overdue items, items handed over but not reviewed, conditions
 * carried forward, functions without a pair). By default only what the
 * current person can act on; f widens or narrows it. Enter opens the item
 * (or, for a function without a pair, where it can be paired). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

struct gaps {
	ho_gap *gaps;
	size_t ngaps;
	ho_handover *handovers; /* to name where a gap is when there are several */
	size_t nhandovers;
	ho_item item; /* the selected gap's item, read when needed */
	int64_t item_id;
	int title_w, detail_w, owner_w;
};

static int gaps_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct gaps));
	v->filter = HO_FILTER_MINE;
	return v->data ? 0 : -1;
}

static void forget_item(struct gaps *g)
{
	if (g->item_id)
		ho_item_clear(&g->item);
	g->item_id = 0;
}

static void gaps_clear(struct gaps *g)
{
	ho_gap_free(g->gaps, g->ngaps);
	ho_handover_free(g->handovers, g->nhandovers);
	g->gaps = NULL;
	g->handovers = NULL;
	g->ngaps = g->nhandovers = 0;
	forget_item(g);
}

static void gaps_done(tui_view *v)
{
	gaps_clear(v->data);
	free(v->data);
}

static int wanted(ho_filter f, ho_gap_kind k)
{
	switch (f) {
	case HO_FILTER_GAPS:
		return k != HO_GAP_OVERDUE;
	case HO_FILTER_OVERDUE:
		return k == HO_GAP_OVERDUE;
	case HO_FILTER_ALL:
	case HO_FILTER_MINE:
		break;
	}
	return 1;
}

static int same_gap(const ho_gap *a, const ho_gap *b)
{
	return a->kind == b->kind && a->item_id == b->item_id && a->function_id == b->function_id;
}

static ho_status gaps_load(tui_view *v, tui_app *app)
{
	struct gaps *g = v->data;
	ho_gap keep = {0};
	int had = g->ngaps > 0;
	if (had)
		keep = g->gaps[v->list.sel];
	ho_gap *all = NULL;
	size_t n = 0;
	ho_status st = ho_gaps_list(app->db, 0, 0, v->filter == HO_FILTER_MINE, &all, &n);
	/* When the file cannot be read (busy, gone) the screen keeps what it
	 * showed. */
	if (st != HO_OK)
		return st;
	/* Compare against the old selection before freeing it. */
	size_t kept = 0;
	int found = -1;
	for (size_t i = 0; i < n; i++) {
		if (!wanted(v->filter, all[i].kind))
			continue;
		if (had && found < 0 && same_gap(&all[i], &keep))
			found = (int)kept;
		if (kept != i) {
			ho_gap tmp = all[kept];
			all[kept] = all[i];
			all[i] = tmp;
		}
		kept++;
	}
	gaps_clear(g);
	/* The ones filtered out sit past `kept`: free them, keep the rest. */
	if (kept < n) {
		ho_gap *rest = malloc((n - kept) * sizeof *rest);
		if (rest) {
			memcpy(rest, all + kept, (n - kept) * sizeof *rest);
			ho_gap_free(rest, n - kept);
		}
	}
	g->gaps = all;
	g->ngaps = kept;
	if (ho_handovers_list(app->db, &g->handovers, &g->nhandovers) != HO_OK) {
		g->handovers = NULL;
		g->nhandovers = 0;
	}
	g->title_w = g->detail_w = g->owner_w = 0;
	for (size_t i = 0; i < kept; i++) {
		int tw = tui_user_width(all[i].title), dw = tui_user_width(all[i].detail);
		int ow = tui_user_width(all[i].owner_name[0] ? all[i].owner_name : "nobody paired");
		g->title_w = tw > g->title_w ? tw : g->title_w;
		g->detail_w = dw > g->detail_w ? dw : g->detail_w;
		g->owner_w = ow > g->owner_w ? ow : g->owner_w;
	}
	v->list.count = (int)kept;
	if (found >= 0)
		v->list.sel = found;
	tui_list_fix(&v->list);
	return HO_OK;
}

static const char *where(const struct gaps *g, int64_t handover_id)
{
	if (g->nhandovers < 2)
		return "";
	for (size_t i = 0; i < g->nhandovers; i++)
		if (g->handovers[i].id == handover_id)
			return g->handovers[i].service[0] ? g->handovers[i].service
			                                  : g->handovers[i].title;
	return "";
}

enum { C_KIND, C_REF, C_TITLE, C_DETAIL, C_OWNER, C_DUE, C__N };

static void columns(const struct gaps *g, struct tui_col *c, int width)
{
	struct tui_col init[C__N] = {
	    [C_KIND] = {.title = "Gap", .width = 10, .prio = 1},
	    [C_REF] = {.title = "Ref", .width = g->nhandovers > 1 ? 16 : 7, .prio = 1},
	    [C_TITLE] = {.title = "Item", .min = 10, .weight = 2, .prio = 1},
	    [C_DETAIL] = {.title = "What", .min = 10, .weight = 3, .prio = 3},
	    /* Who acts outlasts what the gap says (opening it shows that),
	     * down to 60 columns. */
	    [C_OWNER] = {.title = "Who acts",
	                 .width = g->owner_w > 8 ? (g->owner_w < 20 ? g->owner_w : 20) : 8,
	                 .prio = 2},
	    [C_DUE] = {.title = "Due", .width = 10, .prio = 4},
	};
	init[C_TITLE].max = g->title_w > 10 ? g->title_w : 10;
	init[C_DETAIL].max = g->detail_w > 10 ? g->detail_w : 10;
	memcpy(c, init, sizeof init);
	tui_cols_layout(c, C__N, width);
}

static const ho_item *selected_item(tui_view *v, tui_app *app);
static int gap_is_mine(tui_app *app, const ho_gap *gap);

static void gaps_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	struct gaps *g = v->data;
	int width = getmaxx(w);
	struct tui_col c[C__N];
	columns(g, c, width - 1);
	tui_table_frame(w, c, C__N, &v->list);
	if (v->list.count == 0) {
		tui_put(w, 2, 2, width - 4, tui_attr(TUI_C_DONE),
		        v->filter == HO_FILTER_MINE
		            ? "Nothing waits on you. (f shows everyone's gaps.)"
		            : "No gaps match this filter.",
		        0);
		return;
	}
	attr_t sa = tui_attr(TUI_C_SELECTED);
	for (int i = 0; i < v->list.height && v->list.top + i < v->list.count; i++) {
		int r = v->list.top + i, y = 1 + i, sel = r == v->list.sel;
		const ho_gap *gap = &g->gaps[r];
		if (sel)
			tui_fill(w, y, 0, width, sa);
		tui_put(w, y, c[C_KIND].x, c[C_KIND].w,
		        sel ? sa : tui_attr(tui_gap_role(gap->kind)), ho_gap_kind_name(gap->kind),
		        0);
		char ref[300];
		char *place = tui_clean(where(g, gap->handover_id)), *gref = tui_clean(gap->ref);
		tui_fmt(ref, sizeof ref, "%s%s%s", place, place[0] ? " " : "", gref);
		free(place);
		free(gref);
		/* Changed by someone else since this person last looked. */
		int changed = gap->item_id ? tui_news_item(app, gap->item_id)
		                           : tui_news_function(app, gap->function_id);
		if (changed)
			tui_fmt(ref + strlen(ref), sizeof ref - strlen(ref), "%s",
			        tui_glyph(TUI_G_NEW));
		tui_put(w, y, c[C_REF].x, c[C_REF].w, (sel ? sa : 0) | (changed ? A_BOLD : 0), ref,
		        0);
		tui_put_user(w, y, c[C_TITLE].x, c[C_TITLE].w, sel ? sa : 0, gap->title, 0);
		if (c[C_DETAIL].w)
			tui_put_user(w, y, c[C_DETAIL].x, c[C_DETAIL].w,
			             sel ? sa : tui_attr(TUI_C_MUTED), gap->detail, 0);
		if (c[C_OWNER].w) {
			int mine = gap->owner_login[0] && gap_is_mine(app, gap);
			tui_put_user(w, y, c[C_OWNER].x, c[C_OWNER].w,
			             sel ? sa : tui_attr(mine ? TUI_C_KEY : 0),
			             mine                 ? "you"
			             : gap->owner_name[0] ? gap->owner_name
			                                  : "nobody paired",
			             0);
		}
		if (c[C_DUE].w)
			tui_put_user(w, y, c[C_DUE].x, c[C_DUE].w, sel ? sa : tui_attr(TUI_C_MUTED),
			             gap->due_date, 0);
		tui_draw_tag(w, y, gap->item_id && tui_tagged(v, gap->item_id), sel);
	}
}

static const ho_gap *selected(tui_view *v)
{
	struct gaps *g = v->data;
	return g->ngaps ? &g->gaps[v->list.sel] : NULL;
}

/* The selected gap's item, read once per selection (only what is on
 * screen is queried). */
static const ho_item *selected_item(tui_view *v, tui_app *app)
{
	struct gaps *g = v->data;
	const ho_gap *gap = selected(v);
	if (!gap || !gap->item_id)
		return NULL;
	if (g->item_id == gap->item_id)
		return &g->item;
	forget_item(g);
	if (ho_item_get(app->db, gap->item_id, &g->item) != HO_OK)
		return NULL;
	g->item_id = gap->item_id;
	return &g->item;
}

static const ho_item *gaps_row_item(tui_view *v, tui_app *app, int row)
{
	return row == v->list.sel ? selected_item(v, app) : NULL;
}

static tui_req gaps_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	const ho_gap *gap = selected(v);
	tui_req r = tui_req_make(TUI_REQ_REDRAW);
	if (!gap)
		return r;
	switch (a) {
	case TUI_ACT_OPEN:
		r.what = TUI_REQ_OPEN;
		if (gap->item_id) {
			r.open = &tui_item_view;
			r.id = gap->item_id;
		} else if (ho_is_lead(app->db)) {
			r.open = &tui_people_view;
			r.select = gap->function_id;
		} else {
			r.open = &tui_checklist_view;
			r.id = gap->function_id;
		}
		return r;
	case TUI_ACT_PRINT:
		return tui_print(app, gap->handover_id, 0);
	default:
		if (tui_is_item_action(a)) {
			if (!gap->item_id) {
				tui_error(app, "%s has no sender or receiver yet: a lead pairs it.",
				          gap->ref);
				return r;
			}
			return tui_item_act(app, selected_item(v, app), a);
		}
		return tui_req_make(TUI_REQ_NONE);
	}
}

static int gaps_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	if (!selected(v))
		return 0;
	if (a == TUI_ACT_OPEN || a == TUI_ACT_PRINT)
		return 1;
	const ho_item *it = tui_is_item_action(a) ? selected_item(v, app) : NULL;
	return it && tui_item_offers(app, it, a, NULL);
}

/* Is the gap the actor's to act on: theirs by name, or (a lead) a
 * function nobody is paired on, which only a lead can pair? */
static int gap_is_mine(tui_app *app, const ho_gap *gap)
{
	if (gap->owner_login[0])
		return strcmp(gap->owner_login, ho_actor(app->db)->login) == 0;
	return gap->kind == HO_GAP_UNPAIRED && ho_is_lead(app->db);
}

static void gaps_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	struct gaps *g = v->data;
	/* A lead's "mine" is every gap, to watch: only what is theirs to do
	 * is said to wait on them. */
	size_t mine = 0;
	for (size_t i = 0; i < g->ngaps; i++)
		mine += gap_is_mine(app, &g->gaps[i]) != 0;
	if (v->filter == HO_FILTER_MINE && mine == g->ngaps)
		tui_fmt(buf, size, "Gaps: %zu waiting on you", g->ngaps);
	else
		tui_fmt(buf, size, "Gaps: %zu, %zu of them waiting on you", g->ngaps, mine);
}

static char *gaps_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct gaps *g = v->data;
	const ho_gap *gap = &g->gaps[row];
	char *out = NULL;
	if (asprintf(&out, "%s %s %s %s %s %s %s", ho_gap_kind_name(gap->kind), gap->ref,
	             gap->title, gap->detail, gap->owner_name, where(g, gap->handover_id),
	             gap->due_date) < 0)
		out = NULL;
	return out;
}

static int64_t gaps_handover(tui_view *v, tui_app *app)
{
	(void)app;
	const ho_gap *gap = selected(v);
	return gap ? gap->handover_id : 0;
}

const struct tui_view_ops tui_gaps_view = {
    .name = "gaps",
    .screen = TUI_SCR_GAPS,
    .init = gaps_init,
    .load = gaps_load,
    .draw = gaps_draw,
    .handle = gaps_handle,
    .offers = gaps_offers,
    .title = gaps_title,
    .row_text = gaps_row_text,
    .row_item = gaps_row_item,
    .handover = gaps_handover,
    .done = gaps_done,
};
