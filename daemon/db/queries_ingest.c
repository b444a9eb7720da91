/*
 * queries_ingest.c: the SQL of the ingest path, as the named statements of the "ingest" area
 * (db_statement.h) with typed parameters only. The line rows go in through COPY FROM STDIN
 * in text format, every text field escaped by copy_buffer.
 */
#include "queries_ingest.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_statement.h"
#include "db/pg_array.h"
#include "ingest/copy_buffer.h"
#include "ingest/response.h"
#include "log.h"

const db_statement db_queries_ingest[] = {
    {"ingest_find_submission",
     "SELECT id, content_sha256, canonical::text, response::text FROM submission"
     " WHERE provider_agb = $1 AND reference = $2",
     2},
    {"ingest_lock_provider",
     "SELECT pg_advisory_xact_lock(hashtextextended('lvhcmon.provider.' || $1, 0))", 1},
    /* The provider's accepted lines this submission can meet (validate.h): those holding
     * one of its line references or the reference a credit names (8021, 8017/8084/9111),
     * and those of the client, prestatie and service month of one of its debits, whose
     * periods may overlap it (0587; a line covers one month). Two index scans joined by
     * UNION (a line may match both). The earlier "client_hash = ANY(...)" returned every
     * earlier line of the same clients, thousands of rows for a large submission of
     * returning clients; the service keys return the few real candidates through
     * declaration_line_overlap (sql/0004_overlap_index.sql). Both lists are joined as
     * unnest() rather than tested with "= ANY(array)": the planner estimates an ANY one
     * element at a time, which for a thousand references cost more than running it. */
    {"ingest_prior_lines",
     "SELECT l.line_ref, l.debit_credit, l.status = 'credited', coalesce(l.client_hash, ''),"
     "       coalesce(l.prestatie, ''), l.date_from - DATE '1970-01-01',"
     "       l.date_to - DATE '1970-01-01', coalesce(l.quantity, 0), l.amount_cents,"
     "       l.travel_cents"
     "  FROM unnest($2::text[]) AS r(line_ref)"
     "  JOIN declaration_line_status l"
     "    ON l.provider_agb = $1 AND l.accepted AND l.line_ref = r.line_ref"
     " UNION "
     "SELECT l.line_ref, l.debit_credit, l.status = 'credited', coalesce(l.client_hash, ''),"
     "       coalesce(l.prestatie, ''), l.date_from - DATE '1970-01-01',"
     "       l.date_to - DATE '1970-01-01', coalesce(l.quantity, 0), l.amount_cents,"
     "       l.travel_cents"
     "  FROM unnest($3::text[], $4::text[], $5::date[]) AS k(client_hash, prestatie, month)"
     "  JOIN declaration_line_status l"
     "    ON l.provider_agb = $1 AND l.accepted AND l.client_hash = k.client_hash"
     "   AND l.prestatie = k.prestatie AND l.service_month = k.month",
     5},
    {"ingest_next_submission_id", "SELECT nextval(pg_get_serial_sequence('submission', 'id'))", 0},
    {"ingest_insert_submission",
     "INSERT INTO submission (id, provider_agb, reference, source, zorgkantoor, content_sha256,"
     "                        canonical, response, accepted, rejected, amount_cents)"
     " VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7::json, $8::json, $9, $10, $11)",
     11},
    {"ingest_record_attempt",
     "INSERT INTO ingest_attempt (channel, provider_agb, reference, result, error_code,"
     "                            error_field, error_message, submission_id, line_count,"
     "                            body_sha256)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8::bigint, 0), $9, $10)",
     10},
    {"ingest_notify", "SELECT pg_notify('lvhcmon_ledger', $1)", 1},
    DB_STATEMENT_END,
};

/* COPY cannot be prepared, so it is the one statement of this area sent as text (it has
 * no parameters; the rows travel as COPY data). */
static const char SQL_COPY_LINES[] =
    "COPY declaration_line (submission_id, line_no, provider_agb, line_ref, client_hash,"
    " prestatie, target_group, zorgkantoor, date_from, date_to, service_month, quantity,"
    " minutes, travel_cents, debit_credit, corrects_ref, tariff_cents, rate_bp, amount_cents,"
    " declared_cents, accepted, late, codes, reason, error_field) FROM STDIN";

iq_status iq_classify_failure(db_conn *conn, const PGresult *res)
{
    if (db_conn_is_bad(conn))
        return IQ_UNAVAILABLE;
    const char *state = res ? db_result_sqlstate(res) : "";
    if (strcmp(state, "23505") == 0)
        return IQ_UNIQUE_VIOLATION;
    /* Class 08 (connection exception), 57P01..57P03 (admin shutdown, cannot connect now). */
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P", 3) == 0)
        return IQ_UNAVAILABLE;
    return IQ_ERROR;
}

/* Runs one named statement; logs and classifies a failure. *out receives the result on
 * success (the caller PQclear()s it) or is left NULL. */
static iq_status run(db_conn *conn, const char *name, const char *const *v, PGresult **out)
{
    if (out)
        *out = NULL;
    PGresult *res = db_exec(conn, name, v);
    if (db_result_ok(res)) {
        if (out)
            *out = res;
        else
            PQclear(res);
        return IQ_OK;
    }
    iq_status st = iq_classify_failure(conn, res);
    if (st != IQ_UNIQUE_VIOLATION)
        log_error("database statement failed", "{s:s, s:s}", "statement", name, "error",
                  db_conn_error(conn));
    PQclear(res);
    return st;
}

iq_status iq_begin(db_conn *conn)
{
    return db_begin(conn) ? IQ_OK : iq_classify_failure(conn, NULL);
}

iq_status iq_commit(db_conn *conn)
{
    return db_commit(conn) ? IQ_OK : iq_classify_failure(conn, NULL);
}

void iq_rollback(db_conn *conn)
{
    db_rollback(conn);
}

void iq_stored_clear(iq_stored_submission *s)
{
    json_decref(s->canonical);
    json_decref(s->response);
    memset(s, 0, sizeof *s);
}

iq_status iq_lock_provider(db_conn *conn, const char *agb)
{
    const char *v[1] = {agb};
    return run(conn, "ingest_lock_provider", v, NULL);
}

iq_status iq_find_submission(db_conn *conn, const char *agb, const char *reference,
                             iq_stored_submission *out)
{
    const char *v[2] = {agb, reference};
    PGresult *res;
    memset(out, 0, sizeof *out);
    iq_status st = run(conn, "ingest_find_submission", v, &res);
    if (st != IQ_OK)
        return st;
    if (PQntuples(res) == 0) {
        PQclear(res);
        return IQ_NOT_FOUND;
    }
    out->id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    snprintf(out->content_sha256, sizeof out->content_sha256, "%s", PQgetvalue(res, 0, 1));
    out->canonical = json_loads(PQgetvalue(res, 0, 2), 0, NULL);
    out->response = json_loads(PQgetvalue(res, 0, 3), 0, NULL);
    PQclear(res);
    if (!out->canonical || !out->response) {
        iq_stored_clear(out);
        return IQ_ERROR;
    }
    return IQ_OK;
}

static lv_date day_number(const char *text)
{
    return (lv_date)strtol(text, NULL, 10);
}

iq_status iq_load_prior_lines(db_conn *conn, const decl_submission *sub,
                              const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1],
                              prior_line **out, size_t *n_out)
{
    *out = NULL;
    *n_out = 0;
    /* refs: every line reference and every reference a credit names; keys: the service of
     * every debit that can reach the duplicate check (a hash, a prestatie, the first day of
     * the month of its period). */
    pg_array refs, key_clients, key_prestaties, key_dates;
    pg_array *arrays[] = {&refs, &key_clients, &key_prestaties, &key_dates};
    for (size_t a = 0; a < 4; a++)
        pg_array_init(arrays[a]);
    for (size_t i = 0; i < sub->n_lines; i++) {
        const decl_line *l = &sub->lines[i];
        if (l->line_ref[0])
            pg_array_add(&refs, l->line_ref);
        if (l->corrects_ref[0])
            pg_array_add(&refs, l->corrects_ref);
        if (l->debit_credit == 'D' && client_hashes[i][0] && l->prestatie[0] &&
            l->date_from != LV_DATE_NONE) {
            char iso[11];
            lv_date_format_iso(lv_date_month_start(l->date_from), iso);
            pg_array_add(&key_clients, client_hashes[i]);
            pg_array_add(&key_prestaties, l->prestatie);
            pg_array_add(&key_dates, iso);
        }
    }
    bool built = true;
    for (size_t a = 0; a < 4; a++)
        built = pg_array_finish(arrays[a]) && built;
    if (!built) {
        for (size_t a = 0; a < 4; a++)
            pg_array_release(arrays[a]);
        return IQ_ERROR;
    }
    const char *v[5] = {sub->provider_agb, refs.text, key_clients.text, key_prestaties.text,
                        key_dates.text};
    PGresult *res;
    iq_status st = run(conn, "ingest_prior_lines", v, &res);
    for (size_t a = 0; a < 4; a++)
        pg_array_release(arrays[a]);
    if (st != IQ_OK)
        return st;
    int rows = PQntuples(res);
    prior_line *lines = calloc(rows > 0 ? (size_t)rows : 1, sizeof *lines);
    if (!lines) {
        PQclear(res);
        return IQ_ERROR;
    }
    for (int r = 0; r < rows; r++) {
        prior_line *p = &lines[r];
        snprintf(p->line_ref, sizeof p->line_ref, "%s", PQgetvalue(res, r, 0));
        p->debit_credit = PQgetvalue(res, r, 1)[0];
        p->accepted = true;
        p->credited = PQgetvalue(res, r, 2)[0] == 't';
        snprintf(p->client_hash, sizeof p->client_hash, "%s", PQgetvalue(res, r, 3));
        snprintf(p->prestatie, sizeof p->prestatie, "%s", PQgetvalue(res, r, 4));
        p->date_from = PQgetisnull(res, r, 5) ? LV_DATE_NONE : day_number(PQgetvalue(res, r, 5));
        p->date_to = PQgetisnull(res, r, 6) ? LV_DATE_NONE : day_number(PQgetvalue(res, r, 6));
        p->quantity = strtoll(PQgetvalue(res, r, 7), NULL, 10);
        p->amount_cents = strtoll(PQgetvalue(res, r, 8), NULL, 10);
        /* stored signed like the amount; prior_line wants a debit's travel as positive */
        int64_t travel = strtoll(PQgetvalue(res, r, 9), NULL, 10);
        p->travel_cents = travel < 0 ? -travel : travel;
    }
    PQclear(res);
    *out = lines;
    *n_out = (size_t)rows;
    return IQ_OK;
}

iq_status iq_next_submission_id(db_conn *conn, int64_t *id)
{
    PGresult *res;
    iq_status st = run(conn, "ingest_next_submission_id", NULL, &res);
    if (st != IQ_OK)
        return st;
    *id = strtoll(PQgetvalue(res, 0, 0), NULL, 10);
    PQclear(res);
    return IQ_OK;
}

static const char *source_name(decl_source s)
{
    return s == DECL_SOURCE_CSV ? "csv" : s == DECL_SOURCE_AW319 ? "aw319" : "json";
}

iq_status iq_insert_submission(db_conn *conn, int64_t id, const decl_submission *sub,
                               const char *content_sha256, const char *canonical_json,
                               const char *response_json, int accepted, int rejected,
                               int64_t amount_cents)
{
    char id_s[24], acc_s[16], rej_s[16], amt_s[24];
    snprintf(id_s, sizeof id_s, "%" PRId64, id);
    snprintf(acc_s, sizeof acc_s, "%d", accepted);
    snprintf(rej_s, sizeof rej_s, "%d", rejected);
    snprintf(amt_s, sizeof amt_s, "%" PRId64, amount_cents);
    const char *v[11] = {id_s,
                         sub->provider_agb,
                         sub->reference,
                         source_name(sub->source),
                         sub->zorgkantoor,
                         content_sha256,
                         canonical_json,
                         response_json,
                         acc_s,
                         rej_s,
                         amt_s};
    return run(conn, "ingest_insert_submission", v, NULL);
}

static void put_date(copy_buffer *b, lv_date d)
{
    if (d == LV_DATE_NONE) {
        copy_buffer_null(b);
        return;
    }
    char iso[11];
    lv_date_format_iso(d, iso);
    copy_buffer_raw(b, iso);
}

static void put_codes(copy_buffer *b, const line_result *r)
{
    char arr[8 * VALIDATE_MAX_CODES + 4];
    size_t used = 0;
    arr[used++] = '{';
    for (size_t k = 0; k < r->n_codes; k++) {
        int w = snprintf(arr + used, sizeof arr - used, "%s%s", k ? "," : "",
                         lv_code_get(r->codes[k])->id);
        if (w < 0 || (size_t)w >= sizeof arr - used)
            break;
        used += (size_t)w;
    }
    snprintf(arr + used, sizeof arr - used, "}");
    copy_buffer_raw(b, arr);
}

/* The quantity kept: effective minutes (time) or units (travel) for accepted lines, the
 * declared quantity otherwise. */
static int64_t stored_quantity(const decl_line *l, const line_result *r)
{
    if (r->accepted)
        return r->quantity;
    return l->time_unit[0] != '\0' ? l->quantity_declared : l->quantity;
}

static void put_line(copy_buffer *b, const char *sid, const decl_submission *sub, size_t i,
                     const char *client_hash, const line_result *r, const char *zorgkantoor)
{
    const decl_line *l = &sub->lines[i];
    char dc[2] = {l->debit_credit, 0}, reason[512];
    copy_buffer_raw(b, sid);
    copy_buffer_int(b, (int64_t)i + 1);
    copy_buffer_text(b, sub->provider_agb);
    copy_buffer_text(b, l->line_ref);
    copy_buffer_text_or_null(b, client_hash);
    copy_buffer_text_or_null(b, l->prestatie);
    copy_buffer_text_or_null(b, r->target_group);
    copy_buffer_text_or_null(b, zorgkantoor);
    put_date(b, l->date_from);
    put_date(b, l->date_to);
    put_date(b, l->date_from == LV_DATE_NONE ? LV_DATE_NONE : lv_date_month_start(l->date_from));
    copy_buffer_int(b, stored_quantity(l, r));
    copy_buffer_int(b, r->minutes);
    copy_buffer_int(b, r->travel_cents);
    if (dc[0] == 'D' || dc[0] == 'C')
        copy_buffer_raw(b, dc);
    else
        copy_buffer_null(b);
    copy_buffer_text_or_null(b, l->corrects_ref);
    if (r->accepted) {
        copy_buffer_int(b, r->tariff_cents);
        copy_buffer_int(b, r->rate_bp);
    } else {
        copy_buffer_null(b);
        copy_buffer_null(b);
    }
    copy_buffer_int(b, r->amount_cents);
    if (l->has_declared_amount)
        copy_buffer_int(b, l->declared_cents);
    else
        copy_buffer_null(b);
    copy_buffer_bool(b, r->accepted);
    copy_buffer_bool(b, r->late);
    put_codes(b, r);
    response_line_reason(r, reason, sizeof reason);
    copy_buffer_text_or_null(b, reason);
    copy_buffer_text_or_null(b, r->field);
    copy_buffer_end_row(b);
}

/* Rows go to the server in chunks of about this size, so that it inserts the first rows
 * while the rest are still being written (a whole submission at once kept it idle). */
#define COPY_CHUNK_BYTES (32 * 1024)

/* Sends the buffer to an open COPY and empties it. */
static bool copy_flush(PGconn *pg, copy_buffer *b)
{
    if (b->len == 0)
        return true;
    if (PQputCopyData(pg, b->data, (int)b->len) != 1)
        return false;
    copy_buffer_clear(b);
    return true;
}

iq_status iq_copy_lines(db_conn *conn, int64_t submission_id, const decl_submission *sub,
                        const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1],
                        const line_result *results, const char *zorgkantoor)
{
    PGconn *pg = db_conn_pg(conn);
    PGresult *res = PQexecParams(pg, SQL_COPY_LINES, 0, NULL, NULL, NULL, NULL, 0);
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        iq_status st = iq_classify_failure(conn, res);
        log_error("database statement failed", "{s:s, s:s}", "statement", "copy_lines", "error",
                  PQresultErrorMessage(res));
        PQclear(res);
        return st;
    }
    PQclear(res);

    char sid[24];
    snprintf(sid, sizeof sid, "%" PRId64, submission_id);
    copy_buffer b;
    copy_buffer_init(&b);
    bool ok = true;
    for (size_t i = 0; i < sub->n_lines && ok; i++) {
        put_line(&b, sid, sub, i, client_hashes[i], &results[i], zorgkantoor);
        if (b.failed)
            ok = false;
        else if (b.len >= COPY_CHUNK_BYTES)
            ok = copy_flush(pg, &b);
    }
    ok = ok && copy_flush(pg, &b);
    copy_buffer_release(&b);
    if (PQputCopyEnd(pg, ok ? NULL : "lvhcmon: could not build the line rows") != 1)
        return iq_classify_failure(conn, NULL);

    iq_status st = IQ_OK;
    while ((res = PQgetResult(pg)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK) {
            st = iq_classify_failure(conn, res);
            if (st != IQ_UNIQUE_VIOLATION)
                log_error("database statement failed", "{s:s, s:s}", "statement", "copy_lines",
                          "error", PQresultErrorMessage(res));
        }
        PQclear(res);
    }
    if (!ok && st == IQ_OK)
        st = IQ_ERROR;
    return st;
}

iq_status iq_record_attempt(db_conn *conn, const iq_attempt *a)
{
    char sid[24], count[16];
    snprintf(sid, sizeof sid, "%" PRId64, a->submission_id);
    snprintf(count, sizeof count, "%d", a->line_count);
    const char *v[10] = {a->channel,     a->provider_agb,  a->reference, a->result, a->error_code,
                         a->error_field, a->error_message, sid,          count,     a->body_sha256};
    return run(conn, "ingest_record_attempt", v, NULL);
}

iq_status iq_notify_committed(db_conn *conn, int64_t id)
{
    char sid[24];
    snprintf(sid, sizeof sid, "%" PRId64, id);
    const char *v[1] = {sid};
    return run(conn, "ingest_notify", v, NULL);
}
