/*
 * db_status.h: the one outcome of every database call, whatever its area.
 *
 * Every typed function of daemon/db/ (queries_<area>.h) returns a db_status, so a caller
 * decides what to answer from one small enum and never from libpq:
 *
 *   DB_OK           done; the struct out is filled
 *   DB_NOT_FOUND    the statement ran and found no row where one was asked for
 *   DB_CONFLICT     the statement ran into a unique index (another transaction stored the
 *                   same identity first); the caller may retry or answer 409
 *   DB_UNAVAILABLE  the database cannot be reached now (connection lost or refused, the
 *                   server shutting down) or did not answer in time (the statement ran
 *                   past [database] statement_timeout_ms and was cancelled): nothing was
 *                   done; answer 503 with Retry-After
 *   DB_FAILED       the statement itself is broken (an SQL error other than the above, a
 *                   result that does not match its decoder, out of memory): answer 500;
 *                   the database layer has logged it with its SQLSTATE and statement name
 */
#ifndef LVHCMON_DB_STATUS_H
#define LVHCMON_DB_STATUS_H

typedef enum { DB_OK = 0, DB_NOT_FOUND, DB_CONFLICT, DB_UNAVAILABLE, DB_FAILED } db_status;

/** @return "ok", "not_found", "conflict", "unavailable" or "failed". */
const char *db_status_name(db_status st);

#endif
