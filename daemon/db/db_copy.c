/*
 * db_copy.c: COPY FROM STDIN through libpq (see db_copy.h).
 */
#include "db/db_copy.h"

#include "db/db_internal.h"

/* Rows go to the server in chunks of about this size, so that it inserts the first rows
 * while the rest are still being written (a whole submission at once kept it idle). */
#define COPY_CHUNK_BYTES (32 * 1024)

/* Sends the buffer to an open COPY and empties it. */
static bool flush(PGconn *pg, copy_buffer *b)
{
    if (b->len == 0)
        return true;
    if (PQputCopyData(pg, b->data, (int)b->len) != 1)
        return false;
    copy_buffer_clear(b);
    return true;
}

db_status db_copy_in(db_conn *c, const char *name, size_t n_rows, db_copy_row_fn fn, void *cls)
{
    db_status st;
    PGresult *res = db_exec(c, name, NULL, &st);
    if (st != DB_OK)
        return st;
    if (PQresultStatus(res) != PGRES_COPY_IN) {
        PQclear(res);
        return db_fail_local(c, name, "not a COPY FROM STDIN statement");
    }
    PQclear(res);

    PGconn *pg = db_conn_pg(c);
    copy_buffer b;
    copy_buffer_init(&b);
    bool built = true, sent = true;
    for (size_t i = 0; i < n_rows && built && sent; i++) {
        built = fn(cls, i, &b) && !b.failed;
        if (built && b.len >= COPY_CHUNK_BYTES)
            sent = flush(pg, &b);
    }
    sent = sent && (!built || flush(pg, &b));
    copy_buffer_release(&b);
    if (!sent || PQputCopyEnd(pg, built ? NULL : "lvhcmon: could not build the rows") != 1)
        return db_fail(c, name, NULL);

    st = DB_OK;
    while ((res = PQgetResult(pg)) != NULL) {
        if (PQresultStatus(res) != PGRES_COMMAND_OK && st == DB_OK)
            st = built ? db_fail(c, name, res) : DB_FAILED;
        PQclear(res);
    }
    if (!built)
        return db_fail_local(c, name, "a row could not be built (out of memory)");
    return st;
}
