/* ho-fuzz-seeds: writes the starting corpus of every fuzz target into
 * DIR/<target>/seed-*: small handover files (512-byte pages, rollback
 * journal, so each is one self-contained file of some 30 kilobytes, most
 * of it the schema) for dbfile, and typical and nasty inputs for the
 * others. The fuzzers grow
 * the corpus from there; tests/fuzz/corpus holds the merged result.
 *
 * With --upgrade, brings every handover file directly inside DIR to the
 * current format instead, in place: each is opened as users open it
 * (ho_open, which runs the migrations) and kept as it then is. A corpus of
 * files from before the last migration would otherwise have every
 * execution of the dbfile target migrate its input first, which took
 * most of its time. Files that do not open, and kept inputs (finding-*,
 * format-*: the older formats kept on purpose), stay as they are.
 *
 * Usage: ho-fuzz-seeds DIR
 *        ho-fuzz-seeds --upgrade DIR */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handover/handover.h"
#include "handover/report.h"
#include "handover/testhook.h"

static const char *root;

static void die(const char *what, ho_db *db)
{
	fprintf(stderr, "ho-fuzz-seeds: %s: %s\n", what, db ? ho_errmsg(db) : strerror(errno));
	exit(2);
}

static void put(const char *target, const char *name, const void *data, size_t len)
{
	char p[600];
	snprintf(p, sizeof p, "%s/%s", root, target);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/%s/seed-%s", root, target, name);
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0)
		die(p, NULL);
}

static void put_str(const char *target, const char *name, const char *s)
{
	put(target, name, s, strlen(s));
}

#define OK(call)                                                                                   \
	do {                                                                                       \
		if ((call) != HO_OK)                                                               \
			die(#call, db);                                                            \
	} while (0)

static int64_t item(ho_db *db, const char *ref)
{
	int64_t id = 0;
	OK(ho_item_find(db, 0, ref, &id));
	return id;
}

/* A small but lived-in file: every state, a gap, conditions, comments with
 * escape sequences, a signed function when `signed_off`. */
static void build(const char *path, int signed_off, int two)
{
	ho_db *db = NULL;
	unlink(path);
	OK(ho_open(path, HO_OPEN_CREATE, &db));
	ho_init_opts o = {.title = "Seed", .login = "lead", .name = "Lee Lead", .empty = 1};
	OK(ho_init(db, &o));
	OK(ho_person_add(db, "sam", "Sam Sender", HO_ROLE_SENDER, "Region"));
	OK(ho_person_add(db, "rita", "Rita \xe2\x80\xae Receiver", HO_ROLE_RECEIVER, "ICB"));
	int64_t h, fin, dig;
	OK(ho_handover_add(db, "Dental", "Dental", "NW", "C&M ICB", "2027-04-01", &h));
	OK(ho_function_add(db, h, "FIN", "Finance", "2026-12-31", &fin));
	OK(ho_function_add(db, h, "DIG", "Digital", "2026-11-01", &dig));
	for (int i = 0; i < 3; i++)
		OK(ho_item_add(db, fin, "Finance item", "Guidance \x1b[31mred\x1b[0m", "", NULL));
	OK(ho_item_add(db, dig, "Digital item", "", "2026-10-01", NULL));
	OK(ho_pair(db, h, "FIN", "sam", "rita"));
	ho_set_actor(db, "sam");
	OK(ho_item_mark(db, item(db, "FIN-1"), 0, HO_ACT_HANDED_OVER, "Ledger", NULL));
	OK(ho_item_mark(db, item(db, "FIN-2"), 0, HO_ACT_HANDED_OVER, "Accruals", "a note"));
	OK(ho_item_mark(db, item(db, "FIN-3"), 0, HO_ACT_NOT_APPLICABLE, "Not delegated", NULL));
	OK(ho_item_comment(db, item(db, "FIN-1"), "See \x1b]0;title\x07 tab 2"));
	ho_set_actor(db, "rita");
	OK(ho_item_mark(db, item(db, "FIN-1"), 0, HO_ACT_ACCEPTED, NULL, NULL));
	OK(ho_item_mark(db, item(db, "FIN-2"), 0, HO_ACT_GAP, "Where is March?", NULL));
	OK(ho_item_mark(db, item(db, "FIN-3"), 0, HO_ACT_ACCEPTED_CONDITIONS, "Review in May",
	                NULL));
	if (signed_off) {
		ho_set_actor(db, "sam");
		OK(ho_item_mark(db, item(db, "FIN-2"), 0, HO_ACT_HANDED_OVER, "March added", NULL));
		ho_set_actor(db, "rita");
		OK(ho_item_mark(db, item(db, "FIN-2"), 0, HO_ACT_ACCEPTED, NULL, NULL));
		OK(ho_function_sign(db, fin));
		ho_set_actor(db, "sam");
		OK(ho_function_sign(db, fin));
	}
	if (two) {
		ho_set_actor(db, "lead");
		int64_t h2, f2;
		OK(ho_handover_add(db, "Optometry", "", "", "", "", &h2));
		OK(ho_function_add(db, h2, "FIN", "Finance", "", &f2));
		OK(ho_item_add(db, f2, "Another finance item", "", "", NULL));
	}
	ho_close(db);
	/* Small pages and a rollback journal: a self-contained file of a few
	 * kilobytes. */
	sqlite3 *c = NULL;
	if (sqlite3_open(path, &c) != SQLITE_OK ||
	    sqlite3_exec(c, "PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM", NULL, NULL,
	                 NULL) != SQLITE_OK)
		die("vacuum", NULL);
	sqlite3_close(c);
}

static void db_seed(const char *name, int signed_off, int two, int empty)
{
	char path[600];
	snprintf(path, sizeof path, "%s/%s.tmp", root, name);
	if (empty) {
		ho_db *db = NULL;
		unlink(path);
		OK(ho_open(path, HO_OPEN_CREATE, &db));
		ho_init_opts o = {.title = "Empty", .login = "lead", .empty = 1};
		OK(ho_init(db, &o));
		ho_close(db);
		sqlite3 *c = NULL;
		sqlite3_open(path, &c);
		sqlite3_exec(c, "PRAGMA journal_mode=DELETE; PRAGMA page_size=512; VACUUM", NULL,
		             NULL, NULL);
		sqlite3_close(c);
	} else {
		build(path, signed_off, two);
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		die(path, NULL);
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	put("dbfile", name, buf, n);
	if (!empty && !two) {
		/* An export of it, for the importer. */
		ho_db *db = NULL;
		OK(ho_open(path, 0, &db));
		char *csv = NULL;
		size_t len = 0;
		FILE *mem = open_memstream(&csv, &len);
		OK(ho_export_csv(db, mem));
		fclose(mem);
		char nm[64];
		snprintf(nm, sizeof nm, "export-%s", name);
		put("csv", nm, csv, len);
		free(csv);
		ho_close(db);
	}
	unlink(path);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	unsigned char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			unsigned char *nb = realloc(buf, cap *= 2);
			if (!nb)
				free(buf);
			buf = nb;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static void unlink_side_files(const char *path)
{
	static const char *const side[] = {"", "-journal", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof side / sizeof *side; i++) {
		char p[700];
		snprintf(p, sizeof p, "%s%s", path, side[i]);
		unlink(p);
	}
}

/* 1 when the file at `path` was upgraded in place, 0 when left as it was. */
static int upgrade_one(const char *path, const char *scratch)
{
	size_t len = 0, after_len = 0;
	unsigned char *before = slurp(path, &len);
	if (!before)
		die(path, NULL);
	unlink_side_files(scratch);
	FILE *f = fopen(scratch, "wb");
	if (!f || fwrite(before, 1, len, f) != len || fclose(f) != 0)
		die(scratch, NULL);
	ho_db *db = NULL;
	ho_status st = ho_open(scratch, 0, &db);
	ho_close(db);
	unsigned char *after = st == HO_OK ? slurp(scratch, &after_len) : NULL;
	int changed = after && (after_len != len || memcmp(before, after, len) != 0);
	if (changed) {
		char tmp[700];
		snprintf(tmp, sizeof tmp, "%s.upgrading", path);
		f = fopen(tmp, "wb");
		if (!f || fwrite(after, 1, after_len, f) != after_len || fclose(f) != 0 ||
		    rename(tmp, path) != 0)
			die(tmp, NULL);
	}
	unlink_side_files(scratch);
	free(before);
	free(after);
	return changed;
}

static int upgrade_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		die(dir, NULL);
	char scratch[600];
	snprintf(scratch, sizeof scratch, "%s/.upgrade.db", dir);
	int files = 0, upgraded = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		char p[600];
		struct stat sb;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (e->d_name[0] == '.' || strncmp(e->d_name, "finding-", 8) == 0 ||
		    strncmp(e->d_name, "format-", 7) == 0 || stat(p, &sb) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		files++;
		upgraded += upgrade_one(p, scratch);
	}
	closedir(d);
	printf("%s: %d of %d files upgraded to the current format\n", dir, upgraded, files);
	return 0;
}

int main(int argc, char **argv)
{
	setenv("HANDOVER_JOURNAL", "delete", 1);
	ho_clock_set(1795341600);
	if (argc == 3 && strcmp(argv[1], "--upgrade") == 0)
		return upgrade_dir(argv[2]);
	if (argc != 2) {
		fprintf(stderr, "usage: ho-fuzz-seeds DIR\n       ho-fuzz-seeds --upgrade DIR\n");
		return 2;
	}
	root = argv[1];
	mkdir(root, 0755);

	db_seed("empty", 0, 0, 1);
	db_seed("small", 0, 0, 0);
	db_seed("signed", 1, 0, 0);
	db_seed("two", 0, 1, 0);

	/* The sanitiser: first byte = mode bit and columns. */
	put_str("text", "plain", "\x28Reconcile budgets to the ledger");
	put_str("text", "escapes",
	        "\x51red \x1b[31mALERT\x1b[0m \x1b]0;title\x07 \x1b]8;;u\x1b\\l\x1b]8;;\x1b\\");
	put_str("text", "lines", "\x15one\r\ntwo\rthree\nfour\x0b\x0c\xc2\x85 five\xe2\x80\xa8six");
	put_str("text", "bidi",
	        "\x20invoice \xe2\x80\xae"
	        "fdp.exe \xe2\x81\xa6x\xe2\x81\xa9 zw\xe2\x80\x8bj\xef\xbb\xbf");
	put_str("text", "wide",
	        "\x0b\xe7\x8e\x8b\xe5\xb0\x8f\xe6\x98\x8e \xf0\x9f\x98\x80 e\xcc\x81 \xe2\x80\xa6");
	put_str("text", "bad-utf8",
	        "\x09\xff\xfe caf\xe9 \xc0\xaf \xed\xa0\x80 \xe2\x82 \xf4\x90\x80\x80");
	put_str("text", "c1",
	        "\x07\xc2\x9b"
	        "31m \xc2\x9d"
	        "0;x\xc2\x9c \x7f \x1bP dcs \x1b\\ \x1b(B");
	put_str("text", "tabs", "\x21\ta\tb\x01\x02\x1f\xef\xb7\x90 \xef\xbf\xbe");

	static const char *const refs[] = {
	    "FIN-1",
	    "fin-12",
	    "DIG2-3",
	    "GOV-1",
	    "FIN-01",
	    "FIN--1",
	    "-3",
	    "FIN-",
	    "FIN-99999999999",
	    "FIN-\x1b[2J1",
	    "2026-11-22",
	    "2026-02-29",
	    "2024-02-29",
	    "2026-11-22T10:00Z",
	    "2026-11-22T10:00:59",
	    "9999-12-31T23:59:59Z",
	    "handed-over",
	    "Accepted-With-Conditions",
	    "gap",
	    "lead",
	    "viewer",
	    "html",
	    "md",
	    "pdf",
	};
	for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
		char nm[16];
		snprintf(nm, sizeof nm, "%02zu", i);
		put_str("refs", nm, refs[i]);
	}

	put_str("csv", "template",
	        "function code,function name,item title,guidance,due date\r\n"
	        "FIN,Finance,Reconcile budgets,\"Ledger extract, signed\",2027-03-31\r\n"
	        "FIN,Finance,\"Accruals \"\"and\"\" commitments\",\"two\nlines\",31/03/2027\r\n"
	        "NEW,New function,'=SUM(A1),,\r\n"
	        ",,,,\r\n");
	put_str("csv", "bom",
	        "\xef\xbb\xbf"
	        "Code,Item,Guidance,Due\nFIN,Caf\xc3\xa9 item,,\n");
	put_str("csv", "bad", "function code,item title\nFIN,\"never closed\n");

	static const char cli[][96] = {
	    "mark\0FIN-3\0gap\0--note\0Where?",
	    "people\0add\0sam\0--name\0Sam\0--role\0sender\0--org\0NW",
	    "-f\0x.db\0--as\0lead\0status\0--handover\0002",
	    "--help",
	    "people\0--help",
	    "print\0--format\0pdf\0-o\0out.pdf\0--function\0FIN",
	    "sign\0--handover\0001",
	    "--\0status",
	    "mark\0FIN-1\0handed-over\0--evidence\0-",
	    "--version",
	    "pair\0DIG\0--sender\0sam\0--receiver\0rita\0--as",
	};
	for (size_t i = 0; i < sizeof cli / sizeof *cli; i++) {
		/* The words end at the last non-NUL byte (no seed ends in an
		 * empty word). */
		size_t len = sizeof cli[i];
		while (len > 0 && cli[i][len - 1] == '\0')
			len--;
		char nm[16];
		snprintf(nm, sizeof nm, "%02zu", i);
		put("cli", nm, cli[i], len);
	}
	/* The import matcher (fuzz_match.c): the first byte's low bits are the
	 * sheet's optional columns ('7': guidance, due, function due). */
	static const char checklist[] = "H\n"
	                                "FFIN|Finance|2027-03-31|4|0\n"
	                                "I1|Reconcile budgets|Ledger extract|\n"
	                                "I2|Accruals|Commitments|2027-01-31\n"
	                                "I3|Reconcile budgets|Second ledger|\n"
	                                "FDIG|Digital||2|1\n"
	                                "I1|Systems list||\n"
	                                "H\n"
	                                "FFIN|Finance||1|0\n";
	static const char *const match[][2] = {
	    {"unchanged", "R0|FIN|Finance|FIN-1|Reconcile budgets|Ledger extract||2027-03-31\n"
	                  "R0|FIN|Finance|FIN-2|Accruals|Commitments|2027-01-31|2027-03-31\n"
	                  "R0|FIN|Finance|FIN-3|Reconcile budgets|Second ledger||2027-03-31\n"
	                  "R0|DIG|Digital|DIG-1|Systems list|||\n"},
	    {"edited", "R0|FIN|Finance|FIN-1|Reconcile all budgets|Ledger extract|2027-02-28|\n"
	               "R0|FIN|Finance|FIN-2|Accruals|New guidance|2027-01-31|\n"
	               "R0|FIN|Finance||Reconcile budgets|Second ledger||\n"
	               "R0|FIN|Finance||Reconcile budgets|||\n"},
	    {"added", "R0|FIN|Finance|FIN-7|Pensions|||2027-04-30\n"
	              "R0|FIN|Finance||Payroll|||2027-04-30\n"
	              "R0|GOV|Governance||Board minutes||2027-05-01|2027-06-30\n"
	              "R1|FIN|Finance|fin-2|Budgets|||\n"
	              "R1|FIN|Finance||Budgets|||\n"},
	    {"signed", "R0|DIG|Digital|DIG-1|Systems inventory|||\n"},
	    {"refused", "R0|FIN|Finance|DIG-1|Wrong function|||\n"
	                "R0|FIN|Finance|FIN-1|Twice|||\n"
	                "R0|FIN|Finance|FIN-1|Twice|||\n"
	                "R0|NEW|||No name|||\n"
	                "R5|FIN|Finance||No such handover|||\n"},
	    {"function-due", "R0|FIN|Finance||Reconcile budgets|||2027-03-31\n"
	                     "R0|FIN|Finance||Accruals|||2027-06-30\n"},
	};
	for (size_t i = 0; i < sizeof match / sizeof *match; i++) {
		char buf[2048];
		snprintf(buf, sizeof buf, "%c%s%s",
		         i == 1   ? '3'
		         : i == 3 ? '0'
		                  : '7',
		         checklist, match[i][1]);
		put_str("match", match[i][0], buf);
	}
	printf("seeds written to %s\n", root);
	return 0;
}
