/*
 * provider_lanes.h: dealing a file's submissions out over parallel lanes (connections) so
 * that each provider's submissions stay in one lane, in the file's order.
 *
 * A provider's later submission may credit a line of its earlier one, and the duplicate
 * checks of a submission see the provider's lines stored before it (validate.h): the order
 * within a provider is part of the meaning. Different providers never depend on one
 * another, so they may be stored side by side. Providers are given to lanes in turn, in
 * the order they first appear, which spreads a file of many providers evenly.
 */
#ifndef LVHCMON_PROVIDER_LANES_H
#define LVHCMON_PROVIDER_LANES_H

#include <stdbool.h>
#include <stddef.h>

/**
 * Chooses a lane for every submission.
 * @param agbs      the provider of each of @a n submissions, in the file's order (borrowed)
 * @param n_lanes   how many lanes there are (at least 1)
 * @param lane_of   out: @a n entries, each below @a n_lanes
 * @return false when out of memory (lane_of is then undefined)
 */
bool provider_lanes_plan(const char *const *agbs, size_t n, size_t n_lanes, size_t *lane_of);

#endif
