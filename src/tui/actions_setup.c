/* A lead's set-up from the screens: add a handover and edit its cover on
 * the dashboard; add, edit, date, withdraw and reorder items and functions
 * on the checklist. Each step asks one thing; dates are checked as they are
 * typed (2026-12-15 or 15/12/2026) and a refused answer is asked again with
 * what was typed kept, saying what is expected. `u` undoes these as it
 * undoes a mark (the core keeps what to put back). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"

static int lead_only(tui_app *app, const char *what)
{
	if (ho_is_lead(app->db) && !ho_read_only(app->db))
		return 0;
	tui_error(app, "Only a lead %s.", what);
	return 1;
}

static tui_req redraw(void)
{
	return tui_req_make(TUI_REQ_REDRAW);
}

static tui_req reloaded(tui_app *app)
{
	tui_app_reload(app);
	return tui_req_make(TUI_REQ_RELOAD | TUI_REQ_REDRAW);
}

static char *trim(const char *s)
{
	if (!s)
		s = "";
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	return strndup(s, n);
}

/* A date answer: "" or a date in a form we take. When not, the prompt is
 * asked again with the text kept and the message says what we expect. */
static int date_ok(tui_app *app, const char *text, const char *label, tui_pending *p)
{
	char iso[11];
	if (!text[0] || ho_date_parse_user(text, iso) == 0)
		return 1;
	/* The prompt's own line says it: a message would sit under it. */
	char *clean = tui_clean(text);
	char again_label[256];
	(void)label;
	tui_fmt(again_label, sizeof again_label,
	        "%s%s'%.40s' is not a date: type %s, or nothing:", p->ref, p->ref[0] ? ": " : "",
	        clean ? clean : "", HO_DATE_EXPECTED);
	free(clean);
	tui_error(app, "Not a date: type %s.", HO_DATE_EXPECTED);
	tui_pending again = *p;
	memset(p, 0, sizeof *p);
	tui_prompt_text(app, again_label, text, again);
	return 0;
}

/* The strings gathered step by step ride in the pending's list. */
static int keep(tui_pending *p, const char *text)
{
	char **grown = realloc(p->logins, (size_t)(p->nlogins + 1) * sizeof *grown);
	if (!grown)
		return 0;
	p->logins = grown;
	p->logins[p->nlogins] = trim(text);
	return p->logins[p->nlogins++] != NULL;
}

static const char *kept(const tui_pending *p, int i)
{
	return i < p->nlogins ? p->logins[i] : "";
}

/* ---- the dashboard: handovers ------------------------------------------------ */

tui_req tui_handover_new(tui_app *app)
{
	if (lead_only(app, "adds handovers"))
		return redraw();
	tui_pending p = {0};
	p.cmd = TUI_CMD_HANDOVER_TITLE;
	tui_prompt_text(app, "Title of the new handover:", "", p);
	return redraw();
}

#define TARGET_LABEL "Target date (2026-12-15 or 15/12/2026; empty: none):"

static const char *const cover_labels[] = {
    "Title:",
    "Service (Dental, Optometry, ...):",
    "Sending organisation:",
    "Receiving organisation:",
    TARGET_LABEL,
    "Marking printed on every page (OFFICIAL, OFFICIAL-SENSITIVE):",
    "Distribution (who receives the documents):",
};

tui_req tui_cover_edit(tui_app *app, const ho_handover *h)
{
	if (lead_only(app, "edits a handover's cover"))
		return redraw();
	if (!h) {
		tui_error(app, "Select a handover first.");
		return redraw();
	}
	tui_pending p = {0};
	p.cmd = TUI_CMD_COVER;
	p.handover_id = h->id;
	p.version = h->version;
	/* The current cover, in the order asked; each answer replaces one. */
	const char *now[] = {h->title,
	                     h->service,
	                     h->sender_org,
	                     h->receiver_org,
	                     h->target_date,
	                     h->marking ? h->marking : "OFFICIAL",
	                     h->distribution ? h->distribution : ""};
	for (size_t i = 0; i < sizeof now / sizeof now[0]; i++)
		if (!keep(&p, now[i])) {
			tui_pending_free(&p);
			tui_error(app, "out of memory");
			return redraw();
		}
	p.format = 0; /* the field being asked */
	tui_prompt_text(app, cover_labels[0], kept(&p, 0), p);
	return redraw();
}

tui_req tui_handover_close(tui_app *app, const ho_handover *h)
{
	if (lead_only(app, "closes and reopens handovers"))
		return redraw();
	if (!h) {
		tui_error(app, "Select a handover first.");
		return redraw();
	}
	tui_pending p = {0};
	p.handover_id = h->id;
	char label[200];
	if (h->closed_at) {
		p.cmd = TUI_CMD_HANDOVER_REOPEN;
		tui_fmt(label, sizeof label, "Reopen handover %lld?", (long long)h->id);
		tui_prompt_confirm(app, label, p);
	} else {
		p.cmd = TUI_CMD_HANDOVER_CLOSE;
		tui_fmt(label, sizeof label,
		        "Why is handover %lld closed? (read-only until a lead reopens it)",
		        (long long)h->id);
		tui_prompt_text(app, label, "", p);
	}
	return redraw();
}

static tui_req cover_step(tui_app *app, tui_pending *p, const char *text)
{
	int field = p->format;
	if (field == 4 && !date_ok(app, text, cover_labels[4], p))
		return redraw();
	tui_pending next = *p;
	memset(p, 0, sizeof *p);
	free(next.logins[field]);
	next.logins[field] = trim(text);
	if (field + 1 < (int)(sizeof cover_labels / sizeof cover_labels[0])) {
		next.format = field + 1;
		tui_prompt_text(app, cover_labels[field + 1], kept(&next, field + 1), next);
		return redraw();
	}
	ho_cover c = {kept(&next, 0), kept(&next, 1), kept(&next, 2), kept(&next, 3),
	              kept(&next, 4), kept(&next, 5), kept(&next, 6)};
	ho_status st = ho_handover_set(app->db, next.handover_id, next.version, &c);
	if (st == HO_OK)
		tui_message(app, "The cover of handover %lld is saved.",
		            (long long)next.handover_id);
	else
		tui_error_status(app, st);
	tui_pending_free(&next);
	return reloaded(app);
}

static tui_req handover_step(tui_app *app, tui_pending *p, const char *text, int choice)
{
	if (p->cmd == TUI_CMD_HANDOVER_TARGET && !date_ok(app, text, TARGET_LABEL, p))
		return redraw();
	tui_pending next = *p;
	memset(p, 0, sizeof *p);
	switch (next.cmd) {
	case TUI_CMD_HANDOVER_TITLE: {
		char *t = trim(text);
		int empty = !t || !t[0];
		free(t);
		if (empty) {
			tui_pending_free(&next);
			tui_message(app, "Cancelled: no title.");
			return redraw();
		}
		keep(&next, text);
		next.cmd = TUI_CMD_HANDOVER_TEMPLATE;
		static const char *const starts[] = {
		    "empty: add its functions and items yourself",
		    "from the pod template (ten functions and their items)"};
		tui_prompt_menu(app, "Start the handover", starts, 2, 0, next);
		return redraw();
	}
	case TUI_CMD_HANDOVER_TEMPLATE:
		next.format = choice; /* 1: the pod template */
		next.cmd = TUI_CMD_HANDOVER_TARGET;
		tui_prompt_text(app, TARGET_LABEL, "", next);
		return redraw();
	case TUI_CMD_HANDOVER_TARGET: {
		int64_t id = 0;
		ho_status st = ho_handover_add_with(app->db, kept(&next, 0), NULL, NULL, NULL, text,
		                                    NULL, next.format == 1, &id);
		if (st == HO_OK)
			tui_message(app, "Added handover %lld%s.", (long long)id,
			            next.format == 1 ? " from the pod template"
			                             : "; open it and add functions with F");
		else
			tui_error_status(app, st);
		tui_pending_free(&next);
		return reloaded(app);
	}
	default:
		tui_pending_free(&next);
		return redraw();
	}
}

/* ---- the checklist: functions ------------------------------------------------- */

tui_req tui_function_add(tui_app *app, int64_t handover_id)
{
	if (lead_only(app, "adds functions"))
		return redraw();
	tui_pending p = {0};
	p.cmd = TUI_CMD_FUNCTION_CODE;
	p.handover_id = handover_id;
	tui_prompt_text(app, "Code of the new function (2-8 capitals or digits, like FIN):", "", p);
	return redraw();
}

tui_req tui_function_edit(tui_app *app, const ho_function *f)
{
	if (lead_only(app, "renames functions"))
		return redraw();
	tui_pending p = {0};
	p.cmd = TUI_CMD_FUNCTION_NAME;
	p.function_id = f->id;
	p.version = f->version;
	tui_fmt(p.code, sizeof p.code, "%s", f->code);
	char label[160];
	tui_fmt(label, sizeof label, "Name of %s:", f->code);
	tui_prompt_text(app, label, f->name, p);
	return redraw();
}

tui_req tui_function_retire(tui_app *app, const ho_function *f)
{
	if (lead_only(app, "withdraws functions"))
		return redraw();
	tui_pending p = {0};
	p.cmd = TUI_CMD_FUNCTION_RETIRE;
	p.function_id = f->id;
	tui_fmt(p.code, sizeof p.code, "%s", f->code);
	char label[200];
	tui_fmt(label, sizeof label,
	        "Why is %s withdrawn? (it leaves the counts and documents; u undoes)", f->code);
	tui_prompt_text(app, label, "", p);
	return redraw();
}

tui_req tui_function_move(tui_app *app, const ho_function *f, int64_t before_id)
{
	if (lead_only(app, "reorders functions"))
		return redraw();
	ho_status st = ho_function_move(app->db, f->id, before_id);
	if (st == HO_OK) {
		char *code = tui_clean(f->code);
		tui_message(app, "%s moved (u undoes).", code ? code : "");
		free(code);
	} else {
		tui_error_status(app, st);
	}
	return reloaded(app);
}

static tui_req function_step(tui_app *app, tui_pending *p, const char *text)
{
	tui_pending next = *p;
	memset(p, 0, sizeof *p);
	ho_status st = HO_OK;
	char *code = tui_clean(next.code);
	switch (next.cmd) {
	case TUI_CMD_FUNCTION_CODE: {
		char *c = trim(text);
		if (c)
			for (char *q = c; *q; q++)
				if (*q >= 'a' && *q <= 'z')
					*q = (char)(*q - 'a' + 'A');
		tui_fmt(next.code, sizeof next.code, "%s", c ? c : "");
		free(c);
		next.cmd = TUI_CMD_FUNCTION_NAME_NEW;
		char label[120];
		char *shown = tui_clean(next.code);
		tui_fmt(label, sizeof label, "Name of %s (like Finance):", shown ? shown : "");
		free(shown);
		free(code);
		tui_prompt_text(app, label, "", next);
		return redraw();
	}
	case TUI_CMD_FUNCTION_NAME_NEW:
		st = ho_function_add(app->db, next.handover_id, next.code, text, NULL, NULL);
		if (st == HO_OK)
			tui_message(app, "Added function %s.", code ? code : "");
		break;
	case TUI_CMD_FUNCTION_NAME:
		st = ho_function_edit(app->db, next.function_id, next.version, text, NULL);
		if (st == HO_OK)
			tui_message(app, "%s renamed.", code ? code : "");
		break;
	case TUI_CMD_FUNCTION_RETIRE:
		st = ho_function_retire(app->db, next.function_id, text);
		if (st == HO_OK)
			tui_message(app, "%s withdrawn (u undoes).", code ? code : "");
		break;
	default:
		break;
	}
	if (st != HO_OK)
		tui_error_status(app, st);
	free(code);
	tui_pending_free(&next);
	return reloaded(app);
}

/* ---- the checklist: items --------------------------------------------------------- */

tui_req tui_item_add(tui_app *app, const ho_function *f)
{
	if (lead_only(app, "adds items"))
		return redraw();
	if (!f) {
		tui_error(app, "Open a function's checklist first.");
		return redraw();
	}
	tui_pending p = {0};
	p.cmd = TUI_CMD_ITEM_TITLE_NEW;
	p.function_id = f->id;
	char label[160];
	tui_fmt(label, sizeof label, "Title of the new item in %s:", f->code);
	tui_prompt_text(app, label, "", p);
	return redraw();
}

#define ITEM_DUE_LABEL "Due date (2026-12-15 or 15/12/2026; empty: the function's):"

tui_req tui_item_edit(tui_app *app, const ho_item *it, int due)
{
	if (lead_only(app, due ? "sets due dates" : "edits items"))
		return redraw();
	if (!it) {
		tui_error(app, "No item selected.");
		return redraw();
	}
	tui_pending p = {0};
	p.cmd = due ? TUI_CMD_ITEM_DUE : TUI_CMD_ITEM_TITLE;
	p.item_id = it->id;
	p.version = it->version;
	tui_fmt(p.ref, sizeof p.ref, "%s", it->ref);
	char label[200];
	if (due)
		tui_fmt(label, sizeof label, "%s: " ITEM_DUE_LABEL, it->ref);
	else
		tui_fmt(label, sizeof label,
		        "Title of %s (new text goes back to the receiver):", it->ref);
	if (!due && !keep(&p, it->guidance)) {
		tui_pending_free(&p);
		tui_error(app, "out of memory");
		return redraw();
	}
	tui_prompt_text(app, label, due ? (it->own_due ? it->own_due : "") : it->title, p);
	return redraw();
}

tui_req tui_item_retire(tui_app *app, const ho_item *it)
{
	if (lead_only(app, "withdraws items"))
		return redraw();
	if (!it) {
		tui_error(app, "No item selected.");
		return redraw();
	}
	tui_pending p = {0};
	p.cmd = TUI_CMD_ITEM_RETIRE;
	p.item_id = it->id;
	p.version = it->version;
	tui_fmt(p.ref, sizeof p.ref, "%s", it->ref);
	char label[200];
	tui_fmt(label, sizeof label, "Why is %s withdrawn? (u undoes)", it->ref);
	tui_prompt_text(app, label, "", p);
	return redraw();
}

tui_req tui_item_move(tui_app *app, const ho_item *it, int64_t before_id)
{
	if (lead_only(app, "reorders items"))
		return redraw();
	if (!it)
		return redraw();
	ho_status st = ho_item_move(app->db, it->id, before_id);
	if (st == HO_OK)
		tui_message(app, "%s moved (u undoes).", it->ref);
	else
		tui_error_status(app, st);
	return reloaded(app);
}

static tui_req item_step(tui_app *app, tui_pending *p, const char *text)
{
	char label[200];
	if (p->cmd == TUI_CMD_ITEM_DUE || p->cmd == TUI_CMD_ITEM_DUE_NEW) {
		tui_fmt(label, sizeof label, "%s: " ITEM_DUE_LABEL, p->ref);
		if (!date_ok(app, text, p->cmd == TUI_CMD_ITEM_DUE ? label : ITEM_DUE_LABEL, p))
			return redraw();
	}
	tui_pending next = *p;
	memset(p, 0, sizeof *p);
	ho_status st = HO_OK;
	switch (next.cmd) {
	case TUI_CMD_ITEM_TITLE_NEW: {
		char *t = trim(text);
		int empty = !t || !t[0];
		free(t);
		if (empty) {
			tui_pending_free(&next);
			tui_message(app, "Cancelled: no title.");
			return redraw();
		}
		keep(&next, text);
		next.cmd = TUI_CMD_ITEM_DUE_NEW;
		tui_prompt_text(app, ITEM_DUE_LABEL, "", next);
		return redraw();
	}
	case TUI_CMD_ITEM_DUE_NEW: {
		int64_t id = 0;
		st = ho_item_add(app->db, next.function_id, kept(&next, 0), "", text, &id);
		ho_item it = {0};
		if (st == HO_OK && ho_item_get(app->db, id, &it) == HO_OK)
			tui_message(app, "Added %s (u undoes).", it.ref);
		ho_item_clear(&it);
		break;
	}
	case TUI_CMD_ITEM_TITLE:
		/* Then its guidance, from what it says now; both saved as one. */
		keep(&next, text);
		next.cmd = TUI_CMD_ITEM_GUIDANCE;
		tui_fmt(label, sizeof label, "Guidance for %s (optional):", next.ref);
		tui_prompt_text(app, label, kept(&next, 0), next);
		return redraw();
	case TUI_CMD_ITEM_GUIDANCE:
		st = ho_item_edit(app->db, next.item_id, next.version, kept(&next, 1), text, NULL);
		if (st == HO_OK)
			tui_message(app, "%s edited (u undoes).", next.ref);
		break;
	case TUI_CMD_ITEM_DUE:
		st = ho_item_edit(app->db, next.item_id, next.version, NULL, NULL, text);
		if (st == HO_OK)
			tui_message(app, "%s: due date saved.", next.ref);
		break;
	case TUI_CMD_ITEM_RETIRE:
		st = ho_item_retire(app->db, next.item_id, next.version, text);
		if (st == HO_OK)
			tui_message(app, "%s withdrawn (u undoes).", next.ref);
		break;
	default:
		break;
	}
	if (st != HO_OK)
		tui_error_status(app, st);
	tui_pending_free(&next);
	return reloaded(app);
}

tui_req tui_setup_finish(tui_app *app, tui_pending *p, const char *text, int choice)
{
	switch (p->cmd) {
	case TUI_CMD_HANDOVER_TITLE:
	case TUI_CMD_HANDOVER_TEMPLATE:
	case TUI_CMD_HANDOVER_TARGET:
		return handover_step(app, p, text ? text : "", choice);
	case TUI_CMD_COVER:
		return cover_step(app, p, text ? text : "");
	case TUI_CMD_HANDOVER_CLOSE:
	case TUI_CMD_HANDOVER_REOPEN: {
		int close = p->cmd == TUI_CMD_HANDOVER_CLOSE;
		ho_status st = close ? ho_handover_close(app->db, p->handover_id, text)
		                     : ho_handover_reopen(app->db, p->handover_id);
		if (st == HO_OK)
			tui_message(app, "Handover %lld %s.", (long long)p->handover_id,
			            close ? "closed (C reopens it)" : "reopened");
		else
			tui_error_status(app, st);
		return reloaded(app);
	}
	case TUI_CMD_FUNCTION_CODE:
	case TUI_CMD_FUNCTION_NAME_NEW:
	case TUI_CMD_FUNCTION_NAME:
	case TUI_CMD_FUNCTION_RETIRE:
		return function_step(app, p, text ? text : "");
	default:
		return item_step(app, p, text ? text : "");
	}
}
