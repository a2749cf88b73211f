#define _GNU_SOURCE
#include "stress_util.h"

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "ho-stress";
static int failures;

void su_set_name(const char *name)
{
	prog = name;
}

void su_rng_seed(su_rng *r, uint64_t seed)
{
	/* Zero is the one state xorshift never leaves. */
	r->s = seed ? seed : 0x9E3779B97F4A7C15ULL;
	for (int i = 0; i < 4; i++)
		su_rng_next(r);
}

uint64_t su_rng_next(su_rng *r)
{
	uint64_t x = r->s;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	r->s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

unsigned su_rng_below(su_rng *r, unsigned n)
{
	return (unsigned)(su_rng_next(r) >> 33) % n;
}

void su_die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(2);
}

void su_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: FAIL: ", prog);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	failures++;
}

int su_failures(void)
{
	return failures;
}

void su_mkdir(const char *path)
{
	if (mkdir(path, 0700) != 0 && errno != EEXIST)
		su_die("mkdir %s: %s", path, strerror(errno));
}

long su_number(const char *s, long lo, long hi, void (*usage)(void))
{
	char *end;
	errno = 0;
	long v = strtol(s ? s : "", &end, 10);
	if (!s || errno || *end || v < lo || v > hi)
		usage();
	return v;
}

int su_journal_modes(const char *journal, const char *modes[2])
{
	if (strcmp(journal, "both") == 0) {
		modes[0] = "wal";
		modes[1] = "delete";
		return 2;
	}
	if (strcmp(journal, "wal") == 0 || strcmp(journal, "delete") == 0) {
		modes[0] = journal;
		return 1;
	}
	return 0;
}

int su_work_dir(char *dir, size_t size, const char *prefix)
{
	if (dir[0]) {
		su_mkdir(dir);
		return 0;
	}
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, size, "%s/%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", prefix);
	if (!mkdtemp(dir))
		su_die("mkdtemp: %s", strerror(errno));
	return 1;
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void su_rmtree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int64_t su_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void su_sleep_ms(unsigned ms)
{
	struct timespec ts = {.tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void su_log_line(int fd, const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		su_die("formatting a log line");
	if ((size_t)n > sizeof line - 2)
		n = (int)sizeof line - 2;
	line[n++] = '\n';
	const char *p = line;
	size_t left = (size_t)n;
	while (left > 0) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			su_die("writing a log: %s", strerror(errno));
		}
		p += w;
		left -= (size_t)w;
	}
	if (fsync(fd) != 0 && errno != EINVAL)
		su_die("fsync of a log: %s", strerror(errno));
}

char *su_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	size_t got;
	while (buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	if (!buf)
		return NULL;
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

void su_bag_add(su_bag *b, const char *key)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->keys = realloc(b->keys, b->cap * sizeof *b->keys);
		b->counts = realloc(b->counts, b->cap * sizeof *b->counts);
		if (!b->keys || !b->counts)
			su_die("out of memory");
	}
	b->keys[b->n] = strdup(key);
	b->counts[b->n] = 1;
	b->n++;
	b->sorted = 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void su_bag_seal(su_bag *b)
{
	if (b->sorted)
		return;
	if (b->n == 0) { /* qsort may not be given a NULL array */
		b->sorted = 1;
		return;
	}
	qsort(b->keys, b->n, sizeof *b->keys, cmp_str);
	/* Fold duplicates into counts so lookups stay a binary search. */
	size_t out = 0;
	for (size_t i = 0; i < b->n; i++) {
		if (out > 0 && strcmp(b->keys[out - 1], b->keys[i]) == 0) {
			b->counts[out - 1]++;
			free(b->keys[i]);
			continue;
		}
		b->keys[out] = b->keys[i];
		b->counts[out] = 1;
		out++;
	}
	b->n = out;
	b->sorted = 1;
}

int su_bag_count(su_bag *b, const char *key)
{
	su_bag_seal(b);
	if (b->n == 0)
		return 0; /* bsearch must not be given a null array */
	char *const *hit = bsearch(&key, b->keys, b->n, sizeof *b->keys, cmp_str);
	return hit ? b->counts[hit - b->keys] : 0;
}

void su_bag_free(su_bag *b)
{
	for (size_t i = 0; i < b->n; i++)
		free(b->keys[i]);
	free(b->keys);
	free(b->counts);
	memset(b, 0, sizeof *b);
}

ho_db *su_create(const char *path)
{
	ho_db *db = NULL;
	ho_status st = ho_open(path, HO_OPEN_CREATE, &db);
	if (st != HO_OK)
		su_die("creating %s: %s", path, ho_errmsg(db));
	ho_init_opts o = {.title = "Stress file", .login = "lead", .name = "Lee Lead", .empty = 1};
	if ((st = ho_init(db, &o)) != HO_OK)
		su_die("init %s: %s", path, ho_errmsg(db));
	return db;
}

ho_db *su_open_as(const char *path, const char *login)
{
	ho_db *db = NULL;
	ho_status st = ho_open(path, 0, &db);
	if (st != HO_OK)
		su_die("opening %s: %s (%s)", path, ho_errmsg(db), ho_strerror(st));
	ho_set_actor(db, login);
	return db;
}

void su_must(ho_db *db, ho_status st, const char *what)
{
	if (st != HO_OK)
		su_die("%s: %s (%s)", what, ho_errmsg(db), ho_strerror(st));
}

int su_token_in(const char *text, char *out, size_t size)
{
	const char *t = text ? strstr(text, "tok-") : NULL;
	if (!t)
		return 0;
	size_t n = 0;
	while (t[n] && t[n] != ' ' && t[n] != ',' && t[n] != ')' && t[n] != ':' && n + 1 < size)
		n++;
	memcpy(out, t, n);
	out[n] = '\0';
	return 1;
}

const char *su_pg_server(const char *tool)
{
	const char *server = getenv("HO_TEST_PG");
	if (server && *server)
		return server;
	printf("%s: skipped: no PostgreSQL server (set HO_TEST_PG to a superuser's conninfo "
	       "without dbname, or run ./scripts/test)\n",
	       tool);
	return NULL;
}
