/* A growing text: bytes added at its end, always NUL-terminated, and out
 * of memory remembered (every later add does nothing; the caller checks
 * `oom` once at the end). For the history's rows, undo records and
 * translated statements. */
#ifndef HANDOVER_TEXTBUF_H
#define HANDOVER_TEXTBUF_H

#include <stdlib.h>
#include <string.h>

struct textbuf {
	char *s; /* NULL until something is added */
	size_t n, cap;
	int oom;
};

static inline void textbuf_add(struct textbuf *b, const void *data, size_t len)
{
	if (b->oom)
		return;
	if (b->n + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + len + 1)
			cap *= 2;
		char *ns = realloc(b->s, cap);
		if (!ns) {
			b->oom = 1;
			return;
		}
		b->s = ns;
		b->cap = cap;
	}
	memcpy(b->s + b->n, data, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static inline void textbuf_str(struct textbuf *b, const char *s)
{
	textbuf_add(b, s, strlen(s));
}

#endif
