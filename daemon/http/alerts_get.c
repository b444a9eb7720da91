/*
 * alerts_get.c: GET /api/v1/alerts: the alerts, Alertmanager-shaped (doc/api.md), as
 *   {"alerts": [...], "data_as_of": "2026-11-23T10:00:00Z" | null}
 * Query: ?state=firing|pending|resolved|all (default all: every alert that was ever
 * pending or firing, cancelled ones excepted), ?year=Y (default every year),
 * ?limit=N (1..1000, default 500). Firing alerts come first, then pending, then resolved;
 * newest first within each. data_as_of is the newest submission the last evaluation saw.
 * Roles: controller, dashboard; provider (the national alerts, without a provider label, and
 * its own: another provider's alert is never listed). ETag and 304 as for the status
 * document.
 */
#include "db/pg_array.h"
#include "db/queries_alerts.h"
#include "http/alert_json.h"
#include "http/alerts_common.h"
#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"

#include <string.h>

/* The AGB a provider token is bound to; NULL for the other roles (every alert). */
static const char *own_provider(const http_request *req)
{
    return req->principal.role == AUTH_ROLE_PROVIDER ? req->principal.provider_agb : NULL;
}

enum MHD_Result http_handler_alerts_get(http_request *req)
{
    static const char *const states[] = {"firing", "pending", "resolved", "all", NULL};
    const char *state;
    int64_t year, limit;
    if (!http_query_enum(req, "state", states, &state) ||
        !http_query_int(req, "year", 2000, 2100, 0, &year) ||
        !http_query_int(req, "limit", 1, 1000, 500, &limit))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_no_db(req);

    pg_array wanted;
    pg_array_init(&wanted);
    if (state[0] == '\0' || strcmp(state, "all") == 0) {
        pg_array_add(&wanted, "firing");
        pg_array_add(&wanted, "pending");
        pg_array_add(&wanted, "resolved");
    } else {
        pg_array_add(&wanted, state);
    }
    aq_alert_list alerts = {0};
    char as_of[21] = "";
    db_status st = pg_array_finish(&wanted)
                       ? aq_list(db, wanted.text, (int)year, (int)limit, own_provider(req), &alerts)
                       : DB_FAILED;
    pg_array_release(&wanted);
    if (st == DB_OK)
        st = aq_data_as_of(db, (int)year, as_of);
    json_t *doc = st == DB_OK ? json_pack("{s:o, s:o}", "alerts", http_alerts_json_new(&alerts),
                                          "data_as_of", as_of[0] ? json_string(as_of) : json_null())
                              : NULL;
    aq_alert_list_clear(&alerts);
    if (st != DB_OK)
        return http_reply_db_failure(req, st);
    return http_reply_alerts_doc(req, doc, true);
}
