/*
 * db_watermark.c: reading, writing and comparing ledger watermarks (see db_watermark.h).
 */
#include "db/db_watermark.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Reads one unsigned decimal number at *p and moves *p past it. @return false when there
 * is none or it overflows 64 bits. */
static bool read_number(const char **p, uint64_t *out)
{
    const char *s = *p;
    if (*s < '0' || *s > '9')
        return false;
    uint64_t v = 0;
    for (; *s >= '0' && *s <= '9'; s++) {
        unsigned d = (unsigned)(*s - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *p = s;
    *out = v;
    return true;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

bool db_watermark_parse(const char *text, db_watermark *out)
{
    memset(out, 0, sizeof *out);
    if (text == NULL)
        return false;
    const char *p = text;
    db_watermark w = {.known = true};
    if (!read_number(&p, &w.xmin) || *p++ != ':' || !read_number(&p, &w.xmax) || *p++ != ':' ||
        w.xmin > w.xmax)
        return false;
    /* The running transactions. Beyond DB_WATERMARK_XIP_MAX, the smallest are kept and
     * xmax drops to the smallest one left out (see the header). */
    uint64_t first_dropped = UINT64_MAX;
    while (*p != '\0') {
        uint64_t x;
        if (!read_number(&p, &x) || x < w.xmin || x >= w.xmax)
            return false;
        if (w.n_xip < DB_WATERMARK_XIP_MAX) {
            w.xip[w.n_xip++] = x;
        } else {
            size_t top = 0;
            for (size_t i = 1; i < w.n_xip; i++)
                if (w.xip[i] > w.xip[top])
                    top = i;
            if (x < w.xip[top]) {
                uint64_t evicted = w.xip[top];
                w.xip[top] = x;
                x = evicted;
            }
            if (x < first_dropped)
                first_dropped = x;
        }
        if (*p == ',' && p[1] != '\0')
            p++;
        else if (*p != '\0')
            return false;
    }
    qsort(w.xip, w.n_xip, sizeof w.xip[0], cmp_u64);
    if (first_dropped != UINT64_MAX)
        w.xmax = first_dropped;
    *out = w;
    return true;
}

const char *db_watermark_format(const db_watermark *w, char *buf, size_t size)
{
    if (size == 0)
        return buf;
    buf[0] = '\0';
    if (!w->known)
        return buf;
    size_t used = (size_t)snprintf(buf, size, "%llu:%llu:", (unsigned long long)w->xmin,
                                   (unsigned long long)w->xmax);
    for (size_t i = 0; i < w->n_xip && used < size; i++)
        used += (size_t)snprintf(buf + used, size - used, "%s%llu", i ? "," : "",
                                 (unsigned long long)w->xip[i]);
    if (used >= size)
        buf[0] = '\0'; /* too small a buffer: nothing rather than a wrong watermark */
    return buf;
}

/* @return true when @a xact is listed as running in @a w. */
static bool running(const db_watermark *w, uint64_t xact)
{
    return bsearch(&xact, w->xip, w->n_xip, sizeof xact, cmp_u64) != NULL;
}

bool db_watermark_covers(const db_watermark *w, uint64_t xact)
{
    if (!w->known)
        return false;
    if (xact == 0 || xact < w->xmin)
        return true;
    return xact < w->xmax && !running(w, xact);
}

bool db_watermark_includes(const db_watermark *newer, const db_watermark *older)
{
    if (!older->known)
        return true;
    if (!newer->known)
        return false;
    /* What @a older covers from newer->xmax on, @a newer does not: there may be none, so
     * every transaction in [newer->xmax, older->xmax) must be running in @a older. */
    if (newer->xmax < older->xmax) {
        uint64_t listed = 0;
        for (size_t i = 0; i < older->n_xip; i++)
            listed += older->xip[i] >= newer->xmax;
        if (listed != older->xmax - newer->xmax)
            return false;
    }
    /* Below newer->xmax, @a newer misses only its running ones: @a older must miss them too. */
    for (size_t i = 0; i < newer->n_xip; i++)
        if (db_watermark_covers(older, newer->xip[i]))
            return false;
    return true;
}
