/*
 * reply.h: every HTTP answer goes through http_reply(), so that every response carries the
 * same headers and every error has the same shape:
 *   {"error": {"code": "0435", "message": "...", "field": "lines[3].client_bsn"}}
 * with code, HTTP status and default message taken from the registry in lib/codes.h.
 *
 * Each function queues the response on the request's connection and returns what
 * MHD_queue_response() returned, so a handler ends with `return http_reply_...(req, ...);`.
 */
#ifndef LVHCMON_HTTP_REPLY_H
#define LVHCMON_HTTP_REPLY_H

#include <jansson.h>
#include <microhttpd.h>
#include <stddef.h>

#include "codes.h"
#include "http/request.h"

/** Retry-After (seconds) of every 503 that does not name its own. */
#define HTTP_RETRY_AFTER_S "5"

/** One extra response header. Arrays of them end with {NULL, NULL}. */
typedef struct {
    const char *name;
    const char *value;
} http_header;

/**
 * The one function that answers a request.
 * @param req the request
 * @param status HTTP status
 * @param content_type value of Content-Type
 * @param body response body (copied); may be NULL when @a len is 0
 * @param len length of @a body
 * @param headers extra headers ({NULL, NULL}-terminated) or NULL; a Cache-Control given here
 *        replaces the default "no-store"; a 503 without Retry-After gets HTTP_RETRY_AFTER_S
 * @return MHD_YES when the response was queued
 */
enum MHD_Result http_reply(http_request *req, unsigned status, const char *content_type,
                           const void *body, size_t len, const http_header *headers);

/**
 * Answers with a JSON document.
 * @param req the request
 * @param status HTTP status
 * @param json the document; this function takes the reference (json_decref)
 * @return MHD_YES when the response was queued
 */
enum MHD_Result http_reply_json(http_request *req, unsigned status, json_t *json);

/**
 * Answers with a JSON document and extra headers (ETag, Location, ...).
 * @param json the document; this function takes the reference
 * @param headers {NULL, NULL}-terminated extra headers, or NULL
 */
enum MHD_Result http_reply_json_headers(http_request *req, unsigned status, json_t *json,
                                        const http_header *headers);

/**
 * Answers with an error object. The HTTP status is the registry's for @a code.
 * @param req the request
 * @param code registry code (lib/codes.h)
 * @param field the offending field ("year", "lines[2].minutes"), or NULL
 * @param fmt printf-style message, or NULL for the registry's reason
 * @return MHD_YES when the response was queued
 */
enum MHD_Result http_reply_error(http_request *req, lv_code code, const char *field,
                                 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/**
 * Answers with an error object and extra headers (Allow for a 405, Retry-After, ...).
 * @param headers {NULL, NULL}-terminated extra headers (at most 6), or NULL
 */
enum MHD_Result http_reply_error_headers(http_request *req, lv_code code, const char *field,
                                         const http_header *headers, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

#endif
