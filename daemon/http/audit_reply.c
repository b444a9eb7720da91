/*
 * audit_reply.c: audited answers (see audit_reply.h).
 */
#include "http/audit_reply.h"

#include <string.h>

void http_audit_actor(http_request *req, audit_actor *out)
{
    const char *client, *proxy;
    http_request_addresses(req, &client, &proxy);
    audit_actor_of_token(out, &req->principal, client, proxy);
}

db_status http_audit_record(http_request *req, db_conn *db, const audit_event *ev)
{
    audit_actor who;
    http_audit_actor(req, &who);
    return audit_record(db, &who, ev);
}

enum MHD_Result http_reply_audit_failure(http_request *req, db_status st)
{
    if (st == DB_UNAVAILABLE)
        return http_reply_db_failure(req, st);
    return http_reply_error(req, LV_AUDIT_FAILED, NULL,
                            "the access could not be recorded in the audit trail, so nothing "
                            "was served (the server log has the details)");
}

enum MHD_Result http_reply_audited(http_request *req, unsigned status, const char *content_type,
                                   const void *body, size_t len, const http_header *headers,
                                   const audit_event *ev)
{
    db_conn *db = http_request_db(req);
    if (db == NULL)
        return http_reply_no_db(req);
    db_status st = http_audit_record(req, db, ev);
    if (st != DB_OK)
        return http_reply_audit_failure(req, st);
    return http_reply(req, status, content_type, body, len, headers);
}

enum MHD_Result http_reply_json_audited(http_request *req, unsigned status, json_t *doc,
                                        const audit_event *ev)
{
    db_conn *db = http_request_db(req);
    if (db == NULL) {
        json_decref(doc);
        return http_reply_no_db(req);
    }
    db_status st = http_audit_record(req, db, ev);
    if (st != DB_OK) {
        json_decref(doc);
        return http_reply_audit_failure(req, st);
    }
    return http_reply_json(req, status, doc);
}
