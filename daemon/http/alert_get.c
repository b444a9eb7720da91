/*
 * alert_get.c: GET /api/v1/alerts/{fingerprint}: one alert (the shape of the list), plus
 *   "history": [{"state", "at", "value", "summary"}]  every transition, oldest first
 *   "acknowledgements": [{"by", "at", "comment"}]     every acknowledgement, oldest first
 * Roles: controller, dashboard; provider (a national alert, without a provider label, or its
 * own; another provider's alert is 404 alert_not_found as if it did not exist). 404
 * alert_not_found for an unknown fingerprint. ETag and 304.
 */
#include "db/queries_alerts.h"
#include "http/alert_json.h"
#include "http/alerts_common.h"
#include "http/handlers.h"
#include "http/reply.h"

#include <string.h>

/* Whether @a req may see @a a: a provider sees the national alerts and its own only. */
static bool visible(const http_request *req, const aq_alert *a)
{
    if (req->principal.role != AUTH_ROLE_PROVIDER)
        return true;
    const json_t *label = json_object_get(a->labels, "provider");
    return label == NULL || strcmp(json_string_value(label) ? json_string_value(label) : "",
                                   req->principal.provider_agb) == 0;
}

enum MHD_Result http_handler_alert_get(http_request *req)
{
    const char *fp;
    if (!http_alert_fingerprint(req, &fp))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_no_db(req);

    aq_alert_list alert = {0};
    aq_trail history = {0}, acks = {0};
    db_status st = aq_get(db, fp, &alert);
    if (st == DB_OK && !visible(req, &alert.items[0])) {
        aq_alert_list_clear(&alert);
        st = DB_NOT_FOUND;
    }
    if (st == DB_NOT_FOUND)
        return http_reply_error(req, LV_ALERT_NOT_FOUND, NULL, "no such alert");
    if (st == DB_OK)
        st = aq_history(db, fp, &history);
    if (st == DB_OK)
        st = aq_acks(db, fp, &acks);
    json_t *doc = NULL;
    if (st == DB_OK) {
        doc = http_alert_json_new(&alert.items[0]);
        if (doc != NULL) {
            json_object_set_new(doc, "history", http_alert_history_json_new(&history));
            json_object_set_new(doc, "acknowledgements", http_alert_acks_json_new(&acks));
        }
    }
    aq_alert_list_clear(&alert);
    aq_trail_clear(&history);
    aq_trail_clear(&acks);
    if (st != DB_OK)
        return http_reply_db_failure(req, st);
    return http_reply_alerts_doc(req, doc, true);
}
