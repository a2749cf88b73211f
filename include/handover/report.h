/* handover: documents (print), spreadsheet export and checklist import. */
#ifndef HANDOVER_REPORT_H
#define HANDOVER_REPORT_H

#include "handover/handover.h"
#include "handover/outfile.h"
#include <stdio.h>

typedef enum ho_format {
	HO_FMT_TEXT = 0, /* at most 80 columns, form feeds between pages */
	HO_FMT_MARKDOWN,
	HO_FMT_HTML, /* one self-contained file, print stylesheet */
	HO_FMT_CSV,  /* one row per item */
	HO_FMT_PDF,  /* laid out with Pango, fonts embedded */
	HO_FMT_XLSX, /* Excel workbook: a summary sheet and a sheet per function */
	HO_FMT_DOCX  /* Word document, editable */
} ho_format;
/* How many formats: the CLI and the screens offer every one up to this. */
enum { HO_FMT__COUNT = HO_FMT_DOCX + 1 };

/* "text", "markdown", "html", "csv", "pdf", "xlsx", "docx"; parse returns 0
 * or -1. */
const char *ho_format_name(ho_format f);
int ho_format_parse(const char *s, ho_format *out);
/* File name extension without the dot: "txt", "md", "html", "csv", "pdf",
 * "xlsx", "docx". */
const char *ho_format_ext(ho_format f);
/* The format a file name's extension names (".htm" and ".markdown" too):
 * 0, -1 when the extension names no format, 1 when the name has none. */
int ho_format_from_name(const char *path, ho_format *out);

typedef struct ho_print_opts {
	int64_t handover_id; /* 0: the only handover (HO_EUSAGE when several) */
	int64_t function_id; /* 0: the whole handover */
	ho_format format;
	int all; /* the roll-up: every handover in the file in one document */
} ho_print_opts;

/* Write the handover document to `out`. */
ho_status ho_print(ho_db *db, const ho_print_opts *opts, FILE *out);
/* Write it to `path` through ho_outfile (handover/outfile.h): a temporary
 * file renamed into place, never over the open file or any SQLite file,
 * over an existing file only with HO_OUT_FORCE in `flags`. */
ho_status ho_print_to_file(ho_db *db, const ho_print_opts *opts, const char *path, int flags);
/* A sensible default file name, e.g. "handover-dental-nw-2026-11-22.html",
 * "handover-rollup-2026-11-22.pdf" for the roll-up (caller frees). */
char *ho_print_default_name(ho_db *db, const ho_print_opts *opts);

/* The whole tracker as CSV (all handovers, items, states, owners, dates). */
ho_status ho_export_csv(ho_db *db, FILE *out);
/* The same written to `path`, as ho_print_to_file() writes a document. */
ho_status ho_export_to_file(ho_db *db, const char *path, int flags);
/* Import a checklist from CSV (see csv_import.c for the columns). Rows are
 * matched to the file's items by handover and ref, then by title (see
 * src/core/import_match.h): changed titles, guidance and due dates update
 * the item, new rows add items, nothing is duplicated, and rows naming a
 * handover the file does not have create it. handover_id (0: from the
 * sheet's Handover ID and Handover columns, else the only handover) puts
 * every row into that handover. All in one transaction: a malformed file
 * is refused with its line number in ho_errmsg() and nothing written.
 * dry_run: decide and report, write nothing. */
typedef struct ho_import_result {
	int added, changed, same;
	int handovers_added, functions_added, functions_changed;
	char **lines; /* what is added and changed, one sanitised line each */
	size_t nlines;
} ho_import_result;
ho_status ho_import(ho_db *db, int64_t handover_id, const char *path, int dry_run,
                    ho_import_result *res);
void ho_import_result_clear(ho_import_result *res);
/* ho_import() for callers that want only the number of items added. */
ho_status ho_import_csv(ho_db *db, int64_t handover_id, const char *path, int *rows_out);

#endif
