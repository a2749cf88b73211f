/* Importing checklist template rows from a spreadsheet's CSV.
 *
 * Columns are found by their header (any case; spaces, '_' and '-' alike):
 * function code and item title are required; function name (required for
 * a function the handover does not have yet), guidance, due date and
 * function due date are used; every other column of an export is known
 * and ignored, so an exported tracker imports as a checklist. Anything
 * else is refused: a column nobody knows may be a typo that would silently
 * lose data.
 *
 * The whole file is read and checked before anything is written, and the
 * rows are then written in one transaction: a bad file leaves the handover
 * file as it was, and the message names the line. */
#define _GNU_SOURCE
#include "csv.h"
#include "report_doc.h"
#include "store.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Larger than any checklist; refusing early keeps memory bounded. */
#define IMPORT_MAX_BYTES (32L * 1024 * 1024)

enum col {
	COL_CODE,
	COL_NAME,
	COL_TITLE,
	COL_GUIDANCE,
	COL_DUE,
	COL_FUNCTION_DUE,
	COL__USED,
	COL_IGNORED = COL__USED
};

static const struct {
	const char *header; /* normalised */
	enum col col;
} known[] = {
    {"function code", COL_CODE}, {"code", COL_CODE},
    {"function name", COL_NAME}, {"function", COL_NAME},
    {"item title", COL_TITLE},   {"item", COL_TITLE},
    {"title", COL_TITLE},        {"guidance", COL_GUIDANCE},
    {"due date", COL_DUE},       {"due", COL_DUE},
    {"item due date", COL_DUE},  {"function due date", COL_FUNCTION_DUE},
};

struct row {
	int line;
	char *code, *name, *title, *guidance, *due, *function_due;
};

struct import {
	ho_db *db;
	const char *file; /* sanitised, for messages */
	int map[64];      /* header index -> enum col */
	size_t ncols;
	struct row *rows;
	size_t nrows, cap;
};

/* "Function_Code " -> "function code". */
static void normalise(const char *in, char *out, size_t size)
{
	size_t n = 0;
	int space = 0;
	for (const char *p = in; *p && n + 1 < size; p++) {
		char c = *p;
		if (c == ' ' || c == '_' || c == '-' || c == '\t') {
			space = n > 0;
			continue;
		}
		if (space && n + 2 < size)
			out[n++] = ' ';
		space = 0;
		out[n++] = (char)tolower((unsigned char)c);
	}
	out[n] = '\0';
}

static int known_column(const char *header, enum col *col)
{
	char norm[128];
	normalise(header, norm, sizeof norm);
	for (size_t i = 0; i < sizeof known / sizeof *known; i++)
		if (strcmp(norm, known[i].header) == 0) {
			*col = known[i].col;
			return 1;
		}
	for (size_t i = 0; i < rd_csv_column_count; i++) {
		char other[128];
		normalise(rd_csv_columns[i], other, sizeof other);
		if (strcmp(norm, other) == 0) {
			*col = COL_IGNORED;
			return 1;
		}
	}
	return 0;
}

static ho_status refuse(struct import *im, int line, const char *what)
{
	return store_fail(im->db, HO_EUSAGE, "%s line %d: %s; nothing imported", im->file, line,
	                  what);
}

static ho_status read_header(struct import *im, const struct csv_record *rec)
{
	int seen[COL__USED] = {0};
	char msg[300];
	if (rec->n > sizeof im->map / sizeof *im->map)
		return refuse(im, rec->line, "too many columns");
	for (size_t i = 0; i < rec->n; i++) {
		enum col c;
		const char *h = csv_unneutralise(rec->cells[i]);
		if (!known_column(h, &c)) {
			char *clean = ho_sanitise(h, HO_SAN_LINE);
			snprintf(msg, sizeof msg,
			         "unknown column \"%.60s\"%s (the first row names the columns: "
			         "function code, function name, item title, guidance, due date)",
			         clean ? clean : "",
			         strchr(h, ';') ? "; the file must be comma-separated" : "");
			free(clean);
			return refuse(im, rec->line, msg);
		}
		if (c != COL_IGNORED && seen[c]++) {
			char *clean = ho_sanitise(h, HO_SAN_LINE);
			snprintf(msg, sizeof msg, "column \"%.60s\" appears twice",
			         clean ? clean : "");
			free(clean);
			return refuse(im, rec->line, msg);
		}
		im->map[i] = (int)c;
	}
	im->ncols = rec->n;
	if (!seen[COL_CODE])
		return refuse(im, rec->line, "the header has no \"function code\" column");
	if (!seen[COL_TITLE])
		return refuse(im, rec->line, "the header has no \"item title\" column");
	return HO_OK;
}

static char *trimmed(const char *s)
{
	s = csv_unneutralise(s);
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == ' ')
		n--;
	return strndup(s, n);
}

/* YYYY-MM-DD, or DD/MM/YYYY as a spreadsheet in a UK locale writes dates;
 * the result is YYYY-MM-DD, "" for an empty cell, NULL when malformed. */
static char *parse_date(const char *s)
{
	if (!*s)
		return strdup("");
	if (ho_date_valid(s))
		return strdup(s);
	int d, m, y, used = 0;
	if (sscanf(s, "%2d/%2d/%4d%n", &d, &m, &y, &used) == 3 && s[used] == '\0' && y >= 1000 &&
	    y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
		char buf[32];
		snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
		if (ho_date_valid(buf))
			return strdup(buf);
	}
	return NULL;
}

static int code_valid(const char *code)
{
	size_t len = strlen(code);
	if (len < 2 || len > 8 || !(code[0] >= 'A' && code[0] <= 'Z'))
		return 0;
	for (const char *c = code; *c; c++)
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
			return 0;
	return 1;
}

static void row_free(struct row *r)
{
	free(r->code);
	free(r->name);
	free(r->title);
	free(r->guidance);
	free(r->due);
	free(r->function_due);
}

static int all_empty(const struct csv_record *rec)
{
	for (size_t i = 0; i < rec->n; i++)
		for (const char *p = rec->cells[i]; *p; p++)
			if (*p != ' ')
				return 0;
	return 1;
}

static ho_status read_row(struct import *im, const struct csv_record *rec)
{
	char msg[300];
	if (rec->n != im->ncols) {
		snprintf(msg, sizeof msg, "%zu cells where the header has %zu", rec->n, im->ncols);
		return refuse(im, rec->line, msg);
	}
	if (!store_grow((void **)&im->rows, &im->cap, im->nrows, sizeof *im->rows))
		return store_fail(im->db, HO_ENOMEM, "out of memory");
	struct row *r = &im->rows[im->nrows];
	memset(r, 0, sizeof *r);
	r->line = rec->line;
	char *cell[COL__USED] = {0};
	int ok = 1;
	for (size_t i = 0; i < rec->n && ok; i++)
		if (im->map[i] != COL_IGNORED)
			ok = (cell[im->map[i]] = trimmed(rec->cells[i])) != NULL;
	for (int c = 0; c < COL__USED && ok; c++)
		if (!cell[c])
			ok = (cell[c] = strdup("")) != NULL;
	if (!ok) {
		for (int c = 0; c < COL__USED; c++)
			free(cell[c]);
		return store_fail(im->db, HO_ENOMEM, "out of memory");
	}
	r->code = cell[COL_CODE];
	r->name = cell[COL_NAME];
	r->title = cell[COL_TITLE];
	r->guidance = cell[COL_GUIDANCE];
	im->nrows++; /* owned by the list from here on */
	for (char *p = r->code; *p; p++)
		*p = (char)toupper((unsigned char)*p);
	r->due = parse_date(cell[COL_DUE]);
	r->function_due = parse_date(cell[COL_FUNCTION_DUE]);
	int bad_due = !r->due, bad_fdue = !r->function_due;
	char *clean_due =
	    ho_sanitise(bad_due ? cell[COL_DUE] : cell[COL_FUNCTION_DUE], HO_SAN_LINE);
	free(cell[COL_DUE]);
	free(cell[COL_FUNCTION_DUE]);
	ho_status st = HO_OK;
	if (!r->code[0]) {
		st = refuse(im, r->line, "the function code is missing");
	} else if (!code_valid(r->code)) {
		char *clean = ho_sanitise(r->code, HO_SAN_LINE);
		snprintf(msg, sizeof msg,
		         "function code \"%.20s\" must be 2-8 letters or digits, starting with a "
		         "letter (like FIN)",
		         clean ? clean : "");
		free(clean);
		st = refuse(im, r->line, msg);
	} else if (!r->title[0]) {
		st = refuse(im, r->line, "the item title is missing");
	} else if (strlen(r->title) > HO_MAX_NAME) {
		snprintf(msg, sizeof msg, "the item title is longer than %d bytes", HO_MAX_NAME);
		st = refuse(im, r->line, msg);
	} else if (strlen(r->name) > HO_MAX_NAME) {
		snprintf(msg, sizeof msg, "the function name is longer than %d bytes", HO_MAX_NAME);
		st = refuse(im, r->line, msg);
	} else if (strlen(r->guidance) > HO_MAX_GUIDANCE) {
		snprintf(msg, sizeof msg, "the guidance is longer than %d bytes", HO_MAX_GUIDANCE);
		st = refuse(im, r->line, msg);
	} else if (bad_due || bad_fdue) {
		snprintf(msg, sizeof msg, "%s \"%.20s\" is not a date (YYYY-MM-DD or DD/MM/YYYY)",
		         bad_due ? "due date" : "function due date", clean_due ? clean_due : "");
		st = refuse(im, r->line, msg);
	}
	free(clean_due);
	return st;
}

/* Function names must agree between rows of the same code: two names for
 * one code is a mistake in the sheet, not something to guess about. */
static ho_status check_names(struct import *im)
{
	char msg[300];
	for (size_t i = 0; i < im->nrows; i++) {
		struct row *r = &im->rows[i];
		if (!r->name[0])
			continue;
		for (size_t j = 0; j < i; j++) {
			struct row *e = &im->rows[j];
			if (strcmp(e->code, r->code) != 0 || !e->name[0])
				continue;
			if (strcmp(e->name, r->name) != 0) {
				snprintf(msg, sizeof msg,
				         "function %s is named differently here than on line %d",
				         r->code, e->line);
				return refuse(im, r->line, msg);
			}
			break;
		}
	}
	return HO_OK;
}

/* The name and function due date given for a code anywhere in the file. */
static void function_details(const struct import *im, const char *code, const char **name,
                             const char **due)
{
	*name = "";
	*due = "";
	for (size_t i = 0; i < im->nrows; i++) {
		if (strcmp(im->rows[i].code, code) != 0)
			continue;
		if (!**name && im->rows[i].name[0])
			*name = im->rows[i].name;
		if (!**due && im->rows[i].function_due[0])
			*due = im->rows[i].function_due;
	}
}

struct fn_cache {
	char code[16];
	int64_t id;
};

static ho_status write_rows(struct import *im, int64_t handover_id, int *added)
{
	struct fn_cache *cache = calloc(im->nrows, sizeof *cache);
	size_t ncache = 0;
	ho_status st = HO_OK;
	char msg[600];
	if (!cache)
		return store_fail(im->db, HO_ENOMEM, "out of memory");
	for (size_t i = 0; i < im->nrows && st == HO_OK; i++) {
		struct row *r = &im->rows[i];
		int64_t fid = 0;
		for (size_t k = 0; k < ncache; k++)
			if (strcmp(cache[k].code, r->code) == 0)
				fid = cache[k].id;
		if (!fid) {
			st = ho_function_find(im->db, handover_id, r->code, &fid);
			if (st == HO_ENOTFOUND) {
				const char *name, *due;
				function_details(im, r->code, &name, &due);
				if (!name[0]) {
					snprintf(msg, sizeof msg,
					         "function %s is new to this handover and needs a "
					         "function "
					         "name",
					         r->code);
					st = refuse(im, r->line, msg);
					break;
				}
				st = ho_function_add(im->db, handover_id, r->code, name, due, &fid);
			}
			if (st == HO_OK) {
				snprintf(cache[ncache].code, sizeof cache[ncache].code, "%s",
				         r->code);
				cache[ncache++].id = fid;
			}
		}
		/* An item due the same day as its function inherits the function's
		 * date instead, which is what an export of it showed. */
		const char *due = strcmp(r->due, r->function_due) == 0 ? "" : r->due;
		if (st == HO_OK)
			st = ho_item_add(im->db, fid, r->title, r->guidance, due, NULL);
		if (st == HO_OK) {
			(*added)++;
		} else {
			snprintf(msg, sizeof msg, "%s", ho_errmsg(im->db));
			st = store_fail(im->db, st, "%s line %d: %s; nothing imported", im->file,
			                r->line, msg);
		}
	}
	free(cache);
	return st;
}

static ho_status target_handover(ho_db *db, int64_t *hid)
{
	if (*hid) {
		ho_handover *h = calloc(1, sizeof *h);
		if (!h)
			return store_fail(db, HO_ENOMEM, "out of memory");
		ho_status st = ho_handover_get(db, *hid, h);
		ho_handover_free(h, 1);
		return st;
	}
	ho_handover *hs = NULL;
	size_t n = 0;
	ho_status st = ho_handovers_list(db, &hs, &n);
	if (st != HO_OK)
		return st;
	if (n == 1)
		*hid = hs[0].id;
	else if (n == 0)
		st = store_fail(db, HO_ENOTFOUND, "the file holds no handover to import into");
	else
		st = store_fail(db, HO_EUSAGE,
		                "the file holds %zu handovers; pick one with --handover", n);
	ho_handover_free(hs, n);
	return st;
}

/* What a path that is not a regular file is, for the refusal. */
static const char *file_kind(mode_t mode)
{
	if (S_ISDIR(mode))
		return "a folder";
	if (S_ISFIFO(mode))
		return "a pipe (FIFO)";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a regular file";
}

static ho_status read_file(ho_db *db, const char *path, const char *shown, char **buf, size_t *len)
{
	struct stat sb;
	/* O_NONBLOCK: opening a FIFO for reading would otherwise wait for a
	 * writer that may never come; it is refused below instead. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return store_fail(db, HO_ENOTFOUND, "cannot read %s: %s", shown, strerror(errno));
	if (fstat(fd, &sb) != 0) {
		int err = errno;
		close(fd);
		return store_fail(db, HO_EIO, "cannot read %s: %s", shown, strerror(err));
	}
	if (!S_ISREG(sb.st_mode)) {
		close(fd);
		return store_fail(db, HO_EUSAGE, "%s is %s, not a CSV file; nothing imported",
		                  shown, file_kind(sb.st_mode));
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	FILE *f = fdopen(fd, "rb");
	if (!f) {
		close(fd);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	ho_status st = HO_OK;
	if (sb.st_size > IMPORT_MAX_BYTES) {
		st = store_fail(db, HO_EUSAGE, "%s is larger than %ld MiB; not a checklist", shown,
		                IMPORT_MAX_BYTES >> 20);
	} else if (!(*buf = malloc((size_t)sb.st_size + 1))) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
	} else {
		*len = fread(*buf, 1, (size_t)sb.st_size, f);
		(*buf)[*len] = '\0';
		if (ferror(f))
			st = store_fail(db, HO_EIO, "cannot read %s: %s", shown, strerror(errno));
	}
	fclose(f);
	return st;
}

/* Excel's "Unicode text" and some other programs save UTF-16: a byte order
 * mark FF FE or FE FF, or ASCII with a zero byte beside every letter. */
static int looks_utf16(const char *buf, size_t len)
{
	const unsigned char *b = (const unsigned char *)buf;
	if (len >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
		return 1;
	return len >= 4 && ((b[0] && !b[1] && b[2] && !b[3]) || (!b[0] && b[1] && !b[2] && b[3]));
}

ho_status ho_import_csv(ho_db *db, int64_t handover_id, const char *path, int *rows_out)
{
	struct import im = {.db = db};
	struct csv_reader rd;
	struct csv_record rec = {0};
	char *buf = NULL, *shown = NULL;
	size_t len = 0;
	int added = 0, have_header = 0, in_tx = 0;
	ho_status st;

	if (rows_out)
		*rows_out = 0;
	if ((st = store_require_lead(db, "importing a checklist")) != HO_OK)
		return st;
	if (!(shown = ho_sanitise(path, HO_SAN_LINE)))
		return store_fail(db, HO_ENOMEM, "out of memory");
	im.file = shown;
	if ((st = target_handover(db, &handover_id)) != HO_OK ||
	    (st = read_file(db, path, shown, &buf, &len)) != HO_OK)
		goto cleanup;
	if (looks_utf16(buf, len)) {
		st = store_fail(db, HO_EUSAGE,
		                "%s is UTF-16 text; save it as UTF-8 (in Excel: \"CSV UTF-8\") and "
		                "import it again; nothing imported",
		                shown);
		goto cleanup;
	}

	csv_reader_init(&rd, buf, len);
	for (;;) {
		int rc = csv_read(&rd, &rec);
		if (rc == 0)
			break;
		if (rc == -2) {
			st = store_fail(db, HO_ENOMEM, "out of memory");
			goto cleanup;
		}
		if (rc < 0) {
			st = refuse(&im, rd.err_line, rd.err);
			goto cleanup;
		}
		if (all_empty(&rec))
			continue; /* spreadsheets leave blank rows at the end */
		if (!have_header) {
			have_header = 1;
			if ((st = read_header(&im, &rec)) != HO_OK)
				goto cleanup;
		} else if ((st = read_row(&im, &rec)) != HO_OK) {
			goto cleanup;
		}
	}
	if (!have_header || im.nrows == 0) {
		st = store_fail(db, HO_EUSAGE, "%s holds no checklist rows; nothing imported",
		                shown);
		goto cleanup;
	}
	if ((st = check_names(&im)) != HO_OK)
		goto cleanup;

	if ((st = store_begin(db)) != HO_OK)
		goto cleanup;
	in_tx = 1;
	if ((st = write_rows(&im, handover_id, &added)) != HO_OK)
		goto cleanup;
	in_tx = 0;
	if ((st = store_commit(db)) != HO_OK)
		goto cleanup;
	if (rows_out)
		*rows_out = added;
cleanup:
	if (in_tx)
		store_rollback(db);
	csv_record_free(&rec);
	for (size_t i = 0; i < im.nrows; i++)
		row_free(&im.rows[i]);
	free(im.rows);
	free(buf);
	free(shown);
	return st;
}
