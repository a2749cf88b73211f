/* handover: what waits on a person ("My work" in the application,
 * `handover todo` on the command line).
 *
 * A sender: items sent back with a query, in progress, not started (each
 * with its due date; overdue and due within two weeks flagged); a
 * receiver: items waiting for review and the conditions they set; both:
 * functions ready for their sign-off. A lead: functions without a pair,
 * overdue items by function, functions ready but not signed off, and
 * handovers ready for the lead's own sign-off. Anyone: the deep-dive
 * actions they own. Groups come in the order of words.def's HO_WORD_TODO
 * rows; within a group, by due date (none last), then reference. */
#ifndef HANDOVER_TODO_H
#define HANDOVER_TODO_H

#include "handover/handover.h"

typedef enum ho_todo_kind {
#define HO_WORD_TODO(name, heading) HO_TODO_##name,
#include "handover/words.def"
} ho_todo_kind;
enum {
#define HO_WORD_TODO(name, heading) +1
	HO_TODO__COUNT = 0
#include "handover/words.def"
};
/* The group's heading ("sent back to you with a query", ...). */
const char *ho_todo_heading(ho_todo_kind k);

typedef struct ho_todo {
	ho_todo_kind kind;
	int64_t handover_id, function_id, item_id; /* 0 where none */
	char ref[24];   /* "FIN-3", "FIN", "A-2", or the handover's number "#2" */
	char *title;    /* item title, function name, action text, handover title */
	char *who;      /* who else is involved: the sender or receiver waited on, "" */
	char *due_date; /* "" when none */
	int overdue, due_soon;
} ho_todo;

/* What waits on the actor now. */
ho_status ho_todo_list(ho_db *db, ho_todo **out, size_t *n);
void ho_todo_free(ho_todo *t, size_t n);

#endif
