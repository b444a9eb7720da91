/*
 * queries_submissions.c: the SQL of a provider's submission list (see queries_submissions.h).
 *
 * One statement: the keys of the page (submissions and rejected files, newest first), then
 * the columns of each kind joined to them, and the line counts of the page's submissions
 * only (declaration_line_status, read by its (submission_id, line_no) key).
 */
#include "db/queries_submissions.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"

#define US(col) "(extract(epoch FROM " col ") * 1000000)::bigint"
#define ISO(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"

const db_statement db_queries_submissions[] = {
    /* $1 agb, $2 year, $3..$5 the cursor (received_us, kind, id; $3 = 0: none), $6 limit */
    {"submissions_list",
     "WITH keys AS ("
     "  SELECT 1 AS kind, s.id, s.received_at FROM submission s"
     "   WHERE s.provider_agb = $1"
     "     AND EXISTS (SELECT 1 FROM declaration_line l WHERE l.provider_agb = $1"
     "                    AND l.submission_id = s.id"
     "                    AND l.date_from >= make_date($2::int, 1, 1)"
     "                    AND l.date_from < make_date($2::int + 1, 1, 1))"
     "  UNION ALL"
     "  SELECT 0, a.id, a.received_at FROM ingest_attempt a"
     "   WHERE a.provider_agb = $1 AND a.result = 'rejected' AND a.submission_id IS NULL"
     "     AND a.received_at >= make_timestamptz($2::int, 1, 1, 0, 0, 0, 'Europe/Amsterdam')"
     "     AND a.received_at < make_timestamptz($2::int + 1, 1, 1, 0, 0, 0, 'Europe/Amsterdam')"
     "), page AS ("
     "  SELECT kind, id, received_at, " US(
         "received_at") " AS received_us FROM keys"
                        "   WHERE $3::bigint = 0"
                        "      OR (" US(
                            "received_at") ", kind, id) < ($3::bigint, $4::int, $5::bigint)"
                                           "   ORDER BY received_at DESC, kind DESC, id DESC LIMIT "
                                           "$6::int"
                                           ")"
                                           "SELECT p.kind, p.id, p.received_us, " ISO(
                                               "p.received_at") " AS received_at,"
                                                                "       coalesce(s.reference, "
                                                                "a.reference, '') AS reference,"
                                                                "       coalesce(s.source, CASE "
                                                                "WHEN a.channel LIKE '%aw319' THEN "
                                                                "'aw319'"
                                                                "                               "
                                                                "WHEN a.channel LIKE '%csv' THEN "
                                                                "'csv' ELSE 'json' END)"
                                                                "         AS source,"
                                                                "       coalesce(c.lines, 0) AS "
                                                                "lines, coalesce(c.accepted, 0) AS "
                                                                "accepted,"
                                                                "       coalesce(c.rejected, 0) AS "
                                                                "rejected, coalesce(c.credited, 0) "
                                                                "AS credited,"
                                                                "       coalesce(c.late, 0) AS "
                                                                "late, coalesce(s.amount_cents, 0) "
                                                                "AS amount_cents,"
                                                                "       coalesce(c.months, "
                                                                "'{}')::text AS months,"
                                                                "       coalesce(a.error_code, '') "
                                                                "AS error_code,"
                                                                "       coalesce(a.error_message, "
                                                                "'') AS error_message,"
                                                                "       coalesce(a.error_field, "
                                                                "'') AS error_field"
                                                                "  FROM page p"
                                                                "  LEFT JOIN submission s ON "
                                                                "p.kind = 1 AND s.id = p.id"
                                                                "  LEFT JOIN ingest_attempt a ON "
                                                                "p.kind = 0 AND a.id = p.id"
                                                                "  LEFT JOIN LATERAL ("
                                                                "    SELECT count(*)::int AS lines,"
                                                                "           count(*) FILTER (WHERE "
                                                                "l.status = 'accepted')::int AS "
                                                                "accepted,"
                                                                "           count(*) FILTER (WHERE "
                                                                "l.status = 'rejected')::int AS "
                                                                "rejected,"
                                                                "           count(*) FILTER (WHERE "
                                                                "l.status = 'credited')::int AS "
                                                                "credited,"
                                                                "           count(*) FILTER (WHERE "
                                                                "l.late)::int AS late,"
                                                                "           array_agg(DISTINCT "
                                                                "to_char(l.service_month, "
                                                                "'YYYY-MM'))"
                                                                "             FILTER (WHERE "
                                                                "l.service_month IS NOT NULL) AS "
                                                                "months"
                                                                "      FROM "
                                                                "declaration_line_status l WHERE "
                                                                "l.submission_id = s.id) c ON "
                                                                "p.kind = 1"
                                                                " ORDER BY p.received_at DESC, "
                                                                "p.kind DESC, p.id DESC",
     6},
    DB_STATEMENT_END,
};

void sbq_page_clear(sbq_page *page)
{
    free(page->rows);
    db_rows_free(page->result);
    memset(page, 0, sizeof *page);
}

db_status sbq_list(db_conn *db, const char *agb, int year, const sbq_cursor *after, int limit,
                   sbq_page *out)
{
    memset(out, 0, sizeof *out);
    char y[16], us[24], kind[8], id[24], lim[16];
    snprintf(y, sizeof y, "%d", year);
    snprintf(us, sizeof us, "%" PRId64, after ? after->received_us : 0);
    snprintf(kind, sizeof kind, "%d", after ? after->kind : 0);
    snprintf(id, sizeof id, "%" PRId64, after ? after->id : 0);
    snprintf(lim, sizeof lim, "%d", limit);
    const char *params[] = {agb, y, us, kind, id, lim};
    db_rows *rows;
    db_status st = db_query(db, "submissions_list", params, &rows);
    if (st != DB_OK)
        return st;
    sbq_row r = {0};
    db_result_spec spec[] = {db_rs_int("kind", &r.key.kind),
                             db_rs_int64("id", &r.key.id),
                             db_rs_int64("received_us", &r.key.received_us),
                             db_rs_text_ref("received_at", &r.received_at),
                             db_rs_text_ref("reference", &r.reference),
                             db_rs_text_ref("source", &r.source),
                             db_rs_int("lines", &r.lines),
                             db_rs_int("accepted", &r.accepted),
                             db_rs_int("rejected", &r.rejected),
                             db_rs_int("credited", &r.credited),
                             db_rs_int("late", &r.late),
                             db_rs_int64("amount_cents", &r.amount_cents),
                             db_rs_text_ref("months", &r.months),
                             db_rs_text_ref("error_code", &r.error_code),
                             db_rs_text_ref("error_message", &r.error_message),
                             db_rs_text_ref("error_field", &r.error_field),
                             db_rs_end()};
    void *items;
    st = db_rows_collect(rows, spec, &r, sizeof r, &items);
    if (st != DB_OK) {
        db_rows_free(rows);
        return st;
    }
    out->rows = items;
    out->n = db_rows_count(rows);
    out->result = rows;
    return DB_OK;
}
