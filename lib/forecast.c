/*
 * forecast.c: the run-rate forecast described in forecast.h.
 *
 * Every scenario is one projection with a different monthly rate. A rate is a fraction
 * num/den (the central rate is sum/complete_months), so the projection works on monthly
 * amounts scaled by den: exact integers, compared and summed without rounding, and divided
 * back (rounded once) only for the year-end figure. The crossing day of the cap uses the
 * same scaled amounts, so it cannot disagree with the year end by a rounding.
 */
#include "forecast.h"

#include <string.h>

/* One scenario: months 1..k keep their actual spend; a later month gets max(actual, rate).
 * Without a rate (use_rate false) every month keeps its actual spend. */
typedef struct {
    bool use_rate;
    int64_t num; /* rate = num / den cents per month */
    int64_t den; /* >= 1 */
} scenario;

static int days_in_month(int year, int month)
{
    lv_date first = lv_date_from_ymd(year, month, 1);
    return (int)(lv_date_month_end(first) - first + 1);
}

/* Projects @p sc over the year. @return false on overflow. */
static bool project(const forecast_input *in, scenario sc, money_cents *year_end, lv_date *cap_on)
{
    int64_t scaled[BUDGET_MONTHS];
    int64_t total = 0;
    for (int mi = 0; mi < BUDGET_MONTHS; mi++) {
        int64_t a;
        if (!money_mul(in->month_spent_cents[mi], sc.den, &a))
            return false;
        if (sc.use_rate && mi >= in->complete_months && a < sc.num)
            a = sc.num;
        scaled[mi] = a;
        if (!money_add(total, a, &total))
            return false;
    }
    *year_end = money_div_round_half_away(total, sc.den);

    int64_t cap_scaled;
    if (!money_mul(in->cap_cents, sc.den, &cap_scaled))
        return false;
    *cap_on = LV_DATE_NONE;
    int64_t cum = 0;
    for (int mi = 0; mi < BUDGET_MONTHS; mi++) {
        int64_t next;
        if (!money_add(cum, scaled[mi], &next))
            return false;
        /* Spend within a month is spread evenly, so it rises monotonically there and the
         * first crossing lies in the first month that ends at or above the cap. cum < cap
         * holds at this month's start, else an earlier month would have been found. */
        if (scaled[mi] > 0 && next >= cap_scaled) {
            const int n = days_in_month(in->year, mi + 1);
            int64_t need_days;
            if (!money_mul(cap_scaled - cum, n, &need_days))
                return false;
            /* Smallest day j with cum + scaled * j / n >= cap: j = ceil(need * n / scaled). */
            int64_t j = need_days / scaled[mi] + (need_days % scaled[mi] != 0);
            *cap_on = lv_date_from_ymd(in->year, mi + 1, 1) + (lv_date)(j - 1);
            break;
        }
        cum = next;
    }
    return true;
}

void forecast_input_from_status(const budget_status *st, forecast_input *in)
{
    memset(in, 0, sizeof *in);
    in->year = st->year;
    in->cap_cents = st->cap_cents;
    in->complete_months = st->complete_months;
    for (int mi = 0; mi < BUDGET_MONTHS; mi++)
        in->month_spent_cents[mi] = st->months[mi].spent_cents;
}

static bool fail(forecast_result *out, lv_error *err, lv_code code, const char *message)
{
    memset(out, 0, sizeof *out);
    out->cap_reached_on = out->cap_reached_earliest = out->cap_reached_latest = LV_DATE_NONE;
    out->method = FORECAST_METHOD;
    lv_error_set(err, code, 0, NULL, "forecast: %s", message);
    return false;
}

static bool overflow(forecast_result *out, lv_error *err)
{
    return fail(out, err, LV_9106_AMOUNT_OVERFLOW, "a projection exceeds the int64 cent range");
}

bool forecast_compute(const forecast_input *in, forecast_result *out, lv_error *err)
{
    if (in->year < 2000 || in->year > 2100 || in->cap_cents <= 0 || in->complete_months < 0 ||
        in->complete_months > BUDGET_MONTHS)
        return fail(out, err, LV_INPUT_INVALID,
                    "year, cap or number of complete months out of range");

    memset(out, 0, sizeof *out);
    const int k = in->complete_months;
    out->complete_months = k;

    if (k == 0) {
        scenario actual = {.use_rate = false, .num = 0, .den = 1};
        if (!project(in, actual, &out->year_end_cents, &out->cap_reached_on))
            return overflow(out, err);
        out->low_cents = out->high_cents = out->year_end_cents;
        out->cap_reached_earliest = out->cap_reached_latest = out->cap_reached_on;
        out->method = FORECAST_METHOD_NO_RUN_RATE;
        return true;
    }

    int64_t sum = 0;
    money_cents lo = in->month_spent_cents[0], hi = in->month_spent_cents[0];
    for (int mi = 0; mi < k; mi++) {
        const money_cents v = in->month_spent_cents[mi];
        if (!money_add(sum, v, &sum))
            return overflow(out, err);
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    out->has_run_rate = true;
    out->run_rate_cents = money_div_round_half_away(sum, k);
    out->min_month_cents = lo;
    out->max_month_cents = hi;
    out->method = FORECAST_METHOD;

    scenario central = {.use_rate = true, .num = sum, .den = k};
    scenario low = {.use_rate = true, .num = lo, .den = 1};
    scenario high = {.use_rate = true, .num = hi, .den = 1};
    if (!project(in, central, &out->year_end_cents, &out->cap_reached_on) ||
        !project(in, low, &out->low_cents, &out->cap_reached_latest) ||
        !project(in, high, &out->high_cents, &out->cap_reached_earliest))
        return overflow(out, err);
    return true;
}
