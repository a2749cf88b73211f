/* The PostgreSQL engine: a handover database on a server, reached with
 * libpq. The same statements as the SQLite engine (translated, translate.c,
 * or given in overrides.def), the same rows, the same history. A change
 * takes one write lock for the database (an advisory lock), as a change to
 * a SQLite file takes the file's: changes are made one at a time, in the
 * order they came, and each reads what it checks under that lock. */
#define _GNU_SOURCE
#include "../store.h"
#include "translate.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lock every change takes ("HOVR", as the SQLite file's id). */
#define PG_WRITE_LOCK  "1215256146"
#define PG_APPLICATION 0x484F5652

struct ho_migration {
	const char *name;
	const char *sql;
};
extern const struct ho_migration pg_migrations[];
extern const size_t pg_migration_count;

static const char *const stmt_sql[STMT__COUNT] = {
#define STMT(name, sql) [STMT_##name] = sql,
#include "../sqlite/statements.def"
#undef STMT
};

static const struct {
	enum store_stmt_id id;
	const char *sql;
} overrides[] = {
#define STMT_PG(name, sql) {STMT_##name, sql},
#include "overrides.def"
#undef STMT_PG
};

/* Oids of the types parameters are sent as, and columns come back as. */
#define OID_BOOL   16
#define OID_INT8   20
#define OID_INT2   21
#define OID_INT4   23
#define OID_TEXT   25
#define OID_FLOAT4 700
#define OID_FLOAT8 701
#define OID_BYTEA  17

struct pg_stmt {
	struct eng_stmt base;
	ho_db *db;
	int id;
	char *sql;    /* translated; NULL until first use */
	char **names; /* parameter names, $1 first */
	int nparams;
	char **vals;   /* bound values as text (NULL: SQL NULL) */
	Oid *types;    /* bound types */
	Oid *ptypes;   /* the types it was prepared with */
	int prepared;  /* the name it was prepared under, 0: not yet */
	int returning; /* an INSERT given RETURNING id here: its row is the id */
	int write;     /* INSERT, UPDATE or DELETE */
	PGresult *res;
	int row, nrows, executed;
};

struct eng_conn {
	PGconn *c;
	struct pg_stmt stmts[STMT__COUNT];
	int64_t changes, total_changes, last_id;
	eng_watch_fn watch;
	int next_name;
	int busy_ms;
};

#define PSTMT(s) ((struct pg_stmt *)(s))

/* ---- errors ------------------------------------------------------------------ */

/* The engine's error: SQLSTATE mapped onto the seam's numbering. The
 * message of the last failure is kept on the connection. */
static int sqlstate_rc(const char *state)
{
	if (!state)
		return ENG_IOERR;
	if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 ||
	    strcmp(state, "55P03") == 0 || strcmp(state, "57014") == 0)
		return ENG_BUSY;
	if (strcmp(state, "23503") == 0)
		return ENG_CONSTRAINT_FOREIGNKEY;
	if (strncmp(state, "23", 2) == 0)
		return ENG_CONSTRAINT;
	if (strcmp(state, "53200") == 0)
		return ENG_NOMEM;
	if (strcmp(state, "53100") == 0)
		return ENG_FULL;
	if (strcmp(state, "25006") == 0 || strcmp(state, "42501") == 0)
		return ENG_READONLY;
	if (strncmp(state, "08", 2) == 0)
		return ENG_IOERR;
	return ENG_ERROR;
}

static int result_rc(PGresult *r)
{
	return sqlstate_rc(r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL);
}

static ho_status pg_fail(ho_db *db, int rc, const char *what)
{
	const char *msg = db->conn && db->conn->c ? PQerrorMessage(db->conn->c) : "";
	char one[256];
	snprintf(one, sizeof one, "%s", msg);
	one[strcspn(one, "\r\n")] = '\0';
	int primary = eng_primary(rc);
	if (primary == ENG_BUSY || primary == ENG_LOCKED)
		return store_fail(db, HO_EBUSY,
		                  "%s: the database is busy with someone else's change; try again "
		                  "in a moment",
		                  what);
	if (primary == ENG_CONSTRAINT)
		return store_fail(db, HO_ESTATE, "%s: refused by the database (%s)", what, one);
	if (primary == ENG_NOMEM)
		return store_fail(db, HO_ENOMEM, "%s: out of memory", what);
	if (primary == ENG_READONLY)
		return store_fail(db, HO_EBADFILE, "%s: the database refuses changes (%s)", what,
		                  one);
	return store_fail(db, HO_EIO, "%s: %s", what, one[0] ? one : "database error");
}

/* ---- statements ---------------------------------------------------------------- */

extern const struct eng_ops eng_postgres;

static const char *sql_of(enum store_stmt_id id)
{
	for (size_t i = 0; i < sizeof overrides / sizeof overrides[0]; i++)
		if (overrides[i].id == id)
			return overrides[i].sql;
	return stmt_sql[id];
}

static void clear_result(struct pg_stmt *s)
{
	PQclear(s->res);
	s->res = NULL;
	s->row = -1;
	s->nrows = 0;
	s->executed = 0;
}

static void clear_binds(struct pg_stmt *s)
{
	for (int i = 0; i < s->nparams; i++) {
		free(s->vals[i]);
		s->vals[i] = NULL;
		s->types[i] = 0;
	}
}

static ho_status pg_stmt_init(ho_db *db, struct pg_stmt *s, enum store_stmt_id id)
{
	const char *src = sql_of(id);
	char *sql = pg_translate(src, &s->names, &s->nparams);
	if (!sql)
		return store_fail(db, HO_ENOMEM, "out of memory");
	const char *p = sql;
	while (*p == ' ')
		p++;
	s->write = strncasecmp(p, "INSERT", 6) == 0 || strncasecmp(p, "UPDATE", 6) == 0 ||
	           strncasecmp(p, "DELETE", 6) == 0;
	/* SQLite says the id an insert made (last_insert_rowid): here the
	 * insert says it, into tables that have one. */
	if (strncasecmp(p, "INSERT", 6) == 0 && !strstr(sql, "RETURNING") &&
	    !strstr(sql, "INTO meta") && !strstr(sql, "INTO person_roles") &&
	    !strstr(sql, "INTO seen") && !strstr(sql, "INTO events")) {
		size_t n = strlen(sql);
		char *r = realloc(sql, n + 16);
		if (!r) {
			free(sql);
			return store_fail(db, HO_ENOMEM, "out of memory");
		}
		sql = r;
		memcpy(sql + n, " RETURNING id", 14);
		s->returning = 1;
	}
	s->sql = sql;
	s->vals = calloc((size_t)s->nparams + 1, sizeof *s->vals);
	s->types = calloc((size_t)s->nparams + 1, sizeof *s->types);
	s->ptypes = calloc((size_t)s->nparams + 1, sizeof *s->ptypes);
	if (!s->vals || !s->types || !s->ptypes)
		return store_fail(db, HO_ENOMEM, "out of memory");
	s->base.ops = &eng_postgres;
	s->db = db;
	s->id = (int)id;
	clear_binds(s);
	s->row = -1;
	return HO_OK;
}

static ho_status pg_stmt(ho_db *db, enum store_stmt_id id, eng_stmt **out)
{
	struct pg_stmt *s = &db->conn->stmts[id];
	*out = NULL;
	if (!s->sql) {
		ho_status st = pg_stmt_init(db, s, id);
		if (st != HO_OK)
			return st;
	}
	clear_result(s);
	clear_binds(s);
	*out = &s->base;
	return HO_OK;
}

static int param_index(struct pg_stmt *s, const char *name)
{
	if (*name == ':')
		name++;
	for (int i = 0; i < s->nparams; i++)
		if (strcmp(s->names[i], name) == 0)
			return i;
	return -1;
}

static void pg_bind_text(eng_stmt *st, const char *name, const char *v)
{
	struct pg_stmt *s = PSTMT(st);
	int i = param_index(s, name);
	if (i < 0)
		return;
	free(s->vals[i]);
	s->vals[i] = v ? strdup(v) : NULL;
	if (v && !s->vals[i])
		st->oom = 1;
	s->types[i] = OID_TEXT;
}

static void pg_bind_int(eng_stmt *st, const char *name, int64_t v)
{
	struct pg_stmt *s = PSTMT(st);
	int i = param_index(s, name);
	if (i < 0)
		return;
	char num[24];
	snprintf(num, sizeof num, "%lld", (long long)v);
	free(s->vals[i]);
	s->vals[i] = strdup(num);
	if (!s->vals[i])
		st->oom = 1;
	s->types[i] = OID_INT8;
}

static void pg_bind_null(eng_stmt *st, const char *name)
{
	struct pg_stmt *s = PSTMT(st);
	int i = param_index(s, name);
	if (i < 0)
		return;
	free(s->vals[i]);
	s->vals[i] = NULL;
	/* A NULL takes the type the statement was prepared with (a value's,
	 * or the one the server inferred): rows alternating NULLs and values
	 * (a copy's) would otherwise prepare it again at every change. */
	s->types[i] = s->prepared ? s->ptypes[i] : 0;
}

/* Prepared under the types of the current bindings (a parameter bound as
 * a number is a bigint, as text is text); prepared again when they
 * change. */
static int ensure_prepared(struct pg_stmt *s)
{
	PGconn *c = s->db->conn->c;
	if (s->prepared && memcmp(s->types, s->ptypes, (size_t)s->nparams * sizeof(Oid)) == 0)
		return ENG_OK;
	char name[24];
	snprintf(name, sizeof name, "ho%d", ++s->db->conn->next_name);
	PGresult *r = PQprepare(c, name, s->sql, s->nparams, s->types);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? ENG_OK : result_rc(r);
	PQclear(r);
	if (rc != ENG_OK)
		return rc;
	if (s->prepared) {
		char drop[48];
		snprintf(drop, sizeof drop, "DEALLOCATE ho%d", s->prepared);
		PQclear(PQexec(c, drop));
	}
	s->prepared = s->db->conn->next_name;
	memcpy(s->ptypes, s->types, (size_t)s->nparams * sizeof(Oid));
	return ENG_OK;
}

/* The rows a change touched, as triggers noted them in the session's
 * ho_touched, handed to the watch in the order they came. */
static int drain_touched(ho_db *db)
{
	struct eng_conn *k = db->conn;
	if (!k->watch)
		return ENG_OK;
	PGresult *r = PQexec(k->c, "WITH d AS (DELETE FROM ho_touched RETURNING seq, tbl, id) "
	                           "SELECT tbl, id FROM d ORDER BY seq");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		int rc = result_rc(r);
		PQclear(r);
		return rc;
	}
	for (int i = 0; i < PQntuples(r); i++)
		k->watch(db, PQgetvalue(r, i, 0), strtoll(PQgetvalue(r, i, 1), NULL, 10));
	PQclear(r);
	return ENG_OK;
}

static int pg_step(eng_stmt *st)
{
	struct pg_stmt *s = PSTMT(st);
	struct eng_conn *k = s->db->conn;
	if (!s->executed) {
		int rc = ensure_prepared(s);
		if (rc != ENG_OK)
			return rc;
		char name[24];
		snprintf(name, sizeof name, "ho%d", s->prepared);
		s->res = PQexecPrepared(k->c, name, s->nparams, (const char *const *)s->vals, NULL,
		                        NULL, 0);
		s->executed = 1;
		ExecStatusType es = PQresultStatus(s->res);
		if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK)
			return result_rc(s->res);
		if (s->write) {
			const char *n = PQcmdTuples(s->res);
			k->changes = n && *n ? strtoll(n, NULL, 10) : 0;
			k->total_changes += k->changes;
			if ((rc = drain_touched(s->db)) != ENG_OK)
				return rc;
		}
		if (s->returning) {
			if (PQntuples(s->res) > 0)
				k->last_id = strtoll(PQgetvalue(s->res, 0, 0), NULL, 10);
			return ENG_DONE;
		}
		s->nrows = es == PGRES_TUPLES_OK ? PQntuples(s->res) : 0;
		s->row = -1;
	}
	if (s->returning)
		return ENG_DONE;
	if (++s->row < s->nrows)
		return ENG_ROW;
	return ENG_DONE;
}

static void pg_reset(eng_stmt *st)
{
	clear_result(PSTMT(st));
}

static int64_t pg_col_int64(eng_stmt *st, int col)
{
	struct pg_stmt *s = PSTMT(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows || PQgetisnull(s->res, s->row, col))
		return 0;
	const char *v = PQgetvalue(s->res, s->row, col);
	if (PQftype(s->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static double pg_col_double(eng_stmt *st, int col)
{
	struct pg_stmt *s = PSTMT(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows || PQgetisnull(s->res, s->row, col))
		return 0;
	return strtod(PQgetvalue(s->res, s->row, col), NULL);
}

static const char *pg_col_text(eng_stmt *st, int col)
{
	struct pg_stmt *s = PSTMT(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows || PQgetisnull(s->res, s->row, col))
		return NULL;
	return PQgetvalue(s->res, s->row, col);
}

static const void *pg_col_blob(eng_stmt *st, int col)
{
	return pg_col_text(st, col);
}

static size_t pg_col_bytes(eng_stmt *st, int col)
{
	struct pg_stmt *s = PSTMT(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows)
		return 0;
	return (size_t)PQgetlength(s->res, s->row, col);
}

static enum eng_type pg_col_type(eng_stmt *st, int col)
{
	struct pg_stmt *s = PSTMT(st);
	if (!s->res || s->row < 0 || s->row >= s->nrows || PQgetisnull(s->res, s->row, col))
		return ENG_NULL;
	switch (PQftype(s->res, col)) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
	case OID_BOOL:
		return ENG_INTEGER;
	case OID_FLOAT4:
	case OID_FLOAT8:
		return ENG_FLOAT;
	case OID_BYTEA:
		return ENG_BLOB;
	default:
		return ENG_TEXT;
	}
}

static void pg_finalize(eng_stmt *st);

/* ---- the connection ------------------------------------------------------------ */

static int exec_cmd(ho_db *db, const char *sql)
{
	PGresult *r = PQexec(db->conn->c, sql);
	ExecStatusType es = PQresultStatus(r);
	int rc = es == PGRES_COMMAND_OK || es == PGRES_TUPLES_OK ? ENG_OK : result_rc(r);
	PQclear(r);
	return rc;
}

static int pg_begin(ho_db *db, int write)
{
	/* A run of reads (a document, a copy) sees one state of the database,
	 * as a read transaction on a SQLite file does; a change reads what it
	 * checks after taking the write lock. */
	int rc = exec_cmd(db, write ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ");
	if (rc != ENG_OK || !write)
		return rc;
	char sql[96];
	snprintf(sql, sizeof sql, "SET LOCAL lock_timeout = %d", db->busy_now);
	if ((rc = exec_cmd(db, sql)) == ENG_OK)
		rc = exec_cmd(db, "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK ")");
	if (rc != ENG_OK)
		exec_cmd(db, "ROLLBACK");
	return rc;
}

static int pg_commit(ho_db *db)
{
	int rc = exec_cmd(db, "COMMIT");
	if (rc != ENG_OK)
		exec_cmd(db, "ROLLBACK");
	return rc;
}

static void pg_rollback(ho_db *db)
{
	exec_cmd(db, "ROLLBACK");
}

static int pg_in_transaction(ho_db *db)
{
	return PQtransactionStatus(db->conn->c) != PQTRANS_IDLE;
}

static int64_t pg_changes(ho_db *db)
{
	return db->conn->changes;
}

static int64_t pg_total_changes(ho_db *db)
{
	return db->conn->total_changes;
}

static int64_t pg_last_id(ho_db *db)
{
	return db->conn->last_id;
}

/* Every change appends to the history, so its last id moves whenever
 * anyone has changed anything; read from the server, not from the
 * notifications (which arrive a moment after the commit: the remembered
 * function list must never be judged fresh in that moment). The
 * notifications only wake a screen (LISTEN handover). */
static int64_t pg_data_version(ho_db *db)
{
	struct eng_conn *k = db->conn;
	PGnotify *n;
	if (PQconsumeInput(k->c))
		while ((n = PQnotifies(k->c)) != NULL)
			PQfreemem(n);
	PGresult *r = PQexec(k->c, "SELECT COALESCE(max(id), 0) FROM events");
	int64_t v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
	                ? strtoll(PQgetvalue(r, 0, 0), NULL, 10)
	                : -1;
	PQclear(r);
	return v;
}

static void pg_set_busy(ho_db *db, int ms)
{
	(void)ms;
	(void)db; /* taken at each change's begin (lock_timeout) */
}

static void pg_watch(ho_db *db, eng_watch_fn fn)
{
	db->conn->watch = fn;
}

static ho_status pg_check(ho_db *db)
{
	PGresult *r =
	    PQexec(db->conn->c, "SELECT count(*) FROM pg_trigger WHERE tgname IN "
	                        "('events_no_update', 'events_no_delete') AND NOT tgisinternal");
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK && strcmp(PQgetvalue(r, 0, 0), "2") == 0;
	PQclear(r);
	if (!ok)
		return store_fail(db, HO_EBADFILE,
		                  "the history's guards (events_no_update, events_no_delete) are "
		                  "missing: the database was edited outside handover");
	return HO_OK;
}

/* A backup of a database on a server is a SQLite handover file: the
 * region's handover taken offline, opened like any other file. */
static ho_status pg_backup(ho_db *db, const char *out, int flags)
{
	return store_copy_out(db, out, flags, NULL);
}

static void pg_journal_refresh(ho_db *db)
{
	snprintf(db->journal, sizeof db->journal, "postgresql");
}

static ho_status pg_set_journal(ho_db *db, const char *mode)
{
	(void)mode;
	return store_fail(db, HO_EUSAGE, "a PostgreSQL database has no journal to choose");
}

/* One migration's SQL, or the failure named after its file. */
static int run_migration(ho_db *db, size_t i)
{
	PGresult *r = PQexec(db->conn->c, pg_migrations[i].sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		store_fail(db, HO_EIO, "upgrading the database (%s): %s", pg_migrations[i].name,
		           PQresultErrorMessage(r));
	PQclear(r);
	return ok;
}

/* The schema, brought up to date in one transaction under the write lock
 * (schema/pg/NNN-*.sql in name order; the version counts those applied), or
 * the refusal, unchanged, of a database that is not ours or is newer. */
static ho_status migrate(ho_db *db)
{
	PGconn *c = db->conn->c;
	int rc = pg_begin(db, 1);
	if (rc != ENG_OK)
		return pg_fail(db, rc, "opening the database");
	PGresult *r = PQexec(c, "SELECT to_regclass('handover_format') IS NOT NULL, "
	                        "(SELECT count(*) FROM pg_tables WHERE schemaname = "
	                        "current_schema())");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		rc = result_rc(r);
		PQclear(r);
		pg_rollback(db);
		return pg_fail(db, rc, "opening the database");
	}
	int ours = PQgetvalue(r, 0, 0)[0] == 't';
	long tables = strtol(PQgetvalue(r, 0, 1), NULL, 10);
	PQclear(r);
	long long app = PG_APPLICATION, version = 0;
	if (!ours && tables > 0) {
		pg_rollback(db);
		return store_fail(db, HO_EBADFILE,
		                  "%s: not a handover database (it holds other tables)", db->path);
	}
	if (!ours && db->read_only) {
		pg_rollback(db);
		return store_fail(db, HO_EBADFILE, "%s: not a handover database", db->path);
	}
	if (ours) {
		app = -1;
		r = PQexec(c, "SELECT application_id, version FROM handover_format");
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
			app = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
			version = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		}
		PQclear(r);
	}
	ho_status st = HO_OK;
	if (app != PG_APPLICATION)
		st = store_fail(db, HO_EBADFILE, "%s: not a handover database", db->path);
	else if (version > (long long)pg_migration_count)
		st = store_fail(db, HO_EBADFILE,
		                "%s: made by a newer handover (format %lld; this program knows up "
		                "to %zu); upgrade handover",
		                db->path, version, pg_migration_count);
	if (st != HO_OK) {
		pg_rollback(db);
		return st;
	}
	if (version == (long long)pg_migration_count) {
		rc = pg_commit(db);
		return rc == ENG_OK ? HO_OK : pg_fail(db, rc, "opening the database");
	}
	for (size_t i = (size_t)version; i < pg_migration_count; i++) {
		if (!run_migration(db, i)) {
			pg_rollback(db);
			return HO_EIO;
		}
	}
	char sql[160];
	if (version == 0)
		snprintf(sql, sizeof sql,
		         "INSERT INTO handover_format(application_id, version) VALUES (%d, %zu)",
		         PG_APPLICATION, pg_migration_count);
	else
		snprintf(sql, sizeof sql, "UPDATE handover_format SET version = %zu",
		         pg_migration_count);
	if ((rc = exec_cmd(db, sql)) != ENG_OK) {
		pg_rollback(db);
		return pg_fail(db, rc, "making the database");
	}
	if ((rc = pg_commit(db)) != ENG_OK)
		return pg_fail(db, rc, "opening the database");
	db->created = version == 0;
	return HO_OK;
}

/* A copy's target (STORE_OPEN_FILL): a database with no tables at all,
 * filled by its owner. The schema is made in a change left open (the
 * store's, tx_depth 1) that the copied rows then join, so a copy that
 * fails leaves the database as empty as it found it. */
static ho_status fill_begin(ho_db *db)
{
	PGconn *c = db->conn->c;
	int rc = pg_begin(db, 1);
	if (rc != ENG_OK)
		return pg_fail(db, rc, "opening the database");
	PGresult *r = PQexec(c, "SELECT (SELECT count(*) FROM pg_tables WHERE schemaname = "
	                        "current_schema()), "
	                        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR "
	                        "pg_has_role(current_user, d.datdba, 'MEMBER'), "
	                        "pg_get_userbyid(d.datdba), current_user "
	                        "FROM pg_database d WHERE d.datname = current_database()");
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		rc = result_rc(r);
		PQclear(r);
		pg_rollback(db);
		return pg_fail(db, rc, "opening the database");
	}
	long tables = strtol(PQgetvalue(r, 0, 0), NULL, 10);
	int owner = PQgetvalue(r, 0, 1)[0] == 't';
	ho_status st = HO_OK;
	if (tables > 0)
		st = store_fail(db, HO_EEXIST,
		                "%s: already holds tables; a copy fills only an empty database",
		                db->path);
	else if (!owner)
		st = store_fail(db, HO_EPERM,
		                "%s: only the database's owner (%s) may copy a handover into it; "
		                "you are %s",
		                db->path, PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
	PQclear(r);
	for (size_t i = 0; st == HO_OK && i < pg_migration_count; i++)
		if (!run_migration(db, i))
			st = HO_EIO;
	if (st == HO_OK) {
		char sql[160];
		snprintf(sql, sizeof sql,
		         "INSERT INTO handover_format(application_id, version) VALUES (%d, %zu)",
		         PG_APPLICATION, pg_migration_count);
		if ((rc = exec_cmd(db, sql)) != ENG_OK)
			st = pg_fail(db, rc, "making the database");
	}
	if (st != HO_OK) {
		pg_rollback(db);
		return st;
	}
	db->created = 1;
	db->tx_depth = 1;
	db->tx_file = __FILE__;
	db->tx_line = __LINE__;
	return HO_OK;
}

static ho_status pg_open(ho_db *db)
{
	db->conn = calloc(1, sizeof *db->conn);
	if (!db->conn)
		return store_fail(db, HO_ENOMEM, "out of memory");
	db->conn->c = PQconnectdb(db->path);
	/* The string given may hold a password: it is not kept. */
	memset(db->path, 0, strlen(db->path));
	if (PQstatus(db->conn->c) != CONNECTION_OK) {
		char one[256];
		snprintf(one, sizeof one, "%s", PQerrorMessage(db->conn->c));
		one[strcspn(one, "\r\n")] = '\0';
		return store_fail(db, HO_EBADFILE, "cannot connect to the database: %s", one);
	}
	/* From here on the database is named as a person reads it, never with
	 * the password a connection string may carry. */
	PGconn *c = db->conn->c;
	char shown[512];
	const char *host = PQhost(c), *port = PQport(c), *user = PQuser(c), *dbname = PQdb(c);
	if (host && host[0] == '/')
		snprintf(shown, sizeof shown, "postgresql://%s@/%s", user ? user : "",
		         dbname ? dbname : "");
	else
		snprintf(shown, sizeof shown, "postgresql://%s@%s:%s/%s", user ? user : "",
		         host ? host : "", port ? port : "", dbname ? dbname : "");
	char *copy = strdup(shown);
	if (!copy)
		return store_fail(db, HO_ENOMEM, "out of memory");
	free(db->path);
	db->path = copy;
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	ho_status st = (db->flags & STORE_OPEN_FILL) ? fill_begin(db) : migrate(db);
	if (st != HO_OK)
		return st;
	/* Where the triggers note the rows a change touched (this session's
	 * own table: nobody else sees or fills it). */
	if (exec_cmd(db, "CREATE TEMP TABLE IF NOT EXISTS ho_touched (seq bigserial, tbl text, "
	                 "id bigint)") != ENG_OK)
		return store_fail(db, HO_EIO, "opening the database: %s",
		                  PQerrorMessage(db->conn->c));
	if (exec_cmd(db, "LISTEN handover") != ENG_OK)
		return store_fail(db, HO_EIO, "opening the database: %s",
		                  PQerrorMessage(db->conn->c));
	pg_journal_refresh(db);
	store_state_watch(db);
	return HO_OK;
}

/* ---- whole tables -------------------------------------------------------------- */

/* A statement outside the table (a copy's reads and writes of whole
 * tables), owned by its caller; translated as the table's are. */
static ho_status pg_prepare(ho_db *db, const char *sql, eng_stmt **out)
{
	*out = NULL;
	struct pg_stmt *s = calloc(1, sizeof *s);
	if (!s)
		return store_fail(db, HO_ENOMEM, "out of memory");
	s->sql = pg_translate(sql, &s->names, &s->nparams);
	s->vals = calloc((size_t)s->nparams + 1, sizeof *s->vals);
	s->types = calloc((size_t)s->nparams + 1, sizeof *s->types);
	s->ptypes = calloc((size_t)s->nparams + 1, sizeof *s->ptypes);
	s->base.ops = &eng_postgres;
	s->db = db;
	s->id = -1;
	s->row = -1;
	if (!s->sql || !s->vals || !s->types || !s->ptypes) {
		pg_finalize(&s->base);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	const char *p = s->sql;
	while (*p == ' ')
		p++;
	s->write = strncasecmp(p, "INSERT", 6) == 0 || strncasecmp(p, "UPDATE", 6) == 0 ||
	           strncasecmp(p, "DELETE", 6) == 0;
	*out = &s->base;
	return HO_OK;
}

static void pg_finalize(eng_stmt *st)
{
	if (!st)
		return;
	struct pg_stmt *s = PSTMT(st);
	clear_result(s);
	if (s->vals)
		clear_binds(s);
	if (s->prepared && s->db->conn) {
		char drop[48];
		snprintf(drop, sizeof drop, "DEALLOCATE ho%d", s->prepared);
		PQclear(PQexec(s->db->conn->c, drop));
	}
	for (int j = 0; s->names && j < s->nparams; j++)
		free(s->names[j]);
	free(s->names);
	free(s->vals);
	free(s->types);
	free(s->ptypes);
	free(s->sql);
	free(s);
}

/* Ids given on insert do not move an identity column's sequence: set it
 * to the largest, so the next row the server numbers comes after. */
static ho_status pg_ids_follow(ho_db *db, const char *table, const char *column)
{
	PGconn *c = db->conn->c;
	char *t = PQescapeIdentifier(c, table, strlen(table));
	char *col = PQescapeIdentifier(c, column, strlen(column));
	char sql[256];
	if (t && col)
		snprintf(sql, sizeof sql,
		         "SELECT setval(pg_get_serial_sequence($1, $2), max(%s)) FROM %s", col, t);
	PQfreemem(t);
	PQfreemem(col);
	if (!t || !col)
		return store_fail(db, HO_ENOMEM, "out of memory");
	const char *params[2] = {table, column};
	PGresult *r = PQexecParams(c, sql, 2, NULL, params, NULL, NULL, 0);
	int rc = PQresultStatus(r) == PGRES_TUPLES_OK ? ENG_OK : result_rc(r);
	PQclear(r);
	return rc == ENG_OK ? HO_OK : pg_fail(db, rc, "numbering the copied rows");
}

static void pg_close(ho_db *db)
{
	struct eng_conn *k = db->conn;
	if (!k)
		return;
	for (int i = 0; i < STMT__COUNT; i++) {
		struct pg_stmt *s = &k->stmts[i];
		clear_result(s);
		clear_binds(s);
		for (int j = 0; j < s->nparams; j++)
			free(s->names[j]);
		free(s->names);
		free(s->vals);
		free(s->types);
		free(s->ptypes);
		free(s->sql);
	}
	PQfinish(k->c);
	free(k);
	db->conn = NULL;
}

int eng_postgres_claims(const char *where)
{
	return where && (strncmp(where, "postgresql://", 13) == 0 ||
	                 strncmp(where, "postgres://", 11) == 0 || strstr(where, "dbname=") ||
	                 strstr(where, "host="));
}

const struct eng_ops eng_postgres = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .in_transaction = pg_in_transaction,
    .changes = pg_changes,
    .total_changes = pg_total_changes,
    .last_id = pg_last_id,
    .data_version = pg_data_version,
    .set_busy = pg_set_busy,
    .watch = pg_watch,
    .fail = pg_fail,
    .check = pg_check,
    .backup = pg_backup,
    .journal_refresh = pg_journal_refresh,
    .set_journal = pg_set_journal,
    .stmt = pg_stmt,
    .step = pg_step,
    .reset = pg_reset,
    .bind_text = pg_bind_text,
    .bind_int = pg_bind_int,
    .bind_null = pg_bind_null,
    .col_int64 = pg_col_int64,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .col_bytes = pg_col_bytes,
    .col_type = pg_col_type,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .ids_follow = pg_ids_follow,
};
