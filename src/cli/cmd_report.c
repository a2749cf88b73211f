/* Looking at the file: gaps, history, print. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "handover/report.h"
#include "table.h"

/* One table per handover (item references are unique only within one),
 * in the order of the handovers whatever the order of the gaps. */
static int print_gaps(const ho_gap *g, size_t ng, const ho_handover *h, size_t nh)
{
	static const char *const head[] = {"KIND", "REF", "TITLE", "OWNER", "DETAIL"};
	int tables = 0;
	for (size_t k = 0; k < nh; k++) {
		cli_table *t = cli_table_new(5, head);
		if (!t)
			return -1;
		cli_table_limit(t, 2, 40);
		cli_table_limit(t, 3, 24);
		for (size_t i = 0; i < ng; i++) {
			if (g[i].handover_id != h[k].id)
				continue;
			const char *owner = g[i].owner_name[0]    ? g[i].owner_name
			                    : g[i].owner_login[0] ? g[i].owner_login
			                                          : "(nobody)";
			const char *row[] = {ho_gap_kind_name(g[i].kind), g[i].ref, g[i].title,
			                     owner, g[i].detail};
			if (cli_table_add(t, row) != 0) {
				cli_table_free(t);
				return -1;
			}
		}
		int rows = cli_table_rows(t);
		if (rows > 0) {
			printf("%sHandover %lld: ", tables++ ? "\n" : "", (long long)h[k].id);
			cli_put(stdout, h[k].title);
			printf(" (%d gap%s)\n", rows, rows == 1 ? "" : "s");
			cli_table_print(t, stdout, 2);
		}
		cli_table_free(t);
	}
	return 0;
}

int cmd_gaps(const cli_args *a)
{
	int64_t handover = 0, function_id = 0;
	ho_db *db = NULL;
	ho_gap *g = NULL;
	ho_handover *h = NULL;
	size_t ng = 0, nh = 0;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	const char *fcode = cli_opt(a, "function");
	ho_status st = HO_OK;
	if (fcode)
		st = ho_function_find(db, handover, fcode, &function_id);
	if (st == HO_OK)
		st = ho_gaps_list(db, handover, function_id, 0, &g, &ng);
	if (st == HO_OK)
		st = ho_handovers_list(db, &h, &nh);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	if (ng == 0)
		puts("No gaps.");
	else if (print_gaps(g, ng, h, nh) != 0)
		code = cli_fail(a->command, NULL, HO_ENOMEM);
cleanup:
	ho_gap_free(g, ng);
	ho_handover_free(h, nh);
	ho_close(db);
	return code;
}

/* A person's name for a login in the history, as the thread shows people;
 * the login itself for someone no longer (or never) in the file. */
static const char *name_of(const ho_person *p, size_t np, const char *login)
{
	for (size_t i = 0; i < np; i++)
		if (strcmp(p[i].login, login) == 0)
			return p[i].name;
	return login;
}

static int print_events(const ho_event *e, size_t n, const ho_person *p, size_t np)
{
	static const char *const head[] = {"TIME", "WHO", "ACTION", "REF", "CHANGE"};
	cli_table *t = cli_table_new(5, head);
	if (!t)
		return -1;
	cli_table_limit(t, 3, 40);
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		char when[32];
		ho_time_format(e[i].at, when, sizeof when);
		size_t size = strlen(e[i].old_value) + strlen(e[i].new_value) + 8;
		char *change = malloc(size);
		if (!change) {
			rc = -1;
			break;
		}
		if (e[i].old_value[0])
			snprintf(change, size, "%s -> %s", e[i].old_value, e[i].new_value);
		else
			snprintf(change, size, "%s", e[i].new_value);
		const char *row[] = {when, name_of(p, np, e[i].actor), e[i].action, e[i].ref,
		                     change};
		rc = cli_table_add(t, row);
		free(change);
	}
	if (rc == 0)
		cli_table_print(t, stdout, 0);
	cli_table_free(t);
	return rc;
}

int cmd_history(const cli_args *a)
{
	int64_t handover = 0, item_id = 0;
	ho_db *db = NULL;
	ho_event *e = NULL;
	ho_person *people = NULL;
	size_t n = 0, np = 0;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = HO_OK;
	if (a->npos > 0)
		st = ho_item_find(db, handover, a->pos[0], &item_id);
	if (st == HO_OK)
		st = ho_events_list(db, item_id, 0, &e, &n);
	if (st == HO_OK)
		st = ho_people_list(db, &people, &np);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	if (n == 0)
		puts("No history.");
	else if (print_events(e, n, people, np) != 0)
		code = cli_fail(a->command, NULL, HO_ENOMEM);
cleanup:
	ho_event_free(e, n);
	ho_person_free(people, np);
	ho_close(db);
	return code;
}

static ho_status print_to(ho_db *db, void *opts, FILE *out)
{
	return ho_print(db, opts, out);
}

int cmd_print(const cli_args *a)
{
	ho_print_opts opts = {0, 0, HO_FMT_TEXT, cli_opt(a, "all") != NULL};
	const char *fmt = cli_opt(a, "format");
	const char *out = cli_opt(a, "o");
	const char *fcode = cli_opt(a, "function");
	if (opts.all && (fcode || cli_opt(a, "handover")))
		return cli_usage(a->command, "--all is every handover: leave out --handover and "
		                             "--function");
	if (fmt && ho_format_parse(fmt, &opts.format) != 0)
		return cli_usage(
		    a->command,
		    "--format: '%s' is not text, markdown, html, csv, pdf, xlsx or docx", fmt);
	if (out && !*out)
		return cli_usage(a->command, "-o needs a file name");
	if (!out && cli_opt(a, "force"))
		return cli_usage(a->command, "--force replaces the file of -o: give -o OUT");
	/* Without --format the name's extension says which; a name without one
	 * gets text, an extension that names no format is refused (it would
	 * otherwise be text under a misleading name). */
	if (!fmt && out && ho_format_from_name(out, &opts.format) < 0)
		return cli_usage(a->command,
		                 "-o %s: the extension names no format: end the name in .txt, .md, "
		                 ".html, .csv, .pdf, .xlsx or .docx, or give --format",
		                 out);
	if ((opts.format == HO_FMT_PDF || opts.format == HO_FMT_XLSX ||
	     opts.format == HO_FMT_DOCX) &&
	    !out && isatty(STDOUT_FILENO))
		return cli_usage(a->command,
		                 "a %s file does not belong on a terminal: give -o FILE",
		                 ho_format_name(opts.format));
	ho_db *db = NULL;
	int code = opts.all ? cli_open(a, &db) : cli_open_handover(a, &opts.handover_id, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = HO_OK;
	if (fcode)
		st = ho_function_find(db, opts.handover_id, fcode, &opts.function_id);
	if (st == HO_OK)
		st = out ? ho_print_to_file(db, &opts, out, cli_opt(a, "force") ? HO_OUT_FORCE : 0)
		         : cli_to_stdout(db, print_to, &opts);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	if (out) {
		printf("print: wrote %s ", ho_format_name(opts.format));
		cli_put(stdout, out);
		fputc('\n', stdout);
	}
cleanup:
	ho_close(db);
	return code;
}
