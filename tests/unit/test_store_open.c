/* Opening the shared file: nothing by accident. A header that looks short
 * while a writer commits is not "restore it from a backup"; the journal is
 * the file's, chosen once at init, not each client's; of several inits on
 * one path exactly one wins; history's clock never runs backwards; a
 * mistyped HANDOVER_BUSY_MS is refused; import refuses what is not a file
 * at once and names UTF-16. */
#define _GNU_SOURCE
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

static int reset_env(void **state)
{
	unsetenv("HANDOVER_JOURNAL");
	unsetenv("HANDOVER_BUSY_MS");
	ho_clock_set(FX_NOW);
	return 0;
}

/* The file format's read version, byte 18 of the header: 2 is WAL, 1 a
 * rollback journal. */
static int header_journal(const char *path)
{
	unsigned char h[100];
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
	fclose(f);
	return h[18];
}

static int64_t count(ho_db *db, const char *path, const char *table)
{
	(void)db;
	if (tu_pg())
		return tu_count(path, table);
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *s = NULL;
	assert_int_equal(sqlite3_prepare_v2(c, sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(c);
	return n;
}

/* ---- a writer paused in the middle of its commit ------------------------ */

/* A VFS over the default one that, once armed, stops a commit right after
 * it has written page 1 with a larger page count and before the pages that
 * grow the file: the moment a header read without a lock sees a "truncated"
 * file. The child that uses it tells the parent over a pipe and waits. */
struct pause_file {
	const sqlite3_io_methods *methods;
	int main_db;
	sqlite3_file *real;
};

static sqlite3_vfs *base_vfs;
static sqlite3_vfs pause_vfs;
static sqlite3_io_methods pause_methods;
static int pause_armed, pause_done, to_parent = -1, from_parent = -1;

static sqlite3_file *real_of(sqlite3_file *f)
{
	return ((struct pause_file *)f)->real;
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int p_close(sqlite3_file *f)
{
	sqlite3_file *r = real_of(f);
	int rc = r->pMethods ? r->pMethods->xClose(r) : SQLITE_OK;
	sqlite3_free(r);
	return rc;
}
static int p_read(sqlite3_file *f, void *b, int n, sqlite3_int64 o)
{
	return real_of(f)->pMethods->xRead(real_of(f), b, n, o);
}
static int p_write(sqlite3_file *f, const void *b, int n, sqlite3_int64 o)
{
	sqlite3_file *r = real_of(f);
	sqlite3_int64 size = 0;
	int grows = 0;
	if (pause_armed && ((struct pause_file *)f)->main_db && o == 0 && n >= 100 &&
	    r->pMethods->xFileSize(r, &size) == SQLITE_OK) {
		const unsigned char *h = b;
		uint32_t page = (uint32_t)h[16] << 8 | h[17];
		grows = (sqlite3_int64)page * be32(h + 28) > size;
	}
	int rc = r->pMethods->xWrite(r, b, n, o);
	if (grows && rc == SQLITE_OK) {
		char c = 'p';
		pause_armed = 0;
		pause_done = 1;
		if (write(to_parent, &c, 1) != 1 || read(from_parent, &c, 1) != 1)
			_exit(9);
	}
	return rc;
}
static int p_truncate(sqlite3_file *f, sqlite3_int64 s)
{
	return real_of(f)->pMethods->xTruncate(real_of(f), s);
}
static int p_sync(sqlite3_file *f, int fl)
{
	return real_of(f)->pMethods->xSync(real_of(f), fl);
}
static int p_size(sqlite3_file *f, sqlite3_int64 *s)
{
	return real_of(f)->pMethods->xFileSize(real_of(f), s);
}
static int p_lock(sqlite3_file *f, int l)
{
	return real_of(f)->pMethods->xLock(real_of(f), l);
}
static int p_unlock(sqlite3_file *f, int l)
{
	return real_of(f)->pMethods->xUnlock(real_of(f), l);
}
static int p_reserved(sqlite3_file *f, int *out)
{
	return real_of(f)->pMethods->xCheckReservedLock(real_of(f), out);
}
static int p_control(sqlite3_file *f, int op, void *arg)
{
	return real_of(f)->pMethods->xFileControl(real_of(f), op, arg);
}
static int p_sector(sqlite3_file *f)
{
	return real_of(f)->pMethods->xSectorSize(real_of(f));
}
static int p_device(sqlite3_file *f)
{
	return real_of(f)->pMethods->xDeviceCharacteristics(real_of(f));
}
static int p_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return real_of(f)->pMethods->xShmMap(real_of(f), pg, sz, ext, pp);
}
static int p_shm_lock(sqlite3_file *f, int off, int n, int fl)
{
	return real_of(f)->pMethods->xShmLock(real_of(f), off, n, fl);
}
static void p_shm_barrier(sqlite3_file *f)
{
	real_of(f)->pMethods->xShmBarrier(real_of(f));
}
static int p_shm_unmap(sqlite3_file *f, int del)
{
	return real_of(f)->pMethods->xShmUnmap(real_of(f), del);
}

static int p_open(sqlite3_vfs *vfs, sqlite3_filename name, sqlite3_file *f, int flags, int *out)
{
	struct pause_file *pf = (struct pause_file *)f;
	pf->methods = NULL;
	pf->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
	pf->real = sqlite3_malloc(base_vfs->szOsFile);
	if (!pf->real)
		return SQLITE_NOMEM;
	memset(pf->real, 0, (size_t)base_vfs->szOsFile);
	int rc = base_vfs->xOpen(base_vfs, name, pf->real, flags, out);
	if (pf->real->pMethods)
		pf->methods = &pause_methods;
	else
		sqlite3_free(pf->real);
	return rc;
}

#define FORWARD(name, ...) return base_vfs->name(base_vfs, __VA_ARGS__)
static int p_delete(sqlite3_vfs *v, const char *n, int s)
{
	FORWARD(xDelete, n, s);
}
static int p_access(sqlite3_vfs *v, const char *n, int fl, int *out)
{
	FORWARD(xAccess, n, fl, out);
}
static int p_full(sqlite3_vfs *v, const char *n, int len, char *out)
{
	FORWARD(xFullPathname, n, len, out);
}
static int p_random(sqlite3_vfs *v, int n, char *out)
{
	FORWARD(xRandomness, n, out);
}
static int p_sleep(sqlite3_vfs *v, int us)
{
	FORWARD(xSleep, us);
}
static int p_time(sqlite3_vfs *v, double *t)
{
	FORWARD(xCurrentTime, t);
}
static int p_error(sqlite3_vfs *v, int n, char *out)
{
	FORWARD(xGetLastError, n, out);
}
static int p_time64(sqlite3_vfs *v, sqlite3_int64 *t)
{
	FORWARD(xCurrentTimeInt64, t);
}

static void pause_vfs_install(void)
{
	base_vfs = sqlite3_vfs_find(NULL);
	pause_methods = (sqlite3_io_methods){
	    .iVersion = 2,
	    .xClose = p_close,
	    .xRead = p_read,
	    .xWrite = p_write,
	    .xTruncate = p_truncate,
	    .xSync = p_sync,
	    .xFileSize = p_size,
	    .xLock = p_lock,
	    .xUnlock = p_unlock,
	    .xCheckReservedLock = p_reserved,
	    .xFileControl = p_control,
	    .xSectorSize = p_sector,
	    .xDeviceCharacteristics = p_device,
	    .xShmMap = p_shm_map,
	    .xShmLock = p_shm_lock,
	    .xShmBarrier = p_shm_barrier,
	    .xShmUnmap = p_shm_unmap,
	};
	pause_vfs = *base_vfs;
	pause_vfs.iVersion = 2;
	pause_vfs.szOsFile = sizeof(struct pause_file);
	pause_vfs.zName = "pause";
	pause_vfs.pNext = NULL;
	pause_vfs.xOpen = p_open;
	pause_vfs.xDelete = p_delete;
	pause_vfs.xAccess = p_access;
	pause_vfs.xFullPathname = p_full;
	pause_vfs.xRandomness = p_random;
	pause_vfs.xSleep = p_sleep;
	pause_vfs.xCurrentTime = p_time;
	pause_vfs.xGetLastError = p_error;
	pause_vfs.xCurrentTimeInt64 = p_time64;
	sqlite3_vfs_register(&pause_vfs, 1);
}

/* The child: sam comments with a text long enough to add pages, through the
 * pausing VFS. Exit 0 when the comment was saved after a pause. */
static int paused_writer(const char *path)
{
	pause_vfs_install();
	ho_db *db = NULL;
	if (ho_open(path, 0, &db) != HO_OK)
		return 3;
	ho_set_actor(db, "sam");
	int64_t id = 0;
	if (ho_item_find(db, 0, "FIN-1", &id) != HO_OK)
		return 4;
	char text[7000];
	memset(text, 'x', sizeof text - 1);
	text[sizeof text - 1] = '\0';
	memcpy(text, "grows the file", 14);
	pause_armed = 1;
	ho_status st = ho_item_comment(db, id, text);
	ho_close(db);
	if (st != HO_OK)
		return 5;
	return pause_done ? 0 : 6;
}

static void test_header_short_while_writer_commits(void **state)
{
	tu_skip_on_pg("a header read while a writer commits is a file's: a server has no header");
	/* Everyone set for a network drive, as where this was seen. */
	setenv("HANDOVER_JOURNAL", "delete", 1);
	struct fixture fx;
	fx_build(&fx, "committing.db");
	ho_close(fx.db);
	fx.db = NULL;
	assert_int_equal(header_journal(fx.path), 1);

	int up[2], down[2];
	assert_int_equal(pipe(up), 0);
	assert_int_equal(pipe(down), 0);
	pid_t writer = fork();
	assert_true(writer >= 0);
	if (writer == 0) {
		close(up[0]);
		close(down[1]);
		to_parent = up[1];
		from_parent = down[0];
		_exit(paused_writer(fx.path));
	}
	close(up[1]);
	close(down[0]);
	char c = 0;
	assert_int_equal(read(up[0], &c, 1), 1);
	assert_int_equal(c, 'p');

	/* The writer is mid-commit: the header read without a lock promises
	 * pages the file does not have yet. */
	struct stat sb;
	assert_int_equal(stat(fx.path, &sb), 0);
	unsigned char h[100];
	FILE *f = fopen(fx.path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
	fclose(f);
	assert_true((int64_t)(h[16] << 8 | h[17]) * be32(h + 28) > (int64_t)sb.st_size);

	/* Someone opening it now waits for the writer's lock: busy, never
	 * "restore it from a backup". */
	setenv("HANDOVER_BUSY_MS", "200", 1);
	ho_db *db = NULL;
	ho_status st = ho_open(fx.path, 0, &db);
	if (st != HO_EBUSY)
		fail_msg("opening beside a commit: %s (%s)", ho_strerror(st), ho_errmsg(db));
	assert_null(strstr(ho_errmsg(db), "backup"));
	ho_close(db);
	unsetenv("HANDOVER_BUSY_MS");

	/* And one who waits long enough (the default) gets in once the commit
	 * is done. */
	pid_t reader = fork();
	assert_true(reader >= 0);
	if (reader == 0) {
		ho_db *r = NULL;
		ho_status rs = ho_open(fx.path, 0, &r);
		if (rs != HO_OK)
			fprintf(stderr, "reader: %s\n", ho_errmsg(r));
		ho_close(r);
		_exit(rs == HO_OK ? 0 : 10 + (int)rs);
	}
	usleep(300 * 1000);
	c = 'g';
	assert_int_equal(write(down[1], &c, 1), 1);
	int ws = 0;
	assert_int_equal(waitpid(writer, &ws, 0), writer);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	assert_int_equal(waitpid(reader, &ws, 0), reader);
	assert_true(WIFEXITED(ws));
	assert_int_equal(WEXITSTATUS(ws), 0);
	close(up[0]);
	close(down[1]);

	assert_int_equal(header_journal(fx.path), 1);
	fx.db = tu_open_as(fx.path, "lead");
	assert_int_equal(ho_check(fx.db), HO_OK);
	ho_verify_result v;
	assert_int_equal(ho_verify(fx.db, &v), HO_OK);
	assert_int_equal(v.first_bad, 0);
	fx_free(&fx);
}

/* A file that really is short is still named truncated, by SQLite's
 * verdict, with the advice to restore it. */
static void test_really_truncated_still_refused(void **state)
{
	tu_skip_on_pg("a file cut short: a server has no file to cut");
	struct fixture fx;
	setenv("HANDOVER_JOURNAL", "delete", 1);
	fx_build(&fx, "short.db");
	ho_close(fx.db);
	fx.db = NULL;
	unsetenv("HANDOVER_JOURNAL");
	struct stat sb;
	assert_int_equal(stat(fx.path, &sb), 0);
	assert_int_equal(truncate(fx.path, sb.st_size - 4096), 0);
	ho_db *db = NULL;
	assert_int_equal(ho_open(fx.path, 0, &db), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(db), "truncated ("));
	assert_non_null(strstr(ho_errmsg(db), "restore it from a backup"));
	ho_close(db);
	fx_free(&fx);
}

/* Another application's WAL-mode file whose latest commits are still in
 * its -wal: the header alone cannot tell (the -wal may hold anything), so
 * SQLite is asked; refused, and left byte for byte as it was (closing the
 * last connection would otherwise have copied the -wal into it). */
static void test_foreign_wal_file_left_as_it_was(void **state)
{
	tu_skip_on_pg("a -wal file beside the file: a server has none");
	char path[512];
	snprintf(path, sizeof path, "%s", tu_path("foreign-wal.db"));
	sqlite3 *c = NULL;
	assert_int_equal(sqlite3_open(path, &c), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c, "CREATE TABLE notes(x)", NULL, NULL, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_exec(c,
	                              "PRAGMA journal_mode=WAL; PRAGMA wal_autocheckpoint=0; "
	                              "INSERT INTO notes VALUES ('only in the wal')",
	                              NULL, NULL, NULL),
	                 SQLITE_OK);
	sqlite3_db_config(c, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_close(c);
	char wal[600];
	snprintf(wal, sizeof wal, "%s-wal", path);
	struct stat sb;
	assert_int_equal(stat(wal, &sb), 0);
	assert_true(sb.st_size > 0);
	char before[65], after[65];
	tu_file_hash(path, before);

	ho_db *db = NULL;
	assert_int_equal(ho_open(path, 0, &db), HO_EBADFILE);
	assert_non_null(strstr(ho_errmsg(db), "another application"));
	ho_close(db);
	tu_file_hash(path, after);
	assert_string_equal(before, after);
}

/* ---- one journal mode per file -------------------------------------------- */

static void test_journal_chosen_at_init_and_followed(void **state)
{
	tu_skip_on_pg("the journal is a file's: a server has no journal to choose");
	/* Made for a network drive (delete), then opened by someone whose
	 * setting says nothing, and by someone whose setting says wal: both
	 * follow the file, before and after their changes. */
	setenv("HANDOVER_JOURNAL", "delete", 1);
	struct fixture fx;
	fx_build(&fx, "follow.db");
	assert_string_equal(ho_journal_mode(fx.db), "delete");
	ho_close(fx.db);
	fx.db = NULL;
	unsetenv("HANDOVER_JOURNAL");
	assert_int_equal(header_journal(fx.path), 1);

	ho_db *sam = tu_open_as(fx.path, "sam");
	assert_string_equal(ho_journal_mode(sam), "delete");
	int64_t id = 0;
	assert_int_equal(ho_item_find(sam, 0, "FIN-1", &id), HO_OK);
	assert_int_equal(ho_item_comment(sam, id, "from a client with no setting"), HO_OK);
	assert_string_equal(ho_journal_mode(sam), "delete");
	ho_close(sam);
	assert_int_equal(header_journal(fx.path), 1);

	setenv("HANDOVER_JOURNAL", "wal", 1);
	ho_db *rita = tu_open_as(fx.path, "rita");
	unsetenv("HANDOVER_JOURNAL");
	assert_string_equal(ho_journal_mode(rita), "delete");
	assert_int_equal(ho_item_comment(rita, id, "from a client set to wal"), HO_OK);
	assert_string_equal(ho_journal_mode(rita), "delete");
	ho_close(rita);
	assert_int_equal(header_journal(fx.path), 1);

	/* And a file made for a local disk stays WAL for a client set to
	 * delete. */
	setenv("HANDOVER_JOURNAL", "wal", 1);
	struct fixture local;
	fx_build(&local, "follow-wal.db");
	ho_close(local.db);
	local.db = NULL;
	setenv("HANDOVER_JOURNAL", "delete", 1);
	ho_db *lead = tu_open_as(local.path, "lead");
	unsetenv("HANDOVER_JOURNAL");
	assert_string_equal(ho_journal_mode(lead), "wal");
	assert_int_equal(ho_person_add(lead, "sue2", "Sue Two", HO_ROLE_SENDER, ""), HO_OK);
	assert_string_equal(ho_journal_mode(lead), "wal");
	ho_close(lead);
	assert_int_equal(header_journal(local.path), 2);
	fx_free(&local);
	fx_free(&fx);
}

/* On a server there is no journal to change: a lead asking is told so
 * (usage), after the same checks of who and which word. */
static void no_journal_on_a_server(void)
{
	struct fixture fx;
	fx_build(&fx, "switch.db");
	ho_db *sam = tu_open_as(fx.path, "sam");
	assert_int_equal(ho_set_journal(sam, "wal"), HO_EPERM);
	assert_int_equal(ho_set_journal(fx.db, "truncate"), HO_EUSAGE);
	assert_int_equal(ho_set_journal(fx.db, "wal"), HO_EUSAGE);
	assert_non_null(strstr(ho_errmsg(fx.db), "no journal"));
	assert_string_equal(ho_journal_refresh(sam), "postgresql");
	ho_close(sam);
	fx_free(&fx);
}

static void test_lead_changes_journal(void **state)
{
	if (tu_pg()) {
		no_journal_on_a_server();
		return;
	}
	setenv("HANDOVER_JOURNAL", "delete", 1);
	struct fixture fx;
	fx_build(&fx, "switch.db");
	unsetenv("HANDOVER_JOURNAL");
	ho_close(fx.db);
	fx.db = tu_open_as(fx.path, "lead");

	/* Only a lead; only the two words. */
	ho_db *sam = tu_open_as(fx.path, "sam");
	assert_int_equal(ho_set_journal(sam, "wal"), HO_EPERM);
	assert_int_equal(ho_set_journal(fx.db, "truncate"), HO_EUSAGE);
	assert_int_equal(header_journal(fx.path), 1);

	/* To WAL while sam has the file open: sam's screen then shows the
	 * mode the file has, not the one it had when sam opened it. */
	assert_int_equal(ho_set_journal(fx.db, "wal"), HO_OK);
	assert_string_equal(ho_journal_mode(fx.db), "wal");
	assert_int_equal(header_journal(fx.path), 2);
	assert_string_equal(ho_journal_mode(sam), "delete");
	assert_string_equal(ho_journal_refresh(sam), "wal");
	assert_string_equal(ho_journal_mode(sam), "wal");
	int64_t id = 0;
	assert_int_equal(ho_item_find(sam, 0, "FIN-1", &id), HO_OK);
	assert_int_equal(ho_item_comment(sam, id, "after the switch"), HO_OK);

	/* Back to a rollback journal needs the file to itself. */
	ho_status st = ho_set_journal(fx.db, "delete");
	assert_int_equal(st, HO_EBUSY);
	assert_non_null(strstr(ho_errmsg(fx.db), "others have the file open"));
	assert_string_equal(ho_journal_refresh(fx.db), "wal");
	ho_close(sam);
	assert_int_equal(ho_set_journal(fx.db, "delete"), HO_OK);
	assert_string_equal(ho_journal_mode(fx.db), "delete");
	ho_close(fx.db);
	fx.db = NULL;
	assert_int_equal(header_journal(fx.path), 1);
	ho_db *db = tu_open_as(fx.path, "rita");
	assert_string_equal(ho_journal_mode(db), "delete");
	assert_int_equal(ho_check(db), HO_OK);
	ho_close(db);
	fx_free(&fx);
}

/* ---- init is exclusive ------------------------------------------------------ */

static void test_concurrent_inits_one_wins(void **state)
{
	enum { INITS = 6, ROUNDS = 4 };
	for (int round = 0; round < ROUNDS; round++) {
		char name[32];
		snprintf(name, sizeof name, "race-%d.db", round);
		char path[512];
		snprintf(path, sizeof path, "%s", tu_new_database(name));
		int gate[2];
		assert_int_equal(pipe(gate), 0);
		pid_t kids[INITS];
		for (int i = 0; i < INITS; i++) {
			kids[i] = fork();
			assert_true(kids[i] >= 0);
			if (kids[i] == 0) {
				close(gate[1]);
				char c;
				/* Everyone starts when the gate closes. */
				while (read(gate[0], &c, 1) > 0)
					;
				char login[16];
				snprintf(login, sizeof login, "lead%d", i);
				ho_db *db = NULL;
				ho_status st = ho_open(path, HO_OPEN_CREATE, &db);
				if (st == HO_OK) {
					ho_init_opts o = {.login = login};
					st = ho_init(db, &o);
				}
				ho_close(db);
				_exit(ho_exit_code(st));
			}
		}
		close(gate[0]);
		close(gate[1]);
		int won = 0, refused = 0;
		for (int i = 0; i < INITS; i++) {
			int ws = 0;
			assert_int_equal(waitpid(kids[i], &ws, 0), kids[i]);
			assert_true(WIFEXITED(ws));
			if (WEXITSTATUS(ws) == 0)
				won++;
			else if (WEXITSTATUS(ws) == 3)
				refused++;
			else
				fail_msg("an init exited %d", WEXITSTATUS(ws));
		}
		assert_int_equal(won, 1);
		assert_int_equal(refused, INITS - 1);
		assert_int_equal(count(NULL, path, "people"), 1);
		assert_int_equal(count(NULL, path, "handovers"), 1);
		ho_db *db = tu_open_as(path, "lead0");
		assert_int_equal(ho_check(db), HO_OK);
		ho_close(db);
	}
}

/* ---- the clock -------------------------------------------------------------- */

static void test_clock_never_runs_backwards(void **state)
{
	struct fixture fx;
	fx_build(&fx, "clock.db");
	int64_t id = fx_item(&fx, "FIN-1");
	fx_as(&fx, "sam");
	/* sam's computer is an hour ahead, rita's is right: rita's change
	 * comes after sam's in the history, so it is dated no earlier. */
	ho_clock_set(FX_NOW + 3600);
	fx_mark(&fx, "FIN-1", HO_ACT_HANDED_OVER, "Ledger", HO_OK);
	ho_clock_set(FX_NOW);
	fx_as(&fx, "rita");
	assert_int_equal(ho_item_comment(fx.db, id, "seen"), HO_OK);
	fx_mark(&fx, "FIN-1", HO_ACT_ACCEPTED, NULL, HO_OK);

	ho_event *ev = NULL;
	size_t n = 0;
	assert_int_equal(ho_events_list(fx.db, 0, 0, &ev, &n), HO_OK);
	assert_true(n >= 3);
	/* Newest first or oldest first, the times never go down with the id. */
	for (size_t i = 1; i < n; i++) {
		const ho_event *a = ev[i - 1].id < ev[i].id ? &ev[i - 1] : &ev[i];
		const ho_event *b = ev[i - 1].id < ev[i].id ? &ev[i] : &ev[i - 1];
		if (b->at < a->at)
			fail_msg("event %lld at %lld is before event %lld at %lld",
			         (long long)b->id, (long long)b->at, (long long)a->id,
			         (long long)a->at);
	}
	ho_event_free(ev, n);
	/* The rows the change wrote carry the same time as its event. */
	ho_item it = fx_get(&fx, "FIN-1");
	assert_int_equal(it.updated_at, FX_NOW + 3600);
	ho_item_clear(&it);
	ho_thread_entry *t = NULL;
	assert_int_equal(ho_thread_list(fx.db, id, &t, &n), HO_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(t[i].at >= FX_NOW + 3600);
	ho_thread_free(t, n);
	/* When the clock is ahead of history again, the clock is used. */
	ho_clock_set(FX_NOW + 7200);
	assert_int_equal(ho_item_comment(fx.db, id, "later"), HO_OK);
	assert_int_equal(ho_events_list(fx.db, id, 0, &ev, &n), HO_OK);
	assert_true(n > 0);
	assert_int_equal(ev[n - 1].at, FX_NOW + 7200);
	ho_event_free(ev, n);
	ho_clock_set(FX_NOW);
	fx_free(&fx);
}

/* ---- settings ----------------------------------------------------------------- */

static void test_busy_ms_must_be_a_number(void **state)
{
	ho_db *made = tu_new_file("busy.db", 1, 0);
	ho_close(made);
	char path[512];
	snprintf(path, sizeof path, "%s", tu_path("busy.db"));
	static const char *const bad[] = {"abc", "-1", "0", "12x", " 5", "1e3", "99999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		setenv("HANDOVER_BUSY_MS", bad[i], 1);
		ho_db *db = NULL;
		ho_status st = ho_open(path, 0, &db);
		if (st != HO_EUSAGE)
			fail_msg("HANDOVER_BUSY_MS='%s': %s", bad[i], ho_strerror(st));
		assert_non_null(strstr(ho_errmsg(db), "HANDOVER_BUSY_MS must be"));
		assert_int_equal(ho_exit_code(st), 1);
		ho_close(db);
		/* Not even init goes ahead with it. */
		db = NULL;
		assert_int_equal(ho_open(tu_path("busy-new.db"), HO_OPEN_CREATE, &db), HO_EUSAGE);
		ho_close(db);
		struct stat sb;
		assert_int_not_equal(stat(tu_path("busy-new.db"), &sb), 0);
	}
	setenv("HANDOVER_BUSY_MS", "250", 1);
	ho_db *db = NULL;
	assert_int_equal(ho_open(path, 0, &db), HO_OK);
	assert_int_equal(ho_busy_timeout(db), 250);
	ho_close(db);
	unsetenv("HANDOVER_BUSY_MS");
}

/* ---- import: what is not a file, and UTF-16 ----------------------------------- */

static void test_import_refuses_pipes_devices_folders(void **state)
{
	ho_db *db = tu_new_file("import.db", 0, 0);
	const char *fifo = tu_out("pipe.csv");
	assert_int_equal(mkfifo(fifo, 0600), 0);
	/* A FIFO nobody writes to used to hang for ever: give it seconds. */
	alarm(10);
	int rows = -1;
	assert_int_equal(ho_import_csv(db, 0, fifo, &rows), HO_EUSAGE);
	assert_non_null(strstr(ho_errmsg(db), "a pipe (FIFO)"));
	assert_int_equal(ho_import_csv(db, 0, "/dev/null", &rows), HO_EUSAGE);
	assert_non_null(strstr(ho_errmsg(db), "a device"));
	assert_int_equal(ho_import_csv(db, 0, tu_dir(), &rows), HO_EUSAGE);
	assert_non_null(strstr(ho_errmsg(db), "a folder"));
	alarm(0);
	ho_close(db);
}

static void test_import_utf16_says_save_as_utf8(void **state)
{
	ho_db *db = tu_new_file("utf16.db", 0, 0);
	const char *text = "function code,item title\nFIN,Ledger\n";
	/* Little-endian with a byte order mark (Excel's "Unicode text"),
	 * big-endian with one, and without one. */
	for (int kind = 0; kind < 3; kind++) {
		unsigned char buf[256];
		size_t n = 0;
		if (kind == 0)
			buf[n++] = 0xFF, buf[n++] = 0xFE;
		if (kind == 1)
			buf[n++] = 0xFE, buf[n++] = 0xFF;
		for (const char *p = text; *p; p++) {
			if (kind == 1) {
				buf[n++] = 0;
				buf[n++] = (unsigned char)*p;
			} else {
				buf[n++] = (unsigned char)*p;
				buf[n++] = 0;
			}
		}
		const char *path = tu_out("sheet16.csv");
		tu_write_file(path, buf, n);
		int rows = -1;
		assert_int_equal(ho_import_csv(db, 0, path, &rows), HO_EUSAGE);
		if (!strstr(ho_errmsg(db), "save it as UTF-8"))
			fail_msg("kind %d: %s", kind, ho_errmsg(db));
	}
	ho_close(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup(test_header_short_while_writer_commits, reset_env),
	    cmocka_unit_test_setup(test_really_truncated_still_refused, reset_env),
	    cmocka_unit_test_setup(test_foreign_wal_file_left_as_it_was, reset_env),
	    cmocka_unit_test_setup(test_journal_chosen_at_init_and_followed, reset_env),
	    cmocka_unit_test_setup(test_lead_changes_journal, reset_env),
	    cmocka_unit_test_setup(test_concurrent_inits_one_wins, reset_env),
	    cmocka_unit_test_setup(test_clock_never_runs_backwards, reset_env),
	    cmocka_unit_test_setup(test_busy_ms_must_be_a_number, reset_env),
	    cmocka_unit_test_setup(test_import_refuses_pipes_devices_folders, reset_env),
	    cmocka_unit_test_setup(test_import_utf16_says_save_as_utf8, reset_env),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
