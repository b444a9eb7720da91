/*
 * nl_format.c: Dutch number, money and date texts (see nl_format.h).
 *
 * Magnitudes are handled as uint64 so that INT64_MIN has one too; the grouping of
 * thousands walks the digits from the right.
 */
#include "nl_format.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static const char *const MONTHS[12] = {"januari",   "februari", "maart",    "april",
                                       "mei",       "juni",     "juli",     "augustus",
                                       "september", "oktober",  "november", "december"};

const char *nl_month_name(int month)
{
    return month >= 1 && month <= 12 ? MONTHS[month - 1] : "";
}

static uint64_t magnitude(int64_t v)
{
    return v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
}

/* Writes @a v with a point between groups of three digits into @a out (at least 28 bytes). */
static void grouped(uint64_t v, char *out)
{
    char digits[24];
    int n = snprintf(digits, sizeof digits, "%" PRIu64, v);
    size_t o = 0;
    for (int i = 0; i < n; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            out[o++] = '.';
        out[o++] = digits[i];
    }
    out[o] = '\0';
}

char *nl_format_count(int64_t n, char buf[NL_FORMAT_MAX])
{
    char whole[32];
    grouped(magnitude(n), whole);
    snprintf(buf, NL_FORMAT_MAX, "%s%s", n < 0 ? "-" : "", whole);
    return buf;
}

char *nl_format_euro(money_cents cents, char buf[NL_FORMAT_MAX])
{
    uint64_t mag = magnitude(cents);
    char whole[32];
    grouped(mag / 100, whole);
    snprintf(buf, NL_FORMAT_MAX, "\u20ac %s%s,%02" PRIu64, cents < 0 ? "-" : "", whole, mag % 100);
    return buf;
}

/* @a num / @a den scaled by 10^@a scale, rounded half away from zero, as a magnitude, with
 * its sign in *negative. 128-bit, so no product overflows. */
static uint64_t scaled_ratio(int64_t num, int64_t den, int scale, int *negative)
{
    __extension__ typedef unsigned __int128 u128;
    u128 n = magnitude(num), d = magnitude(den);
    for (int i = 0; i < scale; i++)
        n *= 10;
    u128 q = n / d, r = n % d;
    if (r >= d - r)
        q++;
    *negative = q != 0 && ((num < 0) != (den < 0));
    return q > UINT64_MAX ? UINT64_MAX : (uint64_t)q;
}

/* Writes a scaled value with @a decimals decimals and a comma: 942, 1 -> "94,2". */
static void decimal_text(uint64_t scaled, int negative, int decimals, char *out, size_t size)
{
    uint64_t pow = 1;
    for (int i = 0; i < decimals; i++)
        pow *= 10;
    char whole[32];
    grouped(scaled / pow, whole);
    if (decimals == 0)
        snprintf(out, size, "%s%s", negative ? "-" : "", whole);
    else
        snprintf(out, size, "%s%s,%0*" PRIu64, negative ? "-" : "", whole, decimals, scaled % pow);
}

char *nl_format_percent(int64_t num, int64_t den, int decimals, char buf[NL_FORMAT_MAX])
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 3)
        decimals = 3;
    if (den == 0) {
        snprintf(buf, NL_FORMAT_MAX, "0 %%");
        return buf;
    }
    int negative;
    uint64_t v = scaled_ratio(num, den, decimals + 2, &negative);
    char text[32];
    decimal_text(v, negative, decimals, text, sizeof text);
    snprintf(buf, NL_FORMAT_MAX, "%s %%", text);
    return buf;
}

char *nl_format_bp(int32_t bp, char buf[NL_FORMAT_MAX])
{
    /* bp / 100 percent, with the two decimals of the basis points dropped when zero. */
    uint64_t mag = magnitude(bp);
    int decimals = mag % 100 == 0 ? 0 : mag % 10 == 0 ? 1 : 2;
    uint64_t scaled = decimals == 0 ? mag / 100 : decimals == 1 ? mag / 10 : mag;
    char text[32];
    decimal_text(scaled, bp < 0, decimals, text, sizeof text);
    snprintf(buf, NL_FORMAT_MAX, "%s %%", text);
    return buf;
}

char *nl_format_factor(int64_t num, int64_t den, char buf[NL_FORMAT_MAX])
{
    if (den == 0) {
        snprintf(buf, NL_FORMAT_MAX, "0");
        return buf;
    }
    int negative;
    uint64_t v = scaled_ratio(num, den, 2, &negative);
    decimal_text(v, negative, 2, buf, NL_FORMAT_MAX);
    return buf;
}

char *nl_format_date(lv_date day, char buf[NL_FORMAT_MAX])
{
    if (day == LV_DATE_NONE) {
        snprintf(buf, NL_FORMAT_MAX, "\u2013");
        return buf;
    }
    int y, m, d;
    lv_date_to_ymd(day, &y, &m, &d);
    snprintf(buf, NL_FORMAT_MAX, "%d %s %d", d, nl_month_name(m), y);
    return buf;
}

char *nl_format_month(int year, int month, char buf[NL_FORMAT_MAX])
{
    snprintf(buf, NL_FORMAT_MAX, "%s %d", nl_month_name(month), year);
    return buf;
}
