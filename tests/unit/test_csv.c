/* CSV as spreadsheets write and read it: quoting, formula cells, strict
 * reading with line numbers. */
#define _GNU_SOURCE
#include "csv.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

static char *write_row(const char *const *cells, size_t n, int bom)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct csv_writer w;
	csv_begin(&w, f, bom);
	for (size_t i = 0; i < n; i++)
		csv_cell(&w, cells[i]);
	csv_row_end(&w);
	fclose(f);
	return buf;
}

static void test_quoting(void **state)
{
	(void)state;
	const char *cells[] = {"plain", "a,b", "say \"hi\"", "two\nlines", " padded ", "", "Zoë"};
	char *row = write_row(cells, 7, 0);
	assert_string_equal(
	    row, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" padded \",,Zoë\r\n");
	free(row);
	row = write_row(cells, 1, 1);
	assert_string_equal(row, "\xEF\xBB\xBFplain\r\n");
	free(row);
}

static void test_formula_cells_neutralised(void **state)
{
	(void)state;
	const char *cells[] = {"=SUM(A1:A9)", "+44 151", "-5",     "@risk", "\tx",       "\rx",
	                       "'=x",         "''+y",    "'plain", "a=b",   "2026-11-22"};
	char *row = write_row(cells, 11, 0);
	assert_string_equal(row, "'=SUM(A1:A9),'+44 151,'-5,'@risk,'\tx,\"'\rx\",''=x,'''+y,'plain,"
	                         "a=b,2026-11-22\r\n");
	free(row);
	/* Reading back takes exactly one quote away, so the mapping is one to
	 * one: whatever was written comes back. (Not for a leading CR, which the
	 * reader turns into a line break; documents never hold one, as the
	 * sanitiser removes it.) */
	for (size_t i = 0; i < 11; i++) {
		if (cells[i][0] == '\r')
			continue;
		char *one = write_row(&cells[i], 1, 0);
		struct csv_reader r;
		struct csv_record rec = {0};
		csv_reader_init(&r, one, strlen(one));
		assert_int_equal(csv_read(&r, &rec), 1);
		assert_int_equal(rec.n, 1);
		assert_string_equal(csv_unneutralise(rec.cells[0]), cells[i]);
		csv_record_free(&rec);
		free(one);
	}
	assert_true(csv_is_formula("=1"));
	assert_false(csv_is_formula("1="));
}

static int read_all(const char *text, struct csv_record *recs, int max, struct csv_reader *r)
{
	csv_reader_init(r, text, strlen(text));
	int n = 0, rc;
	while (n < max && (rc = csv_read(r, &recs[n])) == 1)
		n++;
	return rc < 0 ? rc : n;
}

static void test_reading(void **state)
{
	(void)state;
	struct csv_reader r;
	struct csv_record recs[4] = {{0}};
	const char *text = "\xEF\xBB\xBF"
	                   "code,title\r\n"
	                   "FIN,\"Budgets, \"\"reconciled\"\"\nto the ledger\"\n"
	                   "DIG,Zoë's list\r"
	                   "COM,last,";
	assert_int_equal(read_all(text, recs, 4, &r), 4);
	assert_string_equal(recs[0].cells[0], "code"); /* the BOM is gone */
	assert_int_equal(recs[1].line, 2);
	assert_string_equal(recs[1].cells[1], "Budgets, \"reconciled\"\nto the ledger");
	assert_int_equal(recs[2].line, 4); /* the quoted line break counted */
	assert_string_equal(recs[2].cells[1], "Zoë's list");
	assert_int_equal(recs[3].line, 5);
	assert_int_equal(recs[3].n, 3);
	assert_string_equal(recs[3].cells[2], "");
	for (int i = 0; i < 4; i++)
		csv_record_free(&recs[i]);

	/* CR LF inside a quoted cell becomes LF. */
	struct csv_record one = {0};
	csv_reader_init(&r, "\"a\r\nb\"\r\n", 8);
	assert_int_equal(csv_read(&r, &one), 1);
	assert_string_equal(one.cells[0], "a\nb");
	assert_int_equal(csv_read(&r, &one), 0);
	csv_record_free(&one);
}

static void expect_error(const char *text, size_t len, int line, const char *words)
{
	struct csv_reader r;
	struct csv_record rec = {0};
	csv_reader_init(&r, text, len);
	int rc;
	while ((rc = csv_read(&r, &rec)) == 1)
		;
	assert_int_equal(rc, -1);
	assert_int_equal(r.err_line, line);
	if (!strstr(r.err, words))
		fail_msg("error \"%s\" does not say \"%s\"", r.err, words);
	csv_record_free(&rec);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("a,b\nc,d\"e\n", 10, 2, "quote inside a cell");
	expect_error("a,b\n\"c\"d,e\n", 11, 2, "after the closing quote");
	expect_error("a,b\n\"c,d\ne,f\n", 12, 2, "never closed");
	expect_error("a,b\nc,\xff\xfe\n", 8, 2, "not UTF-8");
	expect_error("a,b\nc,\xC0\x80\n", 8, 2, "not UTF-8"); /* overlong NUL */
	expect_error("a,b\nc,d\0e\n", 9, 2, "NUL");
	expect_error("x\n\"line\nbreak\"oops\n", 19, 3, "after the closing quote");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_quoting),
	    cmocka_unit_test(test_formula_cells_neutralised),
	    cmocka_unit_test(test_reading),
	    cmocka_unit_test(test_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
