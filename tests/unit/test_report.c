/* The handover document in every format, against golden files.
 *
 * A small handover is built under a fixed clock, so every document made
 * from it is the same byte for byte. The expected documents live in
 * tests/golden/report/. After an intended change to a document, regenerate
 * them with
 *
 *     HO_UPDATE_GOLDEN=1 ./test_report
 *
 * (from the build directory) and review the diff. A mismatch leaves the
 * document produced next to the test as NAME.actual. */
#define _GNU_SOURCE
#include "csv.h"
#include "handover/report.h"
#include "handover/risks.h"
#include "report_doc.h"
#include "testutil.h"

#include <libgen.h>
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "handover/terminal.h"
#include "handover/testhook.h"
#include <cmocka.h>

#define PRINTED_AT 1795341600 /* 2026-11-22T10:00:00Z */
#define DAY        86400

static ho_db *db;
static int64_t handover_id, fin_id, dig_id, com_id;

#define OK(call)                                                                                   \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != HO_OK)                                                                  \
			fail_msg("%s: %s (%s)", #call, ho_errmsg(db), ho_strerror(st_));           \
	} while (0)

static int64_t item_id(const char *ref)
{
	int64_t id = 0;
	OK(ho_item_find(db, handover_id, ref, &id));
	return id;
}

static void mark(const char *who, const char *ref, ho_action a, const char *text)
{
	ho_set_actor(db, who);
	OK(ho_item_mark(db, item_id(ref), 0, a, text, NULL));
}

/* Text chosen to break naive writers: markup, quotes, commas, formulas,
 * line breaks, escape sequences, bidi controls, wide and accented letters,
 * and a reference too long for any line. */
static void build(void)
{
	ho_clock_set(PRINTED_AT - 30 * DAY);
	db = tu_new_file("report.db", 1, 0);
	OK(ho_person_add(db, "sian", "Siân Évans", HO_ROLE_SENDER, "NHS England North West"));
	OK(ho_person_add(db, "zoe", "Zoë Ōtsuka", HO_ROLE_RECEIVER, "Mersey & Dee ICB"));
	OK(ho_person_add(db, "mal", "Mal <b>Icious</b> \"Q\" & 'S'", HO_ROLE_RECEIVER,
	                 "Evil <i>Org</i>"));
	OK(ho_handover_add(db, "Dental: North West to Mersey & Dee <ICB>", "Dental",
	                   "NHS England North West", "Mersey & Dee ICB", "2027-04-01",
	                   &handover_id));
	OK(ho_function_add(db, handover_id, "FIN", "Finance, budgets & \"ledgers\"", "2026-12-31",
	                   &fin_id));
	OK(ho_function_add(db, handover_id, "DIG", "Digital <systems>", "2026-11-01", &dig_id));
	OK(ho_function_add(db, handover_id, "COM",
	                   "Communications and engagement with stakeholders across the region", "",
	                   &com_id));
	OK(ho_item_add(db, fin_id, "Budgets reconciled to the ledger",
	               "Per service line, at the transfer date.\nInclude: dental, \"UDA\" lines, "
	               "and \"orthodontics\".",
	               "", NULL));
	OK(ho_item_add(db, fin_id, "=HYPERLINK(\"http://evil.example\",\"click\")",
	               "-5 adjustments; +3 credits; @risk", "", NULL));
	OK(ho_item_add(db, fin_id, "Authorised signatories", "", "2026-11-30", NULL));
	OK(ho_item_add(db, dig_id, "System inventory\x1b[31m (red)\x1b[0m with owners",
	               "Owners\xE2\x80\xAE and licences; 中文 names too", "", NULL));
	OK(ho_item_add(db, dig_id, "Receiver accounts",
	               "Register: https://sharepoint.example.nhs.uk/sites/pod/Shared%20Documents/"
	               "Handover/Digital/accounts-and-permissions-register-final-version-3.xlsx",
	               "", NULL));
	OK(ho_item_add(db, dig_id, "Day-one test transaction", "", "", NULL));
	OK(ho_item_add(db, com_id, "Stakeholder map", "LDC, LOC, LPC, Healthwatch, MPs", "", NULL));
	OK(ho_pair(db, handover_id, "FIN", "sian", "zoe"));
	OK(ho_pair(db, handover_id, "DIG", "sian", "mal"));

	ho_clock_set(PRINTED_AT - 20 * DAY);
	mark("sian", "FIN-1", HO_ACT_HANDED_OVER,
	     "Ledger extract <script>alert(1)</script>, 2026-10-31.xlsx");
	mark("sian", "FIN-2", HO_ACT_HANDED_OVER, "*bold* _x_ [link](http://e) | pipe\n# heading");
	mark("sian", "FIN-3", HO_ACT_NOT_APPLICABLE,
	     "Signatories are held nationally;\nnothing to move.");
	ho_clock_set(PRINTED_AT - 15 * DAY);
	mark("zoe", "FIN-1", HO_ACT_ACCEPTED, NULL);
	mark("zoe", "FIN-2", HO_ACT_ACCEPTED_CONDITIONS,
	     "Re-run the \"clawback\" report in April, owner: Zoë");
	mark("zoe", "FIN-3", HO_ACT_ACCEPTED, NULL);
	ho_clock_set(PRINTED_AT - 14 * DAY);
	ho_set_actor(db, "sian");
	OK(ho_function_sign(db, fin_id));
	ho_set_actor(db, "zoe");
	OK(ho_function_sign(db, fin_id));
	ho_clock_set(PRINTED_AT - 10 * DAY);
	mark("sian", "DIG-1", HO_ACT_HANDED_OVER, "Inventory v2, tab 'Systems'");
	mark("sian", "DIG-2", HO_ACT_IN_PROGRESS, NULL);
	ho_clock_set(PRINTED_AT - 5 * DAY);
	mark("mal", "DIG-1", HO_ACT_GAP,
	     "Which licences end before April?\nPlease list them, with "
	     "costs.");
	ho_clock_set(PRINTED_AT - 4 * DAY);
	ho_set_actor(db, "sian");
	OK(ho_item_comment(db, item_id("DIG-1"), "Looking into it & will reply by Friday."));

	/* The risk log: one open and one closed risk, a deep dive with an
	 * open and a done action. */
	ho_clock_set(PRINTED_AT - 3 * DAY);
	ho_set_actor(db, "lead");
	ho_risk_fields r = {.title = "Licences <lapse> before April & nobody renews them",
	                    .description = "Three systems' licences end in March.",
	                    .cause = "Contracts held by the region",
	                    .mitigation = "List them; novate or renew by 2027-02-01",
	                    .review_date = "2026-12-10",
	                    .owner = "mal",
	                    .function_code = "DIG",
	                    .items = "DIG-1",
	                    .likelihood = 4,
	                    .impact = 4};
	OK(ho_risk_add(db, 0, &r, NULL));
	ho_risk_fields r2 = {
	    .title = "Budget codes mapped wrongly", .owner = "zoe", .likelihood = 2, .impact = 3};
	OK(ho_risk_add(db, 0, &r2, NULL));
	OK(ho_risk_close(db, 0, "R-2", "Mapping checked against the ledger"));
	OK(ho_deep_dive_add(db, 0, "2026-11-19", "Digital deep dive", "ICB digital, region, CSU",
	                    "R-1", "Novate the three licences", NULL));
	OK(ho_dive_action_add(db, 0, "DD-1", "Ask the CSU for the licence list", "sian",
	                      "2026-11-26", NULL));
	OK(ho_dive_action_add(db, 0, "DD-1", "Agree the budget", "lead", "", NULL));
	OK(ho_dive_action_done(db, 0, "A-2"));

	ho_clock_set(PRINTED_AT);
	ho_set_actor(db, "lead");
}

static int setup(void **state)
{
	(void)state;
	build();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	ho_close(db);
	db = NULL;
	ho_clock_set(0);
	tu_cleanup();
	return 0;
}

/* ---- helpers --------------------------------------------------------------- */

static char *render(const ho_print_opts *o, size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_non_null(f);
	ho_status st = ho_print(db, o, f);
	fclose(f);
	if (st != HO_OK)
		fail_msg("print %s: %s", ho_format_name(o->format), ho_errmsg(db));
	*len = size;
	return buf;
}

static char *render_export(size_t *len)
{
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_non_null(f);
	ho_status st = ho_export_csv(db, f);
	fclose(f);
	if (st != HO_OK)
		fail_msg("export: %s", ho_errmsg(db));
	*len = size;
	return buf;
}

static const char *golden_path(const char *name)
{
	static char path[1024];
	const char *src = getenv("HO_SRC");
	if (src && *src) {
		snprintf(path, sizeof path, "%s/tests/golden/report/%s", src, name);
	} else {
		char here[1024];
		snprintf(here, sizeof here, "%s", __FILE__);
		snprintf(path, sizeof path, "%s/../golden/report/%s", dirname(here), name);
	}
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t size = 0, cap = 0, got;
	do {
		if (size + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
		got = fread(buf + size, 1, cap - size - 1, f);
		size += got;
	} while (got > 0);
	fclose(f);
	buf[size] = '\0';
	*len = size;
	return buf;
}

static void spill(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		fail_msg("cannot write %s", path);
	fwrite(data, 1, len, f);
	fclose(f);
}

/* On PostgreSQL a document names the database where SQLite's names the
 * file ("Printed from"): that one name, as the format writes it (Markdown
 * escapes its underscores), is put back to the file's before comparing, so
 * every other byte must be SQLite's (a document without it, CSV, as it
 * is). NULL when the name is printed more than once. */
static char *as_from_file(const char *got, size_t len, size_t *out_len)
{
	char plain[80], md[160];
	snprintf(plain, sizeof plain, "%s", tu_shown_name("report.db"));
	size_t m = 0;
	for (const char *p = plain; *p && m + 2 < sizeof md; p++) {
		if (*p == '_')
			md[m++] = '\\';
		md[m++] = *p;
	}
	md[m] = '\0';
	const char *names[] = {plain, md};
	for (size_t i = 0; i < 2; i++) {
		const char *at = memmem(got, len, names[i], strlen(names[i]));
		if (!at)
			continue;
		size_t n = strlen(names[i]), head = (size_t)(at - got);
		if (memmem(at + n, len - head - n, names[i], n))
			return NULL;
		char *doc = malloc(len + 16);
		assert_non_null(doc);
		memcpy(doc, got, head);
		memcpy(doc + head, "report.db", 9);
		memcpy(doc + head + 9, at + n, len - head - n);
		*out_len = len - n + 9;
		return doc;
	}
	char *doc = malloc(len + 1);
	assert_non_null(doc);
	memcpy(doc, got, len);
	*out_len = len;
	return doc;
}

static void check_golden(const char *name, const char *got, size_t len)
{
	char *norm = NULL;
	if (tu_pg() && !getenv("HO_UPDATE_GOLDEN")) {
		norm = as_from_file(got, len, &len);
		if (!norm)
			fail_msg("%s: the database's name is printed more than once", name);
		got = norm;
	}
	const char *path = golden_path(name);
	const char *update = getenv("HO_UPDATE_GOLDEN");
	if (update && strcmp(update, "1") == 0) {
		spill(path, got, len);
		print_message("updated %s\n", path);
		return;
	}
	size_t want_len = 0;
	char *want = slurp(path, &want_len);
	if (!want)
		fail_msg("no golden file %s (HO_UPDATE_GOLDEN=1 makes it)", path);
	int same = want_len == len && memcmp(want, got, len) == 0;
	free(want);
	if (!same) {
		char actual[512];
		snprintf(actual, sizeof actual, "%s.actual", name);
		spill(actual, got, len);
		fail_msg("%s differs from %s: see %s (HO_UPDATE_GOLDEN=1 to accept)", name, path,
		         actual);
	}
	free(norm);
}

static void golden(const char *name, ho_format fmt, int64_t function_id)
{
	ho_print_opts o = {.handover_id = 0, .function_id = function_id, .format = fmt};
	size_t len;
	char *doc = render(&o, &len);
	check_golden(name, doc, len);
	free(doc);
}

/* ---- golden documents -------------------------------------------------------- */

static void test_golden_text(void **state)
{
	(void)state;
	golden("handover.txt", HO_FMT_TEXT, 0);
	golden("function-dig.txt", HO_FMT_TEXT, dig_id);
}

static void test_golden_markdown(void **state)
{
	(void)state;
	golden("handover.md", HO_FMT_MARKDOWN, 0);
}

static void test_golden_html(void **state)
{
	(void)state;
	golden("handover.html", HO_FMT_HTML, 0);
	golden("function-fin.html", HO_FMT_HTML, fin_id);
}

static void test_golden_csv(void **state)
{
	(void)state;
	golden("handover.csv", HO_FMT_CSV, 0);
	size_t len;
	char *doc = render_export(&len);
	check_golden("export.csv", doc, len);
	free(doc);
}

static void test_golden_pdf_source(void **state)
{
	(void)state;
	struct rd_doc d;
	ho_print_opts o = {.format = HO_FMT_PDF};
	OK(rd_load(db, &o, &d));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	rd_walk(&d, &rd_pdf_writer, f);
	fclose(f);
	rd_free(&d);
	check_golden("handover.pdfsrc", buf, len);
	free(buf);
}

/* The footer's marking: DRAFT until a lead signs the handover, then FINAL
 * (the PDF's, the Word file's and the workbook's come from the same rule). */
static void test_marking_final_only_when_signed(void **state)
{
	(void)state;
	struct rd_doc d;
	ho_print_opts o = {.format = HO_FMT_PDF};
	OK(rd_load(db, &o, &d));
	for (int signed_ = 0; signed_ < 2; signed_++) {
		d.h->signed_at = signed_ ? 1795000000 : 0;
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		rd_walk(&d, &rd_pdf_writer, f);
		fclose(f);
		const char *want = signed_ ? "FOOT\tOFFICIAL \xe2\x80\x94 FINAL\t"
		                           : "FOOT\tOFFICIAL \xe2\x80\x94 DRAFT\t";
		if (!strstr(buf, want))
			fail_msg("no \"%s\" with signed_at %d", want, signed_);
		free(buf);
	}
	rd_free(&d);
}

/* Word's document.xml, as the docx writer makes it. */
static void test_golden_docx_body(void **state)
{
	(void)state;
	struct rd_doc d;
	ho_print_opts o = {.format = HO_FMT_DOCX};
	OK(rd_load(db, &o, &d));
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	rd_walk(&d, &rd_docx_writer, f);
	fclose(f);
	rd_free(&d);
	check_golden("handover.docx.xml", buf, len);
	free(buf);
}

/* ---- properties of each format ------------------------------------------------- */

static void test_text_fits_80_columns(void **state)
{
	(void)state;
	ho_print_opts o = {.format = HO_FMT_TEXT};
	size_t len;
	char *doc = render(&o, &len);
	int feeds = 0, lineno = 0;
	for (char *line = doc; *line;) {
		size_t n = strcspn(line, "\n");
		char *copy = strndup(line, n);
		lineno++;
		char *p = copy;
		while (*p == '\f') {
			feeds++;
			p++;
		}
		for (char *c = p; *c; c++)
			if ((unsigned char)*c < 0x20 || *c == 0x7f)
				fail_msg("line %d has control character 0x%02x", lineno, *c);
		if (ho_text_width(p) > 80)
			fail_msg("line %d is %d columns wide: %s", lineno, ho_text_width(p), p);
		if (n > 0 && p[strlen(p) - 1] == ' ')
			fail_msg("line %d ends in a space", lineno);
		free(copy);
		line += n;
		if (*line == '\n')
			line++;
	}
	/* One page per function, then carried forward, the risk log,
	 * sign-off and the glossary. */
	assert_int_equal(feeds, 3 + 4);
	assert_null(strstr(doc, "\xE2\x80\xAE"));
	assert_non_null(strstr(doc, "System inventory (red) with owners"));
	free(doc);
}

static const char *const allowed_tags[] = {
    "html",    "head",  "meta",  "title", "style", "body",   "header", "p",    "h1",
    "h2",      "h3",    "h4",    "dl",    "dt",    "dd",     "div",    "span", "strong",
    "section", "table", "thead", "tbody", "tr",    "th",     "td",     "a",    "article",
    "b",       "em",    "ol",    "li",    "code",  "footer", "nav",
};
static const char *const allowed_attrs[] = {"class",   "style", "id",      "href", "lang",
                                            "charset", "name",  "content", "role", "aria-label"};

static int in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncasecmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

/* A small HTML reader: every tag must be one we write, with attributes we
 * write, elements must nest, and no attribute may load anything. User text
 * that slipped through unescaped shows up as an unknown tag. */
static void check_html(const char *doc)
{
	const char *stack[64];
	size_t slen[64], depth = 0;
	const char *p = doc;
	assert_true(strncmp(p, "<!doctype html>\n", 16) == 0);
	p += 16;
	while ((p = strchr(p, '<')) != NULL) {
		p++;
		int closing = *p == '/';
		if (closing)
			p++;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (n == 0 ||
		    !in_list(allowed_tags, sizeof allowed_tags / sizeof *allowed_tags, p, n))
			fail_msg("unexpected tag at: %.40s", p - 1 - closing);
		const char *name = p;
		p += n;
		/* Attributes: name="value" with no '<' inside a value. */
		while (*p && *p != '>') {
			while (*p == ' ')
				p++;
			if (*p == '>')
				break;
			size_t an = strspn(p, "abcdefghijklmnopqrstuvwxyz-");
			if (an == 0 ||
			    !in_list(allowed_attrs, sizeof allowed_attrs / sizeof *allowed_attrs, p,
			             an))
				fail_msg("unexpected attribute at: %.40s", p);
			int href = an == 4 && strncmp(p, "href", 4) == 0;
			p += an;
			assert_true(p[0] == '=' && p[1] == '"');
			p += 2;
			const char *end = strchr(p, '"');
			assert_non_null(end);
			for (const char *c = p; c < end; c++)
				assert_true(*c != '<' && *c != '>');
			if (href)
				assert_true(*p == '#');
			assert_null(memmem(p, (size_t)(end - p), "url(", 4));
			p = end + 1;
		}
		assert_true(*p == '>');
		int is_void = n == 4 && strncmp(name, "meta", 4) == 0;
		if (closing) {
			assert_true(depth > 0);
			depth--;
			if (slen[depth] != n || strncmp(stack[depth], name, n) != 0)
				fail_msg("</%.*s> closes <%.*s>", (int)n, name, (int)slen[depth],
				         stack[depth]);
		} else if (!is_void) {
			assert_true(depth < 64);
			stack[depth] = name;
			slen[depth++] = n;
		}
		if (!closing && n == 5 && strncmp(name, "style", 5) == 0) {
			/* The style sheet: nothing from outside. */
			const char *end = strstr(p, "</style>");
			assert_non_null(end);
			assert_null(memmem(p, (size_t)(end - p), "@import", 7));
			assert_null(memmem(p, (size_t)(end - p), "url(", 4));
			p = end;
		}
	}
	assert_int_equal(depth, 0);
}

static void test_html_escaped_and_self_contained(void **state)
{
	(void)state;
	ho_print_opts o = {.format = HO_FMT_HTML};
	size_t len;
	char *doc = render(&o, &len);
	check_html(doc);
	assert_non_null(strstr(doc, "<meta charset=\"utf-8\">"));
	assert_non_null(strstr(doc, "@media print"));
	assert_non_null(strstr(doc, "break-before:page"));
	assert_null(strcasestr(doc, "<script"));
	assert_null(strstr(doc, "src="));
	assert_non_null(strstr(doc, "Ledger extract &lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(
	    strstr(doc, "Mal &lt;b&gt;Icious&lt;/b&gt; &quot;Q&quot; &amp; &#39;S&#39;"));
	assert_non_null(strstr(doc, "Dental: North West to Mersey &amp; Dee &lt;ICB&gt;"));
	assert_non_null(strstr(doc, "Zoë Ōtsuka"));
	assert_null(strchr(doc, '\x1b'));
	assert_null(strstr(doc, "\xE2\x80\xAE"));
	/* One page-broken section per function. */
	size_t sections = 0;
	for (const char *p = doc; (p = strstr(p, "<section class=\"function\"")); p++)
		sections++;
	assert_int_equal(sections, 3);
	free(doc);

	o.function_id = fin_id;
	doc = render(&o, &len);
	check_html(doc);
	free(doc);
}

static void test_markdown_escaped(void **state)
{
	(void)state;
	ho_print_opts o = {.format = HO_FMT_MARKDOWN};
	size_t len;
	char *doc = render(&o, &len);
	/* Every '<' from user text is escaped, so no tag can reach a renderer. */
	for (const char *p = doc; (p = strchr(p, '<')); p++)
		assert_true(p > doc && p[-1] == '\\');
	assert_non_null(strstr(doc, "\\<script\\>"));
	assert_non_null(
	    strstr(doc, "\\*bold\\* \\_x\\_ \\[link\\](http://e) \\| pipe\\\n  \\# heading"));
	assert_null(strchr(doc, '\x1b'));
	free(doc);
}

static void test_csv_parses_back(void **state)
{
	(void)state;
	ho_print_opts o = {.format = HO_FMT_CSV};
	size_t len;
	char *doc = render(&o, &len);
	assert_true(len > 3 && memcmp(doc, "\xEF\xBB\xBF", 3) == 0);
	/* Every row ends in CR LF; bare LF only inside quoted cells. */
	struct csv_reader r;
	struct csv_record rec = {0};
	csv_reader_init(&r, doc, len);
	assert_int_equal(csv_read(&r, &rec), 1);
	assert_int_equal(rec.n, rd_csv_column_count);
	for (size_t i = 0; i < rec.n; i++)
		assert_string_equal(rec.cells[i], rd_csv_columns[i]);
	int rows = 0;
	int saw_formula = 0, saw_guidance = 0, saw_name = 0, saw_minus = 0;
	while (csv_read(&r, &rec) == 1) {
		rows++;
		assert_int_equal(rec.n, rd_csv_column_count);
		const char *ref = rec.cells[5], *title = rec.cells[6], *guidance = rec.cells[7];
		if (strcmp(ref, "FIN-2") == 0) {
			assert_string_equal(title,
			                    "'=HYPERLINK(\"http://evil.example\",\"click\")");
			assert_string_equal(csv_unneutralise(title),
			                    "=HYPERLINK(\"http://evil.example\",\"click\")");
			assert_string_equal(guidance, "'-5 adjustments; +3 credits; @risk");
			/* The condition's owner and due date, as carried forward. */
			assert_string_equal(rec.cells[21], "Zoë Ōtsuka");
			assert_string_equal(rec.cells[22], "2027-04-01");
			saw_formula = saw_minus = 1;
		}
		if (strcmp(ref, "FIN-1") == 0) {
			assert_string_equal(guidance,
			                    "Per service line, at the transfer date.\nInclude: "
			                    "dental, \"UDA\" lines, and \"orthodontics\".");
			assert_string_equal(rec.cells[9], "Siân Évans");
			assert_string_equal(rec.cells[11], "Zoë Ōtsuka");
			assert_string_equal(rec.cells[14], "accepted");
			saw_guidance = saw_name = 1;
		}
		if (strcmp(ref, "DIG-1") == 0) {
			assert_string_equal(title, "System inventory (red) with owners");
			assert_string_equal(rec.cells[21], ""); /* no condition */
			assert_string_equal(rec.cells[23], "1");
			assert_string_equal(
			    rec.cells[24],
			    "Which licences end before April?\nPlease list them, with "
			    "costs.");
		}
	}
	assert_int_equal(rows, 7);
	assert_true(saw_formula && saw_guidance && saw_name && saw_minus);
	/* No data cell starts with a character a spreadsheet would run. */
	for (const char *p = doc; *p; p++)
		if ((p == doc || p[-1] == ',' || p[-1] == '\n') && strchr("=+-@", *p) && *p)
			fail_msg("formula-like cell at: %.30s", p);
	csv_record_free(&rec);
	free(doc);
}

static void test_csv_without_bom(void **state)
{
	(void)state;
	setenv("HANDOVER_CSV_BOM", "0", 1);
	size_t len;
	char *doc = render_export(&len);
	unsetenv("HANDOVER_CSV_BOM");
	assert_true(strncmp(doc, "Handover ID,Handover,", 21) == 0);
	free(doc);
}

static size_t pdf_pages(const char *pdf, size_t len)
{
	size_t pages = 0;
	const char *end = pdf + len;
	for (const char *p = pdf; (p = memmem(p, (size_t)(end - p), "/Type", 5)); p += 5) {
		const char *q = p + 5;
		while (q < end && (*q == ' ' || *q == '\n' || *q == '\r'))
			q++;
		if (end - q >= 6 && memcmp(q, "/Page", 5) == 0 && q[5] != 's')
			pages++;
	}
	return pages;
}

/* The docx package: a zip with its parts stored, A4, a page break before
 * each function, the footer's fields, the user's text escaped. */
static void test_docx(void **state)
{
	(void)state;
	const char *path = tu_out("handover.docx");
	ho_print_opts o = {.format = HO_FMT_DOCX};
	OK(ho_print_to_file(db, &o, path, HO_OUT_FORCE));
	size_t len;
	char *z = slurp(path, &len);
	assert_non_null(z);
	assert_true(len > 1000 && memcmp(z, "PK\x03\x04", 4) == 0);
	static const char *const parts[] = {"[Content_Types].xml", "word/document.xml",
	                                    "word/styles.xml",     "word/footer1.xml",
	                                    "word/header1.xml",    "docProps/core.xml"};
	for (size_t i = 0; i < sizeof parts / sizeof *parts; i++)
		if (!memmem(z, len, parts[i], strlen(parts[i])))
			fail_msg("no %s in the docx", parts[i]);
	static const char *const wanted[] = {"<w:pgSz w:w=\"11906\" w:h=\"16838\"/>",
	                                     "<w:pageBreakBefore/>",
	                                     " PAGE ",
	                                     " NUMPAGES ",
	                                     "OFFICIAL \xe2\x80\x94 DRAFT",
	                                     "STYLEREF",
	                                     "Mersey &amp; Dee &lt;ICB&gt;",
	                                     "<w:tblHeader/>"};
	for (size_t i = 0; i < sizeof wanted / sizeof *wanted; i++)
		if (!memmem(z, len, wanted[i], strlen(wanted[i])))
			fail_msg("no %s in the docx", wanted[i]);
	assert_null(memmem(z, len, "<ICB>", 5));
	/* End of central directory: every part listed. */
	assert_non_null(memmem(z + len - 22, 4, "PK\x05\x06", 4));
	free(z);
}

/* The workbook is a zip (its cells are read back by openpyxl in
 * e2e/print_xlsx); here: it is made, and the scratch file is gone. */
static void test_xlsx(void **state)
{
	(void)state;
	const char *path = tu_out("handover.xlsx");
	ho_print_opts o = {.format = HO_FMT_XLSX};
	OK(ho_print_to_file(db, &o, path, HO_OUT_FORCE));
	size_t len;
	char *z = slurp(path, &len);
	assert_non_null(z);
	assert_true(len > 1000 && memcmp(z, "PK\x03\x04", 4) == 0);
	assert_non_null(memmem(z, len, "xl/workbook.xml", 15));
	free(z);
	o.function_id = dig_id;
	OK(ho_print_to_file(db, &o, path, HO_OUT_FORCE));
}

static void test_pdf(void **state)
{
	(void)state;
	const char *path = tu_out("handover.pdf");
	ho_print_opts o = {.format = HO_FMT_PDF};
	OK(ho_print_to_file(db, &o, path, HO_OUT_FORCE));
	size_t len;
	char *pdf = slurp(path, &len);
	assert_non_null(pdf);
	assert_true(len > 1000 && memcmp(pdf, "%PDF", 4) == 0);
	/* Cover and summary, a page per function, carried forward, sign-off. */
	assert_true(pdf_pages(pdf, len) >= 3 + 3);
	free(pdf);

	o.function_id = dig_id;
	OK(ho_print_to_file(db, &o, path, HO_OUT_FORCE));
	pdf = slurp(path, &len);
	assert_true(memcmp(pdf, "%PDF", 4) == 0);
	assert_true(pdf_pages(pdf, len) >= 1);
	free(pdf);
}

/* The PDF is laid out in process: no program on PATH is needed (groff was,
 * and a missing one failed the print). */
static void test_pdf_needs_no_program(void **state)
{
	(void)state;
	const char *old = getenv("PATH");
	char *saved = strdup(old ? old : "");
	setenv("PATH", tu_dir(), 1);
	ho_print_opts o = {.format = HO_FMT_PDF};
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	ho_status st = ho_print(db, &o, f);
	fclose(f);
	setenv("PATH", saved, 1);
	free(saved);
	assert_int_equal(st, HO_OK);
	assert_true(size > 1000 && memcmp(buf, "%PDF", 4) == 0);
	free(buf);
}

static void test_print_to_file(void **state)
{
	(void)state;
	const char *path = tu_out("doc.html");
	ho_print_opts o = {.format = HO_FMT_HTML};
	OK(ho_print_to_file(db, &o, path, HO_OUT_FORCE));
	struct stat sb;
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 1000);
	/* As readable as any new file, not private like a mkstemp file. */
	mode_t mask = umask(0);
	umask(mask);
	assert_int_equal(sb.st_mode & 0777, 0666 & ~mask);
	/* No temporary file left beside it. */
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "ls -a '%s' | grep -q '^\\.doc\\.html\\.'", tu_dir());
	assert_int_not_equal(system(cmd), 0);
	/* Never over the handover file itself (a file's property: on
	 * PostgreSQL the handover is no file to write over). */
	if (!tu_pg()) {
		char hash[65], after[65];
		tu_file_hash(ho_path(db), hash);
		assert_int_equal(ho_print_to_file(db, &o, ho_path(db), HO_OUT_FORCE), HO_EPERM);
		tu_file_hash(ho_path(db), after);
		assert_string_equal(hash, after);
	}
	/* A directory that does not exist. */
	assert_int_equal(ho_print_to_file(db, &o, "/nonexistent-dir/doc.html", 0), HO_EBADFILE);
}

static void test_formats_and_names(void **state)
{
	(void)state;
	ho_format f;
	assert_int_equal(ho_format_parse("HTML", &f), 0);
	assert_int_equal(f, HO_FMT_HTML);
	assert_int_equal(ho_format_parse("md", &f), 0);
	assert_int_equal(f, HO_FMT_MARKDOWN);
	assert_int_equal(ho_format_parse("txt", &f), 0);
	assert_int_equal(f, HO_FMT_TEXT);
	assert_int_equal(ho_format_parse("docx", &f), 0);
	assert_int_equal(f, HO_FMT_DOCX);
	assert_int_equal(ho_format_parse("Excel", &f), 0);
	assert_int_equal(f, HO_FMT_XLSX);
	assert_int_equal(ho_format_parse("odt", &f), -1);
	/* The format from a file name: the extension, any case; none gives 1,
	 * one that names no format -1 (print refuses it). */
	assert_int_equal(ho_format_from_name("out/report.DOCX", &f), 0);
	assert_int_equal(f, HO_FMT_DOCX);
	assert_int_equal(ho_format_from_name("a.b/report.xlsx", &f), 0);
	assert_int_equal(f, HO_FMT_XLSX);
	assert_int_equal(ho_format_from_name("r.htm", &f), 0);
	assert_int_equal(f, HO_FMT_HTML);
	assert_int_equal(ho_format_from_name("r.pdf", &f), 0);
	assert_int_equal(f, HO_FMT_PDF);
	assert_int_equal(ho_format_from_name("a.b/report", &f), 1);
	assert_int_equal(ho_format_from_name("report.odt", &f), -1);
	assert_int_equal(ho_format_from_name("live.db-wal", &f), -1);
	assert_string_equal(ho_format_name(HO_FMT_PDF), "pdf");
	assert_string_equal(ho_format_ext(HO_FMT_MARKDOWN), "md");
	ho_print_opts o = {.format = HO_FMT_HTML};
	char *name = ho_print_default_name(db, &o);
	assert_string_equal(name, "handover-dental-2026-11-22.html");
	free(name);
	o.function_id = dig_id;
	o.format = HO_FMT_PDF;
	name = ho_print_default_name(db, &o);
	assert_string_equal(name, "handover-dental-dig-2026-11-22.pdf");
	free(name);
}

static void test_several_handovers_need_a_choice(void **state)
{
	(void)state;
	ho_db *two = tu_new_file("two.db", 0, 0);
	int64_t id = 0;
	assert_int_equal(ho_handover_add(two, "Optometry", "Optometry", "", "", "", &id), HO_OK);
	ho_print_opts o = {.format = HO_FMT_TEXT};
	char *buf = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&buf, &size);
	assert_int_equal(ho_print(two, &o, f), HO_EUSAGE);
	assert_non_null(strstr(ho_errmsg(two), "--handover"));
	o.handover_id = id;
	assert_int_equal(ho_print(two, &o, f), HO_OK);
	fclose(f);
	free(buf);
	/* A function of another handover. */
	ho_print_opts bad = {.handover_id = id, .function_id = 1, .format = HO_FMT_TEXT};
	f = open_memstream(&buf, &size);
	assert_int_equal(ho_print(two, &bad, f), HO_EUSAGE);
	fclose(f);
	free(buf);
	ho_close(two);
}

/* ---- what a signatory reads ---------------------------------------------- */

static void collect(FILE *out, const char *label, const char *value)
{
	fprintf(out, "%s=%s\n", label, value);
}

static char *facts_of(const struct rd_doc *d, int exec, enum rd_facts part)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (exec)
		rd_exec_summary(d, collect, f);
	else
		rd_cover_facts(d, part, collect, f);
	fclose(f);
	return buf;
}

/* Carried forward: every item not accepted, grouped by who acts, each
 * condition with its own owner and due date, the open queries (the
 * summary's count, nothing else) and the open risks. Before, it listed
 * conditions and a mix of "gaps" (overdue items twice, unpaired
 * functions) and left out items not started or in progress. */
static void test_carried_forward_lists_what_is_open(void **state)
{
	(void)state;
	struct rd_doc d;
	ho_print_opts o = {.format = HO_FMT_TEXT};
	OK(rd_load(db, &o, &d));
	assert_int_equal(d.carry_counts[RD_CARRY_ITEM], (size_t)(d.counts.total - d.counts.done));
	assert_int_equal(d.carry_counts[RD_CARRY_QUERY], (size_t)d.counts.gaps);
	assert_int_equal(d.carry_counts[RD_CARRY_CONDITION], (size_t)d.counts.conditions);
	assert_int_equal(d.carry_counts[RD_CARRY_RISK], 1);
	const char *groups[8];
	size_t ngroups = 0;
	for (size_t i = 0; i < d.ncarry; i++) {
		const struct rd_carry_row *r = &d.carry[i];
		if (i > 0)
			assert_true(r->section >= d.carry[i - 1].section);
		if (r->section == RD_CARRY_CONDITION) {
			assert_string_equal(r->ref, "FIN-2");
			assert_string_equal(r->owner, "Zoë Ōtsuka");
			assert_string_equal(r->due, "2027-04-01"); /* the target date */
		}
		if (r->section != RD_CARRY_ITEM)
			continue;
		assert_non_null(r->group);
		/* A group is one run: never seen before it starts. */
		if (!ngroups || strcmp(groups[ngroups - 1], r->group) != 0) {
			for (size_t k = 0; k < ngroups; k++)
				assert_string_not_equal(groups[k], r->group);
			assert_true(ngroups < 8);
			groups[ngroups++] = r->group;
		}
	}
	assert_int_equal(ngroups, 2); /* Siân to hand over; COM with nobody paired */
	assert_non_null(strstr(groups[0], "Siân Évans (sian), sender"));
	assert_non_null(strstr(groups[1], "No sender paired"));
	rd_free(&d);
}

/* A name longer than any limit (edited into the file by hand) prints
 * whole in the text document's carried-forward lines: the line was built
 * in a fixed buffer that a long owner's name ran past (found by
 * fuzz/dbfile, finding-carried-forward-long-owner). */
static void test_carried_forward_long_owner_prints_whole(void **state)
{
	(void)state;
	ho_db *f = tu_new_file("long-owner.db", 0, 0);
	int64_t fid = 0, item = 0, hid = 0;
	OK(ho_person_add(f, "sam", "Sam Sender", HO_ROLE_SENDER, ""));
	OK(ho_person_add(f, "rita", "Rita Receiver", HO_ROLE_RECEIVER, ""));
	OK(ho_handover_add(f, "Long", "Dental", "", "", "2027-04-01", &hid));
	OK(ho_function_add(f, hid, "FIN", "Finance", "", &fid));
	OK(ho_item_add(f, fid, "Budgets", "", "", &item));
	OK(ho_pair(f, hid, "FIN", "sam", "rita"));
	ho_set_actor(f, "sam");
	OK(ho_item_mark(f, item, 0, HO_ACT_HANDED_OVER, "Ledger", NULL));
	ho_set_actor(f, "rita");
	OK(ho_item_accept_conditions(f, item, 0, "Reconcile first", NULL, NULL));
	ho_close(f);

	char name[1200];
	memset(name, 'x', 1000);
	snprintf(name + 1000, sizeof name - 1000, " Endmark");
	char sql[1300];
	snprintf(sql, sizeof sql, "UPDATE people SET name = '%s' WHERE login = 'rita'", name);
	tu_edit(tu_path("long-owner.db"), sql);

	f = tu_open_as(tu_path("long-owner.db"), "rita");
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	ho_print_opts o = {.handover_id = hid, .format = HO_FMT_TEXT};
	OK(ho_print(f, &o, out));
	fclose(out);
	const char *carried = strstr(text, "Reconcile first");
	assert_non_null(carried);
	assert_non_null(strstr(carried, "Endmark"));
	free(text);
	ho_close(f);
}

/* Page 1's control table and the summary in words. */
static void test_control_and_summary_in_words(void **state)
{
	(void)state;
	struct rd_doc d;
	ho_print_opts o = {.format = HO_FMT_TEXT};
	OK(rd_load(db, &o, &d));
	char *c = facts_of(&d, 0, RD_FACTS_CONTROL);
	char want[200];
	snprintf(want, sizeof want, "Version=%lld (changes", (long long)d.events);
	assert_non_null(strstr(c, want));
	assert_non_null(strstr(c, "Status=DRAFT"));
	char from[120];
	snprintf(from, sizeof from, "Printed from=%s", tu_shown_name("report.db"));
	assert_non_null(strstr(c, from));
	assert_non_null(strstr(c, "Distribution=not recorded"));
	snprintf(want, sizeof want, "Head hash=%s\nState digest=%s\n", d.head, d.state);
	assert_non_null(strstr(c, want));
	free(c);
	char *e = facts_of(&d, 1, 0);
	assert_non_null(strstr(e, "Readiness=3 of 7 items accepted (42%), RAG red."));
	assert_non_null(strstr(e, "Late=3 items are overdue: DIG-1, DIG-2, DIG-3."));
	assert_non_null(
	    strstr(e, "Open queries=1 query the sender has still to answer, on DIG-1."));
	assert_non_null(strstr(e, "Top risks=R-1 Licences <lapse>"));
	assert_non_null(strstr(e, "Before sign-off=1 function needs a sender or receiver paired; "
	                          "4 items to be accepted"));
	free(e);
	/* Sign-off blocks: each function's pair, then the lead. */
	size_t n = 0;
	struct rd_signer *s = rd_signers(&d, &n);
	assert_int_equal(n, 3 * 2 + 1);
	assert_string_equal(s[0].role, "Sender");
	assert_string_equal(s[0].org, "NHS England North West");
	assert_true(s[0].signed_at > 0);
	assert_string_equal(s[6].role, "Lead");
	assert_non_null(strstr(rd_declaration(s[1].role), "received as recorded, subject to the "
	                                                  "conditions listed"));
	free(s);
	rd_free(&d);
}

int main(void)
{
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_golden_text),
	    cmocka_unit_test(test_golden_markdown),
	    cmocka_unit_test(test_golden_html),
	    cmocka_unit_test(test_golden_csv),
	    cmocka_unit_test(test_golden_pdf_source),
	    cmocka_unit_test(test_golden_docx_body),
	    cmocka_unit_test(test_marking_final_only_when_signed),
	    cmocka_unit_test(test_docx),
	    cmocka_unit_test(test_xlsx),
	    cmocka_unit_test(test_text_fits_80_columns),
	    cmocka_unit_test(test_html_escaped_and_self_contained),
	    cmocka_unit_test(test_markdown_escaped),
	    cmocka_unit_test(test_csv_parses_back),
	    cmocka_unit_test(test_csv_without_bom),
	    cmocka_unit_test(test_pdf),
	    cmocka_unit_test(test_pdf_needs_no_program),
	    cmocka_unit_test(test_print_to_file),
	    cmocka_unit_test(test_formats_and_names),
	    cmocka_unit_test(test_several_handovers_need_a_choice),
	    cmocka_unit_test(test_carried_forward_lists_what_is_open),
	    cmocka_unit_test(test_control_and_summary_in_words),
	    cmocka_unit_test(test_carried_forward_long_owner_prints_whole),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
