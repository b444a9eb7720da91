/*
 * routes.h: the routing table of the HTTP API. Every endpoint is one row of ROUTES in
 * routes.c: method, path pattern, handler, and who may call it. To find any endpoint, read
 * that table; to add one, add a row and a handler file daemon/http/<resource>_<verb>.c
 * declaring its function in http/handlers.h.
 *
 * Patterns are literal segments and {name} segments that match any one non-empty segment
 * ("/api/v1/providers/{agb}/declarations"); handlers read them with http_request_param().
 * HEAD requests are served by the GET route of the same path.
 *
 * Before a handler runs the server has: matched the route (404, or 405 with Allow),
 * authenticated the token when the route needs one (401, 403 for a role not in `roles`,
 * 503 when the token cannot be checked), and, for routes with HTTP_ROUTE_BODY, read the
 * whole body within [server] max_body_bytes (413 as soon as it is exceeded). Checks of the
 * provider's own AGB (404 for another provider's data) are the handler's.
 */
#ifndef LVHCMON_HTTP_ROUTES_H
#define LVHCMON_HTTP_ROUTES_H

#include <microhttpd.h>
#include <stddef.h>

#include "auth.h"
#include "http/request.h"

/** A handler answers one request, always through the reply functions of reply.h. */
typedef enum MHD_Result (*http_handler)(http_request *req);

/** `roles` value of a route anyone may call without a token. */
#define HTTP_PUBLIC 0u

/** Route flags. */
enum {
    HTTP_ROUTE_BODY = 1u << 0,         /* the request carries a body (read before dispatch) */
    HTTP_ROUTE_METRICS_AUTH = 1u << 1, /* public, unless [metrics] require_token: any token */
    HTTP_ROUTE_OWN_THREAD = 1u << 2,   /* a slow handler: runs on a thread of the handler
                                        * pool, not a polling thread (handler_pool.h); it
                                        * answers through reply.c's http_reply() family only,
                                        * which keeps the answer for the resumed connection
                                        * (snapshot_reply.c queues its kept responses itself) */
};

typedef struct http_route {
    const char *method;   /* "GET", "POST" */
    const char *pattern;  /* "/api/v1/providers/{agb}" */
    http_handler handler; /* http_handler_<resource>_<verb> */
    unsigned roles;       /* HTTP_PUBLIC, or a mask of auth_role bits admitted */
    unsigned flags;       /* HTTP_ROUTE_* */
} http_route;

/**
 * Splits a path into segments in place ("/a/b" -> "a", "b"; "/" -> "").
 * @param path a writable copy of the path; must start with '/'
 * @param segments receives pointers into @a path
 * @param max capacity of @a segments
 * @return the number of segments, or 0 when the path does not start with '/' or has more
 *         than @a max segments
 */
size_t http_path_split(char *path, char **segments, size_t max);

/**
 * Finds the route of a request.
 * @param method request method (HEAD is looked up as GET)
 * @param segments path segments from http_path_split()
 * @param n number of segments
 * @param allow receives the methods the path has when no route matches the method (for
 *        405's Allow header: "GET, HEAD"), "" when the path is unknown
 * @param allow_len size of @a allow
 * @return the route, or NULL
 */
const http_route *http_route_find(const char *method, char *const *segments, size_t n, char *allow,
                                  size_t allow_len);

#endif
