/*
 * submission_common.c: the shared tail of the submission handlers.
 */
#include "http/submission_common.h"

#include <string.h>

#include "db/queries_refdata.h"
#include "http/audit_reply.h"
#include "http/reply.h"
#include "ingest/ingest.h"
#include "ingest/ingest_settings.h"
#include "metrics/metrics.h"
#include "privacy.h"

/* Counts the submission for /metrics: its outcome and, when stored, its lines. */
static void count_result(const ingest_result *r)
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

static enum MHD_Result reply_result(http_request *req, ingest_result *r)
{
    count_result(r);
    if (r->text) {
        /* A stored or replayed submission: the answer is already JSON text. */
        enum MHD_Result ret = http_reply(req, (unsigned)r->http_status, "application/json", r->text,
                                         r->text_len, NULL);
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
    ingest_settings s;
    ingest_settings_from_config(req->config, channel, &s);
    audit_actor actor; /* every attempt goes into the audit trail */
    http_audit_actor(req, &actor);
    s.actor = &actor;
    char body_hmac[PRIVACY_HASH_HEX_LEN + 1] = "";
    if (req->body)
        privacy_body_hmac(s.hash_key, s.hash_key_len, req->body, req->body_len, body_hmac);
    s.body_hmac = body_hmac;

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
