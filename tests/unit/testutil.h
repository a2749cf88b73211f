/* Helpers shared by the cmocka tests. */
#ifndef HANDOVER_TESTUTIL_H
#define HANDOVER_TESTUTIL_H

#include <stdint.h>

#include "handover/handover.h"
#include "handover/testhook.h"

/* The server's conninfo (no dbname) when the tests run on PostgreSQL
 * ($HO_TEST_ENGINE=postgresql, $HO_TEST_PG), else NULL: the tests run on
 * SQLite files. */
const char *tu_pg(void);
/* A fresh temporary directory (removed by tu_cleanup()); returns its path. */
const char *tu_dir(void);
/* tu_dir()/name in a static buffer (one of 8 rotating). */
const char *tu_path(const char *name);
/* The name documents print for tu_path(name) ("Printed from"): the
 * file's name, or on PostgreSQL the database's. */
const char *tu_shown_name(const char *name);
/* tu_path(name) made ready for a new handover: no file there; on
 * PostgreSQL an empty database of that name. */
const char *tu_new_database(const char *name);
/* Create a new file at tu_path(name) with ho_init (first lead "lead"),
 * template pod unless empty, demo when asked; returns the open handle. */
ho_db *tu_new_file(const char *name, int empty, int demo);
/* Open an existing file and act as login. */
ho_db *tu_open_as(const char *path, const char *login);
/* SHA-256 of a file's bytes, or "" when unreadable; of a database on
 * PostgreSQL (a conninfo: tu_path), of its rows (every table, in order). */
void tu_file_hash(const char *path, char out[65]);
/* Write bytes to a file. */
void tu_write_file(const char *path, const void *data, size_t len);
/* Edit the database behind the program's back, as someone with the sqlite3
 * shell (a file) or psql as the database's owner (PostgreSQL) could: the
 * statements run as given, in the engine's own SQL (ENGINE_SQL picks one
 * of two texts). tu_edit fails the test when they fail; tu_try_edit
 * returns why (static), or NULL. */
void tu_edit(const char *path, const char *statements);
char *tu_try_edit(const char *path, const char *statements);
#define ENGINE_SQL(sqlite_text, pg_text) (tu_pg() ? (pg_text) : (sqlite_text))
/* A file that is not the handover (a document, a backup, a CSV):
 * tu_dir()/name on either engine. */
const char *tu_out(const char *name);
/* On PostgreSQL, say why and skip the running test: the property it tests
 * belongs to files (journal modes, headers, file locks) and has no
 * counterpart on a server. Nothing on SQLite. */
void tu_skip_on_pg(const char *why);
/* The rows of a table, read directly (no handover), on either engine. */
int64_t tu_count(const char *path, const char *table);
/* Remove tu_dir() and everything in it. */
void tu_cleanup(void);

#endif
