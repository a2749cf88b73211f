/* The terminal application: no command, and demo. */
#include <errno.h>
#include <sys/stat.h>

#include "cli.h"
#include "tui.h"

static int run_tui(const cli_args *a)
{
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	code = ho_tui_run(db);
	ho_close(db);
	return code;
}

int cmd_tui(const cli_args *a)
{
	/* Scripts and pipes get a clear word instead of a screen they cannot see. */
	if (!cli_interactive())
		return cli_error(NULL, CLI_USAGE, "not a terminal (use a command, see --help)");
	char why[256];
	if (!ho_tui_terminal_ok(why, sizeof why))
		return cli_error(NULL, CLI_USAGE, "%s", why);
	return run_tui(a);
}

int cmd_demo(const cli_args *a)
{
	struct stat sb;
	if (stat(a->file, &sb) != 0 && errno == ENOENT) {
		int code = cli_create_file(a, NULL, 0, 1, 1);
		if (code != CLI_OK)
			return code;
	}
	if (!cli_interactive()) {
		/* Still open it, so a file that is not ours is reported here. */
		ho_db *db = NULL;
		int code = cli_open(a, &db);
		if (code != CLI_OK)
			return code;
		fputs("demo: not a terminal; the file is ready: ", stdout);
		cli_put(stdout, cli_where(a, db));
		fputc('\n', stdout);
		ho_close(db);
		return CLI_OK;
	}
	char why[256];
	if (!ho_tui_terminal_ok(why, sizeof why))
		return cli_error(NULL, CLI_USAGE, "%s", why);
	return run_tui(a);
}
