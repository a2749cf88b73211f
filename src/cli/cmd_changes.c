/* changes: what others changed since you last looked, or since a date. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "handover/changes.h"
#include "table.h"

/* --since: last, today, yesterday, YYYY-MM-DD[THH:MM], DD/MM/YYYY. -2 when
 * not understood. */
static int64_t since_value(const char *v)
{
	if (!v || strcmp(v, "last") == 0)
		return HO_SINCE_LAST;
	int64_t midnight = ho_now() / 86400 * 86400;
	if (strcmp(v, "today") == 0)
		return midnight;
	if (strcmp(v, "yesterday") == 0)
		return midnight - 86400;
	char iso[11];
	if (ho_date_parse_user(v, iso) == 0)
		return ho_time_parse(iso);
	int64_t t = ho_time_parse(v); /* YYYY-MM-DDTHH:MM */
	return t < 0 ? -2 : t;
}

/* "Tuesday 24 November 16:40" (UTC). */
static void when_words(int64_t t, char *buf, size_t size)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	static const char *const days[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
	                                   "Thursday", "Friday", "Saturday"};
	static const char *const months[] = {"January",   "February", "March",    "April",
	                                     "May",       "June",     "July",     "August",
	                                     "September", "October",  "November", "December"};
	snprintf(buf, size, "%s %d %s %02d:%02d", days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
	         tm.tm_hour, tm.tm_min);
}

int cmd_changes(const cli_args *a)
{
	int64_t since = since_value(cli_opt(a, "since"));
	if (since == -2)
		return cli_usage(a->command,
		                 "--since '%s': give last, today, yesterday, YYYY-MM-DD[THH:MM] or "
		                 "DD/MM/YYYY",
		                 cli_opt(a, "since"));
	int64_t handover = 0;
	ho_db *db = NULL;
	int code = cli_open_handover(a, &handover, &db);
	if (code != CLI_OK)
		return code;
	ho_change *c = NULL;
	size_t n = 0, total = 0;
	int64_t seen = 0;
	ho_status st = ho_seen_at(db, handover, &seen);
	if (st == HO_OK)
		st = ho_changes(db, handover, since, 500, &c, &n, &total);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto done;
	}
	char when[64];
	if (since != HO_SINCE_LAST) {
		when_words(since, when, sizeof when);
		printf("%zu change%s by others since %s (UTC)\n", total, total == 1 ? "" : "s",
		       when);
	} else if (seen) {
		when_words(seen, when, sizeof when);
		printf("%zu change%s by others since you last looked, %s (UTC)\n", total,
		       total == 1 ? "" : "s", when);
	} else {
		printf("%zu change%s by others (you have not looked before)\n", total,
		       total == 1 ? "" : "s");
	}
	if (n > 0) {
		static const char *const head[] = {"WHEN", "WHO", "WHAT", "REF", "CHANGE"};
		cli_table *t = cli_table_new(5, head);
		if (!t) {
			code = cli_error(a->command, CLI_BADFILE, "out of memory");
			goto done;
		}
		cli_table_limit(t, 1, 24);
		cli_table_limit(t, 3, 24);
		for (size_t i = 0; i < n; i++) {
			char at[24], change[600];
			ho_time_format(c[i].at, at, sizeof at);
			snprintf(change, sizeof change, "%.280s%s%.280s", c[i].old_value,
			         c[i].old_value[0] && c[i].new_value[0] ? " -> " : "",
			         c[i].new_value);
			const char *row[] = {at, c[i].actor_name, c[i].action, c[i].ref, change};
			if (cli_table_add(t, row) != 0) {
				code = cli_error(a->command, CLI_BADFILE, "out of memory");
				break;
			}
		}
		cli_table_print(t, stdout, 2);
		cli_table_free(t);
		if (total > n)
			printf("  ... and %zu older\n", total - n);
	}
	/* Having seen them, you have looked: the next 'changes' starts here.
	 * A date given (a daily mail from cron) does not move the mark. */
	if (code == CLI_OK && since == HO_SINCE_LAST && (st = ho_seen_mark(db, handover)) != HO_OK)
		code = cli_fail(a->command, db, st);
done:
	ho_change_free(c, n);
	ho_close(db);
	return code;
}
