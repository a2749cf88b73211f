/* The demo content: an invented regional team handing dental and optometry
 * commissioning to two invented ICBs, part-way through.
 *
 * Everything goes through the public API, acting as the person who would
 * really do it, so the demo's history reads like a real one and the demo
 * exercises the same permission and life-cycle rules as any user. Due dates
 * are set relative to the clock, so whatever day the demo is built it has
 * items overdue and items due soon. The content is data (tables below) and
 * the code only replays it, in order, stopping at the first failure. */
#define _GNU_SOURCE
#include "store.h"
#include "template.h"

#include <stdlib.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

#define SENDER_ORG "NHS England North West"
#define DENTAL_ORG "Mersey and Dee ICB"
#define OPTOM_ORG  "Pennine Lakes ICB"

struct demo_person {
	const char *login, *name;
	ho_role role;
	const char *org;
};

static const struct demo_person people[] = {
    {"amira.khan", "Amira Khan", HO_ROLE_LEAD, SENDER_ORG},
    {"gareth.owen", "Gareth Owen", HO_ROLE_LEAD, DENTAL_ORG},

    {"martin.brennan", "Martin Brennan", HO_ROLE_SENDER, SENDER_ORG},
    {"david.morris", "David Morris", HO_ROLE_SENDER, SENDER_ORG},
    {"siobhan.obrien", "Siobhán O'Brien", HO_ROLE_SENDER, SENDER_ORG},
    {"rakesh.patel", "Rakesh Patel", HO_ROLE_SENDER, SENDER_ORG},
    {"helen.jones", "Helen Jones", HO_ROLE_SENDER, SENDER_ORG},
    {"ngozi.adeyemi", "Ngozi Adeyemi", HO_ROLE_SENDER, SENDER_ORG},
    {"tom.campbell", "Tom Campbell", HO_ROLE_SENDER, SENDER_ORG},
    {"lucy.wright", "Lucy Wright", HO_ROLE_SENDER, SENDER_ORG},
    {"ceri.hughes", "Ceri Hughes", HO_ROLE_SENDER, SENDER_ORG},

    {"eimear.fitzgerald", "Eimear Fitzgerald", HO_ROLE_RECEIVER, DENTAL_ORG},
    {"paul.okafor", "Paul Okafor", HO_ROLE_RECEIVER, DENTAL_ORG},
    {"zoe.lewis", "Zoë Lewis", HO_ROLE_RECEIVER, DENTAL_ORG},
    {"baljit.singh", "Baljit Singh", HO_ROLE_RECEIVER, DENTAL_ORG},
    {"kate.murphy", "Kate Murphy", HO_ROLE_RECEIVER, DENTAL_ORG},
    {"adam.nowak", "Adam Nowak", HO_ROLE_RECEIVER, DENTAL_ORG},

    {"rachel.thompson", "Rachel Thompson", HO_ROLE_RECEIVER, OPTOM_ORG},
    {"dev.chowdhury", "Dev Chowdhury", HO_ROLE_RECEIVER, OPTOM_ORG},
    {"sam.green", "Sam Green", HO_ROLE_RECEIVER, OPTOM_ORG},
    {"joanne.bell", "Joanne Bell", HO_ROLE_RECEIVER, OPTOM_ORG},
    {"mohammed.ahmed", "Mohammed Ahmed", HO_ROLE_RECEIVER, OPTOM_ORG},
    {"fionnuala.daly", "Fionnuala Daly", HO_ROLE_RECEIVER, OPTOM_ORG},
};

enum { DEN, OPT, N_HANDOVERS };

struct demo_handover {
	const char *title, *service, *receiver_org;
	int target_days; /* target date, days from today */
};

static const struct demo_handover handovers[N_HANDOVERS] = {
    [DEN] = {"Dental: NHS England North West to Mersey and Dee ICB", "Dental", DENTAL_ORG, 35},
    [OPT] = {"Optometry: NHS England North West to Pennine Lakes ICB", "Optometry", OPTOM_ORG, 49},
};

/* Who hands each function over, who takes it on, and when it is due (days
 * from today; negative: already past). Regional staff cover both services,
 * as they did before delegation. */
struct demo_pair {
	int ho;
	const char *code, *sender, *receiver;
	int due_days;
};

static const struct demo_pair pairs[] = {
    {DEN, "GOV", "martin.brennan", "eimear.fitzgerald", -6},
    {DEN, "FIN", "david.morris", "paul.okafor", 4},
    {DEN, "CON", "siobhan.obrien", "zoe.lewis", 3},
    {DEN, "CMP", "helen.jones", "baljit.singh", -4},
    {DEN, "QUA", "ngozi.adeyemi", "zoe.lewis", 10},
    {DEN, "WRK", "tom.campbell", "kate.murphy", -14},
    {DEN, "DIG", "lucy.wright", "adam.nowak", 21},
    {DEN, "IGD", "lucy.wright", "adam.nowak", 14},
    {DEN, "PER", "martin.brennan", "eimear.fitzgerald", 28},
    {DEN, "COM", "ceri.hughes", "baljit.singh", 7},

    {OPT, "GOV", "martin.brennan", "rachel.thompson", 2},
    {OPT, "FIN", "david.morris", "dev.chowdhury", -3},
    {OPT, "CON", "rakesh.patel", "sam.green", 6},
    {OPT, "CMP", "helen.jones", "joanne.bell", 12},
    {OPT, "QUA", "ngozi.adeyemi", "rachel.thompson", -2},
    {OPT, "WRK", "tom.campbell", "mohammed.ahmed", 9},
    {OPT, "DIG", "lucy.wright", "fionnuala.daly", 20},
    {OPT, "IGD", "lucy.wright", "fionnuala.daly", 15},
    {OPT, "PER", "ngozi.adeyemi", "rachel.thompson", 30},
    {OPT, "COM", "ceri.hughes", "sam.green", 10},
};

enum step_kind { STEP_MARK, STEP_COMMENT, STEP_SIGN };
/* Who acts: the function's sender or receiver, or one of the leads. */
enum step_by { BY_SENDER, BY_RECEIVER, BY_REGION_LEAD, BY_ICB_LEAD };

struct demo_step {
	unsigned char ho, kind, by;
	ho_action action;
	const char *ref; /* "FIN-3"; a function code for STEP_SIGN */
	const char *text, *note;
};

/* Short forms keep the script readable as a story. The sender marks WIP (in
 * progress), HAND (handed over, with evidence and maybe a note) or NA (with
 * a reason); the receiver ACC (accepts), COND (accepts with a condition) or
 * GAP (raises a query); SAY comments, SIGN signs a function off. */
/* clang-format off */
#define WIP(h, r)             {h, STEP_MARK, BY_SENDER, HO_ACT_IN_PROGRESS, r, NULL, NULL}
#define HAND(h, r, e)         {h, STEP_MARK, BY_SENDER, HO_ACT_HANDED_OVER, r, e, NULL}
#define HAND_NOTE(h, r, e, n) {h, STEP_MARK, BY_SENDER, HO_ACT_HANDED_OVER, r, e, n}
#define NA(h, r, why)         {h, STEP_MARK, BY_SENDER, HO_ACT_NOT_APPLICABLE, r, why, NULL}
#define ACC(h, r)             {h, STEP_MARK, BY_RECEIVER, HO_ACT_ACCEPTED, r, NULL, NULL}
#define COND(h, r, c)         {h, STEP_MARK, BY_RECEIVER, HO_ACT_ACCEPTED_CONDITIONS, r, c, NULL}
#define GAP(h, r, query)      {h, STEP_MARK, BY_RECEIVER, HO_ACT_GAP, r, query, NULL}
#define SAY(h, r, by, text)   {h, STEP_COMMENT, by, HO_ACT_IN_PROGRESS, r, text, NULL}
#define SIGN(h, code, by)     {h, STEP_SIGN, by, HO_ACT_IN_PROGRESS, code, NULL, NULL}
/* clang-format on */

static const struct demo_step script[] = {
    /* Dental. Workforce went first because of the TUPE timetable: done and
     * signed off by both sides. */
    HAND(DEN, "WRK-1",
         "Staff list WRK-TL-01: 14 posts incl. 2 vacancies and 1 secondee, SharePoint "
         "/POD/Workforce"),
    ACC(DEN, "WRK-1"),
    HAND(DEN, "WRK-2",
         "ELI pack issued 31 days before transfer; ICB HR receipt /POD/Workforce/ELI"),
    ACC(DEN, "WRK-2"),
    HAND(DEN, "WRK-3", "Consultation close note and measures letter, /POD/Workforce/TUPE"),
    ACC(DEN, "WRK-3"),
    NA(DEN, "WRK-4",
       "No open employee relations cases among the transferring staff (checked with the regional "
       "ER team)."),
    ACC(DEN, "WRK-4"),
    HAND(DEN, "WRK-5",
         "Pay and terms schedule WRK-PP-02 (incl. 2 flexible working agreements, 1 lease car)"),
    COND(DEN, "WRK-5",
         "Accepted on condition the two flexible working agreements are re-signed with ICB line "
         "managers within the first month."),
    HAND(DEN, "WRK-6", "ICB payroll set-up confirmation and line manager list WRK-LM-01"),
    ACC(DEN, "WRK-6"),
    HAND(DEN, "WRK-7", "Day-one readiness check WRK-D1-01: laptops, accounts, passes"),
    SAY(DEN, "WRK-7", BY_RECEIVER,
        "All 12 staff in post logged in on the test day; passes for the Chester office issued."),
    ACC(DEN, "WRK-7"),
    SIGN(DEN, "WRK", BY_SENDER),
    SIGN(DEN, "WRK", BY_RECEIVER),

    /* Governance: nearly done, but the risk register work is late. */
    HAND(DEN, "GOV-1",
         "Signed delegation agreement and schedule 2 functions list, SharePoint "
         "/POD/Governance/Delegation"),
    ACC(DEN, "GOV-1"),
    HAND(DEN, "GOV-2",
         "SoRD extract (sections 4.3-4.7) and Primary Care Committee ToR v3, /POD/Governance"),
    ACC(DEN, "GOV-2"),
    HAND(DEN, "GOV-3", "PDAF outcome letter and condition tracker GOV-PDAF-07"),
    COND(DEN, "GOV-3",
         "Accepted on condition PDAF actions 3 and 5 move to the ICB tracker with ICB owners "
         "before the next Primary Care Committee."),
    HAND(DEN, "GOV-4", "Policy book links and local SOP index, /POD/Governance/SOPs"),
    ACC(DEN, "GOV-4"),
    HAND(DEN, "GOV-5", "Assurance returns calendar GOV-AR-01 with named compilers"),
    WIP(DEN, "GOV-6"),
    SAY(DEN, "GOV-6", BY_SENDER,
        "Risk scores are being refreshed after the quarterly review; two dental access risks may "
        "close rather than transfer."),
    SAY(DEN, "GOV-6", BY_ICB_LEAD,
        "Martin, this is now past due. Can we have the extract by Friday, even with the two risks "
        "still open?"),
    HAND(DEN, "GOV-8", "Regional contacts list GOV-CT-01; questions answered for 3 months"),
    ACC(DEN, "GOV-8"),

    /* Finance: due soon; one query answered, one still open. */
    HAND(DEN, "FIN-1", "Ledger reconciliation FIN-R-0423, SharePoint /POD/Finance"),
    GAP(DEN, "FIN-1",
        "The orthodontic line is £38,400 lower than the allocation letter. Is the difference the "
        "in-year variation for the Birkenhead practice?"),
    HAND_NOTE(DEN, "FIN-1", "Ledger reconciliation FIN-R-0423 v2, SharePoint /POD/Finance",
              "Yes: contract variation CV-2291 reduced the line by £38,400 from month 2. v2 shows "
              "it as a reconciling item."),
    ACC(DEN, "FIN-1"),
    HAND(DEN, "FIN-2",
         "Running-cost schedule FIN-RC-02 agreed with ICB finance, /POD/Finance/Budgets"),
    ACC(DEN, "FIN-2"),
    HAND(DEN, "FIN-3", "Accruals and commitments schedule FIN-AC-03"),
    GAP(DEN, "FIN-3",
        "Two disputed payments to Wirral practices are mentioned in the narrative but not in the "
        "schedule. Please add the amounts and where each dispute stands."),
    HAND(DEN, "FIN-4", "Cost-centre map FIN-CC-01; test posting journal J-55812"),
    SAY(DEN, "FIN-4", BY_RECEIVER,
        "Test posting seen in the ledger. I will go through the map with the dental team before "
        "accepting."),
    HAND(DEN, "FIN-5",
         "Clawback schedule (dental under-delivery) and letters to 23 contractors, "
         "/POD/Finance/YearEnd"),
    COND(DEN, "FIN-5",
         "Accepted on condition the region answers contractor appeals received before transfer "
         "until each is closed."),
    WIP(DEN, "FIN-6"),

    /* Contracting: due in a few days, an open query on a remedial notice. */
    HAND(DEN, "CON-1",
         "Contract register CON-REG-0423 (GDS, PDS, orthodontic), reconciled to the payment file"),
    ACC(DEN, "CON-1"),
    HAND(DEN, "CON-2", "Breach and remedial notice tracker CON-BN-04 with latest letters"),
    GAP(DEN, "CON-2",
        "The tracker shows a remedial notice for an Ellesmere Port practice due this month but "
        "there is no letter. Who issued it, and is the follow-up visit booked?"),
    WIP(DEN, "CON-3"),
    NA(DEN, "CON-4",
       "Pharmacy market entry is not part of the dental handover; it moved with the pharmacy "
       "transfer last year."),
    ACC(DEN, "CON-4"),
    HAND(DEN, "CON-5",
         "Local services list (urgent access sessions, domiciliary care, sedation), specifications "
         "in /POD/Contracts/Local"),

    /* Complaints: past due with several items not started. */
    HAND(DEN, "CMP-1", "Open complaints log CMP-LOG-0423 (41 cases), /POD/Complaints"),
    COND(DEN, "CMP-1",
         "Accepted on condition each of the nine cases past its response deadline gets a holding "
         "letter from the region before transfer."),
    HAND(DEN, "CMP-2", "Two ombudsman cases with chronologies, /POD/Complaints/PHSO"),
    ACC(DEN, "CMP-2"),
    HAND(DEN, "CMP-3", "MP letters tracker CMP-MP-02 (3 awaiting reply)"),
    WIP(DEN, "CMP-4"),
    SAY(DEN, "CMP-4", BY_SENDER,
        "The dental adviser's contract runs to September; checking with procurement whether it can "
        "be novated to the ICB."),
    HAND(DEN, "CMP-6", "Web page and leaflet changes CMP-PC-01, live from transfer date"),
    ACC(DEN, "CMP-6"),

    /* Quality and safety: barely started. */
    WIP(DEN, "QUA-1"),
    SAY(DEN, "QUA-6", BY_ICB_LEAD,
        "Face-to-face quality handover booked for the week after next at the Chester office; Ngozi "
        "and Zoë invited."),

    /* Digital and data: early days. */
    HAND(DEN, "DIG-1", "System inventory DIG-INV-01 with licence owners and renewal dates"),
    WIP(DEN, "DIG-2"),
    WIP(DEN, "IGD-1"),

    /* Communications: moving. */
    HAND(DEN, "COM-1", "Stakeholder map COM-SM-01 (LDC, Healthwatch, 6 MPs, 4 local authorities)"),
    ACC(DEN, "COM-1"),
    HAND(DEN, "COM-2", "Draft provider letter with new contacts, /POD/Comms/Letters"),
    WIP(DEN, "COM-3"),

    /* Optometry. Governance: due in two days, one open query. */
    HAND(OPT, "GOV-1",
         "Signed delegation agreement and functions list, SharePoint /POD/Governance/Delegation"),
    ACC(OPT, "GOV-1"),
    HAND(OPT, "GOV-2", "SoRD extract and Primary Care Committee ToR, /POD/Governance"),
    ACC(OPT, "GOV-2"),
    HAND(OPT, "GOV-3", "PDAF outcome letter (no open conditions for optometry)"),
    ACC(OPT, "GOV-3"),
    HAND(OPT, "GOV-4", "Policy book links and local SOP index, /POD/Governance/SOPs"),
    GAP(OPT, "GOV-4",
        "Which local procedures apply to GOS claims verification? The index lists three and two "
        "are marked draft."),
    WIP(OPT, "GOV-5"),

    /* Finance: past due; a query answered, recoveries still being totalled. */
    HAND(OPT, "FIN-1",
         "Ledger reconciliation FIN-R-0424 (GOS and community eye services), SharePoint "
         "/POD/Finance"),
    ACC(OPT, "FIN-1"),
    HAND(OPT, "FIN-2", "Running-cost schedule FIN-RC-03"),
    COND(OPT, "FIN-2",
         "Accepted on condition the region confirms in writing the funding of the vacant band 6 "
         "contracts officer post before transfer."),
    HAND(OPT, "FIN-3", "Accruals and commitments schedule FIN-AC-04"),
    HAND(OPT, "FIN-4", "Cost-centre map FIN-CC-02"),
    GAP(OPT, "FIN-4",
        "The map has no code for the minor eye conditions service. Where will those payments "
        "post?"),
    HAND_NOTE(OPT, "FIN-4", "Cost-centre map FIN-CC-02 v2",
              "Added: MECS payments now map to cost centre 7T3-412 (community eye services)."),
    ACC(OPT, "FIN-4"),
    WIP(OPT, "FIN-5"),
    SAY(OPT, "FIN-5", BY_SENDER,
        "Post-payment verification recoveries on GOS claims are still being totalled with the "
        "counter-fraud team."),
    HAND(OPT, "FIN-6", "Signatory changes FIN-AS-02 confirmed by the ledger and payments teams"),

    /* Contracting: moving, one query on a contract that ends soon. */
    HAND(OPT, "CON-1",
         "Contract register CON-REG-0424 (GOS mandatory and additional, 112 contractors)"),
    ACC(OPT, "CON-1"),
    HAND(OPT, "CON-2", "Notices tracker CON-BN-05 (1 breach notice, 2 variations)"),
    WIP(OPT, "CON-3"),
    NA(OPT, "CON-4", "Pharmacy market entry is not part of the optometry handover."),
    ACC(OPT, "CON-4"),
    HAND(OPT, "CON-5",
         "Community eye services list (MECS, glaucoma referral refinement) with specifications, "
         "/POD/Contracts/Local"),
    GAP(OPT, "CON-5",
        "The glaucoma referral refinement contract ends two months after transfer. Is an extension "
        "agreed, or must a procurement start now?"),

    /* Complaints: small caseload, well ahead. */
    HAND(OPT, "CMP-1", "Open complaints log CMP-LOG-0424 (6 cases), /POD/Complaints"),
    ACC(OPT, "CMP-1"),
    NA(OPT, "CMP-2", "No open ombudsman cases for optometry providers in Pennine Lakes."),

    /* Quality and safety: past due, one query open. */
    HAND(OPT, "QUA-1", "Providers of concern register QUA-POC-02 with action plans"),
    ACC(OPT, "QUA-1"),
    HAND(OPT, "QUA-2", "Incident log QUA-INC-0424"),
    GAP(OPT, "QUA-2",
        "Three incidents about domiciliary sight tests have no outcome recorded. Are they closed, "
        "and if so where is the learning?"),
    WIP(OPT, "QUA-3"),
    HAND(OPT, "QUA-4", "Regulator contacts and next joint meeting dates, /POD/Quality/Regulators"),
    HAND(OPT, "QUA-5", "Quality report schedule QUA-RS-01 to the ICB Quality Committee"),
    ACC(OPT, "QUA-5"),
    HAND(OPT, "QUA-6", "Face-to-face handover held; note and actions /POD/Quality/Handover"),

    /* Workforce: nearly done. */
    HAND(OPT, "WRK-1", "Staff list WRK-TL-02: 6 posts incl. 1 vacancy"),
    ACC(OPT, "WRK-1"),
    HAND(OPT, "WRK-2", "ELI pack issued 30 days before transfer; ICB HR receipt on file"),
    ACC(OPT, "WRK-2"),
    HAND(OPT, "WRK-3", "Measures letter and consultation close note, /POD/Workforce/TUPE"),
    ACC(OPT, "WRK-3"),
    NA(OPT, "WRK-4", "No open employee relations cases among the transferring staff."),
    ACC(OPT, "WRK-4"),
    HAND(OPT, "WRK-5", "Pay and terms schedule WRK-PP-03"),
    ACC(OPT, "WRK-5"),
    HAND(OPT, "WRK-6", "ICB payroll confirmation and line manager list WRK-LM-02"),
    WIP(OPT, "WRK-7"),

    /* Digital and data: started; the DPIA is still a draft. */
    WIP(OPT, "DIG-1"),
    HAND(OPT, "IGD-1", "Information asset register extract IGD-IAR-03 with ICB owners"),
    HAND(OPT, "IGD-2", "Transfer DPIA v0.3, /POD/IG"),
    GAP(OPT, "IGD-2",
        "The DPIA is still a draft. Please send the version signed by the regional IG lead and the "
        "data-sharing agreement it refers to."),
    SAY(OPT, "PER-1", BY_REGION_LEAD,
        "Performers team contacts to come from the regional performers lead; Ngozi to confirm at "
        "the next checkpoint."),
    WIP(OPT, "COM-1"),
};

static const struct demo_pair *pair_of(int ho, const char *ref)
{
	size_t len = strcspn(ref, "-");
	for (size_t i = 0; i < N_OF(pairs); i++)
		if (pairs[i].ho == ho && strlen(pairs[i].code) == len &&
		    strncmp(pairs[i].code, ref, len) == 0)
			return &pairs[i];
	return NULL;
}

/* Act as `login`, unless already doing so (each switch reads the file). */
static ho_status act_as(ho_db *db, const char *login)
{
	const ho_person *me = ho_actor(db);
	if (me && me->login && strcmp(me->login, login) == 0)
		return HO_OK;
	return ho_set_actor(db, login);
}

static const char *step_actor(const struct demo_step *s)
{
	const struct demo_pair *p;
	switch (s->by) {
	case BY_REGION_LEAD:
		return "amira.khan";
	case BY_ICB_LEAD:
		return "gareth.owen";
	case BY_SENDER:
		p = pair_of(s->ho, s->ref);
		return p ? p->sender : NULL;
	case BY_RECEIVER:
		p = pair_of(s->ho, s->ref);
		return p ? p->receiver : NULL;
	}
	return NULL;
}

static ho_status run_step(ho_db *db, const int64_t *hid, const struct demo_step *s)
{
	const char *who = step_actor(s);
	int64_t id = 0;
	ho_status st;
	if (!who)
		return HO_EUSAGE;
	if ((st = act_as(db, who)) != HO_OK)
		return st;
	if (s->kind == STEP_SIGN) {
		if ((st = ho_function_find(db, hid[s->ho], s->ref, &id)) != HO_OK)
			return st;
		return ho_function_sign(db, id);
	}
	if ((st = ho_item_find(db, hid[s->ho], s->ref, &id)) != HO_OK)
		return st;
	if (s->kind == STEP_COMMENT)
		return ho_item_comment(db, id, s->text);
	return ho_item_mark(db, id, 0, s->action, s->text, s->note);
}

static void date_in(int days, char *buf, size_t size)
{
	ho_date_format(ho_now() + (int64_t)days * 86400, buf, size);
}

int ho_demo_lead(const char *login, const char **name, const char **org)
{
	for (size_t i = 0; i < N_OF(people); i++)
		if (people[i].role == HO_ROLE_LEAD && strcmp(people[i].login, login) == 0) {
			*name = people[i].name;
			*org = people[i].org;
			return 1;
		}
	return 0;
}

ho_status ho_demo_fill(ho_db *db)
{
	int64_t hid[N_HANDOVERS] = {0};
	char date[16];
	ho_status st = HO_OK;
	const ho_person *me = ho_actor(db);
	/* ho_set_actor frees the actor's strings, so keep our own copy. */
	char *first_lead = strdup(me && me->login ? me->login : "");
	if (!first_lead)
		return HO_ENOMEM;

	/* The file's first lead sets the handovers up. */
	for (size_t i = 0; i < N_OF(people); i++) {
		const struct demo_person *p = &people[i];
		if (strcmp(p->login, first_lead) == 0) {
			/* Whoever runs init may be one of the demo's leads: already
			 * in. The demo cannot act as a sender or receiver who is
			 * the file's lead, though. */
			if (p->role == HO_ROLE_LEAD)
				continue;
			st =
			    store_fail(db, HO_EUSAGE,
			               "your login '%s' is one of the demo's %ss; make the demo as "
			               "another login (--as)",
			               p->login, ho_role_name(p->role));
			goto cleanup;
		}
		if ((st = ho_person_add(db, p->login, p->name, p->role, p->org)) != HO_OK)
			goto cleanup;
	}
	for (int h = 0; h < N_HANDOVERS; h++) {
		const struct demo_handover *d = &handovers[h];
		date_in(d->target_days, date, sizeof date);
		if ((st = ho_handover_add(db, d->title, d->service, SENDER_ORG, d->receiver_org,
		                          date, &hid[h])) != HO_OK ||
		    (st = ho_handover_apply_template(db, hid[h])) != HO_OK)
			goto cleanup;
	}
	for (size_t i = 0; i < N_OF(pairs); i++) {
		const struct demo_pair *p = &pairs[i];
		int64_t fid = 0;
		date_in(p->due_days, date, sizeof date);
		if ((st = ho_pair(db, hid[p->ho], p->code, p->sender, p->receiver)) != HO_OK ||
		    (st = ho_function_find(db, hid[p->ho], p->code, &fid)) != HO_OK ||
		    (st = ho_function_set_due(db, fid, 0, date)) != HO_OK)
			goto cleanup;
	}

	/* Then everyone does their part, in the order it happened. */
	for (size_t i = 0; i < N_OF(script); i++)
		if ((st = run_step(db, hid, &script[i])) != HO_OK)
			goto cleanup;

cleanup:
	/* Hand the file back to whoever ran init, also on failure, so the
	 * caller never goes on acting as a demo person. (ho_set_actor keeps
	 * ho_errmsg(), so a failure's reason survives this.) */
	if (ho_set_actor(db, first_lead) != HO_OK && st == HO_OK)
		st = HO_EIO;
	free(first_lead);
	return st;
}
