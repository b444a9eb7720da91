/*
 * queries_ingest.h: every SQL statement of the ingest path, as typed functions. The
 * statements themselves are the named table in ingest_queries.c; nothing here builds SQL
 * from strings. All functions run on the caller's connection inside the caller's
 * transaction (ingest.c opens and closes it).
 */
#ifndef LVHCMON_QUERIES_INGEST_H
#define LVHCMON_QUERIES_INGEST_H

#include <jansson.h>
#include <libpq-fe.h>
#include <stdbool.h>
#include <stdint.h>

#include "db/db_conn.h"
#include "declaration.h"
#include "privacy.h"
#include "validate.h"

typedef enum {
    IQ_OK = 0,
    IQ_NOT_FOUND,
    IQ_UNIQUE_VIOLATION, /* another transaction stored the same identity first */
    IQ_UNAVAILABLE,      /* the connection is gone: answer 503, retry later */
    IQ_ERROR
} iq_status;

/** A submission already stored under (provider, reference). Owned JSON; see iq_stored_clear. */
typedef struct {
    int64_t id;
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
    const char *body_sha256; /* may be NULL */
} iq_attempt;

iq_status iq_begin(db_conn *conn);
iq_status iq_commit(db_conn *conn);
void iq_rollback(db_conn *conn);

/** Serialises submissions of one provider across all daemons (transaction-scoped lock). */
iq_status iq_lock_provider(db_conn *conn, const char *agb);

iq_status iq_find_submission(db_conn *conn, const char *agb, const char *reference,
                             iq_stored_submission *out);

/**
 * Loads the provider's accepted lines that this submission may touch: the same line
 * references, the references its credits name, or the same clients.
 * @param out  set to a malloc'ed array the caller frees (free()); *n_out its length.
 */
iq_status iq_load_prior_lines(db_conn *conn, const decl_submission *sub,
                              const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1],
                              prior_line **out, size_t *n_out);

iq_status iq_next_submission_id(db_conn *conn, int64_t *id);

iq_status iq_insert_submission(db_conn *conn, int64_t id, const decl_submission *sub,
                               const char *content_sha256, const char *canonical_json,
                               const char *response_json, int accepted, int rejected,
                               int64_t amount_cents);

/** Stores every line of the submission with one COPY. */
iq_status iq_copy_lines(db_conn *conn, int64_t submission_id, const decl_submission *sub,
                        const char (*client_hashes)[PRIVACY_HASH_HEX_LEN + 1],
                        const line_result *results, const char *zorgkantoor);

/** Records an attempt. Runs in whatever transaction state the connection is in. */
iq_status iq_record_attempt(db_conn *conn, const iq_attempt *a);

/** Tells every daemon listening on "lvhcmon_ledger" that submission @a id committed. */
iq_status iq_notify_committed(db_conn *conn, int64_t id);

/** @return IQ_UNAVAILABLE when the connection is bad, else @a fallback. */
iq_status iq_classify_failure(db_conn *conn, const PGresult *res);

#endif
