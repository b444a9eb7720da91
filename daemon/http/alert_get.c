/*
 * alert_get.c: GET /api/v1/alerts/{fingerprint}: one alert (the shape of the list), plus
 *   "history": [{"state", "at", "value", "summary"}]  every transition, oldest first
 *   "acknowledgements": [{"by", "at", "comment"}]     every acknowledgement, oldest first
 * Roles: controller, dashboard. 404 for an unknown fingerprint. ETag and 304.
 */
#include "db/queries_alerts.h"
#include "http/alerts_common.h"
#include "http/handlers.h"
#include "http/reply.h"

enum MHD_Result http_handler_alert_get(http_request *req)
{
    const char *fp;
    if (!http_alert_fingerprint(req, &fp))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database unavailable");

    json_t *alert = NULL, *history = NULL, *acks = NULL;
    aq_status st = aq_get(db, fp, &alert);
    if (st == AQ_NOT_FOUND)
        return http_reply_error(req, LV_HTTP_NOT_FOUND, NULL, "no such alert");
    if (st == AQ_OK && (aq_history(db, fp, &history) != AQ_OK || aq_acks(db, fp, &acks) != AQ_OK))
        st = AQ_FAILED;
    if (st != AQ_OK) {
        json_decref(alert);
        json_decref(history);
        json_decref(acks);
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database query failed");
    }
    json_object_set_new(alert, "history", history);
    json_object_set_new(alert, "acknowledgements", acks);
    return http_reply_alerts_doc(req, alert, true);
}
