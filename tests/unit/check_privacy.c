/*
 * check_privacy.c: Check suite for daemon/privacy.c (the client hash, the body HMAC and the
 * plain SHA-256). The expected values come from outside this code: FIPS 180-2 and RFC 4231
 * test vectors, and, for the body key's derivation and the long inputs, Python's hashlib and
 * hmac (blake2b with the salt and personalisation libsodium's crypto_kdf uses).
 */
#include <stdlib.h>
#include <string.h>

#include "privacy.h"
#include "unit_runner.h"

#define LONG_LEN 200000

/* 200,000 bytes that run through every value: byte i is (7i + 3) mod 256. */
static unsigned char *long_input_new(void)
{
    unsigned char *data = malloc(LONG_LEN);
    ck_assert_ptr_nonnull(data);
    for (size_t i = 0; i < LONG_LEN; i++)
        data[i] = (unsigned char)((i * 7 + 3) & 0xff);
    return data;
}

START_TEST(sha256_known_vectors)
{
    char hex[PRIVACY_HASH_HEX_LEN + 1];
    ck_assert(privacy_sha256_hex("abc", 3, hex)); /* FIPS 180-2, B.1 */
    ck_assert_str_eq(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    ck_assert(privacy_sha256_hex("", 0, hex));
    ck_assert_str_eq(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    unsigned char *data = long_input_new();
    ck_assert(privacy_sha256_hex(data, LONG_LEN, hex)); /* hashlib.sha256 */
    ck_assert_str_eq(hex, "ec0ebf98b6f2954bf0f7b839402b1ba245996c39d18e155414e91a2b4353c157");
    free(data);
}
END_TEST

START_TEST(client_hash_is_hmac_sha256)
{
    /* RFC 4231, test case 2 */
    const unsigned char key[] = "Jefe";
    const char *data = "what do ya want for nothing?";
    const char *want = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    char hex[PRIVACY_HASH_HEX_LEN + 1];
    ck_assert(privacy_client_hash(key, 4, data, hex));
    ck_assert_str_eq(hex, want);
    privacy_client_hasher h;
    ck_assert(privacy_client_hasher_init(&h, key, 4));
    memset(hex, 0, sizeof hex);
    privacy_client_hasher_hash(&h, data, hex);
    ck_assert_str_eq(hex, want);
    privacy_client_hasher_hash(&h, "123456782", hex); /* the pads serve many BSNs */
    char single[PRIVACY_HASH_HEX_LEN + 1];
    ck_assert(privacy_client_hash(key, 4, "123456782", single));
    ck_assert_str_eq(hex, single);
    privacy_client_hasher_wipe(&h);
}
END_TEST

START_TEST(body_hmac_under_the_derived_key)
{
    /* body_key = blake2b(digest_size=32, key=blake2b(client_key, digest_size=32),
     *                    salt=le64(1) + 8 zero bytes, person="lvhcbody" + 8 zero bytes);
     * expected = hmac(body_key, body, sha256), computed with Python's hashlib. */
    const char *client_key = "0123456789abcdef0123456789abcdef-test";
    size_t key_len = strlen(client_key);
    char hex[PRIVACY_HASH_HEX_LEN + 1];
    const char *small = "{\"provider_agb\":\"41000001\"}";
    ck_assert(
        privacy_body_hmac((const unsigned char *)client_key, key_len, small, strlen(small), hex));
    ck_assert_str_eq(hex, "c67629219dd04311166a18960ef0399a8155a2f48e4bb501993ba6934a3488b3");
    unsigned char *data = long_input_new();
    ck_assert(privacy_body_hmac((const unsigned char *)client_key, key_len, data, LONG_LEN, hex));
    ck_assert_str_eq(hex, "cfa3374d1654d02673a19dae3888fe1bd471a9292f8c7b80df8660e40bbaabe6");
    /* keyed: the plain digest of the same bytes is something else */
    char plain[PRIVACY_HASH_HEX_LEN + 1];
    ck_assert(privacy_sha256_hex(data, LONG_LEN, plain));
    ck_assert_str_ne(hex, plain);
    free(data);
}
END_TEST

static Suite *privacy_suite(void)
{
    Suite *s = suite_create("privacy");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, sha256_known_vectors);
    tcase_add_test(tc, client_hash_is_hmac_sha256);
    tcase_add_test(tc, body_hmac_under_the_derived_key);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(privacy_suite)
