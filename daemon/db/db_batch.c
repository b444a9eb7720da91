/*
 * db_batch.c: statements sent together in libpq's pipeline mode (see db_batch.h).
 *
 * The connection enters pipeline mode, every statement is queued, one Sync ends the batch,
 * and the answers are read in order: each statement's result and the NULL that closes it,
 * then the Sync's. A statement after a failure comes back PGRES_PIPELINE_ABORTED. Pipeline
 * mode is left before returning, so the connection is as db_exec() expects it. libpq reads
 * the server's answers while it waits to write, so large parameters cannot deadlock.
 */
#include "db/db_batch.h"

#include <string.h>

#include "db/db_internal.h"
#include "db/db_statement.h"

/* The name under which a failure of item @a i is recorded. */
static const char *item_name(const db_batch_item *it)
{
    return it->name != NULL ? it->name : it->sql;
}

/* Queues one statement. @return false when libpq refused it (out of memory, no connection). */
static bool send_item(db_conn *c, PGconn *pg, const db_batch_item *it, const db_statement *s)
{
    if (s == NULL)
        return PQsendQueryParams(pg, it->sql, 0, NULL, NULL, NULL, NULL, 0) == 1;
    if (db_conn_prepares(c))
        return PQsendQueryPrepared(pg, s->name, s->n_params, it->params, NULL, NULL, 0) == 1;
    return PQsendQueryParams(pg, s->sql, s->n_params, NULL, it->params, NULL, NULL, 0) == 1;
}

/* Reads the answers of @a n queued statements and the Sync. @return the first failure. */
static db_status read_answers(db_conn *c, PGconn *pg, const db_batch_item *items, size_t n,
                              db_rows **rows)
{
    db_status st = DB_OK;
    for (size_t i = 0; i < n; i++) {
        PGresult *res = PQgetResult(pg);
        if (res == NULL) /* the connection broke: no answer at all */
            return st == DB_OK ? db_fail(c, item_name(&items[i]), NULL) : st;
        ExecStatusType rs = PQresultStatus(res);
        if (rs == PGRES_TUPLES_OK || rs == PGRES_COMMAND_OK) {
            rows[i] = db_rows_wrap(c, item_name(&items[i]), res);
            if (rows[i] == NULL && st == DB_OK)
                st = db_fail_local(c, item_name(&items[i]), "out of memory");
        } else {
            if (rs != PGRES_PIPELINE_ABORTED && st == DB_OK)
                st = db_fail(c, item_name(&items[i]), res);
            PQclear(res);
        }
        /* Each statement's results end with a NULL; anything more is not ours. */
        while ((res = PQgetResult(pg)) != NULL) {
            if (st == DB_OK)
                st = db_fail_local(c, item_name(&items[i]), "more than one result");
            PQclear(res);
        }
    }
    PGresult *sync = PQgetResult(pg);
    if (sync == NULL || PQresultStatus(sync) != PGRES_PIPELINE_SYNC) {
        if (st == DB_OK)
            st = db_fail(c, "pipeline sync", sync);
    }
    PQclear(sync);
    return st;
}

db_status db_batch_run(db_conn *c, const db_batch_item *items, size_t n, db_rows **rows)
{
    return db_batch_run_overlapped(c, items, n, rows, NULL, NULL);
}

db_status db_batch_run_overlapped(db_conn *c, const db_batch_item *items, size_t n, db_rows **rows,
                                  db_overlap_fn overlap, void *cls)
{
    memset(rows, 0, n * sizeof *rows);
    if (n > DB_BATCH_MAX)
        return db_fail_local(c, item_name(&items[0]), "a batch of %zu statements", n);
    const db_statement *found[DB_BATCH_MAX];
    for (size_t i = 0; i < n; i++) {
        found[i] = NULL;
        if (items[i].name != NULL && (found[i] = db_statement_find(items[i].name)) == NULL)
            return db_fail_local(c, items[i].name, "no such registered statement");
    }
    PGconn *pg = db_conn_pg(c);
    if (pg == NULL || n == 0)
        return pg == NULL ? db_fail(c, item_name(&items[0]), NULL) : DB_OK;
    if (PQenterPipelineMode(pg) != 1)
        return db_fail(c, item_name(&items[0]), NULL);
    size_t sent = 0;
    while (sent < n && send_item(c, pg, &items[sent], found[sent]))
        sent++;
    db_status st;
    if (sent < n || PQpipelineSync(pg) != 1) {
        /* libpq could not queue it: the connection is unusable for this batch. */
        st = db_fail(c, item_name(&items[sent < n ? sent : n - 1]), NULL);
        db_conn_mark_bad(c);
        return st;
    }
    if (overlap != NULL) /* PQpipelineSync() flushed the batch: the server is at work */
        overlap(cls);
    st = read_answers(c, pg, items, n, rows);
    if (PQexitPipelineMode(pg) != 1) {
        if (st == DB_OK)
            st = db_fail(c, "pipeline end", NULL);
        db_conn_mark_bad(c);
    }
    if (st != DB_OK) {
        for (size_t i = 0; i < n; i++) {
            db_rows_free(rows[i]);
            rows[i] = NULL;
        }
    }
    return st;
}
