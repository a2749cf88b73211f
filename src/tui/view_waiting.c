/* Who waits on whom (a lead's view, from the dashboard): across every
 * handover in the file, per person, the items whose move is theirs, oldest
 * first, and last the items nobody can move because that side is unpaired.
 * The same list as `handover status --all` (ho_waiting_list). Enter opens
 * the item. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

/* A row is a person's heading or one item waiting on them. */
struct row {
	int heading;
	size_t index; /* into the list: the item, or the heading's first item */
	size_t count; /* a heading: how many items wait on that person */
};

struct waiting {
	ho_waiting *w;
	size_t n;
	struct row *rows;
	int nrows;
	size_t people;
};

static int waiting_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct waiting));
	return v->data ? 0 : -1;
}

static void waiting_clear(struct waiting *s)
{
	ho_waiting_free(s->w, s->n);
	free(s->rows);
	memset(s, 0, sizeof *s);
}

static void waiting_done(tui_view *v)
{
	waiting_clear(v->data);
	free(v->data);
}

static int waiting_selectable(tui_view *v, int row)
{
	struct waiting *s = v->data;
	return row >= 0 && row < s->nrows && !s->rows[row].heading;
}

static ho_status waiting_load(tui_view *v, tui_app *app)
{
	struct waiting *s = v->data;
	ho_waiting *w = NULL;
	size_t n = 0;
	ho_status st = ho_waiting_list(app->db, &w, &n);
	if (st != HO_OK)
		return st;
	struct row *rows = calloc(2 * n + 1, sizeof *rows);
	if (!rows) {
		ho_waiting_free(w, n);
		return HO_ENOMEM;
	}
	/* Stay on the same item (handover and ref) across a reload. */
	int64_t keep_handover = 0;
	char keep_ref[sizeof w->ref] = "";
	if (waiting_selectable(v, v->list.sel)) {
		const ho_waiting *was = &s->w[s->rows[v->list.sel].index];
		keep_handover = was->handover_id;
		tui_fmt(keep_ref, sizeof keep_ref, "%s", was->ref);
	}
	int nrows = 0, found = -1, heading = -1;
	size_t people = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || strcmp(w[i].login, w[i - 1].login) != 0) {
			heading = nrows;
			rows[nrows++] = (struct row){1, i, 0};
			people += w[i].login[0] != '\0';
		}
		rows[heading].count++;
		if (found < 0 && keep_ref[0] && w[i].handover_id == keep_handover &&
		    strcmp(w[i].ref, keep_ref) == 0)
			found = nrows;
		rows[nrows++] = (struct row){0, i, 0};
	}
	waiting_clear(s);
	s->w = w;
	s->n = n;
	s->rows = rows;
	s->nrows = nrows;
	s->people = people;
	v->list.count = nrows;
	if (found >= 0)
		v->list.sel = found;
	tui_list_fix(&v->list);
	while (v->list.sel < nrows - 1 && !waiting_selectable(v, v->list.sel))
		v->list.sel++;
	return HO_OK;
}

enum { C_REF, C_HANDOVER, C_MOVE, C_SINCE, C_TITLE, C__N };

static void waiting_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	(void)app;
	struct waiting *s = v->data;
	int width = getmaxx(w);
	struct tui_col c[C__N] = {
	    [C_REF] = {.title = "Ref", .width = 8, .prio = 1},
	    [C_HANDOVER] = {.title = "Handover", .min = 10, .weight = 1, .max = 30, .prio = 2},
	    [C_MOVE] = {.title = "To", .width = 11, .prio = 3},
	    [C_SINCE] = {.title = "Waiting since", .width = 16, .prio = 1},
	    [C_TITLE] = {.title = "Item", .min = 16, .weight = 3, .prio = 1},
	};
	tui_cols_layout(c, C__N, width - 1);
	tui_table_frame(w, c, C__N, &v->list);
	if (s->nrows == 0) {
		tui_put(w, 2, 2, width - 4, tui_attr(TUI_C_DONE),
		        "Nobody waits on anyone: every item is accepted.", 0);
		return;
	}
	attr_t sa = tui_attr(TUI_C_SELECTED);
	for (int i = 0; i < v->list.height && v->list.top + i < s->nrows; i++) {
		int r = v->list.top + i, y = 1 + i, sel = r == v->list.sel;
		const struct row *row = &s->rows[r];
		const ho_waiting *e = &s->w[row->index];
		if (row->heading) {
			char head[600];
			char *name = tui_clean(e->name), *login = tui_clean(e->login);
			if (e->login[0])
				tui_fmt(head, sizeof head, "%s (%s): %zu item%s", name ? name : "",
				        login ? login : "", row->count, row->count == 1 ? "" : "s");
			else
				tui_fmt(head, sizeof head,
				        "Nobody paired (a lead to pair): %zu item%s", row->count,
				        row->count == 1 ? "" : "s");
			free(name);
			free(login);
			tui_put(w, y, 0, width,
			        (e->login[0] ? tui_attr(TUI_C_GROUP) : tui_attr(TUI_C_GAP)) |
			            A_BOLD,
			        head, 0);
			continue;
		}
		if (sel)
			tui_fill(w, y, 0, width, sa);
		tui_put_user(w, y, c[C_REF].x, c[C_REF].w, sel ? sa : 0, e->ref, 0);
		if (c[C_HANDOVER].w)
			tui_put_user(w, y, c[C_HANDOVER].x, c[C_HANDOVER].w,
			             sel ? sa : tui_attr(TUI_C_MUTED), e->handover, 0);
		if (c[C_MOVE].w)
			tui_put(w, y, c[C_MOVE].x, c[C_MOVE].w, sel ? sa : tui_attr(TUI_C_MUTED),
			        e->side == HO_ROLE_SENDER ? "hand over" : "review", 0);
		char since[32] = "set-up";
		if (e->since)
			ho_time_format(e->since, since, sizeof since);
		tui_put(w, y, c[C_SINCE].x, c[C_SINCE].w, sel ? sa : 0, since, 0);
		tui_put_user(w, y, c[C_TITLE].x, c[C_TITLE].w, sel ? sa : 0, e->title, 0);
	}
}

static const ho_waiting *selected(tui_view *v)
{
	struct waiting *s = v->data;
	return waiting_selectable(v, v->list.sel) ? &s->w[s->rows[v->list.sel].index] : NULL;
}

static tui_req waiting_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	const ho_waiting *e = selected(v);
	if (a != TUI_ACT_OPEN || !e)
		return tui_req_make(TUI_REQ_NONE);
	int64_t id = 0;
	ho_status st = ho_item_find(app->db, e->handover_id, e->ref, &id);
	if (st != HO_OK) {
		tui_error_status(app, st);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	tui_req r = tui_req_make(TUI_REQ_OPEN);
	r.open = &tui_item_view;
	r.id = id;
	return r;
}

static int waiting_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	(void)app;
	return a == TUI_ACT_OPEN && selected(v) != NULL;
}

static void waiting_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	(void)app;
	struct waiting *s = v->data;
	tui_fmt(buf, size, "Waiting on whom: %zu item%s on %zu %s, every handover, oldest first",
	        s->n, s->n == 1 ? "" : "s", s->people, s->people == 1 ? "person" : "people");
}

static char *waiting_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct waiting *s = v->data;
	if (row < 0 || row >= s->nrows)
		return NULL;
	const ho_waiting *e = &s->w[s->rows[row].index];
	char *out = NULL;
	if (asprintf(&out, "%s %s %s %s %s", e->name, e->login, e->ref, e->handover, e->title) < 0)
		out = NULL;
	return out;
}

/* The selected row's handover: :REF looks there first, as on My work. */
static int64_t waiting_handover(tui_view *v, tui_app *app)
{
	(void)app;
	struct waiting *s = v->data;
	if (!waiting_selectable(v, v->list.sel))
		return 0;
	return s->w[s->rows[v->list.sel].index].handover_id;
}

const struct tui_view_ops tui_waiting_view = {
    .name = "waiting on whom",
    .screen = TUI_SCR_WAITING,
    .init = waiting_init,
    .load = waiting_load,
    .draw = waiting_draw,
    .handle = waiting_handle,
    .offers = waiting_offers,
    .title = waiting_title,
    .row_text = waiting_row_text,
    .selectable = waiting_selectable,
    .handover = waiting_handover,
    .done = waiting_done,
};
