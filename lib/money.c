/*
 * money.c: checked int64 cent arithmetic and the project's single rounding rule.
 */
#include "money.h"

#include <inttypes.h>
#include <stdio.h>

bool money_add(money_cents a, money_cents b, money_cents *out)
{
    money_cents r;
    if (__builtin_add_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

bool money_sub(money_cents a, money_cents b, money_cents *out)
{
    money_cents r;
    if (__builtin_sub_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

bool money_mul(int64_t a, int64_t b, int64_t *out)
{
    int64_t r;
    if (__builtin_mul_overflow(a, b, &r))
        return false;
    *out = r;
    return true;
}

int64_t money_div_round_half_away(int64_t numerator, int64_t denominator)
{
    /* Work on magnitudes so that C's truncation toward zero is the floor of |n|/d; the
     * remainder then decides: 2*rem >= d rounds the magnitude up. INT64_MIN has no
     * magnitude in int64, so it goes through uint64. */
    uint64_t mag = numerator < 0 ? (uint64_t)0 - (uint64_t)numerator : (uint64_t)numerator;
    uint64_t d = (uint64_t)denominator;
    uint64_t q = mag / d;
    uint64_t rem = mag % d;
    if (rem >= d - rem)
        q++;
    if (numerator >= 0)
        return (int64_t)q;
    /* A negative result can have magnitude 2^63 (INT64_MIN / 1), which -(int64_t)q
     * cannot express; negate in uint64 and map that one value explicitly. */
    return q > (uint64_t)INT64_MAX ? INT64_MIN : -(int64_t)q;
}

char *money_format(money_cents cents, char buf[24])
{
    uint64_t mag = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
    snprintf(buf, 24, "%s%" PRIu64 ".%02" PRIu64, cents < 0 ? "-" : "", mag / 100, mag % 100);
    return buf;
}
