/*
 * excel_csv.c: CSV cells for Excel (see excel_csv.h).
 */
#include "excel_csv.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void excel_csv_buf_free(excel_csv_buf *b)
{
    free(b->data);
    memset(b, 0, sizeof *b);
}

void excel_csv_take(excel_csv_buf *b)
{
    b->len = 0;
}

/* Appends @a n bytes; on failure marks the buffer failed and drops them. */
static void put(excel_csv_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n)
            cap *= 2;
        char *p = realloc(b->data, cap);
        if (p == NULL) {
            b->failed = true;
            return;
        }
        b->data = p;
        b->cap = cap;
    }
    memcpy(b->data + b->len, s, n);
    b->len += n;
}

/* The separator before every cell but a row's first. */
static void cell_start(excel_csv_buf *b)
{
    if (b->in_row)
        put(b, ";", 1);
    b->in_row = true;
}

void excel_csv_bom(excel_csv_buf *b)
{
    put(b, "\xEF\xBB\xBF", 3);
}

bool excel_csv_needs_guard(const char *s)
{
    return s != NULL && s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void excel_csv_text(excel_csv_buf *b, const char *s)
{
    cell_start(b);
    if (s == NULL)
        return;
    bool guard = excel_csv_needs_guard(s);
    bool quote = strpbrk(s, ";\"\r\n") != NULL;
    if (quote)
        put(b, "\"", 1);
    if (guard)
        put(b, "'", 1);
    for (const char *p = s; *p;) {
        size_t n = strcspn(p, "\"");
        put(b, p, n);
        p += n;
        if (*p == '"') {
            put(b, "\"\"", 2);
            p++;
        }
    }
    if (quote)
        put(b, "\"", 1);
}

void excel_csv_int(excel_csv_buf *b, int64_t n)
{
    char buf[24];
    int len = snprintf(buf, sizeof buf, "%" PRId64, n);
    cell_start(b);
    put(b, buf, (size_t)len);
}

void excel_csv_money(excel_csv_buf *b, int64_t cents, excel_csv_lang lang)
{
    /* The magnitude as unsigned, so INT64_MIN has one too. */
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    char buf[32];
    int len = snprintf(buf, sizeof buf, "%s%" PRIu64 "%c%02" PRIu64, cents < 0 ? "-" : "",
                       mag / 100, lang == EXCEL_CSV_EN ? '.' : ',', mag % 100);
    cell_start(b);
    put(b, buf, (size_t)len);
}

void excel_csv_row_end(excel_csv_buf *b)
{
    put(b, "\r\n", 2);
    b->in_row = false;
}
