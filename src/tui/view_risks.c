/* Risks: the handovers' risk logs with the NHS 5x5 matrix of open risks on
 * top (counts per likelihood and impact, coloured by level), then every
 * risk by score (open first), then the deep-dive actions not yet done.
 * Changes are made with 'handover risks' and 'handover deepdive'. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handover/risks.h"
#include "view_common.h"

/* The matrix: a title line, a heading line and five rows, then a blank. */
#define MATRIX_LINES 8

struct risks {
	ho_risk *risks;
	size_t nrisks;
	ho_deep_dive *dives;
	size_t ndives;
	const ho_dive_action **actions; /* open ones, into dives */
	size_t nactions;
	int matrix[5][5];
};

static int risks_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct risks));
	return v->data ? 0 : -1;
}

static void risks_clear(struct risks *r)
{
	ho_risk_free(r->risks, r->nrisks);
	ho_deep_dive_free(r->dives, r->ndives);
	free(r->actions);
	memset(r, 0, sizeof *r);
}

static void risks_done(tui_view *v)
{
	risks_clear(v->data);
	free(v->data);
}

/* Rows: the risks, then a heading, then the open actions. */
static int rows_of(const struct risks *r)
{
	return (int)r->nrisks + (r->nactions ? 1 + (int)r->nactions : 0);
}

static int risks_selectable(tui_view *v, int row)
{
	struct risks *r = v->data;
	return row != (int)r->nrisks;
}

static ho_status risks_load(tui_view *v, tui_app *app)
{
	struct risks *r = v->data;
	struct risks fresh = {0};
	ho_status st = ho_risks_list(app->db, 0, 0, &fresh.risks, &fresh.nrisks);
	if (st == HO_OK)
		st = ho_deep_dives_list(app->db, 0, &fresh.dives, &fresh.ndives);
	if (st != HO_OK) {
		risks_clear(&fresh);
		return st;
	}
	size_t cap = 0;
	for (size_t i = 0; i < fresh.ndives; i++)
		cap += fresh.dives[i].nactions;
	fresh.actions = calloc(cap + 1, sizeof *fresh.actions);
	if (!fresh.actions) {
		risks_clear(&fresh);
		return HO_ENOMEM;
	}
	for (size_t i = 0; i < fresh.ndives; i++)
		for (size_t k = 0; k < fresh.dives[i].nactions; k++)
			if (!fresh.dives[i].actions[k].done_at)
				fresh.actions[fresh.nactions++] = &fresh.dives[i].actions[k];
	ho_risk_matrix(fresh.risks, fresh.nrisks, fresh.matrix);
	risks_clear(r);
	*r = fresh;
	v->list.count = rows_of(r);
	tui_list_fix(&v->list);
	if (!risks_selectable(v, v->list.sel) && v->list.sel > 0)
		v->list.sel--;
	return HO_OK;
}

static enum tui_role level_role(ho_risk_level l)
{
	return l >= HO_RISK_HIGH ? TUI_C_GAP : l == HO_RISK_MODERATE ? TUI_C_PENDING : TUI_C_DONE;
}

static void draw_matrix(const struct risks *r, WINDOW *w, int width)
{
	tui_put(w, 0, 1, width - 2, tui_attr(TUI_C_GROUP) | A_BOLD,
	        "Open risks by likelihood (rows) and impact (columns), NHS 5x5", 0);
	tui_put(w, 1, 1, width - 2, tui_attr(TUI_C_COLUMNS),
	        "Likelihood   Impact 1    2    3    4    5", 0);
	for (int l = 5; l >= 1; l--) {
		int y = 2 + (5 - l);
		char label[8];
		tui_fmt(label, sizeof label, "%d", l);
		tui_put(w, y, 6, 4, 0, label, 0);
		for (int i = 1; i <= 5; i++) {
			char cell[8];
			int n = r->matrix[l - 1][i - 1];
			tui_fmt(cell, sizeof cell, n ? "%3d" : "  .", n);
			/* Colour by the cell's level; a count stands out in bold. */
			attr_t a = tui_attr(level_role(ho_risk_level_of(l * i))) | (n ? A_BOLD : 0);
			tui_put(w, y, 18 + 5 * (i - 1), 4, a, cell, 0);
		}
	}
}

enum { C_REF, C_SCORE, C_TITLE, C_OWNER, C_REVIEW, C_STATUS, C__N };

static void risks_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	(void)app;
	struct risks *r = v->data;
	int width = getmaxx(w), height = getmaxy(w);
	int top = height > MATRIX_LINES + 4 ? MATRIX_LINES : 0;
	if (top)
		draw_matrix(r, w, width);
	struct tui_col c[C__N] = {
	    [C_REF] = {.title = "Ref", .width = 10, .prio = 1},
	    [C_SCORE] = {.title = "Score", .width = 14, .prio = 1},
	    [C_TITLE] = {.title = "Risk or action", .min = 16, .weight = 3, .prio = 1},
	    [C_OWNER] = {.title = "Owner", .min = 8, .weight = 1, .max = 20, .prio = 2},
	    [C_REVIEW] = {.title = "Review/due", .width = 10, .prio = 3},
	    [C_STATUS] = {.title = "Status", .width = 6, .prio = 4},
	};
	tui_cols_layout(c, C__N, width - 1);
	for (int i = 0; i < C__N; i++)
		c[i].x += 1;
	tui_cols_header(w, top, c, C__N);
	v->list.y0 = top + 1;
	v->list.height = height - top - 1;
	tui_list_fix(&v->list);
	if (v->list.count == 0) {
		tui_put(w, top + 2, 2, width - 4, tui_attr(TUI_C_DONE),
		        "No risks recorded. (Add one with: handover risks add ...)", 0);
		return;
	}
	attr_t sa = tui_attr(TUI_C_SELECTED);
	for (int i = 0; i < v->list.height && v->list.top + i < v->list.count; i++) {
		int row = v->list.top + i, y = v->list.y0 + i, sel = row == v->list.sel;
		if (row == (int)r->nrisks) {
			tui_put(w, y, 0, width, tui_attr(TUI_C_GROUP) | A_BOLD,
			        "Deep-dive actions not yet done", 0);
			continue;
		}
		if (sel)
			tui_fill(w, y, 0, width, sa);
		if (row < (int)r->nrisks) {
			const ho_risk *x = &r->risks[row];
			char ref[40], score[32];
			tui_fmt(ref, sizeof ref, "%s%s%s", x->ref, x->function_code[0] ? " " : "",
			        x->function_code);
			tui_fmt(score, sizeof score, "%2d %s", x->score,
			        ho_risk_level_name(x->level));
			tui_put_user(w, y, c[C_REF].x, c[C_REF].w, sel ? sa : 0, ref, 0);
			tui_put(w, y, c[C_SCORE].x, c[C_SCORE].w,
			        sel ? sa : tui_attr(x->closed ? TUI_C_MUTED : level_role(x->level)),
			        score, 0);
			tui_put_user(w, y, c[C_TITLE].x, c[C_TITLE].w,
			             sel ? sa : tui_attr(x->closed ? TUI_C_MUTED : 0), x->title, 0);
			if (c[C_OWNER].w)
				tui_put_user(w, y, c[C_OWNER].x, c[C_OWNER].w, sel ? sa : 0,
				             x->owner_name, 0);
			if (c[C_REVIEW].w)
				tui_put_user(w, y, c[C_REVIEW].x, c[C_REVIEW].w,
				             sel ? sa : tui_attr(TUI_C_MUTED), x->review_date, 0);
			if (c[C_STATUS].w)
				tui_put(w, y, c[C_STATUS].x, c[C_STATUS].w,
				        sel ? sa : tui_attr(TUI_C_MUTED),
				        x->closed ? "closed" : "open", 0);
		} else {
			const ho_dive_action *x = r->actions[row - (int)r->nrisks - 1];
			char ref[40];
			tui_fmt(ref, sizeof ref, "%s %s", x->ref, x->dive_ref);
			tui_put(w, y, c[C_REF].x, c[C_REF].w, sel ? sa : 0, ref, 0);
			tui_put(w, y, c[C_SCORE].x, c[C_SCORE].w, sel ? sa : tui_attr(TUI_C_MUTED),
			        "action", 0);
			tui_put_user(w, y, c[C_TITLE].x, c[C_TITLE].w, sel ? sa : 0, x->text, 0);
			if (c[C_OWNER].w)
				tui_put_user(w, y, c[C_OWNER].x, c[C_OWNER].w, sel ? sa : 0,
				             x->owner_name, 0);
			if (c[C_REVIEW].w)
				tui_put_user(w, y, c[C_REVIEW].x, c[C_REVIEW].w,
				             sel ? sa : tui_attr(TUI_C_MUTED), x->due_date, 0);
		}
	}
}

static tui_req risks_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	(void)v;
	(void)app;
	(void)a;
	return tui_req_make(TUI_REQ_NONE);
}

static void risks_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	(void)app;
	struct risks *r = v->data;
	size_t open = 0;
	for (size_t i = 0; i < r->nrisks; i++)
		open += !r->risks[i].closed;
	tui_fmt(buf, size, "Risks: %zu open of %zu; %zu deep-dive action%s open", open, r->nrisks,
	        r->nactions, r->nactions == 1 ? "" : "s");
}

static char *risks_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct risks *r = v->data;
	char *out = NULL;
	if (row < (int)r->nrisks) {
		const ho_risk *x = &r->risks[row];
		if (asprintf(&out, "%s %s %s %s %s %s", x->ref, x->function_code, x->title,
		             x->owner_name, ho_risk_level_name(x->level), x->mitigation) < 0)
			out = NULL;
	} else if (row > (int)r->nrisks) {
		const ho_dive_action *x = r->actions[row - (int)r->nrisks - 1];
		if (asprintf(&out, "%s %s %s %s", x->ref, x->dive_ref, x->text, x->owner_name) < 0)
			out = NULL;
	}
	return out;
}

const struct tui_view_ops tui_risks_view = {
    .name = "risks",
    .screen = TUI_SCR_RISKS,
    .init = risks_init,
    .load = risks_load,
    .draw = risks_draw,
    .handle = risks_handle,
    .title = risks_title,
    .row_text = risks_row_text,
    .selectable = risks_selectable,
    .done = risks_done,
};
