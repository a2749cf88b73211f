/* The handover document as PDF, laid out with Pango and drawn with Cairo.
 *
 * Why Pango and Cairo (measured on the demo file's first handover, 35
 * pages, 2-core machine, docs/benchmarks.md has the figures): groff's
 * gropdf took 0.6 s of CPU but knows only its Latin-1 Helvetica, which is
 * not embedded, and drops every other letter ("Wiśniewski" printed as
 * "Winiewski"); embedding a Unicode font needs a Type 1 conversion and
 * cannot fall back to CJK or emoji fonts. WeasyPrint (HTML and CSS paged
 * media) took 6.3 s of CPU for the same handover, far over the second a
 * person should wait. Pango shapes any script with fontconfig's fallback
 * (DejaVu Sans, then Symbola, then Noto CJK), Cairo embeds the
 * subset of each font it uses with a ToUnicode map, so the text extracts
 * back exactly, and both run in process.
 *
 * The writer operations (the same walk as every format) emit a small
 * line-based block language into memory; rd_pdf() then lays it out twice:
 * once to count the pages ("Page N of M"), once to draw. One record per
 * line, fields split by tabs; text fields are Pango markup in which user
 * text is always escaped (newlines as &#10;, so a record stays one line). */
#define _GNU_SOURCE
#include "report_doc.h"
#include "store.h"

#include <cairo-pdf.h>
#include <errno.h>
#include <fontconfig/fontconfig.h>
#include <glib.h>
#include <pango/pangocairo.h>
#include <pango/pangofc-fontmap.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- the writer: records ------------------------------------------------- */

/* User text as markup; a newline as a character reference, so a record
 * stays one line. */
static void esc(FILE *out, const char *s)
{
	static const struct rd_xml x = {NULL, NULL, "&#10;"};
	rd_xml_esc(out, s, &x);
}

static void esc_or(FILE *out, const char *s, const char *none)
{
	if (s && *s)
		esc(out, s);
	else
		fputs(none, out);
}

/* Plain text for a record field that is not markup (metadata). */
static void plain(FILE *out, const char *s)
{
	for (const char *p = s ? s : ""; *p; p++)
		fputc(*p == '\n' || *p == '\t' || *p == '\r' ? ' ' : *p, out);
}

#define GREY "<span foreground=\"#59636f\">"
#define END  "</span>"

static const char *rag_colour(ho_rag r)
{
	switch (r) {
	case HO_RAG_RED:
		return "#a3001b";
	case HO_RAG_AMBER:
		return "#9e6400";
	case HO_RAG_GREEN:
		return "#17652a";
	case HO_RAG_NONE:
		break;
	}
	return "#59636f";
}

static void rag(FILE *out, ho_rag r)
{
	const char *w = ho_rag_name(r);
	fprintf(out, "<span foreground=\"%s\"><b>%s</b></span>", rag_colour(r),
	        w && *w ? w : "\xe2\x80\x93");
}

static void fact_row(FILE *out, const char *label, const char *value)
{
	fprintf(out, "TR\t<b>%s</b>\t", label);
	esc_or(out, value, "\xe2\x80\x93");
	fputc('\n', out);
}

/* The hashes in a fixed-width font, whole. */
static void control_row(FILE *out, const char *label, const char *value)
{
	if (strlen(value) == 64 && !strchr(value, ' ')) {
		fprintf(out, "TR\t<b>%s</b>\t<tt>%s</tt>\n", label, value);
		return;
	}
	fact_row(out, label, value);
}

static void cover(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fprintf(out, "S\t<b>%s</b>\n",
	        d->single ? "HANDOVER DOCUMENT \xe2\x80\x94 ONE FUNCTION" : "HANDOVER DOCUMENT");
	fputs("TITLE\t", out);
	esc(out, d->doc_title);
	fputs("\nTS\tplain\t45\t0\n", out);
	rd_cover_facts(d, RD_FACTS_ABOUT, fact_row, out);
	rd_cover_facts(d, RD_FACTS_SIGNOFF, fact_row, out);
	fputs("TE\n", out);
	int pct = rd_percent(d->counts.done, d->counts.total);
	fprintf(out, "P\t<b>Overall readiness:</b> %d of %d items accepted (%d%%), RAG ",
	        d->counts.done, d->counts.total, pct);
	rag(out, d->rag);
	fprintf(out, "\nBAR\t%d\n", pct);
	fputs("H2\tDocument control\nTS\tbox\t32\t0\n", out);
	rd_cover_facts(d, RD_FACTS_CONTROL, control_row, out);
	fputs("TE\nH2\tContents\nTOC\n", out);
}

static void begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_handover *h = d->h;
	/* Metadata: title, author (who printed), subject. */
	fputs("META\t", out);
	plain(out, d->doc_title);
	fputc('\t', out);
	plain(out, d->printed_by);
	fputs("\tHandover document: ", out);
	plain(out, h->service[0] ? h->service : h->title);
	if (h->sender_org[0] || h->receiver_org[0]) {
		fputs(", ", out);
		plain(out, h->sender_org);
		fputs(" to ", out);
		plain(out, h->receiver_org);
	}
	fputc('\n', out);
	/* The running header names the handover; the footer carries the
	 * marking, FINAL only once a lead has signed the handover off. */
	fputs("HEAD\t", out);
	esc(out, d->single ? h->title : d->doc_title);
	char status[HO_MAX_NAME + 16];
	rd_page_status(d, status, sizeof status);
	fputs("\nFOOT\t", out);
	esc(out, status);
	fprintf(out, "\tPrinted %s UTC\t%s\t%d\n", d->printed, d->identity,
	        d->h->signed_at ? 0 : 1);
	fputs("SECTION\tCover\n", out);
	cover(at, out);
}

static const char *signed_word(const ho_function *f)
{
	if (f->sender_signed_at && f->receiver_signed_at)
		return "both";
	if (f->sender_signed_at)
		return "sender";
	if (f->receiver_signed_at)
		return "receiver";
	return "\xe2\x80\x93";
}

static void summary(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("SECTION\tSummary\nBREAK\nH1\tExecutive summary\nTS\tplain\t34\t0\n", out);
	rd_exec_summary(d, fact_row, out);
	fputs(
	    "TE\nH2\tSummary by function\nTS\tbox\t12\t0\t34\t11\t15\t9\t10\t17\t10\t14\t14\n"
	    "TH\tCode\tFunction\tSender / receiver\tItems\tHanded\tN/A\tAcc.\tQueries\tLate\tRAG\t"
	    "Signed\n",
	    out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		const ho_counts *c = &f->counts;
		fputs("TR\t", out);
		esc(out, f->code);
		fputc('\t', out);
		esc(out, f->name);
		fputc('\t', out);
		esc_or(out, f->sender_name, "none");
		fputs("&#10;", out);
		esc_or(out, f->receiver_name, "none");
		fprintf(out, "\t%d\t%d\t%d\t%d\t%d\t%d\t", c->total, c->handed_over,
		        c->not_applicable, c->done, c->gaps, c->overdue);
		rag(out, f->rag);
		fprintf(out, "\t%s\n", signed_word(f));
	}
	fputs("TE\nS\tHanded: handed over by the sender. Acc.: accepted by the receiver, with or "
	      "without conditions. Queries: open queries, raised by the receiver and not yet "
	      "answered. Late: overdue items. Signed: who has signed the function off. RAG: red "
	      "when items are overdue or the function is "
	      "unpaired; amber when queries are open or items fall due within two weeks.\n",
	      out);
}

static void item_field(FILE *out, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	fprintf(out, "IF\t<i>%s</i>\t", label);
	esc(out, text);
	fputc('\n', out);
}

static void item_begin(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	fputs("NE\t60\nH3\t", out);
	esc(out, it->ref);
	fputs("  ", out);
	esc(out, it->title);
	fputs("\nS\t" GREY, out);
	if (it->due_date[0]) {
		fputs("Due ", out);
		esc(out, it->due_date);
	} else {
		fputs("No due date", out);
	}
	fprintf(out, "%s \xe2\x80\xa2 Sender: " END "%s" GREY " \xe2\x80\xa2 Receiver: " END "%s",
	        it->overdue ? " <span foreground=\"#a3001b\"><b>(overdue)</b></span>" : "",
	        ho_sender_state_name(it->sender_state), ho_receiver_state_doc(it->receiver_state));
	if (it->rag) {
		fputs(" \xe2\x80\xa2 ", out);
		rag(out, it->rag);
	}
	fputc('\n', out);
	rd_item_texts(it, item_field, out);
}

static void thread_entry(const struct rd_at *at, FILE *out)
{
	const ho_thread_entry *e = at->entry;
	char when[24], status[40];
	ho_time_format(e->at, when, sizeof when);
	rd_thread_status(e, status, sizeof status);
	fprintf(out, "IF\t<i>%s</i>\t<small>" GREY "%s \xe2\x80\xa2 ",
	        e == at->rf->threads[at->item].entries ? "Thread" : "", when);
	esc(out, e->author_name);
	fprintf(out, " \xe2\x80\xa2 %s%s%s%s" END "</small>&#10;", ho_thread_kind_name(e->kind),
	        status[0] ? " (" : "", status, status[0] ? ")" : "");
	esc(out, e->body);
	fputc('\n', out);
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

static void person(FILE *out, const char *label, const char *name, const char *login, int64_t at)
{
	char buf[2 * HO_MAX_NAME + 80], s[48];
	rd_signed(at, s, sizeof s);
	if (name[0])
		snprintf(buf, sizeof buf, "%s (%s), %s", name, login, s);
	else
		snprintf(buf, sizeof buf, "none paired");
	fact_row(out, label, buf);
}

static void function_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_function *rf = at->rf;
	const ho_function *f = rf->f;
	const ho_counts *c = &f->counts;
	char buf[256];
	fputs("SECTION\t", out);
	esc(out, f->code);
	fputs(" \xe2\x80\x94 ", out);
	esc(out, f->name);
	fputs("\nBREAK\nH1\t", out);
	esc(out, f->code);
	fputs(" \xe2\x80\x94 ", out);
	esc(out, f->name);
	fputs("\nTS\tplain\t30\t0\n", out);
	person(out, "Sender", f->sender_name, f->sender_login, f->sender_signed_at);
	person(out, "Receiver", f->receiver_name, f->receiver_login, f->receiver_signed_at);
	fact_row(out, "Due", f->due_date[0] ? f->due_date : "no due date");
	snprintf(buf, sizeof buf,
	         "%d handed over, %d not applicable, %d accepted (%d with conditions), %d pending "
	         "review, %d open quer%s, %d overdue",
	         c->handed_over, c->not_applicable, c->done, c->conditions, c->pending, c->gaps,
	         c->gaps == 1 ? "y" : "ies", c->overdue);
	fact_row(out, "Items", buf);
	fputs("TE\n", out);
	int pct = rd_percent(c->done, c->total);
	fprintf(out, "P\t<b>Readiness:</b> %d of %d items accepted (%d%%), RAG ", c->done, c->total,
	        pct);
	rag(out, f->rag);
	fprintf(out, "\nBAR\t%d\n", pct);
	if (rf->nitems == 0)
		fputs("P\tThis function has no items.\n", out);
}

static void carried_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("SECTION\tCarried forward\nBREAK\nH1\tCarried forward\n", out);
}

static void carried_section(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	if (at->table_open)
		fputs("TE\n", out);
	if (at->section != at->prev_section) {
		fprintf(out, "H2\t%s\n", rd_carry_heading((enum rd_carry)at->section));
		if (!row)
			fprintf(out, "P\t%s\n", rd_carry_none((enum rd_carry)at->section));
	}
	if (!row)
		return;
	if (row->group) {
		fputs("H3\t", out);
		esc(out, row->group);
		fputc('\n', out);
	}
	fprintf(out, "TS\tbox\t16\t40\t26\t0\t26\t20\nTH\tRef\t%s\t%s\t%s\tOwner\t%s\n",
	        at->section == RD_CARRY_RISK ? "Risk" : "Item",
	        at->section == RD_CARRY_RISK ? "Score" : "State",
	        at->section == RD_CARRY_RISK ? "Mitigation" : "Detail",
	        at->section == RD_CARRY_RISK ? "Review" : "Due");
}

static void carried(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	fputs("TR\t", out);
	esc(out, row->ref);
	fputc('\t', out);
	esc(out, row->title);
	fputc('\t', out);
	esc(out, row->what);
	fputc('\t', out);
	esc_or(out, row->detail, "\xe2\x80\x93");
	fputc('\t', out);
	esc_or(out, row->owner, "nobody paired");
	fputc('\t', out);
	esc_or(out, row->due, "\xe2\x80\x93");
	fputc('\n', out);
}

static void carried_end(const struct rd_at *at, FILE *out)
{
	if (at->table_open)
		fputs("TE\n", out);
}

static void sign_off(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_handover *h = d->h;
	fputs("SECTION\tSign-off\nBREAK\nH1\tSign-off\nH2\tRecorded in the file\n"
	      "TS\tbox\t0\t30\t34\t30\t34\n"
	      "TH\tFunction\tSender\tSender sign-off\tReceiver\tReceiver sign-off\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		char s[48];
		fputs("TR\t", out);
		esc(out, f->code);
		fputc(' ', out);
		esc(out, f->name);
		fputc('\t', out);
		esc_or(out, f->sender_name, "none");
		rd_signed(f->sender_signed_at, s, sizeof s);
		fprintf(out, "\t%s\t", s);
		esc_or(out, f->receiver_name, "none");
		rd_signed(f->receiver_signed_at, s, sizeof s);
		fprintf(out, "\t%s\n", s);
	}
	fputs("TE\n", out);
	if (!d->single) {
		fputs("P\t<b>Handover:</b> ", out);
		if (h->signed_at) {
			char when[24];
			ho_time_format(h->signed_at, when, sizeof when);
			fputs("signed by ", out);
			esc(out, h->signed_by);
			fprintf(out, ", %s.\n", when);
		} else {
			fputs("not yet signed by a lead.\n", out);
		}
	}
	fputs("H2\tSign-off blocks\nS\tEach signatory signs for what this document records at "
	      "printing, with the conditions listed under Carried forward. <i>In the file</i> is "
	      "the signature recorded in handover; the lines are for a paper copy.\n",
	      out);
	size_t n = 0;
	struct rd_signer *signers = rd_signers(d, &n);
	for (size_t i = 0; signers && i < n; i++) {
		char scope[2 * HO_MAX_NAME + 8];
		rd_signer_scope(d, i, scope, sizeof scope);
		fprintf(out, "NE\t190\nH3\t%s \xe2\x80\x94 ", signers[i].role);
		esc(out, scope);
		fputs("\nTS\tplain\t30\t0\n", out);
		rd_signer_facts(&signers[i], fact_row, out);
		fprintf(out, "TE\nP\t<i>%s</i>\nSIG\n", rd_declaration(signers[i].role));
	}
	free(signers);
}

static void glossary(FILE *out)
{
	fputs("SECTION\tGlossary\nBREAK\nH1\tGlossary\nTS\tbox\t40\t0\nTH\tTerm\tMeaning\n", out);
	for (const struct ho_template_term *t = ho_template_glossary; t->term; t++) {
		fputs("TR\t<b>", out);
		esc(out, t->term);
		fputs("</b>\t", out);
		esc(out, t->meaning);
		fputc('\n', out);
	}
	fputs("TE\n", out);
}

static void record(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_counts *c = &d->counts;
	char buf[400];
	glossary(out);
	fputs("NE\t150\nSP\t10\nH2\tRecord of the file at printing\nTS\tplain\t30\t0\n", out);
	snprintf(buf, sizeof buf, "%lld", (long long)d->events);
	fact_row(out, "History events", buf);
	fprintf(out, "TR\t<b>Head hash</b>\t<tt>%s</tt>\n",
	        d->head[0] ? d->head : "(no history yet)");
	fprintf(out, "TR\t<b>State digest</b>\t<tt>%s</tt>\n", d->state);
	snprintf(buf, sizeof buf,
	         "%d in all: %d not started, %d in progress, %d handed over, %d not applicable; %d "
	         "pending review, %d accepted, %d accepted with conditions, %d open quer%s, %d "
	         "overdue",
	         c->total, c->not_started, c->in_progress, c->handed_over, c->not_applicable,
	         c->pending, c->accepted, c->conditions, c->gaps, c->gaps == 1 ? "y" : "ies",
	         c->overdue);
	fact_row(out, "Items", buf);
	fputs("TE\nP\tWhile nothing has changed since printing, <tt>handover verify</tt> on the "
	      "file shows this head hash and state digest. A later change adds to the history "
	      "after the head and never alters it; a row edited outside handover changes the "
	      "state digest, and verify names it.\n",
	      out);
}

/* ---- risks ---------------------------------------------------------- */

static ho_rag level_rag(ho_risk_level l)
{
	return l >= HO_RISK_HIGH ? HO_RAG_RED : l == HO_RISK_MODERATE ? HO_RAG_AMBER : HO_RAG_GREEN;
}

static void risks_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("SECTION\tRisk log\nBREAK\nH1\tRisk log\n", out);
	if (d->nrisks == 0) {
		fputs("P\tNo risks recorded.\n", out);
		return;
	}
	fputs("P\tOpen risks by likelihood and impact (NHS 5x5; score = L \xc3\x97 I):\n"
	      "TS\tbox\t24\t16\t16\t16\t16\t16\nTH\tLikelihood\tImpact 1\t2\t3\t4\t5\n",
	      out);
	for (int l = 5; l >= 1; l--) {
		fprintf(out, "TR\t%d", l);
		for (int i = 1; i <= 5; i++)
			fprintf(out, "\t<span foreground=\"%s\"><b>%d</b></span>",
			        rag_colour(level_rag(ho_risk_level_of(l * i))),
			        d->matrix[l - 1][i - 1]);
		fputc('\n', out);
	}
	fputs("TE\nSP\t8\n", out);
}

static void risk(const struct rd_at *at, FILE *out)
{
	const ho_risk *r = at->risk;
	char ref[48], score[64];
	rd_risk_ref(r, ref, sizeof ref);
	rd_risk_score(r, score, sizeof score);
	fputs("NE\t60\nH3\t", out);
	esc(out, ref);
	fputs("  ", out);
	esc(out, r->title);
	fprintf(out,
	        "\nS\t<span foreground=\"%s\">%s</span>" GREY " \xe2\x80\xa2 %s \xe2\x80\xa2 "
	        "Owner: " END,
	        rag_colour(level_rag(r->level)), score, r->closed ? "closed" : "open");
	esc(out, r->owner_name);
	if (r->review_date[0]) {
		fputs(GREY " \xe2\x80\xa2 Review " END, out);
		esc(out, r->review_date);
	}
	fputc('\n', out);
	item_field(out, "Description", r->description);
	item_field(out, "Cause", r->cause);
	item_field(out, "Mitigation", r->mitigation);
	item_field(out, "Items", r->items);
	item_field(out, "Closed", r->close_note);
}

static void actions_begin(const struct rd_at *at, FILE *out)
{
	if (at->d->single)
		return;
	fputs("H2\tOpen deep-dive actions\n", out);
	if (at->d->nactions == 0)
		fputs("P\tNo deep-dive action is open.\n", out);
	else
		fputs("TS\tbox\t14\t0\t16\t34\t22\nTH\tRef\tAction\tFrom\tOwner\tDue\n", out);
}

static void action(const struct rd_at *at, FILE *out)
{
	const ho_dive_action *a = at->action;
	fprintf(out, "TR\t%s\t", a->ref);
	esc(out, a->text);
	fprintf(out, "\t%s\t", a->dive_ref);
	esc(out, a->owner_name);
	fputc('\t', out);
	esc_or(out, a->due_date, "\xe2\x80\x93");
	fputc('\n', out);
}

static void actions_end(const struct rd_at *at, FILE *out)
{
	if (!at->d->single && at->d->nactions)
		fputs("TE\n", out);
}

const struct rd_writer rd_pdf_writer = {
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
    .risks_begin = risks_begin,
    .risk = risk,
    .actions_begin = actions_begin,
    .action = action,
    .actions_end = actions_end,
    .sign_off = sign_off,
    .end = record,
};

/* ---- the renderer ------------------------------------------------------------ */

#define PAGE_W   595.28 /* A4 in points */
#define PAGE_H   841.89
#define MARGIN_X 56.7
#define TOP      70.0
#define BOTTOM   (PAGE_H - 62.0)
#define TEXT_W   (PAGE_W - 2 * MARGIN_X)
#define MAXCOLS  12
#define FONT     "DejaVu Sans"

struct pdf {
	cairo_t *cr;
	PangoFontMap *fonts;
	PangoContext *ctx;
	int draw;  /* 0: the counting pass */
	int page;  /* current page, 0 before the first */
	int pages; /* from the counting pass */
	double y;
	char *head, *section, *foot_left, *foot_mid, *foot_id;
	int draft; /* unsigned: a DRAFT watermark on every page */
	/* The contents: every SECTION but the cover, and the page each
	 * starts on (from the counting pass). */
	char **toc;
	int *toc_page, ntoc, next_section;
	/* The open table. */
	int ncols, box, in_table;
	double widths[MAXCOLS];
	char *header; /* the TH record's fields, repeated on each page */
};

static PangoLayout *layout(struct pdf *p, const char *markup, double size, double width)
{
	PangoLayout *l = pango_layout_new(p->ctx);
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_size(fd, (int)(size * PANGO_SCALE));
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	pango_layout_set_width(l, (int)(width * PANGO_SCALE));
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	/* No ligatures: the text copied or extracted from the PDF is the
	 * letters typed. */
	PangoAttrList *attrs = pango_attr_list_new();
	pango_attr_list_insert(attrs, pango_attr_font_features_new("liga=0, clig=0"));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	/* Markup that does not parse (it cannot, from escaped text) would
	 * leave the layout empty: then the record's text as it is, so that
	 * nothing vanishes from the page. */
	if (pango_parse_markup(markup, -1, 0, NULL, NULL, NULL, NULL))
		pango_layout_set_markup(l, markup, -1);
	else
		pango_layout_set_text(l, markup, -1);
	return l;
}

static double height(PangoLayout *l)
{
	int w, h;
	pango_layout_get_size(l, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(struct pdf *p, PangoLayout *l, double x, double y)
{
	if (!p->draw)
		return;
	cairo_move_to(p->cr, x, y);
	pango_cairo_show_layout(p->cr, l);
}

static void text_at(struct pdf *p, const char *markup, double size, double x, double y,
                    double width, PangoAlignment align)
{
	PangoLayout *l = layout(p, markup, size, width);
	pango_layout_set_alignment(l, align);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
	pango_layout_set_height(l, -1);
	show(p, l, x, y);
	g_object_unref(l);
}

static void table_header(struct pdf *p);

/* DRAFT across the page, drawn as outlines in a light grey under the text:
 * outlines, so that the word never mixes into the text a reader copies or
 * pdftotext extracts. */
static void watermark(struct pdf *p)
{
	PangoLayout *l = layout(p, "<b>DRAFT</b>", 120, PAGE_W);
	int w, h;
	pango_layout_get_size(l, &w, &h);
	cairo_save(p->cr);
	cairo_translate(p->cr, PAGE_W / 2, PAGE_H / 2);
	cairo_rotate(p->cr, -0.9);
	cairo_move_to(p->cr, -(double)w / PANGO_SCALE / 2, -(double)h / PANGO_SCALE / 2);
	pango_cairo_layout_path(p->cr, l);
	cairo_set_source_rgb(p->cr, 0.93, 0.93, 0.94);
	cairo_fill(p->cr);
	cairo_restore(p->cr);
	g_object_unref(l);
}

static void new_page(struct pdf *p)
{
	if (p->page > 0 && p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->y = TOP;
	if (p->draw) {
		char num[64];
		if (p->draft)
			watermark(p);
		cairo_set_source_rgb(p->cr, 0.35, 0.39, 0.45);
		text_at(p, p->head ? p->head : "", 8, MARGIN_X, 30, TEXT_W * 0.58,
		        PANGO_ALIGN_LEFT);
		text_at(p, p->section ? p->section : "", 8, MARGIN_X + TEXT_W * 0.6, 30,
		        TEXT_W * 0.4, PANGO_ALIGN_RIGHT);
		cairo_set_line_width(p->cr, 0.5);
		cairo_move_to(p->cr, MARGIN_X, 44);
		cairo_line_to(p->cr, PAGE_W - MARGIN_X, 44);
		cairo_move_to(p->cr, MARGIN_X, PAGE_H - 48);
		cairo_line_to(p->cr, PAGE_W - MARGIN_X, PAGE_H - 48);
		cairo_stroke(p->cr);
		cairo_set_source_rgb(p->cr, 0.1, 0.12, 0.14);
		text_at(p, p->foot_left ? p->foot_left : "", 8, MARGIN_X, PAGE_H - 42, TEXT_W / 3,
		        PANGO_ALIGN_LEFT);
		cairo_set_source_rgb(p->cr, 0.35, 0.39, 0.45);
		text_at(p, p->foot_mid ? p->foot_mid : "", 8, MARGIN_X + TEXT_W / 3, PAGE_H - 42,
		        TEXT_W / 3, PANGO_ALIGN_CENTER);
		snprintf(num, sizeof num, "Page %d of %d", p->page, p->pages);
		text_at(p, num, 8, MARGIN_X + 2 * TEXT_W / 3, PAGE_H - 42, TEXT_W / 3,
		        PANGO_ALIGN_RIGHT);
		/* The document's identity on every page: a page swapped into a
		 * signed paper copy from another printing shows another. */
		char *id = g_strdup_printf("Document %s", p->foot_id ? p->foot_id : "");
		text_at(p, id, 7, MARGIN_X, PAGE_H - 31, TEXT_W, PANGO_ALIGN_CENTER);
		g_free(id);
		cairo_set_source_rgb(p->cr, 0.1, 0.12, 0.14);
	}
	if (p->in_table && p->header)
		table_header(p);
}

static void need(struct pdf *p, double h)
{
	if (p->page == 0 || (p->y + h > BOTTOM && p->y > TOP))
		new_page(p);
}

/* A layout line by line, breaking the page between lines. */
static void flow(struct pdf *p, PangoLayout *l, double x)
{
	PangoLayoutIter *it = pango_layout_get_iter(l);
	do {
		PangoRectangle r;
		pango_layout_iter_get_line_extents(it, NULL, &r);
		double lh = (double)r.height / PANGO_SCALE;
		need(p, lh);
		if (p->draw) {
			int base = pango_layout_iter_get_baseline(it) - r.y;
			cairo_move_to(p->cr, x, p->y + (double)base / PANGO_SCALE);
			pango_cairo_show_layout_line(p->cr,
			                             pango_layout_iter_get_line_readonly(it));
		}
		p->y += lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
}

static void paragraph(struct pdf *p, const char *markup, double size, double before, double after,
                      double x, double width)
{
	PangoLayout *l = layout(p, markup, size, width);
	need(p, before + height(l) / pango_layout_get_line_count(l));
	if (p->y > TOP)
		p->y += before;
	flow(p, l, x);
	p->y += after;
	g_object_unref(l);
}

/* Split a record's fields in place; returns how many. */
static int fields(char *s, char **f, int max)
{
	int n = 0;
	while (n < max) {
		f[n++] = s;
		char *t = strchr(s, '\t');
		if (!t)
			break;
		*t = '\0';
		s = t + 1;
	}
	return n;
}

static void row(struct pdf *p, char **cells, int n, int head)
{
	PangoLayout *l[MAXCOLS] = {0};
	double h = 0, pad = p->box ? 3 : 1.5;
	for (int i = 0; i < p->ncols; i++) {
		char *m = NULL;
		const char *cell = i < n ? cells[i] : "";
		if (head)
			m = g_strdup_printf("<b>%s</b>", cell);
		l[i] = layout(p, m ? m : cell, p->box ? 8 : 9.5, p->widths[i] - 2 * pad);
		g_free(m);
		double ch = height(l[i]);
		if (ch > h)
			h = ch;
	}
	h += 2 * pad;
	if (!head && p->y + h > BOTTOM && p->y > TOP)
		new_page(p);
	if (!head && p->y + h > BOTTOM) {
		/* Taller than a page: the cells one after another, each free
		 * to break across pages, so nothing is cut off. */
		for (int i = 0; i < p->ncols; i++) {
			flow(p, l[i], MARGIN_X + pad);
			p->y += pad;
			g_object_unref(l[i]);
		}
		return;
	}
	double x = MARGIN_X;
	if (p->draw && head) {
		cairo_set_source_rgb(p->cr, 0.95, 0.96, 0.97);
		cairo_rectangle(p->cr, MARGIN_X, p->y, TEXT_W, h);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0.1, 0.12, 0.14);
	}
	for (int i = 0; i < p->ncols; i++) {
		show(p, l[i], x + pad, p->y + pad);
		if (p->draw && p->box) {
			cairo_set_source_rgb(p->cr, 0.6, 0.65, 0.7);
			cairo_set_line_width(p->cr, 0.5);
			cairo_rectangle(p->cr, x, p->y, p->widths[i], h);
			cairo_stroke(p->cr);
			cairo_set_source_rgb(p->cr, 0.1, 0.12, 0.14);
		}
		x += p->widths[i];
		g_object_unref(l[i]);
	}
	p->y += h;
}

static void table_header(struct pdf *p)
{
	char *copy = g_strdup(p->header), *cells[MAXCOLS];
	int n = fields(copy, cells, MAXCOLS);
	row(p, cells, n, 1);
	g_free(copy);
}

static void bar(struct pdf *p, int pct)
{
	double w = 200, h = 8;
	need(p, h + 8);
	p->y += 3;
	if (p->draw) {
		cairo_set_source_rgb(p->cr, 0.89, 0.91, 0.93);
		cairo_rectangle(p->cr, MARGIN_X, p->y, w, h);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0.17, 0.42, 0.69);
		cairo_rectangle(p->cr, MARGIN_X, p->y, w * pct / 100.0, h);
		cairo_fill(p->cr);
		cairo_set_source_rgb(p->cr, 0.35, 0.39, 0.45);
		cairo_set_line_width(p->cr, 0.5);
		cairo_rectangle(p->cr, MARGIN_X, p->y, w, h);
		cairo_stroke(p->cr);
		char num[16];
		snprintf(num, sizeof num, "%d%%", pct);
		cairo_set_source_rgb(p->cr, 0.1, 0.12, 0.14);
		text_at(p, num, 8, MARGIN_X + w + 6, p->y - 1, 60, PANGO_ALIGN_LEFT);
	}
	p->y += h + 8;
}

static void signature_lines(struct pdf *p)
{
	static const char *const labels[] = {"Name", "Job title", "Signature", "Date"};
	need(p, 70);
	for (int i = 0; i < 4; i++) {
		double x = MARGIN_X + (i % 2) * (TEXT_W / 2 + 10), y = p->y + (i / 2) * 32 + 24;
		if (p->draw) {
			text_at(p, labels[i], 8, x, y - 10, 60, PANGO_ALIGN_LEFT);
			cairo_set_line_width(p->cr, 0.6);
			cairo_move_to(p->cr, x + 50, y);
			cairo_line_to(p->cr, x + TEXT_W / 2 - 10, y);
			cairo_stroke(p->cr);
		}
	}
	p->y += 70;
}

static void set(char **slot, const char *s)
{
	g_free(*slot);
	*slot = g_strdup(s);
}

/* A section after the cover begins: the counting pass notes its page for
 * the contents (the next BREAK starts it on a new page), the drawing pass
 * adds it to the PDF's outline. */
static void section_starts(struct pdf *p, const char *name)
{
	int i = p->next_section++;
	if (i >= p->ntoc)
		return;
	int page = p->page == 0 || p->y > TOP ? p->page + 1 : p->page;
	if (!p->draw) {
		p->toc_page[i] = page;
		return;
	}
	char *plain = NULL;
	if (!pango_parse_markup(name, -1, 0, NULL, &plain, NULL, NULL))
		plain = g_strdup(name);
	char *dest = g_strdup_printf("page=%d", p->toc_page[i]);
	cairo_pdf_surface_add_outline(cairo_get_target(p->cr), CAIRO_PDF_OUTLINE_ROOT, plain, dest,
	                              CAIRO_PDF_OUTLINE_FLAG_OPEN);
	g_free(dest);
	g_free(plain);
}

/* The contents: a line per section with its page, the same height in both
 * passes, so that the pages counted are the pages drawn. */
static void contents(struct pdf *p)
{
	for (int i = 0; i < p->ntoc; i++) {
		PangoLayout *l = layout(p, p->toc[i], 9.5, TEXT_W - 60);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		need(p, 14);
		show(p, l, MARGIN_X, p->y);
		g_object_unref(l);
		if (p->draw) {
			char num[16];
			snprintf(num, sizeof num, "%d", p->toc_page[i]);
			text_at(p, num, 9.5, PAGE_W - MARGIN_X - 50, p->y, 50, PANGO_ALIGN_RIGHT);
			cairo_set_source_rgb(p->cr, 0.8, 0.82, 0.85);
			cairo_set_line_width(p->cr, 0.4);
			cairo_move_to(p->cr, MARGIN_X, p->y + 13);
			cairo_line_to(p->cr, PAGE_W - MARGIN_X, p->y + 13);
			cairo_stroke(p->cr);
			cairo_set_source_rgb(p->cr, 0.1, 0.12, 0.14);
		}
		p->y += 14;
	}
	p->y += 6;
}

/* The sections the contents list, from the records. */
static int list_sections(struct pdf *p, const char *src)
{
	for (const char *l = src; l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL) {
		if (strncmp(l, "SECTION\t", 8) != 0 || strncmp(l + 8, "Cover\n", 6) == 0)
			continue;
		const char *e = strchr(l, '\n');
		char **grown = g_try_realloc(p->toc, (size_t)(p->ntoc + 1) * sizeof *grown);
		if (!grown)
			return 0;
		p->toc = grown;
		p->toc[p->ntoc++] = g_strndup(l + 8, e ? (size_t)(e - l - 8) : strlen(l + 8));
	}
	p->toc_page = g_try_new0(int, p->ntoc ? p->ntoc : 1);
	return p->toc_page != NULL;
}

/* One pass over the records. */
static void render(struct pdf *p, const char *src)
{
	char *copy = g_strdup(src);
	char *save = NULL;
	for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *f[MAXCOLS + 2];
		int n = fields(line, f, MAXCOLS + 2);
		const char *k = f[0], *a = n > 1 ? f[1] : "";
		if (strcmp(k, "META") == 0) {
			if (p->draw && n >= 4) {
				cairo_surface_t *s = cairo_get_target(p->cr);
				cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, f[1]);
				cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_AUTHOR, f[2]);
				cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_SUBJECT, f[3]);
			}
		} else if (strcmp(k, "HEAD") == 0) {
			set(&p->head, a);
		} else if (strcmp(k, "FOOT") == 0) {
			set(&p->foot_left, a);
			set(&p->foot_mid, n > 2 ? f[2] : "");
			set(&p->foot_id, n > 3 ? f[3] : "");
			p->draft = n > 4 && strcmp(f[4], "1") == 0;
		} else if (strcmp(k, "SECTION") == 0) {
			set(&p->section, a);
			if (strcmp(a, "Cover") != 0)
				section_starts(p, a);
		} else if (strcmp(k, "TOC") == 0) {
			contents(p);
		} else if (strcmp(k, "BREAK") == 0) {
			if (p->page == 0 || p->y > TOP)
				new_page(p);
		} else if (strcmp(k, "NE") == 0) {
			need(p, atof(a));
		} else if (strcmp(k, "SP") == 0) {
			if (p->y > TOP)
				p->y += atof(a);
		} else if (strcmp(k, "TITLE") == 0) {
			char *m = g_strdup_printf("<b>%s</b>", a);
			paragraph(p, m, 20, 4, 10, MARGIN_X, TEXT_W);
			g_free(m);
		} else if (strcmp(k, "H1") == 0) {
			char *m = g_strdup_printf("<b>%s</b>", a);
			need(p, 80);
			paragraph(p, m, 15, 12, 8, MARGIN_X, TEXT_W);
			g_free(m);
		} else if (strcmp(k, "H2") == 0) {
			char *m = g_strdup_printf("<b>%s</b>", a);
			need(p, 60);
			paragraph(p, m, 12, 10, 5, MARGIN_X, TEXT_W);
			g_free(m);
		} else if (strcmp(k, "H3") == 0) {
			char *m = g_strdup_printf("<b>%s</b>", a);
			paragraph(p, m, 10, 8, 1, MARGIN_X, TEXT_W);
			g_free(m);
		} else if (strcmp(k, "P") == 0) {
			paragraph(p, a, 9.5, 3, 3, MARGIN_X, TEXT_W);
		} else if (strcmp(k, "S") == 0) {
			paragraph(p, a, 8, 1, 3, MARGIN_X, TEXT_W);
		} else if (strcmp(k, "IF") == 0) {
			double indent = 68;
			PangoLayout *l = layout(p, n > 2 ? f[2] : "", 9, TEXT_W - indent);
			need(p, height(l) / pango_layout_get_line_count(l) + 2);
			p->y += 2;
			text_at(p, a, 8.5, MARGIN_X, p->y, indent - 6, PANGO_ALIGN_LEFT);
			flow(p, l, MARGIN_X + indent);
			g_object_unref(l);
		} else if (strcmp(k, "TS") == 0) {
			p->box = strcmp(a, "box") == 0;
			p->ncols = 0;
			double fixed = 0;
			int flex = 0;
			for (int i = 2; i < n && p->ncols < MAXCOLS; i++) {
				/* widths in mm; 0 takes what is left */
				p->widths[p->ncols] = atof(f[i]) * 72 / 25.4;
				fixed += p->widths[p->ncols];
				flex += p->widths[p->ncols] == 0;
				p->ncols++;
			}
			for (int i = 0; i < p->ncols; i++)
				if (p->widths[i] == 0)
					p->widths[i] = flex ? (TEXT_W - fixed) / flex : 0;
			p->in_table = 1;
			need(p, 40);
			p->y += 4;
		} else if (strcmp(k, "TH") == 0) {
			g_free(p->header);
			p->header = NULL;
			/* the fields after the key, tabs restored */
			GString *g = g_string_new(NULL);
			for (int i = 1; i < n; i++)
				g_string_append_printf(g, "%s%s", i > 1 ? "\t" : "", f[i]);
			p->header = g_string_free(g, FALSE);
			table_header(p);
		} else if (strcmp(k, "TR") == 0) {
			row(p, f + 1, n - 1, 0);
		} else if (strcmp(k, "TE") == 0) {
			p->in_table = 0;
			g_free(p->header);
			p->header = NULL;
			p->y += 6;
		} else if (strcmp(k, "BAR") == 0) {
			bar(p, atoi(a));
		} else if (strcmp(k, "SIG") == 0) {
			signature_lines(p);
		}
	}
	if (p->page == 0)
		new_page(p);
	g_free(copy);
}

static cairo_status_t to_file(void *closure, const unsigned char *data, unsigned int length)
{
	FILE *out = closure;
	return fwrite(data, 1, length, out) == length ? CAIRO_STATUS_SUCCESS
	                                              : CAIRO_STATUS_WRITE_ERROR;
}

static cairo_status_t to_nowhere(void *closure, const unsigned char *data, unsigned int length)
{
	(void)closure, (void)data, (void)length;
	return CAIRO_STATUS_SUCCESS;
}

static int pass(struct pdf *p, const char *src, FILE *out, const struct rd_doc *d)
{
	cairo_surface_t *s =
	    cairo_pdf_surface_create_for_stream(out ? to_file : to_nowhere, out, PAGE_W, PAGE_H);
	if (out) {
		char when[32];
		time_t t = (time_t)d->printed_at;
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR,
		                               "handover " HO_VERSION);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE, when);
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_MOD_DATE, when);
	}
	p->cr = cairo_create(s);
	p->ctx = pango_font_map_create_context(p->fonts);
	pango_cairo_update_context(p->cr, p->ctx);
	pango_cairo_context_set_resolution(p->ctx, 72);
	/* The same metrics in both passes and on every surface. */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(p->ctx, fo);
	cairo_font_options_destroy(fo);
	p->draw = out != NULL;
	p->page = 0;
	p->in_table = 0;
	p->next_section = 0;
	render(p, src);
	cairo_show_page(p->cr);
	g_object_unref(p->ctx);
	cairo_destroy(p->cr);
	cairo_surface_finish(s);
	int ok = cairo_surface_status(s) == CAIRO_STATUS_SUCCESS;
	cairo_surface_destroy(s);
	return ok;
}

ho_status rd_pdf(ho_db *db, const struct rd_doc *d, FILE *out)
{
	char *src = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&src, &len);
	if (!mem)
		return store_fail(db, HO_ENOMEM, "out of memory");
	rd_walk(d, &rd_pdf_writer, mem);
	int bad = ferror(mem);
	if (fclose(mem) != 0 || bad) {
		free(src);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	ho_status st = rd_pdf_records(db, d, src, out);
	free(src);
	return st;
}

ho_status rd_pdf_records(ho_db *db, const struct rd_doc *d, char *src, FILE *out)
{
	struct pdf p = {0};
	/* The system's fonts without colour (bitmap) fonts: Pango picks a
	 * colour emoji font for emoji first, and its glyphs are pictures
	 * that vanish from the PDF's text. Symbola's outlines extract. */
	static const char fc_conf[] =
	    "<?xml version=\"1.0\"?><!DOCTYPE fontconfig SYSTEM \"fonts.dtd\"><fontconfig>"
	    "<include ignore_missing=\"yes\">/etc/fonts/fonts.conf</include>"
	    "<selectfont><rejectfont><pattern><patelt name=\"color\"><bool>true</bool></patelt>"
	    "</pattern></rejectfont></selectfont></fontconfig>";
	FcConfig *cfg = FcConfigCreate();
	if (!cfg || !FcConfigParseAndLoadFromMemory(cfg, (const FcChar8 *)fc_conf, FcFalse) ||
	    !FcConfigBuildFonts(cfg)) {
		if (cfg)
			FcConfigDestroy(cfg);
		return store_fail(db, HO_EIO, "pdf: cannot read the font configuration");
	}
	p.fonts = pango_cairo_font_map_new_for_font_type(CAIRO_FONT_TYPE_FT);
	if (!p.fonts) {
		FcConfigDestroy(cfg);
		return store_fail(db, HO_EIO, "pdf: no font map");
	}
	pango_fc_font_map_set_config(PANGO_FC_FONT_MAP(p.fonts), cfg);
	FcConfigDestroy(cfg); /* the font map holds its own reference */
	if (!list_sections(&p, src)) {
		pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(p.fonts));
		g_object_unref(p.fonts);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	pass(&p, src, NULL, d);
	p.pages = p.page;
	int ok = pass(&p, src, out, d);
	/* Drop the font map's caches with it (fonts hold it otherwise). */
	pango_fc_font_map_shutdown(PANGO_FC_FONT_MAP(p.fonts));
	g_object_unref(p.fonts);
	g_free(p.head);
	g_free(p.section);
	g_free(p.foot_left);
	g_free(p.foot_mid);
	g_free(p.foot_id);
	g_free(p.header);
	for (int i = 0; i < p.ntoc; i++)
		g_free(p.toc[i]);
	g_free(p.toc);
	g_free(p.toc_page);
	if (!ok)
		return store_fail(db, HO_EIO, "writing the PDF: %s",
		                  errno ? strerror(errno) : "write error");
	return HO_OK;
}

/* ---- the roll-up --------------------------------------------------------------- */

static struct {
	int n, facts;
} rb_open;

static void rb_begin(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)ctx;
	fputs("META\t", out);
	plain(out, d->doc_title);
	fputc('\t', out);
	plain(out, d->printed_by);
	fputs("\tHandover roll-up: every handover in the file\nHEAD\t", out);
	esc(out, d->doc_title);
	char status[HO_MAX_NAME + 16];
	rd_page_status(d, status, sizeof status);
	fputs("\nFOOT\t", out);
	esc(out, status);
	fprintf(out, "\tPrinted %s UTC\t%s\t%d\nSECTION\tCover\n", d->printed, d->identity,
	        d->h->signed_at ? 0 : 1);
}

static void rb_heading(int level, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	if (level == 0) {
		fputs("S\t<b>HANDOVER ROLL-UP</b>\nTITLE\t", out);
		esc(out, text);
		fputc('\n', out);
		return;
	}
	if (level == 1) {
		/* A part's heading starts a page rather than end one. */
		fputs("NE\t140\nSECTION\t", out);
		esc(out, text);
		fputc('\n', out);
	}
	fputs(level == 1 ? "H1\t" : "H2\t", out);
	esc(out, text);
	fputc('\n', out);
}

static void rb_para(const char *label, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	fputs(label ? "P\t" : "S\t", out);
	if (label)
		fprintf(out, "<b>%s:</b> ", label);
	esc(out, text);
	fputc('\n', out);
}

static void rb_table(const char *name, int ncols, const char *const *heads, const int *widths,
                     void *ctx, FILE *out)
{
	(void)name, (void)ctx;
	rb_open.n = ncols;
	rb_open.facts = heads == NULL;
	if (!heads) {
		fputs("TS\tbox\t32\t0\n", out);
		return;
	}
	/* Text columns to millimetres (78 columns are the page's 170 mm), and
	 * never narrower than the column's heading in bold; the last column
	 * takes what is left. */
	fputs("TS\tbox", out);
	for (int i = 0; i < ncols; i++) {
		int mm = widths[i] * 170 / 78, head = (int)(strlen(heads[i]) * 19 / 10) + 5;
		fprintf(out, "\t%d", i == ncols - 1 ? 0 : mm > head ? mm : head);
	}
	fputs("\nTH", out);
	for (int i = 0; i < ncols; i++) {
		fputc('\t', out);
		esc(out, heads[i]);
	}
	fputc('\n', out);
}

static void rb_row(const char *const *cells, void *ctx, FILE *out)
{
	(void)ctx;
	if (rb_open.facts) {
		control_row(out, cells[0], cells[1]);
		return;
	}
	fputs("TR", out);
	for (int i = 0; i < rb_open.n; i++) {
		fputc('\t', out);
		esc_or(out, cells[i], "\xe2\x80\x93");
	}
	fputc('\n', out);
}

static void rb_table_end(void *ctx, FILE *out)
{
	(void)ctx;
	fputs("TE\n", out);
}

static void rb_end(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx;
	fputs("S\t" RD_ROLLUP_NOTE "\n", out);
}

const struct rb_sink rb_pdf_sink = {rb_begin, rb_heading,   rb_para, rb_table,
                                    rb_row,   rb_table_end, rb_end};
