/*
 * nl_time.c: Amsterdam's civil day under the EU summer-time rule (see nl_time.h).
 *
 * The clocks change at 01:00 UTC on the last Sunday of March and of October. Local
 * midnight is never inside a change (they happen at 02:00/03:00 local), so the start of a
 * day is found by trying the summer offset and keeping it only when the instant it gives
 * lies in summer time.
 */
#include "nl_time.h"

#define DAY_S INT64_C(86400)
#define CET_S 3600
#define CEST_S 7200

/* The last Sunday of @a month in @a year. */
static lv_date last_sunday(int year, int month)
{
    lv_date last = lv_date_month_end(lv_date_from_ymd(year, month, 1));
    return last - (lv_date)(lv_date_weekday(last) % 7); /* weekday: 7 = Sunday */
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int nl_utc_offset(int64_t utc)
{
    int y, m, d;
    lv_date_to_ymd((lv_date)floor_div(utc, DAY_S), &y, &m, &d);
    const int64_t begins = (int64_t)last_sunday(y, 3) * DAY_S + 3600;
    const int64_t ends = (int64_t)last_sunday(y, 10) * DAY_S + 3600;
    return utc >= begins && utc < ends ? CEST_S : CET_S;
}

/* The instant of a local time given as seconds since the epoch of the local clock; the
 * summer reading first, so an hour that exists twice (October) gives the earlier one. */
static int64_t from_local(int64_t local)
{
    if (nl_utc_offset(local - CEST_S) == CEST_S)
        return local - CEST_S;
    return local - CET_S;
}

int64_t nl_day_start(lv_date day)
{
    return from_local((int64_t)day * DAY_S);
}

lv_date nl_date_of(int64_t utc)
{
    return (lv_date)floor_div(utc + nl_utc_offset(utc), DAY_S);
}

int64_t nl_local_hour(lv_date day, int hour)
{
    return from_local((int64_t)day * DAY_S + (int64_t)hour * 3600);
}
