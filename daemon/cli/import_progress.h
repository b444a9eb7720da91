/*
 * import_progress.h: the progress line of `lvhcmon import` on a terminal.
 *
 * A large file (a year of a big provider, a backfill of many) takes minutes; someone
 * watching wants to know it moves and when it ends. On a terminal the import shows one
 * line on standard error, redrawn in place (carriage return, erase line) at most every
 * IMPORT_PROGRESS_INTERVAL_MS:
 *
 *     lvhcmon import: 523.000 of 1.000.000 lines (52 %), 61.234 lines/s, 8 s left
 *
 * and erases it when the import ends, so only the summary stays. When standard error is
 * not a terminal (a pipe, a file, cron, the test suite) it prints nothing at all: a log is
 * no place for a hundred redraws. Numbers are grouped the Dutch way, like every figure
 * people read in lvhcmon.
 */
#ifndef LVHCMON_IMPORT_PROGRESS_H
#define LVHCMON_IMPORT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/** The least time between two redraws. */
#define IMPORT_PROGRESS_INTERVAL_MS 200

typedef struct {
    bool enabled; /* the stream is a terminal */
    FILE *out;
    size_t total_lines;
    size_t done_lines;
    int64_t start_ms;
    int64_t last_draw_ms; /* 0: not drawn yet */
    bool drawn;
} import_progress;

/**
 * Starts the progress of an import of @a total_lines lines; it shows only when @a out is
 * a terminal (isatty()).
 */
void import_progress_start(import_progress *p, FILE *out, size_t total_lines);

/** Counts @a lines more as done and redraws, at most every IMPORT_PROGRESS_INTERVAL_MS. */
void import_progress_add(import_progress *p, size_t lines);

/** Erases the progress line (when one was drawn). */
void import_progress_end(import_progress *p);

/**
 * Writes the text of the progress line: lines done of the total, the percentage, lines per
 * second and the time left at that rate ("—" while the rate is not known yet).
 * @param elapsed_ms time since the start
 * @return @a buf
 */
char *import_progress_text(size_t done, size_t total, int64_t elapsed_ms, char *buf, size_t size);

#endif
