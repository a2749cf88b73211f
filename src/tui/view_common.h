/* Words, roles and small helpers the views share. */
#ifndef HANDOVER_TUI_VIEW_COMMON_H
#define HANDOVER_TUI_VIEW_COMMON_H

#include "app.h"

/* Short state words for table columns (the item screen uses the core's
 * full names). Words, not colours, carry the state. */
const char *tui_sender_word(ho_sender_state s);
const char *tui_receiver_word(ho_receiver_state r);
/* The receiver's state in full, in the checklist's words: the state the
 * core calls "pending" is "to review" on every screen. */
const char *tui_receiver_state_words(ho_receiver_state r);
/* A state summary as history recorded it ("handed over / pending"), cleaned
 * and in the screens' words ("handed over / to review"); malloc'd. */
char *tui_history_words(const char *value);
enum tui_role tui_sender_role(ho_sender_state s);
enum tui_role tui_receiver_role(ho_receiver_state r);
const char *tui_rag_word(ho_rag r); /* "RED", "AMBER", "GREEN", "" */
enum tui_role tui_rag_role(ho_rag r);
enum tui_role tui_gap_role(ho_gap_kind k);

/* m, w, -, a, A, r, c: the actions on one item. */
int tui_is_item_action(enum tui_action a);

/* What a row is sorted by (o): its RAG, how overdue, when due, how far
 * accepted (done of total), and where the checklist puts it, which also
 * settles ties so the order never jumps about. */
struct tui_sort_key {
	ho_rag rag;
	int overdue;
	const char *due; /* "YYYY-MM-DD" or "" (last) */
	int done, total; /* no total: nothing to do, sorted as complete */
	size_t index;
};
/* <0, 0, >0 as qsort wants: worst first under s (the checklist's order
 * under TUI_SORT_ORDER). */
int tui_sort_cmp(tui_sort s, const struct tui_sort_key *a, const struct tui_sort_key *b);
/* Sort keys[0..n) under s (stable: ties keep their index order). */
void tui_sort_keys(tui_sort s, struct tui_sort_key *keys, size_t n);
/* An item's progress as done of total: not started 0, in progress or sent
 * back 1, waiting for review 2, accepted 3 (of 3). */
void tui_item_progress(const ho_item *it, int *done, int *total);
/* The tag mark in the column left of a row, when it is tagged. */
void tui_draw_tag(WINDOW *w, int y, int tagged, int selected);

/* Free the strings of one record read into a struct on the stack. */

#endif
