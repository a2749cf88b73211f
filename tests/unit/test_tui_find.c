/* Finding and fitting without a screen: the accent folding search uses, the
 * reference test behind :REF and /REF, the sort order, and the column
 * priorities that decide what a narrow window keeps. */
#define _GNU_SOURCE
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "find.h"
#include "view_common.h"

static void test_fold_table(void **state)
{
	(void)state;
	const struct {
		const char *in, *want;
	} rows[] = {
	    {"Zoë Lewis", "zoe lewis"},
	    {"Siobhán O'Brien", "siobhan o'brien"},
	    {"SIOBHÁN O’BRIEN", "siobhan o'brien"}, /* capitals, typographic apostrophe */
	    {"Ngozi Adeyemi", "ngozi adeyemi"},
	    {"Łukasz Wałęsa", "lukasz walesa"},
	    {"Dvořák Šťastný", "dvorak stastny"},
	    {"Straße", "strasse"},
	    {"Æthelflæd", "aethelflaed"},
	    {"Œuvre, Søren, Þór, Ðuro", "oeuvre, soren, thor, duro"},
	    {"Çelik Ñandú Ÿvonne ÿ", "celik nandu yvonne y"},
	    {"Ĳsselmeer", "ijsselmeer"},
	    {"3 × 4 ÷ 2", "3 × 4 ÷ 2"}, /* signs stay as they are */
	    {"FIN-3", "fin-3"},
	    {"Дмитрий", "дмитрий"}, /* other scripts: lower case only */
	    {"日本", "日本"},
	    {"", ""},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *got = tui_fold(rows[i].in);
		assert_non_null(got);
		if (strcmp(got, rows[i].want) != 0)
			fail_msg("fold(\"%s\") = \"%s\", wanted \"%s\"", rows[i].in, got,
			         rows[i].want);
		free(got);
	}
}

/* Every letter of the two blocks folds to ASCII letters, and every byte
 * that is not well-formed UTF-8 comes through as it was (never read past). */
static void test_fold_whole_blocks(void **state)
{
	(void)state;
	for (unsigned cp = 0xc0; cp < 0x180; cp++) {
		if (cp == 0xd7 || cp == 0xf7)
			continue;
		char in[4] = {(char)(0xc0 | (cp >> 6)), (char)(0x80 | (cp & 0x3f)), 0, 0};
		char *got = tui_fold(in);
		assert_non_null(got);
		size_t n = strlen(got);
		if (n < 1 || n > 2)
			fail_msg("U+%04X folds to \"%s\"", cp, got);
		for (size_t k = 0; k < n; k++)
			if (got[k] < 'a' || got[k] > 'z')
				fail_msg("U+%04X folds to \"%s\", not a letter", cp, got);
		free(got);
	}
	char *cut = tui_fold("ab\xc3");
	assert_string_equal(cut, "ab\xc3");
	free(cut);
	char *bad = tui_fold("\xff\xfe Zo\xc3\xab");
	assert_string_equal(bad, "\xff\xfe zoe");
	free(bad);
	free(tui_fold(NULL));
}

static void test_match(void **state)
{
	(void)state;
	assert_true(tui_match("CON Contracting Siobhán O'Brien Zoë Lewis", "zoe"));
	assert_true(tui_match("CON Contracting Siobhán O'Brien Zoë Lewis", "ZOË"));
	assert_true(tui_match("CON Contracting Siobhán O'Brien Zoë Lewis", "siobhan o'b"));
	assert_true(tui_match("Dental FIN-3 List accruals", "fin-3"));
	assert_true(tui_match("anything", ""));
	assert_false(tui_match("Zoe Lewis", "zoey"));
	assert_false(tui_match("Finance", "fiance"));
	assert_false(tui_match("", "a"));
}

static void test_reference(void **state)
{
	(void)state;
	char ref[32];
	assert_true(tui_is_ref("FIN-3", ref, sizeof ref));
	assert_string_equal(ref, "FIN-3");
	assert_true(tui_is_ref("  dig-12 ", ref, sizeof ref));
	assert_string_equal(ref, "dig-12");
	assert_true(tui_is_ref("Q2A-7", ref, sizeof ref));
	const char *not_refs[] = {"Finance",       "FIN",   "FIN-",   "-3",
	                          "FIN-3a",        "FIN 3", "3FIN-1", "",
	                          "FIN-3 budget",  "ÉCO-1", "FIN--3", "ABCDEFGHIJKLMNOP-1",
	                          "FIN-1234567890"};
	for (size_t i = 0; i < sizeof not_refs / sizeof not_refs[0]; i++)
		if (tui_is_ref(not_refs[i], ref, sizeof ref))
			fail_msg("\"%s\" taken for a reference", not_refs[i]);
	assert_false(tui_is_ref("FIN-3", ref, 5)); /* no room for it */
}

/* Sender and receiver in a narrow column: the receiver stays whole while
 * the sender can give way, down to a letter and its ellipsis. */
static void test_pair_widths(void **state)
{
	(void)state;
	const struct {
		int sender, receiver, room, want_s, want_r;
	} rows[] = {
	    {14, 17, 40, 14, 17},                  /* room for both */
	    {14, 17, 34, 14, 17},                  /* exactly */
	    {14, 17, 25, 5, 17},                   /* the sender is cut */
	    {14, 17, 22, 2, 17},                   /* down to two columns */
	    {14, 17, 15, 2, 10},                   /* then the receiver */
	    {1, 17, 10, 1, 6},    {9, 9, 2, 0, 0}, /* no room even for the arrow */
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		int s, r;
		tui_pair_widths(rows[i].sender, rows[i].receiver, 3, rows[i].room, &s, &r);
		if (s != rows[i].want_s || r != rows[i].want_r)
			fail_msg("row %zu: sender %d receiver %d, wanted %d %d", i, s, r,
			         rows[i].want_s, rows[i].want_r);
		assert_true(s + r + 3 <= rows[i].room || rows[i].room < 5);
	}
}

/* Columns by priority: the highest number goes first, the last of a rank
 * before the others, and nothing of rank 1 is ever dropped. */
static void test_columns_by_priority(void **state)
{
	(void)state;
	enum { NAME, PAIR, BAR, HANDED, ACCEPTED, GAPS, OVERDUE, RAG, SIGN, N };
	const struct tui_col spec[N] = {
	    [NAME] = {.title = "Function", .min = 14, .max = 31, .weight = 2, .prio = 1},
	    [PAIR] = {.title = "Pair", .min = 22, .max = 34, .weight = 5, .prio = 2},
	    [BAR] = {.title = "Progress", .width = 10, .prio = 5},
	    [HANDED] = {.title = "Handed", .width = 6, .prio = 6},
	    [ACCEPTED] = {.title = "Accepted", .width = 8, .prio = 1},
	    [GAPS] = {.title = "Gaps", .width = 4, .prio = 3},
	    [OVERDUE] = {.title = "Overdue", .width = 7, .prio = 4},
	    [RAG] = {.title = "RAG", .width = 5, .prio = 2},
	    [SIGN] = {.title = "Signed", .width = 6, .prio = 3},
	};
	const struct {
		int total;
		const char *kept; /* one letter per column, '-' dropped */
	} rows[] = {
	    {140, "NPBHAGORS"}, {89, "NPB-AGORS"}, {79, "NP--AGORS"}, {70, "NP--AG-RS"},
	    {62, "NP--AG-R-"},  {56, "NP--A--R-"}, {40, "N---A----"},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct tui_col c[N];
		memcpy(c, spec, sizeof spec);
		tui_cols_layout(c, N, rows[i].total);
		char kept[N + 1];
		int used = 0, last_end = 0;
		for (int k = 0; k < N; k++) {
			kept[k] = c[k].w ? "NPBHAGORS"[k] : '-';
			if (c[k].w) {
				assert_true(c[k].x >= last_end); /* no overlap */
				last_end = c[k].x + c[k].w;
				used = last_end;
			}
		}
		kept[N] = '\0';
		if (strcmp(kept, rows[i].kept) != 0)
			fail_msg("at %d columns kept %s, wanted %s", rows[i].total, kept,
			         rows[i].kept);
		assert_true(used <= rows[i].total);
		if (c[PAIR].w)
			assert_true(c[PAIR].w >= spec[PAIR].min || rows[i].total < 60);
	}
}

static void test_sort_order(void **state)
{
	(void)state;
	struct tui_sort_key rows[] = {
	    {HO_RAG_GREEN, 0, "2026-12-01", 3, 3, 0},
	    {HO_RAG_RED, 2, "", 0, 3, 1},
	    {HO_RAG_AMBER, 0, "2026-11-01", 1, 3, 2},
	    {HO_RAG_RED, 5, "2026-12-15", 2, 3, 3},
	    {HO_RAG_NONE, 0, "", 0, 0, 4},
	};
	const struct {
		tui_sort sort;
		size_t want[5];
	} cases[] = {
	    {TUI_SORT_ORDER, {0, 1, 2, 3, 4}},    {TUI_SORT_RAG, {1, 3, 2, 0, 4}},
	    {TUI_SORT_OVERDUE, {3, 1, 0, 2, 4}},  {TUI_SORT_DUE, {2, 0, 3, 1, 4}},
	    {TUI_SORT_PROGRESS, {1, 2, 3, 0, 4}},
	};
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		struct tui_sort_key k[5];
		memcpy(k, rows, sizeof rows);
		tui_sort_keys(cases[c].sort, k, 5);
		for (size_t i = 0; i < 5; i++)
			if (k[i].index != cases[c].want[i])
				fail_msg("sort by %s: position %zu holds %zu, wanted %zu",
				         tui_sort_name(cases[c].sort), i, k[i].index,
				         cases[c].want[i]);
	}
}

int main(void)
{
	setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fold_table),  cmocka_unit_test(test_fold_whole_blocks),
	    cmocka_unit_test(test_match),       cmocka_unit_test(test_reference),
	    cmocka_unit_test(test_pair_widths), cmocka_unit_test(test_columns_by_priority),
	    cmocka_unit_test(test_sort_order),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
