/* A small handover shared by the life-cycle tests: one handover "Dental",
 * functions FIN (items FIN-1..FIN-3, paired sam/rita) and DIG (DIG-1, DIG-2,
 * unpaired), people lead (lead), sam (sender), sue (sender), rita
 * (receiver). The clock is fixed at 2026-11-22 10:00 UTC. */
#ifndef HANDOVER_FIXTURE_H
#define HANDOVER_FIXTURE_H

#include "testutil.h"

#define FX_NOW 1795341600 /* 2026-11-22T10:00:00Z */

struct fixture {
	ho_db *db; /* acting as "lead" */
	char path[512];
	int64_t handover, fin, dig;
};

/* Builds the fixture in a new file named `name`; asserts on failure. */
void fx_build(struct fixture *fx, const char *name);
void fx_free(struct fixture *fx);
/* Item id of a reference, asserting it exists. */
int64_t fx_item(struct fixture *fx, const char *ref);
/* The item's current state. */
ho_item fx_get(struct fixture *fx, const char *ref);
/* Act as login on fx->db. */
void fx_as(struct fixture *fx, const char *login);
/* Mark as the current actor, expecting `want`. */
void fx_mark(struct fixture *fx, const char *ref, ho_action a, const char *text, ho_status want);

#endif
