/*
 * submission_common.h: what the submission handlers (declarations_post.c for JSON,
 * declarations_aw319_post.c for AW319 files, and any other channel) share once their body
 * is parsed: the check that a provider token submits only for its own AGB, reference data,
 * the one ingest path, and the reply (201 new, 200 replay, 409, 422, 503 with
 * Retry-After). A 201 or 200 is sent only once every read of this instance includes the
 * submission (http_submission_await_visible()).
 */
#ifndef LVHCMON_HTTP_SUBMISSION_COMMON_H
#define LVHCMON_HTTP_SUBMISSION_COMMON_H

#include <stdint.h>

#include "audit.h"
#include "declaration.h"
#include "error.h"
#include "http/request.h"
#include "ingest/ingest.h"
#include "privacy.h"

/** The header that says what this instance's reads include of a stored submission. */
#define HTTP_HEADER_READ_YOUR_WRITES "Lvhcmon-Read-Your-Writes"

/**
 * Waits, at most [server] read_your_writes_timeout_ms, until every read of this instance
 * includes the submission stored by transaction @a xact_id (ingest_result.xact_id; for
 * several submissions of one request, the last one stored: each earlier one committed
 * before it). Counted for /metrics.
 * @return the value of the HTTP_HEADER_READ_YOUR_WRITES header: "included" (status,
 *         groups, providers and alerts include it), "alerts-pending" (all but the alert
 *         states, whose evaluation was not confirmed in time) or "pending" (the snapshots
 *         did not catch up in time)
 */
const char *http_submission_await_visible(http_request *req, uint64_t xact_id);

/** What the submissions of one request share: their settings, the actor they point to and
 *  the HMAC of the body. Not to be copied once initialised (settings point into it). */
typedef struct {
    ingest_settings settings;
    audit_actor actor;
    char body_hmac[PRIVACY_HASH_HEX_LEN + 1];
} http_ingest_context;

/** Fills @a ctx for the submissions of @a req arriving by @a channel ("http-csv"). */
void http_ingest_context_init(http_request *req, const char *channel, http_ingest_context *ctx);

/** Counts a submission's outcome (and, when stored, its lines) for /metrics. */
void http_submission_count(const ingest_result *r);

/**
 * Stores a parsed submission, or records a rejected one, and answers the request.
 * @param sub  the parsed submission (taken and freed), or NULL when parsing failed
 * @param err  the parser's error when @a sub is NULL
 */
enum MHD_Result http_submission_ingest(http_request *req, const char *channel, decl_submission *sub,
                                       const lv_error *err);

#endif
