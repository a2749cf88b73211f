/* The screens without a terminal: curses runs on a virtual screen (newterm
 * to /dev/null), keys go in through curses' own input queue and the real
 * input function, and the screen is read back from curscr. The clock is
 * fixed (fixture.h), so dates and "overdue" do not move. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <wchar.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "app.h"
#include "fixture.h"
#include "handover/changes.h"
#include "handover/terminal.h"
#include "handover/testhook.h"

struct t {
	struct fixture fx;
	ho_db *other; /* a second person on the same file */
	SCREEN *screen;
	FILE *out, *in;
	tui_app *app;
};

static void term_start(struct t *t, const char *term, int lines, int cols)
{
	t->out = fopen("/dev/null", "w");
	t->in = fopen("/dev/null", "r");
	assert_non_null(t->out);
	assert_non_null(t->in);
	t->screen = newterm(term, t->out, t->in);
	assert_non_null(t->screen);
	set_term(t->screen);
	tui_curses_setup(t->out);
	resizeterm(lines, cols);
}

/* A fresh fixture file, opened as `login`, on a lines x cols screen. */
static void start_as(struct t *t, const char *name, const char *login, int lines, int cols)
{
	memset(t, 0, sizeof *t);
	fx_build(&t->fx, name);
	/* Reopened: a second open while the creator is still in the file is
	 * the core's own test (test_robust_shared). */
	ho_close(t->fx.db);
	t->fx.db = tu_open_as(t->fx.path, login);
	term_start(t, "xterm-256color", lines, cols);
}

static void render(struct t *t)
{
	tui_app_render(t->app);
}

static void open_app(struct t *t)
{
	t->app = tui_app_new(t->fx.db);
	assert_non_null(t->app);
	/* These tests press keys far faster than a person; the guard against
	 * that after a prompt closes is tested on its own (test_tui_input). */
	t->app->guard_ms = 0;
	render(t);
	/* Senders and receivers start on My work; these tests begin on the
	 * dashboard, one Shift-Tab away (test_first_screen covers the
	 * first screen itself). */
	if (tui_top(t->app)->ops == &tui_mywork_view) {
		ungetch(KEY_BTAB);
		tui_app_pump(t->app);
		render(t);
		assert_true(tui_top(t->app)->ops == &tui_dashboard_view);
	}
}

static void stop(struct t *t)
{
	tui_app_free(t->app);
	endwin();
	delscreen(t->screen);
	fclose(t->out);
	fclose(t->in);
	if (t->other)
		ho_close(t->other);
	fx_free(&t->fx);
	unsetenv("NO_COLOR");
}

/* Input goes through curses' queue and the application's one input
 * function, one key at a time, then the screen is drawn. */
static void press(struct t *t, int fn_key)
{
	ungetch(fn_key);
	tui_app_pump(t->app);
	render(t);
}

static void type(struct t *t, const char *utf8)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	size_t len = strlen(utf8);
	while (len > 0) {
		wchar_t wc;
		size_t n = mbrtowc(&wc, utf8, len, &ps);
		assert_true(n != (size_t)-1 && n != (size_t)-2 && n > 0);
		unget_wch(wc);
		tui_app_pump(t->app);
		render(t);
		utf8 += n;
		len -= n;
	}
}

/* Row y of the screen as UTF-8 (trailing spaces kept). */
static const char *row(int y)
{
	static char bufs[4][2048];
	static int next;
	char *buf = bufs[next++ % 4];
	wchar_t wide[1024];
	int n = mvwinnwstr(curscr, y, 0, wide, 1000);
	if (n < 0)
		n = 0;
	wide[n] = L'\0';
	size_t got = wcstombs(buf, wide, sizeof bufs[0] - 1);
	if (got == (size_t)-1)
		buf[0] = '\0';
	return buf;
}

static void dump(void)
{
	fprintf(stderr, "---- screen %dx%d ----\n", COLS, LINES);
	for (int y = 0; y < LINES; y++)
		fprintf(stderr, "|%s|\n", row(y));
}

static int find_row(const char *text)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(row(y), text))
			return y;
	return -1;
}

#define assert_screen(text)                                                                        \
	do {                                                                                       \
		if (find_row(text) < 0) {                                                          \
			dump();                                                                    \
			fail_msg("the screen lacks \"%s\"", text);                                 \
		}                                                                                  \
	} while (0)

#define assert_not_screen(text)                                                                    \
	do {                                                                                       \
		if (find_row(text) >= 0) {                                                         \
			dump();                                                                    \
			fail_msg("the screen shows \"%s\"", text);                                 \
		}                                                                                  \
	} while (0)

#define assert_row_has(y, text)                                                                    \
	do {                                                                                       \
		if (!strstr(row(y), text)) {                                                       \
			dump();                                                                    \
			fail_msg("row %d lacks \"%s\"", y, text);                                  \
		}                                                                                  \
	} while (0)

/* Attributes of the cell at y, x on the screen. */
static attr_t cell_attr(int y, int x)
{
	cchar_t cc;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t a = 0;
	short pair = 0;
	if (mvwin_wch(curscr, y, x, &cc) != OK)
		return 0;
	getcchar(&cc, wch, &a, &pair, NULL);
	return a;
}

/* Display column where `text` starts on row y. */
static int column_of(int y, const char *text)
{
	const char *r = row(y);
	const char *at = strstr(r, text);
	if (!at)
		return -1;
	char prefix[2048];
	memcpy(prefix, r, (size_t)(at - r));
	prefix[at - r] = '\0';
	return ho_text_width(prefix);
}

static int64_t item_id(struct t *t, const char *ref)
{
	return fx_item(&t->fx, ref);
}

static ho_item item(struct t *t, const char *ref)
{
	ho_item it;
	assert_int_equal(ho_item_get(t->fx.db, item_id(t, ref), &it), HO_OK);
	return it;
}

/* Someone else, on their own connection to the same file. */
static ho_db *other(struct t *t, const char *login)
{
	if (t->other)
		ho_close(t->other);
	t->other = tu_open_as(t->fx.path, login);
	return t->other;
}

static void other_marks(struct t *t, const char *login, const char *ref, ho_action a,
                        const char *text)
{
	ho_db *db = other(t, login);
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 0, ref, &id), HO_OK);
	ho_status st = ho_item_mark(db, id, 0, a, text, NULL);
	if (st != HO_OK)
		fail_msg("%s %s: %s", login, ref, ho_errmsg(db));
}

/* From the dashboard into FIN's checklist (FIN is the first function). */
static void open_fin(struct t *t)
{
	assert_screen("FIN");
	press(t, '\r');
	assert_screen("FIN-1");
}

/* Moving through a checklist and an item asks the server nothing for the
 * keys it offers: they are judged against the function the screen holds
 * (each key used to read it once per action offered, two round trips
 * each, 14 a key on a server). On a file there are none to count. */
static void test_keys_offered_without_round_trips(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "trips.db", "sam", 24, 110);
	open_app(&t);
	open_fin(&t);
	int64_t before = ho_server_round_trips();
	for (int i = 0; i < 3; i++)
		press(&t, KEY_DOWN);
	for (int i = 0; i < 3; i++)
		press(&t, KEY_UP);
	int64_t moved = ho_server_round_trips() - before;
	if (moved != 0)
		fail_msg("6 moves in a checklist made %lld round trips to the server",
		         (long long)moved);
	press(&t, '\r');
	assert_screen("Item FIN-1");
	/* The item's screen drawn again (its keys offered again). */
	before = ho_server_round_trips();
	tui_app_render(t.app);
	moved = ho_server_round_trips() - before;
	if (moved != 0)
		fail_msg("drawing an item's screen again made %lld round trips to the server",
		         (long long)moved);
	stop(&t);
}

static void test_dashboard(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "dash.db", "lead", 24, 100);
	open_app(&t);
	assert_row_has(0, "handover");
	assert_row_has(0, "Test file");
	assert_row_has(0, "Lee Lead (lead)");
	char title[120];
	snprintf(title, sizeof title, "%s [%s]", tu_shown_name("dash.db"),
	         tu_pg() ? "postgresql" : "wal");
	assert_row_has(0, title);
	assert_row_has(0, "live");
	assert_row_has(1, "Dashboard");
	assert_screen("Dental");
	int fin = find_row("Finance");
	assert_true(fin > 0);
	assert_row_has(fin, "Sam Sender");
	assert_row_has(fin, "Rita Receiver");
	assert_row_has(fin, "0/3");
	int dig = find_row("Digital");
	assert_row_has(dig, "no sender");
	assert_row_has(dig, "no receiver");
	/* DIG's due date passed: its two items are overdue. */
	assert_row_has(dig, "0/2");
	assert_row_has(LINES - 1, "Enter open");
	assert_row_has(LINES - 1, "? help");
	/* q on the dashboard quits. */
	ungetch('q');
	tui_input in;
	tui_input_get(0, &in);
	assert_int_equal(tui_app_input(t.app, &in), 1);
	stop(&t);
}

/* Senders and receivers start on My work, leads on the dashboard. The
 * first screen stays at the bottom: Esc from any Tab screen comes back to
 * it, and q quits there. */
static void test_first_screen(void **state)
{
	(void)state;
	static const char *const logins[] = {"sam", "rita", "lead"};
	for (size_t i = 0; i < 3; i++) {
		struct t t;
		start_as(&t, "first.db", logins[i], 24, 100);
		t.app = tui_app_new(t.fx.db);
		assert_non_null(t.app);
		render(&t);
		int lead = strcmp(logins[i], "lead") == 0;
		assert_row_has(1, lead ? "Dashboard" : "My work");
		assert_row_has(LINES - 1, "q quit");
		/* Tab goes on to the next screen; Esc comes back to the first. */
		press(&t, '\t');
		assert_row_has(1, lead ? "My work" : "Gaps");
		press(&t, 27);
		assert_row_has(1, lead ? "Dashboard" : "My work");
		assert_int_equal(t.app->depth, 1);
		press(&t, KEY_BTAB);
		assert_row_has(1, lead ? "People" : "Dashboard");
		press(&t, 27);
		assert_row_has(1, lead ? "Dashboard" : "My work");
		ungetch('q');
		tui_input in;
		tui_input_get(0, &in);
		assert_int_equal(tui_app_input(t.app, &in), 1);
		stop(&t);
	}
}

/* What changed since I last looked: Rita looked on Sunday at 10:00; it is
 * now Tuesday, and since then Sam handed FIN-1 over and commented on FIN-2. The title
 * counts the changes; the rows are bold with a dot on My work, the
 * dashboard and the checklist until opened; the item's history marks the
 * news and names people; the Changes screen lists them newest first and
 * Enter opens the item; leaving records the look. */
static void test_changes_since_you_looked(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "news.db", "rita", 24, 110);
	assert_int_equal(ho_seen_mark(t.fx.db, 0), HO_OK); /* Sunday 10:00 */
	ho_clock_set(FX_NOW + 2 * 86400);                  /* Tuesday */
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract");
	assert_int_equal(ho_item_comment(t.other, item_id(&t, "FIN-2"), "Accruals to follow"),
	                 HO_OK);

	t.app = tui_app_new(t.fx.db);
	assert_non_null(t.app);
	t.app->guard_ms = 0;
	render(&t);
	assert_row_has(0, "2 changes since Sunday 10:00");
	/* My work: FIN-1 waits on her review, marked. */
	assert_row_has(1, "My work");
	int y = find_row("FIN-1\u2022");
	assert_true(y > 0);
	assert_true(cell_attr(y, column_of(y, "FIN-1")) & A_BOLD);
	/* The dashboard marks the function. */
	press(&t, KEY_BTAB);
	assert_row_has(1, "Dashboard");
	y = find_row("FIN\u2022");
	assert_true(y > 0);
	assert_row_has(y, "Finance");
	assert_true(cell_attr(y, column_of(y, "FIN")) & A_BOLD);
	assert_not_screen("DIG\u2022");
	/* The checklist marks both items, not the third. */
	open_fin(&t);
	assert_screen("FIN-1\u2022");
	assert_screen("FIN-2\u2022");
	assert_not_screen("FIN-3\u2022");
	/* Opened: the history marks the news and names who. */
	press(&t, '\r');
	assert_row_has(1, "Item FIN-1");
	y = find_row("\u2022 2026-11-24");
	assert_true(y > 0);
	assert_row_has(y, "Sam Sender");
	assert_true(cell_attr(y, column_of(y, "Sam")) & A_BOLD);
	/* Back: FIN-1 was opened, FIN-2 still waits; the function was opened. */
	press(&t, 27);
	assert_screen("FIN-1 ");
	assert_screen("FIN-2\u2022");
	press(&t, 27);
	assert_not_screen("FIN\u2022");
	/* Changes, on Tab after gaps: newest first; Enter opens the item. */
	press(&t, 27);
	assert_row_has(1, "My work");
	press(&t, '\t');
	press(&t, '\t');
	assert_row_has(1, "Changes: 2 changes by others since you last looked, Sunday 10:00");
	int first = find_row("FIN-2"), second = find_row("FIN-1");
	assert_true(first > 0 && second > first);
	assert_row_has(first, "Sam Sender");
	assert_row_has(first, "Accruals to follow");
	assert_row_has(second, "handed over");
	press(&t, '\r');
	assert_row_has(1, "Item FIN-2");
	press(&t, 27);
	assert_screen("FIN-2 ");
	assert_not_screen("\u2022");
	/* Leaving records the look: nothing is new for the next session. */
	tui_app_free(t.app);
	t.app = NULL;
	ho_change *c = NULL;
	size_t n = 0, total = 9;
	assert_int_equal(ho_changes(t.fx.db, 0, HO_SINCE_LAST, 0, &c, &n, &total), HO_OK);
	assert_int_equal(total, 0);
	ho_change_free(c, n);
	ho_clock_set(FX_NOW);
	stop(&t);
}

/* One vocabulary: the item screen says "to review" as the checklist does;
 * a lead is told what waits on them, not every row they watch; the people
 * screen counts people (and functions), not headings. */
static void test_one_vocabulary(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "words.db", "rita", 24, 110);
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract");
	open_app(&t);
	open_fin(&t);
	assert_row_has(find_row("FIN-1 "), "to review");
	press(&t, '\r');
	assert_row_has(1, "Item FIN-1: handed over / to review");
	assert_row_has(find_row("Receiver   "), "Rita Receiver: to review");
	assert_not_screen("pending");
	stop(&t);

	start_as(&t, "words.db", "lead", 24, 110);
	open_app(&t);
	press(&t, '\t');
	/* DIG is unpaired (the lead's to do); its overdue items wait on
	 * whoever will be paired: watched, not the lead's. */
	assert_row_has(1, "My work: 1 waiting on you, 2 to watch");
	press(&t, '\t');
	assert_row_has(1, "Gaps: ");
	assert_row_has(1, "of them waiting on you");
	press(&t, '\t');
	press(&t, '\t');
	press(&t, '\t');
	assert_row_has(1, "People and pairs");
	assert_row_has(1, "1/4 people");
	press(&t, 'G');
	assert_row_has(1, "2/2 functions");
	stop(&t);
}

/* A file of many handovers: the dashboard counts a handover's items when it
 * comes on screen, so the last one, far below the first screen, shows its
 * figures once scrolled to. */
static void test_dashboard_counts_what_it_shows(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "many.db", "lead", 24, 100);
	int64_t last = 0;
	for (int i = 1; i <= 6; i++) {
		char title[32];
		snprintf(title, sizeof title, "Board %d", i);
		assert_int_equal(ho_handover_add(t.fx.db, title, "", "", "", "", &last), HO_OK);
		assert_int_equal(ho_handover_apply_template(t.fx.db, last), HO_OK);
	}
	open_app(&t);
	assert_row_has(1, "7 handovers, 62 functions");
	assert_screen("Dental");
	int fin = find_row("Finance");
	assert_row_has(fin, "0/3"); /* on the first screen: counted */
	press(&t, KEY_END);
	int board = find_row("Board 6");
	if (board < 0)
		dump();
	assert_true(board > 0);
	assert_row_has(board, "0% ready, 0/10 signed");
	assert_row_has(board, "0/72");
	assert_row_has(LINES - 2, "Communications"); /* Board 6's last function */
	assert_row_has(LINES - 2, "0/7");
	stop(&t);
}

static void test_checklist_words(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "words.db", "sam", 24, 100);
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract");
	other_marks(&t, "rita", "FIN-1", HO_ACT_GAP, "Which ledger?");
	other_marks(&t, "sam", "FIN-2", HO_ACT_NOT_APPLICABLE, "No accruals");
	open_app(&t);
	open_fin(&t);
	assert_row_has(1, "FIN Finance");
	assert_row_has(1, "Sam Sender");
	int y1 = find_row("FIN-1"), y2 = find_row("FIN-2"), y3 = find_row("FIN-3");
	assert_row_has(y1, "in progress");
	assert_row_has(y1, "GAP");
	assert_row_has(y2, "N/A");
	assert_row_has(y2, "to review");
	assert_row_has(y3, "not started");
	assert_row_has(y3, "2026-11-30");
	/* Only what the sender may do on FIN-1 (a gap: hand over again). */
	assert_row_has(LINES - 1, "m handed over");
	assert_not_screen("a accept");
	/* DIG's items are past due. */
	press(&t, 27);
	press(&t, 'j');
	press(&t, '\r');
	assert_row_has(find_row("DIG-1"), "2026-11-01!");
	/* Too narrow for dates: the reference carries the mark. */
	resizeterm(14, 50);
	tui_app_pump(t.app);
	render(&t);
	assert_screen("DIG-1!");
	stop(&t);
}

static void test_sender_hands_over(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "mark.db", "sam", 24, 100);
	open_app(&t);
	open_fin(&t);
	press(&t, 'm');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_row_has(LINES - 1, "Evidence for FIN-1");
	type(&t, "Ledger extract 2026-03-31, Zoë's copy");
	press(&t, '\r');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	int y = find_row("FIN-1");
	assert_row_has(y, "handed over");
	assert_row_has(y, "to review");
	assert_screen("FIN-1 handed over");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.sender_state, HO_SENDER_HANDED_OVER);
	assert_string_equal(it.evidence, "Ledger extract 2026-03-31, Zoë's copy");
	ho_item_clear(&it);
	/* The item screen shows the evidence and its thread. */
	press(&t, '\r');
	assert_row_has(1, "Item FIN-1");
	assert_screen("Evidence");
	assert_screen("Zoë's copy");
	assert_screen("Sam Sender  evidence");
	stop(&t);
}

static void test_prompt_editing(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "edit.db", "sam", 24, 100);
	open_app(&t);
	open_fin(&t);
	press(&t, 'm');
	type(&t, "abcd");
	press(&t, KEY_LEFT);
	press(&t, KEY_LEFT);
	press(&t, KEY_BACKSPACE); /* abcd -> acd, cursor before c */
	type(&t, "X");            /* aXcd */
	press(&t, KEY_HOME);
	type(&t, "<");
	press(&t, KEY_END);
	type(&t, " 北京é>");
	press(&t, KEY_LEFT);
	press(&t, KEY_LEFT);
	press(&t, KEY_DC); /* the é goes */
	/* The cursor sits after 京: label, then "<aXcd 北京" (wide characters
	 * take two columns). */
	int cy, cx;
	getyx(curscr, cy, cx);
	assert_int_equal(cy, LINES - 1);
	int label = column_of(LINES - 1, "<aXcd");
	assert_int_equal(cx, label + ho_text_width("<aXcd 北京"));
	press(&t, '\r');
	ho_item it = item(&t, "FIN-1");
	assert_string_equal(it.evidence, "<aXcd 北京>");
	ho_item_clear(&it);
	stop(&t);
}

static void test_escape_cancels(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "esc.db", "sam", 24, 100);
	open_app(&t);
	open_fin(&t);
	press(&t, 'm');
	type(&t, "half typed");
	press(&t, 27);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("Cancelled");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.sender_state, HO_SENDER_NOT_STARTED);
	ho_item_clear(&it);
	/* Esc again goes back to the dashboard. */
	press(&t, 27);
	assert_row_has(1, "Dashboard");
	stop(&t);
}

static void test_live_update_keeps_selection(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "live.db", "rita", 24, 100);
	open_app(&t);
	open_fin(&t);
	press(&t, 'j');
	assert_row_has(1, "2/3");
	/* The sender, elsewhere, hands FIN-1 over. */
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract");
	tui_app_poll(t.app);
	render(&t);
	assert_row_has(find_row("FIN-1"), "to review");
	assert_row_has(1, "2/3");
	assert_row_has(0, "updated");
	/* A row above the selection goes (filter): the selection stays on
	 * the same item. */
	press(&t, 'g');
	press(&t, 'j');
	press(&t, 'j'); /* FIN-3 */
	other_marks(&t, "sam", "FIN-2", HO_ACT_IN_PROGRESS, NULL);
	tui_app_poll(t.app);
	render(&t);
	assert_row_has(1, "3/3");
	stop(&t);
}

static void test_stale_edit(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "stale.db", "rita", 24, 120);
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract");
	open_app(&t);
	open_fin(&t);
	assert_row_has(find_row("FIN-1"), "to review");
	/* Sam withdraws it before Rita's screen caught up. */
	other_marks(&t, "sam", "FIN-1", HO_ACT_IN_PROGRESS, NULL);
	press(&t, 'a');
	assert_true(t.app->msg_error);
	assert_screen("Sam Sender");
	assert_screen("Your change was not");
	/* ... and the new state is on screen. */
	assert_row_has(find_row("FIN-1 "), "in progress");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_NONE);
	ho_item_clear(&it);
	stop(&t);
}

static void test_stale_edit_while_typing(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "typing.db", "sam", 24, 120);
	open_app(&t);
	open_fin(&t);
	press(&t, 'm');
	type(&t, "Ledger extract");
	/* Meanwhile the same item is marked not applicable elsewhere (the
	 * sender's other session); the screen follows, the prompt stays. */
	other_marks(&t, "sam", "FIN-1", HO_ACT_NOT_APPLICABLE, "Not ours");
	tui_app_poll(t.app);
	render(&t);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	/* The person's own other session changed it: no news mark (that is
	 * for others' changes), but the change is still refused below. */
	assert_row_has(find_row("FIN-1 "), "N/A");
	assert_not_screen("FIN-1\u2022");
	press(&t, '\r');
	assert_true(t.app->msg_error);
	assert_screen("since you looked");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.sender_state, HO_SENDER_NOT_APPLICABLE);
	assert_string_equal(it.evidence, "");
	ho_item_clear(&it);
	stop(&t);
}

static void test_busy_file_keeps_screen(void **state)
{
	(void)state;
	struct t t;
	tu_skip_on_pg("a writer's exclusive lock on a file in rollback-journal mode: on "
	              "PostgreSQL no one stops readers");
	/* A rollback journal, so a writer's exclusive lock blocks readers. */
	setenv("HANDOVER_JOURNAL", "delete", 1);
	start_as(&t, "busy.db", "rita", 24, 100);
	open_app(&t);
	open_fin(&t);
	assert_row_has(0, "[delete]");
	sqlite3 *raw = NULL;
	assert_int_equal(sqlite3_open(t.fx.path, &raw), SQLITE_OK);
	assert_int_equal(sqlite3_exec(raw, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	tui_app_reload(t.app);
	render(&t);
	assert_row_has(0, "stale");
	assert_true(t.app->msg_error);
	assert_screen("FIN-1"); /* what it showed stays */
	assert_int_equal(sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	tui_app_poll(t.app);
	render(&t);
	assert_row_has(0, "live");
	assert_screen("FIN-3");
	unsetenv("HANDOVER_JOURNAL");
	stop(&t);
}

static void test_busy_write_keeps_typing(void **state)
{
	(void)state;
	struct t t;
	setenv("HANDOVER_JOURNAL", "delete", 1);
	start_as(&t, "busywrite.db", "sam", 24, 120);
	open_app(&t);
	t.app->write_busy_ms = 200;
	ho_set_busy_timeout(t.fx.db, 200);
	open_fin(&t);
	press(&t, 'c');
	type(&t, "Typed while locked");
	/* Someone mid-change: a file's exclusive lock, or on PostgreSQL a
	 * session holding the write lock. */
	sqlite3 *raw = NULL;
	PGconn *server = NULL;
	if (tu_pg()) {
		server = PQconnectdb(t.fx.path);
		PGresult *r = PQexec(server, "BEGIN; SELECT pg_advisory_xact_lock(1215256146)");
		assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
		PQclear(r);
	} else {
		assert_int_equal(sqlite3_open(t.fx.path, &raw), SQLITE_OK);
		assert_int_equal(sqlite3_exec(raw, "BEGIN EXCLUSIVE", NULL, NULL, NULL), SQLITE_OK);
	}
	press(&t, '\r');
	/* Refused with the reason, and the text is back in the prompt. */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_true(t.app->msg_error);
	assert_screen("locked");
	assert_row_has(LINES - 1, "Typed while locked");
	if (server) {
		PQclear(PQexec(server, "COMMIT"));
		PQfinish(server);
	} else {
		assert_int_equal(sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(raw);
	}
	press(&t, '\r');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("Comment added to FIN-1");
	unsetenv("HANDOVER_JOURNAL");
	stop(&t);
}

static void test_not_offered(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "perm.db", "rita", 24, 100);
	open_app(&t);
	open_fin(&t);
	/* Nothing handed over: the receiver has nothing but comments. */
	assert_row_has(LINES - 1, "c comment");
	assert_not_screen("handed over  ");
	assert_not_screen("a accept");
	press(&t, 'm');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("only the function's sender may do this");
	stop(&t);
}

static void test_viewer(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "viewer.db", "stranger", 24, 100);
	open_app(&t);
	assert_row_has(0, "stranger (viewer, read-only)");
	assert_not_screen("u undo");
	open_fin(&t);
	assert_not_screen("c comment");
	press(&t, 'c');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("read-only");
	stop(&t);
}

static void test_undo(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "undo.db", "sam", 24, 100);
	open_app(&t);
	open_fin(&t);
	press(&t, 'w');
	assert_row_has(find_row("FIN-1"), "in progress");
	press(&t, 'u');
	assert_screen("Undone");
	assert_row_has(find_row("FIN-1"), "not started");
	/* Nothing left to undo: the core says so. */
	press(&t, 'u');
	assert_true(t.app->msg_error);
	assert_screen("nothing to undo");
	/* Handed over, then accepted by the receiver: too late to undo. */
	press(&t, 'm');
	type(&t, "Ledger\r");
	other_marks(&t, "rita", "FIN-1", HO_ACT_ACCEPTED, NULL);
	press(&t, 'u');
	assert_true(t.app->msg_error);
	assert_screen("cannot undo");
	assert_row_has(find_row("FIN-1"), "accepted");
	stop(&t);
}

static void accept_all_fin(struct t *t)
{
	const char *refs[] = {"FIN-1", "FIN-2", "FIN-3"};
	for (int i = 0; i < 3; i++) {
		other_marks(t, "sam", refs[i], HO_ACT_HANDED_OVER, "evidence");
		other_marks(t, "rita", refs[i], HO_ACT_ACCEPTED, NULL);
	}
}

static int64_t fin_sender_signed(struct t *t)
{
	ho_function *fs = NULL;
	size_t n = 0;
	assert_int_equal(ho_functions_list(t->fx.db, t->fx.handover, &fs, &n), HO_OK);
	int64_t at = -1;
	for (size_t i = 0; i < n; i++)
		if (fs[i].id == t->fx.fin)
			at = fs[i].sender_signed_at;
	ho_function_free(fs, n);
	return at;
}

static void test_sign_off_asks_first(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "sign.db", "sam", 24, 100);
	accept_all_fin(&t);
	open_app(&t);
	int fin = find_row("Finance");
	assert_row_has(fin, "3/3");
	assert_row_has(LINES - 1, "s sign off");
	press(&t, 's');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_CONFIRM);
	assert_row_has(LINES - 1, "Sign off FIN Finance as its sender?");
	press(&t, 'n');
	assert_int_equal(fin_sender_signed(&t), 0);
	press(&t, 's');
	press(&t, 'y');
	assert_screen("FIN signed off");
	assert_true(fin_sender_signed(&t) != 0);
	assert_row_has(find_row("Finance"), "S\xe2\x9c\x93 R");
	/* Signed: not offered again. */
	assert_not_screen("s sign off");
	stop(&t);
}

/* Not ready: the refusal names the items and whose move each is. */
static void test_sign_refusal_names_blockers(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "notready.db", "sam", 24, 160);
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "evidence");
	open_app(&t);
	press(&t, 's');
	assert_true(t.app->msg_error);
	assert_screen("FIN-2, FIN-3 wait on sam (sender, to hand over)");
	assert_int_equal(fin_sender_signed(&t), 0);
	stop(&t);
}

static void test_gaps_open_item(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "gaps.db", "rita", 24, 100);
	other_marks(&t, "sam", "FIN-2", HO_ACT_HANDED_OVER, "List v1");
	open_app(&t);
	press(&t, '\t'); /* my work */
	assert_row_has(1, "My work");
	press(&t, '\t');
	assert_row_has(1, "Gaps");
	int y = find_row("FIN-2");
	assert_true(y > 0);
	assert_row_has(y, "unreviewed");
	assert_row_has(y, "you");
	/* Item actions work here too. */
	assert_row_has(LINES - 1, "a accept");
	press(&t, '\r');
	assert_row_has(1, "Item FIN-2");
	press(&t, 'r');
	type(&t, "Which accruals are missing?");
	press(&t, '\r');
	assert_screen("Gap raised on FIN-2");
	assert_screen("query (open)");
	press(&t, 27);
	assert_row_has(1, "Gaps");
	/* Tab goes on to changes, risks and people, then round to the
	 * dashboard. */
	press(&t, '\t');
	assert_row_has(1, "Changes:");
	press(&t, '\t');
	assert_row_has(1, "Risks:");
	assert_screen("No risks recorded");
	press(&t, '\t');
	assert_row_has(1, "People and pairs");
	press(&t, '\t');
	assert_row_has(1, "Dashboard");
	stop(&t);
}

/* Prompts and their continuations: the answer reaches the function the
 * prompt was opened with, with its own context; the context is freed once,
 * whether the prompt is answered, cancelled or handed on to a second
 * question; a refusal (TUI_REQ_RETRY) gives the text back to mend. */
struct answers {
	int calls, freed;
	char last[64];
	int refuse;    /* refuse this many answers */
	int ask_again; /* hand the ctx on to a second question once */
};

static struct answers answers;

static void answers_free(void *ctx)
{
	assert_ptr_equal(ctx, &answers);
	answers.freed++;
}

static tui_req record_answer(tui_app *app, void *ctx, const char *text, int choice)
{
	struct answers *a = ctx;
	assert_ptr_equal(a, &answers);
	a->calls++;
	snprintf(a->last, sizeof a->last, "%s/%d", text ? text : "(none)", choice);
	if (a->refuse > 0) {
		a->refuse--;
		tui_error(app, "Refused: try again.");
		return tui_req_make(TUI_REQ_REDRAW | TUI_REQ_RETRY);
	}
	if (a->ask_again) {
		a->ask_again = 0;
		tui_prompt_confirm(app, "Second question?", record_answer, a, answers_free);
	}
	return tui_req_make(TUI_REQ_REDRAW);
}

static void test_prompt_continuations(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "prompts.db", "lead", 24, 100);
	open_app(&t);
	/* Cancelled: freed, never called. */
	memset(&answers, 0, sizeof answers);
	tui_prompt_text(t.app, "First:", "", 10, record_answer, &answers, answers_free);
	type(&t, "abc");
	press(&t, 27);
	assert_int_equal(answers.calls, 0);
	assert_int_equal(answers.freed, 1);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	/* Refused once: the text comes back under the same question, the
	 * reason shown, and the context is still the prompt's. */
	memset(&answers, 0, sizeof answers);
	answers.refuse = 1;
	tui_prompt_text(t.app, "First:", "", 10, record_answer, &answers, answers_free);
	type(&t, "abc\r");
	assert_int_equal(answers.calls, 1);
	assert_int_equal(answers.freed, 0);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_string_equal(t.app->modal.label, "First:");
	assert_screen("Refused: try again.");
	assert_row_has(LINES - 1, "abc");
	/* Its limit holds on the way back too. */
	type(&t, "defghijk\r");
	assert_screen("Too long: 11 bytes, at most 10");
	assert_int_equal(answers.calls, 1);
	press(&t, KEY_BACKSPACE);
	type(&t, "\r");
	assert_int_equal(answers.calls, 2);
	assert_string_equal(answers.last, "abcdefghij/-1");
	assert_int_equal(answers.freed, 1);
	/* Handed on: the second question owns it; freed once, after it. */
	memset(&answers, 0, sizeof answers);
	answers.ask_again = 1;
	const char *const choices[] = {"one", "two"};
	tui_prompt_menu(t.app, "Pick", choices, 2, 0, record_answer, &answers, answers_free);
	type(&t, "2");
	assert_string_equal(answers.last, "(none)/1");
	assert_int_equal(answers.freed, 0);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_CONFIRM);
	press(&t, 'y');
	assert_int_equal(answers.calls, 2);
	assert_string_equal(answers.last, "(none)/1");
	assert_int_equal(answers.freed, 1);
	/* A prompt replaced by another before it is answered frees its own. */
	memset(&answers, 0, sizeof answers);
	tui_prompt_text(t.app, "First:", "", 10, record_answer, &answers, answers_free);
	tui_prompt_confirm(t.app, "Other?", record_answer, NULL, NULL);
	assert_int_equal(answers.freed, 1);
	press(&t, 'n');
	/* Open at the end: closing the application frees it. */
	memset(&answers, 0, sizeof answers);
	tui_prompt_text(t.app, "First:", "", 10, record_answer, &answers, answers_free);
	stop(&t);
	assert_int_equal(answers.freed, 1);
	assert_int_equal(answers.calls, 0);
}

static void test_people_add_and_pair(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "people.db", "lead", 30, 100);
	open_app(&t);
	press(&t, KEY_BTAB);
	assert_row_has(1, "People and pairs");
	assert_row_has(LINES - 1, "a add person");
	press(&t, 'a');
	type(&t, "zoe\r");
	type(&t, "Zoë Ünal 北京\r");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_MENU);
	press(&t, KEY_DOWN);
	press(&t, '\r'); /* receiver */
	type(&t, "Mersey ICB\r");
	assert_screen("Added zoe as a receiver");
	assert_row_has(find_row("zoe"), "Zoë Ünal 北京");
	/* DIG has nobody: choose its sender and receiver. */
	press(&t, 'G');
	assert_row_has(find_row("Digital"), "none");
	press(&t, 'S');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_MENU);
	assert_screen("Sender for Dental DIG Digital");
	type(&t, "2"); /* Sue Other (senders by name: Sam, Sue) */
	assert_screen("Dental DIG: sender is now Sue Other.");
	press(&t, 'R');
	press(&t, KEY_END);
	press(&t, '\r');
	assert_screen("Dental DIG: receiver is now Zoë Ünal 北京.");
	assert_row_has(find_row("Digital"), "Sue Other");
	press(&t, 'd');
	press(&t, TUI_CTRL('u'));
	type(&t, "12/31/2026\r"); /* month first: refused, saying what is expected */
	assert_true(t.app->msg_error);
	/* Refused, saying what is expected, and the date typed is back in the
	 * prompt to mend. */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_row_has(LINES - 1, "12/31/2026");
	assert_screen("15/12/2026");
	press(&t, TUI_CTRL('u'));
	type(&t, "31/12/2026\r"); /* UK day/month/year */
	assert_row_has(find_row("Digital"), "2026-12-31");
	press(&t, 'd');
	press(&t, TUI_CTRL('u'));
	type(&t, "2026-12-24\r");
	assert_row_has(find_row("Digital"), "2026-12-24");
	stop(&t);
}

/* Move the people screen's selection onto the person `login` (their row's
 * search text starts with the login). */
static void select_person(struct t *t, const char *login)
{
	char want[80];
	snprintf(want, sizeof want, "%s ", login);
	press(t, 'g');
	for (int i = 0; i < 20; i++) {
		tui_view *v = tui_top(t->app);
		char *text = v->ops->row_text(v, t->app, v->list.sel);
		int found = text && strncmp(text, want, strlen(want)) == 0;
		free(text);
		if (found)
			return;
		press(t, KEY_DOWN);
	}
	fail_msg("no row for %s on the people screen", login);
}

/* A leaver: the lead records it with L, naming nobody to take over; the
 * person stays listed as left and their pair becomes unpaired. */
static void test_people_leave(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "leave.db", "lead", 30, 120);
	open_app(&t);
	press(&t, KEY_BTAB);
	assert_row_has(1, "People and pairs");
	select_person(&t, "sam");
	press(&t, 'L');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_non_null(strstr(t.app->modal.label, "Who takes over sam's pairs?"));
	press(&t, '\r'); /* nobody */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_CONFIRM);
	assert_non_null(strstr(t.app->modal.label, "Record that Sam Sender (sam) left?"));
	assert_non_null(strstr(t.app->modal.label, "their pairs become unpaired"));
	press(&t, 'y');
	assert_screen("sam has left; 1 pair now unpaired");
	assert_row_has(find_row("Sam Sender"), "left");
	assert_row_has(find_row("Finance"), "none");
	stop(&t);
}

/* L with a successor: one who cannot take the pairs is refused with the
 * login kept to mend; then the pairs move to the one named. */
static void test_people_leave_to_successor(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "leave2.db", "lead", 30, 120);
	open_app(&t);
	press(&t, KEY_BTAB);
	select_person(&t, "sam");
	press(&t, 'L');
	type(&t, "nobody\r"); /* no such person: asked again, text kept */
	assert_true(t.app->msg_error);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_row_has(LINES - 1, "nobody");
	press(&t, TUI_CTRL('u'));
	type(&t, "rita\r"); /* a receiver cannot take a sender's pairs */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_CONFIRM);
	press(&t, 'y');
	assert_true(t.app->msg_error);
	assert_screen("rita is a receiver; sam's pair on FIN needs a sender");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_non_null(strstr(t.app->modal.label, "Who takes over sam's pairs?"));
	assert_row_has(LINES - 1, "rita");
	assert_null(strstr(row(find_row("Sam Sender")), "left"));
	press(&t, TUI_CTRL('u'));
	type(&t, "sue\r");
	assert_non_null(strstr(t.app->modal.label, "their pairs move to Sue Other (sue)"));
	press(&t, 'y');
	assert_screen("sam has left; 1 pair moved to sue");
	assert_row_has(find_row("Sam Sender"), "left");
	assert_row_has(find_row("Finance"), "Sue Other");
	stop(&t);
}

/* e edits a person: name, organisation, job title, then roles as a set. A
 * role that no longer fits a pair is refused and the answers come back. */
static void test_people_edit(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "edit.db", "lead", 30, 140);
	open_app(&t);
	press(&t, KEY_BTAB);
	assert_row_has(LINES - 1, "e edit");
	select_person(&t, "sam");
	press(&t, 'e');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_string_equal(t.app->modal.label, "Name of sam:");
	assert_row_has(LINES - 1, "Sam Sender");
	press(&t, TUI_CTRL('u'));
	type(&t, "Sam Patel\r");
	assert_non_null(strstr(t.app->modal.label, "Organisation of sam"));
	press(&t, '\r');
	assert_non_null(strstr(t.app->modal.label, "Job title of sam"));
	type(&t, "Finance manager\r");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_MENU);
	assert_screen("Roles of sam");
	assert_int_equal(t.app->modal.sel, 0); /* sender, as now */
	assert_screen("lead, sender, receiver");
	/* Receiver only: sam sends FIN, so it is refused and asked again. */
	type(&t, "2");
	assert_true(t.app->msg_error);
	assert_screen("sam is the sender of FIN");
	assert_string_equal(t.app->modal.label, "Name of sam:");
	assert_row_has(LINES - 1, "Sam Patel");
	press(&t, '\r');
	press(&t, '\r');
	press(&t, '\r');
	type(&t, "4"); /* lead, sender */
	assert_false(t.app->msg_error);
	assert_screen("sam saved (lead, sender)");
	int r = find_row("Sam Patel");
	assert_row_has(r, "lead, sender");
	assert_row_has(r, "Finance manager");
	ho_person p;
	assert_int_equal(ho_person_get(t.app->db, "sam", &p), HO_OK);
	assert_string_equal(p.job_title, "Finance manager");
	assert_int_equal(p.roles, HO_ROLE_BIT(HO_ROLE_LEAD) | HO_ROLE_BIT(HO_ROLE_SENDER));
	ho_person_clear(&p);
	/* A new person may hold several roles from the start. */
	press(&t, 'a');
	type(&t, "rl\rRegional Lead\r");
	assert_screen("Roles of rl");
	type(&t, "5"); /* lead, receiver */
	type(&t, "\r");
	assert_screen("Added rl as lead, receiver");
	assert_row_has(find_row("Regional Lead"), "lead, receiver");
	stop(&t);
}

/* W on the dashboard: a lead sees who waits on whom across the file, per
 * person and oldest first, the unpaired last; Enter opens the item. Others
 * are told it is a lead's view. */
static void test_waiting_on_whom(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "waiting.db", "lead", 30, 120);
	/* FIN-2 handed over an hour before FIN-1: it has waited longer. */
	ho_clock_set(FX_NOW + 3600);
	other_marks(&t, "sam", "FIN-2", HO_ACT_HANDED_OVER, "ref 2");
	ho_clock_set(FX_NOW + 7200);
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "ref 1");
	open_app(&t);
	assert_row_has(LINES - 1, "W who waits");
	press(&t, 'W');
	assert_row_has(1, "Waiting on whom: 5 items on 2 people");
	int rita = find_row("Rita Receiver (rita): 2 items");
	int sam = find_row("Sam Sender (sam): 1 item");
	int nobody = find_row("Nobody paired (a lead to pair): 2 items");
	assert_true(rita > 0 && sam > rita && nobody > sam);
	int fin2 = find_row("FIN-2"), fin1 = find_row("FIN-1");
	assert_true(rita < fin2 && fin2 < fin1 && fin1 < sam); /* oldest first */
	assert_row_has(fin1, "review");
	assert_row_has(find_row("FIN-3"), "hand over");
	assert_true(find_row("DIG-1") > nobody);
	/* The first row is FIN-2 (headings are passed over); Enter opens it. */
	press(&t, '\r');
	assert_row_has(1, "FIN-2");
	press(&t, 27);
	assert_row_has(1, "Waiting on whom");
	/* It follows the file: rita accepts FIN-2 elsewhere. */
	other_marks(&t, "rita", "FIN-2", HO_ACT_ACCEPTED, NULL);
	tui_app_poll(t.app);
	render(&t);
	assert_row_has(1, "Waiting on whom: 4 items");
	assert_screen("Rita Receiver (rita): 1 item");
	stop(&t);

	start_as(&t, "waiting2.db", "sam", 30, 120);
	open_app(&t);
	assert_not_screen("who waits");
	press(&t, 'W');
	assert_screen("Only a lead sees who waits on whom");
	assert_row_has(1, "Dashboard");
	stop(&t);
}

/* :REF from who waits on whom looks first in the selected row's handover,
 * not in the dashboard's row under the screen. */
static void test_waiting_jump_uses_row_handover(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "waitjump.db", "lead", 30, 120);
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "ref 1");
	int64_t opt = 0, opt_fin = 0, opt_fin1 = 0;
	assert_int_equal(ho_handover_add(t.fx.db, "Optometry", "Optometry",
	                                 "NHS England North West", "Mersey ICB", "2027-04-01",
	                                 &opt),
	                 HO_OK);
	assert_int_equal(ho_function_add(t.fx.db, opt, "FIN", "Finance", "2026-12-31", &opt_fin),
	                 HO_OK);
	assert_int_equal(ho_item_add(t.fx.db, opt_fin, "Reconcile budgets", "", "", &opt_fin1),
	                 HO_OK);
	open_app(&t);
	press(&t, 'W');
	assert_row_has(1, "Waiting on whom");
	press(&t, '/');
	type(&t, "Optometry\r");
	assert_not_screen("Not found");
	press(&t, ':');
	type(&t, "FIN-1\r");
	assert_ptr_equal(tui_top(t.app)->ops, &tui_item_view);
	assert_int_equal(tui_top(t.app)->id, opt_fin1);
	/* From Dental's row, Dental's FIN-1. */
	press(&t, 27);
	press(&t, 'g');
	press(&t, ':');
	type(&t, "FIN-1\r");
	assert_ptr_equal(tui_top(t.app)->ops, &tui_item_view);
	assert_int_equal(tui_top(t.app)->id, item_id(&t, "FIN-1"));
	stop(&t);
}

/* Re-pairing a side someone holds asks first, naming the handover and who
 * held it; n keeps the pair, y changes it and says who it was. Choosing
 * the one who holds it changes nothing. */
static void test_repair_asks_first(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "repair.db", "lead", 30, 120);
	open_app(&t);
	press(&t, KEY_BTAB);
	int fin = find_row("Finance");
	assert_row_has(fin, "Sam Sender");
	press(&t, 'G');
	press(&t, KEY_UP); /* FIN: the first of the two functions */
	press(&t, 'S');
	assert_screen("Sender for Dental FIN Finance");
	assert_int_equal(t.app->modal.sel, 0); /* Sam, who sends it now */
	type(&t, "1");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("Dental FIN: Sam Sender is already the sender; nothing changed.");
	press(&t, 'S');
	type(&t, "2"); /* Sue */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_CONFIRM);
	assert_string_equal(
	    t.app->modal.label,
	    "Dental FIN: make Sue Other (sue) the sender instead of Sam Sender (sam)?");
	press(&t, 'n');
	assert_row_has(find_row("Finance"), "Sam Sender");
	press(&t, 'S');
	type(&t, "2");
	press(&t, 'y');
	assert_screen("Dental FIN: sender is now Sue Other (was Sam Sender).");
	assert_row_has(find_row("Finance"), "Sue Other");
	ho_function f;
	assert_int_equal(ho_function_get(t.app->db, t.fx.fin, &f), HO_OK);
	assert_string_equal(f.sender_login, "sue");
	ho_function_clear(&f);
	stop(&t);
}

static void test_people_not_offered_to_others(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "people2.db", "sam", 24, 100);
	open_app(&t);
	press(&t, KEY_BTAB);
	assert_not_screen("a add person");
	press(&t, 'a');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("Only a lead adds people");
	stop(&t);
}

static void test_help_lists_every_key(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "help.db", "sam", 70, 200);
	open_app(&t);
	press(&t, '?');
	assert_row_has(1, "Help");
	size_t n;
	const struct tui_key *keys = tui_keys(&n);
	for (size_t i = 0; i < n; i++) {
		char want[300];
		snprintf(want, sizeof want, "%-14s%s", keys[i].label, keys[i].help);
		assert_screen(want);
	}
	press(&t, '?');
	assert_row_has(1, "Dashboard");
	stop(&t);
}

static void test_resize(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "resize.db", "sam", 24, 100);
	open_app(&t);
	open_fin(&t);
	resizeterm(14, 50);
	tui_app_pump(t.app);
	render(&t);
	assert_int_equal(COLS, 50);
	assert_row_has(0, "Sam Sender (sender)");
	assert_row_has(0, "live");
	assert_screen("FIN-1");
	assert_screen("FIN-3");
	assert_row_has(13, "? help");
	resizeterm(10, 40);
	tui_app_pump(t.app);
	render(&t);
	assert_screen("Enlarge the window (need 50x12)");
	/* Keys other than q do nothing blind. */
	press(&t, 'm');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	resizeterm(24, 100);
	tui_app_pump(t.app);
	render(&t);
	assert_not_screen("Enlarge");
	assert_screen("FIN-2");
	stop(&t);
}

static void test_no_color(void **state)
{
	(void)state;
	struct t t;
	setenv("NO_COLOR", "1", 1);
	start_as(&t, "nocolor.db", "sam", 24, 100);
	assert_false(tui_theme_colour());
	open_app(&t);
	open_fin(&t);
	int y = find_row("FIN-1");
	assert_true(cell_attr(y, 3) & A_REVERSE);
	assert_false(cell_attr(find_row("FIN-2"), 3) & A_REVERSE);
	stop(&t);
}

static void test_monochrome_terminal(void **state)
{
	(void)state;
	struct t t;
	memset(&t, 0, sizeof t);
	fx_build(&t.fx, "mono.db");
	ho_close(t.fx.db);
	t.fx.db = tu_open_as(t.fx.path, "sam");
	term_start(&t, "vt100", 24, 80);
	assert_false(tui_theme_colour());
	open_app(&t);
	open_fin(&t);
	assert_true(cell_attr(find_row("FIN-1"), 3) & A_REVERSE);
	stop(&t);
}

static void test_colour_terminal(void **state)
{
	(void)state;
	struct t t;
	unsetenv("NO_COLOR");
	start_as(&t, "colour.db", "sam", 24, 100);
	assert_true(tui_theme_colour());
	open_app(&t);
	stop(&t);
}

static void test_hostile_text_is_harmless(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "hostile.db", "sam", 24, 120);
	ho_db *db = other(&t, "rita");
	assert_int_equal(ho_item_comment(db, item_id(&t, "FIN-1"),
	                                 "Escapes: \x1b[31mRED\x1b[0m \x1b]0;title\a "
	                                 "bidi:\xe2\x80\xae"
	                                 "abc\xe2\x80\xac tab:\tend\r\nline2"),
	                 HO_OK);
	open_app(&t);
	open_fin(&t);
	press(&t, '\r');
	assert_screen("Escapes: RED");
	assert_screen("bidi:abc tab: end");
	assert_screen("line2");
	for (int y = 0; y < LINES; y++)
		for (const unsigned char *p = (const unsigned char *)row(y); *p; p++)
			assert_true(*p >= 0x20 && *p != 0x7f);
	assert_not_screen("\xe2\x80\xae");
	stop(&t);
}

static void test_mouse(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "mouse.db", "sam", 24, 100);
	open_app(&t);
	open_fin(&t);
	int y = find_row("FIN-3");
	MEVENT ev = {0};
	ev.y = y;
	ev.x = 10;
	ev.bstate = BUTTON1_CLICKED;
	ungetmouse(&ev);
	tui_app_pump(t.app);
	render(&t);
	assert_row_has(1, "3/3");
	ev.bstate = BUTTON1_DOUBLE_CLICKED;
	ungetmouse(&ev);
	tui_app_pump(t.app);
	render(&t);
	assert_row_has(1, "Item FIN-3");
	stop(&t);
}

static void test_search_and_filter(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "search.db", "sam", 24, 100);
	open_app(&t);
	open_fin(&t);
	press(&t, '/');
	type(&t, "ACCRUALS\r");
	assert_row_has(1, "2/3");
	press(&t, '/');
	type(&t, "\r"); /* the same again: only one match, it stays */
	assert_row_has(1, "2/3");
	press(&t, '/');
	type(&t, "nothing like it\r");
	assert_screen("Not found: nothing like it");
	/* Filter: overdue has nothing in FIN. */
	press(&t, 'f');
	assert_row_has(1, "filter: mine");
	press(&t, 'f');
	press(&t, 'f');
	assert_row_has(1, "filter: overdue");
	assert_screen("No items match the filter");
	press(&t, 'f');
	assert_row_has(1, "filter: all");
	assert_screen("FIN-3");
	stop(&t);
}

static void test_print(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "print.db", "sam", 24, 120);
	open_app(&t);
	open_fin(&t);
	press(&t, 'p');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_MENU);
	type(&t, "1"); /* text */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_row_has(LINES - 1, ".txt");
	press(&t, TUI_CTRL('u'));
	const char *path = tu_out("fin.txt");
	type(&t, path);
	press(&t, '\r');
	assert_screen("Wrote");
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 0);
	/* Again: it asks before replacing. */
	press(&t, 'p');
	type(&t, "1");
	press(&t, TUI_CTRL('u'));
	type(&t, path);
	press(&t, '\r');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_CONFIRM);
	press(&t, 'n');
	assert_screen("Cancelled");
	/* Yes replaces it. */
	assert_int_equal(truncate(path, 0), 0);
	press(&t, 'p');
	type(&t, "1");
	press(&t, TUI_CTRL('u'));
	type(&t, path);
	press(&t, '\r');
	press(&t, 'y');
	assert_screen("Wrote");
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 0);
	stop(&t);
}

/* p on the dashboard offers the roll-up after the formats: one document
 * over every handover, in the format asked next. */
static void test_print_offers_rollup(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "rollup.db", "lead", 24, 120);
	open_app(&t);
	press(&t, 'g'); /* the handover's row */
	press(&t, 'p');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_MENU);
	assert_screen("every handover in the file (roll-up)");
	type(&t, "8");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_MENU);
	assert_screen("Print every handover (roll-up) as");
	type(&t, "1"); /* text */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_row_has(LINES - 1, "handover-rollup-");
	press(&t, TUI_CTRL('u'));
	const char *path = tu_out("rollup.txt");
	type(&t, path);
	press(&t, '\r');
	assert_screen("Wrote");
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char line[200] = "", second[200] = "";
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(fgets(second, sizeof second, f));
	fclose(f);
	assert_string_equal(second, "HANDOVER ROLL-UP\n");
	stop(&t);
}

/* The print menu offers every format, the workbook and the Word file too. */
static void test_print_menu_offers_office_formats(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "printx.db", "sam", 24, 120);
	open_app(&t);
	open_fin(&t);
	press(&t, 'p');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_MENU);
	assert_screen("xlsx");
	assert_screen("docx");
	type(&t, "6"); /* xlsx */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_row_has(LINES - 1, ".xlsx");
	press(&t, TUI_CTRL('u'));
	const char *path = tu_out("fin.xlsx");
	type(&t, path);
	press(&t, '\r');
	assert_screen("Wrote");
	char magic[4] = {0};
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(magic, 1, 4, f), 4);
	fclose(f);
	assert_memory_equal(magic, "PK\x03\x04", 4);
	stop(&t);
}

/* The open file and its -wal are refused with the core's reason before
 * anything is asked; saying yes to "Replace it?" once wrote a CSV over
 * the -wal, and everyone's next command failed. */
static void test_print_refuses_open_file(void **state)
{
	(void)state;
	tu_skip_on_pg("printing over the open handover file or its -wal: a server has neither");
	struct t t;
	start_as(&t, "printself.db", "sam", 24, 120);
	open_app(&t);
	open_fin(&t);
	char before[65], after[65], wal[600];
	tu_file_hash(t.fx.path, before);
	snprintf(wal, sizeof wal, "%s-wal", t.fx.path);
	const char *targets[] = {t.fx.path, wal};
	for (int i = 0; i < 2; i++) {
		press(&t, 'p');
		type(&t, "4"); /* csv */
		assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
		press(&t, TUI_CTRL('u'));
		type(&t, targets[i]);
		press(&t, '\r');
		assert_int_not_equal(t.app->modal.kind, TUI_MODAL_CONFIRM);
		assert_screen("open handover file");
	}
	tu_file_hash(t.fx.path, after);
	assert_string_equal(before, after);
	stop(&t);
}

static void test_wide_names_align(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "wide.db", "lead", 24, 110);
	assert_int_equal(ho_person_add(t.fx.db, "kenji", "北京 太郎", HO_ROLE_SENDER, ""), HO_OK);
	assert_int_equal(ho_person_add(t.fx.db, "zoe", "Zoë Ünal", HO_ROLE_RECEIVER, ""), HO_OK);
	assert_int_equal(ho_pair(t.fx.db, t.fx.handover, "DIG", "kenji", "zoe"), HO_OK);
	open_app(&t);
	int fin = find_row("Finance"), dig = find_row("Digital");
	assert_row_has(dig, "北京 太郎");
	assert_int_equal(column_of(fin, "0/3"), column_of(dig, "0/2"));
	assert_int_equal(column_of(fin, "S\u00b7 R"), column_of(dig, "S\u00b7 R"));
	stop(&t);
}

static void test_not_applicable_and_conditions(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "cond.db", "sam", 24, 120);
	open_app(&t);
	open_fin(&t);
	press(&t, 'j');
	press(&t, '-');
	assert_row_has(LINES - 1, "Why is FIN-2 not applicable?");
	type(&t, "No accruals in dental\r");
	assert_row_has(find_row("FIN-2"), "N/A");
	assert_row_has(find_row("FIN-2"), "to review");
	tui_app_free(t.app);
	/* The receiver accepts it with a condition. */
	ho_set_actor(t.fx.db, "rita");
	open_app(&t);
	open_fin(&t);
	press(&t, 'j');
	assert_row_has(LINES - 1, "A conditions");
	press(&t, 'A');
	type(&t, "Confirm at month 1\r");
	/* Then who meets it (the receiver offered) and by when (the target
	 * date offered); a name that is no one's is asked again. */
	assert_row_has(LINES - 1, "Who meets the condition on FIN-2?");
	assert_row_has(LINES - 1, "rita");
	type(&t, "\x15nobody\r");
	assert_screen("'nobody' is not one of the file's people");
	assert_row_has(LINES - 1, "Who meets the condition on FIN-2?");
	type(&t, "\x15sam\r");
	assert_row_has(LINES - 1, "By when must the condition on FIN-2 be met?");
	assert_row_has(LINES - 1, "2027-04-01");
	type(&t, "\r");
	assert_row_has(find_row("FIN-2"), "conditions");
	press(&t, '\r');
	assert_screen("Not applicable because");
	assert_screen("No accruals in dental");
	assert_screen("Condition (carried forward)");
	assert_screen("Confirm at month 1");
	/* Carried forward: a gap of the kind "condition". */
	press(&t, '\t'); /* my work */
	press(&t, '\t');
	assert_row_has(1, "filter: mine");
	press(&t, 'f'); /* gaps: queries, unreviewed, conditions, unpaired */
	assert_row_has(1, "filter: gaps");
	assert_row_has(find_row("FIN-2"), "condition");
	stop(&t);
}

static void test_comment(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "comment.db", "rita", 24, 100);
	open_app(&t);
	open_fin(&t);
	press(&t, '\r');
	press(&t, 'c');
	type(&t, "Meeting on Tuesday\r");
	assert_screen("Comment added to FIN-1");
	assert_screen("Rita Receiver  comment");
	assert_screen("Meeting on Tuesday");
	assert_row_has(1, "Item FIN-1");
	stop(&t);
}

/* ---- find, sort, tag, fit --------------------------------------------------- */

/* Change the file as `login` through a second handle, as another person. */
static ho_db *person(struct t *t, const char *login)
{
	if (t->other)
		ho_close(t->other);
	t->other = tu_open_as(t->fx.path, login);
	assert_non_null(t->other);
	return t->other;
}

/* DIG paired with people whose names are long and accented. */
static void long_names(struct t *t)
{
	ho_db *lead = person(t, "lead");
	assert_int_equal(
	    ho_person_add(lead, "siobhan", "Siobhán O'Brien-Fitzgerald", HO_ROLE_SENDER, ""),
	    HO_OK);
	assert_int_equal(ho_person_add(lead, "zoe", "Zoë Lewis-Chowdhury", HO_ROLE_RECEIVER, ""),
	                 HO_OK);
	assert_int_equal(ho_pair(lead, t->fx.handover, "DIG", "siobhan", "zoe"), HO_OK);
}

/* At 80x24 the dashboard keeps RAG and every receiver whole; the sender's
 * name gives way first. */
static void test_dashboard_fits_80_columns(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "fit80.db", "lead", 24, 80);
	long_names(&t);
	open_app(&t);
	int head = find_row("Function");
	assert_true(head > 0);
	assert_row_has(head, "RAG");
	assert_row_has(head, "Accepted");
	int dig = find_row("DIG");
	assert_true(dig > 0);
	assert_row_has(dig, "Zoë Lewis-Chowdhury");
	assert_row_has(dig, "Sio");
	assert_not_screen("Siobhán O'Brien-Fitzgerald");
	assert_row_has(find_row("FIN"), "Rita Receiver");
	assert_row_has(dig, "RED"); /* DIG is overdue (due 2026-11-01) */
	stop(&t);
}

/* At 60 columns the gaps screen still says who acts. */
static void test_gaps_fit_60_columns(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "fit60.db", "lead", 24, 60);
	ho_db *sam = person(&t, "sam");
	assert_int_equal(ho_item_mark(sam, item_id(&t, "FIN-1"), 0, HO_ACT_HANDED_OVER,
	                              "Ledger extract on the finance drive", NULL),
	                 HO_OK);
	open_app(&t);
	press(&t, '\t');
	press(&t, '\t');
	assert_row_has(1, "Gaps");
	int head = find_row("Who acts");
	if (head < 0)
		dump();
	assert_true(head > 0);
	assert_row_has(find_row("FIN-1"), "Rita Receiver");
	stop(&t);
}

/* Search folds case and accents, n and N go on and back, and a reference
 * opens its item. */
static void test_search_accents_next_and_refs(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "find.db", "lead", 24, 100);
	long_names(&t);
	open_app(&t);
	press(&t, 'n');
	assert_screen("No search yet: / searches.");
	press(&t, '/');
	type(&t, "zoe\r");
	assert_row_has(find_row("Digital"), "Zoë");
	int dig_pos = tui_top(t.app)->list.sel;
	press(&t, '/');
	type(&t, "SIOBHAN O'BRIEN\r"); /* the only match: the selection stays */
	assert_int_equal(tui_top(t.app)->list.sel, dig_pos);
	press(&t, '/');
	type(&t, "f\r"); /* Finance, then Digital (Fitzgerald), round again */
	int first = tui_top(t.app)->list.sel;
	press(&t, 'n');
	int second = tui_top(t.app)->list.sel;
	assert_int_not_equal(first, second);
	press(&t, 'N');
	assert_int_equal(tui_top(t.app)->list.sel, first);
	/* /REF and :REF open the item, from any screen. */
	press(&t, '/');
	type(&t, "fin-2\r");
	assert_row_has(1, "Item FIN-2");
	press(&t, ':');
	assert_row_has(LINES - 1, "Go to item");
	type(&t, "DIG-1\r");
	assert_row_has(1, "Item DIG-1");
	press(&t, ':');
	type(&t, "FIN-99\r");
	assert_screen("There is no item FIN-99");
	press(&t, ':');
	type(&t, "budgets\r");
	assert_screen("is not an item reference");
	stop(&t);
}

/* o cycles the checklist's order, and the heading says which is in force. */
static void test_sort_checklist(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "sort.db", "sam", 24, 100);
	ho_db *sam = person(&t, "sam");
	assert_int_equal(ho_item_mark(sam, item_id(&t, "FIN-2"), 0, HO_ACT_IN_PROGRESS, NULL, NULL),
	                 HO_OK);
	assert_int_equal(
	    ho_item_mark(sam, item_id(&t, "FIN-1"), 0, HO_ACT_HANDED_OVER, "Ledger", NULL), HO_OK);
	open_app(&t);
	open_fin(&t);
	assert_row_has(1, "sort: checklist order");
	int r1 = find_row("FIN-1"), r2 = find_row("FIN-2"), r3 = find_row("FIN-3");
	assert_true(r1 < r2 && r2 < r3);
	press(&t, 'o'); /* RAG */
	assert_row_has(1, "sort: RAG");
	press(&t, 'o'); /* overdue */
	press(&t, 'o'); /* due date: FIN-3 (2026-11-30) before the function's 2026-12-31 */
	assert_row_has(1, "sort: due date");
	assert_true(find_row("FIN-3") < find_row("FIN-1"));
	press(&t, 'o'); /* progress: not started, in progress, handed over */
	assert_row_has(1, "sort: progress");
	r1 = find_row("FIN-1"), r2 = find_row("FIN-2"), r3 = find_row("FIN-3");
	if (!(r3 < r2 && r2 < r1))
		dump();
	assert_true(r3 < r2 && r2 < r1);
	press(&t, 'o');
	assert_row_has(1, "sort: checklist order");
	stop(&t);
}

/* How many marks of `ref` left it with `state` in their new value. */
static int count_marks(struct t *t, const char *ref, const char *state)
{
	ho_event *ev = NULL;
	size_t n = 0;
	assert_int_equal(ho_events_list(t->fx.db, item_id(t, ref), 0, &ev, &n), HO_OK);
	int got = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(ev[i].action, "mark") == 0 && strstr(ev[i].new_value, state))
			got++;
	ho_event_free(ev, n);
	return got;
}

/* Space tags; a accepts every tagged row, each its own checked change; the
 * refused are named and stay tagged. */
static void test_tag_and_accept_many(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "tags.db", "rita", 24, 120);
	ho_db *sam = person(&t, "sam");
	for (int i = 1; i <= 2; i++) {
		char ref[8];
		snprintf(ref, sizeof ref, "FIN-%d", i);
		assert_int_equal(ho_item_mark(sam, item_id(&t, ref), 0, HO_ACT_HANDED_OVER,
		                              "Evidence on the drive", NULL),
		                 HO_OK);
	}
	open_app(&t);
	open_fin(&t);
	press(&t, 'g');
	press(&t, ' ');
	press(&t, ' ');
	press(&t, ' ');
	assert_row_has(1, "3 tagged");
	assert_row_has(find_row("FIN-1"), "\xe2\x97\x86"); /* the tag mark */
	/* On FIN-3, not handed over, the hints offer what acts on the
	 * tagged rows: a receiver's accept and comment, not a sender's w. */
	press(&t, 'j'); /* a key: the message gives the line back to the hints */
	assert_int_equal(tui_top(t.app)->list.sel, 2);
	assert_row_has(LINES - 1, "a accept");
	assert_row_has(LINES - 1, "c comment");
	if (strstr(row(LINES - 1), "in progress"))
		fail_msg("w offered to a receiver: %s", row(LINES - 1));
	press(&t, 'a');
	assert_screen("Accepted 2 of 3 tagged items. Refused 1, still tagged: FIN-3");
	assert_row_has(1, "1 tagged");
	ho_item it = fx_get(&t.fx, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_ACCEPTED);
	ho_item_clear(&it);
	it = fx_get(&t.fx, "FIN-2");
	assert_int_equal(it.receiver_state, HO_RECEIVER_ACCEPTED);
	ho_item_clear(&it);
	assert_int_equal(count_marks(&t, "FIN-1", "accepted"), 1);
	assert_int_equal(count_marks(&t, "FIN-2", "accepted"), 1);
	/* A comment on each tagged row, asked once. */
	press(&t, 'g');
	press(&t, ' ');
	assert_row_has(1, "2 tagged");
	press(&t, 'c');
	assert_row_has(LINES - 1, "Comment on each of the 2 tagged items:");
	type(&t, "Checked at the board\r");
	assert_screen("Commented on 2 of 2 tagged items.");
	ho_thread_entry *th = NULL;
	size_t n = 0;
	assert_int_equal(ho_thread_list(t.fx.db, item_id(&t, "FIN-3"), &th, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_string_equal(th[0].body, "Checked at the board");
	ho_thread_free(th, n);
	stop(&t);
}

/* w on tagged rows: each marked in progress, one event each; a row already
 * handed over is refused with the core's reason. */
static void test_tag_in_progress_many(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "tagw.db", "sam", 24, 120);
	ho_db *sam = person(&t, "sam");
	assert_int_equal(ho_item_mark(sam, item_id(&t, "FIN-2"), 0, HO_ACT_HANDED_OVER,
	                              "Evidence on the drive", NULL),
	                 HO_OK);
	ho_db *rita = person(&t, "rita");
	assert_int_equal(ho_item_mark(rita, item_id(&t, "FIN-2"), 0, HO_ACT_ACCEPTED, NULL, NULL),
	                 HO_OK);
	open_app(&t);
	open_fin(&t);
	press(&t, 'g');
	for (int i = 0; i < 3; i++)
		press(&t, ' ');
	press(&t, 'w');
	assert_screen("Marked in progress 2 of 3 tagged items. Refused 1, still tagged: FIN-2");
	assert_int_equal(count_marks(&t, "FIN-1", "in progress"), 1);
	assert_int_equal(count_marks(&t, "FIN-3", "in progress"), 1);
	assert_int_equal(count_marks(&t, "FIN-2", "in progress"), 0);
	assert_row_has(1, "1 tagged");
	stop(&t);
}

/* A tagged row someone else changed after it was seen is not acted on. */
static void test_tagged_row_changed_meanwhile(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "tagcas.db", "rita", 24, 120);
	ho_db *sam = person(&t, "sam");
	assert_int_equal(
	    ho_item_mark(sam, item_id(&t, "FIN-1"), 0, HO_ACT_HANDED_OVER, "First evidence", NULL),
	    HO_OK);
	assert_int_equal(
	    ho_item_mark(sam, item_id(&t, "FIN-2"), 0, HO_ACT_HANDED_OVER, "Evidence", NULL),
	    HO_OK);
	open_app(&t);
	open_fin(&t);
	press(&t, 'g');
	press(&t, ' ');
	press(&t, ' ');
	/* The lead rewrites FIN-1's guidance: still to review, but not what
	 * Rita saw when she tagged it. */
	ho_db *lead = person(&t, "lead");
	ho_item now = fx_get(&t.fx, "FIN-1");
	assert_int_equal(ho_item_edit(lead, now.id, now.version, NULL,
	                              "Reconcile to the ledger at the transfer date, not month end",
	                              NULL),
	                 HO_OK);
	ho_item_clear(&now);
	press(&t, 'a');
	assert_screen("Accepted 1 of 2 tagged items. Refused 1, still tagged: FIN-1");
	assert_screen("since you looked");
	assert_int_equal(count_marks(&t, "FIN-1", "accepted"), 0);
	assert_int_equal(count_marks(&t, "FIN-2", "accepted"), 1);
	stop(&t);
}

/* A note's prompt keeps the text's line breaks (shown as a sign and
 * counted), also when it is handed back after a refusal; a one-line answer
 * does not. The item's own prompts (c, m, ...) are notes. */
static void test_note_prompt_keeps_lines(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "lines.db", "sam", 24, 100);
	open_app(&t);
	memset(&answers, 0, sizeof answers);
	answers.refuse = 1;
	tui_prompt_note(t.app, "Comment on FIN-1:", "First line\nSecond line", HO_MAX_TEXT,
	                record_answer, &answers, answers_free);
	render(&t);
	assert_row_has(LINES - 1, "First line\xe2\x86\xb5Second line");
	assert_row_has(LINES - 1, "22/8,000");
	press(&t, '\r');
	/* Refused: the same note comes back, its line break still there. */
	assert_int_equal(answers.calls, 1);
	assert_int_equal(answers.freed, 0);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	render(&t);
	assert_row_has(LINES - 1, "First line\xe2\x86\xb5Second line");
	assert_row_has(LINES - 1, "22/8,000");
	press(&t, '\r');
	assert_int_equal(answers.calls, 2);
	assert_string_equal(answers.last, "First line\nSecond line/-1");
	assert_int_equal(answers.freed, 1);
	/* A one-line answer: the break is a space, and no counter yet. */
	memset(&answers, 0, sizeof answers);
	tui_prompt_text(t.app, "Search:", "two\nlines", 255, record_answer, &answers, answers_free);
	render(&t);
	assert_row_has(LINES - 1, "Search: two lines");
	assert_int_equal(t.app->modal.note, 0);
	press(&t, 27);
	assert_int_equal(answers.freed, 1);
	/* A comment on an item is a note, and files its lines as they are. */
	open_fin(&t);
	press(&t, 'g');
	press(&t, 'c');
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_int_equal(t.app->modal.note, 1);
	press(&t, 27);
	stop(&t);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dashboard),
	    cmocka_unit_test(test_first_screen),
	    cmocka_unit_test(test_changes_since_you_looked),
	    cmocka_unit_test(test_one_vocabulary),
	    cmocka_unit_test(test_dashboard_counts_what_it_shows),
	    cmocka_unit_test(test_checklist_words),
	    cmocka_unit_test(test_sender_hands_over),
	    cmocka_unit_test(test_prompt_editing),
	    cmocka_unit_test(test_escape_cancels),
	    cmocka_unit_test(test_live_update_keeps_selection),
	    cmocka_unit_test(test_stale_edit),
	    cmocka_unit_test(test_stale_edit_while_typing),
	    cmocka_unit_test(test_busy_file_keeps_screen),
	    cmocka_unit_test(test_busy_write_keeps_typing),
	    cmocka_unit_test(test_not_offered),
	    cmocka_unit_test(test_viewer),
	    cmocka_unit_test(test_undo),
	    cmocka_unit_test(test_sign_off_asks_first),
	    cmocka_unit_test(test_sign_refusal_names_blockers),
	    cmocka_unit_test(test_gaps_open_item),
	    cmocka_unit_test(test_prompt_continuations),
	    cmocka_unit_test(test_people_add_and_pair),
	    cmocka_unit_test(test_people_leave),
	    cmocka_unit_test(test_people_leave_to_successor),
	    cmocka_unit_test(test_people_edit),
	    cmocka_unit_test(test_waiting_on_whom),
	    cmocka_unit_test(test_waiting_jump_uses_row_handover),
	    cmocka_unit_test(test_repair_asks_first),
	    cmocka_unit_test(test_people_not_offered_to_others),
	    cmocka_unit_test(test_help_lists_every_key),
	    cmocka_unit_test(test_resize),
	    cmocka_unit_test(test_no_color),
	    cmocka_unit_test(test_monochrome_terminal),
	    cmocka_unit_test(test_colour_terminal),
	    cmocka_unit_test(test_hostile_text_is_harmless),
	    cmocka_unit_test(test_mouse),
	    cmocka_unit_test(test_search_and_filter),
	    cmocka_unit_test(test_print),
	    cmocka_unit_test(test_print_menu_offers_office_formats),
	    cmocka_unit_test(test_print_offers_rollup),
	    cmocka_unit_test(test_print_refuses_open_file),
	    cmocka_unit_test(test_wide_names_align),
	    cmocka_unit_test(test_not_applicable_and_conditions),
	    cmocka_unit_test(test_comment),
	    cmocka_unit_test(test_dashboard_fits_80_columns),
	    cmocka_unit_test(test_gaps_fit_60_columns),
	    cmocka_unit_test(test_search_accents_next_and_refs),
	    cmocka_unit_test(test_sort_checklist),
	    cmocka_unit_test(test_tag_and_accept_many),
	    cmocka_unit_test(test_tagged_row_changed_meanwhile),
	    cmocka_unit_test(test_tag_in_progress_many),
	    cmocka_unit_test(test_note_prompt_keeps_lines),
	    cmocka_unit_test(test_keys_offered_without_round_trips),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return failed;
}
