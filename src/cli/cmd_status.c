/* status: readiness per handover and function, for a lead's morning look or
 * a script. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "table.h"

struct status_data {
	ho_handover *h;
	size_t nh;
	ho_function *f;
	size_t nf;
};

static void status_data_free(struct status_data *d)
{
	ho_handover_free(d->h, d->nh);
	ho_function_free(d->f, d->nf);
}

static const char *signoffs(const ho_function *f)
{
	if (f->sender_signed_at && f->receiver_signed_at)
		return "both";
	if (f->sender_signed_at)
		return "sender";
	if (f->receiver_signed_at)
		return "receiver";
	return "-";
}

/* Handed over counts "not applicable" too: both finish the sender's part. */
static void progress(const ho_counts *c, char *buf, size_t size)
{
	snprintf(buf, size, "%d/%d handed over, %d/%d accepted", c->handed_over + c->not_applicable,
	         c->total, c->done, c->total);
}

static const char *rag_word(ho_rag r)
{
	return r == HO_RAG_NONE ? "-" : ho_rag_name(r);
}

static int print_functions(const struct status_data *d, const ho_handover *h)
{
	static const char *const head[] = {"CODE", "FUNCTION", "SENDER", "RECEIVER", "PROGRESS",
	                                   "GAPS", "OVERDUE",  "RAG",    "SIGNED"};
	cli_table *t = cli_table_new(9, head);
	if (!t)
		return -1;
	cli_table_limit(t, 1, 40);
	cli_table_limit(t, 2, 24);
	cli_table_limit(t, 3, 24);
	for (size_t i = 0; i < d->nf; i++) {
		const ho_function *f = &d->f[i];
		if (f->handover_id != h->id)
			continue;
		char prog[96], gaps[16], overdue[16];
		progress(&f->counts, prog, sizeof prog);
		snprintf(gaps, sizeof gaps, "%d", f->counts.gaps);
		snprintf(overdue, sizeof overdue, "%d", f->counts.overdue);
		const char *row[] = {f->code,
		                     f->name,
		                     f->sender_id ? f->sender_name : "-",
		                     f->receiver_id ? f->receiver_name : "-",
		                     prog,
		                     gaps,
		                     overdue,
		                     rag_word(f->rag),
		                     signoffs(f)};
		if (cli_table_add(t, row) != 0) {
			cli_table_free(t);
			return -1;
		}
	}
	if (cli_table_rows(t) > 0)
		cli_table_print(t, stdout, 2);
	else
		puts("  No functions yet.");
	cli_table_free(t);
	return 0;
}

static void print_overall(const ho_handover *h)
{
	char prog[96];
	progress(&h->counts, prog, sizeof prog);
	printf("  Overall: %s; %d open gaps, %d overdue; %d/%d functions signed off", prog,
	       h->counts.gaps, h->counts.overdue, h->functions_signed, h->functions);
	if (h->functions_unpaired > 0)
		printf(", %d unpaired", h->functions_unpaired);
	printf("; RAG %s; ", rag_word(h->rag));
	if (h->signed_at) {
		char when[32];
		ho_time_format(h->signed_at, when, sizeof when);
		fputs("signed off by ", stdout);
		cli_put(stdout, h->signed_by);
		printf(" on %s\n", when);
	} else {
		puts("not signed off by a lead");
	}
	if (h->closed_at) {
		char when[32];
		ho_time_format(h->closed_at, when, sizeof when);
		printf("  Closed on %s: ", when);
		cli_put(stdout, h->closed_note);
		puts(" (read-only; a lead reopens it with 'handover reopen')");
	}
}

static void print_header(ho_db *db)
{
	const ho_person *me = ho_actor(db);
	fputs("File: ", stdout);
	cli_put(stdout, ho_path(db));
	printf(" (journal %s%s%s); you: ", ho_journal_mode(db),
	       ho_on_network(db) ? ", network drive" : "", ho_read_only(db) ? ", read-only" : "");
	cli_put(stdout, me->login);
	if (me->role == HO_ROLE_NONE)
		puts(" (viewer: not in the file's people, may look but not change)");
	else
		printf(" (%s)\n", ho_role_name(me->role));
}

/* Who is waiting on whom across the file: per person, the items whose move
 * is theirs, oldest first; the unpaired last, for the lead to pair. */
static int print_waiting(ho_db *db)
{
	static const char *const head[] = {"REF", "HANDOVER", "WAITING SINCE", "ITEM"};
	ho_waiting *w = NULL;
	size_t n = 0;
	ho_status st = ho_waiting_list(db, &w, &n);
	if (st != HO_OK)
		return -1;
	puts("\nWaiting on whom (every handover; per person, oldest first):");
	if (n == 0)
		puts("  Nobody: every item is accepted.");
	int rc = 0;
	for (size_t i = 0; i < n && rc == 0;) {
		size_t j = i;
		while (j < n && strcmp(w[j].login, w[i].login) == 0)
			j++;
		fputs("\n  ", stdout);
		if (w[i].login[0]) {
			cli_put(stdout, w[i].name);
			fputs(" (", stdout);
			cli_put(stdout, w[i].login);
			fputc(')', stdout);
		} else {
			fputs("Nobody paired (a lead to pair)", stdout);
		}
		printf(": %zu item%s\n", j - i, j - i == 1 ? "" : "s");
		cli_table *t = cli_table_new(4, head);
		if (!t) {
			rc = -1;
			break;
		}
		cli_table_limit(t, 1, 24);
		cli_table_limit(t, 3, 60);
		for (size_t k = i; k < j && rc == 0; k++) {
			char since[32] = "set-up";
			if (w[k].since)
				ho_time_format(w[k].since, since, sizeof since);
			char ref[40];
			snprintf(ref, sizeof ref, "%s", w[k].ref);
			const char *row[] = {ref, w[k].handover, since, w[k].title};
			rc = cli_table_add(t, row);
		}
		if (rc == 0)
			cli_table_print(t, stdout, 4);
		cli_table_free(t);
		i = j;
	}
	ho_waiting_free(w, n);
	return rc;
}

int cmd_status(const cli_args *a)
{
	if (cli_opt(a, "all") && cli_opt(a, "handover"))
		return cli_usage(a->command, "--all looks at every handover; leave out --handover");
	int64_t only = 0;
	ho_db *db = NULL;
	struct status_data d = {0};
	int code = cli_open_handover(a, &only, &db);
	if (code != CLI_OK)
		return code;
	ho_status st = ho_handovers_list(db, &d.h, &d.nh);
	if (st == HO_OK)
		st = ho_functions_list(db, 0, &d.f, &d.nf);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto cleanup;
	}
	int shown = 0;
	print_header(db);
	for (size_t i = 0; i < d.nh; i++) {
		if (only && d.h[i].id != only)
			continue;
		printf("\nHandover %lld: ", (long long)d.h[i].id);
		cli_put(stdout, d.h[i].title);
		if (d.h[i].target_date[0]) {
			fputs(" (target ", stdout);
			cli_put(stdout, d.h[i].target_date);
			fputc(')', stdout);
		}
		fputc('\n', stdout);
		if (print_functions(&d, &d.h[i]) != 0) {
			code = cli_fail(a->command, NULL, HO_ENOMEM);
			goto cleanup;
		}
		print_overall(&d.h[i]);
		shown++;
	}
	if (only && !shown)
		code = cli_error(a->command, CLI_USAGE, "no handover %lld", (long long)only);
	else if (!shown)
		puts("\nNo handovers yet.");
	else if (cli_opt(a, "all") && print_waiting(db) != 0)
		code = cli_fail(a->command, db, HO_ENOMEM);
cleanup:
	status_data_free(&d);
	ho_close(db);
	return code;
}
