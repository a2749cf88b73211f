/* The database's words for the model's enums (core-internal: the screens,
 * the CLI and the documents use the display words in handover.h). All come
 * from handover/words.def. */
#ifndef HO_WORDS_H
#define HO_WORDS_H

#include "handover/handover.h"

const char *words_sender_db(ho_sender_state s);
ho_sender_state words_sender_from_db(const char *w);
const char *words_receiver_db(ho_receiver_state r);
ho_receiver_state words_receiver_from_db(const char *w);
/* Roles as stored: "sender", "receiver", "lead" (NONE is never stored). */
const char *words_role_db(ho_role r);
ho_role words_role_from_db(const char *w);
const char *words_thread_db(ho_thread_kind k);
ho_thread_kind words_thread_from_db(const char *w);
/* The thread entry an action's text makes (ho_thread_kind), or -1. */
int words_action_thread(ho_action a);

/* Every database word of a kind, for the test that holds them against the
 * schema's CHECK constraints. Returns the count. */
enum words_kind { WORDS_SENDER, WORDS_RECEIVER, WORDS_ROLE, WORDS_THREAD };
int words_db_list(enum words_kind kind, const char *const **out);

#endif
