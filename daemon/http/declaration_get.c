/*
 * declaration_get.c: GET /api/v1/declarations/{id}: one submission with its lines, each
 * with status, codes, readable reason and amount. Paged by line number:
 * ?limit=N (1..1000, default 200) and ?after=LINE_NO; "page.next_after" is the value to
 * pass for the next page, null on the last one. Filters: ?status=accepted|rejected|credited
 * and ?month=YYYY-MM (of the service date); a bad value is 400 naming it. Roles: controller, and
 * the provider the submission belongs to; any other provider gets 404 declaration_not_found, as if
 * the id did not exist. Line-level data: every answer is recorded in the audit trail first
 * (declarations.read), or not given.
 */
#include "db/queries_declarations.h"
#include "http/audit_reply.h"
#include "http/declaration_json.h"
#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"

#include <stdio.h>
#include <string.h>

enum MHD_Result http_handler_declaration_get(http_request *req)
{
    static const char *const statuses[] = {"accepted", "rejected", "credited", NULL};
    int64_t id, limit, after;
    const char *status;
    char month[11];
    if (!http_path_id(req, "id", LV_DECLARATION_NOT_FOUND, &id) ||
        !http_query_int(req, "limit", 1, 1000, 200, &limit) ||
        !http_query_int(req, "after", 0, INT32_MAX, 0, &after) ||
        !http_query_enum(req, "status", statuses, &status) ||
        !http_query_month(req, "month", month))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_no_db(req);

    dq_submission_row sub;
    db_status st = dq_submission(db, id, &sub);
    if (st == DB_OK && req->principal.role == AUTH_ROLE_PROVIDER &&
        strcmp(sub.provider_agb, req->principal.provider_agb) != 0)
        st = DB_NOT_FOUND; /* do not reveal that another provider's submission exists */
    if (st == DB_NOT_FOUND)
        return http_reply_error(req, LV_DECLARATION_NOT_FOUND, NULL, NULL);
    dq_line_page page = {0};
    if (st == DB_OK)
        st = dq_submission_lines(db, id, &(dq_submission_filter){after, (int)limit, status, month},
                                 &page);
    if (st != DB_OK)
        return http_reply_db_failure(req, st);

    /* Paging by line_no here: the next page starts after the last line_no returned. */
    bool more = (int64_t)page.n == limit;
    int64_t last = page.n > 0 ? page.lines[page.n - 1].line_no : after;
    json_t *doc = http_submission_json_new(&sub);
    json_object_set_new(doc, "lines", http_lines_json_new(&page));
    json_object_set_new(doc, "page",
                        json_pack("{s:I, s:I, s:o}", "limit", (json_int_t)limit, "after",
                                  (json_int_t)after, "next_after",
                                  more ? json_integer(last) : json_null()));
    json_t *detail =
        json_pack("{s:s, s:I, s:I, s:I, s:s, s:s#}", "reference", sub.reference, "after",
                  (json_int_t)after, "limit", (json_int_t)limit, "lines", (json_int_t)page.n,
                  "status", status, "month", month, month[0] ? 7 : 0);
    dq_line_page_clear(&page);
    char object[40];
    snprintf(object, sizeof object, "submission:%lld", (long long)id);
    audit_event ev = {AUDIT_LINES_READ, object, sub.provider_agb, "ok", detail};
    enum MHD_Result ret = http_reply_json_audited(req, MHD_HTTP_OK, doc, &ev);
    json_decref(detail);
    return ret;
}
