/*
 * check_provider_lanes.c: Check suite for lib/provider_lanes.c: every provider's
 * submissions in one lane, providers spread in turn by first appearance.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "provider_lanes.h"
#include "unit_runner.h"

#define A "41000001"
#define B "73412303"
#define C "41152568"

START_TEST(each_provider_keeps_one_lane)
{
    const char *agbs[] = {A, B, C, A, B, C, A, A, B};
    size_t lane[9];
    ck_assert(provider_lanes_plan(agbs, 9, 2, lane));
    /* A first, B second, C third: lanes 0, 1, 0. */
    const size_t want[9] = {0, 1, 0, 0, 1, 0, 0, 0, 1};
    for (size_t i = 0; i < 9; i++)
        ck_assert_uint_eq(lane[i], want[i]);
}
END_TEST

START_TEST(as_many_lanes_as_providers)
{
    const char *agbs[] = {C, B, A, A, C, B};
    size_t lane[6];
    ck_assert(provider_lanes_plan(agbs, 6, 3, lane));
    const size_t want[6] = {0, 1, 2, 2, 0, 1};
    for (size_t i = 0; i < 6; i++)
        ck_assert_uint_eq(lane[i], want[i]);
}
END_TEST

START_TEST(one_lane_or_more_lanes_than_providers)
{
    const char *agbs[] = {A, B, A, B};
    size_t lane[4];
    ck_assert(provider_lanes_plan(agbs, 4, 1, lane));
    for (size_t i = 0; i < 4; i++)
        ck_assert_uint_eq(lane[i], 0);
    ck_assert(provider_lanes_plan(agbs, 4, 16, lane));
    ck_assert_uint_eq(lane[0], 0);
    ck_assert_uint_eq(lane[1], 1);
    ck_assert_uint_eq(lane[2], 0);
    ck_assert_uint_eq(lane[3], 1);
    ck_assert(provider_lanes_plan(agbs, 4, 0, lane)); /* 0 lanes counts as 1 */
    ck_assert_uint_eq(lane[1], 0);
    ck_assert(provider_lanes_plan(NULL, 0, 2, lane)); /* an empty file */
}
END_TEST

START_TEST(equal_text_not_equal_pointers)
{
    /* Providers are compared by their AGB text, not by where it is stored. */
    char a1[] = A, a2[] = A, b1[] = B;
    const char *agbs[] = {a1, b1, a2};
    size_t lane[3];
    ck_assert(provider_lanes_plan(agbs, 3, 2, lane));
    ck_assert_uint_eq(lane[0], lane[2]);
    ck_assert_uint_ne(lane[0], lane[1]);
}
END_TEST

START_TEST(many_providers_spread_evenly)
{
    enum { N = 700, PROVIDERS = 70, LANES = 4 };
    char names[PROVIDERS][9];
    const char *agbs[N];
    for (int p = 0; p < PROVIDERS; p++)
        snprintf(names[p], sizeof names[p], "%08d", 41000000 + p);
    for (int i = 0; i < N; i++)
        agbs[i] = names[(i * 3) % PROVIDERS]; /* 3 and 70 share no factor: all 70 */
    size_t lane[N], per_lane[LANES] = {0};
    ck_assert(provider_lanes_plan(agbs, N, LANES, lane));
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < i; j++)
            if (strcmp(agbs[i], agbs[j]) == 0)
                ck_assert_uint_eq(lane[i], lane[j]);
        per_lane[lane[i]]++;
    }
    for (int l = 0; l < LANES; l++) /* 70 providers of 10 each: 18, 18, 17, 17 providers */
        ck_assert(per_lane[l] == 170 || per_lane[l] == 180);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("provider_lanes");
    TCase *tc = tcase_create("plan");
    tcase_add_test(tc, each_provider_keeps_one_lane);
    tcase_add_test(tc, as_many_lanes_as_providers);
    tcase_add_test(tc, one_lane_or_more_lanes_than_providers);
    tcase_add_test(tc, equal_text_not_equal_pointers);
    tcase_add_test(tc, many_providers_spread_evenly);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
