/*
 * queries_ingest.h: every SQL statement of the ingest path, as typed functions. The
 * statements themselves are the named table in queries_ingest.c; nothing here builds SQL
 * from strings. All functions run on the caller's connection inside the caller's
 * transaction (daemon/ingest/ingest.c opens and closes it) and return a db_status:
 * DB_CONFLICT means a unique index caught a race with another transaction.
 */
#ifndef LVHCMON_QUERIES_INGEST_H
#define LVHCMON_QUERIES_INGEST_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db_conn.h"
#include "db/db_copy.h"
#include "declaration.h"
#include "privacy.h"
#include "validate.h"

/** A submission already stored under (provider, reference). Owned JSON; see iq_stored_clear. */
typedef struct {
    int64_t id;
    int64_t xact_id; /* the transaction that stored it (submission.xact_id; 0: before kept) */
    char content_sha256[PRIVACY_HASH_HEX_LEN + 1];
    json_t *canonical;
    json_t *response;
} iq_stored_submission;

void iq_stored_clear(iq_stored_submission *s);

/** One attempt to submit, stored or not (ingest_attempt). */
typedef struct {
    const char *channel;
    const char *provider_agb; /* may be NULL */
    const char *reference;    /* may be NULL */
    const char *result;       /* stored|replayed|conflict|rejected|failed */
    const char *error_code;   /* may be NULL */
    const char *error_field;
    const char *error_message;
    int64_t submission_id; /* 0: none */
    int line_count;
    const char *body_hmac; /* keyed hash of the raw body (privacy.h); may be NULL */
} iq_attempt;

/** What the opening of a submission's transaction found (iq_start()). */
typedef struct {
    bool found;                  /* (provider, reference) is stored: @a stored holds it */
    iq_stored_submission stored; /* found only */
    prior_line *prior;           /* the provider's accepted lines this submission may touch:
                                  * the same line references, the references its credits
                                  * name, the same client, prestatie and month (malloc'ed) */
    size_t n_prior;
    int64_t id;      /* the id the submission gets if it is stored (a drawn sequence value) */
    int64_t xact_id; /* the transaction that stores it (submission.xact_id; db_watermark.h) */
} iq_start_result;

/** Releases what a start result holds. */
void iq_start_clear(iq_start_result *r);

/**
 * Opens the transaction of a submission, in one round trip to the server (db_batch.h):
 * BEGIN; the transaction-scoped advisory lock that serialises one provider's submissions
 * across all daemons; the lookup of (provider, reference); the prior lines; the next
 * submission id. Each is a statement of its own, in that order, so the lookup and the prior
 * lines see every commit made before the lock was granted.
 * @param overlap  NULL, or work of the caller's that runs while the server answers
 *                 (db_batch_run_overlapped(); not run when the batch could not be sent)
 * @param out filled on DB_OK (iq_start_clear()); empty otherwise
 * @return DB_OK or the first failure (the transaction is then to be rolled back)
 */
db_status iq_start(db_conn *conn, const decl_submission *sub,
                   const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1], db_overlap_fn overlap,
                   void *overlap_cls, iq_start_result *out);

/**
 * Stores the submission row (its lines go in with iq_copy_lines()) and queues the
 * notification on "lvhcmon_ledger" that every daemon listening receives when it commits.
 * @param received_at when it was received, as a timestamptz literal ("2026-02-13 11:00:00+00")
 *        for a backfill, or NULL for the database's now()
 */
db_status iq_insert_submission(db_conn *conn, int64_t id, const decl_submission *sub,
                               const char *content_sha256, const char *canonical_json,
                               const char *response_json, int accepted, int rejected,
                               int64_t amount_cents, const char *received_at);

/**
 * Stores @a n_lines rows of declaration_line with one COPY. @a write_line writes row i with
 * these columns, in this order (COPY text format, db/copy_buffer.h):
 *   submission_id, line_no, provider_agb, line_ref, client_hash, prestatie, target_group,
 *   zorgkantoor, date_from, date_to, service_month, quantity, minutes, travel_cents,
 *   debit_credit, corrects_ref, tariff_cents, rate_bp, amount_cents, declared_cents,
 *   accepted, late, codes, reason, error_field
 * and, when @a with_received_at (a backfill), received_at last; else received_at is the
 * database's now().
 * @return DB_OK; DB_CONFLICT when a line broke a unique index; or the failure
 */
db_status iq_copy_lines(db_conn *conn, size_t n_lines, bool with_received_at,
                        db_copy_row_fn write_line, void *cls);

/** Records an attempt. Runs in whatever transaction state the connection is in. */
db_status iq_record_attempt(db_conn *conn, const iq_attempt *a);

#endif
