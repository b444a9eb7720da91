/*
 * queries_token.h: API tokens (table api_token), as typed functions. Only the SHA-256 of a
 * token is stored or looked up; the token itself never reaches the database, and nothing
 * here ever returns the hash either.
 */
#ifndef LVHCMON_QUERIES_TOKEN_H
#define LVHCMON_QUERIES_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "db/db_conn.h"

/** A token as stored (without its secret). */
typedef struct {
    int64_t id;
    char role[16];        /* controller, provider, ingest, dashboard */
    char provider_agb[9]; /* "" unless role is provider */
    char *label;          /* malloc'ed; release with tq_token_clear() */
    bool revoked;
    bool expired;
    int64_t expires_at_ms; /* Unix time in milliseconds, rounded up; 0: never */
    int64_t last_used_age; /* seconds since it was last used; -1: never used */
} tq_token;

/** Frees what @a t holds and zeroes it. */
void tq_token_clear(tq_token *t);

/**
 * The token whose SHA-256 is @a hash, revoked and expired ones included (see the flags).
 * @param out receives it (release with tq_token_clear()) on DB_OK
 * @return DB_OK, DB_NOT_FOUND, or the failure
 */
db_status tq_token_by_hash(db_conn *db, const char *hash, tq_token *out);

/** Records that token @a id was used now (api_token.last_used_at). */
db_status tq_token_touch(db_conn *db, int64_t id);

/**
 * Stores a new token.
 * @param provider_agb the provider of a provider token, else NULL
 * @param expires_days days until it expires, 0 for never
 * @param id receives the new token's id
 */
db_status tq_token_insert(db_conn *db, const char *hash, const char *role, const char *provider_agb,
                          const char *label, unsigned expires_days, int64_t *id);

/**
 * Revokes token @a id now.
 * @param revoked_at receives when it was revoked (ISO 8601 UTC): now, or earlier when it
 *        already was (then the call changes nothing and returns DB_CONFLICT)
 * @return DB_OK, DB_CONFLICT (already revoked), DB_NOT_FOUND (no such token) or the failure
 */
db_status tq_token_revoke(db_conn *db, int64_t id, char revoked_at[32]);

/** One token as `lvhcmon token list` shows it: never the token, never its hash. */
typedef struct {
    int64_t id;
    char role[16];
    char provider_agb[9];
    char *label;           /* owned by the list */
    char created_at[32];   /* ISO 8601 UTC */
    char expires_at[32];   /* "" when it never expires */
    char last_used_at[32]; /* "" when never used */
    char revoked_at[32];   /* "" unless revoked */
    bool expired;
} tq_token_row;

/** Every token, by id. */
typedef struct {
    tq_token_row *rows;
    size_t n;
} tq_token_list;

/** Reads every token into @a out (release with tq_token_list_clear()). */
db_status tq_token_list_all(db_conn *db, tq_token_list *out);

/** Releases what @a list holds and zeroes it. */
void tq_token_list_clear(tq_token_list *list);

#endif
