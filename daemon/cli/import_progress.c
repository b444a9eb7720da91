/*
 * import_progress.c: the progress line of `lvhcmon import` (see import_progress.h).
 */
#include "cli/import_progress.h"

#include <time.h>
#include <unistd.h>

#include "nl_format.h"

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* @a n grouped the Dutch way: 1000000 -> "1.000.000". */
static const char *grouped(size_t n, char buf[NL_FORMAT_MAX])
{
    return nl_format_count((int64_t)n, buf);
}

/* "8 s", "3 min 05 s", "1 h 02 min". */
static void duration(int64_t s, char *buf, size_t size)
{
    if (s < 60)
        snprintf(buf, size, "%lld s", (long long)s);
    else if (s < 3600)
        snprintf(buf, size, "%lld min %02lld s", (long long)(s / 60), (long long)(s % 60));
    else
        snprintf(buf, size, "%lld h %02lld min", (long long)(s / 3600), (long long)(s % 3600 / 60));
}

char *import_progress_text(size_t done, size_t total, int64_t elapsed_ms, char *buf, size_t size)
{
    char d[NL_FORMAT_MAX], t[NL_FORMAT_MAX], r[NL_FORMAT_MAX], left[32];
    int pct = total > 0 ? (int)((uint64_t)done * 100 / total) : 100;
    if (elapsed_ms <= 0 || done == 0) {
        snprintf(buf, size, "lvhcmon import: %s of %s lines (%d %%), \u2014 lines/s, \u2014 left",
                 grouped(done, d), grouped(total, t), pct);
        return buf;
    }
    uint64_t rate = (uint64_t)done * 1000 / (uint64_t)elapsed_ms;
    uint64_t remaining = total > done ? total - done : 0;
    /* time left = remaining / (done / elapsed), in whole seconds rounded up */
    uint64_t left_ms = remaining * (uint64_t)elapsed_ms / done;
    duration((int64_t)((left_ms + 999) / 1000), left, sizeof left);
    snprintf(buf, size, "lvhcmon import: %s of %s lines (%d %%), %s lines/s, %s left",
             grouped(done, d), grouped(total, t), pct, grouped((size_t)rate, r), left);
    return buf;
}

static void draw(import_progress *p, int64_t now)
{
    char text[200];
    import_progress_text(p->done_lines, p->total_lines, now - p->start_ms, text, sizeof text);
    /* carriage return and "erase to the end of the line": the line is redrawn in place */
    fprintf(p->out, "\r%s\033[K", text);
    fflush(p->out);
    p->last_draw_ms = now;
    p->drawn = true;
}

void import_progress_start(import_progress *p, FILE *out, size_t total_lines)
{
    *p = (import_progress){.out = out, .total_lines = total_lines, .start_ms = now_ms()};
    p->enabled = out != NULL && isatty(fileno(out));
    if (p->enabled)
        draw(p, p->start_ms);
}

void import_progress_add(import_progress *p, size_t lines)
{
    p->done_lines += lines;
    if (!p->enabled)
        return;
    int64_t now = now_ms();
    if (now - p->last_draw_ms >= IMPORT_PROGRESS_INTERVAL_MS)
        draw(p, now);
}

void import_progress_end(import_progress *p)
{
    if (!p->enabled || !p->drawn)
        return;
    fputs("\r\033[K", p->out);
    fflush(p->out);
}
