/* The state the history proves.
 *
 * The hash chain (store_history.c) shows the history was not edited; this
 * shows the rows were not either. Every event records, in events.state, each
 * covered row it changed as it stands after the change (or that it deleted):
 * one line per row,
 *
 *     item 42 i7 i3 i3 t12:Ledger title t0: ... n\n
 *     -thread 17\n
 *
 * the table's word and the row's id, then every column after the id in the
 * order of the STATE_* queries in store_sql.def: n (NULL), i<integer>,
 * r<real>, t<length>:<text> or b<length>:<bytes>. Lengths make any text
 * safe; the same bytes come from the same row whoever writes them, so a row
 * matches its history exactly when its line is the one last recorded.
 *
 * Which rows changed is noted by SQLite's update hook, so no write path can
 * forget to record a row: any change made before store_event() is in that
 * event. Replaying every event's lines (keeping only each line's SHA-256)
 * rebuilds the file's state; ho_verify compares it with the rows and names
 * every row that differs. The state digest is SHA-256 over the rows' line
 * hashes, table by table (meta, people, handovers, functions, items,
 * thread), each by id: the same from the replay and from the rows exactly
 * when they agree.
 *
 * Covered: the file's title, people (login, name, role, organisation),
 * handovers (cover, sign-off), functions (name, pair, due date, sign-offs),
 * items (every column) and thread entries. The history itself is the
 * chain's business; other meta rows are settings, not state. */
#define _GNU_SOURCE
#include "sha256.h"
#include "store.h"
#include "textbuf.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum col_kind {
	C_INT,    /* a number shown as it is */
	C_REF,    /* another row's id */
	C_PERSON, /* a person's id: shown as their login */
	C_TIME,   /* seconds since the epoch */
	C_WORD,   /* short text shown as it is: states, codes, dates */
	C_TEXT    /* free text: quoted, cut short */
};

struct state_col {
	const char *label;
	enum col_kind kind;
};

struct state_table {
	const char *word;    /* in recorded lines */
	const char *sqlname; /* as the update hook names the table */
	enum store_stmt_id one, all;
	const struct state_col *cols; /* after the id */
	int ncols;
};

#define N_OF(a) (int)(sizeof(a) / sizeof((a)[0]))

static const struct state_col meta_cols[] = {{"key", C_WORD}, {"title", C_TEXT}};
static const struct state_col person_cols[] = {
    {"login", C_WORD},  {"name", C_TEXT},    {"role", C_WORD}, {"organisation", C_TEXT},
    {"version", C_INT}, {"created", C_TIME}, {"left", C_TIME}, {"job title", C_TEXT}};
static const struct state_col handover_cols[] = {{"title", C_TEXT},
                                                 {"service", C_TEXT},
                                                 {"sender organisation", C_TEXT},
                                                 {"receiver organisation", C_TEXT},
                                                 {"target date", C_WORD},
                                                 {"signed by", C_PERSON},
                                                 {"signed", C_TIME},
                                                 {"version", C_INT},
                                                 {"created", C_TIME},
                                                 {"marking", C_TEXT},
                                                 {"closed", C_TIME},
                                                 {"closing note", C_TEXT},
                                                 {"distribution", C_TEXT}};
static const struct state_col function_cols[] = {{"handover", C_REF},
                                                 {"code", C_WORD},
                                                 {"name", C_TEXT},
                                                 {"position", C_INT},
                                                 {"due date", C_WORD},
                                                 {"sender", C_PERSON},
                                                 {"receiver", C_PERSON},
                                                 {"sender sign-off", C_TIME},
                                                 {"receiver sign-off", C_TIME},
                                                 {"next item number", C_INT},
                                                 {"version", C_INT},
                                                 {"withdrawn", C_TIME},
                                                 {"why withdrawn", C_TEXT}};
static const struct state_col item_cols[] = {
    {"function", C_REF},           {"number", C_INT},
    {"position", C_INT},           {"title", C_TEXT},
    {"guidance", C_TEXT},          {"due date", C_WORD},
    {"sender state", C_WORD},      {"receiver state", C_WORD},
    {"evidence", C_TEXT},          {"reason", C_TEXT},
    {"condition", C_TEXT},         {"version", C_INT},
    {"changed by", C_PERSON},      {"changed", C_TIME},
    {"withdrawn", C_TIME},         {"why withdrawn", C_TEXT},
    {"condition owner", C_PERSON}, {"condition side", C_WORD},
    {"condition due", C_WORD}};
static const struct state_col thread_cols[] = {{"item", C_REF},      {"kind", C_WORD},
                                               {"author", C_PERSON}, {"time", C_TIME},
                                               {"text", C_TEXT},     {"resolved", C_TIME}};

static const struct state_col role_cols[] = {{"person", C_PERSON}, {"role", C_WORD}};
static const struct state_col risk_cols[] = {
    {"handover", C_REF},     {"number", C_INT},        {"function", C_REF},     {"title", C_TEXT},
    {"description", C_TEXT}, {"cause", C_TEXT},        {"likelihood", C_INT},   {"impact", C_INT},
    {"owner", C_PERSON},     {"mitigation", C_TEXT},   {"review date", C_WORD}, {"items", C_WORD},
    {"status", C_WORD},      {"closing note", C_TEXT}, {"version", C_INT},      {"created", C_TIME},
    {"changed", C_TIME}};
static const struct state_col dive_cols[] = {
    {"handover", C_REF},   {"number", C_INT},     {"date", C_WORD},
    {"title", C_TEXT},     {"attendees", C_TEXT}, {"risks", C_WORD},
    {"decisions", C_TEXT}, {"version", C_INT},    {"created", C_TIME}};
static const struct state_col action_cols[] = {
    {"deep dive", C_REF}, {"handover", C_REF},  {"number", C_INT}, {"text", C_TEXT},
    {"owner", C_PERSON},  {"due date", C_WORD}, {"done", C_TIME},  {"version", C_INT}};

/* Rows are parsed into arrays of MAX_COLS columns. */
#define MAX_COLS 20
_Static_assert(N_OF(item_cols) <= MAX_COLS && N_OF(function_cols) <= MAX_COLS &&
                   N_OF(handover_cols) <= MAX_COLS && N_OF(risk_cols) <= MAX_COLS,
               "a covered table has more columns than a parsed row holds");

/* In digest order. */
enum {
	T_META,
	T_PERSON,
	T_HANDOVER,
	T_FUNCTION,
	T_ITEM,
	T_THREAD,
	T_ROLE,
	T_RISK,
	T_DIVE,
	T_ACTION,
	T_COUNT
};
static const struct state_table tables[T_COUNT] = {
    [T_META] = {"meta", "meta", STMT_state_one_meta, STMT_state_all_meta, meta_cols,
                N_OF(meta_cols)},
    [T_PERSON] = {"person", "people", STMT_state_one_person, STMT_state_all_person, person_cols,
                  N_OF(person_cols)},
    [T_HANDOVER] = {"handover", "handovers", STMT_state_one_handover, STMT_state_all_handover,
                    handover_cols, N_OF(handover_cols)},
    [T_FUNCTION] = {"function", "functions", STMT_state_one_function, STMT_state_all_function,
                    function_cols, N_OF(function_cols)},
    [T_ITEM] = {"item", "items", STMT_state_one_item, STMT_state_all_item, item_cols,
                N_OF(item_cols)},
    [T_THREAD] = {"thread", "thread", STMT_state_one_thread, STMT_state_all_thread, thread_cols,
                  N_OF(thread_cols)},
    [T_ROLE] = {"role", "person_roles", STMT_state_one_role, STMT_state_all_role, role_cols,
                N_OF(role_cols)},
    [T_RISK] = {"risk", "risks", STMT_state_one_risk, STMT_state_all_risk, risk_cols,
                N_OF(risk_cols)},
    [T_DIVE] = {"dive", "deep_dives", STMT_state_one_dive, STMT_state_all_dive, dive_cols,
                N_OF(dive_cols)},
    [T_ACTION] = {"action", "dive_actions", STMT_state_one_action, STMT_state_all_action,
                  action_cols, N_OF(action_cols)},
};

/* ---- a growing buffer -------------------------------------------------------- */

static void sb_int(struct textbuf *b, int64_t v)
{
	char num[24];
	char *p = num + sizeof num;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	textbuf_add(b, p, (size_t)(num + sizeof num - p));
}

/* ---- one row as a line --------------------------------------------------------- */

/* The row under statement s (id in column 0, then the table's columns). */
static void put_row(struct textbuf *b, const struct state_table *t, eng_stmt *s)
{
	textbuf_str(b, t->word);
	textbuf_add(b, " ", 1);
	sb_int(b, eng_int64(s, 0));
	for (int c = 1; c <= t->ncols; c++) {
		int type = eng_type_of(s, c);
		switch (type) {
		case ENG_NULL:
			textbuf_add(b, " n", 2);
			break;
		case ENG_INTEGER:
			textbuf_add(b, " i", 2);
			sb_int(b, eng_int64(s, c));
			break;
		case ENG_FLOAT: {
			char num[40];
			int k = snprintf(num, sizeof num, " r%.17g", eng_double(s, c));
			textbuf_add(b, num, (size_t)k);
			break;
		}
		default: {
			int blob = type == ENG_BLOB;
			const void *v = blob ? eng_blob(s, c) : eng_text(s, c);
			size_t len = (size_t)eng_bytes(s, c);
			textbuf_add(b, blob ? " b" : " t", 2);
			sb_int(b, (int64_t)len);
			textbuf_add(b, ":", 1);
			textbuf_add(b, v ? v : "", v ? len : 0);
			break;
		}
		}
	}
	textbuf_add(b, "\n", 1);
}

/* ---- noting changes ---------------------------------------------------------- */

static void on_update(ho_db *db, const char *table, int64_t id)
{
	int t = -1;
	for (int i = 0; i < T_COUNT; i++)
		if (strcmp(table, tables[i].sqlname) == 0)
			t = i;
	if (t < 0)
		return;
	if (db->ntouched > 0 && db->touched[db->ntouched - 1].table == t &&
	    db->touched[db->ntouched - 1].id == id)
		return;
	if (!store_grow((void **)&db->touched, &db->touched_cap, db->ntouched,
	                sizeof *db->touched)) {
		db->touched_oom = 1;
		return;
	}
	db->touched[db->ntouched].table = t;
	db->touched[db->ntouched].id = id;
	db->ntouched++;
}

void store_state_watch(ho_db *db)
{
	db->eng->watch(db, on_update);
}

void store_state_forget(ho_db *db)
{
	db->ntouched = 0;
	db->touched_oom = 0;
}

static int touched_cmp(const void *a, const void *b)
{
	const struct store_touched *x = a, *y = b;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

ho_status store_state_take(ho_db *db, char **out)
{
	*out = NULL;
	struct textbuf b = {0};
	ho_status st = HO_OK;
	if (db->touched_oom) {
		store_state_forget(db);
		return store_fail(db, HO_ENOMEM, "out of memory");
	}
	if (db->ntouched > 1)
		qsort(db->touched, db->ntouched, sizeof *db->touched, touched_cmp);
	for (size_t i = 0; i < db->ntouched && st == HO_OK; i++) {
		const struct store_touched *t = &db->touched[i];
		if (i > 0 && t->table == t[-1].table && t->id == t[-1].id)
			continue;
		eng_stmt *s = store_stmt(db, tables[t->table].one);
		if (!s) {
			st = store_stmt_failed(db);
			break;
		}
		store_bind_int(s, ":id", t->id);
		int rc = eng_step(s);
		if (rc == ENG_ROW) {
			put_row(&b, &tables[t->table], s);
		} else if (rc == ENG_DONE) {
			textbuf_add(&b, "-", 1);
			textbuf_str(&b, tables[t->table].word);
			textbuf_add(&b, " ", 1);
			sb_int(&b, t->id);
			textbuf_add(&b, "\n", 1);
		} else {
			st = store_engine_fail(db, rc, "recording the change");
		}
		eng_reset(s);
	}
	store_state_forget(db);
	if (st == HO_OK && b.oom)
		st = store_fail(db, HO_ENOMEM, "out of memory");
	if (st != HO_OK) {
		free(b.s);
		return st;
	}
	*out = b.s ? b.s : strdup("");
	return *out ? HO_OK : store_fail(db, HO_ENOMEM, "out of memory");
}

/* Every covered row, in digest order: each line to `row` (which returns
 * non-zero to stop). */
static ho_status walk_rows(ho_db *db, struct textbuf *line,
                           int (*row)(void *ctx, int table, int64_t id, const char *l, size_t n),
                           void *ctx)
{
	for (int t = 0; t < T_COUNT; t++) {
		eng_stmt *s = store_stmt(db, tables[t].all);
		if (!s)
			return store_stmt_failed(db);
		int rc;
		while ((rc = eng_step(s)) == ENG_ROW) {
			line->n = 0;
			put_row(line, &tables[t], s);
			if (line->oom) {
				eng_reset(s);
				return store_fail(db, HO_ENOMEM, "out of memory");
			}
			if (row(ctx, t, eng_int64(s, 0), line->s, line->n - 1)) {
				eng_reset(s);
				return HO_ENOMEM;
			}
		}
		eng_reset(s);
		if (rc != ENG_DONE)
			return store_engine_fail(db, rc, "reading the file's rows");
	}
	return HO_OK;
}

static int baseline_row(void *ctx, int table, int64_t id, const char *l, size_t n)
{
	(void)table;
	(void)id;
	struct textbuf *all = ctx;
	textbuf_add(all, l, n + 1);
	return all->oom;
}

ho_status store_state_baseline(ho_db *db)
{
	struct textbuf line = {0}, all = {0};
	ho_status st = walk_rows(db, &line, baseline_row, &all);
	if (st == HO_OK && all.oom)
		st = store_fail(db, HO_ENOMEM, "out of memory");
	if (st == HO_OK)
		st = store_event_as(db, "(upgrade)", "baseline", 0, 0, 0, "", "",
		                    "the file as it stood when upgraded: from here on every change "
		                    "records the rows it leaves",
		                    "", 0, all.s ? all.s : "");
	free(line.s);
	free(all.s);
	store_state_forget(db);
	return st;
}

/* ---- the digest of the rows ------------------------------------------------------- */

static void line_hash(const char *l, size_t n, unsigned char out[32])
{
	ho_sha256_ctx c;
	ho_sha256_init(&c);
	ho_sha256_update(&c, l, n);
	ho_sha256_final(&c, out);
}

static int digest_row(void *ctx, int table, int64_t id, const char *l, size_t n)
{
	(void)table;
	(void)id;
	unsigned char h[32];
	line_hash(l, n, h);
	ho_sha256_update(ctx, h, sizeof h);
	return 0;
}

ho_status ho_state_digest(ho_db *db, char digest[65])
{
	digest[0] = '\0';
	int64_t version = store_data_version(db);
	int64_t changes = db->eng->total_changes(db);
	if (db->state_memo.valid && version >= 0 && version == db->state_memo.data_version &&
	    changes == db->state_memo.changes) {
		memcpy(digest, db->state_memo.digest, 65);
		return HO_OK;
	}
	db->state_memo.valid = 0;
	struct textbuf line = {0};
	ho_sha256_ctx c;
	ho_sha256_init(&c);
	/* One read transaction: the rows of one state of the file. */
	int began = store_read_begin(db);
	ho_status st = walk_rows(db, &line, digest_row, &c);
	store_read_end(db, began);
	free(line.s);
	if (st != HO_OK)
		return st;
	ho_sha256_final_hex(&c, digest);
	if (version >= 0) {
		memcpy(db->state_memo.digest, digest, 65);
		db->state_memo.data_version = version;
		db->state_memo.changes = changes;
		db->state_memo.valid = 1;
	}
	return HO_OK;
}

/* ---- reading recorded lines --------------------------------------------------- */

struct token {
	char tag; /* n i r t b */
	const char *v;
	size_t len;
};

struct parsed {
	int table;
	int64_t id;
	int deleted;
	const char *start; /* the line, without its newline */
	size_t len;
};

static int parse_int(const char **pp, const char *end, int64_t *out)
{
	const char *p = *pp;
	int neg = 0;
	uint64_t v = 0;
	if (p < end && *p == '-')
		neg = 1, p++;
	const char *digits = p;
	while (p < end && *p >= '0' && *p <= '9') {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*p++ - '0');
	}
	if (p == digits || v > (uint64_t)INT64_MAX + (uint64_t)neg)
		return -1;
	*out = neg ? (int64_t)(0 - v) : (int64_t)v;
	*pp = p;
	return 0;
}

/* One column token at *pp (after its space). */
static int parse_token(const char **pp, const char *end, struct token *t)
{
	const char *p = *pp;
	if (p >= end)
		return -1;
	t->tag = *p++;
	t->v = p;
	switch (t->tag) {
	case 'n':
		t->len = 0;
		break;
	case 'i': {
		int64_t v;
		if (parse_int(&p, end, &v) != 0)
			return -1;
		t->len = (size_t)(p - t->v);
		break;
	}
	case 'r':
		while (p < end && *p != ' ' && *p != '\n')
			p++;
		t->len = (size_t)(p - t->v);
		break;
	case 't':
	case 'b': {
		int64_t len;
		if (parse_int(&p, end, &len) != 0 || len < 0 || p >= end || *p != ':')
			return -1;
		p++;
		if ((uint64_t)len > (uint64_t)(end - p))
			return -1;
		t->v = p;
		t->len = (size_t)len;
		p += len;
		break;
	}
	default:
		return -1;
	}
	*pp = p;
	return 0;
}

/* The next line at *pp; 1 when one was read, 0 at the end, -1 malformed.
 * cols (may be NULL) receives the columns. */
static int parse_line(const char **pp, const char *end, struct parsed *l, struct token *cols)
{
	const char *p = *pp;
	if (p >= end)
		return 0;
	l->deleted = *p == '-';
	if (l->deleted)
		p++;
	l->start = p;
	const char *word = p;
	while (p < end && *p != ' ')
		p++;
	l->table = -1;
	for (int t = 0; t < T_COUNT; t++)
		if ((size_t)(p - word) == strlen(tables[t].word) &&
		    memcmp(word, tables[t].word, (size_t)(p - word)) == 0)
			l->table = t;
	if (l->table < 0 || p >= end)
		return -1;
	p++;
	if (parse_int(&p, end, &l->id) != 0)
		return -1;
	if (!l->deleted) {
		for (int c = 0; c < tables[l->table].ncols; c++) {
			struct token tok;
			if (p >= end || *p != ' ')
				return -1;
			p++;
			if (parse_token(&p, end, &tok) != 0)
				return -1;
			if (cols)
				cols[c] = tok;
		}
	}
	if (p >= end || *p != '\n')
		return -1;
	l->len = (size_t)(p - l->start);
	*pp = p + 1;
	return 1;
}

/* ---- the replay --------------------------------------------------------------- */

struct rec {
	int64_t id;
	int64_t event; /* the event that last recorded this row */
	unsigned char hash[32];
	signed char table; /* -1: empty slot */
	unsigned char present, seen;
};

struct state_replay {
	struct rec *slots;
	size_t cap, used;
};

static uint64_t mix(int table, int64_t id)
{
	uint64_t z = (uint64_t)id * 8 + (uint64_t)table + 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

struct state_replay *store_replay_new(void)
{
	struct state_replay *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->cap = 1024;
	r->slots = malloc(r->cap * sizeof *r->slots);
	if (!r->slots) {
		free(r);
		return NULL;
	}
	for (size_t i = 0; i < r->cap; i++)
		r->slots[i].table = -1;
	return r;
}

void store_replay_free(struct state_replay *r)
{
	if (!r)
		return;
	free(r->slots);
	free(r);
}

static struct rec *find_slot(struct rec *slots, size_t cap, int table, int64_t id)
{
	size_t i = (size_t)mix(table, id) & (cap - 1);
	while (slots[i].table >= 0 && (slots[i].table != table || slots[i].id != id))
		i = (i + 1) & (cap - 1);
	return &slots[i];
}

static struct rec *lookup(struct state_replay *r, int table, int64_t id)
{
	struct rec *s = find_slot(r->slots, r->cap, table, id);
	return s->table >= 0 ? s : NULL;
}

static struct rec *insert(struct state_replay *r, int table, int64_t id)
{
	if ((r->used + 1) * 2 > r->cap) {
		size_t cap = r->cap * 2;
		struct rec *slots = malloc(cap * sizeof *slots);
		if (!slots)
			return NULL;
		for (size_t i = 0; i < cap; i++)
			slots[i].table = -1;
		for (size_t i = 0; i < r->cap; i++)
			if (r->slots[i].table >= 0)
				*find_slot(slots, cap, r->slots[i].table, r->slots[i].id) =
				    r->slots[i];
		free(r->slots);
		r->slots = slots;
		r->cap = cap;
	}
	struct rec *s = find_slot(r->slots, r->cap, table, id);
	if (s->table < 0) {
		memset(s, 0, sizeof *s);
		s->table = (signed char)table;
		s->id = id;
		r->used++;
	}
	return s;
}

int store_replay_event(struct state_replay *r, int64_t event_id, const char *state, size_t len)
{
	if (!state)
		return 0;
	const char *p = state, *end = state + len;
	struct parsed l;
	int rc;
	while ((rc = parse_line(&p, end, &l, NULL)) == 1) {
		struct rec *s = insert(r, l.table, l.id);
		if (!s)
			return -2;
		s->event = event_id;
		s->present = !l.deleted;
		if (!l.deleted)
			line_hash(l.start, l.len, s->hash);
	}
	return rc;
}

/* ---- naming rows and what differs ------------------------------------------------- */

struct compare {
	ho_db *db;
	struct state_replay *r;
	ho_verify_result *res;
	void (*each)(void *ctx, const char *row);
	void *ctx;
	ho_sha256_ctx digest;
	int handovers; /* rows in handovers: names say which handover when several */
	ho_status st;
};

/* A value as words: "accepted", "sam", "2026-11-08 10:00", "\"See tab 2\"". */
static void value_words(ho_db *db, enum col_kind kind, const struct token *t, char *buf,
                        size_t size)
{
	if (t->tag == 'n') {
		snprintf(buf, size, "none");
		return;
	}
	if (t->tag == 'i') {
		int64_t v = strtoll(t->v, NULL, 10);
		if (kind == C_TIME) {
			ho_time_format(v, buf, size);
			return;
		}
		if (kind == C_PERSON) {
			eng_stmt *s = store_stmt(db, STMT_state_login_of);
			if (s) {
				store_bind_int(s, ":id", v);
				int found = eng_step(s) == ENG_ROW;
				if (found)
					snprintf(buf, size, "%s", eng_text(s, 0));
				eng_reset(s);
				if (found)
					return;
			}
			snprintf(buf, size, "person #%" PRId64, v);
			return;
		}
		snprintf(buf, size, "%" PRId64, v);
		return;
	}
	char text[128];
	size_t n = t->len < 60 ? t->len : 60;
	/* Cut at a character boundary. */
	while (n > 0 && n < t->len && ((unsigned char)t->v[n] & 0xC0) == 0x80)
		n--;
	snprintf(text, sizeof text, "%.*s%s", (int)n, t->v, n < t->len ? "..." : "");
	char *clean = ho_sanitise(text, HO_SAN_LINE);
	const char *shown = clean ? clean : "?";
	if (t->tag == 'r' || t->tag == 'b')
		snprintf(buf, size, "%s (%s)", shown, t->tag == 'r' ? "a number" : "bytes");
	else if (kind == C_TEXT)
		snprintf(buf, size, "\"%s\"", shown);
	else
		snprintf(buf, size, "%s", t->len ? shown : "(empty)");
	free(clean);
}

static void token_text(const struct token *t, char *buf, size_t size)
{
	char *clean = NULL;
	if (t->tag == 't') {
		char *raw = strndup(t->v, t->len < 64 ? t->len : 64);
		clean = raw ? ho_sanitise(raw, HO_SAN_LINE) : NULL;
		free(raw);
	} else if (t->tag == 'i') {
		snprintf(buf, size, "%.*s", (int)t->len, t->v);
		return;
	}
	snprintf(buf, size, "%s", clean ? clean : "?");
	free(clean);
}

/* "item FIN-3", "person sam", "thread entry 17 of item FIN-3", from a row's
 * columns (the file's where it has the row, else the history's). */
static void row_name(struct compare *c, int table, int64_t id, const struct token *cols, char *buf,
                     size_t size)
{
	char a[96] = "";
	switch (table) {
	case T_META:
		snprintf(buf, size, "the file's title");
		return;
	case T_PERSON:
		token_text(&cols[0], a, sizeof a);
		snprintf(buf, size, "person %s", a);
		return;
	case T_HANDOVER:
		snprintf(buf, size, "handover %" PRId64, id);
		return;
	case T_FUNCTION:
		token_text(&cols[1], a, sizeof a);
		if (c->handovers > 1) {
			char h[32];
			token_text(&cols[0], h, sizeof h);
			snprintf(buf, size, "function %s of handover %s", a, h);
		} else {
			snprintf(buf, size, "function %s", a);
		}
		return;
	case T_ITEM:
	case T_THREAD: {
		int64_t item = table == T_ITEM ? id : strtoll(cols[0].v, NULL, 10);
		eng_stmt *s = store_stmt(c->db, STMT_state_ref_of);
		int found = 0;
		if (s) {
			store_bind_int(s, ":id", item);
			if (eng_step(s) == ENG_ROW) {
				char *code = ho_sanitise(eng_text(s, 0), HO_SAN_LINE);
				snprintf(a, sizeof a, "item %s-%d", code ? code : "?",
				         eng_int(s, 1));
				free(code);
				found = 1;
			}
			eng_reset(s);
		}
		if (!found)
			snprintf(a, sizeof a, "item #%" PRId64, item);
		if (table == T_ITEM)
			snprintf(buf, size, "%s", a);
		else
			snprintf(buf, size, "thread entry %" PRId64 " of %s", id, a);
		return;
	}
	case T_ROLE:
		token_text(&cols[0], a, sizeof a);
		snprintf(buf, size, "a role of person %s", a);
		return;
	case T_RISK:
	case T_DIVE:
	case T_ACTION:
		/* "risk R-3", "deep dive DD-1", "action A-2" (of handover N when
		 * the file has several). */
		token_text(&cols[table == T_ACTION ? 2 : 1], a, sizeof a);
		if (c->handovers > 1) {
			char h[32];
			token_text(&cols[table == T_ACTION ? 1 : 0], h, sizeof h);
			snprintf(buf, size, "%s %s-%s of handover %s", tables[table].word,
			         table == T_RISK   ? "R"
			         : table == T_DIVE ? "DD"
			                           : "A",
			         a, h);
		} else {
			snprintf(buf, size, "%s %s-%s", tables[table].word,
			         table == T_RISK   ? "R"
			         : table == T_DIVE ? "DD"
			                           : "A",
			         a);
		}
		return;
	}
	snprintf(buf, size, "row %" PRId64, id);
}

static void report(struct compare *c, const char *what)
{
	if (c->res->mismatches++ == 0) {
		/* Cut, where too long, at a character boundary. */
		size_t n = strlen(what), room = sizeof c->res->mismatch - 1;
		if (n > room) {
			n = room;
			while (n > 0 && ((unsigned char)what[n] & 0xC0) == 0x80)
				n--;
		}
		memcpy(c->res->mismatch, what, n);
		c->res->mismatch[n] = '\0';
	}
	if (c->each)
		c->each(c->ctx, what);
}

/* The recorded line of (table, id) in event `event`, parsed into cols. */
static char *history_line(struct compare *c, int64_t event, int table, int64_t id,
                          struct token *cols)
{
	eng_stmt *s = store_stmt(c->db, STMT_event_state);
	if (!s)
		return NULL;
	store_bind_int(s, ":id", event);
	char *state = NULL;
	size_t len = 0;
	if (eng_step(s) == ENG_ROW && eng_type_of(s, 0) == ENG_TEXT) {
		len = (size_t)eng_bytes(s, 0);
		state = malloc(len + 1);
		if (state)
			memcpy(state, eng_text(s, 0), len + 1);
	}
	eng_reset(s);
	if (!state)
		return NULL;
	const char *p = state, *end = state + len;
	struct parsed l;
	while (parse_line(&p, end, &l, cols) == 1)
		if (!l.deleted && l.table == table && l.id == id)
			return state;
	free(state);
	return NULL;
}

static void describe_change(struct compare *c, int table, int64_t id, const char *line, size_t n,
                            const struct rec *rec)
{
	const struct state_table *t = &tables[table];
	struct token now[MAX_COLS], was[MAX_COLS];
	struct parsed l;
	const char *p = line, *end = line + n + 1;
	char name[160], what[1024];
	if (parse_line(&p, end, &l, now) != 1) {
		snprintf(what, sizeof what, "%s #%" PRId64 ": differs from the history", t->word,
		         id);
		report(c, what);
		return;
	}
	row_name(c, table, id, now, name, sizeof name);
	char *hist = history_line(c, rec->event, table, id, was);
	if (!hist) {
		snprintf(what, sizeof what, "%s: differs from the history (event %" PRId64 ")",
		         name, rec->event);
		report(c, what);
		return;
	}
	size_t used = (size_t)snprintf(what, sizeof what, "%s: ", name);
	int listed = 0;
	for (int k = 0; k < t->ncols && used < sizeof what - 1; k++) {
		if (now[k].tag == was[k].tag && now[k].len == was[k].len &&
		    memcmp(now[k].v, was[k].v, now[k].len) == 0)
			continue;
		char a[160], b[160];
		value_words(c->db, t->cols[k].kind, &now[k], a, sizeof a);
		value_words(c->db, t->cols[k].kind, &was[k], b, sizeof b);
		used +=
		    (size_t)snprintf(what + used, sizeof what - used, "%s%s %s, history says %s",
		                     listed++ ? "; " : "", t->cols[k].label, a, b);
	}
	free(hist);
	report(c, what);
}

static int compare_row(void *ctx, int table, int64_t id, const char *l, size_t n)
{
	struct compare *c = ctx;
	unsigned char h[32];
	line_hash(l, n, h);
	ho_sha256_update(&c->digest, h, sizeof h);
	c->res->rows++;
	if (table == T_HANDOVER)
		c->handovers++;
	struct rec *rec = lookup(c->r, table, id);
	if (rec && rec->present) {
		rec->seen = 1;
		if (memcmp(rec->hash, h, sizeof h) != 0)
			describe_change(c, table, id, l, n, rec);
		return 0;
	}
	struct token cols[MAX_COLS];
	struct parsed pl;
	const char *p = l, *end = l + n + 1;
	char name[160], what[400];
	if (parse_line(&p, end, &pl, cols) == 1)
		row_name(c, table, id, cols, name, sizeof name);
	else
		snprintf(name, sizeof name, "%s #%" PRId64, tables[table].word, id);
	if (rec)
		snprintf(what, sizeof what,
		         "%s: in the file, but the history deleted it (event %" PRId64 ")", name,
		         rec->event);
	else
		snprintf(what, sizeof what,
		         "%s: in the file, not in the history (added outside handover)", name);
	report(c, what);
	return 0;
}

static int rec_cmp(const void *a, const void *b)
{
	const struct rec *x = *(const struct rec *const *)a, *y = *(const struct rec *const *)b;
	if (x->table != y->table)
		return x->table < y->table ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

ho_status store_replay_compare(ho_db *db, struct state_replay *r, ho_verify_result *res,
                               void (*each)(void *ctx, const char *row), void *ctx)
{
	struct compare c = {.db = db, .r = r, .res = res, .each = each, .ctx = ctx};
	struct textbuf line = {0};
	ho_sha256_init(&c.digest);
	ho_status st = walk_rows(db, &line, compare_row, &c);
	free(line.s);
	if (st != HO_OK)
		return st;
	ho_sha256_final_hex(&c.digest, res->state);

	/* Rows the history has and the file lacks; and the replay's digest. */
	struct rec **present = malloc((r->used ? r->used : 1) * sizeof *present);
	if (!present)
		return store_fail(db, HO_ENOMEM, "out of memory");
	size_t np = 0;
	for (size_t i = 0; i < r->cap; i++)
		if (r->slots[i].table >= 0 && r->slots[i].present)
			present[np++] = &r->slots[i];
	qsort(present, np, sizeof *present, rec_cmp);
	ho_sha256_ctx d;
	ho_sha256_init(&d);
	for (size_t i = 0; i < np; i++) {
		struct rec *rec = present[i];
		ho_sha256_update(&d, rec->hash, sizeof rec->hash);
		if (rec->seen)
			continue;
		struct token cols[MAX_COLS];
		char name[160], what[400];
		char *hist = history_line(&c, rec->event, rec->table, rec->id, cols);
		if (hist)
			row_name(&c, rec->table, rec->id, cols, name, sizeof name);
		else
			snprintf(name, sizeof name, "%s #%" PRId64, tables[rec->table].word,
			         rec->id);
		free(hist);
		snprintf(
		    what, sizeof what,
		    "%s: missing from the file (deleted outside handover; last recorded by event "
		    "%" PRId64 ")",
		    name, rec->event);
		report(&c, what);
	}
	ho_sha256_final_hex(&d, res->replayed);
	free(present);
	return HO_OK;
}
