/*
 * budget.c: computes a year's budget status from aggregated fact rows (see budget.h for the
 * definitions of complete months, the profile and missing declarations).
 *
 * The shape of the work: first the dimensions are fixed (groups in contract order, providers
 * and zorgkantoren sorted and de-duplicated), then every fact row is added into all the
 * breakdowns at once through checked additions, then the month-level figures (complete,
 * cumulative, declared/expected) and the ratios are derived. Lookups are binary searches
 * over the sorted dimension arrays, so the cost is O(rows log providers).
 */
#include "budget.h"

#include "text.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The working state of one budget_status_new() call. */
typedef struct {
    bool overflow;
} build_ctx;

/* Adds @p v into *acc unless that overflows; an overflow is remembered, not ignored, so one
 * check after all the sums replaces a check after each. */
static void acc_add(build_ctx *cx, int64_t *acc, int64_t v)
{
    if (!money_add(*acc, v, acc))
        cx->overflow = true;
}

static bool valid_agb(const char *s)
{
    return text_is_digits(s, BUDGET_AGB_LEN);
}

static bool valid_zorgkantoor(const char *s)
{
    return !s || s[0] == '\0' || text_is_digits(s, BUDGET_ZK_LEN);
}

static bool valid_group_code(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= BUDGET_GROUP_CODE_MAX;
}

static int cmp_str_ptr(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Sorts @p keys (n string pointers) and removes duplicates in place. @return the new count. */
static size_t sort_unique(const char **keys, size_t n)
{
    if (n == 0)
        return 0;
    qsort(keys, n, sizeof *keys, cmp_str_ptr);
    size_t out = 1;
    for (size_t i = 1; i < n; i++)
        if (strcmp(keys[i], keys[out - 1]) != 0)
            keys[out++] = keys[i];
    return out;
}

/* @return the index of @p key in the sorted, unique @p keys, or -1. */
static long find_key(const char *const *keys, size_t n, const char *key)
{
    const char *const *hit = n ? bsearch(&key, keys, n, sizeof *keys, cmp_str_ptr) : NULL;
    return hit ? (long)(hit - keys) : -1;
}

bool budget_profile(int year, money_cents cap_cents, lv_date through, money_cents *out)
{
    const lv_date jan1 = lv_date_from_ymd(year, 1, 1);
    const lv_date next_jan1 = lv_date_from_ymd(year + 1, 1, 1);
    if (jan1 == LV_DATE_NONE || next_jan1 == LV_DATE_NONE)
        return false;
    const int64_t days_in_year = (int64_t)next_jan1 - jan1;
    if (through < jan1) {
        *out = 0;
        return true;
    }
    int64_t elapsed = (int64_t)through - jan1 + 1;
    if (elapsed >= days_in_year) {
        /* No rounding at all on the last day: the profile is the cap, to the cent. */
        *out = cap_cents;
        return true;
    }
    int64_t num;
    if (!money_mul(cap_cents, elapsed, &num))
        return false;
    *out = money_div_round_half_away(num, days_in_year);
    return true;
}

double budget_ratio(int64_t num, int64_t den)
{
    return den == 0 ? 0.0 : (double)num / (double)den;
}

void budget_deadlines(int year, int working_days, const lv_date *holidays, size_t n_holidays,
                      lv_date out[BUDGET_MONTHS])
{
    for (int m = 1; m <= BUDGET_MONTHS; m++)
        out[m - 1] = lv_declaration_deadline(lv_date_from_ymd(year, m, 1), working_days, holidays,
                                             n_holidays);
}

void budget_status_free(budget_status *st)
{
    if (!st)
        return;
    for (size_t i = 0; st->groups && i < st->n_groups; i++)
        free(st->groups[i].providers);
    free(st->groups);
    free(st->providers);
    free(st->zorgkantoren);
    free(st->extra_caps);
    free(st);
}

/* Checks everything that can be checked before allocating. @return false with err set. */
static bool validate_input(const budget_input *in, lv_error *err)
{
    if (in->year < 2000 || in->year > 2100) {
        lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "year %d outside 2000..2100", in->year);
        return false;
    }
    if (in->cap_cents <= 0) {
        lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "cap_cents must be positive");
        return false;
    }
    if (in->as_of == LV_DATE_NONE) {
        lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "as_of is missing");
        return false;
    }
    for (int m = 0; m < BUDGET_MONTHS; m++)
        if (in->deadlines[m] == LV_DATE_NONE) {
            lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "deadline of month %d is missing", m + 1);
            return false;
        }
    if ((in->n_groups && !in->groups) || (in->n_facts && !in->facts) ||
        (in->n_expected && !in->expected) || (in->n_declared && !in->declared) ||
        (in->n_extra_caps && !in->extra_caps)) {
        lv_error_set(err, LV_INPUT_INVALID, 0, NULL,
                     "an input array is NULL but its count is not 0");
        return false;
    }
    for (size_t i = 0; i < in->n_groups; i++) {
        const budget_group_def *g = &in->groups[i];
        if (!valid_group_code(g->code)) {
            lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "group %zu: code must be 1..%d characters",
                         i, BUDGET_GROUP_CODE_MAX);
            return false;
        }
        for (size_t j = 0; j < i; j++)
            if (strcmp(in->groups[j].code, g->code) == 0) {
                lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "group %s listed twice", g->code);
                return false;
            }
    }
    for (size_t i = 0; i < in->n_facts; i++) {
        const budget_fact *f = &in->facts[i];
        if (f->month < 1 || f->month > BUDGET_MONTHS || !valid_group_code(f->target_group) ||
            !valid_agb(f->provider_agb) || !valid_zorgkantoor(f->zorgkantoor)) {
            lv_error_set(err, LV_INPUT_INVALID, 0, NULL,
                         "fact %zu: month, target_group, provider_agb or zorgkantoor invalid", i);
            return false;
        }
    }
    const budget_provider_month *lists[2] = {in->expected, in->declared};
    const size_t counts[2] = {in->n_expected, in->n_declared};
    const char *names[2] = {"expected", "declared"};
    for (int l = 0; l < 2; l++)
        for (size_t i = 0; i < counts[l]; i++)
            if (!valid_agb(lists[l][i].provider_agb) || lists[l][i].month < 1 ||
                lists[l][i].month > BUDGET_MONTHS) {
                lv_error_set(err, LV_INPUT_INVALID, 0, NULL,
                             "%s %zu: provider_agb or month invalid", names[l], i);
                return false;
            }
    for (size_t i = 0; i < in->n_extra_caps; i++) {
        const budget_extra_cap *c = &in->extra_caps[i];
        bool key_ok = c->scope == BUDGET_SCOPE_TARGET_GROUP ? valid_group_code(c->key)
                      : c->scope == BUDGET_SCOPE_PROVIDER   ? valid_agb(c->key)
                                                            : false;
        if (!key_ok || c->cap_cents <= 0) {
            lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "extra cap %zu: scope, key or cap invalid",
                         i);
            return false;
        }
    }
    return true;
}

/* The dimension arrays of one build: sorted unique keys pointing into the input. */
typedef struct {
    const char **agbs;
    size_t n_agbs;
    const char **zks;
    size_t n_zks;
    const char **extra_groups; /* group codes met in facts but not in the contract */
    size_t n_extra_groups;
} dims;

static void dims_free(dims *d)
{
    free(d->agbs);
    free(d->zks);
    free(d->extra_groups);
}

static long contract_group_index(const budget_input *in, const char *code)
{
    for (size_t i = 0; i < in->n_groups; i++)
        if (strcmp(in->groups[i].code, code) == 0)
            return (long)i;
    return -1;
}

static bool build_dims(const budget_input *in, dims *d)
{
    memset(d, 0, sizeof *d);
    size_t n_agb_all = in->n_facts + in->n_expected + in->n_declared;
    d->agbs = malloc((n_agb_all ? n_agb_all : 1) * sizeof *d->agbs);
    d->zks = malloc((in->n_facts ? in->n_facts : 1) * sizeof *d->zks);
    d->extra_groups = malloc((in->n_facts ? in->n_facts : 1) * sizeof *d->extra_groups);
    if (!d->agbs || !d->zks || !d->extra_groups)
        return false;
    size_t na = 0, ng = 0;
    for (size_t i = 0; i < in->n_facts; i++) {
        const budget_fact *f = &in->facts[i];
        d->agbs[na++] = f->provider_agb;
        d->zks[i] = f->zorgkantoor ? f->zorgkantoor : "";
        if (contract_group_index(in, f->target_group) < 0)
            d->extra_groups[ng++] = f->target_group;
    }
    for (size_t i = 0; i < in->n_expected; i++)
        d->agbs[na++] = in->expected[i].provider_agb;
    for (size_t i = 0; i < in->n_declared; i++)
        d->agbs[na++] = in->declared[i].provider_agb;
    d->n_agbs = sort_unique(d->agbs, na);
    d->n_zks = sort_unique(d->zks, in->n_facts);
    d->n_extra_groups = sort_unique(d->extra_groups, ng);
    return true;
}

static long group_index(const budget_input *in, const dims *d, const char *code)
{
    long g = contract_group_index(in, code);
    if (g >= 0)
        return g;
    long e = find_key(d->extra_groups, d->n_extra_groups, code);
    return e < 0 ? -1 : (long)in->n_groups + e;
}

/* Per group x provider sums, kept in a dense matrix while adding up (groups are a handful,
 * providers a few hundred at most) and compacted into each group's list afterwards. */
typedef struct {
    money_cents spent;
    int64_t minutes;
    money_cents travel;
    bool seen;
} cell;

static bool fill_group_providers(budget_status *st, const dims *d, const cell *cells)
{
    for (size_t g = 0; g < st->n_groups; g++) {
        const cell *row = &cells[g * d->n_agbs];
        size_t n = 0;
        for (size_t p = 0; p < d->n_agbs; p++)
            n += row[p].seen;
        if (n == 0)
            continue;
        budget_group_provider *list = calloc(n, sizeof *list);
        if (!list)
            return false;
        size_t k = 0;
        for (size_t p = 0; p < d->n_agbs; p++) {
            if (!row[p].seen)
                continue;
            memcpy(list[k].agb, d->agbs[p], BUDGET_AGB_LEN + 1);
            list[k].spent_cents = row[p].spent;
            list[k].minutes = row[p].minutes;
            list[k].travel_cents = row[p].travel;
            k++;
        }
        st->groups[g].providers = list;
        st->groups[g].n_providers = n;
    }
    return true;
}

/* Adds every fact row into all breakdowns. */
static void add_facts(build_ctx *cx, const budget_input *in, const dims *d, budget_status *st,
                      cell *cells)
{
    for (size_t i = 0; i < in->n_facts; i++) {
        const budget_fact *f = &in->facts[i];
        const int mi = f->month - 1;
        budget_group *g = &st->groups[group_index(in, d, f->target_group)];
        long pi = find_key(d->agbs, d->n_agbs, f->provider_agb);
        budget_provider *p = &st->providers[pi];
        budget_zorgkantoor *z =
            &st->zorgkantoren[find_key(d->zks, d->n_zks, f->zorgkantoor ? f->zorgkantoor : "")];
        budget_month *mo = &st->months[mi];
        cell *c = &cells[(size_t)(g - st->groups) * d->n_agbs + (size_t)pi];

        acc_add(cx, &st->spent_cents, f->amount_cents);
        acc_add(cx, &st->minutes, f->minutes);
        acc_add(cx, &st->travel_cents, f->travel_cents);

        acc_add(cx, &g->spent_cents, f->amount_cents);
        acc_add(cx, &g->minutes, f->minutes);
        acc_add(cx, &g->travel_cents, f->travel_cents);
        acc_add(cx, &g->month_spent_cents[mi], f->amount_cents);

        acc_add(cx, &p->spent_cents, f->amount_cents);
        acc_add(cx, &p->minutes, f->minutes);
        acc_add(cx, &p->travel_cents, f->travel_cents);
        acc_add(cx, &p->month_spent_cents[mi], f->amount_cents);
        /* Accepted lines for a month mean the provider declared it, whatever the list says. */
        p->months_declared |= (uint16_t)(1u << mi);

        acc_add(cx, &z->spent_cents, f->amount_cents);
        acc_add(cx, &z->minutes, f->minutes);
        acc_add(cx, &z->travel_cents, f->travel_cents);

        acc_add(cx, &mo->spent_cents, f->amount_cents);
        acc_add(cx, &mo->minutes, f->minutes);
        acc_add(cx, &mo->travel_cents, f->travel_cents);

        acc_add(cx, &c->spent, f->amount_cents);
        acc_add(cx, &c->minutes, f->minutes);
        acc_add(cx, &c->travel, f->travel_cents);
        c->seen = true;
    }
}

/* Months: complete flags, the complete prefix, cumulative sums and provider counts. */
static void derive_months(build_ctx *cx, const budget_input *in, budget_status *st)
{
    money_cents cumulative = 0;
    uint16_t complete_mask = 0;
    st->complete_months = 0;
    bool prefix = true;
    for (int mi = 0; mi < BUDGET_MONTHS; mi++) {
        budget_month *mo = &st->months[mi];
        mo->month = mi + 1;
        mo->deadline = in->deadlines[mi];
        mo->complete = in->as_of > mo->deadline;
        if (mo->complete)
            complete_mask |= (uint16_t)(1u << mi);
        prefix = prefix && mo->complete;
        if (prefix) {
            st->complete_months = mi + 1;
            acc_add(cx, &st->spent_complete_cents, mo->spent_cents);
        }
        acc_add(cx, &cumulative, mo->spent_cents);
        mo->cumulative_cents = cumulative;
    }
    for (size_t i = 0; i < st->n_providers; i++) {
        budget_provider *p = &st->providers[i];
        p->months_missing = p->months_expected & (uint16_t)~p->months_declared & complete_mask;
        for (int mi = 0; mi < BUDGET_MONTHS; mi++) {
            const uint16_t bit = (uint16_t)(1u << mi);
            if (p->months_declared & bit) {
                p->last_month_declared = mi + 1;
                st->months[mi].providers_declared++;
            }
            if (p->months_expected & bit)
                st->months[mi].providers_expected++;
            if (p->months_missing & bit) {
                p->n_missing++;
                st->months[mi].providers_missing++;
            }
        }
    }
}

static void derive_extra_caps(build_ctx *cx, const budget_input *in, budget_status *st)
{
    for (size_t i = 0; i < in->n_extra_caps; i++) {
        const budget_extra_cap *c = &in->extra_caps[i];
        budget_extra_cap_status *o = &st->extra_caps[i];
        o->scope = c->scope;
        snprintf(o->key, sizeof o->key, "%s", c->key);
        o->cap_cents = c->cap_cents;
        if (c->scope == BUDGET_SCOPE_TARGET_GROUP) {
            const budget_group *g = budget_status_group(st, c->key);
            o->spent_cents = g ? g->spent_cents : 0;
        } else {
            const budget_provider *p = budget_status_provider(st, c->key);
            o->spent_cents = p ? p->spent_cents : 0;
        }
        if (!money_sub(o->cap_cents, o->spent_cents, &o->remaining_cents))
            cx->overflow = true;
        o->ratio = budget_ratio(o->spent_cents, o->cap_cents);
    }
}

static bool allocate_status(const budget_input *in, const dims *d, budget_status **out)
{
    budget_status *st = calloc(1, sizeof *st);
    if (!st)
        return false;
    *out = st;
    st->n_groups = in->n_groups + d->n_extra_groups;
    st->n_providers = d->n_agbs;
    st->n_zorgkantoren = d->n_zks;
    st->n_extra_caps = in->n_extra_caps;
    /* calloc(0) may return NULL; ask for one element so NULL always means no memory. */
    st->groups = calloc(st->n_groups ? st->n_groups : 1, sizeof *st->groups);
    st->providers = calloc(st->n_providers ? st->n_providers : 1, sizeof *st->providers);
    st->zorgkantoren =
        calloc(st->n_zorgkantoren ? st->n_zorgkantoren : 1, sizeof *st->zorgkantoren);
    st->extra_caps = calloc(st->n_extra_caps ? st->n_extra_caps : 1, sizeof *st->extra_caps);
    if (!st->groups || !st->providers || !st->zorgkantoren || !st->extra_caps) {
        return false; /* budget_status_free() copes with the half-built status */
    }
    for (size_t i = 0; i < in->n_groups; i++) {
        snprintf(st->groups[i].code, sizeof st->groups[i].code, "%s", in->groups[i].code);
        snprintf(st->groups[i].name, sizeof st->groups[i].name, "%s",
                 in->groups[i].name ? in->groups[i].name : in->groups[i].code);
        st->groups[i].in_contract = true;
    }
    for (size_t i = 0; i < d->n_extra_groups; i++) {
        budget_group *g = &st->groups[in->n_groups + i];
        snprintf(g->code, sizeof g->code, "%s", d->extra_groups[i]);
        /* No name is known for a code outside the contract; the code stands in for it. */
        snprintf(g->name, sizeof g->name, "%s", d->extra_groups[i]);
        g->in_contract = false;
    }
    for (size_t i = 0; i < d->n_agbs; i++)
        memcpy(st->providers[i].agb, d->agbs[i], BUDGET_AGB_LEN + 1);
    for (size_t i = 0; i < d->n_zks; i++)
        snprintf(st->zorgkantoren[i].code, sizeof st->zorgkantoren[i].code, "%s", d->zks[i]);
    return true;
}

budget_status *budget_status_new(const budget_input *in, lv_error *err)
{
    lv_error_clear(err);
    if (!in) {
        lv_error_set(err, LV_INPUT_INVALID, 0, NULL, "no input");
        return NULL;
    }
    if (!validate_input(in, err))
        return NULL;

    build_ctx cx = {.overflow = false};
    dims d;
    budget_status *st = NULL;
    cell *cells = NULL;
    if (!build_dims(in, &d) || !allocate_status(in, &d, &st))
        goto nomem;
    size_t n_cells = st->n_groups * (d.n_agbs ? d.n_agbs : 1);
    cells = calloc(n_cells ? n_cells : 1, sizeof *cells);
    if (!cells)
        goto nomem;

    st->year = in->year;
    st->as_of = in->as_of;
    st->cap_cents = in->cap_cents;

    for (size_t i = 0; i < in->n_expected; i++) {
        long p = find_key(d.agbs, d.n_agbs, in->expected[i].provider_agb);
        st->providers[p].months_expected |= (uint16_t)(1u << (in->expected[i].month - 1));
    }
    for (size_t i = 0; i < in->n_declared; i++) {
        long p = find_key(d.agbs, d.n_agbs, in->declared[i].provider_agb);
        st->providers[p].months_declared |= (uint16_t)(1u << (in->declared[i].month - 1));
    }
    add_facts(&cx, in, &d, st, cells);
    derive_months(&cx, in, st);
    derive_extra_caps(&cx, in, st);
    if (!money_sub(st->cap_cents, st->spent_cents, &st->remaining_cents))
        cx.overflow = true;

    st->profile_through = LV_DATE_NONE;
    st->profile_ytd_cents = 0;
    if (st->complete_months > 0) {
        st->profile_through = lv_date_month_end(lv_date_from_ymd(in->year, st->complete_months, 1));
        if (!budget_profile(in->year, in->cap_cents, st->profile_through, &st->profile_ytd_cents))
            cx.overflow = true;
    }

    if (cx.overflow) {
        lv_error_set(err, LV_9106_AMOUNT_OVERFLOW, 0, NULL,
                     "a budget sum exceeds the int64 cent range");
        goto fail;
    }

    st->spent_ratio = budget_ratio(st->spent_cents, st->cap_cents);
    for (size_t g = 0; g < st->n_groups; g++)
        st->groups[g].share_ratio =
            st->spent_cents > 0 ? budget_ratio(st->groups[g].spent_cents, st->spent_cents) : 0.0;

    if (!fill_group_providers(st, &d, cells))
        goto nomem;
    free(cells);
    dims_free(&d);
    return st;

nomem:
    lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
fail:
    free(cells);
    dims_free(&d);
    budget_status_free(st);
    return NULL;
}

const budget_group *budget_status_group(const budget_status *st, const char *code)
{
    for (size_t i = 0; i < st->n_groups; i++)
        if (strcmp(st->groups[i].code, code) == 0)
            return &st->groups[i];
    return NULL;
}

/* bsearch() comparator: an AGB string against a provider (the array is sorted by AGB). */
static int cmp_agb_provider(const void *key, const void *elem)
{
    return strcmp(key, ((const budget_provider *)elem)->agb);
}

const budget_provider *budget_status_provider(const budget_status *st, const char *agb)
{
    if (st->n_providers == 0)
        return NULL;
    return bsearch(agb, st->providers, st->n_providers, sizeof *st->providers, cmp_agb_provider);
}
