/*
 * db_conn.c: connecting, reconnecting and running named statements (see db_conn.h).
 *
 * Reconnection is lazy: a statement that fails because the server went away marks the
 * connection bad (libpq sets CONNECTION_BAD), and the next db_conn_ensure() opens a fresh
 * connection and prepares the registry again. Callers do not retry automatically: whether
 * a statement may run twice is their decision.
 */
#include "db/db_conn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_statement.h"
#include "log.h"

struct db_conn {
    char *conninfo;
    bool prepare;
    PGconn *pg;
    bool bad;
    char error[512];
};

/* Copies the first line of @msg (libpq messages end in newlines and carry DETAIL lines). */
static void set_error(db_conn *c, const char *prefix, const char *msg)
{
    if (msg == NULL || msg[0] == '\0')
        msg = "unknown error";
    size_t len = strcspn(msg, "\n");
    snprintf(c->error, sizeof c->error, "%s%.*s", prefix, (int)len, msg);
}

static void on_notice(void *arg, const char *message)
{
    (void)arg;
    size_t len = strcspn(message, "\n");
    log_debug("database notice", "{s:s%}", "notice", message, len);
}

db_conn *db_conn_new(const char *conninfo, bool prepare)
{
    db_conn *c = calloc(1, sizeof *c);
    if (c == NULL)
        return NULL;
    c->conninfo = strdup(conninfo != NULL ? conninfo : "");
    if (c->conninfo == NULL) {
        free(c);
        return NULL;
    }
    c->prepare = prepare;
    return c;
}

void db_conn_free(db_conn *c)
{
    if (c == NULL)
        return;
    db_conn_reset(c);
    explicit_bzero(c->conninfo, strlen(c->conninfo)); /* may hold a password */
    free(c->conninfo);
    free(c);
}

void db_conn_reset(db_conn *c)
{
    if (c->pg != NULL)
        PQfinish(c->pg);
    c->pg = NULL;
    c->bad = false;
}

bool db_conn_is_bad(const db_conn *c)
{
    return c->bad || (c->pg != NULL && PQstatus(c->pg) == CONNECTION_BAD);
}

static bool prepare_all(db_conn *c)
{
    for (size_t t = 0; db_statement_tables[t] != NULL; t++) {
        for (const db_statement *s = db_statement_tables[t]; s->name != NULL; s++) {
            PGresult *res = PQprepare(c->pg, s->name, s->sql, s->n_params, NULL);
            bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
            if (!ok) {
                char prefix[96];
                snprintf(prefix, sizeof prefix, "preparing %s: ", s->name);
                set_error(c, prefix,
                          res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
            }
            PQclear(res);
            if (!ok)
                return false;
        }
    }
    return true;
}

bool db_conn_ensure(db_conn *c, char *err, size_t errlen)
{
    if (c->pg != NULL && !db_conn_is_bad(c))
        return true;
    db_conn_reset(c);
    /* Our settings come first; with expand_dbname the conninfo given as "dbname" is
     * expanded in place, so anything the operator wrote there wins over them. */
    const char *const keys[] = {"connect_timeout", "application_name", "client_encoding",
                                "options",         "dbname",           NULL};
    const char *const values[] = {"5", "lvhcmon", "UTF8", "-c TimeZone=UTC", c->conninfo, NULL};
    c->pg = PQconnectdbParams(keys, values, 1);
    if (c->pg == NULL) {
        set_error(c, "", "out of memory");
    } else if (PQstatus(c->pg) != CONNECTION_OK) {
        set_error(c, "", PQerrorMessage(c->pg));
    } else {
        PQsetNoticeProcessor(c->pg, on_notice, NULL);
        if (!c->prepare || prepare_all(c)) {
            c->error[0] = '\0';
            return true;
        }
    }
    if (err != NULL)
        snprintf(err, errlen, "%s", c->error);
    db_conn_reset(c);
    return false;
}

const char *db_conn_error(const db_conn *c)
{
    return c->error;
}

bool db_result_ok(const PGresult *res)
{
    if (res == NULL)
        return false;
    ExecStatusType st = PQresultStatus(res);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

const char *db_result_sqlstate(const PGresult *res)
{
    const char *state = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    return state != NULL ? state : "";
}

/* Records the outcome of a call on the connection: its error, and whether it was lost. */
static PGresult *finish(db_conn *c, const char *name, PGresult *res)
{
    if (!db_result_ok(res)) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%s: ", name);
        set_error(c, prefix, res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
        if (PQstatus(c->pg) == CONNECTION_BAD) {
            c->bad = true;
            log_warning("database connection lost", "{s:s}", "error", c->error);
        }
    }
    return res;
}

PGresult *db_exec(db_conn *c, const char *name, const char *const *params)
{
    const db_statement *s = db_statement_find(name);
    if (s == NULL) {
        set_error(c, "unknown statement: ", name);
        log_error("unknown database statement", "{s:s}", "statement", name);
        return NULL;
    }
    if (c->pg == NULL) {
        set_error(c, "", "not connected");
        return NULL;
    }
    PGresult *res = c->prepare
                        ? PQexecPrepared(c->pg, s->name, s->n_params, params, NULL, NULL, 0)
                        : PQexecParams(c->pg, s->sql, s->n_params, NULL, params, NULL, NULL, 0);
    return finish(c, s->name, res);
}

/* Transaction control carries no values: plain PQexecParams with fixed text. */
static bool run_fixed(db_conn *c, const char *sql)
{
    if (c->pg == NULL) {
        set_error(c, "", "not connected");
        return false;
    }
    PGresult *res = finish(c, sql, PQexecParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0));
    bool ok = db_result_ok(res);
    PQclear(res);
    return ok;
}

bool db_begin(db_conn *c)
{
    return run_fixed(c, "BEGIN");
}

bool db_commit(db_conn *c)
{
    return run_fixed(c, "COMMIT");
}

void db_rollback(db_conn *c)
{
    if (c->pg != NULL && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        run_fixed(c, "ROLLBACK");
}

bool db_exec_script(db_conn *c, const char *sql)
{
    if (c->pg == NULL) {
        set_error(c, "", "not connected");
        return false;
    }
    PGresult *res = PQexec(c->pg, sql);
    bool ok = PQresultStatus(res) == PGRES_EMPTY_QUERY || db_result_ok(finish(c, "script", res));
    PQclear(res);
    return ok;
}

PGconn *db_conn_pg(db_conn *c)
{
    return c->pg;
}
