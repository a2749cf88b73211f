#include "fixture.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "handover/testhook.h"
#include <cmocka.h>

#define OK(call)                                                                                   \
	do {                                                                                       \
		ho_status st_ = (call);                                                            \
		if (st_ != HO_OK)                                                                  \
			fail_msg("%s: %s", #call, ho_errmsg(fx->db));                              \
	} while (0)

void fx_build(struct fixture *fx, const char *name)
{
	memset(fx, 0, sizeof *fx);
	ho_clock_set(FX_NOW);
	fx->db = tu_new_file(name, 1, 0);
	snprintf(fx->path, sizeof fx->path, "%s", tu_path(name));
	OK(ho_person_add(fx->db, "sam", "Sam Sender", HO_ROLE_SENDER, "NHS England North West"));
	OK(ho_person_add(fx->db, "sue", "Sue Other", HO_ROLE_SENDER, "NHS England North West"));
	OK(ho_person_add(fx->db, "rita", "Rita Receiver", HO_ROLE_RECEIVER, "Mersey ICB"));
	OK(ho_handover_add(fx->db, "Dental", "Dental", "NHS England North West", "Mersey ICB",
	                   "2027-04-01", &fx->handover));
	OK(ho_function_add(fx->db, fx->handover, "FIN", "Finance", "2026-12-31", &fx->fin));
	OK(ho_function_add(fx->db, fx->handover, "DIG", "Digital", "2026-11-01", &fx->dig));
	OK(ho_item_add(fx->db, fx->fin, "Reconcile budgets", "Ledger extract.", "", NULL));
	OK(ho_item_add(fx->db, fx->fin, "List accruals", "", "", NULL));
	OK(ho_item_add(fx->db, fx->fin, "Signatories", "", "2026-11-30", NULL));
	OK(ho_item_add(fx->db, fx->dig, "System inventory", "", "", NULL));
	OK(ho_item_add(fx->db, fx->dig, "Accounts", "", "", NULL));
	OK(ho_pair(fx->db, fx->handover, "FIN", "sam", "rita"));
}

void fx_free(struct fixture *fx)
{
	ho_close(fx->db);
	fx->db = NULL;
	ho_clock_set(0);
}

int64_t fx_item(struct fixture *fx, const char *ref)
{
	int64_t id = 0;
	OK(ho_item_find(fx->db, fx->handover, ref, &id));
	return id;
}

ho_item fx_get(struct fixture *fx, const char *ref)
{
	ho_item it;
	OK(ho_item_get(fx->db, fx_item(fx, ref), &it));
	return it;
}

void fx_as(struct fixture *fx, const char *login)
{
	ho_set_actor(fx->db, login);
}

void fx_mark(struct fixture *fx, const char *ref, ho_action a, const char *text, ho_status want)
{
	ho_status st = ho_item_mark(fx->db, fx_item(fx, ref), 0, a, text, NULL);
	if (st != want)
		fail_msg("mark %s %s as %s: got %s (%s), wanted %s", ref, ho_action_name(a),
		         ho_actor(fx->db)->login, ho_strerror(st), ho_errmsg(fx->db),
		         ho_strerror(want));
}
