/* The handover document as PDF: groff source (-ms macros with tbl tables)
 * written to a temporary file and run through `groff -ms -t -Tpdf`, started
 * with posix_spawnp and an argument vector, never through a shell. */
#define _GNU_SOURCE
#include "handover/outfile.h"
#include "report_doc.h"
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

#define TAB "\t"

/* ---- escaping ----------------------------------------------------------- */

static uint32_t decode(const unsigned char **pp)
{
	const unsigned char *p = *pp;
	uint32_t cp;
	size_t n;
	if (p[0] < 0x80)
		cp = p[0], n = 1;
	else if ((p[0] & 0xE0) == 0xC0 && p[1])
		cp = (uint32_t)(p[0] & 0x1F) << 6 | (p[1] & 0x3F), n = 2;
	else if ((p[0] & 0xF0) == 0xE0 && p[1] && p[2])
		cp = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F),
		n = 3;
	else if ((p[0] & 0xF8) == 0xF0 && p[1] && p[2] && p[3])
		cp = (uint32_t)(p[0] & 0x07) << 18 | (uint32_t)(p[1] & 0x3F) << 12 |
		     (uint32_t)(p[2] & 0x3F) << 6 | (p[3] & 0x3F),
		n = 4;
	else
		cp = 0xFFFD, n = 1;
	*pp = p + n;
	return cp;
}

/* One line of user text as troff input. Backslashes become \(rs, anything
 * beyond ASCII a \[uXXXX] glyph (so groff needs no input encoding), and
 * long runs without spaces (paths, URLs) get break points \: so they cannot
 * run off the page. Callers start every line with \& so that user text can
 * never be read as a request. */
static void esc_n(FILE *out, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;
	int run = 0;
	while (p < end && *p) {
		uint32_t cp = decode(&p);
		if (cp == ' ') {
			fputc(' ', out);
			run = 0;
			continue;
		}
		if (cp == '\\')
			fputs("\\(rs", out);
		else if (cp == 0xA0)
			fputs("\\~", out);
		else if (cp < 0x80)
			fputc((int)cp, out);
		else
			fprintf(out, "\\[u%04X]", (unsigned)cp);
		if (cp == '/' || cp == '_' || ++run >= 24) {
			fputs("\\:", out);
			run = 0;
		}
	}
}

static void esc(FILE *out, const char *s)
{
	esc_n(out, s ? s : "", s ? strlen(s) : 0);
}

/* Long text: one input line per line of text, joined by .br. */
static void para(FILE *out, const char *s)
{
	int first = 1;
	for (const char *p = s ? s : ""; *p;) {
		size_t n = strcspn(p, "\n");
		if (!first)
			fputs(n ? ".br\n" : ".sp 0.4v\n", out);
		if (n) {
			fputs("\\&", out);
			esc_n(out, p, n);
			fputc('\n', out);
		}
		first = 0;
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* A tbl text block: wraps within its column. */
static void block(FILE *out, const char *s)
{
	fputs("T{\n", out);
	if (s && *s)
		para(out, s);
	else
		fputs("\\&\\(en\n", out);
	fputs("T}", out);
}

static const char *rag_colour(ho_rag r)
{
	switch (r) {
	case HO_RAG_RED:
		return "hored";
	case HO_RAG_AMBER:
		return "hoamber";
	case HO_RAG_GREEN:
		return "hogreen";
	case HO_RAG_NONE:
		break;
	}
	return "hogrey";
}

static void rag(FILE *out, ho_rag r)
{
	const char *w = ho_rag_name(r);
	fprintf(out, "\\m[%s]\\f[B]%s\\f[]\\m[default]", rag_colour(r), w && *w ? w : "\\(en");
}

/* A progress bar: a grey track and a blue fill, drawn without moving. */
static void bar(FILE *out, int pct, double cm)
{
	double fill = cm * pct / 100.0;
	fprintf(out,
	        "\\Z'\\M[hotrack]\\D'P %.2fc 0 0 -0.3c -%.2fc 0'\\M[default]'"
	        "\\Z'\\D'p %.2fc 0 0 -0.3c -%.2fc 0''",
	        cm, cm, cm, cm);
	if (fill > 0.005)
		fprintf(out, "\\Z'\\M[hobar]\\D'P %.2fc 0 0 -0.3c -%.2fc 0'\\M[default]'", fill,
		        fill);
	fprintf(out, "\\h'%.2fc'\\0%d%%\n", cm, pct);
}

/* ---- the document --------------------------------------------------------- */

static const char prologue[] = ".\\\" Handover document (groff -ms -t -Tpdf)\n"
                               ".nr PO 2.2c\n"
                               ".nr LL 16.6c\n"
                               ".ll 16.6c\n"
                               ".nr HM 1.8c\n"
                               ".nr FM 2c\n"
                               ".nr PS 10\n"
                               ".nr VS 12.5\n"
                               ".nr PD 0.45v\n"
                               ".nr GROWPS 2\n"
                               ".nr PSINCR 4p\n"
                               ".nr HY 0\n"
                               ".ds FAM H\n"
                               ".ad l\n"
                               ".ds LH\n"
                               ".ds CH\n"
                               ".ds RH\n"
                               ".ds CF\n"
                               ".ds RF Page %\n"
                               ".defcolor hored rgb 0.64 0 0.11\n"
                               ".defcolor hoamber rgb 0.62 0.39 0\n"
                               ".defcolor hogreen rgb 0.09 0.40 0.16\n"
                               ".defcolor hogrey rgb 0.35 0.39 0.45\n"
                               ".defcolor hotrack rgb 0.89 0.91 0.93\n"
                               ".defcolor hobar rgb 0.17 0.42 0.69\n";

static void heading(FILE *out, int level, const char *code, const char *text)
{
	fprintf(out, ".SH %d\n\\&", level);
	if (code) {
		esc(out, code);
		fputs("\\0\\(em\\0", out);
	}
	esc(out, text);
	fputs("\n.LP\n", out);
}

static void fact_row(FILE *out, const char *label, const char *value)
{
	fprintf(out, "%s" TAB, label);
	block(out, value);
	fputc('\n', out);
}

static void facts_begin(FILE *out)
{
	fputs(".TS\ntab(" TAB ");\nlB lw(12.2c) .\n", out);
}

static void cover(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs(".LP\n\\m[hogrey]\\s-1\\f[B]", out);
	fputs(d->single ? "HANDOVER DOCUMENT \\(em ONE FUNCTION" : "HANDOVER DOCUMENT", out);
	fputs("\\f[]\\s+1\\m[default]\n.sp 0.4v\n.ps 20\n.vs 24\n.ad l\n\\&\\f[B]", out);
	esc(out, d->doc_title);
	fputs("\\f[]\n.br\n.ps\n.vs\n.sp 1v\n", out);
	facts_begin(out);
	rd_cover_facts(d, RD_FACTS_ABOUT, fact_row, out);
	rd_cover_facts(d, RD_FACTS_SIGNOFF, fact_row, out);
	fputs(".TE\n.sp 0.8v\n.LP\n", out);
	int pct = rd_percent(d->counts.done, d->counts.total);
	fprintf(out, "\\&\\f[B]Overall readiness:\\f[] %d of %d items accepted (%d%%), RAG ",
	        d->counts.done, d->counts.total, pct);
	rag(out, d->rag);
	fputs("\n.br\n.sp 0.3v\n\\&", out);
	bar(out, pct, 12);
}

/* Which sides have signed a function off, in a word. */
static const char *signed_word(const ho_function *f)
{
	if (f->sender_signed_at && f->receiver_signed_at)
		return "both";
	if (f->sender_signed_at)
		return "sender";
	if (f->receiver_signed_at)
		return "receiver";
	return "\\(en";
}

static void summary(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	heading(out, 1, NULL, "Summary");
	fputs(".ps 8.5\n.vs 10.5\n.TS H\nbox center tab(" TAB ");\n"
	      "cb cb cb cb cb cb cb cb cb cb cb\n"
	      "l lw(3.4c) lw(3.6c) n2 n2 n2 n2 n2 n2 l l .\n"
	      "Code" TAB "Function" TAB "Sender / receiver" TAB "Items" TAB "Handed" TAB "N/A" TAB
	      "Acc." TAB "Gaps" TAB "Late" TAB "RAG" TAB "Signed\n_\n.TH\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		const ho_counts *c = &f->counts;
		if (i)
			fputs("_\n", out); /* rules between rows: multi-line cells read better */
		fputs("\\&", out);
		esc(out, f->code);
		fputs(TAB, out);
		block(out, f->name);
		fputs(TAB "T{\n\\&", out);
		esc(out, f->sender_name[0] ? f->sender_name : "none");
		fputs("\n.br\n\\&", out);
		esc(out, f->receiver_name[0] ? f->receiver_name : "none");
		fprintf(out, "\nT}" TAB "%d" TAB "%d" TAB "%d" TAB "%d" TAB "%d" TAB "%d" TAB,
		        c->total, c->handed_over, c->not_applicable, c->done, c->gaps, c->overdue);
		rag(out, f->rag);
		fprintf(out, TAB "%s\n", signed_word(f));
	}
	fputs(".TE\n.ps\n.vs\n.LP\n\\m[hogrey]\\s-1Handed: handed over by the sender. Acc.: "
	      "accepted by the receiver, with or without conditions. Gaps: open queries. Late: "
	      "overdue items. Signed: who has signed the function off. RAG: red when items are "
	      "overdue or the function is unpaired; amber when queries are open or items fall due "
	      "within two weeks.\\s+1\\m[default]\n",
	      out);
}

static void item_field(FILE *out, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	fprintf(out, ".IP \"\\f[I]%s\\f[]\" 2.4c\n", label);
	para(out, text);
}

static void item_begin(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	fputs(".sp 0.3v\n.ne 5v\n.LP\n\\&\\f[B]", out);
	esc(out, it->ref);
	fputs("\\0\\0", out);
	esc(out, it->title);
	fputs("\\f[]\n.br\n\\&\\s-1\\m[hogrey]", out);
	if (it->due_date[0]) {
		fputs("Due ", out);
		esc(out, it->due_date);
	} else {
		fputs("No due date", out);
	}
	fprintf(out, "%s \\(bu Sender: \\m[default]%s\\m[hogrey] \\(bu Receiver: \\m[default]%s",
	        it->overdue ? " \\m[hored]\\f[B](overdue)\\f[]\\m[hogrey]" : "",
	        ho_sender_state_name(it->sender_state), ho_receiver_state_doc(it->receiver_state));
	if (it->rag) {
		fputs(" \\(bu ", out);
		rag(out, it->rag);
	}
	fputs("\\s+1\n", out);
	rd_item_texts(it, item_field, out);
}

static void thread_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs(".IP \"\\f[I]Thread\\f[]\" 2.4c\n", out);
}

static void thread_entry(const struct rd_at *at, FILE *out)
{
	const ho_thread_entry *e = at->entry;
	char when[24], status[40];
	ho_time_format(e->at, when, sizeof when);
	rd_thread_status(e, status, sizeof status);
	if (e != at->rf->threads[at->item].entries)
		fputs(".sp 0.3v\n", out);
	fprintf(out, "\\&\\s-1\\m[hogrey]%s \\(bu ", when);
	esc(out, e->author_name);
	fprintf(out, " \\(bu %s%s%s%s\\m[default]\\s+1\n.br\n", ho_thread_kind_name(e->kind),
	        status[0] ? " (" : "", status, status[0] ? ")" : "");
	para(out, e->body);
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
	fputs(".bp\n", out);
	heading(out, 1, f->code, f->name);
	facts_begin(out);
	person(out, "Sender", f->sender_name, f->sender_login, f->sender_signed_at);
	person(out, "Receiver", f->receiver_name, f->receiver_login, f->receiver_signed_at);
	fact_row(out, "Due", f->due_date[0] ? f->due_date : "no due date");
	snprintf(buf, sizeof buf,
	         "%d handed over, %d not applicable, %d accepted (%d with conditions), %d pending "
	         "review, %d open gap%s, %d overdue",
	         c->handed_over, c->not_applicable, c->done, c->conditions, c->pending, c->gaps,
	         c->gaps == 1 ? "" : "s", c->overdue);
	fact_row(out, "Items", buf);
	fputs(".TE\n.LP\n", out);
	int pct = rd_percent(c->done, c->total);
	fprintf(out, "\\&\\f[B]Readiness:\\f[] %d of %d items accepted (%d%%), RAG ", c->done,
	        c->total, pct);
	rag(out, f->rag);
	fputs("\n.br\n.sp 0.3v\n\\&", out);
	bar(out, pct, 12);
	if (rf->nitems == 0)
		fputs(".LP\n\\&This function has no items.\n", out);
}

static void carried_begin(const struct rd_at *at, FILE *out)
{
	fputs(".bp\n", out);
	heading(out, 1, NULL, "Carried forward");
	if (at->d->ngaps == 0)
		fputs("\\&Nothing is carried forward: no conditions and no open gaps.\n", out);
}

static void carried_section(const struct rd_at *at, FILE *out)
{
	if (at->prev_section != -1)
		fputs(".TE\n.ps\n.vs\n", out);
	heading(out, 2, NULL,
	        at->section == RD_CARRY_CONDITION
	            ? "Conditions of acceptance, to be met after the handover"
	            : "Open gaps");
	fputs(".ps 8.5\n.vs 10.5\n.TS H\nbox tab(" TAB ");\ncb cb cb cb cb cb\n"
	      "l lw(4c) l lw(5.2c) lw(2.4c) l .\n"
	      "Ref" TAB "Item" TAB "What" TAB "Detail" TAB "Owner" TAB "Due\n_\n.TH\n",
	      out);
}

static void carried(const struct rd_at *at, FILE *out)
{
	const ho_gap *g = at->gap;
	/* A rule between the rows of a section, not after its header. */
	if (g != at->d->gaps && (int)rd_carry_of(g - 1) == at->section)
		fputs("_\n", out);
	fputs("\\&", out);
	esc(out, g->ref);
	fputs(TAB, out);
	block(out, g->title);
	fprintf(out, TAB "%s" TAB, rd_gap_label(g->kind));
	block(out, g->detail);
	fputs(TAB, out);
	block(out, g->owner_name[0] ? g->owner_name : "nobody paired");
	fputs(TAB "\\&", out);
	esc(out, g->due_date[0] ? g->due_date : "-");
	fputc('\n', out);
}

static void carried_end(const struct rd_at *at, FILE *out)
{
	if (at->section != -1)
		fputs(".TE\n.ps\n.vs\n", out);
}

static void signature(FILE *out, const char *label, const char *who)
{
	fputs(".sp 1v\n.ne 6v\n.LP\n\\&\\f[B]", out);
	esc(out, label);
	if (who && *who) {
		fputs(": ", out);
		esc(out, who);
	}
	fputs("\\f[]\n.sp 1.6v\n.nf\n\\&Name \\l'6.6c'\\h'0.8c'Role \\l'5.6c'\n.sp 1.6v\n"
	      "\\&Signature \\l'5.7c'\\h'0.8c'Date \\l'5.6c'\n.fi\n",
	      out);
}

static void sign_off(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_handover *h = d->h;
	fputs(".bp\n", out);
	heading(out, 1, NULL, "Sign-off");
	heading(out, 2, NULL, "Recorded in the file");
	fputs(".ps 8.5\n.vs 10.5\n.TS H\nbox tab(" TAB ");\ncb cb cb cb cb\n"
	      "lw(3.6c) lw(2.6c) lw(3.2c) lw(2.6c) lw(3.2c) .\n"
	      "Function" TAB "Sender" TAB "Sender sign-off" TAB "Receiver" TAB
	      "Receiver sign-off\n_\n.TH\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		char buf[HO_MAX_NAME + 40], s[48];
		snprintf(buf, sizeof buf, "%s %s", f->code, f->name);
		if (i)
			fputs("_\n", out);
		block(out, buf);
		fputs(TAB, out);
		block(out, f->sender_name[0] ? f->sender_name : "none");
		rd_signed(f->sender_signed_at, s, sizeof s);
		fputs(TAB, out);
		block(out, s);
		fputs(TAB, out);
		block(out, f->receiver_name[0] ? f->receiver_name : "none");
		rd_signed(f->receiver_signed_at, s, sizeof s);
		fputs(TAB, out);
		block(out, s);
		fputc('\n', out);
	}
	fputs(".TE\n.ps\n.vs\n", out);
	if (!d->single) {
		fputs(".LP\n\\&\\f[B]Handover:\\f[] ", out);
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
	heading(out, 2, NULL, "Signed on paper");
	if (d->single) {
		signature(out, "Sender", d->fns[0].f->sender_name);
		signature(out, "Receiver", d->fns[0].f->receiver_name);
	} else {
		signature(out, "For the sending organisation", h->sender_org);
		signature(out, "For the receiving organisation", h->receiver_org);
	}
}

static void record(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_counts *c = &d->counts;
	char buf[400];
	fputs(".sp 1v\n.ne 8v\n", out);
	heading(out, 2, NULL, "Record of the file at printing");
	facts_begin(out);
	snprintf(buf, sizeof buf, "%lld", (long long)d->events);
	fact_row(out, "History events", buf);
	fputs("Head hash" TAB "T{\n\\&\\f[CR]\\s-1", out);
	fputs(d->head[0] ? d->head : "(no history yet)", out);
	fputs("\\s+1\\f[]\nT}\n", out);
	fputs("State digest" TAB "T{\n\\&\\f[CR]\\s-1", out);
	fputs(d->state, out);
	fputs("\\s+1\\f[]\nT}\n", out);
	snprintf(buf, sizeof buf,
	         "%d in all: %d not started, %d in progress, %d handed over, %d not applicable; %d "
	         "pending review, %d accepted, %d accepted with conditions, %d open gap%s, %d "
	         "overdue",
	         c->total, c->not_started, c->in_progress, c->handed_over, c->not_applicable,
	         c->pending, c->accepted, c->conditions, c->gaps, c->gaps == 1 ? "" : "s",
	         c->overdue);
	fact_row(out, "Items", buf);
	fputs(
	    ".TE\n.LP\n\\&While nothing has changed since printing, \\f[CR]handover verify\\f[] on "
	    "the file shows this head hash and state digest. A later change adds to the history "
	    "after the head and never alters it; a row edited outside handover changes the state "
	    "digest, and verify names it.\n",
	    out);
}

static void begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs(prologue, out);
	/* The footer names the document on every page. */
	fputs(".ds LF \"\\&", out);
	char cut[64 * 4 + 8];
	ho_text_fit(d->doc_title, 64, cut, sizeof cut);
	esc(out, cut);
	fputc('\n', out);
	/* ... and its marking (OFFICIAL, OFFICIAL-SENSITIVE), in the middle. */
	fputs(".ds CF \"\\&", out);
	ho_text_fit(d->h->marking ? d->h->marking : "", 40, cut, sizeof cut);
	esc(out, cut);
	fputc('\n', out);
	/* The header gives the file's state at printing on every page after
	 * the first, shortened (the whole hashes are on the last page), so
	 * every page of a paper copy can be matched to the same state. */
	fprintf(out, ".ds RH \"\\s-2\\f[CR]head %.16s  state %.16s\\f[]\\s+2\n",
	        d->head[0] ? d->head : "(none)", d->state);
	cover(at, out);
}

/* ---- risks ---------------------------------------------------------- */

static const char *level_colour(ho_risk_level l)
{
	return l >= HO_RISK_HIGH ? "hored" : l == HO_RISK_MODERATE ? "hoamber" : "hogreen";
}

static void risks_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs(".bp\n", out);
	heading(out, 1, NULL, "Risk log");
	if (d->nrisks == 0) {
		fputs("\\&No risks recorded.\n", out);
		return;
	}
	fputs("\\&Open risks by likelihood and impact (NHS 5x5; score = L \\(mu I):\n"
	      ".TS\nbox center tab(" TAB ");\ncb cb cb cb cb cb\nc c c c c c .\n"
	      "Likelihood" TAB "Impact 1" TAB "2" TAB "3" TAB "4" TAB "5\n_\n",
	      out);
	for (int l = 5; l >= 1; l--) {
		fprintf(out, "%d", l);
		for (int i = 1; i <= 5; i++)
			fprintf(out, TAB "\\m[%s]\\f[B]%d\\f[]\\m[default]",
			        level_colour(ho_risk_level_of(l * i)), d->matrix[l - 1][i - 1]);
		fputc('\n', out);
	}
	fputs(".TE\n.sp 0.6v\n", out);
}

static void risk(const struct rd_at *at, FILE *out)
{
	const ho_risk *r = at->risk;
	char ref[48], score[64];
	rd_risk_ref(r, ref, sizeof ref);
	rd_risk_score(r, score, sizeof score);
	fputs(".sp 0.3v\n.ne 5v\n.LP\n\\&\\f[B]", out);
	esc(out, ref);
	fputs("\\0\\0", out);
	esc(out, r->title);
	fprintf(out, "\\f[]\n.br\n\\&\\s-1\\m[%s]%s\\m[hogrey] \\(bu %s \\(bu Owner: \\m[default]",
	        level_colour(r->level), score, r->closed ? "closed" : "open");
	esc(out, r->owner_name);
	if (r->review_date[0]) {
		fputs("\\m[hogrey] \\(bu Review \\m[default]", out);
		esc(out, r->review_date);
	}
	fputs("\\s+1\n", out);
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
	heading(out, 2, NULL, "Open deep-dive actions");
	if (at->d->nactions == 0)
		fputs("\\&No deep-dive action is open.\n", out);
}

static void action(const struct rd_at *at, FILE *out)
{
	const ho_dive_action *a = at->action;
	fputs(".sp 0.3v\n.LP\n\\&\\f[B]", out);
	esc(out, a->ref);
	fputs("\\f[]\\0\\0", out);
	esc(out, a->text);
	fprintf(out, "\n.br\n\\&\\s-1\\m[hogrey]From %s \\(bu Owner: \\m[default]", a->dive_ref);
	esc(out, a->owner_name);
	if (a->due_date[0]) {
		fputs("\\m[hogrey] \\(bu due \\m[default]", out);
		esc(out, a->due_date);
	}
	fputs("\\s+1\n", out);
}

const struct rd_writer rd_groff_writer = {
    .begin = begin,
    .summary = summary,
    .function_begin = function_begin,
    .item_begin = item_begin,
    .thread_begin = thread_begin,
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
    .sign_off = sign_off,
    .end = record,
};

/* ---- running groff -------------------------------------------------------- */

/* groff's source and its complaints go to private scratch files made like
 * every other file the program writes (O_EXCL|O_NOFOLLOW, a fresh random
 * name): a symlink planted in a shared /tmp cannot redirect them. */
static int temp_file(char **path, const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	return ho_temp_file(dir, "handover", suffix, 0600, path);
}

/* The first line of groff's complaints, for the message. */
static void first_error_line(const char *path, char *buf, size_t size)
{
	buf[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	char line[400];
	while (fgets(line, sizeof line, f)) {
		/* Missing glyphs are only warnings; the real failure follows. */
		if (strstr(line, "warning:"))
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *clean = ho_sanitise(line, HO_SAN_LINE);
		snprintf(buf, size, "%s", clean ? clean : "");
		free(clean);
		break;
	}
	fclose(f);
}

ho_status rd_pdf(ho_db *db, const struct rd_doc *d, FILE *out)
{
	char *src = NULL, *err = NULL, epoch[48], why[300];
	int src_fd = -1, err_fd = -1, pipe_fd[2] = {-1, -1}, fa_ready = 0;
	char **envp = NULL;
	pid_t pid = 0;
	posix_spawn_file_actions_t fa;
	ho_status st = HO_OK;

	if ((src_fd = temp_file(&src, ".ms")) < 0 || (err_fd = temp_file(&err, ".err")) < 0) {
		st = store_fail(db, HO_EIO, "pdf: cannot make a temporary file: %s",
		                strerror(errno));
		goto cleanup;
	}
	FILE *f = fdopen(src_fd, "w");
	if (!f) {
		st = store_fail(db, HO_EIO, "pdf: %s", strerror(errno));
		goto cleanup;
	}
	src_fd = -1;
	rd_walk(d, &rd_groff_writer, f);
	int write_failed = ferror(f);
	if (fclose(f) != 0 || write_failed) {
		st = store_fail(db, HO_EIO, "pdf: cannot write the groff source: %s",
		                strerror(errno));
		goto cleanup;
	}

	/* The same environment plus SOURCE_DATE_EPOCH, so that a PDF made
	 * under a fixed clock carries that date. */
	size_t n = 0;
	while (environ && environ[n])
		n++;
	envp = calloc(n + 2, sizeof *envp);
	if (!envp) {
		st = store_fail(db, HO_ENOMEM, "out of memory");
		goto cleanup;
	}
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], "SOURCE_DATE_EPOCH=", 18) != 0)
			envp[k++] = environ[i];
	snprintf(epoch, sizeof epoch, "SOURCE_DATE_EPOCH=%lld", (long long)d->printed_at);
	envp[k] = epoch;

	if (pipe(pipe_fd) != 0 || posix_spawn_file_actions_init(&fa) != 0) {
		st = store_fail(db, HO_EIO, "pdf: %s", strerror(errno));
		goto cleanup;
	}
	fa_ready = 1;
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipe_fd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
	posix_spawn_file_actions_addclose(&fa, pipe_fd[0]);
	posix_spawn_file_actions_addclose(&fa, pipe_fd[1]);
	posix_spawn_file_actions_addclose(&fa, err_fd);
	char *argv[] = {"groff", "-ms", "-t", "-Tpdf", "-dpaper=a4", "-P-pa4", "--", src, NULL};
	int rc = posix_spawnp(&pid, "groff", &fa, NULL, argv, envp);
	close(pipe_fd[1]);
	pipe_fd[1] = -1;
	if (rc != 0) {
		pid = 0;
		st = rc == ENOENT
		         ? store_fail(db, HO_EIO, "pdf needs groff (apt-get install groff)")
		         : store_fail(db, HO_EIO, "pdf: cannot run groff: %s", strerror(rc));
		goto cleanup;
	}
	char buf[16384];
	ssize_t got;
	size_t total = 0;
	int magic = 1;
	while ((got = read(pipe_fd[0], buf, sizeof buf)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (total == 0 && (got < 4 || memcmp(buf, "%PDF", 4) != 0))
			magic = 0;
		fwrite(buf, 1, (size_t)got, out);
		total += (size_t)got;
	}
	int status = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	pid = 0;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || total == 0 || !magic) {
		first_error_line(err, why, sizeof why);
		/* groff without its PDF driver (only groff-base installed) fails
		 * here rather than at spawn time. */
		if (strstr(why, "gropdf") || strstr(why, "DESC") || strstr(why, "devpdf"))
			st = store_fail(
			    db, HO_EIO,
			    "pdf needs groff with its PDF output (apt-get install groff): %s", why);
		else
			st = store_fail(db, HO_EIO, "pdf: groff failed: %s",
			                why[0] ? why : "no output");
	}
cleanup:
	if (pipe_fd[0] >= 0)
		close(pipe_fd[0]);
	if (pipe_fd[1] >= 0)
		close(pipe_fd[1]);
	if (pid > 0)
		waitpid(pid, NULL, 0);
	if (fa_ready)
		posix_spawn_file_actions_destroy(&fa);
	if (src_fd >= 0)
		close(src_fd);
	if (err_fd >= 0)
		close(err_fd);
	if (src)
		unlink(src);
	if (err)
		unlink(err);
	free(src);
	free(err);
	free(envp);
	return st;
}
