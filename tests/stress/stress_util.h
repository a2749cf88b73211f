/* Helpers shared by the stress and crash programs: a seeded random number
 * generator (so a failing run can be repeated from the seed it prints),
 * logs that survive a crash, and token sets for "is every change there". */
#ifndef HANDOVER_STRESS_UTIL_H
#define HANDOVER_STRESS_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "handover/handover.h"

/* xorshift64*: small, fast, and the same sequence on every machine. */
typedef struct su_rng {
	uint64_t s;
} su_rng;
void su_rng_seed(su_rng *r, uint64_t seed);
uint64_t su_rng_next(su_rng *r);
/* Uniform in [0, n) (n > 0). */
unsigned su_rng_below(su_rng *r, unsigned n);

/* Print "ho-stress: message" to stderr and exit 2 (set-up failure, not a
 * finding). */
void su_die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* A failed check: print it and count it; the program fails at the end. */
void su_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int su_failures(void);
void su_set_name(const char *name);

/* mkdir -p for one level; dies on failure other than EEXIST. */
void su_mkdir(const char *path);
/* An option's value as a number in [lo, hi]; else usage() (which exits). */
long su_number(const char *s, long lo, long hi, void (*usage)(void));
/* --journal wal|delete|both as a list of modes; 0 when the word is wrong. */
int su_journal_modes(const char *journal, const char *modes[2]);
/* The working folder: `dir` when given (made if missing; returns 0), else a
 * new one under $TMPDIR or /tmp named PREFIX-XXXXXX, written into dir
 * (returns 1: the program's own, to remove after a clean run). */
int su_work_dir(char *dir, size_t size, const char *prefix);
/* rm -rf path (used for work directories we made ourselves). */
void su_rmtree(const char *path);
/* Milliseconds on a monotonic clock (for reported figures only). */
int64_t su_ms(void);
/* Sleep for ms milliseconds. */
void su_sleep_ms(unsigned ms);

/* Append one line to an open log and fsync it, so a line in the log means
 * the change it names was reported done before the process died. */
void su_log_line(int fd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read a whole file into a NUL-terminated buffer (caller frees); NULL when
 * it cannot be read. */
char *su_read_file(const char *path, size_t *len);

/* A sorted set of strings with counts (a multiset), for comparing what
 * the workers logged against what the file recorded. */
typedef struct su_bag {
	char **keys;
	int *counts;
	size_t n, cap;
	int sorted;
} su_bag;
void su_bag_add(su_bag *b, const char *key);
/* How many times key was added. */
int su_bag_count(su_bag *b, const char *key);
/* Sort (after the last add, before lookups). */
void su_bag_seal(su_bag *b);
void su_bag_free(su_bag *b);

/* Create a new handover file at path with lead "lead" (ho_init, empty);
 * returns the open handle acting as the lead. */
ho_db *su_create(const char *path);
/* Open an existing file as login; dies when the file cannot be opened. */
ho_db *su_open_as(const char *path, const char *login);
/* A person, a function or an item added by the lead; dies on failure. */
void su_must(ho_db *db, ho_status st, const char *what);

/* Find the first "tok-..." word in text and copy it to out (size bytes);
 * returns 1 when found. */
int su_token_in(const char *text, char *out, size_t size);

/* $HO_TEST_PG, the test server (a superuser's conninfo without dbname);
 * NULL, with the reason printed for the skip, when there is none. */
const char *su_pg_server(const char *tool);

#endif
