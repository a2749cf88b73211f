/* The bad-input catalogue of tests/README.md, through the core: each bad
 * input gets the documented status (and so exit status), a one-line
 * message, and leaves the file byte for byte as it was. The command-line
 * side of the same catalogue is tests/e2e/robust_badinput.sh; locks held
 * too long are in test_robust_shared.c, hand-edited history in
 * test_robust_tamper.c. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "fixture.h"
#include "handover/report.h"
#include "handover/testhook.h"

static int inputs_tried;

static int reset_env(void **state)
{
	unsetenv("HANDOVER_JOURNAL");
	return 0;
}

/* A closed fixture file and its checksum: the baseline every refused
 * input must leave untouched. */
struct base {
	struct fixture fx;
	char sum[65];
};

static void base_build(struct base *b, const char *name)
{
	fx_build(&b->fx, name);
	ho_close(b->fx.db);
	b->fx.db = NULL;
	tu_file_hash(b->fx.path, b->sum);
}

static ho_db *base_open(struct base *b, const char *login)
{
	return tu_open_as(b->fx.path, login);
}

/* The refusal: the wanted status, a one-line message containing `says`
 * (when given), the documented exit status; after closing, the file as
 * it was. */
static void refused(struct base *b, ho_db *db, ho_status got, ho_status want, const char *says)
{
	inputs_tried++;
	if (got != want)
		fail_msg("got %s (%s), wanted %s", ho_strerror(got), ho_errmsg(db),
		         ho_strerror(want));
	const char *m = ho_errmsg(db);
	assert_true(m[0] != '\0');
	assert_null(strchr(m, '\n'));
	if (says && !strstr(m, says))
		fail_msg("message '%s' should say '%s'", m, says);
	ho_close(db);
	char now[65];
	tu_file_hash(b->fx.path, now);
	if (strcmp(now, b->sum) != 0)
		fail_msg("refused (%s), yet the file changed", m);
}

static void base_free(struct base *b)
{
	ho_clock_set(0);
}

/* Opening `path` is refused with `says`, the file as it was. */
static void open_refused(const char *path, const char *says)
{
	char before[65], after[65];
	tu_file_hash(path, before);
	ho_db *db = NULL;
	ho_status st = ho_open(path, 0, &db);
	inputs_tried++;
	if (st != HO_EBADFILE)
		fail_msg("open %s: %s (%s), wanted 'bad file'", path, ho_strerror(st),
		         ho_errmsg(db));
	if (says && !strstr(ho_errmsg(db), says))
		fail_msg("message '%s' should say '%s'", ho_errmsg(db), says);
	assert_null(strchr(ho_errmsg(db), '\n'));
	assert_int_equal(ho_exit_code(st), 2);
	ho_close(db);
	tu_file_hash(path, after);
	assert_string_equal(before, after);
	char side[600];
	snprintf(side, sizeof side, "%s-journal", path);
	assert_int_equal(access(side, F_OK), -1);
	snprintf(side, sizeof side, "%s-wal", path);
	assert_int_equal(access(side, F_OK), -1);
}

static void sql(const char *path, const char *statements)
{
	tu_edit(path, statements);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* ---- B1-B6: files that are not (good) handover files ------------------------- */

/* B1-B5 on a server: a database of another application, one that only
 * looks like ours, a foreign id and a newer format, refused unchanged. */
static void not_handover_databases(void)
{
	const char *p = tu_new_database("contacts.db");
	sql(p, "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('Ann')");
	open_refused(p, "not a handover database");
	p = tu_new_database("lookalike.db");
	sql(p, "CREATE TABLE events(id BIGINT PRIMARY KEY); CREATE TABLE items(id BIGINT)");
	open_refused(p, "not a handover database");
	ho_close(tu_new_file("fossil.db", 0, 0));
	p = tu_path("fossil.db");
	sql(p, "UPDATE handover_format SET application_id = 1179602770"); /* Fossil's */
	open_refused(p, "not a handover database");
	ho_close(tu_new_file("newer.db", 0, 0));
	p = tu_path("newer.db");
	sql(p, "UPDATE handover_format SET version = 42");
	open_refused(p, "newer");
	open_refused(tu_path("missing.db"), "does not exist");
}

static void test_not_handover_files(void **state)
{
	if (tu_pg()) {
		not_handover_databases();
		return;
	}
	/* B1: not SQLite: text, binary noise, a PDF, a CSV, and a file that
	 * starts like SQLite but is noise after the magic. */
	const char *p = tu_path("text.db");
	char text[4096];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = "Region, ICB, finance\n"[i % 21];
	tu_write_file(p, text, sizeof text);
	open_refused(p, "not a handover file");
	unsigned char noise[8192];
	uint32_t x = 12345;
	for (size_t i = 0; i < sizeof noise; i++)
		noise[i] = (unsigned char)((x = x * 1103515245u + 12345u) >> 16);
	p = tu_path("noise.db");
	tu_write_file(p, noise, sizeof noise);
	open_refused(p, "not a handover file");
	p = tu_out("doc.pdf");
	static const char pdf[] = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n";
	tu_write_file(p, pdf, sizeof pdf - 1);
	open_refused(p, "not a handover file");
	memcpy(noise, "SQLite format 3", 16);
	p = tu_path("fake.db");
	tu_write_file(p, noise, sizeof noise);
	open_refused(p, NULL);

	/* B2: zero bytes. */
	p = tu_path("zero.db");
	tu_write_file(p, "", 0);
	open_refused(p, "empty");

	/* B3: truncated: the 100-byte header only, the first page only, one
	 * page short. */
	ho_db *db = tu_new_file("whole.db", 0, 0);
	ho_close(db);
	sql(tu_path("whole.db"), "PRAGMA journal_mode=DELETE");
	size_t len;
	char *whole = slurp(tu_path("whole.db"), &len);
	assert_true(len > 3 * 4096);
	size_t cuts[] = {100, 4096, len - 4096, len / 2 + 1};
	for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
		char name[32];
		snprintf(name, sizeof name, "cut-%zu.db", i);
		p = tu_path(name);
		tu_write_file(p, whole, cuts[i]);
		open_refused(p, NULL);
	}

	/* B4: another application's SQLite file, even one with our tables. */
	p = tu_path("contacts.db");
	sql(p, "CREATE TABLE contacts(name TEXT); INSERT INTO contacts VALUES ('Ann')");
	open_refused(p, "another application");
	p = tu_path("lookalike.db");
	sql(p, "CREATE TABLE events(id INTEGER PRIMARY KEY); CREATE TABLE items(id); "
	       "PRAGMA user_version=1; PRAGMA application_id=1179602770"); /* Fossil's */
	open_refused(p, "another application");

	/* B5: a newer file format. */
	p = tu_path("newer.db");
	tu_write_file(p, whole, len);
	sql(p, "PRAGMA user_version=42");
	open_refused(p, "newer");
	free(whole);

	/* B6: a directory, and a path through a file. */
	p = tu_path("folder.db");
	mkdir(p, 0700);
	db = NULL;
	assert_int_equal(ho_open(p, 0, &db), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(db), "directory"));
	ho_close(db);
	inputs_tried++;
	char through[600];
	snprintf(through, sizeof through, "%s/x.db", tu_path("zero.db"));
	db = NULL;
	assert_int_equal(ho_open(through, 0, &db), HO_EBADFILE);
	assert_null(strchr(ho_errmsg(db), '\n'));
	ho_close(db);
	inputs_tried++;
}

/* B7: a folder that does not exist: nothing is created anywhere. */
static void test_missing_folder(void **state)
{
	tu_skip_on_pg("a folder for a new file and for a backup: a database on a server is in "
	              "no folder, and its backup is not built on this engine yet");
	char p[600];
	snprintf(p, sizeof p, "%s/no/such/folder/new.db", tu_dir());
	ho_db *db = NULL;
	assert_int_equal(ho_open(p, HO_OPEN_CREATE, &db), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(db), "does not exist"));
	assert_int_equal(ho_exit_code(HO_EBADFILE), 2);
	ho_close(db);
	inputs_tried++;
	db = NULL;
	assert_int_equal(ho_open(p, 0, &db), HO_EBADFILE);
	assert_null(strchr(ho_errmsg(db), '\n'));
	ho_close(db);
	inputs_tried++;
	snprintf(p, sizeof p, "%s/no", tu_dir());
	assert_int_equal(access(p, F_OK), -1);

	/* A backup into a missing folder. */
	struct base b;
	base_build(&b, "backup-src.db");
	db = base_open(&b, "lead");
	snprintf(p, sizeof p, "%s/no/backup.db", tu_dir());
	refused(&b, db, ho_backup(db, p, 0), HO_EBADFILE, NULL);
	base_free(&b);
}

/* B8: a read-only location. Run as an unprivileged user (root ignores
 * file permissions); the child reports what it saw on a pipe and exit
 * status, since cmocka's assertions do not cross fork. */
static int child_check(int cond, const char *what)
{
	if (!cond)
		fprintf(stderr, "read-only: %s\n", what);
	return cond ? 0 : 1;
}

static int readonly_child(const char *dir, const char *journal)
{
	int bad = 0;
	char file[700], newfile[700], out[700];
	snprintf(file, sizeof file, "%s/ro-%s.db", dir, journal);
	snprintf(newfile, sizeof newfile, "%s/new.db", dir);
	snprintf(out, sizeof out, "%s/copy.db", dir);
	ho_db *db = NULL;
	ho_status st = ho_open(file, 0, &db);
	if (st != HO_OK) {
		/* Refusing to open is acceptable only as a clear bad-file error
		 * that says what is wrong: the file is ours, the place is not
		 * writable. */
		bad += child_check(st == HO_EBADFILE && !strchr(ho_errmsg(db), '\n'),
		                   "open refused without a clear message");
		bad += child_check(!strstr(ho_errmsg(db), "not a handover file"),
		                   "a good handover file in a read-only folder was called "
		                   "'not a handover file'");
		fprintf(stderr, "read-only (%s): open: %s\n", journal, ho_errmsg(db));
	} else {
		bad += child_check(ho_read_only(db) == 1, "not marked read-only");
		ho_set_actor(db, "sam");
		ho_item *items = NULL;
		size_t n = 0;
		bad += child_check(ho_items_list(db, 0, HO_FILTER_ALL, &items, &n) == HO_OK ||
		                       ho_functions_list(db, 0, NULL, NULL) != HO_OK,
		                   "cannot read");
		ho_item_free(items, n);
		int64_t id = 0;
		bad += child_check(ho_item_find(db, 0, "FIN-1", &id) == HO_OK, "cannot find FIN-1");
		st = ho_item_mark(db, id, 0, HO_ACT_HANDED_OVER, "Ledger", NULL);
		bad += child_check(st == HO_EBADFILE && ho_exit_code(st) == 2 &&
		                       strstr(ho_errmsg(db), "read-only"),
		                   "a change was not refused as read-only");
		st = ho_backup(db, out, 0);
		bad += child_check(st == HO_EBADFILE && ho_exit_code(st) == 2,
		                   "a backup into a read-only folder was not refused");
	}
	ho_close(db);
	db = NULL;
	st = ho_open(newfile, HO_OPEN_CREATE, &db);
	bad += child_check(st == HO_EBADFILE && !strchr(ho_errmsg(db), '\n'),
	                   "init in a read-only folder was not refused clearly");
	ho_close(db);
	bad += child_check(access(newfile, F_OK) != 0, "init left a file");
	return bad;
}

static void readonly_location(const char *journal)
{
	tu_skip_on_pg("a read-only folder and file: the server's grants stand for file "
	              "permissions there");
	setenv("HANDOVER_JOURNAL", journal, 1);
	char dir[600], file[700];
	snprintf(dir, sizeof dir, "%s/ro-%s", tu_dir(), journal);
	assert_int_equal(mkdir(dir, 0755), 0);
	snprintf(file, sizeof file, "%s/ro-%s.db", dir, journal);
	struct fixture fx;
	fx_build(&fx, "ro-src.db");
	assert_int_equal(ho_backup(fx.db, file, 0), HO_OK);
	fx_free(&fx);
	sql(file, journal[0] == 'w' ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode=DELETE");
	char before[65], after[65];
	tu_file_hash(file, before);
	assert_int_equal(chmod(file, 0444), 0);
	assert_int_equal(chmod(dir, 0555), 0);
	assert_int_equal(chmod(tu_dir(), 0711), 0);

	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0))
			_exit(99);
		_exit(readonly_child(dir, journal));
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	chmod(dir, 0755);
	chmod(tu_dir(), 0700);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 99)
		skip(); /* cannot drop privileges here */
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	tu_file_hash(file, after);
	assert_string_equal(before, after);
	inputs_tried += 4;
	unsetenv("HANDOVER_JOURNAL");
}

static void test_read_only_location_rollback(void **state)
{
	readonly_location("delete");
}

static void test_read_only_location_wal(void **state)
{
	readonly_location("wal");
}

/* ---- B10-B13: text people type or paste ----------------------------------------- */

/* B10: limits. At the limit it goes in; one byte over is refused; a huge
 * paste is refused quickly without harm. */
static void test_huge_text(void **state)
{
	struct base b;
	base_build(&b, "huge.db");
	char *big = malloc(10 * 1024 * 1024 + 1);
	memset(big, 'x', 10 * 1024 * 1024);
	big[10 * 1024 * 1024] = '\0';

	ho_db *db = base_open(&b, "sam");
	int64_t id = fx_item(&(struct fixture){.db = db, .handover = b.fx.handover}, "FIN-1");
	big[HO_MAX_TEXT + 1] = '\0';
	refused(&b, db, ho_item_comment(db, id, big), HO_EUSAGE, "too long");
	db = base_open(&b, "sam");
	refused(&b, db, ho_item_mark(db, id, 0, HO_ACT_HANDED_OVER, big, NULL), HO_EUSAGE,
	        "too long");
	db = base_open(&b, "sam");
	refused(&b, db, ho_item_mark(db, id, 0, HO_ACT_IN_PROGRESS, NULL, big), HO_EUSAGE,
	        "too long");
	big[HO_MAX_TEXT + 1] = 'x';
	db = base_open(&b, "sam");
	refused(&b, db, ho_item_comment(db, id, big), HO_EUSAGE, "too long");
	big[HO_MAX_NAME + 1] = '\0';
	db = base_open(&b, "lead");
	refused(&b, db, ho_person_add(db, "newbie", big, HO_ROLE_SENDER, ""), HO_EUSAGE,
	        "too long");
	db = base_open(&b, "lead");
	refused(&b, db, ho_item_add(db, b.fx.fin, big, "", "", NULL), HO_EUSAGE, "too long");
	db = base_open(&b, "lead");
	refused(&b, db, ho_handover_add(db, big, "", "", "", "", NULL), HO_EUSAGE, "too long");
	big[HO_MAX_LOGIN + 1] = '\0';
	db = base_open(&b, "lead");
	refused(&b, db, ho_person_add(db, big, "Long Login", HO_ROLE_SENDER, ""), HO_EUSAGE,
	        "login");

	/* At the limit: accepted whole (spaces around are trimmed, not
	 * counted). */
	db = base_open(&b, "sam");
	memset(big, 'y', HO_MAX_TEXT);
	big[HO_MAX_TEXT] = '\0';
	assert_int_equal(ho_item_comment(db, id, big), HO_OK);
	ho_thread_entry *t = NULL;
	size_t n = 0;
	assert_int_equal(ho_thread_list(db, id, &t, &n), HO_OK);
	assert_int_equal(n, 1);
	assert_int_equal(strlen(t[0].body), HO_MAX_TEXT);
	ho_thread_free(t, n);
	ho_close(db);
	free(big);
	base_free(&b);
}

/* B11: bytes that are not UTF-8. */
static void test_invalid_utf8(void **state)
{
	static const char *const bad[] = {
	    "Ledger \xff extract",    /* never valid */
	    "over\xc0\xaflong",       /* overlong '/' */
	    "surrogate \xed\xa0\x80", /* UTF-16 surrogate */
	    "cut \xe2\x82",           /* truncated sequence at the end */
	    "\xf4\x90\x80\x80 big",   /* beyond U+10FFFF */
	    "Latin-1 caf\xe9",        /* a spreadsheet's other encoding */
	};
	struct base b;
	base_build(&b, "utf8.db");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		ho_db *db = base_open(&b, "sam");
		int64_t id =
		    fx_item(&(struct fixture){.db = db, .handover = b.fx.handover}, "FIN-1");
		refused(&b, db, ho_item_comment(db, id, bad[i]), HO_EUSAGE, "UTF-8");
		db = base_open(&b, "sam");
		refused(&b, db, ho_item_mark(db, id, 0, HO_ACT_HANDED_OVER, bad[i], NULL),
		        HO_EUSAGE, "UTF-8");
		db = base_open(&b, "lead");
		refused(&b, db, ho_person_add(db, "newbie", bad[i], HO_ROLE_SENDER, ""), HO_EUSAGE,
		        "UTF-8");
	}
	base_free(&b);
}

static int has_byte(const char *s, unsigned char c)
{
	return strchr(s, c) != NULL;
}

/* B12, B13: escape sequences, control characters, bidi overrides and
 * invisible characters. The file keeps what was typed (it is evidence);
 * nothing of it reaches a terminal: every display path sanitises. */
static void test_control_escape_and_bidi_text(void **state)
{
	static const char *const nasty[] = {
	    "\x1b[2J\x1b[Hscreen wiped",
	    "\x1b]0;owned\x07title set",
	    "\x1b]8;;http://evil.example\x1b\\click\x1b]8;;\x1b\\",
	    "line one\roverwritten",
	    "bell\x07 and DEL\x7f and C1 \xc2\x9b"
	    "31m",
	    "invoice \xe2\x80\xae"
	    "fdp.exe", /* RIGHT-TO-LEFT OVERRIDE */
	    "isolate \xe2\x81\xa6"
	    "x\xe2\x81\xa9 zero\xe2\x80\x8bwidth\xef\xbb\xbf",
	};
	struct fixture fx;
	fx_build(&fx, "nasty.db");
	fx_as(&fx, "sam");
	int64_t id = fx_item(&fx, "FIN-1");
	for (size_t i = 0; i < sizeof nasty / sizeof *nasty; i++) {
		inputs_tried++;
		assert_int_equal(ho_item_comment(fx.db, id, nasty[i]), HO_OK);
	}
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, nasty[5], HO_OK);
	fx_as(&fx, "lead");
	assert_int_equal(ho_person_add(fx.db, "eve", "Eve \x1b[31mRed\xe2\x80\xae", HO_ROLE_SENDER,
	                               "\x1b]0;org\x07"),
	                 HO_OK);
	ho_thread_entry *t = NULL;
	size_t n = 0;
	assert_int_equal(ho_thread_list(fx.db, id, &t, &n), HO_OK);
	assert_int_equal(n, sizeof nasty / sizeof *nasty + 1);
	for (size_t i = 0; i < n; i++) {
		/* Kept as typed... */
		if (i < sizeof nasty / sizeof *nasty)
			assert_string_equal(t[i].body, nasty[i]);
		/* ...and harmless once sanitised, in both modes. */
		for (int mode = HO_SAN_LINE; mode <= HO_SAN_MULTILINE; mode++) {
			char *s = ho_sanitise(t[i].body, mode);
			assert_non_null(s);
			for (unsigned char c = 1; c < 0x20; c++)
				if (c != '\n' || mode == HO_SAN_LINE)
					assert_false(has_byte(s, c));
			assert_false(has_byte(s, 0x7f));
			assert_null(strstr(s, "\xc2\x9b"));
			assert_null(strstr(s, "\xe2\x80\xae"));
			assert_null(strstr(s, "\xe2\x81\xa6"));
			assert_null(strstr(s, "\xe2\x80\x8b"));
			assert_null(strstr(s, "\xef\xbb\xbf"));
			assert_null(strstr(s, "evil.example"));
			free(s);
		}
	}
	ho_thread_free(t, n);
	/* A reference typed with an escape sequence is not echoed raw. */
	int64_t none = 0;
	assert_int_not_equal(ho_item_find(fx.db, 0, "FIN-\x1b[2J1", &none), HO_OK);
	assert_false(has_byte(ho_errmsg(fx.db), 0x1b));
	inputs_tried++;
	/* Documents carry no raw control bytes either. */
	char *doc = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&doc, &len);
	ho_print_opts po = {.handover_id = fx.handover, .format = HO_FMT_TEXT};
	assert_int_equal(ho_print(fx.db, &po, mem), HO_OK);
	fclose(mem);
	assert_false(has_byte(doc, 0x1b));
	assert_false(has_byte(doc, '\r'));
	assert_null(strstr(doc, "\xe2\x80\xae"));
	free(doc);
	fx_free(&fx);
}

/* ---- B14, B15: references that do not exist, people who may not ---------------- */

static void test_unknown_references(void **state)
{
	static const struct {
		const char *ref;
	} refs[] = {
	    {"FIN-99"}, {"ZZZ-1"},  {"FIN"},     {"FIN-0"},  {"FIN--1"},
	    {"-1"},     {""},       {"FIN-1x"},  {"FIN-+1"}, {"FIN-99999999999999999999"},
	    {"FIN- 1"}, {"fin-99"}, {"FIN-1-1"}, {"FIN 1"},
	};
	struct base b;
	base_build(&b, "refs.db");
	for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
		ho_db *db = base_open(&b, "sam");
		int64_t id = 0;
		ho_status st = ho_item_find(db, 0, refs[i].ref, &id);
		/* Malformed or absent, the answer is a usage error (exit 1). */
		if (st != HO_EUSAGE && st != HO_ENOTFOUND)
			fail_msg("'%s': %s (%s)", refs[i].ref, ho_strerror(st), ho_errmsg(db));
		assert_int_equal(ho_exit_code(st), 1);
		refused(&b, db, st, st, NULL);
	}
	/* A very long reference. */
	char longref[20000];
	memset(longref, 'F', sizeof longref - 3);
	memcpy(longref + sizeof longref - 3, "-1", 3);
	ho_db *db = base_open(&b, "sam");
	int64_t id = 0;
	ho_status st = ho_item_find(db, 0, longref, &id);
	assert_true(st == HO_EUSAGE || st == HO_ENOTFOUND);
	refused(&b, db, st, st, NULL);
	/* Ids, codes and people that are not there. */
	db = base_open(&b, "sam");
	refused(&b, db, ho_item_mark(db, 987654, 0, HO_ACT_IN_PROGRESS, NULL, NULL), HO_ENOTFOUND,
	        NULL);
	db = base_open(&b, "sam");
	refused(&b, db, ho_item_comment(db, -1, "hello"), HO_ENOTFOUND, NULL);
	db = base_open(&b, "sam");
	refused(&b, db, ho_function_sign(db, 987654), HO_ENOTFOUND, NULL);
	db = base_open(&b, "lead");
	refused(&b, db, ho_handover_sign(db, 987654), HO_ENOTFOUND, NULL);
	db = base_open(&b, "lead");
	refused(&b, db, ho_pair(db, 0, "NOPE", "sam", "rita"), HO_ENOTFOUND, "NOPE");
	db = base_open(&b, "lead");
	refused(&b, db, ho_pair(db, 0, "DIG", "nobody", NULL), HO_ENOTFOUND, "nobody");
	db = base_open(&b, "lead");
	refused(&b, db, ho_function_add(db, 987654, "NEW", "New", "", NULL), HO_ENOTFOUND, NULL);
	base_free(&b);
}

static void test_wrong_roles(void **state)
{
	struct base b;
	base_build(&b, "roles.db");
	{
		/* Put FIN-1 in review so receiver actions are possible. */
		ho_db *db = base_open(&b, "sam");
		int64_t id = 0;
		assert_int_equal(ho_item_find(db, 0, "FIN-1", &id), HO_OK);
		assert_int_equal(ho_item_mark(db, id, 0, HO_ACT_HANDED_OVER, "Ledger", NULL),
		                 HO_OK);
		ho_close(db);
		tu_file_hash(b.fx.path, b.sum);
	}
	static const struct {
		const char *login;
		ho_action a;
		const char *text;
	} marks[] = {
	    {"rita", HO_ACT_HANDED_OVER, "receiver hands over"},
	    {"rita", HO_ACT_NOT_APPLICABLE, "receiver says n/a"},
	    {"sam", HO_ACT_ACCEPTED, NULL},
	    {"sam", HO_ACT_GAP, "sender raises a gap on himself"},
	    {"sue", HO_ACT_IN_PROGRESS, NULL}, /* a sender, not this function's */
	    {"lead", HO_ACT_ACCEPTED, NULL},   /* leads do not review */
	    {"nobody", HO_ACT_ACCEPTED, NULL}, /* not in the file */
	};
	for (size_t i = 0; i < sizeof marks / sizeof *marks; i++) {
		ho_db *db = base_open(&b, marks[i].login);
		int64_t id = 0;
		assert_int_equal(ho_item_find(db, 0, "FIN-1", &id), HO_OK);
		ho_status st = ho_item_mark(db, id, 0, marks[i].a, marks[i].text, NULL);
		assert_int_equal(ho_exit_code(st), 3);
		refused(&b, db, st, HO_EPERM, NULL);
	}
	ho_db *db = base_open(&b, "sue");
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 0, "FIN-1", &id), HO_OK);
	refused(&b, db, ho_item_comment(db, id, "not my function"), HO_EPERM, NULL);
	db = base_open(&b, "nobody");
	refused(&b, db, ho_item_comment(db, id, "a passer-by"), HO_EPERM, "read-only");
	db = base_open(&b, "sam");
	refused(&b, db, ho_person_add(db, "x", "X", HO_ROLE_LEAD, ""), HO_EPERM, "lead");
	db = base_open(&b, "rita");
	refused(&b, db, ho_pair(db, 0, "DIG", "sue", "rita"), HO_EPERM, NULL);
	db = base_open(&b, "sam");
	refused(&b, db, ho_handover_sign(db, b.fx.handover), HO_EPERM, NULL);
	db = base_open(&b, "sue");
	refused(&b, db, ho_function_sign(db, b.fx.fin), HO_EPERM, NULL);
	db = base_open(&b, "rita");
	refused(&b, db, ho_function_set_due(db, b.fx.fin, 0, "2027-01-01"), HO_EPERM, NULL);
	db = base_open(&b, "nobody");
	refused(&b, db, ho_undo(db, NULL), HO_EPERM, NULL);
	/* A receiver paired as a sender. */
	db = base_open(&b, "lead");
	refused(&b, db, ho_pair(db, 0, "DIG", "rita", NULL), HO_ESTATE, "not a sender");
	base_free(&b);
}

/* ---- B16: malformed CSV --------------------------------------------------------- */

static void import_refused(struct base *b, const char *name, const void *data, size_t len,
                           ho_status want, const char *says)
{
	const char *p = tu_out(name);
	tu_write_file(p, data, len);
	ho_db *db = base_open(b, "lead");
	int rows = -1;
	ho_status st = ho_import_csv(db, 0, p, &rows);
	if (st == HO_OK)
		fail_msg("%s was imported (%d rows)", name, rows);
	assert_int_equal(rows, 0);
	refused(b, db, st, want, says);
}

#define CSV(s) s, sizeof s - 1

/* A CSV with the usual header and `body` after it. */
static void import_body_refused(struct base *b, const char *name, const char *body, ho_status want,
                                const char *says)
{
	char buf[4096];
	int n = snprintf(buf, sizeof buf,
	                 "function code,function name,item title,guidance,due date\n%s", body);
	import_refused(b, name, buf, (size_t)n, want, says);
}

static void test_malformed_csv(void **state)
{
	struct base b;
	base_build(&b, "csv.db");
	const char *H = "function code,function name,item title,guidance,due date\n";
	char buf[20000];
	import_body_refused(&b, "quote.csv", "FIN,Finance,\"never closed,g,\n", HO_EUSAGE,
	                    "line 2");
	import_body_refused(&b, "stray.csv", "FIN,Finance,Title \"with\" quote,g,\n", HO_EUSAGE,
	                    "line 2");
	import_body_refused(&b, "after.csv", "FIN,Finance,\"closed\"then text,g,\n", HO_EUSAGE,
	                    "line 2");
	import_refused(&b, "nul.csv", CSV("function code,item title\nFIN,ok\nFIN,has a \0 NUL\n"),
	               HO_EUSAGE, "line 3");
	import_body_refused(&b, "latin1.csv", "FIN,Finance,caf\xe9,g,\n", HO_EUSAGE, "line 2");
	import_refused(&b, "unknown.csv", CSV("function code,item title,colour\nFIN,x,red\n"),
	               HO_EUSAGE, "unknown column");
	import_refused(&b, "nocode.csv", CSV("item title,guidance\nx,y\n"), HO_EUSAGE,
	               "function code");
	import_body_refused(&b, "cells.csv", "FIN,Finance,Title\n", HO_EUSAGE, "line 2");
	import_body_refused(&b, "date.csv", "FIN,Finance,Title,g,2026-02-30\n", HO_EUSAGE,
	                    "not a date");
	import_body_refused(&b, "code.csv", "fin!,Finance,Title,g,\n", HO_EUSAGE, "function code");
	import_refused(&b, "newfn.csv", CSV("function code,item title\nNEWF,Title\n"), HO_EUSAGE,
	               "function name");
	import_refused(&b, "twice.csv", CSV("function code,item title,item title\nFIN,a,b\n"),
	               HO_EUSAGE, "twice");
	import_refused(&b, "semicolon.csv", CSV("function code;item title\nFIN;x\n"), HO_EUSAGE,
	               "comma");
	import_body_refused(&b, "names.csv", "NEWF,One name,a,,\nNEWF,Another name,b,,\n",
	                    HO_EUSAGE, "line 3");
	import_refused(&b, "empty.csv", CSV(""), HO_EUSAGE, "no checklist rows");
	import_refused(&b, "header.csv", CSV("function code,item title\n"), HO_EUSAGE,
	               "no checklist rows");
	import_refused(&b, "png.csv", CSV("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), HO_EUSAGE, NULL);
	/* A title over the limit on the last of many good lines: nothing of
	 * the good lines is kept. */
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s", H);
	for (int i = 0; i < 50; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "FIN,Finance,Good row %d,,\n", i);
	n += (size_t)snprintf(buf + n, sizeof buf - n, "FIN,Finance,");
	memset(buf + n, 'T', 300);
	n += 300;
	n += (size_t)snprintf(buf + n, sizeof buf - n, ",,\n");
	import_refused(&b, "long.csv", buf, n, HO_EUSAGE, "line 52");
	/* Not a file at all. */
	ho_db *db = base_open(&b, "lead");
	int rows = 0;
	refused(&b, db, ho_import_csv(db, 0, tu_out("missing.csv"), &rows), HO_ENOTFOUND, NULL);
	mkdir(tu_out("dir.csv"), 0700);
	db = base_open(&b, "lead");
	refused(&b, db, ho_import_csv(db, 0, tu_out("dir.csv"), &rows), HO_EUSAGE, NULL);
	/* Not a lead. */
	static const char ok_csv[] = "function code,item title\nFIN,Fine\n";
	tu_write_file(tu_out("ok.csv"), ok_csv, sizeof ok_csv - 1);
	db = base_open(&b, "sam");
	refused(&b, db, ho_import_csv(db, 0, tu_out("ok.csv"), &rows), HO_EPERM, NULL);
	base_free(&b);
}

/* ---- B18-B22: damaged pages, settings, dates, targets ---------------------------- */

/* A page in the middle overwritten with noise (a bad sector, a sync tool
 * gone wrong): check finds it; nothing crashes on the way. */
static void test_damaged_page(void **state)
{
	tu_skip_on_pg("a page of a file overwritten with noise: a server has no file to damage");
	ho_db *db = tu_new_file("damaged.db", 0, 1);
	ho_close(db);
	const char *p = tu_path("damaged.db");
	sql(p, "PRAGMA journal_mode=DELETE");
	size_t len;
	char *bytes = slurp(p, &len);
	assert_true(len > 10 * 4096);
	for (size_t i = 0; i < 4096; i++)
		bytes[5 * 4096 + i] = (char)(i * 7 + 3);
	tu_write_file(p, bytes, len);
	free(bytes);
	char before[65], after[65];
	tu_file_hash(p, before);
	db = NULL;
	ho_status st = ho_open(p, 0, &db);
	inputs_tried++;
	if (st == HO_OK) {
		ho_set_actor(db, "lead");
		st = ho_check(db);
		assert_int_equal(st, HO_EBADFILE);
		if (strchr(ho_errmsg(db), '\n'))
			fail_msg("check's message is not one line: '%s'", ho_errmsg(db));
		/* Reading around the damage: a status, never a crash. */
		ho_handover *h = NULL;
		size_t n = 0;
		if (ho_handovers_list(db, &h, &n) == HO_OK)
			ho_handover_free(h, n);
		ho_verify_result vr;
		ho_verify(db, &vr);
	} else {
		assert_int_equal(st, HO_EBADFILE);
	}
	ho_close(db);
	tu_file_hash(p, after);
	assert_string_equal(before, after);
}

static void test_bad_settings_and_dates(void **state)
{
	struct base b;
	base_build(&b, "settings.db");
	/* B19: a journal override that is neither wal nor delete (a file's
	 * setting: a database on a server has no journal to choose). */
	ho_db *db = NULL;
	ho_status st;
	if (!tu_pg()) {
		setenv("HANDOVER_JOURNAL", "truncate", 1);
		st = ho_open(b.fx.path, 0, &db);
		unsetenv("HANDOVER_JOURNAL");
		assert_int_equal(ho_exit_code(st), 1);
		refused(&b, db, st, HO_EUSAGE, "HANDOVER_JOURNAL");
	}
	/* B20: dates that are not dates. */
	static const char *const dates[] = {"2026-02-30", "2026-13-01",       "tomorrow",
	                                    "11/22/2026", "2026-11-22T10:00", "20261122",
	                                    "2026-1-1"};
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
		db = base_open(&b, "lead");
		refused(&b, db, ho_function_set_due(db, b.fx.fin, 0, dates[i]), HO_EUSAGE, "date");
	}
	/* B22: an action that does not exist, an action missing its text. */
	db = base_open(&b, "sam");
	refused(&b, db, ho_item_mark(db, 1, 0, (ho_action)99, "x", NULL), HO_EUSAGE, NULL);
	db = base_open(&b, "sam");
	int64_t id = 0;
	assert_int_equal(ho_item_find(db, 0, "FIN-1", &id), HO_OK);
	refused(&b, db, ho_item_mark(db, id, 0, HO_ACT_HANDED_OVER, "   \n\t ", NULL), HO_EUSAGE,
	        "empty");
	db = base_open(&b, "sam");
	refused(&b, db, ho_item_comment(db, id, ""), HO_EUSAGE, "empty");
	/* B24: logins people cannot type after --as. */
	static const char *const logins[] = {"", "two words", "rené", "-dash", "a/b", "x\x1b"};
	for (size_t i = 0; i < sizeof logins / sizeof *logins; i++) {
		db = base_open(&b, "lead");
		st = ho_person_add(db, logins[i], "Name", HO_ROLE_SENDER, "");
		if (st == HO_OK && strcmp(logins[i], "-dash") == 0) {
			/* Allowed by the core; the command line takes it after --as. */
			ho_close(db);
			tu_file_hash(b.fx.path, b.sum);
			continue;
		}
		refused(&b, db, st, HO_EUSAGE, "login");
	}
	base_free(&b);
}

/* B21: a backup over an existing file never overwrites it. */
static void test_backup_target_exists(void **state)
{
	struct base b;
	base_build(&b, "bsrc.db");
	const char *target = tu_out("precious.txt");
	static const char precious[] = "do not overwrite me\n";
	tu_write_file(target, precious, sizeof precious - 1);
	char before[65], after[65];
	tu_file_hash(target, before);
	ho_db *db = base_open(&b, "lead");
	refused(&b, db, ho_backup(db, target, 0), HO_EEXIST, "already exists");
	tu_file_hash(target, after);
	assert_string_equal(before, after);
	/* Nor onto the file itself (a database on a server: a backup is a
	 * file, never a database). */
	db = base_open(&b, "lead");
	if (tu_pg())
		refused(&b, db, ho_backup(db, b.fx.path, HO_OUT_FORCE), HO_EUSAGE,
		        "a backup is a file");
	else
		refused(&b, db, ho_backup(db, b.fx.path, HO_OUT_FORCE), HO_EPERM,
		        "the open handover file");
	base_free(&b);
}

static int report_count(void **state)
{
	printf("bad inputs tried through the core: %d\n", inputs_tried);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_not_handover_files, reset_env),
	    cmocka_unit_test_setup(test_missing_folder, reset_env),
	    cmocka_unit_test_setup(test_read_only_location_rollback, reset_env),
	    cmocka_unit_test_setup(test_read_only_location_wal, reset_env),
	    cmocka_unit_test_setup(test_huge_text, reset_env),
	    cmocka_unit_test_setup(test_invalid_utf8, reset_env),
	    cmocka_unit_test_setup(test_control_escape_and_bidi_text, reset_env),
	    cmocka_unit_test_setup(test_unknown_references, reset_env),
	    cmocka_unit_test_setup(test_wrong_roles, reset_env),
	    cmocka_unit_test_setup(test_malformed_csv, reset_env),
	    cmocka_unit_test_setup(test_damaged_page, reset_env),
	    cmocka_unit_test_setup(test_bad_settings_and_dates, reset_env),
	    cmocka_unit_test_setup(test_backup_target_exists, reset_env),
	};
	int rc = cmocka_run_group_tests(tests, NULL, report_count);
	tu_cleanup();
	return rc;
}
