/*
 * alert_ack_post.c: POST /api/v1/alerts/{fingerprint}/ack: a controller acknowledges an
 * active (pending or firing) alert. Body, optional, application/json:
 *   {"by": "J. Jansen", "comment": "known: the December batch of provider X"}
 * `by` (1..100 characters, no control characters) defaults to the token's label; `comment`
 * (0..500 characters) defaults to "". The body is decoded against a spec table
 * (lib/json_spec.h): unknown fields, wrong types and lengths are a 400 that names the field. The
 * acknowledgement is recorded (alert_ack: who, which token, when, the comment), set on the alert
 * (acknowledged_by/acknowledged_at), recorded in the audit trail (alert.acknowledge) and
 * announced with NOTIFY lvhcmon_alerts, all in one transaction; the answer is the updated
 * alert.
 *
 * The body is read as JSON whatever its Content-Type says (`curl -d` sends a form type);
 * the Bearer token, which a browser cannot add to a cross-site form, is what guards it.
 *
 * Semantics: an acknowledgement says "someone has seen this episode". It stays on the alert
 * while the alert is active and remains visible after it resolves; when the same alert
 * becomes active again (a new episode) the engine clears it. Acknowledging again replaces
 * the name and time on the alert and adds one more alert_ack row. A resolved alert cannot
 * be acknowledged (409 alert_already_resolved): there is nothing left to act on. Unknown
 * fingerprint: 404 alert_not_found.
 */
#include <stdio.h>

#include "db/queries_alerts.h"
#include "http/alert_json.h"
#include "http/alerts_common.h"
#include "http/audit_reply.h"
#include "http/handlers.h"
#include "http/reply.h"
#include "json_spec.h"

enum MHD_Result http_handler_alert_ack_post(http_request *req)
{
    const char *fp;
    if (!http_alert_fingerprint(req, &fp))
        return MHD_YES;

    /* The name defaults to the token's label, or its id when it has none. */
    char fallback[64];
    if (req->principal.label[0] != '\0')
        snprintf(fallback, sizeof fallback, "%s", req->principal.label);
    else
        snprintf(fallback, sizeof fallback, "token %lld", (long long)req->principal.token_id);
    const char *by = fallback;
    const char *comment = "";

    json_t *body = NULL;
    if (req->body != NULL && req->body_len > 0) {
        const json_spec_text fields[] = {
            {"by", 1, 100, false, &by},
            {"comment", 0, 500, true, &comment},
        };
        lv_error err;
        body = json_spec_load(req->body, req->body_len, &err);
        if (body == NULL ||
            !json_spec_decode(body, fields, sizeof fields / sizeof fields[0], &err)) {
            json_decref(body);
            return http_reply_lv_error(req, &err, NULL);
        }
    }

    db_conn *db = http_request_db(req);
    if (!db) {
        json_decref(body);
        return http_reply_no_db(req);
    }
    db_status st = db_begin(db);
    if (st == DB_OK)
        st = aq_acknowledge(db, fp, by, req->principal.token_id, comment);
    if (st == DB_OK) {
        char object[40];
        snprintf(object, sizeof object, "alert:%s", fp);
        json_t *detail = json_pack("{s:s, s:s}", "by", by, "comment", comment);
        audit_event ev = {AUDIT_ALERT_ACK, object, NULL, "ok", detail};
        st = detail != NULL ? http_audit_record(req, db, &ev) : DB_FAILED;
        json_decref(detail);
        if (st == DB_OK)
            st = db_commit(db);
    }
    if (st != DB_OK)
        db_rollback(db);
    json_decref(body); /* by and comment may point into it */
    if (st == DB_NOT_FOUND)
        return http_reply_error(req, LV_ALERT_NOT_FOUND, NULL, "no such alert");
    if (st == DB_CONFLICT)
        return http_reply_error(req, LV_ALERT_ALREADY_RESOLVED, NULL,
                                "the alert is resolved; only an active alert can be "
                                "acknowledged");
    aq_alert_list alert = {0};
    if (st == DB_OK)
        st = aq_get(db, fp, &alert);
    if (st != DB_OK)
        return http_reply_db_failure(req, st);
    json_t *doc = http_alert_json_new(&alert.items[0]);
    aq_alert_list_clear(&alert);
    return http_reply_alerts_doc(req, doc, false);
}
