/* Helpers shared by the cmocka tests. */
#ifndef HANDOVER_TESTUTIL_H
#define HANDOVER_TESTUTIL_H

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
/* Create a new file at tu_path(name) with ho_init (first lead "lead"),
 * template pod unless empty, demo when asked; returns the open handle. */
ho_db *tu_new_file(const char *name, int empty, int demo);
/* Open an existing file and act as login. */
ho_db *tu_open_as(const char *path, const char *login);
/* SHA-256 of a file's bytes, or "" when unreadable. */
void tu_file_hash(const char *path, char out[65]);
/* Write bytes to a file. */
void tu_write_file(const char *path, const void *data, size_t len);
/* Remove tu_dir() and everything in it. */
void tu_cleanup(void);

#endif
