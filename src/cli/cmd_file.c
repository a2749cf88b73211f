/* The file as a whole: import, export, check, verify, backup. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "handover/report.h"

int cmd_import(const cli_args *a)
{
	int64_t handover = 0;
	ho_db *db = NULL;
	int dry_run = cli_opt(a, "dry-run") != NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_import_result res;
	ho_status st = ho_import(db, handover, a->pos[0], dry_run, &res);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
	} else {
		/* A real import can be thousands of rows: the list is for a look
		 * before, the counts for after. */
		for (size_t i = 0; dry_run && i < res.nlines; i++)
			printf("  %s\n", res.lines[i]);
		printf("import%s: %d added, %d changed, %d left alone", dry_run ? " --dry-run" : "",
		       res.added, res.changed, res.same);
		if (res.handovers_added || res.functions_added || res.functions_changed)
			printf(" (%d new handover%s, %d new function%s, %d function due date%s "
			       "changed)",
			       res.handovers_added, res.handovers_added == 1 ? "" : "s",
			       res.functions_added, res.functions_added == 1 ? "" : "s",
			       res.functions_changed, res.functions_changed == 1 ? "" : "s");
		printf("%s\n", dry_run ? "; nothing changed" : "");
	}
	ho_import_result_clear(&res);
	ho_close(db);
	return code;
}

static ho_status export_to(ho_db *db, void *ctx, FILE *out)
{
	(void)ctx;
	return ho_export_csv(db, out);
}

int cmd_export(const cli_args *a)
{
	const char *out = cli_opt(a, "o");
	if (out && !*out)
		return cli_usage(a->command, "-o needs a file name");
	if (!out && cli_opt(a, "force"))
		return cli_usage(a->command, "--force replaces the file of -o: give -o CSV");
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	int flags = cli_opt(a, "force") ? HO_OUT_FORCE : 0;
	ho_status st = out ? ho_export_to_file(db, out, flags) : cli_to_stdout(db, export_to, NULL);
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	else if (out) {
		fputs("export: wrote ", stdout);
		cli_put(stdout, out);
		fputc('\n', stdout);
	}
	ho_close(db);
	return code;
}

int cmd_check(const cli_args *a)
{
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_check(db);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
	} else {
		fputs("check: ", stdout);
		cli_put(stdout, cli_where(a, db));
		printf(": ok (journal %s%s)\n", ho_journal_refresh(db),
		       ho_on_network(db) ? ", network drive" : "");
		/* Followed, not fixed, so the lead hears of it. */
		if (ho_on_network(db) && strcmp(ho_journal_mode(db), "wal") == 0)
			cli_error(
			    a->command, CLI_OK,
			    "warning: WAL does not work on a network drive; a lead should run "
			    "'handover config journal delete' while nobody has the file open");
	}
	ho_close(db);
	return code;
}

/* Each row that differs from the history, on standard output as it is
 * found: a long list must not wait for the end. */
static void print_mismatch(void *ctx, const char *row)
{
	(void)ctx;
	fputs("differs: ", stdout);
	cli_put(stdout, row);
	fputc('\n', stdout);
}

int cmd_verify(const cli_args *a)
{
	ho_db *db = NULL;
	ho_verify_result res;
	memset(&res, 0, sizeof res);
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_verify_rows(db, &res, print_mismatch, NULL);
	if (st == HO_OK) {
		printf("verify: %lld events checked, history intact\n", (long long)res.events);
		printf("verify: %lld rows checked, every one as the history says\n",
		       (long long)res.rows);
		printf("head: %s\n", res.head[0] ? res.head : "(no events)");
		printf("state: %s\n", res.state);
	} else if (res.first_bad != 0) {
		code = cli_error(a->command, ho_exit_code(HO_EBADFILE),
		                 "history broken at event %lld (%lld checked): %s",
		                 (long long)res.first_bad, (long long)res.events,
		                 res.problem[0] ? res.problem : ho_errmsg(db));
	} else if (res.mismatches != 0) {
		printf("verify: %lld events checked, history intact\n", (long long)res.events);
		printf("head: %s\n", res.head[0] ? res.head : "(no events)");
		printf("state: %s\n", res.state);
		printf("state the history gives: %s\n", res.replayed);
		fflush(stdout);
		code = cli_error(a->command, ho_exit_code(HO_EBADFILE),
		                 "%lld of %lld rows differ from the history (edited outside "
		                 "handover; listed above)",
		                 (long long)res.mismatches, (long long)res.rows);
	} else {
		code = cli_fail(a->command, db, st);
	}
	ho_close(db);
	return code;
}

int cmd_backup(const cli_args *a)
{
	if (ho_location_is_server(a->pos[0]))
		return cli_usage(a->command,
		                 "backup writes a file; to fill a database on a server use "
		                 "'handover copy FROM TO'");
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_backup(db, a->pos[0], cli_opt(a, "force") ? HO_OUT_FORCE : 0);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
	} else {
		fputs("backup: wrote ", stdout);
		cli_put(stdout, a->pos[0]);
		fputc('\n', stdout);
	}
	ho_close(db);
	return code;
}

/* FROM and TO are named on the command line (-f is not used): a file or a
 * database on a server each. FROM is opened as every command opens it (a
 * file of an older format is upgraded first, as 'status' would); TO must
 * be new, and is written whole or not at all. */
int cmd_copy(const cli_args *a)
{
	if (strcmp(a->pos[0], a->pos[1]) == 0)
		return cli_usage(a->command, "FROM and TO are the same");
	cli_args from = *a;
	from.file = a->pos[0];
	ho_db *db = NULL;
	int code = cli_open(&from, &db);
	if (code != CLI_OK)
		return code;
	ho_copy_result res;
	ho_status st = ho_copy(db, a->pos[1], &res);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
	} else {
		fputs("copy: ", stdout);
		cli_put(stdout, ho_path(db));
		fputs(" -> ", stdout);
		cli_put(stdout, res.to);
		printf(": %lld rows, %lld events; head %s\n", (long long)res.rows,
		       (long long)res.events, res.head[0] ? res.head : "(no events)");
	}
	ho_close(db);
	return code;
}
