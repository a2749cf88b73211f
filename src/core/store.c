/* The store: opening a shared file defensively, migrations, transactions and
 * the statement cache. All SQL of the core lives in src/core/store*.c. */
#define _GNU_SOURCE
#include "store.h"
#include "store_image.h"

#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

/* "HOVR": marks a SQLite file as ours (PRAGMA application_id). */
#define HO_APPLICATION_ID  0x484F5652
#define HO_DEFAULT_BUSY_MS 8000

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

ho_status store_sqlite_fail(ho_db *db, int rc, const char *what)
{
	int primary = rc & 0xff;
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

static void switch_journal(ho_db *db);

ho_status store_begin_at(ho_db *db, const char *file, int line)
{
	if (db->read_only)
		return store_fail(db, HO_EBADFILE, "%s is open read-only; nothing can be changed",
		                  db->path);
	if (db->tx_depth > 0) {
		db->tx_depth++;
		return HO_OK;
	}
	if (!db->journal_settled)
		switch_journal(db);
	/* IMMEDIATE takes the write lock up front, so the busy handler waits for
	 * it instead of failing half-way when a read turns into a write. */
	ho_status st = exec_sql(db, "BEGIN IMMEDIATE", "starting a change");
	if (st != HO_OK)
		return st;
	db->tx_depth = 1;
	db->tx_file = file;
	db->tx_line = line;
	return HO_OK;
}

ho_status store_commit(ho_db *db)
{
	if (db->tx_depth <= 0)
		return store_fail(db, HO_EIO, "commit without a transaction");
	if (--db->tx_depth > 0)
		return HO_OK;
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
	sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
}

/* ---- opening ------------------------------------------------------------ */

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

/* The checks on a file's first 100 bytes (`h`, of which `got` were there)
 * and its size, before SQLite reads it: shared by ho_open() and
 * store_open_image(). */
static ho_status check_header(ho_db *db, const char *path, const unsigned char *h, size_t got,
                              int64_t size, int wal_live, int creating)
{
	if (got < 100 || memcmp(h, "SQLite format 3", 16) != 0)
		return store_fail(db, HO_EBADFILE,
		                  "%s: not a handover file (not an SQLite database)", path);
	uint32_t app = be32(h + 68), version = be32(h + 60);
	if (!wal_live && !creating && app != HO_APPLICATION_ID)
		return store_fail(
		    db, HO_EBADFILE,
		    "%s: not a handover file (an SQLite database of another application)", path);
	if (!wal_live && version > ho_migration_count)
		return refuse_newer(db, path, version);
	uint32_t page_size = (uint32_t)h[16] << 8 | h[17];
	if (page_size == 1)
		page_size = 65536;
	uint32_t pages = be32(h + 28);
	int header_count_valid = be32(h + 92) == be32(h + 24) && pages > 0;
	if (header_count_valid && size < (int64_t)page_size * pages && !wal_live)
		return store_fail(db, HO_EBADFILE,
		                  "%s: truncated (%lld of %lld bytes); restore it from a backup",
		                  path, (long long)size, (long long)page_size * pages);
	return HO_OK;
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
	FILE *f = fopen(path, "rb");
	if (!f)
		return store_fail(db, HO_EBADFILE, "%s: cannot read: %s", path, strerror(errno));
	unsigned char h[100];
	size_t got = fread(h, 1, sizeof h, f);
	fclose(f);
	/* While a -wal file holds commits the header can be stale (a new file's
	 * application_id may still sit only in the WAL): then the same checks
	 * are made through SQLite after opening, see ho_open(). */
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", path);
	struct stat wb;
	int wal_live = stat(wal, &wb) == 0 && wb.st_size > 0;
	return check_header(db, path, h, got, (int64_t)sb.st_size, wal_live, creating);
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

/* Decide the journal the file should have; it is switched before the first
 * change (store_begin), so opening a file only to read it never writes. */
static ho_status choose_journal(ho_db *db)
{
	db->on_network = path_on_network(db->path);
	const char *want = db->on_network ? "delete" : "wal";
	const char *env = getenv("HANDOVER_JOURNAL");
	if (env && *env) {
		if (strcmp(env, "wal") == 0 || strcmp(env, "delete") == 0)
			want = env;
		else
			return store_fail(db, HO_EUSAGE,
			                  "HANDOVER_JOURNAL must be 'wal' or 'delete', not '%s'",
			                  env);
	}
	snprintf(db->want_journal, sizeof db->want_journal, "%s", want);
	read_journal(db);
	return HO_OK;
}

static void switch_journal(ho_db *db)
{
	db->journal_settled = 1;
	if (strcmp(db->journal, db->want_journal) == 0)
		return;
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", db->want_journal);
	/* When another connection holds the file in the other mode the switch
	 * is refused; we then keep the mode it has. */
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL) == SQLITE_OK)
		sqlite3_step(s);
	sqlite3_finalize(s);
	read_journal(db);
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

/* Everything after SQLite has opened the file, the same for a file and an
 * image in memory: a defensive configuration, the application and format
 * checks read through SQLite, the journal choice and the migrations. */
static ho_status open_settle(ho_db *db, int oflags, int finishing)
{
	const char *path = db->path;
	int rc;
	ho_status st;
	/* A file from a shared drive is untrusted input: no schema-defined
	 * functions or views run with our privileges, no writes to the schema
	 * behind SQLite's back. */
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	const char *busy = getenv("HANDOVER_BUSY_MS");
	int busy_ms = busy && *busy ? atoi(busy) : HO_DEFAULT_BUSY_MS;
	db->busy_ms = busy_ms > 0 ? busy_ms : HO_DEFAULT_BUSY_MS;
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
	int fresh = (oflags & SQLITE_OPEN_CREATE) != 0;
	if (finishing) {
		/* Checked before anything is written: a real file is never touched. */
		if (!file_unfinished(db, app, version))
			return store_fail(db, HO_EEXIST, "%s: already exists; not overwritten",
			                  path);
	} else if (!fresh && app != HO_APPLICATION_ID) {
		return store_fail(
		    db, HO_EBADFILE,
		    "%s: not a handover file (an SQLite database of another application)", path);
	}
	if (version > (int64_t)ho_migration_count)
		return refuse_newer(db, path, version);

	st = choose_journal(db);
	if (st != HO_OK)
		return st;
	st = migrate(db);
	if (st != HO_OK)
		return st;
	db->data_version = pragma_int(db, "PRAGMA data_version");
	db->actor.login = strdup("");
	db->actor.name = strdup("");
	db->actor.org = strdup("");
	return HO_OK;
}

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

	int oflags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
	int finishing = 0; /* CREATE over a file an interrupted init left */
	ho_status st;
	if ((flags & HO_OPEN_CREATE) && access(path, F_OK) != 0) {
		if ((st = check_new_place(db, path)) != HO_OK)
			return st;
		oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
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
	int rc = sqlite3_open_v2(path, &db->conn, oflags, NULL);
	if (rc != SQLITE_OK)
		return db->conn ? open_fail(db, rc) : store_sqlite_fail(db, rc, "opening the file");
	return open_settle(db, oflags, finishing);
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
	ho_status st = check_header(db, db->path, bytes, len < 100 ? len : 100, (int64_t)len, 0, 0);
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
	return open_settle(db, oflags, 0);
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
	return check_schema(db);
}

ho_status ho_backup(ho_db *db, const char *out)
{
	if (access(out, F_OK) == 0)
		return store_fail(db, HO_EEXIST, "%s: already exists; not overwritten", out);
	/* Written under a temporary name beside OUT and renamed into place when
	 * complete: OUT is either a whole backup or absent, never half a file. */
	size_t len = strlen(out) + 32;
	char *tmp = malloc(len);
	if (!tmp)
		return store_fail(db, HO_ENOMEM, "out of memory");
	snprintf(tmp, len, "%s.part-%ld", out, (long)getpid());
	sqlite3 *dst = NULL;
	ho_status st = HO_OK;
	int rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
	if (rc != SQLITE_OK) {
		st = store_fail(db, HO_EBADFILE, "%s: cannot create: %s", out,
		                dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto cleanup;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->conn, "main");
	if (!b) {
		st = store_fail(db, HO_EIO, "backup: %s", sqlite3_errmsg(dst));
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
		st = store_fail(db, HO_EIO, "backup: %s", sqlite3_errstr(rc));
		goto cleanup;
	}
	/* A backup is a single file: no WAL beside it. */
	rc = sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		st = store_fail(db, HO_EIO, "backup: %s", sqlite3_errmsg(dst));
cleanup:
	if (dst && sqlite3_close(dst) != SQLITE_OK && st == HO_OK)
		st = store_fail(db, HO_EIO, "backup: cannot close %s", tmp);
	/* link() refuses to replace a file made meanwhile: never overwrite. A
	 * filesystem without hard links gets a rename after one more look. */
	if (st == HO_OK && link(tmp, out) != 0 &&
	    ((errno != EPERM && errno != EOPNOTSUPP && errno != ENOSYS) || access(out, F_OK) == 0 ||
	     rename(tmp, out) != 0)) {
		if (errno == EEXIST || access(out, F_OK) == 0)
			st = store_fail(db, HO_EEXIST, "%s: already exists; not overwritten", out);
		else
			st = store_fail(db, HO_EIO, "%s: cannot write: %s", out, strerror(errno));
	}
	unlink(tmp);
	free(tmp);
	return st;
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
