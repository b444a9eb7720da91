/*
 * copy_buffer.c: COPY text-format row writer with escaping.
 */
#include "copy_buffer.h"

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
    /* Digits from the right; the magnitude as unsigned so INT64_MIN needs no special case.
     * (snprintf stood out in profiles of large imports.) */
    char num[24];
    char *p = num + sizeof num;
    uint64_t mag = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--p = (char)('0' + mag % 10);
        mag /= 10;
    } while (mag);
    if (v < 0)
        *--p = '-';
    separator(b);
    put(b, p, (size_t)(num + sizeof num - p));
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
