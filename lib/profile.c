/*
 * profile.c: the planned monthly profile: checking profile.csv's rows and the profile
 * through a month (see profile.h).
 */
#include "profile.h"

#include <stdlib.h>
#include <string.h>

/* The rows of one year, gathered while checking. */
typedef struct {
    int year;
    int line_of_month[PROFILE_MONTHS]; /* 0: not given yet */
    int64_t sum_bp;
    int first_line, last_line;
} year_rows;

static int cmp_year(const void *a, const void *b)
{
    const year_rows *x = a, *y = b;
    return (x->year > y->year) - (x->year < y->year);
}

bool profile_rows_check(const profile_row *rows, size_t n, const char *file, lv_error *err)
{
    year_rows *years = calloc(n ? n : 1, sizeof *years);
    if (years == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        return false;
    }
    size_t n_years = 0;
    bool ok = true;
    for (size_t i = 0; ok && i < n; i++) {
        const profile_row *r = &rows[i];
        if (r->month < 1 || r->month > PROFILE_MONTHS) {
            lv_error_set(err, LV_9108_FIELD_INVALID, r->line_no, "month",
                         "%s line %d: month: %d is not a month 1..12", file, r->line_no, r->month);
            ok = false;
            break;
        }
        if (r->weight_bp < 0 || r->weight_bp > PROFILE_TOTAL_BP) {
            lv_error_set(err, LV_9108_FIELD_INVALID, r->line_no, "weight_bp",
                         "%s line %d: weight_bp: %lld is not a weight of 0..10000 basis points",
                         file, r->line_no, (long long)r->weight_bp);
            ok = false;
            break;
        }
        year_rows *y = NULL;
        for (size_t k = 0; k < n_years && y == NULL; k++)
            if (years[k].year == r->year)
                y = &years[k];
        if (y == NULL) {
            y = &years[n_years++];
            y->year = r->year;
        }
        if (y->line_of_month[r->month - 1] != 0) {
            lv_error_set(err, LV_9108_FIELD_INVALID, r->line_no, "month",
                         "%s line %d: month: %d-%02d is given twice (first on line %d)", file,
                         r->line_no, r->year, r->month, y->line_of_month[r->month - 1]);
            ok = false;
            break;
        }
        y->line_of_month[r->month - 1] = r->line_no;
        y->sum_bp += r->weight_bp;
        if (r->line_no > y->last_line)
            y->last_line = r->line_no;
        if (y->first_line == 0 || r->line_no < y->first_line)
            y->first_line = r->line_no;
    }
    /* Whole years, in year order, so the message about the first bad year is stable. */
    qsort(years, n_years, sizeof *years, cmp_year);
    for (size_t k = 0; ok && k < n_years; k++) {
        const year_rows *y = &years[k];
        for (int m = 0; ok && m < PROFILE_MONTHS; m++)
            if (y->line_of_month[m] == 0) {
                lv_error_set(err, LV_9108_FIELD_INVALID, y->last_line, "month",
                             "%s lines %d-%d: %d has no row for month %d: a profile year has "
                             "twelve rows, one per month",
                             file, y->first_line, y->last_line, y->year, m + 1);
                ok = false;
            }
        if (ok && y->sum_bp != PROFILE_TOTAL_BP) {
            lv_error_set(err, LV_9108_FIELD_INVALID, y->last_line, "weight_bp",
                         "%s lines %d-%d: the weights of %d sum to %lld basis points, not 10000",
                         file, y->first_line, y->last_line, y->year, (long long)y->sum_bp);
            ok = false;
        }
    }
    free(years);
    return ok;
}

bool profile_through_month(money_cents cap_cents, const int32_t weight_bp[PROFILE_MONTHS],
                           int through_month, money_cents *out)
{
    if (through_month < 0 || through_month > PROFILE_MONTHS)
        return false;
    if (through_month == PROFILE_MONTHS) {
        *out = cap_cents; /* the whole cap, to the cent, whatever the rounding before */
        return true;
    }
    int64_t bp = 0;
    for (int m = 0; m < through_month; m++)
        bp += weight_bp[m];
    int64_t num;
    if (!money_mul(cap_cents, bp, &num))
        return false;
    *out = money_div_round_half_away(num, PROFILE_TOTAL_BP);
    return true;
}
