/*
 * pricing.h: the price of one declaration line, as the purchasing conditions say: the NZa
 * tariff times the provider's tariff percentage, travel included. A time line:
 *   amount = minutes * tariff_per_hour * rate_bp / (60 * 10000)
 * computed in integers and rounded once, half away from zero (money_div_round_half_away).
 * A travel line: units * tariff * (rate_applies ? rate_bp : 10000) / 10000, rounded once.
 * travel_cents declared as an amount on a time line count fully (no rate), and join the
 * same single rounding.
 */
#ifndef LVHCMON_PRICING_H
#define LVHCMON_PRICING_H

#include <stdint.h>

#include "codes.h"
#include "refdata.h"

/**
 * Prices a debit line (the amount is positive; the caller negates credits).
 * @param p             the prestatie for the year of the service (not NULL)
 * @param rate_bp       the provider's tariff percentage for that year (>= 0)
 * @param quantity      minutes for time prestaties, trips or km for travel ones (>= 0)
 * @param travel_cents  travel declared as an amount (time lines only; >= 0)
 * @param amount_out    the price in cents; untouched unless LV_OK is returned
 * @return LV_OK, or LV_9106_AMOUNT_OVERFLOW / LV_9112_TRAVEL_INVALID (a travel amount on a
 *         travel prestatie) / LV_0638_QUANTITY_INVALID (negative quantity or travel amount)
 *         / LV_9108_FIELD_INVALID (negative tariff or rate).
 */
lv_code pricing_line_amount(const ref_prestatie *p, int32_t rate_bp, int64_t quantity,
                            int64_t travel_cents, int64_t *amount_out);

#endif
