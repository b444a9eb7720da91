/*
 * declarations_post.c: POST /api/v1/declarations, a JSON submission (doc/api.md). Roles:
 * ingest (any provider) and provider (its own AGB). The body was capped while it arrived
 * ([server] max_body_bytes, 413); the line cap is [server] max_lines_per_submission.
 */
#include <string.h>
#include <strings.h>

#include "http/handlers.h"
#include "http/reply.h"
#include "http/submission_common.h"
#include "json_decl.h"

/* @return true when the Content-Type is JSON (parameters such as charset allowed). */
static bool is_json(const char *content_type)
{
    if (!content_type)
        return false;
    size_t n = strcspn(content_type, ";");
    while (n > 0 && content_type[n - 1] == ' ')
        n--;
    return n == strlen("application/json") && strncasecmp(content_type, "application/json", n) == 0;
}

enum MHD_Result http_handler_declarations_post(http_request *req)
{
    if (!is_json(http_request_header(req, "Content-Type")))
        return http_reply_error(req, LV_HTTP_UNSUPPORTED_MEDIA_TYPE, "Content-Type",
                                "send the submission as application/json");
    if (!req->body || req->body_len == 0)
        return http_reply_error(req, LV_HTTP_BAD_REQUEST, "body", "the request has no body");
    lv_error err = {0};
    decl_submission *sub =
        json_decl_parse(req->body, req->body_len, req->config->max_lines_per_submission, &err);
    return http_submission_ingest(req, "http-json", sub, &err);
}
