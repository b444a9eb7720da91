/*
 * forecast.h: the year-end forecast of C&A spend, with a range and the date the cap would
 * be reached. Pure arithmetic over twelve monthly totals; no I/O, no clock.
 *
 * Method ("run-rate of complete months, min/max monthly range"):
 *
 *   A month is complete once its declaration deadline has passed (budget.h); only complete
 *   months have their final spend, so only they set the run rate. The run rate is the mean
 *   monthly spend of the complete months (January through the last complete month). Every
 *   month that is not complete is projected at the larger of its actual spend so far and
 *   the run rate: its partial spend is kept (it has been declared and counts) but not
 *   counted twice, and a month already above the run rate is not pulled down to it.
 *   The year end is the sum of the twelve projected months, rounded once to a cent.
 *
 *   The range uses the same rule with the lowest and the highest monthly spend among the
 *   complete months in place of the mean: "if every remaining month is as quiet as the
 *   quietest month so far" and "as busy as the busiest". It is a spread, not a confidence
 *   interval, and with one complete month it is zero wide.
 *
 *   The cap is reached on the first day on which the cumulative projected spend is at least
 *   the cap, each month's (actual or projected) spend being spread evenly over its days.
 *   This is consistent with the year end: the date exists exactly when the year end (before
 *   its rounding to a cent) is at least the cap, and a cap crossed inside a complete month
 *   gives a day in the past.
 *   cap_reached_earliest/latest do the same for the high and the low scenario.
 *
 *   Before the first complete month there is no run rate: the forecast is the actual spend
 *   so far, the range is zero wide, and has_run_rate is false; the method says so.
 *
 *   Known limits, stated rather than hidden: a flat run rate under-forecasts a steady
 *   growth (the high end, at the busiest month so far, is the better guide then, and the
 *   BudgetAheadOfProfile and spike alerts watch the trend); a month declared very late
 *   after its deadline lowers the run rate until it arrives, and ProviderDeclarationMissing
 *   reports exactly those months.
 *
 * All money is int64 cents. The mean is never rounded on its own: projections are kept as
 * fractions over the number of complete months and rounded once at the end.
 */
#ifndef LVHCMON_FORECAST_H
#define LVHCMON_FORECAST_H

#include <stdbool.h>

#include "budget.h"
#include "calendar.h"
#include "error.h"
#include "money.h"

/** The method text of the status document's forecast.method. */
#define FORECAST_METHOD "run-rate of complete months, min/max monthly range"
/** The method text before the first month is complete. */
#define FORECAST_METHOD_NO_RUN_RATE "actual spend to date (no complete month yet)"

typedef struct {
    int year;                                     /* 2000..2100 */
    money_cents cap_cents;                        /* > 0 */
    money_cents month_spent_cents[BUDGET_MONTHS]; /* actual spend per service month so far */
    int complete_months; /* months 1..complete_months are complete; 0..12 */
} forecast_input;

typedef struct {
    money_cents year_end_cents;
    money_cents low_cents;
    money_cents high_cents;
    bool has_run_rate;           /* false before the first complete month */
    money_cents run_rate_cents;  /* mean of complete months, rounded (display only) */
    money_cents min_month_cents; /* lowest complete month (0 without run rate) */
    money_cents max_month_cents; /* highest complete month */
    int complete_months;
    lv_date cap_reached_on;       /* central scenario; LV_DATE_NONE: not within the year */
    lv_date cap_reached_earliest; /* high scenario */
    lv_date cap_reached_latest;   /* low scenario */
    const char *method;           /* static text, FORECAST_METHOD or ..._NO_RUN_RATE */
} forecast_result;

/**
 * Computes the forecast of @a in into @a out.
 * @param err receives why not (may be NULL): LV_INPUT_INVALID when the year, the cap or
 *        complete_months is out of range, LV_9106_AMOUNT_OVERFLOW when a projection leaves
 *        the int64 cent range
 * @return true; false on an error (then @a out is zeroed, its dates LV_DATE_NONE)
 */
bool forecast_compute(const forecast_input *in, forecast_result *out, lv_error *err);

/** Fills @a in from a budget status: its year, cap, monthly spend and complete months. */
void forecast_input_from_status(const budget_status *st, forecast_input *in);

#endif
