/* handover: test hooks, apart from the core's API. A fixed clock makes
 * documents and screens reproducible; builds for use ignore
 * $HANDOVER_NOW (the front end says so). */
#ifndef HANDOVER_TESTHOOK_H
#define HANDOVER_TESTHOOK_H

#include <stdint.h>

#include "handover/handover.h"

/* 1 when this build honours $HANDOVER_NOW (a fixed clock: a test hook,
 * compiled in only when the tests are built); else the variable is
 * ignored and the front end should say so. */
int ho_clock_env_honoured(void);
/* Fix the clock at `t` (0 returns to the system clock). */
void ho_clock_set(int64_t t);

/* Round trips this process has made to a PostgreSQL server (queries sent
 * and waited for, on every connection), for tests that bound what a
 * screen or a key costs; a SQLite file makes none. */
int64_t ho_server_round_trips(void);

#endif
