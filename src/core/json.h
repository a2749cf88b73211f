/* Flat JSON objects (string and integer values), for undo records. */
#ifndef HANDOVER_JSON_H
#define HANDOVER_JSON_H

#include <stddef.h>
#include <stdint.h>

struct json_field {
	const char *key;
	const char *text; /* NULL: the value is num */
	int64_t num;
	int null; /* the value is null (text and num unused) */
};

/* {"key":value,...} in the order given; NULL when out of memory. */
char *json_flat_write(const struct json_field *f, size_t n);
/* The value of key: 1 found (*text a new string for a string value, else
 * *num), 0 absent, -1 malformed or out of memory. */
int json_flat_get(const char *json, const char *key, char **text, int64_t *num);
/* The string at key as a new string ("" when absent, null or a number);
 * NULL when malformed or out of memory. */
char *json_flat_text(const char *json, const char *key);
/* The integer at key (0 when absent or not a number). */
int64_t json_flat_int(const char *json, const char *key);

#endif
