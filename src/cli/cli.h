/* The command line: what main() and the subcommands share. The CLI is thin:
 * parse, call the core, print, exit with a documented status. */
#ifndef HANDOVER_CLI_H
#define HANDOVER_CLI_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "handover/handover.h"

/* Exit statuses (the core's ho_exit_code() gives the same numbers). */
enum { CLI_OK = 0, CLI_USAGE = 1, CLI_BADFILE = 2, CLI_REFUSED = 3 };

#define CLI_MAX_POS  8
#define CLI_MAX_OPTS 16

/* One parsed command line: the global options, the command word and what
 * followed it (positional arguments and the command's options). */
typedef struct cli_args {
	const char *file;  /* -f FILE, else $HANDOVER_FILE, else ./handover.db */
	const char *login; /* --as LOGIN, NULL: ho_default_login() */
	const char *command;
	const char *pos[CLI_MAX_POS];
	int npos;
	struct {
		char name[24];     /* without dashes: "note", "o" */
		const char *value; /* "" for a flag */
	} opts[CLI_MAX_OPTS];
	int nopts;
} cli_args;

/* A command: the dispatch table in main.c lists them for dispatch and for
 * --help alike. `options` names the options it accepts, comma-separated,
 * a trailing '=' when the option takes a value: "note=,evidence=,handover=".
 * Two-word names ("people add") match the command and its first argument. */
typedef struct cli_command {
	const char *name;
	int (*run)(const cli_args *a);
	const char *usage;   /* what follows the name in a usage line */
	const char *summary; /* one line for --help */
	const char *options;
	int min_pos, max_pos; /* positional arguments after the name */
} cli_command;

/* The value of option `name` ("" for a flag seen), NULL when not given. */
const char *cli_opt(const cli_args *a, const char *name);

/* A usage error: "handover: CMD: MESSAGE" and the pointer to --help on
 * stderr; returns CLI_USAGE. */
int cli_usage(const char *command, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A failure reported by the core: "handover: CMD: ho_errmsg()" (or the
 * status name when the core gave no message), sanitised; returns the
 * status's exit code. */
int cli_fail(const char *command, ho_db *db, ho_status st);
/* A failure with the CLI's own message; returns `code`. */
int cli_error(const char *command, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Open a.file as a.login. A missing file gets the "create one with
 * 'handover init'" message. On failure the message is printed, *db is NULL
 * and the exit status is returned; CLI_OK on success. */
int cli_open(const cli_args *a, ho_db **db);
/* The login to act as: --as, else ho_default_login(). Caller frees. */
char *cli_login(const cli_args *a);
/* 1 when the acting person is the database login of the session: on a
 * server, with neither --as nor $HANDOVER_USER. */
int cli_login_from_session(const cli_args *a);

/* Create a.file as init does (the actor becomes its first lead); a file
 * that could not be filled is removed again. quiet: print nothing on
 * success. Returns the exit status, errors reported. */
int cli_create_file(const cli_args *a, const char *title, int empty, int demo, int quiet);

/* --handover ID as a number (0 when not given). CLI_OK, or a usage error
 * already reported. */
int cli_handover_id(const cli_args *a, int64_t *id);
/* cli_handover_id(), then cli_open(): a command on one handover. */
int cli_open_handover(const cli_args *a, int64_t *id, ho_db **db);

/* The database of a.file as messages name it: the file as given, or, for
 * a database on a server, as the open db names it (ho_path: never the
 * password a connection string may carry; "the database" before it is
 * open). */
const char *cli_where(const cli_args *a, const ho_db *db);

/* Print user text on one line, sanitised (control characters, escape
 * sequences, bidi overrides never reach the terminal). */
void cli_put(FILE *out, const char *text);
/* A document or export for standard output, given to write(stream). On a
 * terminal whose locale is not UTF-8 it is written with each character
 * beyond ASCII as '?' (such a terminal would read the bytes of UTF-8 text
 * as characters of its own, 0x9B as CSI); else straight through. */
ho_status cli_to_stdout(ho_db *db, ho_status (*write)(ho_db *db, void *ctx, FILE *out), void *ctx);
/* 1 when stdin and stdout are both terminals. */
int cli_interactive(void);

/* The subcommands (cmd_*.c). */
int cmd_init(const cli_args *a);
int cmd_demo(const cli_args *a);
int cmd_people_add(const cli_args *a);
int cmd_people_list(const cli_args *a);
int cmd_people_edit(const cli_args *a);
int cmd_people_leave(const cli_args *a);
int cmd_people_map(const cli_args *a);
int cmd_pair(const cli_args *a);
int cmd_mark(const cli_args *a);
int cmd_comment(const cli_args *a);
int cmd_sign(const cli_args *a);
int cmd_status(const cli_args *a);
int cmd_gaps(const cli_args *a);
int cmd_history(const cli_args *a);
int cmd_print(const cli_args *a);
int cmd_import(const cli_args *a);
int cmd_export(const cli_args *a);
int cmd_check(const cli_args *a);
int cmd_verify(const cli_args *a);
int cmd_backup(const cli_args *a);
int cmd_copy(const cli_args *a);
int cmd_todo(const cli_args *a);
int cmd_changes(const cli_args *a);
int cmd_risks_add(const cli_args *a);
int cmd_risks_edit(const cli_args *a);
int cmd_risks_close(const cli_args *a);
int cmd_risks_list(const cli_args *a);
int cmd_deepdive_add(const cli_args *a);
int cmd_deepdive_action(const cli_args *a);
int cmd_deepdive_done(const cli_args *a);
int cmd_deepdive_list(const cli_args *a);
int cmd_config_journal(const cli_args *a);
int cmd_handover_new(const cli_args *a);
int cmd_handover_set(const cli_args *a);
int cmd_handover_close(const cli_args *a);
int cmd_handover_reopen(const cli_args *a);
int cmd_functions_add(const cli_args *a);
int cmd_functions_edit(const cli_args *a);
int cmd_functions_retire(const cli_args *a);
int cmd_functions_move(const cli_args *a);
int cmd_items_add(const cli_args *a);
int cmd_items_edit(const cli_args *a);
int cmd_items_retire(const cli_args *a);
int cmd_items_move(const cli_args *a);
/* No command: the terminal application. */
int cmd_tui(const cli_args *a);

#endif
