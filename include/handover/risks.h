/* handover: the risk log and deep dives of a handover.
 *
 * Risks use the NHS 5x5 matrix: likelihood and impact 1-5 each, the score
 * their product, its level low (1-3), moderate (4-6), high (8-12) or
 * extreme (15-25). A deep dive is a meeting on a handover's risks (with
 * providers, public health, Healthwatch, ...); its actions have an owner and
 * a due date and wait on the owner until marked done. Every change is one
 * history event. References are per handover and never reused: R-3 a risk,
 * DD-2 a deep dive, A-5 an action. */
#ifndef HANDOVER_RISKS_H
#define HANDOVER_RISKS_H

#include "handover/handover.h"

typedef enum ho_risk_level {
	HO_RISK_LOW = 0,
	HO_RISK_MODERATE,
	HO_RISK_HIGH,
	HO_RISK_EXTREME
} ho_risk_level;
enum { HO_RISK_LEVEL__COUNT = HO_RISK_EXTREME + 1 };

/* The level of a score (likelihood x impact, 1-25). */
ho_risk_level ho_risk_level_of(int score);
/* "low", "moderate", "high", "extreme". */
const char *ho_risk_level_name(ho_risk_level l);

struct ho_risk;
/* The 5x5 matrix of open risks: m[likelihood-1][impact-1] counts them. */
void ho_risk_matrix(const struct ho_risk *r, size_t n, int m[5][5]);

typedef struct ho_risk {
	int64_t id, handover_id;
	int number;
	char ref[16];        /* "R-3" */
	char *function_code; /* "" when the risk is the handover's */
	char *title, *description, *cause;
	int likelihood, impact, score;
	ho_risk_level level;
	char *owner_login, *owner_name;
	char *mitigation;
	char *review_date; /* "YYYY-MM-DD" or "" */
	char *items;       /* linked item references, "FIN-3, DIG-1", or "" */
	int closed;
	char *close_note;
	int64_t version, created_at, updated_at;
} ho_risk;

/* What to set. Add: title, likelihood, impact and owner are required.
 * Edit: NULL (or 0 for the numbers) leaves a field as it is; "" clears a
 * text. */
typedef struct ho_risk_fields {
	const char *title, *description, *cause, *mitigation;
	const char *review_date;   /* YYYY-MM-DD or DD/MM/YYYY */
	const char *owner;         /* login */
	const char *function_code; /* "" or NULL: the handover's own risk */
	const char *items;         /* "FIN-3,DIG-1": each must exist */
	int likelihood, impact;    /* 1-5 */
} ho_risk_fields;

/* handover_id 0: the only handover (refused naming them when several).
 * Leads and the people paired on the handover's functions may add risks;
 * a lead or the risk's owner may edit or close one. */
ho_status ho_risk_add(ho_db *db, int64_t handover_id, const ho_risk_fields *f, char ref[16]);
/* expected_version 0: whatever is current; else HO_ECONFLICT when someone
 * changed the risk since. */
ho_status ho_risk_edit(ho_db *db, int64_t handover_id, const char *ref, int64_t expected_version,
                       const ho_risk_fields *f);
ho_status ho_risk_close(ho_db *db, int64_t handover_id, const char *ref, const char *note);
/* The risks of a handover (0: every handover), highest score first, then
 * by reference; open_only leaves the closed ones out. */
ho_status ho_risks_list(ho_db *db, int64_t handover_id, int open_only, ho_risk **out, size_t *n);
void ho_risk_free(ho_risk *r, size_t n);
/* One risk's strings freed, the struct zeroed. */
void ho_risk_clear(ho_risk *r);

typedef struct ho_dive_action {
	int64_t id, handover_id;
	int number;
	char ref[16]; /* "A-5" */
	char dive_ref[16];
	char *text;
	char *owner_login, *owner_name;
	char *due_date;
	int64_t done_at; /* 0 while open */
} ho_dive_action;

typedef struct ho_deep_dive {
	int64_t id, handover_id;
	int number;
	char ref[16];  /* "DD-2" */
	char *held_on; /* YYYY-MM-DD */
	char *title, *attendees, *risks, *decisions;
	ho_dive_action *actions;
	size_t nactions;
} ho_deep_dive;

/* A deep dive: held_on and title required; attendees (organisations and
 * roles, free text), the risks discussed ("R-1,R-3": each must exist) and
 * the decisions optional. Same people as ho_risk_add(). */
ho_status ho_deep_dive_add(ho_db *db, int64_t handover_id, const char *held_on, const char *title,
                           const char *attendees, const char *risks, const char *decisions,
                           char ref[16]);
/* An action from a deep dive, owned by `owner` (a login), due `due_date`. */
ho_status ho_dive_action_add(ho_db *db, int64_t handover_id, const char *dive_ref, const char *text,
                             const char *owner, const char *due_date, char ref[16]);
/* Mark an action done (its owner or a lead). */
ho_status ho_dive_action_done(ho_db *db, int64_t handover_id, const char *action_ref);
/* Deep dives with their actions, newest meeting first. */
ho_status ho_deep_dives_list(ho_db *db, int64_t handover_id, ho_deep_dive **out, size_t *n);
/* The open actions owned by `login` (every handover), by due date. */
ho_status ho_dive_actions_of(ho_db *db, const char *login, ho_dive_action **out, size_t *n);
void ho_deep_dive_free(ho_deep_dive *d, size_t n);
void ho_dive_action_free(ho_dive_action *a, size_t n);

#endif
