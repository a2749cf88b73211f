/* Prompts: the one-line editor, yes/no questions and menus. They are states
 * of the application rather than loops of their own, so the screen keeps
 * redrawing others' changes while a person types, and tests drive them with
 * the same input as everything else. */
#define _GNU_SOURCE
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "app.h"
#include "handover/terminal.h"

/* How far over its limit an answer may grow while being edited: enough to
 * paste something a little too long and shorten it in place. */
static size_t hard_cap(const tui_modal *m)
{
	return m->max * 2 + 256;
}

/* Close the prompt. Its ctx is freed unless `keep_ctx` (the answer is
 * being given to the continuation, which then decides). */
static void modal_close(tui_app *app, int keep_ctx)
{
	tui_modal *m = &app->modal;
	free(m->text);
	for (int i = 0; i < m->nchoices; i++)
		free(m->choices[i]);
	free(m->choices);
	if (m->popup)
		delwin(m->popup);
	if (!keep_ctx && m->ctx_free && m->ctx)
		m->ctx_free(m->ctx);
	memset(m, 0, sizeof *m);
	curs_set(0);
	app->dirty = 1;
}

void tui_modal_close(tui_app *app)
{
	modal_close(app, 0);
}

static void modal_open(tui_app *app, enum tui_modal_kind kind, const char *label,
                       tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	/* The prompt being replaced may hold this very ctx (a continuation
	 * handing it on): it must not be freed with the old prompt. */
	tui_modal *m = &app->modal;
	modal_close(app, m->ctx == ctx);
	m->kind = kind;
	char *clean = tui_clean(label);
	tui_fmt(m->label, sizeof m->label, "%s", clean);
	free(clean);
	m->on_answer = on_answer;
	m->ctx = ctx;
	m->ctx_free = ctx_free;
	app->msg[0] = '\0';
	app->dirty = 1;
}

/* Bytes of one wide character in the locale's encoding. */
static size_t wc_bytes(wchar_t wc)
{
	char buf[MB_LEN_MAX];
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t n = wcrtomb(buf, wc, &ps);
	return n == (size_t)-1 ? 1 : n;
}

static int text_insert(tui_modal *m, wchar_t wc)
{
	size_t b = wc_bytes(wc);
	if (m->bytes + b > hard_cap(m))
		return 0;
	if (m->len + 1 >= m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 64;
		wchar_t *t = realloc(m->text, cap * sizeof *t);
		if (!t)
			return 0;
		m->text = t;
		m->cap = cap;
	}
	memmove(m->text + m->cursor + 1, m->text + m->cursor,
	        (m->len - m->cursor) * sizeof *m->text);
	m->text[m->cursor++] = wc;
	m->len++;
	m->text[m->len] = L'\0';
	m->bytes += b;
	return 1;
}

static void text_delete(tui_modal *m, size_t from, size_t to)
{
	if (to > m->len)
		to = m->len;
	if (from >= to)
		return;
	for (size_t i = from; i < to; i++)
		m->bytes -= wc_bytes(m->text[i]);
	memmove(m->text + from, m->text + to, (m->len - to + 1) * sizeof *m->text);
	m->len -= to - from;
	if (m->cursor > to)
		m->cursor -= to - from;
	else if (m->cursor > from)
		m->cursor = from;
}

/* A text prompt; a note (evidence, reasons, conditions, queries, comments,
 * guidance) may have several lines: written in the editor (Ctrl-E), kept
 * as lines and shown so on the item screen. Every other answer is one line. */
static void text_open(tui_app *app, const char *label, const char *initial, size_t max_bytes,
                      int note, tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	modal_open(app, TUI_MODAL_TEXT, label, on_answer, ctx, ctx_free);
	tui_modal *m = &app->modal;
	m->max = max_bytes;
	m->note = note;
	char *clean =
	    note ? tui_clean_lines(initial ? initial : "") : tui_clean(initial ? initial : "");
	const char *s = clean ? clean : "";
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	while (*s) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, strlen(s), &ps);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&ps, 0, sizeof ps);
			s++;
			continue;
		}
		text_insert(m, wc);
		s += n;
	}
	free(clean);
	m->fresh = m->len > 0;
}

void tui_prompt_text(tui_app *app, const char *label, const char *initial, size_t max_bytes,
                     tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	text_open(app, label, initial, max_bytes, 0, on_answer, ctx, ctx_free);
}

void tui_prompt_note(tui_app *app, const char *label, const char *initial, size_t max_bytes,
                     tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	text_open(app, label, initial, max_bytes, 1, on_answer, ctx, ctx_free);
}

static void text_again(tui_app *app, const char *label, const char *text, size_t max_bytes,
                       int note, tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	char said[sizeof app->msg];
	tui_fmt(said, sizeof said, "%s", app->msg);
	int said_error = app->msg_error;
	text_open(app, label, text, max_bytes, note, on_answer, ctx, ctx_free);
	app->modal.fresh = 0;
	if (!said[0])
		return;
	if (said_error)
		tui_error(app, "%s", said);
	else
		tui_message(app, "%s", said);
}

void tui_prompt_again(tui_app *app, const char *label, const char *text, size_t max_bytes,
                      tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	text_again(app, label, text, max_bytes, 0, on_answer, ctx, ctx_free);
}

void tui_prompt_note_again(tui_app *app, const char *label, const char *text, size_t max_bytes,
                           tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	text_again(app, label, text, max_bytes, 1, on_answer, ctx, ctx_free);
}

void tui_prompt_confirm(tui_app *app, const char *question, tui_answer_fn on_yes, void *ctx,
                        tui_ctx_free_fn ctx_free)
{
	modal_open(app, TUI_MODAL_CONFIRM, question, on_yes, ctx, ctx_free);
}

void tui_prompt_menu(tui_app *app, const char *label, const char *const *choices, int n, int sel,
                     tui_answer_fn on_answer, void *ctx, tui_ctx_free_fn ctx_free)
{
	modal_open(app, TUI_MODAL_MENU, label, on_answer, ctx, ctx_free);
	tui_modal *m = &app->modal;
	m->choices = calloc((size_t)(n > 0 ? n : 1), sizeof *m->choices);
	if (!m->choices) {
		tui_modal_close(app);
		tui_error(app, "out of memory");
		return;
	}
	for (int i = 0; i < n; i++) {
		m->choices[i] = tui_clean(choices[i]);
		m->nchoices++;
	}
	m->sel = sel >= 0 && sel < n ? sel : 0;
}

/* The edited line as UTF-8 (caller frees). */
static char *text_utf8(const tui_modal *m)
{
	char *out = malloc(m->bytes + 1);
	if (!out)
		return NULL;
	size_t used = 0;
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	for (size_t i = 0; i < m->len; i++) {
		char buf[MB_LEN_MAX];
		size_t n = wcrtomb(buf, m->text[i], &ps);
		if (n == (size_t)-1 || used + n > m->bytes)
			continue;
		memcpy(out + used, buf, n);
		used += n;
	}
	out[used] = '\0';
	return out;
}

/* A prompt closed: keys arriving faster than a person types are not
 * commands for a while (app.c drops them). */
static void guard(tui_app *app)
{
	if (app->modal.kind == TUI_MODAL_NONE && app->guard_ms > 0)
		app->guard_until_ms = tui_ms() + app->guard_ms;
	app->guard_dropped = 0;
}

/* Close the prompt and give the answer to its continuation. */
static tui_req finish(tui_app *app, const char *text, int choice)
{
	tui_answer_fn on_answer = app->modal.on_answer;
	void *ctx = app->modal.ctx;
	tui_ctx_free_fn ctx_free = app->modal.ctx_free;
	size_t max = app->modal.max;
	int note = app->modal.note;
	char label[sizeof app->modal.label];
	tui_fmt(label, sizeof label, "%s", app->modal.label);
	modal_close(app, 1);
	tui_req r = on_answer ? on_answer(app, ctx, text, choice) : tui_req_make(TUI_REQ_NONE);
	if (app->modal.kind != TUI_MODAL_NONE) {
		/* The continuation asked something else; when it handed its
		 * ctx on to that question, the question owns it now. */
		if (app->modal.ctx != ctx && ctx_free && ctx)
			ctx_free(ctx);
	} else if ((r.what & TUI_REQ_RETRY) && text) {
		/* Refused (the file stayed locked, the item changed, ...):
		 * nothing typed is lost. The prompt comes back with the text,
		 * the reason above it; Enter tries again. */
		text_again(app, label, text, max, note, on_answer, ctx, ctx_free);
	} else if (ctx_free && ctx) {
		ctx_free(ctx);
	}
	guard(app);
	r.what = (r.what & ~(unsigned)TUI_REQ_RETRY) | TUI_REQ_REDRAW;
	return r;
}

static tui_req cancel(tui_app *app)
{
	tui_modal_close(app);
	tui_message(app, "Cancelled.");
	guard(app);
	return tui_req_make(TUI_REQ_REDRAW);
}

static int is_cancel(int code)
{
	return code == 27 || code == TUI_CTRL('c');
}

/* 12345 as "12,345". */
static void thousands(size_t n, char *buf, size_t size)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%zu", n);
	size_t used = 0;
	for (int i = 0; i < len && used + 2 < size; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			buf[used++] = ',';
		buf[used++] = digits[i];
	}
	buf[used] = '\0';
}

/* "7,990/8,000": for a note always (they are long, and may be written in
 * the editor), for other answers once the text nears its limit. */
static int counter_text(const tui_modal *m, char *buf, size_t size)
{
	int always = m->note && m->bytes > 0;
	if ((!always && m->bytes * 10 < m->max * 9) || m->max == 0) {
		buf[0] = '\0';
		return 0;
	}
	char have[32], most[32];
	thousands(m->bytes, have, sizeof have);
	thousands(m->max, most, sizeof most);
	tui_fmt(buf, size, "%s/%s", have, most);
	return 1;
}

static int is_word(wchar_t c)
{
	return c != L' ';
}

static size_t word_left(const tui_modal *m, size_t from)
{
	while (from > 0 && !is_word(m->text[from - 1]))
		from--;
	while (from > 0 && is_word(m->text[from - 1]))
		from--;
	return from;
}

static size_t word_right(const tui_modal *m, size_t from)
{
	while (from < m->len && !is_word(m->text[from]))
		from++;
	while (from < m->len && is_word(m->text[from]))
		from++;
	return from;
}

/* Outside a UTF-8 locale the terminal's bytes for other characters cannot
 * be read as characters: rather than drop them silently (or store bytes
 * that are not UTF-8), say which locale would let them be typed. */
static void refuse_non_ascii(tui_app *app)
{
	const char *now = setlocale(LC_CTYPE, NULL);
	tui_error(app,
	          "Only ASCII can be typed in this locale (%s): start handover with "
	          "LC_ALL=C.UTF-8 (or en_GB.UTF-8) to type other characters.",
	          now && now[0] ? now : "C");
}

static int has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* A paste into the line: every prompt here is one line, so line breaks
 * (CR, LF, CR LF) and tabs become spaces; other controls go; the text goes
 * in at the cursor as if typed, all of it or, when it would pass the
 * editing room, none of it (and the person is told). */
static tui_req text_paste(tui_app *app, const tui_input *in)
{
	tui_modal *m = &app->modal;
	if (!in->text) {
		char got[32];
		thousands(in->len, got, sizeof got);
		tui_error(app, "Not pasted: %s bytes is far more than this answer may hold.", got);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (!ho_locale_utf8() && has_non_ascii(in->text)) {
		refuse_non_ascii(app);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	size_t n = strlen(in->text);
	wchar_t *wide = calloc(n + 1, sizeof *wide);
	if (!wide) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	size_t count = 0, bytes = 0;
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	for (const char *s = in->text; *s;) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, strlen(s), &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			s++;
			continue;
		}
		s += k;
		if (wc == L'\r' && *s == '\n')
			continue; /* CR LF is one line break */
		if (wc == L'\r' || wc == L'\n' || wc == L'\t')
			wc = L' ';
		if (!TUI_IS_TEXT((int)wc))
			continue;
		wide[count++] = wc;
		bytes += wc_bytes(wc);
	}
	size_t keep = m->fresh ? 0 : m->bytes;
	if (keep + bytes > hard_cap(m)) {
		char got[32], most[32];
		thousands(keep + bytes, got, sizeof got);
		thousands(m->max, most, sizeof most);
		tui_error(app, "Not pasted: it would make the text %s bytes; at most %s.", got,
		          most);
		free(wide);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (m->fresh)
		text_delete(m, 0, m->len);
	m->fresh = 0;
	for (size_t i = 0; i < count; i++)
		text_insert(m, wide[i]);
	free(wide);
	app->dirty = 1;
	return tui_req_make(TUI_REQ_REDRAW);
}

static int is_enter(int code)
{
	return code == '\n' || code == '\r' || code == TUI_FN(KEY_ENTER);
}

static tui_req text_key(tui_app *app, int code)
{
	tui_modal *m = &app->modal;
	if (is_cancel(code))
		return cancel(app);
	if (is_enter(code)) {
		if (m->bytes > m->max) {
			char have[32], most[32];
			thousands(m->bytes, have, sizeof have);
			thousands(m->max, most, sizeof most);
			tui_error(app,
			          "Too long: %s bytes, at most %s. Shorten it; nothing was saved.",
			          have, most);
			return tui_req_make(TUI_REQ_REDRAW);
		}
		char *text = text_utf8(m);
		if (!text) {
			tui_modal_close(app);
			tui_error(app, "out of memory");
			return tui_req_make(TUI_REQ_REDRAW);
		}
		tui_req r = finish(app, text, -1);
		free(text);
		return r;
	}
	/* A suggested text (a default file name, the last search) goes as
	 * soon as the person types something else; any editing key keeps it. */
	int was_fresh = m->fresh;
	m->fresh = 0;
	switch (code) {
	case TUI_FN(KEY_LEFT):
		if (m->cursor > 0)
			m->cursor--;
		break;
	case TUI_FN(KEY_RIGHT):
		if (m->cursor < m->len)
			m->cursor++;
		break;
	case TUI_FN(KEY_HOME):
	case TUI_CTRL('a'):
		m->cursor = 0;
		break;
	case TUI_FN(KEY_END):
		m->cursor = m->len;
		break;
	case TUI_CTRL('e'):
		return tui_prompt_edit(app);
	case TUI_FN(KEY_BACKSPACE):
	case 127:
	case TUI_CTRL('h'):
		if (m->cursor > 0)
			text_delete(m, m->cursor - 1, m->cursor);
		break;
	case TUI_FN(KEY_DC):
	case TUI_CTRL('d'):
		text_delete(m, m->cursor, m->cursor + 1);
		break;
	case TUI_CTRL('u'):
		text_delete(m, 0, m->cursor);
		break;
	case TUI_CTRL('k'):
		text_delete(m, m->cursor, m->len);
		break;
	case TUI_CTRL('w'):
	case TUI_ALT(127):
		text_delete(m, word_left(m, m->cursor), m->cursor);
		break;
	case TUI_ALT('d'):
		text_delete(m, m->cursor, word_right(m, m->cursor));
		break;
	case TUI_ALT('b'):
		m->cursor = word_left(m, m->cursor);
		break;
	case TUI_ALT('f'):
		m->cursor = word_right(m, m->cursor);
		break;
	default:
		/* Characters only: no controls (C0, DEL, C1), function or Alt
		 * keys enter the text. */
		if (TUI_IS_TEXT(code) && code >= 0x80 && !ho_locale_utf8()) {
			m->fresh = was_fresh;
			refuse_non_ascii(app);
		} else if (TUI_IS_TEXT(code)) {
			if (was_fresh)
				text_delete(m, 0, m->len);
			if (!text_insert(m, (wchar_t)code)) {
				char most[32];
				thousands(m->max, most, sizeof most);
				tui_error(app,
				          "The text is far over its limit (%s bytes): shorten it.",
				          most);
			}
		} else {
			m->fresh = was_fresh; /* an ignored key keeps the suggestion */
		}
		break;
	}
	app->dirty = 1;
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_prompt_edit(tui_app *app)
{
	tui_modal *m = &app->modal;
	if (m->kind != TUI_MODAL_TEXT)
		return tui_req_make(TUI_REQ_NONE);
	char *text = text_utf8(m);
	char *edited = NULL;
	int rc = text ? tui_edit_text(app, text, &edited) : -1;
	free(text);
	if (rc != 0)
		return tui_req_make(TUI_REQ_REDRAW); /* said why; the text stays */
	/* Into the prompt as if typed, except that a note keeps its line
	 * breaks; in a one-line answer they become spaces, as in a paste. */
	wchar_t *wide = calloc(strlen(edited) + 1, sizeof *wide);
	size_t count = 0, bytes = 0;
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	for (const char *s = edited; wide && *s;) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s, strlen(s), &ps);
		if (k == (size_t)-1 || k == (size_t)-2 || k == 0) {
			memset(&ps, 0, sizeof ps);
			s++;
			continue;
		}
		s += k;
		if (wc == L'\t' || (wc == L'\n' && !m->note))
			wc = L' ';
		if (wc != L'\n' && !TUI_IS_TEXT((int)wc))
			continue;
		wide[count++] = wc;
		bytes += wc_bytes(wc);
	}
	free(edited);
	if (!wide) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (bytes > hard_cap(m)) {
		char got[32], most[32];
		thousands(bytes, got, sizeof got);
		thousands(m->max, most, sizeof most);
		tui_error(app, "Not taken: the text written is %s bytes; at most %s.", got, most);
		free(wide);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	text_delete(m, 0, m->len);
	m->fresh = 0;
	m->scroll = 0;
	for (size_t i = 0; i < count; i++)
		text_insert(m, wide[i]);
	free(wide);
	app->dirty = 1;
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req confirm_key(tui_app *app, int code)
{
	if (code == 'y' || code == 'Y')
		return finish(app, NULL, 1);
	if (code == 'n' || code == 'N' || is_cancel(code) || code == 'q' || is_enter(code))
		return cancel(app);
	return tui_req_make(TUI_REQ_NONE);
}

/* Rows of the popup that show choices. */
static int menu_rows(const tui_app *app)
{
	int rows = app->lines - 6;
	if (rows < 1)
		rows = 1;
	return app->modal.nchoices < rows ? app->modal.nchoices : rows;
}

static tui_req menu_key(tui_app *app, int code)
{
	tui_modal *m = &app->modal;
	int rows = menu_rows(app);
	if (is_cancel(code) || code == 'q')
		return cancel(app);
	if (is_enter(code) && m->nchoices > 0)
		return finish(app, NULL, m->sel);
	if (code >= '1' && code <= '9' && code - '1' < m->nchoices)
		return finish(app, NULL, code - '1');
	switch (code) {
	case TUI_FN(KEY_UP):
	case 'k':
		if (m->sel > 0)
			m->sel--;
		break;
	case TUI_FN(KEY_DOWN):
	case 'j':
		if (m->sel < m->nchoices - 1)
			m->sel++;
		break;
	case TUI_FN(KEY_HOME):
	case 'g':
		m->sel = 0;
		break;
	case TUI_FN(KEY_END):
	case 'G':
		m->sel = m->nchoices - 1;
		break;
	default:
		return tui_req_make(TUI_REQ_NONE);
	}
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + rows)
		m->top = m->sel - rows + 1;
	app->dirty = 1;
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req menu_mouse(tui_app *app, const tui_input *in)
{
	tui_modal *m = &app->modal;
	if (!m->popup)
		return tui_req_make(TUI_REQ_NONE);
	int py, px, ph, pw;
	getbegyx(m->popup, py, px);
	getmaxyx(m->popup, ph, pw);
	int row = in->mouse_y - py - 1;
	if (in->mouse_x <= px || in->mouse_x >= px + pw - 1 || row < 0 || row >= ph - 2)
		return tui_req_make(TUI_REQ_NONE);
	if (m->top + row >= m->nchoices)
		return tui_req_make(TUI_REQ_NONE);
	m->sel = m->top + row;
	app->dirty = 1;
	if (in->mouse_bstate & BUTTON1_DOUBLE_CLICKED)
		return finish(app, NULL, m->sel);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_modal_input(tui_app *app, const tui_input *in)
{
	if (in->type == TUI_IN_PASTE && app->modal.kind != TUI_MODAL_TEXT) {
		tui_error(app, "Pasted text ignored: this question is answered with a key.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	switch (app->modal.kind) {
	case TUI_MODAL_TEXT:
		if (in->type == TUI_IN_PASTE)
			return text_paste(app, in);
		return in->type == TUI_IN_KEY ? text_key(app, in->code) : tui_req_make(0);
	case TUI_MODAL_CONFIRM:
		return in->type == TUI_IN_KEY ? confirm_key(app, in->code) : tui_req_make(0);
	case TUI_MODAL_MENU:
		if (in->type == TUI_IN_MOUSE)
			return menu_mouse(app, in);
		return in->type == TUI_IN_KEY ? menu_key(app, in->code) : tui_req_make(0);
	case TUI_MODAL_NONE:
		break;
	}
	return tui_req_make(TUI_REQ_NONE);
}

/* Width shown for a character of the edited line; what would not show as
 * itself (controls, zero-width marks) is shown as '?'. */
static int shown_width(wchar_t wc)
{
	int w = wcwidth(wc);
	return w < 1 || !iswprint((wint_t)wc) ? 1 : w;
}

static void draw_text(tui_app *app, WINDOW *foot)
{
	tui_modal *m = &app->modal;
	int cols = getmaxx(foot);
	tui_fill(foot, 0, 0, cols, A_NORMAL);
	char label[300];
	tui_fmt(label, sizeof label, "%s ", m->label);
	int lw = ho_text_width(label);
	int room_for_label = cols - 20 > 10 ? cols - 20 : 10;
	lw = tui_put(foot, 0, 0, lw < room_for_label ? lw : room_for_label, tui_attr(TUI_C_KEY),
	             label, 0);
	/* The counter, when the text nears or passes its limit, sits at the
	 * right end; over the limit it is drawn as a refusal. */
	char counter[64];
	int cw = 0;
	if (counter_text(m, counter, sizeof counter)) {
		cw = ho_text_width(counter);
		if (cw + 2 < cols - lw)
			tui_put(foot, 0, cols - cw, cw,
			        tui_attr(m->bytes > m->max ? TUI_C_GAP : TUI_C_MUTED), counter, 0);
		else
			cw = 0;
	}
	int room = cols - (cw ? cw + 1 : 0);
	int avail = room - lw - 1;
	if (avail < 1)
		return;
	if (m->cursor < m->scroll)
		m->scroll = m->cursor;
	for (;;) {
		int w = 0;
		for (size_t i = m->scroll; i < m->cursor; i++)
			w += shown_width(m->text[i]);
		if (w < avail || m->scroll >= m->cursor)
			break;
		m->scroll++;
	}
	int x = lw, cursor_x = lw;
	wmove(foot, 0, x);
	for (size_t i = m->scroll; i <= m->len; i++) {
		if (i == m->cursor)
			cursor_x = x;
		if (i == m->len)
			break;
		wchar_t wc = m->text[i];
		int w = shown_width(wc);
		if (x + w > room)
			break;
		attr_t a = m->fresh ? tui_attr(TUI_C_SELECTED) : A_NORMAL;
		wattr_set(foot, a, PAIR_NUMBER(a), NULL);
		if (wc == L'\n') {
			/* A line break from the editor, kept in the answer. */
			attr_t ga = a | tui_attr(TUI_C_MUTED);
			wattr_set(foot, ga, PAIR_NUMBER(ga), NULL);
			waddstr(foot, tui_glyph(TUI_G_LINE_BREAK));
		} else if (wcwidth(wc) < 1 || !iswprint((wint_t)wc)) {
			waddch(foot, '?');
		} else {
			wchar_t one[2] = {wc, L'\0'};
			waddnwstr(foot, one, 1);
		}
		x += w;
	}
	wattr_set(foot, A_NORMAL, 0, NULL);
	if (cursor_x >= room)
		cursor_x = room - 1;
	wmove(foot, 0, cursor_x);
	curs_set(1);
}

static void draw_menu(tui_app *app, WINDOW *foot)
{
	tui_modal *m = &app->modal;
	int cols = getmaxx(foot);
	tui_fill(foot, 0, 0, cols, A_NORMAL);
	int x = tui_put(foot, 0, 0, cols, tui_attr(TUI_C_KEY), "Up/Down", 0);
	x += tui_put(foot, 0, x, cols - x, A_NORMAL, " choose  ", 0);
	x += tui_put(foot, 0, x, cols - x, tui_attr(TUI_C_KEY), "Enter", 0);
	x += tui_put(foot, 0, x, cols - x, A_NORMAL, " select  ", 0);
	x += tui_put(foot, 0, x, cols - x, tui_attr(TUI_C_KEY), "Esc", 0);
	tui_put(foot, 0, x, cols - x, A_NORMAL, " cancel", 0);

	int width = ho_text_width(m->label) + 6;
	for (int i = 0; i < m->nchoices; i++) {
		int w = ho_text_width(m->choices[i]) + 8;
		if (w > width)
			width = w;
	}
	if (width > app->cols - 4)
		width = app->cols - 4;
	int rows = menu_rows(app);
	int height = rows + 2;
	if (m->sel < m->top)
		m->top = m->sel;
	if (m->sel >= m->top + rows)
		m->top = m->sel - rows + 1;
	if (m->popup)
		delwin(m->popup);
	m->popup = newwin(height, width, (app->lines - height) / 2, (app->cols - width) / 2);
	if (!m->popup)
		return;
	attr_t pa = tui_attr(TUI_C_POPUP);
	wbkgdset(m->popup, ' ' | pa);
	werase(m->popup);
	wattr_set(m->popup, pa, PAIR_NUMBER(pa), NULL);
	box(m->popup, 0, 0);
	char title[300];
	tui_fmt(title, sizeof title, " %s ", m->label);
	tui_put(m->popup, 0, 2, width - 4, pa | A_BOLD, title, 0);
	for (int r = 0; r < rows && m->top + r < m->nchoices; r++) {
		int i = m->top + r;
		attr_t a = i == m->sel ? tui_attr(TUI_C_SELECTED) : pa;
		char line[400];
		if (i < 9)
			tui_fmt(line, sizeof line, " %d  %s", i + 1, m->choices[i]);
		else
			tui_fmt(line, sizeof line, "    %s", m->choices[i]);
		tui_put(m->popup, 1 + r, 1, width - 2, a, line, 1);
	}
	wnoutrefresh(m->popup);
}

void tui_modal_draw(tui_app *app, WINDOW *foot)
{
	int cols = getmaxx(foot);
	switch (app->modal.kind) {
	case TUI_MODAL_TEXT:
		draw_text(app, foot);
		break;
	case TUI_MODAL_CONFIRM: {
		char q[300];
		tui_fmt(q, sizeof q, "%s (y/N) ", app->modal.label);
		tui_fill(foot, 0, 0, cols, A_NORMAL);
		int x = tui_put(foot, 0, 0, cols, tui_attr(TUI_C_KEY), q, 0);
		wmove(foot, 0, x < cols ? x : cols - 1);
		curs_set(1);
		break;
	}
	case TUI_MODAL_MENU:
		draw_menu(app, foot);
		break;
	case TUI_MODAL_NONE:
		break;
	}
}
