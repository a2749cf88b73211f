/* Colours by role, never by number, and the glyphs that carry meaning
 * without colour. */
#ifndef HANDOVER_TUI_THEME_H
#define HANDOVER_TUI_THEME_H

#include <curses.h>

enum tui_role {
	TUI_C_NORMAL = 0,
	TUI_C_TITLE,    /* the title bar */
	TUI_C_HEADER,   /* a view's heading line */
	TUI_C_COLUMNS,  /* column titles */
	TUI_C_SELECTED, /* the selected row */
	TUI_C_DONE,     /* accepted, signed, green */
	TUI_C_PROGRESS, /* handed over, in progress */
	TUI_C_PENDING,  /* waiting for review, amber */
	TUI_C_GAP,      /* open gaps, errors, red */
	TUI_C_OVERDUE,  /* past due */
	TUI_C_MUTED,    /* not started, not applicable, hints' words */
	TUI_C_KEY,      /* a key in the hint line */
	TUI_C_LIVE,     /* the live indicator */
	TUI_C_GROUP,    /* a handover row, a section heading */
	TUI_C_MESSAGE,  /* an informative message */
	TUI_C_POPUP,    /* menus */
	TUI_C_NEWS,     /* changed by others since you last looked: bold */
	TUI_C__COUNT
};

/* Set up colours once curses is running: colour when the terminal has it
 * and NO_COLOR is unset or empty, attributes alone otherwise. */
void tui_theme_init(void);
/* 1 when colours are in use. */
int tui_theme_colour(void);
/* The attributes (colour pair included) of a role. */
attr_t tui_attr(enum tui_role role);

enum tui_glyph {
	TUI_G_BAR_DONE,
	TUI_G_BAR_PENDING,
	TUI_G_BAR_EMPTY,
	TUI_G_CHECK,
	TUI_G_NOT_YET,
	TUI_G_ARROW,
	TUI_G_LIVE,
	TUI_G_STALE,
	TUI_G_OPEN_GROUP,
	TUI_G_CLOSED_GROUP,
	TUI_G_DASH,
	TUI_G_TAG,        /* a tagged row */
	TUI_G_LINE_BREAK, /* a line break inside a one-line prompt */
	TUI_G_NEW,        /* changed by others since you last looked */
	TUI_G__COUNT
};

/* The glyph (a UTF-8 string of width 1) for the locale: box and block
 * characters in UTF-8, plain ASCII otherwise. */
const char *tui_glyph(enum tui_glyph g);
/* 1 when the locale's character set is UTF-8. */
int tui_utf8(void);

#endif
