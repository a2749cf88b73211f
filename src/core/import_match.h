/* Matching a spreadsheet's rows against the items a file already holds.
 *
 * Pure: no database, no I/O. csv_import.c reads the file's checklist into an
 * im_snapshot and the sheet into im_rows, asks im_match() what each row
 * means, and writes only what the plan says. A fuzz target can drive
 * im_match() with any snapshot and rows.
 *
 * The rules, in order, per handover:
 *  1. A row whose ref (FIN-3) names an item of its handover is that item.
 *  2. A row left over (no ref, or a ref the file does not have) is the first
 *     item of its function with the same title that no other row claimed.
 *  3. Otherwise the row adds an item: numbered as its ref says when that
 *     number is free in the function, else the function's next number.
 * A matched item changes only where the sheet differs: title, guidance, and
 * (when the sheet has a due date column) its effective due date. So an
 * unchanged export matches every item and changes nothing, and importing
 * the same sheet twice never duplicates a row. */
#ifndef HO_IMPORT_MATCH_H
#define HO_IMPORT_MATCH_H

#include <stddef.h>
#include <stdint.h>

struct im_item {
	int number;
	const char *title, *guidance;
	const char *own_due; /* "" when it takes its function's */
};

struct im_function {
	int64_t id; /* 0: added by this import */
	const char *code, *name;
	const char *due;
	int next_number;
	int is_signed;
	struct im_item *items;
	size_t nitems;
};

struct im_handover {
	struct im_function *functions;
	size_t nfunctions;
};

struct im_snapshot {
	struct im_handover *handovers;
	size_t nhandovers;
};

/* Which optional columns the sheet has: an absent column leaves the value
 * alone, an empty cell in a present column clears it. */
struct im_columns {
	int guidance, due, function_due;
};

struct im_row {
	int line;        /* for messages */
	size_t handover; /* index into the snapshot's handovers */
	const char *code, *name, *ref, *title, *guidance, *due, *function_due;
};

enum im_what { IM_SAME = 0, IM_ADD, IM_CHANGE };
enum { IM_TITLE = 1, IM_GUIDANCE = 2, IM_DUE = 4 };

struct im_decision {
	enum im_what what;
	size_t function;     /* index into its handover's functions after im_match() */
	long item;           /* index into that function's items; -1 for IM_ADD */
	int number;          /* IM_ADD: the number the new item takes */
	unsigned changed;    /* IM_CHANGE: IM_TITLE | IM_GUIDANCE | IM_DUE */
	const char *own_due; /* IM_DUE or IM_ADD: the item's own due date ("" inherits) */
};

/* What becomes of a function the sheet names: added, given another due
 * date, or (when the sheet gives the date it has) neither. */
struct im_function_plan {
	size_t handover, function;
	int added;       /* a new function (name and due from the sheet) */
	int due_changed; /* its due date becomes due */
	const char *name, *due;
};

struct im_plan {
	struct im_decision *rows; /* one per row, in the rows' order */
	struct im_function_plan *functions;
	size_t nfunctions;
	int added, changed, same;
};

/* Decide every row. New functions are appended to the snapshot's handovers
 * (their arrays grow: the snapshot must own them, allocated with malloc).
 * Returns 0, or one of the codes below with a one-line reason naming the
 * row's line in `err`. Free the plan with im_plan_free(). */
enum { IM_EBADROW = -1, IM_ENOMEM = -2, IM_ESIGNED = -3 };
int im_match(struct im_snapshot *snap, const struct im_columns *cols, const struct im_row *rows,
             size_t nrows, struct im_plan *plan, char *err, size_t errsize);
void im_plan_free(struct im_plan *plan);

/* "FIN-12" -> code "FIN", 12. Returns 0, or -1 when not a reference. */
int im_parse_ref(const char *ref, char code[16], int *number);

#endif
