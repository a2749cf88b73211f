/* The store: opening a shared file defensively, migrations, transactions and
 * the statement cache. All SQL of the core lives in src/core/store*.c. */
#define _GNU_SOURCE
#include "store.h"

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
#define HO_APPLICATION_ID 0x484F5652
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

/* Look at the file's header before SQLite does: SQLite would happily turn an
 * empty file into a database, and we refuse foreign or newer files without
 * writing a byte to them. */
static ho_status precheck_file(ho_db *db, const char *path)
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
	if (sb.st_size == 0)
		return store_fail(db, HO_EBADFILE, "%s: empty file (0 bytes), not a handover file",
		                  path);
	FILE *f = fopen(path, "rb");
	if (!f)
		return store_fail(db, HO_EBADFILE, "%s: cannot read: %s", path, strerror(errno));
	unsigned char h[100];
	size_t got = fread(h, 1, sizeof h, f);
	fclose(f);
	if (got < sizeof h || memcmp(h, "SQLite format 3", 16) != 0)
		return store_fail(db, HO_EBADFILE, "%s: not a handover file (not an SQLite database)",
		                  path);
	uint32_t app = be32(h + 68), version = be32(h + 60);
	if (app != HO_APPLICATION_ID)
		return store_fail(db, HO_EBADFILE,
		                  "%s: not a handover file (an SQLite database of another application)",
		                  path);
	if (version > ho_migration_count)
		return store_fail(db, HO_EBADFILE,
		                  "%s: made by a newer handover (file format %u; this program knows "
		                  "up to %zu); upgrade handover",
		                  path, version, ho_migration_count);
	uint32_t page_size = (uint32_t)h[16] << 8 | h[17];
	if (page_size == 1)
		page_size = 65536;
	uint32_t pages = be32(h + 28);
	int header_count_valid = be32(h + 92) == be32(h + 24) && pages > 0;
	char wal[4096];
	snprintf(wal, sizeof wal, "%s-wal", path);
	if (header_count_valid && (int64_t)sb.st_size < (int64_t)page_size * pages &&
	    access(wal, F_OK) != 0)
		return store_fail(db, HO_EBADFILE,
		                  "%s: truncated (%lld of %lld bytes); restore it from a backup",
		                  path, (long long)sb.st_size, (long long)page_size * pages);
	return HO_OK;
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
			                  "HANDOVER_JOURNAL must be 'wal' or 'delete', not '%s'", env);
	}
	if (!db->read_only) {
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA journal_mode=%s", want);
		sqlite3_stmt *s = NULL;
		if (sqlite3_prepare_v2(db->conn, sql, -1, &s, NULL) == SQLITE_OK) {
			/* When another connection holds the file in the other mode the
			 * switch is refused; we then keep the mode it has. */
			sqlite3_step(s);
		}
		sqlite3_finalize(s);
		exec_sql(db,
		         strcmp(want, "delete") == 0 ? "PRAGMA synchronous=FULL"
		                                      : "PRAGMA synchronous=NORMAL",
		         "setting synchronous");
	}
	sqlite3_stmt *s = NULL;
	snprintf(db->journal, sizeof db->journal, "?");
	if (sqlite3_prepare_v2(db->conn, "PRAGMA journal_mode", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		snprintf(db->journal, sizeof db->journal, "%s",
		         (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
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
	if (flags & HO_OPEN_CREATE) {
		if (access(path, F_OK) == 0)
			return store_fail(db, HO_EEXIST, "%s: already exists; not overwritten", path);
		char *copy = strdup(path);
		char *dir = copy ? dirname(copy) : NULL;
		struct stat sb;
		if (dir && (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))) {
			store_fail(db, HO_EBADFILE, "%s: folder %s does not exist", path, dir);
			free(copy);
			return HO_EBADFILE;
		}
		if (dir && access(dir, W_OK) != 0) {
			store_fail(db, HO_EBADFILE, "%s: cannot create a file in %s: %s", path, dir,
			           strerror(errno));
			free(copy);
			return HO_EBADFILE;
		}
		free(copy);
		oflags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	} else {
		ho_status st = precheck_file(db, path);
		if (st != HO_OK)
			return st;
		if ((flags & HO_OPEN_READONLY) || access(path, W_OK) != 0) {
			db->read_only = 1;
			oflags |= SQLITE_OPEN_READONLY;
		} else {
			oflags |= SQLITE_OPEN_READWRITE;
		}
	}
	int rc = sqlite3_open_v2(path, &db->conn, oflags, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(db, rc, "opening the file");

	/* A file from a shared drive is untrusted input: no schema-defined
	 * functions or views run with our privileges, no writes to the schema
	 * behind SQLite's back. */
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_DEFENSIVE, 1, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL);
	sqlite3_db_config(db->conn, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_busy_timeout(db->conn, HO_DEFAULT_BUSY_MS);
	ho_status st = exec_sql(db, "PRAGMA trusted_schema=OFF; PRAGMA foreign_keys=ON",
	                        "configuring the file");
	if (st != HO_OK)
		return st;

	/* Reading the schema fails here for a file SQLite cannot parse. */
	int64_t app = pragma_int(db, "PRAGMA application_id");
	if (app < 0)
		return store_fail(db, HO_EBADFILE, "%s: not a handover file (%s)", path,
		                  sqlite3_errmsg(db->conn));
	if (!(flags & HO_OPEN_CREATE) && app != HO_APPLICATION_ID)
		return store_fail(db, HO_EBADFILE, "%s: not a handover file", path);

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

void ho_close(ho_db *db)
{
	if (!db)
		return;
	for (int i = 0; i < STMT__COUNT; i++)
		sqlite3_finalize(db->stmts[i]);
	if (db->tx_depth > 0)
		sqlite3_exec(db->conn, "ROLLBACK", NULL, NULL, NULL);
	if (db->conn)
		sqlite3_close(db->conn);
	free(db->actor.login);
	free(db->actor.name);
	free(db->actor.org);
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

void ho_set_busy_timeout(ho_db *db, int ms)
{
	sqlite3_busy_timeout(db->conn, ms);
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

ho_status ho_check(ho_db *db)
{
	sqlite3_stmt *s = NULL;
	ho_status st = HO_OK;
	int rc = sqlite3_prepare_v2(db->conn, "PRAGMA integrity_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(db, rc, "checking the file");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *r = (const char *)sqlite3_column_text(s, 0);
		if (r && strcmp(r, "ok") != 0) {
			st = store_fail(db, HO_EBADFILE, "integrity: %s", r);
			break;
		}
	}
	sqlite3_finalize(s);
	if (st != HO_OK)
		return st;
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_sqlite_fail(db, rc, "checking the file");

	rc = sqlite3_prepare_v2(db->conn, "PRAGMA foreign_key_check", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_sqlite_fail(db, rc, "checking references");
	if (sqlite3_step(s) == SQLITE_ROW)
		st = store_fail(db, HO_EBADFILE, "a row of %s refers to a missing row of %s",
		                sqlite3_column_text(s, 0), sqlite3_column_text(s, 2));
	sqlite3_finalize(s);
	if (st != HO_OK)
		return st;

	/* Someone with sqlite3 could drop the triggers that keep history
	 * append-only; say so rather than trust a chain that can be rewritten. */
	static const char *const triggers[] = {"events_no_update", "events_no_delete"};
	for (size_t i = 0; i < sizeof triggers / sizeof *triggers; i++) {
		s = store_stmt(db, STMT_trigger_exists);
		if (!s)
			return HO_EIO;
		store_bind_text(s, ":name", triggers[i]);
		int found = sqlite3_step(s) == SQLITE_ROW;
		sqlite3_reset(s);
		if (!found)
			return store_fail(db, HO_EBADFILE,
			                  "the history guard %s is missing: the file was edited outside "
			                  "handover",
			                  triggers[i]);
	}
	return HO_OK;
}

ho_status ho_backup(ho_db *db, const char *out)
{
	if (access(out, F_OK) == 0)
		return store_fail(db, HO_EEXIST, "%s: already exists; not overwritten", out);
	sqlite3 *dst = NULL;
	ho_status st = HO_OK;
	int rc = sqlite3_open_v2(out, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
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
	sqlite3_exec(dst, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL);
cleanup:
	if (dst)
		sqlite3_close(dst);
	if (st != HO_OK)
		unlink(out);
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
		return store_fail(db, HO_EUSAGE, "%s is too long (%zu bytes; at most %zu)", what, len,
		                  max);
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
