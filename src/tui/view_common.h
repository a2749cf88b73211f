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

/* m, w, n, a, A, r, c: the actions on one item. */
int tui_is_item_action(enum tui_action a);

/* Free the strings of one record read into a struct on the stack. */

#endif
