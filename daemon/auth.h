/*
 * auth.h: API tokens and who a request speaks for.
 *
 * A token is "lvh_" followed by 64 hex digits (32 random bytes). It is shown once, when
 * created (`lvhcmon token add`); the database keeps only its SHA-256 in hex
 * (api_token.token_hash). A request presents it as "Authorization: Bearer TOKEN"; the token
 * is hashed and looked up, and the answer is cached in memory for AUTH_CACHE_TTL_S seconds,
 * so a token revoked (`lvhcmon token revoke`) or past its expiry (`token add
 * --expires-days N`) is refused by every instance within that time while the database is
 * up. While the database cannot be asked, a token found in the cache up to
 * AUTH_STALE_MAX_S after its cache entry aged out is still accepted, unless it expired.
 *
 * When a token is used is recorded in api_token.last_used_at, but not per request: a
 * lookup (at most one per AUTH_CACHE_TTL_S per token and instance) writes it when the
 * stored time is AUTH_LAST_USED_INTERVAL_S or more old, so it is exact to about a minute
 * and costs at most one write a minute per token and instance.
 *
 * Roles (doc/api.md): controller, provider (bound to one AGB), ingest, dashboard. Routes state
 * which roles they admit as a mask of auth_role bits.
 */
#ifndef LVHCMON_AUTH_H
#define LVHCMON_AUTH_H

#include <stdbool.h>
#include <stdint.h>

#include "db/db_pool.h"

#define AUTH_TOKEN_PREFIX "lvh_"
#define AUTH_TOKEN_RANDOM_BYTES 32
/** Characters of a token: prefix plus two hex digits per random byte. */
#define AUTH_TOKEN_LEN (4 + 2 * AUTH_TOKEN_RANDOM_BYTES)
#define AUTH_HASH_HEX_LEN 64
#define AUTH_CACHE_TTL_S 3
/** How old api_token.last_used_at may get before a lookup writes it again. */
#define AUTH_LAST_USED_INTERVAL_S 60
/** How long past its expiry a cached token still answers while the database is down. */
#define AUTH_STALE_MAX_S 3600

/** Roles, as bits so that a route can admit several. */
typedef enum {
    AUTH_ROLE_NONE = 0,
    AUTH_ROLE_CONTROLLER = 1u << 0,
    AUTH_ROLE_PROVIDER = 1u << 1,
    AUTH_ROLE_INGEST = 1u << 2,
    AUTH_ROLE_DASHBOARD = 1u << 3,
} auth_role;

/** Every role. */
#define AUTH_ROLES_ANY                                                                             \
    (AUTH_ROLE_CONTROLLER | AUTH_ROLE_PROVIDER | AUTH_ROLE_INGEST | AUTH_ROLE_DASHBOARD)

/** Who a request speaks for. */
typedef struct {
    auth_role role;
    char provider_agb[9]; /* the provider's AGB for AUTH_ROLE_PROVIDER, else "" */
    int64_t token_id;     /* api_token.id, for audit trails (who acknowledged an alert) */
    char label[64];       /* the token's label, possibly truncated */
} auth_principal;

/** Outcome of authenticating a request. */
typedef enum {
    AUTH_OK = 0,
    AUTH_MISSING,     /* no Authorization header */
    AUTH_INVALID,     /* malformed or unknown token */
    AUTH_REVOKED,     /* a token that was revoked */
    AUTH_EXPIRED,     /* a token past its expiry */
    AUTH_UNAVAILABLE, /* the database could not be asked (503) */
    AUTH_FAILED       /* the database was asked, and the lookup itself failed (500) */
} auth_result;

/** @return "controller", "provider", "ingest", "dashboard" or "none". */
const char *auth_role_name(auth_role role);

/**
 * @param name a role name as in doc/api.md
 * @param out receives the role
 * @return false when @a name is not a role
 */
bool auth_role_parse(const char *name, auth_role *out);

/**
 * Creates a new random token.
 * @param out receives "lvh_" and 64 hex digits, NUL-terminated
 */
void auth_token_generate(char out[AUTH_TOKEN_LEN + 1]);

/**
 * Hashes a token as stored in api_token.token_hash.
 * @param token the token as presented
 * @param hex receives 64 lower-case hex digits, NUL-terminated
 */
void auth_token_hash(const char *token, char hex[AUTH_HASH_HEX_LEN + 1]);

/**
 * Authenticates an Authorization header value.
 * @param pool where to look the token up on a cache miss
 * @param authorization the header value, or NULL when absent
 * @param out receives the principal on AUTH_OK
 * @return the outcome
 */
auth_result auth_authenticate(db_pool *pool, const char *authorization, auth_principal *out);

/** Forgets every cached token (tests; after revoking tokens). */
void auth_cache_clear(void);

#endif
