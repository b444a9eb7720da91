/*
 * snapshot_docs.c: the JSON documents of a snapshot, each serialised once with its strong
 * ETag (FNV-1a 64 of the body, 16 hex digits): the status document when the snapshot is
 * built, the others (providers, per zorgkantoor, per group, per provider: a hundred or so,
 * most of a round's work) when one of them is first read (snapshot_docs_ensure()). A
 * snapshot never changes, so a document serialised later is the same bytes.
 *
 * Shapes (doc/api.md fixes the status document; the rest is ours and only grows):
 *   status     year, currency, cap_cents, spent_cents, spent_ratio, remaining_cents,
 *              profile_ytd_cents, profile_through, profile_kind, complete_months,
 *              spent_complete_cents, travel_cents, minutes, forecast{...}, groups[],
 *              months[], zorgkantoren[], extra_caps[], alerts_firing, data_as_of,
 *              generated_at, stale
 *   providers  year, providers[] (one object per provider, see provider_json()), times, stale;
 *              per zorgkantoor (?zorgkantoor=Z) the same list cut to its providers, with
 *              the zorgkantoor's own figures as "zorgkantoor"
 * Every document of an as_of snapshot also says "as_of": "YYYY-MM-DD".
 *   group      one group's spend, its months and its providers
 *   provider   one provider's object plus its months and groups
 * Money is integer cents; ratios are JSON reals 0..1 (display only); months are "YYYY-MM";
 * times ISO 8601 UTC with a Z; dates "YYYY-MM-DD"; unknowns are null, never 0.
 *
 * The ETag is a hash of the exact body, so two daemons on one database that built the same
 * figures at different moments still differ (generated_at): an ETag says "this body", which
 * is all If-None-Match needs. FNV is not collision resistant against a chosen body; bodies
 * here are our own output, so it only needs to tell versions apart.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "snapshot/snapshot_internal.h"

#define DUMP_FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10))

static uint64_t fnv1a64(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* Serialises @a doc into @a out and takes the reference to @a doc. */
static bool doc_set(snapshot_doc *out, json_t *doc)
{
    if (doc == NULL)
        return false;
    out->body = json_dumps(doc, DUMP_FLAGS);
    json_decref(doc);
    if (out->body == NULL)
        return false;
    out->len = strlen(out->body);
    snprintf(out->etag, sizeof out->etag, "\"%016" PRIx64 "\"", fnv1a64(out->body, out->len));
    return true;
}

static json_t *month_json(int year, int month)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%04d-%02d", year, month);
    return json_string(buf);
}

static json_t *date_json(lv_date d)
{
    if (d == LV_DATE_NONE)
        return json_null();
    char buf[11];
    lv_date_format_iso(d, buf);
    return json_string(buf);
}

static json_t *time_json(time_t t)
{
    if (t <= 0)
        return json_null();
    char buf[21];
    snapshot_format_time(t, buf);
    return json_string(buf);
}

static json_t *str_or_null(const char *s)
{
    return s != NULL && s[0] != '\0' ? json_string(s) : json_null();
}

static json_t *cents(money_cents c)
{
    return json_integer((json_int_t)c);
}

/* The months of @a mask as ["YYYY-MM", ...]. */
static json_t *month_list(int year, uint16_t mask)
{
    json_t *a = json_array();
    for (int m = 1; m <= BUDGET_MONTHS; m++)
        if (mask & (1u << (m - 1)))
            json_array_append_new(a, month_json(year, m));
    return a;
}

/* Adds year, generated_at, data_as_of and stale to @a o. @return @a o. */
static json_t *add_times(json_t *o, const snapshot *s)
{
    if (o == NULL)
        return NULL;
    if (s->as_of != LV_DATE_NONE)
        json_object_set_new(o, "as_of", date_json(s->as_of));
    json_object_set_new(o, "data_as_of", time_json(s->data_as_of));
    json_object_set_new(o, "generated_at", time_json(s->generated_at));
    json_object_set_new(o, "stale", json_boolean(s->stale));
    return o;
}

static const budget_extra_cap_status *extra_cap_of(const budget_status *st, budget_scope scope,
                                                   const char *key)
{
    for (size_t i = 0; i < st->n_extra_caps; i++)
        if (st->extra_caps[i].scope == scope && strcmp(st->extra_caps[i].key, key) == 0)
            return &st->extra_caps[i];
    return NULL;
}

static json_t *extra_cap_json(const budget_extra_cap_status *c)
{
    if (c == NULL)
        return json_null();
    return json_pack("{s:s, s:s, s:o, s:o, s:o, s:f}", "scope",
                     c->scope == BUDGET_SCOPE_PROVIDER ? "provider" : "target_group", "key", c->key,
                     "cap_cents", cents(c->cap_cents), "spent_cents", cents(c->spent_cents),
                     "remaining_cents", cents(c->remaining_cents), "ratio", c->ratio);
}

/* ---------------------------------------------------------------------------------------- */
/* Status                                                                                   */

/* A zorgkantoor's figures: its spend, its share of the national spend (the cap is not
 * split) and the number of its providers in the reference data. */
static json_t *zorgkantoor_json(const snapshot *s, const budget_zorgkantoor *z)
{
    return json_pack("{s:o, s:o, s:o, s:f, s:i, s:I, s:o}", "code", str_or_null(z->code), "name",
                     str_or_null(z->code[0] ? snapshot_zk_name(s, z->code) : NULL), "spent_cents",
                     cents(z->spent_cents), "share_ratio", z->share_ratio, "providers",
                     z->n_providers, "minutes", (json_int_t)z->minutes, "travel_cents",
                     cents(z->travel_cents));
}

static json_t *forecast_json(const forecast_result *f)
{
    return json_pack(
        "{s:o, s:o, s:o, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:i, s:s}", "year_end_cents",
        cents(f->year_end_cents), "low_cents", cents(f->low_cents), "high_cents",
        cents(f->high_cents), "cap_reached_on", date_json(f->cap_reached_on),
        "cap_reached_earliest", date_json(f->cap_reached_earliest), "cap_reached_latest",
        date_json(f->cap_reached_latest), "has_run_rate", f->has_run_rate, "run_rate_cents",
        cents(f->run_rate_cents), "min_month_cents", cents(f->min_month_cents), "max_month_cents",
        cents(f->max_month_cents), "complete_months", f->complete_months, "method",
        f->method != NULL ? f->method : "");
}

static json_t *status_json(const snapshot *s)
{
    const budget_status *st = s->status;
    json_t *groups = json_array();
    for (size_t i = 0; i < st->n_groups; i++) {
        const budget_group *g = &st->groups[i];
        if (!g->in_contract)
            continue; /* the contract's groups only, in its order (doc/api.md) */
        json_array_append_new(
            groups, json_pack("{s:s, s:s, s:o, s:f, s:I, s:o, s:i}", "code", g->code, "name",
                              g->name, "spent_cents", cents(g->spent_cents), "share_ratio",
                              g->share_ratio, "minutes", (json_int_t)g->minutes, "travel_cents",
                              cents(g->travel_cents), "providers", (int)g->n_providers));
    }
    json_t *months = json_array();
    for (int m = 0; m < BUDGET_MONTHS; m++) {
        const budget_month *bm = &st->months[m];
        json_array_append_new(
            months,
            json_pack("{s:o, s:o, s:o, s:I, s:o, s:i, s:i, s:i, s:o, s:b, s:o}", "month",
                      month_json(st->year, bm->month), "spent_cents", cents(bm->spent_cents),
                      "cumulative_cents", cents(bm->cumulative_cents), "minutes",
                      (json_int_t)bm->minutes, "travel_cents", cents(bm->travel_cents),
                      "providers_declared", bm->providers_declared, "providers_expected",
                      bm->providers_expected, "providers_missing", bm->providers_missing,
                      "deadline", date_json(bm->deadline), "complete", bm->complete,
                      "profile_cents", cents(bm->profile_cents)));
    }
    json_t *zks = json_array();
    for (size_t i = 0; i < st->n_zorgkantoren; i++)
        json_array_append_new(zks, zorgkantoor_json(s, &st->zorgkantoren[i]));
    json_t *caps = json_array();
    for (size_t i = 0; i < st->n_extra_caps; i++)
        json_array_append_new(caps, extra_cap_json(&st->extra_caps[i]));

    json_t *o = json_pack(
        "{s:i, s:s, s:o, s:b, s:o, s:f, s:o, s:o, s:o, s:i, s:o, s:o, s:I, s:o, s:o, s:o,"
        " s:o, s:o, s:i, s:s}",
        "year", st->year, "currency", "EUR", "cap_cents", cents(st->cap_cents), "cap_configured",
        s->cap_from_budget, "spent_cents", cents(st->spent_cents), "spent_ratio", st->spent_ratio,
        "remaining_cents", cents(st->remaining_cents), "profile_ytd_cents",
        cents(st->profile_ytd_cents), "profile_through", date_json(st->profile_through),
        "complete_months", st->complete_months, "spent_complete_cents",
        cents(st->spent_complete_cents), "travel_cents", cents(st->travel_cents), "minutes",
        (json_int_t)st->minutes, "forecast", forecast_json(&s->forecast), "groups", groups,
        "months", months, "zorgkantoren", zks, "extra_caps", caps, "alerts_firing",
        s->alerts_firing, "profile_kind", st->profile_planned ? "planned" : "even");
    return add_times(o, s);
}

/* ---------------------------------------------------------------------------------------- */
/* Groups                                                                                   */

static const snapshot_provider_info *info_of(const snapshot *s, const char *agb)
{
    size_t lo = 0, hi = s->n_providers;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(agb, s->providers[mid].agb);
        if (c == 0)
            return &s->providers[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

static json_t *group_json(const snapshot *s, const budget_group *g)
{
    const budget_status *st = s->status;
    json_t *months = json_array();
    money_cents cumulative = 0;
    for (int m = 0; m < BUDGET_MONTHS; m++) {
        /* Sums of a subset of the checked totals cannot overflow where the totals did not. */
        cumulative += g->month_spent_cents[m];
        json_array_append_new(months,
                              json_pack("{s:o, s:o, s:o}", "month", month_json(st->year, m + 1),
                                        "spent_cents", cents(g->month_spent_cents[m]),
                                        "cumulative_cents", cents(cumulative)));
    }
    json_t *providers = json_array();
    for (size_t i = 0; i < g->n_providers; i++) {
        const budget_group_provider *p = &g->providers[i];
        const snapshot_provider_info *info = info_of(s, p->agb);
        json_array_append_new(providers,
                              json_pack("{s:s, s:o, s:o, s:o, s:I, s:o}", "agb", p->agb, "name",
                                        str_or_null(info ? info->name : NULL), "zorgkantoor",
                                        str_or_null(info ? info->zorgkantoor : NULL), "spent_cents",
                                        cents(p->spent_cents), "minutes", (json_int_t)p->minutes,
                                        "travel_cents", cents(p->travel_cents)));
    }
    json_t *o =
        json_pack("{s:i, s:s, s:s, s:b, s:o, s:f, s:f, s:I, s:o, s:o, s:o, s:o}", "year", st->year,
                  "code", g->code, "name", g->name, "in_contract", g->in_contract, "spent_cents",
                  cents(g->spent_cents), "share_ratio", g->share_ratio, "cap_ratio",
                  budget_ratio(g->spent_cents, st->cap_cents), "minutes", (json_int_t)g->minutes,
                  "travel_cents", cents(g->travel_cents), "extra_cap",
                  extra_cap_json(extra_cap_of(st, BUDGET_SCOPE_TARGET_GROUP, g->code)), "months",
                  months, "providers", providers);
    return add_times(o, s);
}

/* ---------------------------------------------------------------------------------------- */
/* Providers                                                                                */

static const budget_provider *status_provider(const budget_status *st, const char *agb)
{
    return budget_status_provider(st, agb);
}

/* One provider as the list shows it. */
static json_t *provider_json(const snapshot *s, size_t i)
{
    const budget_status *st = s->status;
    const snapshot_provider_info *info = &s->providers[i];
    const budget_provider *bp = status_provider(st, info->agb);
    const budget_provider zero = {.agb = {0}};
    const budget_provider *p = bp != NULL ? bp : &zero;
    return json_pack(
        "{s:s, s:o, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:o, s:i, s:I, s:o}", "agb", info->agb,
        "name", str_or_null(info->name), "zorgkantoor", str_or_null(info->zorgkantoor),
        "spent_cents", cents(p->spent_cents), "minutes", (json_int_t)p->minutes, "travel_cents",
        cents(p->travel_cents), "last_month_declared",
        p->last_month_declared > 0 ? month_json(st->year, p->last_month_declared) : json_null(),
        "months_declared", month_list(st->year, p->months_declared), "months_expected",
        month_list(st->year, p->months_expected), "missing_months",
        month_list(st->year, p->months_missing), "n_missing", p->n_missing, "late_lines",
        (json_int_t)s->shared->provider_late_lines[i], "extra_cap",
        extra_cap_json(extra_cap_of(st, BUDGET_SCOPE_PROVIDER, info->agb)));
}

/* The zorgkantoor codes there are (doc/domain.md). */
#define ZK_FIRST 5501
#define ZK_LAST 5533

static const budget_zorgkantoor *zorgkantoor_of(const budget_status *st, const char *code)
{
    for (size_t i = 0; i < st->n_zorgkantoren; i++)
        if (strcmp(st->zorgkantoren[i].code, code) == 0)
            return &st->zorgkantoren[i];
    return NULL;
}

/* Every provider, or those the reference data places in zorgkantoor @a zk (with its
 * figures as "zorgkantoor"). */
static json_t *providers_json(const snapshot *s, const budget_zorgkantoor *zk)
{
    json_t *list = json_array();
    for (size_t i = 0; i < s->n_providers; i++)
        if (zk == NULL || strcmp(s->providers[i].zorgkantoor, zk->code) == 0)
            json_array_append_new(list, provider_json(s, i));
    json_t *o = json_pack("{s:i, s:o}", "year", s->year, "providers", list);
    if (o != NULL && zk != NULL)
        json_object_set_new(o, "zorgkantoor", zorgkantoor_json(s, zk));
    return add_times(o, s);
}

/* One provider with its months and its groups. */
static json_t *provider_detail_json(const snapshot *s, size_t i)
{
    const budget_status *st = s->status;
    json_t *o = provider_json(s, i);
    if (o == NULL)
        return NULL;
    const budget_provider *p = status_provider(st, s->providers[i].agb);
    json_t *months = json_array();
    for (int m = 0; m < BUDGET_MONTHS; m++) {
        uint16_t bit = (uint16_t)(1u << m);
        json_array_append_new(
            months,
            json_pack("{s:o, s:o, s:b, s:b, s:b, s:o, s:b}", "month", month_json(st->year, m + 1),
                      "spent_cents", cents(p ? p->month_spent_cents[m] : 0), "declared",
                      p && (p->months_declared & bit), "expected", p && (p->months_expected & bit),
                      "missing", p && (p->months_missing & bit), "deadline",
                      date_json(st->months[m].deadline), "complete", st->months[m].complete));
    }
    json_t *groups = json_array();
    for (size_t g = 0; g < st->n_groups; g++) {
        const budget_group *bg = &st->groups[g];
        for (size_t k = 0; k < bg->n_providers; k++) {
            const budget_group_provider *gp = &bg->providers[k];
            if (strcmp(gp->agb, s->providers[i].agb) != 0)
                continue;
            json_array_append_new(groups,
                                  json_pack("{s:s, s:s, s:o, s:I, s:o}", "code", bg->code, "name",
                                            bg->name, "spent_cents", cents(gp->spent_cents),
                                            "minutes", (json_int_t)gp->minutes, "travel_cents",
                                            cents(gp->travel_cents)));
        }
    }
    json_object_set_new(o, "year", json_integer(st->year));
    json_object_set_new(o, "months", months);
    json_object_set_new(o, "groups", groups);
    return add_times(o, s);
}

bool snapshot_status_doc_build(snapshot *s)
{
    return doc_set(&s->status_doc, status_json(s));
}

bool snapshot_docs_build(snapshot *s)
{
    return doc_set(&s->status_doc, status_json(s));
}

/* Serialises the documents other than the status one. @return false when out of memory
 * (what was built stays for snapshot_docs_clear()). */
static bool docs_rest_build(snapshot *s)
{
    if (!doc_set(&s->providers_doc, providers_json(s, NULL)))
        return false;
    const budget_status *st = s->status;
    /* One list per zorgkantoor code there is (doc/domain.md: 5501..5533), so a code asked for
     * always has its document: one without providers or lines says so with zeros. */
    snapshot_zk_doc *zks = calloc(ZK_LAST - ZK_FIRST + 1, sizeof *zks);
    if (zks == NULL)
        return false;
    s->zk_docs = zks;
    for (int code = ZK_FIRST; code <= ZK_LAST; code++) {
        budget_zorgkantoor zero = {.code = {0}};
        snprintf(zero.code, sizeof zero.code, "%d", code);
        const budget_zorgkantoor *z = zorgkantoor_of(st, zero.code);
        snapshot_zk_doc *d = &zks[s->n_zk_docs++];
        memcpy(d->code, zero.code, sizeof d->code);
        if (!doc_set(&d->doc, providers_json(s, z != NULL ? z : &zero)))
            return false;
    }
    snapshot_group_doc *groups = calloc(st->n_groups ? st->n_groups : 1, sizeof *groups);
    if (groups == NULL)
        return false;
    s->group_docs = groups;
    for (size_t i = 0; i < st->n_groups; i++) {
        snprintf(groups[i].code, sizeof groups[i].code, "%s", st->groups[i].code);
        s->n_group_docs = i + 1;
        if (!doc_set(&groups[i].doc, group_json(s, &st->groups[i])))
            return false;
    }
    snapshot_provider_doc *provs = calloc(s->n_providers ? s->n_providers : 1, sizeof *provs);
    if (provs == NULL)
        return false;
    s->provider_docs = provs;
    for (size_t i = 0; i < s->n_providers; i++) {
        memcpy(provs[i].agb, s->providers[i].agb, sizeof provs[i].agb);
        s->n_provider_docs = i + 1;
        if (!doc_set(&provs[i].doc, provider_detail_json(s, i)))
            return false;
    }
    return true;
}

bool snapshot_docs_ensure(const snapshot *snap)
{
    /* A copy that borrows its owner's documents has them serialised there. */
    snapshot *s = (snapshot *)(snap->docs_owner != NULL ? snap->docs_owner : snap);
    /* (the documents are the one part of a snapshot set after publication) */
    if (atomic_load_explicit(&s->docs_built, memory_order_acquire))
        return true;
    pthread_mutex_lock(&s->docs_lock);
    bool ok = atomic_load_explicit(&s->docs_built, memory_order_relaxed);
    if (!ok) {
        ok = docs_rest_build(s);
        if (ok)
            atomic_store_explicit(&s->docs_built, true, memory_order_release);
        else
            snapshot_docs_clear(s); /* a later reader tries again */
    }
    pthread_mutex_unlock(&s->docs_lock);
    return ok;
}
