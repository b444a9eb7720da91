/*
 * alerts_common.c: the path parameter and the ETag reply of the alert endpoints (see
 * alerts_common.h).
 */
#include "http/alerts_common.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alert_rules.h"
#include "http/reply.h"
#include "http/snapshot_reply.h"

bool http_alert_fingerprint(http_request *req, const char **out)
{
    const char *fp = http_request_param(req, "fingerprint");
    if (fp == NULL || strlen(fp) != ALERT_FINGERPRINT_LEN ||
        strspn(fp, "0123456789abcdef") != ALERT_FINGERPRINT_LEN) {
        http_reply_error(req, LV_ALERT_NOT_FOUND, NULL, "no such alert");
        return false;
    }
    *out = fp;
    return true;
}

enum MHD_Result http_reply_alerts_doc(http_request *req, json_t *doc, bool conditional)
{
    char *body = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_REAL_PRECISION(10)) : NULL;
    json_decref(doc);
    if (body == NULL)
        return http_reply_error(req, LV_HTTP_INTERNAL, NULL, "cannot encode the response");
    const size_t len = strlen(body);
    uint64_t h = UINT64_C(0xcbf29ce484222325); /* FNV-1a 64 */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)body[i];
        h *= UINT64_C(0x100000001b3);
    }
    char etag[24];
    snprintf(etag, sizeof etag, "\"%016" PRIx64 "\"", h);
    const http_header headers[] = {
        {MHD_HTTP_HEADER_ETAG, etag}, {MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache"}, {NULL, NULL}};
    enum MHD_Result ret;
    if (!conditional)
        ret = http_reply(req, MHD_HTTP_OK, "application/json", body, len, NULL);
    else if (http_etag_matches(http_request_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH), etag))
        ret = http_reply(req, MHD_HTTP_NOT_MODIFIED, "application/json", NULL, 0, headers);
    else
        ret = http_reply(req, MHD_HTTP_OK, "application/json", body, len, headers);
    free(body);
    return ret;
}
