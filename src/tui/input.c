/* The one input function. Input is text until it is a key:
 *
 * - ESC followed by another byte within the escape delay is one key. Known
 *   sequences curses does not know (Home and End as PuTTY and rxvt send
 *   them, ESC[1~ ESC[4~ ESC[7~ ESC[8~ ESC[H ESC[F ESCOH ESCOF, Delete, page
 *   and arrow keys) are mapped; Alt with a letter is TUI_ALT(letter); every
 *   other sequence is read whole and dropped, so none of its bytes can act
 *   as a key. A bare Esc is Esc.
 * - Bracketed paste (ESC[?2004h, which terminals answer by wrapping pasted
 *   text in ESC[200~ ... ESC[201~) comes back as one TUI_IN_PASTE holding
 *   the text, never as keys.
 *
 * Curses reads the terminal with keypad on: a sequence it knows arrives as
 * a KEY_* code; one it does not know arrives as ESC and then its bytes one
 * by one, which is where the parsing below takes over. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "app.h"
#include "handover/terminal.h"

/* How long the bytes after ESC may take to arrive and still be one key.
 * Curses waits this long after a lone ESC (set_escdelay), so a bare Esc
 * answers after 50 ms; terminals write a whole sequence at once, and 50 ms
 * leaves room for one split by a slow link. */
#define TUI_ESC_MS 50
/* A paste whose end marker does not come within this long after its last
 * byte is taken as ended (what came is still text, never keys). */
#define TUI_PASTE_GAP_MS 1000
/* The most of one paste kept in memory; a longer paste is refused whole. */
#define TUI_PASTE_KEEP (1024 * 1024)
/* The longest escape sequence read (parameters included). */
#define TUI_SEQ_MAX 32

/* A resize that arrived in the middle of a paste, handed out next. */
static int pending_resize;
/* The terminal's output (curses' own putp writes to stdout, whatever the
 * screen's output is). */
static FILE *term_out;

void tui_paste_mode(FILE *out, int on)
{
	if (out)
		term_out = out;
	if (!term_out)
		return;
	fputs(on ? "\033[?2004h" : "\033[?2004l", term_out);
	fflush(term_out);
}

void tui_input_clear(tui_input *in)
{
	free(in->text);
	memset(in, 0, sizeof *in);
}

static int read_one(int timeout_ms, wint_t *ch)
{
	wtimeout(stdscr, timeout_ms);
	*ch = 0;
	if (ho_locale_utf8())
		return wget_wch(stdscr, ch);
	/* Outside a UTF-8 locale wget_wch waits for a character that the
	 * bytes of a typed 'é' never complete, and every key after it is
	 * lost: read bytes instead. One above 0x7f is then a key of its own,
	 * which a prompt refuses, naming the locale to set (prompt.c). */
	int c = wgetch(stdscr);
	if (c == ERR)
		return ERR;
	*ch = (wint_t)c;
	return c >= KEY_MIN ? KEY_CODE_YES : OK;
}

enum seq_kind {
	SEQ_BARE,  /* ESC alone */
	SEQ_CSI,   /* ESC [ params final: buf holds "params final" */
	SEQ_SS3,   /* ESC O final: buf holds the final byte */
	SEQ_ALT,   /* ESC and one character: *code */
	SEQ_OTHER, /* anything else: dropped */
};

/* Read what follows an ESC. The byte right after it must already be there
 * (curses waited the escape delay before handing the ESC out); the rest of
 * a sequence may take up to TUI_ESC_MS per byte. */
static enum seq_kind read_sequence(char *buf, size_t size, int *code, int first_wait)
{
	wint_t ch;
	buf[0] = '\0';
	int r = read_one(first_wait, &ch);
	if (r == ERR)
		return SEQ_BARE;
	if (r == KEY_CODE_YES) {
		if (ch == KEY_RESIZE)
			pending_resize = 1;
		/* Alt-Backspace where curses turned the DEL into a key. */
		if (ch == KEY_BACKSPACE) {
			*code = TUI_ALT(127);
			return SEQ_ALT;
		}
		return SEQ_OTHER;
	}
	if (ch == '[' || ch == 'O') {
		int csi = ch == '[';
		size_t n = 0;
		for (;;) {
			r = read_one(TUI_ESC_MS, &ch);
			if (r != OK)
				return SEQ_OTHER; /* cut short: what came is dropped */
			if (n + 1 < size)
				buf[n++] = (char)ch;
			buf[n] = '\0';
			/* Parameters and intermediates go on; a final byte ends
			 * it (SS3 has only the final byte). */
			if (csi && ch >= 0x20 && ch <= 0x3f && n < TUI_SEQ_MAX)
				continue;
			if (ch >= 0x40 && ch <= 0x7e)
				return csi ? SEQ_CSI : SEQ_SS3;
			return SEQ_OTHER;
		}
	}
	if (ch == 27) {
		/* Esc twice, or Alt with a key that itself starts with ESC. */
		char inner[TUI_SEQ_MAX + 2];
		int inner_code = 0;
		return read_sequence(inner, sizeof inner, &inner_code, 0) == SEQ_BARE ? SEQ_BARE
		                                                                      : SEQ_OTHER;
	}
	if (ch == 127 || ch == 8) {
		*code = TUI_ALT(127);
		return SEQ_ALT;
	}
	if (ch < 32 || (ch >= 0x80 && ch < 0xa0))
		return SEQ_OTHER; /* Alt with a control key (Alt-Enter too): nothing */
	*code = TUI_ALT((int)ch);
	return SEQ_ALT;
}

/* A CSI or SS3 sequence curses did not know: the key it stands for, or 0. */
static int known_sequence(enum seq_kind kind, const char *s)
{
	static const struct {
		const char *seq;
		int code;
	} csi[] = {
	    {"1~", TUI_FN(KEY_HOME)}, {"7~", TUI_FN(KEY_HOME)},  {"H", TUI_FN(KEY_HOME)},
	    {"4~", TUI_FN(KEY_END)},  {"8~", TUI_FN(KEY_END)},   {"F", TUI_FN(KEY_END)},
	    {"3~", TUI_FN(KEY_DC)},   {"5~", TUI_FN(KEY_PPAGE)}, {"6~", TUI_FN(KEY_NPAGE)},
	    {"A", TUI_FN(KEY_UP)},    {"B", TUI_FN(KEY_DOWN)},   {"C", TUI_FN(KEY_RIGHT)},
	    {"D", TUI_FN(KEY_LEFT)},  {"Z", TUI_FN(KEY_BTAB)},   {"1;5C", TUI_ALT('f')},
	    {"1;5D", TUI_ALT('b')},   {"1;3C", TUI_ALT('f')},    {"1;3D", TUI_ALT('b')},
	    {"3;3~", TUI_ALT('d')},   {"3;5~", TUI_ALT('d')},
	};
	static const struct {
		char final;
		int code;
	} ss3[] = {
	    {'H', TUI_FN(KEY_HOME)}, {'F', TUI_FN(KEY_END)},   {'A', TUI_FN(KEY_UP)},
	    {'B', TUI_FN(KEY_DOWN)}, {'C', TUI_FN(KEY_RIGHT)}, {'D', TUI_FN(KEY_LEFT)},
	};
	if (kind == SEQ_CSI) {
		for (size_t i = 0; i < sizeof csi / sizeof csi[0]; i++)
			if (strcmp(s, csi[i].seq) == 0)
				return csi[i].code;
	} else if (kind == SEQ_SS3) {
		for (size_t i = 0; i < sizeof ss3 / sizeof ss3[0]; i++)
			if (s[0] == ss3[i].final && s[1] == '\0')
				return ss3[i].code;
	}
	return 0;
}

/* Keys curses knows by their terminfo name only (xterm's Ctrl- and
 * Alt-arrows and -Delete get codes above KEY_MAX): word keys in a prompt. */
static int named_key(int ch)
{
	static const struct {
		const char *name;
		int code;
	} names[] = {
	    {"kLFT5", TUI_ALT('b')}, {"kRIT5", TUI_ALT('f')}, {"kLFT3", TUI_ALT('b')},
	    {"kRIT3", TUI_ALT('f')}, {"kDC5", TUI_ALT('d')},  {"kDC3", TUI_ALT('d')},
	};
	const char *name = keyname(ch);
	for (size_t i = 0; name && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(name, names[i].name) == 0)
			return names[i].code;
	return 0;
}

struct paste_buf {
	char *text;
	size_t len, cap, total;
};

static void paste_add(struct paste_buf *p, wint_t ch)
{
	char mb[MB_LEN_MAX];
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t n = wcrtomb(mb, (wchar_t)ch, &ps);
	if (n == (size_t)-1)
		return;
	p->total += n;
	if (!p->text && p->total > n)
		return; /* already over what is kept, or out of memory */
	if (p->len + n + 1 > TUI_PASTE_KEEP) {
		free(p->text);
		p->text = NULL;
		p->len = p->cap = 0;
		return;
	}
	if (p->len + n + 1 > p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 256;
		while (cap < p->len + n + 1)
			cap *= 2;
		char *t = realloc(p->text, cap);
		if (!t) {
			free(p->text);
			p->text = NULL;
			p->len = p->cap = 0;
			return;
		}
		p->text = t;
		p->cap = cap;
	}
	memcpy(p->text + p->len, mb, n);
	p->len += n;
	p->text[p->len] = '\0';
}

/* Everything up to ESC[201~ is text. Keys curses decoded from the pasted
 * bytes (a stray escape sequence in the text) are dropped. */
static void read_paste(tui_input *in)
{
	struct paste_buf p = {0};
	for (;;) {
		wint_t ch;
		int r = read_one(TUI_PASTE_GAP_MS, &ch);
		if (r == ERR)
			break;
		if (r == KEY_CODE_YES) {
			if (ch == KEY_RESIZE)
				pending_resize = 1;
			continue;
		}
		if (ch == 27) {
			char seq[TUI_SEQ_MAX + 2];
			int code = 0;
			enum seq_kind k = read_sequence(seq, sizeof seq, &code, TUI_ESC_MS);
			if (k == SEQ_CSI && strcmp(seq, "201~") == 0)
				break;
			continue;
		}
		paste_add(&p, ch);
	}
	in->type = TUI_IN_PASTE;
	in->text = p.text;
	in->len = p.total;
	if (!in->text && p.total == 0)
		in->text = strdup("");
}

void tui_input_get(int timeout_ms, tui_input *in)
{
	memset(in, 0, sizeof *in);
	if (pending_resize) {
		pending_resize = 0;
		in->type = TUI_IN_RESIZE;
		return;
	}
	wint_t ch = 0;
	int r = read_one(timeout_ms, &ch);
	if (r == ERR)
		return;
	if (r == KEY_CODE_YES) {
		if (ch == KEY_RESIZE) {
			in->type = TUI_IN_RESIZE;
			return;
		}
		if (ch == KEY_MOUSE) {
			MEVENT ev;
			if (getmouse(&ev) != OK)
				return;
			in->type = TUI_IN_MOUSE;
			in->mouse_y = ev.y;
			in->mouse_x = ev.x;
			in->mouse_bstate = ev.bstate;
			return;
		}
		in->type = TUI_IN_KEY;
		in->code =
		    ch > KEY_MAX && named_key((int)ch) ? named_key((int)ch) : TUI_FN((int)ch);
		return;
	}
	if (ch != 27) {
		in->type = TUI_IN_KEY;
		in->code = (int)ch;
		return;
	}
	char seq[TUI_SEQ_MAX + 2];
	int code = 0;
	enum seq_kind k = read_sequence(seq, sizeof seq, &code, 0);
	switch (k) {
	case SEQ_BARE:
		in->type = TUI_IN_KEY;
		in->code = 27;
		return;
	case SEQ_ALT:
		in->type = TUI_IN_KEY;
		in->code = code;
		return;
	case SEQ_CSI:
		if (strcmp(seq, "200~") == 0) {
			read_paste(in);
			return;
		}
		/* fall through */
	case SEQ_SS3:
		code = known_sequence(k, seq);
		if (code) {
			in->type = TUI_IN_KEY;
			in->code = code;
			return;
		}
		break;
	case SEQ_OTHER:
		break;
	}
	/* An unknown sequence: read whole, and nothing happens. */
	if (pending_resize) {
		pending_resize = 0;
		in->type = TUI_IN_RESIZE;
	}
}
