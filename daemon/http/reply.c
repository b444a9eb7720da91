/*
 * reply.c: building and queueing responses (see reply.h).
 *
 * Default headers: Cache-Control: no-store (API data is live and may be personal) and
 * X-Content-Type-Options: nosniff. Every answer to an authenticated request says
 * Cache-Control: private, no-cache, whatever the handler asked for: it was made for one
 * token, so no shared cache may keep it, and a private one must ask again before reusing
 * it (answers to public requests, such as the dashboard's files, keep theirs). Over HTTPS
 * every answer carries Strict-Transport-Security. Every 503 says when to try again
 * (Retry-After), whichever handler answered it: a 503 here always means "the database is
 * away or busy for now". While the daemon shuts down, responses also say Connection:
 * close, so that keep-alive clients do not start new requests on a server that is
 * draining.
 */
#include "http/reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/server.h"

#define JSON_TYPE "application/json"
#define CACHE_AUTHENTICATED "private, no-cache"
/* A year, for HTTPS only; subdomains are not the daemon's to speak for. */
#define HSTS_VALUE "max-age=31536000"

static bool has_header(const http_header *headers, const char *name)
{
    for (const http_header *h = headers; h != NULL && h->name != NULL; h++)
        if (strcasecmp(h->name, name) == 0)
            return true;
    return false;
}

void http_reply_headers(http_request *req, struct MHD_Response *resp, const http_header *headers)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    if (req->authenticated)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, CACHE_AUTHENTICATED);
    else if (!has_header(headers, MHD_HTTP_HEADER_CACHE_CONTROL))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
    for (const http_header *h = headers; h != NULL && h->name != NULL; h++)
        if (!req->authenticated || strcasecmp(h->name, MHD_HTTP_HEADER_CACHE_CONTROL) != 0)
            MHD_add_response_header(resp, h->name, h->value);
    if (req->server != NULL && http_server_tls(req->server))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_STRICT_TRANSPORT_SECURITY, HSTS_VALUE);
    if (req->server != NULL && http_server_stopping(req->server))
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONNECTION, "close");
}

enum MHD_Result http_reply(http_request *req, unsigned status, const char *content_type,
                           const void *body, size_t len, const http_header *headers)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(len, (void *)(len > 0 ? body : ""), MHD_RESPMEM_MUST_COPY);
    if (resp == NULL)
        return MHD_NO;
    MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, content_type);
    http_reply_headers(req, resp, headers);
    if (status == MHD_HTTP_SERVICE_UNAVAILABLE && !has_header(headers, "Retry-After"))
        MHD_add_response_header(resp, "Retry-After", HTTP_RETRY_AFTER_S);
    if (req->on_pool_thread) {
        /* The connection is suspended: the answer waits in the request until it resumes
         * (server.c queues it then and destroys it). As with MHD_queue_response(), the
         * first answer stands. */
        if (req->kept_response != NULL) {
            MHD_destroy_response(resp);
            return MHD_NO;
        }
        req->kept_response = resp;
        req->kept_status = status;
        req->replied = true;
        req->status = status;
        return MHD_YES;
    }
    enum MHD_Result ret = MHD_queue_response(req->connection, status, resp);
    MHD_destroy_response(resp);
    if (ret == MHD_YES) {
        req->replied = true;
        req->status = status;
    }
    return ret;
}

enum MHD_Result http_reply_json_headers(http_request *req, unsigned status, json_t *json,
                                        const http_header *headers)
{
    char *text = json != NULL ? json_dumps(json, JSON_COMPACT) : NULL;
    json_decref(json);
    if (text == NULL) {
        static const char fallback[] =
            "{\"error\":{\"code\":\"internal\",\"message\":\"cannot encode the response\","
            "\"field\":null}}";
        return http_reply(req, MHD_HTTP_INTERNAL_SERVER_ERROR, JSON_TYPE, fallback,
                          sizeof fallback - 1, NULL);
    }
    enum MHD_Result ret = http_reply(req, status, JSON_TYPE, text, strlen(text), headers);
    free(text);
    return ret;
}

enum MHD_Result http_reply_json(http_request *req, unsigned status, json_t *json)
{
    return http_reply_json_headers(req, status, json, NULL);
}

enum MHD_Result http_reply_lv_error(http_request *req, const lv_error *err,
                                    const http_header *headers)
{
    unsigned status = (unsigned)lv_error_http_status(err);
    /* The caller's headers, plus WWW-Authenticate on a 401 (RFC 6750). */
    http_header all[8];
    size_t n = 0;
    for (const http_header *h = headers; h != NULL && h->name != NULL && n < 6; h++)
        all[n++] = *h;
    if (status == MHD_HTTP_UNAUTHORIZED)
        all[n++] = (http_header){MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer"};
    all[n] = (http_header){NULL, NULL};
    return http_reply_json_headers(req, status, lv_error_json_new(err), all);
}

enum MHD_Result http_reply_db_failure(http_request *req, db_status st)
{
    if (st == DB_UNAVAILABLE && req->db != NULL && db_conn_timed_out(req->db))
        return http_reply_error(req, LV_DB_TIMEOUT, NULL,
                                "the database did not answer within [database] "
                                "statement_timeout_ms; try again later");
    if (st == DB_UNAVAILABLE)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL,
                                "the database is unavailable; try again later");
    return http_reply_error(req, LV_HTTP_INTERNAL, NULL,
                            "internal error: a database statement failed (the server log has "
                            "the details)");
}

enum MHD_Result http_reply_no_db(http_request *req)
{
    lv_error err = *http_request_db_error(req);
    if (err.code == LV_DB_BUSY)
        return http_reply_lv_error(req, &err, NULL); /* 503 busy, with Retry-After */
    if (err.code != LV_HTTP_UNAVAILABLE)             /* reachable but unusable: logged, not shown */
        return http_reply_db_failure(req, DB_FAILED);
    lv_error_prefix(&err, "database unavailable");
    return http_reply_lv_error(req, &err, NULL);
}

static enum MHD_Result reply_error_v(http_request *req, lv_code code, const char *field,
                                     const http_header *headers, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static enum MHD_Result reply_error_v(http_request *req, lv_code code, const char *field,
                                     const http_header *headers, const char *fmt, va_list ap)
{
    lv_error err;
    lv_error_set(&err, code, 0, field, "%s", "");
    if (fmt != NULL)
        vsnprintf(err.message, sizeof err.message, fmt, ap);
    return http_reply_lv_error(req, &err, headers);
}

enum MHD_Result http_reply_error(http_request *req, lv_code code, const char *field,
                                 const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum MHD_Result ret = reply_error_v(req, code, field, NULL, fmt, ap);
    va_end(ap);
    return ret;
}

enum MHD_Result http_reply_error_headers(http_request *req, lv_code code, const char *field,
                                         const http_header *headers, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum MHD_Result ret = reply_error_v(req, code, field, headers, fmt, ap);
    va_end(ap);
    return ret;
}
