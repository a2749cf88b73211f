/* ho-lock: hold a handover file's write lock, the way another program (a
 * colleague's `sqlite3` session, a stuck process) might, for tests of what
 * everyone else sees when a file stays locked longer than they wait.
 *
 * Usage: ho-lock [--exclusive] FILE MILLISECONDS
 * Takes BEGIN IMMEDIATE (writers wait; readers go on) or, with --exclusive,
 * BEGIN EXCLUSIVE (in rollback-journal mode readers wait too), prints
 * "locked" on stdout once it holds the lock, holds it for MILLISECONDS (or
 * until stdin reaches end of file when MILLISECONDS is 0), then rolls back,
 * so the file is never changed. Exit status 0, or 2 when the lock could not
 * be taken. */
#define _POSIX_C_SOURCE 200809L
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int exclusive = argc > 1 && strcmp(argv[1], "--exclusive") == 0;
	if (argc != 3 + exclusive) {
		fprintf(stderr, "usage: ho-lock [--exclusive] FILE MILLISECONDS\n");
		return 2;
	}
	const char *path = argv[1 + exclusive];
	long ms = strtol(argv[2 + exclusive], NULL, 10);
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fprintf(stderr, "ho-lock: %s: %s\n", path, db ? sqlite3_errmsg(db) : "cannot open");
		sqlite3_close(db);
		return 2;
	}
	sqlite3_busy_timeout(db, 10000);
	char *err = NULL;
	if (sqlite3_exec(db, exclusive ? "BEGIN EXCLUSIVE" : "BEGIN IMMEDIATE", NULL, NULL, &err) !=
	    SQLITE_OK) {
		fprintf(stderr, "ho-lock: %s: %s\n", path, err ? err : "cannot lock");
		sqlite3_free(err);
		sqlite3_close(db);
		return 2;
	}
	/* A read inside the transaction, so a WAL reader snapshot is held as
	 * a real session's would be. */
	sqlite3_exec(db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL);
	printf("locked\n");
	fflush(stdout);
	if (ms > 0) {
		struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000L};
		nanosleep(&ts, NULL);
	} else {
		char buf[64];
		while (read(0, buf, sizeof buf) > 0)
			;
	}
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return 0;
}
