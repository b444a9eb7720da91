/*
 * queries_declarations.c: the SQL of the declaration read endpoints (see
 * queries_declarations.h). Both listings select LINE_COLUMNS and decode them with one spec.
 */
#include "db/queries_declarations.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"

#define LINE_COLUMNS                                                                               \
    "l.id, l.submission_id, s.reference, l.line_no, l.line_ref, l.status, l.codes::text AS codes," \
    " coalesce(l.reason, '') AS reason, coalesce(l.error_field, '') AS field, l.amount_cents,"     \
    " l.late, coalesce(l.prestatie, '') AS prestatie,"                                             \
    " coalesce(l.target_group, '') AS target_group,"                                               \
    " coalesce(to_char(l.date_from, 'YYYY-MM-DD'), '') AS date_from,"                              \
    " coalesce(to_char(l.date_to, 'YYYY-MM-DD'), '') AS date_to, l.minutes, l.travel_cents,"       \
    " coalesce(l.debit_credit, '') AS debit_credit,"                                               \
    " coalesce(l.corrects_ref, '') AS corrects_ref, l.declared_cents"

const db_statement db_queries_declarations[] = {
    {"declarations_submission",
     "SELECT id, provider_agb, reference, source,"
     "       to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
     "         AS received_at,"
     "       accepted, rejected, amount_cents"
     "  FROM submission WHERE id = $1",
     1},
    {"declarations_submission_lines",
     "SELECT " LINE_COLUMNS
     "  FROM declaration_line_status l JOIN submission s ON s.id = l.submission_id"
     " WHERE l.submission_id = $1 AND l.line_no > $2"
     "   AND ($4 = '' OR l.status = $4) AND ($5 = '' OR l.service_month = $5::date)"
     " ORDER BY l.line_no LIMIT $3",
     5},
    {"declarations_provider_lines",
     "SELECT " LINE_COLUMNS
     "  FROM declaration_line_status l JOIN submission s ON s.id = l.submission_id"
     " WHERE l.provider_agb = $1 AND l.id > $2"
     "   AND ($3::int = 0 OR l.service_month >= make_date($3::int, 1, 1)"
     "                    AND l.service_month < make_date($3::int + 1, 1, 1))"
     "   AND ($4::int = 0 OR extract(month FROM l.service_month) = $4::int)"
     "   AND ($5 = '' OR l.status = $5)"
     " ORDER BY l.id LIMIT $6",
     6},
    DB_STATEMENT_END,
};

void dq_line_page_clear(dq_line_page *page)
{
    free(page->lines);
    db_rows_free(page->rows);
    memset(page, 0, sizeof *page);
}

db_status dq_submission(db_conn *db, int64_t id, dq_submission_row *out)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    const char *params[] = {ids};
    db_result_spec spec[] = {
        db_rs_int64("id", &out->id),
        db_rs_text("provider_agb", out->provider_agb, sizeof out->provider_agb),
        db_rs_text("reference", out->reference, sizeof out->reference),
        db_rs_text("source", out->source, sizeof out->source),
        db_rs_text("received_at", out->received_at, sizeof out->received_at),
        db_rs_int("accepted", &out->accepted),
        db_rs_int("rejected", &out->rejected),
        db_rs_int64("amount_cents", &out->amount_cents),
        db_rs_end()};
    return db_query_one(db, "declarations_submission", params, spec);
}

/* Runs a listing and decodes every row into a page. */
static db_status lines_page(db_conn *db, const char *statement, const char *const *params,
                            dq_line_page *out)
{
    memset(out, 0, sizeof *out);
    db_rows *rows;
    db_status st = db_query(db, statement, params, &rows);
    if (st != DB_OK)
        return st;
    dq_line l = {0};
    db_result_spec spec[] = {
        db_rs_int64("id", &l.id),
        db_rs_int64("submission_id", &l.submission_id),
        db_rs_text_ref("reference", &l.reference),
        db_rs_int("line_no", &l.line_no),
        db_rs_text_ref("line_ref", &l.line_ref),
        db_rs_text_ref("status", &l.status),
        db_rs_text_ref("codes", &l.codes),
        db_rs_text_ref("reason", &l.reason),
        db_rs_text_ref("field", &l.field),
        db_rs_int64("amount_cents", &l.amount_cents),
        db_rs_bool("late", &l.late),
        db_rs_text_ref("prestatie", &l.prestatie),
        db_rs_text_ref("target_group", &l.target_group),
        db_rs_text_ref("date_from", &l.date_from),
        db_rs_text_ref("date_to", &l.date_to),
        db_rs_int64("minutes", &l.minutes),
        db_rs_int64("travel_cents", &l.travel_cents),
        db_rs_text_ref("debit_credit", &l.debit_credit),
        db_rs_text_ref("corrects_ref", &l.corrects_ref),
        db_rs_nullable(db_rs_int64("declared_cents", &l.declared_cents), &l.no_declared),
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

db_status dq_submission_lines(db_conn *db, int64_t id, const dq_submission_filter *f,
                              dq_line_page *out)
{
    char ids[24], afters[24], limits[16];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    snprintf(afters, sizeof afters, "%" PRId64, f->after);
    snprintf(limits, sizeof limits, "%d", f->limit);
    const char *params[] = {ids, afters, limits, f->status ? f->status : "",
                            f->month ? f->month : ""};
    return lines_page(db, "declarations_submission_lines", params, out);
}

db_status dq_provider_lines(db_conn *db, const dq_line_filter *f, dq_line_page *out)
{
    char year[16], month[16], after[24], limit[16];
    snprintf(year, sizeof year, "%d", f->year);
    snprintf(month, sizeof month, "%d", f->month);
    snprintf(after, sizeof after, "%" PRId64, f->after);
    snprintf(limit, sizeof limit, "%d", f->limit);
    const char *params[] = {f->provider_agb, after, year, month, f->status ? f->status : "", limit};
    return lines_page(db, "declarations_provider_lines", params, out);
}
