/*
 * declarations_csv_post.c: POST /api/v1/declarations/csv, a CSV declaration file as the body
 * (Content-Type text/csv; the layout of doc/api.md §4, parsed by lib/csv_decl.c as
 * `lvhcmon import` parses it). Roles: ingest, and provider (every line's provider_agb must be
 * its own AGB, else 403 and nothing is stored).
 *
 * One file may hold several references: each is one submission and takes the one ingest path
 * (daemon/ingest/, channel http-csv) in file order, as `lvhcmon import` sends them. So a
 * stored one stays stored when a later one is refused, and sending the file again replays it.
 *   - A file rejected whole (not UTF-8, a header that is not the layout, a line that is not
 *     CSV, no data): 422 with the error object (field, line); only the attempt is recorded.
 *   - Otherwise {"submissions": [...], "stored", "replayed", "refused"}: per submission its
 *     answer (doc/api.md §4) with "http_status" 201 or 200, or for a refused one
 *     {"provider_agb", "reference", "http_status": 409|422, "error": {...}}. The status of
 *     the whole answer: 201 when one was stored and none refused, 200 when all were replays,
 *     else the status of the first refused one.
 *   - The database lost halfway: 503 (500 for another failure) with the error object and
 *     the submissions answered before it; sending the file again replays those.
 * A 200/201 is sent once this instance's reads include every stored submission
 * (Lvhcmon-Read-Your-Writes, as the other submission endpoints).
 */
#include <string.h>

#include "csv_decl.h"
#include "db/queries_refdata.h"
#include "http/handlers.h"
#include "http/reply.h"
#include "http/submission_common.h"

/* The entry of one submission in the answer: its stored answer, or its error. */
static json_t *entry_json(const decl_submission *sub, const ingest_result *r)
{
    json_t *e = NULL;
    if (r->text != NULL)
        e = json_loadb(r->text, r->text_len, 0, NULL);
    else
        e = json_pack("{s:s, s:s, s:O}", "provider_agb", sub->provider_agb, "reference",
                      sub->reference, "error", json_object_get(r->body, "error"));
    if (e != NULL)
        json_object_set_new(e, "http_status", json_integer(r->http_status));
    return e;
}

/* Answers a file whose provider_agb is not the token's: 403 naming the first such line. */
static bool foreign_agb(http_request *req, const decl_batch *batch)
{
    const auth_principal *who = &req->principal;
    if (who->role != AUTH_ROLE_PROVIDER)
        return false;
    for (size_t i = 0; i < batch->n_subs; i++) {
        if (strcmp(batch->subs[i]->provider_agb, who->provider_agb) != 0) {
            http_reply_error(req, LV_HTTP_FORBIDDEN, "provider_agb",
                             "this token submits for provider %s only", who->provider_agb);
            return true;
        }
    }
    return false;
}

enum MHD_Result http_handler_declarations_csv_post(http_request *req)
{
    if (!http_request_content_type_is(req, "text/csv"))
        return http_reply_error(req, LV_HTTP_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                                "send the file as text/csv");
    if (!req->body || req->body_len == 0)
        return http_reply_error(req, LV_HTTP_BAD_REQUEST, "body", "the request has no body");
    lv_error err = {0};
    decl_batch *batch =
        csv_decl_parse(req->body, req->body_len, req->config->max_lines_per_submission, &err);
    if (batch != NULL && foreign_agb(req, batch)) {
        decl_batch_free(batch);
        return MHD_YES; /* answered 403 */
    }
    db_conn *db = http_request_db(req);
    if (!db) {
        decl_batch_free(batch);
        return http_reply_no_db(req);
    }
    http_ingest_context ctx;
    http_ingest_context_init(req, "http-csv", &ctx);
    if (batch == NULL) { /* rejected whole: only the attempt is recorded */
        const char *agb =
            req->principal.role == AUTH_ROLE_PROVIDER ? req->principal.provider_agb : NULL;
        ingest_result r = ingest_reject_file(db, &ctx.settings, agb, NULL, &err);
        http_submission_count(&r);
        json_t *body = r.body;
        unsigned status = (unsigned)r.http_status;
        r.body = NULL;
        ingest_result_clear(&r);
        return http_reply_json(req, status, body);
    }
    refdata *ref = NULL;
    db_status st = refdata_load_db(db, &ref);
    if (st != DB_OK) {
        decl_batch_free(batch);
        return http_reply_db_failure(req, st); /* nothing was stored */
    }

    json_t *list = json_array();
    int stored = 0, replayed = 0, refused = 0, first_refused = 0;
    uint64_t last_xact = 0;
    ingest_result failure = {0}; /* a 503 or 500 that stops the file */
    for (size_t i = 0; i < batch->n_subs && failure.body == NULL; i++) {
        ingest_result r = ingest_submission(db, ref, &ctx.settings, batch->subs[i]);
        http_submission_count(&r);
        if (r.outcome == INGEST_UNAVAILABLE || r.outcome == INGEST_FAILED) {
            failure = r;
            break;
        }
        if (r.outcome == INGEST_STORED || r.outcome == INGEST_REPLAYED) {
            stored += r.outcome == INGEST_STORED;
            replayed += r.outcome == INGEST_REPLAYED;
            last_xact = r.xact_id > last_xact ? r.xact_id : last_xact;
        } else if (refused++ == 0) {
            first_refused = r.http_status;
        }
        json_array_append_new(list, entry_json(batch->subs[i], &r));
        ingest_result_clear(&r);
    }
    refdata_free(ref);
    decl_batch_free(batch);

    if (failure.body != NULL) {
        json_t *body = failure.body;
        failure.body = NULL;
        json_object_set_new(body, "submissions", list);
        return http_reply_json(req, (unsigned)failure.http_status, body);
    }
    unsigned status = refused > 0 ? (unsigned)first_refused : stored > 0 ? 201 : 200;
    json_t *doc = json_pack("{s:o, s:i, s:i, s:i}", "submissions", list, "stored", stored,
                            "replayed", replayed, "refused", refused);
    if (stored + replayed == 0)
        return http_reply_json(req, status, doc);
    const http_header headers[] = {
        {HTTP_HEADER_READ_YOUR_WRITES, http_submission_await_visible(req, last_xact)},
        {NULL, NULL}};
    return http_reply_json_headers(req, status, doc, headers);
}
