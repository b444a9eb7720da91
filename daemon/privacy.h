/*
 * privacy.h: keyed hashes in place of personal data. A BSN identifies a person and is never
 * stored or logged in clear (doc/domain.md); lines of one client are linked by
 * HMAC-SHA256(key, BSN) instead, with the key from the configuration ([privacy]
 * client_hash_key).
 *
 * The raw body of a submission holds clear BSNs too. An unkeyed digest of it would give
 * them away: for a one-client body the BSN is the only unknown, and the ~10^8 numbers that
 * pass the 11-test are hashed in seconds. So a body is fingerprinted (to recognise the same
 * bytes sent again among the attempts) by an HMAC under a key of its own, derived from the
 * client hash key with libsodium's key derivation (BLAKE2b: crypto_kdf, context "lvhcbody"):
 * one secret to keep, two keys that cannot be told from each other or from random.
 */
#ifndef LVHCMON_PRIVACY_H
#define LVHCMON_PRIVACY_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>

#define PRIVACY_HASH_HEX_LEN 64

/**
 * Writes the lower-case hex HMAC-SHA256 of @a bsn under @a key into @a out_hex.
 * @return false when libsodium could not be initialised.
 */
bool privacy_client_hash(const unsigned char *key, size_t key_len, const char *bsn,
                         char out_hex[PRIVACY_HASH_HEX_LEN + 1]);

/** The client hash key made ready for many BSNs (the key's HMAC pads hashed once). */
typedef struct {
    crypto_auth_hmacsha256_state keyed;
} privacy_client_hasher;

/**
 * Prepares @a h for hashing BSNs under @a key: privacy_client_hasher_hash() then gives
 * what privacy_client_hash() gives, for a third of the work. Wipe it with
 * privacy_client_hasher_wipe() when done.
 * @return false when libsodium could not be initialised or the digest failed
 */
bool privacy_client_hasher_init(privacy_client_hasher *h, const unsigned char *key, size_t key_len);

/** Writes the lower-case hex HMAC-SHA256 of @a bsn under @a h's key into @a out_hex. */
void privacy_client_hasher_hash(const privacy_client_hasher *h, const char *bsn,
                                char out_hex[PRIVACY_HASH_HEX_LEN + 1]);

/** Erases the key material of @a h. */
void privacy_client_hasher_wipe(privacy_client_hasher *h);

/**
 * Writes the lower-case hex HMAC-SHA256 of a raw submission body (or imported file) into
 * @a out_hex, under the body key derived from @a client_key (see the file comment).
 * @return false when libsodium could not be initialised or the digest failed
 */
bool privacy_body_hmac(const unsigned char *client_key, size_t key_len, const void *data,
                       size_t len, char out_hex[PRIVACY_HASH_HEX_LEN + 1]);

/** Writes the lower-case hex SHA-256 of @a data (no personal data in it) into @a out_hex. */
bool privacy_sha256_hex(const void *data, size_t len, char out_hex[PRIVACY_HASH_HEX_LEN + 1]);

#endif
