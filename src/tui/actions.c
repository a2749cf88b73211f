/* What people do, through the core, as the current actor. The screen only
 * offers what the core would accept (ho_can_*); whatever the core still
 * refuses (someone changed the item first, the file is busy) is shown as
 * the core's one-line reason. */
#define _GNU_SOURCE
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "app.h"
#include "handover/report.h"
#include "handover/rules.h"

static int core_action(enum tui_action a, ho_action *out)
{
	switch (a) {
	case TUI_ACT_HANDED_OVER:
		*out = HO_ACT_HANDED_OVER;
		return 1;
	case TUI_ACT_IN_PROGRESS:
		*out = HO_ACT_IN_PROGRESS;
		return 1;
	case TUI_ACT_NOT_APPLICABLE:
		*out = HO_ACT_NOT_APPLICABLE;
		return 1;
	case TUI_ACT_ACCEPT:
		*out = HO_ACT_ACCEPTED;
		return 1;
	case TUI_ACT_ACCEPT_CONDITIONS:
		*out = HO_ACT_ACCEPTED_CONDITIONS;
		return 1;
	case TUI_ACT_GAP:
		*out = HO_ACT_GAP;
		return 1;
	default:
		return 0;
	}
}

int tui_item_offers(tui_app *app, const ho_item *it, enum tui_action a, const char **why)
{
	const char *reason = NULL;
	ho_action act;
	int ok = 0;
	if (!it) {
		reason = "no item selected";
	} else if (a == TUI_ACT_COMMENT) {
		ok = ho_can_comment(app->db, it, &reason);
	} else if (core_action(a, &act)) {
		ok = ho_can_act(app->db, it, act, &reason);
	}
	if (why)
		*why = reason ? reason : "not here";
	return ok;
}

/* What the person is asked for each action that needs text. */
static void ask_for(ho_action a, const ho_item *it, char *label, size_t size, const char **initial)
{
	switch (a) {
	case HO_ACT_HANDED_OVER:
		tui_fmt(label, size, "Evidence for %s (document, link or location):", it->ref);
		*initial = it->evidence;
		break;
	case HO_ACT_NOT_APPLICABLE:
		tui_fmt(label, size, "Why is %s not applicable?", it->ref);
		*initial = it->na_reason;
		break;
	case HO_ACT_ACCEPTED_CONDITIONS:
		tui_fmt(label, size, "Condition for accepting %s:", it->ref);
		*initial = it->condition;
		break;
	case HO_ACT_GAP:
		tui_fmt(label, size, "Query for the sender about %s:", it->ref);
		*initial = "";
		break;
	default:
		label[0] = '\0';
		*initial = NULL;
		break;
	}
}

static void said_done(tui_app *app, const char *ref, ho_action a)
{
	switch (a) {
	case HO_ACT_IN_PROGRESS:
		tui_message(app, "%s is in progress.", ref);
		break;
	case HO_ACT_HANDED_OVER:
		tui_message(app, "%s handed over; waiting for the receiver.", ref);
		break;
	case HO_ACT_NOT_APPLICABLE:
		tui_message(app, "%s marked not applicable; waiting for the receiver.", ref);
		break;
	case HO_ACT_ACCEPTED:
		tui_message(app, "%s accepted.", ref);
		break;
	case HO_ACT_ACCEPTED_CONDITIONS:
		tui_message(app, "%s accepted with conditions.", ref);
		break;
	case HO_ACT_GAP:
		tui_message(app, "Gap raised on %s; it is back with the sender.", ref);
		break;
	}
}

/* After a change: reload, and when the file stayed locked ask for the
 * prompt back so what was typed can be sent again. */
static tui_req changed(tui_app *app, ho_status st)
{
	tui_app_reload(app);
	return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW | (st == HO_EBUSY ? TUI_REQ_RETRY : 0));
}

static tui_req mark(tui_app *app, int64_t item_id, int64_t version, const char *ref, ho_action a,
                    const char *text)
{
	ho_status st = ho_item_mark(app->db, item_id, version, a, text, NULL);
	if (st == HO_OK)
		said_done(app, ref, a);
	else
		tui_error_status(app, st);
	return changed(app, st);
}

tui_req tui_item_act(tui_app *app, const ho_item *it, enum tui_action a)
{
	const char *why = NULL;
	if (!it) {
		tui_error(app, "Nothing selected.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (!tui_item_offers(app, it, a, &why)) {
		tui_error(app, "%s: %s.", it->ref, why);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	tui_pending p = {0};
	p.item_id = it->id;
	p.version = it->version;
	p.function_id = it->function_id;
	p.handover_id = it->handover_id;
	tui_fmt(p.ref, sizeof p.ref, "%s", it->ref);
	if (a == TUI_ACT_COMMENT) {
		char label[80];
		tui_fmt(label, sizeof label, "Comment on %s:", it->ref);
		p.cmd = TUI_CMD_COMMENT;
		tui_prompt_text(app, label, "", p);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	ho_action act;
	if (!core_action(a, &act))
		return tui_req_make(TUI_REQ_NONE);
	char label[128];
	const char *initial = NULL;
	ask_for(act, it, label, sizeof label, &initial);
	if (!label[0])
		return mark(app, it->id, it->version, it->ref, act, NULL);
	p.cmd = TUI_CMD_MARK;
	p.action = act;
	tui_prompt_text(app, label, initial, p);
	return tui_req_make(TUI_REQ_REDRAW);
}

int tui_offers_sign_function(tui_app *app, const ho_function *f)
{
	return f && ho_can_sign_function(app->db, f, NULL);
}

int tui_offers_sign_handover(tui_app *app, const ho_handover *h)
{
	return h && ho_can_sign_handover(app->db, h, NULL);
}

tui_req tui_sign_function(tui_app *app, const ho_function *f)
{
	const char *why = NULL;
	if (!f) {
		tui_error(app, "Nothing selected.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (!ho_can_sign_function(app->db, f, &why)) {
		/* "Not ready" says what it waits for: refs and whose move. */
		char blockers[400] = "";
		if (!ho_rule_function_ready(f) &&
		    ho_sign_blockers(app->db, f->handover_id, f->id, blockers, sizeof blockers) !=
		        HO_OK)
			blockers[0] = '\0';
		char *code = tui_clean(f->code), *more = tui_clean(blockers);
		tui_error(app, "%s: %s%s%s.", code, why ? why : "cannot sign off",
		          more && more[0] ? ": " : "", more ? more : "");
		free(code);
		free(more);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	const ho_person *me = ho_actor(app->db);
	tui_pending p = {0};
	p.cmd = TUI_CMD_SIGN_FUNCTION;
	p.function_id = f->id;
	p.handover_id = f->handover_id;
	tui_fmt(p.code, sizeof p.code, "%s", f->code);
	char q[256];
	tui_fmt(q, sizeof q, "Sign off %s %s as its %s? It cannot be undone.", f->code, f->name,
	        me->id == f->sender_id ? "sender" : "receiver");
	tui_prompt_confirm(app, q, p);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_sign_handover(tui_app *app, const ho_handover *h)
{
	const char *why = NULL;
	if (!h) {
		tui_error(app, "Nothing selected.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (!ho_can_sign_handover(app->db, h, &why)) {
		char blockers[400] = "";
		if (!h->signed_at && h->functions_signed < h->functions &&
		    ho_sign_blockers(app->db, h->id, 0, blockers, sizeof blockers) != HO_OK)
			blockers[0] = '\0';
		char *more = tui_clean(blockers);
		tui_error(app, "Handover: %s%s%s.", why ? why : "cannot sign off",
		          more && more[0] ? "; not signed off: " : "", more ? more : "");
		free(more);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	tui_pending p = {0};
	p.cmd = TUI_CMD_SIGN_HANDOVER;
	p.handover_id = h->id;
	char q[300];
	tui_fmt(q, sizeof q, "Sign off the handover \"%s\" as its lead? It cannot be undone.",
	        h->title);
	tui_prompt_confirm(app, q, p);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_print(tui_app *app, int64_t handover_id, int64_t function_id)
{
	const char *choices[HO_FMT__COUNT];
	char text[HO_FMT__COUNT][48];
	for (int f = 0; f < HO_FMT__COUNT; f++) {
		tui_fmt(text[f], sizeof text[f], "%-9s .%s", ho_format_name((ho_format)f),
		        ho_format_ext((ho_format)f));
		choices[f] = text[f];
	}
	tui_pending p = {0};
	p.cmd = TUI_CMD_PRINT_FORMAT;
	p.handover_id = handover_id;
	p.function_id = function_id;
	tui_prompt_menu(app, function_id ? "Print the function as" : "Print the handover as",
	                choices, HO_FMT__COUNT, HO_FMT_HTML, p);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_undo(tui_app *app)
{
	char ref[24] = "";
	ho_status st = ho_undo(app->db, ref);
	if (st == HO_OK)
		tui_message(app, "Undone: your last change to %s.", ref);
	else
		tui_error_status(app, st);
	tui_app_reload(app);
	return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
}

static int refuse_unless_lead(tui_app *app, const char *what)
{
	if (ho_is_lead(app->db) && !ho_read_only(app->db))
		return 0;
	tui_error(app, "Only a lead %s.", what);
	return 1;
}

tui_req tui_add_person(tui_app *app)
{
	if (refuse_unless_lead(app, "adds people"))
		return tui_req_make(TUI_REQ_REDRAW);
	tui_pending p = {0};
	p.cmd = TUI_CMD_PERSON_LOGIN;
	tui_prompt_text(app, "Login of the new person (letters, digits, . _ - @):", "", p);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_person_leave(tui_app *app, const ho_person *who)
{
	if (refuse_unless_lead(app, "records leavers"))
		return tui_req_make(TUI_REQ_REDRAW);
	if (!who) {
		tui_error(app, "Select a person first.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (who->left_at) {
		char *login = tui_clean(who->login);
		tui_error(app, "%s has already left.", login ? login : "");
		free(login);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	tui_pending p = {0};
	p.cmd = TUI_CMD_PERSON_LEAVE;
	p.login = strdup(who->login);
	char q[300];
	tui_fmt(q, sizeof q,
	        "Record that %s (%s) left? They keep their history but can no longer act; "
	        "their pairs become unpaired.",
	        who->name, who->login);
	tui_prompt_confirm(app, q, p);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_choose_pair(tui_app *app, const ho_function *f, ho_role side)
{
	if (refuse_unless_lead(app, "pairs senders and receivers"))
		return tui_req_make(TUI_REQ_REDRAW);
	if (!f) {
		tui_error(app, "Select a function first.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	ho_person *people = NULL;
	size_t n = 0;
	ho_status st = ho_people_list(app->db, &people, &n);
	if (st != HO_OK) {
		tui_error_status(app, st);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	tui_pending p = {0};
	p.cmd = side == HO_ROLE_SENDER ? TUI_CMD_PAIR_SENDER : TUI_CMD_PAIR_RECEIVER;
	p.function_id = f->id;
	p.handover_id = f->handover_id;
	tui_fmt(p.code, sizeof p.code, "%s", f->code);
	char **shown = calloc(n ? n : 1, sizeof *shown);
	p.logins = calloc(n ? n : 1, sizeof *p.logins);
	int current = 0;
	const char *now = side == HO_ROLE_SENDER ? f->sender_login : f->receiver_login;
	for (size_t i = 0; shown && p.logins && i < n; i++) {
		if (!(people[i].roles & HO_ROLE_BIT(side)) || people[i].left_at)
			continue;
		char line[512];
		tui_fmt(line, sizeof line, "%s (%s)%s%s", people[i].name, people[i].login,
		        people[i].org[0] ? ", " : "", people[i].org);
		if (strcmp(people[i].login, now) == 0)
			current = p.nlogins;
		shown[p.nlogins] = strdup(line);
		p.logins[p.nlogins] = strdup(people[i].login);
		p.nlogins++;
	}
	ho_person_free(people, n);
	int count = p.nlogins;
	if (!shown || !p.logins) {
		tui_error(app, "out of memory");
	} else if (count == 0) {
		tui_error(app, "Nobody in the file is a %s yet: add one on this screen with a.",
		          ho_role_name(side));
	} else {
		char label[160];
		tui_fmt(label, sizeof label, "%s for %s %s",
		        side == HO_ROLE_SENDER ? "Sender" : "Receiver", f->code, f->name);
		tui_prompt_menu(app, label, (const char *const *)shown, count, current, p);
		memset(&p, 0, sizeof p); /* the prompt owns it now */
	}
	for (int i = 0; shown && i < count; i++)
		free(shown[i]);
	free(shown);
	tui_pending_free(&p);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_set_due(tui_app *app, const ho_function *f)
{
	if (refuse_unless_lead(app, "sets due dates"))
		return tui_req_make(TUI_REQ_REDRAW);
	if (!f) {
		tui_error(app, "Select a function first.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	tui_pending p = {0};
	p.cmd = TUI_CMD_SET_DUE;
	p.function_id = f->id;
	p.version = f->version;
	tui_fmt(p.code, sizeof p.code, "%s", f->code);
	char label[160];
	tui_fmt(label, sizeof label, "Due date for %s (YYYY-MM-DD, empty clears):", f->code);
	tui_prompt_text(app, label, f->due_date, p);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* Leading and trailing spaces go; a path of spaces is no path. */
static char *trimmed(const char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return strndup(s, n);
}

/* `force` once the person has agreed to replace the file; the core checks
 * the path again either way (see handover/outfile.h). */
static tui_req write_document(tui_app *app, tui_pending *p, int force)
{
	ho_print_opts opts = {p->handover_id, p->function_id, (ho_format)p->format};
	ho_status st = ho_print_to_file(app->db, &opts, p->path, force ? HO_OUT_FORCE : 0);
	if (st != HO_OK) {
		tui_error_status(app, st);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	char full[PATH_MAX];
	const char *where = realpath(p->path, full) ? full : p->path;
	char *clean = tui_clean(where);
	tui_message(app, "Wrote %s", clean);
	free(clean);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req print_format_chosen(tui_app *app, tui_pending *p, int choice)
{
	p->format = choice;
	ho_print_opts opts = {p->handover_id, p->function_id, (ho_format)choice};
	char *name = ho_print_default_name(app->db, &opts);
	tui_pending next = *p;
	next.cmd = TUI_CMD_PRINT_PATH;
	memset(p, 0, sizeof *p);
	tui_prompt_text(app, "Write the document to:", name ? name : "handover.txt", next);
	free(name);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req print_path_given(tui_app *app, tui_pending *p, const char *text)
{
	char *path = trimmed(text);
	if (!path || !path[0]) {
		free(path);
		tui_message(app, "Cancelled: no file name.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	free(p->path);
	p->path = path;
	/* The open file, an SQLite file, a folder: refused before anything is
	 * asked. Only an ordinary existing file is offered for replacing. */
	ho_status st = ho_outfile_check(app->db, path, 0);
	if (st != HO_OK && st != HO_EEXIST) {
		tui_error_status(app, st);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (st == HO_EEXIST) {
		tui_pending next = *p;
		next.cmd = TUI_CMD_PRINT_REPLACE;
		memset(p, 0, sizeof *p);
		char q[PATH_MAX + 40];
		tui_fmt(q, sizeof q, "%s exists. Replace it?", next.path);
		tui_prompt_confirm(app, q, next);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	return write_document(app, p, 0);
}

static tui_req person_step(tui_app *app, tui_pending *p, const char *text, int choice)
{
	tui_pending next = *p;
	memset(p, 0, sizeof *p);
	char label[200];
	switch (next.cmd) {
	case TUI_CMD_PERSON_LOGIN:
		next.login = trimmed(text);
		if (!next.login || !next.login[0]) {
			tui_pending_free(&next);
			tui_message(app, "Cancelled: no login.");
			return tui_req_make(TUI_REQ_REDRAW);
		}
		next.cmd = TUI_CMD_PERSON_NAME;
		tui_fmt(label, sizeof label, "Full name of %s:", next.login);
		tui_prompt_text(app, label, "", next);
		break;
	case TUI_CMD_PERSON_NAME: {
		next.name = trimmed(text);
		next.cmd = TUI_CMD_PERSON_ROLE;
		static const char *const roles[] = {"sender", "receiver", "lead"};
		tui_fmt(label, sizeof label, "Role of %s", next.login);
		tui_prompt_menu(app, label, roles, 3, 0, next);
		break;
	}
	case TUI_CMD_PERSON_ROLE:
		next.role = choice == 0   ? HO_ROLE_SENDER
		            : choice == 1 ? HO_ROLE_RECEIVER
		                          : HO_ROLE_LEAD;
		next.cmd = TUI_CMD_PERSON_ORG;
		tui_fmt(label, sizeof label, "Organisation of %s (optional):", next.login);
		tui_prompt_text(app, label, "", next);
		break;
	case TUI_CMD_PERSON_ORG: {
		ho_status st =
		    ho_person_add(app->db, next.login, next.name, (ho_role)next.role, text);
		if (st == HO_OK) {
			char *login = tui_clean(next.login);
			tui_message(app, "Added %s as a %s.", login,
			            ho_role_name((ho_role)next.role));
			free(login);
		} else {
			tui_error_status(app, st);
		}
		tui_pending_free(&next);
		tui_app_reload(app);
		return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
	}
	default:
		tui_pending_free(&next);
		break;
	}
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_cmd_finish(tui_app *app, tui_pending *p, const char *text, int choice)
{
	ho_status st;
	switch (p->cmd) {
	case TUI_CMD_MARK:
		return mark(app, p->item_id, p->version, p->ref, p->action, text);
	case TUI_CMD_COMMENT:
		st = ho_item_comment(app->db, p->item_id, text);
		if (st == HO_OK)
			tui_message(app, "Comment added to %s.", p->ref);
		else
			tui_error_status(app, st);
		return changed(app, st);
	case TUI_CMD_SIGN_FUNCTION:
		st = ho_function_sign(app->db, p->function_id);
		if (st == HO_OK)
			tui_message(app, "%s signed off.", p->code);
		else
			tui_error_status(app, st);
		tui_app_reload(app);
		return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
	case TUI_CMD_PERSON_LEAVE: {
		int moved = 0;
		st = ho_person_leave(app->db, p->login, NULL, &moved);
		if (st == HO_OK) {
			char *login = tui_clean(p->login);
			tui_message(app, "%s has left; %d pair%s now unpaired.", login ? login : "",
			            moved, moved == 1 ? "" : "s");
			free(login);
		} else {
			tui_error_status(app, st);
		}
		tui_app_reload(app);
		return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
	}
	case TUI_CMD_SIGN_HANDOVER:
		st = ho_handover_sign(app->db, p->handover_id);
		if (st == HO_OK)
			tui_message(app, "Handover signed off.");
		else
			tui_error_status(app, st);
		tui_app_reload(app);
		return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
	case TUI_CMD_SEARCH:
		return tui_search(app, text);
	case TUI_CMD_PRINT_FORMAT:
		return print_format_chosen(app, p, choice);
	case TUI_CMD_PRINT_PATH:
		return print_path_given(app, p, text);
	case TUI_CMD_PRINT_REPLACE:
		return write_document(app, p, 1);
	case TUI_CMD_PERSON_LOGIN:
	case TUI_CMD_PERSON_NAME:
	case TUI_CMD_PERSON_ROLE:
	case TUI_CMD_PERSON_ORG:
		return person_step(app, p, text, choice);
	case TUI_CMD_PAIR_SENDER:
	case TUI_CMD_PAIR_RECEIVER: {
		if (choice < 0 || choice >= p->nlogins)
			return tui_req_make(TUI_REQ_REDRAW);
		int sender = p->cmd == TUI_CMD_PAIR_SENDER;
		const char *login = p->logins[choice];
		st = ho_pair(app->db, p->handover_id, p->code, sender ? login : NULL,
		             sender ? NULL : login);
		if (st == HO_OK) {
			char *clean = tui_clean(login);
			tui_message(app, "%s's %s is now %s.", p->code,
			            sender ? "sender" : "receiver", clean);
			free(clean);
		} else {
			tui_error_status(app, st);
		}
		tui_app_reload(app);
		return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
	}
	case TUI_CMD_SET_DUE: {
		char *date = trimmed(text);
		st = date ? ho_function_set_due(app->db, p->function_id, p->version, date)
		          : HO_ENOMEM;
		if (st == HO_OK && date[0])
			tui_message(app, "%s is due on %s.", p->code, date);
		else if (st == HO_OK)
			tui_message(app, "%s has no due date now.", p->code);
		else
			tui_error_status(app, st);
		free(date);
		return changed(app, st);
	}
	case TUI_CMD_NONE:
		break;
	}
	return tui_req_make(TUI_REQ_NONE);
}
