/*
 * audit_reply.h: answering a request whose answer must be in the audit trail (audit.h).
 *
 * A handler that serves line-level data (declarations of a provider, a submission with its
 * lines, any export of lines) ends with one call:
 *
 *     audit_event ev = {AUDIT_LINES_READ, "provider:41000001", "41000001", "ok", detail};
 *     return http_reply_json_audited(req, MHD_HTTP_OK, doc, &ev);
 *
 * which writes the row first and answers only when it is written; when it cannot be written
 * the request is answered 503 (database unavailable, Retry-After) or 500 audit_failed and
 * the data is dropped: nothing is served unaudited.
 */
#ifndef LVHCMON_HTTP_AUDIT_REPLY_H
#define LVHCMON_HTTP_AUDIT_REPLY_H

#include "audit.h"
#include "http/reply.h"

/** The actor of @a req: its token and the address it came from. */
void http_audit_actor(http_request *req, audit_actor *out);

/**
 * Records @a ev for @a req on the request's database connection, then answers.
 * @param body the answer (copied); @a headers as http_reply()
 * @return what the reply returned
 */
enum MHD_Result http_reply_audited(http_request *req, unsigned status, const char *content_type,
                                   const void *body, size_t len, const http_header *headers,
                                   const audit_event *ev);

/**
 * http_reply_audited() for a JSON document.
 * @param doc the document; this function takes the reference
 */
enum MHD_Result http_reply_json_audited(http_request *req, unsigned status, json_t *doc,
                                        const audit_event *ev);

/**
 * Records @a ev for @a req, for a handler that writes its row inside its own transaction.
 * @return DB_OK, or the failure (answer it with http_reply_audit_failure())
 */
db_status http_audit_record(http_request *req, db_conn *db, const audit_event *ev);

/** Answers a request whose audit row could not be written: 503 or 500 audit_failed. */
enum MHD_Result http_reply_audit_failure(http_request *req, db_status st);

#endif
