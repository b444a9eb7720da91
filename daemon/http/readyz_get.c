/*
 * readyz_get.c: GET /readyz. Ready means: a database connection works now and the schema
 * is at the version of the newest migration file this build ships. Anything else is a 503
 * whose message says why, so a load balancer stops sending traffic while PostgreSQL
 * restarts; the pool reconnects by itself and the next probe turns 200 again.
 */
#include <stdlib.h>

#include "http/handlers.h"
#include "http/reply.h"

enum MHD_Result http_handler_readyz_get(http_request *req)
{
    db_conn *db = http_request_db(req);
    if (db == NULL)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database unavailable: %s",
                                http_request_db_error(req));
    PGresult *res = db_exec(db, "health_schema_version", NULL);
    if (!db_result_ok(res) || PQntuples(res) != 1) {
        PQclear(res);
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database query failed: %s",
                                db_conn_error(db));
    }
    int version = atoi(PQgetvalue(res, 0, 0));
    PQclear(res);
    if (version != req->app->schema_version)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL,
                                "schema version is %d, this build expects %d", version,
                                req->app->schema_version);
    return http_reply_json(req, MHD_HTTP_OK,
                           json_pack("{s:s, s:i}", "status", "ready", "schema_version", version));
}
