/*
 * check_nl_format.c: Check suite for lib/nl_format.c: euros with thousands points and
 * decimal commas (the demo's national total among them), negative and extreme amounts,
 * percentages rounded once half away from zero, basis points, factors, Dutch dates and
 * months.
 */
#include <stdint.h>
#include <string.h>

#include "nl_format.h"
#include "unit_runner.h"

typedef struct {
    money_cents cents;
    const char *want;
} euro_case;

static const euro_case euro_cases[] = {
    {423857567, "\u20ac 4.238.575,67"},
    {450000000, "\u20ac 4.500.000,00"},
    {0, "\u20ac 0,00"},
    {5, "\u20ac 0,05"},
    {99999, "\u20ac 999,99"},
    {100000, "\u20ac 1.000,00"},
    {-123450, "\u20ac -1.234,50"},
    {INT64_MAX, "\u20ac 92.233.720.368.547.758,07"},
    {INT64_MIN, "\u20ac -92.233.720.368.547.758,08"},
};

START_TEST(test_euro)
{
    char buf[NL_FORMAT_MAX];
    ck_assert_str_eq(nl_format_euro(euro_cases[_i].cents, buf), euro_cases[_i].want);
}
END_TEST

typedef struct {
    int64_t num, den;
    int decimals;
    const char *want;
} percent_case;

static const percent_case percent_cases[] = {
    {1, 3, 1, "33,3 %"},   {2, 3, 1, "66,7 %"},
    {1, 8, 1, "12,5 %"}, /* exactly .5 of the last decimal: 12,5 */
    {1, 16, 1, "6,3 %"}, /* 6,25 -> 6,3: half away from zero */
    {-1, 16, 1, "-6,3 %"}, {423857567, 450000000, 1, "94,2 %"},
    {3, 2, 0, "150 %"},    {1234567, 100, 0, "1.234.567 %"},
    {5, 0, 1, "0 %"},      {0, 7, 2, "0,00 %"},
};

START_TEST(test_percent)
{
    const percent_case *c = &percent_cases[_i];
    char buf[NL_FORMAT_MAX];
    ck_assert_str_eq(nl_format_percent(c->num, c->den, c->decimals, buf), c->want);
}
END_TEST

START_TEST(test_bp_factor)
{
    char buf[NL_FORMAT_MAX];
    ck_assert_str_eq(nl_format_bp(7500, buf), "75 %");
    ck_assert_str_eq(nl_format_bp(10000, buf), "100 %");
    ck_assert_str_eq(nl_format_bp(9250, buf), "92,5 %");
    ck_assert_str_eq(nl_format_bp(9825, buf), "98,25 %");
    ck_assert_str_eq(nl_format_bp(1000, buf), "10 %");
    ck_assert_str_eq(nl_format_bp(-200, buf), "-2 %");
    ck_assert_str_eq(nl_format_factor(235, 100, buf), "2,35");
    ck_assert_str_eq(nl_format_factor(2, 3, buf), "0,67");
    ck_assert_str_eq(nl_format_factor(1200000, 500000, buf), "2,40");
    ck_assert_str_eq(nl_format_factor(1, 0, buf), "0");
    ck_assert_str_eq(nl_format_count(1000000, buf), "1.000.000");
    ck_assert_str_eq(nl_format_count(999, buf), "999");
    ck_assert_str_eq(nl_format_count(-1234, buf), "-1.234");
    ck_assert_str_eq(nl_format_count(0, buf), "0");
}
END_TEST

START_TEST(test_dates)
{
    char buf[NL_FORMAT_MAX];
    ck_assert_str_eq(nl_format_date(lv_date_from_ymd(2026, 11, 25), buf), "25 november 2026");
    ck_assert_str_eq(nl_format_date(lv_date_from_ymd(2026, 3, 1), buf), "1 maart 2026");
    ck_assert_str_eq(nl_format_date(LV_DATE_NONE, buf), "\u2013");
    ck_assert_str_eq(nl_format_month(2026, 9, buf), "september 2026");
    ck_assert_str_eq(nl_month_name(1), "januari");
    ck_assert_str_eq(nl_month_name(12), "december");
    ck_assert_str_eq(nl_month_name(0), "");
    ck_assert_str_eq(nl_month_name(13), "");
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("nl_format");
    TCase *tc = tcase_create("dutch");
    tcase_add_loop_test(tc, test_euro, 0, N_CASES(euro_cases));
    tcase_add_loop_test(tc, test_percent, 0, N_CASES(percent_cases));
    tcase_add_test(tc, test_bp_factor);
    tcase_add_test(tc, test_dates);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
