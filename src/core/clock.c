/* The clock, dates and times. Everything is UTC: a handover's dates are
 * calendar days shared by people in one country, and UTC keeps documents
 * printed on different machines identical.
 *
 * HANDOVER_NOW: a test hook, honoured only in builds made with the tests
 * (HO_TEST_HOOKS, set by CMake when HO_TESTS is on). When set (same syntax
 * as ho_time_parse, e.g. "2026-03-31T09:00Z") and no clock was fixed with
 * ho_clock_set(), ho_now() returns that time. It is read once, on the first
 * ho_now() after start-up or after ho_clock_set(0); a malformed value is
 * ignored and the system clock used. Builds for use ignore it: a variable
 * left in someone's environment must not date their changes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "handover/handover.h"
#include "handover/testhook.h"

static int64_t fixed_now; /* set by ho_clock_set; 0 when none */
static int env_read;      /* HANDOVER_NOW looked at since the last reset */
static int64_t env_now;   /* its value, 0 when unset or malformed */

int64_t ho_now(void)
{
	if (fixed_now != 0)
		return fixed_now;
	if (!env_read && ho_clock_env_honoured()) {
		const char *s = getenv("HANDOVER_NOW");
		int64_t t = (s != NULL && *s != '\0') ? ho_time_parse(s) : -1;
		env_now = t > 0 ? t : 0;
		env_read = 1;
	}
	if (env_now != 0)
		return env_now;
	return (int64_t)time(NULL);
}

int ho_clock_env_honoured(void)
{
#ifdef HO_TEST_HOOKS
	return 1;
#else
	return 0;
#endif
}

void ho_clock_set(int64_t t)
{
	fixed_now = t;
	/* Returning to the "system" clock looks at HANDOVER_NOW again, so a
	 * test can change the variable and see it take effect. */
	if (t == 0)
		env_read = 0;
}

/* Read exactly `n` ASCII digits (isdigit would follow the locale). */
static int read_digits(const char **s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		char c = (*s)[i];
		if (c < '0' || c > '9')
			return -1;
		v = v * 10 + (c - '0');
	}
	*s += n;
	*out = v;
	return 0;
}

static int expect(const char **s, char c)
{
	if (**s != c)
		return -1;
	(*s)++;
	return 0;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* "YYYY-MM-DD" at *s into tm; advances *s. Years before 1970 are refused:
 * they would give negative times, and -1 is the parse error. */
static int parse_date(const char **s, struct tm *tm)
{
	int y, m, d;
	if (read_digits(s, 4, &y) || expect(s, '-') || read_digits(s, 2, &m) || expect(s, '-') ||
	    read_digits(s, 2, &d))
		return -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	return 0;
}

int64_t ho_time_parse(const char *s)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	if (s == NULL || parse_date(&s, &tm) != 0)
		return -1;
	if (*s == 'T' || *s == ' ') {
		int h, min, sec = 0;
		s++;
		if (read_digits(&s, 2, &h) || expect(&s, ':') || read_digits(&s, 2, &min))
			return -1;
		if (*s == ':') {
			s++;
			if (read_digits(&s, 2, &sec))
				return -1;
		}
		/* No leap second: timegm would roll it into the next minute. */
		if (h > 23 || min > 59 || sec > 59)
			return -1;
		tm.tm_hour = h;
		tm.tm_min = min;
		tm.tm_sec = sec;
		if (*s == 'Z')
			s++;
	}
	if (*s != '\0')
		return -1;
	time_t t = timegm(&tm);
	return t == (time_t)-1 ? -1 : (int64_t)t;
}

int ho_date_valid(const char *s)
{
	struct tm tm;
	if (s == NULL || parse_date(&s, &tm) != 0)
		return 0;
	return *s == '\0';
}

/* Broken-down UTC time of t; 0 when t is outside what the system can
 * represent. */
static int utc(int64_t t, struct tm *tm)
{
	time_t tt = (time_t)t;
	if ((int64_t)tt != t)
		return 0;
	return gmtime_r(&tt, tm) != NULL;
}

void ho_date_format(int64_t t, char *buf, size_t size)
{
	struct tm tm;
	if (buf == NULL || size == 0)
		return;
	if (!utc(t, &tm)) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, size, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void ho_time_format(int64_t t, char *buf, size_t size)
{
	struct tm tm;
	if (buf == NULL || size == 0)
		return;
	if (!utc(t, &tm)) {
		buf[0] = '\0';
		return;
	}
	snprintf(buf, size, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min);
}

void ho_today(char *buf, size_t size)
{
	ho_date_format(ho_now(), buf, size);
}

/* Dates as people type them: the ISO form, or the UK day/month/year that
 * NHS staff write (one or two digits for the day and month; never the US
 * order, which would silently swap 03/04). */
int ho_date_parse_user(const char *s, char out[11])
{
	int y, m, d;
	const char *p = s;
	if (s == NULL)
		return -1;
	if (ho_date_valid(s)) {
		memcpy(out, s, 10);
		out[10] = '\0';
		return 0;
	}
	d = 0;
	int digits = 0;
	for (; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
		d = d * 10 + (*p - '0');
	if (digits == 0 || *p++ != '/')
		return -1;
	m = 0;
	digits = 0;
	for (; *p >= '0' && *p <= '9' && digits < 2; p++, digits++)
		m = m * 10 + (*p - '0');
	if (digits == 0 || *p++ != '/')
		return -1;
	if (read_digits(&p, 4, &y) || *p != '\0')
		return -1;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	char buf[32];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	memcpy(out, buf, 11);
	return 0;
}
