/*
 * healthz_get.c: GET /healthz. The process is alive and serving HTTP; it says nothing about
 * the database (that is /readyz), so an orchestrator never restarts the daemon for a
 * database outage it would survive anyway.
 */
#include "http/handlers.h"
#include "http/reply.h"

enum MHD_Result http_handler_healthz_get(http_request *req)
{
    return http_reply_json(req, MHD_HTTP_OK, json_pack("{s:s}", "status", "ok"));
}
