/* One item in full: its states, guidance, evidence, N/A reason or condition,
 * the thread of comments and queries (who, when) and its history. The text
 * is laid out for the window's width and scrolls; item actions act on it. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "view_common.h"

struct line {
	char *text; /* clean */
	enum tui_role role;
	int indent;
	int label; /* columns of a leading label drawn in the heading role */
};

struct item_view {
	ho_item item;
	int have_item;
	ho_function function;
	int have_function;
	char *handover;
	ho_thread_entry *thread;
	size_t nthread;
	ho_event *events;
	size_t nevents;
	char **names;        /* per event: the actor's name, as the thread shows it */
	unsigned char *news; /* per event: a change by someone else since you looked */
	struct line *lines;
	size_t nlines, cap;
	int width; /* the lines were laid out for this width */
};

static int iv_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct item_view));
	v->list.scroll_only = 1;
	return v->data ? 0 : -1;
}

static void lines_clear(struct item_view *iv)
{
	for (size_t i = 0; i < iv->nlines; i++)
		free(iv->lines[i].text);
	iv->nlines = 0;
}

static void iv_clear(struct item_view *iv)
{
	if (iv->have_item)
		ho_item_clear(&iv->item);
	if (iv->have_function)
		ho_function_clear(&iv->function);
	iv->have_item = iv->have_function = 0;
	free(iv->handover);
	iv->handover = NULL;
	ho_thread_free(iv->thread, iv->nthread);
	for (size_t i = 0; iv->names && i < iv->nevents; i++)
		free(iv->names[i]);
	free(iv->names);
	free(iv->news);
	iv->names = NULL;
	iv->news = NULL;
	ho_event_free(iv->events, iv->nevents);
	iv->thread = NULL;
	iv->events = NULL;
	iv->nthread = iv->nevents = 0;
	lines_clear(iv);
	iv->width = 0;
}

static void iv_done(tui_view *v)
{
	struct item_view *iv = v->data;
	iv_clear(iv);
	free(iv->lines);
	free(iv);
}

/* History says who by name, as the thread does (a login the file no
 * longer knows stays a login), and which events are news. An item's
 * history has few people: each is looked up once. */
static void name_events(struct item_view *iv, tui_app *app)
{
	iv->names = calloc(iv->nevents + 1, sizeof *iv->names);
	iv->news = calloc(iv->nevents + 1, 1);
	for (size_t i = 0; iv->names && i < iv->nevents; i++) {
		const char *login = iv->events[i].actor;
		for (size_t k = 0; k < i && !iv->names[i]; k++)
			if (strcmp(iv->events[k].actor, login) == 0 && iv->names[k])
				iv->names[i] = strdup(iv->names[k]);
		if (!iv->names[i]) {
			ho_person p;
			if (ho_person_get(app->db, login, &p) == HO_OK) {
				iv->names[i] = strdup(p.name[0] ? p.name : login);
				ho_person_clear(&p);
			} else {
				iv->names[i] = strdup(login);
			}
		}
		if (iv->news)
			iv->news[i] = (unsigned char)tui_news_event(app, iv->events[i].id);
	}
}

static ho_status iv_load(tui_view *v, tui_app *app)
{
	struct item_view *iv = v->data;
	/* Read everything first: when the file cannot be read (busy, gone)
	 * the screen keeps what it showed. */
	ho_item it;
	ho_thread_entry *thread = NULL;
	ho_event *events = NULL;
	size_t nthread = 0, nevents = 0;
	ho_status st = ho_item_get(app->db, v->id, &it);
	if (st != HO_OK)
		return st;
	st = ho_thread_list(app->db, v->id, &thread, &nthread);
	if (st == HO_OK)
		st = ho_events_list(app->db, v->id, 0, &events, &nevents);
	if (st != HO_OK) {
		ho_item_clear(&it);
		ho_thread_free(thread, nthread);
		return st;
	}
	iv_clear(iv);
	iv->item = it;
	iv->have_item = 1;
	iv->thread = thread;
	iv->nthread = nthread;
	iv->events = events;
	iv->nevents = nevents;
	name_events(iv, app);
	tui_news_open_item(app, v->id);
	if (ho_function_get(app->db, it.function_id, &iv->function) == HO_OK)
		iv->have_function = 1;
	/* Only its name: the handover's items need no counting here. */
	ho_handover *h = NULL;
	size_t nh = 0;
	if (ho_outline(app->db, it.handover_id, &h, &nh, NULL, NULL) == HO_OK && nh == 1)
		iv->handover = strdup(h->title);
	ho_handover_free(h, nh);
	return HO_OK;
}

/* Append one clean line. */
static void add(struct item_view *iv, enum tui_role role, int indent, int label, const char *text)
{
	if (iv->nlines == iv->cap) {
		size_t cap = iv->cap ? iv->cap * 2 : 64;
		struct line *l = realloc(iv->lines, cap * sizeof *l);
		if (!l)
			return;
		iv->lines = l;
		iv->cap = cap;
	}
	char *copy = strdup(text);
	if (!copy)
		return;
	iv->lines[iv->nlines++] = (struct line){copy, role, indent, label};
}

/* User text, sanitised (keeping its line breaks) and wrapped. */
static void add_text(struct item_view *iv, enum tui_role role, int indent, const char *raw)
{
	char *clean = tui_clean_lines(raw);
	char **lines = NULL;
	size_t n = tui_wrap(clean, iv->width - indent - 1, &lines);
	for (size_t i = 0; i < n; i++)
		add(iv, role, indent, 0, lines[i]);
	tui_lines_free(lines, n);
	free(clean);
}

#define LABEL 11

/* "Label      value": the value is user text on one line, wrapped under
 * itself when long. */
static void add_field(struct item_view *iv, const char *label, enum tui_role role,
                      const char *clean_value)
{
	char **lines = NULL;
	size_t n = tui_wrap(clean_value, iv->width - LABEL - 2, &lines);
	for (size_t i = 0; i < n; i++) {
		char buf[1200];
		tui_fmt(buf, sizeof buf, "%-*s%s", LABEL, i == 0 ? label : "", lines[i]);
		add(iv, role, 1, i == 0 ? LABEL : 0, buf);
	}
	tui_lines_free(lines, n);
}

static void add_heading(struct item_view *iv, const char *text)
{
	add(iv, TUI_C_NORMAL, 0, 0, "");
	add(iv, TUI_C_HEADER, 1, 0, text);
}

static void layout(struct item_view *iv, int width)
{
	lines_clear(iv);
	iv->width = width;
	const ho_item *it = &iv->item;
	char buf[1024], when[24];
	char *s = NULL;

	s = tui_clean(it->title);
	tui_fmt(buf, sizeof buf, "%s  %s", it->ref, s);
	free(s);
	add(iv, TUI_C_GROUP, 1, 0, buf);
	if (iv->have_function) {
		char *code = tui_clean(iv->function.code), *name = tui_clean(iv->function.name);
		char *where = tui_clean(iv->handover ? iv->handover : "");
		tui_fmt(buf, sizeof buf, "%s %s; %s", code, name, where);
		add_field(iv, "Function", TUI_C_NORMAL, buf);
		free(code);
		free(name);
		free(where);
	}
	const ho_function *f = &iv->function;
	s = tui_clean(iv->have_function && f->sender_id ? f->sender_name : "nobody yet");
	tui_fmt(buf, sizeof buf, "%s: %s", s, ho_sender_state_name(it->sender_state));
	free(s);
	add_field(iv, "Sender", tui_sender_role(it->sender_state), buf);
	s = tui_clean(iv->have_function && f->receiver_id ? f->receiver_name : "nobody yet");
	tui_fmt(buf, sizeof buf, "%s: %s", s, tui_receiver_state_words(it->receiver_state));
	free(s);
	add_field(iv, "Receiver", tui_receiver_role(it->receiver_state), buf);
	if (it->due_date[0]) {
		s = tui_clean(it->due_date);
		tui_fmt(buf, sizeof buf, "%s%s", s, it->overdue ? " (overdue)" : "");
		free(s);
		add_field(iv, "Due", it->overdue ? TUI_C_OVERDUE : TUI_C_NORMAL, buf);
	}
	if (it->rag != HO_RAG_NONE)
		add_field(iv, "RAG", tui_rag_role(it->rag), tui_rag_word(it->rag));
	if (it->updated_at) {
		ho_time_format(it->updated_at, when, sizeof when);
		s = tui_clean(it->updated_by[0] ? it->updated_by : "someone");
		tui_fmt(buf, sizeof buf, "%s, %s", s, when);
		free(s);
		add_field(iv, "Changed by", TUI_C_MUTED, buf);
	}

	add_heading(iv, "Guidance");
	if (it->guidance[0])
		add_text(iv, TUI_C_NORMAL, 3, it->guidance);
	else
		add(iv, TUI_C_MUTED, 3, 0, "(none)");
	if (it->evidence[0]) {
		add_heading(iv, "Evidence");
		add_text(iv, TUI_C_PROGRESS, 3, it->evidence);
	}
	if (it->na_reason[0]) {
		add_heading(iv, "Not applicable because");
		add_text(iv, TUI_C_NORMAL, 3, it->na_reason);
	}
	if (it->condition[0]) {
		add_heading(iv, "Condition (carried forward)");
		add_text(iv, TUI_C_PENDING, 3, it->condition);
	}

	tui_fmt(buf, sizeof buf, "Thread (%zu)", iv->nthread);
	add_heading(iv, buf);
	if (!iv->nthread)
		add(iv, TUI_C_MUTED, 3, 0, "No comments or queries yet: c adds a comment.");
	for (size_t i = 0; i < iv->nthread; i++) {
		const ho_thread_entry *t = &iv->thread[i];
		ho_time_format(t->at, when, sizeof when);
		s = tui_clean(t->author_name[0] ? t->author_name : t->author_login);
		int open_query = t->kind == HO_THREAD_QUERY && !t->resolved_at;
		tui_fmt(buf, sizeof buf, "%s  %s  %s%s", when, s, ho_thread_kind_name(t->kind),
		        t->kind != HO_THREAD_QUERY ? ""
		        : open_query               ? " (open)"
		                                   : " (closed)");
		free(s);
		add(iv, open_query ? TUI_C_GAP : TUI_C_MUTED, 3, 0, buf);
		add_text(iv, TUI_C_NORMAL, 5, t->body);
	}

	tui_fmt(buf, sizeof buf, "History (%zu)", iv->nevents);
	add_heading(iv, buf);
	for (size_t i = 0; i < iv->nevents; i++) {
		const ho_event *e = &iv->events[i];
		ho_time_format(e->at, when, sizeof when);
		int news = iv->news && iv->news[i];
		char *actor = tui_clean(iv->names && iv->names[i] ? iv->names[i] : e->actor);
		char *what = tui_clean(e->action);
		char *old = tui_history_words(e->old_value), *now = tui_history_words(e->new_value);
		char *line = NULL;
		char arrow[16];
		tui_fmt(arrow, sizeof arrow, " %s ", tui_glyph(TUI_G_ARROW));
		/* News since you last looked: a dot before it, and bold. */
		if (asprintf(&line, "%s%s%s  %s  %s%s%s%s%s", news ? tui_glyph(TUI_G_NEW) : "",
		             news ? " " : "", when, actor, what, old[0] || now[0] ? ": " : "", old,
		             old[0] ? arrow : "", now) < 0)
			line = NULL;
		if (line) {
			char **lines = NULL;
			size_t n = tui_wrap(line, iv->width - 5, &lines);
			for (size_t j = 0; j < n; j++)
				add(iv,
				    news     ? TUI_C_NEWS
				    : j == 0 ? TUI_C_MUTED
				             : TUI_C_NORMAL,
				    j == 0 ? 3 : 5, 0, lines[j]);
			tui_lines_free(lines, n);
		}
		free(line);
		free(actor);
		free(what);
		free(old);
		free(now);
	}
}

static void iv_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	(void)app;
	struct item_view *iv = v->data;
	int height = getmaxy(w), width = getmaxx(w);
	if (!iv->have_item) {
		tui_put(w, 1, 2, width - 4, tui_attr(TUI_C_MUTED), "This item cannot be read.", 0);
		v->list.count = 0;
		return;
	}
	layout(iv, width);
	v->list.count = (int)iv->nlines;
	v->list.y0 = 0;
	v->list.height = height;
	tui_list_fix(&v->list);
	for (int i = 0; i < height && v->list.top + i < v->list.count; i++) {
		const struct line *l = &iv->lines[v->list.top + i];
		if (l->label) {
			/* Labels are ASCII: the value starts after the label's bytes. */
			char label[LABEL + 1];
			tui_fmt(label, sizeof label, "%.*s", l->label, l->text);
			tui_put(w, i, l->indent, l->label, tui_attr(TUI_C_HEADER), label, 0);
			tui_put(w, i, l->indent + l->label, width - l->indent - l->label,
			        tui_attr(l->role), l->text + l->label, 0);
		} else {
			tui_put(w, i, l->indent, width - l->indent, tui_attr(l->role), l->text, 0);
		}
	}
}

static tui_req iv_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	struct item_view *iv = v->data;
	switch (a) {
	case TUI_ACT_SIGN:
		return tui_sign_function(app, iv->have_function ? &iv->function : NULL);
	case TUI_ACT_PRINT:
		if (!iv->have_function)
			return tui_req_make(TUI_REQ_NONE);
		return tui_print(app, iv->function.handover_id, iv->function.id);
	case TUI_ACT_COMMENT_EDITOR:
		return tui_comment_in_editor(app, iv->have_item ? &iv->item : NULL);
	default:
		if (tui_is_item_action(a))
			return tui_item_act(app, iv->have_item ? &iv->item : NULL, a);
		return tui_req_make(TUI_REQ_NONE);
	}
}

static int iv_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	struct item_view *iv = v->data;
	switch (a) {
	case TUI_ACT_PRINT:
		return iv->have_function;
	case TUI_ACT_SIGN:
		return iv->have_function && tui_offers_sign_function(app, &iv->function);
	case TUI_ACT_COMMENT_EDITOR:
		return iv->have_item &&
		       tui_item_offers_in(app, iv->have_function ? &iv->function : NULL, &iv->item,
		                          TUI_ACT_COMMENT, NULL);
	default:
		return tui_is_item_action(a) && iv->have_item &&
		       tui_item_offers_in(app, iv->have_function ? &iv->function : NULL, &iv->item,
		                          a, NULL);
	}
}

static void iv_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	struct item_view *iv = v->data;
	if (!iv->have_item) {
		tui_fmt(buf, size, "Item");
		return;
	}
	tui_fmt(buf, size, "Item %s: %s / %s%s", iv->item.ref,
	        ho_sender_state_name(iv->item.sender_state),
	        tui_receiver_state_words(iv->item.receiver_state),
	        tui_seen_changed(app, &iv->item) ? "  (changed since it was drawn)" : "");
}

static const ho_item *iv_row_item(tui_view *v, tui_app *app, int row)
{
	(void)app;
	(void)row; /* the whole screen is the one item */
	struct item_view *iv = v->data;
	return iv->have_item ? &iv->item : NULL;
}

static int64_t iv_handover(tui_view *v, tui_app *app)
{
	(void)app;
	struct item_view *iv = v->data;
	return iv->have_item ? iv->item.handover_id : 0;
}

static char *iv_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct item_view *iv = v->data;
	if (row < 0 || (size_t)row >= iv->nlines)
		return NULL;
	return strdup(iv->lines[row].text);
}

const struct tui_view_ops tui_item_view = {
    .name = "item",
    .screen = TUI_SCR_ITEM,
    .init = iv_init,
    .load = iv_load,
    .draw = iv_draw,
    .handle = iv_handle,
    .offers = iv_offers,
    .title = iv_title,
    .row_text = iv_row_text,
    .row_item = iv_row_item,
    .handover = iv_handover,
    .done = iv_done,
};
