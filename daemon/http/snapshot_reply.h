/*
 * snapshot_reply.h: what the budget read endpoints (status, groups, providers) share:
 * reading ?year, taking the year's snapshot, and answering with one of its prebuilt
 * documents, or 304 when the client's If-None-Match names its ETag.
 *
 * The body is not copied: the response points into the snapshot and holds a reference to
 * it until libmicrohttpd has sent it, so a rebuild that publishes a new snapshot meanwhile
 * does not pull the bytes from under the socket.
 */
#ifndef LVHCMON_HTTP_SNAPSHOT_REPLY_H
#define LVHCMON_HTTP_SNAPSHOT_REPLY_H

#include "http/request.h"
#include "snapshot/snapshot.h"

/**
 * Reads ?year (2000..2100; default [budget] default_year or the current year) and takes
 * that year's snapshot.
 * @return a reference (pass it to http_reply_snapshot_doc() or release it), or NULL when
 *         the request was already answered (400 naming `year`; 503 when the year is not
 *         cached and the database is unavailable; 500 when it cannot be built otherwise)
 */
const snapshot *http_snapshot_acquire(http_request *req);

/**
 * Answers 200 with @a doc (a document of @a snap), or 304 with its ETag and no body when
 * If-None-Match matches it. Both carry ETag and Cache-Control: no-cache.
 * @param snap the snapshot @a doc belongs to; this function takes the reference
 */
enum MHD_Result http_reply_snapshot_doc(http_request *req, const snapshot *snap,
                                        const snapshot_doc *doc);

/**
 * Whether an If-None-Match header value (a list of entity tags, or "*") names @a etag, by
 * weak comparison as RFC 9110 asks (a W/ prefix is ignored). Also used by the alert list.
 * @param header the header value, or NULL when absent (never matches)
 * @param etag the current entity tag, quotes included
 */
bool http_etag_matches(const char *header, const char *etag);

#endif
