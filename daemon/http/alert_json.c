/*
 * alert_json.c: alerts as the API's JSON (see alert_json.h).
 */
#include "http/alert_json.h"

static json_t *text_or_null(const char *s)
{
    return s != NULL ? json_string(s) : json_null();
}

json_t *http_alert_json_new(const aq_alert *a)
{
    return json_pack("{s:s, s:O, s:O, s:o, s:o, s:o, s:{s:s}, s:f, s:o, s:o}", "fingerprint",
                     a->fingerprint, "labels", a->labels, "annotations", a->annotations, "startsAt",
                     text_or_null(a->starts_at), "endsAt", text_or_null(a->ends_at), "activeAt",
                     text_or_null(a->active_at), "status", "state", a->state, "value", a->value,
                     "acknowledged_by", text_or_null(a->acknowledged_by), "acknowledged_at",
                     text_or_null(a->acknowledged_at));
}

json_t *http_alerts_json_new(const aq_alert_list *list)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < list->n; i++)
        if (json_array_append_new(arr, http_alert_json_new(&list->items[i])) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    return arr;
}

json_t *http_alert_history_json_new(const aq_trail *history)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < history->n; i++) {
        const aq_transition *t = &history->transitions[i];
        if (json_array_append_new(arr,
                                  json_pack("{s:s, s:s, s:f, s:s}", "state", t->state, "at", t->at,
                                            "value", t->value, "summary", t->summary)) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}

json_t *http_alert_acks_json_new(const aq_trail *acks)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr != NULL && i < acks->n; i++) {
        const aq_ack *a = &acks->acks[i];
        if (json_array_append_new(arr, json_pack("{s:s, s:s, s:s}", "by", a->by, "at", a->at,
                                                 "comment", a->comment)) != 0) {
            json_decref(arr);
            arr = NULL;
        }
    }
    return arr;
}
