/*
 * ingest.h: the one code path every declaration takes, whatever its channel (HTTP JSON,
 * HTTP AW319, `lvhcmon import` of AW319, CSV or JSON): hash the BSNs, check idempotency,
 * validate and price every line, store the submission and all its lines in one
 * transaction, and produce the answer that a replay will return again.
 */
#ifndef LVHCMON_INGEST_H
#define LVHCMON_INGEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audit.h"
#include "calendar.h"
#include "db/db_conn.h"
#include "declaration.h"
#include "error.h"
#include "refdata.h"

/** How the submission reached us; recorded with each attempt. */
typedef struct {
    const char *channel;           /* http-json, http-aw319, cli-json, cli-aw319, cli-csv */
    const unsigned char *hash_key; /* [privacy] client_hash_key */
    size_t hash_key_len;
    int deadline_working_days;    /* [declarations] deadline_working_days */
    int64_t max_minutes_per_line; /* 0584 above this */
    int64_t max_units_per_line;
    int64_t max_travel_cents_per_line; /* [declarations] max_travel_cents_per_line: 0584 */
    lv_date received_on;               /* today, in the service's calendar */
    int64_t received_at;      /* 0: now (the database's clock); else the instant recorded as the
                               * submission's arrival (a backfill, `import --received-on`) */
    const audit_actor *actor; /* who submits: every attempt goes into the audit trail */
    const char *body_hmac;    /* privacy_body_hmac() of the raw body or file; may be NULL */
} ingest_settings;

typedef enum {
    INGEST_STORED = 0,  /* 201 */
    INGEST_REPLAYED,    /* 200: the first answer again */
    INGEST_CONFLICT,    /* 409: same identity, different content */
    INGEST_REJECTED,    /* 422: rejected whole, nothing stored but the attempt */
    INGEST_UNAVAILABLE, /* 503: database unreachable; nothing stored; retry */
    INGEST_FAILED       /* 500 */
} ingest_outcome;

/**
 * The outcome of one submission. A stored or replayed submission is answered with @a text
 * (the answer of doc/api.md, compact JSON, as stored for replays) and its totals; anything
 * else with @a body, an {"error": {...}} object (lv_error_json_new()). Exactly one of the
 * two is set.
 */
typedef struct {
    ingest_outcome outcome;
    int http_status;
    json_t *body; /* owned by the result: {"error": {...}}, or NULL */
    char *text;   /* owned by the result: the answer to a stored or replayed submission */
    size_t text_len;
    int accepted; /* totals of a stored or replayed submission */
    int rejected;
    int64_t amount_cents;
    uint64_t xact_id; /* stored or replayed: the transaction that stored it (db_watermark.h;
                       * 0 for one stored before transactions were kept) */
} ingest_result;

/** Releases the body or text of a result. */
void ingest_result_clear(ingest_result *r);

/**
 * Stores one parsed submission. Wipes the clear BSNs of @a sub before returning.
 * @param ref  reference data, loaded by the caller
 */
ingest_result ingest_submission(db_conn *conn, const refdata *ref, const ingest_settings *s,
                                decl_submission *sub);

/** The part of storing a submission that needs no database (BSN hashes, canonical text). */
typedef struct ingest_prepared ingest_prepared;

/**
 * Does that part ahead of time, so a caller with many submissions (`lvhcmon import`) can
 * prepare the next one in another thread while this one is in the database. Reads @a sub
 * only; safe to run concurrently with ingest_submission() of another submission.
 * @return a new object for ingest_submission_prepared(), or NULL when out of memory.
 */
ingest_prepared *ingest_prepare(const ingest_settings *s, const decl_submission *sub);

/** Releases a prepared part that was not used. Accepts NULL. */
void ingest_prepared_free(ingest_prepared *p);

/**
 * ingest_submission() with the database-free part done beforehand by ingest_prepare()
 * with the same settings and submission. Takes @a prepared over (NULL: prepares here).
 */
ingest_result ingest_submission_prepared(db_conn *conn, const refdata *ref,
                                         const ingest_settings *s, decl_submission *sub,
                                         ingest_prepared *prepared);

/**
 * Records a submission rejected whole by its parser (the attempt and its audit row) and
 * builds the 422 answer; 503 or 500 instead when the audit row cannot be written.
 * @param agb, reference  what is known of the identity (may be NULL)
 */
ingest_result ingest_reject_file(db_conn *conn, const ingest_settings *s, const char *agb,
                                 const char *reference, const lv_error *err);

#endif
