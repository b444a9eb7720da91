/*
 * alert_rules.c: the budget alert rules (see alert_rules.h for the rules and the
 * hysteresis; the states they feed live in alert_state.c).
 *
 * Threshold comparisons are exact: "amount >= base x bp / 10000" is evaluated as
 * amount x 10000 >= base x bp in 128-bit integers, where an int64 times an int32 cannot
 * overflow, so a ratio is never rounded before it decides anything. The doubles in `value`
 * and the percentages in the texts are for people to read.
 */
#include "alert_rules.h"

#include "nl_format.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const rule_names[ALERT_RULE_COUNT] = {
    [ALERT_RULE_THRESHOLD] = "BudgetThresholdReached",
    [ALERT_RULE_FORECAST] = "BudgetForecastOverrun",
    [ALERT_RULE_PROFILE] = "BudgetAheadOfProfile",
    [ALERT_RULE_PROVIDER_MISSING] = "ProviderDeclarationMissing",
    [ALERT_RULE_PROVIDER_SPIKE] = "ProviderSpendSpike",
    [ALERT_RULE_GROUP_SPIKE] = "GroupSpendSpike",
    [ALERT_RULE_EXTRA_CAP] = "ExtraCapReached",
};

const char *alert_rule_name(alert_rule rule)
{
    return (rule >= 0 && rule < ALERT_RULE_COUNT) ? rule_names[rule] : "";
}

void alert_config_defaults(alert_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    static const int32_t thresholds[] = {5000, 7500, 9000, 10000};
    memcpy(cfg->thresholds_bp, thresholds, sizeof thresholds);
    cfg->n_thresholds = sizeof thresholds / sizeof thresholds[0];
    cfg->forecast_threshold_bp = 10000;
    cfg->hysteresis_bp = 200;
    cfg->profile_margin_bp = 1000;
    cfg->spike_factor_bp = 20000;
    cfg->spike_min_increase_cents = 500000;
    /* for_evaluations all 0: see the header on why budget alerts fire at once. */
}

/* --- fingerprints ------------------------------------------------------------------------ */

#define FNV64_OFFSET UINT64_C(0xcbf29ce484222325)
#define FNV64_PRIME UINT64_C(0x100000001b3)

static uint64_t fnv1a64(uint64_t h, const void *data, size_t n)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < n; i++) {
        h ^= p[i];
        h *= FNV64_PRIME;
    }
    return h;
}

static int cmp_label(const void *a, const void *b)
{
    const alert_label *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c != 0 ? c : strcmp(x->value, y->value);
}

void alert_fingerprint(const alert_label *labels, size_t n_labels,
                       char out[ALERT_FINGERPRINT_LEN + 1])
{
    alert_label sorted[ALERT_MAX_LABELS];
    if (n_labels > ALERT_MAX_LABELS)
        n_labels = ALERT_MAX_LABELS;
    memcpy(sorted, labels, n_labels * sizeof *labels);
    qsort(sorted, n_labels, sizeof *sorted, cmp_label);
    /* 0xff cannot occur in UTF-8 text, so it separates without ambiguity ("a"+"bc" and
     * "ab"+"c" hash differently); the same separator Prometheus uses for its label hash. */
    static const unsigned char sep = 0xff;
    uint64_t h = FNV64_OFFSET;
    for (size_t i = 0; i < n_labels; i++) {
        h = fnv1a64(h, sorted[i].name, strlen(sorted[i].name));
        h = fnv1a64(h, &sep, 1);
        h = fnv1a64(h, sorted[i].value, strlen(sorted[i].value));
        h = fnv1a64(h, &sep, 1);
    }
    /* "%016" PRIx64 by hand: a national year has a thousand alerts and more per evaluation */
    static const char HEX[] = "0123456789abcdef";
    for (int i = ALERT_FINGERPRINT_LEN - 1; i >= 0; i--, h >>= 4)
        out[i] = HEX[h & 0xf];
    out[ALERT_FINGERPRINT_LEN] = '\0';
}

/* --- formatting -------------------------------------------------------------------------- */

void alert_format_bp(int32_t bp, char buf[16])
{
    /* Whole part, then the four decimals with trailing zeros dropped but one kept, so the
     * label reads like the configuration ("0.75", "1.0"). */
    const char *sign = bp < 0 ? "-" : "";
    uint32_t mag = bp < 0 ? (uint32_t)0 - (uint32_t)bp : (uint32_t)bp;
    char frac[8];
    snprintf(frac, sizeof frac, "%04" PRIu32, mag % 10000u);
    size_t len = strlen(frac);
    while (len > 1 && frac[len - 1] == '0')
        frac[--len] = '\0';
    snprintf(buf, 16, "%s%" PRIu32 ".%s", sign, mag / 10000u, frac);
}

static void month_label(int year, int month, char buf[8])
{
    unsigned y = (unsigned)year % 10000u, m = (unsigned)month % 100u;
    snprintf(buf, 8, "%04u-%02u", y, m);
}

/* --- exact comparisons ------------------------------------------------------------------- */

__extension__ typedef __int128 wide;

/* @return amount x 10000 >= base x bp, exactly. */
static bool share_ge(int64_t amount, int64_t base, int64_t bp)
{
    return (wide)amount * 10000 >= (wide)base * bp;
}

/* @return amount x 10000 > base x bp, exactly. */
static bool share_gt(int64_t amount, int64_t base, int64_t bp)
{
    return (wide)amount * 10000 > (wide)base * bp;
}

/* --- condition building ------------------------------------------------------------------ */

static alert_condition_set *set_new(void)
{
    return calloc(1, sizeof(alert_condition_set));
}

void alert_condition_set_free(alert_condition_set *set)
{
    if (!set)
        return;
    free(set->items);
    free(set);
}

static alert_condition *set_push(alert_condition_set *set)
{
    if (set->n == set->cap) {
        size_t cap = set->cap ? set->cap * 2 : 16;
        alert_condition *items = realloc(set->items, cap * sizeof *items);
        if (!items)
            return NULL;
        set->items = items;
        set->cap = cap;
    }
    alert_condition *c = &set->items[set->n++];
    memset(c, 0, sizeof *c);
    return c;
}

/* Inserts a label keeping the array sorted by name. Names are unique by construction. */
static void add_label(alert_condition *c, const char *name, const char *value)
{
    if (c->n_labels >= ALERT_MAX_LABELS)
        return;
    size_t at = c->n_labels;
    while (at > 0 && strcmp(c->labels[at - 1].name, name) > 0) {
        c->labels[at] = c->labels[at - 1];
        at--;
    }
    snprintf(c->labels[at].name, sizeof c->labels[at].name, "%s", name);
    snprintf(c->labels[at].value, sizeof c->labels[at].value, "%s", value);
    c->n_labels++;
}

/* Checked like printf by the compiler at every call. */
static void set_text(char *dst, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set_text(char *dst, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(dst, size, fmt, ap);
    va_end(ap);
}

/* The shared part of every evaluation: the status, the config and the output set. */
typedef struct {
    const budget_status *st;
    const forecast_result *fc;
    const alert_config *cfg;
    alert_condition_set *set;
    char year[8];
    char as_of[11];
    char as_of_nl[NL_FORMAT_MAX]; /* "4 december 2026" */
    bool nomem;
} eval_ctx;

/* Starts a condition with the labels every alert has. NULL (and ctx->nomem) on no memory. */
static alert_condition *begin(eval_ctx *cx, alert_rule rule, const char *severity, bool fires,
                              double value)
{
    alert_condition *c = set_push(cx->set);
    if (!c) {
        cx->nomem = true;
        return NULL;
    }
    c->rule = rule;
    c->fires = fires;
    c->value = value;
    c->for_evaluations = cx->cfg->for_evaluations[rule];
    add_label(c, "alertname", rule_names[rule]);
    add_label(c, "year", cx->year);
    add_label(c, "severity", severity);
    return c;
}

/* Seals a condition once its labels are complete (c must be the set's last item). With
 * @p dedupe, a condition whose fingerprint is already in the set is dropped: one alert per
 * label set, as in Alertmanager. Only configuration can repeat a label set (a threshold or
 * an extra cap listed twice), so only those rules pay for the search. */
static void finish(eval_ctx *cx, alert_condition *c, bool dedupe)
{
    alert_fingerprint(c->labels, c->n_labels, c->fingerprint);
    if (!dedupe)
        return;
    for (size_t i = 0; i + 1 < cx->set->n; i++)
        if (strcmp(cx->set->items[i].fingerprint, c->fingerprint) == 0) {
            cx->set->n--;
            return;
        }
}

/* --- the rules --------------------------------------------------------------------------- */

static void rule_thresholds(eval_ctx *cx)
{
    const budget_status *st = cx->st;
    for (size_t i = 0; i < cx->cfg->n_thresholds; i++) {
        const int32_t t = cx->cfg->thresholds_bp[i];
        const bool fires = share_ge(st->spent_cents, st->cap_cents, t);
        const bool holds =
            share_ge(st->spent_cents, st->cap_cents, (int64_t)t - cx->cfg->hysteresis_bp);
        if (!holds)
            continue;
        alert_condition *c = begin(cx, ALERT_RULE_THRESHOLD, t >= 10000 ? "critical" : "warning",
                                   fires, st->spent_ratio);
        if (!c)
            return;
        char tl[16], rl[16], spent[24], cap[24];
        alert_format_bp(t, tl);
        alert_format_bp(t - cx->cfg->hysteresis_bp, rl);
        add_label(c, "threshold", tl);
        set_text(c->summary, sizeof c->summary, "C&A spend %s reached %s of the cap", cx->year, tl);
        set_text(c->description, sizeof c->description,
                 "%s EUR spent of the %s cap of %s EUR (%.1f %%) as of %s. Fires at %s of the "
                 "cap, resolves below %s.",
                 money_format(st->spent_cents, spent), cx->year, money_format(st->cap_cents, cap),
                 st->spent_ratio * 100.0, cx->as_of, tl, rl);
        char tn[NL_FORMAT_MAX], rn[NL_FORMAT_MAX], sn[NL_FORMAT_MAX], cn[NL_FORMAT_MAX],
            pn[NL_FORMAT_MAX];
        nl_format_bp(t, tn);
        nl_format_bp(t - cx->cfg->hysteresis_bp, rn);
        set_text(c->summary_nl, sizeof c->summary_nl,
                 "C&A-uitgaven %s hebben %s van het plafond bereikt", cx->year, tn);
        set_text(c->description_nl, sizeof c->description_nl,
                 "%s besteed van het plafond %s van %s (%s) per %s. Gaat af bij %s van het "
                 "plafond, vervalt onder %s.",
                 nl_format_euro(st->spent_cents, sn), cx->year, nl_format_euro(st->cap_cents, cn),
                 nl_format_percent(st->spent_cents, st->cap_cents, 1, pn), cx->as_of_nl, tn, rn);
        finish(cx, c, true);
    }
}

static void rule_forecast(eval_ctx *cx)
{
    const budget_status *st = cx->st;
    const forecast_result *fc = cx->fc;
    const int32_t f = cx->cfg->forecast_threshold_bp;
    const bool fires = share_ge(fc->year_end_cents, st->cap_cents, f);
    if (!share_ge(fc->year_end_cents, st->cap_cents, (int64_t)f - cx->cfg->hysteresis_bp))
        return;
    alert_condition *c = begin(cx, ALERT_RULE_FORECAST, "warning", fires,
                               budget_ratio(fc->year_end_cents, st->cap_cents));
    if (!c)
        return;
    char fl[16], ye[24], lo[24], hi[24], cap[24], day[11];
    const char *on = "no day of the year";
    alert_format_bp(f, fl);
    add_label(c, "threshold", fl);
    if (fc->cap_reached_on != LV_DATE_NONE) {
        lv_date_format_iso(fc->cap_reached_on, day);
        on = day;
    }
    set_text(c->summary, sizeof c->summary, "C&A spend %s is forecast to reach %s of the cap",
             cx->year, fl);
    set_text(c->description, sizeof c->description,
             "Forecast year end %s EUR (range %s to %s EUR) against a cap of %s EUR; cap "
             "reached on %s. Method: %s; as of %s.",
             money_format(fc->year_end_cents, ye), money_format(fc->low_cents, lo),
             money_format(fc->high_cents, hi), money_format(st->cap_cents, cap), on,
             fc->method ? fc->method : "", cx->as_of);
    char fn[NL_FORMAT_MAX], yn[NL_FORMAT_MAX], ln[NL_FORMAT_MAX], hn[NL_FORMAT_MAX],
        cn[NL_FORMAT_MAX], dn[NL_FORMAT_MAX];
    char reached[80] = "het plafond wordt dit jaar niet bereikt";
    nl_format_bp(f, fn);
    if (fc->cap_reached_on != LV_DATE_NONE)
        set_text(reached, sizeof reached, "het plafond wordt bereikt op %s",
                 nl_format_date(fc->cap_reached_on, dn));
    set_text(c->summary_nl, sizeof c->summary_nl,
             "Verwachte C&A-uitgaven %s bereiken %s van het plafond", cx->year, fn);
    set_text(c->description_nl, sizeof c->description_nl,
             "Prognose jaareinde %s (bandbreedte %s tot %s) tegen een plafond van %s; "
             "%s. Methode: %s; per %s.",
             nl_format_euro(fc->year_end_cents, yn), nl_format_euro(fc->low_cents, ln),
             nl_format_euro(fc->high_cents, hn), nl_format_euro(st->cap_cents, cn), reached,
             fc->has_run_rate ? "gemiddelde van de complete maanden, bandbreedte van de "
                                "laagste en hoogste maand"
                              : "uitgaven tot nu toe (nog geen complete maand)",
             cx->as_of_nl);
    finish(cx, c, false);
}

static void rule_profile(eval_ctx *cx)
{
    const budget_status *st = cx->st;
    if (st->complete_months == 0 || st->profile_ytd_cents <= 0)
        return;
    const int64_t m = 10000 + (int64_t)cx->cfg->profile_margin_bp;
    const bool fires = share_gt(st->spent_complete_cents, st->profile_ytd_cents, m);
    if (!share_gt(st->spent_complete_cents, st->profile_ytd_cents, m - cx->cfg->hysteresis_bp))
        return;
    alert_condition *c = begin(cx, ALERT_RULE_PROFILE, "warning", fires,
                               budget_ratio(st->spent_complete_cents, st->profile_ytd_cents));
    if (!c)
        return;
    char spent[24], prof[24], through[11], ml[16];
    lv_date_format_iso(st->profile_through, through);
    alert_format_bp(cx->cfg->profile_margin_bp, ml);
    const char *kind = st->profile_planned ? "planned" : "pro-rata";
    set_text(c->summary, sizeof c->summary, "C&A spend %s is ahead of the %s profile", cx->year,
             kind);
    set_text(c->description, sizeof c->description,
             "%s EUR spent in the complete months through %s against a %s profile of %s "
             "EUR (%.1f %%); the margin is %s. As of %s.",
             money_format(st->spent_complete_cents, spent), through, kind,
             money_format(st->profile_ytd_cents, prof), c->value * 100.0, ml, cx->as_of);
    const char *kind_nl = st->profile_planned ? "geplande" : "pro-rata";
    char sn[NL_FORMAT_MAX], pn[NL_FORMAT_MAX], rn[NL_FORMAT_MAX], tn[NL_FORMAT_MAX],
        mn[NL_FORMAT_MAX];
    set_text(c->summary_nl, sizeof c->summary_nl, "C&A-uitgaven %s lopen voor op het %s profiel",
             cx->year, kind_nl);
    set_text(c->description_nl, sizeof c->description_nl,
             "%s besteed in de complete maanden tot en met %s tegen een %s profiel van %s "
             "(%s); de marge is %s. Per %s.",
             nl_format_euro(st->spent_complete_cents, sn), nl_format_date(st->profile_through, tn),
             kind_nl, nl_format_euro(st->profile_ytd_cents, pn),
             nl_format_percent(st->spent_complete_cents, st->profile_ytd_cents, 1, rn),
             nl_format_bp(cx->cfg->profile_margin_bp, mn), cx->as_of_nl);
    finish(cx, c, false);
}

static void rule_missing(eval_ctx *cx)
{
    const budget_status *st = cx->st;
    for (size_t i = 0; i < st->n_providers && !cx->nomem; i++) {
        const budget_provider *p = &st->providers[i];
        for (int mi = 0; mi < BUDGET_MONTHS; mi++) {
            if (!(p->months_missing & (1u << mi)))
                continue;
            const lv_date deadline = st->months[mi].deadline;
            alert_condition *c = begin(cx, ALERT_RULE_PROVIDER_MISSING, "warning", true,
                                       (double)(st->as_of - deadline));
            if (!c)
                return;
            char ml[8], dl[11];
            month_label(st->year, mi + 1, ml);
            lv_date_format_iso(deadline, dl);
            add_label(c, "provider", p->agb);
            add_label(c, "month", ml);
            set_text(c->summary, sizeof c->summary, "Provider %s has not declared %s", p->agb, ml);
            set_text(c->description, sizeof c->description,
                     "Provider %s was designated in %s but has declared nothing for it; the "
                     "deadline was %s (%d days ago, as of %s). A provider that stops declaring "
                     "is a signal, not silence.",
                     p->agb, ml, dl, (int)(st->as_of - deadline), cx->as_of);
            char mn[NL_FORMAT_MAX], dn[NL_FORMAT_MAX];
            nl_format_month(st->year, mi + 1, mn);
            set_text(c->summary_nl, sizeof c->summary_nl,
                     "Zorgaanbieder %s heeft %s niet gedeclareerd", p->agb, mn);
            set_text(c->description_nl, sizeof c->description_nl,
                     "Zorgaanbieder %s was in %s aangewezen maar heeft voor die maand niets "
                     "gedeclareerd; de uiterste datum was %s (%d dagen geleden, per %s). Een "
                     "aanbieder die stopt met declareren is een signaal, geen stilte.",
                     p->agb, mn, nl_format_date(deadline, dn), (int)(st->as_of - deadline),
                     cx->as_of_nl);
            finish(cx, c, false);
        }
    }
}

/* @return true when cur is a spike over prev by the configured factor and minimum. */
static bool is_spike(const alert_config *cfg, money_cents prev, money_cents cur)
{
    money_cents increase;
    if (prev <= 0 || !money_sub(cur, prev, &increase))
        return false;
    return share_ge(cur, prev, cfg->spike_factor_bp) && increase >= cfg->spike_min_increase_cents;
}

static void spike_condition(eval_ctx *cx, alert_rule rule, const char *label, const char *key,
                            const char *what, const char *what_nl, money_cents prev,
                            money_cents cur)
{
    const int k = cx->st->complete_months;
    alert_condition *c = begin(cx, rule, "info", true, budget_ratio(cur, prev));
    if (!c)
        return;
    char ml[8], pl[8], cs[24], ps[24];
    month_label(cx->st->year, k, ml);
    month_label(cx->st->year, k - 1, pl);
    add_label(c, label, key);
    add_label(c, "month", ml);
    set_text(c->summary, sizeof c->summary, "Spend of %s %s jumped in %s", what, key, ml);
    set_text(c->description, sizeof c->description,
             "%s %s: %s EUR in %s after %s EUR in %s (x%.2f). As of %s.", what, key,
             money_format(cur, cs), ml, money_format(prev, ps), pl, c->value, cx->as_of);
    char mn[NL_FORMAT_MAX], pn[NL_FORMAT_MAX], cn[NL_FORMAT_MAX], bn[NL_FORMAT_MAX],
        xn[NL_FORMAT_MAX];
    nl_format_month(cx->st->year, k, mn);
    nl_format_month(cx->st->year, k - 1, pn);
    set_text(c->summary_nl, sizeof c->summary_nl, "Uitgaven van %s %s sterk gestegen in %s",
             what_nl, key, mn);
    set_text(c->description_nl, sizeof c->description_nl,
             "%s %s: %s in %s na %s in %s (x%s). Per %s.", what_nl, key, nl_format_euro(cur, cn),
             mn, nl_format_euro(prev, bn), pn, nl_format_factor(cur, prev, xn), cx->as_of_nl);
    finish(cx, c, false);
}

static void rule_spikes(eval_ctx *cx)
{
    const budget_status *st = cx->st;
    const int k = st->complete_months;
    if (k < 2)
        return;
    for (size_t i = 0; i < st->n_providers && !cx->nomem; i++) {
        const money_cents prev = st->providers[i].month_spent_cents[k - 2];
        const money_cents cur = st->providers[i].month_spent_cents[k - 1];
        if (is_spike(cx->cfg, prev, cur))
            spike_condition(cx, ALERT_RULE_PROVIDER_SPIKE, "provider", st->providers[i].agb,
                            "provider", "zorgaanbieder", prev, cur);
    }
    for (size_t i = 0; i < st->n_groups && !cx->nomem; i++) {
        const money_cents prev = st->groups[i].month_spent_cents[k - 2];
        const money_cents cur = st->groups[i].month_spent_cents[k - 1];
        if (is_spike(cx->cfg, prev, cur))
            spike_condition(cx, ALERT_RULE_GROUP_SPIKE, "target_group", st->groups[i].code,
                            "target group", "doelgroep", prev, cur);
    }
}

static void rule_extra_caps(eval_ctx *cx)
{
    const budget_status *st = cx->st;
    for (size_t i = 0; i < st->n_extra_caps && !cx->nomem; i++) {
        const budget_extra_cap_status *e = &st->extra_caps[i];
        const bool fires = e->spent_cents >= e->cap_cents;
        if (!share_ge(e->spent_cents, e->cap_cents, 10000 - (int64_t)cx->cfg->hysteresis_bp))
            continue;
        alert_condition *c = begin(cx, ALERT_RULE_EXTRA_CAP, "critical", fires, e->ratio);
        if (!c)
            return;
        const bool group = e->scope == BUDGET_SCOPE_TARGET_GROUP;
        char spent[24], cap[24];
        add_label(c, group ? "target_group" : "provider", e->key);
        set_text(c->summary, sizeof c->summary, "Extra cap of %s %s reached",
                 group ? "target group" : "provider", e->key);
        set_text(c->description, sizeof c->description,
                 "%s EUR spent against the %s cap of %s EUR for %s %s (%.1f %%). As of %s.",
                 money_format(e->spent_cents, spent), cx->year, money_format(e->cap_cents, cap),
                 group ? "target group" : "provider", e->key, e->ratio * 100.0, cx->as_of);
        const char *what_nl = group ? "doelgroep" : "zorgaanbieder";
        char sn[NL_FORMAT_MAX], cn[NL_FORMAT_MAX], rn[NL_FORMAT_MAX];
        set_text(c->summary_nl, sizeof c->summary_nl, "Extra plafond van %s %s bereikt", what_nl,
                 e->key);
        set_text(c->description_nl, sizeof c->description_nl,
                 "%s besteed tegen het plafond %s van %s voor %s %s (%s). Per %s.",
                 nl_format_euro(e->spent_cents, sn), cx->year, nl_format_euro(e->cap_cents, cn),
                 what_nl, e->key, nl_format_percent(e->spent_cents, e->cap_cents, 1, rn),
                 cx->as_of_nl);
        finish(cx, c, true);
    }
}

static bool config_valid(const alert_config *cfg)
{
    if (cfg->n_thresholds > ALERT_MAX_THRESHOLDS || cfg->forecast_threshold_bp < 0 ||
        cfg->hysteresis_bp < 0 || cfg->profile_margin_bp < 0 || cfg->spike_factor_bp < 0 ||
        cfg->spike_min_increase_cents < 0)
        return false;
    for (size_t i = 0; i < cfg->n_thresholds; i++)
        if (cfg->thresholds_bp[i] < 0)
            return false;
    for (int r = 0; r < ALERT_RULE_COUNT; r++)
        if (cfg->for_evaluations[r] < 0)
            return false;
    return true;
}

alert_condition_set *alert_rules_evaluate(const budget_status *st, const forecast_result *fc,
                                          const alert_config *cfg)
{
    if (!st || !fc || !cfg || !config_valid(cfg))
        return NULL;
    eval_ctx cx = {.st = st, .fc = fc, .cfg = cfg, .set = set_new()};
    if (!cx.set)
        return NULL;
    snprintf(cx.year, sizeof cx.year, "%d", st->year % 10000);
    lv_date_format_iso(st->as_of, cx.as_of);
    nl_format_date(st->as_of, cx.as_of_nl);

    rule_thresholds(&cx);
    if (!cx.nomem)
        rule_forecast(&cx);
    if (!cx.nomem)
        rule_profile(&cx);
    if (!cx.nomem)
        rule_missing(&cx);
    if (!cx.nomem)
        rule_spikes(&cx);
    if (!cx.nomem)
        rule_extra_caps(&cx);
    if (cx.nomem) {
        alert_condition_set_free(cx.set);
        return NULL;
    }
    return cx.set;
}

const char *alert_condition_label(const alert_condition *c, const char *name)
{
    for (size_t i = 0; i < c->n_labels; i++)
        if (strcmp(c->labels[i].name, name) == 0)
            return c->labels[i].value;
    return NULL;
}

const alert_condition *alert_condition_set_find(const alert_condition_set *set,
                                                const char *fingerprint)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcmp(set->items[i].fingerprint, fingerprint) == 0)
            return &set->items[i];
    return NULL;
}
