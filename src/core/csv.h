/* Internal to the core: CSV as spreadsheets read and write it (RFC 4180).
 *
 * Writing: cells are quoted only when they must be (comma, quote, line
 * break, leading or trailing space), quotes are doubled, rows end in CR LF.
 * A cell a spreadsheet would run as a formula (starting = + - @ TAB CR, after
 * any single quotes) gets one more single quote in front; csv_unneutralise()
 * takes exactly one away again, so export and import round-trip.
 *
 * Reading is strict, because a half-understood template must not be
 * imported: a quote inside an unquoted cell, text after a closing quote, a
 * quoted cell never closed, NUL bytes and bytes that are not UTF-8 are
 * errors with the line they are on. */
#ifndef HANDOVER_CSV_H
#define HANDOVER_CSV_H

#include <stddef.h>
#include <stdio.h>

struct csv_writer {
	FILE *out;
	int cells; /* cells written in the current row */
};

/* Start writing to `out`; bom != 0 writes the UTF-8 byte order mark first,
 * which Excel needs to read the file as UTF-8. */
void csv_begin(struct csv_writer *w, FILE *out, int bom);
void csv_cell(struct csv_writer *w, const char *text);
void csv_cell_int(struct csv_writer *w, long long v);
void csv_row_end(struct csv_writer *w);

/* 1 when a spreadsheet would run `s` as a formula. */
int csv_is_formula(const char *s);
/* The cell as written before csv_cell() neutralised it (a pointer into s). */
const char *csv_unneutralise(const char *s);
/* Whether CSV output starts with a byte order mark: yes, unless
 * $HANDOVER_CSV_BOM is "0" or "no". */
int csv_bom_wanted(void);

struct csv_reader {
	const char *buf;
	size_t len, pos;
	int line;      /* physical line of buf[pos], from 1 */
	int err_line;  /* where the error is, when csv_read() returned -1 */
	char err[160]; /* what is wrong */
};

struct csv_record {
	char **cells;
	size_t n, cap;
	int line; /* physical line the record starts on */
};

/* Read from buf (a UTF-8 byte order mark at the start is skipped). */
void csv_reader_init(struct csv_reader *r, const char *buf, size_t len);
/* Read the next record into rec (its old cells are freed). Returns 1 for a
 * record, 0 at the end, -1 for malformed input (err, err_line set), -2 when
 * out of memory. */
int csv_read(struct csv_reader *r, struct csv_record *rec);
void csv_record_free(struct csv_record *rec);

#endif
