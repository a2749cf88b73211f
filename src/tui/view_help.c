/* Help: every key from the one key table (the same list as the man page),
 * what the symbols mean, how prompts edit. It scrolls like the item screen. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"

struct line {
	char *text;
	enum tui_role role;
	int key_cols; /* columns of a leading key label, drawn as a key */
};

struct help {
	struct line *lines;
	size_t n, cap;
};

static int help_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct help));
	v->list.scroll_only = 1;
	return v->data ? 0 : -1;
}

static void help_clear(struct help *h)
{
	for (size_t i = 0; i < h->n; i++)
		free(h->lines[i].text);
	h->n = 0;
}

static void help_done(tui_view *v)
{
	struct help *h = v->data;
	help_clear(h);
	free(h->lines);
	free(h);
}

static void add(struct help *h, enum tui_role role, int key_cols, const char *text)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 64;
		struct line *l = realloc(h->lines, cap * sizeof *l);
		if (!l)
			return;
		h->lines = l;
		h->cap = cap;
	}
	char *copy = strdup(text);
	if (copy)
		h->lines[h->n++] = (struct line){copy, role, key_cols};
}

/* Wrapped text under an indent; the first line may carry a key label. */
static void add_wrapped(struct help *h, int width, const char *key, const char *text)
{
	enum { KEYCOL = 14 };
	char **lines = NULL;
	if (!key) {
		/* A paragraph of its own: the whole width. */
		size_t n = tui_wrap(text, width - 4, &lines);
		for (size_t i = 0; i < n; i++) {
			char buf[600];
			tui_fmt(buf, sizeof buf, "  %s", lines[i]);
			add(h, TUI_C_NORMAL, 0, buf);
		}
		tui_lines_free(lines, n);
		return;
	}
	size_t n = tui_wrap(text, width - KEYCOL - 3, &lines);
	for (size_t i = 0; i < n; i++) {
		char buf[600];
		tui_fmt(buf, sizeof buf, "  %-*s%s", KEYCOL, i == 0 ? key : "", lines[i]);
		add(h, TUI_C_NORMAL, i == 0 ? 2 + KEYCOL : 0, buf);
	}
	tui_lines_free(lines, n);
}

static void layout(struct help *h, int width)
{
	help_clear(h);
	add(h, TUI_C_HEADER, 0, " Keys (the same list is in the manual page, handover(1))");
	size_t n;
	const struct tui_key *keys = tui_keys(&n);
	for (size_t i = 0; i < n; i++) {
		char where[128], text[400];
		tui_screens_text(keys[i].screens, where, sizeof where);
		tui_fmt(text, sizeof text, "%s [%s]", keys[i].help, where);
		add_wrapped(h, width, keys[i].label, text);
	}
	add(h, TUI_C_NORMAL, 0, "");
	add(h, TUI_C_HEADER, 0, " Reading the screens");
	char text[400];
	tui_fmt(text, sizeof text, "%s accepted, %s handed over and waiting for review, %s not yet",
	        tui_glyph(TUI_G_BAR_DONE), tui_glyph(TUI_G_BAR_PENDING),
	        tui_glyph(TUI_G_BAR_EMPTY));
	add_wrapped(h, width, "Progress", text);
	add_wrapped(h, width, "Handed",
	            "items handed over or not applicable; Accepted: items accepted of all items");
	tui_fmt(text, sizeof text,
	        "S%s sender and R%s receiver signed off the function; L%s a lead signed off the "
	        "handover; %s not yet",
	        tui_glyph(TUI_G_CHECK), tui_glyph(TUI_G_CHECK), tui_glyph(TUI_G_CHECK),
	        tui_glyph(TUI_G_NOT_YET));
	add_wrapped(h, width, "Signed", text);
	add_wrapped(h, width, "Sender",
	            "not started, in progress, handed over, N/A (not applicable, with a reason)");
	add_wrapped(h, width, "Receiver",
	            "- (nothing to review), to review, accepted, conditions (accepted with "
	            "conditions, carried forward), GAP (a query sent the item back)");
	add_wrapped(h, width, "Due", "a date ending in ! is past and the item is not handed over");
	add_wrapped(h, width, "Ev", "E evidence given, R a reason for N/A given");
	tui_fmt(text, sizeof text, "FIN-3%s", tui_glyph(TUI_G_NEW));
	add_wrapped(h, width, text,
	            "bold: someone else changed it since you last looked (the title bar counts "
	            "the changes; Tab to Changes lists them); opening the row, or acting on it, "
	            "clears the mark. Leaving the application is the end of a look");
	add_wrapped(h, width, "Notes", "comments and queries in the item's thread");
	add_wrapped(h, width, "Waiting since",
	            "who waits on whom (W, leads): when the item last changed, set-up when never "
	            "since the checklist was made; To: hand over (the sender's move) or review "
	            "(the receiver's)");
	tui_fmt(text, sizeof text,
	        "%s at a row's left: tagged (Space); a, w and c act on every tagged row, and the "
	        "heading counts them",
	        tui_glyph(TUI_G_TAG));
	add_wrapped(h, width, "Tagged", text);
	add_wrapped(h, width, "sort:",
	            "the order in force (o): the checklist's own, RAG, overdue, due date or "
	            "progress, worst first");
	add(h, TUI_C_NORMAL, 0, "");
	add(h, TUI_C_HEADER, 0, " Typing in a prompt");
	add_wrapped(h, width, "Left, Right",
	            "move; Alt-B/Alt-F a word; Home (Ctrl-A) and End to either end");
	add_wrapped(h, width, "Ctrl-E",
	            "edit the text in $VISUAL or $EDITOR (vi when neither is set) and bring it "
	            "back; notes keep their line breaks, and their prompt counts the bytes "
	            "against the limit");
	add_wrapped(h, width, "Backspace",
	            "erase before the cursor; Delete erases under it; Ctrl-U erases to the start, "
	            "Ctrl-K to the end, Ctrl-W or Alt-Backspace the word before, Alt-D the word "
	            "after");
	add_wrapped(h, width, "Enter",
	            "confirm; text over its limit is counted (7,990/8,000) "
	            "and refused until shortened, never cut");
	add_wrapped(h, width, "Esc, Ctrl-C", "cancel the prompt (Ctrl-C on a screen quits)");
	add_wrapped(h, width, "Paste",
	            "pasted text goes into the open prompt as text, line breaks as spaces; "
	            "outside a prompt a paste does nothing");
	add(h, TUI_C_NORMAL, 0, "");
	add(h, TUI_C_HEADER, 0, " Working together");
	add_wrapped(h, width, NULL,
	            "Everyone works on the same file. Others' changes appear within a second; the "
	            "title bar says \"updated\" when they arrive. If someone changed an item after "
	            "you looked at it, your change is not applied: you are told who changed it and "
	            "see its new state. u undoes your own last change while nobody has changed the "
	            "item since. Only what your role allows is offered on the bottom line.");
	add_wrapped(h, width, NULL,
	            "The title bar names the file and its journal as it is now: [wal] on a local "
	            "disk, [delete] (a rollback journal) on a network drive. The file keeps its "
	            "own; a lead changes it with 'handover config journal'.");
	add_wrapped(
	    h, width, NULL,
	    "Nothing by accident: a key acts only when pressed as a key. An action on a row "
	    "someone changed after it was drawn is refused once, saying what "
	    "changed. Keys that arrive faster than anyone types right after a prompt "
	    "closes are dropped, and so are keys pressed while a change waits for the "
	    "file (\"waiting for the file\"). After any refusal the prompt comes back with "
	    "your text, or offers to keep it as a comment.");
	add_wrapped(
	    h, width, NULL,
	    "The mouse: a click selects a row, a double click opens it, the wheel scrolls.");
}

static void help_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	(void)app;
	struct help *h = v->data;
	int height = getmaxy(w), width = getmaxx(w);
	layout(h, width);
	v->list.count = (int)h->n;
	v->list.y0 = 0;
	v->list.height = height;
	tui_list_fix(&v->list);
	for (int i = 0; i < height && v->list.top + i < v->list.count; i++) {
		const struct line *l = &h->lines[v->list.top + i];
		if (l->key_cols) {
			char key[64];
			tui_fmt(key, sizeof key, "%.*s", l->key_cols, l->text);
			tui_put(w, i, 0, width, tui_attr(TUI_C_KEY), key, 0);
			tui_put(w, i, l->key_cols, width - l->key_cols, tui_attr(l->role),
			        l->text + l->key_cols, 0);
		} else {
			tui_put(w, i, 0, width, tui_attr(l->role), l->text, 0);
		}
	}
}

static void help_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	(void)v;
	(void)app;
	tui_fmt(buf, size, "Help (Esc or ? goes back)");
}

static char *help_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct help *h = v->data;
	if (row < 0 || (size_t)row >= h->n)
		return NULL;
	return strdup(h->lines[row].text);
}

const struct tui_view_ops tui_help_view = {
    .name = "help",
    .screen = TUI_SCR_HELP,
    .init = help_init,
    .draw = help_draw,
    .title = help_title,
    .row_text = help_row_text,
    .done = help_done,
};
