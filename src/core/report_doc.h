/* Internal to the core: the handover document, read once through the
 * public read API and rendered by one writer per format (report_text.c,
 * report_markdown.c, report_html.c, report_csv.c, report_pdf.c).
 *
 * Every string in a loaded document has been through ho_sanitise() already:
 * short fields (titles, names, codes, dates) with HO_SAN_LINE, long text
 * (guidance, evidence, reasons, conditions, thread bodies, gap details) with
 * HO_SAN_MULTILINE. Writers add only their own format's escaping. */
#ifndef HANDOVER_REPORT_DOC_H
#define HANDOVER_REPORT_DOC_H

#include "csv.h"
#include "handover/report.h"
#include "handover/risks.h"
#include "template.h"

struct rd_thread {
	ho_thread_entry *entries;
	size_t n;
};

struct rd_function {
	ho_function *f; /* into rd_doc.fn_array */
	ho_item *items;
	size_t nitems;
	struct rd_thread *threads; /* one per item */
};

/* What the carried-forward section lists, in this order: every condition
 * of acceptance (its owner and due date); every item not yet accepted,
 * grouped by who must act on it next; the open queries (the summary's
 * "Queries", and nothing else); the open risks. */
enum rd_carry { RD_CARRY_CONDITION = 0, RD_CARRY_ITEM, RD_CARRY_QUERY, RD_CARRY_RISK };
enum { RD_CARRY__COUNT = RD_CARRY_RISK + 1 };

/* One carried-forward row, as plain text for the writer to escape; ""
 * where there is nothing. Rows come section by section, and within the
 * items section group by group (group names who acts, "" elsewhere). */
struct rd_carry_row {
	enum rd_carry section;
	char *group; /* who acts, in the items section; NULL elsewhere */
	const char *ref, *title;
	char *what;   /* the item's state, "condition", "open query", the score */
	char *detail; /* the condition, the query, the evidence, the mitigation */
	const char *owner, *due;
};

/* A signatory in a sign-off block: who they are as the file has them. */
struct rd_signer {
	const char *role; /* "Sender", "Receiver", "Lead" */
	const char *name, *login, *job_title, *org;
	int64_t signed_at; /* 0: not signed in the file */
};

struct rd_doc {
	ho_handover *h;        /* one, freed with ho_handover_free() */
	ho_function *fn_array; /* as read, freed with ho_function_free() */
	struct rd_function *fns;
	size_t nfns;
	int single;       /* 1: one function's document (--function) */
	ho_counts counts; /* of what the document covers */
	ho_rag rag;
	ho_gap *gaps; /* conditions first, then open gaps; by function, item */
	size_t ngaps;
	char head[65];  /* history chain head ("" when no history) */
	char state[65]; /* state digest of the file's rows (ho_state_digest) */
	int64_t events;
	int64_t printed_at;
	char printed[24]; /* "YYYY-MM-DD HH:MM" (UTC) */
	char date[16];    /* "YYYY-MM-DD" */
	char *printed_by; /* "Name (login)" */
	char *file_name;  /* the file's name, without its folder */
	char *doc_title;  /* handover title, or "CODE Name" for one function */
	ho_risk *risks;   /* open first, highest score first (one function's: its own) */
	size_t nrisks;
	int matrix[5][5];        /* open risks per [likelihood-1][impact-1] */
	ho_dive_action *actions; /* deep-dive actions not yet done */
	size_t nactions;
	ho_withdrawn *withdrawn; /* functions and items withdrawn, with why */
	size_t nwithdrawn;
	struct rd_carry_row *carry; /* carried forward, in order */
	size_t ncarry;
	size_t carry_counts[RD_CARRY__COUNT];
	ho_person *people; /* the file's people, for the sign-off blocks */
	size_t npeople;
	char *signer_login; /* the lead who signed the handover off, "" when none */
	char identity[48];  /* "head 0e5b16b8b01cd32b state 6afdf5ec32f394fb" */
};

/* Read the document `opts` asks for. On failure the message is in
 * ho_errmsg(db) and *d is empty. */
ho_status rd_load(ho_db *db, const ho_print_opts *opts, struct rd_doc *d);
void rd_free(struct rd_doc *d);

/* Shared wording. */
int rd_percent(int part, int whole);
/* The cover's facts, label and value, each given to a writer's `fact`:
 * RD_FACTS_ABOUT names what the document is (its marking, function,
 * handover, service, organisations, target date, whether it is closed,
 * when and by whom printed, the file); RD_FACTS_SIGNOFF says who has
 * signed off and what was withdrawn from the checklist, and why. Values are plain text, for the
 * writer to escape; "" where there is none. */
enum rd_facts { RD_FACTS_ABOUT, RD_FACTS_SIGNOFF, RD_FACTS_CONTROL };
typedef void (*rd_fact_fn)(FILE *out, const char *label, const char *value);
void rd_cover_facts(const struct rd_doc *d, enum rd_facts part, rd_fact_fn fact, FILE *out);
/* RD_FACTS_CONTROL is page 1's document control: version (the events in
 * the file's history), status (DRAFT or FINAL), date printed, printed by,
 * printed from (the file's name), distribution, and the integrity record
 * (head hash and state digest in full). */
/* The executive summary in words, one paragraph per label: readiness,
 * what is late, the open queries, the top risks, and what must happen
 * before sign-off. */
void rd_exec_summary(const struct rd_doc *d, rd_fact_fn para, FILE *out);
/* A carried-forward section's heading; the items section's groups are
 * headed by their row's group. */
const char *rd_carry_heading(enum rd_carry section);
/* What the carried-forward section says when it has no row of a section. */
const char *rd_carry_none(enum rd_carry section);
/* The signatories of the document's sign-off blocks, in order: each
 * function's sender and receiver (d->nfns * 2), then for a whole handover
 * the lead. *n is how many; the caller frees the array only. */
struct rd_signer *rd_signers(const struct rd_doc *d, size_t *n);
/* A signatory's facts through `fact`: name (and login), job title, role,
 * organisation, and when they signed in the file. */
void rd_signer_facts(const struct rd_signer *s, rd_fact_fn fact, FILE *out);
/* What a block signs for: "FIN Finance" for a function's pair, the
 * handover's title for the lead. */
void rd_signer_scope(const struct rd_doc *d, size_t i, char *buf, size_t size);
/* The declaration a signatory makes, for a sender or a receiver. */
const char *rd_declaration(const char *role);
/* The glossary every document ends with is the template's
 * (ho_template_glossary in template.h). */
/* An item's texts through `field`, in order: guidance, evidence, N/A
 * reason, condition (each may be ""; the writer skips what is empty). */
void rd_item_texts(const ho_item *it, rd_fact_fn field, FILE *out);
/* "open query", "overdue", ... for a gap's kind. */
const char *rd_gap_label(ho_gap_kind k);
/* "red", "amber", "green", or `none` when there is no rating. */
const char *rd_rag_word(ho_rag r, const char *none);
/* "not signed" or "signed YYYY-MM-DD HH:MM" into buf. */
void rd_signed(int64_t at, char *buf, size_t size);
/* The person who must act next on an item ("" when nobody). */
const char *rd_owner(const struct rd_function *f, const ho_item *it);
/* The receiver's side of an item in documents ("not yet" before anything
 * is handed over, where the core's word is "-"). */
/* "OFFICIAL - DRAFT": the handover's marking and whether the document is
 * final (the lead has signed the handover off), for every page's footer. */
void rd_page_status(const struct rd_doc *d, char *buf, size_t size);
/* User text for the XML-like formats (HTML, Word's XML, Pango markup): &, <
 * and > always escaped, a tab or carriage return a space, other control
 * characters dropped (sanitised text has none); the rest as each format
 * needs it (NULL: the character as it is). */
struct rd_xml {
	const char *quot, *apos, *newline;
};
void rd_xml_esc(FILE *out, const char *s, const struct rd_xml *x);
/* "R-3 FIN" or "R-3": a risk's reference and its function's code. */
void rd_risk_ref(const ho_risk *r, char *buf, size_t size);
/* "20 (extreme; L4 x I5)" */
void rd_risk_score(const ho_risk *r, char *buf, size_t size);
/* "open" / "resolved YYYY-MM-DD" for a query; "" for other entries. */
void rd_thread_status(const ho_thread_entry *t, char *buf, size_t size);

/* The one walk over a document. rd_walk() visits the parts in the
 * document's order and calls the writer's operation for each; a format
 * supplies only the operations it needs (NULL ones are skipped), so every
 * format sees the same parts in the same order and a new part of the
 * document is added to the walk once. Errors surface through ferror(out),
 * checked by the caller. */
struct rd_at {
	const struct rd_doc *d;
	size_t fn; /* index of the function in d->fns */
	const struct rd_function *rf;
	size_t item; /* index of the item in rf->items */
	const ho_item *it;
	const ho_thread_entry *entry;
	const ho_gap *gap;
	const ho_risk *risk;
	const ho_dive_action *action;
	const struct rd_carry_row *row; /* carried forward: one row */
	int section;                    /* carried forward: the section (enum rd_carry) */
	int prev_section;               /* the one before, -1 at the first */
	int table_open;                 /* carried forward: the section or group before had rows */
	void *ctx;                      /* a writer's own state (rd_walk_ctx), else NULL */
};
typedef void (*rd_op)(const struct rd_at *at, FILE *out);
struct rd_writer {
	rd_op begin;          /* what comes before the cover, and the cover */
	rd_op summary;        /* the summary table of functions */
	rd_op function_begin; /* a function's heading and facts (at->rf) */
	rd_op item_begin;     /* an item's heading, state and texts (at->it) */
	rd_op thread_begin;   /* before an item's thread, when it has one */
	rd_op thread_entry;   /* one entry (at->entry) */
	rd_op thread_end;
	rd_op item_end;
	rd_op function_end;
	rd_op carried_begin;   /* the carried-forward heading */
	rd_op carried_section; /* every section in turn, and each group of the items
	                          section: at->section, at->prev_section (the same
	                          when this is a further group), at->row (its first
	                          row; NULL when the section is empty), at->table_open */
	rd_op carried;         /* one row (at->row) */
	rd_op carried_end;     /* at->table_open: the last section had rows */
	rd_op risks_begin;     /* the risk log's heading and the 5x5 matrix (d->matrix) */
	rd_op risk;            /* one risk (at->risk) */
	rd_op risks_end;
	rd_op actions_begin; /* open deep-dive actions: heading */
	rd_op action;        /* one (at->action) */
	rd_op actions_end;
	rd_op sign_off;
	rd_op end; /* the record of the file, and what closes the document */
};
void rd_walk(const struct rd_doc *d, const struct rd_writer *w, FILE *out);
/* The same, for a writer that keeps state of its own in at->ctx. */
void rd_walk_ctx(const struct rd_doc *d, const struct rd_writer *w, void *ctx, FILE *out);

extern const struct rd_writer rd_text_writer, rd_markdown_writer, rd_html_writer, rd_pdf_writer;
/* CSV: the header row (begin), then one row per item. */
extern const struct rd_writer rd_csv_writer;

/* The workbook (report_xlsx.c): libxlsxwriter writes a scratch file that
 * is copied to out. */
extern const struct rd_writer rd_xlsx_writer;
ho_status rd_xlsx(ho_db *db, const struct rd_doc *d, FILE *out);
/* The Word document (report_docx.c): the writer makes word/document.xml,
 * rd_docx packs it with the styles and the footer into a zip. */
extern const struct rd_writer rd_docx_writer;
ho_status rd_docx(ho_db *db, const struct rd_doc *d, FILE *out);

/* Lay the document out with Pango and write it to out as PDF (report_pdf.c). */
ho_status rd_pdf(ho_db *db, const struct rd_doc *d, FILE *out);

/* ---- the roll-up (print --all, report_rollup.c) -----------------------------
 *
 * One document over every handover in the file: its parts (a title, facts,
 * paragraphs and tables) go to a format's sink, which lays them out. Widths
 * are in text columns (a text table's, at most 80 with the gaps); other
 * formats scale them. A table without heads is a table of facts (label,
 * value). Every string is sanitised already; a sink escapes for its
 * format. */
struct rb_sink {
	void (*begin)(const struct rd_doc *d, void *ctx, FILE *out);
	/* level 0: the title; 1: a part (a new page where pages are); 2: within */
	void (*heading)(int level, const char *text, void *ctx, FILE *out);
	void (*para)(const char *label, const char *text, void *ctx, FILE *out);
	void (*table)(const char *name, int ncols, const char *const *heads, const int *widths,
	              void *ctx, FILE *out);
	void (*row)(const char *const *cells, void *ctx, FILE *out);
	void (*table_end)(void *ctx, FILE *out);
	void (*end)(const struct rd_doc *d, void *ctx, FILE *out);
};
/* What lays the roll-up out: calls the sink for every part in order. */
typedef void (*rb_generate)(const struct rb_sink *s, void *ctx, FILE *out, const void *data);
extern const struct rb_sink rb_text_sink, rb_markdown_sink, rb_html_sink, rb_csv_sink, rb_pdf_sink,
    rb_docx_sink, rb_xlsx_sink;
/* The roll-up document's own facts (title, marking, DRAFT or FINAL, who
 * printed it, the file's state): a document with no function, for the
 * formats' page furniture. */
ho_status rd_load_rollup(ho_db *db, struct rd_doc *d, const char *title, const char *marking,
                         int all_signed);
/* Print the roll-up in opts->format. */
ho_status rd_rollup(ho_db *db, const ho_print_opts *opts, FILE *out);
/* The PDF of layout records (as the PDF writer makes them); the Word
 * document around a body; the workbook filled by a generator. */
ho_status rd_pdf_records(ho_db *db, const struct rd_doc *d, char *src, FILE *out);
ho_status rd_docx_body(ho_db *db, const struct rd_doc *d, const char *body, size_t len, FILE *out);
ho_status rd_xlsx_generate(ho_db *db, const struct rd_doc *d, rb_generate gen, const void *data,
                           FILE *out);

/* The columns of a CSV row; import knows them all and uses the template
 * ones (see csv_import.c). */
extern const char *const rd_csv_columns[];
extern const size_t rd_csv_column_count;

/* The roll-up's closing line, in every format that prints it as text. */
#define RD_ROLLUP_NOTE                                                                             \
	"Each handover's own document (handover print --handover ID) has its items, conditions, "  \
	"risk log and sign-off."

#endif
