/*
 * pricing.c: the price of one declaration line (pricing.h). Every product is formed in
 * full before the one division, so a line is rounded exactly once, half away from zero,
 * by money_div_round_half_away(); rounding twice (say, per hour and then per line) would
 * let sub-cent errors add up across thousands of lines.
 *
 * A time line: minutes * tariff_per_hour * rate_bp is in units of 1/(60 * 10000) cent.
 * Travel declared as an amount joins the same numerator scaled by that denominator, so the
 * travel cents count fully and the sum is still rounded once.
 * A travel prestatie: units * tariff * rate_bp is in units of 1/10000 cent; where the
 * rate does not apply, the factor is 10000 (100 %).
 */
#include "pricing.h"

#include "money.h"

#define BP_WHOLE 10000                            /* 100 % in basis points */
#define TIME_DENOMINATOR (60 * (int64_t)BP_WHOLE) /* minutes per hour x 100 % */

/* a * b * c with every step checked. */
static bool mul3(int64_t a, int64_t b, int64_t c, int64_t *out)
{
    int64_t ab;
    return money_mul(a, b, &ab) && money_mul(ab, c, out);
}

static lv_code price_time(const ref_prestatie *p, int32_t rate_bp, int64_t minutes,
                          int64_t travel_cents, int64_t *amount_out)
{
    int64_t care, travel, numerator;
    if (!mul3(minutes, p->tariff_cents, rate_bp, &care) ||
        !money_mul(travel_cents, TIME_DENOMINATOR, &travel) || !money_add(care, travel, &numerator))
        return LV_9106_AMOUNT_OVERFLOW;
    *amount_out = money_div_round_half_away(numerator, TIME_DENOMINATOR);
    return LV_OK;
}

static lv_code price_travel(const ref_prestatie *p, int32_t rate_bp, int64_t units,
                            int64_t *amount_out)
{
    int64_t numerator;
    int32_t factor = p->rate_applies ? rate_bp : BP_WHOLE;
    if (!mul3(units, p->tariff_cents, factor, &numerator))
        return LV_9106_AMOUNT_OVERFLOW;
    *amount_out = money_div_round_half_away(numerator, BP_WHOLE);
    return LV_OK;
}

lv_code pricing_line_amount(const ref_prestatie *p, int32_t rate_bp, int64_t quantity,
                            int64_t travel_cents, int64_t *amount_out)
{
    /* refdata refuses negative tariffs and rates; a caller that built its own record
     * must not get a negative price for a debit out of one. */
    if (p->tariff_cents < 0 || rate_bp < 0)
        return LV_9108_FIELD_INVALID;
    if (quantity < 0)
        return LV_0638_QUANTITY_INVALID;
    if (travel_cents < 0)
        return LV_0638_QUANTITY_INVALID;
    if (p->kind == PRESTATIE_TRAVEL) {
        /* The amount of a travel prestatie comes from its tariff; an amount declared on
         * top of it would be counted twice. */
        if (travel_cents != 0)
            return LV_9112_TRAVEL_INVALID;
        return price_travel(p, rate_bp, quantity, amount_out);
    }
    return price_time(p, rate_bp, quantity, travel_cents, amount_out);
}
