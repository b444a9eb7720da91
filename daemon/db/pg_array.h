/*
 * pg_array.h: building a PostgreSQL text[] literal ({"a","b"}) to pass as ONE typed
 * parameter ($1::text[]), so lists never turn into SQL text.
 *
 * Ownership: pg_array_init() on a caller's struct; pg_array_release() frees it.
 */
#ifndef LVHCMON_PG_ARRAY_H
#define LVHCMON_PG_ARRAY_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
    char *text; /* NUL-terminated literal once pg_array_finish() returned true */
    size_t len;
    size_t cap;
    size_t count;
    bool failed;
} pg_array;

void pg_array_init(pg_array *a);
/** Appends one element, quoted and escaped. */
void pg_array_add(pg_array *a, const char *element);
/** Closes the literal. @return false when an allocation failed on the way. */
bool pg_array_finish(pg_array *a);
void pg_array_release(pg_array *a);

#endif
