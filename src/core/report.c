/* Printing the handover document: formats, writing to a stream or to a
 * file replaced atomically, and default file names. */
#define _GNU_SOURCE
#include "handover/outfile.h"
#include "report_doc.h"
#include "store.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Every format: its names and the writer the document walk calls (PDF and
 * the workbook lay out what their writers make, see rd_pdf and rd_xlsx). */
static const struct {
	const char *name, *ext, *alias1, *alias2;
	const struct rd_writer *writer;
} formats[] = {
    [HO_FMT_TEXT] = {"text", "txt", "txt", "plain", &rd_text_writer},
    [HO_FMT_MARKDOWN] = {"markdown", "md", "md", NULL, &rd_markdown_writer},
    [HO_FMT_HTML] = {"html", "html", "htm", NULL, &rd_html_writer},
    [HO_FMT_CSV] = {"csv", "csv", NULL, NULL, &rd_csv_writer},
    [HO_FMT_PDF] = {"pdf", "pdf", NULL, NULL, &rd_pdf_writer},
    [HO_FMT_XLSX] = {"xlsx", "xlsx", "excel", NULL, &rd_xlsx_writer},
    [HO_FMT_DOCX] = {"docx", "docx", "word", NULL, &rd_docx_writer},
};
#define FORMAT_COUNT (sizeof formats / sizeof *formats)
_Static_assert(FORMAT_COUNT == HO_FMT__COUNT, "every format has a row in formats[]");

const char *ho_format_name(ho_format f)
{
	return (unsigned)f < FORMAT_COUNT ? formats[f].name : "?";
}

const char *ho_format_ext(ho_format f)
{
	return (unsigned)f < FORMAT_COUNT ? formats[f].ext : "txt";
}

int ho_format_parse(const char *s, ho_format *out)
{
	if (!s)
		return -1;
	for (size_t i = 0; i < FORMAT_COUNT; i++) {
		if (strcasecmp(s, formats[i].name) == 0 ||
		    (formats[i].alias1 && strcasecmp(s, formats[i].alias1) == 0) ||
		    (formats[i].alias2 && strcasecmp(s, formats[i].alias2) == 0)) {
			*out = (ho_format)i;
			return 0;
		}
	}
	return -1;
}

int ho_format_from_name(const char *path, ho_format *out)
{
	const char *base = strrchr(path, '/');
	const char *dot = strrchr(base ? base + 1 : path, '.');
	if (!dot || dot[1] == '\0')
		return 1;
	for (size_t i = 0; i < FORMAT_COUNT; i++) {
		if (strcasecmp(dot + 1, formats[i].ext) == 0 ||
		    (i == HO_FMT_HTML && strcasecmp(dot + 1, "htm") == 0) ||
		    (i == HO_FMT_MARKDOWN && strcasecmp(dot + 1, "markdown") == 0)) {
			*out = (ho_format)i;
			return 0;
		}
	}
	return -1;
}

ho_status ho_print(ho_db *db, const ho_print_opts *opts, FILE *out)
{
	struct rd_doc d;
	if ((unsigned)opts->format >= FORMAT_COUNT)
		return store_fail(db, HO_EUSAGE, "unknown document format");
	if (opts->all) {
		ho_status rs = rd_rollup(db, opts, out);
		if (rs == HO_OK && (fflush(out) != 0 || ferror(out)))
			rs = store_fail(db, HO_EIO, "writing the document: %s",
			                errno ? strerror(errno) : "write error");
		return rs;
	}
	ho_status st = rd_load(db, opts, &d);
	if (st != HO_OK)
		return st;
	if (opts->format == HO_FMT_PDF)
		st = rd_pdf(db, &d, out);
	else if (opts->format == HO_FMT_XLSX)
		st = rd_xlsx(db, &d, out);
	else if (opts->format == HO_FMT_DOCX)
		st = rd_docx(db, &d, out);
	else
		rd_walk(&d, formats[opts->format].writer, out);
	if (st == HO_OK && (fflush(out) != 0 || ferror(out)))
		st = store_fail(db, HO_EIO, "writing the document: %s",
		                errno ? strerror(errno) : "write error");
	rd_free(&d);
	return st;
}

ho_status ho_print_to_file(ho_db *db, const ho_print_opts *opts, const char *path, int flags)
{
	ho_outfile o;
	ho_status st = ho_outfile_open(db, path, flags, 0, &o);
	if (st != HO_OK)
		return st;
	if ((st = ho_print(db, opts, o.f)) != HO_OK) {
		ho_outfile_discard(&o);
		return st;
	}
	return ho_outfile_commit(db, &o);
}

ho_status ho_export_to_file(ho_db *db, const char *path, int flags)
{
	ho_outfile o;
	ho_status st = ho_outfile_open(db, path, flags, 0, &o);
	if (st != HO_OK)
		return st;
	if ((st = ho_export_csv(db, o.f)) != HO_OK) {
		ho_outfile_discard(&o);
		return st;
	}
	return ho_outfile_commit(db, &o);
}

/* Lower-case ASCII words joined by '-', at most max bytes: safe in any file
 * system and in a shell without quoting. */
static void slug(const char *s, char *out, size_t max)
{
	size_t n = 0;
	int dash = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p && n + 1 < max; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    (*p >= 'A' && *p <= 'Z')) {
			if (dash && n > 0 && n + 2 < max)
				out[n++] = '-';
			dash = 0;
			out[n++] = (char)(*p | 0x20);
		} else {
			dash = 1;
		}
	}
	out[n] = '\0';
}

char *ho_print_default_name(ho_db *db, const ho_print_opts *opts)
{
	char date[16], what[48] = "", code[16] = "", *name = NULL;
	ho_today(date, sizeof date);
	if (opts->all) {
		if (asprintf(&name, "handover-rollup-%s.%s", date, ho_format_ext(opts->format)) < 0)
			return NULL;
		return name;
	}
	int64_t hid = opts->handover_id;
	ho_function f = {0};
	if (opts->function_id && ho_function_get(db, opts->function_id, &f) == HO_OK) {
		slug(f.code, code, sizeof code);
		hid = f.handover_id;
		ho_function_clear(&f);
	}
	ho_handover *hs = NULL;
	size_t n = 0;
	if (ho_handovers_list(db, &hs, &n) == HO_OK) {
		for (size_t i = 0; i < n; i++) {
			if (hs[i].id == hid || (!hid && n == 1)) {
				slug(hs[i].service[0] ? hs[i].service : hs[i].title, what,
				     sizeof what);
				break;
			}
		}
		ho_handover_free(hs, n);
	}
	if (asprintf(&name, "handover%s%s%s%s-%s.%s", what[0] ? "-" : "", what, code[0] ? "-" : "",
	             code, date, ho_format_ext(opts->format)) < 0)
		return NULL;
	return name;
}
