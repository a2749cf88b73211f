/* Fuzz target: CSV from spreadsheets. The input is a CSV file.
 *   - The reader (src/core/csv.c) either gives records of valid UTF-8 cells
 *     or stops with a one-line reason and the line it is on; what it read,
 *     written back out by the writer, reads back the same (cells with a CR
 *     aside: a line break inside a cell comes back as LF by design).
 *   - The importer takes the whole file or nothing: on success the items
 *     it says it added are there and the history grew by one event per
 *     change; on refusal nothing was written and the reason is one line.
 * The importer writes into a template-less file on tmpfs, made afresh now
 * and then (and then verified) so it stays small. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "fuzz_util.h"
#include "handover/handover.h"
#include "handover/report.h"
#include "handover/testhook.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ho_db *db;
static char db_path[300], csv_path[300];
static int imports;

static void fresh_file(void)
{
	if (db) {
		ho_verify_result vr;
		FUZZ_CHECK(ho_verify(db, &vr) == HO_OK, "history broken after imports: %s",
		           ho_errmsg(db));
		FUZZ_CHECK(ho_check(db) == HO_OK, "check failed after imports: %s", ho_errmsg(db));
		ho_close(db);
		db = NULL;
	}
	unlink(db_path);
	FUZZ_CHECK(ho_open(db_path, HO_OPEN_CREATE, &db) == HO_OK, "create: %s", ho_errmsg(db));
	ho_init_opts o = {.title = "CSV", .login = "lead", .empty = 1};
	FUZZ_CHECK(ho_init(db, &o) == HO_OK, "init: %s", ho_errmsg(db));
	FUZZ_CHECK(ho_handover_add(db, "Target", "", "", "", "", NULL) == HO_OK, "handover");
	/* One function already there, as in a real checklist. */
	int64_t h = 0;
	FUZZ_CHECK(ho_function_find(db, 0, "ZZ", &h) == HO_ENOTFOUND, "ZZ");
	ho_handover *hs = NULL;
	size_t n = 0;
	FUZZ_CHECK(ho_handovers_list(db, &hs, &n) == HO_OK && n == 1, "handovers");
	FUZZ_CHECK(ho_function_add(db, hs[0].id, "FIN", "Finance", "", NULL) == HO_OK, "FIN");
	ho_handover_free(hs, n);
	imports = 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	snprintf(db_path, sizeof db_path, "%s/import.db", fuzz_dir());
	snprintf(csv_path, sizeof csv_path, "%s/in.csv", fuzz_dir());
	setenv("HANDOVER_JOURNAL", "delete", 1);
	ho_clock_set(1795341600);
	fresh_file();
	return 0;
}

/* What the reader gives back for a written cell: CR LF and lone CR inside
 * a cell are line breaks, read as LF. */
static char *as_read_back(const char *s)
{
	char *out = malloc(strlen(s) + 1), *o = out;
	for (const char *p = s; *p; p++) {
		if (*p == '\r') {
			if (p[1] == '\n')
				p++;
			*o++ = '\n';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* A cell that starts with a CR (after any quotes) is neutralised as a
 * formula on the way out, and its CR reads back as LF, which is not a
 * formula start: the extra quote stays. Stored text is trimmed, so no
 * cell the program writes starts like that. */
static int starts_with_cr(const char *s)
{
	while (*s == '\'')
		s++;
	return *s == '\r';
}

static void reader(const uint8_t *data, size_t size)
{
	struct csv_reader r;
	struct csv_record rec = {0};
	csv_reader_init(&r, (const char *)data, size);
	char *written = NULL;
	size_t wlen = 0;
	FILE *w = open_memstream(&written, &wlen);
	struct csv_writer cw;
	csv_begin(&cw, w, 1);
	/* The records, kept to compare with what reads back. */
	char **cells = NULL;
	size_t *per_row = NULL, rows = 0, ncells = 0;
	int rc, last_line = 0, comparable = 1;
	while ((rc = csv_read(&r, &rec)) == 1) {
		FUZZ_CHECK(rec.line >= 1 && rec.line > last_line, "record line %d after %d",
		           rec.line, last_line);
		last_line = rec.line;
		FUZZ_CHECK(rec.n >= 1, "a record of no cells");
		per_row = realloc(per_row, (rows + 1) * sizeof *per_row);
		per_row[rows++] = rec.n;
		for (size_t i = 0; i < rec.n; i++) {
			FUZZ_CHECK(fuzz_utf8_valid(rec.cells[i]), "a cell that is not UTF-8");
			if (starts_with_cr(rec.cells[i]))
				comparable = 0;
			csv_cell(&cw, rec.cells[i]);
			cells = realloc(cells, (ncells + 1) * sizeof *cells);
			cells[ncells++] = strdup(rec.cells[i]);
		}
		csv_row_end(&cw);
	}
	FUZZ_CHECK(rc == 0 || rc == -1, "csv_read returned %d", rc);
	if (rc == -1) {
		FUZZ_CHECK(r.err_line >= 1, "error without a line");
		FUZZ_CHECK(r.err[0] && !strchr(r.err, '\n'), "reason '%s'", r.err);
	}
	fclose(w);

	/* Read back what was written (an empty line is a record of one empty
	 * cell both ways). */
	csv_reader_init(&r, written, wlen);
	size_t k = 0;
	for (size_t row = 0; comparable && row < rows; row++) {
		FUZZ_CHECK(csv_read(&r, &rec) == 1, "row %zu of the written CSV unreadable: %s",
		           row, r.err);
		FUZZ_CHECK(rec.n == per_row[row], "row %zu: %zu cells, wrote %zu", row, rec.n,
		           per_row[row]);
		for (size_t i = 0; i < rec.n; i++, k++) {
			char *want = as_read_back(cells[k]);
			FUZZ_CHECK(strcmp(csv_unneutralise(rec.cells[i]), want) == 0,
			           "cell '%s' came back as '%s'", want, rec.cells[i]);
			free(want);
		}
	}
	csv_record_free(&rec);
	for (size_t i = 0; i < ncells; i++)
		free(cells[i]);
	free(cells);
	free(per_row);
	free(written);
}

static int64_t item_count(void)
{
	ho_handover *hs = NULL;
	size_t n = 0;
	FUZZ_CHECK(ho_handovers_list(db, &hs, &n) == HO_OK, "list: %s", ho_errmsg(db));
	int64_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += hs[i].counts.total;
	ho_handover_free(hs, n);
	return total;
}

static void importer(const uint8_t *data, size_t size)
{
	FILE *f = fopen(csv_path, "wb");
	FUZZ_CHECK(f != NULL, "cannot write %s", csv_path);
	fwrite(data, 1, size, f);
	fclose(f);
	ho_set_actor(db, "lead");
	char head[65];
	int64_t events_before, events_after;
	FUZZ_CHECK(ho_history_head(db, head, &events_before) == HO_OK, "head");
	int64_t items_before = item_count();
	ho_import_result res;
	ho_status st = ho_import(db, 0, csv_path, 0, &res);
	int rows = res.added;
	FUZZ_CHECK(ho_history_head(db, head, &events_after) == HO_OK, "head");
	int64_t items_after = item_count();
	if (st == HO_OK) {
		FUZZ_CHECK(res.added + res.changed + res.same >= 1, "imported %d rows", rows);
		FUZZ_CHECK(items_after - items_before == rows, "%d rows reported, %lld items added",
		           rows, (long long)(items_after - items_before));
		FUZZ_CHECK(events_after - events_before >= rows + res.changed,
		           "%d rows added, %d changed, %lld events", rows, res.changed,
		           (long long)(events_after - events_before));
		ho_import_result_clear(&res);
		if (++imports >= 200)
			fresh_file();
	} else {
		FUZZ_CHECK(rows == 0, "refused import reports %d rows", rows);
		FUZZ_CHECK(items_after == items_before && events_after == events_before,
		           "refused import wrote something: %s", ho_errmsg(db));
		FUZZ_CHECK(!strchr(ho_errmsg(db), '\n'), "reason of several lines: %s",
		           ho_errmsg(db));
		FUZZ_CHECK(st == HO_EUSAGE || st == HO_ENOMEM || st == HO_ESTATE ||
		               st == HO_ENOTFOUND,
		           "refused as %s: %s", ho_strerror(st), ho_errmsg(db));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 1 << 20)
		return 0;
	reader(data, size);
	importer(data, size);
	return 0;
}
