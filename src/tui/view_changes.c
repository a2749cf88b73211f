/* Changes: what others changed since you last looked (who, what, when),
 * newest first, read through the same core as `handover changes`. Enter
 * opens the item (or the function's checklist); a row stays bold with a
 * dot until what it changed is opened. The look is recorded when the
 * application ends, so the list holds everything since the last session. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handover/changes.h"
#include "view_common.h"

/* The most rows read; the heading counts them all. */
#define CHANGES_MAX 2000

struct changes {
	ho_change *c;
	size_t n, total;
	int64_t since; /* when the person last looked; 0: never */
};

static int ch_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct changes));
	return v->data ? 0 : -1;
}

static void ch_done(tui_view *v)
{
	struct changes *ch = v->data;
	ho_change_free(ch->c, ch->n);
	free(ch);
}

static ho_status ch_load(tui_view *v, tui_app *app)
{
	struct changes *ch = v->data;
	int64_t keep = ch->n && v->list.sel < (int)ch->n ? ch->c[v->list.sel].event_id : 0;
	ho_change *c = NULL;
	size_t n = 0, total = 0;
	/* The same changes the title bar counts and the rows mark. */
	tui_news_load(app);
	int64_t since = 0, after = tui_news_after(app, &since);
	ho_status st = ho_changes_after(app->db, after, CHANGES_MAX, &c, &n, &total);
	if (st != HO_OK)
		return st;
	ho_change_free(ch->c, ch->n);
	ch->c = c;
	ch->n = n;
	ch->total = total;
	ch->since = since;
	v->list.count = (int)n;
	/* Newer rows arrive on top: the selection stays on its change. */
	for (size_t i = 0; keep && i < n; i++)
		if (c[i].event_id == keep)
			v->list.sel = (int)i;
	tui_list_fix(&v->list);
	return HO_OK;
}

static int row_news(tui_app *app, const ho_change *c)
{
	if (c->item_id)
		return tui_news_item(app, c->item_id);
	if (c->function_id)
		return tui_news_function(app, c->function_id);
	return tui_news_event(app, c->event_id);
}

enum { C_WHEN, C_WHO, C_WHAT, C_REF, C_CHANGE, C__N };

static void ch_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	struct changes *ch = v->data;
	int width = getmaxx(w);
	struct tui_col c[C__N] = {
	    [C_WHEN] = {.title = "When", .width = 17, .prio = 2},
	    [C_WHO] = {.title = "Who", .min = 10, .weight = 1, .max = 22, .prio = 1},
	    [C_WHAT] = {.title = "What", .width = 14, .prio = 1},
	    [C_REF] = {.title = "Ref", .width = 10, .prio = 1},
	    [C_CHANGE] = {.title = "Change", .min = 12, .weight = 3, .prio = 3},
	};
	tui_cols_layout(c, C__N, width - 1);
	tui_table_frame(w, c, C__N, &v->list);
	if (ch->n == 0) {
		tui_put(w, 2, 2, width - 4, tui_attr(TUI_C_DONE),
		        "Nothing changed by others since you last looked.", 0);
		return;
	}
	attr_t sa = tui_attr(TUI_C_SELECTED);
	char arrow[16];
	tui_fmt(arrow, sizeof arrow, " %s ", tui_glyph(TUI_G_ARROW));
	for (int i = 0; i < v->list.height && v->list.top + i < v->list.count; i++) {
		int r = v->list.top + i, y = 1 + i, sel = r == v->list.sel;
		const ho_change *x = &ch->c[r];
		int news = row_news(app, x);
		attr_t bold = news ? A_BOLD : 0;
		if (sel)
			tui_fill(w, y, 0, width, sa);
		char when[24], ref[96];
		ho_time_format(x->at, when, sizeof when);
		tui_put(w, y, c[C_WHEN].x, c[C_WHEN].w, (sel ? sa : tui_attr(TUI_C_MUTED)) | bold,
		        when, 0);
		tui_put_user(w, y, c[C_WHO].x, c[C_WHO].w, (sel ? sa : 0) | bold, x->actor_name, 0);
		tui_put_user(w, y, c[C_WHAT].x, c[C_WHAT].w, (sel ? sa : 0) | bold, x->action, 0);
		char *clean = tui_clean(x->ref);
		tui_fmt(ref, sizeof ref, "%s%s", clean, news ? tui_glyph(TUI_G_NEW) : "");
		free(clean);
		tui_put(w, y, c[C_REF].x, c[C_REF].w, (sel ? sa : 0) | bold, ref, 0);
		if (c[C_CHANGE].w) {
			char *text = NULL, *old = tui_history_words(x->old_value),
			     *now = tui_history_words(x->new_value);
			if (!old || !now ||
			    asprintf(&text, "%.300s%s%.300s", old, old[0] && now[0] ? arrow : "",
			             now) < 0)
				text = NULL;
			free(old);
			free(now);
			if (text)
				tui_put_user(w, y, c[C_CHANGE].x, c[C_CHANGE].w,
				             (sel ? sa : tui_attr(TUI_C_MUTED)) | bold, text, 0);
			free(text);
		}
	}
	if (ch->total > ch->n && v->list.top + v->list.height >= v->list.count) {
		char more[96];
		tui_fmt(more, sizeof more, "... and %zu older (handover changes lists them)",
		        ch->total - ch->n);
		int y = 1 + v->list.count - v->list.top;
		if (y < getmaxy(w))
			tui_put(w, y, 1, width - 2, tui_attr(TUI_C_MUTED), more, 0);
	}
}

static const ho_change *selected(tui_view *v)
{
	struct changes *ch = v->data;
	return ch->n && v->list.sel >= 0 && (size_t)v->list.sel < ch->n ? &ch->c[v->list.sel]
	                                                                : NULL;
}

static tui_req ch_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	const ho_change *x = selected(v);
	tui_req r = tui_req_make(TUI_REQ_NONE);
	if (a != TUI_ACT_OPEN || !x)
		return r;
	r.what = TUI_REQ_OPEN;
	if (x->item_id) {
		r.open = &tui_item_view;
		r.id = x->item_id;
	} else if (x->function_id) {
		r.open = &tui_checklist_view;
		r.id = x->function_id;
	} else {
		/* People, a handover's cover: nothing of its own to open. */
		tui_news_open_handover(app, x->handover_id);
		r.what = TUI_REQ_TAB;
		r.open = &tui_dashboard_view;
	}
	return r;
}

static int ch_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	(void)app;
	return a == TUI_ACT_OPEN && selected(v) != NULL;
}

static void ch_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	struct changes *ch = v->data;
	const char *s = ch->total == 1 ? "" : "s";
	if (!ch->since) {
		tui_fmt(buf, size, "Changes: %zu change%s by others since you opened %s here",
		        ch->total, s, tui_news_place(app));
		return;
	}
	char when[48];
	tui_when_words(ch->since, when, sizeof when);
	tui_fmt(buf, size, "Changes: %zu change%s by others since you last looked, %s", ch->total,
	        s, when);
}

static char *ch_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct changes *ch = v->data;
	if (row < 0 || (size_t)row >= ch->n)
		return NULL;
	const ho_change *x = &ch->c[row];
	char when[24];
	ho_time_format(x->at, when, sizeof when);
	char *out = NULL;
	if (asprintf(&out, "%s %s %s %s %s %s", when, x->actor_name, x->action, x->ref,
	             x->old_value, x->new_value) < 0)
		out = NULL;
	return out;
}

const struct tui_view_ops tui_changes_view = {
    .name = "changes",
    .screen = TUI_SCR_CHANGES,
    .init = ch_init,
    .load = ch_load,
    .draw = ch_draw,
    .handle = ch_handle,
    .offers = ch_offers,
    .title = ch_title,
    .row_text = ch_row_text,
    .done = ch_done,
};
