/*
 * check_alert_rules.c: Check suite for lib/alert_rules.c. The fingerprint (known FNV-1a
 * values, label order), threshold labels, the hysteresis band (which spend makes a
 * condition fire, hold or drop out), and each rule on a status built by budget.c: a
 * provider missing a month, spikes, the profile, the forecast, extra caps. What the states
 * make of the conditions over time is check_alert_state.c's.
 */
#include <stdio.h>
#include <string.h>

#include "alert_rules.h"
#include "unit_runner.h"

#define P1 "41000001"
#define P2 "41000002"

/* --- fingerprints and formatting --------------------------------------------------------- */

typedef struct {
    alert_label labels[3];
    size_t n;
    const char *want;
} fp_case;

/* Expected values computed independently (Python):
 *   h = 0xcbf29ce484222325
 *   for b in b"".join(n + b"\xff" + v + b"\xff" for n, v in sorted(labels)):
 *       h = ((h ^ b) * 0x100000001b3) % 2**64 */
static const fp_case fp_cases[] = {
    {{{"", ""}}, 0, "cbf29ce484222325"}, /* no labels: the FNV-1a 64 offset basis */
    {{{"alertname", "BudgetThresholdReached"}, {"threshold", "0.5"}, {"year", "2026"}},
     3,
     "95fd6fecc1c09ec1"},
    {{{"year", "2026"}, {"threshold", "0.5"}, {"alertname", "BudgetThresholdReached"}},
     3,
     "95fd6fecc1c09ec1"}, /* the same labels in another order: the same fingerprint */
    {{{"alertname", "BudgetThresholdReached"}, {"threshold", "0.75"}, {"year", "2026"}},
     3,
     "b38d72232a5782ec"},
};

START_TEST(test_fingerprint)
{
    const fp_case *c = &fp_cases[_i];
    char fp[ALERT_FINGERPRINT_LEN + 1];
    alert_fingerprint(c->labels, c->n, fp);
    ck_assert_str_eq(fp, c->want);
    ck_assert_int_eq(strlen(fp), 16);
}
END_TEST

/* A value moved from one label to another must change the fingerprint: the separator
 * keeps ("ab", "c") apart from ("a", "bc"). */
START_TEST(test_fingerprint_separator)
{
    const alert_label a[] = {{"ab", "c"}};
    const alert_label b[] = {{"a", "bc"}};
    char fa[17], fb[17];
    alert_fingerprint(a, 1, fa);
    alert_fingerprint(b, 1, fb);
    ck_assert_str_ne(fa, fb);
}
END_TEST

typedef struct {
    int32_t bp;
    const char *want;
} bp_case;

static const bp_case bp_cases[] = {
    {5000, "0.5"},  {7500, "0.75"}, {9000, "0.9"}, {10000, "1.0"}, {9250, "0.925"},
    {4800, "0.48"}, {1, "0.0001"},  {0, "0.0"},    {12000, "1.2"}, {-200, "-0.02"},
};

START_TEST(test_format_bp)
{
    char buf[16];
    alert_format_bp(bp_cases[_i].bp, buf);
    ck_assert_str_eq(buf, bp_cases[_i].want);
}
END_TEST

/* --- building statuses ------------------------------------------------------------------- */

static const budget_group_def groups[] = {
    {"KOR", "Korsakov"},
    {"HUN", "Huntington"},
    {"GPP", "Gerontopsychiatrie (GP+)"},
    {"DZEP", "Dementie met zeer ernstig probleemgedrag"},
    {"NAHP", "Niet-aangeboren hersenletsel (NAH+)"},
    {"MSP", "Multiple sclerose (MS+)"},
};

/* A status of 2026 as of @p as_of (deadlines of 17 working days) over @p facts. */
static budget_status *status_of(money_cents cap, lv_date as_of, const budget_fact *facts,
                                size_t n_facts, const budget_provider_month *expected,
                                size_t n_expected, const budget_extra_cap *caps, size_t n_caps)
{
    budget_input in = {.year = 2026,
                       .cap_cents = cap,
                       .as_of = as_of,
                       .groups = groups,
                       .n_groups = N_CASES(groups),
                       .facts = facts,
                       .n_facts = n_facts,
                       .expected = expected,
                       .n_expected = n_expected,
                       .extra_caps = caps,
                       .n_extra_caps = n_caps};
    budget_deadlines(2026, 17, NULL, 0, in.deadlines);
    lv_error err;
    budget_status *st = budget_status_new(&in, &err);
    ck_assert_msg(st != NULL, "%s", err.message);
    return st;
}

/* Only the rules under test: no thresholds unless set, nothing else can fire. */
static void quiet_config(alert_config *cfg)
{
    alert_config_defaults(cfg);
    cfg->n_thresholds = 0;
    cfg->forecast_threshold_bp = 1000000; /* x100 of the cap: never */
    cfg->profile_margin_bp = 1000000;
    cfg->spike_factor_bp = 1000000;
}

static alert_condition_set *evaluate(const budget_status *st, const alert_config *cfg)
{
    forecast_input fin;
    forecast_result fc;
    forecast_input_from_status(st, &fin);
    ck_assert(forecast_compute(&fin, &fc, NULL));
    alert_condition_set *set = alert_rules_evaluate(st, &fc, cfg);
    ck_assert_ptr_nonnull(set);
    return set;
}

static size_t count_rule(const alert_condition_set *set, alert_rule rule)
{
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++)
        n += set->items[i].rule == rule;
    return n;
}

static const alert_condition *first_rule(const alert_condition_set *set, alert_rule rule)
{
    for (size_t i = 0; i < set->n; i++)
        if (set->items[i].rule == rule)
            return &set->items[i];
    return NULL;
}

/* One evaluation of a status whose whole spend is @p spent, in January, as of 2026-01-20
 * (nothing complete, so only the thresholds can speak). */
static alert_condition_set *threshold_conditions(money_cents cap, money_cents spent,
                                                 const alert_config *cfg)
{
    const budget_fact f = {1, "KOR", P1, "5501", spent, 0, 0};
    budget_status *st = status_of(cap, lv_date_from_ymd(2026, 1, 20), &f, 1, NULL, 0, NULL, 0);
    alert_condition_set *set = evaluate(st, cfg);
    budget_status_free(st);
    return set;
}

/* --- the rules --------------------------------------------------------------------------- */

START_TEST(test_threshold_labels_and_texts)
{
    alert_config cfg;
    alert_config_defaults(&cfg);
    /* 7600000 of 10000000: 0.5 and 0.75 reached; 0.9 not even in its band. */
    alert_condition_set *set = threshold_conditions(10000000, 7600000, &cfg);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_THRESHOLD), 2);
    const alert_condition *c = &set->items[0];
    ck_assert_str_eq(alert_condition_label(c, "alertname"), "BudgetThresholdReached");
    ck_assert_str_eq(alert_condition_label(c, "year"), "2026");
    ck_assert_str_eq(alert_condition_label(c, "threshold"), "0.5");
    ck_assert_str_eq(alert_condition_label(c, "severity"), "warning");
    ck_assert(c->fires);
    ck_assert(c->value > 0.76 - 1e-9 && c->value < 0.76 + 1e-9);
    ck_assert_ptr_nonnull(strstr(c->description, "76000.00 EUR"));
    ck_assert_ptr_nonnull(strstr(c->description, "2026-01-20"));
    /* labels sorted by name, and the fingerprint is that of the labels */
    for (size_t i = 1; i < c->n_labels; i++)
        ck_assert(strcmp(c->labels[i - 1].name, c->labels[i].name) < 0);
    char fp[17];
    alert_fingerprint(c->labels, c->n_labels, fp);
    ck_assert_str_eq(fp, c->fingerprint);
    ck_assert_str_eq(alert_condition_label(&set->items[1], "threshold"), "0.75");
    ck_assert_str_ne(set->items[0].fingerprint, set->items[1].fingerprint);
    alert_condition_set_free(set);
}
END_TEST

typedef struct {
    money_cents spent; /* of a cap of 10000000 */
    bool present;      /* the 0.5 condition is in the set (it holds) */
    bool fires;
} band_case;

/* Threshold 0.5, hysteresis 2 %: fires from 5000000, holds from 4800000. The spends
 * 0.49, 0.50, 0.495, 0.51, 0.47 are the sequence check_alert_state.c steps through. */
static const band_case band_cases[] = {
    {5000000, true, true},   /* exactly the threshold fires */
    {4999999, true, false},  /* just below: inside the band */
    {4800000, true, false},  /* the band's lower edge still holds */
    {4799999, false, false}, /* below the band: gone */
    {9000000, true, true},   {4900000, true, false},  {4950000, true, false},
    {5100000, true, true},   {4700000, false, false},
};

START_TEST(test_threshold_band)
{
    const band_case *c = &band_cases[_i];
    alert_config cfg;
    quiet_config(&cfg);
    cfg.thresholds_bp[0] = 5000;
    cfg.n_thresholds = 1;
    alert_condition_set *set = threshold_conditions(10000000, c->spent, &cfg);
    const alert_condition *a = first_rule(set, ALERT_RULE_THRESHOLD);
    ck_assert_int_eq(a != NULL, c->present);
    if (a)
        ck_assert_int_eq(a->fires, c->fires);
    alert_condition_set_free(set);
}
END_TEST

/* A threshold listed twice gives one alert. */
START_TEST(test_threshold_duplicate_config)
{
    alert_config cfg;
    quiet_config(&cfg);
    cfg.thresholds_bp[0] = 5000;
    cfg.thresholds_bp[1] = 5000;
    cfg.n_thresholds = 2;
    alert_condition_set *set = threshold_conditions(10000000, 6000000, &cfg);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_THRESHOLD), 1);
    alert_condition_set_free(set);
}
END_TEST

START_TEST(test_threshold_critical_at_cap)
{
    alert_config cfg;
    quiet_config(&cfg);
    cfg.thresholds_bp[0] = 10000;
    cfg.n_thresholds = 1;
    alert_condition_set *set = threshold_conditions(10000000, 10000000, &cfg);
    const alert_condition *a = first_rule(set, ALERT_RULE_THRESHOLD);
    ck_assert_ptr_nonnull(a);
    ck_assert_str_eq(alert_condition_label(a, "severity"), "critical");
    ck_assert_str_eq(alert_condition_label(a, "threshold"), "1.0");
    alert_condition_set_free(set);
}
END_TEST

/*
 * The profile: cap 36500000 in 2026 is 100000 a day. As of 2026-05-10 January..March are
 * complete, so the profile is 90 days = 9000000. Margin 10 %: fires above 9900000;
 * hysteresis 2 % of the profile: holds above 9720000. All spend in January.
 */
typedef struct {
    money_cents jan;
    bool present, fires;
} profile_case;

static const profile_case profile_cases[] = {
    {9900001, true, true},  {9900000, true, false}, /* exactly 10 % ahead is not "more than" */
    {9720001, true, false}, {9720000, false, false}, {5000000, false, false},
};

START_TEST(test_ahead_of_profile)
{
    const profile_case *c = &profile_cases[_i];
    const budget_fact f = {1, "KOR", P1, "5501", c->jan, 0, 0};
    budget_status *st = status_of(36500000, lv_date_from_ymd(2026, 5, 10), &f, 1, NULL, 0, NULL, 0);
    ck_assert_int_eq(st->profile_ytd_cents, 9000000);
    alert_config cfg;
    quiet_config(&cfg);
    cfg.profile_margin_bp = 1000;
    alert_condition_set *set = evaluate(st, &cfg);
    const alert_condition *a = first_rule(set, ALERT_RULE_PROFILE);
    ck_assert_int_eq(a != NULL, c->present);
    if (a) {
        ck_assert_int_eq(a->fires, c->fires);
        ck_assert_str_eq(alert_condition_label(a, "alertname"), "BudgetAheadOfProfile");
    }
    alert_condition_set_free(set);
    budget_status_free(st);
}
END_TEST

/* The forecast: as of 2026-02-25 January is complete; January 1000000 gives a year end of
 * 12000000 against caps around it. */
typedef struct {
    money_cents cap;
    bool present, fires;
} forecast_case;

static const forecast_case forecast_cases[] = {
    {12000000, true, true},   /* year end = cap: reached */
    {12000001, true, false},  /* just above: 12000000 >= 0.98 x cap, in the band */
    {12244897, true, false},  /* 0.98 x 12244897 = 11999999.06 <= 12000000 */
    {12244898, false, false}, /* 0.98 x 12244898 = 12000000.04 > 12000000 */
};

START_TEST(test_forecast_overrun)
{
    const forecast_case *c = &forecast_cases[_i];
    const budget_fact f = {1, "KOR", P1, "5501", 1000000, 0, 0};
    budget_status *st = status_of(c->cap, lv_date_from_ymd(2026, 2, 25), &f, 1, NULL, 0, NULL, 0);
    alert_config cfg;
    quiet_config(&cfg);
    cfg.forecast_threshold_bp = 10000;
    alert_condition_set *set = evaluate(st, &cfg);
    const alert_condition *a = first_rule(set, ALERT_RULE_FORECAST);
    ck_assert_int_eq(a != NULL, c->present);
    if (a) {
        ck_assert_int_eq(a->fires, c->fires);
        ck_assert_str_eq(alert_condition_label(a, "threshold"), "1.0");
        ck_assert_ptr_nonnull(strstr(a->description, "120000.00 EUR"));
    }
    alert_condition_set_free(set);
    budget_status_free(st);
}
END_TEST

/*
 * Missing declarations. As of 2026-05-10 (Jan..Mar complete, April's deadline 05-25 not
 * passed). P1 is designated Jan..Apr and declared Jan and Mar: February is missing (its
 * deadline 2026-03-24 is 47 days before as_of); April is not due yet. P2 is designated
 * Mar..Apr and declared March: nothing missing. A provider not designated in a month is
 * never missing it.
 */
START_TEST(test_provider_missing)
{
    static const budget_fact facts[] = {
        {1, "KOR", P1, "5501", 1000, 0, 0},
        {3, "KOR", P1, "5501", 1000, 0, 0},
        {3, "HUN", P2, "5502", 1000, 0, 0},
    };
    static const budget_provider_month expected[] = {
        {P1, 1}, {P1, 2}, {P1, 3}, {P1, 4}, {P2, 3}, {P2, 4},
    };
    budget_status *st = status_of(450000000, lv_date_from_ymd(2026, 5, 10), facts, 3, expected,
                                  N_CASES(expected), NULL, 0);
    alert_config cfg;
    quiet_config(&cfg);
    alert_condition_set *set = evaluate(st, &cfg);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_PROVIDER_MISSING), 1);
    const alert_condition *a = first_rule(set, ALERT_RULE_PROVIDER_MISSING);
    ck_assert_str_eq(alert_condition_label(a, "alertname"), "ProviderDeclarationMissing");
    ck_assert_str_eq(alert_condition_label(a, "provider"), P1);
    ck_assert_str_eq(alert_condition_label(a, "month"), "2026-02");
    ck_assert_str_eq(alert_condition_label(a, "year"), "2026");
    ck_assert(a->fires);
    ck_assert(a->value == 47.0);
    ck_assert_ptr_nonnull(strstr(a->description, "2026-03-24"));
    alert_condition_set_free(set);
    budget_status_free(st);
}
END_TEST

/*
 * Spikes: as of 2026-04-01 January and February are complete, so February is judged
 * against January. One provider in one group, so the provider and the group spike together.
 * Factor x2, minimum increase 50000 unless the case says otherwise.
 */
typedef struct {
    money_cents jan, feb, mar;
    money_cents min_increase;
    bool spike;
} spike_case;

static const spike_case spike_cases[] = {
    {100000, 200000, 0, 50000, true},       /* exactly x2, +100000 */
    {100000, 199999, 0, 50000, false},      /* just under x2 */
    {100000, 300000, 0, 500000, false},     /* x3 but only +200000 of 500000 */
    {1000000, 2000000, 0, 500000, true},    /* x2 and +1000000 */
    {0, 1000000, 0, 50000, false},          /* no base: a first month is not a spike */
    {-5000, 1000000, 0, 50000, false},      /* a net credit is no base either */
    {100000, 100000, 900000, 50000, false}, /* March is not complete: not judged */
};

START_TEST(test_spikes)
{
    const spike_case *c = &spike_cases[_i];
    const budget_fact facts[] = {
        {1, "HUN", P1, "5501", c->jan, 0, 0},
        {2, "HUN", P1, "5501", c->feb, 0, 0},
        {3, "HUN", P1, "5501", c->mar, 0, 0},
    };
    budget_status *st =
        status_of(450000000, lv_date_from_ymd(2026, 4, 1), facts, 3, NULL, 0, NULL, 0);
    ck_assert_int_eq(st->complete_months, 2);
    alert_config cfg;
    quiet_config(&cfg);
    cfg.spike_factor_bp = 20000;
    cfg.spike_min_increase_cents = c->min_increase;
    alert_condition_set *set = evaluate(st, &cfg);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_PROVIDER_SPIKE), c->spike);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_GROUP_SPIKE), c->spike);
    if (c->spike) {
        const alert_condition *p = first_rule(set, ALERT_RULE_PROVIDER_SPIKE);
        ck_assert_str_eq(alert_condition_label(p, "provider"), P1);
        ck_assert_str_eq(alert_condition_label(p, "month"), "2026-02");
        const alert_condition *g = first_rule(set, ALERT_RULE_GROUP_SPIKE);
        ck_assert_str_eq(alert_condition_label(g, "target_group"), "HUN");
        ck_assert_str_eq(alert_condition_label(g, "alertname"), "GroupSpendSpike");
        ck_assert(g->value >= 2.0);
    }
    alert_condition_set_free(set);
    budget_status_free(st);
}
END_TEST

/* With one complete month there is nothing to compare with. January's travel part is set
 * so that a comparison reaching before January would see a base and report a spike. */
START_TEST(test_spike_needs_two_complete_months)
{
    const budget_fact f = {1, "HUN", P1, "5501", 1000000, 0, 100000};
    budget_status *st =
        status_of(450000000, lv_date_from_ymd(2026, 2, 25), &f, 1, NULL, 0, NULL, 0);
    ck_assert_int_eq(st->complete_months, 1);
    alert_config cfg;
    quiet_config(&cfg);
    cfg.spike_factor_bp = 20000;
    cfg.spike_min_increase_cents = 0;
    alert_condition_set *set = evaluate(st, &cfg);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_PROVIDER_SPIKE), 0);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_GROUP_SPIKE), 0);
    alert_condition_set_free(set);
    budget_status_free(st);
}
END_TEST

/* Before the first complete month there is no profile to be ahead of, whatever the spend. */
START_TEST(test_profile_needs_complete_month)
{
    const budget_fact f = {1, "KOR", P1, "5501", 9000000, 0, 0};
    budget_status *st = status_of(36500000, lv_date_from_ymd(2026, 1, 20), &f, 1, NULL, 0, NULL, 0);
    ck_assert_int_eq(st->complete_months, 0);
    alert_config cfg;
    quiet_config(&cfg);
    cfg.profile_margin_bp = 1000;
    alert_condition_set *set = evaluate(st, &cfg);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_PROFILE), 0);
    alert_condition_set_free(set);
    budget_status_free(st);
}
END_TEST

/* Extra caps: KOR capped at 100000, P2 at 50000. KOR spent 100000 (reached), P2 spent
 * 49000 (98 %: in the band, holds but does not fire), HUN capped at 60000 with 58000 spent
 * (96.7 %: below the band, absent). */
START_TEST(test_extra_caps)
{
    static const budget_fact facts[] = {
        {1, "KOR", P1, "5501", 100000, 0, 0},
        {1, "HUN", P2, "5502", 49000, 0, 0},
        {1, "HUN", P1, "5501", 9000, 0, 0},
    };
    static const budget_extra_cap caps[] = {
        {BUDGET_SCOPE_TARGET_GROUP, "KOR", 100000},
        {BUDGET_SCOPE_PROVIDER, P2, 50000},
        {BUDGET_SCOPE_TARGET_GROUP, "HUN", 60000},
    };
    budget_status *st =
        status_of(450000000, lv_date_from_ymd(2026, 1, 20), facts, 3, NULL, 0, caps, 3);
    alert_config cfg;
    quiet_config(&cfg);
    alert_condition_set *set = evaluate(st, &cfg);
    ck_assert_int_eq(count_rule(set, ALERT_RULE_EXTRA_CAP), 2);
    const alert_condition *kor = first_rule(set, ALERT_RULE_EXTRA_CAP);
    ck_assert_str_eq(alert_condition_label(kor, "target_group"), "KOR");
    ck_assert_ptr_null(alert_condition_label(kor, "provider"));
    ck_assert(kor->fires);
    const alert_condition *p2 = kor + 1;
    ck_assert_str_eq(alert_condition_label(p2, "provider"), P2);
    ck_assert(!p2->fires);
    alert_condition_set_free(set);
    budget_status_free(st);
}
END_TEST

START_TEST(test_invalid_config)
{
    const budget_fact f = {1, "KOR", P1, "5501", 1, 0, 0};
    budget_status *st =
        status_of(450000000, lv_date_from_ymd(2026, 1, 20), &f, 1, NULL, 0, NULL, 0);
    forecast_result fc = {0};
    alert_config cfg;
    alert_config_defaults(&cfg);
    cfg.n_thresholds = ALERT_MAX_THRESHOLDS + 1;
    ck_assert_ptr_null(alert_rules_evaluate(st, &fc, &cfg));
    alert_config_defaults(&cfg);
    cfg.hysteresis_bp = -1;
    ck_assert_ptr_null(alert_rules_evaluate(st, &fc, &cfg));
    alert_config_defaults(&cfg);
    cfg.for_evaluations[ALERT_RULE_FORECAST] = -1;
    ck_assert_ptr_null(alert_rules_evaluate(st, &fc, &cfg));
    budget_status_free(st);
}
END_TEST

static Suite *make_suite(void)
{
    Suite *s = suite_create("alert_rules");
    TCase *tc = tcase_create("fingerprint");
    tcase_add_loop_test(tc, test_fingerprint, 0, N_CASES(fp_cases));
    tcase_add_test(tc, test_fingerprint_separator);
    tcase_add_loop_test(tc, test_format_bp, 0, N_CASES(bp_cases));
    suite_add_tcase(s, tc);

    tc = tcase_create("rules");
    tcase_add_test(tc, test_threshold_labels_and_texts);
    tcase_add_loop_test(tc, test_threshold_band, 0, N_CASES(band_cases));
    tcase_add_test(tc, test_threshold_duplicate_config);
    tcase_add_test(tc, test_threshold_critical_at_cap);
    tcase_add_loop_test(tc, test_ahead_of_profile, 0, N_CASES(profile_cases));
    tcase_add_test(tc, test_profile_needs_complete_month);
    tcase_add_loop_test(tc, test_forecast_overrun, 0, N_CASES(forecast_cases));
    tcase_add_test(tc, test_provider_missing);
    tcase_add_loop_test(tc, test_spikes, 0, N_CASES(spike_cases));
    tcase_add_test(tc, test_spike_needs_two_complete_months);
    tcase_add_test(tc, test_extra_caps);
    tcase_add_test(tc, test_invalid_config);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(make_suite)
