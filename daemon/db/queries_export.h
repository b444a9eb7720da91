/*
 * queries_export.h: a provider's lines of one year for the CSV download
 * (GET /api/v1/providers/{agb}/declarations.csv), a page at a time in (received,
 * submission, line) order, so that the download is written while it is read and never
 * held whole in memory. No BSN and no client hash is selected.
 */
#ifndef LVHCMON_QUERIES_EXPORT_H
#define LVHCMON_QUERIES_EXPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/db_conn.h"

/** Where a page starts: after this line (all 0: from the first). */
typedef struct {
    int64_t received_us; /* the submission's received_at in microseconds since the epoch */
    int64_t submission_id;
    int line_no;
} xq_cursor;

/** One line. The strings point into the page's rows; "" stands for none. */
typedef struct {
    xq_cursor key;
    const char *received; /* "YYYY-MM-DD HH:MM", Amsterdam time */
    const char *reference;
    const char *line_ref;
    const char *prestatie;
    const char *target_group;
    const char *date_from; /* YYYY-MM-DD */
    const char *date_to;
    int64_t minutes;
    int64_t travel_cents;
    int64_t amount_cents;
    const char *debit_credit;
    const char *status; /* accepted, rejected, credited */
    const char *codes;  /* a text[] literal: "{0435,0586}" */
    const char *reason;
    bool late;
} xq_line;

/** A page of lines; owns the rows its strings point into. */
typedef struct {
    xq_line *lines;
    size_t n;
    void *rows; /* private */
} xq_page;

/** Releases what @a page holds and zeroes it. */
void xq_page_clear(xq_page *page);

/**
 * Up to @a limit lines of provider @a agb whose date_from lies in @a year, after @a after.
 * @param out receives the page (xq_page_clear()) on DB_OK
 */
db_status xq_lines(db_conn *db, const char *agb, int year, const xq_cursor *after, int limit,
                   xq_page *out);

#endif
