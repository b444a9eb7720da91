/*
 * ingest.c: storing one submission, exactly once.
 *
 * Concurrency: all work on one provider's submissions is serialised by a transaction-scoped
 * advisory lock on the provider, taken first thing in the transaction. Within it we look up
 * (provider, reference): equal content is a replay, other content a conflict. Duplicate and
 * credit checks then see every committed line of that provider, and no other daemon can
 * interleave. The unique indexes in 0001_schema.sql are the backstop.
 *
 * Atomicity: the submission row, every line, the attempt record and its row in the audit
 * trail (audit.h) commit together or not at all. A failure anywhere rolls back; the answer
 * is 503 when the database went away (the client retries, and a retry is a clean first
 * store), 500 otherwise. A replay or a conflict is recorded the same way, and a submission
 * rejected whole cannot be answered 422 unless its audit row was written.
 */
#include "ingest/ingest.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "codes.h"
#include "db/queries_ingest.h"
#include "ingest/canonical.h"
#include "ingest/ledger_rows.h"
#include "ingest/response.h"
#include "log.h"
#include "privacy.h"
#include "text.h"
#include "validate.h"

typedef char client_hash_hex[PRIVACY_HASH_HEX_LEN + 1];

void ingest_result_clear(ingest_result *r)
{
    json_decref(r->body);
    free(r->text);
    r->body = NULL;
    r->text = NULL;
    r->text_len = 0;
}

static ingest_result result_of(ingest_outcome outcome, int status, json_t *body)
{
    ingest_result r = {.outcome = outcome, .http_status = status, .body = body};
    return r;
}

/* A stored or replayed submission: its answer text (taken over) and totals. */
static ingest_result answered(ingest_outcome outcome, int status, char *text, size_t len,
                              const response_totals *totals, int64_t xact_id)
{
    ingest_result r = {.outcome = outcome,
                       .http_status = status,
                       .text = text,
                       .text_len = len,
                       .accepted = totals->accepted,
                       .rejected = totals->rejected,
                       .amount_cents = totals->amount_cents,
                       .xact_id = xact_id > 0 ? (uint64_t)xact_id : 0};
    return r;
}

/* An error answer: the one rendering of an lv_error (error.h). */
static ingest_result error_result(ingest_outcome outcome, int status, lv_code code,
                                  const char *message)
{
    lv_error e;
    lv_error_set(&e, code, 0, NULL, "%s", message);
    return result_of(outcome, status, lv_error_json_new(&e));
}

/* Masks every run of nine or more digits with '#'. A parser's message may quote the text
 * near a defect (jansson's "':' expected near '\"123456782\"'"), and that text can be a
 * BSN, which must reach neither the ingest_attempt table nor the log nor the answer. No
 * legitimate part of a message is nine digits long (an AGB has 8, a date 8, line and
 * column numbers fewer), so masking costs nothing but protects every parser at once. */
static void mask_digit_runs(char *text)
{
    for (char *p = text; *p;) {
        size_t n = strspn(p, "0123456789");
        if (n >= DECL_BSN_LEN)
            memset(p, '#', n);
        p += n ? n : 1;
    }
}

static ingest_result unavailable(void)
{
    return error_result(INGEST_UNAVAILABLE, 503, LV_HTTP_UNAVAILABLE,
                        "the database is unavailable; nothing was stored, retry later");
}

static ingest_result failed(void)
{
    return error_result(INGEST_FAILED, 500, LV_HTTP_INTERNAL, "internal error; nothing was stored");
}

static ingest_result from_status(db_status st)
{
    return st == DB_UNAVAILABLE ? unavailable() : failed();
}

/* The audit row of an attempt (audit.h): who submitted which provider's submission, and
 * what came of it. */
static db_status audit_attempt(db_conn *conn, const ingest_settings *s, const char *agb,
                               const char *reference, const char *outcome, int64_t id,
                               const char *code, int lines)
{
    char object[64];
    if (id > 0)
        snprintf(object, sizeof object, "submission:%lld", (long long)id);
    else if (agb != NULL && agb[0] != '\0')
        snprintf(object, sizeof object, "provider:%s", agb);
    else
        snprintf(object, sizeof object, "submission");
    json_t *detail = json_pack("{s:s, s:s?, s:s?, s:i}", "channel", s->channel, "reference",
                               reference != NULL && reference[0] ? reference : NULL, "code", code,
                               "lines", lines);
    audit_event ev = {AUDIT_SUBMIT, object, agb != NULL && agb[0] ? agb : NULL, outcome, detail};
    db_status st = detail != NULL ? audit_record(conn, s->actor, &ev) : DB_FAILED;
    json_decref(detail);
    return st;
}

ingest_result ingest_reject_file(db_conn *conn, const ingest_settings *s, const char *agb,
                                 const char *reference, const lv_error *parse_err)
{
    lv_error masked = *parse_err;
    const lv_error *err = &masked;
    mask_digit_runs(masked.message);
    mask_digit_runs(masked.field);
    mask_digit_runs(masked.detail);
    mask_digit_runs(masked.hint);
    const lv_code_info *info = lv_code_get(err->code);
    iq_attempt a = {.channel = s->channel,
                    .provider_agb = agb && agb[0] ? agb : NULL,
                    .reference = reference && reference[0] ? reference : NULL,
                    .result = "rejected",
                    .error_code = info->id,
                    .error_field = err->field,
                    .error_message = err->message,
                    .body_hmac = s->body_hmac};
    db_status st = conn ? iq_record_attempt(conn, &a) : DB_OK;
    log_info("submission rejected whole", "{s:s, s:s, s:s, s:s}", "channel", s->channel, "code",
             info->id, "field", err->field, "message", err->message);
    if (st == DB_UNAVAILABLE)
        log_warning("rejected submission not recorded: database unavailable", NULL);
    if (conn && s->actor) {
        st = audit_attempt(conn, s, agb, reference, "rejected", 0, info->id, 0);
        if (st != DB_OK)
            return from_status(st); /* not answered unrecorded */
    }
    int status = info->http_status >= 400 ? info->http_status : 422;
    return result_of(INGEST_REJECTED, status, lv_error_json_new(err));
}

/* Hashes every usable BSN (9 digits); others get "" and validation rejects the line. */
static bool hash_clients(const ingest_settings *s, const decl_submission *sub,
                         client_hash_hex *hashes)
{
    privacy_client_hasher h;
    if (!privacy_client_hasher_init(&h, s->hash_key, s->hash_key_len))
        return false;
    for (size_t i = 0; i < sub->n_lines; i++) {
        const char *bsn = sub->lines[i].client_bsn;
        hashes[i][0] = '\0';
        if (text_is_digits(bsn, DECL_BSN_LEN))
            privacy_client_hasher_hash(&h, bsn, hashes[i]);
    }
    privacy_client_hasher_wipe(&h);
    return true;
}

/* Everything computed before the transaction: hashes and the canonical content. */
struct ingest_prepared {
    client_hash_hex *hashes;
    char *canonical_text;
    char content_sha256[PRIVACY_HASH_HEX_LEN + 1];
};
typedef struct ingest_prepared prepared_submission;

void ingest_prepared_free(ingest_prepared *p)
{
    if (!p)
        return;
    free(p->hashes);
    free(p->canonical_text);
    free(p);
}

/* The client hashes alone (the opening's lookup of prior lines needs them); NULL when out
 * of memory. */
static ingest_prepared *prepare_hashes(const ingest_settings *s, const decl_submission *sub)
{
    ingest_prepared *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->hashes = calloc(sub->n_lines ? sub->n_lines : 1, sizeof *p->hashes);
    if (!p->hashes || !hash_clients(s, sub, p->hashes)) {
        ingest_prepared_free(p);
        return NULL;
    }
    return p;
}

/* The canonical content and its digest, from the hashes. @return false when out of memory
 * (p->canonical_text is then NULL). */
static bool prepare_canonical(const decl_submission *sub, ingest_prepared *p)
{
    if (p->canonical_text)
        return true;
    p->canonical_text = canonical_submission_text_new(sub, (const client_hash_hex *)p->hashes);
    if (p->canonical_text &&
        privacy_sha256_hex(p->canonical_text, strlen(p->canonical_text), p->content_sha256))
        return true;
    free(p->canonical_text);
    p->canonical_text = NULL;
    return false;
}

ingest_prepared *ingest_prepare(const ingest_settings *s, const decl_submission *sub)
{
    ingest_prepared *p = prepare_hashes(s, sub);
    if (p && !prepare_canonical(sub, p)) {
        ingest_prepared_free(p);
        return NULL;
    }
    return p;
}

/* What iq_start() runs while the server opens the transaction (db_overlap_fn). */
typedef struct {
    const decl_submission *sub;
    ingest_prepared *prepared;
} canonical_overlap;

static void canonical_while_opening(void *cls)
{
    canonical_overlap *o = cls;
    prepare_canonical(o->sub, o->prepared); /* a failure leaves canonical_text NULL */
}

/* Records the attempt and its audit row: inside the open transaction, sent with its COMMIT
 * (db_defer_until_commit()), when @a before_commit; else on their own. @return DB_OK, or
 * the failure of the audit row (which must fail the transaction; a deferred one fails the
 * COMMIT). */
static db_status record(db_conn *conn, const ingest_settings *s, const decl_submission *sub,
                        const char *result, int64_t id, const char *code, const char *field,
                        bool before_commit)
{
    if (before_commit)
        db_defer_until_commit(conn);
    iq_attempt a = {.channel = s->channel,
                    .provider_agb = sub->provider_agb,
                    .reference = sub->reference,
                    .result = result,
                    .error_code = code,
                    .error_field = field,
                    .submission_id = id,
                    .line_count = (int)sub->n_lines,
                    .body_hmac = s->body_hmac};
    iq_record_attempt(conn, &a);
    if (!s->actor)
        return DB_OK;
    return audit_attempt(conn, s, sub->provider_agb, sub->reference, result, id, code,
                         (int)sub->n_lines);
}

/* Same identity seen before: the first answer again, or a 409 naming what differs. */
static ingest_result answer_existing(db_conn *conn, const ingest_settings *s,
                                     const decl_submission *sub, const prepared_submission *p,
                                     iq_stored_submission *stored)
{
    if (strcmp(stored->content_sha256, p->content_sha256) == 0) {
        /* The first answer again, with only the flag turned: jansson keeps the key order
         * and writes the compact form the answer was stored in. */
        json_t *body = stored->response;
        response_totals totals = {(int)json_integer_value(json_object_get(body, "accepted")),
                                  (int)json_integer_value(json_object_get(body, "rejected")),
                                  json_integer_value(json_object_get(body, "amount_cents"))};
        char *text = json_object_set_new(body, "replayed", json_true()) == 0
                         ? json_dumps(body, JSON_COMPACT)
                         : NULL;
        if (!text)
            return failed();
        db_status st = record(conn, s, sub, "replayed", stored->id, NULL, NULL, true);
        if (st != DB_OK) {
            free(text);
            return from_status(st);
        }
        return answered(INGEST_REPLAYED, 200, text, strlen(text), &totals, stored->xact_id);
    }
    json_t *fresh = json_loads(p->canonical_text, 0, NULL);
    json_t *fields = fresh ? canonical_diff_new(stored->canonical, fresh) : NULL;
    json_decref(fresh);
    if (!fields)
        return failed();
    char joined[256] = "";
    size_t i;
    json_t *f;
    json_array_foreach(fields, i, f)
    {
        if (strlen(joined) + strlen(json_string_value(f)) + 3 >= sizeof joined)
            break;
        if (i)
            strcat(joined, ", ");
        strcat(joined, json_string_value(f));
    }
    char message[400];
    snprintf(message, sizeof message,
             "submission %s of provider %s was already stored with different content (%s)",
             sub->reference, sub->provider_agb, joined);
    lv_error e;
    lv_error_set(&e, LV_HTTP_CONFLICT, 0, joined, "%s", message);
    json_t *body = lv_error_json_new(&e);
    json_object_set_new(json_object_get(body, "error"), "fields", fields);
    json_object_set_new(json_object_get(body, "error"), "submission_id", json_integer(stored->id));
    db_status st = record(conn, s, sub, "conflict", stored->id, lv_code_get(LV_HTTP_CONFLICT)->id,
                          joined, true);
    if (st != DB_OK) {
        json_decref(body);
        return from_status(st);
    }
    return result_of(INGEST_CONFLICT, 409, body);
}

static const char *zorgkantoor_of(const refdata *ref, const decl_submission *sub)
{
    if (sub->zorgkantoor[0])
        return sub->zorgkantoor;
    const ref_provider *p = refdata_provider(ref, sub->provider_agb);
    return p ? p->zorgkantoor : "";
}

/* A backfill's arrival as a timestamptz literal in UTC: "2026-02-13 11:00:00+00". */
static void received_literal(int64_t at, char out[32])
{
    time_t t = (time_t)at;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y-%m-%d %H:%M:%S+00", &tm);
}

/* Validates, prices and stores a new submission inside the open transaction, with what
 * its opening found (the prior lines, the id and transaction it gets). */
static ingest_result store_new(db_conn *conn, const refdata *ref, const ingest_settings *s,
                               const decl_submission *sub, const prepared_submission *p,
                               const iq_start_result *start)
{
    db_status st;
    line_result *results = calloc(sub->n_lines ? sub->n_lines : 1, sizeof *results);
    if (!results)
        return failed();
    validate_ctx ctx = {.ref = ref,
                        .prior = start->prior,
                        .n_prior = start->n_prior,
                        .client_hashes = (const client_hash_hex *)p->hashes,
                        .received_on = s->received_on,
                        .deadline_working_days = s->deadline_working_days,
                        .max_minutes_per_line = s->max_minutes_per_line,
                        .max_units_per_line = s->max_units_per_line,
                        .max_travel_cents_per_line = s->max_travel_cents_per_line};
    bool validated = validate_submission(&ctx, sub, results);
    if (!validated) {
        /* Nothing is written yet; the caller rolls the transaction back. */
        log_error("out of memory", "{s:s, s:i}", "in", "validate_submission", "lines",
                  (int)sub->n_lines);
        free(results);
        return failed();
    }

    response_totals totals;
    int64_t id = start->id, xact_id = start->xact_id;
    char *response_text = NULL;
    size_t response_len = 0;
    ingest_result out;
    if (!response_totals_compute(results, sub->n_lines, &totals)) {
        lv_error e;
        lv_error_set(&e, LV_9106_AMOUNT_OVERFLOW, 0, "lines",
                     "the submission's total amount overflows");
        out = result_of(INGEST_REJECTED, 422, lv_error_json_new(&e));
        goto done;
    }
    response_text = response_submission_text_new(id, sub, results, &totals, &response_len);
    if (!response_text) {
        out = failed();
        goto done;
    }
    char received[32];
    if (s->received_at != 0)
        received_literal(s->received_at, received);
    const char *received_at = s->received_at != 0 ? received : NULL;
    st = iq_insert_submission(conn, id, sub, p->content_sha256, p->canonical_text, response_text,
                              totals.accepted, totals.rejected, totals.amount_cents, received_at);
    ledger_rows rows = {.submission_id = id,
                        .sub = sub,
                        .client_hashes = (const client_hash_hex *)p->hashes,
                        .results = results,
                        .zorgkantoor = zorgkantoor_of(ref, sub),
                        .received_at = received_at};
    if (st == DB_OK)
        st = iq_copy_lines(conn, sub->n_lines, received_at != NULL, ledger_rows_write, &rows);
    if (st != DB_OK) {
        out = st == DB_CONFLICT ? result_of(INGEST_CONFLICT, -1, NULL) : from_status(st);
        goto done;
    }
    if ((st = record(conn, s, sub, "stored", id, NULL, NULL, true)) != DB_OK) {
        out = from_status(st);
        goto done;
    }
    out = answered(INGEST_STORED, 201, response_text, response_len, &totals, xact_id);
    response_text = NULL;
done:
    free(response_text);
    free(results);
    return out;
}

/* One attempt inside one transaction. http_status -1 asks the caller to retry once (a
 * unique index caught a race the advisory lock should have prevented). */
static ingest_result attempt_once(db_conn *conn, const refdata *ref, const ingest_settings *s,
                                  const decl_submission *sub, prepared_submission *p)
{
    const client_hash_hex *hashes = (const client_hash_hex *)p->hashes;
    iq_start_result start;
    /* The canonical content, when not made yet, is made while the server opens the
     * transaction: it is needed only once the opening has answered. */
    canonical_overlap overlap = {sub, p};
    db_overlap_fn while_opening = p->canonical_text ? NULL : canonical_while_opening;
    db_status st = iq_start(conn, sub, hashes, while_opening, &overlap, &start);
    if (st == DB_UNAVAILABLE && db_conn_ensure(conn, NULL) == DB_OK) {
        /* A pooled connection that died while idle (the server restarted) is only found
         * out on first use. Nothing of this submission reached a live server, so one
         * fresh connection and a second start are safe (the canonical content, made
         * during the first, is not made again: prepare_canonical() keeps it). */
        st = iq_start(conn, sub, hashes, while_opening, &overlap, &start);
    }
    if (st == DB_OK && !prepare_canonical(sub, p)) {
        iq_start_clear(&start);
        db_rollback(conn);
        log_error("out of memory", "{s:s, s:i}", "in", "canonical_submission_text_new", "lines",
                  (int)sub->n_lines);
        return failed();
    }
    if (st != DB_OK) {
        db_rollback(conn);
        return from_status(st);
    }
    ingest_result out = start.found ? answer_existing(conn, s, sub, p, &start.stored)
                                    : store_new(conn, ref, s, sub, p, &start);
    iq_start_clear(&start);
    if (out.http_status >= 500 || out.http_status < 0) {
        db_rollback(conn);
        return out;
    }
    if (out.outcome == INGEST_REJECTED) {
        /* Rejected whole after validation (a total that overflows): nothing of it is
         * stored, but the attempt is, as for a file its parser refused. */
        db_rollback(conn);
        const char *code =
            json_string_value(json_object_get(json_object_get(out.body, "error"), "code"));
        st = record(conn, s, sub, "rejected", 0, code, "lines", false);
        if (st != DB_OK) {
            ingest_result_clear(&out);
            return from_status(st);
        }
        return out;
    }
    if ((st = db_commit(conn)) != DB_OK) {
        ingest_result_clear(&out);
        return from_status(st);
    }
    return out;
}

ingest_result ingest_submission_prepared(db_conn *conn, const refdata *ref,
                                         const ingest_settings *s, decl_submission *sub,
                                         ingest_prepared *prepared)
{
    ingest_result out;
    if (!refdata_provider(ref, sub->provider_agb)) {
        lv_error e;
        lv_error_set(&e, LV_9109_PROVIDER_UNKNOWN, 0, "provider_agb",
                     "provider %s is not in the reference data", sub->provider_agb);
        out = ingest_reject_file(conn, s, sub->provider_agb, sub->reference, &e);
        goto done;
    }
    /* Without a preparation done beforehand, the hashes are made now and the canonical
     * content while the transaction opens (attempt_once()). */
    if (!prepared && !(prepared = prepare_hashes(s, sub))) {
        out = failed();
        goto done;
    }
    out = attempt_once(conn, ref, s, sub, prepared);
    if (out.http_status < 0)
        out = attempt_once(conn, ref, s, sub, prepared);
    if (out.http_status < 0)
        out = failed();
    if (out.outcome == INGEST_STORED || out.outcome == INGEST_REPLAYED)
        log_info("submission ingested", "{s:s, s:s, s:s, s:s}", "channel", s->channel, "provider",
                 sub->provider_agb, "reference", sub->reference, "result",
                 out.outcome == INGEST_STORED ? "stored" : "replayed");
done:
    ingest_prepared_free(prepared);
    /* Validation needed the clear BSN for the 11-test; nothing needs it any more. */
    decl_submission_wipe_bsns(sub);
    return out;
}

ingest_result ingest_submission(db_conn *conn, const refdata *ref, const ingest_settings *s,
                                decl_submission *sub)
{
    return ingest_submission_prepared(conn, ref, s, sub, NULL);
}
