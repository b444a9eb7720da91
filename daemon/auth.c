/*
 * auth.c: token generation, hashing and the authentication of requests (see auth.h).
 *
 * The cache maps token hashes to principals for a short time (AUTH_CACHE_TTL_S) so that a
 * dashboard polling many times a second does not cost a query per request, while a
 * revocation or an expiry still reaches every instance within seconds. Only successful
 * lookups are cached: caching failures would let anyone fill the cache with garbage
 * tokens. The cache is small and replaced oldest-first; a miss only costs one indexed
 * query. A token's own expiry (api_token.expires_at) is kept with the entry and checked on
 * every hit, so an entry never outlives it.
 *
 * While the database cannot be asked, an entry that expired at most AUTH_STALE_MAX_S ago
 * still answers: a token cannot be revoked while the database is down anyway, and without
 * this every client would get 503 once its entry aged out, even for the status reads that
 * are served from the (stale) in-memory snapshot. A token the database no longer knows is
 * dropped from the cache, so an expired entry never outlives a revocation that was seen.
 *
 * In front of that cache each thread keeps a memo of the few tokens it authenticated last
 * (the token itself, in that thread's memory only, as the request buffers hold it anyway),
 * compared in constant time, with the expiry of the cache entry they came from: a
 * dashboard that polls the status many times a second then costs neither a SHA-256 nor
 * the shared cache lock per request (bench/status_bench.sh measured about 1 us of the
 * 8 us a status read costs). Forgetting a token or clearing the cache bumps an epoch that
 * voids every thread's memo, so the memo never answers for longer than the cache would.
 */
#include "auth.h"

#include "db/queries_token.h"

#include <ctype.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define CACHE_SLOTS 64
#define TOKEN_MAX_LEN 256

typedef struct {
    char hash[AUTH_HASH_HEX_LEN + 1];
    auth_principal principal;
    time_t expires;        /* monotonic seconds; 0: empty slot */
    int64_t token_expires; /* the token's own expiry, Unix milliseconds; 0: never */
} cache_entry;

static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;
static cache_entry cache[CACHE_SLOTS];

/* The per-thread memo (see the file header). */
#define MEMO_SLOTS 4
typedef struct {
    char token[TOKEN_MAX_LEN + 1];
    size_t len;
    auth_principal principal;
    time_t expires;        /* the cache entry's expiry; 0: empty */
    int64_t token_expires; /* the token's own expiry, Unix milliseconds; 0: never */
    unsigned long epoch;   /* cache_epoch when stored */
} memo_entry;
static _Thread_local memo_entry memo[MEMO_SLOTS];
static _Thread_local unsigned memo_next;
static atomic_ulong cache_epoch;

static const struct {
    auth_role role;
    const char *name;
} ROLE_NAMES[] = {
    {AUTH_ROLE_CONTROLLER, "controller"},
    {AUTH_ROLE_PROVIDER, "provider"},
    {AUTH_ROLE_INGEST, "ingest"},
    {AUTH_ROLE_DASHBOARD, "dashboard"},
};

const char *auth_role_name(auth_role role)
{
    for (size_t i = 0; i < sizeof ROLE_NAMES / sizeof ROLE_NAMES[0]; i++)
        if (ROLE_NAMES[i].role == role)
            return ROLE_NAMES[i].name;
    return "none";
}

bool auth_role_parse(const char *name, auth_role *out)
{
    for (size_t i = 0; i < sizeof ROLE_NAMES / sizeof ROLE_NAMES[0]; i++) {
        if (strcmp(ROLE_NAMES[i].name, name) == 0) {
            *out = ROLE_NAMES[i].role;
            return true;
        }
    }
    return false;
}

void auth_token_generate(char out[AUTH_TOKEN_LEN + 1])
{
    unsigned char random[AUTH_TOKEN_RANDOM_BYTES];
    randombytes_buf(random, sizeof random);
    memcpy(out, AUTH_TOKEN_PREFIX, 4);
    sodium_bin2hex(out + 4, AUTH_TOKEN_LEN + 1 - 4, random, sizeof random);
    sodium_memzero(random, sizeof random);
}

void auth_token_hash(const char *token, char hex[AUTH_HASH_HEX_LEN + 1])
{
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hex, AUTH_HASH_HEX_LEN + 1, digest, sizeof digest);
}

/* Monotonic seconds. The coarse clock (the last tick, a few ms old) is read without
 * asking the clock source, which costs a hypervisor call on some virtual machines: every
 * request reads this, and the cache counts in whole seconds. */
static time_t now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return ts.tv_sec + 1; /* never 0, which marks an empty slot */
}

/* @return true when a token that expires at @a token_expires (Unix milliseconds, 0: never)
 * has. Milliseconds, not seconds: a token is refused from its expiry on, never before. */
static bool token_expired(int64_t token_expires)
{
    if (token_expires == 0)
        return false;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 >= token_expires;
}

/* Finds @hash among entries that expire after @not_before (monotonic seconds); the entry's
 * expiry goes to *expires when not NULL. */
static bool cache_lookup_until(const char *hash, time_t not_before, auth_principal *out,
                               time_t *expires, int64_t *token_expires)
{
    bool found = false;
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS && !found; i++) {
        if (cache[i].expires > not_before && !token_expired(cache[i].token_expires) &&
            sodium_memcmp(cache[i].hash, hash, AUTH_HASH_HEX_LEN) == 0) {
            *out = cache[i].principal;
            if (expires != NULL)
                *expires = cache[i].expires;
            if (token_expires != NULL)
                *token_expires = cache[i].token_expires;
            found = true;
        }
    }
    pthread_mutex_unlock(&cache_lock);
    return found;
}

static bool cache_lookup(const char *hash, time_t not_before, auth_principal *out)
{
    return cache_lookup_until(hash, not_before, out, NULL, NULL);
}

/* Whether @a a and @a b, both @a n bytes, are equal, in a time that depends on @a n only:
 * every byte is compared and the differences are folded, with no early exit.
 * sodium_memcmp() does the same through volatile accesses, one byte at a time, which made
 * it a visible share of a status read's CPU (perf, bench/status_bench.sh). */
static bool equal_constant_time(const char *a, const char *b, size_t n)
{
    unsigned char diff = 0;
    for (size_t i = 0; i < n; i++)
        diff |= (unsigned char)(a[i] ^ b[i]);
    return diff == 0;
}

/* The memo: @return true with *out set when this thread authenticated @a token lately. */
static bool memo_lookup(const char *token, size_t len, auth_principal *out)
{
    time_t now = now_s();
    unsigned long epoch = atomic_load_explicit(&cache_epoch, memory_order_acquire);
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        memo_entry *m = &memo[i];
        if (m->expires > now && m->epoch == epoch && m->len == len &&
            !token_expired(m->token_expires) && equal_constant_time(m->token, token, len)) {
            *out = m->principal;
            return true;
        }
    }
    return false;
}

static void memo_store(const char *token, size_t len, const auth_principal *p, time_t expires,
                       int64_t token_expires, unsigned long epoch)
{
    memo_entry *m = &memo[memo_next++ % MEMO_SLOTS];
    memcpy(m->token, token, len);
    m->token[len] = '\0';
    m->len = len;
    m->principal = *p;
    m->expires = expires;
    m->token_expires = token_expires;
    m->epoch = epoch;
}

static void cache_store(const char *hash, const auth_principal *p, int64_t token_expires)
{
    pthread_mutex_lock(&cache_lock);
    size_t victim = 0;
    for (size_t i = 1; i < CACHE_SLOTS; i++)
        if (cache[i].expires < cache[victim].expires)
            victim = i;
    memcpy(cache[victim].hash, hash, sizeof cache[victim].hash);
    cache[victim].principal = *p;
    cache[victim].expires = now_s() + AUTH_CACHE_TTL_S;
    cache[victim].token_expires = token_expires;
    pthread_mutex_unlock(&cache_lock);
}

static void cache_forget(const char *hash)
{
    pthread_mutex_lock(&cache_lock);
    for (size_t i = 0; i < CACHE_SLOTS; i++)
        if (cache[i].expires != 0 && sodium_memcmp(cache[i].hash, hash, AUTH_HASH_HEX_LEN) == 0)
            sodium_memzero(&cache[i], sizeof cache[i]);
    atomic_fetch_add_explicit(&cache_epoch, 1, memory_order_acq_rel);
    pthread_mutex_unlock(&cache_lock);
}

void auth_cache_clear(void)
{
    pthread_mutex_lock(&cache_lock);
    sodium_memzero(cache, sizeof cache);
    atomic_fetch_add_explicit(&cache_epoch, 1, memory_order_acq_rel);
    pthread_mutex_unlock(&cache_lock);
}

/* Extracts the token from "Bearer TOKEN". @return NULL when malformed. */
static const char *bearer_token(const char *authorization)
{
    if (strncasecmp(authorization, "Bearer ", 7) != 0)
        return NULL;
    const char *token = authorization + 7;
    while (*token == ' ')
        token++;
    size_t len = strlen(token);
    if (len == 0 || len > TOKEN_MAX_LEN)
        return NULL;
    for (const char *p = token; *p != '\0'; p++)
        if (!isgraph((unsigned char)*p))
            return NULL;
    return token;
}

auth_result auth_authenticate(db_pool *pool, const char *authorization, auth_principal *out)
{
    if (authorization == NULL || authorization[0] == '\0')
        return AUTH_MISSING;
    const char *token = bearer_token(authorization);
    if (token == NULL)
        return AUTH_INVALID;
    size_t len = strlen(token);
    if (memo_lookup(token, len, out))
        return AUTH_OK;
    /* The epoch before the lookup: a forget that races with it voids what we memo. */
    unsigned long epoch = atomic_load_explicit(&cache_epoch, memory_order_acquire);
    char hash[AUTH_HASH_HEX_LEN + 1];
    auth_token_hash(token, hash);
    time_t expires;
    int64_t token_expires;
    if (cache_lookup_until(hash, now_s(), out, &expires, &token_expires)) {
        memo_store(token, len, out, expires, token_expires, epoch);
        return AUTH_OK;
    }

    lv_error err;
    db_conn *db = db_pool_get(pool, &err);
    if (db == NULL) {
        if (cache_lookup(hash, now_s() - AUTH_STALE_MAX_S, out))
            return AUTH_OK;
        return err.code == LV_HTTP_UNAVAILABLE || err.code == LV_DB_BUSY ? AUTH_UNAVAILABLE
                                                                         : AUTH_FAILED;
    }
    tq_token t;
    db_status st = tq_token_by_hash(db, hash, &t);
    auth_result result = AUTH_INVALID;
    if (st == DB_UNAVAILABLE) {
        result = cache_lookup(hash, now_s() - AUTH_STALE_MAX_S, out) ? AUTH_OK : AUTH_UNAVAILABLE;
    } else if (st == DB_OK && t.revoked) {
        result = AUTH_REVOKED;
    } else if (st == DB_OK && (t.expired || token_expired(t.expires_at_ms))) {
        result = AUTH_EXPIRED;
    } else if (st == DB_OK) {
        auth_principal p = {.role = AUTH_ROLE_NONE, .token_id = t.id};
        if (auth_role_parse(t.role, &p.role)) {
            snprintf(p.provider_agb, sizeof p.provider_agb, "%s", t.provider_agb);
            snprintf(p.label, sizeof p.label, "%s", t.label); /* cut to the principal's size */
            cache_store(hash, &p, t.expires_at_ms);
            *out = p;
            result = AUTH_OK;
            /* Bookkeeping: a failure here is logged by the database layer and does not
             * refuse a valid token. */
            if (t.last_used_age < 0 || t.last_used_age >= AUTH_LAST_USED_INTERVAL_S)
                tq_token_touch(db, t.id);
        }
    } else if (st != DB_NOT_FOUND) {
        result = AUTH_FAILED;
    }
    tq_token_clear(&t);
    db_pool_put(pool, db);
    if (result != AUTH_OK && result != AUTH_UNAVAILABLE && result != AUTH_FAILED)
        cache_forget(hash);
    return result;
}
