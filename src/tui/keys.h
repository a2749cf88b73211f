/* Keys and the actions they stand for (the table is keys.def). */
#ifndef HANDOVER_TUI_KEYS_H
#define HANDOVER_TUI_KEYS_H

#include <stddef.h>

/* Screens (the table is screens.def), one bit each, so a key can say where
 * it works. */
enum tui_screen_index {
#define TUI_SCREEN(name, word, tab, view) TUI_SCREEN_##name,
#include "screens.def"
#undef TUI_SCREEN
	TUI_SCREEN__COUNT
};
enum tui_screen {
#define TUI_SCREEN(name, word, tab, view) TUI_SCR_##name = 1u << TUI_SCREEN_##name,
#include "screens.def"
#undef TUI_SCREEN
};
#define TUI_SCR_ALL   ((1u << TUI_SCREEN__COUNT) - 1)
#define TUI_SCR_ITEMS (TUI_SCR_CHECKLIST | TUI_SCR_ITEM | TUI_SCR_GAPS)
#define TUI_SCR_OPENS                                                                              \
	(TUI_SCR_DASHBOARD | TUI_SCR_MYWORK | TUI_SCR_CHECKLIST | TUI_SCR_GAPS | TUI_SCR_CHANGES | \
	 TUI_SCR_PEOPLE | TUI_SCR_WAITING)

/* One key code space: characters are themselves (>= 0), curses function
 * keys are negated so they never collide with a character. */
#define TUI_FN(k)   (-(k))
#define TUI_CTRL(c) ((c)&0x1f)
/* Alt (ESC then the key, read as one key by the input function) with a
 * character: above every Unicode code point, so never text. */
#define TUI_ALT(c)    (0x200000 | (c))
#define TUI_IS_ALT(k) ((k) >= 0x200000)
/* A character that may enter text: not a control (C0, DEL, C1), not a
 * function or Alt key. */
#define TUI_IS_TEXT(k) ((k) >= 32 && (k) != 127 && !((k) >= 0x80 && (k) < 0xa0) && (k) <= 0x10ffff)

enum tui_action {
	TUI_ACT_NONE = 0,
#define TUI_KEY(name, screens, label, hint, help, ...) TUI_ACT_##name,
#include "keys.def"
#undef TUI_KEY
	TUI_ACT__COUNT
};

#define TUI_MAX_CODES 5

struct tui_key {
	enum tui_action action;
	unsigned screens;
	const char *label; /* "Up, k" */
	const char *hint;  /* "accept", or NULL */
	const char *help;
	int codes[TUI_MAX_CODES]; /* 0 ends the list */
};

/* The whole table, in keys.def order. */
const struct tui_key *tui_keys(size_t *n);
/* The entry for an action. */
const struct tui_key *tui_key_of(enum tui_action a);
/* What `code` does on `screen` (TUI_ACT_NONE when nothing). */
enum tui_action tui_key_action(unsigned screen, int code);
/* The screens' names, for help: "checklist, item, gaps". */
void tui_screens_text(unsigned screens, char *buf, size_t size);

#endif
