/*
 * db_pool.h: a small fixed pool of prepared connections for the daemon's worker threads.
 *
 * A request checks a connection out, uses it, and puts it back. A connection found broken
 * (the server restarted, the network dropped) is reconnected on its next checkout; and
 * because one broken connection means the others are most likely broken too, the pool then
 * also renews every idle connection on its next checkout instead of letting each fail one
 * request first. So /readyz and the API recover by themselves after a PostgreSQL restart.
 *
 * Ownership: db_pool_new() returns a pool the caller owns, db_pool_free() closes it (all
 * connections must have been put back). Connections from db_pool_get() stay owned by the
 * pool and must be returned with db_pool_put().
 */
#ifndef LVHCMON_DB_POOL_H
#define LVHCMON_DB_POOL_H

#include <stddef.h>

#include "db/db_conn.h"

typedef struct db_pool db_pool;

/**
 * Creates a pool. Nothing connects until the first checkout.
 * @param conninfo libpq conninfo string or URI (NULL or "": libpq defaults)
 * @param size number of connections (at least 1)
 * @param wait_ms longest wait of a checkout for a free connection ([database]
 *        pool_wait_ms), so that a burst of slow requests makes the others answer 503 busy
 *        instead of holding every worker thread
 * @return a new pool owned by the caller, or NULL when out of memory
 */
db_pool *db_pool_new(const char *conninfo, size_t size, unsigned wait_ms);

/** Closes every connection and releases @a pool. Accepts NULL. */
void db_pool_free(db_pool *pool);

/**
 * Checks a connected, prepared connection out, waiting up to the pool's wait_ms for a free
 * one.
 * @param pool the pool
 * @param err receives why none could be had (may be NULL): code busy (every connection
 *        stayed busy), unavailable (database unreachable) or internal (statements do not
 *        prepare)
 * @return the connection, or NULL
 */
db_conn *db_pool_get(db_pool *pool, lv_error *err);

/**
 * Returns a connection to the pool. An open transaction is rolled back.
 * @param pool the pool it came from
 * @param c the connection from db_pool_get(); NULL is ignored
 */
void db_pool_put(db_pool *pool, db_conn *c);

#endif
