/* The ncurses application: the one entry point the CLI calls. */
#ifndef HANDOVER_TUI_H
#define HANDOVER_TUI_H

#include "handover/handover.h"

/* Run the application on an open file as the current actor until the user
 * quits. Returns a process exit status (0 on a normal quit). */
int ho_tui_run(ho_db *db);

#endif
