/*
 * check_profile.c: Check suite for lib/profile.c: profile.csv's rows accepted as whole
 * years, and refused with the line and the column for a month out of range, a weight out
 * of range, a month given twice, a month missing, and weights that do not sum to 10000;
 * the profile through a month, rounded once, and exactly the cap after December.
 */
#include <string.h>

#include "profile.h"
#include "unit_runner.h"

static const int32_t planned[12] = {1000, 900, 900, 800, 800, 700, 600, 700, 800, 900, 900, 1000};

/* Rows of one year from @a weights, on lines first_line.. */
static void year_rows(profile_row *rows, int year, const int32_t *weights, int first_line)
{
    for (int m = 0; m < 12; m++)
        rows[m] = (profile_row){first_line + m, year, m + 1, weights[m]};
}

START_TEST(test_valid_years)
{
    profile_row rows[24];
    year_rows(rows, 2026, planned, 2);
    year_rows(rows + 12, 2025, planned, 14);
    /* order does not matter: swap two rows */
    profile_row t = rows[3];
    rows[3] = rows[20];
    rows[20] = t;
    lv_error err = {0};
    ck_assert_msg(profile_rows_check(rows, 24, "profile.csv", &err), "%s", err.message);
    ck_assert(profile_rows_check(NULL, 0, "profile.csv", &err)); /* no rows: no profile */
}
END_TEST

typedef struct {
    const char *what;
    int row;           /* which row to change (-1: drop the last row) */
    int month;         /* new month, or 0 to keep */
    int64_t weight;    /* new weight, or -99 to keep */
    int want_line;     /* the line the error names */
    const char *field; /* the column it names */
    const char *text;  /* part of the message */
} bad_case;

static const bad_case bad_cases[] = {
    {"month 13", 4, 13, -99, 6, "month", "13 is not a month 1..12"},
    {"month 0", 0, 0 - 1, -99, 2, "month", "-1 is not a month"},
    {"weight above 10000", 5, 0, 10001, 7, "weight_bp", "10001 is not a weight"},
    {"negative weight", 5, 0, -1, 7, "weight_bp", "-1 is not a weight"},
    {"month twice", 11, 3, -99, 13, "month", "2026-03 is given twice (first on line 4)"},
    {"month missing", -1, 0, -99, 12, "month", "2026 has no row for month 12"},
    {"sum 9999", 11, 0, 999, 13, "weight_bp", "sum to 9999 basis points, not 10000"},
};

START_TEST(test_refused)
{
    const bad_case *c = &bad_cases[_i];
    profile_row rows[12];
    year_rows(rows, 2026, planned, 2);
    size_t n = 12;
    if (c->row < 0)
        n = 11;
    else {
        if (c->month != 0)
            rows[c->row].month = c->month;
        if (c->weight != -99)
            rows[c->row].weight_bp = c->weight;
    }
    lv_error err = {0};
    ck_assert_msg(!profile_rows_check(rows, n, "profile.csv", &err), "%s accepted", c->what);
    ck_assert_int_eq(err.code, LV_9108_FIELD_INVALID);
    ck_assert_int_eq(err.line_no, c->want_line);
    ck_assert_str_eq(err.field, c->field);
    ck_assert_msg(strstr(err.message, c->text) != NULL, "%s: message '%s' lacks '%s'", c->what,
                  err.message, c->text);
    ck_assert_msg(strstr(err.message, "profile.csv") != NULL, "no file in '%s'", err.message);
}
END_TEST

START_TEST(test_through_month)
{
    money_cents out;
    ck_assert(profile_through_month(450000000, planned, 0, &out));
    ck_assert_int_eq(out, 0);
    ck_assert(profile_through_month(450000000, planned, 3, &out));
    ck_assert_int_eq(out, 126000000);
    ck_assert(profile_through_month(450000000, planned, 12, &out));
    ck_assert_int_eq(out, 450000000);
    /* 333 cents, 1000 bp: 33.3 -> 33; 1500 bp (Jan+Feb... here 1900): 63.27 -> 63 */
    ck_assert(profile_through_month(333, planned, 1, &out));
    ck_assert_int_eq(out, 33);
    ck_assert(profile_through_month(333, planned, 2, &out));
    ck_assert_int_eq(out, 63);
    /* 5 cents at 1000 bp: 0.5 -> 1 (half away from zero) */
    ck_assert(profile_through_month(5, planned, 1, &out));
    ck_assert_int_eq(out, 1);
    ck_assert(!profile_through_month(450000000, planned, 13, &out));
    ck_assert(!profile_through_month(INT64_MAX, planned, 1, &out));
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("profile");
    TCase *tc = tcase_create("profile.csv");
    tcase_add_test(tc, test_valid_years);
    tcase_add_loop_test(tc, test_refused, 0, N_CASES(bad_cases));
    tcase_add_test(tc, test_through_month);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
