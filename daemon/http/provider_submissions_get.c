/*
 * provider_submissions_get.c: GET /api/v1/providers/{agb}/submissions?year=Y[&limit=N]
 * [&after=CURSOR]: a provider's submissions, newest first (doc/api.md §5):
 *   {"provider_agb", "year", "submissions": [...], "next": CURSOR | null}
 * A stored submission: id, reference, source, received_at, lines, accepted, rejected,
 * credited, late, amount_cents, months (its service months). A file rejected whole:
 * "id": null, attempt_id, reference (null when unknown), source, received_at,
 * "rejected_whole": true and its error object (code, message, field).
 * year (default the current one): submissions with a line whose date_from lies in it, and
 * files rejected whole received in it. limit 1..500, default 50. The cursor is opaque to
 * clients: "<received microseconds>.<kind>.<id>" of the last row of the page.
 * Roles: controller, and that provider; another provider gets 404 provider_not_found, as
 * an unknown AGB does. Recorded in the audit trail (declarations.read) before it is answered.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/queries_reference.h"
#include "db/queries_submissions.h"
#include "http/audit_reply.h"
#include "http/declaration_json.h"
#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"
#include "snapshot/snapshot.h"

/* Reads ?after: absent (@a *has false) or three numbers "us.kind.id". @return false when
 * the request was answered 400. */
static bool read_cursor(http_request *req, sbq_cursor *c, bool *has)
{
    const char *text = http_request_query(req, "after");
    *has = text != NULL && text[0] != '\0';
    if (!*has)
        return true;
    char tail;
    long long us, id;
    int kind;
    if (strlen(text) > 64 || strspn(text, "0123456789.") != strlen(text) ||
        sscanf(text, "%lld.%d.%lld%c", &us, &kind, &id, &tail) != 3 || us <= 0 ||
        (kind != 0 && kind != 1) || id <= 0) {
        http_reply_error(req, LV_HTTP_BAD_REQUEST, "after",
                         "after must be the \"next\" value of a previous page");
        return false;
    }
    *c = (sbq_cursor){us, kind, id};
    return true;
}

static json_t *str_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

static json_t *row_json(const sbq_row *r)
{
    if (r->key.kind == 1)
        return json_pack("{s:I, s:s, s:s, s:s, s:i, s:i, s:i, s:i, s:i, s:I, s:o, s:b}", "id",
                         (json_int_t)r->key.id, "reference", r->reference, "source", r->source,
                         "received_at", r->received_at, "lines", r->lines, "accepted", r->accepted,
                         "rejected", r->rejected, "credited", r->credited, "late", r->late,
                         "amount_cents", (json_int_t)r->amount_cents, "months",
                         http_text_array_json_new(r->months), "rejected_whole", 0);
    return json_pack("{s:n, s:I, s:o, s:s, s:s, s:b, s:{s:s, s:s, s:o}}", "id", "attempt_id",
                     (json_int_t)r->key.id, "reference", str_or_null(r->reference), "source",
                     r->source, "received_at", r->received_at, "rejected_whole", 1, "error", "code",
                     r->error_code, "message", r->error_message, "field",
                     str_or_null(r->error_field));
}

enum MHD_Result http_handler_provider_submissions_get(http_request *req)
{
    const char *agb = http_request_param(req, "agb");
    if (req->principal.role == AUTH_ROLE_PROVIDER && strcmp(agb, req->principal.provider_agb) != 0)
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    int64_t year, limit;
    sbq_cursor after = {0};
    bool has_after;
    if (!http_query_int(req, "year", 2000, 2100, snapshot_current_year(req->config), &year) ||
        !http_query_int(req, "limit", 1, 500, 50, &limit) || !read_cursor(req, &after, &has_after))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_no_db(req);
    db_status st = rq_provider_exists(db, agb);
    if (st == DB_NOT_FOUND)
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    sbq_page page = {0};
    if (st == DB_OK)
        st = sbq_list(db, agb, (int)year, has_after ? &after : NULL, (int)limit, &page);
    if (st != DB_OK)
        return http_reply_db_failure(req, st);

    json_t *list = json_array();
    for (size_t i = 0; list != NULL && i < page.n; i++)
        json_array_append_new(list, row_json(&page.rows[i]));
    json_t *next = json_null();
    if ((int64_t)page.n == limit) {
        const sbq_cursor *k = &page.rows[page.n - 1].key;
        char text[80];
        snprintf(text, sizeof text, "%" PRId64 ".%d.%" PRId64, k->received_us, k->kind, k->id);
        next = json_string(text);
    }
    json_t *doc = json_pack("{s:s, s:i, s:o, s:o}", "provider_agb", agb, "year", (int)year,
                            "submissions", list, "next", next);
    json_t *detail = json_pack("{s:s, s:i, s:I, s:I}", "list", "submissions", "year", (int)year,
                               "limit", (json_int_t)limit, "submissions", (json_int_t)page.n);
    sbq_page_clear(&page);
    char object[32];
    snprintf(object, sizeof object, "provider:%s", agb);
    audit_event ev = {AUDIT_LINES_READ, object, agb, "ok", detail};
    enum MHD_Result ret = http_reply_json_audited(req, MHD_HTTP_OK, doc, &ev);
    json_decref(detail);
    return ret;
}
