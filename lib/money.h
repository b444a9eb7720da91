/*
 * money.h: money is an int64 number of euro cents, everywhere. Never a float.
 * All arithmetic that could overflow goes through these checked helpers, and the one
 * rounding rule of the project (half away from zero) lives here and nowhere else.
 */
#ifndef LVHCMON_MONEY_H
#define LVHCMON_MONEY_H

#include <stdbool.h>
#include <stdint.h>

typedef int64_t money_cents;

/** @return false on overflow; *out is untouched then. */
bool money_add(money_cents a, money_cents b, money_cents *out);
bool money_sub(money_cents a, money_cents b, money_cents *out);
bool money_mul(int64_t a, int64_t b, int64_t *out);

/**
 * Divides @a numerator by @a denominator (> 0) and rounds half away from zero:
 * 2.5 -> 3, -2.5 -> -3, 2.4999 -> 2. This is the project's only rounding rule.
 */
int64_t money_div_round_half_away(int64_t numerator, int64_t denominator);

/**
 * Formats cents as "1234.56" / "-0.05" into @a buf (at least 24 bytes).
 * @return @a buf.
 */
char *money_format(money_cents cents, char buf[24]);

#endif
