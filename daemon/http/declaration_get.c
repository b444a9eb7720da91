/*
 * declaration_get.c: GET /api/v1/declarations/{id}: one submission with its lines, each
 * with status, codes, readable reason and amount. Paged by line number:
 * ?limit=N (1..1000, default 200) and ?after=LINE_NO; "page.next_after" is the value to
 * pass for the next page, null on the last one. Roles: controller, and the provider the
 * submission belongs to; any other provider gets 404, as if the id did not exist.
 */
#include "db/queries_declarations.h"
#include "http/handlers.h"
#include "http/query_params.h"
#include "http/reply.h"

#include <string.h>

enum MHD_Result http_handler_declaration_get(http_request *req)
{
    int64_t id, limit, after;
    if (!http_path_id(req, "id", &id) || !http_query_int(req, "limit", 1, 1000, 200, &limit) ||
        !http_query_int(req, "after", 0, INT32_MAX, 0, &after))
        return MHD_YES;
    db_conn *db = http_request_db(req);
    if (!db)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database unavailable");

    json_t *doc = NULL;
    char owner[9] = "";
    dq_status st = dq_submission(db, id, &doc, owner);
    if (st == DQ_OK && req->principal.role == AUTH_ROLE_PROVIDER &&
        strcmp(owner, req->principal.provider_agb) != 0) {
        json_decref(doc);
        st = DQ_NOT_FOUND; /* do not reveal that another provider's submission exists */
    }
    if (st == DQ_NOT_FOUND)
        return http_reply_error(req, LV_HTTP_NOT_FOUND, NULL, "no such declaration");
    if (st != DQ_OK)
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database query failed");

    json_t *lines = NULL;
    int64_t last = after;
    if (dq_submission_lines(db, id, after, (int)limit, &lines, &last) != DQ_OK) {
        json_decref(doc);
        return http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "database query failed");
    }
    bool more = (int64_t)json_array_size(lines) == limit;
    json_object_set_new(doc, "lines", lines);
    json_object_set_new(doc, "page",
                        json_pack("{s:I, s:I, s:o}", "limit", (json_int_t)limit, "after",
                                  (json_int_t)after, "next_after",
                                  more ? json_integer(last) : json_null()));
    return http_reply_json(req, MHD_HTTP_OK, doc);
}
