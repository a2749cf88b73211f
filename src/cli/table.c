/* Aligned tables: cells are kept sanitised and already cut to their column's
 * limit, so widths are measured once on what will really be printed. */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "handover/handover.h"
#include "handover/terminal.h"

struct cli_table {
	int ncols;
	int *limit;   /* 0: no limit */
	int *width;   /* widest cell so far, in display columns */
	char **cells; /* rows * ncols, row 0 is the header */
	int rows;     /* including the header */
	int cap;
};

/* Sanitise and cut one cell; NULL when out of memory. */
static char *cell_text(const char *text, int limit)
{
	char *clean = ho_sanitise_term(text ? text : "", HO_SAN_LINE);
	if (!clean || limit <= 0 || ho_text_width(clean) <= limit)
		return clean;
	size_t size = strlen(clean) + 8;
	char *cut = malloc(size);
	if (cut)
		ho_text_fit(clean, limit, cut, size);
	free(clean);
	return cut;
}

cli_table *cli_table_new(int ncols, const char *const *headers)
{
	cli_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->ncols = ncols;
	t->limit = calloc((size_t)ncols, sizeof *t->limit);
	t->width = calloc((size_t)ncols, sizeof *t->width);
	if (!t->limit || !t->width || cli_table_add(t, headers) != 0) {
		cli_table_free(t);
		return NULL;
	}
	return t;
}

void cli_table_limit(cli_table *t, int col, int width)
{
	if (col >= 0 && col < t->ncols)
		t->limit[col] = width;
}

int cli_table_add(cli_table *t, const char *const *cells)
{
	if (t->rows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		char **grown = realloc(t->cells, (size_t)cap * (size_t)t->ncols * sizeof *grown);
		if (!grown)
			return -1;
		t->cells = grown;
		t->cap = cap;
	}
	char **row = t->cells + (size_t)t->rows * (size_t)t->ncols;
	for (int c = 0; c < t->ncols; c++) {
		row[c] = cell_text(cells[c], t->limit[c]);
		if (!row[c]) {
			for (int k = 0; k < c; k++)
				free(row[k]);
			return -1;
		}
	}
	for (int c = 0; c < t->ncols; c++) {
		int w = ho_text_width(row[c]);
		if (w > t->width[c])
			t->width[c] = w;
	}
	t->rows++;
	return 0;
}

int cli_table_rows(const cli_table *t)
{
	return t->rows - 1;
}

void cli_table_print(const cli_table *t, FILE *out, int indent)
{
	for (int r = 0; r < t->rows; r++) {
		char **row = t->cells + (size_t)r * (size_t)t->ncols;
		/* Trailing empty cells would only leave trailing blanks. */
		int last = t->ncols - 1;
		while (last > 0 && row[last][0] == '\0')
			last--;
		fprintf(out, "%*s", indent, "");
		for (int c = 0; c <= last; c++) {
			fputs(row[c], out);
			if (c < last)
				fprintf(out, "%*s", t->width[c] - ho_text_width(row[c]) + 2, "");
		}
		fputc('\n', out);
	}
}

void cli_table_free(cli_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < (size_t)t->rows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t->limit);
	free(t->width);
	free(t);
}
