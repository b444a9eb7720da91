/*
 * check_validate.c: Check suite for lib/validate.c. A small hand-built reference set (the
 * six C&A target groups and LBS with their dates from doc/domain.md, plus a test group TST
 * whose C&A ends, a few prestaties for 2025 and 2026, two providers with designations and
 * rates, the AW319 time units and the Dutch holidays of 2026) and two tables:
 *  - rule_cases: one line per rule, with the code and field it must produce;
 *  - scenarios: several lines (and stored prior lines) judged together, for duplicates
 *    and credits inside one submission and against earlier ones.
 * Every table row runs through both validate_submission() (line_index.h's sorted index)
 * and validate_submission_oracle() (validate_oracle.c's scans). Then large submissions (50,000
 * lines with known defects at known places, and the worst cases for the indexes) on the fast path,
 * and random submissions from a fixed seed on which both paths must agree line by line.
 * Each row starts from BASE (an accepted line of 210 minutes of CAKOR in October 2026 by
 * provider 41000001) and overrides what the case is about. Amounts are worked out by hand
 * in the comments: time = minutes * tariff * rate / 600000, travel = units * tariff *
 * rate / 10000, rounded once half away from zero.
 *
 * Base amount: 210 * 12000 * 9550 = 24,066,000,000 / 600,000 = 40,110 exactly.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "line_index.h"
#include "unit_runner.h"
#include "validate.h"
#include "validate_oracle.h"

/* Rows override BASE's fields with later designators, on purpose. */
#pragma GCC diagnostic ignored "-Woverride-init"

#define MAX_LINES 4
#define MAX_PRIOR 3

typedef struct {
    const char *name;
    decl_source source;
    const char *agb; /* the submission's provider (taken from the first line) */
    const char *line_ref, *bsn, *prestatie, *from, *to;
    int64_t quantity;
    const char *unit; /* AW319 time unit; NULL: none */
    int64_t quantity_declared;
    int64_t travel_cents;
    char dc;
    const char *corrects;
    int parse_code;
    const char *parse_field;
    const char *parse_value;
    bool has_declared;
    int64_t declared;
    const char *received; /* rule_cases only; NULL: 2026-11-10 */
    int64_t max_travel;   /* rule_cases only; 0: 100000 (the default), -1: no maximum */
    /* expected */
    lv_code want[3]; /* codes in order; LV_OK ends the list */
    const char *want_field;
    int64_t want_amount, want_minutes, want_quantity, want_travel; /* accepted lines */
    int32_t want_rate;
    int64_t want_tariff;
    const char *want_group;
    long want_corrects;
    bool want_late;
    const char *want_reason; /* a part the reason must hold (codes led by their ids) */
} line_case;

#define BASE                                                                                       \
    .source = DECL_SOURCE_JSON, .agb = "41000001", .line_ref = "L1", .bsn = "123456782",           \
    .prestatie = "CAKOR", .from = "2026-10-01", .to = "2026-10-31", .quantity = 210, .dc = 'D',    \
    .want_field = "", .want_amount = 40110, .want_minutes = 210, .want_quantity = 210,             \
    .want_rate = 9550, .want_tariff = 12000, .want_group = "KOR", .want_corrects = -1

/* A credit of BASE: same service, amount exactly minus. */
#define CREDIT(ref) .dc = 'C', .corrects = (ref), .want_amount = -40110, .want_minutes = -210

/* ---------------------------------------------------------------- reference data ---- */

static refdata *ref;

static lv_date day(const char *iso)
{
    lv_date d = LV_DATE_NONE;
    /* no ck_assert on success: the large cases call this 100,000 times (see REQUIRE) */
    if (iso && *iso && !lv_date_parse_iso(iso, &d))
        ck_abort_msg("bad test date %s", iso);
    return d;
}

static void add_group(const char *code, int order, const char *from, const char *to)
{
    ref_target_group g = {.ca_from = day(from), .ca_to = day(to), .order = order};
    snprintf(g.code, sizeof g.code, "%s", code);
    /* as in reference/target_groups.csv: some names carry a short form in parentheses */
    if (strcmp(code, "NAHP") == 0)
        snprintf(g.name, sizeof g.name, "Niet-aangeboren hersenletsel (NAH+)");
    else if (strcmp(code, "MSP") == 0)
        snprintf(g.name, sizeof g.name, "Multiple sclerose (MS+)");
    else
        snprintf(g.name, sizeof g.name, "%s", code);
    ck_assert(refdata_add_target_group(ref, &g));
}

static void add_prestatie(int year, const char *code, const char *group, prestatie_kind kind,
                          prestatie_unit unit, int64_t tariff, bool rate_applies)
{
    ref_prestatie p = {.year = year,
                       .kind = kind,
                       .unit = unit,
                       .tariff_cents = tariff,
                       .rate_applies = rate_applies};
    snprintf(p.code, sizeof p.code, "%s", code);
    snprintf(p.target_group, sizeof p.target_group, "%s", group);
    ck_assert(refdata_add_prestatie(ref, &p));
}

static void add_designation(const char *agb, const char *group, const char *from, const char *to)
{
    ref_designation d = {.kind = CENTRE_REC, .valid_from = day(from), .valid_to = day(to)};
    snprintf(d.agb, sizeof d.agb, "%s", agb);
    snprintf(d.target_group, sizeof d.target_group, "%s", group);
    ck_assert(refdata_add_designation(ref, &d));
}

static void add_groups(void)
{
    add_group("KOR", 0, "2025-01-01", NULL);
    add_group("HUN", 1, "2025-01-01", NULL);
    add_group("GPP", 2, "2025-01-01", NULL);
    add_group("DZEP", 3, "2025-01-01", NULL);
    add_group("NAHP", 4, "2026-01-01", NULL);
    add_group("MSP", 5, "2026-01-01", NULL);
    add_group("LBS", 6, NULL, NULL);                 /* no C&A at all */
    add_group("TST", 7, "2025-01-01", "2025-06-30"); /* test only: C&A that ends */
}

static void add_prestaties(void)
{
    const prestatie_kind T = PRESTATIE_TIME, R = PRESTATIE_TRAVEL;
    const prestatie_unit H = PRESTATIE_UNIT_HOUR;
    add_prestatie(2025, "CAKOR", "KOR", T, H, 11500, true);
    add_prestatie(2025, "CAHUN", "HUN", T, H, 11000, true); /* 2025 only: 0581 in 2026 */
    add_prestatie(2025, "CAGPP", "GPP", T, H, 11000, true);
    add_prestatie(2025, "CANAH", "NAHP", T, H, 12000, true);
    add_prestatie(2025, "CALBS", "LBS", T, H, 12000, true);
    add_prestatie(2025, "CATST", "TST", T, H, 12000, true);
    add_prestatie(2025, "CAREI", "KOR", R, PRESTATIE_UNIT_TRIP, 2500, true);
    add_prestatie(2026, "CAKOR", "KOR", T, H, 12000, true);
    add_prestatie(2026, "CAGPP", "GPP", T, H, 12000, true);
    add_prestatie(2026, "CANAH", "NAHP", T, H, 12000, true);
    add_prestatie(2026, "CAMSP", "MSP", T, H, 12000, true);
    add_prestatie(2026, "CALBS", "LBS", T, H, 12000, true);
    add_prestatie(2026, "CAREI", "KOR", R, PRESTATIE_UNIT_TRIP, 2500, true);
    add_prestatie(2026, "CAKM", "KOR", R, PRESTATIE_UNIT_KM, 23, false);
    add_prestatie(2026, "CADZP", "DZEP", T, H, 12000, true);
    /* codes on one year's list only, for the reasons a line of another year gets */
    add_prestatie(2026, "CANH2", "NAHP", T, H, 12000, true); /* 2025: not yet (9102) */
    add_prestatie(2027, "CANH7", "NAHP", T, H, 12000, true); /* two years later */
    add_prestatie(2026, "CALB2", "LBS", T, H, 12000, true);  /* other year: 9101 */
    add_prestatie(2026, "CAZZZ", "ZZZ", T, H, 12000, true);  /* group not listed: 9101 */
    add_prestatie(2026, "CAMIX", "NAHP", T, H, 12000, true); /* 2025: both 9102 ... */
    add_prestatie(2027, "CAMIX", "LBS", T, H, 12000, true);  /* ... and 9101: 9101 wins */
    add_prestatie(2036, "CAFAR", "LBS", T, H, 12000, true);  /* 10 years from 2026, 11 from 2025 */
}

static void add_providers(void)
{
    ref_provider a = {"41000001", "Expertisecentrum A", "5501"};
    ref_provider b = {"41000002", "Expertisecentrum B", "5502"};
    ref_provider c = {"41000003", "Expertisecentrum C", "5503"};
    ck_assert(refdata_add_provider(ref, &a) && refdata_add_provider(ref, &b) &&
              refdata_add_provider(ref, &c));
    add_designation("41000001", "KOR", "2025-01-01", NULL);
    add_designation("41000001", "NAHP", "2026-01-01", NULL);
    add_designation("41000001", "TST", "2025-01-01", NULL);
    add_designation("41000001", "LBS", "2025-01-01", NULL); /* still no C&A: 9101 */
    add_designation("41000002", "HUN", "2025-01-01", NULL);
    add_designation("41000002", "GPP", "2025-01-01", NULL);
    add_designation("41000002", "KOR", "2025-01-01", "2025-12-31");
    /* two designations that join up: a line lies within one of them (8022) */
    add_designation("41000003", "DZEP", "2026-01-01", "2026-10-15");
    add_designation("41000003", "DZEP", "2026-10-16", NULL);
    const ref_rate rates[] = {{"41000001", 2025, 9800},
                              {"41000001", 2026, 9550},
                              {"41000002", 2025, 10000}, /* B has no 2026 rate: 9105 */
                              {"41000003", 2026, 9550}};
    for (int i = 0; i < N_CASES(rates); i++)
        ck_assert(refdata_add_rate(ref, &rates[i]));
}

static void add_units_and_holidays(void)
{
    const ref_time_unit minute = {"01", 1}, hour = {"02", 60};
    ck_assert(refdata_add_time_unit(ref, &minute) && refdata_add_time_unit(ref, &hour));
    /* added out of order on purpose: refdata_seal() sorts them */
    const char *const holidays[] = {"2026-05-25", "2026-04-06", "2026-05-14", "2026-04-27",
                                    "2026-12-25", "2026-12-26", "2026-01-01"};
    for (int i = 0; i < N_CASES(holidays); i++)
        ck_assert(refdata_add_holiday(ref, day(holidays[i])));
}

static void setup(void)
{
    ref = refdata_new();
    ck_assert_ptr_nonnull(ref);
    add_groups();
    add_prestaties();
    add_providers();
    add_units_and_holidays();
    refdata_seal(ref);
}

static void teardown(void)
{
    refdata_free(ref);
}

/* ----------------------------------------------------------------------- running ---- */

typedef struct {
    const char *line_ref;
    char dc;
    bool accepted, credited;
    const char *bsn, *prestatie, *from, *to;
    int64_t quantity, amount;
    int64_t travel; /* prior_line.travel_cents */
} prior_case;

#define PRIOR_BASE                                                                                 \
    .line_ref = "P1", .dc = 'D', .accepted = true, .bsn = "123456782", .prestatie = "CAKOR",       \
    .from = "2026-10-01", .to = "2026-10-31", .quantity = 210, .amount = 40110

/* Stands in for the daemon's keyed hash: the same BSN gives the same text. */
static void fake_hash(const char *bsn, char out[CLIENT_HASH_HEX_LEN + 1])
{
    snprintf(out, CLIENT_HASH_HEX_LEN + 1, "%s%s", bsn && *bsn ? "hash-of-" : "", bsn ? bsn : "");
}

static void copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

static void fill_line(decl_line *l, const line_case *c)
{
    copy(l->line_ref, sizeof l->line_ref, c->line_ref);
    copy(l->client_bsn, sizeof l->client_bsn, c->bsn);
    copy(l->prestatie, sizeof l->prestatie, c->prestatie);
    copy(l->time_unit, sizeof l->time_unit, c->unit);
    copy(l->corrects_ref, sizeof l->corrects_ref, c->corrects);
    copy(l->parse_field, sizeof l->parse_field, c->parse_field);
    copy(l->parse_value, sizeof l->parse_value, c->parse_value);
    l->date_from = day(c->from);
    l->date_to = day(c->to);
    l->quantity = c->unit ? 0 : c->quantity; /* AW319: the parser leaves the mapping to us */
    l->quantity_declared = c->quantity_declared;
    l->travel_cents = c->travel_cents;
    l->debit_credit = c->dc;
    l->parse_code = c->parse_code;
    l->has_declared_amount = c->has_declared;
    l->declared_cents = c->declared;
}

static void fill_prior(prior_line *p, const prior_case *c)
{
    memset(p, 0, sizeof *p);
    copy(p->line_ref, sizeof p->line_ref, c->line_ref);
    copy(p->prestatie, sizeof p->prestatie, c->prestatie);
    fake_hash(c->bsn, p->client_hash);
    p->debit_credit = c->dc;
    p->accepted = c->accepted;
    p->credited = c->credited;
    p->date_from = day(c->from);
    p->date_to = day(c->to);
    p->quantity = c->quantity;
    p->amount_cents = c->amount;
    p->travel_cents = c->travel;
}

static bool wants_acceptance(const line_case *c)
{
    return c->want[0] == LV_OK || lv_code_get(c->want[0])->severity == LV_SEV_WARNING;
}

static void expect_codes(const line_result *r, const line_case *c, const char *where)
{
    size_t n = 0;
    while (n < 3 && c->want[n] != LV_OK)
        n++;
    ck_assert_msg(r->n_codes == n, "%s: %zu codes (first %s), want %zu", where, r->n_codes,
                  r->n_codes ? lv_code_get(r->codes[0])->id : "-", n);
    for (size_t k = 0; k < n; k++)
        ck_assert_msg(r->codes[k] == c->want[k], "%s: code %zu is %s, want %s", where, k,
                      lv_code_get(r->codes[k])->id, lv_code_get(c->want[k])->id);
}

static void expect_numbers(const line_result *r, const line_case *c, const char *where)
{
    bool ok = wants_acceptance(c);
    ck_assert_msg(r->amount_cents == (ok ? c->want_amount : 0), "%s: amount %lld", where,
                  (long long)r->amount_cents);
    ck_assert_msg(r->minutes == (ok ? c->want_minutes : 0), "%s: minutes %lld", where,
                  (long long)r->minutes);
    ck_assert_msg(r->quantity == (ok ? c->want_quantity : 0), "%s: quantity %lld", where,
                  (long long)r->quantity);
    ck_assert_msg(r->travel_cents == (ok ? c->want_travel : 0), "%s: travel %lld", where,
                  (long long)r->travel_cents);
    ck_assert_msg(r->rate_bp == (ok ? c->want_rate : 0), "%s: rate %d", where, r->rate_bp);
    ck_assert_msg(r->tariff_cents == (ok ? c->want_tariff : 0), "%s: tariff", where);
    ck_assert_msg(r->corrects_index == (ok ? c->want_corrects : -1), "%s: corrects_index %ld",
                  where, r->corrects_index);
    if (ok)
        ck_assert_msg(strcmp(r->target_group, c->want_group) == 0, "%s: group %s", where,
                      r->target_group);
}

/* The reason: one "<id>: text" per code, the given part, and never the line's BSN. */
static void expect_reason(const line_result *r, const line_case *c, const char *where)
{
    if (r->n_codes == 0) {
        ck_assert_msg(r->reason[0] == '\0', "%s: reason \"%s\" without codes", where, r->reason);
        return;
    }
    const char *id = lv_code_get(r->codes[0])->id;
    ck_assert_msg(strncmp(r->reason, id, strlen(id)) == 0 && r->reason[strlen(id)] == ':',
                  "%s: reason \"%s\" does not start with %s", where, r->reason, id);
    ck_assert_msg(strlen(r->reason) > strlen(id) + 12, "%s: reason \"%s\" says nothing", where,
                  r->reason);
    if (c->want_reason)
        ck_assert_msg(strstr(r->reason, c->want_reason) != NULL, "%s: reason \"%s\" lacks \"%s\"",
                      where, r->reason, c->want_reason);
    if (c->bsn && strlen(c->bsn) >= 5)
        ck_assert_msg(strstr(r->reason, c->bsn) == NULL, "%s: reason \"%s\" shows the BSN", where,
                      r->reason);
}

static void expect(const line_result *r, const line_case *c, const char *where)
{
    ck_assert_msg(r->accepted == wants_acceptance(c), "%s: accepted=%d", where, r->accepted);
    expect_codes(r, c, where);
    ck_assert_msg(strcmp(r->field, wants_acceptance(c) ? "" : c->want_field) == 0,
                  "%s: field \"%s\", want \"%s\"", where, r->field, c->want_field);
    ck_assert_msg(r->late == c->want_late, "%s: late=%d", where, r->late);
    expect_numbers(r, c, where);
    expect_reason(r, c, where);
}

static validate_ctx make_ctx(const char *received, int64_t max_travel)
{
    validate_ctx ctx = {.ref = ref,
                        .received_on = day(received ? received : "2026-11-10"),
                        .deadline_working_days = 17,
                        .max_minutes_per_line = 6000,
                        .max_units_per_line = 1000,
                        .max_travel_cents_per_line = max_travel ? max_travel : 100000};
    return ctx;
}

static void run(const char *name, const line_case *lines, size_t n, const prior_case *priors,
                size_t n_prior, const char *received)
{
    decl_submission *sub = decl_submission_new(lines[0].source);
    ck_assert_ptr_nonnull(sub);
    copy(sub->provider_agb, sizeof sub->provider_agb, lines[0].agb);
    char hashes[MAX_LINES][CLIENT_HASH_HEX_LEN + 1];
    for (size_t i = 0; i < n; i++) {
        fill_line(decl_submission_add_line(sub), &lines[i]);
        fake_hash(lines[i].bsn, hashes[i]);
    }
    prior_line prior[MAX_PRIOR];
    for (size_t k = 0; k < n_prior; k++)
        fill_prior(&prior[k], &priors[k]);
    validate_ctx ctx = make_ctx(received, lines[0].max_travel);
    ctx.prior = prior;
    ctx.n_prior = n_prior;
    ctx.client_hashes = (const char(*)[CLIENT_HASH_HEX_LEN + 1]) hashes;
    /* the sorted indexes and the scans must both give the table's results */
    bool (*const paths[])(const validate_ctx *, const decl_submission *,
                          line_result *) = {validate_submission, validate_submission_oracle};
    const char *const path_names[] = {"fast", "oracle"};
    for (int p = 0; p < N_CASES(paths); p++) {
        line_result results[MAX_LINES];
        ck_assert(paths[p](&ctx, sub, results));
        for (size_t i = 0; i < n; i++) {
            char where[160];
            snprintf(where, sizeof where, "%s, line %zu (%s)", name, i + 1, path_names[p]);
            expect(&results[i], &lines[i], where);
        }
    }
    decl_submission_free(sub);
}

/* ------------------------------------------------------------------ one rule each ---- */

static const line_case rule_cases[] = {
    {.name = "base line is accepted", BASE},
    /* parse defect: the parser's code and field win over everything after */
    {.name = "parse defect",
     BASE,
     .parse_code = LV_9108_FIELD_INVALID,
     .parse_field = "minutes",
     .want = {LV_9108_FIELD_INVALID},
     .want_field = "minutes"},
    {.name = "parse defect first",
     BASE,
     .parse_code = LV_9204_NUMBER_INVALID,
     .dc = 0,
     .bsn = "",
     .parse_field = "quantity",
     .want = {LV_9204_NUMBER_INVALID},
     .want_field = "quantity"},
    {.name = "parse code out of range",
     BASE,
     .parse_code = 9999,
     .parse_field = "x",
     .want = {LV_9108_FIELD_INVALID},
     .want_field = "x"},
    /* debit/credit, line reference, BSN */
    {.name = "D/C missing",
     BASE,
     .dc = 0,
     .want = {LV_0631_DEBIT_CREDIT_MISSING},
     .want_field = "debit_credit"},
    {.name = "D/C not D or C",
     BASE,
     .dc = 'X',
     .want = {LV_0631_DEBIT_CREDIT_MISSING},
     .want_field = "debit_credit"},
    {.name = "line_ref empty",
     BASE,
     .line_ref = "",
     .want = {LV_9107_FIELD_MISSING},
     .want_field = "line_ref"},
    {.name = "BSN missing",
     BASE,
     .bsn = "",
     .want = {LV_0435_BSN_INVALID},
     .want_field = "client_bsn"},
    {.name = "BSN fails 11-test",
     BASE,
     .bsn = "123456789",
     .want = {LV_0435_BSN_INVALID},
     .want_field = "client_bsn",
     .want_reason = "0435: client_bsn ********* fails the 11-test"},
    {.name = "parse defect of a BSN shows it masked",
     BASE,
     .bsn = "",
     .parse_code = LV_0435_BSN_INVALID,
     .parse_field = "client_bsn",
     .parse_value = "********",
     .want = {LV_0435_BSN_INVALID},
     .want_field = "client_bsn",
     .want_reason = "client_bsn ******** is not a BSN of 9 digits"},
    {.name = "parse defect names the value",
     BASE,
     .parse_code = LV_8007_SERVICE_DATE_INVALID,
     .parse_field = "date_from",
     .parse_value = "2026-13-01",
     .want = {LV_8007_SERVICE_DATE_INVALID},
     .want_field = "date_from",
     .want_reason = "8007: date_from '2026-13-01' is not a calendar date"},
    {.name = "negative quantity from the parser",
     BASE,
     .parse_code = LV_0638_QUANTITY_INVALID,
     .parse_field = "minutes",
     .parse_value = "-30",
     .want = {LV_0638_QUANTITY_INVALID},
     .want_field = "minutes",
     .want_reason = "minutes '-30' is not a whole number above 0"},
    {.name = "prestatie too long from the parser",
     BASE,
     .parse_code = LV_0582_PRESTATIE_UNKNOWN,
     .parse_field = "prestatie",
     .parse_value = "CAKORX",
     .want = {LV_0582_PRESTATIE_UNKNOWN},
     .want_field = "prestatie",
     .want_reason = "prestatie 'CAKORX' is on no C&A prestatie list"},
    /* dates */
    {.name = "date_from missing",
     BASE,
     .from = "",
     .want = {LV_8007_SERVICE_DATE_INVALID},
     .want_field = "date_from"},
    {.name = "date_to missing",
     BASE,
     .to = "",
     .want = {LV_8007_SERVICE_DATE_INVALID},
     .want_field = "date_to"},
    {.name = "date_to before date_from",
     BASE,
     .from = "2026-10-15",
     .to = "2026-10-14",
     .want = {LV_8007_SERVICE_DATE_INVALID},
     .want_field = "date_to"},
    {.name = "two months",
     BASE,
     .from = "2026-10-15",
     .to = "2026-11-14",
     .received = "2026-11-20",
     .want = {LV_9104_DATES_SPAN_MONTHS},
     .want_field = "date_to"},
    {.name = "two years",
     BASE,
     .from = "2025-12-31",
     .to = "2026-01-01",
     .want = {LV_9104_DATES_SPAN_MONTHS},
     .want_field = "date_to"},
    {.name = "starts after arrival",
     BASE,
     .from = "2026-11-11",
     .to = "2026-11-30",
     .want = {LV_8007_SERVICE_DATE_INVALID},
     .want_field = "date_from"},
    {.name = "ends after arrival",
     BASE,
     .from = "2026-11-01",
     .to = "2026-11-30",
     .want = {LV_8007_SERVICE_DATE_INVALID},
     .want_field = "date_to",
     .want_reason = "the period 2026-11-01..2026-11-30 ends after the submission arrived "
                    "(2026-11-10)"},
    {.name = "ends on the day of arrival",
     BASE,
     .from = "2026-11-01",
     .to = "2026-11-10",
     .received = "2026-11-10"},
    {.name = "starts on the day of arrival", BASE, .from = "2026-11-10", .to = "2026-11-10"},
    /* prestatie */
    {.name = "prestatie empty",
     BASE,
     .prestatie = "",
     .want = {LV_9107_FIELD_MISSING},
     .want_field = "prestatie"},
    {.name = "prestatie of another year",
     BASE,
     .prestatie = "CAHUN",
     .want = {LV_0581_PRESTATIE_LIST_UNKNOWN},
     .want_field = "prestatie",
     .want_reason = "0581: prestatie CAHUN is not on the C&A list of 2026 (the service year); it "
                    "is on the list of 2025"},
    {.name = "prestatie unknown",
     BASE,
     .prestatie = "XXXXX",
     .want = {LV_0582_PRESTATIE_UNKNOWN},
     .want_field = "prestatie",
     .want_reason = "0582: prestatie XXXXX is on no C&A prestatie list of any year"},
    /* target group */
    {.name = "LBS has no C&A",
     BASE,
     .prestatie = "CALBS",
     .want = {LV_9101_GROUP_NO_CA},
     .want_field = "prestatie",
     .want_reason = "9101: prestatie CALBS is LBS, which has no C&A"},
    {.name = "NAH+ before 2026",
     BASE,
     .prestatie = "CANAH",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .want = {LV_9102_GROUP_NOT_YET_DECLARABLE},
     .want_field = "date_from",
     .want_reason = "9102: prestatie CANAH is NAH+, which has C&A only from 2026-01-01 (service "
                    "date 2025-12-01)"},
    /* a code on another year's list only: what that entry's group says */
    {.name = "MS+ in 2025, code on the 2026 list",
     BASE,
     .prestatie = "CAMSP",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .want = {LV_9102_GROUP_NOT_YET_DECLARABLE},
     .want_field = "date_from"},
    {.name = "NAH+ in 2025, code on the 2026 list",
     BASE,
     .prestatie = "CANH2",
     .from = "2025-11-01",
     .to = "2025-11-30",
     .want = {LV_9102_GROUP_NOT_YET_DECLARABLE},
     .want_field = "date_from"},
    {.name = "NAH+ in 2025, code on the 2027 list",
     BASE,
     .prestatie = "CANH7",
     .from = "2025-11-01",
     .to = "2025-11-30",
     .want = {LV_9102_GROUP_NOT_YET_DECLARABLE},
     .want_field = "date_from"},
    {.name = "NAH+ in 2026, code on the 2027 list",
     BASE,
     .prestatie = "CANH7",
     .want = {LV_0581_PRESTATIE_LIST_UNKNOWN},
     .want_field = "prestatie"},
    {.name = "KOR in 2025, code on the 2026 list",
     BASE,
     .prestatie = "CAKM",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .want = {LV_0581_PRESTATIE_LIST_UNKNOWN},
     .want_field = "prestatie"},
    {.name = "LBS in 2025, code on the 2026 list",
     BASE,
     .prestatie = "CALB2",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .want = {LV_9101_GROUP_NO_CA},
     .want_field = "prestatie"},
    {.name = "LBS in 2024, code on the 2025 and 2026 lists",
     BASE,
     .prestatie = "CALBS",
     .from = "2024-10-01",
     .to = "2024-10-31",
     .want = {LV_9101_GROUP_NO_CA},
     .want_field = "prestatie"},
    {.name = "unlisted group in another year",
     BASE,
     .prestatie = "CAZZZ",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .want = {LV_9101_GROUP_NO_CA},
     .want_field = "prestatie"},
    {.name = "no C&A wins over not yet",
     BASE,
     .prestatie = "CAMIX",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .want = {LV_9101_GROUP_NO_CA},
     .want_field = "prestatie"},
    {.name = "other year ten years away",
     BASE,
     .prestatie = "CAFAR",
     .want = {LV_9101_GROUP_NO_CA},
     .want_field = "prestatie"},
    {.name = "other year eleven years away is out of reach",
     BASE,
     .prestatie = "CAFAR",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .want = {LV_0581_PRESTATIE_LIST_UNKNOWN},
     .want_field = "prestatie"},
    {.name = "NAH+ from 2026",
     BASE,
     .prestatie = "CANAH",
     .from = "2026-01-01",
     .to = "2026-01-31",
     .received = "2026-02-10",
     .want_group = "NAHP"},
    {.name = "group after its C&A ends",
     BASE,
     .prestatie = "CATST",
     .from = "2025-07-01",
     .to = "2025-07-31",
     .want = {LV_9102_GROUP_NOT_YET_DECLARABLE},
     .want_field = "date_to"},
    /* 2025: 210 * 12000 * 9800 = 24,696,000,000 / 600,000 = 41,160 */
    {.name = "group on its last C&A day",
     BASE,
     .prestatie = "CATST",
     .from = "2025-06-01",
     .to = "2025-06-30",
     .received = "2025-07-01",
     .want_amount = 41160,
     .want_rate = 9800,
     .want_group = "TST"},
    {.name = "MS+ without designation",
     BASE,
     .prestatie = "CAMSP",
     .want = {LV_8022_NO_DESIGNATION},
     .want_field = "provider_agb",
     .want_reason = "8022: provider 41000001 has no REC/DEC designation for MS+ on 2026-10-01"},
    /* C: DZEP designated 2026-01-01..2026-10-15, then again from 2026-10-16 */
    {.name = "designation ends inside the period",
     BASE,
     .agb = "41000003",
     .prestatie = "CADZP",
     .want = {LV_8022_NO_DESIGNATION},
     .want_field = "date_to",
     .want_group = "DZEP",
     .want_reason = "8022: the designation of provider 41000003 for DZEP ends on 2026-10-15, "
                    "within the period 2026-10-01..2026-10-31"},
    {.name = "period inside the first designation",
     BASE,
     .agb = "41000003",
     .prestatie = "CADZP",
     .to = "2026-10-15",
     .want_group = "DZEP"},
    {.name = "period inside the second designation",
     BASE,
     .agb = "41000003",
     .prestatie = "CADZP",
     .from = "2026-10-16",
     .want_group = "DZEP"},
    /* provider */
    {.name = "provider unknown",
     BASE,
     .agb = "41000099",
     .want = {LV_9109_PROVIDER_UNKNOWN},
     .want_field = "provider_agb"},
    {.name = "designation ended",
     BASE,
     .agb = "41000002",
     .want = {LV_8022_NO_DESIGNATION},
     .want_field = "provider_agb"},
    /* 2025, rate 100 %: 210 * 11500 * 10000 = 24,150,000,000 / 600,000 = 40,250 */
    {.name = "designation in force",
     BASE,
     .agb = "41000002",
     .from = "2025-12-01",
     .to = "2025-12-31",
     .received = "2026-01-05",
     .want_amount = 40250,
     .want_rate = 10000,
     .want_tariff = 11500},
    {.name = "no rate for the year",
     BASE,
     .agb = "41000002",
     .prestatie = "CAGPP",
     .want = {LV_9105_NO_RATE_FOR_YEAR},
     .want_field = "provider_agb"},
    /* quantity */
    {.name = "zero minutes",
     BASE,
     .quantity = 0,
     .want = {LV_0638_QUANTITY_INVALID},
     .want_field = "minutes",
     .want_reason = "0638: minutes 0 (minutes) is not above 0"},
    {.name = "negative minutes",
     BASE,
     .quantity = -5,
     .want = {LV_0638_QUANTITY_INVALID},
     .want_field = "minutes"},
    {.name = "minutes over max",
     BASE,
     .quantity = 6001,
     .want = {LV_0584_QUANTITY_OVER_MAX},
     .want_field = "minutes",
     .want_reason = "0584: minutes 6001 minutes is above the maximum of 6000 minutes"},
    /* 6000 * 12000 * 9550 = 687,600,000,000 / 600,000 = 1,146,000 */
    {.name = "minutes at max",
     BASE,
     .quantity = 6000,
     .want_amount = 1146000,
     .want_minutes = 6000,
     .want_quantity = 6000},
    {.name = "AW319 unit unknown",
     BASE,
     .source = DECL_SOURCE_AW319,
     .unit = "03",
     .quantity_declared = 210,
     .want = {LV_9103_TIME_UNIT_UNKNOWN},
     .want_field = "time_unit"},
    /* 3 hours = 180 min: 180 * 12000 * 9550 = 20,628,000,000 / 600,000 = 34,380 */
    {.name = "AW319 hours",
     BASE,
     .source = DECL_SOURCE_AW319,
     .unit = "02",
     .quantity_declared = 3,
     .want_amount = 34380,
     .want_minutes = 180,
     .want_quantity = 180},
    {.name = "AW319 minutes",
     BASE,
     .source = DECL_SOURCE_AW319,
     .unit = "01",
     .quantity_declared = 210},
    {.name = "AW319 hours over max",
     BASE,
     .source = DECL_SOURCE_AW319,
     .unit = "02",
     .quantity_declared = 101,
     .want = {LV_0584_QUANTITY_OVER_MAX},
     .want_field = "quantity"},
    {.name = "AW319 zero",
     BASE,
     .source = DECL_SOURCE_AW319,
     .unit = "02",
     .quantity_declared = 0,
     .want = {LV_0638_QUANTITY_INVALID},
     .want_field = "quantity"},
    {.name = "AW319 unit overflow",
     BASE,
     .source = DECL_SOURCE_AW319,
     .unit = "02",
     .quantity_declared = INT64_MAX / 2,
     .want = {LV_0584_QUANTITY_OVER_MAX},
     .want_field = "quantity"},
    /* travel: 3 * 2500 * 9550 = 71,625,000 / 10,000 = 7,162.5 -> 7,163 */
    {.name = "travel trips",
     BASE,
     .prestatie = "CAREI",
     .quantity = 3,
     .want_amount = 7163,
     .want_minutes = 0,
     .want_quantity = 3,
     .want_travel = 7163,
     .want_tariff = 2500},
    /* 1000 * 2500 * 9550 = 23,875,000,000 / 10,000 = 2,387,500 */
    {.name = "travel units at max",
     BASE,
     .prestatie = "CAREI",
     .quantity = 1000,
     .want_amount = 2387500,
     .want_minutes = 0,
     .want_quantity = 1000,
     .want_travel = 2387500,
     .want_tariff = 2500},
    {.name = "travel units over max",
     BASE,
     .prestatie = "CAREI",
     .quantity = 1001,
     .want = {LV_0584_QUANTITY_OVER_MAX},
     .want_field = "minutes"},
    {.name = "travel zero units",
     BASE,
     .prestatie = "CAREI",
     .quantity = 0,
     .want = {LV_0638_QUANTITY_INVALID},
     .want_field = "minutes"},
    {.name = "travel prestatie with amount",
     BASE,
     .prestatie = "CAREI",
     .quantity = 3,
     .travel_cents = 100,
     .want = {LV_9112_TRAVEL_INVALID},
     .want_field = "travel_cents",
     .want_reason = "9112: travel_cents 100 on travel prestatie CAREI"},
    {.name = "negative travel amount",
     BASE,
     .travel_cents = -1,
     .want = {LV_0638_QUANTITY_INVALID},
     .want_field = "travel_cents",
     .want_reason = "0638: travel_cents -1 is negative"},
    /* 40,110 + 100,000 travel */
    {.name = "travel amount at the maximum",
     BASE,
     .travel_cents = 100000,
     .want_amount = 140110,
     .want_travel = 100000},
    {.name = "travel amount over the maximum",
     BASE,
     .travel_cents = 100001,
     .want = {LV_0584_QUANTITY_OVER_MAX},
     .want_field = "travel_cents",
     .want_reason = "0584: travel_cents 100001 (EUR 1000.01) is above the maximum of EUR 1000.00 "
                    "for one line"},
    {.name = "travel maximum from the settings",
     BASE,
     .max_travel = 5000,
     .travel_cents = 5001,
     .want = {LV_0584_QUANTITY_OVER_MAX},
     .want_field = "travel_cents"},
    /* 24,066,000,000 + 1250 * 600,000 = 24,816,000,000 / 600,000 = 41,360 */
    {.name = "time line with travel amount",
     BASE,
     .travel_cents = 1250,
     .want_amount = 41360,
     .want_travel = 1250},
    /* km without rate: 37 * 23 * 10000 / 10000 = 851 */
    {.name = "travel km without rate",
     BASE,
     .prestatie = "CAKM",
     .quantity = 37,
     .want_amount = 851,
     .want_minutes = 0,
     .want_quantity = 37,
     .want_travel = 851,
     .want_tariff = 23},
    {.name = "AW319 travel ignores the time unit",
     BASE,
     .source = DECL_SOURCE_AW319,
     .prestatie = "CAREI",
     .unit = "01",
     .quantity_declared = 3,
     .want_amount = 7163,
     .want_minutes = 0,
     .want_quantity = 3,
     .want_travel = 7163,
     .want_tariff = 2500},
    {.name = "AW319 travel with unknown unit",
     BASE,
     .source = DECL_SOURCE_AW319,
     .prestatie = "CAREI",
     .unit = "99",
     .quantity_declared = 3,
     .want = {LV_9103_TIME_UNIT_UNKNOWN},
     .want_field = "time_unit"},
    /* price: 10^14 * 600,000 overflows int64 */
    {.name = "amount overflow",
     BASE,
     .max_travel = -1,
     .travel_cents = 100000000000000LL,
     .want = {LV_9106_AMOUNT_OVERFLOW},
     .want_field = ""},
    /* warnings */
    {.name = "declared amount equal", BASE, .has_declared = true, .declared = 40110},
    {.name = "declared amount differs",
     BASE,
     .has_declared = true,
     .declared = 40000,
     .want = {LV_0611_TARIFF_NOT_PER_CONTRACT}},
    /* deadline of 2026-10 with 17 working days: 2026-11-24 (see check_calendar.c) */
    {.name = "received on the deadline", BASE, .received = "2026-11-24"},
    {.name = "received a day late",
     BASE,
     .received = "2026-11-25",
     .want = {LV_0586_DECLARED_LATE},
     .want_late = true,
     .want_reason = "0586: received 2026-11-25, after the deadline 2026-11-24"},
    {.name = "both warnings in order",
     BASE,
     .has_declared = true,
     .declared = 40000,
     .received = "2026-11-25",
     .want = {LV_0611_TARIFF_NOT_PER_CONTRACT, LV_0586_DECLARED_LATE},
     .want_late = true,
     .want_reason = "0611: the declared amount EUR 400.00 differs from EUR 401.10 computed from "
                    "the tariff and rate; the computed amount counts; 0586: received 2026-11-25"},
    /* deadline of 2026-04: 2026-05-27 with Ascension and Whit Monday (2026-05-25 without) */
    {.name = "April: holidays move the deadline",
     BASE,
     .from = "2026-04-01",
     .to = "2026-04-30",
     .received = "2026-05-27"},
    {.name = "April: a day after",
     BASE,
     .from = "2026-04-01",
     .to = "2026-04-30",
     .received = "2026-05-28",
     .want = {LV_0586_DECLARED_LATE},
     .want_late = true},
    /* credits and corrections on their own */
    {.name = "credit without corrects_ref",
     BASE,
     .dc = 'C',
     .want = {LV_8017_CREDIT_WITHOUT_DEBIT},
     .want_field = "corrects_ref"},
    {.name = "corrected debit is just priced", BASE, .corrects = "P9"},
};

START_TEST(test_rule)
{
    const line_case *c = &rule_cases[_i];
    run(c->name, c, 1, NULL, 0, c->received);
}
END_TEST

/* ------------------------------------------------------------ lines together ---- */

typedef struct {
    const char *name;
    line_case lines[MAX_LINES];
    size_t n_lines;
    prior_case prior[MAX_PRIOR];
    size_t n_prior;
} scenario;

#define OTHER_CLIENT .bsn = "111222333"

static const scenario scenarios[] = {
    {"same line_ref twice",
     {{BASE},
      {BASE, OTHER_CLIENT, .want = {LV_8021_REFERENCE_NOT_UNIQUE}, .want_field = "line_ref",
       .want_reason = "8021: line_ref L1 is already used"}},
     2,
     {{0}},
     0},
    {"line_ref of a stored line",
     {{BASE, .line_ref = "P1", OTHER_CLIENT, .want = {LV_8021_REFERENCE_NOT_UNIQUE},
       .want_field = "line_ref"}},
     1,
     {{PRIOR_BASE}},
     1},
    {"line_ref of a rejected stored line is free again",
     {{BASE, .line_ref = "P1"}},
     1,
     {{PRIOR_BASE, .accepted = false}},
     1},
    {"same service twice",
     {{BASE}, {BASE, .line_ref = "L2", .want = {LV_0587_ALREADY_DECLARED}}},
     2,
     {{0}},
     0},
    {"same service, other client", {{BASE}, {BASE, .line_ref = "L2", OTHER_CLIENT}}, 2, {{0}}, 0},
    /* September's deadline is 2026-10-23, so the second line is late as well */
    {"same client, other month",
     {{BASE},
      {BASE, .line_ref = "L2", .from = "2026-09-01", .to = "2026-09-30",
       .want = {LV_0586_DECLARED_LATE}, .want_late = true}},
     2,
     {{0}},
     0},
    {"same service as a stored debit",
     {{BASE, .want = {LV_0587_ALREADY_DECLARED},
       .want_reason = "0587: CAKOR 2026-10-01..2026-10-31 for this client overlaps stored line "
                      "P1 (2026-10-01..2026-10-31), an accepted debit that no credit reverses"}},
     1,
     {{PRIOR_BASE}},
     1},
    /* 0587 is any overlap of periods, not only the same period */
    {"period overlapping a stored debit",
     {{BASE, .from = "2026-10-05", .to = "2026-10-10", .want = {LV_0587_ALREADY_DECLARED},
       .want_reason = "overlaps stored line P1 (2026-10-01..2026-10-31)"}},
     1,
     {{PRIOR_BASE}},
     1},
    {"period next to a stored debit",
     {{BASE, .from = "2026-10-16", .to = "2026-10-31"}},
     1,
     {{PRIOR_BASE, .to = "2026-10-15"}},
     1},
    {"period overlapping a stored debit of another prestatie",
     {{BASE, .prestatie = "CAREI", .quantity = 3, .from = "2026-10-05", .to = "2026-10-05",
       .want_amount = 7163, .want_minutes = 0, .want_quantity = 3, .want_travel = 7163,
       .want_tariff = 2500}},
     1,
     {{PRIOR_BASE}},
     1},
    {"periods overlapping on one day in the submission",
     {{BASE, .to = "2026-10-10"},
      {BASE, .line_ref = "L2", .from = "2026-10-10", .to = "2026-10-20",
       .want = {LV_0587_ALREADY_DECLARED},
       .want_reason = "0587: CAKOR 2026-10-10..2026-10-20 for this client overlaps line L1 "
                      "(2026-10-01..2026-10-10)"}},
     2,
     {{0}},
     0},
    {"period overlapping a credited stored debit",
     {{BASE, .from = "2026-10-05", .to = "2026-10-10"}},
     1,
     {{PRIOR_BASE, .credited = true}},
     1},
    {"same service as a credited stored debit", {{BASE}}, 1, {{PRIOR_BASE, .credited = true}}, 1},
    {"same service as a rejected stored debit", {{BASE}}, 1, {{PRIOR_BASE, .accepted = false}}, 1},
    {"credit of a debit in the submission",
     {{BASE}, {BASE, .line_ref = "L2", CREDIT("L1"), .want_corrects = 0}},
     2,
     {{0}},
     0},
    /* the debit's 7,162.5 became 7,163; the credit takes exactly -7,163 */
    {"credit of a half-cent travel debit",
     {{BASE, .prestatie = "CAREI", .quantity = 3, .want_amount = 7163, .want_minutes = 0,
       .want_quantity = 3, .want_travel = 7163, .want_tariff = 2500},
      {BASE, .line_ref = "L2", .prestatie = "CAREI", .quantity = 3, .dc = 'C', .corrects = "L1",
       .want_amount = -7163, .want_minutes = 0, .want_quantity = 3, .want_travel = -7163,
       .want_tariff = 2500, .want_corrects = 0}},
     2,
     {{0}},
     0},
    /* the stored debit was priced at 40,111 (say, before a rate change): minus that */
    {"credit of a stored debit",
     {{BASE, CREDIT("P1"), .want_amount = -40111}},
     1,
     {{PRIOR_BASE, .amount = 40111}},
     1},
    {"credit of a stored debit already credited",
     {{BASE, CREDIT("P1"), .want = {LV_8084_DEBIT_ALREADY_CREDITED}, .want_field = "corrects_ref"}},
     1,
     {{PRIOR_BASE, .credited = true}},
     1},
    {"double credit in the submission",
     {{BASE},
      {BASE, .line_ref = "L2", CREDIT("L1"), .want_corrects = 0},
      {BASE, .line_ref = "L3", CREDIT("L1"), .want = {LV_8084_DEBIT_ALREADY_CREDITED},
       .want_field = "corrects_ref"}},
     3,
     {{0}},
     0},
    {"double credit of a stored debit",
     {{BASE, CREDIT("P1")},
      {BASE, .line_ref = "L2", CREDIT("P1"), .want = {LV_8084_DEBIT_ALREADY_CREDITED},
       .want_field = "corrects_ref"}},
     2,
     {{PRIOR_BASE}},
     1},
    {"credit names a credit",
     {{BASE, CREDIT("P2"), .want = {LV_8017_CREDIT_WITHOUT_DEBIT}, .want_field = "corrects_ref"}},
     1,
     {{PRIOR_BASE, .credited = true}, {PRIOR_BASE, .line_ref = "P2", .dc = 'C', .amount = -40110}},
     2},
    {"credit names a rejected stored debit",
     {{BASE, CREDIT("P1"), .want = {LV_8017_CREDIT_WITHOUT_DEBIT}, .want_field = "corrects_ref"}},
     1,
     {{PRIOR_BASE, .accepted = false}},
     1},
    {"credit names a rejected debit in the submission",
     {{BASE, .quantity = 0, .want = {LV_0638_QUANTITY_INVALID}, .want_field = "minutes"},
      {BASE, .line_ref = "L2", CREDIT("L1"), .want = {LV_8017_CREDIT_WITHOUT_DEBIT},
       .want_field = "corrects_ref",
       .want_reason = "8017: corrects_ref L1 names a debit of this submission that is rejected "
                      "(0638)"}},
     2,
     {{0}},
     0},
    {"credit names nothing",
     {{BASE, CREDIT("NOPE"), .want = {LV_8017_CREDIT_WITHOUT_DEBIT}, .want_field = "corrects_ref",
       .want_reason = "8017: corrects_ref NOPE names no accepted debit line of provider "
                      "41000001"}},
     1,
     {{PRIOR_BASE}},
     1},
    {"credit with other minutes",
     {{BASE},
      {BASE, .line_ref = "L2", CREDIT("L1"), .quantity = 180, .want = {LV_9111_CREDIT_MISMATCH},
       .want_field = "minutes"}},
     2,
     {{0}},
     0},
    {"credit with other start date",
     {{BASE, CREDIT("P1"), .from = "2026-10-02", .want = {LV_9111_CREDIT_MISMATCH},
       .want_field = "date_from",
       .want_reason = "9111: date_from 2026-10-02 differs from 2026-10-01 of debit P1"}},
     1,
     {{PRIOR_BASE}},
     1},
    {"credit with other client",
     {{BASE, CREDIT("P1"), .want = {LV_9111_CREDIT_MISMATCH}, .want_field = "client_bsn"}},
     1,
     {{PRIOR_BASE, OTHER_CLIENT}},
     1},
    {"credit with other prestatie",
     {{BASE},
      {BASE, .line_ref = "L2", .prestatie = "CAREI", .quantity = 3, CREDIT("L1"),
       .want = {LV_9111_CREDIT_MISMATCH}, .want_field = "prestatie"}},
     2,
     {{0}},
     0},
    /* AW319: 3 hours map to the stored 180 minutes; 180 min priced 34,380 earlier */
    {"AW319 credit in hours of a stored debit in minutes",
     {{BASE, .source = DECL_SOURCE_AW319, .unit = "02", .quantity_declared = 3, CREDIT("P1"),
       .want_amount = -34380, .want_minutes = -180, .want_quantity = 180}},
     1,
     {{PRIOR_BASE, .quantity = 180, .amount = 34380}},
     1},
    /* 240 * 12000 * 9550 = 27,504,000,000 / 600,000 = 45,840 */
    {"correction: credit, then the new debit",
     {{BASE, CREDIT("P1")},
      {BASE, .line_ref = "L2", .corrects = "P1", .quantity = 240, .want_amount = 45840,
       .want_minutes = 240, .want_quantity = 240}},
     2,
     {{PRIOR_BASE}},
     1},
    /* the order of lines in a submission does not matter */
    {"correction: the new debit before its credit",
     {{BASE, .corrects = "P1", .quantity = 240, .want_amount = 45840, .want_minutes = 240,
       .want_quantity = 240},
      {BASE, .line_ref = "L2", CREDIT("P1")}},
     2,
     {{PRIOR_BASE}},
     1},
    {"correction with a shorter period before its credit",
     {{BASE, .from = "2026-10-05", .to = "2026-10-20"}, {BASE, .line_ref = "L2", CREDIT("P1")}},
     2,
     {{PRIOR_BASE}},
     1},
    {"credit before its debit in the submission",
     {{BASE, .line_ref = "L2", CREDIT("L1"), .want_corrects = 1}, {BASE}},
     2,
     {{0}},
     0},
    {"new debit before the debit of the submission it replaces and its credit",
     {{BASE, .line_ref = "L3", .quantity = 240, .want_amount = 45840, .want_minutes = 240,
       .want_quantity = 240},
      {BASE},
      {BASE, .line_ref = "L2", CREDIT("L1"), .want_corrects = 1}},
     3,
     {{0}},
     0},
    {"a credit after the credit of the same debit is the second",
     {{BASE, .line_ref = "L2", CREDIT("P1")},
      {BASE},
      {BASE, .line_ref = "L3", CREDIT("P1"), .want = {LV_8084_DEBIT_ALREADY_CREDITED},
       .want_field = "corrects_ref",
       .want_reason = "8084: debit P1 is already credited by an earlier credit line"}},
     3,
     {{PRIOR_BASE}},
     1},
    {"a credit over the travel maximum repeats its stored debit",
     {{BASE, CREDIT("P1"), .travel_cents = 150000, .want_amount = -190110, .want_travel = -150000}},
     1,
     {{PRIOR_BASE, .amount = 190110, .travel = 150000}},
     1},
    {"debit, credit and new debit in one submission",
     {{BASE},
      {BASE, .line_ref = "L2", CREDIT("L1"), .want_corrects = 0},
      {BASE, .line_ref = "L3", .corrects = "L1", .quantity = 240, .want_amount = 45840,
       .want_minutes = 240, .want_quantity = 240}},
     3,
     {{0}},
     0},
    /* travel on credits: a time line's credit repeats the debit's travel amount */
    /* 210 min + 1250 travel: 41,360 (see "time line with travel amount") */
    {"credit with the travel amount of a debit in the submission",
     {{BASE, .travel_cents = 1250, .want_amount = 41360, .want_travel = 1250},
      {BASE, .line_ref = "L2", CREDIT("L1"), .travel_cents = 1250, .want_amount = -41360,
       .want_travel = -1250, .want_corrects = 0}},
     2,
     {{0}},
     0},
    {"credit without the travel amount of a debit in the submission",
     {{BASE, .travel_cents = 1250, .want_amount = 41360, .want_travel = 1250},
      {BASE, .line_ref = "L2", CREDIT("L1"), .want = {LV_9111_CREDIT_MISMATCH},
       .want_field = "travel_cents"}},
     2,
     {{0}},
     0},
    {"credit with the travel amount of a stored debit",
     {{BASE, CREDIT("P1"), .travel_cents = 1250, .want_amount = -41360, .want_travel = -1250}},
     1,
     {{PRIOR_BASE, .amount = 41360, .travel = 1250}},
     1},
    {"credit with another travel amount than a stored debit",
     {{BASE, CREDIT("P1"), .travel_cents = 1000, .want = {LV_9111_CREDIT_MISMATCH},
       .want_field = "travel_cents"}},
     1,
     {{PRIOR_BASE, .amount = 41360, .travel = 1250}},
     1},
    {"credit with travel of a stored debit without",
     {{BASE, CREDIT("P1"), .travel_cents = 1250, .want = {LV_9111_CREDIT_MISMATCH},
       .want_field = "travel_cents"}},
     1,
     {{PRIOR_BASE}},
     1},
    {"quantity is named before travel",
     {{BASE, CREDIT("P1"), .quantity = 180, .want = {LV_9111_CREDIT_MISMATCH},
       .want_field = "minutes"}},
     1,
     {{PRIOR_BASE, .amount = 41360, .travel = 1250}},
     1},
    /* a travel prestatie's travel part is its whole amount; its credit declares none */
    {"credit of a stored travel debit",
     {{BASE, .prestatie = "CAREI", .quantity = 3, .dc = 'C', .corrects = "P1", .want_amount = -7163,
       .want_minutes = 0, .want_quantity = 3, .want_travel = -7163, .want_tariff = 2500}},
     1,
     {{PRIOR_BASE, .prestatie = "CAREI", .quantity = 3, .amount = 7163, .travel = 7163}},
     1},
    {"credit with a declared amount that differs",
     {{BASE},
      {BASE, .line_ref = "L2", CREDIT("L1"), .has_declared = true, .declared = -40000,
       .want = {LV_0611_TARIFF_NOT_PER_CONTRACT}, .want_corrects = 0}},
     2,
     {{0}},
     0},
};

START_TEST(test_scenario)
{
    const scenario *s = &scenarios[_i];
    run(s->name, s->lines, s->n_lines, s->prior, s->n_prior, NULL);
}
END_TEST

/* Without client hashes (tests only) the clear BSN links lines inside the submission. */
START_TEST(test_without_hashes)
{
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    copy(sub->provider_agb, sizeof sub->provider_agb, "41000001");
    const line_case base = {BASE}, other = {BASE, .line_ref = "L2"};
    fill_line(decl_submission_add_line(sub), &base);
    fill_line(decl_submission_add_line(sub), &other);
    validate_ctx ctx = make_ctx(NULL, 0);
    line_result results[2];
    ck_assert(validate_submission(&ctx, sub, results));
    ck_assert(results[0].accepted);
    ck_assert(!results[1].accepted);
    ck_assert_int_eq(results[1].codes[0], LV_0587_ALREADY_DECLARED);
    decl_submission_free(sub);
}
END_TEST

START_TEST(test_empty_submission)
{
    decl_submission *sub = decl_submission_new(DECL_SOURCE_CSV);
    validate_ctx ctx = make_ctx(NULL, 0);
    line_result sentinel = {.amount_cents = 99};
    ck_assert(validate_submission(&ctx, sub, &sentinel));
    ck_assert_int_eq(sentinel.amount_cents, 99); /* no line, nothing written */
    decl_submission_free(sub);
}
END_TEST

/* Out of memory is an error to the caller, never a half result: a lookup that cannot open. */
static void *no_memory(const validate_ctx *ctx, const decl_submission *sub)
{
    (void)ctx, (void)sub;
    return NULL;
}

START_TEST(test_out_of_memory_is_an_error)
{
    validate_lookup failing = line_index_lookup;
    failing.open = no_memory;
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    copy(sub->provider_agb, sizeof sub->provider_agb, "41000001");
    const line_case row = {BASE};
    fill_line(decl_submission_add_line(sub), &row);
    validate_ctx ctx = make_ctx(NULL, 0);
    line_result r;
    ck_assert(!validate_submission_with(&failing, &ctx, sub, &r));
    ck_assert(validate_submission_with(&line_index_lookup, &ctx, sub, &r));
    ck_assert(r.accepted);
    decl_submission_free(sub);
}
END_TEST

/* A rejected line still names its target group once the prestatie is known. */
START_TEST(test_rejected_keeps_group)
{
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    copy(sub->provider_agb, sizeof sub->provider_agb, "41000001");
    const line_case lbs = {BASE, .prestatie = "CALBS"};
    fill_line(decl_submission_add_line(sub), &lbs);
    validate_ctx ctx = make_ctx(NULL, 0);
    line_result r;
    ck_assert(validate_submission(&ctx, sub, &r));
    ck_assert(!r.accepted);
    ck_assert_str_eq(r.target_group, "LBS");
    ck_assert_int_eq(r.amount_cents, 0);
    decl_submission_free(sub);
}
END_TEST

/* A line rejected for another year's entry (9101, 9102) names that entry's group. */
START_TEST(test_other_year_names_group)
{
    static const struct {
        const char *prestatie, *from, *to, *group;
    } cases[] = {
        {"CAMSP", "2025-12-01", "2025-12-31", "MSP"}, /* 9102 */
        {"CALB2", "2025-12-01", "2025-12-31", "LBS"}, /* 9101 */
        {"CAMIX", "2025-12-01", "2025-12-31", "LBS"}, /* 9101 from 2027 over 9102 from 2026 */
        {"CANH7", "2026-10-01", "2026-10-31", ""},    /* 0581: no group is sure */
    };
    for (int c = 0; c < N_CASES(cases); c++) {
        decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
        copy(sub->provider_agb, sizeof sub->provider_agb, "41000001");
        const line_case row = {BASE, .prestatie = cases[c].prestatie, .from = cases[c].from,
                               .to = cases[c].to};
        fill_line(decl_submission_add_line(sub), &row);
        validate_ctx ctx = make_ctx(NULL, 0);
        line_result r;
        ck_assert(validate_submission(&ctx, sub, &r));
        ck_assert(!r.accepted);
        ck_assert_msg(strcmp(r.target_group, cases[c].group) == 0, "%s: group \"%s\"",
                      cases[c].prestatie, r.target_group);
        decl_submission_free(sub);
    }
}
END_TEST

/* ------------------------------------------------------------- large submissions ---- */

/* Every passing ck_assert writes a checkpoint to Check's pipe, which dominates a loop over
 * 50,000 lines; these loops call Check only when something is wrong. */
#define REQUIRE(cond, ...)                                                                         \
    do {                                                                                           \
        if (!(cond))                                                                               \
            ck_abort_msg(__VA_ARGS__);                                                             \
    } while (0)

/* A submission of many lines with its client hashes and prior lines, built in code. */
typedef struct {
    decl_submission *sub;
    char (*hashes)[CLIENT_HASH_HEX_LEN + 1];
    size_t cap;
    prior_line *prior;
    size_t n_prior;
    line_result *results;
} bulk;

static bulk bulk_new(size_t cap, size_t n_prior)
{
    bulk b = {decl_submission_new(DECL_SOURCE_JSON),
              calloc(cap, sizeof *b.hashes),
              cap,
              calloc(n_prior ? n_prior : 1, sizeof(prior_line)),
              n_prior,
              calloc(cap, sizeof(line_result))};
    ck_assert(b.sub && b.hashes && b.prior && b.results);
    copy(b.sub->provider_agb, sizeof b.sub->provider_agb, "41000001");
    return b;
}

static void bulk_free(bulk *b)
{
    decl_submission_free(b->sub);
    free(b->hashes);
    free(b->prior);
    free(b->results);
}

/* Appends BASE with these fields: a line of CAKOR, 2026-10, for client @a hash. */
static decl_line *bulk_line(bulk *b, const char *name, const char *hash, char dc,
                            const char *corrects, int64_t minutes, int64_t travel)
{
    REQUIRE(b->sub->n_lines < b->cap, "bulk full");
    const line_case row = {BASE,
                           .line_ref = name,
                           .dc = dc,
                           .corrects = corrects,
                           .quantity = minutes,
                           .travel_cents = travel};
    copy(b->hashes[b->sub->n_lines], sizeof b->hashes[0], hash);
    decl_line *l = decl_submission_add_line(b->sub);
    REQUIRE(l, "out of memory");
    fill_line(l, &row);
    return l;
}

static validate_ctx bulk_ctx(const bulk *b)
{
    validate_ctx ctx = make_ctx(NULL, 0);
    ctx.prior = b->prior;
    ctx.n_prior = b->n_prior;
    ctx.client_hashes = (const char(*)[CLIENT_HASH_HEX_LEN + 1]) b->hashes;
    return ctx;
}

static void want_line(const bulk *b, size_t i, lv_code code, const char *field, int64_t amount,
                      long corrects)
{
    const line_result *r = &b->results[i];
    bool ok = code == LV_OK;
    REQUIRE(r->accepted == ok, "line %zu: accepted=%d (%s)", i, r->accepted,
            r->n_codes ? lv_code_get(r->codes[0])->id : "-");
    REQUIRE(r->n_codes == (ok ? 0u : 1u), "line %zu: %zu codes", i, r->n_codes);
    if (!ok)
        REQUIRE(r->codes[0] == code && strcmp(r->field, field) == 0,
                "line %zu: %s \"%s\", want %s \"%s\"", i, lv_code_get(r->codes[0])->id, r->field,
                lv_code_get(code)->id, field);
    REQUIRE(r->amount_cents == amount, "line %zu: amount %lld, want %lld", i,
            (long long)r->amount_cents, (long long)amount);
    REQUIRE(r->corrects_index == corrects, "line %zu: corrects %ld", i, r->corrects_index);
}

#define BIG_LINES 50000
#define BIG_PRIOR 5000

/* Stored debits P<k> of client prior-<k>, 210 minutes of CAKOR in October 2026. Odd ones
 * carry 1250 cents travel (41,360 in all), every tenth ends in 9 and is credited. */
static void big_priors(bulk *b)
{
    for (size_t k = 0; k < b->n_prior; k++) {
        char name[32], client[32];
        snprintf(name, sizeof name, "P%zu", k);
        snprintf(client, sizeof client, "prior-%zu", k);
        const prior_case c = {PRIOR_BASE, .line_ref = name, .credited = k % 10 == 9,
                              .amount = k % 2 ? 41360 : 40110, .travel = k % 2 ? 1250 : 0};
        fill_prior(&b->prior[k], &c);
        copy(b->prior[k].client_hash, sizeof b->prior[k].client_hash, client);
    }
}

/*
 * 50,000 lines in blocks of 1,000. Line i = 1000 b + r is a plain debit L<i> of client
 * client-<i> (accepted, 40,110) except at these r, each against stored debit k = 100 b + x
 * or an earlier line of the same block:
 *   100 credit of P(k+1) with its travel        accepted, -41,360
 *   101 new debit of P(k+1)'s service, 240 min  accepted, 45,840 (its credit came first)
 *   102 credit of P(k+1) again                  8084
 *   103 debit of P(k+3)'s service               0587
 *   104 debit of P(k+9)'s service (credited)    accepted
 *   105 credit of P(k+9) (credited)             8084
 *   106 credit of P(k+5) with 180 minutes       9111 minutes
 *   107 credit of P(k+7) without its travel     9111 travel_cents
 *   108 new debit of P(k+13)'s service, 240 min accepted, 45,840 (its credit comes next)
 *   109 credit of P(k+13) with its travel       accepted, -41,360
 *   200 line_ref P(k+11)                        8021
 *   201 line_ref of line i-150                  8021
 *   300 credit of line i-10 (r = 290)           accepted, -40,110, corrects i-10
 *   301 debit of line 290's service             accepted (290 was credited)
 *   302 debit of line 290's service again       0587 (301 holds it now)
 *   303 credit of line 290 again                8084
 *   304 debit of line 204's service             0587
 *   400 credit naming NOPE                      8017
 *   401 credit of line i+1, later in the block  accepted, -40,110, corrects i+1
 *   999 line_ref of line i-499 (r = 500)        8021
 */
/* The stored debit (100 b + x) a row of big_lines() is about; 11 for the others. */
static size_t big_prior_offset(size_t r)
{
    static const size_t offsets[] = {1, 1, 1, 3, 9, 9, 5, 7, 13, 13}; /* r = 100 .. 109 */
    return r >= 100 && r <= 109 ? offsets[r - 100] : 11;
}

static void big_lines(bulk *b)
{
    for (size_t i = 0; i < BIG_LINES; i++) {
        size_t r = i % 1000, k = i / 1000 * 100 + big_prior_offset(r);
        char name[32], other[32], client[32], prior_client[32];
        snprintf(name, sizeof name, "L%zu", i);
        snprintf(client, sizeof client, "client-%zu", i);
        snprintf(prior_client, sizeof prior_client, "prior-%zu", k);
        snprintf(other, sizeof other, "P%zu", k);
        if (r == 100 || r == 102 || r == 105 || r == 109)
            bulk_line(b, name, prior_client, 'C', other, 210, r == 105 ? 0 : 1250);
        else if (r == 101 || r == 108)
            bulk_line(b, name, prior_client, 'D', "", 240, 0);
        else if (r == 103 || r == 104)
            bulk_line(b, name, prior_client, 'D', "", 210, 0);
        else if (r == 106 || r == 107)
            bulk_line(b, name, prior_client, 'C', other, r == 106 ? 180 : 210, 0);
        else if (r == 200)
            bulk_line(b, other, client, 'D', "", 210, 0);
        else if (r == 201 || r == 999) {
            snprintf(other, sizeof other, "L%zu", i - (r == 201 ? 150 : 499));
            bulk_line(b, other, client, 'D', "", 210, 0);
        } else if (r >= 300 && r <= 304) {
            size_t j = r == 304 ? i - 100 : i - (r - 290);
            snprintf(other, sizeof other, "L%zu", j);
            snprintf(prior_client, sizeof prior_client, "client-%zu", j);
            bool credit = r == 300 || r == 303;
            bulk_line(b, name, prior_client, credit ? 'C' : 'D', credit ? other : "", 210, 0);
        } else if (r == 400 || r == 401) {
            snprintf(other, sizeof other, "L%zu", i + 1);
            snprintf(prior_client, sizeof prior_client, "client-%zu", i + 1);
            bulk_line(b, name, r == 400 ? client : prior_client, 'C', r == 400 ? "NOPE" : other,
                      210, 0);
        } else
            bulk_line(b, name, client, 'D', "", 210, 0);
    }
}

/* The outcome of each special row of big_lines(); any other row is accepted at 40,110. */
static const struct {
    size_t r;
    lv_code code;
    const char *field;
    int64_t amount;
    long corrects_back; /* corrects_index = i - corrects_back; 0: -1 */
} big_outcomes[] = {
    {100, LV_OK, "", -41360, 0},
    {101, LV_OK, "", 45840, 0},
    {102, LV_8084_DEBIT_ALREADY_CREDITED, "corrects_ref", 0, 0},
    {103, LV_0587_ALREADY_DECLARED, "", 0, 0},
    {104, LV_OK, "", 40110, 0},
    {105, LV_8084_DEBIT_ALREADY_CREDITED, "corrects_ref", 0, 0},
    {106, LV_9111_CREDIT_MISMATCH, "minutes", 0, 0},
    {107, LV_9111_CREDIT_MISMATCH, "travel_cents", 0, 0},
    {108, LV_OK, "", 45840, 0},
    {109, LV_OK, "", -41360, 0},
    {200, LV_8021_REFERENCE_NOT_UNIQUE, "line_ref", 0, 0},
    {201, LV_8021_REFERENCE_NOT_UNIQUE, "line_ref", 0, 0},
    {300, LV_OK, "", -40110, 10},
    {301, LV_OK, "", 40110, 0},
    {302, LV_0587_ALREADY_DECLARED, "", 0, 0},
    {303, LV_8084_DEBIT_ALREADY_CREDITED, "corrects_ref", 0, 0},
    {304, LV_0587_ALREADY_DECLARED, "", 0, 0},
    {400, LV_8017_CREDIT_WITHOUT_DEBIT, "corrects_ref", 0, 0},
    {401, LV_OK, "", -40110, -1},
    {999, LV_8021_REFERENCE_NOT_UNIQUE, "line_ref", 0, 0},
};

static void big_expect(const bulk *b)
{
    for (size_t i = 0; i < BIG_LINES; i++) {
        int o = 0;
        while (o < N_CASES(big_outcomes) && big_outcomes[o].r != i % 1000)
            o++;
        if (o == N_CASES(big_outcomes))
            want_line(b, i, LV_OK, "", 40110, -1);
        else
            want_line(b, i, big_outcomes[o].code, big_outcomes[o].field, big_outcomes[o].amount,
                      big_outcomes[o].corrects_back ? (long)i - big_outcomes[o].corrects_back : -1);
    }
}

START_TEST(test_large_submission)
{
    bulk b = bulk_new(BIG_LINES, BIG_PRIOR);
    big_priors(&b);
    big_lines(&b);
    validate_ctx ctx = bulk_ctx(&b);
    ck_assert(validate_submission(&ctx, b.sub, b.results));
    big_expect(&b);
    bulk_free(&b);
}
END_TEST

/* The worst inputs for the indexes: one reference, one service, one debit for all. */
START_TEST(test_large_one_key)
{
    bulk b = bulk_new(BIG_LINES, 1);
    const prior_case stored = {PRIOR_BASE};
    fill_prior(&b.prior[0], &stored);
    copy(b.prior[0].client_hash, sizeof b.prior[0].client_hash, "someone");
    validate_ctx ctx = bulk_ctx(&b);
    char name[32];
    /* every line the same reference: the first holds it */
    for (size_t i = 0; i < BIG_LINES; i++)
        bulk_line(&b, "SAME", "client", 'D', "", 210, 0);
    ck_assert(validate_submission(&ctx, b.sub, b.results));
    want_line(&b, 0, LV_OK, "", 40110, -1);
    for (size_t i = 1; i < BIG_LINES; i++)
        want_line(&b, i, LV_8021_REFERENCE_NOT_UNIQUE, "line_ref", 0, -1);
    /* every line the stored debit's service: all already declared */
    b.sub->n_lines = 0;
    for (size_t i = 0; i < BIG_LINES; i++) {
        snprintf(name, sizeof name, "L%zu", i);
        bulk_line(&b, name, "someone", 'D', "", 210, 0);
    }
    ck_assert(validate_submission(&ctx, b.sub, b.results));
    for (size_t i = 0; i < BIG_LINES; i++)
        want_line(&b, i, LV_0587_ALREADY_DECLARED, "", 0, -1);
    /* every line a credit of the stored debit: the first reverses it */
    b.sub->n_lines = 0;
    for (size_t i = 0; i < BIG_LINES; i++) {
        snprintf(name, sizeof name, "L%zu", i);
        bulk_line(&b, name, "someone", 'C', "P1", 210, 0);
    }
    ck_assert(validate_submission(&ctx, b.sub, b.results));
    want_line(&b, 0, LV_OK, "", -40110, -1);
    for (size_t i = 1; i < BIG_LINES; i++)
        want_line(&b, i, LV_8084_DEBIT_ALREADY_CREDITED, "corrects_ref", 0, -1);
    bulk_free(&b);
}
END_TEST

/* ------------------------------------------- the index against the scanning oracle ---- */

/* splitmix64: a fixed seed gives the same submissions on every machine. */
static uint64_t next_random(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static size_t pick(uint64_t *state, size_t n)
{
    return (size_t)(next_random(state) % n);
}

/* A reference from a small pool, so that lines and prior lines collide often. */
static void random_ref(uint64_t *state, size_t n_lines, char out[DECL_REF_MAX + 1])
{
    size_t which = pick(state, 10);
    if (which < 6)
        snprintf(out, DECL_REF_MAX + 1, "L%u", (unsigned)pick(state, n_lines + 1));
    else if (which < 9)
        snprintf(out, DECL_REF_MAX + 1, "P%u", (unsigned)pick(state, n_lines / 3 + 1));
    else
        snprintf(out, DECL_REF_MAX + 1, "%s", pick(state, 2) ? "NOPE" : "");
}

/* Few clients, prestaties, months and quantities, so services repeat. */
static void random_service(uint64_t *state, char *hash, const char **prestatie, lv_date *from,
                           lv_date *to, int64_t *quantity, int64_t *travel)
{
    static const char *const prestaties[] = {"CAKOR", "CAKOR", "CAKOR", "CAREI", "CANAH"};
    snprintf(hash, CLIENT_HASH_HEX_LEN + 1, "client-%u", (unsigned)pick(state, 4));
    *prestatie = prestaties[pick(state, N_CASES(prestaties))];
    /* periods that are equal, overlap in part or only touch, within one month */
    static const int starts[] = {0, 0, 9, 15};
    *from = day(pick(state, 2) ? "2026-10-01" : "2026-09-01") + starts[pick(state, 4)];
    *to = pick(state, 3) ? lv_date_month_end(*from) : *from + (lv_date)pick(state, 10);
    bool travel_prestatie = strcmp(*prestatie, "CAREI") == 0;
    *quantity = travel_prestatie ? 3 + (int64_t)pick(state, 2) : pick(state, 3) ? 210 : 180;
    if (pick(state, 40) == 0)
        *quantity = 0; /* 0638 */
    *travel = travel_prestatie || pick(state, 3) ? 0 : 1250;
}

static void random_priors(uint64_t *state, bulk *b, size_t n_lines)
{
    for (size_t k = 0; k < b->n_prior; k++) {
        prior_line *p = &b->prior[k];
        const char *prestatie;
        memset(p, 0, sizeof *p);
        random_ref(state, n_lines, p->line_ref);
        if (pick(state, 2))
            snprintf(p->line_ref, sizeof p->line_ref, "P%u",
                     (unsigned)pick(state, n_lines / 3 + 1));
        random_service(state, p->client_hash, &prestatie, &p->date_from, &p->date_to, &p->quantity,
                       &p->travel_cents);
        copy(p->prestatie, sizeof p->prestatie, prestatie);
        p->debit_credit = pick(state, 5) ? 'D' : 'C';
        p->accepted = pick(state, 8) != 0;
        p->credited = pick(state, 5) == 0;
        p->amount_cents = 40000 + (int64_t)pick(state, 3000);
    }
}

/* Makes credit @a l of line @a i name an earlier line or a prior line and, mostly, repeat
 * its service, so that many credits match (and some are refused as double credits). */
static void copy_target(uint64_t *state, bulk *b, size_t i, decl_line *l)
{
    bool stored = i == 0 || (b->n_prior > 0 && pick(state, 2));
    if (stored && b->n_prior == 0)
        return;
    const char *hash, *prestatie, *line_ref;
    lv_date from, to;
    int64_t quantity, travel;
    if (stored) {
        const prior_line *p = &b->prior[pick(state, b->n_prior)];
        hash = p->client_hash, prestatie = p->prestatie, line_ref = p->line_ref;
        from = p->date_from, to = p->date_to, quantity = p->quantity, travel = p->travel_cents;
    } else {
        size_t j = pick(state, i);
        const decl_line *d = &b->sub->lines[j];
        hash = b->hashes[j], prestatie = d->prestatie, line_ref = d->line_ref;
        from = d->date_from, to = d->date_to, quantity = d->quantity, travel = d->travel_cents;
    }
    copy(l->corrects_ref, sizeof l->corrects_ref, line_ref);
    if (pick(state, 6) == 0)
        return; /* keep the random service: a mismatch, most likely */
    copy(b->hashes[i], sizeof b->hashes[i], hash);
    copy(l->prestatie, sizeof l->prestatie, prestatie);
    l->date_from = from, l->date_to = to, l->quantity = quantity, l->travel_cents = travel;
}

static void random_lines(uint64_t *state, bulk *b, size_t n)
{
    b->sub->n_lines = 0;
    for (size_t i = 0; i < n; i++) {
        char name[DECL_REF_MAX + 1], corrects[DECL_REF_MAX + 1];
        if (pick(state, 3))
            snprintf(name, sizeof name, "L%u", (unsigned)i);
        else
            random_ref(state, n, name);
        random_ref(state, n, corrects);
        size_t dc = pick(state, 30);
        char c = dc < 17 ? 'D' : dc < 29 ? 'C' : 'X';
        decl_line *l =
            bulk_line(b, name, "", c, c == 'C' || pick(state, 4) == 0 ? corrects : "", 210, 0);
        const char *prestatie;
        random_service(state, b->hashes[i], &prestatie, &l->date_from, &l->date_to, &l->quantity,
                       &l->travel_cents);
        copy(l->prestatie, sizeof l->prestatie, prestatie);
        if (c == 'C' && pick(state, 3))
            copy_target(state, b, i, l);
        if (pick(state, 50) == 0)
            decl_line_set_defect(l, LV_9108_FIELD_INVALID, "minutes");
    }
}

static void expect_same(const line_result *a, const line_result *b, const char *where)
{
    REQUIRE(a->accepted == b->accepted && a->n_codes == b->n_codes, "%s: verdicts differ", where);
    for (size_t k = 0; k < a->n_codes; k++)
        REQUIRE(a->codes[k] == b->codes[k], "%s: code %zu: %s vs %s", where, k,
                lv_code_get(a->codes[k])->id, lv_code_get(b->codes[k])->id);
    REQUIRE(strcmp(a->field, b->field) == 0 && strcmp(a->target_group, b->target_group) == 0,
            "%s: field or group differs", where);
    REQUIRE(a->late == b->late && a->rate_bp == b->rate_bp && a->tariff_cents == b->tariff_cents &&
                a->minutes == b->minutes && a->quantity == b->quantity &&
                a->travel_cents == b->travel_cents && a->amount_cents == b->amount_cents &&
                a->corrects_index == b->corrects_index,
            "%s: numbers differ", where);
    REQUIRE(strcmp(a->reason, b->reason) == 0, "%s: reasons differ: \"%s\" vs \"%s\"", where,
            a->reason, b->reason);
}

#define RANDOM_ROUNDS 300
#define RANDOM_MAX_LINES 120
#define RANDOM_MAX_PRIOR 40

START_TEST(test_index_matches_oracle)
{
    uint64_t state = 20260101;
    size_t seen[LV_CODE_COUNT] = {0}, credits_here = 0, credits_stored = 0;
    line_result *slow = calloc(RANDOM_MAX_LINES, sizeof *slow);
    ck_assert_ptr_nonnull(slow);
    for (int round = 0; round < RANDOM_ROUNDS; round++) {
        size_t n = 1 + pick(&state, RANDOM_MAX_LINES);
        bulk b = bulk_new(RANDOM_MAX_LINES, pick(&state, RANDOM_MAX_PRIOR + 1));
        random_priors(&state, &b, n);
        random_lines(&state, &b, n);
        validate_ctx ctx = bulk_ctx(&b);
        if (round % 10 == 9)
            ctx.client_hashes = NULL; /* the clear BSN links lines instead */
        /* stale results from an earlier call: a rule that peeks at a line not yet judged
         * would see accepted debits there */
        for (size_t i = 0; i < RANDOM_MAX_LINES; i++)
            b.results[i] = slow[i] = (line_result){.accepted = true, .corrects_index = -1};
        ck_assert(validate_submission(&ctx, b.sub, b.results));
        ck_assert(validate_submission_oracle(&ctx, b.sub, slow));
        for (size_t i = 0; i < n; i++) {
            char where[64];
            snprintf(where, sizeof where, "round %d, line %zu", round, i);
            expect_same(&b.results[i], &slow[i], where);
            const line_result *r = &b.results[i];
            seen[r->n_codes ? r->codes[0] : LV_OK]++;
            if (r->accepted && b.sub->lines[i].debit_credit == 'C')
                *(r->corrects_index >= 0 ? &credits_here : &credits_stored) += 1;
        }
        bulk_free(&b);
    }
    free(slow);
    /* the inputs must reach every rule that looks at earlier lines, or equality says little */
    const lv_code reached[] = {LV_OK,
                               LV_8021_REFERENCE_NOT_UNIQUE,
                               LV_0587_ALREADY_DECLARED,
                               LV_8017_CREDIT_WITHOUT_DEBIT,
                               LV_8084_DEBIT_ALREADY_CREDITED,
                               LV_9111_CREDIT_MISMATCH};
    for (int c = 0; c < N_CASES(reached); c++)
        ck_assert_msg(seen[reached[c]] >= 20, "%s seen %zu times", lv_code_get(reached[c])->id,
                      seen[reached[c]]);
    if (getenv("VALIDATE_TEST_VERBOSE"))
        for (int c = 0; c < N_CASES(reached); c++)
            fprintf(stderr, "%s: %zu\n", lv_code_get(reached[c])->id, seen[reached[c]]);
    ck_assert_msg(credits_here >= 20 && credits_stored >= 20,
                  "accepted credits: %zu here, %zu stored", credits_here, credits_stored);
}
END_TEST

static Suite *validate_suite(void)
{
    Suite *s = suite_create("validate");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_loop_test(tc, test_rule, 0, N_CASES(rule_cases));
    tcase_add_loop_test(tc, test_scenario, 0, N_CASES(scenarios));
    tcase_add_test(tc, test_without_hashes);
    tcase_add_test(tc, test_empty_submission);
    tcase_add_test(tc, test_out_of_memory_is_an_error);
    tcase_add_test(tc, test_rejected_keeps_group);
    tcase_add_test(tc, test_other_year_names_group);
    suite_add_tcase(s, tc);
    /* Large inputs under the sanitizers take a few seconds, more than Check's default 4. */
    TCase *large = tcase_create("large");
    tcase_add_checked_fixture(large, setup, teardown);
    tcase_set_timeout(large, 60);
    tcase_add_test(large, test_large_submission);
    tcase_add_test(large, test_large_one_key);
    tcase_add_test(large, test_index_matches_oracle);
    suite_add_tcase(s, large);
    return s;
}

UNIT_MAIN(validate_suite)
