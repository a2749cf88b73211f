/* Internal to the core: the engine seam. The store (src/core/store*.c) asks
 * a storage engine for what it needs through the operations below and never
 * names an engine's own library; each engine lives in its own folder
 * (src/core/sqlite/) and is the only code that includes that library's
 * header.
 *
 * An engine supplies:
 *   - a connection: open, close, begin/commit/rollback, how many rows the
 *     last statement changed, the id it inserted, whether others committed
 *     since (data_version), a watch on changed rows (the history records
 *     them), check, backup, and its journal where it has one;
 *   - statements by id: every statement of the core is named in the
 *     statement table (sqlite/statements.def), prepared once per connection
 *     and reused; an engine prepares the same names from its own SQL text;
 *   - result codes: a step gives ENG_ROW, ENG_DONE or an error, and errors
 *     are numbered as SQLite numbers them (ENG_BUSY, ENG_CONSTRAINT, ...)
 *     whichever engine made them, so the store tells them apart the same way
 *     everywhere; store_engine_fail() turns one into a status and message. */
#ifndef HANDOVER_ENGINE_H
#define HANDOVER_ENGINE_H

#include <stddef.h>
#include <stdint.h>

#include "handover/handover.h"

/* The statements of the core, by name; the SQL text is each engine's. */
enum store_stmt_id {
#define STMT(name, sql) STMT_##name,
#include "sqlite/statements.def"
#undef STMT
	STMT__COUNT
};

/* Step results and the error codes the store tells apart. */
#define ENG_OK                    0
#define ENG_ERROR                 1
#define ENG_BUSY                  5
#define ENG_LOCKED                6
#define ENG_NOMEM                 7
#define ENG_READONLY              8
#define ENG_IOERR                 10
#define ENG_CORRUPT               11
#define ENG_FULL                  13
#define ENG_CANTOPEN              14
#define ENG_CONSTRAINT            19
#define ENG_AUTH                  23 /* refused for this login (a server's privileges) */
#define ENG_NOTADB                26
#define ENG_ROW                   100
#define ENG_DONE                  101
#define ENG_CONSTRAINT_FOREIGNKEY (ENG_CONSTRAINT | (3 << 8))
#define eng_primary(rc)           ((rc)&0xff)

/* A column's type in a row (what the history's row records keep). */
enum eng_type { ENG_INTEGER = 1, ENG_FLOAT = 2, ENG_TEXT = 3, ENG_BLOB = 4, ENG_NULL = 5 };

typedef struct eng_stmt eng_stmt;
struct eng_conn; /* an engine's own connection state */

/* What a changed row is, as the engine's watch reports it. */
typedef void (*eng_watch_fn)(ho_db *db, const char *table, int64_t rowid);

struct eng_ops {
	const char *name; /* "sqlite" */

	/* ---- the connection ---- */
	/* Open db->path (the store has filled db->flags, db->busy_ms); on
	 * failure the message is set and the status returned. */
	ho_status (*open)(ho_db *db);
	void (*close)(ho_db *db);
	/* write: take the write lock up front (a change); else a read
	 * transaction. */
	int (*begin)(ho_db *db, int write);
	int (*commit)(ho_db *db);
	void (*rollback)(ho_db *db);
	int (*in_transaction)(ho_db *db);
	int64_t (*changes)(ho_db *db);       /* rows the last statement changed */
	int64_t (*total_changes)(ho_db *db); /* rows this connection has changed */
	int64_t (*last_id)(ho_db *db);       /* the rowid the last insert made */
	/* Changes whenever another connection commits; -1 when unreadable. */
	int64_t (*data_version)(ho_db *db);
	void (*set_busy)(ho_db *db, int ms);
	/* Call fn for every row inserted, updated or deleted by this
	 * connection from now on. */
	void (*watch)(ho_db *db, eng_watch_fn fn);
	/* A status and one-line message for an engine result code. */
	ho_status (*fail)(ho_db *db, int rc, const char *what);
	/* The engine's own checks of structure and schema (ho_check adds the
	 * history's). */
	ho_status (*check)(ho_db *db);
	/* A whole copy as a SQLite handover file at out (ho_outfile flags). */
	ho_status (*backup)(ho_db *db, const char *out, int flags);
	/* Read the journal mode into db->journal again ("wal", "delete"; ""
	 * where the engine has none); and change it (mode checked, a lead's,
	 * outside a change). */
	void (*journal_refresh)(ho_db *db);
	ho_status (*set_journal)(ho_db *db, const char *mode);
	/* Optional (NULL: the engine has none; others' commits are found by
	 * asking data_version now and then). A descriptor that turns readable
	 * when another connection may have committed, -1 while there is none
	 * (a lost connection); and whether such news has arrived since the
	 * last call (it consumes the news). */
	int (*change_fd)(ho_db *db);
	int (*change_ready)(ho_db *db);

	/* ---- statements ---- */
	/* The statement id in *out, ready to bind: reset, bindings cleared.
	 * On failure *out is NULL and the message set. */
	ho_status (*stmt)(ho_db *db, enum store_stmt_id id, eng_stmt **out);
	int (*step)(eng_stmt *s);
	void (*reset)(eng_stmt *s);
	/* By :name; a name the statement lacks is ignored. */
	void (*bind_text)(eng_stmt *s, const char *name, const char *v);
	void (*bind_int)(eng_stmt *s, const char *name, int64_t v);
	void (*bind_null)(eng_stmt *s, const char *name);
	int64_t (*col_int64)(eng_stmt *s, int col);
	double (*col_double)(eng_stmt *s, int col);
	/* NULL for a NULL column; valid until the next step or reset. */
	const char *(*col_text)(eng_stmt *s, int col);
	const void *(*col_blob)(eng_stmt *s, int col);
	size_t (*col_bytes)(eng_stmt *s, int col);
	enum eng_type (*col_type)(eng_stmt *s, int col);

	/* ---- database logins (a server's; NULL where the engine has none) ---- */
	/* Inside the open change: give the login `login` a person's rights on
	 * the database, creating it with `password` when that is not NULL.
	 * HO_ENOTFOUND (message set) when there is no such login to map. */
	ho_status (*login_grant)(ho_db *db, const char *login, const char *password);
	/* Inside the open change: take those rights back; *revoked 0 when the
	 * login held none to take (no such login, or rights given otherwise). */
	ho_status (*login_revoke)(ho_db *db, const char *login, int *revoked);

	/* ---- whole tables (store_copy.c) ---- */
	/* A statement that is not in the table: SQL text the program builds
	 * from its own fixed names (never a person's text), written as
	 * statements.def's are; used as those are, then finalized. */
	ho_status (*prepare)(ho_db *db, const char *sql, eng_stmt **out);
	void (*finalize)(eng_stmt *s);
	/* Rows were inserted into `table` with their `column` (an id) given:
	 * make the ids the database hands out next come after them. */
	ho_status (*ids_follow)(ho_db *db, const char *table, const char *column);
};

/* Every engine's statement begins with its operations. */
struct eng_stmt {
	const struct eng_ops *ops;
	/* A column could not be copied (out of memory, store_col_text): the
	 * row read is not whole, and the next step says ENG_NOMEM. Cleared
	 * when the statement is handed out again (store_stmt). */
	int oom;
};

extern const struct eng_ops eng_sqlite;
extern const struct eng_ops eng_postgres;
/* 1 when `where` names a PostgreSQL database (a postgresql:// URI or a
 * conninfo string) rather than a file. */
int eng_postgres_claims(const char *where);

static inline int eng_step(eng_stmt *s)
{
	return s->oom ? ENG_NOMEM : s->ops->step(s);
}
static inline void eng_reset(eng_stmt *s)
{
	s->ops->reset(s);
}
static inline int64_t eng_int64(eng_stmt *s, int col)
{
	return s->ops->col_int64(s, col);
}
static inline int eng_int(eng_stmt *s, int col)
{
	return (int)s->ops->col_int64(s, col);
}
static inline double eng_double(eng_stmt *s, int col)
{
	return s->ops->col_double(s, col);
}
static inline const char *eng_text(eng_stmt *s, int col)
{
	return s->ops->col_text(s, col);
}
static inline const void *eng_blob(eng_stmt *s, int col)
{
	return s->ops->col_blob(s, col);
}
static inline size_t eng_bytes(eng_stmt *s, int col)
{
	return s->ops->col_bytes(s, col);
}
static inline enum eng_type eng_type_of(eng_stmt *s, int col)
{
	return s->ops->col_type(s, col);
}
static inline int eng_is_null(eng_stmt *s, int col)
{
	return s->ops->col_type(s, col) == ENG_NULL;
}

#endif
