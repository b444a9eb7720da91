/*
 * privacy.c: keyed hashing of client BSNs and plain SHA-256 digests, over libsodium.
 */
#include "privacy.h"

#include <sodium.h>
#include <string.h>

static bool sodium_ready(void)
{
    /* sodium_init() is thread-safe and idempotent; it returns 1 when already done. */
    return sodium_init() >= 0;
}

bool privacy_client_hash(const unsigned char *key, size_t key_len, const char *bsn,
                         char out_hex[PRIVACY_HASH_HEX_LEN + 1])
{
    if (!sodium_ready())
        return false;
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st;
    crypto_auth_hmacsha256_init(&st, key, key_len);
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)bsn, strlen(bsn));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
    sodium_bin2hex(out_hex, PRIVACY_HASH_HEX_LEN + 1, mac, sizeof mac);
    return true;
}

bool privacy_sha256_hex(const void *data, size_t len, char out_hex[PRIVACY_HASH_HEX_LEN + 1])
{
    if (!sodium_ready())
        return false;
    unsigned char digest[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(digest, data, len);
    sodium_bin2hex(out_hex, PRIVACY_HASH_HEX_LEN + 1, digest, sizeof digest);
    return true;
}
