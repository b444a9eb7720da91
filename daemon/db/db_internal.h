/*
 * db_internal.h: the libpq level of daemon/db/, shared by the files of this folder only
 * (and by the unit tests of the result decoder). Nothing outside daemon/db/ includes it:
 * the rest of the daemon sees db_conn.h, db_status.h and the typed queries_<area>.h.
 *
 * Every failure of a call on a connection goes through db_fail(), which records it on the
 * connection (message, SQLSTATE, detail, hint), classifies it into a db_status and logs it
 * once: a broken statement as an error with its name and SQLSTATE, a lost connection as a
 * warning. Callers above only pass the status on.
 */
#ifndef LVHCMON_DB_INTERNAL_H
#define LVHCMON_DB_INTERNAL_H

#include <libpq-fe.h>

#include "db/db_conn.h"

/**
 * Runs a registered statement (prepared or direct, as the connection is).
 * @param params as many text values as the statement has parameters (NULL for SQL NULL);
 *        may be NULL when it has none
 * @param st receives DB_OK, or the classified failure (already recorded and logged)
 * @return the result owned by the caller (PQclear()) when @a st is DB_OK, else NULL
 */
PGresult *db_exec(db_conn *c, const char *name, const char *const *params, db_status *st);

/**
 * Records a failure on @a c: of statement @a name, from @a res (NULL: the connection's own
 * error message), classifies and logs it.
 * @return DB_UNAVAILABLE (connection lost, class 08, 57P01..57P03, 53300), DB_CONFLICT
 *         (23505) or DB_FAILED (anything else)
 */
db_status db_fail(db_conn *c, const char *name, const PGresult *res);

/**
 * Records a failure that is not PostgreSQL's (a result that does not match its decoder,
 * out of memory) as DB_FAILED of statement @a name, and logs it.
 * @return DB_FAILED
 */
db_status db_fail_local(db_conn *c, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/** The libpq connection (NULL when not connected), for COPY and notifications. */
PGconn *db_conn_pg(db_conn *c);

/** Whether @a c runs the registry's statements prepared (db_conn_new()). */
bool db_conn_prepares(const db_conn *c);

/** Marks @a c for a fresh connection at the next db_conn_ensure() (its protocol state is
 * unknown after a failure in the middle of an exchange). */
void db_conn_mark_bad(db_conn *c);

/**
 * Queues a registered statement for db_commit() when db_defer_until_commit() is on
 * (db_command() asks first).
 * @return true when queued (@a st DB_OK, or the failure to copy its values), false when
 *         @a c is not deferring and the caller runs it now
 */
bool db_conn_defer(db_conn *c, const char *name, const char *const *params, db_status *st);

struct db_rows;

/**
 * Wraps @a res (taken) as the rows of statement @a name, for db_result.c and the unit tests
 * of the decoder (which build results with PQmakeEmptyPGresult()).
 * @param c the connection failures are recorded on; may be NULL
 * @return the rows (db_rows_free()), or NULL when out of memory (@a res is cleared then)
 */
struct db_rows *db_rows_wrap(db_conn *c, const char *name, PGresult *res);

#endif
