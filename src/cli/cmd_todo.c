/* todo: what waits on you, grouped, by due date. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "handover/todo.h"
#include "table.h"

int cmd_todo(const cli_args *a)
{
	ho_db *db = NULL;
	int code = cli_open(a, &db);
	if (code != CLI_OK)
		return code;
	const ho_person *me = ho_actor(db);
	ho_todo *t = NULL;
	size_t n = 0;
	ho_handover *hs = NULL;
	size_t nh = 0;
	ho_status st = ho_todo_list(db, &t, &n);
	if (st == HO_OK)
		st = ho_handovers_list(db, &hs, &nh);
	if (st != HO_OK) {
		code = cli_fail(a->command, db, st);
		goto done;
	}
	if (me->role == HO_ROLE_NONE) {
		fputs("todo: ", stdout);
		cli_put(stdout, me->login);
		puts(" is not in this file's people: nothing waits on a viewer.");
		goto done;
	}
	int overdue = 0, soon = 0;
	for (size_t i = 0; i < n; i++) {
		overdue += t[i].overdue;
		soon += t[i].due_soon;
	}
	fputs("Waiting on ", stdout);
	cli_put(stdout, me->name);
	printf(" (%s): ", ho_role_name(me->role));
	if (n == 0) {
		puts("nothing.");
		goto done;
	}
	printf("%zu, %d overdue, %d due within two weeks\n", n, overdue, soon);
	static const char *const head[] = {"H", "REF", "TITLE", "DUE", "WITH"};
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && t[j].kind == t[i].kind)
			j++;
		printf("\n%c%s (%zu)\n", ho_todo_heading(t[i].kind)[0] - 32,
		       ho_todo_heading(t[i].kind) + 1, j - i);
		cli_table *tb = cli_table_new(5, head);
		if (!tb) {
			code = cli_error(a->command, CLI_BADFILE, "out of memory");
			goto done;
		}
		cli_table_limit(tb, 2, 48);
		for (size_t k = i; k < j; k++) {
			char h[24] = "", due[32];
			if (nh > 1 && t[k].handover_id)
				snprintf(h, sizeof h, "%lld", (long long)t[k].handover_id);
			snprintf(due, sizeof due, "%s%s", t[k].due_date,
			         t[k].overdue    ? " overdue"
			         : t[k].due_soon ? " soon"
			                         : "");
			const char *row[] = {h, t[k].ref, t[k].title, due, t[k].who};
			if (cli_table_add(tb, row) != 0)
				code = cli_error(a->command, CLI_BADFILE, "out of memory");
		}
		cli_table_print(tb, stdout, 2);
		cli_table_free(tb);
		i = j;
	}
done:
	ho_todo_free(t, n);
	ho_handover_free(hs, nh);
	ho_close(db);
	return code;
}
