/*
 * check_bsn.c: Check suite for lib/bsn.c, the BSN 11-test. Each sum below is worked out
 * by hand: 9*d1 + 8*d2 + 7*d3 + 6*d4 + 5*d5 + 4*d6 + 3*d7 + 2*d8 - d9 must be divisible
 * by 11, the nine characters must all be digits and not all zero.
 */
#include "unit_runner.h"
#include "validate.h"

typedef struct {
    const char *bsn;
    bool valid;
} bsn_case;

static const bsn_case bsn_cases[] = {
    /* 9+16+21+24+25+24+21+16 = 156, 156 - 2 = 154 = 14 * 11 */
    {"123456782", true},
    /* 9+8+7+12+10+8+9+6 = 69, 69 - 3 = 66 = 6 * 11 */
    {"111222333", true},
    /* 9 * (9+8+7+6+5+4+3+2) = 396 = 36 * 11, minus 0 */
    {"999999990", true},
    /* 9*1 - 9 = 0: passes the sum and is not all zeros */
    {"100000009", true},
    /* 156 - 9 = 147 = 13 * 11 + 4 */
    {"123456789", false},
    /* 156 - 3 = 153 = 13 * 11 + 10: one digit off the valid 123456782 */
    {"123456783", false},
    /* the sum is 0, divisible by 11, but it is no one's number */
    {"000000000", false},
    {"12345678", false},   /* 8 digits */
    {"1234567820", false}, /* 10 digits, a valid BSN in front */
    {"12345678a", false},
    {"abcdefghi", false},
    {"12345 782", false},
    {" 23456782", false},
    {"-23456782", false},
    {"", false},
};

START_TEST(test_bsn)
{
    const bsn_case *c = &bsn_cases[_i];
    ck_assert_msg(bsn_valid(c->bsn) == c->valid, "\"%s\" should be %s", c->bsn,
                  c->valid ? "valid" : "invalid");
}
END_TEST

START_TEST(test_bsn_null)
{
    ck_assert(!bsn_valid(NULL));
}
END_TEST

static Suite *bsn_suite(void)
{
    Suite *s = suite_create("bsn");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_bsn, 0, N_CASES(bsn_cases));
    tcase_add_test(tc, test_bsn_null);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(bsn_suite)
