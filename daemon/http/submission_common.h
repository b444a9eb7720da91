/*
 * submission_common.h: what the two submission handlers (declarations_post.c for JSON,
 * declarations_aw319_post.c for AW319 files) share once their body is parsed: the check
 * that a provider token submits only for its own AGB, reference data, the one ingest path,
 * and the reply (201 new, 200 replay, 409, 422, 503 with Retry-After).
 */
#ifndef LVHCMON_HTTP_SUBMISSION_COMMON_H
#define LVHCMON_HTTP_SUBMISSION_COMMON_H

#include "declaration.h"
#include "error.h"
#include "http/request.h"

/**
 * Stores a parsed submission, or records a rejected one, and answers the request.
 * @param sub  the parsed submission (taken and freed), or NULL when parsing failed
 * @param err  the parser's error when @a sub is NULL
 */
enum MHD_Result http_submission_ingest(http_request *req, const char *channel, decl_submission *sub,
                                       const lv_error *err);

#endif
