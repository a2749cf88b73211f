/* The handover document as Markdown (CommonMark with pipe tables). User
 * text is backslash-escaped so that it can never become markup, a link or
 * raw HTML in whatever renders the file. */
#define _GNU_SOURCE
#include "report_doc.h"

#include <stdlib.h>
#include <string.h>

/* Escape one line of user text. Punctuation that can start markup anywhere
 * is escaped everywhere; list and heading markers only at a line start. */
static void esc_line(FILE *out, const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && s[i] == ' ')
		i++; /* leading spaces would make a code block */
	size_t start = i;
	for (; i < n; i++) {
		char c = s[i];
		if (strchr("\\`*_[]<>|~&#!", c) || (i == start && strchr("-+=", c)) ||
		    ((c == '.' || c == ')') && i > start &&
		     strspn(s + start, "0123456789") == i - start))
			fputc('\\', out);
		fputc(c, out);
	}
}

/* Short text on one line (table cells, headings). */
static void esc(FILE *out, const char *s)
{
	esc_line(out, s ? s : "", s ? strlen(s) : 0);
}

/* Long text: lines joined by hard line breaks (a backslash at the end of
 * a line), continuation lines indented to stay in a list item. */
static void esc_multi(FILE *out, const char *s, int indent)
{
	int first = 1;
	for (const char *p = s ? s : ""; *p;) {
		size_t n = strcspn(p, "\n");
		if (n > 0) {
			if (!first)
				fprintf(out, "\\\n%*s", indent, "");
			esc_line(out, p, n);
			first = 0;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
}

static void fact(FILE *out, const char *label, const char *value)
{
	fprintf(out, "- **%s:** ", label);
	if (value && *value)
		esc(out, value);
	else
		fputs("-", out);
	fputc('\n', out);
}

static void bar(FILE *out, int pct)
{
	int fill = pct * 30 / 100;
	fputc('`', out);
	for (int i = 0; i < 30; i++)
		fputs(i < fill ? "#" : ".", out);
	fprintf(out, "` %d%%", pct);
}

static void control_fact(FILE *out, const char *label, const char *value)
{
	if (strlen(value) == 64 && !strchr(value, ' ')) {
		fprintf(out, "- **%s:** `%s`\n", label, value);
		return;
	}
	fact(out, label, value);
}

static void para(FILE *out, const char *label, const char *text)
{
	fprintf(out, "**%s.** ", label);
	esc(out, text);
	fputs("\n\n", out);
}

static void cover(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs(d->single ? "# Handover document (one function): " : "# Handover document: ", out);
	esc(out, d->doc_title);
	fputs("\n\n", out);
	rd_cover_facts(d, RD_FACTS_ABOUT, fact, out);
	int pct = rd_percent(d->counts.done, d->counts.total);
	fprintf(out, "- **Overall readiness:** %d of %d items accepted (%d%%), RAG %s  \n  ",
	        d->counts.done, d->counts.total, pct, rd_rag_word(d->rag, "-"));
	bar(out, pct);
	fputc('\n', out);
	rd_cover_facts(d, RD_FACTS_SIGNOFF, fact, out);
	fputs("\n## Document control\n\n", out);
	rd_cover_facts(d, RD_FACTS_CONTROL, control_fact, out);
	fputs("\n## Contents\n\n1. [Executive summary](#executive-summary)\n", out);
	for (size_t i = 0; i < d->nfns; i++) {
		fputs("1. ", out);
		esc(out, d->fns[i].f->code);
		fputs(" ", out);
		esc(out, d->fns[i].f->name);
		fputc('\n', out);
	}
	fputs("1. [Carried forward](#carried-forward)\n1. [Risk log](#risk-log)\n"
	      "1. [Sign-off](#sign-off)\n1. [Glossary](#glossary)\n",
	      out);
}

static void name_or_none(FILE *out, const char *name)
{
	if (name && *name)
		esc(out, name);
	else
		fputs("*none*", out);
}

static void signed_cell(FILE *out, int64_t at)
{
	char buf[16];
	if (at) {
		ho_date_format(at, buf, sizeof buf);
		fputs(buf, out);
	} else {
		fputs("not signed", out);
	}
}

static void summary(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("\n## Executive summary\n\n", out);
	rd_exec_summary(d, para, out);
	/* Two tables rather than one of 13 columns, so that each reads in 80
	 * columns as source and fits a page when rendered. */
	fputs("### Summary by function\n\n"
	      "| Code | Function | Items | Handed | N/A | Accepted | Queries | Overdue | RAG |\n"
	      "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		const ho_counts *c = &f->counts;
		fputs("| ", out);
		esc(out, f->code);
		fputs(" | ", out);
		esc(out, f->name);
		fprintf(out, " | %d | %d | %d | %d | %d | %d | %s |\n", c->total, c->handed_over,
		        c->not_applicable, c->done, c->gaps, c->overdue, rd_rag_word(f->rag, "-"));
	}
	fputs("\nHanded: handed over by the sender. Accepted: by the receiver, with or without "
	      "conditions.\nQueries: open queries, raised by the receiver and not yet answered.\n"
	      "RAG: red when items are overdue or the function is unpaired; amber when queries\n"
	      "are open or items fall due within two weeks.\n\n"
	      "### Who is paired\n\n| Code | Sender | Signed | Receiver | Signed |\n"
	      "| --- | --- | --- | --- | --- |\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		fputs("| ", out);
		esc(out, f->code);
		fputs(" | ", out);
		name_or_none(out, f->sender_name);
		fputs(" | ", out);
		signed_cell(out, f->sender_signed_at);
		fputs(" | ", out);
		name_or_none(out, f->receiver_name);
		fputs(" | ", out);
		signed_cell(out, f->receiver_signed_at);
		fputs(" |\n", out);
	}
}

static void item_field(FILE *out, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	fprintf(out, "- **%s:** ", label);
	esc_multi(out, text, 2);
	fputc('\n', out);
}

static void item_begin(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	fputs("\n### ", out);
	esc(out, it->ref);
	fputc(' ', out);
	esc(out, it->title);
	fputs("\n\n", out);
	fputs("- **State:** ", out);
	if (it->due_date[0]) {
		fputs("due ", out);
		esc(out, it->due_date);
	} else {
		fputs("no due date", out);
	}
	fprintf(out, "; sender: %s; receiver: %s%s%s%s\n", ho_sender_state_name(it->sender_state),
	        ho_receiver_state_doc(it->receiver_state), it->rag ? "; RAG: " : "",
	        it->rag ? rd_rag_word(it->rag, "-") : "", it->overdue ? "; **overdue**" : "");
	rd_item_texts(it, item_field, out);
}

static void thread_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("- **Thread:**\n", out);
}

static void thread_entry(const struct rd_at *at, FILE *out)
{
	const ho_thread_entry *e = at->entry;
	char when[24], status[40];
	ho_time_format(e->at, when, sizeof when);
	rd_thread_status(e, status, sizeof status);
	fprintf(out, "  - %s, ", when);
	esc(out, e->author_name);
	fprintf(out, ", *%s%s%s%s*: ", ho_thread_kind_name(e->kind), status[0] ? " (" : "", status,
	        status[0] ? ")" : "");
	esc_multi(out, e->body, 4);
	fputc('\n', out);
}

static void item_end(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	if (it->updated_at && it->updated_by[0]) {
		char when[24];
		ho_time_format(it->updated_at, when, sizeof when);
		fputs("- **Last change:** ", out);
		esc(out, it->updated_by);
		fprintf(out, ", %s\n", when);
	}
}

static void function_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_function *rf = at->rf;
	const ho_function *f = rf->f;
	const ho_counts *c = &f->counts;
	char s[48];
	fputs("\n---\n\n## ", out);
	esc(out, f->code);
	fputc(' ', out);
	esc(out, f->name);
	fputs("\n\n- **Sender:** ", out);
	if (f->sender_name[0]) {
		esc(out, f->sender_name);
		fputs(" (", out);
		esc(out, f->sender_login);
		rd_signed(f->sender_signed_at, s, sizeof s);
		fprintf(out, "), %s\n", s);
	} else {
		fputs("none paired\n", out);
	}
	fputs("- **Receiver:** ", out);
	if (f->receiver_name[0]) {
		esc(out, f->receiver_name);
		fputs(" (", out);
		esc(out, f->receiver_login);
		rd_signed(f->receiver_signed_at, s, sizeof s);
		fprintf(out, "), %s\n", s);
	} else {
		fputs("none paired\n", out);
	}
	fputs("- **Due:** ", out);
	if (f->due_date[0])
		esc(out, f->due_date);
	else
		fputs("no due date", out);
	int pct = rd_percent(c->done, c->total);
	fprintf(out, "\n- **Readiness:** %d of %d items accepted (%d%%), RAG %s  \n  ", c->done,
	        c->total, pct, rd_rag_word(f->rag, "-"));
	bar(out, pct);
	fprintf(out,
	        "\n- **Items:** %d handed over, %d not applicable, %d accepted (%d with "
	        "conditions), %d pending review, %d open quer%s, %d overdue\n",
	        c->handed_over, c->not_applicable, c->done, c->conditions, c->pending, c->gaps,
	        c->gaps == 1 ? "y" : "ies", c->overdue);
	if (rf->nitems == 0)
		fputs("\nThis function has no items.\n", out);
}

static void carried_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("\n---\n\n## Carried forward\n", out);
}

static void carried_section(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	if (at->section != at->prev_section) {
		fprintf(out, "\n### %s\n\n", rd_carry_heading((enum rd_carry)at->section));
		if (!row)
			fprintf(out, "%s\n", rd_carry_none((enum rd_carry)at->section));
	}
	if (row && row->group) {
		fputs(at->section == at->prev_section ? "\n**" : "**", out);
		esc(out, row->group);
		fputs("**\n\n", out);
	}
}

static void carried(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	fputs("- **", out);
	esc(out, row->ref);
	fputs("** ", out);
	esc(out, row->title);
	fputs(" \xe2\x80\x94 ", out);
	esc(out, row->what);
	if (row->section != RD_CARRY_ITEM || !row->group) {
		fputs("; owner ", out);
		if (row->owner[0])
			esc(out, row->owner);
		else
			fputs("nobody paired", out);
	}
	if (row->due[0]) {
		fputs(row->section == RD_CARRY_RISK ? "; review " : "; due ", out);
		esc(out, row->due);
	}
	if (row->detail[0]) {
		fputs("  \n  ", out);
		esc_multi(out, row->detail, 2);
	}
	fputc('\n', out);
}

static void sign_off(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_handover *h = d->h;
	fputs("\n---\n\n## Sign-off\n\n### Recorded in the file\n\n", out);
	fputs("| Function | Sender | Sender sign-off | Receiver | Receiver sign-off |\n", out);
	fputs("| --- | --- | --- | --- | --- |\n", out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		char s[48];
		fputs("| ", out);
		esc(out, f->code);
		fputc(' ', out);
		esc(out, f->name);
		fputs(" | ", out);
		name_or_none(out, f->sender_name);
		rd_signed(f->sender_signed_at, s, sizeof s);
		fprintf(out, " | %s | ", s);
		name_or_none(out, f->receiver_name);
		rd_signed(f->receiver_signed_at, s, sizeof s);
		fprintf(out, " | %s |\n", s);
	}
	if (!d->single) {
		fputs("\n**Handover:** ", out);
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
	fputs("\n### Sign-off blocks\n\nEach signatory signs for what this document records at "
	      "printing, with the\nconditions listed under Carried forward. *In the file* is the "
	      "signature recorded\nin handover; the lines are for a paper copy.\n",
	      out);
	size_t n = 0;
	struct rd_signer *signers = rd_signers(d, &n);
	for (size_t i = 0; signers && i < n; i++) {
		char scope[2 * HO_MAX_NAME + 8];
		rd_signer_scope(d, i, scope, sizeof scope);
		fprintf(out, "\n#### %s: ", signers[i].role);
		esc(out, scope);
		fputs("\n\n", out);
		rd_signer_facts(&signers[i], fact, out);
		fprintf(out,
		        "\n*%s*\n\nName: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ "
		        "Job title: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_  \n"
		        "Signature: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_ "
		        "Date: \\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\\_\n",
		        rd_declaration(signers[i].role));
	}
	free(signers);
}

static void glossary(FILE *out)
{
	fputs("\n## Glossary\n\n", out);
	for (const struct ho_template_term *t = ho_template_glossary; t->term; t++)
		fact(out, t->term, t->meaning);
}

static void record(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_counts *c = &d->counts;
	glossary(out);
	fputs("\n## Record of the file at printing\n\n", out);
	fprintf(out, "- **History events:** %lld\n", (long long)d->events);
	if (d->head[0])
		fprintf(out, "- **Head hash:** `%s`\n", d->head);
	else
		fputs("- **Head hash:** (no history yet)\n", out);
	fprintf(out, "- **State digest:** `%s`\n", d->state);
	fprintf(out,
	        "- **Items:** %d in all: %d not started, %d in progress, %d handed over, %d not "
	        "applicable; %d pending review, %d accepted, %d accepted with conditions, %d open "
	        "gap%s, %d overdue\n",
	        c->total, c->not_started, c->in_progress, c->handed_over, c->not_applicable,
	        c->pending, c->accepted, c->conditions, c->gaps, c->gaps == 1 ? "y" : "ies",
	        c->overdue);
	fputs("\nWhile nothing has changed since printing, `handover verify` on the file shows "
	      "this head hash and state digest. A later change adds to the history after the head "
	      "and never alters it; a row edited outside handover changes the state digest, and "
	      "verify names it.\n",
	      out);
}

/* ---- risks ---------------------------------------------------------- */

static void risks_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("\n---\n\n## Risk log\n\n", out);
	if (d->nrisks == 0) {
		fputs("No risks recorded.\n", out);
		return;
	}
	fputs("Open risks by likelihood and impact (NHS 5x5; score = L x I):\n\n"
	      "| Likelihood | Impact 1 | 2 | 3 | 4 | 5 |\n| --- | ---: | ---: | ---: | ---: | ---: "
	      "|\n",
	      out);
	for (int l = 5; l >= 1; l--) {
		fprintf(out, "| %d |", l);
		for (int i = 1; i <= 5; i++)
			fprintf(out, " %d |", d->matrix[l - 1][i - 1]);
		fputc('\n', out);
	}
}

static void risk(const struct rd_at *at, FILE *out)
{
	const ho_risk *r = at->risk;
	char ref[48], score[64];
	rd_risk_ref(r, ref, sizeof ref);
	rd_risk_score(r, score, sizeof score);
	fputs("\n### ", out);
	esc(out, ref);
	fputc(' ', out);
	esc(out, r->title);
	fprintf(out, "\n\n- **Score:** %s; **%s**\n- **Owner:** ", score,
	        r->closed ? "closed" : "open");
	esc(out, r->owner_name);
	fputc('\n', out);
	if (r->review_date[0]) {
		fputs("- **Review:** ", out);
		esc(out, r->review_date);
		fputc('\n', out);
	}
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
	fputs("\n### Open deep-dive actions\n\n", out);
	if (at->d->nactions == 0)
		fputs("No deep-dive action is open.\n", out);
}

static void action(const struct rd_at *at, FILE *out)
{
	const ho_dive_action *a = at->action;
	fprintf(out, "- **%s** (%s) ", a->ref, a->dive_ref);
	esc_multi(out, a->text, 2);
	fputs("  \n  *owner:* ", out);
	esc(out, a->owner_name);
	if (a->due_date[0]) {
		fputs("; due ", out);
		esc(out, a->due_date);
	}
	fputc('\n', out);
}

const struct rd_writer rd_markdown_writer = {
    .begin = cover,
    .summary = summary,
    .function_begin = function_begin,
    .item_begin = item_begin,
    .thread_begin = thread_begin,
    .thread_entry = thread_entry,
    .item_end = item_end,
    .carried_begin = carried_begin,
    .carried_section = carried_section,
    .carried = carried,
    .risks_begin = risks_begin,
    .risk = risk,
    .actions_begin = actions_begin,
    .action = action,
    .sign_off = sign_off,
    .end = record,
};

/* ---- the roll-up --------------------------------------------------------------- */

static struct {
	int n, facts;
} rb_open;

static void rb_begin(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx, (void)out;
}

static void rb_heading(int level, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	fprintf(out, "%s%s ", level ? "\n" : "", level == 0 ? "#" : level == 1 ? "##" : "###");
	esc(out, text);
	fputs("\n\n", out);
}

static void rb_para(const char *label, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	if (label)
		fprintf(out, "**%s.** ", label);
	esc(out, text);
	fputs("\n\n", out);
}

static void rb_table(const char *name, int ncols, const char *const *heads, const int *widths,
                     void *ctx, FILE *out)
{
	(void)name, (void)widths, (void)ctx;
	rb_open.n = ncols;
	rb_open.facts = heads == NULL;
	if (!heads)
		return;
	for (int i = 0; i < ncols; i++) {
		fputs("| ", out);
		esc(out, heads[i]);
		fputc(' ', out);
	}
	fputs("|\n", out);
	for (int i = 0; i < ncols; i++)
		fputs("| --- ", out);
	fputs("|\n", out);
}

static void rb_row(const char *const *cells, void *ctx, FILE *out)
{
	(void)ctx;
	if (rb_open.facts) {
		control_fact(out, cells[0], cells[1]);
		return;
	}
	for (int i = 0; i < rb_open.n; i++) {
		fputs("| ", out);
		esc(out, cells[i]);
		fputc(' ', out);
	}
	fputs("|\n", out);
}

static void rb_table_end(void *ctx, FILE *out)
{
	(void)ctx;
	fputc('\n', out);
}

static void rb_end(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)d, (void)ctx;
	fputs("Each handover's own document (`handover print --handover ID`) has its items,\n"
	      "conditions, risk log and sign-off.\n",
	      out);
}

const struct rb_sink rb_markdown_sink = {rb_begin, rb_heading,   rb_para, rb_table,
                                         rb_row,   rb_table_end, rb_end};
