/*
 * check_money.c: Check suite for lib/money.c: checked add/sub/mul at the int64 edges, the
 * project's one rounding rule (half away from zero) and the cents formatter.
 */
#include <stdint.h>
#include <string.h>

#include "money.h"
#include "unit_runner.h"

#define UNTOUCHED 0x5a5a5a5aLL /* sentinel: *out must keep it when the operation overflows */

typedef bool (*binary_op)(int64_t, int64_t, int64_t *);

typedef struct {
    const char *name;
    binary_op op;
    int64_t a, b;
    bool ok;
    int64_t want; /* when ok */
} arith_case;

static const arith_case arith_cases[] = {
    {"add small", money_add, -5, 3, true, -2},
    {"add to max", money_add, INT64_MAX, 0, true, INT64_MAX},
    {"add past max", money_add, INT64_MAX, 1, false, 0},
    {"add past min", money_add, INT64_MIN, -1, false, 0},
    {"add min and max", money_add, INT64_MIN, INT64_MAX, true, -1},
    {"sub small", money_sub, 10, 3, true, 7},
    {"sub past min", money_sub, INT64_MIN, 1, false, 0},
    {"sub min from zero", money_sub, 0, INT64_MIN, false, 0},
    {"sub negative past max", money_sub, INT64_MAX, -1, false, 0},
    {"sub reaching min", money_sub, -1, INT64_MAX, true, INT64_MIN},
    {"mul small", money_mul, -7, 6, true, -42},
    {"mul max by one", money_mul, INT64_MAX, 1, true, INT64_MAX},
    {"mul min by minus one", money_mul, INT64_MIN, -1, false, 0},
    {"mul minus one by min", money_mul, -1, INT64_MIN, false, 0},
    /* 3037000499^2 = 9223372030926249001 <= INT64_MAX; 3037000500^2 = 9223372037000250000 > */
    {"mul largest square", money_mul, 3037000499LL, 3037000499LL, true, 9223372030926249001LL},
    {"mul square past max", money_mul, 3037000500LL, 3037000500LL, false, 0},
    {"mul half min by two", money_mul, INT64_MIN / 2, 2, true, INT64_MIN},
    /* (INT64_MAX/2 + 1) * 2 = 2^63, one past INT64_MAX */
    {"mul half max plus one by two", money_mul, INT64_MAX / 2 + 1, 2, false, 0},
};

START_TEST(test_arith)
{
    const arith_case *c = &arith_cases[_i];
    int64_t out = UNTOUCHED;
    ck_assert_msg(c->op(c->a, c->b, &out) == c->ok, "%s: overflow verdict", c->name);
    ck_assert_msg(out == (c->ok ? c->want : UNTOUCHED), "%s: got %lld", c->name, (long long)out);
}
END_TEST

typedef struct {
    int64_t numerator, denominator, want;
} round_case;

static const round_case round_cases[] = {
    {5, 2, 3},                 /* 2.5 -> 3 */
    {-5, 2, -3},               /* -2.5 -> -3 */
    {25000, 10000, 3},         /* 2.5 -> 3 */
    {24999, 10000, 2},         /* 2.4999 -> 2 */
    {-24999, 10000, -2},       /* -2.4999 -> -2 */
    {249999999, 100000000, 2}, /* 2.49999999 -> 2 */
    {25001, 10000, 3},         /* 2.5001 -> 3 */
    {299999, 600000, 0},       /* 0.4999983 -> 0 */
    {300000, 600000, 1},       /* 0.5 -> 1 */
    {-300000, 600000, -1},     /* -0.5 -> -1 */
    {2, 3, 1},                 /* 0.667 -> 1 */
    {-2, 3, -1},               /* -0.667 -> -1 */
    {1, 3, 0},                 /* 0.333 -> 0 */
    {0, 7, 0},
    {7, 1, 7},
    {INT64_MAX, 1, INT64_MAX},
    {INT64_MIN, 1, INT64_MIN}, /* magnitude 2^63: must not be negated in int64 */
    {INT64_MIN, 2, INT64_MIN / 2},
    {INT64_MAX, 2, INT64_MAX / 2 + 1},        /* ...903.5 -> ...904 */
    {INT64_MIN + 1, 2, -(INT64_MAX / 2 + 1)}, /* -...903.5 -> -...904 */
    {INT64_MAX, INT64_MAX, 1},
    {INT64_MIN, INT64_MAX, -1},        /* -1.0000000000000000001 -> -1 */
    {INT64_MAX / 2, INT64_MAX, 0},     /* just under one half */
    {INT64_MAX / 2 + 1, INT64_MAX, 1}, /* just over one half */
};

START_TEST(test_round)
{
    const round_case *c = &round_cases[_i];
    int64_t got = money_div_round_half_away(c->numerator, c->denominator);
    ck_assert_msg(got == c->want, "%lld/%lld: got %lld, want %lld", (long long)c->numerator,
                  (long long)c->denominator, (long long)got, (long long)c->want);
}
END_TEST

typedef struct {
    money_cents cents;
    const char *want;
} format_case;

static const format_case format_cases[] = {
    {0, "0.00"},
    {5, "0.05"},
    {-5, "-0.05"},
    {100, "1.00"},
    {-100, "-1.00"},
    {123456, "1234.56"},
    {450000000, "4500000.00"},
    {INT64_MAX, "92233720368547758.07"},
    {INT64_MIN, "-92233720368547758.08"},
};

START_TEST(test_format)
{
    const format_case *c = &format_cases[_i];
    char buf[24];
    ck_assert_ptr_eq(money_format(c->cents, buf), buf);
    ck_assert_str_eq(buf, c->want);
}
END_TEST

static Suite *money_suite(void)
{
    Suite *s = suite_create("money");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_arith, 0, N_CASES(arith_cases));
    tcase_add_loop_test(tc, test_round, 0, N_CASES(round_cases));
    tcase_add_loop_test(tc, test_format, 0, N_CASES(format_cases));
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(money_suite)
