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
#include "view_common.h"

/* A change first waits this long for a locked file; then the bottom line
 * says so and it waits the rest of the busy timeout. */
#define TUI_WAIT_NOTICE_MS 300

size_t tui_cmd_max_bytes(enum tui_cmd cmd)
{
	switch (cmd) {
	case TUI_CMD_MARK:
	case TUI_CMD_COMMENT:
		return HO_MAX_TEXT;
	case TUI_CMD_SEARCH:
		return sizeof((tui_app *)0)->search - 1;
	case TUI_CMD_PRINT_PATH:
		return PATH_MAX - 1;
	case TUI_CMD_PERSON_LOGIN:
		return HO_MAX_LOGIN;
	case TUI_CMD_PERSON_NAME:
	case TUI_CMD_PERSON_ORG:
		return HO_MAX_NAME;
	case TUI_CMD_SET_DUE:
		return 32; /* YYYY-MM-DD, and room for stray spaces (trimmed) */
	default:
		return HO_MAX_TEXT;
	}
}

/* Every change goes through here: the file gets TUI_WAIT_NOTICE_MS, then
 * "waiting for the file" is shown and the change waits the rest of the
 * busy timeout. A change refused as busy changed nothing (the core rolls
 * back), so it is safe to try again. Keys pressed while waiting were meant
 * for a screen that was not answering: they are dropped, so none of them
 * lands in a prompt that comes back. */
struct change {
	tui_app *app;
	int waited;
};

static void change_begin(struct change *c, tui_app *app)
{
	c->app = app;
	c->waited = 0;
	int first =
	    app->write_busy_ms < TUI_WAIT_NOTICE_MS ? app->write_busy_ms : TUI_WAIT_NOTICE_MS;
	ho_set_busy_timeout(app->db, first);
}

static int change_again(struct change *c, ho_status st)
{
	tui_app *app = c->app;
	if (st != HO_EBUSY || c->waited || app->write_busy_ms <= TUI_WAIT_NOTICE_MS)
		return 0;
	c->waited = 1;
	tui_app_say_now(app, "waiting for the file (someone is saving)...");
	ho_set_busy_timeout(app->db, app->write_busy_ms - TUI_WAIT_NOTICE_MS);
	return 1;
}

static void change_end(struct change *c)
{
	ho_set_busy_timeout(c->app->db, c->app->write_busy_ms);
	if (!c->waited)
		return;
	/* The terminal's queue, then whatever curses or the line already
	 * hold; a resize among them is kept. */
	flushinp();
	int resized = 0;
	for (;;) {
		tui_input in;
		tui_input_get(0, &in);
		if (in.type == TUI_IN_NONE)
			break;
		resized |= in.type == TUI_IN_RESIZE;
		tui_input_clear(&in);
	}
	if (resized)
		ungetch(KEY_RESIZE);
}

#define CHANGE(app, st, call)                                                                      \
	do {                                                                                       \
		struct change change_;                                                             \
		change_begin(&change_, (app));                                                     \
		do                                                                                 \
			(st) = (call);                                                             \
		while (change_again(&change_, (st)));                                              \
		change_end(&change_);                                                              \
	} while (0)

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

/* After a change: reload, and when it was refused ask for the prompt back
 * so what was typed is not lost. */
static tui_req changed(tui_app *app, ho_status st)
{
	tui_app_reload(app);
	return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW | (st != HO_OK ? TUI_REQ_RETRY : 0));
}

/* A refused change to an item, made with text: the person has been told
 * why and will see the item as it is now. When the action is still open to
 * them the prompt comes back for the item as it is now; when it is not but
 * a comment is, it comes back offering to keep the text as a comment. */
static void after_refusal(tui_app *app, tui_pending *p, ho_status st)
{
	ho_item it;
	if (st == HO_EBUSY || st == HO_ENOMEM || st == HO_EIO ||
	    ho_item_get(app->db, p->item_id, &it) != HO_OK)
		return; /* nothing new was learnt: send the same again */
	tui_seen_ack(app, &it);
	if (p->cmd == TUI_CMD_MARK) {
		if (ho_can_act(app->db, &it, p->action, NULL)) {
			p->version = it.version;
		} else if (ho_can_comment(app->db, &it, NULL)) {
			p->cmd = TUI_CMD_COMMENT;
			tui_fmt(p->relabel, sizeof p->relabel,
			        "Keep it as a comment on %s? Enter keeps, Esc drops:", it.ref);
		}
	}
	ho_item_clear(&it);
}

static tui_req mark(tui_app *app, tui_pending *p, const char *text)
{
	ho_status st;
	CHANGE(app, st, ho_item_mark(app->db, p->item_id, p->version, p->action, text, NULL));
	if (st == HO_OK) {
		/* One's own change: the item is seen at the version it made. */
		tui_seen_own(app, p->item_id, p->version + 1);
		said_done(app, p->ref, p->action);
	} else {
		tui_error_status(app, st);
		after_refusal(app, p, st);
	}
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
	if (a != TUI_ACT_COMMENT && tui_seen_changed(app, it)) {
		/* The row changed after it was drawn: what the person decided on
		 * is not what is there now. Nothing is done; they are told what
		 * changed and see it, and may act again. */
		char what[96], when[24] = "";
		tui_seen_what(app, it, what, sizeof what);
		if (it->updated_at)
			ho_time_format(it->updated_at, when, sizeof when);
		char *who = tui_clean(it->updated_by[0] ? it->updated_by : "someone");
		tui_error(app,
		          "%s was changed by %s%s%s since you looked (%s); it is now %s / %s. Your "
		          "change was not applied: look, then act again.",
		          it->ref, who, when[0] ? " at " : "", when, what,
		          ho_sender_state_name(it->sender_state),
		          tui_receiver_state_words(it->receiver_state));
		free(who);
		tui_seen_ack(app, it);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	tui_pending p = {0};
	p.item_id = it->id;
	p.version = it->version; /* as drawn: tui_seen_changed said so */
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
	p.cmd = TUI_CMD_MARK;
	p.action = act;
	if (!label[0]) {
		tui_req r = mark(app, &p, NULL);
		r.what &= ~(unsigned)TUI_REQ_RETRY; /* no text to keep */
		return r;
	}
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
	ho_status st;
	CHANGE(app, st, ho_undo(app->db, ref));
	if (st == HO_OK) {
		tui_message(app, "Undone: your last change to %s.", ref);
		/* One's own change: the item as it is now is seen. */
		int64_t id = 0;
		ho_item it;
		if (ho_item_find(app->db, 0, ref, &id) == HO_OK &&
		    ho_item_get(app->db, id, &it) == HO_OK) {
			tui_seen_ack(app, &it);
			ho_item_clear(&it);
		}
	} else {
		tui_error_status(app, st);
	}
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
	tui_fmt(label, sizeof label,
	        "Due date for %s (2026-12-15 or 15/12/2026, empty clears):", f->code);
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
		/* The file name typed comes back to be mended. */
		tui_error_status(app, st);
		p->cmd = TUI_CMD_PRINT_PATH;
		return tui_req_make(TUI_REQ_REDRAW | TUI_REQ_RETRY);
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
		free(next.login);
		next.login = trimmed(text);
		if (!next.login || !next.login[0]) {
			tui_pending_free(&next);
			tui_message(app, "Cancelled: no login.");
			return tui_req_make(TUI_REQ_REDRAW);
		}
		next.cmd = TUI_CMD_PERSON_NAME;
		tui_fmt(label, sizeof label, "Full name of %s:", next.login);
		tui_prompt_text(app, label, next.name ? next.name : "", next);
		app->modal.fresh = 0;
		break;
	case TUI_CMD_PERSON_NAME: {
		free(next.name);
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
		tui_prompt_text(app, label, next.org ? next.org : "", next);
		app->modal.fresh = 0;
		break;
	case TUI_CMD_PERSON_ORG: {
		free(next.org);
		next.org = strdup(text);
		ho_status st;
		CHANGE(app, st,
		       ho_person_add(app->db, next.login, next.name, (ho_role)next.role, text));
		if (st == HO_OK) {
			char *login = tui_clean(next.login);
			tui_message(app, "Added %s as a %s.", login,
			            ho_role_name((ho_role)next.role));
			free(login);
			tui_pending_free(&next);
		} else {
			/* Nothing typed is lost: back to the first question, with
			 * every answer kept, to mend whichever was refused. */
			tui_error_status(app, st);
			char said[sizeof app->msg];
			tui_fmt(said, sizeof said, "%s", app->msg);
			next.cmd = TUI_CMD_PERSON_LOGIN;
			char *login = next.login ? strdup(next.login) : NULL;
			tui_prompt_text(app, "Login of the new person (letters, digits, . _ - @):",
			                login ? login : "", next);
			free(login);
			app->modal.fresh = 0;
			tui_error(app, "%s", said);
		}
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
		return mark(app, p, text);
	case TUI_CMD_COMMENT:
		CHANGE(app, st, ho_item_comment(app->db, p->item_id, text));
		if (st == HO_OK)
			tui_message(app, "Comment added to %s.", p->ref);
		else
			tui_error_status(app, st);
		return changed(app, st);
	case TUI_CMD_SIGN_FUNCTION:
		CHANGE(app, st, ho_function_sign(app->db, p->function_id));
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
		CHANGE(app, st, ho_handover_sign(app->db, p->handover_id));
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
		CHANGE(app, st,
		       ho_pair(app->db, p->handover_id, p->code, sender ? login : NULL,
		               sender ? NULL : login));
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
		if (date)
			CHANGE(app, st,
			       ho_function_set_due(app->db, p->function_id, p->version, date));
		else
			st = HO_ENOMEM;
		char iso[11];
		if (st == HO_OK && date[0] && ho_date_parse_user(date, iso) == 0)
			tui_message(app, "%s is due on %s.", p->code, iso);
		else if (st == HO_OK)
			tui_message(app, "%s has no due date now.", p->code);
		else
			tui_error_status(app, st);
		free(date);
		if (st == HO_ECONFLICT) {
			/* Told who changed it; the prompt comes back for the
			 * function as it is now. */
			ho_function f;
			if (ho_function_get(app->db, p->function_id, &f) == HO_OK) {
				p->version = f.version;
				ho_function_clear(&f);
			}
		}
		return changed(app, st);
	}
	case TUI_CMD_NONE:
		break;
	default:
		return tui_setup_finish(app, p, text, choice);
	}
	return tui_req_make(TUI_REQ_NONE);
}
