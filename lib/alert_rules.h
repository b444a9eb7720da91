/*
 * alert_rules.h: the alert rules of the budget monitor. Pure: the rules read a budget status
 * and a forecast and say which alerts hold now; they keep no memory between evaluations.
 * What an alert's answer means over time (pending, firing, resolved, with its history) is
 * the state machine's job, in alert_state.h. The daemon stores states and history and
 * pushes firing/resolved alerts to Alertmanager; nothing here does I/O.
 *
 * Two steps, as in Prometheus:
 *  1. alert_rules_evaluate() (this module) turns the status into a set of *conditions*: one
 *     per alert instance (rule + labels) that is active or may stay active. A condition
 *     carries the Alertmanager-shaped labels and annotations, a value, its fingerprint and
 *     two truths: `fires` (the condition to become active) and, implied by its presence in
 *     the set, "holds" (the condition to stay active). The two differ only by the
 *     hysteresis.
 *  2. alert_states_step() (alert_state.h) moves each alert's state by one evaluation.
 *
 * Hysteresis: an alert that became active stays active while the value is at least the
 * threshold minus the hysteresis, so a correction that dips just below the threshold does
 * not resolve and re-fire it. The hysteresis is in basis points of the quantity the
 * threshold is a share of: the cap (BudgetThresholdReached, BudgetForecastOverrun), the
 * extra cap (ExtraCapReached) or the profile (BudgetAheadOfProfile). Default 200 = 2 %.
 * Rules about facts of a given month (missing declaration, spikes) have no hysteresis.
 *
 * The rules (labels beyond alertname, year and severity in brackets):
 *  - BudgetThresholdReached [threshold]: spent >= threshold x cap, per configured threshold
 *    (default 0.5, 0.75, 0.9, 1.0). Severity critical at 1.0 and above, else warning.
 *  - BudgetForecastOverrun: forecast year end >= forecast_threshold x cap (default 1.0).
 *  - BudgetAheadOfProfile: spend of the complete months > profile x (1 + margin), default
 *    margin 10 %; like with like, see budget.h. Needs at least one complete month.
 *  - ProviderDeclarationMissing [provider, month]: a provider expected in a complete month
 *    has not declared it. value = days past the deadline.
 *  - ProviderSpendSpike [provider, month] and GroupSpendSpike [target_group, month]: the last
 *    complete month's spend is at least factor x the month before (default x2) and at least
 *    min_increase more (default EUR 5,000). Only the last complete month is judged, so the
 *    alert resolves when the next month completes; a previous month of 0 or less is not a
 *    base (a provider's first month is not a spike). value = the factor.
 *  - ExtraCapReached [target_group or provider]: spend within an extra cap >= that cap.
 *
 * Texts: every condition has its summary and description in English (the annotations
 * Alertmanager receives) and in Dutch (summary_nl, description_nl: the language of the
 * users), with amounts, percentages and dates written the Dutch way by nl_format.h, in
 * integers. Both say the same, from the same figures.
 *
 * Fingerprints are FNV-1a 64 over the sorted labels (name 0xff value 0xff ...), as 16 lower
 * case hex digits: stable for the same labels, whatever order they were added in. FNV is
 * not collision resistant against someone choosing labels; labels here come from reference
 * data and configuration, so this is an identity, not a security measure.
 *
 * Ownership: alert_rules_evaluate() returns a set the caller owns, released with
 * alert_condition_set_free(). Conditions are fixed-size structs, copied by value.
 */
#ifndef LVHCMON_ALERT_RULES_H
#define LVHCMON_ALERT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "budget.h"
#include "forecast.h"
#include "money.h"

#define ALERT_MAX_LABELS 8
#define ALERT_LABEL_NAME_MAX 23
#define ALERT_LABEL_VALUE_MAX 47
#define ALERT_MAX_THRESHOLDS 16
#define ALERT_FINGERPRINT_LEN 16

typedef enum {
    ALERT_RULE_THRESHOLD = 0,    /* BudgetThresholdReached */
    ALERT_RULE_FORECAST,         /* BudgetForecastOverrun */
    ALERT_RULE_PROFILE,          /* BudgetAheadOfProfile */
    ALERT_RULE_PROVIDER_MISSING, /* ProviderDeclarationMissing */
    ALERT_RULE_PROVIDER_SPIKE,   /* ProviderSpendSpike */
    ALERT_RULE_GROUP_SPIKE,      /* GroupSpendSpike */
    ALERT_RULE_EXTRA_CAP,        /* ExtraCapReached */
    ALERT_RULE_COUNT
} alert_rule;

/** Rule settings; alert_config_defaults() gives the documented defaults. */
typedef struct {
    int32_t thresholds_bp[ALERT_MAX_THRESHOLDS]; /* shares of the cap, 5000 = 0.5 */
    size_t n_thresholds;
    int32_t forecast_threshold_bp;             /* 10000 */
    int32_t hysteresis_bp;                     /* 200: resolve below threshold - 2 % */
    int32_t profile_margin_bp;                 /* 1000: 10 % ahead of the profile */
    int32_t spike_factor_bp;                   /* 20000: x2 month on month */
    money_cents spike_min_increase_cents;      /* 500000: at least EUR 5,000 more */
    int32_t for_evaluations[ALERT_RULE_COUNT]; /* 0: firing at once */
} alert_config;

typedef struct {
    char name[ALERT_LABEL_NAME_MAX + 1];
    char value[ALERT_LABEL_VALUE_MAX + 1];
} alert_label;

/** One alert instance as the rules see it now. */
typedef struct {
    alert_rule rule;
    alert_label labels[ALERT_MAX_LABELS]; /* sorted by name */
    size_t n_labels;
    char summary[160]; /* English: Alertmanager's annotations */
    char description[512];
    char summary_nl[200]; /* the same in Dutch (annotations_nl), amounts as "€ 1.234,56" */
    char description_nl[600];
    double value; /* the rule's measure (a ratio, a factor or days), display only */
    char fingerprint[ALERT_FINGERPRINT_LEN + 1];
    bool fires; /* the condition to become active; presence in the set = may stay active */
    int32_t for_evaluations;
} alert_condition;

typedef struct {
    alert_condition *items;
    size_t n;
    size_t cap;
} alert_condition_set;

/** Fills @a cfg with the defaults listed above. */
void alert_config_defaults(alert_config *cfg);

/** @return the alertname of @a rule ("BudgetThresholdReached", ...), or "" when unknown. */
const char *alert_rule_name(alert_rule rule);

/**
 * Writes the fingerprint of a label set: FNV-1a 64 over the labels sorted by name, each as
 * name 0xff value 0xff, as 16 lower-case hex digits. The order of @a labels does not matter.
 * Not a security measure (see the file header).
 */
void alert_fingerprint(const alert_label *labels, size_t n_labels,
                       char out[ALERT_FINGERPRINT_LEN + 1]);

/** @return the value of label @a name in @a c, or NULL. */
const char *alert_condition_label(const alert_condition *c, const char *name);

/**
 * Formats basis points as the decimal the configuration uses: 5000 -> "0.5",
 * 7500 -> "0.75", 10000 -> "1.0", 9250 -> "0.925". Used for the threshold label.
 */
void alert_format_bp(int32_t bp, char buf[16]);

/**
 * Evaluates every rule of @a cfg over @a st and @a fc.
 * @return the conditions (rule order, then label order within a rule), owned by the caller
 *         and released with alert_condition_set_free(); NULL when out of memory or when
 *         @a cfg is invalid (more than ALERT_MAX_THRESHOLDS thresholds, a negative setting).
 */
alert_condition_set *alert_rules_evaluate(const budget_status *st, const forecast_result *fc,
                                          const alert_config *cfg);

/** Releases @a set. Accepts NULL. */
void alert_condition_set_free(alert_condition_set *set);

/** @return the condition with @a fingerprint in @a set, or NULL. */
const alert_condition *alert_condition_set_find(const alert_condition_set *set,
                                                const char *fingerprint);

#endif
