/*
 * csv_decl_bench.c: how fast csv_decl_parse() reads a large CSV declaration file. It builds
 * N rows (default 1,000,000) in memory, spread over 2,000 submissions of 500 providers in
 * an interleaved order (the worst case for grouping), parses them and prints the time.
 * Built as the target csv_decl_bench (bench/CMakeLists.txt; use a Release tree), or by hand
 * from the repository root, optimised and without sanitizers:
 *   gcc -std=c11 -O2 -D_DEFAULT_SOURCE -Ilib bench/csv_decl_bench.c lib/csv_decl.c \
 *       lib/declaration.c lib/calendar.c lib/error.c lib/codes.c lib/text.c \
 *       /usr/lib/x86_64-linux-gnu/libcsv.a -ljansson -o /tmp/csv_decl_bench && /tmp/csv_decl_bench
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "csv_decl.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 1000000;
    size_t cap = (size_t)rows * 100 + 256, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return 1;
    len += (size_t)snprintf(buf, cap,
                            "provider_agb,reference,line_ref,client_bsn,prestatie,date_from,"
                            "date_to,minutes,travel_cents,debit_credit,corrects_ref\n");
    for (long i = 0; i < rows; i++) {
        long sub = (i * 7919) % 2000;
        len += (size_t)snprintf(buf + len, cap - len,
                                "41%06ld,2026-%02ld-%04ld,L%ld,123456782,CAKOR,2026-10-01,"
                                "2026-10-31,%ld,%ld,%c,\n",
                                sub % 500, sub % 12 + 1, sub, i, 30 + i % 400, i % 3 ? 0L : 1250L,
                                i % 50 ? 'D' : 'C');
    }
    lv_error err = {0};
    double t0 = now();
    clock_t c0 = clock();
    decl_batch *b = csv_decl_parse(buf, len, 0, &err);
    clock_t c1 = clock();
    double t1 = now();
    if (!b) {
        fprintf(stderr, "rejected: %s\n", err.message);
        return 1;
    }
    size_t lines = 0;
    for (size_t i = 0; i < b->n_subs; i++)
        lines += b->subs[i]->n_lines;
    printf("%ld rows, %.1f MB, %zu submissions, %zu lines: parse %.3f s wall, %.3f s CPU "
           "(%.0f rows/s)\n",
           rows, (double)len / 1e6, b->n_subs, lines, t1 - t0, (double)(c1 - c0) / CLOCKS_PER_SEC,
           (double)rows / (t1 - t0));
    double t2 = now();
    decl_batch_free(b);
    printf("free %.3f s\n", now() - t2);
    free(buf);
    return 0;
}
