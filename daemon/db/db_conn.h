/*
 * db_conn.h: one PostgreSQL connection, as the rest of the daemon sees it.
 *
 * Nothing outside daemon/db/ touches libpq: callers hold an opaque db_conn and run the
 * typed functions of queries_<area>.h on it, each returning a db_status (db_status.h).
 * This header adds what is not a query: connecting, transactions, the last failure, and
 * LISTEN/NOTIFY.
 *
 * A connection runs registered statements by name (db_statement.h). In prepared mode (the
 * daemon's pool and its dedicated threads) it prepares every registered statement each
 * time it connects or reconnects. In direct mode (the migrator and the command line, which
 * run few statements, possibly before the tables exist) it runs the same named statements
 * unprepared. SQL text is never assembled from values.
 *
 * Every connection runs with TimeZone=UTC, client_encoding=UTF8 and a statement_timeout
 * ([database] statement_timeout_ms, set once per process with
 * db_conn_set_default_statement_timeout(); a statement that runs longer is cancelled by the
 * server and fails as DB_UNAVAILABLE, see db_conn_timed_out()); libpq notices go to the
 * debug log instead of standard error. A db_conn is used by one thread at a time.
 *
 * Ownership: db_conn_new() returns a connection object the caller owns; db_conn_free()
 * closes and releases it.
 */
#ifndef LVHCMON_DB_CONN_H
#define LVHCMON_DB_CONN_H

#include <stdbool.h>
#include <stddef.h>

#include "db/db_status.h"
#include "error.h"

typedef struct db_conn db_conn;

/**
 * Creates a connection object; it connects on the first db_conn_ensure().
 * @param conninfo libpq conninfo string or URI; NULL or "" for libpq's defaults
 * @param prepare true: prepare every registered statement on each (re)connect
 * @return a new object owned by the caller, or NULL when out of memory
 */
db_conn *db_conn_new(const char *conninfo, bool prepare);

/** Closes and releases @a c. Accepts NULL. */
void db_conn_free(db_conn *c);

/**
 * Sets the statement timeout of every connection created afterwards (each program calls it
 * once, after reading its configuration, before it opens connections).
 * @param ms milliseconds; 0: none
 */
void db_conn_set_default_statement_timeout(unsigned ms);

/**
 * Sets the statement timeout of @a c, from its next (re)connect on (the migrator: 0, a
 * migration may rewrite a table).
 * @param ms milliseconds; 0: none
 */
void db_conn_set_statement_timeout(db_conn *c, unsigned ms);

/** @return true when the last failure on @a c was a statement cancelled by its timeout. */
bool db_conn_timed_out(const db_conn *c);

/**
 * Makes sure @a c is connected (and its statements prepared), reconnecting when the
 * connection was lost or never made.
 * @param c the connection
 * @param err receives why not (may be NULL): code unavailable when the server cannot be
 *        reached, internal when a statement does not prepare (the schema does not match
 *        the code)
 * @return DB_OK, DB_UNAVAILABLE or DB_FAILED
 */
db_status db_conn_ensure(db_conn *c, lv_error *err);

/** @return true when the connection was lost (the next db_conn_ensure() reconnects). */
bool db_conn_is_bad(const db_conn *c);

/** Closes the connection; the next db_conn_ensure() opens a fresh one. */
void db_conn_reset(db_conn *c);

/** @return the message of the last failure on @a c, one line, never NULL. */
const char *db_conn_error(const db_conn *c);

/**
 * The last failure on @a c as an lv_error: code unavailable or internal (from @a st), the
 * message, and PostgreSQL's detail and hint when it gave them.
 * @param st the status the failing call returned
 * @param err receives it
 */
void db_conn_error_get(const db_conn *c, db_status st, lv_error *err);

/** Starts a transaction. @return DB_OK, or the failure (see db_conn_error()). */
db_status db_begin(db_conn *c);

/**
 * Commits the transaction, with the statements db_defer_until_commit() queued sent ahead of
 * the COMMIT in the same round trip. When one of them fails, nothing commits: the
 * transaction is rolled back. @return DB_OK, or the failure (see db_conn_error()).
 */
db_status db_commit(db_conn *c);

/** Rolls the transaction back (and drops queued statements); safe when none is open. */
void db_rollback(db_conn *c);

/** Work of a caller's that a query function runs while the server works on its statements
 *  (db_batch_run_overlapped()), rather than after. It must not use the connection. */
typedef void (*db_overlap_fn)(void *cls);

/** The most statements db_defer_until_commit() queues; more run at once, ahead of them. */
#define DB_DEFER_MAX 31

/**
 * From now until db_commit() or db_rollback(), db_command() on @a c queues its statement
 * instead of running it (at most DB_DEFER_MAX; more run at once). For the row-less statements
 * that end a transaction, such as its audit row: they commit with it or not at all, and
 * cost no round trip of their own.
 */
void db_defer_until_commit(db_conn *c);

/**
 * Runs a multi-statement SQL script. The one exception to "named statements only":
 * migration files (daemon/db/migrate.c) are multi-statement by nature and come from the
 * project's own sql/ folder, never from a request.
 * @return DB_OK when every statement succeeded
 */
db_status db_exec_script(db_conn *c, const char *sql);

/**
 * @return the process id of the server session behind @a c (it changes when the
 *         connection was renewed), or 0 when not connected
 */
int db_conn_backend_pid(const db_conn *c);

/* The notification channels of lvhcmon, and what their payloads are. */
#define DB_CHANNEL_LEDGER "lvhcmon_ledger"       /* a submission committed; payload: its id */
#define DB_CHANNEL_REFERENCE "lvhcmon_reference" /* reference data reloaded */
#define DB_CHANNEL_ALERTS "lvhcmon_alerts"       /* alert states or acknowledgements changed */

/**
 * LISTENs on @a channel on this session (notifications then queue up on the connection;
 * read them with db_wait_notify()). A reconnect forgets it: listen again after one.
 * @param channel a channel name of letters, digits and '_' ("lvhcmon_ledger")
 * @return DB_OK, or the failure
 */
db_status db_listen(db_conn *c, const char *channel);

/** Receives one notification: its channel and payload (both valid during the call only). */
typedef void (*db_notify_fn)(void *cls, const char *channel, const char *payload);

/**
 * Delivers the notifications received on @a c to @a fn. When none has arrived yet, first
 * waits up to @a timeout_ms (0: not at all) until one arrives or @a wake_fd (-1: none)
 * becomes readable; the caller drains @a wake_fd itself.
 * @return DB_OK, or DB_UNAVAILABLE when the connection was lost (the server closing the
 *         socket also ends the wait)
 */
db_status db_wait_notify(db_conn *c, int timeout_ms, int wake_fd, db_notify_fn fn, void *cls);

#endif
