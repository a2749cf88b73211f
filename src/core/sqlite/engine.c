/* The SQLite engine: a handover file opened defensively, its header checked
 * before SQLite reads it, migrations, the journal, transactions, the
 * statement cache, integrity checks and backup. The only code that includes
 * sqlite3.h (see src/core/engine.h for the seam). */
#define _GNU_SOURCE
#include "../store.h"
#include "../store_image.h"
#include "handover/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

/* "HOVR": marks a SQLite file as ours (PRAGMA application_id). */
#define HO_APPLICATION_ID 0x484F5652

struct ho_migration {
	const char *name;
	const char *sql;
};
extern const struct ho_migration ho_migrations[];
extern const size_t ho_migration_count;

static const char *const stmt_sql[STMT__COUNT] = {
#define STMT(name, sql) [STMT_##name] = sql,
#include "statements.def"
#undef STMT
};

/* A cached statement: the seam's header, then SQLite's. */
struct sq_stmt {
	struct eng_stmt base;
	sqlite3_stmt *s;
};

struct eng_conn {
	sqlite3 *h;
	struct sq_stmt stmts[STMT__COUNT];
	/* Why SQLite refused the file, when the header read without a lock
	 * looked truncated: re-checked under SQLite's locks first. */
	int header_truncated;
	eng_watch_fn watch;
};

#define CONN(db) ((db)->conn ? (db)->conn->h : NULL)
#define SQ(st)   (((struct sq_stmt *)(st))->s)

/* SQLite says SQLITE_FULL when a write comes up short; the shared-memory
 * index and the journal's own files fail as I/O errors with ENOSPC behind
 * them. Either way the person needs to hear "the disk is full", not "not a
 * handover file" or "disk I/O error". */
static int disk_full(ho_db *db, int rc)
{
	int primary = rc & 0xff;
	if (primary == SQLITE_FULL)
		return 1;
	if (primary != SQLITE_IOERR && primary != SQLITE_CANTOPEN)
		return 0;
	int err = CONN(db) ? sqlite3_system_errno(CONN(db)) : 0;
	if (err == ENOSPC || err == EDQUOT)
		return 1;
	if (!db || !db->path)
		return 0;
	/* The error number of a failed -shm or -journal write is not always
	 * kept: look at the folder itself. */
	char *copy = strdup(db->path);
	struct statvfs vfs;
	int full = copy && statvfs(dirname(copy), &vfs) == 0 && vfs.f_blocks > 0 &&
	           (vfs.f_bavail == 0 || vfs.f_favail == 0);
	free(copy);
	return full;
}

static ho_status fail_disk_full(ho_db *db, const char *what)
{
	return store_fail(db, HO_EIO,
	                  "%s%sthe disk is full (%s); nothing was changed: free some space and "
	                  "try again",
	                  what ? what : "", what ? ": " : "", db->path);
}

static ho_status sq_fail(ho_db *db, int rc, const char *what)
{
	int primary = rc & 0xff;
	if (disk_full(db, rc))
		return fail_disk_full(db, what);
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return store_fail(db, HO_EBUSY,
		                  "%s: the file is locked by someone else; try again in a moment",
		                  what);
	if (primary == SQLITE_READONLY)
		return store_fail(db, HO_EBADFILE, "%s: the file is read-only", what);
	if (primary == SQLITE_NOMEM)
		return store_fail(db, HO_ENOMEM, "%s: out of memory", what);
	if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
		return store_fail(db, HO_EBADFILE, "%s: the file is damaged (%s)", what,
		                  sqlite3_errstr(rc));
	if (primary == SQLITE_CONSTRAINT)
		return store_fail(db, HO_ESTATE, "%s: refused by the file (%s)", what,
		                  CONN(db) ? sqlite3_errmsg(CONN(db)) : sqlite3_errstr(rc));
	return store_fail(db, HO_EIO, "%s: %s", what,
	                  CONN(db) ? sqlite3_errmsg(CONN(db)) : sqlite3_errstr(rc));
}

/* ---- statements ----------------------------------------------------------- */

extern const struct eng_ops eng_sqlite;

static ho_status sq_stmt(ho_db *db, enum store_stmt_id id, eng_stmt **out)
{
	struct sq_stmt *c = &db->conn->stmts[id];
	*out = NULL;
	if (!c->s) {
		int rc = sqlite3_prepare_v3(CONN(db), stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		                            &c->s, NULL);
		if (rc != SQLITE_OK)
			return sq_fail(db, rc, "preparing a query");
		c->base.ops = &eng_sqlite;
	}
	sqlite3_reset(c->s);
	sqlite3_clear_bindings(c->s);
	*out = &c->base;
	return HO_OK;
}

static int sq_step(eng_stmt *s)
{
	return sqlite3_step(SQ(s));
}

static void sq_reset(eng_stmt *s)
{
	sqlite3_reset(SQ(s));
}

static void sq_bind_text(eng_stmt *s, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(SQ(s), name);
	if (!i)
		return;
	if (v)
		sqlite3_bind_text(SQ(s), i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(SQ(s), i);
}

static void sq_bind_int(eng_stmt *s, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(SQ(s), name);
	if (i)
		sqlite3_bind_int64(SQ(s), i, v);
}

static void sq_bind_null(eng_stmt *s, const char *name)
{
	int i = sqlite3_bind_parameter_index(SQ(s), name);
	if (i)
		sqlite3_bind_null(SQ(s), i);
}

static int64_t sq_col_int64(eng_stmt *s, int col)
{
	return sqlite3_column_int64(SQ(s), col);
}

static double sq_col_double(eng_stmt *s, int col)
{
	return sqlite3_column_double(SQ(s), col);
}

static const char *sq_col_text(eng_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(SQ(s), col);
}

static const void *sq_col_blob(eng_stmt *s, int col)
{
	return sqlite3_column_blob(SQ(s), col);
}

static size_t sq_col_bytes(eng_stmt *s, int col)
{
	return (size_t)sqlite3_column_bytes(SQ(s), col);
}

static enum eng_type sq_col_type(eng_stmt *s, int col)
{
	/* SQLite's numbering is the seam's. */
	return (enum eng_type)sqlite3_column_type(SQ(s), col);
}

/* Plain SQL without parameters (pragmas, transaction control). */
static ho_status exec_sql(ho_db *db, const char *sql, const char *what)
{
	int rc = sqlite3_exec(CONN(db), sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(db, rc, what);
	return HO_OK;
}

/* One integer from a pragma; the SQLite result code, so a caller can tell a
 * lock (busy) from a damaged file. */
static int pragma_read(ho_db *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(CONN(db), sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			*v = sqlite3_column_int64(s, 0);
			rc = SQLITE_OK;
		} else if (rc == SQLITE_DONE) {
			rc = SQLITE_ERROR;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

static int64_t pragma_int(ho_db *db, const char *sql)
{
	sqlite3_stmt *s = NULL;
	int64_t v = -1;
	if (sqlite3_prepare_v2(CONN(db), sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}
/* ---- the connection ------------------------------------------------------- */

static int sq_begin(ho_db *db, int write)
{
	/* IMMEDIATE takes the write lock up front, so the busy handler waits for
	 * it instead of failing half-way when a read turns into a write. */
	return sqlite3_exec(CONN(db), write ? "BEGIN IMMEDIATE" : "BEGIN", NULL, NULL, NULL);
}

static int sq_commit(ho_db *db)
{
	/* ROLLBACK also ends a transaction COMMIT cannot (a statement still
	 * running, the disk full): nothing is left half-done. */
	int rc = sqlite3_exec(CONN(db), "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		sqlite3_exec(CONN(db), "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static void sq_rollback(ho_db *db)
{
	sqlite3_exec(CONN(db), "ROLLBACK", NULL, NULL, NULL);
}

static int sq_in_transaction(ho_db *db)
{
	return !sqlite3_get_autocommit(CONN(db));
}

static int64_t sq_changes(ho_db *db)
{
	return sqlite3_changes64(CONN(db));
}

static int64_t sq_total_changes(ho_db *db)
{
	return sqlite3_total_changes64(CONN(db));
}

static int64_t sq_last_id(ho_db *db)
{
	return sqlite3_last_insert_rowid(CONN(db));
}

static int64_t sq_data_version(ho_db *db)
{
	return pragma_int(db, "PRAGMA data_version");
}

static void sq_set_busy(ho_db *db, int ms)
{
	sqlite3_busy_timeout(CONN(db), ms);
}

static void on_update(void *arg, int op, const char *dbname, const char *table, sqlite3_int64 id)
{
	(void)op;
	ho_db *db = arg;
	if (strcmp(dbname, "main") == 0)
		db->conn->watch(db, table, id);
}

static void sq_watch(ho_db *db, eng_watch_fn fn)
{
	db->conn->watch = fn;
	sqlite3_update_hook(CONN(db), fn ? on_update : NULL, db);
}

/* ---- opening ---------------------------------------------------------------- */

static ho_status open_fail(ho_db *db, int rc);

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static ho_status refuse_newer(ho_db *db, const char *path, int64_t version)
{
	return store_fail(db, HO_EBADFILE,
	                  "%s: made by a newer handover (file format %lld; this program knows "
	                  "up to %zu); upgrade handover",
	                  path, (long long)version, ho_migration_count);
}

/* The first 100 bytes of a file: 0, or -1 (errno 0 when it is shorter). */
static int read_header(const char *path, unsigned char h[100])
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return -1;
	size_t got = fread(h, 1, 100, f);
	fclose(f);
	errno = 0;
	return got == 100 ? 0 : -1;
}

/* Look at the file's header before SQLite does: SQLite would happily turn an
 * empty file into a database, and we refuse foreign or newer files without
 * writing a byte to them. */
static ho_status precheck_file(ho_db *db, const char *path, int creating)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		if (errno == ENOENT)
			return store_fail(db, HO_EBADFILE, "%s: no such file", path);
		return store_fail(db, HO_EBADFILE, "%s: %s", path, strerror(errno));
	}
	if (S_ISDIR(sb.st_mode))
		return store_fail(db, HO_EBADFILE, "%s: is a directory, not a handover file", path);
	if (!S_ISREG(sb.st_mode))
		return store_fail(db, HO_EBADFILE, "%s: not a regular file", path);
	if (sb.st_size == 0) {
		if (creating) /* nothing in it to lose: what a killed init may leave */
			return HO_OK;
		return store_fail(db, HO_EBADFILE, "%s: empty file (0 bytes), not a handover file",
		                  path);
	}
	unsigned char h[100], again[100];
	if (read_header(path, h) != 0) {
		if (errno)
			return store_fail(db, HO_EBADFILE, "%s: cannot read: %s", path,
			                  strerror(errno));
		return store_fail(db, HO_EBADFILE,
		                  "%s: not a handover file (not an SQLite database)", path);
	}
	if (memcmp(h, "SQLite format 3", 16) != 0)
		return store_fail(db, HO_EBADFILE,
		                  "%s: not a handover file (not an SQLite database)", path);
	/* While a -wal file holds commits the header can be stale (a new file's
	 * application_id may still sit only in the WAL); while a -journal file
	 * is there a writer may be half-way through page 1's neighbours; and a
	 * header that changed while we looked was being written. Then the same
	 * checks are made through SQLite, under its lock, after opening (see
	 * ho_open()): nothing read here without a lock condemns a file. */
	char side[4096];
	struct stat wb;
	snprintf(side, sizeof side, "%s-wal", path);
	int doubt = stat(side, &wb) == 0 && wb.st_size > 0;
	snprintf(side, sizeof side, "%s-journal", path);
	if (stat(side, &wb) == 0 || read_header(path, again) != 0 ||
	    memcmp(h, again, sizeof h) != 0)
		doubt = 1;
	uint32_t app = be32(h + 68), version = be32(h + 60);
	if (!doubt && !creating && app != HO_APPLICATION_ID)
		return store_fail(
		    db, HO_EBADFILE,
		    "%s: not a handover file (an SQLite database of another application)", path);
	if (!doubt && version > ho_migration_count)
		return refuse_newer(db, path, version);
	uint32_t page_size = (uint32_t)h[16] << 8 | h[17];
	if (page_size == 1)
		page_size = 65536;
	uint32_t pages = be32(h + 28);
	int header_count_valid = be32(h + 92) == be32(h + 24) && pages > 0;
	/* A header that promises more pages than the file has is what a
	 * truncated file looks like, but also what a writer's commit looks like
	 * in a rollback journal: page 1 is written before the pages that grow
	 * the file. This read took no lock, so it only raises the question;
	 * SQLite answers it under its lock (see confirm_damage()). */
	if (header_count_valid && (int64_t)sb.st_size < (int64_t)page_size * pages && !doubt)
		db->conn->header_truncated = 1;
	return HO_OK;
}

/* SQLite refused the file (corrupt, not a database) under its own locks.
 * When the unlocked header read had also seen it short, say how short. */
static ho_status confirm_damage(ho_db *db, int rc)
{
	const char *path = db->path;
	struct stat sb;
	unsigned char h[100];
	FILE *f = NULL;
	if (db->conn->header_truncated && stat(path, &sb) == 0 && (f = fopen(path, "rb")) &&
	    fread(h, 1, sizeof h, f) == sizeof h) {
		uint32_t page_size = (uint32_t)h[16] << 8 | h[17];
		if (page_size == 1)
			page_size = 65536;
		int64_t want = (int64_t)page_size * be32(h + 28);
		if ((int64_t)sb.st_size < want) {
			fclose(f);
			return store_fail(db, HO_EBADFILE,
			                  "%s: truncated (%lld of %lld bytes); restore it from a "
			                  "backup",
			                  path, (long long)sb.st_size, (long long)want);
		}
	}
	if (f)
		fclose(f);
	return store_fail(db, HO_EBADFILE, "%s: not a handover file (%s)", path,
	                  sqlite3_errmsg(CONN(db)));
}

/* Network filesystems cannot host WAL's shared-memory index, so files there
 * use a rollback journal. */
static int path_on_network(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return 0;
	struct statfs fs;
	int net = 0;
	if (statfs(dirname(copy), &fs) == 0) {
		switch ((unsigned long)fs.f_type) {
		case 0x6969UL:     /* NFS */
		case 0x517BUL:     /* SMB */
		case 0xFF534D42UL: /* CIFS */
		case 0xFE534D42UL: /* SMB2 */
		case 0x65735546UL: /* FUSE (sshfs and friends) */
		case 0x564C:       /* NCP */
		case 0x6B414653UL: /* AFS */
		case 0x73757245UL: /* Coda */
		case 0x47504653UL: /* GPFS */
		case 0x0BD00BD0UL: /* Lustre */
		case 0x19830326UL: /* FhGFS / BeeGFS */
			net = 1;
			break;
		default:
			break;
		}
	}
	free(copy);
	return net;
}

/* The file's journal mode as SQLite has it now. WAL is recorded in the
 * file's header, so every connection that reads the file follows it; a
 * file not in WAL uses a rollback journal, which this program runs as
 * DELETE. */
static void read_journal(ho_db *db)
{
	sqlite3_stmt *s = NULL;
	snprintf(db->journal, sizeof db->journal, "?");
	if (sqlite3_prepare_v2(CONN(db), "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		snprintf(db->journal, sizeof db->journal, "%s",
		         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	/* A rollback journal (network drives) needs FULL to survive a power
	 * cut; WAL is safe with NORMAL. */
	sqlite3_exec(CONN(db),
	             strcmp(db->journal, "wal") == 0 ? "PRAGMA synchronous=NORMAL"
	                                             : "PRAGMA synchronous=FULL",
	             NULL, NULL, NULL);
}

/* $HANDOVER_JOURNAL: NULL when unset, else "wal" or "delete"; anything
 * else is refused, whatever the file. */
static ho_status journal_env(ho_db *db, const char **out)
{
	const char *env = getenv("HANDOVER_JOURNAL");
	*out = NULL;
	if (!env || !*env)
		return HO_OK;
	if (strcmp(env, "wal") != 0 && strcmp(env, "delete") != 0)
		return store_fail(db, HO_EUSAGE,
		                  "HANDOVER_JOURNAL must be 'wal' or 'delete', not '%s'", env);
	*out = env;
	return HO_OK;
}

/* A new file gets its journal mode once, here: $HANDOVER_JOURNAL when
 * set, else what its filesystem supports. Everyone who opens it later
 * follows the file (see ho_open); a lead changes it with ho_set_journal. */
static ho_status choose_journal(ho_db *db)
{
	const char *want = NULL;
	ho_status st = journal_env(db, &want);
	if (st != HO_OK)
		return st;
	if (!want)
		want = db->on_network ? "delete" : "wal";
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", want);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(CONN(db), sql, -1, &s, NULL);
	if (rc == SQLITE_OK) {
		rc = sqlite3_step(s);
		rc = rc == SQLITE_ROW ? SQLITE_OK : rc;
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_OK)
		return open_fail(db, rc);
	read_journal(db);
	return HO_OK;
}

static void sq_journal_refresh(ho_db *db)
{
	/* A read lets SQLite see the header again: a lead may have switched
	 * the file to WAL since; then it reports the mode the file has. The
	 * read does not wait for a lock: a screen polling the mode must never
	 * hang on it, and a file busy now is looked at again next time. */
	sqlite3_busy_timeout(CONN(db), 0);
	int64_t v = pragma_int(db, "PRAGMA schema_version");
	sqlite3_busy_timeout(CONN(db), db->busy_now);
	if (v >= 0)
		read_journal(db);
}

static ho_status sq_set_journal(ho_db *db, const char *mode)
{
	if (strcmp(mode, "wal") == 0 && db->on_network)
		return store_fail(db, HO_ESTATE,
		                  "%s is on a network drive, where WAL does not work (its index "
		                  "is shared memory on one computer); it keeps a rollback journal",
		                  db->path);
	sq_journal_refresh(db);
	if (strcmp(db->journal, mode) == 0)
		return HO_OK;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", mode);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(CONN(db), sql, -1, &s, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(s);
	sqlite3_finalize(s);
	read_journal(db);
	if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED ||
	    (rc == SQLITE_ROW && strcmp(db->journal, mode) != 0))
		return store_fail(db, HO_EBUSY,
		                  "%s: others have the file open; the journal changes only when "
		                  "nobody else is using it: ask them to close it, then try again",
		                  db->path);
	if (rc != SQLITE_ROW)
		return sq_fail(db, rc, "changing the journal");
	return HO_OK;
}

static ho_status migrate(ho_db *db)
{
	int64_t have = pragma_int(db, "PRAGMA user_version");
	if (have < 0)
		return store_fail(db, HO_EBADFILE, "%s: cannot read the file format", db->path);
	if ((size_t)have >= ho_migration_count)
		return HO_OK;
	if (db->read_only)
		return store_fail(db, HO_EBADFILE,
		                  "%s: needs upgrading to the current file format but is read-only",
		                  db->path);
	ho_status st = store_begin(db);
	if (st != HO_OK)
		return st;
	/* Read again inside the write lock: another process may have migrated
	 * the file while we waited. */
	have = pragma_int(db, "PRAGMA user_version");
	for (size_t i = (size_t)have; i < ho_migration_count; i++) {
		int rc = sqlite3_exec(CONN(db), ho_migrations[i].sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			st = store_fail(db, HO_EIO, "upgrading the file (%s): %s",
			                ho_migrations[i].name, sqlite3_errmsg(CONN(db)));
			goto fail;
		}
	}
	/* A file with content from before events recorded their rows, or
	 * before its rows had the columns they have now: what it holds now is
	 * the baseline later changes are proved against. */
	int64_t held = 0;
	if (have > 0 && have < STORE_STATE_COLUMNS_FORMAT &&
	    pragma_read(db, "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM people)",
	                &held) == SQLITE_OK &&
	    held > 0 && (st = store_state_baseline(db)) != HO_OK)
		goto fail;
	char sql[96];
	snprintf(sql, sizeof sql, "PRAGMA user_version=%zu; PRAGMA application_id=%d",
	         ho_migration_count, HO_APPLICATION_ID);
	st = exec_sql(db, sql, "recording the file format");
	if (st != HO_OK)
		goto fail;
	return store_commit(db);
fail:
	store_rollback(db);
	return st;
}

/* Why SQLite could not read a file we are opening, as one line: a lock is
 * "busy" (exit 3, try again), a folder we cannot write to is named as such,
 * anything else means the file is not one of ours or is damaged. */
static ho_status open_fail(ho_db *db, int rc)
{
	int primary = rc & 0xff;
	if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
		return store_fail(db, HO_EBUSY,
		                  "%s: locked by someone else for too long; try again in a moment",
		                  db->path);
	if (disk_full(db, rc))
		return fail_disk_full(db, NULL);
	if (primary == SQLITE_READONLY || primary == SQLITE_CANTOPEN) {
		char *copy = strdup(db->path);
		const char *dir = copy ? dirname(copy) : ".";
		int dir_ro = access(dir, W_OK) != 0;
		if (dir_ro)
			store_fail(db, HO_EBADFILE,
			           "%s: cannot open: the folder %s is read-only and a shared file "
			           "needs to write its lock files there; copy the file to open it",
			           db->path, dir);
		free(copy);
		if (dir_ro)
			return HO_EBADFILE;
		return store_fail(db, HO_EBADFILE, "%s: cannot open: %s", db->path,
		                  sqlite3_errmsg(CONN(db)));
	}
	if (primary == SQLITE_NOMEM)
		return store_fail(db, HO_ENOMEM, "out of memory");
	if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
		return confirm_damage(db, rc);
	if (primary == SQLITE_IOERR)
		return store_fail(db, HO_EIO, "%s: cannot read: %s", db->path,
		                  sqlite3_errmsg(CONN(db)));
	return store_fail(db, HO_EBADFILE, "%s: not a handover file (%s)", db->path,
	                  sqlite3_errmsg(CONN(db)));
}

/* Where a new file should go: the folder must exist and take new files. */
static ho_status check_new_place(ho_db *db, const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return store_fail(db, HO_ENOMEM, "out of memory");
	const char *dir = dirname(copy);
	struct stat sb;
	ho_status st = HO_OK;
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		st = store_fail(db, HO_EBADFILE, "%s: folder %s does not exist", path, dir);
	else if (access(dir, W_OK) != 0)
		st = store_fail(db, HO_EBADFILE, "%s: cannot create a file in %s: %s", path, dir,
		                strerror(errno));
	free(copy);
	return st;
}

/* A file made by init that was killed before its own commit: SQLite's empty
 * database (killed before the migration committed), or the schema with
 * nobody in it (killed between the migration and init's commit). init may
 * finish it; anything else is somebody's file. */
static int file_unfinished(ho_db *db, int64_t app, int64_t version)
{
	int64_t n = -1;
	if (app == 0 && version == 0)
		return pragma_read(db, "SELECT count(*) FROM sqlite_schema", &n) == SQLITE_OK &&
		       n == 0;
	return app == HO_APPLICATION_ID &&
	       pragma_read(db,
	                   "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM events)",
	                   &n) == SQLITE_OK &&
	       n == 0;
}

/* A file refused after SQLite opened it is not ours to change: closing the
 * last connection to a WAL file would otherwise copy its -wal into it. */
static void refuse_untouched(ho_db *db)
{
	sqlite3_db_config(CONN(db), SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
}

static ho_status open_settle(ho_db *db, int finishing);

/* A new connection's own state; NULL when out of memory (message set). */
static struct eng_conn *conn_new(ho_db *db)
{
	db->conn = calloc(1, sizeof *db->conn);
	if (!db->conn)
		store_fail(db, HO_ENOMEM, "out of memory");
	return db->conn;
}

static ho_status sq_open(ho_db *db)
{
	const char *path = db->path;
	int flags = db->flags;
	if (!conn_new(db))
		return HO_ENOMEM;
	/* Settings are checked before the file is touched: a mistyped one is
	 * refused, never quietly replaced by a default. */
	const char *journal = NULL; /* used by choose_journal(), for a new file */
	ho_status st = journal_env(db, &journal);
	if (st != HO_OK)
		return st;

	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	int finishing = 0; /* CREATE over a file an interrupted init left */
	if ((flags & HO_OPEN_CREATE) && access(path, F_OK) != 0) {
		if ((st = check_new_place(db, path)) != HO_OK)
			return st;
		/* Made here with O_EXCL, so of several inits started at once on one
		 * path exactly one makes the file; the others find it made. */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
		if (fd >= 0) {
			close(fd);
			db->created = 1;
		} else if (errno == EEXIST) {
			/* Another init made it meanwhile: looked at below like any
			 * file that exists, and filled by whichever init is first. */
		} else if (errno == ENOSPC || errno == EDQUOT) {
			return fail_disk_full(db, NULL);
		} else {
			return store_fail(db, HO_EBADFILE, "%s: cannot create: %s", path,
			                  strerror(errno));
		}
	}
	if (db->created) {
		oflags |= SQLITE_OPEN_READWRITE;
	} else {
		if ((st = precheck_file(db, path, flags & HO_OPEN_CREATE)) != HO_OK) {
			if (flags & HO_OPEN_CREATE)
				return store_fail(db, HO_EEXIST,
				                  "%s: already exists; not overwritten", path);
			return st;
		}
		finishing = (flags & HO_OPEN_CREATE) != 0;
		if (!finishing && ((flags & HO_OPEN_READONLY) || access(path, W_OK) != 0)) {
			db->read_only = 1;
			oflags |= SQLITE_OPEN_READONLY;
		} else {
			oflags |= SQLITE_OPEN_READWRITE;
		}
	}
	db->on_network = path_on_network(path);
	int rc = sqlite3_open_v2(path, &db->conn->h, oflags, NULL);
	if (rc != SQLITE_OK)
		return CONN(db) ? open_fail(db, rc) : sq_fail(db, rc, "opening the file");
	return open_settle(db, finishing);
}

/* Everything after SQLite has opened the file, the same for a file and an
 * image in memory (store_open_image()): a defensive configuration, the
 * application and format checks read through SQLite, the journal and the
 * migrations. */
static ho_status open_settle(ho_db *db, int finishing)
{
	const char *path = db->path;
	ho_status st;
	int rc;
	/* A file from a shared drive is untrusted input: no schema-defined
	 * functions or views run with our privileges, no writes to the schema
	 * behind SQLite's back. */
	sqlite3_db_config(CONN(db), SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(CONN(db), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(CONN(db), SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	db->busy_now = db->busy_ms;
	sqlite3_busy_timeout(CONN(db), db->busy_ms);
	st = exec_sql(db, "PRAGMA trusted_schema=OFF; PRAGMA foreign_keys=ON",
	              "configuring the file");
	if (st != HO_OK)
		return st;

	/* Reading the schema fails here for a file SQLite cannot parse, and
	 * waits (then says busy) for a file someone holds locked. These are
	 * read through SQLite, so a -wal file's newer pages count. */
	int64_t app = -1, version = -1;
	if ((rc = pragma_read(db, "PRAGMA application_id", &app)) != SQLITE_OK ||
	    (rc = pragma_read(db, "PRAGMA user_version", &version)) != SQLITE_OK)
		return open_fail(db, rc);
	int fresh = db->created;
	if (finishing) {
		/* Checked before anything is written: a real file is never touched. */
		if (!file_unfinished(db, app, version))
			return store_fail(db, HO_EEXIST, "%s: already exists; not overwritten",
			                  path);
	} else if (!fresh && app != HO_APPLICATION_ID) {
		refuse_untouched(db);
		return store_fail(
		    db, HO_EBADFILE,
		    "%s: not a handover file (an SQLite database of another application)", path);
	}
	if (version > (int64_t)ho_migration_count) {
		refuse_untouched(db);
		return refuse_newer(db, path, version);
	}

	/* A new file gets its journal mode now; every other open follows the
	 * file, never its own guess, so two people can never flip it. */
	if (fresh || finishing) {
		if ((st = choose_journal(db)) != HO_OK)
			return st;
	} else {
		read_journal(db);
	}
	store_state_watch(db);
	return migrate(db);
}

/* The checks precheck_file() makes on a file's first 100 bytes, for an
 * image that nobody else is writing: refused at once where the file would
 * only be doubted. */
static ho_status check_image_header(ho_db *db, const unsigned char *h, size_t len)
{
	if (len < 100 || memcmp(h, "SQLite format 3", 16) != 0)
		return store_fail(db, HO_EBADFILE,
		                  "%s: not a handover file (not an SQLite database)", db->path);
	if (be32(h + 68) != HO_APPLICATION_ID)
		return store_fail(
		    db, HO_EBADFILE,
		    "%s: not a handover file (an SQLite database of another application)",
		    db->path);
	if (be32(h + 60) > ho_migration_count)
		return refuse_newer(db, db->path, be32(h + 60));
	uint32_t page_size = (uint32_t)h[16] << 8 | h[17];
	if (page_size == 1)
		page_size = 65536;
	uint32_t pages = be32(h + 28);
	if (be32(h + 92) == be32(h + 24) && pages > 0 && (int64_t)len < (int64_t)page_size * pages)
		return store_fail(db, HO_EBADFILE,
		                  "%s: truncated (%lld of %lld bytes); restore it from a backup",
		                  db->path, (long long)len, (long long)page_size * pages);
	return HO_OK;
}

ho_status store_open_image(const char *name, const void *bytes, size_t len, ho_db **out)
{
	ho_status st = store_db_new(name, 0, &eng_sqlite, out);
	ho_db *db = *out;
	if (st != HO_OK)
		return st;
	if (!conn_new(db))
		return HO_ENOMEM;
	if (len == 0)
		return store_fail(db, HO_EBADFILE, "%s: empty file (0 bytes), not a handover file",
		                  db->path);
	if ((st = check_image_header(db, bytes, len)) != HO_OK)
		return st;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	int rc = sqlite3_open_v2(":memory:", &db->conn->h, oflags, NULL);
	if (rc != SQLITE_OK)
		return CONN(db) ? open_fail(db, rc) : sq_fail(db, rc, "opening the file");
	/* SQLite's own copy, which it frees and may grow as changes are made. */
	unsigned char *image = sqlite3_malloc64(len);
	if (!image)
		return store_fail(db, HO_ENOMEM, "out of memory");
	memcpy(image, bytes, len);
	/* A file left in WAL mode (format bytes 18 and 19 at 2) with no -wal
	 * beside it reads as its main file alone, and an image has no -wal;
	 * SQLite's memory databases refuse the WAL marks, so the image is
	 * read with the rollback ones (1) it would have after a checkpoint. */
	if (len >= 20) {
		image[18] = image[18] == 2 ? 1 : image[18];
		image[19] = image[19] == 2 ? 1 : image[19];
	}
	rc = sqlite3_deserialize(CONN(db), "main", image, (sqlite3_int64)len, (sqlite3_int64)len,
	                         SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
	if (rc != SQLITE_OK) /* the image is freed by SQLite even then */
		return open_fail(db, rc);
	if ((st = open_settle(db, 0)) != HO_OK)
		return st;
	return store_opened(db);
}

static void sq_close(ho_db *db)
{
	if (!db->conn)
		return;
	for (int i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(db->conn->stmts[i].s);
	if (CONN(db) && !sqlite3_get_autocommit(CONN(db)))
		sqlite3_exec(CONN(db), "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(CONN(db));
	free(db->conn);
	db->conn = NULL;
}

/* ---- integrity and backup -------------------------------------------------- */

/* The schema objects of a file, in an order that names a table before the
 * indexes and triggers that go with it. */
#define SCHEMA_LIST                                                                                \
	"SELECT type, name, coalesce(sql, '') FROM sqlite_schema "                                 \
	"WHERE name NOT LIKE 'sqlite_%' ORDER BY type <> 'table', type, name"
#define SCHEMA_ONE "SELECT coalesce(sql, '') FROM sqlite_schema WHERE type = ?1 AND name = ?2"

/* 1 when `a` has every object of `b` with the same SQL; else 0 and the
 * first difference in `diff` ("the trigger x is missing"). */
static int schema_covers(sqlite3 *a, sqlite3 *b, const char *missing, char *diff, size_t len)
{
	sqlite3_stmt *list = NULL, *one = NULL;
	int ok = 1;
	if (sqlite3_prepare_v2(b, SCHEMA_LIST, -1, &list, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(a, SCHEMA_ONE, -1, &one, NULL) != SQLITE_OK) {
		snprintf(diff, len, "cannot read the schema: %s", sqlite3_errmsg(a));
		ok = 0;
	}
	while (ok && sqlite3_step(list) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(list, 0);
		const char *name = (const char *)sqlite3_column_text(list, 1);
		const char *sql = (const char *)sqlite3_column_text(list, 2);
		sqlite3_reset(one);
		sqlite3_bind_text(one, 1, type, -1, SQLITE_STATIC);
		sqlite3_bind_text(one, 2, name, -1, SQLITE_STATIC);
		if (sqlite3_step(one) != SQLITE_ROW) {
			snprintf(diff, len, "the %s %s %s", type, name, missing);
			ok = 0;
		} else if (strcmp((const char *)sqlite3_column_text(one, 0), sql) != 0) {
			snprintf(diff, len, "the %s %s was changed", type, name);
			ok = 0;
		}
	}
	sqlite3_finalize(list);
	sqlite3_finalize(one);
	return ok;
}

/* The schema this program's migrations build, in a database of its own.
 * Built once per process and kept until it ends: running every migration
 * in a scratch database for each check cost more than the rest of the
 * check (a process checking many files, as the fuzzer of damaged files
 * does, spent most of its time there). Opened in SQLite's serialized mode,
 * so threads may share it. NULL, the reason in expected_why, when it could
 * not be built. */
static sqlite3 *expected_db;
static char expected_why[200];
static pthread_once_t expected_once = PTHREAD_ONCE_INIT;

static void expected_schema_build(void)
{
	sqlite3 *want = NULL;
	if (sqlite3_open_v2(":memory:", &want, SQLITE_OPEN_READWRITE | SQLITE_OPEN_FULLMUTEX,
	                    NULL) != SQLITE_OK) {
		snprintf(expected_why, sizeof expected_why, "out of memory");
		sqlite3_close(want);
		return;
	}
	for (size_t i = 0; i < ho_migration_count; i++)
		if (sqlite3_exec(want, ho_migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK) {
			snprintf(expected_why, sizeof expected_why,
			         "building the expected schema: %s", sqlite3_errmsg(want));
			sqlite3_close(want);
			return;
		}
	expected_db = want;
}

/* Compare the file's schema with the one this program's migrations build:
 * someone with sqlite3 could drop or rewrite the triggers that keep history
 * append-only, or a table; say so rather than trust such a file. */
static ho_status check_schema(ho_db *db)
{
	char diff[256] = "";
	pthread_once(&expected_once, expected_schema_build);
	sqlite3 *want = expected_db;
	if (!want)
		return store_fail(db, HO_EIO, "%s", expected_why);
	if (!schema_covers(CONN(db), want, "is missing", diff, sizeof diff) ||
	    !schema_covers(want, CONN(db), "was added", diff, sizeof diff)) {
		const char *guard = strstr(diff, "trigger events_no_") ? " (a history guard)" : "";
		return store_fail(db, HO_EBADFILE, "%s%s: the file was edited outside handover",
		                  diff, guard);
	}
	return HO_OK;
}

static ho_status sq_check(ho_db *db)
{
	sqlite3_stmt *s = NULL;
	char problems[sizeof db->errmsg - 16] = "";
	size_t used = 0;
	int rc = sqlite3_prepare_v2(CONN(db), "PRAGMA integrity_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(db, rc, "checking the file");
	/* integrity_check reports one problem a row, some over several lines:
	 * one line for the user, problems joined with "; ". */
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		if (!r || strcmp(r, "ok") == 0)
			continue;
		for (const char *line = r; *line;) {
			size_t n = strcspn(line, "\r\n");
			/* "*** in database main ***" heads a list: no problem itself */
			if (n > 0 && strncmp(line, "***", 3) != 0 &&
			    used + n + 3 < sizeof problems) {
				if (used > 0)
					problems[used++] = ';', problems[used++] = ' ';
				memcpy(problems + used, line, n);
				used += n;
				problems[used] = '\0';
			}
			line += n;
			line += strspn(line, "\r\n");
		}
	}
	sqlite3_finalize(s);
	if (used > 0)
		return store_fail(db, HO_EBADFILE, "integrity: %s", problems);
	if (rc != SQLITE_DONE)
		return sq_fail(db, rc, "checking the file");

	ho_status st = HO_OK;
	rc = sqlite3_prepare_v2(CONN(db), "PRAGMA foreign_key_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return sq_fail(db, rc, "checking references");
	if (sqlite3_step(s) == SQLITE_ROW)
		st = store_fail(db, HO_EBADFILE, "a row of %s refers to a missing row of %s",
		                sqlite3_column_text(s, 0), sqlite3_column_text(s, 2));
	sqlite3_finalize(s);
	if (st != HO_OK)
		return st;
	return check_schema(db);
}

static ho_status sq_backup(ho_db *db, const char *out, int flags)
{
	/* Written through ho_outfile like every other output: a new temporary
	 * file beside OUT (O_EXCL|O_NOFOLLOW: a symlink planted there cannot
	 * redirect it), renamed into place when complete, so OUT is either a
	 * whole backup or absent. The copy keeps the file's permissions. */
	struct stat sb;
	mode_t mode;
	if (stat(db->path, &sb) == 0) {
		mode = sb.st_mode & 0777;
	} else {
		mode_t mask = umask(0);
		umask(mask);
		mode = 0666 & ~mask;
	}
	ho_outfile o;
	ho_status st = ho_outfile_open(db, out, flags | HO_OUT_DATABASE, mode, &o);
	if (st != HO_OK)
		return st;
	sqlite3 *dst = NULL;
	int rc = sqlite3_open_v2(
	    o.tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_EXRESCODE,
	    NULL);
	if (rc != SQLITE_OK) {
		st = store_fail(db, HO_EIO, "cannot write the backup: %s",
		                dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto cleanup;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", CONN(db), "main");
	if (!b) {
		st = store_fail(db, HO_EIO, "cannot copy the file: %s", sqlite3_errmsg(dst));
		goto cleanup;
	}
	/* Copy in steps so writers are not held off for the whole copy; a
	 * writer's commit restarts the copy, which is what keeps it consistent. */
	do {
		rc = sqlite3_backup_step(b, 256);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(20);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		st = store_fail(db, HO_EIO, "cannot copy the file: %s", sqlite3_errstr(rc));
		goto cleanup;
	}
	/* A backup is a single file: no WAL beside it. */
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		st = store_fail(db, HO_EIO, "cannot finish the backup: %s", sqlite3_errmsg(dst));
cleanup:
	/* Closed before ho_outfile closes its own descriptor: closing any
	 * descriptor of a file drops the process's locks on it. */
	if (dst && sqlite3_close(dst) != SQLITE_OK && st == HO_OK)
		st = store_fail(db, HO_EIO, "cannot finish the backup: %s", sqlite3_errmsg(dst));
	if (st != HO_OK) {
		ho_outfile_discard(&o);
		return st;
	}
	return ho_outfile_commit(db, &o);
}

/* ---- whole tables ---------------------------------------------------------- */

/* A statement outside the table (a copy's reads and writes of whole
 * tables), owned by its caller. */
static ho_status sq_prepare(ho_db *db, const char *sql, eng_stmt **out)
{
	*out = NULL;
	struct sq_stmt *c = calloc(1, sizeof *c);
	if (!c)
		return store_fail(db, HO_ENOMEM, "out of memory");
	int rc = sqlite3_prepare_v2(CONN(db), sql, -1, &c->s, NULL);
	if (rc != SQLITE_OK) {
		free(c);
		return sq_fail(db, rc, "preparing a query");
	}
	c->base.ops = &eng_sqlite;
	*out = &c->base;
	return HO_OK;
}

static void sq_finalize(eng_stmt *s)
{
	if (!s)
		return;
	sqlite3_finalize(SQ(s));
	free(s);
}

/* A rowid given on insert is remembered by SQLite itself: the next is
 * past the largest. */
static ho_status sq_ids_follow(ho_db *db, const char *table, const char *column)
{
	(void)db;
	(void)table;
	(void)column;
	return HO_OK;
}

/* ---- small helpers shared by the store ------------------------------------- */

const struct eng_ops eng_sqlite = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .begin = sq_begin,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .in_transaction = sq_in_transaction,
    .changes = sq_changes,
    .total_changes = sq_total_changes,
    .last_id = sq_last_id,
    .data_version = sq_data_version,
    .set_busy = sq_set_busy,
    .watch = sq_watch,
    .fail = sq_fail,
    .check = sq_check,
    .backup = sq_backup,
    .journal_refresh = sq_journal_refresh,
    .set_journal = sq_set_journal,
    .stmt = sq_stmt,
    .step = sq_step,
    .reset = sq_reset,
    .bind_text = sq_bind_text,
    .bind_int = sq_bind_int,
    .bind_null = sq_bind_null,
    .col_int64 = sq_col_int64,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .col_bytes = sq_col_bytes,
    .col_type = sq_col_type,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .ids_follow = sq_ids_follow,
};
