/*
 * validate.c: the line rules of validate.h, applied to one submission.
 *
 * Each rule is a small function that returns true when the line passes it, or fills a
 * verdict (the code, the field and a reason naming the value found and the rule) and
 * returns false. The rules that concern one line alone run first, for every line, in the
 * order of validate.h; the first failure rejects the line. Then the rules that relate lines
 * to each other run in two rounds, credits first and debits second, so that a credit takes
 * effect wherever it stands in the submission. The questions those rounds ask about other
 * lines go to a validate_lookup: line_index.h's sorted index, or the tests' scan.
 *
 * What the rules learn about a line (its prestatie, rate and quantity) stays in a
 * line_facts per line for the rounds after; results[] holds each line's verdict so far,
 * so "a debit that passed its own checks" is results[t].accepted during the credit round.
 */
#include "validate.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line_index.h"
#include "money.h"
#include "pricing.h"

/* Why a line is rejected: the code, the field to blame and the readable text. */
typedef struct {
    lv_code code;
    const char *field;
    char text[VALIDATE_REASON_MAX];
} verdict;

/* Fills @a v; @return false, so a rule can end with "return fail(...)". */
static bool fail(verdict *v, lv_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static bool fail(verdict *v, lv_code code, const char *field, const char *fmt, ...)
{
    v->code = code;
    v->field = field;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->text, sizeof v->text, fmt, ap);
    va_end(ap);
    return false;
}

/* What the rules learn about a line, for the rules after them and for the result. */
typedef struct {
    const ref_prestatie *prestatie;
    const ref_prestatie *other_year; /* the other year's entry behind a 9101 or 9102 of a
                                        code missing from its own year's list */
    int32_t rate_bp;
    int64_t quantity; /* minutes (time) or trips/km (travel), after the unit mapping */
} line_facts;

/* The line being judged, with the submission around it. */
typedef struct {
    const validate_ctx *ctx;
    const decl_submission *sub;
    const validate_lookup *lk;
    void *state;
    line_result *results;
    line_facts *facts;
    size_t i;
    const decl_line *line;
} line_scope;

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

/* "YYYY-MM-DD" of @a day into @a buf; "(none)" for LV_DATE_NONE. */
static const char *iso(lv_date day, char buf[11])
{
    if (day == LV_DATE_NONE)
        return strcpy(buf, "(none)");
    lv_date_format_iso(day, buf);
    return buf;
}

const char *validate_client_key(const validate_ctx *ctx, const decl_submission *sub, size_t line)
{
    return ctx->client_hashes ? ctx->client_hashes[line] : sub->lines[line].client_bsn;
}

/* The quantity is called "minutes" in JSON and CSV and "quantity" in AW319; a rejection
 * names it the way the provider wrote it. */
static const char *quantity_field(const decl_submission *sub)
{
    return sub->source == DECL_SOURCE_AW319 ? "quantity" : "minutes";
}

/* The target group as a reason names it: the short form a name carries in parentheses
 * ("Niet-aangeboren hersenletsel (NAH+)" gives "NAH+"), else the code ("KOR"). */
typedef struct {
    char text[sizeof(((ref_target_group *)0)->name)];
} group_label_buf;

static const char *group_label(const validate_ctx *ctx, const char *code, group_label_buf *buf)
{
    const ref_target_group *g = refdata_target_group(ctx->ref, code);
    const char *open = g ? strrchr(g->name, '(') : NULL;
    size_t len = g ? strlen(g->name) : 0;
    if (open && len > 0 && g->name[len - 1] == ')' && g->name + len - 1 > open + 1) {
        snprintf(buf->text, sizeof buf->text, "%.*s", (int)(g->name + len - 2 - open), open + 1);
        return buf->text;
    }
    snprintf(buf->text, sizeof buf->text, "%s", code);
    return buf->text;
}

/* ---- form: parse defect, debit/credit, line reference, BSN ---- */

/* What a valid value of a field looks like, for the reason of a 9108. */
static const char *field_rule(const char *field)
{
    if (strcmp(field, "travel_cents") == 0)
        return "a whole number of cents, 0 or more";
    if (strcmp(field, "line_ref") == 0 || strcmp(field, "corrects_ref") == 0)
        return "at most 20 bytes, without control characters";
    if (strcmp(field, "minutes") == 0 || strcmp(field, "quantity") == 0)
        return "a whole number above 0";
    return "see the format's description";
}

/* The reason of a defect the parser found: it kept the field and (quoted, a BSN masked)
 * the value it read. */
static bool parse_defect(const decl_line *line, verdict *v)
{
    const char *f = line->parse_field, *val = line->parse_value;
    bool known = line->parse_code > LV_OK && line->parse_code < LV_CODE_COUNT;
    lv_code code = known ? (lv_code)line->parse_code : LV_9108_FIELD_INVALID;
    switch (code) {
    case LV_9107_FIELD_MISSING:
        return fail(v, code, f, "%s is missing; the line needs it", f);
    case LV_0435_BSN_INVALID:
        return fail(v, code, f, "%s %s is not a BSN of 9 digits (a BSN is never shown)", f,
                    val[0] ? val : "(empty)");
    case LV_8007_SERVICE_DATE_INVALID:
        return fail(v, code, f, "%s '%s' is not a calendar date", f, val);
    case LV_0631_DEBIT_CREDIT_MISSING:
        if (val[0] == '\0')
            return fail(v, code, f, "%s is missing; it must be D (debit) or C (credit)", f);
        return fail(v, code, f, "%s '%s' is neither D (debit) nor C (credit)", f, val);
    case LV_0638_QUANTITY_INVALID:
        if (strcmp(f, "travel_cents") == 0)
            return fail(v, code, f, "%s '%s' is negative; a travel amount is 0 or more", f, val);
        return fail(v, code, f, "%s '%s' is not a whole number above 0", f, val);
    case LV_0582_PRESTATIE_UNKNOWN:
        return fail(v, code, f,
                    "prestatie '%s' is on no C&A prestatie list (a code has at most %d "
                    "characters)",
                    val, DECL_PRESTATIE_MAX);
    default:
        return fail(v, code, f, "%s '%s' is not valid: expected %s", f, val, field_rule(f));
    }
}

static bool check_form(const decl_line *line, verdict *v)
{
    if (line->parse_code != LV_OK)
        return parse_defect(line, v);
    if (line->debit_credit != 'D' && line->debit_credit != 'C')
        return fail(v, LV_0631_DEBIT_CREDIT_MISSING, "debit_credit",
                    "debit_credit is missing; it must be D (debit) or C (credit)");
    if (line->line_ref[0] == '\0')
        return fail(v, LV_9107_FIELD_MISSING, "line_ref",
                    "line_ref is empty; every line needs a reference of its own");
    if (line->client_bsn[0] == '\0')
        return fail(v, LV_0435_BSN_INVALID, "client_bsn", "client_bsn is missing");
    if (!bsn_valid(line->client_bsn))
        return fail(v, LV_0435_BSN_INVALID, "client_bsn",
                    "client_bsn ********* fails the 11-test (a BSN is never shown)");
    return true;
}

/* ---- dates: present, ordered, one calendar month, not after the arrival ---- */

static bool check_dates(const validate_ctx *ctx, const decl_line *line, verdict *v)
{
    char a[11], b[11], c[11];
    if (line->date_from == LV_DATE_NONE)
        return fail(v, LV_8007_SERVICE_DATE_INVALID, "date_from", "date_from is missing");
    if (line->date_to == LV_DATE_NONE)
        return fail(v, LV_8007_SERVICE_DATE_INVALID, "date_to", "date_to is missing");
    if (line->date_to < line->date_from)
        return fail(v, LV_8007_SERVICE_DATE_INVALID, "date_to", "date_to %s is before date_from %s",
                    iso(line->date_to, a), iso(line->date_from, b));
    /* DOMAIN: hours are declared per month, so a line covers one calendar month (and
     * with it one year, the year whose tariffs and rate apply). */
    if (lv_date_month_index(line->date_from) != lv_date_month_index(line->date_to))
        return fail(v, LV_9104_DATES_SPAN_MONTHS, "date_to",
                    "the period %s..%s spans more than one calendar month; a line covers one "
                    "month",
                    iso(line->date_from, a), iso(line->date_to, b));
    /* The whole period lies before the submission arrives: a day of service may be
     * declared on that same day (Vektis 8178: end date not after the invoice date). */
    if (ctx->received_on != LV_DATE_NONE && line->date_to > ctx->received_on)
        return fail(v, LV_8007_SERVICE_DATE_INVALID,
                    line->date_from > ctx->received_on ? "date_from" : "date_to",
                    "the period %s..%s ends after the submission arrived (%s); a service is "
                    "declared once it was given",
                    iso(line->date_from, a), iso(line->date_to, b), iso(ctx->received_on, c));
    return true;
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
static bool check_other_years(const validate_ctx *ctx, const decl_line *line, line_facts *f,
                              verdict *v)
{
    int year = year_of(line->date_from);
    group_label_buf gl;
    const ref_prestatie *not_yet = NULL, *nearest = NULL;
    for (int d = 1; d <= OTHER_YEAR_SPAN; d++)
        for (int sign = 1; sign >= -1; sign -= 2) {
            const ref_prestatie *p = refdata_prestatie(ctx->ref, year + sign * d, line->prestatie);
            if (!p)
                continue;
            if (!nearest)
                nearest = p;
            const ref_target_group *g = refdata_target_group(ctx->ref, p->target_group);
            if (!g || g->ca_from == LV_DATE_NONE) {
                f->other_year = p;
                return fail(v, LV_9101_GROUP_NO_CA, "prestatie",
                            "prestatie %s is %s, which has no C&A; it cannot be declared",
                            line->prestatie, group_label(ctx, p->target_group, &gl));
            }
            if (!not_yet && g->ca_from > line->date_from)
                not_yet = p;
        }
    char a[11], b[11];
    if (!not_yet) {
        if (nearest)
            return fail(v, LV_0581_PRESTATIE_LIST_UNKNOWN, "prestatie",
                        "prestatie %s is not on the C&A list of %d (the service year); it is on "
                        "the list of %d",
                        line->prestatie, year, nearest->year);
        return fail(v, LV_0581_PRESTATIE_LIST_UNKNOWN, "prestatie",
                    "prestatie %s is not on the C&A list of %d (the service year)", line->prestatie,
                    year);
    }
    f->other_year = not_yet;
    const ref_target_group *g = refdata_target_group(ctx->ref, not_yet->target_group);
    return fail(v, LV_9102_GROUP_NOT_YET_DECLARABLE, "date_from",
                "prestatie %s is %s, which has C&A only from %s (service date %s)", line->prestatie,
                group_label(ctx, not_yet->target_group, &gl), iso(g->ca_from, a),
                iso(line->date_from, b));
}

static bool check_prestatie(const validate_ctx *ctx, const decl_line *line, line_facts *f,
                            verdict *v)
{
    if (line->prestatie[0] == '\0')
        return fail(v, LV_9107_FIELD_MISSING, "prestatie", "prestatie is missing");
    f->prestatie = refdata_prestatie(ctx->ref, year_of(line->date_from), line->prestatie);
    if (f->prestatie)
        return true;
    /* Vektis tells a code from another list (0581) from an unknown one (0582). */
    if (refdata_prestatie_known_any_year(ctx->ref, line->prestatie))
        return check_other_years(ctx, line, f, v);
    return fail(v, LV_0582_PRESTATIE_UNKNOWN, "prestatie",
                "prestatie %s is on no C&A prestatie list of any year", line->prestatie);
}

static bool check_group(const validate_ctx *ctx, const decl_line *line, const line_facts *f,
                        verdict *v)
{
    const char *code = f->prestatie->target_group;
    const ref_target_group *g = refdata_target_group(ctx->ref, code);
    group_label_buf gl;
    char a[11], b[11];
    /* A prestatie of a group the reference data does not list cannot be C&A either. */
    if (!g || g->ca_from == LV_DATE_NONE)
        return fail(v, LV_9101_GROUP_NO_CA, "prestatie",
                    "prestatie %s is %s, which has no C&A; it cannot be declared", line->prestatie,
                    group_label(ctx, code, &gl));
    if (line->date_from < g->ca_from)
        return fail(v, LV_9102_GROUP_NOT_YET_DECLARABLE, "date_from",
                    "prestatie %s is %s, which has C&A only from %s (service date %s)",
                    line->prestatie, group_label(ctx, code, &gl), iso(g->ca_from, a),
                    iso(line->date_from, b));
    if (g->ca_to != LV_DATE_NONE && line->date_to > g->ca_to)
        return fail(v, LV_9102_GROUP_NOT_YET_DECLARABLE, "date_to",
                    "prestatie %s is %s, whose C&A ended on %s (service until %s)", line->prestatie,
                    group_label(ctx, code, &gl), iso(g->ca_to, a), iso(line->date_to, b));
    return true;
}

/* 8022: the whole period inside one designation of the provider for the group. */
static bool check_designation(const validate_ctx *ctx, const decl_submission *sub,
                              const decl_line *line, const line_facts *f, verdict *v)
{
    const char *agb = sub->provider_agb, *group = f->prestatie->target_group;
    if (refdata_designation_covering(ctx->ref, agb, group, line->date_from, line->date_to))
        return true;
    char a[11], b[11], c[11];
    group_label_buf gl;
    const ref_designation *start = refdata_designation(ctx->ref, agb, group, line->date_from);
    if (!start)
        return fail(v, LV_8022_NO_DESIGNATION, "provider_agb",
                    "provider %s has no REC/DEC designation for %s on %s (date_from)", agb,
                    group_label(ctx, group, &gl), iso(line->date_from, a));
    return fail(v, LV_8022_NO_DESIGNATION, "date_to",
                "the designation of provider %s for %s ends on %s, within the period %s..%s; "
                "a line lies within one designation",
                agb, group_label(ctx, group, &gl), iso(start->valid_to, a), iso(line->date_from, b),
                iso(line->date_to, c));
}

static bool check_provider(const validate_ctx *ctx, const decl_submission *sub,
                           const decl_line *line, line_facts *f, verdict *v)
{
    const char *agb = sub->provider_agb;
    if (!refdata_provider(ctx->ref, agb))
        return fail(v, LV_9109_PROVIDER_UNKNOWN, "provider_agb",
                    "provider %s is not in the reference data", agb);
    if (!check_designation(ctx, sub, line, f, v))
        return false;
    int year = year_of(line->date_from);
    const ref_rate *rate = refdata_rate(ctx->ref, agb, year);
    if (!rate)
        return fail(v, LV_9105_NO_RATE_FOR_YEAR, "provider_agb",
                    "provider %s has no tariff percentage (rate) for %d", agb, year);
    f->rate_bp = rate->rate_bp;
    return true;
}

/* ---- quantity and travel amount ---- */

/* AW319 declares a quantity in a time unit; the unit's minutes come from reference data.
 * The unit only scales time prestaties: the quantity of a travel prestatie is trips or
 * km whatever unit code the file carries. */
static bool effective_quantity(const validate_ctx *ctx, const decl_submission *sub,
                               const decl_line *line, line_facts *f, verdict *v)
{
    if (line->time_unit[0] == '\0') {
        f->quantity = line->quantity;
        return true;
    }
    const ref_time_unit *unit = refdata_time_unit(ctx->ref, line->time_unit);
    if (!unit)
        return fail(v, LV_9103_TIME_UNIT_UNKNOWN, "time_unit",
                    "time_unit %s is not in the table of time units", line->time_unit);
    if (is_travel(f->prestatie)) {
        f->quantity = line->quantity_declared;
        return true;
    }
    /* A product beyond int64 is beyond any maximum a line can have. */
    if (!money_mul(line->quantity_declared, unit->minutes, &f->quantity))
        return fail(v, LV_0584_QUANTITY_OVER_MAX, quantity_field(sub),
                    "%s %lld in time unit %s is beyond any maximum", quantity_field(sub),
                    (long long)line->quantity_declared, line->time_unit);
    return true;
}

static bool check_quantity(const validate_ctx *ctx, const decl_submission *sub,
                           const decl_line *line, line_facts *f, verdict *v)
{
    if (!effective_quantity(ctx, sub, line, f, v))
        return false;
    bool travel = is_travel(f->prestatie);
    const char *field = quantity_field(sub);
    const char *what =
        travel ? (f->prestatie->unit == PRESTATIE_UNIT_KM ? "km" : "trips") : "minutes";
    int64_t max = travel ? ctx->max_units_per_line : ctx->max_minutes_per_line;
    if (f->quantity <= 0)
        return fail(v, LV_0638_QUANTITY_INVALID, field,
                    "%s %lld (%s) is not above 0; a line declares a quantity above 0", field,
                    (long long)line->quantity_declared, what);
    if (max > 0 && f->quantity > max)
        return fail(v, LV_0584_QUANTITY_OVER_MAX, field,
                    "%s %lld %s is above the maximum of %lld %s for one line", field,
                    (long long)f->quantity, what, (long long)max, what);
    return true;
}

static bool check_travel(const validate_ctx *ctx, const decl_line *line, const line_facts *f,
                         verdict *v)
{
    char a[24], b[24];
    int64_t t = line->travel_cents, max = ctx->max_travel_cents_per_line;
    if (t < 0)
        return fail(v, LV_0638_QUANTITY_INVALID, "travel_cents",
                    "travel_cents %lld is negative; a travel amount is 0 or more", (long long)t);
    /* The price of a travel prestatie comes from its tariff; an amount on top of it
     * would count the trip twice. */
    if (is_travel(f->prestatie) && t != 0)
        return fail(v, LV_9112_TRAVEL_INVALID, "travel_cents",
                    "travel_cents %lld on travel prestatie %s, which is priced from its tariff; "
                    "declare an amount only on a time line",
                    (long long)t, line->prestatie);
    /* Plausibility: one line cannot carry more travel than the setting allows. A credit
     * repeats what was stored, so only a debit is held to it. */
    if (line->debit_credit == 'D' && max > 0 && t > max)
        return fail(v, LV_0584_QUANTITY_OVER_MAX, "travel_cents",
                    "travel_cents %lld (EUR %s) is above the maximum of EUR %s for one line",
                    (long long)t, money_format(t, a), money_format(max, b));
    return true;
}

/* ---- the checks of one line on its own ---- */

static bool check_reference_unique(const line_scope *s, verdict *v)
{
    /* A stored line holds its reference only when it was accepted (as the schema's unique
     * index says): a rejected line never entered the ledger, so a provider may send it
     * again, fixed, under the same reference. */
    if (!s->lk->ref_taken(s->state, s->i))
        return true;
    return fail(v, LV_8021_REFERENCE_NOT_UNIQUE, "line_ref",
                "line_ref %s is already used by an earlier line of this submission or an "
                "accepted stored line of this provider",
                s->line->line_ref);
}

/* A debit is priced from the tariff; its travel part is the declared travel amount, or
 * the whole amount for a travel prestatie. */
static bool price_debit(const line_scope *s, const line_facts *f, line_result *r, verdict *v)
{
    int64_t amount;
    lv_code code =
        pricing_line_amount(f->prestatie, f->rate_bp, f->quantity, s->line->travel_cents, &amount);
    if (code != LV_OK)
        return fail(v, code, "", "the amount of %lld %s of %s cannot be computed (it overflows)",
                    (long long)f->quantity, is_travel(f->prestatie) ? "units" : "minutes",
                    s->line->prestatie);
    r->amount_cents = amount;
    r->travel_cents = is_travel(f->prestatie) ? amount : s->line->travel_cents;
    return true;
}

static bool judge_alone(const line_scope *s, line_facts *f, line_result *r, verdict *v)
{
    const validate_ctx *ctx = s->ctx;
    const decl_line *line = s->line;
    if (!check_form(line, v) || !check_dates(ctx, line, v))
        return false;
    bool ok = check_prestatie(ctx, line, f, v);
    const ref_prestatie *named = f->prestatie ? f->prestatie : f->other_year;
    if (named)
        memcpy(r->target_group, named->target_group, sizeof r->target_group);
    return ok && check_group(ctx, line, f, v) && check_provider(ctx, s->sub, line, f, v) &&
           check_quantity(ctx, s->sub, line, f, v) && check_travel(ctx, line, f, v) &&
           check_reference_unique(s, v) && (line->debit_credit != 'D' || price_debit(s, f, r, v));
}

/* ---- credits ---- */

/* The fields a credit repeats from its debit (9111). */
typedef struct {
    const char *client;
    const char *prestatie;
    lv_date date_from;
    lv_date date_to;
    int64_t quantity;
    int64_t travel_cents;
    const char *line_ref;
} debit_view;

static debit_view view_of_slot(const line_scope *s, size_t slot)
{
    size_t n = s->sub->n_lines;
    if (slot < n) {
        const decl_line *l = &s->sub->lines[slot];
        return (debit_view){validate_client_key(s->ctx, s->sub, slot),
                            l->prestatie,
                            l->date_from,
                            l->date_to,
                            s->facts[slot].quantity,
                            l->travel_cents,
                            l->line_ref};
    }
    const prior_line *p = &s->ctx->prior[slot - n];
    return (debit_view){p->client_hash, p->prestatie,    p->date_from, p->date_to,
                        p->quantity,    p->travel_cents, p->line_ref};
}

/* 9111: a credit repeats the service, the quantity and, on a time line, the travel
 * amount of the debit it reverses. A travel prestatie declares no travel amount (9112):
 * its travel part is its amount, which the credit takes from the debit anyway. */
static bool check_repeats(const line_scope *s, const line_facts *f, const debit_view *d, verdict *v)
{
    const decl_line *l = s->line;
    char a[11], b[11];
    if (strcmp(validate_client_key(s->ctx, s->sub, s->i), d->client) != 0)
        return fail(v, LV_9111_CREDIT_MISMATCH, "client_bsn",
                    "the credit is for another client than debit %s; a credit repeats the "
                    "debit it reverses",
                    d->line_ref);
    if (strcmp(l->prestatie, d->prestatie) != 0)
        return fail(v, LV_9111_CREDIT_MISMATCH, "prestatie",
                    "prestatie %s differs from %s of debit %s; a credit repeats the debit it "
                    "reverses",
                    l->prestatie, d->prestatie, d->line_ref);
    if (l->date_from != d->date_from)
        return fail(v, LV_9111_CREDIT_MISMATCH, "date_from",
                    "date_from %s differs from %s of debit %s; a credit repeats the debit it "
                    "reverses",
                    iso(l->date_from, a), iso(d->date_from, b), d->line_ref);
    if (l->date_to != d->date_to)
        return fail(v, LV_9111_CREDIT_MISMATCH, "date_to",
                    "date_to %s differs from %s of debit %s; a credit repeats the debit it "
                    "reverses",
                    iso(l->date_to, a), iso(d->date_to, b), d->line_ref);
    if (f->quantity != d->quantity)
        return fail(v, LV_9111_CREDIT_MISMATCH, quantity_field(s->sub),
                    "the quantity %lld differs from %lld of debit %s; a credit repeats the "
                    "debit it reverses",
                    (long long)f->quantity, (long long)d->quantity, d->line_ref);
    if (!is_travel(f->prestatie) && l->travel_cents != d->travel_cents)
        return fail(v, LV_9111_CREDIT_MISMATCH, "travel_cents",
                    "travel_cents %lld differs from %lld of debit %s; a credit repeats the "
                    "debit it reverses",
                    (long long)l->travel_cents, (long long)d->travel_cents, d->line_ref);
    return true;
}

/* Finds the debit a credit names: @return its slot, or VALIDATE_NO_SLOT with @a v set. */
static size_t find_debit(const line_scope *s, verdict *v)
{
    const char *ref = s->line->corrects_ref;
    if (ref[0] == '\0') {
        fail(v, LV_8017_CREDIT_WITHOUT_DEBIT, "corrects_ref",
             "corrects_ref is empty; a credit names the debit line it reverses");
        return VALIDATE_NO_SLOT;
    }
    size_t t = s->lk->ref_holder(s->state, ref);
    if (t == VALIDATE_NO_SLOT) {
        fail(v, LV_8017_CREDIT_WITHOUT_DEBIT, "corrects_ref",
             "corrects_ref %s names no accepted debit line of provider %s", ref,
             s->sub->provider_agb);
        return VALIDATE_NO_SLOT;
    }
    if (t >= s->sub->n_lines)
        return t;
    if (s->sub->lines[t].debit_credit != 'D') {
        fail(v, LV_8017_CREDIT_WITHOUT_DEBIT, "corrects_ref",
             "corrects_ref %s names a credit line of this submission, not a debit", ref);
        return VALIDATE_NO_SLOT;
    }
    if (!s->results[t].accepted) {
        fail(v, LV_8017_CREDIT_WITHOUT_DEBIT, "corrects_ref",
             "corrects_ref %s names a debit of this submission that is rejected (%s)", ref,
             lv_code_get(s->results[t].codes[0])->id);
        return VALIDATE_NO_SLOT;
    }
    return t;
}

/* A credit takes exactly minus the debit's amount, not a fresh price: tariffs or the rate
 * may have changed since, and the ledger must net to zero. Its travel part is minus the
 * debit's too: for a debit of this submission taken from its result; for a stored time
 * line the credit's own travel amount, which 9111 made equal to the stored one; for a
 * travel prestatie the whole amount. */
static bool judge_credit(const line_scope *s, line_result *r, verdict *v)
{
    const line_facts *f = &s->facts[s->i];
    size_t t = find_debit(s, v);
    if (t == VALIDATE_NO_SLOT)
        return false;
    size_t n = s->sub->n_lines;
    const char *ref = s->line->corrects_ref;
    if (t >= n && s->ctx->prior[t - n].credited)
        return fail(v, LV_8084_DEBIT_ALREADY_CREDITED, "corrects_ref",
                    "debit %s was already credited by a stored credit line", ref);
    if (s->lk->reversed(s->state, t))
        return fail(v, LV_8084_DEBIT_ALREADY_CREDITED, "corrects_ref",
                    "debit %s is already credited by an earlier credit line of this submission",
                    ref);
    debit_view d = view_of_slot(s, t);
    if (!check_repeats(s, f, &d, v))
        return false;
    int64_t debit_amount = t < n ? s->results[t].amount_cents : s->ctx->prior[t - n].amount_cents;
    if (!money_sub(0, debit_amount, &r->amount_cents))
        return fail(v, LV_9106_AMOUNT_OVERFLOW, "corrects_ref",
                    "minus the amount of debit %s cannot be computed (it overflows)", ref);
    if (t < n)
        r->travel_cents = -s->results[t].travel_cents;
    else
        r->travel_cents = is_travel(f->prestatie) ? r->amount_cents : -s->line->travel_cents;
    r->corrects_index = t < n ? (long)t : -1;
    s->lk->reverse(s->state, t);
    return true;
}

/* ---- debits ---- */

/* 0587: the period of a debit that stays live overlaps a live debit of the same client
 * and prestatie. A debit a credit of this submission reverses stays out of the ledger's
 * live spend, so it is no duplicate of anything. */
static bool judge_debit(const line_scope *s, verdict *v)
{
    if (s->lk->reversed(s->state, s->i))
        return true;
    size_t w;
    if (!s->lk->overlaps_live(s->state, s->i, &w)) {
        s->lk->add_live(s->state, s->i);
        return true;
    }
    const decl_line *l = s->line;
    char a[11], b[11], c[11], d[11];
    if (w == VALIDATE_NO_SLOT)
        return fail(v, LV_0587_ALREADY_DECLARED, "",
                    "%s %s..%s for this client overlaps an accepted debit of the same client "
                    "and prestatie that no credit reverses",
                    l->prestatie, iso(l->date_from, a), iso(l->date_to, b));
    debit_view other = view_of_slot(s, w);
    return fail(v, LV_0587_ALREADY_DECLARED, "",
                "%s %s..%s for this client overlaps %s %s (%s..%s), an accepted debit that no "
                "credit reverses",
                l->prestatie, iso(l->date_from, a), iso(l->date_to, b),
                w < s->sub->n_lines ? "line" : "stored line", other.line_ref,
                iso(other.date_from, c), iso(other.date_to, d));
}

/* ---- results ---- */

static void reset_result(line_result *r)
{
    memset(r, 0, sizeof *r);
    r->corrects_index = -1;
}

/* Appends "<id>: <text>" to the line's reason, "; " between codes. */
static void add_code(line_result *r, lv_code code, const char *text)
{
    if (r->n_codes >= VALIDATE_MAX_CODES)
        return;
    size_t used = strlen(r->reason);
    snprintf(r->reason + used, sizeof r->reason - used, "%s%s: %s", used ? "; " : "",
             lv_code_get(code)->id, text);
    r->codes[r->n_codes++] = code;
}

static void reject(line_result *r, const verdict *v)
{
    char group[sizeof r->target_group];
    memcpy(group, r->target_group, sizeof group);
    reset_result(r);
    memcpy(r->target_group, group, sizeof group);
    add_code(r, v->code, v->text);
    snprintf(r->field, sizeof r->field, "%s", v->field);
}

static void fill_accepted(const line_facts *f, bool credit, line_result *r)
{
    r->accepted = true;
    r->rate_bp = f->rate_bp;
    r->tariff_cents = f->prestatie->tariff_cents;
    r->quantity = f->quantity;
    r->minutes = is_travel(f->prestatie) ? 0 : (credit ? -f->quantity : f->quantity);
}

static void add_warnings(const line_scope *s, line_result *r)
{
    const decl_line *line = s->line;
    char a[24], b[24], c[11], d[11], e[11];
    if (line->has_declared_amount && line->declared_cents != r->amount_cents) {
        char text[160];
        snprintf(text, sizeof text,
                 "the declared amount EUR %s differs from EUR %s computed from the tariff and "
                 "rate; the computed amount counts",
                 money_format(line->declared_cents, a), money_format(r->amount_cents, b));
        add_code(r, LV_0611_TARIFF_NOT_PER_CONTRACT, text);
    }
    if (s->ctx->received_on == LV_DATE_NONE)
        return;
    size_t n_holidays;
    const lv_date *holidays = refdata_holidays(s->ctx->ref, &n_holidays);
    lv_date deadline = lv_declaration_deadline(line->date_from, s->ctx->deadline_working_days,
                                               holidays, n_holidays);
    if (s->ctx->received_on > deadline) {
        char text[160];
        snprintf(text, sizeof text,
                 "received %s, after the deadline %s of the service month of %s (%d working "
                 "days); counted, but flagged",
                 iso(s->ctx->received_on, c), iso(deadline, d), iso(line->date_from, e),
                 s->ctx->deadline_working_days);
        r->late = true;
        add_code(r, LV_0586_DECLARED_LATE, text);
    }
}

/* ---- the rounds ---- */

static line_scope scope_of(const line_scope *base, size_t i)
{
    line_scope s = *base;
    s.i = i;
    s.line = &base->sub->lines[i];
    return s;
}

bool validate_submission_with(const validate_lookup *lookup, const validate_ctx *ctx,
                              const decl_submission *sub, line_result *results)
{
    size_t n = sub->n_lines;
    if (n == 0)
        return true;
    line_facts *facts = calloc(n, sizeof *facts);
    void *state = facts ? lookup->open(ctx, sub) : NULL;
    if (!state) {
        free(facts);
        return false;
    }
    const line_scope base = {ctx, sub, lookup, state, results, facts, 0, NULL};
    verdict v;
    /* Each line on its own: results[i].accepted says it passed so far. */
    for (size_t i = 0; i < n; i++) {
        line_scope s = scope_of(&base, i);
        reset_result(&results[i]);
        if (judge_alone(&s, &facts[i], &results[i], &v))
            fill_accepted(&facts[i], sub->lines[i].debit_credit == 'C', &results[i]);
        else
            reject(&results[i], &v);
    }
    /* Credits, then debits: a credit takes effect wherever it stands. */
    for (int round = 0; round < 2; round++)
        for (size_t i = 0; i < n; i++) {
            bool credit = sub->lines[i].debit_credit == 'C';
            if (!results[i].accepted || credit != (round == 0))
                continue;
            line_scope s = scope_of(&base, i);
            if (!(credit ? judge_credit(&s, &results[i], &v) : judge_debit(&s, &v)))
                reject(&results[i], &v);
        }
    for (size_t i = 0; i < n; i++)
        if (results[i].accepted) {
            line_scope s = scope_of(&base, i);
            add_warnings(&s, &results[i]);
        }
    lookup->close(state);
    free(facts);
    return true;
}

bool validate_submission(const validate_ctx *ctx, const decl_submission *sub, line_result *results)
{
    return validate_submission_with(&line_index_lookup, ctx, sub, results);
}
