/*
 * audit_get.c: GET /api/v1/audit?from=D&to=D&actor=A&action=X&limit=N&after=ID: the audit
 * trail (audit.h) for controllers, oldest first, paged by id like the declaration listings
 * ("page.next_after" is the `after` of the next page, null on the last one). from and to
 * are whole days of Europe/Amsterdam (to included); actor is "token:ID" or "cli:USER";
 * action one of the trail's actions. A bad filter is a 400 naming it. The read itself is
 * recorded too (audit.read).
 */
#include "audit.h"
#include "db/queries_audit.h"
#include "http/audit_reply.h"
#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"

enum MHD_Result http_handler_audit_get(http_request *req)
{
    static const char *const NAMES[4] = {"from", "to", "actor", "action"};
    const char *from = http_request_query(req, "from");
    const char *to = http_request_query(req, "to");
    const char *actor = http_request_query(req, "actor");
    const char *action = http_request_query(req, "action");
    lv_error err;
    if (!audit_filter_check(from, to, actor, action, NAMES, &err))
        return http_reply_lv_error(req, &err, NULL);
    int64_t limit, after;
    if (!http_query_int(req, "limit", 1, 1000, 200, &limit) ||
        !http_query_int(req, "after", 0, INT64_MAX, 0, &after))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (db == NULL)
        return http_reply_no_db(req);
    auditq_filter f = {from, to, actor, action, after, (int)limit};
    auditq_page page;
    db_status st = auditq_list(db, &f, &page);
    if (st != DB_OK)
        return http_reply_db_failure(req, st);
    bool more = (int64_t)page.n == limit;
    int64_t last = page.n > 0 ? page.rows[page.n - 1].id : after;
    json_t *filter = json_pack("{s:s?, s:s?, s:s?, s:s?}", "from", from, "to", to, "actor", actor,
                               "action", action);
    json_t *doc =
        json_pack("{s:O, s:o, s:{s:I, s:I, s:o}}", "filter", filter, "entries",
                  audit_rows_json_new(&page), "page", "limit", (json_int_t)limit, "after",
                  (json_int_t)after, "next_after", more ? json_integer(last) : json_null());
    json_t *detail = json_pack("{s:O, s:I}", "filter", filter, "entries", (json_int_t)page.n);
    auditq_page_clear(&page);
    audit_event ev = {AUDIT_AUDIT_READ, "audit", NULL, "ok", detail};
    enum MHD_Result ret = http_reply_json_audited(req, MHD_HTTP_OK, doc, &ev);
    json_decref(detail);
    json_decref(filter);
    return ret;
}
