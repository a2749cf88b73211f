/* The store: what every engine shares. Opening picks the engine and then
 * fills in who is acting; transactions count their depth and note the rows
 * a change touched; statements come from the engine by id. The engines
 * themselves live in their folders (src/core/sqlite/). */
#define _GNU_SOURCE
#include "store.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HO_DEFAULT_BUSY_MS 8000
#define HO_MAX_BUSY_MS     3600000 /* an hour */

ho_status store_fail(ho_db *db, ho_status st, const char *fmt, ...)
{
	if (!db)
		return st;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(db->errmsg, sizeof db->errmsg, fmt, ap);
	va_end(ap);
	return st;
}

ho_status store_engine_fail(ho_db *db, int rc, const char *what)
{
	if (!db || !db->eng)
		return store_fail(db, HO_EIO, "%s: error %d", what, rc);
	return db->eng->fail(db, rc, what);
}

eng_stmt *store_stmt(ho_db *db, enum store_stmt_id id)
{
	eng_stmt *s = NULL;
	db->stmt_status = db->eng->stmt(db, id, &s);
	if (s)
		s->oom = 0;
	return s;
}

ho_status store_stmt_failed(const ho_db *db)
{
	return db->stmt_status != HO_OK ? db->stmt_status : HO_EIO;
}

char *store_col_text(eng_stmt *s, int col)
{
	const char *t = eng_text(s, col);
	char *copy = strdup(t ? t : "");
	if (!copy)
		s->oom = 1;
	return copy;
}

ho_status store_exec_stmt(ho_db *db, eng_stmt *s, const char *what)
{
	int rc = eng_step(s);
	eng_reset(s);
	if (rc != ENG_DONE && rc != ENG_ROW)
		return store_engine_fail(db, rc, what);
	return HO_OK;
}

/* ---- transactions ------------------------------------------------------------ */

ho_status store_begin_at(ho_db *db, const char *file, int line)
{
	if (db->read_only)
		return store_fail(db, HO_EBADFILE, "%s is open read-only; nothing can be changed",
		                  db->path);
	if (db->tx_depth > 0) {
		db->tx_depth++;
		return HO_OK;
	}
	int rc = db->eng->begin(db, 1);
	if (rc != ENG_OK)
		return store_engine_fail(db, rc, "starting a change");
	store_state_forget(db);
	db->tx_depth = 1;
	db->tx_file = file;
	db->tx_line = line;
	db->tx_now = 0;
	return HO_OK;
}

ho_status store_change_begin(ho_db *db, struct store_change *ch, unsigned need, const char *what)
{
	ch->need = need;
	ch->events_at = db->events_written;
	ho_status st = HO_OK;
	/* On a server a login that is nobody's reads and changes nothing (the
	 * owner, who may make the first person, excepted): said once, here,
	 * with how to put that right. */
	if (db->session_login && !db->session_owner && db->actor.role == HO_ROLE_NONE &&
	    !db->read_only)
		return store_refuse_unmapped(db, what);
	if ((need & STORE_LEAD) && (st = store_require_lead(db, what)) != HO_OK)
		return st;
	return store_begin(db);
}

ho_status store_change_end(ho_db *db, struct store_change *ch, ho_status st)
{
	if (st == HO_OK && !(ch->need & STORE_UNRECORDED) && db->events_written == ch->events_at)
		st = store_fail(db, HO_EIO, "a change without its history event was refused");
	if (st != HO_OK) {
		store_rollback(db);
		return st;
	}
	return store_commit(db);
}

int64_t store_now(ho_db *db)
{
	if (db->tx_depth <= 0)
		return ho_now();
	if (db->tx_now != 0)
		return db->tx_now;
	/* Read inside the write lock, so no event can come between this and
	 * ours: a computer whose clock is behind the last person's (or a
	 * clock put back) would otherwise make history run backwards. */
	int64_t now = ho_now(), last = 0;
	eng_stmt *s = store_stmt(db, STMT_event_last_at);
	if (s && eng_step(s) == ENG_ROW)
		last = eng_int64(s, 0);
	if (s)
		eng_reset(s);
	db->tx_now = now < last ? last : now;
	return db->tx_now;
}

ho_status store_commit(ho_db *db)
{
	if (db->tx_depth <= 0)
		return store_fail(db, HO_EIO, "commit without a transaction");
	if (--db->tx_depth > 0)
		return HO_OK;
	store_state_forget(db);
	int rc = db->eng->commit(db); /* rolled back when it fails */
	if (rc != ENG_OK)
		return store_engine_fail(db, rc, "saving the change");
	/* Our own commit bumps nothing in data_version, but reading it now
	 * keeps ho_changed() about other people only. */
	db->data_version = db->eng->data_version(db);
	return HO_OK;
}

int store_read_begin(ho_db *db)
{
	if (db->eng->in_transaction(db))
		return 0;
	return db->eng->begin(db, 0) == ENG_OK;
}

void store_read_end(ho_db *db, int began)
{
	/* Nothing was written, so ending it cannot lose anything. */
	if (began)
		db->eng->commit(db);
}

void store_rollback(ho_db *db)
{
	if (db->tx_depth <= 0)
		return;
	if (--db->tx_depth > 0) {
		/* An inner failure dooms the whole batch: the outermost caller
		 * rolls back when its own call fails. */
		return;
	}
	store_state_forget(db);
	db->eng->rollback(db);
}

/* ---- opening ------------------------------------------------------------------ */

/* $HANDOVER_BUSY_MS: how long to wait for someone else's change. */
static ho_status read_busy_ms(ho_db *db)
{
	const char *v = getenv("HANDOVER_BUSY_MS");
	db->busy_ms = HO_DEFAULT_BUSY_MS;
	if (!v || !*v)
		return HO_OK;
	char *end = NULL;
	errno = 0;
	long ms = *v >= '0' && *v <= '9' ? strtol(v, &end, 10) : -1;
	if (errno || ms < 1 || ms > HO_MAX_BUSY_MS || !end || *end)
		return store_fail(db, HO_EUSAGE,
		                  "HANDOVER_BUSY_MS must be a whole number of milliseconds from 1 "
		                  "to %d, not '%s'",
		                  HO_MAX_BUSY_MS, v);
	db->busy_ms = (int)ms;
	return HO_OK;
}

ho_status store_db_new(const char *path, int flags, const struct eng_ops *eng, ho_db **out)
{
	*out = NULL;
	ho_db *db = calloc(1, sizeof *db);
	if (!db)
		return HO_ENOMEM;
	*out = db;
	db->eng = eng;
	db->flags = flags;
	db->path = strdup(path ? path : "");
	if (!db->path)
		return HO_ENOMEM;
	if (!path || !*path)
		return store_fail(db, HO_EUSAGE, "no file named");
	/* Settings are checked before the file is touched: a mistyped one is
	 * refused, never quietly replaced by a default. */
	ho_status st = read_busy_ms(db);
	db->busy_now = db->busy_ms;
	return st;
}

ho_status store_opened(ho_db *db)
{
	db->data_version = db->eng->data_version(db);
	db->actor.login = strdup("");
	db->actor.name = strdup("");
	db->actor.org = strdup("");
	if (!db->actor.login || !db->actor.name || !db->actor.org)
		return store_fail(db, HO_ENOMEM, "out of memory");
	return HO_OK;
}

ho_status ho_open(const char *path, int flags, ho_db **out)
{
	const struct eng_ops *eng = eng_postgres_claims(path) ? &eng_postgres : &eng_sqlite;
	ho_status st = store_db_new(path, flags, eng, out);
	if (st != HO_OK)
		return st;
	ho_db *db = *out;
	if ((st = db->eng->open(db)) != HO_OK)
		return st;
	return store_opened(db);
}

void ho_close(ho_db *db)
{
	if (!db)
		return;
	store_memo_clear(db);
	if (db->eng)
		db->eng->close(db);
	ho_person_clear(&db->actor);
	free(db->touched);
	free(db->path);
	free(db);
}

const char *ho_errmsg(const ho_db *db)
{
	return db ? db->errmsg : "out of memory";
}

const char *ho_path(const ho_db *db)
{
	return db->path;
}

const char *ho_journal_mode(const ho_db *db)
{
	return db->journal;
}

const char *ho_journal_refresh(ho_db *db)
{
	/* Inside a transaction the mode cannot change under us. */
	if (db->tx_depth <= 0 && !db->eng->in_transaction(db))
		db->eng->journal_refresh(db);
	return db->journal;
}

ho_status ho_set_journal(ho_db *db, const char *mode)
{
	if (!mode || (strcmp(mode, "wal") != 0 && strcmp(mode, "delete") != 0))
		return store_fail(db, HO_EUSAGE, "the journal is 'wal' or 'delete', not '%s'",
		                  mode ? mode : "");
	if (db->read_only)
		return store_fail(db, HO_EBADFILE, "%s is open read-only; nothing can be changed",
		                  db->path);
	ho_status st = store_require_lead(db, "changing the journal");
	if (st != HO_OK)
		return st;
	if (db->tx_depth > 0)
		return store_fail(db, HO_ESTATE, "the journal cannot change inside a change");
	return db->eng->set_journal(db, mode);
}

int ho_created(const ho_db *db)
{
	return db && db->created;
}

int ho_on_network(const ho_db *db)
{
	return db->on_network;
}

int ho_read_only(const ho_db *db)
{
	return db->read_only;
}

int ho_busy_timeout(const ho_db *db)
{
	return db->busy_ms;
}

void ho_set_busy_timeout(ho_db *db, int ms)
{
	db->busy_now = ms;
	db->eng->set_busy(db, ms);
}

int64_t store_data_version(ho_db *db)
{
	return db->eng->data_version(db);
}

int ho_changed(ho_db *db)
{
	int64_t v = db->eng->data_version(db);
	if (v < 0 || v == db->data_version)
		return 0;
	db->data_version = v;
	return 1;
}

int ho_change_fd(ho_db *db)
{
	return db->eng->change_fd ? db->eng->change_fd(db) : -1;
}

int ho_change_ready(ho_db *db)
{
	return db->eng->change_ready ? db->eng->change_ready(db) : 0;
}

int store_file_unused(ho_db *db)
{
	eng_stmt *s = store_stmt(db, STMT_file_unused);
	int unused = s && eng_step(s) == ENG_ROW && eng_int64(s, 0) == 0;
	if (s)
		eng_reset(s);
	return unused;
}

/* ---- integrity and backup ------------------------------------------------------- */

ho_status ho_check(ho_db *db)
{
	ho_status st = db->eng->check(db);
	if (st != HO_OK)
		return st;
	/* A file whose structure is sound may still have been edited: the
	 * history and every row against it, as verify does. */
	ho_verify_result vr;
	return ho_verify(db, &vr);
}

ho_status ho_backup(ho_db *db, const char *out, int flags)
{
	return db->eng->backup(db, out, flags);
}

/* ---- small helpers shared by the store ------------------------------------------ */

static int utf8_valid(const unsigned char *p)
{
	while (*p) {
		unsigned c = *p;
		int extra;
		uint32_t cp;
		if (c < 0x80) {
			p++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			extra = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			extra = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			extra = 3;
			cp = c & 0x07;
		} else {
			return 0;
		}
		for (int i = 1; i <= extra; i++) {
			if ((p[i] & 0xC0) != 0x80)
				return 0;
			cp = cp << 6 | (p[i] & 0x3F);
		}
		if ((extra == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		p += extra + 1;
	}
	return 1;
}

ho_status store_clean_text(ho_db *db, const char *in, size_t max, int required, const char *what,
                           char **out)
{
	*out = NULL;
	if (!in)
		in = "";
	while (*in == ' ' || *in == '\t' || *in == '\n' || *in == '\r')
		in++;
	size_t len = strlen(in);
	while (len > 0 && (in[len - 1] == ' ' || in[len - 1] == '\t' || in[len - 1] == '\n' ||
	                   in[len - 1] == '\r'))
		len--;
	if (required && len == 0)
		return store_fail(db, HO_EUSAGE, "%s must not be empty", what);
	if (len > max)
		return store_fail(db, HO_EUSAGE, "%s is too long (%zu bytes; at most %zu)", what,
		                  len, max);
	char *t = strndup(in, len);
	if (!t)
		return store_fail(db, HO_ENOMEM, "out of memory");
	if (!utf8_valid((const unsigned char *)t)) {
		free(t);
		return store_fail(db, HO_EUSAGE, "%s is not valid UTF-8 text", what);
	}
	*out = t;
	return HO_OK;
}

int store_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 1;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *nv = realloc(*arr, ncap * elem);
	if (!nv)
		return 0;
	*arr = nv;
	*cap = ncap;
	return 1;
}

int ho_location_is_server(const char *where)
{
	return eng_postgres_claims(where);
}
