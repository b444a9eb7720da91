/*
 * snapshot_reply.c: answering from a budget snapshot (see snapshot_reply.h).
 *
 * This is the hot path of the service: dashboards poll the status document. A read takes
 * a reference to the published snapshot (one mutex and one atomic increment), compares
 * ETags, and hands libmicrohttpd a pointer into the snapshot: no query, no serialisation,
 * no copy. The reference is dropped by libmicrohttpd's free callback once the body is sent.
 */
#include "http/snapshot_reply.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db_conn.h"
#include "http/query_params.h"
#include "http/reply.h"
#include "log.h"
#include "nl_time.h"
#include "snapshot/snapshot_asof.h"

/* Answers a snapshot that could not be had: 503 when the database is away or too slow
 * (@a conn: the connection it was built on, if any), 500 otherwise (logged). */
static void reply_no_snapshot(http_request *req, db_conn *conn, int year, lv_error *err)
{
    if (err->code == LV_HTTP_UNAVAILABLE && conn != NULL && db_conn_timed_out(conn)) {
        http_reply_db_failure(req, DB_UNAVAILABLE); /* 503 query_timeout */
        return;
    }
    if (err->code == LV_HTTP_UNAVAILABLE) {
        lv_error_prefix(err, "the budget status of %d cannot be computed now", year);
        http_reply_lv_error(req, err, NULL);
        return;
    }
    char text[LV_ERROR_TEXT_MAX];
    log_error("budget snapshot could not be built", "{s:i, s:s, s:s}", "year", year, "code",
              lv_code_get(err->code)->id, "error", lv_error_text(err, text, sizeof text));
    http_reply_error(req, LV_HTTP_INTERNAL, NULL,
                     "internal error: the budget status of %d cannot be computed (the server "
                     "log has the details)",
                     year);
}

const snapshot *http_snapshot_asof_acquire(http_request *req, int year, lv_date day)
{
    lv_error err = {0};
    if (!snapshot_asof_day_valid(year, day, nl_date_of((int64_t)time(NULL)), "as_of", &err)) {
        http_reply_lv_error(req, &err, NULL);
        return NULL;
    }
    if (req->app->asof == NULL) {
        http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "budget snapshots are not running");
        return NULL;
    }
    /* No connection (the database away, every connection busy): only a cached snapshot
     * answers, marked stale. */
    db_conn *conn = http_request_db(req);
    const snapshot *snap =
        snapshot_asof_acquire(req->app->asof, conn, req->config, year, day, &err);
    if (snap == NULL && conn == NULL && err.code == LV_HTTP_UNAVAILABLE)
        http_reply_no_db(req); /* why the pool gave none: 503 busy, or the database away */
    else if (snap == NULL)
        reply_no_snapshot(req, conn, year, &err);
    return snap;
}

const snapshot *http_snapshot_acquire(http_request *req)
{
    int64_t year;
    lv_date as_of;
    if (!http_query_int(req, "year", 2000, 2100, snapshot_current_year(req->config), &year) ||
        !http_query_date(req, "as_of", &as_of))
        return NULL;
    if (as_of != LV_DATE_NONE)
        return http_snapshot_asof_acquire(req, (int)year, as_of);
    if (req->app->snapshots == NULL) {
        http_reply_error(req, LV_HTTP_UNAVAILABLE, NULL, "budget snapshots are not running");
        return NULL;
    }
    lv_error err = {0};
    const snapshot *snap = snapshot_acquire(req->app->snapshots, (int)year, &err);
    if (snap == NULL)
        reply_no_snapshot(req, NULL, (int)year, &err);
    return snap;
}

/* Whether an If-None-Match value (a list of entity tags, or "*") names @a etag. Weak
 * comparison, as RFC 9110 asks for If-None-Match: a W/ prefix is ignored. */
bool http_etag_matches(const char *header, const char *etag)
{
    if (header == NULL)
        return false;
    size_t elen = strlen(etag);
    const char *p = header;
    while (*p != '\0') {
        p += strspn(p, " \t,");
        if (*p == '*')
            return true;
        if (strncmp(p, "W/", 2) == 0)
            p += 2;
        size_t n = strcspn(p, ",");
        size_t len = n;
        while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\t'))
            len--;
        if (len == elen && memcmp(p, etag, elen) == 0)
            return true;
        p += n;
    }
    return false;
}

static void release_snapshot(void *cls)
{
    snapshot_release(cls);
}

enum MHD_Result http_reply_snapshot_doc(http_request *req, const snapshot *snap,
                                        const snapshot_doc *doc)
{
    bool not_modified =
        http_etag_matches(http_request_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH), doc->etag);
    unsigned status = not_modified ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
    struct MHD_Response *resp =
        not_modified ? MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT)
                     : MHD_create_response_from_buffer_with_free_callback_cls(
                           doc->len, doc->body, release_snapshot, (void *)snap);
    if (resp == NULL) {
        snapshot_release(snap);
        return MHD_NO;
    }
    /* From here the response owns the reference (200) or we drop it now (304). */
    const http_header headers[] = {{MHD_HTTP_HEADER_ETAG, doc->etag},
                                   {MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache"},
                                   {NULL, NULL}};
    if (!not_modified)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    http_reply_headers(req, resp, headers);
    enum MHD_Result ret = MHD_queue_response(req->connection, status, resp);
    MHD_destroy_response(resp);
    if (not_modified)
        snapshot_release(snap);
    if (ret == MHD_YES) {
        req->replied = true;
        req->status = status;
    }
    return ret;
}

enum MHD_Result http_reply_rendered_doc(http_request *req, const snapshot *snap, snapshot_doc *doc)
{
    snapshot_release(snap); /* the document is a copy of its own */
    const http_header headers[] = {{MHD_HTTP_HEADER_ETAG, doc->etag},
                                   {MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache"},
                                   {NULL, NULL}};
    enum MHD_Result ret;
    if (http_etag_matches(http_request_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH), doc->etag))
        ret = http_reply(req, MHD_HTTP_NOT_MODIFIED, "application/json", NULL, 0, headers);
    else
        ret = http_reply(req, MHD_HTTP_OK, "application/json", doc->body, doc->len, headers);
    free(doc->body);
    doc->body = NULL;
    return ret;
}
