/*
 * alerts_common.h: what the alert endpoints (alerts_get.c, alert_get.c, alert_ack_post.c)
 * share: the {fingerprint} path parameter and the JSON reply, with an ETag on reads, answering
 * 304 when the client's If-None-Match names it (dashboards poll the alert list like the
 * status).
 */
#ifndef LVHCMON_HTTP_ALERTS_COMMON_H
#define LVHCMON_HTTP_ALERTS_COMMON_H

#include <jansson.h>
#include <stdbool.h>

#include "http/request.h"

/**
 * Reads the {fingerprint} path parameter: 16 lower-case hex digits.
 * @param out receives the fingerprint
 * @return true with @a out set; false when the request was answered 404 alert_not_found (no
 *         alert can have such a fingerprint)
 */
bool http_alert_fingerprint(http_request *req, const char **out);

/**
 * Answers 200 with @a doc, its ratios written with 10 significant digits as in the status
 * documents (0.48944, not 0.48943999999999999).
 * @param doc the document; this function takes the reference
 * @param conditional true for a read: the answer carries a strong ETag (FNV-1a 64 of the
 *        body, as the snapshot documents) and Cache-Control: no-cache, and is 304 without a
 *        body when If-None-Match names that ETag
 */
enum MHD_Result http_reply_alerts_doc(http_request *req, json_t *doc, bool conditional);

#endif
