#define _GNU_SOURCE
#include "testutil.h"

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

static char tu_dirbuf[256];

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
	snprintf(b, 512, "%s/%s", tu_dir(), name);
	return b;
}

ho_db *tu_new_file(const char *name, int empty, int demo)
{
	ho_db *db = NULL;
	const char *path = tu_path(name);
	unlink(path);
	ho_status st = ho_open(path, HO_OPEN_CREATE, &db);
	if (st != HO_OK)
		fail_msg("open %s: %s", path, db ? ho_errmsg(db) : ho_strerror(st));
	ho_init_opts o = {.title = "Test file", .login = "lead", .name = "Lee Lead",
	                  .empty = empty, .demo = demo};
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

void tu_file_hash(const char *path, char out[65])
{
	out[0] = '\0';
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
