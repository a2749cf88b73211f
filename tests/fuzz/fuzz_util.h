/* Small helpers shared by the fuzz targets (header only: each target is one
 * program). A broken invariant aborts, which both libFuzzer and the replay
 * test report as a finding, with the message saying which one. */
#ifndef HANDOVER_FUZZ_UTIL_H
#define HANDOVER_FUZZ_UTIL_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FUZZ_CHECK(cond, ...)                                                                      \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "fuzz invariant broken (%s:%d): %s: ", __FILE__, __LINE__, \
			        #cond);                                                            \
			fprintf(stderr, __VA_ARGS__);                                              \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* The input as a NUL-terminated string (up to its first NUL byte). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Decode one UTF-8 character the strict way; returns its length, 0 when
 * the bytes at s are not shortest-form UTF-8 of a scalar value. */
static inline int fuzz_utf8_char(const unsigned char *s, uint32_t *cp)
{
	unsigned c = s[0];
	int n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xE0) == 0xC0) {
		n = 2, v = c & 0x1F, min = 0x80;
	} else if ((c & 0xF0) == 0xE0) {
		n = 3, v = c & 0x0F, min = 0x800;
	} else if ((c & 0xF8) == 0xF0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return n;
}

static inline int fuzz_utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		uint32_t cp;
		int n = fuzz_utf8_char(p, &cp);
		if (!n)
			return 0;
		p += n;
	}
	return 1;
}

/* A private scratch directory, on tmpfs when there is one (the targets
 * write a file per input). */
static inline const char *fuzz_dir(void)
{
	static char dir[256];
	if (!dir[0]) {
		const char *base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
		snprintf(dir, sizeof dir, "%s/ho-fuzz-XXXXXX", base);
		if (!mkdtemp(dir))
			abort();
	}
	return dir;
}

#endif
