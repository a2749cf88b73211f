/* Flat JSON objects, for the undo records the history keeps: written and
 * read here rather than by the database, so every engine writes the same
 * text for the same change. Written compact, as SQLite's json_object()
 * wrote them ({"k":"v","n":3}), so records old and new read alike. */
#define _GNU_SOURCE
#include "json.h"
#include "textbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void jstring(struct textbuf *b, const char *s)
{
	static const char special[32] = {[8] = 'b', [9] = 't', [10] = 'n', [12] = 'f', [13] = 'r'};
	textbuf_add(b, "\"", 1);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			char e[2] = {'\\', (char)*p};
			textbuf_add(b, e, 2);
		} else if (*p < 0x20) {
			char e[8];
			if (special[*p])
				snprintf(e, sizeof e, "\\%c", special[*p]);
			else
				snprintf(e, sizeof e, "\\u%04x", *p);
			textbuf_add(b, e, strlen(e));
		} else {
			textbuf_add(b, (const char *)p, 1);
		}
	}
	textbuf_add(b, "\"", 1);
}

char *json_flat_write(const struct json_field *f, size_t n)
{
	struct textbuf b = {0};
	textbuf_add(&b, "{", 1);
	for (size_t i = 0; i < n; i++) {
		if (i)
			textbuf_add(&b, ",", 1);
		jstring(&b, f[i].key);
		textbuf_add(&b, ":", 1);
		if (f[i].null) {
			textbuf_add(&b, "null", 4);
		} else if (f[i].text) {
			jstring(&b, f[i].text);
		} else {
			char num[24];
			snprintf(num, sizeof num, "%lld", (long long)f[i].num);
			textbuf_add(&b, num, strlen(num));
		}
	}
	textbuf_add(&b, "}", 1);
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* A JSON string at p (p at the quote) into out (NULL: skipped); the byte
 * after it, or NULL when malformed. */
static const char *jparse_string(const char *p, struct textbuf *out)
{
	if (*p != '"')
		return NULL;
	for (p++; *p && *p != '"'; p++) {
		if (*p != '\\') {
			if (out)
				textbuf_add(out, p, 1);
			continue;
		}
		p++;
		char c = *p;
		switch (c) {
		case 'b':
			c = '\b';
			break;
		case 't':
			c = '\t';
			break;
		case 'n':
			c = '\n';
			break;
		case 'f':
			c = '\f';
			break;
		case 'r':
			c = '\r';
			break;
		case '"':
		case '\\':
		case '/':
			break;
		case 'u': {
			unsigned cp = 0;
			for (int i = 1; i <= 4; i++) {
				int h = hexval(p[i]);
				if (h < 0)
					return NULL;
				cp = cp << 4 | (unsigned)h;
			}
			p += 4;
			char u[4];
			size_t k;
			if (cp < 0x80) {
				u[0] = (char)cp, k = 1;
			} else if (cp < 0x800) {
				u[0] = (char)(0xC0 | cp >> 6), u[1] = (char)(0x80 | (cp & 0x3F)),
				k = 2;
			} else {
				u[0] = (char)(0xE0 | cp >> 12),
				u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
				u[2] = (char)(0x80 | (cp & 0x3F)), k = 3;
			}
			if (out)
				textbuf_add(out, u, k);
			continue;
		}
		default:
			return NULL;
		}
		if (out)
			textbuf_add(out, &c, 1);
	}
	return *p == '"' ? p + 1 : NULL;
}

int json_flat_get(const char *json, const char *key, char **text, int64_t *num)
{
	if (text)
		*text = NULL;
	if (num)
		*num = 0;
	const char *p = skip_ws(json ? json : "");
	if (*p++ != '{')
		return -1;
	for (;;) {
		p = skip_ws(p);
		if (*p == '}')
			return 0; /* not there */
		struct textbuf k = {0};
		p = jparse_string(p, &k);
		int match = p && strcmp(k.s ? k.s : "", key) == 0;
		free(k.s);
		if (!p)
			return -1;
		p = skip_ws(p);
		if (*p++ != ':')
			return -1;
		p = skip_ws(p);
		if (*p == '"') {
			struct textbuf v = {0};
			p = jparse_string(p, match ? &v : NULL);
			if (!p || v.oom) {
				free(v.s);
				return -1;
			}
			if (match) {
				if (text)
					*text = v.s ? v.s : strdup("");
				else
					free(v.s);
				return text && !*text ? -1 : 1;
			}
		} else {
			char *end = NULL;
			long long v = 0;
			if (strncmp(p, "null", 4) == 0) {
				end = (char *)p + 4;
			} else {
				v = strtoll(p, &end, 10);
				if (end == p)
					return -1;
				while (*end == '.' || *end == 'e' || *end == 'E' || *end == '+' ||
				       *end == '-' || (*end >= '0' && *end <= '9'))
					end++;
			}
			if (match) {
				if (num)
					*num = v;
				return 1;
			}
			p = end;
		}
		p = skip_ws(p);
		if (*p == ',')
			p++;
		else if (*p != '}')
			return -1;
	}
}

char *json_flat_text(const char *json, const char *key)
{
	char *t = NULL;
	int r = json_flat_get(json, key, &t, NULL);
	if (r < 0)
		return NULL;
	return t ? t : strdup("");
}

int64_t json_flat_int(const char *json, const char *key)
{
	int64_t v = 0;
	char *t = NULL;
	if (json_flat_get(json, key, &t, &v) == 1 && t) {
		v = strtoll(t, NULL, 10); /* a number written as text */
		free(t);
	}
	return v;
}
