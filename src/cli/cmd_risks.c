/* The risk log and deep dives: risks add/edit/close/list, deepdive
 * add/action/done/list. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "handover/risks.h"
#include "table.h"

/* --likelihood and --impact as 1-5; 0 when not given. */
static int score_opt(const cli_args *a, const char *name, int *out)
{
	const char *v = cli_opt(a, name);
	*out = 0;
	if (!v)
		return CLI_OK;
	if (strlen(v) != 1 || v[0] < '1' || v[0] > '5')
		return cli_usage(a->command, "--%s must be 1 to 5 (the NHS 5x5 matrix), not '%s'",
		                 name, v);
	*out = v[0] - '0';
	return CLI_OK;
}

static int risk_fields(const cli_args *a, ho_risk_fields *f)
{
	memset(f, 0, sizeof *f);
	f->title = cli_opt(a, "title");
	f->description = cli_opt(a, "description");
	f->cause = cli_opt(a, "cause");
	f->mitigation = cli_opt(a, "mitigation");
	f->review_date = cli_opt(a, "review");
	f->owner = cli_opt(a, "owner");
	f->function_code = cli_opt(a, "function");
	f->items = cli_opt(a, "items");
	int code = score_opt(a, "likelihood", &f->likelihood);
	return code != CLI_OK ? code : score_opt(a, "impact", &f->impact);
}

int cmd_risks_add(const cli_args *a)
{
	ho_risk_fields f;
	int code = risk_fields(a, &f);
	if (code != CLI_OK)
		return code;
	if (!f.title || !f.likelihood || !f.impact || !f.owner)
		return cli_usage(a->command,
		                 "a risk needs --title, --likelihood, --impact and --owner");
	int64_t handover = 0;
	ho_db *db = NULL;
	if ((code = cli_open_handover(a, &handover, &db)) != CLI_OK)
		return code;
	char ref[16] = "";
	ho_status st = ho_risk_add(db, handover, &f, ref);
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	else
		printf("%s: score %d (%s)\n", ref, f.likelihood * f.impact,
		       ho_risk_level_name(ho_risk_level_of(f.likelihood * f.impact)));
	ho_close(db);
	return code;
}

int cmd_risks_edit(const cli_args *a)
{
	ho_risk_fields f;
	int code = risk_fields(a, &f);
	if (code != CLI_OK)
		return code;
	if (a->nopts == 0 || (a->nopts == 1 && cli_opt(a, "handover")))
		return cli_usage(a->command,
		                 "%s: nothing to change (give --title, --likelihood, ...)",
		                 a->pos[0]);
	int64_t handover = 0;
	ho_db *db = NULL;
	if ((code = cli_open_handover(a, &handover, &db)) != CLI_OK)
		return code;
	ho_status st = ho_risk_edit(db, handover, a->pos[0], 0, &f);
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	else {
		cli_put(stdout, a->pos[0]);
		fputs(": changed\n", stdout);
	}
	ho_close(db);
	return code;
}

int cmd_risks_close(const cli_args *a)
{
	const char *note = cli_opt(a, "note");
	if (!note || !*note)
		return cli_usage(a->command, "%s: closing a risk needs --note TEXT (why)",
		                 a->pos[0]);
	int64_t handover = 0;
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_risk_close(db, handover, a->pos[0], note);
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	else {
		cli_put(stdout, a->pos[0]);
		fputs(": closed\n", stdout);
	}
	ho_close(db);
	return code;
}

int cmd_risks_list(const cli_args *a)
{
	int64_t handover = 0;
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_risk *r = NULL;
	size_t n = 0;
	ho_status st = ho_risks_list(db, handover, cli_opt(a, "open") != NULL, &r, &n);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto done;
	}
	static const char *const head[] = {"REF",   "SCORE", "LEVEL",  "STATUS",
	                                   "OWNER", "TITLE", "REVIEW", "MITIGATION"};
	cli_table *t = cli_table_new(8, head);
	if (!t) {
		code = cli_error(a->command, CLI_BADFILE, "out of memory");
		goto done;
	}
	cli_table_limit(t, 5, 40);
	for (size_t i = 0; i < n; i++) {
		char ref[48], score[24];
		snprintf(ref, sizeof ref, "%s%s%s", r[i].ref, r[i].function_code[0] ? " " : "",
		         r[i].function_code);
		snprintf(score, sizeof score, "%d (L%d I%d)", r[i].score, r[i].likelihood,
		         r[i].impact);
		const char *row[] = {ref,
		                     score,
		                     ho_risk_level_name(r[i].level),
		                     r[i].closed ? "closed" : "open",
		                     r[i].owner_name,
		                     r[i].title,
		                     r[i].review_date,
		                     r[i].mitigation};
		if (cli_table_add(t, row) != 0) {
			code = cli_error(a->command, CLI_BADFILE, "out of memory");
			break;
		}
	}
	if (n == 0)
		puts(cli_opt(a, "open") ? "No open risks." : "No risks recorded.");
	else if (code == CLI_OK)
		cli_table_print(t, stdout, 0);
	cli_table_free(t);
done:
	ho_risk_free(r, n);
	ho_close(db);
	return code;
}

int cmd_deepdive_add(const cli_args *a)
{
	const char *date = cli_opt(a, "date"), *title = cli_opt(a, "title");
	if (!date || !title)
		return cli_usage(a->command,
		                 "a deep dive needs --date YYYY-MM-DD and --title TEXT");
	int64_t handover = 0;
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	char ref[16] = "";
	ho_status st = ho_deep_dive_add(db, handover, date, title, cli_opt(a, "attendees"),
	                                cli_opt(a, "risks"), cli_opt(a, "decisions"), ref);
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	else
		printf("%s\n", ref);
	ho_close(db);
	return code;
}

int cmd_deepdive_action(const cli_args *a)
{
	const char *owner = cli_opt(a, "owner");
	if (!owner)
		return cli_usage(a->command, "an action needs --owner LOGIN");
	int64_t handover = 0;
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	char ref[16] = "";
	ho_status st =
	    ho_dive_action_add(db, handover, a->pos[0], a->pos[1], owner, cli_opt(a, "due"), ref);
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	else
		printf("%s\n", ref);
	ho_close(db);
	return code;
}

int cmd_deepdive_done(const cli_args *a)
{
	int64_t handover = 0;
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_dive_action_done(db, handover, a->pos[0]);
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	else {
		cli_put(stdout, a->pos[0]);
		fputs(": done\n", stdout);
	}
	ho_close(db);
	return code;
}

int cmd_deepdive_list(const cli_args *a)
{
	int64_t handover = 0;
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_deep_dive *d = NULL;
	size_t n = 0;
	ho_status st = ho_deep_dives_list(db, handover, &d, &n);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto done;
	}
	if (n == 0)
		puts("No deep dives recorded.");
	for (size_t i = 0; i < n; i++) {
		printf("%s%s %s: ", i ? "\n" : "", d[i].ref, d[i].held_on);
		cli_put(stdout, d[i].title);
		fputc('\n', stdout);
		static const char *const labels[] = {"Attendees", "Risks", "Decisions"};
		const char *values[] = {d[i].attendees, d[i].risks, d[i].decisions};
		for (int k = 0; k < 3; k++)
			if (values[k][0]) {
				printf("  %s: ", labels[k]);
				cli_put(stdout, values[k]);
				fputc('\n', stdout);
			}
		for (size_t k = 0; k < d[i].nactions; k++) {
			const ho_dive_action *x = &d[i].actions[k];
			printf("  %s [%s] ", x->ref, x->done_at ? "done" : "open");
			cli_put(stdout, x->text);
			fputs(" (", stdout);
			cli_put(stdout, x->owner_name);
			printf("%s%s)\n", x->due_date[0] ? ", due " : "", x->due_date);
		}
	}
done:
	ho_deep_dive_free(d, n);
	ho_close(db);
	return code;
}
