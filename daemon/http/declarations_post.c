/*
 * declarations_post.c: POST /api/v1/declarations, a JSON submission (doc/api.md). Roles:
 * ingest (any provider) and provider (its own AGB). The body was capped while it arrived
 * ([server] max_body_bytes, 413); the line cap is [server] max_lines_per_submission.
 */
#include <string.h>

#include "http/handlers.h"
#include "http/reply.h"
#include "http/submission_common.h"
#include "json_decl.h"

enum MHD_Result http_handler_declarations_post(http_request *req)
{
    if (!http_request_content_type_is(req, "application/json"))
        return http_reply_error(req, LV_HTTP_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                                "send the submission as application/json");
    if (!req->body || req->body_len == 0)
        return http_reply_error(req, LV_HTTP_BAD_REQUEST, "body", "the request has no body");
    lv_error err = {0};
    decl_submission *sub =
        json_decl_parse(req->body, req->body_len, req->config->max_lines_per_submission, &err);
    return http_submission_ingest(req, "http-json", sub, &err);
}
