/* The ncurses application: the one entry point the CLI calls. */
#ifndef HANDOVER_TUI_H
#define HANDOVER_TUI_H

#include "handover/handover.h"

/* Run the application on an open file as the current actor until the user
 * quits. Returns a process exit status (0 on a normal quit). */
int ho_tui_run(ho_db *db);

/* Can the terminal ($TERM) show the application? 0 and a one-line reason
 * in `why` when it cannot place the cursor (TERM=dumb, an editor's shell
 * buffer): it would show the title line and nothing else. A terminal the
 * terminfo database does not know is left to curses to refuse. */
int ho_tui_terminal_ok(char *why, size_t size);

#endif
