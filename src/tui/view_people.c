/* People and pairs: who is in the file, and for every function its sender,
 * receiver and due date. Leads add people, choose pairs and set due dates
 * here; everything goes through the core's rules (roles, signed functions,
 * dates), and what it refuses is said on the bottom line. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "handover/terminal.h"
#include "view_common.h"

enum row_kind {
	ROW_PEOPLE_HEADING,
	ROW_PEOPLE_COLUMNS,
	ROW_PERSON,
	ROW_BLANK,
	ROW_PAIRS_HEADING,
	ROW_PAIRS_COLUMNS,
	ROW_FUNCTION
};

struct row {
	enum row_kind kind;
	size_t index;
};

struct people {
	ho_person *people;
	size_t npeople;
	ho_function *functions;
	size_t nfunctions;
	ho_handover *handovers;
	size_t nhandovers;
	struct row *rows;
	int login_w, name_w, org_w, job_w, roles_w, function_w, sender_w, receiver_w;
};

static int people_init(tui_view *v, tui_app *app)
{
	(void)app;
	v->data = calloc(1, sizeof(struct people));
	return v->data ? 0 : -1;
}

static void people_clear(struct people *p)
{
	ho_person_free(p->people, p->npeople);
	ho_function_free(p->functions, p->nfunctions);
	ho_handover_free(p->handovers, p->nhandovers);
	free(p->rows);
	memset(p, 0, sizeof *p);
}

static void people_done(tui_view *v)
{
	people_clear(v->data);
	free(v->data);
}

static int64_t row_id(const struct people *p, const struct row *r)
{
	if (r->kind == ROW_PERSON)
		return p->people[r->index].id;
	if (r->kind == ROW_FUNCTION)
		return p->functions[r->index].id;
	return 0;
}

static const char *service_of(const struct people *p, int64_t handover_id);

static int widest(int a, int b)
{
	return a > b ? a : b;
}

/* Every role a person holds; a leaver says so instead of acting. */
static void roles_text(const ho_person *q, char *buf, size_t size)
{
	if (q->left_at)
		tui_fmt(buf, size, "left");
	else
		ho_roles_format(q->roles, buf, size);
}

/* Columns as wide as what they hold, measured once per load. */
static void measure(struct people *p)
{
	p->login_w = p->name_w = p->org_w = p->function_w = p->sender_w = p->receiver_w = 0;
	p->job_w = p->roles_w = 0;
	for (size_t i = 0; i < p->npeople; i++) {
		char roles[80];
		roles_text(&p->people[i], roles, sizeof roles);
		p->login_w = widest(p->login_w, tui_user_width(p->people[i].login));
		p->name_w = widest(p->name_w, tui_user_width(p->people[i].name));
		p->org_w = widest(p->org_w, tui_user_width(p->people[i].org));
		p->job_w = widest(p->job_w, tui_user_width(p->people[i].job_title));
		p->roles_w = widest(p->roles_w, ho_text_width(roles));
	}
	for (size_t i = 0; i < p->nfunctions; i++) {
		const ho_function *f = &p->functions[i];
		int w = tui_user_width(service_of(p, f->handover_id)) + 6 + tui_user_width(f->name);
		p->function_w = widest(p->function_w, w);
		p->sender_w = widest(p->sender_w, tui_user_width(f->sender_name));
		p->receiver_w = widest(p->receiver_w, tui_user_width(f->receiver_name));
	}
}

static int people_selectable(tui_view *v, int row);

static ho_status people_load(tui_view *v, tui_app *app)
{
	struct people *p = v->data;
	enum row_kind kind = ROW_FUNCTION;
	int64_t id = v->select;
	if (!id && p->rows && v->list.count > 0) {
		kind = p->rows[v->list.sel].kind;
		id = row_id(p, &p->rows[v->list.sel]);
	}
	/* Read everything first: when the file cannot be read (busy, gone)
	 * the screen keeps what it showed. */
	struct people next = {0};
	ho_status st = ho_people_list(app->db, &next.people, &next.npeople);
	if (st == HO_OK)
		st = ho_functions_list(app->db, 0, &next.functions, &next.nfunctions);
	if (st == HO_OK)
		st = ho_handovers_list(app->db, &next.handovers, &next.nhandovers);
	if (st == HO_OK &&
	    !(next.rows = calloc(next.npeople + next.nfunctions + 5, sizeof *next.rows)))
		st = HO_ENOMEM;
	if (st != HO_OK) {
		people_clear(&next);
		return st;
	}
	people_clear(p);
	*p = next;
	measure(p);
	int n = 0;
	p->rows[n++] = (struct row){ROW_PEOPLE_HEADING, 0};
	p->rows[n++] = (struct row){ROW_PEOPLE_COLUMNS, 0};
	for (size_t i = 0; i < p->npeople; i++)
		p->rows[n++] = (struct row){ROW_PERSON, i};
	p->rows[n++] = (struct row){ROW_BLANK, 0};
	p->rows[n++] = (struct row){ROW_PAIRS_HEADING, 0};
	p->rows[n++] = (struct row){ROW_PAIRS_COLUMNS, 0};
	for (size_t i = 0; i < p->nfunctions; i++)
		p->rows[n++] = (struct row){ROW_FUNCTION, i};
	v->list.count = n;
	int found = -1;
	for (int i = 0; id && i < n; i++)
		if (p->rows[i].kind == kind && row_id(p, &p->rows[i]) == id)
			found = i;
	if (found >= 0)
		v->list.sel = found;
	if (v->list.sel >= n)
		v->list.sel = n - 1;
	/* Off the headings: down to the next row that can be selected, else up. */
	while (v->list.sel < n - 1 && !people_selectable(v, v->list.sel))
		v->list.sel++;
	while (v->list.sel > 0 && !people_selectable(v, v->list.sel))
		v->list.sel--;
	tui_list_fix(&v->list);
	return HO_OK;
}

static int people_selectable(tui_view *v, int row)
{
	struct people *p = v->data;
	return p->rows && (p->rows[row].kind == ROW_PERSON || p->rows[row].kind == ROW_FUNCTION);
}

enum { P_LOGIN, P_NAME, P_ROLE, P_JOB, P_ORG, P__N };
enum { F_FUNCTION, F_SENDER, F_RECEIVER, F_DUE, F__N };

static const char *service_of(const struct people *p, int64_t handover_id)
{
	if (p->nhandovers < 2)
		return "";
	for (size_t i = 0; i < p->nhandovers; i++)
		if (p->handovers[i].id == handover_id)
			return p->handovers[i].service[0] ? p->handovers[i].service
			                                  : p->handovers[i].title;
	return "";
}

static void people_draw(tui_view *v, tui_app *app, WINDOW *w)
{
	(void)app;
	struct people *p = v->data;
	int height = getmaxy(w), width = getmaxx(w);
	struct tui_col pc[P__N] = {
	    [P_LOGIN] = {.title = "Login", .width = 14, .prio = 1},
	    [P_NAME] = {.title = "Name", .min = 12, .weight = 3, .prio = 1},
	    [P_ROLE] = {.title = "Roles", .width = 14, .prio = 1},
	    [P_JOB] = {.title = "Job title", .min = 10, .weight = 2, .prio = 3},
	    [P_ORG] = {.title = "Organisation", .min = 10, .weight = 3, .prio = 2},
	};
	struct tui_col fc[F__N] = {
	    [F_FUNCTION] = {.title = "Function", .min = 12, .weight = 3, .prio = 1},
	    [F_SENDER] = {.title = "Sender", .min = 10, .weight = 2, .prio = 1},
	    [F_RECEIVER] = {.title = "Receiver", .min = 10, .weight = 2, .prio = 1},
	    [F_DUE] = {.title = "Due", .width = 10, .prio = 2},
	};
	int login_room = width / 4 > 8 ? width / 4 : 8;
	pc[P_LOGIN].width = p->login_w < 6 ? 6 : p->login_w > login_room ? login_room : p->login_w;
	pc[P_NAME].max = widest(p->name_w, 12);
	pc[P_ORG].max = widest(p->org_w, 12);
	pc[P_ROLE].width = p->roles_w < 5 ? 5 : p->roles_w;
	pc[P_JOB].max = widest(p->job_w, 10);
	fc[F_FUNCTION].max = widest(p->function_w, 20);
	fc[F_SENDER].max = widest(p->sender_w, 10);
	fc[F_RECEIVER].max = widest(p->receiver_w, 10);
	tui_cols_layout(pc, P__N, width - 1);
	tui_cols_layout(fc, F__N, width - 1);
	for (int i = 0; i < P__N; i++)
		pc[i].x += 1;
	for (int i = 0; i < F__N; i++)
		fc[i].x += 1;
	v->list.y0 = 0;
	v->list.height = height;
	tui_list_fix(&v->list);
	attr_t sa = tui_attr(TUI_C_SELECTED);
	char buf[600];
	for (int i = 0; i < height && v->list.top + i < v->list.count; i++) {
		int r = v->list.top + i, sel = r == v->list.sel;
		const struct row *row = &p->rows[r];
		if (sel)
			tui_fill(w, i, 0, width, sa);
		switch (row->kind) {
		case ROW_PEOPLE_HEADING:
			tui_fmt(buf, sizeof buf, "People (%zu)", p->npeople);
			tui_put(w, i, 1, width - 1, tui_attr(TUI_C_GROUP), buf, 0);
			break;
		case ROW_PEOPLE_COLUMNS:
			tui_cols_header(w, i, pc, P__N);
			break;
		case ROW_BLANK:
			break;
		case ROW_PERSON: {
			const ho_person *q = &p->people[row->index];
			tui_put_user(w, i, pc[P_LOGIN].x, pc[P_LOGIN].w, sel ? sa : 0, q->login, 0);
			tui_put_user(w, i, pc[P_NAME].x, pc[P_NAME].w, sel ? sa : 0, q->name, 0);
			char roles[80];
			roles_text(q, roles, sizeof roles);
			tui_put(w, i, pc[P_ROLE].x, pc[P_ROLE].w, sel ? sa : tui_attr(TUI_C_MUTED),
			        roles, 0);
			if (pc[P_JOB].w)
				tui_put_user(w, i, pc[P_JOB].x, pc[P_JOB].w, sel ? sa : 0,
				             q->job_title, 0);
			if (pc[P_ORG].w)
				tui_put_user(w, i, pc[P_ORG].x, pc[P_ORG].w, sel ? sa : 0, q->org,
				             0);
			break;
		}
		case ROW_PAIRS_HEADING:
			tui_fmt(buf, sizeof buf, "Pairs and due dates (%zu functions)",
			        p->nfunctions);
			tui_put(w, i, 1, width - 1, tui_attr(TUI_C_GROUP), buf, 0);
			break;
		case ROW_PAIRS_COLUMNS:
			tui_cols_header(w, i, fc, F__N);
			break;
		case ROW_FUNCTION: {
			const ho_function *f = &p->functions[row->index];
			char *where = tui_clean(service_of(p, f->handover_id));
			char *code = tui_clean(f->code), *name = tui_clean(f->name);
			tui_fmt(buf, sizeof buf, "%s%s%-4s %s", where, where[0] ? " " : "", code,
			        name);
			free(where);
			free(code);
			free(name);
			tui_put(w, i, fc[F_FUNCTION].x, fc[F_FUNCTION].w, sel ? sa : 0, buf, 0);
			if (f->sender_id)
				tui_put_user(w, i, fc[F_SENDER].x, fc[F_SENDER].w, sel ? sa : 0,
				             f->sender_name, 0);
			else
				tui_put(w, i, fc[F_SENDER].x, fc[F_SENDER].w,
				        sel ? sa : tui_attr(TUI_C_GAP), "none", 0);
			if (f->receiver_id)
				tui_put_user(w, i, fc[F_RECEIVER].x, fc[F_RECEIVER].w, sel ? sa : 0,
				             f->receiver_name, 0);
			else
				tui_put(w, i, fc[F_RECEIVER].x, fc[F_RECEIVER].w,
				        sel ? sa : tui_attr(TUI_C_GAP), "none", 0);
			if (fc[F_DUE].w)
				tui_put_user(w, i, fc[F_DUE].x, fc[F_DUE].w,
				             sel ? sa : tui_attr(TUI_C_MUTED),
				             f->due_date[0] ? f->due_date : "-", 0);
			break;
		}
		}
	}
}

static const ho_function *selected_function(tui_view *v)
{
	struct people *p = v->data;
	if (!p->rows || v->list.count == 0 || p->rows[v->list.sel].kind != ROW_FUNCTION)
		return NULL;
	return &p->functions[p->rows[v->list.sel].index];
}

static const ho_person *selected_person(tui_view *v)
{
	struct people *p = v->data;
	if (!p->rows || v->list.count == 0 || p->rows[v->list.sel].kind != ROW_PERSON)
		return NULL;
	return &p->people[p->rows[v->list.sel].index];
}

static tui_req people_handle(tui_view *v, tui_app *app, enum tui_action a)
{
	const ho_function *f = selected_function(v);
	tui_req r = tui_req_make(TUI_REQ_REDRAW);
	switch (a) {
	case TUI_ACT_OPEN:
		if (f) {
			r.what = TUI_REQ_OPEN;
			r.open = &tui_checklist_view;
			r.id = f->id;
		}
		return r;
	case TUI_ACT_ADD_PERSON:
		return tui_add_person(app);
	case TUI_ACT_SET_SENDER:
		return tui_choose_pair(app, f, HO_ROLE_SENDER);
	case TUI_ACT_SET_RECEIVER:
		return tui_choose_pair(app, f, HO_ROLE_RECEIVER);
	case TUI_ACT_SET_DUE:
		return tui_set_due(app, f);
	case TUI_ACT_EDIT_PERSON:
		return tui_person_edit(app, selected_person(v));
	case TUI_ACT_LEAVE_PERSON:
		return tui_person_leave(app, selected_person(v));
	default:
		return tui_req_make(TUI_REQ_NONE);
	}
}

static int people_offers(tui_view *v, tui_app *app, enum tui_action a)
{
	int lead = ho_is_lead(app->db) && !ho_read_only(app->db);
	const ho_function *f = selected_function(v);
	switch (a) {
	case TUI_ACT_OPEN:
		return f != NULL;
	case TUI_ACT_ADD_PERSON:
		return lead;
	case TUI_ACT_SET_SENDER:
	case TUI_ACT_SET_RECEIVER:
		return lead && f && !f->sender_signed_at && !f->receiver_signed_at;
	case TUI_ACT_SET_DUE:
		return lead && f;
	case TUI_ACT_EDIT_PERSON:
	case TUI_ACT_LEAVE_PERSON: {
		const ho_person *q = selected_person(v);
		return lead && q && !q->left_at;
	}
	default:
		return 0;
	}
}

static void people_title(tui_view *v, tui_app *app, char *buf, size_t size)
{
	struct people *p = v->data;
	tui_fmt(buf, size, "People and pairs: %zu people, %zu functions%s", p->npeople,
	        p->nfunctions, ho_is_lead(app->db) ? "" : " (a lead changes these)");
}

static char *people_row_text(tui_view *v, tui_app *app, int row)
{
	(void)app;
	struct people *p = v->data;
	const struct row *r = &p->rows[row];
	char *out = NULL;
	int rc = -1;
	if (r->kind == ROW_PERSON) {
		const ho_person *q = &p->people[r->index];
		char roles[80];
		roles_text(q, roles, sizeof roles);
		rc = asprintf(&out, "%s %s %s %s %s", q->login, q->name, roles, q->job_title,
		              q->org);
	} else if (r->kind == ROW_FUNCTION) {
		const ho_function *f = &p->functions[r->index];
		rc = asprintf(&out, "%s %s %s %s %s", f->code, f->name, f->sender_name,
		              f->receiver_name, service_of(p, f->handover_id));
	}
	return rc < 0 ? NULL : out;
}

/* People are counted among people, functions among functions: "2/4
 * people", never a count of headings and blank lines. */
static void people_position(tui_view *v, char *buf, size_t size)
{
	struct people *p = v->data;
	if (!people_selectable(v, v->list.sel)) {
		buf[0] = '\0';
		return;
	}
	enum row_kind kind = p->rows[v->list.sel].kind;
	int at = 0, of = 0;
	for (int r = 0; r < v->list.count; r++)
		if (p->rows[r].kind == kind) {
			of++;
			at += r <= v->list.sel;
		}
	tui_fmt(buf, size, "%d/%d %s", at, of,
	        kind == ROW_PERSON ? (of == 1 ? "person" : "people")
	                           : (of == 1 ? "function" : "functions"));
}

const struct tui_view_ops tui_people_view = {
    .position = people_position,
    .name = "people",
    .screen = TUI_SCR_PEOPLE,
    .init = people_init,
    .load = people_load,
    .draw = people_draw,
    .handle = people_handle,
    .offers = people_offers,
    .title = people_title,
    .row_text = people_row_text,
    .selectable = people_selectable,
    .done = people_done,
};
