/*
 * check_pricing.c: Check suite for lib/pricing.c. Every expected amount is worked out by
 * hand in the comment of its row:
 *   time line:   (minutes * tariff * rate_bp + travel_cents * 600000) / 600000
 *   travel line: units * tariff * (rate_applies ? rate_bp : 10000) / 10000
 * each rounded once, half away from zero. The rows include numerators whose remainder is
 * exactly half the denominator (300000 of 600000, 5000 of 10000), which must round up.
 */
#include <stdint.h>

#include "money.h"
#include "pricing.h"
#include "unit_runner.h"

typedef struct {
    const char *name;
    prestatie_kind kind;
    int64_t tariff;
    bool rate_applies;
    int32_t rate_bp;
    int64_t quantity;
    int64_t travel_cents;
    lv_code want_code;
    int64_t want_amount; /* when LV_OK */
} price_case;

#define TIME(tariff) PRESTATIE_TIME, (tariff), true
#define TRAVEL(tariff, applies) PRESTATIE_TRAVEL, (tariff), (applies)

static const price_case price_cases[] = {
    /* 210 * 12000 = 2,520,000; * 9550 = 24,066,000,000; / 600,000 = 40,110 exactly
     * (3.5 h * EUR 120 = EUR 420 * 0.955 = EUR 401.10) */
    {"210 min at 120.00/h at 95.50%", TIME(12000), 9550, 210, 0, LV_OK, 40110},
    /* 60 * 12000 * 10000 = 7,200,000,000 / 600,000 = 12,000 */
    {"one hour at 100%", TIME(12000), 10000, 60, 0, LV_OK, 12000},
    /* 60 * 12000 * 0 = 0 */
    {"rate 0", TIME(12000), 0, 60, 0, LV_OK, 0},
    /* 0 + 1234 * 600,000 = 740,400,000 / 600,000 = 1,234: travel counts fully */
    {"rate 0 with travel", TIME(12000), 0, 60, 1234, LV_OK, 1234},
    /* 1 * 6000 * 9550 = 57,300,000 / 600,000 = 95.5 -> 96 (exact half, away from zero) */
    {"half cent: 1 min at 60.00/h at 95.50%", TIME(6000), 9550, 1, 0, LV_OK, 96},
    /* 3 * 2000 * 9550 = 57,300,000 again: 95.5 -> 96 */
    {"half cent: 3 min at 20.00/h", TIME(2000), 9550, 3, 0, LV_OK, 96},
    /* 2 * 12345 * 10000 = 246,900,000 / 600,000 = 411.5 -> 412 */
    {"half cent at 100%", TIME(12345), 10000, 2, 0, LV_OK, 412},
    /* 57,300,000 + 250 * 600,000 = 207,300,000 / 600,000 = 345.5 -> 346: one rounding */
    {"half cent plus travel", TIME(6000), 9550, 1, 250, LV_OK, 346},
    /* 5999 * 9550 = 57,290,450 = 95 * 600,000 + 290,450; 290,450 < 300,000 -> 95 */
    {"just under half", TIME(5999), 9550, 1, 0, LV_OK, 95},
    /* 6001 * 9550 = 57,309,550 = 95 * 600,000 + 309,550; > 300,000 -> 96 */
    {"just over half", TIME(6001), 9550, 1, 0, LV_OK, 96},
    /* 45 * 12600 = 567,000; * 9800 = 5,556,600,000 / 600,000 = 9,261 exactly
     * (0.75 h * EUR 126 = EUR 94.50 * 0.98 = EUR 92.61) */
    {"45 min at 126.00/h at 98%", TIME(12600), 9800, 45, 0, LV_OK, 9261},
    /* 50 * 11500 = 575,000; * 9550 = 5,491,250,000 = 9,152 * 600,000 + 50,000 -> 9,152 */
    {"rounds down", TIME(11500), 9550, 50, 0, LV_OK, 9152},
    /* 20 * 11500 = 230,000; * 9550 = 2,196,500,000 = 3,660 * 600,000 + 500,000 -> 3,661 */
    {"rounds up", TIME(11500), 9550, 20, 0, LV_OK, 3661},
    /* 0 minutes and no travel: 0 (validation, not pricing, refuses an empty line) */
    {"zero quantity", TIME(12000), 9550, 0, 0, LV_OK, 0},
    /* 3 * 2500 * 9550 = 71,625,000 / 10,000 = 7,162.5 -> 7,163 */
    {"3 trips at 25.00 with rate: half cent", TRAVEL(2500, true), 9550, 3, 0, LV_OK, 7163},
    /* 3 * 2500 * 10000 / 10000 = 7,500: the rate does not apply */
    {"3 trips without rate", TRAVEL(2500, false), 9550, 3, 0, LV_OK, 7500},
    /* 37 * 23 = 851; * 9550 = 8,127,050 / 10,000 = 812.705 -> 813 */
    {"37 km at 0.23 with rate", TRAVEL(23, true), 9550, 37, 0, LV_OK, 813},
    /* 37 * 23 * 10000 / 10000 = 851 */
    {"37 km without rate", TRAVEL(23, false), 9550, 37, 0, LV_OK, 851},
    /* 37 * 23 * 0 = 0 */
    {"travel with rate 0", TRAVEL(23, true), 0, 37, 0, LV_OK, 0},
    /* 37 * 23 * 10000 / 10000 = 851: rate 0 does not touch travel without rate */
    {"travel without rate at rate 0", TRAVEL(23, false), 0, 37, 0, LV_OK, 851},
    /* 1 * 1 * 5000 = 5,000 / 10,000 = 0.5 -> 1 */
    {"travel half cent", TRAVEL(1, true), 5000, 1, 0, LV_OK, 1},
    /* 1 * 1 * 4999 = 0.4999 -> 0 */
    {"travel under half cent", TRAVEL(1, true), 4999, 1, 0, LV_OK, 0},
    /* a travel prestatie is priced from its tariff; an amount on top is refused */
    {"travel prestatie with travel amount", TRAVEL(2500, true), 9550, 3, 100,
     LV_9112_TRAVEL_INVALID, 0},
    {"negative minutes", TIME(12000), 9550, -1, 0, LV_0638_QUANTITY_INVALID, 0},
    {"negative units", TRAVEL(2500, true), 9550, -1, 0, LV_0638_QUANTITY_INVALID, 0},
    {"negative travel", TIME(12000), 9550, 60, -1, LV_0638_QUANTITY_INVALID, 0},
    {"negative rate", TIME(12000), -1, 60, 0, LV_9108_FIELD_INVALID, 0},
    {"negative tariff", TIME(-1), 9550, 60, 0, LV_9108_FIELD_INVALID, 0},
    /* 10^15 * 12000 = 1.2e19 > 9.22e18: the first product overflows */
    {"overflow minutes x tariff", TIME(12000), 9550, 1000000000000000LL, 0, LV_9106_AMOUNT_OVERFLOW,
     0},
    /* 10^12 * 12000 = 1.2e16 fits; * 9550 = 1.146e20 does not */
    {"overflow x rate", TIME(12000), 9550, 1000000000000LL, 0, LV_9106_AMOUNT_OVERFLOW, 0},
    /* 10^14 * 600,000 = 6e19 */
    {"overflow travel", TIME(12000), 9550, 0, 100000000000000LL, LV_9106_AMOUNT_OVERFLOW, 0},
    /* 8e10 * 12000 * 9550 = 9.168e18 fits, 10^11 * 600,000 = 6e16 fits, the sum
     * 9.228e18 > 9.2234e18 does not */
    {"overflow in the sum", TIME(12000), 9550, 80000000000LL, 100000000000LL,
     LV_9106_AMOUNT_OVERFLOW, 0},
    /* the same care part alone: 9,168,000,000,000,000,000 / 600,000 = 15,280,000,000,000 */
    {"largest care part", TIME(12000), 9550, 80000000000LL, 0, LV_OK, 15280000000000LL},
    /* 10^15 * 2500 = 2.5e18 fits; * 9550 does not */
    {"overflow travel units", TRAVEL(2500, true), 9550, 1000000000000000LL, 0,
     LV_9106_AMOUNT_OVERFLOW, 0},
};

START_TEST(test_price)
{
    const price_case *c = &price_cases[_i];
    ref_prestatie p = {.year = 2026,
                       .code = "CATST",
                       .target_group = "KOR",
                       .kind = c->kind,
                       .unit = c->kind == PRESTATIE_TIME ? PRESTATIE_UNIT_HOUR : PRESTATIE_UNIT_KM,
                       .tariff_cents = c->tariff,
                       .rate_applies = c->rate_applies};
    int64_t amount = -777; /* must stay when the line is refused */
    lv_code code = pricing_line_amount(&p, c->rate_bp, c->quantity, c->travel_cents, &amount);
    ck_assert_msg(code == c->want_code, "%s: code %d, want %d", c->name, code, c->want_code);
    int64_t want = c->want_code == LV_OK ? c->want_amount : -777;
    ck_assert_msg(amount == want, "%s: amount %lld, want %lld", c->name, (long long)amount,
                  (long long)want);
}
END_TEST

/* A credit is never priced afresh (validation negates the debit), but the rounding rule
 * is symmetric: the negated numerators of the half-cent rows round to exactly minus. */
typedef struct {
    int64_t numerator, denominator, want;
} credit_case;

static const credit_case credit_cases[] = {
    {-57300000, 600000, -96},   /* -95.5 -> -96 */
    {-246900000, 600000, -412}, /* -411.5 -> -412 */
    {-207300000, 600000, -346}, /* -345.5 -> -346 */
    {-71625000, 10000, -7163},  /* -7162.5 -> -7163 */
    {-57290450, 600000, -95},   /* -95.484 -> -95 */
};

START_TEST(test_credit_sign_rounding)
{
    const credit_case *c = &credit_cases[_i];
    ck_assert_int_eq(money_div_round_half_away(c->numerator, c->denominator), c->want);
    ck_assert_int_eq(money_div_round_half_away(-c->numerator, c->denominator), -c->want);
}
END_TEST

static Suite *pricing_suite(void)
{
    Suite *s = suite_create("pricing");
    TCase *tc = tcase_create("core");
    tcase_add_loop_test(tc, test_price, 0, N_CASES(price_cases));
    tcase_add_loop_test(tc, test_credit_sign_rounding, 0, N_CASES(credit_cases));
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(pricing_suite)
