/*
 * server.h: the HTTP server: libmicrohttpd with a pool of worker threads polling with
 * epoll, the generic request pipeline (route, authenticate, read the body within its cap,
 * dispatch), and graceful shutdown.
 *
 * Shutdown in three steps, driven by the main thread: http_server_quiesce() stops accepting
 * connections, http_server_wait_idle() waits for requests in flight to be answered, and
 * http_server_free() stops the threads and closes what is left (idle keep-alive
 * connections).
 *
 * Ownership: http_server_new() returns a running server the caller owns; stop and release
 * it with http_server_free().
 */
#ifndef LVHCMON_HTTP_SERVER_H
#define LVHCMON_HTTP_SERVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "config_parse.h"

typedef struct http_server http_server;

/**
 * Starts listening and serving.
 * @param app shared state handed to every request (not taken)
 * @param cfg the configuration to take [server] settings from (read now, not kept)
 * @param err receives why the server could not start (address in use, ...; may be NULL)
 * @return the running server, or NULL
 */
http_server *http_server_new(lv_app *app, const lv_config *cfg, lv_error *err);

/** @return the port actually listened on (useful with listen port 0). */
uint16_t http_server_port(const http_server *srv);

/** @return true when the server speaks HTTPS ([server] tls_cert_file). */
bool http_server_tls(const http_server *srv);

/** Stops accepting new connections; requests in flight continue. */
void http_server_quiesce(http_server *srv);

/** @return true once http_server_quiesce() was called. */
bool http_server_stopping(const http_server *srv);

/**
 * Waits until no request is in flight.
 * @param srv the server
 * @param timeout_s longest wait
 * @return true when idle, false on timeout
 */
bool http_server_wait_idle(http_server *srv, unsigned timeout_s);

/** Stops the worker threads, closes every connection and releases @a srv. Accepts NULL. */
void http_server_free(http_server *srv);

#endif
