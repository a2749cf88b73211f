/* My work: what waits on me, grouped (sent back, in progress, not started,
 * to review, conditions, ready to sign; a lead's unpaired functions,
 * overdue items, functions waiting for sign-off; deep-dive actions), each
 * group by due date. The first screen for senders and receivers. Enter
 * opens the item, or the function's checklist (for a lead without a pair:
 * the people screen, where it is paired). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handover/todo.h"
#include "view_common.h"

/* A row is a group's heading or one thing to do. */
struct row {
	int heading; /* 1: the group's heading (kind) */
	ho_todo_kind kind;
	size_t index; /* into todo, for a thing to do */
};

struct mywork {
	ho_todo *todo;
	size_t n;
	ho_handover *handovers; /* to say whose a row is when there are several */
	size_t nhandovers;
	struct row *rows;
	int nrows;
	int overdue, soon;
};

static int mywork_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct mywork));
	return v->data ? 0 : -1;
}

static void mywork_clear(struct mywork *m)
{
	ho_todo_free(m->todo, m->n);
	ho_handover_free(m->handovers, m->nhandovers);
	free(m->rows);
	memset(m, 0, sizeof *m);
}

static void mywork_done(tui_view *v)
{
	mywork_clear(v->data);
	free(v->data);
}

static int mywork_selectable(tui_view *v, int row)
{
	struct mywork *m = v->data;
	return row >= 0 && row < m->nrows && !m->rows[row].heading;
}

/* The thing a row is, to find it again after a reload. */
static int same(const ho_todo *a, const ho_todo *b)
{
	return a->kind == b->kind && a->item_id == b->item_id && a->function_id == b->function_id &&
	       strcmp(a->ref, b->ref) == 0;
}

static ho_status mywork_load(tui_view *v, tui_app *app)
{
	struct mywork *m = v->data;
	ho_todo *t = NULL;
	size_t n = 0;
	ho_status st = ho_todo_list(app->db, &t, &n);
	if (st != HO_OK)
		return st;
	struct row *rows = calloc(2 * n + 1, sizeof *rows);
	if (!rows) {
		ho_todo_free(t, n);
		return HO_ENOMEM;
	}
	ho_todo keep = {0};
	int had = m->nrows > 0 && mywork_selectable(v, v->list.sel);
	if (had)
		keep = m->todo[m->rows[v->list.sel].index];
	int nrows = 0, found = -1, overdue = 0, soon = 0;
	for (size_t i = 0; i < n; i++) {
		if (i == 0 || t[i].kind != t[i - 1].kind)
			rows[nrows++] = (struct row){1, t[i].kind, 0};
		if (had && found < 0 && same(&t[i], &keep))
			found = nrows;
		rows[nrows++] = (struct row){0, t[i].kind, i};
		overdue += t[i].overdue;
		soon += t[i].due_soon;
	}
	mywork_clear(m);
	m->todo = t;
	m->n = n;
	m->rows = rows;
	m->nrows = nrows;
	m->overdue = overdue;
	m->soon = soon;
	if (ho_outline(app->db, 0, &m->handovers, &m->nhandovers, NULL, NULL) != HO_OK) {
		m->handovers = NULL;
		m->nhandovers = 0;
	}
	v->list.count = nrows;
	if (found >= 0)
		v->list.sel = found;
	tui_list_fix(&v->list);
	while (v->list.sel < nrows - 1 && !mywork_selectable(v, v->list.sel))
		v->list.sel++;
	return HO_OK;
}

/* The handover's short name ("Dental") when the file holds several. */
static const char *where(const struct mywork *m, int64_t handover_id)
{
	if (m->nhandovers < 2)
		return "";
	for (size_t i = 0; i < m->nhandovers; i++)
		if (m->handovers[i].id == handover_id)
			return m->handovers[i].service[0] ? m->handovers[i].service
			                                  : m->handovers[i].title;
	return "";
}

enum { C_REF, C_TITLE, C_DUE, C_WITH, C__N };

static void mywork_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	struct mywork *m = v->data;
	int width = getmaxx(w);
	struct tui_col c[C__N] = {
	    [C_REF] = {.title = "Ref", .width = m->nhandovers > 1 ? 18 : 8, .prio = 1},
	    [C_TITLE] = {.title = "What", .min = 16, .weight = 3, .prio = 1},
	    [C_DUE] = {.title = "Due", .width = 18, .prio = 2},
	    [C_WITH] = {.title = "With", .min = 8, .weight = 1, .max = 24, .prio = 3},
	};
	tui_cols_layout(c, C__N, width - 1);
	tui_table_frame(w, c, C__N, &v->list);
	if (m->nrows == 0) {
		tui_put(w, 2, 2, width - 4, tui_attr(TUI_C_DONE),
		        ho_actor(app->db)->role == HO_ROLE_NONE
		            ? "You are not in this file's people: nothing waits on a viewer."
		            : "Nothing waits on you now.",
		        0);
		return;
	}
	attr_t sa = tui_attr(TUI_C_SELECTED);
	for (int i = 0; i < v->list.height && v->list.top + i < m->nrows; i++) {
		int r = v->list.top + i, y = 1 + i, sel = r == v->list.sel;
		const struct row *row = &m->rows[r];
		if (row->heading) {
			size_t count = 0;
			for (int k = r + 1; k < m->nrows && !m->rows[k].heading; k++)
				count++;
			char head[160];
			const char *words = ho_todo_heading(row->kind);
			tui_fmt(head, sizeof head, "%c%s (%zu)", words[0] - 32, words + 1, count);
			tui_put(w, y, 0, width, tui_attr(TUI_C_GROUP) | A_BOLD, head, 0);
			continue;
		}
		const ho_todo *t = &m->todo[row->index];
		if (sel)
			tui_fill(w, y, 0, width, sa);
		char ref[300];
		char *place = tui_clean(where(m, t->handover_id)), *tref = tui_clean(t->ref);
		/* Changed by someone else since this person last looked. */
		int news = t->item_id       ? tui_news_item(app, t->item_id)
		           : t->function_id ? tui_news_function(app, t->function_id)
		                            : 0;
		tui_fmt(ref, sizeof ref, "%s%s%s%s", place, place[0] ? " " : "", tref,
		        news ? tui_glyph(TUI_G_NEW) : "");
		free(place);
		free(tref);
		tui_put(w, y, c[C_REF].x, c[C_REF].w, (sel ? sa : 0) | (news ? A_BOLD : 0), ref, 0);
		tui_put_user(w, y, c[C_TITLE].x, c[C_TITLE].w, sel ? sa : 0, t->title, 0);
		if (c[C_DUE].w && t->due_date[0]) {
			char due[40];
			tui_fmt(due, sizeof due, "%s%s", t->due_date,
			        t->overdue    ? " overdue"
			        : t->due_soon ? " soon"
			                      : "");
			tui_put(w, y, c[C_DUE].x, c[C_DUE].w,
			        sel           ? sa
			        : t->overdue  ? tui_attr(TUI_C_OVERDUE)
			        : t->due_soon ? tui_attr(TUI_C_PENDING)
			                      : tui_attr(TUI_C_MUTED),
			        due, 0);
		}
		if (c[C_WITH].w)
			tui_put_user(w, y, c[C_WITH].x, c[C_WITH].w,
			             sel ? sa : tui_attr(TUI_C_MUTED), t->who, 0);
	}
}

static const ho_todo *selected(tui_view *v)
{
	struct mywork *m = v->data;
	if (!mywork_selectable(v, v->list.sel))
		return NULL;
	return &m->todo[m->rows[v->list.sel].index];
}

static tui_req mywork_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	const ho_todo *t = selected(v);
	tui_req r = tui_req_make(TUI_REQ_REDRAW);
	if (!t || a != TUI_ACT_OPEN)
		return tui_req_make(TUI_REQ_NONE);
	r.what = TUI_REQ_OPEN;
	if (t->item_id) {
		r.open = &tui_item_view;
		r.id = t->item_id;
	} else if (t->kind == HO_TODO_UNPAIRED && ho_is_lead(app->db)) {
		r.open = &tui_people_view;
		r.select = t->function_id;
	} else if (t->function_id) {
		r.open = &tui_checklist_view;
		r.id = t->function_id;
	} else if (t->kind == HO_TODO_ACTION) {
		r.open = &tui_risks_view;
	} else {
		r.what = TUI_REQ_TAB;
		r.open = &tui_dashboard_view;
	}
	return r;
}

static int mywork_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	(void)app;
	return a == TUI_ACT_OPEN && selected(v) != NULL;
}

static void mywork_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	(void)app;
	struct mywork *m = v->data;
	/* A lead watches overdue items and functions waiting for their pair's
	 * sign-off; those wait on others, and are not counted as theirs. */
	size_t watch = 0;
	for (size_t i = 0; i < m->n; i++)
		watch +=
		    m->todo[i].kind == HO_TODO_OVERDUE || m->todo[i].kind == HO_TODO_WAITING_SIGN;
	if (watch)
		tui_fmt(buf, size,
		        "My work: %zu waiting on you, %zu to watch, %d overdue, %d due within two "
		        "weeks",
		        m->n - watch, watch, m->overdue, m->soon);
	else
		tui_fmt(buf, size,
		        "My work: %zu waiting on you, %d overdue, %d due within two weeks", m->n,
		        m->overdue, m->soon);
}

static char *mywork_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct mywork *m = v->data;
	if (!mywork_selectable(v, row))
		return NULL;
	const ho_todo *t = &m->todo[m->rows[row].index];
	char *out = NULL;
	if (asprintf(&out, "%s %s %s %s %s %s", ho_todo_heading(t->kind), where(m, t->handover_id),
	             t->ref, t->title, t->due_date, t->who) < 0)
		out = NULL;
	return out;
}

static int64_t mywork_handover(tui_view *v, tui_app *app)
{
	(void)app;
	struct mywork *m = v->data;
	if (!mywork_selectable(v, v->list.sel))
		return 0;
	return m->todo[m->rows[v->list.sel].index].handover_id;
}

const struct tui_view_ops tui_mywork_view = {
    .name = "my work",
    .screen = TUI_SCR_MYWORK,
    .init = mywork_init,
    .load = mywork_load,
    .draw = mywork_draw,
    .handle = mywork_handle,
    .offers = mywork_offers,
    .title = mywork_title,
    .row_text = mywork_row_text,
    .selectable = mywork_selectable,
    .handover = mywork_handover,
    .done = mywork_done,
};
