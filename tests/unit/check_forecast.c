/*
 * check_forecast.c: Check suite for lib/forecast.c. Synthetic years whose outcome can be
 * worked out by hand (in the comments): flat spend, linear growth, recent incomplete months
 * with partial spend, zero spend, a mean that must not be rounded early, the day the cap is
 * reached (inside a future month, on a month end, inside a complete month, in a leap
 * February), no complete month yet, and refused input.
 */
#include <string.h>

#include "forecast.h"
#include "unit_runner.h"

typedef struct {
    const char *name;
    int year;
    money_cents cap;
    money_cents months[BUDGET_MONTHS];
    int complete;
    money_cents year_end, low, high;
    int on_md, earliest_md, latest_md; /* month*100 + day in the year, 0 = none */
    bool has_rate;
    money_cents run_rate;
} year_case;

#define BIG 450000000 /* a cap far above the spend, for cases not about the cap */

static const year_case years[] = {
    /* Flat: nine complete months of 100000, three to go: 12 x 100000 exactly. */
    {"flat, 9 complete",
     2026,
     BIG,
     {100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 100000, 0, 0, 0},
     9,
     1200000,
     1200000,
     1200000,
     0,
     0,
     0,
     true,
     100000},
    /* Flat and the year complete: the forecast is the actual. */
    {"flat, all complete",
     2026,
     BIG,
     {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7},
     12,
     84,
     84,
     84,
     0,
     0,
     0,
     true,
     7},
    /* Linear growth 100000 x month, six complete: sum 2100000, mean 350000.
     * year end 2100000 + 6 x 350000 = 4200000; low 2100000 + 6 x 100000 = 2700000;
     * high 2100000 + 6 x 600000 = 5700000. (The true line would give 7800000: a flat run
     * rate under-forecasts growth, as the method says.) */
    {"linear growth",
     2026,
     BIG,
     {100000, 200000, 300000, 400000, 500000, 600000, 0, 0, 0, 0, 0, 0},
     6,
     4200000,
     2700000,
     5700000,
     0,
     0,
     0,
     true,
     350000},
    /* Eight complete months alternating 900000/1100000 (mean 1000000), September partly
     * declared (400000, below the rate), October already above it (1500000).
     * central: 8000000 + 1000000 (Sep) + 1500000 (Oct kept) + 2 x 1000000 = 12500000
     * low:     8000000 +  900000 + 1500000 + 2 x  900000 = 12200000
     * high:    8000000 + 1100000 + 1500000 + 2 x 1100000 = 12800000 */
    {"two incomplete months",
     2026,
     BIG,
     {900000, 1100000, 900000, 1100000, 900000, 1100000, 900000, 1100000, 400000, 1500000, 0, 0},
     8,
     12500000,
     12200000,
     12800000,
     0,
     0,
     0,
     true,
     1000000},
    /* Nothing spent in five complete months: nothing forecast, cap never reached. */
    {"zero spend", 2026, BIG, {0}, 5, 0, 0, 0, 0, 0, 0, true, 0},
    /* Mean 701/7 = 100.142857..; 701 + 5 x 701/7 = 1201.714 -> 1202. Rounding the mean
     * first (100) would give 1201: the fraction must survive to the end. */
    {"mean kept exact",
     2026,
     BIG,
     {100, 100, 100, 100, 100, 100, 101, 0, 0, 0, 0, 0},
     7,
     1202,
     1201,
     1206,
     0,
     0,
     0,
     true,
     100},
    /* Cap 4500, 1000 a month, three complete. End of April 4000; May adds 1000 over 31
     * days: 500 more needs 15.5 days -> reached on day 16, 2026-05-16. */
    {"cap inside a future month",
     2026,
     4500,
     {1000, 1000, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     3,
     12000,
     12000,
     12000,
     516,
     516,
     516,
     true,
     1000},
    /* Cap 6000 at 1000 a month: exactly at the end of June. */
    {"cap on a month end",
     2026,
     6000,
     {1000, 1000, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     3,
     12000,
     12000,
     12000,
     630,
     630,
     630,
     true,
     1000},
    /* Cap 2500 already passed in March (a complete month): a day in the past, 2026-03-16. */
    {"cap inside a complete month",
     2026,
     2500,
     {1000, 1000, 1000, 1000, 1000, 1000, 0, 0, 0, 0, 0, 0},
     6,
     12000,
     12000,
     12000,
     316,
     316,
     316,
     true,
     1000},
    /* Leap February: January 2900 complete, cap 4350. Feb adds 2900 over 29 days; 1450 more
     * needs 14.5 days -> day 15, 2024-02-15. */
    {"cap in a leap February",
     2024,
     4350,
     {2900, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     1,
     34800,
     34800,
     34800,
     215,
     215,
     215,
     true,
     2900},
    /* Scenarios reach the cap on different days. Months 1..2 = 1000 and 3000 (mean 2000),
     * cap 12000. central: 4000 + 2000 x m: end of June 12000 -> 06-30.
     * high (3000/month): end of April 10000, May needs 2000 of 3000 over 31 days:
     * 20.67 -> day 21, 05-21. low (1000/month): year end 4000 + 10 x 1000 = 14000; end of
     * October 12000 -> 10-31. */
    {"scenario dates",
     2026,
     12000,
     {1000, 3000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     2,
     24000,
     14000,
     34000,
     630,
     521,
     1031,
     true,
     2000},
    /* Cap exactly the year end: reached on its last day (and only then). */
    {"cap equals year end",
     2026,
     84,
     {7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7},
     12,
     84,
     84,
     84,
     1231,
     1231,
     1231,
     true,
     7},
    /* Cap just above the year end: not reached within the year. */
    {"cap not reached",
     2026,
     12001,
     {1000, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     2,
     12000,
     12000,
     12000,
     0,
     0,
     0,
     true,
     1000},
    /* A net credit month lowers the rate and the low end: (3000 - 600) / 2 = 1200 a month.
     * central 2400 + 10 x 1200 = 14400; low: months 3..12 at max(0, -600) = 0 -> 2400;
     * high 2400 + 10 x 3000 = 32400. */
    {"negative month",
     2026,
     BIG,
     {3000, -600, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     2,
     14400,
     2400,
     32400,
     0,
     0,
     0,
     true,
     1200},
    /* No complete month yet: the forecast is the actual, without a range. */
    {"no complete month",
     2026,
     BIG,
     {5000, 2000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     0,
     7000,
     7000,
     7000,
     0,
     0,
     0,
     false,
     0},
    /* No complete month and the actual already over the cap: reached on 01-16
     * (cap 3100 of 6200 in January's 31 days -> 15.5 -> 16). */
    {"no complete month, over cap",
     2026,
     3100,
     {6200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
     0,
     6200,
     6200,
     6200,
     116,
     116,
     116,
     false,
     0},
};

static lv_date md_date(int year, int md)
{
    return md == 0 ? LV_DATE_NONE : lv_date_from_ymd(year, md / 100, md % 100);
}

START_TEST(test_years)
{
    const year_case *c = &years[_i];
    forecast_input in;
    memset(&in, 0, sizeof in);
    in.year = c->year;
    in.cap_cents = c->cap;
    memcpy(in.month_spent_cents, c->months, sizeof in.month_spent_cents);
    in.complete_months = c->complete;
    forecast_result out;
    ck_assert(forecast_compute(&in, &out, NULL));
    ck_assert_msg(out.year_end_cents == c->year_end, "%s: year end %lld", c->name,
                  (long long)out.year_end_cents);
    ck_assert_msg(out.low_cents == c->low, "%s: low %lld", c->name, (long long)out.low_cents);
    ck_assert_msg(out.high_cents == c->high, "%s: high %lld", c->name, (long long)out.high_cents);
    ck_assert_msg(out.cap_reached_on == md_date(c->year, c->on_md), "%s: cap day", c->name);
    ck_assert_msg(out.cap_reached_earliest == md_date(c->year, c->earliest_md), "%s: earliest",
                  c->name);
    ck_assert_msg(out.cap_reached_latest == md_date(c->year, c->latest_md), "%s: latest", c->name);
    ck_assert_int_eq(out.has_run_rate, c->has_rate);
    ck_assert_int_eq(out.run_rate_cents, c->run_rate);
    ck_assert_int_eq(out.complete_months, c->complete);
    ck_assert(out.low_cents <= out.year_end_cents && out.year_end_cents <= out.high_cents);
    ck_assert_str_eq(out.method, c->has_rate ? FORECAST_METHOD : FORECAST_METHOD_NO_RUN_RATE);
}
END_TEST

/* The actual spend is never lost: the year end is at least what has been declared. */
START_TEST(test_year_end_not_below_actual)
{
    const year_case *c = &years[_i];
    forecast_input in = {.year = c->year, .cap_cents = c->cap, .complete_months = c->complete};
    memcpy(in.month_spent_cents, c->months, sizeof in.month_spent_cents);
    money_cents actual = 0;
    for (int m = 0; m < BUDGET_MONTHS; m++)
        actual += c->months[m];
    forecast_result out;
    ck_assert(forecast_compute(&in, &out, NULL));
    ck_assert_msg(out.low_cents >= actual, "%s: low %lld below actual %lld", c->name,
                  (long long)out.low_cents, (long long)actual);
}
END_TEST

typedef struct {
    int year;
    money_cents cap;
    int complete;
    money_cents month1;
    lv_code want;
} bad_case;

static const bad_case bad_cases[] = {
    {2026, 100, 13, 0, LV_INPUT_INVALID},
    {2026, 100, -1, 0, LV_INPUT_INVALID},
    {2026, 0, 1, 0, LV_INPUT_INVALID},
    {1999, 100, 1, 0, LV_INPUT_INVALID},
    {2026, 100, 1, INT64_MAX / 2, LV_9106_AMOUNT_OVERFLOW}, /* 12 x the rate leaves int64 */
    {2026, 100, 3, INT64_MAX / 2, LV_9106_AMOUNT_OVERFLOW}, /* month x 3 for the mean */
};

START_TEST(test_refused)
{
    const bad_case *c = &bad_cases[_i];
    forecast_input in = {.year = c->year, .cap_cents = c->cap, .complete_months = c->complete};
    in.month_spent_cents[0] = c->month1;
    forecast_result out;
    memset(&out, 0x55, sizeof out);
    lv_error err = {0};
    ck_assert(!forecast_compute(&in, &out, &err));
    ck_assert_int_eq(err.code, c->want);
    ck_assert(err.message[0] != '\0');
    ck_assert_int_eq(out.year_end_cents, 0);
    ck_assert_int_eq(out.cap_reached_on, LV_DATE_NONE);
}
END_TEST

/* From a budget status: the months and the complete count carry over unchanged. */
START_TEST(test_from_status)
{
    static const budget_group_def groups[] = {{"KOR", "Korsakov"}};
    static const budget_fact facts[] = {
        {1, "KOR", "41000001", "5501", 1000, 0, 0},
        {2, "KOR", "41000001", "5501", 3000, 0, 0},
        {3, "KOR", "41000001", "5501", 500, 0, 0},
    };
    budget_input bin = {.year = 2026,
                        .cap_cents = 100000,
                        .as_of = lv_date_from_ymd(2026, 4, 1), /* Jan, Feb complete */
                        .groups = groups,
                        .n_groups = 1,
                        .facts = facts,
                        .n_facts = 3};
    budget_deadlines(2026, 17, NULL, 0, bin.deadlines);
    budget_status *st = budget_status_new(&bin, NULL);
    ck_assert_ptr_nonnull(st);
    forecast_input in;
    forecast_input_from_status(st, &in);
    ck_assert_int_eq(in.year, 2026);
    ck_assert_int_eq(in.cap_cents, 100000);
    ck_assert_int_eq(in.complete_months, 2);
    ck_assert_int_eq(in.month_spent_cents[2], 500);
    forecast_result out;
    ck_assert(forecast_compute(&in, &out, NULL));
    /* rate 2000: 4000 + max(500, 2000) + 9 x 2000 = 24000 */
    ck_assert_int_eq(out.year_end_cents, 24000);
    budget_status_free(st);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("forecast");
    TCase *tc = tcase_create("synthetic years");
    tcase_add_loop_test(tc, test_years, 0, N_CASES(years));
    tcase_add_loop_test(tc, test_year_end_not_below_actual, 0, N_CASES(years));
    tcase_add_test(tc, test_from_status);
    suite_add_tcase(s, tc);
    tc = tcase_create("refused");
    tcase_add_loop_test(tc, test_refused, 0, N_CASES(bad_cases));
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
