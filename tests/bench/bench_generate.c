/* handover-bench generate: a handover file shaped like a national
 * programme, built through the core's public API so it passes `handover
 * check` and `handover verify` exactly as a real file would.
 *
 * national: 42 boards x 3 services (pharmacy, optometry, dentistry) = 126
 * handovers, each with the pod template's ten functions filled up to about
 * fifteen items (~19,000 items), people paired per region and board, items
 * spread over every state with comments, queries and conditions. 10x: ten
 * times the items per function. smoke: one board, template items only. */
#define _GNU_SOURCE
#include "bench.h"
#include "handover/handover.h"
/* The core's own transaction bracket: one transaction per handover instead
 * of one per action. Nested store_begin() calls only count depth, so every
 * API call inside still runs its own checks and hash-chains its event. */
#include "store.h"

#include "handover/testhook.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct scale {
	const char *name;
	int boards;       /* of the 42 */
	int items_per_fn; /* target; the template's own items count towards it */
	int spread;       /* items vary by +- spread */
};

static const struct scale scales[] = {
    {"smoke", 1, 0, 0},
    {"national", 42, 15, 3},
    {"10x", 42, 150, 30},
};

/* The seven NHS England regions and the 42 integrated care boards (short
 * names), each board with the index of its region. */
static const char *const regions[] = {
    "North East and Yorkshire",
    "North West",
    "Midlands",
    "East of England",
    "London",
    "South East",
    "South West",
};
static const char *const region_codes[] = {"ney", "nw", "mid", "eoe", "lon", "se", "sw"};

static const struct {
	const char *name;
	int region;
} boards[] = {
    {"North East and North Cumbria", 0},
    {"Humber and North Yorkshire", 0},
    {"South Yorkshire", 0},
    {"West Yorkshire", 0},
    {"Cheshire and Merseyside", 1},
    {"Greater Manchester", 1},
    {"Lancashire and South Cumbria", 1},
    {"Birmingham and Solihull", 2},
    {"Black Country", 2},
    {"Coventry and Warwickshire", 2},
    {"Derby and Derbyshire", 2},
    {"Herefordshire and Worcestershire", 2},
    {"Leicester, Leicestershire and Rutland", 2},
    {"Lincolnshire", 2},
    {"Northamptonshire", 2},
    {"Nottingham and Nottinghamshire", 2},
    {"Shropshire, Telford and Wrekin", 2},
    {"Staffordshire and Stoke-on-Trent", 2},
    {"Bedfordshire, Luton and Milton Keynes", 3},
    {"Cambridgeshire and Peterborough", 3},
    {"Hertfordshire and West Essex", 3},
    {"Mid and South Essex", 3},
    {"Norfolk and Waveney", 3},
    {"Suffolk and North East Essex", 3},
    {"North Central London", 4},
    {"North East London", 4},
    {"North West London", 4},
    {"South East London", 4},
    {"South West London", 4},
    {"Buckinghamshire, Oxfordshire and Berkshire West", 5},
    {"Frimley", 5},
    {"Hampshire and Isle of Wight", 5},
    {"Kent and Medway", 5},
    {"Surrey Heartlands", 5},
    {"Sussex", 5},
    {"Bath and North East Somerset, Swindon and Wiltshire", 6},
    {"Bristol, North Somerset and South Gloucestershire", 6},
    {"Cornwall and Isles of Scilly", 6},
    {"Devon", 6},
    {"Dorset", 6},
    {"Gloucestershire", 6},
    {"Somerset", 6},
};
#define N_BOARDS  ((int)(sizeof boards / sizeof boards[0]))
#define N_REGIONS ((int)(sizeof regions / sizeof regions[0]))

static const char *const services[] = {"Pharmacy", "Optometry", "Dentistry"};
static const char *const service_codes[] = {"pha", "opt", "den"};
#define N_SERVICES 3

static const char *const codes[] = {"GOV", "FIN", "CON", "CMP", "QUA",
                                    "WRK", "DIG", "IGD", "PER", "COM"};
#define N_CODES 10

static const char *const first_names[] = {
    "Aisha", "Ben",  "Chloe", "Dev",   "Emma", "Farid", "Grace", "Hamza", "Isla", "Jack",
    "Kemi",  "Liam", "Maya",  "Niamh", "Owen", "Priya", "Rhys",  "Sian",  "Tom",  "Zoë",
};
static const char *const last_names[] = {
    "Adeyemi", "Brown", "Chowdhury", "Davies",  "Evans", "Fraser", "Green",
    "Hughes",  "Iqbal", "Jones",     "Khan",    "Lewis", "Murphy", "Nowak",
    "O'Brien", "Patel", "Quinn",     "Roberts", "Smith", "Taylor",
};

/* Extra checklist lines beyond the template: the local additions a board
 * makes. Titles differ by a number so the search has something to find. */
static const char *const extra_titles[] = {
    "Confirm the local enhanced service schedule",
    "Share the open procurement timetable",
    "List the practices under contract review",
    "Hand over the performer concerns log",
    "Agree the payment run calendar",
    "Move the shared mailbox and its rules",
    "Transfer the stakeholder map",
    "Confirm the data sharing agreements",
};

struct gen {
	ho_db *db;
	bench_rng rng;
	const struct scale *sc;
	int64_t clock, step;
	char lead[32];
	long items, marks, comments, failures;
};

/* Every action happens a little after the one before, so the history reads
 * like months of work and the file is the same on every run. */
static void tick(struct gen *g)
{
	g->clock += g->step / 2 + bench_below(&g->rng, (int)g->step + 1);
	ho_clock_set(g->clock);
}

static int ok(struct gen *g, ho_status st, const char *what)
{
	if (st == HO_OK)
		return 1;
	fprintf(stderr, "handover-bench: %s: %s\n", what, ho_errmsg(g->db));
	g->failures++;
	return 0;
}

static void person_name(struct gen *g, char *buf, size_t size)
{
	snprintf(buf, size, "%s %s", first_names[bench_below(&g->rng, 20)],
	         last_names[bench_below(&g->rng, 20)]);
}

/* Senders: one per region, service and function. Receivers: two per board
 * and service (one takes functions 1-5, the other 6-10). */
static void sender_login(char *buf, size_t size, int region, int service, int code)
{
	snprintf(buf, size, "%s-%s-%s", region_codes[region], service_codes[service], codes[code]);
	for (char *p = buf; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
}

static void receiver_login(char *buf, size_t size, int board, int service, int half)
{
	snprintf(buf, size, "icb%02d-%s-%d", board + 1, service_codes[service], half + 1);
}

static int add_people(struct gen *g, int nboards)
{
	char login[64], name[128], org[160];
	for (int r = 0; r < N_REGIONS; r++)
		for (int s = 0; s < N_SERVICES; s++)
			for (int c = 0; c < N_CODES; c++) {
				sender_login(login, sizeof login, r, s, c);
				person_name(g, name, sizeof name);
				snprintf(org, sizeof org, "NHS England %s", regions[r]);
				tick(g);
				if (!ok(g, ho_person_add(g->db, login, name, HO_ROLE_SENDER, org),
				        "adding a sender"))
					return 0;
			}
	for (int b = 0; b < nboards; b++)
		for (int s = 0; s < N_SERVICES; s++)
			for (int half = 0; half < 2; half++) {
				receiver_login(login, sizeof login, b, s, half);
				person_name(g, name, sizeof name);
				snprintf(org, sizeof org, "%s ICB", boards[b].name);
				tick(g);
				if (!ok(g, ho_person_add(g->db, login, name, HO_ROLE_RECEIVER, org),
				        "adding a receiver"))
					return 0;
			}
	return 1;
}

static void date_after(int64_t base, int days, char *buf, size_t size)
{
	ho_date_format(base + (int64_t)days * 86400, buf, size);
}

/* An item's story: the sender works on it, hands it over or rules it out,
 * the receiver accepts, accepts with conditions or raises a gap. The
 * weights give a programme part-way through: most items moving, some
 * done, a few stuck. */
enum story {
	S_NOT_STARTED,
	S_IN_PROGRESS,
	S_PENDING,
	S_NA_PENDING,
	S_ACCEPTED,
	S_NA_ACCEPTED,
	S_CONDITIONS,
	S_GAP_OPEN,
	S_GAP_CLOSED,
};

static enum story pick_story(struct gen *g)
{
	static const int weights[] = {15, 15, 18, 5, 25, 5, 7, 7, 3};
	int r = bench_below(&g->rng, 100);
	for (int s = 0; s < (int)(sizeof weights / sizeof weights[0]); s++) {
		if (r < weights[s])
			return (enum story)s;
		r -= weights[s];
	}
	return S_ACCEPTED;
}

static void act(struct gen *g, const char *who, int64_t id, ho_action a, const char *text)
{
	tick(g);
	ho_set_actor(g->db, who);
	if (ok(g, ho_item_mark(g->db, id, 0, a, text, NULL), "marking an item"))
		g->marks++;
}

static void comment(struct gen *g, const char *who, int64_t id, int n)
{
	static const char *const bodies[] = {
	    "Chased the regional team for the latest version.",
	    "Waiting on finance sign-off before this can move.",
	    "Discussed at the weekly handover call; owner confirmed.",
	    "The link in the guidance is out of date; new location shared by email.",
	    "Board paper due next month will settle this.",
	};
	char body[160];
	snprintf(body, sizeof body, "%s (note %d)", bodies[bench_below(&g->rng, 5)], n + 1);
	tick(g);
	ho_set_actor(g->db, who);
	if (ok(g, ho_item_comment(g->db, id, body), "commenting"))
		g->comments++;
}

static void play_item(struct gen *g, int64_t id, const char *snd, const char *rcv)
{
	char text[128];
	snprintf(text, sizeof text, "Evidence pack ref EV-%06d on the shared drive",
	         bench_below(&g->rng, 1000000));
	enum story s = pick_story(g);
	if (snd[0] && rcv[0]) {
		if (s == S_NA_PENDING || s == S_NA_ACCEPTED)
			act(g, snd, id, HO_ACT_NOT_APPLICABLE,
			    "Not commissioned in this board's area");
		else if (s != S_NOT_STARTED)
			act(g, snd, id, HO_ACT_IN_PROGRESS, NULL);
		if (s >= S_PENDING && s != S_NA_PENDING && s != S_NA_ACCEPTED)
			act(g, snd, id, HO_ACT_HANDED_OVER, text);
		if (s == S_ACCEPTED || s == S_NA_ACCEPTED)
			act(g, rcv, id, HO_ACT_ACCEPTED, NULL);
		if (s == S_CONDITIONS)
			act(g, rcv, id, HO_ACT_ACCEPTED_CONDITIONS,
			    "Refresh the contact list before the first quarter end");
		if (s == S_GAP_OPEN || s == S_GAP_CLOSED)
			act(g, rcv, id, HO_ACT_GAP, "The evidence pack lacks the signed schedules");
		if (s == S_GAP_CLOSED) {
			act(g, snd, id, HO_ACT_HANDED_OVER, "Signed schedules added to the pack");
			act(g, rcv, id, HO_ACT_ACCEPTED, NULL);
		}
	}
	/* Comments come from either side, or the lead where nobody is paired. */
	int n = bench_below(&g->rng, 5);
	for (int i = 0; i < n; i++) {
		const char *who = !snd[0] ? g->lead : (bench_below(&g->rng, 2) ? snd : rcv);
		comment(g, who, id, i);
	}
}

static int fill_function(struct gen *g, const ho_function *f, int board, int service)
{
	int code = 0;
	while (code < N_CODES && strcmp(codes[code], f->code) != 0)
		code++;
	char snd[64] = "", rcv[64] = "";
	/* About one function in forty is still waiting for a pair. */
	if (code < N_CODES && bench_below(&g->rng, 40) != 0) {
		sender_login(snd, sizeof snd, boards[board].region, service, code);
		receiver_login(rcv, sizeof rcv, board, service, code >= 5);
		tick(g);
		ho_set_actor(g->db, g->lead);
		if (!ok(g, ho_pair(g->db, f->handover_id, f->code, snd, rcv), "pairing"))
			return 0;
	}
	char due[16];
	int64_t base = ho_time_parse("2026-10-01");
	date_after(base, bench_below(&g->rng, 150), due, sizeof due);
	tick(g);
	ho_set_actor(g->db, g->lead);
	if (!ok(g, ho_function_set_due(g->db, f->id, 0, due), "setting a due date"))
		return 0;

	/* Top up the template's items to this function's size. */
	int want = g->sc->items_per_fn;
	if (want && g->sc->spread)
		want += bench_below(&g->rng, 2 * g->sc->spread + 1) - g->sc->spread;
	ho_item *items = NULL;
	size_t n = 0;
	if (!ok(g, ho_items_list(g->db, f->id, HO_FILTER_ALL, &items, &n), "listing items"))
		return 0;
	for (int k = (int)n; k < want; k++) {
		char title[160], idue[16] = "";
		snprintf(title, sizeof title, "%s (%d)", extra_titles[bench_below(&g->rng, 8)],
		         k + 1);
		if (bench_below(&g->rng, 3) == 0)
			date_after(base, bench_below(&g->rng, 150), idue, sizeof idue);
		tick(g);
		if (!ok(g,
		        ho_item_add(g->db, f->id, title,
		                    "Local addition: agree the owner and "
		                    "the evidence at the weekly call.",
		                    idue, NULL),
		        "adding an item"))
			break;
	}
	ho_item_free(items, n);
	if (!ok(g, ho_items_list(g->db, f->id, HO_FILTER_ALL, &items, &n), "listing items"))
		return 0;
	for (size_t i = 0; i < n; i++)
		play_item(g, items[i].id, snd, rcv);
	g->items += (long)n;
	ho_item_free(items, n);
	return 1;
}

static int add_handover(struct gen *g, int board, int service)
{
	char title[256], sorg[128], rorg[160], target[16];
	const char *region = regions[boards[board].region];
	snprintf(title, sizeof title, "%s: NHS England %s to %s ICB", services[service], region,
	         boards[board].name);
	snprintf(sorg, sizeof sorg, "NHS England %s", region);
	snprintf(rorg, sizeof rorg, "%s ICB", boards[board].name);
	date_after(ho_time_parse("2027-04-01"), 0, target, sizeof target);
	int64_t hid = 0;
	tick(g);
	ho_set_actor(g->db, g->lead);
	if (!ok(g, ho_handover_add(g->db, title, services[service], sorg, rorg, target, &hid),
	        "adding a handover") ||
	    !ok(g, ho_handover_apply_template(g->db, hid), "applying the template"))
		return 0;
	ho_function *fs = NULL;
	size_t nf = 0;
	if (!ok(g, ho_functions_list(g->db, hid, &fs, &nf), "listing functions"))
		return 0;
	int good = 1;
	for (size_t i = 0; good && i < nf; i++)
		good = fill_function(g, &fs[i], board, service);
	ho_function_free(fs, nf);
	return good;
}

static const struct scale *scale_named(const char *name)
{
	for (size_t i = 0; i < sizeof scales / sizeof scales[0]; i++)
		if (strcmp(scales[i].name, name) == 0)
			return &scales[i];
	return NULL;
}

int bench_generate(int argc, char **argv)
{
	const char *path = NULL, *scale = "national";
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--scale") == 0 && i + 1 < argc)
			scale = argv[++i];
		else if (argv[i][0] != '-' && !path)
			path = argv[i];
		else {
			fprintf(stderr, "handover-bench generate: unexpected '%s'\n", argv[i]);
			return 1;
		}
	}
	struct gen g = {0};
	g.sc = scale_named(scale);
	if (!path || !g.sc) {
		fprintf(stderr, "usage: handover-bench generate FILE --scale smoke|national|10x\n");
		return 1;
	}
	g.rng.s = 20261130;
	snprintf(g.lead, sizeof g.lead, "lead.national");
	/* Six months of work, spread over the expected number of actions
	 * (about six per item). */
	int per_fn = g.sc->items_per_fn ? g.sc->items_per_fn : 8;
	int64_t actions = (int64_t)g.sc->boards * N_SERVICES * N_CODES * per_fn * 6 + 1000;
	g.clock = ho_time_parse("2026-06-01T08:00");
	g.step = (ho_time_parse("2026-11-29T17:00") - g.clock) / actions;
	if (g.step < 1)
		g.step = 1;
	ho_clock_set(g.clock);

	double t0 = bench_ms();
	ho_status st = ho_open(path, HO_OPEN_CREATE, &g.db);
	ho_init_opts io = {.title = "POD delegation: national programme",
	                   .login = g.lead,
	                   .name = "National Programme Lead",
	                   .empty = 1};
	if (st == HO_OK)
		st = ho_init(g.db, &io);
	if (st == HO_OK)
		st = ho_set_actor(g.db, g.lead);
	if (st != HO_OK) {
		fprintf(stderr, "handover-bench: %s: %s\n", path,
		        g.db ? ho_errmsg(g.db) : ho_strerror(st));
		ho_close(g.db);
		return 2;
	}
	int good = store_begin(g.db) == HO_OK && add_people(&g, g.sc->boards) &&
	           store_commit(g.db) == HO_OK;
	for (int b = 0; good && b < g.sc->boards; b++) {
		for (int s = 0; good && s < N_SERVICES; s++) {
			/* One transaction per handover: the log stays small and a
			 * commit costs one sync instead of thousands. */
			good = store_begin(g.db) == HO_OK;
			good = good && add_handover(&g, b, s);
			if (good)
				good = store_commit(g.db) == HO_OK;
			else
				store_rollback(g.db);
		}
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\r%d/%d boards", b + 1, g.sc->boards);
	}
	if (isatty(STDERR_FILENO))
		fputc('\n', stderr);
	char head[65];
	int64_t events = 0;
	ho_history_head(g.db, head, &events);
	/* Named as people read it: a server's, never with its password. */
	char shown[512];
	snprintf(shown, sizeof shown, "%s", ho_path(g.db));
	ho_close(g.db);
	ho_clock_set(0);
	if (!good || g.failures) {
		fprintf(stderr, "handover-bench: generation failed (%ld failures)\n", g.failures);
		return 2;
	}
	printf("generated %s: scale %s, %d handovers, %ld items, %ld marks, %ld comments, "
	       "%lld events, %.1f s\n",
	       shown, g.sc->name, g.sc->boards * N_SERVICES, g.items, g.marks, g.comments,
	       (long long)events, (bench_ms() - t0) / 1e3);
	return 0;
}
