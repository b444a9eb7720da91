/*
 * queries_export.c: the SQL of the CSV download of a provider's lines (see
 * queries_export.h). The lines are found by the index on (provider_agb, service_month),
 * the month of date_from; the page is cut by a keyset on (received, submission, line).
 */
#include "db/queries_export.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"

#define US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"

const db_statement db_queries_export[] = {
    /* $1 agb, $2 year, $3..$5 the cursor, $6 limit */
    {"export_lines",
     "SELECT " US(
         "s.received_at") " AS received_us, s.id AS submission_id, l.line_no,"
                          "       to_char(s.received_at AT TIME ZONE 'Europe/Amsterdam', "
                          "'YYYY-MM-DD HH24:MI')"
                          "         AS received,"
                          "       s.reference, l.line_ref, coalesce(l.prestatie, '') AS prestatie,"
                          "       coalesce(l.target_group, '') AS target_group,"
                          "       coalesce(to_char(l.date_from, 'YYYY-MM-DD'), '') AS date_from,"
                          "       coalesce(to_char(l.date_to, 'YYYY-MM-DD'), '') AS date_to, "
                          "l.minutes,"
                          "       l.travel_cents, l.amount_cents, coalesce(l.debit_credit, '') AS "
                          "debit_credit,"
                          "       l.status, l.codes::text AS codes, coalesce(l.reason, '') AS "
                          "reason, l.late"
                          "  FROM declaration_line_status l JOIN submission s ON s.id = "
                          "l.submission_id"
                          " WHERE l.provider_agb = $1"
                          "   AND l.service_month >= make_date($2::int, 1, 1)"
                          "   AND l.service_month < make_date($2::int + 1, 1, 1)"
                          "   AND (" US("s.received_at") ", s.id, l.line_no) > ($3::bigint, "
                                                         "$4::bigint, $5::int)"
                                                         " ORDER BY s.received_at, s.id, l.line_no "
                                                         "LIMIT $6::int",
     6},
    DB_STATEMENT_END,
};

void xq_page_clear(xq_page *page)
{
    free(page->lines);
    db_rows_free(page->rows);
    memset(page, 0, sizeof *page);
}

db_status xq_lines(db_conn *db, const char *agb, int year, const xq_cursor *after, int limit,
                   xq_page *out)
{
    memset(out, 0, sizeof *out);
    char y[16], us[24], sid[24], line[16], lim[16];
    snprintf(y, sizeof y, "%d", year);
    snprintf(us, sizeof us, "%" PRId64, after->received_us);
    snprintf(sid, sizeof sid, "%" PRId64, after->submission_id);
    snprintf(line, sizeof line, "%d", after->line_no);
    snprintf(lim, sizeof lim, "%d", limit);
    const char *params[] = {agb, y, us, sid, line, lim};
    db_rows *rows;
    db_status st = db_query(db, "export_lines", params, &rows);
    if (st != DB_OK)
        return st;
    xq_line l = {0};
    db_result_spec spec[] = {db_rs_int64("received_us", &l.key.received_us),
                             db_rs_int64("submission_id", &l.key.submission_id),
                             db_rs_int("line_no", &l.key.line_no),
                             db_rs_text_ref("received", &l.received),
                             db_rs_text_ref("reference", &l.reference),
                             db_rs_text_ref("line_ref", &l.line_ref),
                             db_rs_text_ref("prestatie", &l.prestatie),
                             db_rs_text_ref("target_group", &l.target_group),
                             db_rs_text_ref("date_from", &l.date_from),
                             db_rs_text_ref("date_to", &l.date_to),
                             db_rs_int64("minutes", &l.minutes),
                             db_rs_int64("travel_cents", &l.travel_cents),
                             db_rs_int64("amount_cents", &l.amount_cents),
                             db_rs_text_ref("debit_credit", &l.debit_credit),
                             db_rs_text_ref("status", &l.status),
                             db_rs_text_ref("codes", &l.codes),
                             db_rs_text_ref("reason", &l.reason),
                             db_rs_bool("late", &l.late),
                             db_rs_end()};
    void *lines;
    st = db_rows_collect(rows, spec, &l, sizeof l, &lines);
    if (st != DB_OK) {
        db_rows_free(rows);
        return st;
    }
    out->lines = lines;
    out->n = db_rows_count(rows);
    out->rows = rows;
    return DB_OK;
}
