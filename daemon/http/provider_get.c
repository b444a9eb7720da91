/*
 * provider_get.c: GET /api/v1/providers/{agb}?year=Y: one provider's figures of a year,
 * month by month and per target group. Roles: controller, and that provider itself; a
 * provider token asking for another AGB gets the same 404 as an unknown AGB, so it cannot
 * learn which providers exist.
 */
#include <string.h>

#include "http/handlers.h"
#include "http/reply.h"
#include "http/snapshot_reply.h"

enum MHD_Result http_handler_provider_get(http_request *req)
{
    const char *agb = http_request_param(req, "agb");
    if (req->principal.role == AUTH_ROLE_PROVIDER && strcmp(agb, req->principal.provider_agb) != 0)
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    const snapshot *snap = http_snapshot_acquire(req);
    if (snap == NULL)
        return MHD_YES; /* answered */
    if (!snapshot_docs_ensure(snap)) {
        snapshot_release(snap);
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL,
                                "the provider documents could not be built (out of memory)");
    }
    const snapshot_doc *doc = snapshot_provider_doc_find(snap, agb);
    if (doc == NULL) {
        snapshot_release(snap);
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    }
    return http_reply_snapshot_doc(req, snap, doc);
}
