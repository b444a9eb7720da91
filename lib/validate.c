/*
 * validate.c: the line rules of validate.h, applied to one submission in order.
 *
 * Each rule is a small function that returns a verdict: LV_OK, or the code and the field
 * that broke it. validate_line() runs them in the order of validate.h and stops at the
 * first rejection, so a line always gets the most basic of its defects, the one a
 * provider must fix first. Rules fill a line_facts on the way (the prestatie, the rate,
 * the quantity in minutes or units, the debit a credit reverses) for the rules after them.
 *
 * Lines are judged one after another and a rule may look at the results of the lines
 * before it: that is how a duplicate or a credit inside one submission is seen. Four
 * questions about the earlier lines need more than the line itself: is this reference
 * taken (8021), is this service already declared and not reversed (0587), which debit
 * does this credit name (8017), and is that debit already credited (8084).
 *
 * Each question has two answers of the same meaning. The scan_* functions walk every
 * earlier line and every prior line: obvious, allocation-free, and O(n * (n + p)) for a
 * whole submission, which at the configured 100,000 lines is some 10^10 comparisons from
 * a single request. The index_* functions answer from a line_index built once per call:
 * the line references of the submission and of the prior lines sorted by (reference,
 * position), binary-searched; every debit's service (client hash, prestatie, dates)
 * numbered by sorting, with a count per service of the accepted debits no credit has
 * reversed yet; and a flag per line and prior line for "an accepted credit reverses it".
 * The counts and flags are updated after each line is judged, so a line sees exactly
 * the state the scans would find. Sorting rather than hashing keeps the worst case
 * O((n + p) log(n + p)) whatever the keys: a hash table over references a provider
 * chooses could be flooded with collisions.
 *
 * validate_submission() uses the index and, if it cannot be allocated, falls back to the
 * scans; validate_submission_quadratic() always scans and is what the tests and the
 * benchmark compare the index against.
 */
#include "validate.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "pricing.h"

typedef struct {
    lv_code code;
    const char *field;
} verdict;

static const verdict PASS = {LV_OK, ""};

static verdict fail(lv_code code, const char *field)
{
    return (verdict){code, field};
}

/* The debit a credit line reverses: an earlier line of this submission (index >= 0) or a
 * stored line of the provider (prior != NULL). */
typedef struct {
    long index;
    const prior_line *prior;
} debit_target;

/* What the rules learn about a line, for the rules after them and for the result. */
typedef struct {
    const ref_prestatie *prestatie;
    const ref_prestatie *other_year; /* the other year's entry behind a 9101 or 9102 of a
                                        code missing from its own year's list */
    int32_t rate_bp;
    int64_t quantity; /* minutes (time) or trips/km (travel), after the unit mapping */
    debit_target reverses;
} line_facts;

typedef struct line_index line_index;

/* The line being judged, with everything before it. */
typedef struct {
    const validate_ctx *ctx;
    const decl_submission *sub;
    const line_result *results; /* valid for indexes below i */
    size_t i;
    const decl_line *line;
    const line_index *ix; /* the fast path's index; NULL: scan */
} line_scope;

/* The fields that identify one service (client, prestatie, dates: 0587), and what a
 * credit must repeat on top of them (quantity, travel amount: 9111). */
typedef struct {
    const char *client_hash;
    const char *prestatie;
    lv_date date_from;
    lv_date date_to;
    int64_t quantity;
    int64_t travel_cents;
} service_view;

static int year_of(lv_date day)
{
    int y, m, d;
    lv_date_to_ymd(day, &y, &m, &d);
    return y;
}

static bool is_travel(const ref_prestatie *p)
{
    return p->kind == PRESTATIE_TRAVEL;
}

static const char *line_client_hash(const validate_ctx *ctx, const decl_submission *sub, size_t j)
{
    return ctx->client_hashes ? ctx->client_hashes[j] : sub->lines[j].client_bsn;
}

/* The quantity is called "minutes" in JSON and CSV and "quantity" in AW319; a rejection
 * names it the way the provider wrote it. */
static const char *quantity_field(const decl_submission *sub)
{
    return sub->source == DECL_SOURCE_AW319 ? "quantity" : "minutes";
}

/* ---- form: parse defect, debit/credit, line reference, BSN ---- */

static verdict check_form(const decl_line *line)
{
    if (line->parse_code != LV_OK) {
        bool known = line->parse_code > LV_OK && line->parse_code < LV_CODE_COUNT;
        return fail(known ? (lv_code)line->parse_code : LV_9108_FIELD_INVALID, line->parse_field);
    }
    if (line->debit_credit != 'D' && line->debit_credit != 'C')
        return fail(LV_0631_DEBIT_CREDIT_MISSING, "debit_credit");
    if (line->line_ref[0] == '\0')
        return fail(LV_9107_FIELD_MISSING, "line_ref");
    if (!bsn_valid(line->client_bsn))
        return fail(LV_0435_BSN_INVALID, "client_bsn");
    return PASS;
}

/* ---- dates: present, ordered, one calendar month, not in the future ---- */

static verdict check_dates(const validate_ctx *ctx, const decl_line *line)
{
    if (line->date_from == LV_DATE_NONE)
        return fail(LV_8007_SERVICE_DATE_INVALID, "date_from");
    if (line->date_to == LV_DATE_NONE || line->date_to < line->date_from)
        return fail(LV_8007_SERVICE_DATE_INVALID, "date_to");
    /* DOMAIN: hours are declared per month, so a line covers one calendar month (and
     * with it one year, the year whose tariffs and rate apply). */
    if (lv_date_month_index(line->date_from) != lv_date_month_index(line->date_to))
        return fail(LV_9104_DATES_SPAN_MONTHS, "date_to");
    if (ctx->received_on != LV_DATE_NONE && line->date_from > ctx->received_on)
        return fail(LV_8007_SERVICE_DATE_INVALID, "date_from");
    return PASS;
}

/* ---- prestatie, target group, provider ---- */

/* How many years either side of a line's year check_other_years() looks for its code.
 * refdata cannot list the years a code has, so the search asks year by year: ten years
 * cover any table this service will hold and bound such a line to twenty lookups. A code
 * found only further away still gets 0581. */
#define OTHER_YEAR_SPAN 10

/* A code missing from the list of the line's year but on another year's list. What the
 * other entries say about their target group is a better reason than "wrong list": a
 * group without C&A (LBS) is never declarable (9101, whatever year), and a group whose
 * C&A starts after the service (NAH+ and MS+ before 2026) is not declarable yet (9102).
 * Otherwise the code is simply not on this year's list (0581). 9101 wins over 9102, as
 * in check_group; years are tried nearest first, so the group a 9102 names is the one of
 * the nearest year. */
static verdict check_other_years(const validate_ctx *ctx, const decl_line *line, line_facts *f)
{
    int year = year_of(line->date_from);
    const ref_prestatie *not_yet = NULL;
    for (int d = 1; d <= OTHER_YEAR_SPAN; d++)
        for (int sign = 1; sign >= -1; sign -= 2) {
            const ref_prestatie *p = refdata_prestatie(ctx->ref, year + sign * d, line->prestatie);
            if (!p)
                continue;
            const ref_target_group *g = refdata_target_group(ctx->ref, p->target_group);
            if (!g || g->ca_from == LV_DATE_NONE) {
                f->other_year = p;
                return fail(LV_9101_GROUP_NO_CA, "prestatie");
            }
            if (!not_yet && g->ca_from > line->date_from)
                not_yet = p;
        }
    if (!not_yet)
        return fail(LV_0581_PRESTATIE_LIST_UNKNOWN, "prestatie");
    f->other_year = not_yet;
    return fail(LV_9102_GROUP_NOT_YET_DECLARABLE, "date_from");
}

static verdict check_prestatie(const validate_ctx *ctx, const decl_line *line, line_facts *f)
{
    if (line->prestatie[0] == '\0')
        return fail(LV_9107_FIELD_MISSING, "prestatie");
    f->prestatie = refdata_prestatie(ctx->ref, year_of(line->date_from), line->prestatie);
    if (f->prestatie)
        return PASS;
    /* Vektis tells a code from another year's list (0581) from an unknown one (0582). */
    if (refdata_prestatie_known_any_year(ctx->ref, line->prestatie))
        return check_other_years(ctx, line, f);
    return fail(LV_0582_PRESTATIE_UNKNOWN, "prestatie");
}

static verdict check_group(const validate_ctx *ctx, const decl_line *line, const line_facts *f)
{
    const ref_target_group *g = refdata_target_group(ctx->ref, f->prestatie->target_group);
    /* A prestatie of a group the reference data does not list cannot be C&A either. */
    if (!g || g->ca_from == LV_DATE_NONE)
        return fail(LV_9101_GROUP_NO_CA, "prestatie");
    if (line->date_from < g->ca_from)
        return fail(LV_9102_GROUP_NOT_YET_DECLARABLE, "date_from");
    if (g->ca_to != LV_DATE_NONE && line->date_to > g->ca_to)
        return fail(LV_9102_GROUP_NOT_YET_DECLARABLE, "date_to");
    return PASS;
}

static verdict check_provider(const validate_ctx *ctx, const decl_submission *sub,
                              const decl_line *line, line_facts *f)
{
    const char *agb = sub->provider_agb;
    if (!refdata_provider(ctx->ref, agb))
        return fail(LV_9109_PROVIDER_UNKNOWN, "provider_agb");
    if (!refdata_designation(ctx->ref, agb, f->prestatie->target_group, line->date_from))
        return fail(LV_8022_NO_DESIGNATION, "provider_agb");
    const ref_rate *rate = refdata_rate(ctx->ref, agb, year_of(line->date_from));
    if (!rate)
        return fail(LV_9105_NO_RATE_FOR_YEAR, "provider_agb");
    f->rate_bp = rate->rate_bp;
    return PASS;
}

/* ---- quantity ---- */

/* AW319 declares a quantity in a time unit; the unit's minutes come from reference data.
 * The unit only scales time prestaties: the quantity of a travel prestatie is trips or
 * km whatever unit code the file carries. */
static verdict effective_quantity(const validate_ctx *ctx, const decl_submission *sub,
                                  const decl_line *line, line_facts *f)
{
    if (line->time_unit[0] == '\0') {
        f->quantity = line->quantity;
        return PASS;
    }
    const ref_time_unit *unit = refdata_time_unit(ctx->ref, line->time_unit);
    if (!unit)
        return fail(LV_9103_TIME_UNIT_UNKNOWN, "time_unit");
    if (is_travel(f->prestatie)) {
        f->quantity = line->quantity_declared;
        return PASS;
    }
    /* A product beyond int64 is beyond any maximum a line can have. */
    if (!money_mul(line->quantity_declared, unit->minutes, &f->quantity))
        return fail(LV_0584_QUANTITY_OVER_MAX, quantity_field(sub));
    return PASS;
}

static verdict check_quantity(const validate_ctx *ctx, const decl_submission *sub,
                              const decl_line *line, line_facts *f)
{
    verdict v = effective_quantity(ctx, sub, line, f);
    if (v.code != LV_OK)
        return v;
    bool travel = is_travel(f->prestatie);
    int64_t max = travel ? ctx->max_units_per_line : ctx->max_minutes_per_line;
    if (f->quantity <= 0)
        return fail(LV_0638_QUANTITY_INVALID, quantity_field(sub));
    if (max > 0 && f->quantity > max)
        return fail(LV_0584_QUANTITY_OVER_MAX, quantity_field(sub));
    /* The price of a travel prestatie comes from its tariff; an amount on top of it
     * would count the trip twice. */
    if (line->travel_cents < 0 || (travel && line->travel_cents != 0))
        return fail(LV_9112_TRAVEL_INVALID, "travel_cents");
    return PASS;
}

/* ---- earlier lines: references, duplicates, credits ---- */

static bool is_accepted_debit(const line_scope *s, size_t j)
{
    return s->results[j].accepted && s->sub->lines[j].debit_credit == 'D';
}

static bool prior_is_accepted_debit(const prior_line *p)
{
    return p->accepted && p->debit_credit == 'D';
}

static service_view view_of_line(const line_scope *s, size_t j, int64_t quantity)
{
    const decl_line *l = &s->sub->lines[j];
    return (service_view){.client_hash = line_client_hash(s->ctx, s->sub, j),
                          .prestatie = l->prestatie,
                          .date_from = l->date_from,
                          .date_to = l->date_to,
                          .quantity = quantity,
                          .travel_cents = l->travel_cents};
}

static service_view view_of_prior(const prior_line *p)
{
    return (service_view){.client_hash = p->client_hash,
                          .prestatie = p->prestatie,
                          .date_from = p->date_from,
                          .date_to = p->date_to,
                          .quantity = p->quantity,
                          .travel_cents = p->travel_cents};
}

static service_view view_of_target(const line_scope *s, debit_target t)
{
    if (t.index >= 0)
        return view_of_line(s, (size_t)t.index, s->results[t.index].quantity);
    return view_of_prior(t.prior);
}

/* @return the first field of the service in which the two differ, "" when none. */
static const char *service_difference(const service_view *a, const service_view *b)
{
    if (strcmp(a->client_hash, b->client_hash) != 0)
        return "client_bsn";
    if (strcmp(a->prestatie, b->prestatie) != 0)
        return "prestatie";
    if (a->date_from != b->date_from)
        return "date_from";
    if (a->date_to != b->date_to)
        return "date_to";
    return "";
}

static bool same_service(const service_view *a, const service_view *b)
{
    return service_difference(a, b)[0] == '\0';
}

/* -- the scans: every earlier line and every prior line, for each line -- */

/* Whether an accepted credit before the current line already reverses @a t. A stored
 * debit is matched by its reference, as the credit named it. */
static bool scan_credited(const line_scope *s, debit_target t)
{
    for (size_t k = 0; k < s->i; k++) {
        const line_result *r = &s->results[k];
        if (!r->accepted || s->sub->lines[k].debit_credit != 'C')
            continue;
        if (t.index >= 0 ? r->corrects_index == t.index
                         : r->corrects_index < 0 &&
                               strcmp(s->sub->lines[k].corrects_ref, t.prior->line_ref) == 0)
            return true;
    }
    return false;
}

static bool scan_reference_taken(const line_scope *s)
{
    const char *ref = s->line->line_ref;
    for (size_t j = 0; j < s->i; j++)
        if (strcmp(s->sub->lines[j].line_ref, ref) == 0)
            return true;
    for (size_t k = 0; k < s->ctx->n_prior; k++)
        if (s->ctx->prior[k].accepted && strcmp(s->ctx->prior[k].line_ref, ref) == 0)
            return true;
    return false;
}

static bool scan_service_declared(const line_scope *s)
{
    service_view me = view_of_line(s, s->i, 0);
    for (size_t j = 0; j < s->i; j++) {
        service_view other = view_of_line(s, j, 0);
        if (is_accepted_debit(s, j) && same_service(&me, &other) &&
            !scan_credited(s, (debit_target){(long)j, NULL}))
            return true;
    }
    for (size_t k = 0; k < s->ctx->n_prior; k++) {
        const prior_line *p = &s->ctx->prior[k];
        service_view other = view_of_prior(p);
        if (prior_is_accepted_debit(p) && !p->credited && same_service(&me, &other) &&
            !scan_credited(s, (debit_target){-1, p}))
            return true;
    }
    return false;
}

static bool scan_find_debit(const line_scope *s, const char *ref, debit_target *out)
{
    for (size_t j = 0; j < s->i; j++)
        if (is_accepted_debit(s, j) && strcmp(s->sub->lines[j].line_ref, ref) == 0) {
            *out = (debit_target){(long)j, NULL};
            return true;
        }
    for (size_t k = 0; k < s->ctx->n_prior; k++)
        if (prior_is_accepted_debit(&s->ctx->prior[k]) &&
            strcmp(s->ctx->prior[k].line_ref, ref) == 0) {
            *out = (debit_target){-1, &s->ctx->prior[k]};
            return true;
        }
    return false;
}

/* -- the index: the same answers from sorted arrays and counters -- */

#define NO_SERVICE SIZE_MAX

/* A line reference and where it is: a line of the submission or a prior line. */
typedef struct {
    const char *ref;
    size_t at;
} ref_entry;

/* A debit's service, and whose it is: line i, or prior line k as n_lines + k. */
typedef struct {
    service_view key;
    size_t owner;
} service_entry;

/* Positions of lines and prior lines share one numbering ("slots"): line i is slot i,
 * prior line k is slot n_lines + k. */
struct line_index {
    size_t n_lines;
    ref_entry *line_refs;  /* every line, by (line_ref, line): the first of a reference
                              is the only line that can hold it */
    ref_entry *prior_refs; /* accepted prior lines, by (line_ref, k) */
    size_t n_prior_refs;
    bool *ref_taken;       /* per line: an earlier line or an accepted prior line has its
                              reference (8021); fixed before any line is judged */
    ref_entry *debit_refs; /* accepted prior debits, by (line_ref, k): what a credit names */
    size_t n_debit_refs;
    size_t *service; /* per slot: its service number, NO_SERVICE when the slot can
                        never be a live debit (a credit, a credited prior line) */
    size_t *live;    /* per service: accepted debits before the current line (stored
                        or in this submission) that no credit reverses */
    bool *reversed;  /* per slot: an accepted credit before the current line
                        reverses it */
};

static int compare_refs(const void *a, const void *b)
{
    const ref_entry *x = a, *y = b;
    int c = strcmp(x->ref, y->ref);
    return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Zero exactly when same_service() holds. */
static int compare_services(const void *a, const void *b)
{
    const service_view *x = &((const service_entry *)a)->key;
    const service_view *y = &((const service_entry *)b)->key;
    int c = strcmp(x->client_hash, y->client_hash);
    if (c == 0)
        c = strcmp(x->prestatie, y->prestatie);
    if (c == 0)
        c = (x->date_from > y->date_from) - (x->date_from < y->date_from);
    if (c == 0)
        c = (x->date_to > y->date_to) - (x->date_to < y->date_to);
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

static void index_free(line_index *ix)
{
    if (!ix)
        return;
    free(ix->line_refs);
    free(ix->prior_refs);
    free(ix->ref_taken);
    free(ix->debit_refs);
    free(ix->service);
    free(ix->live);
    free(ix->reversed);
    free(ix);
}

/* calloc that gives a distinct pointer for an empty array too, so NULL means failure. */
static void *alloc_array(size_t n, size_t size)
{
    return calloc(n ? n : 1, size);
}

/* Gives the slots of @a entries (sorted) their service numbers: equal services, equal
 * numbers, counted from 0. */
static void number_services(line_index *ix, const service_entry *entries, size_t n)
{
    size_t id = 0;
    for (size_t e = 0; e < n; e++) {
        if (e > 0 && compare_services(&entries[e - 1], &entries[e]) != 0)
            id++;
        ix->service[entries[e].owner] = id;
    }
}

/* Sorts the references of the lines and the accepted prior lines, and collects the
 * services of every debit line and every accepted, not credited prior debit (the only
 * slots that can ever count as declared) into @a services; @return their count. */
static size_t index_fill(line_index *ix, const validate_ctx *ctx, const decl_submission *sub,
                         service_entry *services)
{
    size_t n = sub->n_lines, n_services = 0;
    for (size_t i = 0; i < n; i++) {
        const decl_line *l = &sub->lines[i];
        ix->line_refs[i] = (ref_entry){l->line_ref, i};
        ix->service[i] = NO_SERVICE;
        if (l->debit_credit == 'D')
            services[n_services++] = (service_entry){
                {line_client_hash(ctx, sub, i), l->prestatie, l->date_from, l->date_to, 0, 0}, i};
    }
    for (size_t k = 0; k < ctx->n_prior; k++) {
        const prior_line *p = &ctx->prior[k];
        ix->service[n + k] = NO_SERVICE;
        if (!p->accepted)
            continue;
        ix->prior_refs[ix->n_prior_refs++] = (ref_entry){p->line_ref, k};
        if (p->debit_credit != 'D')
            continue;
        ix->debit_refs[ix->n_debit_refs++] = (ref_entry){p->line_ref, k};
        if (!p->credited)
            services[n_services++] = (service_entry){view_of_prior(p), n + k};
    }
    qsort(ix->line_refs, n, sizeof *ix->line_refs, compare_refs);
    qsort(ix->prior_refs, ix->n_prior_refs, sizeof *ix->prior_refs, compare_refs);
    qsort(ix->debit_refs, ix->n_debit_refs, sizeof *ix->debit_refs, compare_refs);
    qsort(services, n_services, sizeof *services, compare_services);
    return n_services;
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

/* @return the index of @a sub and @a ctx's prior lines before any line is judged, or
 * NULL when out of memory. */
static line_index *index_new(const validate_ctx *ctx, const decl_submission *sub)
{
    size_t n = sub->n_lines, p = ctx->n_prior;
    if (n > SIZE_MAX / 2 || p > SIZE_MAX / 2)
        return NULL;
    line_index *ix = calloc(1, sizeof *ix);
    service_entry *services = alloc_array(n + p, sizeof *services);
    if (ix) {
        ix->n_lines = n;
        ix->line_refs = alloc_array(n, sizeof *ix->line_refs);
        ix->prior_refs = alloc_array(p, sizeof *ix->prior_refs);
        ix->ref_taken = alloc_array(n, sizeof *ix->ref_taken);
        ix->debit_refs = alloc_array(p, sizeof *ix->debit_refs);
        ix->service = alloc_array(n + p, sizeof *ix->service);
        ix->live = alloc_array(n + p, sizeof *ix->live);
        ix->reversed = alloc_array(n + p, sizeof *ix->reversed);
    }
    if (!ix || !services || !ix->line_refs || !ix->prior_refs || !ix->ref_taken ||
        !ix->debit_refs || !ix->service || !ix->live || !ix->reversed) {
        free(services);
        index_free(ix);
        return NULL;
    }
    size_t n_services = index_fill(ix, ctx, sub, services);
    mark_taken_refs(ix);
    number_services(ix, services, n_services);
    free(services);
    for (size_t k = 0; k < p; k++)
        if (ix->service[n + k] != NO_SERVICE)
            ix->live[ix->service[n + k]]++;
    return ix;
}

static size_t slot_of(const line_scope *s, debit_target t)
{
    return t.index >= 0 ? (size_t)t.index : s->ix->n_lines + (size_t)(t.prior - s->ctx->prior);
}

static bool index_credited(const line_scope *s, debit_target t)
{
    return s->ix->reversed[slot_of(s, t)];
}

/* A line that repeats an earlier line's reference is rejected, whatever else it has:
 * the first line of a reference is the one that can hold it. */
static bool index_reference_taken(const line_scope *s)
{
    return s->ix->ref_taken[s->i];
}

static bool index_service_declared(const line_scope *s)
{
    return s->ix->live[s->ix->service[s->i]] > 0;
}

/* As scan_find_debit: only the first line of a reference can have been accepted, and
 * among stored debits the first in the caller's order wins. */
static bool index_find_debit(const line_scope *s, const char *ref, debit_target *out)
{
    const line_index *ix = s->ix;
    size_t e = find_ref(ix->line_refs, ix->n_lines, ref);
    if (e < ix->n_lines && ix->line_refs[e].at < s->i &&
        is_accepted_debit(s, ix->line_refs[e].at)) {
        *out = (debit_target){(long)ix->line_refs[e].at, NULL};
        return true;
    }
    e = find_ref(ix->debit_refs, ix->n_debit_refs, ref);
    if (e == ix->n_debit_refs)
        return false;
    *out = (debit_target){-1, &s->ctx->prior[ix->debit_refs[e].at]};
    return true;
}

static void index_reverse(line_index *ix, size_t slot)
{
    /* Cannot happen (a second credit of a debit is refused, 8084), but a count that went
     * below the truth would let a duplicate through, so guard it. */
    if (ix->reversed[slot])
        return;
    ix->reversed[slot] = true;
    if (ix->service[slot] != NO_SERVICE)
        ix->live[ix->service[slot]]--;
}

/* Brings the index up to date with the verdict on line @a s->i, for the lines after it.
 * A credit of a stored debit reverses every stored debit of that reference, because
 * scan_credited() matches stored debits by reference. */
static void index_note(line_index *ix, const line_scope *s, const line_result *r)
{
    if (!r->accepted)
        return;
    if (s->line->debit_credit == 'D') {
        ix->live[ix->service[s->i]]++;
        return;
    }
    if (r->corrects_index >= 0) {
        index_reverse(ix, (size_t)r->corrects_index);
        return;
    }
    const char *ref = s->line->corrects_ref;
    for (size_t e = find_ref(ix->debit_refs, ix->n_debit_refs, ref);
         e < ix->n_debit_refs && strcmp(ix->debit_refs[e].ref, ref) == 0; e++)
        index_reverse(ix, ix->n_lines + ix->debit_refs[e].at);
}

/* -- the rules, on whichever of the two answers -- */

static bool credited_in_submission(const line_scope *s, debit_target t)
{
    return s->ix ? index_credited(s, t) : scan_credited(s, t);
}

static verdict check_reference_unique(const line_scope *s)
{
    /* A stored line holds its reference only when it was accepted (as the schema's unique
     * index says): a rejected line never entered the ledger, so a provider may send it
     * again, fixed, under the same reference. */
    bool taken = s->ix ? index_reference_taken(s) : scan_reference_taken(s);
    return taken ? fail(LV_8021_REFERENCE_NOT_UNIQUE, "line_ref") : PASS;
}

/* 0587: the service of this debit is already in the ledger as a debit no credit reverses. */
static verdict check_not_declared(const line_scope *s)
{
    if (s->line->debit_credit != 'D')
        return PASS;
    bool declared = s->ix ? index_service_declared(s) : scan_service_declared(s);
    return declared ? fail(LV_0587_ALREADY_DECLARED, "") : PASS;
}

/* Finds the accepted debit a credit names. Duplicate references were rejected (8021), so
 * at most one accepted line, here or stored, holds the reference. */
static bool find_debit(const line_scope *s, const char *ref, debit_target *out)
{
    return s->ix ? index_find_debit(s, ref, out) : scan_find_debit(s, ref, out);
}

/* 9111: a credit repeats the service, the quantity and, on a time line, the travel
 * amount of the debit it reverses. A travel prestatie declares no travel amount (9112):
 * its travel part is its amount, which the credit takes from the debit anyway. */
static const char *credit_difference(const line_scope *s, const line_facts *f,
                                     const service_view *me, const service_view *debit)
{
    const char *differs = service_difference(me, debit);
    if (differs[0] != '\0')
        return differs;
    if (me->quantity != debit->quantity)
        return quantity_field(s->sub);
    if (!is_travel(f->prestatie) && me->travel_cents != debit->travel_cents)
        return "travel_cents";
    return "";
}

static verdict check_credit(const line_scope *s, line_facts *f)
{
    if (s->line->debit_credit != 'C')
        return PASS;
    const char *ref = s->line->corrects_ref;
    if (ref[0] == '\0' || !find_debit(s, ref, &f->reverses))
        return fail(LV_8017_CREDIT_WITHOUT_DEBIT, "corrects_ref");
    if ((f->reverses.prior && f->reverses.prior->credited) ||
        credited_in_submission(s, f->reverses))
        return fail(LV_8084_DEBIT_ALREADY_CREDITED, "corrects_ref");
    service_view me = view_of_line(s, s->i, f->quantity);
    service_view debit = view_of_target(s, f->reverses);
    const char *differs = credit_difference(s, f, &me, &debit);
    if (differs[0] != '\0')
        return fail(LV_9111_CREDIT_MISMATCH, differs);
    return PASS;
}

/* ---- price and result ---- */

/* An overflow belongs to the amount as a whole, not to one field. */
static const char *pricing_field(lv_code code, const decl_submission *sub)
{
    if (code == LV_9112_TRAVEL_INVALID)
        return "travel_cents";
    return code == LV_0638_QUANTITY_INVALID ? quantity_field(sub) : "";
}

/* A debit is priced from the tariff; its travel part is the declared travel amount, or
 * the whole amount for a travel prestatie. */
static verdict price_debit(const line_scope *s, const line_facts *f, line_result *r)
{
    int64_t amount;
    lv_code code =
        pricing_line_amount(f->prestatie, f->rate_bp, f->quantity, s->line->travel_cents, &amount);
    if (code != LV_OK)
        return fail(code, pricing_field(code, s->sub));
    r->amount_cents = amount;
    r->travel_cents = is_travel(f->prestatie) ? amount : s->line->travel_cents;
    return PASS;
}

/* A credit takes exactly minus the debit's amount, not a fresh price: tariffs or the rate
 * may have changed since, and the ledger must net to zero. Its travel part is minus the
 * debit's too: for an in-submission debit taken from its result; for a stored time line
 * the credit's own travel amount, which 9111 made equal to the stored one; for a travel
 * prestatie the whole amount. */
static verdict price_credit(const line_scope *s, const line_facts *f, line_result *r)
{
    debit_target t = f->reverses;
    int64_t debit_amount = t.index >= 0 ? s->results[t.index].amount_cents : t.prior->amount_cents;
    if (!money_sub(0, debit_amount, &r->amount_cents))
        return fail(LV_9106_AMOUNT_OVERFLOW, "corrects_ref");
    if (t.index >= 0)
        r->travel_cents = -s->results[t.index].travel_cents;
    else
        r->travel_cents = is_travel(f->prestatie) ? r->amount_cents : -s->line->travel_cents;
    r->corrects_index = t.index;
    return PASS;
}

static void fill_accepted(const line_facts *f, bool credit, line_result *r)
{
    r->accepted = true;
    r->rate_bp = f->rate_bp;
    r->tariff_cents = f->prestatie->tariff_cents;
    r->quantity = f->quantity;
    r->minutes = is_travel(f->prestatie) ? 0 : (credit ? -f->quantity : f->quantity);
}

static void add_code(line_result *r, lv_code code)
{
    if (r->n_codes < VALIDATE_MAX_CODES)
        r->codes[r->n_codes++] = code;
}

static void add_warnings(const line_scope *s, line_result *r)
{
    const decl_line *line = s->line;
    if (line->has_declared_amount && line->declared_cents != r->amount_cents)
        add_code(r, LV_0611_TARIFF_NOT_PER_CONTRACT);
    if (s->ctx->received_on == LV_DATE_NONE)
        return;
    size_t n_holidays;
    const lv_date *holidays = refdata_holidays(s->ctx->ref, &n_holidays);
    lv_date deadline = lv_declaration_deadline(line->date_from, s->ctx->deadline_working_days,
                                               holidays, n_holidays);
    if (s->ctx->received_on > deadline) {
        r->late = true;
        add_code(r, LV_0586_DECLARED_LATE);
    }
}

static void reset_result(line_result *r)
{
    memset(r, 0, sizeof *r);
    r->corrects_index = -1;
}

static void reject(line_result *r, verdict v)
{
    char group[sizeof r->target_group];
    memcpy(group, r->target_group, sizeof group);
    reset_result(r);
    memcpy(r->target_group, group, sizeof group);
    add_code(r, v.code);
    snprintf(r->field, sizeof r->field, "%s", v.field);
}

/* The rules up to the price, in the order of validate.h; the first failure wins. */
static verdict run_rules(const line_scope *s, line_facts *f, line_result *r)
{
    verdict v = check_form(s->line);
    if (v.code == LV_OK)
        v = check_dates(s->ctx, s->line);
    if (v.code == LV_OK)
        v = check_prestatie(s->ctx, s->line, f);
    const ref_prestatie *named = f->prestatie ? f->prestatie : f->other_year;
    if (named)
        memcpy(r->target_group, named->target_group, sizeof r->target_group);
    if (v.code == LV_OK)
        v = check_group(s->ctx, s->line, f);
    if (v.code == LV_OK)
        v = check_provider(s->ctx, s->sub, s->line, f);
    if (v.code == LV_OK)
        v = check_quantity(s->ctx, s->sub, s->line, f);
    if (v.code == LV_OK)
        v = check_reference_unique(s);
    if (v.code == LV_OK)
        v = check_not_declared(s);
    if (v.code == LV_OK)
        v = check_credit(s, f);
    return v;
}

static void validate_line(const line_scope *s, line_result *r)
{
    line_facts f = {.reverses = {-1, NULL}};
    reset_result(r);
    bool credit = s->line->debit_credit == 'C';
    verdict v = run_rules(s, &f, r);
    if (v.code == LV_OK)
        v = credit ? price_credit(s, &f, r) : price_debit(s, &f, r);
    if (v.code != LV_OK) {
        reject(r, v);
        return;
    }
    fill_accepted(&f, credit, r);
    add_warnings(s, r);
}

/* Judges the lines in order; with @a ix (kept up to date line by line) or by scanning. */
static void judge_lines(const validate_ctx *ctx, const decl_submission *sub, line_result *results,
                        line_index *ix)
{
    for (size_t i = 0; i < sub->n_lines; i++) {
        line_scope s = {ctx, sub, results, i, &sub->lines[i], ix};
        validate_line(&s, &results[i]);
        if (ix)
            index_note(ix, &s, &results[i]);
    }
}

void validate_submission(const validate_ctx *ctx, const decl_submission *sub, line_result *results)
{
    if (sub->n_lines == 0)
        return;
    /* Out of memory: the scans give the same results without any. */
    line_index *ix = index_new(ctx, sub);
    judge_lines(ctx, sub, results, ix);
    index_free(ix);
}

void validate_submission_quadratic(const validate_ctx *ctx, const decl_submission *sub,
                                   line_result *results)
{
    judge_lines(ctx, sub, results, NULL);
}
