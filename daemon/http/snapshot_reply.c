/*
 * snapshot_reply.c: answering from a budget snapshot (see snapshot_reply.h).
 *
 * This is the hot path of the service: dashboards poll the status document. A read takes
 * a reference to the published snapshot (one mutex and one atomic increment), compares
 * ETags, and queues a response that points into the snapshot: no query, no serialisation,
 * no copy.
 *
 * Kept responses: libmicrohttpd's responses are reference counted and may be queued on any
 * number of connections, so each HTTP thread keeps the 200 and 304 responses of the last
 * few documents it answered (KEPT_SLOTS), headers included, and queues them again while
 * the document is the same: a poll then builds no response, adds no header and frees
 * nothing. A slot holds a reference to its snapshot, so its document cannot go while the
 * slot names it; each request that queues a 200, kept or not, holds its own reference
 * (http_request.snapshot, dropped when the request completes), so the body stays until it
 * has been sent even if the thread's slot moves on meanwhile. A thread's slots are freed
 * when the thread ends (libmicrohttpd's workers end when the server stops). Responses are
 * kept only for authenticated requests (their headers depend on it) and never while the
 * server is stopping (those answers say Connection: close).
 */
#include "http/snapshot_reply.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db_conn.h"
#include "http/query_params.h"
#include "http/reply.h"
#include "http/server.h"
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

/* ---------------------------------------------------------------------------------------- */
/* Kept responses (see the file comment)                                                    */

#define KEPT_SLOTS 4

typedef struct {
    const snapshot *snap;    /* a reference; NULL: the slot is empty */
    const snapshot_doc *doc; /* a document of snap */
    struct MHD_Response *ok, *not_modified;
} kept_slot;

typedef struct {
    kept_slot slots[KEPT_SLOTS];
    unsigned next; /* the slot to reuse next */
} kept_responses;

static pthread_key_t kept_key;
static pthread_once_t kept_once = PTHREAD_ONCE_INIT;
static bool kept_key_ok;

static void kept_slot_clear(kept_slot *s)
{
    if (s->ok != NULL)
        MHD_destroy_response(s->ok);
    if (s->not_modified != NULL)
        MHD_destroy_response(s->not_modified);
    snapshot_release(s->snap);
    *s = (kept_slot){0};
}

/* The key's destructor: a thread that ends lets go of its slots. */
static void kept_free(void *p)
{
    kept_responses *k = p;
    for (size_t i = 0; i < KEPT_SLOTS; i++)
        kept_slot_clear(&k->slots[i]);
    free(k);
}

static void kept_key_init(void)
{
    kept_key_ok = pthread_key_create(&kept_key, kept_free) == 0;
}

/* A response with the headers every answer of @a doc carries; 304: no body.
 * @return a new response (the caller's reference), or NULL when out of memory */
static struct MHD_Response *doc_response_new(http_request *req, const snapshot_doc *doc,
                                             bool not_modified)
{
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        not_modified ? 0 : doc->len, not_modified ? (void *)"" : (void *)doc->body,
        MHD_RESPMEM_PERSISTENT);
    if (resp == NULL)
        return NULL;
    const http_header headers[] = {{MHD_HTTP_HEADER_ETAG, doc->etag},
                                   {MHD_HTTP_HEADER_CACHE_CONTROL, "no-cache"},
                                   {NULL, NULL}};
    if (!not_modified)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
    http_reply_headers(req, resp, headers);
    return resp;
}

/* This thread's kept response for @a doc of @a snap, made and kept on first use.
 * @return a response this thread keeps (do not destroy it), or NULL: none can be kept */
static struct MHD_Response *kept_response(http_request *req, const snapshot *snap,
                                          const snapshot_doc *doc, bool not_modified)
{
    pthread_once(&kept_once, kept_key_init);
    if (!kept_key_ok)
        return NULL;
    kept_responses *k = pthread_getspecific(kept_key);
    if (k == NULL) {
        k = calloc(1, sizeof *k);
        if (k == NULL || pthread_setspecific(kept_key, k) != 0) {
            free(k);
            return NULL;
        }
    }
    kept_slot *s = NULL;
    for (size_t i = 0; i < KEPT_SLOTS && s == NULL; i++)
        if (k->slots[i].doc == doc && k->slots[i].snap == snap)
            s = &k->slots[i];
    if (s == NULL) {
        s = &k->slots[k->next++ % KEPT_SLOTS];
        kept_slot_clear(s);
        s->snap = snapshot_ref(snap);
        s->doc = doc;
    }
    struct MHD_Response **r = not_modified ? &s->not_modified : &s->ok;
    if (*r == NULL)
        *r = doc_response_new(req, doc, not_modified);
    return *r;
}

/* Queues a response of a document of @a snap; the request holds @a snap (its reference)
 * until it completes, or lets it go now for a 304, which sends nothing of it. */
static enum MHD_Result queue_doc_response(http_request *req, const snapshot *snap,
                                          struct MHD_Response *resp, unsigned status)
{
    enum MHD_Result ret = MHD_queue_response(req->connection, status, resp);
    if (ret == MHD_YES && status == MHD_HTTP_OK) {
        req->snapshot = snap;
    } else {
        snapshot_release(snap);
    }
    if (ret == MHD_YES) {
        req->replied = true;
        req->status = status;
    }
    return ret;
}

enum MHD_Result http_reply_snapshot_doc(http_request *req, const snapshot *snap,
                                        const snapshot_doc *doc)
{
    bool not_modified =
        http_etag_matches(http_request_header(req, MHD_HTTP_HEADER_IF_NONE_MATCH), doc->etag);
    unsigned status = not_modified ? MHD_HTTP_NOT_MODIFIED : MHD_HTTP_OK;
    if (req->authenticated && (req->server == NULL || !http_server_stopping(req->server))) {
        struct MHD_Response *kept = kept_response(req, snap, doc, not_modified);
        if (kept != NULL)
            return queue_doc_response(req, snap, kept, status);
    }
    /* Not kept: made for this request alone, the same way. */
    struct MHD_Response *resp = doc_response_new(req, doc, not_modified);
    if (resp == NULL) {
        snapshot_release(snap);
        return MHD_NO;
    }
    enum MHD_Result ret = queue_doc_response(req, snap, resp, status);
    MHD_destroy_response(resp);
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
