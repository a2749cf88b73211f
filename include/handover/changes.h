/* handover: what others changed since a person last looked.
 *
 * The file remembers, per person and handover, the last history event the
 * person has seen (ho_seen_mark()). Looking is not a change: it is not in
 * the history and needs no role, only to be one of the file's people. */
#ifndef HANDOVER_CHANGES_H
#define HANDOVER_CHANGES_H

#include "handover/handover.h"

/* `since` for ho_changes(): what the actor has not seen yet. */
#define HO_SINCE_LAST ((int64_t)-1)

typedef struct ho_change {
	int64_t event_id, at;
	int64_t handover_id, item_id;   /* 0 when the change is not a handover's or an item's */
	int64_t function_id;            /* the function changed, or the item's; 0 when neither */
	char *actor_login, *actor_name; /* the name as the file's people have it */
	char *action, *ref, *old_value, *new_value;
} ho_change;

/* Changes by others to a handover (0: every handover and the file's own,
 * such as people added) since `since` (seconds, UTC) or, with
 * HO_SINCE_LAST, since the actor last looked; newest first, at most
 * `limit` (0: all). *total is how many there are in all. */
ho_status ho_changes(ho_db *db, int64_t handover_id, int64_t since, size_t limit, ho_change **out,
                     size_t *n, size_t *total);
void ho_change_free(ho_change *c, size_t n);
/* The same, in every handover, for changes after event `after` only: a
 * bound that keeps a long history unread (ho_seen_floor() gives it). */
ho_status ho_changes_after(ho_db *db, int64_t after, size_t limit, ho_change **out, size_t *n,
                           size_t *total);
/* The oldest "last seen" event of the actor's handovers (0: never looked)
 * and the newest event in the file. */
ho_status ho_seen_floor(ho_db *db, int64_t *seen_event, int64_t *newest_event);
/* When the actor last looked at the handover (0: every handover, the
 * earliest of them): 0 when never. */
ho_status ho_seen_at(ho_db *db, int64_t handover_id, int64_t *at);
/* The actor has now seen everything in the handover (0: in every handover
 * and the file's own changes). A viewer's look is not remembered. */
ho_status ho_seen_mark(ho_db *db, int64_t handover_id);

#endif
