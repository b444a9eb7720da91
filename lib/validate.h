/*
 * validate.h: the rules a declaration line must pass, applied to a whole submission at
 * once so duplicates and credits inside one submission are seen. Pure: the daemon loads
 * what it needs from the database beforehand (reference data, the provider's earlier
 * lines that this submission may touch, the keyed hashes of the client BSNs).
 *
 * Order of checks per line (the first rejection wins; warnings accumulate):
 *   parse defect -> D/C -> line_ref -> BSN 11-test -> dates (exist, one month, one year)
 *   -> prestatie known for the year (a code only in other years' lists: 9101 when one of
 *      them maps it to a group without C&A, else 9102 when one maps it to a group whose
 *      C&A starts after date_from, else 0581; a code in no list: 0582)
 *   -> group has C&A and is declarable on the date
 *   -> provider known and designated for the group -> rate for the year -> quantity
 *   -> duplicates (8021 reference: any earlier line of this submission or an accepted
 *      stored line; 0587 same service) -> credit matching (8017/8084; 9111 when the
 *      credit does not repeat the debit's client, prestatie, dates, quantity and, on a
 *      time line, travel amount)
 *   -> price -> warnings: 0611 declared amount differs, 0586 late.
 *
 * Cost: O((n + p) log(n + p)) for n lines and p prior lines (sorted indexes over the line
 * references and the services, built once per call), so the largest submission the
 * configuration allows cannot turn into a quadratic amount of work.
 */
#ifndef LVHCMON_VALIDATE_H
#define LVHCMON_VALIDATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codes.h"
#include "declaration.h"
#include "refdata.h"

#define VALIDATE_MAX_CODES 4
#define CLIENT_HASH_HEX_LEN 64

/** A line of the same provider already stored, that this submission may refer to. */
typedef struct {
    char line_ref[DECL_REF_MAX + 1];
    char debit_credit; /* 'D' or 'C' */
    bool accepted;
    bool credited; /* an accepted credit line already reverses it */
    char client_hash[CLIENT_HASH_HEX_LEN + 1];
    char prestatie[DECL_PRESTATIE_MAX + 1];
    lv_date date_from;
    lv_date date_to;
    int64_t quantity;
    int64_t amount_cents; /* signed */
    int64_t travel_cents; /* the stored line's travel part (column travel_cents):
                             positive for a debit; on a travel prestatie the whole
                             amount. A credit of a time line must repeat it (9111) */
} prior_line;

typedef struct {
    const refdata *ref;
    const prior_line *prior; /* any order */
    size_t n_prior;
    const char (*client_hashes)[CLIENT_HASH_HEX_LEN + 1]; /* one per line; "" if no BSN.
                                     NULL (tests only): the clear BSN stands in, which
                                     links lines inside the submission but never a
                                     prior line */
    lv_date received_on;          /* date the submission arrived (for 0586 and for 8007,
                                     a service that starts later); LV_DATE_NONE skips both */
    int deadline_working_days;    /* DOMAIN: 17 */
    int64_t max_minutes_per_line; /* 0584 above this; <= 0: no maximum */
    int64_t max_units_per_line;   /* 0584 for travel units; <= 0: no maximum */
} validate_ctx;

typedef struct {
    bool accepted;
    bool late;
    lv_code codes[VALIDATE_MAX_CODES]; /* rejection code first, then warnings */
    size_t n_codes;
    char field[32];       /* field that caused the rejection, "" if none */
    char target_group[8]; /* also set on a rejected line once its prestatie is known */
    int32_t rate_bp;
    int64_t tariff_cents;
    int64_t minutes;      /* time minutes, 0 for travel lines; signed like amount */
    int64_t quantity;     /* minutes or trips/km after the time-unit mapping, never
                             negative (also for credits): what to store as
                             prior_line.quantity; 0 when rejected */
    int64_t travel_cents; /* travel part of amount; signed like amount */
    int64_t amount_cents; /* signed: negative for a credit; 0 when rejected */
    long corrects_index;  /* index in this submission of the debit a credit
                             reverses, -1 when it is a prior line or none */
} line_result;

/**
 * Validates and prices every line of @a sub. @a results must hold sub->n_lines entries.
 * Never fails: every line gets a result. It allocates working indexes of O(n + p) size
 * and frees them before it returns; when that allocation fails it falls back to
 * validate_submission_quadratic(), which gives the same results, only slower.
 *
 * Lines are judged in order, so a line sees the outcome of the lines before it: a credit
 * can reverse a debit earlier in the same submission, and a debit that repeats a service
 * is accepted only when the earlier debit of that service was credited by a line *before*
 * it (a provider correcting a line sends the credit first, then the new debit).
 * A credit's amount is exactly minus the amount of the debit it reverses.
 *
 * @param ctx      reference data, prior lines, client hashes and settings
 * @param sub      the parsed submission
 * @param results  out: one result per line of @a sub
 */
void validate_submission(const validate_ctx *ctx, const decl_submission *sub, line_result *results);

/**
 * The same rules and results as validate_submission(), by scanning every earlier and
 * prior line for each line: O(n * (n + p)), and it never allocates. It is the fallback
 * when memory is short and the reference the fast path is tested and benchmarked
 * against; do not call it on untrusted submissions of more than a few thousand lines.
 *
 * @param ctx      reference data, prior lines, client hashes and settings
 * @param sub      the parsed submission
 * @param results  out: one result per line of @a sub
 */
void validate_submission_quadratic(const validate_ctx *ctx, const decl_submission *sub,
                                   line_result *results);

/** @return true when @a bsn is 9 digits and passes the 11-test. */
bool bsn_valid(const char *bsn);

#endif
