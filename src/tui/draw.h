/* Drawing helpers: user text always goes through the core's sanitiser and is
 * fitted by display width, so names and notes in any script line up and no
 * control character reaches the terminal. */
#ifndef HANDOVER_TUI_DRAW_H
#define HANDOVER_TUI_DRAW_H

#include <curses.h>
#include <stddef.h>

#include "theme.h"

/* Put text we wrote ourselves (already clean) at y,x in at most `width`
 * columns, cut with an ellipsis; pads with spaces to `width` when pad is
 * set. Returns the columns written (padding included). */
int tui_put(WINDOW *w, int y, int x, int width, attr_t attr, const char *clean, int pad);
/* The same for text from the file: sanitised to one line first. */
int tui_put_user(WINDOW *w, int y, int x, int width, attr_t attr, const char *raw, int pad);
/* Right-aligned in `width` columns ending at x + width. */
int tui_put_right(WINDOW *w, int y, int x, int width, attr_t attr, const char *clean);
/* Fill `width` columns with spaces. */
void tui_fill(WINDOW *w, int y, int x, int width, attr_t attr);
/* printf into a buffer, for our own text. */
void tui_fmt(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Display width of user text once sanitised to one line. */
int tui_user_width(const char *raw);
/* Sanitised copy of user text on one line ("" when out of memory; caller
 * frees). */
char *tui_clean(const char *raw);
/* The same keeping line breaks (for wrapping). */
char *tui_clean_lines(const char *raw);

/* Word-wrap clean multi-line text into lines of at most `width` columns.
 * Returns the number of lines; *out is an array of malloc'd strings. */
size_t tui_wrap(const char *clean, int width, char ***out);
void tui_lines_free(char **lines, size_t n);

/* A progress bar of `width` cells: accepted, handed over (waiting for
 * review), the rest; readable in monochrome by its glyphs. */
void tui_bar(WINDOW *w, int y, int x, int width, int done, int pending, int total, int selected);

/* Table columns laid out by priority: when the window is narrow the
 * least important columns go first; flexible columns share what is left. */
struct tui_col {
	const char *title;
	int width;  /* fixed width, or 0 for flexible */
	int min;    /* flexible: at least this many columns */
	int max;    /* flexible: at most this many (0: no limit) */
	int weight; /* flexible: share of the rest */
	int prio;   /* 1 most important; higher numbers are dropped first */
	int right;  /* right-aligned */
	int x, w;   /* computed: position and width (w 0 when dropped) */
};
void tui_cols_layout(struct tui_col *cols, int n, int total);
/* "sender -> receiver" in `room` columns (the arrow `arrow` wide): both
 * whole when they fit; else the sender is cut first, down to two columns
 * (a letter and the ellipsis), then the receiver. */
void tui_pair_widths(int sender, int receiver, int arrow, int room, int *sender_out,
                     int *receiver_out);
void tui_cols_header(WINDOW *w, int y, const struct tui_col *cols, int n);

/* A list with a selection and a scroll position. */
typedef struct tui_list {
	int count;       /* rows */
	int sel;         /* selected row */
	int top;         /* first row on screen */
	int height;      /* rows that fit (set by the view's draw) */
	int y0;          /* window line of the first row (for the mouse) */
	int scroll_only; /* no selection: moving scrolls (text views) */
} tui_list;

/* Clamp the selection and scroll so it is visible. */
void tui_list_fix(tui_list *l);
/* Select row (clamped) and keep it visible. */
void tui_list_select(tui_list *l, int row);
/* Scroll by `lines` (mouse wheel) keeping the selection on screen. */
void tui_list_scroll(tui_list *l, int lines);

/* A table filling window w: columns laid out for one column less are moved
 * right past the selection mark, their header drawn on line 0, and the list
 * given the lines below it. */
void tui_table_frame(WINDOW *w, struct tui_col *cols, int n, tui_list *l);

#endif
