/*
 * readyz_get.c: GET /readyz. Ready means: a database connection works now and the schema
 * is at the version of the newest migration file this build ships. Anything else is a 503,
 * so a load balancer stops sending traffic while PostgreSQL restarts; the pool reconnects
 * by itself and the next probe turns 200 again.
 *
 * Anyone may ask, so the answer says no more than ready or not ready: {"status": "ready"},
 * or a 503 "not ready". Why not (libpq's message names the host and the user) and the
 * schema version go only to a caller with a valid token (any role), and to the debug log.
 */
#include <stdio.h>

#include "db/queries_health.h"
#include "http/handlers.h"
#include "http/reply.h"
#include "log.h"

/* Whether the caller showed a valid token: the details are for it only. */
static bool detailed(http_request *req)
{
    const char *authorization = http_request_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    if (authorization == NULL)
        return false;
    req->authenticated =
        auth_authenticate(req->app->pool, authorization, &req->principal) == AUTH_OK;
    return req->authenticated;
}

static enum MHD_Result not_ready(http_request *req, const char *why)
{
    log_debug("not ready", "{s:s}", "reason", why);
    if (!detailed(req))
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "not ready");
    return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "not ready: %s", why);
}

enum MHD_Result http_handler_readyz_get(http_request *req)
{
    char why[LV_ERROR_TEXT_MAX + 32];
    db_conn *db = http_request_db(req);
    if (db == NULL) {
        char text[LV_ERROR_TEXT_MAX];
        snprintf(why, sizeof why, "database unavailable: %s",
                 lv_error_text(http_request_db_error(req), text, sizeof text));
        return not_ready(req, why);
    }
    int version = 0;
    db_status st = hq_schema_version(db, &version);
    if (st != DB_OK) {
        snprintf(why, sizeof why, "database query failed: %s", db_conn_error(db));
        return not_ready(req, why);
    }
    if (version != req->app->schema_version) {
        snprintf(why, sizeof why, "schema version is %d, this build expects %d", version,
                 req->app->schema_version);
        return not_ready(req, why);
    }
    if (!detailed(req))
        return http_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", "ready"));
    return http_reply_json(req, MHD_HTTP_OK,
                           json_pack("{s:s, s:i}", "status", "ready", "schema_version", version));
}
