/* The handover document as a Word file (.docx), for people who edit the
 * document before it goes out. Written directly, not through pandoc: the
 * walk's operations write word/document.xml; rd_docx() packs it with the
 * styles (A4, Title, Heading 1-3 with a page break before each Heading 1, so
 * every function starts a page, a grid table style with a repeated header
 * row), a running header (the handover, and the current function through a
 * STYLEREF field), and the footer (marking, print date, Page N of M as
 * fields) into a zip (stored, fixed dates, so the same document makes the
 * same bytes). */
#define _GNU_SOURCE
#include "report_doc.h"
#include "store.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>

/* ---- document.xml ------------------------------------------------------------ */

/* User text as XML character data; a newline is a line break. */
static void esc(FILE *out, const char *s)
{
	static const struct rd_xml x = {"&quot;", NULL,
	                                "</w:t><w:br/><w:t xml:space=\"preserve\">"};
	rd_xml_esc(out, s, &x);
}

/* A run of text; bold when asked. */
static void run(FILE *out, const char *s, int bold)
{
	fprintf(out, "<w:r>%s<w:t xml:space=\"preserve\">", bold ? "<w:rPr><w:b/></w:rPr>" : "");
	esc(out, s);
	fputs("</w:t></w:r>", out);
}

static void para(FILE *out, const char *style, const char *s, int bold)
{
	fputs("<w:p>", out);
	if (style)
		fprintf(out, "<w:pPr><w:pStyle w:val=\"%s\"/></w:pPr>", style);
	run(out, s, bold);
	fputs("</w:p>\n", out);
}

static void table_begin(FILE *out, const char *style, const int *twips, int n)
{
	fprintf(out,
	        "<w:tbl><w:tblPr><w:tblStyle w:val=\"%s\"/><w:tblW w:w=\"5000\" w:type=\"pct\"/>"
	        "<w:tblLayout w:type=\"fixed\"/></w:tblPr><w:tblGrid>",
	        style);
	for (int i = 0; i < n; i++)
		fprintf(out, "<w:gridCol w:w=\"%d\"/>", twips[i]);
	fputs("</w:tblGrid>\n", out);
}

static void cell(FILE *out, const char *s, int bold)
{
	fputs("<w:tc><w:p><w:pPr><w:pStyle w:val=\"TableText\"/></w:pPr>", out);
	run(out, s && *s ? s : "\xe2\x80\x93", bold);
	fputs("</w:p></w:tc>", out);
}

static void header_row(FILE *out, const char *const *titles, int n)
{
	fputs("<w:tr><w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>", out);
	for (int i = 0; i < n; i++)
		cell(out, titles[i], 1);
	fputs("</w:tr>\n", out);
}

static void fact(FILE *out, const char *label, const char *value)
{
	fputs("<w:tr><w:trPr><w:cantSplit/></w:trPr>", out);
	cell(out, label, 1);
	cell(out, value, 0);
	fputs("</w:tr>\n", out);
}

static void facts_begin(FILE *out)
{
	static const int w[] = {2800, 6800};
	table_begin(out, "Facts", w, 2);
}

static void begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	char buf[160];
	para(out, "Kind",
	     d->single ? "Handover document \xe2\x80\x94 one function" : "Handover document", 0);
	para(out, "Title", d->doc_title, 0);
	facts_begin(out);
	rd_cover_facts(d, RD_FACTS_ABOUT, fact, out);
	rd_cover_facts(d, RD_FACTS_SIGNOFF, fact, out);
	fputs("</w:tbl>\n", out);
	int pct = rd_percent(d->counts.done, d->counts.total);
	snprintf(buf, sizeof buf, "Overall readiness: %d of %d items accepted (%d%%), RAG %s",
	         d->counts.done, d->counts.total, pct, rd_rag_word(d->rag, "none"));
	para(out, NULL, buf, 1);
	para(out, "Heading2", "Document control", 0);
	facts_begin(out);
	rd_cover_facts(d, RD_FACTS_CONTROL, fact, out);
	fputs("</w:tbl>\n", out);
	/* The contents as a field of the headings, with their pages: Word and
	 * LibreOffice fill it in when the document opens (settings.xml asks
	 * them to update fields). */
	para(out, "Heading2", "Contents", 0);
	fputs("<w:p><w:r><w:fldChar w:fldCharType=\"begin\" w:dirty=\"true\"/></w:r><w:r>"
	      "<w:instrText xml:space=\"preserve\"> TOC \\o \"1-1\" \\h \\z \\u </w:instrText>"
	      "</w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r><w:r><w:t>The contents "
	      "appear when the document is opened (or update the field).</w:t></w:r><w:r>"
	      "<w:fldChar w:fldCharType=\"end\"/></w:r></w:p>\n",
	      out);
}

static void summary(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	static const char *const t[] = {"Code",     "Function", "Sender", "Receiver", "Items",
	                                "Accepted", "Queries",  "Late",   "RAG"};
	static const int w[] = {800, 2300, 1450, 1450, 700, 900, 800, 600, 700};
	para(out, "Heading1", "Executive summary", 0);
	facts_begin(out);
	rd_exec_summary(d, fact, out);
	fputs("</w:tbl>\n", out);
	para(out, "Heading2", "Summary by function", 0);
	table_begin(out, "Grid", w, 9);
	header_row(out, t, 9);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		const ho_counts *c = &f->counts;
		char n[4][16];
		snprintf(n[0], sizeof n[0], "%d", c->total);
		snprintf(n[1], sizeof n[1], "%d", c->done);
		snprintf(n[2], sizeof n[2], "%d", c->gaps);
		snprintf(n[3], sizeof n[3], "%d", c->overdue);
		fputs("<w:tr><w:trPr><w:cantSplit/></w:trPr>", out);
		cell(out, f->code, 0);
		cell(out, f->name, 0);
		cell(out, f->sender_name[0] ? f->sender_name : "none", 0);
		cell(out, f->receiver_name[0] ? f->receiver_name : "none", 0);
		for (int k = 0; k < 4; k++)
			cell(out, n[k], 0);
		cell(out, rd_rag_word(f->rag, ""), 1);
		fputs("</w:tr>\n", out);
	}
	fputs("</w:tbl>\n", out);
}

static void person(FILE *out, const char *label, const char *name, const char *login, int64_t at)
{
	char buf[2 * HO_MAX_NAME + 80], s[48];
	rd_signed(at, s, sizeof s);
	if (name[0])
		snprintf(buf, sizeof buf, "%s (%s), %s", name, login, s);
	else
		snprintf(buf, sizeof buf, "none paired");
	fact(out, label, buf);
}

static void function_begin(const struct rd_at *at, FILE *out)
{
	const ho_function *f = at->rf->f;
	const ho_counts *c = &f->counts;
	char buf[300];
	snprintf(buf, sizeof buf, "%s \xe2\x80\x94 %s", f->code, f->name);
	para(out, "Heading1", buf, 0);
	facts_begin(out);
	person(out, "Sender", f->sender_name, f->sender_login, f->sender_signed_at);
	person(out, "Receiver", f->receiver_name, f->receiver_login, f->receiver_signed_at);
	fact(out, "Due", f->due_date[0] ? f->due_date : "no due date");
	snprintf(buf, sizeof buf,
	         "%d handed over, %d not applicable, %d accepted (%d with conditions), %d pending "
	         "review, %d open quer%s, %d overdue; readiness %d%%, RAG %s",
	         c->handed_over, c->not_applicable, c->done, c->conditions, c->pending, c->gaps,
	         c->gaps == 1 ? "y" : "ies", c->overdue, rd_percent(c->done, c->total),
	         rd_rag_word(f->rag, "none"));
	fact(out, "Items", buf);
	fputs("</w:tbl>\n", out);
	if (at->rf->nitems == 0)
		para(out, NULL, "This function has no items.", 0);
}

static void item_field(FILE *out, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	fputs("<w:p><w:pPr><w:pStyle w:val=\"Field\"/></w:pPr>", out);
	run(out, label, 1);
	run(out, ": ", 1);
	run(out, text, 0);
	fputs("</w:p>\n", out);
}

static void item_begin(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	char buf[300];
	snprintf(buf, sizeof buf, "%s  ", it->ref);
	fputs("<w:p><w:pPr><w:pStyle w:val=\"Heading3\"/></w:pPr>", out);
	run(out, buf, 0);
	run(out, it->title, 0);
	fputs("</w:p>\n", out);
	snprintf(buf, sizeof buf, "%s%s%s \xe2\x80\xa2 Sender: %s \xe2\x80\xa2 Receiver: %s%s%s",
	         it->due_date[0] ? "Due " : "No due date", it->due_date,
	         it->overdue ? " (overdue)" : "", ho_sender_state_name(it->sender_state),
	         ho_receiver_state_doc(it->receiver_state), it->rag ? " \xe2\x80\xa2 RAG " : "",
	         it->rag ? rd_rag_word(it->rag, "") : "");
	para(out, "States", buf, 0);
	rd_item_texts(it, item_field, out);
}

static void thread_entry(const struct rd_at *at, FILE *out)
{
	const ho_thread_entry *e = at->entry;
	char when[24], status[40], head[200];
	ho_time_format(e->at, when, sizeof when);
	rd_thread_status(e, status, sizeof status);
	snprintf(head, sizeof head, "%s, %s%s%s%s, ", when, ho_thread_kind_name(e->kind),
	         status[0] ? " (" : "", status, status[0] ? ")" : "");
	fputs("<w:p><w:pPr><w:pStyle w:val=\"Thread\"/></w:pPr>", out);
	run(out, head, 0);
	run(out, e->author_name, 1);
	run(out, ": ", 0);
	run(out, e->body, 0);
	fputs("</w:p>\n", out);
}

static void item_end(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	if (it->updated_at && it->updated_by[0]) {
		char when[24], buf[HO_MAX_NAME + 40];
		ho_time_format(it->updated_at, when, sizeof when);
		snprintf(buf, sizeof buf, "%s, %s", it->updated_by, when);
		item_field(out, "Last change", buf);
	}
}

static void carried_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	para(out, "Heading1", "Carried forward", 0);
}

static void carried_section(const struct rd_at *at, FILE *out)
{
	static const char *const t[] = {"Ref", "Item", "State", "Detail", "Owner", "Due"};
	static const char *const tr[] = {"Ref", "Risk", "Score", "Mitigation", "Owner", "Review"};
	static const int w[] = {900, 2200, 1200, 2900, 1500, 1000};
	const struct rd_carry_row *row = at->row;
	if (at->table_open)
		fputs("</w:tbl>\n", out);
	if (at->section != at->prev_section) {
		para(out, "Heading2", rd_carry_heading((enum rd_carry)at->section), 0);
		if (!row)
			para(out, NULL, rd_carry_none((enum rd_carry)at->section), 0);
	}
	if (!row)
		return;
	if (row->group)
		para(out, "Heading3", row->group, 0);
	table_begin(out, "Grid", w, 6);
	header_row(out, at->section == RD_CARRY_RISK ? tr : t, 6);
}

static void carried(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	fputs("<w:tr><w:trPr><w:cantSplit/></w:trPr>", out);
	cell(out, row->ref, 0);
	cell(out, row->title, 0);
	cell(out, row->what, 0);
	cell(out, row->detail, 0);
	cell(out, row->owner[0] ? row->owner : "nobody paired", 0);
	cell(out, row->due, 0);
	fputs("</w:tr>\n", out);
}

static void carried_end(const struct rd_at *at, FILE *out)
{
	if (at->table_open)
		fputs("</w:tbl>\n", out);
}

static void sign_off(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_handover *h = d->h;
	static const char *const t[] = {"Function", "Sender", "Sender sign-off", "Receiver",
	                                "Receiver sign-off"};
	static const int w[] = {2600, 1700, 1900, 1700, 1900};
	para(out, "Heading1", "Sign-off", 0);
	para(out, "Heading2", "Recorded in the file", 0);
	table_begin(out, "Grid", w, 5);
	header_row(out, t, 5);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		char name[HO_MAX_NAME + 40], s[48];
		snprintf(name, sizeof name, "%s %s", f->code, f->name);
		fputs("<w:tr><w:trPr><w:cantSplit/></w:trPr>", out);
		cell(out, name, 0);
		cell(out, f->sender_name[0] ? f->sender_name : "none", 0);
		rd_signed(f->sender_signed_at, s, sizeof s);
		cell(out, s, 0);
		cell(out, f->receiver_name[0] ? f->receiver_name : "none", 0);
		rd_signed(f->receiver_signed_at, s, sizeof s);
		cell(out, s, 0);
		fputs("</w:tr>\n", out);
	}
	fputs("</w:tbl>\n", out);
	if (!d->single) {
		char buf[HO_MAX_NAME + 80];
		if (h->signed_at) {
			char when[24];
			ho_time_format(h->signed_at, when, sizeof when);
			snprintf(buf, sizeof buf, "Handover: signed by %s, %s.", h->signed_by,
			         when);
		} else {
			snprintf(buf, sizeof buf, "Handover: not yet signed by a lead.");
		}
		para(out, NULL, buf, 0);
	}
	para(out, "Heading2", "Sign-off blocks", 0);
	para(out, NULL,
	     "Each signatory signs for what this document records at printing, with the "
	     "conditions listed under Carried forward. In the file is the signature recorded in "
	     "handover; the lines are for a paper copy.",
	     0);
	size_t n = 0;
	struct rd_signer *signers = rd_signers(d, &n);
	for (size_t i = 0; signers && i < n; i++) {
		char scope[2 * HO_MAX_NAME + 8], head[2 * HO_MAX_NAME + 40];
		rd_signer_scope(d, i, scope, sizeof scope);
		snprintf(head, sizeof head, "%s \xe2\x80\x94 %s", signers[i].role, scope);
		para(out, "Heading3", head, 0);
		facts_begin(out);
		rd_signer_facts(&signers[i], fact, out);
		fputs("</w:tbl>\n", out);
		para(out, NULL, rd_declaration(signers[i].role), 0);
		para(out, "SignLine",
		     "Name ______________________________   Job title _________________", 0);
		para(out, "SignLine",
		     "Signature __________________________   Date ______________________", 0);
	}
	free(signers);
}

static void end(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_counts *c = &d->counts;
	char buf[400];
	para(out, "Heading1", "Glossary", 0);
	facts_begin(out);
	for (const struct ho_template_term *t = ho_template_glossary; t->term; t++)
		fact(out, t->term, t->meaning);
	fputs("</w:tbl>\n", out);
	para(out, "Heading2", "Record of the file at printing", 0);
	facts_begin(out);
	snprintf(buf, sizeof buf, "%lld", (long long)d->events);
	fact(out, "History events", buf);
	fact(out, "Head hash", d->head[0] ? d->head : "(no history yet)");
	fact(out, "State digest", d->state);
	snprintf(buf, sizeof buf,
	         "%d in all: %d not started, %d in progress, %d handed over, %d not applicable; %d "
	         "pending review, %d accepted, %d accepted with conditions, %d open quer%s, %d "
	         "overdue",
	         c->total, c->not_started, c->in_progress, c->handed_over, c->not_applicable,
	         c->pending, c->accepted, c->conditions, c->gaps, c->gaps == 1 ? "y" : "ies",
	         c->overdue);
	fact(out, "Items", buf);
	fputs("</w:tbl>\n", out);
	para(out, NULL,
	     "While nothing has changed since printing, handover verify on the file shows this "
	     "head hash; a later change adds to the history after it and never alters it.",
	     0);
}

const struct rd_writer rd_docx_writer = {
    .begin = begin,
    .summary = summary,
    .function_begin = function_begin,
    .item_begin = item_begin,
    .thread_entry = thread_entry,
    .item_end = item_end,
    .carried_begin = carried_begin,
    .carried_section = carried_section,
    .carried = carried,
    .carried_end = carried_end,
    .sign_off = sign_off,
    .end = end,
};

/* ---- the package ----------------------------------------------------------------- */

#define W_NS                                                                                       \
	"xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" "                \
	"xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

static const char content_types[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
    "<Default Extension=\"rels\" "
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
    "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
    "<Override PartName=\"/word/document.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
    "<Override PartName=\"/word/styles.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
    "<Override PartName=\"/word/header1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>"
    "<Override PartName=\"/word/footer1.xml\" "
    "ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>"
    "<Override PartName=\"/docProps/core.xml\" "
    "ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
    "<Override PartName=\"/word/settings.xml\" "
    "ContentType=\"application/"
    "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
    "</Types>\n";

static const char package_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"word/document.xml\"/>"
    "<Relationship Id=\"rId2\" "
    "Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
    "core-properties\" Target=\"docProps/core.xml\"/>"
    "</Relationships>\n";

static const char document_rels[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rIdStyles\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" "
    "Target=\"styles.xml\"/>"
    "<Relationship Id=\"rIdHeader\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/header\" "
    "Target=\"header1.xml\"/>"
    "<Relationship Id=\"rIdFooter\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer\" "
    "Target=\"footer1.xml\"/>"
    "<Relationship Id=\"rIdSettings\" "
    "Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings\" "
    "Target=\"settings.xml\"/>"
    "</Relationships>\n";

/* Fields (the contents, page numbers) are brought up to date when the
 * document is opened. */
static const char settings[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:settings " W_NS
    "><w:updateFields w:val=\"true\"/></w:settings>\n";

#define FONTS                                                                                      \
	"<w:rFonts w:ascii=\"Liberation Sans\" w:hAnsi=\"Liberation Sans\" "                       \
	"w:eastAsia=\"Noto Sans CJK SC\" w:cs=\"Liberation Sans\"/>"

/* Sizes in half points, spacing in twentieths of a point. */
#define PSTYLE(id, name, ppr, rpr)                                                                 \
	"<w:style w:type=\"paragraph\" w:customStyle=\"1\" w:styleId=\"" id                        \
	"\"><w:name w:val=\"" name "\"/><w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr>" ppr      \
	"</w:pPr><w:rPr>" rpr "</w:rPr></w:style>"
#define HSTYLE(id, name, level, ppr, rpr)                                                          \
	"<w:style w:type=\"paragraph\" w:styleId=\"" id "\"><w:name w:val=\"" name                 \
	"\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr>"           \
	"<w:keepNext/><w:keepLines/>" ppr "<w:outlineLvl w:val=\"" level "\"/></w:pPr><w:rPr>"     \
	"<w:b/>" rpr "</w:rPr></w:style>"

static const char styles[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    "<w:styles " W_NS ">"
    "<w:docDefaults><w:rPrDefault><w:rPr>" FONTS
    "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"en-GB\"/></w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"80\" w:line=\"264\" w:lineRule=\"auto\"/>"
    "</w:pPr></w:pPrDefault></w:docDefaults>"
    "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name "
    "w:val=\"Normal\"/><w:qFormat/></w:style>"
    "<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/>"
    "<w:basedOn w:val=\"Normal\"/><w:qFormat/><w:pPr><w:spacing w:after=\"240\"/></w:pPr>"
    "<w:rPr><w:b/><w:sz w:val=\"40\"/><w:szCs w:val=\"40\"/></w:rPr></w:style>" HSTYLE(
        "Heading1", "heading 1", "0",
        "<w:pageBreakBefore/><w:pBdr><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"2\" "
        "w:color=\"1B1F24\"/></w:pBdr><w:spacing w:before=\"120\" w:after=\"160\"/>",
        "<w:sz w:val=\"30\"/><w:szCs w:val=\"30\"/>")
        HSTYLE("Heading2", "heading 2", "1", "<w:spacing w:before=\"240\" w:after=\"100\"/>",
               "<w:sz w:val=\"24\"/><w:szCs w:val=\"24\"/>")
            HSTYLE("Heading3", "heading 3", "2", "<w:spacing w:before=\"200\" w:after=\"20\"/>",
                   "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/>")
                PSTYLE("Kind", "Document kind", "<w:spacing w:after=\"40\"/>",
                       "<w:b/><w:caps/><w:color w:val=\"59636F\"/><w:sz w:val=\"16\"/>")
                    PSTYLE("States", "Item states", "<w:spacing w:after=\"60\"/>",
                           "<w:color w:val=\"59636F\"/><w:sz w:val=\"17\"/>")
                        PSTYLE(
                            "Field", "Item field",
                            "<w:ind w:left=\"360\"/><w:spacing w:after=\"40\"/>",
                            "") PSTYLE("Thread", "Thread entry",
                                       "<w:ind w:left=\"360\"/><w:pBdr><w:left w:val=\"single\" "
                                       "w:sz=\"12\" w:space=\"6\" "
                                       "w:color=\"C9D0D8\"/></w:pBdr><w:spacing w:after=\"40\"/>",
                                       "<w:sz w:val=\"18\"/>")
                            PSTYLE("TableText", "Table text",
                                   "<w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/>",
                                   "<w:sz w:val=\"17\"/>")
                                PSTYLE("SignLine", "Signature line",
                                       "<w:spacing w:before=\"320\" w:after=\"0\"/>", "")
                                    PSTYLE("Footer", "footer",
                                           "<w:tabs><w:tab w:val=\"center\" "
                                           "w:pos=\"4819\"/><w:tab w:val=\"right\" "
                                           "w:pos=\"9638\"/></w:tabs><w:spacing w:after=\"0\"/>",
                                           "<w:sz w:val=\"16\"/>")
                                        PSTYLE("Header", "header",
                                               "<w:tabs><w:tab w:val=\"right\" "
                                               "w:pos=\"9638\"/></w:tabs><w:spacing "
                                               "w:after=\"0\"/>",
                                               "<w:color w:val=\"59636F\"/><w:sz "
                                               "w:val=\"16\"/>") "<w:style w:type=\"table\" "
                                                                 "w:default=\"1\" "
                                                                 "w:styleId=\"TableNormal\"><w:"
                                                                 "name "
                                                                 "w:val=\"Normal "
                                                                 "Table\"/"
                                                                 "><w:tblPr><w:tblCellMar><w:"
                                                                 "left w:w=\"80\" "
                                                                 "w:type=\"dxa\"/>"
                                                                 "<w:right w:w=\"80\" "
                                                                 "w:type=\"dxa\"/></"
                                                                 "w:tblCellMar></w:tblPr></"
                                                                 "w:style>"
                                                                 "<w:style w:type=\"table\" "
                                                                 "w:customStyle=\"1\" "
                                                                 "w:styleId=\"Grid\"><w:name "
                                                                 "w:val=\"Handover "
                                                                 "grid\"/><w:basedOn "
                                                                 "w:val=\"TableNormal\"/"
                                                                 "><w:tblPr><w:tblBorders>"
                                                                 "<w:top w:val=\"single\" "
                                                                 "w:sz=\"4\" "
                                                                 "w:color=\"9AA5B1\"/>"
                                                                 "<w:left w:val=\"single\" "
                                                                 "w:sz=\"4\" "
                                                                 "w:color=\"9AA5B1\"/>"
                                                                 "<w:bottom w:val=\"single\" "
                                                                 "w:sz=\"4\" "
                                                                 "w:color=\"9AA5B1\"/>"
                                                                 "<w:right w:val=\"single\" "
                                                                 "w:sz=\"4\" "
                                                                 "w:color=\"9AA5B1\"/>"
                                                                 "<w:insideH w:val=\"single\" "
                                                                 "w:sz=\"4\" "
                                                                 "w:color=\"9AA5B1\"/>"
                                                                 "<w:insideV w:val=\"single\" "
                                                                 "w:sz=\"4\" "
                                                                 "w:color=\"9AA5B1\"/></"
                                                                 "w:tblBorders>"
                                                                 "<w:tblCellMar><w:top "
                                                                 "w:w=\"40\" "
                                                                 "w:type=\"dxa\"/><w:left "
                                                                 "w:w=\"80\" w:type=\"dxa\"/>"
                                                                 "<w:bottom w:w=\"40\" "
                                                                 "w:type=\"dxa\"/><w:right "
                                                                 "w:w=\"80\" "
                                                                 "w:type=\"dxa\"/></"
                                                                 "w:tblCellMar>"
                                                                 "</w:tblPr></w:style>"
                                                                 "<w:style w:type=\"table\" "
                                                                 "w:customStyle=\"1\" "
                                                                 "w:styleId=\"Facts\"><w:name "
                                                                 "w:val=\"Handover "
                                                                 "facts\"/><w:basedOn "
                                                                 "w:val=\"TableNormal\"/"
                                                                 "><w:tblPr><w:tblCellMar><w:"
                                                                 "top w:w=\"20\" "
                                                                 "w:type=\"dxa\"/><w:left "
                                                                 "w:w=\"0\" "
                                                                 "w:type=\"dxa\"/><w:bottom "
                                                                 "w:w=\"20\" w:type=\"dxa\"/>"
                                                                 "</w:tblCellMar></w:tblPr></"
                                                                 "w:style>"
                                                                 "</w:styles>\n";

/* A field (PAGE, NUMPAGES, STYLEREF) with its last known value. */
static void field(FILE *out, const char *instr, const char *shown)
{
	fprintf(out,
	        "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText "
	        "xml:space=\"preserve\"> %s </w:instrText></w:r><w:r><w:fldChar "
	        "w:fldCharType=\"separate\"/></w:r><w:r><w:t>%s</w:t></w:r><w:r><w:fldChar "
	        "w:fldCharType=\"end\"/></w:r>",
	        instr, shown);
}

static void header_part(FILE *out, const struct rd_doc *d)
{
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:hdr " W_NS
	      "><w:p><w:pPr><w:pStyle w:val=\"Header\"/></w:pPr>",
	      out);
	run(out, d->single ? d->h->title : d->doc_title, 0);
	fputs("<w:r><w:tab/></w:r>", out);
	field(out, "STYLEREF \"heading 1\" \\* MERGEFORMAT", "");
	fputs("</w:p></w:hdr>\n", out);
}

static void footer_part(FILE *out, const struct rd_doc *d)
{
	char buf[120];
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:ftr " W_NS
	      "><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>",
	      out);
	char status[HO_MAX_NAME + 16];
	rd_page_status(d, status, sizeof status);
	run(out, status, 1);
	snprintf(buf, sizeof buf, "Printed %s UTC", d->printed);
	fputs("<w:r><w:tab/></w:r>", out);
	run(out, buf, 0);
	fputs("<w:r><w:tab/></w:r>", out);
	run(out, "Page ", 0);
	field(out, "PAGE", "1");
	run(out, " of ", 0);
	field(out, "NUMPAGES", "1");
	/* The identity on a line of its own: beside the print date it ran
	 * into the marking on the left. */
	snprintf(buf, sizeof buf, "Document %s", d->identity);
	fputs("</w:p><w:p><w:pPr><w:pStyle w:val=\"Footer\"/><w:jc w:val=\"center\"/></w:pPr>",
	      out);
	run(out, buf, 0);
	fputs("</w:p></w:ftr>\n", out);
}

static void core_part(FILE *out, const struct rd_doc *d)
{
	char when[32];
	time_t t = (time_t)d->printed_at;
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
	fputs(
	    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
	    "<cp:coreProperties "
	    "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
	    "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
	    "xmlns:dcterms=\"http://purl.org/dc/terms/\" "
	    "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>",
	    out);
	/* the same escaping as the body, no newlines in these */
	esc(out, d->doc_title);
	fputs("</dc:title><dc:subject>Handover document: ", out);
	esc(out, d->h->service[0] ? d->h->service : d->h->title);
	fputs("</dc:subject><dc:creator>", out);
	esc(out, d->printed_by);
	fprintf(out,
	        "</dc:creator><cp:keywords>%s</cp:keywords><cp:contentStatus>%s</cp:contentStatus>"
	        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
	        "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified>"
	        "</cp:coreProperties>\n",
	        d->head, d->h->signed_at ? "FINAL" : "DRAFT", when, when);
}

/* A zip of stored (uncompressed) entries, written straight to out. */
struct zip {
	FILE *out;
	unsigned long offset;
	struct entry {
		const char *name;
		unsigned long crc, size, offset;
	} e[10];
	int n;
};

static void le16(FILE *out, unsigned v)
{
	fputc((int)(v & 0xFF), out);
	fputc((int)((v >> 8) & 0xFF), out);
}

static void le32(FILE *out, unsigned long v)
{
	le16(out, (unsigned)(v & 0xFFFF));
	le16(out, (unsigned)((v >> 16) & 0xFFFF));
}

#define DOS_DATE 0x0021 /* 1980-01-01: the same bytes for the same document */

static void zip_add(struct zip *z, const char *name, const char *data, size_t len)
{
	struct entry *e = &z->e[z->n++];
	size_t nlen = strlen(name);
	e->name = name;
	e->crc = crc32(crc32(0L, Z_NULL, 0), (const Bytef *)data, (uInt)len);
	e->size = (unsigned long)len;
	e->offset = z->offset;
	le32(z->out, 0x04034b50);
	le16(z->out, 20);
	le16(z->out, 0x0800); /* names in UTF-8 */
	le16(z->out, 0);      /* stored */
	le16(z->out, 0);
	le16(z->out, DOS_DATE);
	le32(z->out, e->crc);
	le32(z->out, e->size);
	le32(z->out, e->size);
	le16(z->out, (unsigned)nlen);
	le16(z->out, 0);
	fwrite(name, 1, nlen, z->out);
	fwrite(data, 1, len, z->out);
	z->offset += 30 + (unsigned long)nlen + (unsigned long)len;
}

static void zip_end(struct zip *z)
{
	unsigned long start = z->offset, size = 0;
	for (int i = 0; i < z->n; i++) {
		struct entry *e = &z->e[i];
		size_t nlen = strlen(e->name);
		le32(z->out, 0x02014b50);
		le16(z->out, 20);
		le16(z->out, 20);
		le16(z->out, 0x0800);
		le16(z->out, 0);
		le16(z->out, 0);
		le16(z->out, DOS_DATE);
		le32(z->out, e->crc);
		le32(z->out, e->size);
		le32(z->out, e->size);
		le16(z->out, (unsigned)nlen);
		le16(z->out, 0);
		le16(z->out, 0);
		le16(z->out, 0);
		le16(z->out, 0);
		le32(z->out, 0);
		le32(z->out, e->offset);
		fwrite(e->name, 1, nlen, z->out);
		size += 46 + (unsigned long)nlen;
	}
	le32(z->out, 0x06054b50);
	le16(z->out, 0);
	le16(z->out, 0);
	le16(z->out, (unsigned)z->n);
	le16(z->out, (unsigned)z->n);
	le32(z->out, size);
	le32(z->out, start);
	le16(z->out, 0);
}

/* A part made by `make` into memory. */
static char *part(void (*make)(FILE *, const struct rd_doc *), const struct rd_doc *d, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	if (!m)
		return NULL;
	make(m, d);
	int bad = ferror(m);
	if (fclose(m) != 0 || bad) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* word/document.xml around a body of paragraphs and tables. */
static char *document_part(const char *body, size_t blen, size_t *len)
{
	char *buf = NULL;
	FILE *m = open_memstream(&buf, len);
	if (!m)
		return NULL;
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:document " W_NS
	      "><w:body>\n",
	      m);
	fwrite(body, 1, blen, m);
	/* A4 portrait, 2 cm margins. */
	fputs("<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
	      "<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"
	      "<w:pgSz w:w=\"11906\" w:h=\"16838\"/><w:pgMar w:top=\"1134\" w:right=\"1134\" "
	      "w:bottom=\"1134\" w:left=\"1134\" w:header=\"567\" w:footer=\"567\" w:gutter=\"0\"/>"
	      "</w:sectPr></w:body></w:document>\n",
	      m);
	int bad = ferror(m);
	if (fclose(m) != 0 || bad) {
		free(buf);
		return NULL;
	}
	return buf;
}

ho_status rd_docx_body(ho_db *db, const struct rd_doc *d, const char *body, size_t blen, FILE *out)
{
	size_t ldoc = 0, lhdr = 0, lftr = 0, lcore = 0;
	char *doc = document_part(body, blen, &ldoc), *hdr = part(header_part, d, &lhdr);
	char *ftr = part(footer_part, d, &lftr), *core = part(core_part, d, &lcore);
	ho_status st = HO_OK;
	if (!doc || !hdr || !ftr || !core) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
	} else {
		struct zip z = {.out = out};
		/* [Content_Types].xml first, as readers expect. */
		zip_add(&z, "[Content_Types].xml", content_types, sizeof content_types - 1);
		zip_add(&z, "_rels/.rels", package_rels, sizeof package_rels - 1);
		zip_add(&z, "docProps/core.xml", core, lcore);
		zip_add(&z, "word/_rels/document.xml.rels", document_rels,
		        sizeof document_rels - 1);
		zip_add(&z, "word/document.xml", doc, ldoc);
		zip_add(&z, "word/styles.xml", styles, sizeof styles - 1);
		zip_add(&z, "word/header1.xml", hdr, lhdr);
		zip_add(&z, "word/footer1.xml", ftr, lftr);
		zip_add(&z, "word/settings.xml", settings, sizeof settings - 1);
		zip_end(&z);
	}
	free(doc);
	free(hdr);
	free(ftr);
	free(core);
	return st;
}

static void walk_body(FILE *out, const struct rd_doc *d)
{
	rd_walk(d, &rd_docx_writer, out);
}

ho_status rd_docx(ho_db *db, const struct rd_doc *d, FILE *out)
{
	size_t len = 0;
	char *body = part(walk_body, d, &len);
	if (!body)
		return store_fail(db, HO_ENOMEM, "out of memory");
	ho_status st = rd_docx_body(db, d, body, len, out);
	free(body);
	return st;
}

/* ---- the roll-up --------------------------------------------------------------- */

static struct {
	int n, facts;
} rb_open;

static void rb_begin(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx;
	para(out, "Kind", "Handover roll-up", 0);
}

static void rb_heading(int level, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	para(out, level == 0 ? "Title" : level == 1 ? "Heading1" : "Heading2", text, 0);
}

static void rb_para(const char *label, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	fputs("<w:p>", out);
	if (label) {
		char l[64];
		snprintf(l, sizeof l, "%s: ", label);
		run(out, l, 1);
	}
	run(out, text, 0);
	fputs("</w:p>\n", out);
}

static void rb_table(const char *name, int ncols, const char *const *heads, const int *widths,
                     void *ctx, FILE *out)
{
	(void)name, (void)ctx;
	rb_open.n = ncols;
	rb_open.facts = heads == NULL;
	if (!heads) {
		facts_begin(out);
		return;
	}
	/* Text columns to twips: 78 columns are the 9,638 twips between the
	 * margins. */
	int w[16];
	for (int i = 0; i < ncols && i < 16; i++)
		w[i] = widths[i] * 9638 / 78;
	table_begin(out, "Grid", w, ncols < 16 ? ncols : 16);
	header_row(out, heads, ncols < 16 ? ncols : 16);
}

static void rb_row(const char *const *cells, void *ctx, FILE *out)
{
	(void)ctx;
	if (rb_open.facts) {
		fact(out, cells[0], cells[1]);
		return;
	}
	fputs("<w:tr><w:trPr><w:cantSplit/></w:trPr>", out);
	for (int i = 0; i < rb_open.n; i++)
		cell(out, cells[i], 0);
	fputs("</w:tr>\n", out);
}

static void rb_table_end(void *ctx, FILE *out)
{
	(void)ctx;
	fputs("</w:tbl>\n", out);
}

static void rb_end(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx;
	para(out, NULL, RD_ROLLUP_NOTE, 0);
}

const struct rb_sink rb_docx_sink = {rb_begin, rb_heading,   rb_para, rb_table,
                                     rb_row,   rb_table_end, rb_end};
