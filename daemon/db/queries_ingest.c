/*
 * queries_ingest.c: the SQL of the ingest path, as the named statements of the "ingest" area
 * (db_statement.h) with typed parameters only. The line rows go in through COPY FROM STDIN
 * in text format (db_copy.h), every text field escaped by copy_buffer.
 */
#include "db/queries_ingest.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_batch.h"
#include "db/db_internal.h"
#include "db/db_result.h"
#include "db/db_statement.h"
#include "db/pg_array.h"

/* What validation needs of an earlier line (validate.h: prior_line), selected twice below. */
#define PRIOR_COLUMNS                                                                              \
    "l.line_ref, l.debit_credit, l.status = 'credited' AS credited,"                               \
    " coalesce(l.client_hash, '') AS client_hash, coalesce(l.prestatie, '') AS prestatie,"         \
    " l.date_from - DATE '1970-01-01' AS date_from, l.date_to - DATE '1970-01-01' AS date_to,"     \
    " coalesce(l.quantity, 0) AS quantity, l.amount_cents, l.travel_cents"

/* The columns of a line that ingest writes (ledger_rows.c writes them in this order). */
#define COPY_COLUMNS                                                                               \
    "submission_id, line_no, provider_agb, line_ref, client_hash, prestatie, target_group,"        \
    " zorgkantoor, date_from, date_to, service_month, quantity, minutes, travel_cents,"            \
    " debit_credit, corrects_ref, tariff_cents, rate_bp, amount_cents, declared_cents, accepted,"  \
    " late, codes, reason, error_field"

const db_statement db_queries_ingest[] = {
    /* The documents are kept as text (sql/0013_submission_documents_text.sql) and read back
     * as json: a replay or a 409 parses them anyway, and they are rare. */
    {"ingest_find_submission",
     "SELECT id, coalesce(xact_id::text::bigint, 0) AS xact_id, content_sha256,"
     "       canonical::json AS canonical, response::json AS response FROM submission"
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
     * element at a time, which for a thousand references cost more than running it. The
     * month is compared as "service_month + 0", which no index can serve: the lookup then
     * has only declaration_line_overlap to go by (provider, client, prestatie; the month
     * filters the few lines left). Compared plainly, a plan cached while the table was
     * young (statistics of a few thousand lines, a bulk import growing it a hundredfold
     * before autovacuum analyses it again) could take declaration_line_provider_month and
     * read every line of the provider's month for each key: 250 ms instead of 3 for a
     * 1,000-line submission, seen in bench/ingest_bench.sh. */
    {"ingest_prior_lines",
     "SELECT " PRIOR_COLUMNS "  FROM unnest($2::text[]) AS r(line_ref)"
     "  JOIN declaration_line_status l"
     "    ON l.provider_agb = $1 AND l.accepted AND l.line_ref = r.line_ref"
     " UNION "
     "SELECT " PRIOR_COLUMNS
     "  FROM unnest($3::text[], $4::text[], $5::date[]) AS k(client_hash, prestatie, month)"
     "  JOIN declaration_line_status l"
     "    ON l.provider_agb = $1 AND l.accepted AND l.client_hash = k.client_hash"
     "   AND l.prestatie = k.prestatie AND l.service_month + 0 = k.month",
     5},
    {"ingest_next_submission_id",
     "SELECT nextval(pg_get_serial_sequence('submission', 'id')) AS id,"
     "       pg_current_xact_id()::text::bigint AS xact_id",
     0},
    /* The row and the notification of its commit in one statement (a NOTIFY is delivered
     * at commit, whenever in the transaction it was queued). */
    {"ingest_insert_submission",
     "WITH s AS ("
     " INSERT INTO submission (id, provider_agb, reference, source, zorgkantoor, content_sha256,"
     "                         canonical, response, accepted, rejected, amount_cents, received_at)"
     " VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8, $9, $10, $11,"
     "         coalesce($12::timestamptz, now()))"
     " RETURNING id)"
     "SELECT pg_notify('lvhcmon_ledger', id::text) AS notified FROM s",
     12},
    {"ingest_record_attempt",
     "INSERT INTO ingest_attempt (channel, provider_agb, reference, result, error_code,"
     "                            error_field, error_message, submission_id, line_count,"
     "                            body_hmac)"
     " VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8::bigint, 0), $9, $10)",
     10},
    /* COPY cannot be prepared: it is sent as text, with no parameters; the rows travel as
     * COPY data (iq_copy_lines()). A backfill names its received_at in every row. */
    {"ingest_copy_lines", "COPY declaration_line (" COPY_COLUMNS ") FROM STDIN", 0},
    {"ingest_copy_lines_received",
     "COPY declaration_line (" COPY_COLUMNS ", received_at) FROM STDIN", 0},
    DB_STATEMENT_END,
};

void iq_stored_clear(iq_stored_submission *s)
{
    json_decref(s->canonical);
    json_decref(s->response);
    memset(s, 0, sizeof *s);
}

void iq_start_clear(iq_start_result *r)
{
    iq_stored_clear(&r->stored);
    free(r->prior);
    memset(r, 0, sizeof *r);
}

/* The stored submission of a lookup (0 or 1 row). */
static db_status decode_stored(db_rows *rows, iq_start_result *out)
{
    iq_stored_submission *s = &out->stored;
    size_t n = db_rows_count(rows);
    if (n == 0)
        return DB_OK;
    db_result_spec spec[] = {
        db_rs_int64("id", &s->id),
        db_rs_int64("xact_id", &s->xact_id),
        db_rs_text("content_sha256", s->content_sha256, sizeof s->content_sha256),
        db_rs_json("canonical", &s->canonical),
        db_rs_json("response", &s->response),
        db_rs_end()};
    db_status st = db_rows_decode(rows, 0, spec);
    out->found = st == DB_OK;
    return st;
}

/* The prior lines (validate.h: prior_line), into a malloc'ed array. */
static db_status decode_prior(db_conn *conn, db_rows *rows, iq_start_result *out)
{
    size_t n = db_rows_count(rows);
    prior_line *lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        return db_fail_local(conn, "ingest_prior_lines", "out of memory");
    prior_line p;
    char dc[2];
    int64_t travel;
    db_result_spec spec[] = {db_rs_text("line_ref", p.line_ref, sizeof p.line_ref),
                             db_rs_text("debit_credit", dc, sizeof dc),
                             db_rs_bool("credited", &p.credited),
                             db_rs_text("client_hash", p.client_hash, sizeof p.client_hash),
                             db_rs_text("prestatie", p.prestatie, sizeof p.prestatie),
                             db_rs_nullable(db_rs_day("date_from", &p.date_from), NULL),
                             db_rs_nullable(db_rs_day("date_to", &p.date_to), NULL),
                             db_rs_int64("quantity", &p.quantity),
                             db_rs_int64("amount_cents", &p.amount_cents),
                             db_rs_int64("travel_cents", &travel),
                             db_rs_end()};
    db_status st = DB_OK;
    for (size_t r = 0; r < n && st == DB_OK; r++) {
        memset(&p, 0, sizeof p);
        st = db_rows_decode(rows, r, spec);
        p.debit_credit = dc[0];
        p.accepted = true;
        /* stored signed like the amount; prior_line wants a debit's travel as positive */
        p.travel_cents = travel < 0 ? -travel : travel;
        lines[r] = p;
    }
    if (st != DB_OK) {
        free(lines);
        return st;
    }
    out->prior = lines;
    out->n_prior = n;
    return DB_OK;
}

db_status iq_start(db_conn *conn, const decl_submission *sub,
                   const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1], db_overlap_fn overlap,
                   void *overlap_cls, iq_start_result *out)
{
    memset(out, 0, sizeof *out);
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
    db_status st;
    enum { BEGIN, LOCK, FIND, PRIOR, NEXT_ID, N_ITEMS };
    db_rows *rows[N_ITEMS] = {NULL};
    if (!built) {
        st = db_fail_local(conn, "ingest_prior_lines", "out of memory");
    } else {
        const char *agb[1] = {sub->provider_agb};
        const char *identity[2] = {sub->provider_agb, sub->reference};
        const char *prior[5] = {sub->provider_agb, refs.text, key_clients.text, key_prestaties.text,
                                key_dates.text};
        const db_batch_item items[N_ITEMS] = {
            [BEGIN] = {NULL, NULL, "BEGIN"},
            [LOCK] = {"ingest_lock_provider", agb, NULL},
            [FIND] = {"ingest_find_submission", identity, NULL},
            [PRIOR] = {"ingest_prior_lines", prior, NULL},
            [NEXT_ID] = {"ingest_next_submission_id", NULL, NULL}};
        st = db_batch_run_overlapped(conn, items, N_ITEMS, rows, overlap, overlap_cls);
    }
    for (size_t a = 0; a < 4; a++)
        pg_array_release(arrays[a]);
    if (st == DB_OK)
        st = decode_stored(rows[FIND], out);
    if (st == DB_OK)
        st = decode_prior(conn, rows[PRIOR], out);
    if (st == DB_OK) {
        db_result_spec spec[] = {db_rs_int64("id", &out->id), db_rs_int64("xact_id", &out->xact_id),
                                 db_rs_end()};
        st = db_rows_count(rows[NEXT_ID]) == 1
                 ? db_rows_decode(rows[NEXT_ID], 0, spec)
                 : db_fail_local(conn, "ingest_next_submission_id", "no row");
    }
    for (size_t i = 0; i < N_ITEMS; i++)
        db_rows_free(rows[i]);
    if (st != DB_OK)
        iq_start_clear(out);
    return st;
}

static const char *source_name(decl_source s)
{
    return s == DECL_SOURCE_CSV ? "csv" : s == DECL_SOURCE_AW319 ? "aw319" : "json";
}

db_status iq_insert_submission(db_conn *conn, int64_t id, const decl_submission *sub,
                               const char *content_sha256, const char *canonical_json,
                               const char *response_json, int accepted, int rejected,
                               int64_t amount_cents, const char *received_at)
{
    char id_s[24], acc_s[16], rej_s[16], amt_s[24];
    snprintf(id_s, sizeof id_s, "%" PRId64, id);
    snprintf(acc_s, sizeof acc_s, "%d", accepted);
    snprintf(rej_s, sizeof rej_s, "%d", rejected);
    snprintf(amt_s, sizeof amt_s, "%" PRId64, amount_cents);
    const char *v[12] = {id_s,
                         sub->provider_agb,
                         sub->reference,
                         source_name(sub->source),
                         sub->zorgkantoor,
                         content_sha256,
                         canonical_json,
                         response_json,
                         acc_s,
                         rej_s,
                         amt_s,
                         received_at};
    return db_command(conn, "ingest_insert_submission", v);
}

db_status iq_copy_lines(db_conn *conn, size_t n_lines, bool with_received_at,
                        db_copy_row_fn write_line, void *cls)
{
    return db_copy_in(conn, with_received_at ? "ingest_copy_lines_received" : "ingest_copy_lines",
                      n_lines, write_line, cls);
}

db_status iq_record_attempt(db_conn *conn, const iq_attempt *a)
{
    char sid[24], count[16];
    snprintf(sid, sizeof sid, "%" PRId64, a->submission_id);
    snprintf(count, sizeof count, "%d", a->line_count);
    const char *v[10] = {a->channel,     a->provider_agb,  a->reference, a->result, a->error_code,
                         a->error_field, a->error_message, sid,          count,     a->body_hmac};
    return db_command(conn, "ingest_record_attempt", v);
}
