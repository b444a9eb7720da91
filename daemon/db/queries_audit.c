/*
 * queries_audit.c: the SQL of the audit trail (see queries_audit.h).
 */
#include "db/queries_audit.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db_result.h"
#include "db/db_statement.h"

/* A day of Europe/Amsterdam as the instant it starts. */
#define DAY_START(param) "(" param "::date)::timestamp AT TIME ZONE 'Europe/Amsterdam'"

const db_statement db_queries_audit[] = {
    {"audit_insert",
     "INSERT INTO audit_log (actor, actor_role, actor_label, token_id, action, object,"
     "                       provider_agb, outcome, client_address, proxy_address, detail)"
     " VALUES ($1, $2, $3, nullif($4::bigint, 0), $5, $6, nullif($7, ''), $8,"
     "         nullif($9, '')::inet, nullif($10, '')::inet, coalesce($11::jsonb, '{}'))",
     11},
    {"audit_list",
     "SELECT id,"
     "       to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"') AS at,"
     "       actor, actor_role, actor_label, token_id, action, object,"
     "       coalesce(provider_agb, '') AS provider_agb, outcome,"
     "       coalesce(host(client_address), '') AS client_address,"
     "       coalesce(host(proxy_address), '') AS proxy_address, detail"
     " FROM audit_log"
     " WHERE id > $1::bigint"
     "   AND ($2 = '' OR at >= " DAY_START(
         "nullif($2, '')") ")"
                           "   AND ($3 = '' OR at < " DAY_START(
                               "(nullif($3, '')::date + 1)") ")"
                                                             "   AND ($4 = '' OR actor = $4)"
                                                             "   AND ($5 = '' OR action = $5)"
                                                             " ORDER BY id LIMIT $6::int",
     6},
    DB_STATEMENT_END,
};

db_status auditq_insert(db_conn *db, const auditq_entry *e)
{
    char token_id[24];
    snprintf(token_id, sizeof token_id, "%" PRId64, e->token_id);
    const char *params[] = {e->actor,
                            e->actor_role,
                            e->actor_label != NULL ? e->actor_label : "",
                            token_id,
                            e->action,
                            e->object,
                            e->provider_agb != NULL ? e->provider_agb : "",
                            e->outcome,
                            e->client_address != NULL ? e->client_address : "",
                            e->proxy_address != NULL ? e->proxy_address : "",
                            e->detail_json};
    return db_command(db, "audit_insert", params);
}

db_status auditq_list(db_conn *db, const auditq_filter *f, auditq_page *out)
{
    memset(out, 0, sizeof *out);
    char after[24], limit[16];
    snprintf(after, sizeof after, "%" PRId64, f->after);
    snprintf(limit, sizeof limit, "%d", f->limit);
    const char *params[] = {after,
                            f->from != NULL ? f->from : "",
                            f->to != NULL ? f->to : "",
                            f->actor != NULL ? f->actor : "",
                            f->action != NULL ? f->action : "",
                            limit};
    db_rows *rows;
    db_status st = db_query(db, "audit_list", params, &rows);
    if (st != DB_OK)
        return st;
    auditq_row r;
    db_result_spec spec[] = {db_rs_int64("id", &r.id),
                             db_rs_text("at", r.at, sizeof r.at),
                             db_rs_text_ref("actor", &r.actor),
                             db_rs_text_ref("actor_role", &r.actor_role),
                             db_rs_text_ref("actor_label", &r.actor_label),
                             db_rs_nullable(db_rs_int64("token_id", &r.token_id), &r.no_token),
                             db_rs_text_ref("action", &r.action),
                             db_rs_text_ref("object", &r.object),
                             db_rs_text_ref("provider_agb", &r.provider_agb),
                             db_rs_text_ref("outcome", &r.outcome),
                             db_rs_text_ref("client_address", &r.client_address),
                             db_rs_text_ref("proxy_address", &r.proxy_address),
                             db_rs_json("detail", &r.detail),
                             db_rs_end()};
    void *collected;
    st = db_rows_collect(rows, spec, &r, sizeof r, &collected);
    if (st != DB_OK) {
        db_rows_free(rows);
        return st;
    }
    out->rows = collected;
    out->n = db_rows_count(rows);
    out->held = rows;
    return DB_OK;
}

void auditq_page_clear(auditq_page *page)
{
    for (size_t i = 0; i < page->n; i++)
        json_decref(page->rows[i].detail);
    free(page->rows);
    db_rows_free(page->held);
    memset(page, 0, sizeof *page);
}
