/*
 * group_get.c: GET /api/v1/groups/{code}?year=Y: one target group of a year: its spend
 * (against the national cap and any extra cap of its own), its months and the providers
 * that declared in it. Answered from the year's snapshot with its ETag.
 * Roles: controller, dashboard; provider (of the per-provider rows only its own:
 * snapshot_provider_view.h). An unknown group code is 404.
 */
#include "http/handlers.h"
#include "http/reply.h"
#include "http/snapshot_reply.h"
#include "snapshot/snapshot_provider_view.h"

enum MHD_Result http_handler_group_get(http_request *req)
{
    const char *code = http_request_param(req, "code");
    const snapshot *snap = http_snapshot_acquire(req);
    if (snap == NULL)
        return MHD_YES; /* answered */
    if (!snapshot_docs_ensure(snap)) {
        snapshot_release(snap);
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL,
                                "the group documents could not be built (out of memory)");
    }
    const snapshot_doc *doc = snapshot_group_doc_find(snap, code);
    if (doc == NULL) {
        snapshot_release(snap);
        return http_reply_error(req, LV_GROUP_NOT_FOUND, NULL, "no such target group");
    }
    if (req->principal.role != AUTH_ROLE_PROVIDER)
        return http_reply_snapshot_doc(req, snap, doc);
    snapshot_doc own;
    if (!snapshot_provider_group_doc(doc, req->principal.provider_agb, &own)) {
        snapshot_release(snap);
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL, "cannot encode the response");
    }
    return http_reply_rendered_doc(req, snap, &own);
}
