/* SQLite's SQL of the statement table turned into PostgreSQL's. */
#ifndef HANDOVER_PG_TRANSLATE_H
#define HANDOVER_PG_TRANSLATE_H

/* A new string with the statement in PostgreSQL's SQL; *names (new array
 * of new strings, *nnames of them) are the parameter names without the
 * colon, $1 first. NULL when out of memory. */
char *pg_translate(const char *sql, char ***names, int *nnames);

#endif
