/* The one key table: the keys the design promises do what it says on every
 * screen, no binding is hidden behind another, and the manual page's KEYS
 * section lists the same keys with the same words as the help screen. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"
#include "handover/terminal.h"
#include "keys.h"

static void test_design_contract(void **state)
{
	(void)state;
	const struct {
		int code;
		unsigned screen;
		enum tui_action want;
	} contract[] = {
	    {TUI_FN(KEY_UP), TUI_SCR_CHECKLIST, TUI_ACT_UP},
	    {'k', TUI_SCR_CHECKLIST, TUI_ACT_UP},
	    {TUI_FN(KEY_DOWN), TUI_SCR_GAPS, TUI_ACT_DOWN},
	    {'j', TUI_SCR_DASHBOARD, TUI_ACT_DOWN},
	    {TUI_FN(KEY_PPAGE), TUI_SCR_ITEM, TUI_ACT_PAGE_UP},
	    {TUI_FN(KEY_NPAGE), TUI_SCR_HELP, TUI_ACT_PAGE_DOWN},
	    {'g', TUI_SCR_PEOPLE, TUI_ACT_FIRST},
	    {'G', TUI_SCR_CHECKLIST, TUI_ACT_LAST},
	    {'\r', TUI_SCR_DASHBOARD, TUI_ACT_OPEN},
	    {'\n', TUI_SCR_CHECKLIST, TUI_ACT_OPEN},
	    {27, TUI_SCR_ITEM, TUI_ACT_BACK},
	    {'q', TUI_SCR_CHECKLIST, TUI_ACT_BACK},
	    {'q', TUI_SCR_DASHBOARD, TUI_ACT_QUIT},
	    {'\t', TUI_SCR_DASHBOARD, TUI_ACT_NEXT_SCREEN},
	    {'\t', TUI_SCR_GAPS, TUI_ACT_NEXT_SCREEN},
	    {'m', TUI_SCR_CHECKLIST, TUI_ACT_HANDED_OVER},
	    {'w', TUI_SCR_ITEM, TUI_ACT_IN_PROGRESS},
	    {'-', TUI_SCR_CHECKLIST, TUI_ACT_NOT_APPLICABLE},
	    {'a', TUI_SCR_CHECKLIST, TUI_ACT_ACCEPT},
	    {'A', TUI_SCR_ITEM, TUI_ACT_ACCEPT_CONDITIONS},
	    {'r', TUI_SCR_GAPS, TUI_ACT_GAP},
	    {'c', TUI_SCR_ITEM, TUI_ACT_COMMENT},
	    {'s', TUI_SCR_DASHBOARD, TUI_ACT_SIGN},
	    {'s', TUI_SCR_CHECKLIST, TUI_ACT_SIGN},
	    {'/', TUI_SCR_CHECKLIST, TUI_ACT_SEARCH},
	    {'f', TUI_SCR_CHECKLIST, TUI_ACT_FILTER},
	    {'p', TUI_SCR_DASHBOARD, TUI_ACT_PRINT},
	    {'u', TUI_SCR_CHECKLIST, TUI_ACT_UNDO},
	    {'?', TUI_SCR_DASHBOARD, TUI_ACT_HELP},
	    {'?', TUI_SCR_HELP, TUI_ACT_HELP},
	    {'a', TUI_SCR_PEOPLE, TUI_ACT_ADD_PERSON},
	    /* finding, sorting, tagging: n and N are the search's everywhere,
	     * so not applicable is '-' and a new handover 'H' */
	    {'n', TUI_SCR_CHECKLIST, TUI_ACT_SEARCH_NEXT},
	    {'n', TUI_SCR_ITEM, TUI_ACT_SEARCH_NEXT},
	    {'N', TUI_SCR_DASHBOARD, TUI_ACT_SEARCH_PREV},
	    {'N', TUI_SCR_GAPS, TUI_ACT_SEARCH_PREV},
	    {'H', TUI_SCR_DASHBOARD, TUI_ACT_HANDOVER_NEW},
	    {':', TUI_SCR_MYWORK, TUI_ACT_JUMP},
	    {':', TUI_SCR_ITEM, TUI_ACT_JUMP},
	    {'o', TUI_SCR_DASHBOARD, TUI_ACT_SORT},
	    {'o', TUI_SCR_CHECKLIST, TUI_ACT_SORT},
	    {' ', TUI_SCR_CHECKLIST, TUI_ACT_TAG},
	    {' ', TUI_SCR_GAPS, TUI_ACT_TAG},
	    {'E', TUI_SCR_ITEM, TUI_ACT_COMMENT_EDITOR},
	    {TUI_CTRL('f'), TUI_SCR_CHECKLIST, TUI_ACT_PAGE_DOWN},
	};
	for (size_t i = 0; i < sizeof contract / sizeof contract[0]; i++) {
		enum tui_action got = tui_key_action(contract[i].screen, contract[i].code);
		if (got != contract[i].want)
			fail_msg("key %d on screen %#x: action %d, wanted %d", contract[i].code,
			         contract[i].screen, got, contract[i].want);
	}
	/* Item actions are not offered where there is no item. */
	assert_int_equal(tui_key_action(TUI_SCR_DASHBOARD, 'm'), TUI_ACT_NONE);
	assert_int_equal(tui_key_action(TUI_SCR_PEOPLE, 'r'), TUI_ACT_NONE);
	/* Space is a tag where rows are items, and nothing elsewhere. */
	assert_int_equal(tui_key_action(TUI_SCR_DASHBOARD, ' '), TUI_ACT_NONE);
	assert_int_equal(tui_key_action(TUI_SCR_ITEM, ' '), TUI_ACT_NONE);
}

/* Every key of every entry acts somewhere: nothing is listed in help that
 * an earlier entry always takes. */
static void test_no_hidden_binding(void **state)
{
	(void)state;
	size_t n;
	const struct tui_key *keys = tui_keys(&n);
	assert_true(n > 20);
	for (size_t i = 0; i < n; i++) {
		assert_non_null(keys[i].label);
		assert_non_null(keys[i].help);
		assert_true(keys[i].codes[0] != 0);
		if (keys[i].hint)
			assert_true(ho_text_width(keys[i].hint) <= 12);
		for (int c = 0; c < TUI_MAX_CODES && keys[i].codes[c]; c++) {
			int acts = 0;
			for (unsigned bit = 1; bit <= TUI_SCR_HELP; bit <<= 1)
				if ((keys[i].screens & bit) &&
				    tui_key_action(bit, keys[i].codes[c]) == keys[i].action)
					acts = 1;
			if (!acts)
				fail_msg("%s: key %d never reaches it", keys[i].label,
				         keys[i].codes[c]);
		}
	}
}

/* The KEYS section of man/handover.1 as plain text: macros dropped (their
 * arguments kept), roff escapes for '-' and '\' undone, lines joined. */
static char *man_keys(void)
{
	char path[1024];
	const char *here = __FILE__;
	const char *cut = strstr(here, "tests/unit/");
	if (!cut)
		return NULL;
	snprintf(path, sizeof path, "%.*sman/handover.1", (int)(cut - here), here);
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(1, cap);
	char line[2048];
	int in = 0;
	while (out && fgets(line, sizeof line, f)) {
		if (strncmp(line, ".SH", 3) == 0) {
			in = strstr(line, "KEYS") != NULL;
			continue;
		}
		if (!in)
			continue;
		char *p = line;
		if (*p == '.') {
			p += strcspn(p, " \n");
			while (*p == ' ')
				p++;
		}
		for (; *p && *p != '\n'; p++) {
			if (*p == '"')
				continue;
			if (p[0] == '\\' && (p[1] == '-' || p[1] == 'e')) {
				out[len++] = p[1] == '-' ? '-' : '\\';
				p++;
			} else if (p[0] == '\\' && p[1] == '&') {
				p++;
			} else {
				out[len++] = *p;
			}
			if (len + 4 >= cap)
				break;
		}
		out[len++] = ' ';
	}
	fclose(f);
	return out;
}

static void test_man_page_lists_the_table(void **state)
{
	(void)state;
	char *man = man_keys();
	if (!man)
		skip();
	size_t n;
	const struct tui_key *keys = tui_keys(&n);
	for (size_t i = 0; i < n; i++) {
		char want[400];
		snprintf(want, sizeof want, "%s %s", keys[i].label, keys[i].help);
		if (!strstr(man, want))
			fail_msg("man/handover.1 KEYS lacks \"%s\"", want);
	}
	free(man);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_design_contract),
	    cmocka_unit_test(test_no_hidden_binding),
	    cmocka_unit_test(test_man_page_lists_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
