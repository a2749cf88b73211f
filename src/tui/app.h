/* The application's inside: views, the one loop, prompts. Views are files
 * view_*.c, each filling a tui_view_ops table; they never refresh the
 * screen themselves but return what must happen (a tui_req) and app.c acts
 * on it. Everything here is also the interface the view tests drive. */
#ifndef HANDOVER_TUI_APP_H
#define HANDOVER_TUI_APP_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <wchar.h>

#include "draw.h"
#include "handover/handover.h"
#include "keys.h"
#include "theme.h"

typedef struct tui_app tui_app;
typedef struct tui_view tui_view;
struct tui_view_ops;

/* The smallest terminal the screens are drawn in. */
#define TUI_MIN_COLS  50
#define TUI_MIN_LINES 12
/* How often the file is checked for others' commits, in milliseconds. */
#define TUI_POLL_MS 250

/* ---- what a handler wants done ------------------------------------------ */

enum {
	TUI_REQ_NONE = 0,
	TUI_REQ_REDRAW = 1 << 0, /* draw again */
	TUI_REQ_RELOAD = 1 << 1, /* the file changed: reload the views */
	TUI_REQ_OPEN = 1 << 2,   /* push the view `open` on `id` */
	TUI_REQ_BACK = 1 << 3,   /* pop the current view */
	TUI_REQ_QUIT = 1 << 4,
	TUI_REQ_TAB = 1 << 5,   /* replace the screens above the dashboard with `open` */
	TUI_REQ_RETRY = 1 << 6, /* the file was busy: give the prompt back as it was */
};

typedef struct tui_req {
	unsigned what;
	const struct tui_view_ops *open;
	int64_t id;     /* function, item, handover: what to open */
	int64_t select; /* optional: a row to select in the new view */
} tui_req;

static inline tui_req tui_req_make(unsigned what)
{
	tui_req r = {what, NULL, 0, 0};
	return r;
}

/* ---- views ---------------------------------------------------------------- */

/* How the dashboard and lists are ordered (o cycles): as the lead laid the
 * checklist out, then worst first by each measure. */
typedef enum tui_sort {
	TUI_SORT_ORDER = 0,
	TUI_SORT_RAG,      /* red, amber, green, none */
	TUI_SORT_OVERDUE,  /* most overdue first */
	TUI_SORT_DUE,      /* earliest due date first; none last */
	TUI_SORT_PROGRESS, /* least accepted first */
	TUI_SORT__COUNT
} tui_sort;
/* "checklist order", "RAG", "overdue", "due date", "progress" */
const char *tui_sort_name(tui_sort s);

struct tui_view {
	const struct tui_view_ops *ops;
	int64_t id;     /* function (checklist), item (item); 0 otherwise */
	int64_t select; /* a row id to select after the first load */
	void *data;     /* the view's own state */
	int stale;      /* reload before drawing */
	int loaded;
	ho_filter filter;
	tui_sort sort;
	tui_list list;
	/* Tagged rows (Space), as item ids: a, w and c act on all of them. */
	int64_t *tags;
	size_t ntags;
};

/* Is the item tagged on this view? */
int tui_tagged(const tui_view *v, int64_t item_id);
/* Tag it, or untag it when tagged; 0, or -1 when out of memory. */
int tui_tag_toggle(tui_view *v, int64_t item_id);

struct tui_view_ops {
	const char *name;
	unsigned screen; /* TUI_SCR_* */
	/* Allocate v->data; return 0 on success. */
	int (*init)(tui_view *v, tui_app *app);
	/* Query the core for what is shown, keeping the selection on the same
	 * row id. HO_OK or the failure (the message is shown). */
	ho_status (*load)(tui_view *v, tui_app *app);
	/* Draw into the body window (the view's heading is drawn by app.c). */
	void (*draw)(tui_view *v, tui_app *app, WINDOW *w);
	/* Handle an action the generic code did not. */
	tui_req (*handle)(tui_view *v, tui_app *app, enum tui_action a);
	/* Is `a` offered now (for the hint line)? NULL: only the generic ones. */
	int (*offers)(tui_view *v, tui_app *app, enum tui_action a);
	/* The heading: "Checklist FIN Finance". */
	void (*title)(tui_view *v, tui_app *app, char *buf, size_t size);
	/* A row's text for search (malloc'd), NULL when none. */
	char *(*row_text)(tui_view *v, tui_app *app, int row);
	/* The item shown on `row`, when rows are items (NULL: none). */
	const ho_item *(*row_item)(tui_view *v, tui_app *app, int row);
	/* May the selection rest on this row (headings may not)? NULL: all. */
	int (*selectable)(tui_view *v, int row);
	/* The handover the view is about (the selected row's, where rows are
	 * in several), 0 when none: :REF looks there first. NULL: none. */
	int64_t (*handover)(tui_view *v, tui_app *app);
	/* Does the view sort its rows (o)? */
	int sorts;
	/* Where the selection is, for the heading's right end ("2/4 people").
	 * NULL: the selectable rows are counted ("3/12"). */
	void (*position)(tui_view *v, char *buf, size_t size);
	void (*done)(tui_view *v);
};

#define TUI_SCREEN(name, word, tab, view) extern const struct tui_view_ops view;
#include "screens.def"
#undef TUI_SCREEN

/* ---- input ---------------------------------------------------------------- */

enum tui_input_type {
	TUI_IN_NONE = 0, /* timed out */
	TUI_IN_KEY,      /* code: a character or TUI_FN(KEY_*) */
	TUI_IN_RESIZE,
	TUI_IN_MOUSE,
	TUI_IN_PASTE, /* text: what the terminal marked as pasted */
};

typedef struct tui_input {
	enum tui_input_type type;
	int code;
	int mouse_y, mouse_x;
	mmask_t mouse_bstate;
	/* TUI_IN_PASTE: the text (UTF-8, as pasted, controls and all) and its
	 * length in bytes. text is NULL when the paste was too long to keep
	 * (len still says how long it was). */
	char *text;
	size_t len;
} tui_input;

/* The one input function (input.c): waits up to timeout_ms (-1 forever, 0
 * not at all) and turns curses' input into a tui_input; KEY_RESIZE, the
 * mouse, escape sequences (Alt keys, keys curses does not know) and
 * bracketed paste are decoded here and nowhere else. Free with
 * tui_input_clear(). */
void tui_input_get(int timeout_ms, tui_input *in);
void tui_input_clear(tui_input *in);
/* Bracketed paste on or off (ESC[?2004h / ESC[?2004l), written to the
 * terminal at once; `out` is the terminal's output (NULL: the last one
 * given). */
void tui_paste_mode(FILE *out, int on);

/* ---- prompts and menus (prompt.c) ----------------------------------------- */

/* A prompt's continuation: what is done with the answer. `text` is the line
 * typed (NULL for menus and questions), `choice` the menu's choice (1 for
 * yes; -1 for a line of text), `ctx` what the prompt was opened with.
 *
 * The prompt owns `ctx` from the moment it is opened: it is freed with the
 * prompt's `ctx_free` (NULL: nothing to free) when the prompt is cancelled,
 * and after the continuation returns, unless the continuation handed it on
 * to the next prompt (one opened with the same ctx: a question in several
 * steps). A continuation answering a line of text that returns
 * TUI_REQ_RETRY gets the same prompt back, the text kept and the message it
 * left shown above it: nothing typed is lost to a refusal. */
typedef tui_req (*tui_answer_fn)(tui_app *app, void *ctx, const char *text, int choice);
typedef void (*tui_ctx_free_fn)(void *ctx);

/* The most bytes of a date as typed: 2026-12-15 or 15/12/2026, and room
 * for stray spaces (trimmed). */
#define TUI_MAX_DATE 32

enum tui_modal_kind { TUI_MODAL_NONE = 0, TUI_MODAL_TEXT, TUI_MODAL_CONFIRM, TUI_MODAL_MENU };

typedef struct tui_modal {
	enum tui_modal_kind kind;
	char label[256];
	/* text: the line being edited, as wide characters */
	wchar_t *text;
	size_t len, cap, cursor;
	size_t bytes;  /* its length in UTF-8 */
	size_t max;    /* the most bytes the answer may have (the core's limit) */
	size_t scroll; /* first character shown */
	int fresh;     /* the text is a suggestion: typing replaces it */
	int note;      /* a note: line breaks from the editor are kept */
	/* menu */
	char **choices;
	int nchoices, sel, top;
	WINDOW *popup;
	/* what the answer goes to */
	tui_answer_fn on_answer;
	void *ctx;
	tui_ctx_free_fn ctx_free;
} tui_modal;

/* Ask for a line of text (UTF-8; cursor keys, Home/End, Backspace, Delete,
 * Ctrl-U, Ctrl-W, Alt-b/f/d/Backspace; Ctrl-E edits it in $VISUAL or
 * $EDITOR; Esc or Ctrl-C cancels, Enter confirms) starting from `initial`
 * (a suggestion: typing replaces it).
 * Text over `max_bytes` (the core's limit for the answer) is kept and
 * counted, and Enter refuses it until it is short enough. */
void tui_prompt_text(tui_app *app, const char *label, const char *initial, size_t max_bytes,
                     tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free);
/* The same for a note (evidence, a reason, a condition, a query, a comment,
 * guidance): it may have several lines, written in the editor (Ctrl-E) and
 * kept as lines; its length is always shown. */
void tui_prompt_note(tui_app *app, const char *label, const char *initial, size_t max_bytes,
                     tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free);
/* The same prompt asked again after a refusal: `text` is what was typed
 * (kept as typed, not a suggestion) and the message already said stays. */
void tui_prompt_again(tui_app *app, const char *label, const char *text, size_t max_bytes,
                      tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free);
void tui_prompt_note_again(tui_app *app, const char *label, const char *text, size_t max_bytes,
                           tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free);
/* Ask yes or no; yes runs the continuation (choice 1). */
void tui_prompt_confirm(tui_app *app, const char *question, tui_answer_fn on_yes, void *ctx,
                        tui_ctx_free_fn ctx_free);
/* Offer a choice (the continuation gets its index). */
void tui_prompt_menu(tui_app *app, const char *label, const char *const *choices, int n, int sel,
                     tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free);
/* Feed input to the open prompt (keys, the mouse, a paste). */
tui_req tui_modal_input(tui_app *app, const tui_input *in);
/* Draw the prompt: the text line in the bottom window, a menu as a popup. */
void tui_modal_draw(tui_app *app, WINDOW *foot);
/* Close the prompt and free what it holds (its ctx too). */
void tui_modal_close(tui_app *app);

/* ---- actions (actions.c): through the core, as the current actor ---------- */

/* Is the item action `a` offered on `it`? *why says why not. */
int tui_item_offers(tui_app *app, const ho_item *it, enum tui_action a, const char **why);
/* The same, judged against the function the screen holds (f, when it is
 * the item's; else read as tui_item_offers does). */
int tui_item_offers_in(tui_app *app, const ho_function *f, const ho_item *it, enum tui_action a,
                       const char **why);
/* Start the item action `a` on `it`: ask what it needs, or do it. */
tui_req tui_item_act(tui_app *app, const ho_item *it, enum tui_action a);
/* Sign off a function or a handover (asks first). */
tui_req tui_sign_function(tui_app *app, const ho_function *f);
tui_req tui_sign_handover(tui_app *app, const ho_handover *h);
int tui_offers_sign_function(tui_app *app, const ho_function *f);
int tui_offers_sign_handover(tui_app *app, const ho_handover *h);
/* Print the handover (function_id 0) or a function: asks format and path. */
tui_req tui_print(tui_app *app, int64_t handover_id, int64_t function_id);
tui_req tui_undo(tui_app *app);
/* People and pairs (leads). */
tui_req tui_add_person(tui_app *app);
/* Edit a person: name, organisation, job title, then their roles as a set
 * (a lead may also be a sender or receiver). */
tui_req tui_person_edit(tui_app *app, const ho_person *who);
/* Ask who takes over their pairs (a login, or nobody: the functions become
 * unpaired and show on the lead's My work), confirm, then record that a
 * person left (ho_person_leave). */
tui_req tui_person_leave(tui_app *app, const ho_person *who);
tui_req tui_choose_pair(tui_app *app, const ho_function *f, ho_role side);
tui_req tui_set_due(tui_app *app, const ho_function *f);
/* A lead's set-up (actions_setup.c): a handover and its cover on the
 * dashboard; functions and items on the checklist (due: the item's date
 * rather than its title; before_id 0: move to the end). */
tui_req tui_handover_new(tui_app *app);
tui_req tui_cover_edit(tui_app *app, const ho_handover *h);
tui_req tui_handover_close(tui_app *app, const ho_handover *h);
tui_req tui_function_add(tui_app *app, int64_t handover_id);
tui_req tui_function_edit(tui_app *app, const ho_function *f);
tui_req tui_function_retire(tui_app *app, const ho_function *f);
tui_req tui_function_move(tui_app *app, const ho_function *f, int64_t before_id);
tui_req tui_item_add(tui_app *app, const ho_function *f);
tui_req tui_item_edit(tui_app *app, const ho_item *it, int due);
tui_req tui_item_retire(tui_app *app, const ho_item *it);
tui_req tui_item_move(tui_app *app, const ho_item *it, int64_t before_id);

/* ---- what the person has seen (seen.c) --------------------------------------- */

/* For each item drawn on a screen: the version (and a fingerprint of its
 * fields) the person last saw. An item first drawn is seen as drawn; moving
 * onto a row, opening an item, being told of a change, or changing it
 * oneself sees it again. A row whose item is newer than what was seen was
 * changed by someone else meanwhile: it is marked, and an action on it is
 * refused once, saying what changed. */
typedef struct tui_seen tui_seen;
tui_seen *tui_seen_new(void);
void tui_seen_free(tui_seen *s);
/* 1 when `it` changed since the person last saw it; an item never seen
 * before is seen now. */
int tui_seen_changed(tui_app *app, const ho_item *it);
/* The person sees `it` as it is now. */
void tui_seen_ack(tui_app *app, const ho_item *it);
/* The person's own change left the item at `version`. */
void tui_seen_own(tui_app *app, int64_t item_id, int64_t version);
/* What changed in `it` since it was seen, in words: "evidence, state". */
void tui_seen_what(tui_app *app, const ho_item *it, char *buf, size_t size);

/* ---- what others changed since the person last looked (news.c) --------------- */

typedef struct tui_news tui_news;
tui_news *tui_news_new(void);
void tui_news_free(tui_news *n);
/* Others' changes arrived (or the file changed): read them again before
 * the next drawing. */
void tui_news_stale(tui_app *app);
void tui_news_load(tui_app *app);
/* 1: the row holds a change by someone else since the person last looked
 * (and has not been opened since): drawn bold with TUI_G_NEW. */
int tui_news_item(tui_app *app, int64_t item_id);
int tui_news_function(tui_app *app, int64_t function_id);
int tui_news_handover(tui_app *app, int64_t handover_id); /* the handover's own */
/* 1: the history event is such a change. */
int tui_news_event(tui_app *app, int64_t event_id);
/* The person opened the row: its mark goes until someone changes it again. */
void tui_news_open_item(tui_app *app, int64_t item_id);
void tui_news_open_function(tui_app *app, int64_t function_id);
void tui_news_open_handover(tui_app *app, int64_t handover_id);
/* How many changes by others since the look began. */
size_t tui_news_count(tui_app *app);
/* The event the look began after (for ho_changes_after), and when the
 * person last looked (0: never, the look began when the application
 * opened). */
int64_t tui_news_after(tui_app *app, int64_t *since_at);
/* What this session has open, in words: "the file" or "the database". */
const char *tui_news_place(tui_app *app);
/* "3 changes since Tuesday 16:40"; "" when there are none. */
void tui_news_title(tui_app *app, char *buf, size_t size);
/* "today 16:40", "Tuesday 16:40" within a week, "24 Nov 16:40" (UTC). */
void tui_when_words(int64_t t, char *buf, size_t size);

/* ---- the application -------------------------------------------------------- */

#define TUI_MAX_DEPTH 8

struct tui_app {
	ho_db *db;
	char *file_title;
	tui_view *stack[TUI_MAX_DEPTH];
	int depth;
	WINDOW *title_w, *head_w, *body_w, *foot_w;
	int lines, cols;
	int too_small;
	tui_modal modal;
	char msg[1024];
	int msg_error;
	int64_t msg_ms; /* when it was said */
	int dirty;
	int stale;          /* the last load failed: the screen may be old */
	int64_t updated_ms; /* when others' changes last arrived */
	int64_t polled_ms;
	char search[256];
	int quit;
	int exit_status;   /* the process's status when it ends (130: Ctrl-C) */
	int suspend;       /* Ctrl-Z: the loop hands the terminal back */
	int write_busy_ms; /* how long a change waits for a locked file */
	/* Keys that arrive within guard_ms of a prompt closing (and of each
	 * other) are a paste or typeahead, not commands: they are dropped. */
	int guard_ms;
	int64_t guard_until_ms;
	int guard_dropped;
	int ack_pending; /* the person moved: the selected row is seen when drawn */
	tui_seen *seen;
	tui_news *news;
};

/* Input modes, bracketed paste, the mouse and colours for the current
 * SCREEN, whose output is `out`. */
void tui_curses_setup(FILE *out);
/* Curses must be running on the current SCREEN (newterm). Opens the
 * dashboard. NULL when out of memory. */
tui_app *tui_app_new(ho_db *db);
void tui_app_free(tui_app *app);
/* Act on one input; returns 1 when the application should end. */
int tui_app_input(tui_app *app, const tui_input *in);
/* Check for others' commits now; reloads and marks for redraw when any. */
void tui_app_poll(tui_app *app);
/* Wait for the next input (in; TUI_IN_NONE when none came) or a change by
 * someone else, whichever is first, and act on the change: on a file by
 * asking every TUI_POLL_MS (tui_app_poll), on a server by waiting on its
 * notifications with the terminal (ho_change_fd). */
void tui_app_wait(tui_app *app, tui_input *in);
/* Say `text` on the bottom line at once (while a change waits). */
void tui_app_say_now(tui_app *app, const char *text);
/* Draw what changed and update the terminal once. */
void tui_app_render(tui_app *app);
/* Handle every input already waiting, without blocking (tests). */
void tui_app_pump(tui_app *app);

/* Leave curses for the shell (Ctrl-Z) and come back when continued. */
void tui_suspend(tui_app *app);
/* Input modes off and curses ended: the terminal as it was. */
void tui_curses_end(void);

/* Search the current view for the next row containing `text` (any case,
 * accents ignored), from the row after the selection, wrapping; a text that
 * is an item's reference opens the item instead. */
tui_req tui_search(tui_app *app, const char *text);
/* The next (dir 1) or previous (dir -1) row matching the last search. */
tui_req tui_search_again(tui_app *app, int dir);
/* Open the item `ref` names: in the handover of the screen first, else the
 * only one in the file with that reference. */
tui_req tui_jump(tui_app *app, const char *ref);
/* a, w or c on every row tagged on `v`: each item its own change, checked
 * against the version the person saw; says how many were done and why any
 * were refused. */
tui_req tui_tagged_act(tui_app *app, tui_view *v, enum tui_action a);
/* Write a comment in the person's editor (E on the item screen). */
tui_req tui_comment_in_editor(tui_app *app, const ho_item *it);
/* Ctrl-E in a text prompt: the text goes to $VISUAL, $EDITOR or vi in a
 * private temporary file and comes back into the prompt. */
tui_req tui_prompt_edit(tui_app *app);
/* Run the editor on `text`; *out gets what was saved (malloc'd). 0 on
 * success, -1 with a message said otherwise. Curses is ended around it. */
int tui_edit_text(tui_app *app, const char *text, char **out);

/* Say something on the bottom line until the next key. */
void tui_message(tui_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tui_error(tui_app *app, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The core's refusal: ho_errmsg, or the status's name. */
void tui_error_status(tui_app *app, ho_status st);
/* The view on top. */
tui_view *tui_top(tui_app *app);
/* Mark every view for reload (after this person's own change). */
void tui_app_reload(tui_app *app);
/* Milliseconds on a monotonic clock. */
int64_t tui_ms(void);

#endif
