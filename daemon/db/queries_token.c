/*
 * queries_token.c: the SQL of API tokens (see queries_token.h).
 */
#include "db/queries_token.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_result.h"
#include "db/db_statement.h"

const db_statement db_queries_token[] = {
    {"token_by_hash",
     "SELECT id, role, coalesce(provider_agb, '') AS provider_agb, label,"
     "       revoked_at IS NOT NULL AS revoked,"
     "       coalesce(expires_at <= now(), false) AS expired,"
     "       coalesce(ceil(extract(epoch FROM expires_at) * 1000)::bigint, 0) AS expires_at_ms,"
     "       coalesce(extract(epoch FROM now() - last_used_at)::bigint, -1) AS last_used_age"
     " FROM api_token WHERE token_hash = $1",
     1},
    {"token_touch", "UPDATE api_token SET last_used_at = now() WHERE id = $1", 1},
    {"token_insert",
     "INSERT INTO api_token (token_hash, role, provider_agb, label, expires_at)"
     " VALUES ($1, $2, nullif($3, ''), $4,"
     "         CASE WHEN $5::int > 0 THEN now() + make_interval(days => $5::int) END)"
     " RETURNING id",
     5},
    {"token_revoke",
     "UPDATE api_token SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL"
     " RETURNING " DB_SQL_ISO_UTC("revoked_at") " AS revoked_at",
     1},
    {"token_revoked_at",
     "SELECT coalesce(" DB_SQL_ISO_UTC("revoked_at") ", '') AS revoked_at FROM api_token"
                                                     " WHERE id = $1",
     1},
    {"token_list",
     "SELECT id, role, coalesce(provider_agb, '') AS provider_agb, label,"
     "       " DB_SQL_ISO_UTC(
         "created_at") " AS created_at,"
                       "       coalesce(" DB_SQL_ISO_UTC(
                           "expires_at") ", '') AS expires_at,"
                                         "       coalesce(" DB_SQL_ISO_UTC(
                                             "last_used_at") ", '') AS last_used_at,"
                                                             "       coalesce(" DB_SQL_ISO_UTC(
                                                                 "revoked_at") ", '') AS "
                                                                               "revoked_at,"
                                                                               "       "
                                                                               "coalesce(expires_"
                                                                               "at <= now(), "
                                                                               "false) AS expired"
                                                                               " FROM api_token "
                                                                               "ORDER BY id",
     0},
    DB_STATEMENT_END,
};

void tq_token_clear(tq_token *t)
{
    free(t->label);
    memset(t, 0, sizeof *t);
}

db_status tq_token_by_hash(db_conn *db, const char *hash, tq_token *out)
{
    const char *params[] = {hash};
    memset(out, 0, sizeof *out);
    db_result_spec spec[] = {
        db_rs_int64("id", &out->id),
        db_rs_text("role", out->role, sizeof out->role),
        db_rs_text("provider_agb", out->provider_agb, sizeof out->provider_agb),
        db_rs_text_dup("label", &out->label),
        db_rs_bool("revoked", &out->revoked),
        db_rs_bool("expired", &out->expired),
        db_rs_int64("expires_at_ms", &out->expires_at_ms),
        db_rs_int64("last_used_age", &out->last_used_age),
        db_rs_end()};
    db_status st = db_query_one(db, "token_by_hash", params, spec);
    return st;
}

static void format_id(int64_t id, char buf[24])
{
    snprintf(buf, 24, "%" PRId64, id);
}

db_status tq_token_touch(db_conn *db, int64_t id)
{
    char ids[24];
    format_id(id, ids);
    const char *params[] = {ids};
    return db_command(db, "token_touch", params);
}

db_status tq_token_insert(db_conn *db, const char *hash, const char *role, const char *provider_agb,
                          const char *label, unsigned expires_days, int64_t *id)
{
    char days[16];
    snprintf(days, sizeof days, "%u", expires_days);
    const char *params[] = {hash, role, provider_agb != NULL ? provider_agb : "", label, days};
    db_result_spec spec[] = {db_rs_int64("id", id), db_rs_end()};
    return db_query_one(db, "token_insert", params, spec);
}

db_status tq_token_revoke(db_conn *db, int64_t id, char revoked_at[32])
{
    char ids[24];
    format_id(id, ids);
    const char *params[] = {ids};
    db_result_spec spec[] = {db_rs_text("revoked_at", revoked_at, 32), db_rs_end()};
    db_status st = db_query_one(db, "token_revoke", params, spec);
    if (st != DB_NOT_FOUND)
        return st;
    /* Nothing revoked: no such token, or revoked before. */
    st = db_query_one(db, "token_revoked_at", params, spec);
    return st == DB_OK ? DB_CONFLICT : st;
}

db_status tq_token_list_all(db_conn *db, tq_token_list *out)
{
    memset(out, 0, sizeof *out);
    db_rows *rows;
    db_status st = db_query(db, "token_list", NULL, &rows);
    if (st != DB_OK)
        return st;
    tq_token_row r;
    db_result_spec spec[] = {db_rs_int64("id", &r.id),
                             db_rs_text("role", r.role, sizeof r.role),
                             db_rs_text("provider_agb", r.provider_agb, sizeof r.provider_agb),
                             db_rs_text_dup("label", &r.label),
                             db_rs_text("created_at", r.created_at, sizeof r.created_at),
                             db_rs_text("expires_at", r.expires_at, sizeof r.expires_at),
                             db_rs_text("last_used_at", r.last_used_at, sizeof r.last_used_at),
                             db_rs_text("revoked_at", r.revoked_at, sizeof r.revoked_at),
                             db_rs_bool("expired", &r.expired),
                             db_rs_end()};
    void *collected;
    st = db_rows_collect(rows, spec, &r, sizeof r, &collected);
    if (st == DB_OK) {
        out->rows = collected;
        out->n = db_rows_count(rows);
    }
    db_rows_free(rows);
    return st;
}

void tq_token_list_clear(tq_token_list *list)
{
    for (size_t i = 0; i < list->n; i++)
        free(list->rows[i].label);
    free(list->rows);
    memset(list, 0, sizeof *list);
}
