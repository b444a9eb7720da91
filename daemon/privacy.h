/*
 * privacy.h: the client BSN's keyed hash. A BSN identifies a person and is never stored or
 * logged in clear (DOMAIN.md); lines of one client are linked by HMAC-SHA256(key, BSN)
 * instead, with the key from the configuration ([privacy] client_hash_key).
 */
#ifndef LVHCMON_PRIVACY_H
#define LVHCMON_PRIVACY_H

#include <stdbool.h>
#include <stddef.h>

#define PRIVACY_HASH_HEX_LEN 64

/**
 * Writes the lower-case hex HMAC-SHA256 of @a bsn under @a key into @a out_hex.
 * @return false when libsodium could not be initialised.
 */
bool privacy_client_hash(const unsigned char *key, size_t key_len, const char *bsn,
                         char out_hex[PRIVACY_HASH_HEX_LEN + 1]);

/** Writes the lower-case hex SHA-256 of @a data into @a out_hex. */
bool privacy_sha256_hex(const void *data, size_t len, char out_hex[PRIVACY_HASH_HEX_LEN + 1]);

#endif
