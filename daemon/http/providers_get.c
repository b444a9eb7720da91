/*
 * providers_get.c: GET /api/v1/providers?year=Y: every provider with its spend of the
 * year, the last month it declared and the months it has not declared although they are
 * due. Answered from the year's snapshot with its ETag. Roles: controller only (per
 * provider figures are not aggregates, so the dashboard role does not get them).
 */
#include "http/handlers.h"
#include "http/snapshot_reply.h"

enum MHD_Result http_handler_providers_get(http_request *req)
{
    const snapshot *snap = http_snapshot_acquire(req);
    if (snap == NULL)
        return MHD_YES; /* answered */
    return http_reply_snapshot_doc(req, snap, &snap->providers_doc);
}
