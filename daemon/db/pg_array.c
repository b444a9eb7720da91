/*
 * pg_array.c: text[] literal builder. Every element is double-quoted; '"' and '\' inside
 * are backslash-escaped, which is all the array input syntax requires.
 */
#include "pg_array.h"

#include "util/grow.h"

#include <stdlib.h>
#include <string.h>

static void put(pg_array *a, const char *s, size_t n)
{
    if (a->failed)
        return;
    if (!grow_to(&a->text, &a->cap, a->len + n + 1, 256)) {
        a->failed = true;
        return;
    }
    memcpy(a->text + a->len, s, n);
    a->len += n;
    a->text[a->len] = '\0';
}

void pg_array_init(pg_array *a)
{
    memset(a, 0, sizeof *a);
    put(a, "{", 1);
}

void pg_array_add(pg_array *a, const char *element)
{
    put(a, a->count ? ",\"" : "\"", a->count ? 2 : 1);
    for (const char *p = element; *p; p++) {
        if (*p == '"' || *p == '\\')
            put(a, "\\", 1);
        put(a, p, 1);
    }
    put(a, "\"", 1);
    a->count++;
}

bool pg_array_finish(pg_array *a)
{
    put(a, "}", 1);
    return !a->failed;
}

void pg_array_release(pg_array *a)
{
    free(a->text);
    memset(a, 0, sizeof *a);
}
