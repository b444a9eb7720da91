/*
 * check_line_index.c: Check suite for lib/line_index.c, asked directly: references taken
 * and held, the live set of debits and overlapping periods with the debit that overlaps.
 * check_validate.c covers the index again through validation, against the scanning oracle.
 */
#include <stdio.h>
#include <string.h>

#include "line_index.h"
#include "unit_runner.h"

static lv_date day(int y, int m, int d)
{
    return lv_date_from_ymd(y, m, d);
}

static void add(decl_submission *sub, const char *ref, const char *client, char dc, int from,
                int to)
{
    decl_line *l = decl_submission_add_line(sub);
    ck_assert_ptr_nonnull(l);
    snprintf(l->line_ref, sizeof l->line_ref, "%s", ref);
    snprintf(l->client_bsn, sizeof l->client_bsn, "%s", client); /* no hashes: the key */
    snprintf(l->prestatie, sizeof l->prestatie, "CAKOR");
    l->debit_credit = dc;
    l->date_from = day(2026, 10, from);
    l->date_to = day(2026, 10, to);
}

static prior_line prior(const char *ref, const char *client, char dc, bool accepted, bool credited,
                        int from, int to)
{
    prior_line p = {.debit_credit = dc, .accepted = accepted, .credited = credited};
    snprintf(p.line_ref, sizeof p.line_ref, "%s", ref);
    snprintf(p.client_hash, sizeof p.client_hash, "%s", client);
    snprintf(p.prestatie, sizeof p.prestatie, "CAKOR");
    p.date_from = day(2026, 10, from);
    p.date_to = day(2026, 10, to);
    return p;
}

START_TEST(references)
{
    const prior_line priors[] = {prior("P1", "A", 'D', true, false, 1, 10),
                                 prior("P2", "A", 'D', false, false, 1, 10),
                                 prior("P3", "A", 'C', true, false, 1, 10)};
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    add(sub, "L1", "A", 'D', 1, 1); /* 0 */
    add(sub, "L2", "A", 'D', 2, 2); /* 1 */
    add(sub, "L1", "A", 'D', 3, 3); /* 2: second of L1 */
    add(sub, "P1", "A", 'D', 4, 4); /* 3: an accepted stored line's reference */
    add(sub, "P2", "A", 'D', 5, 5); /* 4: a rejected stored line's: free */
    add(sub, "P3", "A", 'D', 6, 6); /* 5: an accepted stored credit's */
    validate_ctx ctx = {.prior = priors, .n_prior = 3};
    line_index *ix = line_index_new(&ctx, sub);
    ck_assert_ptr_nonnull(ix);
    const bool taken[] = {false, false, true, true, false, true};
    for (size_t i = 0; i < 6; i++)
        ck_assert_msg(line_index_ref_taken(ix, i) == taken[i], "line %zu", i);
    ck_assert_uint_eq(line_index_ref_holder(ix, "L1"), 0);
    ck_assert_uint_eq(line_index_ref_holder(ix, "L2"), 1);
    ck_assert_uint_eq(line_index_ref_holder(ix, "P1"), 6 + 0); /* the stored debit */
    ck_assert_uint_eq(line_index_ref_holder(ix, "P2"), 4);     /* the line: P2 was rejected */
    ck_assert_uint_eq(line_index_ref_holder(ix, "P3"), VALIDATE_NO_SLOT); /* a credit */
    ck_assert_uint_eq(line_index_ref_holder(ix, "NOPE"), VALIDATE_NO_SLOT);
    line_index_free(ix);
    decl_submission_free(sub);
}
END_TEST

START_TEST(overlaps)
{
    const prior_line priors[] = {prior("P1", "A", 'D', true, false, 1, 10),  /* slot 5 */
                                 prior("P2", "A", 'D', true, true, 20, 25),  /* credited */
                                 prior("P3", "A", 'C', true, false, 26, 31), /* a credit */
                                 prior("P4", "A", 'D', false, false, 26, 31)};
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    add(sub, "D0", "A", 'D', 5, 6);   /* 0: overlaps P1 */
    add(sub, "D1", "A", 'D', 11, 19); /* 1: between P1 and P2 */
    add(sub, "D2", "A", 'D', 15, 15); /* 2: inside D1 */
    add(sub, "D3", "B", 'D', 5, 6);   /* 3: another client, alone under its key */
    add(sub, "D4", "A", 'D', 22, 31); /* 4: over P2 (credited), P3 (credit), P4 (rejected) */
    validate_ctx ctx = {.prior = priors, .n_prior = 4};
    line_index *ix = line_index_new(&ctx, sub);
    ck_assert_ptr_nonnull(ix);
    size_t w;
    ck_assert(line_index_overlaps_live(ix, 0, &w));
    ck_assert_uint_eq(w, 5);
    ck_assert(!line_index_overlaps_live(ix, 1, &w));
    ck_assert_uint_eq(w, VALIDATE_NO_SLOT);
    line_index_add_live(ix, 1);
    ck_assert(line_index_overlaps_live(ix, 2, &w));
    ck_assert_uint_eq(w, 1);
    ck_assert(!line_index_overlaps_live(ix, 3, &w));
    ck_assert(!line_index_overlaps_live(ix, 4, &w));
    /* the credit of P1: it no longer counts, D0 is free */
    ck_assert(!line_index_reversed(ix, 5));
    line_index_reverse(ix, 5);
    ck_assert(line_index_reversed(ix, 5));
    ck_assert(!line_index_overlaps_live(ix, 0, &w));
    /* D0 and D1 both live: D2 overlaps D1 only; the last made live is D0, which does not
     * overlap D2, so the answer cannot say which */
    line_index_add_live(ix, 0);
    ck_assert(line_index_overlaps_live(ix, 2, &w));
    ck_assert_uint_eq(w, VALIDATE_NO_SLOT);
    /* a reversed line never becomes live */
    line_index_reverse(ix, 4);
    line_index_add_live(ix, 4);
    ck_assert(!line_index_overlaps_live(ix, 0, &w) || w != 4);
    line_index_free(ix);
    decl_submission_free(sub);
}
END_TEST

/* Many debits under one key: the day counts go up and down exactly. */
START_TEST(counts_up_and_down)
{
    static prior_line priors[31];
    for (int k = 0; k < 31; k++) {
        char ref[8];
        snprintf(ref, sizeof ref, "P%d", k);
        priors[k] = prior(ref, "A", 'D', true, false, k + 1, 31); /* overlapping tails */
    }
    decl_submission *sub = decl_submission_new(DECL_SOURCE_JSON);
    add(sub, "D", "A", 'D', 31, 31);
    add(sub, "E", "A", 'D', 1, 1);
    validate_ctx ctx = {.prior = priors, .n_prior = 31};
    line_index *ix = line_index_new(&ctx, sub);
    ck_assert_ptr_nonnull(ix);
    size_t w;
    for (int k = 0; k < 31; k++) {
        ck_assert_msg(line_index_overlaps_live(ix, 0, &w), "after %d reversals", k);
        line_index_reverse(ix, 2 + (size_t)k);
        line_index_reverse(ix, 2 + (size_t)k); /* twice: counted once */
    }
    ck_assert(!line_index_overlaps_live(ix, 0, &w));
    ck_assert(!line_index_overlaps_live(ix, 1, &w));
    line_index_free(ix);
    decl_submission_free(sub);
}
END_TEST

static Suite *line_index_suite(void)
{
    Suite *s = suite_create("line_index");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, references);
    tcase_add_test(tc, overlaps);
    tcase_add_test(tc, counts_up_and_down);
    suite_add_tcase(s, tc);
    return s;
}

UNIT_MAIN(line_index_suite)
