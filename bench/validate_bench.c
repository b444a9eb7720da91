/*
 * validate_bench.c: how fast validate_submission() judges the largest submission the
 * configuration allows (100,000 lines, [server] max_lines_per_submission) against 10,000
 * stored lines of the provider, and how that compares with the quadratic scans of the
 * tests' oracle (tests/unit/validate_oracle.c), the reference it is checked against.
 *
 * The submission is one provider's October 2026: 50,000 clients with a time line (CAKOR)
 * and a travel line (CAREI) each. Every fifth client already has a stored October debit,
 * which the submission corrects the way a provider does: first a credit of the stored
 * line, then the new debit. Every hundredth line repeats the service of the line before
 * it (0587). Client hashes are 64 hex characters, like the daemon's HMACs.
 *
 * The quadratic path runs on the first 10,000 lines only (on all of them it would take
 * about a hundred times as long again); the fast path runs on both sizes, and on the
 * 10,000 lines the two must agree line by line. Prints lines per second of CPU time (best
 * of five runs; of two for the quadratic path) and the ratio.
 *
 * Build by hand from the repository root, optimised and without sanitizers:
 *   gcc -std=c11 -O2 -D_DEFAULT_SOURCE -Ilib -Itests/unit bench/validate_bench.c \
 *       tests/unit/validate_oracle.c lib/validate.c lib/line_index.c lib/bsn.c \
 *       lib/refdata.c lib/calendar.c lib/money.c lib/pricing.c lib/declaration.c \
 *       lib/text.c lib/codes.c -o /tmp/validate_bench && /tmp/validate_bench
 * or with CMake as the target validate_bench (bench/CMakeLists.txt). Arguments: the
 * number of lines (100000), of prior lines (10000) and of lines for the quadratic
 * path (10000).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "validate.h"
#include "validate_oracle.h"

typedef char client_hash[CLIENT_HASH_HEX_LEN + 1];

/* CPU time of this process: other work on a shared machine barely moves it, where wall
 * time would. */
static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A fixed pseudo-HMAC of client @a c: 64 hex characters, as the daemon stores. */
static void make_hash(size_t c, client_hash out)
{
    uint64_t z = (uint64_t)c * 0x9E3779B97F4A7C15u + 12345;
    for (int part = 0; part < 4; part++) {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
        snprintf(out + part * 16, 17, "%016llx", (unsigned long long)(z ^ (z >> 31)));
    }
}

static bool add_reference_data(refdata *ref)
{
    ref_target_group kor = {"KOR", "Korsakov", lv_date_from_ymd(2025, 1, 1), LV_DATE_NONE, 0};
    ref_prestatie time_line = {2026,  "CAKOR", "KOR", PRESTATIE_TIME, PRESTATIE_UNIT_HOUR,
                               12000, true};
    ref_prestatie travel = {2026, "CAREI", "KOR", PRESTATIE_TRAVEL, PRESTATIE_UNIT_TRIP,
                            2500, true};
    ref_provider provider = {"41000001", "Expertisecentrum A", "5501"};
    ref_designation designation = {"41000001", "KOR", CENTRE_REC, lv_date_from_ymd(2025, 1, 1),
                                   LV_DATE_NONE};
    ref_rate rate = {"41000001", 2026, 9550};
    ref_time_unit minute = {"01", 1}, hour = {"02", 60};
    bool ok = refdata_add_target_group(ref, &kor) && refdata_add_prestatie(ref, &time_line) &&
              refdata_add_prestatie(ref, &travel) && refdata_add_provider(ref, &provider) &&
              refdata_add_designation(ref, &designation) && refdata_add_rate(ref, &rate) &&
              refdata_add_time_unit(ref, &minute) && refdata_add_time_unit(ref, &hour);
    static const int holidays[][3] = {{2026, 1, 1},  {2026, 4, 6},   {2026, 4, 27}, {2026, 5, 14},
                                      {2026, 5, 25}, {2026, 12, 25}, {2026, 12, 26}};
    for (size_t h = 0; ok && h < sizeof holidays / sizeof holidays[0]; h++)
        ok = refdata_add_holiday(ref,
                                 lv_date_from_ymd(holidays[h][0], holidays[h][1], holidays[h][2]));
    refdata_seal(ref);
    return ok;
}

/* Stored debit P<k>: 210 minutes of CAKOR in October 2026 for client 5k. */
static void make_priors(prior_line *prior, size_t n_prior)
{
    for (size_t k = 0; k < n_prior; k++) {
        prior_line *p = &prior[k];
        memset(p, 0, sizeof *p);
        snprintf(p->line_ref, sizeof p->line_ref, "P%lu", (unsigned long)(k % 100000000UL));
        make_hash(5 * k, p->client_hash);
        snprintf(p->prestatie, sizeof p->prestatie, "CAKOR");
        p->debit_credit = 'D';
        p->accepted = true;
        p->date_from = lv_date_from_ymd(2026, 10, 1);
        p->date_to = lv_date_from_ymd(2026, 10, 31);
        p->quantity = 210;
        p->amount_cents = 40110;
    }
}

static decl_line *add_line(decl_submission *sub, client_hash *hashes, size_t client,
                           const char *prestatie, char dc, const char *corrects)
{
    size_t i = sub->n_lines;
    decl_line *l = decl_submission_add_line(sub);
    if (!l)
        return NULL;
    snprintf(l->line_ref, sizeof l->line_ref, "L%zu", i);
    snprintf(l->client_bsn, sizeof l->client_bsn, "123456782");
    snprintf(l->prestatie, sizeof l->prestatie, "%s", prestatie);
    snprintf(l->corrects_ref, sizeof l->corrects_ref, "%s", corrects);
    l->date_from = lv_date_from_ymd(2026, 10, 1);
    l->date_to = lv_date_from_ymd(2026, 10, 31);
    l->quantity = strcmp(prestatie, "CAKOR") == 0 ? (dc == 'C' ? 210 : 240) : 2;
    l->debit_credit = dc;
    make_hash(client, hashes[i]);
    return l;
}

/* Fills @a sub with @a n lines as described at the top; @return false when out of memory. */
static bool make_lines(decl_submission *sub, client_hash *hashes, size_t n, size_t n_prior)
{
    for (size_t client = 0; sub->n_lines < n; client++) {
        if (client % 5 == 0 && client / 5 < n_prior) {
            char ref[DECL_REF_MAX + 1];
            snprintf(ref, sizeof ref, "P%u", (unsigned)(client / 5));
            if (!add_line(sub, hashes, client, "CAKOR", 'C', ref))
                return false;
        }
        for (int p = 0; p < 2 && sub->n_lines < n; p++) {
            if (!add_line(sub, hashes, client, p ? "CAREI" : "CAKOR", 'D', ""))
                return false;
            if (sub->n_lines % 100 == 99 && sub->n_lines < n &&
                !add_line(sub, hashes, client, p ? "CAREI" : "CAKOR", 'D', ""))
                return false;
        }
    }
    return true;
}

typedef bool (*validator)(const validate_ctx *, const decl_submission *, line_result *);

/* @return the best wall time of @a runs runs of @a v over @a sub. */
static double time_runs(validator v, const validate_ctx *ctx, const decl_submission *sub,
                        line_result *results, int runs)
{
    double best = 0;
    for (int r = 0; r < runs; r++) {
        double t0 = now();
        if (!v(ctx, sub, results)) {
            fprintf(stderr, "validation ran out of memory\n");
            exit(1);
        }
        double t = now() - t0;
        if (r == 0 || t < best)
            best = t;
    }
    return best;
}

static size_t count_accepted(const line_result *results, size_t n)
{
    size_t accepted = 0;
    for (size_t i = 0; i < n; i++)
        accepted += results[i].accepted;
    return accepted;
}

static size_t count_differences(const line_result *a, const line_result *b, size_t n)
{
    size_t differ = 0;
    for (size_t i = 0; i < n; i++)
        differ += a[i].accepted != b[i].accepted || a[i].n_codes != b[i].n_codes ||
                  (a[i].n_codes && a[i].codes[0] != b[i].codes[0]) ||
                  a[i].amount_cents != b[i].amount_cents ||
                  a[i].corrects_index != b[i].corrects_index ||
                  strcmp(a[i].reason, b[i].reason) != 0;
    return differ;
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    size_t n_prior = argc > 2 ? strtoul(argv[2], NULL, 10) : 10000;
    size_t n_slow = argc > 3 ? strtoul(argv[3], NULL, 10) : 10000;
    if (n_slow > n)
        n_slow = n;
    refdata *ref = refdata_new();
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    client_hash *hashes = calloc(n + 1, sizeof *hashes);
    prior_line *prior = calloc(n_prior + 1, sizeof *prior);
    line_result *fast = calloc(n + 1, sizeof *fast), *slow = calloc(n + 1, sizeof *slow);
    if (!ref || !sub || !hashes || !prior || !fast || !slow || !add_reference_data(ref)) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    snprintf(sub->provider_agb, sizeof sub->provider_agb, "41000001");
    make_priors(prior, n_prior);
    if (!make_lines(sub, hashes, n, n_prior)) {
        fprintf(stderr, "out of memory\n");
        return 1;
    }
    validate_ctx ctx = {.ref = ref,
                        .prior = prior,
                        .n_prior = n_prior,
                        .client_hashes = (const client_hash *)hashes,
                        .received_on = lv_date_from_ymd(2026, 11, 10),
                        .deadline_working_days = 17,
                        .max_minutes_per_line = 6000,
                        .max_units_per_line = 1000,
                        .max_travel_cents_per_line = 100000};

    double t_fast = time_runs(validate_submission, &ctx, sub, fast, 5);
    printf("fast path:      %7zu lines, %5zu prior: %8.1f ms, %10.0f lines/s (%zu accepted)\n", n,
           n_prior, t_fast * 1e3, (double)n / t_fast, count_accepted(fast, n));

    sub->n_lines = n_slow; /* the first n_slow lines: the same submission, cut short */
    double t_fast_small = time_runs(validate_submission, &ctx, sub, fast, 5);
    double t_slow = time_runs(validate_submission_oracle, &ctx, sub, slow, 2);
    size_t differ = count_differences(fast, slow, n_slow);
    printf("fast path:      %7zu lines, %5zu prior: %8.1f ms, %10.0f lines/s\n", n_slow, n_prior,
           t_fast_small * 1e3, (double)n_slow / t_fast_small);
    printf("quadratic path: %7zu lines, %5zu prior: %8.1f ms, %10.0f lines/s (%zu differ)\n",
           n_slow, n_prior, t_slow * 1e3, (double)n_slow / t_slow, differ);
    printf("ratio fast (%zu lines) / quadratic (%zu lines), lines/s: %.0fx\n", n, n_slow,
           ((double)n / t_fast) / ((double)n_slow / t_slow));
    printf("ratio on the same %zu lines: %.0fx\n", n_slow, t_slow / t_fast_small);

    sub->n_lines = n;
    decl_submission_free(sub);
    refdata_free(ref);
    free(hashes);
    free(prior);
    free(fast);
    free(slow);
    return differ == 0 ? 0 : 1;
}
