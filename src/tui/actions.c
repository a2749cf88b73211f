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

int tui_item_offers_in(tui_app *app, const ho_function *f, const ho_item *it, enum tui_action a,
                       const char **why)
{
	const char *reason = NULL;
	ho_action act;
	int ok = 0;
	if (f && it && f->id != it->function_id)
		f = NULL; /* not the item's: asked of the database */
	if (!it) {
		reason = "no item selected";
	} else if (a == TUI_ACT_COMMENT) {
		ok = f ? ho_can_comment_in(app->db, f, &reason)
		       : ho_can_comment(app->db, it, &reason);
	} else if (core_action(a, &act)) {
		ok = f ? ho_can_act_in(app->db, f, it, act, &reason)
		       : ho_can_act(app->db, it, act, &reason);
	}
	if (why)
		*why = reason ? reason : "not here";
	return ok;
}

int tui_item_offers(tui_app *app, const ho_item *it, enum tui_action a, const char **why)
{
	return tui_item_offers_in(app, NULL, it, a, why);
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

static tui_req reloaded(tui_app *app)
{
	tui_app_reload(app);
	return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
}

/* ---- items: marks and comments ---------------------------------------------- */

/* An item acted on: which, at the version the person saw, and how. */
struct item_answer {
	int64_t item_id, version;
	ho_action action;
	char ref[HO_REF_SIZE];
};

static tui_req comment_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_answer *ia = ctx;
	ho_status st;
	CHANGE(app, st, ho_item_comment(app->db, ia->item_id, text));
	if (st == HO_OK)
		tui_message(app, "Comment added to %s.", ia->ref);
	else
		tui_error_status(app, st);
	return changed(app, st);
}

static tui_req mark_answer(tui_app *app, void *ctx, const char *text, int choice);

/* A refused change to an item, made with text: the person has been told
 * why and will see the item as it is now. When the action is still open to
 * them the prompt comes back for the item as it is now; when it is not but
 * a comment is, it comes back offering to keep the text as a comment. */
static void after_refusal(tui_app *app, struct item_answer *ia, ho_status st, const char *text)
{
	ho_item it;
	if (st == HO_EBUSY || st == HO_ENOMEM || st == HO_EIO ||
	    ho_item_get(app->db, ia->item_id, &it) != HO_OK)
		return; /* nothing new was learnt: send the same again */
	tui_seen_ack(app, &it);
	if (ho_can_act(app->db, &it, ia->action, NULL)) {
		ia->version = it.version;
	} else if (text && ho_can_comment(app->db, &it, NULL)) {
		char label[160];
		tui_fmt(label, sizeof label,
		        "Keep it as a comment on %s? Enter keeps, Esc drops:", it.ref);
		tui_prompt_note_again(app, label, text, HO_MAX_TEXT, comment_answer, ia, free);
	}
	ho_item_clear(&it);
}

static tui_req mark(tui_app *app, struct item_answer *ia, const char *text)
{
	ho_status st;
	CHANGE(app, st, ho_item_mark(app->db, ia->item_id, ia->version, ia->action, text, NULL));
	if (st == HO_OK) {
		/* One's own change: the item is seen at the version it made. */
		tui_seen_own(app, ia->item_id, ia->version + 1);
		said_done(app, ia->ref, ia->action);
	} else {
		tui_error_status(app, st);
		after_refusal(app, ia, st, text);
	}
	return changed(app, st);
}

/* Accepting with conditions asks three things in turn: the condition,
 * who meets it (a login, sender-side or receiver-side; offered: the
 * function's receiver) and by when (offered: the handover's target date).
 * The answers so far wait in the draft. */
struct condition_draft {
	struct item_answer ia;
	int64_t function_id, handover_id;
	char *condition, *owner;
};

static void condition_draft_free(void *ctx)
{
	struct condition_draft *d = ctx;
	free(d->condition);
	free(d->owner);
	free(d);
}

static int owner_known(tui_app *app, const char *owner)
{
	if (!owner[0] || strcmp(owner, "sender-side") == 0 || strcmp(owner, "receiver-side") == 0)
		return 1;
	ho_person who;
	if (ho_person_get(app->db, owner, &who) != HO_OK)
		return 0;
	ho_person_clear(&who);
	return 1;
}

static tui_req condition_due_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct condition_draft *d = ctx;
	struct item_answer *ia = &d->ia;
	ho_condition_terms terms = {d->owner, text};
	ho_status st;
	CHANGE(app, st,
	       ho_item_accept_conditions(app->db, ia->item_id, ia->version, d->condition, NULL,
	                                 &terms));
	if (st == HO_OK) {
		tui_seen_own(app, ia->item_id, ia->version + 1);
		said_done(app, ia->ref, ia->action);
		return changed(app, st);
	}
	tui_error_status(app, st);
	/* A date that is not one comes back to be mended; any other refusal
	 * is the item's, told and shown. */
	if (st == HO_EUSAGE)
		return tui_req_make(TUI_REQ_REDRAW | TUI_REQ_RETRY);
	return changed(app, st);
}

static tui_req condition_owner_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct condition_draft *d = ctx;
	if (!owner_known(app, text ? text : "")) {
		char *said = tui_clean(text ? text : "");
		tui_error(app,
		          "'%s' is not one of the file's people; give a login, sender-side "
		          "or receiver-side.",
		          said ? said : "");
		free(said);
		return tui_req_make(TUI_REQ_REDRAW | TUI_REQ_RETRY);
	}
	free(d->owner);
	if (!(d->owner = strdup(text ? text : ""))) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	char label[160], offer[HO_MAX_NAME + 1] = "";
	ho_handover h;
	if (ho_handover_get(app->db, d->handover_id, &h) == HO_OK) {
		tui_fmt(offer, sizeof offer, "%s", h.target_date);
		ho_handover_clear(&h);
	}
	tui_fmt(label, sizeof label, "By when must the condition on %s be met? (date)", d->ia.ref);
	tui_prompt_text(app, label, offer, TUI_MAX_DATE, condition_due_answer, d,
	                condition_draft_free);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* The condition typed: on to who meets it. */
static tui_req condition_asked(tui_app *app, struct item_answer *ia, const char *text)
{
	struct condition_draft *d = calloc(1, sizeof *d);
	ho_item it;
	if (!d || !(d->condition = strdup(text ? text : ""))) {
		free(d);
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	d->ia = *ia;
	if (ho_item_get(app->db, ia->item_id, &it) == HO_OK) {
		d->function_id = it.function_id;
		d->handover_id = it.handover_id;
		ho_item_clear(&it);
	}
	char label[160], offer[HO_MAX_NAME + 1] = "";
	ho_function f;
	if (ho_function_get(app->db, d->function_id, &f) == HO_OK) {
		tui_fmt(offer, sizeof offer, "%s", f.receiver_login);
		ho_function_clear(&f);
	}
	tui_fmt(label, sizeof label,
	        "Who meets the condition on %s? (a login, sender-side or receiver-side)", ia->ref);
	tui_prompt_text(app, label, offer, HO_MAX_LOGIN, condition_owner_answer, d,
	                condition_draft_free);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req mark_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_answer *ia = ctx;
	if (ia->action == HO_ACT_ACCEPTED_CONDITIONS)
		return condition_asked(app, ia, text);
	return mark(app, ia, text);
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
	struct item_answer local = {0};
	local.item_id = it->id;
	local.version = it->version; /* as drawn: tui_seen_changed said so */
	tui_fmt(local.ref, sizeof local.ref, "%s", it->ref);
	char label[128];
	const char *initial = "";
	tui_answer_fn then = comment_answer;
	if (a == TUI_ACT_COMMENT) {
		tui_fmt(label, sizeof label, "Comment on %s:", it->ref);
	} else {
		if (!core_action(a, &local.action))
			return tui_req_make(TUI_REQ_NONE);
		ask_for(local.action, it, label, sizeof label, &initial);
		if (!label[0]) {
			tui_req r = mark(app, &local, NULL);
			r.what &= ~(unsigned)TUI_REQ_RETRY; /* no text to keep */
			return r;
		}
		then = mark_answer;
	}
	struct item_answer *ia = malloc(sizeof *ia);
	if (!ia) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	*ia = local;
	tui_prompt_note(app, label, initial, HO_MAX_TEXT, then, ia, free);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* ---- signing off ---------------------------------------------------------------- */

int tui_offers_sign_function(tui_app *app, const ho_function *f)
{
	return f && ho_can_sign_function(app->db, f, NULL);
}

int tui_offers_sign_handover(tui_app *app, const ho_handover *h)
{
	return h && ho_can_sign_handover(app->db, h, NULL);
}

/* A function asked about: which, at the version the person saw. */
struct function_answer {
	int64_t function_id, version;
	char code[24];
};

static struct function_answer *function_answer_new(tui_app *app, const ho_function *f)
{
	struct function_answer *fa = calloc(1, sizeof *fa);
	if (!fa) {
		tui_error(app, "out of memory");
		return NULL;
	}
	fa->function_id = f->id;
	fa->version = f->version;
	tui_fmt(fa->code, sizeof fa->code, "%s", f->code);
	return fa;
}

static tui_req sign_function_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	(void)choice;
	struct function_answer *fa = ctx;
	ho_status st;
	CHANGE(app, st, ho_function_sign(app->db, fa->function_id));
	if (st == HO_OK)
		tui_message(app, "%s signed off.", fa->code);
	else
		tui_error_status(app, st);
	return reloaded(app);
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
	struct function_answer *fa = function_answer_new(app, f);
	if (!fa)
		return tui_req_make(TUI_REQ_REDRAW);
	char q[256];
	tui_fmt(q, sizeof q, "Sign off %s %s as its %s? It cannot be undone.", f->code, f->name,
	        me->id == f->sender_id ? "sender" : "receiver");
	tui_prompt_confirm(app, q, sign_function_answer, fa, free);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* A handover asked about. */
struct handover_answer {
	int64_t handover_id;
};

static tui_req sign_handover_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	(void)choice;
	const struct handover_answer *ha = ctx;
	ho_status st;
	CHANGE(app, st, ho_handover_sign(app->db, ha->handover_id));
	if (st == HO_OK)
		tui_message(app, "Handover signed off.");
	else
		tui_error_status(app, st);
	return reloaded(app);
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
	struct handover_answer *ha = malloc(sizeof *ha);
	if (!ha) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	ha->handover_id = h->id;
	char q[300];
	tui_fmt(q, sizeof q, "Sign off the handover \"%s\" as its lead? It cannot be undone.",
	        h->title);
	tui_prompt_confirm(app, q, sign_handover_answer, ha, free);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* ---- printing: a format, a file name, maybe replacing it ------------------------ */

struct print_job {
	int64_t handover_id, function_id;
	ho_format format;
	int all; /* the roll-up: every handover in the file */
	char *path;
};

static void print_job_free(void *ctx)
{
	struct print_job *job = ctx;
	free(job->path);
	free(job);
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
 * the path again either way (see handover/outfile.h). A refusal asks for
 * the file name again (TUI_REQ_RETRY), with the name typed kept. */
static tui_req write_document(tui_app *app, struct print_job *job, int force)
{
	ho_print_opts opts = {job->all ? 0 : job->handover_id, job->all ? 0 : job->function_id,
	                      job->format, job->all};
	ho_status st = ho_print_to_file(app->db, &opts, job->path, force ? HO_OUT_FORCE : 0);
	if (st != HO_OK) {
		tui_error_status(app, st);
		return tui_req_make(TUI_REQ_REDRAW | TUI_REQ_RETRY);
	}
	char full[PATH_MAX];
	const char *where = realpath(job->path, full) ? full : job->path;
	char *clean = tui_clean(where);
	tui_message(app, "Wrote %s", clean);
	free(clean);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req print_replace_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	(void)choice;
	return write_document(app, ctx, 1);
}

static tui_req print_path_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct print_job *job = ctx;
	char *path = trimmed(text);
	if (!path || !path[0]) {
		free(path);
		tui_message(app, "Cancelled: no file name.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	free(job->path);
	job->path = path;
	/* The open file, an SQLite file, a folder: refused before anything is
	 * asked. Only an ordinary existing file is offered for replacing. */
	ho_status st = ho_outfile_check(app->db, path, 0);
	if (st != HO_OK && st != HO_EEXIST) {
		tui_error_status(app, st);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (st == HO_EEXIST) {
		char q[PATH_MAX + 40];
		tui_fmt(q, sizeof q, "%s exists. Replace it?", job->path);
		tui_prompt_confirm(app, q, print_replace_answer, job, print_job_free);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	return write_document(app, job, 0);
}

static void print_menu(tui_app *app, struct print_job *job);

static tui_req print_format_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	struct print_job *job = ctx;
	if (choice == HO_FMT__COUNT) { /* the roll-up, which asks its own format */
		job->all = 1;
		print_menu(app, job);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	job->format = (ho_format)choice;
	ho_print_opts opts = {job->all ? 0 : job->handover_id, job->all ? 0 : job->function_id,
	                      job->format, job->all};
	char *name = ho_print_default_name(app->db, &opts);
	tui_prompt_text(app, "Write the document to:", name ? name : "handover.txt", PATH_MAX - 1,
	                print_path_answer, job, print_job_free);
	free(name);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* The format menu. A handover's (not a function's) ends with the roll-up,
 * one document over every handover in the file, which asks its own format
 * next. */
static void print_menu(tui_app *app, struct print_job *job)
{
	const char *choices[HO_FMT__COUNT + 1];
	char text[HO_FMT__COUNT][48];
	for (int f = 0; f < HO_FMT__COUNT; f++) {
		tui_fmt(text[f], sizeof text[f], "%-9s .%s", ho_format_name((ho_format)f),
		        ho_format_ext((ho_format)f));
		choices[f] = text[f];
	}
	int n = HO_FMT__COUNT;
	if (!job->function_id && !job->all)
		choices[n++] = "every handover in the file (roll-up) ...";
	tui_prompt_menu(app,
	                job->all           ? "Print every handover (roll-up) as"
	                : job->function_id ? "Print the function as"
	                                   : "Print the handover as",
	                choices, n, HO_FMT_HTML, print_format_answer, job, print_job_free);
}

tui_req tui_print(tui_app *app, int64_t handover_id, int64_t function_id)
{
	struct print_job *job = calloc(1, sizeof *job);
	if (!job) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	job->handover_id = handover_id;
	job->function_id = function_id;
	print_menu(app, job);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_undo(tui_app *app)
{
	char ref[HO_REF_SIZE] = "";
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
	return reloaded(app);
}

/* ---- people and pairs (leads) ----------------------------------------------------- */

static int refuse_unless_lead(tui_app *app, const char *what)
{
	if (ho_is_lead(app->db) && !ho_read_only(app->db))
		return 0;
	tui_error(app, "Only a lead %s.", what);
	return 1;
}

/* The sets of roles a person may hold, as offered in menus: a lead may also
 * be a sender or a receiver (a regional lead who hands a function over). */
static const unsigned role_sets[] = {
    HO_ROLE_BIT(HO_ROLE_SENDER),
    HO_ROLE_BIT(HO_ROLE_RECEIVER),
    HO_ROLE_BIT(HO_ROLE_LEAD),
    HO_ROLE_BIT(HO_ROLE_LEAD) | HO_ROLE_BIT(HO_ROLE_SENDER),
    HO_ROLE_BIT(HO_ROLE_LEAD) | HO_ROLE_BIT(HO_ROLE_RECEIVER),
    HO_ROLE_BIT(HO_ROLE_SENDER) | HO_ROLE_BIT(HO_ROLE_RECEIVER),
    HO_ROLE_BIT(HO_ROLE_LEAD) | HO_ROLE_BIT(HO_ROLE_SENDER) | HO_ROLE_BIT(HO_ROLE_RECEIVER),
};
enum { ROLE_SETS = sizeof role_sets / sizeof role_sets[0] };

/* A person added or edited, asked one answer at a time. */
struct person_draft {
	int editing; /* an existing person: login is theirs, not asked */
	char *login, *name, *org, *job_title;
	unsigned roles;
};

static void person_draft_free(void *ctx)
{
	struct person_draft *d = ctx;
	free(d->login);
	free(d->name);
	free(d->org);
	free(d->job_title);
	free(d);
}

/* Ask for the roles, the current set chosen. */
static void ask_roles(tui_app *app, struct person_draft *d, tui_answer_fn then)
{
	char words[ROLE_SETS][64];
	const char *choices[ROLE_SETS];
	int current = 0;
	for (int i = 0; i < ROLE_SETS; i++) {
		ho_roles_format(role_sets[i], words[i], sizeof words[i]);
		choices[i] = words[i];
		if (role_sets[i] == d->roles)
			current = i;
	}
	char label[200];
	tui_fmt(label, sizeof label, "Roles of %s", d->login);
	tui_prompt_menu(app, label, choices, ROLE_SETS, current, then, d, person_draft_free);
}

static int set_text(char **slot, const char *text)
{
	char *t = strdup(text ? text : "");
	if (!t)
		return 0;
	free(*slot);
	*slot = t;
	return 1;
}

#define LOGIN_LABEL "Login of the new person (letters, digits, . _ - @):"

static tui_req person_login_answer(tui_app *app, void *ctx, const char *text, int choice);
static tui_req person_name_answer(tui_app *app, void *ctx, const char *text, int choice);

/* Refused: nothing typed is lost. Back to the first question, with every
 * answer kept, to mend whichever was refused; the reason stays shown. */
static void person_ask_again(tui_app *app, struct person_draft *d)
{
	if (d->editing) {
		char label[200];
		tui_fmt(label, sizeof label, "Name of %s:", d->login);
		tui_prompt_again(app, label, d->name ? d->name : "", HO_MAX_NAME,
		                 person_name_answer, d, person_draft_free);
		return;
	}
	char *login = strdup(d->login ? d->login : "");
	tui_prompt_again(app, LOGIN_LABEL, login ? login : "", HO_MAX_LOGIN, person_login_answer, d,
	                 person_draft_free);
	free(login);
}

static tui_req person_roles_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	struct person_draft *d = ctx;
	d->roles = choice >= 0 && choice < ROLE_SETS ? role_sets[choice] : d->roles;
	char words[64];
	ho_roles_format(d->roles, words, sizeof words);
	ho_status st;
	if (d->editing)
		CHANGE(app, st,
		       ho_person_edit(app->db, d->login, d->name, d->org, d->job_title, d->roles));
	else
		CHANGE(app, st, ho_person_add_roles(app->db, d->login, d->name, d->roles, d->org));
	char *login = tui_clean(d->login);
	if (st != HO_OK) {
		tui_error_status(app, st);
		person_ask_again(app, d);
	} else if (d->editing) {
		tui_message(app, "%s saved (%s).", login ? login : "", words);
	} else if (strchr(words, ',')) {
		tui_message(app, "Added %s as %s.", login ? login : "", words);
	} else {
		tui_message(app, "Added %s as a %s.", login ? login : "", words);
	}
	free(login);
	return reloaded(app);
}

static tui_req person_job_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct person_draft *d = ctx;
	if (!set_text(&d->job_title, text)) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	ask_roles(app, d, person_roles_answer);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req person_org_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct person_draft *d = ctx;
	if (!set_text(&d->org, text)) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (!d->editing) {
		/* Adding: the roles were asked before; a job title is set with
		 * e afterwards, as most people added have none to give. */
		return person_roles_answer(app, d, NULL, -1);
	}
	char label[200];
	tui_fmt(label, sizeof label, "Job title of %s (optional):", d->login);
	tui_prompt_text(app, label, d->job_title ? d->job_title : "", HO_MAX_NAME,
	                person_job_answer, d, person_draft_free);
	app->modal.fresh = 0;
	return tui_req_make(TUI_REQ_REDRAW);
}

static void ask_org(tui_app *app, struct person_draft *d)
{
	char label[200];
	tui_fmt(label, sizeof label, "Organisation of %s (optional):", d->login);
	tui_prompt_text(app, label, d->org ? d->org : "", HO_MAX_NAME, person_org_answer, d,
	                person_draft_free);
	app->modal.fresh = 0;
}

static tui_req person_role_first_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	struct person_draft *d = ctx;
	if (choice >= 0 && choice < ROLE_SETS)
		d->roles = role_sets[choice];
	ask_org(app, d);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req person_name_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct person_draft *d = ctx;
	free(d->name);
	d->name = trimmed(text);
	if (d->editing)
		ask_org(app, d);
	else
		ask_roles(app, d, person_role_first_answer);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req person_login_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct person_draft *d = ctx;
	free(d->login);
	d->login = trimmed(text);
	if (!d->login || !d->login[0]) {
		tui_message(app, "Cancelled: no login.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	char label[200];
	tui_fmt(label, sizeof label, "Full name of %s:", d->login);
	tui_prompt_text(app, label, d->name ? d->name : "", HO_MAX_NAME, person_name_answer, d,
	                person_draft_free);
	app->modal.fresh = 0;
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_add_person(tui_app *app)
{
	if (refuse_unless_lead(app, "adds people"))
		return tui_req_make(TUI_REQ_REDRAW);
	struct person_draft *d = calloc(1, sizeof *d);
	if (!d) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	d->roles = role_sets[0];
	tui_prompt_text(app, LOGIN_LABEL, "", HO_MAX_LOGIN, person_login_answer, d,
	                person_draft_free);
	return tui_req_make(TUI_REQ_REDRAW);
}

tui_req tui_person_edit(tui_app *app, const ho_person *who)
{
	if (refuse_unless_lead(app, "changes people"))
		return tui_req_make(TUI_REQ_REDRAW);
	if (!who) {
		tui_error(app, "Select a person first.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (who->left_at) {
		char *login = tui_clean(who->login);
		tui_error(app, "%s has left; their record stays as it was.", login ? login : "");
		free(login);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	struct person_draft *d = calloc(1, sizeof *d);
	if (!d || !set_text(&d->login, who->login) || !set_text(&d->name, who->name) ||
	    !set_text(&d->org, who->org) || !set_text(&d->job_title, who->job_title)) {
		if (d)
			person_draft_free(d);
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	d->editing = 1;
	d->roles = who->roles;
	char label[200];
	tui_fmt(label, sizeof label, "Name of %s:", d->login);
	tui_prompt_text(app, label, d->name, HO_MAX_NAME, person_name_answer, d, person_draft_free);
	app->modal.fresh = 0;
	return tui_req_make(TUI_REQ_REDRAW);
}

/* A leaver: who, and who takes over their pairs (NULL: nobody). */
struct leaver {
	char *login, *name;
	char *successor;
};

static void leaver_free(void *ctx)
{
	struct leaver *l = ctx;
	free(l->login);
	free(l->name);
	free(l->successor);
	free(l);
}

#define SUCCESSOR_LABEL_FMT                                                                        \
	"Who takes over %s's pairs? A login; empty: nobody, their functions become unpaired:"

static tui_req successor_answer(tui_app *app, void *ctx, const char *text, int choice);

static void ask_successor(tui_app *app, struct leaver *l, int again)
{
	char label[200];
	tui_fmt(label, sizeof label, SUCCESSOR_LABEL_FMT, l->login);
	if (again)
		tui_prompt_again(app, label, l->successor ? l->successor : "", HO_MAX_LOGIN,
		                 successor_answer, l, leaver_free);
	else
		tui_prompt_text(app, label, "", HO_MAX_LOGIN, successor_answer, l, leaver_free);
}

static tui_req person_leave_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	(void)choice;
	struct leaver *l = ctx;
	int moved = 0;
	ho_status st;
	CHANGE(app, st, ho_person_leave(app->db, l->login, l->successor, &moved));
	if (st == HO_OK) {
		char *login = tui_clean(l->login), *to = tui_clean(l->successor);
		if (l->successor)
			tui_message(app, "%s has left; %d pair%s moved to %s.", login ? login : "",
			            moved, moved == 1 ? "" : "s", to ? to : "");
		else
			tui_message(app, "%s has left; %d pair%s now unpaired%s.",
			            login ? login : "", moved, moved == 1 ? "" : "s",
			            moved ? " (My work lists them to pair)" : "");
		free(login);
		free(to);
	} else {
		/* The successor was refused (not of that side, left meanwhile):
		 * asked again, the login typed kept and the reason shown. */
		tui_error_status(app, st);
		if (st != HO_EPERM)
			ask_successor(app, l, 1);
	}
	return reloaded(app);
}

static tui_req successor_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct leaver *l = ctx;
	char *to = trimmed(text);
	if (!to) {
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	free(l->successor);
	l->successor = NULL;
	char q[600];
	if (to[0]) {
		ho_person who = {0};
		ho_status st = ho_person_get(app->db, to, &who);
		if (st != HO_OK) {
			tui_error_status(app, st);
			free(to);
			return tui_req_make(TUI_REQ_REDRAW | TUI_REQ_RETRY);
		}
		if (who.left_at || strcmp(who.login, l->login) == 0) {
			char *clean = tui_clean(who.login);
			tui_error(app, "%s cannot take over: %s.", clean ? clean : "",
			          who.left_at ? "they have left" : "it is the person leaving");
			free(clean);
			ho_person_clear(&who);
			free(to);
			return tui_req_make(TUI_REQ_REDRAW | TUI_REQ_RETRY);
		}
		tui_fmt(q, sizeof q,
		        "Record that %s (%s) left? They keep their history but can no longer act; "
		        "their pairs move to %s (%s).",
		        l->name, l->login, who.name, who.login);
		l->successor = strdup(who.login);
		ho_person_clear(&who);
		free(to);
		if (!l->successor) {
			tui_error(app, "out of memory");
			return tui_req_make(TUI_REQ_REDRAW);
		}
	} else {
		free(to);
		tui_fmt(q, sizeof q,
		        "Record that %s (%s) left? They keep their history but can no longer act; "
		        "their pairs become unpaired.",
		        l->name, l->login);
	}
	tui_prompt_confirm(app, q, person_leave_answer, l, leaver_free);
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
	struct leaver *l = calloc(1, sizeof *l);
	if (!l || !(l->login = strdup(who->login)) || !(l->name = strdup(who->name))) {
		if (l)
			leaver_free(l);
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	ask_successor(app, l, 0);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* A side of a function to pair: the people offered (login and name of
 * each), who holds that side now, and the choice once made. */
struct pair_choice {
	int64_t function_id, handover_id;
	ho_role side;
	char code[24];
	char *where;                /* "Dental FIN": the handover's service (or title) and code */
	char *now_login, *now_name; /* "" when unpaired */
	char **logins, **names;
	int n, chosen;
};

static void pair_choice_free(void *ctx)
{
	struct pair_choice *pc = ctx;
	for (int i = 0; i < pc->n; i++) {
		free(pc->logins[i]);
		free(pc->names[i]);
	}
	free(pc->logins);
	free(pc->names);
	free(pc->where);
	free(pc->now_login);
	free(pc->now_name);
	free(pc);
}

static tui_req pair_confirmed(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	(void)choice;
	struct pair_choice *pc = ctx;
	int sender = pc->side == HO_ROLE_SENDER;
	const char *login = pc->logins[pc->chosen];
	ho_status st;
	CHANGE(app, st,
	       ho_pair(app->db, pc->handover_id, pc->code, sender ? login : NULL,
	               sender ? NULL : login));
	if (st != HO_OK) {
		tui_error_status(app, st);
		return reloaded(app);
	}
	char *where = tui_clean(pc->where), *name = tui_clean(pc->names[pc->chosen]);
	char *was = tui_clean(pc->now_name);
	if (pc->now_login[0])
		tui_message(app, "%s: %s is now %s (was %s).", where ? where : "",
		            sender ? "sender" : "receiver", name ? name : "", was ? was : "");
	else
		tui_message(app, "%s: %s is now %s.", where ? where : "",
		            sender ? "sender" : "receiver", name ? name : "");
	free(where);
	free(name);
	free(was);
	return reloaded(app);
}

/* A side already held by someone is changed only once the lead agrees,
 * told which handover and who held it: the same code (FIN) is in every
 * handover made from the template. */
static tui_req pair_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	struct pair_choice *pc = ctx;
	if (choice < 0 || choice >= pc->n)
		return tui_req_make(TUI_REQ_REDRAW);
	pc->chosen = choice;
	const char *side = pc->side == HO_ROLE_SENDER ? "sender" : "receiver";
	if (!pc->now_login[0])
		return pair_confirmed(app, pc, text, choice);
	if (strcmp(pc->now_login, pc->logins[choice]) == 0) {
		char *where = tui_clean(pc->where), *name = tui_clean(pc->now_name);
		tui_message(app, "%s: %s is already the %s; nothing changed.", where ? where : "",
		            name ? name : "", side);
		free(where);
		free(name);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	char q[800];
	tui_fmt(q, sizeof q, "%s: make %s (%s) the %s instead of %s (%s)?", pc->where,
	        pc->names[choice], pc->logins[choice], side, pc->now_name, pc->now_login);
	tui_prompt_confirm(app, q, pair_confirmed, pc, pair_choice_free);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* "Dental FIN": the handover by its service, else its title. */
static char *function_place(tui_app *app, const ho_function *f)
{
	ho_handover h;
	char *out = NULL;
	if (ho_handover_get(app->db, f->handover_id, &h) == HO_OK) {
		const char *name = h.service[0] ? h.service : h.title;
		if (asprintf(&out, "%s %s", name, f->code) < 0)
			out = NULL;
		ho_handover_clear(&h);
	}
	return out ? out : strdup(f->code);
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
	int sender = side == HO_ROLE_SENDER;
	struct pair_choice *pc = calloc(1, sizeof *pc);
	char **shown = calloc(n ? n : 1, sizeof *shown);
	if (pc) {
		pc->logins = calloc(n ? n : 1, sizeof *pc->logins);
		pc->names = calloc(n ? n : 1, sizeof *pc->names);
		pc->where = function_place(app, f);
		pc->now_login = strdup(sender ? f->sender_login : f->receiver_login);
		pc->now_name = strdup(sender ? f->sender_name : f->receiver_name);
	}
	if (!pc || !shown || !pc->logins || !pc->names || !pc->where || !pc->now_login ||
	    !pc->now_name) {
		ho_person_free(people, n);
		if (pc)
			pair_choice_free(pc);
		free(shown);
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	pc->function_id = f->id;
	pc->handover_id = f->handover_id;
	pc->side = side;
	tui_fmt(pc->code, sizeof pc->code, "%s", f->code);
	int current = 0;
	for (size_t i = 0; i < n; i++) {
		if (!(people[i].roles & HO_ROLE_BIT(side)) || people[i].left_at)
			continue;
		char line[512];
		tui_fmt(line, sizeof line, "%s (%s)%s%s", people[i].name, people[i].login,
		        people[i].org[0] ? ", " : "", people[i].org);
		if (strcmp(people[i].login, pc->now_login) == 0)
			current = pc->n;
		shown[pc->n] = strdup(line);
		pc->logins[pc->n] = strdup(people[i].login);
		pc->names[pc->n] = strdup(people[i].name);
		pc->n++;
	}
	ho_person_free(people, n);
	int count = pc->n;
	if (count == 0) {
		tui_error(app, "Nobody in the file is a %s yet: add one on this screen with a.",
		          ho_role_name(side));
		pair_choice_free(pc);
	} else {
		char label[300];
		tui_fmt(label, sizeof label, "%s for %s %s", sender ? "Sender" : "Receiver",
		        pc->where, f->name);
		tui_prompt_menu(app, label, (const char *const *)shown, count, current, pair_answer,
		                pc, pair_choice_free);
	}
	for (int i = 0; i < count; i++)
		free(shown[i]);
	free(shown);
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req set_due_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct function_answer *fa = ctx;
	ho_status st;
	char *date = trimmed(text);
	if (date)
		CHANGE(app, st, ho_function_set_due(app->db, fa->function_id, fa->version, date));
	else
		st = HO_ENOMEM;
	char iso[11];
	if (st == HO_OK && date[0] && ho_date_parse_user(date, iso) == 0)
		tui_message(app, "%s is due on %s.", fa->code, iso);
	else if (st == HO_OK)
		tui_message(app, "%s has no due date now.", fa->code);
	else
		tui_error_status(app, st);
	free(date);
	if (st == HO_ECONFLICT) {
		/* Told who changed it; the prompt comes back for the function
		 * as it is now. */
		ho_function f;
		if (ho_function_get(app->db, fa->function_id, &f) == HO_OK) {
			fa->version = f.version;
			ho_function_clear(&f);
		}
	}
	return changed(app, st);
}

tui_req tui_set_due(tui_app *app, const ho_function *f)
{
	if (refuse_unless_lead(app, "sets due dates"))
		return tui_req_make(TUI_REQ_REDRAW);
	if (!f) {
		tui_error(app, "Select a function first.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	struct function_answer *fa = function_answer_new(app, f);
	if (!fa)
		return tui_req_make(TUI_REQ_REDRAW);
	char label[160];
	tui_fmt(label, sizeof label,
	        "Due date for %s (2026-12-15 or 15/12/2026, empty clears):", f->code);
	tui_prompt_text(app, label, f->due_date, TUI_MAX_DATE, set_due_answer, fa, free);
	return tui_req_make(TUI_REQ_REDRAW);
}

/* ---- acting on every tagged row ------------------------------------------------ */

/* What was done to the tagged items and what was refused, for one message. */
struct many {
	int done, refused;
	char refusals[700];
	size_t used;
};

static void many_refuse(struct many *m, const char *ref, const char *why)
{
	m->refused++;
	char *clean = tui_clean(why);
	size_t room = sizeof m->refusals - m->used;
	int w = snprintf(m->refusals + m->used, room, "%s%s (%.90s)", m->used ? "; " : "", ref,
	                 clean ? clean : "");
	free(clean);
	if (w > 0 && (size_t)w < room)
		m->used += (size_t)w;
	else if (room > 4) /* full: the rest stay tagged, which shows them */
		m->used = sizeof m->refusals - 1;
}

/* "Accepted 3 of 5 tagged items. Refused: FIN-2 (...); FIN-4 (...)." The
 * refused stay tagged, so they can be looked at and tried again. */
static void many_said(tui_app *app, const struct many *m, const char *did)
{
	int n = m->done + m->refused;
	if (!m->refused) {
		tui_message(app, "%s %d of %d tagged item%s.", did, m->done, n, n == 1 ? "" : "s");
		return;
	}
	tui_error(app, "%s %d of %d tagged item%s. Refused %d, still tagged: %s.", did, m->done, n,
	          n == 1 ? "" : "s", m->refused, m->refusals);
}

/* Untag what was done; keep the refused. */
static void untag_done(tui_view *v, const int64_t *done, size_t ndone)
{
	for (size_t i = 0; i < ndone; i++)
		if (tui_tagged(v, done[i]))
			tui_tag_toggle(v, done[i]);
}

/* The item as it is now, and whether this person may still do `a` to it
 * as they saw it: 1 yes; 0 refused (said in m). */
static int many_check(tui_app *app, int64_t id, enum tui_action a, ho_item *it, struct many *m)
{
	char ref[32];
	ho_status st = ho_item_get(app->db, id, it);
	if (st != HO_OK) {
		tui_fmt(ref, sizeof ref, "item %lld", (long long)id);
		many_refuse(m, ref, ho_errmsg(app->db)[0] ? ho_errmsg(app->db) : ho_strerror(st));
		return 0;
	}
	const char *why = NULL;
	if (!tui_item_offers(app, it, a, &why)) {
		many_refuse(m, it->ref, why);
		ho_item_clear(it);
		return 0;
	}
	/* Each change is checked against the version the person saw, as one
	 * change on its own is: a row changed since is not acted on. */
	if (a != TUI_ACT_COMMENT && tui_seen_changed(app, it)) {
		char why_changed[200];
		char *who = tui_clean(it->updated_by[0] ? it->updated_by : "someone");
		tui_fmt(why_changed, sizeof why_changed,
		        "changed by %s since you looked; now %s / %s", who,
		        ho_sender_state_name(it->sender_state),
		        ho_receiver_state_name(it->receiver_state));
		free(who);
		many_refuse(m, it->ref, why_changed);
		tui_seen_ack(app, it);
		ho_item_clear(it);
		return 0;
	}
	return 1;
}

/* The tagged items one comment goes to, as they were when it was asked. */
struct many_items {
	int64_t *ids;
	size_t n;
};

static void many_items_free(void *ctx)
{
	struct many_items *mi = ctx;
	if (!mi)
		return;
	free(mi->ids);
	free(mi);
}

static tui_req comment_many_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct many_items *mi = ctx;
	struct many m = {0};
	int64_t *done = malloc(mi->n * sizeof *done);
	size_t ndone = 0;
	if (!done) {
		tui_error(app, "out of memory");
		return changed(app, HO_ENOMEM);
	}
	ho_status st = HO_OK;
	for (size_t i = 0; i < mi->n; i++) {
		ho_item it;
		if (!many_check(app, mi->ids[i], TUI_ACT_COMMENT, &it, &m))
			continue;
		CHANGE(app, st, ho_item_comment(app->db, it.id, text));
		if (st == HO_OK) {
			done[ndone++] = it.id;
			m.done++;
		} else {
			many_refuse(&m, it.ref,
			            ho_errmsg(app->db)[0] ? ho_errmsg(app->db) : ho_strerror(st));
		}
		ho_item_clear(&it);
		if (st == HO_EUSAGE || st == HO_EBUSY)
			break; /* the text itself, or the file: the same for the rest */
	}
	/* The tags are on the screen the prompt was opened from. */
	tui_view *v = tui_top(app);
	if (v)
		untag_done(v, done, ndone);
	free(done);
	if (m.done == 0 && (st == HO_EUSAGE || st == HO_EBUSY)) {
		/* Nothing was written: the prompt comes back with the text. */
		tui_error_status(app, st);
		return changed(app, st);
	}
	many_said(app, &m, "Commented on");
	return changed(app, HO_OK);
}

tui_req tui_tagged_act(tui_app *app, tui_view *v, enum tui_action a)
{
	if (a == TUI_ACT_COMMENT) {
		/* One text, asked once, for every tagged item. */
		struct many_items *mi = calloc(1, sizeof *mi);
		if (mi)
			mi->ids = malloc(v->ntags * sizeof *mi->ids);
		if (!mi || !mi->ids) {
			many_items_free(mi);
			tui_error(app, "out of memory");
			return tui_req_make(TUI_REQ_REDRAW);
		}
		memcpy(mi->ids, v->tags, v->ntags * sizeof *mi->ids);
		mi->n = v->ntags;
		char label[80];
		tui_fmt(label, sizeof label, "Comment on each of the %zu tagged items:", v->ntags);
		tui_prompt_note(app, label, "", HO_MAX_TEXT, comment_many_answer, mi,
		                many_items_free);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	ho_action act;
	if (!core_action(a, &act))
		return tui_req_make(TUI_REQ_NONE);
	struct many m = {0};
	size_t n = v->ntags;
	int64_t *ids = malloc(n * sizeof *ids), *done = malloc(n * sizeof *done);
	size_t ndone = 0;
	if (!ids || !done) {
		free(ids);
		free(done);
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	memcpy(ids, v->tags, n * sizeof *ids);
	for (size_t i = 0; i < n; i++) {
		ho_item it;
		if (!many_check(app, ids[i], a, &it, &m))
			continue;
		ho_status st;
		/* The same change as for one row: compare-and-set on the
		 * version seen, one transaction and one history event each. */
		CHANGE(app, st, ho_item_mark(app->db, it.id, it.version, act, NULL, NULL));
		if (st == HO_OK) {
			tui_seen_own(app, it.id, it.version + 1);
			done[ndone++] = it.id;
			m.done++;
		} else {
			many_refuse(&m, it.ref,
			            ho_errmsg(app->db)[0] ? ho_errmsg(app->db) : ho_strerror(st));
		}
		ho_item_clear(&it);
		if (st == HO_EBUSY) {
			/* The file stays locked: the rest are not tried (and
			 * stay tagged, to try again). */
			for (size_t k = i + 1; k < n; k++) {
				ho_item rest;
				if (ho_item_get(app->db, ids[k], &rest) == HO_OK) {
					many_refuse(&m, rest.ref, "not tried: the file is busy");
					ho_item_clear(&rest);
				}
			}
			break;
		}
	}
	untag_done(v, done, ndone);
	many_said(app, &m, act == HO_ACT_ACCEPTED ? "Accepted" : "Marked in progress");
	free(ids);
	free(done);
	return changed(app, HO_OK);
}

tui_req tui_comment_in_editor(tui_app *app, const ho_item *it)
{
	const char *why = NULL;
	if (!it) {
		tui_error(app, "Nothing selected.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	if (!tui_item_offers(app, it, TUI_ACT_COMMENT, &why)) {
		tui_error(app, "%s: %s.", it->ref, why);
		return tui_req_make(TUI_REQ_REDRAW);
	}
	char *text = NULL;
	if (tui_edit_text(app, "", &text) != 0)
		return tui_req_make(TUI_REQ_REDRAW);
	if (!text[0]) {
		free(text);
		tui_message(app, "Nothing written: no comment added.");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	/* Back into the prompt, to be read and confirmed with Enter. */
	struct item_answer *ia = calloc(1, sizeof *ia);
	if (!ia) {
		free(text);
		tui_error(app, "out of memory");
		return tui_req_make(TUI_REQ_REDRAW);
	}
	ia->item_id = it->id;
	ia->version = it->version;
	tui_fmt(ia->ref, sizeof ia->ref, "%s", it->ref);
	char label[80];
	tui_fmt(label, sizeof label, "Comment on %s:", it->ref);
	tui_prompt_note(app, label, text, HO_MAX_TEXT, comment_answer, ia, free);
	app->modal.fresh = 0;
	free(text);
	return tui_req_make(TUI_REQ_REDRAW);
}
