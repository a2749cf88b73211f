/* Internal to the core: the store (all SQL lives in src/core/store*.c).
 * No sqlite3 type leaves src/core. */
#ifndef HANDOVER_STORE_H
#define HANDOVER_STORE_H

#include "handover/handover.h"
#include "handover/rules.h"
#include "words.h"
#include <sqlite3.h>

/* Cached prepared statements, one slot each, prepared on first use, reset
 * after each use, finalized on close (see store_stmt()). */
enum store_stmt_id {
#define STMT(name, sql) STMT_##name,
#include "store_sql.def"
#undef STMT
	STMT__COUNT
};

struct ho_db {
	sqlite3 *conn;
	char *path;
	int flags;
	int read_only;
	int on_network;
	int created;      /* this ho_open made the file (init) */
	char journal[16]; /* the file's journal mode, as SQLite last reported it */
	int64_t tx_now;   /* the time of the open change, 0 until asked */
	/* Why SQLite refused the file, when the header read without a lock
	 * looked truncated: re-checked under SQLite's locks first. */
	int header_truncated;
	sqlite3_stmt *stmts[STMT__COUNT];
	int busy_ms;         /* the busy timeout opened with */
	int busy_now;        /* the busy timeout in force (ho_set_busy_timeout) */
	int tx_depth;        /* nested store_begin() calls */
	const char *tx_file; /* where the outermost transaction was opened */
	int tx_line;
	int64_t data_version; /* last PRAGMA data_version seen */
	ho_person actor;      /* role HO_ROLE_NONE when unknown */
	char errmsg[512];
	/* The last whole-file function list with its counts. The dashboard
	 * and `status` read the handovers (whose counts are sums over their
	 * functions) and then the functions: this lets the second read reuse
	 * the first instead of counting every item again. Valid only while
	 * nobody has committed (data_version), this connection has changed
	 * nothing (total_changes) and the day is the same (overdue, due soon). */
	struct {
		ho_function *fns;
		int *due_soon;
		size_t n;
		int64_t data_version, changes;
		char today[16];
	} fn_memo;
	/* The history's head and length, likewise: each handover's document
	 * in an export carries them, and counting a long history once per
	 * document was most of the export's time. */
	struct {
		int valid;
		int64_t events;
		char head[65];
		int64_t data_version, changes;
	} head_memo;
	/* The state digest of the file's rows, remembered likewise. */
	struct {
		int valid;
		char digest[65];
		int64_t data_version, changes;
	} state_memo;
	/* Rows changed since the last history event, as SQLite's update hook
	 * names them (see store_state.c): the next event records each as it
	 * then stands. Emptied when a transaction ends. */
	struct store_touched {
		int table;
		int64_t id;
	} * touched;
	size_t ntouched, touched_cap;
	int touched_oom; /* a change could not be noted: the event must fail */
};

/* Set the one-line reason for the caller; returns st. */
ho_status store_fail(ho_db *db, ho_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Map a SQLite result code to a status and message (busy -> HO_EBUSY). */
ho_status store_sqlite_fail(ho_db *db, int rc, const char *what);

/* The cached statement `id`, reset and with bindings cleared. NULL on
 * failure (message set). */
sqlite3_stmt *store_stmt(ho_db *db, enum store_stmt_id id);
/* Bind helpers by :name; text NULL binds NULL. */
void store_bind_text(sqlite3_stmt *s, const char *name, const char *v);
void store_bind_int(sqlite3_stmt *s, const char *name, int64_t v);
void store_bind_null(sqlite3_stmt *s, const char *name);
/* Column as a new malloc'd string ("" for NULL). */
char *store_col_text(sqlite3_stmt *s, int col);
/* Step a statement expected to finish with SQLITE_DONE; resets it. */
ho_status store_exec_stmt(ho_db *db, sqlite3_stmt *s, const char *what);

/* One transaction per user action: BEGIN IMMEDIATE (waits up to the busy
 * timeout). Nested calls only count depth, so a batch (import, demo) can
 * wrap many actions in one transaction. */
#define store_begin(db) store_begin_at((db), __FILE__, __LINE__)
ho_status store_begin_at(ho_db *db, const char *file, int line);
ho_status store_commit(ho_db *db);
void store_rollback(ho_db *db);

/* The time of the change in progress: the clock, but never before the
 * last event in the history (the same for every row the change writes).
 * Outside a transaction, the clock. */
int64_t store_now(ho_db *db);
/* 1 when the file holds nobody and no history: what init may fill. */
int store_file_unused(ho_db *db);

/* Append a history event in the current transaction (hash-chained). The
 * event records the state of every row changed since the previous event
 * (store_state_take), so it must come after the change it describes. */
ho_status store_event(ho_db *db, const char *action, int64_t handover_id, int64_t function_id,
                      int64_t item_id, const char *ref, const char *old_value,
                      const char *new_value, const char *undo, int64_t item_version);
/* The same with the actor and the recorded state given (NULL state: the
 * rows changed since the previous event, as store_event does). */
ho_status store_event_as(ho_db *db, const char *actor, const char *action, int64_t handover_id,
                         int64_t function_id, int64_t item_id, const char *ref,
                         const char *old_value, const char *new_value, const char *undo,
                         int64_t item_version, const char *state);

/* ---- the state the history proves (store_state.c) ---- */

/* The first file format whose events carry the state they leave. */
#define STORE_STATE_FORMAT 3
/* The last file format that added columns to covered rows (008: a
 * condition's terms, a handover's distribution): the lines recorded before
 * it lack them, so an upgrade from an older format records the rows as they
 * stand as a new baseline, as one from before STORE_STATE_FORMAT does. */
#define STORE_STATE_COLUMNS_FORMAT 8
/* Note every change to a covered row (SQLite's update hook). */
void store_state_watch(ho_db *db);
/* Forget the noted changes (a transaction ended). */
void store_state_forget(ho_db *db);
/* The noted rows as they stand now, one line each, as an event records
 * them; the notes are emptied. *out is a new string ("" when none). */
ho_status store_state_take(ho_db *db, char **out);
/* A file upgraded from an older format: one 'baseline' event holding
 * every covered row as it stands. */
ho_status store_state_baseline(ho_db *db);
/* Replay of recorded states during ho_verify: start, feed each event's
 * state (NULL for events from before format 3), then compare with the
 * file's rows. */
struct state_replay;
struct state_replay *store_replay_new(void);
/* 0 on success; -1 when the state cannot be read (malformed), -2 out of
 * memory. */
int store_replay_event(struct state_replay *r, int64_t event_id, const char *state, size_t len);
ho_status store_replay_compare(ho_db *db, struct state_replay *r, ho_verify_result *res,
                               void (*each)(void *ctx, const char *row), void *ctx);
void store_replay_free(struct state_replay *r);

/* Trim `in` and check it: required (non-empty), at most `max` bytes, valid
 * UTF-8. On success *out is a new string. `what` names the field in the
 * message ("evidence", "name"). */
ho_status store_clean_text(ho_db *db, const char *in, size_t max, int required, const char *what,
                           char **out);
/* A new database file's mode: 0666 less the umask, for it and for any of
 * its -wal, -shm, -journal already made (outfile.c). */
void store_follow_umask(const char *path);
/* Make room for one more element in a growing array (cap doubles); 0 when
 * out of memory (the array is left as it was). */
int store_grow(void **arr, size_t *cap, size_t n, size_t elem);

ho_status store_function_next_number(ho_db *db, int64_t function_id, int *next);
/* HO_OK when the actor is a lead, else HO_EPERM with a reason. */
ho_status store_require_lead(ho_db *db, const char *what);

/* A read transaction, so that a run of reads (a document) sees one state
 * of the file and takes its read lock once rather than once per statement.
 * Returns 1 when one was begun, to be passed to store_read_end(); 0 when
 * the connection is already in a transaction (or BEGIN failed: the reads
 * then run one by one, as without it). */
int store_read_begin(ho_db *db);
void store_read_end(ho_db *db, int began);
/* Every thread entry of a handover's items, or of one function's when
 * function_id is not 0, in one query: item_ids[k] is the item of out[k],
 * ordered by item id, then entry id (each item's entries as
 * ho_thread_list() gives them). Free with ho_thread_free() and free(). */
/* The login of the lead who signed a handover off; "" when nobody has
 * (caller frees). */
ho_status store_handover_signer(ho_db *db, int64_t handover_id, char **login);
ho_status store_threads_of(ho_db *db, int64_t handover_id, int64_t function_id, int64_t **item_ids,
                           ho_thread_entry **out, size_t *n);

/* For import (csv_import.c): an item numbered as a sheet says (0: the
 * function's next number), with its title, guidance and own due date ("" takes
 * its function's). Changes to existing items go through ho_item_edit(). */
ho_status store_item_add_numbered(ho_db *db, int64_t function_id, int want_number,
                                  const char *title, const char *guidance, const char *due_date,
                                  int64_t *id_out);

/* A date as a person typed it (ho_date_parse_user) into out ("" for "");
 * HO_EUSAGE with a message saying what is expected. */
ho_status store_user_date(ho_db *db, const char *in, const char *what, char out[11]);
/* Undo a lead's set-up change (store_setup.c) inside ho_undo()'s
 * transaction: `action` and `undo` from its event, `version` the item's (or
 * for a function's event, the function's) version it left. */
ho_status store_setup_undo(ho_db *db, const char *action, int64_t item_id, int64_t function_id,
                           const char *undo, int64_t version, char ref_out[24]);

/* Words stored in items.sender_state / receiver_state. */
/* Forget the remembered function list (ho_close). */
void store_memo_clear(ho_db *db);
/* PRAGMA data_version now (others' commits), -1 when it cannot be read. */
int64_t store_data_version(ho_db *db);

/* The actor as the rules see them. */
static inline ho_rule_actor store_rule_actor(const ho_db *db)
{
	ho_rule_actor me = {db->actor.id, db->actor.role, db->read_only};
	return me;
}

#endif
