/*
 * queries_declarations.c: the SQL of the declaration read endpoints, and the one function
 * that turns a line row into its JSON form (shared by both listings, which select the same
 * columns in the same order).
 */
#include "db/queries_declarations.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_statement.h"

#define LINE_COLUMNS                                                                               \
    "l.id, l.submission_id, s.reference, l.line_no, l.line_ref, l.status, l.codes::text,"          \
    " coalesce(l.reason, ''), coalesce(l.error_field, ''), l.amount_cents, l.late,"                \
    " coalesce(l.prestatie, ''), coalesce(l.target_group, ''),"                                    \
    " coalesce(to_char(l.date_from, 'YYYY-MM-DD'), ''),"                                           \
    " coalesce(to_char(l.date_to, 'YYYY-MM-DD'), ''), l.minutes, l.travel_cents,"                  \
    " coalesce(l.debit_credit, ''), coalesce(l.corrects_ref, ''), l.declared_cents"

const db_statement db_queries_declarations[] = {
    {"declarations_submission",
     "SELECT id, provider_agb, reference, source,"
     "       to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
     "       accepted, rejected, amount_cents"
     "  FROM submission WHERE id = $1",
     1},
    {"declarations_submission_lines",
     "SELECT " LINE_COLUMNS
     "  FROM declaration_line_status l JOIN submission s ON s.id = l.submission_id"
     " WHERE l.submission_id = $1 AND l.line_no > $2 ORDER BY l.line_no LIMIT $3",
     3},
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
    {"declarations_provider_exists", "SELECT 1 FROM provider WHERE agb = $1", 1},
    DB_STATEMENT_END,
};

static json_t *text_array_json(const char *pg_array)
{
    /* codes are digits or lower-case names, so the literal is {a,b} without quoting */
    json_t *arr = json_array();
    const char *p = pg_array;
    if (*p == '{')
        p++;
    while (*p && *p != '}') {
        size_t n = strcspn(p, ",}");
        json_array_append_new(arr, json_stringn(p, n));
        p += n;
        if (*p == ',')
            p++;
    }
    return arr;
}

static json_t *string_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

static json_t *line_json(const PGresult *res, int r)
{
#define V(c) PQgetvalue(res, r, (c))
    json_t *o = json_pack(
        "{s:I, s:I, s:s, s:i, s:s, s:s, s:o, s:I, s:b, s:o, s:o, s:o, s:o, s:I, s:I, s:o, s:o}",
        "id", (json_int_t)strtoll(V(0), NULL, 10), "submission_id",
        (json_int_t)strtoll(V(1), NULL, 10), "reference", V(2), "line_no", atoi(V(3)), "line_ref",
        V(4), "status", V(5), "codes", text_array_json(V(6)), "amount_cents",
        (json_int_t)strtoll(V(9), NULL, 10), "late", V(10)[0] == 't', "prestatie",
        string_or_null(V(11)), "target_group", string_or_null(V(12)), "date_from",
        string_or_null(V(13)), "date_to", string_or_null(V(14)), "minutes",
        (json_int_t)strtoll(V(15), NULL, 10), "travel_cents", (json_int_t)strtoll(V(16), NULL, 10),
        "debit_credit", string_or_null(V(17)), "corrects_ref", string_or_null(V(18)));
    if (o && V(7)[0])
        json_object_set_new(o, "reason", json_string(V(7)));
    if (o && V(8)[0])
        json_object_set_new(o, "field", json_string(V(8)));
    if (o && !PQgetisnull(res, r, 19))
        json_object_set_new(o, "declared_cents", json_integer(strtoll(V(19), NULL, 10)));
#undef V
    return o;
}

static dq_status lines_json(PGresult *res, json_t **out, int64_t *last)
{
    json_t *arr = json_array();
    for (int r = 0; arr && r < PQntuples(res); r++) {
        json_t *line = line_json(res, r);
        if (!line || json_array_append_new(arr, line) != 0) {
            json_decref(arr);
            arr = NULL;
            break;
        }
    }
    if (arr && PQntuples(res) > 0)
        *last = strtoll(PQgetvalue(res, PQntuples(res) - 1, 0), NULL, 10);
    PQclear(res);
    *out = arr;
    return arr ? DQ_OK : DQ_FAILED;
}

dq_status dq_submission(db_conn *db, int64_t id, json_t **out, char provider_agb[9])
{
    char ids[24];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    const char *v[1] = {ids};
    PGresult *res = db_exec(db, "declarations_submission", v);
    if (!db_result_ok(res)) {
        PQclear(res);
        return DQ_FAILED;
    }
    if (PQntuples(res) == 0) {
        PQclear(res);
        return DQ_NOT_FOUND;
    }
    snprintf(provider_agb, 9, "%s", PQgetvalue(res, 0, 1));
    *out =
        json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:I}", "id", (json_int_t)id, "provider_agb",
                  PQgetvalue(res, 0, 1), "reference", PQgetvalue(res, 0, 2), "source",
                  PQgetvalue(res, 0, 3), "received_at", PQgetvalue(res, 0, 4), "accepted",
                  atoi(PQgetvalue(res, 0, 5)), "rejected", atoi(PQgetvalue(res, 0, 6)),
                  "amount_cents", (json_int_t)strtoll(PQgetvalue(res, 0, 7), NULL, 10));
    PQclear(res);
    return *out ? DQ_OK : DQ_FAILED;
}

dq_status dq_submission_lines(db_conn *db, int64_t id, int64_t after, int limit, json_t **out,
                              int64_t *last)
{
    char ids[24], afters[24], limits[16];
    snprintf(ids, sizeof ids, "%" PRId64, id);
    snprintf(afters, sizeof afters, "%" PRId64, after);
    snprintf(limits, sizeof limits, "%d", limit);
    const char *v[3] = {ids, afters, limits};
    PGresult *res = db_exec(db, "declarations_submission_lines", v);
    if (!db_result_ok(res)) {
        PQclear(res);
        return DQ_FAILED;
    }
    /* Paging by line_no here: report the last line_no, not the line id. */
    dq_status st = lines_json(res, out, last);
    if (st == DQ_OK && json_array_size(*out) > 0)
        *last = json_integer_value(
            json_object_get(json_array_get(*out, json_array_size(*out) - 1), "line_no"));
    return st;
}

dq_status dq_provider_lines(db_conn *db, const dq_line_filter *f, json_t **out, int64_t *last)
{
    char year[16], month[16], after[24], limit[16];
    snprintf(year, sizeof year, "%d", f->year);
    snprintf(month, sizeof month, "%d", f->month);
    snprintf(after, sizeof after, "%" PRId64, f->after);
    snprintf(limit, sizeof limit, "%d", f->limit);
    const char *v[6] = {f->provider_agb, after, year, month, f->status ? f->status : "", limit};
    PGresult *res = db_exec(db, "declarations_provider_lines", v);
    if (!db_result_ok(res)) {
        PQclear(res);
        return DQ_FAILED;
    }
    return lines_json(res, out, last);
}

dq_status dq_provider_exists(db_conn *db, const char *agb)
{
    const char *v[1] = {agb};
    PGresult *res = db_exec(db, "declarations_provider_exists", v);
    dq_status st = !db_result_ok(res) ? DQ_FAILED : PQntuples(res) ? DQ_OK : DQ_NOT_FOUND;
    PQclear(res);
    return st;
}
