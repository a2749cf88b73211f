/* The statement table is written in SQLite's SQL. This turns one statement
 * into PostgreSQL's: named parameters (:name) become $1, $2, ... (one number
 * per name), and the few SQLite forms the core uses that PostgreSQL spells
 * otherwise are rewritten:
 *
 *   sum(a = b)               sum((a = b)::int)        a truth counted as 0 or 1
 *   max(a, b), min(a, b)     GREATEST(a, b), LEAST    the scalar forms
 *   group_concat(x, s)       string_agg((x)::text, s)
 *   json_object(...)         json_build_object(...)::text  (parameters as text:
 *                            a NULL has no type of its own there)
 *   json_extract(j, '$.k')   ((j)::json ->> 'k')
 *   INSERT OR IGNORE         INSERT ... ON CONFLICT DO NOTHING
 *   LIMIT :n                 LIMIT NULLIF($n, -1)     -1: no limit
 *   CROSS JOIN t ON ...      JOIN t ON ...            (a planner hint in SQLite)
 *   FROM (SELECT ...)        FROM (SELECT ...) AS sub
 *
 * What no rewrite covers has its own PostgreSQL text (overrides.def).
 * String literals and quoted names pass through untouched. */
#define _GNU_SOURCE
#include "translate.h"
#include "textbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The end of a quoted run starting at p (p[0] is the quote). */
static const char *skip_quoted(const char *p)
{
	char q = *p++;
	while (*p) {
		if (*p == q) {
			if (p[1] == q) {
				p += 2;
				continue;
			}
			return p + 1;
		}
		p++;
	}
	return p;
}

/* The closing parenthesis matching the one at open (or the end). */
static const char *matching(const char *open)
{
	int depth = 0;
	for (const char *p = open; *p;) {
		if (*p == '\'' || *p == '"') {
			p = skip_quoted(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')' && --depth == 0)
			return p;
		p++;
	}
	return open + strlen(open);
}

/* The top-level commas of the arguments between open and close. */
static int top_commas(const char *open, const char *close, const char **at, int max)
{
	int depth = 0, n = 0;
	for (const char *p = open + 1; p < close;) {
		if (*p == '\'' || *p == '"') {
			p = skip_quoted(p);
			continue;
		}
		if (*p == '(')
			depth++;
		else if (*p == ')')
			depth--;
		else if (*p == ',' && depth == 0 && n < max)
			at[n++] = p;
		p++;
	}
	return n;
}

static int word_at(const char *p, const char *start, const char *w)
{
	size_t n = strlen(w);
	if (strncasecmp(p, w, n) != 0)
		return 0;
	if (p > start && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '.'))
		return 0;
	return !(isalnum((unsigned char)p[n]) || p[n] == '_');
}

static int looks_boolean(const char *a, const char *z)
{
	for (const char *p = a; p < z; p++) {
		if (*p == '\'') {
			p = skip_quoted(p) - 1;
			continue;
		}
		if (*p == '=' || *p == '<' || *p == '>')
			return 1;
		if (word_at(p, a, "IN") || word_at(p, a, "IS") || word_at(p, a, "AND") ||
		    word_at(p, a, "OR") || word_at(p, a, "NOT") || word_at(p, a, "LIKE"))
			return 1;
	}
	return 0;
}

struct names {
	char **v;
	int n;
	int oom;
	int in_json; /* inside json_object(): parameters are text there */
};

static int param_number(struct names *nm, const char *name, size_t len)
{
	for (int i = 0; i < nm->n; i++)
		if (strlen(nm->v[i]) == len && strncmp(nm->v[i], name, len) == 0)
			return i + 1;
	char **nv = realloc(nm->v, (size_t)(nm->n + 1) * sizeof *nv);
	char *copy = strndup(name, len);
	if (!nv || !copy) {
		free(copy);
		if (nv)
			nm->v = nv;
		nm->oom = 1;
		return 0;
	}
	nm->v = nv;
	nm->v[nm->n++] = copy;
	return nm->n;
}

static void translate(struct textbuf *b, const char *a, const char *z, struct names *nm);

/* Translate the arguments between open and close (exclusive), as is. */
static void args(struct textbuf *b, const char *open, const char *close, struct names *nm)
{
	translate(b, open + 1, close, nm);
}

static void translate(struct textbuf *b, const char *a, const char *z, struct names *nm)
{
	const char *p = a;
	while (p < z && !b->oom) {
		if (*p == '\'' || *p == '"') {
			const char *e = skip_quoted(p);
			textbuf_add(b, p, (size_t)(e - p));
			p = e;
			continue;
		}
		if (*p == ':' && (isalpha((unsigned char)p[1]) || p[1] == '_') &&
		    (p == a || p[-1] != ':')) {
			const char *e = p + 1;
			while (isalnum((unsigned char)*e) || *e == '_')
				e++;
			char num[16];
			snprintf(num, sizeof num, nm->in_json ? "$%d::text" : "$%d",
			         param_number(nm, p + 1, (size_t)(e - p - 1)));
			textbuf_str(b, num);
			p = e;
			continue;
		}
		const char *open = NULL;
		if (word_at(p, a, "sum") && p[3] == '(') {
			open = p + 3;
			const char *close = matching(open);
			if (looks_boolean(open + 1, close)) {
				textbuf_str(b, "sum((");
				args(b, open, close, nm);
				textbuf_str(b, ")::int)");
			} else {
				textbuf_str(b, "sum(");
				args(b, open, close, nm);
				textbuf_str(b, ")");
			}
			p = close + 1;
			continue;
		}
		if ((word_at(p, a, "max") || word_at(p, a, "min")) && p[3] == '(') {
			open = p + 3;
			const char *close = matching(open), *commas[1];
			if (top_commas(open, close, commas, 1) > 0)
				textbuf_str(b, tolower((unsigned char)p[1]) == 'a' ? "GREATEST("
				                                                   : "LEAST(");
			else
				textbuf_add(b, p, 4);
			args(b, open, close, nm);
			textbuf_str(b, ")");
			p = close + 1;
			continue;
		}
		if (word_at(p, a, "group_concat") && p[12] == '(') {
			open = p + 12;
			const char *close = matching(open), *commas[1];
			int n = top_commas(open, close, commas, 1);
			textbuf_str(b, "string_agg((");
			translate(b, open + 1, n ? commas[0] : close, nm);
			textbuf_str(b, ")::text, ");
			if (n)
				translate(b, commas[0] + 1, close, nm);
			else
				textbuf_str(b, "','");
			textbuf_str(b, ")");
			p = close + 1;
			continue;
		}
		if (word_at(p, a, "json_object") && p[11] == '(') {
			open = p + 11;
			const char *close = matching(open);
			textbuf_str(b, "json_build_object(");
			nm->in_json++;
			args(b, open, close, nm);
			nm->in_json--;
			textbuf_str(b, ")::text");
			p = close + 1;
			continue;
		}
		if (word_at(p, a, "json_extract") && p[12] == '(') {
			open = p + 12;
			const char *close = matching(open), *commas[1];
			if (top_commas(open, close, commas, 1) == 1) {
				const char *path = commas[0] + 1;
				while (*path == ' ')
					path++;
				if (strncmp(path, "'$.", 3) == 0) {
					const char *e = strchr(path + 3, '\'');
					textbuf_str(b, "((");
					translate(b, open + 1, commas[0], nm);
					textbuf_str(b, ")::json ->> '");
					textbuf_add(b, path + 3, (size_t)(e - path - 3));
					textbuf_str(b, "')");
					p = close + 1;
					continue;
				}
			}
		}
		/* SQLite reads CROSS JOIN ... ON as an inner join in the order
		 * written (a hint to its planner); PostgreSQL needs JOIN. */
		if (word_at(p, a, "CROSS JOIN")) {
			textbuf_str(b, "JOIN");
			p += strlen("CROSS JOIN");
			continue;
		}
		/* A subquery in FROM needs a name in PostgreSQL. */
		if (word_at(p, a, "FROM") && strncmp(p + 4, " (", 2) == 0) {
			open = p + 5;
			const char *close = matching(open), *after = close + 1;
			textbuf_str(b, "FROM (");
			args(b, open, close, nm);
			textbuf_str(b, ")");
			while (*after == ' ')
				after++;
			if (!*after || word_at(after, a, "ORDER") || word_at(after, a, "WHERE") ||
			    word_at(after, a, "GROUP") || word_at(after, a, "LIMIT") ||
			    *after == ')')
				textbuf_str(b, " AS sub");
			p = close + 1;
			continue;
		}
		/* A function's row with its people, grouped by the function:
		 * PostgreSQL wants the joined people's keys in the GROUP BY. */
		if (word_at(p, a, "GROUP BY f.id") && !isalnum((unsigned char)p[13]) &&
		    p[13] != '_' && p[13] != ',' && strstr(a, "LEFT JOIN people ps") &&
		    strstr(a, "LEFT JOIN people pr")) {
			textbuf_str(b, "GROUP BY f.id, ps.id, pr.id");
			p += strlen("GROUP BY f.id");
			continue;
		}
		/* SQLite's LIMIT -1 is "no limit"; PostgreSQL's is LIMIT NULL. */
		if (word_at(p, a, "LIMIT") && strncmp(p + 5, " :", 2) == 0) {
			const char *e = p + 7;
			while (isalnum((unsigned char)*e) || *e == '_')
				e++;
			char num[48];
			snprintf(num, sizeof num, "LIMIT NULLIF($%d::bigint, -1)",
			         param_number(nm, p + 7, (size_t)(e - p - 7)));
			textbuf_str(b, num);
			p = e;
			continue;
		}
		if (word_at(p, a, "INSERT OR IGNORE")) {
			textbuf_str(b, "INSERT");
			p += strlen("INSERT OR IGNORE");
			/* ON CONFLICT goes at the end (before RETURNING, which the
			 * table does not use). */
			struct textbuf rest = {0};
			translate(&rest, p, z, nm);
			if (rest.s)
				textbuf_str(b, rest.s);
			textbuf_str(b, " ON CONFLICT DO NOTHING");
			free(rest.s);
			return;
		}
		textbuf_add(b, p, 1);
		p++;
	}
}

char *pg_translate(const char *sql, char ***names, int *nnames)
{
	struct textbuf b = {0};
	struct names nm = {0};
	translate(&b, sql, sql + strlen(sql), &nm);
	if (b.oom || nm.oom || !b.s) {
		free(b.s);
		for (int i = 0; i < nm.n; i++)
			free(nm.v[i]);
		free(nm.v);
		return NULL;
	}
	*names = nm.v;
	*nnames = nm.n;
	return b.s;
}
