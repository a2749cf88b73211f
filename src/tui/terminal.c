/* Whether the terminal can show the application at all. Apart from app.c
 * because term.h defines macros (lines, columns) that clash with names
 * there. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <term.h>
#include <unistd.h>

#include "tui.h"

int ho_tui_terminal_ok(char *why, size_t size)
{
	int err = 0;
	TERMINAL *was = cur_term;
	if (setupterm(NULL, STDOUT_FILENO, &err) != OK)
		return 1; /* unknown to terminfo: newterm says so */
	/* Without cursor addressing (TERM=dumb, an editor's shell buffer)
	 * curses draws the title line and nothing else. */
	const char *cup = tigetstr("cup");
	int ok = cup != NULL && cup != (char *)-1;
	del_curterm(cur_term);
	set_curterm(was);
	if (!ok) {
		const char *term = getenv("TERM");
		snprintf(
		    why, size,
		    "this terminal (TERM=%s) cannot place the cursor: use the commands instead "
		    "(handover todo, status, changes; see --help)",
		    term && term[0] ? term : "unset");
	}
	return ok;
}
