/*
 * calendar.h: civil dates as day numbers, calendar months and working days.
 * A date is an int32 count of days since 1970-01-01 (proleptic Gregorian), so comparisons
 * and differences are integer arithmetic. Holidays are passed in by the caller (reference
 * data); nothing here knows any particular country's calendar.
 */
#ifndef LVHCMON_CALENDAR_H
#define LVHCMON_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int32_t lv_date;
#define LV_DATE_NONE INT32_MIN

/** @return the day number of y-m-d, or LV_DATE_NONE when the date does not exist. */
lv_date lv_date_from_ymd(int y, int m, int d);

/** Splits a day number into year, month (1..12) and day (1..31). */
void lv_date_to_ymd(lv_date date, int *y, int *m, int *d);

/** Parses "YYYY-MM-DD" (exactly 10 chars). @return false on any defect. */
bool lv_date_parse_iso(const char *text, lv_date *out);

/** Parses "YYYYMMDD" from exactly 8 bytes (not NUL-terminated). @return false on any defect. */
bool lv_date_parse_compact(const char *text8, lv_date *out);

/** Writes "YYYY-MM-DD" into @a buf (at least 11 bytes). */
void lv_date_format_iso(lv_date date, char buf[11]);

/** @return 1 (Monday) .. 7 (Sunday). */
int lv_date_weekday(lv_date date);

/** @return the first day of the month containing @a date. */
lv_date lv_date_month_start(lv_date date);

/** @return the last day of the month containing @a date. */
lv_date lv_date_month_end(lv_date date);

/** @return months since year 0 for @a date (y*12 + m-1): a month key for aggregation. */
int lv_date_month_index(lv_date date);

/**
 * @return the date that is @a n working days after @a from (Mon-Fri, not in @a holidays).
 * @a holidays is sorted ascending, @a n_holidays long (may be 0).
 */
lv_date lv_date_add_working_days(lv_date from, int n, const lv_date *holidays, size_t n_holidays);

/**
 * The declaration deadline of a service month: @a working_days working days after the last
 * day of the month that contains @a any_day_in_month.
 */
lv_date lv_declaration_deadline(lv_date any_day_in_month, int working_days, const lv_date *holidays,
                                size_t n_holidays);

#endif
