/*
 * privacy.c: keyed hashing of client BSNs and submission bodies, and plain SHA-256 digests
 * (see privacy.h). The key derivation and the many short client hashes (over pads hashed
 * once) use libsodium. Long inputs, a body or a submission's canonical text of a few hundred
 * kilobytes, go through OpenSSL's libcrypto, whose SHA-256 uses the CPU's SHA extensions
 * where there are any: a fifth of libsodium's portable code's time on such inputs.
 */
#include "privacy.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
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

bool privacy_client_hasher_init(privacy_client_hasher *h, const unsigned char *key, size_t key_len)
{
    if (!sodium_ready())
        return false;
    crypto_auth_hmacsha256_init(&h->keyed, key, key_len);
    return true;
}

void privacy_client_hasher_hash(const privacy_client_hasher *h, const char *bsn,
                                char out_hex[PRIVACY_HASH_HEX_LEN + 1])
{
    unsigned char mac[crypto_auth_hmacsha256_BYTES];
    crypto_auth_hmacsha256_state st = h->keyed; /* the pads already hashed */
    crypto_auth_hmacsha256_update(&st, (const unsigned char *)bsn, strlen(bsn));
    crypto_auth_hmacsha256_final(&st, mac);
    sodium_memzero(&st, sizeof st);
    sodium_bin2hex(out_hex, PRIVACY_HASH_HEX_LEN + 1, mac, sizeof mac);
}

void privacy_client_hasher_wipe(privacy_client_hasher *h)
{
    sodium_memzero(h, sizeof *h);
}

/* The key derivation's context: 8 bytes naming what the subkey is for. */
static const char BODY_KEY_CONTEXT[crypto_kdf_CONTEXTBYTES] = {'l', 'v', 'h', 'c',
                                                               'b', 'o', 'd', 'y'};
#define BODY_KEY_ID 1

bool privacy_body_hmac(const unsigned char *client_key, size_t key_len, const void *data,
                       size_t len, char out_hex[PRIVACY_HASH_HEX_LEN + 1])
{
    if (!sodium_ready())
        return false;
    /* crypto_kdf wants a master key of exactly 32 bytes; the configured secret is text of
     * 32 characters or more: its BLAKE2b-256 is the master key. */
    unsigned char master[crypto_kdf_KEYBYTES];
    unsigned char body_key[crypto_auth_hmacsha256_KEYBYTES];
    crypto_generichash(master, sizeof master, client_key, key_len, NULL, 0);
    crypto_kdf_derive_from_key(body_key, sizeof body_key, BODY_KEY_ID, BODY_KEY_CONTEXT, master);
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    bool ok =
        HMAC(EVP_sha256(), body_key, (int)sizeof body_key, data, len, mac, &mac_len) != NULL &&
        mac_len == crypto_auth_hmacsha256_BYTES;
    sodium_memzero(master, sizeof master);
    sodium_memzero(body_key, sizeof body_key);
    if (ok)
        sodium_bin2hex(out_hex, PRIVACY_HASH_HEX_LEN + 1, mac, mac_len);
    return ok;
}

bool privacy_sha256_hex(const void *data, size_t len, char out_hex[PRIVACY_HASH_HEX_LEN + 1])
{
    if (!sodium_ready())
        return false;
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int digest_len = 0;
    if (EVP_Digest(data, len, digest, &digest_len, EVP_sha256(), NULL) != 1 ||
        digest_len != crypto_hash_sha256_BYTES)
        return false;
    sodium_bin2hex(out_hex, PRIVACY_HASH_HEX_LEN + 1, digest, digest_len);
    return true;
}
