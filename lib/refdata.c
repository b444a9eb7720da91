/*
 * refdata.c: the reference-data container behind refdata.h. Each kind of record lives in
 * its own growable array; adders copy the caller's struct after checking that every
 * string field is NUL-terminated inside its array and that the numbers make sense, so a
 * lookup can use strcmp safely and pricing never sees a negative tariff or rate.
 *
 * The arrays are small (tens of groups and prestaties, hundreds of providers), so lookups
 * are linear scans, except holidays, which the working-day arithmetic searches by
 * bisection for every day it steps over; refdata_seal() sorts them for that.
 */
#include "refdata.h"

#include <stdlib.h>
#include <string.h>

/* One growable array of fixed-size records. */
typedef struct {
    void *items;
    size_t n;
    size_t cap;
} ref_array;

struct refdata {
    ref_array groups;       /* ref_target_group, in contract order after seal */
    ref_array prestaties;   /* ref_prestatie */
    ref_array providers;    /* ref_provider */
    ref_array designations; /* ref_designation */
    ref_array rates;        /* ref_rate */
    ref_array time_units;   /* ref_time_unit */
    ref_array holidays;     /* lv_date, ascending and unique after seal */
};

#define AT(arr, type, i) (&((const type *)(arr).items)[i])
#define TERMINATED(field) (memchr((field), '\0', sizeof(field)) != NULL)

static bool array_push(ref_array *a, const void *item, size_t size)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 8;
        void *grown = realloc(a->items, cap * size);
        if (!grown)
            return false;
        a->items = grown;
        a->cap = cap;
    }
    memcpy((char *)a->items + a->n * size, item, size);
    a->n++;
    return true;
}

/* A covering interval: from/to are inclusive, LV_DATE_NONE leaves that end open. */
static bool date_in(lv_date day, lv_date from, lv_date to)
{
    return (from == LV_DATE_NONE || day >= from) && (to == LV_DATE_NONE || day <= to);
}

refdata *refdata_new(void)
{
    return calloc(1, sizeof(refdata));
}

void refdata_free(refdata *rd)
{
    if (!rd)
        return;
    free(rd->groups.items);
    free(rd->prestaties.items);
    free(rd->providers.items);
    free(rd->designations.items);
    free(rd->rates.items);
    free(rd->time_units.items);
    free(rd->holidays.items);
    free(rd);
}

bool refdata_add_target_group(refdata *rd, const ref_target_group *g)
{
    if (!TERMINATED(g->code) || !TERMINATED(g->name) || g->code[0] == '\0')
        return false;
    return array_push(&rd->groups, g, sizeof *g);
}

bool refdata_add_prestatie(refdata *rd, const ref_prestatie *p)
{
    if (!TERMINATED(p->code) || !TERMINATED(p->target_group) || p->code[0] == '\0' ||
        p->tariff_cents < 0)
        return false;
    return array_push(&rd->prestaties, p, sizeof *p);
}

bool refdata_add_provider(refdata *rd, const ref_provider *p)
{
    if (!TERMINATED(p->agb) || !TERMINATED(p->name) || !TERMINATED(p->zorgkantoor) ||
        p->agb[0] == '\0')
        return false;
    return array_push(&rd->providers, p, sizeof *p);
}

bool refdata_add_designation(refdata *rd, const ref_designation *d)
{
    if (!TERMINATED(d->agb) || !TERMINATED(d->target_group))
        return false;
    return array_push(&rd->designations, d, sizeof *d);
}

bool refdata_add_rate(refdata *rd, const ref_rate *r)
{
    if (!TERMINATED(r->agb) || r->rate_bp < 0)
        return false;
    return array_push(&rd->rates, r, sizeof *r);
}

bool refdata_add_time_unit(refdata *rd, const ref_time_unit *u)
{
    if (!TERMINATED(u->code) || u->code[0] == '\0' || u->minutes <= 0)
        return false;
    return array_push(&rd->time_units, u, sizeof *u);
}

bool refdata_add_holiday(refdata *rd, lv_date day)
{
    if (day == LV_DATE_NONE)
        return false;
    return array_push(&rd->holidays, &day, sizeof day);
}

static int compare_dates(const void *a, const void *b)
{
    lv_date x = *(const lv_date *)a, y = *(const lv_date *)b;
    return (x > y) - (x < y);
}

/* Contract order; the code breaks ties so the order is total and qsort is deterministic. */
static int compare_groups(const void *a, const void *b)
{
    const ref_target_group *x = a, *y = b;
    if (x->order != y->order)
        return (x->order > y->order) - (x->order < y->order);
    return strcmp(x->code, y->code);
}

/* Drops repeated days from a sorted array, so a holiday listed twice counts once. */
static void dedupe_sorted_dates(ref_array *a)
{
    lv_date *days = a->items;
    size_t kept = 0;
    for (size_t i = 0; i < a->n; i++)
        if (kept == 0 || days[kept - 1] != days[i])
            days[kept++] = days[i];
    a->n = kept;
}

void refdata_seal(refdata *rd)
{
    if (rd->holidays.n > 1) {
        qsort(rd->holidays.items, rd->holidays.n, sizeof(lv_date), compare_dates);
        dedupe_sorted_dates(&rd->holidays);
    }
    if (rd->groups.n > 1)
        qsort(rd->groups.items, rd->groups.n, sizeof(ref_target_group), compare_groups);
}

const ref_target_group *refdata_target_group(const refdata *rd, const char *code)
{
    for (size_t i = 0; code && i < rd->groups.n; i++)
        if (strcmp(AT(rd->groups, ref_target_group, i)->code, code) == 0)
            return AT(rd->groups, ref_target_group, i);
    return NULL;
}

const ref_prestatie *refdata_prestatie(const refdata *rd, int year, const char *code)
{
    for (size_t i = 0; code && i < rd->prestaties.n; i++) {
        const ref_prestatie *p = AT(rd->prestaties, ref_prestatie, i);
        if (p->year == year && strcmp(p->code, code) == 0)
            return p;
    }
    return NULL;
}

bool refdata_prestatie_known_any_year(const refdata *rd, const char *code)
{
    for (size_t i = 0; code && i < rd->prestaties.n; i++)
        if (strcmp(AT(rd->prestaties, ref_prestatie, i)->code, code) == 0)
            return true;
    return false;
}

const ref_provider *refdata_provider(const refdata *rd, const char *agb)
{
    for (size_t i = 0; agb && i < rd->providers.n; i++)
        if (strcmp(AT(rd->providers, ref_provider, i)->agb, agb) == 0)
            return AT(rd->providers, ref_provider, i);
    return NULL;
}

const ref_designation *refdata_designation(const refdata *rd, const char *agb, const char *group,
                                           lv_date day)
{
    if (!agb || !group || day == LV_DATE_NONE)
        return NULL;
    for (size_t i = 0; i < rd->designations.n; i++) {
        const ref_designation *d = AT(rd->designations, ref_designation, i);
        if (strcmp(d->agb, agb) == 0 && strcmp(d->target_group, group) == 0 &&
            date_in(day, d->valid_from, d->valid_to))
            return d;
    }
    return NULL;
}

const ref_designation *refdata_designation_covering(const refdata *rd, const char *agb,
                                                    const char *group, lv_date from, lv_date to)
{
    if (!agb || !group || from == LV_DATE_NONE || to == LV_DATE_NONE || to < from)
        return NULL;
    for (size_t i = 0; i < rd->designations.n; i++) {
        const ref_designation *d = AT(rd->designations, ref_designation, i);
        if (strcmp(d->agb, agb) == 0 && strcmp(d->target_group, group) == 0 &&
            date_in(from, d->valid_from, d->valid_to) && date_in(to, d->valid_from, d->valid_to))
            return d;
    }
    return NULL;
}

const ref_rate *refdata_rate(const refdata *rd, const char *agb, int year)
{
    for (size_t i = 0; agb && i < rd->rates.n; i++) {
        const ref_rate *r = AT(rd->rates, ref_rate, i);
        if (r->year == year && strcmp(r->agb, agb) == 0)
            return r;
    }
    return NULL;
}

const ref_time_unit *refdata_time_unit(const refdata *rd, const char *code)
{
    for (size_t i = 0; code && i < rd->time_units.n; i++)
        if (strcmp(AT(rd->time_units, ref_time_unit, i)->code, code) == 0)
            return AT(rd->time_units, ref_time_unit, i);
    return NULL;
}

const lv_date *refdata_holidays(const refdata *rd, size_t *n)
{
    *n = rd->holidays.n;
    return rd->holidays.items;
}

size_t refdata_target_group_count(const refdata *rd)
{
    return rd->groups.n;
}

const ref_target_group *refdata_target_group_at(const refdata *rd, size_t i)
{
    return i < rd->groups.n ? AT(rd->groups, ref_target_group, i) : NULL;
}

size_t refdata_provider_count(const refdata *rd)
{
    return rd->providers.n;
}

const ref_provider *refdata_provider_at(const refdata *rd, size_t i)
{
    return i < rd->providers.n ? AT(rd->providers, ref_provider, i) : NULL;
}
