/* The application: one loop that reads input (keys, resize, mouse), checks
 * the shared file for others' commits a few times a second, hands actions to
 * the view on top and acts on what the view asks for. Views draw into their
 * windows; the screen is updated once per pass (wnoutrefresh, doupdate). */
#define _GNU_SOURCE
#include <ctype.h>
#include <libgen.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "find.h"
#include "handover/changes.h"
#include "handover/terminal.h"
#include "tui.h"

/* How long the title says "updated" after others' changes arrive. */
#define TUI_UPDATED_MS 2000
/* How long news stays on the bottom line before the key hints return;
 * errors stay until the next key, so nobody misses a refusal. */
#define TUI_NEWS_MS 4000
/* Busy timeouts: short for reading the screen's rows, the core's default
 * for changes (a person's action waits its turn, then says the file is
 * busy). */
#define TUI_READ_BUSY_MS 300
/* Keys within this long of a prompt closing, and of each other, are not a
 * person pressing keys (people take longer to read what they submitted
 * before the next command): they are dropped. Terminals with bracketed
 * paste never need it; it guards the ones without. */
#define TUI_GUARD_MS 150

int64_t tui_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- messages ------------------------------------------------------------- */

__attribute__((format(printf, 3, 0))) static void say(tui_app *app, int error, const char *fmt,
                                                      va_list ap)
{
	vsnprintf(app->msg, sizeof app->msg, fmt, ap);
	app->msg_error = error;
	app->msg_ms = tui_ms();
	app->dirty = 1;
}

void tui_message(tui_app *app, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(app, 0, fmt, ap);
	va_end(ap);
}

void tui_error(tui_app *app, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(app, 1, fmt, ap);
	va_end(ap);
}

void tui_error_status(tui_app *app, ho_status st)
{
	const char *why = ho_errmsg(app->db);
	if (why && why[0])
		tui_error(app, "%s", why);
	else
		tui_error(app, "%s", ho_strerror(st));
}

/* ---- views ---------------------------------------------------------------- */

tui_view *tui_top(tui_app *app)
{
	return app->depth > 0 ? app->stack[app->depth - 1] : NULL;
}

void tui_app_reload(tui_app *app)
{
	for (int i = 0; i < app->depth; i++)
		app->stack[i]->stale = 1;
	tui_news_stale(app);
	app->dirty = 1;
}

static void view_free(tui_view *v)
{
	if (!v)
		return;
	if (v->ops->done)
		v->ops->done(v);
	free(v->tags);
	free(v);
}

int tui_tagged(const tui_view *v, int64_t item_id)
{
	for (size_t i = 0; i < v->ntags; i++)
		if (v->tags[i] == item_id)
			return 1;
	return 0;
}

int tui_tag_toggle(tui_view *v, int64_t item_id)
{
	for (size_t i = 0; i < v->ntags; i++)
		if (v->tags[i] == item_id) {
			/* Kept in the order they were tagged: the result lists
			 * them as the person chose them. */
			memmove(v->tags + i, v->tags + i + 1, (v->ntags - i - 1) * sizeof *v->tags);
			v->ntags--;
			return 0;
		}
	int64_t *t = realloc(v->tags, (v->ntags + 1) * sizeof *t);
	if (!t)
		return -1;
	v->tags = t;
	v->tags[v->ntags++] = item_id;
	return 0;
}

const char *tui_sort_name(tui_sort s)
{
	switch (s) {
	case TUI_SORT_ORDER:
		break;
	case TUI_SORT_RAG:
		return "RAG";
	case TUI_SORT_OVERDUE:
		return "overdue";
	case TUI_SORT_DUE:
		return "due date";
	case TUI_SORT_PROGRESS:
		return "progress";
	case TUI_SORT__COUNT:
		break;
	}
	return "checklist order";
}

static int view_push(tui_app *app, const struct tui_view_ops *ops, int64_t id, int64_t select)
{
	tui_view *v = calloc(1, sizeof *v);
	if (!v)
		return -1;
	v->ops = ops;
	v->id = id;
	v->select = select;
	v->stale = 1;
	if (ops->init && ops->init(v, app) != 0) {
		free(v);
		return -1;
	}
	app->ack_pending = 1; /* what the new screen selects is looked at */
	if (app->depth == TUI_MAX_DEPTH) {
		/* Deep enough: the new view takes the place of the top one. */
		view_free(app->stack[--app->depth]);
	}
	app->stack[app->depth++] = v;
	app->dirty = 1;
	return 0;
}

static void view_pop(tui_app *app)
{
	if (app->depth <= 1)
		return;
	view_free(app->stack[--app->depth]);
	app->dirty = 1;
}

/* The person moved onto the selected row (or opened a screen): its item,
 * as it is about to be drawn, is what they have seen. */
static void ack_selected(tui_app *app, tui_view *v)
{
	app->ack_pending = 0;
	if (!v->ops->row_item || v->list.count <= 0)
		return;
	tui_seen_ack(app, v->ops->row_item(v, app, v->list.sel));
}

static void view_load(tui_app *app, tui_view *v)
{
	/* Reading waits for a writer only briefly: the screen keeps what it
	 * shows, says "stale", and tries again at the next poll, rather than
	 * freezing for the whole busy timeout that writes get. */
	ho_set_busy_timeout(app->db, TUI_READ_BUSY_MS);
	ho_status st = v->ops->load ? v->ops->load(v, app) : HO_OK;
	ho_set_busy_timeout(app->db, app->write_busy_ms);
	v->loaded = 1;
	v->stale = 0;
	v->select = 0;
	if (st != HO_OK) {
		app->stale = 1;
		tui_error_status(app, st);
	} else {
		app->stale = 0;
	}
}

/* ---- windows --------------------------------------------------------------- */

static void windows_free(tui_app *app)
{
	WINDOW **ws[] = {&app->title_w, &app->head_w, &app->body_w, &app->foot_w};
	for (size_t i = 0; i < sizeof ws / sizeof ws[0]; i++) {
		if (*ws[i])
			delwin(*ws[i]);
		*ws[i] = NULL;
	}
	if (app->modal.popup) {
		delwin(app->modal.popup);
		app->modal.popup = NULL;
	}
}

static void layout(tui_app *app)
{
	windows_free(app);
	app->lines = LINES;
	app->cols = COLS;
	app->too_small = COLS < TUI_MIN_COLS || LINES < TUI_MIN_LINES;
	werase(stdscr);
	wnoutrefresh(stdscr);
	app->dirty = 1;
	if (app->too_small)
		return;
	app->title_w = newwin(1, COLS, 0, 0);
	app->head_w = newwin(1, COLS, 1, 0);
	app->body_w = newwin(LINES - 3, COLS, 2, 0);
	app->foot_w = newwin(1, COLS, LINES - 1, 0);
	if (!app->title_w || !app->head_w || !app->body_w || !app->foot_w) {
		windows_free(app);
		app->too_small = 1;
	}
}

/* ---- the title bar, the heading, the bottom line ----------------------------- */

static void draw_title(tui_app *app)
{
	WINDOW *w = app->title_w;
	int cols = app->cols;
	attr_t ta = tui_attr(TUI_C_TITLE);
	tui_fill(w, 0, 0, cols, ta);

	const ho_person *me = ho_actor(app->db);
	char who[400];
	char *name = tui_clean(me->name && me->name[0] ? me->name : me->login);
	if (me->role == HO_ROLE_NONE)
		tui_fmt(who, sizeof who, "%s (viewer, read-only)", name);
	else if (ho_read_only(app->db))
		tui_fmt(who, sizeof who, "%s (%s, read-only)", name, ho_role_name(me->role));
	else
		tui_fmt(who, sizeof who, "%s (%s)", name, ho_role_name(me->role));
	free(name);

	char *path = strdup(ho_path(app->db) ? ho_path(app->db) : "");
	char file[400];
	char *base = path ? tui_clean(basename(path)) : tui_clean("");
	tui_fmt(file, sizeof file, "%s [%s]", base, ho_journal_mode(app->db));
	free(base);
	free(path);

	char live[64];
	enum tui_role live_role = TUI_C_LIVE;
	if (app->stale) {
		tui_fmt(live, sizeof live, "%s stale", tui_glyph(TUI_G_STALE));
		live_role = TUI_C_GAP;
	} else if (app->updated_ms && tui_ms() - app->updated_ms < TUI_UPDATED_MS) {
		tui_fmt(live, sizeof live, "%s updated", tui_glyph(TUI_G_LIVE));
	} else {
		tui_fmt(live, sizeof live, "%s live", tui_glyph(TUI_G_LIVE));
	}

	/* What matters most survives a narrow window: who you are and whether
	 * the screen is live; then the file; then the file's title. */
	int lw = ho_text_width(live), ww = ho_text_width(who), fw = ho_text_width(file);
	int gap = 3;
	if (lw + ww + fw + 2 * gap + 12 > cols) {
		gap = 2;
		tui_fmt(file, sizeof file, "[%s]", ho_journal_mode(app->db));
		fw = ho_text_width(file);
	}
	int right = ww + fw + lw + 2 * gap;
	if (right > cols - 1) {
		ww = cols - 1 - fw - lw - 2 * gap;
		if (ww < 4)
			ww = 4;
		right = ww + fw + lw + 2 * gap;
	}
	int x = cols - right - 1;
	if (x < 0)
		x = 0;
	char left[800], news[128];
	char *title = tui_clean(app->file_title ? app->file_title : "");
	tui_news_title(app, news, sizeof news);
	int nw = ho_text_width(news), tw = ho_text_width(title), room = x - 2;
	/* Narrow: the file's title alone says more than the program's name,
	 * and what changed since you last looked more than either. */
	if (!news[0] && room >= 11 + tw)
		tui_fmt(left, sizeof left, "handover %s %s", tui_glyph(TUI_G_DASH), title);
	else if (!news[0] || room >= tw + 3 + nw)
		tui_fmt(left, sizeof left, "%s%s%s%s%s", title, news[0] ? " " : "",
		        news[0] ? tui_glyph(TUI_G_DASH) : "", news[0] ? " " : "", news);
	else
		tui_fmt(left, sizeof left, "%s", news);
	free(title);
	if (x > 2)
		tui_put(w, 0, 1, room, ta | A_BOLD, left, 0);
	x += tui_put(w, 0, x, ww, ta, who, 0) + gap;
	x += tui_put(w, 0, x, fw, ta, file, 0) + gap;
	tui_put(w, 0, x, lw, tui_attr(live_role), live, 0);
}

static int has_filter(const tui_view *v)
{
	return (v->ops->screen & (TUI_SCR_DASHBOARD | TUI_SCR_CHECKLIST | TUI_SCR_GAPS)) != 0;
}

static void draw_head(tui_app *app, tui_view *v)
{
	WINDOW *w = app->head_w;
	int cols = app->cols;
	attr_t ha = tui_attr(TUI_C_HEADER);
	tui_fill(w, 0, 0, cols, A_NORMAL);
	char right[160] = "", pos[32] = "", tags[32] = "", sort[48] = "";
	if (v->list.count > 0 && !v->list.scroll_only && v->ops->position) {
		v->ops->position(v, pos, sizeof pos);
	} else if (v->list.count > 0 && !v->list.scroll_only && v->ops->selectable) {
		/* Headings are not counted: "3/12" is the third person of 12. */
		int at = 0, of = 0;
		for (int r = 0; r < v->list.count; r++)
			if (v->ops->selectable(v, r)) {
				of++;
				at += r <= v->list.sel;
			}
		tui_fmt(pos, sizeof pos, "%d/%d", at, of);
	} else if (v->list.count > 0 && !v->list.scroll_only)
		tui_fmt(pos, sizeof pos, "%d/%d", v->list.sel + 1, v->list.count);
	else if (v->list.count > v->list.height && v->list.scroll_only)
		tui_fmt(pos, sizeof pos, "%d%%",
		        (v->list.top + v->list.height) * 100 / (v->list.count ? v->list.count : 1));
	if (v->ntags)
		tui_fmt(tags, sizeof tags, "%zu tagged  ", v->ntags);
	/* A sorted list always says so, so nobody reads it as the
	 * checklist's own order; the own order says so when there is room. */
	if (v->ops->sorts && (v->sort != TUI_SORT_ORDER || cols >= 100))
		tui_fmt(sort, sizeof sort, "sort: %s  ", tui_sort_name(v->sort));
	if (has_filter(v))
		tui_fmt(right, sizeof right, "%s%sfilter: %s  %s", tags, sort,
		        ho_filter_name(v->filter), pos);
	else
		tui_fmt(right, sizeof right, "%s%s%s", tags, sort, pos);
	int rw = ho_text_width(right);
	char title[512] = "";
	if (v->ops->title)
		v->ops->title(v, app, title, sizeof title);
	tui_put(w, 0, 1, cols - rw - 3, ha, title, 0);
	tui_put_right(w, 0, cols - rw - 1, rw, has_filter(v) && v->filter ? tui_attr(TUI_C_KEY) : 0,
	              right);
}

/* Is `a` offered on the view now (for the hint line)? */
static int offered(tui_app *app, tui_view *v, enum tui_action a)
{
	switch (a) {
	case TUI_ACT_QUIT:
		return 1; /* the key works on the dashboard and My work only */
	case TUI_ACT_BACK:
		return app->depth > 1;
	case TUI_ACT_NEXT_SCREEN:
		return 1;
	case TUI_ACT_SEARCH:
		return v->list.count > 0 && v->ops->row_text != NULL;
	case TUI_ACT_UNDO:
		return ho_actor(app->db)->role != HO_ROLE_NONE && !ho_read_only(app->db) &&
		       v->ops->screen != TUI_SCR_HELP;
	case TUI_ACT_FILTER:
		return has_filter(v);
	case TUI_ACT_SORT:
		return v->ops->sorts;
	case TUI_ACT_TAG:
		return v->list.count > 0 && v->ops->row_item != NULL;
	case TUI_ACT_SEARCH_NEXT:
	case TUI_ACT_SEARCH_PREV:
		return app->search[0] && v->list.count > 0 && v->ops->row_text != NULL;
	case TUI_ACT_JUMP:
		return 1;
	case TUI_ACT_ACCEPT:
	case TUI_ACT_IN_PROGRESS:
	case TUI_ACT_COMMENT:
		/* With rows tagged these act on them, whatever is selected:
		 * offered to whoever may do them at all (each row is checked
		 * when it is acted on). */
		if (v->ntags) {
			const ho_person *me = ho_actor(app->db);
			if (ho_read_only(app->db) || me->role == HO_ROLE_NONE)
				return 0;
			if (a == TUI_ACT_COMMENT)
				return 1;
			return (me->roles & HO_ROLE_BIT(a == TUI_ACT_ACCEPT ? HO_ROLE_RECEIVER
			                                                    : HO_ROLE_SENDER)) != 0;
		}
		return v->ops->offers ? v->ops->offers(v, app, a) : 0;
	default:
		return v->ops->offers ? v->ops->offers(v, app, a) : 0;
	}
}

/* The key as the hint line shows it: the label up to its first comma. */
static void hint_key(const struct tui_key *k, char *buf, size_t size)
{
	size_t n = strcspn(k->label, ",");
	tui_fmt(buf, size, "%.*s", (int)n, k->label);
}

static int put_hint(WINDOW *w, int x, int room, const struct tui_key *k)
{
	char key[32], word[64];
	hint_key(k, key, sizeof key);
	tui_fmt(word, sizeof word, " %s", k->hint);
	int need = ho_text_width(key) + ho_text_width(word);
	if (need > room)
		return 0;
	x += tui_put(w, 0, x, room, tui_attr(TUI_C_KEY), key, 0);
	tui_put(w, 0, x, room, A_NORMAL, word, 0);
	return need;
}

static void draw_hints(tui_app *app, tui_view *v)
{
	WINDOW *w = app->foot_w;
	int cols = app->cols;
	size_t n;
	const struct tui_key *keys = tui_keys(&n);
	const struct tui_key *help = tui_key_of(TUI_ACT_HELP);
	char hk[32];
	hint_key(help, hk, sizeof hk);
	int help_w = ho_text_width(hk) + 1 + ho_text_width(help->hint);
	int x = 1, end = cols - help_w - 3; /* two spaces before help */
	for (size_t i = 0; i < n; i++) {
		const struct tui_key *k = &keys[i];
		if (!k->hint || k->action == TUI_ACT_HELP || !(k->screens & v->ops->screen))
			continue;
		/* The first entry for a key on this screen is the one that acts. */
		if (tui_key_action(v->ops->screen, k->codes[0]) != k->action)
			continue;
		if (!offered(app, v, k->action))
			continue;
		int used = put_hint(w, x, end - x, k);
		if (used)
			x += used + 2;
	}
	put_hint(w, cols - help_w - 1, help_w, help);
}

/* A message too long for one line takes up to three, over the body's
 * bottom: a conflict says who changed what, and that must be readable. */
static void draw_message(tui_app *app)
{
	attr_t a = app->msg_error ? tui_attr(TUI_C_GAP) : tui_attr(TUI_C_MESSAGE);
	char *clean = tui_clean(app->msg);
	int cols = app->cols;
	char **lines = NULL;
	size_t n = tui_wrap(clean, cols - 2, &lines);
	size_t shown = n > 3 ? 3 : n;
	/* Under a prompt (a refused change handed back to send again) the
	 * message sits just above it; otherwise its last line is the bottom
	 * line. */
	int on_foot = app->modal.kind == TUI_MODAL_NONE;
	size_t above = on_foot && shown > 0 ? shown - 1 : shown;
	int body_h = getmaxy(app->body_w);
	for (size_t i = 0; i < above; i++) {
		int y = body_h - (int)above + (int)i;
		tui_fill(app->body_w, y, 0, cols, A_NORMAL);
		tui_put(app->body_w, y, 1, cols - 2, a, lines[i], 0);
	}
	if (on_foot) {
		tui_fill(app->foot_w, 0, 0, cols, A_NORMAL);
		if (shown > 0)
			tui_put(app->foot_w, 0, 1, cols - 2, a, lines[shown - 1], 0);
	}
	tui_lines_free(lines, n);
	free(clean);
}

static void draw_too_small(void)
{
	werase(stdscr);
	const char *say_this = "Enlarge the window (need 50x12)";
	int w = (int)strlen(say_this);
	int x = COLS > w ? (COLS - w) / 2 : 0;
	tui_put(stdscr, LINES / 2, x, COLS - x, tui_attr(TUI_C_GAP), say_this, 0);
	if (LINES > 1)
		tui_put(stdscr, LINES / 2 + 1 < LINES ? LINES / 2 + 1 : 0, x, COLS - x, A_NORMAL,
		        "q quits", 0);
	wnoutrefresh(stdscr);
}

void tui_app_say_now(tui_app *app, const char *text)
{
	tui_message(app, "%s", text);
	if (app->too_small || !app->foot_w)
		return;
	tui_fill(app->foot_w, 0, 0, app->cols, A_NORMAL);
	tui_put(app->foot_w, 0, 1, app->cols - 2, tui_attr(TUI_C_MESSAGE), text, 0);
	wnoutrefresh(app->foot_w);
	doupdate();
}

void tui_app_render(tui_app *app)
{
	if (app->lines != LINES || app->cols != COLS)
		layout(app);
	app->dirty = 0;
	if (app->too_small) {
		curs_set(0);
		draw_too_small();
		doupdate();
		return;
	}
	tui_view *v = tui_top(app);
	tui_news_load(app);
	if (v->stale || !v->loaded)
		view_load(app, v);
	if (app->ack_pending)
		ack_selected(app, v);
	if (app->modal.kind != TUI_MODAL_TEXT && app->modal.kind != TUI_MODAL_CONFIRM)
		curs_set(0);
	draw_title(app);
	werase(app->body_w);
	v->ops->draw(v, app, app->body_w);
	draw_head(app, v); /* after the view, which knows its position */
	werase(app->foot_w);
	if (app->msg[0])
		draw_message(app);
	else if (app->modal.kind == TUI_MODAL_NONE)
		draw_hints(app, v);
	wnoutrefresh(app->title_w);
	wnoutrefresh(app->head_w);
	wnoutrefresh(app->body_w);
	if (app->modal.kind != TUI_MODAL_NONE)
		tui_modal_draw(app, app->foot_w); /* menus draw their popup here */
	wnoutrefresh(app->foot_w);                /* last: a prompt's cursor stays */
	doupdate();
}

/* ---- moving, searching -------------------------------------------------------- */

static int row_ok(tui_view *v, int row)
{
	return !v->ops->selectable || v->ops->selectable(v, row);
}

/* Put the selection on `want`, or the nearest row that may hold it, looking
 * in direction `dir` first. */
static void select_near(tui_view *v, int want, int dir)
{
	tui_list *l = &v->list;
	if (l->count <= 0)
		return;
	if (want < 0)
		want = 0;
	if (want >= l->count)
		want = l->count - 1;
	for (int pass = 0; pass < 2; pass++, dir = -dir)
		for (int r = want; r >= 0 && r < l->count; r += dir)
			if (row_ok(v, r)) {
				tui_list_select(l, r);
				return;
			}
}

static void move_selection(tui_view *v, enum tui_action a)
{
	tui_list *l = &v->list;
	int page = l->height > 1 ? l->height - 1 : 1;
	if (l->scroll_only) {
		int top = l->top;
		switch (a) {
		case TUI_ACT_UP:
			top--;
			break;
		case TUI_ACT_DOWN:
			top++;
			break;
		case TUI_ACT_PAGE_UP:
			top -= page;
			break;
		case TUI_ACT_PAGE_DOWN:
			top += page;
			break;
		case TUI_ACT_FIRST:
			top = 0;
			break;
		case TUI_ACT_LAST:
			top = l->count;
			break;
		default:
			break;
		}
		tui_list_select(l, top);
		return;
	}
	switch (a) {
	case TUI_ACT_UP:
		select_near(v, l->sel - 1, -1);
		break;
	case TUI_ACT_DOWN:
		select_near(v, l->sel + 1, +1);
		break;
	case TUI_ACT_PAGE_UP:
		select_near(v, l->sel - page, -1);
		break;
	case TUI_ACT_PAGE_DOWN:
		select_near(v, l->sel + page, +1);
		break;
	case TUI_ACT_FIRST:
		select_near(v, 0, +1);
		break;
	case TUI_ACT_LAST:
		select_near(v, l->count - 1, -1);
		break;
	default:
		break;
	}
}

/* The next row from the selection in direction dir (1 or -1) whose text
 * matches the last search, wrapping round once. */
static tui_req search_step(tui_app *app, int dir)
{
	tui_view *v = tui_top(app);
	if (!app->search[0] || !v->ops->row_text || v->list.count == 0)
		return tui_req_make(TUI_REQ_REDRAW);
	int n = v->list.count;
	int from = v->list.scroll_only ? v->list.top : v->list.sel;
	for (int k = 1; k <= n; k++) {
		int row = ((from + dir * k) % n + n) % n;
		if (!row_ok(v, row))
			continue;
		char *t = v->ops->row_text(v, app, row);
		int hit = t && tui_match(t, app->search);
		free(t);
		if (hit) {
			tui_list_select(&v->list, row);
			app->ack_pending = 1;
			if (dir > 0 && row <= from)
				tui_message(app, "Search wrapped to the top.");
			else if (dir < 0 && row >= from)
				tui_message(app, "Search wrapped to the bottom.");
			return tui_req_make(TUI_REQ_REDRAW);
		}
	}
	char *clean = tui_clean(app->search);
	tui_error(app, "Not found: %s", clean);
	free(clean);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* The handover the person is looking at: the top screen's, else the one
 * under it (an item opened from My work is in its handover). */
static int64_t current_handover(tui_app *app)
{
	for (int d = app->depth - 1; d >= 0; d--) {
		tui_view *v = app->stack[d];
		if (!v->ops->handover)
			continue;
		if (!v->loaded)
			continue; /* not read yet: what it would say is not known */
		int64_t id = v->ops->handover(v, app);
		if (id)
			return id;
	}
	return 0;
}

/* The handover's name, for saying where an item was found. */
static char *handover_name(tui_app *app, int64_t id)
{
	ho_handover *h = NULL;
	size_t n = 0;
	char *name = NULL;
	if (ho_outline(app->db, id, &h, &n, NULL, NULL) == HO_OK && n == 1)
		name = tui_clean(h->service[0] ? h->service : h->title);
	ho_handover_free(h, n);
	return name ? name : tui_clean("another handover");
}

/* Find `ref`: in the current handover, else the only one in the file.
 * 1 with *id set; 0 when there is none (nothing said); -1 when it could
 * not be told (said). *elsewhere is set when it came from another
 * handover than the current one. */
static int find_ref(tui_app *app, const char *ref, int64_t *id, int *elsewhere)
{
	int64_t here = current_handover(app);
	*elsewhere = 0;
	ho_status st = HO_ENOTFOUND;
	if (here)
		st = ho_item_find(app->db, here, ref, id);
	if (st == HO_OK)
		return 1;
	if (st != HO_ENOTFOUND) {
		tui_error_status(app, st);
		return -1;
	}
	st = ho_item_find(app->db, 0, ref, id);
	if (st == HO_OK) {
		*elsewhere = here != 0;
		return 1;
	}
	if (st == HO_EUSAGE) {
		/* In several handovers, none of them this one. */
		char *clean = tui_clean(ref);
		tui_error(app,
		          "%s is in several handovers%s: open the one you mean from the dashboard, "
		          "then type :%s there.",
		          clean, here ? ", not this one" : "", clean);
		free(clean);
		return -1;
	}
	if (st != HO_ENOTFOUND) {
		tui_error_status(app, st);
		return -1;
	}
	return 0;
}

/* Open item `id`, unless it is what is on screen already. */
static tui_req open_item(tui_app *app, int64_t id)
{
	tui_view *v = tui_top(app);
	tui_req r = tui_req_make(TUI_REQ_REDRAW);
	if (v->ops == &tui_item_view && v->id == id)
		return r;
	r.what = TUI_REQ_OPEN;
	r.open = &tui_item_view;
	r.id = id;
	return r;
}

static tui_req jumped(tui_app *app, const char *ref, int64_t id, int elsewhere)
{
	if (elsewhere) {
		ho_item it;
		if (ho_item_get(app->db, id, &it) == HO_OK) {
			char *where = handover_name(app, it.handover_id);
			char *clean = tui_clean(ref);
			tui_message(app, "No %s in this handover: this is %s in %s.", clean, clean,
			            where);
			free(clean);
			free(where);
			ho_item_clear(&it);
		}
	}
	return open_item(app, id);
}

tui_req tui_jump(tui_app *app, const char *text)
{
	char ref[32];
	if (!tui_is_ref(text, ref, sizeof ref)) {
		char *clean = tui_clean(text ? text : "");
		tui_error(app, "\"%s\" is not an item reference (like FIN-3).", clean);
		free(clean);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	int64_t id = 0;
	int elsewhere = 0;
	int found = find_ref(app, ref, &id, &elsewhere);
	if (found < 0)
		return tui_req_make(TUI_REQ_REDRAW);
	if (found == 0) {
		char *clean = tui_clean(ref);
		tui_error(app, "There is no item %s %s.", clean,
		          current_handover(app) ? "in this handover or any other" : "in this file");
		free(clean);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	return jumped(app, ref, id, elsewhere);
}

tui_req tui_search(tui_app *app, const char *text)
{
	if (text && text[0])
		tui_fmt(app->search, sizeof app->search, "%s", text);
	/* A reference is where the person wants to go: the item opens. One
	 * that names no item is searched for as text (rows mention refs). */
	char ref[32];
	if (text && tui_is_ref(text, ref, sizeof ref)) {
		int64_t id = 0;
		int elsewhere = 0;
		int found = find_ref(app, ref, &id, &elsewhere);
		if (found > 0)
			return jumped(app, ref, id, elsewhere);
		if (found < 0)
			app->msg[0] = '\0'; /* search the rows instead */
	}
	return search_step(app, 1);
}

tui_req tui_search_again(tui_app *app, int dir)
{
	if (!app->search[0]) {
		tui_error(app, "No search yet: / searches.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	return search_step(app, dir);
}

/* ---- acting on requests --------------------------------------------------------- */

/* The screens Tab cycles through, in screens.def's order. */
static const struct tui_view_ops *const tabs[] = {
#define TUI_SCREEN(name, word, tab, view) TUI_TAB_##tab(&view)
#define TUI_TAB_1(view)                   view,
#define TUI_TAB_0(view)
#include "screens.def"
#undef TUI_SCREEN
#undef TUI_TAB_1
#undef TUI_TAB_0
};
#define NTABS ((int)(sizeof tabs / sizeof tabs[0]))

/* The screen Tab moved to last (or the first screen): the nearest one on
 * the stack that Tab reaches. */
static int current_tab(tui_app *app)
{
	for (int d = app->depth - 1; d >= 0; d--)
		for (int t = 0; t < NTABS; t++)
			if (app->stack[d]->ops == tabs[t])
				return t;
	return 0;
}

static void act(tui_app *app, tui_req r)
{
	if (r.what & TUI_REQ_QUIT)
		app->quit = 1;
	if (r.what & TUI_REQ_BACK)
		view_pop(app);
	if (r.what & TUI_REQ_TAB) {
		while (app->depth > 1)
			view_pop(app);
		/* The first screen stays at the bottom: Esc comes back to it. */
		if (r.open && r.open != app->stack[0]->ops)
			view_push(app, r.open, r.id, r.select);
	} else if ((r.what & TUI_REQ_OPEN) && r.open) {
		if (view_push(app, r.open, r.id, r.select) != 0)
			tui_error(app, "out of memory");
	}
	if (r.what & TUI_REQ_RELOAD)
		tui_app_reload(app);
	if (r.what)
		app->dirty = 1;
}

static tui_req search_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)ctx;
	(void)choice;
	return tui_search(app, text);
}

/* The most bytes of a reference as typed at :, spaces round it and all
 * (tui_jump trims them and says when it is no reference). */
#define TUI_MAX_JUMP 31

static tui_req jump_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)ctx;
	(void)choice;
	return tui_jump(app, text);
}

static tui_req dispatch(tui_app *app, tui_view *v, enum tui_action a)
{
	tui_req r = tui_req_make(TUI_REQ_REDRAW);
	switch (a) {
	case TUI_ACT_UP:
	case TUI_ACT_DOWN:
	case TUI_ACT_PAGE_UP:
	case TUI_ACT_PAGE_DOWN:
	case TUI_ACT_FIRST:
	case TUI_ACT_LAST:
		move_selection(v, a);
		app->ack_pending = 1;
		return r;
	case TUI_ACT_QUIT:
		return tui_req_make(TUI_REQ_QUIT);
	case TUI_ACT_INTERRUPT:
		/* Outside a prompt nothing is unsaved (every change is written
		 * when it is made), so nothing needs asking. */
		app->exit_status = 130;
		return tui_req_make(TUI_REQ_QUIT);
	case TUI_ACT_SUSPEND:
		app->suspend = 1;
		return tui_req_make(TUI_REQ_NONE);
	case TUI_ACT_BACK:
		return tui_req_make(app->depth > 1 ? TUI_REQ_BACK : TUI_REQ_NONE);
	case TUI_ACT_NEXT_SCREEN:
	case TUI_ACT_PREV_SCREEN: {
		int t = (current_tab(app) + (a == TUI_ACT_NEXT_SCREEN ? 1 : NTABS - 1)) % NTABS;
		r.what = TUI_REQ_TAB;
		r.open = tabs[t];
		return r;
	}
	case TUI_ACT_HELP:
		if (v->ops == &tui_help_view)
			return tui_req_make(TUI_REQ_BACK);
		r.what = TUI_REQ_OPEN;
		r.open = &tui_help_view;
		return r;
	case TUI_ACT_REDRAW:
		clearok(curscr, TRUE);
		return r;
	case TUI_ACT_SEARCH: {
		if (!v->ops->row_text)
			return r;
		tui_prompt_text(app, "Search:", app->search, sizeof app->search - 1, search_answer,
		                NULL, NULL);
		return r;
	}
	case TUI_ACT_SEARCH_NEXT:
	case TUI_ACT_SEARCH_PREV:
		return tui_search_again(app, a == TUI_ACT_SEARCH_NEXT ? 1 : -1);
	case TUI_ACT_JUMP:
		tui_prompt_text(app, "Go to item (like FIN-3):", "", TUI_MAX_JUMP, jump_answer,
		                NULL, NULL);
		return r;
	case TUI_ACT_SORT:
		if (!v->ops->sorts)
			return r;
		v->sort = (tui_sort)((v->sort + 1) % TUI_SORT__COUNT);
		v->stale = 1;
		tui_message(app, "Sorted by %s.", tui_sort_name(v->sort));
		return r;
	case TUI_ACT_TAG: {
		const ho_item *it = v->ops->row_item && v->list.count > 0
		                        ? v->ops->row_item(v, app, v->list.sel)
		                        : NULL;
		if (!it)
			return r;
		if (tui_tag_toggle(v, it->id) != 0) {
			tui_error(app, "out of memory");
			return r;
		}
		/* On to the next row, as in mutt: tagging a run is Space, Space. */
		move_selection(v, TUI_ACT_DOWN);
		app->ack_pending = 1;
		if (v->ntags)
			tui_message(app,
			            "%zu tagged: a accepts, w marks in progress, c comments on "
			            "each; Space on a tagged row untags it.",
			            v->ntags);
		else
			tui_message(app, "Nothing tagged.");
		return r;
	}
	case TUI_ACT_ACCEPT:
	case TUI_ACT_IN_PROGRESS:
	case TUI_ACT_COMMENT:
		if (v->ntags)
			return tui_tagged_act(app, v, a);
		return v->ops->handle ? v->ops->handle(v, app, a) : r;
	case TUI_ACT_UNDO:
		return tui_undo(app);
	case TUI_ACT_FILTER:
		if (!has_filter(v))
			return r;
		v->filter = (ho_filter)((v->filter + 1) % HO_FILTER__COUNT);
		v->stale = 1;
		tui_message(app, "Showing %s.", ho_filter_name(v->filter));
		return r;
	default:
		return v->ops->handle ? v->ops->handle(v, app, a) : r;
	}
}

static void mouse(tui_app *app, tui_view *v, const tui_input *in)
{
	tui_list *l = &v->list;
#ifdef BUTTON5_PRESSED
	if (in->mouse_bstate & BUTTON5_PRESSED) {
		tui_list_scroll(l, 3);
		app->dirty = 1;
		return;
	}
#endif
	if (in->mouse_bstate & BUTTON4_PRESSED) {
		tui_list_scroll(l, -3);
		app->dirty = 1;
		return;
	}
	if (!(in->mouse_bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)))
		return;
	int body_y = in->mouse_y - 2; /* the body starts under the title and heading */
	int row = l->top + body_y - l->y0;
	if (body_y < l->y0 || body_y >= l->y0 + l->height || row >= l->count || l->scroll_only)
		return;
	if (!row_ok(v, row))
		return;
	tui_list_select(l, row);
	app->ack_pending = 1;
	app->dirty = 1;
	if (in->mouse_bstate & BUTTON1_DOUBLE_CLICKED)
		act(app, dispatch(app, v, TUI_ACT_OPEN));
}

/* Keys right after a prompt closed, faster than a person types: the rest
 * of a paste (on a terminal without bracketed paste) or typeahead meant for
 * the prompt. They must not run as commands; each one keeps the guard up a
 * little longer, so a pasted tail is dropped whole. */
static int guarded(tui_app *app)
{
	int64_t now = tui_ms();
	if (!app->guard_until_ms || now >= app->guard_until_ms) {
		app->guard_until_ms = 0;
		app->guard_dropped = 0;
		return 0;
	}
	app->guard_until_ms = now + app->guard_ms;
	app->guard_dropped++;
	tui_error(app,
	          "Ignored %d key%s that came right after the prompt closed (faster than typing: "
	          "a paste?).",
	          app->guard_dropped, app->guard_dropped == 1 ? "" : "s");
	return 1;
}

int tui_app_input(tui_app *app, const tui_input *in)
{
	if (in->type == TUI_IN_NONE)
		return app->quit;
	if (in->type == TUI_IN_RESIZE) {
		layout(app);
		return app->quit;
	}
	if (in->type == TUI_IN_KEY && app->modal.kind == TUI_MODAL_NONE && guarded(app))
		return app->quit;
	if (in->type == TUI_IN_KEY && app->modal.kind == TUI_MODAL_NONE && app->msg[0]) {
		app->msg[0] = '\0';
		app->dirty = 1;
	}
	if (in->type == TUI_IN_KEY && in->code == TUI_CTRL('z') &&
	    app->modal.kind != TUI_MODAL_NONE) {
		app->suspend = 1; /* the prompt stays as it was */
		return app->quit;
	}
	if (app->modal.kind != TUI_MODAL_NONE) {
		/* Blind, only Esc and Ctrl-C: Enter must not confirm what nobody
		 * can see. */
		if (app->too_small &&
		    !(in->type == TUI_IN_KEY && (in->code == 27 || in->code == TUI_CTRL('c'))))
			return app->quit;
		act(app, tui_modal_input(app, in));
		return app->quit;
	}
	if (in->type == TUI_IN_PASTE) {
		tui_error(app, "Pasted text ignored: paste into a prompt (c comment, m evidence, r "
		               "query, / search).");
		return app->quit;
	}

	tui_view *v = tui_top(app);
	if (v->stale || !v->loaded)
		view_load(app, v);
	if (in->type == TUI_IN_MOUSE) {
		if (!app->too_small)
			mouse(app, v, in);
		return app->quit;
	}
	enum tui_action a = tui_key_action(v->ops->screen, in->code);
	if (a == TUI_ACT_NONE)
		return app->quit;
	/* Blind keys would act on what the person cannot see. */
	if (app->too_small && a != TUI_ACT_QUIT && a != TUI_ACT_BACK && a != TUI_ACT_INTERRUPT &&
	    a != TUI_ACT_SUSPEND)
		return app->quit;
	act(app, dispatch(app, v, a));
	return app->quit;
}

/* The screen's clock: others' changes (asked of the database when ask is
 * set, or when news of one came), a failed read tried again, the
 * "updated" mark and messages timed out. */
static void tick(tui_app *app, int ask)
{
	int64_t now = tui_ms();
	app->polled_ms = now;
	if (ask && ho_changed(app->db)) {
		tui_app_reload(app);
		app->updated_ms = now;
	} else if (app->stale) {
		tui_app_reload(app); /* the last read failed: try again */
	} else if (app->updated_ms && now - app->updated_ms >= TUI_UPDATED_MS) {
		/* "updated" turns back into "live". */
		app->updated_ms = 0;
		app->dirty = 1;
	}
	/* The title shows the file's journal as it is now: a lead may switch
	 * it (config journal) while this screen is open. */
	char was[16];
	snprintf(was, sizeof was, "%s", ho_journal_mode(app->db));
	if (strcmp(ho_journal_refresh(app->db), was) != 0)
		app->dirty = 1;
	if (app->msg[0] && !app->msg_error && app->modal.kind == TUI_MODAL_NONE &&
	    now - app->msg_ms >= TUI_NEWS_MS) {
		app->msg[0] = '\0';
		app->dirty = 1;
	}
}

void tui_app_poll(tui_app *app)
{
	tick(app, 1);
}

void tui_app_wait(tui_app *app, tui_input *in)
{
	int64_t since = tui_ms() - app->polled_ms;
	int wait = since >= TUI_POLL_MS ? 0 : (int)(TUI_POLL_MS - since);
	int fd = ho_change_fd(app->db);
	if (fd < 0) {
		/* A file: its data_version asked every TUI_POLL_MS. */
		tui_input_get(wait, in);
		if (tui_ms() - app->polled_ms >= TUI_POLL_MS)
			tui_app_poll(app);
		return;
	}
	/* A server that says when something changed: the terminal and the
	 * connection waited on together, the database asked only when it has
	 * news, so another's change is on this screen as soon as it is
	 * committed. Keys curses has already read never wake poll(): taken
	 * first. */
	int news = ho_change_ready(app->db);
	if (!news) {
		tui_input_get(0, in);
		if (in->type == TUI_IN_NONE) {
			struct pollfd p[2] = {{.fd = fileno(stdin), .events = POLLIN},
			                      {.fd = fd, .events = POLLIN}};
			if (poll(p, 2, wait) > 0) {
				if (p[0].revents)
					tui_input_get(0, in);
				news = p[1].revents && ho_change_ready(app->db);
			}
		}
	}
	if (news && ho_changed(app->db)) {
		tui_app_reload(app);
		app->updated_ms = tui_ms();
	}
	if (tui_ms() - app->polled_ms >= TUI_POLL_MS)
		tick(app, 0);
}

void tui_app_pump(tui_app *app)
{
	for (;;) {
		tui_input in;
		tui_input_get(0, &in);
		if (in.type == TUI_IN_NONE)
			break;
		int quit = tui_app_input(app, &in);
		tui_input_clear(&in);
		if (quit)
			break;
	}
}

tui_app *tui_app_new(ho_db *db)
{
	tui_app *app = calloc(1, sizeof *app);
	if (!app)
		return NULL;
	app->db = db;
	app->write_busy_ms = ho_busy_timeout(db);
	app->guard_ms = TUI_GUARD_MS;
	app->seen = tui_seen_new();
	app->news = tui_news_new();
	if (!app->seen || !app->news) {
		tui_seen_free(app->seen);
		tui_news_free(app->news);
		free(app);
		return NULL;
	}
	app->file_title = ho_file_title(db);
	ho_changed(db); /* start counting others' commits from now */
	layout(app);
	/* Senders and receivers start on what waits on them; leads (whatever
	 * else they hold) and viewers on the dashboard, the whole picture.
	 * The first screen stays at the bottom of the stack, so Esc always
	 * comes back to it, and Tab cycles from it. */
	const ho_person *me = ho_actor(db);
	const struct tui_view_ops *first =
	    !ho_is_lead(db) &&
	            (me->roles & (HO_ROLE_BIT(HO_ROLE_SENDER) | HO_ROLE_BIT(HO_ROLE_RECEIVER)))
	        ? &tui_mywork_view
	        : &tui_dashboard_view;
	if (view_push(app, first, 0, 0) != 0) {
		tui_app_free(app);
		return NULL;
	}
	app->dirty = 1;
	return app;
}

void tui_app_free(tui_app *app)
{
	if (!app)
		return;
	tui_modal_close(app);
	while (app->depth > 0)
		view_free(app->stack[--app->depth]);
	windows_free(app);
	/* Leaving is the end of a look: the next session (and `handover
	 * changes`) marks only what others change after now. A busy file is
	 * not worth a long wait at the door. */
	ho_set_busy_timeout(app->db, TUI_READ_BUSY_MS);
	ho_seen_mark(app->db, 0);
	ho_set_busy_timeout(app->db, app->write_busy_ms);
	tui_seen_free(app->seen);
	tui_news_free(app->news);
	free(app->file_title);
	free(app);
}

void tui_curses_setup(FILE *out)
{
	/* raw, not cbreak: Ctrl-C and Ctrl-Z arrive as keys, in order with
	 * the rest of the input, so Ctrl-C can cancel a prompt and Ctrl-Z
	 * can turn bracketed paste off before the shell gets the terminal. */
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* Bytes after ESC within this long make one key with it (input.c). */
	set_escdelay(50);
	curs_set(0);
	tui_paste_mode(out, 1);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
	              | BUTTON5_PRESSED
#endif
	          ,
	          NULL);
	tui_theme_init();
}

void tui_curses_end(void)
{
	tui_paste_mode(NULL, 0);
	endwin();
}

/* ---- the entry point ------------------------------------------------------------- */

static volatile sig_atomic_t stop_signal, stop_request;

static void on_tstp(int sig)
{
	(void)sig;
	stop_request = 1; /* the loop suspends, after turning paste mode off */
}

void tui_suspend(tui_app *app)
{
	app->suspend = 0;
	stop_request = 0;
	tui_curses_end();
	struct sigaction dfl, ours;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(SIGTSTP, &dfl, &ours);
	raise(SIGTSTP); /* stopped here until the shell continues us */
	sigaction(SIGTSTP, &ours, NULL);
	doupdate(); /* back in the program's terminal modes */
	tui_paste_mode(NULL, 1);
	clearok(curscr, TRUE);
	app->dirty = 1;
}

static void on_stop_signal(int sig)
{
	stop_signal = sig; /* only a flag: the loop ends curses properly */
}

static const int stop_signals[] = {SIGINT, SIGTERM, SIGHUP};
#define NSTOP ((int)(sizeof stop_signals / sizeof stop_signals[0]))

int ho_tui_run(ho_db *db)
{
	int status = 1;
	const char *failure = NULL; /* said once the terminal is back */
	SCREEN *screen = NULL;
	tui_app *app = NULL;
	struct sigaction old[NSTOP], old_tstp, sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_stop_signal;
	sigemptyset(&sa.sa_mask);
	/* Installed before curses starts, so curses keeps them rather than its
	 * own handlers (which would end the process, or suspend it with
	 * bracketed paste still on). */
	for (int i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &sa, &old[i]);
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, &old_tstp);
	stop_signal = 0;
	stop_request = 0;

	screen = newterm(NULL, stdout, stdin);
	if (!screen) {
		const char *term = getenv("TERM");
		fprintf(stderr, "handover: cannot use this terminal (TERM=%s)\n",
		        term && term[0] ? term : "unset");
		goto cleanup;
	}
	set_term(screen);
	tui_curses_setup(stdout);

	app = tui_app_new(db);
	if (!app) {
		failure = "out of memory";
		goto cleanup;
	}
	while (!app->quit && !stop_signal) {
		if (app->dirty)
			tui_app_render(app);
		tui_input in;
		tui_app_wait(app, &in);
		if (in.type != TUI_IN_NONE)
			tui_app_input(app, &in);
		tui_input_clear(&in);
		if (app->suspend || stop_request)
			tui_suspend(app);
	}
	status = stop_signal ? 128 + stop_signal : app->exit_status;
cleanup:
	tui_app_free(app);
	if (screen) {
		tui_curses_end();
		delscreen(screen);
	}
	for (int i = 0; i < NSTOP; i++)
		sigaction(stop_signals[i], &old[i], NULL);
	sigaction(SIGTSTP, &old_tstp, NULL);
	if (failure)
		fprintf(stderr, "handover: %s\n", failure);
	return status;
}
