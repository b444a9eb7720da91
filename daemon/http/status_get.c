/*
 * status_get.c: GET /api/v1/status?year=Y: the budget status document of a year (doc/api.md),
 * answered from the year's snapshot with its ETag (304 on If-None-Match).
 * Roles: controller, dashboard.
 */
#include "http/handlers.h"
#include "http/snapshot_reply.h"

enum MHD_Result http_handler_status_get(http_request *req)
{
    const snapshot *snap = http_snapshot_acquire(req);
    if (snap == NULL)
        return MHD_YES; /* answered */
    return http_reply_snapshot_doc(req, snap, &snap->status_doc);
}
