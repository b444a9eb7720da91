/*
 * check_refdata.c: Check suite for lib/refdata.c: adders copy and check their records,
 * refdata_seal() orders groups and holidays, and every lookup finds exactly what its
 * key, year or date range says and nothing else.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "refdata.h"
#include "unit_runner.h"

static lv_date ymd(int y, int m, int d)
{
    return lv_date_from_ymd(y, m, d);
}

static refdata *rd;

static void setup(void)
{
    rd = refdata_new();
    ck_assert_ptr_nonnull(rd);
}

static void teardown(void)
{
    refdata_free(rd);
}

/* ---- target groups: added out of order, sealed into contract order ---- */

static const struct {
    const char *code;
    int order;
} groups_added[] = {
    {"MSP", 5}, {"LBS", 6}, {"KOR", 0}, {"NAHP", 4}, {"GPP", 2}, {"DZEP", 3}, {"HUN", 1},
};
static const char *const groups_sealed[] = {"KOR", "HUN", "GPP", "DZEP", "NAHP", "MSP", "LBS"};

static void add_groups(void)
{
    for (int i = 0; i < N_CASES(groups_added); i++) {
        ref_target_group g = {.ca_from = ymd(2025, 1, 1), .ca_to = LV_DATE_NONE};
        snprintf(g.code, sizeof g.code, "%s", groups_added[i].code);
        snprintf(g.name, sizeof g.name, "group %s", groups_added[i].code);
        g.order = groups_added[i].order;
        ck_assert(refdata_add_target_group(rd, &g));
    }
    refdata_seal(rd);
}

START_TEST(test_group_order)
{
    add_groups();
    ck_assert_uint_eq(refdata_target_group_count(rd), 7);
    const ref_target_group *g = refdata_target_group_at(rd, (size_t)_i);
    ck_assert_ptr_nonnull(g);
    ck_assert_str_eq(g->code, groups_sealed[_i]);
    ck_assert_int_eq(g->order, _i);
    ck_assert_ptr_eq(refdata_target_group(rd, groups_sealed[_i]), g);
}
END_TEST

START_TEST(test_group_misses)
{
    add_groups();
    ck_assert_ptr_null(refdata_target_group_at(rd, 7));
    ck_assert_ptr_null(refdata_target_group(rd, "kor")); /* codes are case-sensitive */
    ck_assert_ptr_null(refdata_target_group(rd, "KO"));
    ck_assert_ptr_null(refdata_target_group(rd, ""));
    ck_assert_ptr_null(refdata_target_group(rd, NULL));
}
END_TEST

/* ---- prestaties per year ---- */

static void add_prestatie(int year, const char *code, int64_t tariff)
{
    ref_prestatie p = {
        .year = year, .kind = PRESTATIE_TIME, .tariff_cents = tariff, .rate_applies = true};
    snprintf(p.code, sizeof p.code, "%s", code);
    snprintf(p.target_group, sizeof p.target_group, "KOR");
    ck_assert(refdata_add_prestatie(rd, &p));
}

typedef struct {
    int year;
    const char *code;
    int64_t tariff; /* -1: not found for that year */
    bool any_year;
} prestatie_case;

static const prestatie_case prestatie_cases[] = {
    {2025, "CAKOR", 11500, true}, {2026, "CAKOR", 12000, true}, {2024, "CAKOR", -1, true},
    {2025, "CAHUN", 11000, true}, {2026, "CAHUN", -1, true},    {2026, "XXXXX", -1, false},
    {2026, "CAKO", -1, false},    {2026, "", -1, false},
};

START_TEST(test_prestatie)
{
    const prestatie_case *c = &prestatie_cases[_i];
    add_prestatie(2025, "CAKOR", 11500);
    add_prestatie(2026, "CAKOR", 12000);
    add_prestatie(2025, "CAHUN", 11000);
    refdata_seal(rd);
    const ref_prestatie *p = refdata_prestatie(rd, c->year, c->code);
    if (c->tariff < 0) {
        ck_assert_ptr_null(p);
    } else {
        ck_assert_ptr_nonnull(p);
        ck_assert_int_eq(p->tariff_cents, c->tariff);
        ck_assert_int_eq(p->year, c->year);
    }
    ck_assert(refdata_prestatie_known_any_year(rd, c->code) == c->any_year);
}
END_TEST

/* ---- providers, many of them, to make the arrays grow ---- */

START_TEST(test_providers_grow)
{
    enum { N = 1000 };
    for (int i = 0; i < N; i++) {
        ref_provider p = {0};
        snprintf(p.agb, sizeof p.agb, "%08d", 41000000 + i);
        snprintf(p.name, sizeof p.name, "Provider %d", i);
        snprintf(p.zorgkantoor, sizeof p.zorgkantoor, "%04d", 5501 + i % 33);
        ck_assert(refdata_add_provider(rd, &p));
    }
    refdata_seal(rd);
    ck_assert_uint_eq(refdata_provider_count(rd), N);
    for (int i = 0; i < N; i++) {
        char agb[9];
        snprintf(agb, sizeof agb, "%08d", 41000000 + i);
        const ref_provider *p = refdata_provider(rd, agb);
        ck_assert_ptr_nonnull(p);
        ck_assert_ptr_eq(refdata_provider_at(rd, (size_t)i), p); /* the order added */
        ck_assert_int_eq(atoi(p->zorgkantoor), 5501 + i % 33);
    }
    ck_assert_ptr_null(refdata_provider(rd, "41001000"));
    ck_assert_ptr_null(refdata_provider_at(rd, N));
}
END_TEST

/* ---- designations: inclusive ends, open ends ---- */

typedef struct {
    const char *agb, *group;
    lv_date day;
    int want; /* index of the designation added below, -1 for none */
} designation_case;

static void add_designation(const char *agb, const char *group, lv_date from, lv_date to)
{
    ref_designation d = {.kind = CENTRE_REC, .valid_from = from, .valid_to = to};
    snprintf(d.agb, sizeof d.agb, "%s", agb);
    snprintf(d.target_group, sizeof d.target_group, "%s", group);
    ck_assert(refdata_add_designation(rd, &d));
}

START_TEST(test_designation)
{
    /* 0: KOR from 2025-01-01, open; 1: HUN for 2025 only; 2: GPP with an open start */
    add_designation("41000001", "KOR", ymd(2025, 1, 1), LV_DATE_NONE);
    add_designation("41000001", "HUN", ymd(2025, 1, 1), ymd(2025, 12, 31));
    add_designation("41000002", "GPP", LV_DATE_NONE, ymd(2025, 6, 30));
    refdata_seal(rd);
    const designation_case cases[] = {
        {"41000001", "KOR", ymd(2025, 1, 1), 0},    {"41000001", "KOR", ymd(2099, 1, 1), 0},
        {"41000001", "KOR", ymd(2024, 12, 31), -1}, {"41000001", "HUN", ymd(2025, 12, 31), 1},
        {"41000001", "HUN", ymd(2026, 1, 1), -1},   {"41000002", "GPP", ymd(1990, 1, 1), 2},
        {"41000002", "GPP", ymd(2025, 6, 30), 2},   {"41000002", "GPP", ymd(2025, 7, 1), -1},
        {"41000002", "KOR", ymd(2025, 3, 1), -1},   {"41000003", "KOR", ymd(2025, 3, 1), -1},
        {"41000001", "KOR", LV_DATE_NONE, -1},
    };
    for (int i = 0; i < N_CASES(cases); i++) {
        const designation_case *c = &cases[i];
        const ref_designation *d = refdata_designation(rd, c->agb, c->group, c->day);
        if (c->want < 0) {
            ck_assert_msg(d == NULL, "case %d: unexpected designation", i);
            continue;
        }
        ck_assert_msg(d != NULL, "case %d: no designation", i);
        ck_assert_str_eq(d->target_group, c->group);
        ck_assert_str_eq(d->agb, c->agb);
    }
}
END_TEST

/* A period must lie within one designation; two that join up do not make one. */
START_TEST(test_designation_covering)
{
    add_designation("41000001", "KOR", ymd(2026, 1, 1), ymd(2026, 10, 15));
    add_designation("41000001", "KOR", ymd(2026, 10, 16), LV_DATE_NONE);
    add_designation("41000001", "HUN", LV_DATE_NONE, ymd(2026, 6, 30));
    refdata_seal(rd);
    const struct {
        const char *group;
        lv_date from, to;
        bool covered;
    } cases[] = {
        {"KOR", ymd(2026, 10, 1), ymd(2026, 10, 15), true},
        {"KOR", ymd(2026, 10, 16), ymd(2026, 10, 31), true},
        {"KOR", ymd(2026, 10, 1), ymd(2026, 10, 31), false}, /* two designations */
        {"KOR", ymd(2025, 12, 31), ymd(2026, 1, 1), false},
        {"HUN", ymd(2026, 6, 1), ymd(2026, 6, 30), true},
        {"HUN", ymd(2026, 6, 1), ymd(2026, 7, 1), false},
        {"KOR", ymd(2026, 10, 5), ymd(2026, 10, 1), false}, /* backwards */
        {"KOR", LV_DATE_NONE, ymd(2026, 10, 1), false},
        {"GPP", ymd(2026, 10, 1), ymd(2026, 10, 2), false},
    };
    for (int i = 0; i < N_CASES(cases); i++) {
        const ref_designation *d = refdata_designation_covering(rd, "41000001", cases[i].group,
                                                                cases[i].from, cases[i].to);
        ck_assert_msg((d != NULL) == cases[i].covered, "case %d", i);
    }
}
END_TEST

/* ---- rates, time units, holidays ---- */

START_TEST(test_rate_and_time_unit)
{
    ref_rate r25 = {"41000001", 2025, 9800}, r26 = {"41000001", 2026, 9550};
    ck_assert(refdata_add_rate(rd, &r25) && refdata_add_rate(rd, &r26));
    ref_time_unit minute = {"01", 1}, hour = {"02", 60};
    ck_assert(refdata_add_time_unit(rd, &minute) && refdata_add_time_unit(rd, &hour));
    refdata_seal(rd);
    ck_assert_int_eq(refdata_rate(rd, "41000001", 2025)->rate_bp, 9800);
    ck_assert_int_eq(refdata_rate(rd, "41000001", 2026)->rate_bp, 9550);
    ck_assert_ptr_null(refdata_rate(rd, "41000001", 2027));
    ck_assert_ptr_null(refdata_rate(rd, "41000002", 2026));
    ck_assert_int_eq(refdata_time_unit(rd, "01")->minutes, 1);
    ck_assert_int_eq(refdata_time_unit(rd, "02")->minutes, 60);
    ck_assert_ptr_null(refdata_time_unit(rd, "03"));
    ck_assert_ptr_null(refdata_time_unit(rd, ""));
}
END_TEST

START_TEST(test_holidays_sorted_unique)
{
    const lv_date added[] = {ymd(2026, 12, 25), ymd(2026, 1, 1), ymd(2026, 4, 27), ymd(2026, 1, 1),
                             ymd(2025, 12, 26)};
    const lv_date want[] = {ymd(2025, 12, 26), ymd(2026, 1, 1), ymd(2026, 4, 27),
                            ymd(2026, 12, 25)};
    for (int i = 0; i < N_CASES(added); i++)
        ck_assert(refdata_add_holiday(rd, added[i]));
    refdata_seal(rd);
    size_t n = 99;
    const lv_date *got = refdata_holidays(rd, &n);
    ck_assert_uint_eq(n, N_CASES(want));
    for (int i = 0; i < N_CASES(want); i++)
        ck_assert_int_eq(got[i], want[i]);
}
END_TEST

START_TEST(test_empty_set)
{
    refdata_seal(rd);
    size_t n = 99;
    refdata_holidays(rd, &n);
    ck_assert_uint_eq(n, 0);
    ck_assert_uint_eq(refdata_target_group_count(rd), 0);
    ck_assert_ptr_null(refdata_target_group_at(rd, 0));
    ck_assert_ptr_null(refdata_prestatie(rd, 2026, "CAKOR"));
    ck_assert(!refdata_prestatie_known_any_year(rd, "CAKOR"));
    refdata_free(NULL); /* accepted */
}
END_TEST

/* ---- adders refuse unusable records ---- */

START_TEST(test_adders_refuse)
{
    ref_target_group g = {.ca_from = LV_DATE_NONE, .ca_to = LV_DATE_NONE};
    memset(g.code, 'K', sizeof g.code); /* no terminating NUL inside the array */
    ck_assert(!refdata_add_target_group(rd, &g));
    ref_target_group empty = {.ca_from = LV_DATE_NONE, .ca_to = LV_DATE_NONE};
    ck_assert(!refdata_add_target_group(rd, &empty));

    ref_prestatie p = {.year = 2026, .code = "CAKOR", .target_group = "KOR", .tariff_cents = -1};
    ck_assert(!refdata_add_prestatie(rd, &p));
    p.tariff_cents = 0;
    memset(p.target_group, 'X', sizeof p.target_group);
    ck_assert(!refdata_add_prestatie(rd, &p));

    ref_provider pr = {.agb = "41000001", .zorgkantoor = "5501"};
    memset(pr.name, 'n', sizeof pr.name);
    ck_assert(!refdata_add_provider(rd, &pr));

    ref_rate r = {"41000001", 2026, -1};
    ck_assert(!refdata_add_rate(rd, &r));
    ref_time_unit u = {"03", 0};
    ck_assert(!refdata_add_time_unit(rd, &u));
    ck_assert(!refdata_add_holiday(rd, LV_DATE_NONE));

    refdata_seal(rd);
    ck_assert_uint_eq(refdata_target_group_count(rd), 0);
    ck_assert_uint_eq(refdata_provider_count(rd), 0);
    ck_assert(!refdata_prestatie_known_any_year(rd, "CAKOR"));
    ck_assert_ptr_null(refdata_rate(rd, "41000001", 2026));
    ck_assert_ptr_null(refdata_time_unit(rd, "03"));
}
END_TEST

/* The adders copy: changing the caller's struct afterwards changes nothing stored. */
START_TEST(test_adders_copy)
{
    ref_provider p = {.agb = "41000001", .name = "Original", .zorgkantoor = "5501"};
    ck_assert(refdata_add_provider(rd, &p));
    snprintf(p.name, sizeof p.name, "Changed");
    snprintf(p.agb, sizeof p.agb, "41000009");
    ck_assert_str_eq(refdata_provider(rd, "41000001")->name, "Original");
    ck_assert_ptr_null(refdata_provider(rd, "41000009"));
}
END_TEST

static Suite *refdata_suite(void)
{
    Suite *s = suite_create("refdata");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_group_order, 0, N_CASES(groups_sealed));
    tcase_add_test(tc, test_group_misses);
    tcase_add_loop_test(tc, test_prestatie, 0, N_CASES(prestatie_cases));
    tcase_add_test(tc, test_providers_grow);
    tcase_add_test(tc, test_designation);
    tcase_add_test(tc, test_designation_covering);
    tcase_add_test(tc, test_rate_and_time_unit);
    tcase_add_test(tc, test_holidays_sorted_unique);
    tcase_add_test(tc, test_empty_set);
    tcase_add_test(tc, test_adders_refuse);
    tcase_add_test(tc, test_adders_copy);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(refdata_suite)
