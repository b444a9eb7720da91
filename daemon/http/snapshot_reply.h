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
 * Reads ?year (2000..2100; default [budget] default_year or the current year) and ?as_of
 * (YYYY-MM-DD, optional) and takes that year's snapshot: the live one, or the one as of
 * that day (snapshot_asof.h; as_of must lie in the year or after it, and not after today
 * in Amsterdam).
 * @return a reference (pass it to http_reply_snapshot_doc() or release it), or NULL when
 *         the request was already answered (400 naming `year` or `as_of`; 503 when the
 *         figures are not cached and the database is unavailable; 500 when they cannot be
 *         built otherwise)
 */
const snapshot *http_snapshot_acquire(http_request *req);

/**
 * Takes the snapshot of @a year as of day @a day (snapshot_asof.h) for a request: checks
 * the day (400 naming `as_of` before the year or after today in Amsterdam) and asks the
 * as_of cache on the request's pooled connection.
 * @return a reference (release it), or NULL when the request was already answered: 400 for
 *         the day; 503 when the figures are not cached and the database is unavailable,
 *         every connection stayed busy (`busy`) or the build ran past the statement
 *         timeout (`query_timeout`); 500 when they cannot be built otherwise
 */
const snapshot *http_snapshot_asof_acquire(http_request *req, int year, lv_date day);

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

/**
 * Answers a document rendered for this request alone (a provider's view,
 * snapshot_provider_view.h) as http_reply_snapshot_doc() answers a shared one: 200 with it,
 * or 304 when If-None-Match names its ETag; both with ETag and Cache-Control: no-cache.
 * @param doc its body is freed here
 * @param snap the snapshot it was rendered from; this function takes the reference
 */
enum MHD_Result http_reply_rendered_doc(http_request *req, const snapshot *snap, snapshot_doc *doc);

#endif
