/*
 * check_nl_time.c: Check suite for lib/nl_time.c: the start of Amsterdam days around both
 * changes of the clocks and elsewhere, compared with instants computed by Python's
 * zoneinfo (IANA Europe/Amsterdam); every day of 2000..2100 is 24 hours long except the
 * last Sundays of March (23) and October (25); instants map back to their day; offsets on
 * either side of a change; local hours, including the one the clocks skip.
 */
#include "nl_time.h"
#include "unit_runner.h"

typedef struct {
    int y, m, d;
    int64_t start; /* datetime(y, m, d, tzinfo=ZoneInfo("Europe/Amsterdam")).timestamp() */
} start_case;

static const start_case start_cases[] = {
    {2026, 3, 28, 1774652400},  /* Saturday before the change: 23:00 UTC */
    {2026, 3, 29, 1774738800},  /* the change itself starts in winter time: 23:00 UTC */
    {2026, 3, 30, 1774821600},  /* the day after: 22:00 UTC */
    {2026, 10, 24, 1792792800}, /* Saturday before the change back: 22:00 UTC */
    {2026, 10, 25, 1792879200}, /* starts in summer time */
    {2026, 10, 26, 1792969200}, /* winter again: 23:00 UTC */
    {2026, 1, 1, 1767222000},   {2026, 7, 1, 1782856800}, {2025, 3, 30, 1743289200},
    {2025, 10, 26, 1761429600}, {2000, 3, 26, 954025200}, {2100, 10, 31, 4128616800},
    {2024, 2, 29, 1709161200},
};

START_TEST(test_day_start_known)
{
    const start_case *c = &start_cases[_i];
    lv_date day = lv_date_from_ymd(c->y, c->m, c->d);
    ck_assert_msg(nl_day_start(day) == c->start, "%04d-%02d-%02d starts at %lld, want %lld", c->y,
                  c->m, c->d, (long long)nl_day_start(day), (long long)c->start);
    ck_assert_int_eq(nl_date_of(c->start), day);
    ck_assert_int_eq(nl_date_of(c->start - 1), day - 1);
}
END_TEST

/* Every day of 2000..2100: its length, and the last Sundays of March and October. */
START_TEST(test_day_lengths_2000_2100)
{
    int short_days = 0, long_days = 0;
    for (lv_date day = lv_date_from_ymd(2000, 1, 1); day <= lv_date_from_ymd(2100, 12, 31); day++) {
        int64_t len = nl_day_start(day + 1) - nl_day_start(day);
        int y, m, d;
        lv_date_to_ymd(day, &y, &m, &d);
        bool last_sunday = lv_date_weekday(day) == 7 && d + 7 > 31;
        if (last_sunday && m == 3) {
            ck_assert_msg(len == 23 * 3600, "%d-%02d-%02d: %lld s", y, m, d, (long long)len);
            short_days++;
        } else if (last_sunday && m == 10) {
            ck_assert_msg(len == 25 * 3600, "%d-%02d-%02d: %lld s", y, m, d, (long long)len);
            long_days++;
        } else {
            ck_assert_msg(len == 24 * 3600, "%d-%02d-%02d: %lld s", y, m, d, (long long)len);
        }
        ck_assert_int_eq(nl_date_of(nl_day_start(day) + 12 * 3600), day);
    }
    ck_assert_int_eq(short_days, 101);
    ck_assert_int_eq(long_days, 101);
}
END_TEST

START_TEST(test_offsets_at_the_changes)
{
    /* 2026-03-29 01:00 UTC: the clocks go from 02:00 CET to 03:00 CEST */
    const int64_t spring = 1774746000;
    ck_assert_int_eq(nl_utc_offset(spring - 1), 3600);
    ck_assert_int_eq(nl_utc_offset(spring), 7200);
    /* 2026-10-25 01:00 UTC: from 03:00 CEST back to 02:00 CET */
    const int64_t autumn = 1792890000;
    ck_assert_int_eq(nl_utc_offset(autumn - 1), 7200);
    ck_assert_int_eq(nl_utc_offset(autumn), 3600);
}
END_TEST

START_TEST(test_local_hours)
{
    lv_date spring = lv_date_from_ymd(2026, 3, 29);
    /* 01:00 CET = 00:00 UTC; 02:00 does not exist and reads as 03:00 CEST = 01:00 UTC */
    ck_assert_int_eq(nl_local_hour(spring, 1), 1774742400);
    ck_assert_int_eq(nl_local_hour(spring, 2), 1774746000);
    ck_assert_int_eq(nl_local_hour(spring, 3), 1774746000);
    /* noon in summer and in winter */
    ck_assert_int_eq(nl_local_hour(lv_date_from_ymd(2026, 7, 1), 12), 1782856800 + 12 * 3600);
    ck_assert_int_eq(nl_local_hour(lv_date_from_ymd(2026, 1, 1), 12), 1767222000 + 12 * 3600);
    /* 02:00 on 2026-10-25 exists twice; the first (CEST, 00:00 UTC) is given */
    ck_assert_int_eq(nl_local_hour(lv_date_from_ymd(2026, 10, 25), 2), 1792886400);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("nl_time");
    TCase *tc = tcase_create("amsterdam");
    tcase_add_loop_test(tc, test_day_start_known, 0, N_CASES(start_cases));
    tcase_add_test(tc, test_day_lengths_2000_2100);
    tcase_add_test(tc, test_offsets_at_the_changes);
    tcase_add_test(tc, test_local_hours);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
