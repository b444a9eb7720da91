/*
 * conn_deadline.h: a limit on the total time a client may take to send a request
 * ([server] request_timeout_s), against slowloris.
 *
 * libmicrohttpd's own timeout ([server] connection_timeout_s) counts inactivity only: a
 * client that sends one byte every few seconds keeps its connection, and a few hundred of
 * them hold every connection slot. Here every connection gets a deadline when it is
 * accepted; it moves forward when the server has read a whole request and answered it (the
 * time the handler runs never counts: that is the server's work), and when a request
 * completes (a keep-alive connection starts its next request). A thread of its own checks
 * the deadlines twice a second and shuts down the socket of a connection past its deadline
 * (shutdown(2): libmicrohttpd then sees the connection end and closes it the usual way).
 *
 * The table of connections follows libmicrohttpd's MHD_OPTION_NOTIFY_CONNECTION callback,
 * which it calls before it closes a socket, so the watcher never touches a descriptor that
 * was closed (and perhaps reused).
 *
 * Ownership: conn_deadline_new() returns a running watcher that the server owns;
 * conn_deadline_free() stops it (after the MHD daemon was stopped).
 */
#ifndef LVHCMON_HTTP_CONN_DEADLINE_H
#define LVHCMON_HTTP_CONN_DEADLINE_H

#include <microhttpd.h>
#include <stdbool.h>

typedef struct conn_deadline conn_deadline;

/**
 * Starts the watcher.
 * @param limit_s seconds a client may take to send one request (and to read its answer)
 * @return the watcher, or NULL when out of memory or no thread could start
 */
conn_deadline *conn_deadline_new(unsigned limit_s);

/** Stops the watcher and releases it. Accepts NULL. */
void conn_deadline_free(conn_deadline *w);

/** The MHD_OPTION_NOTIFY_CONNECTION callback; its closure is the watcher. */
void conn_deadline_notify(void *cls, struct MHD_Connection *connection, void **socket_context,
                          enum MHD_ConnectionNotificationCode code);

/**
 * Marks the start (@a busy true) or the end (false) of the server's own work on the current
 * request of @a connection; the end restarts the deadline. Call with the watcher given to
 * libmicrohttpd; a NULL watcher does nothing.
 */
void conn_deadline_busy(conn_deadline *w, struct MHD_Connection *connection, bool busy);

/** Restarts the deadline of @a connection (a request completed). */
void conn_deadline_restart(conn_deadline *w, struct MHD_Connection *connection);

#endif
