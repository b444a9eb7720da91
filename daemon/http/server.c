/*
 * server.c: libmicrohttpd glue and the request pipeline (see server.h).
 *
 * MHD calls the access handler several times per request: once when the headers are in,
 * then once per piece of body, then once more with no data. We use the calls like this:
 *
 *   first call    create the http_request, match the route, authenticate, and refuse a
 *                 declared Content-Length above the cap, or any body at all on a route
 *                 that takes none (413 body_not_allowed): any refusal is queued right
 *                 away, so MHD never reads (nor answers "100 Continue" for) a body we will
 *                 not use, and closes the connection after the answer.
 *   body pieces   append to the request's buffer while it stays within the cap. Once the
 *                 cap is passed (a chunked body, whose length is not declared) the buffer
 *                 is freed and the rest is dropped as it arrives, never stored.
 *                 libmicrohttpd 0.9.x refuses to queue a response while a body is still
 *                 arriving (MHD_queue_response() returns MHD_NO), so the 413 follows when
 *                 the body ends; a client that keeps sending more than BODY_DRAIN_MIN (or
 *                 max_body_bytes) beyond the cap has its connection closed instead.
 *   last call     run the handler with the complete body, then return the request's
 *                 database connection to the pool at once (the response is already queued).
 *                 A slow route's handler (HTTP_ROUTE_OWN_THREAD: storing a submission, the
 *                 workbook) runs on the handler pool instead, with the connection
 *                 suspended (handler_pool.h); its answer waits in the request.
 *   after resume  the call libmicrohttpd makes once the pool resumed the connection:
 *                 queue the answer the handler left.
 *
 * The request is freed in the completion callback, which MHD calls once the response has
 * been sent (or the connection died); that is also where the in-flight count drops, which
 * graceful shutdown waits on. The body, which may hold clear BSNs, is wiped as it grows and
 * when it is freed (lib/wipe.h).
 *
 * Limits against abuse, all from [server]: connection_limit connections at once, at most
 * per_ip_connection_limit from one address (MHD_OPTION_PER_IP_CONNECTION_LIMIT; behind a
 * proxy that is the proxy's address), connection_timeout_s of inactivity, and
 * request_timeout_s for sending a whole request however slowly (conn_deadline.h).
 *
 * TLS: with [server] tls_cert_file and tls_key_file the daemon speaks HTTPS only
 * (libmicrohttpd over GnuTLS, MHD_USE_TLS); a plain HTTP request to that port gets no
 * answer, and every answer carries Strict-Transport-Security (reply.c).
 *
 * Connection memory: each connection's buffers come from a libmicrohttpd memory pool of
 * CONNECTION_MEMORY bytes, which is then mapped with mmap() rather than taken from the
 * heap, so the request bytes it held (clear BSNs in a submission) go back to the kernel
 * when the connection closes instead of lingering in freed heap memory.
 */
#include "http/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "http/conn_deadline.h"
#include "http/handler_pool.h"
#include "http/reply.h"
#include "http/routes.h"
#include "log.h"
#include "metrics/metrics.h"
#include "snapshot/snapshot.h"
#include "wipe.h"

/* First allocation for a body of unknown length; grows by doubling up to the cap. */
#define BODY_INITIAL 16384
/* After the cap is passed, read and drop at most this much more (or max_body_bytes if more)
 * to be able to answer 413; beyond it, close the connection. */
#define BODY_DRAIN_MIN (1024 * 1024)
/* Memory of one connection's pool (headers and read buffer); above 32 KiB libmicrohttpd
 * maps it with mmap() (see the file comment). One page above that, no more: libmicrohttpd
 * 0.9.x clears the whole pool between the requests of a keep-alive connection, and at
 * 64 KiB that memset was 80 % of the instructions of a status read (valgrind's callgrind,
 * bench/status_callgrind.sh). The request line and headers must fit in it, as in
 * libmicrohttpd's own default of 32 KiB. */
#define CONNECTION_MEMORY (32 * 1024 + 4096)

struct http_server {
    struct MHD_Daemon *mhd;
    lv_app *app;
    conn_deadline *deadlines;
    bool tls;
    uint16_t port;
    atomic_bool stopping;
    MHD_socket quiesced;  /* the listening socket after quiescing: closed after MHD stops */
    pthread_mutex_t lock; /* with idle: http_server_wait_idle() sleeps until in_flight is 0 */
    pthread_cond_t idle;
    atomic_uint in_flight;  /* requests begun and not yet completed */
    handler_pool *handlers; /* runs the HTTP_ROUTE_OWN_THREAD handlers */
};

bool http_server_stopping(const http_server *srv)
{
    return atomic_load(&srv->stopping);
}

/* ---------------------------------------------------------------------------------------- */
/* Request life                                                                             */

static http_request *request_new(http_server *srv, struct MHD_Connection *connection,
                                 const char *url, const char *method)
{
    /* One allocation: the request, then its own copies of the method and of the path twice
     * (MHD's strings may be gone by the completion callback, which logs them; the second
     * copy of the path is split into segments). Only the struct's head is cleared: the
     * buffers at its end (the addresses) are written before they are read. */
    size_t method_len = strlen(method) + 1, url_len = strlen(url) + 1;
    http_request *req = malloc(sizeof *req + method_len + 2 * url_len);
    if (req == NULL)
        return NULL;
    memset(req, 0, offsetof(http_request, client_address));
    char *strings = (char *)(req + 1);
    req->method = memcpy(strings, method, method_len);
    req->path = memcpy(strings + method_len, url, url_len);
    req->path_buf = memcpy(strings + method_len + url_len, url, url_len);
    req->connection = connection;
    req->server = srv;
    req->app = srv->app;
    req->config_ref = app_config_acquire(srv->app);
    req->config = app_config_ref_get(req->config_ref);
    clock_gettime(CLOCK_MONOTONIC, &req->started);
    atomic_fetch_add_explicit(&srv->in_flight, 1, memory_order_relaxed);
    return req;
}

static void request_release_db(http_request *req)
{
    if (req->db != NULL) {
        db_pool_put(req->app->pool, req->db);
        req->db = NULL;
    }
}

static void request_free(http_request *req)
{
    http_server *srv = req->server;
    request_release_db(req);
    if (req->kept_response != NULL) /* the connection died before its answer was queued */
        MHD_destroy_response(req->kept_response);
    snapshot_release(req->snapshot);
    app_config_release(req->app, req->config_ref);
    lv_wipe_free(req->body_buf); /* a submission's body holds clear BSNs */
    free(req);
    /* The lock only when the count reaches 0: a waiter checks the count under it, so the
     * wake-up cannot fall between its check and its wait. */
    if (atomic_fetch_sub_explicit(&srv->in_flight, 1, memory_order_acq_rel) == 1) {
        pthread_mutex_lock(&srv->lock);
        pthread_cond_broadcast(&srv->idle);
        pthread_mutex_unlock(&srv->lock);
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Pipeline                                                                                 */

/* Authenticates when the route needs it. @return true to go on; false when an error reply
 * was queued (into *ret). */
static bool check_access(http_request *req, enum MHD_Result *ret)
{
    const http_route *route = req->route;
    bool needs_token = route->roles != HTTP_PUBLIC ||
                       ((route->flags & HTTP_ROUTE_METRICS_AUTH) && req->config->require_token);
    if (!needs_token)
        return true; /* public: a token, if any, is not even looked at (no database work) */
    const char *authorization = http_request_header(req, MHD_HTTP_HEADER_AUTHORIZATION);
    auth_result r = auth_authenticate(req->app->pool, authorization, &req->principal);
    req->authenticated = r == AUTH_OK;
    switch (r) {
    case AUTH_OK:
        break;
    case AUTH_MISSING:
        *ret = http_reply_error(req, LV_HTTP_UNAUTHORIZED, NULL,
                                "this endpoint needs 'Authorization: Bearer TOKEN'");
        return false;
    case AUTH_INVALID:
        *ret = http_reply_error(req, LV_HTTP_UNAUTHORIZED, NULL, "unknown token");
        return false;
    case AUTH_REVOKED:
        *ret = http_reply_error(req, LV_TOKEN_REVOKED, NULL, "this token was revoked");
        return false;
    case AUTH_EXPIRED:
        *ret = http_reply_error(req, LV_TOKEN_EXPIRED, NULL, "this token has expired");
        return false;
    case AUTH_UNAVAILABLE:
        *ret = http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL,
                                "cannot check the token: database unavailable");
        return false;
    case AUTH_FAILED:
        *ret = http_reply_error(req, LV_HTTP_INTERNAL, NULL,
                                "cannot check the token: internal error (see the server log)");
        return false;
    }
    unsigned roles = route->roles != HTTP_PUBLIC ? route->roles : AUTH_ROLES_ANY;
    if (!http_request_has_role(req, roles)) {
        *ret = http_reply_error(req, LV_HTTP_FORBIDDEN, NULL, "the role %s may not %s %s",
                                auth_role_name(req->principal.role), route->method, route->pattern);
        return false;
    }
    return true;
}

static enum MHD_Result on_headers(http_request *req)
{
    req->n_segments = http_path_split(req->path_buf, req->segments, HTTP_MAX_SEGMENTS);
    char allow[128] = "";
    req->route = req->n_segments > 0 ? http_route_find(req->method, req->segments, req->n_segments,
                                                       allow, sizeof allow)
                                     : NULL;
    if (req->route == NULL && allow[0] != '\0') {
        const http_header headers[] = {{MHD_HTTP_HEADER_ALLOW, allow}, {NULL, NULL}};
        return http_reply_error_headers(req, LV_HTTP_METHOD_NOT_ALLOWED, NULL, headers,
                                        "%s is not allowed here; allowed: %s", req->method, allow);
    }
    if (req->route == NULL)
        return http_reply_error(req, LV_HTTP_NOT_FOUND, NULL, "no such resource");

    enum MHD_Result ret = MHD_YES;
    if (!check_access(req, &ret))
        return ret;

    if (!(req->route->flags & HTTP_ROUTE_BODY)) {
        /* No body here: refuse one at once, before a byte of it is read. */
        const char *length = http_request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
        const char *chunked = http_request_header(req, MHD_HTTP_HEADER_TRANSFER_ENCODING);
        if (chunked != NULL || (length != NULL && strspn(length, "0") != strlen(length)))
            return http_reply_error(req, LV_HTTP_BODY_NOT_ALLOWED, NULL,
                                    "%s %s takes no request body", req->route->method,
                                    req->route->pattern);
    } else {
        const char *length = http_request_header(req, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (length != NULL) {
            char *end;
            errno = 0;
            unsigned long long declared = strtoull(length, &end, 10);
            if (errno != 0 || *end != '\0' || declared > req->config->max_body_bytes)
                return http_reply_error(req, LV_HTTP_PAYLOAD_TOO_LARGE, NULL,
                                        "the body is larger than %zu bytes",
                                        req->config->max_body_bytes);
            if (declared > 0) {
                req->body_cap = (size_t)declared + 1;
                req->body_buf = malloc(req->body_cap);
                if (req->body_buf == NULL)
                    return MHD_NO;
            }
        }
    }
    return MHD_YES;
}

/* Appends a piece of body, or drops it once the cap is passed. @return false to close the
 * connection (out of memory, or far too much body). */
static bool on_body(http_request *req, const char *data, size_t size)
{
    size_t max = req->config->max_body_bytes;
    if (req->body_too_large) {
        /* Dropping what follows the cap costs only reading it; but a client that goes on
         * sending far beyond it gets its connection closed instead of its 413. */
        req->body_dropped += size;
        if (req->body_dropped > (max > BODY_DRAIN_MIN ? max : BODY_DRAIN_MIN)) {
            log_info("request body far above the limit: connection closed", "{s:s, s:I}", "path",
                     req->path, "max_body_bytes", (json_int_t)max);
            return false;
        }
        return true;
    }
    if (req->replied || !(req->route->flags & HTTP_ROUTE_BODY))
        return true; /* not ours to keep */
    if (size > max - req->body_len) {
        req->body_too_large = true;
        req->body_dropped = req->body_len + size;
        lv_wipe_free(req->body_buf);
        req->body_buf = NULL;
        req->body_len = 0;
        return true;
    }
    if (req->body_len + size + 1 > req->body_cap) {
        size_t cap = req->body_cap ? req->body_cap : BODY_INITIAL;
        while (cap < req->body_len + size + 1)
            cap *= 2;
        if (cap > max + 1)
            cap = max + 1;
        char *grown = lv_wipe_realloc(req->body_buf, cap);
        if (grown == NULL)
            return false;
        req->body_buf = grown;
        req->body_cap = cap;
    }
    memcpy(req->body_buf + req->body_len, data, size);
    req->body_len += size;
    return true;
}

static enum MHD_Result run_handler(http_request *req);

static enum MHD_Result dispatch(http_request *req)
{
    if (req->body_too_large)
        return http_reply_error(req, LV_HTTP_PAYLOAD_TOO_LARGE, NULL,
                                "the body is larger than %zu bytes", req->config->max_body_bytes);
    if (req->body_buf != NULL) {
        req->body_buf[req->body_len] = '\0';
        req->body = req->body_buf;
    } else if (req->route->flags & HTTP_ROUTE_BODY) {
        req->body = "";
    }
    /* The handler's time is the server's own: no request deadline runs meanwhile. */
    conn_deadline_busy(req->server->deadlines, req->connection, true);
    if ((req->route->flags & HTTP_ROUTE_OWN_THREAD) && req->server->handlers != NULL) {
        /* Suspended first: the pool may finish and resume it before submit returns. */
        req->on_pool_thread = true;
        MHD_suspend_connection(req->connection);
        if (handler_pool_submit(req->server->handlers, req))
            return MHD_YES; /* answered when the connection resumes (on_request) */
        MHD_resume_connection(req->connection); /* the pool stops: run it here */
        req->on_pool_thread = false;
    }
    return run_handler(req);
}

/* The handler, its database connection given back, and the check that it replied. */
static enum MHD_Result run_handler(http_request *req)
{
    enum MHD_Result ret = req->route->handler(req);
    conn_deadline_busy(req->server->deadlines, req->connection, false);
    request_release_db(req); /* the answer is made: let the next request have it */
    if (!req->replied && ret == MHD_YES) {
        log_error("handler returned without replying", "{s:s}", "route", req->route->pattern);
        ret = http_reply_error(req, LV_HTTP_INTERNAL, NULL, NULL);
    }
    return ret;
}

/* A handler pool thread's work (handler_pool_run_fn): the handler, then the connection
 * resumed, so that libmicrohttpd calls on_request() again to queue the kept answer. */
static void run_on_pool_thread(http_request *req)
{
    req->kept_result = run_handler(req);
    MHD_resume_connection(req->connection);
}

/* The access handler's call after the connection resumed: the kept answer goes out. */
static enum MHD_Result queue_kept_response(http_request *req)
{
    req->on_pool_thread = false;
    struct MHD_Response *resp = req->kept_response;
    req->kept_response = NULL;
    if (resp == NULL)
        return MHD_NO; /* the handler could not make one: close the connection */
    enum MHD_Result ret = MHD_queue_response(req->connection, req->kept_status, resp);
    MHD_destroy_response(resp);
    return ret == MHD_YES ? req->kept_result : MHD_NO;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_server *srv = cls;
    http_request *req = *con_cls;
    if (req == NULL) {
        req = request_new(srv, connection, url, method);
        if (req == NULL)
            return MHD_NO;
        *con_cls = req;
        return on_headers(req);
    }
    if (*upload_data_size > 0) {
        bool ok = on_body(req, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return ok ? MHD_YES : MHD_NO;
    }
    if (req->on_pool_thread)
        return queue_kept_response(req);
    if (req->replied)
        return MHD_YES;
    return dispatch(req);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    http_server *srv = cls;
    http_request *req = *con_cls;
    if (req == NULL)
        return;
    *con_cls = NULL;
    conn_deadline_restart(srv->deadlines, connection); /* a keep-alive connection's next */
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    metrics_observe_request((double)(now.tv_sec - req->started.tv_sec) +
                            (double)(now.tv_nsec - req->started.tv_nsec) / 1e9);
    if (log_enabled(LV_LOG_DEBUG)) {
        double ms = (double)(now.tv_sec - req->started.tv_sec) * 1e3 +
                    (double)(now.tv_nsec - req->started.tv_nsec) / 1e6;
        log_debug("request", "{s:s, s:s, s:i, s:f, s:b}", "method", req->method, "path", req->path,
                  "status", (int)req->status, "ms", ms, "completed",
                  toe == MHD_REQUEST_TERMINATED_COMPLETED_OK);
    }
    request_free(req);
}

static int hex_digit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes "%HH" in the path and in query values, as MHD's default does, except "%00": MHD
 * would turn it into a NUL byte that silently cuts the value short in every C string after
 * it ("/api/v1/declarations/1%00x" would read declaration 1, "year=2026%00x" year 2026).
 * Kept as the three characters, such a value matches no route or resource and fails
 * validation. */
static size_t unescape_keeping_nul(void *cls, struct MHD_Connection *connection, char *s)
{
    (void)cls;
    (void)connection;
    char *out = s;
    const char *in = s;
    while (*in != '\0') {
        int hi = in[0] == '%' ? hex_digit(in[1]) : -1;
        int lo = hi >= 0 ? hex_digit(in[2]) : -1;
        if (lo >= 0 && (hi | lo) != 0) {
            *out++ = (char)(hi * 16 + lo);
            in += 3;
        } else {
            *out++ = *in++;
        }
    }
    *out = '\0';
    return (size_t)(out - s);
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char text[512];
    vsnprintf(text, sizeof text, fmt, ap);
    text[strcspn(text, "\n")] = '\0';
    log_warning("http server", "{s:s}", "detail", text);
}

/* ---------------------------------------------------------------------------------------- */
/* Server life                                                                              */

http_server *http_server_new(lv_app *app, const lv_config *cfg, lv_error *err)
{
    http_server *srv = calloc(1, sizeof *srv);
    if (srv == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        return NULL;
    }
    srv->app = app;
    srv->quiesced = MHD_INVALID_SOCKET;
    atomic_init(&srv->stopping, false);
    atomic_init(&srv->in_flight, 0);
    pthread_mutex_init(&srv->lock, NULL);
    pthread_cond_init(&srv->idle, NULL);

    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    const struct sockaddr *addr;
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
                     MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    if (inet_pton(AF_INET, cfg->listen.host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(cfg->listen.port);
        addr = (const struct sockaddr *)&v4;
    } else if (inet_pton(AF_INET6, cfg->listen.host, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(cfg->listen.port);
        addr = (const struct sockaddr *)&v6;
        flags |= MHD_USE_IPv6;
    } else {
        lv_error_set(err, LV_CONFIG_INVALID, 0, "[server] listen",
                     "[server] listen: bad address '%s'", cfg->listen.host);
        http_server_free(srv);
        return NULL;
    }

    srv->deadlines = conn_deadline_new(cfg->request_timeout_s);
    if (srv->deadlines == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "cannot start the request deadline thread");
        http_server_free(srv);
        return NULL;
    }
    /* As many threads for the slow handlers as for polling. */
    srv->handlers = handler_pool_new(cfg->threads, run_on_pool_thread);
    if (srv->handlers == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "cannot start the handler threads");
        http_server_free(srv);
        return NULL;
    }
    /* The options that depend on the configuration, in an array; MHD_OPTION_END ends it. */
    struct MHD_OptionItem tls[3] = {{MHD_OPTION_END, 0, NULL}};
    srv->tls = cfg->tls_cert_pem != NULL && cfg->tls_key_pem != NULL;
    if (srv->tls) {
        flags |= MHD_USE_TLS;
        tls[0] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_CERT, 0, cfg->tls_cert_pem};
        tls[1] = (struct MHD_OptionItem){MHD_OPTION_HTTPS_MEM_KEY, 0, cfg->tls_key_pem};
    }
    srv->mhd = MHD_start_daemon(
        flags, cfg->listen.port, NULL, NULL, on_request, srv,
        /* the logger first, so that MHD reports even option errors through it */
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, srv, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)cfg->threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned int)cfg->connection_limit, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
        (unsigned int)cfg->per_ip_connection_limit, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned int)cfg->connection_timeout_s, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)CONNECTION_MEMORY, MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        MHD_OPTION_NOTIFY_CONNECTION, conn_deadline_notify, srv->deadlines,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1, MHD_OPTION_UNESCAPE_CALLBACK,
        unescape_keeping_nul, NULL, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
    if (srv->mhd == NULL) {
        if (srv->tls)
            lv_error_set(err, LV_CONFIG_INVALID, 0, "[server] tls_cert_file",
                         "cannot serve HTTPS on %s:%u (address in use, or the certificate and "
                         "key refused by GnuTLS: see the log line before)",
                         cfg->listen.host, (unsigned)cfg->listen.port);
        else
            lv_error_set(err, LV_CONFIG_INVALID, 0, "[server] listen",
                         "cannot listen on %s:%u (address in use, or not permitted?)",
                         cfg->listen.host, (unsigned)cfg->listen.port);
        http_server_free(srv);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(srv->mhd, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = info != NULL ? info->port : cfg->listen.port;
    return srv;
}

uint16_t http_server_port(const http_server *srv)
{
    return srv->port;
}

bool http_server_tls(const http_server *srv)
{
    return srv->tls;
}

void http_server_quiesce(http_server *srv)
{
    if (atomic_exchange(&srv->stopping, true))
        return;
    /* libmicrohttpd's worker threads may still take the socket out of their epoll sets,
     * so it must stay open until MHD_stop_daemon() (microhttpd.h; closing it here made a
     * worker fail "Failed to remove listen FD from epoll set" now and then). Shutting it
     * down stops the kernel from queueing new connections meanwhile: they are refused. */
    srv->quiesced = MHD_quiesce_daemon(srv->mhd);
    if (srv->quiesced != MHD_INVALID_SOCKET)
        shutdown(srv->quiesced, SHUT_RDWR);
}

bool http_server_wait_idle(http_server *srv, unsigned timeout_s)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += timeout_s;
    pthread_mutex_lock(&srv->lock);
    int rc = 0;
    while (atomic_load(&srv->in_flight) > 0 && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&srv->idle, &srv->lock, &deadline);
    bool idle = atomic_load(&srv->in_flight) == 0;
    pthread_mutex_unlock(&srv->lock);
    return idle;
}

void http_server_free(http_server *srv)
{
    if (srv == NULL)
        return;
    /* Every handed-over request run and its connection resumed: libmicrohttpd must find
     * none suspended when it stops. */
    handler_pool_free(srv->handlers);
    if (srv->mhd != NULL)
        MHD_stop_daemon(srv->mhd);
    if (srv->quiesced != MHD_INVALID_SOCKET)
        close(srv->quiesced);
    conn_deadline_free(srv->deadlines); /* after MHD: it reported every close */
    pthread_mutex_destroy(&srv->lock);
    pthread_cond_destroy(&srv->idle);
    free(srv);
}
