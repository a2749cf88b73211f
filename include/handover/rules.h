/* handover: the rules, apart from any storage.
 *
 * Pure functions of what they are given: no file, no clock, no I/O. The
 * store asks them before every change, the screens and the command line
 * ask them (directly or through ho_can_act() and friends) before offering
 * an action, and their unit tests are tables of cases without a file. A new
 * state or action is a line in words.def plus its case here. */
#ifndef HANDOVER_RULES_H
#define HANDOVER_RULES_H

#include "handover/handover.h"

/* Who acts: the person's id (0 when unknown), role, and whether the file is
 * open read-only for them. */
typedef struct ho_rule_actor {
	int64_t id;
	ho_role role;
	int read_only;
} ho_rule_actor;

/* What a mark does to one of an item's texts. */
typedef enum ho_text_change {
	HO_TEXT_KEEP = 0, /* as it was */
	HO_TEXT_SET,      /* becomes the action's text */
	HO_TEXT_CLEAR     /* becomes "" */
} ho_text_change;

/* The outcome of an action on an item. */
typedef struct ho_mark_outcome {
	ho_status status; /* HO_OK, or why not (HO_EPERM, HO_ESTATE, ...) */
	const char *why;  /* a static one-line reason when refused, else NULL */
	ho_sender_state sender;
	ho_receiver_state receiver;
	ho_text_change evidence, na_reason, condition;
	const char *text;    /* the text the action needs ("evidence", ...) or NULL */
	int thread;          /* the thread entry that text makes (ho_thread_kind), or -1 */
	int resolve_queries; /* open queries close (an acceptance) */
	ho_role only;        /* refused as not yours: the side that may (sender,
	                      * receiver), for naming who can act; else NONE */
} ho_mark_outcome;

/* May `me` apply `a` to `it` (a function `f`'s item), and what follows. */
void ho_rule_mark(const ho_rule_actor *me, const ho_function *f, const ho_item *it, ho_action a,
                  ho_mark_outcome *out);
/* May `me` comment on the items of `f`? HO_OK, or a status with *why. */
ho_status ho_rule_comment(const ho_rule_actor *me, const ho_function *f, const char **why);
/* A function is ready when it has items and every one is accepted. */
int ho_rule_function_ready(const ho_function *f);
/* A function's items are final once either side has signed it off. */
int ho_rule_function_signed(const ho_function *f);
/* May `me` sign `f` off (as its sender or receiver)? */
ho_status ho_rule_sign_function(const ho_rule_actor *me, const ho_function *f, const char **why);
/* May `me` sign the handover off (a lead; every function signed)? */
ho_status ho_rule_sign_handover(const ho_rule_actor *me, const ho_handover *h, const char **why);

/* May `me` change the set-up of a handover (a lead's work: its cover,
 * functions, items, due dates, order, pairs)? `closed_at` is the
 * handover's (0 when open); `f` and `it` the function and item changed, or
 * NULL. Refused when not a lead, read-only, the handover closed, the
 * function signed off or either withdrawn. */
ho_status ho_rule_setup(const ho_rule_actor *me, int64_t closed_at, const ho_function *f,
                        const ho_item *it, const char **why);
/* What a lead's edit of an item does. When its text (title or guidance)
 * changes after the receiver reviewed it (accepted, with or without
 * conditions), the receiver accepted something else: it goes back to
 * pending review and the condition is cleared. A new due date alone, or an
 * item not yet reviewed, keeps its states. */
void ho_rule_item_edit(const ho_rule_actor *me, const ho_function *f, const ho_item *it,
                       int text_changed, ho_mark_outcome *out);

/* Items not handed over by this many days before their due date are amber. */
#define HO_DUE_SOON_DAYS 14

/* An item's RAG and whether it is overdue, given today's and the due-soon
 * horizon's dates ("YYYY-MM-DD"): red when overdue (due date passed and not
 * handed over or N/A), amber with an open query or due soon, green once
 * accepted, none otherwise. */
ho_rag ho_rule_item_rag(const ho_item *it, const char *today, const char *soon, int *overdue);
/* A function's or handover's RAG from its counts: green when every item is
 * done; red when something is overdue or a pair is missing; amber with open
 * queries or items due soon. */
ho_rag ho_rule_counts_rag(const ho_counts *c, int unpaired, int due_soon);

/* Whose move an item waits on: HO_ROLE_SENDER (not handed over yet, or a
 * gap sent it back), HO_ROLE_RECEIVER (handed over or N/A, to review), or
 * HO_ROLE_NONE once accepted (with or without conditions). */
ho_role ho_rule_item_waits_on(const ho_item *it);

/* Is the item `me`'s to act on now (their side's open work; a lead: every
 * item not yet accepted)? */
int ho_rule_item_mine(const ho_rule_actor *me, const ho_function *f, const ho_item *it);
/* Does the item pass the filter? (f may be NULL except for MINE.) */
int ho_rule_item_shown(const ho_rule_actor *me, const ho_function *f, const ho_item *it,
                       ho_filter filter);
/* Does a function (with its counts) pass the filter on the dashboard? */
int ho_rule_function_shown(const ho_rule_actor *me, const ho_function *f, ho_filter filter);

/* May `me` add risks, deep dives and their actions to a handover? A lead,
 * or someone paired on one of its functions (`paired`). */
ho_status ho_rule_risk_add(const ho_rule_actor *me, int paired, const char **why);
/* May `me` change (edit, close; complete an action) a risk or action owned
 * by `owner_id`? A lead or its owner, while it is open. */
ho_status ho_rule_risk_change(const ho_rule_actor *me, int64_t owner_id, int closed,
                              const char **why);

#endif
