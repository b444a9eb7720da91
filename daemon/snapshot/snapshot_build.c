/*
 * snapshot_build.c: building one year's snapshot on a database connection, and the life of
 * a snapshot (references, stale copies, lookups).
 *
 * snapshot_build() is the one place where the ledger's sums become a budget status: the
 * daemon's listener thread calls it on its own connection, the request path calls it for a
 * year not cached yet, and `lvhcmon status` calls it on the command line's connection, so
 * the figures a controller reads in a terminal are those the dashboard shows.
 *
 * A snapshot is immutable once built. Its computed figures live in a shared part
 * (snapshot_internal.h) with a reference count of its own, so marking the figures stale
 * while the database is away costs a new set of documents, not a new computation.
 */
#include "snapshot/snapshot.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/queries_snapshot.h"
#include "log.h"
#include "nl_time.h"
#include "snapshot/snapshot_internal.h"

int snapshot_current_year(const lv_config *cfg)
{
    if (cfg != NULL && cfg->default_year >= 2000 && cfg->default_year <= 2100)
        return (int)cfg->default_year;
    /* Every status read asks for this: day arithmetic, not gmtime_r(), whose time zone
     * lock the HTTP threads would share; and each thread keeps the year of the last day
     * it worked out. */
    static _Thread_local lv_date known_day = LV_DATE_NONE;
    static _Thread_local int known_year;
    lv_date today = (lv_date)(time(NULL) / 86400);
    if (today != known_day) {
        int m, d;
        lv_date_to_ymd(today, &known_year, &m, &d);
        known_day = today;
    }
    return known_year;
}

void snapshot_format_time(time_t t, char buf[21])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* ---------------------------------------------------------------------------------------- */
/* References                                                                               */

static void shared_release(struct snapshot_shared *sh)
{
    if (sh == NULL || atomic_fetch_sub(&sh->refs, 1) != 1)
        return;
    budget_status_free(sh->status);
    free(sh->providers);
    free(sh->zk_names);
    free(sh->provider_late_lines);
    free(sh);
}

static void doc_clear(snapshot_doc *d)
{
    free(d->body);
    d->body = NULL;
    d->len = 0;
}

void snapshot_docs_clear(snapshot *snap)
{
    doc_clear(&snap->providers_doc);
    snapshot_group_doc *g = (snapshot_group_doc *)snap->group_docs;
    for (size_t i = 0; g != NULL && i < snap->n_group_docs; i++)
        doc_clear(&g[i].doc);
    free(g);
    snapshot_provider_doc *p = (snapshot_provider_doc *)snap->provider_docs;
    for (size_t i = 0; p != NULL && i < snap->n_provider_docs; i++)
        doc_clear(&p[i].doc);
    free(p);
    snapshot_zk_doc *z = (snapshot_zk_doc *)snap->zk_docs;
    for (size_t i = 0; z != NULL && i < snap->n_zk_docs; i++)
        doc_clear(&z[i].doc);
    free(z);
    snap->group_docs = NULL;
    snap->provider_docs = NULL;
    snap->zk_docs = NULL;
    snap->n_group_docs = snap->n_provider_docs = snap->n_zk_docs = 0;
}

void snapshot_free(snapshot *snap)
{
    if (snap == NULL)
        return;
    free(snap->provider_alerts);
    doc_clear(&snap->status_doc);
    if (snap->docs_owner != NULL) /* the other documents are its */
        snapshot_release(snap->docs_owner);
    else
        snapshot_docs_clear(snap);
    pthread_mutex_destroy(&snap->docs_lock);
    shared_release(snap->shared);
    free(snap);
}

bool snapshot_restamp(snapshot *snap, time_t generated_at)
{
    doc_clear(&snap->status_doc);
    snapshot_docs_clear(snap);
    atomic_store(&snap->docs_built, false); /* not published yet: no reader */
    snap->generated_at = generated_at;
    return snapshot_docs_build(snap);
}

/* Whether two documents have the same bytes (the ETag hashes them; the length and the
 * bytes settle a collision). */
static bool doc_same(const snapshot_doc *a, const snapshot_doc *b)
{
    return a->len == b->len && strcmp(a->etag, b->etag) == 0 &&
           (a->body == b->body || memcmp(a->body, b->body, a->len) == 0);
}

bool snapshot_docs_same(const snapshot *a, const snapshot *b)
{
    if (!snapshot_docs_ensure(a) || !snapshot_docs_ensure(b))
        return false; /* out of memory: say they differ, the new one is published */
    const snapshot *ao = a->docs_owner != NULL ? a->docs_owner : a;
    const snapshot *bo = b->docs_owner != NULL ? b->docs_owner : b;
    if (a->alerts_national != b->alerts_national || a->n_provider_alerts != b->n_provider_alerts)
        return false; /* the provider views count these */
    for (size_t i = 0; i < a->n_provider_alerts; i++)
        if (a->provider_alerts[i].firing != b->provider_alerts[i].firing ||
            strcmp(a->provider_alerts[i].agb, b->provider_alerts[i].agb) != 0)
            return false;
    if (!doc_same(&a->status_doc, &b->status_doc) ||
        !doc_same(&ao->providers_doc, &bo->providers_doc) || ao->n_group_docs != bo->n_group_docs ||
        ao->n_provider_docs != bo->n_provider_docs || ao->n_zk_docs != bo->n_zk_docs)
        return false;
    for (size_t i = 0; i < ao->n_group_docs; i++)
        if (strcmp(ao->group_docs[i].code, bo->group_docs[i].code) != 0 ||
            !doc_same(&ao->group_docs[i].doc, &bo->group_docs[i].doc))
            return false;
    for (size_t i = 0; i < ao->n_provider_docs; i++)
        if (strcmp(ao->provider_docs[i].agb, bo->provider_docs[i].agb) != 0 ||
            !doc_same(&ao->provider_docs[i].doc, &bo->provider_docs[i].doc))
            return false;
    for (size_t i = 0; i < ao->n_zk_docs; i++)
        if (strcmp(ao->zk_docs[i].code, bo->zk_docs[i].code) != 0 ||
            !doc_same(&ao->zk_docs[i].doc, &bo->zk_docs[i].doc))
            return false;
    return true;
}

const snapshot *snapshot_ref(const snapshot *snap)
{
    /* The count is the one mutable part of a published snapshot. */
    atomic_fetch_add(&((snapshot *)snap)->refs, 1);
    return snap;
}

void snapshot_release(const snapshot *snap)
{
    if (snap != NULL && atomic_fetch_sub(&((snapshot *)snap)->refs, 1) == 1)
        snapshot_free((snapshot *)snap);
}

/* A new snapshot over @a sh (taking one reference to it) with the scalar fields set from
 * @a from when given. */
static snapshot *snapshot_alloc(struct snapshot_shared *sh)
{
    snapshot *snap = calloc(1, sizeof *snap);
    if (snap == NULL)
        return NULL;
    atomic_init(&snap->refs, 1);
    atomic_init(&snap->docs_built, false);
    pthread_mutex_init(&snap->docs_lock, NULL);
    atomic_fetch_add(&sh->refs, 1);
    snap->shared = sh;
    snap->status = sh->status;
    snap->providers = sh->providers;
    snap->n_providers = sh->n_providers;
    snap->zk_names = sh->zk_names;
    snap->n_zk_names = sh->n_zk_names;
    snap->as_of = LV_DATE_NONE;
    return snap;
}

static int cmp_provider_alerts(const void *a, const void *b)
{
    return strcmp(((const snapshot_provider_alerts *)a)->agb,
                  ((const snapshot_provider_alerts *)b)->agb);
}

/* Sets the alert counts of @a snap (total, national, and a copy of the per-provider ones,
 * @a n of @a per, sorted by AGB). @return false when out of memory. */
static bool alert_counts_set(snapshot *snap, int total, int national,
                             const snapshot_provider_alerts *per, size_t n)
{
    snapshot_provider_alerts *copy = calloc(n ? n : 1, sizeof *copy);
    if (copy == NULL)
        return false;
    if (n > 0)
        memcpy(copy, per, n * sizeof *copy);
    free(snap->provider_alerts);
    snap->provider_alerts = copy;
    snap->n_provider_alerts = n;
    snap->alerts_firing = total;
    snap->alerts_national = national;
    return true;
}

/* The counts read by sq_year_load() / sq_year_catch_up() into @a snap. */
static bool alert_counts_from_data(snapshot *snap, const sq_year_data *d)
{
    snapshot_provider_alerts *per =
        calloc(d->n_provider_alerts ? d->n_provider_alerts : 1, sizeof *per);
    if (per == NULL)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < d->n_provider_alerts; i++) {
        if (strlen(d->provider_alerts[i].agb) != BUDGET_AGB_LEN)
            continue; /* not an AGB: no provider's token can ask for it */
        memcpy(per[n].agb, d->provider_alerts[i].agb, sizeof per[n].agb);
        per[n++].firing = d->provider_alerts[i].firing;
    }
    qsort(per, n, sizeof *per, cmp_provider_alerts);
    bool ok = alert_counts_set(snap, d->alerts_firing, d->alerts_national, per, n);
    free(per);
    return ok;
}

int snapshot_alerts_firing_for(const snapshot *snap, const char *agb)
{
    if (agb == NULL)
        return snap->alerts_firing;
    snapshot_provider_alerts key = {.firing = 0};
    snprintf(key.agb, sizeof key.agb, "%s", agb);
    const snapshot_provider_alerts *own =
        snap->n_provider_alerts > 0 ? bsearch(&key, snap->provider_alerts, snap->n_provider_alerts,
                                              sizeof key, cmp_provider_alerts)
                                    : NULL;
    return snap->alerts_national + (own != NULL ? own->firing : 0);
}

/* A new snapshot of @from's shared data with @from's figures (not its documents): the
 * start of every copy. NULL when out of memory; the caller owns the result. */
static snapshot *snapshot_figures_copy_new(const snapshot *from)
{
    snapshot *snap = snapshot_alloc(from->shared);
    if (snap == NULL)
        return NULL;
    snap->year = from->year;
    snap->as_of = from->as_of;
    snap->forecast = from->forecast;
    if (!alert_counts_set(snap, from->alerts_firing, from->alerts_national, from->provider_alerts,
                          from->n_provider_alerts)) {
        snapshot_free(snap);
        return NULL;
    }
    snap->data_as_of = from->data_as_of;
    snap->last_ingest = from->last_ingest;
    snap->generated_at = from->generated_at;
    snap->cap_from_budget = from->cap_from_budget;
    snap->stale = from->stale;
    return snap;
}

snapshot *snapshot_stale_copy_new(const snapshot *from)
{
    snapshot *snap = snapshot_figures_copy_new(from);
    if (snap == NULL)
        return NULL;
    snap->stale = true;
    if (!snapshot_docs_build(snap)) {
        snapshot_free(snap);
        return NULL;
    }
    return snap;
}

snapshot *snapshot_alerts_copy_new(const snapshot *from, const sq_year_data *d)
{
    snapshot *snap = snapshot_figures_copy_new(from);
    if (snap == NULL)
        return NULL;
    if (!alert_counts_from_data(snap, d)) {
        snapshot_free(snap);
        return NULL;
    }
    /* Borrow the documents from whoever owns them (never a chain of copies); they are
     * read through the owner (docs_of()), serialised when first asked for. */
    const snapshot *owner = from->docs_owner != NULL ? from->docs_owner : from;
    snap->docs_owner = snapshot_ref(owner);
    if (!snapshot_status_doc_build(snap)) {
        snapshot_free(snap);
        return NULL;
    }
    return snap;
}

/* ---------------------------------------------------------------------------------------- */
/* Building                                                                                 */

static int cmp_info(const void *a, const void *b)
{
    return strcmp(((const snapshot_provider_info *)a)->agb,
                  ((const snapshot_provider_info *)b)->agb);
}

/* The providers the documents list: every provider of the reference table (a designated
 * provider with nothing declared is news, and one without a designation this year shows
 * zeros) and every AGB met in the ledger, sorted by AGB. */
static bool providers_merge(struct snapshot_shared *sh, const sq_year_data *d)
{
    const budget_status *st = sh->status;
    size_t cap = d->n_providers + st->n_providers;
    sh->providers = calloc(cap ? cap : 1, sizeof *sh->providers);
    sh->provider_late_lines = calloc(cap ? cap : 1, sizeof *sh->provider_late_lines);
    if (sh->providers == NULL || sh->provider_late_lines == NULL)
        return false;
    size_t n = 0;
    for (size_t i = 0; i < d->n_providers; i++) {
        if (strlen(d->providers[i].agb) != BUDGET_AGB_LEN)
            continue;
        snapshot_provider_info *p = &sh->providers[n++];
        snprintf(p->agb, sizeof p->agb, "%s", d->providers[i].agb);
        snprintf(p->name, sizeof p->name, "%s", d->providers[i].name);
        snprintf(p->zorgkantoor, sizeof p->zorgkantoor, "%s", d->providers[i].zorgkantoor);
    }
    size_t n_ref = n;
    for (size_t i = 0; i < st->n_providers; i++) {
        snapshot_provider_info key;
        snprintf(key.agb, sizeof key.agb, "%s", st->providers[i].agb);
        if (bsearch(&key, sh->providers, n_ref, sizeof key, cmp_info) != NULL)
            continue;
        snapshot_provider_info *p = &sh->providers[n++]; /* not in reference data: no name */
        memcpy(p->agb, key.agb, sizeof key.agb);
    }
    qsort(sh->providers, n, sizeof *sh->providers, cmp_info);
    sh->n_providers = n;
    for (size_t i = 0; i < d->n_facts; i++) {
        snapshot_provider_info key;
        snprintf(key.agb, sizeof key.agb, "%s", d->facts[i].provider_agb);
        snapshot_provider_info *p = bsearch(&key, sh->providers, n, sizeof key, cmp_info);
        if (p != NULL)
            sh->provider_late_lines[p - sh->providers] += d->facts_late[i];
    }
    return true;
}

static int cmp_zk_info(const void *a, const void *b)
{
    return strcmp(((const snapshot_zk_info *)a)->code, ((const snapshot_zk_info *)b)->code);
}

/* The names of the zorgkantoren of the reference data, sorted by code. */
static bool zk_names_copy(struct snapshot_shared *sh, const sq_year_data *d)
{
    sh->zk_names = calloc(d->n_zorgkantoren ? d->n_zorgkantoren : 1, sizeof *sh->zk_names);
    if (sh->zk_names == NULL)
        return false;
    for (size_t i = 0; i < d->n_zorgkantoren; i++) {
        if (strlen(d->zorgkantoren[i].code) != BUDGET_ZK_LEN)
            continue;
        snapshot_zk_info *z = &sh->zk_names[sh->n_zk_names++];
        snprintf(z->code, sizeof z->code, "%s", d->zorgkantoren[i].code);
        snprintf(z->name, sizeof z->name, "%s", d->zorgkantoren[i].name);
    }
    qsort(sh->zk_names, sh->n_zk_names, sizeof *sh->zk_names, cmp_zk_info);
    return true;
}

/* The reference providers' zorgkantoren as budget input (malloc'ed; caller frees). */
static budget_provider_zk *provider_zks_new(const sq_year_data *d, size_t *n)
{
    budget_provider_zk *zks = calloc(d->n_providers ? d->n_providers : 1, sizeof *zks);
    *n = 0;
    for (size_t i = 0; zks != NULL && i < d->n_providers; i++)
        if (strlen(d->providers[i].agb) == BUDGET_AGB_LEN &&
            strlen(d->providers[i].zorgkantoor) == BUDGET_ZK_LEN)
            zks[(*n)++] = (budget_provider_zk){d->providers[i].agb, d->providers[i].zorgkantoor};
    return zks;
}

/* Counts the firing conditions of @a rules on the snapshot's figures into its alert counts
 * (national, and per provider label). @return false with @a err set when they cannot be. */
static bool alerts_firing_of(snapshot *snap, const alert_config *rules, lv_error *err)
{
    alert_condition_set *set = alert_rules_evaluate(snap->status, &snap->forecast, rules);
    snapshot_provider_alerts *per = set != NULL ? calloc(set->n ? set->n : 1, sizeof *per) : NULL;
    if (per == NULL) {
        alert_condition_set_free(set); /* accepts NULL */
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "the alert rules could not be evaluated");
        return false;
    }
    int total = 0, national = 0;
    size_t n = 0;
    for (size_t i = 0; i < set->n; i++) {
        if (!set->items[i].fires)
            continue;
        total++;
        const char *agb = alert_condition_label(&set->items[i], "provider");
        if (agb == NULL || strlen(agb) != BUDGET_AGB_LEN) {
            national += agb == NULL;
            continue;
        }
        size_t k = 0;
        while (k < n && strcmp(per[k].agb, agb) != 0)
            k++;
        if (k == n)
            memcpy(per[n++].agb, agb, BUDGET_AGB_LEN + 1);
        per[k].firing++;
    }
    alert_condition_set_free(set);
    qsort(per, n, sizeof *per, cmp_provider_alerts);
    bool ok = alert_counts_set(snap, total, national, per, n);
    free(per);
    if (!ok)
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
    return ok;
}

/* Computes a snapshot judged on day @a as_of; @a rules NULL: the live figures (alert count
 * from the loaded data, no "as_of" in the documents), else an as_of snapshot. */
static snapshot *from_data(const sq_year_data *d, const lv_config *cfg, lv_date as_of,
                           const alert_config *rules, time_t now, bool warn, lv_error *err)
{
    int year = d->year;
    bool cap_found = d->cap_cents > 0;
    if (!cap_found && warn)
        log_warning("no national cap in the budget table for this year; using the fallback",
                    "{s:i, s:I}", "year", year, "cap_cents",
                    (json_int_t)SNAPSHOT_FALLBACK_CAP_CENTS);
    size_t n_zks = 0;
    budget_provider_zk *zks = provider_zks_new(d, &n_zks);
    if (zks == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        return NULL;
    }
    budget_input in = {
        .year = year,
        .cap_cents = cap_found ? d->cap_cents : SNAPSHOT_FALLBACK_CAP_CENTS,
        .as_of = as_of,
        .profile_bp = d->has_profile ? d->profile_bp : NULL,
        .provider_zks = zks,
        .n_provider_zks = n_zks,
        .groups = d->groups,
        .n_groups = d->n_groups,
        .extra_caps = d->extra_caps,
        .n_extra_caps = d->n_extra_caps,
        .facts = d->facts,
        .n_facts = d->n_facts,
        .expected = d->expected,
        .n_expected = d->n_expected,
        .declared = d->declared,
        .n_declared = d->n_declared,
    };
    int working_days = cfg != NULL ? (int)cfg->deadline_working_days : 17;
    budget_deadlines(year, working_days, d->holidays, d->n_holidays, in.deadlines);

    struct snapshot_shared *sh = calloc(1, sizeof *sh);
    snapshot *snap = NULL;
    if (sh == NULL) {
        free(zks);
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        return NULL;
    }
    atomic_init(&sh->refs, 1); /* ours until a snapshot takes it */
    sh->status = budget_status_new(&in, err);
    free(zks);
    if (sh->status == NULL) {
        lv_error_prefix(err, "budget status");
        goto fail;
    }
    if (!providers_merge(sh, d) || !zk_names_copy(sh, d) || (snap = snapshot_alloc(sh)) == NULL) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        goto fail;
    }
    shared_release(sh); /* the snapshot holds it now */
    sh = NULL;
    snap->year = year;
    if (!alert_counts_from_data(snap, d)) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        goto fail;
    }
    snap->data_as_of = d->data_as_of;
    snap->last_ingest = d->data_as_of;
    snap->generated_at = now;
    snap->cap_from_budget = cap_found;
    forecast_input fin;
    forecast_input_from_status(snap->status, &fin);
    if (!forecast_compute(&fin, &snap->forecast, err))
        goto fail;
    if (rules != NULL) {
        snap->as_of = as_of;
        if (!alerts_firing_of(snap, rules, err))
            goto fail;
    }
    if (!snapshot_docs_build(snap)) {
        lv_error_set(err, LV_OUT_OF_MEMORY, 0, NULL, "out of memory");
        goto fail;
    }
    return snap;
fail:
    snapshot_free(snap); /* accepts NULL */
    shared_release(sh);  /* accepts NULL */
    return NULL;
}

snapshot *snapshot_from_data(const sq_year_data *d, const lv_config *cfg, time_t now, bool warn,
                             lv_error *err)
{
    /* The live figures are judged on today in Amsterdam, as an as_of of today would be. */
    return from_data(d, cfg, nl_date_of((int64_t)now), NULL, now, warn, err);
}

snapshot *snapshot_from_data_as_of(const sq_year_data *d, const lv_config *cfg,
                                   const alert_config *rules, lv_date as_of, time_t now,
                                   lv_error *err)
{
    return from_data(d, cfg, as_of, rules, now, false, err);
}

snapshot *snapshot_build(db_conn *conn, const lv_config *cfg, int year, time_t now, lv_error *err)
{
    sq_year_data d;
    snapshot *snap = NULL;
    db_status st = sq_year_load(conn, year, &d);
    if (st == DB_OK)
        snap = snapshot_from_data(&d, cfg, now, true, err);
    else
        db_conn_error_get(conn, st, err);
    sq_year_data_clear(&d);
    return snap;
}

/* ---------------------------------------------------------------------------------------- */
/* Lookups                                                                                  */

static int cmp_group_doc(const void *key, const void *elem)
{
    return strcmp(key, ((const snapshot_group_doc *)elem)->code);
}

/* The snapshot that holds @a snap's documents other than the status one, serialised;
 * NULL when out of memory. */
static const snapshot *docs_of(const snapshot *snap)
{
    const snapshot *owner = snap->docs_owner != NULL ? snap->docs_owner : snap;
    return snapshot_docs_ensure(snap) ? owner : NULL;
}

const snapshot_doc *snapshot_providers_doc(const snapshot *snap)
{
    snap = docs_of(snap);
    return snap != NULL ? &snap->providers_doc : NULL;
}

const snapshot_doc *snapshot_group_doc_find(const snapshot *snap, const char *code)
{
    if ((snap = docs_of(snap)) == NULL)
        return NULL;
    /* Groups are in contract order, not sorted: a linear walk over six or seven. */
    for (size_t i = 0; i < snap->n_group_docs; i++)
        if (cmp_group_doc(code, &snap->group_docs[i]) == 0)
            return &snap->group_docs[i].doc;
    return NULL;
}

static int cmp_provider_doc(const void *key, const void *elem)
{
    return strcmp(key, ((const snapshot_provider_doc *)elem)->agb);
}

const snapshot_doc *snapshot_provider_doc_find(const snapshot *snap, const char *agb)
{
    if ((snap = docs_of(snap)) == NULL)
        return NULL;
    const snapshot_provider_doc *p = bsearch(agb, snap->provider_docs, snap->n_provider_docs,
                                             sizeof *snap->provider_docs, cmp_provider_doc);
    return p != NULL ? &p->doc : NULL;
}

static int cmp_zk_doc(const void *key, const void *elem)
{
    return strcmp(key, ((const snapshot_zk_doc *)elem)->code);
}

const snapshot_doc *snapshot_zk_doc_find(const snapshot *snap, const char *code)
{
    if ((snap = docs_of(snap)) == NULL || snap->n_zk_docs == 0)
        return NULL;
    const snapshot_zk_doc *z =
        bsearch(code, snap->zk_docs, snap->n_zk_docs, sizeof *snap->zk_docs, cmp_zk_doc);
    return z != NULL ? &z->doc : NULL;
}

int64_t snapshot_provider_late_lines(const snapshot *snap, size_t i)
{
    return i < snap->n_providers ? snap->shared->provider_late_lines[i] : 0;
}

static int cmp_zk_name(const void *key, const void *elem)
{
    return strcmp(key, ((const snapshot_zk_info *)elem)->code);
}

const char *snapshot_zk_name(const snapshot *snap, const char *code)
{
    const snapshot_zk_info *z =
        bsearch(code, snap->zk_names, snap->n_zk_names, sizeof *snap->zk_names, cmp_zk_name);
    return z != NULL && z->name[0] != '\0' ? z->name : NULL;
}
