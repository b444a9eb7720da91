/*
 * profile.h: the planned monthly profile of the cap (reference data `profile.csv`:
 * `year,month,weight_bp`). Without one, the cap is spread evenly over the days of the year
 * (budget.h); with one, month m of the year carries weight_bp / 10000 of the cap, and the
 * profile through the end of month k is the cap times the sum of the weights of months 1..k,
 * rounded once, half away from zero.
 *
 * A profile year is twelve rows, one per month, whose weights (0..10000 basis points each)
 * sum to exactly 10000: anything else would let the profile end the year above or below the
 * cap. profile_rows_check() is the one place that rule lives; the reference loader runs it
 * over the whole file before storing a row, so a bad file names its file, line and column
 * and changes nothing.
 *
 * Pure; nothing here reads a file.
 */
#ifndef LVHCMON_PROFILE_H
#define LVHCMON_PROFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "money.h"

#define PROFILE_MONTHS 12
#define PROFILE_TOTAL_BP 10000

/** One row of profile.csv, already read as numbers. */
typedef struct {
    int line_no; /* 1-based line in the file, for the error */
    int year;
    int month;         /* 1..12 */
    int64_t weight_bp; /* 0..10000 */
} profile_row;

/**
 * Checks the rows of a profile file: each month 1..12 and each weight 0..10000; per year
 * every month exactly once and the weights summing to 10000.
 * @param file the file's name for the messages ("profile.csv")
 * @param err receives the first defect (may be NULL): LV_9108_FIELD_INVALID with the line
 *        and the column (`month`, `weight_bp`) in `field`; for a year whose months are
 *        incomplete or whose sum is wrong, the line of its last row and the field `month`
 *        or `weight_bp`
 * @return true when the rows form valid profile years (no rows at all is valid: no profile)
 */
bool profile_rows_check(const profile_row *rows, size_t n, const char *file, lv_error *err);

/**
 * The profile of @a cap_cents through the end of month @a through_month (0..12) under the
 * weights @a weight_bp (twelve, summing to 10000): cap x sum(weights of 1..through) / 10000,
 * rounded once half away from zero; exactly the cap after December.
 * @return false on overflow (a cap beyond 10^14 euro) or a month out of range
 */
bool profile_through_month(money_cents cap_cents, const int32_t weight_bp[PROFILE_MONTHS],
                           int through_month, money_cents *out);

#endif
