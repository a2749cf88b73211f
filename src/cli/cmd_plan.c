/* A lead's set-up of a running file: handovers (new, set, close, reopen),
 * functions and items (add, edit, retire, move). Dates are taken as people
 * type them (2026-12-15 or 15/12/2026); the core checks them. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* --handover ID, else the file's only open handover; a usage error naming
 * them when there are several. */
static int pick_handover(const cli_args *a, ho_db *db, int64_t *id)
{
	if (*id)
		return CLI_OK;
	ho_handover *h = NULL;
	size_t n = 0;
	ho_status st = ho_handovers_list(db, &h, &n);
	if (st != HO_OK)
		return cli_fail(a->command, db, st);
	int code = CLI_OK;
	if (n == 1) {
		*id = h[0].id;
	} else if (n == 0) {
		code = cli_error(a->command, CLI_REFUSED,
		                 "the file has no handover yet; add one with 'handover new --title "
		                 "TITLE'");
	} else {
		code = cli_usage(a->command,
		                 "the file has %zu handovers; pick one with --handover ID (see "
		                 "'handover status')",
		                 n);
	}
	ho_handover_free(h, n);
	return code;
}

static int open_picked(const cli_args *a, int64_t *id, ho_db **db)
{
	int code = cli_open_handover(a, id, db);
	if (code != CLI_OK)
		return code;
	if ((code = pick_handover(a, *db, id)) != CLI_OK) {
		ho_close(*db);
		*db = NULL;
	}
	return code;
}

static int done(const cli_args *a, ho_db *db, ho_status st)
{
	int code = st == HO_OK ? CLI_OK : cli_fail(a->command, db, st);
	ho_close(db);
	return code;
}

static int check_template(const cli_args *a, int *empty)
{
	const char *template = cli_opt(a, "template");
	*empty = cli_opt(a, "empty") != NULL;
	if (template && strcmp(template, "pod") != 0)
		return cli_usage(a->command, "--template: unknown template '%s' (there is: pod)",
		                 template);
	if (template && *empty)
		return cli_usage(a->command, "--template and --empty: choose one");
	return CLI_OK;
}

int cmd_handover_new(const cli_args *a)
{
	const char *title = cli_opt(a, "title");
	int empty = 0;
	int code = check_template(a, &empty);
	if (code != CLI_OK)
		return code;
	if (!title)
		return cli_usage(a->command, "missing --title TITLE");
	ho_db *db = NULL;
	if ((code = cli_open(a, &db)) != CLI_OK)
		return code;
	int64_t id = 0;
	ho_cover cover = {.marking = cli_opt(a, "marking")};
	/* The handover, its template and its marking: one change or none. */
	ho_status st = ho_handover_add_with(db, title, cli_opt(a, "service"), cli_opt(a, "from"),
	                                    cli_opt(a, "to"), cli_opt(a, "target"), cover.marking,
	                                    !empty, &id);
	if (st == HO_OK) {
		printf("%lld\n", (long long)id);
		fprintf(stderr, "new: added handover %lld%s\n", (long long)id,
		        empty ? " (empty: add functions with 'handover functions add')"
		              : " from the pod template");
	}
	return done(a, db, st);
}

int cmd_handover_set(const cli_args *a)
{
	ho_cover c = {cli_opt(a, "title"),       cli_opt(a, "service"), cli_opt(a, "from"),
	              cli_opt(a, "to"),          cli_opt(a, "target"),  cli_opt(a, "marking"),
	              cli_opt(a, "distribution")};
	if (!c.title && !c.service && !c.sender_org && !c.receiver_org && !c.target_date &&
	    !c.marking && !c.distribution)
		return cli_usage(a->command, "nothing to set: give --title, --service, --from, "
		                             "--to, --target, --marking or --distribution");
	ho_db *db = NULL;
	int64_t id = 0;
	int code = open_picked(a, &id, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_handover_set(db, id, 0, &c);
	if (st == HO_OK)
		printf("set: handover %lld updated\n", (long long)id);
	return done(a, db, st);
}

int cmd_handover_close(const cli_args *a)
{
	const char *note = cli_opt(a, "note");
	if (!note)
		return cli_usage(a->command, "missing --note REASON (why it is closed)");
	ho_db *db = NULL;
	int64_t id = 0;
	int code = open_picked(a, &id, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_handover_close(db, id, note);
	if (st == HO_OK)
		printf("close: handover %lld is closed (read-only; 'handover reopen' opens it "
		       "again)\n",
		       (long long)id);
	return done(a, db, st);
}

int cmd_handover_reopen(const cli_args *a)
{
	ho_db *db = NULL;
	int64_t id = 0;
	int code = open_picked(a, &id, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_handover_reopen(db, id);
	if (st == HO_OK)
		printf("reopen: handover %lld is open again\n", (long long)id);
	return done(a, db, st);
}

/* A function by CODE in the picked handover. */
static int open_function(const cli_args *a, const char *code_word, ho_db **db, int64_t *fid)
{
	int64_t id = 0;
	int code = open_picked(a, &id, db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_function_find(*db, id, code_word, fid);
	if (st != HO_OK) {
		code = cli_fail(a->command, *db, st);
		ho_close(*db);
		*db = NULL;
	}
	return code;
}

int cmd_functions_add(const cli_args *a)
{
	const char *code_word = a->pos[0];
	const char *name = cli_opt(a, "name");
	if (!name)
		return cli_usage(a->command, "missing --name NAME");
	ho_db *db = NULL;
	int64_t id = 0;
	int code = open_picked(a, &id, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_function_add(db, id, code_word, name, cli_opt(a, "due"), NULL);
	if (st == HO_OK) {
		fputs("functions add: added ", stdout);
		cli_put(stdout, code_word);
		printf(" to handover %lld\n", (long long)id);
	}
	return done(a, db, st);
}

int cmd_functions_edit(const cli_args *a)
{
	const char *name = cli_opt(a, "name"), *due = cli_opt(a, "due");
	if (!name && !due)
		return cli_usage(a->command, "nothing to change: give --name NAME or --due DATE");
	ho_db *db = NULL;
	int64_t fid = 0;
	int code = open_function(a, a->pos[0], &db, &fid);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_function_edit(db, fid, 0, name, due);
	if (st == HO_OK) {
		fputs("functions edit: ", stdout);
		cli_put(stdout, a->pos[0]);
		fputs(" updated\n", stdout);
	}
	return done(a, db, st);
}

int cmd_functions_retire(const cli_args *a)
{
	const char *note = cli_opt(a, "note");
	if (!note)
		return cli_usage(a->command, "missing --note REASON (why it is withdrawn)");
	ho_db *db = NULL;
	int64_t fid = 0;
	int code = open_function(a, a->pos[0], &db, &fid);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_function_retire(db, fid, note);
	if (st == HO_OK) {
		fputs("functions retire: ", stdout);
		cli_put(stdout, a->pos[0]);
		fputs(" withdrawn\n", stdout);
	}
	return done(a, db, st);
}

int cmd_items_add(const cli_args *a)
{
	const char *title = cli_opt(a, "title");
	if (!title)
		return cli_usage(a->command, "missing --title TITLE");
	ho_db *db = NULL;
	int64_t fid = 0, iid = 0;
	int code = open_function(a, a->pos[0], &db, &fid);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_item_add(db, fid, title, cli_opt(a, "guidance"), cli_opt(a, "due"), &iid);
	ho_item it = {0};
	if (st == HO_OK && (st = ho_item_get(db, iid, &it)) == HO_OK)
		printf("%s\n", it.ref);
	ho_item_clear(&it);
	return done(a, db, st);
}

static int open_item(const cli_args *a, const char *ref, ho_db **db, int64_t *iid)
{
	int64_t id = 0;
	int code = cli_open_handover(a, &id, db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_item_find(*db, id, ref, iid);
	if (st != HO_OK) {
		code = cli_fail(a->command, *db, st);
		ho_close(*db);
		*db = NULL;
	}
	return code;
}

int cmd_items_edit(const cli_args *a)
{
	const char *title = cli_opt(a, "title"), *guidance = cli_opt(a, "guidance");
	const char *due = cli_opt(a, "due");
	if (!title && !guidance && !due)
		return cli_usage(a->command,
		                 "nothing to change: give --title, --guidance or --due DATE");
	ho_db *db = NULL;
	int64_t iid = 0;
	int code = open_item(a, a->pos[0], &db, &iid);
	if (code != CLI_OK)
		return code;
	ho_item before = {0}, after = {0};
	ho_status st = ho_item_get(db, iid, &before);
	if (st == HO_OK)
		st = ho_item_edit(db, iid, before.version, title, guidance, due);
	if (st == HO_OK && (st = ho_item_get(db, iid, &after)) == HO_OK) {
		printf("items edit: %s updated", after.ref);
		if (after.receiver_state != before.receiver_state)
			fputs("; its text changed after review, so it is back with the receiver to "
			      "review",
			      stdout);
		fputc('\n', stdout);
	}
	ho_item_clear(&before);
	ho_item_clear(&after);
	return done(a, db, st);
}

int cmd_items_retire(const cli_args *a)
{
	const char *note = cli_opt(a, "note");
	if (!note)
		return cli_usage(a->command, "missing --note REASON (why it is withdrawn)");
	ho_db *db = NULL;
	int64_t iid = 0;
	int code = open_item(a, a->pos[0], &db, &iid);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_item_retire(db, iid, 0, note);
	if (st == HO_OK) {
		fputs("items retire: ", stdout);
		cli_put(stdout, a->pos[0]);
		fputs(" withdrawn\n", stdout);
	}
	return done(a, db, st);
}

int cmd_items_move(const cli_args *a)
{
	const char *before = cli_opt(a, "before");
	int last = cli_opt(a, "last") != NULL;
	if (!before && !last)
		return cli_usage(a->command, "missing --before REF (or --last)");
	if (before && last)
		return cli_usage(a->command, "--before and --last: choose one");
	ho_db *db = NULL;
	int64_t iid = 0, bid = 0;
	int code = open_item(a, a->pos[0], &db, &iid);
	if (code != CLI_OK)
		return code;
	ho_status st = HO_OK;
	if (before) {
		int64_t hid = 0;
		ho_item it = {0};
		if ((st = ho_item_get(db, iid, &it)) == HO_OK)
			hid = it.handover_id;
		ho_item_clear(&it);
		if (st == HO_OK)
			st = ho_item_find(db, hid, before, &bid);
	}
	if (st == HO_OK)
		st = ho_item_move(db, iid, bid);
	if (st == HO_OK) {
		fputs("items move: ", stdout);
		cli_put(stdout, a->pos[0]);
		fputs(before ? " now comes before " : " now comes last", stdout);
		if (before)
			cli_put(stdout, before);
		fputc('\n', stdout);
	}
	return done(a, db, st);
}

int cmd_functions_move(const cli_args *a)
{
	const char *before = cli_opt(a, "before");
	int last = cli_opt(a, "last") != NULL;
	if (!before && !last)
		return cli_usage(a->command, "missing --before CODE (or --last)");
	if (before && last)
		return cli_usage(a->command, "--before and --last: choose one");
	ho_db *db = NULL;
	int64_t fid = 0, bid = 0;
	int code = open_function(a, a->pos[0], &db, &fid);
	if (code != CLI_OK)
		return code;
	ho_status st = HO_OK;
	if (before) {
		ho_function f = {0};
		if ((st = ho_function_get(db, fid, &f)) == HO_OK)
			st = ho_function_find(db, f.handover_id, before, &bid);
		ho_function_clear(&f);
	}
	if (st == HO_OK)
		st = ho_function_move(db, fid, bid);
	if (st == HO_OK) {
		fputs("functions move: ", stdout);
		cli_put(stdout, a->pos[0]);
		fputs(before ? " now comes before " : " now comes last", stdout);
		if (before)
			cli_put(stdout, before);
		fputc('\n', stdout);
	}
	return done(a, db, st);
}
