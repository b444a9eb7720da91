/*
 * declarations_aw319_post.c: POST /api/v1/declarations/aw319, an AW319 file as the body
 * (any Content-Type; text/plain or application/octet-stream in practice). Roles: ingest
 * and provider (its own AGB, as the file's header states it). A file whose structure or
 * trailer is wrong is rejected whole with 422 and nothing but the attempt is stored.
 */
#include "aw319.h"
#include "http/handlers.h"
#include "http/reply.h"
#include "http/submission_common.h"

enum MHD_Result http_handler_declarations_aw319_post(http_request *req)
{
    if (!req->body || req->body_len == 0)
        return http_reply_error(req, LV_HTTP_BAD_REQUEST, "body", "the request has no body");
    lv_error err = {0};
    decl_submission *sub =
        aw319_parse(req->body, req->body_len, req->config->max_lines_per_submission, &err);
    return http_submission_ingest(req, "http-aw319", sub, &err);
}
