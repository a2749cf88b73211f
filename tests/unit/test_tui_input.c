/* Nothing by accident: the terminal application acts only on keys a person
 * pressed as keys. Curses reads a pipe here, written as a terminal would
 * write (escape sequences, bracketed paste, a paste without brackets in one
 * write), so the real input function parses real bytes with the real
 * escape delay; its output goes to a file, so what the program sends the
 * terminal (paste mode on and off) can be read back. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <wchar.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "app.h"
#include "fixture.h"

struct t {
	struct fixture fx;
	ho_db *other;
	SCREEN *screen;
	FILE *out, *in;
	int feed; /* the pipe's writing end: the "terminal" */
	char out_path[600];
	tui_app *app;
};

static void start_as(struct t *t, const char *name, const char *login)
{
	memset(t, 0, sizeof *t);
	fx_build(&t->fx, name);
	ho_close(t->fx.db);
	t->fx.db = tu_open_as(t->fx.path, login);
	snprintf(t->out_path, sizeof t->out_path, "%s.tty", t->fx.path);
	t->out = fopen(t->out_path, "w+");
	assert_non_null(t->out);
	int fds[2];
	assert_int_equal(pipe(fds), 0);
	t->in = fdopen(fds[0], "r");
	assert_non_null(t->in);
	t->feed = fds[1];
	t->screen = newterm("xterm-256color", t->out, t->in);
	assert_non_null(t->screen);
	set_term(t->screen);
	tui_curses_setup(t->out);
	resizeterm(24, 110);
	t->app = tui_app_new(t->fx.db);
	assert_non_null(t->app);
	tui_app_render(t->app);
	/* Senders and receivers start on My work; these tests begin on the
	 * dashboard, one Shift-Tab away. */
	if (tui_top(t->app)->ops == &tui_mywork_view) {
		ungetch(KEY_BTAB);
		tui_app_pump(t->app);
		tui_app_render(t->app);
		assert_true(tui_top(t->app)->ops == &tui_dashboard_view);
	}
}

static void stop(struct t *t)
{
	tui_app_free(t->app);
	tui_curses_end();
	delscreen(t->screen);
	fclose(t->out);
	fclose(t->in);
	close(t->feed);
	if (t->other)
		ho_close(t->other);
	unlink(t->out_path);
	fx_free(&t->fx);
}

/* The terminal sends `bytes` in one write; the application reads all of
 * it and draws. */
static void send_bytes(struct t *t, const char *bytes, size_t n)
{
	while (n > 0) {
		ssize_t w = write(t->feed, bytes, n);
		assert_true(w > 0);
		bytes += w;
		n -= (size_t)w;
	}
	tui_app_pump(t->app);
	tui_app_render(t->app);
}

static void send(struct t *t, const char *bytes)
{
	send_bytes(t, bytes, strlen(bytes));
}

/* A person: one key, then time to read the screen (past the guard). */
static void key(struct t *t, const char *bytes)
{
	send(t, bytes);
	usleep(200 * 1000);
}

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
	if (wcstombs(buf, wide, sizeof bufs[0] - 1) == (size_t)-1)
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

static ho_item item(struct t *t, const char *ref)
{
	return fx_get(&t->fx, ref);
}

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
	if (ho_item_mark(db, id, 0, a, text, NULL) != HO_OK)
		fail_msg("%s %s: %s", login, ref, ho_errmsg(db));
}

/* Into FIN's checklist (the first function on the dashboard). */
static void open_fin(struct t *t)
{
	key(t, "\r");
	assert_screen("FIN-1");
}

/* Thread entries of an item: how many, and whether one has `body`. */
static int thread_has(struct t *t, const char *ref, const char *body, size_t *count)
{
	ho_thread_entry *th = NULL;
	size_t n = 0;
	assert_int_equal(ho_thread_list(t->fx.db, fx_item(&t->fx, ref), &th, &n), HO_OK);
	int found = 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(th[i].body, body) == 0)
			found = 1;
	ho_thread_free(th, n);
	if (count)
		*count = n;
	return found;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = calloc(1, 1 << 20);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/* An item waiting for Rita's review, her checklist open on it. */
static void rita_reviewing(struct t *t, const char *name)
{
	start_as(t, name, "rita");
	other_marks(t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "Ledger extract");
	tui_app_poll(t->app);
	open_fin(t);
}

/* ---- paste ---------------------------------------------------------------- */

/* Finding: pasting "Looks fine.<newline>all good" into a comment added the
 * comment and then accepted the item ('a' of "all"). */
static void test_paste_into_prompt_is_text(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "paste.db");
	key(&t, "c");
	assert_screen("Comment on FIN-1:");
	send(&t, "\033[200~Looks fine.\rall good\r\n\tend\033[201~");
	/* Still the prompt, the line breaks and tab as spaces. */
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_screen("Comment on FIN-1: Looks fine. all good  end");
	key(&t, "\r");
	assert_true(thread_has(&t, "FIN-1", "Looks fine. all good  end", NULL));
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING); /* not accepted */
	ho_item_clear(&it);
	stop(&t);
}

/* Finding: pasting "...<newline>row two" on a screen ran its letters as
 * commands (r opened a gap query). Outside a prompt a paste only says so. */
static void test_paste_outside_prompt_does_nothing(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "outside.db");
	send(&t, "\033[200~...\rrow two a\033[201~");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("Pasted text ignored");
	assert_int_equal(tui_top(t.app)->list.sel, 0);
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	ho_item_clear(&it);
	stop(&t);
}

/* The program turns bracketed paste on when it starts and off when it
 * ends, so the shell never sees the markers. */
static void test_paste_mode_on_and_off(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "mode.db", "rita");
	char *tty = slurp(t.out_path);
	assert_non_null(strstr(tty, "\033[?2004h"));
	assert_null(strstr(tty, "\033[?2004l"));
	free(tty);
	tui_app_free(t.app);
	t.app = NULL;
	tui_curses_end();
	tty = slurp(t.out_path);
	const char *on = strstr(tty, "\033[?2004h"), *off = strstr(tty, "\033[?2004l");
	assert_non_null(off);
	assert_true(off > on);
	free(tty);
	delscreen(t.screen);
	fclose(t.out);
	fclose(t.in);
	close(t.feed);
	unlink(t.out_path);
	fx_free(&t.fx);
}

/* Finding: without bracketed paste, "Looks fine.\rall good" arrives as
 * keys: the Enter submits, and what follows in the same burst must not
 * run as commands. */
static void test_burst_after_prompt_is_dropped(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "burst.db");
	key(&t, "c");
	send(&t, "Looks fine.\rall good");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_true(thread_has(&t, "FIN-1", "Looks fine.", NULL));
	assert_screen("Ignored 8 keys that came right after the prompt closed");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	ho_item_clear(&it);
	/* A person's next key, a moment later, acts. */
	usleep(300 * 1000);
	key(&t, "j");
	assert_int_equal(tui_top(t.app)->list.sel, 1);
	stop(&t);
}

/* ---- Alt keys and escape sequences ------------------------------------------ */

/* Finding: Alt-a, Alt-Backspace, Alt-d, Alt-b and ESC[1~ (Home in PuTTY)
 * cancelled the prompt and the next byte ran as a command. Each is one
 * key now: the word keys edit, Home goes home, the rest do nothing. */
static void test_alt_keys_edit_the_prompt(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "alt.db");
	key(&t, "A"); /* accept with conditions: asks for the condition */
	assert_screen("Condition for accepting FIN-1:");
	send(&t, "within budget limits");
	key(&t, "\033a");    /* Alt-a: nothing (it accepted the item) */
	key(&t, "\033\177"); /* Alt-Backspace: the word before the cursor */
	assert_screen("Condition for accepting FIN-1: within budget ");
	key(&t, "\033b"); /* Alt-b: a word left, before "budget" */
	key(&t, "\033d"); /* Alt-d: the word after the cursor */
	send(&t, "the");
	key(&t, "\033[1~"); /* Home, as PuTTY sends it */
	send(&t, "Only ");
	key(&t, "\033[4~"); /* End */
	send(&t, " agreed");
	key(&t, "\033[99;7x"); /* unknown: read whole, nothing */
	key(&t, "\033OH");     /* Home, SS3 */
	key(&t, "\033[F");     /* End */
	send(&t, ".");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_screen("Condition for accepting FIN-1: Only within the  agreed.");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING); /* nothing ran */
	ho_item_clear(&it);
	key(&t, "\r");
	assert_screen("Who meets the condition on FIN-1?");
	key(&t, "\r"); /* the receiver, as offered */
	assert_screen("By when must the condition on FIN-1 be met?");
	key(&t, "\r"); /* the target date, as offered */
	it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_CONDITIONS);
	assert_string_equal(it.condition, "Only within the  agreed.");
	ho_item_clear(&it);
	stop(&t);
}

/* Ctrl-Left and Ctrl-Right (which curses knows for xterm by name only)
 * move a word, as Alt-b and Alt-f do. */
static void test_ctrl_arrows_move_by_word(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "words.db");
	key(&t, "c");
	send(&t, "one two three");
	key(&t, "\033[1;5D"); /* Ctrl-Left */
	send(&t, "X");
	key(&t, "\033[1;5D");
	key(&t, "\033[1;5D");
	key(&t, "\033[1;5C"); /* Ctrl-Right */
	send(&t, "Y");
	assert_screen("Comment on FIN-1: one twoY Xthree");
	stop(&t);
}

/* A bare Esc still cancels; Alt keys on a screen do nothing. */
static void test_bare_escape_cancels(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "esc.db");
	key(&t, "\033a"); /* Alt-a on the checklist: not 'a' */
	key(&t, "\033r");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	ho_item_clear(&it);
	key(&t, "c");
	send(&t, "draft");
	key(&t, "\033");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_screen("Cancelled.");
	assert_false(thread_has(&t, "FIN-1", "draft", NULL));
	stop(&t);
}

/* ---- Ctrl-C ------------------------------------------------------------------- */

/* Finding: Ctrl-C in a prompt quit the whole application (exit 130) and
 * the text was lost. It cancels the prompt; on a screen it quits. */
static void test_ctrl_c_cancels_prompt(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "ctrlc.db");
	key(&t, "r");
	assert_screen("Query for the sender about FIN-1:");
	send(&t, "Which extract?");
	key(&t, "\003");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	assert_false(t.app->quit);
	assert_screen("Cancelled.");
	key(&t, "\003");
	assert_true(t.app->quit);
	assert_int_equal(t.app->exit_status, 130);
	stop(&t);
}

/* ---- text is never lost --------------------------------------------------------- */

/* Finding: the screen stored 8,000 of 8,010 pasted bytes, cutting the rest
 * silently. Over the limit the prompt counts, Enter refuses, the text
 * stays whole to be shortened. */
static void test_too_long_is_counted_not_cut(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "long.db", "sam");
	open_fin(&t);
	key(&t, "m");
	char paste[8100];
	memcpy(paste, "\033[200~", 6);
	memset(paste + 6, 'x', 8010);
	memcpy(paste + 6 + 8010, "\033[201~", 7);
	send(&t, paste);
	assert_int_equal(t.app->modal.bytes, 8010);
	assert_screen("8,010/8,000");
	key(&t, "\r");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_screen("Too long: 8,010 bytes, at most 8,000");
	ho_item it = item(&t, "FIN-1");
	assert_string_equal(it.evidence, ""); /* nothing saved */
	ho_item_clear(&it);
	for (int i = 0; i < 10; i++)
		send(&t, "\177");
	assert_screen("8,000/8,000");
	key(&t, "\r");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_NONE);
	it = item(&t, "FIN-1");
	assert_int_equal(strlen(it.evidence), 8000);
	ho_item_clear(&it);
	stop(&t);
}

/* Finding: a refused change lost what was typed. The item changed while a
 * query was typed and a gap is no longer possible: the text comes back,
 * offered as a comment. */
static void test_refused_text_offered_as_comment(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "keep.db");
	key(&t, "r");
	send(&t, "Which ledger? March's is stale.");
	other_marks(&t, "sam", "FIN-1", HO_ACT_IN_PROGRESS, NULL); /* withdrawn */
	key(&t, "\r");
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_screen("Sam Sender");
	assert_screen("Keep it as a comment on FIN-1?");
	assert_screen("Which ledger? March's is stale.");
	key(&t, "\r");
	assert_true(thread_has(&t, "FIN-1", "Which ledger? March's is stale.", NULL));
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_NONE); /* no gap raised */
	assert_int_equal(it.open_queries, 0);
	ho_item_clear(&it);
	stop(&t);
}

/* The lead gives FIN another receiver while Rita types a query: no longer
 * hers to act on, nor to comment on. Refused, and the text stays in the
 * prompt (to copy or to drop with Esc), never silently gone. */
static void test_no_longer_yours_keeps_text(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "repaired.db");
	key(&t, "r");
	send(&t, "Where is the March extract?");
	ho_db *lead = other(&t, "lead");
	assert_int_equal(ho_person_add(lead, "rob", "Rob Other", HO_ROLE_RECEIVER, "Mersey ICB"),
	                 HO_OK);
	assert_int_equal(ho_pair(lead, t.fx.handover, "FIN", NULL, "rob"), HO_OK);
	key(&t, "\r");
	assert_true(t.app->msg_error);
	assert_int_equal(t.app->modal.kind, TUI_MODAL_TEXT);
	assert_screen("Where is the March extract?");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	ho_item_clear(&it);
	stop(&t);
}

/* ---- waiting on a lock -------------------------------------------------------------- */

struct holder {
	const char *path;
	int ms;
	int held[2]; /* a byte on this pipe: the lock is held */
};

static void *hold_lock(void *arg)
{
	struct holder *h = arg;
	char ok = 0;
	if (tu_pg()) {
		/* Another session in the middle of a change: the write lock. */
		PGconn *c = PQconnectdb(h->path);
		PGresult *r = PQexec(c, "BEGIN; SELECT pg_advisory_xact_lock(1215256146)");
		ok = PQresultStatus(r) == PGRES_TUPLES_OK;
		PQclear(r);
		if (write(h->held[1], &ok, 1) != 1)
			ok = 0;
		if (ok) {
			usleep((useconds_t)h->ms * 1000);
			PQclear(PQexec(c, "COMMIT"));
		}
		PQfinish(c);
		return NULL;
	}
	sqlite3 *raw = NULL;
	if (sqlite3_open(h->path, &raw) == SQLITE_OK &&
	    sqlite3_exec(raw, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
		ok = 1;
	if (write(h->held[1], &ok, 1) != 1)
		ok = 0;
	if (ok) {
		usleep((useconds_t)h->ms * 1000);
		sqlite3_exec(raw, "COMMIT", NULL, NULL, NULL);
	}
	sqlite3_close(raw);
	return NULL;
}

/* Finding: a change waiting on a lock said nothing, and a key pressed
 * meanwhile (j) ended up in the comment. Now the bottom line says it is
 * waiting, and keys pressed meanwhile are dropped. */
static void test_waiting_for_lock(void **state)
{
	(void)state;
	struct t t;
	start_as(&t, "lock.db", "sam");
	t.app->write_busy_ms = 8000;
	open_fin(&t);
	key(&t, "c");
	send(&t, "Saved after the wait");
	struct holder h = {t.fx.path, 1200, {-1, -1}};
	assert_int_equal(pipe(h.held), 0);
	pthread_t th;
	assert_int_equal(pthread_create(&th, NULL, hold_lock, &h), 0);
	char held = 0;
	assert_int_equal(read(h.held[0], &held, 1), 1);
	assert_int_equal(held, 1); /* held from here for 1.2 s */
	/* Enter, then a j typed while the file is locked. */
	send(&t, "\rj");
	pthread_join(th, NULL);
	close(h.held[0]);
	close(h.held[1]);
	assert_true(thread_has(&t, "FIN-1", "Saved after the wait", NULL));
	assert_false(thread_has(&t, "FIN-1", "Saved after the waitj", NULL));
	char *tty = slurp(t.out_path);
	assert_non_null(strstr(tty, "waiting for the file (someone is saving)..."));
	free(tty);
	/* The j was dropped, not a move. */
	assert_int_equal(tui_top(t.app)->list.sel, 0);
	stop(&t);
}

/* ---- acting on what was seen ----------------------------------------------------------- */

/* Finding: live refresh swapped the evidence 3 s before the receiver
 * pressed a, and a accepted what she had not read. The changed row is
 * marked; the action is refused once, saying what changed; moving onto a
 * row sees it for the refusal, and the mark (news since you looked) stays
 * until the row is opened or acted on. */
static void test_act_on_what_was_seen(void **state)
{
	(void)state;
	struct t t;
	rita_reviewing(&t, "seen.db");
	/* Handed over after she opened the file: news until she opens it. */
	assert_screen("FIN-1\u2022");
	key(&t, "\r");
	assert_screen("Item FIN-1");
	key(&t, "\033");
	usleep(100 * 1000);
	tui_app_pump(t.app);
	tui_app_render(t.app);
	assert_screen("FIN-1 ");
	/* Sam takes it back and hands it over again with other evidence;
	 * the screen follows. */
	other_marks(&t, "sam", "FIN-1", HO_ACT_IN_PROGRESS, NULL);
	other_marks(&t, "sam", "FIN-1", HO_ACT_HANDED_OVER, "Another extract");
	tui_app_poll(t.app);
	tui_app_render(t.app);
	assert_screen("FIN-1\u2022");
	key(&t, "a");
	assert_true(t.app->msg_error);
	assert_screen("FIN-1 was changed by Sam Sender");
	assert_screen("(evidence)");
	ho_item it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_PENDING);
	ho_item_clear(&it);
	assert_screen("FIN-1\u2022"); /* told, not yet opened */
	key(&t, "a");
	it = item(&t, "FIN-1");
	assert_int_equal(it.receiver_state, HO_RECEIVER_ACCEPTED);
	ho_item_clear(&it);
	assert_not_screen("FIN-1\u2022"); /* acted on: looked at */
	/* Another row changed meanwhile stays marked; moving onto it is
	 * enough for the action, not for the mark. */
	other_marks(&t, "sam", "FIN-2", HO_ACT_HANDED_OVER, "Accruals list");
	tui_app_poll(t.app);
	tui_app_render(t.app);
	assert_screen("FIN-2\u2022");
	key(&t, "j");
	assert_screen("FIN-2\u2022");
	key(&t, "a");
	it = item(&t, "FIN-2");
	assert_int_equal(it.receiver_state, HO_RECEIVER_ACCEPTED);
	ho_item_clear(&it);
	stop(&t);
}

int main(void)
{
	setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_paste_into_prompt_is_text),
	    cmocka_unit_test(test_paste_outside_prompt_does_nothing),
	    cmocka_unit_test(test_paste_mode_on_and_off),
	    cmocka_unit_test(test_burst_after_prompt_is_dropped),
	    cmocka_unit_test(test_alt_keys_edit_the_prompt),
	    cmocka_unit_test(test_ctrl_arrows_move_by_word),
	    cmocka_unit_test(test_bare_escape_cancels),
	    cmocka_unit_test(test_ctrl_c_cancels_prompt),
	    cmocka_unit_test(test_too_long_is_counted_not_cut),
	    cmocka_unit_test(test_refused_text_offered_as_comment),
	    cmocka_unit_test(test_no_longer_yours_keeps_text),
	    cmocka_unit_test(test_waiting_for_lock),
	    cmocka_unit_test(test_act_on_what_was_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
