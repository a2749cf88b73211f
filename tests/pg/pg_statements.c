/* Every statement of the table, translated for PostgreSQL, prepared on a
 * real server (run under pg_virtualenv): the ones that fail are listed. */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pg/translate.h"

static const struct {
	const char *name, *sql;
} stmts[] = {
#define STMT(name, sql) {#name, sql},
#include "sqlite/statements.def"
#undef STMT
};
static const struct {
	const char *name, *sql;
} overrides[] = {
#define STMT_PG(name, sql) {#name, sql},
#include "pg/overrides.def"
#undef STMT_PG
};

int main(int argc, char **argv)
{
	PGconn *c = PQconnectdb("");
	if (PQstatus(c) != CONNECTION_OK) {
		fprintf(stderr, "connect: %s", PQerrorMessage(c));
		return 77;
	}
	if (argc > 1) {
		FILE *f = fopen(argv[1], "r");
		static char sql[1 << 16];
		size_t n = f ? fread(sql, 1, sizeof sql - 1, f) : 0;
		if (f)
			fclose(f);
		sql[n] = '\0';
		PGresult *r = PQexec(c, sql);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			fprintf(stderr, "schema: %s", PQerrorMessage(c));
			return 2;
		}
		PQclear(r);
	}
	int bad = 0, n = (int)(sizeof stmts / sizeof stmts[0]);
	for (int i = 0; i < n; i++) {
		char **names = NULL;
		int nn = 0;
		const char *sql = stmts[i].sql;
		for (size_t k = 0; k < sizeof overrides / sizeof overrides[0]; k++)
			if (strcmp(overrides[k].name, stmts[i].name) == 0)
				sql = overrides[k].sql;
		char *pg = pg_translate(sql, &names, &nn);
		char pname[64];
		snprintf(pname, sizeof pname, "s%d", i);
		PGresult *r = PQprepare(c, pname, pg, 0, NULL);
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			/* The engine gives each parameter the type it is bound with:
			 * a statement whose parameters all say text must prepare. */
			Oid types[64];
			for (int k = 0; k < nn && k < 64; k++)
				types[k] = 25;
			PQclear(r);
			snprintf(pname, sizeof pname, "t%d", i);
			r = PQprepare(c, pname, pg, nn, types);
		}
		if (PQresultStatus(r) != PGRES_COMMAND_OK) {
			bad++;
			printf("%s: %s  %s\n\n", stmts[i].name, PQresultErrorMessage(r), pg);
		}
		PQclear(r);
		for (int k = 0; k < nn; k++)
			free(names[k]);
		free(names);
		free(pg);
	}
	printf("%d of %d statements prepare on PostgreSQL\n", n - bad, n);
	PQfinish(c);
	return bad ? 1 : 0;
}
