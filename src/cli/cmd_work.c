/* Working through the checklist: mark, comment, sign. */
#include <stdlib.h>

#include "cli.h"

/* Which of --note and --evidence is the action's own text (evidence,
 * reason, condition, query) and which goes to the thread as a note. */
static int mark_texts(const cli_args *a, ho_action act, const char **text, const char **note)
{
	const char *n = cli_opt(a, "note");
	const char *e = cli_opt(a, "evidence");
	*text = NULL;
	*note = NULL;
	switch (act) {
	case HO_ACT_HANDED_OVER:
		*text = e ? e : n;
		*note = e ? n : NULL;
		if (!*text)
			return cli_usage(a->command, "handed-over needs --evidence TEXT (where the "
			                             "receiver finds it)");
		return CLI_OK;
	case HO_ACT_NOT_APPLICABLE:
	case HO_ACT_ACCEPTED_CONDITIONS:
	case HO_ACT_GAP:
		*text = n;
		*note = e;
		if (!*text)
			return cli_usage(a->command, "%s needs --note TEXT (the %s)",
			                 ho_action_name(act),
			                 act == HO_ACT_GAP              ? "query"
			                 : act == HO_ACT_NOT_APPLICABLE ? "reason"
			                                                : "condition");
		return CLI_OK;
	case HO_ACT_IN_PROGRESS:
	case HO_ACT_ACCEPTED:
		break;
	}
	if (n && e)
		return cli_usage(a->command, "%s takes one note: --note or --evidence",
		                 ho_action_name(act));
	*note = n ? n : e;
	return CLI_OK;
}

/* Read one item for the confirmation line; NULL when it cannot be read
 * (the change itself has been made). ho_item_free() releases it. */
static ho_item *item_read(ho_db *db, int64_t id)
{
	ho_item *it = calloc(1, sizeof *it);
	if (it && ho_item_get(db, id, it) != HO_OK) {
		free(it);
		it = NULL;
	}
	return it;
}

int cmd_mark(const cli_args *a)
{
	const char *ref = a->pos[0];
	ho_action act;
	const char *text, *note;
	int64_t handover = 0, item_id = 0;
	if (ho_action_parse(a->pos[1], &act) != 0)
		return cli_usage(a->command,
		                 "'%s' is not a state (in-progress, handed-over, not-applicable, "
		                 "accepted, accepted-with-conditions, gap)",
		                 a->pos[1]);
	int code = mark_texts(a, act, &text, &note);
	if (code != CLI_OK)
		return code;
	ho_condition_terms terms = {cli_opt(a, "owner"), cli_opt(a, "due")};
	if ((terms.owner || terms.due) && act != HO_ACT_ACCEPTED_CONDITIONS)
		return cli_usage(a->command,
		                 "--owner and --due belong to accepted-with-conditions");
	ho_db *db = NULL;
	ho_item *it = NULL;
	code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_item_find(db, handover, ref, &item_id);
	if (st == HO_OK)
		st = act == HO_ACT_ACCEPTED_CONDITIONS
		         ? ho_item_accept_conditions(db, item_id, 0, text, note, &terms)
		         : ho_item_mark(db, item_id, 0, act, text, note);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	it = item_read(db, item_id);
	fputs("mark: ", stdout);
	if (it) {
		cli_put(stdout, it->ref);
		printf(": %s; receiver: %s\n", ho_sender_state_name(it->sender_state),
		       ho_receiver_state_name(it->receiver_state));
	} else {
		printf("%s\n", ho_action_name(act));
	}
cleanup:
	ho_item_free(it, it ? 1 : 0);
	ho_close(db);
	return code;
}

int cmd_comment(const cli_args *a)
{
	int64_t handover = 0, item_id = 0;
	ho_db *db = NULL;
	ho_item *it = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_item_find(db, handover, a->pos[0], &item_id);
	if (st == HO_OK)
		st = ho_item_comment(db, item_id, a->pos[1]);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	it = item_read(db, item_id);
	fputs("comment: added to ", stdout);
	cli_put(stdout, it ? it->ref : "the item");
	fputc('\n', stdout);
cleanup:
	ho_item_free(it, it ? 1 : 0);
	ho_close(db);
	return code;
}

/* What is still missing after a function's sign-off. */
static void say_function_signed(ho_db *db, int64_t function_id)
{
	ho_function *f = calloc(1, sizeof *f);
	if (!f || ho_function_get(db, function_id, f) != HO_OK) {
		free(f);
		puts("sign: signed off");
		return;
	}
	fputs("sign: ", stdout);
	cli_put(stdout, f->code);
	if (f->sender_signed_at && f->receiver_signed_at)
		puts(": signed off by sender and receiver");
	else if (f->sender_signed_at)
		puts(": signed off by the sender; waiting for the receiver");
	else
		puts(": signed off by the receiver; waiting for the sender");
	ho_function_free(f, 1);
}

int cmd_sign(const cli_args *a)
{
	int64_t handover = 0, function_id = 0;
	int code = cli_handover_id(a, &handover);
	if (code != CLI_OK)
		return code;
	if (a->npos == 0 && handover == 0)
		return cli_usage(a->command,
		                 "give a function CODE, or --handover ID to sign off a handover");
	ho_db *db = NULL;
	code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_status st;
	if (a->npos == 0) {
		st = ho_handover_sign(db, handover);
		if (st == HO_OK)
			printf("sign: handover %lld signed off\n", (long long)handover);
	} else {
		st = ho_function_find(db, handover, a->pos[0], &function_id);
		if (st == HO_OK)
			st = ho_function_sign(db, function_id);
		if (st == HO_OK)
			say_function_signed(db, function_id);
	}
	if (st != HO_OK)
		code = cli_fail(a->command, db, st);
	ho_close(db);
	return code;
}
