/*
 * db_conn.c: connecting, reconnecting, running named statements, recording and classifying
 * failures, transactions (see db_conn.h and db_internal.h).
 *
 * Reconnection is lazy: a statement that fails because the server went away marks the
 * connection bad (libpq sets CONNECTION_BAD), and the next db_conn_ensure() opens a fresh
 * connection and prepares the registry again. Callers do not retry automatically: whether
 * a statement may run twice is their decision.
 */
#include "db/db_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_batch.h"
#include "db/db_statement.h"
#include "log.h"

static void deferred_clear(db_conn *c);

/* [database] statement_timeout_ms of this process; see db_conn_set_default_...(). */
static unsigned default_statement_timeout_ms;

/* A statement queued for the commit (db_defer_until_commit()), its values copied. */
typedef struct {
    const char *name;
    char **params; /* n_params copies (NULL for SQL NULL) */
    int n_params;
} deferred_statement;

struct db_conn {
    char *conninfo;
    bool deferring;
    size_t n_deferred;
    deferred_statement deferred[DB_DEFER_MAX];
    bool prepare;
    unsigned statement_timeout_ms;
    PGconn *pg;
    bool bad;
    /* The last failure, as PostgreSQL reported it. */
    char error[512]; /* "<statement>: <message>", one line */
    char sqlstate[6];
    char detail[256];
    char hint[192];
};

/* Copies the first line of @a msg into @a dst (libpq messages end in newlines and carry
 * DETAIL lines of their own). */
static void first_line(char *dst, size_t size, const char *msg)
{
    if (msg == NULL)
        msg = "";
    size_t len = strcspn(msg, "\n");
    snprintf(dst, size, "%.*s", (int)len, msg);
}

static void set_error(db_conn *c, const char *prefix, const char *msg)
{
    if (msg == NULL || msg[0] == '\0')
        msg = "unknown error";
    size_t len = strcspn(msg, "\n");
    snprintf(c->error, sizeof c->error, "%s%.*s", prefix, (int)len, msg);
    c->sqlstate[0] = c->detail[0] = c->hint[0] = '\0';
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
    c->statement_timeout_ms = default_statement_timeout_ms;
    return c;
}

void db_conn_set_default_statement_timeout(unsigned ms)
{
    default_statement_timeout_ms = ms;
}

void db_conn_set_statement_timeout(db_conn *c, unsigned ms)
{
    c->statement_timeout_ms = ms;
}

bool db_conn_timed_out(const db_conn *c)
{
    return strcmp(c->sqlstate, "57014") == 0; /* query_canceled */
}

void db_conn_free(db_conn *c)
{
    if (c == NULL)
        return;
    deferred_clear(c);
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

bool db_conn_prepares(const db_conn *c)
{
    return c->prepare;
}

void db_conn_mark_bad(db_conn *c)
{
    c->bad = true;
}

PGconn *db_conn_pg(db_conn *c)
{
    return c->pg;
}

int db_conn_backend_pid(const db_conn *c)
{
    return c->pg != NULL ? PQbackendPID(c->pg) : 0;
}

/* ---------------------------------------------------------------------------------------- */
/* Failures                                                                                 */

/* Whether @a sqlstate means "the database is away for now", not "the statement is wrong":
 * class 08 (connection exception), 57P01..57P03 (admin or crash shutdown, cannot connect
 * now) and 53300 (too many connections). */
static bool sqlstate_unavailable(const char *state)
{
    return strncmp(state, "08", 2) == 0 || strcmp(state, "57P01") == 0 ||
           strcmp(state, "57P02") == 0 || strcmp(state, "57P03") == 0 ||
           strcmp(state, "53300") == 0;
}

static void copy_field(char *dst, size_t size, const PGresult *res, int field)
{
    const char *v = res != NULL ? PQresultErrorField(res, field) : NULL;
    first_line(dst, size, v);
}

db_status db_fail(db_conn *c, const char *name, const PGresult *res)
{
    char prefix[96];
    snprintf(prefix, sizeof prefix, "%s: ", name);
    const char *msg = res != NULL ? PQresultErrorMessage(res) : "";
    if ((msg == NULL || msg[0] == '\0') && c->pg != NULL)
        msg = PQerrorMessage(c->pg);
    if ((msg == NULL || msg[0] == '\0') && c->pg == NULL)
        msg = "not connected";
    set_error(c, prefix, msg);
    copy_field(c->sqlstate, sizeof c->sqlstate, res, PG_DIAG_SQLSTATE);
    copy_field(c->detail, sizeof c->detail, res, PG_DIAG_MESSAGE_DETAIL);
    copy_field(c->hint, sizeof c->hint, res, PG_DIAG_MESSAGE_HINT);

    if (db_conn_timed_out(c)) {
        /* Cancelled by statement_timeout (or by an operator): the database is too slow for
         * now, the connection itself is fine. Its transaction, if any, is aborted and rolled
         * back when the connection goes back to the pool. */
        log_warning("database statement cancelled: it ran past statement_timeout_ms", "{s:s, s:i}",
                    "statement", name, "statement_timeout_ms", (int)c->statement_timeout_ms);
        return DB_UNAVAILABLE;
    }

    if (c->pg == NULL || PQstatus(c->pg) == CONNECTION_BAD || sqlstate_unavailable(c->sqlstate)) {
        if (!c->bad)
            log_warning("database connection lost", "{s:s, s:s}", "statement", name, "error",
                        c->error);
        c->bad = true; /* the next db_conn_ensure() opens a fresh connection */
        return DB_UNAVAILABLE;
    }
    if (strcmp(c->sqlstate, "23505") == 0)
        return DB_CONFLICT; /* expected under races: the caller decides, nothing to log */
    log_error("database statement failed", "{s:s, s:s, s:s}", "statement", name, "sqlstate",
              c->sqlstate, "error", c->error);
    return DB_FAILED;
}

db_status db_fail_local(db_conn *c, const char *name, const char *fmt, ...)
{
    char msg[384];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (c != NULL) {
        char prefix[96];
        snprintf(prefix, sizeof prefix, "%s: ", name);
        set_error(c, prefix, msg);
    }
    log_error("database result not usable", "{s:s, s:s}", "statement", name, "error", msg);
    return DB_FAILED;
}

const char *db_conn_error(const db_conn *c)
{
    return c->error;
}

void db_conn_error_get(const db_conn *c, db_status st, lv_error *err)
{
    lv_error_set(err, st == DB_UNAVAILABLE ? LV_HTTP_UNAVAILABLE : LV_HTTP_INTERNAL, 0, NULL, "%s",
                 c->error[0] != '\0' ? c->error : db_status_name(st));
    if (c->detail[0] != '\0')
        lv_error_detail(err, "%s", c->detail);
    if (c->hint[0] != '\0')
        lv_error_hint(err, "%s", c->hint);
}

const char *db_status_name(db_status st)
{
    switch (st) {
    case DB_OK:
        return "ok";
    case DB_NOT_FOUND:
        return "not_found";
    case DB_CONFLICT:
        return "conflict";
    case DB_UNAVAILABLE:
        return "unavailable";
    case DB_FAILED:
    default:
        return "failed";
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Connecting                                                                               */

static bool prepare_all(db_conn *c)
{
    for (size_t t = 0; db_statement_tables[t] != NULL; t++) {
        for (const db_statement *s = db_statement_tables[t]; s->name != NULL; s++) {
            if (db_statement_is_copy(s))
                continue; /* COPY cannot be prepared */
            PGresult *res = PQprepare(c->pg, s->name, s->sql, s->n_params, NULL);
            bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
            if (!ok) {
                char prefix[96];
                snprintf(prefix, sizeof prefix, "preparing %s: ", s->name);
                set_error(c, prefix,
                          res != NULL ? PQresultErrorMessage(res) : PQerrorMessage(c->pg));
                copy_field(c->sqlstate, sizeof c->sqlstate, res, PG_DIAG_SQLSTATE);
                log_error("database statement does not prepare", "{s:s, s:s, s:s}", "statement",
                          s->name, "sqlstate", c->sqlstate, "error", c->error);
            }
            PQclear(res);
            if (!ok)
                return false;
        }
    }
    return true;
}

db_status db_conn_ensure(db_conn *c, lv_error *err)
{
    if (c->pg != NULL && !db_conn_is_bad(c))
        return DB_OK;
    db_conn_reset(c);
    /* Our settings come first; with expand_dbname the conninfo given as "dbname" is
     * expanded in place, so anything the operator wrote there wins over them. */
    char options[64];
    snprintf(options, sizeof options, "-c TimeZone=UTC -c statement_timeout=%u",
             c->statement_timeout_ms);
    const char *const keys[] = {"connect_timeout", "application_name", "client_encoding",
                                "options",         "dbname",           NULL};
    const char *const values[] = {"5", "lvhcmon", "UTF8", options, c->conninfo, NULL};
    c->pg = PQconnectdbParams(keys, values, 1);
    db_status st = DB_UNAVAILABLE;
    if (c->pg == NULL) {
        set_error(c, "", "out of memory");
        st = DB_FAILED;
    } else if (PQstatus(c->pg) != CONNECTION_OK) {
        set_error(c, "", PQerrorMessage(c->pg));
    } else {
        PQsetNoticeProcessor(c->pg, on_notice, NULL);
        if (!c->prepare || prepare_all(c)) {
            c->error[0] = '\0';
            return DB_OK;
        }
        /* Reaching the server but failing to prepare is not an outage: the schema does
         * not match the code. Unless the server went away meanwhile. */
        st = PQstatus(c->pg) == CONNECTION_BAD || sqlstate_unavailable(c->sqlstate) ? DB_UNAVAILABLE
                                                                                    : DB_FAILED;
    }
    db_conn_error_get(c, st, err);
    db_conn_reset(c);
    return st;
}

/* ---------------------------------------------------------------------------------------- */
/* Running                                                                                  */

PGresult *db_exec(db_conn *c, const char *name, const char *const *params, db_status *st)
{
    const db_statement *s = db_statement_find(name);
    if (s == NULL) {
        *st = db_fail_local(c, name, "no such registered statement");
        return NULL;
    }
    if (c->pg == NULL) {
        *st = db_fail(c, s->name, NULL);
        return NULL;
    }
    PGresult *res;
    bool copy = db_statement_is_copy(s);
    if (copy)
        res = PQexecParams(c->pg, s->sql, 0, NULL, NULL, NULL, NULL, 0);
    else if (c->prepare)
        res = PQexecPrepared(c->pg, s->name, s->n_params, params, NULL, NULL, 0);
    else
        res = PQexecParams(c->pg, s->sql, s->n_params, NULL, params, NULL, NULL, 0);
    ExecStatusType rs = PQresultStatus(res);
    if (res != NULL &&
        (rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK || (copy && rs == PGRES_COPY_IN))) {
        *st = DB_OK;
        return res;
    }
    *st = db_fail(c, s->name, res);
    PQclear(res);
    return NULL;
}

/* Transaction control carries no values: plain PQexecParams with fixed text. */
static db_status run_fixed(db_conn *c, const char *sql)
{
    if (c->pg == NULL)
        return db_fail(c, sql, NULL);
    PGresult *res = PQexecParams(c->pg, sql, 0, NULL, NULL, NULL, NULL, 0);
    db_status st = PQresultStatus(res) == PGRES_COMMAND_OK ? DB_OK : db_fail(c, sql, res);
    PQclear(res);
    return st;
}

db_status db_begin(db_conn *c)
{
    return run_fixed(c, "BEGIN");
}

static void deferred_clear(db_conn *c)
{
    for (size_t i = 0; i < c->n_deferred; i++) {
        deferred_statement *d = &c->deferred[i];
        for (int k = 0; k < d->n_params; k++)
            free(d->params[k]);
        free(d->params);
    }
    c->n_deferred = 0;
    c->deferring = false;
}

void db_defer_until_commit(db_conn *c)
{
    c->deferring = true;
}

bool db_conn_defer(db_conn *c, const char *name, const char *const *params, db_status *st)
{
    const db_statement *s = db_statement_find(name);
    if (!c->deferring || c->n_deferred == DB_DEFER_MAX || s == NULL || db_statement_is_copy(s))
        return false;
    deferred_statement *d = &c->deferred[c->n_deferred];
    d->name = s->name;
    d->n_params = s->n_params;
    d->params = calloc(s->n_params ? (size_t)s->n_params : 1, sizeof *d->params);
    bool copied = d->params != NULL;
    for (int k = 0; copied && k < s->n_params; k++)
        copied = params[k] == NULL || (d->params[k] = strdup(params[k])) != NULL;
    c->n_deferred++; /* even half copied: deferred_clear() frees it */
    *st = copied ? DB_OK : db_fail_local(c, name, "out of memory");
    return true;
}

/* The queued statements and the COMMIT make one batch. */
_Static_assert(DB_DEFER_MAX + 1 <= DB_BATCH_MAX, "DB_DEFER_MAX leaves room for the COMMIT");

db_status db_commit(db_conn *c)
{
    if (c->n_deferred == 0) {
        c->deferring = false;
        return run_fixed(c, "COMMIT");
    }
    db_batch_item items[DB_BATCH_MAX];
    db_rows *rows[DB_BATCH_MAX];
    size_t n = 0;
    for (; n < c->n_deferred; n++)
        items[n] =
            (db_batch_item){c->deferred[n].name, (const char *const *)c->deferred[n].params, NULL};
    items[n++] = (db_batch_item){NULL, NULL, "COMMIT"};
    db_status st = db_batch_run(c, items, n, rows);
    for (size_t i = 0; i < n; i++)
        db_rows_free(rows[i]);
    deferred_clear(c);
    if (st != DB_OK)
        db_rollback(c); /* a queued statement failed: the COMMIT never ran */
    return st;
}

void db_rollback(db_conn *c)
{
    deferred_clear(c);
    if (c->pg != NULL && PQtransactionStatus(c->pg) != PQTRANS_IDLE)
        run_fixed(c, "ROLLBACK");
}

db_status db_exec_script(db_conn *c, const char *sql)
{
    if (c->pg == NULL)
        return db_fail(c, "script", NULL);
    PGresult *res = PQexec(c->pg, sql);
    ExecStatusType rs = PQresultStatus(res);
    db_status st = rs == PGRES_EMPTY_QUERY || rs == PGRES_COMMAND_OK || rs == PGRES_TUPLES_OK
                       ? DB_OK
                       : db_fail(c, "script", res);
    PQclear(res);
    return st;
}
