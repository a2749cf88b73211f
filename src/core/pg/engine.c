/* The PostgreSQL engine: a handover database on a server, reached with
 * libpq. The same statements as the SQLite engine (translated, translate.c,
 * or given in overrides.def), the same rows, the same history. A change
 * takes one write lock for the database (an advisory lock), as a change to
 * a SQLite file takes the file's: changes are made one at a time, in the
 * order they came, and each reads what it checks under that lock. */
#define _GNU_SOURCE
#include "../store.h"
#include "handover/testhook.h"
#include "translate.h"

#include <libpq-fe.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The lock every change takes ("HOVR", as the SQLite file's id). */
/* Every query sent and waited for is counted (ho_server_round_trips): a
 * screen's cost on a server is mostly its round trips. */
static int64_t round_trips;
#define PQexec(c, sql)               (round_trips++, PQexec(c, sql))
#define PQexecParams(c, sql, ...)    (round_trips++, PQexecParams(c, sql, __VA_ARGS__))
#define PQexecPrepared(c, name, ...) (round_trips++, PQexecPrepared(c, name, __VA_ARGS__))
#define PQprepare(c, name, sql, ...) (round_trips++, PQprepare(c, name, sql, __VA_ARGS__))

int64_t ho_server_round_trips(void)
{
	return round_trips;
}

#define PG_WRITE_LOCK  "1215256146"
#define PG_APPLICATION 0x484F5652
/* The format from which every column the history's rows record is there
 * (schema/pg/003). */
#define PG_STATE_COLUMNS_FORMAT 3

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
	int runs;      /* how many times it ran (the first is not prepared) */
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
	long long xid;   /* the open change's transaction (pg_begin), 0: none */
	int news;        /* a notification came in while the connection read */
	int reading;     /* inside a read transaction (one snapshot) */
	int64_t version; /* data_version read in that snapshot, -1: not yet */
	char lost[240];  /* what a lost connection cost, said by pg_fail */
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
	if (strcmp(state, "42501") == 0)
		return ENG_AUTH;
	if (strcmp(state, "25006") == 0)
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
	if (db->conn && db->conn->lost[0]) {
		ho_status st = store_fail(db, HO_EIO, "%s: %s", what, db->conn->lost);
		db->conn->lost[0] = '\0';
		return st;
	}
	if (primary == ENG_BUSY || primary == ENG_LOCKED)
		return store_fail(db, HO_EBUSY,
		                  "%s: the database is locked by someone else's change; try again "
		                  "in a moment",
		                  what);
	if (primary == ENG_CONSTRAINT)
		return store_fail(db, HO_ESTATE, "%s: refused by the database (%s)", what, one);
	if (primary == ENG_NOMEM)
		return store_fail(db, HO_ENOMEM, "%s: out of memory", what);
	if (primary == ENG_AUTH)
		return store_fail(db, HO_EPERM, "%s: refused by the database (%s)", what, one);
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

static int note_lost(ho_db *db, int rc);
static int reconnect(ho_db *db);

static int pg_step(eng_stmt *st)
{
	struct pg_stmt *s = PSTMT(st);
	struct eng_conn *k = s->db->conn;
	/* A statement on its own (no change or read run open) after the
	 * server dropped the connection: made again first, as a change's
	 * begin does, or a reader would fail for good. */
	if (!s->executed && PQstatus(k->c) != CONNECTION_OK && s->db->tx_depth == 0 &&
	    !k->reading) {
		int rc = reconnect(s->db);
		if (rc != ENG_OK)
			return note_lost(s->db, rc);
	}
	if (!s->executed) {
		/* A statement's first run goes in one round trip (parse, bind and
		 * execute together); only one run again is prepared, so a screen's
		 * first paint waits on half as many trips and a repeated one on
		 * none of the parsing. */
		if (!s->runs++ && !s->prepared) {
			s->res = PQexecParams(k->c, s->sql, s->nparams, s->types,
			                      (const char *const *)s->vals, NULL, NULL, 0);
		} else {
			int rc = ensure_prepared(s);
			if (rc != ENG_OK)
				return note_lost(s->db, rc);
			char name[24];
			snprintf(name, sizeof name, "ho%d", s->prepared);
			s->res = PQexecPrepared(k->c, name, s->nparams,
			                        (const char *const *)s->vals, NULL, NULL, 0);
		}
		s->executed = 1;
		ExecStatusType es = PQresultStatus(s->res);
		if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK)
			return note_lost(s->db, result_rc(s->res));
		if (s->write) {
			const char *n = PQcmdTuples(s->res);
			k->changes = n && *n ? strtoll(n, NULL, 10) : 0;
			k->total_changes += k->changes;
			int rc = drain_touched(s->db);
			if (rc != ENG_OK)
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

/* What every session needs, on opening and after a reconnection, in one
 * round trip: the notifications of others' changes. The table the
 * triggers note touched rows in (the session's own) is made by the first
 * change (pg_begin), so a session that only reads never writes the
 * server's catalogue for it. */
static int session_setup(ho_db *db)
{
	return exec_cmd(db, "SET client_min_messages = warning; LISTEN handover");
}

/* A connection the server dropped (restarted, or a network gone) is made
 * again, once, between changes: never inside one, whose work went with
 * the old connection. The statements are prepared again on first use.
 * ENG_OK when the connection is (again) good. */
static int reconnect(ho_db *db)
{
	struct eng_conn *k = db->conn;
	if (PQstatus(k->c) == CONNECTION_OK)
		return ENG_OK;
	PQreset(k->c);
	if (PQstatus(k->c) != CONNECTION_OK) {
		char one[160];
		snprintf(one, sizeof one, "%s", PQerrorMessage(k->c));
		one[strcspn(one, "\r\n")] = '\0';
		snprintf(k->lost, sizeof k->lost,
		         "the connection to the database was lost and cannot be made again (%s)",
		         one[0] ? one : "no answer");
		return ENG_IOERR;
	}
	for (int i = 0; i < STMT__COUNT; i++) {
		clear_result(&k->stmts[i]);
		k->stmts[i].prepared = 0;
	}
	k->news = 1; /* whatever happened meanwhile was not notified to us */
	return session_setup(db);
}

/* A change waits for a server that is restarting as it waits for another's
 * change (the busy timeout): tried again every tenth of a second. */
static int reconnect_wait(ho_db *db, int wait_ms)
{
	struct timespec t0, now, pause = {0, 100 * 1000 * 1000};
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		int rc = reconnect(db);
		if (rc == ENG_OK)
			return rc;
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		if (spent >= wait_ms)
			return rc;
		db->conn->lost[0] = '\0';
		nanosleep(&pause, NULL);
	}
}

/* A statement failed: if it was because the connection went, say so
 * plainly (the server rolled back the change that was open on it). */
static int note_lost(ho_db *db, int rc)
{
	struct eng_conn *k = db->conn;
	if (rc != ENG_OK && PQstatus(k->c) != CONNECTION_OK && !k->lost[0])
		snprintf(k->lost, sizeof k->lost,
		         "the connection to the database was lost; the change was not saved");
	return rc;
}

static int pg_begin(ho_db *db, int write)
{
	/* A run of reads (a document, a copy) sees one state of the database,
	 * as a read transaction on a SQLite file does; a change reads what it
	 * checks after taking the write lock. */
	struct eng_conn *k = db->conn;
	k->lost[0] = '\0';
	k->xid = 0;
	k->reading = 0;
	int rc = write ? reconnect_wait(db, db->busy_now) : reconnect(db);
	if (rc != ENG_OK)
		return rc;
	/* A change begins in one round trip: the transaction, its lock
	 * timeout, the session's table of touched rows (made by its first
	 * change; a change rolled back takes it with it, and the next makes
	 * it again), the write lock and the transaction's id, so that a
	 * COMMIT whose answer never came can be looked up rather than
	 * guessed (pg_commit). */
	char sql[320];
	if (write)
		snprintf(sql, sizeof sql,
		         "BEGIN; SET LOCAL lock_timeout = %d; "
		         "CREATE TEMP TABLE IF NOT EXISTS ho_touched (seq bigserial, tbl text, "
		         "id bigint); "
		         "SELECT pg_advisory_xact_lock(" PG_WRITE_LOCK "), txid_current()",
		         db->busy_now);
	else
		snprintf(sql, sizeof sql, "BEGIN ISOLATION LEVEL REPEATABLE READ");
	PGresult *r = PQexec(k->c, sql);
	/* A connection dropped while idle is found dead only now: nothing was
	 * begun on it, so a new one may begin instead. */
	if (PQresultStatus(r) == PGRES_FATAL_ERROR && PQstatus(k->c) != CONNECTION_OK) {
		PQclear(r);
		if ((rc = write ? reconnect_wait(db, db->busy_now) : reconnect(db)) != ENG_OK)
			return rc;
		r = PQexec(k->c, sql);
	}
	if (write && PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1) {
		k->xid = strtoll(PQgetvalue(r, 0, 1), NULL, 10);
		rc = ENG_OK;
	} else if (!write && PQresultStatus(r) == PGRES_COMMAND_OK) {
		rc = ENG_OK;
	} else {
		rc = result_rc(r);
		if (rc == ENG_OK)
			rc = ENG_ERROR;
	}
	PQclear(r);
	if (rc != ENG_OK && PQtransactionStatus(k->c) != PQTRANS_IDLE &&
	    PQstatus(k->c) == CONNECTION_OK)
		exec_cmd(db, "ROLLBACK");
	if (rc == ENG_OK && !write) {
		k->reading = 1;
		k->version = -1;
	}
	return note_lost(db, rc);
}

/* The COMMIT of a change whose connection broke before the answer came:
 * it may or may not have been saved. Never sent again blindly: once
 * connected again, the server says what became of the transaction. */
static int commit_outcome(ho_db *db)
{
	struct eng_conn *k = db->conn;
	long long xid = k->xid;
	k->xid = 0;
	if (xid == 0 || reconnect_wait(db, db->busy_now) != ENG_OK) {
		snprintf(k->lost, sizeof k->lost,
		         "the connection to the database was lost while saving: whether the change "
		         "was saved is not known; look before doing it again");
		return ENG_IOERR;
	}
	char sql[64];
	snprintf(sql, sizeof sql, "SELECT txid_status(%lld)", xid);
	PGresult *r = PQexec(k->c, sql);
	const char *v =
	    PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 && !PQgetisnull(r, 0, 0)
	        ? PQgetvalue(r, 0, 0)
	        : "";
	int rc = ENG_IOERR;
	if (strcmp(v, "committed") == 0)
		rc = ENG_OK;
	else if (strcmp(v, "aborted") == 0)
		snprintf(k->lost, sizeof k->lost,
		         "the connection to the database was lost; the change was not saved");
	else
		snprintf(k->lost, sizeof k->lost,
		         "the connection to the database was lost while saving: whether the change "
		         "was saved is not known; look before doing it again");
	PQclear(r);
	return rc;
}

static int pg_commit(ho_db *db)
{
	struct eng_conn *k = db->conn;
	k->reading = 0;
	int rc = exec_cmd(db, "COMMIT");
	if (rc != ENG_OK && PQstatus(k->c) != CONNECTION_OK)
		return commit_outcome(db);
	k->xid = 0;
	if (rc != ENG_OK)
		exec_cmd(db, "ROLLBACK");
	return rc;
}

static void pg_rollback(ho_db *db)
{
	db->conn->xid = 0;
	db->conn->reading = 0;
	if (PQstatus(db->conn->c) == CONNECTION_OK)
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
	/* Made again only between changes: inside one, the rest of its
	 * statements would run outside the transaction the server dropped. */
	if (PQstatus(k->c) != CONNECTION_OK && (db->tx_depth > 0 || reconnect(db) != ENG_OK))
		return -1;
	/* Inside a read transaction the snapshot cannot move: what was read
	 * in it holds until it ends, so a screen's several memos (functions,
	 * state, head) ask the server once per read, not once each. */
	if (k->reading && k->version >= 0 && PQtransactionStatus(k->c) == PQTRANS_INTRANS)
		return k->version;
	PGnotify *n;
	if (PQconsumeInput(k->c))
		while ((n = PQnotifies(k->c)) != NULL)
			PQfreemem(n);
	k->news = 0;
	PGresult *r = PQexec(k->c, "SELECT COALESCE(max(id), 0) FROM events");
	int64_t v = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1
	                ? strtoll(PQgetvalue(r, 0, 0), NULL, 10)
	                : -1;
	PQclear(r);
	if (k->reading)
		k->version = v;
	return v;
}

static int pg_change_fd(ho_db *db)
{
	struct eng_conn *k = db->conn;
	return PQstatus(k->c) == CONNECTION_OK ? PQsocket(k->c) : -1;
}

/* Notifications may already sit in libpq's buffer, read in with some
 * query's answer: those never make the socket readable again, so this is
 * asked before waiting as well as after. */
static int pg_change_ready(ho_db *db)
{
	struct eng_conn *k = db->conn;
	int news = k->news;
	k->news = 0;
	if (PQstatus(k->c) != CONNECTION_OK)
		return 1; /* lost: ho_changed() reconnects and rereads */
	/* Read all that came: a server going away sends its goodbye and then
	 * closes, and only the second read sees the connection closed. */
	for (int i = 0; i < 8 && PQstatus(k->c) == CONNECTION_OK; i++) {
		PQconsumeInput(k->c);
		struct pollfd p = {.fd = PQsocket(k->c), .events = POLLIN};
		if (p.fd < 0 || poll(&p, 1, 0) <= 0)
			break;
	}
	PGnotify *n;
	while ((n = PQnotifies(k->c)) != NULL) {
		PQfreemem(n);
		news = 1;
	}
	return news || PQstatus(k->c) != CONNECTION_OK;
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

/* The first row of a one-column query, into out ("" when none); 0 when
 * the query failed. */
static int first_value(ho_db *db, const char *sql, char *out, size_t size)
{
	PGresult *r = PQexec(db->conn->c, sql);
	int ok = PQresultStatus(r) == PGRES_TUPLES_OK;
	snprintf(out, size, "%s", ok && PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
	PQclear(r);
	return ok;
}

/* The tables schema/pg makes: one gone is named, rather than every later
 * command failing with an SQL error. */
static const char check_tables_sql[] =
    "SELECT t FROM unnest(ARRAY['handover_format', 'meta', 'people', 'person_roles', "
    "'handovers', 'functions', 'items', 'thread', 'events', 'risks', 'deep_dives', "
    "'dive_actions', 'seen']) AS t WHERE to_regclass(t) IS NULL LIMIT 1";

/* Each guard is there, enabled, on every row of events, and calls the
 * function that refuses (whose body still raises): a guard renamed onto a
 * function that lets changes through is as good as dropped. */
static const char check_guards_sql[] =
    "SELECT g FROM unnest(ARRAY['events_no_update', 'events_no_delete']) AS g "
    "WHERE NOT EXISTS (SELECT 1 FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid "
    "WHERE t.tgname = g AND t.tgrelid = 'events'::regclass AND NOT t.tgisinternal "
    "AND t.tgenabled IN ('O', 'A') AND p.proname = 'handover_history_append_only' "
    "AND p.prosrc LIKE '%RAISE EXCEPTION%') LIMIT 1";

/* The foreign keys as the catalogue has them, each turned into a query for
 * a row whose reference has no row (the database's owner can switch the
 * checks off for a session, as sqlite3 can with PRAGMA foreign_keys). */
static const char check_references_sql[] =
    "SELECT format('SELECT %L, %L FROM %I c WHERE c.%I IS NOT NULL AND NOT EXISTS "
    "(SELECT 1 FROM %I p WHERE p.%I = c.%I) LIMIT 1', cl.relname, rl.relname, cl.relname, "
    "ca.attname, rl.relname, ra.attname, ca.attname) "
    "FROM pg_constraint k JOIN pg_class cl ON cl.oid = k.conrelid "
    "JOIN pg_class rl ON rl.oid = k.confrelid "
    "JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = k.conkey[1] "
    "JOIN pg_attribute ra ON ra.attrelid = k.confrelid AND ra.attnum = k.confkey[1] "
    "WHERE k.contype = 'f' AND cardinality(k.conkey) = 1 "
    "AND k.connamespace = current_schema()::regnamespace ORDER BY k.conname";

static ho_status check_references(ho_db *db)
{
	PGresult *q = PQexec(db->conn->c, check_references_sql);
	if (PQresultStatus(q) != PGRES_TUPLES_OK) {
		int rc = result_rc(q);
		PQclear(q);
		return pg_fail(db, rc, "checking references");
	}
	ho_status st = HO_OK;
	for (int i = 0; i < PQntuples(q) && st == HO_OK; i++) {
		PGresult *r = PQexec(db->conn->c, PQgetvalue(q, i, 0));
		if (PQresultStatus(r) != PGRES_TUPLES_OK)
			st = pg_fail(db, result_rc(r), "checking references");
		else if (PQntuples(r) > 0)
			st =
			    store_fail(db, HO_EBADFILE, "a row of %s refers to a missing row of %s",
			               PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
		PQclear(r);
	}
	PQclear(q);
	return st;
}

/* ---- logins ------------------------------------------------------------------ */

/* Who the session is: its login (session_user, which SET ROLE does not
 * change) and whether it is the owner (a superuser, or a member of the
 * role owning the tables), who may act as anyone. */
/* Who the session is, and whether it owns the tables: two columns any
 * query on the database can carry. */
#define SESSION_COLUMNS                                                                            \
	"session_user, COALESCE((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), "    \
	"false) OR pg_has_role(session_user, (SELECT relowner FROM pg_class WHERE oid = "          \
	"'handover_format'::regclass), 'MEMBER')"

static ho_status session_from(ho_db *db, PGresult *r, int col)
{
	free(db->session_login);
	db->session_login = strdup(PQgetvalue(r, 0, col));
	db->session_owner = PQgetvalue(r, 0, col + 1)[0] == 't';
	return db->session_login ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
}

static ho_status pg_learn_session(ho_db *db)
{
	PGresult *r = PQexec(db->conn->c, "SELECT " SESSION_COLUMNS);
	if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
		int rc = result_rc(r);
		PQclear(r);
		return pg_fail(db, rc, "reading who the session is");
	}
	ho_status st = session_from(db, r, 0);
	PQclear(r);
	return st;
}

/* A refusal by one of the functions of schema/pg/002, as a status: its own message. */
static ho_status login_call_fail(ho_db *db, PGresult *r, const char *what)
{
	const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
	const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
	ho_status st = HO_EIO;
	if (state && strcmp(state, "42501") == 0)
		st = HO_EPERM;
	else if (state && strcmp(state, "42710") == 0)
		st = HO_EEXIST;
	else if (state && strcmp(state, "22023") == 0)
		st = HO_EUSAGE;
	else if (sqlstate_rc(state) == ENG_BUSY)
		st = HO_EBUSY;
	const char *prefix = "handover: ";
	if (msg && strncmp(msg, prefix, strlen(prefix)) == 0)
		msg += strlen(prefix);
	return store_fail(db, st, "%s: %s", what, msg ? msg : "database error");
}

/* The password goes to the server as libpq's SCRAM verifier, never as
 * text: neither a statement log nor pg_stat_activity shows it. */
static ho_status pg_login_grant(ho_db *db, const char *login, const char *password)
{
	PGconn *c = db->conn->c;
	PGresult *r;
	if (password) {
		char *verifier = PQencryptPasswordConn(c, password, login, "scram-sha-256");
		if (!verifier)
			return store_fail(db, HO_EIO, "creating the login: %s", PQerrorMessage(c));
		const char *params[2] = {login, verifier};
		r = PQexecParams(c, "SELECT handover_create_login($1, $2)", 2, NULL, params, NULL,
		                 NULL, 0);
		PQfreemem(verifier);
		ho_status st = PQresultStatus(r) == PGRES_TUPLES_OK
		                   ? HO_OK
		                   : login_call_fail(db, r, "creating the login");
		PQclear(r);
		return st;
	}
	const char *params[1] = {login};
	r = PQexecParams(c, "SELECT handover_map_login($1)", 1, NULL, params, NULL, NULL, 0);
	ho_status st = HO_OK;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		st = login_call_fail(db, r, "giving the login a person's rights");
	else if (PQgetvalue(r, 0, 0)[0] != 't')
		st = store_fail(db, HO_ENOTFOUND, "there is no database login '%s'", login);
	PQclear(r);
	return st;
}

static ho_status pg_login_revoke(ho_db *db, const char *login, int *revoked)
{
	const char *params[1] = {login};
	PGresult *r = PQexecParams(db->conn->c, "SELECT handover_unmap_login($1)", 1, NULL, params,
	                           NULL, NULL, 0);
	ho_status st = HO_OK;
	*revoked = 0;
	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		st = login_call_fail(db, r, "taking the login's rights back");
	else
		*revoked = PQgetvalue(r, 0, 0)[0] == 't';
	PQclear(r);
	return st;
}

/* ---- check: the guards and the grants ------------------------------------------ */

/* Each query names what is wrong, one row each; none: all is well. The
 * tables are the handover_format table's schema's. */
static const struct {
	const char *what;
	const char *sql;
} pg_checks[] = {
    {"guard trigger missing or disabled",
     "SELECT t FROM unnest(ARRAY['events_no_update','events_no_delete','events_no_truncate',"
     "'events_guard','items_guard','functions_guard','thread_guard','risks_guard',"
     "'deep_dives_guard','dive_actions_guard','seen_guard','handovers_guard','people_guard',"
     "'person_roles_guard','meta_guard','meta_recorded','people_recorded',"
     "'person_roles_recorded','handovers_recorded','functions_recorded','items_recorded',"
     "'thread_recorded','risks_recorded','deep_dives_recorded','dive_actions_recorded']) AS t "
     "WHERE NOT EXISTS (SELECT 1 FROM pg_trigger g JOIN "
     "pg_class c ON c.oid = g.tgrelid JOIN pg_class f ON f.oid = "
     "'handover_format'::regclass WHERE g.tgname = t AND NOT g.tgisinternal AND g.tgenabled "
     "IN ('O', 'A') AND c.relnamespace = f.relnamespace)"},
    {"guard function missing, not SECURITY DEFINER, or without a fixed search_path",
     "SELECT f FROM unnest(ARRAY['handover_guard_items','handover_guard_functions',"
     "'handover_guard_events','handover_guard_thread','handover_guard_risks',"
     "'handover_guard_seen','handover_guard_lead_only','handover_guard_recorded',"
     "'handover_guarded_person',"
     "'handover_session_person','handover_session_is_lead','handover_session_is_owner',"
     "'handover_create_login','handover_map_login','handover_unmap_login']) AS f WHERE NOT "
     "EXISTS (SELECT 1 FROM pg_proc p JOIN pg_class t ON t.oid = 'handover_format'::regclass "
     "WHERE p.proname = f AND p.pronamespace = t.relnamespace AND p.prosecdef AND "
     "p.proowner = t.relowner AND EXISTS (SELECT 1 FROM unnest(p.proconfig) o WHERE o LIKE "
     "'search\\_path=%'))"},
    {"table not owned by the owner of the database's tables",
     "SELECT c.relname FROM pg_class c JOIN pg_class f ON f.oid = 'handover_format'::regclass "
     "WHERE c.relnamespace = f.relnamespace AND c.relkind IN ('r', 'p') AND c.relname IN "
     "('meta','people','person_roles','handovers','functions','items','thread','events',"
     "'risks','deep_dives','dive_actions','seen') AND c.relowner <> f.relowner"},
    {"PUBLIC holds a privilege on",
     "SELECT DISTINCT c.relname FROM pg_class c JOIN pg_class f ON f.oid = "
     "'handover_format'::regclass, aclexplode(c.relacl) a WHERE c.relnamespace = "
     "f.relnamespace AND c.relkind IN ('r', 'p', 'S') AND a.grantee = 0"},
    {"a privilege beyond what handover_user needs (no DELETE or TRUNCATE of the history)",
     "SELECT c.relname || ' ' || a.privilege_type FROM pg_class c JOIN pg_class f ON f.oid = "
     "'handover_format'::regclass, aclexplode(c.relacl) a JOIN pg_roles u ON u.oid = "
     "a.grantee AND u.rolname = 'handover_user' WHERE c.relnamespace = f.relnamespace AND "
     "c.relkind IN ('r', 'p') AND (a.privilege_type IN ('TRUNCATE', 'REFERENCES', 'TRIGGER') "
     "OR (a.privilege_type = 'DELETE' AND c.relname NOT IN ('person_roles', 'thread')) OR "
     "(a.privilege_type IN ('INSERT', 'UPDATE') AND c.relname IN ('handover_format', 'meta')) "
     "OR (a.privilege_type = 'UPDATE' AND c.relname = 'events'))"},
    {"the group role handover_user is missing or can log in",
     "SELECT 'handover_user' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = "
     "'handover_user' AND NOT rolcanlogin AND NOT rolsuper)"},
};

static ho_status pg_check_guards(ho_db *db)
{
	for (size_t i = 0; i < sizeof pg_checks / sizeof pg_checks[0]; i++) {
		PGresult *r = PQexec(db->conn->c, pg_checks[i].sql);
		if (PQresultStatus(r) != PGRES_TUPLES_OK) {
			int rc = result_rc(r);
			PQclear(r);
			return pg_fail(db, rc, "checking the guards and grants");
		}
		if (PQntuples(r) > 0) {
			char names[256] = "";
			size_t used = 0;
			for (int j = 0; j < PQntuples(r) && used + 2 < sizeof names; j++)
				used += (size_t)snprintf(names + used, sizeof names - used, "%s%s",
				                         j ? ", " : "", PQgetvalue(r, j, 0));
			PQclear(r);
			return store_fail(
			    db, HO_EBADFILE,
			    "%s: %s (the database was changed outside handover; its "
			    "owner can restore it from schema/pg/002-logins-and-guards.sql)",
			    pg_checks[i].what, names);
		}
		PQclear(r);
	}
	return HO_OK;
}

static ho_status pg_check(ho_db *db)
{
	char name[64];
	if (!first_value(db, check_tables_sql, name, sizeof name))
		return pg_fail(db, ENG_ERROR, "checking the schema");
	if (name[0])
		return store_fail(db, HO_EBADFILE,
		                  "table %s is missing: the database was edited outside handover",
		                  name);
	if (!first_value(db, check_guards_sql, name, sizeof name))
		return pg_fail(db, ENG_ERROR, "checking the history's guards");
	if (name[0])
		return store_fail(db, HO_EBADFILE,
		                  "trigger %s is missing or guards nothing (a history guard): the "
		                  "database was edited outside handover",
		                  name);
	ho_status st = pg_check_guards(db);
	return st != HO_OK ? st : check_references(db);
}

/* A backup of a database on a server is a SQLite handover file: the
 * region's handover taken offline, opened like any other file. */
static ho_status pg_backup(ho_db *db, const char *out, int flags)
{
	if (ho_location_is_server(out))
		return store_fail(db, HO_EUSAGE,
		                  "a backup is a file: to copy into another database use 'handover "
		                  "copy'");
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

/* A login the database grants nothing (never a person's, or a leaver's):
 * said as such, not as a database that is not ours. */
static ho_status pg_refuse_login(ho_db *db)
{
	const char *user = PQuser(db->conn->c);
	return store_fail(db, HO_EPERM,
	                  "the database login '%s' has no rights on this handover database "
	                  "(not one of its people, or has left); a lead gives them with "
	                  "'handover people add %s --name NAME --role ROLE'",
	                  user ? user : "", user ? user : "LOGIN");
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
static ho_status migrate(ho_db *db, int *learned)
{
	PGconn *c = db->conn->c;
	/* A database already of this program's format (the usual opening)
	 * is known so in one round trip, without the write lock: a format
	 * only ever goes up, and one this program knows fully needs nothing
	 * done. Anything else (no such table, another format, no right to
	 * read it, init) is looked at under the lock below. */
	if (!(db->flags & HO_OPEN_CREATE)) {
		PGresult *f = PQexec(c, "SELECT application_id, version, " SESSION_COLUMNS
		                        " FROM handover_format");
		int current =
		    PQresultStatus(f) == PGRES_TUPLES_OK && PQntuples(f) == 1 &&
		    strtoll(PQgetvalue(f, 0, 0), NULL, 10) == PG_APPLICATION &&
		    strtoll(PQgetvalue(f, 0, 1), NULL, 10) == (long long)pg_migration_count;
		ho_status st = current ? session_from(db, f, 2) : HO_OK;
		PQclear(f);
		if (current) {
			*learned = st == HO_OK;
			return st;
		}
	}
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
		/* init never takes over a database in use, as it never overwrites
		 * a file with anything in it. */
		if (db->flags & HO_OPEN_CREATE)
			return store_fail(
			    db, HO_EEXIST,
			    "%s: already exists (it holds other tables); not overwritten",
			    db->path);
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
		int denied = result_rc(r) == ENG_AUTH;
		PQclear(r);
		if (denied) {
			pg_rollback(db);
			return pg_refuse_login(db);
		}
	}
	ho_status st = HO_OK;
	if (app != PG_APPLICATION)
		st = store_fail(db, HO_EBADFILE, "%s: not a handover database", db->path);
	else if (version > (long long)pg_migration_count)
		st = store_fail(db, HO_EBADFILE,
		                "%s: made by a newer handover (format %lld; this program knows up "
		                "to %zu); upgrade handover",
		                db->path, version, pg_migration_count);
	/* init over a handover that has people or history refuses, as over a
	 * file: only one an interrupted init left empty is finished. */
	if (st == HO_OK && ours && (db->flags & HO_OPEN_CREATE)) {
		r = PQexec(c,
		           "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM events)");
		int empty = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		            strcmp(PQgetvalue(r, 0, 0), "0") == 0;
		PQclear(r);
		if (!empty)
			st = store_fail(db, HO_EEXIST, "%s: already exists; not overwritten",
			                db->path);
	}
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
	/* A database with content from before its rows had the columns they
	 * have now (003): what it holds now is the baseline later changes are
	 * proved against, as for a SQLite file of format 7. */
	if (version > 0 && version < PG_STATE_COLUMNS_FORMAT) {
		r = PQexec(c,
		           "SELECT (SELECT count(*) FROM events) + (SELECT count(*) FROM people)");
		int held = PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
		           strcmp(PQgetvalue(r, 0, 0), "0") != 0;
		PQclear(r);
		if (held && (st = store_state_baseline(db)) != HO_OK) {
			pg_rollback(db);
			return st;
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

/* The server's notices (a connection terminated, a NOTICE from a
 * migration) would be printed over the screen: the failures that matter
 * reach the person through the statement that failed. */
static void quiet_notices(void *arg, const char *message)
{
	(void)arg;
	(void)message;
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
	PQsetNoticeProcessor(db->conn->c, quiet_notices, NULL);
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
	if (session_setup(db) != ENG_OK)
		return store_fail(db, HO_EIO, "opening the database: %s",
		                  PQerrorMessage(db->conn->c));
	int learned = 0; /* the session was read with the format */
	ho_status st = (db->flags & STORE_OPEN_FILL) ? fill_begin(db) : migrate(db, &learned);
	if (st == HO_OK && !learned)
		st = pg_learn_session(db);
	if (st != HO_OK)
		return st;
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
	free(db->session_login);
	db->session_login = NULL;
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
    .change_fd = pg_change_fd,
    .change_ready = pg_change_ready,
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
    .login_grant = pg_login_grant,
    .login_revoke = pg_login_revoke,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .ids_follow = pg_ids_follow,
};
