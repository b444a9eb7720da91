/*
 * queries_token.h: API tokens (table api_token), as typed functions. Only the SHA-256 of a
 * token is stored or looked up; the token itself never reaches the database.
 */
#ifndef LVHCMON_QUERIES_TOKEN_H
#define LVHCMON_QUERIES_TOKEN_H

#include <stdint.h>

#include "db/db_conn.h"

/** A token as stored (without its secret). */
typedef struct {
    int64_t id;
    char role[16];        /* controller, provider, ingest, dashboard */
    char provider_agb[9]; /* "" unless role is provider */
    char *label;          /* malloc'ed; release with tq_token_clear() */
} tq_token;

/** Frees what @a t holds and zeroes it. */
void tq_token_clear(tq_token *t);

/**
 * The active (not revoked) token whose SHA-256 is @a hash.
 * @param out receives it (release with tq_token_clear()) on DB_OK
 * @return DB_OK, DB_NOT_FOUND, or the failure
 */
db_status tq_token_by_hash(db_conn *db, const char *hash, tq_token *out);

/**
 * Stores a new token.
 * @param provider_agb the provider of a provider token, else NULL
 * @param id receives the new token's id
 */
db_status tq_token_insert(db_conn *db, const char *hash, const char *role, const char *provider_agb,
                          const char *label, int64_t *id);

#endif
