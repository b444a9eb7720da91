/*
 * status_get.c: GET /api/v1/status?year=Y: the budget status document of a year (doc/api.md),
 * answered from the year's snapshot with its ETag (304 on If-None-Match).
 * Roles: controller, dashboard (the snapshot's document as it is); provider (its own view,
 * rendered per request: snapshot_provider_view.h).
 */
#include "http/handlers.h"
#include "http/reply.h"
#include "http/snapshot_reply.h"
#include "snapshot/snapshot_provider_view.h"

enum MHD_Result http_handler_status_get(http_request *req)
{
    const snapshot *snap = http_snapshot_acquire(req);
    if (snap == NULL)
        return MHD_YES; /* answered */
    if (req->principal.role != AUTH_ROLE_PROVIDER)
        return http_reply_snapshot_doc(req, snap, &snap->status_doc);
    snapshot_doc doc;
    if (!snapshot_provider_status_doc(snap, req->principal.provider_agb, &doc)) {
        snapshot_release(snap);
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL, "cannot encode the response");
    }
    return http_reply_rendered_doc(req, snap, &doc);
}
