/*
 * nl_format.h: numbers, money and dates written the Dutch way, for texts people read (the
 * Dutch alert texts, the report): "€ 4.238.575,67", "94,2 %", "25 november 2026",
 * "september 2026". Integer arithmetic only: an amount of cents is never a float on its
 * way to a text, and a percentage is rounded once, half away from zero (money.h's rule).
 *
 * Every function writes a NUL-terminated text into the caller's buffer and returns it.
 */
#ifndef LVHCMON_NL_FORMAT_H
#define LVHCMON_NL_FORMAT_H

#include <stdint.h>

#include "calendar.h"
#include "money.h"

/** Room for every text of this module. */
#define NL_FORMAT_MAX 40

/**
 * Cents as euros: "€ 4.238.575,67", "€ 0,05", "€ -1.234,50" (thousands with a point, the
 * cents after a comma, the sign after the euro sign).
 */
char *nl_format_euro(money_cents cents, char buf[NL_FORMAT_MAX]);

/** A whole number with thousands points: 1000000 -> "1.000.000", -1234 -> "-1.234". */
char *nl_format_count(int64_t n, char buf[NL_FORMAT_MAX]);

/**
 * @a num / @a den as a percentage with @a decimals decimals (0..3), comma as decimal sign,
 * rounded once half away from zero: (1, 3, 1) -> "33,3 %". "0 %" when @a den is 0.
 */
char *nl_format_percent(int64_t num, int64_t den, int decimals, char buf[NL_FORMAT_MAX]);

/** Basis points as a percentage without trailing zeros: 7500 -> "75 %", 9250 -> "92,5 %". */
char *nl_format_bp(int32_t bp, char buf[NL_FORMAT_MAX]);

/** @a num / @a den as a factor with two decimals: (235, 100) -> "2,35". "0" for den 0. */
char *nl_format_factor(int64_t num, int64_t den, char buf[NL_FORMAT_MAX]);

/** A day as "25 november 2026"; "–" for LV_DATE_NONE. */
char *nl_format_date(lv_date day, char buf[NL_FORMAT_MAX]);

/** A month as "september 2026" (@a month 1..12). */
char *nl_format_month(int year, int month, char buf[NL_FORMAT_MAX]);

/** @return the Dutch name of @a month (1..12), lower case ("januari"), or "" when invalid. */
const char *nl_month_name(int month);

#endif
