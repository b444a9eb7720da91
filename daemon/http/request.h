/*
 * request.h: what a handler gets: one HTTP request, already routed, authenticated, and
 * with its body read in full (up to [server] max_body_bytes).
 *
 * Handlers have the signature http_handler (routes.h) and read the request only through
 * the fields marked public and the functions below. Everything a request takes (its
 * configuration snapshot, its database connection, its body) is released by the server
 * when the request ends; handlers free nothing of it.
 */
#ifndef LVHCMON_HTTP_REQUEST_H
#define LVHCMON_HTTP_REQUEST_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "app.h"
#include "audit.h"
#include "auth.h"
#include "config_parse.h"
#include "db/db_conn.h"
#include "error.h"

#define HTTP_MAX_SEGMENTS 16

struct http_route;
struct http_server;

typedef struct http_request {
    /* Public, read-only for handlers. */
    struct MHD_Connection *connection;
    const struct http_route *route; /* the matched route */
    const char *method;             /* as received: "GET", "HEAD", "POST" */
    const char *path;               /* percent-decoded path, without the query */
    const char *body;               /* the body, NUL-terminated; NULL when there is none */
    size_t body_len;
    bool authenticated; /* true when principal holds a valid token's identity */
    auth_principal principal;
    lv_app *app;             /* shared state: pool, schema version */
    const lv_config *config; /* the configuration this request runs under */

    /* Private to daemon/http. */
    struct http_server *server;
    app_config_ref *config_ref;
    char *path_buf; /* path split into NUL-terminated segments (in the request's block) */
    char *segments[HTTP_MAX_SEGMENTS];
    size_t n_segments;
    db_conn *db;
    lv_error db_error;
    char *body_buf;
    size_t body_cap;
    size_t body_dropped; /* bytes read and dropped once past the cap */
    bool body_too_large;
    bool replied;
    unsigned status;
    struct timespec started;
    const struct snapshot *snapshot; /* a reference held until the request completes: the
                                      * body of a kept response (snapshot_reply.c) */
    bool addresses_known;            /* client_address and proxy_address are filled */
    /* A request of an HTTP_ROUTE_OWN_THREAD route runs on the handler pool while its
     * connection is suspended; its answer is kept here until the connection resumes and
     * the access handler queues it (server.c). */
    bool on_pool_thread;
    struct MHD_Response *kept_response;
    unsigned kept_status;
    enum MHD_Result kept_result;      /* what the handler returned */
    struct http_request *next_queued; /* the handler pool's queue (handler_pool.c) */
    /* Last: not cleared when the request is made (server.c). */
    char client_address[AUDIT_ADDRESS_LEN];
    char proxy_address[AUDIT_ADDRESS_LEN];
} http_request;

/**
 * A path parameter by the name it has in the route pattern.
 * @param req the request
 * @param name "agb" for the pattern "/api/v1/providers/{agb}"
 * @return the segment's text (percent-decoded), or NULL when the route has no such parameter
 */
const char *http_request_param(const http_request *req, const char *name);

/**
 * A query-string argument.
 * @param req the request
 * @param key "year" for "?year=2026"
 * @return the decoded value, or NULL when absent (or given without "=value")
 */
const char *http_request_query(const http_request *req, const char *key);

/**
 * A request header.
 * @param req the request
 * @param name header name, any case
 * @return the value, or NULL when absent
 */
const char *http_request_header(const http_request *req, const char *name);

/**
 * Whether the request's Content-Type is @a type, in any case, parameters such as
 * "; charset=utf-8" allowed.
 * @param type a media type in lower case: "application/json", "text/csv"
 */
bool http_request_content_type_is(const http_request *req, const char *type);

/**
 * From where the request comes (http/client_address.h), worked out on first use: only an
 * audited request needs it, and a status read should not pay for formatting addresses.
 * @param req the request
 * @param client receives the client's numeric address ("" when unknown); valid for the
 *        request's life
 * @param proxy receives the trusted proxy's address, "" when the client connected directly
 */
void http_request_addresses(http_request *req, const char **client, const char **proxy);

/**
 * @param req the request
 * @param roles a mask of auth_role bits
 * @return true when the request is authenticated with one of @a roles
 */
bool http_request_has_role(const http_request *req, unsigned roles);

/**
 * The request's database connection, checked out of the pool on first use and put back
 * when the handler returns.
 * @param req the request
 * @return the connection, or NULL when none could be had (answer with http_reply_no_db())
 */
db_conn *http_request_db(http_request *req);

/** @return why http_request_db() returned NULL (code unavailable or internal). */
const lv_error *http_request_db_error(const http_request *req);

#endif
