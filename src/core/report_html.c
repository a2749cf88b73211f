/* The handover document as one self-contained HTML file: inline style with
 * a print stylesheet (A4, a page per function), progress bars drawn with
 * CSS, no script and nothing loaded from elsewhere. */
#define _GNU_SOURCE
#include "report_doc.h"

#include <stdlib.h>
#include <string.h>

/* User text is escaped for both element content and quoted attributes. */
static void esc(FILE *out, const char *s)
{
	static const struct rd_xml x = {"&quot;", "&#39;", NULL};
	rd_xml_esc(out, s, &x);
}

static void esc_or(FILE *out, const char *s, const char *none)
{
	if (s && *s)
		esc(out, s);
	else
		fputs(none, out);
}

static void rag(FILE *out, ho_rag r)
{
	fprintf(out, "<span class=\"rag rag-%s\">%s</span>", rd_rag_word(r, "none"),
	        r == HO_RAG_NONE ? "&ndash;" : rd_rag_word(r, "none"));
}

static void bar(FILE *out, int pct, const char *cls)
{
	fprintf(out,
	        "<span class=\"bar%s%s\" role=\"img\" aria-label=\"%d%% accepted\">"
	        "<span style=\"width:%d%%\"></span></span>",
	        cls ? " " : "", cls ? cls : "", pct, pct);
}

static const char style[] =
    ":root{--ink:#1b1f24;--muted:#5a6472;--line:#c9d0d8;--soft:#f3f5f8;--bar:#2b6cb0;"
    "--red:#a3001b;--red-bg:#fde7ea;--amber:#7a4d00;--amber-bg:#fff1cc;--green:#17652a;"
    "--green-bg:#e2f3e6}\n"
    "*{box-sizing:border-box}\n"
    "html{-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
    "body{font:11pt/1.45 \"Segoe UI\",\"Helvetica Neue\",Arial,\"Liberation Sans\",sans-serif;"
    "color:var(--ink);max-width:60rem;margin:2rem auto;padding:0 1.5rem}\n"
    "h1{font-size:1.8rem;line-height:1.2;margin:.2rem 0 1rem}\n"
    "h2{font-size:1.35rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem;"
    "margin:2rem 0 .8rem}\n"
    "h3{font-size:1.05rem;margin:1.2rem 0 .3rem}\n"
    ".kind{text-transform:uppercase;letter-spacing:.08em;color:var(--muted);margin:0;"
    "font-size:.85rem;font-weight:600}\n"
    ".cover{border-bottom:1px solid var(--line);padding-bottom:1rem}\n"
    "dl.facts{display:grid;grid-template-columns:13rem 1fr;gap:.25rem 1rem;margin:1rem 0}\n"
    "dl.facts dt{font-weight:600;color:var(--muted)}\n"
    "dl.facts dd{margin:0}\n"
    ".readiness{background:var(--soft);border:1px solid var(--line);border-radius:4px;"
    "padding:.8rem 1rem;margin:1rem 0}\n"
    ".readiness p{margin:0 0 .5rem}\n"
    ".bar{display:inline-block;vertical-align:middle;width:100%;height:.9rem;"
    "background:#e3e7ec;border:1px solid #9aa5b1;border-radius:2px;overflow:hidden}\n"
    ".bar>span{display:block;height:100%;background:var(--bar)}\n"
    ".bar.small{width:3rem;height:.55rem;margin-right:.3rem}\n"
    "table{border-collapse:collapse;width:99.8%;font-size:.9rem;margin:.5rem 0 1rem}\n"
    "th,td{border:1px solid var(--line);padding:.25rem .4rem;text-align:left;"
    "vertical-align:top}\n"
    "thead th{background:var(--soft)}\n"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
    "td.nowrap{white-space:nowrap}\n"
    ".rag{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.8rem;"
    "font-weight:700;text-transform:uppercase;border:1px solid currentColor}\n"
    ".rag-red{color:var(--red);background:var(--red-bg)}\n"
    ".rag-amber{color:var(--amber);background:var(--amber-bg)}\n"
    ".rag-green{color:var(--green);background:var(--green-bg)}\n"
    ".rag-none{color:var(--muted);border-color:transparent}\n"
    ".legend{color:var(--muted);font-size:.85rem}\n"
    ".signed{display:block;font-size:.75rem;color:var(--green)}\n"
    ".summary table{font-size:.8rem}\n"
    ".summary th,.summary td{padding:.2rem .3rem}\n"
    ".late{color:var(--red)}\n"
    ".function{break-before:page;page-break-before:always}\n"
    ".function>h2 .code,.ref{font-family:ui-monospace,\"DejaVu Sans Mono\",Consolas,"
    "monospace;margin-right:.5rem}\n"
    ".item{border-top:1px solid var(--line);padding:.3rem 0 .6rem;break-inside:avoid;"
    "page-break-inside:avoid}\n"
    ".item.overdue{border-left:4px solid var(--red);padding-left:.6rem}\n"
    ".states{margin:.1rem 0 .4rem;color:var(--muted);font-size:.9rem}\n"
    ".states b{color:var(--ink);font-weight:600}\n"
    ".item dl{display:grid;grid-template-columns:7.5rem 1fr;gap:.2rem .8rem;margin:0}\n"
    ".item dt{font-weight:600;color:var(--muted)}\n"
    ".item dd{margin:0}\n"
    ".text{white-space:pre-line;overflow-wrap:anywhere}\n"
    "ol.thread{list-style:none;margin:0;padding:0}\n"
    "ol.thread li{border-left:3px solid var(--line);padding:0 0 .3rem .6rem;"
    "margin-bottom:.3rem}\n"
    "ol.thread li.query{border-left-color:var(--amber)}\n"
    "ol.thread li.query.open{border-left-color:var(--red)}\n"
    ".meta{color:var(--muted);font-size:.85rem;margin:0}\n"
    ".closing{break-before:page;page-break-before:always}\n"
    ".signature{display:grid;grid-template-columns:1fr 1fr;gap:1rem 2rem;margin:1rem 0 2rem}\n"
    ".signature h4{grid-column:1/-1;margin:0}\n"
    ".signature div{border-bottom:1px solid var(--ink);height:2.2rem;font-size:.8rem;"
    "color:var(--muted)}\n"
    ".hash{font-family:ui-monospace,\"DejaVu Sans Mono\",Consolas,monospace;"
    "overflow-wrap:anywhere;font-size:.95rem}\n"
    "footer{margin-top:2rem;color:var(--muted);font-size:.8rem}\n"
    ".record{break-inside:avoid;page-break-inside:avoid}\n"
    /* Paged media: a browser printing the page (and any CSS paged-media
     * engine) puts the handover and the current function in the running
     * header and the page number in the footer; begin() adds the marking
     * and the print date, which differ by document. */
    "@page{size:A4;margin:18mm 15mm 20mm;font-family:\"Segoe UI\",Arial,\"DejaVu Sans\","
    "sans-serif;"
    "@top-left{content:string(doctitle);font-size:8pt;color:#5a6472}"
    "@top-right{content:string(part);font-size:8pt;color:#5a6472}"
    "@bottom-right{content:\"Page \" counter(page) \" of \" counter(pages);font-size:8pt}}\n"
    "h1{string-set:doctitle content()}\n"
    "section>h2{string-set:part content()}\n"
    /* Engines of CSS paged media put each part's page in the contents; a
     * browser that cannot drops the rule and keeps the links. */
    ".toc a::after{content:leader('.') target-counter(attr(href),page)}\n"
    "@media print{body{max-width:none;margin:0;padding:0 2px;font-size:10pt}"
    "a{color:inherit;text-decoration:none}h2,h3{break-after:avoid;page-break-after:avoid}"
    "thead{display:table-header-group}tr{break-inside:avoid}"
    ".summary table{font-size:7.5pt}.summary th,.summary td{padding:.15rem .2rem}"
    ".bar.small{width:1.8rem}}\n";

static void fact(FILE *out, const char *label, const char *value)
{
	fprintf(out, "<dt>%s</dt><dd>", label);
	esc_or(out, value, "&ndash;");
	fputs("</dd>\n", out);
}

static void control_fact(FILE *out, const char *label, const char *value)
{
	int hash = strlen(value) == 64 && !strchr(value, ' ');
	fprintf(out, "<dt>%s</dt><dd%s>", label, hash ? " class=\"hash\"" : "");
	esc_or(out, value, "&ndash;");
	fputs("</dd>\n", out);
}

static void para(FILE *out, const char *label, const char *text)
{
	fprintf(out, "<dt>%s</dt><dd>", label);
	esc(out, text);
	fputs("</dd>\n", out);
}

static void cover(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("<header class=\"cover\">\n<p class=\"kind\">", out);
	fputs(d->single ? "Handover document &middot; one function" : "Handover document", out);
	fputs("</p>\n<h1>", out);
	esc(out, d->doc_title);
	fputs("</h1>\n<dl class=\"facts\">\n", out);
	rd_cover_facts(d, RD_FACTS_ABOUT, fact, out);
	rd_cover_facts(d, RD_FACTS_SIGNOFF, fact, out);
	fputs("</dl>\n", out);
	int pct = rd_percent(d->counts.done, d->counts.total);
	fprintf(out,
	        "<div class=\"readiness\">\n<p><strong>Overall readiness:</strong> %d of %d items "
	        "accepted (%d%%) ",
	        d->counts.done, d->counts.total, pct);
	rag(out, d->rag);
	fputs("</p>\n", out);
	bar(out, pct, NULL);
	fputs("\n</div>\n<h2>Document control</h2>\n<dl class=\"facts control\">\n", out);
	rd_cover_facts(d, RD_FACTS_CONTROL, control_fact, out);
	/* The contents link to each part; printed, the browser's page numbers
	 * are in every page's footer. */
	fputs("</dl>\n<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n"
	      "<li><a href=\"#summary\">Executive summary</a></li>\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		fprintf(out, "<li><a href=\"#fn-%zu\">", i + 1);
		esc(out, d->fns[i].f->code);
		fputs(" &mdash; ", out);
		esc(out, d->fns[i].f->name);
		fputs("</a></li>\n", out);
	}
	fputs("<li><a href=\"#carried\">Carried forward</a></li>\n"
	      "<li><a href=\"#risks\">Risk log</a></li>\n"
	      "<li><a href=\"#sign-off\">Sign-off</a></li>\n"
	      "<li><a href=\"#glossary\">Glossary</a></li>\n</ol>\n</nav>\n</header>\n",
	      out);
}

static void signed_cell(FILE *out, const char *who, int64_t at)
{
	char date[16];
	esc_or(out, who, "<em>none</em>");
	if (at) {
		ho_date_format(at, date, sizeof date);
		fprintf(out, "<span class=\"signed\">&#10003; signed %s</span>", date);
	}
}

static void summary(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("<section class=\"summary\" id=\"summary\">\n<h2>Executive summary</h2>\n"
	      "<dl class=\"facts exec\">\n",
	      out);
	rd_exec_summary(d, para, out);
	fputs(
	    "</dl>\n<h3>Summary by function</h3>\n<table>\n<thead><tr><th>Code</th>"
	    "<th>Function</th><th>Sender</th><th>Receiver</th><th class=\"n\">Items</th>"
	    "<th class=\"n\">Handed over</th><th class=\"n\">N/A</th><th class=\"n\">Accepted</th>"
	    "<th class=\"n\">Queries</th><th class=\"n\">Overdue</th><th>Progress</th><th>RAG</th>"
	    "</tr></thead>\n<tbody>\n",
	    out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		const ho_counts *c = &f->counts;
		fprintf(out, "<tr><td class=\"nowrap\"><a href=\"#fn-%zu\">", i + 1);
		esc(out, f->code);
		fputs("</a></td><td>", out);
		esc(out, f->name);
		fputs("</td><td>", out);
		signed_cell(out, f->sender_name, f->sender_signed_at);
		fputs("</td><td>", out);
		signed_cell(out, f->receiver_name, f->receiver_signed_at);
		fprintf(out,
		        "</td><td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
		        "<td class=\"n\">%d</td><td class=\"n\">%d</td><td class=\"n\">%d</td>"
		        "<td class=\"nowrap\">",
		        c->total, c->handed_over, c->not_applicable, c->done, c->gaps, c->overdue);
		int pct = rd_percent(c->done, c->total);
		bar(out, pct, "small");
		fprintf(out, "%d%%</td><td>", pct);
		rag(out, f->rag);
		fputs("</td></tr>\n", out);
	}
	fputs(
	    "</tbody>\n</table>\n<p class=\"legend\">Handed over: by the sender. Accepted: by the "
	    "receiver, with or without conditions. Queries: open queries, raised by the receiver "
	    "and "
	    "not yet answered. RAG: red when items are "
	    "overdue or the function is unpaired; amber when "
	    "queries are open or items fall due within two weeks.</p>\n</section>\n",
	    out);
}

static void item_field(FILE *out, const char *label, const char *text)
{
	if (!text || !*text)
		return;
	fprintf(out, "<dt>%s</dt><dd class=\"text\">", label);
	esc(out, text);
	fputs("</dd>\n", out);
}

static void item_begin(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	fprintf(out, "<article class=\"item%s\">\n<h3><span class=\"ref\">",
	        it->overdue ? " overdue" : "");
	esc(out, it->ref);
	fputs("</span>", out);
	esc(out, it->title);
	fputs("</h3>\n<p class=\"states\">", out);
	if (it->due_date[0]) {
		fputs("Due <b>", out);
		esc(out, it->due_date);
		fputs("</b>", out);
	} else {
		fputs("No due date", out);
	}
	fprintf(out, "%s &middot; Sender: <b>%s</b> &middot; Receiver: <b>%s</b>",
	        it->overdue ? " <b class=\"late\">(overdue)</b>" : "",
	        ho_sender_state_name(it->sender_state), ho_receiver_state_doc(it->receiver_state));
	if (it->rag) {
		fputc(' ', out);
		rag(out, it->rag);
	}
	fputs("</p>\n<dl>\n", out);
	rd_item_texts(it, item_field, out);
}

static void thread_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("<dt>Thread</dt><dd><ol class=\"thread\">\n", out);
}

static void thread_entry(const struct rd_at *at, FILE *out)
{
	const ho_thread_entry *e = at->entry;
	char when[24], status[40];
	ho_time_format(e->at, when, sizeof when);
	rd_thread_status(e, status, sizeof status);
	fprintf(out, "<li class=\"%s%s\"><p class=\"meta\">%s &middot; ",
	        ho_thread_kind_name(e->kind),
	        e->kind == HO_THREAD_QUERY && !e->resolved_at ? " open" : "", when);
	esc(out, e->author_name);
	fprintf(out, " &middot; %s%s%s%s</p><div class=\"text\">", ho_thread_kind_name(e->kind),
	        status[0] ? " (" : "", status, status[0] ? ")" : "");
	esc(out, e->body);
	fputs("</div></li>\n", out);
}

static void thread_end(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("</ol></dd>\n", out);
}

static void item_end(const struct rd_at *at, FILE *out)
{
	const ho_item *it = at->it;
	if (it->updated_at && it->updated_by[0]) {
		char when[24];
		ho_time_format(it->updated_at, when, sizeof when);
		fputs("<dt>Last change</dt><dd>", out);
		esc(out, it->updated_by);
		fprintf(out, ", %s</dd>\n", when);
	}
	fputs("</dl>\n</article>\n", out);
}

static void person(FILE *out, const char *label, const char *name, const char *login, int64_t at)
{
	char s[48];
	fprintf(out, "<dt>%s</dt><dd>", label);
	if (name[0]) {
		esc(out, name);
		fputs(" (", out);
		esc(out, login);
		rd_signed(at, s, sizeof s);
		fprintf(out, "), %s", s);
	} else {
		fputs("<em>none paired</em>", out);
	}
	fputs("</dd>\n", out);
}

static void function_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_function *rf = at->rf;
	const ho_function *f = rf->f;
	size_t index = at->fn;
	const ho_counts *c = &f->counts;
	fprintf(out, "<section class=\"function\" id=\"fn-%zu\">\n<h2><span class=\"code\">",
	        index + 1);
	esc(out, f->code);
	fputs("</span> ", out); /* the space keeps code and name apart in the running header */
	esc(out, f->name);
	fputs("</h2>\n<dl class=\"facts\">\n", out);
	person(out, "Sender", f->sender_name, f->sender_login, f->sender_signed_at);
	person(out, "Receiver", f->receiver_name, f->receiver_login, f->receiver_signed_at);
	fact(out, "Due", f->due_date[0] ? f->due_date : "no due date");
	fprintf(out,
	        "<dt>Items</dt><dd>%d handed over, %d not applicable, %d accepted (%d with "
	        "conditions), %d pending review, %d open quer%s, %d overdue</dd>\n</dl>\n",
	        c->handed_over, c->not_applicable, c->done, c->conditions, c->pending, c->gaps,
	        c->gaps == 1 ? "y" : "ies", c->overdue);
	int pct = rd_percent(c->done, c->total);
	fprintf(out,
	        "<div class=\"readiness\">\n<p><strong>Readiness:</strong> %d of %d items "
	        "accepted (%d%%) ",
	        c->done, c->total, pct);
	rag(out, f->rag);
	fputs("</p>\n", out);
	bar(out, pct, NULL);
	fputs("\n</div>\n", out);
	if (rf->nitems == 0)
		fputs("<p>This function has no items.</p>\n", out);
}

static void section_end(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("</section>\n", out);
}

static void carried_begin(const struct rd_at *at, FILE *out)
{
	(void)at;
	fputs("<section class=\"closing\" id=\"carried\">\n<h2>Carried forward</h2>\n", out);
}

static void carried_section(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	if (at->table_open)
		fputs("</tbody>\n</table>\n", out);
	if (at->section != at->prev_section) {
		fprintf(out, "<h3>%s</h3>\n", rd_carry_heading((enum rd_carry)at->section));
		if (!row)
			fprintf(out, "<p>%s</p>\n", rd_carry_none((enum rd_carry)at->section));
	}
	if (!row)
		return;
	if (row->group) {
		fputs("<h4>", out);
		esc(out, row->group);
		fputs("</h4>\n", out);
	}
	fprintf(out,
	        "<table>\n<thead><tr><th>Ref</th><th>Item</th><th>%s</th><th>Detail</th>"
	        "<th>Owner</th><th>%s</th></tr></thead>\n<tbody>\n",
	        at->section == RD_CARRY_RISK ? "Score" : "State",
	        at->section == RD_CARRY_RISK ? "Review" : "Due");
}

static void carried(const struct rd_at *at, FILE *out)
{
	const struct rd_carry_row *row = at->row;
	fputs("<tr><td class=\"nowrap\">", out);
	esc(out, row->ref);
	fputs("</td><td>", out);
	esc(out, row->title);
	fputs("</td><td>", out);
	esc(out, row->what);
	fputs("</td><td class=\"text\">", out);
	esc_or(out, row->detail, "&ndash;");
	fputs("</td><td>", out);
	esc_or(out, row->owner, "<em>nobody paired</em>");
	fputs("</td><td class=\"nowrap\">", out);
	esc_or(out, row->due, "&ndash;");
	fputs("</td></tr>\n", out);
}

static void carried_end(const struct rd_at *at, FILE *out)
{
	if (at->table_open)
		fputs("</tbody>\n</table>\n", out);
	fputs("</section>\n", out);
}

static void sign_off(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_handover *h = d->h;
	fputs("<section class=\"closing\" id=\"sign-off\">\n<h2>Sign-off</h2>\n"
	      "<h3>Recorded in the file</h3>\n"
	      "<table>\n<thead><tr><th>Function</th><th>Sender</th><th>Sender sign-off</th>"
	      "<th>Receiver</th><th>Receiver sign-off</th></tr></thead>\n<tbody>\n",
	      out);
	for (size_t i = 0; i < d->nfns; i++) {
		const ho_function *f = d->fns[i].f;
		char s[48];
		fputs("<tr><td>", out);
		esc(out, f->code);
		fputc(' ', out);
		esc(out, f->name);
		fputs("</td><td>", out);
		esc_or(out, f->sender_name, "<em>none</em>");
		rd_signed(f->sender_signed_at, s, sizeof s);
		fprintf(out, "</td><td>%s</td><td>", s);
		esc_or(out, f->receiver_name, "<em>none</em>");
		rd_signed(f->receiver_signed_at, s, sizeof s);
		fprintf(out, "</td><td>%s</td></tr>\n", s);
	}
	fputs("</tbody>\n</table>\n", out);
	if (!d->single) {
		fputs("<p><strong>Handover:</strong> ", out);
		if (h->signed_at) {
			char when[24];
			ho_time_format(h->signed_at, when, sizeof when);
			fputs("signed by ", out);
			esc(out, h->signed_by);
			fprintf(out, ", %s.</p>\n", when);
		} else {
			fputs("not yet signed by a lead.</p>\n", out);
		}
	}
	fputs("<h3>Sign-off blocks</h3>\n<p class=\"legend\">Each signatory signs for what this "
	      "document records at printing, with the conditions listed under Carried forward. "
	      "<em>In the file</em> is the signature recorded in handover; the lines are for a "
	      "paper copy.</p>\n",
	      out);
	size_t n = 0;
	struct rd_signer *signers = rd_signers(d, &n);
	for (size_t i = 0; signers && i < n; i++) {
		char scope[2 * HO_MAX_NAME + 8];
		rd_signer_scope(d, i, scope, sizeof scope);
		fprintf(out, "<div class=\"signature\">\n<h4>%s &mdash; ", signers[i].role);
		esc(out, scope);
		fputs("</h4>\n<dl class=\"facts\">\n", out);
		rd_signer_facts(&signers[i], fact, out);
		fprintf(
		    out,
		    "</dl>\n<p class=\"declaration\">%s</p>\n<div>Name</div><div>Job title</div>"
		    "<div>Signature</div><div>Date</div>\n</div>\n",
		    rd_declaration(signers[i].role));
	}
	free(signers);
}

static void glossary(FILE *out)
{
	fputs("<section class=\"closing\" id=\"glossary\">\n<h2>Glossary</h2>\n<dl "
	      "class=\"facts glossary\">\n",
	      out);
	for (const struct ho_template_term *t = ho_template_glossary; t->term; t++)
		para(out, t->term, t->meaning);
	fputs("</dl>\n</section>\n", out);
}

static void record(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	const ho_counts *c = &d->counts;
	fputs("<div class=\"record\">\n<h3>Record of the file at printing</h3>\n<dl "
	      "class=\"facts\">\n",
	      out);
	fprintf(out, "<dt>History events</dt><dd>%lld</dd>\n", (long long)d->events);
	fprintf(out, "<dt>Head hash</dt><dd class=\"hash\">%s</dd>\n",
	        d->head[0] ? d->head : "(no history yet)");
	fprintf(out, "<dt>State digest</dt><dd class=\"hash\">%s</dd>\n", d->state);
	fprintf(out,
	        "<dt>Items</dt><dd>%d in all: %d not started, %d in progress, %d handed over, %d "
	        "not applicable; %d pending review, %d accepted, %d accepted with conditions, %d "
	        "open quer%s, %d overdue</dd>\n</dl>\n",
	        c->total, c->not_started, c->in_progress, c->handed_over, c->not_applicable,
	        c->pending, c->accepted, c->conditions, c->gaps, c->gaps == 1 ? "y" : "ies",
	        c->overdue);
	fputs(
	    "<p>While nothing has changed since printing, <code>handover verify</code> on the file "
	    "shows this head hash and state digest. A later change adds to the history after the "
	    "head and never alters it; a row edited outside handover changes the state digest, "
	    "and verify names it.</p>\n</div>\n</section>\n",
	    out);
}

/* Everything up to the body: the title, the style sheet, the page rules. */
static void head(const struct rd_doc *d, const char *kind, FILE *out)
{
	fputs("<!doctype html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"handover " HO_VERSION "\">\n<title>",
	      out);
	fputs(kind, out);
	esc(out, d->doc_title);
	fprintf(out, "</title>\n<style>\n%s", style);
	/* The marking is the lead's text inside a CSS string: each character
	 * that could end the string or the style element is written as a CSS
	 * escape. */
	char status[HO_MAX_NAME + 16];
	rd_page_status(d, status, sizeof status);
	fputs("@page{@bottom-left{content:\"", out);
	for (const unsigned char *c = (const unsigned char *)status; *c; c++) {
		if (*c == '"' || *c == '\\' || *c == '<' || *c == '>' || *c == '&')
			fprintf(out, "\\%x ", *c);
		else
			fputc(*c, out);
	}
	/* The identity is hex digits and spaces only. */
	fprintf(out,
	        "\";font-size:8pt;font-weight:bold}"
	        "@bottom-center{content:\"Printed %s UTC \\b7  Document %s\";font-size:7pt}}\n",
	        d->printed, d->identity);
	/* Unsigned: DRAFT across every page, on screen and (a fixed box
	 * repeats on each printed page) on paper. */
	if (!d->h->signed_at)
		fputs(
		    "body::before{content:\"DRAFT\";position:fixed;top:50%;left:50%;"
		    "transform:translate(-50%,-50%) rotate(-50deg);font-size:110pt;font-weight:700;"
		    "color:rgba(90,100,114,.09);z-index:-1;pointer-events:none}\n",
		    out);
	fputs("</style>\n</head>\n<body>\n", out);
}

static void begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	head(d, d->single ? "Handover document (one function): " : "Handover document: ", out);
	cover(at, out);
}

static void end(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	record(at, out);
	glossary(out);
	fputs("<footer>Printed ", out);
	fputs(d->printed, out);
	fputs(" UTC by ", out);
	esc(out, d->printed_by);
	fputs(" with handover " HO_VERSION ".</footer>\n</body>\n</html>\n", out);
}

/* ---- risks ---------------------------------------------------------- */

static const char *level_class(ho_risk_level l)
{
	return l >= HO_RISK_HIGH ? "red" : l == HO_RISK_MODERATE ? "amber" : "green";
}

static void risks_begin(const struct rd_at *at, FILE *out)
{
	const struct rd_doc *d = at->d;
	fputs("<section class=\"closing\" id=\"risks\">\n<h2>Risk log</h2>\n", out);
	if (d->nrisks == 0) {
		fputs("<p>No risks recorded.</p>\n", out);
		return;
	}
	fputs("<p>Open risks by likelihood and impact (NHS 5x5; score = L &times; I):</p>\n"
	      "<table class=\"matrix\">\n<thead><tr><th>Likelihood</th><th>Impact 1</th>"
	      "<th>2</th><th>3</th><th>4</th><th>5</th></tr></thead>\n<tbody>\n",
	      out);
	for (int l = 5; l >= 1; l--) {
		fprintf(out, "<tr><th>%d</th>", l);
		for (int i = 1; i <= 5; i++)
			fprintf(out, "<td class=\"n rag-%s\">%d</td>",
			        level_class(ho_risk_level_of(l * i)), d->matrix[l - 1][i - 1]);
		fputs("</tr>\n", out);
	}
	fputs("</tbody>\n</table>\n<table>\n<thead><tr><th>Ref</th><th>Risk</th><th>Score</th>"
	      "<th>Owner</th><th>Mitigation</th><th>Review</th><th>Status</th></tr></thead>\n"
	      "<tbody>\n",
	      out);
}

static void risk(const struct rd_at *at, FILE *out)
{
	const ho_risk *r = at->risk;
	char ref[48], score[64];
	rd_risk_ref(r, ref, sizeof ref);
	rd_risk_score(r, score, sizeof score);
	fputs("<tr><td class=\"nowrap\">", out);
	esc(out, ref);
	fputs("</td><td><strong>", out);
	esc(out, r->title);
	fputs("</strong>", out);
	if (r->description[0]) {
		fputs("<div class=\"text\">", out);
		esc(out, r->description);
		fputs("</div>", out);
	}
	if (r->cause[0]) {
		fputs("<div class=\"text\">Cause: ", out);
		esc(out, r->cause);
		fputs("</div>", out);
	}
	if (r->items[0]) {
		fputs("<div>Items: ", out);
		esc(out, r->items);
		fputs("</div>", out);
	}
	fprintf(out, "</td><td class=\"nowrap\"><span class=\"rag rag-%s\">%s</span></td><td>",
	        level_class(r->level), score);
	esc(out, r->owner_name);
	fputs("</td><td class=\"text\">", out);
	esc_or(out, r->mitigation, "&ndash;");
	fputs("</td><td class=\"nowrap\">", out);
	esc_or(out, r->review_date, "&ndash;");
	fputs("</td><td class=\"text\">", out);
	if (r->closed) {
		fputs("closed: ", out);
		esc(out, r->close_note);
	} else {
		fputs("open", out);
	}
	fputs("</td></tr>\n", out);
}

static void risks_end(const struct rd_at *at, FILE *out)
{
	if (at->d->nrisks)
		fputs("</tbody>\n</table>\n", out);
	if (at->d->single)
		fputs("</section>\n", out);
}

static void actions_begin(const struct rd_at *at, FILE *out)
{
	if (at->d->single)
		return;
	fputs("<h3>Open deep-dive actions</h3>\n", out);
	if (at->d->nactions == 0)
		fputs("<p>No deep-dive action is open.</p>\n", out);
	else
		fputs("<table>\n<thead><tr><th>Ref</th><th>Action</th><th>From</th><th>Owner</th>"
		      "<th>Due</th></tr></thead>\n<tbody>\n",
		      out);
}

static void action(const struct rd_at *at, FILE *out)
{
	const ho_dive_action *a = at->action;
	fprintf(out, "<tr><td class=\"nowrap\">%s</td><td class=\"text\">", a->ref);
	esc(out, a->text);
	fprintf(out, "</td><td class=\"nowrap\">%s</td><td>", a->dive_ref);
	esc(out, a->owner_name);
	fputs("</td><td class=\"nowrap\">", out);
	esc_or(out, a->due_date, "&ndash;");
	fputs("</td></tr>\n", out);
}

static void actions_end(const struct rd_at *at, FILE *out)
{
	if (at->d->single)
		return;
	if (at->d->nactions)
		fputs("</tbody>\n</table>\n", out);
	fputs("</section>\n", out);
}

const struct rd_writer rd_html_writer = {
    .begin = begin,
    .summary = summary,
    .function_begin = function_begin,
    .item_begin = item_begin,
    .thread_begin = thread_begin,
    .thread_entry = thread_entry,
    .thread_end = thread_end,
    .item_end = item_end,
    .function_end = section_end,
    .carried_begin = carried_begin,
    .carried_section = carried_section,
    .carried = carried,
    .carried_end = carried_end,
    .risks_begin = risks_begin,
    .risk = risk,
    .risks_end = risks_end,
    .actions_begin = actions_begin,
    .action = action,
    .actions_end = actions_end,
    .sign_off = sign_off,
    .end = end,
};

/* ---- the roll-up --------------------------------------------------------------- */

static struct {
	int n, facts;
} rb_open;

static void rb_begin(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)ctx;
	head(d, "", out);
}

static void rb_heading(int level, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	if (level == 0) {
		fputs("<header class=\"cover\">\n<p class=\"kind\">Handover roll-up</p>\n<h1>",
		      out);
		esc(out, text);
		fputs("</h1>\n</header>\n", out);
		return;
	}
	fprintf(out, "<h%d>", level + 1);
	esc(out, text);
	fprintf(out, "</h%d>\n", level + 1);
}

static void rb_para(const char *label, const char *text, void *ctx, FILE *out)
{
	(void)ctx;
	fputs(label ? "<p>" : "<p class=\"legend\">", out);
	if (label)
		fprintf(out, "<strong>%s.</strong> ", label);
	esc(out, text);
	fputs("</p>\n", out);
}

static void rb_table(const char *name, int ncols, const char *const *heads, const int *widths,
                     void *ctx, FILE *out)
{
	(void)name, (void)widths, (void)ctx;
	rb_open.n = ncols;
	rb_open.facts = heads == NULL;
	if (!heads) {
		fputs("<dl class=\"facts control\">\n", out);
		return;
	}
	fputs("<table>\n<thead><tr>", out);
	for (int i = 0; i < ncols; i++) {
		fputs("<th>", out);
		esc(out, heads[i]);
		fputs("</th>", out);
	}
	fputs("</tr></thead>\n<tbody>\n", out);
}

static void rb_row(const char *const *cells, void *ctx, FILE *out)
{
	(void)ctx;
	if (rb_open.facts) {
		control_fact(out, cells[0], cells[1]);
		return;
	}
	fputs("<tr>", out);
	for (int i = 0; i < rb_open.n; i++) {
		fputs("<td>", out);
		esc_or(out, cells[i], "&ndash;");
		fputs("</td>", out);
	}
	fputs("</tr>\n", out);
}

static void rb_table_end(void *ctx, FILE *out)
{
	(void)ctx;
	fputs(rb_open.facts ? "</dl>\n" : "</tbody>\n</table>\n", out);
}

static void rb_end(const struct rd_doc *d, void *ctx, FILE *out)
{
	(void)ctx;
	fputs("<footer>Printed ", out);
	fputs(d->printed, out);
	fputs(" UTC by ", out);
	esc(out, d->printed_by);
	fputs(" with handover " HO_VERSION
	      ". Each handover's own document has its items, conditions, risk log and "
	      "sign-off.</footer>\n</body>\n</html>\n",
	      out);
}

const struct rb_sink rb_html_sink = {rb_begin, rb_heading,   rb_para, rb_table,
                                     rb_row,   rb_table_end, rb_end};
