/*
 * db_copy.h: bulk loading with COPY ... FROM STDIN, the one thing named statements with
 * parameters cannot do fast. The statement is registered like any other (db_statement.h,
 * its SQL starting with "COPY"); the caller writes each row in COPY text format with copy_buffer,
 * and this module sends the rows in chunks while they are being written and collects the server's
 * verdict.
 */
#ifndef LVHCMON_DB_COPY_H
#define LVHCMON_DB_COPY_H

#include <stdbool.h>
#include <stddef.h>

#include "db/copy_buffer.h"
#include "db/db_conn.h"

/**
 * Writes row @a i of a COPY into @a b (copy_buffer_*() calls ending in
 * copy_buffer_end_row()).
 * @return false when the row cannot be built (the COPY is then aborted)
 */
typedef bool (*db_copy_row_fn)(void *cls, size_t i, copy_buffer *b);

/**
 * Runs the COPY statement @a name and sends @a n_rows rows written by @a fn, inside the
 * caller's transaction.
 * @return DB_OK when the server stored every row; DB_CONFLICT when a row broke a unique
 *         index; DB_UNAVAILABLE, or DB_FAILED (a row could not be built, or the server
 *         refused one)
 */
db_status db_copy_in(db_conn *c, const char *name, size_t n_rows, db_copy_row_fn fn, void *cls);

#endif
