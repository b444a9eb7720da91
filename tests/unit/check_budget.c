/*
 * check_budget.c: Check suite for lib/budget.c. A small hand-made year (2026: three
 * providers, two of the six groups with spend, four service months, one correction, one
 * provider missing a due month) is computed and every breakdown is compared with values
 * worked out by hand in the comments, so that the parts must add up to the whole. Also the
 * profile and its single rounding, the deadlines, unknown groups, extra caps, an empty
 * year, and refused inputs.
 */
#include <stdint.h>
#include <string.h>

#include "budget.h"
#include "unit_runner.h"

#define P1 "41000001"
#define P2 "41000002"
#define P3 "41000003"

static const budget_group_def contract_groups[] = {
    {"KOR", "Korsakov"},
    {"HUN", "Huntington"},
    {"GPP", "Gerontopsychiatrie (GP+)"},
    {"DZEP", "Dementie met zeer ernstig probleemgedrag"},
    {"NAHP", "Niet-aangeboren hersenletsel (NAH+)"},
    {"MSP", "Multiple sclerose (MS+)"},
};

/*
 * The small year. Amounts in cents.
 *   Jan: P1 KOR 100000 (120 min) | P2 HUN 50000 (60 min, travel 5000)
 *   Feb: P1 KOR 120000 (150) and a credit -20000 (-30) | P2 HUN 60000 (70, travel 2000)
 *        | P3 KOR 30000 (40)
 *   Mar: P1 KOR 80000 (100) | P1 HUN 20000 (25) | P3 KOR 40000 (50)     -- P2 silent
 *   Apr: P2 HUN 70000 (80) and a second row with the same keys 5000 (5)
 * Month totals: Jan 150000, Feb 190000, Mar 140000, Apr 75000; total 555000.
 * KOR = 100000+100000+30000+80000+40000 = 350000; HUN = 50000+60000+20000+75000 = 205000.
 */
static const budget_fact small_facts[] = {
    {1, "KOR", P1, "5501", 100000, 120, 0},  {1, "HUN", P2, "5502", 50000, 60, 5000},
    {2, "KOR", P1, "5501", 120000, 150, 0},  {2, "KOR", P1, "5501", -20000, -30, 0},
    {2, "HUN", P2, "5502", 60000, 70, 2000}, {2, "KOR", P3, "5503", 30000, 40, 0},
    {3, "KOR", P1, "5501", 80000, 100, 0},   {3, "HUN", P1, "5501", 20000, 25, 0},
    {3, "KOR", P3, "5503", 40000, 50, 0},    {4, "HUN", P2, "5502", 70000, 80, 0},
    {4, "HUN", P2, "5502", 5000, 5, 0},
};

/* P1 and P2 designated January to April, P3 from February. */
static const budget_provider_month small_expected[] = {
    {P1, 1}, {P1, 2}, {P1, 3}, {P1, 4}, {P2, 1}, {P2, 2},
    {P2, 3}, {P2, 4}, {P3, 2}, {P3, 3}, {P3, 4},
};

/* P3 sent April but every line was rejected: declared, without facts. */
static const budget_provider_month small_declared[] = {{P3, 4}};

/*
 * as_of 2026-05-10 with deadlines of 17 working days (no holidays): Jan -> 02-24,
 * Feb -> 03-24, Mar -> 04-23, Apr -> 05-25. So January..March are complete, April is not.
 */
static void small_input(budget_input *in)
{
    memset(in, 0, sizeof *in);
    in->year = 2026;
    in->cap_cents = 450000000;
    in->as_of = lv_date_from_ymd(2026, 5, 10);
    budget_deadlines(2026, 17, NULL, 0, in->deadlines);
    in->groups = contract_groups;
    in->n_groups = N_CASES(contract_groups);
    in->facts = small_facts;
    in->n_facts = N_CASES(small_facts);
    in->expected = small_expected;
    in->n_expected = N_CASES(small_expected);
    in->declared = small_declared;
    in->n_declared = N_CASES(small_declared);
}

static budget_status *small_status(void)
{
    budget_input in;
    small_input(&in);
    lv_error err;
    budget_status *st = budget_status_new(&in, &err);
    ck_assert_msg(st != NULL, "budget_status_new failed: %s", err.message);
    return st;
}

START_TEST(test_small_year_totals)
{
    budget_status *st = small_status();
    ck_assert_int_eq(st->year, 2026);
    ck_assert_int_eq(st->cap_cents, 450000000);
    ck_assert_int_eq(st->spent_cents, 555000);
    ck_assert_int_eq(st->remaining_cents, 450000000 - 555000);
    /* minutes 120+60+150-30+70+40+100+25+50+80+5 = 670; travel 5000+2000 */
    ck_assert_int_eq(st->minutes, 670);
    ck_assert_int_eq(st->travel_cents, 7000);
    ck_assert_int_eq(st->complete_months, 3);
    /* Jan..Mar: 150000 + 190000 + 140000 */
    ck_assert_int_eq(st->spent_complete_cents, 480000);
    /* 450000000 * 90 / 365 = 110958904.109... -> 110958904 (through 2026-03-31) */
    ck_assert_int_eq(st->profile_through, lv_date_from_ymd(2026, 3, 31));
    ck_assert_int_eq(st->profile_ytd_cents, 110958904);
    ck_assert(st->spent_ratio > 555000.0 / 450000000.0 - 1e-12 &&
              st->spent_ratio < 555000.0 / 450000000.0 + 1e-12);
    budget_status_free(st);
}
END_TEST

typedef struct {
    int month;
    money_cents spent, cumulative;
    int declared, expected, missing;
    bool complete;
} month_case;

static const month_case small_months[] = {
    {1, 150000, 150000, 2, 2, 0, true}, /* P1, P2 */
    {2, 190000, 340000, 3, 3, 0, true}, /* P1, P2, P3 */
    {3, 140000, 480000, 2, 3, 1, true}, /* P1, P3 declared; P2 missing */
    {4, 75000, 555000, 2, 3, 0, false}, /* P2, P3 (list); P1 not yet: not complete */
    {5, 0, 555000, 0, 0, 0, false},     {12, 0, 555000, 0, 0, 0, false},
};

START_TEST(test_small_year_months)
{
    const month_case *c = &small_months[_i];
    budget_status *st = small_status();
    const budget_month *m = &st->months[c->month - 1];
    ck_assert_int_eq(m->month, c->month);
    ck_assert_int_eq(m->spent_cents, c->spent);
    ck_assert_int_eq(m->cumulative_cents, c->cumulative);
    ck_assert_int_eq(m->providers_declared, c->declared);
    ck_assert_int_eq(m->providers_expected, c->expected);
    ck_assert_int_eq(m->providers_missing, c->missing);
    ck_assert_int_eq(m->complete, c->complete);
    budget_status_free(st);
}
END_TEST

typedef struct {
    const char *code;
    money_cents spent;
    int64_t minutes;
    money_cents travel;
    size_t n_providers;
    money_cents mar; /* spend in March */
} group_case;

/* In contract order; all six present although four have no spend. */
static const group_case small_groups[] = {
    {"KOR", 350000, 430, 0, 2, 120000},   /* 120+150-30+40+100+50 min; P1, P3 */
    {"HUN", 205000, 240, 7000, 2, 20000}, /* 60+70+25+80+5 min; P1, P2 */
    {"GPP", 0, 0, 0, 0, 0},
    {"DZEP", 0, 0, 0, 0, 0},
    {"NAHP", 0, 0, 0, 0, 0},
    {"MSP", 0, 0, 0, 0, 0},
};

START_TEST(test_small_year_groups)
{
    const group_case *c = &small_groups[_i];
    budget_status *st = small_status();
    ck_assert_int_eq(st->n_groups, 6);
    const budget_group *g = &st->groups[_i];
    ck_assert_str_eq(g->code, c->code);
    ck_assert_str_eq(g->name, contract_groups[_i].name);
    ck_assert(g->in_contract);
    ck_assert_int_eq(g->spent_cents, c->spent);
    ck_assert_int_eq(g->minutes, c->minutes);
    ck_assert_int_eq(g->travel_cents, c->travel);
    ck_assert_int_eq(g->n_providers, c->n_providers);
    ck_assert_int_eq(g->month_spent_cents[2], c->mar);
    double share = (double)c->spent / 555000.0;
    ck_assert(g->share_ratio > share - 1e-12 && g->share_ratio < share + 1e-12);
    budget_status_free(st);
}
END_TEST

/* The parts add up to the whole along every dimension. */
START_TEST(test_small_year_adds_up)
{
    budget_status *st = small_status();
    money_cents groups = 0, providers = 0, zks = 0, months = 0, gp = 0;
    int64_t minutes = 0;
    double shares = 0;
    for (size_t i = 0; i < st->n_groups; i++) {
        groups += st->groups[i].spent_cents;
        minutes += st->groups[i].minutes;
        shares += st->groups[i].share_ratio;
        for (size_t j = 0; j < st->groups[i].n_providers; j++)
            gp += st->groups[i].providers[j].spent_cents;
    }
    for (size_t i = 0; i < st->n_providers; i++)
        providers += st->providers[i].spent_cents;
    for (size_t i = 0; i < st->n_zorgkantoren; i++)
        zks += st->zorgkantoren[i].spent_cents;
    for (int m = 0; m < BUDGET_MONTHS; m++)
        months += st->months[m].spent_cents;
    ck_assert_int_eq(groups, st->spent_cents);
    ck_assert_int_eq(providers, st->spent_cents);
    ck_assert_int_eq(zks, st->spent_cents);
    ck_assert_int_eq(months, st->spent_cents);
    ck_assert_int_eq(gp, st->spent_cents);
    ck_assert_int_eq(minutes, st->minutes);
    ck_assert(shares > 1.0 - 1e-9 && shares < 1.0 + 1e-9);
    ck_assert_int_eq(st->months[11].cumulative_cents, st->spent_cents);
    budget_status_free(st);
}
END_TEST

typedef struct {
    const char *agb;
    money_cents spent;
    int64_t minutes;
    int last;
    uint16_t declared, expected, missing;
    int n_missing;
    money_cents feb;
} provider_case;

/* Bit m-1 stands for month m. */
static const provider_case small_providers[] = {
    /* 100000 + (120000-20000) + 80000 + 20000; 120+120+100+25 min */
    {P1, 300000, 365, 3, 0x7, 0xF, 0x0, 0, 100000},
    /* 50000 + 60000 + 75000; 60+70+85 min; March due and not declared */
    {P2, 185000, 215, 4, 0xB, 0xF, 0x4, 1, 60000},
    /* 30000 + 40000; 40+50 min; April declared through the list only */
    {P3, 70000, 90, 4, 0xE, 0xE, 0x0, 0, 30000},
};

START_TEST(test_small_year_providers)
{
    const provider_case *c = &small_providers[_i];
    budget_status *st = small_status();
    ck_assert_int_eq(st->n_providers, 3);
    const budget_provider *p = &st->providers[_i]; /* sorted by AGB */
    ck_assert_str_eq(p->agb, c->agb);
    ck_assert_ptr_eq(budget_status_provider(st, c->agb), p);
    ck_assert_int_eq(p->spent_cents, c->spent);
    ck_assert_int_eq(p->minutes, c->minutes);
    ck_assert_int_eq(p->last_month_declared, c->last);
    ck_assert_uint_eq(p->months_declared, c->declared);
    ck_assert_uint_eq(p->months_expected, c->expected);
    ck_assert_uint_eq(p->months_missing, c->missing);
    ck_assert_int_eq(p->n_missing, c->n_missing);
    ck_assert_int_eq(p->month_spent_cents[1], c->feb);
    budget_status_free(st);
}
END_TEST

START_TEST(test_small_year_zorgkantoren_and_group_providers)
{
    budget_status *st = small_status();
    ck_assert_int_eq(st->n_zorgkantoren, 3);
    /* 5501 carries all of P1 (300000), 5502 P2, 5503 P3. */
    ck_assert_str_eq(st->zorgkantoren[0].code, "5501");
    ck_assert_int_eq(st->zorgkantoren[0].spent_cents, 300000);
    ck_assert_str_eq(st->zorgkantoren[1].code, "5502");
    ck_assert_int_eq(st->zorgkantoren[1].spent_cents, 185000);
    ck_assert_int_eq(st->zorgkantoren[1].travel_cents, 7000);
    ck_assert_str_eq(st->zorgkantoren[2].code, "5503");
    ck_assert_int_eq(st->zorgkantoren[2].spent_cents, 70000);
    /* KOR: P1 100000+100000+80000 = 280000 (340 min), P3 70000 (90 min). */
    const budget_group *kor = budget_status_group(st, "KOR");
    ck_assert_ptr_nonnull(kor);
    ck_assert_str_eq(kor->providers[0].agb, P1);
    ck_assert_int_eq(kor->providers[0].spent_cents, 280000);
    ck_assert_int_eq(kor->providers[0].minutes, 340);
    ck_assert_str_eq(kor->providers[1].agb, P3);
    ck_assert_int_eq(kor->providers[1].spent_cents, 70000);
    /* HUN: P1 20000, P2 185000. */
    const budget_group *hun = budget_status_group(st, "HUN");
    ck_assert_str_eq(hun->providers[0].agb, P1);
    ck_assert_int_eq(hun->providers[0].spent_cents, 20000);
    ck_assert_str_eq(hun->providers[1].agb, P2);
    ck_assert_int_eq(hun->providers[1].spent_cents, 185000);
    ck_assert_ptr_null(budget_status_group(st, "LBS"));
    ck_assert_ptr_null(budget_status_provider(st, "41000009"));
    budget_status_free(st);
}
END_TEST

typedef struct {
    budget_scope scope;
    const char *key;
    money_cents cap, spent, remaining;
} extra_case;

static const extra_case extra_cases[] = {
    {BUDGET_SCOPE_TARGET_GROUP, "KOR", 300000, 350000, -50000}, /* over: negative remaining */
    {BUDGET_SCOPE_PROVIDER, P2, 200000, 185000, 15000},
    {BUDGET_SCOPE_PROVIDER, "41000009", 100000, 0, 100000}, /* no spend at all */
    {BUDGET_SCOPE_TARGET_GROUP, "MSP", 100000, 0, 100000},
};

START_TEST(test_extra_caps)
{
    budget_extra_cap caps[N_CASES(extra_cases)];
    for (int i = 0; i < N_CASES(extra_cases); i++)
        caps[i] = (budget_extra_cap){extra_cases[i].scope, extra_cases[i].key, extra_cases[i].cap};
    budget_input in;
    small_input(&in);
    in.extra_caps = caps;
    in.n_extra_caps = N_CASES(extra_cases);
    budget_status *st = budget_status_new(&in, NULL);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(st->n_extra_caps, N_CASES(extra_cases));
    for (int i = 0; i < N_CASES(extra_cases); i++) {
        const budget_extra_cap_status *e = &st->extra_caps[i];
        ck_assert_int_eq(e->scope, extra_cases[i].scope);
        ck_assert_str_eq(e->key, extra_cases[i].key);
        ck_assert_int_eq(e->cap_cents, extra_cases[i].cap);
        ck_assert_int_eq(e->spent_cents, extra_cases[i].spent);
        ck_assert_int_eq(e->remaining_cents, extra_cases[i].remaining);
        double r = (double)extra_cases[i].spent / (double)extra_cases[i].cap;
        ck_assert(e->ratio > r - 1e-12 && e->ratio < r + 1e-12);
    }
    budget_status_free(st);
}
END_TEST

/* A code outside the contract is never dropped: its money joins the total and it gets a
 * group of its own after the contract's groups. */
START_TEST(test_unknown_group_kept)
{
    static const budget_fact facts[] = {
        {1, "KOR", P1, "5501", 1000, 10, 0},
        {1, "ZZZ", P1, "5501", 500, 5, 0},
        {2, "AAA", P2, "", 250, 0, 0},
    };
    budget_input in;
    small_input(&in);
    in.facts = facts;
    in.n_facts = N_CASES(facts);
    budget_status *st = budget_status_new(&in, NULL);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(st->spent_cents, 1750);
    ck_assert_int_eq(st->n_groups, 8);
    ck_assert_str_eq(st->groups[0].code, "KOR");
    ck_assert_str_eq(st->groups[6].code, "AAA");
    ck_assert(!st->groups[6].in_contract);
    ck_assert_int_eq(st->groups[6].spent_cents, 250);
    ck_assert_str_eq(st->groups[7].code, "ZZZ");
    ck_assert_int_eq(st->groups[7].spent_cents, 500);
    /* A row without a zorgkantoor is collected under "". */
    ck_assert_str_eq(st->zorgkantoren[0].code, "");
    ck_assert_int_eq(st->zorgkantoren[0].spent_cents, 250);
    budget_status_free(st);
}
END_TEST

/* Complete months count from January without a gap: were February's deadline later than
 * March's, March would be complete on its own (and its missing providers reported), but
 * the profile and spent_complete stop after January, so the two stay like with like. */
START_TEST(test_complete_months_are_a_prefix)
{
    budget_input in;
    small_input(&in);
    in.deadlines[1] = lv_date_from_ymd(2026, 6, 30);
    budget_status *st = budget_status_new(&in, NULL);
    ck_assert_ptr_nonnull(st);
    ck_assert(!st->months[1].complete);
    ck_assert(st->months[2].complete);
    ck_assert_int_eq(st->complete_months, 1);
    ck_assert_int_eq(st->spent_complete_cents, 150000);
    ck_assert_int_eq(st->profile_ytd_cents, 38219178); /* through January */
    ck_assert_int_eq(st->months[2].providers_missing, 1);
    budget_status_free(st);
}
END_TEST

/* No facts at all: all six groups and twelve months are there, at zero. */
START_TEST(test_empty_year)
{
    budget_input in;
    small_input(&in);
    in.facts = NULL;
    in.n_facts = 0;
    in.expected = NULL;
    in.n_expected = 0;
    in.declared = NULL;
    in.n_declared = 0;
    budget_status *st = budget_status_new(&in, NULL);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(st->spent_cents, 0);
    ck_assert_int_eq(st->remaining_cents, 450000000);
    ck_assert_int_eq(st->n_groups, 6);
    ck_assert_int_eq(st->n_providers, 0);
    ck_assert_int_eq(st->n_zorgkantoren, 0);
    for (size_t i = 0; i < st->n_groups; i++) {
        ck_assert_int_eq(st->groups[i].spent_cents, 0);
        ck_assert(st->groups[i].share_ratio == 0.0);
    }
    for (int m = 0; m < BUDGET_MONTHS; m++)
        ck_assert_int_eq(st->months[m].month, m + 1);
    ck_assert_int_eq(st->profile_ytd_cents, 110958904); /* the profile does not need spend */
    budget_status_free(st);
}
END_TEST

typedef struct {
    int as_y, as_m, as_d;
    int complete;
    int through_m; /* 0: none */
    money_cents profile;
} asof_case;

/* Cap 450000000 in 2026, deadlines of 17 working days. */
static const asof_case asof_cases[] = {
    {2026, 2, 24, 0, 0, 0},           /* January's deadline day itself: not yet complete */
    {2026, 2, 25, 1, 1, 38219178},    /* 450000000 * 31 / 365 = 38219178.08 */
    {2026, 3, 25, 2, 2, 72739726},    /* * 59 / 365 = 72739726.03 */
    {2025, 12, 31, 0, 0, 0},          /* before the year */
    {2027, 1, 25, 11, 11, 411780822}, /* Dec deadline 2027-01-25: * 334 / 365 = 411780821.9 */
    {2027, 1, 26, 12, 12, 450000000}, /* the whole year: the cap, unrounded */
};

START_TEST(test_as_of_complete_and_profile)
{
    const asof_case *c = &asof_cases[_i];
    budget_input in;
    small_input(&in);
    in.as_of = lv_date_from_ymd(c->as_y, c->as_m, c->as_d);
    budget_status *st = budget_status_new(&in, NULL);
    ck_assert_ptr_nonnull(st);
    ck_assert_int_eq(st->complete_months, c->complete);
    ck_assert_int_eq(st->profile_ytd_cents, c->profile);
    if (c->through_m == 0)
        ck_assert_int_eq(st->profile_through, LV_DATE_NONE);
    else
        ck_assert_int_eq(st->profile_through,
                         lv_date_month_end(lv_date_from_ymd(2026, c->through_m, 1)));
    budget_status_free(st);
}
END_TEST

typedef struct {
    int year;
    money_cents cap;
    int y, m, d;
    money_cents want;
} profile_case;

static const profile_case profile_cases[] = {
    {2026, 450000000, 2026, 1, 31, 38219178},
    {2026, 450000000, 2026, 12, 31, 450000000},
    {2026, 450000000, 2025, 12, 31, 0},
    {2026, 450000000, 2027, 3, 1, 450000000},
    {2024, 366000, 2024, 2, 29, 60000}, /* leap year: 60 of 366 days, exact */
    {2024, 183, 2024, 1, 1, 1},         /* 183 / 366 = 0.5: half rounds away from zero */
    {2024, 183, 2024, 1, 3, 2},         /* 549 / 366 = 1.5 -> 2 */
    {2024, 182, 2024, 1, 1, 0},         /* 182 / 366 = 0.497 -> 0 */
    {2026, 1, 2026, 7, 2, 1},           /* 183 / 365 = 0.501 -> 1 */
};

START_TEST(test_profile)
{
    const profile_case *c = &profile_cases[_i];
    money_cents out = -1;
    ck_assert(budget_profile(c->year, c->cap, lv_date_from_ymd(c->y, c->m, c->d), &out));
    ck_assert_int_eq(out, c->want);
}
END_TEST

START_TEST(test_profile_overflow)
{
    money_cents out = -1;
    ck_assert(!budget_profile(2026, INT64_MAX / 2, lv_date_from_ymd(2026, 6, 1), &out));
    ck_assert_int_eq(out, -1);
}
END_TEST

typedef struct {
    int month;
    int y, m, d;
} deadline_case;

/* 17 working days after the month's end, with 2026-04-06 (Easter Monday) and 2027-01-01
 * as holidays. Jan ends on a Saturday: Feb 2..24 holds 17 working days. Mar 31 is a
 * Tuesday: Apr 1-3 (3), 7-10 (7, the 6th is a holiday), 13-17 (12), 20-24 (17). Dec 31 is
 * a Thursday: Jan 1 is a holiday, Jan 4-8 (5), 11-15 (10), 18-22 (15), 25 (16), 26 (17). */
static const deadline_case deadline_cases[] = {
    {1, 2026, 2, 24},
    {3, 2026, 4, 24},
    {12, 2027, 1, 26},
};

START_TEST(test_deadlines)
{
    const deadline_case *c = &deadline_cases[_i];
    const lv_date holidays[] = {lv_date_from_ymd(2026, 4, 6), lv_date_from_ymd(2027, 1, 1)};
    lv_date out[BUDGET_MONTHS];
    budget_deadlines(2026, 17, holidays, 2, out);
    ck_assert_int_eq(out[c->month - 1], lv_date_from_ymd(c->y, c->m, c->d));
}
END_TEST

typedef struct {
    const char *what;
    budget_fact fact;
    int year;
    money_cents cap;
    lv_code want;
} bad_case;

static const bad_case bad_cases[] = {
    {"month 13", {13, "KOR", P1, "5501", 1, 0, 0}, 2026, 100, LV_INPUT_INVALID},
    {"month 0", {0, "KOR", P1, "5501", 1, 0, 0}, 2026, 100, LV_INPUT_INVALID},
    {"short AGB", {1, "KOR", "4100001", "5501", 1, 0, 0}, 2026, 100, LV_INPUT_INVALID},
    {"AGB with a letter", {1, "KOR", "4100000x", "5501", 1, 0, 0}, 2026, 100, LV_INPUT_INVALID},
    {"zorgkantoor of 3", {1, "KOR", P1, "550", 1, 0, 0}, 2026, 100, LV_INPUT_INVALID},
    {"group code too long", {1, "ABCDEFGH", P1, "5501", 1, 0, 0}, 2026, 100, LV_INPUT_INVALID},
    {"empty group code", {1, "", P1, "5501", 1, 0, 0}, 2026, 100, LV_INPUT_INVALID},
    {"cap 0", {1, "KOR", P1, "5501", 1, 0, 0}, 2026, 0, LV_INPUT_INVALID},
    {"year 1999", {1, "KOR", P1, "5501", 1, 0, 0}, 1999, 100, LV_INPUT_INVALID},
    {"amount overflow",
     {1, "KOR", P1, "5501", INT64_MAX, 0, 0},
     2026,
     100,
     LV_9106_AMOUNT_OVERFLOW},
    {"minutes overflow",
     {1, "KOR", P1, "5501", 0, INT64_MAX, 0},
     2026,
     100,
     LV_9106_AMOUNT_OVERFLOW},
    {"cap - spent (and the profile) overflow",
     {1, "KOR", P1, "5501", INT64_MIN / 2 - 1, 0, 0},
     2026,
     INT64_MAX / 2 + 2,
     LV_9106_AMOUNT_OVERFLOW},
};

/* Each bad fact is sent next to a good one, so a sum overflows only through both. */
START_TEST(test_refused_input)
{
    const bad_case *c = &bad_cases[_i];
    budget_fact facts[2] = {{1, "KOR", P1, "5501", 1, 1, 0}, c->fact};
    budget_input in;
    small_input(&in);
    in.year = c->year;
    in.cap_cents = c->cap;
    in.facts = facts;
    in.n_facts = 2;
    lv_error err = {0};
    budget_status *st = budget_status_new(&in, &err);
    ck_assert_msg(st == NULL, "%s: accepted", c->what);
    ck_assert_int_eq(err.code, c->want);
    ck_assert_msg(err.message[0] != '\0', "%s: no message", c->what);
}
END_TEST

START_TEST(test_refused_structure)
{
    budget_input in;
    small_input(&in);
    in.deadlines[5] = LV_DATE_NONE;
    lv_error err;
    ck_assert_ptr_null(budget_status_new(&in, &err));
    ck_assert_int_eq(err.code, LV_INPUT_INVALID);

    small_input(&in);
    static const budget_group_def twice[] = {{"KOR", "a"}, {"KOR", "b"}};
    in.groups = twice;
    in.n_groups = 2;
    ck_assert_ptr_null(budget_status_new(&in, &err));
    ck_assert_int_eq(err.code, LV_INPUT_INVALID);

    small_input(&in);
    static const budget_extra_cap bad_cap[] = {{BUDGET_SCOPE_PROVIDER, "KOR", 100}};
    in.extra_caps = bad_cap;
    in.n_extra_caps = 1;
    ck_assert_ptr_null(budget_status_new(&in, &err));
    ck_assert_int_eq(err.code, LV_INPUT_INVALID);

    small_input(&in);
    static const budget_provider_month bad_expected[] = {{P1, 13}};
    in.expected = bad_expected;
    in.n_expected = 1;
    ck_assert_ptr_null(budget_status_new(&in, &err));
    ck_assert_int_eq(err.code, LV_INPUT_INVALID);

    ck_assert_ptr_null(budget_status_new(NULL, NULL));
    budget_status_free(NULL);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("budget");
    TCase *tc = tcase_create("small year");
    tcase_add_test(tc, test_small_year_totals);
    tcase_add_loop_test(tc, test_small_year_months, 0, N_CASES(small_months));
    tcase_add_loop_test(tc, test_small_year_groups, 0, N_CASES(small_groups));
    tcase_add_test(tc, test_small_year_adds_up);
    tcase_add_loop_test(tc, test_small_year_providers, 0, N_CASES(small_providers));
    tcase_add_test(tc, test_small_year_zorgkantoren_and_group_providers);
    suite_add_tcase(s, tc);

    tc = tcase_create("variants");
    tcase_add_test(tc, test_extra_caps);
    tcase_add_test(tc, test_unknown_group_kept);
    tcase_add_test(tc, test_empty_year);
    tcase_add_test(tc, test_complete_months_are_a_prefix);
    tcase_add_loop_test(tc, test_as_of_complete_and_profile, 0, N_CASES(asof_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("profile and deadlines");
    tcase_add_loop_test(tc, test_profile, 0, N_CASES(profile_cases));
    tcase_add_test(tc, test_profile_overflow);
    tcase_add_loop_test(tc, test_deadlines, 0, N_CASES(deadline_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("refused");
    tcase_add_loop_test(tc, test_refused_input, 0, N_CASES(bad_cases));
    tcase_add_test(tc, test_refused_structure);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
