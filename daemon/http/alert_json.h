/*
 * alert_json.h: the API's JSON of alerts (doc/api.md, Alertmanager's shape), rendered from the
 * structs of db/queries_alerts.h for GET /api/v1/alerts, GET /api/v1/alerts/{fingerprint}
 * and the answer to an acknowledgement:
 *   {"fingerprint": "...", "labels": {...}, "annotations": {"summary", "description"},
 *    "startsAt": "2026-...Z" | null, "endsAt": null | "...", "activeAt": "...",
 *    "status": {"state": "pending|firing|resolved"}, "value": 0.52,
 *    "acknowledged_by": null | "name", "acknowledged_at": null | "..."}
 * Each function returns a new reference owned by the caller, or NULL when out of memory.
 */
#ifndef LVHCMON_HTTP_ALERT_JSON_H
#define LVHCMON_HTTP_ALERT_JSON_H

#include <jansson.h>

#include "db/queries_alerts.h"

/** One alert object. */
json_t *http_alert_json_new(const aq_alert *a);

/** An array of the alert objects of @a list, in its order. */
json_t *http_alerts_json_new(const aq_alert_list *list);

/** [{"state", "at", "value", "summary"}] of an alert's transitions, oldest first. */
json_t *http_alert_history_json_new(const aq_trail *history);

/** [{"by", "at", "comment"}] of an alert's acknowledgements, oldest first. */
json_t *http_alert_acks_json_new(const aq_trail *acks);

#endif
