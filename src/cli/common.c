/* What every subcommand needs: opening the file as the actor, reporting
 * errors in the one documented shape, printing user text safely. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "handover/terminal.h"

const char *cli_opt(const cli_args *a, const char *name)
{
	/* The last one given wins, as with most command-line tools. */
	for (int i = a->nopts - 1; i >= 0; i--)
		if (strcmp(a->opts[i].name, name) == 0)
			return a->opts[i].value;
	return NULL;
}

void cli_put(FILE *out, const char *text)
{
	char *clean = ho_sanitise_term(text, HO_SAN_LINE);
	fputs(clean ? clean : "?", out);
	free(clean);
}

ho_status cli_to_stdout(ho_db *db, ho_status (*write)(ho_db *db, void *ctx, FILE *out), void *ctx)
{
	if (!isatty(STDOUT_FILENO) || ho_locale_utf8())
		return write(db, ctx, stdout);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		return write(db, ctx, stdout) == HO_OK ? HO_OK : HO_ENOMEM;
	ho_status st = write(db, ctx, mem);
	if (fclose(mem) != 0 && st == HO_OK)
		st = HO_ENOMEM;
	if (st == HO_OK) {
		/* Documents are sanitised UTF-8: a lead byte starts a character,
		 * continuation bytes (0x80-0xBF) follow it. */
		for (size_t i = 0; i < len; i++) {
			unsigned char b = (unsigned char)buf[i];
			if (b < 0x80)
				fputc(b, stdout);
			else if (b >= 0xC0 || i == 0 || (unsigned char)buf[i - 1] < 0x80)
				fputc('?', stdout);
		}
	}
	free(buf);
	return st;
}

/* "handover: CMD: " then the message, sanitised as a whole because it may
 * quote what the user typed or what is in the file. */
__attribute__((format(printf, 2, 0))) static void report(const char *command, const char *fmt,
                                                         va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	fputs("handover: ", stderr);
	if (command) {
		cli_put(stderr, command);
		fputs(": ", stderr);
	}
	cli_put(stderr, msg);
	fputc('\n', stderr);
}

int cli_usage(const char *command, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(command, fmt, ap);
	va_end(ap);
	/* Point to the command's own help when there is a command. */
	fputs("Try 'handover ", stderr);
	if (command) {
		cli_put(stderr, command);
		fputc(' ', stderr);
	}
	fputs("--help'.\n", stderr);
	return CLI_USAGE;
}

int cli_error(const char *command, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	report(command, fmt, ap);
	va_end(ap);
	return code;
}

int cli_fail(const char *command, ho_db *db, ho_status st)
{
	const char *msg = db ? ho_errmsg(db) : "";
	if (!msg || !*msg)
		msg = ho_strerror(st);
	return cli_error(command, ho_exit_code(st), "%s", msg);
}

const char *cli_where(const cli_args *a, const ho_db *db)
{
	if (!ho_location_is_server(a->file))
		return a->file;
	return db && *ho_path(db) ? ho_path(db) : "the database";
}

char *cli_login(const cli_args *a)
{
	return a->login ? strdup(a->login) : ho_default_login();
}

int cli_login_from_session(const cli_args *a)
{
	const char *env = getenv("HANDOVER_USER");
	return ho_location_is_server(a->file) && !a->login && !(env && *env);
}

int cli_open(const cli_args *a, ho_db **out)
{
	*out = NULL;
	struct stat sb;
	if (!ho_location_is_server(a->file) && stat(a->file, &sb) != 0 && errno == ENOENT)
		return cli_error(NULL, CLI_BADFILE,
		                 "%s: no such file (create one with 'handover init' or try "
		                 "'handover demo')",
		                 a->file);
	ho_db *db = NULL;
	char *login = NULL;
	ho_status st = ho_open(a->file, 0, &db);
	/* On a server the database login is who acts: $USER is not asked, and
	 * --as (or $HANDOVER_USER) is for a lead acting for someone. */
	if (st == HO_OK && cli_login_from_session(a)) {
		st = ho_set_actor(db, NULL);
	} else if (st == HO_OK) {
		login = cli_login(a);
		st = login ? ho_set_actor(db, login) : HO_ENOMEM;
	}
	free(login);
	if (st != HO_OK) {
		int code = cli_fail(a->command, db, st);
		ho_close(db);
		return code;
	}
	/* The journal is the file's, chosen at init; a variable asking for
	 * another is not obeyed (two people with different settings would
	 * flip the file), but it is not silently ignored either. */
	const char *journal = getenv("HANDOVER_JOURNAL");
	if (journal && *journal && strcmp(journal, ho_journal_mode(db)) != 0)
		cli_error(NULL, CLI_OK,
		          "warning: HANDOVER_JOURNAL=%s is used only by 'init'; this file keeps "
		          "its journal (%s); a lead changes it with 'handover config journal'",
		          journal, ho_journal_mode(db));
	*out = db;
	return CLI_OK;
}

int cli_handover_id(const cli_args *a, int64_t *id)
{
	*id = 0;
	const char *v = cli_opt(a, "handover");
	if (!v)
		return CLI_OK;
	char *end = NULL;
	errno = 0;
	long long n = strtoll(v, &end, 10);
	if (errno || end == v || *end || n <= 0)
		return cli_usage(a->command,
		                 "--handover: '%s' is not a handover number (see 'status')", v);
	*id = n;
	return CLI_OK;
}

int cli_open_handover(const cli_args *a, int64_t *id, ho_db **db)
{
	int code = cli_handover_id(a, id);
	if (code != CLI_OK || (code = cli_open(a, db)) != CLI_OK || *id == 0)
		return code;
	/* A wrong --handover is named as such, before anything is printed or
	 * looked up in it ("no item FIN-2" would send the user looking for
	 * the item). */
	ho_handover h;
	ho_status st = ho_handover_get(*db, *id, &h);
	if (st == HO_OK) {
		ho_handover_clear(&h);
		return CLI_OK;
	}
	code = st == HO_ENOTFOUND ? cli_usage(a->command,
	                                      "--handover %lld: there is no such handover "
	                                      "(see 'handover status')",
	                                      (long long)*id)
	                          : cli_fail(a->command, *db, st);
	ho_close(*db);
	*db = NULL;
	return code;
}

int cli_interactive(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}
