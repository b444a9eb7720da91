/*
 * provider_declarations_get.c: GET /api/v1/providers/{agb}/declarations: a provider's
 * lines across submissions, filtered by ?year, ?month (of the service date) and ?status
 * (accepted|rejected|credited), paged by line id (?limit, ?after; "page.next_after").
 * Roles: controller, and that provider itself; another provider gets 404
 * provider_not_found, as an unknown AGB does. Line-level data: every answer is recorded in
 * the audit trail first (declarations.read), or not given.
 */
#include <stdio.h>
#include <string.h>

#include "db/queries_declarations.h"
#include "db/queries_reference.h"
#include "http/audit_reply.h"
#include "http/declaration_json.h"
#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"

static const char *const STATUSES[] = {"accepted", "rejected", "credited", NULL};

enum MHD_Result http_handler_provider_declarations_get(http_request *req)
{
    const char *agb = http_request_param(req, "agb");
    if (req->principal.role == AUTH_ROLE_PROVIDER && strcmp(agb, req->principal.provider_agb) != 0)
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    int64_t year, month, limit, after;
    const char *status;
    if (!http_query_int(req, "year", 2000, 2100, 0, &year) ||
        !http_query_int(req, "month", 1, 12, 0, &month) ||
        !http_query_enum(req, "status", STATUSES, &status) ||
        !http_query_int(req, "limit", 1, 1000, 200, &limit) ||
        !http_query_int(req, "after", 0, INT64_MAX, 0, &after))
        return MHD_YES;
    if (month && !year)
        return http_reply_error(req, LV_HTTP_BAD_REQUEST, "month", "month needs a year");
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_no_db(req);
    db_status st = rq_provider_exists(db, agb);
    if (st == DB_NOT_FOUND)
        return http_reply_error(req, LV_PROVIDER_NOT_FOUND, NULL, "no such provider");
    dq_line_filter f = {agb, (int)year, (int)month, status, after, (int)limit};
    dq_line_page page = {0};
    if (st == DB_OK)
        st = dq_provider_lines(db, &f, &page);
    if (st != DB_OK)
        return http_reply_db_failure(req, st);
    bool more = (int64_t)page.n == limit;
    int64_t last = page.n > 0 ? page.lines[page.n - 1].id : after;
    json_t *detail = json_pack("{s:i, s:i, s:s, s:I, s:I, s:I}", "year", (int)year, "month",
                               (int)month, "status", status, "after", (json_int_t)after, "limit",
                               (json_int_t)limit, "lines", (json_int_t)page.n);
    json_t *doc = json_pack(
        "{s:s, s:o, s:o, s:o, s:o, s:{s:I, s:I, s:o}}", "provider_agb", agb, "year",
        year ? json_integer(year) : json_null(), "month", month ? json_integer(month) : json_null(),
        "status", status[0] ? json_string(status) : json_null(), "lines",
        http_lines_json_new(&page), "page", "limit", (json_int_t)limit, "after", (json_int_t)after,
        "next_after", more ? json_integer(last) : json_null());
    dq_line_page_clear(&page);
    char object[32];
    snprintf(object, sizeof object, "provider:%s", agb);
    audit_event ev = {AUDIT_LINES_READ, object, agb, "ok", detail};
    enum MHD_Result ret = http_reply_json_audited(req, MHD_HTTP_OK, doc, &ev);
    json_decref(detail);
    return ret;
}
