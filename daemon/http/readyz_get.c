/*
 * readyz_get.c: GET /readyz. Ready means: a database connection works now and the schema
 * is at the version of the newest migration file this build ships. Anything else is a 503
 * whose message says why, so a load balancer stops sending traffic while PostgreSQL
 * restarts; the pool reconnects by itself and the next probe turns 200 again.
 */
#include "db/queries_health.h"
#include "http/handlers.h"
#include "http/reply.h"

enum MHD_Result http_handler_readyz_get(http_request *req)
{
    db_conn *db = http_request_db(req);
    if (db == NULL) {
        lv_error err = *http_request_db_error(req);
        err.code = LV_HTTP_UNAVAILABLE; /* not ready, whatever the reason */
        lv_error_prefix(&err, "database unavailable");
        return http_reply_lv_error(req, &err, NULL);
    }
    int version = 0;
    db_status st = hq_schema_version(db, &version);
    if (st != DB_OK)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database query failed: %s",
                                db_conn_error(db));
    if (version != req->app->schema_version)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL,
                                "schema version is %d, this build expects %d", version,
                                req->app->schema_version);
    return http_reply_json(req, MHD_HTTP_OK,
                           json_pack("{s:s, s:i}", "status", "ready", "schema_version", version));
}
