/*
 * handler_pool.h: threads of their own for the handlers that take long (storing a
 * submission: parsing, validating, a transaction, waiting to read its own write), so that
 * they never hold up libmicrohttpd's polling threads.
 *
 * libmicrohttpd binds each connection to the polling thread that accepted it, and that
 * thread runs the access handler. A handler that blocks for 40 ms, or seconds for a large
 * file, therefore stalled every other connection of its thread: a dashboard's keep-alive
 * poll, or the second of two clients posting at once, which libmicrohttpd had put on the
 * same thread (it does so as readily as not). server.c suspends such a request's
 * connection (MHD_suspend_connection()), hands the request to this pool, and the pool's
 * thread runs the handler, whose answer is kept in the request (reply.c), and resumes the
 * connection; libmicrohttpd then calls the access handler again, which queues the answer.
 *
 * Ownership: handler_pool_new() returns running threads the server owns;
 * handler_pool_free() runs every request still queued, then stops and joins them. It must
 * come before MHD_stop_daemon(), which must find no connection suspended.
 */
#ifndef LVHCMON_HTTP_HANDLER_POOL_H
#define LVHCMON_HTTP_HANDLER_POOL_H

#include <stdbool.h>

struct http_request;

typedef struct handler_pool handler_pool;

/** What a pool thread does with one request: run its handler and resume its connection. */
typedef void (*handler_pool_run_fn)(struct http_request *req);

/**
 * Starts @a threads threads (at least 1) that call @a run for each request handed over.
 * @return the pool, or NULL when out of memory or no thread could start
 */
handler_pool *handler_pool_new(unsigned threads, handler_pool_run_fn run);

/**
 * Queues @a req for the next free thread (first in, first out).
 * @return false when the pool is stopping: the caller runs the request itself
 */
bool handler_pool_submit(handler_pool *pool, struct http_request *req);

/** Runs what is queued, stops the threads and releases @a pool. Accepts NULL. */
void handler_pool_free(handler_pool *pool);

#endif
