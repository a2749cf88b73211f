/* CSV reading and writing for documents, export and import (see csv.h). */
#define _GNU_SOURCE
#include "csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- writing ---------------------------------------------------------- */

static int formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

int csv_is_formula(const char *s)
{
	return s && formula_start(s[0]);
}

/* Cells starting with quotes and then a formula character get one more
 * quote too, so that taking one away on import always gives back what was
 * written (the mapping is one to one). */
static int needs_neutralising(const char *s)
{
	while (*s == '\'')
		s++;
	return formula_start(*s);
}

const char *csv_unneutralise(const char *s)
{
	if (!s || s[0] != '\'')
		return s;
	const char *p = s;
	while (*p == '\'')
		p++;
	return formula_start(*p) ? s + 1 : s;
}

int csv_bom_wanted(void)
{
	const char *v = getenv("HANDOVER_CSV_BOM");
	return !(v && (strcmp(v, "0") == 0 || strcasecmp(v, "no") == 0));
}

void csv_begin(struct csv_writer *w, FILE *out, int bom)
{
	w->out = out;
	w->cells = 0;
	if (bom)
		fputs("\xEF\xBB\xBF", out);
}

void csv_cell(struct csv_writer *w, const char *text)
{
	const char *s = text ? text : "";
	size_t len = strlen(s);
	int quote =
	    strpbrk(s, ",\"\r\n") != NULL || (len > 0 && (s[0] == ' ' || s[len - 1] == ' '));
	if (w->cells++ > 0)
		fputc(',', w->out);
	if (quote)
		fputc('"', w->out);
	if (needs_neutralising(s))
		fputc('\'', w->out);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', w->out);
		fputc(*p, w->out);
	}
	if (quote)
		fputc('"', w->out);
}

void csv_cell_int(struct csv_writer *w, long long v)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%lld", v);
	csv_cell(w, buf);
}

void csv_row_end(struct csv_writer *w)
{
	fputs("\r\n", w->out);
	w->cells = 0;
}

/* ---- reading ---------------------------------------------------------- */

void csv_reader_init(struct csv_reader *r, const char *buf, size_t len)
{
	memset(r, 0, sizeof *r);
	r->buf = buf;
	r->len = len;
	r->line = 1;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
}

void csv_record_free(struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		free(rec->cells[i]);
	free(rec->cells);
	memset(rec, 0, sizeof *rec);
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing past U+10FFFF. */
static int utf8_valid(const unsigned char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned char c = s[i];
		size_t need;
		uint32_t cp, min;
		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			need = 1, cp = c & 0x1F, min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			need = 2, cp = c & 0x0F, min = 0x800;
		} else if ((c & 0xF8) == 0xF0) {
			need = 3, cp = c & 0x07, min = 0x10000;
		} else {
			return 0;
		}
		if (i + need >= len)
			return 0;
		for (size_t k = 1; k <= need; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		i += need + 1;
	}
	return 1;
}

struct cellbuf {
	char *s;
	size_t n, cap;
};

static int cell_put(struct cellbuf *b, char c)
{
	if (b->n + 1 >= b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *ns = realloc(b->s, cap);
		if (!ns)
			return 0;
		b->s = ns;
		b->cap = cap;
	}
	b->s[b->n++] = c;
	b->s[b->n] = '\0';
	return 1;
}

static int record_push(struct csv_record *rec, struct cellbuf *b)
{
	if (rec->n == rec->cap) {
		size_t cap = rec->cap ? rec->cap * 2 : 8;
		char **nc = realloc(rec->cells, cap * sizeof *nc);
		if (!nc)
			return 0;
		rec->cells = nc;
		rec->cap = cap;
	}
	rec->cells[rec->n++] = b->s;
	memset(b, 0, sizeof *b);
	return 1;
}

static int fail(struct csv_reader *r, int line, const char *msg)
{
	r->err_line = line;
	snprintf(r->err, sizeof r->err, "%s", msg);
	return -1;
}

/* A line break at pos (CR LF, LF or a lone CR, which old Mac spreadsheets
 * write): its length, 0 when there is none. */
static size_t line_break(const struct csv_reader *r, size_t pos)
{
	if (pos >= r->len)
		return 0;
	if (r->buf[pos] == '\n')
		return 1;
	if (r->buf[pos] == '\r')
		return pos + 1 < r->len && r->buf[pos + 1] == '\n' ? 2 : 1;
	return 0;
}

int csv_read(struct csv_reader *r, struct csv_record *rec)
{
	csv_record_free(rec);
	if (r->pos >= r->len)
		return 0;
	rec->line = r->line;
	struct cellbuf b = {0};
	int rc = -2;
	for (;;) {
		int cell_line = r->line;
		/* Every cell owns a buffer, even an empty one. */
		if (!cell_put(&b, 'x'))
			goto cleanup;
		b.n = 0;
		b.s[0] = '\0';
		if (r->pos < r->len && r->buf[r->pos] == '"') {
			r->pos++;
			for (;;) {
				if (r->pos >= r->len) {
					rc = fail(
					    r, cell_line,
					    "a quoted cell is never closed (a quote is missing)");
					goto cleanup;
				}
				char c = r->buf[r->pos];
				size_t br = line_break(r, r->pos);
				if (c == '"') {
					if (r->pos + 1 < r->len && r->buf[r->pos + 1] == '"') {
						if (!cell_put(&b, '"'))
							goto cleanup;
						r->pos += 2;
						continue;
					}
					r->pos++;
					break;
				}
				if (c == '\0') {
					rc = fail(r, r->line,
					          "the file holds a NUL byte (it is not a "
					          "text CSV file)");
					goto cleanup;
				}
				if (br) {
					/* Line breaks inside a cell become plain LF, as
					 * spreadsheets keep them. */
					if (!cell_put(&b, '\n'))
						goto cleanup;
					r->pos += br;
					r->line++;
					continue;
				}
				if (!cell_put(&b, c))
					goto cleanup;
				r->pos++;
			}
			if (r->pos < r->len && r->buf[r->pos] != ',' && !line_break(r, r->pos)) {
				rc = fail(
				    r, r->line,
				    "bad quoting: text after the closing quote of a cell (a quote "
				    "inside a quoted cell must be doubled)");
				goto cleanup;
			}
		} else {
			while (r->pos < r->len && r->buf[r->pos] != ',' && !line_break(r, r->pos)) {
				char c = r->buf[r->pos];
				if (c == '"') {
					rc = fail(
					    r, r->line,
					    "bad quoting: a quote inside a cell that does not "
					    "start "
					    "with one (quote the whole cell and double the quote)");
					goto cleanup;
				}
				if (c == '\0') {
					rc = fail(r, r->line,
					          "the file holds a NUL byte (it is not a "
					          "text CSV file)");
					goto cleanup;
				}
				if (!cell_put(&b, c))
					goto cleanup;
				r->pos++;
			}
		}
		if (!utf8_valid((const unsigned char *)b.s, b.n)) {
			rc = fail(r, cell_line,
			          "the text is not UTF-8 (save the sheet as \"CSV UTF-8\")");
			goto cleanup;
		}
		if (!record_push(rec, &b))
			goto cleanup;
		if (r->pos < r->len && r->buf[r->pos] == ',') {
			r->pos++;
			continue;
		}
		size_t br = line_break(r, r->pos);
		if (br) {
			r->pos += br;
			r->line++;
		}
		rc = 1;
		goto cleanup;
	}
cleanup:
	free(b.s);
	if (rc != 1)
		csv_record_free(rec);
	return rc;
}
