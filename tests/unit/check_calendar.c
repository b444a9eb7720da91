/*
 * check_calendar.c: Check suite for lib/calendar.c: day numbers and back, leap years,
 * refused dates, the ISO and compact parsers with junk around them, weekdays, month
 * boundaries and working days over weekends and Dutch holidays, up to the declaration
 * deadline. Day numbers of known dates were checked against Python's datetime.
 */
#include <string.h>

#include "calendar.h"
#include "unit_runner.h"

/* Day numbers (days since 1970-01-01) of the ends of the range walked below. */
#define DAY_1900_01_01 (-25567)
#define DAY_2100_12_31 47846

/* Walks every day of 1900..2100 in calendar order: each existing date must be exactly one
 * more than the one before (no gap, no repeat) and must split back into itself. */
START_TEST(test_round_trip_1900_2100)
{
    lv_date expected = DAY_1900_01_01;
    for (int y = 1900; y <= 2100; y++)
        for (int m = 1; m <= 12; m++)
            for (int d = 1; d <= 31; d++) {
                lv_date day = lv_date_from_ymd(y, m, d);
                if (day == LV_DATE_NONE)
                    continue;
                ck_assert_msg(day == expected, "%04d-%02d-%02d is %d, want %d", y, m, d, day,
                              expected);
                int yy, mm, dd;
                lv_date_to_ymd(day, &yy, &mm, &dd);
                ck_assert_msg(yy == y && mm == m && dd == d, "%d splits into %d-%d-%d", day, yy, mm,
                              dd);
                expected++;
            }
    ck_assert_int_eq(expected - 1, DAY_2100_12_31);
}
END_TEST

typedef struct {
    int y, m, d;
    lv_date want; /* LV_DATE_NONE: the date does not exist */
} ymd_case;

static const ymd_case ymd_cases[] = {
    {1970, 1, 1, 0},
    {2000, 2, 29, 11016}, /* 2000 is divisible by 400: leap */
    {2000, 3, 1, 11017},
    {2024, 2, 29, 19782}, /* divisible by 4: leap */
    {1900, 3, 1, -25508},
    {2100, 3, 1, 47541},
    {2026, 10, 31, 20757},
    {1, 1, 1, -719162},
    {9999, 12, 31, 2932896},
    {1900, 2, 29, LV_DATE_NONE}, /* divisible by 100, not by 400: no leap day */
    {2100, 2, 29, LV_DATE_NONE},
    {2025, 2, 29, LV_DATE_NONE},
    {2024, 4, 31, LV_DATE_NONE},
    {2024, 13, 1, LV_DATE_NONE},
    {2024, 0, 1, LV_DATE_NONE},
    {2024, 1, 0, LV_DATE_NONE},
    {2024, 1, 32, LV_DATE_NONE},
    {0, 1, 1, LV_DATE_NONE},
    {10000, 1, 1, LV_DATE_NONE},
    {-1, 1, 1, LV_DATE_NONE},
};

START_TEST(test_from_ymd)
{
    const ymd_case *c = &ymd_cases[_i];
    ck_assert_int_eq(lv_date_from_ymd(c->y, c->m, c->d), c->want);
}
END_TEST

typedef struct {
    const char *text;
    bool ok;
    lv_date want;
} parse_case;

static const parse_case iso_cases[] = {
    {"2026-10-31", true, 20757},
    {"2024-02-29", true, 19782},
    {"1970-01-01", true, 0},
    {"2026-02-29", false, 0}, /* 2026 is no leap year */
    {"2026-1-31", false, 0},
    {"2026-10-31x", false, 0},
    {"2026-10-31 ", false, 0},
    {" 2026-10-31", false, 0},
    {"2026/10/31", false, 0},
    {"2026-10-3", false, 0},
    {"2026-10-3a", false, 0},
    {"+026-10-31", false, 0},
    {"2026-+1-31", false, 0},
    {"20261031", false, 0},
    {"2026-13-01", false, 0},
    {"0000-01-01", false, 0},
    {"", false, 0},
};

START_TEST(test_parse_iso)
{
    const parse_case *c = &iso_cases[_i];
    lv_date out = 12345;
    ck_assert_msg(lv_date_parse_iso(c->text, &out) == c->ok, "\"%s\"", c->text);
    ck_assert_int_eq(out, c->ok ? c->want : 12345); /* untouched on failure */
}
END_TEST

START_TEST(test_parse_iso_null)
{
    lv_date out = 0;
    ck_assert(!lv_date_parse_iso(NULL, &out));
}
END_TEST

static const parse_case compact_cases[] = {
    {"20261031", true, 20757},    {"20240229", true, 19782}, {"99991231", true, 2932896},
    {"20261031XYZ", true, 20757}, /* reads exactly 8 bytes, the rest is the next field */
    {"20260229", false, 0},       {"00000000", false, 0},    {"2026103 ", false, 0},
    {"2026-103", false, 0},       {" 2026103", false, 0},    {"20261300", false, 0},
    {"2026103\0", false, 0},
};

START_TEST(test_parse_compact)
{
    const parse_case *c = &compact_cases[_i];
    lv_date out = 12345;
    ck_assert_msg(lv_date_parse_compact(c->text, &out) == c->ok, "\"%s\"", c->text);
    ck_assert_int_eq(out, c->ok ? c->want : 12345);
}
END_TEST

typedef struct {
    lv_date day;
    const char *iso;
    int weekday; /* 1 = Monday .. 7 = Sunday */
} weekday_case;

static const weekday_case weekday_cases[] = {
    {0, "1970-01-01", 4},              /* Thursday */
    {DAY_1900_01_01, "1900-01-01", 1}, /* Monday */
    {10957, "2000-01-01", 6},          /* Saturday */
    {19782, "2024-02-29", 4},          /* Thursday */
    {20757, "2026-10-31", 6},          /* Saturday */
    {DAY_2100_12_31, "2100-12-31", 5}, /* Friday */
    {-1, "1969-12-31", 3},             /* Wednesday: negative day numbers */
    {-719162, "0001-01-01", 1},        /* Monday */
};

START_TEST(test_weekday_and_format)
{
    const weekday_case *c = &weekday_cases[_i];
    char buf[11];
    lv_date_format_iso(c->day, buf);
    ck_assert_str_eq(buf, c->iso);
    ck_assert_int_eq(lv_date_weekday(c->day), c->weekday);
}
END_TEST

typedef struct {
    const char *day, *start, *end;
    int month_index;
} month_case;

static const month_case month_cases[] = {
    {"2024-02-15", "2024-02-01", "2024-02-29", 2024 * 12 + 1},
    {"2025-02-10", "2025-02-01", "2025-02-28", 2025 * 12 + 1},
    {"2026-12-31", "2026-12-01", "2026-12-31", 2026 * 12 + 11},
    {"2026-01-01", "2026-01-01", "2026-01-31", 2026 * 12 + 0},
    {"1900-02-28", "1900-02-01", "1900-02-28", 1900 * 12 + 1},
};

static lv_date iso(const char *text)
{
    lv_date day = LV_DATE_NONE;
    ck_assert_msg(lv_date_parse_iso(text, &day), "bad test date %s", text);
    return day;
}

START_TEST(test_month_bounds)
{
    const month_case *c = &month_cases[_i];
    lv_date day = iso(c->day);
    ck_assert_int_eq(lv_date_month_start(day), iso(c->start));
    ck_assert_int_eq(lv_date_month_end(day), iso(c->end));
    ck_assert_int_eq(lv_date_month_index(day), c->month_index);
}
END_TEST

/* Dutch holidays around the cases below (2026: Easter Sunday is 5 April). Sundays in the
 * list (Easter, Whit Sunday) must change nothing: they are no working days anyway. */
static const char *const holidays_nl[] = {
    "2025-12-25", /* Christmas Day */
    "2025-12-26", /* Boxing Day */
    "2026-01-01", /* New Year's Day */
    "2026-04-05", /* Easter Sunday */
    "2026-04-06", /* Easter Monday */
    "2026-04-27", /* King's Day (a Monday in 2026) */
    "2026-05-14", /* Ascension Day: Easter + 39 */
    "2026-05-24", /* Whit Sunday */
    "2026-05-25", /* Whit Monday: Easter + 50 */
};

typedef struct {
    const char *from;
    int n;
    bool with_holidays;
    const char *want;
} workday_case;

static const workday_case workday_cases[] = {
    {"2026-10-30", 1, false, "2026-11-02"}, /* Friday + 1 = Monday */
    {"2026-10-31", 1, false, "2026-11-02"}, /* Saturday + 1 = Monday */
    {"2026-11-01", 0, false, "2026-11-01"}, /* zero days: the day itself, even a Sunday */
    {"2026-11-02", 5, false, "2026-11-09"}, /* a whole week */
    {"2026-04-24", 1, true, "2026-04-28"},  /* Friday, over King's Day Monday */
    {"2026-04-24", 1, false, "2026-04-27"},
    {"2026-04-03", 1, true, "2026-04-07"}, /* over Easter Monday */
};

static size_t holiday_list(lv_date *out)
{
    size_t n = sizeof holidays_nl / sizeof holidays_nl[0];
    for (size_t i = 0; i < n; i++)
        out[i] = iso(holidays_nl[i]);
    return n;
}

START_TEST(test_working_days)
{
    const workday_case *c = &workday_cases[_i];
    lv_date hol[16];
    size_t n = c->with_holidays ? holiday_list(hol) : 0;
    ck_assert_int_eq(lv_date_add_working_days(iso(c->from), c->n, hol, n), iso(c->want));
}
END_TEST

/*
 * Deadlines, counted by hand:
 * - 2026-10, 17 days: the month ends Saturday 31 October. November 2026 starts on a Sunday;
 *   working days 2-6 Nov are 1-5, 9-13 are 6-10, 16-20 are 11-15, Mon 23 is 16, Tue 24 is
 *   17: 2026-11-24. No holiday falls in that stretch, so the list changes nothing.
 * - 2026-04, 17 days, with holidays: the month ends Thursday 30 April (King's Day, 27
 *   April, lies before it and does not count). Fri 1 May is 1, 4-8 May are 2-6, 11-13 are
 *   7-9, Thu 14 is Ascension, Fri 15 is 10, 18-22 are 11-15, Mon 25 is Whit Monday, Tue 26
 *   is 16, Wed 27 is 17: 2026-05-27.
 * - the same without holidays: 1 May is 1, 4-8 are 2-6, 11-15 are 7-11, 18-22 are 12-16,
 *   Mon 25 is 17: 2026-05-25.
 * - 2026-03, 18 days, with holidays: the month ends Tuesday 31 March. 1-3 April are 1-3,
 *   Mon 6 is Easter Monday, 7-10 are 4-7, 13-17 are 8-12, 20-24 are 13-17, Mon 27 is King's
 *   Day, Tue 28 is 18: 2026-04-28. Without holidays: 6-10 are 4-8, 13-17 are 9-13, 20-24
 *   are 14-18: 2026-04-24.
 * - 2025-12, 17 days, with holidays: the month ends Wednesday 31 December; Thu 1 January
 *   is New Year's Day, Fri 2 is 1, 5-9 are 2-6, 12-16 are 7-11, 19-23 are 12-16, Mon 26
 *   is 17: 2026-01-26.
 */
static const workday_case deadline_cases[] = {
    {"2026-10-01", 17, false, "2026-11-24"}, {"2026-10-31", 17, true, "2026-11-24"},
    {"2026-04-15", 17, true, "2026-05-27"},  {"2026-04-01", 17, false, "2026-05-25"},
    {"2026-03-31", 18, true, "2026-04-28"},  {"2026-03-01", 18, false, "2026-04-24"},
    {"2025-12-01", 17, true, "2026-01-26"},
};

START_TEST(test_deadline)
{
    const workday_case *c = &deadline_cases[_i];
    lv_date hol[16];
    size_t n = c->with_holidays ? holiday_list(hol) : 0;
    ck_assert_int_eq(lv_declaration_deadline(iso(c->from), c->n, hol, n), iso(c->want));
}
END_TEST

static Suite *calendar_suite(void)
{
    Suite *s = suite_create("calendar");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_round_trip_1900_2100);
    tcase_add_loop_test(tc, test_from_ymd, 0, N_CASES(ymd_cases));
    tcase_add_loop_test(tc, test_parse_iso, 0, N_CASES(iso_cases));
    tcase_add_test(tc, test_parse_iso_null);
    tcase_add_loop_test(tc, test_parse_compact, 0, N_CASES(compact_cases));
    tcase_add_loop_test(tc, test_weekday_and_format, 0, N_CASES(weekday_cases));
    tcase_add_loop_test(tc, test_month_bounds, 0, N_CASES(month_cases));
    tcase_add_loop_test(tc, test_working_days, 0, N_CASES(workday_cases));
    tcase_add_loop_test(tc, test_deadline, 0, N_CASES(deadline_cases));
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(calendar_suite)
