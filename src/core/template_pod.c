/* The built-in "pod" template: ten functions of a pharmacy, optometry and
 * dentistry commissioning handover, each with a short checklist.
 *
 * Each item names one thing that must change hands. Its guidance says what
 * the sender gives, what the receiver checks, and what evidence settles it.
 * The lists are kept short on purpose: a checklist that asks for everything
 * buries the few things that matter, so an item earns its place only when a
 * receiver would be stuck without it on the first day. Items that do not fit
 * a service (pharmacy market entry in a dental handover) are marked not
 * applicable with a reason rather than removed, so the decision is on
 * record. */
#include "template.h"

#define N_ITEMS(a) (sizeof(a) / sizeof((a)[0]))

static const struct ho_template_item gov_items[] = {
    {"Share the signed delegation agreement and what stays reserved",
     "Sender: give the signed delegation agreement with its schedules and a one-page list of "
     "what is delegated and what NHS England keeps. Receiver: check the list matches the "
     "agreement and your own understanding of the remit. Evidence: signed agreement and the "
     "functions list."},
    {"Confirm the scheme of delegation and committee terms cover POD",
     "Sender: list the decisions the regional team took and the forum that took each. "
     "Receiver: confirm the ICB's scheme of reservation and delegation and the deciding "
     "committee's terms of reference name every one. Evidence: approved scheme and terms of "
     "reference with the relevant sections marked."},
    {"Hand over the PDAF outcome and each open condition with its owner",
     "Sender: give the pre-delegation assessment (PDAF) outcome and every condition or "
     "recommendation still open, with owner and date. Receiver: check each has an ICB owner "
     "and a date you can meet. Evidence: PDAF report and condition tracker."},
    {"Give access to the mandated policy books and local procedures",
     "Sender: list the national policy books in use and any local procedures that sit beside "
     "them, saying which are current. Receiver: open each link yourself and decide which "
     "local procedures the ICB keeps. Evidence: index of links tested by the receiver."},
    {"List assurance returns: what, to whom, how often, who compiles",
     "Sender: set out every regular return to NHS England with its template, frequency, next "
     "deadline and data source. Receiver: check each has a named compiler in the ICB before "
     "its first deadline. Evidence: returns calendar with owners."},
    {"Move open risks to the ICB risk register with owners",
     "Sender: share the POD risks from the regional register with scores, controls and "
     "actions. Receiver: check each is on the ICB register with an owner, or closed with a "
     "reason. Evidence: register extracts before and after."},
    {"Hand over the decision log of the past twelve months",
     "Sender: give the decisions on contracts, funding and exceptions of the past year, with "
     "the papers behind them. Receiver: check you could explain any decision a provider "
     "challenges. Evidence: decision log and an index of minutes."},
    {"Agree regional contacts for questions after transfer, and until when",
     "Sender: name the regional contacts for advice and escalation once the function has "
     "moved, and how long they will answer. Receiver: confirm the contacts and the end date "
     "of that support. Evidence: agreed contact list with the end date."},
};

static const struct ho_template_item fin_items[] = {
    {"Reconcile service-line budgets to the ledger at transfer date",
     "Sender: give each service-line budget (e.g. general dental, orthodontics, urgent care, "
     "general ophthalmic) reconciled to the ledger at the transfer date. Receiver: check the "
     "totals agree to the delegated allocation and every difference is explained. Evidence: "
     "signed reconciliation and ledger extract."},
    {"Move running-cost budgets: pay, non-pay and vacancies",
     "Sender: list the running-cost budget that moves with the staff, split into pay, non-pay "
     "and funded vacancies. Receiver: check it matches the staff list under Workforce and "
     "your own budget set-up. Evidence: budget schedule agreed by both finance leads."},
    {"List accruals, commitments and disputed payments",
     "Sender: list accruals, committed spend and payments in dispute, with amounts and the "
     "provider concerned. Receiver: check each has a route to settlement and nothing is "
     "counted twice. Evidence: schedule tied to the ledger."},
    {"Map cost centres and set up payment-system access",
     "Sender: give the mapping from old to new cost centres and the payment systems in use. "
     "Receiver: check your staff can raise and approve payments on the new codes before the "
     "first payment run. Evidence: mapping table and a test posting."},
    {"Hand over year-end recoveries and open reconciliations",
     "Sender: give open year-end positions, such as clawback of dental under-delivery or "
     "claims recoveries, with calculations and letters to providers. Receiver: check amounts, "
     "deadlines and who writes to providers next. Evidence: recovery schedule and "
     "correspondence so far."},
    {"Update authorised signatories and approval limits",
     "Sender: say which regional signatories are withdrawn at transfer. Receiver: check ICB "
     "signatories and limits are set up in every payment system. Evidence: signatory list "
     "confirmed by each system owner."},
    {"Agree the first month's reporting timetable",
     "Sender: share the month-end timetable and the reports it produces, with their readers. "
     "Receiver: confirm who produces the first report after transfer and by when. Evidence: "
     "agreed timetable."},
};

static const struct ho_template_item con_items[] = {
    {"Hand over the contract register for every provider",
     "Sender: give the register with contract type, annual value, activity target (e.g. "
     "units of dental activity) and end date for each provider. Receiver: check it against "
     "the payment file: every paid provider has a contract and every contract a payment. "
     "Evidence: register reconciled to payments."},
    {"List live breach and remedial notices, variations and terminations",
     "Sender: list each live notice, variation or termination with its stage, next step and "
     "date. Receiver: check you hold the letters and know who acts next. Evidence: tracker "
     "with the latest letter for each case."},
    {"Share the schedule of mid-year and year-end contract reviews",
     "Sender: give the review calendar, the data each review uses and any reviews already "
     "under way. Receiver: check the first reviews after transfer have an owner and data. "
     "Evidence: review schedule with owners."},
    {"Hand over pharmacy market-entry applications and the needs assessment",
     "Sender: list applications in progress with their statutory deadlines, and the current "
     "pharmaceutical needs assessment for each area. Receiver: check no deadline in the first "
     "weeks lacks an owner. Evidence: applications log with deadlines."},
    {"List locally commissioned services with specifications and end dates",
     "Sender: list each local service (e.g. urgent access sessions, minor eye conditions) "
     "with its specification, providers, value and end date. Receiver: check which end soon "
     "and need a decision. Evidence: services list with specifications attached."},
    {"Brief on procurements in progress and their timetable",
     "Sender: give the stage, timetable, panel and papers of every procurement under way. "
     "Receiver: check who takes each next decision and that nothing stalls at transfer. "
     "Evidence: procurement tracker and latest papers."},
    {"Give provider contacts and escalation routes",
     "Sender: give a contact for each provider and how problems have been escalated, "
     "including any provider who needs careful handling. Receiver: check the list is current "
     "and covers every contract on the register. Evidence: contact list dated this month."},
};

static const struct ho_template_item cmp_items[] = {
    {"Hand over the log of open complaints",
     "Sender: give each open complaint with its stage, response deadline, consent status and "
     "case owner. Receiver: check every case has a new owner and that none is past its "
     "deadline without a holding letter. Evidence: complaints log at transfer date."},
    {"Hand over ombudsman cases with their chronologies",
     "Sender: give each case open with the Parliamentary and Health Service Ombudsman, with "
     "its chronology and correspondence. Receiver: check you can meet the next deadline on "
     "each. Evidence: case files and chronologies."},
    {"List outstanding MP letters and their due dates",
     "Sender: list MP letters awaiting a reply, with the draft where there is one. Receiver: "
     "check each has an owner and a reply date. Evidence: MP letters tracker."},
    {"Confirm clinical reviewer arrangements",
     "Sender: say who gives clinical advice on dental, optical and pharmacy complaints and "
     "on what terms. Receiver: check the arrangement continues after transfer or a "
     "replacement is in place. Evidence: agreement or contract with the reviewers."},
    {"Agree how complaint records move and where closed ones are kept",
     "Sender: say how open files move (system, format, consent) and where closed files stay. "
     "Receiver: check you can find a closed file when a complainant comes back. Evidence: "
     "agreed record transfer note."},
    {"Update public contact details for complaints",
     "Sender: list every place the public finds the complaints route (web pages, leaflets, "
     "provider notices). Receiver: check each shows the ICB's details from the transfer date. "
     "Evidence: screenshots or links of the updated pages."},
    {"Walk through complaint themes of the past year",
     "Sender: summarise recurring themes and the providers behind them. Receiver: check the "
     "themes are known to quality and contracting colleagues. Evidence: themes summary and "
     "meeting note."},
};

static const struct ho_template_item qua_items[] = {
    {"Brief on providers of concern and their action plans",
     "Sender: give each provider of concern with the concern, the action plan and the next "
     "check. Receiver: check you know who follows each plan up and when. Evidence: providers "
     "of concern register with action plans."},
    {"Hand over open incidents and recurring themes",
     "Sender: list open incidents with their stage and any themes across providers. "
     "Receiver: check each incident has an owner and an expected close. Evidence: incident "
     "log at transfer date."},
    {"Confirm safeguarding routes for POD providers",
     "Sender: say how providers raise safeguarding concerns and who receives them. Receiver: "
     "check the route reaches the ICB's safeguarding team from day one. Evidence: route "
     "agreed with the safeguarding lead."},
    {"Set up intelligence sharing with the regulators",
     "Sender: name the contacts and meetings used with the CQC, GDC, GOC and GPhC. Receiver: "
     "check the ICB is invited to the next meeting and knows how to share a concern. "
     "Evidence: contact list and meeting invitations."},
    {"Agree the quality reporting line in the ICB",
     "Sender: show what quality reports went where and how often. Receiver: confirm the ICB "
     "committee that receives them and the first date. Evidence: reporting schedule."},
    {"Hold the face-to-face handover meeting on quality risks",
     "Sender and receiver: meet in person (or by video) and talk through the quality risks "
     "that papers do not convey. Evidence: meeting note with the actions agreed."},
    {"Hand over the cascade list for patient safety alerts",
     "Sender: give the list and method used to pass national safety alerts to providers. "
     "Receiver: check the next alert will reach every provider from the ICB. Evidence: "
     "cascade list and a test message."},
};

static const struct ho_template_item wrk_items[] = {
    {"Agree the list of transferring staff, vacancies and secondees",
     "Sender: give the agreed list of posts that move, including vacancies and people on "
     "secondment. Receiver: check it matches the running-cost budget under Finance. "
     "Evidence: staff list signed off by both HR leads."},
    {"Issue employee liability information on time",
     "Sender: issue the employee liability information required under TUPE in good time "
     "before the transfer. Receiver: confirm it arrived complete and when. Evidence: "
     "issue date and the receiver's acknowledgement."},
    {"Complete consultation and issue the measures letter",
     "Sender: share the consultation record and the measures letter. Receiver: check the "
     "measures the ICB proposes were consulted on. Evidence: measures letter and consultation "
     "close note."},
    {"Hand over open employee relations cases",
     "Sender: list any open cases (grievance, capability, absence) with their stage, shared "
     "only with those who need it. Receiver: check each has an ICB HR owner. Evidence: "
     "confidential case list held by HR."},
    {"Confirm pay, pensions and local agreements carry over",
     "Sender: list pay, pension arrangements and local agreements (flexible working, lease "
     "cars) of the transferring staff. Receiver: check each is honoured in the ICB's systems. "
     "Evidence: pay and terms schedule."},
    {"Set up payroll and line managers for day one",
     "Sender: confirm the last regional pay date and leaver processing. Receiver: check every "
     "person is on ICB payroll and has a named line manager. Evidence: payroll confirmation "
     "and line manager list."},
    {"Have equipment, accounts and building access ready for day one",
     "Sender: say what equipment stays and what must be returned. Receiver: check each person "
     "has a working laptop, account and building pass on the first morning. Evidence: day-one "
     "readiness check per person."},
};

static const struct ho_template_item dig_items[] = {
    {"Hand over the system inventory with owners and licences",
     "Sender: list every system the function uses with its owner, licence holder, renewal "
     "date and number of users. Receiver: check the ICB has an owner for each. Evidence: "
     "system inventory."},
    {"Create receiver accounts with the right permissions",
     "Sender: say which roles and permissions each task needs. Receiver: check your staff "
     "can log in and do their tasks before cut-over. Evidence: account list with permissions "
     "confirmed by the users."},
    {"Remove sender access at cut-over",
     "Sender: list the regional accounts to remove and when. Receiver: check access was "
     "removed on the day and not before. Evidence: access removal confirmation."},
    {"Move shared mailboxes and distribution lists",
     "Sender: list shared mailboxes and distribution lists with their members and who writes "
     "to them. Receiver: check mail still arrives after the move. Evidence: list and a test "
     "message received."},
    {"Migrate central data files and check record counts",
     "Sender: give each central data file with its record count at extraction. Receiver: "
     "check counts after loading and explain any difference. Evidence: count reconciliation "
     "per file."},
    {"Redirect phone numbers and web pages",
     "Sender: list published phone numbers and web addresses. Receiver: check each reaches "
     "the ICB after transfer. Evidence: test calls and links checked on the day."},
    {"Hand over the runbook and known issues",
     "Sender: give the routine tasks (daily, monthly, yearly) and known problems with their "
     "workarounds. Receiver: check you could run a month-end from the runbook alone. "
     "Evidence: runbook and known-issues list."},
    {"Test one real transaction end to end on day one",
     "Sender: be available while the receiver processes one real transaction (e.g. a contract "
     "payment or a claim). Receiver: complete it on the new set-up and record the result. "
     "Evidence: note of the transaction and its outcome."},
};

static const struct ho_template_item igd_items[] = {
    {"Name an owner for every information asset that moves",
     "Sender: give the information asset register entries for the function. Receiver: check "
     "each asset has a named ICB owner. Evidence: updated asset register."},
    {"Complete the data-sharing agreement and DPIA for the transfer",
     "Sender: provide the data-sharing agreement and data protection impact assessment "
     "covering the move. Receiver: check both are signed by the right people on each side. "
     "Evidence: signed agreement and DPIA."},
    {"Agree which records move and which stay with NHS England",
     "Sender: list record types with where each will live after transfer. Receiver: check "
     "retention periods are kept and nothing is orphaned. Evidence: records schedule agreed "
     "by both information governance leads."},
    {"Hand over the data dictionary and refresh schedule of data files",
     "Sender: give the meaning of each field in the central data files and when each file is "
     "refreshed. Receiver: check your analysts can read the next refresh unaided. Evidence: "
     "data dictionary and refresh calendar."},
    {"Hand over FOI and subject access requests in progress",
     "Sender: list open freedom of information and subject access requests with their "
     "statutory deadlines. Receiver: check each has an owner and will meet its deadline. "
     "Evidence: requests log."},
    {"Give analysts access to national data feeds",
     "Sender: list the national feeds used (e.g. dental activity, ophthalmic claims, "
     "pharmacy dispensing) and how access is requested. Receiver: check your analysts can "
     "pull this month's data. Evidence: access granted and a sample extract."},
    {"Review access permissions on transferred file shares",
     "Sender: say which folders move and who could see them. Receiver: check that access "
     "after the move is limited to those who need it. Evidence: permissions review record."},
};

static const struct ho_template_item per_items[] = {
    {"Set out what NHS England keeps, including the performers lists",
     "Sender: describe the reserved work that stays with NHS England, such as managing the "
     "performers lists. Receiver: check the ICB team knows where its remit stops. Evidence: "
     "short note agreed by both sides."},
    {"Agree the route for concerns about individual performers",
     "Sender: say how concerns about a dentist, optometrist or pharmacist reach the "
     "performers team. Receiver: check your staff know the route and who to tell. Evidence: "
     "route diagram or procedure."},
    {"Agree information-sharing where performer concerns touch contracts",
     "Sender: set out when the performers team and the contract manager share information. "
     "Receiver: check the ICB will hear of concerns that affect a contract. Evidence: agreed "
     "protocol."},
    {"Hand over open cases involving both a performer and a contract",
     "Sender: list live cases where a performer concern affects a contract, shared only with "
     "those who need to know. Receiver: check each has a contract lead. Evidence: confidential "
     "case list."},
    {"Confirm how the ICB hears of suspensions, conditions and removals",
     "Sender: say how decisions on a performer's listing are notified. Receiver: check "
     "notices reach the contract manager for that provider. Evidence: notification process "
     "and a named recipient."},
    {"Exchange named contacts in the performers team",
     "Sender: give names, roles and a shared mailbox for the performers team. Receiver: check "
     "the ICB's named contact is known to them. Evidence: contact list on both sides."},
    {"Tell providers who answers what after transfer",
     "Sender: draft a short note for providers separating reserved from delegated matters. "
     "Receiver: check it matches the ICB's own messages. Evidence: note as sent."},
};

static const struct ho_template_item com_items[] = {
    {"Hand over the stakeholder map and the state of each relationship",
     "Sender: list stakeholders (local dental, optical and pharmaceutical committees, "
     "Healthwatch, MPs, local authorities) with contacts and open issues. Receiver: check "
     "each has an ICB contact. Evidence: stakeholder map."},
    {"Send providers letters with their new contacts",
     "Sender: draft the letter telling providers what changes and whom to contact. Receiver: "
     "check it is approved and sent to every provider on the register. Evidence: letter and "
     "distribution list."},
    {"Update web pages and complaint routes",
     "Sender: list pages that mention the regional team for this service. Receiver: check "
     "they are updated or redirected on the transfer date. Evidence: links checked."},
    {"Agree messages to transferring staff",
     "Sender: share what staff have been told and when. Receiver: check the ICB's welcome "
     "messages and first-week plan are ready. Evidence: staff briefing and welcome pack."},
    {"Set up the provider engagement forum",
     "Sender: describe existing forums with providers and their committees. Receiver: check "
     "the first ICB-led meeting is booked. Evidence: terms of reference and first date."},
    {"Hand over standing meetings and who attends",
     "Sender: list regular meetings with committees and partners, and who attends. Receiver: "
     "check the ICB attendee for each. Evidence: meeting list with attendees."},
    {"Brief on media and MP interest with current lines to take",
     "Sender: summarise current media and political interest (e.g. access to NHS dentistry) "
     "and the agreed lines. Receiver: check the ICB press office has them. Evidence: briefing "
     "note."},
};

const struct ho_template_function ho_pod_template[] = {
    {"GOV", "Governance and assurance", gov_items, N_ITEMS(gov_items)},
    {"FIN", "Finance", fin_items, N_ITEMS(fin_items)},
    {"CON", "Contracting", con_items, N_ITEMS(con_items)},
    {"CMP", "Complaints", cmp_items, N_ITEMS(cmp_items)},
    {"QUA", "Quality and safety", qua_items, N_ITEMS(qua_items)},
    {"WRK", "Workforce", wrk_items, N_ITEMS(wrk_items)},
    {"DIG", "Digital", dig_items, N_ITEMS(dig_items)},
    {"IGD", "Information governance and data", igd_items, N_ITEMS(igd_items)},
    {"PER", "Performers lists and reserved functions", per_items, N_ITEMS(per_items)},
    {"COM", "Communications and engagement", com_items, N_ITEMS(com_items)},
};

const size_t ho_pod_template_count = N_ITEMS(ho_pod_template);

const struct ho_template_term ho_template_glossary[] = {
    {"Carried forward", "what is still open when the document is printed: conditions of "
                        "acceptance, items not yet accepted, open queries and open risks"},
    {"Condition of acceptance",
     "the receiver accepts an item on a condition still to be met after the handover; it "
     "has an owner (a person or one side's organisation) and a due date"},
    {"CSU", "Commissioning Support Unit"},
    {"DD", "deep dive: a meeting that examines risks in depth; its actions are numbered A-1, "
           "A-2, ..."},
    {"Head hash", "the last link of the file's history chain; with the state digest it "
                  "identifies what the document shows (handover verify prints both)"},
    {"ICB", "Integrated Care Board"},
    {"LDC, LOC, LPC", "Local Dental, Optical and Pharmaceutical Committees"},
    {"N/A", "not applicable: the sender records why an item does not apply, and the receiver "
            "still reviews it"},
    {"Open query", "a question the receiver has raised on an item and the sender has not yet "
                   "answered; the item is back with the sender"},
    {"PDAF", "Pre-Delegation Assessment Framework: NHS England's assessment of whether an ICB "
             "is ready to take on delegated functions"},
    {"POD", "pharmacy, optometry and dentistry"},
    {"RAG", "red, amber, green: red when items are overdue or a function has no sender or "
            "receiver; amber when queries are open or items fall due within two weeks; "
            "green otherwise"},
    {"SoRD", "Scheme of Reservation and Delegation: which decisions an organisation keeps "
             "and which it delegates, and to whom"},
    {"State digest", "a digest of every row the file's history proves; a row changed outside "
                     "handover changes it"},
    {"UDA", "Unit of Dental Activity, the measure of NHS dental contracts"},
    {NULL, NULL}};
