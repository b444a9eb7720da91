/*
 * db_conn.h: one PostgreSQL connection and the only way to run SQL on it.
 *
 * A connection runs registered statements by name (db_statement.h). In prepared mode (the
 * daemon's pool) it prepares every registered statement each time it connects or
 * reconnects, and runs them with PQexecPrepared. In direct mode (the migrator and the
 * command line, which run few statements, possibly before the tables exist) it runs the same
 * named statements with PQexecParams. SQL text is never assembled from values.
 *
 * Every connection runs with TimeZone=UTC and client_encoding=UTF8; libpq notices go to
 * the debug log instead of standard error. A db_conn is used by one thread at a time.
 *
 * Ownership: db_conn_new() returns a connection object the caller owns; db_conn_free()
 * closes and releases it. PGresult values returned by db_exec() belong to the caller
 * (PQclear()).
 */
#ifndef LVHCMON_DB_CONN_H
#define LVHCMON_DB_CONN_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

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
 * Makes sure @a c is connected (and its statements prepared), reconnecting when the
 * connection was lost or never made.
 * @param c the connection
 * @param err receives why not, such as "connection to server ... failed" (may be NULL)
 * @param errlen size of @a err
 * @return true when the connection is usable
 */
bool db_conn_ensure(db_conn *c, char *err, size_t errlen);

/** @return true when the connection was lost (the next db_conn_ensure() reconnects). */
bool db_conn_is_bad(const db_conn *c);

/** Closes the connection; the next db_conn_ensure() opens a fresh one. */
void db_conn_reset(db_conn *c);

/**
 * Runs a registered statement.
 * @param c a connection on which db_conn_ensure() succeeded
 * @param name the statement's registered name
 * @param params as many text values as the statement has parameters (NULL for SQL NULL);
 *        may be NULL when it has none
 * @return the result, owned by the caller; NULL or an error result on failure, in which
 *         case db_conn_error() says why. Check with db_result_ok().
 */
PGresult *db_exec(db_conn *c, const char *name, const char *const *params);

/** @return true when @a res is a successful command or query result. */
bool db_result_ok(const PGresult *res);

/** @return the SQLSTATE of a failed result ("23505"), or "" when none. */
const char *db_result_sqlstate(const PGresult *res);

/** @return the message of the last failure on @a c, one line, never NULL. */
const char *db_conn_error(const db_conn *c);

/** Starts a transaction. @return false on failure (see db_conn_error()). */
bool db_begin(db_conn *c);

/** Commits the transaction. @return false on failure (see db_conn_error()). */
bool db_commit(db_conn *c);

/** Rolls the transaction back; safe to call when none is open. */
void db_rollback(db_conn *c);

/**
 * Runs a multi-statement SQL script with PQexec. The one exception to "named statements
 * only": migration files (daemon/db/migrate.c) are multi-statement by nature and come from
 * the project's own sql/ folder, never from a request.
 * @return true when every statement succeeded
 */
bool db_exec_script(db_conn *c, const char *sql);

/**
 * The underlying libpq connection, for the one thing named statements cannot do: COPY
 * FROM STDIN (daemon/db/ingest_queries.c). Valid after a successful db_conn_ensure().
 * @return the connection, owned by @a c
 */
PGconn *db_conn_pg(db_conn *c);

#endif
