/* The handover document as plain text for lpr: at most 80 display columns,
 * a form feed before each function and before the closing sections. */
#define _GNU_SOURCE
#include "report_doc.h"

#include "handover/terminal.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH 80
#define LABEL 24 /* cover labels */
#define ITEM  7  /* item text after "FIN-12 " */
#define FIELD 21 /* item field text after "       Not reviewed:" */

static void spaces(FILE *out, int n)
{
	while (n-- > 0)
		fputc(' ', out);
}

static void rule(FILE *out, char c)
{
	for (int i = 0; i < WIDTH; i++)
		fputc(c, out);
	fputc('\n', out);
}

static size_t cp_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

static int width_n(const char *s, size_t n)
{
	char small[128];
	char *copy = n < sizeof small ? small : malloc(n + 1);
	if (!copy)
		return (int)n;
	memcpy(copy, s, n);
	copy[n] = '\0';
	int w = ho_text_width(copy);
	if (copy != small)
		free(copy);
	return w < 0 ? (int)n : w;
}

/* Write prefix, then text wrapped at WIDTH columns with continuation lines
 * indented by `indent`; each '\n' in text starts a new line. Padding is
 * written only before a word, so no line ends in spaces. */
static void wrap(FILE *out, const char *prefix, int indent, const char *text)
{
	int col = 0, pending = indent, words = 0;
	if (prefix && *prefix) {
		fputs(prefix, out);
		col = ho_text_width(prefix);
		/* A label needs a space after it; padding already ends in one. */
		int min_gap = prefix[strlen(prefix) - 1] == ' ' ? 0 : 1;
		pending = col + min_gap < indent ? indent - col : min_gap;
	}
	for (const char *p = text ? text : ""; *p;) {
		if (*p == '\n') {
			fputc('\n', out);
			col = 0, pending = indent, words = 0;
			p++;
			continue;
		}
		if (*p == ' ') {
			p++;
			continue;
		}
		size_t n = strcspn(p, " \n");
		int ww = width_n(p, n);
		int sep = words ? 1 : 0;
		if (words && col + sep + ww > WIDTH) {
			fputc('\n', out);
			col = 0, pending = indent, words = 0, sep = 0;
		}
		spaces(out, pending + sep);
		col += pending + sep;
		pending = 0;
		if (col + ww <= WIDTH) {
			fwrite(p, 1, n, out);
			col += ww;
		} else {
			/* A word wider than the line (a long URL or reference) is cut
			 * between characters, never inside one. */
			for (size_t i = 0; i < n;) {
				size_t k = cp_len((unsigned char)p[i]);
				if (i + k > n)
					k = n - i;
				int cw = width_n(p + i, k);
				if (col + cw > WIDTH && col > indent) {
					fputc('\n', out);
					spaces(out, indent);
					col = indent;
				}
				fwrite(p + i, 1, k, out);
				col += cw;
				i += k;
			}
		}
		words = 1;
		p += n;
	}
	fputc('\n', out);
}

/* A table cell: text cut to `cols` columns, padded with spaces unless it is
 * the last cell of the row. */
static void cell(FILE *out, const char *s, int cols, int last)
{
	size_t size = strlen(s) + 8;
	char *buf = malloc(size);
	if (!buf)
		return;
	int w = ho_text_fit(s, cols, buf, size);
	fputs(buf, out);
	if (!last)
		spaces(out, cols - w);
	free(buf);
}

static void bar(FILE *out, int pct, int cols)
{
	int fill = pct * cols / 100;
	fputc('[', out);
	for (int i = 0; i < cols; i++)
		fputc(i < fill ? '#' : '.', out);
	fprintf(out, "] %d%%\n", pct);
}

static void field(FILE *out, const char *label, const char *value)
{
	char pre[64];
	snprintf(pre, sizeof pre, "%s", label);
	wrap(out, pre, LABEL, value && *value ? value : "-");
}

static void readiness(FILE *out, const ho_counts *c, ho_rag rag)
{
	char buf[160];
	int pct = rd_percent(c->done, c->total);
	snprintf(buf, sizeof buf, "%d of %d items accepted (%d%%), RAG %s", c->done, c->total, pct,
	         rd_rag_word(rag, "-"));
	field(out, "Overall readiness", buf);
	spaces(out, LABEL);
	bar(out, pct, 40);
}

static void page_head(const struct rd_doc *d, FILE *out);

/* A hash on a line of its own, so that it is never wrapped. */
static void control_fact(FILE *out, const char *label, const char *value)
{
	if (strlen(value) == 64 && strchr(value, ' ') == NULL) {
		fprintf(out, "%s\n  %s\n", label, value);
		return;
	}
	field(out, label, value);
}

static void cover(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	page_head(d, out);
	fputs(d->single ? "HANDOVER DOCUMENT: ONE FUNCTION\n" : "HANDOVER DOCUMENT\n", out);
	wrap(out, NULL, 0, d->doc_title);
	rule(out, '=');
	fputc('\n', out);
	rd_cover_facts(d, RD_FACTS_ABOUT, field, out);
	fputc('\n', out);
	readiness(out, &d->counts, d->rag);
	rd_cover_facts(d, RD_FACTS_SIGNOFF, field, out);
	fputs("\nDOCUMENT CONTROL\n", out);
	rule(out, '-');
	rd_cover_facts(d, RD_FACTS_CONTROL, control_fact, out);
}

static void signed_date(int64_t at, char *buf, size_t size)
{
	char date[16];
	ho_date_format(at, date, sizeof date);
	snprintf(buf, size, "%s%s", at ? "signed " : "not signed", at ? date : "");
}

/* Copy the words of s that fit in `cols` columns into buf; returns where
 * the rest starts. A first word wider than cols is cut between characters. */
static const char *fit_words(const char *s, int cols, char *buf, size_t size)
{
	while (*s == ' ')
		s++;
	size_t used = 0;
	int col = 0;
	const char *p = s;
	while (*p) {
		size_t n = strcspn(p, " ");
		int ww = width_n(p, n);
		int sep = used ? 1 : 0;
		if (col + sep + ww > cols || used + sep + n + 1 > size)
			break;
		if (sep)
			buf[used++] = ' ';
		memcpy(buf + used, p, n);
		used += n;
		col += sep + ww;
		p += n;
		while (*p == ' ')
			p++;
	}
	buf[used] = '\0';
	if (used == 0 && *p) {
		/* Cut inside the word, on a character boundary. */
		size_t k = 0;
		col = 0;
		while (p[k] && p[k] != ' ') {
			size_t cl = cp_len((unsigned char)p[k]);
			int cw = width_n(p + k, cl);
			if ((col + cw > cols && k > 0) || k + cl + 1 > size)
				break;
			col += cw;
			k += cl;
		}
		memcpy(buf, p, k);
		buf[k] = '\0';
		p += k;
	}
	return p;
}

static void exec_para(FILE *out, const char *label, const char *text)
{
	fputc('\n', out);
	wrap(out, label, 17, text);
}

/* The summary in words, then the table: at 80 columns the counts take one
 * line per function and who is paired the next. */
static void summary(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("\nEXECUTIVE SUMMARY\n", out);
	rule(out, '-');
	rd_exec_summary(d, exec_para, out);
	fputs("\nSUMMARY BY FUNCTION\n", out);
	rule(out, '-');
	fputs("Code Function                    Items Handed  N/A Accept Queries Overdue RAG\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		const ho_counts *c = &f->counts;
		char part[4 * 27 + 8];
		const char *rest = fit_words(f->name, 27, part, sizeof part);
		cell(out, f->code, 4, 0);
		fputc(' ', out);
		cell(out, part, 27, 0);
		fprintf(out, " %5d %6d %4d %6d %7d %7d ", c->total, c->handed_over,
		        c->not_applicable, c->done, c->gaps, c->overdue);
		cell(out, rd_rag_word(f->rag, "-"), 5, 1);
		fputc('\n', out);
		/* Long names go on in their column rather than being cut. */
		while (*rest) {
			rest = fit_words(rest, 27, part, sizeof part);
			spaces(out, 5);
			fputs(part, out);
			fputc('\n', out);
		}
		char s[32], r[32], pair[2 * HO_MAX_NAME + 80];
		signed_date(f->sender_signed_at, s, sizeof s);
		signed_date(f->receiver_signed_at, r, sizeof r);
		snprintf(pair, sizeof pair, "Sender %s (%s); receiver %s (%s)",
		         f->sender_name[0] ? f->sender_name : "none", s,
		         f->receiver_name[0] ? f->receiver_name : "none", r);
		wrap(out, NULL, 5, pair);
	}
	fputc('\n', out);
	wrap(out, NULL, 0,
	     "Handed: handed over by the sender. Accept: accepted by the receiver, with or "
	     "without conditions. Queries: open queries, raised by the receiver and not yet "
	     "answered. RAG: red when items are overdue or the function is unpaired; amber when "
	     "queries are open or items fall due within two weeks.");
}

static void item_field(FILE *out, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	char pre[48];
	snprintf(pre, sizeof pre, "       %s:", label);
	wrap(out, pre, FIELD, text);
}

static void item_begin(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	char pre[32], buf[256];
	snprintf(pre, sizeof pre, "%-6s", it->ref);
	wrap(out, pre, ITEM, it->title);
	snprintf(buf, sizeof buf, "%s%s. Sender: %s. Receiver: %s.%s%s%s",
	         it->due_date[0] ? "Due " : "No due date", it->due_date,
	         ho_sender_state_name(it->sender_state), ho_receiver_state_doc(it->receiver_state),
	         it->rag ? " RAG: " : "", it->rag ? rd_rag_word(it->rag, "-") : "",
	         it->rag ? "." : "");
	if (it->overdue)
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), " OVERDUE.");
	wrap(out, NULL, ITEM, buf);
	rd_item_texts(it, item_field, out);
}

static void thread_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("       Thread:\n", out);
}

static void thread_entry(const struct rd_at *at, FILE *out)
{
	const ho_thread_entry *e = at->entry;
	char when[24], status[40], buf[256];
	ho_time_format(e->at, when, sizeof when);
	rd_thread_status(e, status, sizeof status);
	snprintf(buf, sizeof buf, "%s %s, %s%s%s%s", when, e->author_name,
	         ho_thread_kind_name(e->kind), status[0] ? " (" : "", status, status[0] ? ")" : "");
	wrap(out, "         ", 11, buf);
	wrap(out, NULL, 11, e->body);
}

static void item_end(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	char buf[256];
	if (it->updated_at && it->updated_by[0]) {
		char when[24];
		ho_time_format(it->updated_at, when, sizeof when);
		snprintf(buf, sizeof buf, "%s, %s", it->updated_by, when);
		item_field(out, "Last change", buf);
	}
	fputc('\n', out);
}

/* A new page: a form feed, then the file's state at printing, shortened
 * (the whole hashes are on the last page), so that every page of a paper
 * copy can be matched to the same state. */
static void page_head(const struct rd_doc *d, FILE *out)
{
	char status[HO_MAX_NAME + 16];
	rd_page_status(d, status, sizeof status);
	char *cut = malloc(strlen(status) + 8);
	int w = cut ? ho_text_fit(status, WIDTH - 46, cut, strlen(status) + 8) : 0;
	if (cut)
		fputs(cut, out);
	free(cut);
	spaces(out, WIDTH - w - (int)strlen(d->identity));
	fputs(d->identity, out);
	fputc('\n', out);
}

static void new_page(const struct rd_doc *d, FILE *out)
{
	fputc('\f', out);
	page_head(d, out);
}

static void function_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const struct rd_function *rf = at->rf;
	const ho_function *f = rf->f;
	const ho_counts *c = &f->counts;
	char head[HO_MAX_NAME + 40], buf[2 * HO_MAX_NAME + 80], s[48];
	snprintf(head, sizeof head, "%-4s", f->code);
	new_page(d, out);
	wrap(out, head, 6, f->name);
	rule(out, '=');
	rd_signed(f->sender_signed_at, s, sizeof s);
	if (f->sender_name[0])
		snprintf(buf, sizeof buf, "%s (%s), %s", f->sender_name, f->sender_login, s);
	else
		snprintf(buf, sizeof buf, "none paired");
	wrap(out, "Sender", 12, buf);
	rd_signed(f->receiver_signed_at, s, sizeof s);
	if (f->receiver_name[0])
		snprintf(buf, sizeof buf, "%s (%s), %s", f->receiver_name, f->receiver_login, s);
	else
		snprintf(buf, sizeof buf, "none paired");
	wrap(out, "Receiver", 12, buf);
	wrap(out, "Due", 12, f->due_date[0] ? f->due_date : "no due date");
	int pct = rd_percent(c->done, c->total);
	snprintf(buf, sizeof buf, "%d of %d items accepted (%d%%), RAG %s", c->done, c->total, pct,
	         rd_rag_word(f->rag, "-"));
	wrap(out, "Readiness", 12, buf);
	spaces(out, 12);
	bar(out, pct, 40);
	snprintf(buf, sizeof buf,
	         "%d handed over, %d not applicable, %d accepted (%d with conditions), %d "
	         "pending review, %d open quer%s, %d overdue",
	         c->handed_over, c->not_applicable, c->done, c->conditions, c->pending, c->gaps,
	         c->gaps == 1 ? "y" : "ies", c->overdue);
	wrap(out, "Items", 12, buf);
	fputc('\n', out);
	if (rf->nitems == 0)
		fputs("This function has no items.\n\n", out);
}

static void carried_begin(const struct rd_at *at, FILE *out)
{
	new_page(at->d, out);
	fputs("CARRIED FORWARD\n", out);
	rule(out, '=');
}

static void carried_section(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	if (at->section != at->prev_section) {
		fputc('\n', out);
		wrap(out, NULL, 0, rd_carry_heading((enum rd_carry)at->section));
		rule(out, '-');
		if (!row)
			wrap(out, NULL, 0, rd_carry_none((enum rd_carry)at->section));
	}
	if (row && row->group) {
		fputc('\n', out);
		wrap(out, "  ", 2, row->group);
	}
	fputc('\n', out);
}

/* One row: the reference and title, then one line of what, owner and due
 * date, and the detail when there is one. */
static void carried(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	char pre[32];
	snprintf(pre, sizeof pre, "%-6s", row->ref);
	wrap(out, pre, ITEM, row->title);
	/* Built to its length: text from the file (an owner's name, a
	 * condition's words) has no bound a buffer could promise. */
	int owned = row->section != RD_CARRY_ITEM || !row->group;
	char *buf = NULL;
	if (asprintf(&buf, "%s%s%s%s%s.", row->what, owned ? ". Owner: " : "",
	             owned ? (row->owner[0] ? row->owner : "nobody paired") : "",
	             row->due[0] ? (row->section == RD_CARRY_RISK ? ". Review " : ". Due ") : "",
	             row->due) < 0)
		buf = NULL;
	if (buf) {
		buf[0] = (char)toupper((unsigned char)buf[0]);
		wrap(out, NULL, ITEM, buf);
		free(buf);
	}
	if (row->detail[0])
		wrap(out, NULL, ITEM, row->detail);
	fputc('\n', out);
}

static void signer_fact(FILE *out, const char *label, const char *value)
{
	char pre[32];
	snprintf(pre, sizeof pre, "  %s", label);
	wrap(out, pre, 16, value && *value ? value : "-");
}

/* One block: who signs, for what, their declaration, and lines to sign
 * on paper. */
static void sign_block(const struct rd_doc *d, const struct rd_signer *s, size_t i, FILE *out)
{
	char scope[2 * HO_MAX_NAME + 8], head[2 * HO_MAX_NAME + 40];
	rd_signer_scope(d, i, scope, sizeof scope);
	snprintf(head, sizeof head, "%s, %s", s->role, scope);
	fputc('\n', out);
	wrap(out, NULL, 0, head);
	rd_signer_facts(s, signer_fact, out);
	wrap(out, "  ", 2, rd_declaration(s->role));
	fputs("\n  Name: ________________________________  Job title: _____________________\n\n"
	      "  Signature: ___________________________  Date: __________________________\n",
	      out);
}

static void sign_off(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	new_page(d, out);
	fputs("SIGN-OFF\n", out);
	rule(out, '=');
	wrap(out, NULL, 0,
	     "Each signatory signs for what the document records at printing, with the "
	     "conditions listed under Carried forward. The date in the file is the signature "
	     "recorded in handover; the lines below are for a paper copy.");
	size_t n = 0;
	struct rd_signer *s = rd_signers(d, &n);
	for (size_t i = 0; s && i < n; i++)
		sign_block(d, &s[i], i, out);
	free(s);
}

static void record(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_counts *c = &d->counts;
	char buf[256];
	new_page(d, out);
	fputs("GLOSSARY\n", out);
	rule(out, '=');
	for (const struct ho_template_term *t = ho_template_glossary; t->term; t++) {
		fputc('\n', out);
		wrap(out, t->term, 0, NULL);
		wrap(out, NULL, 4, t->meaning);
	}
	fputs("\nRECORD OF THE FILE AT PRINTING\n", out);
	rule(out, '-');
	snprintf(buf, sizeof buf, "%lld", (long long)d->events);
	wrap(out, "History events", 17, buf);
	fputs("Head hash", out);
	if (d->head[0]) {
		/* The hash on a line of its own so it is never wrapped. */
		fputs("\n  ", out);
		fputs(d->head, out);
		fputc('\n', out);
	} else {
		spaces(out, 17 - 9);
		fputs("(no history yet)\n", out);
	}
	fputs("State digest\n  ", out);
	fputs(d->state, out);
	fputc('\n', out);
	snprintf(buf, sizeof buf,
	         "%d in all: %d not started, %d in progress, %d handed over, %d not applicable; "
	         "%d pending review, %d accepted, %d accepted with conditions, %d open quer%s, %d "
	         "overdue",
	         c->total, c->not_started, c->in_progress, c->handed_over, c->not_applicable,
	         c->pending, c->accepted, c->conditions, c->gaps, c->gaps == 1 ? "y" : "ies",
	         c->overdue);
	wrap(out, "Items", 17, buf);
	fputc('\n', out);
	wrap(out, NULL, 0,
	     "While nothing has changed since printing, \"handover verify\" on the file shows "
	     "this head hash and state digest. A later change adds to the history after the head "
	     "and never alters it; a row edited outside handover changes the state digest, and "
	     "verify names it.");
}

/* ---- risks ---------------------------------------------------------- */

static void risks_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	new_page(d, out);
	fputs("RISK LOG\n", out);
	rule(out, '=');
	if (d->nrisks == 0) {
		fputs("No risks recorded.\n", out);
		return;
	}
	fputs("Open risks by likelihood and impact (NHS 5x5; score = L x I):\n\n"
	      "                 Impact\n  Likelihood    1    2    3    4    5\n",
	      out);
	for (int l = 5; l >= 1; l--) {
		fprintf(out, "%12d", l);
		for (int i = 1; i <= 5; i++) {
			int n = d->matrix[l - 1][i - 1];
			if (n)
				fprintf(out, "%5d", n);
			else
				fputs("    .", out);
		}
		fputc('\n', out);
	}
	fputc('\n', out);
}

static void risk(const struct rd_at *at, FILE *out)
{
	const ho_risk *r = at->risk;
	char ref[48], score[64], buf[HO_MAX_NAME + 120];
	rd_risk_ref(r, ref, sizeof ref);
	snprintf(buf, sizeof buf, "%-6s", r->ref);
	wrap(out, buf, ITEM, r->title);
	rd_risk_score(r, score, sizeof score);
	snprintf(buf, sizeof buf, "Score %s. Owner: %s.%s%s%s %s.", score, r->owner_name,
	         r->review_date[0] ? " Review " : "", r->review_date, r->review_date[0] ? "." : "",
	         r->closed ? "Closed" : "Open");
	wrap(out, NULL, ITEM, buf);
	if (r->function_code[0])
		item_field(out, "Function", r->function_code);
	item_field(out, "Description", r->description);
	item_field(out, "Cause", r->cause);
	item_field(out, "Mitigation", r->mitigation);
	item_field(out, "Items", r->items);
	item_field(out, "Closed", r->close_note);
	fputc('\n', out);
}

static void actions_begin(const struct rd_at *at, FILE *out)
{
	if (at->d->single)
		return;
	fputs("\nOPEN DEEP-DIVE ACTIONS\n", out);
	rule(out, '-');
	if (at->d->nactions == 0)
		fputs("No deep-dive action is open.\n", out);
}

static void action(const struct rd_at *at, FILE *out)
{
	const ho_dive_action *a = at->action;
	char pre[32], buf[HO_MAX_NAME + 80];
	snprintf(pre, sizeof pre, "%-6s", a->ref);
	wrap(out, pre, ITEM, a->text);
	snprintf(buf, sizeof buf, "From %s. Owner: %s%s%s.", a->dive_ref, a->owner_name,
	         a->due_date[0] ? "; due " : "", a->due_date);
	wrap(out, NULL, ITEM, buf);
}

const struct rd_writer rd_text_writer = {
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

/* The open table's column widths, and whether it holds facts. */
static struct {
	int n, w[16], facts;
} rb_open;

static void rb_begin(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)ctx;
	page_head(d, out);
}

static void rb_heading(int level, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	if (level == 0) {
		fputs("HANDOVER ROLL-UP\n", out);
		wrap(out, NULL, 0, text);
		rule(out, '=');
		fputc('\n', out);
		return;
	}
	fputc('\n', out);
	wrap(out, NULL, 0, text);
	rule(out, level == 1 ? '-' : '.');
}

static void rb_para(const char *label, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	fputc('\n', out);
	wrap(out, label, label ? 17 : 0, text);
}

static void rb_cells(const char *const *cells, FILE *out)
{
	for (int i = 0; i < rb_open.n; i++) {
		if (i)
			fputc(' ', out);
		cell(out, cells[i] ? cells[i] : "", rb_open.w[i], i == rb_open.n - 1);
	}
	fputc('\n', out);
}

static void rb_table(const char *name, int ncols, const char *const *heads, const int *widths,
                     void *ctx, FILE *out)
{
	(void)name, (void)ctx;
	rb_open.n = ncols < 16 ? ncols : 16;
	rb_open.facts = heads == NULL;
	for (int i = 0; i < rb_open.n; i++)
		rb_open.w[i] = widths[i];
	if (heads)
		rb_cells(heads, out);
}

static void rb_row(const char *const *cells, void *ctx, FILE *out)
{
	(void)ctx;
	if (rb_open.facts)
		control_fact(out, cells[0], cells[1]);
	else
		rb_cells(cells, out);
}

static void rb_table_end(void *ctx, FILE *out)
{
	(void)ctx, (void)out;
	rb_open.n = 0;
}

static void rb_end(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)ctx;
	fputc('\n', out);
	wrap(out, NULL, 0, RD_ROLLUP_NOTE);
	(void)d;
}

const struct rb_sink rb_text_sink = {rb_begin, rb_heading,   rb_para, rb_table,
                                     rb_row,   rb_table_end, rb_end};
