/* Aligned plain-text tables for the command line: columns padded by display
 * width (wide characters count as two), no colour, every cell sanitised. */
#ifndef HANDOVER_CLI_TABLE_H
#define HANDOVER_CLI_TABLE_H

#include <stdio.h>

typedef struct cli_table cli_table;

/* A table with `ncols` columns and these headers; NULL when out of memory. */
cli_table *cli_table_new(int ncols, const char *const *headers);
/* Cap column `col` at `width` display columns (longer text is cut with
 * "…"). The last column is never padded. */
void cli_table_limit(cli_table *t, int col, int width);
/* Add a row of `ncols` cells (NULL prints as ""); the text is sanitised
 * here. 0 on success, -1 when out of memory. */
int cli_table_add(cli_table *t, const char *const *cells);
/* Rows added so far. */
int cli_table_rows(const cli_table *t);
/* Print the header and rows, `indent` spaces before each line. */
void cli_table_print(const cli_table *t, FILE *out, int indent);
void cli_table_free(cli_table *t);

#endif
