/* Fuzz target: what people type to name things. Item references ("FIN-3")
 * and function codes looked up in a small file with two handovers (so the
 * "which handover?" path runs too), dates and times, and the words of the
 * command line (states, roles, formats). For any input:
 *   - lookups answer found, not found or usage error, with a one-line
 *     message that carries no escape byte of the input back to a terminal;
 *     a found item can be read;
 *   - a parsed time formats back to a valid date, and a valid date parses
 *     and formats back to itself;
 *   - a word that parses names itself (any case). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "fuzz_util.h"
#include "handover/handover.h"
#include "handover/report.h"
#include "handover/testhook.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ho_db *db;
static int64_t handovers[2];

static void must(ho_status st, const char *what)
{
	if (st != HO_OK) {
		fprintf(stderr, "fuzz_refs set-up: %s: %s\n", what, ho_errmsg(db));
		abort();
	}
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[300];
	snprintf(path, sizeof path, "%s/refs.db", fuzz_dir());
	setenv("HANDOVER_JOURNAL", "delete", 1);
	ho_clock_set(1795341600); /* 2026-11-22 */
	must(ho_open(path, HO_OPEN_CREATE, &db), "create");
	ho_init_opts o = {.title = "Refs", .login = "lead", .empty = 1};
	must(ho_init(db, &o), "init");
	must(ho_person_add(db, "sam", "Sam \x1b[31mSender", HO_ROLE_SENDER, ""), "sam");
	const char *titles[2] = {"Dental", "Optometry \xe2\x80\xae"};
	for (int h = 0; h < 2; h++) {
		must(ho_handover_add(db, titles[h], "", "", "", "", &handovers[h]), "handover");
		int64_t fin, dig;
		must(ho_function_add(db, handovers[h], "FIN", "Finance", "", &fin), "FIN");
		must(ho_function_add(db, handovers[h], "DIG2", "Digital", "", &dig), "DIG2");
		for (int i = 0; i < 12; i++)
			must(ho_item_add(db, i % 2 ? dig : fin, "An item", "", "", NULL), "item");
	}
	/* One code only in the first handover. */
	must(ho_function_add(db, handovers[0], "GOV", "Governance", "", NULL), "GOV");
	return 0;
}

static void check_message(const char *what, const char *input)
{
	const char *m = ho_errmsg(db);
	FUZZ_CHECK(!strchr(m, '\n'), "%s '%s': message of several lines: %s", what, input, m);
	FUZZ_CHECK(!strchr(m, '\x1b'), "%s: an escape byte of the input reached the message", what);
}

static void lookups(const char *s)
{
	for (int h = -1; h < 2; h++) {
		int64_t hid = h < 0 ? 0 : handovers[h], id = -1;
		ho_status st = ho_item_find(db, hid, s, &id);
		FUZZ_CHECK(st == HO_OK || st == HO_ENOTFOUND || st == HO_EUSAGE, "item lookup: %s",
		           ho_strerror(st));
		if (st == HO_OK) {
			ho_item it;
			FUZZ_CHECK(ho_item_get(db, id, &it) == HO_OK, "found item %lld unreadable",
			           (long long)id);
			FUZZ_CHECK(strncasecmp(it.ref, s, strcspn(it.ref, "-")) == 0,
			           "'%s' found %s", s, it.ref);
			ho_item_clear(&it);
		} else {
			FUZZ_CHECK(id == 0, "id %lld set on failure", (long long)id);
			check_message("item lookup", s);
		}
		st = ho_function_find(db, hid, s, &id);
		FUZZ_CHECK(st == HO_OK || st == HO_ENOTFOUND || st == HO_EUSAGE,
		           "function lookup: %s", ho_strerror(st));
		if (st != HO_OK)
			check_message("function lookup", s);
	}
}

static void times(const char *s)
{
	int64_t t = ho_time_parse(s);
	FUZZ_CHECK(t >= -1, "time %lld", (long long)t);
	if (t >= 0) {
		char d[16], tm[24];
		ho_date_format(t, d, sizeof d);
		ho_time_format(t, tm, sizeof tm);
		FUZZ_CHECK(ho_date_valid(d), "'%s' parsed to %lld, formatted '%s'", s, (long long)t,
		           d);
		FUZZ_CHECK(strncmp(tm, d, 10) == 0, "date and time disagree: %s / %s", d, tm);
	}
	if (ho_date_valid(s)) {
		FUZZ_CHECK(strlen(s) == 10, "'%s' is a valid date of %zu bytes", s, strlen(s));
		FUZZ_CHECK(t >= 0, "valid date '%s' does not parse", s);
		char d[16];
		ho_date_format(t, d, sizeof d);
		FUZZ_CHECK(strcmp(d, s) == 0, "'%s' formats back as '%s'", s, d);
	}
	/* Tiny buffers must stay terminated. */
	char small[4];
	ho_date_format(t < 0 ? 0 : t, small, sizeof small);
	FUZZ_CHECK(strnlen(small, sizeof small) < sizeof small, "date buffer overrun");
}

static void words(const char *s)
{
	ho_action a;
	if (ho_action_parse(s, &a) == 0)
		FUZZ_CHECK(strcasecmp(ho_action_name(a), s) == 0, "'%s' parsed as %s", s,
		           ho_action_name(a));
	ho_role r;
	if (ho_role_parse(s, &r) == 0)
		FUZZ_CHECK(strcasecmp(ho_role_name(r), s) == 0 && r != HO_ROLE_NONE,
		           "'%s' parsed as role %s", s, ho_role_name(r));
	/* A format word names one of the formats, whichever it is, and that
	 * format's own name parses back to it. */
	ho_format f, again;
	if (ho_format_parse(s, &f) == 0)
		FUZZ_CHECK((int)f >= HO_FMT_TEXT && (int)f < HO_FMT__COUNT &&
		               ho_format_parse(ho_format_name(f), &again) == 0 && again == f,
		           "'%s' parsed as format %d", s, (int)f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size);
	lookups(s);
	times(s);
	words(s);
	free(s);
	return 0;
}
