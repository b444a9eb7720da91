/*
 * copy_buffer.c: COPY text-format row writer with escaping.
 */
#include "db/copy_buffer.h"

#include "text.h"
#include "util/grow.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void copy_buffer_init(copy_buffer *b)
{
    memset(b, 0, sizeof *b);
}

void copy_buffer_release(copy_buffer *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void copy_buffer_clear(copy_buffer *b)
{
    b->len = 0;
    b->row_started = false;
}

static bool reserve(copy_buffer *b, size_t extra)
{
    if (b->failed)
        return false;
    if (!grow_to(&b->data, &b->cap, b->len + extra, 65536))
        b->failed = true;
    return !b->failed;
}

static void put(copy_buffer *b, const char *s, size_t n)
{
    if (!reserve(b, n))
        return;
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

static void separator(copy_buffer *b)
{
    if (b->row_started)
        put(b, "\t", 1);
    b->row_started = true;
}

void copy_buffer_text(copy_buffer *b, const char *s)
{
    separator(b);
    if (!s)
        return;
    /* Copy runs of ordinary bytes at once; only the four COPY text specials are escaped. */
    while (*s) {
        size_t run = strcspn(s, "\\\t\n\r");
        put(b, s, run);
        s += run;
        if (!*s)
            break;
        switch (*s) {
        case '\\':
            put(b, "\\\\", 2);
            break;
        case '\t':
            put(b, "\\t", 2);
            break;
        case '\n':
            put(b, "\\n", 2);
            break;
        default:
            put(b, "\\r", 2);
        }
        s++;
    }
}

void copy_buffer_text_or_null(copy_buffer *b, const char *s)
{
    if (!s || !*s)
        copy_buffer_null(b);
    else
        copy_buffer_text(b, s);
}

void copy_buffer_int(copy_buffer *b, int64_t v)
{
    char num[TEXT_INT64_MAX];
    size_t len;
    const char *p = text_int64(v, num, &len);
    separator(b);
    put(b, p, len);
}

void copy_buffer_null(copy_buffer *b)
{
    separator(b);
    put(b, "\\N", 2);
}

void copy_buffer_bool(copy_buffer *b, bool v)
{
    separator(b);
    put(b, v ? "t" : "f", 1);
}

void copy_buffer_raw(copy_buffer *b, const char *s)
{
    separator(b);
    put(b, s, strlen(s));
}

void copy_buffer_end_row(copy_buffer *b)
{
    put(b, "\n", 1);
    b->row_started = false;
}
