/*
 * calendar.c: civil dates as day numbers (days since 1970-01-01), months and working days.
 * The conversions are Howard Hinnant's days_from_civil / civil_from_days algorithms, exact
 * for the proleptic Gregorian calendar over the whole int32 range used here.
 */
#include "calendar.h"

#include <stdio.h>

static bool is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dim[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return (m == 2 && is_leap(y)) ? 29 : dim[m - 1];
}

lv_date lv_date_from_ymd(int y, int m, int d)
{
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
        return LV_DATE_NONE;
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yoe = y - era * 400;
    const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (lv_date)(era * 146097 + doe - 719468);
}

void lv_date_to_ymd(lv_date date, int *y, int *m, int *d)
{
    const int z = date + 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const int doe = z - era * 146097;
    const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int mp = (5 * doy + 2) / 153;
    const int dd = doy - (153 * mp + 2) / 5 + 1;
    const int mm = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (mm <= 2);
    *m = mm;
    *d = dd;
}

/* Reads exactly n ASCII digits; rejects signs, spaces and anything else. */
static bool read_digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

bool lv_date_parse_iso(const char *text, lv_date *out)
{
    int y, m, d;
    if (!text)
        return false;
    for (int i = 0; i < 10; i++)
        if (text[i] == '\0')
            return false;
    if (text[10] != '\0' || text[4] != '-' || text[7] != '-')
        return false;
    if (!read_digits(text, 4, &y) || !read_digits(text + 5, 2, &m) || !read_digits(text + 8, 2, &d))
        return false;
    lv_date v = lv_date_from_ymd(y, m, d);
    if (v == LV_DATE_NONE)
        return false;
    *out = v;
    return true;
}

bool lv_date_parse_compact(const char *text8, lv_date *out)
{
    int y, m, d;
    if (!read_digits(text8, 4, &y) || !read_digits(text8 + 4, 2, &m) ||
        !read_digits(text8 + 6, 2, &d))
        return false;
    lv_date v = lv_date_from_ymd(y, m, d);
    if (v == LV_DATE_NONE)
        return false;
    *out = v;
    return true;
}

/* @a n digits of @a v, zero-padded, at @a out. */
static void put_digits(char *out, unsigned v, int n)
{
    for (int i = n - 1; i >= 0; i--, v /= 10)
        out[i] = (char)('0' + v % 10);
}

/* Digit by digit rather than snprintf("%04u-%02u-%02u"): ingest formats several dates per
 * line, and printf cost some thirty times as many instructions. */
void lv_date_format_iso(lv_date date, char buf[11])
{
    int y, m, d;
    lv_date_to_ymd(date, &y, &m, &d);
    put_digits(buf, (unsigned)y % 10000u, 4);
    buf[4] = '-';
    put_digits(buf + 5, (unsigned)m % 100u, 2);
    buf[7] = '-';
    put_digits(buf + 8, (unsigned)d % 100u, 2);
    buf[10] = '\0';
}

int lv_date_weekday(lv_date date)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((date % 7 + 7) % 7); /* 0 = Thursday */
    return (w + 3) % 7 + 1;
}

lv_date lv_date_month_start(lv_date date)
{
    int y, m, d;
    lv_date_to_ymd(date, &y, &m, &d);
    return lv_date_from_ymd(y, m, 1);
}

lv_date lv_date_month_end(lv_date date)
{
    int y, m, d;
    lv_date_to_ymd(date, &y, &m, &d);
    return lv_date_from_ymd(y, m, days_in_month(y, m));
}

int lv_date_month_index(lv_date date)
{
    int y, m, d;
    lv_date_to_ymd(date, &y, &m, &d);
    return y * 12 + (m - 1);
}

static bool is_holiday(lv_date day, const lv_date *holidays, size_t n)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (holidays[mid] == day)
            return true;
        if (holidays[mid] < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

lv_date lv_date_add_working_days(lv_date from, int n, const lv_date *holidays, size_t n_holidays)
{
    lv_date day = from;
    while (n > 0) {
        day++;
        if (lv_date_weekday(day) <= 5 && !is_holiday(day, holidays, n_holidays))
            n--;
    }
    return day;
}

lv_date lv_declaration_deadline(lv_date any_day_in_month, int working_days, const lv_date *holidays,
                                size_t n_holidays)
{
    return lv_date_add_working_days(lv_date_month_end(any_day_in_month), working_days, holidays,
                                    n_holidays);
}
