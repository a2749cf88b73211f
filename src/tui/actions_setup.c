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

static int blank(const char *s)
{
	char *t = trim(s);
	int empty = !t || !t[0];
	free(t);
	return empty;
}

/* Replace a kept answer with `text`, trimmed; 0 when out of memory. */
static int keep(char **slot, const char *text)
{
	char *t = trim(text);
	if (!t)
		return 0;
	free(*slot);
	*slot = t;
	return 1;
}

static void *alloc_or_say(tui_app *app, size_t size)
{
	void *p = calloc(1, size);
	if (!p)
		tui_error(app, "out of memory");
	return p;
}

/* A date answer: "" or a date in a form we take. When not, the same
 * question is asked again (the same continuation and ctx), the text kept
 * and the question saying what we expect: the prompt's own line says it,
 * as a message would sit under it. */
static int date_ok(tui_app *app, const char *text, const char *ref, tui_answer_fn again, void *ctx,
                   tui_ctx_free_fn ctx_free)
{
	char iso[11];
	if (!text[0] || ho_date_parse_user(text, iso) == 0)
		return 1;
	char *clean = tui_clean(text);
	char label[256];
	tui_fmt(label, sizeof label, "%s%s'%.40s' is not a date: type %s, or nothing:", ref,
	        ref[0] ? ": " : "", clean ? clean : "", HO_DATE_EXPECTED);
	free(clean);
	tui_prompt_text(app, label, text, TUI_MAX_DATE, again, ctx, ctx_free);
	return 0;
}

/* ---- the dashboard: handovers ------------------------------------------------ */

/* A new handover, asked one answer at a time. */
struct handover_draft {
	char *title;
	int from_template;
};

static void handover_draft_free(void *ctx)
{
	struct handover_draft *d = ctx;
	free(d->title);
	free(d);
}

#define TARGET_LABEL "Target date (2026-12-15 or 15/12/2026; empty: none):"

static tui_req handover_target_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct handover_draft *d = ctx;
	if (!date_ok(app, text, "", handover_target_answer, d, handover_draft_free))
		return redraw();
	int64_t id = 0;
	ho_status st = ho_handover_add_with(app->db, d->title, NULL, NULL, NULL, text, NULL,
	                                    d->from_template, &id);
	if (st == HO_OK)
		tui_message(app, "Added handover %lld%s.", (long long)id,
		            d->from_template ? " from the pod template"
		                             : "; open it and add functions with F");
	else
		tui_error_status(app, st);
	return reloaded(app);
}

static tui_req handover_template_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)text;
	struct handover_draft *d = ctx;
	d->from_template = choice == 1;
	tui_prompt_text(app, TARGET_LABEL, "", TUI_MAX_DATE, handover_target_answer, d,
	                handover_draft_free);
	return redraw();
}

static tui_req handover_title_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct handover_draft *d = ctx;
	if (blank(text)) {
		tui_message(app, "Cancelled: no title.");
		return redraw();
	}
	if (!keep(&d->title, text)) {
		tui_error(app, "out of memory");
		return redraw();
	}
	static const char *const starts[] = {
	    "empty: add its functions and items yourself",
	    "from the pod template (ten functions and their items)"};
	tui_prompt_menu(app, "Start the handover", starts, 2, 0, handover_template_answer, d,
	                handover_draft_free);
	return redraw();
}

tui_req tui_handover_new(tui_app *app)
{
	if (lead_only(app, "adds handovers"))
		return redraw();
	struct handover_draft *d = alloc_or_say(app, sizeof *d);
	if (d)
		tui_prompt_text(app, "Title of the new handover:", "", HO_MAX_NAME,
		                handover_title_answer, d, handover_draft_free);
	return redraw();
}

/* The cover, field by field in this order; each answer replaces one. */
static const struct {
	const char *label;
	size_t max; /* the core's limit */
} cover_fields[] = {
    {"Title:", HO_MAX_NAME},
    {"Service (Dental, Optometry, ...):", HO_MAX_NAME},
    {"Sending organisation:", HO_MAX_NAME},
    {"Receiving organisation:", HO_MAX_NAME},
    {TARGET_LABEL, TUI_MAX_DATE},
    {"Marking printed on every page (OFFICIAL, OFFICIAL-SENSITIVE):", 80},
    {"Distribution (who receives the documents):", HO_MAX_NAME * 4},
};
enum { COVER_TARGET = 4, COVER__N = sizeof cover_fields / sizeof cover_fields[0] };

struct cover_draft {
	int64_t handover_id, version;
	int field; /* the one being asked */
	char *now[COVER__N];
};

static void cover_draft_free(void *ctx)
{
	struct cover_draft *d = ctx;
	for (int i = 0; i < COVER__N; i++)
		free(d->now[i]);
	free(d);
}

static tui_req cover_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct cover_draft *d = ctx;
	if (d->field == COVER_TARGET && !date_ok(app, text, "", cover_answer, d, cover_draft_free))
		return redraw();
	if (!keep(&d->now[d->field], text)) {
		tui_error(app, "out of memory");
		return redraw();
	}
	if (++d->field < COVER__N) {
		tui_prompt_text(app, cover_fields[d->field].label, d->now[d->field],
		                cover_fields[d->field].max, cover_answer, d, cover_draft_free);
		return redraw();
	}
	ho_cover c = {d->now[0], d->now[1], d->now[2], d->now[3], d->now[4], d->now[5], d->now[6]};
	ho_status st = ho_handover_set(app->db, d->handover_id, d->version, &c);
	if (st == HO_OK)
		tui_message(app, "The cover of handover %lld is saved.", (long long)d->handover_id);
	else
		tui_error_status(app, st);
	return reloaded(app);
}

tui_req tui_cover_edit(tui_app *app, const ho_handover *h)
{
	if (lead_only(app, "edits a handover's cover"))
		return redraw();
	if (!h) {
		tui_error(app, "Select a handover first.");
		return redraw();
	}
	struct cover_draft *d = alloc_or_say(app, sizeof *d);
	if (!d)
		return redraw();
	d->handover_id = h->id;
	d->version = h->version;
	const char *now[COVER__N] = {h->title,
	                             h->service,
	                             h->sender_org,
	                             h->receiver_org,
	                             h->target_date,
	                             h->marking ? h->marking : "OFFICIAL",
	                             h->distribution ? h->distribution : ""};
	for (int i = 0; i < COVER__N; i++)
		if (!keep(&d->now[i], now[i])) {
			cover_draft_free(d);
			tui_error(app, "out of memory");
			return redraw();
		}
	tui_prompt_text(app, cover_fields[0].label, d->now[0], cover_fields[0].max, cover_answer, d,
	                cover_draft_free);
	return redraw();
}

/* A handover closed or reopened. */
struct handover_pick {
	int64_t handover_id;
	int close;
};

static tui_req handover_close_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	const struct handover_pick *hp = ctx;
	ho_status st = hp->close ? ho_handover_close(app->db, hp->handover_id, text)
	                         : ho_handover_reopen(app->db, hp->handover_id);
	if (st == HO_OK)
		tui_message(app, "Handover %lld %s.", (long long)hp->handover_id,
		            hp->close ? "closed (C reopens it)" : "reopened");
	else
		tui_error_status(app, st);
	return reloaded(app);
}

tui_req tui_handover_close(tui_app *app, const ho_handover *h)
{
	if (lead_only(app, "closes and reopens handovers"))
		return redraw();
	if (!h) {
		tui_error(app, "Select a handover first.");
		return redraw();
	}
	struct handover_pick *hp = alloc_or_say(app, sizeof *hp);
	if (!hp)
		return redraw();
	hp->handover_id = h->id;
	hp->close = !h->closed_at;
	char label[200];
	if (h->closed_at) {
		tui_fmt(label, sizeof label, "Reopen handover %lld?", (long long)h->id);
		tui_prompt_confirm(app, label, handover_close_answer, hp, free);
	} else {
		tui_fmt(label, sizeof label,
		        "Why is handover %lld closed? (read-only until a lead reopens it)",
		        (long long)h->id);
		tui_prompt_text(app, label, "", HO_MAX_TEXT, handover_close_answer, hp, free);
	}
	return redraw();
}

/* ---- the checklist: functions ------------------------------------------------- */

/* A function being added, renamed or withdrawn. */
struct function_pick {
	int64_t handover_id, function_id, version;
	char code[24];
};

/* Said when it worked: before, the code, after ("Added function FIN."). */
static tui_req function_done(tui_app *app, ho_status st, const char *before, const char *code,
                             const char *after)
{
	if (st == HO_OK) {
		char *clean = tui_clean(code);
		tui_message(app, "%s%s%s", before, clean ? clean : "", after);
		free(clean);
	} else {
		tui_error_status(app, st);
	}
	return reloaded(app);
}

static tui_req function_name_new_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	const struct function_pick *fp = ctx;
	ho_status st = ho_function_add(app->db, fp->handover_id, fp->code, text, NULL, NULL);
	return function_done(app, st, "Added function ", fp->code, ".");
}

static tui_req function_code_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct function_pick *fp = ctx;
	char *c = trim(text);
	if (c)
		for (char *q = c; *q; q++)
			if (*q >= 'a' && *q <= 'z')
				*q = (char)(*q - 'a' + 'A');
	tui_fmt(fp->code, sizeof fp->code, "%s", c ? c : "");
	free(c);
	char label[120];
	char *shown = tui_clean(fp->code);
	tui_fmt(label, sizeof label, "Name of %s (like Finance):", shown ? shown : "");
	free(shown);
	tui_prompt_text(app, label, "", HO_MAX_NAME, function_name_new_answer, fp, free);
	return redraw();
}

tui_req tui_function_add(tui_app *app, int64_t handover_id)
{
	if (lead_only(app, "adds functions"))
		return redraw();
	struct function_pick *fp = alloc_or_say(app, sizeof *fp);
	if (!fp)
		return redraw();
	fp->handover_id = handover_id;
	tui_prompt_text(app, "Code of the new function (2-8 capitals or digits, like FIN):", "",
	                sizeof fp->code - 1, function_code_answer, fp, free);
	return redraw();
}

static struct function_pick *function_pick_new(tui_app *app, const ho_function *f)
{
	struct function_pick *fp = alloc_or_say(app, sizeof *fp);
	if (!fp)
		return NULL;
	fp->handover_id = f->handover_id;
	fp->function_id = f->id;
	fp->version = f->version;
	tui_fmt(fp->code, sizeof fp->code, "%s", f->code);
	return fp;
}

static tui_req function_name_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	const struct function_pick *fp = ctx;
	ho_status st = ho_function_edit(app->db, fp->function_id, fp->version, text, NULL);
	return function_done(app, st, "", fp->code, " renamed.");
}

tui_req tui_function_edit(tui_app *app, const ho_function *f)
{
	if (lead_only(app, "renames functions"))
		return redraw();
	struct function_pick *fp = function_pick_new(app, f);
	if (!fp)
		return redraw();
	char label[160];
	tui_fmt(label, sizeof label, "Name of %s:", f->code);
	tui_prompt_text(app, label, f->name, HO_MAX_NAME, function_name_answer, fp, free);
	return redraw();
}

static tui_req function_retire_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	const struct function_pick *fp = ctx;
	ho_status st = ho_function_retire(app->db, fp->function_id, text);
	return function_done(app, st, "", fp->code, " withdrawn (u undoes).");
}

tui_req tui_function_retire(tui_app *app, const ho_function *f)
{
	if (lead_only(app, "withdraws functions"))
		return redraw();
	struct function_pick *fp = function_pick_new(app, f);
	if (!fp)
		return redraw();
	char label[200];
	tui_fmt(label, sizeof label,
	        "Why is %s withdrawn? (it leaves the counts and documents; u undoes)", f->code);
	tui_prompt_text(app, label, "", HO_MAX_TEXT, function_retire_answer, fp, free);
	return redraw();
}

tui_req tui_function_move(tui_app *app, const ho_function *f, int64_t before_id)
{
	if (lead_only(app, "reorders functions"))
		return redraw();
	ho_status st = ho_function_move(app->db, f->id, before_id);
	return function_done(app, st, "", f->code, " moved (u undoes).");
}

/* ---- the checklist: items --------------------------------------------------------- */

/* An item being added, edited, dated or withdrawn. */
struct item_draft {
	int64_t function_id, item_id, version;
	char ref[HO_REF_SIZE];
	char *title, *guidance;
};

static void item_draft_free(void *ctx)
{
	struct item_draft *d = ctx;
	free(d->title);
	free(d->guidance);
	free(d);
}

#define ITEM_DUE_LABEL "Due date (2026-12-15 or 15/12/2026; empty: the function's):"

static tui_req item_due_new_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_draft *d = ctx;
	if (!date_ok(app, text, "", item_due_new_answer, d, item_draft_free))
		return redraw();
	int64_t id = 0;
	ho_status st = ho_item_add(app->db, d->function_id, d->title, "", text, &id);
	ho_item it = {0};
	if (st == HO_OK && ho_item_get(app->db, id, &it) == HO_OK)
		tui_message(app, "Added %s (u undoes).", it.ref);
	ho_item_clear(&it);
	if (st != HO_OK)
		tui_error_status(app, st);
	return reloaded(app);
}

static tui_req item_title_new_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_draft *d = ctx;
	if (blank(text)) {
		tui_message(app, "Cancelled: no title.");
		return redraw();
	}
	if (!keep(&d->title, text)) {
		tui_error(app, "out of memory");
		return redraw();
	}
	tui_prompt_text(app, ITEM_DUE_LABEL, "", TUI_MAX_DATE, item_due_new_answer, d,
	                item_draft_free);
	return redraw();
}

tui_req tui_item_add(tui_app *app, const ho_function *f)
{
	if (lead_only(app, "adds items"))
		return redraw();
	if (!f) {
		tui_error(app, "Open a function's checklist first.");
		return redraw();
	}
	struct item_draft *d = alloc_or_say(app, sizeof *d);
	if (!d)
		return redraw();
	d->function_id = f->id;
	char label[160];
	tui_fmt(label, sizeof label, "Title of the new item in %s:", f->code);
	tui_prompt_text(app, label, "", HO_MAX_NAME, item_title_new_answer, d, item_draft_free);
	return redraw();
}

static struct item_draft *item_draft_new(tui_app *app, const ho_item *it)
{
	struct item_draft *d = alloc_or_say(app, sizeof *d);
	if (!d)
		return NULL;
	d->function_id = it->function_id;
	d->item_id = it->id;
	d->version = it->version;
	tui_fmt(d->ref, sizeof d->ref, "%s", it->ref);
	return d;
}

/* Said when it worked: the ref, then `after` ("FIN-1 edited ..."). */
static tui_req item_done(tui_app *app, ho_status st, const struct item_draft *d, const char *after)
{
	if (st == HO_OK)
		tui_message(app, "%s%s", d->ref, after);
	else
		tui_error_status(app, st);
	return reloaded(app);
}

static tui_req item_guidance_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_draft *d = ctx;
	ho_status st = ho_item_edit(app->db, d->item_id, d->version, d->title, text, NULL);
	return item_done(app, st, d, " edited (u undoes).");
}

static tui_req item_title_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_draft *d = ctx;
	/* Then its guidance, from what it says now; both saved as one. */
	if (!keep(&d->title, text)) {
		tui_error(app, "out of memory");
		return redraw();
	}
	char label[200];
	tui_fmt(label, sizeof label, "Guidance for %s (optional):", d->ref);
	tui_prompt_note(app, label, d->guidance, HO_MAX_GUIDANCE, item_guidance_answer, d,
	                item_draft_free);
	return redraw();
}

static tui_req item_due_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_draft *d = ctx;
	if (!date_ok(app, text, d->ref, item_due_answer, d, item_draft_free))
		return redraw();
	ho_status st = ho_item_edit(app->db, d->item_id, d->version, NULL, NULL, text);
	return item_done(app, st, d, ": due date saved.");
}

tui_req tui_item_edit(tui_app *app, const ho_item *it, int due)
{
	if (lead_only(app, due ? "sets due dates" : "edits items"))
		return redraw();
	if (!it) {
		tui_error(app, "No item selected.");
		return redraw();
	}
	struct item_draft *d = item_draft_new(app, it);
	if (!d)
		return redraw();
	char label[200];
	if (due) {
		tui_fmt(label, sizeof label, "%s: " ITEM_DUE_LABEL, it->ref);
		tui_prompt_text(app, label, it->own_due ? it->own_due : "", TUI_MAX_DATE,
		                item_due_answer, d, item_draft_free);
		return redraw();
	}
	if (!keep(&d->guidance, it->guidance)) {
		item_draft_free(d);
		tui_error(app, "out of memory");
		return redraw();
	}
	tui_fmt(label, sizeof label, "Title of %s (new text goes back to the receiver):", it->ref);
	tui_prompt_text(app, label, it->title, HO_MAX_NAME, item_title_answer, d, item_draft_free);
	return redraw();
}

static tui_req item_retire_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	(void)choice;
	struct item_draft *d = ctx;
	ho_status st = ho_item_retire(app->db, d->item_id, d->version, text);
	return item_done(app, st, d, " withdrawn (u undoes).");
}

tui_req tui_item_retire(tui_app *app, const ho_item *it)
{
	if (lead_only(app, "withdraws items"))
		return redraw();
	if (!it) {
		tui_error(app, "No item selected.");
		return redraw();
	}
	struct item_draft *d = item_draft_new(app, it);
	if (!d)
		return redraw();
	char label[200];
	tui_fmt(label, sizeof label, "Why is %s withdrawn? (u undoes)", it->ref);
	tui_prompt_text(app, label, "", HO_MAX_TEXT, item_retire_answer, d, item_draft_free);
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
