/*
 * submission_common.c: the shared tail of the submission handlers: the ingest path, and
 * holding the answer to a stored or replayed submission until this instance's reads
 * include it (reading one's own writes; snapshot.h), bounded by
 * [server] read_your_writes_timeout_ms, with the outcome in the Lvhcmon-Read-Your-Writes
 * header.
 */
#include "http/submission_common.h"

#include <string.h>
#include <time.h>

#include "db/queries_refdata.h"
#include "http/audit_reply.h"
#include "http/reply.h"
#include "ingest/ingest.h"
#include "ingest/ingest_settings.h"
#include "metrics/metrics.h"
#include "privacy.h"
#include "snapshot/snapshot.h"

void http_submission_count(const ingest_result *r)
{
    static const metrics_ingest_result BY_OUTCOME[] = {
        [INGEST_STORED] = METRICS_INGEST_STORED,      [INGEST_REPLAYED] = METRICS_INGEST_REPLAYED,
        [INGEST_CONFLICT] = METRICS_INGEST_CONFLICT,  [INGEST_REJECTED] = METRICS_INGEST_REJECTED,
        [INGEST_UNAVAILABLE] = METRICS_INGEST_FAILED, [INGEST_FAILED] = METRICS_INGEST_FAILED};
    bool stored = r->outcome == INGEST_STORED;
    metrics_count_submission((unsigned)r->outcome < sizeof BY_OUTCOME / sizeof BY_OUTCOME[0]
                                 ? BY_OUTCOME[r->outcome]
                                 : METRICS_INGEST_FAILED,
                             stored ? r->accepted : 0, stored ? r->rejected : 0);
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

void http_ingest_context_init(http_request *req, const char *channel, http_ingest_context *ctx)
{
    ingest_settings_from_config(req->config, channel, &ctx->settings);
    http_audit_actor(req, &ctx->actor); /* every attempt goes into the audit trail */
    ctx->settings.actor = &ctx->actor;
    ctx->body_hmac[0] = '\0';
    if (req->body)
        privacy_body_hmac(ctx->settings.hash_key, ctx->settings.hash_key_len, req->body,
                          req->body_len, ctx->body_hmac);
    ctx->settings.body_hmac = ctx->body_hmac;
}

const char *http_submission_await_visible(http_request *req, uint64_t xact_id)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    snapshot_visibility v = req->app->snapshots != NULL
                                ? snapshot_store_await(req->app->snapshots, xact_id,
                                                       req->config->read_your_writes_timeout_ms)
                                : SNAPSHOT_NOT_VISIBLE;
    metrics_observe_visibility_wait((int)v, seconds_since(&t0));
    return snapshot_visibility_name(v);
}

static enum MHD_Result reply_result(http_request *req, ingest_result *r)
{
    http_submission_count(r);
    if (r->text) {
        /* A stored or replayed submission: the answer is already JSON text. It goes out
         * once this instance's reads include the submission (or the bound has passed). */
        const http_header headers[] = {
            {HTTP_HEADER_READ_YOUR_WRITES, http_submission_await_visible(req, r->xact_id)},
            {NULL, NULL}};
        enum MHD_Result ret = http_reply(req, (unsigned)r->http_status, "application/json", r->text,
                                         r->text_len, headers);
        ingest_result_clear(r);
        return ret;
    }
    json_t *body = r->body; /* an error body: a 503 gets its Retry-After from http_reply() */
    r->body = NULL;
    return http_reply_json(req, (unsigned)r->http_status, body);
}

enum MHD_Result http_submission_ingest(http_request *req, const char *channel, decl_submission *sub,
                                       const lv_error *err)
{
    const auth_principal *who = &req->principal;
    if (sub && who->role == AUTH_ROLE_PROVIDER &&
        strcmp(sub->provider_agb, who->provider_agb) != 0) {
        decl_submission_free(sub);
        return http_reply_error(req, LV_HTTP_FORBIDDEN, "provider_agb",
                                "this token submits for provider %s only", who->provider_agb);
    }
    db_conn *db = http_request_db(req);
    if (!db) {
        decl_submission_free(sub);
        return http_reply_no_db(req);
    }
    http_ingest_context ctx;
    http_ingest_context_init(req, channel, &ctx);
    const ingest_settings s = ctx.settings;

    ingest_result r;
    if (!sub) {
        const char *agb = who->role == AUTH_ROLE_PROVIDER ? who->provider_agb : NULL;
        r = ingest_reject_file(db, &s, agb, NULL, err);
        return reply_result(req, &r);
    }
    refdata *ref = NULL;
    db_status st = refdata_load_db(db, &ref);
    if (st != DB_OK) {
        decl_submission_free(sub);
        return http_reply_db_failure(req, st); /* nothing was stored */
    }
    r = ingest_submission(db, ref, &s, sub);
    refdata_free(ref);
    decl_submission_free(sub);
    return reply_result(req, &r);
}
