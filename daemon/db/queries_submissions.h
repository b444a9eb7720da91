/*
 * queries_submissions.h: a provider's submissions, newest first, for
 * GET /api/v1/providers/{agb}/submissions: the stored ones with their line counts by status,
 * and the files rejected whole (ingest_attempt rows without a submission). Paged by keyset
 * on (received_at, kind, id), newest first; the handler turns the last row into the cursor.
 */
#ifndef LVHCMON_QUERIES_SUBMISSIONS_H
#define LVHCMON_QUERIES_SUBMISSIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db_conn.h"

/** Where a page starts: after the row with these keys (all 0: from the newest). */
typedef struct {
    int64_t received_us; /* received_at in microseconds since the epoch */
    int kind;            /* 1 a stored submission, 0 a file rejected whole */
    int64_t id;          /* submission.id or ingest_attempt.id */
} sbq_cursor;

/** One row of the list. The strings point into the page's rows; "" stands for none. */
typedef struct {
    sbq_cursor key;
    const char *reference;
    const char *source; /* json, csv, aw319 */
    const char *received_at;
    /* a stored submission (key.kind 1) */
    int lines, accepted, rejected, credited, late;
    int64_t amount_cents;
    const char *months; /* a text[] literal of its service months: "{2026-09,2026-10}" */
    /* a file rejected whole (key.kind 0) */
    const char *error_code;
    const char *error_message;
    const char *error_field;
} sbq_row;

/** A page of rows; owns the result its strings point into. */
typedef struct {
    sbq_row *rows;
    size_t n;
    void *result; /* private */
} sbq_page;

/** Releases what @a page holds and zeroes it. */
void sbq_page_clear(sbq_page *page);

/**
 * Up to @a limit submissions of provider @a agb older than @a after: those with a line
 * whose date_from lies in @a year, and its files rejected whole that were received in
 * @a year (Amsterdam time).
 * @param after NULL: from the newest
 * @param out receives the page (sbq_page_clear()) on DB_OK
 */
db_status sbq_list(db_conn *db, const char *agb, int year, const sbq_cursor *after, int limit,
                   sbq_page *out);

#endif
