#define _GNU_SOURCE
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <ctype.h>
#include <errno.h>
#include <libpq-fe.h>
#include <sqlite3.h>

static char tu_dirbuf[256];

/* $HO_TEST_ENGINE=postgresql runs the tests on PostgreSQL: $HO_TEST_PG is
 * a libpq conninfo for a server (a superuser, no dbname; ./scripts/test
 * starts a throw-away one), and every test "file" is a database of its own
 * there, made afresh by tu_new_file(). */
const char *tu_pg(void)
{
	const char *e = getenv("HO_TEST_ENGINE"), *v = getenv("HO_TEST_PG");
	if (!e || strcmp(e, "postgresql") != 0)
		return NULL;
	return v && *v ? v : NULL;
}

/* A program asked to run on PostgreSQL without a server to run on says why
 * in one line and exits 77 (ctest: skipped), before any test runs: it must
 * never quietly run on SQLite instead. */
__attribute__((constructor)) static void tu_pg_need(void)
{
	const char *e = getenv("HO_TEST_ENGINE");
	if (!e || strcmp(e, "postgresql") != 0)
		return;
	const char *v = getenv("HO_TEST_PG");
	if (!v || !*v) {
		printf("skipped: HO_TEST_ENGINE=postgresql but no server: set HO_TEST_PG to a "
		       "superuser's conninfo (./scripts/test starts one with pg_virtualenv)\n");
		exit(77);
	}
	char conn[1024];
	snprintf(conn, sizeof conn, "%s dbname=postgres connect_timeout=10", v);
	PGconn *c = PQconnectdb(conn);
	if (PQstatus(c) != CONNECTION_OK) {
		char one[300];
		snprintf(one, sizeof one, "%s", PQerrorMessage(c));
		one[strcspn(one, "\r\n")] = '\0';
		printf("skipped: the PostgreSQL server in HO_TEST_PG cannot be reached: %s\n", one);
		PQfinish(c);
		exit(77);
	}
	PQfinish(c);
}

/* The database for a test file: named after the program and the file, so
 * programs run side by side (ctest -j) never share or drop each other's,
 * and kept within PostgreSQL's 63 bytes by a hash of the whole name. */
static void pg_dbname(const char *name, char *out, size_t size)
{
	char whole[512], hex[65];
	size_t n = 0;
	snprintf(whole, sizeof whole, "%s_%s", program_invocation_short_name, name);
	for (const char *p = whole; *p && n + 1 < sizeof whole; p++)
		whole[n++] = isalnum((unsigned char)*p) ? (char)tolower((unsigned char)*p) : '_';
	whole[n] = '\0';
	if (n <= 50) {
		snprintf(out, size, "ho_%s", whole);
		return;
	}
	ho_sha256_hex(whole, n, hex);
	snprintf(out, size, "ho_%.38s_%.12s", whole, hex);
}

static void pg_fresh(const char *name)
{
	char db[80], conn[1024], sql[200];
	pg_dbname(name, db, sizeof db);
	snprintf(conn, sizeof conn, "%s dbname=postgres", tu_pg());
	PGconn *c = PQconnectdb(conn);
	if (PQstatus(c) != CONNECTION_OK)
		fail_msg("HO_TEST_PG: %s", PQerrorMessage(c));
	PQclear(PQexec(c, "SET client_min_messages = warning"));
	snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", db);
	PQclear(PQexec(c, sql));
	snprintf(sql, sizeof sql, "CREATE DATABASE %s", db);
	PGresult *r = PQexec(c, sql);
	if (PQresultStatus(r) != PGRES_COMMAND_OK)
		fail_msg("%s: %s", sql, PQresultErrorMessage(r));
	PQclear(r);
	PQfinish(c);
}

const char *tu_dir(void)
{
	if (!tu_dirbuf[0]) {
		snprintf(tu_dirbuf, sizeof tu_dirbuf, "%s/ho-test-XXXXXX",
		         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(tu_dirbuf))
			fail_msg("mkdtemp failed");
	}
	return tu_dirbuf;
}

const char *tu_path(const char *name)
{
	static char bufs[8][512];
	static int next;
	char *b = bufs[next++ % 8];
	if (tu_pg()) {
		char db[80];
		pg_dbname(name, db, sizeof db);
		snprintf(b, 512, "%s dbname=%s", tu_pg(), db);
		return b;
	}
	snprintf(b, 512, "%s/%s", tu_dir(), name);
	return b;
}

const char *tu_shown_name(const char *name)
{
	static char b[80];
	if (tu_pg())
		pg_dbname(name, b, sizeof b);
	else
		snprintf(b, sizeof b, "%s", name);
	return b;
}

const char *tu_new_database(const char *name)
{
	const char *path = tu_path(name);
	if (tu_pg())
		pg_fresh(name);
	else
		unlink(path);
	return path;
}

ho_db *tu_new_file(const char *name, int empty, int demo)
{
	ho_db *db = NULL;
	const char *path = tu_path(name);
	if (tu_pg())
		pg_fresh(name);
	else
		unlink(path);
	ho_status st = ho_open(path, HO_OPEN_CREATE, &db);
	if (st != HO_OK)
		fail_msg("open %s: %s", path, db ? ho_errmsg(db) : ho_strerror(st));
	ho_init_opts o = {.title = "Test file",
	                  .login = "lead",
	                  .name = "Lee Lead",
	                  .empty = empty,
	                  .demo = demo};
	st = ho_init(db, &o);
	if (st != HO_OK)
		fail_msg("init: %s", ho_errmsg(db));
	return db;
}

ho_db *tu_open_as(const char *path, const char *login)
{
	ho_db *db = NULL;
	ho_status st = ho_open(path, 0, &db);
	if (st != HO_OK)
		fail_msg("open %s: %s", path, db ? ho_errmsg(db) : ho_strerror(st));
	ho_set_actor(db, login);
	return db;
}

/* On PostgreSQL, what the "file" holds: every table's rows, in order, as
 * text (the same for the same contents, different after any change). */
static void pg_content_hash(const char *path, char out[65])
{
	out[0] = '\0';
	PGconn *c = PQconnectdb(path);
	if (PQstatus(c) != CONNECTION_OK) {
		PQfinish(c);
		return;
	}
	PGresult *t = PQexec(c, "SELECT format('SELECT %L || '':'' || COALESCE(string_agg(t::text, "
	                        "'','' ORDER BY t::text), '''') FROM %I t', tablename, tablename) "
	                        "FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1");
	size_t cap = 1 << 12, len = 0;
	char *buf = calloc(1, cap);
	for (int i = 0; buf && PQresultStatus(t) == PGRES_TUPLES_OK && i < PQntuples(t); i++) {
		PGresult *r = PQexec(c, PQgetvalue(t, i, 0));
		const char *v = PQresultStatus(r) == PGRES_TUPLES_OK ? PQgetvalue(r, 0, 0) : "?";
		size_t n = strlen(v) + 1;
		while (len + n + 1 > cap)
			buf = realloc(buf, cap *= 2);
		memcpy(buf + len, v, n - 1);
		buf[len + n - 1] = '\n';
		len += n;
		PQclear(r);
	}
	PQclear(t);
	PQfinish(c);
	if (buf)
		ho_sha256_hex(buf, len, out);
	free(buf);
}

void tu_file_hash(const char *path, char out[65])
{
	out[0] = '\0';
	if (tu_pg() && strstr(path, "dbname=")) {
		pg_content_hash(path, out);
		return;
	}
	FILE *f = fopen(path, "rb");
	if (!f)
		return;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	ho_sha256_hex(buf, len, out);
	free(buf);
}

void tu_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s", path);
	fwrite(data, 1, len, f);
	fclose(f);
}

void tu_cleanup(void)
{
	if (tu_dirbuf[0]) {
		char cmd[400];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tu_dirbuf);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", tu_dirbuf);
		tu_dirbuf[0] = '\0';
	}
}

/* The edits are written once, in SQLite's SQL; the few forms about the
 * file's own guards are spelled as PostgreSQL spells them (the guards are
 * the same two triggers on events, over handover_history_append_only()). */
static const char *const pg_spellings[][2] = {
    {"DROP TRIGGER events_no_update", "DROP TRIGGER events_no_update ON events"},
    {"DROP TRIGGER events_no_delete", "DROP TRIGGER events_no_delete ON events"},
    {"CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
     "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
     "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
     "FOR EACH ROW EXECUTE FUNCTION handover_history_append_only()"},
    {"CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
     "BEGIN SELECT RAISE(ABORT, 'history is append-only'); END",
     "CREATE TRIGGER events_no_delete BEFORE DELETE ON events "
     "FOR EACH ROW EXECUTE FUNCTION handover_history_append_only()"},
    /* A guard that guards nothing. */
    {"CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT 1; END",
     "CREATE FUNCTION guard_nothing() RETURNS trigger LANGUAGE plpgsql AS "
     "'BEGIN RETURN NEW; END'; CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
     "FOR EACH ROW EXECUTE FUNCTION guard_nothing()"},
    /* The owner's way past the foreign keys for one session. */
    {"PRAGMA foreign_keys=OFF", "SET session_replication_role = replica"},
};

static char *pg_spelling(const char *statements)
{
	char *sql = strdup(statements);
	for (size_t i = 0; sql && i < sizeof pg_spellings / sizeof pg_spellings[0]; i++) {
		const char *from = pg_spellings[i][0], *to = pg_spellings[i][1];
		char *at = strstr(sql, from);
		if (!at)
			continue;
		size_t head = (size_t)(at - sql), nf = strlen(from), nt = strlen(to);
		char *next = malloc(strlen(sql) - nf + nt + 1);
		if (!next)
			fail_msg("out of memory");
		memcpy(next, sql, head);
		memcpy(next + head, to, nt);
		strcpy(next + head + nt, at + nf);
		free(sql);
		sql = next;
	}
	if (!sql)
		fail_msg("out of memory");
	return sql;
}

void tu_edit(const char *path, const char *statements)
{
	char *why = tu_try_edit(path, statements);
	if (why)
		fail_msg("%s: %s", statements, why);
}

char *tu_try_edit(const char *path, const char *statements)
{
	static char why[512];
	if (tu_pg()) {
		PGconn *c = PQconnectdb(path);
		if (PQstatus(c) != CONNECTION_OK) {
			snprintf(why, sizeof why, "%s", PQerrorMessage(c));
			PQfinish(c);
			return why;
		}
		PQclear(PQexec(c, "SET client_min_messages = warning"));
		char *sql = pg_spelling(statements);
		/* PQexec runs several statements as one transaction. */
		PGresult *r = PQexec(c, sql);
		free(sql);
		int ok =
		    PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
		if (!ok)
			snprintf(why, sizeof why, "%s", PQresultErrorMessage(r));
		PQclear(r);
		PQfinish(c);
		if (!ok)
			why[strcspn(why, "\r\n")] = '\0';
		return ok ? NULL : why;
	}
	sqlite3 *c = NULL;
	if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
	    SQLITE_OK) {
		snprintf(why, sizeof why, "%s", c ? sqlite3_errmsg(c) : "cannot open");
		sqlite3_close(c);
		return why;
	}
	char *err = NULL;
	int rc = sqlite3_exec(c, statements, NULL, NULL, &err);
	if (rc != SQLITE_OK)
		snprintf(why, sizeof why, "%s", err ? err : sqlite3_errstr(rc));
	sqlite3_free(err);
	sqlite3_close(c);
	return rc == SQLITE_OK ? NULL : why;
}

const char *tu_out(const char *name)
{
	static char bufs[8][512];
	static int next;
	char *b = bufs[next++ % 8];
	snprintf(b, 512, "%s/%s", tu_dir(), name);
	return b;
}

void tu_skip_on_pg(const char *why)
{
	if (!tu_pg())
		return;
	printf("skipped on PostgreSQL: %s\n", why);
	skip();
}

int64_t tu_count(const char *path, const char *table)
{
	char sql[160];
	snprintf(sql, sizeof sql, "SELECT count(*) FROM %s", table);
	int64_t n = -1;
	if (tu_pg()) {
		PGconn *c = PQconnectdb(path);
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
			n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
		PQclear(r);
		PQfinish(c);
	} else {
		sqlite3 *c = NULL;
		sqlite3_stmt *s = NULL;
		if (sqlite3_open_v2(path, &c, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(c, sql, -1, &s, NULL) == SQLITE_OK &&
		    sqlite3_step(s) == SQLITE_ROW)
			n = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
		sqlite3_close(c);
	}
	if (n < 0)
		fail_msg("cannot count %s in %s", table, path);
	return n;
}
