/* The dashboard: every handover with its functions, who is paired on each,
 * how far it has come (a bar: accepted, handed over, the rest), open gaps,
 * overdue items, RAG and sign-off. Enter on a function opens its checklist;
 * on a handover it folds or unfolds its functions.
 *
 * A file may hold every board's handovers: the rows come from an outline
 * (names and pairs, nothing counted) and a handover's items are counted
 * when it comes on screen. Only the gaps and overdue filters, which choose
 * rows by their counts, count everything up front. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handover/rules.h"
#include "handover/terminal.h"
#include "view_common.h"

enum row_kind { ROW_HANDOVER, ROW_FUNCTION };

struct row {
	enum row_kind kind;
	size_t index; /* into handovers or functions */
};

struct dash {
	ho_handover *handovers;
	size_t nhandovers;
	ho_function *functions;
	size_t nfunctions;
	struct row *rows;
	char *counted;   /* per handover: its figures are in (not the outline's zeros) */
	int64_t *folded; /* handover ids folded away */
	size_t nfolded;
	int name_w, pair_w; /* the widest function name and pair */
	int receiver_w;     /* the widest receiver's name */
};

static int dash_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct dash));
	return v->data ? 0 : -1;
}

static void dash_clear(struct dash *d)
{
	ho_handover_free(d->handovers, d->nhandovers);
	ho_function_free(d->functions, d->nfunctions);
	free(d->rows);
	free(d->counted);
	d->handovers = NULL;
	d->functions = NULL;
	d->rows = NULL;
	d->counted = NULL;
	d->nhandovers = d->nfunctions = 0;
}

static void dash_done(tui_view *v)
{
	struct dash *d = v->data;
	dash_clear(d);
	free(d->folded);
	free(d);
}

static int is_folded(const struct dash *d, int64_t id)
{
	for (size_t i = 0; i < d->nfolded; i++)
		if (d->folded[i] == id)
			return 1;
	return 0;
}

static void toggle_fold(struct dash *d, int64_t id)
{
	for (size_t i = 0; i < d->nfolded; i++)
		if (d->folded[i] == id) {
			d->folded[i] = d->folded[--d->nfolded];
			return;
		}
	int64_t *f = realloc(d->folded, (d->nfolded + 1) * sizeof *f);
	if (!f)
		return;
	d->folded = f;
	d->folded[d->nfolded++] = id;
}

/* Does a function pass the filter? (The dashboard filters what it has; the
 * counts come with the functions.) */
static int shown(const tui_view *v, tui_app *app, const ho_function *f)
{
	const ho_person *me = ho_actor(app->db);
	ho_rule_actor actor = {me->id, me->role, ho_read_only(app->db)};
	return ho_rule_function_shown(&actor, f, v->filter);
}

/* The selected row as (kind, id), to find it again after a reload. */
static int64_t row_id(const struct dash *d, const struct row *r)
{
	return r->kind == ROW_HANDOVER ? d->handovers[r->index].id : d->functions[r->index].id;
}

/* Where a person starts: their own first function, else the first. */
static int first_row(const struct dash *d, int n, tui_app *app)
{
	int64_t me = ho_actor(app->db)->id;
	int first = -1;
	for (int i = 0; i < n; i++) {
		if (d->rows[i].kind != ROW_FUNCTION)
			continue;
		const ho_function *f = &d->functions[d->rows[i].index];
		if (me && (f->sender_id == me || f->receiver_id == me))
			return i;
		if (first < 0)
			first = i;
	}
	return first >= 0 ? first : 0;
}

/* Where the selection is, to find it again after the rows change. */
struct spot {
	enum row_kind kind;
	int64_t id, hid; /* the row's id, and its handover's */
	int had;         /* a row was selected */
};

static struct spot remember(const tui_view *v, const struct dash *d)
{
	struct spot p = {ROW_FUNCTION, v->select, 0, 0};
	if (d->rows && v->list.count > 0 && !p.id) {
		const struct row *r = &d->rows[v->list.sel];
		p.kind = r->kind;
		p.id = row_id(d, r);
		p.hid = r->kind == ROW_HANDOVER ? p.id : d->functions[r->index].handover_id;
		p.had = 1;
	}
	return p;
}

static struct tui_sort_key handover_key(const ho_handover *h, size_t index)
{
	struct tui_sort_key k = {h->rag,         h->counts.overdue, h->target_date,
	                         h->counts.done, h->counts.total,   index};
	return k;
}

static struct tui_sort_key function_key(const ho_function *f, size_t index)
{
	struct tui_sort_key k = {f->rag,         f->counts.overdue, f->due_date,
	                         f->counts.done, f->counts.total,   index};
	return k;
}

/* The rows from what was read, folds, the filter and the sort (handovers
 * among themselves, each one's functions under it); the selection back on
 * its row, else on its handover, else (first time) the person's own. */
static void place_rows(tui_view *v, tui_app *app, struct spot p)
{
	struct dash *d = v->data;
	int n = 0;
	struct tui_sort_key *hk = calloc(d->nhandovers + 1, sizeof *hk);
	struct tui_sort_key *fk = calloc(d->nfunctions + 1, sizeof *fk);
	for (size_t h = 0; hk && h < d->nhandovers; h++)
		hk[h] = handover_key(&d->handovers[h], h);
	if (hk)
		tui_sort_keys(v->sort, hk, d->nhandovers);
	for (size_t i = 0; i < d->nhandovers; i++) {
		size_t h = hk ? hk[i].index : i;
		d->rows[n++] = (struct row){ROW_HANDOVER, h};
		if (is_folded(d, d->handovers[h].id))
			continue;
		size_t nf = 0;
		for (size_t f = 0; f < d->nfunctions; f++)
			if (d->functions[f].handover_id == d->handovers[h].id &&
			    shown(v, app, &d->functions[f])) {
				if (fk)
					fk[nf++] = function_key(&d->functions[f], f);
				else
					d->rows[n++] = (struct row){ROW_FUNCTION, f};
			}
		if (fk)
			tui_sort_keys(v->sort, fk, nf);
		for (size_t k = 0; fk && k < nf; k++)
			d->rows[n++] = (struct row){ROW_FUNCTION, fk[k].index};
	}
	free(hk);
	free(fk);
	v->list.count = n;
	int found = -1, in_handover = -1;
	for (int i = 0; i < n && p.id; i++) {
		if (d->rows[i].kind == p.kind && row_id(d, &d->rows[i]) == p.id)
			found = i;
		if (d->rows[i].kind == ROW_HANDOVER && row_id(d, &d->rows[i]) == p.hid)
			in_handover = i;
	}
	if (found >= 0)
		v->list.sel = found;
	else if (p.had && in_handover >= 0)
		v->list.sel = in_handover;
	else if (!p.had)
		v->list.sel = first_row(d, n, app);
	tui_list_fix(&v->list);
}

static ho_status dash_load(tui_view *v, tui_app *app)
{
	struct dash *d = v->data;
	struct spot p = remember(v, d);
	/* Read everything first: when the file cannot be read (busy, gone)
	 * the screen keeps what it showed. */
	ho_handover *hs = NULL;
	ho_function *fs = NULL;
	size_t nh = 0, nf = 0;
	struct row *rows = NULL;
	char *counted = NULL;
	/* Filters and sorts that choose or order rows by their figures need
	 * every handover counted. */
	int count_all = v->filter == HO_FILTER_GAPS || v->filter == HO_FILTER_OVERDUE ||
	                v->sort != TUI_SORT_ORDER;
	ho_status st = count_all ? ho_handovers_list(app->db, &hs, &nh)
	                         : ho_outline(app->db, 0, &hs, &nh, &fs, &nf);
	if (st == HO_OK && count_all)
		st = ho_functions_list(app->db, 0, &fs, &nf);
	if (st == HO_OK &&
	    (!(rows = calloc(nh + nf + 1, sizeof *rows)) || !(counted = calloc(nh + 1, 1))))
		st = HO_ENOMEM;
	if (st != HO_OK) {
		ho_handover_free(hs, nh);
		ho_function_free(fs, nf);
		free(rows);
		return st;
	}
	memset(counted, count_all, nh);
	dash_clear(d);
	d->handovers = hs;
	d->nhandovers = nh;
	d->functions = fs;
	d->nfunctions = nf;
	d->rows = rows;
	d->counted = counted;
	d->name_w = d->pair_w = d->receiver_w = 0;
	for (size_t i = 0; i < d->nfunctions; i++) {
		const ho_function *f = &d->functions[i];
		int nw = 7 + tui_user_width(f->name);
		int pw = 3 + tui_user_width(f->sender_id ? f->sender_name : "no sender") +
		         tui_user_width(f->receiver_id ? f->receiver_name : "no receiver");
		int rw = tui_user_width(f->receiver_id ? f->receiver_name : "no receiver");
		d->receiver_w = rw > d->receiver_w ? rw : d->receiver_w;
		d->name_w = nw > d->name_w ? nw : d->name_w;
		d->pair_w = pw > d->pair_w ? pw : d->pair_w;
	}
	place_rows(v, app, p);
	return HO_OK;
}

/* Count handover h's items, when not yet done since the last load: its
 * figures and its functions' replace the outline's zeros. When the file
 * cannot be read now the row stays without figures, and is tried again at
 * the next redraw. */
static void count_handover(struct dash *d, tui_app *app, size_t h)
{
	if (d->counted[h])
		return;
	ho_handover got;
	ho_function *fs = NULL;
	size_t nf = 0;
	if (ho_handover_counted(app->db, d->handovers[h].id, &got, &fs, &nf) != HO_OK)
		return;
	ho_handover *have = &d->handovers[h];
	have->counts = got.counts;
	have->rag = got.rag;
	have->functions_signed = got.functions_signed;
	have->functions_unpaired = got.functions_unpaired;
	ho_handover_clear(&got);
	/* The outline lists functions in the same order (handover, position). */
	for (size_t i = 0, j = 0; i < d->nfunctions && j < nf; i++) {
		if (d->functions[i].id != fs[j].id)
			continue;
		d->functions[i].counts = fs[j].counts;
		d->functions[i].rag = fs[j].rag;
		j++;
	}
	ho_function_free(fs, nf);
	d->counted[h] = 1;
}

/* The handover a row belongs to, as an index into handovers. */
static size_t row_handover(const struct dash *d, const struct row *r)
{
	if (r->kind == ROW_HANDOVER)
		return r->index;
	int64_t hid = d->functions[r->index].handover_id;
	for (size_t h = 0; h < d->nhandovers; h++)
		if (d->handovers[h].id == hid)
			return h;
	return 0;
}

enum { C_NAME, C_PAIR, C_BAR, C_HANDED, C_ACCEPTED, C_GAPS, C_OVERDUE, C_RAG, C_SIGN, C__N };

static void columns(const struct dash *d, struct tui_col *c, int width)
{
	/* What goes first when the window is narrow: the figures the others
	 * repeat (Handed is in the bar, the bar is in Accepted), then how
	 * overdue (RAG says it in a word); the function, who receives it,
	 * how much is accepted and its RAG stay down to 80 columns. */
	struct tui_col init[C__N] = {
	    [C_NAME] = {.title = "Function", .min = 20, .weight = 2, .prio = 1},
	    [C_PAIR] = {.title = "Sender "
	                         "\xe2\x86\x92"
	                         " receiver",
	                .min = 16,
	                .weight = 5,
	                .prio = 2},
	    [C_BAR] = {.title = "Progress", .width = 10, .prio = 5},
	    [C_HANDED] = {.title = "Handed", .width = 6, .prio = 6, .right = 1},
	    [C_ACCEPTED] = {.title = "Accepted", .width = 8, .prio = 1, .right = 1},
	    [C_GAPS] = {.title = "Gaps", .width = 4, .prio = 3, .right = 1},
	    [C_OVERDUE] = {.title = "Overdue", .width = 7, .prio = 4, .right = 1},
	    [C_RAG] = {.title = "RAG", .width = 5, .prio = 2},
	    [C_SIGN] = {.title = "Signed", .width = 6, .prio = 3},
	};
	if (!tui_utf8())
		init[C_PAIR].title = "Sender > receiver";
	/* No wider than the names need. */
	if (d->name_w < init[C_NAME].min)
		init[C_NAME].min = d->name_w > 12 ? d->name_w : 12;
	if (d->pair_w < init[C_PAIR].min)
		init[C_PAIR].min = d->pair_w > 8 ? d->pair_w : 8;
	if (width < 90)
		init[C_NAME].min = 14; /* the code and the name's start say which */
	/* Room for every receiver whole, after two columns of the sender. */
	if (d->receiver_w + 5 > init[C_PAIR].min)
		init[C_PAIR].min = d->receiver_w + 5 < 28 ? d->receiver_w + 5 : 28;
	if (width < 70) {
		/* Narrow: the figures and the function's name before who is
		 * paired (the checklist's heading says who). */
		init[C_NAME].min = 12;
		init[C_PAIR].prio = 9;
	}
	init[C_NAME].max = d->name_w > init[C_NAME].min ? d->name_w : init[C_NAME].min;
	init[C_PAIR].max = d->pair_w > init[C_PAIR].min ? d->pair_w : init[C_PAIR].min;
	memcpy(c, init, sizeof init);
	tui_cols_layout(c, C__N, width);
}

/* The figures shared by handover and function rows. */
static void draw_counts(WINDOW *w, int y, const struct tui_col *c, const ho_counts *n, ho_rag rag,
                        int sel)
{
	attr_t sa = tui_attr(TUI_C_SELECTED);
	char buf[32];
	/* Accepted items were handed over too: the bar's middle part is what
	 * waits for the receiver. */
	int waiting = n->handed_over + n->not_applicable - n->done;
	if (c[C_BAR].w)
		tui_bar(w, y, c[C_BAR].x, c[C_BAR].w, n->done, waiting > 0 ? waiting : 0, n->total,
		        sel);
	if (c[C_HANDED].w) {
		tui_fmt(buf, sizeof buf, "%d", n->handed_over + n->not_applicable);
		tui_put_right(w, y, c[C_HANDED].x, c[C_HANDED].w,
		              sel ? sa : tui_attr(TUI_C_PROGRESS), buf);
	}
	if (c[C_ACCEPTED].w) {
		tui_fmt(buf, sizeof buf, "%d/%d", n->done, n->total);
		tui_put_right(w, y, c[C_ACCEPTED].x, c[C_ACCEPTED].w,
		              sel                               ? sa
		              : n->total && n->done == n->total ? tui_attr(TUI_C_DONE)
		                                                : 0,
		              buf);
	}
	if (c[C_GAPS].w) {
		tui_fmt(buf, sizeof buf, "%d", n->gaps);
		tui_put_right(w, y, c[C_GAPS].x, c[C_GAPS].w,
		              sel ? sa : tui_attr(n->gaps ? TUI_C_GAP : TUI_C_MUTED), buf);
	}
	if (c[C_OVERDUE].w) {
		tui_fmt(buf, sizeof buf, "%d", n->overdue);
		tui_put_right(w, y, c[C_OVERDUE].x, c[C_OVERDUE].w,
		              sel ? sa : tui_attr(n->overdue ? TUI_C_OVERDUE : TUI_C_MUTED), buf);
	}
	if (c[C_RAG].w && rag != HO_RAG_NONE)
		tui_put(w, y, c[C_RAG].x, c[C_RAG].w, sel ? sa : tui_attr(tui_rag_role(rag)),
		        tui_rag_word(rag), 0);
}

/* A handover row's "29% ready, 1/10 signed" after its title, and figures. */
static void draw_readiness(WINDOW *w, int y, const struct tui_col *c, const ho_handover *h, int x,
                           int end, attr_t base, int sel)
{
	char line[96];
	int pct = h->counts.total ? h->counts.done * 100 / h->counts.total : 0;
	tui_fmt(line, sizeof line, "  %d%% ready, %d/%d signed", pct, h->functions_signed,
	        h->functions);
	if (ho_text_width(line) > end - x)
		tui_fmt(line, sizeof line, "  %d%% ready", pct);
	if (x < end)
		tui_put(w, y, x, end - x, sel ? base : tui_attr(TUI_C_MUTED), line, 0);
	draw_counts(w, y, c, &h->counts, h->rag, sel);
}

static void draw_handover(WINDOW *w, int y, const struct tui_col *c, const ho_handover *h,
                          int folded, int counted, int sel, int news)
{
	attr_t base =
	    (sel ? tui_attr(TUI_C_SELECTED) : tui_attr(TUI_C_GROUP)) | (news ? A_BOLD : 0);
	int end = c[C_BAR].w ? c[C_BAR].x - 1 : c[C_ACCEPTED].w ? c[C_ACCEPTED].x - 1 : getmaxx(w);
	char *title = tui_clean(h->title);
	char line[1024];
	/* News (the handover's own: its cover, its sign-off) ends the title. */
	tui_fmt(line, sizeof line, "%s %s%s",
	        tui_glyph(folded ? TUI_G_CLOSED_GROUP : TUI_G_OPEN_GROUP), title,
	        news ? tui_glyph(TUI_G_NEW) : "");
	free(title);
	int x = tui_put(w, y, 0, end, base, line, 0);
	if (counted)
		draw_readiness(w, y, c, h, x, end, base, sel);
	if (c[C_SIGN].w) {
		char mark[32];
		tui_fmt(mark, sizeof mark, "L%s",
		        tui_glyph(h->signed_at ? TUI_G_CHECK : TUI_G_NOT_YET));
		tui_put(w, y, c[C_SIGN].x, c[C_SIGN].w,
		        sel ? base : tui_attr(h->signed_at ? TUI_C_DONE : TUI_C_MUTED), mark, 0);
	}
}

static void draw_function(WINDOW *w, int y, const struct tui_col *c, const ho_function *f,
                          int counted, int sel, int news)
{
	attr_t sa = tui_attr(TUI_C_SELECTED);
	char *code = tui_clean(f->code), *name = tui_clean(f->name);
	char line[600], coded[64];
	/* News in the function or its items: the mark follows the code. */
	tui_fmt(coded, sizeof coded, "%s%s", code, news ? tui_glyph(TUI_G_NEW) : "");
	tui_fmt(line, sizeof line, "  %-4s %s", coded, name);
	tui_put(w, y, c[C_NAME].x, c[C_NAME].w, (sel ? sa : 0) | (news ? A_BOLD : 0), line, 0);
	free(code);
	free(name);
	if (c[C_PAIR].w) {
		int x = c[C_PAIR].x, end = x + c[C_PAIR].w;
		const char *sender = f->sender_id ? f->sender_name : "no sender";
		const char *receiver = f->receiver_id ? f->receiver_name : "no receiver";
		char arrow[16];
		tui_fmt(arrow, sizeof arrow, " %s ", tui_glyph(TUI_G_ARROW));
		/* Short of room the sender is cut, not the receiver: the
		 * person taking the function on is who the row is asked about. */
		int sw, rw;
		tui_pair_widths(tui_user_width(sender), tui_user_width(receiver), 3, c[C_PAIR].w,
		                &sw, &rw);
		(void)rw;
		if (f->sender_id)
			x += tui_put_user(w, y, x, sw, sel ? sa : 0, f->sender_name, 0);
		else
			x += tui_put(w, y, x, sw, sel ? sa : tui_attr(TUI_C_GAP), "no sender", 0);
		x += tui_put(w, y, x, end - x, sel ? sa : tui_attr(TUI_C_MUTED), arrow, 0);
		if (f->receiver_id)
			tui_put_user(w, y, x, end - x, sel ? sa : 0, f->receiver_name, 0);
		else
			tui_put(w, y, x, end - x, sel ? sa : tui_attr(TUI_C_GAP), "no receiver", 0);
	}
	if (counted)
		draw_counts(w, y, c, &f->counts, f->rag, sel);
	if (c[C_SIGN].w) {
		char mark[32];
		tui_fmt(mark, sizeof mark, "S%s R%s",
		        tui_glyph(f->sender_signed_at ? TUI_G_CHECK : TUI_G_NOT_YET),
		        tui_glyph(f->receiver_signed_at ? TUI_G_CHECK : TUI_G_NOT_YET));
		int both = f->sender_signed_at && f->receiver_signed_at;
		tui_put(w, y, c[C_SIGN].x, c[C_SIGN].w,
		        sel ? sa
		            : tui_attr(both ? TUI_C_DONE
		                       : f->sender_signed_at || f->receiver_signed_at
		                           ? TUI_C_PENDING
		                           : TUI_C_MUTED),
		        mark, 0);
	}
}

static void dash_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	struct dash *d = v->data;
	int width = getmaxx(w);
	struct tui_col c[C__N];
	columns(d, c, width - 1);
	tui_table_frame(w, c, C__N, &v->list);
	if (v->list.count == 0) {
		tui_put(w, 2, 2, width - 4, tui_attr(TUI_C_MUTED),
		        d->nhandovers ? "Nothing matches the filter (f)."
		                      : "No handovers in this file.",
		        0);
		return;
	}
	for (int i = 0; i < v->list.height && v->list.top + i < v->list.count; i++) {
		int r = v->list.top + i, y = 1 + i, sel = r == v->list.sel;
		if (sel)
			tui_fill(w, y, 0, width, tui_attr(TUI_C_SELECTED));
		const struct row *row = &d->rows[r];
		size_t h = row_handover(d, row);
		count_handover(d, app, h);
		if (row->kind == ROW_HANDOVER)
			draw_handover(w, y, c, &d->handovers[row->index],
			              is_folded(d, d->handovers[row->index].id), d->counted[h], sel,
			              tui_news_handover(app, d->handovers[row->index].id));
		else
			draw_function(w, y, c, &d->functions[row->index], d->counted[h], sel,
			              tui_news_function(app, d->functions[row->index].id));
	}
}

static const struct row *selected(tui_view *v)
{
	struct dash *d = v->data;
	if (!d->rows || v->list.count == 0)
		return NULL;
	return &d->rows[v->list.sel];
}

static tui_req dash_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	struct dash *d = v->data;
	const struct row *r = selected(v);
	tui_req req = tui_req_make(TUI_REQ_REDRAW);
	if (a == TUI_ACT_HANDOVER_NEW) /* also on an empty dashboard */
		return tui_handover_new(app);
	if (a == TUI_ACT_WAITING) {
		if (!ho_is_lead(app->db)) {
			tui_error(app, "Only a lead sees who waits on whom; My work (Tab) shows "
			               "what waits on you.");
			return req;
		}
		req.what = TUI_REQ_OPEN;
		req.open = &tui_waiting_view;
		return req;
	}
	if (!r)
		return req;
	count_handover(d, app, row_handover(d, r)); /* signing needs the figures */
	const ho_handover *h = r->kind == ROW_HANDOVER ? &d->handovers[r->index] : NULL;
	const ho_function *f = r->kind == ROW_FUNCTION ? &d->functions[r->index] : NULL;
	switch (a) {
	case TUI_ACT_OPEN:
		if (f) {
			req.what = TUI_REQ_OPEN;
			req.open = &tui_checklist_view;
			req.id = f->id;
		} else {
			/* Folding changes the rows, not what was read. */
			tui_news_open_handover(app, h->id);
			struct spot p = remember(v, d);
			toggle_fold(d, h->id);
			place_rows(v, app, p);
		}
		return req;
	case TUI_ACT_SIGN:
		return f ? tui_sign_function(app, f) : tui_sign_handover(app, h);
	case TUI_ACT_PRINT:
		return f ? tui_print(app, f->handover_id, f->id) : tui_print(app, h->id, 0);
	case TUI_ACT_FUNCTION_ADD:
		return tui_function_add(app, h ? h->id : f->handover_id);
	case TUI_ACT_FUNCTION_UP:
	case TUI_ACT_FUNCTION_DOWN: {
		/* Functions are in handover, then checklist order: the
		 * neighbours of the same handover are next to it. */
		size_t i = r->index, n = d->nfunctions;
		if (!f)
			return req;
		const ho_function *fs = d->functions;
		if (a == TUI_ACT_FUNCTION_UP) {
			if (i == 0 || fs[i - 1].handover_id != f->handover_id)
				return req;
			return tui_function_move(app, f, fs[i - 1].id);
		}
		if (i + 1 >= n || fs[i + 1].handover_id != f->handover_id)
			return req;
		int64_t before =
		    i + 2 < n && fs[i + 2].handover_id == f->handover_id ? fs[i + 2].id : 0;
		return tui_function_move(app, f, before);
	}
	case TUI_ACT_HANDOVER_CLOSE:
	case TUI_ACT_COVER_EDIT: {
		/* The selected handover, or the handover of the selected function. */
		for (size_t i = 0; !h && i < d->nhandovers; i++)
			if (d->handovers[i].id == f->handover_id)
				h = &d->handovers[i];
		return a == TUI_ACT_COVER_EDIT ? tui_cover_edit(app, h)
		                               : tui_handover_close(app, h);
	}
	default:
		return tui_req_make(TUI_REQ_NONE);
	}
}

static int dash_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	struct dash *d = v->data;
	const struct row *r = selected(v);
	if (a == TUI_ACT_HANDOVER_NEW)
		return ho_is_lead(app->db) && !ho_read_only(app->db);
	if (a == TUI_ACT_WAITING)
		return ho_is_lead(app->db);
	if (!r)
		return 0;
	count_handover(d, app, row_handover(d, r));
	switch (a) {
	case TUI_ACT_OPEN:
	case TUI_ACT_PRINT:
		return 1;
	case TUI_ACT_COVER_EDIT:
	case TUI_ACT_HANDOVER_CLOSE:
	case TUI_ACT_FUNCTION_ADD:
		return ho_is_lead(app->db) && !ho_read_only(app->db);
	case TUI_ACT_FUNCTION_UP:
	case TUI_ACT_FUNCTION_DOWN:
		return r->kind == ROW_FUNCTION && ho_is_lead(app->db) && !ho_read_only(app->db);
	case TUI_ACT_SIGN:
		return r->kind == ROW_FUNCTION
		           ? tui_offers_sign_function(app, &d->functions[r->index])
		           : tui_offers_sign_handover(app, &d->handovers[r->index]);
	default:
		return 0;
	}
}

static void dash_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	(void)app;
	struct dash *d = v->data;
	tui_fmt(buf, size, "Dashboard: %zu handover%s, %zu function%s", d->nhandovers,
	        d->nhandovers == 1 ? "" : "s", d->nfunctions, d->nfunctions == 1 ? "" : "s");
}

/* The row as shown, and what it stands for: a function's row is also
 * found by its handover's name and its due date. */
static char *dash_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct dash *d = v->data;
	const struct row *r = &d->rows[row];
	char *out = NULL;
	if (r->kind == ROW_HANDOVER) {
		const ho_handover *h = &d->handovers[r->index];
		if (asprintf(&out, "%s %s %s", h->title, h->service, h->target_date) < 0)
			out = NULL;
	} else {
		const ho_function *f = &d->functions[r->index];
		const ho_handover *h = &d->handovers[row_handover(d, r)];
		if (asprintf(&out, "%s %s %s %s %s %s %s %s", f->code, f->name, f->sender_name,
		             f->receiver_name, f->due_date, tui_rag_word(f->rag), h->title,
		             h->service) < 0)
			out = NULL;
	}
	return out;
}

static int64_t dash_handover(tui_view *v, tui_app *app)
{
	(void)app;
	struct dash *d = v->data;
	const struct row *r = selected(v);
	return r ? d->handovers[row_handover(d, r)].id : 0;
}

const struct tui_view_ops tui_dashboard_view = {
    .name = "dashboard",
    .screen = TUI_SCR_DASHBOARD,
    .init = dash_init,
    .load = dash_load,
    .draw = dash_draw,
    .handle = dash_handle,
    .offers = dash_offers,
    .title = dash_title,
    .row_text = dash_row_text,
    .handover = dash_handover,
    .sorts = 1,
    .done = dash_done,
};
