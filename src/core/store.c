/* The store: opening a shared file defensively, migrations, transactions and
 * the statement cache. All SQL of the core lives in src/core/store*.c. */
#define _GNU_SOURCE
#include "store.h"
#include "handover/outfile.h"
#include "store_image.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

/* "HOVR": marks a SQLite file as ours (PRAGMA application_id). */
#define HO_APPLICATION_ID  0x484F5652
#define HO_DEFAULT_BUSY_MS 8000
#define HO_MAX_BUSY_MS     3600000 /* an hour */

struct ho_migration {
	const char *name;
	const char *sql;
};
extern const struct ho_migration ho_migrations[];
extern const size_t ho_migration_count;

static const char *const stmt_sql[STMT__COUNT] = {
#define STMT(name, sql) [STMT_##name] = sql,
#include "store_sql.def"
#undef STMT
};

ho_status store_fail(ho_db *db, ho_status st, const char *fmt, ...)
{
	if (!db)
		return st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
	va_end(ap);
	return st;
}

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
	int err = db && db->conn ? sqlite3_system_errno(db->conn) : 0;
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

ho_status store_sqlite_fail(ho_db *db, int rc, const char *what)
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
		                  db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
	return store_fail(db, HO_EIO, "%s: %s", what,
	                  db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
}

sqlite3_stmt *store_stmt(ho_db *db, enum store_stmt_id id)
{
	sqlite3_stmt *s = db->stmts[id];
	if (!s) {
		int rc = sqlite3_prepare_v3(db->conn, stmt_sql[id], -1, SQLITE_PREPARE_PERSISTENT,
		                            &db->stmts[id], NULL);
		if (rc != SQLITE_OK) {
			store_sqlite_fail(db, rc, "preparing a query");
			return NULL;
		}
		s = db->stmts[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

static int param_index(sqlite3_stmt *s, const char *name)
{
	return sqlite3_bind_parameter_index(s, name);
}

void store_bind_text(sqlite3_stmt *s, const char *name, const char *v)
{
	int i = param_index(s, name);
	if (!i)
		return;
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

void store_bind_int(sqlite3_stmt *s, const char *name, int64_t v)
{
	int i = param_index(s, name);
	if (i)
		sqlite3_bind_int64(s, i, v);
}

void store_bind_null(sqlite3_stmt *s, const char *name)
{
	int i = param_index(s, name);
	if (i)
		sqlite3_bind_null(s, i);
}

char *store_col_text(sqlite3_stmt *s, int col)
{
	const unsigned char *t = sqlite3_column_text(s, col);
	return strdup(t ? (const char *)t : "");
}

ho_status store_exec_stmt(ho_db *db, sqlite3_stmt *s, const char *what)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_fail(db, rc, what);
	return HO_OK;
}

/* Plain SQL without parameters (pragmas, transaction control). */
static ho_status exec_sql(ho_db *db, const char *sql, const char *what)
{
	int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(db, rc, what);
	return HO_OK;
}

/* One integer from a pragma; the SQLite result code, so a caller can tell a
 * lock (busy) from a damaged file. */
static int pragma_read(ho_db *db, const char *sql, int64_t *v)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL);
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
	if (sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

ho_status store_begin_at(ho_db *db, const char *file, int line)
{
	if (db->read_only)
		return store_fail(db, HO_EBADFILE, "%s is open read-only; nothing can be changed",
		                  db->path);
	if (db->tx_depth > 0) {
		db->tx_depth++;
		return HO_OK;
	}
	/* IMMEDIATE takes the write lock up front, so the busy handler waits for
	 * it instead of failing half-way when a read turns into a write. */
	ho_status st = exec_sql(db, "BEGIN IMMEDIATE", "starting a change");
	if (st != HO_OK)
		return st;
	store_state_forget(db);
	db->tx_depth = 1;
	db->tx_file = file;
	db->tx_line = line;
	db->tx_now = 0;
	return HO_OK;
}

int64_t store_now(ho_db *db)
{
	if (db->tx_depth <= 0)
		return ho_now();
	if (db->tx_now != 0)
		return db->tx_now;
	/* Read inside the write lock, so no event can come between this and
	 * ours: a computer whose clock is behind the last person's (or a
	 * clock put back) would otherwise make history run backwards. */
	int64_t now = ho_now(), last = 0;
	sqlite3_stmt *s = store_stmt(db, STMT_event_last_at);
	if (s && sqlite3_step(s) == SQLITE_ROW)
		last = sqlite3_column_int64(s, 0);
	if (s)
		sqlite3_reset(s);
	db->tx_now = now < last ? last : now;
	return db->tx_now;
}

ho_status store_commit(ho_db *db)
{
	if (db->tx_depth <= 0)
		return store_fail(db, HO_EIO, "commit without a transaction");
	if (--db->tx_depth > 0)
		return HO_OK;
	store_state_forget(db);
	ho_status st = exec_sql(db, "COMMIT", "saving the change");
	if (st != HO_OK) {
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	/* Our own commit bumps nothing in data_version, but reading it now
	 * keeps ho_changed() about other people only. */
	db->data_version = pragma_int(db, "PRAGMA data_version");
	return HO_OK;
}

int store_read_begin(ho_db *db)
{
	if (!sqlite3_get_autocommit(db->conn))
		return 0;
	return sqlite3_exec(db->conn, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void store_read_end(ho_db *db, int began)
{
	/* Nothing was written, so ending it cannot lose anything; ROLLBACK
	 * also ends it when COMMIT cannot (a statement still running). */
	if (began && sqlite3_exec(db->conn, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

void store_rollback(ho_db *db)
{
	if (db->tx_depth <= 0)
		return;
	if (--db->tx_depth > 0) {
		/* An inner failure dooms the whole batch: the outermost caller
		 * rolls back when its own call fails. */
		return;
	}
	store_state_forget(db);
	sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- opening ------------------------------------------------------------ */

static ho_status open_fail(ho_db *db, int rc);

/* $HANDOVER_BUSY_MS: how long to wait for someone else's change. */
static ho_status read_busy_ms(ho_db *db)
{
	const char *v = getenv("HANDOVER_BUSY_MS");
	db->busy_ms = HO_DEFAULT_BUSY_MS;
	if (!v || !*v)
		return HO_OK;
	char *end = NULL;
	errno = 0;
	long ms = *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
	if (errno || ms < 1 || ms > HO_MAX_BUSY_MS || !end || *end)
		return store_fail(db, HO_EUSAGE,
		                  "HANDOVER_BUSY_MS must be a whole number of milliseconds from 1 "
		                  "to %d, not '%s'",
		                  HO_MAX_BUSY_MS, v);
	db->busy_ms = (int)ms;
	return HO_OK;
}

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
		db->header_truncated = 1;
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
	if (db->header_truncated && stat(path, &sb) == 0 && (f = fopen(path, "rb")) &&
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
	                  sqlite3_errmsg(db->conn));
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
	if (sqlite3_prepare_v2(db->conn, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		snprintf(db->journal, sizeof db->journal, "%s",
		         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	/* A rollback journal (network drives) needs FULL to survive a power
	 * cut; WAL is safe with NORMAL. */
	sqlite3_exec(db->conn,
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
	int rc = sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL);
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

const char *ho_journal_refresh(ho_db *db)
{
	/* Inside a transaction the mode cannot change under us. */
	if (db->tx_depth > 0 || !sqlite3_get_autocommit(db->conn))
		return db->journal;
	/* A read lets SQLite see the header again: a lead may have switched
	 * the file to WAL since; then it reports the mode the file has. The
	 * read does not wait for a lock: a screen polling the mode must never
	 * hang on it, and a file busy now is looked at again next time. */
	sqlite3_busy_timeout(db->conn, 0);
	int64_t v = pragma_int(db, "PRAGMA schema_version");
	sqlite3_busy_timeout(db->conn, db->busy_now);
	if (v >= 0)
		read_journal(db);
	return db->journal;
}

ho_status ho_set_journal(ho_db *db, const char *mode)
{
	if (!mode || (strcmp(mode, "wal") != 0 && strcmp(mode, "delete") != 0))
		return store_fail(db, HO_EUSAGE, "the journal is 'wal' or 'delete', not '%s'",
		                  mode ? mode : "");
	if (db->read_only)
		return store_fail(db, HO_EBADFILE, "%s is open read-only; nothing can be changed",
		                  db->path);
	ho_status st = store_require_lead(db, "changing the journal");
	if (st != HO_OK)
		return st;
	if (db->tx_depth > 0)
		return store_fail(db, HO_ESTATE, "the journal cannot change inside a change");
	if (strcmp(mode, "wal") == 0 && db->on_network)
		return store_fail(db, HO_ESTATE,
		                  "%s is on a network drive, where WAL does not work (its index "
		                  "is shared memory on one computer); it keeps a rollback journal",
		                  db->path);
	if (strcmp(ho_journal_refresh(db), mode) == 0)
		return HO_OK;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", mode);
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL);
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
		return store_sqlite_fail(db, rc, "changing the journal");
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
		int rc = sqlite3_exec(db->conn, ho_migrations[i].sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			st = store_fail(db, HO_EIO, "upgrading the file (%s): %s",
			                ho_migrations[i].name, sqlite3_errmsg(db->conn));
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
		                  sqlite3_errmsg(db->conn));
	}
	if (primary == SQLITE_NOMEM)
		return store_fail(db, HO_ENOMEM, "out of memory");
	if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
		return confirm_damage(db, rc);
	if (primary == SQLITE_IOERR)
		return store_fail(db, HO_EIO, "%s: cannot read: %s", db->path,
		                  sqlite3_errmsg(db->conn));
	return store_fail(db, HO_EBADFILE, "%s: not a handover file (%s)", db->path,
	                  sqlite3_errmsg(db->conn));
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
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
}

int store_file_unused(ho_db *db)
{
	int64_t n = -1;
	return pragma_read(db,
	                   "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM events) + "
	                   "(SELECT count(*) FROM handovers)",
	                   &n) == SQLITE_OK &&
	       n == 0;
}

static ho_status open_settle(ho_db *db, int finishing);

ho_status ho_open(const char *path, int flags, ho_db **out)
{
	*out = NULL;
	ho_db *db = calloc(1, sizeof *db);
	if (!db)
		return HO_ENOMEM;
	*out = db;
	db->flags = flags;
	db->path = strdup(path ? path : "");
	if (!db->path)
		return HO_ENOMEM;
	if (!path || !*path)
		return store_fail(db, HO_EUSAGE, "no file named");

	/* Settings are checked before the file is touched: a mistyped one is
	 * refused, never quietly replaced by a default. */
	const char *journal = NULL; /* used by choose_journal(), for a new file */
	ho_status st = read_busy_ms(db);
	if (st == HO_OK)
		st = journal_env(db, &journal);
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
	int rc = sqlite3_open_v2(path, &db->conn, oflags, NULL);
	if (rc != SQLITE_OK)
		return db->conn ? open_fail(db, rc) : store_sqlite_fail(db, rc, "opening the file");
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
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	db->busy_now = db->busy_ms;
	sqlite3_busy_timeout(db->conn, db->busy_ms);
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
	st = migrate(db);
	if (st != HO_OK)
		return st;
	db->data_version = pragma_int(db, "PRAGMA data_version");
	db->actor.login = strdup("");
	db->actor.name = strdup("");
	db->actor.org = strdup("");
	return HO_OK;
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
	*out = NULL;
	ho_db *db = calloc(1, sizeof *db);
	if (!db)
		return HO_ENOMEM;
	*out = db;
	db->path = strdup(name ? name : "");
	if (!db->path)
		return HO_ENOMEM;
	if (len == 0)
		return store_fail(db, HO_EBADFILE, "%s: empty file (0 bytes), not a handover file",
		                  db->path);
	ho_status st = read_busy_ms(db);
	if (st == HO_OK)
		st = check_image_header(db, bytes, len);
	if (st != HO_OK)
		return st;
	int oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	int rc = sqlite3_open_v2(":memory:", &db->conn, oflags, NULL);
	if (rc != SQLITE_OK)
		return db->conn ? open_fail(db, rc) : store_sqlite_fail(db, rc, "opening the file");
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
	rc = sqlite3_deserialize(db->conn, "main", image, (sqlite3_int64)len, (sqlite3_int64)len,
	                         SQLITE_DESERIALIZE_FREEONCLOSE | SQLITE_DESERIALIZE_RESIZEABLE);
	if (rc != SQLITE_OK) /* the image is freed by SQLite even then */
		return open_fail(db, rc);
	return open_settle(db, 0);
}

void ho_close(ho_db *db)
{
	if (!db)
		return;
	store_memo_clear(db);
	for (int i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(db->stmts[i]);
	if (db->tx_depth > 0)
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	if (db->conn)
		sqlite3_close(db->conn);
	ho_person_clear(&db->actor);
	free(db->touched);
	free(db->path);
	free(db);
}

const char *ho_errmsg(const ho_db *db)
{
	return db ? db->errmsg : "out of memory";
}

const char *ho_path(const ho_db *db)
{
	return db->path;
}

const char *ho_journal_mode(const ho_db *db)
{
	return db->journal;
}

int ho_created(const ho_db *db)
{
	return db && db->created;
}

int ho_on_network(const ho_db *db)
{
	return db->on_network;
}

int ho_read_only(const ho_db *db)
{
	return db->read_only;
}

int ho_busy_timeout(const ho_db *db)
{
	return db->busy_ms;
}

void ho_set_busy_timeout(ho_db *db, int ms)
{
	db->busy_now = ms;
	sqlite3_busy_timeout(db->conn, ms);
}

int64_t store_data_version(ho_db *db)
{
	return pragma_int(db, "PRAGMA data_version");
}

int ho_changed(ho_db *db)
{
	int64_t v = pragma_int(db, "PRAGMA data_version");
	if (v < 0 || v == db->data_version)
		return 0;
	db->data_version = v;
	return 1;
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

/* Compare the file's schema with the one this program's migrations build:
 * someone with sqlite3 could drop or rewrite the triggers that keep history
 * append-only, or a table; say so rather than trust such a file. */
static ho_status check_schema(ho_db *db)
{
	sqlite3 *want = NULL;
	char diff[256] = "";
	ho_status st = HO_OK;
	if (sqlite3_open_v2(":memory:", &want, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(want);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	for (size_t i = 0; i < ho_migration_count && st == HO_OK; i++)
		if (sqlite3_exec(want, ho_migrations[i].sql, NULL, NULL, NULL) != SQLITE_OK)
			st = store_fail(db, HO_EIO, "building the expected schema: %s",
			                sqlite3_errmsg(want));
	if (st == HO_OK && (!schema_covers(db->conn, want, "is missing", diff, sizeof diff) ||
	                    !schema_covers(want, db->conn, "was added", diff, sizeof diff))) {
		const char *guard = strstr(diff, "trigger events_no_") ? " (a history guard)" : "";
		st = store_fail(db, HO_EBADFILE, "%s%s: the file was edited outside handover", diff,
		                guard);
	}
	sqlite3_close(want);
	return st;
}

ho_status ho_check(ho_db *db)
{
	sqlite3_stmt *s = NULL;
	char problems[sizeof db->errmsg - 16] = "";
	size_t used = 0;
	int rc = sqlite3_prepare_v2(db->conn, "PRAGMA integrity_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(db, rc, "checking the file");
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
		return store_sqlite_fail(db, rc, "checking the file");

	ho_status st = HO_OK;
	rc = sqlite3_prepare_v2(db->conn, "PRAGMA foreign_key_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(db, rc, "checking references");
	if (sqlite3_step(s) == SQLITE_ROW)
		st = store_fail(db, HO_EBADFILE, "a row of %s refers to a missing row of %s",
		                sqlite3_column_text(s, 0), sqlite3_column_text(s, 2));
	sqlite3_finalize(s);
	if (st != HO_OK)
		return st;
	if ((st = check_schema(db)) != HO_OK)
		return st;
	/* A file whose structure is sound may still have been edited: the
	 * history and every row against it, as verify does. */
	ho_verify_result vr;
	return ho_verify(db, &vr);
}

ho_status ho_backup(ho_db *db, const char *out, int flags)
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
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->conn, "main");
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

/* ---- small helpers shared by the store ------------------------------------- */

static int utf8_valid(const unsigned char *p)
{
	while (*p) {
		unsigned c = *p;
		int extra;
		uint32_t cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			extra = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			extra = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			extra = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (int i = 1; i <= extra; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		p += extra + 1;
	}
	return 1;
}

ho_status store_clean_text(ho_db *db, const char *in, size_t max, int required, const char *what,
                           char **out)
{
	*out = NULL;
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
		in++;
	size_t len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t' || in[len - 1] == '\n' ||
	                   in[len - 1] == '\r'))
		len--;
	if (required && len == 0)
		return store_fail(db, HO_EUSAGE, "%s must not be empty", what);
	if (len > max)
		return store_fail(db, HO_EUSAGE, "%s is too long (%zu bytes; at most %zu)", what,
		                  len, max);
	char *t = strndup(in, len);
	if (!t)
		return store_fail(db, HO_ENOMEM, "out of memory");
	if (!utf8_valid((const unsigned char *)t)) {
		free(t);
		return store_fail(db, HO_EUSAGE, "%s is not valid UTF-8 text", what);
	}
	*out = t;
	return HO_OK;
}

int store_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 1;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv = realloc(*arr, ncap * elem);
	if (!nv)
		return 0;
	*arr = nv;
	*cap = ncap;
	return 1;
}
