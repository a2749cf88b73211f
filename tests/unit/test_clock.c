/* Dates and times: parsing is strict (a bad due date must be refused, not
 * guessed at), formatting is UTC, and the clock can be fixed for tests and
 * reproducible documents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* cmocka.h needs the headers above first. */
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handover/handover.h"
#include "handover/testhook.h"

static int reset_clock(void **state)
{
	(void)state;
	unsetenv("HANDOVER_NOW");
	ho_clock_set(0);
	return 0;
}

static void test_parse_forms(void **state)
{
	(void)state;
	assert_int_equal(ho_time_parse("2026-03-31"), 1774915200);
	assert_int_equal(ho_time_parse("2026-03-31T09:15"), 1774948500);
	assert_int_equal(ho_time_parse("2026-03-31T09:15:30"), 1774948530);
	assert_int_equal(ho_time_parse("2026-03-31T09:15:30Z"), 1774948530);
	assert_int_equal(ho_time_parse("2026-03-31T09:15Z"), 1774948500);
	assert_int_equal(ho_time_parse("2026-03-31 09:15"), 1774948500);
	assert_int_equal(ho_time_parse("2026-03-31 09:15:30Z"), 1774948530);
	assert_int_equal(ho_time_parse("2000-02-29T23:59:59"), 951868799);
	assert_int_equal(ho_time_parse("1970-01-01T00:00:01"), 1);
}

static void test_leap_days(void **state)
{
	(void)state;
	assert_int_equal(ho_time_parse("2024-02-29"), 1709164800);
	assert_true(ho_date_valid("2024-02-29"));
	assert_true(ho_date_valid("2000-02-29"));  /* divisible by 400 */
	assert_false(ho_date_valid("2100-02-29")); /* divisible by 100 only */
	assert_false(ho_date_valid("2026-02-29"));
	assert_int_equal(ho_time_parse("2026-02-29"), -1);
}

static void test_parse_rejects(void **state)
{
	static const char *const bad[] = {
	    "2026-02-29",
	    "2024-02-30",
	    "2026-04-31",
	    "2026-13-01",
	    "2026-00-10",
	    "2026-01-00",
	    "2026-01-32",
	    "hello",
	    "",
	    "2026",
	    "2026-3-1",
	    "26-03-31",
	    "2026/03/31",
	    "2026-03-31x",
	    "2026-03-31 ",
	    " 2026-03-31",
	    "2026-03-31T",
	    "2026-03-31T9:15",
	    "2026-03-31T09",
	    "2026-03-31T09:1",
	    "2026-03-31T24:00",
	    "2026-03-31T12:60",
	    "2026-03-31T12:00:60",
	    "2026-03-31T12:00:5",
	    "2026-03-31T12:00Zjunk",
	    "2026-03-31T12:00ZZ",
	    "2026-03-31Z",
	    "2026-03-31t12:00",
	    "+2026-03-31",
	    "1969-12-31",
	    "2026-03-31T12:00+01:00",
	    "２０２６-03-31",
	};
	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (ho_time_parse(bad[i]) != -1)
			fail_msg("accepted \"%s\"", bad[i]);
	}
	assert_int_equal(ho_time_parse(NULL), -1);
}

static void test_date_valid(void **state)
{
	(void)state;
	assert_true(ho_date_valid("2026-03-31"));
	assert_true(ho_date_valid("2026-12-31"));
	assert_false(ho_date_valid("2026-03-31T09:00"));
	assert_false(ho_date_valid("2026-03-31 "));
	assert_false(ho_date_valid("31/03/2026"));
	assert_false(ho_date_valid(""));
	assert_false(ho_date_valid(NULL));
}

/* What a person types for a due date: ISO or UK day/month/year, nothing
 * else (no US order, no two-digit years, no trailing text). */
static void test_date_parse_user(void **state)
{
	static const struct {
		const char *in, *want; /* want NULL: refused */
	} cases[] = {
	    {"2026-12-15", "2026-12-15"}, {"15/12/2026", "2026-12-15"},
	    {"5/1/2027", "2027-01-05"},   {"05/01/2027", "2027-01-05"},
	    {"29/02/2028", "2028-02-29"}, {"29/02/2027", NULL},
	    {"31/04/2026", NULL},         {"12/15/2026", NULL},
	    {"15/12/26", NULL},           {"15-12-2026", NULL},
	    {"2026/12/15", NULL},         {"15/12/2026 ", NULL},
	    {" 15/12/2026", NULL},        {"015/12/2026", NULL},
	    {"15/12/20261", NULL},        {"0/12/2026", NULL},
	    {"15/0/2026", NULL},          {"1/1/1969", NULL},
	    {"next friday", NULL},        {"", NULL},
	    {"/12/2026", NULL},           {"15//2026", NULL},
	    {"2026-13-01", NULL},
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[11] = "unchanged";
		int rc = ho_date_parse_user(cases[i].in, out);
		if (cases[i].want) {
			if (rc != 0)
				fail_msg("refused \"%s\"", cases[i].in);
			assert_string_equal(out, cases[i].want);
		} else if (rc != -1) {
			fail_msg("accepted \"%s\" as %s", cases[i].in, out);
		}
	}
	char out[11];
	assert_int_equal(ho_date_parse_user(NULL, out), -1);
}

static void test_format_round_trip(void **state)
{
	static const char *const dates[] = {"2024-02-29", "2026-03-31", "1999-12-31", "2038-01-20",
	                                    "2100-03-01"};
	char buf[32];
	(void)state;

	for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
		ho_date_format(ho_time_parse(dates[i]), buf, sizeof buf);
		assert_string_equal(buf, dates[i]);
	}
	ho_time_format(ho_time_parse("2026-03-31T09:15"), buf, sizeof buf);
	assert_string_equal(buf, "2026-03-31 09:15");
	assert_int_equal(ho_time_parse(buf), 1774948500);
	/* Seconds are not shown, and the date of a time is its UTC day. */
	ho_time_format(1774948530, buf, sizeof buf);
	assert_string_equal(buf, "2026-03-31 09:15");
	ho_date_format(ho_time_parse("2026-03-31T23:59:59"), buf, sizeof buf);
	assert_string_equal(buf, "2026-03-31");
}

static void test_format_small_buffer(void **state)
{
	char buf[8];
	(void)state;

	memset(buf, 'x', sizeof buf);
	ho_date_format(1774915200, buf, 5);
	assert_string_equal(buf, "2026");
	assert_int_equal(buf[5], 'x'); /* nothing written past size */
	ho_time_format(1774915200, buf, 1);
	assert_string_equal(buf, "");
	ho_date_format(1774915200, NULL, 11); /* must not crash */
}

static void test_fixed_clock(void **state)
{
	char buf[11];
	(void)state;

	ho_clock_set(1709164800 + 3600);
	assert_int_equal(ho_now(), 1709164800 + 3600);
	ho_today(buf, sizeof buf);
	assert_string_equal(buf, "2024-02-29");

	ho_clock_set(0);
	int64_t before = (int64_t)time(NULL);
	int64_t now = ho_now();
	assert_in_range(now, before, before + 5);
}

static void test_handover_now(void **state)
{
	(void)state;

	setenv("HANDOVER_NOW", "2030-01-02T03:04:05Z", 1);
	ho_clock_set(0);
	assert_int_equal(ho_now(), 1893553445);

	/* Read once: a later change is not seen until the clock is reset. */
	setenv("HANDOVER_NOW", "2031-01-01", 1);
	assert_int_equal(ho_now(), 1893553445);
	ho_clock_set(0);
	assert_int_equal(ho_now(), ho_time_parse("2031-01-01"));

	/* A clock fixed in the program wins over the environment. */
	ho_clock_set(1774915200);
	assert_int_equal(ho_now(), 1774915200);

	/* A malformed value is ignored: back to the system clock. */
	setenv("HANDOVER_NOW", "next tuesday", 1);
	ho_clock_set(0);
	int64_t before = (int64_t)time(NULL);
	assert_in_range(ho_now(), before, before + 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_parse_forms),
	    cmocka_unit_test(test_leap_days),
	    cmocka_unit_test(test_parse_rejects),
	    cmocka_unit_test(test_date_valid),
	    cmocka_unit_test(test_date_parse_user),
	    cmocka_unit_test(test_format_round_trip),
	    cmocka_unit_test(test_format_small_buffer),
	    cmocka_unit_test_teardown(test_fixed_clock, reset_clock),
	    cmocka_unit_test_teardown(test_handover_now, reset_clock),
	};
	/* The tests own the clock: a HANDOVER_NOW from the caller must not leak in. */
	return cmocka_run_group_tests(tests, reset_clock, NULL);
}
