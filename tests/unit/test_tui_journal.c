/* The title bar shows the file's journal as it is now, not as it was when
 * the screen opened: a lead may switch the file (config journal) while
 * others have it on screen. Curses runs on a virtual screen (newterm to
 * /dev/null) and the title is read back from curscr. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <sqlite3.h>

#include "app.h"
#include "fixture.h"

static const char *title_row(void)
{
	static char buf[2048];
	wchar_t wide[1024];
	int n = mvwinnwstr(curscr, 0, 0, wide, 1000);
	wide[n < 0 ? 0 : n] = L'\0';
	if (wcstombs(buf, wide, sizeof buf - 1) == (size_t)-1)
		buf[0] = '\0';
	return buf;
}

static void test_title_shows_journal_switched_meanwhile(void **state)
{
	setenv("HANDOVER_JOURNAL", "delete", 1);
	struct fixture fx;
	fx_build(&fx, "title.db");
	ho_close(fx.db);
	unsetenv("HANDOVER_JOURNAL");
	fx.db = tu_open_as(fx.path, "sam");

	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	assert_non_null(out);
	assert_non_null(in);
	SCREEN *screen = newterm("xterm-256color", out, in);
	assert_non_null(screen);
	set_term(screen);
	tui_curses_setup(out);
	resizeterm(30, 120);
	tui_app *app = tui_app_new(fx.db);
	assert_non_null(app);
	tui_app_render(app);
	if (tu_pg()) {
		/* A server has no journal to switch: the title names the engine. */
		if (!strstr(title_row(), "[postgresql]"))
			fail_msg("title: %s", title_row());
		tui_app_free(app);
		endwin();
		delscreen(screen);
		fclose(out);
		fclose(in);
		fx_free(&fx);
		return;
	}
	if (!strstr(title_row(), "[delete]"))
		fail_msg("title: %s", title_row());

	/* Someone else switches the file to WAL while sam looks at it. */
	sqlite3 *other = NULL;
	assert_int_equal(sqlite3_open(fx.path, &other), SQLITE_OK);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(other, "PRAGMA journal_mode=WAL", -1, &s, NULL),
	                 SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(s, 0), "wal");
	sqlite3_finalize(s);
	sqlite3_close(other);

	/* The screen's next look at the file (a few times a second) sees it. */
	tui_app_poll(app);
	tui_app_render(app);
	if (!strstr(title_row(), "[wal]"))
		fail_msg("title after the switch: %s", title_row());

	tui_app_free(app);
	endwin();
	delscreen(screen);
	fclose(out);
	fclose(in);
	fx_free(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_title_shows_journal_switched_meanwhile),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
