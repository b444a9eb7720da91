/*
 * reply.h: every HTTP answer goes through http_reply(), so that every response carries the
 * same headers, and every error answer through http_reply_lv_error(), so that every error
 * has the same shape (lv_error_json_new() of lib/error.h):
 *   {"error": {"code": "0435", "message": "...", "field": "lines[3].client_bsn"
 *              [, "detail": "..."][, "hint": "..."]}}
 * with code, HTTP status and default message taken from the registry in lib/codes.h.
 *
 * A database failure answers by its db_status (http_reply_db_failure()): 503 with
 * Retry-After when the database is unavailable, 500 "internal" when a statement failed (the
 * database layer has logged it with its SQLSTATE and statement name; the client learns
 * nothing about the SQL).
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
#include "db/db_status.h"
#include "error.h"
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
 *        replaces the default "no-store" of a public answer (an authenticated one is always
 *        "private, no-cache"); a 503 without Retry-After gets HTTP_RETRY_AFTER_S
 * @return MHD_YES when the response was queued
 */
enum MHD_Result http_reply(http_request *req, unsigned status, const char *content_type,
                           const void *body, size_t len, const http_header *headers);

/**
 * Adds the headers every answer carries (see reply.c: nosniff, the Cache-Control policy,
 * Strict-Transport-Security over HTTPS, Connection: close while stopping) and @a headers,
 * for a handler that builds its own response (the snapshot documents).
 * @param headers extra headers ({NULL, NULL}-terminated) or NULL; a Cache-Control among
 *        them counts for a public answer only
 */
void http_reply_headers(http_request *req, struct MHD_Response *resp, const http_header *headers);

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
 * The one function that answers with an error: the body is lv_error_json_new() of @a err,
 * the status the registry's for its code; a 401 says WWW-Authenticate: Bearer, a 503
 * Retry-After.
 * @param headers {NULL, NULL}-terminated extra headers (at most 6), or NULL
 */
enum MHD_Result http_reply_lv_error(http_request *req, const lv_error *err,
                                    const http_header *headers);

/**
 * Answers a database failure: 503 unavailable (with Retry-After) for DB_UNAVAILABLE, or
 * 503 query_timeout when the request's statement ran past [database]
 * statement_timeout_ms; 500 internal for anything else (DB_FAILED; a DB_NOT_FOUND or
 * DB_CONFLICT the handler did not expect is a failure too).
 */
enum MHD_Result http_reply_db_failure(http_request *req, db_status st);

/**
 * Answers a request whose database connection could not be had (http_request_db()
 * returned NULL): 503 when the database is unreachable, 503 busy when every connection of
 * the pool stayed busy for [database] pool_wait_ms, 500 when it is reachable but unusable.
 */
enum MHD_Result http_reply_no_db(http_request *req);

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
