/*
 * group_get.c: GET /api/v1/groups/{code}?year=Y: one target group of a year: its spend
 * (against the national cap and any extra cap of its own), its months and the providers
 * that declared in it. Answered from the year's snapshot with its ETag.
 * Roles: controller, dashboard. An unknown group code is 404.
 */
#include "http/handlers.h"
#include "http/reply.h"
#include "http/snapshot_reply.h"

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
    return http_reply_snapshot_doc(req, snap, doc);
}
