/* Live updates: the descriptor a screen waits on for others' changes
 * (ho_change_fd), the news it brings (ho_change_ready), and a connection
 * the server dropped made again between changes. The PostgreSQL tests need
 * $HO_TEST_PG (a superuser's conninfo without dbname) and are skipped with
 * a message without it. */
#define _GNU_SOURCE
#include "testutil.h"

#include <libpq-fe.h>
#include <poll.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

const char *tu_pg(void);

#define OK(db, call)                                                                               \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != HO_OK)                                                                  \
			fail_msg("%s: %s", #call, ho_errmsg(db));                                  \
	} while (0)

static int64_t ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* How long the descriptor took to turn readable, or -1 if it did not
 * within limit_ms. */
static int wait_readable(int fd, int limit_ms)
{
	int64_t t0 = ms_now();
	struct pollfd p = {.fd = fd, .events = POLLIN};
	if (poll(&p, 1, limit_ms) <= 0)
		return -1;
	return (int)(ms_now() - t0);
}

/* The server's cases run as unit-pg/test_live, the file's as unit/test_live:
 * each once (run side by side, both would make the same databases). */
static int use_server(void)
{
	return tu_pg() != NULL;
}

/* A file has nothing to wait on: the screen asks data_version instead. */
static void test_file_has_no_change_fd(void **state)
{
	(void)state;
	if (tu_pg())
		skip(); /* unit/test_live's */
	ho_db *a = tu_new_file("live.db", 0, 0);
	ho_db *b = tu_open_as(tu_path("live.db"), "lead");
	assert_int_equal(ho_change_fd(b), -1);
	OK(a, ho_person_add(a, "nurse1", "Nina Nurse", HO_ROLE_SENDER, NULL));
	assert_int_equal(ho_change_ready(b), 0);
	assert_int_equal(ho_changed(b), 1);
	ho_close(a);
	ho_close(b);
}

/* Another connection's change wakes the descriptor at once; the news is
 * consumed; one's own change brings news but ho_changed() says it was
 * nobody else's. */
static void test_change_wakes_the_other(void **state)
{
	(void)state;
	if (!use_server())
		skip();
	ho_db *a = tu_new_file("live", 0, 0);
	ho_db *b = tu_open_as(tu_path("live"), "lead");
	ho_changed(b);
	int fd = ho_change_fd(b);
	assert_true(fd >= 0);
	assert_int_equal(ho_change_ready(b), 0);

	OK(a, ho_person_add(a, "nurse1", "Nina Nurse", HO_ROLE_SENDER, NULL));
	int took = wait_readable(fd, 2000);
	assert_true(took >= 0);
	print_message("a change woke the other connection after %d ms\n", took);
	assert_true(took < 100);
	assert_int_equal(ho_change_ready(b), 1);
	assert_int_equal(ho_change_ready(b), 0); /* consumed */
	assert_int_equal(ho_changed(b), 1);
	assert_int_equal(wait_readable(fd, 50), -1); /* nothing more */

	/* Its own change: the server tells b too, but it was b's. */
	OK(b, ho_person_add(b, "nurse2", "Nora Nurse", HO_ROLE_RECEIVER, NULL));
	ho_change_ready(b);
	assert_int_equal(ho_changed(b), 0);

	/* News read in with another query's answer never wakes the socket
	 * again: ho_change_ready() finds it in the connection's buffer. */
	OK(a, ho_person_add(a, "nurse3", "Nell Nurse", HO_ROLE_SENDER, NULL));
	assert_true(wait_readable(fd, 2000) >= 0);
	ho_person p;
	OK(b, ho_person_get(b, "nurse3", &p)); /* reads the socket */
	ho_person_clear(&p);
	assert_int_equal(ho_change_ready(b), 1);
	assert_int_equal(ho_changed(b), 1);
	ho_close(a);
	ho_close(b);
}

/* The server drops both connections (a restart does the same): the waiting
 * one hears it, reconnects when next asked, and hears the next change; the
 * writing one's next change is made on a new connection. */
static void test_dropped_connection_comes_back(void **state)
{
	(void)state;
	if (!use_server())
		skip();
	ho_db *a = tu_new_file("live_drop", 0, 0);
	ho_db *b = tu_open_as(tu_path("live_drop"), "lead");
	ho_changed(b);
	char conn[1024];
	snprintf(conn, sizeof conn, "%s dbname=postgres", getenv("HO_TEST_PG"));
	PGconn *admin = PQconnectdb(conn);
	assert_int_equal(PQstatus(admin), CONNECTION_OK);
	PGresult *r = PQexec(admin, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
	                            "WHERE datname LIKE 'ho\\_%live\\_drop'");
	assert_int_equal(PQresultStatus(r), PGRES_TUPLES_OK);
	assert_int_equal(PQntuples(r), 2);
	PQclear(r);
	PQfinish(admin);

	/* The server's goodbye, then the connection closed (two wakes, or
	 * one): news, and then nothing to wait on. */
	int fd, news = 0;
	int64_t t0 = ms_now();
	while ((fd = ho_change_fd(b)) >= 0 && ms_now() - t0 < 3000)
		if (wait_readable(fd, 200) >= 0)
			news |= ho_change_ready(b);
	assert_int_equal(news, 1);
	assert_int_equal(ho_change_fd(b), -1);
	ho_changed(b); /* made again */
	fd = ho_change_fd(b);
	assert_true(fd >= 0);

	OK(a, ho_person_add(a, "nurse1", "Nina Nurse", HO_ROLE_SENDER, NULL));
	assert_true(wait_readable(fd, 2000) >= 0);
	assert_int_equal(ho_change_ready(b), 1);
	assert_int_equal(ho_changed(b), 1);
	ho_person p;
	OK(b, ho_person_get(b, "nurse1", &p));
	assert_string_equal(p.name, "Nina Nurse");
	ho_person_clear(&p);
	ho_close(a);
	ho_close(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_file_has_no_change_fd),
	    cmocka_unit_test(test_change_wakes_the_other),
	    cmocka_unit_test(test_dropped_connection_comes_back),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	tu_cleanup();
	return rc;
}
