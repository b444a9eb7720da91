/*
 * budget.h: the budget status of one year, as a controller sees it, computed from the
 * aggregated declaration ledger. Pure: the daemon runs the GROUP BY queries and hands the
 * rows in; nothing here reads a database, a clock or a file.
 *
 * What it owns: spent against the national cap, the pro-rata profile of the cap, and the
 * breakdowns per target group, provider, zorgkantoor and service month, the optional extra
 * caps (per group or per provider), and which providers have not declared a month that is
 * due. The forecast (forecast.h) and the alert rules (alert_rules.h) read this result.
 *
 * Definitions the rest of the project relies on:
 * - A fact's amount_cents is the full priced amount that counts toward the cap, travel
 *   included (pricing.h); travel_cents is the travel part of it, reported for information
 *   and never added a second time.
 * - A service month is *complete* when its declaration deadline has passed: as_of is later
 *   than the deadline day (declarations dated on the deadline day itself are on time). The
 *   caller supplies the twelve deadlines (budget_deadlines() computes them from the working
 *   day rule and the holidays), so this module needs no holiday knowledge.
 *   complete_months is the length of the run of complete months from January on; because
 *   deadlines increase month by month this is simply "every month up to the last complete".
 * - "Profile to date" is the cap's profile **through the last day of the last complete
 *   month**, not through as_of: by default the cap pro rata over the days of the year, or,
 *   when the input has a planned monthly profile (profile.h), the cap times the weights of
 *   the complete months. Not through as_of, because the spend of a month is only known
 *   after its deadline, so a profile through as_of would show a systematic underspend of one
 *   to two months of cap and hide a real overspend. spent_complete_cents (the spend of those
 *   same complete months) is the like-for-like figure to compare it with; spent_cents also
 *   holds the partial spend of months still in their declaration window.
 * - The zorgkantoren are those of the facts and those the reference data gives a provider
 *   in (provider_zks), so a zorgkantoor whose providers have not declared yet is listed with
 *   zero spend. The cap is not split: a zorgkantoor has a share of the spend, no cap.
 * - A month is *due* for a provider when the provider was expected that month (designated)
 *   and the month is complete. It is *missing* when due and not declared. A provider counts
 *   as having declared a month when the caller lists it as declared or when any fact row
 *   for that provider and month exists.
 *
 * Money is int64 cents and every sum is checked; the double ratios in the result are
 * derived at the end, for display only (the API reports ratios as 0..1 numbers). Decisions
 * that compare money use the integers (see alert_rules.c).
 *
 * Ownership: budget_status_new() returns a status the caller owns; budget_status_free()
 * releases it with all its arrays. Input strings are read, never kept.
 */
#ifndef LVHCMON_BUDGET_H
#define LVHCMON_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar.h"
#include "error.h"
#include "money.h"
#include "profile.h"

#define BUDGET_MONTHS 12
#define BUDGET_GROUP_CODE_MAX 7  /* matches ref_target_group.code[8] */
#define BUDGET_GROUP_NAME_MAX 95 /* matches ref_target_group.name[96] */
#define BUDGET_AGB_LEN 8
#define BUDGET_ZK_LEN 4

/** One target group of the contract, in contract order (doc/domain.md). */
typedef struct {
    const char *code; /* "KOR" */
    const char *name; /* "Korsakov" */
} budget_group_def;

/** Scope of an extra cap on top of the national one (budgets.csv `scope`). */
typedef enum { BUDGET_SCOPE_TARGET_GROUP = 1, BUDGET_SCOPE_PROVIDER = 2 } budget_scope;

/** An optional extra cap: a target group code or a provider AGB, and its cap. */
typedef struct {
    budget_scope scope;
    const char *key;
    money_cents cap_cents; /* > 0 */
} budget_extra_cap;

/**
 * One aggregated row of accepted declaration lines: the sums for one service month,
 * target group, provider and zorgkantoor (the daemon's GROUP BY). Rows with the same keys
 * may repeat; they are added up.
 */
typedef struct {
    int month;                /* service month, 1..12 of the status year */
    const char *target_group; /* a group code; an unknown code gets a group of its own */
    const char *provider_agb; /* 8 digits */
    const char *zorgkantoor;  /* 4 digits, or "" / NULL when unknown */
    money_cents amount_cents; /* signed net amount, travel included */
    int64_t minutes;          /* signed net minutes */
    money_cents travel_cents; /* signed net travel part of amount_cents */
} budget_fact;

/** A provider of the reference data and the zorgkantoor it belongs to. */
typedef struct {
    const char *provider_agb; /* 8 digits */
    const char *zorgkantoor;  /* 4 digits */
} budget_provider_zk;

/** A provider and a service month: "expected" (designated) or "declared" (something came in). */
typedef struct {
    const char *provider_agb;
    int month; /* 1..12 */
} budget_provider_month;

/** Everything the status is computed from. Arrays may be NULL when their count is 0. */
typedef struct {
    int year;              /* 2000..2100 */
    money_cents cap_cents; /* national cap, > 0 */
    lv_date as_of;         /* the day the data holds for */
    /** Declaration deadline of each service month (index 0 = January); see budget_deadlines(). */
    lv_date deadlines[BUDGET_MONTHS];
    const budget_group_def *groups; /* the contract's groups, in order; all appear in output */
    size_t n_groups;
    const budget_extra_cap *extra_caps;
    size_t n_extra_caps;
    const budget_fact *facts;
    size_t n_facts;
    const budget_provider_month *expected; /* providers designated per month */
    size_t n_expected;
    const budget_provider_month *declared; /* providers that declared per month */
    size_t n_declared;
    /** The planned monthly profile (profile.h: twelve weights summing to 10000), or NULL
     *  for the even spread over the days of the year. */
    const int32_t *profile_bp;
    /** The reference data's zorgkantoor of each provider: which zorgkantoren exist and how
     *  many providers each has, whether or not they declared (may be NULL). */
    const budget_provider_zk *provider_zks;
    size_t n_provider_zks;
} budget_input;

/** A provider's spend within one target group. */
typedef struct {
    char agb[BUDGET_AGB_LEN + 1];
    money_cents spent_cents;
    int64_t minutes;
    money_cents travel_cents;
} budget_group_provider;

typedef struct {
    char code[BUDGET_GROUP_CODE_MAX + 1];
    char name[BUDGET_GROUP_NAME_MAX + 1];
    bool in_contract; /* false: a code met in the facts but not in the contract's list */
    money_cents spent_cents;
    int64_t minutes;
    money_cents travel_cents;
    double share_ratio; /* spent / total spent; 0 when the total is not positive */
    money_cents month_spent_cents[BUDGET_MONTHS];
    budget_group_provider *providers; /* providers with rows in this group, by AGB */
    size_t n_providers;
} budget_group;

typedef struct {
    char agb[BUDGET_AGB_LEN + 1];
    money_cents spent_cents;
    int64_t minutes;
    money_cents travel_cents;
    money_cents month_spent_cents[BUDGET_MONTHS];
    int last_month_declared; /* 1..12, 0 = none this year */
    /* Month sets as bit masks: bit (m - 1) stands for month m. */
    uint16_t months_declared;
    uint16_t months_expected;
    uint16_t months_missing; /* expected, complete and not declared */
    int n_missing;
} budget_provider;

/**
 * One zorgkantoor: the spend of the lines attributed to it (a line's own zorgkantoor, from
 * the AW319 header or its provider) and the providers the reference data places in it. The
 * cap stays national: share_ratio is the zorgkantoor's part of the national spend, not of
 * a cap of its own.
 */
typedef struct {
    char code[BUDGET_ZK_LEN + 1]; /* "" collects rows without a zorgkantoor */
    money_cents spent_cents;
    int64_t minutes;
    money_cents travel_cents;
    double share_ratio; /* spent / national spent; 0 when the national spent is not positive */
    int n_providers;    /* providers of the reference data in this zorgkantoor */
} budget_zorgkantoor;

typedef struct {
    int month; /* 1..12 */
    money_cents spent_cents;
    money_cents cumulative_cents; /* January through this month */
    int64_t minutes;
    money_cents travel_cents;
    int providers_declared; /* distinct providers that declared this month */
    int providers_expected; /* distinct providers designated this month */
    int providers_missing;  /* expected and not declared, once the month is complete */
    lv_date deadline;
    bool complete;             /* as_of > deadline */
    money_cents profile_cents; /* the profile through the end of this month (cumulative) */
} budget_month;

typedef struct {
    budget_scope scope;
    char key[BUDGET_AGB_LEN + 1];
    money_cents cap_cents;
    money_cents spent_cents;
    money_cents remaining_cents; /* may be negative */
    double ratio;                /* spent / cap, display only */
} budget_extra_cap_status;

/** The budget status of one year. Owned by the caller; see budget_status_free(). */
typedef struct {
    int year;
    lv_date as_of;
    money_cents cap_cents;
    money_cents spent_cents;          /* all months, partial months included */
    money_cents remaining_cents;      /* cap - spent; may be negative */
    double spent_ratio;               /* spent / cap, display only */
    int complete_months;              /* months 1..complete_months are complete */
    money_cents spent_complete_cents; /* spend of months 1..complete_months */
    money_cents profile_ytd_cents;    /* the profile through profile_through */
    lv_date profile_through; /* last day of the last complete month; LV_DATE_NONE if none */
    bool profile_planned;    /* true: the planned monthly profile; false: the even spread */
    int64_t minutes;
    money_cents travel_cents;
    budget_month months[BUDGET_MONTHS];
    budget_group *groups; /* contract order, then unknown codes by code */
    size_t n_groups;
    budget_provider *providers; /* by AGB */
    size_t n_providers;
    budget_zorgkantoor *zorgkantoren; /* by code */
    size_t n_zorgkantoren;
    budget_extra_cap_status *extra_caps; /* input order */
    size_t n_extra_caps;
} budget_status;

/**
 * Computes the status of @a in.
 * @param in   the year's inputs; not modified and not referenced after the call
 * @param err  receives the reason on failure (may be NULL): LV_INPUT_INVALID (an input value
 *             out of range; the message names it), LV_9106_AMOUNT_OVERFLOW (a sum left the
 *             int64 range) or LV_OUT_OF_MEMORY
 * @return a new status owned by the caller (release with budget_status_free()), or NULL on
 *         invalid input, overflow or lack of memory (then @a err says which).
 */
budget_status *budget_status_new(const budget_input *in, lv_error *err);

/** Releases @a st and everything it holds. Accepts NULL. */
void budget_status_free(budget_status *st);

/**
 * Fills the declaration deadline of each month of @a year: @a working_days working days
 * after the month's last day (calendar.h), skipping @a holidays (sorted, may be empty).
 * @param out  out[0] is January's deadline, out[11] December's
 */
void budget_deadlines(int year, int working_days, const lv_date *holidays, size_t n_holidays,
                      lv_date out[BUDGET_MONTHS]);

/**
 * @return the cap pro rata through @a through (inclusive):
 *         cap * elapsed days / days in the year, rounded once, half away from zero.
 *         0 before the year starts, the whole cap from its last day on.
 *         Fails (false) on overflow, which needs a cap beyond 10^16 cents, or for a year
 *         outside 1..9998.
 */
bool budget_profile(int year, money_cents cap_cents, lv_date through, money_cents *out);

/** @return @a num / @a den as a double for display; 0 when @a den is 0. */
double budget_ratio(int64_t num, int64_t den);

/** @return the group with @a code, or NULL. */
const budget_group *budget_status_group(const budget_status *st, const char *code);

/** @return the provider with @a agb, or NULL. */
const budget_provider *budget_status_provider(const budget_status *st, const char *agb);

#endif
