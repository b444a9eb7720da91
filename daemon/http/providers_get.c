/*
 * providers_get.c: GET /api/v1/providers?year=Y[&as_of=D][&zorgkantoor=Z]: every provider
 * with its spend of the year, the last month it declared and the months it has not
 * declared although they are due; with zorgkantoor, only the providers the reference data
 * places in it, and that zorgkantoor's spend and share of the national spend (the cap stays
 * national). Answered from the year's snapshot (or the one as of D) with its ETag. Roles:
 * controller only (per provider figures are not aggregates, so the dashboard role does not
 * get them).
 */
#include <string.h>

#include "http/handlers.h"
#include "http/reply.h"
#include "http/snapshot_reply.h"
#include "text.h"

/* A zorgkantoor code as doc/domain.md has it: four digits, 5501..5533. */
static bool zorgkantoor_code_valid(const char *code)
{
    if (!text_is_digits(code, 4))
        return false;
    int n = (code[0] - '0') * 1000 + (code[1] - '0') * 100 + (code[2] - '0') * 10 + (code[3] - '0');
    return n >= 5501 && n <= 5533;
}

enum MHD_Result http_handler_providers_get(http_request *req)
{
    const char *zk = http_request_query(req, "zorgkantoor");
    if (zk != NULL && !zorgkantoor_code_valid(zk))
        return http_reply_error(req, LV_HTTP_BAD_REQUEST, "zorgkantoor",
                                "zorgkantoor must be a zorgkantoor code of four digits, 5501 to "
                                "5533, like 5509");
    const snapshot *snap = http_snapshot_acquire(req);
    if (snap == NULL)
        return MHD_YES; /* answered */
    /* every valid code has its document, with zeros when nothing is there; NULL: out of
     * memory */
    const snapshot_doc *doc =
        zk == NULL ? snapshot_providers_doc(snap) : snapshot_zk_doc_find(snap, zk);
    if (doc == NULL) {
        snapshot_release(snap);
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL, "no providers document%s%s",
                                zk ? " for zorgkantoor " : "", zk ? zk : "");
    }
    return http_reply_snapshot_doc(req, snap, doc);
}
