/* handover-bench run: what a person waits for, measured on a copy of a
 * generated file.
 *
 * Each figure is measured in a child process of its own, so its peak
 * memory (ru_maxrss) is that operation's alone and one figure's caches do
 * not flatter the next. The screens run on a virtual terminal (newterm on
 * /dev/null), driven through curses' input queue exactly like the view
 * tests. Query-bound figures are set beside their floor: the same data
 * read straight through sqlite3 (libpq for a PostgreSQL database), with no
 * application logic, in the same run. Timings are reported, never
 * asserted.
 *
 * A PostgreSQL database (a postgresql:// URI or a conninfo) is measured in
 * place, not copied: give it a database made for the run (the marks and
 * the other process's commits stay in it). */
#define _GNU_SOURCE
#include "app.h"
#include "bench.h"
#include "handover/handover.h"
#include "handover/report.h"

#include "handover/testhook.h"
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <libpq-fe.h>
#include <locale.h>
#include <math.h>
#include <poll.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef HO_BENCH_HANDOVER_BIN
#define HO_BENCH_HANDOVER_BIN "handover"
#endif

#define LEAD "lead.national"
/* A receiver present at every scale: the dashboard opens on their work. */
#define RECEIVER     "icb01-pha-1"
#define SCREEN_LINES 50
#define SCREEN_COLS  160

struct samples {
	double *v;
	size_t n, cap;
};

static void add(struct samples *s, double ms)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		double *v = realloc(s->v, cap * sizeof *v);
		if (!v)
			return;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = ms;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted samples. */
static double pct(const struct samples *s, double q)
{
	if (!s->n)
		return NAN;
	size_t rank = (size_t)ceil(q * (double)s->n);
	return s->v[rank ? rank - 1 : 0];
}

struct ctx {
	const char *path; /* the scratch copy, or the server's database */
	const char *bin;
	int quick;
	int server; /* path names a PostgreSQL database */
	int64_t items;
};

/* ---- children ------------------------------------------------------------- */

/* A child sends its samples down a pipe as several named series: a byte
 * for the series, then the value. */
struct out {
	int fd;
};

static void emit(struct out *o, int series, double ms)
{
	unsigned char buf[1 + sizeof(double)];
	buf[0] = (unsigned char)series;
	memcpy(buf + 1, &ms, sizeof ms);
	if (write(o->fd, buf, sizeof buf) != (ssize_t)sizeof buf)
		_exit(3);
}

#define MAX_SERIES 8
struct measured {
	struct samples s[MAX_SERIES];
	long rss_kb;
	int ok;
};

/* Run fn in a child; collect its series and its peak memory. */
static void measure(const struct ctx *c, int (*fn)(const struct ctx *, struct out *),
                    struct measured *m)
{
	memset(m, 0, sizeof *m);
	int fds[2];
	if (pipe(fds) != 0)
		return;
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		struct out o = {fds[1]};
		int rc = fn(c, &o);
		close(fds[1]);
		_exit(rc);
	}
	close(fds[1]);
	unsigned char buf[1 + sizeof(double)];
	size_t got = 0;
	for (;;) {
		ssize_t r = read(fds[0], buf + got, sizeof buf - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
		if (got < sizeof buf)
			continue;
		got = 0;
		double ms;
		memcpy(&ms, buf + 1, sizeof ms);
		if (buf[0] < MAX_SERIES)
			add(&m->s[buf[0]], ms);
	}
	close(fds[0]);
	int status = 0;
	struct rusage ru;
	memset(&ru, 0, sizeof ru);
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	m->rss_kb = ru.ru_maxrss;
	m->ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
	if (!m->ok)
		fprintf(stderr, "handover-bench: a measurement failed (status %d)\n", status);
	for (int i = 0; i < MAX_SERIES; i++)
		if (m->s[i].n)
			qsort(m->s[i].v, m->s[i].n, sizeof(double), cmp_double);
}

static void measured_free(struct measured *m)
{
	for (int i = 0; i < MAX_SERIES; i++)
		free(m->s[i].v);
}

static ho_db *open_as(const struct ctx *c, const char *login)
{
	ho_db *db = NULL;
	if (ho_open(c->path, 0, &db) != HO_OK || ho_set_actor(db, login) != HO_OK) {
		fprintf(stderr, "handover-bench: %s: %s\n", c->path,
		        db ? ho_errmsg(db) : "cannot open");
		ho_close(db);
		return NULL;
	}
	return db;
}

/* A virtual terminal: curses draws into its own idea of the screen and
 * sends the bytes to /dev/null. */
struct term {
	SCREEN *screen;
	FILE *out, *in;
};

static int term_start(struct term *t)
{
	t->out = fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	if (!t->out || !t->in)
		return 0;
	t->screen = newterm("xterm-256color", t->out, t->in);
	if (!t->screen)
		return 0;
	set_term(t->screen);
	tui_curses_setup(t->out);
	resizeterm(SCREEN_LINES, SCREEN_COLS);
	return 1;
}

static void term_stop(struct term *t)
{
	if (t->screen) {
		endwin();
		delscreen(t->screen);
	}
	if (t->out)
		fclose(t->out);
	if (t->in)
		fclose(t->in);
	memset(t, 0, sizeof *t);
}

static int reps(const struct ctx *c, int quick, int full)
{
	return c->quick ? quick : full;
}

/* ---- the screens ------------------------------------------------------------ */

/* How many others' changes the receiver has not seen when a screen opens:
 * a morning after a busy day. */
#define BENCH_UNSEEN_SQL "2000"

/* The receiver last looked a day ago, 2,000 events back. Set
 * before every opening, since leaving the application records a look. */
#define BACK_LOOK_PG                                                                               \
	"INSERT INTO seen(person_id, handover_id, event_id, at) "                                  \
	"SELECT p.id, h.id, GREATEST((SELECT max(id) FROM events) - " BENCH_UNSEEN_SQL ", 0), "    \
	"(SELECT at FROM events ORDER BY id DESC LIMIT 1) - 86400 "                                \
	"FROM people p, (SELECT 0 AS id UNION ALL SELECT id FROM handovers) h "                    \
	"WHERE p.login = '" RECEIVER "' "                                                          \
	"ON CONFLICT(person_id, handover_id) DO UPDATE SET event_id = excluded.event_id, "         \
	"at = excluded.at"

static int set_back_look(const struct ctx *c)
{
	if (c->server) {
		PGconn *k = PQconnectdb(c->path);
		PGresult *r = PQexec(k, BACK_LOOK_PG);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		if (!ok)
			fprintf(stderr, "handover-bench: setting the last look: %s",
			        PQerrorMessage(k));
		PQclear(r);
		PQfinish(k);
		return ok;
	}
	sqlite3 *db = NULL;
	int rc = sqlite3_open_v2(c->path, &db, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(db, 5000);
		rc = sqlite3_exec(
		    db,
		    "INSERT INTO seen(person_id, handover_id, event_id, at) "
		    "SELECT p.id, h.id, max((SELECT max(id) FROM events) - " BENCH_UNSEEN_SQL
		    ", 0), (SELECT at FROM events ORDER BY id DESC LIMIT 1) - 86400 "
		    "FROM people p, (SELECT 0 AS id UNION ALL SELECT id FROM handovers) h "
		    "WHERE p.login = '" RECEIVER "' "
		    "ON CONFLICT(person_id, handover_id) DO UPDATE SET event_id = "
		    "excluded.event_id, "
		    "at = excluded.at",
		    NULL, NULL, NULL);
	}
	if (rc != SQLITE_OK)
		fprintf(stderr, "handover-bench: setting the last look: %s\n", sqlite3_errmsg(db));
	sqlite3_close(db);
	return rc == SQLITE_OK;
}

/* From nothing to the first full screen: open the file, find the actor,
 * start curses, load and draw. A receiver's first screen is My work (with
 * 2,000 changes to mark and count); series 1 is a lead's, the
 * dashboard. */
static int op_first_paint(const struct ctx *c, struct out *o)
{
	for (int r = 0; r < 2 * reps(c, 3, 20); r++) {
		struct term t = {0};
		if (!set_back_look(c))
			return 1;
		double t0 = bench_ms();
		ho_db *db = open_as(c, r % 2 ? LEAD : RECEIVER);
		if (!db || !term_start(&t))
			return 1;
		tui_app *app = tui_app_new(db);
		if (!app)
			return 1;
		tui_app_render(app);
		emit(o, r % 2, bench_ms() - t0);
		tui_app_free(app);
		term_stop(&t);
		ho_close(db);
	}
	return 0;
}

enum { K_MOVE, K_OPEN, K_RETURN, K_LIST_MOVE, K_ALL };

static double press(tui_app *app, int key)
{
	double t0 = bench_ms();
	ungetch(key);
	tui_app_pump(app);
	tui_app_render(app);
	return bench_ms() - t0;
}

static void press_emit(struct out *o, tui_app *app, int key, int series)
{
	double ms = press(app, key);
	emit(o, series, ms);
	emit(o, K_ALL, ms);
}

/* Keystroke to repaint: move down the dashboard; every few rows open the
 * function under the selection, move in its checklist, and go back. */
static int op_keys(const struct ctx *c, struct out *o)
{
	struct term t = {0};
	ho_db *db = open_as(c, RECEIVER);
	if (!db || !term_start(&t))
		return 1;
	tui_app *app = tui_app_new(db);
	if (!app)
		return 1;
	tui_app_render(app);
	/* The receiver opens on My work; the dashboard is one Shift-Tab away. */
	if (tui_top(app)->ops != &tui_dashboard_view)
		press(app, KEY_BTAB);
	for (int r = 0; r < reps(c, 12, 150); r++) {
		press_emit(o, app, 'j', K_MOVE);
		if (r % 3 != 2)
			continue;
		double ms = press(app, '\r');
		emit(o, K_ALL, ms);
		if (tui_top(app)->ops != &tui_checklist_view) {
			/* A handover row: Enter folded it; unfold it again. */
			emit(o, K_ALL, press(app, '\r'));
			continue;
		}
		emit(o, K_OPEN, ms);
		for (int k = 0; k < 3; k++)
			press_emit(o, app, 'j', K_LIST_MOVE);
		press_emit(o, app, 27, K_RETURN);
	}
	tui_app_free(app);
	term_stop(&t);
	ho_close(db);
	return 0;
}

/* Keystrokes on a list whose rows open items (My work, Changes): move down,
 * every third row open the item and come back. */
static void list_keys(const struct ctx *c, struct out *o, tui_app *app)
{
	for (int r = 0; r < reps(c, 12, 150); r++) {
		press_emit(o, app, 'j', K_MOVE);
		if (r % 3 != 2)
			continue;
		press_emit(o, app, '\r', K_OPEN);
		if (tui_top(app)->ops == &tui_item_view)
			press_emit(o, app, 27, K_RETURN);
	}
}

/* My work: the receiver's first screen. */
static int op_mywork_keys(const struct ctx *c, struct out *o)
{
	struct term t = {0};
	if (!set_back_look(c))
		return 1;
	ho_db *db = open_as(c, RECEIVER);
	if (!db || !term_start(&t))
		return 1;
	tui_app *app = tui_app_new(db);
	if (!app)
		return 1;
	tui_app_render(app);
	if (tui_top(app)->ops != &tui_mywork_view)
		return 1;
	list_keys(c, o, app);
	tui_app_free(app);
	term_stop(&t);
	ho_close(db);
	return 0;
}

/* Changes: Tab from Gaps to the Changes screen (2,000 changes read,
 * series K_LIST_MOVE), then its keys. */
static int op_changes(const struct ctx *c, struct out *o)
{
	struct term t = {0};
	if (!term_start(&t))
		return 1;
	for (int r = 0; r < reps(c, 3, 20); r++) {
		if (!set_back_look(c))
			return 1;
		ho_db *db = open_as(c, RECEIVER);
		if (!db)
			return 1;
		tui_app *app = tui_app_new(db);
		if (!app)
			return 1;
		tui_app_render(app);
		press(app, '\t'); /* Gaps */
		emit(o, K_LIST_MOVE, press(app, '\t'));
		if (tui_top(app)->ops != &tui_changes_view)
			return 1;
		if (r == 0)
			list_keys(c, o, app);
		tui_app_free(app);
		ho_close(db);
	}
	term_stop(&t);
	return 0;
}

/* Dashboard load: the queries, rows and drawing of a first dashboard on
 * a handle that has read nothing yet (opening the file and starting
 * curses are left out: first paint has those). */
static int op_dash_load(const struct ctx *c, struct out *o)
{
	struct term t = {0};
	if (!term_start(&t))
		return 1;
	for (int r = 0; r < reps(c, 5, 30); r++) {
		/* A lead's first screen is the dashboard (a receiver's is My
		 * work, measured with first paint). */
		ho_db *db = open_as(c, LEAD);
		if (!db)
			return 1;
		double t0 = bench_ms();
		tui_app *app = tui_app_new(db);
		if (!app)
			return 1;
		tui_app_render(app);
		emit(o, 0, bench_ms() - t0);
		tui_app_free(app);
		ho_close(db);
	}
	term_stop(&t);
	return 0;
}

/* ---- changes ------------------------------------------------------------------ */

struct target {
	int64_t item_id, version;
	char sender[64];
};

/* Items nobody has started, with their sender: each can take one
 * "in progress" mark. From the end of the file when `from_end`, so two
 * figures never reach for the same items. */
static size_t unstarted(ho_db *db, struct target *out, size_t want, int from_end)
{
	ho_function *fs = NULL;
	size_t nf = 0, n = 0;
	if (ho_functions_list(db, 0, &fs, &nf) != HO_OK)
		return 0;
	for (size_t k = 0; k < nf && n < want; k++) {
		const ho_function *f = &fs[from_end ? nf - 1 - k : k];
		if (!f->sender_id || !f->receiver_id || f->counts.not_started == 0)
			continue;
		ho_item *items = NULL;
		size_t ni = 0;
		if (ho_items_list(db, f->id, HO_FILTER_ALL, &items, &ni) != HO_OK)
			continue;
		for (size_t i = 0; i < ni && n < want; i++) {
			if (items[i].sender_state != HO_SENDER_NOT_STARTED)
				continue;
			out[n].item_id = items[i].id;
			out[n].version = items[i].version;
			snprintf(out[n].sender, sizeof out[n].sender, "%s", f->sender_login);
			n++;
		}
		ho_item_free(items, ni);
	}
	ho_function_free(fs, nf);
	return n;
}

/* A mark, committed: the sender's "in progress" through the core, each
 * in its own IMMEDIATE transaction with its history event. */
static int op_mark(const struct ctx *c, struct out *o)
{
	ho_db *db = open_as(c, LEAD);
	if (!db)
		return 1;
	size_t want = (size_t)reps(c, 20, 300) + 1;
	struct target *tg = calloc(want, sizeof *tg);
	size_t n = tg ? unstarted(db, tg, want, 0) : 0;
	for (size_t i = 0; i < n; i++) {
		ho_set_actor(db, tg[i].sender);
		double t0 = bench_ms();
		ho_status st =
		    ho_item_mark(db, tg[i].item_id, tg[i].version, HO_ACT_IN_PROGRESS, NULL, NULL);
		double ms = bench_ms() - t0;
		if (st != HO_OK) {
			fprintf(stderr, "handover-bench: mark: %s\n", ho_errmsg(db));
			break;
		}
		/* The first change settles the journal mode: not a mark's cost. */
		if (i > 0)
			emit(o, 0, ms);
	}
	free(tg);
	ho_close(db);
	return n ? 0 : 1;
}

/* Another person's commit reaching this screen: a child process marks an
 * item; this process polls as the application does (PRAGMA data_version)
 * and redraws. The figure is from the child's commit to the end of the
 * redraw. The application polls every TUI_POLL_MS, which adds up to that
 * much on top; here the poll runs continuously so that the figure is the
 * refresh's own cost. */
static int op_live(const struct ctx *c, struct out *o)
{
	struct term t = {0};
	ho_db *db = open_as(c, RECEIVER);
	if (!db)
		return 1;
	int n = reps(c, 5, 30);
	struct target *tg = calloc((size_t)n, sizeof *tg);
	if (!tg || unstarted(db, tg, (size_t)n, 1) < (size_t)n || !term_start(&t))
		return 1;
	tui_app *app = tui_app_new(db);
	if (!app)
		return 1;
	tui_app_render(app);
	for (int r = 0; r < n; r++) {
		int fds[2];
		if (pipe(fds) != 0)
			return 1;
		app->updated_ms = 0;
		fflush(NULL);
		pid_t pid = fork();
		if (pid == 0) {
			close(fds[0]);
			ho_db *other = NULL;
			double when = -1;
			if (ho_open(c->path, 0, &other) == HO_OK &&
			    ho_set_actor(other, tg[r].sender) == HO_OK &&
			    ho_item_mark(other, tg[r].item_id, 0, HO_ACT_IN_PROGRESS, NULL, NULL) ==
			        HO_OK)
				when = bench_ms();
			ho_close(other);
			if (write(fds[1], &when, sizeof when) != (ssize_t)sizeof when)
				_exit(3);
			_exit(when < 0);
		}
		close(fds[1]);
		double seen = 0, limit = bench_ms() + 10000;
		while (bench_ms() < limit) {
			int fd = ho_change_fd(db);
			if (fd >= 0) {
				/* A server's notification, waited for as the screen
				 * waits for it (tui_app_wait), never asked for. */
				int news = ho_change_ready(db);
				struct pollfd p = {.fd = fd, .events = POLLIN};
				if (!news && poll(&p, 1, 100) > 0)
					news = ho_change_ready(db);
				if (news && ho_changed(db)) {
					tui_app_reload(app);
					app->updated_ms = 1;
				}
			} else {
				tui_app_poll(app);
			}
			if (app->updated_ms) {
				tui_app_render(app);
				seen = bench_ms();
				break;
			}
			usleep(100);
		}
		double when = -1;
		if (read(fds[0], &when, sizeof when) != (ssize_t)sizeof when)
			when = -1;
		close(fds[0]);
		int status;
		waitpid(pid, &status, 0);
		if (when < 0 || seen == 0)
			return 1;
		/* The child reads its clock just after its commit returns, so a
		 * very quick refresh can finish first: that is no wait at all. */
		emit(o, 0, seen > when ? seen - when : 0);
	}
	tui_app_free(app);
	term_stop(&t);
	ho_close(db);
	free(tg);
	return 0;
}

/* ---- the commands, inside the core -------------------------------------------- */

/* `handover status` reads the handovers and every function's counts. */
static int op_status(const struct ctx *c, struct out *o)
{
	/* A fresh handle each time, as each `handover status` is: nothing
	 * remembered from the time before. */
	for (int r = 0; r < reps(c, 5, 30); r++) {
		ho_db *db = open_as(c, LEAD);
		if (!db)
			return 1;
		ho_handover *h = NULL;
		ho_function *f = NULL;
		size_t nh = 0, nf = 0;
		double t0 = bench_ms();
		if (ho_handovers_list(db, &h, &nh) != HO_OK ||
		    ho_functions_list(db, 0, &f, &nf) != HO_OK)
			return 1;
		emit(o, 0, bench_ms() - t0);
		ho_handover_free(h, nh);
		ho_function_free(f, nf);
		ho_close(db);
	}
	return 0;
}

static int op_gaps(const struct ctx *c, struct out *o)
{
	ho_db *db = open_as(c, LEAD);
	if (!db)
		return 1;
	for (int r = 0; r < reps(c, 5, 30); r++) {
		ho_gap *g = NULL;
		size_t n = 0;
		double t0 = bench_ms();
		if (ho_gaps_list(db, 0, 0, 0, &g, &n) != HO_OK)
			return 1;
		emit(o, 0, bench_ms() - t0);
		ho_gap_free(g, n);
	}
	ho_close(db);
	return 0;
}

/* The handover document of every handover in the file, one after another:
 * series 0 each document, series 1 the whole file. */
static int op_print(const struct ctx *c, struct out *o)
{
	ho_db *db = open_as(c, LEAD);
	FILE *null = fopen("/dev/null", "w");
	ho_handover *h = NULL;
	size_t nh = 0;
	if (!db || !null || ho_handovers_list(db, &h, &nh) != HO_OK)
		return 1;
	double all = bench_ms();
	for (size_t i = 0; i < nh; i++) {
		ho_print_opts po = {.handover_id = h[i].id, .format = HO_FMT_HTML};
		double t0 = bench_ms();
		if (ho_print(db, &po, null) != HO_OK)
			return 1;
		emit(o, 0, bench_ms() - t0);
	}
	emit(o, 1, bench_ms() - all);
	ho_handover_free(h, nh);
	fclose(null);
	ho_close(db);
	return 0;
}

/* The roll-up over every handover (print --all): series 0 the PDF, series
 * 1 the text, series 2 one handover's PDF document. */
static int op_rollup(const struct ctx *c, struct out *o)
{
	ho_db *db = open_as(c, LEAD);
	FILE *null = fopen("/dev/null", "w");
	if (!db || !null)
		return 1;
	for (int r = 0; r < reps(c, 1, 3); r++) {
		ho_print_opts pdf = {.format = HO_FMT_PDF, .all = 1};
		ho_print_opts text = {.format = HO_FMT_TEXT, .all = 1};
		ho_print_opts one = {.handover_id = 1, .format = HO_FMT_PDF};
		double t0 = bench_ms();
		if (ho_print(db, &pdf, null) != HO_OK)
			return 1;
		double t1 = bench_ms();
		if (ho_print(db, &text, null) != HO_OK)
			return 1;
		double t2 = bench_ms();
		if (ho_print(db, &one, null) != HO_OK)
			return 1;
		emit(o, 0, t1 - t0);
		emit(o, 1, t2 - t1);
		emit(o, 2, bench_ms() - t2);
	}
	fclose(null);
	ho_close(db);
	return 0;
}

static int op_export(const struct ctx *c, struct out *o)
{
	ho_db *db = open_as(c, LEAD);
	FILE *null = fopen("/dev/null", "w");
	if (!db || !null)
		return 1;
	for (int r = 0; r < reps(c, 1, 5); r++) {
		double t0 = bench_ms();
		if (ho_export_csv(db, null) != HO_OK)
			return 1;
		emit(o, 0, bench_ms() - t0);
	}
	fclose(null);
	ho_close(db);
	return 0;
}

/* ---- the SQLite floor ------------------------------------------------------------ */

/* The same figures as status and the dashboard, read with the plainest SQL
 * that yields them: one aggregate over items per function, the open
 * queries per function, the handovers. Every column is read; nothing is
 * copied or computed. */
static const char *const status_floor_sql[] = {
    "SELECT h.id, h.title, h.service, h.sender_org, h.receiver_org, h.target_date, "
    "h.signed_at, h.version, p.name FROM handovers h LEFT JOIN people p ON p.id = h.signed_by",
    "SELECT f.id, f.handover_id, f.code, f.name, f.position, f.due_date, ps.login, ps.name, "
    "pr.login, pr.name, f.sender_signed_at, f.receiver_signed_at, f.version, "
    "count(i.id), sum(i.sender_state = 'not_started'), sum(i.sender_state = 'in_progress'), "
    "sum(i.sender_state = 'handed_over'), sum(i.sender_state = 'not_applicable'), "
    "sum(i.receiver_state = 'pending'), sum(i.receiver_state = 'accepted'), "
    "sum(i.receiver_state = 'conditions'), "
    "sum(i.sender_state IN ('not_started', 'in_progress') AND "
    "COALESCE(NULLIF(i.due_date, ''), f.due_date) BETWEEN '0' AND :today) "
    "FROM functions f LEFT JOIN people ps ON ps.id = f.sender_id "
    "LEFT JOIN people pr ON pr.id = f.receiver_id LEFT JOIN items i ON i.function_id = f.id "
    "GROUP BY f.id ORDER BY f.handover_id, f.position",
    "SELECT i.function_id, count(DISTINCT t.item_id) FROM thread t "
    "JOIN items i ON i.id = t.item_id WHERE t.kind = 'query' AND t.resolved_at IS NULL "
    "GROUP BY i.function_id",
    NULL};

/* Gaps: the rows of each kind with what the list shows. */
static const char *const gaps_floor_sql[] = {
    "SELECT i.id, f.code, i.number, i.title, t.body, f.sender_id, f.receiver_id "
    "FROM thread t JOIN items i ON i.id = t.item_id JOIN functions f ON f.id = i.function_id "
    "WHERE t.kind = 'query' AND t.resolved_at IS NULL",
    "SELECT i.id, f.code, i.number, i.title, i.evidence, i.na_reason, i.condition, "
    "i.receiver_state, i.sender_state, COALESCE(NULLIF(i.due_date, ''), f.due_date) "
    "FROM items i JOIN functions f ON f.id = i.function_id "
    "WHERE i.receiver_state IN ('pending', 'conditions') OR "
    "(i.sender_state IN ('not_started', 'in_progress') AND "
    "COALESCE(NULLIF(i.due_date, ''), f.due_date) BETWEEN '0' AND :today)",
    "SELECT f.id, f.code, f.name FROM functions f "
    "WHERE f.sender_id IS NULL OR f.receiver_id IS NULL",
    NULL};

/* The same on PostgreSQL: its own spelling of a count of rows that match
 * (a boolean is not a number there) and of grouping; $1 is today. */
static const char *const status_floor_pg[] = {
    "SELECT h.id, h.title, h.service, h.sender_org, h.receiver_org, h.target_date, "
    "h.signed_at, h.version, p.name FROM handovers h LEFT JOIN people p ON p.id = h.signed_by",
    "SELECT f.id, f.handover_id, f.code, f.name, f.position, f.due_date, ps.login, ps.name, "
    "pr.login, pr.name, f.sender_signed_at, f.receiver_signed_at, f.version, "
    "count(i.id), count(*) FILTER (WHERE i.sender_state = 'not_started'), "
    "count(*) FILTER (WHERE i.sender_state = 'in_progress'), "
    "count(*) FILTER (WHERE i.sender_state = 'handed_over'), "
    "count(*) FILTER (WHERE i.sender_state = 'not_applicable'), "
    "count(*) FILTER (WHERE i.receiver_state = 'pending'), "
    "count(*) FILTER (WHERE i.receiver_state = 'accepted'), "
    "count(*) FILTER (WHERE i.receiver_state = 'conditions'), "
    "count(*) FILTER (WHERE i.sender_state IN ('not_started', 'in_progress') AND "
    "COALESCE(NULLIF(i.due_date, ''), f.due_date) BETWEEN '0' AND $1) "
    "FROM functions f LEFT JOIN people ps ON ps.id = f.sender_id "
    "LEFT JOIN people pr ON pr.id = f.receiver_id LEFT JOIN items i ON i.function_id = f.id "
    "GROUP BY f.id, ps.id, pr.id ORDER BY f.handover_id, f.position",
    "SELECT i.function_id, count(DISTINCT t.item_id) FROM thread t "
    "JOIN items i ON i.id = t.item_id WHERE t.kind = 'query' AND t.resolved_at IS NULL "
    "GROUP BY i.function_id",
    NULL};

static const char *const gaps_floor_pg[] = {
    "SELECT i.id, f.code, i.number, i.title, t.body, f.sender_id, f.receiver_id "
    "FROM thread t JOIN items i ON i.id = t.item_id JOIN functions f ON f.id = i.function_id "
    "WHERE t.kind = 'query' AND t.resolved_at IS NULL",
    "SELECT i.id, f.code, i.number, i.title, i.evidence, i.na_reason, i.condition, "
    "i.receiver_state, i.sender_state, COALESCE(NULLIF(i.due_date, ''), f.due_date) "
    "FROM items i JOIN functions f ON f.id = i.function_id "
    "WHERE i.receiver_state IN ('pending', 'conditions') OR "
    "(i.sender_state IN ('not_started', 'in_progress') AND "
    "COALESCE(NULLIF(i.due_date, ''), f.due_date) BETWEEN '0' AND $1)",
    "SELECT f.id, f.code, f.name FROM functions f "
    "WHERE f.sender_id IS NULL OR f.receiver_id IS NULL",
    NULL};

/* Prepared once, then run in one read transaction per sample, every
 * text column's bytes touched, as the SQLite floor. */
static int floor_run_pg(const struct ctx *c, struct out *o, const char *const *sqls)
{
	PGconn *k = PQconnectdb(c->path);
	if (PQstatus(k) != CONNECTION_OK) {
		fprintf(stderr, "handover-bench: floor: %s", PQerrorMessage(k));
		PQfinish(k);
		return 1;
	}
	char today[16];
	ho_today(today, sizeof today);
	const char *params[1] = {today};
	int n = 0;
	for (; sqls[n]; n++) {
		char name[16];
		snprintf(name, sizeof name, "floor%d", n);
		PGresult *r = PQprepare(k, name, sqls[n], strstr(sqls[n], "$1") ? 1 : 0, NULL);
		int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!ok) {
			fprintf(stderr, "handover-bench: floor: %s", PQerrorMessage(k));
			PQfinish(k);
			return 1;
		}
	}
	volatile size_t bytes = 0;
	for (int rep = 0; rep < reps(c, 5, 30); rep++) {
		double t0 = bench_ms();
		PQclear(PQexec(k, "BEGIN"));
		for (int q = 0; q < n; q++) {
			char name[16];
			snprintf(name, sizeof name, "floor%d", q);
			PGresult *r = PQexecPrepared(k, name, strstr(sqls[q], "$1") ? 1 : 0, params,
			                             NULL, NULL, 0);
			for (int row = 0; row < PQntuples(r); row++)
				for (int col = 0; col < PQnfields(r); col++)
					bytes += (size_t)PQgetlength(r, row, col);
			PQclear(r);
		}
		PQclear(PQexec(k, "COMMIT"));
		emit(o, 0, bench_ms() - t0);
	}
	(void)bytes;
	PQfinish(k);
	return 0;
}

static int floor_run(const struct ctx *c, struct out *o, const char *const *sqls)
{
	if (c->server)
		return floor_run_pg(c, o,
		                    sqls == status_floor_sql ? status_floor_pg : gaps_floor_pg);
	sqlite3 *conn = NULL;
	sqlite3_stmt *st[8] = {0};
	if (sqlite3_open_v2(c->path, &conn, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 1;
	char today[16];
	ho_today(today, sizeof today);
	int n = 0;
	for (; sqls[n]; n++) {
		if (sqlite3_prepare_v2(conn, sqls[n], -1, &st[n], NULL) != SQLITE_OK) {
			fprintf(stderr, "handover-bench: floor: %s\n", sqlite3_errmsg(conn));
			return 1;
		}
		int idx = sqlite3_bind_parameter_index(st[n], ":today");
		if (idx)
			sqlite3_bind_text(st[n], idx, today, -1, SQLITE_TRANSIENT);
	}
	volatile size_t bytes = 0;
	for (int r = 0; r < reps(c, 5, 30); r++) {
		double t0 = bench_ms();
		sqlite3_exec(conn, "BEGIN", NULL, NULL, NULL);
		for (int k = 0; k < n; k++) {
			while (sqlite3_step(st[k]) == SQLITE_ROW)
				for (int col = 0; col < sqlite3_column_count(st[k]); col++)
					if (sqlite3_column_type(st[k], col) == SQLITE_TEXT)
						bytes += (size_t)sqlite3_column_bytes(st[k], col);
			sqlite3_reset(st[k]);
		}
		sqlite3_exec(conn, "COMMIT", NULL, NULL, NULL);
		emit(o, 0, bench_ms() - t0);
	}
	(void)bytes; /* read once, so the loop's reads count as used */
	for (int k = 0; k < n; k++)
		sqlite3_finalize(st[k]);
	sqlite3_close(conn);
	return 0;
}

static int op_status_floor(const struct ctx *c, struct out *o)
{
	return floor_run(c, o, status_floor_sql);
}

static int op_gaps_floor(const struct ctx *c, struct out *o)
{
	return floor_run(c, o, gaps_floor_sql);
}

/* ---- the real command line ----------------------------------------------------------- */

static const char *const *cli_args;

/* One `handover` process per sample, its output thrown away. */
static int op_cli(const struct ctx *c, struct out *o)
{
	for (int r = 0; r < reps(c, 1, 5); r++) {
		double t0 = bench_ms();
		pid_t pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);
			dup2(null, STDOUT_FILENO);
			const char *argv[16] = {c->bin, "-f", c->path};
			int n = 3;
			for (int k = 0; cli_args[k] && n < 15; k++)
				argv[n++] = cli_args[k];
			argv[n] = NULL;
			execv(c->bin, (char *const *)argv);
			_exit(127);
		}
		int status = 0;
		struct rusage ru;
		if (pid < 0 || wait4(pid, &status, 0, &ru) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != 0)
			return 1;
		emit(o, 0, bench_ms() - t0);
		/* The command's own peak memory, in kB, as series 1. */
		emit(o, 1, (double)ru.ru_maxrss);
	}
	return 0;
}

/* ---- the table ------------------------------------------------------------------------- */

enum target_stat { ST_NONE, ST_P50, ST_P99, ST_MAX, ST_RATIO, ST_RSS };

struct row {
	const char *name;
	const struct samples *s;
	const struct samples *floor; /* NULL: no floor */
	double rss_mb;
	enum target_stat target_stat;
	double target; /* ms, ratio or MB */
};

static void fmt_ms(char *buf, size_t size, double v)
{
	if (isnan(v))
		snprintf(buf, size, "-");
	else if (v < 10)
		snprintf(buf, size, "%.2f", v);
	else
		snprintf(buf, size, "%.1f", v);
}

static int print_row(const struct row *r)
{
	char p50[32], p99[32], mx[32], fl[32] = "-", ratio[32] = "-", rss[32] = "-";
	char target[48] = "-";
	const char *met = "-";
	fmt_ms(p50, sizeof p50, pct(r->s, 0.5));
	fmt_ms(p99, sizeof p99, pct(r->s, 0.99));
	fmt_ms(mx, sizeof mx, r->s->n ? r->s->v[r->s->n - 1] : NAN);
	double q = NAN;
	if (r->floor && r->floor->n) {
		fmt_ms(fl, sizeof fl, pct(r->floor, 0.5));
		q = pct(r->s, 0.5) / pct(r->floor, 0.5);
		snprintf(ratio, sizeof ratio, "%.1fx", q);
	}
	if (r->rss_mb > 0)
		snprintf(rss, sizeof rss, "%.1f", r->rss_mb);
	double v = NAN;
	switch (r->target_stat) {
	case ST_P50:
		v = pct(r->s, 0.5);
		snprintf(target, sizeof target, "p50 <= %g ms", r->target);
		break;
	case ST_P99:
		v = pct(r->s, 0.99);
		snprintf(target, sizeof target, "p99 <= %g ms", r->target);
		break;
	case ST_MAX:
		v = r->s->n ? r->s->v[r->s->n - 1] : NAN;
		snprintf(target, sizeof target, "<= %g ms", r->target);
		break;
	case ST_RATIO:
		v = q;
		snprintf(target, sizeof target, "<= %gx floor", r->target);
		break;
	case ST_RSS:
		v = r->rss_mb;
		snprintf(target, sizeof target, "RSS <= %g MB", r->target);
		break;
	case ST_NONE:
		break;
	}
	if (r->target_stat != ST_NONE)
		met = isnan(v) ? "no data" : v <= r->target ? "met" : "**missed**";
	printf("| %s | %zu | %s | %s | %s | %s | %s | %s | %s | %s |\n", r->name, r->s->n, p50, p99,
	       mx, fl, ratio, rss, target, met);
	return r->target_stat == ST_NONE || (!isnan(v) && v <= r->target);
}

static double mb(long kb)
{
	return (double)kb / 1024.0;
}

static int64_t count_items(const char *path)
{
	if (ho_location_is_server(path)) {
		PGconn *k = PQconnectdb(path);
		PGresult *r = PQexec(k, "SELECT count(*) FROM items");
		int64_t n = PQresultStatus(r) == PGRES_TUPLES_OK
		                ? strtoll(PQgetvalue(r, 0, 0), NULL, 10)
		                : -1;
		PQclear(r);
		PQfinish(k);
		return n;
	}
	sqlite3 *conn = NULL;
	sqlite3_stmt *s = NULL;
	int64_t n = -1;
	if (sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(conn, "SELECT count(*) FROM items", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(conn);
	return n;
}

/* A copy through the backup API: the measured changes (marks, the other
 * process's commits) never touch the generated file. */
static int make_scratch(const char *src, char *dst, size_t size)
{
	snprintf(dst, size, "%s.bench-run", src);
	unlink(dst);
	ho_db *db = NULL;
	/* Read-write: a file from an older build is upgraded on the way. */
	ho_status st = ho_open(src, 0, &db);
	if (st == HO_OK)
		st = ho_backup(db, dst, 0);
	if (st != HO_OK)
		fprintf(stderr, "handover-bench: copying %s: %s\n", src,
		        db ? ho_errmsg(db) : ho_strerror(st));
	ho_close(db);
	return st == HO_OK;
}

static void remove_scratch(const char *path)
{
	char side[1100];
	unlink(path);
	snprintf(side, sizeof side, "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-shm", path);
	unlink(side);
	snprintf(side, sizeof side, "%s-journal", path);
	unlink(side);
}

int bench_run(int argc, char **argv)
{
	struct ctx c = {0};
	const char *file = NULL;
	c.bin = getenv("HANDOVER_BIN") ? getenv("HANDOVER_BIN") : HO_BENCH_HANDOVER_BIN;
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--quick") == 0)
			c.quick = 1;
		else if (strcmp(argv[i], "--bin") == 0 && i + 1 < argc)
			c.bin = argv[++i];
		else if (argv[i][0] != '-' && !file)
			file = argv[i];
		else {
			fprintf(stderr, "handover-bench run: unexpected '%s'\n", argv[i]);
			return 1;
		}
	}
	if (!file) {
		fprintf(stderr, "usage: handover-bench run FILE [--quick] [--bin HANDOVER]\n");
		return 1;
	}
	setlocale(LC_ALL, "");
	/* Fixed "today" for this process, its children and the command line. */
	setenv("HANDOVER_NOW", BENCH_TODAY, 1);
	setenv("HANDOVER_USER", LEAD, 1);
	setenv("TERM", "xterm-256color", 1);
	ho_clock_set(0);

	char scratch[1024];
	c.server = ho_location_is_server(file);
	if (c.server)
		snprintf(scratch, sizeof scratch, "%s", file);
	else if (!make_scratch(file, scratch, sizeof scratch))
		return 2;
	c.path = scratch;
	c.items = count_items(scratch);
	int big = c.items > 100000;
	/* The database named as people read it: never its password. */
	char shown[512];
	ho_db *named = NULL;
	if (c.server && ho_open(file, HO_OPEN_READONLY, &named) == HO_OK)
		snprintf(shown, sizeof shown, "%s", ho_path(named));
	else
		snprintf(shown, sizeof shown, "%s", c.server ? "a PostgreSQL database" : file);
	ho_close(named);
	printf("file: %s (%lld items), engine: %s, targets: %s%s\n\n", shown, (long long)c.items,
	       c.server ? "postgresql" : "sqlite", big ? "10x" : "national",
	       c.quick ? ", quick run" : "");

	struct measured m_paint, m_keys, m_dash, m_mark, m_live, m_status, m_status_floor, m_gaps,
	    m_gaps_floor, m_print, m_export, m_rollup, m_cli[4], m_mywork, m_changes;
	measure(&c, op_first_paint, &m_paint);
	measure(&c, op_keys, &m_keys);
	measure(&c, op_mywork_keys, &m_mywork);
	measure(&c, op_changes, &m_changes);
	measure(&c, op_dash_load, &m_dash);
	measure(&c, op_status, &m_status);
	measure(&c, op_status_floor, &m_status_floor);
	measure(&c, op_gaps, &m_gaps);
	measure(&c, op_gaps_floor, &m_gaps_floor);
	measure(&c, op_print, &m_print);
	measure(&c, op_export, &m_export);
	measure(&c, op_rollup, &m_rollup);
	static const char *const cli_status[] = {"status", NULL};
	static const char *const cli_gaps[] = {"gaps", NULL};
	static const char *const cli_export[] = {"export", NULL};
	static const char *const cli_print[] = {"print",    "--handover", "1",
	                                        "--format", "html",       NULL};
	const char *const *clis[4] = {cli_status, cli_gaps, cli_export, cli_print};
	int have_bin = access(c.bin, X_OK) == 0;
	for (int k = 0; k < 4; k++) {
		cli_args = clis[k];
		if (have_bin)
			measure(&c, op_cli, &m_cli[k]);
		else
			memset(&m_cli[k], 0, sizeof m_cli[k]);
	}
	/* Changes last: they grow the copy's history. */
	measure(&c, op_mark, &m_mark);
	measure(&c, op_live, &m_live);

	double paint_ms = big ? 200 : 50, key_ms = big ? 10 : 5;
	long peak = 0;
	struct measured *all[] = {&m_paint,  &m_keys, &m_dash, &m_status, &m_gaps,   &m_print,
	                          &m_export, &m_mark, &m_live, &m_rollup, &m_mywork, &m_changes};
	for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
		peak = all[i]->rss_kb > peak ? all[i]->rss_kb : peak;
	struct samples cli_rss[4];
	for (int k = 0; k < 4; k++) {
		cli_rss[k] = m_cli[k].s[1];
		double top = cli_rss[k].n ? cli_rss[k].v[cli_rss[k].n - 1] : 0;
		peak = (long)top > peak ? (long)top : peak;
	}
	struct samples peak_s = {0};
	add(&peak_s, mb(peak));

	const struct row rows[] = {
	    {"open to first paint: My work (receiver, " BENCH_UNSEEN_SQL " unseen changes)",
	     &m_paint.s[0], &m_status_floor.s[0], mb(m_paint.rss_kb), ST_P50, paint_ms},
	    {"open to first dashboard paint (lead)", &m_paint.s[1], &m_status_floor.s[0], 0, ST_P50,
	     paint_ms},
	    {"keystroke to repaint (all keys)", &m_keys.s[K_ALL], NULL, mb(m_keys.rss_kb), ST_P99,
	     key_ms},
	    {"- move selection (dashboard)", &m_keys.s[K_MOVE], NULL, 0, ST_NONE, 0},
	    {"- open a function", &m_keys.s[K_OPEN], NULL, 0, ST_NONE, 0},
	    {"- move selection (checklist)", &m_keys.s[K_LIST_MOVE], NULL, 0, ST_NONE, 0},
	    {"- return to the dashboard", &m_keys.s[K_RETURN], NULL, 0, ST_NONE, 0},
	    {"keystroke on My work (all keys)", &m_mywork.s[K_ALL], NULL, mb(m_mywork.rss_kb),
	     ST_P99, key_ms},
	    {"- move selection (My work)", &m_mywork.s[K_MOVE], NULL, 0, ST_NONE, 0},
	    {"- open an item (My work)", &m_mywork.s[K_OPEN], NULL, 0, ST_NONE, 0},
	    {"- return to My work", &m_mywork.s[K_RETURN], NULL, 0, ST_NONE, 0},
	    {"Tab to first Changes paint (" BENCH_UNSEEN_SQL " changes)", &m_changes.s[K_LIST_MOVE],
	     NULL, mb(m_changes.rss_kb), ST_P50, paint_ms},
	    {"keystroke on Changes (all keys)", &m_changes.s[K_ALL], NULL, 0, ST_P99, key_ms},
	    {"- move selection (Changes)", &m_changes.s[K_MOVE], NULL, 0, ST_NONE, 0},
	    {"- open an item (Changes)", &m_changes.s[K_OPEN], NULL, 0, ST_NONE, 0},
	    {"dashboard load (queries, rows, drawing)", &m_dash.s[0], &m_status_floor.s[0],
	     mb(m_dash.rss_kb), ST_NONE, 0},
	    {c.server ? "mark committed (server, loopback)" : "mark committed (WAL, local)",
	     &m_mark.s[0], NULL, mb(m_mark.rss_kb), ST_P99, 10},
	    {"another process's commit to redraw", &m_live.s[0], NULL, mb(m_live.rss_kb), ST_NONE,
	     0},
	    {"status (core)", &m_status.s[0], &m_status_floor.s[0], mb(m_status.rss_kb), ST_RATIO,
	     3},
	    {"gaps (core)", &m_gaps.s[0], &m_gaps_floor.s[0], mb(m_gaps.rss_kb), ST_NONE, 0},
	    {"print html, one handover", &m_print.s[0], NULL, 0, ST_NONE, 0},
	    {"print html, every handover", &m_print.s[1], NULL, mb(m_print.rss_kb), ST_MAX, 1000},
	    {"export csv, whole file", &m_export.s[0], NULL, mb(m_export.rss_kb), ST_NONE, 0},
	    {"roll-up, every handover (print --all), PDF", &m_rollup.s[0], NULL,
	     mb(m_rollup.rss_kb), ST_MAX, 10000},
	    {"roll-up, every handover, text", &m_rollup.s[1], NULL, 0, ST_NONE, 0},
	    {"one handover's PDF document", &m_rollup.s[2], NULL, 0, ST_MAX, 1000},
	    {"`handover status` process", &m_cli[0].s[0], NULL, mb((long)pct(&cli_rss[0], 1)),
	     ST_NONE, 0},
	    {"`handover gaps` process", &m_cli[1].s[0], NULL, mb((long)pct(&cli_rss[1], 1)),
	     ST_NONE, 0},
	    {"`handover export` process", &m_cli[2].s[0], NULL, mb((long)pct(&cli_rss[2], 1)),
	     ST_NONE, 0},
	    {"`handover print --format html` process", &m_cli[3].s[0], NULL,
	     mb((long)pct(&cli_rss[3], 1)), ST_NONE, 0},
	    {"peak RSS of any of the above (MB)", &peak_s, NULL, mb(peak), ST_RSS, 32},
	};
	printf("| figure | n | p50 ms | p99 ms | max ms | %s floor p50 ms | ratio | peak RSS MB "
	       "| target | result |\n",
	       c.server ? "PostgreSQL" : "SQLite");
	printf("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |\n");
	int met = 0, targets = 0;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int screen = rows[i].s == &m_paint.s[0] || rows[i].s == &m_paint.s[1] ||
		             rows[i].s == &m_keys.s[K_ALL] || rows[i].s == &m_mywork.s[K_ALL] ||
		             rows[i].s == &m_changes.s[K_LIST_MOVE] ||
		             rows[i].s == &m_changes.s[K_ALL];
		if (big && rows[i].target_stat != ST_NONE && rows[i].target_stat != ST_RSS &&
		    !screen) {
			/* At 10x only first paint and keystrokes have targets. */
			struct row r = rows[i];
			r.target_stat = ST_NONE;
			print_row(&r);
			continue;
		}
		if (big && rows[i].target_stat == ST_RSS) {
			struct row r = rows[i];
			r.target_stat = ST_NONE;
			print_row(&r);
			continue;
		}
		targets += rows[i].target_stat != ST_NONE;
		met += print_row(&rows[i]) && rows[i].target_stat != ST_NONE;
	}
	printf("\ntargets met: %d of %d\n", met, targets);

	int failed = !m_paint.ok || !m_keys.ok || !m_mywork.ok || !m_changes.ok || !m_dash.ok ||
	             !m_status.ok || !m_status_floor.ok || !m_gaps.ok || !m_gaps_floor.ok ||
	             !m_print.ok || !m_export.ok || !m_mark.ok || !m_live.ok || !m_rollup.ok;
	for (int k = 0; k < 4; k++)
		failed |= have_bin && !m_cli[k].ok;
	if (!have_bin)
		printf("(no handover binary at %s: command-line rows empty)\n", c.bin);
	struct measured *everything[] = {
	    &m_mywork, &m_changes, &m_paint,  &m_keys,       &m_dash,         &m_status,
	    &m_gaps,   &m_print,   &m_export, &m_mark,       &m_live,         &m_cli[0],
	    &m_cli[1], &m_cli[2],  &m_cli[3], &m_gaps_floor, &m_status_floor, &m_rollup};
	for (size_t i = 0; i < sizeof everything / sizeof everything[0]; i++)
		measured_free(everything[i]);
	free(peak_s.v);
	if (!c.server)
		remove_scratch(scratch);
	return failed ? 4 : 0;
}
