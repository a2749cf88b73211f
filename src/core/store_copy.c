/* Copying a whole handover from one database to another: a SQLite file
 * into PostgreSQL and back, or either into a new file (a backup of a
 * database on a server).
 *
 * Every table is copied row by row with its ids, so references between
 * rows, the history's recorded rows (which name ids) and the history itself
 * come across unchanged: the events byte for byte, hence the same hash
 * chain, head and state digest. The copy checks that before it commits.
 *
 * The target is new and filled all or nothing: a file is written to a
 * temporary file beside it and renamed into place (ho_outfile); a
 * PostgreSQL database must have no tables, and its schema and rows are
 * made in one transaction, so a failure leaves it empty. The source is read
 * in one read transaction: one state of it, even while others change it. */
#define _GNU_SOURCE
#include "handover/outfile.h"
#include "store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Every table of a handover database and every column of each, the same
 * on both engines (schema/ at format 8, schema/pg/ at version 2), in an
 * order in which each row's references are already there. `key` orders
 * the rows and is the id a database hands out (NULL: none). SQLite's rowid
 * of meta and person_roles is a column on PostgreSQL: the history's
 * recorded rows name it. The format's own record (user_version, or
 * handover_format) is made by the target's schema, not copied. */
const struct store_copy_table store_copy_tables[] = {
    {"meta", "rowid", "rowid, key, value"},
    {"people", "id", "id, login, name, role, org, version, created_at, left_at, job_title"},
    {"person_roles", "rowid", "rowid, person_id, role"},
    {"handovers", "id",
     "id, title, service, sender_org, receiver_org, target_date, signed_by, signed_at, version, "
     "created_at, marking, closed_at, closed_note, distribution"},
    {"functions", "id",
     "id, handover_id, code, name, position, due_date, sender_id, receiver_id, "
     "sender_signed_at, receiver_signed_at, next_number, version, retired_at, retired_note"},
    {"items", "id",
     "id, function_id, number, position, title, guidance, due_date, sender_state, "
     "receiver_state, evidence, na_reason, condition, version, updated_by, updated_at, "
     "retired_at, retired_note, condition_owner_id, condition_side, condition_due"},
    {"thread", "id", "id, item_id, kind, author_id, at, body, resolved_at"},
    {"events", "id",
     "id, at, actor, action, handover_id, function_id, item_id, ref, old_value, new_value, "
     "undo, item_version, prev_hash, hash, state"},
    {"risks", "id",
     "id, handover_id, number, function_id, title, description, cause, likelihood, impact, "
     "owner_id, mitigation, review_date, items, status, close_note, version, created_at, "
     "updated_at"},
    {"deep_dives", "id",
     "id, handover_id, number, held_on, title, attendees, risks, decisions, version, "
     "created_at"},
    {"dive_actions", "id",
     "id, deep_dive_id, handover_id, number, text, owner_id, due_date, done_at, version"},
    {"seen", NULL, "person_id, handover_id, event_id, at"},
};
const size_t store_copy_table_count = sizeof store_copy_tables / sizeof store_copy_tables[0];

int store_copy_ncols(const struct store_copy_table *t)
{
	int n = 1;
	for (const char *p = t->cols; *p; p++)
		n += *p == ',';
	return n;
}

int store_copy_select_sql(const struct store_copy_table *t, char *out, size_t len)
{
	int n = snprintf(out, len, "SELECT %s FROM %s ORDER BY %s", t->cols, t->name,
	                 t->key ? t->key : t->cols);
	return n > 0 && (size_t)n < len ? 0 : -1;
}

int store_copy_insert_sql(const struct store_copy_table *t, char *out, size_t len)
{
	int n = snprintf(out, len, "INSERT INTO %s(%s) VALUES (", t->name, t->cols);
	for (int i = 0; n > 0 && (size_t)n < len && i < store_copy_ncols(t); i++)
		n += snprintf(out + n, len - (size_t)n, "%s:c%d", i ? ", " : "", i);
	if (n > 0 && (size_t)n < len)
		n += snprintf(out + n, len - (size_t)n, ")");
	return n > 0 && (size_t)n < len ? 0 : -1;
}

/* The target's failure, told on the source's handle (the caller's). */
static ho_status relay(ho_db *src, ho_db *dst, ho_status st)
{
	const char *msg = dst ? ho_errmsg(dst) : "out of memory";
	return store_fail(src, st, "%s", msg && *msg ? msg : ho_strerror(st));
}

/* One table's rows, each value bound as the kind it is (a NULL stays
 * NULL, a number a number). */
static ho_status copy_table(ho_db *src, ho_db *dst, const struct store_copy_table *t, int64_t *rows)
{
	char sel[1024], ins[1536], what[64], col[16];
	eng_stmt *r = NULL, *w = NULL;
	ho_status st;
	if (store_copy_select_sql(t, sel, sizeof sel) != 0 ||
	    store_copy_insert_sql(t, ins, sizeof ins) != 0)
		return store_fail(src, HO_EIO, "copying %s: statement too long", t->name);
	snprintf(what, sizeof what, "copying %s", t->name);
	if ((st = src->eng->prepare(src, sel, &r)) != HO_OK)
		goto cleanup;
	if ((st = dst->eng->prepare(dst, ins, &w)) != HO_OK) {
		st = relay(src, dst, st);
		goto cleanup;
	}
	int ncols = store_copy_ncols(t), rc;
	while ((rc = eng_step(r)) == ENG_ROW) {
		for (int i = 0; i < ncols; i++) {
			snprintf(col, sizeof col, ":c%d", i);
			switch (eng_type_of(r, i)) {
			case ENG_NULL:
				store_bind_null(w, col);
				break;
			case ENG_INTEGER:
				store_bind_int(w, col, eng_int64(r, i));
				break;
			case ENG_TEXT:
				store_bind_text(w, col, eng_text(r, i));
				break;
			default:
				/* Never written by handover: a file edited by hand. */
				st =
				    store_fail(src, HO_EBADFILE,
				               "copying %s: row %lld holds a value handover never "
				               "writes (a number with a fraction, or bytes) in its "
				               "column %d; nothing was copied",
				               t->name, (long long)eng_int64(r, 0), i + 1);
				goto cleanup;
			}
		}
		rc = eng_step(w);
		eng_reset(w);
		if (eng_primary(rc) == ENG_CONSTRAINT) {
			/* Both schemas have the same rules: a row one refuses was
			 * put in the other behind handover's back. */
			store_engine_fail(dst, rc, what);
			st = store_fail(
			    src, HO_EBADFILE,
			    "copying %s: row %lld was refused (%s); the source was edited "
			    "outside handover ('handover check' on it says where)",
			    t->name, (long long)eng_int64(r, 0), ho_errmsg(dst));
			goto cleanup;
		}
		if (rc != ENG_DONE) {
			st = relay(src, dst, store_engine_fail(dst, rc, what));
			goto cleanup;
		}
		(*rows)++;
	}
	if (rc != ENG_DONE)
		st = store_engine_fail(src, rc, what);
cleanup:
	if (r)
		src->eng->finalize(r);
	if (w)
		dst->eng->finalize(w);
	return st;
}

/* Every table into dst (its schema made, a change open), then the ids it
 * hands out next set past the copied ones, then the proof that the copy
 * is its source: the same history head and the same state digest. */
static ho_status copy_rows(ho_db *src, ho_db *dst, ho_copy_result *res)
{
	ho_status st = HO_OK;
	int began = store_read_begin(src);
	/* The target is not changed by anyone's action: there is nothing for
	 * the history to record of it. */
	dst->eng->watch(dst, NULL);
	for (size_t i = 0; st == HO_OK && i < store_copy_table_count; i++) {
		int64_t before = res->rows;
		st = copy_table(src, dst, &store_copy_tables[i], &res->rows);
		if (strcmp(store_copy_tables[i].name, "events") == 0)
			res->events = res->rows - before;
	}
	for (size_t i = 0; st == HO_OK && i < store_copy_table_count; i++)
		if (store_copy_tables[i].key &&
		    (st = dst->eng->ids_follow(dst, store_copy_tables[i].name,
		                               store_copy_tables[i].key)) != HO_OK)
			st = relay(src, dst, st);
	char head[65], dhead[65], digest[65], ddigest[65];
	int64_t n = 0, dn = 0;
	if (st == HO_OK && (st = ho_history_head(src, head, &n)) == HO_OK &&
	    (st = ho_state_digest(src, digest)) == HO_OK) {
		if ((st = ho_history_head(dst, dhead, &dn)) == HO_OK)
			st = ho_state_digest(dst, ddigest);
		if (st != HO_OK)
			st = relay(src, dst, st);
		else if (n != dn || strcmp(head, dhead) != 0 || strcmp(digest, ddigest) != 0)
			st = store_fail(src, HO_EIO,
			                "the copy is not its source (history head %.12s, copy's "
			                "%.12s; state %.12s, copy's %.12s); nothing was written",
			                head, dhead, digest, ddigest);
		else {
			memcpy(res->head, head, sizeof res->head);
			memcpy(res->state, digest, sizeof res->state);
		}
	}
	store_read_end(src, began);
	return st;
}

/* dst freshly opened with its schema: fill it in one change. */
static ho_status fill(ho_db *src, ho_db *dst, ho_copy_result *res)
{
	/* The PostgreSQL engine leaves its schema's change open; a new file's
	 * schema was committed in its temporary file, discarded on failure. */
	ho_status st = dst->tx_depth == 0 ? store_begin(dst) : HO_OK;
	if (st != HO_OK)
		return relay(src, dst, st);
	if ((st = copy_rows(src, dst, res)) != HO_OK) {
		while (dst->tx_depth > 0)
			store_rollback(dst);
		return st;
	}
	while (st == HO_OK && dst->tx_depth > 0)
		st = store_commit(dst);
	return st == HO_OK ? HO_OK : relay(src, dst, st);
}

/* A new handle on `where` through `eng`, opened with `flags`. */
static ho_status open_target(ho_db *src, const char *where, int flags, const struct eng_ops *eng,
                             ho_db **dst)
{
	ho_status st = store_db_new(where, flags, eng, dst);
	if (st == HO_OK)
		st = (*dst)->eng->open(*dst);
	if (st == HO_OK)
		st = store_opened(*dst);
	return st == HO_OK ? HO_OK : relay(src, *dst, st);
}

ho_status store_copy_out(ho_db *src, const char *out, int flags, ho_copy_result *res)
{
	ho_copy_result mine;
	if (!res)
		res = &mine;
	memset(res, 0, sizeof *res);
	ho_outfile o;
	ho_status st = ho_outfile_open(src, out, flags | HO_OUT_DATABASE, 0, &o);
	if (st != HO_OK)
		return st;
	snprintf(res->to, sizeof res->to, "%s", out);
	ho_db *dst = NULL;
	/* The temporary file is empty: made into a handover file as init
	 * makes one, with the journal a new file gets there. */
	if ((st = open_target(src, o.tmp, HO_OPEN_CREATE, &eng_sqlite, &dst)) == HO_OK)
		st = fill(src, dst, res);
	/* Closed before ho_outfile closes its own descriptor: closing any
	 * descriptor of a file drops the process's locks on it. */
	ho_close(dst);
	if (st != HO_OK) {
		ho_outfile_discard(&o);
		return st;
	}
	return ho_outfile_commit(src, &o);
}

ho_status ho_copy(ho_db *from, const char *to, ho_copy_result *res)
{
	if (!to || !*to)
		return store_fail(from, HO_EUSAGE, "copy: no target named");
	if (!eng_postgres_claims(to)) {
		/* Said here for a copy, which has no --force (ho_outfile would
		 * suggest it): a copy makes a new file, never replaces one. */
		struct stat sb;
		if (lstat(to, &sb) == 0)
			return store_fail(
			    from, HO_EEXIST,
			    "%s: already exists; a copy makes a new file, never replaces "
			    "one",
			    to);
		return store_copy_out(from, to, 0, res);
	}
	ho_copy_result mine;
	if (!res)
		res = &mine;
	memset(res, 0, sizeof *res);
	ho_db *dst = NULL;
	ho_status st = open_target(from, to, STORE_OPEN_FILL, &eng_postgres, &dst);
	if (st == HO_OK) {
		snprintf(res->to, sizeof res->to, "%s", ho_path(dst));
		st = fill(from, dst, res);
	}
	ho_close(dst);
	return st;
}
