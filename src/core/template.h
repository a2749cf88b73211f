/* Internal to the core: the built-in pod template and the demo content. */
#ifndef HANDOVER_TEMPLATE_H
#define HANDOVER_TEMPLATE_H

#include "handover/handover.h"

struct ho_template_item {
	const char *title;
	const char *guidance;
};

struct ho_template_function {
	const char *code; /* "GOV" */
	const char *name; /* "Governance and assurance" */
	const struct ho_template_item *items;
	size_t item_count;
};

/* The ten functions of the "pod" template, in order. */
extern const struct ho_template_function ho_pod_template[];
extern const size_t ho_pod_template_count;

/* The terms a handover document uses, with their meaning, for its
 * glossary: in alphabetical order, ending with a NULL term. */
struct ho_template_term {
	const char *term, *meaning;
};
extern const struct ho_template_term ho_template_glossary[];

/* Fill a freshly initialised file with the demo content (people, two
 * handovers, pairs, progress part-way) using only the public API. The
 * actor on entry is the first lead and is restored on return. */
ho_status ho_demo_fill(ho_db *db);
/* When `login` is one of the demo's leads, their name and organisation
 * (so the person who makes the demo as that lead appears as in it); else 0. */
int ho_demo_lead(const char *login, const char **name, const char **org);

#endif
