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
 * before it: that is how a duplicate or a credit inside one submission is seen. Nothing
 * is allocated, so validation cannot fail; the scans over earlier and prior lines are
 * linear, which is fine for submissions of hundreds or a few thousand lines (the parsers
 * cap the count) and keeps the code obvious.
 */
#include "validate.h"

#include <stdio.h>
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
    int32_t rate_bp;
    int64_t quantity; /* minutes (time) or trips/km (travel), after the unit mapping */
    debit_target reverses;
} line_facts;

/* The line being judged, with everything before it. */
typedef struct {
    const validate_ctx *ctx;
    const decl_submission *sub;
    const line_result *results; /* valid for indexes below i */
    size_t i;
    const decl_line *line;
} line_scope;

/* The fields that identify one service, for duplicates (0587) and credits (9111). */
typedef struct {
    const char *client_hash;
    const char *prestatie;
    lv_date date_from;
    lv_date date_to;
    int64_t quantity;
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

static const char *client_hash(const line_scope *s, size_t j)
{
    return s->ctx->client_hashes ? s->ctx->client_hashes[j] : s->sub->lines[j].client_bsn;
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

static verdict check_prestatie(const validate_ctx *ctx, const decl_line *line, line_facts *f)
{
    if (line->prestatie[0] == '\0')
        return fail(LV_9107_FIELD_MISSING, "prestatie");
    f->prestatie = refdata_prestatie(ctx->ref, year_of(line->date_from), line->prestatie);
    if (f->prestatie)
        return PASS;
    /* Vektis tells a code from another year's list (0581) from an unknown one (0582). */
    if (refdata_prestatie_known_any_year(ctx->ref, line->prestatie))
        return fail(LV_0581_PRESTATIE_LIST_UNKNOWN, "prestatie");
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

/* Whether an accepted credit before the current line already reverses @a t. */
static bool credited_in_submission(const line_scope *s, debit_target t)
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

static verdict check_reference_unique(const line_scope *s)
{
    const char *ref = s->line->line_ref;
    for (size_t j = 0; j < s->i; j++)
        if (strcmp(s->sub->lines[j].line_ref, ref) == 0)
            return fail(LV_8021_REFERENCE_NOT_UNIQUE, "line_ref");
    /* A stored line holds its reference only when it was accepted (as the schema's unique
     * index says): a rejected line never entered the ledger, so a provider may send it
     * again, fixed, under the same reference. */
    for (size_t k = 0; k < s->ctx->n_prior; k++)
        if (s->ctx->prior[k].accepted && strcmp(s->ctx->prior[k].line_ref, ref) == 0)
            return fail(LV_8021_REFERENCE_NOT_UNIQUE, "line_ref");
    return PASS;
}

static service_view view_of_line(const line_scope *s, size_t j, int64_t quantity)
{
    const decl_line *l = &s->sub->lines[j];
    return (service_view){client_hash(s, j), l->prestatie, l->date_from, l->date_to, quantity};
}

static service_view view_of_prior(const prior_line *p)
{
    return (service_view){p->client_hash, p->prestatie, p->date_from, p->date_to, p->quantity};
}

static service_view view_of_target(const line_scope *s, debit_target t)
{
    if (t.index >= 0)
        return view_of_line(s, (size_t)t.index, s->results[t.index].quantity);
    return view_of_prior(t.prior);
}

/* @return the first field in which the two differ ("" when none); the quantity counts
 * only when @a with_quantity. */
static const char *service_difference(const service_view *a, const service_view *b,
                                      bool with_quantity, const char *quantity_name)
{
    if (strcmp(a->client_hash, b->client_hash) != 0)
        return "client_bsn";
    if (strcmp(a->prestatie, b->prestatie) != 0)
        return "prestatie";
    if (a->date_from != b->date_from)
        return "date_from";
    if (a->date_to != b->date_to)
        return "date_to";
    if (with_quantity && a->quantity != b->quantity)
        return quantity_name;
    return "";
}

static bool same_service(const service_view *a, const service_view *b)
{
    return service_difference(a, b, false, "")[0] == '\0';
}

/* 0587: the service of this debit is already in the ledger as a debit no credit reverses. */
static verdict check_not_declared(const line_scope *s, const line_facts *f)
{
    if (s->line->debit_credit != 'D')
        return PASS;
    service_view me = view_of_line(s, s->i, f->quantity);
    for (size_t j = 0; j < s->i; j++) {
        service_view other = view_of_line(s, j, 0);
        if (is_accepted_debit(s, j) && same_service(&me, &other) &&
            !credited_in_submission(s, (debit_target){(long)j, NULL}))
            return fail(LV_0587_ALREADY_DECLARED, "");
    }
    for (size_t k = 0; k < s->ctx->n_prior; k++) {
        const prior_line *p = &s->ctx->prior[k];
        service_view other = view_of_prior(p);
        if (prior_is_accepted_debit(p) && !p->credited && same_service(&me, &other) &&
            !credited_in_submission(s, (debit_target){-1, p}))
            return fail(LV_0587_ALREADY_DECLARED, "");
    }
    return PASS;
}

/* Finds the accepted debit a credit names. Duplicate references were rejected (8021), so
 * at most one accepted line, here or stored, holds the reference. */
static bool find_debit(const line_scope *s, const char *ref, debit_target *out)
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
    const char *differs = service_difference(&me, &debit, true, quantity_field(s->sub));
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
 * may have changed since, and the ledger must net to zero. Only an in-submission debit
 * has a known travel part; for a stored one the credit's own travel amount stands in. */
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
    if (f->prestatie)
        memcpy(r->target_group, f->prestatie->target_group, sizeof r->target_group);
    if (v.code == LV_OK)
        v = check_group(s->ctx, s->line, f);
    if (v.code == LV_OK)
        v = check_provider(s->ctx, s->sub, s->line, f);
    if (v.code == LV_OK)
        v = check_quantity(s->ctx, s->sub, s->line, f);
    if (v.code == LV_OK)
        v = check_reference_unique(s);
    if (v.code == LV_OK)
        v = check_not_declared(s, f);
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

void validate_submission(const validate_ctx *ctx, const decl_submission *sub, line_result *results)
{
    for (size_t i = 0; i < sub->n_lines; i++) {
        line_scope s = {ctx, sub, results, i, &sub->lines[i]};
        validate_line(&s, &results[i]);
    }
}
