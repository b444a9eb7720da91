/*
 * line_index.c: the sorted index of line_index.h. Everything is built once, in
 * line_index_new(), from arrays sorted with qsort and searched by bisection; after that
 * only the live set changes, one debit at a time, at a cost bounded by the days of a month.
 *
 * Slots: line i of the submission is slot i, prior line k is slot n_lines + k, as in
 * validate.h. Slot numbers are kept as uint32_t (a submission and its prior lines stay far
 * below four billion; a larger call is refused like an allocation that fails).
 */
#include "line_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE32 UINT32_MAX
#define MONTH_DAYS 31

enum { SLOT_LIVE = 1u, SLOT_REVERSED = 2u };

/* A line reference and where it is: a line of the submission or a prior line. */
typedef struct {
    const char *ref;
    uint32_t at;
} ref_entry;

/* A debit that can be live, under its key (client, prestatie, month). */
typedef struct {
    const char *client;
    const char *prestatie;
    int month;
    uint32_t slot;
} service_entry;

struct line_index {
    const validate_ctx *ctx;
    const decl_submission *sub;
    size_t n_lines;
    ref_entry *line_refs;  /* every line, by (line_ref, line): the first of a reference is
                              the only line that can hold it */
    ref_entry *prior_refs; /* accepted prior lines, by (line_ref, k) */
    size_t n_prior_refs;
    ref_entry *debit_refs; /* accepted prior debits, by (line_ref, k): what a credit names */
    size_t n_debit_refs;
    bool *ref_taken;     /* per line: settled before any line is judged */
    uint32_t *group;     /* per slot: its key's number, NONE32 when it can never be live */
    uint8_t *flags;      /* per slot: SLOT_LIVE, SLOT_REVERSED */
    uint32_t *day_base;  /* per key: offset of its 31 day counts, NONE32 for a key with
                            one debit (which can overlap nothing but itself) */
    uint32_t *witness;   /* per key: the debit made live last, NONE32 before any */
    uint32_t *day_count; /* per key with day counts: live debits covering each day */
};

/* ---- building ------------------------------------------------------------------------- */

static int compare_refs(const void *a, const void *b)
{
    const ref_entry *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

static int compare_services(const void *a, const void *b)
{
    const service_entry *x = a, *y = b;
    int c = strcmp(x->client, y->client);
    if (c == 0)
        c = strcmp(x->prestatie, y->prestatie);
    if (c == 0)
        c = (x->month > y->month) - (x->month < y->month);
    return c;
}

/* @return the position of the first entry of @a v (sorted) holding @a ref, n when none. */
static size_t find_ref(const ref_entry *v, size_t n, const char *ref)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(v[mid].ref, ref) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(v[lo].ref, ref) == 0 ? lo : n;
}

/* calloc that gives a distinct pointer for an empty array too, so NULL means failure. */
static void *alloc_array(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* The period of @a slot; @return false when it has none a debit could be live with. */
static bool slot_period(const line_index *ix, size_t slot, lv_date *from, lv_date *to)
{
    if (slot < ix->n_lines) {
        *from = ix->sub->lines[slot].date_from;
        *to = ix->sub->lines[slot].date_to;
    } else {
        *from = ix->ctx->prior[slot - ix->n_lines].date_from;
        *to = ix->ctx->prior[slot - ix->n_lines].date_to;
    }
    return *from != LV_DATE_NONE && *to != LV_DATE_NONE && *to >= *from;
}

/* The days of the month (0-based) a period covers. A period that runs on past its first
 * month is cut at the month's end: validation rejects such a line (9104) before it asks
 * about overlaps, and a stored line never spans two months. */
static void day_range(lv_date from, lv_date to, int *first, int *last)
{
    int y, m, d;
    lv_date end = lv_date_month_end(from);
    lv_date_to_ymd(from, &y, &m, &d);
    *first = d - 1;
    lv_date_to_ymd(to < end ? to : end, &y, &m, &d);
    *last = d - 1;
}

/* Adds the service of @a slot to @a v when it is a debit that can ever be live. */
static void collect_service(line_index *ix, service_entry *v, size_t *n, size_t slot,
                            const char *client, const char *prestatie)
{
    lv_date from, to;
    if (client[0] == '\0' || prestatie[0] == '\0' || !slot_period(ix, slot, &from, &to))
        return;
    v[(*n)++] = (service_entry){client, prestatie, lv_date_month_index(from), (uint32_t)slot};
}

static void fill_refs(line_index *ix)
{
    const validate_ctx *ctx = ix->ctx;
    for (size_t i = 0; i < ix->n_lines; i++)
        ix->line_refs[i] = (ref_entry){ix->sub->lines[i].line_ref, (uint32_t)i};
    for (size_t k = 0; k < ctx->n_prior; k++) {
        const prior_line *p = &ctx->prior[k];
        if (!p->accepted)
            continue;
        ix->prior_refs[ix->n_prior_refs++] = (ref_entry){p->line_ref, (uint32_t)k};
        if (p->debit_credit == 'D')
            ix->debit_refs[ix->n_debit_refs++] = (ref_entry){p->line_ref, (uint32_t)k};
    }
    qsort(ix->line_refs, ix->n_lines, sizeof *ix->line_refs, compare_refs);
    qsort(ix->prior_refs, ix->n_prior_refs, sizeof *ix->prior_refs, compare_refs);
    qsort(ix->debit_refs, ix->n_debit_refs, sizeof *ix->debit_refs, compare_refs);
}

/* Whether a line's reference is taken does not depend on any verdict, so it is settled
 * once: one walk over the sorted line references, beside the sorted prior ones. */
static void mark_taken_refs(line_index *ix)
{
    size_t k = 0;
    for (size_t e = 0; e < ix->n_lines; e++) {
        const ref_entry *here = &ix->line_refs[e];
        if (e > 0 && strcmp(ix->line_refs[e - 1].ref, here->ref) == 0) {
            ix->ref_taken[here->at] = true; /* not the first line of its reference */
            continue;
        }
        while (k < ix->n_prior_refs && strcmp(ix->prior_refs[k].ref, here->ref) < 0)
            k++;
        ix->ref_taken[here->at] =
            k < ix->n_prior_refs && strcmp(ix->prior_refs[k].ref, here->ref) == 0;
    }
}

/* Collects and sorts the services, numbers the keys and gives every key with more than
 * one debit its day counts. @return false when out of memory. */
static bool build_services(line_index *ix)
{
    const validate_ctx *ctx = ix->ctx;
    size_t n = ix->n_lines, n_slots = n + ctx->n_prior, n_services = 0;
    service_entry *v = alloc_array(n_slots, sizeof *v);
    if (!v)
        return false;
    for (size_t i = 0; i < n; i++)
        if (ix->sub->lines[i].debit_credit == 'D')
            collect_service(ix, v, &n_services, i, validate_client_key(ctx, ix->sub, i),
                            ix->sub->lines[i].prestatie);
    for (size_t k = 0; k < ctx->n_prior; k++) {
        const prior_line *p = &ctx->prior[k];
        if (p->accepted && p->debit_credit == 'D' && !p->credited)
            collect_service(ix, v, &n_services, n + k, p->client_hash, p->prestatie);
    }
    qsort(v, n_services, sizeof *v, compare_services);

    /* Keys number from 0 in sorted order; there are at most as many as services. */
    ix->day_base = alloc_array(n_services, sizeof *ix->day_base);
    ix->witness = alloc_array(n_services, sizeof *ix->witness);
    if (!ix->day_base || !ix->witness) {
        free(v);
        return false;
    }
    size_t n_groups = 0, n_counted = 0;
    for (size_t e = 0; e < n_services; e++) {
        if (e > 0 && compare_services(&v[e - 1], &v[e]) == 0) {
            ix->group[v[e].slot] = (uint32_t)(n_groups - 1);
            continue;
        }
        bool shared = e + 1 < n_services && compare_services(&v[e], &v[e + 1]) == 0;
        ix->day_base[n_groups] = shared ? (uint32_t)(n_counted++ * MONTH_DAYS) : NONE32;
        ix->witness[n_groups] = NONE32;
        ix->group[v[e].slot] = (uint32_t)n_groups++;
    }
    free(v);
    ix->day_count = alloc_array(n_counted * MONTH_DAYS, sizeof *ix->day_count);
    return ix->day_count != NULL;
}

line_index *line_index_new(const validate_ctx *ctx, const decl_submission *sub)
{
    size_t n = sub->n_lines, p = ctx->n_prior;
    if (n >= NONE32 / 2 || p >= NONE32 / 2 || n + p >= NONE32 / MONTH_DAYS)
        return NULL; /* beyond the slot numbering: refused like a failed allocation */
    line_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return NULL;
    ix->ctx = ctx;
    ix->sub = sub;
    ix->n_lines = n;
    ix->line_refs = alloc_array(n, sizeof *ix->line_refs);
    ix->prior_refs = alloc_array(p, sizeof *ix->prior_refs);
    ix->debit_refs = alloc_array(p, sizeof *ix->debit_refs);
    ix->ref_taken = alloc_array(n, sizeof *ix->ref_taken);
    ix->group = alloc_array(n + p, sizeof *ix->group);
    ix->flags = alloc_array(n + p, sizeof *ix->flags);
    if (!ix->line_refs || !ix->prior_refs || !ix->debit_refs || !ix->ref_taken || !ix->group ||
        !ix->flags) {
        line_index_free(ix);
        return NULL;
    }
    for (size_t s = 0; s < n + p; s++)
        ix->group[s] = NONE32;
    fill_refs(ix);
    mark_taken_refs(ix);
    if (!build_services(ix)) {
        line_index_free(ix);
        return NULL;
    }
    for (size_t k = 0; k < p; k++)
        if (ix->group[n + k] != NONE32)
            line_index_add_live(ix, n + k);
    return ix;
}

void line_index_free(line_index *ix)
{
    if (!ix)
        return;
    free(ix->line_refs);
    free(ix->prior_refs);
    free(ix->debit_refs);
    free(ix->ref_taken);
    free(ix->group);
    free(ix->flags);
    free(ix->day_base);
    free(ix->witness);
    free(ix->day_count);
    free(ix);
}

/* ---- questions -------------------------------------------------------------------------- */

bool line_index_ref_taken(const line_index *ix, size_t line)
{
    return ix->ref_taken[line];
}

size_t line_index_ref_holder(const line_index *ix, const char *ref)
{
    size_t e = find_ref(ix->line_refs, ix->n_lines, ref);
    /* The first line of a reference holds it unless an accepted prior line does. */
    if (e < ix->n_lines && !ix->ref_taken[ix->line_refs[e].at])
        return ix->line_refs[e].at;
    e = find_ref(ix->debit_refs, ix->n_debit_refs, ref);
    return e < ix->n_debit_refs ? ix->n_lines + ix->debit_refs[e].at : VALIDATE_NO_SLOT;
}

bool line_index_reversed(const line_index *ix, size_t slot)
{
    return ix->flags[slot] & SLOT_REVERSED;
}

/* Adds @a delta to the day counts of @a slot's period. */
static void count_days(line_index *ix, size_t slot, uint32_t base, int delta)
{
    lv_date from, to;
    int first, last;
    slot_period(ix, slot, &from, &to);
    day_range(from, to, &first, &last);
    for (int d = first; d <= last; d++)
        ix->day_count[base + (uint32_t)d] += (uint32_t)delta;
}

static void set_live(line_index *ix, size_t slot)
{
    uint32_t g = ix->group[slot];
    if (g == NONE32 || (ix->flags[slot] & (SLOT_LIVE | SLOT_REVERSED)))
        return;
    ix->flags[slot] |= SLOT_LIVE;
    ix->witness[g] = (uint32_t)slot;
    if (ix->day_base[g] != NONE32)
        count_days(ix, slot, ix->day_base[g], 1);
}

void line_index_reverse(line_index *ix, size_t slot)
{
    uint32_t g = ix->group[slot];
    if ((ix->flags[slot] & SLOT_LIVE) && ix->day_base[g] != NONE32)
        count_days(ix, slot, ix->day_base[g], -1);
    ix->flags[slot] = (uint8_t)((ix->flags[slot] & ~SLOT_LIVE) | SLOT_REVERSED);
}

void line_index_add_live(line_index *ix, size_t line)
{
    set_live(ix, line);
}

bool line_index_overlaps_live(const line_index *ix, size_t line, size_t *witness)
{
    *witness = VALIDATE_NO_SLOT;
    uint32_t g = ix->group[line];
    /* A key with one debit: the line itself, which is never live while it asks. */
    if (g == NONE32 || ix->day_base[g] == NONE32)
        return false;
    lv_date from, to;
    int first, last;
    slot_period(ix, line, &from, &to);
    day_range(from, to, &first, &last);
    bool overlap = false;
    for (int d = first; d <= last && !overlap; d++)
        overlap = ix->day_count[ix->day_base[g] + (uint32_t)d] > 0;
    if (!overlap)
        return false;
    uint32_t w = ix->witness[g];
    lv_date wf, wt;
    if (w != NONE32 && w != line && (ix->flags[w] & SLOT_LIVE) && slot_period(ix, w, &wf, &wt) &&
        wf <= to && from <= wt)
        *witness = w;
    return true;
}

/* ---- as a validate_lookup ------------------------------------------------------------- */

static void *lookup_open(const validate_ctx *ctx, const decl_submission *sub)
{
    return line_index_new(ctx, sub);
}

static void lookup_close(void *state)
{
    line_index_free(state);
}

static bool lookup_ref_taken(const void *state, size_t line)
{
    return line_index_ref_taken(state, line);
}

static size_t lookup_ref_holder(const void *state, const char *ref)
{
    return line_index_ref_holder(state, ref);
}

static bool lookup_reversed(const void *state, size_t slot)
{
    return line_index_reversed(state, slot);
}

static void lookup_reverse(void *state, size_t slot)
{
    line_index_reverse(state, slot);
}

static void lookup_add_live(void *state, size_t line)
{
    line_index_add_live(state, line);
}

static bool lookup_overlaps_live(const void *state, size_t line, size_t *witness)
{
    return line_index_overlaps_live(state, line, witness);
}

const validate_lookup line_index_lookup = {
    .open = lookup_open,
    .close = lookup_close,
    .ref_taken = lookup_ref_taken,
    .ref_holder = lookup_ref_holder,
    .reversed = lookup_reversed,
    .reverse = lookup_reverse,
    .add_live = lookup_add_live,
    .overlaps_live = lookup_overlaps_live,
};
