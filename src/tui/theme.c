/* Colour roles with a monochrome fallback for each, so that a terminal
 * without colour (or a person who set NO_COLOR) still sees what matters:
 * the selection in reverse video, gaps and overdue dates in bold. */
#include "theme.h"

#include <langinfo.h>
#include <stdlib.h>
#include <string.h>

struct role_style {
	short fg, bg;  /* colour, -1 for the terminal's default */
	attr_t colour; /* extra attributes with colour */
	attr_t mono;   /* attributes without colour */
};

static const struct role_style styles[TUI_C__COUNT] = {
    [TUI_C_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
    [TUI_C_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE},
    [TUI_C_HEADER] = {-1, -1, A_BOLD, A_BOLD},
    [TUI_C_COLUMNS] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
    [TUI_C_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
    [TUI_C_DONE] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [TUI_C_PROGRESS] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
    [TUI_C_PENDING] = {COLOR_YELLOW, -1, A_NORMAL, A_NORMAL},
    [TUI_C_GAP] = {COLOR_RED, -1, A_BOLD, A_BOLD},
    [TUI_C_OVERDUE] = {COLOR_RED, -1, A_NORMAL, A_UNDERLINE},
    [TUI_C_MUTED] = {-1, -1, A_DIM, A_NORMAL},
    [TUI_C_KEY] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
    [TUI_C_LIVE] = {COLOR_GREEN, COLOR_BLUE, A_BOLD, A_REVERSE},
    [TUI_C_GROUP] = {-1, -1, A_BOLD, A_BOLD},
    [TUI_C_MESSAGE] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
    [TUI_C_POPUP] = {COLOR_WHITE, COLOR_BLUE, A_NORMAL, A_NORMAL},
    [TUI_C_NEWS] = {-1, -1, A_BOLD, A_BOLD},
};

static int use_colour;

void tui_theme_init(void)
{
	const char *no_colour = getenv("NO_COLOR");
	use_colour = has_colors() && !(no_colour && no_colour[0]);
	if (!use_colour)
		return;
	if (start_color() == ERR) {
		use_colour = 0;
		return;
	}
	int defaults = use_default_colors() == OK;
	for (int r = 1; r < TUI_C__COUNT; r++) {
		short fg = styles[r].fg, bg = styles[r].bg;
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)r, fg, bg);
	}
}

int tui_theme_colour(void)
{
	return use_colour;
}

attr_t tui_attr(enum tui_role role)
{
	if (role <= TUI_C_NORMAL || role >= TUI_C__COUNT)
		return A_NORMAL;
	if (!use_colour)
		return styles[role].mono;
	return styles[role].colour | (attr_t)COLOR_PAIR(role);
}

int tui_utf8(void)
{
	const char *set = nl_langinfo(CODESET);
	return set && (strcmp(set, "UTF-8") == 0 || strcmp(set, "utf8") == 0);
}

const char *tui_glyph(enum tui_glyph g)
{
	static const char *const unicode[TUI_G__COUNT] = {
	    [TUI_G_BAR_DONE] = "\u2588",   [TUI_G_BAR_PENDING] = "\u2592",
	    [TUI_G_BAR_EMPTY] = "\u00b7",  [TUI_G_CHECK] = "\u2713",
	    [TUI_G_NOT_YET] = "\u00b7",    [TUI_G_ARROW] = "\u2192",
	    [TUI_G_LIVE] = "\u25cf",       [TUI_G_STALE] = "\u25cb",
	    [TUI_G_OPEN_GROUP] = "\u25be", [TUI_G_CLOSED_GROUP] = "\u25b8",
	    [TUI_G_DASH] = "\u2014",       [TUI_G_TAG] = "\u25c6",
	    [TUI_G_LINE_BREAK] = "\u21b5", [TUI_G_NEW] = "\u2022",
	};
	static const char *const ascii[TUI_G__COUNT] = {
	    [TUI_G_BAR_DONE] = "#",     [TUI_G_BAR_PENDING] = "+", [TUI_G_BAR_EMPTY] = ".",
	    [TUI_G_CHECK] = "+",        [TUI_G_NOT_YET] = "-",     [TUI_G_ARROW] = ">",
	    [TUI_G_LIVE] = "*",         [TUI_G_STALE] = "o",       [TUI_G_OPEN_GROUP] = "-",
	    [TUI_G_CLOSED_GROUP] = "+", [TUI_G_DASH] = "-",        [TUI_G_TAG] = "+",
	    [TUI_G_LINE_BREAK] = "|",   [TUI_G_NEW] = "*",
	};
	if (g < 0 || g >= TUI_G__COUNT)
		return "?";
	return tui_utf8() ? unicode[g] : ascii[g];
}
