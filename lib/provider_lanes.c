/*
 * provider_lanes.c: the lane of each submission (see provider_lanes.h).
 */
#include "provider_lanes.h"

#include <stdlib.h>
#include <string.h>

bool provider_lanes_plan(const char *const *agbs, size_t n, size_t n_lanes, size_t *lane_of)
{
    if (n_lanes == 0)
        n_lanes = 1;
    /* The providers seen so far and their lanes: a file holds at most a few hundred
     * providers, so a linear search costs less than the submissions' own work. */
    const char **seen = calloc(n ? n : 1, sizeof *seen);
    if (!seen)
        return false;
    size_t n_seen = 0;
    for (size_t i = 0; i < n; i++) {
        size_t p = 0;
        while (p < n_seen && strcmp(seen[p], agbs[i]) != 0)
            p++;
        if (p == n_seen)
            seen[n_seen++] = agbs[i];
        lane_of[i] = p % n_lanes;
    }
    free(seen);
    return true;
}
