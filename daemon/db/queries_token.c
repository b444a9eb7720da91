/*
 * queries_token.c: the SQL of API tokens (see queries_token.h).
 */
#include "db/queries_token.h"

#include <stdlib.h>
#include <string.h>

#include "db/db_result.h"
#include "db/db_statement.h"

const db_statement db_queries_token[] = {
    {"token_by_hash",
     "SELECT id, role, coalesce(provider_agb, '') AS provider_agb, label FROM api_token"
     " WHERE token_hash = $1 AND revoked_at IS NULL",
     1},
    {"token_insert",
     "INSERT INTO api_token (token_hash, role, provider_agb, label)"
     " VALUES ($1, $2, nullif($3, ''), $4) RETURNING id",
     4},
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
        db_rs_int64("id", &out->id), db_rs_text("role", out->role, sizeof out->role),
        db_rs_text("provider_agb", out->provider_agb, sizeof out->provider_agb),
        db_rs_text_dup("label", &out->label), db_rs_end()};
    return db_query_one(db, "token_by_hash", params, spec);
}

db_status tq_token_insert(db_conn *db, const char *hash, const char *role, const char *provider_agb,
                          const char *label, int64_t *id)
{
    const char *params[] = {hash, role, provider_agb != NULL ? provider_agb : "", label};
    db_result_spec spec[] = {db_rs_int64("id", id), db_rs_end()};
    return db_query_one(db, "token_insert", params, spec);
}
