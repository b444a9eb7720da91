/*
 * db_batch.h: several registered statements in one round trip to the server (libpq's
 * pipeline mode). Each statement runs as it would alone, in order, with its own snapshot;
 * only the waiting for each answer before sending the next is saved. For callers inside
 * daemon/db/ (the typed queries_<area>.c), like db_internal.h.
 */
#ifndef LVHCMON_DB_BATCH_H
#define LVHCMON_DB_BATCH_H

#include <stddef.h>

#include "db/db_conn.h"
#include "db/db_result.h"

/** The most statements one batch holds. */
#define DB_BATCH_MAX 32

/** One statement of a batch: a registered statement by @a name with its text values, or,
 * when @a name is NULL, the fixed @a sql of transaction control ("BEGIN", "COMMIT"). */
typedef struct {
    const char *name;
    const char *const *params; /* as db_query(); NULL when it has none */
    const char *sql;
} db_batch_item;

/**
 * Runs @a n (at most DB_BATCH_MAX) statements in one round trip. After the first failure the server
 * skips the rest (their rows stay NULL); the failure is recorded and classified as by db_query().
 * @param rows receives, for each statement, its result (db_rows_free(); a command's has no
 *        rows), or NULL for one that failed or was skipped
 * @return DB_OK when every statement succeeded, else the first failure
 */
db_status db_batch_run(db_conn *c, const db_batch_item *items, size_t n, db_rows **rows);

/**
 * db_batch_run(), calling @a overlap (when not NULL) once every statement has gone out and
 * before the answers are read: the caller's CPU work then runs while the server works
 * instead of after it. @a overlap must not use @a c. It is not called when the batch could
 * not be sent (the caller then does that work itself if it still needs it).
 */
db_status db_batch_run_overlapped(db_conn *c, const db_batch_item *items, size_t n, db_rows **rows,
                                  db_overlap_fn overlap, void *cls);

#endif
