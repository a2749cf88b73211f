/* The key table compiled from keys.def, and lookups over it. */
#include "keys.h"

#include <curses.h>
#include <stdio.h>
#include <string.h>

static const struct tui_key key_table[] = {
#define TUI_KEY(name, screens, label, hint, help, ...)                                             \
	{TUI_ACT_##name, (screens), (label), (hint), (help), {__VA_ARGS__}},
#include "keys.def"
#undef TUI_KEY
};

const struct tui_key *tui_keys(size_t *n)
{
	*n = sizeof key_table / sizeof key_table[0];
	return key_table;
}

const struct tui_key *tui_key_of(enum tui_action a)
{
	for (size_t i = 0; i < sizeof key_table / sizeof key_table[0]; i++)
		if (key_table[i].action == a)
			return &key_table[i];
	return NULL;
}

enum tui_action tui_key_action(unsigned screen, int code)
{
	if (code == 0)
		return TUI_ACT_NONE;
	for (size_t i = 0; i < sizeof key_table / sizeof key_table[0]; i++) {
		if (!(key_table[i].screens & screen))
			continue;
		for (int j = 0; j < TUI_MAX_CODES && key_table[i].codes[j]; j++)
			if (key_table[i].codes[j] == code)
				return key_table[i].action;
	}
	return TUI_ACT_NONE;
}

void tui_screens_text(unsigned screens, char *buf, size_t size)
{
	static const struct {
		unsigned bit;
		const char *name;
	} names[] = {
#define TUI_SCREEN(name, word, tab, view) {TUI_SCR_##name, word},
#include "screens.def"
#undef TUI_SCREEN
	};
	if ((screens & TUI_SCR_ALL) == TUI_SCR_ALL) {
		snprintf(buf, size, "everywhere");
		return;
	}
	size_t used = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(screens & names[i].bit))
			continue;
		int w = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", names[i].name);
		if (w < 0 || (size_t)w >= size - used)
			break;
		used += (size_t)w;
	}
}
